/*
 * Firms: imports, subscriptions and their states, address changes,
 * rate limits on attempts, bounces and the notices a firm stopped.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_impl.h"

#define FIRM_COLUMNS \
	"SELECT id, orgnr, name, email, cpv, regions, language, employees," \
	" turnover, categories, kinds, frequency, abroad, hard_at, reason" \
	" FROM firm LEFT JOIN bounce ON address = lower(email)"

enum stmt_id {
	ST_FIRM_FIND,
	ST_FIRM_INSERT,
	ST_FIRM_UPDATE,
	ST_FIRM_DELETE,
	ST_FIRM_ALL,
	ST_FIRM_CHANGED,
	ST_NOTICE_STOP,
	ST_FIRM_PENDING_INSERT,
	ST_FIRM_STATE,
	ST_FIRM_CONFIRM,
	ST_FIRM_UNSUBSCRIBE,
	ST_FIRM_RESUBSCRIBE,
	ST_FIRM_ANONYMISE,
	ST_FIRM_DELETE_ID,
	ST_FIRM_BY_ID,
	ST_FIRM_RECORDS,
	ST_FIRM_LAPSED_DELETE,
	ST_FIRM_NEW_EMAIL,
	ST_FIRM_NEW_EMAIL_CONFIRM,
	ST_ATTEMPT_PURGE,
	ST_ATTEMPT_COUNT,
	ST_ATTEMPT_ADD,
	ST_BOUNCE_GET,
	ST_BOUNCE_PUT,
	ST_BOUNCE_CLEAR,
	ST_BOUNCED_COUNT,
	NSTMT
};

static const char *const stmt_sql[NSTMT] = {
	[ST_FIRM_FIND] =
	"SELECT id FROM firm WHERE orgnr = ?1",
	/* The unit's register: its firms are subscribed as they come. */
	[ST_FIRM_INSERT] =
	"INSERT INTO firm (orgnr, name, email, cpv, regions, language, employees,"
	" turnover, consent_at, categories, kinds, frequency, consent_source,"
	" updated_at, confirmed_at, abroad)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?9, ?9,"
	" ?14)",
	/* A subscription from the web waits for its confirmation. */
	[ST_FIRM_PENDING_INSERT] =
	"INSERT INTO firm (orgnr, name, email, cpv, regions, language, employees,"
	" turnover, consent_at, categories, kinds, frequency, consent_source,"
	" updated_at, abroad)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?9, ?14)",
	[ST_FIRM_STATE] =
	"SELECT id, CASE WHEN confirmed_at IS NULL THEN 1"
	" WHEN unsubscribed_at IS NOT NULL THEN 3 ELSE 2 END"
	" FROM firm WHERE orgnr = ?1",
	/* Consent is given when the firm confirms, through the web. */
	[ST_FIRM_CONFIRM] =
	"UPDATE firm SET confirmed_at = ?2, consent_at = ?2, consent_source = 'web',"
	" unsubscribed_at = NULL WHERE id = ?1 AND confirmed_at IS NULL",
	[ST_FIRM_UNSUBSCRIBE] =
	"UPDATE firm SET unsubscribed_at = ?2 WHERE id = ?1"
	" AND unsubscribed_at IS NULL AND confirmed_at IS NOT NULL",
	[ST_FIRM_RESUBSCRIBE] =
	"UPDATE firm SET unsubscribed_at = NULL, consent_at = ?2,"
	" consent_source = 'web' WHERE id = ?1 AND unsubscribed_at IS NOT NULL",
	[ST_FIRM_ANONYMISE] =
	"INSERT INTO anon_alert (item, sent_at, category)"
	" SELECT 'deleted-' || ?1 || '-' || ?2, g.sent_at, m.category"
	" FROM match m JOIN message g ON g.id = m.message"
	" WHERE m.firm = ?1 AND g.state = 'sent'",
	[ST_FIRM_DELETE_ID] =
	"DELETE FROM firm WHERE id = ?1",
	/* A subscription never confirmed within its time is nobody's. */
	[ST_FIRM_LAPSED_DELETE] =
	"DELETE FROM firm WHERE id = ?1 AND confirmed_at IS NULL"
	" AND consent_at <= ?2",
	[ST_FIRM_NEW_EMAIL] =
	"UPDATE firm SET new_email = ?2, new_email_at = ?3 WHERE id = ?1",
	/* Only the latest request's link changes the address. */
	[ST_FIRM_NEW_EMAIL_CONFIRM] =
	"UPDATE firm SET email = new_email, new_email = NULL,"
	" new_email_at = NULL, updated_at = ?3"
	" WHERE id = ?1 AND new_email IS NOT NULL AND new_email_at = ?2",
	[ST_ATTEMPT_PURGE] =
	"DELETE FROM web_attempt WHERE at <= ?1",
	[ST_ATTEMPT_COUNT] =
	"SELECT count(*) FROM web_attempt WHERE key = ?1 AND at > ?2",
	[ST_ATTEMPT_ADD] =
	"INSERT INTO web_attempt (key, at) VALUES (?1, ?2)",
	/* Everything stored about a firm, for its own export. */
	[ST_FIRM_RECORDS] =
	"SELECT 'subscribed', consent_source, NULL, consent_at, confirmed_at"
	" FROM firm WHERE id = ?1"
	" UNION ALL SELECT 'unsubscribed', NULL, NULL, unsubscribed_at, NULL"
	" FROM firm WHERE id = ?1 AND unsubscribed_at IS NOT NULL"
	" UNION ALL SELECT 'mail', key, state, created_at, sent_at FROM message"
	" WHERE firm = ?1"
	" UNION ALL SELECT 'match', notice_id, lot_id, created_at, NULL FROM match"
	" WHERE firm = ?1"
	" UNION ALL SELECT 'stopped', notice_id, NULL, created_at, NULL"
	" FROM notice_stop WHERE firm = ?1"
	" UNION ALL SELECT 'meeting', meeting, CASE WHEN attended THEN 'attended'"
	"  WHEN cancelled_at IS NOT NULL THEN 'cancelled' ELSE 'registered' END,"
	"  coalesce(registered_at, 0), cancelled_at FROM meeting_registration"
	" WHERE firm = ?1"
	" UNION ALL SELECT 'rfi_answer', notice_id, source, answered_at, NULL"
	" FROM rfi_response WHERE firm = ?1"
	" UNION ALL SELECT 'bid', notice_id, source, bid_at, NULL FROM bid"
	" WHERE firm = ?1",
	[ST_FIRM_BY_ID] =
	FIRM_COLUMNS " WHERE id = ?1",
	[ST_FIRM_UPDATE] =
	"UPDATE firm SET name = ?2, email = ?3, cpv = ?4, regions = ?5,"
	" language = ?6, employees = ?7, turnover = ?8, updated_at = ?9,"
	" categories = ?10, kinds = ?11, frequency = ?12, abroad = ?14"
	" WHERE orgnr = ?1",
	[ST_FIRM_DELETE] =
	"DELETE FROM firm WHERE orgnr = ?1",
	/* The firms matched and mailed: confirmed, not unsubscribed. */
	[ST_FIRM_ALL] =
	FIRM_COLUMNS " WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL"
	" ORDER BY orgnr",
	/* subscribed, confirmed, resubscribed, imported or edited since ?1 */
	[ST_FIRM_CHANGED] =
	FIRM_COLUMNS " WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL"
	" AND max(updated_at, confirmed_at, consent_at) >= ?1 ORDER BY orgnr",
	[ST_BOUNCE_GET] =
	"SELECT hard_at, reason, soft, soft_first_at, soft_last_at FROM bounce"
	" WHERE address = lower(?1)",
	[ST_BOUNCE_PUT] =
	"INSERT OR REPLACE INTO bounce (address, hard_at, reason, soft,"
	" soft_first_at, soft_last_at) VALUES (lower(?1), ?2, ?3, ?4, ?5, ?6)",
	/* the firm's new address, confirmed, takes mail */
	[ST_BOUNCE_CLEAR] =
	"DELETE FROM bounce WHERE address = (SELECT lower(email) FROM firm"
	" WHERE id = ?1)",
	[ST_BOUNCED_COUNT] =
	"SELECT count(*) FROM bounce WHERE hard_at IS NOT NULL",
	[ST_NOTICE_STOP] =
	"INSERT OR IGNORE INTO notice_stop (firm, notice_id, created_at)"
	" VALUES (?1, ?2, ?3)",
};

static const struct stmt_table stmts = { STMT_FIRMS, stmt_sql, NSTMT };

static int
bind_firm(struct store *s, sqlite3_stmt *st, const struct firm *f, time_t now)
{
	struct buf cpv, regions;
	int rc = -1;

	buf_init(&cpv, 0);
	buf_init(&regions, 0);
	if (join_words(f->cpv, f->ncpv, &cpv) < 0 ||
	    join_words(f->regions, f->nregions, &regions) < 0) {
		error("out of memory");
		goto out;
	}
	bind_text(st, 1, f->orgnr);
	bind_text(st, 2, f->name);
	bind_text(st, 3, f->email);
	bind_text(st, 4, buf_str(&cpv));
	bind_text(st, 5, buf_str(&regions));
	bind_text(st, 6, f->language);
	if (f->employees >= 0)
		sqlite3_bind_int64(st, 7, f->employees);
	if (f->turnover >= 0)
		sqlite3_bind_int64(st, 8, f->turnover);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)now);
	if (bind_words(st, 10, f->categories, f->ncategories, &cpv) < 0) {
		error("out of memory");
		goto out;
	}
	sqlite3_bind_int(st, 11, (int)f->kinds);
	bind_text(st, 12, firm_frequency_name(f->frequency));
	sqlite3_bind_int(st, 14, f->abroad);
	rc = step_done(s, st, "store firm");
out:
	buf_release(&cpv);
	buf_release(&regions);
	return rc;
}

int
store_put_firm(struct store *s, const struct firm *f, const char *source,
	       time_t now, int *created)
{
	sqlite3_stmt *st;
	int known;

	if (!(st = stmt(s, &stmts, ST_FIRM_FIND)))
		return -1;
	bind_text(st, 1, f->orgnr);
	if ((known = step_exists(s, st, "look up firm")) < 0)
		return -1;
	if (!(st = stmt(s, &stmts, known ? ST_FIRM_UPDATE : ST_FIRM_INSERT)))
		return -1;
	if (!known)
		bind_text(st, 13, source);
	if (bind_firm(s, st, f, now) < 0)
		return -1;
	*created = !known;
	return 0;
}

int
store_remove_firm(struct store *s, const char *orgnr, int *found)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_FIRM_DELETE)))
		return -1;
	bind_text(st, 1, orgnr);
	return step_changed(s, st, "remove firm", found);
}

/* The firm of the current row of a FIRM_COLUMNS statement. */
static struct firm *
read_firm_row(sqlite3_stmt *st)
{
	struct firm *f = firm_new();

	if (!f)
		return NULL;
	f->id = sqlite3_column_int64(st, 0);
	f->orgnr = column_strdup(st, 1);
	f->name = column_strdup(st, 2);
	f->email = column_strdup(st, 3);
	f->language = column_strdup(st, 6);
	if (!f->orgnr || !f->name || !f->email || !f->language ||
	    strvec_split((const char *)sqlite3_column_text(st, 4), &f->cpv, &f->ncpv) < 0 ||
	    strvec_split((const char *)sqlite3_column_text(st, 5), &f->regions,
			&f->nregions) < 0 ||
	    strvec_split((const char *)sqlite3_column_text(st, 9), &f->categories,
			&f->ncategories) < 0) {
		firm_free(f);
		return NULL;
	}
	if (sqlite3_column_type(st, 7) != SQLITE_NULL)
		f->employees = (long)sqlite3_column_int64(st, 7);
	if (sqlite3_column_type(st, 8) != SQLITE_NULL)
		f->turnover = sqlite3_column_int64(st, 8);
	f->kinds = (unsigned)sqlite3_column_int(st, 10);
	if (!sqlite3_column_text(st, 11) ||
	    firm_frequency_parse((const char *)sqlite3_column_text(st, 11),
				 &f->frequency) < 0)
		f->frequency = FREQ_IMMEDIATELY;
	f->abroad = sqlite3_column_int(st, 12);
	f->bounced_at = (time_t)sqlite3_column_int64(st, 13);
	if (f->bounced_at && sqlite3_column_type(st, 14) != SQLITE_NULL &&
	    !(f->bounce_reason = column_strdup(st, 14))) {
		firm_free(f);
		return NULL;
	}
	return f;
}

static int
load_firm_list(struct store *s, sqlite3_stmt *st, struct firm_list *out)
{
	struct firm_list list = { 0 };
	struct firm *f;
	int rc = -1, r;

	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(f = read_firm_row(st)) || firm_list_push(&list, f) < 0) {
			firm_free(f);
			error("out of memory");
			goto out;
		}
	}
	if (r != SQLITE_DONE) {
		db_error(s, "load firms");
		goto out;
	}
	*out = list;
	list.v = NULL;
	list.n = 0;
	rc = 0;
out:
	sqlite3_reset(st);
	firm_list_release(&list);
	return rc;
}

int
store_load_firms(struct store *s, struct firm_list *out)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_FIRM_ALL)))
		return -1;
	return load_firm_list(s, st, out);
}

int
store_load_firms_changed(struct store *s, time_t since, struct firm_list *out)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_FIRM_CHANGED)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)since);
	return load_firm_list(s, st, out);
}

int
store_get_firm(struct store *s, int64_t id, struct firm **out)
{
	sqlite3_stmt *st;
	int r, rc = 0;

	*out = NULL;
	if (!(st = stmt(s, &stmts, ST_FIRM_BY_ID)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((r = step_row(s, st, "read firm")) <= 0)
		return r;
	if (!(*out = read_firm_row(st)))
		rc = error("out of memory");
	sqlite3_reset(st);
	return rc;
}

int
store_firm_id(struct store *s, const char *orgnr, int64_t *id)
{
	sqlite3_stmt *st;
	int r;

	if (!(st = stmt(s, &stmts, ST_FIRM_FIND)))
		return -1;
	bind_text(st, 1, orgnr);
	*id = 0;
	if ((r = step_row(s, st, "look up firm")) <= 0)
		return r;
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int
store_subscribe_firm(struct store *s, const struct firm *f, time_t now,
		     time_t lapse, int64_t *id, enum firm_state *state)
{
	sqlite3_stmt *st;
	int lapsed = 0;

	if (store_begin(s) < 0)
		return -1;
	if (store_firm_state(s, f->orgnr, id, state) < 0)
		goto fail;
	if (*id && *state == FIRM_PENDING) {
		if (!(st = stmt(s, &stmts, ST_FIRM_LAPSED_DELETE)))
			goto fail;
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)(now - lapse));
		if (step_changed(s, st, "drop a lapsed subscription", &lapsed) < 0)
			goto fail;
	}
	if (!*id || lapsed) {
		if (!(st = stmt(s, &stmts, ST_FIRM_PENDING_INSERT)))
			goto fail;
		bind_text(st, 13, "web");
		if (bind_firm(s, st, f, now) < 0)
			goto fail;
		*id = sqlite3_last_insert_rowid(s->db);
		*state = FIRM_NEW;
	}
	if (store_commit(s) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

/* Runs a statement whose parameters are a row id, a text and a time. */
static int
run_id_text_time(struct store *s, enum stmt_id id, int64_t row,
		 const char *text, time_t t, const char *what)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, id)))
		return -1;
	sqlite3_bind_int64(st, 1, row);
	bind_text(st, 2, text);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)t);
	return step_done(s, st, what);
}

int
store_request_email(struct store *s, int64_t id, const char *email,
		    time_t now)
{
	return run_id_text_time(s, ST_FIRM_NEW_EMAIL, id, email, now,
				"record the new address");
}

int
store_confirm_email(struct store *s, int64_t id, time_t requested_at,
		    time_t now, int *found)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_FIRM_NEW_EMAIL_CONFIRM)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)requested_at);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	if (step_changed(s, st, "change the address", found) < 0)
		return -1;
	if (!*found || !(st = stmt(s, &stmts, ST_BOUNCE_CLEAR)))
		return *found ? -1 : 0;
	sqlite3_bind_int64(st, 1, id);
	return step_done(s, st, "clear the address's bounces");
}

/* Attempts are kept as long as the longest window asks: a day. */
#define ATTEMPTS_KEPT (24L * 3600)

int
store_take_attempt(struct store *s, const char *key, time_t now, long window,
		   long limit, int *allowed)
{
	sqlite3_stmt *st;
	long long n = 0;

	*allowed = 0;
	if (store_begin(s) < 0)
		return -1;
	if (!(st = stmt(s, &stmts, ST_ATTEMPT_PURGE)))
		goto fail;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)(now - ATTEMPTS_KEPT));
	if (step_done(s, st, "forget old attempts") < 0 ||
	    !(st = stmt(s, &stmts, ST_ATTEMPT_COUNT)))
		goto fail;
	bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)(now - window));
	if (step_number(s, st, "count attempts", &n) < 0)
		goto fail;
	if (n < limit) {
		if (!(st = stmt(s, &stmts, ST_ATTEMPT_ADD)))
			goto fail;
		bind_text(st, 1, key);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
		if (step_done(s, st, "record an attempt") < 0)
			goto fail;
		*allowed = 1;
	}
	if (store_commit(s) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
store_firm_state(struct store *s, const char *orgnr, int64_t *id,
		 enum firm_state *state)
{
	sqlite3_stmt *st;
	int r;

	if (!(st = stmt(s, &stmts, ST_FIRM_STATE)))
		return -1;
	bind_text(st, 1, orgnr);
	*id = 0;
	*state = FIRM_NEW;
	if ((r = step_row(s, st, "look up firm")) <= 0)
		return r;
	*id = sqlite3_column_int64(st, 0);
	*state = (enum firm_state)sqlite3_column_int(st, 1);
	sqlite3_reset(st);
	return 0;
}

/* One of the statements that move a firm, by id, to another state. */
static int
firm_transition(struct store *s, enum stmt_id id, int64_t firm_id, time_t now,
		int *found)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, id)))
		return -1;
	sqlite3_bind_int64(st, 1, firm_id);
	if (sqlite3_bind_parameter_count(st) > 1)
		sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	return step_changed(s, st, "change subscription", found);
}

int
store_confirm_firm(struct store *s, int64_t id, time_t now, int *found)
{
	return firm_transition(s, ST_FIRM_CONFIRM, id, now, found);
}

int
store_unsubscribe_firm(struct store *s, int64_t id, time_t now, int *found)
{
	return firm_transition(s, ST_FIRM_UNSUBSCRIBE, id, now, found);
}

int
store_resubscribe_firm(struct store *s, int64_t id, time_t now, int *found)
{
	return firm_transition(s, ST_FIRM_RESUBSCRIBE, id, now, found);
}

/*
 * The firm's alerts become anonymous facts for the report before the firm
 * and everything that names it goes: the counts of past quarters stay.
 */
int
store_delete_firm(struct store *s, int64_t id, time_t now, int *found)
{
	sqlite3_stmt *st;

	if (store_begin(s) < 0)
		return -1;
	if (!(st = stmt(s, &stmts, ST_FIRM_ANONYMISE)))
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	if (step_done(s, st, "keep anonymous counts") < 0 ||
	    firm_transition(s, ST_FIRM_DELETE_ID, id, now, found) < 0 ||
	    store_commit(s) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

static int
read_firm_record(sqlite3_stmt *st, void *elem)
{
	struct firm_record *r = elem;

	r->what = column_strdup(st, 0);
	r->a = column_strdup(st, 1);
	r->b = column_strdup(st, 2);
	r->t1 = sqlite3_column_int64(st, 3);
	if ((r->has_t2 = sqlite3_column_type(st, 4) != SQLITE_NULL))
		r->t2 = sqlite3_column_int64(st, 4);
	return r->what ? 0 : -1;
}

static void
clear_firm_record(void *elem)
{
	struct firm_record *r = elem;

	free(r->what);
	free(r->a);
	free(r->b);
}

static const struct row_type firm_record_rows = {
	sizeof (struct firm_record), read_firm_record, clear_firm_record
};

void
firm_records_free(struct firm_record *r, size_t n)
{
	free_rows(&firm_record_rows, r, n);
}

int
store_firm_records(struct store *s, int64_t firm_id, struct firm_record **out,
		   size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_FIRM_RECORDS)))
		return -1;
	sqlite3_bind_int64(st, 1, firm_id);
	return read_rows(s, st, &firm_record_rows, (void **)out, n,
			 "read a firm's records");
}

int
store_stop_notice(struct store *s, int64_t firm_id, const char *notice_id,
		  time_t now)
{
	return run_id_text_time(s, ST_NOTICE_STOP, firm_id, notice_id, now,
				"stop mails about a notice");
}

int
store_bounce_get(struct store *s, const char *address, struct bounce_state *b)
{
	sqlite3_stmt *st;
	int r, rc = 0;

	memset(b, 0, sizeof *b);
	if (!(st = stmt(s, &stmts, ST_BOUNCE_GET)))
		return -1;
	bind_text(st, 1, address);
	if ((r = step_row(s, st, "read the address's bounces")) <= 0)
		return r;
	b->hard_at = (time_t)sqlite3_column_int64(st, 0);
	b->soft = sqlite3_column_int(st, 2);
	b->soft_first_at = (time_t)sqlite3_column_int64(st, 3);
	b->soft_last_at = (time_t)sqlite3_column_int64(st, 4);
	if (sqlite3_column_type(st, 1) != SQLITE_NULL &&
	    !(b->reason = column_strdup(st, 1)))
		rc = error("out of memory");
	sqlite3_reset(st);
	return rc;
}

int
store_bounce_put(struct store *s, const char *address,
		 const struct bounce_state *b)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_BOUNCE_PUT)))
		return -1;
	bind_text(st, 1, address);
	bind_time(st, 2, b->hard_at != 0, b->hard_at);
	bind_text(st, 3, b->reason);
	sqlite3_bind_int(st, 4, b->soft);
	bind_time(st, 5, b->soft_first_at != 0, b->soft_first_at);
	bind_time(st, 6, b->soft_last_at != 0, b->soft_last_at);
	return step_done(s, st, "record the bounce");
}

void
bounce_state_release(struct bounce_state *b)
{
	free(b->reason);
	b->reason = NULL;
}

int
store_bounced_count(struct store *s, long long *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_BOUNCED_COUNT)))
		return -1;
	return step_number(s, st, "count bounced addresses", n);
}
