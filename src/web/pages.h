#ifndef TENDERLOTS_WEB_PAGES_H
#define TENDERLOTS_WEB_PAGES_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "form.h"
#include "meeting.h"
#include "rfi.h"
#include "site.h"
#include "template.h"

/*
 * What the pages of the web endpoint share. site.c takes each request,
 * finds its page in the route tables of the audiences and answers with
 * it: public.c has what anyone may read (lists, feeds, an RFI, a
 * meeting), firm.c what a firm does (the subscribe form and the pages
 * behind the signed links of its mails). The staff's pages are an
 * audience of their own, staff.c, served only on the staff's listener:
 * its table joins site.c's list of audiences, its pages enum page; the
 * pages of a part of the staff have a file and a table of their own
 * (staff_report.c) behind staff.c's on that list.
 */

/* Each page has a template per language and a title in its titles.conf. */
enum page {
	PAGE_INDEX, PAGE_RFIS, PAGE_RFI, PAGE_MEETINGS, PAGE_MEETING,
	PAGE_NOTICES, PAGE_SUBSCRIBE, PAGE_SUBSCRIBE_SENT, PAGE_CONFIRM,
	PAGE_CONFIRMED, PAGE_MANAGE, PAGE_UNSUBSCRIBE, PAGE_UNSUBSCRIBED,
	PAGE_STOP, PAGE_STOPPED, PAGE_RSVP, PAGE_ANSWER, PAGE_DELETED, PAGE_ERROR,
	PAGE_FEEDBACK, PAGE_SURVEY,
	PAGE_STAFF_LOGIN, PAGE_STAFF_PASSWORD, PAGE_STAFF_LOGOUT,
	PAGE_STAFF_HOME, PAGE_STAFF_ACCOUNTS, PAGE_STAFF_AUDIT,
	PAGE_STAFF_MEETINGS, PAGE_STAFF_MEETING_FORM, PAGE_STAFF_MEETING,
	PAGE_STAFF_CHECKIN, PAGE_STAFF_RFIS, PAGE_STAFF_RFI_FORM,
	PAGE_STAFF_RFI, PAGE_STAFF_ADVICE,
	PAGE_STAFF_REPORT, PAGE_STAFF_FIRMS, PAGE_STAFF_FIRM, PAGE_STAFF_NOTICES,
	PAGE_STAFF_PLAN, PAGE_STAFF_PLAN_FORM, PAGE_STAFF_PLAN_ENTRY, NPAGES
};

#define NLANGS 2

/*
 * What a request borrows for its time: a connection to the database of
 * its own (SQLite's connections are not to be shared between threads),
 * the outbox over it, and that connection's pages.
 */
struct site_conn {
	struct store *store;
	struct outbox *outbox;
	struct page_cache *cache;	/* site.c's */
	struct site_conn *next;
};

struct site {
	struct site_options o;
	const struct route *const *audiences;	/* NULL-terminated */
	struct tpl *head;
	struct tpl *nav[NLANGS], *foot[NLANGS], *page[NLANGS][NPAGES];
	char *title[NLANGS][NPAGES];
	pthread_mutex_t lock;	/* guards idle */
	struct site_conn *idle;
};

/* What a request is about, parsed once. */
struct visit {
	struct site *site;
	struct site_conn *conn;
	const struct web_request *req;
	struct web_response *res;
	struct form *query;
	struct form *body;
	int en;
	time_t now;
	struct staff_session *staff;	/* staff.c's: who is signed in */
};

enum {
	ROUTE_PREFIX = 1,	/* path is the start; the rest goes to serve */
	ROUTE_POST = 2,		/* takes forms; else only GET and HEAD */
	ROUTE_SHARED = 4	/* the same for everyone: connections keep it */
};

/* A page and the paths it answers. */
struct route {
	const char *path;
	unsigned flags;
	void (*serve)(struct visit *vi, const char *rest);
	unsigned roles;		/* staff: the account roles let in; 0: anyone */
};

/* The audiences' tables, each ended by a route with no path. */
extern const struct route public_routes[];
extern const struct route firm_routes[];
extern const struct route staff_routes[];
/* staff_report.c: näringslivsenheten's report and firm register */
extern const struct route report_routes[];
/* staff_unit.c: the procurement unit's RFIs, meetings and split advice */
extern const struct route unit_routes[];
/* staff_notice.c: the unit's own notices added by their link */
extern const struct route notice_routes[];
/* staff_plan.c: the procurement unit's plan */
extern const struct route plan_routes[];
/* The staff listener's tables, as site.c looks them up; NULL-ended. */
extern const struct route *const staff_audiences[];

/* ---- staff.c: who may see a staff page ---- */

/*
 * Finds who is signed in (session cookie, or the single sign-on header
 * of a trusted proxy) and whether the route lets them in, with a form's
 * CSRF token; answers the request itself and returns -1 if not.
 */
int staff_admit(struct visit *vi, const struct route *r);
/* Records a staff action in the audit log: who, from where, when. */
int staff_audit(struct visit *vi, const char *action, const char *object);
/* The staff's frame: who is signed in, their menu, the logout form. */
int staff_set_frame(struct tpl_vars *v, const struct visit *vi);
/* How many firms are registered for a meeting (not cancelled). */
int staff_registered(struct visit *vi, int64_t meeting, long long *count);
/*
 * The municipality's own procurements of one lot ([service] own_buyers),
 * where dividing is still possible: the split advice's candidates.
 */
int staff_advice_candidates(struct visit *vi, char ***ids, size_t *n);
/* The categories to choose from (list: key, name, selected), chosen's selected. */
int staff_set_categories(struct tpl_vars *v, const struct visit *vi,
			 const char *chosen);
/* 303 to a path of the site, in the visitor's language. */
void staff_redirect(struct visit *vi, const char *path);
/* staff_unit.c: a field of the form, NULL when left blank. */
const char *staff_typed(const struct visit *vi, const char *name);
/* The desk the unit's operations (rfi.h, plan.h) work at, for this request. */
struct rfi_desk staff_desk(struct visit *vi);
/* The categories as checkboxes (list: key, name, checked), keys' checked. */
int staff_category_boxes(struct tpl_vars *v, const struct visit *vi,
			 char *const *keys, size_t nkeys);
/* The categories ticked on the form (checkboxes name="category"). */
int staff_ticked(const struct visit *vi, char ***keys, size_t *nkeys);

/* ---- site.c: the frame of every page ---- */

/* The page in the frame of the site: head, navigation, foot. */
void site_render(struct visit *vi, enum page p, struct tpl_vars *v,
		 int status);
/*
 * The same with html after the page's template: markup a renderer made
 * and escaped (a report, a register's table), which templates cannot
 * hold unescaped.
 */
void site_render_html(struct visit *vi, enum page p, struct tpl_vars *v,
		      const struct buf *html, int status);
/* The error page, with the message in the visitor's language. */
void site_fail(struct visit *vi, int status, const char *sv, const char *en);
void site_not_found(struct visit *vi);
void site_store_failed(struct visit *vi);
/* "sv" or "en" */
const char *site_lang(const struct visit *vi);
int site_set_url(struct tpl_vars *v, const char *name, const char *path,
		 int en);
int site_set_time(struct tpl_vars *v, const char *name, time_t t,
		  const struct visit *vi);
int site_set_csrf(struct tpl_vars *v, const struct visit *vi, int64_t firm,
		  const char *form);
int site_csrf_ok(const struct visit *vi, int64_t firm, const char *form);
/*
 * An error on a form, about field (the id of its input, so the message
 * can link to it): the message sv or en, after it why if not NULL.
 */
int site_form_error(struct tpl_vars *v, const struct visit *vi,
		    const char *field, const char *sv, const char *en,
		    const char *why);

/* ---- signed.c: the pages behind the signed links of mails ---- */

struct firm;

/*
 * The id a signed link (token, for purpose) acts for, its object in
 * object; 0 if it is forged, altered or expired.
 */
int64_t link_firm(const struct visit *vi, const char *token,
		  const char *purpose, char *object, size_t objlen);
/* The polite refusal of a link that is not valid. */
void bad_link(struct visit *vi);
/* The firm a signed link acts for: NULL, the request answered, if none. */
struct firm *linked_firm(struct visit *vi, const char *token,
			 const char *purpose, char *object, size_t objlen);
/* feedback.c: a firm's answers about a match and a meeting */
extern const struct route feedback_routes[];

/* ---- public.c: what a firm's pages show of a meeting too ---- */

struct meeting *public_meeting_of(struct visit *vi, const char *number,
				  size_t *n);
int public_set_meeting_page(struct tpl_vars *v, struct visit *vi,
			    const struct meeting *m);
/* The meeting's page with its register form and calendar link. */
int public_set_meeting_form(struct tpl_vars *v, struct visit *vi,
			    const struct meeting *m);

#endif
