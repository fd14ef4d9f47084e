/*
 * The staff's pages against `tenderlots web`'s second listener:
 * accounts made with `tenderlots staff`, a password set through the
 * one-time link, login, the start page and logout in headless Chromium
 * (tests/browser.py keeps the cookies between pages); then every route
 * of every table of the staff's listener (staff_audiences), walked so
 * that a new one is covered too: not on the public port, not without a
 * session, not with the wrong role, no form without the session's CSRF
 * token. A session id planted before the login opens nothing, guessing
 * passwords is throttled, and sessions end with the account, its
 * password, and their timeouts. A single sign-on header is believed
 * from a trusted proxy only. Näringslivsenheten's report and firm
 * register are read in Chromium too, and downloaded as a spreadsheet
 * program reads them. The procurement unit's pages (src/web/staff_unit.c)
 * in Chromium: a meeting made through its form and the invitation the
 * firm gets through a loopback relay, the check-in list ticked once the
 * meeting has begun, an RFI made, answered and read, a split decision.
 */
#define _XOPEN_SOURCE 700

#include "account.h"
#include "buf.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"
#include "testweb.h"
#include "smtpd.h"

#include "../src/web/pages.h"

#define NOW "2026-11-25T08:00:00Z"
/* past the idle timeout of 30 minutes */
#define LATER "2026-11-25T08:31:00Z"
#define PASSWORD "korrekt häst batteri"
/* before a meeting of NOW's quarter */
#define EARLY "2026-11-01T08:00:00Z"

static char dir[PATH_MAX];
static char project[PATH_MAX];
static char db[PATH_MAX + 16];
static struct web_server server = { .pid = -1 };
/* the mail relay the pages' mails go out through with `run` */
static struct smtpd relay;
static char staff_base[80];	/* http://127.0.0.1:PORT of the staff */
/* the session cookies ("tl_staff=..."), by role */
static char cookie_unit[128], cookie_business[128], cookie_admin[128];

static int
tl(const char *args)
{
	return tl_run(dir, NOW, args);
}

/* The one-time link `staff add` or `reset` printed, as a path. */
static void
printed_link(char *out, size_t len)
{
	char path[PATH_MAX + 16], *text, *p;

	snprintf(path, sizeof path, "%s/out.txt", dir);
	text = read_text(path);
	p = text ? strstr(text, "/staff/password?t=") : NULL;
	out[0] = '\0';
	if (p && strcspn(p, "\n") < len)
		snprintf(out, len, "%.*s", (int)strcspn(p, "\n"), p);
	free(text);
}

/* The staff's listener's address, from what `tenderlots web` printed. */
static int
find_staff_base(void)
{
	return web_staff_base(dir, staff_base, sizeof staff_base);
}

/* The server on the staff lines staff ([staff] section), at now. */
static int
start(const char *staff, const char *now)
{
	char cmd[PATH_MAX * 2 + 512], mail[128];

	/* a leak or a crash of the server before is a failure too */
	if (server.pid > 0)
		CHECK(web_server_stop(&server) == 0);
	snprintf(mail, sizeof mail, "transport = smtp\nsmtp_host = 127.0.0.1\n"
		 "smtp_port = %d\nstarttls = off\n", relay.port);
	web_config(dir, project, "tenderlots.conf", mail, "");
	/*
	 * the firms of 1480 are local to the report; the municipality's own
	 * procurements are the split advice's
	 */
	snprintf(cmd, sizeof cmd, "cd '%s' && sed -i -e 's|^\\[staff\\]$|[staff]\\n%s|' "
		 "-e 's|^\\[service\\]$|[service]\\nmunicipalities = 1480\\n"
		 "own_buyers = 212000-9994|' "
		 "tenderlots.conf", dir, staff);
	if (system(cmd) != 0 ||
	    web_server_start(&server, dir, "tenderlots.conf", now, NULL) < 0)
		return -1;
	return find_staff_base();
}

static void
url_of(const char *path, char *out, size_t len)
{
	snprintf(out, len, "%s%s", staff_base, path);
}

/* The cookie a reply sets, as a Cookie header's "tl_staff=ID". */
static void
cookie_set(const struct reply *r, char *out, size_t len)
{
	const char *h = buf_str(&r->headers);
	const char *p = strstr(h, "Set-Cookie: tl_staff=");

	out[0] = '\0';
	if (!p)
		p = strstr(h, "set-cookie: tl_staff=");
	if (p && strcspn(p + 12, ";\r\n") < len)
		snprintf(out, len, "%.*s", (int)strcspn(p + 12, ";\r\n"),
			 p + 12);
}

static void
get(const char *path, const char *header, struct reply *r)
{
	char url[256];

	url_of(path, url, sizeof url);
	fetch_with(url, header, NULL, 0, NULL, r);
}

static void
post(const char *path, const char *header, const char *body, struct reply *r)
{
	char url[256];

	url_of(path, url, sizeof url);
	fetch_with(url, header, body, strlen(body), NULL, r);
}

/* A Cookie header for the cookie "tl_staff=ID". */
static void
cookie_header(const char *cookie, char *out, size_t len)
{
	snprintf(out, len, "Cookie: %s", cookie);
}

/*
 * Logs in by curl as a browser would, sending the header (a cookie
 * already held, or NULL); the reply's status, its cookie in cookie.
 */
static long
login(const char *name, const char *password, const char *header,
      char *cookie, size_t len)
{
	char csrf[512], body[1024];
	struct reply r;
	long status;

	get("/staff/login", NULL, &r);
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	snprintf(body, sizeof body, "csrf=%s&name=%s&password=%s", csrf, name,
		 password);
	post("/staff/login", header, body, &r);
	status = r.status;
	if (cookie)
		cookie_set(&r, cookie, len);
	release(&r);
	return status;
}

/* The status of the start page with the cookie. */
static long
home_with(const char *cookie)
{
	char h[160];
	struct reply r;
	long status;

	cookie_header(cookie, h, sizeof h);
	get("/staff/", h, &r);
	status = r.status;
	release(&r);
	return status;
}

/* Sets the password through the link printed last, by curl. */
static long
set_password(const char *link)
{
	char csrf[512], body[1024], token[128];
	const char *t = strstr(link, "t=");
	struct reply r;
	long status;

	snprintf(token, sizeof token, "%s", t ? t + 2 : "");
	get(link, NULL, &r);
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	snprintf(body, sizeof body, "csrf=%s&t=%s&password=%s&password2=%s",
		 csrf, token, "ett+annat+l%C3%B6senord", "ett+annat+l%C3%B6senord");
	post("/staff/password", NULL, body, &r);
	status = r.status;
	release(&r);
	return status;
}

static void
test_accounts(void)
{
	char path[PATH_MAX + 16], *text;

	CHECK(tl("staff --help") == 0);
	CHECK(tl("-c tenderlots.conf staff add anna --role upphandling") == 0);
	CHECK(tl("-c tenderlots.conf staff add anna --role admin") == 1);
	CHECK(tl("-c tenderlots.conf staff add nils") == 2);
	CHECK(tl("-c tenderlots.conf staff add 'a b' --role admin") == 1);
	CHECK(tl("-c tenderlots.conf staff add nils --role naringsliv "
		 "--lang en") == 0);
	CHECK(tl("-c tenderlots.conf staff add root --role admin") == 0);
	CHECK(tl("-c tenderlots.conf staff add bob --role upphandling") == 0);
	CHECK(tl("-c tenderlots.conf staff list") == 0);
	snprintf(path, sizeof path, "%s/out.txt", dir);
	text = read_text(path);
	CHECK(text && strstr(text, "anna ") && strstr(text, "naringsliv") &&
	      strstr(text, "4 accounts"));
	free(text);
	CHECK(tl("-c tenderlots.conf staff remove nobody") == 1);
	/* only digests are stored, never the link's token */
	CHECK(db_query(db, "SELECT count(*) FROM staff_link") == 4);
}

/* The public endpoint serves none of the staff's routes. */
static void
test_public_port(void)
{
	const struct route *const *t, *r;
	char url[256];
	struct reply rep;

	for (t = staff_audiences; *t; t++) {
		for (r = *t; r->path; r++) {
			snprintf(url, sizeof url, "%s%s", server.base, r->path);
			fetch(url, NULL, 0, NULL, &rep);
			CHECK(rep.status == 404);
			release(&rep);
			fetch(url, "x=1", 3, NULL, &rep);
			CHECK(rep.status == 404);
			release(&rep);
		}
	}
}

/*
 * Steps of tests/browser.py run in headless Chromium: the pages it went
 * through, each after "== URL"; NULL if it failed.
 */
static char *
browse(const char *steps)
{
	char *out = browser_steps(project, dir, steps);

	CHECK(out != NULL);
	return out;
}

/* anna's whole way in Chromium: her link, her password, in and out. */
static void
test_browser(void)
{
	char link[256], steps[4096], *out, *p;

	CHECK(access("/usr/bin/chromium", X_OK) == 0);
	CHECK(tl("-c tenderlots.conf staff reset anna") == 0);
	printed_link(link, sizeof link);
	CHECK(link[0]);
	snprintf(steps, sizeof steps,
		 "goto %s%s\n"
		 "fill password " PASSWORD "\n"
		 "fill password2 " PASSWORD "\n"
		 "submit\n"
		 "fill name anna\n"
		 "fill password " PASSWORD "\n"
		 "submit\n"
		 "goto %s/staff/logout\n"
		 "submit\n"
		 "goto %s/staff/\n",
		 staff_base, link, staff_base, staff_base);
	out = browse(steps);
	if (!out)
		return;
	/* the link's form, then the login page saying the password is set */
	CHECK((p = strstr(out, "<h1>Välj lösenord</h1>")) != NULL);
	CHECK(p && (p = strstr(p, "/staff/login?set=1\n")) &&
	      strstr(p, "Ditt lösenord är sparat"));
	/* the start page, with the unit's part */
	CHECK(p && (p = strstr(p, "== ")) && strncmp(p + 3, staff_base,
						      strlen(staff_base)) == 0);
	CHECK(p && (p = strstr(p, "<h1>Start</h1>")) &&
	      strstr(p, "Öppna marknadsdialoger") && strstr(p, "Logga ut anna"));
	/* logged out, and the start page sends back to the login */
	CHECK(p && (p = strstr(p, "<h1>Logga ut</h1>")));
	CHECK(p && (p = strstr(p, "/staff/login\n")) &&
	      strstr(p, "<h1>Logga in</h1>"));
	CHECK(p && (p = strstr(p + 1, "/staff/login\n")) &&
	      strstr(p, "<h1>Logga in</h1>"));
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM staff_audit WHERE who = 'anna'"
		    " AND action IN ('password set', 'login', 'logout')") == 3);
	CHECK(db_query(db, "SELECT count(*) FROM staff_session") == 0);
}

/* Each account's password and session, for the walk over the routes. */
static void
test_login(void)
{
	char link[256], h[160], csrf[512], body[1024];
	struct reply r;

	CHECK(tl("-c tenderlots.conf staff reset nils") == 0);
	printed_link(link, sizeof link);
	CHECK(set_password(link) == 303);
	/* the link works once */
	get(link, NULL, &r);
	CHECK(r.status == 410);
	release(&r);
	CHECK(tl("-c tenderlots.conf staff reset root") == 0);
	printed_link(link, sizeof link);
	CHECK(set_password(link) == 303);
	CHECK(login("anna", "korrekt+h%C3%A4st+batteri", NULL, cookie_unit,
		    sizeof cookie_unit) == 303);
	CHECK(login("nils", "ett+annat+l%C3%B6senord", NULL, cookie_business,
		    sizeof cookie_business) == 303);
	CHECK(login("root", "ett+annat+l%C3%B6senord", NULL, cookie_admin,
		    sizeof cookie_admin) == 303);
	CHECK(home_with(cookie_unit) == 200);
	CHECK(home_with(cookie_business) == 200);
	CHECK(home_with(cookie_admin) == 200);
	/* nils reads English, and sees näringslivsenheten's part only */
	cookie_header(cookie_business, h, sizeof h);
	get("/staff/", h, &r);
	CHECK(strstr(buf_str(&r.body), "The firm register") &&
	      !strstr(buf_str(&r.body), "Open RFIs"));
	release(&r);
	/* over plain http the cookie cannot be Secure, and is all else */
	get("/staff/login", NULL, &r);
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	snprintf(body, sizeof body, "csrf=%s&name=root&password=%s", csrf,
		 "ett+annat+l%C3%B6senord");
	post("/staff/login", NULL, body, &r);
	CHECK(has_header(&r, "Set-Cookie: tl_staff=") &&
	      strstr(buf_str(&r.headers), "; Path=/; HttpOnly; SameSite=Strict\r\n"));
	release(&r);
	/* the same password under another name is no login */
	CHECK(login("bob", "ett+annat+l%C3%B6senord", NULL, NULL, 0) == 403);
}

static const char *
cookie_without(unsigned roles)
{
	if (!(roles & ROLE_UPPHANDLING))
		return cookie_unit;
	if (!(roles & ROLE_NARINGSLIV))
		return cookie_business;
	if (!(roles & ROLE_ADMIN))
		return cookie_admin;
	return NULL;
}

static const char *
cookie_with(unsigned roles)
{
	return roles & ROLE_ADMIN ? cookie_admin :
	       roles & ROLE_UPPHANDLING ? cookie_unit : cookie_business;
}

/* One route, as no one, as the wrong role, without CSRF. */
static void
walk_route(const struct route *r)
{
	const char *wrong;
	char h[160];
	struct reply rep;

	if (r->roles) {
		get(r->path, NULL, &rep);
		CHECK(rep.status == 303 &&
		      has_header(&rep, "Location: /staff/login"));
		release(&rep);
		/* a page without forms takes none from anyone */
		post(r->path, NULL, "x=1", &rep);
		CHECK(rep.status == (r->flags & ROUTE_POST ? 403 : 404));
		release(&rep);
		if ((wrong = cookie_without(r->roles))) {
			cookie_header(wrong, h, sizeof h);
			get(r->path, h, &rep);
			CHECK(rep.status == 403);
			release(&rep);
		}
		/* a prefix route's path alone is a list, or names nothing */
		cookie_header(cookie_with(r->roles), h, sizeof h);
		get(r->path, h, &rep);
		CHECK(rep.status == 200 ||
		      (r->flags & ROUTE_PREFIX && rep.status == 404));
		release(&rep);
	} else {
		cookie_header(cookie_admin, h, sizeof h);
	}
	if (!(r->flags & ROUTE_POST))
		return;
	post(r->path, h, "name=root", &rep);
	CHECK(rep.status == 403);
	release(&rep);
	post(r->path, h, "name=root&csrf=0123456789abcdef0123456789abcdef"
	     "0123456789abcdef0123456789abcdef", &rep);
	CHECK(rep.status == 403);
	release(&rep);
}

/* Every route of every table of the staff's listener. */
static void
test_every_route(void)
{
	const struct route *const *t, *r;

	for (t = staff_audiences; *t; t++)
		for (r = *t; r->path; r++) {
			walk_route(r);
			if (test_failures_in_current)
				fprintf(stderr, "    at %s\n", r->path);
		}
	CHECK(home_with(cookie_admin) == 200);
}

/* A session id planted before the login opens nothing after it. */
static void
test_fixation(void)
{
	static const char planted[] = "tl_staff=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	char cookie[128], again[128], h[160];

	CHECK(login("anna", "korrekt+h%C3%A4st+batteri", "Cookie: tl_staff="
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		    cookie, sizeof cookie) == 303);
	CHECK(cookie[0] && strcmp(cookie, planted) != 0);
	CHECK(home_with(planted) == 303);
	CHECK(home_with(cookie) == 200);
	/* a login from a session gets a new one, and the old one ends */
	cookie_header(cookie, h, sizeof h);
	CHECK(login("anna", "korrekt+h%C3%A4st+batteri", h, again,
		    sizeof again) == 303);
	CHECK(again[0] && strcmp(again, cookie) != 0);
	CHECK(home_with(cookie) == 303);
	CHECK(home_with(again) == 200);
	snprintf(cookie_unit, sizeof cookie_unit, "%s", again);
}

/*
 * The unit's start page, from what the commands stored: an RFI due this
 * week with its answer, a meeting with its registration against the
 * seats.
 */
static void
test_start_page(void)
{
	char path[PATH_MAX + 16], h[160];
	struct reply r;
	const char *body;

	snprintf(path, sizeof path, "%s/firms.csv", dir);
	write_text(path, "orgnr,name,email,cpv,regions,language\n"
		   "556734-2182,Berglunds Måleri AB,info@berglunds.example,"
		   "45442100,SE232,sv\n");
	snprintf(path, sizeof path, "%s/rfi.conf", dir);
	write_text(path, "[rfi]\ntitle = Skolmåleri\ndescription = Hur?\n"
		   "categories = maleri\nanswer_deadline = 2026-11-30 12:00\n"
		   "contact = Enheten <u@exempelkommun.se>\n");
	snprintf(path, sizeof path, "%s/meeting.conf", dir);
	write_text(path, "[meeting]\ntitle = Branschträff måleri\n"
		   "category = maleri\nstart = 2026-12-10 09:00\n"
		   "end = 2026-12-10 11:00\nlocation = Stadshuset\n"
		   "capacity = 40\nregistration_deadline = 2026-11-28 12:00\n");
	CHECK(tl("-c tenderlots.conf firm import firms.csv") == 0);
	CHECK(tl("-c tenderlots.conf rfi new rfi.conf") == 0);
	CHECK(tl("-c tenderlots.conf meeting new meeting.conf") == 0);
	CHECK(tl("-c tenderlots.conf rfi respond rfi-1 556734-2182") == 0);
	CHECK(tl("-c tenderlots.conf meeting register 1 556734-2182") == 0);
	cookie_header(cookie_unit, h, sizeof h);
	get("/staff/", h, &r);
	body = buf_str(&r.body);
	CHECK(r.status == 200);
	CHECK(strstr(body, "<a href=\"/staff/rfi/rfi-1\">Skolmåleri</a></h3>\n"
		     "<p>1 svar, svar senast "));
	CHECK(strstr(body, "1 anmälda av 40 platser"));
	CHECK(strstr(body, ": svar på marknadsdialogen, Skolmåleri</li>"));
	CHECK(strstr(body, ": anmälan till mötet, Branschträff måleri</li>"));
	release(&r);
}

/* A download's body in dir/name, for a reader of its own. */
static void
save(const struct reply *r, const char *name, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s", dir, name);
	f = fopen(path, "wb");
	CHECK(f && fwrite(r->body.data, 1, r->body.len, f) == r->body.len);
	if (f)
		fclose(f);
}

/*
 * Näringslivsenheten's pages: karin logs in in Chromium, chooses a
 * quarter and sees the three local firms that answered the RFI, searches
 * the register and opens a firm's history, which the audit log records;
 * the report downloads as Swedish Excel's CSV and as .xlsx. The
 * procurement unit is shown none of it.
 */
static void
test_report_pages(void)
{
	char link[256], steps[4096], path[PATH_MAX + 16], cookie[128], h[160];
	char *out, *sheet, *p;
	struct reply r;

	snprintf(path, sizeof path, "%s/local.csv", dir);
	write_text(path, "orgnr,name,email,categories,cpv,regions,language,"
		   "municipality\n"
		   "556677-1001,Ekbergs Måleri AB,a@ekberg.example,maleri,,SE232,"
		   "sv,1480\n"
		   "559011-1000,Göta Färg AB,b@gota.example,maleri,,SE232,sv,1480\n"
		   "556123-1001,Hisingens Fasad AB,c@hisingen.example,maleri,,"
		   "SE232,sv,1480\n"
		   "559876-1004,Kustens Tak AB,d@kusten.example,maleri,,SE232,"
		   "sv,1480\n");
	CHECK(tl("-c tenderlots.conf firm import local.csv") == 0);
	CHECK(tl("-c tenderlots.conf rfi respond rfi-1 556677-1001") == 0);
	CHECK(tl("-c tenderlots.conf rfi respond rfi-1 559011-1000") == 0);
	CHECK(tl("-c tenderlots.conf rfi respond rfi-1 556123-1001") == 0);
	/* three registered early for a meeting since held, two came */
	snprintf(path, sizeof path, "%s/held.conf", dir);
	write_text(path, "[meeting]\ntitle = Branschträff fasad\n"
		   "category = maleri\nstart = 2026-11-20 09:00\n"
		   "end = 2026-11-20 11:00\nlocation = Stadshuset\n");
	CHECK(tl_run(dir, EARLY, "-c tenderlots.conf meeting new held.conf") == 0);
	CHECK(tl_run(dir, EARLY, "-c tenderlots.conf meeting register 2 "
		     "556677-1001 559011-1000 556123-1001") == 0);
	CHECK(tl("-c tenderlots.conf meeting attended 2 556677-1001 "
		 "559011-1000") == 0);
	CHECK(tl("-c tenderlots.conf staff add karin --role naringsliv") == 0);
	printed_link(link, sizeof link);
	CHECK(set_password(link) == 303);

	snprintf(steps, sizeof steps,
		 "goto %s/staff/login\n"
		 "fill name karin\n"
		 "fill password ett annat lösenord\n"
		 "submit\n"
		 "goto %s/staff/report\n"
		 "fill period 2026-Q4\n"
		 "fill category maleri\n"
		 "submit\n"
		 "goto %s/staff/firms\n"
		 "fill q göta\n"
		 "submit\n"
		 "goto %s/staff/firms/559011-1000\n",
		 staff_base, staff_base, staff_base, staff_base);
	CHECK((out = browse(steps)) != NULL);
	p = out;
	/* the quarter chosen, in the staff's frame, with its figures */
	CHECK(p && (p = strstr(p, "/staff/report?lang=sv&period=2026-Q4&"
			       "from=&to=&category=maleri\n")));
	CHECK(p && strstr(p, "Logga ut karin") &&
	      strstr(p, "<option value=\"2026-Q4\" selected=\"\">"));
	CHECK(p && (p = strstr(p, "<section class=\"report\">")) &&
	      strstr(p, "Period: 2026-10-01 – 2026-12-31."));
	/* subscribed 4, mailed 0, registered 3, came 2, answered 3 */
	CHECK(p && (p = strstr(p, "<caption>Företag per kvartal</caption>")) &&
	      strstr(p, "2026-Q4</th><td>4</td><td>0</td><td>3</td><td>2</td>"
		     "<td>3</td>"));
	/* the register finds Göta Färg, and her history what she did */
	CHECK(p && (p = strstr(p, "/staff/firms?lang=sv&q=g%C3%B6ta&category=&"
			       "municipality=\n")) &&
	      strstr(p, "<a href=\"/staff/firms/559011-1000\">") &&
	      !strstr(p, "Ekbergs"));
	CHECK(p && (p = strstr(p, "/staff/firms/559011-1000\n")) &&
	      (p = strstr(p, "Göta Färg AB, 559011-1000")) &&
	      strstr(p, "<td>Svarade på RFI</td><td>Skolmåleri (rfi-1)") &&
	      strstr(p, "<td>Deltog i möte</td><td>Branschträff fasad"));
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM staff_audit WHERE who = "
		       "'karin' AND action = 'firm viewed' AND object = "
		       "'559011-1000'") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM staff_audit WHERE who = "
		       "'karin' AND action = 'firm register viewed' AND object "
		       "LIKE 'q=''göta''%'") == 1);

	/* the downloads, with karin's cookie */
	CHECK(login("karin", "ett+annat+l%C3%B6senord", NULL, cookie,
		    sizeof cookie) == 303);
	cookie_header(cookie, h, sizeof h);
	get("/staff/report?period=2026-Q4&format=csv", h, &r);
	CHECK(r.status == 200 &&
	      has_header(&r, "Content-Type: text/csv; charset=utf-8\r\n") &&
	      has_header(&r, "Content-Disposition: attachment; "
			 "filename=\"rapport.csv\"\r\n"));
	save(&r, "rapport.csv", path, sizeof path);
	release(&r);
	/* Swedish headings, a decimal comma: two of three registered came */
	sheet = sheetcheck(project, path, dir);
	CHECK(sheet && strncmp(sheet, "bom\nKvartal|Kategorikod|", 23) == 0 &&
	      strstr(sheet, "|Svarade på RFI|") && strstr(sheet, "\n2026-Q4|||"
	      "1|1|1|0|0|||0|4|0|3|2|3|0|0|1|3|2|2|66,7|0|0||0|\n"));
	free(sheet);
	get("/staff/report?period=2026-Q4&format=xlsx&lang=en", h, &r);
	CHECK(r.status == 200 &&
	      has_header(&r, "Content-Type: application/vnd.openxmlformats-"
			 "officedocument.spreadsheetml.sheet\r\n") &&
	      has_header(&r, "Content-Disposition: attachment; "
			 "filename=\"report.xlsx\"\r\n"));
	save(&r, "report.xlsx", path, sizeof path);
	release(&r);
	sheet = sheetcheck(project, path, dir);
	CHECK(sheet && strstr(sheet, "|Answered an RFI|") &&
	      strstr(sheet, "\n2026-Q4|||1|1|1|0|0|||0|4|0|3|2|3|0|0|1|3|2|2|"
		     "66.7%|0|0||0|\n"));
	free(sheet);

	/* a wrong day is shown on the form, as typed, and nothing downloads */
	get("/staff/report?from=2026-02-30&format=csv", h, &r);
	CHECK(r.status == 400 && !has_header(&r, "Content-Disposition"));
	CHECK(strstr(buf_str(&r.body), "<a href=\"#from\">from: &#39;2026-02-30&#39; "
		     "är inte en dag") &&
	      strstr(buf_str(&r.body), "name=\"from\" value=\"2026-02-30\""));
	release(&r);
	get("/staff/firms/556677-9999", h, &r);
	CHECK(r.status == 404);
	release(&r);
	get("/staff/firms?page=0", h, &r);
	CHECK(r.status == 404);
	release(&r);
	get("/staff/firms?category=nope", h, &r);
	CHECK(r.status == 400 && strstr(buf_str(&r.body), "href=\"#category\""));
	release(&r);

	/* the procurement unit sees neither the report nor a firm */
	cookie_header(cookie_unit, h, sizeof h);
	get("/staff/report?period=2026-Q4&format=csv", h, &r);
	CHECK(r.status == 403 && !has_header(&r, "Content-Disposition"));
	release(&r);
	get("/staff/firms/559011-1000", h, &r);
	CHECK(r.status == 403);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM staff_audit WHERE action = "
		       "'firm viewed'") == 1);
}

/* Steps that log anna in, for a browser of its own. */
#define LOGIN_STEPS(base) \
	"goto " base "/staff/login\n" \
	"fill name anna\n" \
	"fill password " PASSWORD "\n" \
	"submit\n"

/*
 * A meeting through the unit's form in Chromium: a fault shown on the
 * form naming its field, with what was typed kept; the preview saying
 * whom it invites, storing nothing; publishing it; and the invitation
 * the firm gets with the next run, through the relay.
 */
static void
test_unit_meeting(void)
{
	char steps[4096], files[PATH_MAX + 32], *out, *p, *all, *mail;

	snprintf(steps, sizeof steps, LOGIN_STEPS("%s")
		 "goto %s/staff/meetings/new\n"
		 "fill title Branschträff fasadmåleri\n"
		 "fill category maleri\n"
		 "fill start 2026-12-03 09:00\n"
		 "fill end 2026-12-03 08:00\n"
		 "fill location Stadshuset, sal 2\n"
		 "fill capacity 30\n"
		 "submit\n"
		 "fill end 2026-12-03 11:00\n"
		 "submit\n"
		 "submit\n"
		 "goto %s/staff/meetings\n",
		 staff_base, staff_base, staff_base);
	out = browse(steps);
	if (!out)
		return;
	CHECK((p = strstr(out, "<h1>Nytt möte</h1>")) != NULL);
	CHECK(p && (p = strstr(p, "<a href=\"#end\">Slutar: innan mötet "
			       "börjar</a>")) &&
	      strstr(p, "value=\"Stadshuset, sal 2\"") &&
	      strstr(p, "<option value=\"maleri\" selected=\"\">"));
	CHECK(p && (p = strstr(p, "<h2>Förhandsgranskning</h2>")) &&
	      strstr(p, "5 företag bjuds in med nästa körning"));
	CHECK(p && (p = strstr(p, "== ")) &&
	      strstr(p, "/staff/meeting/3\n") &&
	      (p = strstr(p, "<h1>Branschträff fasadmåleri</h1>")) &&
	      strstr(p, "0 av 30 platser"));
	CHECK(p && (p = strstr(p, "<h1>Möten</h1>")) &&
	      strstr(p, "Branschträff fasadmåleri</a></h3>\n<p>3 december 2026 "
		     "kl. 09:00 (CET): 0 anmälda av 30 platser"));
	free(out);
	/* the preview stored nothing: one meeting, as published */
	CHECK(db_query(db, "SELECT count(*) FROM meeting WHERE title = "
		       "'Branschträff fasadmåleri' AND capacity = 30 AND "
		       "category = 'maleri' AND location = 'Stadshuset, sal 2'")
	      == 1);
	CHECK(db_query(db, "SELECT count(*) FROM staff_audit WHERE who = 'anna'"
		       " AND action = 'meeting published' AND object = "
		       "'meeting 3'") == 1);
	CHECK(tl("-c tenderlots.conf run --once") == 0);
	snprintf(files, sizeof files, "%s/*", relay.mail);
	all = mailcheck(project, files, dir);
	mail = all ? mail_to(all, "info@berglunds.example", "header Subject: "
			     "Inbjudan: Branschträff fasadmåleri, 3 december") :
		     NULL;
	CHECK(mail && strstr(mail, "part: text/calendar") &&
	      strstr(mail, "Stadshuset, sal 2"));
	free(mail);
	free(all);
}

/*
 * The check-in list: refused before the meeting begins; once it has, the
 * registered firm ticked in Chromium is recorded as attending.
 */
static void
test_unit_checkin(void)
{
	char steps[4096], h[160], check[64], *out, *p;
	struct reply r;

	cookie_header(cookie_unit, h, sizeof h);
	get("/staff/checkin/3", h, &r);
	CHECK(r.status == 409);
	release(&r);
	CHECK(tl("-c tenderlots.conf meeting register 3 556734-2182") == 0);
	/* half an hour into the meeting */
	CHECK(start("", "2026-12-03T08:30:00Z") == 0);
	snprintf(check, sizeof check, "check orgnr 556734-2182\n");
	snprintf(steps, sizeof steps, LOGIN_STEPS("%s")
		 "goto %s/staff/meeting/3\n"
		 "goto %s/staff/checkin/3\n"
		 "%s"
		 "submit\n"
		 "goto %s/staff/checkin/3/print\n", staff_base, staff_base,
		 staff_base, check, staff_base);
	out = browse(steps);
	if (!out)
		return;
	CHECK((p = strstr(out, "<h1>Branschträff fasadmåleri</h1>")) &&
	      strstr(p, "Närvarolista för dörren"));
	CHECK(p && (p = strstr(p, "<h1>Närvaro: Branschträff fasadmåleri</h1>"))
	      && strstr(p, "Berglunds Måleri AB"));
	CHECK(p && (p = strstr(p, "/staff/checkin/3?saved=1\n")) &&
	      strstr(p, "Närvaron är sparad.") &&
	      strstr(p, "value=\"556734-2182\" checked=\"\">"));
	CHECK(p && (p = strstr(p, "/staff/checkin/3/print\n")) &&
	      strstr(p, "Berglunds Måleri AB"));
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM meeting_registration WHERE "
		       "meeting = 3 AND attended = 1") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM staff_audit WHERE action = "
		       "'attendance' AND object = 'meeting 3: 1 firms'") == 1);
	CHECK(start("", NOW) == 0);
}

/*
 * A meeting ahead: its change form shows what it is; fewer seats than
 * registered name who would move to the waiting list and change nothing
 * until confirmed, then the change is a new version and they wait;
 * cancelling it names how many firms are told. Both in the audit log.
 */
static void
test_unit_change_cancel(void)
{
	char h[160], csrf[512], body[1024], path[PATH_MAX + 16];
	struct reply r;

	cookie_header(cookie_unit, h, sizeof h);
	get("/staff/meeting/1/change", h, &r);
	CHECK(r.status == 200 &&
	      strstr(buf_str(&r.body), "<h1>Ändra mötet</h1>") &&
	      strstr(buf_str(&r.body), "value=\"2026-12-10 09:00\"") &&
	      strstr(buf_str(&r.body), "value=\"Stadshuset\""));
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	/* a second firm registered: one seat would move the last one */
	snprintf(path, sizeof path, "%s/firms2.csv", dir);
	write_text(path, "orgnr,name,email,cpv,regions,language\n"
		   "559112-6833,Västkust El & Energi AB,anbud@vastkust-el."
		   "example,45310000,SE232,sv\n");
	CHECK(tl("-c tenderlots.conf firm import firms2.csv") == 0);
	CHECK(tl("-c tenderlots.conf meeting register 1 559112-6833") == 0);
	snprintf(body, sizeof body, "csrf=%s&step=publish&title=Branschtr"
		 "%%C3%%A4ff+m%%C3%%A5leri&category=maleri&start=2026-12-10+"
		 "10%%3A00&end=2026-12-10+12%%3A00&location=Stadshuset&"
		 "capacity=1", csrf);
	post("/staff/meeting/1/change", h, body, &r);
	CHECK(r.status == 200 &&
	      strstr(buf_str(&r.body), "flyttas de sist anmälda till "
		     "väntelistan") &&
	      strstr(buf_str(&r.body), "<li>Västkust El &amp; Energi AB "
		     "(559112-6833)</li>") &&
	      strstr(buf_str(&r.body), "name=\"confirm\" value=\"1\""));
	release(&r);
	CHECK(db_query(db, "SELECT sequence FROM meeting WHERE id = 1") == 0);
	strcat(body, "&confirm=1");
	post("/staff/meeting/1/change", h, body, &r);
	CHECK(r.status == 303 && has_header(&r, "Location: /staff/meeting/1"));
	release(&r);
	CHECK(db_query(db, "SELECT sequence FROM meeting WHERE id = 1") == 1);
	get("/staff/meeting/1", h, &r);
	CHECK(strstr(buf_str(&r.body), "Västkust El &amp; Energi AB</td><td>"
		     "på väntelistan"));
	release(&r);
	get("/staff/meeting/1", h, &r);
	CHECK(strstr(buf_str(&r.body), "De 5 inbjudna företagen får ett mejl"));
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	snprintf(body, sizeof body, "csrf=%s", csrf);
	post("/staff/meeting/1/cancel", h, body, &r);
	CHECK(r.status == 303);
	release(&r);
	CHECK(db_query(db, "SELECT cancelled FROM meeting WHERE id = 1") == 1);
	post("/staff/meeting/1/cancel", h, body, &r);
	CHECK(r.status == 409);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM staff_audit WHERE object = "
		       "'meeting 1' AND action IN ('meeting changed', "
		       "'meeting cancelled')") == 2);
	/* in English on request */
	get("/staff/meetings?lang=en", h, &r);
	CHECK(strstr(buf_str(&r.body), "<h1>Meetings</h1>") &&
	      strstr(buf_str(&r.body), "(cancelled)"));
	release(&r);
}

/*
 * The firm answers through the signed link of its RFI mail, on the
 * public pages, with a text and a PDF; the unit reads the answer on the
 * RFI's page and downloads the file.
 */
static void
answer(const char *link)
{
	static const char script[] =
		"const dt = new DataTransfer();\n"
		"dt.items.add(new File(['%PDF-1.4 offert'], 'offert.pdf'));\n"
		"document.getElementById('files').files = dt.files;\n"
		"document.getElementById('text').value = 'Vi kan börja i mars.';\n"
		"document.forms[0].requestSubmit();\n";
	char url[1024], steps[2048], h[160], *dom, *out, *p;
	struct reply r;

	snprintf(url, sizeof url, "%s%s", server.base, link);
	dom = browser_dom(project, dir, url, script);
	CHECK(dom != NULL);
	free(dom);
	CHECK(db_query(db, "SELECT count(*) FROM rfi_file") == 1);
	snprintf(steps, sizeof steps, LOGIN_STEPS("%s")
		 "goto %s/staff/rfi/rfi-2\n", staff_base, staff_base);
	out = browse(steps);
	CHECK(out && (p = strstr(out, "<h3>Berglunds Måleri AB (556734-2182)"
				 "</h3>")) &&
	      strstr(p, "Vi kan börja i mars.") &&
	      strstr(p, "<a href=\"/staff/file/1\">offert.pdf</a>"));
	free(out);
	cookie_header(cookie_unit, h, sizeof h);
	get("/staff/file/1", h, &r);
	CHECK(r.status == 200 && has_header(&r, "Content-Type: application/pdf")
	      && strncmp(buf_str(&r.body), "%PDF-1.4", 8) == 0);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM staff_audit WHERE action = "
		       "'answer downloaded' AND object = 'file 1'") == 1);
}

/*
 * An RFI through the unit's form in Chromium: a fault shown on the form
 * with the ticked category kept, the preview naming the category and the
 * firms it reaches, publishing it; the mail the firm gets with the next
 * run, through the relay.
 */
static void
test_unit_rfi(void)
{
	char steps[4096], files[PATH_MAX + 32], link[768], *out, *p, *all;
	char *mail;

	snprintf(steps, sizeof steps, LOGIN_STEPS("%s")
		 "goto %s/staff/rfis/new\n"
		 "fill title Fasadmålning av skolor\n"
		 "check category maleri\n"
		 "fill answer_deadline 2026-12-20 12:00\n"
		 "fill contact Upphandlingsenheten <upphandling@exempelkommun.se>\n"
		 "fill attachments ftp://exempelkommun.se/fasad.pdf\n"
		 "submit\n"
		 "fill attachments https://exempelkommun.se/fasad.pdf\n"
		 "submit\n"
		 "submit\n"
		 "goto %s/staff/rfis\n",
		 staff_base, staff_base, staff_base);
	out = browse(steps);
	if (!out)
		return;
	CHECK((p = strstr(out, "<h1>Ny marknadsdialog</h1>")) != NULL);
	CHECK(p && (p = strstr(p, "<a href=\"#attachments\">Dokument: ")) &&
	      strstr(p, "value=\"Fasadmålning av skolor\"") &&
	      strstr(p, "value=\"maleri\" checked=\"\">"));
	CHECK(p && (p = strstr(p, "<h2>Förhandsgranskning</h2>")) &&
	      strstr(p, "Den når 5 företag med nästa körning") &&
	      strstr(p, "<li>Måleri</li>"));
	CHECK(p && (p = strstr(p, "/staff/rfi/rfi-2\n")) &&
	      (p = strstr(p, "<h1>Fasadmålning av skolor</h1>")) &&
	      strstr(p, "Stäng marknadsdialogen"));
	CHECK(p && (p = strstr(p, "<h1>Marknadsdialoger</h1>")) &&
	      strstr(p, "Fasadmålning av skolor"));
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM notice WHERE notice_id = "
		       "'rfi-2' AND title = 'Fasadmålning av skolor'") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM staff_audit WHERE who = 'anna'"
		       " AND action = 'rfi published' AND object = 'rfi-2'")
	      == 1);
	/* the page stored it; the pass matches it, not the web request */
	CHECK(db_query(db, "SELECT count(*) FROM notice WHERE notice_id = "
		       "'rfi-2' AND match_later = 1") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM match WHERE notice_id = "
		       "'rfi-2'") == 0);
	CHECK(tl("-c tenderlots.conf run --once") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM notice WHERE notice_id = "
		       "'rfi-2' AND match_later = 1") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM match WHERE notice_id = "
		       "'rfi-2'") == 5);
	snprintf(files, sizeof files, "%s/*", relay.mail);
	all = mailcheck(project, files, dir);
	mail = all ? mail_to(all, "info@berglunds.example",
			     "Fasadmålning av skolor") : NULL;
	CHECK(mail && strstr(mail, "https://exempelkommun.se/fasad.pdf"));
	link_in(mail, "https://upphandling.exempelkommun.se/answer/", link,
		sizeof link);
	free(mail);
	free(all);
	CHECK(link[0] != '\0');
	answer(link);
}

/*
 * A split decision on one of the municipality's own procurements of
 * one lot, in Chromium: not divided, with a reason of LOU 4 kap. 14 §;
 * who and when; and its printable record.
 */
static void
test_unit_advice(void)
{
	char steps[4096], h[160], *out, *p;
	struct reply r1, r2;
	int in1, in2;

	snprintf(steps, sizeof steps, LOGIN_STEPS("%s")
		 "goto %s/staff/advice\n"
		 "fill decision not_divided\n"
		 "check reason cost\n"
		 "fill note Ramavtal finns redan\n"
		 "submit\n", staff_base, staff_base);
	out = browse(steps);
	if (!out)
		return;
	CHECK((p = strstr(out, "<h1>Delningsråd</h1>")) != NULL);
	CHECK(p && (p = strstr(p, "/staff/advice\n")) &&
	      strstr(p, "Beslut: not_divided, av anna"));
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM split_decision WHERE decision"
		       " = 'not_divided' AND reasons = 'cost' AND decided_by = "
		       "'anna' AND note = 'Ramavtal finns redan'") == 1);
	cookie_header(cookie_unit, h, sizeof h);
	get("/staff/advice/rfi-1/record", h, &r1);
	get("/staff/advice/rfi-2/record", h, &r2);
	in1 = strstr(buf_str(&r1.body), "ekonomiskt ofördelaktigt") != NULL;
	in2 = strstr(buf_str(&r2.body), "ekonomiskt ofördelaktigt") != NULL;
	CHECK(r1.status == 200 && r2.status == 200 && in1 + in2 == 1);
	CHECK(strstr(buf_str(in1 ? &r1.body : &r2.body), "anna"));
	release(&r1);
	release(&r2);
}

/*
 * A decision refused comes back on its form, naming the field, with what
 * was chosen and typed; nothing is recorded.
 */
static void
test_unit_advice_refused(void)
{
	char h[160], csrf[512], body[1024];
	long long before = db_query(db, "SELECT count(*) FROM split_decision");
	struct reply r;
	const char *page;

	cookie_header(cookie_unit, h, sizeof h);
	get("/staff/advice", h, &r);
	CHECK(r.status == 200);
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	snprintf(body, sizeof body, "csrf=%s&decision=not_divided&reason=cost"
		 "&reason=other&parts=", csrf);
	post("/staff/advice/rfi-1", h, body, &r);
	page = buf_str(&r.body);
	CHECK(r.status == 400);
	CHECK(strstr(page, "Kommentar: skälet ”annat skäl” behöver"));
	CHECK(strstr(page, "value=\"not_divided\" checked>"));
	CHECK(strstr(page, "id=\"reason-other-rfi-1\" name=\"reason\" "
			   "value=\"other\" checked>"));
	CHECK(strstr(page, "id=\"reason-cost-rfi-1\" name=\"reason\" "
			   "value=\"cost\" checked>"));
	/* the other candidate's form is as it always is */
	CHECK(!strstr(page, "id=\"reason-cost-rfi-2\" name=\"reason\" "
			    "value=\"cost\" checked>"));
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM split_decision") == before);
}

/*
 * The unit's RFI edited from its page (starting with its title and
 * deadline), closed; a new one of the same title warned of as a likely
 * duplicate; another withdrawn with why, leaving the list marked so.
 * Each in the audit log.
 */
static void
test_unit_rfi_changes(void)
{
	char h[160], csrf[512], body[1024];
	struct reply r;

	cookie_header(cookie_unit, h, sizeof h);
	get("/staff/rfi/rfi-2/edit", h, &r);
	CHECK(r.status == 200 &&
	      strstr(buf_str(&r.body), "<h1>Ändra marknadsdialogen</h1>") &&
	      strstr(buf_str(&r.body), "value=\"Fasadmålning av skolor\"") &&
	      strstr(buf_str(&r.body), "value=\"2026-12-20 12:00\""));
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	snprintf(body, sizeof body, "csrf=%s&step=publish&title=Fasadm%%C3%%A5"
		 "lning+av+skolor&category=maleri&answer_deadline=2027-01-10+"
		 "12%%3A00&contact=u%%40exempelkommun.se", csrf);
	post("/staff/rfi/rfi-2/edit", h, body, &r);
	CHECK(r.status == 303);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM notice WHERE notice_id = "
		       "'rfi-2'") == 2);
	snprintf(body, sizeof body, "csrf=%s", csrf);
	post("/staff/rfi/rfi-2/close", h, body, &r);
	CHECK(r.status == 303);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM rfi WHERE notice_id = 'rfi-2'"
		       " AND closed_at IS NOT NULL") == 1);
	/* the same title again: the preview warns, and nothing is stored */
	snprintf(body, sizeof body, "csrf=%s&step=preview&title=Fasadm%%C3%%A5"
		 "lning+av+skolor&category=maleri&answer_deadline=2027-01-10+"
		 "12%%3A00&contact=u%%40exempelkommun.se", csrf);
	post("/staff/rfis/new", h, body, &r);
	CHECK(r.status == 200 && strstr(buf_str(&r.body), "Möjlig dubblett: "
					"Fasadmålning av skolor (rfi-2)"));
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM rfi") == 2);
	snprintf(body, sizeof body, "csrf=%s", csrf);
	post("/staff/rfi/rfi-1/withdraw", h, body, &r);
	CHECK(r.status == 400 && strstr(buf_str(&r.body), "<a href=\"#why\">"
					"Varför: skriv på en rad"));
	release(&r);
	snprintf(body, sizeof body, "csrf=%s&why=Publicerad+av+misstag", csrf);
	post("/staff/rfi/rfi-1/withdraw", h, body, &r);
	CHECK(r.status == 303);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM rfi WHERE notice_id = 'rfi-1'"
		       " AND withdrawn_at IS NOT NULL") == 1);
	get("/staff/rfis", h, &r);
	CHECK(strstr(buf_str(&r.body), "Skolmåleri</a></h3>\n<p>rfi-1: ") &&
	      strstr(buf_str(&r.body), " (tillbakadragen)</p>") &&
	      strstr(buf_str(&r.body), " (stängd)</p>"));
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM staff_audit WHERE action IN "
		       "('rfi edited', 'rfi closed', 'rfi withdrawn')") == 3);
}

/* Guessing eve's password: after five tries, even the right one waits. */
static void
test_brute_force(void)
{
	char link[256];
	int i;

	CHECK(tl("-c tenderlots.conf staff add eve --role upphandling") == 0);
	printed_link(link, sizeof link);
	CHECK(set_password(link) == 303);
	for (i = 0; i < 5; i++)
		CHECK(login("eve", "gissning+nummer+x", NULL, NULL, 0) == 403);
	CHECK(login("eve", "ett+annat+l%C3%B6senord", NULL, NULL, 0) == 429);
	CHECK(db_query(db, "SELECT count(*) FROM staff_audit WHERE who = 'eve'"
		    " AND action = 'login failed'") == 5);
	CHECK(db_query(db, "SELECT count(*) FROM staff_audit WHERE who = 'eve'"
		    " AND action = 'login refused'") == 1);
}

/* The audit log, for admins: newest first. */
static void
test_audit_page(void)
{
	char h[160];
	struct reply r;
	const char *body, *refused, *failed;

	cookie_header(cookie_admin, h, sizeof h);
	get("/staff/audit", h, &r);
	body = buf_str(&r.body);
	CHECK(r.status == 200);
	refused = strstr(body, "login refused");
	failed = strstr(body, "login failed");
	CHECK(refused && failed && refused < failed);
	CHECK(strstr(body, "127.0.0.1"));
	release(&r);
	get("/staff/audit?page=0", h, &r);
	CHECK(r.status == 404);
	release(&r);
}

/* Removing an account or resetting its password ends its sessions. */
static void
test_sessions_end(void)
{
	CHECK(home_with(cookie_business) == 200);
	CHECK(tl("-c tenderlots.conf staff remove nils") == 0);
	CHECK(home_with(cookie_business) == 303);
	CHECK(login("nils", "ett+annat+l%C3%B6senord", NULL, NULL, 0) == 403);
	CHECK(home_with(cookie_unit) == 200);
	CHECK(tl("-c tenderlots.conf staff reset anna") == 0);
	CHECK(home_with(cookie_unit) == 303);
	CHECK(db_query(db, "SELECT count(*) FROM staff_audit WHERE who = 'cli'"
		    " AND action = 'account removed' AND object = 'nils'") == 1);
}

/*
 * After half an hour unused a session is over; the single sign-on
 * header is taken from a trusted proxy, for an account there is.
 */
static void
test_single_sign_on(void)
{
	char cookie[128];
	struct reply r;

	CHECK(start("user_header = X-Remote-User\\ntrusted_proxies = "
		    "127.0.0.1\\npublic_url = https://personal.example", LATER) == 0);
	CHECK(home_with(cookie_admin) == 303);
	get("/staff/", "X-Remote-User: root", &r);
	CHECK(r.status == 200);
	CHECK(strstr(buf_str(&r.headers), "; SameSite=Strict; Secure\r\n"));
	cookie_set(&r, cookie, sizeof cookie);
	CHECK(strstr(buf_str(&r.body), "Logga ut root") != NULL);
	release(&r);
	CHECK(cookie[0] && home_with(cookie) == 200);
	get("/staff/", "X-Remote-User: mallory", &r);
	CHECK(r.status == 403);
	release(&r);
	/* from a peer that is not a trusted proxy, the header is no one's */
	CHECK(start("user_header = X-Remote-User\\ntrusted_proxies = "
		    "192.0.2.1", LATER) == 0);
	get("/staff/", "X-Remote-User: root", &r);
	CHECK(r.status == 303 && !has_header(&r, "Set-Cookie"));
	release(&r);
}

/* config check names the file, the line and the key. */
static void
test_config_check(void)
{
	char path[PATH_MAX * 2], *err;

	web_config(dir, project, "bad.conf", "", "");
	snprintf(path, sizeof path, "cd '%s' && sed -i 's|^\\[staff\\]$|[staff]\\n"
		 "listen = localhost\\nuser_header = X Remote\\n"
		 "idle_timeout = 2h\\nsession_timeout = 1h\\n"
		 "public_url = ftp://x|' bad.conf", dir);
	CHECK(system(path) == 0);
	CHECK(tl_run(dir, NOW, "-c bad.conf config check") == 1);
	snprintf(path, sizeof path, "%s/err.txt", dir);
	err = read_text(path);
	CHECK(err && strstr(err, "bad.conf:13: [staff] listen: 'localhost' is "
			    "not an IPv4 or IPv6 address"));
	CHECK(err && strstr(err, "bad.conf:14: [staff] user_header: 'X Remote' "
			    "is not a header name"));
	CHECK(err && strstr(err, "bad.conf:16: [staff] session_timeout: "));
	CHECK(err && strstr(err, "bad.conf:17: ") && strstr(err, "ftp://x"));
	free(err);
}

int
main(void)
{
	char path[PATH_MAX + 16];
	int rc;

	if (!getcwd(project, sizeof project))
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	make_tmpdir(dir, "test_staff");
	snprintf(db, sizeof db, "%s/var/t.db", dir);
	snprintf(path, sizeof path, "%s/feeds.conf", dir);
	write_text(path, "");
	if (smtpd_start(&relay, &(struct smtpd_options){ 0 }) < 0)
		return 2;
	if (start("", NOW) < 0) {
		fprintf(stderr, "tenderlots web did not start\n");
		return 1;
	}
	RUN(test_accounts);
	RUN(test_public_port);
	RUN(test_browser);
	RUN(test_login);
	RUN(test_every_route);
	RUN(test_fixation);
	RUN(test_start_page);
	RUN(test_report_pages);
	RUN(test_unit_meeting);
	RUN(test_unit_checkin);
	RUN(test_unit_change_cancel);
	RUN(test_unit_rfi);
	RUN(test_unit_advice);
	RUN(test_unit_advice_refused);
	RUN(test_unit_rfi_changes);
	RUN(test_brute_force);
	RUN(test_audit_page);
	RUN(test_sessions_end);
	RUN(test_single_sign_on);
	RUN(test_config_check);
	CHECK(web_server_stop(&server) == 0);
	CHECK(smtpd_stop(&relay) == 0);
	rc = test_done("test_staff");
	if (rc == 0)
		rm_rf(dir);
	curl_global_cleanup();
	return rc;
}
