/*
 * The report for the business-development unit: the CSV byte for byte;
 * the HTML read back with libxml2's HTML parser (and its XML parser, which
 * takes nothing that is not well-formed): charts, tables, numbers as each
 * language writes them, escaping, nothing external, and the edge cases
 * (no rows, one quarter, zeros, huge numbers, bad input). Then headless
 * Chromium, where installed, draws it: the DOM it built and the colours
 * of the chart lines in its screenshot.
 */
#define _XOPEN_SOURCE 700

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "report.h"
#include "test.h"
#include "testutil.h"

/* 2026-01-01 and 2026-07-01 00:00 in Stockholm; 2026-07-02 09:00 CEST. */
#define FROM 1767222000
#define TO 1782856800
#define GENERATED 1782975600

#define BYGG "Bygg & <anläggning>"

/*
 * category, category_name, year, quarter,
 * notices, lots, category_lots, large, large_divided,
 * firms_subscribed, alerted, registered, attending, answering_rfi,
 * bidding, winning,
 * meetings_held, meeting_seats_taken, meeting_attendees, meeting_shows,
 * lead_time_n, lead_time_days,
 * alerts_answered, alerts_relevant, survey_responses, survey_rating_sum
 */
static const struct report_row sample_rows[] = {
	{ NULL, NULL, 2026, 1, 1234, 2345, 2400, 4, 2,
	  310, 120, 30, 22, 15, 40, 12, 3, 40, 30, 28, 4, 12.5,
	  0, 0, 0, 0 },
	{ "bygg", BYGG, 2026, 1, 300, 500, 520, 3, 1,
	  80, 60, 10, 8, 5, 12, 4, 1, 15, 12, 11, 1, 10,
	  0, 0, 0, 0 },
	{ "maleri", "Måleri", 2026, 1, 100, 150, 150, 0, 0,
	  40, 20, 4, 3, 2, 6, 1, 0, 0, 0, 0, 0, 0,
	  0, 0, 0, 0 },
	{ NULL, NULL, 2026, 2, 1500, 2600, 2700, 6, 6,
	  320, 140, 35, 30, 18, 45, 15, 4, 50, 45, 44, 6, 20,
	  0, 0, 0, 0 },
	{ "bygg", BYGG, 2026, 2, 320, 520, 530, 5, 4,
	  85, 70, 12, 10, 6, 14, 5, 2, 20, 18, 18, 3, 30,
	  0, 0, 0, 0 },
	{ "maleri", "Måleri", 2026, 2, 110, 160, 160, 1, 1,
	  42, 25, 5, 4, 3, 7, 2, 0, 0, 0, 0, 0, 0,
	  0, 0, 0, 0 },
};

#define NSAMPLE (sizeof sample_rows / sizeof sample_rows[0])

#define CSV_HEADER \
	"\xef\xbb\xbfKvartal;Kategorikod;Kategori;Annonser;Delområden;" \
	"Delar per kategori;Stora upphandlingar;Varav uppdelade;" \
	"Andel uppdelade (%);Framförhållning, dagar;" \
	"Underlag för framförhållning;Prenumererar;Fick mejl;" \
	"Anmälde sig till möte;Deltog i möte;Svarade på RFI;Lämnade anbud;" \
	"Vann kontrakt;Möten;Anmälningar;Närvarande;Anmälda som kom;" \
	"Närvaro (%);Besvarade aviseringar;Varav relevanta;" \
	"Andel relevanta (%);Svar på mötesenkäten;Nöjdhet med möten, 1–5\r\n"

#define CSV_HEADER_EN \
	"\xef\xbb\xbfQuarter;Category key;Category;Notices;Lots;" \
	"Parts by category;Large procurements;Of which divided;" \
	"Share divided (%);Lead time, days;Basis of lead time;Subscribed;" \
	"Mailed;Registered for a meeting;Attended a meeting;" \
	"Answered an RFI;Bid;Won a contract;Meetings;Registrations;" \
	"Attendances;Registered who came;Attendance (%);Alerts answered;" \
	"Of which relevant;Share relevant (%);Meeting survey answers;" \
	"Satisfaction with meetings, 1–5\r\n"

static struct report
report_of(const struct report_row *rows, size_t n)
{
	struct report r = {
		.service = "Exempelkommun", .from = FROM, .to = TO,
		.generated = GENERATED, .rows = rows, .nrows = n,
	};

	return r;
}

static char *
csv_in(const struct report *r, const char *lang)
{
	struct buf out;

	buf_init(&out, 0);
	if (report_csv(r, lang, &out) < 0) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out, NULL);
}

static char *
csv_of(const struct report *r)
{
	return csv_in(r, "sv");
}

/* A rendered page and the tree libxml2's HTML parser makes of it. */
struct page {
	char *text;
	htmlDocPtr doc;
	xmlXPathContextPtr xpath;
};

static int
page_parse(struct page *p, char *text)
{
	p->text = text;
	p->doc = htmlReadMemory(text, (int)strlen(text), "report.html",
				"UTF-8", HTML_PARSE_NONET | HTML_PARSE_NOERROR |
				HTML_PARSE_NOWARNING);
	p->xpath = p->doc ? xmlXPathNewContext(p->doc) : NULL;
	return p->xpath ? 0 : -1;
}

static int
page_render(struct page *p, const struct report *r, const char *lang)
{
	struct buf out;

	memset(p, 0, sizeof *p);
	buf_init(&out, 0);
	if (report_html(r, lang, &out) < 0) {
		buf_release(&out);
		return -1;
	}
	return page_parse(p, buf_detach(&out, NULL));
}

static void
page_free(struct page *p)
{
	xmlXPathFreeContext(p->xpath);
	xmlFreeDoc(p->doc);
	free(p->text);
	memset(p, 0, sizeof *p);
}

static xmlXPathObjectPtr page_eval(struct page *p, const char *fmt,
				    va_list ap)
	__attribute__((format(printf, 2, 0)));

static xmlXPathObjectPtr
page_eval(struct page *p, const char *fmt, va_list ap)
{
	char expr[1024];

	vsnprintf(expr, sizeof expr, fmt, ap);
	return p->xpath ? xmlXPathEvalExpression((const xmlChar *)expr,
						 p->xpath) : NULL;
}

static double count(struct page *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The number an XPath expression gives, e.g. count(...); NaN if none. */
static double
count(struct page *p, const char *fmt, ...)
{
	xmlXPathObjectPtr res;
	va_list ap;
	double n;

	va_start(ap, fmt);
	res = page_eval(p, fmt, ap);
	va_end(ap);
	n = res ? xmlXPathCastToNumber(res) : NAN;
	xmlXPathFreeObject(res);
	return n;
}

static char *text_of(struct page *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The string an XPath expression gives, to be freed. */
static char *
text_of(struct page *p, const char *fmt, ...)
{
	xmlXPathObjectPtr res;
	xmlChar *s;
	va_list ap;
	char *copy;

	va_start(ap, fmt);
	res = page_eval(p, fmt, ap);
	va_end(ap);
	s = res ? xmlXPathCastToString(res) : NULL;
	copy = strdup(s ? (const char *)s : "");
	xmlFree(s);
	xmlXPathFreeObject(res);
	return copy;
}

/* Whether text is well-formed XML: the HTML parser mends what isn't. */
static int
well_formed(const char *text)
{
	xmlDocPtr doc = xmlReadMemory(text, (int)strlen(text), "report.html",
				      "UTF-8", XML_PARSE_NONET |
				      XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	int ok = doc != NULL;

	xmlFreeDoc(doc);
	return ok;
}

/* Whether word occurs in text as a word of its own, in any case. */
static int
has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *s;

	for (s = text; *s; s++)
		if (strncasecmp(s, word, n) == 0 &&
		    (s == text || !isalpha((unsigned char)s[-1])) &&
		    !isalpha((unsigned char)s[n]))
			return 1;
	return 0;
}

/* What a division by zero or an overflow would have printed. */
static void
check_no_bad_numbers(const char *text)
{
	CHECK(!has_word(text, "nan"));
	CHECK(!has_word(text, "inf"));
	CHECK(!has_word(text, "infinity"));
	CHECK(!strstr(text, "-0,0") && !strstr(text, "-0.0"));
}

/* The SVG element of a chart, as an XPath expression. */
#define CHART(id) "//svg[contains(@aria-labelledby, '" id "-title')]"

/* What Swedish Excel reads right: semicolons, decimal commas, a BOM. */
static void
test_csv_exact(void)
{
	struct report r = report_of(sample_rows, NSAMPLE);
	char *csv = csv_of(&r), *en = csv_in(&r, "en");

	CHECK_STR(csv,
		  CSV_HEADER
		  "2026-Q1;;;1234;2345;2400;4;2;50,0;12,5;4;310;120;30;22;15;"
		  "40;12;3;40;30;28;70,0;0;0;;0;\r\n"
		  "2026-Q1;bygg;Bygg & <anläggning>;300;500;520;3;1;33,3;10,0;"
		  "1;80;60;10;8;5;12;4;1;15;12;11;73,3;0;0;;0;\r\n"
		  "2026-Q1;maleri;Måleri;100;150;150;0;0;;;0;40;20;4;3;2;6;1;"
		  "0;0;0;0;;0;0;;0;\r\n"
		  "2026-Q2;;;1500;2600;2700;6;6;100,0;20,0;6;320;140;35;30;18;"
		  "45;15;4;50;45;44;88,0;0;0;;0;\r\n"
		  "2026-Q2;bygg;Bygg & <anläggning>;320;520;530;5;4;80,0;30,0;"
		  "3;85;70;12;10;6;14;5;2;20;18;18;90,0;0;0;;0;\r\n"
		  "2026-Q2;maleri;Måleri;110;160;160;1;1;100,0;;0;42;25;5;4;3;"
		  "7;2;0;0;0;0;;0;0;;0;\r\n");
	/* English headings; the figures as Swedish Excel reads them */
	CHECK(en && strncmp(en, CSV_HEADER_EN, strlen(CSV_HEADER_EN)) == 0);
	CHECK(en && csv && strcmp(en + strlen(CSV_HEADER_EN),
				  csv + strlen(CSV_HEADER)) == 0);
	free(csv);
	free(en);
}

static void
test_csv_quoting(void)
{
	struct report_row rows[] = {
		{ .year = 2026, .quarter = 3 },
		{ .category = "mark", .category_name = "Mark, \"grund\" och\r\nrör",
		  .year = 2026, .quarter = 3, .lead_time_n = 2,
		  .lead_time_days = 7.25 },
		{ .category = "tak", .category_name = "Tak;plåt", .year = 2026,
		  .quarter = 3 },
	};
	struct report r = report_of(rows, 3);
	char *csv = csv_of(&r);

	CHECK_STR(csv,
		  CSV_HEADER
		  "2026-Q3;;;0;0;0;0;0;;;0;0;0;0;0;0;0;0;0;0;0;0;;0;0;;0;\r\n"
		  "2026-Q3;mark;\"Mark, \"\"grund\"\" och\r\nrör\";0;0;0;0;0;;"
		  "7,3;2;0;0;0;0;0;0;0;0;0;0;0;;0;0;;0;\r\n"
		  "2026-Q3;tak;\"Tak;plåt\";0;0;0;0;0;;;0;0;0;0;0;0;0;0;0;0;0;"
		  "0;;0;0;;0;\r\n");
	free(csv);
}

static void
test_csv_empty(void)
{
	struct report r = report_of(NULL, 0);
	char *csv = csv_of(&r);

	CHECK_STR(csv, CSV_HEADER);
	free(csv);
}

/* A buf's bytes into a file of dir; its path in path. */
static void
save(const char *dir, const char *name, const struct buf *b, char *path,
     size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s", dir, name);
	CHECK((f = fopen(path, "wb")) != NULL);
	if (!f)
		return;
	CHECK(fwrite(b->data, 1, b->len, f) == b->len);
	CHECK(fclose(f) == 0);
}

/*
 * The downloads as a spreadsheet reads them: Python's csv module with
 * Excel's semicolon, and openpyxl with the workbook's own number formats.
 */
static void
test_sheets_read_back(void)
{
	static const char csv_head[] =
		"bom\nKvartal|Kategorikod|Kategori|Annonser|";
	static const char xlsx_head[] =
		"Report\nQuarter|Category key|Category|Notices|";
	struct report r = report_of(sample_rows, NSAMPLE);
	char dir[PATH_MAX], project[PATH_MAX], path[PATH_MAX + 32];
	struct buf out;
	char *text;

	CHECK(getcwd(project, sizeof project) != NULL);
	make_tmpdir(dir, "test_report");
	buf_init(&out, 0);
	CHECK(report_csv(&r, "sv", &out) == 0);
	save(dir, "report.csv", &out, path, sizeof path);
	text = sheetcheck(project, path, dir);
	CHECK(text && strncmp(text, csv_head, strlen(csv_head)) == 0);
	CHECK(text && strstr(text, "|Framförhållning, dagar|"));
	CHECK(text && strstr(text, "\n2026-Q1|bygg|Bygg & <anläggning>|300|500|"
			     "520|3|1|33,3|10,0|1|80|60|10|8|5|12|4|1|15|12|"
			     "11|73,3|0|0||0|\n"));
	CHECK(text && strstr(text, "\n2026-Q2|maleri|Måleri|110|160|160|1|1|"
			     "100,0||0|42|25|5|4|3|7|2|0|0|0|0||0|0||0|\n"));
	free(text);

	buf_reset(&out);
	CHECK(report_xlsx(&r, "en", &out) == 0);
	CHECK(out.len > 4 && memcmp(out.data, "PK\x03\x04", 4) == 0);
	CHECK_STR(report_media_type("xlsx"), "application/vnd.openxmlformats-"
		  "officedocument.spreadsheetml.sheet");
	CHECK_STR(report_file_name("xlsx", "en"), "report.xlsx");
	CHECK_STR(report_media_type("csv"), "text/csv; charset=utf-8");
	CHECK_STR(report_file_name("csv", "sv"), "rapport.csv");
	CHECK_STR(report_media_type("pdf"), "text/html; charset=utf-8");
	save(dir, "report.xlsx", &out, path, sizeof path);
	text = sheetcheck(project, path, dir);
	CHECK(text && strncmp(text, xlsx_head, strlen(xlsx_head)) == 0);
	CHECK(text && strstr(text, "\n2026-Q1|||1234|2345|2400|4|2|50.0%|12.5|"
			     "4|310|120|30|22|15|40|12|3|40|30|28|70.0%|0|0||0|"
			     "\n"));
	CHECK(text && strstr(text, "\n2026-Q1|bygg|Bygg & <anläggning>|300|500|"
			     "520|3|1|33.3%|10|1|80|60|10|8|5|12|4|1|15|12|"
			     "11|73.3%|0|0||0|\n"));
	CHECK(text && strstr(text, "\n2026-Q1|maleri|Måleri|100|150|150|0|0|||"
			     "0|40|20|4|3|2|6|1|0|0|0|0||0|0||0|\n"));
	free(text);
	buf_release(&out);
	rm_rf(dir);
}

/* What report_period makes of a request; from and to -1 if it refused. */
static void
check_period(const char *period, const char *from, const char *to,
	     const char *lang, time_t want_from, time_t want_to,
	     const char *want_fault)
{
	struct report_request q = { period, from, to, NULL, NULL, lang, NULL, 0 };
	struct report_fault f;
	/* 2026-12-07 13:00 in Stockholm */
	const time_t now = 1796644800;
	time_t a = -1, b = -1;
	int rc = report_period(&q, now, &a, &b, &f);

	if (want_fault) {
		CHECK(rc == -1);
		CHECK_STR(f.text, want_fault);
		return;
	}
	CHECK(rc == 0);
	CHECK(a == want_from && b == want_to);
	if (a != want_from || b != want_to)
		fprintf(stderr, "    %s %s %s: [%lld, %lld)\n", period ? period :
			"-", from ? from : "-", to ? to : "-", (long long)a,
			(long long)b);
}

/* The end day is in the period: --to 2026-12-31 counts the 31st. */
static void
test_period(void)
{
	check_period("2026-Q3", NULL, NULL, "sv", 1782856800, 1790805600, NULL);
	check_period("2026", "", "", "sv", 1767222000, 1798758000, NULL);
	check_period(NULL, "2026-12-01", "2026-12-31", "sv", 1796079600,
		     1798758000, NULL);
	/* four quarters before today's and today's, today included */
	check_period(NULL, NULL, NULL, "sv", 1759269600, 1796684400, NULL);
	check_period(NULL, "2026-07-01", NULL, "sv", 1782856800, 1796684400,
		     NULL);
	check_period("2026-Q5", NULL, NULL, "sv", 0, 0,
		     "period: '2026-Q5' är inte ett kvartal (2026-Q3) eller "
		     "ett år (2026)");
	check_period("26", NULL, NULL, "en", 0, 0,
		     "period: '26' is not a quarter (2026-Q3) or a year (2026)");
	check_period("2026-Q3 ", NULL, NULL, "en", 0, 0,
		     "period: '2026-Q3 ' is not a quarter (2026-Q3) or a year "
		     "(2026)");
	check_period("2026", NULL, "2026-12-31", "en", 0, 0,
		     "period: give a period or the days from and to, not both");
	check_period(NULL, "2026-02-30", NULL, "en", 0, 0,
		     "from: '2026-02-30' is not a day (YYYY-MM-DD)");
	check_period(NULL, NULL, "31/12/2026", "sv", 0, 0,
		     "to: '31/12/2026' är inte en dag (ÅÅÅÅ-MM-DD)");
	check_period(NULL, "2026-12-02", "2026-12-01", "en", 0, 0,
		     "to: '2026-12-01' is before the period begins");
	check_period(NULL, "2027-01-01", NULL, "en", 0, 0,
		     "from: '2027-01-01' is after the period ends");
}

static void
test_html_charts(void)
{
	struct report r = report_of(sample_rows, NSAMPLE);
	struct page p;
	char *s;

	CHECK(page_render(&p, &r, "sv") == 0);
	CHECK(count(&p, "count(//svg)") == 4);
	CHECK(count(&p, "count(//svg[title and desc])") == 4);
	CHECK(count(&p, "count(//svg[@role='img' and @width='100%%' and "
		    "starts-with(@viewbox, '0 0 ')])") == 4);
	/* aria-labelledby names the chart's own title and description. */
	CHECK(count(&p, "count(//svg[@aria-labelledby = "
		    "concat(title/@id, ' ', desc/@id)])") == 4);

	/* (1): one line per series, each point marked, and a legend. */
	CHECK(count(&p, "count(" CHART("trend") "//polyline)") == 5);
	CHECK(count(&p, "count(" CHART("trend") "//polyline"
		    "[string-length(@points) - "
		    "string-length(translate(@points, ' ', '')) = 1])") == 5);
	CHECK(count(&p, "count(" CHART("trend") "//*[self::circle or "
		    "self::rect or self::polygon])") == 5 * 2 + 5);
	CHECK(count(&p, "count(" CHART("trend") "//polyline[not(@stroke-dasharray)])")
	      == 1);
	CHECK(count(&p, "count(" CHART("trend") "//polyline[@stroke = "
		    "preceding-sibling::polyline/@stroke or "
		    "@stroke-dasharray = preceding-sibling::polyline/"
		    "@stroke-dasharray])") == 0);
	CHECK(count(&p, "count(" CHART("trend") "//text[. = 'Fick mejl' or "
		    ". = 'Deltog i möte' or . = 'Svarade på RFI' or "
		    ". = 'Lämnade anbud' or . = 'Vann kontrakt'])") == 5);
	CHECK(count(&p, "count(" CHART("trend") "//text[. = 'Antal företag'])")
	      == 1);
	CHECK(count(&p, "count(" CHART("trend") "//text[. = '2026-Q1'])") == 1);

	/* (2): a bar per category with a large procurement, each labelled. */
	CHECK(count(&p, "count(" CHART("share") "//rect)") == 2);
	CHECK(count(&p, "count(" CHART("share") "//text[. = '62,5 %%'])") == 1);
	CHECK(count(&p, "count(" CHART("share") "//text[. = '100,0 %%'])") ==
	      1);

	/* (3): a bar per quarter. */
	CHECK(count(&p, "count(" CHART("attendance") "//rect)") == 2);
	CHECK(count(&p, "count(" CHART("attendance") "//text[. = '70,0 %%'])")
	      == 1);
	CHECK(count(&p, "count(" CHART("attendance") "//text[. = '88,0 %%'])")
	      == 1);

	/* The tables after them, every one with a caption and scopes. */
	CHECK(count(&p, "count(//table)") == 6);
	CHECK(count(&p, "count(//table[caption])") == 6);
	CHECK(count(&p, "count(//th[not(@scope='col' or @scope='row')])") ==
	      0);
	/* What each column of the quarters' tables counts. */
	CHECK(count(&p, "count(//dt)") == 7 + 6 + 2 + 5 + 5);
	CHECK(count(&p, "count(//dt[not(following-sibling::*[1][self::dd])])")
	      == 0);
	s = text_of(&p, "string(//dd[preceding-sibling::dt[1] = 'Fick mejl'])");
	CHECK_STR(s, "Lokala företag som fått minst ett mejl om ett delområde "
		  "under kvartalet.");
	free(s);
	s = text_of(&p, "string(/html/@lang)");
	CHECK_STR(s, "sv");
	free(s);
	s = text_of(&p, "normalize-space(//h1)");
	CHECK_STR(s, "Exempelkommun: Lokala företag i offentlig upphandling");
	free(s);
	CHECK(strstr(p.text, "Period: 2026-01-01 – 2026-06-30. Sammanställd "
		     "2 juli 2026 kl. 09:00 (CEST).") != NULL);
	check_no_bad_numbers(p.text);
	page_free(&p);
}

/* The text of the cell in the row headed row and the column headed col. */
static char *
cell(struct page *p, const char *caption, const char *row, const char *col)
{
	return text_of(p, "string(//table[caption = '%s']/*/tr[th = '%s']/"
		       "td[count(ancestor::table/thead/tr/th[. = '%s']/"
		       "preceding-sibling::th)])", caption, row, col);
}

static void
check_cell(struct page *p, const char *caption, const char *row,
	   const char *col, const char *want)
{
	char *got = cell(p, caption, row, col);

	CHECK_STR(got, want);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "    in %s, %s, %s\n", caption, row, col);
	free(got);
}

static void
test_html_numbers_sv(void)
{
	struct report r = report_of(sample_rows, NSAMPLE);
	const char *proc = "Upphandlingar per kvartal";
	const char *cats = "Upphandlingar per kategori under perioden";
	const char *meet = "Informationsmöten per kvartal";
	struct page p;

	CHECK(page_render(&p, &r, "sv") == 0);
	CHECK(count(&p, "count(//td[. = '1 234'])") == 1);
	check_cell(&p, proc, "2026-Q1", "Annonser", "1 234");
	check_cell(&p, proc, "2026-Q1", "Delområden", "2 345");
	check_cell(&p, proc, "2026-Q1", "Andel uppdelade", "50,0 %");
	check_cell(&p, "Framförhållning per kvartal", "2026-Q1",
		   "Framförhållning, dagar", "12,5");
	check_cell(&p, proc, "2026-Q2", "Andel uppdelade", "100,0 %");
	check_cell(&p, "Företag per kvartal", "2026-Q2", "Fick mejl", "140");
	check_cell(&p, "Företag per kvartal", "2026-Q1", "Vann kontrakt", "12");
	check_cell(&p, meet, "2026-Q1", "Närvaro", "70,0 %");
	check_cell(&p, meet, "2026-Q2", "Anmälningar", "50");
	/* Over the period: sums, shares of sums, means weighted by count. */
	check_cell(&p, cats, BYGG, "Annonser", "620");
	check_cell(&p, cats, BYGG, "Andel uppdelade", "62,5 %");
	check_cell(&p, cats, BYGG, "Framförhållning, dagar", "25,0");
	check_cell(&p, cats, "Måleri", "Andel uppdelade", "100,0 %");
	check_cell(&p, cats, "Måleri", "Framförhållning, dagar", "–");
	check_cell(&p, cats, "Alla kategorier", "Annonser", "2 734");
	check_cell(&p, cats, "Alla kategorier", "Andel uppdelade", "80,0 %");
	check_cell(&p, cats, "Alla kategorier", "Framförhållning, dagar",
		   "17,0");
	check_cell(&p, cats, "Alla kategorier", "Underlag för framförhållning",
		   "10");
	/* The firm counts are distinct per quarter, never summed. */
	CHECK(count(&p, "count(//table[caption = '%s']//th[. = 'Fick mejl'])",
		    cats) == 0);
	page_free(&p);
}

static void
test_html_numbers_en(void)
{
	struct report r = report_of(sample_rows, NSAMPLE);
	const char *proc = "Procurements per quarter";
	const char *cats = "Procurements by category over the period";
	struct page p;
	char *s;

	CHECK(page_render(&p, &r, "en") == 0);
	CHECK(count(&p, "count(//td[. = '1,234'])") == 1);
	CHECK(count(&p, "count(//td[. = '1 234'])") == 0);
	check_cell(&p, proc, "2026-Q1", "Notices", "1,234");
	check_cell(&p, proc, "2026-Q1", "Share divided", "50.0%");
	check_cell(&p, "Lead time per quarter", "2026-Q1", "Lead time, days",
		   "12.5");
	check_cell(&p, cats, BYGG, "Share divided", "62.5%");
	check_cell(&p, cats, "All categories", "Notices", "2,734");
	check_cell(&p, "Information meetings per quarter", "2026-Q2",
		   "Attendance", "88.0%");
	CHECK(count(&p, "count(" CHART("trend") "//text[. = 'Mailed'])") == 1);
	s = text_of(&p, "string(/html/@lang)");
	CHECK_STR(s, "en");
	free(s);
	CHECK(strstr(p.text, "Period: 2026-01-01 – 2026-06-30. Compiled "
		     "2 July 2026, 09:00 (CEST).") != NULL);
	page_free(&p);

	/* Any other language is Swedish. */
	CHECK(page_render(&p, &r, "de") == 0);
	s = text_of(&p, "string(/html/@lang)");
	CHECK_STR(s, "sv");
	free(s);
	page_free(&p);
}

static void
test_html_escaping(void)
{
	struct report r = report_of(sample_rows, NSAMPLE);
	const char *lang[] = { "sv", "en" };
	struct page p;
	size_t i;

	for (i = 0; i < 2; i++) {
		CHECK(page_render(&p, &r, lang[i]) == 0);
		CHECK(count(&p, "count(//th[. = '" BYGG "'])") == 1);
		CHECK(count(&p, "count(" CHART("share") "//text[. = '" BYGG
			    "'])") == 1);
		CHECK(strstr(p.text, "Bygg &amp; &lt;anläggning&gt;") != NULL);
		CHECK(strstr(p.text, "<anläggning>") == NULL);
		CHECK(strstr(p.text, "Bygg & ") == NULL);
		CHECK(count(&p, "count(//anläggning)") == 0);
		page_free(&p);
	}
}

static void
test_html_self_contained(void)
{
	struct report r = report_of(sample_rows, NSAMPLE);
	const char *lang[] = { "sv", "en" };
	struct page p;
	size_t i;

	for (i = 0; i < 2; i++) {
		CHECK(page_render(&p, &r, lang[i]) == 0);
		CHECK(count(&p, "count(//script | //noscript | //link | "
			    "//iframe | //object | //embed | //img | //image | "
			    "//use | //foreignobject | //audio | //video | "
			    "//source | //base | //form)") == 0);
		CHECK(count(&p, "count(//@*[starts-with(name(), 'on')])") == 0);
		CHECK(count(&p, "count(//@src | //@href | //@*[contains(name(), "
			    "'href')] | //@srcset | //@action)") == 0);
		CHECK(count(&p, "count(//@*[contains(translate(., 'HTP', "
			    "'htp'), 'http') or contains(., '//')])") == 0);
		CHECK(!strstr(p.text, "url(") && !strstr(p.text, "@import"));
		CHECK(count(&p, "count(//style)") == 1);
		CHECK(count(&p, "count(//meta[@charset = 'utf-8'])") == 1);
		page_free(&p);
	}
}

/*
 * The part of a staff page: the same period and figures as the document,
 * in one section with its charts' style, without the document's shell.
 */
static void
test_html_part(void)
{
	struct report r = report_of(sample_rows, NSAMPLE);
	struct buf part, whole;
	const char *a, *b, *a_end, *b_end;

	buf_init(&part, 0);
	buf_init(&whole, 0);
	CHECK(report_html_part(&r, "sv", &part) == 0);
	CHECK(report_html(&r, "sv", &whole) == 0);
	a = buf_str(&part);
	b = buf_str(&whole);
	CHECK(strncmp(a, "<section class=\"report\">\n<style>\n", 32) == 0);
	CHECK(well_formed(a));
	CHECK(!strstr(a, "<!DOCTYPE") && !strstr(a, "<html") &&
	      !strstr(a, "<body") && !strstr(a, "<h1") &&
	      !strstr(a, "main {"));
	a = strstr(a, "<p>Period: ");
	b = strstr(b, "<p>Period: ");
	a_end = a ? strstr(a, "</section>\n") : NULL;
	b_end = b ? strstr(b, "</main>\n") : NULL;
	CHECK(a_end && b_end && a_end - a == b_end - b &&
	      strncmp(a, b, (size_t)(a_end - a)) == 0);
	CHECK(a_end && strcmp(a_end, "</section>\n") == 0);
	buf_release(&part);
	buf_release(&whole);
}

static void
test_html_well_formed(void)
{
	struct report_row rows[] = {
		{ .year = 2026, .quarter = 1 },
		{ .category = "x", .year = 2026, .quarter = 1, .large = 1,
		  .category_name = "Not UTF-8 \xff\xc3(, control \x01\x1b"
				   "[31m, quote ' and \"" },
	};
	struct report r = report_of(sample_rows, NSAMPLE);
	struct report odd = report_of(rows, 2);
	struct page p;
	char *s;

	CHECK(page_render(&p, &r, "sv") == 0);
	CHECK(well_formed(p.text));
	page_free(&p);
	CHECK(page_render(&p, &r, "en") == 0);
	CHECK(well_formed(p.text));
	page_free(&p);

	odd.service = "Kommun <&> \"AB\"";
	CHECK(page_render(&p, &odd, "sv") == 0);
	CHECK(well_formed(p.text));
	s = text_of(&p, "string(//tbody/tr/th[not(@class)])");
	CHECK_STR(s, "Not UTF-8 \xef\xbf\xbd\xef\xbf\xbd(, control   [31m, "
		  "quote ' and \"");
	free(s);
	CHECK(strstr(p.text, "Not UTF-8 \xef\xbf\xbd\xef\xbf\xbd(, control   "
		     "[31m, quote &#39; and &quot;") != NULL);
	CHECK(strstr(p.text, "<title>Kommun &lt;&amp;&gt; &quot;AB&quot;: ") !=
	      NULL);
	page_free(&p);
}

static void
test_html_empty(void)
{
	struct report r = report_of(NULL, 0);
	const char *lang[] = { "sv", "en" };
	const char *msg[] = { "Det finns inga uppgifter för perioden.",
			      "There is no data for the period." };
	struct page p;
	size_t i;

	for (i = 0; i < 2; i++) {
		CHECK(page_render(&p, &r, lang[i]) == 0);
		CHECK(well_formed(p.text));
		CHECK(count(&p, "count(//p[@class = 'nodata' and . = '%s'])",
			    msg[i]) == 1);
		CHECK(count(&p, "count(//svg | //table)") == 0);
		CHECK(count(&p, "count(//h1)") == 1);
		check_no_bad_numbers(p.text);
		page_free(&p);
	}
}

/* Nothing at all happened: nothing to divide by anywhere. */
static void
test_html_zeros(void)
{
	struct report_row rows[] = {
		{ .year = 2025, .quarter = 4 },
		{ .category = "el", .category_name = "El", .year = 2025,
		  .quarter = 4 },
		{ .year = 2026, .quarter = 1 },
		{ .category = "el", .category_name = "El", .year = 2026,
		  .quarter = 1 },
	};
	struct report r = report_of(rows, 4);
	struct page p;

	CHECK(page_render(&p, &r, "sv") == 0);
	CHECK(well_formed(p.text));
	check_no_bad_numbers(p.text);
	CHECK(count(&p, "count(//svg)") == 4);
	CHECK(count(&p, "count(" CHART("share") "//rect)") == 0);
	CHECK(count(&p, "count(" CHART("share") "//text[. = '–'])") == 1);
	CHECK(count(&p, "count(" CHART("attendance") "//rect)") == 0);
	CHECK(count(&p, "count(" CHART("attendance") "//text[. = '–'])") == 2);
	check_cell(&p, "Upphandlingar per kvartal", "2025-Q4",
		   "Andel uppdelade", "–");
	check_cell(&p, "Framförhållning per kvartal", "2026-Q1",
		   "Framförhållning, dagar", "–");
	check_cell(&p, "Informationsmöten per kvartal", "2026-Q1", "Närvaro",
		   "–");
	check_cell(&p, "Upphandlingar per kategori under perioden", "El",
		   "Andel uppdelade", "–");
	/* The lines lie on the axis, which still has a scale. */
	CHECK(count(&p, "count(" CHART("trend") "//text[@class = 'tick'])") ==
	      2);
	page_free(&p);
}

static void
test_html_one_quarter(void)
{
	struct report_row rows[] = {
		{ .year = 2026, .quarter = 2, .firms_alerted = 7,
		  .firms_attending = 3, .firms_winning = 1,
		  .meeting_seats_taken = 4, .meeting_attendees = 5,
		  .meeting_shows = 3 },
	};
	struct report r = report_of(rows, 1);
	struct page p;

	CHECK(page_render(&p, &r, "sv") == 0);
	CHECK(well_formed(p.text));
	/* No categories: no share chart, and a message instead. */
	CHECK(count(&p, "count(//svg)") == 3);
	CHECK(count(&p, "count(//p[@class = 'nodata'])") == 1);
	/* Lines of one point each: the markers show them. */
	CHECK(count(&p, "count(" CHART("trend") "//polyline[not(contains("
		    "@points, ' '))])") == 5);
	CHECK(count(&p, "count(" CHART("trend") "//circle)") == 1 + 1);
	CHECK(count(&p, "count(" CHART("trend") "//polygon)") == 3 * 2);
	/* More came than registered, three of the four who had */
	CHECK(count(&p, "count(" CHART("attendance") "//text[. = '75,0 %%'])")
	      == 1);
	CHECK(count(&p, "count(" CHART("attendance") "//text[@class = 'tick' "
		    "and . = '100 %%'])") == 1);
	check_no_bad_numbers(p.text);
	page_free(&p);
}

/* The tick labels of a chart's value axis, as numbers. */
static int
ticks(struct page *p, const char *chart, double *v, int max)
{
	xmlXPathObjectPtr res;
	char expr[256], digits[64];
	int i, n = 0;

	snprintf(expr, sizeof expr, "%s//text[@class = 'tick']", chart);
	res = xmlXPathEvalExpression((const xmlChar *)expr, p->xpath);
	for (i = 0; res && res->nodesetval && i < res->nodesetval->nodeNr &&
		    n < max; i++) {
		xmlChar *s = xmlNodeGetContent(res->nodesetval->nodeTab[i]);
		size_t k = 0;
		const xmlChar *c;

		for (c = s; c && *c && k < sizeof digits - 1; c++)
			if (isdigit(*c))
				digits[k++] = (char)*c;
		digits[k] = '\0';
		v[n++] = strtod(digits, NULL);
		xmlFree(s);
	}
	xmlXPathFreeObject(res);
	return n;
}

/* Steps of 1, 2, 2.5 or 5 times a power of ten. */
static int
is_round(double step)
{
	double mag = pow(10, floor(log10(step))), f = step / mag;

	return f == 1 || f == 2 || f == 2.5 || f == 5;
}

static void
test_html_large_numbers(void)
{
	struct report_row rows[] = {
		{ .year = 2026, .quarter = 1, .notices = LONG_MAX,
		  .firms_alerted = 1234567890123, .firms_bidding = 98765 },
		{ .year = 2026, .quarter = 2, .notices = 1000000,
		  .firms_alerted = 987654321, .large = LONG_MAX,
		  .large_divided = LONG_MAX / 3 },
	};
	struct report r = report_of(rows, 2);
	struct page p;
	double v[16];
	int n, i;

	CHECK(page_render(&p, &r, "sv") == 0);
	check_no_bad_numbers(p.text);
	check_cell(&p, "Upphandlingar per kvartal", "2026-Q1", "Annonser",
		   "9 223 372 036 854 775 807");
	check_cell(&p, "Upphandlingar per kvartal", "2026-Q2", "Annonser",
		   "1 000 000");
	check_cell(&p, "Företag per kvartal", "2026-Q1", "Fick mejl",
		   "1 234 567 890 123");
	check_cell(&p, "Upphandlingar per kvartal", "2026-Q2",
		   "Andel uppdelade", "33,3 %");
	n = ticks(&p, CHART("trend"), v, 16);
	CHECK(n >= 2 && n <= 6);
	if (n >= 2) {
		CHECK(v[0] == 0);
		CHECK(is_round(v[1]));
		for (i = 2; i < n; i++)
			CHECK(v[i] == i * v[1]);
		CHECK(v[n - 1] >= 1234567890123.0);
		CHECK(v[n - 2] < 1234567890123.0);
	}
	CHECK(count(&p, "count(" CHART("trend") "//text[@class = 'tick' and "
		    ". = '1 500 000 000 000'])") == 1);
	page_free(&p);

	CHECK(page_render(&p, &r, "en") == 0);
	check_cell(&p, "Procurements per quarter", "2026-Q1", "Notices",
		   "9,223,372,036,854,775,807");
	page_free(&p);
}

/* Expects report_html and report_csv to refuse r, saying why. */
static void
check_refused(const struct report *r, const char *why, int csv_too)
{
	struct capture c;
	struct buf out;
	char *said;

	buf_init(&out, 0);
	buf_adds(&out, "kept");
	capture_start(&c, 2);
	CHECK(report_html(r, "sv", &out) == -1);
	said = capture_end(&c);
	CHECK_STR(buf_str(&out), "kept");
	CHECK(strstr(said, why) != NULL);
	if (!strstr(said, why))
		fprintf(stderr, "    said \"%s\", want \"%s\"\n", said, why);
	free(said);
	if (csv_too) {
		capture_start(&c, 2);
		CHECK(report_csv(r, "sv", &out) == -1);
		said = capture_end(&c);
		CHECK_STR(buf_str(&out), "kept");
		CHECK(strstr(said, why) != NULL);
		free(said);
	}
	buf_release(&out);
}

static void
test_invalid_reports(void)
{
	struct report_row rows[NSAMPLE];
	struct report r = report_of(rows, NSAMPLE);

	memcpy(rows, sample_rows, sizeof rows);
	rows[1] = sample_rows[2];
	rows[2] = sample_rows[1];
	check_refused(&r, "2026-Q1 bygg: rows out of order or twice", 1);

	memcpy(rows, sample_rows, sizeof rows);
	rows[2] = rows[1];
	check_refused(&r, "2026-Q1 bygg: rows out of order or twice", 1);

	r = report_of(sample_rows + 1, NSAMPLE - 1);
	check_refused(&r, "2026-Q1 has no totals row", 1);

	memcpy(rows, sample_rows, sizeof rows);
	rows[3].quarter = rows[4].quarter = rows[5].quarter = 3;
	r = report_of(rows, NSAMPLE);
	check_refused(&r, "no totals row for the quarters between 2026-Q1 "
		      "and 2026-Q3", 1);

	memcpy(rows, sample_rows, sizeof rows);
	rows[4].large_divided = 6;
	check_refused(&r, "2026-Q2 bygg: more large procurements divided (6) "
		      "than there were (5)", 1);

	/* attendance is never above 100 % */
	memcpy(rows, sample_rows, sizeof rows);
	rows[4].meeting_shows = 21;
	check_refused(&r, "2026-Q2 bygg: more registered firms came (21) than "
		      "had registered (20)", 1);

	memcpy(rows, sample_rows, sizeof rows);
	rows[5].firms_bidding = -1;
	check_refused(&r, "2026-Q2 maleri: a negative figure", 1);

	memcpy(rows, sample_rows, sizeof rows);
	rows[0].quarter = 0;
	check_refused(&r, "a row for quarter 0 of year 2026", 1);

	memcpy(rows, sample_rows, sizeof rows);
	rows[0].lead_time_days = NAN;
	check_refused(&r, "2026-Q1 totals: lead time of nan days", 1);
	rows[0].lead_time_days = -1;
	check_refused(&r, "2026-Q1 totals: lead time of -1 days", 1);

	r = report_of(sample_rows, NSAMPLE);
	r.to = r.from;
	check_refused(&r, "report: the period ends before it begins", 1);
	r = report_of(NULL, 2);
	check_refused(&r, "report: 2 rows, not given", 1);
	r = report_of(sample_rows, NSAMPLE);
	r.service = NULL;
	check_refused(&r, "report: no service name", 1);

	/* The category sums would overflow; the CSV adds nothing up. */
	memcpy(rows, sample_rows, sizeof rows);
	rows[1].category_lots = rows[4].category_lots = LONG_MAX;
	r = report_of(rows, NSAMPLE);
	check_refused(&r, "bygg: figures too large to add up", 0);
}

/* Without procedures, a lead time is not read, not even to add it up. */
static void
test_lead_time_unread_without_procedures(void)
{
	struct report_row rows[] = {
		{ .year = 2026, .quarter = 1, .lead_time_n = 0,
		  .lead_time_days = NAN },
		{ .category = "el", .category_name = "El", .year = 2026,
		  .quarter = 1, .lead_time_n = 0, .lead_time_days = NAN },
		{ .year = 2026, .quarter = 2, .lead_time_n = 2,
		  .lead_time_days = 4 },
		{ .category = "el", .category_name = "El", .year = 2026,
		  .quarter = 2, .lead_time_n = 1, .lead_time_days = 3 },
	};
	const char *cats = "Upphandlingar per kategori under perioden";
	struct report r = report_of(rows, 4);
	struct page p;
	char *csv;

	CHECK(page_render(&p, &r, "sv") == 0);
	check_no_bad_numbers(p.text);
	check_cell(&p, "Framförhållning per kvartal", "2026-Q1",
		   "Framförhållning, dagar", "–");
	check_cell(&p, cats, "El", "Framförhållning, dagar", "3,0");
	check_cell(&p, cats, "Alla kategorier", "Framförhållning, dagar",
		   "4,0");
	page_free(&p);
	csv = csv_of(&r);
	CHECK(csv && strstr(csv, ";;0;0;0;0;0;0;0;0;0;0;0;0;;0;0;;0;\r\n") &&
	      !has_word(csv, "nan"));
	free(csv);
}

static void
test_output_cap(void)
{
	struct report r = report_of(sample_rows, NSAMPLE);
	struct capture c;
	struct buf out;
	char *said;

	buf_init(&out, 4000);
	buf_adds(&out, "kept");
	capture_start(&c, 2);
	CHECK(report_html(&r, "sv", &out) == -1);
	CHECK(report_csv(&r, "sv", &out) == 0);
	buf_reset(&out);
	buf_adds(&out, "kept");
	out.max = 100;
	CHECK(report_csv(&r, "sv", &out) == -1);
	CHECK(report_xlsx(&r, "sv", &out) == -1);
	said = capture_end(&c);
	CHECK_STR(buf_str(&out), "kept");
	CHECK_STR(said, "tenderlots: error: report: longer than 4000 bytes\n"
		  "tenderlots: error: report: longer than 100 bytes\n"
		  "tenderlots: error: report: workbook: larger than the limit "
		  "of 96 bytes\n");
	free(said);
	buf_release(&out);
}

/* Long names are cut in the chart, where room is short, not in the table. */
static void
test_html_long_name(void)
{
	const char *name = "Städning och lokalvård av offentliga byggnader";
	struct report_row rows[] = {
		{ .year = 2026, .quarter = 1 },
		{ .category = "stad", .category_name = name, .year = 2026,
		  .quarter = 1, .large = 1 },
	};
	struct report r = report_of(rows, 2);
	struct page p;

	CHECK(page_render(&p, &r, "sv") == 0);
	CHECK(count(&p, "count(//th[. = '%s'])", name) == 1);
	CHECK(count(&p, "count(" CHART("share") "//text[. = "
		    "'Städning och lokalvård av off…'])") == 1);
	page_free(&p);
}

static long
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/*
 * The pixels of each of the n colours in a screenshot, as report_shot.sh
 * counts them, in count[]; -1 where it did not say.
 */
static void
pixels(const char *png, const char *const *colours, size_t n, long *count)
{
	char cmd[PATH_MAX * 2], line[64];
	size_t i, k, len;
	FILE *f;

	k = (size_t)snprintf(cmd, sizeof cmd,
			     "sh tests/report_shot.sh --colours '%s'", png);
	for (i = 0; i < n; i++) {
		count[i] = -1;
		k += (size_t)snprintf(cmd + k, sizeof cmd - k, " %s",
				      colours[i]);
	}
	if (!(f = popen(cmd, "r")))
		return;
	for (i = 0; i < n && fgets(line, sizeof line, f); i++) {
		len = strlen(colours[i]);
		if (strncmp(line, colours[i], len) == 0 && line[len] == ' ')
			count[i] = strtol(line + len + 1, NULL, 10);
	}
	if (pclose(f) != 0)
		count[0] = -1;
}

/*
 * What a browser makes of the report. The PNG's size says little (a blank
 * page is 11 KB); the DOM says Chromium parsed the charts as SVG; the
 * pixels of each line's colour say it drew them.
 */
static void
test_browser(void)
{
	static const char *const line_colours[] = {
		"0b4f9c", "b35900", "1b7837", "762a83",
	};
	const size_t ncolours = sizeof line_colours / sizeof line_colours[0];
	long drawn[sizeof line_colours / sizeof line_colours[0]];
	struct report r = report_of(sample_rows, NSAMPLE);
	char dir[PATH_MAX], html[PATH_MAX + 16], png[PATH_MAX + 16];
	char dom[PATH_MAX + 16], cmd[PATH_MAX * 4];
	unsigned char head[24];
	struct page p;
	struct buf out;
	size_t i;
	FILE *f;

	/* make deps installs it: without it the charts go unchecked */
	CHECK(access("/usr/bin/chromium", X_OK) == 0);
	if (access("/usr/bin/chromium", X_OK) != 0)
		return;
	make_tmpdir(dir, "test_report");
	snprintf(html, sizeof html, "%s/report.html", dir);
	snprintf(png, sizeof png, "%s/report.png", dir);
	snprintf(dom, sizeof dom, "%s/dom.html", dir);
	buf_init(&out, 0);
	CHECK(report_html(&r, "sv", &out) == 0);
	write_text(html, buf_str(&out));
	buf_release(&out);

	snprintf(cmd, sizeof cmd, "sh tests/report_shot.sh '%s' '%s'", html,
		 png);
	CHECK(system(cmd) == 0);
	CHECK(file_size(png) > 10 * 1024);
	memset(head, 0, sizeof head);
	if ((f = fopen(png, "rb"))) {
		CHECK(fread(head, 1, sizeof head, f) == sizeof head);
		fclose(f);
	}
	CHECK(memcmp(head, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16) == 0);
	CHECK(head[16] == 0 && head[17] == 0 && head[18] == 1200 / 256 &&
	      head[19] == 1200 % 256);
	pixels(png, line_colours, ncolours, drawn);
	for (i = 0; i < ncolours; i++) {
		CHECK(drawn[i] > 100);
		if (drawn[i] <= 100)
			fprintf(stderr, "    #%s: %ld pixels\n", line_colours[i],
				drawn[i]);
	}

	snprintf(cmd, sizeof cmd, "sh tests/report_shot.sh --dom '%s' > '%s'",
		 html, dom);
	CHECK(system(cmd) == 0);
	memset(&p, 0, sizeof p);
	CHECK(page_parse(&p, read_text(dom)) == 0);
	CHECK(count(&p, "count(//svg)") == 4);
	CHECK(count(&p, "count(//svg[not(*)])") == 0);
	CHECK(count(&p, "count(//svg[title and desc])") == 4);
	CHECK(count(&p, "count(//svg//polyline)") == 5);
	CHECK(count(&p, "count(//svg//rect)") > 4);
	CHECK(count(&p, "count(//svg//text)") > 30);
	page_free(&p);
	rm_rf(dir);
}

int
main(void)
{
	/* The times the report states are local. */
	setenv("TZ", "Europe/Stockholm", 1);
	tzset();

	RUN(test_csv_exact);
	RUN(test_csv_quoting);
	RUN(test_csv_empty);
	RUN(test_sheets_read_back);
	RUN(test_period);
	RUN(test_html_charts);
	RUN(test_html_numbers_sv);
	RUN(test_html_numbers_en);
	RUN(test_html_escaping);
	RUN(test_html_self_contained);
	RUN(test_html_part);
	RUN(test_html_well_formed);
	RUN(test_html_empty);
	RUN(test_html_zeros);
	RUN(test_html_one_quarter);
	RUN(test_html_large_numbers);
	RUN(test_invalid_reports);
	RUN(test_lead_time_unread_without_procedures);
	RUN(test_output_cap);
	RUN(test_html_long_name);
	RUN(test_browser);
	xmlCleanupParser();
	return test_done("report");
}
