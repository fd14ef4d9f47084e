#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "eforms.h"

/* Far above any real notice (the largest TED notices are a few MiB). */
#define EFORMS_MAX_INPUT (16u * 1024u * 1024u)
#define EFORMS_MAX_LOTS 10000
/* Per lot and per kind of code; real notices list a handful. */
#define EFORMS_MAX_CODES 300
/* Lots inherit the procedure's codes; this bounds what that can cost. */
#define EFORMS_MAX_TOTAL_CODES 200000
/* eForms caps titles at a few hundred characters; this is far above. */
#define EFORMS_MAX_TEXT 8192
/* Identifiers end up in database keys, file names and URLs. */
#define EFORMS_MAX_TOKEN 128

#define EXT "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/" \
	    "efext:EformsExtension"
#define DOCS "cac:TenderingTerms/cac:CallForTendersDocumentReference/" \
	     "cac:Attachment/cac:ExternalReference/cbc:URI"

#define TED_NOTICE_URL "https://ted.europa.eu/en/notice/-/detail/"

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_t;
#else
typedef xmlError *xml_error_t;
#endif

/*
 * Every expression is evaluated with the context node set to the root
 * element (procedure level), a lot, a cac:ProcurementProject or a period,
 * so none needs the root's namespace, which differs per notice type.
 */
enum xp {
	XP_NOTICE_ID,
	XP_VERSION,
	XP_FOLDER,
	XP_ISSUE_DATE,
	XP_SUBTYPE,
	XP_TYPE_LIST,
	XP_CHANGES,
	XP_LANGUAGE,
	XP_PUB_DATE,
	XP_PUB_ID,
	XP_BUYER_ID,
	XP_BUYER_PROFILE,
	XP_COMPANIES,
	XP_COMPANY_ID,
	XP_COMPANY_NAME,
	XP_COMPANY_WEB,
	XP_DOC_URI,
	XP_LOTS,
	XP_LOT_ID,
	XP_PROJECT,
	XP_NAME,
	XP_CPV_MAIN,
	XP_CPV_ADD,
	XP_AMOUNT,
	XP_NUTS,
	XP_SME,
	XP_SUBMISSION,
	XP_PARTICIPATION,
	XP_INTEREST,
	XP_ANSWER,
	XP_END_DATE,
	XP_END_TIME,
	XP_COUNT
};

/* name: how an error message refers to what the expression selects. */
static const struct {
	const char *expr;
	const char *name;
} xpaths[XP_COUNT] = {
	[XP_NOTICE_ID] = { "cbc:ID[@schemeName='notice-id']",
			   "notice id (cbc:ID[@schemeName='notice-id'])" },
	[XP_VERSION] = { "cbc:VersionID", "cbc:VersionID" },
	[XP_FOLDER] = { "cbc:ContractFolderID", "cbc:ContractFolderID" },
	[XP_ISSUE_DATE] = { "cbc:IssueDate", "cbc:IssueDate" },
	[XP_SUBTYPE] = { EXT "/efac:NoticeSubType/cbc:SubTypeCode",
			 "notice subtype (efac:NoticeSubType/cbc:SubTypeCode)" },
	[XP_TYPE_LIST] = { "cbc:NoticeTypeCode/@listName",
			   "cbc:NoticeTypeCode/@listName" },
	[XP_CHANGES] = { EXT "/efac:Changes", "efac:Changes" },
	[XP_LANGUAGE] = { "cbc:NoticeLanguageCode", "cbc:NoticeLanguageCode" },
	[XP_PUB_DATE] = { EXT "/efac:Publication/efbc:PublicationDate",
			  "efac:Publication/efbc:PublicationDate" },
	[XP_PUB_ID] = { EXT "/efac:Publication/efbc:NoticePublicationID",
			"efac:Publication/efbc:NoticePublicationID" },
	[XP_BUYER_ID] = { "cac:ContractingParty[1]/cac:Party/"
			  "cac:PartyIdentification/cbc:ID",
			  "cac:ContractingParty/cac:Party/"
			  "cac:PartyIdentification/cbc:ID" },
	[XP_BUYER_PROFILE] = { "cac:ContractingParty[1]/cbc:BuyerProfileURI",
			       "cac:ContractingParty/cbc:BuyerProfileURI" },
	[XP_COMPANIES] = { EXT "/efac:Organizations/efac:Organization/"
			   "efac:Company", "efac:Organization/efac:Company" },
	[XP_COMPANY_ID] = { "cac:PartyIdentification/cbc:ID",
			    "efac:Company/cac:PartyIdentification/cbc:ID" },
	[XP_COMPANY_NAME] = { "cac:PartyName/cbc:Name",
			      "efac:Company/cac:PartyName/cbc:Name" },
	[XP_COMPANY_WEB] = { "cbc:WebsiteURI", "efac:Company/cbc:WebsiteURI" },
	[XP_DOC_URI] = { DOCS " | cac:ProcurementProjectLot/" DOCS,
			 "cac:CallForTendersDocumentReference/cbc:URI" },
	[XP_LOTS] = { "cac:ProcurementProjectLot[cbc:ID/@schemeName='Lot' or "
		      "cbc:ID/@schemeName='Part']", "cac:ProcurementProjectLot" },
	[XP_LOT_ID] = { "cbc:ID", "cac:ProcurementProjectLot/cbc:ID" },
	[XP_PROJECT] = { "cac:ProcurementProject", "cac:ProcurementProject" },
	[XP_NAME] = { "cbc:Name", "cac:ProcurementProject/cbc:Name" },
	[XP_CPV_MAIN] = { "cac:MainCommodityClassification/"
			  "cbc:ItemClassificationCode",
			  "cac:MainCommodityClassification" },
	[XP_CPV_ADD] = { "cac:AdditionalCommodityClassification/"
			 "cbc:ItemClassificationCode",
			 "cac:AdditionalCommodityClassification" },
	[XP_AMOUNT] = { "cac:RequestedTenderTotal/"
			"cbc:EstimatedOverallContractAmount",
			"cbc:EstimatedOverallContractAmount" },
	[XP_NUTS] = { "cac:RealizedLocation/cac:Address/"
		      "cbc:CountrySubentityCode",
		      "cac:RealizedLocation/cac:Address/cbc:CountrySubentityCode" },
	[XP_SME] = { "cbc:SMESuitableIndicator", "cbc:SMESuitableIndicator" },
	[XP_SUBMISSION] = { "cac:TenderingProcess/"
			    "cac:TenderSubmissionDeadlinePeriod",
			    "cac:TenderSubmissionDeadlinePeriod" },
	[XP_PARTICIPATION] = { "cac:TenderingProcess/"
			       "cac:ParticipationRequestReceptionPeriod",
			       "cac:ParticipationRequestReceptionPeriod" },
	[XP_INTEREST] = { "cac:TenderingProcess/" EXT
			  "/efac:InterestExpressionReceptionPeriod",
			  "efac:InterestExpressionReceptionPeriod" },
	[XP_ANSWER] = { "cac:TenderingProcess/" EXT "/efac:AnswerReceptionPeriod",
			"efac:AnswerReceptionPeriod" },
	[XP_END_DATE] = { "cbc:EndDate", "cbc:EndDate" },
	[XP_END_TIME] = { "cbc:EndTime", "cbc:EndTime" },
};

static const struct {
	const char *prefix;
	const char *href;
} namespaces[] = {
	{ "cbc", "urn:oasis:names:specification:ubl:schema:xsd:"
		 "CommonBasicComponents-2" },
	{ "cac", "urn:oasis:names:specification:ubl:schema:xsd:"
		 "CommonAggregateComponents-2" },
	{ "ext", "urn:oasis:names:specification:ubl:schema:xsd:"
		 "CommonExtensionComponents-2" },
	{ "efac", "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-"
		  "components/1" },
	{ "efext", "http://data.europa.eu/p27/eforms-ubl-extensions/1" },
	{ "efbc", "http://data.europa.eu/p27/eforms-ubl-extension-basic-"
		  "components/1" },
};

#define UBL_DOC_NS "urn:oasis:names:specification:ubl:schema:xsd:"

static const char *const root_names[] = {
	"ContractNotice",
	"PriorInformationNotice",
	"ContractAwardNotice",
};

struct eforms_parser {
	xmlXPathCompExprPtr xp[XP_COUNT];
};

/* The state of one eforms_parse() call. */
struct parse {
	const struct eforms_parser *p;
	char *err;
	size_t errlen;
	int failed;
	int doctype;
	char xml_err[256];	/* first message libxml2 reported */
	xmlDocPtr doc;
	xmlNodePtr root;
	xmlXPathContextPtr xpc;
	struct notice *n;
	size_t ncodes;		/* CPV and NUTS codes over all lots */
};

/* A lot's codes and places before they are moved into a struct lot. */
struct codes {
	char **v;
	size_t n;
};

static int fail(struct parse *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
fail(struct parse *ps, const char *fmt, ...)
{
	va_list ap;

	if (ps->failed)
		return -1;
	ps->failed = 1;
	if (ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err, ps->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
oom(struct parse *ps)
{
	return fail(ps, "out of memory");
}

/*
 * Installed as this thread's structured handler for the length of one
 * parse, so libxml2 never prints and the first message becomes the reason
 * we give; the caller's handler is put back afterwards.
 */
static void
on_xml_error(void *arg, xml_error_t e)
{
	struct parse *ps = arg;
	size_t len;
	char *c;

	if (ps->xml_err[0] || e->level == XML_ERR_WARNING)
		return;
	if (e->line > 0)
		snprintf(ps->xml_err, sizeof(ps->xml_err),
			 "line %d: XML parse error: %s", e->line,
			 e->message ? e->message : "unknown error");
	else
		snprintf(ps->xml_err, sizeof(ps->xml_err),
			 "XML parse error: %s",
			 e->message ? e->message : "unknown error");
	for (c = ps->xml_err; *c; c++)
		if (*c == '\n' || *c == '\r' || *c == '\t')
			*c = ' ';
	len = strlen(ps->xml_err);
	while (len > 0 && ps->xml_err[len - 1] == ' ')
		ps->xml_err[--len] = '\0';
}

/*
 * A notice never has a DOCTYPE; refusing it where it starts keeps entity
 * declarations (XXE, entity expansion bombs) from ever being read.
 */
static void
on_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
	   const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse *ps = ctxt->_private;

	ps->doctype = 1;
	xmlStopParser(ctxt);
}

struct eforms_parser *
eforms_parser_new(void)
{
	struct eforms_parser *p;
	size_t i;

	xmlInitParser();
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	for (i = 0; i < XP_COUNT; i++) {
		p->xp[i] = xmlXPathCompile((const xmlChar *)xpaths[i].expr);
		if (!p->xp[i]) {
			eforms_parser_free(p);
			return NULL;
		}
	}
	return p;
}

void
eforms_parser_free(struct eforms_parser *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < XP_COUNT; i++)
		xmlXPathFreeCompExpr(p->xp[i]);
	free(p);
}

static int
read_doc(struct parse *ps, const char *data, size_t len)
{
	xmlParserCtxtPtr ctxt;
	int rc = -1;

	ctxt = xmlCreateMemoryParserCtxt(data, (int)len);
	if (!ctxt)
		return oom(ps);
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	/* These defaults come from process-wide settings another library
	 * in the process may have changed. */
	ctxt->replaceEntities = 0;
	ctxt->loadsubset = 0;
	ctxt->validate = 0;
	ctxt->_private = ps;
	ctxt->sax->internalSubset = on_doctype;
	xmlParseDocument(ctxt);
	if (ps->doctype) {
		fail(ps, "DOCTYPE not allowed: an eForms notice has no DTD or "
		     "entity declarations");
		goto out;
	}
	if (!ctxt->wellFormed || !ctxt->nsWellFormed || !ctxt->myDoc) {
		fail(ps, "%s", ps->xml_err[0] ? ps->xml_err :
		     "XML parse error");
		goto out;
	}
	ps->doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	rc = 0;
out:
	xmlFreeDoc(ctxt->myDoc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

static int
check_root(struct parse *ps)
{
	char want[128];
	size_t i;

	ps->root = xmlDocGetRootElement(ps->doc);
	if (!ps->root)
		return fail(ps, "no root element");
	for (i = 0; i < sizeof(root_names) / sizeof(root_names[0]); i++) {
		if (strcmp((const char *)ps->root->name, root_names[i]) != 0)
			continue;
		snprintf(want, sizeof(want), UBL_DOC_NS "%s-2", root_names[i]);
		if (ps->root->ns &&
		    strcmp((const char *)ps->root->ns->href, want) == 0)
			return 0;
	}
	return fail(ps, "unknown root element '%.64s': not an eForms notice",
		    (const char *)ps->root->name);
}

static int
new_xpath_context(struct parse *ps)
{
	size_t i;

	ps->xpc = xmlXPathNewContext(ps->doc);
	if (!ps->xpc)
		return oom(ps);
	for (i = 0; i < sizeof(namespaces) / sizeof(namespaces[0]); i++) {
		if (xmlXPathRegisterNs(ps->xpc,
				       (const xmlChar *)namespaces[i].prefix,
				       (const xmlChar *)namespaces[i].href) != 0)
			return oom(ps);
	}
	return 0;
}

/* The nodes that expression id selects from node at; *res may be empty. */
static int
eval(struct parse *ps, enum xp id, xmlNodePtr at, xmlXPathObjectPtr *res)
{
	ps->xpc->node = at;
	*res = xmlXPathCompiledEval(ps->p->xp[id], ps->xpc);
	if (!*res || (*res)->type != XPATH_NODESET) {
		xmlXPathFreeObject(*res);
		*res = NULL;
		return fail(ps, "%s: XPath evaluation failed", xpaths[id].name);
	}
	return 0;
}

static int
count(const xmlXPathObject *res)
{
	return res->nodesetval ? res->nodesetval->nodeNr : 0;
}

static int
first(struct parse *ps, enum xp id, xmlNodePtr at, xmlNodePtr *node)
{
	xmlXPathObjectPtr res;

	*node = NULL;
	if (!at)
		return 0;
	if (eval(ps, id, at, &res) < 0)
		return -1;
	if (count(res) > 0)
		*node = res->nodesetval->nodeTab[0];
	xmlXPathFreeObject(res);
	return 0;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * The text of node with whitespace runs collapsed to one space, as titles
 * come wrapped and indented. *out is NULL when node is NULL or the text
 * is blank, so absent and empty are one case for the callers.
 */
static int
text_of(struct parse *ps, xmlNodePtr node, const char *what, char **out)
{
	xmlChar *content;
	const char *s;
	char *t;
	size_t len = 0;

	*out = NULL;
	if (!node)
		return 0;
	content = xmlNodeGetContent(node);
	if (!content)
		return oom(ps);
	t = malloc(strlen((const char *)content) + 1);
	if (!t) {
		xmlFree(content);
		return oom(ps);
	}
	for (s = (const char *)content; *s; s++) {
		if (!is_space(*s))
			t[len++] = *s;
		else if (len > 0 && t[len - 1] != ' ')
			t[len++] = ' ';
	}
	if (len > 0 && t[len - 1] == ' ')
		len--;
	t[len] = '\0';
	xmlFree(content);
	if (len > EFORMS_MAX_TEXT) {
		free(t);
		return fail(ps, "%s: text too long (%zu bytes, max %d)", what,
			    len, EFORMS_MAX_TEXT);
	}
	if (len == 0)
		free(t);
	else
		*out = t;
	return 0;
}

static int
get_text(struct parse *ps, enum xp id, xmlNodePtr at, char **out)
{
	xmlNodePtr node;

	*out = NULL;
	if (first(ps, id, at, &node) < 0)
		return -1;
	return text_of(ps, node, xpaths[id].name, out);
}

/* Identifiers must stay safe wherever they are used as keys or in paths. */
static int
is_token(const char *s)
{
	size_t len = 0;

	for (; *s; s++, len++) {
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || strchr("-_.:/", *s)))
			return 0;
	}
	return len > 0 && len <= EFORMS_MAX_TOKEN;
}

static int
get_token(struct parse *ps, enum xp id, xmlNodePtr at, char **out)
{
	if (get_text(ps, id, at, out) < 0)
		return -1;
	if (*out && !is_token(*out)) {
		fail(ps, "%s: bad identifier '%.40s'", xpaths[id].name, *out);
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/*
 * Swedish readers first, then English, then whatever the notice gives
 * first; buyers write names in their own language and often in English.
 */
static int
get_lang_text(struct parse *ps, enum xp id, xmlNodePtr at, char **out)
{
	static const char *const prefs[] = { "SWE", "ENG" };
	xmlXPathObjectPtr res;
	xmlNodePtr pick = NULL;
	xmlChar *lang;
	size_t p;
	int i, rank = 2, rc;

	*out = NULL;
	if (!at)
		return 0;
	if (eval(ps, id, at, &res) < 0)
		return -1;
	for (i = 0; i < count(res) && rank > 0; i++) {
		xmlNodePtr node = res->nodesetval->nodeTab[i];

		if (!pick)
			pick = node;
		lang = xmlGetNoNsProp(node, (const xmlChar *)"languageID");
		for (p = 0; lang && p < (size_t)rank; p++) {
			if (strcmp((const char *)lang, prefs[p]) == 0) {
				pick = node;
				rank = (int)p;
			}
		}
		xmlFree(lang);
	}
	rc = text_of(ps, pick, xpaths[id].name, out);
	xmlXPathFreeObject(res);
	return rc;
}

static int
has_node(struct parse *ps, enum xp id, xmlNodePtr at, int *found)
{
	xmlNodePtr node;

	if (first(ps, id, at, &node) < 0)
		return -1;
	*found = node != NULL;
	return 0;
}

/* ---- dates and times ---------------------------------------------------- */

struct stamp {
	int year, mon, day, hour, min, sec;
	int has_zone;
	int zone;		/* seconds east of UTC */
};

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* "Z", "+02:00", "-05:30" or nothing; anything else is an error. */
static int
parse_zone(const char *s, struct stamp *t)
{
	int h, m;

	if (*s == '\0')
		return 0;
	t->has_zone = 1;
	if (strcmp(s, "Z") == 0)
		return 0;
	if ((s[0] != '+' && s[0] != '-') || digits(s + 1, 2, &h) < 0 ||
	    s[3] != ':' || digits(s + 4, 2, &m) < 0 || s[6] != '\0' ||
	    h > 14 || m > 59 || (h == 14 && m != 0))
		return -1;
	t->zone = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return 0;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* xs:date: YYYY-MM-DD with an optional zone. */
static int
parse_date(const char *s, struct stamp *t)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };

	memset(t, 0, sizeof(*t));
	if (strlen(s) < 10 || digits(s, 4, &t->year) < 0 || s[4] != '-' ||
	    digits(s + 5, 2, &t->mon) < 0 || s[7] != '-' ||
	    digits(s + 8, 2, &t->day) < 0 || parse_zone(s + 10, t) < 0)
		return -1;
	if (t->year < 1 || t->mon < 1 || t->mon > 12 || t->day < 1 ||
	    t->day > mdays[t->mon - 1] + (t->mon == 2 && leap(t->year)))
		return -1;
	return 0;
}

/* xs:time: HH:MM:SS with optional fraction (dropped) and zone. */
static int
parse_time(const char *s, struct stamp *t)
{
	size_t i = 8;

	t->has_zone = 0;
	t->zone = 0;
	if (strlen(s) < 8 || digits(s, 2, &t->hour) < 0 || s[2] != ':' ||
	    digits(s + 3, 2, &t->min) < 0 || s[5] != ':' ||
	    digits(s + 6, 2, &t->sec) < 0)
		return -1;
	if (s[i] == '.') {
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == 9)
			return -1;
	}
	if (parse_zone(s + i, t) < 0 || t->hour > 23 || t->min > 59 ||
	    t->sec > 59)
		return -1;
	return 0;
}

/* days_from_civil (H. Hinnant): exact, and needs no timegm(). */
static long long
days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * The instant a period ends. A date without a time means the end of that
 * day; the time's zone wins over the date's, and no zone at all is UTC.
 */
static int
period_end(struct parse *ps, enum xp id, xmlNodePtr lot, int *found,
	   time_t *out)
{
	xmlNodePtr period, node;
	char *date = NULL, *tm = NULL;
	struct stamp d, t;
	long long v;
	int rc = -1;

	*found = 0;
	if (first(ps, id, lot, &period) < 0 ||
	    first(ps, XP_END_DATE, period, &node) < 0 ||
	    text_of(ps, node, "cbc:EndDate", &date) < 0 ||
	    first(ps, XP_END_TIME, period, &node) < 0 ||
	    text_of(ps, node, "cbc:EndTime", &tm) < 0)
		goto out;
	if (!date && tm) {
		fail(ps, "%s: cbc:EndTime without cbc:EndDate", xpaths[id].name);
		goto out;
	}
	if (!date) {
		rc = 0;
		goto out;
	}
	if (parse_date(date, &d) < 0) {
		fail(ps, "%s/cbc:EndDate: bad date '%.40s'", xpaths[id].name,
		     date);
		goto out;
	}
	t = d;
	t.hour = 23;
	t.min = 59;
	t.sec = 59;
	if (tm && parse_time(tm, &t) < 0) {
		fail(ps, "%s/cbc:EndTime: bad time '%.40s'", xpaths[id].name, tm);
		goto out;
	}
	if (!t.has_zone) {
		t.has_zone = d.has_zone;
		t.zone = d.zone;
	}
	v = days_from_civil(d.year, d.mon, d.day) * 86400 + t.hour * 3600 +
	    t.min * 60 + t.sec - t.zone;
	*out = (time_t)v;
	if ((long long)*out != v) {
		fail(ps, "%s: date out of range", xpaths[id].name);
		goto out;
	}
	*found = 1;
	rc = 0;
out:
	free(date);
	free(tm);
	return rc;
}

static int
lot_deadline(struct parse *ps, xmlNodePtr lot, struct lot *l)
{
	static const enum xp periods[] = {
		XP_SUBMISSION, XP_PARTICIPATION, XP_INTEREST, XP_ANSWER,
	};
	size_t i;
	time_t t;
	int found;

	for (i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
		if (period_end(ps, periods[i], lot, &found, &t) < 0)
			return -1;
		if (found && (!l->has_deadline || t < l->deadline)) {
			l->deadline = t;
			l->has_deadline = 1;
		}
	}
	return 0;
}

/* ---- codes, amounts, flags ---------------------------------------------- */

/* CPV codes come as "45000000" or with their check digit, "45000000-7". */
static int
norm_cpv(const char *s, char out[16])
{
	size_t i;

	for (i = 0; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	if (s[8] != '\0' && !(s[8] == '-' && s[9] >= '0' && s[9] <= '9' &&
			      s[10] == '\0'))
		return -1;
	memcpy(out, s, 8);
	out[8] = '\0';
	return 0;
}

/* NUTS codes: country letters then up to three levels, e.g. "SE110". */
static int
norm_nuts(const char *s, char out[16])
{
	size_t i, len = strlen(s);

	if (len < 2 || len > 5)
		return -1;
	for (i = 0; i < len; i++) {
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		      (i >= 2 && s[i] >= '0' && s[i] <= '9')))
			return -1;
	}
	memcpy(out, s, len + 1);
	return 0;
}

/* Appends the codes expression id selects, normalised, without repeats. */
static int
add_codes(struct parse *ps, enum xp id, xmlNodePtr at, struct codes *c,
	  int (*norm)(const char *, char[16]))
{
	xmlXPathObjectPtr res = NULL;
	char *text = NULL, code[16];
	size_t j;
	int i, rc = -1;

	if (!at)
		return 0;
	if (eval(ps, id, at, &res) < 0)
		return -1;
	if (count(res) > EFORMS_MAX_CODES) {
		fail(ps, "%s: too many codes (max %d)", xpaths[id].name,
		     EFORMS_MAX_CODES);
		goto out;
	}
	for (i = 0; i < count(res); i++) {
		if (text_of(ps, res->nodesetval->nodeTab[i], xpaths[id].name,
			    &text) < 0)
			goto out;
		if (text && norm(text, code) == 0) {
			for (j = 0; j < c->n && strcmp(c->v[j], code) != 0; j++)
				;
			if (j == c->n && strvec_push(&c->v, &c->n, code) < 0) {
				oom(ps);
				goto out;
			}
		}
		free(text);
		text = NULL;
	}
	rc = 0;
out:
	free(text);
	xmlXPathFreeObject(res);
	return rc;
}

static int
project_codes(struct parse *ps, xmlNodePtr project, struct codes *cpv,
	      struct codes *nuts)
{
	if (add_codes(ps, XP_CPV_MAIN, project, cpv, norm_cpv) < 0 ||
	    add_codes(ps, XP_CPV_ADD, project, cpv, norm_cpv) < 0 ||
	    add_codes(ps, XP_NUTS, project, nuts, norm_nuts) < 0)
		return -1;
	return 0;
}

static int
copy_codes(const struct codes *from, char ***v, size_t *n)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		if (strvec_push(v, n, from->v[i]) < 0)
			return -1;
	return 0;
}

/* Hands the codes over to the lot, or copies the fallback if there are none. */
static int
give_codes(struct codes *c, const struct codes *fallback, char ***v, size_t *n)
{
	if (c->n == 0)
		return copy_codes(fallback, v, n);
	*v = c->v;
	*n = c->n;
	c->v = NULL;
	c->n = 0;
	return 0;
}

/* Plain decimal: amounts are xs:decimal, never signed or exponential. */
static int
parse_amount(const char *s, double *v)
{
	size_t i, int_digits = 0, frac_digits = 0;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++)
		int_digits++;
	if (s[i] == '.')
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			frac_digits++;
	if (s[i] != '\0' || int_digits + frac_digits == 0 || int_digits > 15)
		return -1;
	/* libxml2's conversion, unlike strtod(), ignores LC_NUMERIC. */
	*v = xmlXPathCastStringToNumber((const xmlChar *)s);
	return *v == *v ? 0 : -1;
}

static int
project_value(struct parse *ps, xmlNodePtr project, struct lot *l)
{
	xmlNodePtr node;
	xmlChar *cur;
	char *text = NULL;
	int rc = -1;

	if (first(ps, XP_AMOUNT, project, &node) < 0 ||
	    text_of(ps, node, xpaths[XP_AMOUNT].name, &text) < 0)
		return -1;
	if (!text)
		return 0;
	if (parse_amount(text, &l->value) < 0) {
		fail(ps, "%s: bad amount '%.40s'", xpaths[XP_AMOUNT].name, text);
		goto out;
	}
	l->has_value = 1;
	cur = xmlGetNoNsProp(node, (const xmlChar *)"currencyID");
	if (cur) {
		if (strlen((const char *)cur) == 3 &&
		    is_token((const char *)cur)) {
			l->currency = strdup((const char *)cur);
			if (!l->currency) {
				xmlFree(cur);
				oom(ps);
				goto out;
			}
		} else {
			fail(ps, "%s: bad currencyID '%.40s'",
			     xpaths[XP_AMOUNT].name, (const char *)cur);
			xmlFree(cur);
			goto out;
		}
		xmlFree(cur);
	}
	rc = 0;
out:
	free(text);
	return rc;
}

static int
project_sme(struct parse *ps, xmlNodePtr project, struct lot *l)
{
	char *text;
	int rc = 0;

	if (get_text(ps, XP_SME, project, &text) < 0)
		return -1;
	if (!text)
		return 0;
	if (strcmp(text, "true") == 0 || strcmp(text, "1") == 0)
		l->sme_suitable = 1;
	else if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0)
		l->sme_suitable = 0;
	else
		rc = fail(ps, "%s: bad boolean '%.40s'", xpaths[XP_SME].name,
			  text);
	free(text);
	return rc;
}

/* ---- notice level ------------------------------------------------------- */

/* Only web addresses are passed on: the URL ends up as a link in mails. */
static int
is_web_url(const char *s)
{
	return s && (strncmp(s, "https://", 8) == 0 ||
		     strncmp(s, "http://", 7) == 0) && !strchr(s, ' ');
}

static enum notice_kind
kind_of_subtype(const char *st)
{
	char *end;
	long v;

	if (strcmp(st, "E1") == 0)
		return NOTICE_RFI;
	if (strcmp(st, "E2") == 0)
		return NOTICE_PLANNING;
	if (strcmp(st, "E3") == 0)
		return NOTICE_COMPETITION;
	if (strcmp(st, "E4") == 0)
		return NOTICE_RESULT;
	if (st[0] < '0' || st[0] > '9')
		return NOTICE_OTHER;
	v = strtol(st, &end, 10);
	if (*end != '\0')
		return NOTICE_OTHER;
	/* 10-14 are PINs used as a call for competition. */
	if (v >= 1 && v <= 9)
		return NOTICE_PLANNING;
	if (v >= 10 && v <= 24)
		return NOTICE_COMPETITION;
	if (v >= 25 && v <= 37)
		return NOTICE_RESULT;
	return NOTICE_OTHER;
}

static enum notice_kind
kind_of_list(const char *list)
{
	if (!list)
		return NOTICE_OTHER;
	if (strcmp(list, "planning") == 0)
		return NOTICE_PLANNING;
	if (strcmp(list, "competition") == 0)
		return NOTICE_COMPETITION;
	if (strcmp(list, "result") == 0)
		return NOTICE_RESULT;
	if (strcmp(list, "consultation") == 0)
		return NOTICE_RFI;
	return NOTICE_OTHER;
}

static int
notice_kind(struct parse *ps)
{
	struct notice *n = ps->n;
	char *list;
	int changes;

	if (has_node(ps, XP_CHANGES, ps->root, &changes) < 0)
		return -1;
	if (changes) {
		n->kind = NOTICE_CHANGE;
		return 0;
	}
	n->kind = kind_of_subtype(n->subtype);
	if (n->kind != NOTICE_OTHER)
		return 0;
	if (get_text(ps, XP_TYPE_LIST, ps->root, &list) < 0)
		return -1;
	n->kind = kind_of_list(list);
	free(list);
	return 0;
}

/* The organisation the first contracting party points at, or NULL. */
static int
buyer_company(struct parse *ps, xmlNodePtr *company)
{
	xmlXPathObjectPtr res = NULL;
	char *buyer_id = NULL, *id = NULL;
	int i, rc = -1;

	*company = NULL;
	if (get_text(ps, XP_BUYER_ID, ps->root, &buyer_id) < 0)
		return -1;
	if (!buyer_id)
		return 0;
	if (eval(ps, XP_COMPANIES, ps->root, &res) < 0)
		goto out;
	for (i = 0; i < count(res) && !*company; i++) {
		xmlNodePtr c = res->nodesetval->nodeTab[i];

		if (get_text(ps, XP_COMPANY_ID, c, &id) < 0)
			goto out;
		if (id && strcmp(id, buyer_id) == 0)
			*company = c;
		free(id);
		id = NULL;
	}
	rc = 0;
out:
	xmlXPathFreeObject(res);
	free(buyer_id);
	return rc;
}

/*
 * The notice on TED once it is published there; before that the
 * procurement documents, then the buyer's profile or web site.
 */
static int
notice_url(struct parse *ps, xmlNodePtr company)
{
	static const enum xp fallbacks[] = { XP_DOC_URI, XP_BUYER_PROFILE };
	char *text = NULL, *url;
	size_t i;

	if (get_token(ps, XP_PUB_ID, ps->root, &text) < 0)
		return -1;
	if (text) {
		url = malloc(strlen(TED_NOTICE_URL) + strlen(text) + 1);
		if (!url) {
			free(text);
			return oom(ps);
		}
		strcpy(url, TED_NOTICE_URL);
		strcat(url, text);
		free(text);
		ps->n->url = url;
		return 0;
	}
	for (i = 0; i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++) {
		if (get_text(ps, fallbacks[i], ps->root, &text) < 0)
			return -1;
		if (is_web_url(text)) {
			ps->n->url = text;
			return 0;
		}
		free(text);
	}
	if (get_text(ps, XP_COMPANY_WEB, company, &text) < 0)
		return -1;
	if (is_web_url(text))
		ps->n->url = text;
	else
		free(text);
	return 0;
}

static int
notice_published(struct parse *ps)
{
	struct stamp d;
	enum xp id = XP_PUB_DATE;
	char *date;

	if (get_text(ps, XP_PUB_DATE, ps->root, &date) < 0)
		return -1;
	if (!date) {
		id = XP_ISSUE_DATE;
		if (get_text(ps, XP_ISSUE_DATE, ps->root, &date) < 0)
			return -1;
	}
	if (!date)
		return fail(ps, "missing cbc:IssueDate");
	if (parse_date(date, &d) < 0) {
		fail(ps, "%s: bad date '%.40s'", xpaths[id].name, date);
		free(date);
		return -1;
	}
	date[10] = '\0';
	ps->n->published = date;
	return 0;
}

static int
notice_header(struct parse *ps)
{
	struct notice *n = ps->n;
	xmlNodePtr folder, issue, project, company;

	if (get_token(ps, XP_NOTICE_ID, ps->root, &n->id) < 0)
		return -1;
	if (!n->id)
		return fail(ps, "missing %s", xpaths[XP_NOTICE_ID].name);
	if (get_token(ps, XP_VERSION, ps->root, &n->version) < 0)
		return -1;
	if (!n->version)
		return fail(ps, "missing cbc:VersionID");
	if (get_token(ps, XP_SUBTYPE, ps->root, &n->subtype) < 0)
		return -1;
	if (!n->subtype)
		return fail(ps, "missing %s", xpaths[XP_SUBTYPE].name);
	if (notice_kind(ps) < 0)
		return -1;
	if (first(ps, XP_FOLDER, ps->root, &folder) < 0 ||
	    get_token(ps, XP_FOLDER, ps->root, &n->procedure_id) < 0)
		return -1;
	if (!n->procedure_id && (folder || (n->kind != NOTICE_PLANNING &&
					    n->kind != NOTICE_RFI)))
		return fail(ps, "missing or empty cbc:ContractFolderID");
	/*
	 * PINs and RFIs may come before a procedure exists and then have no
	 * ContractFolderID. The notice id stands in: it is unique, so such a
	 * notice links to nothing, and procedure_id is never NULL.
	 */
	if (!n->procedure_id && !(n->procedure_id = strdup(n->id)))
		return oom(ps);
	/* Required even when the publication date is what we report. */
	if (first(ps, XP_ISSUE_DATE, ps->root, &issue) < 0)
		return -1;
	if (!issue)
		return fail(ps, "missing cbc:IssueDate");
	if (notice_published(ps) < 0)
		return -1;
	if (first(ps, XP_PROJECT, ps->root, &project) < 0 ||
	    get_lang_text(ps, XP_NAME, project, &n->title) < 0)
		return -1;
	if (!n->title)
		return fail(ps, "missing title (cac:ProcurementProject/cbc:Name)");
	if (get_token(ps, XP_LANGUAGE, ps->root, &n->language) < 0 ||
	    buyer_company(ps, &company) < 0 ||
	    get_lang_text(ps, XP_COMPANY_NAME, company, &n->buyer) < 0 ||
	    notice_url(ps, company) < 0)
		return -1;
	return 0;
}

/* ---- lots --------------------------------------------------------------- */

/* What lots inherit when they say nothing themselves. */
struct procedure {
	xmlNodePtr project;
	struct codes cpv, nuts;
};

static int
parse_lot(struct parse *ps, const struct procedure *proc, xmlNodePtr lot_node,
	  int only_lot)
{
	struct codes cpv = { NULL, 0 }, nuts = { NULL, 0 };
	xmlNodePtr project;
	struct lot *l;
	size_t i;
	int rc = -1;

	l = notice_add_lot(ps->n);
	if (!l)
		return oom(ps);
	if (get_token(ps, XP_LOT_ID, lot_node, &l->id) < 0)
		goto out;
	if (!l->id) {
		fail(ps, "empty %s", xpaths[XP_LOT_ID].name);
		goto out;
	}
	for (i = 0; i + 1 < ps->n->nlots; i++) {
		if (strcmp(ps->n->lots[i].id, l->id) == 0) {
			fail(ps, "duplicate lot id '%s'", l->id);
			goto out;
		}
	}
	if (first(ps, XP_PROJECT, lot_node, &project) < 0 ||
	    get_lang_text(ps, XP_NAME, project, &l->title) < 0 ||
	    project_codes(ps, project, &cpv, &nuts) < 0 ||
	    project_value(ps, project, l) < 0 ||
	    (!l->has_value && only_lot &&
	     project_value(ps, proc->project, l) < 0) ||
	    project_sme(ps, project, l) < 0 ||
	    lot_deadline(ps, lot_node, l) < 0)
		goto out;
	if (give_codes(&cpv, &proc->cpv, &l->cpv, &l->ncpv) < 0 ||
	    give_codes(&nuts, &proc->nuts, &l->nuts, &l->nnuts) < 0) {
		oom(ps);
		goto out;
	}
	ps->ncodes += l->ncpv + l->nnuts;
	if (ps->ncodes > EFORMS_MAX_TOTAL_CODES) {
		fail(ps, "too many CPV and NUTS codes over all lots (max %d)",
		     EFORMS_MAX_TOTAL_CODES);
		goto out;
	}
	rc = 0;
out:
	strvec_free(cpv.v, cpv.n);
	strvec_free(nuts.v, nuts.n);
	return rc;
}

/* A notice without lots is one lot, so that every notice can be matched. */
static int
virtual_lot(struct parse *ps, const struct procedure *proc)
{
	struct lot *l = notice_add_lot(ps->n);

	if (!l)
		return oom(ps);
	l->id = strdup("LOT-0000");
	l->title = strdup(ps->n->title);
	if (!l->id || !l->title)
		return oom(ps);
	if (copy_codes(&proc->cpv, &l->cpv, &l->ncpv) < 0 ||
	    copy_codes(&proc->nuts, &l->nuts, &l->nnuts) < 0)
		return oom(ps);
	if (project_value(ps, proc->project, l) < 0 ||
	    project_sme(ps, proc->project, l) < 0)
		return -1;
	return 0;
}

static int
notice_lots(struct parse *ps)
{
	struct procedure proc = { NULL, { NULL, 0 }, { NULL, 0 } };
	xmlXPathObjectPtr res = NULL;
	struct notice *n = ps->n;
	size_t i;
	int nlots, rc = -1;

	if (first(ps, XP_PROJECT, ps->root, &proc.project) < 0 ||
	    project_codes(ps, proc.project, &proc.cpv, &proc.nuts) < 0 ||
	    eval(ps, XP_LOTS, ps->root, &res) < 0)
		goto out;
	nlots = count(res);
	if (nlots > EFORMS_MAX_LOTS) {
		fail(ps, "too many lots (%d, max %d)", nlots, EFORMS_MAX_LOTS);
		goto out;
	}
	for (i = 0; i < (size_t)nlots; i++) {
		if (parse_lot(ps, &proc, res->nodesetval->nodeTab[i],
			      nlots == 1) < 0)
			goto out;
	}
	if (nlots == 0 && virtual_lot(ps, &proc) < 0)
		goto out;
	for (i = 0; i < n->nlots; i++) {
		if (n->lots[i].has_deadline && (!n->has_deadline ||
		    n->lots[i].deadline < n->deadline)) {
			n->deadline = n->lots[i].deadline;
			n->has_deadline = 1;
		}
	}
	rc = 0;
out:
	xmlXPathFreeObject(res);
	strvec_free(proc.cpv.v, proc.cpv.n);
	strvec_free(proc.nuts.v, proc.nuts.n);
	return rc;
}

int
eforms_parse(struct eforms_parser *p, const char *data, size_t len,
	     struct notice **out, char *err, size_t errlen)
{
	struct parse ps;
	xmlStructuredErrorFunc old_handler = xmlStructuredError;
	void *old_context = xmlStructuredErrorContext;
	int rc = -1;

	memset(&ps, 0, sizeof(ps));
	ps.p = p;
	ps.err = err;
	ps.errlen = err ? errlen : 0;
	if (ps.errlen)
		err[0] = '\0';
	*out = NULL;
	xmlSetStructuredErrorFunc(&ps, on_xml_error);
	if (len == 0) {
		fail(&ps, "empty document");
		goto out;
	}
	if (len > EFORMS_MAX_INPUT) {
		fail(&ps, "document too large (%zu bytes, max %u)", len,
		     EFORMS_MAX_INPUT);
		goto out;
	}
	if (read_doc(&ps, data, len) < 0 || check_root(&ps) < 0 ||
	    new_xpath_context(&ps) < 0)
		goto out;
	ps.n = notice_new();
	if (!ps.n) {
		oom(&ps);
		goto out;
	}
	if (notice_header(&ps) < 0 || notice_lots(&ps) < 0)
		goto out;
	*out = ps.n;
	ps.n = NULL;
	rc = 0;
out:
	notice_free(ps.n);
	xmlXPathFreeContext(ps.xpc);
	xmlFreeDoc(ps.doc);
	xmlSetStructuredErrorFunc(old_context, old_handler);
	return rc;
}
