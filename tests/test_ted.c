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
	f.query = "notice-title ~ \"städ\" AND buyer-country=SWE";
	CHECK(ted_search_body(&f, NULL, &b) == 0);
	CHECK_STR(buf_str(&b), "{\"query\": \"notice-title ~ \\\"städ\\\" AND "
		  "buyer-country=SWE\", \"fields\": [\"publication-number\", "
		  "\"links\"], \"limit\": 50, \"scope\": \"ALL\", "
		  "\"paginationMode\": \"ITERATION\"}");
	CHECK(ted_search_body(&f, "tok\"en", &b) == 0);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c 'import json,sys; "
		 "d = json.loads(sys.argv[1]); assert d[\"iterationNextToken\"] == "
		 "\"tok\\\"en\"' '%s'", buf_str(&b));
	CHECK(system(cmd) == 0);
	buf_release(&b);
}

static const char page_json[] =
	"{\"notices\": ["
	" {\"publication-number\": \"123456-2026\","
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

int
main(void)
{
	RUN(test_search_body);
	RUN(test_parse_page);
	RUN(test_last_page);
	RUN(test_bad_responses);
	return test_done("ted");
}
