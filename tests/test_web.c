/*
 * The web endpoint over real HTTP (libcurl) against `tenderlots web` on
 * the loopback: security headers, the public pages and their Atom feeds
 * (read back with libxml2), and a firm's whole way through the signed
 * links: subscribe, the confirmation mail (read from the Maildir with
 * Python's email package), confirm, manage, one-click unsubscribe, export
 * and delete. Forged links, missing CSRF tokens, oversized and malformed
 * requests are refused, and the server keeps serving.
 */
#define _XOPEN_SOURCE 700

#include <dirent.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "buf.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"
#include "testserver.h"
#include "testweb.h"

#define NOW "2026-11-25T08:00:00Z"

static char dir[PATH_MAX];
static char project[PATH_MAX];
static char db[PATH_MAX + 16];
static struct web_server server = { .pid = -1 };

static const char firms_csv[] =
	"orgnr,name,email,cpv,regions,language\n"
	"556734-2182,Berglunds Måleri AB,info@berglunds-maleri.example,45442100,SE232,sv\n";

static int
tl(const char *args)
{
	return tl_run(dir, NOW, args);
}

/*
 * A Postfix report that mail to rcpt bounced comes back to the tagged
 * address the mail went from, through the MTA's pipe.
 */
static void
bounce_back(const char *mail, const char *rcpt)
{
	const char *p = mail ? strstr(mail, "header Return-Path: <") : NULL;
	const char *e = p ? strchr(p, '>') : NULL;
	char to[256], path[PATH_MAX + 16];

	CHECK(e != NULL);
	if (!e)
		return;
	p += strlen("header Return-Path: <");
	snprintf(to, sizeof to, "%.*s", (int)(e - p), p);
	snprintf(path, sizeof path, "%s/bounce.eml", dir);
	CHECK(bounce_fixture(project, "postfix-hard.eml", to, rcpt, "", path) == 0);
	CHECK(tl("inbox -c tenderlots.conf < bounce.eml") == 0);
}

static int
start_server_with(const char *conf, const char *now)
{
	return web_server_start(&server, dir, conf, now, NULL);
}

static int
start_server(const char *now)
{
	return start_server_with("tenderlots.conf", now);
}

static int
stop_server(void)
{
	return web_server_stop(&server);
}

/* A request; body NULL for GET. The reply is the caller's to release. */
static void
request_with(const char *path, const char *header, const char *body,
	     size_t len, struct reply *r)
{
	char url[2048];

	snprintf(url, sizeof url, "%s%s", server.base, path);
	fetch_with(url, header, body, len, NULL, r);
}

static void
request(const char *path, const char *body, size_t len, struct reply *r)
{
	request_with(path, NULL, body, len, r);
}

static long
get(const char *path, struct reply *r)
{
	request(path, NULL, 0, r);
	return r->status;
}

static long
post(const char *path, const char *body, struct reply *r)
{
	request(path, body, strlen(body), r);
	return r->status;
}

/* Mails in the Maildir the tests have read so far. */
static int mails_seen;

/*
 * The newest mail in the Maildir, its text part decoded by Python: one
 * more than the tests saw before, which the endpoint's courier delivers
 * in its own time.
 */
static char *
newest_mail_text(void)
{
	char files[PATH_MAX + 64];

	snprintf(files, sizeof files, "%s/var/mail/new", dir);
	mails_seen = await_files(files, mails_seen);

	snprintf(files, sizeof files, "\"$(ls -t '%s'/var/mail/new/* | "
		 "head -n 1)\"", dir);
	return mailcheck(project, files, dir);
}

/* The test's configuration under name, with more [mail] lines. */
static void
write_config(const char *name, const char *mail)
{
	web_config(dir, project, name, mail, "subscribe_per_hour = 4\n");
}

/* One pass of the daemon; the mails it writes are not the web's. */
static void
run_pass(void)
{
	char path[PATH_MAX * 2];

	CHECK(tl("run --once -c tenderlots.conf") == 0);
	snprintf(path, sizeof path, "%s/var/mail/new", dir);
	mails_seen = count_files(path);
}

static void
setup(void)
{
	char cmd[PATH_MAX * 4], path[PATH_MAX * 2];

	make_tmpdir(dir, "test_web");
	snprintf(db, sizeof db, "%s/var/t.db", dir);
	snprintf(cmd, sizeof cmd, "mkdir '%s/feeds' && cp '%s'/feeds/*.xml "
		 "'%s/feeds/'", dir, project, dir);
	CHECK(system(cmd) == 0);
	write_config("tenderlots.conf", "");
	snprintf(path, sizeof path, "%s/feeds.conf", dir);
	write_text(path, "[local]\nkind = eforms\nurl = feeds\n");
	snprintf(path, sizeof path, "%s/firms.csv", dir);
	write_text(path, firms_csv);
	snprintf(path, sizeof path, "%s/meeting.conf", dir);
	write_text(path, "[meeting]\ntitle = Branschträff måleri\n"
		   "category = maleri\nstart = 2027-01-14 09:00\n"
		   "end = 2027-01-14 11:00\nlocation = Stadshuset\n"
		   "capacity = 1\n");
	CHECK(tl("firm import -c tenderlots.conf firms.csv") == 0);
	CHECK(tl("meeting new -c tenderlots.conf meeting.conf") == 0);
	run_pass();
}

/* Every mail in the Maildir, as Python's email package reads them. */
static char *
all_mail_text(void)
{
	char files[PATH_MAX + 32];

	snprintf(files, sizeof files, "'%s'/var/mail/new/*", dir);
	return mailcheck(project, files, dir);
}

static void
test_public_pages(void)
{
	struct reply r;

	CHECK(get("/", &r) == 200);
	CHECK(has_header(&r, "Content-Type: text/html; charset=utf-8"));
	CHECK(has_header(&r, "Content-Security-Policy: default-src 'none'"));
	CHECK(has_header(&r, "X-Content-Type-Options: nosniff"));
	CHECK(has_header(&r, "Referrer-Policy: no-referrer"));
	CHECK(strstr(buf_str(&r.body), "<html lang=\"sv\""));
	CHECK(!strstr(buf_str(&r.body), "<script"));
	/* the RFI of the sample data is public */
	CHECK(strstr(buf_str(&r.body), "Snöröjning"));
	release(&r);
	CHECK(get("/?lang=en", &r) == 200);
	CHECK(strstr(buf_str(&r.body), "<html lang=\"en\""));
	release(&r);
	CHECK(get("/notices", &r) == 200);
	CHECK(strstr(buf_str(&r.body), "Underhåll av kommunala fastigheter"));
	release(&r);
	CHECK(get("/notices?category=maleri", &r) == 200);
	release(&r);
	CHECK(get("/notices?category=nonesuch", &r) == 404);
	release(&r);
	CHECK(get("/rfi", &r) == 200);
	release(&r);
	CHECK(get("/meetings", &r) == 200);
	release(&r);
	CHECK(get("/no/such/page", &r) == 404);
	CHECK(has_header(&r, "X-Content-Type-Options: nosniff"));
	release(&r);
	CHECK(post("/", "a=b", &r) == 404);
	release(&r);
}

/* Each feed is Atom 1.0 with what RFC 4287 requires. */
static void
check_feed(const char *path, int min_entries)
{
	struct reply r;
	xmlDocPtr doc;
	xmlXPathContextPtr x;
	xmlXPathObjectPtr o;
	static const char *const required[] = {
		"/a:feed/a:id", "/a:feed/a:title", "/a:feed/a:updated",
		"/a:feed/a:author/a:name", "/a:feed/a:link[@rel='self']",
	};
	size_t i;

	CHECK(get(path, &r) == 200);
	CHECK(has_header(&r, "Content-Type: application/atom+xml"));
	doc = xmlReadMemory(buf_str(&r.body), (int)r.body.len, path, NULL,
			    XML_PARSE_NONET);
	CHECK(doc != NULL);
	if (doc) {
		x = xmlXPathNewContext(doc);
		xmlXPathRegisterNs(x, BAD_CAST "a", BAD_CAST "http://www.w3.org/2005/Atom");
		for (i = 0; i < sizeof required / sizeof required[0]; i++) {
			o = xmlXPathEvalExpression(BAD_CAST required[i], x);
			CHECK(o && o->nodesetval && o->nodesetval->nodeNr == 1);
			xmlXPathFreeObject(o);
		}
		o = xmlXPathEvalExpression(BAD_CAST "/a:feed/a:entry[a:id and "
					   "a:title and a:updated]", x);
		CHECK(o && o->nodesetval && o->nodesetval->nodeNr >= min_entries);
		xmlXPathFreeObject(o);
		xmlXPathFreeContext(x);
		xmlFreeDoc(doc);
	}
	release(&r);
}

static void
test_feeds(void)
{
	check_feed("/rfi.atom", 1);
	check_feed("/notices.atom", 2);
	check_feed("/meetings.atom", 0);
}

#define NEW_FIRM_MATCHES(category) \
	"SELECT count(*) FROM match m JOIN firm f ON f.id = m.firm" \
	" WHERE f.orgnr = '559003-1232' AND m.category = '" category "'"

static void
test_subscription_flow(void)
{
	char csrf[512], body[4096], link[1024], forged[1024], path[1200];
	char address[1024], csrf2[512];
	char *mail;
	struct reply r;

	CHECK(get("/subscribe", &r) == 200);
	csrf_of(&r, csrf, sizeof csrf);
	CHECK(csrf[0] != '\0');
	CHECK(strstr(buf_str(&r.body), "name=\"orgnr\""));
	release(&r);

	/* no CSRF token: refused, nothing stored */
	CHECK(post("/subscribe", "orgnr=5590031232&name=X&email=x%40y.example"
		   "&category=maleri&kind=rfi&frequency=daily", &r) == 403);
	release(&r);
	/* a bad organisation number: the form again, with the error */
	snprintf(body, sizeof body, "csrf=%s&orgnr=5590031235&name=Ny+Firma"
		 "&email=kontakt%%40nyfirma.example&category=maleri&kind=rfi"
		 "&frequency=daily&language=sv", csrf);
	CHECK(post("/subscribe", body, &r) == 400);
	CHECK(strstr(buf_str(&r.body), "role=\"alert\""));
	CHECK(strstr(buf_str(&r.body), "Organisationsnumret"));
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM firm") == 1);

	snprintf(body, sizeof body, "csrf=%s&orgnr=5590031232&name=Ny+Firma+%%26+Co"
		 "&email=kontakt%%40nyfirma.example&category=maleri"
		 "&region=SE232&kind=rfi&kind=competition&frequency=daily"
		 "&language=sv&employees=4&turnover=3000000", csrf);
	CHECK(post("/subscribe", body, &r) == 200);
	CHECK(strstr(buf_str(&r.body), "kontakt@nyfirma.example"));
	release(&r);
	/* stored, but not matched before it is confirmed */
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE orgnr = "
		    "'559003-1232' AND confirmed_at IS NULL") == 1);
	mail = newest_mail_text();
	CHECK(mail && strstr(mail, "header To: kontakt@nyfirma.example\n"));
	CHECK(mail && strstr(mail, "Hej Ny Firma & Co!"));
	CHECK(mail && strstr(mail, "Bekräfta: https://upphandling."));
	link_in(mail, "https://upphandling.exempelkommun.se/confirm/", link,
		sizeof link);
	free(mail);
	CHECK(link[0] != '\0');

	/* an altered link is refused */
	snprintf(forged, sizeof forged, "%s", link);
	forged[strlen(forged) - 2] = forged[strlen(forged) - 2] == 'A' ? 'B' : 'A';
	CHECK(get(forged, &r) == 403);
	release(&r);
	/* following the link shows a button and changes nothing */
	CHECK(get(link, &r) == 200);
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE confirmed_at IS NULL") == 1);
	snprintf(body, sizeof body, "csrf=%s", csrf);
	CHECK(post(link, body, &r) == 200);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE orgnr = '559003-1232'"
		    " AND confirmed_at IS NOT NULL AND consent_source = 'web'") == 1);
	/* its next pass tells it of the painting lot open since before */
	CHECK(db_query(db, NEW_FIRM_MATCHES("maleri")) == 0);
	run_pass();
	CHECK(db_query(db, NEW_FIRM_MATCHES("maleri")) == 1);

	/*
	 * Subscribing again sends the manage link instead of a duplicate,
	 * to the address on file: whoever typed the (public) organisation
	 * number with an address of their own gets nothing, and nothing
	 * stored changes.
	 */
	CHECK(get("/subscribe", &r) == 200);
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	snprintf(body, sizeof body, "csrf=%s&orgnr=559003-1232&name=Tagen+AB"
		 "&email=attacker%%40evil.example&category=maleri&kind=rfi"
		 "&frequency=daily&language=sv", csrf);
	CHECK(post("/subscribe", body, &r) == 200);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM firm") == 2);
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE name = 'Tagen AB' "
		       "OR email LIKE '%evil%'") == 0);
	mail = newest_mail_text();
	link_in(mail, "https://upphandling.exempelkommun.se/manage/", link,
		sizeof link);
	CHECK(mail && strstr(mail, "header To: kontakt@nyfirma.example\n"));
	CHECK(mail && !strstr(mail, "evil.example"));
	CHECK(mail && strstr(mail, "redan en prenumeration"));
	bounce_back(mail, "kontakt@nyfirma.example");
	free(mail);
	CHECK(link[0] != '\0');
	/* the address bounced: the firm's page says so, and what to do */
	CHECK(get(link, &r) == 200);
	CHECK(strstr(buf_str(&r.body), "Mejl till den här adressen studsade"));
	CHECK(strstr(buf_str(&r.body), "5.1.1 550 5.1.1 &lt;kontakt@nyfirma."
		     "example&gt;: Recipient address rejected"));
	release(&r);

	/* manage: CSRF-less POST refused; a change is saved */
	CHECK(post(link, "name=Hacked&email=h%40h.example", &r) == 403);
	release(&r);
	CHECK(get(link, &r) == 200);
	csrf_of(&r, csrf, sizeof csrf);
	CHECK(strstr(buf_str(&r.body), "value=\"559003-1232\""));
	release(&r);
	snprintf(body, sizeof body, "csrf=%s&name=Ny+Firma+AB&email=ny%%40nyfirma.example"
		 "&category=el&region=SE232&kind=competition&frequency=weekly"
		 "&language=en", csrf);
	CHECK(post(link, body, &r) == 200);
	CHECK(strstr(buf_str(&r.body), "ny@nyfirma.example"));
	release(&r);
	/* the rest is saved; the new address waits for its own link */
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE name = 'Ny Firma AB'"
		    " AND email = 'kontakt@nyfirma.example' AND frequency = 'weekly'"
		    " AND language = 'en' AND new_email = 'ny@nyfirma.example'") == 1);
	mail = newest_mail_text();
	CHECK(mail && strstr(mail, "header To: ny@nyfirma.example\n"));
	link_in(mail, "https://upphandling.exempelkommun.se/address/", address,
		sizeof address);
	free(mail);
	CHECK(address[0] != '\0');
	CHECK(get(address, &r) == 200);
	csrf_of(&r, csrf2, sizeof csrf2);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE "
		       "email = 'ny@nyfirma.example'") == 0);
	snprintf(body, sizeof body, "csrf=%s", csrf2);
	CHECK(post(address, body, &r) == 200);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE name = 'Ny Firma AB'"
		    " AND email = 'ny@nyfirma.example' AND new_email IS NULL") == 1);
	/* the new address takes mail: the page no longer speaks of a bounce */
	CHECK(get(link, &r) == 200);
	CHECK(!strstr(buf_str(&r.body), "studsade"));
	release(&r);
	/* the link has done its work */
	CHECK(post(address, body, &r) == 410);
	release(&r);
	/* the electrical work open since before, once it chose el */
	CHECK(db_query(db, NEW_FIRM_MATCHES("el")) == 0);
	run_pass();
	CHECK(db_query(db, NEW_FIRM_MATCHES("el")) == 1);

	/* export: the firm's own data as JSON */
	snprintf(path, sizeof path, "%s/export.json", link);
	CHECK(get(path, &r) == 200);
	CHECK(has_header(&r, "Content-Type: application/json"));
	CHECK(strstr(buf_str(&r.body), "\"orgnr\": \"559003-1232\""));
	CHECK(strstr(buf_str(&r.body), "\"what\": \"subscribed\""));
	release(&r);

	/* delete: gone, and its links with it */
	snprintf(path, sizeof path, "%s/delete", link);
	CHECK(post(path, "x=y", &r) == 403);
	release(&r);
	snprintf(body, sizeof body, "csrf=%s", csrf);
	CHECK(post(path, body, &r) == 200);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE orgnr = '559003-1232'") == 0);
	CHECK(get(link, &r) == 410);
	release(&r);
	/* the next firm to subscribe gets a new id: the old links stay dead */
	CHECK(get("/subscribe", &r) == 200);
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	snprintf(body, sizeof body, "csrf=%s&orgnr=556036-0793&name=Efter+AB"
		 "&email=efter%%40efter.example&category=maleri&kind=rfi"
		 "&frequency=daily&language=sv", csrf);
	CHECK(post("/subscribe", body, &r) == 200);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE orgnr = '556036-0793'") == 1);
	CHECK(get(link, &r) == 410);
	release(&r);
}

/* The invitation's link registers, within the meeting's one seat. */
static void
test_rsvp_and_stop(void)
{
	char link[1024], csrf[512], body[1024];
	char *all = all_mail_text();
	/* the firm that stays: another's links die with their firm */
	char *mail = all ? mail_to(all, "info@berglunds-maleri.example",
				   "/rsvp/") : NULL;
	struct reply r;

	link_in(mail, "https://upphandling.exempelkommun.se/rsvp/", link,
		sizeof link);
	CHECK(link[0] != '\0');
	CHECK(get(link, &r) == 200);
	CHECK(strstr(buf_str(&r.body), "Branschträff måleri"));
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM meeting_registration") == 0);
	CHECK(post(link, "answer=register", &r) == 403);
	release(&r);
	snprintf(body, sizeof body, "csrf=%s&answer=register", csrf);
	CHECK(post(link, body, &r) == 200);
	CHECK(strstr(buf_str(&r.body), "Ni är anmälda."));
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM meeting_registration WHERE "
		    "registered_at IS NOT NULL AND cancelled_at IS NULL") == 1);
	snprintf(body, sizeof body, "csrf=%s&answer=cancel", csrf);
	CHECK(post(link, body, &r) == 200);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM meeting_registration WHERE "
		    "cancelled_at IS NOT NULL") == 1);

	/* stop mails about one procurement */
	free(mail);
	mail = all ? mail_to(all, "info@berglunds-maleri.example", "/stop/") :
	       NULL;
	free(all);
	link_in(mail, "https://upphandling.exempelkommun.se/stop/", link,
		sizeof link);
	free(mail);
	CHECK(link[0] != '\0');
	CHECK(get(link, &r) == 200);
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM notice_stop") == 0);
	snprintf(body, sizeof body, "csrf=%s", csrf);
	CHECK(post(link, body, &r) == 200);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM notice_stop") == 1);
}

/* A week after, a confirmation link no longer confirms. */
static void
test_expired_link(void)
{
	char link[1024];
	char *mail;
	struct reply r;

	CHECK(stop_server() == 0);
	CHECK(start_server("2026-12-03T08:00:00Z") == 0);
	mail = all_mail_text();
	link_in(mail ? strstr(mail, "info@nordicmaleri.example") : NULL,
		"https://upphandling.exempelkommun.se/confirm/", link,
		sizeof link);
	free(mail);
	CHECK(link[0] != '\0');
	CHECK(get(link, &r) == 403);
	release(&r);
}

static void
test_one_click_unsubscribe(void)
{
	char link[1024], csrf[512], body[1024];
	char *mail;
	struct reply r;

	/* the sample firm's alert carries its unsubscribe link */
	mail = all_mail_text();
	/* the sample firm's own mail: the others' firms may be gone */
	link_in(mail ? strstr(mail, "header To: info@berglunds-maleri.example")
		: NULL, "https://upphandling.exempelkommun.se/unsubscribe/", link,
		sizeof link);
	free(mail);
	CHECK(link[0] != '\0');
	/* GET alone changes nothing */
	CHECK(get(link, &r) == 200);
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE unsubscribed_at IS NULL"
		    " AND orgnr = '556734-2182'") == 1);
	/* RFC 8058: the mail program's POST unsubscribes at once */
	CHECK(post(link, "List-Unsubscribe=One-Click", &r) == 200);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE unsubscribed_at IS NOT NULL"
		    " AND orgnr = '556734-2182'") == 1);
	/* and no longer matched: the next run mails it nothing */
	snprintf(body, sizeof body, "csrf=%s", csrf);
	CHECK(post(link, body, &r) == 200);
	release(&r);
}

/* The script that fills in and submits the real form, as a person would. */
static const char fill_in[] =
	"var f = document.forms[0];\n"
	"f.orgnr.value = '559318-8062';\n"
	"f.elements['name'].value = 'Nordic Måleri & Co';\n"
	"f.email.value = 'info@nordicmaleri.example';\n"
	"f.querySelector('input[name=category][value=maleri]').checked = true;\n"
	"f.querySelector('input[name=region][value=SE232]').checked = true;\n"
	"f.submit();";

/*
 * Headless Chromium draws the pages, and fills in and submits the
 * subscribe form: the page it lands on says to check the mail, and the
 * subscription waits for its confirmation.
 */
static void
test_browser(void)
{
	char cmd[PATH_MAX * 4], url[128], png[PATH_MAX + 16], *text;

	CHECK(access("/usr/bin/chromium", X_OK) == 0);
	snprintf(png, sizeof png, "%s/subscribe.png", dir);
	snprintf(url, sizeof url, "%s/subscribe", server.base);
	snprintf(cmd, sizeof cmd, "sh '%s/tests/report_shot.sh' '%s' '%s'",
		 project, url, png);
	CHECK(system(cmd) == 0);
	text = read_text(png);
	CHECK(text && strncmp(text, "\x89PNG", 4) == 0);
	free(text);

	/* the real form, as served, filled in by a script */
	text = browser_dom(project, dir, url, fill_in);
	CHECK(text && strstr(text, "<h1>Kolla er e-post</h1>"));
	free(text);
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE orgnr = '559318-8062'"
		    " AND confirmed_at IS NULL AND name = 'Nordic Måleri & Co'") == 1);
}

static void
test_bad_requests(void)
{
	/* valid organisation numbers, not otherwise in these tests */
	static const char *const orgnrs[] = {
		"5560125790", "5567037485", "5565475489", "5560160680",
		"5564098142", "5566028113",
	};
	struct buf big;
	char csrf[512], body[1024];
	struct reply r;
	int i;

	buf_init(&big, 0);
	for (i = 0; i < 70 * 1024; i++)
		buf_addc(&big, 'a');
	request("/subscribe", big.data, big.len, &r);
	CHECK(r.status == 413);
	release(&r);
	buf_release(&big);
	CHECK(post("/subscribe", "orgnr=%zz", &r) == 400);
	release(&r);
	CHECK(get("/notices?category=%zz", &r) == 400);
	release(&r);
	/* the server keeps serving */
	CHECK(get("/", &r) == 200);
	release(&r);
	/* mistakes cost no try: the next firm on the same network gets in */
	for (i = 0; i < 6; i++) {
		CHECK(get("/subscribe", &r) == 200);
		csrf_of(&r, csrf, sizeof csrf);
		release(&r);
		snprintf(body, sizeof body, "csrf=%s&orgnr=x", csrf);
		CHECK(post("/subscribe", body, &r) == 400);
		release(&r);
	}
	/*
	 * At most four valid subscriptions an hour from one address (the
	 * clock is a week on since the others, and the limit is kept in the
	 * database, so the restart forgot nothing it should remember).
	 */
	for (i = 0; i < 6; i++) {
		CHECK(get("/subscribe", &r) == 200);
		csrf_of(&r, csrf, sizeof csrf);
		release(&r);
		snprintf(body, sizeof body, "csrf=%s&orgnr=%s&name=Firma+%d"
			 "&email=f%d%%40firma.example&category=maleri&kind=rfi"
			 "&frequency=daily&language=sv", csrf, orgnrs[i], i, i);
		post("/subscribe", body, &r);
		release(&r);
		CHECK(r.status == (i < 4 ? 200 : 429));
	}
}

/* The value of a response header, as sent; "" if there is none. */
static void
header_of(const struct reply *r, const char *name, char *out, size_t len)
{
	const char *h = buf_str(&r->headers), *p;
	size_t n = strlen(name), v;

	out[0] = '\0';
	for (p = h; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1 + strspn(p + n + 1, " ");
			v = strcspn(p, "\r\n");
			if (v < len) {
				memcpy(out, p, v);
				out[v] = '\0';
			}
			return;
		}
}

/*
 * Public pages carry validators, and a client that has the page gets 304
 * without it; the lists come a page at a time, the Atom feeds with RFC
 * 5005's links between pages.
 */
static void
test_validators_and_pages(void)
{
	char etag[128], modified[128], header[200];
	struct reply r;

	CHECK(get("/notices", &r) == 200);
	header_of(&r, "ETag", etag, sizeof etag);
	header_of(&r, "Last-Modified", modified, sizeof modified);
	release(&r);
	CHECK(etag[0] == '"');
	CHECK(strstr(modified, " GMT") != NULL);
	snprintf(header, sizeof header, "If-None-Match: %s", etag);
	request_with("/notices", header, NULL, 0, &r);
	CHECK(r.status == 304 && r.body.len == 0);
	release(&r);
	request_with("/notices", "If-None-Match: \"other\"", NULL, 0, &r);
	CHECK(r.status == 200 && r.body.len > 0);
	release(&r);
	snprintf(header, sizeof header, "If-Modified-Since: %s", modified);
	request_with("/notices", header, NULL, 0, &r);
	CHECK(r.status == 304);
	release(&r);
	/* the English page is another page */
	snprintf(header, sizeof header, "If-None-Match: %s", etag);
	request_with("/notices?lang=en", header, NULL, 0, &r);
	CHECK(r.status == 200);
	release(&r);

	CHECK(get("/notices.atom", &r) == 200);
	CHECK(strstr(buf_str(&r.body), "rel=\"first\""));
	CHECK(!strstr(buf_str(&r.body), "rel=\"next\""));
	release(&r);
	CHECK(get("/notices.atom?page=2", &r) == 200);
	CHECK(strstr(buf_str(&r.body), "rel=\"previous\""));
	CHECK(!strstr(buf_str(&r.body), "<entry"));
	release(&r);
	CHECK(get("/notices?page=2", &r) == 200);
	CHECK(strstr(buf_str(&r.body), "rel=\"prev\""));
	release(&r);
	CHECK(get("/notices?page=0", &r) == 404);
	release(&r);
	CHECK(get("/notices?page=99999", &r) == 404);
	release(&r);
	CHECK(get("/notices.atom?category=nonesuch", &r) == 404);
	release(&r);
}

/* A page's link to its other language never leads off the site. */
static void
test_language_link_stays_here(void)
{
	struct reply r;

	CHECK(get("//evil.example/x", &r) == 404);
	CHECK(!strstr(buf_str(&r.body), "href=\"//"));
	CHECK(strstr(buf_str(&r.body), "href=\"/evil.example/x?lang=en\""));
	release(&r);
	CHECK(get("/\\evil.example/x", &r) == 404);
	CHECK(!strstr(buf_str(&r.body), "href=\"/\\"));
	release(&r);
}

/*
 * A relay that never answers: the subscribe page only queues the mail
 * and answers at once, and the site goes on serving; the mail waits in
 * the outbox for the courier.
 */
static void
test_relay_never_answers(void)
{
	char csrf[512], body[1024], mail[256];
	struct timespec t0, t1;
	struct reply r;
	int fd = -1, port = test_silent_port(&fd);

	CHECK(port > 0);
	CHECK(stop_server() == 0);
	snprintf(mail, sizeof mail, "transport = smtp\nsmtp_host = 127.0.0.1\n"
		 "smtp_port = %d\nstarttls = off\nsmtp_timeout = 5s\n", port);
	write_config("relay.conf", mail);
	CHECK(start_server_with("relay.conf", "2026-12-03T09:00:00Z") == 0);
	CHECK(get("/subscribe", &r) == 200);
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	snprintf(body, sizeof body, "csrf=%s&orgnr=5569800419&name=Tyst+AB"
		 "&email=tyst%%40tyst.example&category=maleri&kind=rfi"
		 "&frequency=daily&language=sv", csrf);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(post("/subscribe", body, &r) == 200);
	release(&r);
	/* while the courier waits for the relay, the site answers */
	CHECK(get("/", &r) == 200);
	release(&r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(t1.tv_sec - t0.tv_sec < 3);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE rcpt = "
		       "'tyst@tyst.example' AND state IN ('pending', 'sending')") == 1);
	CHECK(stop_server() == 0);
	close(fd);
	CHECK(start_server("2026-12-03T09:00:00Z") == 0);
}

/* SIGTERM: the request in hand is finished and the exit status is 0. */
static void
test_stops_cleanly(void)
{
	CHECK(stop_server() == 0);
}

/*
 * A meeting's calendar file and its Content-Type name one method: PUBLISH,
 * and CANCEL once the meeting is cancelled.
 */
static void
test_meeting_calendar_file(void)
{
	struct reply r;

	CHECK(get("/meetings/1.ics", &r) == 200);
	CHECK(has_header(&r, "Content-Type: text/calendar; charset=utf-8; "
			 "method=PUBLISH"));
	CHECK(strstr(buf_str(&r.body), "\r\nMETHOD:PUBLISH\r\n"));
	release(&r);
	CHECK(tl("meeting cancel -c tenderlots.conf 1") == 0);
	CHECK(get("/meetings/1.ics", &r) == 200);
	CHECK(has_header(&r, "Content-Type: text/calendar; charset=utf-8; "
			 "method=CANCEL"));
	CHECK(strstr(buf_str(&r.body), "\r\nMETHOD:CANCEL\r\n"));
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
	if (start_server(NOW) < 0) {
		fprintf(stderr, "the web endpoint did not start\n");
		return 1;
	}
	RUN(test_public_pages);
	RUN(test_feeds);
	RUN(test_subscription_flow);
	RUN(test_rsvp_and_stop);
	RUN(test_one_click_unsubscribe);
	RUN(test_browser);
	RUN(test_expired_link);
	RUN(test_bad_requests);
	RUN(test_validators_and_pages);
	RUN(test_language_link_stays_here);
	RUN(test_relay_never_answers);
	RUN(test_meeting_calendar_file);
	RUN(test_stops_cleanly);
	rc = test_done("web");
	curl_global_cleanup();
	xmlCleanupParser();
	rm_rf(dir);
	return rc;
}
