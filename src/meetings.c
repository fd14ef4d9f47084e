#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "firm.h"
#include "log.h"
#include "meetings.h"
#include "template.h"

/* A guest's unconfirmed request may be made anew after its link expired. */
#define REQUEST_LIFETIME (7L * 24 * 3600)

/* Meeting id, not ended, into *m; NULL (and *n 0) for none. */
static int
meeting_ahead(struct store *s, int64_t id, time_t now, struct meeting **m,
	      size_t *n)
{
	*m = NULL;
	*n = 0;
	if (store_meetings(s, now, id, m, n) < 0)
		return -1;
	if (!*n) {
		free(*m);
		*m = NULL;
	}
	return 0;
}

enum registration
meetings_closed(const struct meeting *m, time_t now)
{
	if (m->cancelled)
		return REG_CANCELLED;
	if (m->start <= now)
		return REG_OVER;
	if (m->has_registration_deadline && m->registration_deadline < now)
		return REG_CLOSED;
	return REG_OK;
}

/*
 * Meeting id when it takes registrations now, *result REG_OK; else *m
 * NULL and *result why not.
 */
static int
open_meeting(struct store *s, int64_t id, time_t now, struct meeting **m,
	     size_t *n, enum registration *result)
{
	if (meeting_ahead(s, id, now, m, n) < 0)
		return -1;
	*result = *m ? meetings_closed(*m, now) : REG_NO_MEETING;
	if (*result != REG_OK) {
		meetings_free(*m, *n);
		*m = NULL;
		*n = 0;
	}
	return 0;
}

static long
count_state(const struct attendee *r, size_t n, enum reg_state st)
{
	long k = 0;
	size_t i;

	for (i = 0; i < n; i++)
		k += r[i].state == (int)st;
	return k;
}

static const struct attendee *
find_reg(const struct attendee *r, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i].id == id)
			return &r[i];
	return NULL;
}

/*
 * Seats free for the first waiting: they move up, each mailed. The
 * caller holds the transaction.
 */
static int
move_up(struct store *s, struct outbox *o, const struct meeting *m,
	time_t now)
{
	struct attendee *r = NULL;
	size_t n = 0, i;
	long free_seats;
	int rc = -1;

	if (store_attendees(s, m->id, &r, &n) < 0)
		return -1;
	free_seats = m->capacity > 0 ?
		     m->capacity - count_state(r, n, RS_REGISTERED) : (long)n;
	for (i = 0; i < n && free_seats > 0; i++) {
		if (r[i].state != RS_WAITING)
			continue;
		if (store_set_attendee(s, r[i].id, RS_REGISTERED, now) < 0 ||
		    outbox_queue_attend(o, m, &r[i], ATTEND_MOVED_UP, now) < 0)
			goto out;
		free_seats--;
	}
	rc = 0;
out:
	attendees_free(r, n);
	return rc;
}

/*
 * Registration id of meeting m to a seat, or to the waiting list when
 * the seats are taken: REG_OK, REG_WAITING, REG_ALREADY; or why the
 * meeting takes no one. The caller holds the transaction.
 */
static int
take_seat(struct store *s, const struct meeting *m, int64_t id, time_t now,
	  enum registration *result)
{
	struct attendee *r = NULL;
	const struct attendee *me;
	size_t n = 0;
	int rc = -1;

	if ((*result = meetings_closed(m, now)) != REG_OK)
		return 0;
	if (store_attendees(s, m->id, &r, &n) < 0)
		return -1;
	me = find_reg(r, n, id);
	if (me && (me->state == RS_REGISTERED || me->state == RS_WAITING))
		*result = REG_ALREADY;
	else if (m->capacity > 0 &&
		 count_state(r, n, RS_REGISTERED) >= m->capacity)
		*result = REG_WAITING;
	if (*result != REG_ALREADY &&
	    (store_set_attendee(s, id, *result == REG_WAITING ?
				    RS_WAITING : RS_REGISTERED, now) < 0 ||
	     store_attendee_mailed(s, id, m->sequence) < 0))
		goto out;
	rc = 0;
out:
	attendees_free(r, n);
	return rc;
}

int
participation_register(struct store *s, int64_t meeting_id, int64_t firm_id,
		       time_t now, const char *source,
		       enum registration *result)
{
	struct meeting *m;
	size_t nm;
	int64_t id;
	int rc = -1;

	if (open_meeting(s, meeting_id, now, &m, &nm, result) < 0)
		return -1;
	if (!m)
		return 0;
	if (store_firm_attendee(s, meeting_id, firm_id, source, &id) < 0 ||
	    take_seat(s, m, id, now, result) < 0)
		goto out;
	rc = 0;
out:
	meetings_free(m, nm);
	return rc;
}

/* The mail a request causes, to the address that may own it. */
static int
request_mail(struct store *s, struct outbox *o, const struct meeting *m,
	     const char *orgnr, const char *name, const char *email,
	     const char *lang, time_t now,
	     int (*rcpt_allowed)(void *arg, const char *email), void *arg)
{
	struct attendee *r = NULL, *firm_reg = NULL;
	struct firm *f = NULL;
	struct attendee one = { 0 };
	int64_t firm_id, id;
	int created, allowed = 1, rc = -1;

	if (store_firm_id(s, orgnr, &firm_id) < 0)
		return -1;
	if (firm_id) {
		/* the register's address, never the one typed */
		if (store_get_firm(s, firm_id, &f) < 0)
			return -1;
		if (!f)
			return 0;
		one.meeting_id = m->id;
		one.firm_id = f->id;
		one.orgnr = f->orgnr;
		one.name = f->name;
		one.email = f->email;
		one.language = f->language;
		firm_reg = &one;
	} else {
		if (store_guest_request(s, m->id, orgnr, name, email, lang, now,
					now - REQUEST_LIFETIME, &id,
					&created) < 0 ||
		    store_attendee(s, id, &r) < 0)
			goto out;
		if (!r) {
			rc = 0;
			goto out;
		}
	}
	/* the cap keeps its own count, outside the mail's transaction */
	if (rcpt_allowed &&
	    (allowed = rcpt_allowed(arg, (firm_reg ? firm_reg : r)->email)) < 0)
		goto out;
	if (!allowed) {
		rc = 0;
		goto out;
	}
	if (store_begin(s) < 0)
		goto out;
	if (outbox_queue_attend(o, m, firm_reg ? firm_reg : r,
				firm_reg || r->state == RS_PENDING ? ATTEND_ASK :
				r->state == RS_WAITING ? ATTEND_WAITING :
				ATTEND_REGISTERED, now) < 0 ||
	    store_commit(s) < 0) {
		store_rollback(s);
		goto out;
	}
	rc = 0;
out:
	attendees_free(r, r ? 1 : 0);
	firm_free(f);
	return rc;
}

int
meetings_request(struct store *s, struct outbox *o, int64_t meeting_id,
		 const char *orgnr, const char *name, const char *email,
		 const char *lang, time_t now,
		 int (*rcpt_allowed)(void *arg, const char *email), void *arg,
		 enum registration *result)
{
	struct meeting *m;
	size_t nm;
	int rc = -1;

	if (open_meeting(s, meeting_id, now, &m, &nm, result) < 0)
		return -1;
	if (!m)
		return 0;
	if (request_mail(s, o, m, orgnr, name, email, lang, now, rcpt_allowed,
			 arg) < 0)
		goto out;
	*result = REG_PENDING;
	rc = 0;
out:
	meetings_free(m, nm);
	return rc;
}

/* Registration reg_id and its meeting, not ended; *r NULL if either is. */
static int
reg_and_meeting(struct store *s, int64_t reg_id, time_t now,
		struct attendee **r, struct meeting **m, size_t *nm)
{
	int rc;

	*m = NULL;
	*nm = 0;
	if (store_attendee(s, reg_id, r) < 0)
		return -1;
	if (!*r)
		return 0;
	rc = meeting_ahead(s, (*r)->meeting_id, now, m, nm);
	if (rc < 0 || !*m) {
		attendees_free(*r, 1);
		*r = NULL;
	}
	return rc;
}

int
meetings_confirm(struct store *s, struct outbox *o, int64_t reg_id,
		 time_t now, enum registration *result)
{
	struct attendee *r;
	struct meeting *m;
	size_t nm;
	int rc = -1;

	if (reg_and_meeting(s, reg_id, now, &r, &m, &nm) < 0)
		return -1;
	if (!r) {
		*result = REG_NO_MEETING;
		return 0;
	}
	if (store_begin(s) < 0)
		goto out;
	if (take_seat(s, m, reg_id, now, result) < 0 ||
	    ((*result == REG_OK || *result == REG_WAITING) &&
	     outbox_queue_attend(o, m, r, *result == REG_OK ? ATTEND_REGISTERED :
				 ATTEND_WAITING, now) < 0) ||
	    store_commit(s) < 0) {
		store_rollback(s);
		goto out;
	}
	rc = 0;
out:
	attendees_free(r, 1);
	meetings_free(m, nm);
	return rc;
}

/*
 * Cancels r, of meeting m; its seat goes to the first waiting. The
 * caller holds the transaction.
 */
static int
cancel_one(struct store *s, struct outbox *o, const struct meeting *m,
	   const struct attendee *r, time_t now)
{
	return store_set_attendee(s, r->id, RS_CANCELLED, now) < 0 ||
	       (r->state == RS_REGISTERED && !m->cancelled && m->start > now &&
		move_up(s, o, m, now) < 0) ? -1 : 0;
}

static int
is_active(const struct attendee *r)
{
	return r->state == RS_REGISTERED || r->state == RS_WAITING ||
	       r->state == RS_PENDING;
}

int
meetings_cancel(struct store *s, struct outbox *o, int64_t reg_id,
		time_t now, int *found)
{
	struct attendee *r;
	struct meeting *m;
	size_t nm;
	int rc = -1;

	*found = 0;
	if (reg_and_meeting(s, reg_id, now, &r, &m, &nm) < 0)
		return -1;
	if (!r)
		return 0;
	if (!(*found = is_active(r))) {
		rc = 0;
		goto out;
	}
	if (store_begin(s) < 0)
		goto out;
	if (cancel_one(s, o, m, r, now) < 0 || store_commit(s) < 0) {
		store_rollback(s);
		goto out;
	}
	rc = 0;
out:
	attendees_free(r, 1);
	meetings_free(m, nm);
	return rc;
}

int
meetings_cancel_firms(struct store *s, struct outbox *o, int64_t meeting_id,
		      const int64_t *firm_ids, size_t n, time_t now,
		      size_t *missing)
{
	struct attendee *r = NULL;
	struct meeting *m;
	size_t nr = 0, nm, i, j;
	int rc = -1;

	*missing = 0;
	if (meeting_ahead(s, meeting_id, now, &m, &nm) < 0)
		return -1;
	if (!m)
		return 0;
	if (store_begin(s) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		/* read again: each cancellation may move one up */
		if (store_attendees(s, meeting_id, &r, &nr) < 0)
			goto fail;
		for (j = 0; j < nr && !(r[j].firm_id == firm_ids[i] &&
					is_active(&r[j])); j++)
			;
		if (j == nr) {
			*missing = i;
			store_rollback(s);
			rc = 0;
			goto out;
		}
		if (cancel_one(s, o, m, &r[j], now) < 0)
			goto fail;
		attendees_free(r, nr);
		r = NULL;
		nr = 0;
	}
	if (store_commit(s) < 0)
		goto fail;
	*missing = n;
	rc = 0;
	goto out;
fail:
	store_rollback(s);
out:
	attendees_free(r, nr);
	meetings_free(m, nm);
	return rc;
}

/*
 * The last registered beyond capacity, who move to the waiting list,
 * latest first: taken out of r (registered come first there, in the
 * order they took their seats) into *moving.
 */
static int
beyond_capacity(struct attendee *r, size_t n, long capacity,
		struct attendee **moving, size_t *nmoving)
{
	long registered = count_state(r, n, RS_REGISTERED), k;

	*moving = NULL;
	*nmoving = 0;
	if (capacity <= 0 || registered <= capacity)
		return 0;
	if (!(*moving = calloc((size_t)(registered - capacity),
			       sizeof **moving)))
		return error("out of memory");
	for (k = registered - 1; k >= capacity; k--) {
		(*moving)[(*nmoving)++] = r[k];
		memset(&r[k], 0, sizeof r[k]);
	}
	return 0;
}

int
meetings_change(struct store *s, struct outbox *o, int64_t id,
		const struct meeting *m, int confirm, time_t now,
		enum meeting_change *result, struct attendee **moving,
		size_t *n)
{
	struct attendee *r = NULL;
	struct meeting *was = NULL, changed;
	size_t nr = 0, nwas = 0, i;
	int found, rc = -1;

	*moving = NULL;
	*n = 0;
	*result = CHANGE_NO_MEETING;
	if (store_meetings(s, 0, id, &was, &nwas) < 0)
		return -1;
	if (!nwas || was->cancelled) {
		rc = 0;
		goto out;
	}
	if (store_attendees(s, id, &r, &nr) < 0 ||
	    beyond_capacity(r, nr, m->capacity, moving, n) < 0)
		goto out;
	if (*n && !confirm) {
		*result = CHANGE_CONFIRM;
		rc = 0;
		goto out;
	}
	if (store_begin(s) < 0)
		goto out;
	if (store_change_meeting(s, id, m, now, &found) < 0)
		goto fail;
	changed = *m;
	changed.id = id;
	changed.sequence = was->sequence + 1;
	for (i = 0; i < *n; i++)
		if (store_set_attendee(s, (*moving)[i].id, RS_WAITING,
					   (*moving)[i].at) < 0 ||
		    outbox_queue_attend(o, &changed, &(*moving)[i],
					ATTEND_MOVED_DOWN, now) < 0)
			goto fail;
	if ((found && move_up(s, o, &changed, now) < 0) ||
	    store_commit(s) < 0)
		goto fail;
	*result = found ? CHANGE_DONE : CHANGE_NO_MEETING;
	rc = 0;
	goto out;
fail:
	store_rollback(s);
out:
	if (rc < 0 || *result != CHANGE_CONFIRM) {
		attendees_free(*moving, *n);
		*moving = NULL;
		*n = 0;
	}
	attendees_free(r, nr);
	meetings_free(was, nwas);
	return rc;
}

const char *
attendance_text(enum attendance a)
{
	switch (a) {
	case ATTENDANCE_OK:
		return "recorded";
	case ATTENDANCE_NOT_BEGUN:
		return "the meeting has not begun: attendance is recorded from "
		       "its start";
	case ATTENDANCE_CANCELLED:
		return "the meeting is cancelled: no one attended it";
	case ATTENDANCE_UNKNOWN:
		return "neither registered for the meeting nor a registered "
		       "firm";
	case ATTENDANCE_NO_MEETING:
		break;
	}
	return "no such meeting";
}

int
meetings_attended(struct store *s, int64_t id, char (*orgnrs)[12], size_t n,
		  time_t now, const char *source, enum attendance *result,
		  size_t *bad)
{
	struct attendee *r = NULL;
	struct meeting *m = NULL;
	size_t nr = 0, nm = 0, i, j;
	int64_t firm_id;
	int created, rc = -1;

	*bad = 0;
	if (store_meetings(s, 0, id, &m, &nm) < 0)
		return -1;
	*result = !nm ? ATTENDANCE_NO_MEETING : m->cancelled ? ATTENDANCE_CANCELLED :
		  m->start > now ? ATTENDANCE_NOT_BEGUN : ATTENDANCE_OK;
	if (*result != ATTENDANCE_OK) {
		rc = 0;
		goto out;
	}
	if (store_attendees(s, id, &r, &nr) < 0 || store_begin(s) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		for (j = 0; j < nr && strcmp(r[j].orgnr, orgnrs[i]) != 0; j++)
			;
		if (j < nr) {
			if (store_attendee_attended(s, r[j].id) < 0)
				goto fail;
			continue;
		}
		if (store_firm_id(s, orgnrs[i], &firm_id) < 0)
			goto fail;
		if (!firm_id) {
			*result = ATTENDANCE_UNKNOWN;
			*bad = i;
			store_rollback(s);
			rc = 0;
			goto out;
		}
		if (store_meeting_attended(s, id, firm_id, now, source,
					   &created) < 0)
			goto fail;
	}
	if (store_commit(s) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	store_rollback(s);
out:
	attendees_free(r, nr);
	meetings_free(m, nm);
	return rc;
}

/* The door's list: plain, printable, the boxes ticked with a pen. */
static const char checkin_tpl[] =
	"<!DOCTYPE html>\n<html lang=\"{{lang}}\">\n<head>\n"
	"<meta charset=\"utf-8\">\n<title>{{title}}</title>\n"
	"<style>body{font-family:sans-serif;margin:2em}"
	"table{border-collapse:collapse;width:100%}"
	"th,td{border:1px solid #000;padding:.4em;text-align:left}"
	"td.box{width:2.5em}@media print{a{display:none}}</style>\n"
	"</head>\n<body>\n<h1>{{title}}</h1>\n<p>{{starts}}{{#location}}, "
	"{{location}}{{/location}}</p>\n"
	"{{#cancelled}}<p><strong>{{cancelled}}</strong></p>\n{{/cancelled}}"
	"<h2>{{registered_heading}}</h2>\n"
	"<table>\n<thead><tr><th>{{came}}</th><th>{{orgnr}}</th>"
	"<th>{{name}}</th></tr></thead>\n<tbody>\n"
	"{{#registered}}<tr><td class=\"box\">&#9744;</td><td>{{orgnr}}</td>"
	"<td>{{name}}</td></tr>\n{{/registered}}"
	"</tbody>\n</table>\n"
	"{{#waiting}}<h2>{{waiting_heading}}</h2>\n"
	"<table>\n<thead><tr><th>{{came}}</th><th>{{orgnr}}</th>"
	"<th>{{name}}</th></tr></thead>\n<tbody>\n"
	"{{#list}}<tr><td class=\"box\">&#9744;</td><td>{{orgnr}}</td>"
	"<td>{{name}}</td></tr>\n{{/list}}"
	"</tbody>\n</table>\n{{/waiting}}"
	"<p>{{count}}</p>\n</body>\n</html>\n";

static int
add_row(struct tpl_vars *v, const char *list, const struct attendee *r)
{
	struct tpl_vars *row = tpl_add(v, list);

	return row && tpl_set(row, "orgnr", r->orgnr) == 0 &&
	       tpl_set(row, "name", r->name) == 0 ? 0 : -1;
}

static int
set_checkin(struct tpl_vars *v, const struct meeting *m,
	    const struct attendee *r, size_t n, int en)
{
	struct tpl_vars *waiting = NULL;
	struct buf when;
	size_t i;
	int rc = -1;

	buf_init(&when, 256);
	if (alert_format_time(m->start, en ? "en" : "sv", &when) < 0 ||
	    tpl_set(v, "lang", en ? "en" : "sv") < 0 ||
	    tpl_set(v, "title", m->title) < 0 ||
	    tpl_set(v, "starts", buf_str(&when)) < 0 ||
	    tpl_set(v, "location", m->location) < 0 ||
	    (m->cancelled && tpl_set(v, "cancelled", en ? "Cancelled" :
				     "Inställt") < 0) ||
	    tpl_set(v, "registered_heading", en ? "Registered" : "Anmälda") < 0 ||
	    tpl_set(v, "waiting_heading", en ? "Waiting list" :
		    "Reservlista") < 0 ||
	    tpl_set(v, "came", en ? "Came" : "Kom") < 0 ||
	    tpl_set(v, "orgnr", en ? "Org. no." : "Org.nr") < 0 ||
	    tpl_set(v, "name", en ? "Firm" : "Företag") < 0 ||
	    tpl_setf(v, "count", en ? "%ld registered, %ld waiting" :
		     "%ld anmälda, %ld på reservlistan",
		     count_state(r, n, RS_REGISTERED),
		     count_state(r, n, RS_WAITING)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (r[i].state == RS_REGISTERED &&
		    add_row(v, "registered", &r[i]) < 0)
			goto out;
		if (r[i].state == RS_WAITING &&
		    ((!waiting && !(waiting = tpl_add(v, "waiting"))) ||
		     add_row(waiting, "list", &r[i]) < 0))
			goto out;
	}
	rc = 0;
out:
	buf_release(&when);
	return rc;
}

int
meetings_checkin_html(struct store *s, int64_t id, const char *lang,
		      struct buf *out, int *found)
{
	struct attendee *r = NULL;
	struct meeting *m = NULL;
	struct tpl_vars *v = NULL;
	struct tpl *t = NULL;
	size_t nr = 0, nm = 0;
	int rc = -1;

	if (store_meetings(s, 0, id, &m, &nm) < 0)
		return -1;
	if (!(*found = nm > 0)) {
		rc = 0;
		goto out;
	}
	if (store_attendees(s, id, &r, &nr) < 0 ||
	    tpl_parse("check-in list", checkin_tpl, sizeof checkin_tpl - 1,
		      &t) < 0)
		goto out;
	if (!(v = tpl_vars_new()) ||
	    set_checkin(v, m, r, nr, lang && strcmp(lang, "en") == 0) < 0 ||
	    tpl_render(t, v, TPL_HTML, out) < 0)
		goto out;
	rc = 0;
out:
	tpl_vars_free(v);
	tpl_free(t);
	attendees_free(r, nr);
	meetings_free(m, nm);
	return rc;
}
