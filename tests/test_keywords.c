/*
 * Keyword profiles end to end: an RSS feed served over HTTP (tests/httpd.py)
 * brings a link-only entry, "Snöröjningen vid skolorna 2027", which names
 * no CPV code. `tenderlots run --once` stores it as a contract notice, splits
 * it into the category whose words it holds, and mails a `tender` alert
 * (read back with Python's email parser) to the firm with the keyword
 * "snöröjning" and to the firm of that category, each saying why by the
 * word, in the firm's language; the firm with an exclude word the entry
 * holds gets none; a firm that subscribes later hears of it by its
 * keyword in the next pass. The keyword "IT-konsult" finds "IT-konsulter"
 * and not "IT" and "Konsult" apart. The public notice list then finds it by a stemmed
 * search, in headless Chromium too, and a visitor's malformed search is
 * never a server error.
 */
#define _XOPEN_SOURCE 700

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"
#include "httpd.h"
#include "testweb.h"
#include "testsite.h"

#define NOW "2026-11-25T08:00:00Z"

static char dir[PATH_MAX], project[PATH_MAX];
static struct httpd srv = { .pid = -1 };
static struct web_server server = { .pid = -1 };
static char *mails;

static const char firms_csv[] =
	"orgnr,name,email,categories,regions,language,keywords,exclude\n"
	"556036-0793,Snöröjarna AB,info@snorojarna.example,,SE232,sv,"
	"snöröjning,\n"
	"556902-4473,Skolfria Vägar AB,info@skolfria.example,,SE232,sv,"
	"snöröjning halkbekämpning,skolorna\n"
	"559112-6833,Snow Clearing Ltd,info@snowclearing.example,,SE232,en,"
	"snöröjning,\n"
	"969781-3500,Vinterväghållarna HB,info@vinter.example,snorojning,SE232,"
	"sv,,\n"
	"556123-4567,Stockholms Snö AB,info@stocksno.example,,SE110,sv,"
	"snöröjning,\n"
	"556427-7449,Kodverket AB,info@kodverket.example,,SE232,sv,"
	"IT-konsult,\n";

static const char rss[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<rss version=\"2.0\"><channel><title>Exempelkommun</title>\n"
	"<link>%s/</link><description>Upphandlingar</description>\n"
	"<item><title>Snöröjningen vid skolorna 2027</title>"
	"<link>%s/upphandling/snow.html</link><guid>urn:kommun:snow</guid>"
	"<pubDate>Tue, 24 Nov 2026 08:00:00 +0100</pubDate>"
	"<description>Kommunen upphandlar vinterns halkbekämpning vid "
	"skolorna.</description></item>\n"
	"<item><title>Gammal annons om snöröjning</title>"
	"<link>%s/upphandling/old.html</link><guid>urn:kommun:old</guid>"
	"<pubDate>Mon, 01 Jun 2026 08:00:00 +0200</pubDate></item>\n"
	"<item><title>IT-konsulter till kommunens e-tjänster</title>"
	"<link>%s/upphandling/it.html</link><guid>urn:kommun:it</guid>"
	"<pubDate>Tue, 24 Nov 2026 09:00:00 +0100</pubDate></item>\n"
	"<item><title>Support för IT och telefoni</title>"
	"<link>%s/upphandling/tel.html</link><guid>urn:kommun:tel</guid>"
	"<pubDate>Tue, 24 Nov 2026 10:00:00 +0100</pubDate>"
	"<description>Konsult sökes.</description></item>\n"
	"</channel></rss>\n";

/* A city's own listing of planned procurements, performed in Stockholm. */
static const char city_rss[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<rss version=\"2.0\"><channel><title>Stockholms stad</title>\n"
	"<link>%s/</link><description>Planerade upphandlingar</description>\n"
	"<item><title>Snöröjning av cykelbanor 2027</title>"
	"<link>%s/stad/cykel.html</link><guid>urn:stad:cykel</guid>"
	"<pubDate>Tue, 24 Nov 2026 09:00:00 +0100</pubDate>"
	"<description>Staden planerar att upphandla snöröjning av "
	"cykelbanor.</description></item>\n"
	"</channel></rss>\n";

static void
setup(void)
{
	char path[PATH_MAX * 2], url[HTTPD_URL_MAX], city[HTTPD_URL_MAX];
	char text[16384], base[HTTPD_URL_MAX];
	char *slash;

	CHECK(site_dir(dir, project, "test_keywords", "", firms_csv, NOW) == 0);
	snprintf(path, sizeof path, "%s/www", dir);
	CHECK(mkdir(path, 0700) == 0);
	CHECK(httpd_start(path, &srv) == 0);
	httpd_url(&srv, "/", base);
	if ((slash = strrchr(base, '/')))
		*slash = '\0';
	snprintf(text, sizeof text, rss, base, base, base, base, base);
	snprintf(path, sizeof path, "%s/www/rss.xml", dir);
	write_text(path, text);
	snprintf(text, sizeof text, city_rss, base, base);
	snprintf(path, sizeof path, "%s/www/city.xml", dir);
	write_text(path, text);
	snprintf(path, sizeof path, "%s/feeds.conf", dir);
	httpd_url(&srv, "/city.xml", city);
	snprintf(text, sizeof text, "[kommun]\nkind = rss\nurl = %s\n"
		 "interval = 1h\n\n[stad]\nkind = rss\nurl = %s\n"
		 "interval = 1h\nentries = planned\nregion = 0180\n"
		 "buyer = Stockholms stad\n",
		 httpd_url(&srv, "/rss.xml", url), city);
	write_text(path, text);
	CHECK(tl_run(dir, NOW, "run --once -c tenderlots.conf") == 0);
	snprintf(path, sizeof path, "'%s'/var/mail/new/*", dir);
	mails = mailcheck(project, path, dir);
	CHECK(mails != NULL);
}

/* The keyword's firm is mailed a tender alert naming the word. */
static void
test_keyword_mail(void)
{
	char *m = mail_to(mails, "info@snorojarna.example", "Snöröjningen");

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK(strstr(m, "header Subject: Ny upphandling: Snöröjningen vid "
		     "skolorna 2027\n") != NULL);
	CHECK(strstr(m, "Därför får ni detta: Matchar ert sökord ”snöröjning” "
		     "(”Snöröjningen” i titeln)") != NULL);
	CHECK(strstr(m, "defects: 0\n") != NULL);
	free(m);
	m = mail_to(mails, "info@snowclearing.example", "Snöröjningen");
	CHECK(m && strstr(m, "header Subject: New tender: Snöröjningen vid "
			  "skolorna 2027\n"));
	CHECK(m && strstr(m, "Matches your keyword “snöröjning” "
			  "(“Snöröjningen” in the title)"));
	free(m);
}

/*
 * The keyword "IT-konsult", as the register has it, finds "IT-konsulter"
 * and the mail quotes it as the title writes it; "IT" and "Konsult" apart
 * are not it.
 */
static void
test_hyphenated_mail(void)
{
	char *m = mail_to(mails, "info@kodverket.example", "IT-konsulter");

	CHECK(m && strstr(m, "Därför får ni detta: Matchar ert sökord "
			  "”it-konsult” (”IT-konsulter” i titeln)"));
	CHECK(m && strstr(m, "defects: 0\n"));
	free(m);
	m = mail_to(mails, "info@kodverket.example", "telefoni");
	CHECK(m == NULL);
	free(m);
}

/* The category's firm hears of it through the category's word. */
static void
test_category_word_mail(void)
{
	char *m = mail_to(mails, "info@vinter.example", "Snöröjningen");

	CHECK(m != NULL);
	CHECK(m && strstr(m, "Matchar er kategori Snöröjning och halkbekämpning "
			  "(ordet ”snöröjning”)"));
	free(m);
}

/*
 * The exclude word vetoes it; an entry published more than 60 days ago is
 * no news to anyone.
 */
static void
test_exclude_and_old(void)
{
	char path[PATH_MAX * 2];
	char *m = mail_to(mails, "info@skolfria.example", "Snöröjningen");

	CHECK(m == NULL);
	free(m);
	CHECK(strstr(mails, "Gammal annons") == NULL);
	snprintf(path, sizeof path, "%s/var/t.db", dir);
	CHECK(db_query(path, "SELECT count(*) FROM match m JOIN firm f ON"
		       " f.id = m.firm WHERE f.orgnr = '556902-4473'") == 0);
	CHECK(db_query(path, "SELECT count(*) FROM notice WHERE kind ="
		       " 'competition' AND subtype = 'link'") == 4);
	CHECK(db_query(path, "SELECT count(*) FROM match WHERE notice_id ="
		       " 'urn:kommun:old'") == 0);
}

/*
 * A feed's own settings and the words together: the city's entry is a
 * planned procurement performed in Stockholm, so only the Stockholm firm
 * with the word hears of it, as an early mail that says what is not known
 * and asks whether it was relevant; the firms of the same word elsewhere
 * do not (an entry of a feed without a region reaches them all).
 */
static void
test_feed_region_and_kind(void)
{
	char *m = mail_to(mails, "info@stocksno.example", "cykelbanor");

	CHECK(m && strstr(m, "header Subject: Planerad upphandling: Snöröjning "
			  "av cykelbanor 2027\n"));
	CHECK(m && strstr(m, "Matchar ert sökord ”snöröjning” (”Snöröjning” i "
			  "titeln)"));
	CHECK(m && strstr(m, "Stockholms stad"));
	CHECK(m && strstr(m, "Det här vet vi inte:"));
	CHECK(m && strstr(m, "Relevant: "));
	free(m);
	m = mail_to(mails, "info@snorojarna.example", "cykelbanor");
	CHECK(m == NULL);
	free(m);
	m = mail_to(mails, "info@vinter.example", "cykelbanor");
	CHECK(m == NULL);
	free(m);
}

/* A firm that subscribes later is matched by its keyword in the next pass. */
static void
test_late_subscriber(void)
{
	char path[PATH_MAX * 2], *all, *m;

	snprintf(path, sizeof path, "%s/late.csv", dir);
	write_text(path, "orgnr,name,email,regions,keywords\n"
		   "556100-1230,Sen Halka AB,info@senhalka.example,SE232,"
		   "halkbekämpning\n");
	CHECK(tl_run(dir, NOW, "firm import -c tenderlots.conf late.csv") == 0);
	CHECK(tl_run(dir, NOW, "run --once -c tenderlots.conf") == 0);
	snprintf(path, sizeof path, "'%s'/var/mail/new/*", dir);
	all = mailcheck(project, path, dir);
	m = all ? mail_to(all, "info@senhalka.example", "Snöröjningen") : NULL;
	CHECK(m && strstr(m, "Matchar ert sökord ”halkbekämpning” "
			  "(”halkbekämpning” i beskrivningen)"));
	free(m);
	free(all);
}

static long
get(const char *path, struct reply *r)
{
	char url[2048];

	snprintf(url, sizeof url, "%s%s", server.base, path);
	fetch(url, NULL, 0, NULL, r);
	return r->status;
}

/* The notice list's search finds the notice by another form of a word. */
static void
test_search(void)
{
	struct reply r;

	CHECK(get("/notices?q=sn%C3%B6r%C3%B6jning", &r) == 200);
	CHECK(strstr(buf_str(&r.body), "Snöröjningen vid skolorna 2027") != NULL);
	CHECK(strstr(buf_str(&r.body), "value=\"snöröjning\"") != NULL);
	release(&r);
	/* the compound rule: the start of a longer word */
	CHECK(get("/notices?q=halkbek%C3%A4mp", &r) == 200);
	CHECK(strstr(buf_str(&r.body), "Snöröjningen vid skolorna 2027") != NULL);
	release(&r);
	CHECK(get("/notices?q=f%C3%B6nsterputs&lang=en", &r) == 200);
	CHECK(strstr(buf_str(&r.body), "Snöröjningen vid skolorna") == NULL);
	CHECK(strstr(buf_str(&r.body), "No current procurement matches "
		     "“fönsterputs”") != NULL);
	release(&r);
}

/* What FTS5 would read as syntax is a visitor's words, shown escaped. */
static void
test_search_malformed(void)
{
	static const char *const bad[] = {
		"%22", "%22%29%28*", "NEAR%28", "a%20OR", "*", "%5E", "%3Cscript%3E",
		"title%3Asn%C3%B6", "%C3%28", "-",
	};
	struct reply r;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		char path[256];
		long st;

		snprintf(path, sizeof path, "/notices?q=%s", bad[i]);
		st = get(path, &r);
		CHECK(st == 200 || st == 400);
		if (st != 200 && st != 400)
			fprintf(stderr, "  %s: %ld\n", path, st);
		if (i == 6)
			CHECK(strstr(buf_str(&r.body), "<script>") == NULL &&
			      strstr(buf_str(&r.body), "&lt;script&gt;") != NULL);
		release(&r);
	}
}

/* A person types the word in the search box in Chromium. */
static void
test_browser_search(void)
{
	char url[1280], *dom;

	snprintf(url, sizeof url, "%s/notices", server.base);
	dom = browser_dom(project, dir, url,
			  "document.getElementById('q').value = 'Snöröjning';\n"
			  "document.forms[0].requestSubmit();");
	CHECK(dom && strstr(dom, "Upphandlingar som matchar ”Snöröjning”"));
	CHECK(dom && strstr(dom, "Snöröjningen vid skolorna 2027"));
	free(dom);
}

/*
 * A notice that the next pass ingests while the web endpoint runs is found
 * by the public list's search as soon as that pass is done, by a word of
 * its description.
 */
static void
test_search_after_pass(void)
{
	char path[PATH_MAX * 2], text[16384], base[HTTPD_URL_MAX], *slash;
	struct reply r;

	CHECK(get("/notices?q=takt%C3%A4ckning", &r) == 200);
	CHECK(strstr(buf_str(&r.body), "Takbyte på Norra skolan") == NULL);
	release(&r);
	httpd_url(&srv, "/", base);
	if ((slash = strrchr(base, '/')))
		*slash = '\0';
	snprintf(text, sizeof text, rss, base, base, base, base, base);
	CHECK((slash = strstr(text, "</channel>")) != NULL);
	if (slash)
		snprintf(slash, sizeof text - (size_t)(slash - text),
			 "<item><title>Takbyte på Norra skolan</title>"
			 "<link>%s/upphandling/tak.html</link>"
			 "<guid>urn:kommun:tak</guid>"
			 "<pubDate>Wed, 25 Nov 2026 08:00:00 +0100</pubDate>"
			 "<description>Taktäckning och snöröjning av taket."
			 "</description></item>\n</channel></rss>\n", base);
	snprintf(path, sizeof path, "%s/www/rss.xml", dir);
	write_text(path, text);
	CHECK(tl_run(dir, "2026-11-25T10:00:00Z",
		     "run --once -c tenderlots.conf") == 0);
	CHECK(get("/notices?q=takt%C3%A4ckningen", &r) == 200);
	CHECK(strstr(buf_str(&r.body), "Takbyte på Norra skolan") != NULL);
	release(&r);
}

int
main(void)
{
	int rc;

	if (!getcwd(project, sizeof project))
		return 2;
	setenv("TZ", "Europe/Stockholm", 1);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	setup();
	RUN(test_keyword_mail);
	RUN(test_hyphenated_mail);
	RUN(test_category_word_mail);
	RUN(test_exclude_and_old);
	RUN(test_feed_region_and_kind);
	RUN(test_late_subscriber);
	if (web_server_start(&server, dir, "tenderlots.conf", NOW, NULL) < 0) {
		fprintf(stderr, "the web endpoint did not start\n");
		return 1;
	}
	RUN(test_search);
	RUN(test_search_malformed);
	RUN(test_browser_search);
	RUN(test_search_after_pass);
	CHECK(web_server_stop(&server) == 0);
	httpd_stop(&srv);
	free(mails);
	rc = test_done("keywords");
	curl_global_cleanup();
	rm_rf(dir);
	return rc;
}
