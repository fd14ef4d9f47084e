#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "category.h"
#include "form.h"
#include "pages.h"
#include "store.h"
#include "template.h"

/*
 * The staff's pages: the procurement unit's and näringslivsenheten's
 * side, on the staff's listener only. staff_admit, called by site.c
 * before any of them, finds who is signed in (the session cookie, or
 * the single sign-on header from a trusted proxy), turns away who has
 * no account, the wrong role, or a form without the session's CSRF
 * token; the handlers then only do their page.
 *
 * To add a page:
 *  1. a row in a route table: staff_routes at the end of this file, or
 *     the table of the file of its part (staff_unit.c's unit_routes,
 *     staff_report.c's report_routes, staff_notice.c's notice_routes;
 *     a new one joins site.c's
 *     staff_audiences): its path (under /staff/), ROUTE_POST if it takes
 *     a form, ROUTE_PREFIX if the rest of the path names an object, its
 *     handler, the roles it lets in (account.h);
 *  2. the handler, void page_x(struct visit *vi, const char *rest): it
 *     reads through vi->conn->store, sets its fields and calls
 *     site_render(vi, PAGE_STAFF_X, v, 200); a form has
 *     <input type="hidden" name="csrf" value="{{csrf}}"> (the frame sets
 *     csrf) and every change it makes calls staff_audit;
 *  3. PAGE_STAFF_X in pages.h's enum page, its name in site.c's
 *     page_names and its new fields in known_fields, and
 *     templates/web/{sv,en}/staff_x.html with a title in each
 *     titles.conf.
 * tests/test_staff.c walks every table of staff_audiences: a new route
 * is tried without a session, with the wrong role and without its CSRF
 * token with no line of its own.
 */

#define COOKIE_NAME "tl_staff"
/* Logins tried in LOGIN_WINDOW seconds, per account and per address. */
#define LOGIN_WINDOW 900
#define LOGINS_PER_ACCOUNT 5
#define LOGINS_PER_CLIENT 20
/* The audit log's page. */
#define AUDIT_PAGE 50
#define AUDIT_PAGES_MAX 10000

void
staff_redirect(struct visit *vi, const char *path)
{
	vi->res->status = 303;
	snprintf(vi->res->location, sizeof vi->res->location, "%s%s", path,
		 vi->en ? (strchr(path, '?') ? "&lang=en" : "?lang=en") : "");
}

static void
forbidden(struct visit *vi)
{
	site_fail(vi, 403, "Du har inte behörighet till sidan.",
		  "You may not see this page.");
}

int
staff_audit(struct visit *vi, const char *action, const char *object)
{
	return store_staff_audit(vi->conn->store,
				 vi->staff ? vi->staff->name : "-", action,
				 object, vi->req->client, vi->now);
}

/* The session id the browser sent, or "" for none. */
static void
cookie_of(const struct visit *vi, char out[ACCOUNT_SECRET_LEN])
{
	const char *c = web_header(vi->req, "Cookie"), *p;
	size_t n;

	out[0] = '\0';
	for (p = c; p && *p; p += strcspn(p, ";"), p += strspn(p, "; ")) {
		if (strncmp(p, COOKIE_NAME "=", strlen(COOKIE_NAME) + 1) != 0)
			continue;
		p += strlen(COOKIE_NAME) + 1;
		n = strcspn(p, "; ");
		if (n == ACCOUNT_SECRET_LEN - 1) {
			memcpy(out, p, n);
			out[n] = '\0';
		}
		return;
	}
}

/* Secure when the staff's pages are reached over https. */
static void
set_cookie(struct visit *vi, const char *value, int end)
{
	const char *url = vi->site->o.cfg->staff_public_url;

	snprintf(vi->res->set_cookie, sizeof vi->res->set_cookie,
		 COOKIE_NAME "=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
		 value, end ? "; Max-Age=0" : "",
		 url && strncmp(url, "https://", 8) == 0 ? "; Secure" : "");
}

static int
load_session(struct visit *vi, const char *id)
{
	const struct config *cfg = vi->site->o.cfg;
	char digest[ACCOUNT_SECRET_LEN];

	account_digest(id, digest);
	return store_staff_session(vi->conn->store, digest, vi->now,
				   cfg->staff_idle_timeout,
				   cfg->staff_session_timeout, &vi->staff);
}

/*
 * A new session for the account: a new id whatever the browser had (a
 * session id planted before the login opens nothing), with a CSRF token
 * of its own.
 */
static int
start_session(struct visit *vi, int64_t account)
{
	char id[ACCOUNT_SECRET_LEN], digest[ACCOUNT_SECRET_LEN];
	char csrf[ACCOUNT_SECRET_LEN];

	account_secret(id);
	account_secret(csrf);
	account_digest(id, digest);
	staff_session_free(vi->staff);
	vi->staff = NULL;
	if (store_staff_session_put(vi->conn->store, digest, account, csrf,
				    vi->now) < 0 ||
	    load_session(vi, id) < 0)
		return -1;
	set_cookie(vi, id, 0);
	return 0;
}

/* Ends the browser's session, if it has one. */
static int
end_session(struct visit *vi)
{
	char id[ACCOUNT_SECRET_LEN], digest[ACCOUNT_SECRET_LEN];

	cookie_of(vi, id);
	if (!id[0])
		return 0;
	account_digest(id, digest);
	set_cookie(vi, "", 1);
	return store_staff_session_end(vi->conn->store, digest);
}

/*
 * The user an authenticating proxy names: only a trusted proxy's word
 * is taken, and only for an account there is. 1 when the request was
 * answered (no such account).
 */
static int
single_sign_on(struct visit *vi, const char *user)
{
	int64_t id;
	char *hash = NULL;
	int rc = -1;

	if (vi->staff && strcmp(vi->staff->name, user) == 0)
		return 0;
	if (store_staff_password(vi->conn->store, user, &id, &hash) < 0)
		goto out;
	if (!id) {
		site_fail(vi, 403, "Du har inget konto här. Be en "
			  "administratör lägga till det.",
			  "You have no account here. Ask an administrator to "
			  "add it.");
		rc = 1;
		goto out;
	}
	if (end_session(vi) < 0 || start_session(vi, id) < 0 ||
	    staff_audit(vi, "login", "single sign-on") < 0)
		goto out;
	rc = 0;
out:
	free(hash);
	return rc;
}

static int
csrf_ok(const struct visit *vi)
{
	const char *token = vi->body ? form_get(vi->body, "csrf") : NULL;

	return token && account_same(token, vi->staff->csrf);
}

int
staff_admit(struct visit *vi, const struct route *r)
{
	const struct config *cfg = vi->site->o.cfg;
	const char *user = NULL, *lang;
	char id[ACCOUNT_SECRET_LEN];
	int rc;

	cookie_of(vi, id);
	if (id[0] && load_session(vi, id) < 0)
		goto failed;
	if (cfg->staff_user_header && vi->req->peer_trusted)
		user = web_header(vi->req, cfg->staff_user_header);
	if (user && *user && (rc = single_sign_on(vi, user)) != 0) {
		if (rc < 0)
			goto failed;
		return -1;
	}
	lang = form_get(vi->query, "lang");
	if (vi->staff && !lang)
		vi->en = strcmp(vi->staff->lang, "en") == 0;
	if (!r->roles)
		return 0;
	if (!vi->staff) {
		if (vi->req->method == WEB_POST)
			forbidden(vi);
		else
			staff_redirect(vi, "/staff/login");
		return -1;
	}
	if (!(account_role(vi->staff->role) & r->roles) ||
	    (vi->req->method == WEB_POST && !csrf_ok(vi))) {
		forbidden(vi);
		return -1;
	}
	return 0;
failed:
	site_store_failed(vi);
	return -1;
}

int
staff_set_categories(struct tpl_vars *v, const struct visit *vi,
		     const char *chosen)
{
	const struct category_set *cs = vi->site->o.categories;
	struct tpl_vars *item;
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (!(item = tpl_add(v, "categories")) ||
		    tpl_set(item, "key", cs->v[i].key) < 0 ||
		    tpl_set(item, "name", category_name(&cs->v[i],
							 site_lang(vi))) < 0 ||
		    (chosen && strcmp(chosen, cs->v[i].key) == 0 &&
		     tpl_set(item, "selected", "1") < 0))
			return -1;
	return 0;
}

int
staff_set_frame(struct tpl_vars *v, const struct visit *vi)
{
	unsigned role;

	if (site_set_url(v, "staff_home_url", "/staff/", vi->en) < 0 ||
	    site_set_url(v, "login_url", "/staff/login", vi->en) < 0)
		return -1;
	if (!vi->staff)
		return 0;
	role = account_role(vi->staff->role);
	/* a page's own form may carry a signed token instead */
	return tpl_set(v, "user", vi->staff->name) < 0 ||
	       tpl_set(v, "role", vi->staff->role) < 0 ||
	       site_set_url(v, "logout_url", "/staff/logout", vi->en) < 0 ||
	       (role & (ROLE_UPPHANDLING | ROLE_ADMIN) &&
		(site_set_url(v, "unit_meetings_url", "/staff/meetings",
			      vi->en) < 0 ||
		 site_set_url(v, "unit_rfis_url", "/staff/rfis", vi->en) < 0 ||
		 site_set_url(v, "unit_notices_url", "/staff/notices",
			      vi->en) < 0 ||
		 site_set_url(v, "unit_advice_url", "/staff/advice",
			      vi->en) < 0 ||
		 site_set_url(v, "unit_plan_url", "/staff/plan", vi->en) < 0)) ||
	       (role & ROLE_ADMIN &&
		(site_set_url(v, "accounts_url", "/staff/accounts", vi->en) < 0 ||
		 site_set_url(v, "audit_url", "/staff/audit", vi->en) < 0)) ||
	       (!tpl_isset(v, "csrf") &&
		tpl_set(v, "csrf", vi->staff->csrf) < 0) ? -1 : 0;
}

/* ---- login, logout, password ---- */

/* A form of a page before the login, with its signed token and errors. */
static struct tpl_vars *
signed_form(struct visit *vi, const char *form, const char *path,
	    const char *error)
{
	struct tpl_vars *v = tpl_vars_new();

	if (v && site_set_csrf(v, vi, 0, form) == 0 &&
	    site_set_url(v, "action", path, vi->en) == 0 &&
	    (!error || tpl_set(v, "errors", error) == 0))
		return v;
	tpl_vars_free(v);
	return NULL;
}

static void
show_login(struct visit *vi, const char *error, const char *message,
	   int status)
{
	struct tpl_vars *v = signed_form(vi, "staff-login", "/staff/login",
					 error);

	if (!v || (message && tpl_set(v, "message", message) < 0))
		site_store_failed(vi);
	else
		site_render(vi, PAGE_STAFF_LOGIN, v, status);
	tpl_vars_free(v);
}

/* A try counted against the name and the address; 1 if it may go on. */
static int
may_try(struct visit *vi, const char *name)
{
	char key[ACCOUNT_SECRET_LEN + 64], digest[ACCOUNT_SECRET_LEN];
	int account_ok, client_ok;

	/* names of any length make keys of one */
	account_digest(name, digest);
	snprintf(key, sizeof key, "staff-login/account/%s", digest);
	if (store_take_attempt(vi->conn->store, key, vi->now, LOGIN_WINDOW,
			       LOGINS_PER_ACCOUNT, &account_ok) < 0)
		return -1;
	snprintf(key, sizeof key, "staff-login/client/%.60s", vi->req->client);
	if (store_take_attempt(vi->conn->store, key, vi->now, LOGIN_WINDOW,
			       LOGINS_PER_CLIENT, &client_ok) < 0)
		return -1;
	return account_ok && client_ok;
}

static void
login(struct visit *vi)
{
	const char *name = form_get(vi->body, "name");
	const char *pw = form_get(vi->body, "password");
	char *hash = NULL;
	int64_t id;
	int ok;

	if (!site_csrf_ok(vi, 0, "staff-login")) {
		forbidden(vi);
		return;
	}
	if (!name || !pw || strlen(pw) > ACCOUNT_PASSWORD_MAX ||
	    strlen(name) > 256) {
		show_login(vi, vi->en ? "Fill in your name and password." :
			   "Fyll i namn och lösenord.", NULL, 400);
		return;
	}
	if ((ok = may_try(vi, name)) < 0)
		goto failed;
	if (!ok) {
		if (store_staff_audit(vi->conn->store, name, "login refused",
				      "too many tries", vi->req->client,
				      vi->now) < 0)
			goto failed;
		show_login(vi, vi->en ? "Too many tries. Wait a quarter of an "
			   "hour and try again." : "För många försök. Vänta en "
			   "kvart och försök igen.", NULL, 429);
		goto out;
	}
	if (store_staff_password(vi->conn->store, name, &id, &hash) < 0)
		goto failed;
	if (!account_password_ok(id ? hash : NULL, pw)) {
		if (store_staff_audit(vi->conn->store, name, "login failed", "",
				      vi->req->client, vi->now) < 0)
			goto failed;
		show_login(vi, vi->en ? "Wrong name or password." :
			   "Fel namn eller lösenord.", NULL, 403);
		goto out;
	}
	if (end_session(vi) < 0 || start_session(vi, id) < 0 ||
	    staff_audit(vi, "login", "password") < 0)
		goto failed;
	staff_redirect(vi, "/staff/");
	goto out;
failed:
	site_store_failed(vi);
out:
	free(hash);
}

static void
page_login(struct visit *vi, const char *rest)
{
	(void)rest;
	if (vi->req->method == WEB_POST)
		login(vi);
	else if (vi->staff)
		staff_redirect(vi, "/staff/");
	else
		show_login(vi, NULL, form_get(vi->query, "set") ?
			   (vi->en ? "Your password is saved. Log in with it." :
			    "Ditt lösenord är sparat. Logga in med det.") : NULL,
			   200);
}

static void
page_logout(struct visit *vi, const char *rest)
{
	struct tpl_vars *v;

	(void)rest;
	if (vi->req->method == WEB_POST) {
		if (staff_audit(vi, "logout", "") < 0 || end_session(vi) < 0)
			site_store_failed(vi);
		else
			staff_redirect(vi, "/staff/login");
		return;
	}
	if (!(v = tpl_vars_new()))
		site_store_failed(vi);
	else
		site_render(vi, PAGE_STAFF_LOGOUT, v, 200);
	tpl_vars_free(v);
}

static void
show_password(struct visit *vi, const char *token, const char *user,
	      const char *error, int status)
{
	struct tpl_vars *v = signed_form(vi, "staff-password",
					 "/staff/password", error);

	if (!v || tpl_set(v, "token", token) < 0 ||
	    tpl_set(v, "name", user) < 0)
		site_store_failed(vi);
	else
		site_render(vi, PAGE_STAFF_PASSWORD, v, status);
	tpl_vars_free(v);
}

static void
link_dead(struct visit *vi)
{
	site_fail(vi, 410, "Länken gäller inte längre. Be en administratör "
		  "om en ny.", "The link is no longer valid. Ask an "
		  "administrator for a new one.");
}

/*
 * The one-time link of `staff add` and `staff reset`: the form shows
 * while the link holds, and setting the password spends it and ends the
 * account's sessions.
 */
static void
page_password(struct visit *vi, const char *rest)
{
	int post = vi->req->method == WEB_POST;
	const char *token = form_get(post ? vi->body : vi->query, "t");
	const char *pw, *again, *problem;
	struct staff_account *a = NULL;
	char digest[ACCOUNT_SECRET_LEN], *hash = NULL;
	int64_t id;

	(void)rest;
	if (post && !site_csrf_ok(vi, 0, "staff-password")) {
		forbidden(vi);
		return;
	}
	if (!token || strlen(token) != ACCOUNT_SECRET_LEN - 1) {
		link_dead(vi);
		return;
	}
	account_digest(token, digest);
	if (store_staff_link_account(vi->conn->store, digest, vi->now, &a) < 0)
		goto failed;
	if (!a) {
		link_dead(vi);
		return;
	}
	if (!post) {
		show_password(vi, token, a->name, NULL, 200);
		goto out;
	}
	pw = form_get(vi->body, "password");
	again = form_get(vi->body, "password2");
	if (!pw || !again || strcmp(pw, again) != 0) {
		show_password(vi, token, a->name, vi->en ?
			      "The two passwords differ." :
			      "De två lösenorden är olika.", 400);
		goto out;
	}
	if ((problem = account_password_problem(pw, vi->en))) {
		show_password(vi, token, a->name, problem, 400);
		goto out;
	}
	if (account_hash_password(pw, &hash) < 0 ||
	    store_staff_link_use(vi->conn->store, digest, hash, vi->now,
				 &id) < 0)
		goto failed;
	if (!id) {
		link_dead(vi);
		goto out;
	}
	if (store_staff_audit(vi->conn->store, a->name, "password set",
			      "one-time link", vi->req->client, vi->now) < 0)
		goto failed;
	/* the browser's session, if any, was the account's or another's */
	staff_session_free(vi->staff);
	vi->staff = NULL;
	staff_redirect(vi, "/staff/login?set=1");
	goto out;
failed:
	site_store_failed(vi);
out:
	free(hash);
	staff_accounts_free(a, a ? 1 : 0);
}

/* ---- the start page ---- */

/* A deadline of the week ahead: what falls due when. */
static int
add_deadline(struct tpl_vars *v, const struct visit *vi, const char *title,
	     const char *sv, const char *en, time_t when)
{
	struct tpl_vars *item = tpl_add(v, "deadlines");

	return !item || tpl_set(item, "title", title) < 0 ||
	       tpl_set(item, "what", vi->en ? en : sv) < 0 ||
	       site_set_time(item, "when", when, vi) < 0 ? -1 : 0;
}

static int
add_rfis(struct tpl_vars *v, struct visit *vi, time_t week)
{
	struct rfi_entry *e = NULL;
	struct tpl_vars *item;
	char path[256];
	size_t n = 0, i;
	int rc = -1;

	if (store_rfis(vi->conn->store, vi->now, NULL, &e, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (!e[i].own)
			continue;
		/* the unit's page of it, with its answers */
		snprintf(path, sizeof path, "/staff/rfi/%s", e[i].notice_id);
		if (!(item = tpl_add(v, "rfis")) ||
		    tpl_set(item, "title", e[i].title) < 0 ||
		    site_set_url(item, "notice_url", path, vi->en) < 0 ||
		    tpl_setf(item, "answers", "%lld", e[i].responses) < 0 ||
		    (e[i].has_deadline &&
		     site_set_time(item, "deadline", e[i].deadline, vi) < 0))
			goto out;
		if (e[i].has_deadline && e[i].deadline < week &&
		    add_deadline(v, vi, e[i].title, "svar på marknadsdialogen",
				 "answers to the RFI", e[i].deadline) < 0)
			goto out;
	}
	rc = 0;
out:
	rfi_entries_free(e, n);
	return rc;
}

int
staff_registered(struct visit *vi, int64_t meeting, long long *count)
{
	struct attendee *a = NULL;
	size_t n = 0, i;

	*count = 0;
	if (store_attendees(vi->conn->store, meeting, &a, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		*count += a[i].state == RS_REGISTERED;
	attendees_free(a, n);
	return 0;
}

static int
add_meetings(struct tpl_vars *v, struct visit *vi, time_t week)
{
	struct meeting *m = NULL;
	struct tpl_vars *item;
	long long count;
	size_t n = 0, i;
	int rc = -1;

	if (store_meetings(vi->conn->store, vi->now, 0, &m, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (m[i].cancelled)
			continue;
		if (staff_registered(vi, m[i].id, &count) < 0 ||
		    !(item = tpl_add(v, "meetings")) ||
		    tpl_set(item, "title", m[i].title) < 0 ||
		    site_set_time(item, "starts", m[i].start, vi) < 0 ||
		    tpl_setf(item, "registrations", "%lld", count) < 0 ||
		    (m[i].capacity &&
		     tpl_setf(item, "capacity", "%ld", m[i].capacity) < 0))
			goto out;
		if (m[i].has_registration_deadline &&
		    m[i].registration_deadline >= vi->now &&
		    m[i].registration_deadline < week &&
		    add_deadline(v, vi, m[i].title, "anmälan till mötet",
				 "registration for the meeting",
				 m[i].registration_deadline) < 0)
			goto out;
	}
	rc = 0;
out:
	meetings_free(m, n);
	return rc;
}

int
staff_advice_candidates(struct visit *vi, char ***ids, size_t *n)
{
	char *const *b;
	char **some = NULL;
	size_t nsome = 0, i;

	*ids = NULL;
	*n = 0;
	for (b = vi->site->o.cfg->own_buyers; b && *b; b++) {
		if (store_single_lot_notices(vi->conn->store, *b, vi->now, &some,
					     &nsome) < 0)
			goto fail;
		for (i = 0; i < nsome; i++)
			if (strvec_push(ids, n, some[i]) < 0)
				goto fail;
		strvec_free(some, nsome);
		some = NULL;
		nsome = 0;
	}
	return 0;
fail:
	strvec_free(some, nsome);
	strvec_free(*ids, *n);
	*ids = NULL;
	*n = 0;
	return -1;
}

static int
add_advice(struct tpl_vars *v, struct visit *vi)
{
	char **ids = NULL;
	size_t n = 0, i;
	struct tpl_vars *item;
	int rc = -1;

	if (staff_advice_candidates(vi, &ids, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (!(item = tpl_add(v, "advice")) ||
		    tpl_set(item, "title", ids[i]) < 0)
			goto out;
	rc = 0;
out:
	strvec_free(ids, n);
	return rc;
}

static int
add_incident(struct tpl_vars *v, struct visit *vi, const char *key)
{
	struct tpl_vars *item;
	int64_t id;
	time_t since;

	if (store_incident(vi->conn->store, key, &id, &since) < 0)
		return -1;
	return id && (!(item = tpl_add(v, "incidents")) ||
		      tpl_set(item, "what", key) < 0 ||
		      site_set_time(item, "since", since, vi) < 0) ? -1 : 0;
}

/* The incidents health.c keeps: one per feed, one for the outbox. */
static int
add_incidents(struct tpl_vars *v, struct visit *vi)
{
	const struct config *cfg = vi->site->o.cfg;
	char key[128];
	size_t i;

	for (i = 0; i < cfg->nfeeds; i++) {
		snprintf(key, sizeof key, "feed:%s", cfg->feeds[i].name);
		if (add_incident(v, vi, key) < 0)
			return -1;
	}
	return add_incident(v, vi, "outbox");
}

static void
page_home(struct visit *vi, const char *rest)
{
	unsigned role = account_role(vi->staff->role);
	struct tpl_vars *v = tpl_vars_new();
	time_t week = vi->now + 7 * 86400;

	(void)rest;
	if (!v)
		goto failed;
	if (role & (ROLE_UPPHANDLING | ROLE_ADMIN) &&
	    (tpl_set(v, "upphandling", "1") < 0 ||
	     add_rfis(v, vi, week) < 0 || add_meetings(v, vi, week) < 0 ||
	     add_advice(v, vi) < 0 || add_incidents(v, vi) < 0))
		goto failed;
	if (role & (ROLE_NARINGSLIV | ROLE_ADMIN) &&
	    (tpl_set(v, "naringsliv", "1") < 0 ||
	     site_set_url(v, "report_url", "/staff/report", vi->en) < 0 ||
	     site_set_url(v, "firms_url", "/staff/firms", vi->en) < 0))
		goto failed;
	site_render(vi, PAGE_STAFF_HOME, v, 200);
	tpl_vars_free(v);
	return;
failed:
	tpl_vars_free(v);
	site_store_failed(vi);
}

/* ---- the admin's pages ---- */

static void
page_accounts(struct visit *vi, const char *rest)
{
	struct staff_account *a = NULL;
	struct tpl_vars *v = tpl_vars_new(), *item;
	size_t n = 0, i;

	(void)rest;
	if (!v || store_staff_accounts(vi->conn->store, &a, &n) < 0)
		goto failed;
	for (i = 0; i < n; i++)
		if (!(item = tpl_add(v, "accounts")) ||
		    tpl_set(item, "name", a[i].name) < 0 ||
		    tpl_set(item, "role", a[i].role) < 0 ||
		    tpl_set(item, "has_password", a[i].has_password ? "1" : "") < 0 ||
		    site_set_time(item, "created", a[i].created_at, vi) < 0)
			goto failed;
	site_render(vi, PAGE_STAFF_ACCOUNTS, v, 200);
	goto out;
failed:
	site_store_failed(vi);
out:
	staff_accounts_free(a, n);
	tpl_vars_free(v);
}

static void
page_audit(struct visit *vi, const char *rest)
{
	const char *p = form_get(vi->query, "page");
	struct staff_audit_entry *e = NULL;
	struct tpl_vars *v = tpl_vars_new(), *item;
	char path[64], *end;
	long page = 1;
	size_t n = 0, i;

	(void)rest;
	if (p && ((page = strtol(p, &end, 10)) < 1 || *end ||
		  page > AUDIT_PAGES_MAX)) {
		site_not_found(vi);
		goto out;
	}
	/* one more than shown tells whether there is a next page */
	if (!v || store_staff_audit_list(vi->conn->store,
					 (page - 1) * AUDIT_PAGE,
					 AUDIT_PAGE + 1, &e, &n) < 0)
		goto failed;
	for (i = 0; i < n && i < AUDIT_PAGE; i++)
		if (!(item = tpl_add(v, "entries")) ||
		    site_set_time(item, "when", e[i].at, vi) < 0 ||
		    tpl_set(item, "user", e[i].who) < 0 ||
		    tpl_set(item, "what", e[i].action) < 0 ||
		    tpl_set(item, "object", e[i].object) < 0 ||
		    tpl_set(item, "client", e[i].client) < 0)
			goto failed;
	if (page > 1) {
		snprintf(path, sizeof path, "/staff/audit?page=%ld", page - 1);
		if (site_set_url(v, "prev_url", path, vi->en) < 0)
			goto failed;
	}
	if (n > AUDIT_PAGE) {
		snprintf(path, sizeof path, "/staff/audit?page=%ld", page + 1);
		if (site_set_url(v, "next_url", path, vi->en) < 0)
			goto failed;
	}
	if (tpl_setf(v, "page", "%ld", page) < 0)
		goto failed;
	site_render(vi, PAGE_STAFF_AUDIT, v, 200);
	goto out;
failed:
	site_store_failed(vi);
out:
	staff_audit_free(e, n);
	tpl_vars_free(v);
}

const struct route staff_routes[] = {
	{ "/staff/login", ROUTE_POST, page_login, 0 },
	{ "/staff/password", ROUTE_POST, page_password, 0 },
	{ "/staff/logout", ROUTE_POST, page_logout, ROLES_ALL },
	{ "/staff/", 0, page_home, ROLES_ALL },
	{ "/staff/accounts", 0, page_accounts, ROLE_ADMIN },
	{ "/staff/audit", 0, page_audit, ROLE_ADMIN },
	{ NULL, 0, NULL, 0 }
};
