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

/*
 * The unit's decision on a candidate (LOU 4 kap. 14 §), a struct
 * split_decision of store.h: divided, and into which parts; not divided,
 * with at least one reason from advice_reasons (and a note, which "other"
 * needs); or decided later. Who decided and when. A later decision on
 * the same notice is in force; all are kept for the file.
 */
/* A reason not to divide, by key, with its words for the record. */
struct advice_reason {
	const char *key;
	const char *sv, *en;
};

/* The fixed list, ending with { NULL }. */
extern const struct advice_reason advice_reasons[];
/* A reason's words in Swedish or English (en); NULL for no such key. */
const char *advice_reason_words(const char *key, int en);
/* A decision's ("divided", "not_divided", "later") words. */
const char *advice_decision_words(const char *decision, int en);

/*
 * Checks and records d (its id and decided_at are set here) about a
 * stored notice; every fault is reported naming the field, and nothing
 * is stored then.
 */
int advice_decide(struct store *s, struct split_decision *d, time_t now);
/*
 * The printable record of a notice's decisions for the procurement's
 * file: one HTML page, Swedish or English (lang "en"), appended to out.
 * -1, reported, when there is no such notice.
 */
int advice_record_html(struct store *s, const char *notice_id,
		       const char *lang, struct buf *out);

#endif
