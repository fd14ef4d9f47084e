/*
 * Feeds against a real HTTP server on loopback (tests/httpd.py): eForms
 * at a URL with conditional GET, a directory, RSS with XML and page links,
 * the TED search API, server errors and recovery, hanging servers, and the
 * quarantine of every kind of bad input.
 */
#define _XOPEN_SOURCE 700

#include <sqlite3.h>

#include "feed.h"
#include "run.h"
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
	CHECK(db_query(e.db, "SELECT count(*) FROM notice WHERE kind = 'other' AND "
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

static void
test_ted_search(void)
{
	struct env e;
	char url[HTTPD_URL_MAX], tmpl[HTTPD_URL_MAX];
	struct feed_config f = {
		.name = "ted", .kind = FEED_TED,
		.query = "buyer-country=SWE", .page_size = 2, .max_pages = 10,
	};

	setup(&e);
	root_dir(&e, "ted-notices");
	copy_fixture(&e, "cn_24_minimal.xml", "ted-notices/100001-2026.xml");
	copy_fixture(&e, "cn_24_open.xml", "ted-notices/100002-2026.xml");
	copy_fixture(&e, "E3_minimal.xml", "ted-notices/100003-2026.xml");
	f.url = httpd_url(&e.srv, "/ted", url);
	f.notice_url = httpd_url(&e.srv, "/ted-notices/{id}.xml", tmpl);
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 3);
	CHECK(logged(&e, "POST\t/ted/v3/notices/search") == 2);
	CHECK(logged(&e, "GET\t/ted-notices/") == 3);
	/* Published notices never change: the next poll fetches none. */
	CHECK(poll(&e, &f) == FEED_OK);
	CHECK(e.in.counts.notices_new == 0);
	CHECK(logged(&e, "POST\t/ted/v3/notices/search") == 4);
	CHECK(logged(&e, "GET\t/ted-notices/") == 3);
	/* An API error fails the poll and says why. */
	f.query = "bad query";
	CHECK(poll(&e, &f) == FEED_FAILED);
	CHECK(strstr(e.err, "HTTP 400") != NULL);
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
	RUN(test_hanging_feed_does_not_stop_the_others);
	return test_done("feed");
}
