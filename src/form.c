#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "utf8.h"

#define STR(x) #x
#define XSTR(x) STR(x)

struct form_pair {
	char *name;
	char *value;
};

/* The cap is the array: nothing here grows. */
struct form {
	size_t n;
	struct form_pair pair[FORM_MAX_FIELDS];
};

static int __attribute__((format(printf, 3, 4)))
fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Why s[0..n) is not clean text, or NULL. A NUL is a control character,
 * so a clean string is also a whole C string.
 */
static const char *
check(const unsigned char *s, size_t n, int value)
{
	size_t i = 0, len;

	while (i < n) {
		if (s[i] < 0x80) {
			if ((s[i] < 0x20 || s[i] == 0x7f) &&
			    !(value && (s[i] == '\t' || s[i] == '\r' ||
					s[i] == '\n')))
				return "control character";
			i++;
			continue;
		}
		if (!(len = utf8_seq_len(s + i, n - i)))
			return "invalid UTF-8";
		/*
		 * U+0080 to U+009F are controls too; they only turn up when
		 * something took Latin-1 or cp1252 for UTF-8 on the way.
		 */
		if (s[i] == 0xc2 && s[i + 1] < 0xa0)
			return "control character";
		i += len;
	}
	return NULL;
}

/*
 * Decodes and checks the name (value 0) or value (1) in s[0..n) and
 * stores a copy in *out; the reason it is refused otherwise.
 */
static const char *
take(const char *s, size_t n, int value, char **out)
{
	char tmp[FORM_MAX_VALUE + 1];
	size_t max = value ? FORM_MAX_VALUE : FORM_MAX_NAME;
	size_t i, len = 0;
	const char *reason;
	int hi, lo;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '%') {
			if (n - i < 3 || (hi = hexval(s[i + 1])) < 0 ||
			    (lo = hexval(s[i + 2])) < 0)
				return "bad %-escape";
			c = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+') {
			c = ' ';
		}
		if (len == max)
			return value ? "over " XSTR(FORM_MAX_VALUE) " bytes" :
				       "over " XSTR(FORM_MAX_NAME) " bytes";
		tmp[len++] = c;
	}
	if ((reason = check((const unsigned char *)tmp, len, value)))
		return reason;
	if (!(*out = malloc(len + 1)))
		return "out of memory";
	memcpy(*out, tmp, len);
	(*out)[len] = '\0';
	return NULL;
}

int
form_parse(const char *data, size_t len, struct form **out, char *why,
	   size_t whylen)
{
	struct form *f;
	struct form_pair *p;
	const char *reason;
	size_t i, eq, end, v;

	*out = NULL;
	if (why && whylen)
		why[0] = '\0';
	if (len > FORM_MAX_BODY)
		return fail(why, whylen, "over %u bytes", FORM_MAX_BODY);
	if (!(f = calloc(1, sizeof *f)))
		return fail(why, whylen, "out of memory");
	for (i = 0; i < len; i = end + 1) {
		for (end = i; end < len && data[end] != '&'; end++)
			;
		if (end == i)
			continue;
		for (eq = i; eq < end && data[eq] != '='; eq++)
			;
		if (eq == i) {
			fail(why, whylen, "field %zu: empty name", f->n + 1);
			goto err;
		}
		if (f->n == FORM_MAX_FIELDS) {
			fail(why, whylen, "over " XSTR(FORM_MAX_FIELDS) " fields");
			goto err;
		}
		/* counted first, so form_free sees whatever take() stored */
		p = &f->pair[f->n++];
		if ((reason = take(data + i, eq - i, 0, &p->name))) {
			fail(why, whylen, "field %zu name: %s", f->n, reason);
			goto err;
		}
		v = eq < end ? eq + 1 : end;
		if ((reason = take(data + v, end - v, 1, &p->value))) {
			fail(why, whylen, "field %zu value: %s", f->n, reason);
			goto err;
		}
	}
	*out = f;
	return 0;
err:
	form_free(f);
	return -1;
}

void
form_free(struct form *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->pair[i].name);
		free(f->pair[i].value);
	}
	free(f);
}

const char *
form_get_nth(const struct form *f, const char *name, size_t i)
{
	size_t k;

	for (k = 0; k < f->n; k++)
		if (strcmp(f->pair[k].name, name) == 0 && i-- == 0)
			return f->pair[k].value;
	return NULL;
}

const char *
form_get(const struct form *f, const char *name)
{
	return form_get_nth(f, name, 0);
}

size_t
form_count(const struct form *f, const char *name)
{
	size_t k, n = 0;

	for (k = 0; k < f->n; k++)
		n += strcmp(f->pair[k].name, name) == 0;
	return n;
}

size_t
form_fields(const struct form *f)
{
	return f->n;
}

void
form_field(const struct form *f, size_t i, const char **name,
	   const char **value)
{
	*name = f->pair[i].name;
	*value = f->pair[i].value;
}

int
form_only(const struct form *f, const char *const *known, char *why,
	  size_t whylen)
{
	const char *const *k;
	size_t i;

	for (i = 0; i < f->n; i++) {
		for (k = known; *k && strcmp(*k, f->pair[i].name) != 0; k++)
			;
		if (!*k)
			return fail(why, whylen, "unknown field \"%s\"",
				    f->pair[i].name);
	}
	return 0;
}

static int
unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

int
form_escape(const char *s, struct buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t start = out->len;
	int rc;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char e[3] = { '%', hex[c >> 4], hex[c & 15] };

		rc = unreserved(c) ? buf_addc(out, (char)c) : buf_add(out, e, 3);
		if (rc < 0) {
			out->len = start;
			if (out->data)
				out->data[start] = '\0';
			return -1;
		}
	}
	return 0;
}
