/*
 * What firms say of the service: whether a match they were mailed about
 * was relevant, and how an information meeting they came to was. One
 * answer per match and per registration; a new answer takes the place
 * of the one before.
 */

#include "store_impl.h"

enum stmt_id {
	ST_MATCH_ANSWER,
	ST_PUT_MATCH_ANSWER,
	ST_SURVEY_ANSWER,
	ST_PUT_SURVEY_ANSWER,
	ST_SURVEY_ANSWERS,
	NSTMT
};

#define SURVEY_ANSWERS \
	"SELECT s.registration, coalesce(f.orgnr, r.orgnr)," \
	" coalesce(f.name, r.name), s.rating, s.comment, s.first_at," \
	" s.answered_at FROM meeting_survey s" \
	" JOIN meeting_registration r ON r.id = s.registration" \
	" LEFT JOIN firm f ON f.id = r.firm"

static const char *const stmt_sql[NSTMT] = {
	/* the lot's own title only when it is not the notice's or its id */
	[ST_MATCH_ANSWER] =
	"SELECT m.id, m.firm, f.name, n.title,"
	" CASE WHEN l.title IS NULL OR l.title IN (n.title, l.lot_id) THEN NULL"
	"  ELSE l.title END,"
	" a.match IS NOT NULL, coalesce(a.relevant, 0), a.comment,"
	" coalesce(a.answered_at, 0)"
	" FROM match m JOIN firm f ON f.id = m.firm"
	" JOIN lot l ON l.id = m.lot JOIN notice n ON n.id = l.notice"
	" LEFT JOIN match_feedback a ON a.match = m.id WHERE m.id = ?1",
	[ST_PUT_MATCH_ANSWER] =
	"INSERT INTO match_feedback (match, relevant, comment, answered_at)"
	" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (match) DO UPDATE SET"
	" relevant = excluded.relevant, comment = excluded.comment,"
	" answered_at = excluded.answered_at",
	[ST_SURVEY_ANSWER] = SURVEY_ANSWERS " WHERE s.registration = ?1",
	[ST_PUT_SURVEY_ANSWER] =
	"INSERT INTO meeting_survey (registration, rating, comment, first_at,"
	" answered_at) VALUES (?1, ?2, ?3, ?4, ?4)"
	" ON CONFLICT (registration) DO UPDATE SET rating = excluded.rating,"
	" comment = excluded.comment, answered_at = excluded.answered_at",
	[ST_SURVEY_ANSWERS] =
	SURVEY_ANSWERS " WHERE r.meeting = ?1"
	" ORDER BY s.answered_at DESC, s.registration DESC",
};

static const struct stmt_table stmts = { STMT_FEEDBACK, stmt_sql, NSTMT };

#define ROW struct match_answer
static const struct column match_answer_columns[] = {
	C_INT64(match_id), C_INT64(firm_id), C_NEEDED(firm_name),
	C_NEEDED(notice_title), C_TEXT(lot_title), C_INT(answered),
	C_INT(relevant), C_TEXT(comment), C_TIME(answered_at),
};
static const struct row_type match_answer_rows =
	ROW_TYPE(match_answer_columns, NULL);
#undef ROW

#define ROW struct survey_answer
static const struct column survey_answer_columns[] = {
	C_INT64(registration_id), C_TEXT(orgnr), C_TEXT(name), C_INT(rating),
	C_TEXT(comment), C_TIME(first_at), C_TIME(answered_at),
};
static const struct row_type survey_answer_rows =
	ROW_TYPE(survey_answer_columns, NULL);
#undef ROW

void
match_answers_free(struct match_answer *a, size_t n)
{
	free_rows(&match_answer_rows, a, n);
}

void
survey_answers_free(struct survey_answer *a, size_t n)
{
	free_rows(&survey_answer_rows, a, n);
}

int
store_match_answer(struct store *s, int64_t match_id,
		   struct match_answer **out)
{
	return read_new_row(s, query(s, &stmts, ST_MATCH_ANSWER,
				     ARGS(ARG_INT(match_id))),
			    &match_answer_rows, (void **)out,
			    "read a match's answer");
}

int
store_put_match_answer(struct store *s, int64_t match_id, int relevant,
		       const char *comment, time_t now)
{
	return step_done(s, query(s, &stmts, ST_PUT_MATCH_ANSWER,
				  ARGS(ARG_INT(match_id), ARG_INT(relevant != 0),
				       ARG_TEXT(comment && *comment ? comment :
						NULL),
				       ARG_INT(now))),
			 "record a match's answer");
}

int
store_survey_answer(struct store *s, int64_t registration_id,
		    struct survey_answer **out)
{
	return read_new_row(s, query(s, &stmts, ST_SURVEY_ANSWER,
				     ARGS(ARG_INT(registration_id))),
			    &survey_answer_rows, (void **)out,
			    "read a survey answer");
}

int
store_put_survey_answer(struct store *s, int64_t registration_id, int rating,
			const char *comment, time_t now)
{
	return step_done(s, query(s, &stmts, ST_PUT_SURVEY_ANSWER,
				  ARGS(ARG_INT(registration_id), ARG_INT(rating),
				       ARG_TEXT(comment && *comment ? comment :
						NULL),
				       ARG_INT(now))),
			 "record a survey answer");
}

int
store_survey_answers(struct store *s, int64_t meeting_id,
		     struct survey_answer **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_SURVEY_ANSWERS,
				  ARGS(ARG_INT(meeting_id))),
			 &survey_answer_rows, (void **)out, n,
			 "list survey answers");
}
