/*
 * The unit's own notices added by their link: what it gave, each link
 * once, and their withdrawal.
 */
#include <stdio.h>
#include <stdlib.h>

#include "store_impl.h"

enum stmt_id {
	ST_OWN_INSERT,
	ST_OWN_NAME,
	ST_OWN_GET,
	ST_OWN_LIST,
	ST_OWN_WITHDRAW,
	NSTMT
};

#define OWN_COLUMNS \
	"SELECT notice_id, url, title, description, kind, categories, cpv," \
	" deadline, value, added_by, created_at, coalesce(withdrawn_at, 0)," \
	" why FROM own_notice"

static const char *const stmt_sql[NSTMT] = {
	[ST_OWN_INSERT] =
	"INSERT INTO own_notice (url, title, description, kind, categories,"
	" cpv, deadline, value, added_by, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_OWN_NAME] =
	"UPDATE own_notice SET notice_id = ?2 WHERE id = ?1",
	/* each from its unique index */
	[ST_OWN_GET] =
	OWN_COLUMNS " WHERE notice_id = ?1 OR (?1 IS NULL AND url = ?2)",
	[ST_OWN_LIST] =
	OWN_COLUMNS " ORDER BY id DESC LIMIT ?1",
	[ST_OWN_WITHDRAW] =
	"UPDATE own_notice SET withdrawn_at = ?2, why = ?3"
	" WHERE notice_id = ?1"
	" AND withdrawn_at IS NULL",
};

static const struct stmt_table stmts = { STMT_OWN, stmt_sql, NSTMT };

#define ROW struct own_notice_row
static const struct column own_columns[] = {
	C_NEEDED(notice_id), C_NEEDED(url), C_NEEDED(title),
	C_TEXT(description), C_NEEDED(kind), C_NEEDED(categories),
	C_NEEDED(cpv), C_TIME_IF(deadline, has_deadline),
	C_DOUBLE_IF(value, has_value), C_NEEDED(added_by), C_TIME(created_at),
	C_TIME(withdrawn_at), C_TEXT(why),
};
static const struct row_type own_rows = ROW_TYPE(own_columns, NULL);
#undef ROW

void
own_notice_rows_free(struct own_notice_row *r, size_t n)
{
	free_rows(&own_rows, r, n);
}

int
store_put_own_notice(struct store *s, const struct own_notice_row *r,
		     char *notice_id, size_t len)
{
	sqlite3_int64 id;

	if (step_done(s, query(s, &stmts, ST_OWN_INSERT,
			       ARGS(ARG_TEXT(r->url), ARG_TEXT(r->title),
				    ARG_TEXT(r->description),
				    ARG_TEXT(r->kind),
				    ARG_TEXT(r->categories),
				    ARG_TEXT(r->cpv),
				    ARG_INT_IF(r->has_deadline, r->deadline),
				    ARG_DOUBLE_IF(r->has_value, r->value),
				    ARG_TEXT(r->added_by),
				    ARG_INT(r->created_at))),
		      "store own notice") < 0)
		return -1;
	id = sqlite3_last_insert_rowid(s->db);
	snprintf(notice_id, len, "own-%lld", (long long)id);
	return step_done(s, query(s, &stmts, ST_OWN_NAME,
				  ARGS(ARG_INT(id), ARG_TEXT(notice_id))),
			 "name own notice");
}

int
store_own_notice(struct store *s, const char *notice_id, const char *url,
		 struct own_notice_row **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_OWN_GET,
				  ARGS(ARG_TEXT(notice_id), ARG_TEXT(url))),
			 &own_rows, (void **)out, n, "read own notice");
}

int
store_own_notices(struct store *s, size_t limit, struct own_notice_row **out,
		  size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_OWN_LIST,
				  ARGS(ARG_INT(limit))),
			 &own_rows, (void **)out, n, "list own notices");
}

int
store_withdraw_own_notice(struct store *s, const char *notice_id,
			  const char *why, time_t now, int *found)
{
	return step_changed(s, query(s, &stmts, ST_OWN_WITHDRAW,
				     ARGS(ARG_TEXT(notice_id), ARG_INT(now),
					  ARG_TEXT(why))),
			    "withdraw own notice", found);
}
