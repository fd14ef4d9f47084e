/*
 * What the feeds leave behind: their state and items, items pending a
 * retry, quarantined notices, incidents and exchange rates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_impl.h"

enum stmt_id {
	ST_QUARANTINE_PUT,
	ST_QUARANTINE_LIST,
	ST_FEED_ITEM_GET,
	ST_FEED_ITEM_PUT,
	ST_FEED_STATE_GET,
	ST_FEED_STATE_PUT,
	ST_FEED_WINDOW_GET,
	ST_FEED_WINDOW_PUT,
	ST_PENDING_PUT,
	ST_PENDING_DUE,
	ST_PENDING_DROP,
	ST_PENDING_HAS,
	ST_PENDING_SUMMARY,
	ST_INCIDENT_OPEN_GET,
	ST_INCIDENT_OPEN,
	ST_INCIDENT_CLOSE,
	ST_RATES_DAY,
	ST_RATES_CLEAR,
	ST_RATE_PUT,
	ST_RATES,
	NSTMT
};

static const char *const stmt_sql[NSTMT] = {
	[ST_QUARANTINE_PUT] =
	"INSERT INTO quarantine (feed, source, reason, head, size, first_seen,"
	" last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"
	" ON CONFLICT (source, reason) DO UPDATE SET times = times + 1,"
	" last_seen = excluded.last_seen, head = excluded.head,"
	" size = excluded.size",
	[ST_QUARANTINE_LIST] =
	"SELECT feed, source, reason, head, size, first_seen, last_seen, times"
	" FROM quarantine ORDER BY last_seen DESC, id DESC LIMIT ?1",
	[ST_FEED_ITEM_GET] =
	"SELECT etag, last_modified FROM feed_item WHERE feed = ?1 AND item = ?2",
	[ST_FEED_ITEM_PUT] =
	"INSERT INTO feed_item (feed, item, etag, last_modified, seen_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (feed, item) DO UPDATE SET"
	" etag = excluded.etag, last_modified = excluded.last_modified,"
	" seen_at = excluded.seen_at",
	[ST_FEED_STATE_GET] =
	"SELECT last_poll, last_success, next_poll, failures, last_error, notices"
	" FROM feed_state WHERE feed = ?1",
	[ST_FEED_STATE_PUT] =
	"INSERT INTO feed_state (feed, last_poll, last_success, next_poll,"
	" failures, last_error, notices) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	" ON CONFLICT (feed) DO UPDATE SET last_poll = excluded.last_poll,"
	" last_success = excluded.last_success, next_poll = excluded.next_poll,"
	" failures = excluded.failures, last_error = excluded.last_error,"
	" notices = excluded.notices",
	[ST_FEED_WINDOW_GET] =
	"SELECT window_lo, window_hi, window_top FROM feed_state WHERE feed = ?1",
	[ST_FEED_WINDOW_PUT] =
	"INSERT INTO feed_state (feed, window_lo, window_hi, window_top)"
	" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (feed) DO UPDATE SET"
	" window_lo = excluded.window_lo, window_hi = excluded.window_hi,"
	" window_top = excluded.window_top",
	[ST_PENDING_PUT] =
	"INSERT INTO feed_pending (feed, item, url, first_failed, next_try,"
	" last_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	" ON CONFLICT (feed, item) DO UPDATE SET attempts = attempts + 1,"
	" url = excluded.url, next_try = excluded.next_try,"
	" last_error = excluded.last_error",
	[ST_PENDING_DUE] =
	"SELECT item, url, attempts, first_failed, next_try, last_error"
	" FROM feed_pending WHERE feed = ?1 AND next_try <= ?2"
	" ORDER BY next_try, item LIMIT ?3",
	[ST_PENDING_DROP] =
	"DELETE FROM feed_pending WHERE feed = ?1 AND item = ?2",
	[ST_PENDING_HAS] =
	"SELECT 1 FROM feed_pending WHERE feed = ?1 AND item = ?2",
	[ST_PENDING_SUMMARY] =
	"SELECT count(*), min(first_failed), (SELECT last_error FROM"
	" feed_pending WHERE feed = ?1 ORDER BY next_try DESC, item LIMIT 1)"
	" FROM feed_pending WHERE feed = ?1",
	[ST_RATES_DAY] =
	"SELECT max(day) FROM rate",
	[ST_RATES_CLEAR] =
	"DELETE FROM rate",
	[ST_RATE_PUT] =
	"INSERT INTO rate (currency, per_eur, day, source, fetched_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_RATES] =
	"SELECT currency, per_eur, day, source FROM rate",
	[ST_INCIDENT_OPEN_GET] =
	"SELECT id, opened_at FROM incident WHERE key = ?1 AND closed_at IS NULL",
	[ST_INCIDENT_OPEN] =
	"INSERT INTO incident (key, detail, opened_at) VALUES (?1, ?2, ?3)",
	[ST_INCIDENT_CLOSE] =
	"UPDATE incident SET closed_at = ?2 WHERE id = ?1",
};

static const struct stmt_table stmts = { STMT_FEEDS, stmt_sql, NSTMT };

/* The day of the stored rates into day (NUL-terminated, "" if none). */
static int
rates_day(struct store *s, char *day, size_t len)
{
	sqlite3_stmt *st = query(s, &stmts, ST_RATES_DAY, NO_ARGS);
	int r;

	day[0] = '\0';
	if (!st)
		return -1;
	if ((r = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(day, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (r != SQLITE_ROW)
		return db_error(s, "read the rates' day");
	return 0;
}

int
store_put_rates(struct store *s, const struct money_rates *r,
		const char *source, time_t now, int *stored)
{
	const char *code;
	double per_eur;
	char day[16];
	size_t i;

	*stored = 0;
	if (store_begin(s) < 0)
		return -1;
	if (rates_day(s, day, sizeof day) < 0)
		goto fail;
	/* a feed that goes back in time (a mirror, a cache) changes nothing */
	if (strcmp(money_rates_day(r), day) < 0)
		return store_commit(s);
	if (step_done(s, query(s, &stmts, ST_RATES_CLEAR, NO_ARGS),
		      "clear the rates") < 0)
		goto fail;
	for (i = 0; money_rates_get(r, i, &code, &per_eur) == 0; i++)
		if (step_done(s, query(s, &stmts, ST_RATE_PUT,
				       ARGS(ARG_TEXT(code), ARG_DOUBLE(per_eur),
					    ARG_TEXT(money_rates_day(r)),
					    ARG_TEXT(source), ARG_INT(now))),
			      "store a rate") < 0)
			goto fail;
	if (store_commit(s) < 0)
		goto fail;
	*stored = 1;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
store_load_rates(struct store *s, struct money_rates **out, char **source)
{
	struct money_rates *r = money_rates_new();
	char *from = NULL;
	sqlite3_stmt *st;
	int step = SQLITE_DONE, rc = -1;

	*out = NULL;
	if (source)
		*source = NULL;
	if (!r) {
		error("out of memory");
		goto out;
	}
	if (!(st = query(s, &stmts, ST_RATES, NO_ARGS)))
		goto out;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		const char *day = (const char *)sqlite3_column_text(st, 2);
		const char *src = (const char *)sqlite3_column_text(st, 3);

		/* what a feed put holds; a row edited by hand is refused */
		if (!code || !day ||
		    money_rates_put(r, day, code, sqlite3_column_double(st, 1)) < 0) {
			error("%s: rate '%s' of '%s' is not a currency and a "
			      "rate to the euro", s->path, code ? code : "",
			      day ? day : "");
			break;
		}
		if (!from && src && !(from = strdup(src))) {
			error("out of memory");
			break;
		}
	}
	sqlite3_reset(st);
	if (step == SQLITE_ROW)
		goto out;
	if (step != SQLITE_DONE) {
		db_error(s, "read the rates");
		goto out;
	}
	*out = r;
	r = NULL;
	if (source) {
		*source = from;
		from = NULL;
	}
	rc = 0;
out:
	free(from);
	money_rates_free(r);
	return rc;
}

int
store_incident(struct store *s, const char *key, int64_t *id, time_t *since)
{
	sqlite3_stmt *st = query(s, &stmts, ST_INCIDENT_OPEN_GET,
				 ARGS(ARG_TEXT(key)));
	int r;

	*id = 0;
	*since = 0;
	if ((r = step_row(s, st, "read incident")) <= 0)
		return r;
	*id = sqlite3_column_int64(st, 0);
	*since = column_time(st, 1);
	sqlite3_reset(st);
	return 0;
}

int
store_incident_open(struct store *s, const char *key, const char *detail,
		    time_t now, int64_t *id)
{
	if (step_done(s, query(s, &stmts, ST_INCIDENT_OPEN,
			       ARGS(ARG_TEXT(key), ARG_TEXT(detail),
				    ARG_INT(now))), "open incident") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_incident_close(struct store *s, int64_t id, time_t now)
{
	return step_done(s, query(s, &stmts, ST_INCIDENT_CLOSE,
				  ARGS(ARG_INT(id), ARG_INT(now))),
			 "close incident");
}

int
store_quarantine(struct store *s, const char *feed, const char *source,
		 const char *reason, const char *head, size_t head_len,
		 long long size, time_t now)
{
	size_t kept = head_len < QUARANTINE_HEAD ? head_len : QUARANTINE_HEAD;

	return step_done(s, query(s, &stmts, ST_QUARANTINE_PUT,
				  ARGS(ARG_TEXT(feed), ARG_TEXT(source),
				       ARG_TEXT(reason), ARG_BLOB(head, kept),
				       ARG_INT(size), ARG_INT(now))),
			 "quarantine document");
}

#define ROW struct quarantined
static const struct column quarantined_columns[] = {
	C_NEEDED(feed), C_NEEDED(source), C_NEEDED(reason),
	C_BLOB(head, head_len), C_LLONG(size), C_TIME(first_seen),
	C_TIME(last_seen), C_LONG(times),
};
static const struct row_type quarantined_rows =
	ROW_TYPE(quarantined_columns, NULL);
#undef ROW

void
quarantined_free(struct quarantined *q, size_t n)
{
	free_rows(&quarantined_rows, q, n);
}

int
store_quarantine_list(struct store *s, size_t limit, struct quarantined **out,
		      size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_QUARANTINE_LIST,
				  ARGS(ARG_INT(limit))),
			 &quarantined_rows, (void **)out, n, "list quarantine");
}

int
store_feed_item_get(struct store *s, const char *feed, const char *item,
		    char **etag, char **last_modified, int *found)
{
	sqlite3_stmt *st = query(s, &stmts, ST_FEED_ITEM_GET,
				 ARGS(ARG_TEXT(feed), ARG_TEXT(item)));
	int r;

	*etag = NULL;
	*last_modified = NULL;
	*found = 0;
	if ((r = step_row(s, st, "look up feed item")) <= 0)
		return r;
	*found = 1;
	*etag = column_strdup(st, 0);
	*last_modified = column_strdup(st, 1);
	sqlite3_reset(st);
	return 0;
}

int
store_feed_item_put(struct store *s, const char *feed, const char *item,
		    const char *etag, const char *last_modified, time_t now)
{
	if (step_done(s, query(s, &stmts, ST_FEED_ITEM_PUT,
			       ARGS(ARG_TEXT(feed), ARG_TEXT(item),
				    ARG_TEXT(etag), ARG_TEXT(last_modified),
				    ARG_INT(now))), "store feed item") < 0)
		return -1;
	/* an item read, stored or refused, waits no more */
	return step_done(s, query(s, &stmts, ST_PENDING_DROP,
				  ARGS(ARG_TEXT(feed), ARG_TEXT(item))),
			 "drop pending item");
}

#define ROW struct feed_state
static const struct column feed_state_columns[] = {
	C_TIME(last_poll), C_TIME(last_success), C_TIME(next_poll),
	C_INT(failures), C_TEXT(last_error), C_LONG(notices),
};
static const struct row_type feed_state_rows =
	ROW_TYPE(feed_state_columns, NULL);
#undef ROW

void
feed_state_release(struct feed_state *st)
{
	clear_columns(&feed_state_rows, st);
}

int
store_feed_state_get(struct store *s, const char *feed, struct feed_state *fs)
{
	memset(fs, 0, sizeof *fs);
	return read_row(s, query(s, &stmts, ST_FEED_STATE_GET,
				 ARGS(ARG_TEXT(feed))),
			&feed_state_rows, fs, "read feed state") < 0 ? -1 : 0;
}

int
store_feed_state_put(struct store *s, const char *feed,
		     const struct feed_state *fs)
{
	return step_done(s, query(s, &stmts, ST_FEED_STATE_PUT,
				  ARGS(ARG_TEXT(feed),
				       ARG_INT_IF(fs->last_poll, fs->last_poll),
				       ARG_INT_IF(fs->last_success,
						  fs->last_success),
				       ARG_INT(fs->next_poll),
				       ARG_INT(fs->failures),
				       ARG_TEXT(fs->last_error),
				       ARG_INT(fs->notices))),
			 "store feed state");
}

/* Copies a stored date into a window's field: "" unless YYYYMMDD. */
static void
window_date(sqlite3_stmt *st, int col, char out[9])
{
	const char *v = (const char *)sqlite3_column_text(st, col);

	out[0] = '\0';
	if (v && strlen(v) == 8 && strspn(v, "0123456789") == 8)
		memcpy(out, v, 9);
}

int
store_feed_window_get(struct store *s, const char *feed, struct feed_window *w)
{
	sqlite3_stmt *st = query(s, &stmts, ST_FEED_WINDOW_GET,
				 ARGS(ARG_TEXT(feed)));
	int r;

	memset(w, 0, sizeof *w);
	if ((r = step_row(s, st, "read feed window")) <= 0)
		return r;
	window_date(st, 0, w->lo);
	window_date(st, 1, w->hi);
	window_date(st, 2, w->top);
	sqlite3_reset(st);
	return 0;
}

int
store_feed_window_put(struct store *s, const char *feed,
		      const struct feed_window *w)
{
	return step_done(s, query(s, &stmts, ST_FEED_WINDOW_PUT,
				  ARGS(ARG_TEXT(feed),
				       ARG_TEXT(w->lo[0] ? w->lo : NULL),
				       ARG_TEXT(w->hi[0] ? w->hi : NULL),
				       ARG_TEXT(w->top[0] ? w->top : NULL))),
			 "store feed window");
}

int
store_pending_put(struct store *s, const char *feed, const char *item,
		  const char *url, const char *error, time_t now, time_t next_try)
{
	return step_done(s, query(s, &stmts, ST_PENDING_PUT,
				  ARGS(ARG_TEXT(feed), ARG_TEXT(item),
				       ARG_TEXT(url), ARG_INT(now),
				       ARG_INT(next_try), ARG_TEXT(error))),
			 "store pending item");
}

int
store_pending_has(struct store *s, const char *feed, const char *item,
		  int *found)
{
	int r = step_exists(s, query(s, &stmts, ST_PENDING_HAS,
				     ARGS(ARG_TEXT(feed), ARG_TEXT(item))),
			    "look up pending item");

	*found = r > 0;
	return r < 0 ? -1 : 0;
}

#define ROW struct pending_item
static const struct column pending_item_columns[] = {
	C_NEEDED(item), C_NEEDED(url), C_INT(attempts), C_TIME(first_failed),
	C_TIME(next_try), C_NEEDED(last_error),
};
static const struct row_type pending_item_rows =
	ROW_TYPE(pending_item_columns, NULL);
#undef ROW

void
pending_items_free(struct pending_item *p, size_t n)
{
	free_rows(&pending_item_rows, p, n);
}

int
store_pending_due(struct store *s, const char *feed, time_t now, size_t limit,
		  struct pending_item **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return read_rows(s, query(s, &stmts, ST_PENDING_DUE,
				  ARGS(ARG_TEXT(feed), ARG_INT(now),
				       ARG_INT(limit))),
			 &pending_item_rows, (void **)out, n,
			 "list pending items");
}

int
store_pending_summary(struct store *s, const char *feed, long *count,
		      time_t *oldest, char **last_error)
{
	sqlite3_stmt *st = query(s, &stmts, ST_PENDING_SUMMARY,
				 ARGS(ARG_TEXT(feed)));
	int r;

	*count = 0;
	*oldest = 0;
	*last_error = NULL;
	if ((r = step_row(s, st, "count pending items")) <= 0)
		return r < 0 ? -1 : db_error(s, "count pending items");
	*count = (long)sqlite3_column_int64(st, 0);
	*oldest = column_time(st, 1);
	*last_error = column_strdup(st, 2);
	sqlite3_reset(st);
	return 0;
}
