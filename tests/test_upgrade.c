/*
 * A database of every earlier schema opens and migrates to the current one
 * with its data intact. Each tests/fixtures/schema/vN.sql is a dump of what
 * the program of schema N left after its own demo flow (the README there
 * says how they were made); each must exist, so a new migration also needs
 * the dump of the schema before it. Run from the project root.
 */
#define _XOPEN_SOURCE 700

#include <sqlite3.h>

#include "store.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"

#define FIXTURES "tests/fixtures/schema/"

/* The schema the fixture under test was dumped at. */
static int from_version;
/* the schema version that put mails' texts in message_body */
#define MAIL_TEXTS_APART 31

/* Executes a dump into a new database file; -1 with the reason if it fails. */
static int
load_dump(const char *path, const char *sql)
{
	char *msg = NULL;
	sqlite3 *db;
	int rc = 0;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "  %s: %s\n", path, msg ? msg : sqlite3_errmsg(db));
		rc = -1;
	}
	sqlite3_free(msg);
	sqlite3_close(db);
	return rc;
}

/* The first column of the first row of sql as text, into out ("" if none). */
static void
query_text(const char *path, const char *sql, char *out, size_t size)
{
	sqlite3_stmt *st;
	sqlite3 *db;

	*out = '\0';
	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			snprintf(out, size, "%s", sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
}

/* Like db_query, with up to three text parameters (NULL-terminated). */
static long long
query_with(const char *path, const char *sql, const char *a, const char *b,
	   const char *c)
{
	const char *args[] = { a, b, c };
	sqlite3_stmt *st;
	sqlite3 *db;
	long long v = -1;
	int i;

	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		for (i = 0; i < 3 && args[i]; i++)
			sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

/* The migrated database with the old one attached as old; NULL if not. */
static sqlite3 *
open_with_old(const char *after, const char *before)
{
	char *attach;
	sqlite3 *db;

	if (sqlite3_open(after, &db) != SQLITE_OK) {
		CHECK(!"the migrated database opens");
		sqlite3_close(db);
		return NULL;
	}
	attach = sqlite3_mprintf("ATTACH %Q AS old", before);
	CHECK(sqlite3_exec(db, attach, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_free(attach);
	return db;
}

/*
 * Every table of the old database still holds every row it had, with the
 * same value in each of its old columns: a migration may add columns and
 * tables but must not lose or alter what was there. A column moved to a
 * table of its own (moved[]) is compared there instead.
 */
static void
check_rows_kept(const char *before, const char *after)
{
	sqlite3_stmt *tables;
	sqlite3 *db;

	if (!(db = open_with_old(after, before)))
		return;
	if (sqlite3_prepare_v2(db, "SELECT name, (SELECT group_concat("
			       "'\"' || replace(c.name, '\"', '\"\"') || '\"', ',')"
			       " FROM pragma_table_info(t.name, 'old') AS c"
			       /* migration 31: a mail's text, in message_body */
			       " WHERE NOT (t.name = 'message' AND c.name = 'body'))"
			       " FROM old.sqlite_master AS t WHERE type = 'table'"
			       " AND name NOT LIKE 'sqlite_%'", -1, &tables,
			       NULL) != SQLITE_OK) {
		CHECK(!"the old tables are listed");
		sqlite3_close(db);
		return;
	}
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *table = (const char *)sqlite3_column_text(tables, 0);
		const char *cols = (const char *)sqlite3_column_text(tables, 1);
		char *sql = sqlite3_mprintf(
			"SELECT (SELECT count(*) FROM old.%w) = (SELECT count(*) FROM main.%w)"
			" AND NOT EXISTS (SELECT %s FROM old.%w EXCEPT SELECT %s FROM main.%w)",
			table, table, cols, table, cols, table);
		sqlite3_stmt *st;
		int kept = 0;

		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW)
				kept = sqlite3_column_int(st, 0);
			sqlite3_finalize(st);
		}
		if (!kept)
			fprintf(stderr, "  table %s lost or changed rows\n", table);
		CHECK(kept);
		sqlite3_free(sql);
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
}

/*
 * Migration 31 moved each mail's text to message_body: every text the old
 * database held is there, under its message, byte for byte, and a mail
 * without one (never built, purged) has no row.
 */
static void
check_bodies_kept(const char *before, const char *after)
{
	sqlite3_stmt *st;
	sqlite3 *db;
	int kept = 0;

	CHECK(db_query(before, "SELECT count(*) FROM message"
		       " WHERE length(body) > 0") > 0);
	if (!(db = open_with_old(after, before)))
		return;
	if (sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM old.message"
			       " WHERE length(body) > 0) ="
			       " (SELECT count(*) FROM main.message_body)"
			       " AND NOT EXISTS (SELECT id, body FROM old.message"
			       " WHERE length(body) > 0 EXCEPT SELECT message, body"
			       " FROM main.message_body)", -1, &st,
			       NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			kept = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (!kept)
		fprintf(stderr, "  mail texts lost or changed\n");
	CHECK(kept);
	sqlite3_close(db);
}

/* Each firm the store loads is one of the dump's, unchanged, and all are. */
static void
check_firms(struct store *s, const char *before)
{
	struct firm_list l = { 0 };
	size_t i;

	CHECK(store_load_firms(s, &l) == 0);
	CHECK((long long)l.n == db_query(before, "SELECT count(*) FROM firm"));
	for (i = 0; i < l.n; i++)
		CHECK(query_with(before, "SELECT count(*) FROM firm WHERE orgnr = ?1"
				 " AND name = ?2 AND email = ?3", l.v[i]->orgnr,
				 l.v[i]->name, l.v[i]->email) == 1);
	firm_list_release(&l);
}

/*
 * The mails already sent keep their unique keys, so the next run neither
 * queues them again nor finds them due.
 */
static void
check_sent_stay_sent(struct store *s, const char *before)
{
	struct outbox_message *due = NULL;
	sqlite3_stmt *st;
	sqlite3 *db;
	size_t n = 0, i;
	int exists, sent = 0;

	if (sqlite3_open(before, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT key FROM message WHERE state = 'sent'",
			       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			exists = 0;
			CHECK(store_message_exists(s, (const char *)sqlite3_column_text(st, 0),
						   &exists) == 0);
			CHECK(exists);
			sent++;
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	CHECK(sent > 0);
	/* A year after the last mail, any retry the dump held is due. */
	CHECK(store_due_messages(s, db_query(before, "SELECT max(created_at) FROM message")
				 + 365 * 86400, NULL, 0, 1000, &due, &n) == 0);
	for (i = 0; i < n; i++)
		CHECK(query_with(before, "SELECT count(*) FROM message WHERE key = ?1"
				 " AND state = 'sent'", due[i].key, NULL, NULL) == 0);
	outbox_messages_free(due, n);
}

static void
test_upgrade(void)
{
	static const char *const core[] = { "notice", "lot", "firm", "match", "message" };
	char dir[PATH_MAX], fixture[64], before[PATH_MAX + 16], after[PATH_MAX + 16];
	char ok[64];
	struct store *s = NULL;
	char *sql;
	size_t i;

	snprintf(fixture, sizeof fixture, FIXTURES "v%d.sql", from_version);
	if (!(sql = read_text(fixture))) {
		fprintf(stderr, "  %s is missing: see " FIXTURES "README.md\n", fixture);
		CHECK(sql != NULL);
		return;
	}
	make_tmpdir(dir, "test_upgrade");
	snprintf(before, sizeof before, "%s/before.db", dir);
	snprintf(after, sizeof after, "%s/after.db", dir);
	CHECK(load_dump(before, sql) == 0);
	CHECK(load_dump(after, sql) == 0);
	free(sql);
	CHECK(db_query(after, "PRAGMA user_version") == from_version);
	/* The proof is worth little if the demo left these tables empty. */
	for (i = 0; i < sizeof core / sizeof core[0]; i++) {
		char count[64];

		snprintf(count, sizeof count, "SELECT count(*) FROM \"%s\"", core[i]);
		CHECK(db_query(before, count) > 0);
	}

	CHECK(store_open(after, &s) == 0);
	if (s) {
		check_firms(s, before);
		check_sent_stay_sent(s, before);
		store_free(s);
	}

	CHECK(db_query(after, "PRAGMA user_version") == store_schema_version());
	query_text(after, "PRAGMA integrity_check", ok, sizeof ok);
	CHECK_STR(ok, "ok");
	/* notices stored before have the publication number change notices name */
	CHECK(db_query(after, "SELECT count(*) FROM notice WHERE url LIKE"
		       " 'https://ted.europa.eu/%' AND publication IS NULL") == 0);
	CHECK(db_query(after, "SELECT count(*) FROM notice"
		       " WHERE publication = '758470-2026'") == 1);
	CHECK(db_query(after, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
	/* a feed polled before has no window yet: its next poll begins one */
	CHECK(db_query(after, "SELECT count(*) FROM feed_state WHERE window_lo"
		       " IS NOT NULL OR window_hi IS NOT NULL") == 0);
	CHECK(db_query(after, "SELECT count(*) FROM feed_pending") == 0);
	check_rows_kept(before, after);
	/* from a version that kept the text in the mail's row */
	if (from_version < MAIL_TEXTS_APART)
		check_bodies_kept(before, after);
	rm_rf(dir);
}


/*
 * A database from a newer program is refused before anything is written
 * to it: an older binary started by mistake must not damage it.
 */
/* A database one version newer than the program knows, made from how. */
static void
check_newer_untouched(const char *how)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], *pragma, *old, *now, *sql;
	struct store *s = NULL;
	struct capture c;
	size_t oldlen = 0, nowlen = 0;
	sqlite3 *db;

	make_tmpdir(dir, "test_upgrade");
	snprintf(path, sizeof path, "%s/newer.db", dir);
	if (strcmp(how, "program") == 0) {
		/* as a newer program leaves it, in WAL mode */
		CHECK(store_open(path, &s) == 0);
		store_free(s);
		s = NULL;
	} else {
		/* rebuilt from a dump, in rollback journal mode */
		sql = read_text(how);
		CHECK(sql && load_dump(path, sql) == 0);
		free(sql);
	}
	pragma = sqlite3_mprintf("PRAGMA user_version = %d", store_schema_version() + 1);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, pragma, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	sqlite3_free(pragma);

	old = read_bytes(path, &oldlen);
	capture_start(&c, 2);
	CHECK(store_open(path, &s) == -1);
	free(capture_end(&c));
	CHECK(s == NULL);
	now = read_bytes(path, &nowlen);
	CHECK(old && now && oldlen == nowlen && memcmp(old, now, oldlen) == 0);
	CHECK(db_query(path, "PRAGMA user_version") == store_schema_version() + 1);
	free(old);
	free(now);
	rm_rf(dir);
}

static void
test_newer_untouched(void)
{
	check_newer_untouched("program");
	check_newer_untouched(FIXTURES "v1.sql");
}

int
main(void)
{
	for (from_version = 1; from_version < store_schema_version(); from_version++) {
		fprintf(stderr, "# from schema %d\n", from_version);
		RUN(test_upgrade);
	}
	RUN(test_newer_untouched);
	return test_done("upgrade");
}
