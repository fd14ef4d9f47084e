/*
 * Meetings open to every supplier, end to end with the real binary: a
 * firm not in the register registers on the meeting's public page in
 * headless Chromium, confirms through the link mailed to it (over SMTP
 * to tests/smtpd.py, read back with Python's email and icalendar
 * packages) and is registered without becoming a subscriber; seats
 * beyond the capacity wait on a waiting list whose first moves up, and
 * is mailed, when someone cancels; a capacity below those registered is
 * refused without --confirm, naming who would move; attendance is
 * recorded only for a meeting that has begun and is not cancelled; a
 * change reaches the guest as a calendar update, and so does the
 * reminder the day before.
 */
#define _XOPEN_SOURCE 700

#include "buf.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"
#include "testweb.h"
#include "testsite.h"
#include "smtpd.h"

/* The clock of each step: the meeting is 10 December, 09:00 CET. */
#define NOW "2026-11-25T08:00:00Z"
#define LATER "2026-11-25T09:00:00Z"
#define LATER2 "2026-11-25T10:00:00Z"
#define LATER3 "2026-11-25T11:00:00Z"
#define DURING "2026-12-10T08:30:00Z"

#define GUEST "559318-8062"
#define ALFA "556012-5790"
#define BETA "556703-7485"

static char dir[PATH_MAX];
static char project[PATH_MAX];
static char db[PATH_MAX + 16];
static struct web_server server = { .pid = -1 };
static struct smtpd srv;

static const char firms_csv[] =
	"orgnr,name,email,cpv,regions,language\n"
	ALFA ",Alfa Måleri AB,info@alfa.example,45442100,SE232,sv\n"
	BETA ",Beta Bygg AB,info@beta.example,45442100,SE232,sv\n";

#define MEETING(capacity, location) \
	"[meeting]\ntitle = Informationsmöte om målning\ncategory = maleri\n" \
	"start = 2026-12-10 09:00\nend = 2026-12-10 11:00\n" \
	"location = " location "\ncapacity = " capacity "\n"

static int
tl(const char *now, const char *args)
{
	char cmd[1024];

	snprintf(cmd, sizeof cmd, "-c tenderlots.conf %s", args);
	return tl_run(dir, now, cmd);
}

static char *
file_in_dir(const char *name)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return read_text(path);
}

/*
 * The mail to rcpt that holds needle, waiting up to 20 s for it; the
 * mails are read again only when one more has come.
 */
static char *
await_letter(const char *rcpt, const char *needle)
{
	const struct timespec pause = { 0, 100L * 1000 * 1000 };
	char *text;
	int i, count, seen = -1;

	for (i = 0; i < 200; i++) {
		if ((count = smtpd_count(&srv)) != seen) {
			seen = count;
			if ((text = smtpd_letter_to(&srv, rcpt, needle)))
				return text;
		}
		nanosleep(&pause, NULL);
	}
	return NULL;
}

static void
setup(void)
{
	char mail[256], path[PATH_MAX + 32];

	CHECK(getcwd(project, sizeof project) != NULL);
	CHECK(site_dir(dir, project, "test_meetings", "", firms_csv, NOW) == 0);
	snprintf(db, sizeof db, "%s/var/t.db", dir);
	CHECK(smtpd_start(&srv, &(struct smtpd_options){ .mode = "normal" }) == 0);
	snprintf(mail, sizeof mail, "transport = smtp\nsmtp_host = 127.0.0.1\n"
		 "smtp_port = %d\nstarttls = off\nsmtp_timeout = 5s\n", srv.port);
	web_config(dir, project, "tenderlots.conf", mail,
		   "subscribe_per_hour = 100\n");
	snprintf(path, sizeof path, "%s/m1.conf", dir);
	write_text(path, MEETING("2", "Stadshuset"));
	snprintf(path, sizeof path, "%s/m1-one-seat.conf", dir);
	write_text(path, MEETING("1", "Stadshuset"));
	snprintf(path, sizeof path, "%s/m2.conf", dir);
	write_text(path, "[meeting]\ntitle = Branschträff\ncategory = maleri\n"
		   "start = 2026-12-01 09:00\nend = 2026-12-01 10:00\n"
		   "location = Biblioteket\n");
	CHECK(tl(NOW, "meeting new m1.conf") == 0);
	CHECK(tl(NOW, "meeting new m2.conf") == 0);
	CHECK(web_server_start(&server, dir, "tenderlots.conf", NOW, NULL) == 0);
}

/* The script that fills in and submits the meeting page's form. */
static const char fill_in[] =
	"var f = document.querySelector('form[action*=\"/register/\"]');\n"
	"f.orgnr.value = '" GUEST "';\n"
	"f.elements['name'].value = 'Nordic Måleri & Co';\n"
	"f.email.value = 'info@nordicmaleri.example';\n"
	"f.submit();";

/*
 * A firm no one invited, not in the register, registers from the public
 * page: a mail with a link to confirm, the link's button, and it is
 * registered, told so by mail with a link to cancel, and no subscriber.
 */
static void
test_public_registration(void)
{
	char url[256], path[1024], csrf[512], body[1024], *text;
	struct reply r;

	snprintf(url, sizeof url, "%s/meetings/1", server.base);
	text = browser_dom(project, dir, url, fill_in);
	CHECK(text && strstr(text, "Kolla er e-post"));
	free(text);
	CHECK(db_query(db, "SELECT count(*) FROM meeting_registration WHERE"
		       " orgnr = '" GUEST "' AND firm IS NULL AND registered_at"
		       " IS NULL") == 1);

	text = await_letter("info@nordicmaleri.example", "Bekräfta er anmälan");
	CHECK(text != NULL);
	link_in(text, "https://upphandling.exempelkommun.se/attend/", path,
		sizeof path);
	free(text);
	CHECK(*path);
	snprintf(url, sizeof url, "%s%s", server.base, path);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 200);
	CHECK(strstr(buf_str(&r.body), "inte anmälda"));
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	snprintf(body, sizeof body, "csrf=%s&answer=register", csrf);
	fetch(url, body, strlen(body), NULL, &r);
	CHECK(r.status == 200);
	CHECK(strstr(buf_str(&r.body), "Ni är anmälda."));
	release(&r);
	CHECK(db_query(db, "SELECT count(*) FROM meeting_registration WHERE"
		       " orgnr = '" GUEST "' AND registered_at IS NOT NULL"
		       " AND cancelled_at IS NULL") == 1);
	/* a participant, not a subscriber */
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE orgnr = '"
		       GUEST "'") == 0);
	text = await_letter("info@nordicmaleri.example",
			    "subject: Ni är anmälda");
	CHECK(text && strstr(text, "/attend/") && strstr(text, "Avboka"));
	CHECK(text && !strstr(text, "/unsubscribe/"));
	free(text);
}

/* A firm of the register typing the form is mailed at its own address. */
static void
test_known_firm_mailed_at_home(void)
{
	char url[256], csrf[512], body[1024], *text;
	struct reply r;

	snprintf(url, sizeof url, "%s/meetings/2", server.base);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 200);
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	snprintf(url, sizeof url, "%s/register/2", server.base);
	snprintf(body, sizeof body, "csrf=%s&orgnr=5560125790&name=Falsk"
		 "&email=falsk%%40falsk.example", csrf);
	fetch(url, body, strlen(body), NULL, &r);
	CHECK(r.status == 200);
	release(&r);
	text = await_letter("info@alfa.example", "/rsvp/");
	CHECK(text != NULL);
	free(text);
	CHECK(smtpd_letter_to(&srv, "falsk@falsk.example", "") == NULL);
}

/*
 * Two seats: the guest has one, Alfa takes the other, Beta waits. When
 * Alfa unregisters, Beta moves up and is mailed.
 */
static void
test_waiting_list(void)
{
	char *text;

	CHECK(tl(LATER, "meeting register 1 " ALFA) == 0);
	CHECK(tl(LATER2, "meeting register 1 " BETA) == 0);
	text = file_in_dir("out.txt");
	CHECK(text && strstr(text, "1 on the waiting list"));
	free(text);
	CHECK(tl(LATER2, "meeting participants 1") == 0);
	text = file_in_dir("out.txt");
	CHECK(text && strstr(text, "2 registered, 0 attended\n1 on the "
			     "waiting list\n"));
	free(text);

	CHECK(tl(LATER3, "meeting unregister 1 " ALFA) == 0);
	CHECK(db_query(db, "SELECT count(*) FROM meeting_registration r JOIN"
		       " firm f ON f.id = r.firm WHERE f.orgnr = '" BETA "'"
		       " AND r.registered_at IS NOT NULL") == 1);
	CHECK(tl(LATER3, "run --once") == 0);
	text = await_letter("info@beta.example",
			    "subject: Ni har fått en plats");
	CHECK(text && strstr(text, "/rsvp/"));
	free(text);
}

/*
 * One seat for two registered: refused without --confirm, naming Beta,
 * the later; with it Beta moves to the waiting list and is mailed, and
 * the guest gets the change as a calendar update.
 */
static void
test_capacity_change(void)
{
	char *text;

	CHECK(tl(LATER3, "meeting change 1 m1-one-seat.conf") == 1);
	text = file_in_dir("err.txt");
	CHECK(text && strstr(text, BETA) && strstr(text, "Beta Bygg AB") &&
	      strstr(text, "--confirm") && !strstr(text, GUEST));
	free(text);
	CHECK(db_query(db, "SELECT capacity FROM meeting WHERE id = 1") == 2);
	CHECK(db_query(db, "SELECT sequence FROM meeting WHERE id = 1") == 0);

	CHECK(tl(LATER3, "meeting change 1 m1-one-seat.conf --confirm") == 0);
	CHECK(db_query(db, "SELECT capacity FROM meeting WHERE id = 1") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM meeting_registration r JOIN"
		       " firm f ON f.id = r.firm WHERE f.orgnr = '" BETA "'"
		       " AND r.waiting_since IS NOT NULL AND r.registered_at"
		       " IS NULL") == 1);
	CHECK(tl(LATER3, "run --once") == 0);
	text = await_letter("info@beta.example",
			    "subject: Ni står nu på reservlistan");
	CHECK(text != NULL);
	free(text);
	text = await_letter("info@nordicmaleri.example", "ics-sequence: 1");
	CHECK(text && strstr(text, "ics-method: PUBLISH") &&
	      strstr(text, "Antal platser: 2 → 1"));
	free(text);
}

/* The list for the door: the registered, then the waiting list. */
static void
test_checkin_list(void)
{
	char *text, *guest, *wait, *beta;

	CHECK(tl(LATER3, "meeting checkin 1 -o checkin.html") == 0);
	text = file_in_dir("checkin.html");
	guest = text ? strstr(text, "Nordic Måleri &amp; Co") : NULL;
	wait = text ? strstr(text, "Reservlista") : NULL;
	beta = text ? strstr(text, BETA) : NULL;
	CHECK(guest && wait && beta && guest < wait && wait < beta);
	CHECK(text && strstr(text, GUEST));
	free(text);
}

/* The day before, the guest with a seat is reminded; the waiting not. */
static void
test_guest_reminder(void)
{
	char *text;

	CHECK(tl("2026-12-09T12:00:00Z", "run --once") == 0);
	text = await_letter("info@nordicmaleri.example",
			    "subject: Påminnelse: Informationsmöte om målning");
	CHECK(text && strstr(text, "/attend/"));
	free(text);
	CHECK(smtpd_letter_to(&srv, "info@beta.example", "Påminnelse") == NULL);
}

/* Attendance: not before the start, never for a cancelled meeting. */
static void
test_attendance(void)
{
	char *text;

	CHECK(tl(LATER3, "meeting attended 1 " GUEST) == 1);
	text = file_in_dir("err.txt");
	CHECK(text && strstr(text, "has not begun"));
	free(text);
	CHECK(db_query(db, "SELECT count(*) FROM meeting_registration"
		       " WHERE attended = 1") == 0);

	CHECK(tl(LATER3, "meeting cancel 2") == 0);
	CHECK(tl(DURING, "meeting attended 2 " ALFA) == 1);
	text = file_in_dir("err.txt");
	CHECK(text && strstr(text, "is cancelled"));
	free(text);
	CHECK(db_query(db, "SELECT count(*) FROM meeting_registration"
		       " WHERE attended = 1") == 0);

	CHECK(tl(DURING, "meeting attended 1 " GUEST) == 0);
	CHECK(db_query(db, "SELECT count(*) FROM meeting_registration WHERE"
		       " orgnr = '" GUEST "' AND attended = 1") == 1);
}

int
main(void)
{
	int rc;

	setenv("TZ", "Europe/Stockholm", 1);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	RUN(setup);
	RUN(test_public_registration);
	RUN(test_known_firm_mailed_at_home);
	RUN(test_waiting_list);
	RUN(test_capacity_change);
	RUN(test_checkin_list);
	RUN(test_guest_reminder);
	RUN(test_attendance);
	CHECK(web_server_stop(&server) == 0);
	smtpd_stop(&srv);
	rc = test_done("meetings");
	curl_global_cleanup();
	if (rc == 0)
		rm_rf(dir);
	return rc;
}
