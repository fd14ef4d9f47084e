/* A report as a reader asks for it: the request read, figured, rendered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advice.h"
#include "log.h"
#include "report_int.h"
#include "stats.h"
#include "store.h"

static const struct {
	const char *format, *media_type, *sv, *en;
} downloads[] = {
	{ "html", "text/html; charset=utf-8", "rapport.html", "report.html" },
	{ "csv", "text/csv; charset=utf-8", "rapport.csv", "report.csv" },
	{ "xlsx", "application/vnd.openxmlformats-officedocument."
		  "spreadsheetml.sheet", "rapport.xlsx", "report.xlsx" },
};

/* The index of format in downloads[]; -1 if it is none of them. */
static int
download_find(const char *format)
{
	size_t i;

	for (i = 0; i < sizeof downloads / sizeof *downloads; i++)
		if (format && strcmp(format, downloads[i].format) == 0)
			return (int)i;
	return -1;
}

static size_t
download_of(const char *format)
{
	int i = download_find(format);

	return i < 0 ? 0 : (size_t)i;
}

const char *
report_media_type(const char *format)
{
	return downloads[download_of(format)].media_type;
}

const char *
report_file_name(const char *format, const char *lang)
{
	size_t i = download_of(format);

	return lang && strcmp(lang, "en") == 0 ? downloads[i].en :
						 downloads[i].sv;
}

/* Only the totals rows and those of category. */
static size_t
keep_category(struct report_row *rows, size_t n, const char *category)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (!rows[i].category || strcmp(rows[i].category, category) == 0)
			rows[k++] = rows[i];
	return k;
}

/*
 * The decisions on dividing made in [from, to) and in force, in the
 * report's words: each kind, then each reason of those not divided.
 */
static int
load_decisions(struct store *s, const struct report *r, int en,
	       struct report_decision **out, size_t *n)
{
	struct split_decision_count *c = NULL;
	struct report_decision *d = NULL;
	size_t nc = 0, i, k = 0;
	const char *words;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (store_split_decision_counts(s, r->from, r->to, &c, &nc) < 0)
		return -1;
	if (nc && !(d = calloc(nc, sizeof *d))) {
		error("out of memory");
		goto out;
	}
	/* kinds first, reasons after, whatever order the store gives */
	for (i = 0; i < nc; i++)
		if (!c[i].reason)
			d[k++] = (struct report_decision){
				advice_decision_words(c[i].decision, en), 0,
				(long)c[i].count };
	for (i = 0; i < nc; i++)
		if (c[i].reason &&
		    (words = advice_reason_words(c[i].reason, en)))
			d[k++] = (struct report_decision){ words, 1,
							   (long)c[i].count };
	*out = d;
	*n = k;
	d = NULL;
	rc = 0;
out:
	free(d);
	split_decision_counts_free(c, nc);
	return rc;
}

int
report_make(const struct report_source *src, const struct report_request *q,
	    time_t now, struct buf *out, struct report_fault *f)
{
	const char *format = q->format && *q->format ? q->format : "html";
	const char *lang = q->lang && *q->lang ? q->lang : "sv";
	const char *words = q->messages ? q->messages : lang;
	const int en = strcmp(words, "en") == 0;
	struct report_row *rows = NULL;
	struct report_decision *decisions = NULL;
	struct report r = { .service = src->service, .generated = now };
	size_t n = 0;
	int rc = -1;

	f->field = NULL;
	f->text[0] = '\0';
	if (download_find(format) < 0)
		return rp_fault(f, "format", format, en ?
				"is not html, csv or xlsx" :
				"är inte html, csv eller xlsx");
	if (strcmp(lang, "sv") != 0 && strcmp(lang, "en") != 0)
		return rp_fault(f, "lang", lang, en ? "is not sv or en" :
				"är inte sv eller en");
	if (q->category && *q->category &&
	    !category_find(src->categories, q->category))
		return rp_fault(f, "category", q->category, en ?
				"is not one of the municipality's categories" :
				"är ingen av kommunens kategorier");
	if (report_period(q, now, &r.from, &r.to, f) < 0 ||
	    stats_build(src, lang, r.from, r.to, now, &rows, &n) < 0 ||
	    load_decisions(src->store, &r, strcmp(lang, "en") == 0, &decisions,
			   &r.ndecisions) < 0)
		goto out;
	r.decisions = decisions;
	r.rows = rows;
	r.nrows = q->category && *q->category ?
		  keep_category(rows, n, q->category) : n;
	if (strcmp(format, "csv") == 0)
		rc = report_csv(&r, lang, out);
	else if (strcmp(format, "xlsx") == 0)
		rc = report_xlsx(&r, lang, out);
	else if (q->part)
		rc = report_html_part(&r, lang, out);
	else
		rc = report_html(&r, lang, out);
out:
	free(rows);
	free(decisions);
	return rc;
}
