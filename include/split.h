#ifndef TENDERLOTS_SPLIT_H
#define TENDERLOTS_SPLIT_H

#include <stddef.h>

#include "category.h"
#include "notice.h"

/*
 * Splitting: every lot (or the one virtual lot of an unlotted notice) is
 * divided by the categories its CPV codes fall into, so a painter sees the
 * painting part of a large renovation, not the whole. Codes outside every
 * category form a part of their own (category NULL), which firms can still
 * match by CPV.
 */
struct category_lot {
	const struct category *category;	/* NULL: outside every category */
	char **cpv;		/* the lot's codes in this part, main code first */
	size_t ncpv;
	int has_value;		/* known when the lot is this one part */
	double value;
	char *currency;
};

struct lot_split {
	struct category_lot *parts;
	size_t nparts;		/* >= 1 when the lot has any CPV code */
};

/*
 * A lot without CPV codes (a link-only notice) is split instead into the
 * categories whose keywords its words (text, may be NULL) hold, each a
 * part without codes; a lot with codes is split by its codes alone.
 */
struct stem_text;
int split_lot(const struct category_set *cs, const struct lot *l,
	      const struct stem_text *text, struct lot_split *out);
void lot_split_release(struct lot_split *s);

/*
 * A stored lot and its stored parts as the matcher takes them, so a lot
 * stored earlier is matched as it was when it came: the strings are
 * borrowed from the stored lot, which must outlive this.
 */
struct stored_lot;

struct rebuilt_lot {
	struct lot lot;
	struct category_lot *parts;
	size_t nparts;
};

int rebuilt_lot_from(const struct category_set *cs, const struct stored_lot *sl,
		     struct rebuilt_lot *r);
void rebuilt_lot_release(struct rebuilt_lot *r);

#endif
