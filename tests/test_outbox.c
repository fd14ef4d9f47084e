/*
 * Queueing mails: a firm never gets more than its daily cap, the best
 * matches go first, the rest follow the next day; firms that asked for a
 * daily digest get one mail at the digest hour, grouped by category;
 * changes go only to firms that were told of the notice, reminders only
 * before deadlines of lots the firm was told of, each once.
 */
#define _XOPEN_SOURCE 700

#include <sqlite3.h>

#include "courier.h"
#include "outbox.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"

static char dir[PATH_MAX];
static char db[PATH_MAX + 16];
static struct alert_templates *templates;
static struct token_key *key;
static struct category_set categories;

/* 2026-11-25 in Stockholm (UTC+1). */
#define DAY0 1795561200		/* 00:00 local */
#define HOUR 3600


static struct firm *
firm_of(const char *orgnr, enum firm_frequency freq)
{
	struct firm *f = firm_new();

	f->orgnr = strdup(orgnr);
	f->name = strdup(orgnr);
	f->email = strdup("a@b.example");
	f->language = strdup("sv");
	f->frequency = freq;
	strvec_push(&f->cpv, &f->ncpv, "45442100");
	strvec_push(&f->regions, &f->nregions, "SE232");
	return f;
}

/*
 * A notice with n lots, each with the deadline given (0: none) and
 * matched to the firm with score 100 + lot in category "maleri".
 */
static struct notice *
notice_of(const char *notice_id, const char *version, int n, time_t deadline)
{
	struct notice *no = notice_new();
	char id[16];
	int i;

	no->id = strdup(notice_id);
	no->version = strdup(version);
	no->procedure_id = strdup(notice_id);
	no->kind = NOTICE_COMPETITION;
	no->subtype = strdup("16");
	no->title = strdup("Målning");
	no->published = strdup("2026-11-20");
	no->url = strdup("https://ted.europa.eu/en/notice/-/detail/1-2026");
	for (i = 0; i < n; i++) {
		struct lot *l = notice_add_lot(no);

		snprintf(id, sizeof id, "LOT-%04d", i + 1);
		l->id = strdup(id);
		strvec_push(&l->cpv, &l->ncpv, "45442100");
		if (deadline) {
			l->has_deadline = 1;
			l->deadline = deadline;
		}
	}
	return no;
}

static void
add_matches_in(struct store *s, const char *notice_id, int64_t firm, int n,
	       time_t now, time_t deadline, const char *category)
{
	struct notice *no = notice_of(notice_id, "01", n, deadline);
	enum store_put_result r;
	int64_t lots[64];
	int i, created;

	CHECK(store_put_notice(s, no, "t", now, &r, lots) == 0);
	for (i = 0; i < n; i++)
		CHECK(store_put_match(s, firm, lots[i], notice_id, no->lots[i].id,
				      "competition", "CPV 45442100", 100 + i,
				      category, now, &created) == 0 && created);
	notice_free(no);
}

static void
add_matches(struct store *s, const char *notice_id, int64_t firm, int n,
	    time_t now)
{
	add_matches_in(s, notice_id, firm, n, now, 0, "maleri");
}

enum what { ALERTS, CHANGES, REMINDERS };

static unsigned
queue_what(struct store *s, struct config *cfg, const struct firm_list *firms,
	   time_t now, enum what what)
{
	struct outbox *o = outbox_new(s, cfg, &categories, templates, key);
	unsigned queued = 0, failed = 0;

	CHECK(o != NULL);
	if (!o)
		return 0;
	if (what == ALERTS)
		CHECK(outbox_queue_alerts(o, firms, now, &queued, &failed) == 0);
	else if (what == CHANGES)
		CHECK(outbox_queue_changes(o, firms, now, &queued, &failed) == 0);
	else
		CHECK(outbox_queue_reminders(o, firms, now, &queued,
					     &failed) == 0);
	CHECK(failed == 0);
	outbox_free(o);
	return queued;
}

static unsigned
queue(struct store *s, struct config *cfg, const struct firm_list *firms,
      time_t now)
{
	return queue_what(s, cfg, firms, now, ALERTS);
}

/* The newest message's body (raw MIME), or "" if there is none. */
static char *
last_body(void)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	char *body = NULL;

	if (sqlite3_open(db, &h) != SQLITE_OK)
		return strdup("");
	if (sqlite3_prepare_v2(h, "SELECT body FROM message_body"
			       " ORDER BY message DESC LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			body = strdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	return body ? body : strdup("");
}

/* The newest message as Python's email package reads it. */
static char *
last_mail(void)
{
	char path[PATH_MAX + 32], project[PATH_MAX];
	char *body = last_body(), *parsed;

	snprintf(path, sizeof path, "%s/last.eml", dir);
	write_text(path, body);
	free(body);
	if (!getcwd(project, sizeof project))
		return NULL;
	snprintf(path, sizeof path, "'%s/last.eml'", dir);
	parsed = mailcheck(project, path, dir);
	return parsed ? parsed : strdup("");
}

/* A fresh store holding one firm of the given frequency, loaded. */
static struct store *
setup(enum firm_frequency freq, struct firm_list *firms)
{
	struct firm *f = firm_of("556734-2182", freq);
	struct store *s = NULL;
	int created;

	make_tmpdir(dir, "test_outbox");
	snprintf(db, sizeof db, "%s/t.db", dir);
	CHECK(store_open(db, &s) == 0);
	CHECK(store_put_firm(s, f, "t", 1, &created) == 0);
	CHECK(store_load_firms(s, firms) == 0 && firms->n == 1);
	firm_free(f);
	return s;
}

static void
teardown(struct store *s, struct firm_list *firms, struct config *cfg)
{
	firm_list_release(firms);
	store_free(s);
	config_free(cfg);
	rm_rf(dir);
}

static void
test_daily_cap_best_first(void)
{
	struct config *cfg = config_new();
	struct firm_list firms = { 0 };
	struct store *s = setup(FREQ_IMMEDIATELY, &firms);

	add_matches(s, "n-1", firms.v[0]->id, 15, DAY0 + 9 * HOUR);
	cfg->max_per_day = 10;
	cfg->max_lots_per_mail = 4;
	/* Ten of fifteen today, in mails of at most four lots. */
	CHECK(queue(s, cfg, &firms, DAY0 + 9 * HOUR) == 3);
	CHECK(db_query(db, "SELECT count(*) FROM match WHERE message IS NOT NULL") == 10);
	/* The best ten: scores 105..114 went, 100..104 wait. */
	CHECK(db_query(db, "SELECT min(score) FROM match WHERE message IS NOT NULL") == 105);
	CHECK(queue(s, cfg, &firms, DAY0 + 15 * HOUR) == 0);
	/* Tomorrow the other five. */
	CHECK(queue(s, cfg, &firms, DAY0 + 24 * HOUR + 8 * HOUR) == 2);
	CHECK(db_query(db, "SELECT count(*) FROM match WHERE message IS NULL") == 0);
	/* Never a mail without matches. */
	CHECK(queue(s, cfg, &firms, DAY0 + 48 * HOUR) == 0);
	CHECK(db_query(db, "SELECT count(*) FROM message") == 5);
	teardown(s, &firms, cfg);
}

/*
 * A pass queues its mails in batches of 64 (QUEUE_BATCH in src/outbox.c),
 * a transaction each: when the store fails at the 71st mail, the batch of
 * mails 65 to 70 is rolled back with it and the first 64 are kept, each
 * tied to its match. The next pass queues the rest, each match in one
 * mail.
 */
static void
test_queued_in_batches(void)
{
	struct config *cfg = config_new();
	struct firm_list firms = { 0 };
	struct store *s = setup(FREQ_IMMEDIATELY, &firms);
	struct outbox *o = NULL;
	unsigned queued = 0, failed = 0;
	sqlite3 *h;

	add_matches(s, "n-1", firms.v[0]->id, 60, DAY0 + 9 * HOUR);
	add_matches(s, "n-2", firms.v[0]->id, 40, DAY0 + 9 * HOUR);
	cfg->max_per_day = 1000;
	cfg->max_lots_per_mail = 1;
	CHECK(sqlite3_open(db, &h) == SQLITE_OK);
	CHECK(sqlite3_exec(h, "CREATE TRIGGER full BEFORE INSERT ON message"
			   " WHEN (SELECT count(*) FROM message) >= 70"
			   " BEGIN SELECT RAISE(ABORT, 'disk full'); END",
			   NULL, NULL, NULL) == SQLITE_OK);
	CHECK((o = outbox_new(s, cfg, &categories, templates, key)) != NULL);
	if (o)
		CHECK(outbox_queue_alerts(o, &firms, DAY0 + 9 * HOUR, &queued,
					  &failed) == -1);
	outbox_free(o);
	CHECK(db_query(db, "SELECT count(*) FROM message") == 64);
	CHECK(db_query(db, "SELECT count(*) FROM match"
		       " WHERE message IS NOT NULL") == 64);
	CHECK(sqlite3_exec(h, "DROP TRIGGER full", NULL, NULL, NULL) ==
	      SQLITE_OK);
	sqlite3_close(h);
	CHECK(queue(s, cfg, &firms, DAY0 + 9 * HOUR) == 36);
	CHECK(db_query(db, "SELECT count(*) FROM message") == 100);
	CHECK(db_query(db, "SELECT count(*) FROM match WHERE message IS NULL")
	      == 0);
	CHECK(db_query(db, "SELECT count(DISTINCT message) FROM match") == 100);
	teardown(s, &firms, cfg);
}

static void
test_daily_digest_at_its_hour(void)
{
	struct config *cfg = config_new();
	struct firm_list firms = { 0 };
	struct store *s = setup(FREQ_DAILY, &firms);

	cfg->digest_hour = 7;
	add_matches(s, "n-1", firms.v[0]->id, 2, DAY0 + 6 * HOUR);
	/* Nothing sent since yesterday's digest time: the digest goes now. */
	CHECK(queue(s, cfg, &firms, DAY0 + 6 * HOUR) == 1);
	add_matches(s, "n-2", firms.v[0]->id, 2, DAY0 + 6 * HOUR + 1800);
	/* Before 07:00 the firm already had today's digest. */
	CHECK(queue(s, cfg, &firms, DAY0 + 6 * HOUR + 1800) == 0);
	/* At 07:00 local time the next digest, with both new matches. */
	CHECK(queue(s, cfg, &firms, DAY0 + 7 * HOUR) == 1);
	CHECK(db_query(db, "SELECT count(*) FROM match WHERE message IS NULL") == 0);
	CHECK(db_query(db, "SELECT count(DISTINCT message) FROM match") == 2);
	teardown(s, &firms, cfg);
}

/* A digest groups by category, the category with the best match first. */
static void
test_digest_grouped_by_category(void)
{
	struct config *cfg = config_new();
	struct firm_list firms = { 0 };
	struct store *s = setup(FREQ_DAILY, &firms);
	char *body, *a, *b, *c;

	add_matches_in(s, "n-el", firms.v[0]->id, 1, DAY0 + 6 * HOUR, 0, "el");
	add_matches_in(s, "n-ma", firms.v[0]->id, 1, DAY0 + 6 * HOUR, 0,
		       "maleri");
	/* the best match of all (score 101) is a second painting lot */
	add_matches_in(s, "n-mb", firms.v[0]->id, 2, DAY0 + 6 * HOUR, 0,
		       "maleri");
	CHECK(queue(s, cfg, &firms, DAY0 + 7 * HOUR) == 1);
	body = last_body();
	/* text part: Måleri (=C3=A5 in quoted-printable) before El */
	a = strstr(body, "M=C3=A5leri");
	b = strstr(body, "=3D=3D El =3D=3D");
	c = strstr(body, "text/html");
	CHECK(a && b && c && a < b && b < c);
	CHECK(strstr(body, "Content-Type: multipart/alternative;") != NULL);
	CHECK(strstr(body, "List-Unsubscribe-Post: List-Unsubscribe=One-Click") != NULL);
	free(body);
	teardown(s, &firms, cfg);
}

/* A new version of a notice: the firm told of it hears of the change. */
static void
test_change_to_firms_told(void)
{
	struct config *cfg = config_new();
	struct firm_list firms = { 0 };
	struct store *s = setup(FREQ_IMMEDIATELY, &firms);
	struct notice *v2;
	enum store_put_result r;
	int64_t lots[4];
	char *body;
	time_t deadline = DAY0 + 20 * 24 * HOUR + 12 * HOUR;

	add_matches_in(s, "n-1", firms.v[0]->id, 2, DAY0 + 8 * HOUR, deadline,
		       "maleri");
	/* A change before the firm was told of the notice: no change mail. */
	v2 = notice_of("n-1", "02", 2, deadline + 7 * 24 * HOUR);
	CHECK(store_put_notice(s, v2, "t", DAY0 + 8 * HOUR, &r, lots) == 0 &&
	      r == STORE_CHANGED);
	notice_free(v2);
	CHECK(queue_what(s, cfg, &firms, DAY0 + 8 * HOUR, CHANGES) == 0);
	CHECK(db_query(db, "SELECT count(*) FROM notice WHERE changes_pending = 1") == 0);
	CHECK(queue(s, cfg, &firms, DAY0 + 9 * HOUR) == 1);

	/* Version 3 cancels a lot and moves the deadline a week more. */
	v2 = notice_of("n-1", "03", 1, deadline + 14 * 24 * HOUR);
	CHECK(store_put_notice(s, v2, "t", DAY0 + 10 * HOUR, &r, lots) == 0 &&
	      r == STORE_CHANGED);
	notice_free(v2);
	CHECK(queue_what(s, cfg, &firms, DAY0 + 10 * HOUR, CHANGES) == 1);
	body = last_mail();
	CHECK(strstr(body, "header Message-ID: <change.556734-2182.") != NULL);
	/* the moved deadline, old -> new, in Swedish local time */
	CHECK(strstr(body, "  22 december 2026 kl. 12:00 (CET) → 29 december "
		     "2026 kl. 12:00 (CET)\n") != NULL);
	/* the cancelled lot, not by its id */
	CHECK(strstr(body, "* Ett delområde ni har fått mejl om har "
		     "avbrutits\n") != NULL);
	CHECK(strstr(body, "LOT-0002") == NULL);
	free(body);
	/* Once only, however often it runs. */
	CHECK(queue_what(s, cfg, &firms, DAY0 + 11 * HOUR, CHANGES) == 0);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE key LIKE 'change/%'") == 1);

	/* A firm that stopped the notice hears no more of it. */
	CHECK(store_stop_notice(s, firms.v[0]->id, "n-1", DAY0 + 12 * HOUR) == 0);
	v2 = notice_of("n-1", "04", 1, deadline + 15 * 24 * HOUR);
	CHECK(store_put_notice(s, v2, "t", DAY0 + 12 * HOUR, &r, lots) == 0);
	notice_free(v2);
	CHECK(queue_what(s, cfg, &firms, DAY0 + 12 * HOUR, CHANGES) == 0);
	teardown(s, &firms, cfg);
}

/* A change notice of its own id that names its original by its number. */
static struct notice *
change_of(const char *notice_id, const char *original, time_t deadline)
{
	struct notice *no = notice_of(notice_id, "01", 1, deadline);

	no->kind = NOTICE_CHANGE;
	no->changes = calloc(1, sizeof *no->changes);
	no->changes->notice_id = strdup(original);
	return no;
}

/*
 * Change notices name the original by its TED publication number: the
 * firm told of the original hears of each change, and a stop by a change
 * mail's link (the change notice's id) holds for later changes.
 */
static void
test_change_notice_by_publication_number(void)
{
	struct config *cfg = config_new();
	struct firm_list firms = { 0 };
	struct store *s = setup(FREQ_IMMEDIATELY, &firms);
	struct notice *no = notice_of("n-1", "01", 1, DAY0 + 20 * 24 * HOUR);
	enum store_put_result r;
	int64_t lots[1];
	int created;

	no->publication = strdup("1-2026");
	CHECK(store_put_notice(s, no, "t", DAY0 + 8 * HOUR, &r, lots) == 0);
	CHECK(store_put_match(s, firms.v[0]->id, lots[0], "n-1", "LOT-0001",
			      "competition", "CPV 45442100", 100, "maleri",
			      DAY0 + 8 * HOUR, &created) == 0 && created);
	notice_free(no);
	CHECK(queue(s, cfg, &firms, DAY0 + 9 * HOUR) == 1);

	no = change_of("c-1", "1-2026", DAY0 + 27 * 24 * HOUR);
	CHECK(store_put_notice(s, no, "t", DAY0 + 10 * HOUR, &r, lots) == 0 &&
	      r == STORE_CHANGED);
	notice_free(no);
	CHECK(queue_what(s, cfg, &firms, DAY0 + 10 * HOUR, CHANGES) == 1);
	/* a second change names the original too, which c-1 replaced */
	no = change_of("c-2", "1-2026", DAY0 + 34 * 24 * HOUR);
	CHECK(store_put_notice(s, no, "t", DAY0 + 10 * HOUR, &r, lots) == 0 &&
	      r == STORE_CHANGED);
	notice_free(no);
	CHECK(queue_what(s, cfg, &firms, DAY0 + 10 * HOUR, CHANGES) == 1);

	CHECK(store_stop_notice(s, firms.v[0]->id, "c-2", DAY0 + 11 * HOUR) == 0);
	no = change_of("c-3", "c-1", DAY0 + 41 * 24 * HOUR);
	CHECK(store_put_notice(s, no, "t", DAY0 + 12 * HOUR, &r, lots) == 0 &&
	      r == STORE_CHANGED);
	notice_free(no);
	CHECK(queue_what(s, cfg, &firms, DAY0 + 12 * HOUR, CHANGES) == 0);
	teardown(s, &firms, cfg);
}

/* Five days and one day before the deadline, each once. */
static void
test_reminders(void)
{
	struct config *cfg = config_new();
	struct firm_list firms = { 0 };
	struct store *s = setup(FREQ_IMMEDIATELY, &firms);
	time_t deadline = DAY0 + 10 * 24 * HOUR + 12 * HOUR;
	char *body, sql[256];

	add_matches_in(s, "n-1", firms.v[0]->id, 2, DAY0 + 8 * HOUR, deadline,
		       "maleri");
	/* not mailed yet: nothing to remind of */
	CHECK(queue_what(s, cfg, &firms, deadline - 4 * 24 * HOUR, REMINDERS) == 0);
	CHECK(queue(s, cfg, &firms, DAY0 + 9 * HOUR) == 1);
	CHECK(queue_what(s, cfg, &firms, deadline - 6 * 24 * HOUR, REMINDERS) == 0);
	CHECK(queue_what(s, cfg, &firms, deadline - 5 * 24 * HOUR, REMINDERS) == 1);
	body = last_body();
	CHECK(strstr(body, "Message-ID: <reminder.556734-2182.n-1.5@") != NULL);
	free(body);
	CHECK(queue_what(s, cfg, &firms, deadline - 4 * 24 * HOUR, REMINDERS) == 0);
	CHECK(queue_what(s, cfg, &firms, deadline - 20 * HOUR, REMINDERS) == 1);
	CHECK(queue_what(s, cfg, &firms, deadline - 2 * HOUR, REMINDERS) == 0);
	CHECK(queue_what(s, cfg, &firms, deadline + HOUR, REMINDERS) == 0);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE key LIKE 'reminder/%'") == 2);
	/* neither the alert nor a reminder goes after the deadline */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM message WHERE stale_at = %lld",
		 (long long)deadline);
	CHECK(db_query(db, sql) == 3);

	/* A firm told of a notice three days before: no five-day reminder. */
	add_matches_in(s, "n-2", firms.v[0]->id, 1, deadline - 3 * 24 * HOUR,
		       deadline, "maleri");
	CHECK(queue(s, cfg, &firms, deadline - 3 * 24 * HOUR) == 1);
	CHECK(queue_what(s, cfg, &firms, deadline - 2 * 24 * HOUR, REMINDERS) == 0);
	CHECK(queue_what(s, cfg, &firms, deadline - 12 * HOUR, REMINDERS) == 1);
	teardown(s, &firms, cfg);
}

/* An award notice is told as what it is, not as a tender to bid for. */
static void
test_award_mail(void)
{
	struct config *cfg = config_new();
	struct firm_list firms = { 0 };
	struct store *s = setup(FREQ_IMMEDIATELY, &firms);
	struct notice *no = notice_of("n-can", "01", 1, 0);
	enum store_put_result r;
	int64_t lot;
	int created;
	char *body;

	no->kind = NOTICE_RESULT;
	CHECK(store_put_notice(s, no, "t", DAY0, &r, &lot) == 0);
	CHECK(store_put_match(s, firms.v[0]->id, lot, "n-can", "LOT-0001",
			      "result", "CPV 45442100", 100, "maleri", DAY0,
			      &created) == 0 && created);
	notice_free(no);
	CHECK(queue(s, cfg, &firms, DAY0 + 9 * HOUR) == 1);
	body = last_body();
	CHECK(strstr(body, "Subject: Tilldelning: =?UTF-8?") ||
	      strstr(body, "Subject: Tilldelning: M"));
	CHECK(strstr(body, "kontrakt har tilldelats") ||
	      strstr(body, "kontrakt har\r\ntilldelats"));
	CHECK(!strstr(body, "anbud"));
	free(body);
	/* a result is news after any deadline */
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE stale_at IS NULL") == 1);
	teardown(s, &firms, cfg);
}

/*
 * The parts of a planned procurement are "del 1", "del 2", by title, not
 * by id; a part without a value shows none, not the value of the best
 * matched part beside it.
 */
static void
test_planned_parts(void)
{
	struct config *cfg = config_new();
	struct firm_list firms = { 0 };
	struct store *s = setup(FREQ_IMMEDIATELY, &firms);
	struct notice *no = notice_of("n-pin", "01", 2, 0);
	enum store_put_result r;
	int64_t lots[2];
	char *body;
	int i, created;

	no->kind = NOTICE_PLANNING;
	no->lots[0].title = strdup("Invändig målning");
	no->lots[1].title = strdup("Fasadmålning");
	no->lots[1].has_value = 1;
	no->lots[1].value = 1.5e6;
	CHECK(store_put_notice(s, no, "t", DAY0 + 8 * HOUR, &r, lots) == 0);
	for (i = 0; i < 2; i++)
		CHECK(store_put_match(s, firms.v[0]->id, lots[i], "n-pin",
				      no->lots[i].id, "planning", "skäl", 100 + i,
				      "maleri", DAY0 + 8 * HOUR, &created) == 0);
	notice_free(no);
	CHECK(queue(s, cfg, &firms, DAY0 + 9 * HOUR) == 1);
	body = last_mail();
	CHECK(strstr(body, "2 delar passar er bevakning:\n"));
	CHECK(strstr(body, "* Måleri: Fasadmålning (del 2)\n"
		     "  Uppskattat värde: 1 500 000 kr\n"));
	CHECK(strstr(body, "* Måleri: Invändig målning (del 1)\n"
		     "  Därför får ni detta: skäl\n"));
	CHECK(!strstr(body, "delområde") && !strstr(body, "PAR-") &&
	      !strstr(body, "LOT-"));
	free(body);
	teardown(s, &firms, cfg);
}

/*
 * The message table out of the store's reach: a query that reads it,
 * as a firm's allowance does, fails until it is put back.
 */
static void
hide_messages(int hidden)
{
	db_query(db, hidden ? "ALTER TABLE message RENAME TO message_away" :
		 "ALTER TABLE message_away RENAME TO message");
}

/*
 * A pass asks nothing about a firm with nothing unmailed: with the
 * messages out of reach it still succeeds when every match is queued,
 * and fails once a firm has a match waiting (it is visited then).
 */
static void
test_idle_firms_cost_no_query(void)
{
	struct config *cfg = config_new();
	struct firm_list firms = { 0 };
	struct store *s = setup(FREQ_IMMEDIATELY, &firms);
	struct firm *daily = firm_of("556036-0793", FREQ_DAILY);
	struct outbox *o;
	unsigned queued = 0, failed = 0;
	int created;

	CHECK(store_put_firm(s, daily, "t", 1, &created) == 0 && created);
	firm_free(daily);
	firm_list_release(&firms);
	CHECK(store_load_firms(s, &firms) == 0 && firms.n == 2);
	/* by organisation number: the daily one first */
	CHECK(firms.v[0]->frequency == FREQ_DAILY);
	cfg->digest_hour = 7;
	add_matches(s, "n-1", firms.v[0]->id, 2, DAY0 + 9 * HOUR);
	add_matches(s, "n-2", firms.v[1]->id, 2, DAY0 + 9 * HOUR);
	CHECK(queue(s, cfg, &firms, DAY0 + 9 * HOUR) == 2);
	CHECK(db_query(db, "SELECT count(*) FROM match WHERE message IS NULL") == 0);
	hide_messages(1);
	CHECK(db_query(db, "SELECT count(*) FROM message_away") == 2);
	CHECK(queue(s, cfg, &firms, DAY0 + 10 * HOUR) == 0);
	hide_messages(0);
	/* the check can fail: a firm with a match waiting is visited */
	add_matches(s, "n-3", firms.v[0]->id, 1, DAY0 + 11 * HOUR);
	hide_messages(1);
	o = outbox_new(s, cfg, &categories, templates, key);
	CHECK(o != NULL);
	CHECK(outbox_queue_alerts(o, &firms, DAY0 + 11 * HOUR, &queued,
				  &failed) < 0);
	outbox_free(o);
	hide_messages(0);
	/* the daily digest firm's new match waits for tomorrow's digest */
	CHECK(queue(s, cfg, &firms, DAY0 + 12 * HOUR) == 0);
	CHECK(queue(s, cfg, &firms, DAY0 + 31 * HOUR) == 1);
	CHECK(db_query(db, "SELECT count(*) FROM match WHERE message IS NULL") == 0);
	teardown(s, &firms, cfg);
}

/*
 * One outbox over the daemon's passes does not ask the store again
 * whether a reminder is queued: after the pass that queued it, its row
 * taken away behind the store's back is not noticed, so no second
 * reminder is made (a queued mail is never removed; this only shows the
 * store unasked).
 */
static void
test_reminder_known_from_last_pass(void)
{
	struct config *cfg = config_new();
	struct firm_list firms = { 0 };
	struct store *s = setup(FREQ_IMMEDIATELY, &firms);
	time_t deadline = DAY0 + 10 * 24 * HOUR + 12 * HOUR;
	struct outbox *o = outbox_new(s, cfg, &categories, templates, key);
	unsigned queued = 0, failed = 0;

	CHECK(o != NULL);
	if (!o)
		return;
	add_matches_in(s, "n-1", firms.v[0]->id, 1, DAY0 + 8 * HOUR, deadline,
		       "maleri");
	CHECK(queue(s, cfg, &firms, DAY0 + 9 * HOUR) == 1);
	/* the pass that queues it knows it queued */
	CHECK(outbox_queue_reminders(o, &firms, deadline - 4 * 24 * HOUR,
				     &queued, &failed) == 0);
	CHECK(queued == 1 && failed == 0);
	/* as the store would, its foreign keys on: the text goes with it */
	db_query(db, "DELETE FROM message_body WHERE message IN (SELECT id"
		 " FROM message WHERE key LIKE 'reminder/%')");
	db_query(db, "DELETE FROM message WHERE key LIKE 'reminder/%'");
	CHECK(outbox_queue_reminders(o, &firms, deadline - 4 * 24 * HOUR +
				     HOUR, &queued, &failed) == 0);
	CHECK(queued == 1);
	outbox_free(o);
	/* a new outbox (a new daemon) asks the store */
	CHECK(queue_what(s, cfg, &firms, deadline - 4 * 24 * HOUR + 3 * HOUR,
			 REMINDERS) == 1);
	teardown(s, &firms, cfg);
}

/*
 * What a pass believes queued is only what its batch kept: a reminder
 * queued in a batch that then rolled back (the next mail of it could not
 * be stored) is made again by the same outbox's next pass.
 */
static void
test_reminder_rolled_back_made_again(void)
{
	struct config *cfg = config_new();
	struct firm_list firms = { 0 };
	struct store *s = setup(FREQ_IMMEDIATELY, &firms);
	struct firm *second = firm_of("556036-0793", FREQ_IMMEDIATELY);
	time_t deadline = DAY0 + 10 * 24 * HOUR + 12 * HOUR;
	time_t now = deadline - 4 * 24 * HOUR;
	struct outbox *o = outbox_new(s, cfg, &categories, templates, key);
	unsigned queued = 0, failed = 0;
	int created;

	CHECK(o != NULL && second != NULL);
	if (!o || !second)
		return;
	CHECK(store_put_firm(s, second, "t", 1, &created) == 0 && created);
	firm_free(second);
	firm_list_release(&firms);
	CHECK(store_load_firms(s, &firms) == 0 && firms.n == 2);
	add_matches_in(s, "n-1", firms.v[0]->id, 1, DAY0 + 8 * HOUR, deadline,
		       "maleri");
	add_matches_in(s, "n-2", firms.v[1]->id, 1, DAY0 + 8 * HOUR, deadline,
		       "maleri");
	CHECK(queue(s, cfg, &firms, DAY0 + 9 * HOUR) == 2);
	/* the second firm's reminder cannot be stored, after the first's */
	db_query(db, "CREATE TRIGGER no_second BEFORE INSERT ON message"
		 " WHEN NEW.key LIKE 'reminder/556036-0793/%'"
		 " BEGIN SELECT RAISE(ABORT, 'test: not stored'); END");
	CHECK(outbox_queue_reminders(o, &firms, now, &queued, &failed) < 0);
	CHECK(db_query(db, "SELECT count(*) FROM message"
		       " WHERE key LIKE 'reminder/%'") == 0);
	db_query(db, "DROP TRIGGER no_second");
	queued = failed = 0;
	CHECK(outbox_queue_reminders(o, &firms, now + HOUR, &queued,
				     &failed) == 0);
	CHECK(queued == 2 && failed == 0);
	CHECK(db_query(db, "SELECT count(*) FROM message"
		       " WHERE key LIKE 'reminder/%'") == 2);
	outbox_free(o);
	teardown(s, &firms, cfg);
}

/*
 * A courier told of each batch the outbox commits delivers it while the
 * queueing goes on, as the daemon's pass has it: of 130 alerts, the
 * whole batch of 100 is in the Maildir without the courier being
 * stopped (it would look only once an hour on its own), and the 30 over
 * wait for the delivery after the queueing.
 */
static void
test_courier_delivers_each_commit(void)
{
	enum { FIRMS = 130 };
	struct config *cfg = config_new();
	struct firm_list firms = { 0 };
	struct store *s = setup(FREQ_IMMEDIATELY, &firms);
	struct notice *no = notice_of("n-1", "01", 1, 0);
	time_t now = DAY0 + 9 * HOUR;
	char maildir[PATH_MAX + 32], newdir[PATH_MAX + 64], orgnr[16];
	struct mailer_options mo = { .transport = TRANSPORT_MAILDIR };
	struct courier_options co = {
		.cfg = cfg, .db_path = db, .owner = "run:", .at = now,
		.idle_poll = 3600, .queue_growing = 1,
	};
	struct outbox_sender by = { "run:1", NULL, 60, 5 * 86400L, 0 };
	struct courier_tally t = { 0 };
	struct courier *c = NULL;
	struct outbox *o = NULL;
	enum store_put_result r;
	unsigned queued = 0, failed = 0;
	int64_t lot;
	size_t i;
	int created;

	for (i = 1; i < FIRMS; i++) {
		struct firm *f;

		snprintf(orgnr, sizeof orgnr, "556000-%04zu", i);
		f = firm_of(orgnr, FREQ_IMMEDIATELY);
		CHECK(store_put_firm(s, f, "t", 1, &created) == 0 && created);
		firm_free(f);
	}
	firm_list_release(&firms);
	CHECK(store_load_firms(s, &firms) == 0 && firms.n == FIRMS);
	CHECK(store_put_notice(s, no, "t", now, &r, &lot) == 0);
	for (i = 0; i < firms.n; i++)
		CHECK(store_put_match(s, firms.v[i]->id, lot, "n-1", "LOT-0001",
				      "competition", "CPV 45442100", 100,
				      "maleri", now, &created) == 0 && created);
	snprintf(maildir, sizeof maildir, "%s/mail", dir);
	snprintf(newdir, sizeof newdir, "%s/new", maildir);
	mo.maildir = maildir;
	co.mailer = mailer_new(&mo);
	o = outbox_new(s, cfg, &categories, templates, key);
	CHECK(co.mailer != NULL && o != NULL);
	CHECK(courier_start(&co, &c) == 0);
	if (!co.mailer || !o || !c)
		goto out;
	outbox_on_committed(o, courier_wake, c);
	CHECK(outbox_queue_alerts(o, &firms, now, &queued, &failed) == 0);
	CHECK(queued == FIRMS && failed == 0);
	CHECK(await_files(newdir, 99) == 100);
	courier_stop(c, &t);
	c = NULL;
	CHECK(t.sent == 100 && t.deferred == 0 && t.failed == 0 &&
	      t.errors == 0);
	CHECK(count_files(newdir) == 100);
	t.sent = 0;
	CHECK(outbox_deliver(s, co.mailer, &by, now, &t.sent, &t.deferred,
			     &t.failed) == 0);
	CHECK(t.sent == FIRMS - 100 && count_files(newdir) == FIRMS);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE state = 'sent'"
		       " AND claimed_by IS NULL") == FIRMS);
out:
	courier_stop(c, NULL);
	outbox_free(o);
	mailer_free(co.mailer);
	notice_free(no);
	teardown(s, &firms, cfg);
}

static int
heard(size_t i, int status, const char *reply, void *arg)
{
	(void)i;
	(void)reply;
	*(int *)arg = status;
	return 0;
}

/*
 * A mail delivered into the Maildir by a pass killed before it recorded
 * so, and read (moved into cur/) before the next pass: the next pass
 * finds it there and delivers nothing. A first try does not look, so
 * the recovery must make the mail not one; were it one, new/ would get
 * a second copy.
 */
static void
test_read_before_recovery_not_given_again(void)
{
	struct config *cfg = config_new();
	struct firm_list firms = { 0 };
	struct store *s = setup(FREQ_IMMEDIATELY, &firms);
	time_t now = DAY0 + 9 * HOUR;
	char maildir[PATH_MAX + 32], newdir[PATH_MAX + 64],
	     curdir[PATH_MAX + 64], from[PATH_MAX * 2] = "",
	     to[PATH_MAX * 3] = "";
	struct mailer_options mo = { .transport = TRANSPORT_MAILDIR };
	struct outbox_message m = {
		.key = "alert/556734-2182/1", .rcpt = "a@b.example",
		.envelope_from = "from@x.example",
		.body = "Subject: x\r\n\r\nhej\r\n",
	};
	struct outbox_sender by = { "run:2", NULL, 60, 5 * 86400L, 0 };
	struct claim crashed = { "run:1", now + 600 };
	struct outbox_message *due = NULL;
	struct mailer *mailer;
	struct dirent *de;
	unsigned sent = 0, deferred = 0, failed = 0;
	size_t n = 0;
	int status = -1, claimed = 0, recovered = 0;
	DIR *d;

	snprintf(maildir, sizeof maildir, "%s/mail", dir);
	snprintf(newdir, sizeof newdir, "%s/new", maildir);
	snprintf(curdir, sizeof curdir, "%s/cur", maildir);
	mo.maildir = maildir;
	m.len = strlen(m.body);
	CHECK((mailer = mailer_new(&mo)) != NULL);
	CHECK(store_queue_message(s, &m, NULL, 0, now) == 0);
	CHECK(store_due_messages(s, now, NULL, 0, 10, &due, &n) == 0 && n == 1);
	if (!mailer || n != 1)
		goto out;
	CHECK(due[0].first_try);
	/* the killed pass: taken, given, not recorded */
	CHECK(store_claim_message(s, due[0].id, &crashed, &claimed) == 0 &&
	      claimed);
	{
		struct mailer_item it = { due[0].envelope_from, due[0].rcpt,
					  due[0].body, due[0].len, due[0].key,
					  due[0].first_try };

		CHECK(mailer_send_batch(mailer, &it, 1, heard, &status) == 0);
	}
	CHECK(status == MAILER_OK && count_files(newdir) == 1);
	/* the firm reads it */
	if ((d = opendir(newdir))) {
		while ((de = readdir(d)))
			if (de->d_name[0] != '.') {
				snprintf(from, sizeof from, "%s/%s", newdir,
					 de->d_name);
				snprintf(to, sizeof to, "%s/%s:2,S", curdir,
					 de->d_name);
			}
		closedir(d);
		CHECK(rename(from, to) == 0);
	}
	CHECK(store_recover_sending(s, "run:", now + 60, &recovered) == 0 &&
	      recovered == 1);
	CHECK(outbox_deliver(s, mailer, &by, now + 60, &sent, &deferred,
			     &failed) == 0);
	CHECK(sent == 1 && deferred == 0 && failed == 0);
	CHECK(count_files(newdir) == 0 && count_files(curdir) == 1);
out:
	outbox_messages_free(due, n);
	mailer_free(mailer);
	teardown(s, &firms, cfg);
}

int
main(void)
{
	static const unsigned char secret[TOKEN_SECRET_LEN] = { 1, 2, 3 };
	int rc;

	setenv("TZ", "Europe/Stockholm", 1);
	tzset();
	if (alert_templates_load("templates", &templates) < 0 ||
	    token_key_from_bytes(secret, sizeof secret, &key) < 0 ||
	    category_load("config/categories.conf", &categories) < 0) {
		fprintf(stderr, "cannot load templates, key or categories\n");
		return 1;
	}
	RUN(test_daily_cap_best_first);
	RUN(test_queued_in_batches);
	RUN(test_daily_digest_at_its_hour);
	RUN(test_digest_grouped_by_category);
	RUN(test_change_to_firms_told);
	RUN(test_change_notice_by_publication_number);
	RUN(test_reminders);
	RUN(test_award_mail);
	RUN(test_planned_parts);
	RUN(test_idle_firms_cost_no_query);
	RUN(test_reminder_known_from_last_pass);
	RUN(test_reminder_rolled_back_made_again);
	RUN(test_courier_delivers_each_commit);
	RUN(test_read_before_recovery_not_given_again);
	rc = test_done("outbox");
	alert_templates_free(templates);
	token_key_free(key);
	category_set_release(&categories);
	return rc;
}
