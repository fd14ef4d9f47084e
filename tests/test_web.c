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

#include <curl/curl.h>
#include <dirent.h>
#include <strings.h>
#include <sys/wait.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "buf.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"
#include "testserver.h"

#define NOW "2026-11-25T08:00:00Z"

static char dir[PATH_MAX];
static char project[PATH_MAX];
static char db[PATH_MAX + 16];
static char base[64];		/* http://127.0.0.1:PORT */
static pid_t server = -1;

static const char firms_csv[] =
	"orgnr,name,email,cpv,regions,language\n"
	"556734-2182,Berglunds Måleri AB,info@berglunds-maleri.example,45442100,SE232,sv\n";

/* Runs the binary in the test directory; its exit status. */
static int
tl(const char *args)
{
	const char *bin = getenv("TENDERLOTS_BIN");
	char cmd[PATH_MAX * 3];
	int st;

	snprintf(cmd, sizeof cmd, "cd '%s' && TENDERLOTS_NOW=%s '%s' %s "
		 ">out.txt 2>err.txt", dir, NOW, bin ? bin : "build/tenderlots",
		 args);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Starts `tenderlots web` with its clock at now. */
static int
start_server(const char *now)
{
	const char *bin = getenv("TENDERLOTS_BIN");
	const char *wrapper = getenv("TENDERLOTS_WRAPPER");
	char cmd[PATH_MAX * 2];

	/* under make valgrind, the server runs under valgrind too */
	snprintf(cmd, sizeof cmd, "TENDERLOTS_NOW=%s exec %s '%s' -c "
		 "tenderlots.conf web", now, wrapper ? wrapper : "",
		 bin ? bin : "build/tenderlots");
	return test_web_start(dir, cmd, &server, base, sizeof base);
}

static int
stop_server(void)
{
	int rc;

	if (server <= 0)
		return -1;
	rc = test_server_stop(server);
	server = -1;
	return rc;
}

struct reply {
	long status;
	struct buf headers;
	struct buf body;
};

static size_t
collect(char *data, size_t size, size_t n, void *arg)
{
	return buf_add(arg, data, size * n) < 0 ? 0 : size * n;
}

/* A request; body NULL for GET. The reply is the caller's to release. */
static void
request(const char *path, const char *body, size_t len, struct reply *r)
{
	CURL *c = curl_easy_init();
	char url[2048];

	buf_init(&r->headers, 1u << 20);
	buf_init(&r->body, 16u << 20);
	r->status = 0;
	if (!c)
		return;
	snprintf(url, sizeof url, "%s%s", base, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r->headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	}
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_cleanup(c);
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

static void
release(struct reply *r)
{
	buf_release(&r->headers);
	buf_release(&r->body);
}

/* The value of the first name="csrf" input of a page. */
static void
csrf_of(const struct reply *r, char *out, size_t len)
{
	const char *p = strstr(buf_str(&r->body), "name=\"csrf\"");
	const char *v, *end;

	out[0] = '\0';
	if (!p || !(v = strstr(p, "value=\"")))
		return;
	v += 7;
	if ((end = strchr(v, '"')) && (size_t)(end - v) < len) {
		memcpy(out, v, (size_t)(end - v));
		out[end - v] = '\0';
	}
}

/* The newest mail in the Maildir, its text part decoded by Python. */
static char *
newest_mail_text(void)
{
	char files[PATH_MAX + 64];

	snprintf(files, sizeof files, "\"$(ls -t '%s'/var/mail/new/* | "
		 "head -n 1)\"", dir);
	return mailcheck(project, files, dir);
}

/* The path of the first link in text that starts with prefix. */
static void
link_in(const char *text, const char *prefix, char *out, size_t len)
{
	const char *p = text ? strstr(text, prefix) : NULL;
	size_t n;

	out[0] = '\0';
	if (!p)
		return;
	p += strlen("https://upphandling.exempelkommun.se");
	n = strcspn(p, " \n>\"");
	if (n < len) {
		memcpy(out, p, n);
		out[n] = '\0';
	}
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
	snprintf(path, sizeof path, "%s/tenderlots.conf", dir);
	snprintf(cmd, sizeof cmd,
		 "[database]\npath = var/t.db\n"
		 "[mail]\nmaildir = var/mail\ntemplates = %s/templates\n"
		 "[feeds]\nfile = feeds.conf\n"
		 "[categories]\nfile = %s/config/categories.conf\n"
		 "[service]\nsecret_file = var/secret\n"
		 "[web]\nport = 0\nsubscribe_per_hour = 4\n", project, project);
	write_text(path, cmd);
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
	CHECK(tl("run --once -c tenderlots.conf") == 0);
}

/* Every mail in the Maildir, as Python's email package reads them. */
static char *
all_mail_text(void)
{
	char files[PATH_MAX + 32];

	snprintf(files, sizeof files, "'%s'/var/mail/new/*", dir);
	return mailcheck(project, files, dir);
}

/* A header line, its name in any case (strcasestr is a GNU extension). */
static int
has_header(const struct reply *r, const char *line)
{
	const char *p = buf_str(&r->headers);
	size_t n = strlen(line);

	for (; *p; p++)
		if (strncasecmp(p, line, n) == 0)
			return 1;
	return 0;
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

static void
test_subscription_flow(void)
{
	char csrf[512], body[4096], link[1024], forged[1024], path[1200];
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
		 "&email=kontakt%%40nyfirma.example&category=maleri&category=el"
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

	/* subscribing again sends the manage link instead of a duplicate */
	CHECK(get("/subscribe", &r) == 200);
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	snprintf(body, sizeof body, "csrf=%s&orgnr=559003-1232&name=Ny+Firma"
		 "&email=kontakt%%40nyfirma.example&category=maleri&kind=rfi"
		 "&frequency=daily&language=sv", csrf);
	CHECK(post("/subscribe", body, &r) == 200);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM firm") == 2);
	mail = newest_mail_text();
	link_in(mail, "https://upphandling.exempelkommun.se/manage/", link,
		sizeof link);
	CHECK(mail && strstr(mail, "redan en prenumeration"));
	free(mail);
	CHECK(link[0] != '\0');

	/* manage: CSRF-less POST refused; a change is saved */
	CHECK(post(link, "name=Hacked&email=h%40h.example", &r) == 403);
	release(&r);
	CHECK(get(link, &r) == 200);
	csrf_of(&r, csrf, sizeof csrf);
	CHECK(strstr(buf_str(&r.body), "value=\"559003-1232\""));
	release(&r);
	snprintf(body, sizeof body, "csrf=%s&name=Ny+Firma+AB&email=ny%%40nyfirma.example"
		 "&category=el&kind=competition&frequency=weekly&language=en", csrf);
	CHECK(post(link, body, &r) == 200);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE name = 'Ny Firma AB'"
		    " AND email = 'ny@nyfirma.example' AND frequency = 'weekly'"
		    " AND language = 'en'") == 1);

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
}

/* The invitation's link registers, within the meeting's one seat. */
static void
test_rsvp_and_stop(void)
{
	char link[1024], csrf[512], body[1024];
	char *mail = all_mail_text();
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
	snprintf(url, sizeof url, "%s/subscribe", base);
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
	/* at most four subscriptions an hour from one address */
	for (i = 0; i < 6; i++) {
		CHECK(get("/subscribe", &r) == 200);
		csrf_of(&r, csrf, sizeof csrf);
		release(&r);
		snprintf(body, sizeof body, "csrf=%s&orgnr=x", csrf);
		post("/subscribe", body, &r);
		release(&r);
	}
	CHECK(r.status == 429);
}

/* SIGTERM: the request in hand is finished and the exit status is 0. */
static void
test_stops_cleanly(void)
{
	CHECK(stop_server() == 0);
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
	RUN(test_stops_cleanly);
	rc = test_done("web");
	curl_global_cleanup();
	xmlCleanupParser();
	rm_rf(dir);
	return rc;
}
