/*
 * What firms receive, end to end: matches and a meeting are rendered from
 * the bundled templates, queued, delivered over SMTP to a real server on
 * the loopback (tests/smtpd.py), and read back by independent parsers
 * (Python's email and icalendar packages, tests/lettercheck.py): the
 * structure, the escaping, the calendar times, updates and cancellation,
 * and that data with CR/LF and "Bcc:" in it adds no header.
 */
#define _XOPEN_SOURCE 700

#include "outbox.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"
#include "smtpd.h"

/* 2026-11-25 09:00 in Stockholm. */
#define NOW 1795593600
/* 2027-01-14 09:00 CET, and 2027-06-10 13:00 CEST. */
#define WINTER 1799913600
#define SUMMER 1812625200

static char dir[PATH_MAX];
static char db[PATH_MAX + 16];
static struct alert_templates *templates;
static struct token_key *key;
static struct category_set categories;

static struct firm *
firm_of(const char *orgnr, const char *name, const char *email,
	const char *lang, const char *category)
{
	struct firm *f = firm_new();

	f->orgnr = strdup(orgnr);
	f->name = strdup(name);
	f->email = strdup(email);
	f->language = strdup(lang);
	f->frequency = FREQ_IMMEDIATELY;
	strvec_push(&f->categories, &f->ncategories, category);
	strvec_push(&f->regions, &f->nregions, "SE232");
	return f;
}

/* strcasestr is a GNU extension. */
static int
strcasestr_ascii(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

static struct mailer *
smtp_mailer(int port)
{
	struct mailer_options mo = {
		.transport = TRANSPORT_SMTP, .host = "127.0.0.1", .port = port,
		.starttls = STARTTLS_OFF, .timeout = 10,
	};

	return mailer_new(&mo);
}

/* Queues what is due at now and delivers it; the number of mails sent. */
static unsigned
pass(struct store *s, struct config *cfg, const struct firm_list *firms,
     struct mailer *m, time_t now)
{
	struct outbox *o = outbox_new(s, cfg, &categories, templates, key);
	struct outbox_sender by = { "run:test", NULL, 60, 5 * 86400, 0 };
	unsigned queued = 0, sent = 0, deferred = 0, failed = 0;

	CHECK(o != NULL);
	if (!o)
		return 0;
	CHECK(outbox_queue_alerts(o, firms, now, &queued, &failed) == 0);
	CHECK(outbox_queue_meetings(o, firms, now, &queued, &failed) == 0);
	CHECK(outbox_deliver(s, m, &by, now, &sent, &deferred, &failed) == 0);
	CHECK(queued == sent && deferred == 0 && failed == 0);
	outbox_free(o);
	return sent;
}

static void
add_notice(struct store *s, int64_t firm_id)
{
	struct notice *no = notice_new();
	struct lot *l = notice_add_lot(no);
	enum store_put_result r;
	int64_t lot;
	int created;

	no->id = strdup("n-1");
	no->version = strdup("01");
	no->procedure_id = strdup("p-1");
	no->kind = NOTICE_COMPETITION;
	no->subtype = strdup("16");
	no->title = strdup("Målning\r\nBcc: evil@x.example av <skolor>");
	no->published = strdup("2026-11-20");
	no->url = strdup("https://ted.europa.eu/en/notice/-/detail/1-2026");
	l->id = strdup("LOT-0001");
	l->has_deadline = 1;
	l->deadline = WINTER;
	strvec_push(&l->cpv, &l->ncpv, "45442100");
	CHECK(store_put_notice(s, no, "t", NOW, &r, &lot) == 0);
	CHECK(store_put_match(s, firm_id, lot, "n-1", "LOT-0001", "competition",
			      "CPV 45442100", 100, "maleri", NOW, &created) == 0);
	notice_free(no);
}

static struct meeting *
meeting_at(time_t start)
{
	struct meeting *m = meeting_new();

	m->title = strdup("Branschträff måleri");
	m->description = strdup("Kommande målningsuppdrag.");
	m->category = strdup("maleri");
	m->start = start;
	m->end = start + 2 * 3600;
	m->timezone = strdup("Europe/Stockholm");
	m->location = strdup("Stadshuset, Storgatan 1, Exempelstad");
	m->video_url = strdup("https://meet.exempelstad.se/j/42");
	m->capacity = 40;
	return m;
}

static void
test_letters(void)
{
	struct firm *f[3] = {
		firm_of("556734-2182",
			"Måleri & <Fasad> AB\r\nBcc: evil@x.example",
			"a@firma.example", "sv", "maleri"),
		firm_of("559318-8062", "Nordic Paint Ltd", "b@firma.example",
			"en", "maleri"),
		firm_of("556753-8201", "Ljungs El AB", "c@firma.example", "sv",
			"el"),
	};
	struct config *cfg = config_new();
	struct firm_list firms = { 0 };
	struct meeting *m;
	struct smtpd srv;
	struct mailer *mailer = NULL;
	struct store *s = NULL;
	int64_t meeting_id;
	char *text, *raw, *end;
	int i, created, found;

	make_tmpdir(dir, "test_letters");
	snprintf(db, sizeof db, "%s/t.db", dir);
	CHECK(store_open(db, &s) == 0);
	for (i = 0; i < 3; i++) {
		CHECK(store_put_firm(s, f[i], "t", 1, &created) == 0);
		firm_free(f[i]);
	}
	CHECK(store_load_firms(s, &firms) == 0 && firms.n == 3);
	if (smtpd_start(&srv, &(struct smtpd_options){ 0 }) < 0) {
		CHECK(!"the SMTP server started");
		goto out;
	}
	CHECK((mailer = smtp_mailer(srv.port)) != NULL);
	/* firms are loaded by organisation number: 556734, 556753, 559318 */
	add_notice(s, firms.v[0]->id);
	m = meeting_at(WINTER);
	CHECK(store_put_meeting(s, m, NOW, &meeting_id) == 0);
	meeting_free(m);

	/* The alert to the first firm, and an invitation to both painters. */
	CHECK(pass(s, cfg, &firms, mailer, NOW) == 3);
	CHECK(smtpd_count(&srv) == 3);
	text = smtpd_letter_to(&srv, "a@firma.example", "subject: Ny upphandling");
	CHECK(text != NULL);
	if (text) {
		/* the CR/LF became spaces inside the subject, no new field */
		CHECK(strstr(text, "subject: Ny upphandling: Målning Bcc: "
			     "evil@x.example av <skolor>\nsubjects: 1\nbcc: 0\n"
			     "defects: 0\n"));
		CHECK(strstr(text, "parts: multipart/alternative text/plain "
			     "text/html\n"));
		CHECK(strstr(text, "Sista anbudsdag: 14 januari 2027 kl. 09:00 (CET)"));
		/* the HTML part escapes what the data says, markup included */
		CHECK(strstr(text, "Måleri &amp; &lt;Fasad&gt; AB"));
		CHECK(strstr(text, "av &lt;skolor&gt;"));
		free(text);
	}
	/* in the header, that is: the body may say what it likes */
	for (i = 1; i <= 3; i++) {
		raw = smtpd_message(&srv, i);
		end = raw ? strstr(raw, "\r\n\r\n") : NULL;
		CHECK(end != NULL);
		if (end)
			*end = '\0';
		CHECK(raw && !strcasestr_ascii(raw, "\nBcc:"));
		free(raw);
	}
	text = smtpd_letter_to(&srv, "a@firma.example", "ics-method: PUBLISH");
	CHECK(text != NULL);
	if (text) {
		CHECK(strstr(text, "parts: multipart/mixed multipart/alternative "
			     "text/plain text/html text/calendar\n"));
		CHECK(strstr(text, "ics-sequence: 0\nics-status: CONFIRMED\n"
			     "ics-start: 2027-01-14T08:00:00+00:00\n"
			     "ics-end: 2027-01-14T10:00:00+00:00\n"
			     "ics-tzid: Europe/Stockholm\n"
			     "ics-summary: Branschträff måleri\n"
			     "ics-location: Stadshuset, Storgatan 1, Exempelstad\n"));
		CHECK(strstr(text, "ics-timezones: Europe/Stockholm\n"));
		/* today's rules, not every change since 1879 */
		CHECK(strstr(text, "ics-observances: DAYLIGHT/19810329T020000/"
			     "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3 STANDARD/"
			     "19961027T030000/FREQ=YEARLY;BYDAY=-1SU;"
			     "BYMONTH=10\n"));
		/* the room is the place, and the video link is kept */
		CHECK(strstr(text, "ics-description: Kommande målningsuppdrag."
			     "\\n\\nVideolänk: https://meet.exempelstad.se/"
			     "j/42\n"));
		CHECK(strstr(text, "ics-conference: "
			     "https://meet.exempelstad.se/j/42\n"));
		CHECK(strstr(text, "ics-part-method: PUBLISH\n"));
		CHECK(strstr(text, "Börjar: 14 januari 2027 kl. 09:00 (CET)"));
		CHECK(strstr(text, "/rsvp/"));
		free(text);
	}
	text = smtpd_letter_to(&srv, "b@firma.example", "ics-method: PUBLISH");
	CHECK(text && strstr(text, "Hello Nordic Paint Ltd"));
	free(text);
	CHECK(smtpd_letter_to(&srv, "c@firma.example", "") == NULL);
	/* Nothing new: nothing sent. */
	CHECK(pass(s, cfg, &firms, mailer, NOW + 60) == 0);

	/*
	 * Moved to a summer day with more places and no video: both invited
	 * get an update that says what changed, old and new.
	 */
	m = meeting_at(SUMMER);
	m->capacity = 60;
	free(m->video_url);
	m->video_url = NULL;
	CHECK(store_change_meeting(s, meeting_id, m, NOW + 120, &found) == 0 && found);
	meeting_free(m);
	CHECK(pass(s, cfg, &firms, mailer, NOW + 120) == 2);
	text = smtpd_letter_to(&srv, "a@firma.example", "ics-sequence: 1");
	CHECK(text && strstr(text, "ics-start: 2027-06-10T11:00:00+00:00\n"
			     "ics-end: 2027-06-10T13:00:00+00:00\n"));
	CHECK(text && strstr(text, "10 juni 2027 kl. 13:00 (CEST)"));
	CHECK(text && strstr(text, "subject: Ändrat: Branschträff måleri"));
	CHECK(text && strstr(text, "\nBörjar: 14 januari 2027 kl. 09:00 (CET) "
			     "→ 10 juni 2027 kl. 13:00 (CEST)\n"
			     "Slutar: 14 januari 2027 kl. 11:00 (CET) → "
			     "10 juni 2027 kl. 15:00 (CEST)\n"
			     "Delta digitalt: https://meet.exempelstad.se/j/42 "
			     "→ –\nAntal platser: 40 → 60\n"));
	CHECK(text && strstr(text, "<p>Antal platser: 40 → <strong>60</strong>"
			     "</p>"));
	/* the place stayed */
	CHECK(text && !strstr(text, "Plats: Stadshuset, Storgatan 1, "
			      "Exempelstad →"));
	free(text);
	text = smtpd_letter_to(&srv, "b@firma.example", "ics-sequence: 1");
	CHECK(text && strstr(text, "\nStarts: 14 January 2027, 09:00 (CET) → "
			     "10 June 2027, 13:00 (CEST)\n"));
	CHECK(text && strstr(text, "\nNumber of places: 40 → 60\n"));
	free(text);

	/* Cancelled: both hear it, with no registration link. */
	CHECK(store_cancel_meeting(s, meeting_id, NOW + 180, &found) == 0 && found);
	CHECK(pass(s, cfg, &firms, mailer, NOW + 180) == 2);
	text = smtpd_letter_to(&srv, "b@firma.example", "ics-status: CANCELLED");
	CHECK(text && strstr(text, "ics-sequence: 2\n"));
	/* so calendars remove it: the part and the calendar say CANCEL */
	CHECK(text && strstr(text, "ics-part-method: CANCEL\nics-method: "
			     "CANCEL\nics-uid: meeting-1@"));
	CHECK(text && !strstr(text, "/rsvp/"));
	free(text);
	CHECK(pass(s, cfg, &firms, mailer, NOW + 240) == 0);

	/* A meeting about one procurement: only the firm matched to it. */
	m = meeting_at(WINTER);
	free(m->category);
	m->category = NULL;
	m->notice_id = strdup("n-1");
	CHECK(store_put_meeting(s, m, NOW + 300, &meeting_id) == 0);
	meeting_free(m);
	CHECK(pass(s, cfg, &firms, mailer, NOW + 300) == 1);
	text = smtpd_letter_to(&srv, "a@firma.example", "ics-uid: meeting-2@");
	CHECK(text && strstr(text, "ics-sequence: 0\n"));
	free(text);
	CHECK(smtpd_count(&srv) == 8);
	CHECK(db_query(db, "SELECT count(DISTINCT key) FROM message") == 8);
	CHECK(smtpd_stop(&srv) == 0);
out:
	mailer_free(mailer);
	firm_list_release(&firms);
	store_free(s);
	config_free(cfg);
	rm_rf(dir);
}

int
main(void)
{
	static const unsigned char secret[TOKEN_SECRET_LEN] = { 9 };
	int rc;

	setenv("TZ", "Europe/Stockholm", 1);
	tzset();
	if (alert_templates_load("templates", &templates) < 0 ||
	    token_key_from_bytes(secret, sizeof secret, &key) < 0 ||
	    category_load("config/categories.conf", &categories) < 0) {
		fprintf(stderr, "cannot load templates, key or categories\n");
		return 1;
	}
	RUN(test_letters);
	rc = test_done("letters");
	alert_templates_free(templates);
	token_key_free(key);
	category_set_release(&categories);
	return rc;
}
