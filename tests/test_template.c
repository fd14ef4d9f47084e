#define _XOPEN_SOURCE 700

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "template.h"
#include "test.h"
#include "testutil.h"

/* text rendered with v, or NULL if it did not parse or render. */
static char *
render(const char *text, const struct tpl_vars *v, enum tpl_escape esc)
{
	struct tpl *t = NULL;
	struct buf out;
	char *s = NULL;

	buf_init(&out, 0);
	if (tpl_parse("t.tpl", text, strlen(text), &t) == 0 &&
	    tpl_render(t, v, esc, &out) == 0)
		s = buf_detach(&out, NULL);
	buf_release(&out);
	tpl_free(t);
	return s;
}

static void
check_render(const char *text, const struct tpl_vars *v, enum tpl_escape esc,
	     const char *want)
{
	char *got = render(text, v, esc);

	CHECK_STR(got, want);
	free(got);
}

/* Parses text, which must fail, and checks everything printed on stderr. */
static void
check_parse_error(const char *text, size_t len, const char *want)
{
	struct tpl *t = NULL;
	struct capture c;
	char *err;
	int rc;

	capture_start(&c, 2);
	rc = tpl_parse("t.tpl", text, len, &t);
	err = capture_end(&c);
	CHECK(rc == -1);
	CHECK(t == NULL);
	CHECK_STR(err, want);
	free(err);
	tpl_free(t);
}

static void
check_error(const char *text, const char *want)
{
	check_parse_error(text, strlen(text), want);
}

static struct tpl_vars *
vars(void)
{
	struct tpl_vars *v = tpl_vars_new();

	if (!v)
		exit(2);
	return v;
}

static void
test_substitution(void)
{
	struct tpl_vars *v = vars();

	CHECK(tpl_set(v, "name", "Ann") == 0);
	CHECK(tpl_set(v, "lot.id", "LOT-0001") == 0);
	CHECK(tpl_setf(v, "n", "%d lots", 3) == 0);
	check_render("Hello {{name}}, {{ name }}, {{\tname\t}}!", v, TPL_TEXT,
		     "Hello Ann, Ann, Ann!");
	check_render("{{lot.id}}: {{n}}", v, TPL_TEXT, "LOT-0001: 3 lots");
	check_render("[{{unset}}]", v, TPL_TEXT, "[]");
	check_render("", v, TPL_TEXT, "");
	check_render("no tags at all\n", v, TPL_TEXT, "no tags at all\n");
	check_render("a } b }} c { d", v, TPL_TEXT, "a } b }} c { d");
	check_render("\xef\xbb\xbf{{name}}", v, TPL_TEXT, "Ann");
	check_render("Åsa {{name}} ö", v, TPL_HTML, "Åsa Ann ö");
	tpl_vars_free(v);
}

static void
test_escaping(void)
{
	struct tpl_vars *v = vars();

	CHECK(tpl_set(v, "x", "a&b<c>d\"e'f") == 0);
	CHECK(tpl_set(v, "y", "<<&&>>") == 0);
	check_render("<p title=\"{{x}}\">{{x}}</p>", v, TPL_HTML,
		     "<p title=\"a&amp;b&lt;c&gt;d&quot;e&#39;f\">"
		     "a&amp;b&lt;c&gt;d&quot;e&#39;f</p>");
	check_render("{{y}}", v, TPL_HTML, "&lt;&lt;&amp;&amp;&gt;&gt;");
	check_render("<p>{{x}}</p>", v, TPL_TEXT, "<p>a&b<c>d\"e'f</p>");
	check_render("{{y}}", v, TPL_TEXT, "<<&&>>");
	tpl_vars_free(v);
}

static void
test_list_sections(void)
{
	struct tpl_vars *v = vars(), *c;

	CHECK(tpl_set(v, "firm", "Acme") == 0);
	CHECK(tpl_set(v, "title", "outer") == 0);
	c = tpl_add(v, "notices");
	CHECK(c && tpl_set(c, "title", "Roads") == 0);
	c = tpl_add(v, "notices");
	CHECK(c && tpl_set(c, "title", "Schools") == 0);
	c = tpl_add(v, "notices");
	CHECK(c != NULL);
	check_render("{{#notices}}[{{title}} for {{firm}}]{{/notices}}", v,
		     TPL_TEXT,
		     "[Roads for Acme][Schools for Acme][outer for Acme]");
	check_render("{{title}}{{#notices}}{{/notices}}{{title}}", v, TPL_TEXT,
		     "outerouter");
	check_render("{{#nothing}}x{{/nothing}}", v, TPL_TEXT, "");
	tpl_vars_free(v);
}

static void
test_nested_lists(void)
{
	struct tpl_vars *v = vars(), *n, *l;

	CHECK(tpl_set(v, "firm", "Acme") == 0);
	n = tpl_add(v, "notices");
	CHECK(n && tpl_set(n, "title", "Roads") == 0);
	l = tpl_add(n, "lots");
	CHECK(l && tpl_set(l, "title", "North") == 0);
	l = tpl_add(n, "lots");
	CHECK(l && tpl_set(l, "id", "2") == 0);
	n = tpl_add(v, "notices");
	CHECK(n && tpl_set(n, "title", "Parks") == 0);
	check_render("{{#notices}}{{title}}:"
		     "{{#lots}} {{id}}/{{title}}/{{firm}}{{/lots}}"
		     "{{^lots}} none{{/lots}};{{/notices}}", v, TPL_HTML,
		     "Roads: /North/Acme 2/Roads/Acme;Parks: none;");
	tpl_vars_free(v);
}

static void
test_string_sections(void)
{
	struct tpl_vars *v = vars();
	const char *text = "{{#url}}<a href=\"{{url}}\">{{/url}}more";

	CHECK(tpl_set(v, "url", "https://x/?a=1&b=2") == 0);
	check_render(text, v, TPL_HTML,
		     "<a href=\"https://x/?a=1&amp;b=2\">more");
	CHECK(tpl_set(v, "url", "") == 0);
	check_render(text, v, TPL_HTML, "more");
	CHECK(tpl_set(v, "url", NULL) == 0);
	check_render(text, v, TPL_HTML, "more");
	CHECK(tpl_set(v, "url", "0") == 0);
	check_render(text, v, TPL_HTML, "<a href=\"0\">more");
	tpl_vars_free(v);
}

static void
test_inverted_sections(void)
{
	struct tpl_vars *v = vars();
	const char *text = "{{^a}}none{{/a}}{{#a}}some{{/a}}";

	check_render(text, v, TPL_TEXT, "none");
	CHECK(tpl_set(v, "a", "") == 0);
	check_render(text, v, TPL_TEXT, "none");
	CHECK(tpl_set(v, "a", "x") == 0);
	check_render(text, v, TPL_TEXT, "some");
	CHECK(tpl_add(v, "a") != NULL);
	check_render(text, v, TPL_TEXT, "some");
	CHECK(tpl_set(v, "a", NULL) == 0);
	check_render(text, v, TPL_TEXT, "none");
	tpl_vars_free(v);
}

static void
test_standalone_lines(void)
{
	struct tpl_vars *v = vars(), *c;

	CHECK(tpl_set(v, "empty", "") == 0);
	c = tpl_add(v, "lots");
	CHECK(c && tpl_set(c, "id", "1") == 0);
	c = tpl_add(v, "lots");
	CHECK(c && tpl_set(c, "id", "2") == 0);
	check_render("Lots:\n"
		     "{{#lots}}\n"
		     "  - {{id}}\n"
		     "  {{/lots}}  \n"
		     "\t{{! a comment line }}\n"
		     "{{^lots}}\n"
		     "none\n"
		     "{{/lots}}\n"
		     "end\n", v, TPL_TEXT,
		     "Lots:\n  - 1\n  - 2\nend\n");
	/* CRLF line ends, and a last line without one */
	check_render("a\r\n {{#lots}}\r\n{{id}}\r\n{{/lots}}", v, TPL_TEXT,
		     "a\r\n1\r\n2\r\n");
	/* the whole template one standalone tag */
	check_render("{{! only }}", v, TPL_TEXT, "");
	/* a multi-line comment alone on its lines */
	check_render("a\n{{! one\ntwo }}\nb\n", v, TPL_TEXT, "a\nb\n");
	/* other text or a second tag on the line: kept */
	check_render("x {{#lots}}\n{{/lots}} y\n", v, TPL_TEXT,
		     "x \n\n y\n");
	check_render("{{#lots}}{{id}}{{/lots}}\n", v, TPL_TEXT, "12\n");
	check_render("{{#empty}}{{/empty}}\n", v, TPL_TEXT, "\n");
	/* variables never are standalone */
	check_render("a\n{{empty}}\nb\n", v, TPL_TEXT, "a\n\nb\n");
	check_render("a\n  {{empty}}  \nb", v, TPL_TEXT, "a\n    \nb");
	/* a lone CR is not a line end */
	check_render("{{! c }}\rx", v, TPL_TEXT, "\rx");
	tpl_vars_free(v);
}

static void
test_comments(void)
{
	struct tpl_vars *v = vars();

	check_render("a{{! hi }}b", v, TPL_TEXT, "ab");
	check_render("a{{!}}b", v, TPL_TEXT, "ab");
	check_render("a{{! {{x {{#y <b> }\nline two }}b", v, TPL_TEXT,
		     "ab");
	tpl_vars_free(v);
}

static void
test_syntax_errors(void)
{
	check_error("a\n{{#a}}\nb\n",
		    "tenderlots: error: t.tpl:2: '{{#a}}' is not closed\n");
	check_error("{{#a}}\n{{^b}}\n{{/b}}\n",
		    "tenderlots: error: t.tpl:1: '{{#a}}' is not closed\n");
	check_error("\n{{^a}}{{#b}}x{{/b}}\n\n",
		    "tenderlots: error: t.tpl:2: '{{^a}}' is not closed\n");
	check_error("{{#a}}\n{{#b}}\n{{/a}}\n",
		    "tenderlots: error: t.tpl:3: '{{/a}}' does not match "
		    "'{{#b}}' of line 2\n");
	check_error("x\n\n{{/a}}",
		    "tenderlots: error: t.tpl:3: '{{/a}}' closes no section\n");
	check_error("a\nb {{name\nc}}\n",
		    "tenderlots: error: t.tpl:2: unterminated '{{'\n");
	check_error("a\n\nb {{name}",
		    "tenderlots: error: t.tpl:3: unterminated '{{'\n");
	check_error("a {{",
		    "tenderlots: error: t.tpl:1: unterminated '{{'\n");
	check_error("\n{{! no end }\n",
		    "tenderlots: error: t.tpl:2: unterminated comment\n");
	check_error("\n\n{{ }}",
		    "tenderlots: error: t.tpl:3: empty name in a tag\n");
	check_error("{{#}}{{/}}",
		    "tenderlots: error: t.tpl:1: empty name in a tag\n");
	check_error("\n{{a b}}",
		    "tenderlots: error: t.tpl:2: bad character 'b' in a tag\n");
	check_error("{{a/b}}",
		    "tenderlots: error: t.tpl:1: bad character '/' in a tag\n");
	check_error("{{>partial}}",
		    "tenderlots: error: t.tpl:1: bad character '>' in a tag\n");
	check_error("{{å}}",
		    "tenderlots: error: t.tpl:1: bad character 'å' in a "
		    "tag\n");
	check_error("{{a\rb}}",
		    "tenderlots: error: t.tpl:1: bad character 0x0d in a "
		    "tag\n");
	check_error("x\n{{{a}}}",
		    "tenderlots: error: t.tpl:2: there is no unescaped form "
		    "'{{{'\n");
	check_error("{{&a}}",
		    "tenderlots: error: t.tpl:1: there is no unescaped form "
		    "'{{&'\n");
	check_error("{{#&a}}",
		    "tenderlots: error: t.tpl:1: bad character '&' in a tag\n");
	check_error("{{"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}}",
		    "tenderlots: error: t.tpl:1: name longer than 64 bytes\n");
	check_error("\n\n\xff\n",
		    "tenderlots: error: t.tpl:3: invalid UTF-8\n");
	check_error("\xed\xa0\x80",
		    "tenderlots: error: t.tpl:1: invalid UTF-8\n");
	check_parse_error("a\nb\0c", 5,
			  "tenderlots: error: t.tpl:2: NUL byte\n");
}

static void
test_limits(void)
{
	struct tpl_vars *v = vars();
	struct buf text;
	struct tpl *t = NULL;
	char name[16];
	const char *name64 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	size_t i;

	buf_init(&text, 0);
	CHECK(strlen(name64) == TPL_MAX_NAME);
	buf_printf(&text, "{{%s}}", name64);
	CHECK(tpl_set(v, name64, "long") == 0);
	check_render(buf_str(&text), v, TPL_TEXT, "long");

	/* each list section adds a context: the most there can be */
	buf_reset(&text);
	for (i = 0; i < TPL_MAX_DEPTH; i++) {
		snprintf(name, sizeof name, "a%zu", i);
		buf_printf(&text, "{{#%s}}", name);
		CHECK(tpl_add(v, name) != NULL);
	}
	buf_adds(&text, "deep");
	for (i = TPL_MAX_DEPTH; i-- > 0;)
		buf_printf(&text, "{{/a%zu}}", i);
	check_render(buf_str(&text), v, TPL_TEXT, "deep");

	buf_reset(&text);
	buf_adds(&text, "\n");
	for (i = 0; i <= TPL_MAX_DEPTH; i++)
		buf_adds(&text, "{{#a}}");
	check_error(buf_str(&text), "tenderlots: error: t.tpl:2: sections "
		    "nested deeper than 16\n");

	buf_reset(&text);
	for (i = 0; i < TPL_MAX_FILE; i++)
		buf_addc(&text, 'x');
	CHECK(tpl_parse("t.tpl", text.data, text.len, &t) == 0);
	tpl_free(t);
	buf_addc(&text, 'x');
	check_parse_error(text.data, text.len,
			  "tenderlots: error: t.tpl: larger than 65536 "
			  "bytes\n");
	buf_release(&text);
	tpl_vars_free(v);
}

static void
test_check(void)
{
	static const char *const known[] = { "firm", "notices", "title", NULL };
	static const char *const none[] = { NULL };
	struct tpl *t = NULL;
	struct capture c;
	const char *text =
		"{{! tilte in a comment is fine }}\n"
		"{{#notices}}\n"
		"{{title}} {{firm}}\n"
		"{{/notices}}\n"
		"{{^notice}}{{/notice}}\n"
		"{{tilte}}\n";
	char *err;

	CHECK(tpl_parse("t.tpl", text, strlen(text), &t) == 0);
	capture_start(&c, 2);
	CHECK(tpl_check(t, known) == -1);
	err = capture_end(&c);
	CHECK_STR(err, "tenderlots: error: t.tpl:5: unknown field 'notice'\n"
		  "tenderlots: error: t.tpl:6: unknown field 'tilte'\n");
	free(err);
	tpl_free(t);

	text = "{{#notices}}{{title}}{{/notices}}{{^firm}}{{/firm}}";
	CHECK(tpl_parse("t.tpl", text, strlen(text), &t) == 0);
	CHECK(tpl_check(t, known) == 0);
	tpl_free(t);

	CHECK(tpl_parse("t.tpl", "plain", 5, &t) == 0);
	CHECK(tpl_check(t, none) == 0);
	tpl_free(t);
}

static void
test_load(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], want[2 * PATH_MAX];
	struct tpl_vars *v = vars();
	struct tpl *t = NULL;
	struct capture c;
	struct buf big, out;
	char *err;
	int rc;

	make_tmpdir(dir, "test_template");
	buf_init(&out, 0);

	snprintf(path, sizeof path, "%s/ok.txt", dir);
	write_text(path, "Hej {{name}}!\n");
	CHECK(tpl_load(path, &t) == 0);
	CHECK(tpl_set(v, "name", "Ann") == 0);
	CHECK(tpl_render(t, v, TPL_TEXT, &out) == 0);
	CHECK_STR(buf_str(&out), "Hej Ann!\n");
	tpl_free(t);
	t = NULL;

	snprintf(path, sizeof path, "%s/missing.txt", dir);
	capture_start(&c, 2);
	rc = tpl_load(path, &t);
	err = capture_end(&c);
	snprintf(want, sizeof want,
		 "tenderlots: error: %s: No such file or directory\n", path);
	CHECK(rc == -1);
	CHECK(t == NULL);
	CHECK_STR(err, want);
	free(err);

	buf_init(&big, 0);
	while (big.len <= TPL_MAX_FILE)
		buf_adds(&big, "0123456789abcdef");
	snprintf(path, sizeof path, "%s/big.txt", dir);
	write_text(path, buf_str(&big));
	capture_start(&c, 2);
	rc = tpl_load(path, &t);
	err = capture_end(&c);
	snprintf(want, sizeof want,
		 "tenderlots: error: %s: larger than 65536 bytes\n", path);
	CHECK(rc == -1);
	CHECK(t == NULL);
	CHECK_STR(err, want);
	free(err);

	snprintf(path, sizeof path, "%s/bad.txt", dir);
	write_text(path, "one\ntwo {{#a}}\n");
	capture_start(&c, 2);
	rc = tpl_load(path, &t);
	err = capture_end(&c);
	snprintf(want, sizeof want,
		 "tenderlots: error: %s:2: '{{#a}}' is not closed\n", path);
	CHECK(rc == -1);
	CHECK_STR(err, want);
	free(err);

	buf_release(&big);
	buf_release(&out);
	tpl_vars_free(v);
	rm_rf(dir);
}

static void
test_render_cap(void)
{
	struct tpl_vars *v = vars();
	struct tpl *t = NULL;
	struct capture c;
	struct buf out;
	char *err;
	int rc;

	CHECK(tpl_set(v, "x", "<<<") == 0);
	CHECK(tpl_parse("t.tpl", "ab{{x}}cd", 9, &t) == 0);
	buf_init(&out, 14);
	CHECK(buf_adds(&out, "head") == 0);
	capture_start(&c, 2);
	rc = tpl_render(t, v, TPL_HTML, &out);
	err = capture_end(&c);
	CHECK(rc == -1);
	CHECK_STR(err, "tenderlots: error: t.tpl: rendered text is longer "
		  "than 14 bytes\n");
	free(err);
	/* out is left as it was */
	CHECK(out.len == 4);
	CHECK_STR(buf_str(&out), "head");
	/* the same fits as text, to the byte */
	CHECK(buf_adds(&out, "xxx") == 0);
	CHECK(tpl_render(t, v, TPL_TEXT, &out) == 0);
	CHECK_STR(buf_str(&out), "headxxxab<<<cd");
	buf_release(&out);
	tpl_free(t);
	tpl_vars_free(v);
}

static void
test_values(void)
{
	struct tpl_vars *v = vars();
	struct capture c;
	char *err, *huge;
	int rc;

	CHECK(tpl_set(v, "a", "one") == 0);
	CHECK(tpl_set(v, "b", "two") == 0);
	CHECK(tpl_set(v, "a", "three") == 0);
	check_render("{{a}} {{b}}", v, TPL_TEXT, "three two");
	CHECK(tpl_set(v, "a", NULL) == 0);
	CHECK(tpl_set(v, "a", NULL) == 0);
	check_render("[{{a}}] {{b}}", v, TPL_TEXT, "[] two");

	/* a list replaced by a string and back */
	CHECK(!tpl_isset(v, "l"));
	CHECK(tpl_add(v, "l") != NULL);
	CHECK(tpl_isset(v, "l"));
	CHECK(tpl_set(v, "l", "str") == 0);
	CHECK(tpl_isset(v, "l"));
	check_render("{{l}}{{#l}}!{{/l}}", v, TPL_TEXT, "str!");
	CHECK(tpl_add(v, "l") != NULL && tpl_add(v, "l") != NULL);
	check_render("[{{l}}]{{#l}}!{{/l}}", v, TPL_TEXT, "[]!!");
	CHECK(tpl_set(v, "e", "") == 0);
	CHECK(!tpl_isset(v, "e"));
	CHECK(!tpl_isset(v, "a"));
	CHECK(tpl_isset(v, "b"));

	CHECK(tpl_set(v, "u", "Malmö €") == 0);
	capture_start(&c, 2);
	rc = tpl_set(v, "u", "bad \xc3");
	err = capture_end(&c);
	CHECK(rc == -1);
	CHECK_STR(err, "tenderlots: error: template field 'u': value is not "
		  "valid UTF-8\n");
	free(err);
	capture_start(&c, 2);
	CHECK(tpl_set(v, "u", "\xc0\xaf") == -1);
	CHECK(tpl_set(v, "u", "\xf4\x90\x80\x80") == -1);
	CHECK(tpl_setf(v, "u", "%s", "\xed\xbf\xbf") == -1);
	CHECK(tpl_setf(v, "u", "a%cb", 0) == -1);
	free(capture_end(&c));
	check_render("{{u}}", v, TPL_TEXT, "Malmö €");

	huge = malloc(TPL_MAX_VALUE + 2);
	if (!huge)
		exit(2);
	memset(huge, 'x', TPL_MAX_VALUE + 1);
	huge[TPL_MAX_VALUE + 1] = '\0';
	capture_start(&c, 2);
	rc = tpl_set(v, "u", huge);
	err = capture_end(&c);
	CHECK(rc == -1);
	CHECK_STR(err, "tenderlots: error: template field 'u': value longer "
		  "than 1048576 bytes\n");
	free(err);
	capture_start(&c, 2);
	CHECK(tpl_setf(v, "u", "%sy", huge + 1) == -1);
	free(capture_end(&c));
	huge[TPL_MAX_VALUE] = '\0';
	CHECK(tpl_set(v, "u", huge) == 0);
	free(huge);
	tpl_vars_free(v);
}

int
main(void)
{
	RUN(test_substitution);
	RUN(test_escaping);
	RUN(test_list_sections);
	RUN(test_nested_lists);
	RUN(test_string_sections);
	RUN(test_inverted_sections);
	RUN(test_standalone_lines);
	RUN(test_comments);
	RUN(test_syntax_errors);
	RUN(test_limits);
	RUN(test_check);
	RUN(test_load);
	RUN(test_render_cap);
	RUN(test_values);
	return test_done("template");
}
