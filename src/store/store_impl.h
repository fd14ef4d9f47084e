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
	STMT_NGROUPS
};

struct stmt_table {
	enum stmt_group group;
	const char *const *sql;
	size_t n;
};

struct store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt **stmt[STMT_NGROUPS];	/* by group, then statement */
	size_t nstmt[STMT_NGROUPS];
};

/* A notice's day of publication (its text) as a time, in SQL. */
#define PUBLISHED(n) \
	"CAST(strftime('%s', substr(" n ".published, 1, 10)) AS INTEGER)"

/* migrations.c */
int check_version(struct store *s);
int migrate(struct store *s);

/* core.c */
int db_error(struct store *s, const char *what);
sqlite3_stmt *stmt(struct store *s, const struct stmt_table *t, int id);
int exec(struct store *s, const char *sql);

int bind_text(sqlite3_stmt *st, int i, const char *v);
int bind_time(sqlite3_stmt *st, int i, int has, time_t t);
int bind_words(sqlite3_stmt *st, int i, char *const *v, size_t n,
	       struct buf *scratch);
int join_words(char *const *v, size_t n, struct buf *out);

int step_done(struct store *s, sqlite3_stmt *st, const char *what);
int step_changed(struct store *s, sqlite3_stmt *st, const char *what,
		 int *changed);
int step_exists(struct store *s, sqlite3_stmt *st, const char *what);
int step_row(struct store *s, sqlite3_stmt *st, const char *what);
int step_number(struct store *s, sqlite3_stmt *st, const char *what,
		long long *v);

char *column_strdup(sqlite3_stmt *st, int col);
time_t column_time(sqlite3_stmt *st, int col);
int read_ids(struct store *s, sqlite3_stmt *st, char ***ids, size_t *n,
	     const char *what);

/*
 * One kind of row a list reader collects: its element's size, how a row
 * fills an element (-1 when out of memory) and how what an element holds
 * is freed (NULL when it holds nothing to free).
 */
struct row_type {
	size_t size;
	int (*read)(sqlite3_stmt *st, void *elem);
	void (*clear)(void *elem);
};

int read_rows(struct store *s, sqlite3_stmt *st, const struct row_type *t,
	      void **out, size_t *n, const char *what);
void free_rows(const struct row_type *t, void *v, size_t n);

#endif
