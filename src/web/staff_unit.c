#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "advice.h"
#include "category.h"
#include "cpv.h"
#include "filetype.h"
#include "firm.h"
#include "ini.h"
#include "meeting.h"
#include "meetings.h"
#include "notice.h"
#include "outbox.h"
#include "pages.h"
#include "rfi.h"
#include "store.h"
#include "template.h"
#include "unitfile.h"

/*
 * The procurement unit's pages (issue 18): its meetings and RFIs in the
 * browser, as `tenderlots meeting` and `rfi` do them on the server.
 * staff.c's comment says how a page is added; these are in unit_routes
 * at the end of this file, for the unit and admins. A form is checked
 * whole before anything is stored, its faults shown on it naming the
 * field, with what was typed; publishing goes through a preview of whom
 * it reaches.
 */

#define UNIT_ROLES (ROLE_UPPHANDLING | ROLE_ADMIN)
/* The unit's RFIs listed: those of the last year. */
#define DAY 86400L
#define RFI_LIST_DAYS 365
/* The firms ticked on a check-in list: more than any room holds. */
#define CHECKIN_MAX MEETING_CAPACITY_MAX

/* The meeting form's fields, as typed: what a form with faults shows. */
static const char *const meeting_fields[] = {
	"title", "description", "notice", "category", "start", "end",
	"location", "video_url", "capacity", "registration_deadline", NULL
};

const char *
staff_typed(const struct visit *vi, const char *name)
{
	const char *s = vi->body ? form_get(vi->body, name) : NULL;

	return s && *s ? s : NULL;
}

/* The faults a form has so far; nomem when one could not be shown. */
struct check {
	struct visit *vi;
	struct tpl_vars *v;
	int bad, nomem;
	struct buf why;
};

static void
fault(struct check *c, const char *field, const char *sv, const char *en)
{
	c->bad = 1;
	if (site_form_error(c->v, c->vi, field, sv, en,
			    c->why.len ? buf_str(&c->why) : NULL) < 0)
		c->nomem = 1;
	buf_reset(&c->why);
}

/* A text field within max bytes on one line; required or not. */
static const char *
text_field(struct check *c, const char *field, size_t max, int required,
	   const char *sv, const char *en)
{
	const char *s = staff_typed(c->vi, field);

	if (!s) {
		if (required)
			fault(c, field, sv, en);
		return NULL;
	}
	if (unitfile_check_text(s, max, &c->why) < 0) {
		fault(c, field, sv, en);
		return NULL;
	}
	return s;
}

/* A time "YYYY-MM-DD HH:MM" of the service's zone; 1 if given and right. */
static int
time_field(struct check *c, const char *field, int required, const char *sv,
	   const char *en, time_t *out)
{
	const char *s = staff_typed(c->vi, field);

	if (!s) {
		if (required)
			fault(c, field, sv, en);
		return 0;
	}
	if (unitfile_here_time(s, out, &c->why) < 0) {
		fault(c, field, sv, en);
		return 0;
	}
	return 1;
}

static int
dup_or_null(const char *s, char **out)
{
	*out = NULL;
	return s && !(*out = strdup(s)) ? -1 : 0;
}

/*
 * The meeting the form describes, into *out when it is right; its
 * faults on v. -1 only when memory runs out.
 */
static int
read_meeting(struct visit *vi, struct tpl_vars *v, struct meeting **out)
{
	struct check c = { vi, v, 0, 0, { 0 } };
	const struct config *cfg = vi->site->o.cfg;
	const char *title, *description, *notice, *category, *location;
	const char *video, *capacity;
	struct meeting *m = meeting_new();
	int has_start, has_end, has_deadline;
	char *end;
	long seats = 0;
	int rc = -1;

	*out = NULL;
	if (!m)
		return -1;
	buf_init(&c.why, 2 * INI_MAX_LINE);
	title = text_field(&c, "title", MEETING_TITLE_MAX, 1, "Rubrik", "Title");
	description = text_field(&c, "description", MEETING_DESCRIPTION_MAX, 0,
				 "Beskrivning", "Description");
	location = text_field(&c, "location", MEETING_LOCATION_MAX, 0, "Plats",
			      "Place");
	if ((notice = staff_typed(vi, "notice")) &&
	    unitfile_check_notice_id(notice, &c.why) < 0)
		fault(&c, "notice", "Upphandlingens id", "The procurement's id");
	if ((category = staff_typed(vi, "category")) &&
	    !category_find(vi->site->o.categories, category))
		fault(&c, "category", "Okänd kategori", "Unknown category");
	if (!notice && !category)
		fault(&c, "category", "Kategori: välj en eller ange "
		      "upphandlingens id", "Category: choose one or give the "
		      "procurement's id");
	if ((video = staff_typed(vi, "video_url")) &&
	    unitfile_check_https_url(video, &c.why) < 0)
		fault(&c, "video_url", "Länk till videomötet",
		      "Link to the video meeting");
	if (!location && !video && !staff_typed(vi, "location"))
		fault(&c, "location", "Plats: ange en eller en länk till ett "
		      "videomöte", "Place: give one or a link to a video meeting");
	if ((capacity = staff_typed(vi, "capacity")) &&
	    ((seats = strtol(capacity, &end, 10)) < 0 || *end ||
	     seats > MEETING_CAPACITY_MAX))
		fault(&c, "capacity", "Antal platser: ett heltal, 0 för "
		      "obegränsat", "Seats: a whole number, 0 for no limit");
	has_start = time_field(&c, "start", 1, "Börjar (ÅÅÅÅ-MM-DD TT:MM)",
			       "Starts (YYYY-MM-DD HH:MM)", &m->start);
	has_end = time_field(&c, "end", 1, "Slutar (ÅÅÅÅ-MM-DD TT:MM)",
			     "Ends (YYYY-MM-DD HH:MM)", &m->end);
	has_deadline = time_field(&c, "registration_deadline", 0,
				  "Sista anmälningsdag (ÅÅÅÅ-MM-DD TT:MM)",
				  "Registration deadline (YYYY-MM-DD HH:MM)",
				  &m->registration_deadline);
	if (has_start && m->start <= vi->now)
		fault(&c, "start", "Börjar: i det förflutna",
		      "Starts: in the past");
	if (has_start && has_end && m->end <= m->start)
		fault(&c, "end", "Slutar: innan mötet börjar",
		      "Ends: before the meeting starts");
	if (has_start && has_deadline && m->registration_deadline >= m->start)
		fault(&c, "registration_deadline", "Sista anmälningsdag: inte "
		      "före mötet", "Registration deadline: not before "
		      "the meeting");
	if (c.nomem)
		goto out;
	if (c.bad) {
		rc = 0;
		goto out;
	}
	m->capacity = seats;
	m->has_registration_deadline = has_deadline;
	if (dup_or_null(title, &m->title) < 0 ||
	    dup_or_null(description, &m->description) < 0 ||
	    dup_or_null(notice, &m->notice_id) < 0 ||
	    dup_or_null(category, &m->category) < 0 ||
	    dup_or_null(location, &m->location) < 0 ||
	    dup_or_null(video, &m->video_url) < 0 ||
	    dup_or_null(cfg->timezone, &m->timezone) < 0)
		goto out;
	*out = m;
	m = NULL;
	rc = 0;
out:
	buf_release(&c.why);
	meeting_free(m);
	return rc;
}

/* The meeting's fields as the form shows them, from m. */
static int
set_meeting_fields(struct tpl_vars *v, const struct meeting *m)
{
	char when[UNITFILE_WALL_LEN + 1];

	if ((m->title && tpl_set(v, "title", m->title) < 0) ||
	    (m->description && tpl_set(v, "description", m->description) < 0) ||
	    (m->notice_id && tpl_set(v, "notice", m->notice_id) < 0) ||
	    (m->location && tpl_set(v, "location", m->location) < 0) ||
	    (m->video_url && tpl_set(v, "video_url", m->video_url) < 0) ||
	    tpl_setf(v, "capacity", "%ld", m->capacity) < 0 ||
	    unitfile_here_wall_time(m->start, when) < 0 ||
	    tpl_set(v, "start", when) < 0 ||
	    unitfile_here_wall_time(m->end, when) < 0 ||
	    tpl_set(v, "end", when) < 0)
		return -1;
	if (m->has_registration_deadline &&
	    (unitfile_here_wall_time(m->registration_deadline, when) < 0 ||
	     tpl_set(v, "registration_deadline", when) < 0))
		return -1;
	return 0;
}

/* The fields as typed, for a form shown again. */
static int
set_typed(struct tpl_vars *v, const struct visit *vi)
{
	const char *const *f;
	const char *s;

	for (f = meeting_fields; *f; f++)
		if ((s = staff_typed(vi, *f)) && tpl_set(v, *f, s) < 0)
			return -1;
	return 0;
}

/* How many firms m would invite. */
static int
set_reach(struct tpl_vars *v, struct visit *vi, const struct meeting *m)
{
	struct firm_list firms = { 0 };
	size_t n;
	int rc = -1;

	if (store_load_firms(vi->conn->store, &firms) == 0 &&
	    outbox_meeting_reach(vi->conn->outbox, &firms, m, &n) == 0 &&
	    tpl_set(v, "preview", "1") == 0 &&
	    tpl_setf(v, "reach", "%zu", n) == 0)
		rc = 0;
	firm_list_release(&firms);
	return rc;
}

/* A meeting by id, whatever its state; *m NULL when there is none. */
static int
find_meeting(struct visit *vi, int64_t id, struct meeting **m)
{
	size_t n = 0;

	*m = NULL;
	if (store_meetings(vi->conn->store, 0, id, m, &n) < 0)
		return -1;
	if (n == 0) {
		meetings_free(*m, n);
		*m = NULL;
	}
	return 0;
}

/* "ID" or "ID/what" of a path's rest; -1 if it is neither. */
static int
id_of(const char *rest, int64_t *id, const char **what)
{
	char *end;
	long long v = strtoll(rest, &end, 10);

	if (end == rest || v < 1 || (*end && *end != '/') || *rest < '0' ||
	    *rest > '9')
		return -1;
	*id = v;
	*what = *end ? end + 1 : "";
	return 0;
}

/*
 * Changes meeting id to m: 1 when done, 2 when it is cancelled (by
 * someone else meanwhile); 0 when fewer seats would move registered
 * firms to the waiting list and the form did not confirm it: the preview
 * then names them and asks to confirm.
 */
static int
change(struct visit *vi, int64_t id, const struct meeting *m,
       struct tpl_vars *v)
{
	enum meeting_change result;
	struct attendee *moving = NULL;
	struct tpl_vars *item;
	size_t n = 0, i;
	int rc = -1;

	if (meetings_change(vi->conn->store, vi->conn->outbox, id, m,
			    staff_typed(vi, "confirm") != NULL, vi->now, &result,
			    &moving, &n) < 0)
		return -1;
	if (result != CHANGE_CONFIRM) {
		rc = result == CHANGE_DONE ? 1 : 2;
		goto out;
	}
	for (i = 0; i < n; i++)
		if (!(item = tpl_add(v, "moving")) ||
		    tpl_set(item, "orgnr", moving[i].orgnr) < 0 ||
		    tpl_set(item, "name", moving[i].name) < 0)
			goto out;
	rc = set_reach(v, vi, m) < 0 || tpl_set(v, "confirm", "1") < 0 ?
	     -1 : 0;
out:
	attendees_free(moving, n);
	return rc;
}

/*
 * The meeting form: new (id 0) or a change of meeting id. A form
 * without faults is shown as its preview (whom it invites), which
 * publishes it when sent again with step=publish.
 */
static void
meeting_form(struct visit *vi, int64_t id, const struct meeting *was)
{
	struct tpl_vars *v = tpl_vars_new();
	struct meeting *m = NULL;
	const char *step = staff_typed(vi, "step");
	char path[64], what[96];
	int64_t new_id = id;
	int rc, status = 200;

	if (id)
		snprintf(path, sizeof path, "/staff/meeting/%lld/change",
			 (long long)id);
	else
		snprintf(path, sizeof path, "/staff/meetings/new");
	if (!v || site_set_url(v, "action", path, vi->en) < 0 ||
	    (id && tpl_set(v, "changing", "1") < 0))
		goto failed;
	if (vi->req->method != WEB_POST) {
		if ((was && set_meeting_fields(v, was) < 0) ||
		    staff_set_categories(v, vi, was ? was->category : NULL) < 0)
			goto failed;
		goto show;
	}
	if (read_meeting(vi, v, &m) < 0 || set_typed(v, vi) < 0 ||
	    staff_set_categories(v, vi, staff_typed(vi, "category")) < 0)
		goto failed;
	if (!m) {
		status = 400;
		goto show;
	}
	if (!step || strcmp(step, "publish") != 0) {
		if (set_reach(v, vi, m) < 0)
			goto failed;
		goto show;
	}
	if (id) {
		if ((rc = change(vi, id, m, v)) < 0)
			goto failed;
		if (rc == 0)
			goto show;
		if (rc == 2) {
			site_fail(vi, 409, "Mötet är inställt och kan inte "
				  "ändras.", "The meeting is cancelled and "
				  "cannot be changed.");
			goto out;
		}
	} else if (store_put_meeting(vi->conn->store, m, vi->now,
				     &new_id) < 0) {
		goto failed;
	}
	snprintf(what, sizeof what, "meeting %lld", (long long)new_id);
	if (staff_audit(vi, id ? "meeting changed" : "meeting published",
			what) < 0)
		goto failed;
	snprintf(path, sizeof path, "/staff/meeting/%lld", (long long)new_id);
	staff_redirect(vi, path);
	goto out;
show:
	site_render(vi, PAGE_STAFF_MEETING_FORM, v, status);
	goto out;
failed:
	site_store_failed(vi);
out:
	meeting_free(m);
	tpl_vars_free(v);
}

static void
page_meeting_new(struct visit *vi, const char *rest)
{
	(void)rest;
	meeting_form(vi, 0, NULL);
}

/* A meeting of the list: when, how many registered against the seats. */
static int
add_meeting(struct tpl_vars *v, const char *list, struct visit *vi,
	    const struct meeting *m)
{
	struct tpl_vars *item = tpl_add(v, list);
	char path[64];
	long long count;

	snprintf(path, sizeof path, "/staff/meeting/%lld", (long long)m->id);
	return !item || staff_registered(vi, m->id, &count) < 0 ||
	       tpl_set(item, "title", m->title) < 0 ||
	       site_set_url(item, "url", path, vi->en) < 0 ||
	       site_set_time(item, "starts", m->start, vi) < 0 ||
	       tpl_setf(item, "registrations", "%lld", count) < 0 ||
	       (m->capacity &&
		tpl_setf(item, "capacity", "%ld", m->capacity) < 0) ||
	       (m->cancelled && tpl_set(item, "cancelled", "1") < 0) ? -1 : 0;
}

static void
page_meetings(struct visit *vi, const char *rest)
{
	struct tpl_vars *v = tpl_vars_new();
	struct meeting *m = NULL;
	size_t n = 0, i;

	(void)rest;
	if (!v || store_meetings(vi->conn->store, 0, 0, &m, &n) < 0 ||
	    site_set_url(v, "new_url", "/staff/meetings/new", vi->en) < 0)
		goto failed;
	for (i = 0; i < n; i++)
		if (add_meeting(v, m[i].end > vi->now ? "ahead" : "past", vi,
				&m[i]) < 0)
			goto failed;
	site_render(vi, PAGE_STAFF_MEETINGS, v, 200);
	goto out;
failed:
	site_store_failed(vi);
out:
	meetings_free(m, n);
	tpl_vars_free(v);
}

/* Attendance is for a meeting that has begun and is not cancelled. */
static int
attendance_open(const struct visit *vi, const struct meeting *m)
{
	return !m->cancelled && m->start <= vi->now;
}

/* A registration's state (enum reg_state) as the pages' flag of it. */
static const char *const state_flags[] = {
	[RS_NONE] = "is_unregistered", [RS_PENDING] = "is_pending",
	[RS_REGISTERED] = "is_registered", [RS_WAITING] = "is_waiting",
	[RS_CANCELLED] = "is_cancelled",
};

/*
 * A meeting's registrations: those with a seat in order, the waiting
 * list, the rest; for the door, only those who may come.
 */
static int
add_participants(struct tpl_vars *v, struct visit *vi, int64_t id,
		 int at_door)
{
	struct attendee *a = NULL;
	struct tpl_vars *item;
	size_t n = 0, i;
	int rc = -1;

	if (store_attendees(vi->conn->store, id, &a, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (at_door && a[i].state != RS_REGISTERED &&
		    a[i].state != RS_WAITING && !a[i].attended)
			continue;
		if (!(item = tpl_add(v, "participants")) ||
		    tpl_set(item, "orgnr", a[i].orgnr) < 0 ||
		    tpl_set(item, "name", a[i].name) < 0 ||
		    tpl_set(item, state_flags[a[i].state], "1") < 0 ||
		    (!a[i].firm_id && tpl_set(item, "guest", "1") < 0) ||
		    (a[i].attended && tpl_set(item, "checked", "1") < 0) ||
		    (a[i].at && site_set_time(item, "when", a[i].at, vi) < 0))
			goto out;
	}
	rc = 0;
out:
	attendees_free(a, n);
	return rc;
}

/*
 * The answers to the meeting's survey, newest first (surveys: orgnr,
 * name, rating, comment, when), their count and mean rating.
 */
static int
add_surveys(struct tpl_vars *v, struct visit *vi, int64_t id)
{
	struct survey_answer *a = NULL;
	struct tpl_vars *item;
	char mean[32], *dot;
	size_t n = 0, i;
	long sum = 0;
	int rc = -1;

	if (store_survey_answers(vi->conn->store, id, &a, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		sum += a[i].rating;
		if (!(item = tpl_add(v, "surveys")) ||
		    tpl_set(item, "orgnr", a[i].orgnr) < 0 ||
		    tpl_set(item, "name", a[i].name) < 0 ||
		    tpl_setf(item, "rating", "%d", a[i].rating) < 0 ||
		    tpl_set(item, "comment", a[i].comment) < 0 ||
		    site_set_time(item, "when", a[i].answered_at, vi) < 0)
			goto out;
	}
	snprintf(mean, sizeof mean, "%.1f", n ? (double)sum / (double)n : 0.0);
	if (!vi->en && (dot = strchr(mean, '.')))
		*dot = ',';
	if (n && (tpl_setf(v, "survey_count", "%zu", n) < 0 ||
		  tpl_set(v, "survey_mean", mean) < 0))
		goto out;
	rc = 0;
out:
	survey_answers_free(a, n);
	return rc;
}

/* The meeting's own fields, for its page and its check-in list. */
static int
set_meeting(struct tpl_vars *v, struct visit *vi, const struct meeting *m)
{
	const struct category *c = m->category ?
		category_find(vi->site->o.categories, m->category) : NULL;
	long long count;

	return tpl_set(v, "title", m->title) < 0 ||
	       site_set_time(v, "starts", m->start, vi) < 0 ||
	       site_set_time(v, "ends", m->end, vi) < 0 ||
	       (m->location && tpl_set(v, "location", m->location) < 0) ||
	       (m->video_url && tpl_set(v, "video_url", m->video_url) < 0) ||
	       (m->notice_id && tpl_set(v, "notice", m->notice_id) < 0) ||
	       (c && tpl_set(v, "category_name",
			     category_name(c, site_lang(vi))) < 0) ||
	       staff_registered(vi, m->id, &count) < 0 ||
	       tpl_setf(v, "registrations", "%lld", count) < 0 ||
	       (m->capacity &&
		tpl_setf(v, "capacity", "%ld", m->capacity) < 0) ||
	       (m->cancelled && tpl_set(v, "cancelled", "1") < 0) ? -1 : 0;
}

/* How many firms have been invited: those a change or cancellation tells. */
static int
set_invited(struct tpl_vars *v, struct visit *vi, int64_t id)
{
	struct meeting_invite *inv = NULL;
	size_t n = 0;
	int rc;

	if (store_meeting_invites(vi->conn->store, id, &inv, &n) < 0)
		return -1;
	rc = tpl_setf(v, "invited", "%zu", n);
	free(inv);
	return rc;
}

static void
show_meeting(struct visit *vi, const struct meeting *m)
{
	struct tpl_vars *v = tpl_vars_new();
	char change[64], cancel[64], checkin[64];
	int ahead = !m->cancelled && m->start > vi->now;

	snprintf(change, sizeof change, "/staff/meeting/%lld/change",
		 (long long)m->id);
	snprintf(cancel, sizeof cancel, "/staff/meeting/%lld/cancel",
		 (long long)m->id);
	snprintf(checkin, sizeof checkin, "/staff/checkin/%lld",
		 (long long)m->id);
	if (!v || set_meeting(v, vi, m) < 0 ||
	    set_invited(v, vi, m->id) < 0 ||
	    add_participants(v, vi, m->id, 0) < 0 ||
	    add_surveys(v, vi, m->id) < 0 ||
	    (ahead &&
	     (site_set_url(v, "change_url", change, vi->en) < 0 ||
	      site_set_url(v, "cancel_url", cancel, vi->en) < 0)) ||
	    (attendance_open(vi, m) &&
	     site_set_url(v, "checkin_url", checkin, vi->en) < 0))
		site_store_failed(vi);
	else
		site_render(vi, PAGE_STAFF_MEETING, v, 200);
	tpl_vars_free(v);
}

/* Cancels a meeting ahead; those invited are told with the next run. */
static void
cancel_meeting(struct visit *vi, const struct meeting *m)
{
	char what[64], path[64];
	int found;

	if (store_cancel_meeting(vi->conn->store, m->id, vi->now, &found) < 0)
		goto failed;
	if (!found) {
		site_fail(vi, 409, "Mötet är redan inställt.",
			  "The meeting is cancelled already.");
		return;
	}
	snprintf(what, sizeof what, "meeting %lld", (long long)m->id);
	if (staff_audit(vi, "meeting cancelled", what) < 0)
		goto failed;
	snprintf(path, sizeof path, "/staff/meeting/%lld", (long long)m->id);
	staff_redirect(vi, path);
	return;
failed:
	site_store_failed(vi);
}

/* /staff/meeting/ID, its change form (ID/change) and cancellation. */
static void
page_meeting(struct visit *vi, const char *rest)
{
	int post = vi->req->method == WEB_POST;
	struct meeting *m = NULL;
	const char *what;
	int64_t id;

	if (id_of(rest, &id, &what) < 0) {
		site_not_found(vi);
		return;
	}
	if (find_meeting(vi, id, &m) < 0) {
		site_store_failed(vi);
		return;
	}
	if (!m || (strcmp(what, "") != 0 && strcmp(what, "change") != 0 &&
		   strcmp(what, "cancel") != 0) ||
	    (post && !*what) || (!post && strcmp(what, "cancel") == 0))
		site_not_found(vi);
	else if (!*what)
		show_meeting(vi, m);
	else if (m->cancelled || m->start <= vi->now)
		site_fail(vi, 409, "Bara ett möte som inte har börjat och inte "
			  "är inställt kan ändras eller ställas in.",
			  "Only a meeting that has not begun and is not "
			  "cancelled can be changed or cancelled.");
	else if (strcmp(what, "change") == 0)
		meeting_form(vi, id, m);
	else
		cancel_meeting(vi, m);
	meetings_free(m, m ? 1 : 0);
}

/*
 * The firms ticked on the attendance form, recorded as attending, all
 * or none; a fault is shown on the form.
 */
static int
record_attendance(struct visit *vi, const struct meeting *m,
		  struct tpl_vars *v, int *done)
{
	size_t n = form_count(vi->body, "orgnr"), i, bad;
	char (*orgnrs)[12] = NULL, what[96];
	enum attendance result;
	int rc = -1;

	*done = 0;
	if (n > CHECKIN_MAX ||
	    !(orgnrs = calloc(n ? n : 1, sizeof *orgnrs)))
		return -1;
	for (i = 0; i < n; i++)
		if (orgnr_normalize(form_get_nth(vi->body, "orgnr", i),
				    orgnrs[i]) < 0) {
			rc = site_form_error(v, vi, "participants", "Okänt "
					     "organisationsnummer",
					     "An unknown organisation number",
					     NULL);
			goto out;
		}
	if (meetings_attended(vi->conn->store, m->id, orgnrs, n, vi->now, "web",
			      &result, &bad) < 0)
		goto out;
	if (result != ATTENDANCE_OK) {
		rc = site_form_error(v, vi, "participants", "Närvaron sparades "
				     "inte", "Attendance was not recorded",
				     attendance_text(result));
		goto out;
	}
	snprintf(what, sizeof what, "meeting %lld: %zu firms",
		 (long long)m->id, n);
	if (staff_audit(vi, "attendance", what) < 0)
		goto out;
	*done = 1;
	rc = 0;
out:
	free(orgnrs);
	return rc;
}

/* The printable list for the door (meetings.h), a page of its own. */
static void
print_checkin(struct visit *vi, int64_t id)
{
	int found;

	buf_reset(&vi->res->body);
	if (meetings_checkin_html(vi->conn->store, id, site_lang(vi),
				  &vi->res->body, &found) < 0)
		site_store_failed(vi);
	else if (!found)
		site_not_found(vi);
	else
		vi->res->status = 200;
}

/*
 * Attendance: a form with those registered and waiting to tick, and the
 * printable list for the door (ID/print); only once the meeting has
 * begun, and not for one cancelled.
 */
static void
page_checkin(struct visit *vi, const char *rest)
{
	int post = vi->req->method == WEB_POST, done = 0;
	struct tpl_vars *v = NULL;
	struct meeting *m = NULL;
	const char *what;
	char path[64], print[64];
	int64_t id;

	if (id_of(rest, &id, &what) < 0 ||
	    (*what && (post || strcmp(what, "print") != 0))) {
		site_not_found(vi);
		return;
	}
	if (find_meeting(vi, id, &m) < 0)
		goto failed;
	if (!m) {
		site_not_found(vi);
		goto out;
	}
	if (!attendance_open(vi, m)) {
		site_fail(vi, 409, "Närvaro tas bara för ett möte som har börjat "
			  "och inte är inställt.", "Attendance is only taken "
			  "for a meeting that has begun and is not cancelled.");
		goto out;
	}
	if (*what) {
		print_checkin(vi, id);
		goto out;
	}
	snprintf(path, sizeof path, "/staff/checkin/%lld", (long long)id);
	snprintf(print, sizeof print, "/staff/checkin/%lld/print",
		 (long long)id);
	if (!(v = tpl_vars_new()) ||
	    (post && record_attendance(vi, m, v, &done) < 0))
		goto failed;
	if (done) {
		staff_redirect(vi, strcat(path, "?saved=1"));
		goto out;
	}
	if (set_meeting(v, vi, m) < 0 ||
	    site_set_url(v, "action", path, vi->en) < 0 ||
	    site_set_url(v, "print_url", print, vi->en) < 0 ||
	    add_participants(v, vi, id, 1) < 0 ||
	    (form_get(vi->query, "saved") && tpl_set(v, "saved", "1") < 0))
		goto failed;
	site_render(vi, PAGE_STAFF_CHECKIN, v, post ? 400 : 200);
	goto out;
failed:
	site_store_failed(vi);
out:
	tpl_vars_free(v);
	meetings_free(m, m ? 1 : 0);
}

/* ---- RFIs ---- */

/* The RFI form's fields, as typed; the categories are checkboxes. */
static const char *const rfi_fields[] = {
	"title", "description", "cpv", "answer_deadline", "contact",
	"attachments", "procedure", NULL
};

struct rfi_desk
staff_desk(struct visit *vi)
{
	return (struct rfi_desk){ .store = vi->conn->store,
				  .cfg = vi->site->o.cfg,
				  .categories = vi->site->o.categories,
				  .now = vi->now, .match_later = 1 };
}

/* The words of a field into a string vector; -1 when memory runs out. */
static int
words_field(struct check *c, const char *field, char ***out, size_t *n)
{
	const char *s = staff_typed(c->vi, field);

	*out = NULL;
	*n = 0;
	if (!s)
		return 0;
	return strvec_split(s, out, n);
}

/*
 * The RFI the form describes, into *out when it is right; its faults on
 * v. -1 only when memory runs out.
 */
static int
read_rfi(struct visit *vi, struct tpl_vars *v, struct rfi **out)
{
	struct check c = { vi, v, 0, 0, { 0 } };
	const struct category_set *cs = vi->site->o.categories;
	const char *title, *description, *contact, *procedure, *key;
	char code[CPV_LEN + 1];
	struct rfi *r = rfi_new();
	size_t i, n;
	int rc = -1;

	*out = NULL;
	if (!r)
		return -1;
	buf_init(&c.why, 2 * INI_MAX_LINE);
	title = text_field(&c, "title", RFI_TITLE_MAX, 1, "Rubrik", "Title");
	description = text_field(&c, "description", RFI_DESCRIPTION_MAX, 0,
				 "Beskrivning", "Description");
	n = form_count(vi->body, "category");
	for (i = 0; i < n && i < cs->n; i++) {
		key = form_get_nth(vi->body, "category", i);
		if (!category_find(cs, key))
			fault(&c, "categories", "Okänd kategori",
			      "Unknown category");
		else if (strvec_push(&r->categories, &r->ncategories, key) < 0)
			c.nomem = 1;
	}
	if (words_field(&c, "cpv", &r->cpv, &r->ncpv) < 0)
		goto out;
	/* codes with a check digit are kept as 8 digits, as in a file */
	for (i = 0; i < r->ncpv; i++) {
		if (cpv_normalize(r->cpv[i], code) < 0 || !cpv_known(code)) {
			fault(&c, "cpv", "CPV-koder: okänd kod",
			      "CPV codes: an unknown code");
			break;
		}
		memcpy(r->cpv[i], code, CPV_LEN + 1);
	}
	if (!r->ncategories && !r->ncpv)
		fault(&c, "categories", "Kategorier: välj minst en, eller ange "
		      "CPV-koder", "Categories: choose one, or give CPV codes");
	if (time_field(&c, "answer_deadline", 1, "Svar senast (ÅÅÅÅ-MM-DD "
		       "TT:MM)", "Answers by (YYYY-MM-DD HH:MM)",
		       &r->answer_deadline) && r->answer_deadline <= vi->now)
		fault(&c, "answer_deadline", "Svar senast: i det förflutna",
		      "Answers by: in the past");
	if ((contact = staff_typed(vi, "contact")) &&
	    unitfile_check_mailbox(contact, &c.why) < 0)
		fault(&c, "contact", "Kontakt", "Contact");
	else if (!contact)
		fault(&c, "contact", "Kontakt: namn och e-postadress, som "
		      "Enheten <upphandling@kommun.se>", "Contact: a name and "
		      "an address, as Unit <procurement@example.org>");
	if (words_field(&c, "attachments", &r->attachments,
			&r->nattachments) < 0)
		goto out;
	for (i = 0; i < r->nattachments; i++)
		if (unitfile_check_https_url(r->attachments[i], &c.why) < 0) {
			fault(&c, "attachments", "Dokument", "Documents");
			break;
		}
	if ((procedure = staff_typed(vi, "procedure")) &&
	    unitfile_check_notice_id(procedure, &c.why) < 0)
		fault(&c, "procedure", "Upphandlingens id",
		      "The procurement's id");
	if (c.nomem)
		goto out;
	if (c.bad) {
		rc = 0;
		goto out;
	}
	if (dup_or_null(title, &r->title) < 0 ||
	    dup_or_null(description, &r->description) < 0 ||
	    dup_or_null(contact, &r->contact) < 0 ||
	    dup_or_null(procedure, &r->procedure) < 0 ||
	    dup_or_null(vi->site->o.cfg->timezone, &r->timezone) < 0)
		goto out;
	*out = r;
	r = NULL;
	rc = 0;
out:
	buf_release(&c.why);
	rfi_free(r);
	return rc;
}

int
staff_category_boxes(struct tpl_vars *v, const struct visit *vi,
		   char *const *keys, size_t nkeys)
{
	const struct category_set *cs = vi->site->o.categories;
	struct tpl_vars *item;
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (!(item = tpl_add(v, "categories")) ||
		    tpl_set(item, "key", cs->v[i].key) < 0 ||
		    tpl_set(item, "name", category_name(&cs->v[i],
							 site_lang(vi))) < 0 ||
		    (strvec_has(keys, nkeys, cs->v[i].key) &&
		     tpl_set(item, "checked", "1") < 0))
			return -1;
	return 0;
}

int
staff_ticked(const struct visit *vi, char ***keys, size_t *nkeys)
{
	size_t n = vi->body ? form_count(vi->body, "category") : 0, i;

	for (i = 0; i < n && i < vi->site->o.categories->n; i++)
		if (strvec_push(keys, nkeys,
				form_get_nth(vi->body, "category", i)) < 0)
			return -1;
	return 0;
}

/* The form's fields as typed, the categories ticked as they were. */
static int
set_rfi_typed(struct tpl_vars *v, struct visit *vi)
{
	char **keys = NULL;
	size_t nkeys = 0;
	const char *const *f;
	const char *s;
	int rc = -1;

	for (f = rfi_fields; *f; f++)
		if ((s = staff_typed(vi, *f)) && tpl_set(v, *f, s) < 0)
			goto out;
	if (staff_ticked(vi, &keys, &nkeys) < 0)
		goto out;
	rc = staff_category_boxes(v, vi, keys, nkeys);
out:
	strvec_free(keys, nkeys);
	return rc;
}

/* What an edit starts with: what the stored RFI tells of itself. */
static int
set_rfi_entry(struct tpl_vars *v, const struct rfi_entry *e)
{
	char when[UNITFILE_WALL_LEN + 1];

	return tpl_set(v, "title", e->title) < 0 ||
	       (e->has_deadline &&
		(unitfile_here_wall_time(e->deadline, when) < 0 ||
		 tpl_set(v, "answer_deadline", when) < 0)) ? -1 : 0;
}

/* What publishing r would do: its categories, its firms, its likely twins. */
static int
set_rfi_preview(struct tpl_vars *v, struct visit *vi, const struct rfi *r)
{
	struct rfi_desk d = staff_desk(vi);
	struct rfi_preview p;
	const struct category *c;
	struct tpl_vars *item;
	size_t i;
	int rc = -1;

	if (rfi_preview(&d, r, "form", &p) < 0)
		return -1;
	if (tpl_set(v, "preview", "1") < 0 ||
	    tpl_setf(v, "reach", "%zu", p.firms) < 0)
		goto out;
	for (i = 0; i < p.ncategories; i++) {
		c = category_find(vi->site->o.categories, p.categories[i]);
		if (!(item = tpl_add(v, "reached")) ||
		    tpl_set(item, "name", c ? category_name(c, site_lang(vi)) :
			    p.categories[i]) < 0)
			goto out;
	}
	for (i = 0; i < p.nduplicates; i++)
		if (!(item = tpl_add(v, "duplicates")) ||
		    tpl_set(item, "title", p.duplicates[i].title) < 0 ||
		    tpl_set(item, "notice", p.duplicates[i].notice_id) < 0)
			goto out;
	rc = 0;
out:
	rfi_preview_release(&p);
	return rc;
}

/*
 * The RFI form: a new one (notice_id NULL) or an edit of the unit's
 * open RFI notice_id, e, which starts with its title and deadline. A form without faults is shown as its preview
 * (categories, firms reached, likely duplicates), which publishes it
 * when sent again with step=publish.
 */
static void
rfi_form(struct visit *vi, const char *notice_id, const struct rfi_entry *e)
{
	struct tpl_vars *v = tpl_vars_new();
	struct rfi_desk d = staff_desk(vi);
	struct rfi *r = NULL;
	const char *step = staff_typed(vi, "step");
	char path[128], id[64];
	unsigned firms;
	int status = 200;

	if (notice_id)
		snprintf(path, sizeof path, "/staff/rfi/%s/edit", notice_id);
	else
		snprintf(path, sizeof path, "/staff/rfis/new");
	if (!v || site_set_url(v, "action", path, vi->en) < 0 ||
	    (notice_id && tpl_set(v, "changing", "1") < 0))
		goto failed;
	if (vi->req->method != WEB_POST) {
		if (staff_category_boxes(v, vi, NULL, 0) < 0 ||
		    (e && set_rfi_entry(v, e) < 0))
			goto failed;
		goto show;
	}
	if (read_rfi(vi, v, &r) < 0 || set_rfi_typed(v, vi) < 0)
		goto failed;
	if (!r) {
		status = 400;
		goto show;
	}
	if (!step || strcmp(step, "publish") != 0) {
		if (set_rfi_preview(v, vi, r) < 0)
			goto failed;
		goto show;
	}
	if (notice_id) {
		if (rfi_edit(&d, notice_id, r, "form") < 0)
			goto failed;
		snprintf(id, sizeof id, "%s", notice_id);
	} else if (rfi_publish(&d, r, "form", id, sizeof id, &firms) < 0) {
		goto failed;
	}
	if (staff_audit(vi, notice_id ? "rfi edited" : "rfi published",
			id) < 0)
		goto failed;
	snprintf(path, sizeof path, "/staff/rfi/%s", id);
	staff_redirect(vi, path);
	goto out;
show:
	site_render(vi, PAGE_STAFF_RFI_FORM, v, status);
	goto out;
failed:
	site_store_failed(vi);
out:
	rfi_free(r);
	tpl_vars_free(v);
}

static void
page_rfi_new(struct visit *vi, const char *rest)
{
	(void)rest;
	rfi_form(vi, NULL, NULL);
}

/* An RFI's answers, each with its files to download. */
static int
add_answers(struct tpl_vars *v, struct visit *vi, const char *notice_id)
{
	struct rfi_answer *a = NULL;
	struct rfi_answer_file *f = NULL;
	struct tpl_vars *item, *file;
	size_t na = 0, nf = 0, i, j;
	char path[64];
	int rc = -1;

	if (rfi_answers(vi->conn->store, notice_id, &a, &na, &f, &nf) < 0)
		return -1;
	for (i = 0; i < na; i++) {
		if (!(item = tpl_add(v, "answers_given")) ||
		    tpl_set(item, "orgnr", a[i].orgnr ? a[i].orgnr : "") < 0 ||
		    tpl_set(item, "name", a[i].firm_name ? a[i].firm_name :
			    "") < 0 ||
		    (a[i].text && tpl_set(item, "text", a[i].text) < 0) ||
		    site_set_time(item, "when", a[i].answered_at, vi) < 0)
			goto out;
		for (j = 0; j < nf; j++) {
			if (f[j].answer != a[i].id)
				continue;
			snprintf(path, sizeof path, "/staff/file/%lld",
				 (long long)f[j].id);
			if (!(file = tpl_add(item, "files")) ||
			    tpl_set(file, "name", f[j].name) < 0 ||
			    site_set_url(file, "url", path, vi->en) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	rfi_answers_free(a, na);
	rfi_answer_files_free(f, nf);
	return rc;
}

/* An RFI's page; error, if any, about the withdrawal's reason. */
static void
show_rfi(struct visit *vi, const struct rfi_entry *e, const char *error,
	 int status)
{
	struct tpl_vars *v = tpl_vars_new();
	char edit[128], close[128], withdraw[128];
	int open = !e->closed_at && !e->withdrawn_at;

	snprintf(edit, sizeof edit, "/staff/rfi/%s/edit", e->notice_id);
	snprintf(close, sizeof close, "/staff/rfi/%s/close", e->notice_id);
	snprintf(withdraw, sizeof withdraw, "/staff/rfi/%s/withdraw",
		 e->notice_id);
	if (!v || tpl_set(v, "title", e->title) < 0 ||
	    tpl_set(v, "notice", e->notice_id) < 0 ||
	    tpl_setf(v, "answers", "%lld", e->responses) < 0 ||
	    (e->has_deadline &&
	     site_set_time(v, "deadline", e->deadline, vi) < 0) ||
	    (e->closed_at && site_set_time(v, "closed", e->closed_at, vi) < 0) ||
	    (e->withdrawn_at &&
	     site_set_time(v, "withdrawn", e->withdrawn_at, vi) < 0) ||
	    (e->ted_notice_id && tpl_set(v, "ted", e->ted_notice_id) < 0) ||
	    (e->own && open &&
	     (site_set_url(v, "edit_url", edit, vi->en) < 0 ||
	      site_set_url(v, "close_url", close, vi->en) < 0)) ||
	    (e->own && !e->withdrawn_at &&
	     site_set_url(v, "withdraw_url", withdraw, vi->en) < 0) ||
	    add_answers(v, vi, e->notice_id) < 0 ||
	    (error && site_form_error(v, vi, "why", error, error, NULL) < 0))
		site_store_failed(vi);
	else
		site_render(vi, PAGE_STAFF_RFI, v, status);
	tpl_vars_free(v);
}

/* Closes or withdraws the unit's RFI, as its forms ask. */
static void
end_rfi(struct visit *vi, const struct rfi_entry *e, const char *what)
{
	struct rfi_desk d = staff_desk(vi);
	const char *why = staff_typed(vi, "why");
	char path[128];
	int withdraw = strcmp(what, "withdraw") == 0;

	if (withdraw && (!why || strlen(why) > RFI_WHY_MAX ||
			 strpbrk(why, "\r\n"))) {
		show_rfi(vi, e, vi->en ? "Why: write in one line why the RFI "
			 "is withdrawn; the firms are told." : "Varför: skriv på "
			 "en rad varför marknadsdialogen dras tillbaka; "
			 "företagen får veta det.", 400);
		return;
	}
	if ((withdraw ? rfi_withdraw(&d, e->notice_id, why) :
	     rfi_close(&d, e->notice_id)) < 0 ||
	    staff_audit(vi, withdraw ? "rfi withdrawn" : "rfi closed",
			e->notice_id) < 0) {
		site_store_failed(vi);
		return;
	}
	snprintf(path, sizeof path, "/staff/rfi/%s", e->notice_id);
	staff_redirect(vi, path);
}

/* /staff/rfi/ID, its edit form (ID/edit), closing and withdrawal. */
static void
page_rfi(struct visit *vi, const char *rest)
{
	int post = vi->req->method == WEB_POST;
	size_t len = strcspn(rest, "/"), n = 0;
	const char *what = rest[len] ? rest + len + 1 : "";
	struct rfi_entry *e = NULL;
	char id[64];

	if (len == 0 || len >= sizeof id) {
		site_not_found(vi);
		return;
	}
	snprintf(id, sizeof id, "%.*s", (int)len, rest);
	if (store_rfis(vi->conn->store, vi->now, id, &e, &n) < 0) {
		site_store_failed(vi);
		return;
	}
	if (!n || (*what && !e->own) ||
	    (strcmp(what, "") != 0 && strcmp(what, "edit") != 0 &&
	     strcmp(what, "close") != 0 && strcmp(what, "withdraw") != 0) ||
	    (post && !*what) ||
	    (!post && (strcmp(what, "close") == 0 ||
		       strcmp(what, "withdraw") == 0)))
		site_not_found(vi);
	else if (!*what)
		show_rfi(vi, e, NULL, 200);
	else if (e->withdrawn_at || (strcmp(what, "withdraw") != 0 &&
				     e->closed_at))
		site_fail(vi, 409, "Marknadsdialogen är redan stängd eller "
			  "tillbakadragen.", "The RFI is closed or withdrawn "
			  "already.");
	else if (strcmp(what, "edit") == 0)
		rfi_form(vi, id, e);
	else
		end_rfi(vi, e, what);
	rfi_entries_free(e, n);
}

/* An answer's file, under the name the program gave it. */
static void
page_file(struct visit *vi, const char *rest)
{
	struct rfi_answer_file f = { 0 };
	const struct filetype *t;
	char *end, what[64];
	long long id = strtoll(rest, &end, 10);
	int found = 0;

	if (id < 1 || *end || !*rest) {
		site_not_found(vi);
		return;
	}
	if (rfi_answer_download(vi->conn->store, id, &f, vi->res->filename,
				sizeof vi->res->filename, &found) < 0)
		goto failed;
	if (!found) {
		site_not_found(vi);
		return;
	}
	snprintf(what, sizeof what, "file %lld", id);
	buf_reset(&vi->res->body);
	/* the type the bytes showed when the file came, as a static text */
	t = filetype_of(vi->res->filename, f.data, f.len);
	if (staff_audit(vi, "answer downloaded", what) < 0 ||
	    buf_add(&vi->res->body, f.data, f.len) < 0)
		goto failed;
	vi->res->status = 200;
	vi->res->content_type = t ? t->mime : "application/octet-stream";
	goto out;
failed:
	site_store_failed(vi);
out:
	rfi_answer_file_release(&f);
}

/* ---- split advice ---- */

/* The decision in force on a notice, and the form for a new one. */
/* Whether the form sent ticked the reason key. */
static int
reason_ticked(const struct visit *vi, const char *key)
{
	size_t n = vi->body ? form_count(vi->body, "reason") : 0, i;

	for (i = 0; i < n; i++)
		if (strcmp(form_get_nth(vi->body, "reason", i), key) == 0)
			return 1;
	return 0;
}

/* A refused decision's form shows again what was chosen and typed. */
static int
keep_typed(const struct visit *vi, struct tpl_vars *item)
{
	static const char *const decisions[] = {
		"divided", "not_divided", "later", NULL
	};
	const char *decision = staff_typed(vi, "decision");
	const char *const *d;
	char flag[32];

	for (d = decisions; *d; d++)
		if (decision && strcmp(decision, *d) == 0) {
			snprintf(flag, sizeof flag, "%s_checked", *d);
			if (tpl_set(item, flag, "1") < 0)
				return -1;
		}
	return tpl_set(item, "parts_value", staff_typed(vi, "parts")) < 0 ||
	       tpl_set(item, "note_value", staff_typed(vi, "note")) < 0 ? -1 : 0;
}

/* A candidate and its form; keep: the form refused, as it was sent. */
static int
add_candidate(struct tpl_vars *v, struct visit *vi, const char *notice_id,
	      int keep)
{
	struct stored_notice *n = NULL;
	struct split_decision *d = NULL;
	struct tpl_vars *item, *r;
	const struct advice_reason *a;
	char path[128];
	size_t nd = 0;
	int rc = -1;

	if (store_get_notice(vi->conn->store, notice_id, &n) < 0 ||
	    store_split_decisions(vi->conn->store, notice_id, &d, &nd) < 0)
		goto out;
	snprintf(path, sizeof path, "/staff/advice/%s", notice_id);
	if (!(item = tpl_add(v, "candidates")) ||
	    tpl_set(item, "notice", notice_id) < 0 ||
	    tpl_set(item, "title", n && n->title ? n->title : notice_id) < 0 ||
	    site_set_url(item, "action", path, vi->en) < 0)
		goto out;
	snprintf(path, sizeof path, "/staff/advice/%s/record", notice_id);
	if (site_set_url(item, "record_url", path, vi->en) < 0)
		goto out;
	if (nd && (tpl_set(item, "decision", d[0].decision) < 0 ||
		   tpl_set(item, "decided_by", d[0].decided_by) < 0 ||
		   site_set_time(item, "decided_at", d[0].decided_at, vi) < 0))
		goto out;
	if (keep && keep_typed(vi, item) < 0)
		goto out;
	for (a = advice_reasons; a->key; a++)
		if (!(r = tpl_add(item, "reasons")) ||
		    tpl_set(r, "key", a->key) < 0 ||
		    tpl_set(r, "name", vi->en ? a->en : a->sv) < 0 ||
		    (keep && reason_ticked(vi, a->key) &&
		     tpl_set(r, "checked", "1") < 0))
			goto out;
	rc = 0;
out:
	split_decisions_free(d, nd);
	stored_notice_free(n);
	return rc;
}

/* The candidates, as the start page has them. */
static int
add_candidates(struct tpl_vars *v, struct visit *vi, const char *refused)
{
	char **ids = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (staff_advice_candidates(vi, &ids, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (add_candidate(v, vi, ids[i],
				  refused && strcmp(ids[i], refused) == 0) < 0)
			goto out;
	rc = 0;
out:
	strvec_free(ids, n);
	return rc;
}

/* The candidates; refused: the notice whose form is shown as it was sent. */
static void
show_advice(struct visit *vi, const char *error, int status,
	    const char *refused)
{
	struct tpl_vars *v = tpl_vars_new();

	if (!v || add_candidates(v, vi, refused) < 0 ||
	    (error && tpl_set(v, "message", error) < 0))
		site_store_failed(vi);
	else
		site_render(vi, PAGE_STAFF_ADVICE, v, status);
	tpl_vars_free(v);
}

/* The form's reasons, space-separated as the store keeps them. */
static int
reasons_of(struct visit *vi, struct buf *out)
{
	size_t n = form_count(vi->body, "reason"), i;
	const struct advice_reason *a;
	const char *key;

	for (i = 0; i < n; i++) {
		key = form_get_nth(vi->body, "reason", i);
		for (a = advice_reasons; a->key && strcmp(a->key, key) != 0; a++)
			;
		if (a->key && buf_printf(out, "%s%s", out->len ? " " : "",
					 key) < 0)
			return -1;
	}
	return 0;
}

/*
 * Records the unit's decision on a candidate: divided (into which
 * parts), not divided (with the reasons of LOU 4 kap. 14 §), or later.
 */
static void
decide(struct visit *vi, const char *notice_id)
{
	struct split_decision d = { 0 };
	const char *decision = staff_typed(vi, "decision");
	const char *parts = staff_typed(vi, "parts"), *note = staff_typed(vi, "note");
	struct buf reasons;
	char what[128];

	buf_init(&reasons, 4096);
	if (reasons_of(vi, &reasons) < 0)
		goto failed;
	d.notice_id = (char *)notice_id;
	d.decision = (char *)decision;
	d.parts = decision && strcmp(decision, "divided") == 0 ?
		  (char *)parts : NULL;
	d.reasons = decision && strcmp(decision, "not_divided") == 0 &&
		    reasons.len ? (char *)buf_str(&reasons) : NULL;
	d.note = (char *)note;
	d.decided_by = vi->staff->name;
	if (!decision || (strcmp(decision, "divided") == 0 && !parts) ||
	    (strcmp(decision, "not_divided") == 0 && !d.reasons)) {
		show_advice(vi, vi->en ? "Choose a decision: divided, with its "
			    "parts; not divided, with at least one reason; or "
			    "later." : "Välj ett beslut: delad, med delarna; "
			    "inte delad, med minst ett skäl; eller senare.",
			    400, notice_id);
		goto out;
	}
	if (d.reasons && reason_ticked(vi, "other") && !note) {
		show_advice(vi, vi->en ? "Note: the reason “another reason” "
			    "needs a note saying what it is." : "Kommentar: "
			    "skälet ”annat skäl” behöver en kommentar som "
			    "säger vilket det är.", 400, notice_id);
		goto out;
	}
	if (advice_decide(vi->conn->store, &d, vi->now) < 0) {
		show_advice(vi, vi->en ? "The decision was not recorded: a "
			    "reason \"other\" needs a note, and texts one line "
			    "each." : "Beslutet sparades inte: skälet "
			    "\"annat\" behöver en kommentar, och texterna en "
			    "rad var.", 400, notice_id);
		goto out;
	}
	snprintf(what, sizeof what, "%.100s: %.20s", notice_id, decision);
	if (staff_audit(vi, "split decision", what) < 0)
		goto failed;
	staff_redirect(vi, "/staff/advice");
	goto out;
failed:
	site_store_failed(vi);
out:
	buf_release(&reasons);
}

/* The printable record of a notice's decisions, for the procurement's file. */
static void
record(struct visit *vi, const char *notice_id)
{
	buf_reset(&vi->res->body);
	if (advice_record_html(vi->conn->store, notice_id, site_lang(vi),
			       &vi->res->body) < 0) {
		site_not_found(vi);
		return;
	}
	vi->res->status = 200;
}

static void
page_advice_list(struct visit *vi, const char *rest)
{
	(void)rest;
	show_advice(vi, NULL, 200, NULL);
}

/* A decision (POST /staff/advice/ID) and the record (ID/record). */
static void
page_advice(struct visit *vi, const char *rest)
{
	int post = vi->req->method == WEB_POST;
	size_t len = strcspn(rest, "/");
	char id[128];

	if (len == 0 || len >= sizeof id) {
		site_not_found(vi);
		return;
	}
	snprintf(id, sizeof id, "%.*s", (int)len, rest);
	rest += len;
	if (post && !*rest)
		decide(vi, id);
	else if (!post && strcmp(rest, "/record") == 0)
		record(vi, id);
	else
		site_not_found(vi);
}

/* The unit's RFIs of the last year: open, closed and withdrawn. */
static void
page_rfis(struct visit *vi, const char *rest)
{
	struct tpl_vars *v = tpl_vars_new(), *item;
	struct rfi_entry *e = NULL;
	char path[128];
	size_t n = 0, i;

	(void)rest;
	if (!v || store_own_rfis(vi->conn->store, vi->now - RFI_LIST_DAYS * DAY,
				 &e, &n) < 0 ||
	    site_set_url(v, "new_url", "/staff/rfis/new", vi->en) < 0)
		goto failed;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "/staff/rfi/%s", e[i].notice_id);
		if (!(item = tpl_add(v, "rfis")) ||
		    tpl_set(item, "title", e[i].title) < 0 ||
		    tpl_set(item, "notice", e[i].notice_id) < 0 ||
		    site_set_url(item, "url", path, vi->en) < 0 ||
		    tpl_setf(item, "answers", "%lld", e[i].responses) < 0 ||
		    (e[i].closed_at && tpl_set(item, "closed", "1") < 0) ||
		    (e[i].withdrawn_at && tpl_set(item, "withdrawn", "1") < 0) ||
		    (e[i].has_deadline &&
		     site_set_time(item, "deadline", e[i].deadline, vi) < 0))
			goto failed;
	}
	site_render(vi, PAGE_STAFF_RFIS, v, 200);
	goto out;
failed:
	site_store_failed(vi);
out:
	rfi_entries_free(e, n);
	tpl_vars_free(v);
}

const struct route unit_routes[] = {
	{ "/staff/meetings", 0, page_meetings, UNIT_ROLES },
	{ "/staff/meetings/new", ROUTE_POST, page_meeting_new, UNIT_ROLES },
	{ "/staff/meeting/", ROUTE_PREFIX | ROUTE_POST, page_meeting,
	  UNIT_ROLES },
	{ "/staff/checkin/", ROUTE_PREFIX | ROUTE_POST, page_checkin,
	  UNIT_ROLES },
	{ "/staff/rfis", 0, page_rfis, UNIT_ROLES },
	{ "/staff/rfis/new", ROUTE_POST, page_rfi_new, UNIT_ROLES },
	{ "/staff/rfi/", ROUTE_PREFIX | ROUTE_POST, page_rfi, UNIT_ROLES },
	{ "/staff/file/", ROUTE_PREFIX, page_file, UNIT_ROLES },
	{ "/staff/advice", 0, page_advice_list, UNIT_ROLES },
	{ "/staff/advice/", ROUTE_PREFIX | ROUTE_POST, page_advice, UNIT_ROLES },
	{ NULL, 0, NULL, 0 }
};
