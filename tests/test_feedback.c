/*
 * "Was it useful?": every alert mail carries, per lot, a Relevant and a
 * Not relevant link (both parts, read with Python's email package); a GET
 * of either, as a mail scanner makes it, records nothing, the page's
 * button (in headless Chromium) does, and a second answer takes the
 * first's place; a forged, expired or another firm's link and a POST
 * without the page's CSRF token are refused. After a meeting, each firm
 * that came (a guest too) gets one survey mail, those absent none, nor
 * those of a cancelled meeting or of one long past; the survey's form
 * wants a rating and caps the comment. The report counts it all: 3
 * answers of which 2 relevant, 66,7 %; 2 survey answers, a mean of 4,5,
 * in HTML, CSV (Python's csv module) and xlsx (openpyxl).
 */
#define _XOPEN_SOURCE 700

#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "test.h"
#include "testutil.h"
#include "testweb.h"
#include "testsite.h"
#include "testdb.h"
#include "token.h"

/* the meeting's day, the pass after it, and a pass 5 days on */
#define DURING "2026-11-24T09:30:00Z"
#define OLD_DURING "2026-11-10T09:30:00Z"
#define NOW "2026-11-25T08:00:00Z"
#define LATER "2026-11-30T08:00:00Z"

#define ALFA "556734-2182"		/* Berglunds Måleri, local */
#define BETA "556902-4473"		/* Färg & Fasad, local: absent */
#define GUEST "559999-0008"

static char project[PATH_MAX], dir[PATH_MAX], db[PATH_MAX + 16];
static char mails[PATH_MAX + 32];
static char relevant_path[512], not_relevant_path[512], survey_path[512];
static char english_path[512];
static struct web_server server;

static const char meeting_conf[] =
	"[meeting]\ntitle = Branschträff måleri\ncategory = maleri\n"
	"start = 2026-11-24 09:00\nend = 2026-11-24 11:00\n"
	"location = Stadshuset\n";
static const char old_conf[] =
	"[meeting]\ntitle = Tidigare träff\ncategory = maleri\n"
	"start = 2026-11-10 09:00\nend = 2026-11-10 11:00\n"
	"location = Stadshuset\n";
static const char cancelled_conf[] =
	"[meeting]\ntitle = Inställd träff\ncategory = maleri\n"
	"start = 2026-11-24 13:00\nend = 2026-11-24 15:00\n"
	"location = Stadshuset\n";

static void
db_exec(const char *sql)
{
	sqlite3 *h;

	CHECK(sqlite3_open(db, &h) == SQLITE_OK &&
	      sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(h);
}

static int
tl(const char *now, const char *args)
{
	char cmd[1024];

	snprintf(cmd, sizeof cmd, "-c tenderlots.conf %s", args);
	return tl_run(dir, now, cmd);
}

static void
write_conf(const char *name, const char *text)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	write_text(path, text);
}

/* A guest registered for meeting 1 who came. */
static void
add_guest(void)
{
	struct store *s = NULL;
	int64_t id = 0;
	int created = 0;

	CHECK(store_open(db, &s) == 0);
	if (!s)
		return;
	CHECK(store_guest_request(s, 1, GUEST, "Gästfirman AB",
				  "gast@gastfirman.example", "sv",
				  1795500000, 0, &id, &created) == 0 && created);
	CHECK(store_set_attendee(s, id, RS_REGISTERED, 1795500000) == 0);
	store_free(s);
}

static void
setup(void)
{
	char path[PATH_MAX + 32], *firms, *at;

	snprintf(path, sizeof path, "%s/config/firms.example.csv", project);
	firms = read_text(path);
	CHECK(firms && site_dir(dir, project, "test_feedback", "", firms,
				"2026-11-01T08:00:00Z") == 0);
	free(firms);
	snprintf(db, sizeof db, "%s/var/t.db", dir);
	snprintf(path, sizeof path, "%s/tenderlots.conf", dir);
	firms = read_text(path);
	if (firms && (at = strstr(firms, "[service]\n"))) {
		/* the local firms of the report's figures */
		char *text = malloc(strlen(firms) + 64);

		at += strlen("[service]\n");
		sprintf(text, "%.*smunicipalities = 1480\n%s", (int)(at - firms),
			firms, at);
		free(firms);
		firms = text;
		text = malloc(strlen(firms) + 128);
		at = strstr(firms, "[staff]\n") + strlen("[staff]\n");
		/* the staff's pages believe the proxy's word on who it is */
		sprintf(text, "%.*suser_header = X-Remote-User\n"
			"trusted_proxies = 127.0.0.1\n%s", (int)(at - firms),
			firms, at);
		write_text(path, text);
		free(text);
	}
	free(firms);
	write_conf("m1.conf", meeting_conf);
	write_conf("m2.conf", old_conf);
	write_conf("m3.conf", cancelled_conf);
	CHECK(tl("2026-11-01T08:00:00Z", "meeting new m1.conf") == 0);
	CHECK(tl("2026-11-01T08:00:00Z", "meeting new m2.conf") == 0);
	CHECK(tl("2026-11-01T08:00:00Z", "meeting new m3.conf") == 0);
	CHECK(tl("2026-11-02T08:00:00Z", "meeting register 1 " ALFA " " BETA)
	      == 0);
	add_guest();
	CHECK(tl(DURING, "meeting attended 1 " ALFA " " GUEST) == 0);
	CHECK(tl(OLD_DURING, "meeting attended 2 " ALFA) == 0);
	CHECK(tl("2026-11-24T12:30:00Z", "meeting attended 3 " ALFA) == 0);
	db_exec("UPDATE meeting SET cancelled = 1 WHERE id = 3");
	CHECK(tl(NOW, "run --once") == 0);
	CHECK(tl(NOW, "staff add anna --role upphandling") == 0);
	snprintf(mails, sizeof mails, "'%s'/var/mail/new/*", dir);
	if (web_server_start(&server, dir, "tenderlots.conf", NOW, NULL) < 0) {
		fprintf(stderr, "the web endpoint did not start\n");
		exit(1);
	}
}

/* Both links in both parts of Berglunds' tender mail; each its own. */
static void
test_mail_links(void)
{
	char *all, *mail, link[1024];

	setenv("MAILCHECK_HTML", "1", 1);
	all = mailcheck(project, mails, dir);
	unsetenv("MAILCHECK_HTML");
	mail = mail_to(all, "info@berglunds-maleri.example", "Relevant: ");
	CHECK(mail != NULL);
	if (!mail) {
		free(all);
		return;
	}
	CHECK(strstr(mail, "Var detta relevant för er?"));
	link_in(strstr(mail, "body:"), "https://upphandling.exempelkommun.se"
		"/feedback/", relevant_path, sizeof relevant_path);
	link_in(strstr(mail, "Inte relevant: "), "https://upphandling."
		"exempelkommun.se/feedback/", not_relevant_path,
		sizeof not_relevant_path);
	CHECK(strstr(relevant_path, "/relevant") &&
	      !strstr(relevant_path, "not-relevant"));
	CHECK(strstr(not_relevant_path, "/not-relevant"));
	/* the HTML part has the same two links */
	snprintf(link, sizeof link, "<a href=\"https://upphandling."
		 "exempelkommun.se%s\">Relevant</a>", relevant_path);
	CHECK(strstr(mail, link) && strstr(mail, link) < strstr(mail, "body:"));
	snprintf(link, sizeof link, "<a href=\"https://upphandling."
		 "exempelkommun.se%s\">Inte relevant</a>", not_relevant_path);
	CHECK(strstr(mail, link) && strstr(mail, link) < strstr(mail, "body:"));
	CHECK(strstr(mail, "defects: 0"));
	free(mail);
	/* an English firm's mail says it in English */
	mail = mail_to(all, "sales@nordiccloud.example", "Not relevant: ");
	CHECK(mail && strstr(mail, "Was this relevant to you?") &&
	      strstr(mail, "/not-relevant?lang=en"));
	link_in(mail ? strstr(mail, "Not relevant: ") : NULL, "https://"
		"upphandling.exempelkommun.se/feedback/", english_path,
		sizeof english_path);
	free(mail);
	free(all);
}

/* A scanner's GET shows the question, the link's answer chosen; no record. */
static void
test_get_records_nothing(void)
{
	struct reply r;
	char url[1024];

	snprintf(url, sizeof url, "%s%s", server.base, relevant_path);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 200);
	CHECK(strstr(buf_str(&r.body), "Berglunds Måleri AB fick ett mejl"));
	CHECK(strstr(buf_str(&r.body), "value=\"relevant\" required checked"));
	release(&r);
	snprintf(url, sizeof url, "%s%s", server.base, not_relevant_path);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 200);
	CHECK(strstr(buf_str(&r.body), "value=\"not-relevant\" checked"));
	CHECK(!strstr(buf_str(&r.body), "value=\"relevant\" required checked"));
	release(&r);
	/* in English for a firm that reads English */
	snprintf(url, sizeof url, "%s%s", server.base, english_path);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 200 && strstr(buf_str(&r.body), "Was it relevant to "
					"you?") &&
	      strstr(buf_str(&r.body), "value=\"not-relevant\" checked"));
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM match_feedback") == 0);
}

/* The button in Chromium records; a second answer replaces the first. */
static void
test_answer_in_browser(void)
{
	char url[1024], *dom;
	struct reply r;

	snprintf(url, sizeof url, "%s%s", server.base, relevant_path);
	dom = browser_dom(project, dir, url,
			  "document.getElementById('comment').value = "
			  "'Precis vår sorts uppdrag';\n"
			  "document.forms[0].requestSubmit();");
	CHECK(dom && strstr(dom, "Tack för ert svar!"));
	free(dom);
	CHECK(db_query(db, "SELECT count(*) FROM match_feedback f JOIN match m"
		       " ON m.id = f.match JOIN firm i ON i.id = m.firm WHERE"
		       " i.orgnr = '" ALFA "' AND f.relevant = 1 AND f.comment ="
		       " 'Precis vår sorts uppdrag'") == 1);
	/* changed from the not-relevant link's page */
	snprintf(url, sizeof url, "%s%s", server.base, not_relevant_path);
	dom = browser_dom(project, dir, url, "document.forms[0].requestSubmit();");
	CHECK(dom && strstr(dom, "Tack för ert svar!"));
	free(dom);
	CHECK(db_query(db, "SELECT count(*) FROM match_feedback") == 1);
	CHECK(db_query(db, "SELECT relevant FROM match_feedback") == 0);
	/* a POST without the page's token records nothing */
	fetch(url, "answer=relevant", 15, NULL, &r);
	CHECK(r.status == 403);
	release(&r);
	CHECK(db_query(db, "SELECT relevant FROM match_feedback") == 0);
}

/* A token of purpose for firm and object, signed with the site's key. */
static void
signed_path(const char *purpose, const char *firm, const char *object,
	    time_t expires, const char *after, char *out, size_t len)
{
	char secret[PATH_MAX + 16], token[TOKEN_MAX];
	struct token_key *k = NULL;

	snprintf(secret, sizeof secret, "%s/var/secret", dir);
	CHECK(token_key_load(secret, &k) == 0);
	CHECK(k && token_make(k, purpose, firm, object, expires, token,
			      sizeof token) == 0);
	snprintf(out, len, "%s/%s/%s%s", server.base, purpose, token, after);
	token_key_free(k);
}

/* Forged, expired, another firm's: the same polite refusal. */
static void
test_refused(void)
{
	char url[1024], firm[24], match[24], *end;
	struct reply r;

	/* a character of the signature changed */
	snprintf(url, sizeof url, "%s%s", server.base, relevant_path);
	if ((end = strstr(url, "/relevant")))
		end[-10] = end[-10] == 'A' ? 'B' : 'A';
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 403 && strstr(buf_str(&r.body), "Länken gäller inte"));
	release(&r);
	snprintf(firm, sizeof firm, "%lld", db_query(db, "SELECT id FROM firm"
		 " WHERE orgnr = '" ALFA "'"));
	snprintf(match, sizeof match, "%lld", db_query(db, "SELECT f.match"
		 " FROM match_feedback f"));
	signed_path(FEEDBACK_PURPOSE, firm, match, 1700000000, "/relevant",
		    url, sizeof url);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 403 && strstr(buf_str(&r.body), "Länken gäller inte"));
	release(&r);
	/* Beta's link to Berglunds' match */
	snprintf(firm, sizeof firm, "%lld", db_query(db, "SELECT id FROM firm"
		 " WHERE orgnr = '" BETA "'"));
	signed_path(FEEDBACK_PURPOSE, firm, match, 1900000000, "/relevant",
		    url, sizeof url);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 403 && strstr(buf_str(&r.body), "Länken gäller inte"));
	release(&r);
}

/* One survey mail to each who came: Alfa and the guest; once. */
static void
test_survey_queued(void)
{
	char *all, *mail;

	CHECK(db_query(db, "SELECT count(*) FROM message WHERE key LIKE"
		       " 'survey/%'") == 2);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE key LIKE"
		       " 'survey/1/%'") == 2);
	all = mailcheck(project, mails, dir);
	mail = mail_to(all, "info@berglunds-maleri.example", "/survey/");
	CHECK(mail && strstr(mail, "Vad tyckte ni om mötet? Branschträff måleri"));
	link_in(mail ? strstr(mail, "body:") : NULL, "https://upphandling."
		"exempelkommun.se/survey/", survey_path, sizeof survey_path);
	CHECK(survey_path[0] != '\0');
	free(mail);
	mail = mail_to(all, "gast@gastfirman.example", "/survey/");
	CHECK(mail != NULL);
	free(mail);
	CHECK(!mail_to(all, "offert@fargochfasad.example", "/survey/"));
	free(all);
	/* the next pass queues none again */
	CHECK(tl("2026-11-25T10:00:00Z", "run --once") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE key LIKE"
		       " 'survey/%'") == 2);
}

/* The survey's form in Chromium: a rating is required; the comment capped. */
static void
test_survey_form(void)
{
	char url[1024], csrf[TOKEN_MAX], body[4096];
	char *dom;
	struct reply r;

	snprintf(url, sizeof url, "%s%s", server.base, survey_path);
	dom = browser_dom(project, dir, url,
			  "document.getElementById('comment').value = 'Bra';\n"
			  "document.forms[0].requestSubmit();");
	CHECK(dom && strstr(dom, "Hur nöjd är du med informationsmötet?") &&
	      !strstr(dom, "Tack för ert svar!"));
	free(dom);
	CHECK(db_query(db, "SELECT count(*) FROM meeting_survey") == 0);
	dom = browser_dom(project, dir, url,
			  "document.getElementById('rating-4').checked = true;\n"
			  "document.getElementById('comment').value = "
			  "'Bra genomgång';\n"
			  "document.forms[0].requestSubmit();");
	CHECK(dom && strstr(dom, "Tack för ert svar!"));
	free(dom);
	CHECK(db_query(db, "SELECT rating FROM meeting_survey WHERE comment ="
		       " 'Bra genomgång'") == 4);
	/* over the cap: refused with the field named, nothing changed */
	fetch(url, NULL, 0, NULL, &r);
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	snprintf(body, sizeof body, "csrf=%s&rating=2&comment=", csrf);
	memset(body + strlen(body), 'x', SURVEY_COMMENT_MAX + 1);
	body[strlen("csrf=&rating=2&comment=") + strlen(csrf) +
	     SURVEY_COMMENT_MAX + 1] = '\0';
	fetch(url, body, strlen(body), NULL, &r);
	CHECK(r.status == 400 && strstr(buf_str(&r.body), "Kommentaren: högst "
					"2000 byte."));
	release(&r);
	CHECK(db_query(db, "SELECT rating FROM meeting_survey") == 4);
}

/* The guest answers 5 by its link. */
static void
guest_answers(void)
{
	char url[1024], csrf[TOKEN_MAX], body[512], *all, *mail, path[512];
	struct reply r;

	all = mailcheck(project, mails, dir);
	mail = mail_to(all, "gast@gastfirman.example", "/survey/");
	link_in(mail ? strstr(mail, "body:") : NULL, "https://upphandling."
		"exempelkommun.se/survey/", path, sizeof path);
	free(mail);
	free(all);
	snprintf(url, sizeof url, "%s%s", server.base, path);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 200);
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	snprintf(body, sizeof body, "csrf=%s&rating=5&comment=%%3Cb%%3EKaffe"
		 "%%3C%%2Fb%%3E", csrf);
	fetch(url, body, strlen(body), NULL, &r);
	CHECK(r.status == 200);
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM meeting_survey") == 2);
}

/*
 * Two more answers of local firms, relevant, and one of a firm from
 * elsewhere, which the figures leave out: 3 answered, 2 relevant.
 */
static void
more_answers(void)
{
	struct store *s = NULL;

	CHECK(store_open(db, &s) == 0);
	if (!s)
		return;
	CHECK(store_put_match_answer(s, db_query(db, "SELECT m.id FROM match m"
		" JOIN firm f ON f.id = m.firm JOIN message g ON g.id = m.message"
		" WHERE f.orgnr = '559112-6833' AND g.state = 'sent'"), 1, NULL,
		1795600000) == 0);
	CHECK(store_put_match_answer(s, db_query(db, "SELECT m.id FROM match m"
		" JOIN firm f ON f.id = m.firm JOIN message g ON g.id = m.message"
		" WHERE f.orgnr = '556488-1273' AND g.state = 'sent'"), 1, NULL,
		1795600000) == 0);
	CHECK(store_put_match_answer(s, db_query(db, "SELECT m.id FROM match m"
		" JOIN firm f ON f.id = m.firm JOIN message g ON g.id = m.message"
		" WHERE f.municipality <> '1480' AND g.state = 'sent'"), 1, NULL,
		1795600000) == 0);
	store_free(s);
	CHECK(db_query(db, "SELECT count(*) FROM match_feedback") == 4);
}

/* The figures in the three formats: 66,7 % relevant, 4,5 of 5 from 2. */
static void
test_report(void)
{
	char path[PATH_MAX + 32], *text;

	guest_answers();
	more_answers();
	CHECK(tl(LATER, "report --period 2026-Q4 --format csv -o r.csv") == 0);
	snprintf(path, sizeof path, "%s/r.csv", dir);
	text = sheetcheck(project, path, dir);
	CHECK(text && strstr(text, "|Besvarade aviseringar|Varav relevanta|"
			     "Andel relevanta (%)|Svar på mötesenkäten|"
			     "Nöjdhet med möten, 1–5\n"));
	CHECK(text && strstr(text, "\n2026-Q4||") &&
	      strstr(strstr(text, "\n2026-Q4||"), "|3|2|66,7|2|4,5\n"));
	free(text);
	CHECK(tl(LATER, "report --period 2026-Q4 --format xlsx -o r.xlsx") == 0);
	snprintf(path, sizeof path, "%s/r.xlsx", dir);
	text = sheetcheck(project, path, dir);
	CHECK(text && strstr(text, "|3|2|66.7%|2|4.5\n"));
	free(text);
	CHECK(tl(LATER, "report --period 2026-Q4 -o r.html") == 0);
	snprintf(path, sizeof path, "%s/r.html", dir);
	text = read_text(path);
	CHECK(text && strstr(text, "Andel relevanta av besvarade aviseringar") &&
	      strstr(text, "Nöjdhet med informationsmöten, medel 1–5"));
	CHECK(text && strstr(text, "<td>3</td><td>2</td><td>66,7 %</td>"
			     "<td>2</td><td>4,5</td>"));
	/* the share's chart: one bar, labelled */
	CHECK(text && strstr(text, "id=\"relevance-title\"") &&
	      strstr(strstr(text, "id=\"relevance-title\""), ">66,7 %</text>"));
	/* only aggregates: no comment */
	CHECK(text && !strstr(text, "Bra genomgång"));
	free(text);
}

/* The firm's data, as it downloads it, holds its answers. */
static void
test_export(void)
{
	char *all, *mail, path[512], url[1024];
	struct reply r;

	all = mailcheck(project, mails, dir);
	mail = mail_to(all, "info@berglunds-maleri.example", "Relevant: ");
	link_in(mail ? strstr(mail, "body:") : NULL, "https://upphandling."
		"exempelkommun.se/manage/", path, sizeof path);
	free(mail);
	free(all);
	snprintf(url, sizeof url, "%s%s/export.json", server.base, path);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 200);
	CHECK(strstr(buf_str(&r.body), "{\"what\": \"feedback\", \"a\": "));
	CHECK(strstr(buf_str(&r.body), "\"b\": \"not relevant: Precis vår sorts "
		     "uppdrag\""));
	CHECK(strstr(buf_str(&r.body), "{\"what\": \"survey\", \"a\": \"1\", "
		     "\"b\": \"4: Bra genomgång\""));
	release(&r);
}

/* The unit reads the meeting's answers on its page, escaped. */
static void
test_staff_page(void)
{
	char path[PATH_MAX + 16], base[128] = "", url[256], *text, *p;
	struct reply r;

	snprintf(path, sizeof path, "%s/web.out", dir);
	text = read_text(path);
	if (text && (p = strstr(text, "staff pages on ")))
		snprintf(base, sizeof base, "%.*s",
			 (int)strcspn(p + 15, "\n") - 1, p + 15);
	free(text);
	snprintf(url, sizeof url, "%s/staff/meeting/1", base);
	fetch_with(url, "X-Remote-User: anna", NULL, 0, NULL, &r);
	CHECK(r.status == 200);
	CHECK(strstr(buf_str(&r.body), "<p>2 svar, i medel 4,5 av 5"));
	CHECK(strstr(buf_str(&r.body), "<td>Bra genomgång</td>"));
	CHECK(strstr(buf_str(&r.body), "<td>&lt;b&gt;Kaffe&lt;/b&gt;</td>"));
	release(&r);
}

/* Two weeks after the first answer, the survey's answer stands. */
static void
test_survey_closed(void)
{
	char url[1024], csrf[TOKEN_MAX], body[512], reg[24];
	struct reply r;

	snprintf(reg, sizeof reg, "%lld", db_query(db, "SELECT registration"
		 " FROM meeting_survey WHERE comment = 'Bra genomgång'"));
	db_exec("UPDATE meeting_survey SET first_at = first_at - 15 * 86400");
	snprintf(url, sizeof url, "%s%s", server.base, survey_path);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 200 &&
	      strstr(buf_str(&r.body), "Svaret kan inte längre ändras.") &&
	      !strstr(buf_str(&r.body), "name=\"rating\""));
	release(&r);
	/* the page's token, as it would have been */
	signed_path("csrf", reg, SURVEY_PURPOSE, 1900000000, "", url,
		    sizeof url);
	snprintf(csrf, sizeof csrf, "%s", strrchr(url, '/') + 1);
	snprintf(url, sizeof url, "%s%s", server.base, survey_path);
	snprintf(body, sizeof body, "csrf=%s&rating=1", csrf);
	fetch(url, body, strlen(body), NULL, &r);
	CHECK(r.status == 409);
	release(&r);
	CHECK(db_query(db, "SELECT rating FROM meeting_survey WHERE comment ="
		       " 'Bra genomgång'") == 4);
}

int
main(void)
{
	if (!getcwd(project, sizeof project))
		return 2;
	setenv("TZ", "Europe/Stockholm", 1);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	setup();
	RUN(test_mail_links);
	RUN(test_get_records_nothing);
	RUN(test_answer_in_browser);
	RUN(test_refused);
	RUN(test_survey_queued);
	RUN(test_survey_form);
	RUN(test_report);
	RUN(test_staff_page);
	RUN(test_export);
	RUN(test_survey_closed);
	CHECK(web_server_stop(&server) == 0);
	if (!getenv("KEEP")) rm_rf(dir);
	curl_global_cleanup();
	return test_done("feedback");
}
