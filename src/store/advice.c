/*
 * The unit's decisions on dividing a procurement into lots (LOU 4 kap.
 * 14 §), kept for the procurement's file, and their counts for the
 * report.
 */
#include <stdlib.h>

#include "store_impl.h"

enum stmt_id {
	ST_DECISION_INSERT,
	ST_DECISIONS,
	ST_DECISION_COUNTS,
	NSTMT
};

static const char *const stmt_sql[NSTMT] = {
	[ST_DECISION_INSERT] =
	"INSERT INTO split_decision (notice_id, decision, parts, reasons, note,"
	" decided_by, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	/* newest first: the first is in force */
	[ST_DECISIONS] =
	"SELECT id, notice_id, decision, parts, reasons, note, decided_by,"
	" decided_at FROM split_decision WHERE notice_id = ?1"
	" ORDER BY decided_at DESC, id DESC",
	/*
	 * The decision in force on each notice at the end of [?1, ?2), if
	 * made in it: one row per decision with its count (reason NULL),
	 * and one per reason of those not divided.
	 */
	[ST_DECISION_COUNTS] =
	"WITH last AS (SELECT d.* FROM split_decision d"
	"  WHERE d.decided_at >= ?1 AND d.decided_at < ?2 AND NOT EXISTS"
	"  (SELECT 1 FROM split_decision e WHERE e.notice_id = d.notice_id"
	"   AND e.decided_at < ?2 AND (e.decided_at > d.decided_at"
	"    OR (e.decided_at = d.decided_at AND e.id > d.id)))),"
	" words (id, decision, rest, word) AS ("
	"  SELECT id, decision, reasons || ' ', NULL FROM last"
	"  UNION ALL SELECT id, decision, substr(rest, instr(rest, ' ') + 1),"
	"  substr(rest, 1, instr(rest, ' ') - 1) FROM words WHERE rest <> '')"
	" SELECT decision, NULL, count(*) FROM last GROUP BY decision"
	" UNION ALL SELECT decision, word, count(*) FROM words"
	"  WHERE word IS NOT NULL AND word <> '' GROUP BY decision, word"
	" ORDER BY 1, 2",
};

static const struct stmt_table stmts = { STMT_ADVICE, stmt_sql, NSTMT };

int
store_put_split_decision(struct store *s, const struct split_decision *d,
			 int64_t *id)
{
	if (step_done(s, query(s, &stmts, ST_DECISION_INSERT,
			       ARGS(ARG_TEXT(d->notice_id),
				    ARG_TEXT(d->decision), ARG_TEXT(d->parts),
				    ARG_TEXT(d->reasons ? d->reasons : ""),
				    ARG_TEXT(d->note), ARG_TEXT(d->decided_by),
				    ARG_INT(d->decided_at))),
		      "record a split decision") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

#define ROW struct split_decision
static const struct column decision_columns[] = {
	C_INT64(id), C_NEEDED(notice_id), C_NEEDED(decision), C_TEXT(parts),
	C_TEXT(reasons), C_TEXT(note), C_NEEDED(decided_by), C_TIME(decided_at),
};
static const struct row_type decision_rows = ROW_TYPE(decision_columns, NULL);
#undef ROW

void
split_decisions_free(struct split_decision *d, size_t n)
{
	free_rows(&decision_rows, d, n);
}

int
store_split_decisions(struct store *s, const char *notice_id,
		      struct split_decision **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_DECISIONS,
				  ARGS(ARG_TEXT(notice_id))),
			 &decision_rows, (void **)out, n,
			 "list split decisions");
}

#define ROW struct split_decision_count
static const struct column count_columns[] = {
	C_NEEDED(decision), C_TEXT(reason), C_LLONG(count),
};
static const struct row_type count_rows = ROW_TYPE(count_columns, NULL);
#undef ROW

void
split_decision_counts_free(struct split_decision_count *c, size_t n)
{
	free_rows(&count_rows, c, n);
}

int
store_split_decision_counts(struct store *s, time_t from, time_t to,
			    struct split_decision_count **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_DECISION_COUNTS,
				  ARGS(ARG_INT(from), ARG_INT(to))),
			 &count_rows, (void **)out, n,
			 "count split decisions");
}
