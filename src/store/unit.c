/*
 * The unit's own doings: RFIs, meetings and their versions,
 * registrations, bids, participation and the report's queries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_impl.h"

/*
 * The report's figures. Each query names facts (time, category, item)
 * and counts the distinct items per quarter of local time: per category,
 * and for all categories together (category NULL), which is not the sum
 * when an item falls in several. The firm figures count local firms only,
 * those whose municipality is among ?4 (codes, space-separated); a firm
 * deleted since counts by its alerts, which keep its municipality.
 */
#define QUARTER(ts) \
	"CAST(strftime('%Y', " ts ", 'unixepoch', 'localtime') AS INTEGER), " \
	"(CAST(strftime('%m', " ts ", 'unixepoch', 'localtime') AS INTEGER)" \
	" + 2) / 3"
#define PER_QUARTER(facts) \
	"WITH f (ts, category, item) AS (" facts "),"			\
	" q (y, qu, category, item) AS (SELECT " QUARTER("ts") ","	\
	"  category, item FROM f WHERE ts >= ?1 AND ts < ?2)"		\
	" SELECT y, qu, category, count(DISTINCT item), 0, NULL FROM q"	\
	"  WHERE category IS NOT NULL GROUP BY y, qu, category"		\
	" UNION ALL SELECT y, qu, NULL, count(DISTINCT item), 0, NULL FROM q" \
	"  GROUP BY y, qu ORDER BY 1, 2, 3"
/* The categories of a notice id's current version, as c.category. */
#define NOTICE_PARTS(id) \
	" LEFT JOIN notice n ON n.notice_id = " id " AND n.superseded_by IS NULL" \
	" LEFT JOIN lot l ON l.notice = n.id" \
	" LEFT JOIN category_lot c ON c.lot = l.id"
/*
 * An RFI the unit withdrew, published by mistake, is no figure; one of
 * its own back from TED is the same RFI, counted as the unit's.
 */
#define COUNTED(id) \
	" NOT EXISTS (SELECT 1 FROM rfi w WHERE w.ted_notice_id = " id \
	"  OR (w.notice_id = " id " AND w.withdrawn_at IS NOT NULL))" \
	" AND" NOT_WITHDRAWN_OWN(id)
#define CURRENT_NOTICES \
	" FROM notice n JOIN lot l ON l.notice = n.id" \
	" LEFT JOIN category_lot c ON c.lot = l.id" \
	" WHERE n.superseded_by IS NULL" \
	" AND n.kind IN ('planning', 'rfi', 'competition')" \
	" AND" COUNTED("n.notice_id")
#define MEETING_FACTS(ts, item, where) \
	"SELECT " ts ", coalesce(mt.category, c.category), " item \
	" FROM meeting mt" NOTICE_PARTS("mt.notice_id") \
	" LEFT JOIN meeting_registration r ON r.meeting = mt.id" \
	" WHERE mt.cancelled = 0 AND " where
#define PARTICIPATION_FACTS(table, ts) \
	"SELECT a." ts ", c.category, a.firm FROM " table " a" \
	NOTICE_PARTS("a.notice_id") " WHERE " LOCAL_FIRM("a.firm")
/* A municipality code among ?4; a firm id of such a firm. */
#define LOCAL(municipality) \
	"instr(' ' || ?4 || ' ', ' ' || " municipality " || ' ') > 0"
#define LOCAL_FIRM(id) \
	id " IN (SELECT id FROM firm WHERE " LOCAL("municipality") ")"
/* Registrations kept, and at meetings that have begun by now (?3). */
#define REGISTERED "r.registered_at IS NOT NULL AND r.cancelled_at IS NULL"
#define BEGUN "mt.starts_at <= ?3"
/* Matches mailed to a local firm (sent) that it answered, and where. */
#define ANSWERED_ALERTS(where) \
	"SELECT g.sent_at, m.category, m.id FROM match m" \
	" JOIN message g ON g.id = m.message" \
	" JOIN match_feedback a ON a.match = m.id WHERE g.state = 'sent'" \
	" AND " LOCAL_FIRM("m.firm") " AND " where

/* The RFIs as struct rfi_entry reads them, current versions only. */
#define RFI_ENTRIES \
	"SELECT n.notice_id, n.title, n.deadline, r.id IS NOT NULL," \
	" coalesce(r.closed_at, 0)," \
	" (SELECT count(*) FROM rfi_response a WHERE a.notice_id = n.notice_id)," \
	" coalesce(r.withdrawn_at, 0), n.cpv, n.buyer_id, r.ted_notice_id" \
	" FROM notice n LEFT JOIN rfi r" \
	"  ON n.notice_id IN (r.notice_id, r.ted_notice_id)" \
	" WHERE n.kind = 'rfi' AND n.superseded_by IS NULL"

enum stmt_id {
	ST_MEETING_INSERT,
	ST_MEETING_UPDATE,
	ST_MEETING_CANCEL,
	ST_MEETING_KEEP_VERSION,
	ST_MEETING_VERSION,
	ST_MEETINGS,
	ST_MEETING_INVITES,
	ST_MEETING_INVITED,
	ST_RFI_INSERT,
	ST_RFI_NAME,
	ST_RFI_CLOSE,
	ST_RFI_WITHDRAW,
	ST_RFI_UPDATE,
	ST_RFI_LINK,
	ST_RFIS,
	ST_RFIS_SINCE,
	ST_OWN_RFIS,
	ST_RFI_RESPONSE,
	ST_RFI_RESPONSES,
	ST_BID,
	ST_MEETING_ATTENDED,
	ST_REPORT_FIRST,
	ST_REPORT_LAST = ST_REPORT_FIRST + REPORT_NQUERIES - 1,
	NSTMT
};

static const char *const stmt_sql[NSTMT] = {
	[ST_MEETING_INSERT] =
	"INSERT INTO meeting (title, description, notice_id, category,"
	" starts_at, ends_at, timezone, location, video_url, capacity,"
	" registration_deadline, organizer, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
	/* Every change is a new sequence: invitees get an update. */
	[ST_MEETING_UPDATE] =
	"UPDATE meeting SET title = ?1, description = ?2, notice_id = ?3,"
	" category = ?4, starts_at = ?5, ends_at = ?6, timezone = ?7,"
	" location = ?8, video_url = ?9, capacity = ?10,"
	" registration_deadline = ?11, organizer = ?12, updated_at = ?13,"
	" sequence = sequence + 1 WHERE id = ?14 AND cancelled = 0",
	[ST_MEETING_CANCEL] =
	"UPDATE meeting SET cancelled = 1, sequence = sequence + 1,"
	" updated_at = ?2 WHERE id = ?1 AND cancelled = 0",
	[ST_MEETING_KEEP_VERSION] =
	"INSERT OR REPLACE INTO meeting_version (meeting, sequence, title,"
	" description, notice_id, category, starts_at, ends_at, timezone,"
	" location, video_url, capacity, registration_deadline, organizer)"
	" SELECT id, sequence, title, description, notice_id, category,"
	" starts_at, ends_at, timezone, location, video_url, capacity,"
	" registration_deadline, organizer FROM meeting"
	" WHERE id = ?1 AND cancelled = 0",
	/* in the columns and order of ST_MEETINGS, for read_meeting() */
	[ST_MEETING_VERSION] =
	"SELECT meeting, title, description, notice_id, category, starts_at,"
	" ends_at, timezone, location, video_url, capacity,"
	" registration_deadline, organizer, sequence, 0 FROM meeting_version"
	" WHERE meeting = ?1 AND sequence = ?2",
	[ST_MEETINGS] =
	"SELECT id, title, description, notice_id, category, starts_at,"
	" ends_at, timezone, location, video_url, capacity,"
	" registration_deadline, organizer, sequence, cancelled FROM meeting"
	" WHERE ends_at > ?1 AND (?2 IS NULL OR id = ?2) ORDER BY starts_at, id",
	[ST_MEETING_INVITES] =
	"SELECT firm, sequence FROM meeting_invite WHERE meeting = ?1"
	" ORDER BY firm",
	[ST_MEETING_INVITED] =
	"INSERT INTO meeting_invite (meeting, firm, sequence, invited_at)"
	" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (meeting, firm) DO UPDATE SET"
	" sequence = excluded.sequence, invited_at = excluded.invited_at",
	[ST_RFI_INSERT] =
	"INSERT INTO rfi (contact, attachments, created_at) VALUES (?1, ?2, ?3)",
	[ST_RFI_NAME] =
	"UPDATE rfi SET notice_id = ?2 WHERE id = ?1",
	/* by its own id or that of its copy on TED */
	[ST_RFI_CLOSE] =
	"UPDATE rfi SET closed_at = ?2 WHERE ?1 IN (notice_id, ted_notice_id)"
	" AND closed_at IS NULL",
	[ST_RFI_LINK] =
	"UPDATE rfi SET ted_notice_id = ?2 WHERE notice_id = ?1"
	" AND ted_notice_id IS NULL",
	/* a withdrawn RFI takes no answers either */
	[ST_RFI_WITHDRAW] =
	"UPDATE rfi SET withdrawn_at = ?2, closed_at = coalesce(closed_at, ?2)"
	" WHERE notice_id = ?1 AND withdrawn_at IS NULL",
	[ST_RFI_UPDATE] =
	"UPDATE rfi SET contact = ?2, attachments = ?3"
	" WHERE notice_id = ?1 AND withdrawn_at IS NULL",
	/*
	 * The unit's own RFIs and those others published, open ones first;
	 * only one notice unless ?2 is NULL.
	 */
	[ST_RFIS] =
	RFI_ENTRIES " AND (?2 IS NULL OR n.notice_id = ?2)"
	" AND (?2 IS NOT NULL OR ((n.deadline IS NULL OR n.deadline > ?1)"
	"  AND r.closed_at IS NULL))"
	" ORDER BY n.deadline IS NULL, n.deadline, n.notice_id",
	/* Those published since a time and not withdrawn, newest first. */
	[ST_RFIS_SINCE] =
	RFI_ENTRIES " AND " PUBLISHED("n") " >= ?1 AND r.withdrawn_at IS NULL"
	" ORDER BY n.published DESC, n.notice_id",
	/* by the unit's own id: its copy on TED is the same RFI */
	[ST_OWN_RFIS] =
	RFI_ENTRIES " AND n.notice_id = r.notice_id AND " PUBLISHED("n")
	" >= ?1 ORDER BY n.published DESC, n.notice_id DESC",
	[ST_RFI_RESPONSE] =
	"INSERT OR IGNORE INTO rfi_response (notice_id, firm, answered_at, source)"
	" VALUES (?1, ?2, ?3, ?4)",
	[ST_RFI_RESPONSES] =
	"SELECT f.id, f.orgnr, f.name, a.answered_at, a.source"
	" FROM rfi_response a JOIN firm f ON f.id = a.firm"
	" WHERE a.notice_id = ?1 ORDER BY a.answered_at, f.orgnr",
	[ST_BID] =
	"INSERT OR IGNORE INTO bid (notice_id, firm, bid_at, source)"
	" VALUES (?1, ?2, ?3, ?4)",
	[ST_MEETING_ATTENDED] =
	"INSERT INTO meeting_registration (meeting, firm, attended, source)"
	" VALUES (?1, ?2, 1, ?4) ON CONFLICT (meeting, firm) DO UPDATE SET"
	" attended = 1 WHERE attended = 0",
	[ST_REPORT_FIRST + REPORT_NOTICES] = PER_QUARTER(
	"SELECT " PUBLISHED("n") ", c.category, n.notice_id" CURRENT_NOTICES),
	[ST_REPORT_FIRST + REPORT_LOTS] = PER_QUARTER(
	"SELECT " PUBLISHED("n") ", c.category, l.id" CURRENT_NOTICES),
	[ST_REPORT_FIRST + REPORT_CATEGORY_LOTS] = PER_QUARTER(
	"SELECT " PUBLISHED("n") ", c.category, c.id" CURRENT_NOTICES
	" AND c.id IS NOT NULL"),
	[ST_REPORT_FIRST + REPORT_FIRMS_ALERTED] = PER_QUARTER(
	"SELECT g.sent_at, m.category, m.firm FROM match m"
	" JOIN message g ON g.id = m.message WHERE g.state = 'sent'"
	" AND " LOCAL_FIRM("m.firm") " UNION ALL SELECT sent_at, category, item"
	" FROM anon_alert WHERE " LOCAL("municipality")),
	[ST_REPORT_FIRST + REPORT_FIRMS_REGISTERED] = PER_QUARTER(
	MEETING_FACTS("r.registered_at", "r.firm",
		      REGISTERED " AND " LOCAL_FIRM("r.firm"))),
	/* attendance is only what the door saw: none before the start */
	[ST_REPORT_FIRST + REPORT_FIRMS_ATTENDING] = PER_QUARTER(
	MEETING_FACTS("mt.starts_at", "r.firm",
		      "r.attended = 1 AND " BEGUN " AND " LOCAL_FIRM("r.firm"))),
	[ST_REPORT_FIRST + REPORT_FIRMS_ANSWERING] = PER_QUARTER(
	PARTICIPATION_FACTS("rfi_response", "answered_at")
	" AND" COUNTED("a.notice_id")),
	[ST_REPORT_FIRST + REPORT_FIRMS_BIDDING] = PER_QUARTER(
	PARTICIPATION_FACTS("bid", "bid_at")),
	[ST_REPORT_FIRST + REPORT_FIRMS_WINNING] = PER_QUARTER(
	"SELECT " PUBLISHED("n") ", c.category, f.id FROM award a"
	" JOIN award_winner w ON w.award = a.id"
	" JOIN firm f ON " WINNER_IS("w", "f") " AND " LOCAL("f.municipality")
	" JOIN notice n ON n.id = a.notice AND n.superseded_by IS NULL"
	" LEFT JOIN lot l ON l.notice = n.id AND l.lot_id = a.lot_id"
	" LEFT JOIN category_lot c ON c.lot = l.id"),
	[ST_REPORT_FIRST + REPORT_MEETINGS_HELD] = PER_QUARTER(
	MEETING_FACTS("mt.starts_at", "mt.id", "mt.ends_at <= ?3")),
	[ST_REPORT_FIRST + REPORT_MEETING_SEATS] = PER_QUARTER(
	MEETING_FACTS("mt.starts_at", "r.id", REGISTERED " AND " BEGUN)),
	[ST_REPORT_FIRST + REPORT_MEETING_ATTENDEES] = PER_QUARTER(
	MEETING_FACTS("mt.starts_at", "r.id", "r.attended = 1 AND " BEGUN)),
	/* of the seats taken, those whose firm came: at most all of them */
	[ST_REPORT_FIRST + REPORT_MEETING_SHOWS] = PER_QUARTER(
	MEETING_FACTS("mt.starts_at", "r.id",
		      "r.attended = 1 AND " REGISTERED " AND " BEGUN)),
	/* a local firm's answers about matches mailed, by the mail's day */
	[ST_REPORT_FIRST + REPORT_ALERTS_ANSWERED] = PER_QUARTER(
	ANSWERED_ALERTS("1")),
	[ST_REPORT_FIRST + REPORT_ALERTS_RELEVANT] = PER_QUARTER(
	ANSWERED_ALERTS("a.relevant = 1")),
	/*
	 * The municipality's own (?5) planned and contract notices one row
	 * per category part: the notice's value (its own or its lots' sum)
	 * and how many lots it has, to tell the large from the rest and the
	 * divided from the whole; another buyer's are not its to divide.
	 */
	[ST_REPORT_FIRST + REPORT_NOTICE_SIZES] =
	"SELECT DISTINCT " QUARTER(PUBLISHED("n")) ", c.category,"
	" (SELECT count(*) FROM lot x WHERE x.notice = n.id),"
	" coalesce(n.value, (SELECT sum(x.value) FROM lot x WHERE x.notice = n.id), -1),"
	" n.notice_id FROM notice n JOIN lot l ON l.notice = n.id"
	" JOIN category_lot c ON c.lot = l.id"
	" WHERE n.superseded_by IS NULL AND n.kind IN ('planning', 'competition')"
	" AND instr(' ' || ?5 || ' ', ' ' || n.buyer_id || ' ') > 0"
	" AND " PUBLISHED("n") " >= ?1 AND " PUBLISHED("n") " < ?2"
	" ORDER BY 1, 2, 3",
	/*
	 * Days from a procedure's first early notice (planned, RFI) to its
	 * contract notice, in the contract notice's quarter and categories.
	 */
	[ST_REPORT_FIRST + REPORT_LEAD_TIMES] =
	"WITH p (procedure_id, early, cn) AS (SELECT procedure_id,"
	"  min(CASE WHEN kind IN ('planning', 'rfi') THEN " PUBLISHED("notice") " END),"
	"  min(CASE WHEN kind = 'competition' THEN " PUBLISHED("notice") " END)"
	"  FROM notice WHERE" COUNTED("notice.notice_id") " GROUP BY procedure_id)"
	" SELECT DISTINCT " QUARTER("p.cn") ", c.category, 0,"
	" (p.cn - p.early) / 86400.0, p.procedure_id FROM p"
	" JOIN notice n ON n.procedure_id = p.procedure_id"
	"  AND n.kind = 'competition' AND n.superseded_by IS NULL"
	" JOIN lot l ON l.notice = n.id LEFT JOIN category_lot c ON c.lot = l.id"
	" WHERE p.early IS NOT NULL AND p.cn >= p.early"
	" AND p.cn >= ?1 AND p.cn < ?2 ORDER BY 1, 2, 3",
	/* Local firms subscribed before a time, with what they chose. */
	[ST_REPORT_FIRST + REPORT_FIRMS] =
	"SELECT 0, 0, categories || ' ' || cpv, consent_at, 0, NULL FROM firm"
	" WHERE consent_at < ?2 AND " LOCAL("municipality"),
	/* survey answers of the meetings begun, in their quarter */
	[ST_REPORT_FIRST + REPORT_SURVEY_RATINGS] =
	"SELECT DISTINCT " QUARTER("mt.starts_at") ","
	" coalesce(mt.category, c.category), 0, s.rating, CAST(r.id AS TEXT)"
	" FROM meeting mt" NOTICE_PARTS("mt.notice_id")
	" JOIN meeting_registration r ON r.meeting = mt.id"
	" JOIN meeting_survey s ON s.registration = r.id"
	" WHERE mt.cancelled = 0 AND " BEGUN
	" AND mt.starts_at >= ?1 AND mt.starts_at < ?2 ORDER BY 1, 2, 3",
};

static const struct stmt_table stmts = { STMT_UNIT, stmt_sql, NSTMT };

/* A meeting's fields as ?1 to ?12 and the time of the change as ?13. */
#define MEETING_ARGS(m, now) \
	ARG_TEXT((m)->title), ARG_TEXT((m)->description),		\
	ARG_TEXT((m)->notice_id), ARG_TEXT((m)->category),		\
	ARG_INT((m)->start), ARG_INT((m)->end), ARG_TEXT((m)->timezone), \
	ARG_TEXT((m)->location), ARG_TEXT((m)->video_url),		\
	ARG_INT_IF((m)->capacity > 0, (m)->capacity),			\
	ARG_INT_IF((m)->has_registration_deadline,			\
		   (m)->registration_deadline),				\
	ARG_TEXT((m)->organizer), ARG_INT(now)

int
store_put_meeting(struct store *s, const struct meeting *m, time_t now,
		  int64_t *id)
{
	if (step_done(s, query(s, &stmts, ST_MEETING_INSERT,
			       ARGS(MEETING_ARGS(m, now))), "store meeting") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_change_meeting(struct store *s, int64_t id, const struct meeting *m,
		     time_t now, int *found)
{
	return step_done(s, query(s, &stmts, ST_MEETING_KEEP_VERSION,
				  ARGS(ARG_INT(id))),
			 "keep the meeting as it was") < 0 ||
	       step_changed(s, query(s, &stmts, ST_MEETING_UPDATE,
				     ARGS(MEETING_ARGS(m, now), ARG_INT(id))),
			    "change meeting", found) < 0 ? -1 : 0;
}

int
store_cancel_meeting(struct store *s, int64_t id, time_t now, int *found)
{
	return step_changed(s, query(s, &stmts, ST_MEETING_CANCEL,
				     ARGS(ARG_INT(id), ARG_INT(now))),
			    "cancel meeting", found);
}

#define ROW struct meeting
static const struct column meeting_columns[] = {
	C_INT64(id), C_NEEDED(title), C_TEXT(description), C_TEXT(notice_id),
	C_TEXT(category), C_TIME(start), C_TIME(end), C_NEEDED(timezone),
	C_TEXT(location), C_TEXT(video_url), C_LONG(capacity),
	C_TIME_IF(registration_deadline, has_registration_deadline),
	C_TEXT(organizer), C_INT(sequence), C_INT(cancelled),
};
static const struct row_type meeting_rows = ROW_TYPE(meeting_columns, NULL);
#undef ROW

void
meetings_free(struct meeting *m, size_t n)
{
	free_rows(&meeting_rows, m, n);
}

int
store_meetings(struct store *s, time_t ends_after, int64_t id,
	       struct meeting **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_MEETINGS,
				  ARGS(ARG_INT(ends_after), ARG_INT_IF(id, id))),
			 &meeting_rows, (void **)out, n, "list meetings");
}

int
store_meeting_version(struct store *s, int64_t id, int sequence,
		      struct meeting **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_MEETING_VERSION,
				  ARGS(ARG_INT(id), ARG_INT(sequence))),
			 &meeting_rows, (void **)out, n,
			 "read an earlier version of a meeting");
}

#define ROW struct meeting_invite
static const struct column invite_columns[] = {
	C_INT64(firm_id), C_INT(sequence),
};
static const struct row_type invite_rows = ROW_TYPE(invite_columns, NULL);
#undef ROW

int
store_meeting_invites(struct store *s, int64_t meeting_id,
		      struct meeting_invite **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_MEETING_INVITES,
				  ARGS(ARG_INT(meeting_id))),
			 &invite_rows, (void **)out, n, "list invitations");
}

int
store_meeting_invited(struct store *s, int64_t meeting_id, int64_t firm_id,
		      int sequence, time_t now)
{
	return step_done(s, query(s, &stmts, ST_MEETING_INVITED,
				  ARGS(ARG_INT(meeting_id), ARG_INT(firm_id),
				       ARG_INT(sequence), ARG_INT(now))),
			 "record invitation");
}

int
store_put_rfi(struct store *s, const char *contact, const char *attachments,
	      time_t now, int64_t *id, char *notice_id, size_t len)
{
	if (step_done(s, query(s, &stmts, ST_RFI_INSERT,
			       ARGS(ARG_TEXT(contact),
				    ARG_TEXT(attachments ? attachments : ""),
				    ARG_INT(now))), "store RFI") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	snprintf(notice_id, len, "rfi-%lld", (long long)*id);
	return step_done(s, query(s, &stmts, ST_RFI_NAME,
				  ARGS(ARG_INT(*id), ARG_TEXT(notice_id))),
			 "name RFI");
}

int
store_close_rfi(struct store *s, const char *notice_id, time_t now, int *found)
{
	return step_changed(s, query(s, &stmts, ST_RFI_CLOSE,
				     ARGS(ARG_TEXT(notice_id), ARG_INT(now))),
			    "close RFI", found);
}

#define ROW struct rfi_entry
static const struct column rfi_entry_columns[] = {
	C_NEEDED(notice_id), C_NEEDED(title),
	C_TIME_IF(deadline, has_deadline), C_INT(own), C_TIME(closed_at),
	C_LLONG(responses), C_TIME(withdrawn_at), C_TEXT(cpv), C_TEXT(buyer_id),
	C_TEXT(ted_notice_id),
};
static const struct row_type rfi_entry_rows = ROW_TYPE(rfi_entry_columns, NULL);
#undef ROW

void
rfi_entries_free(struct rfi_entry *e, size_t n)
{
	free_rows(&rfi_entry_rows, e, n);
}

int
store_rfis(struct store *s, time_t now, const char *notice_id,
	   struct rfi_entry **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_RFIS,
				  ARGS(ARG_INT(now), ARG_TEXT(notice_id))),
			 &rfi_entry_rows, (void **)out, n, "list RFIs");
}

int
store_rfis_since(struct store *s, time_t since, struct rfi_entry **out,
		 size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_RFIS_SINCE,
				  ARGS(ARG_INT(since))),
			 &rfi_entry_rows, (void **)out, n,
			 "list the RFIs published lately");
}

int
store_own_rfis(struct store *s, time_t since, struct rfi_entry **out,
	       size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_OWN_RFIS, ARGS(ARG_INT(since))),
			 &rfi_entry_rows, (void **)out, n,
			 "list the unit's RFIs");
}

int
store_withdraw_rfi(struct store *s, const char *notice_id, time_t now,
		   int *found)
{
	return step_changed(s, query(s, &stmts, ST_RFI_WITHDRAW,
				     ARGS(ARG_TEXT(notice_id), ARG_INT(now))),
			    "withdraw RFI", found);
}

int
store_link_rfi(struct store *s, const char *notice_id,
	       const char *ted_notice_id, int *found)
{
	return step_changed(s, query(s, &stmts, ST_RFI_LINK,
				     ARGS(ARG_TEXT(notice_id),
					  ARG_TEXT(ted_notice_id))),
			    "link an RFI to its copy on TED", found);
}

int
store_update_rfi(struct store *s, const char *notice_id, const char *contact,
		 const char *attachments, int *found)
{
	return step_changed(s, query(s, &stmts, ST_RFI_UPDATE,
				     ARGS(ARG_TEXT(notice_id), ARG_TEXT(contact),
					  ARG_TEXT(attachments))),
			    "change RFI", found);
}

/*
 * One participation row: an RFI answer or a bid (the notice's id), a
 * meeting's attendance (the meeting's).
 */
static int
put_participation(struct store *s, enum stmt_id id, struct arg object,
		  int64_t firm_id, time_t at, const char *source, int *created)
{
	return step_changed(s, query(s, &stmts, id,
				     ARGS(object, ARG_INT(firm_id), ARG_INT(at),
					  ARG_TEXT(source))),
			    "record participation", created);
}

int
store_rfi_response(struct store *s, const char *notice_id, int64_t firm_id,
		   time_t at, const char *source, int *created)
{
	return put_participation(s, ST_RFI_RESPONSE, ARG_TEXT(notice_id),
				 firm_id, at, source, created);
}

int
store_bid(struct store *s, const char *notice_id, int64_t firm_id, time_t at,
	  const char *source, int *created)
{
	return put_participation(s, ST_BID, ARG_TEXT(notice_id), firm_id, at,
				 source, created);
}

int
store_meeting_attended(struct store *s, int64_t meeting_id, int64_t firm_id,
		       time_t at, const char *source, int *created)
{
	return put_participation(s, ST_MEETING_ATTENDED, ARG_INT(meeting_id),
				 firm_id, at, source, created);
}

#define ROW struct participant
static const struct column participant_columns[] = {
	C_INT64(firm_id), C_NEEDED(orgnr), C_NEEDED(name), C_TIME(at),
	C_NEEDED(source),
};
static const struct row_type participant_rows =
	ROW_TYPE(participant_columns, NULL);
#undef ROW

void
participants_free(struct participant *p, size_t n)
{
	free_rows(&participant_rows, p, n);
}

int
store_rfi_responses(struct store *s, const char *notice_id,
		    struct participant **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_RFI_RESPONSES,
				  ARGS(ARG_TEXT(notice_id))),
			 &participant_rows, (void **)out, n, "list answers");
}

#define ROW struct report_count
static const struct column report_count_columns[] = {
	C_INT(year), C_INT(quarter), C_TEXT(category), C_LLONG(value),
	C_DOUBLE(days), C_TEXT(item),
};
static const struct row_type report_count_rows =
	ROW_TYPE(report_count_columns, NULL);
#undef ROW

void
report_counts_free(struct report_count *c, size_t n)
{
	free_rows(&report_count_rows, c, n);
}

int
store_report(struct store *s, enum report_query q,
	     const struct report_scope *sc, struct report_count **out,
	     size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_REPORT_FIRST + q,
				  ARGS(ARG_INT(sc->from), ARG_INT(sc->to),
				       ARG_INT(sc->now),
				       ARG_WORDS(sc->municipalities,
						 count_words(sc->municipalities)),
				       ARG_WORDS(sc->own_buyers,
						 count_words(sc->own_buyers)))),
			 &report_count_rows, (void **)out, n, "read report");
}
