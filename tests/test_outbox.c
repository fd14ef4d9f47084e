/*
 * Queueing alerts: a firm never gets more than its daily cap, the best
 * matches go first, the rest follow the next day; firms that asked for a
 * daily digest get one mail at the digest hour.
 */
#define _XOPEN_SOURCE 700

#include <sqlite3.h>

#include "outbox.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"

static char dir[PATH_MAX];
static char db[PATH_MAX + 16];

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

/* A notice with n lots, each matched to the firm with score 100 + lot. */
static void
add_matches(struct store *s, const char *notice_id, int64_t firm, int n,
	    time_t now)
{
	struct notice *no = notice_new();
	enum store_put_result r;
	int64_t lots[64];
	char id[16];
	int i, created;

	no->id = strdup(notice_id);
	no->version = strdup("01");
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
	}
	CHECK(store_put_notice(s, no, "t", now, &r, lots) == 0);
	for (i = 0; i < n; i++)
		CHECK(store_put_match(s, firm, lots[i], notice_id, no->lots[i].id,
				      "competition", "CPV 45442100", 100 + i,
				      "maleri", now, &created) == 0 && created);
	notice_free(no);
}

static unsigned
queue(struct store *s, struct config *cfg, const struct firm_list *firms,
      time_t now)
{
	unsigned queued = 0;

	CHECK(outbox_queue_alerts(s, cfg, firms, now, &queued) == 0);
	return queued;
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

int
main(void)
{
	setenv("TZ", "Europe/Stockholm", 1);
	tzset();
	RUN(test_daily_cap_best_first);
	RUN(test_daily_digest_at_its_hour);
	return test_done("outbox");
}
