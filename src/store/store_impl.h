#ifndef TENDERLOTS_STORE_IMPL_H
#define TENDERLOTS_STORE_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <sqlite3.h>

#include "buf.h"
#include "store.h"

/*
 * What the files of the SQLite store share, and nothing outside it sees:
 * include/store.h is the interface, this is one implementation of it.
 *
 * Each domain file keeps its SQL beside the functions that run it, as a
 * table of statements indexed by its own enum; the store prepares a
 * statement the first time it is asked for and keeps it until it closes.
 */
enum stmt_group {
	STMT_CORE,
	STMT_NOTICES,
	STMT_FIRMS,
	STMT_OUTBOX,
	STMT_UNIT,
	STMT_FEEDS,
	STMT_STAFF,
	STMT_REGISTER,
	STMT_CATEGORIES,
	STMT_ADVICE,
	STMT_ANSWERS,
	STMT_ATTENDEES,
	STMT_OWN,
	STMT_FEEDBACK,
	STMT_PLAN,
	STMT_SEARCH,
	STMT_NGROUPS
};

struct stmt_table {
	enum stmt_group group;
	const char *const *sql;
	size_t n;
};

/* The notices stored in the open transaction, not yet in the search
 * index (search.c). */
struct search_queue {
	int64_t *rowid;
	size_t n;
	size_t alloc;
};

struct store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt **stmt[STMT_NGROUPS];	/* by group, then statement */
	size_t nstmt[STMT_NGROUPS];
	struct search_queue unindexed;
	struct store_turns *turns;	/* NULL: not shared */
	int has_turn;			/* its transaction holds one */
};

/*
 * Whether an award winner w names the firm f: by CompanyID, with or
 * without the hyphen, or as a VAT number (SE, the ten digits, 01).
 */
#define WINNER_IS(w, f) \
	"replace(replace(upper(" w ".org_id), '-', ''), ' ', '') IN" \
	" (replace(" f ".orgnr, '-', ''), 'SE' || replace(" f ".orgnr, '-', '')" \
	" || '01')"

/* Not one of the unit's own notices that it withdrew (own.c). */
#define NOT_WITHDRAWN_OWN(id) \
	" NOT EXISTS (SELECT 1 FROM own_notice o WHERE o.notice_id = " id \
	"  AND o.withdrawn_at IS NOT NULL)"

/* A notice's day of publication (its text) as a time, in SQL. */
#define PUBLISHED(n) \
	"CAST(strftime('%s', substr(" n ".published, 1, 10)) AS INTEGER)"

/* migrations.c */
int check_version(struct store *s);
int migrate(struct store *s);

/* search.c: the FTS5 tokenizer, registered on open before migrating;
 * a notice version queued for the index as it is stored, and the queue
 * indexed in one statement when the transaction commits (at once outside
 * one, and every SEARCH_QUEUE_MAX notices), dropped when it rolls back;
 * a visitor's words as an FTS5 query of at most SEARCH_WORDS_MAX quoted
 * words (their count, 0 for none, -1 on ENOMEM) */
#define SEARCH_WORDS_MAX 10
#define SEARCH_QUEUE_MAX 1000
int register_tokenizer(struct store *s);
int search_queue_notice(struct store *s, int64_t rowid);
int search_index_queued(struct store *s);
void search_queue_drop(struct store *s);
/* the entries of the notices whose texts one purge (at purged_at) dropped */
int search_forget_purged(struct store *s, time_t purged_at);
int search_query(const char *words, struct buf *out);

/* core.c */
int db_error(struct store *s, const char *what);
int exec(struct store *s, const char *sql);

int step_done(struct store *s, sqlite3_stmt *st, const char *what);
int step_changed(struct store *s, sqlite3_stmt *st, const char *what,
		 int *changed);
int update_rows(struct store *s, sqlite3_stmt *st, const char *what,
		long long *n);
int step_exists(struct store *s, sqlite3_stmt *st, const char *what);
int step_row(struct store *s, sqlite3_stmt *st, const char *what);
int step_number(struct store *s, sqlite3_stmt *st, const char *what,
		long long *v);

char *column_strdup(sqlite3_stmt *st, int col);
time_t column_time(sqlite3_stmt *st, int col);
int read_ids(struct store *s, sqlite3_stmt *st, char ***ids, size_t *n,
	     const char *what);

/*
 * A statement's parameters, in order from ?1, as values that say their
 * own type, so that a caller binds a whole list in one expression:
 * query(s, &stmts, ST_X, ARGS(ARG_INT(id), ARG_TEXT(name))).
 */
enum arg_kind { ARG_NULL, ARG_INT, ARG_DOUBLE, ARG_TEXT, ARG_BLOB, ARG_WORDS };

struct arg {
	enum arg_kind kind;
	sqlite3_int64 i;
	double d;
	const void *p;		/* text (NULL binds NULL), blob or words */
	size_t len;		/* of a blob; how many words */
};

#define ARG_INT(v) ((struct arg){ .kind = ARG_INT, .i = (sqlite3_int64)(v) })
#define ARG_TEXT(v) ((struct arg){ .kind = ARG_TEXT, .p = (const char *)(v) })
#define ARG_DOUBLE(v) ((struct arg){ .kind = ARG_DOUBLE, .d = (v) })
#define ARG_BLOB(v, n) \
	((struct arg){ .kind = ARG_BLOB, .p = (v), .len = (n) })
/* A list of words (char *const *) as one text, space-separated. */
#define ARG_WORDS(v, n) \
	((struct arg){ .kind = ARG_WORDS, .p = (v), .len = (n) })
/* A value only when `has` is true, NULL otherwise. */
#define ARG_INT_IF(has, v) ((struct arg){ \
	.kind = (has) ? ARG_INT : ARG_NULL, .i = (sqlite3_int64)(v) })
#define ARG_DOUBLE_IF(has, v) ((struct arg){ \
	.kind = (has) ? ARG_DOUBLE : ARG_NULL, .d = (v) })
#define ARGS(...) (const struct arg[]){ __VA_ARGS__ }, \
	sizeof ((const struct arg[]){ __VA_ARGS__ }) / sizeof (struct arg)
#define NO_ARGS NULL, 0
/* How many words a NULL-terminated list (NULL: none) has, for ARG_WORDS. */
size_t count_words(char *const *v);

/*
 * The statement of a domain's table, reset and bound to the arguments
 * (those past its last parameter are left out: the variants of one call
 * share its list); NULL on an error, which the step_* functions take for
 * one, so a caller writes step_done(s, query(...), "what").
 */
sqlite3_stmt *query(struct store *s, const struct stmt_table *t, int id,
		    const struct arg *args, size_t nargs);

/*
 * How a row's columns, in the statement's order, fill the fields of a
 * C struct: each column names the field's type and offset, checked by
 * the compiler against the type the kind stands for.
 */
enum column_kind {
	COL_TEXT,	/* char *, NULL for NULL */
	COL_BLOB,	/* char *, its bytes (none for NULL) and a NUL;
			   their count in `has` (size_t) */
	COL_INT,	/* int */
	COL_LONG,	/* long */
	COL_INT64,	/* int64_t */
	COL_LLONG,	/* long long */
	COL_SIZE,	/* size_t */
	COL_TIME,	/* time_t */
	COL_DOUBLE,	/* double */
	COL_FLAG,	/* int: 0 or 1, LOT_SME_UNKNOWN for NULL */
	COL_SKIP	/* a column the row does not keep */
};

enum {
	COL_NEEDED = 1,		/* NULL is an error in the row */
	COL_OPTIONAL = 2	/* the int at `has` says it was not NULL */
};

struct column {
	unsigned char kind, flags;
	size_t offset, has;
};

/* The offset of T's field f, which must have the type C. */
#define FIELD(T, f, C) \
	(offsetof(T, f) + 0 * sizeof (&((T *)0)->f == (C *)0))
/* The column kinds on the struct the file defines as ROW. */
#define COLUMN(kind, C, f) { kind, 0, FIELD(ROW, f, C), 0 }
#define C_TEXT(f) COLUMN(COL_TEXT, char *, f)
#define C_NEEDED(f) { COL_TEXT, COL_NEEDED, FIELD(ROW, f, char *), 0 }
#define C_BLOB(f, len) \
	{ COL_BLOB, 0, FIELD(ROW, f, char *), FIELD(ROW, len, size_t) }
#define C_INT(f) COLUMN(COL_INT, int, f)
#define C_LONG(f) COLUMN(COL_LONG, long, f)
#define C_INT64(f) COLUMN(COL_INT64, int64_t, f)
#define C_LLONG(f) COLUMN(COL_LLONG, long long, f)
#define C_SIZE(f) COLUMN(COL_SIZE, size_t, f)
#define C_TIME(f) COLUMN(COL_TIME, time_t, f)
#define C_DOUBLE(f) COLUMN(COL_DOUBLE, double, f)
#define C_FLAG(f) COLUMN(COL_FLAG, int, f)
#define C_TIME_IF(f, has) \
	{ COL_TIME, COL_OPTIONAL, FIELD(ROW, f, time_t), FIELD(ROW, has, int) }
#define C_DOUBLE_IF(f, has) \
	{ COL_DOUBLE, COL_OPTIONAL, FIELD(ROW, f, double), FIELD(ROW, has, int) }
#define C_LLONG_IF(f, has) \
	{ COL_LLONG, COL_OPTIONAL, FIELD(ROW, f, long long), FIELD(ROW, has, int) }
#define C_SKIP { COL_SKIP, 0, 0, 0 }

/*
 * One kind of row: the size of its struct, its columns, and what else
 * an element holds that must be freed (NULL when the columns are all).
 */
struct row_type {
	size_t size;
	const struct column *columns;
	size_t ncolumns;
	void (*clear_more)(void *elem);
};

#define ROW_TYPE(columns, more) \
	{ sizeof (ROW), columns, sizeof columns / sizeof *columns, more }

/* Fills elem from the row; -1 when out of memory or a needed column is
 * NULL, with what was read freed. */
int read_columns(sqlite3_stmt *st, const struct row_type *t, void *elem);
void clear_columns(const struct row_type *t, void *elem);

/* Rows of one id each, read into an array of ids (int64_t). */
extern const struct row_type id_rows;

int read_rows(struct store *s, sqlite3_stmt *st, const struct row_type *t,
	      void **out, size_t *n, const char *what);
void free_rows(const struct row_type *t, void *v, size_t n);
/* The one row a statement yields into elem: 1, 0 without a row, -1 on
 * an error; the statement is reset. */
int read_row(struct store *s, sqlite3_stmt *st, const struct row_type *t,
	     void *elem, const char *what);
/* The one row a statement yields in a new element *out (one to free as an
 * array of one), NULL without a row; 0, or -1 on an error. */
int read_new_row(struct store *s, sqlite3_stmt *st, const struct row_type *t,
		 void **out, const char *what);

#endif
