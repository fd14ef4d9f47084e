#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "form.h"
#include "pages.h"
#include "register.h"
#include "stats.h"
#include "store.h"
#include "template.h"

/*
 * Näringslivsenheten's pages on the staff's listener: the report, read
 * in the browser and downloaded for Excel, and the firm register with
 * each firm's history. The report module and the register compute and
 * render (escaped); these pages ask them and put what they give in the
 * staff's frame. Who looks at the register or at a firm is written to
 * the audit log: it holds what firms did, not only figures.
 */

/* How many years back the period list offers, this one included. */
#define PERIOD_YEARS 3
/* The report's HTML, before the frame goes around it. */
#define REPORT_HTML_MAX (4u * 1024u * 1024u)
#define FIRMS_HTML_MAX (1024u * 1024u)
#define FIRMS_PER_PAGE 50
#define FIRMS_PAGES_MAX 10000
/* A search's texts; longer is no name, number or code. */
#define SEARCH_TEXT_MAX 200

/* The register holds what firms did: for these roles only. */
#define READERS (ROLE_NARINGSLIV | ROLE_ADMIN)

static const char *
field_of(const struct form *f, const char *name)
{
	const char *s = form_get(f, name);

	return s ? s : "";
}

static int
add_period(struct tpl_vars *v, const char *code, const char *name,
	   const char *chosen, int *found)
{
	struct tpl_vars *item = tpl_add(v, "periods");
	int selected = strcmp(code, chosen) == 0;

	*found |= selected;
	return !item || tpl_set(item, "code", code) < 0 ||
	       tpl_set(item, "name", name) < 0 ||
	       tpl_set(item, "selected", selected ? "1" : "") < 0 ? -1 : 0;
}

/*
 * The quarters and years to choose from, newest first, up to now's; a
 * period typed into the address that is not among them is kept.
 */
static int
add_periods(struct tpl_vars *v, const struct visit *vi, const char *chosen)
{
	char code[32], name[64];
	struct tm tm;
	int year, last, q, found = 0;

	localtime_r(&vi->now, &tm);
	for (year = tm.tm_year + 1900; year > tm.tm_year + 1900 - PERIOD_YEARS;
	     year--) {
		last = year == tm.tm_year + 1900 ? tm.tm_mon / 3 + 1 : 4;
		for (q = last; q >= 1; q--) {
			snprintf(code, sizeof code, "%d-Q%d", year, q);
			snprintf(name, sizeof name, vi->en ? "Q%d %d" :
				 "Kvartal %d %d", q, year);
			if (add_period(v, code, name, chosen, &found) < 0)
				return -1;
		}
		snprintf(code, sizeof code, "%d", year);
		snprintf(name, sizeof name, vi->en ? "The year %d" :
			 "Hela %d", year);
		if (add_period(v, code, name, chosen, &found) < 0)
			return -1;
	}
	return *chosen && !found ?
	       add_period(v, chosen, chosen, chosen, &found) : 0;
}

static struct report_source
source_of(const struct visit *vi)
{
	const struct config *cfg = vi->site->o.cfg;

	return (struct report_source){ vi->conn->store, vi->site->o.categories,
				       cfg->service_name, cfg->municipalities,
				       cfg->own_buyers };
}

/*
 * A page's end: with html after its template at status, the error page
 * at -1, nothing at 0 (answered already); v and html are freed.
 */
static void
finish(struct visit *vi, enum page p, struct tpl_vars *v, struct buf *html,
       int status)
{
	if (status < 0)
		site_store_failed(vi);
	else if (status)
		site_render_html(vi, p, v, html, status);
	tpl_vars_free(v);
	buf_release(html);
}

/*
 * The report of the period and category chosen (by default the last
 * four quarters, every category): in the page, or as a download with a
 * name of the report module's. A wrong choice is shown on the form,
 * naming its field, with what was chosen.
 */
static void
page_report(struct visit *vi, const char *rest)
{
	const struct form *f = vi->query;
	const char *format = field_of(f, "format");
	struct report_request q = {
		.period = field_of(f, "period"), .from = field_of(f, "from"),
		.to = field_of(f, "to"), .category = field_of(f, "category"),
		.format = format, .lang = site_lang(vi), .part = 1
	};
	struct report_source src = source_of(vi);
	struct report_fault fault;
	struct tpl_vars *v = NULL;
	struct buf html;
	int download = *format && strcmp(format, "html") != 0, status = -1;
	int made;

	(void)rest;
	buf_init(&html, REPORT_HTML_MAX);
	made = report_make(&src, &q, vi->now, download ? &vi->res->body :
			   &html, &fault) == 0;
	if (!made && !fault.field)
		goto out;
	if (made && download) {
		vi->res->status = 200;
		vi->res->content_type = report_media_type(format);
		snprintf(vi->res->filename, sizeof vi->res->filename, "%s",
			 report_file_name(format, site_lang(vi)));
		status = 0;
		goto out;
	}
	if (!(v = tpl_vars_new()) ||
	    site_set_url(v, "action", "/staff/report", 0) < 0 ||
	    add_periods(v, vi, q.period) < 0 ||
	    staff_set_categories(v, vi, q.category) < 0 ||
	    tpl_set(v, "from", q.from) < 0 || tpl_set(v, "to", q.to) < 0 ||
	    (!made && site_form_error(v, vi, fault.field, fault.text, fault.text,
				      NULL) < 0))
		goto out;
	status = made ? 200 : 400;
out:
	finish(vi, PAGE_STAFF_REPORT, v, &html, status);
}

/* "/staff/firms?q=...&page=N": a page of the same search. */
static int
set_search_url(struct tpl_vars *v, const char *name, const struct visit *vi,
	       const struct firm_search *q, size_t page)
{
	struct buf url;
	int rc = -1;

	buf_init(&url, 2048);
	if (buf_adds(&url, "/staff/firms?q=") < 0 ||
	    form_escape(q->text, &url) < 0 ||
	    buf_adds(&url, "&category=") < 0 ||
	    form_escape(q->category, &url) < 0 ||
	    buf_adds(&url, "&municipality=") < 0 ||
	    form_escape(q->municipality, &url) < 0 ||
	    buf_printf(&url, "&page=%zu", page) < 0)
		goto out;
	rc = site_set_url(v, name, buf_str(&url), vi->en);
out:
	buf_release(&url);
	return rc;
}

/* Whatever the search, the log says who searched for what. */
static int
audit_search(struct visit *vi, const struct firm_search *q)
{
	char object[4 * SEARCH_TEXT_MAX];

	snprintf(object, sizeof object, "q='%s' category='%s' "
		 "municipality='%s' page=%zu", q->text, q->category,
		 q->municipality, q->page + 1);
	return staff_audit(vi, "firm register viewed", object);
}

/* The register, searched by name or org.nr, category and municipality. */
static void
show_register(struct visit *vi)
{
	const struct form *f = vi->query;
	const char *page = form_get(f, "page");
	struct firm_search q = {
		.text = field_of(f, "q"), .category = field_of(f, "category"),
		.municipality = field_of(f, "municipality"),
		.per_page = FIRMS_PER_PAGE
	};
	struct tpl_vars *v = tpl_vars_new();
	struct buf html;
	const char *wrong = NULL, *why = NULL;
	char *end;
	long n = 1;
	int more = 0, status = -1;

	buf_init(&html, FIRMS_HTML_MAX);
	if (page && *page && ((n = strtol(page, &end, 10)) < 1 || *end ||
			      n > FIRMS_PAGES_MAX)) {
		site_not_found(vi);
		status = 0;
		goto out;
	}
	q.page = (size_t)(n - 1);
	if (strlen(q.text) > SEARCH_TEXT_MAX ||
	    strlen(q.municipality) > SEARCH_TEXT_MAX) {
		wrong = strlen(q.text) > SEARCH_TEXT_MAX ? "q" : "municipality";
		why = vi->en ? "The search is too long." :
		      "Sökningen är för lång.";
	} else if (*q.category && !category_find(vi->site->o.categories,
						  q.category)) {
		wrong = "category";
		why = vi->en ? "Choose one of the categories." :
		      "Välj en av kategorierna.";
	}
	if (!v || staff_set_categories(v, vi, q.category) < 0 ||
	    tpl_set(v, "q", q.text) < 0 ||
	    tpl_set(v, "municipality", q.municipality) < 0 ||
	    site_set_url(v, "action", "/staff/firms", 0) < 0 ||
	    (wrong && site_form_error(v, vi, wrong, why, why, NULL) < 0))
		goto out;
	if (wrong) {
		status = 400;
		goto out;
	}
	if (register_search_html(vi->conn->store, vi->site->o.categories, &q,
				 site_lang(vi), "/staff/firms/", &html,
				 &more) < 0 ||
	    audit_search(vi, &q) < 0 ||
	    (q.page > 0 && set_search_url(v, "prev_url", vi, &q, q.page) < 0) ||
	    (more && set_search_url(v, "next_url", vi, &q, q.page + 2) < 0) ||
	    tpl_setf(v, "page", "%zu", q.page + 1) < 0)
		goto out;
	status = 200;
out:
	finish(vi, PAGE_STAFF_FIRMS, v, &html, status);
}

/* One firm's history: only shown once the log has who looked. */
static void
show_firm(struct visit *vi, const char *orgnr)
{
	struct tpl_vars *v = tpl_vars_new();
	struct buf html;
	int found = 0, status = -1;

	buf_init(&html, FIRMS_HTML_MAX);
	if (!v || register_history_html(vi->conn->store, orgnr, site_lang(vi),
					&html, &found) < 0)
		goto out;
	if (!found) {
		site_not_found(vi);
		status = 0;
		goto out;
	}
	if (staff_audit(vi, "firm viewed", orgnr) < 0 ||
	    site_set_url(v, "firms_url", "/staff/firms", vi->en) < 0)
		goto out;
	status = 200;
out:
	finish(vi, PAGE_STAFF_FIRM, v, &html, status);
}

static void
page_firms(struct visit *vi, const char *rest)
{
	if (!*rest)
		show_register(vi);
	else if (rest[0] == '/' && rest[1] && strlen(rest) < 32)
		show_firm(vi, rest + 1);
	else
		site_not_found(vi);
}

const struct route report_routes[] = {
	{ "/staff/report", 0, page_report, READERS },
	{ "/staff/firms", ROUTE_PREFIX, page_firms, READERS },
	{ NULL, 0, NULL, 0 }
};
