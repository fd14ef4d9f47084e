/*
 * Opening and closing the database, transactions, the statements
 * each domain file prepares on first use, and the binding, stepping and
 * row-reading helpers they share.
 */
#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "store_impl.h"

enum stmt_id {
	ST_DATA_VERSION,
	NSTMT
};

static const char *const stmt_sql[NSTMT] = {
	[ST_DATA_VERSION] =
	"PRAGMA data_version",
};

static const struct stmt_table stmts = { STMT_CORE, stmt_sql, NSTMT };

int
db_error(struct store *s, const char *what)
{
	return error("%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

/*
 * A statement of a domain's table, prepared on first use and reset for
 * this one; the table's cache is made when its first statement is.
 */
static sqlite3_stmt *
stmt(struct store *s, const struct stmt_table *t, int id)
{
	sqlite3_stmt **cache = s->stmt[t->group];

	if (!cache) {
		if (!(cache = calloc(t->n, sizeof *cache))) {
			error("out of memory");
			return NULL;
		}
		s->stmt[t->group] = cache;
		s->nstmt[t->group] = t->n;
	}
	if (!cache[id]) {
		if (sqlite3_prepare_v3(s->db, t->sql[id], -1,
				       SQLITE_PREPARE_PERSISTENT, &cache[id],
				       NULL) != SQLITE_OK) {
			db_error(s, "prepare");
			return NULL;
		}
		return cache[id];
	}
	sqlite3_reset(cache[id]);
	sqlite3_clear_bindings(cache[id]);
	return cache[id];
}

int
exec(struct store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		error("%s: %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/*
 * The journal (WAL) and its index are files beside the database: in a
 * directory the program cannot write (a file system the kernel made
 * read-only after an error, a wrong owner) SQLite would only say that it
 * cannot open the database.
 */
static int
check_dir_writable(const char *path)
{
	char *copy = strdup(path);
	const char *dir;
	int rc = 0;

	if (!copy)
		return error("out of memory");
	dir = dirname(copy);
	if (access(dir, W_OK) < 0)
		rc = error("%s: cannot write in its directory %s: %s", path, dir,
			   strerror(errno));
	free(copy);
	return rc;
}

/*
 * Another connection's write is waited for, five seconds at most, in
 * steps from a quarter of a millisecond up to eight: the web's writes
 * take a millisecond, and SQLite's own timeout sleeps up to 100 ms a
 * step, which a page waiting behind them would show as latency.
 */
#define BUSY_WAIT_US 5000000L
#define BUSY_STEP_MAX_US 8000L

static int
wait_for_writer(void *arg, int tries)
{
	long step = 250L << (tries < 5 ? tries : 5);
	struct timespec pause;

	(void)arg;
	if (step > BUSY_STEP_MAX_US)
		step = BUSY_STEP_MAX_US;
	/* the first steps add up to less than two of the largest */
	if ((long)tries * BUSY_STEP_MAX_US > BUSY_WAIT_US + 2 * BUSY_STEP_MAX_US)
		return 0;
	pause.tv_sec = 0;
	pause.tv_nsec = step * 1000;
	nanosleep(&pause, NULL);
	return 1;
}

/* A ticket lock: tickets are given in order and served in order. */
struct store_turns {
	pthread_mutex_t lock;
	pthread_cond_t served;
	unsigned long next, serving;
};

int
store_turns_new(struct store_turns **out)
{
	struct store_turns *t = calloc(1, sizeof *t);

	*out = NULL;
	if (!t)
		return error("out of memory");
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->served, NULL);
	*out = t;
	return 0;
}

void
store_turns_free(struct store_turns *t)
{
	if (!t)
		return;
	pthread_cond_destroy(&t->served);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

void
store_share_turns(struct store *s, struct store_turns *t)
{
	s->turns = t;
}

int
store_turn_wanted(struct store *s)
{
	struct store_turns *t = s->turns;
	int wanted;

	if (!s->has_turn)
		return 0;
	pthread_mutex_lock(&t->lock);
	wanted = t->next - t->serving > 1;
	pthread_mutex_unlock(&t->lock);
	return wanted;
}

static void
take_turn(struct store *s)
{
	struct store_turns *t = s->turns;
	unsigned long mine;

	/* a transaction begun twice fails in SQLite, not here */
	if (!t || s->has_turn)
		return;
	pthread_mutex_lock(&t->lock);
	mine = t->next++;
	while (t->serving != mine)
		pthread_cond_wait(&t->served, &t->lock);
	pthread_mutex_unlock(&t->lock);
	s->has_turn = 1;
}

static void
end_turn(struct store *s)
{
	struct store_turns *t = s->turns;

	if (!s->has_turn)
		return;
	s->has_turn = 0;
	pthread_mutex_lock(&t->lock);
	t->serving++;
	pthread_cond_broadcast(&t->served);
	pthread_mutex_unlock(&t->lock);
}

int
store_open(const char *path, struct store **out)
{
	struct store *s = calloc(1, sizeof *s);
	int rc = -1;

	if (!s || !(s->path = strdup(path))) {
		error("out of memory");
		goto out;
	}
	if (check_dir_writable(path) < 0)
		goto out;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		if (s->db)
			db_error(s, "open");
		else
			error("%s: cannot open database", path);
		goto out;
	}
	sqlite3_extended_result_codes(s->db, 1);
	/* A busy writer (a CLI command beside the daemon) is waited for. */
	sqlite3_busy_handler(s->db, wait_for_writer, NULL);
	/* a database newer than the program is refused before anything
	 * touches it, even its journal mode */
	if (check_version(s) < 0 || register_tokenizer(s) < 0 ||
	    exec(s, "PRAGMA journal_mode = WAL") < 0 ||
	    exec(s, "PRAGMA synchronous = NORMAL") < 0 ||
	    migrate(s) < 0 ||
	    exec(s, "PRAGMA foreign_keys = ON") < 0)
		goto out;
	*out = s;
	s = NULL;
	rc = 0;
out:
	store_free(s);
	return rc;
}

void
store_free(struct store *s)
{
	size_t g, i;

	if (!s)
		return;
	end_turn(s);	/* closing rolls its transaction back */
	for (g = 0; g < STMT_NGROUPS; g++) {
		for (i = 0; i < s->nstmt[g]; i++)
			sqlite3_finalize(s->stmt[g][i]);
		free(s->stmt[g]);
	}
	free(s->unindexed.rowid);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

const char *
store_path(const struct store *s)
{
	return s->path;
}

int
store_checkpoint_later(struct store *s, int later)
{
	/* 1,000 pages: SQLite's own default */
	if (sqlite3_wal_autocheckpoint(s->db, later ? STORE_LOG_LATER_PAGES :
				       1000) != SQLITE_OK)
		return db_error(s, "wal_autocheckpoint");
	return 0;
}

int
store_checkpoint(struct store *s)
{
	/* passive: a reader's snapshot is left in the log, not waited for */
	if (sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
				      NULL, NULL) != SQLITE_OK)
		return db_error(s, "checkpoint");
	return 0;
}

int
store_begin(struct store *s)
{
	take_turn(s);
	if (exec(s, "BEGIN IMMEDIATE") < 0) {
		if (sqlite3_get_autocommit(s->db))
			end_turn(s);
		return -1;
	}
	return 0;
}

int
store_commit(struct store *s)
{
	int rc;

	if (search_index_queued(s) < 0)
		return -1;
	rc = exec(s, "COMMIT");
	/* a commit that failed leaves the turn to the rollback after it */
	if (sqlite3_get_autocommit(s->db))
		end_turn(s);
	return rc;
}

void
store_rollback(struct store *s)
{
	search_queue_drop(s);
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	end_turn(s);
}

static int
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (!v)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/*
 * Runs a statement that returns no rows. A write outside a transaction
 * takes its turn as a transaction does: the pass's courier marks each
 * mail an SMTP relay took so, and in SQLite's busy handler it would
 * wait for a gap between the queue's batches.
 */
int
step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc, turn;

	if (!st)
		return -1;
	turn = s->turns && !s->has_turn && !sqlite3_stmt_readonly(st);
	if (turn)
		take_turn(s);
	rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (turn)
		end_turn(s);
	if (rc != SQLITE_DONE)
		return db_error(s, what);
	return 0;
}

/* step_done, and whether the statement changed a row. */
int
step_changed(struct store *s, sqlite3_stmt *st, const char *what, int *changed)
{
	if (step_done(s, st, what) < 0)
		return -1;
	*changed = sqlite3_changes(s->db) > 0;
	return 0;
}

/* Runs an update; *n rows it changed. */
int
update_rows(struct store *s, sqlite3_stmt *st, const char *what, long long *n)
{
	if (step_done(s, st, what) < 0)
		return -1;
	*n = sqlite3_changes(s->db);
	return 0;
}

/* 1 if the statement yields a row, 0 if not, -1 on error. */
int
step_exists(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_error(s, what);
}

static int
join_words(char *const *v, size_t n, struct buf *out)
{
	size_t i;

	buf_reset(out);
	for (i = 0; i < n; i++)
		if ((i && buf_addc(out, ' ') < 0) || buf_adds(out, v[i]) < 0)
			return -1;
	return 0;
}

char *
column_strdup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? strdup((const char *)t) : NULL;
}

/* Rows of one text each, read into an array of strings (strvec_free). */
#define ROW char *
static const struct column text_columns[] = { { COL_TEXT, COL_NEEDED, 0, 0 } };
static const struct row_type text_rows = ROW_TYPE(text_columns, NULL);
#undef ROW

/* The first column of every row, as strings. */
int
read_ids(struct store *s, sqlite3_stmt *st, char ***ids, size_t *n,
	 const char *what)
{
	*ids = NULL;
	*n = 0;
	return read_rows(s, st, &text_rows, (void **)ids, n, what);
}

/*
 * Runs a bound query and collects one element per row into a growing
 * array, read as the row type says, so every list reader shares one
 * loop; a partial array is freed.
 */
#define ROW int64_t
static const struct column id_columns[] = { { COL_INT64, 0, 0, 0 } };
const struct row_type id_rows = ROW_TYPE(id_columns, NULL);
#undef ROW

int
read_rows(struct store *s, sqlite3_stmt *st, const struct row_type *t,
	  void **out, size_t *n, const char *what)
{
	char *v = NULL, *nv;
	size_t count = 0;
	int r, rc = -1;

	if (!st)
		return -1;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(nv = realloc(v, (count + 1) * t->size)))
			goto nomem;
		v = nv;
		if (read_columns(st, t, v + count * t->size) < 0)
			goto nomem;
		count++;
	}
	if (r != SQLITE_DONE) {
		db_error(s, what);
		goto out;
	}
	*out = v;
	*n = count;
	v = NULL;
	rc = 0;
	goto out;
nomem:
	error("out of memory");
out:
	sqlite3_reset(st);
	if (v)
		free_rows(t, v, count);
	return rc;
}

void
free_rows(const struct row_type *t, void *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		clear_columns(t, (char *)v + i * t->size);
	free(v);
}

int
read_row(struct store *s, sqlite3_stmt *st, const struct row_type *t,
	 void *elem, const char *what)
{
	int r;

	if ((r = step_row(s, st, what)) <= 0)
		return r;
	r = read_columns(st, t, elem);
	sqlite3_reset(st);
	return r < 0 ? error("out of memory") : 1;
}

int
read_new_row(struct store *s, sqlite3_stmt *st, const struct row_type *t,
	     void **out, const char *what)
{
	void *elem = calloc(1, t->size);
	int r;

	*out = NULL;
	if (!elem) {
		if (st)
			sqlite3_reset(st);
		return error("out of memory");
	}
	r = read_row(s, st, t, elem, what);
	if (r > 0)
		*out = elem;
	else
		free(elem);
	return r < 0 ? -1 : 0;
}

/* A copy of a blob column's bytes with a NUL after them. */
static char *
column_blobdup(sqlite3_stmt *st, int col, size_t *len)
{
	const void *bytes = sqlite3_column_blob(st, col);
	char *copy;

	*len = (size_t)sqlite3_column_bytes(st, col);
	if (!(copy = malloc(*len + 1)))
		return NULL;
	if (*len)
		memcpy(copy, bytes, *len);
	copy[*len] = '\0';
	return copy;
}

static int
read_column(sqlite3_stmt *st, int col, const struct column *c, char *elem)
{
	void *field = elem + c->offset;
	int is_null = sqlite3_column_type(st, col) == SQLITE_NULL;

	if (c->flags & COL_OPTIONAL) {
		*(int *)(elem + c->has) = !is_null;
		if (is_null)
			return 0;
	}
	if (is_null && (c->flags & COL_NEEDED))
		return -1;
	switch ((enum column_kind)c->kind) {
	case COL_TEXT:
		*(char **)field = column_strdup(st, col);
		return is_null || *(char **)field ? 0 : -1;
	case COL_BLOB:
		*(char **)field = column_blobdup(st, col,
						 (size_t *)(elem + c->has));
		return *(char **)field ? 0 : -1;
	case COL_INT:
		*(int *)field = sqlite3_column_int(st, col);
		break;
	case COL_LONG:
		*(long *)field = (long)sqlite3_column_int64(st, col);
		break;
	case COL_INT64:
		*(int64_t *)field = sqlite3_column_int64(st, col);
		break;
	case COL_LLONG:
		*(long long *)field = sqlite3_column_int64(st, col);
		break;
	case COL_SIZE:
		*(size_t *)field = (size_t)sqlite3_column_int64(st, col);
		break;
	case COL_TIME:
		*(time_t *)field = column_time(st, col);
		break;
	case COL_DOUBLE:
		*(double *)field = sqlite3_column_double(st, col);
		break;
	case COL_FLAG:
		*(int *)field = is_null ? LOT_SME_UNKNOWN :
			       sqlite3_column_int(st, col) != 0;
		break;
	case COL_SKIP:
		break;
	}
	return 0;
}

int
read_columns(sqlite3_stmt *st, const struct row_type *t, void *elem)
{
	size_t i;

	memset(elem, 0, t->size);
	for (i = 0; i < t->ncolumns; i++)
		if (read_column(st, (int)i, &t->columns[i], elem) < 0) {
			clear_columns(t, elem);
			return -1;
		}
	return 0;
}

void
clear_columns(const struct row_type *t, void *elem)
{
	size_t i;
	char **text;

	if (t->clear_more)
		t->clear_more(elem);
	for (i = 0; i < t->ncolumns; i++) {
		if (t->columns[i].kind != COL_TEXT &&
		    t->columns[i].kind != COL_BLOB)
			continue;
		text = (char **)((char *)elem + t->columns[i].offset);
		free(*text);
		*text = NULL;
	}
}

static int
bind_args(struct store *s, sqlite3_stmt *st, const struct arg *args,
	  size_t nargs)
{
	struct buf words;
	size_t i, last = (size_t)sqlite3_bind_parameter_count(st);
	int r = SQLITE_OK, at;

	/* the variants of one call (the report's queries, the kinds of
	 * message) share its arguments, and some use fewer of them */
	if (nargs > last)
		nargs = last;
	buf_init(&words, 0);
	for (i = 0; i < nargs && r == SQLITE_OK; i++) {
		at = (int)i + 1;
		switch (args[i].kind) {
		case ARG_NULL:
			r = sqlite3_bind_null(st, at);
			break;
		case ARG_INT:
			r = sqlite3_bind_int64(st, at, args[i].i);
			break;
		case ARG_DOUBLE:
			r = sqlite3_bind_double(st, at, args[i].d);
			break;
		case ARG_TEXT:
			r = bind_text(st, at, args[i].p);
			break;
		case ARG_BLOB:
			r = sqlite3_bind_blob64(st, at, args[i].p ? args[i].p : "",
						args[i].len, SQLITE_TRANSIENT);
			break;
		case ARG_WORDS:
			if (join_words(args[i].p, args[i].len, &words) < 0) {
				buf_release(&words);
				return error("out of memory");
			}
			r = bind_text(st, at, buf_str(&words));
			break;
		}
	}
	buf_release(&words);
	if (r != SQLITE_OK)
		return error("%s: bind parameter %zu of \"%.60s\": %s", s->path,
			     i, sqlite3_sql(st), sqlite3_errstr(r));
	return 0;
}

size_t
count_words(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

sqlite3_stmt *
query(struct store *s, const struct stmt_table *t, int id,
      const struct arg *args, size_t nargs)
{
	sqlite3_stmt *st = stmt(s, t, id);

	if (!st || bind_args(s, st, args, nargs) < 0)
		return NULL;
	return st;
}

/*
 * Steps a statement that yields one row or none: 1 with the row to read
 * (the caller resets the statement after), 0 when there is none, -1 on
 * an error; without a row the statement is reset here.
 */
int
step_row(struct store *s, sqlite3_stmt *st, const char *what)
{
	int r;

	if (!st)
		return -1;
	r = sqlite3_step(st);

	if (r == SQLITE_ROW)
		return 1;
	sqlite3_reset(st);
	return r == SQLITE_DONE ? 0 : db_error(s, what);
}

/* Runs a query that always yields one number (a count); 0 on an error. */
int
step_number(struct store *s, sqlite3_stmt *st, const char *what, long long *v)
{
	int r;

	*v = 0;
	if (!st)
		return -1;
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return r == SQLITE_ROW ? 0 : db_error(s, what);
}

int
store_data_version(struct store *s, long long *version)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_DATA_VERSION)))
		return -1;
	return step_number(s, st, "read the data version", version);
}

int
store_maintain(struct store *s, time_t now, long keep_sent, long keep_notices)
{
	long long purged, forgotten, notices;

	if (store_outbox_purge(s, now - keep_sent, &purged) < 0 ||
	    store_forget_guests(s, now - keep_sent, &forgotten) < 0 ||
	    store_purge_notices(s, now - keep_notices, now, &notices) < 0 ||
	    exec(s, "PRAGMA optimize") < 0 ||
	    exec(s, "PRAGMA wal_checkpoint(TRUNCATE)") < 0)
		return -1;
	if (purged)
		log_info("dropped the text of %lld mails sent long ago", purged);
	if (forgotten)
		log_info("forgot %lld guests of meetings long past", forgotten);
	if (notices)
		log_info("dropped the texts of %lld notices done with long ago",
			 notices);
	return 0;
}

time_t
column_time(sqlite3_stmt *st, int col)
{
	return (time_t)sqlite3_column_int64(st, col);
}
