#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "log.h"
#include "store.h"

/*
 * Migrations, applied in order on open; PRAGMA user_version records how far
 * a database has come. Never edit a released migration: add the next one.
 */
static const char *const migrations[] = {
	/* 1: notices, lots, firms, matches and the outbox */
	"CREATE TABLE notice ("
	" id INTEGER PRIMARY KEY,"
	" notice_id TEXT NOT NULL,"
	" version TEXT NOT NULL,"
	" procedure_id TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" subtype TEXT NOT NULL,"
	" title TEXT NOT NULL,"
	" buyer TEXT,"
	" published TEXT NOT NULL,"
	" deadline INTEGER,"
	" url TEXT,"
	" language TEXT,"
	" source TEXT NOT NULL,"
	" ingested_at INTEGER NOT NULL,"
	" UNIQUE (notice_id, version));"
	"CREATE INDEX notice_procedure ON notice (procedure_id);"
	"CREATE TABLE lot ("
	" id INTEGER PRIMARY KEY,"
	" notice INTEGER NOT NULL REFERENCES notice (id) ON DELETE CASCADE,"
	" lot_id TEXT NOT NULL,"
	" title TEXT,"
	" cpv TEXT NOT NULL,"
	" value REAL,"
	" currency TEXT,"
	" nuts TEXT NOT NULL,"
	" sme_suitable INTEGER,"
	" deadline INTEGER,"
	" UNIQUE (notice, lot_id));"
	"CREATE TABLE firm ("
	" id INTEGER PRIMARY KEY,"
	" orgnr TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL,"
	" email TEXT NOT NULL,"
	" cpv TEXT NOT NULL,"
	" regions TEXT NOT NULL,"
	" language TEXT NOT NULL DEFAULT 'sv',"
	" employees INTEGER,"
	" turnover INTEGER,"
	" consent_at INTEGER NOT NULL,"
	" consent_source TEXT NOT NULL,"
	" updated_at INTEGER NOT NULL);"
	"CREATE TABLE message ("
	" id INTEGER PRIMARY KEY,"
	" key TEXT NOT NULL UNIQUE,"
	" firm INTEGER REFERENCES firm (id) ON DELETE CASCADE,"
	" rcpt TEXT NOT NULL,"
	" envelope_from TEXT NOT NULL,"
	" body BLOB NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'pending'"
	"  CHECK (state IN ('pending', 'sending', 'sent', 'failed')),"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" next_attempt INTEGER NOT NULL,"
	" last_error TEXT,"
	" created_at INTEGER NOT NULL,"
	" sent_at INTEGER);"
	"CREATE INDEX message_due ON message (state, next_attempt);"
	"CREATE TABLE match ("
	" id INTEGER PRIMARY KEY,"
	" firm INTEGER NOT NULL REFERENCES firm (id) ON DELETE CASCADE,"
	" lot INTEGER NOT NULL REFERENCES lot (id) ON DELETE CASCADE,"
	" notice_id TEXT NOT NULL,"
	" lot_id TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" reason TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" message INTEGER REFERENCES message (id) ON DELETE SET NULL,"
	" UNIQUE (firm, notice_id, lot_id, kind));"
	"CREATE INDEX match_unqueued ON match (firm) WHERE message IS NULL;",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

enum stmt_id {
	ST_NOTICE_EXISTS,
	ST_NOTICE_KNOWN,
	ST_NOTICE_INSERT,
	ST_LOT_INSERT,
	ST_FIRM_FIND,
	ST_FIRM_INSERT,
	ST_FIRM_UPDATE,
	ST_FIRM_DELETE,
	ST_FIRM_ALL,
	ST_MATCH_INSERT,
	ST_MATCHES_UNQUEUED,
	ST_MESSAGE_INSERT,
	ST_MATCH_LINK,
	ST_MESSAGES_DUE,
	ST_MESSAGE_MARK,
	ST_MESSAGES_RECOVER,
	NSTMT
};

static const char *const stmt_sql[NSTMT] = {
	[ST_NOTICE_EXISTS] =
	"SELECT 1 FROM notice WHERE notice_id = ?1 AND version = ?2",
	[ST_NOTICE_KNOWN] =
	"SELECT 1 FROM notice WHERE notice_id = ?1 LIMIT 1",
	[ST_NOTICE_INSERT] =
	"INSERT INTO notice (notice_id, version, procedure_id, kind, subtype,"
	" title, buyer, published, deadline, url, language, source, ingested_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[ST_LOT_INSERT] =
	"INSERT INTO lot (notice, lot_id, title, cpv, value, currency, nuts,"
	" sme_suitable, deadline) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_FIRM_FIND] =
	"SELECT id FROM firm WHERE orgnr = ?1",
	[ST_FIRM_INSERT] =
	"INSERT INTO firm (orgnr, name, email, cpv, regions, language, employees,"
	" turnover, consent_at, consent_source, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9)",
	[ST_FIRM_UPDATE] =
	"UPDATE firm SET name = ?2, email = ?3, cpv = ?4, regions = ?5,"
	" language = ?6, employees = ?7, turnover = ?8, updated_at = ?9"
	" WHERE orgnr = ?1",
	[ST_FIRM_DELETE] =
	"DELETE FROM firm WHERE orgnr = ?1",
	[ST_FIRM_ALL] =
	"SELECT id, orgnr, name, email, cpv, regions, language, employees,"
	" turnover FROM firm ORDER BY orgnr",
	[ST_MATCH_INSERT] =
	"INSERT OR IGNORE INTO match (firm, lot, notice_id, lot_id, kind, reason,"
	" created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_MATCHES_UNQUEUED] =
	"SELECT m.id, m.kind, n.title, n.buyer, n.url, l.lot_id, l.title,"
	" m.reason, l.deadline, l.value, l.currency"
	" FROM match m JOIN lot l ON l.id = m.lot JOIN notice n ON n.id = l.notice"
	" WHERE m.firm = ?1 AND m.message IS NULL ORDER BY m.id LIMIT ?2",
	[ST_MESSAGE_INSERT] =
	"INSERT OR IGNORE INTO message (key, firm, rcpt, envelope_from, body,"
	" next_attempt, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
	[ST_MATCH_LINK] =
	"UPDATE match SET message = ?1 WHERE id = ?2 AND message IS NULL",
	[ST_MESSAGES_DUE] =
	"SELECT id, key, firm, rcpt, envelope_from, body, attempts FROM message"
	" WHERE state = 'pending' AND next_attempt <= ?1 ORDER BY id LIMIT ?2",
	[ST_MESSAGE_MARK] =
	"UPDATE message SET state = ?2, last_error = ?3,"
	" next_attempt = CASE WHEN ?2 = 'pending' THEN ?4 ELSE next_attempt END,"
	" attempts = attempts + (?2 = 'sending'),"
	" sent_at = CASE WHEN ?2 = 'sent' THEN ?5 ELSE sent_at END"
	" WHERE id = ?1",
	[ST_MESSAGES_RECOVER] =
	"UPDATE message SET state = 'pending' WHERE state = 'sending'",
};

struct store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *stmt[NSTMT];
};

static int
db_error(struct store *s, const char *what)
{
	return error("%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

/* A statement, prepared on first use and reset for this one. */
static sqlite3_stmt *
stmt(struct store *s, enum stmt_id id)
{
	sqlite3_stmt *st = s->stmt[id];

	if (!st) {
		if (sqlite3_prepare_v3(s->db, stmt_sql[id], -1,
				       SQLITE_PREPARE_PERSISTENT, &s->stmt[id],
				       NULL) != SQLITE_OK) {
			db_error(s, "prepare");
			return NULL;
		}
		return s->stmt[id];
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

static int
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

static int
schema_version(struct store *s, int *version)
{
	sqlite3_stmt *st;
	int rc = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "read schema version");
	if (sqlite3_step(st) == SQLITE_ROW) {
		*version = sqlite3_column_int(st, 0);
		rc = 0;
	} else {
		db_error(s, "read schema version");
	}
	sqlite3_finalize(st);
	return rc;
}

static int
migrate(struct store *s)
{
	char sql[64];
	int version = 0, v;

	if (schema_version(s, &version) < 0)
		return -1;
	if (version > NMIGRATIONS)
		return error("%s: schema version %d is newer than this program "
			     "knows (%d); refusing to touch it", s->path, version,
			     NMIGRATIONS);
	for (v = version; v < NMIGRATIONS; v++) {
		if (exec(s, "BEGIN IMMEDIATE") < 0)
			return -1;
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		if (exec(s, migrations[v]) < 0 || exec(s, sql) < 0) {
			store_rollback(s);
			return error("%s: migration %d failed", s->path, v + 1);
		}
		if (exec(s, "COMMIT") < 0)
			return -1;
	}
	return 0;
}

int
store_schema_version(void)
{
	return NMIGRATIONS;
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
	sqlite3_busy_timeout(s->db, 5000);
	if (exec(s, "PRAGMA journal_mode = WAL") < 0 ||
	    exec(s, "PRAGMA foreign_keys = ON") < 0 ||
	    exec(s, "PRAGMA synchronous = NORMAL") < 0 ||
	    migrate(s) < 0)
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
	size_t i;

	if (!s)
		return;
	for (i = 0; i < NSTMT; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int
store_begin(struct store *s)
{
	return exec(s, "BEGIN IMMEDIATE");
}

int
store_commit(struct store *s)
{
	return exec(s, "COMMIT");
}

void
store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (!v)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

static int
bind_time(sqlite3_stmt *st, int i, int has, time_t t)
{
	if (!has)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_int64(st, i, (sqlite3_int64)t);
}

/* Runs a statement that returns no rows. */
static int
step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(s, what);
	return 0;
}

/* 1 if the statement yields a row, 0 if not, -1 on error. */
static int
step_exists(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

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

static int
put_lots(struct store *s, const struct notice *n, int64_t notice_rowid,
	 int64_t *lot_rowids)
{
	struct buf cpv, nuts;
	sqlite3_stmt *st;
	size_t i;
	int rc = -1;

	buf_init(&cpv, 0);
	buf_init(&nuts, 0);
	for (i = 0; i < n->nlots; i++) {
		const struct lot *l = &n->lots[i];

		if (join_words(l->cpv, l->ncpv, &cpv) < 0 ||
		    join_words(l->nuts, l->nnuts, &nuts) < 0 ||
		    !(st = stmt(s, ST_LOT_INSERT)))
			goto out;
		sqlite3_bind_int64(st, 1, notice_rowid);
		bind_text(st, 2, l->id);
		bind_text(st, 3, l->title);
		bind_text(st, 4, buf_str(&cpv));
		if (l->has_value)
			sqlite3_bind_double(st, 5, l->value);
		bind_text(st, 6, l->currency);
		bind_text(st, 7, buf_str(&nuts));
		if (l->sme_suitable != LOT_SME_UNKNOWN)
			sqlite3_bind_int(st, 8, l->sme_suitable);
		bind_time(st, 9, l->has_deadline, l->deadline);
		if (step_done(s, st, "store lot") < 0)
			goto out;
		lot_rowids[i] = sqlite3_last_insert_rowid(s->db);
	}
	rc = 0;
out:
	buf_release(&cpv);
	buf_release(&nuts);
	return rc;
}

int
store_put_notice(struct store *s, const struct notice *n, const char *source,
		 time_t now, enum store_put_result *result, int64_t *lot_rowids)
{
	sqlite3_stmt *st;
	int known;

	if (!(st = stmt(s, ST_NOTICE_EXISTS)))
		return -1;
	bind_text(st, 1, n->id);
	bind_text(st, 2, n->version);
	switch (step_exists(s, st, "look up notice")) {
	case 1:
		*result = STORE_UNCHANGED;
		return 0;
	case -1:
		return -1;
	}
	if (!(st = stmt(s, ST_NOTICE_KNOWN)))
		return -1;
	bind_text(st, 1, n->id);
	if ((known = step_exists(s, st, "look up notice")) < 0)
		return -1;
	if (!(st = stmt(s, ST_NOTICE_INSERT)))
		return -1;
	bind_text(st, 1, n->id);
	bind_text(st, 2, n->version);
	bind_text(st, 3, n->procedure_id);
	bind_text(st, 4, notice_kind_name(n->kind));
	bind_text(st, 5, n->subtype);
	bind_text(st, 6, n->title);
	bind_text(st, 7, n->buyer);
	bind_text(st, 8, n->published);
	bind_time(st, 9, n->has_deadline, n->deadline);
	bind_text(st, 10, n->url);
	bind_text(st, 11, n->language);
	bind_text(st, 12, source);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)now);
	if (step_done(s, st, "store notice") < 0 ||
	    put_lots(s, n, sqlite3_last_insert_rowid(s->db), lot_rowids) < 0)
		return -1;
	*result = known ? STORE_CHANGED : STORE_NEW;
	return 0;
}

static int
bind_firm(struct store *s, sqlite3_stmt *st, const struct firm *f, time_t now)
{
	struct buf cpv, regions;
	int rc = -1;

	buf_init(&cpv, 0);
	buf_init(&regions, 0);
	if (join_words(f->cpv, f->ncpv, &cpv) < 0 ||
	    join_words(f->regions, f->nregions, &regions) < 0) {
		error("out of memory");
		goto out;
	}
	bind_text(st, 1, f->orgnr);
	bind_text(st, 2, f->name);
	bind_text(st, 3, f->email);
	bind_text(st, 4, buf_str(&cpv));
	bind_text(st, 5, buf_str(&regions));
	bind_text(st, 6, f->language);
	if (f->employees >= 0)
		sqlite3_bind_int64(st, 7, f->employees);
	if (f->turnover >= 0)
		sqlite3_bind_int64(st, 8, f->turnover);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)now);
	rc = step_done(s, st, "store firm");
out:
	buf_release(&cpv);
	buf_release(&regions);
	return rc;
}

int
store_put_firm(struct store *s, const struct firm *f, const char *source,
	       time_t now, int *created)
{
	sqlite3_stmt *st;
	int known;

	if (!(st = stmt(s, ST_FIRM_FIND)))
		return -1;
	bind_text(st, 1, f->orgnr);
	if ((known = step_exists(s, st, "look up firm")) < 0)
		return -1;
	if (!(st = stmt(s, known ? ST_FIRM_UPDATE : ST_FIRM_INSERT)))
		return -1;
	if (!known)
		bind_text(st, 10, source);
	if (bind_firm(s, st, f, now) < 0)
		return -1;
	*created = !known;
	return 0;
}

int
store_remove_firm(struct store *s, const char *orgnr, int *found)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_FIRM_DELETE)))
		return -1;
	bind_text(st, 1, orgnr);
	if (step_done(s, st, "remove firm") < 0)
		return -1;
	*found = sqlite3_changes(s->db) > 0;
	return 0;
}

/* Splits a stored space-separated list back into a vector. */
static int
split_words(const unsigned char *text, char ***vec, size_t *n)
{
	char *copy, *tok, *save = NULL;
	int rc = 0;

	if (!text)
		return 0;
	if (!(copy = strdup((const char *)text)))
		return -1;
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		if (strvec_push(vec, n, tok) < 0) {
			rc = -1;
			break;
		}
	free(copy);
	return rc;
}

static char *
column_strdup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? strdup((const char *)t) : NULL;
}

int
store_load_firms(struct store *s, struct firm_list *out)
{
	struct firm_list list = { 0 };
	struct firm *f = NULL;
	sqlite3_stmt *st;
	int rc = -1, r;

	if (!(st = stmt(s, ST_FIRM_ALL)))
		return -1;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(f = firm_new()))
			goto nomem;
		f->id = sqlite3_column_int64(st, 0);
		f->orgnr = column_strdup(st, 1);
		f->name = column_strdup(st, 2);
		f->email = column_strdup(st, 3);
		f->language = column_strdup(st, 6);
		if (!f->orgnr || !f->name || !f->email || !f->language ||
		    split_words(sqlite3_column_text(st, 4), &f->cpv, &f->ncpv) < 0 ||
		    split_words(sqlite3_column_text(st, 5), &f->regions,
				&f->nregions) < 0)
			goto nomem;
		if (sqlite3_column_type(st, 7) != SQLITE_NULL)
			f->employees = (long)sqlite3_column_int64(st, 7);
		if (sqlite3_column_type(st, 8) != SQLITE_NULL)
			f->turnover = sqlite3_column_int64(st, 8);
		if (firm_list_push(&list, f) < 0)
			goto nomem;
		f = NULL;
	}
	if (r != SQLITE_DONE) {
		db_error(s, "load firms");
		goto out;
	}
	*out = list;
	list.v = NULL;
	list.n = 0;
	rc = 0;
	goto out;
nomem:
	error("out of memory");
out:
	sqlite3_reset(st);
	firm_free(f);
	firm_list_release(&list);
	return rc;
}

int
store_put_match(struct store *s, int64_t firm_id, int64_t lot_rowid,
		const char *notice_id, const char *lot_id, const char *kind,
		const char *reason, time_t now, int *created)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MATCH_INSERT)))
		return -1;
	sqlite3_bind_int64(st, 1, firm_id);
	sqlite3_bind_int64(st, 2, lot_rowid);
	bind_text(st, 3, notice_id);
	bind_text(st, 4, lot_id);
	bind_text(st, 5, kind);
	bind_text(st, 6, reason);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)now);
	if (step_done(s, st, "store match") < 0)
		return -1;
	*created = sqlite3_changes(s->db) > 0;
	return 0;
}

void
match_items_free(struct match_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(items[i].kind);
		free(items[i].notice_title);
		free(items[i].buyer);
		free(items[i].url);
		free(items[i].lot_id);
		free(items[i].lot_title);
		free(items[i].reason);
		free(items[i].currency);
	}
	free(items);
}

int
store_unqueued_matches(struct store *s, int64_t firm_id, size_t limit,
		       struct match_item **items, size_t *n)
{
	struct match_item *v = NULL, *nv, *it;
	size_t count = 0;
	sqlite3_stmt *st;
	int r, rc = -1;

	if (!(st = stmt(s, ST_MATCHES_UNQUEUED)))
		return -1;
	sqlite3_bind_int64(st, 1, firm_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(nv = realloc(v, (count + 1) * sizeof *v)))
			goto nomem;
		v = nv;
		it = &v[count++];
		memset(it, 0, sizeof *it);
		it->match_id = sqlite3_column_int64(st, 0);
		it->kind = column_strdup(st, 1);
		it->notice_title = column_strdup(st, 2);
		it->buyer = column_strdup(st, 3);
		it->url = column_strdup(st, 4);
		it->lot_id = column_strdup(st, 5);
		it->lot_title = column_strdup(st, 6);
		it->reason = column_strdup(st, 7);
		it->currency = column_strdup(st, 10);
		if (!it->kind || !it->notice_title || !it->lot_id || !it->reason)
			goto nomem;
		if ((it->has_deadline = sqlite3_column_type(st, 8) != SQLITE_NULL))
			it->deadline = (time_t)sqlite3_column_int64(st, 8);
		if ((it->has_value = sqlite3_column_type(st, 9) != SQLITE_NULL))
			it->value = sqlite3_column_double(st, 9);
	}
	if (r != SQLITE_DONE) {
		db_error(s, "list unqueued matches");
		goto out;
	}
	*items = v;
	*n = count;
	v = NULL;
	count = 0;
	rc = 0;
	goto out;
nomem:
	error("out of memory");
out:
	sqlite3_reset(st);
	match_items_free(v, count);
	return rc;
}

int
store_queue_message(struct store *s, const struct outbox_message *m,
		    const int64_t *match_ids, size_t nmatch, time_t now)
{
	sqlite3_stmt *st;
	int64_t id;
	size_t i;

	if (!(st = stmt(s, ST_MESSAGE_INSERT)))
		return -1;
	bind_text(st, 1, m->key);
	if (m->firm_id)
		sqlite3_bind_int64(st, 2, m->firm_id);
	bind_text(st, 3, m->rcpt);
	bind_text(st, 4, m->envelope_from);
	sqlite3_bind_blob(st, 5, m->body, (int)m->len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
	if (step_done(s, st, "queue message") < 0)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return 1;
	id = sqlite3_last_insert_rowid(s->db);
	for (i = 0; i < nmatch; i++) {
		if (!(st = stmt(s, ST_MATCH_LINK)))
			return -1;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, match_ids[i]);
		if (step_done(s, st, "link match to message") < 0)
			return -1;
	}
	return 0;
}

void
outbox_messages_free(struct outbox_message *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(m[i].key);
		free(m[i].rcpt);
		free(m[i].envelope_from);
		free(m[i].body);
	}
	free(m);
}

int
store_due_messages(struct store *s, time_t now, size_t limit,
		   struct outbox_message **out, size_t *n)
{
	struct outbox_message *v = NULL, *nv, *m;
	size_t count = 0;
	sqlite3_stmt *st;
	int r, rc = -1;

	if (!(st = stmt(s, ST_MESSAGES_DUE)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const void *body;
		int len;

		if (!(nv = realloc(v, (count + 1) * sizeof *v)))
			goto nomem;
		v = nv;
		m = &v[count++];
		memset(m, 0, sizeof *m);
		m->id = sqlite3_column_int64(st, 0);
		m->key = column_strdup(st, 1);
		m->firm_id = sqlite3_column_int64(st, 2);
		m->rcpt = column_strdup(st, 3);
		m->envelope_from = column_strdup(st, 4);
		body = sqlite3_column_blob(st, 5);
		len = sqlite3_column_bytes(st, 5);
		m->attempts = sqlite3_column_int(st, 6);
		if (!m->key || !m->rcpt || !m->envelope_from ||
		    !(m->body = malloc((size_t)len + 1)))
			goto nomem;
		if (len)
			memcpy(m->body, body, (size_t)len);
		m->body[len] = '\0';
		m->len = (size_t)len;
	}
	if (r != SQLITE_DONE) {
		db_error(s, "list due messages");
		goto out;
	}
	*out = v;
	*n = count;
	v = NULL;
	count = 0;
	rc = 0;
	goto out;
nomem:
	error("out of memory");
out:
	sqlite3_reset(st);
	outbox_messages_free(v, count);
	return rc;
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

	if (!(st = stmt(s, ST_MESSAGE_MARK)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, state_names[state]);
	bind_text(st, 3, last_error);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)next_attempt);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
	return step_done(s, st, "update message");
}

int
store_recover_sending(struct store *s, int *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MESSAGES_RECOVER)))
		return -1;
	if (step_done(s, st, "recover messages") < 0)
		return -1;
	*n = sqlite3_changes(s->db);
	return 0;
}
