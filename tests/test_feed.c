/*
 * Feeds against a real HTTP server on loopback (tests/httpd.py): eForms
 * at a URL with conditional GET, a directory, RSS with XML and page links,
 * the TED search API, server errors and recovery, hanging servers, and the
 * quarantine of every kind of bad input.
 */
#define _XOPEN_SOURCE 700

#include <sqlite3.h>

#include "feed.h"
#include "health.h"
#include "run.h"
#include "ted.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"
#include "httpd.h"

struct env {
	char root[PATH_MAX];	/* what the server serves */
	char work[PATH_MAX];	/* the database */
	char db[PATH_MAX + 16];
	struct httpd srv;
	struct store *store;
	struct eforms_parser *eforms;
	struct syndication_parser *syndication;
	struct firm_list firms;
	struct category_set categories;
	struct ingest in;
	struct feed_poller fp;
	long retry_after;
	char err[1024];
};

static void
copy_fixture(struct env *e, const char *name, const char *as)
{
	char from[PATH_MAX], to[PATH_MAX * 2];
	char *text;

	snprintf(from, sizeof from, "tests/fixtures/eforms/%s", name);
	snprintf(to, sizeof to, "%s/%s", e->root, as);
	if (!(text = read_text(from))) {
		perror(from);
		exit(2);
	}
	write_text(to, text);
	free(text);
}

static void
root_file(struct env *e, const char *name, const char *text)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof path, "%s/%s", e->root, name);
	write_text(path, text);
}

static void
root_dir(struct env *e, const char *name)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof path, "%s/%s", e->root, name);
	mkdir(path, 0700);
}

static void
setup(struct env *e)
{
	memset(e, 0, sizeof *e);
	make_tmpdir(e->root, "test_feed_root");
	make_tmpdir(e->work, "test_feed_work");
	snprintf(e->db, sizeof e->db, "%s/t.db", e->work);
	if (httpd_start(e->root, &e->srv) < 0 || store_open(e->db, &e->store) < 0 ||
	    !(e->eforms = eforms_parser_new()) ||
	    !(e->syndication = syndication_parser_new()))
		exit(2);
	e->in.store = e->store;
	e->in.parser = e->eforms;
	e->in.firms = &e->firms;
	e->in.categories = &e->categories;
	if (!(e->in.index = match_index_new(&e->firms, &(struct match_options){ .size_share = 0.5 })))
		exit(2);
	e->in.now = 1795000000;
	e->fp.store = e->store;
	e->fp.syndication = e->syndication;
	e->fp.fetch.timeout = 5;
	e->fp.fetch.connect_timeout = 2;
	e->fp.fetch.max_bytes = 64 * 1024;
	e->fp.ingest = &e->in;
}

static void
teardown(struct env *e)
{
	CHECK(httpd_stop(&e->srv) == 0);
	match_index_free(e->in.index);
	syndication_parser_free(e->syndication);
	eforms_parser_free(e->eforms);
	store_free(e->store);
	rm_rf(e->root);
	rm_rf(e->work);
}

static int
poll(struct env *e, const struct feed_config *f)
{
	memset(&e->in.counts, 0, sizeof e->in.counts);
	return feed_poll(&e->fp, f, &e->retry_after, e->err, sizeof e->err);
}


/* How many logged requests contain all of the given text. */
static int
logged(struct env *e, const char *text)
{
	char *log = httpd_log(&e->srv), *p;
	int n = 0;

	for (p = log; p && (p = strstr(p, text)); p++)
		n++;
	free(log);
	return n;
}

static void
test_url_conditional_get(void)
{
	struct env e;
	char url[HTTPD_URL_MAX];
	struct feed_config f = { .name = "url", .kind = FEED_EFORMS };

	setup(&e);
	copy_fixture(&e, "cn_24_minimal.xml", "cn.xml");
	f.url = httpd_url(&e.srv, "/cn.xml", url);
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 1);
	/* The second poll asks with the ETag, gets 304 and ingests nothing. */
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 0 && e.in.counts.notices_unchanged == 0);
	CHECK(logged(&e, "GET\t/cn.xml\t-\t-\t200") == 1);
	CHECK(logged(&e, "GET\t/cn.xml\t\"") == 1);
	CHECK(logged(&e, "\t304") == 1);
	CHECK(db_query(e.db, "SELECT count(*) FROM notice") == 1);
	CHECK(db_query(e.db, "SELECT count(*) FROM feed_item WHERE etag LIKE '\"%'") == 1);
	/* A changed document is fetched and stored again. */
	copy_fixture(&e, "cn_24_open.xml", "cn.xml");
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 1);
	teardown(&e);
}

static void
test_recovers_after_server_errors(void)
{
	struct env e;
	char url[HTTPD_URL_MAX];
	struct feed_config f = { .name = "flaky", .kind = FEED_EFORMS };

	setup(&e);
	copy_fixture(&e, "cn_24_open.xml", "cn.xml");
	f.url = httpd_url(&e.srv, "/flaky/k/2/cn.xml", url);
	CHECK(poll(&e, &f) == FEED_FAILED);
	CHECK(strstr(e.err, "HTTP 503") != NULL);
	CHECK(poll(&e, &f) == FEED_FAILED);
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 1);
	CHECK(db_query(e.db, "SELECT count(*) FROM quarantine") == 0);
	f.url = httpd_url(&e.srv, "/status/503?retry_after=7", url);
	CHECK(poll(&e, &f) == FEED_FAILED);
	CHECK(e.retry_after == 7);
	f.url = httpd_url(&e.srv, "/status/429?retry_after=9", url);
	CHECK(poll(&e, &f) == FEED_FAILED);
	CHECK(e.retry_after == 9);
	teardown(&e);
}

static const char xxe[] =
	"<?xml version=\"1.0\"?>\n<!DOCTYPE ContractNotice [\n"
	"<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
	"<ContractNotice>&x;</ContractNotice>\n";
static const char bomb[] =
	"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
	"<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
	"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
	"<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
	"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
	"<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
	"]>\n<ContractNotice>&e;</ContractNotice>\n";

static void
test_quarantine_every_bad_input(void)
{
	struct env e;
	char path[PATH_MAX * 2], big[70 * 1024];
	struct feed_config f = { .name = "dir", .kind = FEED_EFORMS };

	setup(&e);
	root_dir(&e, "in");
	copy_fixture(&e, "cn_24_minimal.xml", "in/01-good.xml");
	copy_fixture(&e, "INVALID_cn_24_empty.xml", "in/02-no-notice-id.xml");
	root_file(&e, "in/03-malformed.xml", "<ContractNotice><cbc:ID>x</ContractNotice");
	root_file(&e, "in/04-not-eforms.xml", "<html><body>Upphandlingar</body></html>");
	root_file(&e, "in/05-xxe.xml", xxe);
	root_file(&e, "in/06-bomb.xml", bomb);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	root_file(&e, "in/07-big.xml", big);
	root_file(&e, "in/08-empty.xml", "");
	root_file(&e, "in/notes.txt", "not a notice file");
	snprintf(path, sizeof path, "%s/in", e.root);
	f.url = path;
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 1);
	CHECK(e.in.counts.notices_rejected == 7);
	CHECK(db_query(e.db, "SELECT count(*) FROM quarantine") == 7);
	CHECK(db_query(e.db, "SELECT count(*) FROM quarantine WHERE source LIKE "
		    "'%02-no-notice-id.xml' AND reason LIKE '%notice id%'") == 1);
	CHECK(db_query(e.db, "SELECT count(*) FROM quarantine WHERE source LIKE "
		    "'%05-xxe.xml' AND reason LIKE '%DOCTYPE%'") == 1);
	CHECK(db_query(e.db, "SELECT count(*) FROM quarantine WHERE source LIKE "
		    "'%06-bomb.xml' AND reason LIKE '%DOCTYPE%'") == 1);
	CHECK(db_query(e.db, "SELECT count(*) FROM quarantine WHERE source LIKE "
		    "'%07-big.xml' AND reason LIKE 'larger than the limit%' "
		    "AND size = 71679") == 1);
	CHECK(db_query(e.db, "SELECT count(*) FROM quarantine WHERE source LIKE "
		    "'%04-not-eforms.xml' AND length(head) > 0") == 1);
	/* The same files again: nothing is read twice. */
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_rejected == 0 && e.in.counts.notices_new == 0 &&
	      e.in.counts.notices_unchanged == 0);
	/* A bad file that is fixed is read again, and stored. */
	copy_fixture(&e, "E3_minimal.xml", "in/03-malformed.xml");
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 1);
	teardown(&e);
}

static void
test_garbage_and_missing_at_urls(void)
{
	struct env e;
	char url[HTTPD_URL_MAX];
	struct feed_config f = { .name = "bad", .kind = FEED_EFORMS };

	setup(&e);
	f.url = httpd_url(&e.srv, "/garbage", url);
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_rejected == 1);
	f.url = httpd_url(&e.srv, "/big/100000", url);
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(db_query(e.db, "SELECT count(*) FROM quarantine WHERE reason LIKE "
		    "'%larger than the limit%'") == 1);
	f.url = httpd_url(&e.srv, "/missing.xml", url);
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(db_query(e.db, "SELECT count(*) FROM quarantine WHERE reason LIKE "
		    "'%HTTP 404%'") == 1);
	CHECK(db_query(e.db, "SELECT count(*) FROM quarantine") == 3);
	teardown(&e);
}

static void
test_rss_entries(void)
{
	struct env e;
	char url[HTTPD_URL_MAX], base[HTTPD_URL_MAX], rss[5 * HTTPD_URL_MAX + 1024];
	struct feed_config f = { .name = "kommun", .kind = FEED_RSS };

	setup(&e);
	root_dir(&e, "notices");
	copy_fixture(&e, "E3_minimal.xml", "notices/e3.xml");
	httpd_url(&e.srv, "", base);
	snprintf(rss, sizeof rss,
		 "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		 "<rss version=\"2.0\"><channel><title>Upphandlingar</title>\n"
		 "<link>%s/</link>\n"
		 "<item><title>Lokalvård</title><link>%s/notices/e3.xml</link>"
		 "<guid>urn:kommun:1</guid></item>\n"
		 "<item><title>Informationsmöte om snöröjning</title>"
		 "<link>%s/page.html</link><guid>urn:kommun:2</guid>"
		 "<pubDate>Tue, 24 Nov 2026 08:00:00 +0100</pubDate>"
		 "<description>Välkommen!</description></item>\n"
		 "<item><title>Borttagen</title><link>%s/notices/gone.xml</link>"
		 "<guid>urn:kommun:3</guid></item>\n"
		 "</channel></rss>\n", base, base, base, base);
	root_file(&e, "rss.xml", rss);
	f.url = httpd_url(&e.srv, "/rss.xml", url);
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 2);
	CHECK(e.in.counts.notices_rejected == 1);
	CHECK(db_query(e.db, "SELECT count(*) FROM notice WHERE kind = 'competition' AND "
		    "notice_id = 'urn:kommun:2' AND published = '2026-11-24' AND "
		    "url LIKE 'http://127.0.0.1:%/page.html' AND "
		    "description = 'Välkommen!'") == 1);
	CHECK(db_query(e.db, "SELECT count(*) FROM notice WHERE subtype = 'E3'") == 1);
	CHECK(db_query(e.db, "SELECT count(*) FROM quarantine WHERE source LIKE "
		    "'%/notices/gone.xml' AND reason LIKE '%HTTP 404%'") == 1);
	/* Read through once: the feed is asked conditionally, and answers 304. */
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 0 && e.in.counts.notices_rejected == 0);
	CHECK(logged(&e, "GET\t/rss.xml\t\"") == 1);
	CHECK(logged(&e, "GET\t/notices/e3.xml") == 1);
	teardown(&e);
}

/*
 * A TED feed against the mock API: notices are root/ted-notices/PUB.xml,
 * published on the dates given (PUB=YYYY-MM-DD, ...); the poll's clock
 * (1795000000) is 18 November 2026.
 */
static struct feed_config
ted_setup(struct env *e, char url[HTTPD_URL_MAX], char tmpl[HTTPD_URL_MAX])
{
	struct feed_config f = {
		.name = "ted", .kind = FEED_TED, .query = "buyer-country=SWE",
		.page_size = 2, .max_pages = 10, .first_days = 28, .rate = 100,
	};

	setup(e);
	root_dir(e, "ted-notices");
	f.url = httpd_url(&e->srv, "/ted", url);
	f.notice_url = httpd_url(&e->srv, "/ted-notices/{id}.xml", tmpl);
	return f;
}

/* Publishes notices: "PUB FIXTURE DATE" a line. */
static void
ted_publish(struct env *e, const char *lines)
{
	char pub[32], fixture[64], day[16], as[64], path[PATH_MAX * 2];
	char *dates = NULL, *old;
	struct buf json;
	const char *p;
	int n;

	snprintf(path, sizeof path, "%s/ted-notices/dates.json", e->root);
	buf_init(&json, 0);
	old = read_text(path);
	buf_adds(&json, old ? old : "{}");
	free(old);
	json.len--;	/* the closing brace */
	for (p = lines; sscanf(p, "%31s %63s %15s%n", pub, fixture, day, &n) == 3; p += n) {
		snprintf(as, sizeof as, "ted-notices/%s.xml", pub);
		copy_fixture(e, fixture, as);
		buf_printf(&json, "%s\"%s\": \"%s+01:00\"", json.len > 1 ? ", " : "",
			   pub, day);
	}
	buf_adds(&json, "}");
	write_text(path, buf_str(&json));
	free(dates);
	buf_release(&json);
}

/* A search body the mock API refuses with 400, saying want. */
static void
check_ted_refuses(struct env *e, const char *base, const char *body,
		  const char *want)
{
	char url[HTTPD_URL_MAX + 32], err[512];
	struct fetch_response r;

	snprintf(url, sizeof url, "%s%s", base, TED_SEARCH_PATH);
	fetch_response_init(&r, 64 * 1024);
	CHECK(fetch_http(&(struct fetch_request){ .url = url, .post_body = body,
			 .content_type = "application/json" }, &e->fp.fetch, &r,
			 err, sizeof err) == FETCH_PERMFAIL);
	CHECK(r.status == 400 && strstr(buf_str(&r.body), want) != NULL);
	fetch_response_release(&r);
}

static void
test_ted_search(void)
{
	struct env e;
	char url[HTTPD_URL_MAX], tmpl[HTTPD_URL_MAX];
	struct feed_config f = ted_setup(&e, url, tmpl);

	ted_publish(&e, "100001-2026 cn_24_minimal.xml 2026-11-16\n"
		    "100002-2026 cn_24_open.xml 2026-11-16\n"
		    "100003-2026 E3_minimal.xml 2026-11-17\n");
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 3);
	CHECK(logged(&e, "POST\t/ted/v3/notices/search") == 2);
	CHECK(logged(&e, "GET\t/ted-notices/") == 3);
	/* Published notices never change: the next poll fetches none. */
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 0);
	CHECK(logged(&e, "GET\t/ted-notices/") == 3);
	/* The mock is as strict as TED: keys it does not know, an ASC. */
	check_ted_refuses(&e, url, "{\"query\": \"buyer-country=SWE\", \"fields\": "
			  "[\"links\"], \"sortField\": \"publication-date\"}",
			  "Unrecognized field \\\"sortField\\\"");
	check_ted_refuses(&e, url, "{\"query\": \"buyer-country=SWE SORT BY "
			  "publication-date ASC\", \"fields\": [\"links\"]}",
			  "extraneous input 'ASC'");
	check_ted_refuses(&e, url, "{\"query\": \"buyer-country=SWE\", \"fields\": "
			  "[\"links\"], \"limit\": 500}", "limit: must be less");
	/* TED's reason for a 400 is the poll's error, not only "HTTP 400". */
	f.query = "buyer-country=SE";
	CHECK(poll(&e, &f) == FEED_FAILED);
	CHECK(strstr(e.err, "TED refused the query: Unsupported value 'SE' "
		     "for field 'buyer-country' (HTTP 400)") != NULL);
	teardown(&e);
}

/*
 * TED answers oldest first unless told: a poll that starts at page one
 * of the whole archive reads notices of 2015 in the old format and never
 * a new one. The feed reads newest first from a window of recent days,
 * a poll cut short leaves the rest for the next, and the window then
 * moves to the newest day read, less one for notices published late.
 */
static void
test_ted_newest_first_from_mark(void)
{
	struct env e;
	char url[HTTPD_URL_MAX], tmpl[HTTPD_URL_MAX];
	struct feed_config f = ted_setup(&e, url, tmpl);

	f.page_size = 2;
	f.max_pages = 1;
	root_file(&e, "ted-notices/100-2015.xml", "<TED_EXPORT/>");
	root_file(&e, "ted-notices/101-2015.xml", "<TED_EXPORT/>");
	root_file(&e, "ted-notices/dates.json", "{\"100-2015\": \"2015-01-05+01:00\", "
		  "\"101-2015\": \"2015-01-06+01:00\"}");
	ted_publish(&e, "200001-2026 cn_24_minimal.xml 2026-11-10\n"
		    "200002-2026 cn_24_open.xml 2026-11-12\n"
		    "200003-2026 E3_minimal.xml 2026-11-17\n");
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 2 && e.in.counts.notices_rejected == 0);
	CHECK(logged(&e, "GET\t/ted-notices/200003-2026.xml") == 1);
	CHECK(logged(&e, "GET\t/ted-notices/200002-2026.xml") == 1);
	CHECK(logged(&e, "-2015.xml") == 0);
	/* cut short by max_pages: 10 to 12 November is still to read */
	CHECK(db_query(e.db, "SELECT window_lo || '/' || window_hi || '/' || "
		       "window_top = '20261021/20261112/20261117' FROM feed_state") == 1);
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 1);
	CHECK(logged(&e, "GET\t/ted-notices/200001-2026.xml") == 1);
	CHECK(db_query(e.db, "SELECT window_lo = '20261116' AND window_hi IS NULL "
		       "FROM feed_state") == 1);
	/* One published late on the 17th and one on the 18th are found. */
	ted_publish(&e, "200010-2026 cn_24_minimal.xml 2026-11-17\n"
		    "200011-2026 cn_24_open.xml 2026-11-18\n");
	f.max_pages = 5;
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(logged(&e, "GET\t/ted-notices/200010-2026.xml") == 1);
	CHECK(logged(&e, "GET\t/ted-notices/200011-2026.xml") == 1);
	CHECK(logged(&e, "GET\t/ted-notices/") == 5);
	CHECK(db_query(e.db, "SELECT count(*) FROM quarantine") == 0);
	CHECK(db_query(e.db, "SELECT window_lo = '20261117' FROM feed_state") == 1);
	teardown(&e);
}

/* A page token TED no longer knows: the walk goes on below what it read. */
static void
test_ted_token_expires(void)
{
	struct env e;
	char url[HTTPD_URL_MAX], tmpl[HTTPD_URL_MAX];
	struct feed_config f = ted_setup(&e, url, tmpl);

	f.rate = 4;
	root_file(&e, "ted-mock.json", "{\"token_ttl\": 0.1}");
	ted_publish(&e, "200001-2026 cn_24_minimal.xml 2026-11-10\n"
		    "200002-2026 cn_24_open.xml 2026-11-12\n"
		    "200003-2026 E3_minimal.xml 2026-11-17\n");
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 3);
	CHECK(logged(&e, "POST\t/ted/v3/notices/search\t-\t-\t400") == 1);
	CHECK(logged(&e, "POST\t/ted/v3/notices/search\t-\t-\t200") == 2);
	teardown(&e);
}

/*
 * A 403 or 404 on a notice's XML (TED's firewall, a notice not yet
 * served) is not the notice's fault: it waits, is tried again with a
 * doubling backoff, and shows in status; only after three days is it
 * given up and quarantined.
 */
static void
test_ted_refused_notice_waits(void)
{
	struct env e;
	char url[HTTPD_URL_MAX], tmpl[HTTPD_URL_MAX], *out = NULL;
	struct feed_config f = ted_setup(&e, url, tmpl);
	struct config *cfg = config_new();
	size_t outlen;
	FILE *mem;
	int troubled;

	root_file(&e, "ted-mock.json", "{\"fail\": {\"200002-2026\": [403, 403], "
		  "\"200003-2026\": [404, 404, 404, 404, 404, 404, 404, 404, "
		  "404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]}}");
	ted_publish(&e, "200001-2026 cn_24_minimal.xml 2026-11-10\n"
		    "200002-2026 cn_24_open.xml 2026-11-12\n"
		    "200003-2026 E3_minimal.xml 2026-11-17\n");
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 1);
	CHECK(db_query(e.db, "SELECT count(*) FROM quarantine") == 0);
	CHECK(db_query(e.db, "SELECT count(*) FROM feed_pending") == 2);
	cfg->feeds = &f;
	cfg->nfeeds = 1;
	CHECK((mem = open_memstream(&out, &outlen)) != NULL);
	CHECK(health_print(e.store, cfg, e.in.now, mem, &troubled) == 0);
	fclose(mem);
	CHECK(out && strstr(out, "\n  2 notices to fetch again, waiting since ") &&
	      strstr(out, "HTTP 40"));
	free(out);
	cfg->feeds = NULL;
	cfg->nfeeds = 0;
	config_free(cfg);
	/* not due yet: nothing is asked again */
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(logged(&e, "GET\t/ted-notices/200002-2026.xml") == 1);
	/* due after a minute, refused once more, then after two it comes */
	e.in.now += 60;
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(logged(&e, "GET\t/ted-notices/200002-2026.xml") == 2);
	CHECK(e.in.counts.notices_new == 0);
	e.in.now += 120;
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 1);
	CHECK(logged(&e, "GET\t/ted-notices/200002-2026.xml") == 3);
	CHECK(db_query(e.db, "SELECT count(*) FROM feed_pending") == 1);
	CHECK(db_query(e.db, "SELECT count(*) FROM quarantine") == 0);
	/* three days of 404: given up, and quarantined with the reason */
	e.in.now += 3 * 86400;
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(db_query(e.db, "SELECT count(*) FROM feed_pending") == 0);
	CHECK(db_query(e.db, "SELECT count(*) FROM quarantine WHERE reason LIKE "
		       "'given up after 4 attempts since %HTTP 404'") == 1);
	teardown(&e);
}

/* A 429 stops the poll at once; the feed waits as long as TED asks. */
static void
test_ted_429_stops_the_poll(void)
{
	struct env e;
	char url[HTTPD_URL_MAX], tmpl[HTTPD_URL_MAX];
	struct feed_config f = ted_setup(&e, url, tmpl);

	f.page_size = 1;
	root_file(&e, "ted-mock.json", "{\"throttle_after\": 1, \"retry_after\": \"120\"}");
	ted_publish(&e, "200001-2026 cn_24_minimal.xml 2026-11-10\n"
		    "200002-2026 cn_24_open.xml 2026-11-12\n"
		    "200003-2026 E3_minimal.xml 2026-11-17\n");
	CHECK(poll(&e, &f) == FEED_FAILED);
	CHECK(e.retry_after == 120);
	CHECK(strstr(e.err, "TED asks to wait 120 s (HTTP 429") != NULL);
	CHECK(e.in.counts.notices_new == 1);
	CHECK(logged(&e, "POST\t/ted/v3/notices/search") == 2);
	/* what it read is kept: the rest is below the 17th */
	CHECK(db_query(e.db, "SELECT window_hi = '20261117' FROM feed_state") == 1);
	teardown(&e);
}

/* Requests to TED are paced at the feed's rate: TED's limit is not hit. */
static void
test_ted_paced(void)
{
	struct env e;
	char url[HTTPD_URL_MAX], tmpl[HTTPD_URL_MAX];
	struct feed_config f = ted_setup(&e, url, tmpl);
	struct timespec t0, t1;
	double took;

	f.page_size = 10;
	f.rate = 4;
	root_file(&e, "ted-mock.json", "{\"rate_limit\": 5}");
	ted_publish(&e, "200001-2026 cn_24_minimal.xml 2026-11-10\n"
		    "200002-2026 cn_24_open.xml 2026-11-12\n"
		    "200003-2026 E3_minimal.xml 2026-11-13\n"
		    "200004-2026 cn_24_minimal.xml 2026-11-14\n"
		    "200005-2026 cn_24_open.xml 2026-11-15\n"
		    "200006-2026 E3_minimal.xml 2026-11-16\n");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(poll(&e, &f) == FEED_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	CHECK(e.in.counts.notices_new + e.in.counts.notices_unchanged == 6);
	CHECK(logged(&e, "\t429") == 0);
	/* seven requests, a quarter of a second apart */
	CHECK(took >= 1.45 && took < 5);
	teardown(&e);
}

static void
test_hanging_feed_does_not_stop_the_others(void)
{
	struct env e;
	char url1[HTTPD_URL_MAX], url2[HTTPD_URL_MAX], maildir[PATH_MAX + 16];
	struct feed_config feeds[2] = {
		{ .name = "hangs", .kind = FEED_EFORMS, .interval = 3600 },
		{ .name = "works", .kind = FEED_EFORMS, .interval = 3600 },
	};
	struct config *cfg = config_new();
	struct run_summary sum = { 0 };
	struct mailer_options mo = { .transport = TRANSPORT_MAILDIR };
	struct run_context ctx = { .now = 1795000000, .all_feeds = 1 };
	static const unsigned char secret[TOKEN_SECRET_LEN] = { 7 };
	struct alert_templates *templates = NULL;
	struct token_key *key = NULL;
	time_t started = time(NULL);

	setup(&e);
	copy_fixture(&e, "cn_24_minimal.xml", "cn.xml");
	feeds[0].url = httpd_url(&e.srv, "/hang", url1);
	feeds[1].url = httpd_url(&e.srv, "/cn.xml", url2);
	snprintf(maildir, sizeof maildir, "%s/mail", e.work);
	mo.maildir = maildir;
	cfg->feeds = feeds;
	cfg->nfeeds = 2;
	cfg->fetch_timeout = 1;
	cfg->fetch_connect_timeout = 1;
	ctx.cfg = cfg;
	ctx.categories = &e.categories;
	ctx.store = e.store;
	ctx.parser = e.eforms;
	ctx.syndication = e.syndication;
	ctx.mailer = mailer_new(&mo);
	CHECK(ctx.mailer != NULL);
	CHECK(alert_templates_load("templates", &templates) == 0);
	CHECK(token_key_from_bytes(secret, sizeof secret, &key) == 0);
	ctx.outbox = outbox_new(e.store, cfg, &e.categories, templates, key);
	CHECK(ctx.outbox != NULL);
	CHECK(run_pass(&ctx, &sum) == 0);
	CHECK(time(NULL) - started < 10);
	CHECK(sum.feeds == 2 && sum.feeds_failed == 1);
	CHECK(sum.in.notices_new == 1);
	CHECK(db_query(e.db, "SELECT failures FROM feed_state WHERE feed = 'hangs'") == 1);
	CHECK(db_query(e.db, "SELECT next_poll - last_poll FROM feed_state WHERE "
		    "feed = 'hangs'") == 60);
	CHECK(db_query(e.db, "SELECT count(*) FROM feed_state WHERE feed = 'hangs' "
		    "AND last_error LIKE '%timed out%'") == 1);
	CHECK(db_query(e.db, "SELECT next_poll - last_poll FROM feed_state WHERE "
		    "feed = 'works' AND failures = 0 AND last_error IS NULL") == 3600);
	/* Not due yet: a pass that is not --once leaves both alone. */
	ctx.all_feeds = 0;
	ctx.now += 30;
	memset(&sum, 0, sizeof sum);
	CHECK(run_pass(&ctx, &sum) == 0);
	CHECK(sum.feeds == 0 && sum.feeds_waiting == 2);
	outbox_free(ctx.outbox);
	token_key_free(key);
	alert_templates_free(templates);
	mailer_free(ctx.mailer);
	cfg->feeds = NULL;
	cfg->nfeeds = 0;
	config_free(cfg);
	teardown(&e);
}

int
main(void)
{
	RUN(test_url_conditional_get);
	RUN(test_recovers_after_server_errors);
	RUN(test_quarantine_every_bad_input);
	RUN(test_garbage_and_missing_at_urls);
	RUN(test_rss_entries);
	RUN(test_ted_search);
	RUN(test_ted_newest_first_from_mark);
	RUN(test_ted_token_expires);
	RUN(test_ted_refused_notice_waits);
	RUN(test_ted_429_stops_the_poll);
	RUN(test_ted_paced);
	RUN(test_hanging_feed_does_not_stop_the_others);
	return test_done("feed");
}
