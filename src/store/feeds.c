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
	sqlite3_stmt *st;
	int r;

	if (!(st = stmt(s, &stmts, ST_RATES_DAY)))
		return -1;
	day[0] = '\0';
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
	sqlite3_stmt *st;
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
	if (!(st = stmt(s, &stmts, ST_RATES_CLEAR)) ||
	    step_done(s, st, "clear the rates") < 0 ||
	    !(st = stmt(s, &stmts, ST_RATE_PUT)))
		goto fail;
	for (i = 0; money_rates_get(r, i, &code, &per_eur) == 0; i++) {
		bind_text(st, 1, code);
		sqlite3_bind_double(st, 2, per_eur);
		bind_text(st, 3, money_rates_day(r));
		bind_text(st, 4, source);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
		if (step_done(s, st, "store a rate") < 0)
			goto fail;
	}
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
	if (!(st = stmt(s, &stmts, ST_RATES)))
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
	sqlite3_stmt *st;
	int r;

	if (!(st = stmt(s, &stmts, ST_INCIDENT_OPEN_GET)))
		return -1;
	bind_text(st, 1, key);
	*id = 0;
	*since = 0;
	if ((r = step_row(s, st, "read incident")) <= 0)
		return r;
	*id = sqlite3_column_int64(st, 0);
	*since = (time_t)sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return 0;
}

int
store_incident_open(struct store *s, const char *key, const char *detail,
		    time_t now, int64_t *id)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_INCIDENT_OPEN)))
		return -1;
	bind_text(st, 1, key);
	bind_text(st, 2, detail);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	if (step_done(s, st, "open incident") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_incident_close(struct store *s, int64_t id, time_t now)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_INCIDENT_CLOSE)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	return step_done(s, st, "close incident");
}

int
store_quarantine(struct store *s, const char *feed, const char *source,
		 const char *reason, const char *head, size_t head_len,
		 long long size, time_t now)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_QUARANTINE_PUT)))
		return -1;
	bind_text(st, 1, feed);
	bind_text(st, 2, source);
	bind_text(st, 3, reason);
	sqlite3_bind_blob(st, 4, head ? head : "", (int)(head_len < QUARANTINE_HEAD ?
			  head_len : QUARANTINE_HEAD), SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)size);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
	return step_done(s, st, "quarantine document");
}

static void
clear_quarantined(void *elem)
{
	struct quarantined *q = elem;

	free(q->feed);
	free(q->source);
	free(q->reason);
	free(q->head);
}

static int
read_quarantined(sqlite3_stmt *st, void *elem)
{
	struct quarantined *q = elem;
	const void *head = sqlite3_column_blob(st, 3);

	q->feed = column_strdup(st, 0);
	q->source = column_strdup(st, 1);
	q->reason = column_strdup(st, 2);
	q->head_len = (size_t)sqlite3_column_bytes(st, 3);
	q->size = sqlite3_column_int64(st, 4);
	q->first_seen = (time_t)sqlite3_column_int64(st, 5);
	q->last_seen = (time_t)sqlite3_column_int64(st, 6);
	q->times = (long)sqlite3_column_int64(st, 7);
	if (!q->feed || !q->source || !q->reason ||
	    !(q->head = malloc(q->head_len + 1)))
		return -1;
	if (q->head_len)
		memcpy(q->head, head, q->head_len);
	q->head[q->head_len] = '\0';
	return 0;
}

static const struct row_type quarantined_rows = {
	sizeof (struct quarantined), read_quarantined, clear_quarantined
};

void
quarantined_free(struct quarantined *q, size_t n)
{
	free_rows(&quarantined_rows, q, n);
}

int
store_quarantine_list(struct store *s, size_t limit, struct quarantined **out,
		      size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_QUARANTINE_LIST)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)limit);
	return read_rows(s, st, &quarantined_rows, (void **)out, n,
			 "list quarantine");
}

int
store_feed_item_get(struct store *s, const char *feed, const char *item,
		    char **etag, char **last_modified, int *found)
{
	sqlite3_stmt *st;
	int r;

	*etag = NULL;
	*last_modified = NULL;
	*found = 0;
	if (!(st = stmt(s, &stmts, ST_FEED_ITEM_GET)))
		return -1;
	bind_text(st, 1, feed);
	bind_text(st, 2, item);
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
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_FEED_ITEM_PUT)))
		return -1;
	bind_text(st, 1, feed);
	bind_text(st, 2, item);
	bind_text(st, 3, etag);
	bind_text(st, 4, last_modified);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
	if (step_done(s, st, "store feed item") < 0 ||
	    !(st = stmt(s, &stmts, ST_PENDING_DROP)))
		return -1;
	/* an item read, stored or refused, waits no more */
	bind_text(st, 1, feed);
	bind_text(st, 2, item);
	return step_done(s, st, "drop pending item");
}

void
feed_state_release(struct feed_state *st)
{
	free(st->last_error);
	st->last_error = NULL;
}

int
store_feed_state_get(struct store *s, const char *feed, struct feed_state *fs)
{
	sqlite3_stmt *st;
	int r;

	memset(fs, 0, sizeof *fs);
	if (!(st = stmt(s, &stmts, ST_FEED_STATE_GET)))
		return -1;
	bind_text(st, 1, feed);
	if ((r = step_row(s, st, "read feed state")) <= 0)
		return r;
	fs->last_poll = column_time(st, 0);
	fs->last_success = column_time(st, 1);
	fs->next_poll = column_time(st, 2);
	fs->failures = sqlite3_column_int(st, 3);
	fs->last_error = column_strdup(st, 4);
	fs->notices = (long)sqlite3_column_int64(st, 5);
	sqlite3_reset(st);
	return 0;
}

int
store_feed_state_put(struct store *s, const char *feed,
		     const struct feed_state *fs)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_FEED_STATE_PUT)))
		return -1;
	bind_text(st, 1, feed);
	bind_time(st, 2, fs->last_poll != 0, fs->last_poll);
	bind_time(st, 3, fs->last_success != 0, fs->last_success);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)fs->next_poll);
	sqlite3_bind_int(st, 5, fs->failures);
	bind_text(st, 6, fs->last_error);
	sqlite3_bind_int64(st, 7, fs->notices);
	return step_done(s, st, "store feed state");
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
	sqlite3_stmt *st;
	int r;

	memset(w, 0, sizeof *w);
	if (!(st = stmt(s, &stmts, ST_FEED_WINDOW_GET)))
		return -1;
	bind_text(st, 1, feed);
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
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_FEED_WINDOW_PUT)))
		return -1;
	bind_text(st, 1, feed);
	bind_text(st, 2, w->lo[0] ? w->lo : NULL);
	bind_text(st, 3, w->hi[0] ? w->hi : NULL);
	bind_text(st, 4, w->top[0] ? w->top : NULL);
	return step_done(s, st, "store feed window");
}

int
store_pending_put(struct store *s, const char *feed, const char *item,
		  const char *url, const char *error, time_t now, time_t next_try)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_PENDING_PUT)))
		return -1;
	bind_text(st, 1, feed);
	bind_text(st, 2, item);
	bind_text(st, 3, url);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)next_try);
	bind_text(st, 6, error);
	return step_done(s, st, "store pending item");
}

int
store_pending_has(struct store *s, const char *feed, const char *item,
		  int *found)
{
	sqlite3_stmt *st;
	int r;

	*found = 0;
	if (!(st = stmt(s, &stmts, ST_PENDING_HAS)))
		return -1;
	bind_text(st, 1, feed);
	bind_text(st, 2, item);
	if ((r = step_exists(s, st, "look up pending item")) < 0)
		return -1;
	*found = r;
	return 0;
}

static void
clear_pending_item(void *elem)
{
	struct pending_item *p = elem;

	free(p->item);
	free(p->url);
	free(p->last_error);
}

static int
read_pending(sqlite3_stmt *st, void *elem)
{
	struct pending_item *p = elem;

	p->item = column_strdup(st, 0);
	p->url = column_strdup(st, 1);
	p->attempts = sqlite3_column_int(st, 2);
	p->first_failed = column_time(st, 3);
	p->next_try = column_time(st, 4);
	p->last_error = column_strdup(st, 5);
	return p->item && p->url && p->last_error ? 0 : -1;
}

static const struct row_type pending_item_rows = {
	sizeof (struct pending_item), read_pending, clear_pending_item
};

void
pending_items_free(struct pending_item *p, size_t n)
{
	free_rows(&pending_item_rows, p, n);
}

int
store_pending_due(struct store *s, const char *feed, time_t now, size_t limit,
		  struct pending_item **out, size_t *n)
{
	sqlite3_stmt *st;

	*out = NULL;
	*n = 0;
	if (!(st = stmt(s, &stmts, ST_PENDING_DUE)))
		return -1;
	bind_text(st, 1, feed);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	return read_rows(s, st, &pending_item_rows, (void **)out, n,
			 "list pending items");
}

int
store_pending_summary(struct store *s, const char *feed, long *count,
		      time_t *oldest, char **last_error)
{
	sqlite3_stmt *st;
	int rc = 0;

	*count = 0;
	*oldest = 0;
	*last_error = NULL;
	if (!(st = stmt(s, &stmts, ST_PENDING_SUMMARY)))
		return -1;
	bind_text(st, 1, feed);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = db_error(s, "count pending items");
	} else {
		*count = (long)sqlite3_column_int64(st, 0);
		*oldest = column_time(st, 1);
		*last_error = column_strdup(st, 2);
	}
	sqlite3_reset(st);
	return rc;
}
