#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>
#include <libxml/xpath.h>

#include "buf.h"
#include "syndication.h"
#include "utf8.h"
#include "xmlsafe.h"

/* Far above any real feed; a feed of 10000 entries is a few MiB. */
#define SYNDICATION_MAX_INPUT (16u * 1024u * 1024u)
/*
 * HTML read per summary or title: ten times the summary cap leaves room
 * for markup, and the HTML parser's work per field stays bounded however
 * much markup a feed puts in one.
 */
#define SYNDICATION_MAX_HTML (10u * SYNDICATION_MAX_SUMMARY)

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

/*
 * RSS 2.0 elements have no namespace and RSS 1.0 and 0.90 ones have their
 * own, so one union serves every format and a feed takes one code path.
 * A union gives its nodes in document order, so elements that rank above
 * others (pubDate over dc:date) have expressions of their own.
 */
enum xp {
	XP_CHANNEL,
	XP_ITEMS,
	XP_ENTRIES,
	XP_TITLE,
	XP_LINK,
	XP_ATOM_LINKS,
	XP_ENCLOSURES,
	XP_ID,
	XP_SUMMARY,
	XP_CONTENT,
	XP_PUBLISHED,
	XP_UPDATED,
	XP_COUNT
};

static const char *const xpaths[XP_COUNT] = {
	[XP_CHANNEL] = "channel | rss1:channel | rss090:channel",
	[XP_ITEMS] = "channel/item | rss1:item | rss090:item",
	[XP_ENTRIES] = "atom:entry",
	[XP_TITLE] = "title | rss1:title | rss090:title | atom:title",
	[XP_LINK] = "link | rss1:link | rss090:link",
	[XP_ATOM_LINKS] = "atom:link",
	[XP_ENCLOSURES] = "enclosure",
	[XP_ID] = "guid | atom:id | @rdf:about",
	[XP_SUMMARY] = ("description | rss1:description | rss090:description"
			" | atom:summary | dc:description"),
	[XP_CONTENT] = "content:encoded | atom:content",
	[XP_PUBLISHED] = "pubDate | atom:published",
	[XP_UPDATED] = "atom:updated | dc:date",
};

static const struct xmlsafe_ns namespaces[] = {
	{ "atom", ATOM_NS },
	{ "rdf", RDF_NS },
	{ "rss1", "http://purl.org/rss/1.0/" },
	{ "rss090", "http://my.netscape.com/rdf/simple/0.9/" },
	{ "dc", "http://purl.org/dc/elements/1.1/" },
	{ "content", "http://purl.org/rss/1.0/modules/content/" },
};

struct syndication_parser {
	xmlXPathCompExprPtr xp[XP_COUNT];
};

/* The state of one syndication_parse() call. */
struct parse {
	const struct syndication_parser *p;
	struct xmlsafe xs;
	char *err;
	size_t errlen;
	int failed;
	xmlDocPtr doc;
	xmlXPathContextPtr xpc;
	int atom;
	xmlNodePtr channel;	/* rss channel, or the atom:feed element */
	struct syndication_feed *feed;
	size_t alloc;		/* entries allocated */
};

/* How the text of a title, summary or content element is written. */
enum markup {
	MARKUP_TEXT,
	MARKUP_HTML,
	MARKUP_NONE,		/* nothing to read: out-of-line or binary */
};

/*
 * Plain text being built: whitespace and control character runs become
 * one space, the ends are trimmed, bytes that are not UTF-8 are dropped,
 * and at most max bytes are kept, whole characters only.
 */
struct text {
	struct buf b;
	size_t max;
	int space;	/* a space is due before the next character */
	int full;	/* something did not fit */
	int oom;
};

/* The HTML parser's view of a struct text. */
struct html {
	struct text *t;
	xmlParserCtxtPtr ctxt;
	int hidden;	/* inside script or style */
};

static int fail(struct parse *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
fail(struct parse *ps, const char *fmt, ...)
{
	va_list ap;

	if (!ps->failed && ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err, ps->errlen, fmt, ap);
		va_end(ap);
	}
	ps->failed = 1;
	return -1;
}

static int
oom(struct parse *ps)
{
	return fail(ps, "out of memory");
}

/* ---- text --------------------------------------------------------------- */

static void
text_init(struct text *t, size_t max)
{
	buf_init(&t->b, max);
	t->max = max;
	t->space = 0;
	t->full = 0;
	t->oom = 0;
}

static void
text_add(struct text *t, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n && !t->full && !t->oom) {
		if (u[i] <= ' ' || u[i] == 0x7f) {
			t->space = t->b.len > 0;
			i++;
			continue;
		}
		/* U+00A0, what &nbsp; becomes */
		if (u[i] == 0xc2 && i + 1 < n && u[i + 1] == 0xa0) {
			t->space = t->b.len > 0;
			i += 2;
			continue;
		}
		k = u[i] < 0x80 ? 1 : utf8_seq_len(u + i, n - i);
		if (k == 0) {
			i++;
			continue;
		}
		if (t->b.len + (size_t)t->space + k > t->max) {
			t->full = 1;
			break;
		}
		if ((t->space && buf_addc(&t->b, ' ') < 0) ||
		    buf_add(&t->b, u + i, k) < 0) {
			t->oom = 1;
			break;
		}
		t->space = 0;
		i += k;
	}
}

/* Hands over the text (NULL when empty) and releases t. */
static int
text_take(struct parse *ps, struct text *t, char **out)
{
	*out = NULL;
	if (t->oom) {
		buf_release(&t->b);
		return oom(ps);
	}
	if (t->b.len == 0) {
		buf_release(&t->b);
		return 0;
	}
	*out = buf_detach(&t->b, NULL);
	return 0;
}

/* Breaks between blocks read as spaces; inline markup joins its text. */
static void
html_break(struct html *h, const xmlChar *name)
{
	const htmlElemDesc *desc;

	if (strcmp((const char *)name, "br") == 0 ||
	    ((desc = htmlTagLookup(name)) && !desc->isinline))
		h->t->space = h->t->b.len > 0;
}

static int
html_hides(const xmlChar *name)
{
	return strcmp((const char *)name, "script") == 0 ||
	       strcmp((const char *)name, "style") == 0;
}

static void
on_html_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	struct html *h = ctx;

	if (html_hides(name))
		h->hidden++;
	html_break(h, name);
}

static void
on_html_end(void *ctx, const xmlChar *name)
{
	struct html *h = ctx;

	if (html_hides(name) && h->hidden > 0)
		h->hidden--;
	html_break(h, name);
}

static void
on_html_text(void *ctx, const xmlChar *s, int len)
{
	struct html *h = ctx;

	if (h->hidden)
		return;
	text_add(h->t, (const char *)s, (size_t)len);
	if (h->t->full || h->t->oom)
		xmlStopParser(h->ctxt);
}

/*
 * The text of an HTML fragment, entities decoded, through libxml2's HTML
 * parser with callbacks that only collect text, so no tree is built.
 */
static void
html_to_text(struct text *t, const char *html, size_t len)
{
	htmlSAXHandler sax;
	struct html h;

	/* The cut backs up to a whole character of the caller's UTF-8;
	 * libxml2 versions differ in what they make of a broken one. */
	if (len > SYNDICATION_MAX_HTML) {
		len = SYNDICATION_MAX_HTML;
		while (len > 0 && ((unsigned char)html[len] & 0xc0) == 0x80)
			len--;
	}
	memset(&sax, 0, sizeof(sax));
	sax.startElement = on_html_start;
	sax.endElement = on_html_end;
	sax.characters = on_html_text;
	sax.ignorableWhitespace = on_html_text;
	h.t = t;
	h.hidden = 0;
	h.ctxt = htmlCreateMemoryParserCtxt(html, (int)len);
	if (!h.ctxt) {
		t->oom = 1;
		return;
	}
	memcpy(h.ctxt->sax, &sax, sizeof(sax));
	h.ctxt->userData = &h;
	htmlCtxtUseOptions(h.ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR |
			   HTML_PARSE_NOWARNING);
	/* Declared as UTF-8 so a <meta charset> in the fragment cannot
	 * make the parser read it as something else. */
	xmlSwitchToEncoding(h.ctxt, xmlFindCharEncodingHandler("UTF-8"));
	htmlParseDocument(h.ctxt);
	htmlFreeParserCtxt(h.ctxt);
}

/* Atom says in @type how an element's text is written; for RSS the
 * caller knows (titles are text, descriptions HTML). */
static enum markup
markup_of(xmlNodePtr node, enum markup rss)
{
	xmlChar *type;
	enum markup m;

	if (!node->ns || strcmp((const char *)node->ns->href, ATOM_NS) != 0)
		return rss;
	if (xmlHasProp(node, (const xmlChar *)"src"))
		return MARKUP_NONE;
	type = xmlGetNoNsProp(node, (const xmlChar *)"type");
	/* xhtml is markup in the tree itself, so its text is plain. */
	if (!type || strcasecmp((const char *)type, "text") == 0 ||
	    strcasecmp((const char *)type, "xhtml") == 0)
		m = MARKUP_TEXT;
	else if (strcasecmp((const char *)type, "html") == 0 ||
		 strcasecmp((const char *)type, "text/html") == 0)
		m = MARKUP_HTML;
	else if (strncasecmp((const char *)type, "text/", 5) == 0)
		m = MARKUP_TEXT;
	else
		m = MARKUP_NONE;
	xmlFree(type);
	return m;
}

/*
 * The text of node (NULL when node is NULL or the text empty) cut at max
 * bytes; *full says whether it was cut.
 */
static int
node_text(struct parse *ps, xmlNodePtr node, enum markup m, size_t max,
	  char **out, int *full)
{
	struct text t;
	xmlChar *raw;
	size_t len;

	*out = NULL;
	*full = 0;
	if (!node || m == MARKUP_NONE)
		return 0;
	raw = xmlNodeGetContent(node);
	if (!raw)
		return oom(ps);
	len = strlen((const char *)raw);
	text_init(&t, max);
	/* Text without markup or entities reads the same either way. */
	if (m == MARKUP_HTML && strpbrk((const char *)raw, "<&"))
		html_to_text(&t, (const char *)raw, len);
	else
		text_add(&t, (const char *)raw, len);
	xmlFree(raw);
	*full = t.full;
	return text_take(ps, &t, out);
}

/* ---- XPath -------------------------------------------------------------- */

struct syndication_parser *
syndication_parser_new(void)
{
	struct syndication_parser *p;

	xmlInitParser();
	p = calloc(1, sizeof(*p));
	if (p && xmlsafe_compile(xpaths, XP_COUNT, p->xp) < 0) {
		free(p);
		p = NULL;
	}
	return p;
}

void
syndication_parser_free(struct syndication_parser *p)
{
	if (!p)
		return;
	xmlsafe_free_compiled(p->xp, XP_COUNT);
	free(p);
}

/* The nodes expression id selects from node at; may be empty. */
static int
eval(struct parse *ps, enum xp id, xmlNodePtr at, xmlNodeSetPtr *set,
     xmlXPathObjectPtr *res)
{
	if (xmlsafe_eval(ps->xpc, ps->p->xp[id], at, res, set) < 0)
		return fail(ps, "%s: XPath evaluation failed", xpaths[id]);
	return 0;
}

static int
set_size(const xmlNodeSet *set)
{
	return set ? set->nodeNr : 0;
}

static int
first(struct parse *ps, enum xp id, xmlNodePtr at, xmlNodePtr *node)
{
	xmlXPathObjectPtr res;
	xmlNodeSetPtr set;

	*node = NULL;
	if (eval(ps, id, at, &set, &res) < 0)
		return -1;
	if (set_size(set) > 0)
		*node = set->nodeTab[0];
	xmlXPathFreeObject(res);
	return 0;
}

/* ---- links -------------------------------------------------------------- */

/* A type naming XML (application/xml, text/xml, ...) but not XHTML. */
static int
type_is_xml(const char *type)
{
	const char *s;
	int xml = 0;

	for (s = type; *s; s++) {
		if (strncasecmp(s, "xhtml", 5) == 0)
			return 0;
		if (strncasecmp(s, "xml", 3) == 0)
			xml = 1;
	}
	return xml;
}

/*
 * href as an absolute URL: resolved against the xml:base in scope at node
 * and the feed's own URL. *out is NULL (not an error) unless that is an
 * http(s) URL within SYNDICATION_MAX_FIELD.
 */
static int
resolve(struct parse *ps, xmlNodePtr node, const char *href, char **out)
{
	xmlChar *escaped = NULL, *base = NULL, *abs = NULL;
	xmlURIPtr uri = NULL;
	int rc = -1;

	*out = NULL;
	/* Feeds write spaces and non-ASCII letters in paths, which a URI
	 * cannot hold; escaping them is what browsers do. */
	escaped = xmlURIEscapeStr((const xmlChar *)href,
				  (const xmlChar *)";/?:@&=+$,[]#%");
	if (!escaped) {
		oom(ps);
		goto out;
	}
	base = xmlNodeGetBase(ps->doc, node);
	abs = xmlBuildURI(escaped, base);
	rc = 0;
	if (!abs || strlen((const char *)abs) > SYNDICATION_MAX_FIELD)
		goto out;
	uri = xmlParseURI((const char *)abs);
	if (!uri || !uri->scheme || !uri->server || !uri->server[0] ||
	    (strcasecmp(uri->scheme, "http") != 0 &&
	     strcasecmp(uri->scheme, "https") != 0))
		goto out;
	*out = strdup((const char *)abs);
	if (!*out)
		rc = oom(ps);
out:
	xmlFreeURI(uri);
	xmlFree(abs);
	xmlFree(base);
	xmlFree(escaped);
	return rc;
}


/* An attribute without namespace, as a node its text can be read from. */
static xmlNodePtr
prop(xmlNodePtr node, const char *name)
{
	return (xmlNodePtr)xmlHasNsProp(node, (const xmlChar *)name, NULL);
}

/* The URL written in src (node itself or one of its attributes). */
static int
node_link(struct parse *ps, xmlNodePtr node, xmlNodePtr src, char **out)
{
	char *href = NULL;
	int full, rc;

	*out = NULL;
	rc = node_text(ps, src, MARKUP_TEXT, SYNDICATION_MAX_FIELD, &href,
		       &full);
	if (rc == 0 && href && !full)
		rc = resolve(ps, node, href, out);
	free(href);
	return rc;
}

/* An attribute that names a kind (rel, type); NULL when absent. */
static int
node_kind(struct parse *ps, xmlNodePtr node, const char *attr, char **out)
{
	int full;

	return node_text(ps, prop(node, attr), MARKUP_TEXT, 255, out, &full);
}

/* Atom links by preference; links of other kinds (self, edit) rank 0. */
enum {
	RANK_ENCLOSURE = 1,
	RANK_ALTERNATE,
	RANK_ALTERNATE_XML,
};

static int
atom_rank(struct parse *ps, xmlNodePtr link, char **type, int *rank)
{
	char *rel = NULL;

	*rank = 0;
	if (node_kind(ps, link, "rel", &rel) < 0 ||
	    node_kind(ps, link, "type", type) < 0) {
		free(rel);
		return -1;
	}
	if (!rel || strcasecmp(rel, "alternate") == 0)
		*rank = *type && type_is_xml(*type) ? RANK_ALTERNATE_XML :
			RANK_ALTERNATE;
	else if (strcasecmp(rel, "enclosure") == 0)
		*rank = RANK_ENCLOSURE;
	free(rel);
	return 0;
}

/* The best http(s) atom:link of at ranked min_rank or above. */
static int
atom_link(struct parse *ps, xmlNodePtr at, int min_rank, char **link,
	  char **type)
{
	xmlXPathObjectPtr res;
	xmlNodeSetPtr set;
	xmlNodePtr node;
	char *l, *t;
	int i, rank, best = min_rank - 1, rc = -1;

	if (eval(ps, XP_ATOM_LINKS, at, &set, &res) < 0)
		return -1;
	for (i = 0; i < set_size(set); i++) {
		node = set->nodeTab[i];
		l = t = NULL;
		if (atom_rank(ps, node, &t, &rank) < 0 ||
		    (rank > best &&
		     node_link(ps, node, prop(node, "href"), &l) < 0)) {
			free(t);
			goto out;
		}
		if (!l) {
			free(t);
			continue;
		}
		free(*link);
		free(*type);
		*link = l;
		*type = t;
		best = rank;
	}
	rc = 0;
out:
	xmlXPathFreeObject(res);
	return rc;
}

/* The first enclosure of item whose type names XML. */
static int
rss_enclosure(struct parse *ps, xmlNodePtr item, char **link, char **type)
{
	xmlXPathObjectPtr res;
	xmlNodeSetPtr set;
	xmlNodePtr node;
	int i, rc = -1;

	if (eval(ps, XP_ENCLOSURES, item, &set, &res) < 0)
		return -1;
	for (i = 0; i < set_size(set) && !*link; i++) {
		node = set->nodeTab[i];
		if (node_kind(ps, node, "type", type) < 0)
			goto out;
		if (*type && type_is_xml(*type) &&
		    node_link(ps, node, prop(node, "url"), link) < 0)
			goto out;
		if (!*link) {
			free(*type);
			*type = NULL;
		}
	}
	rc = 0;
out:
	xmlXPathFreeObject(res);
	return rc;
}

/* An XML enclosure, else <link>, else a guid that is a permalink. */
static int
rss_link(struct parse *ps, xmlNodePtr item, xmlNodePtr id, char **link,
	 char **type)
{
	xmlNodePtr node;
	char *perma = NULL;
	int rc;

	if (rss_enclosure(ps, item, link, type) < 0)
		return -1;
	if (*link)
		return 0;
	if (first(ps, XP_LINK, item, &node) < 0 ||
	    (node && node_link(ps, node, node, link) < 0))
		return -1;
	if (*link || !id || id->type != XML_ELEMENT_NODE || id->ns ||
	    strcmp((const char *)id->name, "guid") != 0)
		return 0;
	/* isPermaLink is true unless it says otherwise. */
	if (node_kind(ps, id, "isPermaLink", &perma) < 0)
		return -1;
	rc = 0;
	if (!perma || strcasecmp(perma, "true") == 0)
		rc = node_link(ps, id, id, link);
	free(perma);
	return rc;
}

/* ---- dates -------------------------------------------------------------- */

struct civil {
	int year, mon, day, hour, min, sec;
	long zone;	/* seconds east of UTC */
};

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * Days before the year, the month and the day, counted from 0001-01-01
 * in the proleptic Gregorian calendar, minus those before 1970-01-01: no
 * timegm(), whose zone and range depend on the system.
 */
static int
civil_time(const struct civil *c, time_t *out)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30,
				       31, 31, 30, 31, 30, 31 };
	static const int before[12] = { 0, 31, 59, 90, 120, 151,
					181, 212, 243, 273, 304, 334 };
	long long y = c->year - 1, days, v;

	if (c->year < 1 || c->year > 9999 || c->mon < 1 || c->mon > 12 ||
	    c->day < 1 ||
	    c->day > mdays[c->mon - 1] + (c->mon == 2 && leap(c->year)) ||
	    c->hour > 23 || c->min > 59 || c->sec > 60)
		return -1;
	days = y * 365 + y / 4 - y / 100 + y / 400 + before[c->mon - 1] +
	       (c->mon > 2 && leap(c->year)) + c->day - 1 - 719162;
	v = days * 86400 + c->hour * 3600 + c->min * 60 + c->sec - c->zone;
	*out = (time_t)v;
	return (long long)*out == v ? 0 : -1;
}

/* Skips blanks; how many there were. */
static size_t
blanks(const char **p)
{
	const char *s = *p;

	while (**p == ' ' || **p == '\t' || **p == '\r' || **p == '\n')
		(*p)++;
	return (size_t)(*p - s);
}

static int
expect(const char **p, char c)
{
	if (**p != c)
		return 0;
	(*p)++;
	return 1;
}

/* Between min and max digits; how many, or -1. */
static int
number(const char **p, int min, int max, int *v)
{
	int n = 0;

	*v = 0;
	while (n < max && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n < min ? -1 : n;
}

/* A word of up to 15 ASCII letters. */
static size_t
word(const char **p, char w[16])
{
	size_t n = 0;

	while (((**p | 0x20) >= 'a' && (**p | 0x20) <= 'z') && n < 15)
		w[n++] = *(*p)++;
	w[n] = '\0';
	return n;
}

/* The index of a day or month name, written in full or as its first
 * three letters; -1 if it is none. */
static int
name_index(const char **p, const char *const *names, int n)
{
	char w[16];
	size_t len = word(p, w);
	int i;

	for (i = 0; i < n; i++)
		if ((len == 3 || len == strlen(names[i])) &&
		    strncasecmp(w, names[i], len) == 0)
			return i;
	return -1;
}

/* "+0100", "-05:00", or a name RFC 822 knows ("GMT", "PDT", ...) plus
 * the CET and CEST Swedish servers write. */
static int
zone(const char **p, long *off)
{
	static const struct {
		const char *name;
		int hours;
	} names[] = {
		{ "Z", 0 }, { "UT", 0 }, { "UTC", 0 }, { "GMT", 0 },
		{ "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
		{ "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
		{ "CET", 1 }, { "CEST", 2 },
	};
	char w[16];
	size_t i;
	int h, m, sign;

	if (**p == '+' || **p == '-') {
		sign = **p == '-' ? -1 : 1;
		(*p)++;
		if (number(p, 2, 2, &h) < 0)
			return -1;
		expect(p, ':');
		if (number(p, 2, 2, &m) < 0 || h > 23 || m > 59)
			return -1;
		*off = sign * (h * 3600L + m * 60L);
		return 0;
	}
	word(p, w);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(w, names[i].name) == 0) {
			*off = names[i].hours * 3600L;
			return 0;
		}
	}
	return -1;
}

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

static const char *const day_names[7] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday",
};

/*
 * [day ","] d month yy[yy] hh:mm[:ss] zone ["(" comment ")"]. The day of
 * the week is not checked against the date: feeds get it wrong more often
 * than the date.
 */
int
syndication_parse_rfc822(const char *s, time_t *out)
{
	struct civil c = { 0 };
	const char *p = s;
	int n;

	blanks(&p);
	if (*p < '0' || *p > '9') {
		if (name_index(&p, day_names, 7) < 0)
			return -1;
		blanks(&p);
		expect(&p, ',');
		blanks(&p);
	}
	if (number(&p, 1, 2, &c.day) < 0 || !blanks(&p) ||
	    (c.mon = name_index(&p, month_names, 12) + 1) == 0 ||
	    !blanks(&p) || (n = number(&p, 2, 4, &c.year)) == 3 || n < 0 ||
	    !blanks(&p) || number(&p, 1, 2, &c.hour) < 0 || !expect(&p, ':') ||
	    number(&p, 2, 2, &c.min) < 0)
		return -1;
	/* RFC 2822's reading of two-digit years */
	if (n == 2)
		c.year += c.year < 50 ? 2000 : 1900;
	if (expect(&p, ':') && number(&p, 2, 2, &c.sec) < 0)
		return -1;
	if (!blanks(&p) || zone(&p, &c.zone) < 0)
		return -1;
	blanks(&p);
	if (expect(&p, '(')) {
		p = strchr(p, ')');
		if (!p)
			return -1;
		p++;
		blanks(&p);
	}
	return *p ? -1 : civil_time(&c, out);
}

/* YYYY-MM-DD, then optionally Thh:mm[:ss[.fraction]] and a zone, which
 * RFC 3339 requires with a time; a bare date (W3C-DTF) is midnight UTC. */
int
syndication_parse_rfc3339(const char *s, time_t *out)
{
	struct civil c = { 0 };
	const char *p = s;
	int frac;

	blanks(&p);
	if (number(&p, 4, 4, &c.year) < 0 || !expect(&p, '-') ||
	    number(&p, 2, 2, &c.mon) < 0 || !expect(&p, '-') ||
	    number(&p, 2, 2, &c.day) < 0)
		return -1;
	if ((*p == 'T' || *p == 't' || *p == ' ') &&
	    p[1] >= '0' && p[1] <= '9') {
		p++;
		if (number(&p, 2, 2, &c.hour) < 0 || !expect(&p, ':') ||
		    number(&p, 2, 2, &c.min) < 0)
			return -1;
		if (expect(&p, ':') && number(&p, 2, 2, &c.sec) < 0)
			return -1;
		if (expect(&p, '.') && number(&p, 1, 1, &frac) < 0)
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
		if (zone(&p, &c.zone) < 0)
			return -1;
	}
	blanks(&p);
	return *p ? -1 : civil_time(&c, out);
}

/* ---- entries ------------------------------------------------------------ */

/* The first date of the entry that can be read; none is not an error. */
static int
entry_date(struct parse *ps, xmlNodePtr item, struct syndication_entry *e)
{
	static const enum xp order[] = { XP_PUBLISHED, XP_UPDATED };
	xmlNodePtr node;
	char *s;
	size_t i;
	int full;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (first(ps, order[i], item, &node) < 0 ||
		    node_text(ps, node, MARKUP_TEXT, 128, &s, &full) < 0)
			return -1;
		if (s && !full && (syndication_parse_rfc822(s, &e->published) == 0 ||
				   syndication_parse_rfc3339(s, &e->published) == 0))
			e->has_published = 1;
		free(s);
		if (e->has_published)
			break;
	}
	return 0;
}

/* The summary, else the content for feeds that only give that. */
static int
entry_summary(struct parse *ps, xmlNodePtr item, char **out)
{
	static const enum xp order[] = { XP_SUMMARY, XP_CONTENT };
	xmlNodePtr node;
	size_t i;
	int full;

	*out = NULL;
	for (i = 0; i < sizeof(order) / sizeof(order[0]) && !*out; i++) {
		if (first(ps, order[i], item, &node) < 0 ||
		    (node && node_text(ps, node, markup_of(node, MARKUP_HTML),
				       SYNDICATION_MAX_SUMMARY, out,
				       &full) < 0))
			return -1;
	}
	return 0;
}

static void
entry_clear(struct syndication_entry *e)
{
	free(e->id);
	free(e->title);
	free(e->link);
	free(e->link_type);
	free(e->summary);
	memset(e, 0, sizeof(*e));
}

/* Reads item into e; *usable is 0 when the entry is to be skipped. */
static int
entry_read(struct parse *ps, xmlNodePtr item, struct syndication_entry *e,
	   int *usable)
{
	xmlNodePtr id, title;
	int id_full, title_full;

	*usable = 0;
	if (first(ps, XP_ID, item, &id) < 0 ||
	    (ps->atom ? atom_link(ps, item, RANK_ENCLOSURE, &e->link,
				  &e->link_type) :
			rss_link(ps, item, id, &e->link, &e->link_type)) < 0 ||
	    node_text(ps, id, MARKUP_TEXT, SYNDICATION_MAX_FIELD, &e->id,
		      &id_full) < 0 ||
	    first(ps, XP_TITLE, item, &title) < 0 ||
	    (title && node_text(ps, title, markup_of(title, MARKUP_TEXT),
				SYNDICATION_MAX_FIELD, &e->title,
				&title_full) < 0))
		return -1;
	if (!e->link || id_full || (title && title_full))
		return 0;
	if (!e->id && !(e->id = strdup(e->link)))
		return oom(ps);
	if (entry_summary(ps, item, &e->summary) < 0 ||
	    entry_date(ps, item, e) < 0)
		return -1;
	*usable = 1;
	return 0;
}

/* Moves e to the end of the feed's entries. */
static int
push(struct parse *ps, struct syndication_entry *e)
{
	struct syndication_feed *f = ps->feed;
	struct syndication_entry *v;
	size_t alloc;

	if (f->nentries == ps->alloc) {
		alloc = ps->alloc ? ps->alloc * 2 : 16;
		if (alloc > SYNDICATION_MAX_ENTRIES)
			alloc = SYNDICATION_MAX_ENTRIES;
		v = realloc(f->entries, alloc * sizeof(*v));
		if (!v)
			return oom(ps);
		f->entries = v;
		ps->alloc = alloc;
	}
	f->entries[f->nentries++] = *e;
	memset(e, 0, sizeof(*e));
	return 0;
}

static int
read_entries(struct parse *ps, xmlNodePtr root)
{
	struct syndication_entry e;
	xmlXPathObjectPtr res;
	xmlNodeSetPtr set;
	int i, n, usable, rc = -1;

	memset(&e, 0, sizeof(e));
	if (eval(ps, ps->atom ? XP_ENTRIES : XP_ITEMS, root, &set, &res) < 0)
		return -1;
	n = set_size(set);
	for (i = 0; i < n; i++) {
		if (ps->feed->nentries == SYNDICATION_MAX_ENTRIES) {
			ps->feed->nskipped += (size_t)(n - i);
			break;
		}
		if (entry_read(ps, set->nodeTab[i], &e, &usable) < 0 ||
		    (usable && push(ps, &e) < 0))
			goto out;
		if (!usable)
			ps->feed->nskipped++;
		entry_clear(&e);
	}
	rc = 0;
out:
	entry_clear(&e);
	xmlXPathFreeObject(res);
	return rc;
}

/* ---- the feed ----------------------------------------------------------- */

/* Sets ps->atom and ps->channel from the root element. */
static int
detect(struct parse *ps, xmlNodePtr root)
{
	const char *name = (const char *)root->name;
	const char *ns = root->ns ? (const char *)root->ns->href : NULL;

	if (ns && strcmp(ns, ATOM_NS) == 0 && strcmp(name, "feed") == 0) {
		ps->atom = 1;
		ps->channel = root;
		return 0;
	}
	if ((!ns && strcmp(name, "rss") == 0) ||
	    (ns && strcmp(ns, RDF_NS) == 0 && strcmp(name, "RDF") == 0)) {
		if (first(ps, XP_CHANNEL, root, &ps->channel) < 0)
			return -1;
		if (!ps->channel)
			return fail(ps, "line %ld: <%s> has no channel element: "
				    "not an RSS feed", xmlGetLineNo(root), name);
		return 0;
	}
	return fail(ps, "line %ld: root element <%.64s>%s%.128s: not an RSS or "
		    "Atom feed", xmlGetLineNo(root), name,
		    ns ? " in namespace " : "", ns ? ns : "");
}

/* The feed's title and its site's link. */
static int
read_header(struct parse *ps)
{
	xmlNodePtr node;
	char *type = NULL;
	int full, rc;

	if (first(ps, XP_TITLE, ps->channel, &node) < 0 ||
	    (node && node_text(ps, node, markup_of(node, MARKUP_TEXT),
			       SYNDICATION_MAX_FIELD, &ps->feed->title,
			       &full) < 0))
		return -1;
	if (ps->atom) {
		rc = atom_link(ps, ps->channel, RANK_ALTERNATE,
			       &ps->feed->link, &type);
		free(type);
		return rc;
	}
	if (first(ps, XP_LINK, ps->channel, &node) < 0)
		return -1;
	return node ? node_link(ps, node, node, &ps->feed->link) : 0;
}

int
syndication_parse(struct syndication_parser *p, const char *data,
		  size_t len, const char *base_url,
		  struct syndication_feed **out, char *err, size_t errlen)
{
	struct parse ps = { .p = p, .err = err, .errlen = err ? errlen : 0 };
	xmlNodePtr root;
	int rc = -1;

	if (ps.errlen)
		err[0] = '\0';
	*out = NULL;
	xmlsafe_begin(&ps.xs);
	if (xmlsafe_read(&ps.xs, data, len, SYNDICATION_MAX_INPUT, &ps.doc,
			 ps.err, ps.errlen) < 0) {
		ps.failed = 1;
		goto out;
	}
	/* xml:base resolution ends at the document's own URL. */
	if (base_url && !(ps.doc->URL = xmlStrdup((const xmlChar *)base_url))) {
		oom(&ps);
		goto out;
	}
	root = xmlDocGetRootElement(ps.doc);
	if (!root) {
		fail(&ps, "no root element");
		goto out;
	}
	ps.feed = calloc(1, sizeof(*ps.feed));
	ps.xpc = xmlsafe_xpath_context(ps.doc, namespaces, sizeof(namespaces) /
				       sizeof(namespaces[0]));
	if (!ps.feed || !ps.xpc) {
		oom(&ps);
		goto out;
	}
	if (detect(&ps, root) < 0 || read_header(&ps) < 0 ||
	    read_entries(&ps, root) < 0)
		goto out;
	*out = ps.feed;
	ps.feed = NULL;
	rc = 0;
out:
	syndication_feed_free(ps.feed);
	xmlXPathFreeContext(ps.xpc);
	xmlFreeDoc(ps.doc);
	xmlsafe_end(&ps.xs);
	return rc;
}

void
syndication_feed_free(struct syndication_feed *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nentries; i++)
		entry_clear(&f->entries[i]);
	free(f->entries);
	free(f->title);
	free(f->link);
	free(f);
}

int
syndication_entry_links_xml(const struct syndication_entry *e)
{
	const char *path, *end;

	if (!e->link)
		return 0;
	if (e->link_type)
		return type_is_xml(e->link_type);
	path = strstr(e->link, "://");
	if (!path)
		return 0;
	path += 3;
	end = path + strcspn(path, "?#");
	path += strcspn(path, "/?#");
	return end - path >= 4 && strncasecmp(end - 4, ".xml", 4) == 0;
}
