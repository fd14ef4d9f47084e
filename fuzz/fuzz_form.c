/*
 * libFuzzer target for the form and query string parser in front of every
 * request the web endpoint takes. Build with `make fuzz`; `make check`
 * replays fuzz/corpus/form/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "form.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Clean as form.h promises: UTF-8, no controls but TAB CR LF in values. */
static void
check_text(const char *s, size_t max, int value)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n, len = strlen(s);

	if (len > max)
		abort();
	while (i < len) {
		if (u[i] < 0x80) {
			if ((u[i] < 0x20 || u[i] == 0x7f) &&
			    !(value && (u[i] == '\t' || u[i] == '\r' ||
					u[i] == '\n')))
				abort();
			i++;
			continue;
		}
		if (!(n = utf8_seq_len(u + i, len - i)) ||
		    (u[i] == 0xc2 && u[i + 1] < 0xa0))
			abort();
		i += n;
	}
}

/* name=value escaped parses back to exactly that one pair */
static void
check_escape(const char *name, const char *value)
{
	struct buf b;
	struct form *g;
	const char *n, *v;

	buf_init(&b, FORM_MAX_BODY);
	if (form_escape(name, &b) < 0 || buf_addc(&b, '=') < 0 ||
	    form_escape(value, &b) < 0 ||
	    form_parse(buf_str(&b), b.len, &g, NULL, 0) < 0)
		abort();
	if (form_fields(g) != 1)
		abort();
	form_field(g, 0, &n, &v);
	if (strcmp(n, name) != 0 || strcmp(v, value) != 0)
		abort();
	form_free(g);
	buf_release(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const none[] = { NULL };
	const char *known[FORM_MAX_FIELDS + 1];
	const char *name, *value, *other, *ignored;
	struct form *f = (struct form *)1;
	char why[128] = "";
	size_t i, j, nth, n;

	if (form_parse((const char *)data, size, &f, why, sizeof why) < 0) {
		if (f != NULL || !why[0])
			abort();
		return 0;
	}
	if (why[0] || (n = form_fields(f)) > FORM_MAX_FIELDS)
		abort();
	for (i = 0; i < n; i++) {
		form_field(f, i, &name, &value);
		if (!*name)
			abort();
		check_text(name, FORM_MAX_NAME, 0);
		check_text(value, FORM_MAX_VALUE, 1);
		check_escape(name, value);
		/* the lookups by name find this pair as the nth of its name */
		for (j = nth = 0; j < i; j++) {
			form_field(f, j, &other, &ignored);
			nth += strcmp(other, name) == 0;
		}
		if (form_get_nth(f, name, nth) != value ||
		    form_count(f, name) <= nth ||
		    form_get(f, name) == NULL)
			abort();
		known[i] = name;
	}
	known[n] = NULL;
	if (form_only(f, known, NULL, 0) < 0 ||
	    (n > 0) != (form_only(f, none, NULL, 0) < 0))
		abort();
	form_free(f);
	return 0;
}
