#ifndef TENDERLOTS_XMLSAFE_H
#define TENDERLOTS_XMLSAFE_H

#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>

/*
 * Reading untrusted XML with libxml2, shared by the parsers. A document is
 * read without network access, entity substitution or huge-document mode,
 * and a DOCTYPE is refused where it starts, so no DTD or entity
 * declaration (XXE, expansion bombs) is ever read.
 *
 * libxml2 reports through a per-thread handler. Between xmlsafe_begin and
 * xmlsafe_end its messages are captured instead of printed, so a parser
 * that calls libxml2 beyond the read (XPath, the HTML parser) stays quiet
 * too, and the caller's own handler is put back at the end.
 */
struct xmlsafe {
	char first_error[256];	/* first error libxml2 reported, one line */
	int doctype;
	xmlStructuredErrorFunc old_handler;
	void *old_context;
};

void xmlsafe_begin(struct xmlsafe *x);
void xmlsafe_end(struct xmlsafe *x);

/*
 * Reads a document of at most max bytes. On success returns 0 and sets
 * *doc (free with xmlFreeDoc). Otherwise returns -1 and writes a one-line
 * reason into err: "empty document", "document too large ...", "DOCTYPE
 * not allowed ...", or "line N: XML parse error: ..." from libxml2.
 */
int xmlsafe_read(struct xmlsafe *x, const char *data, size_t len, size_t max,
		 xmlDocPtr *doc, char *err, size_t errlen);

/*
 * XPath as the parsers use it: expressions compiled once per parser, and
 * a context per document that knows the parser's namespace prefixes.
 */
struct xmlsafe_ns {
	const char *prefix;
	const char *href;
};

/* Compiles exprs[0..n) into out; -1, with nothing left to free, if one
 * does not compile. */
int xmlsafe_compile(const char *const *exprs, size_t n,
		    xmlXPathCompExprPtr *out);
void xmlsafe_free_compiled(xmlXPathCompExprPtr *comp, size_t n);

/* NULL when out of memory. */
xmlXPathContextPtr xmlsafe_xpath_context(xmlDocPtr doc,
					 const struct xmlsafe_ns *ns, size_t n);

/* The node-set comp selects from node at (may be empty; *set is then
 * NULL or has no nodes); free *res. -1 on any other result. */
int xmlsafe_eval(xmlXPathContextPtr xpc, xmlXPathCompExprPtr comp,
		 xmlNodePtr at, xmlXPathObjectPtr *res, xmlNodeSetPtr *set);

#endif
