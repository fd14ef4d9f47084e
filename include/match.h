#ifndef TENDERLOTS_MATCH_H
#define TENDERLOTS_MATCH_H

#include <stddef.h>

#include "buf.h"
#include "category.h"
#include "firm.h"
#include "money.h"
#include "notice.h"
#include "split.h"
#include "stem.h"

/*
 * Matching category-lots against firms. A category-lot matches a firm when
 *  - industry: its category is one of the firm's, or one of its CPV codes
 *    lies under one of the firm's codes (CPV hierarchy by level), or one
 *    of the firm's keywords is in the lot's title or description (stem.h:
 *    the same stem, or the start of a compound);
 *  - no exclude word of the firm's is in the lot's title or description;
 *  - size: its value (the part's, or the lot's when the part is the whole
 *    lot) is unknown or not in SEK, or per year of contract duration (at
 *    least one year) it is at most size_share of the firm's annual
 *    turnover, or the firm gave no turnover;
 *  - region: the lot names no place (or may be performed anywhere), or one
 *    of its places overlaps a region the firm serves, or lies abroad and
 *    the firm works abroad too;
 *  - kind: the notice kind is one the firm asked for.
 * Each match has a score (higher is more relevant: SME-suitable lots, the
 * firm's own category, a more specific CPV code, a value well inside the
 * firm's size) and a one-line reason in the firm's language, e.g.
 * "Matchar er kategori Måleri (CPV 45442100), värde 1,2 MSEK inom er
 * storlek, utförs i Danderyd".
 */
struct match_options {
	double size_share;	/* of annual turnover per contract year, 0.5 */
	/* values into kronor; NULL: the bundled rates */
	const struct money_rates *rates;
	/* stems firms' words for match_one and match_reason; NULL: one is
	 * made for the call (an index uses its own) */
	struct stemmer *stemmer;
};

/* One category-lot as the matcher sees it. */
struct match_target {
	enum notice_kind kind;
	const struct lot *lot;
	const struct category_lot *part;
	const struct stem_text *text;	/* the lot's words (match_text), or
					   NULL for none */
};

/*
 * The words a lot is matched by, stemmed once for every firm: its title,
 * and the notice's when the lot is the notice's only one (an unlotted
 * notice, a link-only entry), in the notice's language (an eForms code;
 * NULL: Swedish and English); their descriptions too only when the lot
 * has no CPV code (coded 0: a link-only entry, whose summary is all it
 * says). A coded lot's description names much besides what is bought
 * (the site, the buyer's other works, "bygger" as a verb): on the
 * labelled set (bench/precision.c) reading it brought four wrong matches
 * and no right one. Added to out; -1 on ENOMEM.
 */
int match_text(struct stemmer *s, const struct notice *n, const struct lot *l,
	       struct stem_text *out);

/* The same for the texts of a stored notice and lot. */
int match_text_of(struct stemmer *s, const char *lang, int only_lot,
		  int coded, const char *title, const char *description,
		  const char *lot_title, const char *lot_description,
		  struct stem_text *out);

struct match_result {
	size_t firm;		/* index into the firm list */
	int score;
};

/*
 * An index over the firms, built once per pass, so that a category-lot is
 * compared only with firms that share its category or a CPV prefix and
 * serve its place. About 35 bytes a firm. NULL on ENOMEM, or for 2^28
 * firms or more.
 */
struct match_index;

struct match_index *match_index_new(const struct firm_list *firms,
				    const struct match_options *opt);
void match_index_free(struct match_index *ix);

/* The options the index was made with. */
const struct match_options *match_index_options(const struct match_index *ix);

/*
 * All firms the target matches, in no particular order, written to
 * (*out)[0..n), *out grown as needed up to one slot per firm (*cap is its
 * size; reuse both across calls, the caller frees *out). Returns n, or
 * -1 on ENOMEM. The index must not be shared between threads, and the
 * firm list must not change while the index lives.
 */
long match_find(struct match_index *ix, const struct match_target *t,
		struct match_result **out, size_t *cap);

/*
 * Whether one firm matches one target: 1 with *score set, 0 if not. The
 * rule match_find applies, without the index.
 */
int match_one(const struct firm *f, const struct match_target *t,
	      const struct match_options *opt, int *score);

/*
 * The reason for a match, in the firm's language, replacing the contents
 * of out. -1 on ENOMEM, or if the firm does not match the target by
 * industry at all.
 */
int match_reason(const struct firm *f, const struct match_target *t,
		 const struct match_options *opt, struct buf *out);

/* Notice kinds that are worth an alert to some firm. */
int match_kind_alerts(enum notice_kind kind);

#endif
