/*
 * libFuzzer target for the eForms parser and the JSON writer behind it.
 * Build with `make fuzz`; `make check` replays fuzz/corpus/eforms/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eforms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What every link field promises its readers: a web address or nothing. */
static int
web_or_null(const char *s)
{
	return !s || strncmp(s, "https://", 8) == 0 ||
	       strncmp(s, "http://", 7) == 0;
}

static int
lots_hold(const struct notice *n)
{
	size_t i;

	for (i = 0; i < n->nlots; i++) {
		const struct lot *l = &n->lots[i];

		if (!l->id || !web_or_null(l->documents_url) ||
		    !web_or_null(l->submission_url) ||
		    (l->duration && l->duration[0] != 'P'))
			return 0;
		/* The act-by deadline is never earlier than over all lots. */
		if (l->has_deadline && n->deadline > l->deadline)
			return 0;
	}
	return 1;
}

static int
results_hold(const struct notice *n)
{
	size_t i;

	for (i = 0; i < n->nawards; i++) {
		const struct award *a = &n->awards[i];

		if (a->tenders < COUNT_UNKNOWN ||
		    a->sme_tenders < COUNT_UNKNOWN ||
		    (a->nwinners && !a->winners))
			return 0;
	}
	return (!n->changes || !n->changes->nitems || n->changes->items) &&
	       n->max_lots_submitted >= COUNT_UNKNOWN &&
	       n->max_lots_awarded >= COUNT_UNKNOWN;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Reused like the daemon reuses it; libFuzzer gives no hook to
	 * free it, which is why only this harness holds static state. */
	static struct eforms_parser *parser;
	struct notice *n = NULL;
	struct buf json;
	char err[256];

	if (!parser && !(parser = eforms_parser_new()))
		abort();
	if (eforms_parse(parser, (const char *)data, size, &n, err,
			 sizeof(err)) == 0) {
		if (!n || n->nlots == 0 || !n->id || !n->title ||
		    !n->published || !web_or_null(n->url) ||
		    !web_or_null(n->documents_url) ||
		    !web_or_null(n->submission_url) || !lots_hold(n) ||
		    !results_hold(n) ||
		    (n->changes && n->kind != NOTICE_CHANGE))
			abort();
		buf_init(&json, 0);
		if (notice_to_json(n, &json) < 0)
			abort();
		buf_release(&json);
		notice_free(n);
	} else if (n || err[0] == '\0') {
		abort();
	}
	return 0;
}
