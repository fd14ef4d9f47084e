#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ini.h"
#include "log.h"
#include "template.h"
#include "utf8.h"

enum node_kind {
	NODE_TEXT,
	NODE_VAR,
	NODE_SECTION,
	NODE_INVERTED
};

/*
 * The nodes are kept in document order and a section's body is the nodes
 * after it up to its end, so neither parsing nor rendering needs a tree.
 */
struct node {
	enum node_kind kind;
	const char *s;	/* NODE_TEXT: the text; else the name */
	size_t len;	/* NODE_TEXT */
	size_t line;	/* not NODE_TEXT */
	size_t end;	/* sections: the node after the body */
};

struct tpl {
	char *name;
	char *text;	/* a copy of the source; the nodes point into it */
	struct node *nodes;
	size_t n, alloc;
};

struct tpl_var {
	char *name;
	char *value;	/* NULL: a list, maybe empty */
	struct tpl_vars **items;
	size_t nitems, alloc;
};

struct tpl_vars {
	struct tpl_var *v;
	size_t n, alloc;
};

/* The length of the valid UTF-8 at the start of s, which stops at a NUL. */
static size_t
utf8_prefix(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len && p[i]) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_seq_len(p + i, len - i);
		if (n == 0)
			break;
		i += n;
	}
	return i;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/* The first c c in [s, end), or NULL. */
static char *
find_pair(char *s, const char *end, char c)
{
	for (; end - s >= 2; s++)
		if (s[0] == c && s[1] == c)
			return s;
	return NULL;
}

struct parser {
	struct tpl *t;
	char *base;	/* where the text starts, after a BOM */
	char *end;
	const char *counted;	/* lines are counted up to here */
	size_t line;
	size_t open[TPL_MAX_DEPTH];	/* the nodes of the open sections */
	size_t depth;
};

struct tag {
	char *start;	/* the "{{" */
	char *end;	/* after the "}}" */
	char sigil;	/* '#', '^', '/', '!', or 0 for a variable */
	const char *name;
	size_t line;
};

static size_t
line_at(struct parser *p, const char *pos)
{
	for (; p->counted < pos; p->counted++)
		if (*p->counted == '\n')
			p->line++;
	return p->line;
}

static int
bad_char(const struct parser *p, const struct tag *tag, const char *c)
{
	const char *name = p->t->name;

	if (c == tag->start + 2 && (*c == '{' || *c == '&'))
		return error("%s:%zu: there is no unescaped form '{{%c'", name,
			     tag->line, *c);
	if ((unsigned char)*c < ' ' || *c == 0x7f)
		return error("%s:%zu: bad character 0x%02x in a tag", name,
			     tag->line, (unsigned char)*c);
	return error("%s:%zu: bad character '%.*s' in a tag", name, tag->line,
		     (int)(*c & 0x80 ? utf8_seq_len((const unsigned char *)c,
						    (size_t)(p->end - c)) : 1),
		     c);
}

/*
 * Reads the tag starting at the "{{" at start. The name is NUL-terminated
 * in place: the byte after it is a space or the first '}', which is never
 * part of the output.
 */
static int
parse_tag(struct parser *p, char *start, struct tag *tag)
{
	char *s = start + 2, *close, *name_end;

	*tag = (struct tag){ .start = start, .line = line_at(p, start) };
	if (s < p->end && (*s == '#' || *s == '^' || *s == '/' || *s == '!'))
		tag->sigil = *s++;
	if (tag->sigil == '!') {
		close = find_pair(s, p->end, '}');
		if (!close)
			return error("%s:%zu: unterminated comment", p->t->name,
				     tag->line);
		tag->end = close + 2;
		return 0;
	}
	close = find_pair(s, p->end, '}');
	if (!close || memchr(s, '\n', (size_t)(close - s)))
		return error("%s:%zu: unterminated '{{'", p->t->name,
			     tag->line);
	while (is_space(*s))
		s++;
	tag->name = s;
	while (is_name_char(*s))
		s++;
	name_end = s;
	while (is_space(*s))
		s++;
	if (s != close)
		return bad_char(p, tag, s);
	if (name_end == tag->name)
		return error("%s:%zu: empty name in a tag", p->t->name,
			     tag->line);
	if (name_end - tag->name > TPL_MAX_NAME)
		return error("%s:%zu: name longer than %d bytes", p->t->name,
			     tag->line, TPL_MAX_NAME);
	*name_end = '\0';
	tag->end = close + 2;
	return 0;
}

/*
 * Whether tag is alone on its line but for white space; then the line
 * runs from *from to *to, its line end included.
 */
static bool
standalone(const struct parser *p, const struct tag *tag, char **from,
	   char **to)
{
	char *a = tag->start, *b = tag->end;

	while (a > p->base && is_space(a[-1]))
		a--;
	if (a > p->base && a[-1] != '\n')
		return false;
	while (b < p->end && is_space(*b))
		b++;
	if (p->end - b >= 2 && b[0] == '\r' && b[1] == '\n')
		b++;
	if (b < p->end && *b++ != '\n')
		return false;
	*from = a;
	*to = b;
	return true;
}

/* Node counts are bounded by TPL_MAX_FILE, so the sizes cannot overflow. */
static int
add_node(struct tpl *t, enum node_kind kind, const char *s, size_t len,
	 size_t line)
{
	struct node *nodes;
	size_t alloc;

	if (t->n == t->alloc) {
		alloc = t->alloc ? 2 * t->alloc : 16;
		nodes = realloc(t->nodes, alloc * sizeof(*nodes));
		if (!nodes)
			return error("%s: out of memory", t->name);
		t->nodes = nodes;
		t->alloc = alloc;
	}
	t->nodes[t->n++] = (struct node){ kind, s, len, line, 0 };
	return 0;
}

static int
add_text(struct tpl *t, const char *from, const char *to)
{
	if (to == from)
		return 0;
	return add_node(t, NODE_TEXT, from, (size_t)(to - from), 0);
}

static char
node_sigil(const struct node *nd)
{
	return nd->kind == NODE_INVERTED ? '^' : '#';
}

static int
add_tag(struct parser *p, const struct tag *tag)
{
	struct tpl *t = p->t;
	const struct node *open;

	switch (tag->sigil) {
	case '!':
		return 0;
	case '/':
		if (p->depth == 0)
			return error("%s:%zu: '{{/%s}}' closes no section",
				     t->name, tag->line, tag->name);
		open = &t->nodes[p->open[--p->depth]];
		if (strcmp(open->s, tag->name) != 0)
			return error("%s:%zu: '{{/%s}}' does not match "
				     "'{{%c%s}}' of line %zu", t->name,
				     tag->line, tag->name, node_sigil(open),
				     open->s, open->line);
		t->nodes[p->open[p->depth]].end = t->n;
		return 0;
	case '#':
	case '^':
		if (p->depth == TPL_MAX_DEPTH)
			return error("%s:%zu: sections nested deeper than %d",
				     t->name, tag->line, TPL_MAX_DEPTH);
		p->open[p->depth++] = t->n;
		return add_node(t, tag->sigil == '#' ? NODE_SECTION :
				NODE_INVERTED, tag->name, 0, tag->line);
	default:
		return add_node(t, NODE_VAR, tag->name, 0, tag->line);
	}
}

static int
check_text(const char *name, const char *text, size_t len)
{
	size_t ok = utf8_prefix(text, len), line = 1, i;

	if (ok == len)
		return 0;
	for (i = 0; i < ok; i++)
		line += text[i] == '\n';
	if (text[ok] == '\0')
		return error("%s:%zu: NUL byte", name, line);
	return error("%s:%zu: invalid UTF-8", name, line);
}

static int
parse(struct parser *p)
{
	struct tpl *t = p->t;
	char *from = p->base, *open, *to, *next;
	const struct node *nd;
	struct tag tag;

	while ((open = find_pair(from, p->end, '{'))) {
		if (parse_tag(p, open, &tag) < 0)
			return -1;
		if (!tag.sigil || !standalone(p, &tag, &to, &next)) {
			to = tag.start;
			next = tag.end;
		}
		if (add_text(t, from, to) < 0 || add_tag(p, &tag) < 0)
			return -1;
		from = next;
	}
	if (add_text(t, from, p->end) < 0)
		return -1;
	if (p->depth == 0)
		return 0;
	nd = &t->nodes[p->open[p->depth - 1]];
	return error("%s:%zu: '{{%c%s}}' is not closed", t->name, nd->line,
		     node_sigil(nd), nd->s);
}

int
tpl_parse(const char *name, const char *text, size_t len, struct tpl **out)
{
	struct parser p = { 0 };
	struct tpl *t;
	int rc = -1;

	if (len > TPL_MAX_FILE)
		return error("%s: larger than %u bytes", name, TPL_MAX_FILE);
	if (check_text(name, text, len) < 0)
		return -1;
	t = calloc(1, sizeof(*t));
	if (!t || !(t->name = strdup(name)) || !(t->text = malloc(len + 1))) {
		error("%s: out of memory", name);
		goto out;
	}
	memcpy(t->text, text, len);
	t->text[len] = '\0';
	p.t = t;
	p.base = t->text;
	if (len >= 3 && memcmp(t->text, "\xef\xbb\xbf", 3) == 0)
		p.base += 3;
	p.end = t->text + len;
	p.counted = p.base;
	p.line = 1;
	if (parse(&p) < 0)
		goto out;
	*out = t;
	t = NULL;
	rc = 0;
out:
	tpl_free(t);
	return rc;
}

int
tpl_load(const char *path, struct tpl **out)
{
	struct buf text;
	int rc;

	buf_init(&text, TPL_MAX_FILE);
	rc = ini_read(path, &text);
	if (rc == 0)
		rc = tpl_parse(path, buf_str(&text), text.len, out);
	buf_release(&text);
	return rc;
}

void
tpl_free(struct tpl *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->text);
	free(t->nodes);
	free(t);
}

int
tpl_check(const struct tpl *t, const char *const *known)
{
	const struct node *nd;
	size_t i, k;
	int rc = 0;

	for (i = 0; i < t->n; i++) {
		nd = &t->nodes[i];
		if (nd->kind == NODE_TEXT)
			continue;
		for (k = 0; known[k] && strcmp(known[k], nd->s) != 0; k++)
			;
		if (!known[k])
			rc = error("%s:%zu: unknown field '%s'", t->name,
				   nd->line, nd->s);
	}
	return rc;
}

static size_t
find_var(const struct tpl_vars *v, const char *name)
{
	size_t i;

	/* the first byte first: most names differ there, and no call */
	for (i = 0; i < v->n; i++)
		if (v->v[i].name[0] == name[0] &&
		    strcmp(v->v[i].name, name) == 0)
			break;
	return i;
}

struct render {
	const struct tpl *t;
	enum tpl_escape esc;
	struct buf *out;
	/* innermost last; each nested section adds at most one */
	const struct tpl_vars *ctx[TPL_MAX_DEPTH + 1];
	size_t depth;
};

static const struct tpl_var *
lookup(const struct render *r, const char *name)
{
	size_t i, k;

	for (i = r->depth; i-- > 0;) {
		k = find_var(r->ctx[i], name);
		if (k < r->ctx[i]->n)
			return &r->ctx[i]->v[k];
	}
	return NULL;
}

static bool
is_empty(const struct tpl_var *var)
{
	return !var || (var->value ? !var->value[0] : var->nitems == 0);
}

static int
emit(struct render *r, const char *s, size_t len)
{
	if (buf_add(r->out, s, len) == 0)
		return 0;
	if (len > r->out->max - r->out->len)
		return error("%s: rendered text is longer than %zu bytes",
			     r->t->name, r->out->max);
	return error("%s: out of memory", r->t->name);
}

static int
emit_value(struct render *r, const char *s)
{
	const char *run = s, *ent;

	if (r->esc == TPL_TEXT)
		return emit(r, s, strlen(s));
	/* from one character to escape to the next */
	for (; *(s += strcspn(s, "&<>\"'")); s++) {
		switch (*s) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: continue;
		}
		if (emit(r, run, (size_t)(s - run)) < 0 ||
		    emit(r, ent, strlen(ent)) < 0)
			return -1;
		run = s + 1;
	}
	return emit(r, run, (size_t)(s - run));
}

static int
render_nodes(struct render *r, size_t from, size_t to)
{
	const struct node *nd;
	const struct tpl_var *var;
	size_t i = from, k;
	int rc;

	while (i < to) {
		nd = &r->t->nodes[i];
		if (nd->kind == NODE_TEXT) {
			if (emit(r, nd->s, nd->len) < 0)
				return -1;
			i++;
			continue;
		}
		var = lookup(r, nd->s);
		rc = 0;
		if (nd->kind == NODE_VAR) {
			if (var && var->value)
				rc = emit_value(r, var->value);
			i++;
		} else if (nd->kind == NODE_INVERTED) {
			if (is_empty(var))
				rc = render_nodes(r, i + 1, nd->end);
			i = nd->end;
		} else if (is_empty(var)) {
			i = nd->end;
		} else if (var->value) {
			rc = render_nodes(r, i + 1, nd->end);
			i = nd->end;
		} else {
			for (k = 0; k < var->nitems && rc == 0; k++) {
				r->ctx[r->depth++] = var->items[k];
				rc = render_nodes(r, i + 1, nd->end);
				r->depth--;
			}
			i = nd->end;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

int
tpl_render(const struct tpl *t, const struct tpl_vars *v, enum tpl_escape esc,
	   struct buf *out)
{
	struct render r = { .t = t, .esc = esc, .out = out, .ctx = { v },
			    .depth = 1 };
	size_t len = out->len;

	if (render_nodes(&r, 0, t->n) == 0)
		return 0;
	out->len = len;
	if (out->data)
		out->data[len] = '\0';
	return -1;
}

struct tpl_vars *
tpl_vars_new(void)
{
	struct tpl_vars *v = calloc(1, sizeof(*v));

	if (!v)
		error("out of memory");
	return v;
}

/* Frees var's value or list, leaving an empty list. */
static void
clear_var(struct tpl_var *var)
{
	size_t i;

	free(var->value);
	var->value = NULL;
	for (i = 0; i < var->nitems; i++)
		tpl_vars_free(var->items[i]);
	free(var->items);
	var->items = NULL;
	var->nitems = 0;
	var->alloc = 0;
}

void
tpl_vars_free(struct tpl_vars *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		clear_var(&v->v[i]);
		free(v->v[i].name);
	}
	free(v->v);
	free(v);
}

/* The variable name of v, added as an empty list if it is new. */
static struct tpl_var *
get_var(struct tpl_vars *v, const char *name)
{
	struct tpl_var *vars;
	size_t i = find_var(v, name), alloc;
	char *copy;

	if (i < v->n)
		return &v->v[i];
	if (v->n == v->alloc) {
		alloc = v->alloc ? 2 * v->alloc : 8;
		vars = realloc(v->v, alloc * sizeof(*vars));
		if (!vars)
			return NULL;
		v->v = vars;
		v->alloc = alloc;
	}
	copy = strdup(name);
	if (!copy)
		return NULL;
	v->v[v->n] = (struct tpl_var){ .name = copy };
	return &v->v[v->n++];
}

/* Sets name to value, len bytes that v then owns, or frees it. */
static int
set_owned(struct tpl_vars *v, const char *name, char *value, size_t len)
{
	struct tpl_var *var;

	if (utf8_prefix(value, len) != len) {
		free(value);
		return error("template field '%s': value is not valid UTF-8",
			     name);
	}
	var = get_var(v, name);
	if (!var) {
		free(value);
		return error("out of memory");
	}
	clear_var(var);
	var->value = value;
	return 0;
}

int
tpl_set(struct tpl_vars *v, const char *name, const char *value)
{
	size_t i, len;
	char *copy;

	if (!value) {
		i = find_var(v, name);
		if (i < v->n) {
			clear_var(&v->v[i]);
			free(v->v[i].name);
			v->v[i] = v->v[--v->n];
		}
		return 0;
	}
	len = strnlen(value, TPL_MAX_VALUE + 1);
	if (len > TPL_MAX_VALUE)
		return error("template field '%s': value longer than %u bytes",
			     name, TPL_MAX_VALUE);
	copy = strndup(value, len);
	if (!copy)
		return error("out of memory");
	return set_owned(v, name, copy, len);
}

int
tpl_isset(const struct tpl_vars *v, const char *name)
{
	size_t i = find_var(v, name);

	return i < v->n && (v->v[i].value ? *v->v[i].value != '\0' :
			    v->v[i].nitems > 0);
}

int
tpl_setf(struct tpl_vars *v, const char *name, const char *fmt, ...)
{
	char first[256];	/* most values: formatted once */
	va_list ap;
	char *value;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(first, sizeof first, fmt, ap);
	va_end(ap);
	if (n < 0)
		return error("template field '%s': cannot format the value",
			     name);
	if ((size_t)n > TPL_MAX_VALUE)
		return error("template field '%s': value longer than %u bytes",
			     name, TPL_MAX_VALUE);
	value = malloc((size_t)n + 1);
	if (!value)
		return error("out of memory");
	if ((size_t)n < sizeof first) {
		memcpy(value, first, (size_t)n + 1);
	} else {
		va_start(ap, fmt);
		vsnprintf(value, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	return set_owned(v, name, value, (size_t)n);
}

struct tpl_vars *
tpl_add(struct tpl_vars *v, const char *list)
{
	struct tpl_var *var = get_var(v, list);
	struct tpl_vars **items, *child;
	size_t alloc;

	if (!var)
		goto nomem;
	if (var->value)
		clear_var(var);
	if (var->nitems == var->alloc) {
		alloc = var->alloc ? 2 * var->alloc : 8;
		items = realloc(var->items, alloc * sizeof(*items));
		if (!items)
			goto nomem;
		var->items = items;
		var->alloc = alloc;
	}
	child = calloc(1, sizeof(*child));
	if (!child)
		goto nomem;
	var->items[var->nitems++] = child;
	return child;
nomem:
	error("out of memory");
	return NULL;
}
