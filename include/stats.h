#ifndef TENDERLOTS_STATS_H
#define TENDERLOTS_STATS_H

#include <stddef.h>
#include <time.h>

#include "category.h"
#include "report.h"
#include "store.h"

/* Where the report's figures come from, and whom they count. */
struct report_source {
	struct store *store;
	const struct category_set *categories;
	const char *service;		/* [service] name */
	char *const *municipalities;	/* [service] municipalities, the
					   local firms' kommunkoder; NULL-ended */
	char *const *own_buyers;	/* [service] own_buyers; NULL-ended */
};

/*
 * The figures of näringslivsenheten's report, computed from the store:
 * for every quarter (local time) that [from, to) touches, a totals row
 * and a row per registered category, in the order report.h asks for.
 * Category names are in lang and point into the categories, which must
 * outlive the rows. A procurement is large in a category when its
 * estimated value is above the category's band for small firms
 * (value_max), and divided when it has more than one lot.
 */
int stats_build(const struct report_source *src, const char *lang,
		time_t from, time_t to, time_t now, struct report_row **rows,
		size_t *n);

/*
 * The report a request asks for, rendered into out: the one call of the
 * command line and of the staff's page. -1 with f->field set when the
 * request is wrong (f->text says how, nothing logged), with f->field NULL
 * when something else failed (logged).
 */
int report_make(const struct report_source *src,
		const struct report_request *q, time_t now, struct buf *out,
		struct report_fault *f);

#endif
