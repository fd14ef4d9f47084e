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
	" sent_at, last_error," \
	" EXISTS (SELECT 1 FROM message_body b WHERE b.message = message.id)" \
	" FROM message"

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
/*
 * A match as a mail shows it; the title in the language lang if given
 * (SWE or ENG). The match's own columns (id, kind, reason, notice id,
 * category) are given, the lot's and its notice's are the same for every
 * firm told of the lot in that language.
 */
#define ITEM_COLUMNS(id, kind, reason, notice_id, category, lang) \
	"SELECT " id ", " kind ", coalesce((SELECT t.value FROM notice_text t" \
	"  WHERE t.notice = n.id AND t.field = 'title' AND t.lang = " \
	lang "), n.title)," \
	" n.buyer, n.url, l.lot_id, coalesce((SELECT t.value FROM lot_text t" \
	"  WHERE t.lot = l.id AND t.field = 'title' AND t.lang = " lang \
	"), l.title), " reason ", l.deadline, " PART_OF("l.value") ", " \
	PART_OF("l.currency") ", " notice_id ", " category ", l.description," \
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
	"  AND a.lot_id = l.lot_id AND a.value > 0 LIMIT 1)," \
	" EXISTS (SELECT 1 FROM rfi r WHERE r.notice_id = n.notice_id" \
	"  AND r.closed_at IS NULL)," \
	" n.subtype, n.published, l.cpv, l.nuts, n.description"
#define MATCH_ITEM_COLUMNS \
	ITEM_COLUMNS("m.id", "m.kind", "m.reason", "m.notice_id", \
		     "m.category", FIRM_LANG)

enum stmt_id {
	ST_MATCHES_MAILED_SINCE,
	ST_LAST_ALERT,
	ST_OUTBOX_LIST,
	ST_OUTBOX_GET,
	ST_OUTBOX_RETRY,
	ST_OUTBOX_PURGE,
	ST_MATCH_INSERT,
	ST_MATCHES_UNQUEUED,
	ST_LOT_FACTS,
	ST_MATCHED_LOTS,
	ST_MESSAGE_INSERT,
	ST_MESSAGE_INSERT_UNBUILT,
	ST_MESSAGE_BODY,
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
	ST_UNQUEUED_FIRMS,
	ST_BEST_UNQUEUED,
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
	" WHERE id = ?1 AND state IN ('pending', 'failed')"
	" AND EXISTS (SELECT 1 FROM message_body b WHERE b.message = ?1)",
	/* a failed one is not retried that late: its news is old */
	[ST_OUTBOX_PURGE] =
	"DELETE FROM message_body WHERE message IN (SELECT id FROM message"
	" WHERE (state = 'sent' AND sent_at < ?1)"
	" OR (state = 'failed' AND created_at < ?1))",
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
	/*
	 * A firm's unqueued matches by their own columns, with their lot and
	 * the firm's language; the rest of a match_item is ST_LOT_FACTS.
	 */
	[ST_MATCHES_UNQUEUED] =
	"SELECT m.id, m.kind, m.reason, m.notice_id, m.category, m.lot, "
	FIRM_LANG
	" FROM match m JOIN lot l ON l.id = m.lot JOIN notice n ON n.id = l.notice"
	" JOIN firm f ON f.id = m.firm"
	" WHERE m.firm = ?1 AND m.message IS NULL"
	" AND (?3 IS NULL OR m.notice_id = ?3)"
	" ORDER BY m.score DESC, m.id LIMIT ?2",
	/* A lot's part of a match_item, in language ?2 (SWE or ENG). */
	[ST_LOT_FACTS] =
	ITEM_COLUMNS("0", "''", "''", "''", "NULL", "?2")
	" FROM lot l JOIN notice n ON n.id = l.notice WHERE l.id = ?1",
	/*
	 * The notice of the best of them, the same rows in the same order
	 * without their columns: SQLite computes every column of every row
	 * it sorts, and most of a firm's rows are not the best. And how many
	 * unqueued matches the firm has, by the partial index alone (a
	 * window's count over the rows cost more than the query).
	 */
	[ST_BEST_UNQUEUED] =
	"SELECT m.notice_id, (SELECT count(*) FROM match x"
	"  WHERE x.firm = ?1 AND x.message IS NULL)"
	" FROM match m JOIN lot l ON l.id = m.lot JOIN notice n ON n.id = l.notice"
	" JOIN firm f ON f.id = m.firm"
	" WHERE m.firm = ?1 AND m.message IS NULL"
	" ORDER BY m.score DESC, m.id LIMIT 1",
	/* under the notice's id or any it replaced, cancelled lots too */
	/* by the partial index match_unqueued alone */
	[ST_UNQUEUED_FIRMS] =
	"SELECT DISTINCT firm FROM match WHERE message IS NULL ORDER BY firm",
	[ST_MATCHED_LOTS] =
	"SELECT DISTINCT m.lot_id FROM match m WHERE m.firm = ?1"
	" AND coalesce((SELECT s.current_id FROM notice_successor s"
	"  WHERE s.notice_id = m.notice_id), m.notice_id) = ?2"
	" ORDER BY m.lot_id",
	[ST_MESSAGE_INSERT] =
	"INSERT OR IGNORE INTO message (key, firm, rcpt, envelope_from,"
	" next_attempt, created_at, stale_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5,"
	" ?6)",
	/* its text apart, so that no query over the outbox reads it */
	[ST_MESSAGE_BODY] =
	"INSERT INTO message_body (message, body) VALUES (?1, ?2)",
	/*
	 * A mail that could not be built: failed at once, without a text,
	 * under its key, so it is not built again every pass.
	 */
	[ST_MESSAGE_INSERT_UNBUILT] =
	"INSERT OR IGNORE INTO message (key, firm, rcpt, envelope_from,"
	" next_attempt, created_at, stale_at, state, last_error)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, 'failed', ?7)",
	[ST_MATCH_LINK] =
	"UPDATE match SET message = ?1 WHERE id = ?2 AND message IS NULL",
	/* by message_pending: no sort, and no row before the cursor read */
	[ST_MESSAGES_DUE] =
	"SELECT id, key, firm, rcpt, envelope_from,"
	" coalesce((SELECT b.body FROM message_body b WHERE b.message = id),"
	" X''), attempts, created_at, attempts = 0 AND last_error IS NULL"
	" FROM message WHERE state = 'pending' AND id > ?4"
	" AND next_attempt <= ?1"
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
	 * does not count towards giving up, nor towards the backoff. It
	 * says so, and that the mail may have been given (first_try).
	 */
	[ST_MESSAGES_RECOVER] =
	"UPDATE message SET state = 'pending', attempts = max(attempts - 1, 0),"
	" last_error = coalesce(last_error, 'the sender stopped while it was"
	" sending this mail'), claimed_by = NULL, lease_until = NULL"
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
	"SELECT m.firm, m.notice_id, l.deadline, g.created_at, f.orgnr"
	" FROM lot l JOIN notice n ON n.id = l.notice AND n.superseded_by IS NULL"
	" JOIN match m ON m.lot_id = l.lot_id AND (m.notice_id = n.notice_id"
	"  OR m.notice_id IN (SELECT s.notice_id FROM notice_successor s"
	"   WHERE s.current_id = n.notice_id))"
	" JOIN message g ON g.id = m.message JOIN firm f ON f.id = m.firm"
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

#define ROW struct backfill_round
static const struct column backfill_columns[] = {
	C_TIME(since), C_TIME(started_at), C_TEXT(cursor),
};
static const struct row_type backfill_rows = ROW_TYPE(backfill_columns, NULL);
#undef ROW

int
store_backfill_get(struct store *s, struct backfill_round *r)
{
	memset(r, 0, sizeof *r);
	return read_row(s, query(s, &stmts, ST_BACKFILL_GET, NO_ARGS),
			&backfill_rows, r, "read the backfill") < 0 ? -1 : 0;
}

int
store_backfill_progress(struct store *s, time_t started_at, const char *cursor)
{
	return step_done(s, query(s, &stmts, ST_BACKFILL_PROGRESS,
				  ARGS(ARG_INT(started_at), ARG_TEXT(cursor))),
			 "record the backfill's progress");
}

int
store_backfill_done(struct store *s, time_t at)
{
	return step_done(s, query(s, &stmts, ST_BACKFILL_DONE, ARGS(ARG_INT(at))),
			 "record the backfill");
}

int
store_put_match(struct store *s, int64_t firm_id, int64_t lot_rowid,
		const char *notice_id, const char *lot_id, const char *kind,
		const char *reason, int score, const char *category, time_t now,
		int *created)
{
	return step_changed(s, query(s, &stmts, ST_MATCH_INSERT,
				     ARGS(ARG_INT(firm_id), ARG_INT(lot_rowid),
					  ARG_TEXT(notice_id), ARG_TEXT(lot_id),
					  ARG_TEXT(kind), ARG_TEXT(reason),
					  ARG_INT(now), ARG_INT(score),
					  ARG_TEXT(category))),
			    "store match", created);
}

#define ROW struct match_item
static const struct column match_item_columns[] = {
	C_INT64(match_id), C_NEEDED(kind), C_NEEDED(notice_title),
	C_TEXT(buyer), C_TEXT(url), C_NEEDED(lot_id), C_TEXT(lot_title),
	C_NEEDED(reason), C_TIME_IF(deadline, has_deadline),
	C_DOUBLE_IF(value, has_value), C_TEXT(currency), C_NEEDED(notice_id),
	C_TEXT(category), C_TEXT(description), C_TEXT(duration),
	C_FLAG(framework), C_FLAG(sme_suitable),
	C_TIME_IF(questions_deadline, has_questions_deadline),
	C_TEXT(documents_url), C_TEXT(buyer_email), C_TEXT(buyer_phone),
	C_TEXT(buyer_id), C_SIZE(lot_number), C_SIZE(nlots), C_TEXT(winners),
	C_DOUBLE_IF(award_value, has_award_value), C_TEXT(award_currency),
	C_INT(own_rfi), C_TEXT(subtype), C_TEXT(published), C_TEXT(lot_cpv),
	C_TEXT(lot_nuts), C_TEXT(notice_description),
};
static const struct row_type match_item_rows =
	ROW_TYPE(match_item_columns, NULL);
#undef ROW

void
match_items_free(struct match_item *items, size_t n)
{
	free_rows(&match_item_rows, items, n);
}

/* An unqueued match by its own columns (ST_MATCHES_UNQUEUED). */
struct unqueued {
	int64_t match_id;
	char *kind, *reason, *notice_id, *category;
	int64_t lot;
	char *lang;
};

#define ROW struct unqueued
static const struct column unqueued_columns[] = {
	C_INT64(match_id), C_NEEDED(kind), C_NEEDED(reason),
	C_NEEDED(notice_id), C_TEXT(category), C_INT64(lot), C_NEEDED(lang),
};
static const struct row_type unqueued_rows = ROW_TYPE(unqueued_columns, NULL);
#undef ROW

/*
 * The lots' parts of match items, by lot and language, for a pass: the
 * firms told of a lot share them. At most MATCH_CACHE_MAX; past that a
 * lot's part is read for each of its matches, as without a cache.
 */
#define MATCH_CACHE_MAX 4096
#define MATCH_CACHE_SLOTS (2 * MATCH_CACHE_MAX)	/* a power of two */

struct match_cache {
	struct match_item facts[MATCH_CACHE_MAX];
	int64_t lot[MATCH_CACHE_MAX];
	unsigned char en[MATCH_CACHE_MAX];
	size_t n;
	/* open addressing: 1 + an index into facts, 0 for none */
	unsigned short slot[MATCH_CACHE_SLOTS];
};

struct match_cache *
match_cache_new(void)
{
	struct match_cache *c = calloc(1, sizeof *c);

	if (!c)
		error("out of memory");
	return c;
}

void
match_cache_free(struct match_cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++)
		clear_columns(&match_item_rows, &c->facts[i]);
	free(c);
}

/* The slot of lot in language en: its entry's, or the empty one to fill. */
static size_t
cache_slot(const struct match_cache *c, int64_t lot, int en)
{
	size_t h = ((size_t)lot * 2 + (size_t)en) * 0x9E3779B1u, k;

	for (h &= MATCH_CACHE_SLOTS - 1;; h = (h + 1) & (MATCH_CACHE_SLOTS - 1)) {
		if (!c->slot[h])
			return h;
		k = c->slot[h] - 1u;
		if (c->lot[k] == lot && c->en[k] == en)
			return h;
	}
}

/* A copy of from into to, its texts copied too; -1 when out of memory. */
static int
copy_item(const struct match_item *from, struct match_item *to)
{
	const struct column *col;
	char **text;
	size_t i;

	memcpy(to, from, sizeof *to);
	for (i = 0; i < match_item_rows.ncolumns; i++) {
		col = &match_item_rows.columns[i];
		text = (char **)((char *)to + col->offset);
		if (col->kind == COL_TEXT && *text && !(*text = strdup(*text))) {
			/* the texts after it are still from's */
			for (; i < match_item_rows.ncolumns; i++)
				if (match_item_rows.columns[i].kind == COL_TEXT)
					*(char **)((char *)to +
						   match_item_rows.columns[i].offset) =
						NULL;
			clear_columns(&match_item_rows, to);
			return -1;
		}
	}
	return 0;
}

/*
 * The item of match u: its lot's part, from the cache or read (and kept
 * while the cache has room), with u's own columns, which move into it.
 */
static int
fill_item(struct store *s, struct match_cache *c, struct unqueued *u,
	  struct match_item *item)
{
	struct match_item read = { 0 };
	const struct match_item *facts = NULL;
	int en = strcmp(u->lang, "ENG") == 0, r;
	size_t h = 0;

	if (c) {
		h = cache_slot(c, u->lot, en);
		if (c->slot[h])
			facts = &c->facts[c->slot[h] - 1];
	}
	if (!facts) {
		r = read_row(s, query(s, &stmts, ST_LOT_FACTS,
				      ARGS(ARG_INT(u->lot), ARG_TEXT(u->lang))),
			     &match_item_rows, &read, "read a matched lot");
		if (r <= 0)
			return r < 0 ? -1 : db_error(s, "read a matched lot");
		facts = &read;
		if (c && c->n < MATCH_CACHE_MAX) {
			c->facts[c->n] = read;
			c->lot[c->n] = u->lot;
			c->en[c->n] = (unsigned char)en;
			c->slot[h] = (unsigned short)++c->n;
			facts = &c->facts[c->n - 1];
			memset(&read, 0, sizeof read);
		}
	}
	r = copy_item(facts, item);
	clear_columns(&match_item_rows, &read);
	if (r < 0)
		return error("out of memory");
	free(item->kind);
	free(item->reason);
	free(item->notice_id);
	item->match_id = u->match_id;
	item->kind = u->kind;
	item->reason = u->reason;
	item->notice_id = u->notice_id;
	item->category = u->category;
	u->kind = u->reason = u->notice_id = u->category = NULL;
	return 0;
}

int
store_unqueued_matches_cached(struct store *s, struct match_cache *c,
			      int64_t firm_id, const char *notice_id,
			      size_t limit, struct match_item **items,
			      size_t *n)
{
	struct unqueued *u = NULL;
	size_t nu = 0, i;
	int rc = -1;

	*items = NULL;
	*n = 0;
	if (read_rows(s, query(s, &stmts, ST_MATCHES_UNQUEUED,
			       ARGS(ARG_INT(firm_id), ARG_INT(limit),
				    ARG_TEXT(notice_id))),
		      &unqueued_rows, (void **)&u, &nu,
		      "list unqueued matches") < 0)
		return -1;
	if (nu && !(*items = calloc(nu, sizeof **items))) {
		error("out of memory");
		goto out;
	}
	for (i = 0; i < nu; i++, ++*n)
		if (fill_item(s, c, &u[i], &(*items)[i]) < 0)
			goto out;
	rc = 0;
out:
	if (rc < 0) {
		match_items_free(*items, *n);
		*items = NULL;
		*n = 0;
	}
	free_rows(&unqueued_rows, u, nu);
	return rc;
}

int
store_unqueued_matches(struct store *s, int64_t firm_id,
		       const char *notice_id, size_t limit,
		       struct match_item **items, size_t *n)
{
	return store_unqueued_matches_cached(s, NULL, firm_id, notice_id,
					     limit, items, n);
}

struct best_unqueued {
	char *notice_id;
	size_t unqueued;
};

#define ROW struct best_unqueued
static const struct column best_unqueued_columns[] = {
	C_NEEDED(notice_id), C_SIZE(unqueued),
};
static const struct row_type best_unqueued_rows =
	ROW_TYPE(best_unqueued_columns, NULL);
#undef ROW

int
store_best_unqueued_notice(struct store *s, int64_t firm_id, char **notice_id,
			   size_t *unqueued)
{
	struct best_unqueued b = { 0 };

	*notice_id = NULL;
	*unqueued = 0;
	if (read_row(s, query(s, &stmts, ST_BEST_UNQUEUED,
			      ARGS(ARG_INT(firm_id))),
		     &best_unqueued_rows, &b, "find the best unqueued match") < 0)
		return -1;
	*notice_id = b.notice_id;
	*unqueued = b.unqueued;
	return 0;
}

int
store_notice_matches(struct store *s, int64_t firm_id, const char *notice_id,
		     struct match_item **items, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_MATCHES_OF_NOTICE,
				  ARGS(ARG_INT(firm_id), ARG_TEXT(notice_id))),
			 &match_item_rows, (void **)items, n,
			 "list a firm's matches in a notice");
}

int
store_matched_lots(struct store *s, int64_t firm_id, const char *notice_id,
		   char ***lot_ids, size_t *n)
{
	return read_ids(s, query(s, &stmts, ST_MATCHED_LOTS,
				 ARGS(ARG_INT(firm_id), ARG_TEXT(notice_id))),
			lot_ids, n, "list a firm's lots in a notice");
}

#define ROW struct pending_change
static const struct column pending_change_columns[] = {
	C_INT64(rowid), C_NEEDED(notice_id),
};
static const struct row_type pending_change_rows =
	ROW_TYPE(pending_change_columns, NULL);
#undef ROW

void
pending_changes_free(struct pending_change *c, size_t n)
{
	free_rows(&pending_change_rows, c, n);
}

int
store_pending_changes(struct store *s, size_t limit,
		      struct pending_change **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_CHANGES_PENDING,
				  ARGS(ARG_INT(limit))),
			 &pending_change_rows, (void **)out, n,
			 "list changes to mail");
}

int
store_changes_done(struct store *s, int64_t rowid)
{
	return step_done(s, query(s, &stmts, ST_CHANGES_DONE,
				  ARGS(ARG_INT(rowid))),
			 "mark changes mailed");
}

int
store_unqueued_firms(struct store *s, int64_t **firm_ids, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_UNQUEUED_FIRMS, NO_ARGS),
			 &id_rows, (void **)firm_ids, n,
			 "list firms with unqueued matches");
}

int
store_change_recipients(struct store *s, int64_t rowid, int64_t **firm_ids,
			size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_CHANGE_RECIPIENTS,
				  ARGS(ARG_INT(rowid))),
			 &id_rows, (void **)firm_ids, n,
			 "list firms told of a notice");
}

int
store_message_exists(struct store *s, const char *key, int *exists)
{
	int r = step_exists(s, query(s, &stmts, ST_MESSAGE_EXISTS,
				     ARGS(ARG_TEXT(key))),
			    "look up message");

	*exists = r > 0;
	return r < 0 ? -1 : 0;
}

#define ROW struct reminder_candidate
static const struct column reminder_columns[] = {
	C_INT64(firm_id), C_NEEDED(notice_id), C_TIME(deadline),
	C_TIME(first_mailed), C_NEEDED(orgnr),
};
static const struct row_type reminder_candidate_rows =
	ROW_TYPE(reminder_columns, NULL);
#undef ROW

void
reminder_candidates_free(struct reminder_candidate *r, size_t n)
{
	free_rows(&reminder_candidate_rows, r, n);
}

int
store_reminder_candidates(struct store *s, time_t from, time_t to,
			  struct reminder_candidate **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_REMINDER_CANDIDATES,
				  ARGS(ARG_INT(from), ARG_INT(to))),
			 &reminder_candidate_rows, (void **)out, n,
			 "list deadlines to remind of");
}

int
store_notice_firms(struct store *s, const char *notice_id, int64_t **firm_ids,
		   size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_NOTICE_FIRMS,
				  ARGS(ARG_TEXT(notice_id))),
			 &id_rows, (void **)firm_ids, n,
			 "list firms matched to a notice");
}

#define ROW struct outbox_counts
static const struct column outbox_counts_columns[] = {
	C_LLONG(pending), C_LLONG(sending), C_LLONG(sent), C_LLONG(failed),
	C_LLONG(retrying), C_TIME(last_sent),
};
static const struct row_type outbox_counts_rows =
	ROW_TYPE(outbox_counts_columns, NULL);
#undef ROW

int
store_outbox_counts(struct store *s, struct outbox_counts *c)
{
	int r = read_row(s, query(s, &stmts, ST_OUTBOX_COUNTS, NO_ARGS),
			 &outbox_counts_rows, c, "count messages");

	if (r == 0)
		return db_error(s, "count messages");
	return r < 0 ? -1 : 0;
}

/* Inserts m through statement id, then ties the matches it reports to it. */
static int
insert_message(struct store *s, enum stmt_id id, const struct outbox_message *m,
	       const char *why, const int64_t *match_ids, size_t nmatch,
	       time_t now)
{
	int64_t row;
	size_t i;

	if (step_done(s, query(s, &stmts, id,
			       ARGS(ARG_TEXT(m->key),
				    ARG_INT_IF(m->firm_id, m->firm_id),
				    ARG_TEXT(m->rcpt), ARG_TEXT(m->envelope_from),
				    ARG_INT(now),
				    ARG_INT_IF(m->stale_at, m->stale_at),
				    ARG_TEXT(why))),
		      "queue message") < 0)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return 1;
	row = sqlite3_last_insert_rowid(s->db);
	/* a mail without a text (never built) has no row there */
	if (m->len > 0 &&
	    step_done(s, query(s, &stmts, ST_MESSAGE_BODY,
			       ARGS(ARG_INT(row), ARG_BLOB(m->body, m->len))),
		      "store a message's text") < 0)
		return -1;
	for (i = 0; i < nmatch; i++)
		if (step_done(s, query(s, &stmts, ST_MATCH_LINK,
				       ARGS(ARG_INT(row), ARG_INT(match_ids[i]))),
			      "link match to message") < 0)
			return -1;
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

#define ROW struct outbox_message
static const struct column outbox_message_columns[] = {
	C_INT64(id), C_NEEDED(key), C_INT64(firm_id), C_NEEDED(rcpt),
	C_NEEDED(envelope_from), C_BLOB(body, len), C_INT(attempts),
	C_TIME(created_at), C_INT(first_try),
};
static const struct row_type outbox_message_rows =
	ROW_TYPE(outbox_message_columns, NULL);
#undef ROW

void
outbox_messages_free(struct outbox_message *m, size_t n)
{
	free_rows(&outbox_message_rows, m, n);
}

int
store_due_messages(struct store *s, time_t now, const char *key_prefix,
		   int64_t after, size_t limit, struct outbox_message **out,
		   size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_MESSAGES_DUE,
				  ARGS(ARG_INT(now), ARG_INT(limit),
				       ARG_TEXT(key_prefix), ARG_INT(after))),
			 &outbox_message_rows, (void **)out, n,
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
	return step_done(s, query(s, &stmts, ST_MESSAGE_MARK,
				  ARGS(ARG_INT(id), ARG_TEXT(state_names[state]),
				       ARG_TEXT(last_error),
				       ARG_INT(next_attempt), ARG_INT(now))),
			 "update message");
}

int
store_claim_message(struct store *s, int64_t id, const struct claim *c,
		    int *claimed)
{
	return step_changed(s, query(s, &stmts, ST_MESSAGE_CLAIM,
				     ARGS(ARG_INT(id), ARG_TEXT(c->owner),
					  ARG_INT(c->lease_until))),
			    "take message", claimed);
}

int
store_recover_sending(struct store *s, const char *dead_owners, time_t now,
		      int *n)
{
	long long changed;

	if (update_rows(s, query(s, &stmts, ST_MESSAGES_RECOVER,
				 ARGS(ARG_INT(now), ARG_TEXT(dead_owners))),
			"recover messages", &changed) < 0)
		return -1;
	*n = (int)changed;
	return 0;
}

int
store_drop_bounced(struct store *s, const char *except, long long *n)
{
	return update_rows(s, query(s, &stmts, ST_MESSAGES_BOUNCED,
				    ARGS(ARG_TEXT(except))),
			   "fail mails to bounced addresses", n);
}

int
store_drop_stale(struct store *s, time_t now, long long *n)
{
	return update_rows(s, query(s, &stmts, ST_MESSAGES_STALE,
				    ARGS(ARG_INT(now))),
			   "drop stale messages", n);
}

int
store_matches_mailed_since(struct store *s, int64_t firm_id, time_t since,
			   long long *n)
{
	return step_number(s, query(s, &stmts, ST_MATCHES_MAILED_SINCE,
				    ARGS(ARG_INT(firm_id), ARG_INT(since))),
			   "count mailed matches", n);
}

int
store_last_alert(struct store *s, int64_t firm_id, time_t *when)
{
	long long t;

	if (step_number(s, query(s, &stmts, ST_LAST_ALERT,
				 ARGS(ARG_INT(firm_id))),
			"find last alert", &t) < 0)
		return -1;
	*when = (time_t)t;
	return 0;
}

#define ROW struct outbox_entry
static const struct column outbox_entry_columns[] = {
	C_INT64(id), C_NEEDED(key), C_NEEDED(rcpt), C_NEEDED(state),
	C_INT(attempts), C_TIME(created_at), C_TIME(next_attempt),
	C_TIME(sent_at), C_TEXT(last_error), C_INT(has_text),
};
static const struct row_type outbox_entry_rows =
	ROW_TYPE(outbox_entry_columns, NULL);
#undef ROW

void
outbox_entries_free(struct outbox_entry *e, size_t n)
{
	free_rows(&outbox_entry_rows, e, n);
}

int
store_outbox_list(struct store *s, const char *state, size_t limit,
		  struct outbox_entry **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_OUTBOX_LIST,
				  ARGS(ARG_TEXT(state), ARG_INT(limit))),
			 &outbox_entry_rows, (void **)out, n, "list outbox");
}

int
store_outbox_get(struct store *s, int64_t id, struct outbox_entry **out,
		 size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_OUTBOX_GET, ARGS(ARG_INT(id))),
			 &outbox_entry_rows, (void **)out, n,
			 "look up a message");
}

int
store_outbox_retry(struct store *s, int64_t id, time_t now, int *found)
{
	return step_changed(s, query(s, &stmts, ST_OUTBOX_RETRY,
				     ARGS(ARG_INT(id), ARG_INT(now))),
			    "retry message", found);
}

int
store_outbox_purge(struct store *s, time_t before, long long *n)
{
	return update_rows(s, query(s, &stmts, ST_OUTBOX_PURGE,
				    ARGS(ARG_INT(before))),
			   "purge sent messages", n);
}
