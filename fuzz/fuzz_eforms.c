/*
 * libFuzzer target for the eForms parser and the JSON writer behind it.
 * Build with `make fuzz`; `make check` replays fuzz/corpus/eforms/.
 */
#include <stdint.h>
#include <stdlib.h>

#include "eforms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
		if (!n || n->nlots == 0 || !n->id || !n->title || !n->published)
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
