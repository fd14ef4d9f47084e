#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ini.h"
#include "log.h"

/* Room for a reason that quotes a whole line. */
#define WHY_MAX			(2 * INI_MAX_LINE)

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static char *
trim(char *s)
{
	char *end;

	while (is_space(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_space(end[-1]))
		end--;
	*end = '\0';
	return s;
}

static bool
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * Appends path to out collapsing "." and ".." lexically: the base directory
 * comes from realpath(), and the target may not exist yet (var/), so
 * realpath() cannot be used on the result.
 */
static int
add_normalized(struct buf *out, const char *path)
{
	const char *p = path, *seg;
	size_t n;

	while (*p) {
		while (*p == '/')
			p++;
		seg = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			/* drop the last segment; ".." at the root stays there */
			while (out->len > 0 && out->data[out->len - 1] != '/')
				out->len--;
			if (out->len > 0)
				out->data[--out->len] = '\0';
			continue;
		}
		if (buf_addc(out, '/') < 0 || buf_add(out, seg, n) < 0)
			return -1;
	}
	return 0;
}

/* An absolute, normalized path; value is resolved against basedir. */
static int
resolve_path(const char *basedir, const char *value, char **out)
{
	struct buf b;
	int rc = -1;

	buf_init(&b, PATH_MAX);
	if (value[0] != '/' && add_normalized(&b, basedir) < 0)
		goto out;
	if (add_normalized(&b, value) < 0)
		goto out;
	if (b.len == 0 && buf_addc(&b, '/') < 0)
		goto out;
	*out = buf_detach(&b, NULL);
	rc = 0;
out:
	buf_release(&b);
	return rc;
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

/* Decodes %XX in place; file:// URLs may escape spaces and the like. */
static int
percent_decode(char *s)
{
	char *w = s;
	int hi, lo;

	for (; *s; s++) {
		if (*s != '%') {
			*w++ = *s;
			continue;
		}
		hi = hexval(s[1]);
		lo = hi < 0 ? -1 : hexval(s[2]);
		if (lo < 0 || (hi == 0 && lo == 0))
			return -1;
		*w++ = (char)(hi * 16 + lo);
		s += 2;
	}
	*w = '\0';
	return 0;
}

static bool
is_http_url(const char *s)
{
	const char *host;

	if (has_prefix(s, "https://"))
		host = s + 8;
	else if (has_prefix(s, "http://"))
		host = s + 7;
	else
		return false;
	if (*host == '\0' || *host == '/')
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

/* "ftp://x" has a scheme; "dir/a:b" and "a:b" do not. */
static bool
has_url_scheme(const char *s)
{
	const char *p = s;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return false;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	return has_prefix(p, "://");
}

struct unit {
	char suffix;
	long factor;
};

/* How a numeric type is written, and how its errors read. */
struct number_form {
	const struct unit *units;	/* ended by { 0, 0 } */
	bool negative;			/* a leading '-' is allowed */
	const char *what;		/* "'value' is not <what>" */
	const char *unit;		/* after the range */
};

static const struct unit no_units[] = { { 0, 0 } };
static const struct unit duration_units[] = {
	{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 0, 0 }
};
static const struct unit amount_units[] = {
	{ 'k', 1000 }, { 'M', 1000000 }, { 0, 0 }
};

static const struct number_form int_form = {
	no_units, true, "an integer", ""
};
static const struct number_form duration_form = {
	duration_units, false,
	"a duration (seconds, or a number with suffix s, m, h or d)",
	" seconds"
};
static const struct number_form amount_form = {
	amount_units, false,
	"an amount (kronor, or a number with suffix k or M)", " SEK"
};

/* 0 ok, -1 not written as form says, 1 too large for a long. */
static int
parse_number(const char *s, const struct number_form *form, long *out)
{
	const struct unit *u = form->units;
	char *end;
	long v, factor = 1;

	if (!((*s >= '0' && *s <= '9') || (form->negative && *s == '-')))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s)
		return -1;
	if (*end) {
		while (u->suffix && u->suffix != *end)
			u++;
		if (!u->suffix || end[1] != '\0')
			return -1;
		factor = u->factor;
	}
	if (errno == ERANGE || v > LONG_MAX / factor)
		return 1;
	*out = v * factor;
	return 0;
}

/* A number of k's type within its range. */
static int
parse_in_range(const struct ini_key *k, const char *value, long *out,
	       struct buf *why)
{
	const struct number_form *form = k->type == INI_DURATION ?
		&duration_form : k->type == INI_AMOUNT ? &amount_form :
		&int_form;
	long v = 0;
	int r;

	r = parse_number(value, form, &v);
	if (r < 0) {
		buf_printf(why, "'%s' is not %s", value, form->what);
		return -1;
	}
	if (r > 0 || v < k->min || v > k->max) {
		buf_printf(why, "%s is out of range %ld..%ld%s", value, k->min,
			   k->max, form->unit);
		return -1;
	}
	*out = v;
	return 0;
}

static int
set_string(char **field, const char *value)
{
	char *copy = strdup(value);

	if (!copy)
		return -1;
	free(*field);
	*field = copy;
	return 0;
}

static void
free_list(char **list)
{
	size_t i;

	for (i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}

static size_t
count_words(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (!is_space(*s) && (s[1] == '\0' || is_space(s[1])))
			n++;
	return n;
}

static int
set_list(char ***field, const char *value, size_t nwords)
{
	char **list = calloc(nwords + 1, sizeof(*list));
	const char *p = value, *word;
	size_t i;

	if (!list)
		return -1;
	for (i = 0; i < nwords; i++) {
		while (is_space(*p))
			p++;
		word = p;
		while (*p && !is_space(*p))
			p++;
		list[i] = strndup(word, (size_t)(p - word));
		if (!list[i]) {
			free_list(list);
			return -1;
		}
	}
	free_list(*field);
	*field = list;
	return 0;
}

/* basedir NULL keeps a relative path as it is. */
static int
set_path(char **field, const char *value, const char *basedir,
	 struct buf *why)
{
	char *resolved = NULL;
	int rc = 0;

	if (value[0] == '\0') {
		buf_adds(why, "empty path");
		return -1;
	}
	if (basedir)
		rc = resolve_path(basedir, value, &resolved);
	if (rc == 0)
		rc = set_string(field, resolved ? resolved : value);
	if (rc < 0)
		buf_adds(why, "out of memory");
	free(resolved);
	return rc;
}

static int
set_location(char **field, const char *value, const char *basedir,
	     struct buf *why)
{
	char *copy = NULL;
	int rc = -1;

	if (has_prefix(value, "http://") || has_prefix(value, "https://")) {
		if (!is_http_url(value)) {
			buf_printf(why, "'%s' is not a valid http(s) URL", value);
			goto out;
		}
		if (set_string(field, value) < 0)
			goto nomem;
		rc = 0;
		goto out;
	}
	if (has_prefix(value, "file://")) {
		copy = strdup(value + 7);
		if (!copy)
			goto nomem;
		if (copy[0] != '/' || percent_decode(copy) < 0) {
			buf_printf(why, "'%s' is not a file:///absolute/path URL",
				   value);
			goto out;
		}
		value = copy;
	} else if (has_url_scheme(value)) {
		buf_printf(why, "unsupported URL '%s'; use a path, file://, "
			   "http:// or https://", value);
		goto out;
	}
	rc = set_path(field, value, basedir, why);
	goto out;
nomem:
	buf_adds(why, "out of memory");
out:
	free(copy);
	return rc;
}

/*
 * Stores value into the field k describes. basedir is NULL only for
 * built-in defaults, whose paths stay relative until a file gives them a
 * directory. On error the field is left as it was and why says what is
 * wrong with the value.
 */
static int
set_value(const struct ini_key *k, void *base, const char *value,
	  const char *basedir, struct buf *why)
{
	void *field = (char *)base + k->offset;
	char **str = field;
	size_t i, nwords;
	long v;

	switch (k->type) {
	case INI_STRING:
		if (value[0] == '\0') {
			if (!k->empty_unsets) {
				buf_adds(why, "empty value");
				return -1;
			}
			free(*str);
			*str = NULL;
			return 0;
		}
		if (set_string(str, value) < 0)
			goto nomem;
		break;
	case INI_LIST:
		nwords = count_words(value);
		if (nwords == 0) {
			if (!k->empty_unsets) {
				buf_adds(why, "empty value");
				return -1;
			}
			free_list(*(char ***)field);
			*(char ***)field = NULL;
			return 0;
		}
		if (set_list(field, value, nwords) < 0)
			goto nomem;
		break;
	case INI_PATH:
	case INI_URL:
		if (value[0] == '\0' && k->empty_unsets) {
			free(*str);
			*str = NULL;
			return 0;
		}
		if (k->type == INI_PATH)
			return set_path(str, value, basedir, why);
		if (!is_http_url(value)) {
			buf_printf(why, "'%s' is not an http:// or https:// URL",
				   value);
			return -1;
		}
		if (set_string(str, value) < 0)
			goto nomem;
		break;
	case INI_LOCATION:
		return set_location(str, value, basedir, why);
	case INI_INT:
	case INI_DURATION:
	case INI_AMOUNT:
		if (parse_in_range(k, value, &v, why) < 0)
			return -1;
		if (k->type == INI_AMOUNT)
			*(double *)field = (double)v;
		else
			*(long *)field = v;
		break;
	case INI_ENUM:
		for (i = 0; k->allowed[i]; i++) {
			if (strcmp(k->allowed[i], value) == 0) {
				*(int *)field = (int)i;
				return 0;
			}
		}
		buf_printf(why, "unknown value '%s', expected one of:", value);
		for (i = 0; k->allowed[i]; i++)
			buf_printf(why, "%s %s", i ? "," : "", k->allowed[i]);
		return -1;
	}
	return 0;
nomem:
	buf_adds(why, "out of memory");
	return -1;
}

void
ini_free_fields(const struct ini_key *keys, size_t nkeys, void *base)
{
	void *field;
	size_t i;

	for (i = 0; i < nkeys; i++) {
		field = (char *)base + keys[i].offset;
		switch (keys[i].type) {
		case INI_STRING:
		case INI_PATH:
		case INI_URL:
		case INI_LOCATION:
			free(*(char **)field);
			break;
		case INI_LIST:
			free_list(*(char ***)field);
			break;
		case INI_INT:
		case INI_ENUM:
		case INI_DURATION:
		case INI_AMOUNT:
			break;
		}
	}
}

/* A bad default is a bug, reported like a file error. */
int
ini_defaults(const struct ini_key *keys, size_t nkeys, void *base,
	     const char *basedir)
{
	struct buf why;
	size_t i;
	int rc = 0;

	buf_init(&why, WHY_MAX);
	for (i = 0; i < nkeys; i++) {
		if (!keys[i].def)
			continue;
		if (set_value(&keys[i], base, keys[i].def, basedir, &why) < 0) {
			rc = error("default of %s: %s", keys[i].key,
				   buf_str(&why));
			break;
		}
	}
	buf_release(&why);
	return rc;
}

int
ini_section_start(const struct ini_table *t, void *base)
{
	memset(t->seen, 0, t->nkeys * sizeof(*t->seen));
	return ini_defaults(t->keys, t->nkeys, base, t->basedir);
}

int
ini_set(const struct ini_table *t, size_t line, const char *section,
	const char *key, const char *value, void *base)
{
	const struct ini_key *k;
	struct buf why;
	size_t i;
	int rc = -1;

	for (i = 0; i < t->nkeys; i++) {
		k = &t->keys[i];
		if ((!k->section || strcmp(k->section, section) == 0) &&
		    strcmp(k->key, key) == 0)
			break;
	}
	if (i == t->nkeys)
		return error("%s:%zu: unknown key '%s' in section [%s]",
			     t->file, line, key, section);
	if (t->seen[i].line)
		return error("%s:%zu: duplicate key '%s' in section [%s] "
			     "(first set on line %zu)", t->file, line, key,
			     section, t->seen[i].line);
	t->seen[i].line = line;
	buf_init(&why, WHY_MAX);
	if (set_value(&t->keys[i], base, value, t->basedir, &why) < 0) {
		t->seen[i].bad = true;
		error("%s:%zu: [%s] %s: %s", t->file, line, section, key,
		      buf_str(&why));
		goto out;
	}
	rc = 0;
out:
	buf_release(&why);
	return rc;
}

int
ini_check_required(const struct ini_table *t, size_t line,
		   const char *section)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < t->nkeys; i++)
		if (!t->keys[i].def && !t->seen[i].line)
			rc = error("%s:%zu: [%s] missing key '%s'", t->file,
				   line, section, t->keys[i].key);
	return rc;
}

int
ini_read(const char *path, struct buf *text)
{
	char chunk[8192];
	FILE *f;
	size_t n;
	int rc = -1;

	f = fopen(path, "r");
	if (!f)
		return error("%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (text->len + n > text->max) {
			error("%s: larger than %zu bytes", path, text->max);
			goto out;
		}
		if (buf_add(text, chunk, n) < 0) {
			error("%s: out of memory", path);
			goto out;
		}
	}
	if (ferror(f)) {
		error("%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	fclose(f);
	return rc;
}

/*
 * Keys after a section header that was rejected are skipped: the header's
 * error was reported, and reporting each key again would be noise.
 */
enum section_state {
	SECTION_NONE,
	SECTION_OK,
	SECTION_BAD
};

/* Strips the quotes of a "..." value in place, handling \" and \\. */
static int
unquote(const char *file, size_t lineno, char *value)
{
	char *r = value + 1, *w = value;

	for (; *r && *r != '"'; r++) {
		if (*r == '\\') {
			r++;
			if (*r != '"' && *r != '\\')
				return error("%s:%zu: unknown escape in quoted "
					     "value (only \\\" and \\\\)",
					     file, lineno);
		}
		*w++ = *r;
	}
	if (*r != '"')
		return error("%s:%zu: unterminated quoted value", file, lineno);
	for (r++; is_space(*r); r++)
		;
	if (*r)
		return error("%s:%zu: unexpected text after quoted value",
			     file, lineno);
	*w = '\0';
	return 0;
}

static int
parse_line(const char *file, size_t lineno, char *line,
	   enum section_state *state, const struct ini_handler *h, void *ctx)
{
	char *s = trim(line), *eq, *key, *value, *close;

	if (*s == '\0' || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		*state = SECTION_BAD;
		close = strchr(s, ']');
		if (!close || close[1] != '\0')
			return error("%s:%zu: expected ']' at the end of the "
				     "section header", file, lineno);
		*close = '\0';
		s = trim(s + 1);
		if (*s == '\0')
			return error("%s:%zu: empty section name", file, lineno);
		if (h->section(ctx, s, lineno) < 0)
			return -1;
		*state = SECTION_OK;
		return 0;
	}
	eq = strchr(s, '=');
	if (!eq)
		return error("%s:%zu: expected '[section]', 'key = value' or a "
			     "comment", file, lineno);
	*eq = '\0';
	key = trim(s);
	value = trim(eq + 1);
	if (*key == '\0')
		return error("%s:%zu: missing key before '='", file, lineno);
	if (*value == '"') {
		if (unquote(file, lineno, value) < 0)
			return -1;
	} else if (*value == '#' || strstr(value, " #") ||
		   strstr(value, "\t#")) {
		/* Comments only start lines; a silently cut value is worse. */
		return error("%s:%zu: '#' in a value does not start a comment; "
			     "quote the value or put the comment on its own "
			     "line", file, lineno);
	}
	if (*state == SECTION_NONE)
		return error("%s:%zu: key '%s' is outside any section", file,
			     lineno, key);
	if (*state == SECTION_BAD)
		return 0;
	return h->key(ctx, key, value, lineno);
}

int
ini_parse(const char *file, const char *text, size_t len,
	  const struct ini_handler *h, void *ctx)
{
	char line[INI_MAX_LINE + 1];
	const char *p = text, *end = text + len, *nl;
	enum section_state state = SECTION_NONE;
	size_t lineno = 0, n, i;
	int rc = 0;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl ? nl : end) - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > INI_MAX_LINE) {
			rc = error("%s:%zu: line is longer than %d bytes",
				   file, lineno, INI_MAX_LINE);
			goto next;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)line[i];

			if ((c < ' ' && c != '\t') || c == 0x7f)
				break;
		}
		if (i < n) {
			/* A stray CR or NUL could end up inside a mail header. */
			rc = error("%s:%zu: control character in line", file,
				   lineno);
			goto next;
		}
		if (parse_line(file, lineno, line, &state, h, ctx) < 0)
			rc = -1;
next:
		p = nl ? nl + 1 : end;
	}
	return rc;
}

static const char *const type_names[] = {
	[INI_STRING] = "string",
	[INI_PATH] = "path",
	[INI_URL] = "url",
	[INI_INT] = "int",
	[INI_ENUM] = "enum",
	[INI_DURATION] = "duration",
	[INI_LOCATION] = "location",
	[INI_AMOUNT] = "amount",
	[INI_LIST] = "list",
};

static void
format_default(const struct ini_key *k, struct buf *out)
{
	if (!k->def)
		buf_adds(out, "(required)");
	else if (k->type == INI_STRING)
		buf_printf(out, "\"%s\"", k->def);
	else
		buf_adds(out, k->def);
}

static void
format_range(const struct ini_key *k, struct buf *out)
{
	size_t i;

	switch (k->type) {
	case INI_INT:
		buf_printf(out, "%ld..%ld", k->min, k->max);
		break;
	case INI_DURATION:
		buf_printf(out, "%ld..%ld s", k->min, k->max);
		break;
	case INI_AMOUNT:
		buf_printf(out, "%ld..%ld SEK", k->min, k->max);
		break;
	case INI_ENUM:
		for (i = 0; k->allowed[i]; i++)
			buf_printf(out, "%s%s", i ? "|" : "", k->allowed[i]);
		break;
	case INI_STRING:
	case INI_PATH:
	case INI_URL:
	case INI_LOCATION:
	case INI_LIST:
		buf_adds(out, "-");
		break;
	}
}

static void
widen(int *width, size_t len)
{
	if (len > (size_t)*width)
		*width = (int)len;
}

void
ini_print_keys(const struct ini_row *rows, size_t n)
{
	struct buf def, range;
	/* at least as wide as the header words */
	int w[5] = { 7, 3, 4, 7, 5 };
	size_t i;

	buf_init(&def, WHY_MAX);
	buf_init(&range, WHY_MAX);
	for (i = 0; i < n; i++) {
		buf_reset(&def);
		buf_reset(&range);
		format_default(rows[i].key, &def);
		format_range(rows[i].key, &range);
		widen(&w[0], strlen(rows[i].section));
		widen(&w[1], strlen(rows[i].key->key));
		widen(&w[2], strlen(type_names[rows[i].key->type]));
		widen(&w[3], def.len);
		widen(&w[4], range.len);
	}
	printf("%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", w[0], "SECTION", w[1],
	       "KEY", w[2], "TYPE", w[3], "DEFAULT", w[4], "RANGE", "HELP");
	for (i = 0; i < n; i++) {
		buf_reset(&def);
		buf_reset(&range);
		format_default(rows[i].key, &def);
		format_range(rows[i].key, &range);
		printf("%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", w[0],
		       rows[i].section, w[1], rows[i].key->key, w[2],
		       type_names[rows[i].key->type], w[3], buf_str(&def), w[4],
		       buf_str(&range), rows[i].key->help);
	}
	buf_release(&def);
	buf_release(&range);
}
