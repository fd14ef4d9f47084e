/*
 * eForms parsing: the whole parser (notice, lots, dates, organisations)
 * against libxml2 reading the same documents into a tree, which every
 * parser must do at least. Reads the bundled feeds and the SDK examples.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "bench.h"
#include "eforms.h"
#include "fetch.h"

#define MAX_DOCS 64
#define PASSES 20

struct corpus {
	struct buf doc[MAX_DOCS];
	size_t n;
	struct eforms_parser *parser;
	size_t parsed;
};

static void
load_dir(struct corpus *c, const char *dir)
{
	struct fetch_options fo = { .timeout = 0, .max_bytes = 16u << 20 };
	struct dirent *de;
	char path[1024], err[256];
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d)) && c->n < MAX_DOCS) {
		if (!strstr(de->d_name, ".xml") || strstr(de->d_name, "INVALID"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		buf_init(&c->doc[c->n], fo.max_bytes);
		if (fetch_file(path, &fo, &c->doc[c->n], err, sizeof err) == 0)
			c->n++;
		else
			buf_release(&c->doc[c->n]);
	}
	closedir(d);
}

static void
xml_only(void *arg)
{
	struct corpus *c = arg;
	size_t i;
	int p;

	for (p = 0; p < PASSES; p++)
		for (i = 0; i < c->n; i++) {
			xmlDocPtr doc = xmlReadMemory(c->doc[i].data, (int)c->doc[i].len,
						      NULL, NULL, XML_PARSE_NONET |
						      XML_PARSE_NOBLANKS |
						      XML_PARSE_NOERROR |
						      XML_PARSE_NOWARNING);
			xmlFreeDoc(doc);
		}
}

static void
eforms_full(void *arg)
{
	struct corpus *c = arg;
	char err[256];
	size_t i;
	int p;

	c->parsed = 0;
	for (p = 0; p < PASSES; p++)
		for (i = 0; i < c->n; i++) {
			struct notice *n = NULL;

			if (eforms_parse(c->parser, c->doc[i].data, c->doc[i].len,
					 &n, err, sizeof err) == 0)
				c->parsed++;
			notice_free(n);
		}
}

int
main(void)
{
	struct corpus c = { .n = 0 };
	double base, full;
	size_t i, bytes = 0;

	load_dir(&c, "feeds");
	load_dir(&c, "tests/fixtures/eforms");
	if (c.n == 0 || !(c.parser = eforms_parser_new())) {
		fprintf(stderr, "bench/ingest: no documents (run from the project root)\n");
		return 1;
	}
	for (i = 0; i < c.n; i++)
		bytes += c.doc[i].len;
	bench_pair(7, xml_only, eforms_full, &c, &base, &full);
	printf("ingest: %zu documents (%zu KiB) x %d passes\n", c.n, bytes / 1024, PASSES);
	printf("  libxml2 tree only   %8.0f docs/s  (baseline)\n", PASSES * c.n / base);
	printf("  eForms parse        %8.0f docs/s  %.2fx the baseline time\n",
	       c.parsed / full, full / base);
	eforms_parser_free(c.parser);
	for (i = 0; i < c.n; i++)
		buf_release(&c.doc[i]);
	return 0;
}
