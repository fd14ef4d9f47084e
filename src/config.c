#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "log.h"

#define CONFIG_MAX_FILE		(1024u * 1024u)
#define CONFIG_MAX_LINE		4096
#define FEED_NAME_MAX		64
/* Far more than any municipality polls; bounds the feeds array. */
#define FEEDS_MAX		1000
/* Room for a reason that quotes a whole line. */
#define WHY_MAX			(2 * CONFIG_MAX_LINE)

/* Enum fields are written through an int pointer by the generic setter. */
_Static_assert(sizeof(enum mail_transport) == sizeof(int),
	       "enum mail_transport must be int-sized");
_Static_assert(sizeof(enum feed_kind) == sizeof(int),
	       "enum feed_kind must be int-sized");

enum key_type {
	KEY_STRING,
	KEY_PATH,	/* relative values resolve against the file's directory */
	KEY_URL,	/* http:// or https:// */
	KEY_INT,
	KEY_ENUM,	/* allowed[i] names the value i */
	KEY_DURATION,	/* seconds; suffix s, m, h or d */
	KEY_LOCATION	/* a path, file:// URL or http(s):// URL */
};

struct key_def {
	const char *section;	/* NULL in the feed table: any feed name */
	const char *key;
	enum key_type type;
	const char *def;	/* parsed like a file value; NULL: required */
	bool empty_unsets;	/* an empty value stores NULL */
	long min, max;
	const char *const *allowed;
	size_t offset;
	const char *help;
};

static const char *const transports[] = { "maildir", NULL };
static const char *const feed_kinds[] = { "eforms", "ted", "rss", "atom", NULL };

#define CFG(field) offsetof(struct config, field)
#define FEED(field) offsetof(struct feed_config, field)

static const struct key_def config_keys[] = {
	{ "database", "path", KEY_PATH, "../var/tenderlots.db", false, 0, 0,
	  NULL, CFG(db_path), "SQLite database file" },
	{ "service", "name", KEY_STRING, "Exempelkommun", false, 0, 0,
	  NULL, CFG(service_name), "organisation name shown in mails" },
	{ "service", "public_url", KEY_URL,
	  "https://upphandling.exempelkommun.se", false, 0, 0,
	  NULL, CFG(public_url), "base URL of the public pages" },
	{ "service", "timezone", KEY_STRING, "Europe/Stockholm", false, 0, 0,
	  NULL, CFG(timezone), "time zone for times shown to people" },
	{ "mail", "transport", KEY_ENUM, "maildir", false, 0, 0,
	  transports, CFG(transport), "how mails leave the daemon" },
	{ "mail", "maildir", KEY_PATH, "../var/mail", false, 0, 0,
	  NULL, CFG(maildir), "Maildir that receives outgoing mails" },
	{ "mail", "from", KEY_STRING,
	  "Exempelkommun upphandlingsbevakning <bevakning@exempelkommun.se>",
	  false, 0, 0, NULL, CFG(mail_from), "From: header, \"Name <addr>\"" },
	{ "mail", "reply_to", KEY_STRING,
	  "Upphandlingsenheten <upphandling@exempelkommun.se>", true, 0, 0,
	  NULL, CFG(reply_to), "Reply-To: header; empty for none" },
	{ "mail", "max_lots_per_mail", KEY_INT, "20", false, 1, 100,
	  NULL, CFG(max_lots_per_mail), "most lots listed in one mail" },
	{ "fetch", "timeout", KEY_DURATION, "30", false, 1, 3600,
	  NULL, CFG(fetch_timeout), "give up on a download after this long" },
	{ "fetch", "connect_timeout", KEY_DURATION, "10", false, 1, 600,
	  NULL, CFG(fetch_connect_timeout), "give up connecting after this long" },
	{ "fetch", "max_bytes", KEY_INT, "16777216", false, 1024, 1073741824,
	  NULL, CFG(fetch_max_bytes), "largest notice document accepted" },
	{ "fetch", "max_backoff", KEY_DURATION, "21600", false, 60, 604800,
	  NULL, CFG(fetch_max_backoff),
	  "longest wait before polling a failing feed again" },
	{ "feeds", "file", KEY_PATH, "feeds.conf", false, 0, 0,
	  NULL, CFG(feeds_path), "file with one section per feed" },
};

static const struct key_def feed_keys[] = {
	{ NULL, "kind", KEY_ENUM, NULL, false, 0, 0,
	  feed_kinds, FEED(kind), "format of the feed's documents" },
	{ NULL, "url", KEY_LOCATION, NULL, false, 0, 0,
	  NULL, FEED(url), "directory or file path, file:// or http(s):// URL" },
	{ NULL, "interval", KEY_DURATION, "3600", false, 60, 604800,
	  NULL, FEED(interval), "time between polls" },
	{ NULL, "query", KEY_STRING, "", true, 0, 0,
	  NULL, FEED(query), "ted: expert search query (required for ted)" },
	{ NULL, "page_size", KEY_INT, "100", false, 1, 250,
	  NULL, FEED(page_size), "ted: notices per search page" },
	{ NULL, "max_pages", KEY_INT, "20", false, 1, 1000,
	  NULL, FEED(max_pages), "ted: search pages read per poll" },
	{ NULL, "notice_url", KEY_STRING,
	  "https://ted.europa.eu/en/notice/{id}/xml", false, 0, 0,
	  NULL, FEED(notice_url),
	  "ted: a notice's XML, {id} = publication number" },
};

#define NKEYS (sizeof(config_keys) / sizeof(config_keys[0]))
#define NFEEDKEYS (sizeof(feed_keys) / sizeof(feed_keys[0]))

static const char *const type_names[] = {
	[KEY_STRING] = "string",
	[KEY_PATH] = "path",
	[KEY_URL] = "url",
	[KEY_INT] = "int",
	[KEY_ENUM] = "enum",
	[KEY_DURATION] = "duration",
	[KEY_LOCATION] = "location",
};

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

static int
parse_long(const char *s, long *out)
{
	char *end;
	long v;

	if (!((*s >= '0' && *s <= '9') || *s == '-'))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0')
		return -1;
	if (errno == ERANGE)
		return 1;
	*out = v;
	return 0;
}

/* 0 ok, -1 not a duration, 1 too large for a long. */
static int
parse_duration(const char *s, long *out)
{
	char *end;
	long v, unit = 1;

	if (!(*s >= '0' && *s <= '9'))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s)
		return -1;
	if (*end) {
		switch (*end) {
		case 's': unit = 1; break;
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		default: return -1;
		}
		if (end[1] != '\0')
			return -1;
	}
	if (errno == ERANGE || v > LONG_MAX / unit)
		return 1;
	*out = v * unit;
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

static int
set_location(char **field, const char *value, const char *basedir,
	     struct buf *why)
{
	char *copy = NULL, *resolved = NULL;
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
	if (value[0] == '\0') {
		buf_adds(why, "empty path");
		goto out;
	}
	if (basedir && resolve_path(basedir, value, &resolved) < 0)
		goto nomem;
	if (set_string(field, resolved ? resolved : value) < 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	buf_adds(why, "out of memory");
out:
	free(copy);
	free(resolved);
	return rc;
}

/*
 * Stores value into the field k describes. basedir is NULL only for the
 * built-in defaults of config_new(), whose paths stay relative until a
 * file gives them a directory. On error the field is left as it was and
 * why says what is wrong with the value.
 */
static int
set_value(const struct key_def *k, void *base, const char *value,
	  const char *basedir, struct buf *why)
{
	void *field = (char *)base + k->offset;
	char **str = field;
	char *resolved = NULL;
	long v = 0;
	int rc = -1, r;
	size_t i;

	switch (k->type) {
	case KEY_STRING:
		if (value[0] == '\0') {
			if (!k->empty_unsets) {
				buf_adds(why, "empty value");
				goto out;
			}
			free(*str);
			*str = NULL;
			rc = 0;
			goto out;
		}
		if (set_string(str, value) < 0)
			goto nomem;
		break;
	case KEY_PATH:
		if (value[0] == '\0') {
			buf_adds(why, "empty path");
			goto out;
		}
		if (basedir && resolve_path(basedir, value, &resolved) < 0)
			goto nomem;
		if (set_string(str, resolved ? resolved : value) < 0)
			goto nomem;
		break;
	case KEY_URL:
		if (!is_http_url(value)) {
			buf_printf(why, "'%s' is not an http:// or https:// URL",
				   value);
			goto out;
		}
		if (set_string(str, value) < 0)
			goto nomem;
		break;
	case KEY_LOCATION:
		return set_location(str, value, basedir, why);
	case KEY_INT:
	case KEY_DURATION:
		r = k->type == KEY_INT ? parse_long(value, &v)
				       : parse_duration(value, &v);
		if (r < 0) {
			if (k->type == KEY_INT)
				buf_printf(why, "'%s' is not an integer", value);
			else
				buf_printf(why, "'%s' is not a duration "
					   "(seconds, or a number with suffix "
					   "s, m, h or d)", value);
			goto out;
		}
		if (r > 0 || v < k->min || v > k->max) {
			buf_printf(why, "%s is out of range %ld..%ld%s", value,
				   k->min, k->max,
				   k->type == KEY_DURATION ? " seconds" : "");
			goto out;
		}
		*(long *)field = v;
		break;
	case KEY_ENUM:
		for (i = 0; k->allowed[i]; i++) {
			if (strcmp(k->allowed[i], value) == 0) {
				*(int *)field = (int)i;
				rc = 0;
				goto out;
			}
		}
		buf_printf(why, "unknown value '%s', expected one of:", value);
		for (i = 0; k->allowed[i]; i++)
			buf_printf(why, "%s %s", i ? "," : "", k->allowed[i]);
		goto out;
	}
	rc = 0;
	goto out;
nomem:
	buf_adds(why, "out of memory");
out:
	free(resolved);
	return rc;
}

static void
free_fields(const struct key_def *keys, size_t nkeys, void *base)
{
	size_t i;

	for (i = 0; i < nkeys; i++) {
		switch (keys[i].type) {
		case KEY_STRING:
		case KEY_PATH:
		case KEY_URL:
		case KEY_LOCATION:
			free(*(char **)((char *)base + keys[i].offset));
			break;
		case KEY_INT:
		case KEY_ENUM:
		case KEY_DURATION:
			break;
		}
	}
}

/* Applies every default that is not required; a bad default is a bug. */
static int
set_defaults(const struct key_def *keys, size_t nkeys, void *base,
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

struct config *
config_new(void)
{
	struct config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return NULL;
	if (set_defaults(config_keys, NKEYS, cfg, NULL) < 0) {
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

static void
free_feeds(struct feed_config *feeds, size_t nfeeds)
{
	size_t i;

	for (i = 0; i < nfeeds; i++) {
		free(feeds[i].name);
		free_fields(feed_keys, NFEEDKEYS, &feeds[i]);
	}
	free(feeds);
}

void
config_free(struct config *cfg)
{
	if (!cfg)
		return;
	free(cfg->path);
	free_fields(config_keys, NKEYS, cfg);
	free_feeds(cfg->feeds, cfg->nfeeds);
	free(cfg);
}

static int
read_file(const char *path, struct buf *out)
{
	char chunk[8192];
	FILE *f;
	size_t n;
	int rc = -1;

	f = fopen(path, "r");
	if (!f)
		return error("%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (out->len + n > out->max) {
			error("%s: larger than %zu bytes", path, out->max);
			goto out;
		}
		if (buf_add(out, chunk, n) < 0) {
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

/* The directory of path with symlinks resolved, for relative values. */
static int
file_dir(const char *path, char **out)
{
	char *real = realpath(path, NULL), *slash;

	if (!real)
		return error("%s: %s", path, strerror(errno));
	slash = strrchr(real, '/');
	if (slash == real)
		slash[1] = '\0';
	else
		*slash = '\0';
	*out = real;
	return 0;
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

struct ini_handler {
	/* Both report their own errors and return -1 on one. */
	int (*section)(void *ctx, const char *name, size_t line);
	int (*key)(void *ctx, const char *key, const char *value, size_t line);
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

/*
 * Walks the INI text line by line. Every error is reported and parsing
 * goes on, so one run shows all mistakes in the file.
 */
static int
ini_parse(const char *file, const char *text, size_t len,
	  const struct ini_handler *h, void *ctx)
{
	char line[CONFIG_MAX_LINE + 1];
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
		if (n > CONFIG_MAX_LINE) {
			rc = error("%s:%zu: line is longer than %d bytes",
				   file, lineno, CONFIG_MAX_LINE);
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

struct main_ctx {
	const char *file;
	const char *basedir;
	struct config *cfg;
	const char *section;
	size_t set_line[NKEYS];		/* 0: not set in the file */
	bool bad[NKEYS];
	size_t section_line[NKEYS];	/* by first key of the section */
};

static int
main_section(void *vctx, const char *name, size_t line)
{
	struct main_ctx *ctx = vctx;
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(config_keys[i].section, name) == 0)
			break;
	if (i == NKEYS)
		return error("%s:%zu: unknown section [%s]", ctx->file, line,
			     name);
	if (ctx->section_line[i])
		return error("%s:%zu: duplicate section [%s] (first on line "
			     "%zu)", ctx->file, line, name,
			     ctx->section_line[i]);
	ctx->section_line[i] = line;
	ctx->section = config_keys[i].section;
	return 0;
}

static int
main_key(void *vctx, const char *key, const char *value, size_t line)
{
	struct main_ctx *ctx = vctx;
	const struct key_def *k;
	struct buf why;
	size_t i;
	int rc = -1;

	for (i = 0; i < NKEYS; i++) {
		k = &config_keys[i];
		if (strcmp(k->section, ctx->section) == 0 &&
		    strcmp(k->key, key) == 0)
			break;
	}
	if (i == NKEYS)
		return error("%s:%zu: unknown key '%s' in section [%s]",
			     ctx->file, line, key, ctx->section);
	if (ctx->set_line[i])
		return error("%s:%zu: duplicate key '%s' in section [%s] "
			     "(first set on line %zu)", ctx->file, line, key,
			     ctx->section, ctx->set_line[i]);
	ctx->set_line[i] = line;
	buf_init(&why, WHY_MAX);
	if (set_value(k, ctx->cfg, value, ctx->basedir, &why) < 0) {
		ctx->bad[i] = true;
		error("%s:%zu: [%s] %s: %s", ctx->file, line, k->section,
		      k->key, buf_str(&why));
		goto out;
	}
	rc = 0;
out:
	buf_release(&why);
	return rc;
}

struct feeds_ctx {
	const char *file;
	const char *basedir;
	struct config *cfg;
	bool in_feed;			/* the last feed awaits feed_finish() */
	bool incomplete;		/* a feed lacked a required key */
	size_t feed_line;
	size_t set_line[NFEEDKEYS];
};

static bool
valid_feed_name(const char *name)
{
	size_t n = 0;

	for (; name[n]; n++) {
		char c = name[n];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return n > 0 && n <= FEED_NAME_MAX;
}

/*
 * Checks the required keys of the feed being read, once it is complete.
 * This happens at the next section header, which itself may be fine, so
 * the failure is kept in ctx rather than returned for that header.
 */
static bool
is_remote(const char *url)
{
	return has_prefix(url, "http://") || has_prefix(url, "https://");
}

/* The keys that only make sense together with a kind. */
static int
check_feed_kind(struct feeds_ctx *ctx)
{
	const struct feed_config *f = &ctx->cfg->feeds[ctx->cfg->nfeeds - 1];
	const char *id;

	if (f->kind != FEED_TED) {
		if (f->query)
			return error("%s:%zu: [%s] query: only a ted feed has a "
				     "query", ctx->file, ctx->feed_line, f->name);
		return 0;
	}
	if (!is_remote(f->url))
		return error("%s:%zu: [%s] url: a ted feed needs the API's "
			     "http(s) base URL", ctx->file, ctx->feed_line, f->name);
	if (!f->query)
		return error("%s:%zu: [%s] missing key 'query'", ctx->file,
			     ctx->feed_line, f->name);
	id = strstr(f->notice_url, "{id}");
	if (!is_remote(f->notice_url) || !id || strstr(id + 4, "{id}"))
		return error("%s:%zu: [%s] notice_url: '%s' must be an http(s) "
			     "URL with one {id}", ctx->file, ctx->feed_line,
			     f->name, f->notice_url);
	return 0;
}

static void
feed_finish(struct feeds_ctx *ctx)
{
	bool missing = false;
	size_t i;

	if (!ctx->in_feed)
		return;
	for (i = 0; i < NFEEDKEYS; i++) {
		if (!feed_keys[i].def && !ctx->set_line[i]) {
			missing = true;
			error("%s:%zu: [%s] missing key '%s'", ctx->file,
			      ctx->feed_line,
			      ctx->cfg->feeds[ctx->cfg->nfeeds - 1].name,
			      feed_keys[i].key);
		}
	}
	if (missing || check_feed_kind(ctx) < 0)
		ctx->incomplete = true;
	ctx->in_feed = false;
}

static int
feed_section(void *vctx, const char *name, size_t line)
{
	struct feeds_ctx *ctx = vctx;
	struct config *cfg = ctx->cfg;
	struct feed_config *feeds, *f;
	size_t i;

	feed_finish(ctx);
	if (!valid_feed_name(name))
		return error("%s:%zu: invalid feed name [%s] (letters, digits, "
			     "'-' and '_', at most %d)", ctx->file, line, name,
			     FEED_NAME_MAX);
	for (i = 0; i < cfg->nfeeds; i++)
		if (strcmp(cfg->feeds[i].name, name) == 0)
			return error("%s:%zu: duplicate feed [%s]", ctx->file,
				     line, name);
	if (cfg->nfeeds == FEEDS_MAX)
		return error("%s:%zu: more than %d feeds", ctx->file, line,
			     FEEDS_MAX);
	feeds = realloc(cfg->feeds, (cfg->nfeeds + 1) * sizeof(*feeds));
	if (!feeds)
		return error("%s:%zu: out of memory", ctx->file, line);
	cfg->feeds = feeds;
	f = &feeds[cfg->nfeeds];
	memset(f, 0, sizeof(*f));
	f->name = strdup(name);
	if (!f->name)
		return error("%s:%zu: out of memory", ctx->file, line);
	cfg->nfeeds++;
	if (set_defaults(feed_keys, NFEEDKEYS, f, ctx->basedir) < 0)
		return -1;
	ctx->in_feed = true;
	ctx->feed_line = line;
	memset(ctx->set_line, 0, sizeof(ctx->set_line));
	return 0;
}

static int
feed_key(void *vctx, const char *key, const char *value, size_t line)
{
	struct feeds_ctx *ctx = vctx;
	struct feed_config *f;
	struct buf why;
	size_t i;
	int rc = -1;

	f = &ctx->cfg->feeds[ctx->cfg->nfeeds - 1];
	for (i = 0; i < NFEEDKEYS; i++)
		if (strcmp(feed_keys[i].key, key) == 0)
			break;
	if (i == NFEEDKEYS)
		return error("%s:%zu: unknown key '%s' in section [%s]",
			     ctx->file, line, key, f->name);
	if (ctx->set_line[i])
		return error("%s:%zu: duplicate key '%s' in section [%s] "
			     "(first set on line %zu)", ctx->file, line, key,
			     f->name, ctx->set_line[i]);
	ctx->set_line[i] = line;
	buf_init(&why, WHY_MAX);
	if (set_value(&feed_keys[i], f, value, ctx->basedir, &why) < 0) {
		error("%s:%zu: [%s] %s: %s", ctx->file, line, f->name, key,
		      buf_str(&why));
		goto out;
	}
	rc = 0;
out:
	buf_release(&why);
	return rc;
}

static int
load_feeds(struct config *cfg)
{
	static const struct ini_handler handler = { feed_section, feed_key };
	struct feeds_ctx ctx = { 0 };
	struct buf text;
	char *dir = NULL;
	int rc = -1;

	buf_init(&text, CONFIG_MAX_FILE);
	if (read_file(cfg->feeds_path, &text) < 0 ||
	    file_dir(cfg->feeds_path, &dir) < 0)
		goto out;
	ctx.file = cfg->feeds_path;
	ctx.basedir = dir;
	ctx.cfg = cfg;
	rc = ini_parse(ctx.file, buf_str(&text), text.len, &handler, &ctx);
	feed_finish(&ctx);
	if (ctx.incomplete)
		rc = -1;
	if (rc == 0 && cfg->nfeeds == 0)
		log_warnx("%s: no feeds configured", ctx.file);
out:
	free(dir);
	buf_release(&text);
	return rc;
}

int
config_load(struct config *cfg, const char *path)
{
	static const struct ini_handler handler = { main_section, main_key };
	struct main_ctx ctx = { 0 };
	struct config *tmp, old;
	struct buf text;
	char *dir = NULL;
	bool feeds_known = true;
	size_t i;
	int rc = -1;

	buf_init(&text, CONFIG_MAX_FILE);
	tmp = config_new();
	if (!tmp || !(tmp->path = strdup(path))) {
		error("%s: out of memory", path);
		goto out;
	}
	if (read_file(path, &text) < 0 || file_dir(path, &dir) < 0)
		goto out;
	ctx.file = path;
	ctx.basedir = dir;
	ctx.cfg = tmp;
	rc = ini_parse(path, buf_str(&text), text.len, &handler, &ctx);

	for (i = 0; i < NKEYS; i++) {
		const struct key_def *k = &config_keys[i];

		if (k->type == KEY_PATH && !ctx.set_line[i] &&
		    set_defaults(k, 1, tmp, dir) < 0)
			rc = -1;
		if (k->offset == CFG(feeds_path) && ctx.bad[i])
			feeds_known = false;
	}
	/* The feeds file is checked too, so one run shows every mistake. */
	if (feeds_known && load_feeds(tmp) < 0)
		rc = -1;
	if (rc < 0)
		goto out;

	/* Swapped only on success, so a failed reload keeps the old config. */
	old = *cfg;
	*cfg = *tmp;
	*tmp = old;
out:
	config_free(tmp);
	free(dir);
	buf_release(&text);
	return rc;
}

static void
format_default(const struct key_def *k, struct buf *out)
{
	if (!k->def)
		buf_adds(out, "(required)");
	else if (k->type == KEY_STRING)
		buf_printf(out, "\"%s\"", k->def);
	else
		buf_adds(out, k->def);
}

static void
format_range(const struct key_def *k, struct buf *out)
{
	size_t i;

	switch (k->type) {
	case KEY_INT:
		buf_printf(out, "%ld..%ld", k->min, k->max);
		break;
	case KEY_DURATION:
		buf_printf(out, "%ld..%ld s", k->min, k->max);
		break;
	case KEY_ENUM:
		for (i = 0; k->allowed[i]; i++)
			buf_printf(out, "%s%s", i ? "|" : "", k->allowed[i]);
		break;
	case KEY_STRING:
	case KEY_PATH:
	case KEY_URL:
	case KEY_LOCATION:
		buf_adds(out, "-");
		break;
	}
}

struct key_row {
	const struct key_def *k;
	const char *section;
};

static void
widen(int *width, size_t len)
{
	if (len > (size_t)*width)
		*width = (int)len;
}

void
config_print_keys(void)
{
	struct key_row rows[NKEYS + NFEEDKEYS];
	struct buf def, range;
	/* at least as wide as the header words */
	int w[5] = { 7, 3, 4, 7, 5 };
	size_t i, n = 0;

	for (i = 0; i < NKEYS; i++)
		rows[n++] = (struct key_row){ &config_keys[i],
					      config_keys[i].section };
	for (i = 0; i < NFEEDKEYS; i++)
		rows[n++] = (struct key_row){ &feed_keys[i],
					      "feeds.conf [<name>]" };
	buf_init(&def, WHY_MAX);
	buf_init(&range, WHY_MAX);
	for (i = 0; i < n; i++) {
		buf_reset(&def);
		buf_reset(&range);
		format_default(rows[i].k, &def);
		format_range(rows[i].k, &range);
		widen(&w[0], strlen(rows[i].section));
		widen(&w[1], strlen(rows[i].k->key));
		widen(&w[2], strlen(type_names[rows[i].k->type]));
		widen(&w[3], def.len);
		widen(&w[4], range.len);
	}
	printf("%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", w[0], "SECTION", w[1],
	       "KEY", w[2], "TYPE", w[3], "DEFAULT", w[4], "RANGE", "HELP");
	for (i = 0; i < n; i++) {
		buf_reset(&def);
		buf_reset(&range);
		format_default(rows[i].k, &def);
		format_range(rows[i].k, &range);
		printf("%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", w[0],
		       rows[i].section, w[1], rows[i].k->key, w[2],
		       type_names[rows[i].k->type], w[3], buf_str(&def), w[4],
		       buf_str(&range), rows[i].k->help);
	}
	buf_release(&def);
	buf_release(&range);
}
