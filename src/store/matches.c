/*
 * Matches and the mails made of them: the backfill round, the outbox
 * queue, its claims and retries, reminders and changes to tell.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_impl.h"

#define OUTBOX_ENTRY_COLUMNS \
	"SELECT id, key, rcpt, state, attempts, created_at, next_attempt," \
	" sent_at, last_error, length(body) > 0 FROM message"

/* The firm's language as eForms names it. */
#define FIRM_LANG "CASE f.language WHEN 'en' THEN 'ENG' ELSE 'SWE' END"
/*
 * A planned procurement's or an RFI's part split into several categories
 * has a value for the whole part only, which may yet be divided: none of
 * its categories shows that as its own. A tender's lot is bid for whole.
 */
#define PART_OF(col) \
	"CASE WHEN n.kind IN ('planning', 'rfi') AND (SELECT count(*)" \
	" FROM category_lot c WHERE c.lot = l.id) > 1 THEN NULL ELSE " col \
	" END"
/* A match as a mail shows it; the title in the firm's language if given. */
#define MATCH_ITEM_COLUMNS \
	"SELECT m.id, m.kind, coalesce((SELECT t.value FROM notice_text t" \
	"  WHERE t.notice = n.id AND t.field = 'title' AND t.lang = " \
	FIRM_LANG "), n.title)," \
	" n.buyer, n.url, l.lot_id, coalesce((SELECT t.value FROM lot_text t" \
	"  WHERE t.lot = l.id AND t.field = 'title' AND t.lang = " FIRM_LANG \
	"), l.title), m.reason, l.deadline, " PART_OF("l.value") ", " \
	PART_OF("l.currency") ", m.notice_id, m.category, l.description," \
	" l.duration, l.framework, l.sme_suitable, l.questions_deadline," \
	" coalesce(l.documents_url, n.documents_url), n.buyer_email," \
	" n.buyer_phone, n.buyer_id," \
	" (SELECT count(*) FROM lot x WHERE x.notice = n.id" \
	"  AND x.lot_id <= l.lot_id)," \
	" (SELECT count(*) FROM lot x WHERE x.notice = n.id)," \
	" (SELECT group_concat(w.name, ', ') FROM award a" \
	"  JOIN award_winner w ON w.award = a.id" \
	"  WHERE a.notice = n.id AND a.lot_id = l.lot_id)," \
	" (SELECT a.value FROM award a WHERE a.notice = n.id" \
	"  AND a.lot_id = l.lot_id AND a.value > 0 LIMIT 1)," \
	" (SELECT a.currency FROM award a WHERE a.notice = n.id" \
	"  AND a.lot_id = l.lot_id AND a.value > 0 LIMIT 1)"

enum stmt_id {
	ST_MATCHES_MAILED_SINCE,
	ST_LAST_ALERT,
	ST_OUTBOX_LIST,
	ST_OUTBOX_GET,
	ST_OUTBOX_RETRY,
	ST_OUTBOX_PURGE,
	ST_MATCH_INSERT,
	ST_MATCHES_UNQUEUED,
	ST_MATCHED_LOTS,
	ST_MESSAGE_INSERT,
	ST_MESSAGE_INSERT_UNBUILT,
	ST_MATCH_LINK,
	ST_MESSAGES_DUE,
	ST_MESSAGE_MARK,
	ST_MESSAGE_CLAIM,
	ST_MESSAGES_RECOVER,
	ST_MESSAGES_STALE,
	ST_CHANGES_PENDING,
	ST_CHANGES_DONE,
	ST_CHANGE_RECIPIENTS,
	ST_MESSAGE_EXISTS,
	ST_REMINDER_CANDIDATES,
	ST_MATCHES_OF_NOTICE,
	ST_NOTICE_FIRMS,
	ST_OUTBOX_COUNTS,
	ST_BACKFILL_GET,
	ST_BACKFILL_PROGRESS,
	ST_BACKFILL_DONE,
	ST_MESSAGES_BOUNCED,
	NSTMT
};

static const char *const stmt_sql[NSTMT] = {
	[ST_MATCHES_MAILED_SINCE] =
	"SELECT count(*) FROM match m JOIN message g ON g.id = m.message"
	" WHERE m.firm = ?1 AND g.created_at >= ?2",
	[ST_LAST_ALERT] =
	"SELECT max(created_at) FROM message WHERE firm = ?1",
	[ST_OUTBOX_LIST] =
	OUTBOX_ENTRY_COLUMNS " WHERE ?1 IS NULL OR state = ?1"
	" ORDER BY id DESC LIMIT ?2",
	[ST_OUTBOX_GET] =
	OUTBOX_ENTRY_COLUMNS " WHERE id = ?1",
	/* A mail that was never built has no text to send. */
	[ST_OUTBOX_RETRY] =
	"UPDATE message SET state = 'pending', next_attempt = ?2"
	" WHERE id = ?1 AND state IN ('pending', 'failed') AND length(body) > 0",
	[ST_OUTBOX_PURGE] =
	"UPDATE message SET body = X'' WHERE state = 'sent' AND sent_at < ?1"
	" AND length(body) > 0",
	[ST_BACKFILL_GET] =
	"SELECT done_at, started_at, cursor FROM backfill WHERE id = 1",
	[ST_BACKFILL_PROGRESS] =
	"INSERT INTO backfill (id, started_at, cursor) VALUES (1, ?1, ?2)"
	" ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at,"
	" cursor = excluded.cursor",
	[ST_BACKFILL_DONE] =
	"INSERT INTO backfill (id, done_at) VALUES (1, ?1)"
	" ON CONFLICT (id) DO UPDATE SET done_at = excluded.done_at,"
	" started_at = NULL, cursor = NULL",
	[ST_OUTBOX_COUNTS] =
	"SELECT count(*) FILTER (WHERE state = 'pending'),"
	" count(*) FILTER (WHERE state = 'sending'),"
	" count(*) FILTER (WHERE state = 'sent'),"
	" count(*) FILTER (WHERE state = 'failed'),"
	" count(*) FILTER (WHERE state = 'pending' AND attempts > 0),"
	" coalesce(max(sent_at), 0) FROM message",
	[ST_MATCH_INSERT] =
	"INSERT OR IGNORE INTO match (firm, lot, notice_id, lot_id, kind, reason,"
	" created_at, score, category) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_MATCHES_UNQUEUED] =
	/* The notice's title in the firm's language when the notice has it. */
	MATCH_ITEM_COLUMNS
	" FROM match m JOIN lot l ON l.id = m.lot JOIN notice n ON n.id = l.notice"
	" JOIN firm f ON f.id = m.firm"
	" WHERE m.firm = ?1 AND m.message IS NULL"
	" AND (?3 IS NULL OR m.notice_id = ?3)"
	" ORDER BY m.score DESC, m.id LIMIT ?2",
	/* under the notice's id or any it replaced, cancelled lots too */
	[ST_MATCHED_LOTS] =
	"SELECT DISTINCT m.lot_id FROM match m WHERE m.firm = ?1"
	" AND coalesce((SELECT s.current_id FROM notice_successor s"
	"  WHERE s.notice_id = m.notice_id), m.notice_id) = ?2"
	" ORDER BY m.lot_id",
	[ST_MESSAGE_INSERT] =
	"INSERT OR IGNORE INTO message (key, firm, rcpt, envelope_from, body,"
	" next_attempt, created_at, stale_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6,"
	" ?7)",
	/*
	 * A mail that could not be built: failed at once, without a text,
	 * under its key, so it is not built again every pass.
	 */
	[ST_MESSAGE_INSERT_UNBUILT] =
	"INSERT OR IGNORE INTO message (key, firm, rcpt, envelope_from, body,"
	" next_attempt, created_at, stale_at, state, last_error)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, 'failed', ?8)",
	[ST_MATCH_LINK] =
	"UPDATE match SET message = ?1 WHERE id = ?2 AND message IS NULL",
	[ST_MESSAGES_DUE] =
	"SELECT id, key, firm, rcpt, envelope_from, body, attempts, created_at"
	" FROM message WHERE state = 'pending' AND next_attempt <= ?1"
	" AND (?3 IS NULL OR substr(key, 1, length(?3)) = ?3)"
	" ORDER BY id LIMIT ?2",
	[ST_MESSAGE_MARK] =
	"UPDATE message SET state = ?2, last_error = ?3,"
	" next_attempt = CASE WHEN ?2 = 'pending' THEN ?4 ELSE next_attempt END,"
	" sent_at = CASE WHEN ?2 = 'sent' THEN ?5 ELSE sent_at END,"
	" claimed_by = NULL, lease_until = NULL"
	" WHERE id = ?1",
	/*
	 * A crash is not the server's answer: the attempt it interrupted
	 * does not count towards giving up, nor towards the backoff.
	 */
	[ST_MESSAGES_RECOVER] =
	"UPDATE message SET state = 'pending', attempts = max(attempts - 1, 0),"
	" claimed_by = NULL, lease_until = NULL"
	" WHERE state = 'sending' AND (lease_until IS NULL OR lease_until <= ?1"
	" OR substr(claimed_by, 1, length(?2)) = ?2)",
	/* what a person asked for on a web page is sent all the same */
	[ST_MESSAGES_BOUNCED] =
	"UPDATE message SET state = 'failed', last_error = 'not sent: mail to "
	"this address bounced on ' || date(b.hard_at, 'unixepoch') || ': '"
	" || coalesce(b.reason, '') FROM bounce b"
	" WHERE state = 'pending' AND b.address = lower(message.rcpt)"
	" AND b.hard_at IS NOT NULL AND message.firm IS NOT NULL"
	" AND substr(key, 1, length(?1)) <> ?1",
	[ST_MESSAGES_STALE] =
	"UPDATE message SET state = 'failed', last_error = 'not sent: what it"
	" tells of was past at ' || datetime(stale_at, 'unixepoch') || ' UTC'"
	" || coalesce('; the last try: ' || last_error, '')"
	" WHERE state = 'pending' AND stale_at <= ?1",
	/* Only a pending message can be taken: two senders never take one. */
	[ST_MESSAGE_CLAIM] =
	"UPDATE message SET state = 'sending', attempts = attempts + 1,"
	" claimed_by = ?2, lease_until = ?3"
	" WHERE id = ?1 AND state = 'pending'",
	[ST_CHANGES_PENDING] =
	"SELECT id, notice_id FROM notice WHERE changes_pending = 1"
	" ORDER BY id LIMIT ?1",
	[ST_CHANGES_DONE] =
	"UPDATE notice SET changes_pending = 0 WHERE id = ?1",
	/*
	 * Firms that were mailed about the version (?1) or one it replaced,
	 * under any notice id (a change notice has its own), and did not stop
	 * it by any of them (a change mail's link names the change notice); a
	 * mail that failed (never built, refused, too late) told no one.
	 */
	[ST_CHANGE_RECIPIENTS] =
	"WITH RECURSIVE chain (id, notice_id) AS ("
	" SELECT id, notice_id FROM notice WHERE id = ?1"
	" UNION SELECT n.id, n.notice_id FROM notice n"
	"  JOIN chain c ON n.superseded_by = c.id)"
	"SELECT DISTINCT m.firm FROM match m JOIN message g ON g.id = m.message"
	" WHERE m.notice_id IN (SELECT notice_id FROM chain)"
	" AND g.state <> 'failed'"
	" AND NOT EXISTS (SELECT 1 FROM notice_stop x"
	"  WHERE x.firm = m.firm AND x.notice_id IN (SELECT notice_id FROM chain))"
	" ORDER BY m.firm",
	[ST_MESSAGE_EXISTS] =
	"SELECT 1 FROM message WHERE key = ?1",
	/*
	 * Mailed matches whose lot, in the notice's current version (a change
	 * notice's too), has a deadline in (?1, ?2]: the firms to remind, with
	 * when each was first told; not by a mail that failed, which told no
	 * one; not if they stopped it under any of its notice ids.
	 */
	[ST_REMINDER_CANDIDATES] =
	"SELECT m.firm, m.notice_id, l.deadline, g.created_at"
	" FROM lot l JOIN notice n ON n.id = l.notice AND n.superseded_by IS NULL"
	" JOIN match m ON m.lot_id = l.lot_id AND (m.notice_id = n.notice_id"
	"  OR m.notice_id IN (SELECT s.notice_id FROM notice_successor s"
	"   WHERE s.current_id = n.notice_id))"
	" JOIN message g ON g.id = m.message"
	" WHERE l.deadline > ?1 AND l.deadline <= ?2 AND g.state <> 'failed'"
	" AND m.kind IN ('competition', 'rfi')"
	" AND NOT EXISTS (SELECT 1 FROM notice_stop x"
	"  WHERE x.firm = m.firm AND (x.notice_id = n.notice_id"
	"  OR x.notice_id IN (SELECT s.notice_id FROM notice_successor s"
	"   WHERE s.current_id = n.notice_id)))"
	" AND NOT EXISTS (SELECT 1 FROM rfi r"
	"  WHERE r.notice_id = m.notice_id AND r.closed_at IS NOT NULL)"
	" ORDER BY m.firm, m.notice_id, l.deadline",
	/*
	 * A firm's matches in a notice, as its current version has them, a
	 * change notice's of another id too.
	 */
	[ST_MATCHES_OF_NOTICE] =
	MATCH_ITEM_COLUMNS
	" FROM match m JOIN notice n ON n.notice_id = coalesce("
	"  (SELECT s.current_id FROM notice_successor s"
	"   WHERE s.notice_id = m.notice_id), m.notice_id)"
	"  AND n.superseded_by IS NULL"
	" JOIN lot l ON l.notice = n.id AND l.lot_id = m.lot_id"
	" JOIN firm f ON f.id = m.firm"
	" WHERE m.firm = ?1 AND (m.notice_id = ?2 OR n.notice_id = ?2)"
	" ORDER BY m.score DESC, m.id",
	[ST_NOTICE_FIRMS] =
	"SELECT DISTINCT m.firm FROM match m WHERE m.notice_id = ?1"
	" AND NOT EXISTS (SELECT 1 FROM notice_stop x"
	"  WHERE x.firm = m.firm AND x.notice_id = m.notice_id)"
	" ORDER BY m.firm",
};

static const struct stmt_table stmts = { STMT_OUTBOX, stmt_sql, NSTMT };

int
store_backfill_get(struct store *s, struct backfill_round *r)
{
	sqlite3_stmt *st;
	int row, rc = 0;

	memset(r, 0, sizeof *r);
	if (!(st = stmt(s, &stmts, ST_BACKFILL_GET)))
		return -1;
	if ((row = step_row(s, st, "read the backfill")) <= 0)
		return row;
	r->since = (time_t)sqlite3_column_int64(st, 0);
	r->started_at = (time_t)sqlite3_column_int64(st, 1);
	if (sqlite3_column_type(st, 2) != SQLITE_NULL &&
	    !(r->cursor = column_strdup(st, 2)))
		rc = error("out of memory");
	sqlite3_reset(st);
	return rc;
}

int
store_backfill_progress(struct store *s, time_t started_at, const char *cursor)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_BACKFILL_PROGRESS)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)started_at);
	bind_text(st, 2, cursor);
	return step_done(s, st, "record the backfill's progress");
}

int
store_backfill_done(struct store *s, time_t at)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_BACKFILL_DONE)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)at);
	return step_done(s, st, "record the backfill");
}

int
store_put_match(struct store *s, int64_t firm_id, int64_t lot_rowid,
		const char *notice_id, const char *lot_id, const char *kind,
		const char *reason, int score, const char *category, time_t now,
		int *created)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_MATCH_INSERT)))
		return -1;
	sqlite3_bind_int64(st, 1, firm_id);
	sqlite3_bind_int64(st, 2, lot_rowid);
	bind_text(st, 3, notice_id);
	bind_text(st, 4, lot_id);
	bind_text(st, 5, kind);
	bind_text(st, 6, reason);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)now);
	sqlite3_bind_int(st, 8, score);
	bind_text(st, 9, category);
	return step_changed(s, st, "store match", created);
}

static void
clear_match_item(void *elem)
{
	struct match_item *it = elem;

	free(it->kind);
	free(it->notice_title);
	free(it->buyer);
	free(it->url);
	free(it->lot_id);
	free(it->lot_title);
	free(it->notice_id);
	free(it->category);
	free(it->reason);
	free(it->currency);
	free(it->description);
	free(it->duration);
	free(it->documents_url);
	free(it->buyer_email);
	free(it->buyer_phone);
	free(it->buyer_id);
	free(it->winners);
	free(it->award_currency);
}

/* A yes/no column that may be NULL: 1, 0 or LOT_SME_UNKNOWN. */
static int
column_flag(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return LOT_SME_UNKNOWN;
	return sqlite3_column_int(st, col) != 0;
}

static int
read_match_item(sqlite3_stmt *st, void *elem)
{
	struct match_item *it = elem;

	it->match_id = sqlite3_column_int64(st, 0);
	it->kind = column_strdup(st, 1);
	it->notice_title = column_strdup(st, 2);
	it->buyer = column_strdup(st, 3);
	it->url = column_strdup(st, 4);
	it->lot_id = column_strdup(st, 5);
	it->lot_title = column_strdup(st, 6);
	it->reason = column_strdup(st, 7);
	it->currency = column_strdup(st, 10);
	it->notice_id = column_strdup(st, 11);
	it->category = column_strdup(st, 12);
	if ((it->has_deadline = sqlite3_column_type(st, 8) != SQLITE_NULL))
		it->deadline = (time_t)sqlite3_column_int64(st, 8);
	if ((it->has_value = sqlite3_column_type(st, 9) != SQLITE_NULL))
		it->value = sqlite3_column_double(st, 9);
	it->description = column_strdup(st, 13);
	it->duration = column_strdup(st, 14);
	it->framework = column_flag(st, 15);
	it->sme_suitable = column_flag(st, 16);
	if ((it->has_questions_deadline =
	     sqlite3_column_type(st, 17) != SQLITE_NULL))
		it->questions_deadline = (time_t)sqlite3_column_int64(st, 17);
	it->documents_url = column_strdup(st, 18);
	it->buyer_email = column_strdup(st, 19);
	it->buyer_phone = column_strdup(st, 20);
	it->buyer_id = column_strdup(st, 21);
	it->lot_number = (size_t)sqlite3_column_int64(st, 22);
	it->nlots = (size_t)sqlite3_column_int64(st, 23);
	it->winners = column_strdup(st, 24);
	if ((it->has_award_value = sqlite3_column_type(st, 25) != SQLITE_NULL))
		it->award_value = sqlite3_column_double(st, 25);
	it->award_currency = column_strdup(st, 26);
	return it->kind && it->notice_title && it->lot_id && it->reason &&
	       it->notice_id ? 0 : -1;
}

static const struct row_type match_item_rows = {
	sizeof (struct match_item), read_match_item, clear_match_item
};

void
match_items_free(struct match_item *items, size_t n)
{
	free_rows(&match_item_rows, items, n);
}

int
store_unqueued_matches(struct store *s, int64_t firm_id,
		       const char *notice_id, size_t limit,
		       struct match_item **items, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_MATCHES_UNQUEUED)))
		return -1;
	sqlite3_bind_int64(st, 1, firm_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	bind_text(st, 3, notice_id);
	return read_rows(s, st, &match_item_rows, (void **)items, n,
			 "list unqueued matches");
}

int
store_notice_matches(struct store *s, int64_t firm_id, const char *notice_id,
		     struct match_item **items, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_MATCHES_OF_NOTICE)))
		return -1;
	sqlite3_bind_int64(st, 1, firm_id);
	bind_text(st, 2, notice_id);
	return read_rows(s, st, &match_item_rows, (void **)items, n,
			 "list a firm's matches in a notice");
}

int
store_matched_lots(struct store *s, int64_t firm_id, const char *notice_id,
		   char ***lot_ids, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_MATCHED_LOTS)))
		return -1;
	sqlite3_bind_int64(st, 1, firm_id);
	bind_text(st, 2, notice_id);
	return read_ids(s, st, lot_ids, n, "list a firm's lots in a notice");
}

static int
read_pending_change(sqlite3_stmt *st, void *elem)
{
	struct pending_change *c = elem;

	c->rowid = sqlite3_column_int64(st, 0);
	c->notice_id = column_strdup(st, 1);
	return c->notice_id ? 0 : -1;
}

static void
clear_pending_change(void *elem)
{
	struct pending_change *c = elem;

	free(c->notice_id);
}

static const struct row_type pending_change_rows = {
	sizeof (struct pending_change), read_pending_change, clear_pending_change
};

void
pending_changes_free(struct pending_change *c, size_t n)
{
	free_rows(&pending_change_rows, c, n);
}

int
store_pending_changes(struct store *s, size_t limit,
		      struct pending_change **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_CHANGES_PENDING)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)limit);
	return read_rows(s, st, &pending_change_rows, (void **)out, n,
			 "list changes to mail");
}

int
store_changes_done(struct store *s, int64_t rowid)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_CHANGES_DONE)))
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	return step_done(s, st, "mark changes mailed");
}

static int
read_id(sqlite3_stmt *st, void *elem)
{
	*(int64_t *)elem = sqlite3_column_int64(st, 0);
	return 0;
}

static const struct row_type id_rows = { sizeof (int64_t), read_id, NULL };

int
store_change_recipients(struct store *s, int64_t rowid, int64_t **firm_ids,
			size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_CHANGE_RECIPIENTS)))
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	return read_rows(s, st, &id_rows, (void **)firm_ids, n,
			 "list firms told of a notice");
}

int
store_message_exists(struct store *s, const char *key, int *exists)
{
	sqlite3_stmt *st;
	int r;

	if (!(st = stmt(s, &stmts, ST_MESSAGE_EXISTS)))
		return -1;
	bind_text(st, 1, key);
	if ((r = step_exists(s, st, "look up message")) < 0)
		return -1;
	*exists = r;
	return 0;
}

static int
read_reminder(sqlite3_stmt *st, void *elem)
{
	struct reminder_candidate *r = elem;

	r->firm_id = sqlite3_column_int64(st, 0);
	r->notice_id = column_strdup(st, 1);
	r->deadline = (time_t)sqlite3_column_int64(st, 2);
	r->first_mailed = (time_t)sqlite3_column_int64(st, 3);
	return r->notice_id ? 0 : -1;
}

static void
clear_reminder_candidate(void *elem)
{
	struct reminder_candidate *r = elem;

	free(r->notice_id);
}

static const struct row_type reminder_candidate_rows = {
	sizeof (struct reminder_candidate), read_reminder, clear_reminder_candidate
};

void
reminder_candidates_free(struct reminder_candidate *r, size_t n)
{
	free_rows(&reminder_candidate_rows, r, n);
}

int
store_reminder_candidates(struct store *s, time_t from, time_t to,
			  struct reminder_candidate **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_REMINDER_CANDIDATES)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)to);
	return read_rows(s, st, &reminder_candidate_rows, (void **)out, n,
			 "list deadlines to remind of");
}

int
store_notice_firms(struct store *s, const char *notice_id, int64_t **firm_ids,
		   size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_NOTICE_FIRMS)))
		return -1;
	bind_text(st, 1, notice_id);
	return read_rows(s, st, &id_rows, (void **)firm_ids, n,
			 "list firms matched to a notice");
}

int
store_outbox_counts(struct store *s, struct outbox_counts *c)
{
	sqlite3_stmt *st;
	int r;

	if (!(st = stmt(s, &stmts, ST_OUTBOX_COUNTS)))
		return -1;
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		c->pending = sqlite3_column_int64(st, 0);
		c->sending = sqlite3_column_int64(st, 1);
		c->sent = sqlite3_column_int64(st, 2);
		c->failed = sqlite3_column_int64(st, 3);
		c->retrying = sqlite3_column_int64(st, 4);
		c->last_sent = (time_t)sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	return r == SQLITE_ROW ? 0 : db_error(s, "count messages");
}

/* Inserts m through statement id, then ties the matches it reports to it. */
static int
insert_message(struct store *s, enum stmt_id id, const struct outbox_message *m,
	       const char *why, const int64_t *match_ids, size_t nmatch,
	       time_t now)
{
	sqlite3_stmt *st;
	int64_t row;
	size_t i;

	if (!(st = stmt(s, &stmts, id)))
		return -1;
	bind_text(st, 1, m->key);
	if (m->firm_id)
		sqlite3_bind_int64(st, 2, m->firm_id);
	bind_text(st, 3, m->rcpt);
	bind_text(st, 4, m->envelope_from);
	/* a zero-length text is a blob still, not NULL */
	sqlite3_bind_blob(st, 5, m->body ? m->body : "", (int)m->len,
			  SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
	if (m->stale_at)
		sqlite3_bind_int64(st, 7, (sqlite3_int64)m->stale_at);
	if (why)
		bind_text(st, 8, why);
	if (step_done(s, st, "queue message") < 0)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return 1;
	row = sqlite3_last_insert_rowid(s->db);
	for (i = 0; i < nmatch; i++) {
		if (!(st = stmt(s, &stmts, ST_MATCH_LINK)))
			return -1;
		sqlite3_bind_int64(st, 1, row);
		sqlite3_bind_int64(st, 2, match_ids[i]);
		if (step_done(s, st, "link match to message") < 0)
			return -1;
	}
	return 0;
}

int
store_queue_message(struct store *s, const struct outbox_message *m,
		    const int64_t *match_ids, size_t nmatch, time_t now)
{
	return insert_message(s, ST_MESSAGE_INSERT, m, NULL, match_ids, nmatch,
			      now);
}

int
store_queue_unbuilt(struct store *s, const struct outbox_message *m,
		    const char *why, const int64_t *match_ids, size_t nmatch,
		    time_t now)
{
	return insert_message(s, ST_MESSAGE_INSERT_UNBUILT, m, why, match_ids,
			      nmatch, now);
}

static void
clear_outbox_message(void *elem)
{
	struct outbox_message *m = elem;

	free(m->key);
	free(m->rcpt);
	free(m->envelope_from);
	free(m->body);
}

static int
read_message(sqlite3_stmt *st, void *elem)
{
	struct outbox_message *m = elem;
	const void *body = sqlite3_column_blob(st, 5);
	int len = sqlite3_column_bytes(st, 5);

	m->id = sqlite3_column_int64(st, 0);
	m->key = column_strdup(st, 1);
	m->firm_id = sqlite3_column_int64(st, 2);
	m->rcpt = column_strdup(st, 3);
	m->envelope_from = column_strdup(st, 4);
	m->attempts = sqlite3_column_int(st, 6);
	m->created_at = (time_t)sqlite3_column_int64(st, 7);
	if (!m->key || !m->rcpt || !m->envelope_from ||
	    !(m->body = malloc((size_t)len + 1)))
		return -1;
	if (len)
		memcpy(m->body, body, (size_t)len);
	m->body[len] = '\0';
	m->len = (size_t)len;
	return 0;
}

static const struct row_type outbox_message_rows = {
	sizeof (struct outbox_message), read_message, clear_outbox_message
};

void
outbox_messages_free(struct outbox_message *m, size_t n)
{
	free_rows(&outbox_message_rows, m, n);
}

int
store_due_messages(struct store *s, time_t now, const char *key_prefix,
		   size_t limit, struct outbox_message **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_MESSAGES_DUE)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	bind_text(st, 3, key_prefix);
	return read_rows(s, st, &outbox_message_rows, (void **)out, n,
			 "list due messages");
}

static const char *const state_names[] = {
	[MSG_PENDING] = "pending",
	[MSG_SENDING] = "sending",
	[MSG_SENT] = "sent",
	[MSG_FAILED] = "failed",
};

int
store_mark_message(struct store *s, int64_t id, enum message_state state,
		   const char *last_error, time_t next_attempt, time_t now)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_MESSAGE_MARK)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, state_names[state]);
	bind_text(st, 3, last_error);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)next_attempt);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
	return step_done(s, st, "update message");
}

int
store_claim_message(struct store *s, int64_t id, const struct claim *c,
		    int *claimed)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_MESSAGE_CLAIM)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, c->owner);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)c->lease_until);
	return step_changed(s, st, "take message", claimed);
}

int
store_recover_sending(struct store *s, const char *dead_owners, time_t now,
		      int *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_MESSAGES_RECOVER)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	bind_text(st, 2, dead_owners);
	if (step_done(s, st, "recover messages") < 0)
		return -1;
	*n = sqlite3_changes(s->db);
	return 0;
}

/* Runs an update whose one parameter is a time; *n rows it changed. */
static int
update_at(struct store *s, enum stmt_id id, time_t t, const char *what,
	  long long *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, id)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)t);
	if (step_done(s, st, what) < 0)
		return -1;
	*n = sqlite3_changes(s->db);
	return 0;
}

int
store_drop_bounced(struct store *s, const char *except, long long *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_MESSAGES_BOUNCED)))
		return -1;
	bind_text(st, 1, except);
	if (step_done(s, st, "fail mails to bounced addresses") < 0)
		return -1;
	*n = sqlite3_changes(s->db);
	return 0;
}

int
store_drop_stale(struct store *s, time_t now, long long *n)
{
	return update_at(s, ST_MESSAGES_STALE, now, "drop stale messages", n);
}

/* The first column of a one-row query with one integer and one time bound. */
static int
count_since(struct store *s, enum stmt_id id, int64_t firm_id, time_t since,
	    long long *out, const char *what)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, id)))
		return -1;
	sqlite3_bind_int64(st, 1, firm_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)since);
	return step_number(s, st, what, out);
}

int
store_matches_mailed_since(struct store *s, int64_t firm_id, time_t since,
			   long long *n)
{
	return count_since(s, ST_MATCHES_MAILED_SINCE, firm_id, since, n,
			   "count mailed matches");
}

int
store_last_alert(struct store *s, int64_t firm_id, time_t *when)
{
	long long t;

	if (count_since(s, ST_LAST_ALERT, firm_id, 0, &t, "find last alert") < 0)
		return -1;
	*when = (time_t)t;
	return 0;
}

static void
clear_outbox_entry(void *elem)
{
	struct outbox_entry *e = elem;

	free(e->key);
	free(e->rcpt);
	free(e->state);
	free(e->last_error);
}

static int
read_outbox_entry(sqlite3_stmt *st, void *elem)
{
	struct outbox_entry *e = elem;

	e->id = sqlite3_column_int64(st, 0);
	e->key = column_strdup(st, 1);
	e->rcpt = column_strdup(st, 2);
	e->state = column_strdup(st, 3);
	e->attempts = sqlite3_column_int(st, 4);
	e->created_at = column_time(st, 5);
	e->next_attempt = column_time(st, 6);
	e->sent_at = column_time(st, 7);
	e->last_error = column_strdup(st, 8);
	e->has_text = sqlite3_column_int(st, 9);
	return e->key && e->rcpt && e->state ? 0 : -1;
}

static const struct row_type outbox_entry_rows = {
	sizeof (struct outbox_entry), read_outbox_entry, clear_outbox_entry
};

void
outbox_entries_free(struct outbox_entry *e, size_t n)
{
	free_rows(&outbox_entry_rows, e, n);
}

int
store_outbox_list(struct store *s, const char *state, size_t limit,
		  struct outbox_entry **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_OUTBOX_LIST)))
		return -1;
	bind_text(st, 1, state);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	return read_rows(s, st, &outbox_entry_rows, (void **)out, n,
			 "list outbox");
}

int
store_outbox_get(struct store *s, int64_t id, struct outbox_entry **out,
		 size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_OUTBOX_GET)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return read_rows(s, st, &outbox_entry_rows, (void **)out, n,
			 "look up a message");
}

int
store_outbox_retry(struct store *s, int64_t id, time_t now, int *found)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_OUTBOX_RETRY)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	return step_changed(s, st, "retry message", found);
}

int
store_outbox_purge(struct store *s, time_t before, long long *n)
{
	return update_at(s, ST_OUTBOX_PURGE, before, "purge sent messages", n);
}
