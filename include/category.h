#ifndef TENDERLOTS_CATEGORY_H
#define TENDERLOTS_CATEGORY_H

#include <stddef.h>

/*
 * The municipality's registered lot categories (category management,
 * "kategoristyrning"), from config/categories.conf: one section per
 * category with its names, the CPV codes that belong to it, the contract
 * value band typical for small firms in it, and whether the procurement
 * unit wants large tenders divided for it.
 */
struct category {
	char *key;		/* the section name, e.g. "maleri" */
	char *name_sv;
	char *name_en;
	char **cpv;		/* 8-digit codes; each covers its CPV subtree */
	size_t ncpv;
	double value_min;	/* SEK, the typical band for small firms; */
	double value_max;	/* 0: no bound on that side */
	int split;		/* divide large tenders for this category */
	char *renamed_from;	/* the key it had before, whose firms and
				   history move to it; NULL for none */
	char *keywords_text;	/* `keywords` as the file has it, or NULL */
	char **keywords;	/* its words, lowercase: a lot without CPV
				   codes whose text holds one falls into
				   the category */
	size_t nkeywords;
	char **stems;		/* 2 per keyword: Swedish, English (stem.h) */
};

/* At most this many keywords a category. */
#define CATEGORY_KEYWORDS_MAX 50

struct category_prefix;

/*
 * A set comes from category_load(): category_for_cpv() searches an index
 * of every code built there, so a set filled by hand finds nothing.
 */
struct category_set {
	struct category *v;
	size_t n;
	struct category_prefix *index;	/* sorted by significant digits */
	size_t nindex;
};

/*
 * Loads a categories file. Errors are reported as "file:line: message"
 * through error(); -1 if any. An unknown CPV code, a key used twice, a
 * code claimed by two categories, value_min > value_max, or a
 * renamed_from that is a key in use or is claimed twice, or a keywords
 * list that stem_keywords_parse refuses, is an error.
 */
int category_load(const char *path, struct category_set *out);
void category_set_release(struct category_set *cs);

const struct category *category_find(const struct category_set *cs,
				     const char *key);

/*
 * The category a CPV code (with or without its check digit) belongs to: of
 * the categories whose codes cover it, the one with the most specific
 * code. NULL when none does. A few binary searches, so it can be called
 * for every code of every lot in a pass.
 */
const struct category *category_for_cpv(const struct category_set *cs,
					const char *cpv);

/*
 * Whether key is a category's now or was one before a rename the set
 * records: firms and history may still name it.
 */
int category_known_key(const struct category_set *cs, const char *key);

/* Name in "sv" or "en" (Swedish otherwise). */
const char *category_name(const struct category *c, const char *lang);

#endif
