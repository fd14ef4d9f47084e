/*
 * The figures as the renderers show them, computed, never written: each
 * figure of a row, the check of what report.h asks of a report, the
 * totals row of each quarter and each category's sum over the period.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "report_int.h"

long
rp_count_of(const struct report_row *x, enum figure f)
{
	switch (f) {
	case FIG_NOTICES: return x->notices;
	case FIG_LOTS: return x->lots;
	case FIG_CATEGORY_LOTS: return x->category_lots;
	case FIG_LARGE: return x->large;
	case FIG_LARGE_DIVIDED: return x->large_divided;
	case FIG_LEAD_TIME_N: return x->lead_time_n;
	case FIG_SUBSCRIBED: return x->firms_subscribed;
	case FIG_ALERTED: return x->firms_alerted;
	case FIG_REGISTERED: return x->firms_registered;
	case FIG_ATTENDING: return x->firms_attending;
	case FIG_ANSWERING_RFI: return x->firms_answering_rfi;
	case FIG_BIDDING: return x->firms_bidding;
	case FIG_WINNING: return x->firms_winning;
	case FIG_MEETINGS: return x->meetings_held;
	case FIG_SEATS: return x->meeting_seats_taken;
	case FIG_ATTENDEES: return x->meeting_attendees;
	case FIG_SHOWS: return x->meeting_shows;
	case FIG_ALERTS_ANSWERED: return x->alerts_answered;
	case FIG_ALERTS_RELEVANT: return x->alerts_relevant;
	case FIG_SURVEY_RESPONSES: return x->survey_responses;
	default: return 0;
	}
}

/*
 * The value of a figure that is a share or a mean: 1 with it in *v, 0
 * where there is nothing to divide by. Counts are count_of's.
 */
int
rp_ratio_of(const struct report_row *x, enum figure f, double *v)
{
	switch (f) {
	case FIG_SHARE_DIVIDED:
		if (x->large == 0)
			return 0;
		*v = 100.0 * (double)x->large_divided / (double)x->large;
		return 1;
	case FIG_ATTENDANCE:
		if (x->meeting_seats_taken == 0)
			return 0;
		*v = 100.0 * (double)x->meeting_shows /
		     (double)x->meeting_seats_taken;
		return 1;
	case FIG_SHARE_RELEVANT:
		if (x->alerts_answered == 0)
			return 0;
		*v = 100.0 * (double)x->alerts_relevant /
		     (double)x->alerts_answered;
		return 1;
	case FIG_SURVEY_MEAN:
		if (x->survey_responses == 0)
			return 0;
		*v = (double)x->survey_rating_sum / (double)x->survey_responses;
		return 1;
	case FIG_LEAD_TIME:
		if (x->lead_time_n == 0)
			return 0;
		*v = x->lead_time_days;
		return 1;
	default:
		return 0;
	}
}

int
rp_is_ratio(enum figure f)
{
	return f == FIG_SHARE_DIVIDED || f == FIG_ATTENDANCE ||
	       f == FIG_LEAD_TIME || f == FIG_SHARE_RELEVANT ||
	       f == FIG_SURVEY_MEAN;
}

int
rp_is_percent(enum figure f)
{
	return f == FIG_SHARE_DIVIDED || f == FIG_ATTENDANCE ||
	       f == FIG_SHARE_RELEVANT;
}

static int
quarter_index(const struct report_row *x)
{
	return x->year * 4 + x->quarter - 1;
}

static const char *
name_of(const struct report_row *x)
{
	return x->category_name ? x->category_name : x->category;
}

/* Year, quarter, then category, the totals row (NULL) first. */
static int
row_cmp(const struct report_row *a, const struct report_row *b)
{
	if (quarter_index(a) != quarter_index(b))
		return quarter_index(a) < quarter_index(b) ? -1 : 1;
	if (!a->category || !b->category)
		return !!a->category - !!b->category;
	return strcmp(a->category, b->category);
}

static int
check_row(const struct report_row *x)
{
	const long counts[] = {
		x->notices, x->lots, x->category_lots, x->large,
		x->large_divided, x->firms_subscribed, x->firms_alerted,
		x->firms_registered, x->firms_attending,
		x->firms_answering_rfi, x->firms_bidding, x->firms_winning,
		x->meetings_held, x->meeting_seats_taken,
		x->meeting_attendees, x->meeting_shows, x->lead_time_n,
		x->alerts_answered, x->alerts_relevant, x->survey_responses,
		x->survey_rating_sum,
	};
	const char *what = x->category ? x->category : "totals";
	size_t i;

	if (x->year < 1 || x->year > 9999 || x->quarter < 1 || x->quarter > 4)
		return error("report: a row for quarter %d of year %d",
			     x->quarter, x->year);
	for (i = 0; i < COUNT_OF(counts); i++)
		if (counts[i] < 0)
			return error("report: %d-Q%d %s: a negative figure",
				     x->year, x->quarter, what);
	if (x->large_divided > x->large)
		return error("report: %d-Q%d %s: more large procurements "
			     "divided (%ld) than there were (%ld)", x->year,
			     x->quarter, what, x->large_divided, x->large);
	if (x->meeting_shows > x->meeting_seats_taken)
		return error("report: %d-Q%d %s: more registered firms came "
			     "(%ld) than had registered (%ld)", x->year,
			     x->quarter, what, x->meeting_shows,
			     x->meeting_seats_taken);
	if (x->alerts_relevant > x->alerts_answered)
		return error("report: %d-Q%d %s: more alerts relevant (%ld) "
			     "than answered (%ld)", x->year, x->quarter, what,
			     x->alerts_relevant, x->alerts_answered);
	if (x->survey_rating_sum < x->survey_responses ||
	    (double)x->survey_rating_sum > 5.0 * (double)x->survey_responses)
		return error("report: %d-Q%d %s: ratings adding up to %ld "
			     "from %ld answers", x->year, x->quarter, what,
			     x->survey_rating_sum, x->survey_responses);
	if (x->lead_time_n > 0 && !(x->lead_time_days >= 0 &&
				    x->lead_time_days <= REPORT_LEAD_DAYS_MAX))
		return error("report: %d-Q%d %s: lead time of %g days",
			     x->year, x->quarter, what, x->lead_time_days);
	return 0;
}

/* Checks what report.h asks of a report; *nquarters from first to last. */
int
rp_check_report(const struct report *r, size_t *nquarters)
{
	const struct report_row *x, *prev = NULL;
	size_t i;

	*nquarters = 0;
	if (!r->service)
		return error("report: no service name");
	if (r->from >= r->to)
		return error("report: the period ends before it begins");
	if (r->nrows && !r->rows)
		return error("report: %zu rows, not given", r->nrows);
	for (i = 0; i < r->nrows; prev = x, i++) {
		x = &r->rows[i];
		if (check_row(x) < 0)
			return -1;
		if (prev && row_cmp(prev, x) >= 0)
			return error("report: %d-Q%d %s: rows out of order or "
				     "twice", x->year, x->quarter,
				     x->category ? x->category : "totals");
		if (prev && quarter_index(prev) == quarter_index(x))
			continue;
		if (x->category)
			return error("report: %d-Q%d has no totals row",
				     x->year, x->quarter);
		if (prev && quarter_index(x) != quarter_index(prev) + 1)
			return error("report: no totals row for the quarters "
				     "between %d-Q%d and %d-Q%d", prev->year,
				     prev->quarter, x->year, x->quarter);
		(*nquarters)++;
	}
	return 0;
}

/* The totals row of each quarter, in order. */
int
rp_collect_totals(const struct report *r, size_t nquarters,
		  const struct report_row ***out)
{
	size_t i, k = 0;

	*out = NULL;
	if (nquarters && !(*out = calloc(nquarters, sizeof **out)))
		return error("out of memory");
	for (i = 0; i < r->nrows; i++)
		if (!r->rows[i].category)
			(*out)[k++] = &r->rows[i];
	return 0;
}

static int
add_to(long *sum, long v)
{
	if (v > LONG_MAX - *sum)
		return -1;
	*sum += v;
	return 0;
}

static int
sum_add(struct sum *s, const struct report_row *x)
{
	if (add_to(&s->row.notices, x->notices) < 0 ||
	    add_to(&s->row.category_lots, x->category_lots) < 0 ||
	    add_to(&s->row.large, x->large) < 0 ||
	    add_to(&s->row.large_divided, x->large_divided) < 0 ||
	    add_to(&s->row.lead_time_n, x->lead_time_n) < 0)
		return error("report: %s: figures too large to add up over "
			     "the period", x->category ? x->category : "totals");
	if (x->lead_time_n > 0)
		s->lead_days += x->lead_time_days * (double)x->lead_time_n;
	if (s->row.lead_time_n > 0)
		s->row.lead_time_days = s->lead_days /
					(double)s->row.lead_time_n;
	return 0;
}

static int
key_cmp(const void *a, const void *b)
{
	const struct report_row *const *x = a, *const *y = b;

	return strcmp((*x)->category, (*y)->category);
}

/*
 * Each category's sum over the period, in key order, in *cats, and the
 * totals rows' sum in *all, which only the table of categories shows: it
 * is left zero when there is no category.
 */
int
rp_sum_categories(const struct report *r, struct sum **cats, size_t *ncats,
		  struct sum *all)
{
	const struct report_row **by_key = NULL;
	struct sum *s = NULL;
	size_t i, n = 0;
	int rc = -1;

	*cats = NULL;
	*ncats = 0;
	memset(all, 0, sizeof *all);
	if (r->nrows && !(by_key = calloc(r->nrows, sizeof *by_key))) {
		error("out of memory");
		goto out;
	}
	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].category)
			by_key[n++] = &r->rows[i];
	if (n && !(*cats = calloc(n, sizeof **cats))) {
		error("out of memory");
		goto out;
	}
	for (i = 0; n && i < r->nrows; i++)
		if (!r->rows[i].category && sum_add(all, &r->rows[i]) < 0)
			goto out;
	if (n)
		qsort(by_key, n, sizeof *by_key, key_cmp);
	for (i = 0; i < n; i++) {
		if (!s || strcmp(by_key[i]->category, s->row.category) != 0) {
			s = &(*cats)[(*ncats)++];
			s->row.category = by_key[i]->category;
			s->row.category_name = name_of(by_key[i]);
		}
		if (sum_add(s, by_key[i]) < 0)
			goto out;
	}
	rc = 0;
out:
	free(by_key);
	if (rc < 0) {
		free(*cats);
		*cats = NULL;
		*ncats = 0;
	}
	return rc;
}

