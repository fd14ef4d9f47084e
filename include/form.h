#ifndef TENDERLOTS_FORM_H
#define TENDERLOTS_FORM_H

#include <stddef.h>

#include "buf.h"

/*
 * HTML form bodies (application/x-www-form-urlencoded) and URL query
 * strings, as the web endpoint receives them. Everything here comes from
 * whoever sends the request, so parsing is strict, bounded and silent:
 * bad input is the client's fault, not ours to log.
 *
 * Names and values come out as NUL-terminated, valid UTF-8. Names hold no
 * control character at all; values none but TAB, CR and LF (a textarea
 * sends CR LF). Control characters are those of Unicode's Cc: U+0000 to
 * U+001F, U+007F and U+0080 to U+009F. Neither is escaped for HTML, SQL
 * or mail: that is up to where they go.
 */

#define FORM_MAX_FIELDS 64	/* name=value pairs, repeats included */
#define FORM_MAX_NAME 64	/* bytes, after decoding */
#define FORM_MAX_VALUE 4096	/* bytes, after decoding */
#define FORM_MAX_BODY (64u * 1024u)

/* name -> values, in the order they came */
struct form;

/*
 * Parses "a=1&b=x+y&c=%C3%A5" (a body, or a query string without its
 * '?') of len bytes; data need not be NUL-terminated. '+' is a space,
 * %XX (either case) the byte XX. Empty pairs ("&&", a leading or
 * trailing '&') are skipped; a pair without '=' is a name with an empty
 * value; a pair with an empty name is refused. A name may repeat
 * (checkboxes): every value is kept, in order.
 *
 * On malformed input (a bad %-escape, invalid UTF-8, a forbidden control
 * character, a cap exceeded) and when out of memory returns -1, sets
 * *out to NULL and, if why is not NULL, writes a short English reason
 * into why, which quotes nothing from data. On success why is "".
 */
int form_parse(const char *data, size_t len, struct form **out, char *why,
	       size_t whylen);
/* NULL is fine. */
void form_free(struct form *f);

/* The first value of name, or NULL. */
const char *form_get(const struct form *f, const char *name);
/* How many values name has, and the i-th (NULL past the last). */
size_t form_count(const struct form *f, const char *name);
const char *form_get_nth(const struct form *f, const char *name, size_t i);

/* Every pair in order, for code that does not know the names. */
size_t form_fields(const struct form *f);
void form_field(const struct form *f, size_t i, const char **name,
		const char **value);

/*
 * 0 if every field name is one of known (NULL-terminated), for refusing
 * unexpected fields; else -1 with the first unknown name, quoted, in why
 * (if not NULL). The name is the client's: escape it before showing it.
 */
int form_only(const struct form *f, const char *const *known, char *why,
	      size_t whylen);

/*
 * Appends s percent-encoded for a URL query or path segment: the
 * unreserved characters of RFC 3986 (A-Z a-z 0-9 - . _ ~) as they are,
 * every other byte as %XX, a space too. -1 if out's cap is reached, with
 * out left as it was.
 */
int form_escape(const char *s, struct buf *out);

#endif
