/*
 * The staff's accounts, one-time links, sessions and the audit log
 * (staff.o is the staff's pages: ar keeps members by base name).
 */
#include <stdlib.h>

#include "log.h"
#include "store_impl.h"

enum stmt_id {
	ST_ADD,
	ST_ACCOUNTS,
	ST_REMOVE,
	ST_PASSWORD,
	ST_SET_PASSWORD,
	ST_LINKS_END,
	ST_SESSIONS_END,
	ST_LINK_PUT,
	ST_LINK_ACCOUNT,
	ST_SESSION_PUT,
	ST_SESSION,
	ST_SESSION_TOUCH,
	ST_SESSION_END,
	ST_SESSIONS_EXPIRE,
	ST_AUDIT,
	ST_AUDIT_LIST,
	NSTMT
};

#define ACCOUNT_COLUMNS \
	"a.id, a.name, a.role, a.lang, a.password IS NOT NULL, a.created_at"

static const char *const stmt_sql[NSTMT] = {
	[ST_ADD] =
	"INSERT INTO staff_account (name, role, lang, created_at)"
	" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO NOTHING",
	[ST_ACCOUNTS] =
	"SELECT " ACCOUNT_COLUMNS " FROM staff_account a ORDER BY a.name",
	[ST_REMOVE] =
	"DELETE FROM staff_account WHERE name = ?1",
	[ST_PASSWORD] =
	"SELECT id, password FROM staff_account WHERE name = ?1",
	[ST_SET_PASSWORD] =
	"UPDATE staff_account SET password = ?2 WHERE id = ?1",
	[ST_LINKS_END] =
	"DELETE FROM staff_link WHERE account = ?1",
	[ST_SESSIONS_END] =
	"DELETE FROM staff_session WHERE account = ?1",
	[ST_LINK_PUT] =
	"INSERT INTO staff_link (digest, account, expires_at, created_at)"
	" VALUES (?1, ?2, ?3, ?4)",
	[ST_LINK_ACCOUNT] =
	"SELECT " ACCOUNT_COLUMNS " FROM staff_link l"
	" JOIN staff_account a ON a.id = l.account"
	" WHERE l.digest = ?1 AND l.expires_at > ?2",
	[ST_SESSION_PUT] =
	"INSERT INTO staff_session (digest, account, csrf, created_at, last_seen)"
	" VALUES (?1, ?2, ?3, ?4, ?4)",
	[ST_SESSION] =
	"SELECT a.id, a.name, a.role, a.lang, s.csrf FROM staff_session s"
	" JOIN staff_account a ON a.id = s.account"
	" WHERE s.digest = ?1 AND s.last_seen > ?2 AND s.created_at > ?3",
	[ST_SESSION_TOUCH] =
	"UPDATE staff_session SET last_seen = ?2 WHERE digest = ?1",
	[ST_SESSION_END] =
	"DELETE FROM staff_session WHERE digest = ?1",
	[ST_SESSIONS_EXPIRE] =
	"DELETE FROM staff_session WHERE last_seen <= ?1 OR created_at <= ?2",
	[ST_AUDIT] =
	"INSERT INTO staff_audit (at, who, action, object, client)"
	" VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_AUDIT_LIST] =
	"SELECT at, who, action, object, client FROM staff_audit"
	" ORDER BY id DESC LIMIT ?1 OFFSET ?2",
};

static const struct stmt_table stmts = { STMT_STAFF, stmt_sql, NSTMT };

#define ROW struct staff_account
static const struct column account_columns[] = {
	C_INT64(id), C_NEEDED(name), C_NEEDED(role), C_NEEDED(lang),
	C_INT(has_password), C_TIME(created_at),
};
static const struct row_type account_rows = ROW_TYPE(account_columns, NULL);
#undef ROW

/* What a login compares, apart from what the pages show. */
struct password_row {
	int64_t id;
	char *hash;
};

#define ROW struct password_row
static const struct column password_columns[] = {
	C_INT64(id), C_TEXT(hash),
};
static const struct row_type password_rows = ROW_TYPE(password_columns, NULL);
#undef ROW

#define ROW struct staff_session
static const struct column session_columns[] = {
	C_INT64(account), C_NEEDED(name), C_NEEDED(role), C_NEEDED(lang),
	C_NEEDED(csrf),
};
static const struct row_type session_rows = ROW_TYPE(session_columns, NULL);
#undef ROW

#define ROW struct staff_audit_entry
static const struct column audit_columns[] = {
	C_TIME(at), C_NEEDED(who), C_NEEDED(action), C_NEEDED(object),
	C_NEEDED(client),
};
static const struct row_type audit_rows = ROW_TYPE(audit_columns, NULL);
#undef ROW

void
staff_accounts_free(struct staff_account *a, size_t n)
{
	free_rows(&account_rows, a, n);
}

int
store_staff_add(struct store *s, const char *name, const char *role,
		const char *lang, time_t now, int64_t *id)
{
	int added;

	if (step_changed(s, query(s, &stmts, ST_ADD,
				  ARGS(ARG_TEXT(name), ARG_TEXT(role),
				       ARG_TEXT(lang), ARG_INT(now))),
			 "add staff account", &added) < 0)
		return -1;
	*id = added ? sqlite3_last_insert_rowid(s->db) : 0;
	return 0;
}

int
store_staff_accounts(struct store *s, struct staff_account **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_ACCOUNTS, NO_ARGS),
			 &account_rows, (void **)out, n, "list staff accounts");
}

int
store_staff_remove(struct store *s, const char *name, int *found)
{
	return step_changed(s, query(s, &stmts, ST_REMOVE,
				     ARGS(ARG_TEXT(name))),
			    "remove staff account", found);
}

int
store_staff_password(struct store *s, const char *name, int64_t *id,
		     char **hash)
{
	struct password_row r = { 0 };
	int found = read_row(s, query(s, &stmts, ST_PASSWORD,
				      ARGS(ARG_TEXT(name))),
			     &password_rows, &r, "read staff password");

	if (found < 0)
		return -1;
	*id = r.id;
	*hash = r.hash;
	return 0;
}

/* The account's links and sessions end. */
static int
end_account(struct store *s, int64_t id)
{
	return step_done(s, query(s, &stmts, ST_LINKS_END, ARGS(ARG_INT(id))),
			 "end staff links") < 0 ||
	       step_done(s, query(s, &stmts, ST_SESSIONS_END,
				  ARGS(ARG_INT(id))),
			 "end staff sessions") < 0 ? -1 : 0;
}

/* The password becomes hash (NULL: none) and the account starts afresh. */
static int
set_password(struct store *s, int64_t id, const char *hash)
{
	if (store_begin(s) < 0)
		return -1;
	if (step_done(s, query(s, &stmts, ST_SET_PASSWORD,
			       ARGS(ARG_INT(id), ARG_TEXT(hash))),
		      "set staff password") < 0 ||
	    end_account(s, id) < 0 || store_commit(s) < 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

int
store_staff_reset(struct store *s, int64_t id)
{
	return set_password(s, id, NULL);
}

int
store_staff_link_put(struct store *s, int64_t account, const char *digest,
		     time_t expires, time_t now)
{
	if (store_begin(s) < 0)
		return -1;
	if (step_done(s, query(s, &stmts, ST_LINKS_END,
			       ARGS(ARG_INT(account))), "end staff links") < 0 ||
	    step_done(s, query(s, &stmts, ST_LINK_PUT,
			       ARGS(ARG_TEXT(digest), ARG_INT(account),
				    ARG_INT(expires), ARG_INT(now))),
		      "store staff link") < 0 ||
	    store_commit(s) < 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

int
store_staff_link_account(struct store *s, const char *digest, time_t now,
			 struct staff_account **out)
{
	struct staff_account *a = calloc(1, sizeof *a);
	int found;

	*out = NULL;
	if (!a)
		return error("out of memory");
	found = read_row(s, query(s, &stmts, ST_LINK_ACCOUNT,
				  ARGS(ARG_TEXT(digest), ARG_INT(now))),
			 &account_rows, a, "read staff link");
	if (found > 0)
		*out = a;
	else
		free(a);
	return found < 0 ? -1 : 0;
}

int
store_staff_link_use(struct store *s, const char *digest, const char *hash,
		     time_t now, int64_t *account)
{
	struct staff_account *a;

	*account = 0;
	if (store_staff_link_account(s, digest, now, &a) < 0)
		return -1;
	if (!a)
		return 0;
	*account = a->id;
	staff_accounts_free(a, 1);
	return set_password(s, *account, hash);
}

void
staff_session_free(struct staff_session *p)
{
	free_rows(&session_rows, p, p ? 1 : 0);
}

int
store_staff_session_put(struct store *s, const char *digest, int64_t account,
			const char *csrf, time_t now)
{
	return step_done(s, query(s, &stmts, ST_SESSION_PUT,
				  ARGS(ARG_TEXT(digest), ARG_INT(account),
				       ARG_TEXT(csrf), ARG_INT(now))),
			 "store staff session");
}

int
store_staff_session(struct store *s, const char *digest, time_t now,
		    long idle, long lifetime, struct staff_session **out)
{
	struct staff_session *p = calloc(1, sizeof *p);
	int found;

	*out = NULL;
	if (!p)
		return error("out of memory");
	found = read_row(s, query(s, &stmts, ST_SESSION,
				  ARGS(ARG_TEXT(digest), ARG_INT(now - idle),
				       ARG_INT(now - lifetime))),
			 &session_rows, p, "read staff session");
	if (found <= 0) {
		free(p);
		/* the sessions past their time go, this one with them */
		return found < 0 ||
		       step_done(s, query(s, &stmts, ST_SESSIONS_EXPIRE,
					  ARGS(ARG_INT(now - idle),
					       ARG_INT(now - lifetime))),
				 "expire staff sessions") < 0 ? -1 : 0;
	}
	if (step_done(s, query(s, &stmts, ST_SESSION_TOUCH,
			       ARGS(ARG_TEXT(digest), ARG_INT(now))),
		      "touch staff session") < 0) {
		staff_session_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

int
store_staff_session_end(struct store *s, const char *digest)
{
	return step_done(s, query(s, &stmts, ST_SESSION_END,
				  ARGS(ARG_TEXT(digest))),
			 "end staff session");
}

void
staff_audit_free(struct staff_audit_entry *e, size_t n)
{
	free_rows(&audit_rows, e, n);
}

int
store_staff_audit(struct store *s, const char *who, const char *action,
		  const char *object, const char *client, time_t now)
{
	return step_done(s, query(s, &stmts, ST_AUDIT,
				  ARGS(ARG_INT(now), ARG_TEXT(who),
				       ARG_TEXT(action),
				       ARG_TEXT(object ? object : ""),
				       ARG_TEXT(client))),
			 "record staff action");
}

int
store_staff_audit_list(struct store *s, long offset, long limit,
		       struct staff_audit_entry **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_AUDIT_LIST,
				  ARGS(ARG_INT(limit), ARG_INT(offset))),
			 &audit_rows, (void **)out, n, "list staff actions");
}
