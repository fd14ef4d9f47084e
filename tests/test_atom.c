/*
 * Atom feeds, read back three ways: by libxml2 with XPath, against the
 * RELAX NG schema of RFC 4287 cut down to what atom_write() writes (and
 * the rules of the RFC a schema cannot say, by hand), and by the
 * project's own feed reader.
 */
#define _XOPEN_SOURCE 700

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "atom.h"
#include "buf.h"
#include "syndication.h"
#include "test.h"
#include "testutil.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"

/*
 * RFC 4287 appendix B in the XML syntax, with only the elements and
 * attributes atom_write() writes and no extension elements, so anything
 * else it wrote would fail. Text is plain text only, dates are in UTC.
 */
static const char schema[] =
"<grammar xmlns='http://relaxng.org/ns/structure/1.0'"
"  ns='" ATOM_NS "'"
"  datatypeLibrary='http://www.w3.org/2001/XMLSchema-datatypes'>"
" <start><ref name='atomFeed'/></start>"
" <define name='atomCommonAttributes'>"
"  <optional><attribute name='base'"
"   ns='http://www.w3.org/XML/1998/namespace'>"
"   <data type='anyURI'/></attribute></optional>"
"  <optional><attribute name='lang'"
"   ns='http://www.w3.org/XML/1998/namespace'>"
"   <data type='language'/></attribute></optional>"
" </define>"
" <define name='atomPlainTextConstruct'>"
"  <ref name='atomCommonAttributes'/>"
"  <optional><attribute name='type'><choice>"
"   <value>text</value><value>html</value></choice></attribute></optional>"
"  <text/>"
" </define>"
" <define name='atomDateConstruct'>"
"  <ref name='atomCommonAttributes'/>"
"  <data type='dateTime'>"
"   <param name='pattern'>\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z</param>"
"  </data>"
" </define>"
" <define name='atomUri'><data type='string'>"
"  <param name='minLength'>1</param></data></define>"
" <define name='atomFeed'>"
"  <element name='feed'>"
"   <ref name='atomCommonAttributes'/>"
"   <interleave>"
"    <zeroOrMore><ref name='atomAuthor'/></zeroOrMore>"
"    <ref name='atomId'/>"
"    <zeroOrMore><ref name='atomLink'/></zeroOrMore>"
"    <element name='title'><ref name='atomPlainTextConstruct'/></element>"
"    <element name='updated'><ref name='atomDateConstruct'/></element>"
"   </interleave>"
"   <zeroOrMore><ref name='atomEntry'/></zeroOrMore>"
"  </element>"
" </define>"
" <define name='atomEntry'>"
"  <element name='entry'>"
"   <ref name='atomCommonAttributes'/>"
"   <interleave>"
"    <zeroOrMore><ref name='atomCategory'/></zeroOrMore>"
"    <optional><element name='content'>"
"     <ref name='atomPlainTextConstruct'/></element></optional>"
"    <ref name='atomId'/>"
"    <zeroOrMore><ref name='atomLink'/></zeroOrMore>"
"    <optional><element name='published'>"
"     <ref name='atomDateConstruct'/></element></optional>"
"    <optional><element name='summary'>"
"     <ref name='atomPlainTextConstruct'/></element></optional>"
"    <element name='title'><ref name='atomPlainTextConstruct'/></element>"
"    <element name='updated'><ref name='atomDateConstruct'/></element>"
"   </interleave>"
"  </element>"
" </define>"
" <define name='atomAuthor'>"
"  <element name='author'>"
"   <ref name='atomCommonAttributes'/>"
"   <element name='name'><text/></element>"
"  </element>"
" </define>"
" <define name='atomId'>"
"  <element name='id'><ref name='atomCommonAttributes'/>"
"   <ref name='atomUri'/></element>"
" </define>"
" <define name='atomLink'>"
"  <element name='link'>"
"   <ref name='atomCommonAttributes'/>"
"   <attribute name='href'><ref name='atomUri'/></attribute>"
"   <optional><attribute name='rel'><data type='string'>"
"    <param name='minLength'>1</param>"
"    <param name='pattern'>[^:]*</param></data></attribute></optional>"
"   <optional><attribute name='type'><data type='string'>"
"    <param name='pattern'>.+/.+</param></data></attribute></optional>"
"  </element>"
" </define>"
" <define name='atomCategory'>"
"  <element name='category'>"
"   <ref name='atomCommonAttributes'/>"
"   <attribute name='term'><text/></attribute>"
"   <optional><attribute name='label'><text/></attribute></optional>"
"  </element>"
" </define>"
"</grammar>";

/* Text a reader must get back byte for byte. */
static const char title_rfi[] =
	"Fönsterputs & städ <2027–2029> 'Ö' \"ä\" ]]> å";
static const char summary_rfi[] =
	"Vi vill veta:\n\t1. priser & villkor\r\n\t2. <leveranstider>";
static const char label_rfi[] = "Städ & \"lokalvård\"\t<ramavtal>\n'ö'\r";

static time_t
utc(const char *iso)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
		fprintf(stderr, "bad test time %s\n", iso);
		exit(2);
	}
	tm.tm_year -= 1900;
	tm.tm_mon--;
	return timegm(&tm);
}

static struct atom_entry entries[3];

/* An RFI, a meeting and a matched notice, the newest first. */
static void
sample(struct atom_feed *f)
{
	memset(entries, 0, sizeof entries);
	entries[0].id = "https://upphandling.exempelkommun.se/rfi/rfi-3";
	entries[0].title = title_rfi;
	entries[0].link = "https://upphandling.exempelkommun.se/rfi/rfi-3";
	entries[0].updated = utc("2026-11-25T08:00:00Z");
	entries[0].published = utc("2026-11-20T13:30:00Z");
	entries[0].summary = summary_rfi;
	entries[0].category = "stad";
	entries[0].category_label = label_rfi;
	entries[1].id = "tag:upphandling.exempelkommun.se,2026:meeting/12";
	entries[1].title = "Informationsmöte: målning av förskolor";
	entries[1].link = "https://upphandling.exempelkommun.se/moten/12";
	entries[1].updated = utc("2026-11-24T09:15:30Z");
	entries[1].summary = "Stadshuset, sal Öresund, 14 januari kl. 09.00";
	entries[2].id = "urn:uuid:8f1c3a52-6d0e-4b59-9a31-2f4c7d9e0b11";
	entries[2].title = "Vinterväghållning Norra distriktet";
	entries[2].link = "https://ted.europa.eu/sv/notice/-/detail/712345-2026";
	entries[2].updated = utc("2026-11-23T23:59:59Z");
	entries[2].published = utc("2026-11-23T23:59:59Z");
	entries[2].category = "vag";

	memset(f, 0, sizeof *f);
	f->id = "https://upphandling.exempelkommun.se/flode";
	f->title = "Upphandlingar i Exempelkommun";
	f->self = "https://upphandling.exempelkommun.se/flode.atom";
	f->alternate = "https://upphandling.exempelkommun.se/";
	f->author = "Exempelkommun, upphandlingsenheten";
	f->lang = "sv";
	f->updated = entries[0].updated;
	f->entries = entries;
	f->n = 3;
}

/* A written feed, parsed back without entity substitution. */
struct doc {
	xmlDocPtr doc;
	xmlXPathContextPtr xpc;
};

static int
doc_read(struct doc *d, const struct buf *b)
{
	d->xpc = NULL;
	d->doc = xmlReadMemory(b->data, (int)b->len, "feed.atom", NULL,
			       XML_PARSE_NONET);
	if (!d->doc)
		return -1;
	d->xpc = xmlXPathNewContext(d->doc);
	if (!d->xpc ||
	    xmlXPathRegisterNs(d->xpc, (const xmlChar *)"a",
			       (const xmlChar *)ATOM_NS) != 0) {
		fprintf(stderr, "xpath context\n");
		exit(2);
	}
	return 0;
}

static void
doc_free(struct doc *d)
{
	xmlXPathFreeContext(d->xpc);
	xmlFreeDoc(d->doc);
}

static xmlXPathObjectPtr xp_eval(struct doc *d, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static xmlXPathObjectPtr
xp_eval(struct doc *d, const char *fmt, va_list ap)
{
	char expr[512];
	xmlXPathObjectPtr o;

	vsnprintf(expr, sizeof expr, fmt, ap);
	o = xmlXPathEvalExpression((const xmlChar *)expr, d->xpc);
	if (!o) {
		fprintf(stderr, "bad test expression %s\n", expr);
		exit(2);
	}
	return o;
}

static int xp_count(struct doc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* How many nodes the expression fmt selects. */
static int
xp_count(struct doc *d, const char *fmt, ...)
{
	xmlXPathObjectPtr o;
	va_list ap;
	int n;

	va_start(ap, fmt);
	o = xp_eval(d, fmt, ap);
	va_end(ap);
	n = o->type == XPATH_NODESET ? xmlXPathNodeSetGetLength(o->nodesetval)
				     : -1;
	xmlXPathFreeObject(o);
	return n;
}

static void check_xp(struct doc *d, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The string value of what fmt selects is exactly want. */
static void
check_xp(struct doc *d, const char *want, const char *fmt, ...)
{
	xmlXPathObjectPtr o;
	xmlChar *got;
	va_list ap;

	va_start(ap, fmt);
	o = xp_eval(d, fmt, ap);
	va_end(ap);
	got = xmlXPathCastToString(o);
	if (!got || strcmp((const char *)got, want) != 0) {
		fprintf(stderr, "  FAIL %s: %s\n    got  \"%s\"\n    want \"%s\"\n",
			test_current_name, fmt, got ? (char *)got : "(null)",
			want);
		test_failures_in_current++;
	}
	xmlFree(got);
	xmlXPathFreeObject(o);
}

static int
schema_valid(struct doc *d)
{
	xmlRelaxNGParserCtxtPtr pc;
	xmlRelaxNGValidCtxtPtr vc;
	xmlRelaxNGPtr rng;
	int rc;

	pc = xmlRelaxNGNewMemParserCtxt(schema, (int)strlen(schema));
	rng = pc ? xmlRelaxNGParse(pc) : NULL;
	vc = rng ? xmlRelaxNGNewValidCtxt(rng) : NULL;
	if (!vc) {
		fprintf(stderr, "the test's RELAX NG schema does not compile\n");
		exit(2);
	}
	rc = xmlRelaxNGValidateDoc(vc, d->doc);
	xmlRelaxNGFreeValidCtxt(vc);
	xmlRelaxNGFree(rng);
	xmlRelaxNGFreeParserCtxt(pc);
	return rc == 0;
}

/*
 * The document is an Atom feed by the schema and by the rules of RFC 4287
 * beyond it (4.1.1, 4.1.2) that bear on what atom_write() writes, and it
 * has the self link RFC 4287 recommends.
 */
static void
check_atom(struct doc *d, int nentries)
{
	CHECK(schema_valid(d));
	CHECK(xp_count(d, "/a:feed") == 1);
	CHECK(xp_count(d, "/a:feed/a:id") == 1);
	CHECK(xp_count(d, "/a:feed/a:title") == 1);
	CHECK(xp_count(d, "/a:feed/a:updated") == 1);
	CHECK(xp_count(d, "/a:feed/a:author/a:name") == 1);
	CHECK(xp_count(d, "/a:feed/a:link[@rel='self']") == 1);
	CHECK(xp_count(d, "/a:feed/a:link[@rel='alternate']") <= 1);
	CHECK(xp_count(d, "/a:feed/a:entry") == nentries);
	CHECK(xp_count(d, "//a:entry[count(a:id) != 1 or count(a:title) != 1 "
		       "or count(a:updated) != 1]") == 0);
	CHECK(xp_count(d, "//a:entry[not(a:content) and "
		       "not(a:link[@rel='alternate'][@href != ''])]") == 0);
	CHECK(xp_count(d, "//a:entry[count(a:link[@rel='alternate']) > 1]")
	      == 0);
	/* the feed's author stands for every entry's */
	CHECK(xp_count(d, "//a:entry/a:author") == 0);
}

/* What is written is as RFC 3339 has it in UTC, and names t. */
static void
check_time(struct doc *d, time_t t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
check_time(struct doc *d, time_t t, const char *fmt, ...)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	xmlXPathObjectPtr o;
	xmlChar *s;
	time_t back;
	va_list ap;
	size_t i;
	int ok;

	va_start(ap, fmt);
	o = xp_eval(d, fmt, ap);
	va_end(ap);
	s = xmlXPathCastToString(o);
	ok = s && strlen((char *)s) == sizeof shape - 1;
	for (i = 0; ok && shape[i]; i++)
		ok = shape[i] == 'd' ? s[i] >= '0' && s[i] <= '9'
				     : s[i] == shape[i];
	ok = ok && syndication_parse_rfc3339((char *)s, &back) == 0 &&
	     back == t;
	if (!ok) {
		fprintf(stderr, "  FAIL %s: %s is \"%s\", not %lld\n",
			test_current_name, fmt, s ? (char *)s : "(null)",
			(long long)t);
		test_failures_in_current++;
	}
	xmlFree(s);
	xmlXPathFreeObject(o);
}

static void
test_sample_feed(void)
{
	struct atom_feed f;
	struct buf b;
	struct doc d;
	size_t i;

	sample(&f);
	buf_init(&b, 0);
	CHECK(atom_write(&f, &b) == 0);
	CHECK(strncmp(buf_str(&b), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
		      38) == 0);
	CHECK(!strstr(buf_str(&b), "<!"));
	CHECK(doc_read(&d, &b) == 0);
	if (!d.doc)
		goto out;
	check_atom(&d, 3);
	check_xp(&d, f.id, "/a:feed/a:id");
	check_xp(&d, f.title, "/a:feed/a:title");
	check_xp(&d, "text", "/a:feed/a:title/@type");
	check_xp(&d, f.author, "/a:feed/a:author/a:name");
	check_xp(&d, f.self, "/a:feed/a:link[@rel='self']/@href");
	check_xp(&d, "application/atom+xml",
		 "/a:feed/a:link[@rel='self']/@type");
	check_xp(&d, f.alternate, "/a:feed/a:link[@rel='alternate']/@href");
	check_xp(&d, "text/html", "/a:feed/a:link[@rel='alternate']/@type");
	check_xp(&d, "sv", "/a:feed/@xml:lang");
	check_xp(&d, "2026-11-25T08:00:00Z", "/a:feed/a:updated");
	check_time(&d, f.updated, "/a:feed/a:updated");
	for (i = 0; i < f.n; i++) {
		const struct atom_entry *e = &entries[i];

		check_xp(&d, e->id, "/a:feed/a:entry[%zu]/a:id", i + 1);
		check_xp(&d, e->title, "/a:feed/a:entry[%zu]/a:title", i + 1);
		check_xp(&d, "text", "/a:feed/a:entry[%zu]/a:title/@type",
			 i + 1);
		check_xp(&d, e->link, "/a:feed/a:entry[%zu]/a:link"
			 "[@rel='alternate']/@href", i + 1);
		check_time(&d, e->updated, "/a:feed/a:entry[%zu]/a:updated",
			   i + 1);
		if (e->published)
			check_time(&d, e->published,
				   "/a:feed/a:entry[%zu]/a:published", i + 1);
		else
			CHECK(xp_count(&d, "/a:feed/a:entry[%zu]/a:published",
				       i + 1) == 0);
		if (e->summary) {
			check_xp(&d, e->summary,
				 "/a:feed/a:entry[%zu]/a:summary", i + 1);
			check_xp(&d, "text",
				 "/a:feed/a:entry[%zu]/a:summary/@type", i + 1);
		} else {
			CHECK(xp_count(&d, "/a:feed/a:entry[%zu]/a:summary",
				       i + 1) == 0);
		}
		CHECK(xp_count(&d, "/a:feed/a:entry[%zu]/a:content",
			       i + 1) == 0);
		CHECK(xp_count(&d, "/a:feed/a:entry[%zu]/a:category",
			       i + 1) == (e->category != NULL));
	}
	check_xp(&d, "2026-11-20T13:30:00Z", "/a:feed/a:entry[1]/a:published");
	check_xp(&d, "2026-11-23T23:59:59Z", "/a:feed/a:entry[3]/a:updated");
	check_xp(&d, "stad", "/a:feed/a:entry[1]/a:category/@term");
	check_xp(&d, label_rfi, "/a:feed/a:entry[1]/a:category/@label");
	check_xp(&d, "vag", "/a:feed/a:entry[3]/a:category/@term");
	CHECK(xp_count(&d, "/a:feed/a:entry[3]/a:category/@label") == 0);
out:
	doc_free(&d);
	buf_release(&b);
}

/* Markup characters, å ä ö, tabs and line ends in every kind of field. */
static void
test_text_round_trips(void)
{
	static const char odd[] = "&amp; <a href=\"x\">'ö'</a> ]]> \t\r\n Å";
	struct atom_entry e = {
		.id = "tag:upphandling.exempelkommun.se,2026:x/Ä&ö",
		.title = odd, .link = "https://upphandling.exempelkommun.se/"
		"sök?q=städ&sida=2#träff", .updated = 1, .summary = odd,
		.category = odd, .category_label = odd,
	};
	struct atom_feed f;
	struct buf b;
	struct doc d;

	sample(&f);
	f.title = odd;
	f.author = odd;
	f.entries = &e;
	f.n = 1;
	buf_init(&b, 0);
	CHECK(atom_write(&f, &b) == 0);
	CHECK(doc_read(&d, &b) == 0);
	if (!d.doc)
		goto out;
	check_atom(&d, 1);
	check_xp(&d, odd, "/a:feed/a:title");
	check_xp(&d, odd, "/a:feed/a:author/a:name");
	check_xp(&d, e.id, "/a:feed/a:entry/a:id");
	check_xp(&d, odd, "/a:feed/a:entry/a:title");
	check_xp(&d, e.link, "/a:feed/a:entry/a:link/@href");
	check_xp(&d, odd, "/a:feed/a:entry/a:summary");
	check_xp(&d, odd, "/a:feed/a:entry/a:category/@term");
	check_xp(&d, odd, "/a:feed/a:entry/a:category/@label");
	/* text, never markup: the tag stays text and no element appears */
	CHECK(xp_count(&d, "//a:entry/a:title/* | //a:entry/a:summary/*") == 0);
	check_xp(&d, "1970-01-01T00:00:01Z", "/a:feed/a:entry/a:updated");
out:
	doc_free(&d);
	buf_release(&b);
}

static void
test_empty_feed(void)
{
	struct atom_feed f;
	struct buf b;
	struct doc d;

	sample(&f);
	f.entries = NULL;
	f.n = 0;
	f.alternate = NULL;
	f.lang = NULL;
	f.updated = utc("9999-12-31T23:59:59Z");
	buf_init(&b, 0);
	CHECK(atom_write(&f, &b) == 0);
	CHECK(doc_read(&d, &b) == 0);
	if (!d.doc)
		goto out;
	check_atom(&d, 0);
	CHECK(xp_count(&d, "/a:feed/a:link") == 1);
	CHECK(xp_count(&d, "/a:feed/@xml:lang") == 0);
	check_xp(&d, "9999-12-31T23:59:59Z", "/a:feed/a:updated");
out:
	doc_free(&d);
	buf_release(&b);
}

/* Without a page to link to, the entry carries its text as content. */
static void
test_entry_without_link(void)
{
	struct atom_feed f;
	struct buf b;
	struct doc d;

	sample(&f);
	entries[0].link = NULL;
	entries[1].link = NULL;
	entries[1].summary = NULL;
	buf_init(&b, 0);
	CHECK(atom_write(&f, &b) == 0);
	CHECK(doc_read(&d, &b) == 0);
	if (!d.doc)
		goto out;
	check_atom(&d, 3);
	CHECK(xp_count(&d, "/a:feed/a:entry[1]/a:link") == 0);
	CHECK(xp_count(&d, "/a:feed/a:entry[1]/a:summary") == 0);
	check_xp(&d, summary_rfi, "/a:feed/a:entry[1]/a:content");
	check_xp(&d, "text", "/a:feed/a:entry[1]/a:content/@type");
	CHECK(xp_count(&d, "/a:feed/a:entry[2]/a:content") == 1);
	check_xp(&d, "", "/a:feed/a:entry[2]/a:content");
	CHECK(xp_count(&d, "/a:feed/a:entry[3]/a:content") == 0);
out:
	doc_free(&d);
	buf_release(&b);
}

/* The project's own reader, which readers of the feed are likely to
 * resemble, finds the same entries. */
static void
test_read_by_syndication(void)
{
	struct syndication_parser *p = syndication_parser_new();
	struct syndication_feed *sf = NULL;
	struct atom_feed f;
	struct buf b;
	char err[256];
	size_t i;

	CHECK(p != NULL);
	sample(&f);
	buf_init(&b, 0);
	CHECK(atom_write(&f, &b) == 0);
	CHECK(syndication_parse(p, b.data, b.len, f.self, &sf, err,
				sizeof err) == 0);
	if (!sf) {
		fprintf(stderr, "  reason: %s\n", err);
		goto out;
	}
	CHECK_STR(sf->title, f.title);
	CHECK_STR(sf->link, f.alternate);
	CHECK(sf->nskipped == 0);
	CHECK(sf->nentries == f.n);
	for (i = 0; i < sf->nentries && i < f.n; i++) {
		CHECK_STR(sf->entries[i].id, entries[i].id);
		CHECK_STR(sf->entries[i].title, entries[i].title);
		CHECK_STR(sf->entries[i].link, entries[i].link);
		CHECK(sf->entries[i].has_published);
		CHECK(sf->entries[i].published == (entries[i].published ?
						   entries[i].published :
						   entries[i].updated));
	}
	CHECK_STR(sf->entries[1].summary, entries[1].summary);
out:
	syndication_feed_free(sf);
	syndication_parser_free(p);
	buf_release(&b);
}

static void
test_appends(void)
{
	struct atom_feed f;
	struct buf alone, b;

	sample(&f);
	buf_init(&alone, 0);
	buf_init(&b, 0);
	buf_adds(&b, "kept");
	CHECK(atom_write(&f, &alone) == 0);
	CHECK(atom_write(&f, &b) == 0);
	CHECK(b.len == 4 + alone.len);
	CHECK(strncmp(buf_str(&b), "kept", 4) == 0);
	CHECK(strcmp(buf_str(&b) + 4, buf_str(&alone)) == 0);
	buf_release(&alone);
	buf_release(&b);
}

/* f is refused with one message, and out keeps what it had. */
static void
check_refused(const struct atom_feed *f, const char *why)
{
	struct capture cap;
	struct buf b;
	char *msg;
	int rc;

	buf_init(&b, 0);
	buf_adds(&b, "kept");
	capture_start(&cap, 2);
	rc = atom_write(f, &b);
	msg = capture_end(&cap);
	if (rc != -1)
		fprintf(stderr, "  accepted: %s\n", why);
	CHECK(rc == -1);
	CHECK_STR(buf_str(&b), "kept");
	CHECK(strncmp(msg, "tenderlots: error: atom", 23) == 0);
	CHECK(*msg && strchr(msg, '\n') == msg + strlen(msg) - 1);
	free(msg);
	buf_release(&b);
}

static void
test_full_buffer(void)
{
	struct atom_feed f;
	struct capture cap;
	struct buf b;
	char *msg;

	sample(&f);
	buf_init(&b, 1000);
	buf_adds(&b, "kept");
	capture_start(&cap, 2);
	CHECK(atom_write(&f, &b) == -1);
	msg = capture_end(&cap);
	CHECK_STR(buf_str(&b), "kept");
	CHECK(strstr(msg, "larger than 1000 bytes") != NULL);
	free(msg);
	buf_release(&b);
}

static void
test_bad_input(void)
{
	struct atom_feed f;
	struct atom_entry *e = &entries[0];	/* has every field */

#define REFUSED(change) do { \
	sample(&f); \
	change; \
	check_refused(&f, #change); \
} while (0)
	/* missing */
	REFUSED(f.id = NULL);
	REFUSED(f.id = "");
	REFUSED(f.title = NULL);
	REFUSED(f.title = "");
	REFUSED(f.self = NULL);
	REFUSED(f.author = NULL);
	REFUSED(f.author = "");
	REFUSED(f.updated = 0);
	REFUSED(f.entries = NULL);
	REFUSED(e->id = NULL);
	REFUSED(e->title = NULL);
	REFUSED(e->title = "");
	REFUSED(e->updated = 0);
	REFUSED(e->category = NULL);	/* its label is left */
	REFUSED(e->category = "");
	/* text XML cannot carry */
	REFUSED(f.title = "Upphandling\x01");
	REFUSED(f.author = "Kommun\x1b[31m");
	REFUSED(e->title = "Möte\x0c");
	REFUSED(e->summary = "rad\vrad");
	REFUSED(e->category = "bygg\x7f\x08");
	REFUSED(e->category_label = "Bygg\x1f");
	REFUSED(e->title = "\xef\xbf\xbe");	/* U+FFFE */
	REFUSED(e->summary = "x\xef\xbf\xbfy");	/* U+FFFF */
	/* not UTF-8 */
	REFUSED(e->title = "M\xf6te");		/* Latin-1 */
	REFUSED(e->summary = "\xc3\x28");
	REFUSED(e->summary = "\xc0\xaf");	/* overlong / */
	REFUSED(e->summary = "\xed\xa0\x80");	/* surrogate */
	REFUSED(e->summary = "\xf4\x90\x80\x80");	/* past U+10FFFF */
	REFUSED(e->summary = "slut\xe2\x82");	/* cut short */
	REFUSED(f.author = "\xff");
	/* links that are not http(s) */
	REFUSED(e->link = "javascript:alert(document.cookie)");
	REFUSED(e->link = "JavaScript:alert(1)");
	REFUSED(e->link = " javascript:alert(1)");
	REFUSED(e->link = "data:text/html,<script>alert(1)</script>");
	REFUSED(e->link = "vbscript:msgbox(1)");
	REFUSED(e->link = "file:///etc/passwd");
	REFUSED(e->link = "//evil.example/");
	REFUSED(e->link = "/rfi/rfi-3");
	REFUSED(e->link = "");
	REFUSED(e->link = "https://");
	REFUSED(e->link = "https:///rfi");
	REFUSED(e->link = "https://upphandling.exempelkommun.se@evil.example/");
	REFUSED(e->link = "https://exempelkommun.se/a b");
	REFUSED(e->link = "https://exempelkommun.se/\"onmouseover=\"x");
	REFUSED(e->link = "https://exempelkommun.se/<script>");
	REFUSED(e->link = "https://exempelkommun.se/\r\n");
	REFUSED(e->link = "https://exempelkommun.se/\xf6");
	REFUSED(f.self = "javascript:alert(1)");
	REFUSED(f.self = "ftp://upphandling.exempelkommun.se/flode.atom");
	REFUSED(f.alternate = "javascript:alert(1)");
	/* ids readers could open */
	REFUSED(e->id = "javascript:alert(1)");
	REFUSED(e->id = "data:,x");
	REFUSED(e->id = "rfi-3");
	REFUSED(e->id = "tag:");
	REFUSED(e->id = "tag:exempelkommun.se,2026:a b");
	REFUSED(f.id = "javascript:alert(1)");
	REFUSED(f.id = "urn:x\n");
	/* the rest */
	REFUSED(f.lang = "");
	REFUSED(f.lang = "sv_SE");
	REFUSED(f.lang = "sv-");
	REFUSED(f.lang = "-sv");
	REFUSED(f.lang = "sv--SE");
	REFUSED(f.lang = "sv\" onload=\"x");
	REFUSED(f.lang = "abcdefghi");
	REFUSED(f.updated = -1);
	REFUSED(f.updated = (time_t)253402300800LL);	/* year 10000 */
	REFUSED(e->updated = -86400);
	REFUSED(e->published = -1);
	REFUSED(e->published = (time_t)253402300800LL);
#undef REFUSED
}

/* What the refusals above must not catch. */
static void
test_good_input(void)
{
	static const char *const ok_langs[] = {
		"sv", "sv-SE", "sma-Latn-SE", "en-GB", "x-klingon", "SV",
	};
	struct atom_feed f;
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < sizeof ok_langs / sizeof ok_langs[0]; i++) {
		sample(&f);
		f.lang = ok_langs[i];
		CHECK(atom_write(&f, &b) == 0);
	}
	sample(&f);
	entries[0].link = "http://upphandling.exempelkommun.se:8080/rfi?id=3";
	entries[1].link = "https://[2001:db8::1]/möte/12";
	entries[2].id = "urn:uuid:8F1C3A52";
	entries[2].summary = "";
	entries[2].category_label = "";
	f.alternate = NULL;
	CHECK(atom_write(&f, &b) == 0);
	buf_release(&b);
}

int
main(void)
{
	RUN(test_sample_feed);
	RUN(test_text_round_trips);
	RUN(test_empty_feed);
	RUN(test_entry_without_link);
	RUN(test_read_by_syndication);
	RUN(test_appends);
	RUN(test_full_buffer);
	RUN(test_bad_input);
	RUN(test_good_input);
	xmlCleanupParser();
	return test_done("atom");
}
