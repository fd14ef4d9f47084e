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
 * when an item falls in several. A firm deleted since still counts, as
 * its row, though nothing names it any more.
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
#define CURRENT_NOTICES \
	" FROM notice n JOIN lot l ON l.notice = n.id" \
	" LEFT JOIN category_lot c ON c.lot = l.id" \
	" WHERE n.superseded_by IS NULL" \
	" AND n.kind IN ('planning', 'rfi', 'competition')"
#define MEETING_FACTS(ts, item, where) \
	"SELECT " ts ", coalesce(mt.category, c.category), " item \
	" FROM meeting mt" NOTICE_PARTS("mt.notice_id") \
	" LEFT JOIN meeting_registration r ON r.meeting = mt.id" \
	" WHERE mt.cancelled = 0 AND " where
#define PARTICIPATION_FACTS(table, ts) \
	"SELECT a." ts ", c.category, coalesce(a.firm, -a.id) FROM " table " a" \
	NOTICE_PARTS("a.notice_id")

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
	ST_RFIS,
	ST_RFI_RESPONSE,
	ST_RFI_RESPONSES,
	ST_BID,
	ST_MEETING_REGISTER,
	ST_MEETING_UNREGISTER,
	ST_MEETING_ATTENDED,
	ST_MEETING_PARTICIPANTS,
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
	[ST_RFI_CLOSE] =
	"UPDATE rfi SET closed_at = ?2 WHERE notice_id = ?1 AND closed_at IS NULL",
	/*
	 * The unit's own RFIs and those others published, open ones first;
	 * only one notice unless ?2 is NULL.
	 */
	[ST_RFIS] =
	"SELECT n.notice_id, n.title, n.deadline, r.id IS NOT NULL,"
	" coalesce(r.closed_at, 0),"
	" (SELECT count(*) FROM rfi_response a WHERE a.notice_id = n.notice_id)"
	" FROM notice n LEFT JOIN rfi r ON r.notice_id = n.notice_id"
	" WHERE n.kind = 'rfi' AND n.superseded_by IS NULL"
	" AND (?2 IS NULL OR n.notice_id = ?2)"
	" AND (?2 IS NOT NULL OR ((n.deadline IS NULL OR n.deadline > ?1)"
	"  AND r.closed_at IS NULL))"
	" ORDER BY n.deadline IS NULL, n.deadline, n.notice_id",
	[ST_RFI_RESPONSE] =
	"INSERT OR IGNORE INTO rfi_response (notice_id, firm, answered_at, source)"
	" VALUES (?1, ?2, ?3, ?4)",
	[ST_RFI_RESPONSES] =
	"SELECT f.id, f.orgnr, f.name, a.answered_at, 0, 0, a.source"
	" FROM rfi_response a JOIN firm f ON f.id = a.firm"
	" WHERE a.notice_id = ?1 ORDER BY a.answered_at, f.orgnr",
	[ST_BID] =
	"INSERT OR IGNORE INTO bid (notice_id, firm, bid_at, source)"
	" VALUES (?1, ?2, ?3, ?4)",
	/* A registration again after a cancellation counts from now. */
	[ST_MEETING_REGISTER] =
	"INSERT INTO meeting_registration (meeting, firm, registered_at, source)"
	" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (meeting, firm) DO UPDATE SET"
	" registered_at = excluded.registered_at, cancelled_at = NULL"
	" WHERE registered_at IS NULL OR cancelled_at IS NOT NULL",
	[ST_MEETING_UNREGISTER] =
	"UPDATE meeting_registration SET cancelled_at = ?3 WHERE meeting = ?1"
	" AND firm = ?2 AND registered_at IS NOT NULL AND cancelled_at IS NULL",
	[ST_MEETING_ATTENDED] =
	"INSERT INTO meeting_registration (meeting, firm, attended, source)"
	" VALUES (?1, ?2, 1, ?4) ON CONFLICT (meeting, firm) DO UPDATE SET"
	" attended = 1 WHERE attended = 0",
	[ST_MEETING_PARTICIPANTS] =
	"SELECT f.id, f.orgnr, f.name, coalesce(r.registered_at, 0),"
	" r.registered_at IS NOT NULL AND r.cancelled_at IS NULL, r.attended,"
	" r.source FROM meeting_registration r JOIN firm f ON f.id = r.firm"
	" WHERE r.meeting = ?1 ORDER BY f.orgnr",
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
	" UNION ALL SELECT sent_at, category, item FROM anon_alert"),
	[ST_REPORT_FIRST + REPORT_FIRMS_REGISTERED] = PER_QUARTER(
	MEETING_FACTS("r.registered_at", "coalesce(r.firm, -r.id)",
		      "r.registered_at IS NOT NULL AND r.cancelled_at IS NULL")),
	[ST_REPORT_FIRST + REPORT_FIRMS_ATTENDING] = PER_QUARTER(
	MEETING_FACTS("mt.starts_at", "coalesce(r.firm, -r.id)",
		      "r.attended = 1")),
	[ST_REPORT_FIRST + REPORT_FIRMS_ANSWERING] = PER_QUARTER(
	PARTICIPATION_FACTS("rfi_response", "answered_at")),
	[ST_REPORT_FIRST + REPORT_FIRMS_BIDDING] = PER_QUARTER(
	PARTICIPATION_FACTS("bid", "bid_at")),
	/* Winners are named by CompanyID: with or without the hyphen, or as
	 * a VAT number (SE, the ten digits, 01). */
	[ST_REPORT_FIRST + REPORT_FIRMS_WINNING] = PER_QUARTER(
	"SELECT " PUBLISHED("n") ", c.category, f.id FROM award a"
	" JOIN award_winner w ON w.award = a.id"
	" JOIN firm f ON replace(replace(upper(w.org_id), '-', ''), ' ', '') IN"
	"  (replace(f.orgnr, '-', ''), 'SE' || replace(f.orgnr, '-', '') || '01')"
	" JOIN notice n ON n.id = a.notice AND n.superseded_by IS NULL"
	" LEFT JOIN lot l ON l.notice = n.id AND l.lot_id = a.lot_id"
	" LEFT JOIN category_lot c ON c.lot = l.id"),
	[ST_REPORT_FIRST + REPORT_MEETINGS_HELD] = PER_QUARTER(
	MEETING_FACTS("mt.starts_at", "mt.id", "mt.ends_at <= ?3")),
	[ST_REPORT_FIRST + REPORT_MEETING_SEATS] = PER_QUARTER(
	MEETING_FACTS("mt.starts_at", "r.id",
		      "r.registered_at IS NOT NULL AND r.cancelled_at IS NULL")),
	[ST_REPORT_FIRST + REPORT_MEETING_ATTENDEES] = PER_QUARTER(
	MEETING_FACTS("mt.starts_at", "r.id", "r.attended = 1")),
	/*
	 * Planned and contract notices one row per category part: the
	 * notice's value (its own or its lots' sum) and how many lots it has,
	 * to tell the large from the rest and the divided from the whole.
	 */
	[ST_REPORT_FIRST + REPORT_NOTICE_SIZES] =
	"SELECT DISTINCT " QUARTER(PUBLISHED("n")) ", c.category,"
	" (SELECT count(*) FROM lot x WHERE x.notice = n.id),"
	" coalesce(n.value, (SELECT sum(x.value) FROM lot x WHERE x.notice = n.id), -1),"
	" n.notice_id FROM notice n JOIN lot l ON l.notice = n.id"
	" JOIN category_lot c ON c.lot = l.id"
	" WHERE n.superseded_by IS NULL AND n.kind IN ('planning', 'competition')"
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
	"  FROM notice GROUP BY procedure_id)"
	" SELECT DISTINCT " QUARTER("p.cn") ", c.category, 0,"
	" (p.cn - p.early) / 86400.0, p.procedure_id FROM p"
	" JOIN notice n ON n.procedure_id = p.procedure_id"
	"  AND n.kind = 'competition' AND n.superseded_by IS NULL"
	" JOIN lot l ON l.notice = n.id LEFT JOIN category_lot c ON c.lot = l.id"
	" WHERE p.early IS NOT NULL AND p.cn >= p.early"
	" AND p.cn >= ?1 AND p.cn < ?2 ORDER BY 1, 2, 3",
	/* Firms subscribed before a time, with what they chose. */
	[ST_REPORT_FIRST + REPORT_FIRMS] =
	"SELECT 0, 0, categories || ' ' || cpv, consent_at, 0, NULL FROM firm"
	" WHERE consent_at < ?2",
};

static const struct stmt_table stmts = { STMT_UNIT, stmt_sql, NSTMT };

static int
bind_meeting(sqlite3_stmt *st, const struct meeting *m, time_t now)
{
	bind_text(st, 1, m->title);
	bind_text(st, 2, m->description);
	bind_text(st, 3, m->notice_id);
	bind_text(st, 4, m->category);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)m->start);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)m->end);
	bind_text(st, 7, m->timezone);
	bind_text(st, 8, m->location);
	bind_text(st, 9, m->video_url);
	if (m->capacity > 0)
		sqlite3_bind_int64(st, 10, m->capacity);
	if (m->has_registration_deadline)
		sqlite3_bind_int64(st, 11, (sqlite3_int64)m->registration_deadline);
	bind_text(st, 12, m->organizer);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)now);
	return 0;
}

int
store_put_meeting(struct store *s, const struct meeting *m, time_t now,
		  int64_t *id)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_MEETING_INSERT)))
		return -1;
	bind_meeting(st, m, now);
	if (step_done(s, st, "store meeting") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_change_meeting(struct store *s, int64_t id, const struct meeting *m,
		     time_t now, int *found)
{
	sqlite3_stmt *st;

	if (store_begin(s) < 0)
		return -1;
	if (!(st = stmt(s, &stmts, ST_MEETING_KEEP_VERSION)))
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (step_done(s, st, "keep the meeting as it was") < 0 ||
	    !(st = stmt(s, &stmts, ST_MEETING_UPDATE)))
		goto fail;
	bind_meeting(st, m, now);
	sqlite3_bind_int64(st, 14, id);
	if (step_changed(s, st, "change meeting", found) < 0 ||
	    store_commit(s) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
store_cancel_meeting(struct store *s, int64_t id, time_t now, int *found)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_MEETING_CANCEL)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	return step_changed(s, st, "cancel meeting", found);
}

static int
read_meeting(sqlite3_stmt *st, void *elem)
{
	struct meeting *m = elem;

	m->id = sqlite3_column_int64(st, 0);
	m->title = column_strdup(st, 1);
	m->description = column_strdup(st, 2);
	m->notice_id = column_strdup(st, 3);
	m->category = column_strdup(st, 4);
	m->start = (time_t)sqlite3_column_int64(st, 5);
	m->end = (time_t)sqlite3_column_int64(st, 6);
	m->timezone = column_strdup(st, 7);
	m->location = column_strdup(st, 8);
	m->video_url = column_strdup(st, 9);
	m->capacity = (long)sqlite3_column_int64(st, 10);
	if ((m->has_registration_deadline =
	     sqlite3_column_type(st, 11) != SQLITE_NULL))
		m->registration_deadline = (time_t)sqlite3_column_int64(st, 11);
	m->organizer = column_strdup(st, 12);
	m->sequence = sqlite3_column_int(st, 13);
	m->cancelled = sqlite3_column_int(st, 14);
	return m->title && m->timezone ? 0 : -1;
}

static void
clear_meeting(void *elem)
{
	meeting_release(elem);
}

static const struct row_type meeting_rows = {
	sizeof (struct meeting), read_meeting, clear_meeting
};

void
meetings_free(struct meeting *m, size_t n)
{
	free_rows(&meeting_rows, m, n);
}

int
store_meetings(struct store *s, time_t ends_after, int64_t id,
	       struct meeting **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_MEETINGS)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)ends_after);
	if (id)
		sqlite3_bind_int64(st, 2, id);
	return read_rows(s, st, &meeting_rows, (void **)out, n,
			 "list meetings");
}

int
store_meeting_version(struct store *s, int64_t id, int sequence,
		      struct meeting **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_MEETING_VERSION)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, sequence);
	return read_rows(s, st, &meeting_rows, (void **)out, n,
			 "read an earlier version of a meeting");
}

static int
read_invite(sqlite3_stmt *st, void *elem)
{
	struct meeting_invite *inv = elem;

	inv->firm_id = sqlite3_column_int64(st, 0);
	inv->sequence = sqlite3_column_int(st, 1);
	return 0;
}

static const struct row_type invite_rows = {
	sizeof (struct meeting_invite), read_invite, NULL
};

int
store_meeting_invites(struct store *s, int64_t meeting_id,
		      struct meeting_invite **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_MEETING_INVITES)))
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	return read_rows(s, st, &invite_rows, (void **)out, n,
			 "list invitations");
}

int
store_meeting_invited(struct store *s, int64_t meeting_id, int64_t firm_id,
		      int sequence, time_t now)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_MEETING_INVITED)))
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	sqlite3_bind_int64(st, 2, firm_id);
	sqlite3_bind_int(st, 3, sequence);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	return step_done(s, st, "record invitation");
}

int
store_put_rfi(struct store *s, const char *contact, const char *attachments,
	      time_t now, int64_t *id, char *notice_id, size_t len)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_RFI_INSERT)))
		return -1;
	bind_text(st, 1, contact);
	bind_text(st, 2, attachments ? attachments : "");
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	if (step_done(s, st, "store RFI") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	snprintf(notice_id, len, "rfi-%lld", (long long)*id);
	if (!(st = stmt(s, &stmts, ST_RFI_NAME)))
		return -1;
	sqlite3_bind_int64(st, 1, *id);
	bind_text(st, 2, notice_id);
	return step_done(s, st, "name RFI");
}

int
store_close_rfi(struct store *s, const char *notice_id, time_t now, int *found)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_RFI_CLOSE)))
		return -1;
	bind_text(st, 1, notice_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	return step_changed(s, st, "close RFI", found);
}

static int
read_rfi_entry(sqlite3_stmt *st, void *elem)
{
	struct rfi_entry *e = elem;

	e->notice_id = column_strdup(st, 0);
	e->title = column_strdup(st, 1);
	if ((e->has_deadline = sqlite3_column_type(st, 2) != SQLITE_NULL))
		e->deadline = (time_t)sqlite3_column_int64(st, 2);
	e->own = sqlite3_column_int(st, 3);
	e->closed_at = (time_t)sqlite3_column_int64(st, 4);
	e->responses = sqlite3_column_int64(st, 5);
	return e->notice_id && e->title ? 0 : -1;
}

static void
clear_rfi_entry(void *elem)
{
	struct rfi_entry *e = elem;

	free(e->notice_id);
	free(e->title);
}

static const struct row_type rfi_entry_rows = {
	sizeof (struct rfi_entry), read_rfi_entry, clear_rfi_entry
};

void
rfi_entries_free(struct rfi_entry *e, size_t n)
{
	free_rows(&rfi_entry_rows, e, n);
}

int
store_rfis(struct store *s, time_t now, const char *notice_id,
	   struct rfi_entry **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_RFIS)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	bind_text(st, 2, notice_id);
	return read_rows(s, st, &rfi_entry_rows, (void **)out, n, "list RFIs");
}

/* One participation row: an RFI answer, a bid, a meeting's attendance. */
static int
put_participation(struct store *s, enum stmt_id id, const char *object,
		  int64_t meeting, int64_t firm_id, time_t at,
		  const char *source, int *created)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, id)))
		return -1;
	if (object)
		bind_text(st, 1, object);
	else
		sqlite3_bind_int64(st, 1, meeting);
	sqlite3_bind_int64(st, 2, firm_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)at);
	bind_text(st, 4, source);
	return step_changed(s, st, "record participation", created);
}

int
store_rfi_response(struct store *s, const char *notice_id, int64_t firm_id,
		   time_t at, const char *source, int *created)
{
	return put_participation(s, ST_RFI_RESPONSE, notice_id, 0, firm_id, at,
				 source, created);
}

int
store_bid(struct store *s, const char *notice_id, int64_t firm_id, time_t at,
	  const char *source, int *created)
{
	return put_participation(s, ST_BID, notice_id, 0, firm_id, at, source,
				 created);
}

int
store_meeting_register(struct store *s, int64_t meeting_id, int64_t firm_id,
		       time_t at, const char *source, int *created)
{
	return put_participation(s, ST_MEETING_REGISTER, NULL, meeting_id,
				 firm_id, at, source, created);
}

int
store_meeting_attended(struct store *s, int64_t meeting_id, int64_t firm_id,
		       time_t at, const char *source, int *created)
{
	return put_participation(s, ST_MEETING_ATTENDED, NULL, meeting_id,
				 firm_id, at, source, created);
}

int
store_meeting_unregister(struct store *s, int64_t meeting_id, int64_t firm_id,
			 time_t at, int *found)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_MEETING_UNREGISTER)))
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	sqlite3_bind_int64(st, 2, firm_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)at);
	return step_changed(s, st, "cancel registration", found);
}

static int
read_participant(sqlite3_stmt *st, void *elem)
{
	struct participant *p = elem;

	p->firm_id = sqlite3_column_int64(st, 0);
	p->orgnr = column_strdup(st, 1);
	p->name = column_strdup(st, 2);
	p->at = (time_t)sqlite3_column_int64(st, 3);
	p->registered = sqlite3_column_int(st, 4);
	p->attended = sqlite3_column_int(st, 5);
	p->source = column_strdup(st, 6);
	return p->orgnr && p->name && p->source ? 0 : -1;
}

static void
clear_participant(void *elem)
{
	struct participant *p = elem;

	free(p->orgnr);
	free(p->name);
	free(p->source);
}

static const struct row_type participant_rows = {
	sizeof (struct participant), read_participant, clear_participant
};

void
participants_free(struct participant *p, size_t n)
{
	free_rows(&participant_rows, p, n);
}

static int
participants(struct store *s, enum stmt_id id, const char *object,
	     int64_t meeting, struct participant **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, id)))
		return -1;
	if (object)
		bind_text(st, 1, object);
	else
		sqlite3_bind_int64(st, 1, meeting);
	return read_rows(s, st, &participant_rows, (void **)out, n,
			 "list participants");
}

int
store_rfi_responses(struct store *s, const char *notice_id,
		    struct participant **out, size_t *n)
{
	return participants(s, ST_RFI_RESPONSES, notice_id, 0, out, n);
}

int
store_meeting_participants(struct store *s, int64_t meeting_id,
			   struct participant **out, size_t *n)
{
	return participants(s, ST_MEETING_PARTICIPANTS, NULL, meeting_id, out, n);
}

static int
read_report_count(sqlite3_stmt *st, void *elem)
{
	struct report_count *c = elem;

	c->year = sqlite3_column_int(st, 0);
	c->quarter = sqlite3_column_int(st, 1);
	c->category = column_strdup(st, 2);
	c->value = sqlite3_column_int64(st, 3);
	c->days = sqlite3_column_double(st, 4);
	c->item = column_strdup(st, 5);
	return sqlite3_column_type(st, 2) == SQLITE_NULL || c->category ? 0 : -1;
}

static void
clear_report_count(void *elem)
{
	struct report_count *c = elem;

	free(c->category);
	free(c->item);
}

static const struct row_type report_count_rows = {
	sizeof (struct report_count), read_report_count, clear_report_count
};

void
report_counts_free(struct report_count *c, size_t n)
{
	free_rows(&report_count_rows, c, n);
}

int
store_report(struct store *s, enum report_query q, time_t from, time_t to,
	     time_t now, struct report_count **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_REPORT_FIRST + q)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)to);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	return read_rows(s, st, &report_count_rows, (void **)out, n,
			 "read report");
}
