#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xpathInternals.h>

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

void
xmlsafe_begin(struct xmlsafe *x)
{
	xmlInitParser();
	memset(x, 0, sizeof(*x));
	x->old_handler = xmlStructuredError;
	x->old_context = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(x, on_xml_error);
}

void
xmlsafe_end(struct xmlsafe *x)
{
	xmlSetStructuredErrorFunc(x->old_context, x->old_handler);
}

int
xmlsafe_read(struct xmlsafe *x, const char *data, size_t len, size_t max,
	     xmlDocPtr *doc, char *err, size_t errlen)
{
	xmlParserCtxtPtr ctxt = NULL;
	int rc = -1;

	*doc = NULL;
	x->first_error[0] = '\0';
	x->doctype = 0;
	if (len == 0) {
		snprintf(err, errlen, "empty document");
		goto out;
	}
	/* Also keeps the length within the int libxml2 takes. */
	if (len > max || len > (size_t)0x7fffffff) {
		snprintf(err, errlen, "document too large (%zu bytes, max %zu)",
			 len, max);
		goto out;
	}
	ctxt = xmlCreateMemoryParserCtxt(data, (int)len);
	if (!ctxt) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	/* These defaults come from process-wide settings another library
	 * in the process may have changed. */
	ctxt->replaceEntities = 0;
	ctxt->loadsubset = 0;
	ctxt->validate = 0;
	ctxt->_private = x;
	ctxt->sax->internalSubset = on_doctype;
	xmlParseDocument(ctxt);
	if (x->doctype) {
		snprintf(err, errlen, "DOCTYPE not allowed: no DTD or entity "
			 "declarations are read");
		goto out;
	}
	if (!ctxt->wellFormed || !ctxt->nsWellFormed || !ctxt->myDoc) {
		snprintf(err, errlen, "%s", x->first_error[0] ?
			 x->first_error : "XML parse error");
		goto out;
	}
	*doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	rc = 0;
out:
	if (ctxt) {
		xmlFreeDoc(ctxt->myDoc);
		xmlFreeParserCtxt(ctxt);
	}
	return rc;
}

int
xmlsafe_compile(const char *const *exprs, size_t n, xmlXPathCompExprPtr *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[i] = xmlXPathCompile((const xmlChar *)exprs[i]);
		if (!out[i]) {
			xmlsafe_free_compiled(out, i);
			return -1;
		}
	}
	return 0;
}

void
xmlsafe_free_compiled(xmlXPathCompExprPtr *comp, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		xmlXPathFreeCompExpr(comp[i]);
		comp[i] = NULL;
	}
}

xmlXPathContextPtr
xmlsafe_xpath_context(xmlDocPtr doc, const struct xmlsafe_ns *ns, size_t n)
{
	xmlXPathContextPtr xpc;
	size_t i;

	xpc = xmlXPathNewContext(doc);
	for (i = 0; xpc && i < n; i++) {
		if (xmlXPathRegisterNs(xpc, (const xmlChar *)ns[i].prefix,
				       (const xmlChar *)ns[i].href) != 0) {
			xmlXPathFreeContext(xpc);
			xpc = NULL;
		}
	}
	return xpc;
}

int
xmlsafe_eval(xmlXPathContextPtr xpc, xmlXPathCompExprPtr comp, xmlNodePtr at,
	     xmlXPathObjectPtr *res, xmlNodeSetPtr *set)
{
	*set = NULL;
	xpc->node = at;
	*res = xmlXPathCompiledEval(comp, xpc);
	if (!*res || (*res)->type != XPATH_NODESET) {
		xmlXPathFreeObject(*res);
		*res = NULL;
		return -1;
	}
	*set = (*res)->nodesetval;
	return 0;
}
