#ifndef TENDERLOTS_STATS_H
#define TENDERLOTS_STATS_H

#include <stddef.h>
#include <time.h>

#include "category.h"
#include "report.h"
#include "store.h"

/*
 * The figures of näringslivsenheten's report, computed from the store:
 * for every quarter (local time) that [from, to) touches, a totals row
 * and a row per registered category, in the order report.h asks for.
 * Category names are in lang and point into cs, which must outlive the
 * rows. A procurement is large in a category when its estimated value is
 * above the category's band for small firms (value_max), and divided when
 * it has more than one lot.
 */
int stats_build(struct store *s, const struct category_set *cs,
		const char *lang, time_t from, time_t to, time_t now,
		struct report_row **rows, size_t *n);

#endif
