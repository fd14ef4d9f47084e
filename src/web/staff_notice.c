/*
 * The procurement unit's own notices added by their link (ownnotice.h):
 * the list with each one's withdrawal, and the form that adds one, which
 * shows its faults naming the field, with what was typed, and publishes
 * only from its preview (categories, firms reached). staff.c's comment
 * says how a page is added; these are in notice_routes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "category.h"
#include "form.h"
#include "ownnotice.h"
#include "pages.h"
#include "rfi.h"
#include "store.h"
#include "template.h"

#define NOTICE_ROLES (ROLE_UPPHANDLING | ROLE_ADMIN)
/* The own notices listed, newest first. */
#define NOTICES_LISTED 100

/* The text fields of the form, as typed: what a form with faults shows. */
static const char *const notice_fields[] = {
	"url", "title", "description", "deadline", "cpv", "value", "kind", NULL
};

/* The field names of ownnotice.h's faults, in the visitor's words. */
static const struct {
	const char *field, *sv, *en;
} field_names[] = {
	{ "url", "Länk", "Link" },
	{ "title", "Rubrik", "Title" },
	{ "description", "Beskrivning", "Description" },
	{ "deadline", "Sista anbudsdag", "Deadline" },
	{ "categories", "Kategorier", "Categories" },
	{ "cpv", "CPV-koder", "CPV codes" },
	{ "value", "Uppskattat värde", "Estimated value" },
	{ "kind", "Slag", "Kind" },
};

static const char *
typed(const struct visit *vi, const char *name)
{
	const char *s = vi->body ? form_get(vi->body, name) : NULL;

	return s && *s ? s : NULL;
}

/* The categories as checkboxes, those ticked in the form checked. */
static int
set_boxes(struct tpl_vars *v, struct visit *vi, struct buf *ticked)
{
	const struct category_set *cs = vi->site->o.categories;
	size_t n = vi->body ? form_count(vi->body, "category") : 0, i, j;
	struct tpl_vars *item;
	int on;

	for (i = 0; i < cs->n; i++) {
		for (on = 0, j = 0; j < n && !on; j++)
			on = strcmp(form_get_nth(vi->body, "category", j),
				    cs->v[i].key) == 0;
		if (!(item = tpl_add(v, "categories")) ||
		    tpl_set(item, "key", cs->v[i].key) < 0 ||
		    tpl_set(item, "name", category_name(&cs->v[i],
							 site_lang(vi))) < 0 ||
		    (on && (tpl_set(item, "checked", "1") < 0 ||
			    buf_printf(ticked, "%s%s", ticked->len ? " " : "",
				       cs->v[i].key) < 0)))
			return -1;
	}
	return 0;
}

/*
 * The unit's own notices, newest first, each withdrawable; only the one
 * of notice_id unless it is NULL (*found says whether it is there).
 */
static int
set_list(struct tpl_vars *v, struct visit *vi, const char *notice_id,
	 int *found)
{
	struct own_notice_row *r = NULL;
	struct tpl_vars *item;
	char path[128];
	size_t n = 0, i;
	int rc = -1;

	if ((notice_id ? store_own_notice(vi->conn->store, notice_id, NULL,
					  &r, &n) :
			 store_own_notices(vi->conn->store, NOTICES_LISTED, &r,
					   &n)) < 0)
		return -1;
	if (found)
		*found = n > 0;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "/staff/own/%s/withdraw",
			 r[i].notice_id);
		if (!(item = tpl_add(v, "notices")) ||
		    tpl_set(item, "title", r[i].title) < 0 ||
		    tpl_set(item, "notice", r[i].notice_id) < 0 ||
		    tpl_set(item, "url", r[i].url) < 0 ||
		    (r[i].has_deadline &&
		     site_set_time(item, "deadline", r[i].deadline, vi) < 0) ||
		    (r[i].withdrawn_at &&
		     tpl_set(item, "withdrawn", "1") < 0) ||
		    (!r[i].withdrawn_at &&
		     site_set_url(item, "withdraw_url", path, vi->en) < 0))
			goto out;
	}
	rc = 0;
out:
	own_notice_rows_free(r, n);
	return rc;
}

/* A fault of ownnotice.h's on the form, naming the field. */
static int
set_fault(struct tpl_vars *v, struct visit *vi, const char *field,
	  const struct buf *why)
{
	size_t i;

	for (i = 0; i < sizeof field_names / sizeof *field_names; i++)
		if (strcmp(field_names[i].field, field) == 0)
			return site_form_error(v, vi, field, field_names[i].sv,
					       field_names[i].en, buf_str(why));
	return site_form_error(v, vi, field, field, field, buf_str(why));
}

/* What adding o would do: its categories and the firms it reaches. */
static int
set_preview(struct tpl_vars *v, struct visit *vi, const struct own_notice *o)
{
	struct rfi_desk d = staff_desk(vi);
	const struct category *c;
	struct tpl_vars *item;
	char **cats = NULL;
	size_t ncats = 0, firms, i;
	int rc = -1;

	if (own_notice_preview(&d, o, &cats, &ncats, &firms) < 0)
		return -1;
	if (tpl_set(v, "preview", "1") < 0 ||
	    tpl_setf(v, "reach", "%zu", firms) < 0)
		goto out;
	for (i = 0; i < ncats; i++) {
		c = category_find(vi->site->o.categories, cats[i]);
		if (!(item = tpl_add(v, "reached")) ||
		    tpl_set(item, "name", c ? category_name(c, site_lang(vi)) :
			    cats[i]) < 0)
			goto out;
	}
	rc = 0;
out:
	strvec_free(cats, ncats);
	return rc;
}

/*
 * The form sent: its faults, or its preview, or (step=publish) the
 * notice added and the list shown again. error is set on a withdrawal's
 * fault. 0, or -1 on an error.
 */
static int
take_form(struct tpl_vars *v, struct visit *vi, int *status, int *done)
{
	struct rfi_desk d = staff_desk(vi);
	struct own_notice_input in;
	struct own_notice *o = NULL;
	const char *step = typed(vi, "step"), *field, *const *f, *s;
	char id[64];
	unsigned firms;
	struct buf ticked, why;
	int rc = -1, r;

	buf_init(&ticked, 64 * 1024);
	buf_init(&why, 16 * 1024);
	for (f = notice_fields; *f; f++)
		if ((s = typed(vi, *f)) && tpl_set(v, *f, s) < 0)
			goto out;
	if (set_boxes(v, vi, &ticked) < 0)
		goto out;
	in = (struct own_notice_input){
		typed(vi, "url"), typed(vi, "title"), typed(vi, "description"),
		typed(vi, "deadline"), buf_str(&ticked), typed(vi, "cpv"),
		typed(vi, "value"), typed(vi, "kind"),
	};
	if ((r = own_notice_read(&d, &in, site_lang(vi), &o, &field,
				 &why)) < 0)
		goto out;
	if (r > 0) {
		*status = 400;
		rc = set_fault(v, vi, field, &why);
		goto out;
	}
	if (!step || strcmp(step, "publish") != 0) {
		rc = set_preview(v, vi, o);
		goto out;
	}
	if (own_notice_publish(&d, o, vi->staff->name, id, sizeof id,
			       &firms) < 0 ||
	    staff_audit(vi, "notice added", id) < 0)
		goto out;
	*done = 1;
	rc = 0;
out:
	own_notice_free(o);
	buf_release(&ticked);
	buf_release(&why);
	return rc;
}

/* /staff/notices: the list and the form; a form sent is taken. */
static void
page_notices(struct visit *vi, const char *rest)
{
	struct tpl_vars *v = tpl_vars_new();
	int status = 200, done = 0;
	struct buf none;

	(void)rest;
	buf_init(&none, 1);
	if (!v || site_set_url(v, "action", "/staff/notices", vi->en) < 0)
		goto failed;
	if (vi->req->method == WEB_POST) {
		if (take_form(v, vi, &status, &done) < 0)
			goto failed;
		if (done) {
			staff_redirect(vi, "/staff/notices");
			goto out;
		}
	} else if (set_boxes(v, vi, &none) < 0) {
		goto failed;
	}
	if (set_list(v, vi, NULL, NULL) < 0)
		goto failed;
	site_render(vi, PAGE_STAFF_NOTICES, v, status);
	goto out;
failed:
	site_store_failed(vi);
out:
	buf_release(&none);
	tpl_vars_free(v);
}

/* /staff/own/ID: one notice and its withdrawal's form. */
static void
show_own(struct visit *vi, const char *id, const char *error, int status)
{
	struct tpl_vars *v = tpl_vars_new();
	char field[80];
	int found;

	/* the input's id, which the message links to */
	snprintf(field, sizeof field, "why-%s", id);
	if (!v || tpl_set(v, "one", "1") < 0 ||
	    (error && site_form_error(v, vi, field, error, error, NULL) < 0) ||
	    set_list(v, vi, id, &found) < 0)
		site_store_failed(vi);
	else if (!found)
		site_not_found(vi);
	else
		site_render(vi, PAGE_STAFF_NOTICES, v, status);
	tpl_vars_free(v);
}

/*
 * /staff/own/ID and, sent, /staff/own/ID/withdraw: the unit's notice
 * withdrawn, with why; without one, or withdrawn already, its page says
 * so.
 */
static void
page_own(struct visit *vi, const char *rest)
{
	const char *why = typed(vi, "why");
	size_t len = strcspn(rest, "/");
	int post = vi->req->method == WEB_POST;
	struct rfi_desk d = staff_desk(vi);
	char id[64];

	if (len == 0 || len >= sizeof id ||
	    strcmp(rest + len, post ? "/withdraw" : "") != 0) {
		site_not_found(vi);
		return;
	}
	snprintf(id, sizeof id, "%.*s", (int)len, rest);
	if (!post) {
		show_own(vi, id, NULL, 200);
	} else if (why && strlen(why) <= OWN_NOTICE_WHY_MAX &&
		   !strpbrk(why, "\r\n") &&
		   own_notice_withdraw(&d, id, why) == 0) {
		if (staff_audit(vi, "notice withdrawn", id) < 0)
			site_store_failed(vi);
		else
			staff_redirect(vi, "/staff/notices");
	} else {
		show_own(vi, id, vi->en ? "Why: write in one line why the "
			 "notice is withdrawn (it may be withdrawn already)" :
			 "Varför: skriv på en rad varför annonsen dras "
			 "tillbaka (den är kanske redan tillbakadragen)", 400);
	}
}

const struct route notice_routes[] = {
	{ "/staff/notices", ROUTE_POST, page_notices, NOTICE_ROLES },
	{ "/staff/own/", ROUTE_PREFIX | ROUTE_POST, page_own, NOTICE_ROLES },
	{ NULL, 0, NULL, 0 }
};
