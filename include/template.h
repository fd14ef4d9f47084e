#ifndef TENDERLOTS_TEMPLATE_H
#define TENDERLOTS_TEMPLATE_H

#include <stddef.h>

#include "buf.h"

/*
 * Mail templates, a subset of mustache:
 *
 *	{{name}}		the value of name; HTML-escaped in TPL_HTML
 *	{{#name}}..{{/name}}	once per child of the list name, or once
 *				if name is a non-empty string
 *	{{^name}}..{{/name}}	once if name is unset, "" or an empty list
 *	{{! comment }}		nothing
 *
 * There is deliberately no unescaped form ({{{name}}}, {{&name}}), nor
 * partials or delimiter changes. Names are 1 to TPL_MAX_NAME bytes of
 * [A-Za-z0-9_.-], with optional spaces inside the braces; a dot is part of
 * the name, not a path. Inside a list section a name is looked up in the
 * child first, then in the enclosing contexts outwards. A name that is
 * unset, or is a list, renders as "": tpl_check finds the typos when the
 * templates are loaded.
 *
 * A line holding nothing but white space and one section, inverted, close
 * or comment tag is removed with its line end, so text templates can put
 * each tag on a line of its own. Variable tags never are.
 *
 * Errors are reported once through error() as "name:line: message".
 */

#define TPL_MAX_FILE	(64u * 1024u)
#define TPL_MAX_DEPTH	16	/* nested sections */
#define TPL_MAX_NAME	64
#define TPL_MAX_VALUE	(1024u * 1024u)

struct tpl;
struct tpl_vars;

enum tpl_escape { TPL_TEXT, TPL_HTML };

/*
 * Parses len bytes of text: at most TPL_MAX_FILE, valid UTF-8, no NUL; a
 * leading byte order mark is skipped. name labels messages, e.g. the path.
 */
int tpl_parse(const char *name, const char *text, size_t len, struct tpl **out);
/* Reads and parses the file path; messages name the path. */
int tpl_load(const char *path, struct tpl **out);
void tpl_free(struct tpl *t);

/*
 * Checks every variable and section name t uses against known, which is
 * NULL-terminated. Each unknown one is reported as
 * "name:line: unknown field 'x'"; -1 if there was one.
 */
int tpl_check(const struct tpl *t, const char *const *known);

/*
 * Appends t rendered with v to out; -1 if out's cap is reached or memory
 * runs out, and out is then left as it was.
 */
int tpl_render(const struct tpl *t, const struct tpl_vars *v,
	       enum tpl_escape esc, struct buf *out);

/*
 * A context: names with a string or a list of child contexts. The
 * functions below report their errors; NULL or -1 then.
 */
struct tpl_vars *tpl_vars_new(void);
/* Frees v and all its children. */
void tpl_vars_free(struct tpl_vars *v);
/*
 * Sets name to a copy of value, which must be valid UTF-8 of at most
 * TPL_MAX_VALUE bytes. Replaces an earlier string or list; NULL unsets.
 */
int tpl_set(struct tpl_vars *v, const char *name, const char *value);
int tpl_setf(struct tpl_vars *v, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* 1 if {{#name}} would show: name is a non-empty string or list. */
int tpl_isset(const struct tpl_vars *v, const char *name);
/*
 * Appends a new, empty child context to the list named list, replacing a
 * string of that name, and returns it; v owns it.
 */
struct tpl_vars *tpl_add(struct tpl_vars *v, const char *list);

#endif
