#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "category.h"
#include "notice.h"
#include "pages.h"
#include "plan.h"
#include "store.h"
#include "template.h"

/*
 * The procurement unit's plan in the browser, as `tenderlots plan` does
 * it on the server and through the same functions (plan.h): the plan as
 * a table with the notices each entry may have become, to link with one
 * click; a CSV file uploaded, previewed or imported, with each bad row
 * named; an entry added or changed on a form whose faults are shown by
 * field, keeping what was typed; postponed, dropped with a reason,
 * linked and unlinked. Every change is in the audit log. The routes are
 * plan_routes at the end of this file (staff.c's comment says how).
 */

#define UNIT_ROLES (ROLE_UPPHANDLING | ROLE_ADMIN)
#define PATH_MAX_LEN 128

/* The form's fields, named as the CSV's English columns but for ref. */
static const struct {
	const char *name;
	enum plan_field field;
	const char *sv, *en;
} plan_inputs[] = {
	{ "ref", PLAN_F_REF, "Er beteckning", "Your reference" },
	{ "title", PLAN_F_TITLE, "Rubrik", "Title" },
	{ "description", PLAN_F_DESCRIPTION, "Beskrivning", "Description" },
	{ "cpv", PLAN_F_CPV, "CPV-koder", "CPV codes" },
	{ "value", PLAN_F_VALUE, "Uppskattat värde", "Estimated value" },
	{ "announce", PLAN_F_ANNOUNCE, "Annonseras", "To be announced" },
	{ "contract_start", PLAN_F_CONTRACT_START, "Avtalsstart",
	  "Contract start" },
	{ "divisible", PLAN_F_DIVISIBLE, "Delbar", "Divisible" },
	{ "contact", PLAN_F_CONTACT, "Kontakt", "Contact" },
};
#define NFORM (sizeof plan_inputs / sizeof plan_inputs[0])

static const char *
status_word(const struct visit *vi, int status)
{
	static const char *const sv[] = { "planerad", "uppskjuten", "struken",
					   "annonserad" };
	static const char *const en[] = { "planned", "postponed", "dropped",
					   "announced" };

	status = status >= 0 && status <= PLAN_PUBLISHED ? status : 0;
	return vi->en ? en[status] : sv[status];
}

static int
entry_path(char *out, int64_t id, const char *what)
{
	snprintf(out, PATH_MAX_LEN, "/staff/plan/%lld%s%s", (long long)id,
		 *what ? "/" : "", what);
	return 0;
}

/* The proposals of entry id among pr, as a list of item with forms. */
static int
add_proposals(struct tpl_vars *item, const struct visit *vi, int64_t id,
	      const struct plan_proposal *pr, size_t npr)
{
	struct tpl_vars *p;
	char path[PATH_MAX_LEN];
	size_t i;

	entry_path(path, id, "link");
	for (i = 0; i < npr; i++)
		if (pr[i].plan_id == id &&
		    (!(p = tpl_add(item, "proposals")) ||
		     tpl_set(p, "notice", pr[i].notice_id) < 0 ||
		     tpl_set(p, "title", pr[i].title) < 0 ||
		     tpl_setf(p, "score", "%.0f", pr[i].score * 100) < 0 ||
		     site_set_url(p, "link_url", path, vi->en) < 0))
			return -1;
	return 0;
}

/* What a table row and an entry's page show of p. */
static int
set_entry(struct tpl_vars *v, const struct visit *vi, const struct plan *p)
{
	char path[PATH_MAX_LEN];
	struct buf value;
	int rc;

	buf_init(&value, 64);
	entry_path(path, p->id, "");
	rc = tpl_setf(v, "id", "%lld", (long long)p->id) < 0 ||
	     tpl_set(v, "title", p->title) < 0 ||
	     tpl_set(v, "ref", p->ref) < 0 ||
	     tpl_set(v, "description", p->description) < 0 ||
	     tpl_set(v, "status", status_word(vi, p->status)) < 0 ||
	     tpl_set(v, "announce", p->announce) < 0 ||
	     tpl_set(v, "contract_start", p->contract_start) < 0 ||
	     tpl_set(v, "contact", p->contact) < 0 ||
	     tpl_set(v, "cpv", p->cpv) < 0 ||
	     tpl_set(v, "categories", p->categories) < 0 ||
	     tpl_set(v, "notice", p->notice_id) < 0 ||
	     tpl_set(v, "linked", p->linked) < 0 ||
	     tpl_set(v, "why", p->why) < 0 ||
	     (p->status == PLAN_PLANNED || p->status == PLAN_POSTPONED ?
	      tpl_set(v, "open", "1") : 0) < 0 ||
	     plan_field_text(p, PLAN_F_VALUE, &value) < 0 ||
	     (value.len && tpl_set(v, "value", buf_str(&value)) < 0) ||
	     site_set_url(v, "url", path, vi->en) < 0 ? -1 : 0;
	buf_release(&value);
	return rc;
}

/*
 * The plan: each entry with the notices it may have become; the upload
 * form; and what an upload did, when the page answers one.
 */
static void
show_plan(struct visit *vi, struct tpl_vars *v, int status)
{
	struct plan_proposal *pr = NULL;
	struct plan *p = NULL;
	struct tpl_vars *item;
	size_t n = 0, npr = 0, i;

	if (store_plans(vi->conn->store, 0, NULL, NULL, &p, &n) < 0 ||
	    store_plan_proposals(vi->conn->store, 0, &pr, &npr) < 0 ||
	    site_set_url(v, "new_url", "/staff/plan/new", vi->en) < 0 ||
	    site_set_url(v, "import_url", PLAN_UPLOAD_PATH, vi->en) < 0)
		goto failed;
	for (i = 0; i < n; i++)
		if (!(item = tpl_add(v, "entries")) ||
		    set_entry(item, vi, &p[i]) < 0 ||
		    add_proposals(item, vi, p[i].id, pr, npr) < 0)
			goto failed;
	site_render(vi, PAGE_STAFF_PLAN, v, status);
	goto out;
failed:
	site_store_failed(vi);
out:
	plan_proposals_free(pr, npr);
	plans_free(p, n);
}

static void
page_plan(struct visit *vi, const char *rest)
{
	struct tpl_vars *v = tpl_vars_new();

	(void)rest;
	if (v)
		show_plan(vi, v, 200);
	else
		site_store_failed(vi);
	tpl_vars_free(v);
}

/* The uploaded file of field "file"; NULL when none was sent. */
static const struct web_file *
uploaded(const struct visit *vi)
{
	size_t i;

	for (i = 0; i < vi->req->nfiles; i++)
		if (strcmp(vi->req->files[i].field, "file") == 0 &&
		    vi->req->files[i].data.len)
			return &vi->req->files[i];
	return NULL;
}

/* Each line of errors as an item of import_errors. */
static int
set_lines(struct tpl_vars *v, const char *errors)
{
	struct tpl_vars *item;
	const char *end;
	char *line;
	int rc = 0;

	for (; *errors && rc == 0; errors = *end ? end + 1 : end) {
		end = errors + strcspn(errors, "\n");
		if (!(line = strndup(errors, (size_t)(end - errors))) ||
		    !(item = tpl_add(v, "import_errors")) ||
		    tpl_set(item, "line", line) < 0)
			rc = -1;
		free(line);
	}
	return rc;
}

/*
 * A CSV file uploaded: previewed (nothing stored) or imported, as the
 * button pressed says; the page shows what it did or would do, and
 * each bad row.
 */
static void
page_import(struct visit *vi, const char *rest)
{
	const struct web_file *f = uploaded(vi);
	const char *step = staff_typed(vi, "step");
	int dry = !step || strcmp(step, "import") != 0;
	struct rfi_desk d = staff_desk(vi);
	struct plan_import_counts c = { 0, 0, 0 };
	struct tpl_vars *v;
	struct plan *p = NULL;
	struct buf errors, object;
	const char *name;
	unsigned bad = 0;
	size_t n = 0;
	int status = 200;

	(void)rest;
	if (vi->req->method != WEB_POST) {
		page_plan(vi, rest);
		return;
	}
	buf_init(&errors, 1u << 20);
	buf_init(&object, 512);
	if (!(v = tpl_vars_new()))
		goto failed;
	if (!f) {
		if (site_form_error(v, vi, "file", "Välj en CSV-fil",
				    "Choose a CSV file", NULL) < 0)
			goto failed;
		show_plan(vi, v, 400);
		goto out;
	}
	name = f->name && *f->name ? f->name : "plan.csv";
	if (plan_csv_parse(buf_str((struct buf *)&f->data), f->data.len, name,
			   d.categories, &p, &n, &bad, &errors) == 0 &&
	    plan_import(&d, p, n, name, dry, &c, &errors) < 0)
		goto failed;
	if (tpl_set(v, "imported", "1") < 0 ||
	    tpl_set(v, "file_name", name) < 0 ||
	    (dry && tpl_set(v, "dry_run", "1") < 0) ||
	    tpl_setf(v, "added", "%u", c.added) < 0 ||
	    tpl_setf(v, "updated", "%u", c.updated) < 0 ||
	    tpl_setf(v, "unchanged", "%u", c.unchanged) < 0 ||
	    tpl_setf(v, "bad", "%u", bad) < 0 ||
	    set_lines(v, buf_str(&errors)) < 0)
		goto failed;
	if (!dry && (buf_printf(&object, "%.200s: %u added, %u updated", name,
				c.added, c.updated) < 0 ||
		     staff_audit(vi, "plan imported", buf_str(&object)) < 0))
		goto failed;
	if (errors.len)
		status = 400;
	show_plan(vi, v, status);
	goto out;
failed:
	site_store_failed(vi);
out:
	plans_free(p, n);
	buf_release(&errors);
	buf_release(&object);
	tpl_vars_free(v);
}

/* The form's fields and categories as typed, or as p has them. */
static int
set_form(struct tpl_vars *v, const struct visit *vi, const struct plan *p)
{
	char **keys = NULL;
	size_t nkeys = 0, i;
	const char *s;
	struct buf text;
	int rc = -1;

	buf_init(&text, PLAN_DESCRIPTION_MAX + 1024);
	for (i = 0; i < NFORM; i++) {
		if (p) {
			if (plan_field_text(p, plan_inputs[i].field, &text) < 0)
				goto out;
			s = text.len ? buf_str(&text) : NULL;
		} else {
			s = staff_typed(vi, plan_inputs[i].name);
		}
		if (s && plan_inputs[i].field == PLAN_F_DIVISIBLE) {
			if (tpl_set(v, strcmp(s, "ja") == 0 ||
				    strcmp(s, "yes") == 0 ? "divisible_yes" :
				    "divisible_no", "1") < 0)
				goto out;
		} else if (s && tpl_set(v, plan_inputs[i].name, s) < 0) {
			goto out;
		}
	}
	if ((p ? strvec_split(p->categories, &keys, &nkeys) :
	     staff_ticked(vi, &keys, &nkeys)) < 0)
		goto out;
	rc = staff_category_boxes(v, vi, keys, nkeys);
out:
	strvec_free(keys, nkeys);
	buf_release(&text);
	return rc;
}

/*
 * Reads the form into p, each fault on v by its field; 1 when there was
 * one, -1 when memory ran out.
 */
static int
read_form(struct visit *vi, struct tpl_vars *v, struct plan *p)
{
	const struct category_set *cs = vi->site->o.categories;
	struct buf why, keys;
	enum plan_field f;
	const char *s;
	size_t i;
	int bad = 0, rc = -1;

	buf_init(&why, 2048);
	buf_init(&keys, 64 * 1024);
	for (i = 0; i < NFORM; i++) {
		s = staff_typed(vi, plan_inputs[i].name);
		buf_reset(&why);
		if (plan_set_field(p, plan_inputs[i].field, s ? s : "", cs,
				   &why) < 0) {
			bad = 1;
			if (site_form_error(v, vi, plan_inputs[i].name,
					    plan_inputs[i].sv, plan_inputs[i].en,
					    buf_str(&why)) < 0)
				goto out;
		}
	}
	for (i = 0; vi->body && i < form_count(vi->body, "category"); i++)
		if (buf_printf(&keys, "%s%s", i ? " " : "",
			       form_get_nth(vi->body, "category", i)) < 0)
			goto out;
	buf_reset(&why);
	if (plan_set_field(p, PLAN_F_CATEGORIES, buf_str(&keys), cs, &why) < 0) {
		bad = 1;
		if (site_form_error(v, vi, "categories", "Kategorier",
				    "Categories", buf_str(&why)) < 0)
			goto out;
	}
	buf_reset(&why);
	if (!bad && plan_check(p, &f, &why) < 0) {
		bad = 1;
		if (site_form_error(v, vi, f == PLAN_F_CATEGORIES ? "categories" :
				    plan_field_name(f), "Posten", "The entry",
				    buf_str(&why)) < 0)
			goto out;
	}
	rc = bad;
out:
	buf_release(&why);
	buf_release(&keys);
	return rc;
}

/* The stored entry of id; NULL, answered, if there is none. */
static struct plan *
entry_of(struct visit *vi, int64_t id)
{
	struct plan *p = NULL;
	size_t n = 0;

	if (store_plans(vi->conn->store, id, NULL, NULL, &p, &n) < 0) {
		site_store_failed(vi);
		return NULL;
	}
	if (n == 0)
		site_not_found(vi);
	return n ? p : NULL;
}

/* 1, with the fault on v, when another entry has p's reference. */
static int
ref_taken(struct visit *vi, struct tpl_vars *v, const struct plan *p)
{
	struct plan *other = NULL;
	char sv[128], en[128];
	size_t n = 0;
	int rc = 0;

	if (!p->ref)
		return 0;
	if (store_plans(vi->conn->store, 0, p->ref, NULL, &other, &n) < 0)
		return -1;
	if (n && other->id != p->id) {
		snprintf(sv, sizeof sv, "Er beteckning: post %lld har den redan",
			 (long long)other->id);
		snprintf(en, sizeof en, "Your reference: entry %lld has it "
			 "already", (long long)other->id);
		rc = site_form_error(v, vi, "ref", sv, en, NULL) < 0 ? -1 : 1;
	}
	plans_free(other, n);
	return rc;
}

/* A new entry (was NULL), or a change of the stored entry was. */
static void
plan_form(struct visit *vi, const struct plan *was)
{
	struct tpl_vars *v = tpl_vars_new();
	struct rfi_desk d = staff_desk(vi);
	struct plan *p = NULL;
	char path[PATH_MAX_LEN];
	int r;

	if (was)
		entry_path(path, was->id, "edit");
	else
		snprintf(path, sizeof path, "/staff/plan/new");
	if (!v || site_set_url(v, "action", path, vi->en) < 0 ||
	    (was && tpl_set(v, "changing", "1") < 0))
		goto failed;
	if (vi->req->method != WEB_POST) {
		if (set_form(v, vi, was) < 0)
			goto failed;
		site_render(vi, PAGE_STAFF_PLAN_FORM, v, 200);
		goto out;
	}
	if (!(p = plan_new()) || (r = read_form(vi, v, p)) < 0 ||
	    set_form(v, vi, NULL) < 0)
		goto failed;
	p->id = was ? was->id : 0;
	if (!r && (r = ref_taken(vi, v, p)) < 0)
		goto failed;
	if (r) {
		site_render(vi, PAGE_STAFF_PLAN_FORM, v, 400);
		goto out;
	}
	if (plan_save(&d, p, "form") < 0 ||
	    staff_audit(vi, was ? "plan entry changed" : "plan entry added",
			p->notice_id ? p->notice_id : was->notice_id) < 0)
		goto failed;
	entry_path(path, p->id, "");
	staff_redirect(vi, path);
	goto out;
failed:
	site_store_failed(vi);
out:
	plan_free(p);
	tpl_vars_free(v);
}

static void
page_plan_new(struct visit *vi, const char *rest)
{
	(void)rest;
	plan_form(vi, NULL);
}

/* An entry's page, with error (about field) when a form on it failed. */
static void
show_entry(struct visit *vi, const struct plan *p, const char *field,
	   const char *sv, const char *en)
{
	struct tpl_vars *v = tpl_vars_new();
	struct plan_proposal *pr = NULL;
	char edit[PATH_MAX_LEN], postpone[PATH_MAX_LEN], drop[PATH_MAX_LEN];
	char link[PATH_MAX_LEN], unlink[PATH_MAX_LEN];
	int open = p->status == PLAN_PLANNED || p->status == PLAN_POSTPONED;
	size_t npr = 0;

	entry_path(edit, p->id, "edit");
	entry_path(postpone, p->id, "postpone");
	entry_path(drop, p->id, "drop");
	entry_path(link, p->id, "link");
	entry_path(unlink, p->id, "unlink");
	if (!v || set_entry(v, vi, p) < 0 ||
	    store_plan_proposals(vi->conn->store, p->id, &pr, &npr) < 0 ||
	    add_proposals(v, vi, p->id, pr, npr) < 0 ||
	    (open && (site_set_url(v, "edit_url", edit, vi->en) < 0 ||
		      site_set_url(v, "postpone_url", postpone, vi->en) < 0 ||
		      site_set_url(v, "drop_url", drop, vi->en) < 0)) ||
	    (p->status != PLAN_DROPPED &&
	     site_set_url(v, "link_url", link, vi->en) < 0) ||
	    (p->linked && site_set_url(v, "unlink_url", unlink, vi->en) < 0) ||
	    (field && site_form_error(v, vi, field, sv, en, NULL) < 0))
		site_store_failed(vi);
	else
		site_render(vi, PAGE_STAFF_PLAN_ENTRY, v, field ? 400 : 200);
	plan_proposals_free(pr, npr);
	tpl_vars_free(v);
}

/* Postpones, drops, links or unlinks p as the form on its page asks. */
static void
act(struct visit *vi, const struct plan *p, const char *what)
{
	struct rfi_desk d = staff_desk(vi);
	const char *announce = staff_typed(vi, "announce");
	const char *why = staff_typed(vi, "why");
	const char *notice = staff_typed(vi, "notice");
	struct stored_notice *n = NULL;
	struct plan *check = NULL;
	char path[PATH_MAX_LEN];
	struct buf b;
	int rc;

	buf_init(&b, 256);
	if (strcmp(what, "postpone") == 0) {
		if (!(check = plan_new()))
			goto failed;
		if (plan_set_field(check, PLAN_F_ANNOUNCE, announce ? announce :
				   "", NULL, &b) < 0) {
			show_entry(vi, p, "announce", "Annonseras: en månad "
				   "(2027-03) eller ett kvartal (2027-Q2)",
				   "To be announced: a month (2027-03) or a "
				   "quarter (2027-Q2)");
			goto out;
		}
		rc = plan_postpone(&d, p->id, announce);
	} else if (strcmp(what, "drop") == 0) {
		if (!why || strlen(why) > PLAN_WHY_MAX || strpbrk(why, "\r\n")) {
			show_entry(vi, p, "why", "Varför: skriv på en rad varför "
				   "posten stryks; företagen får veta det.",
				   "Why: write in one line why the entry is "
				   "dropped; the firms are told.");
			goto out;
		}
		rc = plan_drop(&d, p->id, why);
	} else if (strcmp(what, "link") == 0) {
		if (!notice ||
		    store_get_notice(vi->conn->store, notice, &n) < 0 ||
		    !n || (n->subtype && strcmp(n->subtype, "plan") == 0) ||
		    (strcmp(n->kind, "planning") != 0 &&
		     strcmp(n->kind, "competition") != 0)) {
			show_entry(vi, p, "notice", "Annonsen: ange id för en "
				   "lagrad förhandsannons eller "
				   "upphandlingsannons", "The notice: give the "
				   "id of a stored prior information or "
				   "contract notice");
			goto out;
		}
		rc = plan_link(&d, p->id, notice);
	} else {
		rc = plan_unlink(&d, p->id);
	}
	buf_reset(&b);
	if (rc < 0 ||
	    buf_printf(&b, "plan entry %s", strcmp(what, "postpone") == 0 ?
		       "postponed" : strcmp(what, "drop") == 0 ? "dropped" :
		       strcmp(what, "link") == 0 ? "linked" : "unlinked") < 0 ||
	    staff_audit(vi, buf_str(&b), notice && strcmp(what, "link") == 0 ?
			notice : p->notice_id) < 0)
		goto failed;
	entry_path(path, p->id, "");
	staff_redirect(vi, path);
	goto out;
failed:
	site_store_failed(vi);
out:
	stored_notice_free(n);
	plan_free(check);
	buf_release(&b);
}

/* /staff/plan/ID, its edit form (ID/edit) and the forms of its page. */
static void
page_entry(struct visit *vi, const char *rest)
{
	static const char *const posts[] = { "postpone", "drop", "link",
					     "unlink", NULL };
	int post = vi->req->method == WEB_POST;
	const char *const *w;
	char *end;
	long long id = strtoll(rest, &end, 10);
	const char *what = *end == '/' ? end + 1 : end;
	struct plan *p;
	int acts = 0;

	for (w = posts; *w; w++)
		acts |= strcmp(what, *w) == 0;
	if (id <= 0 || end == rest || (*end && *end != '/') ||
	    (post && !*what) || (!post && acts) ||
	    (*what && !acts && strcmp(what, "edit") != 0)) {
		site_not_found(vi);
		return;
	}
	if (!(p = entry_of(vi, id)))
		return;
	if (!*what)
		show_entry(vi, p, NULL, NULL, NULL);
	else if (p->status == PLAN_DROPPED ||
		 (p->status == PLAN_PUBLISHED && strcmp(what, "link") != 0 &&
		  strcmp(what, "unlink") != 0))
		site_fail(vi, 409, "Posten är struken eller redan annonserad.",
			  "The entry is dropped or announced already.");
	else if (strcmp(what, "edit") == 0)
		plan_form(vi, p);
	else
		act(vi, p, what);
	plan_free(p);
}

const struct route plan_routes[] = {
	{ "/staff/plan", 0, page_plan, UNIT_ROLES },
	{ "/staff/plan/new", ROUTE_POST, page_plan_new, UNIT_ROLES },
	{ PLAN_UPLOAD_PATH, ROUTE_POST, page_import, UNIT_ROLES },
	{ "/staff/plan/", ROUTE_PREFIX | ROUTE_POST, page_entry, UNIT_ROLES },
	{ NULL, 0, NULL, 0 }
};
