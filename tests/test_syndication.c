/*
 * RSS 2.0, RSS 1.0 and Atom parsing. Run from the project root: the
 * fixtures are read from tests/fixtures/syndication/.
 */
#define _XOPEN_SOURCE 700

#include <stdlib.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "syndication.h"
#include "test.h"
#include "testutil.h"

#define FIXTURES "tests/fixtures/syndication/"
#define EXK_BASE "https://www.exempelkommun.se/naringsliv/upphandling/rss.xml"

static struct syndication_parser *parser;
static char err[256];

static struct syndication_feed *
parse_str(const char *xml, const char *base)
{
	struct syndication_feed *f = NULL;

	err[0] = '\0';
	if (syndication_parse(parser, xml, strlen(xml), base, &f, err,
			      sizeof(err)) < 0) {
		CHECK(f == NULL);
		CHECK(err[0] != '\0');
		return NULL;
	}
	CHECK(f != NULL);
	return f;
}

/* xml is refused with a one-line reason that holds want and also. */
static void
check_refused(const char *xml, const char *want, const char *also)
{
	struct syndication_feed *f = parse_str(xml, NULL);

	CHECK(f == NULL);
	syndication_feed_free(f);
	if (!strstr(err, want) || !strstr(err, also) || strchr(err, '\n')) {
		CHECK(!"reason");
		fprintf(stderr, "  reason: %s\n", err);
	}
}

static struct syndication_feed *
parse_fixture(const char *name, const char *base)
{
	char path[256];
	struct syndication_feed *f;
	char *xml;

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	xml = read_text(path);
	CHECK(xml != NULL);
	if (!xml)
		return NULL;
	f = parse_str(xml, base);
	CHECK(f != NULL);
	free(xml);
	return f;
}

static struct syndication_feed *
parse_around(const char *head, const char *inner, const char *tail,
	     const char *base)
{
	struct buf b;
	struct syndication_feed *f;

	buf_init(&b, 0);
	buf_adds(&b, head);
	buf_adds(&b, inner);
	buf_adds(&b, tail);
	f = parse_str(buf_str(&b), base);
	buf_release(&b);
	return f;
}

/* An RSS 2.0 feed around the given items. */
static struct syndication_feed *
parse_items(const char *items, const char *base)
{
	return parse_around("<rss version=\"2.0\"><channel><title>T</title>",
			    items, "</channel></rss>", base);
}

/* An Atom feed around the given entries. */
static struct syndication_feed *
parse_entries(const char *entries, const char *base)
{
	return parse_around("<feed xmlns=\"http://www.w3.org/2005/Atom\">"
			    "<title>T</title><id>urn:x</id>", entries,
			    "</feed>", base);
}

/* The link of the only entry of a one-item feed, or NULL. */
static const char *
only_link(const struct syndication_feed *f)
{
	return f && f->nentries == 1 ? f->entries[0].link : NULL;
}

#define NO_DATE LLONG_MIN

/* What an entry of a fixture must hold; NULL for a field that is NULL. */
struct want {
	const char *id;
	const char *title;
	const char *link;
	const char *link_type;
	int links_xml;
	const char *summary;
	long long published;	/* UTC, or NO_DATE */
};

static void
check_str_or_null(const char *got, const char *want, const char *field,
		  size_t i)
{
	if (want ? got && strcmp(got, want) == 0 : got == NULL)
		return;
	CHECK(!"entry field");
	fprintf(stderr, "  entry %zu %s: \"%s\", want \"%s\"\n", i, field,
		got ? got : "(null)", want ? want : "(null)");
}

static void
check_entries(const struct syndication_feed *f, const struct want *w,
	      size_t n)
{
	const struct syndication_entry *e;
	size_t i;

	CHECK(f->nentries == n);
	for (i = 0; i < n && i < f->nentries; i++) {
		e = &f->entries[i];
		check_str_or_null(e->id, w[i].id, "id", i);
		check_str_or_null(e->title, w[i].title, "title", i);
		check_str_or_null(e->link, w[i].link, "link", i);
		check_str_or_null(e->link_type, w[i].link_type, "link_type", i);
		check_str_or_null(e->summary, w[i].summary, "summary", i);
		if (syndication_entry_links_xml(e) != w[i].links_xml) {
			CHECK(!"links_xml");
			fprintf(stderr, "  entry %zu: links_xml %d\n", i,
				syndication_entry_links_xml(e));
		}
		if (w[i].published == NO_DATE ? e->has_published :
		    !e->has_published || (long long)e->published !=
		    w[i].published) {
			CHECK(!"published");
			fprintf(stderr, "  entry %zu: published %d %lld\n", i,
				e->has_published, (long long)e->published);
		}
	}
}

/* A fixture parsed from base: the feed's title and link, how many
 * entries it skipped, and its entries. */
static void
check_fixture(const char *name, const char *base, const char *title,
	      const char *link, size_t nskipped, const struct want *w,
	      size_t n)
{
	struct syndication_feed *f = parse_fixture(name, base);

	if (!f)
		return;
	CHECK_STR(f->title, title);
	CHECK_STR(f->link, link);
	CHECK(f->nskipped == nskipped);
	check_entries(f, w, n);
	syndication_feed_free(f);
}

#define EXK_NOTICES "https://www.exempelkommun.se/naringsliv/upphandling/"

static void
test_rss_fixture(void)
{
	static const struct want want[] = {
		{ "EXK-2026-0042", "Skolskjuts & färdtjänst 2027–2030",
		  /* the XML enclosure wins over <link> */
		  EXK_NOTICES "annonser/"
		  "2026-11-24_exempelkommun_skolskjuts-fardtjanst_cn.xml",
		  "application/xml", 1,
		  /* CDATA HTML: tags and the script gone */
		  "Exempelkommun upphandlar skolskjuts och färdtjänst i tre "
		  "delområden. Sista anbudsdag: 2027-01-08.",
		  /* Tue, 24 Nov 2026 08:00:00 +0100 */
		  1795503600 },
		{ "EXK-2026-0039",
		  "Snöröjning & halkbekämpning – marknadsdialog (RFI)",
		  /* a relative <link>; the PDF enclosure is not the notice */
		  EXK_NOTICES "marknadsdialog/snorojning", NULL, 0,
		  /* escaped HTML with an escaped &nbsp; */
		  "Vi bjuder in entreprenörer till dialog om "
		  "vinterväghållning. Svara senast 4 december.",
		  /* Mon, 23 Nov 2026 13:30:00 GMT */
		  1795440600 },
		/* a permalink guid is both the id and the link */
		{ EXK_NOTICES "annonser/"
		  "2026-11-23_exempelkommun_livsmedel-maltider_cn.xml",
		  "Livsmedel till måltidsservice",
		  EXK_NOTICES "annonser/"
		  "2026-11-23_exempelkommun_livsmedel-maltider_cn.xml",
		  NULL, 1, NULL,
		  /* 23 Nov 26 07:15 +0100 */
		  1795414500 },
		/* no guid: the link, trimmed, is the id */
		{ EXK_NOTICES "forhandsannonser/it-drift",
		  "IT-drift – förhandsannons",
		  EXK_NOTICES "forhandsannonser/it-drift", NULL, 0,
		  "Förhandsannons (PIN) om drift av kommunens IT-miljö.",
		  /* Tuesday, 17 Nov 2026 16:45:30 CET */
		  1794930330 },
	};

	/* two skipped: a javascript: link, and no link at all */
	check_fixture("exempelkommun-upphandlingar.rss", EXK_BASE,
		      "Exempelkommun – Pågående upphandlingar", EXK_NOTICES, 2,
		      want, sizeof(want) / sizeof(want[0]));
}

static void
test_atom_fixture(void)
{
	static const struct want want[] = {
		{ "tag:grannby.se,2026:annons/GRB-2026-117",
		  /* type="html": tags stripped, &amp;amp; decoded twice */
		  "Markarbeten vid förskolan Solbacken & Ängen",
		  /* the alternate XML link wins over the HTML one */
		  "https://www.grannby.se/upphandling/annonser/"
		  "2026-11-19_grannby_markarbeten-forskola_cn.xml",
		  "application/xml", 1,
		  "Mark- och VA-arbeten inför ny förskola, 4 800 m².",
		  /* published wins over updated: 2026-11-19T09:00:00+01:00 */
		  1795075200 },
		{ "tag:grannby.se,2026:annons/GRB-2026-109",
		  "Belysning i idrottshallen",
		  /* the entry's xml:base="../arkiv/" on top of the feed's */
		  "https://www.grannby.se/arkiv/belysning-idrottshall.html",
		  NULL, 0,
		  /* no summary: the html content, blocks kept apart */
		  "Byte till LED-armaturer. Hall A Hall B",
		  /* only updated, with a fraction: 2026-11-18T23:30:00.123Z */
		  1795044600 },
		{ "urn:uuid:6a4c3a0e-0f3b-4c59-9d55-3d8e2f1c7b21",
		  "Nyårsfyrverkeri 2027",
		  /* rel="related" does not count; the enclosure does */
		  "https://www.grannby.se/upphandling/annonser/"
		  "fyrverkeri-2027.xml",
		  "application/xml", 1,
		  "Pyroteknik & säkerhet vid nyårsfirandet.",
		  /* 2026-12-31T23:30:00-01:00 is 2027-01-01T00:30:00Z */
		  1798763400 },
	};

	/* The feed's own xml:base wins over the URL it was fetched from.
	 * Two skipped: rel="self" only, and a data: link. */
	check_fixture("grannby-annonser.atom",
		      "https://mirror.example.org/grannby.atom",
		      "Grannby kommun upphandlingar",
		      "https://www.grannby.se/upphandling/", 2,
		      want, sizeof(want) / sizeof(want[0]));
}

static void
test_rdf_fixture(void)
{
	static const struct want want[] = {
		/* rdf:about is the id */
		{ "https://upphandling.regionnordmark.se/annons/RN-2026-0311",
		  "IT-konsulter – ramavtal i fyra anbudsområden",
		  /* .XML before a query string */
		  "https://upphandling.regionnordmark.se/annons/RN-2026-0311/"
		  "eforms.XML?lang=sv", NULL, 1,
		  "Konsulttjänster inom systemutveckling, test, arkitektur "
		  "och projektledning.",
		  /* dc:date 2026-11-20T14:05:00+01:00 */
		  1795179900 },
		{ "https://upphandling.regionnordmark.se/annons/RN-2026-0307",
		  "Hjälpmedel för hörsel",
		  "https://upphandling.regionnordmark.se/annons/RN-2026-0307",
		  NULL, 0,
		  /* content:encoded with HTML entities, no description */
		  "Hörselhjälpmedel Avtal om hörapparater och tillbehör.",
		  /* dc:date 2026-02-29 does not exist; the entry stays */
		  NO_DATE },
	};

	check_fixture("region-nordmark.rdf", NULL,
		      "Region Nordmark – annonserade upphandlingar",
		      "https://upphandling.regionnordmark.se/", 0,
		      want, sizeof(want) / sizeof(want[0]));
}

static void
test_latin1_fixture(void)
{
	static const struct want want[] = {
		{ "smastad-2026-14",
		  "M\xc3\xa5ltidsservice: \xc3\xa4gg, mj\xc3\xb6lk och "
		  "\xc3\xb6vriga mejerivaror",
		  "http://www.smastad.se/upphandling/mejeri", NULL, 0,
		  "Leverans till skolor & \xc3\xa4ldreboenden i "
		  "Sm\xc3\xa5stad.",
		  1794988800 },
	};

	check_fixture("smastad-latin1.rss", NULL,
		      "Sm\xc3\xa5stads kommun - upphandlingar",
		      "http://www.smastad.se/upphandling", 0,
		      want, sizeof(want) / sizeof(want[0]));
}

static void
test_relative_links(void)
{
	struct syndication_feed *f;

	/* against the feed's URL */
	f = parse_items("<item><link>../annons/1.xml</link></item>",
			"https://kommun.se/upphandling/rss/feed.xml");
	CHECK_STR(only_link(f), "https://kommun.se/upphandling/annons/1.xml");
	syndication_feed_free(f);

	/* no URL to resolve against: skipped, not an error */
	f = parse_items("<item><link>/annons/1.xml</link></item>", NULL);
	CHECK(f && f->nentries == 0 && f->nskipped == 1);
	syndication_feed_free(f);

	/* xml:base on the item, itself relative to the feed's URL */
	f = parse_items("<item xml:base=\"/arkiv/2026/\"><link>a?id=7</link>"
			"</item>", "https://kommun.se/rss");
	CHECK_STR(only_link(f), "https://kommun.se/arkiv/2026/a?id=7");
	syndication_feed_free(f);

	/* scheme-relative */
	f = parse_items("<item><link>//cdn.kommun.se/x.xml</link></item>",
			"https://kommun.se/rss");
	CHECK_STR(only_link(f), "https://cdn.kommun.se/x.xml");
	syndication_feed_free(f);

	/* spaces and non-ASCII letters are escaped, not refused */
	f = parse_items("<item><link>/upphandling/Lokalvård 2027.xml</link>"
			"</item>", "https://kommun.se/rss");
	CHECK_STR(only_link(f),
		  "https://kommun.se/upphandling/Lokalv%C3%A5rd%202027.xml");
	syndication_feed_free(f);

	/* Atom: xml:base on the link element itself */
	f = parse_entries("<entry><id>a</id><link xml:base=\"http://a.se/b/\" "
			  "href=\"c\"/></entry>", NULL);
	CHECK_STR(only_link(f), "http://a.se/b/c");
	syndication_feed_free(f);
}

static void
test_bad_schemes(void)
{
	static const char *const bad[] = {
		"javascript:alert(1)",
		" JavaScript:alert(document.cookie)",
		"data:text/html,<b>x</b>",
		"file:///etc/passwd",
		"ftp://ftp.kommun.se/annons.xml",
		"mailto:upphandling@kommun.se",
		"http:annons.xml",
		"https://",
		"",
	};
	struct syndication_feed *f;
	struct buf b;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_init(&b, 0);
		buf_printf(&b, "<item><link><![CDATA[%s]]></link>"
			   "<guid isPermaLink=\"false\">g</guid></item>"
			   "<item><link>https://kommun.se/ok</link></item>",
			   bad[i]);
		f = parse_items(buf_str(&b), "https://kommun.se/rss");
		CHECK(f && f->nentries == 1 && f->nskipped == 1);
		if (f && f->nentries == 1)
			CHECK_STR(f->entries[0].link, "https://kommun.se/ok");
		else
			fprintf(stderr, "  with link '%s'\n", bad[i]);
		syndication_feed_free(f);
		buf_release(&b);
	}
}

static void
test_rss_link_choice(void)
{
	struct syndication_feed *f;

	/* an enclosure that is not XML does not replace <link> */
	f = parse_items("<item><link>https://k.se/sida</link>"
			"<enclosure url=\"https://k.se/a.pdf\" type=\"application/pdf\"/>"
			"<enclosure url=\"https://k.se/a.xml\" type=\"text/xml\"/>"
			"</item>", NULL);
	CHECK_STR(only_link(f), "https://k.se/a.xml");
	if (f && f->nentries == 1)
		CHECK_STR(f->entries[0].link_type, "text/xml");
	syndication_feed_free(f);

	/* a javascript: XML enclosure falls back to <link> */
	f = parse_items("<item><link>https://k.se/sida</link>"
			"<enclosure url=\"javascript:x()\" type=\"application/xml\"/>"
			"</item>", NULL);
	CHECK_STR(only_link(f), "https://k.se/sida");
	if (f && f->nentries == 1)
		CHECK(f->entries[0].link_type == NULL);
	syndication_feed_free(f);

	/* a guid that says it is no permalink is no link */
	f = parse_items("<item><guid isPermaLink=\"false\">https://k.se/g</guid>"
			"</item>", NULL);
	CHECK(f && f->nentries == 0 && f->nskipped == 1);
	syndication_feed_free(f);

	/* <link> wins over a permalink guid, which stays the id */
	f = parse_items("<item><guid>https://k.se/g</guid>"
			"<link>https://k.se/l</link></item>", NULL);
	CHECK_STR(only_link(f), "https://k.se/l");
	if (f && f->nentries == 1)
		CHECK_STR(f->entries[0].id, "https://k.se/g");
	syndication_feed_free(f);
}

static void
test_atom_link_choice(void)
{
	struct syndication_feed *f;

	/* alternate over enclosure, whatever the order */
	f = parse_entries("<entry><id>a</id>"
			  "<link rel=\"enclosure\" href=\"https://g.se/e.xml\" "
			  "type=\"application/xml\"/>"
			  "<link rel=\"alternate\" href=\"https://g.se/page\"/>"
			  "</entry>", NULL);
	CHECK_STR(only_link(f), "https://g.se/page");
	syndication_feed_free(f);

	/* no rel is alternate; an alternate XML link wins over it */
	f = parse_entries("<entry><id>a</id>"
			  "<link href=\"https://g.se/page\"/>"
			  "<link rel=\"alternate\" type=\"text/xml\" "
			  "href=\"https://g.se/notice\"/>"
			  "</entry>", NULL);
	CHECK_STR(only_link(f), "https://g.se/notice");
	if (f && f->nentries == 1)
		CHECK(syndication_entry_links_xml(&f->entries[0]) == 1);
	syndication_feed_free(f);

	/* a bad XML alternate leaves the HTML one */
	f = parse_entries("<entry><id>a</id>"
			  "<link rel=\"alternate\" type=\"application/xml\" "
			  "href=\"javascript:x()\"/>"
			  "<link rel=\"alternate\" type=\"text/html\" "
			  "href=\"https://g.se/page\"/>"
			  "</entry>", NULL);
	CHECK_STR(only_link(f), "https://g.se/page");
	if (f && f->nentries == 1) {
		CHECK_STR(f->entries[0].link_type, "text/html");
		CHECK(syndication_entry_links_xml(&f->entries[0]) == 0);
	}
	syndication_feed_free(f);

	/* self, related, edit: no link to the notice */
	f = parse_entries("<entry><id>a</id>"
			  "<link rel=\"self\" href=\"https://g.se/a.atom\"/>"
			  "<link rel=\"related\" href=\"https://g.se/r\"/>"
			  "<link rel=\"edit\" href=\"https://g.se/e\"/>"
			  "</entry>", NULL);
	CHECK(f && f->nentries == 0 && f->nskipped == 1);
	syndication_feed_free(f);
}

static void
test_links_xml(void)
{
	static const struct {
		const char *link;
		const char *type;
		int xml;
	} cases[] = {
		{ "https://k.se/a", "application/xml", 1 },
		{ "https://k.se/a", "Text/XML; charset=utf-8", 1 },
		{ "https://k.se/a.xml", "application/xhtml+xml", 0 },
		{ "https://k.se/a.xml", "text/html", 0 },
		{ "https://k.se/a.XML?x=1", NULL, 1 },
		{ "https://k.se/a.xml#lot-1", NULL, 1 },
		{ "https://k.se/a.xml/sida", NULL, 0 },
		{ "https://k.se/?f=a.xml", NULL, 0 },
		{ "https://www.xml", NULL, 0 },
		{ "https://k.se/xml", NULL, 0 },
		{ "https://k.se/a.html", NULL, 0 },
	};
	struct syndication_entry e;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&e, 0, sizeof(e));
		e.link = (char *)cases[i].link;
		e.link_type = (char *)cases[i].type;
		if (syndication_entry_links_xml(&e) != cases[i].xml) {
			CHECK(!"links_xml");
			fprintf(stderr, "  %s %s: want %d\n", cases[i].link,
				cases[i].type ? cases[i].type : "(no type)",
				cases[i].xml);
		}
	}
	memset(&e, 0, sizeof(e));
	CHECK(syndication_entry_links_xml(&e) == 0);
}

/* t is NO_DATE for a string the parser must refuse. */
struct date_case {
	const char *s;
	long long t;
};

static void
check_dates(int (*parse)(const char *, time_t *), const struct date_case *c,
	    size_t n)
{
	time_t t;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		t = 12345;
		rc = parse(c[i].s, &t);
		if (c[i].t == NO_DATE ? rc == 0 :
		    rc < 0 || (long long)t != c[i].t) {
			CHECK(!"date");
			fprintf(stderr, "  '%s': rc %d, %lld\n", c[i].s, rc,
				(long long)t);
		}
	}
}

static void
test_rfc822(void)
{
	static const struct date_case cases[] = {
		{ "Tue, 24 Nov 2026 08:00:00 +0100", 1795503600 },
		{ "Tue, 24 Nov 2026 07:00:00 GMT", 1795503600 },
		{ "24 Nov 2026 07:00:00 UT", 1795503600 },
		{ "tue,24 nov 2026 07:00:00 z", 1795503600 },
		{ "Tue, 24 Nov 26 07:00 +0000", 1795503600 },
		{ "Tue, 24 November 2026 02:00:00 EST", 1795503600 },
		{ "Tue, 24 Nov 2026 00:00:00 PDT", 1795503600 },
		{ "  Tue,  24  Nov  2026  07:00:00  +00:00  ", 1795503600 },
		{ "Tue, 24 Nov 2026 08:00:00 +0100 (CET)", 1795503600 },
		{ "Tue, 24 Nov 2026 08:00:00 CET", 1795503600 },
		{ "Tue, 24 Jun 2026 09:00:00 CEST", 1782284400 },
		/* the weekday is not checked against the date */
		{ "Sun, 24 Nov 2026 07:00:00 GMT", 1795503600 },
		/* offsets that cross midnight and the year */
		{ "Thu, 01 Jan 2026 00:30:00 +0100", 1767223800 },
		{ "Thu, 31 Dec 2026 23:30:00 -0130", 1798765200 },
		/* leap years, and 1999 for a two-digit year of 99 */
		{ "29 Feb 2024 12:00:00 GMT", 1709208000 },
		{ "29 Feb 2000 00:00:00 GMT", 951782400 },
		{ "Fri, 1 Mar 2024 00:00:00 GMT", 1709251200 },
		{ "Wed, 1 Mar 2023 00:00:00 GMT", 1677628800 },
		{ "31 Dec 99 23:59:59 GMT", 946684799 },
		{ "1 Jan 1970 00:00:00 GMT", 0 },
		{ "31 Dec 1969 23:59:59 GMT", -1 },
		/* refused */
		{ "", NO_DATE },
		{ "Tue, 24 Nov 2026", NO_DATE },
		{ "Tue, 24 Nov 2026 08:00:00", NO_DATE },	/* no zone */
		{ "Tue, 24 Nov 2026 08:00:00 XYZ", NO_DATE },
		{ "Tue, 24 Nov 2026 08:00:00 +01", NO_DATE },
		{ "Tue, 24 Nov 2026 08:00:00 +0160", NO_DATE },
		{ "Tue, 24 Nov 2026 24:00:00 GMT", NO_DATE },
		{ "Tue, 24 Nov 2026 08:60:00 GMT", NO_DATE },
		{ "29 Feb 2026 12:00:00 GMT", NO_DATE },
		{ "29 Feb 1900 12:00:00 GMT", NO_DATE },
		{ "31 Apr 2026 12:00:00 GMT", NO_DATE },
		{ "0 Nov 2026 08:00:00 GMT", NO_DATE },
		{ "24 Nox 2026 08:00:00 GMT", NO_DATE },
		{ "24 Nov 202 08:00:00 GMT", NO_DATE },
		{ "24 Nov 20266 08:00:00 GMT", NO_DATE },
		{ "Tue, 24 Nov 2026 08:00:00 GMT trailing", NO_DATE },
		{ "Tue, 24 Nov 2026 08:00:00 +0100 (CET", NO_DATE },
		{ "Blursday, 24 Nov 2026 08:00:00 GMT", NO_DATE },
		{ "2026-11-24T08:00:00Z", NO_DATE },
	};

	check_dates(syndication_parse_rfc822, cases,
		    sizeof(cases) / sizeof(cases[0]));
}

static void
test_rfc3339(void)
{
	static const struct date_case cases[] = {
		{ "2026-11-24T07:00:00Z", 1795503600 },
		{ "2026-11-24t07:00:00z", 1795503600 },
		{ "2026-11-24 07:00:00Z", 1795503600 },
		{ "2026-11-24T08:00:00+01:00", 1795503600 },
		{ "2026-11-24T08:00:00.999999+01:00", 1795503600 },
		{ "2026-11-24T08:00+01:00", 1795503600 },
		{ "2026-11-24T08:00:00+0100", 1795503600 },
		{ " 2026-11-24T07:00:00Z\n", 1795503600 },
		{ "2026-11-24", 1795478400 },
		/* crossing midnight and the year */
		{ "2026-12-31T23:30:00-01:00", 1798763400 },
		{ "2027-01-01T00:30:00+02:00", 1798756200 },
		{ "2024-02-29T00:00:00Z", 1709164800 },
		{ "2000-02-29T00:00:00Z", 951782400 },
		{ "2028-12-31T23:59:59Z", 1861919999 },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2038-01-19T03:14:08Z", 2147483648LL },
		/* refused */
		{ "", NO_DATE },
		{ "2026-11-24T08:00:00", NO_DATE },	/* a time needs a zone */
		{ "2026-11-24T08:00:00.+01:00", NO_DATE },
		{ "2026-11-24T8:00:00Z", NO_DATE },
		{ "2026-13-01T00:00:00Z", NO_DATE },
		{ "2026-00-01T00:00:00Z", NO_DATE },
		{ "2026-02-29T00:00:00Z", NO_DATE },
		{ "2100-02-29T00:00:00Z", NO_DATE },
		{ "2026-11-31", NO_DATE },
		{ "2026-11-24T25:00:00Z", NO_DATE },
		{ "2026-11-24T08:00:00+25:00", NO_DATE },
		{ "2026-11-24T08:00:00Zjunk", NO_DATE },
		{ "26-11-24", NO_DATE },
		{ "2026/11/24", NO_DATE },
		{ "Tue, 24 Nov 2026 08:00:00 +0100", NO_DATE },
	};

	check_dates(syndication_parse_rfc3339, cases,
		    sizeof(cases) / sizeof(cases[0]));
}

static void
test_entry_dates(void)
{
	struct syndication_feed *f;

	/* an unreadable pubDate: no date, and the entry is kept */
	f = parse_items("<item><link>https://k.se/a</link>"
			"<pubDate>igår</pubDate></item>", NULL);
	CHECK(f && f->nentries == 1 && !f->entries[0].has_published);
	syndication_feed_free(f);

	/* an ISO date where RFC 822 belongs is still read */
	f = parse_items("<item><link>https://k.se/a</link>"
			"<pubDate>2026-11-24T08:00:00+01:00</pubDate></item>",
			NULL);
	CHECK(f && f->nentries == 1 && f->entries[0].has_published &&
	      f->entries[0].published == 1795503600);
	syndication_feed_free(f);

	/* dc:date when pubDate cannot be read */
	f = parse_items("<item xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
			"<link>https://k.se/a</link><pubDate>snart</pubDate>"
			"<dc:date>2026-11-24T07:00:00Z</dc:date></item>", NULL);
	CHECK(f && f->nentries == 1 && f->entries[0].has_published &&
	      f->entries[0].published == 1795503600);
	syndication_feed_free(f);

	/* atom:published wins over atom:updated in any order */
	f = parse_entries("<entry><id>a</id><link href=\"https://g.se/a\"/>"
			  "<updated>2026-11-25T00:00:00Z</updated>"
			  "<published>2026-11-24T07:00:00Z</published></entry>",
			  NULL);
	CHECK(f && f->nentries == 1 && f->entries[0].has_published &&
	      f->entries[0].published == 1795503600);
	syndication_feed_free(f);
}

static void
test_text(void)
{
	struct syndication_feed *f;
	const struct syndication_entry *e;

	f = parse_items("<item><link>https://k.se/a</link>"
			"<title>  Vägunderhåll\n\t &lt;b&gt;2027&lt;/b&gt; </title>"
			"<description><![CDATA[<meta charset=\"iso-8859-1\">"
			"<style>p{color:red}</style><p>Kom<b>mun</b>en "
			"&auml;r&nbsp;k&ouml;pare &amp; AT&T, a < b.</p>"
			"<ul><li>ett</li><li>två</li></ul>tre<br>fyra"
			"<script>alert('x')</script>]]></description></item>",
			NULL);
	e = f && f->nentries == 1 ? &f->entries[0] : NULL;
	CHECK(e != NULL);
	if (e) {
		/* an RSS title is plain text: its markup stays */
		CHECK_STR(e->title, "Vägunderhåll <b>2027</b>");
		CHECK_STR(e->summary, "Kommunen är köpare & AT&T, a < b. "
			  "ett två tre fyra");
	}
	syndication_feed_free(f);

	/* Atom: text titles keep their markup; out-of-line content is
	 * no summary */
	f = parse_entries("<entry><id>a</id><link href=\"https://g.se/a\"/>"
			  "<title type=\"text\">a &lt;b&gt; c</title>"
			  "<content src=\"https://g.se/a.html\" "
			  "type=\"text/html\"/></entry>", NULL);
	e = f && f->nentries == 1 ? &f->entries[0] : NULL;
	CHECK(e != NULL);
	if (e) {
		CHECK_STR(e->title, "a <b> c");
		CHECK(e->summary == NULL);
	}
	syndication_feed_free(f);
}

static void
repeat(struct buf *b, const char *s, size_t n)
{
	while (n--)
		buf_adds(b, s);
}

/* A one-item feed with a description; the summary must be want. */
static void
check_summary(const char *description, const char *want)
{
	struct syndication_feed *f;
	struct buf b;

	buf_init(&b, 0);
	buf_printf(&b, "<item><link>https://k.se/a</link><description>%s"
		   "</description></item>", description);
	f = parse_items(buf_str(&b), NULL);
	buf_release(&b);
	CHECK(f && f->nentries == 1);
	if (f && f->nentries == 1)
		CHECK_STR(f->entries[0].summary, want);
	syndication_feed_free(f);
}

static void
test_caps(void)
{
	struct syndication_feed *f;
	struct buf b, want;
	size_t i;

	/* past SYNDICATION_MAX_ENTRIES: counted, and the feed is good */
	buf_init(&b, 0);
	for (i = 0; i < SYNDICATION_MAX_ENTRIES + 50; i++)
		buf_printf(&b, "<item><link>https://k.se/%zu.xml</link></item>",
			   i);
	f = parse_items(buf_str(&b), NULL);
	buf_release(&b);
	CHECK(f && f->nentries == SYNDICATION_MAX_ENTRIES && f->nskipped == 50);
	if (f && f->nentries == SYNDICATION_MAX_ENTRIES)
		CHECK_STR(f->entries[SYNDICATION_MAX_ENTRIES - 1].link,
			  "https://k.se/9999.xml");
	syndication_feed_free(f);

	/* over-long title, id and link: those entries are skipped */
	buf_init(&b, 0);
	buf_adds(&b, "<item><link>https://k.se/a</link><title>");
	repeat(&b, "x", SYNDICATION_MAX_FIELD + 1);
	buf_adds(&b, "</title></item><item><link>https://k.se/b</link><guid>");
	repeat(&b, "g", SYNDICATION_MAX_FIELD + 1);
	buf_adds(&b, "</guid></item><item><link>https://k.se/");
	repeat(&b, "l", SYNDICATION_MAX_FIELD);
	buf_adds(&b, "</link></item><item><link>https://k.se/ok</link><title>");
	repeat(&b, "x", SYNDICATION_MAX_FIELD);
	buf_adds(&b, "</title></item>");
	f = parse_items(buf_str(&b), NULL);
	buf_release(&b);
	CHECK(f && f->nskipped == 3);
	CHECK_STR(only_link(f), "https://k.se/ok");
	if (f && f->nentries == 1)
		CHECK(strlen(f->entries[0].title) == SYNDICATION_MAX_FIELD);
	syndication_feed_free(f);

	/* a long summary is cut at a character: 1 + 2 * 2047 bytes fit */
	buf_init(&b, 0);
	buf_init(&want, 0);
	buf_adds(&b, "x");
	repeat(&b, "å", 3000);
	buf_adds(&want, "x");
	repeat(&want, "å", (SYNDICATION_MAX_SUMMARY - 1) / 2);
	check_summary(buf_str(&b), buf_str(&want));
	buf_release(&b);
	buf_release(&want);

	/* the same through the HTML parser, with no space left at the end */
	buf_init(&b, 0);
	buf_init(&want, 0);
	buf_adds(&b, "&lt;p&gt;");
	repeat(&b, "&amp;ouml;ä ", 3000);
	repeat(&want, "öä ", SYNDICATION_MAX_SUMMARY / 5 - 1);
	buf_adds(&want, "öä");
	check_summary(buf_str(&b), buf_str(&want));
	buf_release(&b);
	buf_release(&want);

	/*
	 * HTML is read up to ten summaries' worth, cut at a character: here
	 * the cut falls inside the fourth "ä" after the markup.
	 */
	buf_init(&b, 0);
	buf_adds(&b, "&lt;p&gt;");
	repeat(&b, "&lt;b&gt;&lt;/b&gt;", (10 * SYNDICATION_MAX_SUMMARY - 10) / 7);
	buf_adds(&b, "ääääää");
	check_summary(buf_str(&b), "äää");
	buf_release(&b);
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
test_doctype_rejected(void)
{
	static const char xxe[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
		"<rss version=\"2.0\"><channel><title>&xxe;</title></channel>"
		"</rss>";
	static const char external[] =
		"<!DOCTYPE rss SYSTEM \"http://127.0.0.1:1/rss.dtd\">"
		"<rss version=\"2.0\"><channel><title>t</title></channel></rss>";
	static const char bomb[] =
		"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
		" <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
		" <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
		" <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
		" <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
		" <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
		" <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
		" <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
		" <!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
		"]>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>&h;</title>"
		"<entry><id>&h;</id><link href=\"https://g.se/&h;\"/></entry>"
		"</feed>";
	struct timespec t0;

	check_refused(xxe, "DOCTYPE not allowed", "");
	check_refused(external, "DOCTYPE not allowed", "");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	check_refused(bomb, "DOCTYPE not allowed", "");
	CHECK(seconds_since(&t0) < 1.0);
}

static void
test_malformed(void)
{
	check_refused("<rss version=\"2.0\">\n<channel>\n<title>Upphandlingar"
		      "</title>\n<item><link>https://k.se/a", "line 4: ",
		      "XML parse error");
	check_refused("<rss><channel><title>&nbsp;</title></channel></rss>",
		      "XML parse error", "nbsp");
	check_refused("", "empty document", "");
	check_refused("Upphandlingar saknas", "line 1: ", "XML parse error");
}

static void
test_not_a_feed(void)
{
	struct syndication_feed *f;

	check_refused("<html><body><a href=\"https://k.se/a.xml\">a</a>"
		      "</body></html>", "<html>", "not an RSS or Atom feed");
	/* Atom 0.3 is another namespace */
	check_refused("<feed xmlns=\"http://purl.org/atom/ns#\"><title>t"
		      "</title></feed>", "http://purl.org/atom/ns#",
		      "not an RSS or Atom feed");
	/* an eForms notice handed to the wrong parser */
	check_refused("<ContractNotice xmlns=\"urn:oasis:names:specification:"
		      "ubl:schema:xsd:ContractNotice-2\"/>", "<ContractNotice>",
		      "not an RSS or Atom feed");
	check_refused("<rss version=\"2.0\">\n  <item/>\n</rss>", "<rss>",
		      "no channel");

	/* an empty but valid feed is no error */
	f = parse_str("<rss version=\"2.0\"><channel/></rss>", NULL);
	CHECK(f && f->nentries == 0 && !f->title && !f->link);
	syndication_feed_free(f);
}

static int quiet_handler_calls;

#if LIBXML_VERSION >= 21200
static void
count_xml_error(void *ctx, const xmlError *e)
#else
static void
count_xml_error(void *ctx, xmlError *e)
#endif
{
	quiet_handler_calls++;
}

/* libxml2 prints nothing during a parse and the caller's handler is
 * back afterwards. */
static void
test_quiet(void)
{
	struct syndication_feed *f;
	struct capture c;
	char *out;

	xmlSetStructuredErrorFunc(NULL, count_xml_error);
	capture_start(&c, 2);
	f = parse_str("<rss><channel><item>&bogus;<description>&lt;p&gt;"
		      "&amp;bogus; &lt;/x&gt;</description></item>", NULL);
	syndication_feed_free(f);
	f = parse_items("<item><link>https://k.se/a</link><description>"
			"&lt;p&gt;&lt;/q&gt;&lt;!x &amp;#0; &lt;a b=c=d&gt;"
			"</description></item>", NULL);
	out = capture_end(&c);
	CHECK(f && f->nentries == 1);
	syndication_feed_free(f);
	CHECK_STR(out, "");
	free(out);
	CHECK(quiet_handler_calls == 0);
	CHECK(xmlStructuredError == count_xml_error);
	xmlSetStructuredErrorFunc(NULL, NULL);
}

int
main(void)
{
	parser = syndication_parser_new();
	if (!parser) {
		fprintf(stderr, "syndication_parser_new failed\n");
		return 1;
	}
	RUN(test_rss_fixture);
	RUN(test_atom_fixture);
	RUN(test_rdf_fixture);
	RUN(test_latin1_fixture);
	RUN(test_relative_links);
	RUN(test_bad_schemes);
	RUN(test_rss_link_choice);
	RUN(test_atom_link_choice);
	RUN(test_links_xml);
	RUN(test_rfc822);
	RUN(test_rfc3339);
	RUN(test_entry_dates);
	RUN(test_text);
	RUN(test_caps);
	RUN(test_doctype_rejected);
	RUN(test_malformed);
	RUN(test_not_a_feed);
	RUN(test_quiet);
	syndication_parser_free(parser);
	xmlCleanupParser();
	return test_done("syndication");
}
