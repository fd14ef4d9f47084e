/*
 * The Swedish notice databases through the real binary: the rss and atom
 * feeds' keys for link-only entries (entries, region, buyer, language)
 * and config check's errors naming file, line and key; an entry of an RSS
 * feed served by tests/httpd.py stored with its feed's kind, place, buyer
 * and language; the unit's own notice added by its link on the command
 * line (previewed, checked, a link twice refused naming the stored one),
 * mailed saying what is known of it and what is not (read by Python's
 * email package, Swedish and English), listed on the public pages and the
 * Atom feed, and withdrawn with a mail that says why; and the same added
 * on the unit's staff page in headless Chromium (tests/browser.py), with
 * a field's fault shown on the form and what was typed kept.
 */
#define _XOPEN_SOURCE 700

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"
#include "testutil.h"
#include "testweb.h"
#include "testsite.h"
#include "testdb.h"
#include "httpd.h"

#define NOW "2026-11-25T08:00:00Z"
#define LATER "2026-11-26T08:00:00Z"
#define PASSWORD "korrekt häst batteri"
#define LINK "https://www.e-avrop.com/exempelkommun/e-Upphandling/Annons.aspx?id=4711"

static char project[PATH_MAX], dir[PATH_MAX], db[PATH_MAX + 16];

/* Two snow clearers (one reads English) by CPV, a painter by category. */
static const char firms_csv[] =
	"orgnr,name,email,categories,cpv,regions,language\n"
	"556429-0616,Snö & Park i Väst AB,info@snopark.example,,90620000,"
	"SE232,sv\n"
	"556734-2182,Berglunds Måleri AB,info@berglunds-maleri.example,"
	"maleri,,SE232,sv\n"
	"559112-6833,Nordic Snow Services AB,bids@nordicsnow.example,,"
	"90620000,SE,en\n";

static int
tl(const char *args)
{
	return tl_run(dir, NOW, args);
}

static void
put(const char *name, const char *text)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	write_text(path, text);
}

static char *
file_in(const char *name)
{
	return read_in(dir, name);
}

/* The mails of the Maildir, as Python's email package reads them. */
static char *
mails(void)
{
	char files[PATH_MAX + 32];

	snprintf(files, sizeof files, "'%s'/var/mail/new/*", dir);
	return mailcheck(project, files, dir);
}

static void
setup(void)
{
	char cmd[PATH_MAX + 256];

	CHECK(site_dir(dir, project, "test_sources", "", firms_csv, NOW) == 0);
	snprintf(db, sizeof db, "%s/var/t.db", dir);
	/* the municipality is the unit's: its own notices are its buyer's */
	snprintf(cmd, sizeof cmd, "sed -i -e 's/^\\[service\\]$/&\\n"
		 "own_buyers = 212000-9994\\nname = Exempelkommun/' "
		 "'%s/tenderlots.conf'", dir);
	CHECK(system(cmd) == 0);
}

/* config check says which feed, line and key is wrong. */
static void
test_feed_keys(void)
{
	char *err;

	put("feeds.conf", "[local]\nkind = eforms\nurl = feeds\n"
	    "[kommun]\nkind = rss\nurl = https://www.exempelkommun.se/rss\n"
	    "entries = planned\nregion = 1480 se232\nbuyer = Exempelkommun\n"
	    "language = sv\n");
	CHECK(tl("config check -c tenderlots.conf") == 0);
	put("feeds.conf", "[local]\nkind = eforms\nurl = feeds\n"
	    "buyer = Exempelkommun\n");
	CHECK(tl("config check -c tenderlots.conf") == 1);
	err = file_in("err.txt");
	CHECK(err && strstr(err, "feeds.conf:4: [local] buyer: only an rss or "
			    "atom feed has link-only entries"));
	free(err);
	put("feeds.conf", "[kommun]\nkind = atom\n"
	    "url = https://www.exempelkommun.se/atom\nregion = 1480 SE999\n");
	CHECK(tl("config check -c tenderlots.conf") == 1);
	err = file_in("err.txt");
	CHECK(err && strstr(err, "feeds.conf:4: [kommun] region: 'SE999' is "
			    "not a NUTS code (SE232) or a municipality code "
			    "(1480)"));
	free(err);
	put("feeds.conf", "[kommun]\nkind = rss\n"
	    "url = https://www.exempelkommun.se/rss\nentries = bids\n"
	    "language = de\n");
	CHECK(tl("config check -c tenderlots.conf") == 1);
	err = file_in("err.txt");
	CHECK(err && strstr(err, "feeds.conf:4") && strstr(err, "entries") &&
	      strstr(err, "bids"));
	CHECK(err && strstr(err, "feeds.conf:5") && strstr(err, "language"));
	free(err);
	put("feeds.conf", "[local]\nkind = eforms\nurl = feeds\n");
}

/* A link-only entry carries what its feed says of it. */
static void
test_feed_entry(void)
{
	char root[PATH_MAX + 16], url[HTTPD_URL_MAX], feeds[4 * HTTPD_URL_MAX];
	char rss[4 * HTTPD_URL_MAX], *out;
	struct httpd srv;

	snprintf(root, sizeof root, "%s/www", dir);
	CHECK(mkdir(root, 0755) == 0);
	if (httpd_start(root, &srv) < 0) {
		CHECK(!"httpd started");
		return;
	}
	snprintf(rss, sizeof rss,
		 "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		 "<rss version=\"2.0\"><channel><title>Upphandlingar</title>\n"
		 "<link>https://www.exempelkommun.se/</link>\n"
		 "<item><title>Snöröjning av förskolegårdar</title>"
		 "<link>https://www.exempelkommun.se/upphandling/17</link>"
		 "<guid>urn:exempelkommun:17</guid>"
		 "<pubDate>Tue, 24 Nov 2026 08:00:00 +0100</pubDate>"
		 "<description>Planerad direktupphandling av snöröjning"
		 "</description></item>\n"
		 "</channel></rss>\n");
	put("www/rss.xml", rss);
	put("www/plain.xml", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">"
	    "<channel><title>Databas</title><link>https://db.example/</link>"
	    "<item><title>Städning</title><link>https://db.example/a/9</link>"
	    "<guid>urn:db:9</guid></item></channel></rss>\n");
	snprintf(feeds, sizeof feeds, "[kommun]\nkind = rss\nurl = %s\n"
		 "entries = planned\nregion = 1480\nbuyer = Exempelkommun\n"
		 "language = sv\n", httpd_url(&srv, "/rss.xml", url));
	snprintf(feeds + strlen(feeds), sizeof feeds - strlen(feeds),
		 "[databas]\nkind = rss\nurl = %s\n",
		 httpd_url(&srv, "/plain.xml", url));
	put("feeds.conf", feeds);
	CHECK(tl("run --once -c tenderlots.conf") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM notice WHERE notice_id ="
		       " 'urn:exempelkommun:17' AND kind = 'planning' AND"
		       " subtype = 'link' AND buyer = 'Exempelkommun' AND"
		       " language = 'SWE'") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM lot l JOIN notice n ON"
		       " n.id = l.notice WHERE n.notice_id ="
		       " 'urn:exempelkommun:17' AND l.nuts = 'SE232'") == 1);
	/* a feed that says nothing: a tender, of no known place or buyer */
	CHECK(db_query(db, "SELECT count(*) FROM notice n JOIN lot l ON"
		       " l.notice = n.id WHERE n.notice_id = 'urn:db:9' AND"
		       " n.kind = 'competition' AND n.buyer IS NULL AND"
		       " l.nuts = ''") == 1);
	CHECK(tl("notice show urn:exempelkommun:17 -c tenderlots.conf") == 0);
	out = file_in("out.txt");
	CHECK(out && strstr(out, "  planning link, version 01") &&
	      strstr(out, "buyer: Exempelkommun\n"));
	free(out);
	CHECK(httpd_stop(&srv) == 0);
	put("feeds.conf", "[local]\nkind = eforms\nurl = feeds\n");
}

#define ADD "notice add -c tenderlots.conf --url '" LINK "' " \
	"--title 'Snöröjning av skolgårdar 2026/27' " \
	"--description 'Direktupphandling av snöröjning vid fem skolor' " \
	"--cpv 90620000"

/* Added by its link: previewed, checked, stored once. */
static void
test_own_notice_cli(void)
{
	static const struct {
		const char *args, *error;
	} faults[] = {
		{ "--url http://a.example/1 --cpv 90620000",
		  "--url: 'http://a.example/1' is no https link." },
		{ "--url https://a.example/1 --categories snickeri",
		  "--categories: There is no category 'snickeri'" },
		{ "--url https://a.example/1 --cpv 90620000 --deadline 2026-11-01",
		  "--deadline: The deadline 2026-11-01 has passed." },
		{ "--url https://a.example/1 --cpv 9062",
		  "--cpv: '9062' is not a CPV code" },
		{ "--url https://a.example/1 --cpv 90620000 --value mycket",
		  "--value: 'mycket' is no amount in kronor." },
		{ "--url https://a.example/1 --cpv 90620000 --kind bid",
		  "--kind: 'bid': choose tender, planned or rfi." },
		{ "--url https://a.example/1",
		  "--categories: Give a category or a CPV code" },
	};
	char args[512], *out;
	size_t i;

	CHECK(tl(ADD " --preview") == 0);
	out = file_in("out.txt");
	CHECK_STR(out, "Snöröjning av skolgårdar 2026/27\n"
		  "  categories: snorojning\n"
		  "  2 firms to mail; nothing stored\n");
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM own_notice") == 0);
	CHECK(tl(ADD) == 0);
	out = file_in("out.txt");
	CHECK(out && strstr(out, "own-1: Snöröjning av skolgårdar 2026/27\n") &&
	      strstr(out, "  2 firms to mail with the next run\n"));
	free(out);
	/* the same link again is refused, naming the one stored */
	CHECK(tl(ADD) == 1);
	out = file_in("err.txt");
	CHECK(out && strstr(out, "--url: The link was added already: own-1 "
			    "(Snöröjning av skolgårdar 2026/27)"));
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM own_notice") == 1);
	/* each field's fault, named */
	for (i = 0; i < sizeof faults / sizeof *faults; i++) {
		snprintf(args, sizeof args, "notice add -c tenderlots.conf "
			 "--title T %s", faults[i].args);
		CHECK(tl(args) == 1);
		out = file_in("err.txt");
		CHECK(out && strstr(out, faults[i].error));
		free(out);
	}
	CHECK(db_query(db, "SELECT count(*) FROM own_notice") == 1);
	/* the municipality's own, a tender known by its link */
	CHECK(tl("notice show own-1 -c tenderlots.conf") == 0);
	out = file_in("out.txt");
	CHECK(out && strstr(out, "  competition link, version 01, own-1\n"
			    "  buyer: Exempelkommun (212000-9994)\n") &&
	      strstr(out, "  " LINK "\n"));
	free(out);
}

/* The mail says what is known and what is not, in the firm's language. */
static void
test_own_notice_mail(void)
{
	char *all, *sv, *en, *page;
	struct web_server srv;
	struct reply r;
	char url[256];

	CHECK(tl("run --once -c tenderlots.conf") == 0);
	all = mails();
	sv = all ? mail_to(all, "info@snopark.example", "Snöröjning av "
			   "skolgårdar") : NULL;
	CHECK(sv && strstr(sv, "Annonsen finns i en annonsdatabas "
			   "(www.e-avrop.com).\n"
			   "Här står bara det vi vet om den:\n"
			   "Sammanfattning: Direktupphandling av snöröjning "
			   "vid fem skolor\n"
			   "Publicerad: 25 november 2026\n"
			   "Det här vet vi inte: uppskattat värde, sista "
			   "anbudsdag och plats.\n"
			   "Läs annonsen i databasen för sista anbudsdag och "
			   "upphandlingsdokument.\n"));
	CHECK(sv && strstr(sv, "Hela annonsen: " LINK "\n"));
	CHECK(sv && strstr(sv, "Upphandlande organisation: Exempelkommun\n"));
	CHECK(sv && strstr(sv, "defects: 0\n"));
	en = all ? mail_to(all, "bids@nordicsnow.example", "Snöröjning av "
			   "skolgårdar") : NULL;
	CHECK(en && strstr(en, "The notice is in a notice database "
			   "(www.e-avrop.com).\n") &&
	      strstr(en, "Published: 25 November 2026\n") &&
	      strstr(en, "Not known: estimated value, deadline and place.\n"));
	/* the painter is not told */
	CHECK(all && !mail_to(all, "info@berglunds-maleri.example",
			      "Snöröjning av skolgårdar"));
	free(sv);
	free(en);
	free(all);
	/* on the public pages and the Atom feed */
	CHECK(web_server_start(&srv, dir, "tenderlots.conf", NOW, NULL) == 0);
	snprintf(url, sizeof url, "%s/notices", srv.base);
	fetch(url, NULL, 0, NULL, &r);
	page = strdup(buf_str(&r.body));
	CHECK(r.status == 200 && strstr(page, "Snöröjning av skolgårdar"));
	release(&r);
	free(page);
	snprintf(url, sizeof url, "%s/notices.atom", srv.base);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 200 && strstr(buf_str(&r.body),
					"Snöröjning av skolgårdar"));
	release(&r);
	CHECK(web_server_stop(&srv) == 0);
}

/* Withdrawn: off the pages, and the firms told say why. */
static void
test_withdraw(void)
{
	struct web_server srv;
	struct reply r;
	char url[256], *all, *m;

	CHECK(tl("notice withdraw own-1 -c tenderlots.conf") == 2);
	CHECK(tl("notice withdraw own-9 -c tenderlots.conf --why x") == 1);
	CHECK(tl_run(dir, LATER, "notice withdraw own-1 -c tenderlots.conf "
		     "--why 'Annonsen publicerades av misstag'") == 0);
	CHECK(tl_run(dir, LATER, "notice withdraw own-1 -c tenderlots.conf "
		     "--why igen") == 1);
	CHECK(tl_run(dir, LATER, "run --once -c tenderlots.conf") == 0);
	all = mails();
	m = all ? mail_to(all, "info@snopark.example", "Återkallad") : NULL;
	CHECK(m && strstr(m, "header Subject: Återkallad: Snöröjning av "
			  "skolgårdar 2026/27\n"));
	CHECK(m && strstr(m, "En upphandling som ni har fått mejl om är "
			  "återkallad av den\nupphandlande organisationen."));
	CHECK(m && strstr(m, "Annonsen publicerades av misstag"));
	free(m);
	m = all ? mail_to(all, "bids@nordicsnow.example", "Withdrawn") : NULL;
	CHECK(m && strstr(m, "A procurement we have mailed you about is "
			  "withdrawn by the buyer."));
	free(m);
	free(all);
	CHECK(web_server_start(&srv, dir, "tenderlots.conf", LATER, NULL) == 0);
	snprintf(url, sizeof url, "%s/notices", srv.base);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 200 && !strstr(buf_str(&r.body),
					 "Snöröjning av skolgårdar"));
	release(&r);
	snprintf(url, sizeof url, "%s/notices.atom", srv.base);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 200 && !strstr(buf_str(&r.body),
					 "Snöröjning av skolgårdar"));
	release(&r);
	CHECK(web_server_stop(&srv) == 0);
}

/* The staff's listener's address, from what `tenderlots web` printed. */
static void
staff_base_of(char *out, size_t len)
{
	char *text = file_in("web.out"), *p;
	size_t n;

	out[0] = '\0';
	p = text ? strstr(text, "staff pages on ") : NULL;
	if (p) {
		p += strlen("staff pages on ");
		n = strcspn(p, "\n");
		if (n > 1 && n < len)
			snprintf(out, len, "%.*s", (int)n - 1, p);
	}
	free(text);
}

/* Steps of tests/browser.py in headless Chromium: the pages it went to. */
static char *
browse(const char *steps)
{
	char cmd[PATH_MAX * 4];

	put("steps.txt", steps);
	snprintf(cmd, sizeof cmd, "cd '%s' && /usr/bin/python3 "
		 "'%s/tests/browser.py' steps.txt pages.txt", dir, project);
	CHECK(system(cmd) == 0);
	return file_in("pages.txt");
}

/* The unit's page in Chromium: a fault named, then preview and publish. */
static void
test_staff_page(void)
{
	char base[128], link[256], steps[8192], *out, *p, *text;
	struct web_server srv;

	CHECK(access("/usr/bin/chromium", X_OK) == 0);
	CHECK(tl("-c tenderlots.conf staff add anna --role upphandling") == 0);
	text = file_in("out.txt");
	p = text ? strstr(text, "/staff/password?t=") : NULL;
	snprintf(link, sizeof link, "%.*s", p ? (int)strcspn(p, "\n") : 0,
		 p ? p : "");
	free(text);
	CHECK(link[0]);
	CHECK(web_server_start(&srv, dir, "tenderlots.conf", NOW, NULL) == 0);
	staff_base_of(base, sizeof base);
	CHECK(base[0]);
	snprintf(steps, sizeof steps,
		 "goto %s%s\n"
		 "fill password " PASSWORD "\n"
		 "fill password2 " PASSWORD "\n"
		 "submit\n"
		 "fill name anna\n"
		 "fill password " PASSWORD "\n"
		 "submit\n"
		 "goto %s/staff/notices\n"
		 "fill url http://www.e-avrop.com/x/Annons.aspx?id=5\n"
		 "fill title Målning av förskolan Solrosen\n"
		 "fill deadline 2027-01-15T12:00\n"
		 "check category maleri\n"
		 "submit\n"
		 "fill url https://www.e-avrop.com/x/Annons.aspx?id=5\n"
		 "submit\n"
		 "submit\n"
		 "goto %s/staff/own/own-2\n"
		 "submit\n"
		 "fill why Fel förskola\n"
		 "submit\n",
		 base, link, base, base);
	out = browse(steps);
	CHECK(web_server_stop(&srv) == 0);
	if (!out)
		return;
	/* the fault named on the form, what was typed kept */
	CHECK((p = strstr(out, "<h1>Egna annonser</h1>")) != NULL);
	CHECK(p && (p = strstr(p, "Länk: 'http://www.e-avrop.com/x/"
			       "Annons.aspx?id=5' är ingen https-länk.")));
	CHECK(p && strstr(p, "value=\"Målning av förskolan Solrosen\""));
	CHECK(p && strstr(p, "value=\"2027-01-15T12:00\""));
	/* the preview: whom it reaches */
	CHECK(p && (p = strstr(p, "<h2>Förhandsgranskning</h2>")) &&
	      strstr(p, "Den når 1 företag med nästa körning"));
	/* published, listed */
	CHECK(p && (p = strstr(p, "== ")) && strstr(p, "/staff/notices\n"));
	CHECK(p && strstr(p, "Målning av förskolan Solrosen</a></h3>") &&
	      strstr(p, "own-2, sista anbudsdag 15 januari 2027"));
	/* its own page withdraws it: not without why, then with */
	CHECK(p && (p = strstr(p, "/staff/own/own-2\n")) &&
	      strstr(p, "Dra tillbaka"));
	CHECK(p && (p = strstr(p, "Varför: skriv på en rad varför annonsen "
			       "dras tillbaka")));
	CHECK(p && (p = strstr(p, "/staff/notices\n")) &&
	      (p = strstr(p, "own-2, sista anbudsdag 15 januari 2027")) &&
	      strstr(p, "(tillbakadragen)</p>"));
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM own_notice WHERE notice_id ="
		       " 'own-2' AND why = 'Fel förskola' AND withdrawn_at IS"
		       " NOT NULL") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM staff_audit WHERE action ="
		       " 'notice withdrawn' AND object = 'own-2'") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM own_notice WHERE notice_id ="
		       " 'own-2' AND added_by = 'anna' AND categories ="
		       " 'maleri'") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM staff_audit WHERE action ="
		       " 'notice added' AND object = 'own-2' AND who ="
		       " 'anna'") == 1);
	/*
	 * The page stored it for the next pass to match, and withdrawn before
	 * that pass it is matched to no one.
	 */
	CHECK(db_query(db, "SELECT count(*) FROM notice WHERE notice_id ="
		       " 'own-2' AND match_later = 1") == 0);
	CHECK(tl_run(dir, NOW, "run --once -c tenderlots.conf") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM match WHERE notice_id ="
		       " 'own-2'") == 0);
}

int
main(void)
{
	if (!getcwd(project, sizeof project))
		return 2;
	setenv("TZ", "Europe/Stockholm", 1);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	setup();
	RUN(test_feed_keys);
	RUN(test_feed_entry);
	RUN(test_own_notice_cli);
	RUN(test_own_notice_mail);
	RUN(test_withdraw);
	RUN(test_staff_page);
	rm_rf(dir);
	curl_global_cleanup();
	return test_done("sources");
}
