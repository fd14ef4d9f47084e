#ifndef TENDERLOTS_XMLSAFE_H
#define TENDERLOTS_XMLSAFE_H

#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>

/*
 * Reading untrusted XML with libxml2, shared by the parsers: the document,
 * XPath over it, its text, and the reason a parse gives when it fails.
 *
 * A document is read without network access, entity substitution or
 * huge-document mode, and a DOCTYPE is refused where it starts, so no DTD
 * or entity declaration (XXE, expansion bombs) is ever read.
 */

/* A namespace prefix the parser's expressions use. */
struct xmlsafe_ns {
	const char *prefix;
	const char *href;
};

/* An expression, and what error messages call the nodes it selects (NULL
 * where the expression itself serves). */
struct xmlsafe_xpath {
	const char *expr;
	const char *name;
};

/* A parser's expressions, compiled once and used for every document. */
struct xmlsafe_xpaths;
/* The memory xmlsafe_own_tree builds documents in. */
struct xmlsafe_reader;

/*
 * Compiles xp[0..n), whose prefixes are those in ns[0..nns); the tables
 * are kept, not copied. NULL if an expression does not compile or out of
 * memory.
 */
struct xmlsafe_xpaths *xmlsafe_compile(const struct xmlsafe_xpath *xp,
				       size_t n, const struct xmlsafe_ns *ns,
				       size_t nns);
void xmlsafe_free_compiled(struct xmlsafe_xpaths *c);
/*
 * A path of child elements ("cac:A/cbc:B", a step perhaps with "[1]" or
 * "[@attr='value']", or ".") is walked on the tree, any other expression
 * evaluated by libxml2's XPath; on, every one is evaluated (the tests
 * compare the two).
 */
void xmlsafe_xpath_only(struct xmlsafe_xpaths *c, int on);
/*
 * On: the documents read with c are built by xmlsafe's own handlers into
 * memory c keeps from one document to the next, not by libxml2's tree
 * builder, at about half the cost of a parse. The tree is the same, to be
 * read and never changed; c then reads one document at a time (a read
 * while c's document is in use gets libxml2's tree). -1 out of memory.
 */
int xmlsafe_own_tree(struct xmlsafe_xpaths *c, int on);

/*
 * One parse. libxml2 reports through a per-thread handler: from
 * xmlsafe_begin to xmlsafe_end its messages are captured instead of
 * printed, so calls into libxml2 beyond the read (XPath, the HTML parser)
 * stay quiet too, and the caller's own handler is put back at the end.
 */
struct xmlsafe {
	xmlDocPtr doc;		/* set by xmlsafe_read */
	xmlNodePtr root;
	/* The rest is xmlsafe's own. */
	xmlXPathContextPtr xpc;
	const struct xmlsafe_xpaths *xpaths;
	struct xmlsafe_reader *reader;	/* the tree's memory, if its own */
	char *err;
	size_t errlen;
	int failed;
	char first_error[256];	/* first error libxml2 reported, one line */
	int doctype;
	xmlStructuredErrorFunc old_handler;
	void *old_context;
};

/* err (may be NULL when errlen is 0) gets the one-line reason. */
void xmlsafe_begin(struct xmlsafe *x, const struct xmlsafe_xpaths *xpaths,
		   char *err, size_t errlen);

/* Frees the document, also after a failed read or none. */
void xmlsafe_end(struct xmlsafe *x);

/*
 * Gives the reason the parse fails and returns -1. Only the first reason
 * is kept: what fails after it mostly fails because of it.
 */
int xmlsafe_fail(struct xmlsafe *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int xmlsafe_oom(struct xmlsafe *x);

/*
 * Reads a document of at most max bytes that has a root element, to be
 * read and not changed (short texts are stored compactly); -1 with
 * the reason "empty document", "document too large ...", "DOCTYPE not
 * allowed ...", "line N: XML parse error: ..." from libxml2, or "no root
 * element".
 */
int xmlsafe_read(struct xmlsafe *x, const char *data, size_t len, size_t max);

/* What an expression selected, in document order. */
struct xmlsafe_nodes {
	xmlNodePtr *v;
	int n;
	xmlXPathObjectPtr res;	/* holds v */
};

/*
 * The nodes expression id selects from at; none, without evaluating, when
 * at is NULL. -1, with *out empty, if the evaluation fails. Free *out with
 * xmlsafe_nodes_free either way.
 */
int xmlsafe_eval(struct xmlsafe *x, int id, xmlNodePtr at,
		 struct xmlsafe_nodes *out);
void xmlsafe_nodes_free(struct xmlsafe_nodes *nodes);

/* The first node expression id selects from at, NULL if none. */
int xmlsafe_first(struct xmlsafe *x, int id, xmlNodePtr at, xmlNodePtr *node);

/*
 * Plain text from the text in documents: runs of blanks become one space,
 * the ends are trimmed, bytes that are not UTF-8 are dropped, and at most
 * max bytes are kept, whole characters only.
 */
enum xmlsafe_blanks {
	/* Spaces and control characters. */
	XMLSAFE_BLANKS_SPACE,
	/* Also DEL and U+00A0: a no-break space in a feed is layout (what
	 * &nbsp; becomes), where an eForms text writes it on purpose. */
	XMLSAFE_BLANKS_LAYOUT,
};

/* Plain text being built. */
struct xmlsafe_text;

/* -1 when out of memory, then and from then on. */
int xmlsafe_text_add(struct xmlsafe_text *t, const char *s, size_t n);

/* 1 when more text would change nothing: it was cut, or memory ran out. */
int xmlsafe_text_full(const struct xmlsafe_text *t);

/* How a node's text goes into a struct xmlsafe_text, e.g. read as HTML;
 * -1 when out of memory. */
typedef int xmlsafe_add_fn(struct xmlsafe_text *t, const char *s, size_t n);

/*
 * The text of node as plain text of at most max bytes, added through add
 * (xmlsafe_text_add when NULL); *out is NULL when node is NULL or the text
 * is blank. *len is what the whole text takes, more than max when it was
 * cut. -1 when out of memory.
 */
int xmlsafe_node_text(xmlNodePtr node, size_t max, enum xmlsafe_blanks blanks,
		      xmlsafe_add_fn *add, char **out, size_t *len);

#endif
