#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xpathInternals.h>

#include "utf8.h"
#include "xmlsafe.h"

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_t;
#else
typedef xmlError *xml_error_t;
#endif

/* The first message is the one that names the cause; later ones are
 * usually consequences of it. */
static void
on_xml_error(void *arg, xml_error_t e)
{
	struct xmlsafe *x = arg;
	size_t len;
	char *c;

	if (x->first_error[0] || e->level == XML_ERR_WARNING)
		return;
	if (e->line > 0)
		snprintf(x->first_error, sizeof(x->first_error),
			 "line %d: XML parse error: %s", e->line,
			 e->message ? e->message : "unknown error");
	else
		snprintf(x->first_error, sizeof(x->first_error),
			 "XML parse error: %s",
			 e->message ? e->message : "unknown error");
	for (c = x->first_error; *c; c++)
		if (*c == '\n' || *c == '\r' || *c == '\t')
			*c = ' ';
	len = strlen(x->first_error);
	while (len > 0 && x->first_error[len - 1] == ' ')
		x->first_error[--len] = '\0';
}

static void
on_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
	   const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xmlsafe *x = ctxt->_private;

	x->doctype = 1;
	xmlStopParser(ctxt);
}

/*
 * Most expressions are a path of child elements, "cac:A/cbc:B", a step
 * perhaps with a predicate "[1]" or "[@attr='value']", or "."; these are
 * walked on the tree directly, the rest evaluated by libxml2's XPath.
 * Walking costs a comparison of names a child, where an evaluation sets
 * up a context, looks up each prefix, tests each node through generic
 * code and allocates a node set even for the first node or none: for
 * eForms, most of the time spent reading a notice once it was parsed.
 */
#define PATH_STEPS_MAX 8
#define PATH_NAME_MAX 64

struct path_step {
	const char *href;		/* the prefix's namespace */
	char name[PATH_NAME_MAX];	/* local name */
	char attr[PATH_NAME_MAX];	/* [@attr='value'], or "" */
	char value[PATH_NAME_MAX];
	int first;			/* [1]: the first such child only */
};

struct path {
	int walk;	/* 1: walk steps (none: the context node itself) */
	size_t nsteps;
	struct path_step step[PATH_STEPS_MAX];
};

struct xmlsafe_xpaths {
	const struct xmlsafe_xpath *xp;
	size_t n;
	const struct xmlsafe_ns *ns;
	size_t nns;
	struct path *path;	/* n of them */
	int xpath_only;
	xmlXPathCompExprPtr comp[];
};

/* Copies the run of name characters at *p into out; its length (0 if
 * none or too long). */
static size_t
path_name(const char **p, char *out)
{
	size_t n = 0;
	const char *s = *p;

	while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	       (n && ((*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))) {
		if (n + 1 >= PATH_NAME_MAX)
			return 0;
		out[n++] = *s++;
	}
	out[n] = '\0';
	*p = s;
	return n;
}

/* One step "prefix:name", "prefix:name[1]" or
 * "prefix:name[@attr='value']" at *p; -1 if it is not one. */
static int
path_step(const char **p, const struct xmlsafe_ns *ns, size_t nns,
	  struct path_step *st)
{
	char prefix[PATH_NAME_MAX];
	const char *s = *p, *end;
	size_t i;

	memset(st, 0, sizeof *st);
	if (!path_name(&s, prefix) || *s++ != ':' || !path_name(&s, st->name))
		return -1;
	for (i = 0; i < nns && strcmp(ns[i].prefix, prefix) != 0; i++)
		;
	if (i == nns)
		return -1;
	st->href = ns[i].href;
	if (strncmp(s, "[1]", 3) == 0) {
		st->first = 1;
		s += 3;
	} else if (strncmp(s, "[@", 2) == 0) {
		s += 2;
		if (!path_name(&s, st->attr) || strncmp(s, "='", 2) != 0)
			return -1;
		s += 2;
		if (!(end = strchr(s, '\'')) ||
		    (size_t)(end - s) >= PATH_NAME_MAX || end[1] != ']')
			return -1;
		memcpy(st->value, s, (size_t)(end - s));
		st->value[end - s] = '\0';
		s = end + 2;
	}
	*p = s;
	return 0;
}

/* The walk of expr, or p->walk 0 for one libxml2 evaluates. */
static void
path_compile(const char *expr, const struct xmlsafe_ns *ns, size_t nns,
	     struct path *p)
{
	const char *s = expr;

	memset(p, 0, sizeof *p);
	if (strcmp(expr, ".") == 0) {
		p->walk = 1;
		return;
	}
	for (;;) {
		if (p->nsteps == PATH_STEPS_MAX ||
		    path_step(&s, ns, nns, &p->step[p->nsteps]) < 0)
			return;
		p->nsteps++;
		if (*s == '\0')
			break;
		if (*s++ != '/')
			return;
	}
	p->walk = 1;
}

/* Whether the element's attribute (in no namespace) attr has value. */
static int
attr_is(xmlNodePtr node, const char *attr, const char *value)
{
	xmlAttrPtr a;
	xmlChar *v;
	int same;

	for (a = node->properties; a; a = a->next) {
		if (a->ns || strcmp((const char *)a->name, attr) != 0)
			continue;
		if (a->children && a->children->type == XML_TEXT_NODE &&
		    !a->children->next)
			return strcmp((const char *)a->children->content,
				      value) == 0;
		v = xmlNodeListGetString(node->doc, a->children, 1);
		same = v && strcmp((const char *)v, value) == 0;
		xmlFree(v);
		return same;
	}
	return 0;
}

static int
step_matches(const struct path_step *st, xmlNodePtr node)
{
	return node->type == XML_ELEMENT_NODE && node->ns &&
	       node->name[0] == (xmlChar)st->name[0] &&
	       strcmp((const char *)node->name, st->name) == 0 &&
	       node->ns->href &&
	       strcmp((const char *)node->ns->href, st->href) == 0 &&
	       (!st->attr[0] || attr_is(node, st->attr, st->value));
}

/*
 * The nodes the steps from i on select below at, in document order:
 * each one to set (created when first needed), or only the first to
 * *first when first is not NULL. -1 on ENOMEM.
 */
static int
path_walk(const struct path *p, size_t i, xmlNodePtr at, xmlNodeSetPtr *set,
	  xmlNodePtr *first)
{
	xmlNodePtr c;

	if (i == p->nsteps) {
		if (first) {
			*first = at;
			return 0;
		}
		if (!*set && !(*set = xmlXPathNodeSetCreate(NULL)))
			return -1;
		return xmlXPathNodeSetAdd(*set, at) < 0 ? -1 : 0;
	}
	for (c = at->children; c; c = c->next) {
		if (!step_matches(&p->step[i], c))
			continue;
		if (path_walk(p, i + 1, c, set, first) < 0)
			return -1;
		if (p->step[i].first || (first && *first))
			break;
	}
	return 0;
}

struct xmlsafe_xpaths *
xmlsafe_compile(const struct xmlsafe_xpath *xp, size_t n,
		const struct xmlsafe_ns *ns, size_t nns)
{
	struct xmlsafe_xpaths *c;
	size_t i;

	xmlInitParser();
	c = calloc(1, sizeof(*c) + n * sizeof(c->comp[0]));
	if (!c)
		return NULL;
	c->xp = xp;
	c->n = n;
	c->ns = ns;
	c->nns = nns;
	if (!(c->path = calloc(n ? n : 1, sizeof *c->path))) {
		free(c);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		path_compile(xp[i].expr, ns, nns, &c->path[i]);
		c->comp[i] = xmlXPathCompile((const xmlChar *)xp[i].expr);
		if (!c->comp[i]) {
			xmlsafe_free_compiled(c);
			return NULL;
		}
	}
	return c;
}

void
xmlsafe_free_compiled(struct xmlsafe_xpaths *c)
{
	size_t i;

	for (i = 0; c && i < c->n; i++)
		xmlXPathFreeCompExpr(c->comp[i]);
	if (c)
		free(c->path);
	free(c);
}

void
xmlsafe_xpath_only(struct xmlsafe_xpaths *c, int on)
{
	c->xpath_only = on;
}

void
xmlsafe_begin(struct xmlsafe *x, const struct xmlsafe_xpaths *xpaths,
	      char *err, size_t errlen)
{
	xmlInitParser();
	memset(x, 0, sizeof(*x));
	x->xpaths = xpaths;
	x->err = err;
	x->errlen = err ? errlen : 0;
	if (x->errlen)
		err[0] = '\0';
	x->old_handler = xmlStructuredError;
	x->old_context = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(x, on_xml_error);
}

void
xmlsafe_end(struct xmlsafe *x)
{
	xmlXPathFreeContext(x->xpc);
	xmlFreeDoc(x->doc);
	x->xpc = NULL;
	x->doc = NULL;
	x->root = NULL;
	xmlSetStructuredErrorFunc(x->old_context, x->old_handler);
}

int
xmlsafe_fail(struct xmlsafe *x, const char *fmt, ...)
{
	va_list ap;

	if (!x->failed && x->errlen) {
		va_start(ap, fmt);
		vsnprintf(x->err, x->errlen, fmt, ap);
		va_end(ap);
	}
	x->failed = 1;
	return -1;
}

int
xmlsafe_oom(struct xmlsafe *x)
{
	return xmlsafe_fail(x, "out of memory");
}

/* The context XPath is evaluated in, with the parser's prefixes. */
static int
new_xpath_context(struct xmlsafe *x)
{
	const struct xmlsafe_xpaths *c = x->xpaths;
	size_t i;

	x->xpc = xmlXPathNewContext(x->doc);
	if (!x->xpc)
		return xmlsafe_oom(x);
	for (i = 0; i < c->nns; i++)
		if (xmlXPathRegisterNs(x->xpc, (const xmlChar *)c->ns[i].prefix,
				       (const xmlChar *)c->ns[i].href) != 0)
			return xmlsafe_oom(x);
	return 0;
}

int
xmlsafe_read(struct xmlsafe *x, const char *data, size_t len, size_t max)
{
	xmlParserCtxtPtr ctxt = NULL;
	int rc = -1;

	if (len == 0) {
		xmlsafe_fail(x, "empty document");
		goto out;
	}
	/* Also keeps the length within the int libxml2 takes. */
	if (len > max || len > (size_t)0x7fffffff) {
		xmlsafe_fail(x, "document too large (%zu bytes, max %zu)", len,
			     max);
		goto out;
	}
	ctxt = xmlCreateMemoryParserCtxt(data, (int)len);
	if (!ctxt) {
		xmlsafe_oom(x);
		goto out;
	}
	/* COMPACT keeps short text in its node rather than allocating it:
	 * the parsers only read the tree. */
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOBLANKS |
			  XML_PARSE_COMPACT);
	/* These defaults come from process-wide settings another library
	 * in the process may have changed. */
	ctxt->replaceEntities = 0;
	ctxt->loadsubset = 0;
	ctxt->validate = 0;
	ctxt->_private = x;
	ctxt->sax->internalSubset = on_doctype;
	xmlParseDocument(ctxt);
	if (x->doctype) {
		xmlsafe_fail(x, "DOCTYPE not allowed: no DTD or entity "
			     "declarations are read");
		goto out;
	}
	if (!ctxt->wellFormed || !ctxt->nsWellFormed || !ctxt->myDoc) {
		xmlsafe_fail(x, "%s", x->first_error[0] ? x->first_error :
			     "XML parse error");
		goto out;
	}
	x->doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	x->root = xmlDocGetRootElement(x->doc);
	if (!x->root) {
		xmlsafe_fail(x, "no root element");
		goto out;
	}
	rc = new_xpath_context(x);
out:
	if (ctxt) {
		xmlFreeDoc(ctxt->myDoc);
		xmlFreeParserCtxt(ctxt);
	}
	return rc;
}

int
xmlsafe_eval(struct xmlsafe *x, int id, xmlNodePtr at,
	     struct xmlsafe_nodes *out)
{
	const struct xmlsafe_xpath *xp = &x->xpaths->xp[id];
	xmlXPathObjectPtr res;

	out->v = NULL;
	out->n = 0;
	out->res = NULL;
	if (!at)
		return 0;
	if (x->xpaths->path[id].walk && !x->xpaths->xpath_only) {
		xmlNodeSetPtr set = NULL;

		if (path_walk(&x->xpaths->path[id], 0, at, &set, NULL) < 0 ||
		    (set && !(out->res = xmlXPathWrapNodeSet(set)))) {
			xmlXPathFreeNodeSet(set);
			return xmlsafe_oom(x);
		}
		if (set) {
			out->v = set->nodeTab;
			out->n = set->nodeNr;
		}
		return 0;
	}
	x->xpc->node = at;
	res = xmlXPathCompiledEval(x->xpaths->comp[id], x->xpc);
	if (!res || res->type != XPATH_NODESET) {
		xmlXPathFreeObject(res);
		return xmlsafe_fail(x, "%s: XPath evaluation failed",
				    xp->name ? xp->name : xp->expr);
	}
	out->res = res;
	if (res->nodesetval) {
		out->v = res->nodesetval->nodeTab;
		out->n = res->nodesetval->nodeNr;
	}
	return 0;
}

void
xmlsafe_nodes_free(struct xmlsafe_nodes *nodes)
{
	xmlXPathFreeObject(nodes->res);
	nodes->v = NULL;
	nodes->n = 0;
	nodes->res = NULL;
}

int
xmlsafe_first(struct xmlsafe *x, int id, xmlNodePtr at, xmlNodePtr *node)
{
	struct xmlsafe_nodes nodes;

	*node = NULL;
	if (at && x->xpaths->path[id].walk && !x->xpaths->xpath_only)
		return path_walk(&x->xpaths->path[id], 0, at, NULL, node);
	if (xmlsafe_eval(x, id, at, &nodes) < 0)
		return -1;
	if (nodes.n > 0)
		*node = nodes.v[0];
	xmlsafe_nodes_free(&nodes);
	return 0;
}

struct xmlsafe_text {
	char *s;	/* what is kept, NUL-terminated; NULL before anything */
	size_t n;	/* bytes kept */
	size_t alloc;	/* bytes s has, or is to have when first needed */
	size_t max;
	size_t len;	/* bytes all that was added takes; > max: cut */
	enum xmlsafe_blanks blanks;
	int space;	/* a space is due before the next character */
	int oom;
};

/* The length of the blank at u[0..n), or 0 if none starts there. */
static size_t
blank_len(const struct xmlsafe_text *t, const unsigned char *u, size_t n)
{
	if (u[0] <= ' ')
		return 1;
	if (t->blanks != XMLSAFE_BLANKS_LAYOUT)
		return 0;
	if (u[0] == 0x7f)
		return 1;
	return u[0] == 0xc2 && n > 1 && u[1] == 0xa0 ? 2 : 0;
}

/* 1 for a printable ASCII character, which most text is. */
static int
plain(unsigned char c)
{
	return c > ' ' && c < 0x7f;
}

/*
 * How many bytes from u[0..n), which starts with no blank, go in as they
 * are: whole characters that are not blanks, and single spaces between
 * them, which need no collapsing. Copying such a run at once is what keeps
 * long texts cheap.
 */
static size_t
run_len(const struct xmlsafe_text *t, const unsigned char *u, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if (plain(u[i]))
			k = 1;
		else if (u[i] == ' ')
			k = i + 1 < n && plain(u[i + 1]);
		else if (blank_len(t, u + i, n - i))
			k = 0;
		else
			k = u[i] < 0x80 ? 1 : utf8_seq_len(u + i, n - i);
		if (k == 0)
			break;
		i += k;
	}
	return i;
}

/* The longest start of run[0..n) within room bytes that ends on a whole
 * character, not on a space: a space only goes in before a character. */
static size_t
run_cut(const unsigned char *run, size_t n, size_t room)
{
	size_t fit = n;

	if (fit <= room)
		return fit;
	fit = room;
	while (fit > 0 && (run[fit] & 0xc0) == 0x80)
		fit--;
	if (fit > 0 && run[fit - 1] == ' ')
		fit--;
	return fit;
}

/*
 * Appends a space if sp is set, then run[0..n). Not struct buf, which
 * starts at 64 bytes and doubles: each string the parsers keep gets, in
 * one allocation, the size its text can take.
 */
static int
text_put(struct xmlsafe_text *t, size_t sp, const unsigned char *run,
	 size_t n)
{
	size_t want = t->n + sp + n + 1, alloc = t->alloc;
	char *s;

	if (!t->s || want > alloc) {
		if (t->s)
			alloc *= 2;
		if (alloc > t->max + 1)
			alloc = t->max + 1;
		if (alloc < want)
			alloc = want;
		if (!(s = realloc(t->s, alloc)))
			return -1;
		t->s = s;
		t->alloc = alloc;
	}
	if (sp)
		t->s[t->n++] = ' ';
	memcpy(t->s + t->n, run, n);
	t->n += n;
	t->s[t->n] = '\0';
	return 0;
}

int
xmlsafe_text_add(struct xmlsafe_text *t, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k, sp, room, fit;

	while (i < n && !t->oom) {
		k = blank_len(t, u + i, n - i);
		if (k > 0) {
			t->space = t->len > 0;
			i += k;
			continue;
		}
		k = run_len(t, u + i, n - i);
		if (k == 0) {
			i++;	/* not UTF-8 */
			continue;
		}
		sp = (size_t)t->space;
		room = t->max > t->len + sp ? t->max - t->len - sp : 0;
		fit = run_cut(u + i, k, room);
		if (fit > 0 && text_put(t, sp, u + i, fit) < 0)
			t->oom = 1;
		/* Counted on past max, so the caller can say how long it is. */
		t->len += sp + k;
		t->space = 0;
		i += k;
	}
	return t->oom ? -1 : 0;
}

int
xmlsafe_text_full(const struct xmlsafe_text *t)
{
	return t->len > t->max || t->oom;
}

/*
 * The text in node. Most elements and attributes hold a single text node,
 * read where it is; the others get a copy of all their text, to free.
 */
static const xmlChar *
node_content(xmlNodePtr node, xmlChar **copy)
{
	xmlNodePtr c = node->children;

	*copy = NULL;
	if ((node->type == XML_ELEMENT_NODE ||
	     node->type == XML_ATTRIBUTE_NODE) && c && !c->next &&
	    (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
	    c->content)
		return c->content;
	return *copy = xmlNodeGetContent(node);
}

int
xmlsafe_node_text(xmlNodePtr node, size_t max, enum xmlsafe_blanks blanks,
		  xmlsafe_add_fn *add, char **out, size_t *len)
{
	struct xmlsafe_text t = { .max = max, .blanks = blanks };
	const xmlChar *raw;
	xmlChar *copy;
	size_t n;

	*out = NULL;
	*len = 0;
	if (!node)
		return 0;
	raw = node_content(node, &copy);
	if (!raw)
		return -1;
	/* Collapsing and cutting only shorten text, so this is what it
	 * takes; HTML read from it may need more. */
	n = strlen((const char *)raw);
	t.alloc = (n < max ? n : max) + 1;
	if ((add ? add : xmlsafe_text_add)(&t, (const char *)raw, n) < 0)
		t.oom = 1;
	xmlFree(copy);
	*len = t.len;
	if (t.oom || t.n == 0) {
		free(t.s);
		return t.oom ? -1 : 0;
	}
	*out = t.s;
	return 0;
}
