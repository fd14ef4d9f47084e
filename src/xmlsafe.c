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
 * The expressions are walked on the tree directly: paths of child
 * elements, "cac:A/cbc:B", perhaps ending in an attribute, "cbc:A/@b", a
 * step perhaps with a predicate: "[1]", "[@attr='value']", conditions of
 * the form "cbc:A/@b='value'" or "cbc:A='value'" joined by " or ", or
 * "[not(cbc:A)]"; "." (the context node); and the union of two paths,
 * "A | B". libxml2's XPath evaluates any other expression. Walking costs
 * a comparison of names a child, where an evaluation sets up a context,
 * looks up each prefix, tests each node through generic code and
 * allocates a node set even for the first node or none: for eForms,
 * most of the time spent reading a notice once it was parsed.
 *
 * Names and values point into the expression's text, which is kept.
 */
#define PATH_STEPS_MAX 8
#define PATH_ALTS_MAX 2
#define PRED_MAX 2
#define PRED_STEPS_MAX 2

struct path_name {
	const char *s;
	size_t len;		/* 0: none */
};

/* A child element of the node tested, by namespace and local name. */
struct path_elem {
	const char *href;
	struct path_name name;
};

/* One condition of a predicate on the node tested. */
struct path_cond {
	struct path_elem step[PRED_STEPS_MAX];	/* the nodes it looks at */
	size_t nsteps;				/* 0: the node tested */
	struct path_name attr;	/* their attribute; none: their text */
	struct path_name value;	/* equal to value; none: they exist */
};

struct path_step {
	struct path_elem elem;
	int first;		/* [1]: the first such child only */
	int negate;		/* [not(...)] */
	size_t nconds;		/* joined by or; none: no predicate */
	struct path_cond cond[PRED_MAX];
};

struct path_alt {
	size_t nsteps;		/* none: the context node itself */
	struct path_step step[PATH_STEPS_MAX];
	struct path_name attr;	/* "/@attr" at the end, or none */
};

struct path {
	int walk;		/* 0: evaluated by libxml2's XPath */
	size_t nalts;		/* the paths joined by " | " */
	struct path_alt alt[PATH_ALTS_MAX];
};

struct xmlsafe_reader;

struct xmlsafe_xpaths {
	const struct xmlsafe_xpath *xp;
	size_t n;
	const struct xmlsafe_ns *ns;
	size_t nns;
	struct path *path;	/* n of them */
	int xpath_only;
	int own_tree;		/* documents built by read_own() */
	struct xmlsafe_reader *reader;	/* its memory, once first needed */
	xmlXPathCompExprPtr comp[];
};

/* The run of name characters at *p; 0 if there is none. */
static int
path_name(const char **p, struct path_name *out)
{
	const char *s = *p;

	while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	       (s > *p && ((*s >= '0' && *s <= '9') || *s == '-' ||
			   *s == '_')))
		s++;
	out->s = *p;
	out->len = (size_t)(s - *p);
	*p = s;
	return out->len > 0;
}

/* Whether the text at *p starts with what, skipped if so. */
static int
path_skip(const char **p, const char *what)
{
	size_t n = strlen(what);

	if (strncmp(*p, what, n) != 0)
		return 0;
	*p += n;
	return 1;
}

/* "prefix:name" at *p, with a prefix of ns; -1 if it is not one. */
static int
path_elem(const char **p, const struct xmlsafe_ns *ns, size_t nns,
	  struct path_elem *e)
{
	struct path_name prefix;
	size_t i;

	if (!path_name(p, &prefix) || !path_skip(p, ":") ||
	    !path_name(p, &e->name))
		return -1;
	for (i = 0; i < nns; i++)
		if (strlen(ns[i].prefix) == prefix.len &&
		    strncmp(ns[i].prefix, prefix.s, prefix.len) == 0)
			break;
	if (i == nns)
		return -1;
	e->href = ns[i].href;
	return 0;
}

/* "'value'" at *p. */
static int
path_value(const char **p, struct path_name *v)
{
	const char *end;

	if (!path_skip(p, "'") || !(end = strchr(*p, '\'')))
		return -1;
	v->s = *p;
	v->len = (size_t)(end - *p);
	*p = end + 1;
	return 0;
}

/* A condition: "@a='v'", "x:A/@a='v'", "x:A='v'", or (exists)
 * "x:A". */
static int
path_cond(const char **p, const struct xmlsafe_ns *ns, size_t nns,
	  struct path_cond *c)
{
	memset(c, 0, sizeof *c);
	while (**p != '@') {
		if (c->nsteps == PRED_STEPS_MAX ||
		    path_elem(p, ns, nns, &c->step[c->nsteps++]) < 0)
			return -1;
		if (!path_skip(p, "/"))
			break;
	}
	if (path_skip(p, "@") && !path_name(p, &c->attr))
		return -1;
	if (path_skip(p, "=") && path_value(p, &c->value) < 0)
		return -1;
	/* an attribute alone, or none at all, is not what we walk */
	return c->nsteps || (c->attr.len && c->value.s) ? 0 : -1;
}

/* One step: "x:A", perhaps with a predicate. */
static int
path_step(const char **p, const struct xmlsafe_ns *ns, size_t nns,
	  struct path_step *st)
{
	memset(st, 0, sizeof *st);
	if (path_elem(p, ns, nns, &st->elem) < 0)
		return -1;
	if (path_skip(p, "[1]")) {
		st->first = 1;
		return 0;
	}
	if (!path_skip(p, "["))
		return 0;
	if (path_skip(p, "not(")) {
		st->negate = 1;
		if (path_cond(p, ns, nns, &st->cond[0]) < 0 ||
		    st->cond[0].value.s || !path_skip(p, ")]"))
			return -1;
		st->nconds = 1;
		return 0;
	}
	do {
		if (st->nconds == PRED_MAX ||
		    path_cond(p, ns, nns, &st->cond[st->nconds++]) < 0 ||
		    !st->cond[st->nconds - 1].value.s)
			return -1;
	} while (path_skip(p, " or "));
	return path_skip(p, "]") ? 0 : -1;
}

/* One path of a union. */
static int
path_alt(const char **p, const struct xmlsafe_ns *ns, size_t nns,
	 struct path_alt *a)
{
	memset(a, 0, sizeof *a);
	if (path_skip(p, "."))
		return 0;
	do {
		if (path_skip(p, "@"))
			return path_name(p, &a->attr) && a->nsteps ? 0 : -1;
		if (a->nsteps == PATH_STEPS_MAX ||
		    path_step(p, ns, nns, &a->step[a->nsteps++]) < 0)
			return -1;
	} while (path_skip(p, "/"));
	return 0;
}

/* The walk of expr, or p->walk 0 for one libxml2 evaluates. */
static void
path_compile(const char *expr, const struct xmlsafe_ns *ns, size_t nns,
	     struct path *p)
{
	const char *s = expr;

	memset(p, 0, sizeof *p);
	do {
		if (p->nalts == PATH_ALTS_MAX ||
		    path_alt(&s, ns, nns, &p->alt[p->nalts++]) < 0)
			return;
	} while (path_skip(&s, " | "));
	p->walk = *s == '\0';
}

static int
name_is(const xmlChar *name, const struct path_name *n)
{
	return strncmp((const char *)name, n->s, n->len) == 0 &&
	       name[n->len] == '\0';
}

/* The element's attribute (in no namespace) called name, or NULL. */
static xmlAttrPtr
attr_named(xmlNodePtr node, const struct path_name *name)
{
	xmlAttrPtr a;

	for (a = node->properties; a; a = a->next)
		if (!a->ns && name_is(a->name, name))
			return a;
	return NULL;
}

/* Whether the text of a node (its string value) is value. */
static int
text_is(xmlNodePtr node, const struct path_name *value)
{
	xmlNodePtr c = node->children;
	xmlChar *v;
	int same;

	if (c && !c->next && c->type == XML_TEXT_NODE && c->content)
		return name_is(c->content, value);
	if (!c)
		return value->len == 0;
	v = node->type == XML_ATTRIBUTE_NODE ?
	    xmlNodeListGetString(node->doc, c, 1) : xmlNodeGetContent(node);
	same = v && name_is(v, value);
	xmlFree(v);
	return same;
}

static int
elem_matches(const struct path_elem *e, xmlNodePtr node)
{
	return node->type == XML_ELEMENT_NODE && node->ns &&
	       node->name[0] == (xmlChar)e->name.s[0] &&
	       name_is(node->name, &e->name) && node->ns->href &&
	       strcmp((const char *)node->ns->href, e->href) == 0;
}

/* Whether the condition holds of node, looking from step i on. */
static int
cond_holds(const struct path_cond *c, size_t i, xmlNodePtr node)
{
	xmlNodePtr k;
	xmlAttrPtr a;

	if (i == c->nsteps) {
		if (c->attr.len)
			return (a = attr_named(node, &c->attr)) &&
			       (!c->value.s || text_is((xmlNodePtr)a, &c->value));
		return !c->value.s || text_is(node, &c->value);
	}
	for (k = node->children; k; k = k->next)
		if (elem_matches(&c->step[i], k) && cond_holds(c, i + 1, k))
			return 1;
	return 0;
}

static int
step_matches(const struct path_step *st, xmlNodePtr node)
{
	size_t i;
	int holds = 0;

	if (!elem_matches(&st->elem, node))
		return 0;
	if (!st->nconds)
		return 1;
	for (i = 0; i < st->nconds && !holds; i++)
		holds = cond_holds(&st->cond[i], 0, node);
	return holds != st->negate;
}

/* What one path found: into set (created when first needed), or only
 * the first to *first when first is not NULL. -1 on ENOMEM. */
static int
path_found(xmlNodePtr node, xmlNodeSetPtr *set, xmlNodePtr *first)
{
	if (first) {
		*first = node;
		return 0;
	}
	if (!*set && !(*set = xmlXPathNodeSetCreate(NULL)))
		return -1;
	return xmlXPathNodeSetAdd(*set, node) < 0 ? -1 : 0;
}

/*
 * The nodes the steps from i on select below at, in document order: each
 * one to set, or only the first to *first when first is not NULL. -1 on
 * ENOMEM.
 */
static int
alt_walk(const struct path_alt *p, size_t i, xmlNodePtr at,
	 xmlNodeSetPtr *set, xmlNodePtr *first)
{
	xmlNodePtr c;
	xmlAttrPtr a;

	if (i == p->nsteps) {
		if (!p->attr.len)
			return path_found(at, set, first);
		a = attr_named(at, &p->attr);
		return a ? path_found((xmlNodePtr)a, set, first) : 0;
	}
	for (c = at->children; c; c = c->next) {
		if (!step_matches(&p->step[i], c))
			continue;
		if (alt_walk(p, i + 1, c, set, first) < 0)
			return -1;
		if (p->step[i].first || (first && *first))
			break;
	}
	return 0;
}

/* The nodes p selects below at, as alt_walk; a union in document order. */
static int
path_walk(const struct path *p, xmlNodePtr at, xmlNodeSetPtr *set,
	  xmlNodePtr *first)
{
	xmlNodeSetPtr all = NULL;
	size_t i;

	if (p->nalts == 1)
		return alt_walk(&p->alt[0], 0, at, set, first);
	for (i = 0; i < p->nalts; i++)
		if (alt_walk(&p->alt[i], 0, at, &all, NULL) < 0) {
			xmlXPathFreeNodeSet(all);
			return -1;
		}
	if (all)
		xmlXPathNodeSetSort(all);
	if (first) {
		*first = all && all->nodeNr ? all->nodeTab[0] : NULL;
		xmlXPathFreeNodeSet(all);
	} else {
		*set = all;
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

static void reader_free(struct xmlsafe_reader *r);

void
xmlsafe_free_compiled(struct xmlsafe_xpaths *c)
{
	size_t i;

	for (i = 0; c && i < c->n; i++)
		xmlXPathFreeCompExpr(c->comp[i]);
	if (c) {
		free(c->path);
		reader_free(c->reader);
	}
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

static void reader_done(struct xmlsafe_reader *r);

void
xmlsafe_end(struct xmlsafe *x)
{
	xmlXPathFreeContext(x->xpc);
	if (x->reader)
		reader_done(x->reader);
	else
		xmlFreeDoc(x->doc);
	x->reader = NULL;
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

/*
 * The tree of a document read with xmlsafe_own_tree on. libxml2's parser
 * calls the handlers below, which build the nodes libxml2's own tree
 * builder would (elements, attributes, text, CDATA, comments, processing
 * instructions, as the xmlNode, xmlAttr and xmlNs libxml2 declares) in
 * blocks of memory kept from one document to the next, with the names in
 * the parser's dictionary, which is kept too. Dropping the document is
 * forgetting what the blocks hold. libxml2's builder costs a malloc and
 * a free a node, a lookup of each namespace up the tree and a new
 * dictionary a document: about half of the time a parse takes.
 *
 * Not built: the namespace declarations of each element (nsDef), line
 * numbers and the document's own properties (version, encoding, URL),
 * which no reader looks at. The tree is to be read, never changed or
 * freed through libxml2.
 */
#define BLOCK_SIZE (64u * 1024u)
/* What a reader keeps between documents; a bigger one's memory is freed. */
#define READER_KEEP_BYTES (1024u * 1024u)
#define READER_KEEP_NAMES 20000
/* Namespaces a document's nodes share an xmlNs of; others get their own. */
#define READER_NS_MAX 32

struct block {
	struct block *next;
	size_t size;
	size_t used;
	max_align_t data[];
};

struct reader_ns {
	const xmlChar *prefix;
	const xmlChar *href;
	xmlNsPtr ns;
};

struct xmlsafe_reader {
	xmlParserCtxtPtr ctxt;	/* kept, with its dictionary; NULL before */
	xmlSAXHandler sax;
	struct block *blocks;	/* in use, the one being filled first */
	struct block *spare;	/* kept from earlier documents */
	xmlDoc doc;
	xmlNodePtr text;	/* the text or CDATA node last made, its room */
	size_t text_len;
	size_t text_room;
	struct reader_ns ns[READER_NS_MAX];
	size_t nns;
	int busy;		/* a document read is in use */
	int oom;
};

static void *
tree_alloc(struct xmlsafe_reader *r, size_t n)
{
	struct block *b = r->blocks, **sp;
	size_t align = _Alignof(max_align_t), size;
	void *p;

	n = (n + align - 1) / align * align;
	if (!b || b->size - b->used < n) {
		for (sp = &r->spare; *sp && (*sp)->size < n; sp = &(*sp)->next)
			;
		if ((b = *sp)) {
			*sp = b->next;
		} else {
			size = n > BLOCK_SIZE ? n : BLOCK_SIZE;
			if (!(b = malloc(sizeof *b + size)))
				return NULL;
			b->size = size;
		}
		b->used = 0;
		b->next = r->blocks;
		r->blocks = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

/* Blocks of all bytes; zeroed. */
static void *
tree_zalloc(struct xmlsafe_reader *r, size_t n)
{
	void *p = tree_alloc(r, n);

	if (p)
		memset(p, 0, n);
	return p;
}

/* Forgets the document's nodes, keeping some of their memory. */
static void
tree_forget(struct xmlsafe_reader *r)
{
	struct block *b, *next, *keep = r->spare;
	size_t kept = 0;

	for (b = keep; b; b = b->next)
		kept += b->size;
	for (b = r->blocks; b; b = next) {
		next = b->next;
		if (kept + b->size > READER_KEEP_BYTES) {
			free(b);
			continue;
		}
		kept += b->size;
		b->next = keep;
		keep = b;
	}
	r->spare = keep;
	r->blocks = NULL;
}

static struct xmlsafe_reader *
reader_of(void *ctx)
{
	xmlParserCtxtPtr ctxt = ctx;

	return ((struct xmlsafe *)ctxt->_private)->reader;
}

/* Out of memory: the parse stops, and fails. */
static void
tree_oom(xmlParserCtxtPtr ctxt, struct xmlsafe_reader *r)
{
	r->oom = 1;
	xmlStopParser(ctxt);
}

/* The namespace of prefix and href, as libxml2 would find it declared. */
static xmlNsPtr
tree_ns(struct xmlsafe_reader *r, const xmlChar *prefix, const xmlChar *href)
{
	xmlNsPtr ns;
	size_t i;

	for (i = 0; i < r->nns; i++)
		if (r->ns[i].prefix == prefix && xmlStrEqual(r->ns[i].href, href))
			return r->ns[i].ns;
	if (!(ns = tree_zalloc(r, sizeof *ns)))
		return NULL;
	ns->type = XML_NAMESPACE_DECL;
	ns->href = href;
	ns->prefix = prefix;
	ns->context = &r->doc;
	if (r->nns < READER_NS_MAX)
		r->ns[r->nns++] = (struct reader_ns){ prefix, href, ns };
	return ns;
}

/* Node as the last child of parent (the document when NULL). */
static void
tree_add(struct xmlsafe_reader *r, xmlNodePtr parent, xmlNodePtr node)
{
	if (!parent)
		parent = (xmlNodePtr)&r->doc;
	node->parent = parent;
	node->doc = &r->doc;
	if (parent->last) {
		parent->last->next = node;
		node->prev = parent->last;
	} else {
		parent->children = node;
	}
	parent->last = node;
	r->text = NULL;
}

/* A copy of s[0..n) with its NUL. */
static xmlChar *
tree_strndup(struct xmlsafe_reader *r, const xmlChar *s, size_t n)
{
	xmlChar *p = tree_alloc(r, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/*
 * An attribute's value as libxml2's tree builder keeps it. Without
 * entity substitution, the parser hands over an '&' in a value that
 * needed rewriting (a reference, a line break) as "&#38;", the builder
 * reads it back as '&'; no other reference can be left in it.
 */
static xmlChar *
attr_value(struct xmlsafe_reader *r, const xmlChar *v, const xmlChar *end)
{
	size_t n = (size_t)(end - v), i, k = 0;
	xmlChar *p = tree_strndup(r, v, n);

	if (!p || *end != '\0' || !memchr(v, '&', n))
		return p;
	for (i = 0; i < n; i++) {
		p[k++] = v[i];
		if (v[i] == '&' && n - i >= 5 && memcmp(v + i, "&#38;", 5) == 0)
			i += 4;
	}
	p[k] = '\0';
	return p;
}

static int
tree_attrs(struct xmlsafe_reader *r, xmlNodePtr node, int n,
	   const xmlChar **atts)
{
	xmlAttrPtr a, last = NULL;
	xmlNodePtr t;
	int i;

	for (i = 0; i < n; i++, atts += 5) {
		if (!(a = tree_zalloc(r, sizeof *a)) ||
		    !(t = tree_zalloc(r, sizeof *t)) ||
		    (atts[2] && !(a->ns = tree_ns(r, atts[1], atts[2]))) ||
		    !(t->content = attr_value(r, atts[3], atts[4])))
			return -1;
		a->type = XML_ATTRIBUTE_NODE;
		a->name = atts[0];
		a->parent = node;
		a->doc = &r->doc;
		t->type = XML_TEXT_NODE;
		t->name = xmlStringText;
		t->parent = (xmlNodePtr)a;
		t->doc = &r->doc;
		a->children = a->last = t;
		if (last) {
			last->next = a;
			a->prev = last;
		} else {
			node->properties = a;
		}
		last = a;
	}
	return 0;
}

static void
on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		 const xmlChar *uri, int nb_namespaces,
		 const xmlChar **namespaces, int nb_attributes,
		 int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xmlsafe_reader *r = reader_of(ctx);
	xmlNodePtr node = tree_zalloc(r, sizeof *node);

	if (!node || (uri && !(node->ns = tree_ns(r, prefix, uri)))) {
		tree_oom(ctxt, r);
		return;
	}
	node->type = XML_ELEMENT_NODE;
	node->name = localname;
	tree_add(r, ctxt->node, node);
	if (tree_attrs(r, node, nb_attributes, attributes) < 0) {
		tree_oom(ctxt, r);
		return;
	}
	/* what NOBLANKS decides looks at it; too deep stops the parse */
	nodePush(ctxt, node);
}

static void
on_end_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
	       const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = ctx;

	reader_of(ctx)->text = NULL;
	nodePop(ctxt);
}

/* Text or CDATA, joined to the node of its kind just before it. */
static void
tree_text(void *ctx, xmlElementType type, const xmlChar *s, int len)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xmlsafe_reader *r = reader_of(ctx);
	xmlNodePtr parent = ctxt->node, t = r->text;
	size_t n = len > 0 ? (size_t)len : 0, room;
	xmlChar *content;

	if (!parent)
		return;
	if (t && t == parent->last && t->type == type) {
		if (r->text_len + n + 1 > r->text_room) {
			room = 2 * r->text_room;
			if (room < r->text_len + n + 1)
				room = r->text_len + n + 1;
			if (!(content = tree_alloc(r, room))) {
				tree_oom(ctxt, r);
				return;
			}
			memcpy(content, t->content, r->text_len);
			t->content = content;
			r->text_room = room;
		}
		memcpy(t->content + r->text_len, s, n);
		r->text_len += n;
		t->content[r->text_len] = '\0';
		return;
	}
	if (!(t = tree_zalloc(r, sizeof *t)) ||
	    !(t->content = tree_strndup(r, s, n))) {
		tree_oom(ctxt, r);
		return;
	}
	t->type = type;
	if (type == XML_TEXT_NODE)
		t->name = xmlStringText;
	tree_add(r, parent, t);
	r->text = t;
	r->text_len = n;
	r->text_room = n + 1;
}

static void
on_characters(void *ctx, const xmlChar *s, int len)
{
	tree_text(ctx, XML_TEXT_NODE, s, len);
}

static void
on_cdata(void *ctx, const xmlChar *s, int len)
{
	tree_text(ctx, XML_CDATA_SECTION_NODE, s, len);
}

/* A comment or processing instruction, where it stands. */
static void
tree_other(void *ctx, xmlElementType type, const xmlChar *name,
	   const xmlChar *content)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xmlsafe_reader *r = reader_of(ctx);
	xmlNodePtr node = tree_zalloc(r, sizeof *node);

	if (!node || (name && !(name = tree_strndup(r, name, strlen(
				    (const char *)name)))) ||
	    (content && !(node->content = tree_strndup(r, content, strlen(
				    (const char *)content))))) {
		tree_oom(ctxt, r);
		return;
	}
	node->type = type;
	node->name = name;
	tree_add(r, ctxt->node, node);
}

static void
on_comment(void *ctx, const xmlChar *value)
{
	tree_other(ctx, XML_COMMENT_NODE, xmlStringComment, value);
}

static void
on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	tree_other(ctx, XML_PI_NODE, target, data);
}

static void
on_start_document(void *ctx)
{
}

static void
reader_free(struct xmlsafe_reader *r)
{
	struct block *b, *next;

	if (!r)
		return;
	tree_forget(r);
	for (b = r->spare; b; b = next) {
		next = b->next;
		free(b);
	}
	xmlFreeParserCtxt(r->ctxt);
	free(r);
}

int
xmlsafe_own_tree(struct xmlsafe_xpaths *c, int on)
{
	struct xmlsafe_reader *r;

	c->own_tree = on;
	if (!on || c->reader)
		return 0;
	if (!(r = calloc(1, sizeof *r)))
		return -1;
	xmlSAXVersion(&r->sax, 2);
	r->sax.startDocument = on_start_document;
	r->sax.endDocument = NULL;
	r->sax.startElementNs = on_start_element;
	r->sax.endElementNs = on_end_element;
	r->sax.characters = on_characters;
	r->sax.cdataBlock = on_cdata;
	r->sax.comment = on_comment;
	r->sax.processingInstruction = on_pi;
	r->sax.reference = NULL;
	c->reader = r;
	return 0;
}

/* After a document: its nodes forgotten, the parser ready for the next. */
static void
reader_done(struct xmlsafe_reader *r)
{
	tree_forget(r);
	r->busy = 0;
	if (r->ctxt && xmlDictSize(r->ctxt->dict) > READER_KEEP_NAMES) {
		xmlFreeParserCtxt(r->ctxt);
		r->ctxt = NULL;
	} else if (r->ctxt) {
		/* drops the copy of the input */
		xmlCtxtReset(r->ctxt);
	}
}

/* The options every read takes; the parser's callbacks already set. */
static void
ctxt_setup(struct xmlsafe *x, xmlParserCtxtPtr ctxt)
{
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
}

/* Why the parse failed, or 0. */
static int
parse_failed(struct xmlsafe *x, xmlParserCtxtPtr ctxt, int no_doc)
{
	if (x->doctype)
		return xmlsafe_fail(x, "DOCTYPE not allowed: no DTD or entity "
				    "declarations are read");
	if (!ctxt->wellFormed || !ctxt->nsWellFormed || no_doc)
		return xmlsafe_fail(x, "%s", x->first_error[0] ?
				    x->first_error : "XML parse error");
	return 0;
}

/* A parse into the reader's own tree. */
static int
read_own(struct xmlsafe *x, struct xmlsafe_reader *r, const char *data,
	 size_t len)
{
	xmlParserInputBufferPtr buf;
	xmlParserInputPtr in;
	xmlParserCtxtPtr ctxt;

	x->reader = r;
	r->busy = 1;
	r->oom = 0;
	r->text = NULL;
	r->nns = 0;
	memset(&r->doc, 0, sizeof r->doc);
	r->doc.type = XML_DOCUMENT_NODE;
	r->doc.doc = &r->doc;
	if (!r->ctxt && !(r->ctxt = xmlNewParserCtxt()))
		return xmlsafe_oom(x);
	ctxt = r->ctxt;
	if (!(buf = xmlParserInputBufferCreateMem(data, (int)len,
						  XML_CHAR_ENCODING_NONE)))
		return xmlsafe_oom(x);
	if (!(in = xmlNewIOInputStream(ctxt, buf, XML_CHAR_ENCODING_NONE))) {
		xmlFreeParserInputBuffer(buf);
		return xmlsafe_oom(x);
	}
	if (inputPush(ctxt, in) < 0)
		return xmlsafe_oom(x);
	*ctxt->sax = r->sax;
	ctxt->userData = ctxt;
	ctxt_setup(x, ctxt);
	xmlParseDocument(ctxt);
	if (r->oom)
		return xmlsafe_oom(x);
	if (parse_failed(x, ctxt, 0) < 0)
		return -1;
	x->doc = &r->doc;
	return 0;
}

int
xmlsafe_read(struct xmlsafe *x, const char *data, size_t len, size_t max)
{
	struct xmlsafe_reader *r = x->xpaths ? x->xpaths->reader : NULL;
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
	/* a reader serves one document at a time */
	if (r && x->xpaths->own_tree && !r->busy) {
		if (read_own(x, r, data, len) < 0)
			goto out;
	} else {
		if (!(ctxt = xmlCreateMemoryParserCtxt(data, (int)len))) {
			xmlsafe_oom(x);
			goto out;
		}
		ctxt_setup(x, ctxt);
		xmlParseDocument(ctxt);
		if (parse_failed(x, ctxt, !ctxt->myDoc) < 0)
			goto out;
		x->doc = ctxt->myDoc;
		ctxt->myDoc = NULL;
	}
	x->root = xmlDocGetRootElement(x->doc);
	if (!x->root) {
		xmlsafe_fail(x, "no root element");
		goto out;
	}
	rc = 0;
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

		if (path_walk(&x->xpaths->path[id], at, &set, NULL) < 0 ||
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
	/* set up when first needed: most documents need none */
	if (!x->xpc && new_xpath_context(x) < 0)
		return -1;
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
		return path_walk(&x->xpaths->path[id], at, NULL, node);
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
