/*
 * A meeting's registrations, whoever registered: firms of the register
 * and guests, other suppliers that registered on the meeting's page;
 * seats, the waiting list and attendance.
 */
#include <stdlib.h>

#include "log.h"
#include "store_impl.h"

/* The state of a registration from its times, as enum reg_state. */
#define STATE \
	"CASE WHEN r.cancelled_at IS NOT NULL THEN 4" \
	" WHEN r.registered_at IS NOT NULL THEN 2" \
	" WHEN r.waiting_since IS NOT NULL THEN 3" \
	" WHEN r.requested_at IS NOT NULL THEN 1 ELSE 0 END"

/* A registration with its firm's or its guest's particulars. */
#define ATTENDEES \
	"SELECT r.id, r.meeting, coalesce(r.firm, 0)," \
	" coalesce(f.orgnr, r.orgnr), coalesce(f.name, r.name)," \
	" coalesce(f.email, r.email), coalesce(f.language, r.language, 'sv'), " \
	STATE " AS state, r.attended, coalesce(r.cancelled_at, r.registered_at," \
	" r.waiting_since, r.requested_at, 0) AS at, r.sequence" \
	" FROM meeting_registration r LEFT JOIN firm f ON f.id = r.firm" \
	" WHERE coalesce(f.orgnr, r.orgnr) IS NOT NULL"
#define ORDER \
	" ORDER BY CASE state WHEN 2 THEN 0 WHEN 3 THEN 1 ELSE 2 END, at, r.id"

enum stmt_id {
	ST_ATTENDEES,
	ST_ATTENDEE,
	ST_GUEST_REQUEST,
	ST_GUEST_ID,
	ST_FIRM_REGISTRATION,
	ST_FIRM_REGISTRATION_ID,
	ST_SET_STATE,
	ST_MAILED,
	ST_ATTENDED,
	ST_GUESTS_FORGET,
	ST_GUESTS_UNCONFIRMED,
	NSTMT
};

static const char *const stmt_sql[NSTMT] = {
	/*
	 * Those with a seat first, in the order they took it, then the
	 * waiting list in its order. A firm deleted since names no one, and
	 * is left out.
	 */
	[ST_ATTENDEES] = ATTENDEES " AND r.meeting = ?1" ORDER,
	[ST_ATTENDEE] = ATTENDEES " AND r.id = ?1" ORDER,
	/*
	 * A guest asks anew only when it cancelled, or its request went
	 * unconfirmed past ?7: otherwise the one who asked first is mailed.
	 */
	[ST_GUEST_REQUEST] =
	"INSERT INTO meeting_registration (meeting, orgnr, name, email,"
	" language, requested_at, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'web')"
	" ON CONFLICT (meeting, orgnr) WHERE orgnr IS NOT NULL DO UPDATE SET"
	" name = excluded.name, email = excluded.email,"
	" language = excluded.language, requested_at = excluded.requested_at,"
	" registered_at = NULL, waiting_since = NULL, cancelled_at = NULL,"
	" attended = 0, sequence = 0"
	" WHERE cancelled_at IS NOT NULL OR (registered_at IS NULL"
	" AND waiting_since IS NULL AND requested_at < ?7)",
	[ST_GUEST_ID] =
	"SELECT id FROM meeting_registration WHERE meeting = ?1 AND orgnr = ?2",
	[ST_FIRM_REGISTRATION] =
	"INSERT INTO meeting_registration (meeting, firm, source)"
	" VALUES (?1, ?2, ?3) ON CONFLICT (meeting, firm) DO NOTHING",
	[ST_FIRM_REGISTRATION_ID] =
	"SELECT id FROM meeting_registration WHERE meeting = ?1 AND firm = ?2",
	/* ?2 an enum reg_state: registered, waiting or cancelled, as of ?3 */
	[ST_SET_STATE] =
	"UPDATE meeting_registration SET"
	" registered_at = CASE ?2 WHEN 2 THEN ?3 WHEN 3 THEN NULL"
	"  ELSE registered_at END,"
	" waiting_since = CASE ?2 WHEN 3 THEN ?3 ELSE NULL END,"
	" cancelled_at = CASE ?2 WHEN 4 THEN ?3 ELSE NULL END"
	" WHERE id = ?1",
	[ST_MAILED] =
	"UPDATE meeting_registration SET sequence = ?2 WHERE id = ?1",
	[ST_ATTENDED] =
	"UPDATE meeting_registration SET attended = 1 WHERE id = ?1",
	/*
	 * A guest is no subscriber: who it was is kept while its meeting
	 * may need it, then only that a seat was taken, for the report.
	 */
	[ST_GUESTS_FORGET] =
	"UPDATE meeting_registration SET orgnr = NULL, name = NULL,"
	" email = NULL, language = NULL WHERE firm IS NULL"
	" AND orgnr IS NOT NULL"
	" AND meeting IN (SELECT id FROM meeting WHERE ends_at < ?1)",
	/* a request never confirmed was nobody's registration */
	[ST_GUESTS_UNCONFIRMED] =
	"DELETE FROM meeting_registration WHERE firm IS NULL"
	" AND registered_at IS NULL AND waiting_since IS NULL"
	" AND cancelled_at IS NULL AND attended = 0 AND requested_at < ?1",
};

static const struct stmt_table stmts = { STMT_ATTENDEES, stmt_sql, NSTMT };

#define ROW struct attendee
static const struct column attendee_columns[] = {
	C_INT64(id), C_INT64(meeting_id), C_INT64(firm_id), C_NEEDED(orgnr),
	C_NEEDED(name), C_TEXT(email), C_NEEDED(language), C_INT(state),
	C_INT(attended), C_TIME(at), C_INT(sequence),
};
static const struct row_type attendee_rows =
	ROW_TYPE(attendee_columns, NULL);
#undef ROW

void
attendees_free(struct attendee *r, size_t n)
{
	free_rows(&attendee_rows, r, n);
}

int
store_attendees(struct store *s, int64_t meeting_id, struct attendee **out,
		size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_ATTENDEES,
				  ARGS(ARG_INT(meeting_id))),
			 &attendee_rows, (void **)out, n, "list registrations");
}

int
store_attendee(struct store *s, int64_t id, struct attendee **out)
{
	return read_new_row(s, query(s, &stmts, ST_ATTENDEE, ARGS(ARG_INT(id))),
			    &attendee_rows, (void **)out, "read a registration");
}

/* The id of the row the statement finds. */
static int
row_id(struct store *s, sqlite3_stmt *st, const char *what, int64_t *id)
{
	long long v = 0;

	if (step_number(s, st, what, &v) < 0)
		return -1;
	*id = v;
	return 0;
}

int
store_guest_request(struct store *s, int64_t meeting_id, const char *orgnr,
		    const char *name, const char *email, const char *language,
		    time_t now, time_t stale_before, int64_t *id, int *created)
{
	return step_changed(s, query(s, &stmts, ST_GUEST_REQUEST,
				     ARGS(ARG_INT(meeting_id), ARG_TEXT(orgnr),
					  ARG_TEXT(name), ARG_TEXT(email),
					  ARG_TEXT(language), ARG_INT(now),
					  ARG_INT(stale_before))),
			    "record a request to come", created) < 0 ||
	       row_id(s, query(s, &stmts, ST_GUEST_ID,
			       ARGS(ARG_INT(meeting_id), ARG_TEXT(orgnr))),
		      "find a registration", id) < 0 ? -1 : 0;
}

int
store_firm_attendee(struct store *s, int64_t meeting_id, int64_t firm_id,
			const char *source, int64_t *id)
{
	return step_done(s, query(s, &stmts, ST_FIRM_REGISTRATION,
				  ARGS(ARG_INT(meeting_id), ARG_INT(firm_id),
				       ARG_TEXT(source))),
			 "record a registration") < 0 ||
	       row_id(s, query(s, &stmts, ST_FIRM_REGISTRATION_ID,
			       ARGS(ARG_INT(meeting_id), ARG_INT(firm_id))),
		      "find a registration", id) < 0 ? -1 : 0;
}

int
store_set_attendee(struct store *s, int64_t id, enum reg_state state,
		       time_t at)
{
	return step_done(s, query(s, &stmts, ST_SET_STATE,
				  ARGS(ARG_INT(id), ARG_INT(state), ARG_INT(at))),
			 "change a registration");
}

int
store_attendee_mailed(struct store *s, int64_t id, int sequence)
{
	return step_done(s, query(s, &stmts, ST_MAILED,
				  ARGS(ARG_INT(id), ARG_INT(sequence))),
			 "record a registration's mail");
}

int
store_attendee_attended(struct store *s, int64_t id)
{
	return step_done(s, query(s, &stmts, ST_ATTENDED, ARGS(ARG_INT(id))),
			 "record attendance");
}

int
store_forget_guests(struct store *s, time_t before, long long *n)
{
	long long forgotten;

	*n = 0;
	if (step_done(s, query(s, &stmts, ST_GUESTS_UNCONFIRMED,
			       ARGS(ARG_INT(before))),
		      "drop unconfirmed requests") < 0)
		return -1;
	forgotten = sqlite3_changes(s->db);
	if (step_done(s, query(s, &stmts, ST_GUESTS_FORGET, ARGS(ARG_INT(before))),
		      "forget the guests of past meetings") < 0)
		return -1;
	*n = forgotten + sqlite3_changes(s->db);
	return 0;
}
