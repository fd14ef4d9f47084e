#define _XOPEN_SOURCE 700

#include "ted.h"
#include "test.h"
#include "testutil.h"

static struct feed_config
ted_feed(void)
{
	struct feed_config f = {
		.name = "ted",
		.kind = FEED_TED,
		.url = "https://api.ted.europa.eu",
		.query = "buyer-country=SWE AND place-of-performance=SE232",
		.page_size = 50,
		.max_pages = 3,
		.notice_url = "https://ted.europa.eu/en/notice/{id}/xml",
	};

	return f;
}

static void
test_search_body(void)
{
	struct feed_config f = ted_feed();
	struct buf b;
	char cmd[4096];

	buf_init(&b, 0);
	f.query = "notice-title ~ \"städ\" OR buyer-country=SWE";
	CHECK(ted_search_body(&f, "20261021", "", NULL, &b) == 0);
	/* the feed's query in parentheses, so its OR cannot undo the date */
	CHECK_STR(buf_str(&b), "{\"query\": \"(notice-title ~ \\\"städ\\\" OR "
		  "buyer-country=SWE) AND publication-date>=20261021 SORT BY "
		  "publication-number DESC\", \"fields\": [\"publication-number\", "
		  "\"publication-date\", \"links\"], \"limit\": 50, \"scope\": "
		  "\"ALL\", \"paginationMode\": \"ITERATION\"}");
	CHECK(ted_search_body(&f, "20261021", "20261112", "tok\"en", &b) == 0);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c 'import json,sys; "
		 "d = json.loads(sys.argv[1]); assert d[\"iterationNextToken\"] == "
		 "\"tok\\\"en\"; assert d[\"query\"].endswith(\"publication-date>="
		 "20261021 AND publication-date<=20261112 SORT BY publication-number "
		 "DESC\")' '%s'", buf_str(&b));
	CHECK(system(cmd) == 0);
	buf_release(&b);
}

static const char page_json[] =
	"{\"notices\": ["
	" {\"publication-number\": \"123456-2026\", \"publication-date\": \"2026-11-24+01:00\","
	"  \"links\": {\"xml\": {\"MUL\": \"https://ted.europa.eu/en/notice/123456-2026/xml\"},"
	"             \"pdf\": {\"SWE\": \"https://x/pdf\"}}},"
	" {\"publication-number\": \"7-2026\"},"
	" {\"publication-number\": \"../../etc-2026\"},"
	" {\"publication-number\": 42},"
	" {\"links\": {}},"
	" {\"publication-number\": \"654321-2026\", \"links\": {\"xml\": {\"MUL\": \"javascript:x\"}}}"
	"], \"totalNoticeCount\": 1234, \"iterationNextToken\": \"abc==\"}";

static void
test_parse_page(void)
{
	struct feed_config f = ted_feed();
	struct ted_page p = { 0 };
	char err[256] = "";

	CHECK(ted_parse_search(&f, page_json, strlen(page_json), &p, err, sizeof err) == 0);
	CHECK(p.n == 3);
	if (p.n == 3) {
		CHECK_STR(p.ids[0], "123456-2026");
		CHECK_STR(p.dates[0], "20261124");
		CHECK_STR(p.dates[1], "");
		CHECK_STR(p.xml_urls[0], "https://ted.europa.eu/en/notice/123456-2026/xml");
		CHECK_STR(p.ids[1], "7-2026");
		/* No XML link in the answer: the configured template. */
		CHECK_STR(p.xml_urls[1], "https://ted.europa.eu/en/notice/7-2026/xml");
		/* Only http(s) links are followed. */
		CHECK_STR(p.xml_urls[2], "https://ted.europa.eu/en/notice/654321-2026/xml");
	}
	CHECK_STR(p.next_token, "abc==");
	CHECK(p.total == 1234);
	ted_page_release(&p);
}

static void
test_last_page(void)
{
	struct feed_config f = ted_feed();
	struct ted_page p = { 0 };
	const char *json = "{\"notices\": [], \"totalNoticeCount\": 0}";
	char err[256];

	CHECK(ted_parse_search(&f, json, strlen(json), &p, err, sizeof err) == 0);
	CHECK(p.n == 0);
	CHECK(p.next_token == NULL);
	CHECK(p.total == 0);
	ted_page_release(&p);
}

static void
expect_error(const char *json, const char *want)
{
	struct feed_config f = ted_feed();
	struct ted_page p = { 0 };
	char err[256] = "";

	CHECK(ted_parse_search(&f, json, strlen(json), &p, err, sizeof err) == -1);
	if (!strstr(err, want))
		fprintf(stderr, "  err was: %s\n", err);
	CHECK(strstr(err, want) != NULL);
	CHECK(p.n == 0 && p.ids == NULL);
}

static void
test_bad_responses(void)
{
	expect_error("", "not JSON");
	expect_error("<html>502 Bad Gateway</html>", "not JSON");
	expect_error("{\"notices\": [", "not JSON");
	expect_error("{\"error\": \"query syntax\"}", "not a TED search response");
	expect_error("{\"notices\": {}}", "not a TED search response");
	expect_error("[1, 2]", "not a TED search response");
}

static void
check_message(const char *json, const char *want)
{
	char msg[64];

	ted_error_message(json, strlen(json), msg, sizeof msg);
	CHECK_STR(msg, want);
}

static void
test_error_message(void)
{
	check_message("{\"message\": \"Unsupported value 'SE' for field "
		      "'buyer-country'\"}",
		      "Unsupported value 'SE' for field 'buyer-country'");
	check_message("{\"error\": {\"type\": \"QUERY_SYNTAX_ERROR\", "
		      "\"message\": \"line 1:9\\nextraneous input\"}}",
		      "line 1:9 extraneous input");
	check_message("{\"error\": \"QUERY_SYNTAX_ERROR\"}", "QUERY_SYNTAX_ERROR");
	check_message("<html>403 Forbidden</html>", "");
	check_message("{}", "");
	/* cut to fit */
	check_message("{\"message\": \"0123456789012345678901234567890123456789"
		      "0123456789012345678901234567890123456789\"}",
		      "012345678901234567890123456789012345678901234567890123456789012");
}

static void
check_query(const char *query, const char *want)
{
	char err[256] = "";

	CHECK(ted_query_check(query, err, sizeof err) == (want ? -1 : 0));
	CHECK_STR(err, want ? want : "");
}

static void
test_query_check(void)
{
	check_query("buyer-country=SWE AND place-of-performance=SE232", NULL);
	check_query("buyer-country IN (SWE NOR) AND notice-title ~ \"(SE)\"", NULL);
	check_query("FT ~ (\"snöröjning\" \"halkbekämpning\")", NULL);
	check_query("organisation-country-buyer = se",
		    "organisation-country-buyer: 'se' is a two-letter country; "
		    "TED names countries by three letters (SWE)");
	check_query("buyer-country NOT IN (DNK GR)",
		    "buyer-country: 'GR' is a two-letter country; TED names "
		    "countries by three letters (GRC)");
	check_query("buyer-country=XX",
		    "buyer-country: 'XX' is a two-letter country; TED names "
		    "countries by three letters (ISO 3166-1 alpha-3)");
	check_query("((buyer-country=SWE)", "'(' at column 1 is never closed");
	check_query("notice-title ~ \"a \\\" b", "the quote at column 16 is never closed");
	check_query("\t ", "the query is empty");
	check_query("buyer-country=SWE sort by publication-date DESC",
		    "has a SORT BY of its own: the feed sorts by publication "
		    "number, newest first, to poll from where it was");
	/* a word that only contains "sort" is no SORT BY */
	check_query("notice-title ~ \"resort by the sea\"", NULL);
}

int
main(void)
{
	RUN(test_search_body);
	RUN(test_parse_page);
	RUN(test_last_page);
	RUN(test_bad_responses);
	RUN(test_error_message);
	RUN(test_query_check);
	return test_done("ted");
}
