#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>

#include "civil.h"
#include "syndication.h"
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

/* Named by the expressions themselves. */
static const struct xmlsafe_xpath xpaths[XP_COUNT] = {
	[XP_CHANNEL] = { "channel | rss1:channel | rss090:channel", NULL },
	[XP_ITEMS] = { "channel/item | rss1:item | rss090:item", NULL },
	[XP_ENTRIES] = { "atom:entry", NULL },
	[XP_TITLE] = { "title | rss1:title | rss090:title | atom:title", NULL },
	[XP_LINK] = { "link | rss1:link | rss090:link", NULL },
	[XP_ATOM_LINKS] = { "atom:link", NULL },
	[XP_ENCLOSURES] = { "enclosure", NULL },
	[XP_ID] = { "guid | atom:id | @rdf:about", NULL },
	[XP_SUMMARY] = { "description | rss1:description | rss090:description"
			 " | atom:summary | dc:description", NULL },
	[XP_CONTENT] = { "content:encoded | atom:content", NULL },
	[XP_PUBLISHED] = { "pubDate | atom:published", NULL },
	[XP_UPDATED] = { "atom:updated | dc:date", NULL },
};

static const struct xmlsafe_ns namespaces[] = {
	{ "atom", ATOM_NS },
	{ "rdf", RDF_NS },
	{ "rss1", "http://purl.org/rss/1.0/" },
	{ "rss090", "http://my.netscape.com/rdf/simple/0.9/" },
	{ "dc", "http://purl.org/dc/elements/1.1/" },
	{ "content", "http://purl.org/rss/1.0/modules/content/" },
};

/* The state of one syndication_parse() call. */
struct parse {
	struct xmlsafe x;
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

/* The HTML parser's view of the text it adds to. */
struct html {
	struct xmlsafe_text *t;
	xmlParserCtxtPtr ctxt;
	int hidden;	/* inside script or style */
};

/* ---- text --------------------------------------------------------------- */

/* Breaks between blocks read as spaces; inline markup joins its text. */
static void
html_break(struct html *h, const xmlChar *name)
{
	const htmlElemDesc *desc;

	if (strcmp((const char *)name, "br") == 0 ||
	    ((desc = htmlTagLookup(name)) && !desc->isinline))
		xmlsafe_text_add(h->t, " ", 1);
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
	xmlsafe_text_add(h->t, (const char *)s, (size_t)len);
	if (xmlsafe_text_full(h->t))
		xmlStopParser(h->ctxt);
}

/*
 * The text of an HTML fragment, entities decoded, through libxml2's HTML
 * parser with callbacks that only collect text, so no tree is built.
 */
static int
html_to_text(struct xmlsafe_text *t, const char *html, size_t len)
{
	htmlSAXHandler sax;
	struct html h;

	/* Text without markup or entities reads the same either way. */
	if (!memchr(html, '<', len) && !memchr(html, '&', len))
		return xmlsafe_text_add(t, html, len);
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
	if (!h.ctxt)
		return -1;
	memcpy(h.ctxt->sax, &sax, sizeof(sax));
	h.ctxt->userData = &h;
	htmlCtxtUseOptions(h.ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR |
			   HTML_PARSE_NOWARNING);
	/* Declared as UTF-8 so a <meta charset> in the fragment cannot
	 * make the parser read it as something else. */
	xmlSwitchToEncoding(h.ctxt, xmlFindCharEncodingHandler("UTF-8"));
	htmlParseDocument(h.ctxt);
	htmlFreeParserCtxt(h.ctxt);
	return 0;
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
	size_t len;

	*full = 0;
	if (xmlsafe_node_text(m == MARKUP_NONE ? NULL : node, max,
			      XMLSAFE_BLANKS_LAYOUT,
			      m == MARKUP_HTML ? html_to_text : NULL, out,
			      &len) < 0)
		return xmlsafe_oom(&ps->x);
	*full = len > max;
	return 0;
}

/* ---- XPath -------------------------------------------------------------- */

/*
 * A parser is nothing but its compiled expressions: struct syndication_parser
 * is only the name syndication.h gives them, and never defined.
 */
struct syndication_parser *
syndication_parser_new(void)
{
	size_t nns = sizeof(namespaces) / sizeof(namespaces[0]);

	return (struct syndication_parser *)xmlsafe_compile(xpaths, XP_COUNT,
							     namespaces, nns);
}

void
syndication_parser_free(struct syndication_parser *p)
{
	xmlsafe_free_compiled((struct xmlsafe_xpaths *)p);
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
		xmlsafe_oom(&ps->x);
		goto out;
	}
	base = xmlNodeGetBase(ps->x.doc, node);
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
		rc = xmlsafe_oom(&ps->x);
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
	struct xmlsafe_nodes links;
	xmlNodePtr node;
	char *l, *t;
	int i, rank, best = min_rank - 1, rc = -1;

	if (xmlsafe_eval(&ps->x, XP_ATOM_LINKS, at, &links) < 0)
		return -1;
	for (i = 0; i < links.n; i++) {
		node = links.v[i];
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
	xmlsafe_nodes_free(&links);
	return rc;
}

/* The first enclosure of item whose type names XML. */
static int
rss_enclosure(struct parse *ps, xmlNodePtr item, char **link, char **type)
{
	struct xmlsafe_nodes enclosures;
	xmlNodePtr node;
	int i, rc = -1;

	if (xmlsafe_eval(&ps->x, XP_ENCLOSURES, item, &enclosures) < 0)
		return -1;
	for (i = 0; i < enclosures.n && !*link; i++) {
		node = enclosures.v[i];
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
	xmlsafe_nodes_free(&enclosures);
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
	if (xmlsafe_first(&ps->x, XP_LINK, item, &node) < 0 ||
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
		if (xmlsafe_first(&ps->x, order[i], item, &node) < 0 ||
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
		if (xmlsafe_first(&ps->x, order[i], item, &node) < 0 ||
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
	int id_full, title_full = 0;

	*usable = 0;
	if (xmlsafe_first(&ps->x, XP_ID, item, &id) < 0 ||
	    (ps->atom ? atom_link(ps, item, RANK_ENCLOSURE, &e->link,
				  &e->link_type) :
			rss_link(ps, item, id, &e->link, &e->link_type)) < 0 ||
	    node_text(ps, id, MARKUP_TEXT, SYNDICATION_MAX_FIELD, &e->id,
		      &id_full) < 0 ||
	    xmlsafe_first(&ps->x, XP_TITLE, item, &title) < 0 ||
	    (title && node_text(ps, title, markup_of(title, MARKUP_TEXT),
				SYNDICATION_MAX_FIELD, &e->title,
				&title_full) < 0))
		return -1;
	if (!e->link || id_full || title_full)
		return 0;
	if (!e->id && !(e->id = strdup(e->link)))
		return xmlsafe_oom(&ps->x);
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
			return xmlsafe_oom(&ps->x);
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
	struct xmlsafe_nodes items;
	int i, n, usable, rc = -1;

	memset(&e, 0, sizeof(e));
	if (xmlsafe_eval(&ps->x, ps->atom ? XP_ENTRIES : XP_ITEMS, root,
			 &items) < 0)
		return -1;
	n = items.n;
	for (i = 0; i < n; i++) {
		if (ps->feed->nentries == SYNDICATION_MAX_ENTRIES) {
			ps->feed->nskipped += (size_t)(n - i);
			break;
		}
		if (entry_read(ps, items.v[i], &e, &usable) < 0 ||
		    (usable && push(ps, &e) < 0))
			goto out;
		if (!usable)
			ps->feed->nskipped++;
		entry_clear(&e);
	}
	rc = 0;
out:
	entry_clear(&e);
	xmlsafe_nodes_free(&items);
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
		if (xmlsafe_first(&ps->x, XP_CHANNEL, root, &ps->channel) < 0)
			return -1;
		if (!ps->channel)
			return xmlsafe_fail(&ps->x, "line %ld: <%s> has no "
					    "channel element: not an RSS feed",
					    xmlGetLineNo(root), name);
		return 0;
	}
	return xmlsafe_fail(&ps->x, "line %ld: root element <%.64s>%s%.128s: "
			    "not an RSS or Atom feed", xmlGetLineNo(root), name,
			    ns ? " in namespace " : "", ns ? ns : "");
}

/* The feed's title and its site's link. */
static int
read_header(struct parse *ps)
{
	xmlNodePtr node;
	char *type = NULL;
	int full, rc;

	if (xmlsafe_first(&ps->x, XP_TITLE, ps->channel, &node) < 0 ||
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
	if (xmlsafe_first(&ps->x, XP_LINK, ps->channel, &node) < 0)
		return -1;
	return node ? node_link(ps, node, node, &ps->feed->link) : 0;
}

int
syndication_parse(struct syndication_parser *p, const char *data,
		  size_t len, const char *base_url,
		  struct syndication_feed **out, char *err, size_t errlen)
{
	struct parse ps;
	int rc = -1;

	memset(&ps, 0, sizeof(ps));
	*out = NULL;
	xmlsafe_begin(&ps.x, (struct xmlsafe_xpaths *)p, err, errlen);
	if (xmlsafe_read(&ps.x, data, len, SYNDICATION_MAX_INPUT) < 0)
		goto out;
	/* xml:base resolution ends at the document's own URL. */
	if ((base_url &&
	     !(ps.x.doc->URL = xmlStrdup((const xmlChar *)base_url))) ||
	    !(ps.feed = calloc(1, sizeof(*ps.feed)))) {
		xmlsafe_oom(&ps.x);
		goto out;
	}
	if (detect(&ps, ps.x.root) < 0 || read_header(&ps) < 0 ||
	    read_entries(&ps, ps.x.root) < 0)
		goto out;
	*out = ps.feed;
	ps.feed = NULL;
	rc = 0;
out:
	syndication_feed_free(ps.feed);
	xmlsafe_end(&ps.x);
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
