#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "stats.h"

/* The table being filled: quarters x (totals + one per category). */
struct table {
	const struct category_set *cs;
	const struct category **order;	/* categories by key */
	int year0, quarter0;		/* the first quarter */
	size_t nquarters;
	size_t width;			/* 1 + categories */
	struct report_row *rows;
};

static void
quarter_of(time_t t, int *year, int *quarter)
{
	struct tm tm;

	localtime_r(&t, &tm);
	*year = tm.tm_year + 1900;
	*quarter = tm.tm_mon / 3 + 1;
}

/* The first instant of the quarter after (year, quarter), local time. */
static time_t
quarter_end(int year, int quarter)
{
	struct tm tm = { 0 };

	tm.tm_year = year - 1900;
	tm.tm_mon = quarter * 3;
	tm.tm_mday = 1;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static int
by_key(const void *a, const void *b)
{
	const struct category *const *x = a, *const *y = b;

	return strcmp((*x)->key, (*y)->key);
}

/* The row of a quarter and category key (NULL: totals); NULL if outside. */
static struct report_row *
row_of(struct table *t, int year, int quarter, const char *category)
{
	long qi = (long)(year - t->year0) * 4 + (quarter - t->quarter0);
	size_t lo = 0, hi = t->width - 1, mid;
	int c;

	if (qi < 0 || (size_t)qi >= t->nquarters)
		return NULL;
	if (!category)
		return &t->rows[(size_t)qi * t->width];
	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(t->order[mid]->key, category);
		if (c == 0)
			return &t->rows[(size_t)qi * t->width + 1 + mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
table_init(struct table *t, const struct category_set *cs, const char *lang,
	   time_t from, time_t to)
{
	int y1, q1;
	size_t i, k;

	memset(t, 0, sizeof *t);
	t->cs = cs;
	quarter_of(from, &t->year0, &t->quarter0);
	quarter_of(to - 1, &y1, &q1);
	t->nquarters = (size_t)((y1 - t->year0) * 4 + (q1 - t->quarter0) + 1);
	t->width = cs->n + 1;
	if (!(t->order = calloc(cs->n ? cs->n : 1, sizeof *t->order)) ||
	    !(t->rows = calloc(t->nquarters * t->width, sizeof *t->rows)))
		return error("out of memory");
	for (i = 0; i < cs->n; i++)
		t->order[i] = &cs->v[i];
	qsort(t->order, cs->n, sizeof *t->order, by_key);
	for (i = 0; i < t->nquarters; i++)
		for (k = 0; k < t->width; k++) {
			struct report_row *r = &t->rows[i * t->width + k];

			r->year = t->year0 + (int)((t->quarter0 - 1 + i) / 4);
			r->quarter = (int)((t->quarter0 - 1 + i) % 4) + 1;
			if (k > 0) {
				r->category = t->order[k - 1]->key;
				r->category_name = category_name(t->order[k - 1], lang);
			}
		}
	return 0;
}

/* Where each counting query puts its figure. */
static long *
count_field(struct report_row *r, enum report_query q)
{
	switch (q) {
	case REPORT_NOTICES:		return &r->notices;
	case REPORT_LOTS:		return &r->lots;
	case REPORT_CATEGORY_LOTS:	return &r->category_lots;
	case REPORT_FIRMS_ALERTED:	return &r->firms_alerted;
	case REPORT_FIRMS_REGISTERED:	return &r->firms_registered;
	case REPORT_FIRMS_ATTENDING:	return &r->firms_attending;
	case REPORT_FIRMS_ANSWERING:	return &r->firms_answering_rfi;
	case REPORT_FIRMS_BIDDING:	return &r->firms_bidding;
	case REPORT_FIRMS_WINNING:	return &r->firms_winning;
	case REPORT_MEETINGS_HELD:	return &r->meetings_held;
	case REPORT_MEETING_SEATS:	return &r->meeting_seats_taken;
	case REPORT_MEETING_ATTENDEES:	return &r->meeting_attendees;
	case REPORT_MEETING_SHOWS:	return &r->meeting_shows;
	case REPORT_ALERTS_ANSWERED:	return &r->alerts_answered;
	case REPORT_ALERTS_RELEVANT:	return &r->alerts_relevant;
	default:			return NULL;
	}
}

static int
fill_counts(struct store *s, struct table *t, enum report_query q,
	    const struct report_scope *sc)
{
	struct report_count *c = NULL;
	struct report_row *r;
	size_t n = 0, i;

	if (store_report(s, q, sc, &c, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if ((r = row_of(t, c[i].year, c[i].quarter, c[i].category)))
			*count_field(r, q) = (long)c[i].value;
	report_counts_free(c, n);
	return 0;
}

/* Facts sorted by quarter and item, so the totals count each item once. */
static int
by_quarter_item(const void *a, const void *b)
{
	const struct report_count *x = a, *y = b;

	if (x->year != y->year)
		return x->year < y->year ? -1 : 1;
	if (x->quarter != y->quarter)
		return x->quarter < y->quarter ? -1 : 1;
	return strcmp(x->item ? x->item : "", y->item ? y->item : "");
}

static int
is_large(const struct table *t, const struct report_count *c)
{
	const struct category *cat = c->category ?
				     category_find(t->cs, c->category) : NULL;

	return cat && cat->value_max > 0 && c->days > cat->value_max;
}

/*
 * Large procurements and those divided, per category and in all: a
 * notice is large in all when it is in any of its categories.
 */
static int
fill_sizes(struct store *s, struct table *t, const struct report_scope *sc)
{
	struct report_count *c = NULL;
	struct report_row *r;
	size_t n = 0, i, j;
	int large;

	if (store_report(s, REPORT_NOTICE_SIZES, sc, &c, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (is_large(t, &c[i]) &&
		    (r = row_of(t, c[i].year, c[i].quarter, c[i].category))) {
			r->large++;
			r->large_divided += c[i].value > 1;
		}
	/* no rows come as NULL, which qsort must not be given */
	if (n > 0)
		qsort(c, n, sizeof *c, by_quarter_item);
	for (i = 0; i < n; i = j) {
		for (large = 0, j = i; j < n && by_quarter_item(&c[i], &c[j]) == 0; j++)
			large |= is_large(t, &c[j]);
		if (large && (r = row_of(t, c[i].year, c[i].quarter, NULL))) {
			r->large++;
			r->large_divided += c[i].value > 1;
		}
	}
	report_counts_free(c, n);
	return 0;
}

static void
add_lead_time(struct report_row *r, double days)
{
	if (!r || days < 0 || days > REPORT_LEAD_DAYS_MAX)
		return;
	r->lead_time_days = (r->lead_time_days * (double)r->lead_time_n + days) /
			    (double)(r->lead_time_n + 1);
	r->lead_time_n++;
}

/*
 * The facts of query q, one per item and category, each added (its days)
 * to its category's row and once to its quarter's totals.
 */
static int
fill_facts(struct store *s, struct table *t, const struct report_scope *sc,
	   enum report_query q, void (*add)(struct report_row *, double))
{
	struct report_count *c = NULL;
	size_t n = 0, i;

	if (store_report(s, q, sc, &c, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (c[i].category)
			add(row_of(t, c[i].year, c[i].quarter, c[i].category),
			    c[i].days);
	if (n > 0)
		qsort(c, n, sizeof *c, by_quarter_item);
	for (i = 0; i < n; i++)
		if (i == 0 || by_quarter_item(&c[i - 1], &c[i]) != 0)
			add(row_of(t, c[i].year, c[i].quarter, NULL), c[i].days);
	report_counts_free(c, n);
	return 0;
}

/* Whether a firm's categories and codes (space-separated) reach key. */
static int
firm_in(const struct category_set *cs, const char *words, const char *key)
{
	const struct category *c;
	const char *p = words, *end;
	char word[64];
	size_t len;

	while (*p) {
		while (*p == ' ')
			p++;
		for (end = p; *end && *end != ' '; end++)
			;
		len = (size_t)(end - p);
		if (len > 0 && len < sizeof word) {
			memcpy(word, p, len);
			word[len] = '\0';
			if (strcmp(word, key) == 0 ||
			    ((c = category_for_cpv(cs, word)) &&
			     strcmp(c->key, key) == 0))
				return 1;
		}
		p = end;
	}
	return 0;
}

/* Firms subscribed at each quarter's end, in all and per category. */
static int
fill_subscribed(struct store *s, struct table *t,
		const struct report_scope *sc)
{
	struct report_count *c = NULL;
	struct report_row *r;
	size_t n = 0, i, q, k;
	time_t end;

	if (store_report(s, REPORT_FIRMS, sc, &c, &n) < 0)
		return -1;
	for (q = 0; q < t->nquarters; q++) {
		r = &t->rows[q * t->width];
		end = quarter_end(r->year, r->quarter);
		for (i = 0; i < n; i++) {
			if (c[i].value >= end)
				continue;
			r->firms_subscribed++;
			for (k = 1; k < t->width; k++)
				if (c[i].category &&
				    firm_in(t->cs, c[i].category, r[k].category))
					r[k].firms_subscribed++;
		}
	}
	report_counts_free(c, n);
	return 0;
}

/* A survey answer and its rating. */
static void
add_rating(struct report_row *r, double rating)
{
	if (!r)
		return;
	r->survey_responses++;
	r->survey_rating_sum += (long)rating;
}

int
stats_build(const struct report_source *src, const char *lang, time_t from,
	    time_t to, time_t now, struct report_row **rows, size_t *n)
{
	struct store *s = src->store;
	const struct report_scope sc = { from, to, now, src->municipalities,
					 src->own_buyers };
	struct table t;
	int q, rc = -1;

	if (from >= to)
		return error("report: the period ends before it begins");
	if (table_init(&t, src->categories, lang, from, to) < 0)
		goto out;
	for (q = REPORT_NOTICES; q <= REPORT_ALERTS_RELEVANT; q++)
		if (fill_counts(s, &t, (enum report_query)q, &sc) < 0)
			goto out;
	if (fill_sizes(s, &t, &sc) < 0 ||
	    fill_facts(s, &t, &sc, REPORT_LEAD_TIMES, add_lead_time) < 0 ||
	    fill_subscribed(s, &t, &sc) < 0 ||
	    fill_facts(s, &t, &sc, REPORT_SURVEY_RATINGS, add_rating) < 0)
		goto out;
	*rows = t.rows;
	*n = t.nquarters * t.width;
	t.rows = NULL;
	rc = 0;
out:
	free(t.rows);
	free(t.order);
	return rc;
}
