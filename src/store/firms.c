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
	" turnover, categories, kinds, frequency, abroad, hard_at, reason," \
	" municipality, keywords, exclude" \
	" FROM firm LEFT JOIN bounce ON address = lower(email)"

enum stmt_id {
	ST_FIRM_FIND,
	ST_FIRM_INSERT,
	ST_FIRM_UPDATE,
	ST_FIRM_DELETE,
	ST_FIRM_ALL,
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
	ST_FIRMS_GENERATION,
	ST_FIRM_CHANGED_IDS,
	NSTMT
};

static const char *const stmt_sql[NSTMT] = {
	[ST_FIRM_FIND] =
	"SELECT id FROM firm WHERE orgnr = ?1",
	/* The unit's register: its firms are subscribed as they come. */
	[ST_FIRM_INSERT] =
	"INSERT INTO firm (orgnr, name, email, cpv, regions, language, employees,"
	" turnover, consent_at, categories, kinds, frequency, consent_source,"
	" updated_at, confirmed_at, abroad, municipality, keywords, exclude)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?9, ?9,"
	" ?14, ?15, ?16, ?17)",
	/* A subscription from the web waits for its confirmation. */
	[ST_FIRM_PENDING_INSERT] =
	"INSERT INTO firm (orgnr, name, email, cpv, regions, language, employees,"
	" turnover, consent_at, categories, kinds, frequency, consent_source,"
	" updated_at, abroad, municipality, keywords, exclude)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?9, ?14,"
	" ?15, ?16, ?17)",
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
	"INSERT INTO anon_alert (item, sent_at, category, municipality)"
	" SELECT 'deleted-' || ?1 || '-' || ?2, g.sent_at, m.category,"
	" f.municipality FROM match m JOIN message g ON g.id = m.message"
	" JOIN firm f ON f.id = m.firm WHERE m.firm = ?1 AND g.state = 'sent'",
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
	" UNION ALL SELECT 'rfi_answer_text', notice_id, text, answered_at, NULL"
	" FROM rfi_answer WHERE firm = ?1"
	" UNION ALL SELECT 'rfi_answer_file', a.notice_id, f.name, a.answered_at,"
	" NULL FROM rfi_file f JOIN rfi_answer a ON a.id = f.answer"
	" WHERE a.firm = ?1"
	" UNION ALL SELECT 'bid', notice_id, source, bid_at, NULL FROM bid"
	" WHERE firm = ?1"
	" UNION ALL SELECT 'feedback', m.notice_id || ' ' || m.lot_id,"
	" CASE WHEN a.relevant THEN 'relevant' ELSE 'not relevant' END"
	" || coalesce(': ' || a.comment, ''), a.answered_at, NULL"
	" FROM match_feedback a JOIN match m ON m.id = a.match WHERE m.firm = ?1"
	" UNION ALL SELECT 'survey', r.meeting, s.rating"
	" || coalesce(': ' || s.comment, ''), s.first_at, s.answered_at"
	" FROM meeting_survey s JOIN meeting_registration r"
	" ON r.id = s.registration WHERE r.firm = ?1",
	[ST_FIRM_BY_ID] =
	FIRM_COLUMNS " WHERE id = ?1",
	[ST_FIRM_UPDATE] =
	"UPDATE firm SET name = ?2, email = ?3, cpv = ?4, regions = ?5,"
	" language = ?6, employees = ?7, turnover = ?8, updated_at = ?9,"
	" categories = ?10, kinds = ?11, frequency = ?12, abroad = ?14,"
	" municipality = coalesce(?15, municipality), keywords = ?16,"
	" exclude = ?17 WHERE orgnr = ?1",
	[ST_FIRM_DELETE] =
	"DELETE FROM firm WHERE orgnr = ?1",
	/* The firms matched and mailed: confirmed, not unsubscribed. */
	[ST_FIRM_ALL] =
	FIRM_COLUMNS " WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL"
	" ORDER BY orgnr",
	/* subscribed, confirmed, resubscribed, imported or edited since ?1 */
	[ST_FIRM_CHANGED_IDS] =
	"SELECT id FROM firm WHERE confirmed_at IS NOT NULL"
	" AND unsubscribed_at IS NULL"
	" AND max(updated_at, confirmed_at, consent_at) >= ?1 ORDER BY id",
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
	/* moved on by triggers on firm and bounce (migration 32) */
	[ST_FIRMS_GENERATION] =
	"SELECT n FROM firm_generation WHERE id = 1",
	[ST_NOTICE_STOP] =
	"INSERT OR IGNORE INTO notice_stop (firm, notice_id, created_at)"
	" VALUES (?1, ?2, ?3)",
};

static const struct stmt_table stmts = { STMT_FIRMS, stmt_sql, NSTMT };

/*
 * Inserts or updates a firm, by one of the statements whose ?1 to ?17
 * are its fields, the time (?9) and where it came from (?13). A register
 * without municipalities keeps those the firms gave.
 */
static int
put_firm_row(struct store *s, enum stmt_id id, const struct firm *f,
	     const char *source, time_t now)
{
	return step_done(s, query(s, &stmts, id,
				  ARGS(ARG_TEXT(f->orgnr), ARG_TEXT(f->name),
				       ARG_TEXT(f->email),
				       ARG_WORDS(f->cpv, f->ncpv),
				       ARG_WORDS(f->regions, f->nregions),
				       ARG_TEXT(f->language),
				       ARG_INT_IF(f->employees >= 0,
						  f->employees),
				       ARG_INT_IF(f->turnover >= 0, f->turnover),
				       ARG_INT(now),
				       ARG_WORDS(f->categories, f->ncategories),
				       ARG_INT(f->kinds),
				       ARG_TEXT(firm_frequency_name(f->frequency)),
				       ARG_TEXT(source), ARG_INT(f->abroad),
				       ARG_TEXT(f->municipality),
				       ARG_WORDS(f->keywords, f->nkeywords),
				       ARG_WORDS(f->exclude, f->nexclude))),
			 "store firm");
}

int
store_put_firm(struct store *s, const struct firm *f, const char *source,
	       time_t now, int *created)
{
	int known = step_exists(s, query(s, &stmts, ST_FIRM_FIND,
					 ARGS(ARG_TEXT(f->orgnr))),
				"look up firm");

	if (known < 0 ||
	    put_firm_row(s, known ? ST_FIRM_UPDATE : ST_FIRM_INSERT, f, source,
			 now) < 0)
		return -1;
	*created = !known;
	return 0;
}

int
store_remove_firm(struct store *s, const char *orgnr, int *found)
{
	return step_changed(s, query(s, &stmts, ST_FIRM_DELETE,
				     ARGS(ARG_TEXT(orgnr))),
			    "remove firm", found);
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
			&f->ncategories) < 0 ||
	    strvec_split((const char *)sqlite3_column_text(st, 16), &f->keywords,
			&f->nkeywords) < 0 ||
	    strvec_split((const char *)sqlite3_column_text(st, 17), &f->exclude,
			&f->nexclude) < 0) {
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
	f->bounced_at = column_time(st, 13);
	if ((f->bounced_at && sqlite3_column_type(st, 14) != SQLITE_NULL &&
	     !(f->bounce_reason = column_strdup(st, 14))) ||
	    (sqlite3_column_type(st, 15) != SQLITE_NULL &&
	     !(f->municipality = column_strdup(st, 15)))) {
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

	if (!st)
		return -1;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct firm *p;

		/* a million firms: each in one block of memory */
		if ((f = read_firm_row(st)) && (p = firm_pack(f)))
			f = p;
		if (!f || !f->packed || firm_list_push(&list, f) < 0) {
			firm_free(f);
			error("out of memory");
			goto out;
		}
	}
	if (r != SQLITE_DONE) {
		db_error(s, "load firms");
		goto out;
	}
	/* the outbox looks a firm up by id for every reminder and change */
	if (firm_list_index(&list) < 0) {
		error("out of memory");
		goto out;
	}
	*out = list;
	list = (struct firm_list){ 0 };
	rc = 0;
out:
	sqlite3_reset(st);
	firm_list_release(&list);
	return rc;
}

int
store_load_firms(struct store *s, struct firm_list *out)
{
	return load_firm_list(s, query(s, &stmts, ST_FIRM_ALL, NO_ARGS), out);
}

int
store_firms_changed_ids(struct store *s, time_t since, int64_t **ids,
			size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_FIRM_CHANGED_IDS,
				  ARGS(ARG_INT(since))),
			 &id_rows, (void **)ids, n, "list changed firms");
}

int
store_firms_generation(struct store *s, long long *gen)
{
	return step_number(s, query(s, &stmts, ST_FIRMS_GENERATION, NO_ARGS),
			   "read the firms' generation", gen);
}

int
store_get_firm(struct store *s, int64_t id, struct firm **out)
{
	sqlite3_stmt *st = query(s, &stmts, ST_FIRM_BY_ID, ARGS(ARG_INT(id)));
	int r, rc = 0;

	*out = NULL;
	if ((r = step_row(s, st, "read firm")) <= 0)
		return r;
	if (!(*out = read_firm_row(st)))
		rc = error("out of memory");
	sqlite3_reset(st);
	return rc;
}

/*
 * The id of the firm with an org.nr and a number about it (its state),
 * each 0 when there is no such firm.
 */
static int
firm_lookup(struct store *s, enum stmt_id id, const char *orgnr,
	    int64_t *firm_id, int *number)
{
	sqlite3_stmt *st = query(s, &stmts, id, ARGS(ARG_TEXT(orgnr)));
	int r;

	*firm_id = 0;
	*number = 0;
	if ((r = step_row(s, st, "look up firm")) <= 0)
		return r;
	*firm_id = sqlite3_column_int64(st, 0);
	if (sqlite3_column_count(st) > 1)
		*number = sqlite3_column_int(st, 1);
	sqlite3_reset(st);
	return 0;
}

int
store_firm_id(struct store *s, const char *orgnr, int64_t *id)
{
	int none;

	return firm_lookup(s, ST_FIRM_FIND, orgnr, id, &none);
}

int
store_firm_state(struct store *s, const char *orgnr, int64_t *id,
		 enum firm_state *state)
{
	int number;

	if (firm_lookup(s, ST_FIRM_STATE, orgnr, id, &number) < 0)
		return -1;
	*state = *id ? (enum firm_state)number : FIRM_NEW;
	return 0;
}

int
store_subscribe_firm(struct store *s, const struct firm *f, time_t now,
		     time_t lapse, int64_t *id, enum firm_state *state)
{
	int lapsed = 0;

	if (store_begin(s) < 0)
		return -1;
	if (store_firm_state(s, f->orgnr, id, state) < 0)
		goto fail;
	if (*id && *state == FIRM_PENDING &&
	    step_changed(s, query(s, &stmts, ST_FIRM_LAPSED_DELETE,
				  ARGS(ARG_INT(*id), ARG_INT(now - lapse))),
			 "drop a lapsed subscription", &lapsed) < 0)
		goto fail;
	if (!*id || lapsed) {
		if (put_firm_row(s, ST_FIRM_PENDING_INSERT, f, "web", now) < 0)
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

int
store_request_email(struct store *s, int64_t id, const char *email,
		    time_t now)
{
	return step_done(s, query(s, &stmts, ST_FIRM_NEW_EMAIL,
				  ARGS(ARG_INT(id), ARG_TEXT(email),
				       ARG_INT(now))),
			 "record the new address");
}

int
store_confirm_email(struct store *s, int64_t id, time_t requested_at,
		    time_t now, int *found)
{
	if (step_changed(s, query(s, &stmts, ST_FIRM_NEW_EMAIL_CONFIRM,
				  ARGS(ARG_INT(id), ARG_INT(requested_at),
				       ARG_INT(now))),
			 "change the address", found) < 0)
		return -1;
	if (!*found)
		return 0;
	return step_done(s, query(s, &stmts, ST_BOUNCE_CLEAR, ARGS(ARG_INT(id))),
			 "clear the address's bounces");
}

/* Attempts are kept as long as the longest window asks: a day. */
#define ATTEMPTS_KEPT (24L * 3600)

int
store_take_attempt(struct store *s, const char *key, time_t now, long window,
		   long limit, int *allowed)
{
	long long n = 0;

	*allowed = 0;
	if (store_begin(s) < 0)
		return -1;
	if (step_done(s, query(s, &stmts, ST_ATTEMPT_PURGE,
			       ARGS(ARG_INT(now - ATTEMPTS_KEPT))),
		      "forget old attempts") < 0 ||
	    step_number(s, query(s, &stmts, ST_ATTEMPT_COUNT,
				 ARGS(ARG_TEXT(key), ARG_INT(now - window))),
			"count attempts", &n) < 0)
		goto fail;
	if (n < limit) {
		if (step_done(s, query(s, &stmts, ST_ATTEMPT_ADD,
				       ARGS(ARG_TEXT(key), ARG_INT(now))),
			      "record an attempt") < 0)
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

/* One of the statements that move a firm, by id, to another state. */
static int
firm_transition(struct store *s, enum stmt_id id, int64_t firm_id, time_t now,
		int *found)
{
	return step_changed(s, query(s, &stmts, id,
				     ARGS(ARG_INT(firm_id), ARG_INT(now))),
			    "change subscription", found);
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
	if (store_begin(s) < 0)
		return -1;
	if (step_done(s, query(s, &stmts, ST_FIRM_ANONYMISE,
			       ARGS(ARG_INT(id), ARG_INT(now))),
		      "keep anonymous counts") < 0 ||
	    step_changed(s, query(s, &stmts, ST_FIRM_DELETE_ID,
				  ARGS(ARG_INT(id))),
			 "delete firm", found) < 0 ||
	    store_commit(s) < 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

#define ROW struct firm_record
static const struct column firm_record_columns[] = {
	C_NEEDED(what), C_TEXT(a), C_TEXT(b), C_LLONG(t1), C_LLONG_IF(t2, has_t2),
};
static const struct row_type firm_record_rows =
	ROW_TYPE(firm_record_columns, NULL);
#undef ROW

void
firm_records_free(struct firm_record *r, size_t n)
{
	free_rows(&firm_record_rows, r, n);
}

int
store_firm_records(struct store *s, int64_t firm_id, struct firm_record **out,
		   size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_FIRM_RECORDS,
				  ARGS(ARG_INT(firm_id))),
			 &firm_record_rows, (void **)out, n,
			 "read a firm's records");
}

int
store_stop_notice(struct store *s, int64_t firm_id, const char *notice_id,
		  time_t now)
{
	return step_done(s, query(s, &stmts, ST_NOTICE_STOP,
				  ARGS(ARG_INT(firm_id), ARG_TEXT(notice_id),
				       ARG_INT(now))),
			 "stop mails about a notice");
}

#define ROW struct bounce_state
static const struct column bounce_columns[] = {
	C_TIME(hard_at), C_TEXT(reason), C_INT(soft), C_TIME(soft_first_at),
	C_TIME(soft_last_at),
};
static const struct row_type bounce_rows = ROW_TYPE(bounce_columns, NULL);
#undef ROW

int
store_bounce_get(struct store *s, const char *address, struct bounce_state *b)
{
	memset(b, 0, sizeof *b);
	return read_row(s, query(s, &stmts, ST_BOUNCE_GET,
				 ARGS(ARG_TEXT(address))),
			&bounce_rows, b, "read the address's bounces") < 0 ?
	       -1 : 0;
}

int
store_bounce_put(struct store *s, const char *address,
		 const struct bounce_state *b)
{
	return step_done(s, query(s, &stmts, ST_BOUNCE_PUT,
				  ARGS(ARG_TEXT(address),
				       ARG_INT_IF(b->hard_at, b->hard_at),
				       ARG_TEXT(b->reason), ARG_INT(b->soft),
				       ARG_INT_IF(b->soft_first_at,
						  b->soft_first_at),
				       ARG_INT_IF(b->soft_last_at,
						  b->soft_last_at))),
			 "record the bounce");
}

void
bounce_state_release(struct bounce_state *b)
{
	clear_columns(&bounce_rows, b);
}

int
store_bounced_count(struct store *s, long long *n)
{
	return step_number(s, query(s, &stmts, ST_BOUNCED_COUNT, NO_ARGS),
			   "count bounced addresses", n);
}
