/*
 * libFuzzer target for the mail templates. Build with `make fuzz`;
 * `make check` replays fuzz/corpus/template/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "template.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every value carries each character HTML needs escaped. */
#define EVIL	"<x>&\"'"

static const char *const known[] = { "a", "b", "c", "l", "m", NULL };

/*
 * a, b (empty) and c at the top, the list l of two children and in the
 * first the list m. Each child sets l to a string, so nested {{#l}} do not
 * multiply the work by two at each level.
 */
static struct tpl_vars *
make_vars(void)
{
	struct tpl_vars *v = tpl_vars_new(), *c, *m;

	if (!v || tpl_set(v, "a", EVIL) < 0 || tpl_set(v, "b", "") < 0 ||
	    tpl_set(v, "c", "é" EVIL) < 0)
		abort();
	if (!(c = tpl_add(v, "l")) || tpl_set(c, "a", EVIL "1") < 0 ||
	    tpl_set(c, "l", EVIL) < 0 || !(m = tpl_add(c, "m")) ||
	    tpl_set(m, "c", EVIL "2") < 0)
		abort();
	if (!(c = tpl_add(v, "l")) || tpl_set(c, "l", "") < 0)
		abort();
	return v;
}

static int
valid_utf8(const struct buf *b)
{
	const unsigned char *s = (const unsigned char *)buf_str(b);
	size_t i = 0, n;

	while (i < b->len) {
		if (s[i] == 0)
			return 0;
		n = s[i] < 0x80 ? 1 : utf8_seq_len(s + i, b->len - i);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* html with the five escapes undone; -1 at an '&' that starts none. */
static int
unescape(const struct buf *html, struct buf *out)
{
	static const char *const ent[] = {
		"&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", "\"",
		"&#39;", "'"
	};
	const char *s = buf_str(html);
	size_t i;

	while (*s) {
		if (*s != '&') {
			buf_addc(out, *s++);
			continue;
		}
		for (i = 0; i < 10; i += 2)
			if (strncmp(s, ent[i], strlen(ent[i])) == 0)
				break;
		if (i == 10)
			return -1;
		buf_adds(out, ent[i + 1]);
		s += strlen(ent[i]);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tpl_vars *v;
	struct tpl *t;
	struct buf html, text, plain;
	int html_rc, text_rc;
	size_t i;
	/* the template itself has none of the characters values bring */
	int clean = 1;

	if (tpl_parse("fuzz.tpl", (const char *)data, size, &t) < 0)
		return 0;
	for (i = 0; i < size; i++)
		if (memchr("<>&\"'", data[i], 5))
			clean = 0;
	v = make_vars();
	tpl_check(t, known);
	buf_init(&html, 256u * 1024u);
	buf_init(&text, 256u * 1024u);
	buf_init(&plain, 256u * 1024u);
	html_rc = tpl_render(t, v, TPL_HTML, &html);
	text_rc = tpl_render(t, v, TPL_TEXT, &text);
	if ((html_rc == 0 && !valid_utf8(&html)) ||
	    (text_rc == 0 && !valid_utf8(&text)))
		abort();
	if (html_rc < 0 && html.len != 0)
		abort();
	/* every '<' and '&' of the HTML came from the template, escaped */
	if (clean && html_rc == 0) {
		if (strpbrk(buf_str(&html), "<>\"'") ||
		    unescape(&html, &plain) < 0)
			abort();
		if (text_rc == 0 &&
		    strcmp(buf_str(&plain), buf_str(&text)) != 0)
			abort();
	}
	buf_release(&html);
	buf_release(&text);
	buf_release(&plain);
	tpl_vars_free(v);
	tpl_free(t);
	return 0;
}
