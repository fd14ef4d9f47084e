/*
 * The firm register as näringslivsenheten and the procurement unit read
 * it: firms found by name, organisation number, category or municipality,
 * a page at a time, and one firm's history with the procurements.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_impl.h"

#define FIRM_ENTRY_COLUMNS \
	"SELECT id, orgnr, name, email, municipality, categories," \
	" consent_at, confirmed_at IS NOT NULL, unsubscribed_at IS NOT NULL" \
	" FROM firm"
/* The current version's title of a notice id. */
#define NOTICE_TITLE(id) \
	"(SELECT t.title FROM notice t WHERE t.notice_id = " id \
	" AND t.superseded_by IS NULL)"

enum stmt_id {
	ST_FIRM_SEARCH,
	ST_FIRM_ENTRY,
	ST_FIRM_HISTORY,
	NSTMT
};

static const char *const stmt_sql[NSTMT] = {
	/* Text is a part of the name, any case of ASCII letters, or digits
	 * of the organisation number, with or without its hyphen. */
	[ST_FIRM_SEARCH] =
	FIRM_ENTRY_COLUMNS
	" WHERE (?1 IS NULL OR instr(lower(name), lower(?1)) > 0"
	"  OR (length(replace(?1, '-', '')) > 0"
	"   AND instr(replace(orgnr, '-', ''), replace(?1, '-', '')) > 0))"
	" AND (?2 IS NULL OR instr(' ' || categories || ' ', ' ' || ?2 || ' ') > 0)"
	" AND (?3 IS NULL OR municipality = ?3)"
	" ORDER BY name, orgnr LIMIT ?4 OFFSET ?5",
	[ST_FIRM_ENTRY] =
	FIRM_ENTRY_COLUMNS " WHERE orgnr = ?1",
	/*
	 * What a firm did in the procurements, newest first: mailed about a
	 * notice (once, when first), registered for and attended meetings
	 * that were held, answered RFIs, bid, and won per award notice.
	 */
	[ST_FIRM_HISTORY] =
	"SELECT what, at, notice_id, title FROM ("
	" SELECT 'alerted' AS what, min(g.sent_at) AS at, m.notice_id,"
	"  " NOTICE_TITLE("m.notice_id") " AS title"
	"  FROM match m JOIN message g ON g.id = m.message"
	"  WHERE m.firm = ?1 AND g.state = 'sent' GROUP BY m.notice_id"
	" UNION ALL SELECT 'registered', r.registered_at, mt.notice_id, mt.title"
	"  FROM meeting_registration r JOIN meeting mt ON mt.id = r.meeting"
	"  WHERE r.firm = ?1 AND r.registered_at IS NOT NULL"
	"  AND r.cancelled_at IS NULL AND mt.cancelled = 0"
	" UNION ALL SELECT 'attended', mt.starts_at, mt.notice_id, mt.title"
	"  FROM meeting_registration r JOIN meeting mt ON mt.id = r.meeting"
	"  WHERE r.firm = ?1 AND r.attended = 1 AND mt.cancelled = 0"
	" UNION ALL SELECT 'answered', a.answered_at, a.notice_id,"
	"  " NOTICE_TITLE("a.notice_id") " FROM rfi_response a WHERE a.firm = ?1"
	" UNION ALL SELECT 'bid', b.bid_at, b.notice_id,"
	"  " NOTICE_TITLE("b.notice_id") " FROM bid b WHERE b.firm = ?1"
	" UNION ALL SELECT DISTINCT 'won', " PUBLISHED("n") ", n.notice_id,"
	"  n.title FROM firm f JOIN award_winner w ON " WINNER_IS("w", "f")
	"  JOIN award a ON a.id = w.award"
	"  JOIN notice n ON n.id = a.notice AND n.superseded_by IS NULL"
	"  WHERE f.id = ?1"
	") ORDER BY at DESC, what LIMIT ?2",
};

static const struct stmt_table stmts = { STMT_REGISTER, stmt_sql, NSTMT };

#define ROW struct firm_entry
static const struct column firm_entry_columns[] = {
	C_INT64(id), C_NEEDED(orgnr), C_NEEDED(name), C_TEXT(email),
	C_TEXT(municipality), C_TEXT(categories), C_TIME(subscribed_at),
	C_INT(confirmed), C_INT(unsubscribed),
};
static const struct row_type firm_entry_rows =
	ROW_TYPE(firm_entry_columns, NULL);
#undef ROW

void
firm_entries_free(struct firm_entry *e, size_t n)
{
	free_rows(&firm_entry_rows, e, n);
}

static const char *
given(const char *s)
{
	return s && *s ? s : NULL;
}

int
store_search_firms(struct store *s, const struct firm_search *q,
		   struct firm_entry **out, size_t *n, int *more)
{
	size_t per_page = q->per_page < 1 ? 1 :
			  q->per_page > FIRM_PAGE_MAX ? FIRM_PAGE_MAX :
			  q->per_page;

	*more = 0;
	/* one more than the page, to tell whether another follows */
	if (read_rows(s, query(s, &stmts, ST_FIRM_SEARCH,
			       ARGS(ARG_TEXT(given(q->text)),
				    ARG_TEXT(given(q->category)),
				    ARG_TEXT(given(q->municipality)),
				    ARG_INT(per_page + 1),
				    ARG_INT(q->page * per_page))),
		      &firm_entry_rows, (void **)out, n, "search firms") < 0)
		return -1;
	if (*n > per_page) {
		*more = 1;
		clear_columns(&firm_entry_rows, &(*out)[per_page]);
		*n = per_page;
	}
	return 0;
}

int
store_firm_entry(struct store *s, const char *orgnr, struct firm_entry **out)
{
	return read_new_row(s, query(s, &stmts, ST_FIRM_ENTRY,
				     ARGS(ARG_TEXT(orgnr))),
			    &firm_entry_rows, (void **)out, "read a firm");
}

void
firm_entry_free(struct firm_entry *e)
{
	firm_entries_free(e, e ? 1 : 0);
}

#define ROW struct firm_event
static const struct column firm_event_columns[] = {
	C_NEEDED(what), C_TIME(at), C_TEXT(notice_id), C_TEXT(title),
};
static const struct row_type firm_event_rows =
	ROW_TYPE(firm_event_columns, NULL);
#undef ROW

void
firm_events_free(struct firm_event *e, size_t n)
{
	free_rows(&firm_event_rows, e, n);
}

int
store_firm_history(struct store *s, int64_t firm_id, size_t limit,
		   struct firm_event **out, size_t *n)
{
	if (limit < 1 || limit > FIRM_HISTORY_MAX)
		limit = FIRM_HISTORY_MAX;
	return read_rows(s, query(s, &stmts, ST_FIRM_HISTORY,
				  ARGS(ARG_INT(firm_id), ARG_INT(limit))),
			 &firm_event_rows, (void **)out, n, "read firm history");
}
