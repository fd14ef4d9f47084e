#ifndef TENDERLOTS_TESTDB_H
#define TENDERLOTS_TESTDB_H

/*
 * Reads a test database behind the store's back, through a connection of
 * its own, so a test checks what was really committed.
 */
#include <sqlite3.h>

/* The first column of the first row of sql, or -1. */
static inline long long
db_query(const char *path, const char *sql)
{
	sqlite3_stmt *st;
	sqlite3 *db;
	long long v = -1;

	if (sqlite3_open(path, &db) != SQLITE_OK) {
		sqlite3_close(db);
		return -1;
	}
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

#endif
