/*
 * libFuzzer target for the RSS/Atom parser and its date readers. Build
 * with `make fuzz`; `make check` replays fuzz/corpus/syndication/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "syndication.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
plain(const char *s, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k;

	if (n == 0 || n > max || s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	while (i < n) {
		if (u[i] < ' ' || u[i] == 0x7f)
			return 0;
		k = u[i] < 0x80 ? 1 : utf8_seq_len(u + i, n - i);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

static void
check_entry(const struct syndication_entry *e)
{
	if (!e->link || !e->id ||
	    (strncasecmp(e->link, "http://", 7) != 0 &&
	     strncasecmp(e->link, "https://", 8) != 0) ||
	    !plain(e->link, SYNDICATION_MAX_FIELD) ||
	    !plain(e->id, SYNDICATION_MAX_FIELD) ||
	    (e->title && !plain(e->title, SYNDICATION_MAX_FIELD)) ||
	    (e->link_type && !plain(e->link_type, 255)) ||
	    (e->summary && !plain(e->summary, SYNDICATION_MAX_SUMMARY)))
		abort();
	if (syndication_entry_links_xml(e) != 0 &&
	    syndication_entry_links_xml(e) != 1)
		abort();
}

/* The input's first line, as a date of either kind. */
static void
check_dates(const uint8_t *data, size_t size)
{
	char s[128];
	size_t n = size < sizeof(s) - 1 ? size : sizeof(s) - 1;
	time_t t;

	memcpy(s, data, n);
	s[n] = '\0';
	s[strcspn(s, "\n")] = '\0';
	syndication_parse_rfc822(s, &t);
	syndication_parse_rfc3339(s, &t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Reused like the daemon reuses it; libFuzzer gives no hook to
	 * free it, which is why only this harness holds static state. */
	static struct syndication_parser *parser;
	struct syndication_feed *f = NULL;
	char err[256];
	size_t i;

	if (!parser && !(parser = syndication_parser_new()))
		abort();
	check_dates(data, size);
	if (syndication_parse(parser, (const char *)data, size,
			      "https://www.exempelkommun.se/upphandling/rss.xml",
			      &f, err, sizeof(err)) == 0) {
		if (!f || f->nentries > SYNDICATION_MAX_ENTRIES ||
		    (f->title && !plain(f->title, SYNDICATION_MAX_FIELD)) ||
		    (f->link && !plain(f->link, SYNDICATION_MAX_FIELD)))
			abort();
		for (i = 0; i < f->nentries; i++)
			check_entry(&f->entries[i]);
		syndication_feed_free(f);
	} else if (f || err[0] == '\0' || strchr(err, '\n')) {
		abort();
	}
	return 0;
}
