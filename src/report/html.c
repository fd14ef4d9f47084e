/*
 * The report as one HTML file: its head and style, the charts, and the
 * tables of the same figures with what each counts.
 */
#include <stdlib.h>
#include <time.h>

#include "alert.h"
#include "log.h"
#include "report_int.h"

/*
 * What the tables show, in their order. Lead time has a table of its own
 * so that the others still fit across a printed page.
 */
static const enum figure procurement_figures[] = {
	FIG_NOTICES, FIG_LOTS, FIG_CATEGORY_LOTS, FIG_LARGE, FIG_LARGE_DIVIDED,
	FIG_SHARE_DIVIDED,
};

static const enum figure lead_figures[] = { FIG_LEAD_TIME, FIG_LEAD_TIME_N };

/* Lots are left out by category: a lot's parts there are category_lots. */
static const enum figure category_figures[] = {
	FIG_NOTICES, FIG_CATEGORY_LOTS, FIG_LARGE, FIG_LARGE_DIVIDED,
	FIG_SHARE_DIVIDED, FIG_LEAD_TIME, FIG_LEAD_TIME_N,
};

static const enum figure firm_figures[] = {
	FIG_SUBSCRIBED, FIG_ALERTED, FIG_REGISTERED, FIG_ATTENDING,
	FIG_ANSWERING_RFI, FIG_BIDDING, FIG_WINNING,
};

static const enum figure meeting_figures[] = {
	FIG_MEETINGS, FIG_SEATS, FIG_ATTENDEES, FIG_SHOWS, FIG_ATTENDANCE,
};

static const enum figure feedback_figures[] = {
	FIG_ALERTS_ANSWERED, FIG_ALERTS_RELEVANT, FIG_SHARE_RELEVANT,
	FIG_SURVEY_RESPONSES, FIG_SURVEY_MEAN,
};

/* The document's own rules; a part of another page takes that page's. */
static const char page_style[] =
	"body { margin: 0; padding: 1em; background: #ffffff; color: #1a1a1a;\n"
	"  font-family: system-ui, -apple-system, \"Segoe UI\", Roboto, "
	"Helvetica,\n  Arial, sans-serif; font-size: 16px; line-height: 1.5; }\n"
	"main { max-width: 60em; margin: 0 auto; }\n"
	"h1 { font-size: 1.5em; line-height: 1.25; margin: .5em 0; }\n"
	"@page { margin: 15mm; }\n"
	"@media print {\n"
	"  body { padding: 0; font-size: 10pt; }\n"
	"}\n";

/* The rules of the report's sections, charts and tables. */
static const char parts_style[] =
	"h2 { font-size: 1.2em; margin: 2em 0 .5em; padding-bottom: .2em;\n"
	"  border-bottom: 1px solid #cccccc; }\n"
	"h3 { font-size: 1em; margin: 1em 0 .25em; }\n"
	"figure { margin: 1em 0; }\n"
	"svg { display: block; width: 100%; height: auto; }\n"
	"svg text { font-size: 12px; fill: #1a1a1a; }\n"
	"svg .grid { stroke: #d9d9d9; stroke-width: 1; }\n"
	"svg .axis { stroke: #1a1a1a; stroke-width: 1; }\n"
	".wide { overflow-x: auto; }\n"
	"table { border-collapse: collapse; margin: 1em 0; font-size: .85em; }\n"
	"caption { text-align: left; font-weight: bold; padding-bottom: .25em; }\n"
	"th, td { padding: .25em .4em; border-bottom: 1px solid #d9d9d9; }\n"
	"thead th { vertical-align: bottom; border-bottom: 2px solid #1a1a1a; }\n"
	"th[scope=row] { text-align: left; font-weight: normal; }\n"
	"td, th.quarter { white-space: nowrap; }\n"
	"td { text-align: right; font-variant-numeric: tabular-nums; }\n"
	"tfoot th[scope=row], tfoot td { font-weight: bold;\n"
	"  border-top: 2px solid #1a1a1a; }\n"
	"dt { font-weight: bold; }\n"
	"dd { margin: 0 0 .5em; }\n"
	".note { color: #404040; }\n"
	".nodata { border-left: 4px solid #8a4b00; background: #fff4e0;\n"
	"  padding: .5em 1em; font-weight: bold; }\n"
	"@media print {\n"
	"  .wide { overflow-x: visible; }\n"
	"  table { font-size: 8pt; }\n"
	"  h2, h3 { break-after: avoid; }\n"
	"  figure, table, dl { break-inside: avoid; }\n"
	"}\n";

/* A table's head: the row headers' title, then the figures'. */
static void
put_table_start(struct out *o, const char *caption, const char *first,
		const enum figure *figs, size_t nfigs)
{
	size_t i;

	rp_putf(o, "<div class=\"wide\">\n<table>\n<caption>%s</caption>\n"
		"<thead>\n<tr><th scope=\"col\">%s</th>", caption, first);
	for (i = 0; i < nfigs; i++)
		rp_putf(o, "<th scope=\"col\">%s</th>", o->l->head[figs[i]]);
	rp_put(o, "</tr>\n</thead>\n");
}

/* The rest of a table row, after its header cell. */
static void
put_cells(struct out *o, const struct report_row *x, const enum figure *figs,
	  size_t nfigs)
{
	char v[NUM_MAX];
	size_t i;

	for (i = 0; i < nfigs; i++) {
		rp_format_figure(v, o->l, x, figs[i]);
		rp_putf(o, "<td>%s</td>", v);
	}
	rp_put(o, "</tr>\n");
}

/* What each column counts, next to the table, for readers of a printout. */
static void
put_meanings(struct out *o, const enum figure *figs, size_t nfigs)
{
	size_t i;

	rp_putf(o, "<h3>%s</h3>\n<dl>\n", o->l->meaning);
	for (i = 0; i < nfigs; i++)
		rp_putf(o, "<dt>%s</dt>\n<dd>%s</dd>\n", o->l->head[figs[i]],
			o->l->explain[figs[i]]);
	rp_put(o, "</dl>\n");
}

/* A table of the figures of each quarter's totals row. */
static void
put_quarter_table(struct out *o, const char *caption,
		  const struct report_row *const *q, size_t nq,
		  const enum figure *figs, size_t nfigs)
{
	size_t i;

	put_table_start(o, caption, o->l->quarter, figs, nfigs);
	rp_put(o, "<tbody>\n");
	for (i = 0; i < nq; i++) {
		rp_putf(o, "<tr><th scope=\"row\" class=\"quarter\">"
			"%d-Q%d</th>", q[i]->year, q[i]->quarter);
		put_cells(o, q[i], figs, nfigs);
	}
	rp_put(o, "</tbody>\n</table>\n</div>\n");
	put_meanings(o, figs, nfigs);
}

static void
put_category_table(struct out *o, const struct sum *cats, size_t ncats,
		   const struct sum *all)
{
	const enum figure *figs = category_figures;
	const size_t nfigs = COUNT_OF(category_figures);
	size_t i;

	put_table_start(o, o->l->categories_caption, o->l->category, figs,
			nfigs);
	rp_put(o, "<tbody>\n");
	for (i = 0; i < ncats; i++) {
		rp_put(o, "<tr><th scope=\"row\">");
		rp_put_text(o, cats[i].row.category_name, 0);
		rp_put(o, "</th>");
		put_cells(o, &cats[i].row, figs, nfigs);
	}
	rp_putf(o, "</tbody>\n<tfoot>\n<tr><th scope=\"row\">%s</th>",
		o->l->all_categories);
	put_cells(o, &all->row, figs, nfigs);
	rp_put(o, "</tfoot>\n</table>\n</div>\n");
	rp_putf(o, "<p class=\"note\">%s</p>\n", o->l->categories_note);
}

/* The times the report states, formatted before anything is written. */
struct times {
	char first[16], last[16];	/* days of the period, 2026-03-31 */
	struct buf generated;
};

static int
local_date(time_t t, char date[16])
{
	struct tm tm;

	if (!localtime_r(&t, &tm) || strftime(date, 16, "%Y-%m-%d", &tm) == 0)
		return error("report: time %lld out of range", (long long)t);
	return 0;
}

static int
format_times(const struct report *r, const struct lang *l, struct times *t)
{
	if (local_date(r->from, t->first) < 0 ||
	    /* The period ends before `to`: its last day is the one before. */
	    local_date(r->to - 1, t->last) < 0)
		return -1;
	if (alert_format_time(r->generated, l->code, &t->generated) < 0)
		return error("report: time %lld out of range",
			     (long long)r->generated);
	return 0;
}

/* The document's head and title, or a part's section; then the period. */
static void
put_head(struct out *o, const struct report *r, const struct times *t,
	 int part)
{
	if (part) {
		rp_putf(o, "<section class=\"report\">\n<style>\n%s</style>\n",
			parts_style);
	} else {
		rp_putf(o, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
			"<meta charset=\"utf-8\" />\n"
			"<meta name=\"viewport\" content=\"width=device-width, "
			"initial-scale=1\" />\n<title>", o->l->code);
		rp_put_text(o, r->service, 0);
		rp_putf(o, ": %s</title>\n<style>\n%s%s</style>\n</head>\n"
			"<body>\n<main>\n<h1>", o->l->title, page_style,
			parts_style);
		rp_put_text(o, r->service, 0);
		rp_putf(o, ": %s</h1>\n", o->l->title);
	}
	rp_putf(o, "<p>%s: %s – %s. %s ", o->l->period, t->first, t->last,
		o->l->generated);
	rp_put_text(o, buf_str(&t->generated), 0);
	rp_putf(o, ".</p>\n<p>%s</p>\n", o->l->about);
}

static void
put_body(struct out *o, const struct report_row *const *q, size_t nq,
	 const struct sum *cats, size_t ncats, const struct sum *all)
{
	rp_putf(o, "<h2>%s</h2>\n<p>%s</p>\n", o->l->firms_h, o->l->firms_note);
	rp_put_trend_chart(o, q, nq);
	put_quarter_table(o, o->l->firms_caption, q, nq, firm_figures,
			  COUNT_OF(firm_figures));

	rp_putf(o, "<h2>%s</h2>\n", o->l->procurement_h);
	put_quarter_table(o, o->l->procurement_caption, q, nq,
			  procurement_figures, COUNT_OF(procurement_figures));
	put_quarter_table(o, o->l->lead_caption, q, nq, lead_figures,
			  COUNT_OF(lead_figures));
	if (ncats) {
		rp_put_share_chart(o, cats, ncats);
		put_category_table(o, cats, ncats, all);
	} else {
		rp_putf(o, "<p class=\"nodata\">%s</p>\n", o->l->no_categories);
	}

	rp_putf(o, "<h2>%s</h2>\n", o->l->meetings_h);
	rp_put_attendance_chart(o, q, nq);
	put_quarter_table(o, o->l->meetings_caption, q, nq, meeting_figures,
			  COUNT_OF(meeting_figures));

	rp_putf(o, "<h2>%s</h2>\n<p>%s</p>\n", o->l->feedback_h,
		o->l->feedback_note);
	rp_put_relevance_chart(o, q, nq);
	put_quarter_table(o, o->l->feedback_caption, q, nq, feedback_figures,
			  COUNT_OF(feedback_figures));
}

/* The decisions of one kind (reasons or not) as a table of two columns. */
static void
put_decision_table(struct out *o, const struct report *r, int reasons,
		   const char *caption, const char *first)
{
	size_t i;

	rp_putf(o, "<table>\n<caption>%s</caption>\n<thead><tr>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
		"</thead>\n<tbody>\n", caption, first, o->l->decisions_count);
	for (i = 0; i < r->ndecisions; i++) {
		if (r->decisions[i].is_reason != reasons)
			continue;
		rp_put(o, "<tr><th scope=\"row\">");
		rp_put_text(o, r->decisions[i].words, 0);
		rp_putf(o, "</th><td>%ld</td></tr>\n", r->decisions[i].count);
	}
	rp_put(o, "</tbody>\n</table>\n");
}

static void
put_decisions(struct out *o, const struct report *r)
{
	size_t i, nreasons = 0;

	for (i = 0; i < r->ndecisions; i++)
		nreasons += r->decisions[i].is_reason != 0;
	rp_putf(o, "<h2>%s</h2>\n<p>%s</p>\n", o->l->decisions_h,
		o->l->decisions_note);
	put_decision_table(o, r, 0, o->l->decisions_caption, o->l->decision);
	if (nreasons)
		put_decision_table(o, r, 1, o->l->reasons_caption,
				   o->l->reason);
}

static int
render(const struct report *r, const char *lang, int part, struct buf *out)
{
	struct out o = { .b = out, .l = rp_lang(lang) };
	const struct report_row **q = NULL;
	const size_t len = out->len;
	struct sum *cats = NULL, all;
	struct times t;
	size_t nq, ncats;
	int rc = -1;

	buf_init(&t.generated, 256);
	if (rp_check_report(r, &nq) < 0 || format_times(r, o.l, &t) < 0 ||
	    rp_collect_totals(r, nq, &q) < 0 ||
	    rp_sum_categories(r, &cats, &ncats, &all) < 0)
		goto out;
	put_head(&o, r, &t, part);
	if (nq)
		put_body(&o, q, nq, cats, ncats, &all);
	else
		rp_putf(&o, "<p class=\"nodata\">%s</p>\n", o.l->no_data);
	if (r->ndecisions)
		put_decisions(&o, r);
	rp_put(&o, part ? "</section>\n" : "</main>\n</body>\n</html>\n");
	rc = rp_finish(&o, len);
out:
	buf_release(&t.generated);
	free(q);
	free(cats);
	return rc;
}

int
report_html(const struct report *r, const char *lang, struct buf *out)
{
	return render(r, lang, 0, out);
}

int
report_html_part(const struct report *r, const char *lang, struct buf *out)
{
	return render(r, lang, 1, out);
}
