/*
 * The procurement plan: the unit's entries, the notices proposed as what
 * an entry became, and the firms told of an entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "plan.h"
#include "store_impl.h"

/* An entry as struct plan reads it: status and divisible as the enums. */
#define PLANS \
	"SELECT id, ref, title, description, categories, cpv, value, announce," \
	" contract_start," \
	" CASE divisible WHEN 'yes' THEN 1 WHEN 'no' THEN 2 ELSE 0 END," \
	" contact, CASE status WHEN 'planned' THEN 0 WHEN 'postponed' THEN 1" \
	"  WHEN 'dropped' THEN 2 ELSE 3 END," \
	" why, notice_id, linked, created_at, updated_at FROM plan"
#define OPEN "status IN ('planned', 'postponed')"

enum stmt_id {
	ST_INSERT,
	ST_NAME,
	ST_UPDATE,
	ST_PLANS,
	ST_LINK,
	ST_TO_OPEN,
	ST_OPENED,
	ST_CANDIDATES,
	ST_PROPOSE,
	ST_PROPOSALS,
	NSTMT
};

static const char *const stmt_sql[NSTMT] = {
	[ST_INSERT] =
	"INSERT INTO plan (ref, title, description, categories, cpv, value,"
	" announce, contract_start, divisible, contact, status, why,"
	" created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
	[ST_NAME] =
	"UPDATE plan SET notice_id = 'plan-' || id WHERE id = ?1",
	[ST_UPDATE] =
	"UPDATE plan SET ref = ?1, title = ?2, description = ?3,"
	" categories = ?4, cpv = ?5, value = ?6, announce = ?7,"
	" contract_start = ?8, divisible = ?9, contact = ?10, status = ?11,"
	" why = ?12, updated_at = ?13 WHERE id = ?14",
	[ST_PLANS] =
	PLANS " WHERE (?1 IS NULL OR id = ?1) AND (?2 IS NULL OR ref = ?2)"
	" AND (?3 IS NULL OR notice_id = ?3)"
	" ORDER BY " OPEN " DESC, substr(announce, 1, 4), CASE"
	" WHEN substr(announce, 6, 1) = 'Q'"
	"  THEN 3 * CAST(substr(announce, 7, 1) AS INTEGER) - 2"
	" ELSE CAST(substr(announce, 6, 2) AS INTEGER) END, id",
	/* a new link is told anew; the proposals have served */
	[ST_LINK] =
	"UPDATE plan SET linked = ?2, opened_at = NULL, updated_at = ?3,"
	" status = CASE WHEN ?2 IS NULL THEN 'planned' ELSE 'published' END"
	" WHERE id = ?1 AND status <> 'dropped'",
	[ST_TO_OPEN] =
	PLANS " WHERE linked IS NOT NULL AND opened_at IS NULL ORDER BY id",
	[ST_OPENED] =
	"UPDATE plan SET opened_at = ?2 WHERE id = ?1",
	[ST_CANDIDATES] =
	"SELECT n.notice_id, n.title, n.cpv, n.kind, " PUBLISHED("n")
	" FROM notice n WHERE n.superseded_by IS NULL"
	" AND n.kind IN ('planning', 'competition')"
	" AND n.subtype NOT IN ('plan', 'rfi')"
	" AND instr(' ' || ?1 || ' ', ' ' || n.buyer_id || ' ') > 0"
	" AND " PUBLISHED("n") " >= ?2"
	" AND NOT EXISTS (SELECT 1 FROM plan p WHERE p.linked = n.notice_id)"
	" ORDER BY n.published, n.notice_id",
	[ST_PROPOSE] =
	"INSERT INTO plan_proposal (plan, notice_id, score, proposed_at)"
	" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (plan, notice_id)"
	" DO UPDATE SET score = excluded.score",
	[ST_PROPOSALS] =
	"SELECT r.plan, r.notice_id, n.title, n.kind, r.score"
	" FROM plan_proposal r JOIN plan p ON p.id = r.plan"
	" JOIN notice n ON n.notice_id = r.notice_id AND n.superseded_by IS NULL"
	" WHERE p." OPEN " AND (?1 IS NULL OR r.plan = ?1)"
	" AND NOT EXISTS (SELECT 1 FROM plan q WHERE q.linked = r.notice_id)"
	" ORDER BY r.plan, r.score DESC, r.notice_id",
};

static const struct stmt_table stmts = { STMT_PLAN, stmt_sql, NSTMT };

static const char *const divisible_names[] = { "undecided", "yes", "no" };

/* An entry's fields as ?1 to ?12, the time of the change as ?13. */
#define PLAN_ARGS(p, now) \
	ARG_TEXT((p)->ref), ARG_TEXT((p)->title), ARG_TEXT((p)->description), \
	ARG_TEXT((p)->categories), ARG_TEXT((p)->cpv),			\
	ARG_DOUBLE_IF((p)->has_value, (p)->value), ARG_TEXT((p)->announce), \
	ARG_TEXT((p)->contract_start),					\
	ARG_TEXT(divisible_names[(p)->divisible % 3]), ARG_TEXT((p)->contact), \
	ARG_TEXT(plan_status_name((p)->status)), ARG_TEXT((p)->why),	\
	ARG_INT(now)

int
store_plan_put(struct store *s, struct plan *p, time_t now)
{
	char id[32];

	if (step_done(s, query(s, &stmts, ST_INSERT,
			       ARGS(PLAN_ARGS(p, now))), "store plan entry") < 0)
		return -1;
	p->id = sqlite3_last_insert_rowid(s->db);
	snprintf(id, sizeof id, "plan-%lld", (long long)p->id);
	free(p->notice_id);
	if (!(p->notice_id = strdup(id)))
		return error("out of memory");
	p->created_at = p->updated_at = now;
	return step_done(s, query(s, &stmts, ST_NAME, ARGS(ARG_INT(p->id))),
			 "name plan entry");
}

int
store_plan_update(struct store *s, const struct plan *p, time_t now,
		  int *found)
{
	return step_changed(s, query(s, &stmts, ST_UPDATE,
				     ARGS(PLAN_ARGS(p, now), ARG_INT(p->id))),
			    "change plan entry", found);
}

#define ROW struct plan
static const struct column plan_columns[] = {
	C_INT64(id), C_TEXT(ref), C_NEEDED(title), C_TEXT(description),
	C_TEXT(categories), C_TEXT(cpv), C_DOUBLE_IF(value, has_value),
	C_NEEDED(announce), C_TEXT(contract_start), C_INT(divisible),
	C_NEEDED(contact), C_INT(status), C_TEXT(why), C_TEXT(notice_id),
	C_TEXT(linked), C_TIME(created_at), C_TIME(updated_at),
};
static const struct row_type plan_rows = ROW_TYPE(plan_columns, NULL);
#undef ROW

void
plans_free(struct plan *v, size_t n)
{
	free_rows(&plan_rows, v, n);
}

int
store_plans(struct store *s, int64_t id, const char *ref,
	    const char *notice_id, struct plan **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_PLANS,
				  ARGS(ARG_INT_IF(id, id), ARG_TEXT(ref),
				       ARG_TEXT(notice_id))),
			 &plan_rows, (void **)out, n, "list the plan");
}

int
store_plan_link(struct store *s, int64_t id, const char *notice_id,
		time_t now, int *found)
{
	return step_changed(s, query(s, &stmts, ST_LINK,
				     ARGS(ARG_INT(id), ARG_TEXT(notice_id),
					  ARG_INT(now))),
			    "link plan entry", found);
}

int
store_plans_to_open(struct store *s, struct plan **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_TO_OPEN, NO_ARGS), &plan_rows,
			 (void **)out, n, "list plan entries opened");
}

int
store_plan_opened(struct store *s, int64_t id, time_t now)
{
	return step_done(s, query(s, &stmts, ST_OPENED,
				  ARGS(ARG_INT(id), ARG_INT(now))),
			 "mark plan entry told");
}

#define ROW struct plan_candidate
static const struct column candidate_columns[] = {
	C_NEEDED(notice_id), C_NEEDED(title), C_TEXT(cpv), C_NEEDED(kind),
	C_TIME(published),
};
static const struct row_type candidate_rows =
	ROW_TYPE(candidate_columns, NULL);
#undef ROW

void
plan_candidates_free(struct plan_candidate *c, size_t n)
{
	free_rows(&candidate_rows, c, n);
}

int
store_plan_candidates(struct store *s, char *const *buyers, time_t since,
		      struct plan_candidate **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_CANDIDATES,
				  ARGS(ARG_WORDS(buyers, count_words(buyers)),
				       ARG_INT(since))),
			 &candidate_rows, (void **)out, n,
			 "list notices a plan entry may have become");
}

int
store_plan_propose(struct store *s, int64_t plan_id, const char *notice_id,
		   double score, time_t now)
{
	return step_done(s, query(s, &stmts, ST_PROPOSE,
				  ARGS(ARG_INT(plan_id), ARG_TEXT(notice_id),
				       ARG_DOUBLE(score), ARG_INT(now))),
			 "propose a link");
}

#define ROW struct plan_proposal
static const struct column proposal_columns[] = {
	C_INT64(plan_id), C_NEEDED(notice_id), C_NEEDED(title), C_NEEDED(kind),
	C_DOUBLE(score),
};
static const struct row_type proposal_rows = ROW_TYPE(proposal_columns, NULL);
#undef ROW

void
plan_proposals_free(struct plan_proposal *p, size_t n)
{
	free_rows(&proposal_rows, p, n);
}

int
store_plan_proposals(struct store *s, int64_t plan_id,
		     struct plan_proposal **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_PROPOSALS,
				  ARGS(ARG_INT_IF(plan_id, plan_id))),
			 &proposal_rows, (void **)out, n, "list proposed links");
}
