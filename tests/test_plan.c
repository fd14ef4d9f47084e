/*
 * The procurement unit's plan through the real binary: a CSV file as
 * Excel saves it imported (bad rows named by file, line and field, a
 * byte order mark, semicolons, a file of another encoding refused, the
 * same file again updating), the early mail firms get of an entry, a
 * change and a drop told to the firms told, the notice an entry became
 * proposed and linked, and the `opened` mail to the firms told of the
 * entry only; the mails go through a loopback relay (tests/smtpd.py)
 * and are read by Python's email package.
 */
#define _XOPEN_SOURCE 700

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "testutil.h"
#include "testweb.h"
#include "testsite.h"
#include "testdb.h"
#include "smtpd.h"

/* Before the sample notices: the plan is made then. */
#define EARLY "2026-11-10T08:00:00Z"
#define LATER "2026-11-12T08:00:00Z"
/* After them, when they come in. */
#define NOW "2026-11-25T08:00:00Z"

/* The sample's contract notice for cleaning, of the municipality. */
#define CLEANING "1c11c945-041e-4f67-91ea-eefa3c4544f3"

static char project[PATH_MAX], dir[PATH_MAX], db[PATH_MAX + 16];
static struct smtpd relay;
static int relayed;		/* the relay's messages read so far */

/*
 * Two cleaning firms (one reads English), a food wholesaler, and a
 * cleaning firm that wants contract notices only: told of no plan.
 */
static const char firms_csv[] =
	"orgnr,name,email,categories,cpv,regions,language,kinds\n"
	"556734-2182,Städbolaget Väst AB,info@stadbolaget.example,"
	"lokalvard,,SE232,sv,planned tender\n"
	"556902-4473,Clean Team Sweden AB,hello@cleanteam.example,"
	"lokalvard,,SE232,en,planned tender\n"
	"559112-6833,Västkust Livs AB,order@vastkustlivs.example,"
	"livsmedel,,SE232,sv,planned tender\n"
	"556753-8201,Anbudsstäd AB,anbud@anbudsstad.example,"
	"lokalvard,,SE232,sv,tender\n";

#define HEADER "id;titel;beskrivning;kategorier;cpv;värde;annonseras;" \
	"avtalsstart;delbar;kontakt\n"
#define CLEANING_ROW(value) \
	"UP-1;Lokalvård i skolor och förskolor;Städning av 14 skolor;" \
	"lokalvard;;\"" value "\";2027-Q2;2027-09;ja;" \
	"Anna Berg <anna.berg@exempelkommun.example>\n"
#define FOOD_ROW \
	"UP-2;Livsmedel till skolkök;;livsmedel;;;2027-03;;nej;" \
	"upphandling@exempelkommun.example\n"
#define BAD_ROW "UP-3;Trasig rad;;;;;2027-13;;;x\n"

static void
put(const char *name, const char *text)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	write_text(path, text);
}

/* The mails the relay took since the last call, as Python reads them. */
static char *
new_mails(void)
{
	return smtpd_new_mails(&relay, &relayed, project, dir);
}

/* Runs a shell command in the test directory. */
static int
sh_in_dir(const char *what)
{
	char cmd[PATH_MAX * 2 + 256];

	snprintf(cmd, sizeof cmd, "cd '%s' && %s", dir, what);
	return system(cmd);
}

static void
setup(void)
{
	char cmd[PATH_MAX + 256];

	if (smtpd_start(&relay, &(struct smtpd_options){ 0 }) < 0)
		exit(2);
	CHECK(site_dir(dir, project, "test_plan", "", firms_csv, EARLY) == 0);
	snprintf(db, sizeof db, "%s/var/t.db", dir);
	/* the sample notices come later: the plan is made first */
	CHECK(sh_in_dir("mv feeds later && mkdir feeds") == 0);
	snprintf(cmd, sizeof cmd, "sed -i -e 's/^\\[service\\]$/&\\nown_buyers = "
		 "212000-9994/' -e 's/^\\[mail\\]$/&\\ntransport = smtp\\n"
		 "smtp_host = 127.0.0.1\\nsmtp_port = %d\\nstarttls = off/' "
		 "'%s/tenderlots.conf'", relay.port, dir);
	CHECK(system(cmd) == 0);
}

/* A file with a bad row: the good ones stored, the bad named. */
static void
test_import(void)
{
	char *out;

	put("plan.csv", HEADER CLEANING_ROW("4 500 000") FOOD_ROW BAD_ROW);
	CHECK(tl_run(dir, EARLY, "plan import plan.csv -c tenderlots.conf") == 1);
	out = read_in(dir, "err.txt");
	CHECK_STR(out, "plan.csv:4: announcement: '2027-13' is not a month "
		  "(2027-03) or a quarter (2027-Q2)\n"
		  "plan.csv:4: contact: 'x' is not a mailbox \"Name <addr>\" "
		  "or \"addr\"\n");
	free(out);
	out = read_in(dir, "out.txt");
	CHECK_STR(out, "plan.csv: 2 added, 0 updated, 0 unchanged, 1 bad row\n");
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM plan") == 2);
	CHECK(db_query(db, "SELECT count(*) FROM plan WHERE ref = 'UP-1'"
		       " AND value = 4500000 AND announce = '2027-Q2'"
		       " AND contract_start = '2027-09' AND divisible = 'yes'"
		       " AND categories = 'lokalvard'") == 1);
	/* published as the unit's planned procurements */
	CHECK(db_query(db, "SELECT count(*) FROM notice WHERE notice_id IN"
		       " ('plan-1', 'plan-2') AND kind = 'planning'"
		       " AND subtype = 'plan' AND buyer_id = '212000-9994'"
		       " AND deadline IS NULL") == 2);
	/* the same file again changes nothing */
	CHECK(tl_run(dir, EARLY, "plan import plan.csv -c tenderlots.conf") == 1);
	out = read_in(dir, "out.txt");
	CHECK_STR(out, "plan.csv: 0 added, 0 updated, 2 unchanged, 1 bad row\n");
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM plan") == 2);
	CHECK(db_query(db, "SELECT count(*) FROM notice WHERE notice_id"
		       " = 'plan-1'") == 1);
}

/* A byte order mark, commas and CRLF; a dry run stores nothing. */
static void
test_bom_and_dry_run(void)
{
	char *out;

	put("bom.csv", "\xef\xbb\xbfTitle,Categories,Announcement,Contact,Value\r\n"
	    "Snöröjning av skolgårdar,snorojning,2027-q4,a@exempelkommun.example,"
	    "\"1,5 mkr\"\r\n");
	CHECK(tl_run(dir, EARLY, "plan import bom.csv --dry-run "
		     "-c tenderlots.conf") == 0);
	out = read_in(dir, "out.txt");
	CHECK_STR(out, "bom.csv: 1 added, 0 updated, 0 unchanged, 0 bad rows "
		  "(dry run: nothing stored)\n");
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM plan") == 2);
}

/* Windows-1252, as Excel's plain "CSV" saves it, is refused whole. */
static void
test_not_utf8(void)
{
	char *out;

	put("latin1.csv", "titel;kategorier;annonseras;kontakt\n"
	    "Lokalv\xe5rd;lokalvard;2027-03;a@exempelkommun.example\n");
	CHECK(tl_run(dir, EARLY, "plan import latin1.csv -c tenderlots.conf") == 1);
	out = read_in(dir, "err.txt");
	CHECK(out && strstr(out, "latin1.csv:2: not UTF-8 text: save it from "
			    "Excel as \"CSV UTF-8\""));
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM plan") == 2);
}

/* The early mail: the unit's plan, when, and that no bid can be made. */
static void
test_early_mail(void)
{
	char *all, *mail;

	CHECK(tl_run(dir, EARLY, "run --once -c tenderlots.conf") == 0);
	all = new_mails();
	mail = mail_to(all, "info@stadbolaget.example", "Lokalvård");
	CHECK(mail && strstr(mail, "header Subject: Planerad upphandling: "
			     "Lokalvård i skolor och förskolor"));
	CHECK(mail && strstr(mail, "finns i upphandlingsplanen för"));
	CHECK(mail && strstr(mail, "Den väntas annonseras under andra "
			     "kvartalet 2027."));
	CHECK(mail && strstr(mail, "Avtalet väntas börja i september 2027."));
	CHECK(mail && strstr(mail, "det går inte att lämna anbud ännu"));
	CHECK(mail && strstr(mail, "Uppskattat värde: 4 500 000 kr"));
	CHECK(mail && strstr(mail, "defects: 0"));
	free(mail);
	mail = mail_to(all, "hello@cleanteam.example", "Lokalvård");
	CHECK(mail && strstr(mail, "It is expected to be announced in the "
			     "second quarter of 2027."));
	CHECK(mail && strstr(mail, "you cannot bid yet"));
	free(mail);
	mail = mail_to(all, "order@vastkustlivs.example", "Livsmedel");
	CHECK(mail && strstr(mail, "väntas annonseras i mars 2027."));
	free(mail);
	/* a firm that wants contract notices only hears of no plan */
	CHECK(all && !strstr(all, "header To: anbud@anbudsstad.example"));
	free(all);
	/* still possible to divide: the split advice lists it */
	CHECK(tl_run(dir, EARLY, "advice -c tenderlots.conf") == 0);
	all = read_in(dir, "out.txt");
	CHECK(all && strstr(all, "plan-1"));
	free(all);
}

/* The file again with a new value, then a new expected announcement. */
static void
test_update_and_postpone(void)
{
	char *all, *mail, *out;

	put("plan.csv", HEADER CLEANING_ROW("5 000 000") FOOD_ROW);
	CHECK(tl_run(dir, LATER, "plan import plan.csv -c tenderlots.conf") == 0);
	out = read_in(dir, "out.txt");
	CHECK_STR(out, "plan.csv: 0 added, 1 updated, 1 unchanged, 0 bad rows\n");
	free(out);
	CHECK(tl_run(dir, LATER, "plan change 1 --announce 2027-Q3 "
		     "-c tenderlots.conf") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM plan WHERE id = 1"
		       " AND status = 'postponed' AND announce = '2027-Q3'"
		       " AND value = 5000000") == 1);
	CHECK(tl_run(dir, LATER, "run --once -c tenderlots.conf") == 0);
	all = new_mails();
	/*
	 * Two change mails, one a version, in either order: each is picked by
	 * what it alone says.
	 */
	mail = mail_to(all, "info@stadbolaget.example", "4 500 000 → 5 000 000");
	CHECK(mail && strstr(mail, "4 500 000 → 5 000 000"));
	free(mail);
	mail = mail_to(all, "info@stadbolaget.example", "2027-Q2 → 2027-Q3");
	CHECK(mail && strstr(mail, "Den finns i upphandlingsplanen och väntas "
			     "annonseras under tredje kvartalet 2027."));
	CHECK(mail && strstr(mail, "2027-Q2 → 2027-Q3"));
	CHECK(mail && strstr(mail, "defects: 0"));
	free(mail);
	mail = mail_to(all, "hello@cleanteam.example", "Q3");
	CHECK(mail && strstr(mail, "It is in the procurement plan, expected to "
			     "be announced in the third quarter of 2027."));
	free(mail);
	/* told only to those told of it */
	CHECK(all && !strstr(all, "header To: order@vastkustlivs.example"));
	CHECK(all && !strstr(all, "header To: anbud@anbudsstad.example"));
	free(all);
	/* a period that is none is refused, naming the option */
	CHECK(tl_run(dir, LATER, "plan change 1 --announce 2027-Q9 "
		     "-c tenderlots.conf") == 1);
	out = read_in(dir, "err.txt");
	CHECK(out && strstr(out, "--announce: '2027-Q9' is not a month"));
	free(out);
}

/* A drop: the firms told are told why; off the advice and pages. */
static void
test_drop(void)
{
	char *all, *mail, *out;

	CHECK(tl_run(dir, LATER, "plan drop 2 -c tenderlots.conf") == 2);
	CHECK(tl_run(dir, LATER, "plan drop 2 --why \"Köks\xc3\xa4ndring, "
		     "behovet finns inte.\" -c tenderlots.conf") == 0);
	CHECK(tl_run(dir, LATER, "run --once -c tenderlots.conf") == 0);
	all = new_mails();
	mail = mail_to(all, "order@vastkustlivs.example", "struken");
	CHECK(mail && strstr(mail, "Den är struken ur upphandlingsplanen och "
			     "blir inte av."));
	CHECK(mail && strstr(mail, "Köksändring, behovet finns inte."));
	CHECK(mail && strstr(mail, "defects: 0"));
	free(mail);
	CHECK(all && !strstr(all, "header To: info@stadbolaget.example"));
	free(all);
	CHECK(tl_run(dir, LATER, "advice -c tenderlots.conf") == 0);
	out = read_in(dir, "out.txt");
	CHECK(out && !strstr(out, "plan-2") && strstr(out, "plan-1"));
	free(out);
	/* a dropped entry stays dropped */
	CHECK(tl_run(dir, LATER, "plan change 2 --announce 2027-Q4 "
		     "-c tenderlots.conf") == 1);
	out = read_in(dir, "err.txt");
	CHECK(out && strstr(out, "plan entry 2 is dropped: it is not changed"));
	free(out);
}

/* The notices come: the cleaning contract notice proposed for entry 1. */
static void
test_proposal(void)
{
	char *out;

	CHECK(sh_in_dir("mv later/*.xml feeds/") == 0);
	CHECK(tl_run(dir, NOW, "run --once -c tenderlots.conf") == 0);
	CHECK(tl_run(dir, NOW, "plan list -c tenderlots.conf") == 0);
	out = read_in(dir, "out.txt");
	CHECK(out && strstr(out, "1  postponed  2027-Q3  Lokalvård i skolor och "
			    "förskolor  [UP-1]\n      may have become " CLEANING
			    " (competition, score 1.00): Lokalvård för skolor "
			    "och förskolor\n"));
	/* only the notice it fits */
	CHECK(out && !strstr(out, "Livsmedel och måltidstjänster"));
	CHECK(out && !strstr(out, "Underhåll av kommunala fastigheter"));
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM plan WHERE linked IS NOT NULL")
	      == 0);
}

#define PASSWORD "korrekt häst batteri"

/*
 * The unit in Chromium: the plan's page with the proposal, a CSV file
 * uploaded and previewed, then imported, each bad row named; a new entry
 * on the form, refused first with the field named and what was typed
 * kept; entry 1 linked to the proposed notice with one click. Each
 * change is in the audit log.
 */
static void
test_staff_pages(void)
{
	struct web_server srv = { .pid = -1 };
	char base[80], link[256], steps[8192], *out, *p;
	struct reply r;

	CHECK(access("/usr/bin/chromium", X_OK) == 0);
	put("upload.csv", "titel;kategorier;annonseras;kontakt;värde\n"
	    "Fönsterputs i skolor;fonsterputs;2027-09;a@exempelkommun.example;"
	    "\"800 000\"\n"
	    "Trasig;lokalvard;nästa år;a@exempelkommun.example;\n");
	CHECK(tl_run(dir, NOW, "staff add anna --role upphandling "
		     "-c tenderlots.conf") == 0);
	out = read_in(dir, "out.txt");
	p = out ? strstr(out, "/staff/password?t=") : NULL;
	snprintf(link, sizeof link, "%.*s", p ? (int)strcspn(p, "\n") : 0,
		 p ? p : "");
	free(out);
	CHECK(web_server_start(&srv, dir, "tenderlots.conf", NOW, NULL) == 0);
	CHECK(web_staff_base(dir, base, sizeof base) == 0);
	snprintf(steps, sizeof steps,
		 "goto %s%s\n"
		 "fill password " PASSWORD "\nfill password2 " PASSWORD "\n"
		 "submit\n"
		 "fill name anna\nfill password " PASSWORD "\nsubmit\n"
		 "goto %s/staff/plan\n"
		 "upload file upload.csv\n"
		 "click button[value=preview]\n"
		 "upload file upload.csv\n"
		 "click button[value=import]\n"
		 "goto %s/staff/plan/new\n"
		 "fill title Vinterväghållning vid skolor\n"
		 "check category snorojning\n"
		 "fill announce 2027-13\n"
		 "fill contact Anna Berg <anna.berg@exempelkommun.example>\n"
		 "submit\n"
		 "fill announce 2027-Q3\n"
		 "submit\n"
		 "goto %s/staff/plan/1\n"
		 "submit\n"
		 "goto %s/staff/plan/new\n"
		 "fill title Lokalvård igen\n"
		 "check category lokalvard\n"
		 "fill announce 2027-Q4\n"
		 "fill contact a@exempelkommun.example\n"
		 "fill ref UP-1\n"
		 "submit\n",
		 base, link, base, base, base, base);
	out = browser_steps(project, dir, steps);
	CHECK(out != NULL);
	/* the plan with the proposal for entry 1 */
	CHECK(out && (p = strstr(out, "<h1>Upphandlingsplan</h1>")) &&
	      strstr(p, "Kan ha blivit Lokalvård för skolor och förskolor "
		     "(" CLEANING ", 100 %)"));
	/* the preview: what it would do, the bad row, nothing stored */
	CHECK(p && (p = strstr(p, "Förhandsgranskning av upload.csv")) &&
	      strstr(p, "Skulle lägga till 1, ändra 0, lämna 0 orörda; 1 "
		     "felaktiga rader. Inget är sparat.") &&
	      strstr(p, "upload.csv:3: announcement: 'nästa år' is not a month "
		     "(2027-03) or a quarter (2027-Q2)"));
	/* imported */
	CHECK(p && (p = strstr(p, "Importerat från upload.csv")) &&
	      strstr(p, "1 tillagda, 0 ändrade, 0 oförändrade; 1 felaktiga "
		     "rader hoppades över.") &&
	      strstr(p, "Fönsterputs i skolor</a>"));
	/* the form refused, naming the field, keeping what was typed */
	CHECK(p && (p = strstr(p, "<h1>Ny post i upphandlingsplanen</h1>")) &&
	      (p = strstr(p, "Annonseras: '2027-13' is not a month")) &&
	      strstr(p, "value=\"Vinterväghållning vid skolor\"") &&
	      strstr(p, "value=\"snorojning\" checked"));
	/* saved: its page */
	CHECK(p && (p = strstr(p, "<h1>Vinterväghållning vid skolor</h1>")) &&
	      strstr(p, "<dd>2027-Q3</dd>"));
	/* linked with one click on the proposal */
	CHECK(p && (p = strstr(p, "/staff/plan/1\n")) &&
	      strstr(p, "<dd id=\"linked\">" CLEANING "</dd>"));
	/* a reference is one entry's */
	CHECK(p && (p = strstr(p, "Er beteckning: post 1 har den redan")) &&
	      strstr(p, "value=\"Lokalvård igen\""));
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM plan") == 4);
	CHECK(db_query(db, "SELECT count(*) FROM plan WHERE id = 1 AND linked = '"
		       CLEANING "'") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM staff_audit WHERE who = 'anna'"
		       " AND action IN ('plan imported', 'plan entry added',"
		       " 'plan entry linked')") == 3);
	/* the public list has the open entry, not the dropped one */
	snprintf(link, sizeof link, "%s/notices", srv.base);
	fetch(link, NULL, 0, NULL, &r);
	CHECK(r.status == 200);
	CHECK(strstr(buf_str(&r.body), "Lokalvård i skolor och förskolor"));
	CHECK(!strstr(buf_str(&r.body), "Livsmedel till skolkök"));
	release(&r);
	CHECK(web_server_stop(&srv) == 0);
}

/* Linked: the firms told of the entry get `opened`, no one else. */
static void
test_link_opens(void)
{
	char *all, *mail, *out;

	free(new_mails());
	CHECK(tl_run(dir, NOW, "run --once -c tenderlots.conf") == 0);
	all = new_mails();
	mail = mail_to(all, "info@stadbolaget.example", "Nu annonserad");
	CHECK(mail && strstr(mail, "header Subject: Nu annonserad: Lokalvård "
			     "för skolor och förskolor"));
	CHECK(mail && strstr(mail, "Ni har fått mejl om \"Lokalvård i skolor och "
			     "förskolor\" i upphandlingsplanen."));
	CHECK(mail && strstr(mail, "Sista anbudsdag: "));
	CHECK(mail && strstr(mail, "defects: 0"));
	free(mail);
	mail = mail_to(all, "hello@cleanteam.example", "Now announced");
	CHECK(mail && strstr(mail, "procurement is now announced, and you can "
			     "bid"));
	free(mail);
	/* the firm that wanted contract notices only was told of no plan */
	mail = mail_to(all, "anbud@anbudsstad.example", "Nu annonserad");
	CHECK(mail == NULL);
	free(mail);
	CHECK(all && !strstr(all, "header To: order@vastkustlivs.example"));
	free(all);
	/* queued once: the next pass sends nothing, nor a link made again */
	CHECK(tl_run(dir, NOW, "plan unlink 1 -c tenderlots.conf") == 0);
	CHECK(tl_run(dir, NOW, "plan link 1 " CLEANING " -c tenderlots.conf")
	      == 0);
	CHECK(tl_run(dir, NOW, "run --once -c tenderlots.conf") == 0);
	all = new_mails();
	CHECK_STR(all, "");
	free(all);
	CHECK(db_query(db, "SELECT count(*) FROM plan WHERE id = 1"
		       " AND status = 'published'") == 1);
	/* announced: dividing is decided in the notice, not the plan */
	CHECK(tl_run(dir, NOW, "advice -c tenderlots.conf") == 0);
	out = read_in(dir, "out.txt");
	CHECK(out && !strstr(out, "plan-1"));
	free(out);
	/* a link names a stored notice */
	CHECK(tl_run(dir, NOW, "plan link 1 no-such-notice -c tenderlots.conf")
	      == 1);
	out = read_in(dir, "err.txt");
	CHECK(out && strstr(out, "no-such-notice: no such notice stored"));
	free(out);
}

int
main(void)
{
	if (!getcwd(project, sizeof project))
		return 2;
	setenv("TZ", "Europe/Stockholm", 1);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	setup();
	RUN(test_import);
	RUN(test_bom_and_dry_run);
	RUN(test_not_utf8);
	RUN(test_early_mail);
	RUN(test_update_and_postpone);
	RUN(test_drop);
	RUN(test_proposal);
	RUN(test_staff_pages);
	RUN(test_link_opens);
	CHECK(smtpd_stop(&relay) == 0);
	rm_rf(dir);
	curl_global_cleanup();
	return test_done("plan");
}
