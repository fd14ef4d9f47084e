#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "form.h"
#include "test.h"

static struct form *
parse(const char *s)
{
	struct form *f;
	char why[128];

	if (form_parse(s, strlen(s), &f, why, sizeof why) < 0) {
		fprintf(stderr, "  parse \"%.60s\": %s\n", s, why);
		return NULL;
	}
	CHECK(why[0] == '\0');
	return f;
}

/* Refused, with a reason, and nothing handed out. */
static int
refused_len(const char *s, size_t len)
{
	struct form *f = (struct form *)1;
	char why[128] = "";

	if (form_parse(s, len, &f, why, sizeof why) == 0) {
		form_free(f);
		return 0;
	}
	return f == NULL && why[0] != '\0';
}

static int
refused(const char *s)
{
	return refused_len(s, strlen(s));
}

/* The form s has exactly one field, name, whose value is want. */
static int
single(const char *s, const char *name, const char *want)
{
	struct form *f = parse(s);
	const char *n, *v;
	int ok;

	if (!f)
		return 0;
	form_field(f, 0, &n, &v);
	ok = form_fields(f) == 1 && strcmp(n, name) == 0 &&
	     strcmp(v, want) == 0;
	form_free(f);
	return ok;
}

static void
test_decoding(void)
{
	struct form *f = parse("a=1&b=x+y&c=%C3%A5&d=%c3%a5&e=%C3%a5&f=a%20b");

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(form_fields(f) == 6);
	CHECK_STR(form_get(f, "a"), "1");
	CHECK_STR(form_get(f, "b"), "x y");
	CHECK_STR(form_get(f, "c"), "å");
	CHECK_STR(form_get(f, "d"), "å");
	CHECK_STR(form_get(f, "e"), "å");
	CHECK_STR(form_get(f, "f"), "a b");
	CHECK(form_get(f, "g") == NULL);
	CHECK(form_count(f, "g") == 0);
	form_free(f);

	/* escaped separators are data, a second '=' belongs to the value */
	CHECK(single("%26%3D%2B=%26%3D%2B", "&=+", "&=+"));
	CHECK(single("a=b=c", "a", "b=c"));
	CHECK(single("m%C3%A5l=%E2%82%AC", "mål", "€"));
	CHECK(single("n+m=1", "n m", "1"));
	/* raw UTF-8 that a hand-typed query string may carry */
	CHECK(single("år=ö", "år", "ö"));
}

static void
test_repeated(void)
{
	struct form *f = parse("cpv=45&x=1&cpv=71&cpv=&cpv=45");

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(form_count(f, "cpv") == 4);
	CHECK_STR(form_get(f, "cpv"), "45");
	CHECK_STR(form_get_nth(f, "cpv", 0), "45");
	CHECK_STR(form_get_nth(f, "cpv", 1), "71");
	CHECK_STR(form_get_nth(f, "cpv", 2), "");
	CHECK_STR(form_get_nth(f, "cpv", 3), "45");
	CHECK(form_get_nth(f, "cpv", 4) == NULL);
	CHECK(form_count(f, "x") == 1);
	CHECK(form_get_nth(f, "x", 1) == NULL);
	/* names match whole and by case */
	CHECK(form_count(f, "CPV") == 0);
	CHECK(form_count(f, "cp") == 0);
	form_free(f);
}

static void
test_empty(void)
{
	struct form *f;
	const char *n, *v;

	f = parse("a=&b&c=");
	CHECK(f != NULL);
	if (f) {
		CHECK(form_fields(f) == 3);
		CHECK_STR(form_get(f, "a"), "");
		CHECK_STR(form_get(f, "b"), "");
		CHECK_STR(form_get(f, "c"), "");
		form_free(f);
	}
	f = parse("&&a=1&&&b=2&");
	CHECK(f != NULL);
	if (f) {
		CHECK(form_fields(f) == 2);
		form_field(f, 0, &n, &v);
		CHECK_STR(n, "a");
		CHECK_STR(v, "1");
		form_field(f, 1, &n, &v);
		CHECK_STR(n, "b");
		CHECK_STR(v, "2");
		form_free(f);
	}
	CHECK(single("&x", "x", ""));
	CHECK(single("x&", "x", ""));

	CHECK((f = parse("")) != NULL && form_fields(f) == 0);
	form_free(f);
	CHECK((f = parse("&&&")) != NULL && form_fields(f) == 0);
	form_free(f);
	CHECK(form_parse(NULL, 0, &f, NULL, 0) == 0 && form_fields(f) == 0);
	form_free(f);
	form_free(NULL);

	/* a value without a name names nothing */
	CHECK(refused("=x"));
	CHECK(refused("a=1&="));
	CHECK(refused("a=1&=x&b=2"));
}

/* n bytes of c, each written as escape (which decodes to c) */
static void
add_n(struct buf *b, const char *escape, size_t n)
{
	while (n--)
		buf_adds(b, escape);
}

static void
test_caps(void)
{
	struct buf b;
	struct form *f;
	char why[128];
	size_t i;

	buf_init(&b, 0);
	/* name: 64 bytes, also when it takes three times as many to say */
	add_n(&b, "n", FORM_MAX_NAME);
	buf_adds(&b, "=1");
	CHECK((f = parse(buf_str(&b))) != NULL);
	form_free(f);
	buf_reset(&b);
	add_n(&b, "%6E", FORM_MAX_NAME);
	CHECK((f = parse(buf_str(&b))) != NULL);
	form_free(f);
	buf_reset(&b);
	add_n(&b, "%C3%A5", FORM_MAX_NAME / 2);
	CHECK((f = parse(buf_str(&b))) != NULL);
	form_free(f);
	buf_adds(&b, "n");
	CHECK(refused(buf_str(&b)));
	buf_reset(&b);
	add_n(&b, "n", FORM_MAX_NAME + 1);
	CHECK(refused(buf_str(&b)));

	/* value: 4096 bytes */
	buf_reset(&b);
	buf_adds(&b, "v=");
	add_n(&b, "%76", FORM_MAX_VALUE);
	CHECK((f = parse(buf_str(&b))) != NULL);
	CHECK(f && strlen(form_get(f, "v")) == FORM_MAX_VALUE);
	form_free(f);
	buf_adds(&b, "+");
	CHECK(refused(buf_str(&b)));

	/* fields: 64, repeats and empty values counted, empty pairs not */
	buf_reset(&b);
	for (i = 0; i < FORM_MAX_FIELDS; i++)
		buf_adds(&b, i % 2 ? "a&&" : "a=1&");
	CHECK((f = parse(buf_str(&b))) != NULL);
	CHECK(f && form_count(f, "a") == FORM_MAX_FIELDS);
	form_free(f);
	buf_adds(&b, "b");
	CHECK(refused(buf_str(&b)));

	/* body: 64 KiB, though the fields in it would fit */
	buf_reset(&b);
	for (i = 0; i < 8; i++) {
		buf_printf(&b, "%sv%zu=", i ? "&" : "", i);
		add_n(&b, "%76", FORM_MAX_VALUE / 2);
	}
	while (b.len < FORM_MAX_BODY)
		buf_addc(&b, '&');
	CHECK(b.len == FORM_MAX_BODY);
	CHECK((f = parse(buf_str(&b))) != NULL);
	CHECK(f && form_fields(f) == 8);
	form_free(f);
	buf_addc(&b, '&');
	CHECK(refused(buf_str(&b)));
	CHECK(form_parse(buf_str(&b), b.len, &f, why, sizeof why) < 0);
	CHECK_STR(why, "over 65536 bytes");
	buf_release(&b);
}

static void
test_bad_escapes(void)
{
	CHECK(refused("%"));
	CHECK(refused("%G1"));
	CHECK(refused("%4"));
	CHECK(refused("%1G"));
	CHECK(refused("a=%"));
	CHECK(refused("a=%4"));
	CHECK(refused("a=%G1"));
	CHECK(refused("a=%%41"));
	CHECK(refused("a=%4&b=1"));
	CHECK(refused("a=x%"));
	CHECK(refused("a=%+1"));
	CHECK(refused("a=% 1"));
	/* len ends the input, whatever follows it */
	CHECK(refused_len("a=%41", 4));
	CHECK(refused_len("a=%41", 3));
	CHECK(single("a=%41", "a", "A"));
}

static void
test_nul(void)
{
	CHECK(refused("%00"));
	CHECK(refused("a=%00"));
	CHECK(refused("a=x%00y"));
	/* a raw NUL inside the length is no end of the string */
	CHECK(refused_len("a=x\0y", 5));
	CHECK(refused_len("a\0=y", 4));
}

static void
test_utf8(void)
{
	CHECK(refused("a=%FF"));
	CHECK(refused("%FF=a"));
	CHECK(refused("a=%C0%AF"));		/* overlong '/' */
	CHECK(refused("a=%E0%80%AF"));		/* overlong too */
	CHECK(refused("a=%80"));		/* lone continuation */
	CHECK(refused("a=x%A5"));
	CHECK(refused("a=%C3"));		/* cut short */
	CHECK(refused("a=%C3x"));
	CHECK(refused("a=%E2%82"));
	CHECK(refused("a=%ED%A0%80"));		/* surrogate */
	CHECK(refused("a=%F4%90%80%80"));	/* above U+10FFFF */
	CHECK(refused("a=\xff"));
	CHECK(refused("a=\xc3"));
	CHECK(single("a=%F0%9F%98%80", "a", "\xf0\x9f\x98\x80"));
	CHECK(single("a=%EF%BF%BD", "a", "\xef\xbf\xbd"));
}

static void
test_controls(void)
{
	struct form *f;

	CHECK(refused("a%09b=1"));
	CHECK(refused("a%0A=1"));
	CHECK(refused("%0Da=1"));
	CHECK(refused("a%01=1"));
	CHECK(refused("a%1F=1"));
	CHECK(refused("a%7F=1"));
	CHECK(refused("a%C2%85=1"));		/* NEL, a C1 control */
	CHECK(refused("a\n=1"));

	f = parse("t=line+1%0D%0Aline%092%0A");
	CHECK(f != NULL);
	CHECK(f && strcmp(form_get(f, "t"), "line 1\r\nline\t2\n") == 0);
	form_free(f);
	CHECK(refused("t=a%01"));
	CHECK(refused("t=a%1B%5B31m"));
	CHECK(refused("t=a%7F"));
	CHECK(refused("t=%C2%80"));
	CHECK(refused("t=%C2%9F"));
	CHECK(single("t=%C2%A0", "t", "\xc2\xa0"));	/* no-break space */
}

static void
test_why(void)
{
	struct form *f;
	char why[128], tiny[6];

	CHECK(form_parse("a=%G1", 5, &f, why, sizeof why) < 0);
	CHECK_STR(why, "field 1 value: bad %-escape");
	CHECK(form_parse("a=1&b%01", 8, &f, why, sizeof why) < 0);
	CHECK_STR(why, "field 2 name: control character");
	CHECK(form_parse("a=%FF", 5, &f, why, sizeof why) < 0);
	CHECK_STR(why, "field 1 value: invalid UTF-8");
	CHECK(form_parse("a=1&=2", 6, &f, why, sizeof why) < 0);
	CHECK_STR(why, "field 2: empty name");
	/* cut to fit, and no why at all is fine */
	CHECK(form_parse("a=%G1", 5, &f, tiny, sizeof tiny) < 0);
	CHECK_STR(tiny, "field");
	CHECK(form_parse("a=%G1", 5, &f, NULL, 0) < 0 && f == NULL);
	CHECK(form_parse("a=%G1", 5, &f, why, 0) < 0);
}

static void
test_only(void)
{
	static const char *const known[] = { "q", "cpv", "page", NULL };
	static const char *const none[] = { NULL };
	struct form *f;
	char why[128];

	CHECK((f = parse("q=bygg&cpv=45&cpv=71&page=2")) != NULL);
	if (f) {
		CHECK(form_only(f, known, why, sizeof why) == 0);
		CHECK(form_only(f, none, NULL, 0) < 0);
		form_free(f);
	}
	CHECK((f = parse("q=bygg&Cpv=1&evil=2")) != NULL);
	if (f) {
		CHECK(form_only(f, known, why, sizeof why) < 0);
		CHECK_STR(why, "unknown field \"Cpv\"");
		CHECK(form_only(f, known, NULL, 0) < 0);
		form_free(f);
	}
	CHECK((f = parse("")) != NULL);
	if (f) {
		CHECK(form_only(f, none, why, sizeof why) == 0);
		form_free(f);
	}
}

/*
 * 1 if s, escaped as a name (or as a value), parses back to s; 0 if it
 * is refused; -1 if it comes back as something else.
 */
static int
parses_back(const char *s, int as_name)
{
	struct buf b;
	struct form *f;
	const char *n, *v;
	int rc;

	buf_init(&b, 0);
	if ((as_name ? form_escape(s, &b) : buf_adds(&b, "v=")) < 0 ||
	    (as_name ? buf_adds(&b, "=v") : form_escape(s, &b)) < 0)
		return -1;
	/* only the unreserved characters and escapes go out */
	if (strspn(buf_str(&b), "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		   "abcdefghijklmnopqrstuvwxyz0123456789-._~%=") != b.len) {
		buf_release(&b);
		return -1;
	}
	rc = form_parse(buf_str(&b), b.len, &f, NULL, 0);
	buf_release(&b);
	if (rc < 0)
		return 0;
	form_field(f, 0, &n, &v);
	rc = form_fields(f) == 1 && strcmp(as_name ? n : v, s) == 0 &&
	     strcmp(as_name ? v : n, "v") == 0 ? 1 : -1;
	form_free(f);
	return rc;
}

static void
test_escape(void)
{
	static const char swedish[] = "Räksmörgås åt Öckerö kommun: 1 500 "
				      "kr/m², \"Ärende\" & ÅÄÖ 100%";
	struct buf b;
	char s[3];
	unsigned c;

	buf_init(&b, 0);
	CHECK(form_escape("Az09-._~ /+&=?#%", &b) == 0);
	CHECK_STR(buf_str(&b), "Az09-._~%20%2F%2B%26%3D%3F%23%25");
	buf_reset(&b);
	CHECK(form_escape("", &b) == 0 && b.len == 0);
	CHECK(form_escape("å", &b) == 0);
	CHECK_STR(buf_str(&b), "%C3%A5");
	buf_release(&b);

	/* bytes 1..127 alone, code points 128..255 as their UTF-8 */
	for (c = 1; c < 256; c++) {
		int control = c < 0x20 || (c >= 0x7f && c < 0xa0);
		int space = c == '\t' || c == '\r' || c == '\n';

		if (c < 0x80) {
			s[0] = (char)c;
			s[1] = '\0';
		} else {
			s[0] = (char)(0xc0 | c >> 6);
			s[1] = (char)(0x80 | (c & 0x3f));
			s[2] = '\0';
		}
		if (parses_back(s, 1) != !control ||
		    parses_back(s, 0) != (!control || space)) {
			fprintf(stderr, "  code point %u\n", c);
			CHECK(0);
		}
	}
	/* bytes 128..255 alone are no UTF-8: escaped, but refused */
	for (c = 0x80; c < 256; c++) {
		s[0] = (char)c;
		s[1] = '\0';
		CHECK(parses_back(s, 1) == 0 && parses_back(s, 0) == 0);
	}
	CHECK(parses_back(swedish, 1) == 0);	/* over FORM_MAX_NAME */
	CHECK(parses_back(swedish, 0) == 1);
	CHECK(parses_back("Åsa Öberg", 1) == 1);
}

/* the value escaped alone, with a CR LF that names would refuse */
static void
test_escape_value(void)
{
	static const char text[] = "Hej!\r\nVi lämnar anbud på\tdel 2 "
				   "(målning).\r\nMvh, Åsa";
	struct buf b;
	struct form *f;

	buf_init(&b, 0);
	CHECK(buf_adds(&b, "msg=") == 0 && form_escape(text, &b) == 0);
	CHECK((f = parse(buf_str(&b))) != NULL);
	CHECK(f && strcmp(form_get(f, "msg"), text) == 0);
	form_free(f);
	buf_release(&b);
}

static void
test_escape_cap(void)
{
	struct buf b;

	buf_init(&b, 8);
	CHECK(buf_adds(&b, "q=") == 0);
	CHECK(form_escape("ab", &b) == 0);
	/* "%C3%A5" does not fit: nothing of it stays */
	CHECK(form_escape("å", &b) < 0);
	CHECK(b.len == 4);
	CHECK_STR(buf_str(&b), "q=ab");
	CHECK(form_escape("cd", &b) == 0);
	CHECK_STR(buf_str(&b), "q=abcd");
	buf_release(&b);
}

int
main(void)
{
	RUN(test_decoding);
	RUN(test_repeated);
	RUN(test_empty);
	RUN(test_caps);
	RUN(test_bad_escapes);
	RUN(test_nul);
	RUN(test_utf8);
	RUN(test_controls);
	RUN(test_why);
	RUN(test_only);
	RUN(test_escape);
	RUN(test_escape_value);
	RUN(test_escape_cap);
	return test_done("form");
}
