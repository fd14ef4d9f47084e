#ifndef TENDERLOTS_ADVICE_H
#define TENDERLOTS_ADVICE_H

#include <stdio.h>
#include <time.h>

#include "category.h"
#include "firm.h"
#include "match.h"
#include "store.h"

/*
 * Split advice for the procurement unit: its own planned procurements,
 * RFIs and contract notices that have one lot while spanning several
 * categories it wants divided, or exceeding the value band of their
 * category, each with the categories, the value per category where known
 * and how many subscribed firms fit each part. LOU 4 kap. 14 § asks for a
 * reason when a procurement is not divided; this is the basis for it.
 */
struct advice_context {
	struct store *store;
	const struct category_set *categories;
	const struct firm_list *firms;
	struct match_index *index;	/* over firms */
	char *const *buyers;		/* the municipality's organisation numbers,
					   NULL-terminated; NULL for none */
	time_t now;
};

/* Prints the advice; *count is the number of procurements listed. */
int advice_print(const struct advice_context *ctx, FILE *out, unsigned *count);

#endif
