#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "cpv.h"
#include "match.h"
#include "money.h"
#include "utf8.h"

/*
 * The score of a match, higher is more relevant, never negative:
 *
 *	100                        every match
 *	+ 30                       the lot is marked suitable for SMEs
 *	+ 20                       the lot's category is one of the firm's
 *	+ 2 x significant digits   of the firm's most specific CPV code that
 *	                           covers one of the part's codes (4..16)
 *	+ 16                       one of the firm's keywords is in the
 *	                           lot's text (as much as a full CPV code)
 *	+ 0..20                    20 x (1 - value per year / what the firm
 *	                           can take on per year), when both are known
 *
 * so a small firm sees first the lots meant for it, in its own trade,
 * that it can carry comfortably.
 */
#define SCORE_BASE 100
#define SCORE_SME 30
#define SCORE_CATEGORY 20
#define SCORE_PER_DIGIT 2
#define SCORE_ROOM 20
#define SCORE_KEYWORD 16
#define SIZE_LIMITS 32		/* above SCORE_ROOM: size_reach halves it */

/* SEK; no public contract comes near it. */
#define VALUE_MAX 1e14

/* What a target says, worked out once and not once per firm. */
struct facts {
	unsigned kind;		/* the enum firm_kind bit, 0 for none */
	int has_value;		/* a positive value is known */
	int sek;		/* ... and it is in SEK or has a rate to it,
				   so it can be sized */
	double value;
	const char *currency;
	double per_year;	/* in SEK per contract year, when sek */
};

static unsigned
kind_bit(enum notice_kind kind)
{
	switch (kind) {
	case NOTICE_PLANNING:
		return FIRM_KIND_PLANNED;
	case NOTICE_RFI:
		return FIRM_KIND_RFI;
	case NOTICE_COMPETITION:
		return FIRM_KIND_TENDER;
	case NOTICE_RESULT:
		return FIRM_KIND_RESULT;
	case NOTICE_CHANGE:
	case NOTICE_OTHER:
		break;
	}
	/* Changes go to firms that already got the notice, not by match. */
	return 0;
}

int
match_kind_alerts(enum notice_kind kind)
{
	return kind_bit(kind) != 0;
}

/*
 * Years in an ISO 8601 duration ("P48M", "P2Y", "P1Y6M", "P90D", "P6W"),
 * at least 1: a contract shorter than a year still has to be carried by
 * one year's turnover. A duration that cannot be read counts as one year,
 * the strictest reading.
 */
static double
duration_years(const char *d)
{
	double years = 0;
	const char *p;

	if (!d || d[0] != 'P' || !d[1])
		return 1;
	for (p = d + 1; *p && *p != 'T';) {
		long n = 0;
		int digits = 0;

		/* Nine digits cannot overflow a long. */
		for (; *p >= '0' && *p <= '9' && digits < 9; p++, digits++)
			n = n * 10 + (*p - '0');
		if (!digits)
			return 1;
		switch (*p++) {
		case 'Y':
			years += (double)n;
			break;
		case 'M':
			years += (double)n / 12;
			break;
		case 'W':
			years += (double)n * 7 / 365;
			break;
		case 'D':
			years += (double)n / 365;
			break;
		default:
			return 1;
		}
	}
	return years > 1 ? years : 1;
}

static void
target_facts(const struct match_target *t, const struct money_rates *rates,
	     struct facts *fx)
{
	const struct category_lot *part = t->part;
	const struct lot *l = t->lot;
	double sek;

	memset(fx, 0, sizeof *fx);
	fx->kind = kind_bit(t->kind);
	if (part->has_value) {
		fx->has_value = 1;
		fx->value = part->value;
		fx->currency = part->currency;
	} else if (l->has_value && (part->ncpv == l->ncpv ||
				    t->kind == NOTICE_COMPETITION)) {
		/*
		 * The part's share of a lot across categories is not known.
		 * Called for tenders, a firm bids for the lot and takes on
		 * all of it; planned and consulted on, it may yet be divided,
		 * and each trade hears of its part.
		 */
		fx->has_value = 1;
		fx->value = l->value;
		fx->currency = l->currency;
	}
	/*
	 * Notices give 0 where they mean "not stated"; past VALUE_MAX a value
	 * is a typo, and it could not be printed.
	 */
	if (fx->has_value && !(fx->value > 0 && fx->value < VALUE_MAX))
		fx->has_value = 0;
	/* Turnover is in SEK; a currency without a rate cannot be sized. */
	fx->sek = fx->has_value &&
		  money_to_sek(rates, fx->value, fx->currency, &sek) == 0;
	if (fx->sek)
		fx->per_year = sek / duration_years(l->duration);
}

/* A code the index can take apart: exactly eight digits. */
static int
code_ok(const char *code)
{
	size_t i;

	for (i = 0; i < CPV_LEN; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	return !code[CPV_LEN];
}

static int
firm_has_category(const struct firm *f, const struct category *c)
{
	size_t i;

	if (!c)
		return 0;
	for (i = 0; i < f->ncategories; i++)
		if (strcmp(f->categories[i], c->key) == 0)
			return 1;
	return 0;
}

/*
 * Significant digits of the firm's most specific code that covers one of
 * the part's codes, 0 if none does; which codes those are, if asked.
 */
static size_t
best_cover(const struct firm *f, const struct category_lot *part,
	   const char **firm_code, const char **part_code)
{
	size_t i, j, best = 0;

	for (i = 0; i < f->ncpv; i++) {
		size_t sig;

		if (!code_ok(f->cpv[i]) || (sig = cpv_significant(f->cpv[i])) <= best)
			continue;
		for (j = 0; j < part->ncpv; j++)
			if (code_ok(part->cpv[j]) && cpv_covers(f->cpv[i], part->cpv[j])) {
				best = sig;
				if (firm_code)
					*firm_code = f->cpv[i];
				if (part_code)
					*part_code = part->cpv[j];
				break;
			}
	}
	return best;
}

/*
 * The first of the lot's places in a region the firm serves, or NULL.
 * The firm's regions are Swedish, from the NUTS table; a place outside it
 * is abroad ("EE", "EE001", or "SEN", Senegal, which only looks like one),
 * served by the firms that work abroad too.
 */
static const char *
served_place(const struct firm *f, const struct lot *l)
{
	size_t i, j;

	for (i = 0; i < l->nnuts; i++) {
		if (!nuts_label(l->nuts[i], NULL)) {
			if (f->abroad)
				return l->nuts[i];
			continue;
		}
		for (j = 0; j < f->nregions; j++)
			if (nuts_overlap(f->regions[j], l->nuts[i]))
				return l->nuts[i];
	}
	return NULL;
}

/*
 * The room left in a firm's size for the score, when it can carry the
 * lot: per_year at most capacity.
 */
static int
room_at(double per_year, double capacity)
{
	return (int)(SCORE_ROOM * (1 - per_year / capacity));
}

/*
 * The kind and size tests, on what match_find keeps of a firm so that it
 * need not look at the firm itself; with the room left in the firm's size
 * for the score.
 */
static int
fits(unsigned kinds, double turnover, const struct facts *fx,
     const struct match_options *opt, int *room)
{
	double capacity;

	*room = 0;
	if (!(kinds & fx->kind))
		return 0;
	if (!fx->sek || turnover < 0)
		return 1;
	capacity = opt->size_share * turnover;
	if (fx->per_year > capacity)
		return 0;
	*room = room_at(fx->per_year, capacity);
	return 1;
}

/* The double next above or below a positive one. */
static double
double_step(double x, int up)
{
	uint64_t bits;

	memcpy(&bits, &x, sizeof bits);
	bits = up ? bits + 1 : bits - 1;
	memcpy(&x, &bits, sizeof bits);
	return x;
}

/*
 * The least capacity with at least k of room (1..SCORE_ROOM), exactly as
 * room_at works it out: room_at only grows with the capacity (each of its
 * steps rounds monotonically), so the answer is found by stepping from
 * the real number's neighbourhood, or by halving the whole range of
 * doubles above per_year should that take long.
 */
static double
room_limit(double per_year, int k)
{
	double c = k < SCORE_ROOM ? SCORE_ROOM * per_year / (SCORE_ROOM - k) :
		   ldexp(per_year, 54);
	uint64_t lo, hi, mid;
	int steps;

	if (room_at(per_year, c) >= k) {
		for (steps = 0; steps < 64; steps++) {
			double below = double_step(c, 0);

			if (below <= per_year || room_at(per_year, below) < k)
				return c;
			c = below;
		}
	} else {
		for (steps = 0; steps < 64; steps++)
			if (room_at(per_year, c = double_step(c, 1)) >= k)
				return c;
	}
	/* lo has less room than k, hi enough */
	c = per_year;
	memcpy(&lo, &c, sizeof lo);
	c = DBL_MAX;
	memcpy(&hi, &c, sizeof hi);
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		memcpy(&c, &mid, sizeof c);
		if (room_at(per_year, c) >= k)
			hi = mid;
		else
			lo = mid;
	}
	memcpy(&c, &hi, sizeof c);
	return c;
}

/*
 * The capacities at which a firm's size test and room change, for a
 * lot that is sized: limit[0] the least that carries the lot, limit[k]
 * the least with k of room; the rest +inf (all 0 for a lot not sized). How many a capacity reaches is
 * then 1 + the room, or 0 when it is too small, found with a few
 * comparisons and not a division a firm.
 */
static void
size_limits(const struct facts *fx, double limit[SIZE_LIMITS])
{
	int k;

	limit[0] = fx->sek ? fx->per_year : 0;
	for (k = 1; k < SIZE_LIMITS; k++)
		limit[k] = k > SCORE_ROOM ? INFINITY : fx->sek ?
			   room_limit(fx->per_year, k) : 0;
}

/* How many of the limits the capacity reaches, without a branch. */
static unsigned
size_reach(const double limit[SIZE_LIMITS], double capacity)
{
	unsigned at = 0;

	at += limit[at + 15] <= capacity ? 16 : 0;
	at += limit[at + 7] <= capacity ? 8 : 0;
	at += limit[at + 3] <= capacity ? 4 : 0;
	at += limit[at + 1] <= capacity ? 2 : 0;
	return at + (limit[at] <= capacity);
}

static int
score_of(const struct match_target *t, int by_category, size_t cpv_digits,
	 int by_keyword, int room)
{
	return SCORE_BASE + (t->lot->sme_suitable == 1 ? SCORE_SME : 0) +
	       (by_category ? SCORE_CATEGORY : 0) +
	       SCORE_PER_DIGIT * (int)cpv_digits +
	       (by_keyword ? SCORE_KEYWORD : 0) + room;
}

/*
 * The first of the words (a firm's keywords or exclude words) that the
 * text holds: 1 with *which its number, *where the word of the text and
 * *nwhere how many words from there (a hyphenated one's parts), 0 for
 * none, -1 on ENOMEM.
 */
static int
words_found(struct stemmer *st, char *const *words, size_t n,
	    const struct stem_text *t, size_t *which,
	    const struct stem_word **where, size_t *nwhere)
{
	char stems[2][STEM_WORD_MAX + 1];
	const struct stem_word *w;
	size_t i;
	int k, distinct;

	if (!t)
		return 0;
	for (i = 0; i < n; i++) {
		if ((distinct = stem_keyword(st, words[i], stems)) < 0)
			return -1;
		for (k = 0; k < distinct; k++)
			if ((w = stem_text_find_span(t, stems[k], nwhere))) {
				*which = i;
				*where = w;
				return 1;
			}
	}
	return 0;
}

/* The options' stemmer, or one of the call's own in *own. */
static struct stemmer *
stemmer_of(const struct match_options *opt, struct stemmer **own)
{
	*own = NULL;
	if (opt->stemmer)
		return opt->stemmer;
	return *own = stemmer_new();
}

/* Whether the firm's keywords find the text and its exclude words do
 * not: 1, 0, -1 on ENOMEM. *vetoed is set when an exclude word is there. */
static int
firm_words(const struct firm *f, const struct match_target *t,
	   const struct match_options *opt, int *vetoed)
{
	const struct stem_word *w;
	struct stemmer *own, *st;
	size_t which, nw;
	int kw = 0, ex = 0;

	*vetoed = 0;
	if (!t->text || !(f->nkeywords + f->nexclude))
		return 0;
	if (!(st = stemmer_of(opt, &own)))
		return -1;
	if ((ex = words_found(st, f->exclude, f->nexclude, t->text, &which,
			      &w, &nw)) == 0)
		kw = words_found(st, f->keywords, f->nkeywords, t->text,
				 &which, &w, &nw);
	stemmer_free(own);
	if (ex < 0 || kw < 0)
		return -1;
	*vetoed = ex;
	return kw;
}

int
match_one(const struct firm *f, const struct match_target *t,
	  const struct match_options *opt, int *score)
{
	int by_category = firm_has_category(f, t->part->category), room;
	size_t cpv_digits = best_cover(f, t->part, NULL, NULL);
	int by_keyword, vetoed;
	struct facts fx;

	if ((by_keyword = firm_words(f, t, opt, &vetoed)) < 0 || vetoed)
		return 0;
	if (!by_category && !cpv_digits && !by_keyword)
		return 0;
	target_facts(t, opt->rates, &fx);
	if (!fits(f->kinds, (double)f->turnover, &fx, opt, &room))
		return 0;
	if (t->lot->nnuts && !served_place(f, t->lot))
		return 0;
	*score = score_of(t, by_category, cpv_digits, by_keyword, room);
	return 1;
}

/*
 * The index files each firm under keys, a term and a region bucket:
 *  - the terms: a firm code with s significant digits covers exactly the
 *    codes whose first s digits are its own, so it is filed under (those
 *    digits, s), and a part code looks up each of its prefixes of 2 to 8
 *    digits; a category is filed under its number among the firms'
 *    category keys;
 *  - the buckets: a firm is filed once for each region it serves that is
 *    in the NUTS table, so a lot placed in SE232 reads only the firms of
 *    the buckets overlapping it (SE, SE2, SE23, SE232) and not the whole
 *    country's. Regions outside the table, and lots placed outside it,
 *    fall back to comparing the codes.
 * The keys are one sorted array, so a lot without a place reads a term's
 * keys in one run; each key's postings are a run, ascending by firm. A
 * posting is 8 bytes: the firm's number and kinds, and its turnover in
 * 32 bits (the firm's own field past them): what the kind and size tests
 * need. Bisection on arrays built once per pass: no hashing to get wrong.
 *
 * At a million firms what a call learns of each firm reached would not
 * stay in the cache if it were kept by firm, nor would anything else kept
 * by firm, and every posting would be a miss or two. So match_find first
 * gathers the runs the lot reads, then walks them together a block of
 * BLOCK_FIRMS firm numbers at a time: the runs are read forward (the
 * next runs' postings fetched ahead, as each block's part of a run is
 * short), and the block's state (what reached each firm and its
 * turnover, six bytes a firm, and a bit a firm for those reached) stays
 * in the cache. Reading a posting only ors its bits into its firm's;
 * each firm reached is then tested once, its kind, size and industry,
 * without a branch to mispredict (a third of those reached are not
 * matches, at no pattern): the size by the lot's capacity limits
 * (size_limits), the result written and counted only if it matches.
 * The firm structs are read only for a region outside the table, and
 * for a turnover past 32 bits.
 */
#define BUCKET_OTHER 0xfffeu	/* firms serving a region not in the table */
#define BUCKET_NONE 0xffffu	/* firms that named no region */
#define BUCKETS_MAX 0xfffdu	/* NUTS table codes that get a bucket */
#define TERM_CATEGORY (1ull << 32)	/* above every CPV term */
#define TERM_KEYWORD (2ull << 32)	/* + a stem's number in the dictionary */
#define TERM_EXCLUDE (3ull << 32)	/* the same, of an exclude word */
#define BLOCK_FIRMS 32768u	/* a multiple of 64 */
#define RUNS_AHEAD 4	/* runs whose next postings are fetched ahead */
#define FIRMS_MAX (1u << 28)	/* a posting's firm number, above its kinds */
#define POST_KINDS 0x0fu	/* enum firm_kind bits */
#define TURNOVER_NONE 0xffffffffu	/* a posting's turnover: none given */
#define TURNOVER_BIG 0xfffffffeu	/* ... too big: the firm's own */

/*
 * What a call has found of a firm, 16 bits: the firm's kinds, a bit for
 * each length of CPV prefix that reached it (its most significant digits
 * the highest), and these flags. A posting's bits are or-ed in, whatever
 * else reached the firm before.
 */
#define ACC_DIGIT(len) (1u << (2 + (len)))	/* len 2..8: bits 4..10 */
#define ACC_DIGITS 0x07f0u
#define ACC_CATEGORY 0x0800u	/* matched by category */
#define ACC_REGION 0x1000u	/* known to serve the lot's place */
#define ACC_OUT 0x2000u		/* an exclude word is in the lot's text */
#define ACC_KEYWORD 0x4000u	/* one of its keywords is in the lot's text */

/* One key's firms that a call reads, and what they are reached by. */
struct run {
	uint32_t at, end;	/* in post */
	uint16_t acc;		/* ACC_* */
};

/* A hyphenated stem of the dictionary, filed under its first part. */
struct phrase {
	char first[STEM_WORD_MAX + 1];
	uint32_t id;		/* its number in the dictionary */
};

struct match_index {
	const struct firm_list *firms;
	struct match_options opt;
	uint64_t *keys;		/* term << 16 | bucket, sorted, distinct */
	size_t nkeys;
	uint32_t *key_at;	/* nkeys + 1: each key's run in post */
	uint32_t *key_stamp;	/* nkeys: the call that last read it */
	uint64_t *post;		/* firm number << 4 | its kinds, and its
				   turnover << 32, ascending in each key's
				   run */
	struct run *runs;	/* nkeys: this call's */
	uint16_t *acc;		/* BLOCK_FIRMS: the block's, ACC_* */
	uint32_t *turnover;	/* BLOCK_FIRMS: the block's, as posted */
	uint64_t *reached;	/* BLOCK_FIRMS / 64: bits of the block's */
	const char **categories;	/* the firms' keys, sorted, distinct */
	size_t ncategories;
	size_t nbuckets;	/* NUTS table codes with a bucket */
	size_t *overlap_at;	/* nbuckets + 1: each code's run in overlap */
	uint16_t *overlap;	/* the buckets overlapping each code */
	uint32_t *bucket_stamp;	/* nbuckets */
	uint16_t *buckets;	/* nbuckets: this call's */
	uint32_t stamp;
	char (*stems)[STEM_WORD_MAX + 1];	/* 2 per word of each firm, in
						   order: Swedish, English */
	char (*joined)[STEM_WORD_MAX + 1];	/* 2 per hyphenated word, in
						   order: its compound written
						   as one word ("itkonsult") */
	const char **dict;	/* those stems, sorted, distinct */
	size_t ndict;
	struct phrase *phrases;	/* the dictionary's hyphenated stems */
	size_t nphrases;
	uint32_t *dict_stamp;	/* ndict: the call that last looked it up */
	struct stemmer *stemmer;
};

/* How match_find reads the keys of a term. */
enum reach {
	REACH_ALL,		/* the lot has no place: every firm serves it */
	REACH_BUCKETS,		/* the buckets overlapping the lot's places */
	REACH_CHECK		/* a place not in the table: compare codes */
};

/* One match_find call. */
struct find {
	struct match_index *ix;
	const struct match_target *t;
	const struct facts *fx;
	double limit[SIZE_LIMITS];	/* size_limits, when the lot is sized */
	enum reach reach;
	size_t nbuckets;	/* in ix->buckets */
	size_t nruns;		/* in ix->runs */
};

static uint64_t
prefix_term(const char *code, size_t len)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++)
		v = v * 10 + (uint64_t)(code[i] - '0');
	return v * 16 + len;
}

static int
nuts_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct code_label *)elem)->code);
}

/* A NUTS code's bucket, BUCKET_OTHER when it has none. */
static unsigned
bucket_of(const struct match_index *ix, const char *nuts)
{
	const struct code_label *c = bsearch(nuts, nuts_codes, ix->nbuckets,
					     sizeof *nuts_codes, nuts_cmp);

	return c ? (unsigned)(c - nuts_codes) : BUCKET_OTHER;
}

static int
key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The first of keys[lo, hi) that is at least key. */
static size_t
key_bound(const uint64_t *keys, size_t lo, size_t hi, uint64_t key)
{
	const uint64_t *b = keys + lo;
	size_t n = hi - lo;

	if (!n)
		return lo;
	/* without a branch to mispredict */
	while (n > 1) {
		size_t half = n / 2;

		b = b[half] < key ? b + half : b;
		n -= half;
	}
	return (size_t)(b - keys) + (*b < key);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Index of a category key among the firms', or -1. */
static long
category_number(const struct match_index *ix, const char *key)
{
	const char **c = bsearch(&key, ix->categories, ix->ncategories,
				 sizeof *ix->categories, str_cmp);

	return c ? (long)(c - ix->categories) : -1;
}

/* A key's slot in a set of size slots (a power of two), empty or its own. */
static size_t
category_slot(const char **set, size_t size, const char *key)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */
	const char *c;
	size_t i;

	for (c = key; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ull;
	for (i = (size_t)h & (size - 1); set[i] && strcmp(set[i], key);
	     i = (i + 1) & (size - 1))
		;
	return i;
}

/*
 * The firms' category keys, sorted, each once. A million firms name a
 * few dozen keys again and again: they are gathered in a set, at most
 * half full, and only the distinct ones sorted (sorting every firm's took
 * a fifth of the index's building at a million firms).
 */
static int
index_categories(struct match_index *ix)
{
	const struct firm_list *firms = ix->firms;
	size_t i, k, j, n = 0, size = 64;
	const char **set = calloc(size, sizeof *set), **bigger;
	int rc = -1;

	for (i = 0; set && i < firms->n; i++)
		for (k = 0; k < firms->v[i]->ncategories; k++) {
			const char *key = firms->v[i]->categories[k];

			if (set[j = category_slot(set, size, key)])
				continue;
			set[j] = key;
			if (2 * ++n <= size)
				continue;
			if (!(bigger = calloc(2 * size, sizeof *bigger)))
				goto out;
			for (j = 0; j < size; j++)
				if (set[j])
					bigger[category_slot(bigger, 2 * size,
							     set[j])] = set[j];
			free(set);
			set = bigger;
			size *= 2;
		}
	if (!set || !(ix->categories = calloc(n + 1, sizeof *ix->categories)))
		goto out;
	for (j = 0; j < size; j++)
		if (set[j])
			ix->categories[ix->ncategories++] = set[j];
	qsort(ix->categories, ix->ncategories, sizeof *ix->categories, str_cmp);
	rc = 0;
out:
	free(set);
	return rc;
}

/* For each table code, the table codes it overlaps, itself included. */
static int
index_overlaps(struct match_index *ix)
{
	size_t i, j, n = 0;

	ix->nbuckets = nuts_ncodes < BUCKETS_MAX ? nuts_ncodes : BUCKETS_MAX;
	for (i = 0; i < ix->nbuckets; i++)
		for (j = 0; j < ix->nbuckets; j++)
			n += (size_t)nuts_overlap(nuts_codes[i].code, nuts_codes[j].code);
	ix->overlap_at = calloc(ix->nbuckets + 1, sizeof *ix->overlap_at);
	ix->overlap = calloc(n + 1, sizeof *ix->overlap);
	ix->bucket_stamp = calloc(ix->nbuckets + 1, sizeof *ix->bucket_stamp);
	ix->buckets = calloc(ix->nbuckets + 1, sizeof *ix->buckets);
	if (!ix->overlap_at || !ix->overlap || !ix->bucket_stamp || !ix->buckets)
		return -1;
	for (n = i = 0; i < ix->nbuckets; i++) {
		ix->overlap_at[i] = n;
		for (j = 0; j < ix->nbuckets; j++)
			if (nuts_overlap(nuts_codes[i].code, nuts_codes[j].code))
				ix->overlap[n++] = (uint16_t)j;
	}
	ix->overlap_at[ix->nbuckets] = n;
	return 0;
}

/* The firm's buckets, each once, into b (room for nregions or 1). */
static size_t
firm_buckets(const struct match_index *ix, const struct firm *f, unsigned *b)
{
	size_t i, k, n = 0;

	if (!f->nregions)
		b[n++] = BUCKET_NONE;
	for (i = 0; i < f->nregions; i++) {
		unsigned x = bucket_of(ix, f->regions[i]);

		for (k = 0; k < n && b[k] != x; k++)
			;
		if (k == n)
			b[n++] = x;
	}
	return n;
}

static long dict_number(const struct match_index *ix, const char *stem);

/* A firm's keyword or, after them, exclude word k. */
static const char *
word_of(const struct firm *f, size_t k)
{
	return k < f->nkeywords ? f->keywords[k] : f->exclude[k - f->nkeywords];
}

/*
 * The distinct stems the firm's word at ix->stems[w] is filed under into
 * terms (room for 4): its Swedish and English stems, and a hyphenated
 * one's compound written as one word, at ix->joined[*h], *h moved past.
 */
static size_t
word_terms(const struct match_index *ix, const char *word, size_t w,
	   size_t *h, const char **terms)
{
	const char *all[4] = { ix->stems[w], ix->stems[w + 1] };
	size_t n = 0, m = 2, i, j;

	if (strchr(word, '-')) {
		all[m++] = ix->joined[*h];
		all[m++] = ix->joined[*h + 1];
		*h += 2;
	}
	for (i = 0; i < m; i++) {
		for (j = 0; j < n && strcmp(terms[j], all[i]); j++)
			;
		if (j == n && all[i][0])
			terms[n++] = all[i];
	}
	return n;
}

/* Where index_postings is in the firm list's words. */
struct filing {
	size_t w, h;		/* in ix->stems, ix->joined */
	unsigned *b;		/* room for the most regions of a firm */
	uint64_t *keys;		/* room for the most keys of a firm */
};

/* The keys firm i is filed under into fl->keys, in turn; how many. */
static size_t
firm_keys(const struct match_index *ix, size_t i, struct filing *fl)
{
	const struct firm *f = ix->firms->v[i];
	size_t nb = firm_buckets(ix, f, fl->b), k, j, t, nt, n = 0;
	const char *terms[4];

	for (k = 0; k < f->ncpv + f->ncategories; k++) {
		uint64_t term;

		if (k < f->ncpv && !code_ok(f->cpv[k]))
			continue;
		term = k < f->ncpv ?
		       prefix_term(f->cpv[k], cpv_significant(f->cpv[k])) :
		       TERM_CATEGORY + (uint64_t)category_number(ix,
				f->categories[k - f->ncpv]);
		for (j = 0; j < nb; j++)
			fl->keys[n++] = term << 16 | fl->b[j];
	}
	for (k = 0; k < f->nkeywords + f->nexclude; k++, fl->w += 2) {
		uint64_t kind = k < f->nkeywords ? TERM_KEYWORD : TERM_EXCLUDE;

		nt = word_terms(ix, word_of(f, k), fl->w, &fl->h, terms);
		for (t = 0; t < nt * nb; t++)
			fl->keys[n++] = (kind + (uint64_t)dict_number(ix,
				terms[t / nb])) << 16 | fl->b[t % nb];
	}
	return n;
}

/*
 * While the index is built, the keys by value: open addressing with
 * linear probing, at most half full, each key with its number and how
 * many postings it has. Keys are below 2^52, so none is KEY_NONE.
 */
#define KEY_NONE UINT64_MAX

struct key_table {
	uint64_t *key;		/* size slots */
	uint32_t *id;		/* size slots */
	uint32_t *count;	/* size / 2: postings of each number */
	size_t size, n;
	unsigned bits;		/* size is 1 << bits */
};

static size_t
key_slot(const struct key_table *kt, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> (64 - kt->bits));

	while (kt->key[i] != key && kt->key[i] != KEY_NONE)
		i = (i + 1) & (kt->size - 1);
	return i;
}

static int
key_table_grow(struct key_table *kt)
{
	struct key_table old = *kt;
	uint32_t *count;
	size_t i, j;

	kt->bits = old.bits ? old.bits + 1 : 16;
	kt->size = (size_t)1 << kt->bits;
	kt->key = malloc(kt->size * sizeof *kt->key);
	kt->id = malloc(kt->size * sizeof *kt->id);
	count = realloc(old.count, kt->size / 2 * sizeof *count);
	if (!kt->key || !kt->id || !count) {
		free(kt->key);
		free(kt->id);
		*kt = old;
		kt->count = count ? count : old.count;
		return -1;
	}
	kt->count = count;
	memset(kt->key, 0xff, kt->size * sizeof *kt->key);
	for (i = 0; i < old.size; i++)
		if (old.key[i] != KEY_NONE) {
			j = key_slot(kt, old.key[i]);
			kt->key[j] = old.key[i];
			kt->id[j] = old.id[i];
		}
	free(old.key);
	free(old.id);
	return 0;
}

/* One more posting of key: its slot, the key added if new; -1 on ENOMEM. */
static int
key_count(struct key_table *kt, uint64_t key)
{
	size_t i;

	if (2 * (kt->n + 1) > kt->size && key_table_grow(kt) < 0)
		return -1;
	i = key_slot(kt, key);
	if (kt->key[i] == KEY_NONE) {
		kt->key[i] = key;
		kt->id[i] = (uint32_t)kt->n;
		kt->count[kt->n++] = 0;
	}
	kt->count[kt->id[i]]++;
	return 0;
}

/*
 * The distinct keys sorted into ix->keys, each run's start into
 * ix->key_at, and each key's number in the table made its place there.
 */
static int
index_keys(struct match_index *ix, struct key_table *kt)
{
	size_t i, k;

	ix->nkeys = kt->n;
	/* One spare element, so that no size asked of calloc is 0. */
	ix->keys = calloc(kt->n + 1, sizeof *ix->keys);
	ix->key_at = calloc(kt->n + 2, sizeof *ix->key_at);
	if (!ix->keys || !ix->key_at)
		return -1;
	for (i = k = 0; i < kt->size; i++)
		if (kt->key[i] != KEY_NONE)
			ix->keys[k++] = kt->key[i];
	qsort(ix->keys, ix->nkeys, sizeof *ix->keys, key_cmp);
	for (k = 0; k < ix->nkeys; k++) {
		i = key_slot(kt, ix->keys[k]);
		ix->key_at[k + 1] = ix->key_at[k] + kt->count[kt->id[i]];
		kt->id[i] = (uint32_t)k;
	}
	return 0;
}

/* A firm's turnover as a posting holds it, in 32 bits. */
static uint32_t
posted_turnover(const struct firm *f)
{
	if (f->turnover < 0)
		return TURNOVER_NONE;
	return f->turnover < TURNOVER_BIG ? (uint32_t)f->turnover : TURNOVER_BIG;
}

/*
 * The postings, by counting: each key's firms are counted, then written
 * in the firm list's order, so each key's run is ascending.
 */
static int
index_postings(struct match_index *ix)
{
	const struct firm_list *firms = ix->firms;
	struct filing fl = { 0 };
	struct key_table kt = { 0 };
	size_t i, k, n = 0, most = 1, r;
	uint32_t *next;
	int rc = -1;

	for (i = 0; i < firms->n; i++) {
		const struct firm *f = firms->v[i];
		size_t keys = f->ncpv + f->ncategories;

		r = f->nregions ? f->nregions : 1;
		for (k = 0; k < f->nkeywords + f->nexclude; k++)
			keys += strchr(word_of(f, k), '-') ? 4 : 2;
		n += keys * r;
		if (keys * r > most)
			most = keys * r;
		if (r > most)
			most = r;
	}
	/* Postings are numbered in 32 bits. */
	if (n >= UINT32_MAX)
		return -1;
	fl.b = calloc(most, sizeof *fl.b);
	fl.keys = calloc(most, sizeof *fl.keys);
	if (!fl.b || !fl.keys || key_table_grow(&kt) < 0)
		goto out;
	for (fl.w = fl.h = i = 0; i < firms->n; i++)
		for (r = firm_keys(ix, i, &fl), k = 0; k < r; k++)
			if (key_count(&kt, fl.keys[k]) < 0)
				goto out;
	if (index_keys(ix, &kt) < 0)
		goto out;
	n = ix->key_at[ix->nkeys];
	ix->key_stamp = calloc(ix->nkeys + 1, sizeof *ix->key_stamp);
	ix->runs = calloc(ix->nkeys + 1, sizeof *ix->runs);
	ix->post = calloc(n + 1, sizeof *ix->post);
	if (!ix->key_stamp || !ix->runs || !ix->post)
		goto out;
	/* key_stamp, all 0 until the first call, is where each run is at. */
	next = ix->key_stamp;
	memcpy(next, ix->key_at, ix->nkeys * sizeof *next);
	for (fl.w = fl.h = i = 0; i < firms->n; i++) {
		const struct firm *f = firms->v[i];
		uint64_t posting = (uint64_t)posted_turnover(f) << 32 |
				   (uint32_t)i << 4 | (f->kinds & POST_KINDS);

		for (r = firm_keys(ix, i, &fl), k = 0; k < r; k++)
			ix->post[next[kt.id[key_slot(&kt, fl.keys[k])]]++] = posting;
	}
	memset(next, 0, ix->nkeys * sizeof *next);
	rc = 0;
out:
	free(kt.key);
	free(kt.id);
	free(kt.count);
	free(fl.b);
	free(fl.keys);
	return rc;
}

static int
phrase_cmp(const void *a, const void *b)
{
	const struct phrase *x = a, *y = b;

	return strcmp(x->first, y->first);
}

/*
 * The hyphenated stems of the dictionary ("it-konsult"), by their first
 * part: a lot's word finds them by its own stem, and the other parts are
 * checked on the lot's text.
 */
static int
index_phrases(struct match_index *ix)
{
	size_t i, len;

	if (!(ix->phrases = calloc(ix->ndict + 1, sizeof *ix->phrases)))
		return -1;
	for (i = 0; i < ix->ndict; i++) {
		struct phrase *p = &ix->phrases[ix->nphrases];

		if (!strchr(ix->dict[i], '-'))
			continue;
		len = strcspn(ix->dict[i], "-");
		memcpy(p->first, ix->dict[i], len);
		p->first[len] = '\0';
		p->id = (uint32_t)i;
		ix->nphrases++;
	}
	qsort(ix->phrases, ix->nphrases, sizeof *ix->phrases, phrase_cmp);
	return 0;
}

/*
 * Stems the firms' keywords and exclude words, in Swedish and English
 * (and a hyphenated one's compound written as one word), and makes the
 * dictionary of those stems whose number is each one's term.
 */
static int
index_words(struct match_index *ix)
{
	const struct firm_list *firms = ix->firms;
	size_t i, k, j, n = 0, h = 0;

	for (i = 0; i < firms->n; i++) {
		const struct firm *f = firms->v[i];

		for (k = 0; k < f->nkeywords + f->nexclude; k++)
			n += 2, h += strchr(word_of(f, k), '-') ? 2 : 0;
	}
	if (!(ix->stems = calloc(n + 1, sizeof *ix->stems)) ||
	    !(ix->joined = calloc(h + 1, sizeof *ix->joined)) ||
	    !(ix->dict = calloc(n + h + 1, sizeof *ix->dict)) ||
	    !(ix->dict_stamp = calloc(n + h + 1, sizeof *ix->dict_stamp)))
		return -1;
	for (n = h = i = 0; i < firms->n; i++) {
		const struct firm *f = firms->v[i];

		for (k = 0; k < f->nkeywords + f->nexclude; k++, n += 2) {
			if (stem_keyword(ix->stemmer, word_of(f, k),
					 &ix->stems[n]) < 0)
				return -1;
			ix->dict[ix->ndict++] = ix->stems[n];
			ix->dict[ix->ndict++] = ix->stems[n + 1];
			if (!strchr(word_of(f, k), '-'))
				continue;
			for (j = 0; j < 2; j++, h++)
				if (!stem_joined(ix->stems[n + j], ix->joined[h]))
					ix->dict[ix->ndict++] = ix->joined[h];
		}
	}
	qsort(ix->dict, ix->ndict, sizeof *ix->dict, str_cmp);
	for (n = i = 0; i < ix->ndict; i++)
		if (!n || strcmp(ix->dict[n - 1], ix->dict[i]))
			ix->dict[n++] = ix->dict[i];
	ix->ndict = n;
	return index_phrases(ix);
}

/* A stem's number in the dictionary, or -1. */
static long
dict_number(const struct match_index *ix, const char *stem)
{
	const char **d = ix->ndict ? bsearch(&stem, ix->dict, ix->ndict,
					     sizeof *ix->dict, str_cmp) : NULL;

	return d ? (long)(d - ix->dict) : -1;
}

struct match_index *
match_index_new(const struct firm_list *firms, const struct match_options *opt)
{
	size_t block = firms->n < BLOCK_FIRMS ? firms->n : BLOCK_FIRMS;
	struct match_index *ix;

	if (firms->n >= FIRMS_MAX || !(ix = calloc(1, sizeof *ix)))
		return NULL;
	ix->firms = firms;
	ix->opt = *opt;
	/* One spare element, so that no size asked of calloc is 0. */
	ix->acc = calloc(block + 1, sizeof *ix->acc);
	ix->turnover = calloc(block + 1, sizeof *ix->turnover);
	ix->reached = calloc(block / 64 + 1, sizeof *ix->reached);
	ix->stemmer = stemmer_new();
	if (!ix->opt.stemmer)
		ix->opt.stemmer = ix->stemmer;
	if (!ix->acc || !ix->turnover || !ix->reached ||
	    !ix->stemmer || index_categories(ix) < 0 ||
	    index_overlaps(ix) < 0 || index_words(ix) < 0 ||
	    index_postings(ix) < 0) {
		match_index_free(ix);
		return NULL;
	}
	return ix;
}

const struct match_options *
match_index_options(const struct match_index *ix)
{
	return &ix->opt;
}

void
match_index_free(struct match_index *ix)
{
	if (!ix)
		return;
	free(ix->keys);
	free(ix->key_at);
	free(ix->key_stamp);
	free(ix->post);
	free(ix->runs);
	free(ix->turnover);
	free(ix->acc);
	free(ix->reached);
	free(ix->categories);
	free(ix->overlap_at);
	free(ix->overlap);
	free(ix->bucket_stamp);
	free(ix->buckets);
	free(ix->dict);
	free(ix->dict_stamp);
	free(ix->phrases);
	free(ix->stems);
	free(ix->joined);
	stemmer_free(ix->stemmer);
	free(ix);
}

/* Key k's firms are read in this call, reached as acc says; once. */
static void
add_run(struct find *fd, size_t k, unsigned acc)
{
	struct match_index *ix = fd->ix;

	if (ix->key_stamp[k] == ix->stamp || ix->key_at[k] == ix->key_at[k + 1])
		return;
	ix->key_stamp[k] = ix->stamp;
	ix->runs[fd->nruns++] = (struct run){ ix->key_at[k], ix->key_at[k + 1],
					      (uint16_t)acc };
}

/* Every key of a term, as [*lo, *hi) of ix->keys. */
static void
term_keys(const struct match_index *ix, uint64_t term, size_t *lo, size_t *hi)
{
	*lo = key_bound(ix->keys, 0, ix->nkeys, term << 16);
	*hi = key_bound(ix->keys, *lo, ix->nkeys, (term + 1) << 16);
}

/* The key of a term and bucket among keys[lo, hi), if there is one. */
static void
add_key(struct find *fd, size_t lo, size_t hi, uint64_t key, unsigned acc)
{
	size_t k = key_bound(fd->ix->keys, lo, hi, key);

	if (k < hi && fd->ix->keys[k] == key)
		add_run(fd, k, acc);
}

/* The firms filed under a term, as far as they may serve the lot. */
static void
find_term(struct find *fd, uint64_t term, unsigned acc)
{
	size_t lo, hi, i;

	term_keys(fd->ix, term, &lo, &hi);
	if (fd->reach != REACH_BUCKETS) {
		for (i = lo; i < hi; i++)
			add_run(fd, i, acc | (fd->reach == REACH_ALL ? ACC_REGION : 0));
		return;
	}
	for (i = 0; i < fd->nbuckets; i++)
		add_key(fd, lo, hi, term << 16 | fd->ix->buckets[i],
			acc | ACC_REGION);
	add_key(fd, lo, hi, term << 16 | BUCKET_OTHER, acc);
}

/* The firms filed under a stem, once a call: a keyword's are reached,
 * an exclude word's are out, whatever reached them or will. */
static void
find_stem(struct find *fd, const char *stem)
{
	struct match_index *ix = fd->ix;
	long id = dict_number(ix, stem);
	size_t lo, hi;

	if (id < 0 || ix->dict_stamp[id] == ix->stamp)
		return;
	ix->dict_stamp[id] = ix->stamp;
	find_term(fd, TERM_KEYWORD + (uint64_t)id, ACC_KEYWORD);
	for (term_keys(ix, TERM_EXCLUDE + (uint64_t)id, &lo, &hi); lo < hi; lo++)
		add_run(fd, lo, ACC_OUT);
}

/*
 * The firms of the hyphenated words whose first part is the stem of the
 * text's word i and whose other parts follow it there.
 */
static void
find_phrases(struct find *fd, size_t i, const char *stem)
{
	struct match_index *ix = fd->ix;
	size_t lo = 0, hi = ix->nphrases;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ix->phrases[mid].first, stem) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ix->nphrases && strcmp(ix->phrases[lo].first, stem) == 0;
	     lo++) {
		const char *phrase = ix->dict[ix->phrases[lo].id];

		if (ix->dict_stamp[ix->phrases[lo].id] != ix->stamp &&
		    stem_finds_at(fd->t->text, i, phrase))
			find_stem(fd, phrase);
	}
}

/*
 * Every firm whose words the lot's text holds, by stem_finds's rule seen
 * from the word: its stems, and each start of it at least STEM_PREFIX_MIN
 * letters long; and the hyphenated words it begins.
 */
static void
find_words(struct find *fd)
{
	const struct stem_text *t = fd->t->text;
	char prefix[STEM_WORD_MAX + 1];
	size_t i, k, letters, all;

	if (!t || !fd->ix->ndict)
		return;
	for (i = 0; i < t->n; i++) {
		const struct stem_word *w = &t->words[i];
		const char *low = stem_str(t, w->lower);

		find_stem(fd, stem_str(t, w->stem[0]));
		if (w->stem[1] != w->stem[0])
			find_stem(fd, stem_str(t, w->stem[1]));
		all = utf8_width(low);
		for (k = letters = 0; low[k]; k++) {
			if (((unsigned char)low[k] & 0xc0) == 0x80)
				continue;
			/* the prefix before the letter at k, letters after it */
			if (letters++ < STEM_PREFIX_MIN)
				continue;
			if (all - (letters - 1) < STEM_COMPOUND_REST)
				break;
			memcpy(prefix, low, k);
			prefix[k] = '\0';
			find_stem(fd, prefix);
		}
		if (all >= STEM_PREFIX_MIN)
			find_stem(fd, low);
		if (!fd->ix->nphrases)
			continue;
		find_phrases(fd, i, stem_str(t, w->stem[0]));
		if (w->stem[1] != w->stem[0])
			find_phrases(fd, i, stem_str(t, w->stem[1]));
	}
}

/* Which buckets can hold firms serving the lot's places. */
static void
reach_places(struct find *fd)
{
	struct match_index *ix = fd->ix;
	const struct lot *l = fd->t->lot;
	size_t i, k;

	fd->reach = l->nnuts ? REACH_BUCKETS : REACH_ALL;
	for (i = 0; i < l->nnuts; i++) {
		unsigned b = bucket_of(ix, l->nuts[i]);

		if (b == BUCKET_OTHER) {
			fd->reach = REACH_CHECK;
			return;
		}
		for (k = ix->overlap_at[b]; k < ix->overlap_at[b + 1]; k++)
			if (ix->bucket_stamp[ix->overlap[k]] != ix->stamp) {
				ix->bucket_stamp[ix->overlap[k]] = ix->stamp;
				ix->buckets[fd->nbuckets++] = ix->overlap[k];
			}
	}
}

/*
 * The runs' firms below end, from base on, into the block's state: what
 * each was reached by or-ed in, with its kinds, and its turnover kept.
 * The runs read to their end are dropped. Whether any firm was reached.
 */
static int
read_runs(struct find *fd, uint32_t base, uint32_t end)
{
	struct match_index *ix = fd->ix;
	const uint64_t *post = ix->post;
	uint16_t *acc = ix->acc;
	uint32_t *turnover = ix->turnover;
	uint64_t *reached = ix->reached;
	size_t r = 0;
	int any = 0;

	while (r < fd->nruns) {
		struct run *run = &ix->runs[r];
		uint32_t at = run->at, stop = run->end;
		unsigned add = run->acc;

		if (r + RUNS_AHEAD < fd->nruns) {
			const uint64_t *next = &post[ix->runs[r + RUNS_AHEAD].at];

			__builtin_prefetch(next);
			__builtin_prefetch(next + 8);
			__builtin_prefetch(next + 16);
			__builtin_prefetch(next + 24);
		}
		for (; at < stop; at++) {
			uint64_t p = post[at];
			uint32_t f = ((uint32_t)p >> 4) - base;

			if (f >= end - base)
				break;
			acc[f] |= (uint16_t)(add | ((uint32_t)p & POST_KINDS));
			turnover[f] = (uint32_t)(p >> 32);
			reached[f / 64] |= 1ull << (f % 64);
		}
		any |= at != run->at;
		if (at == run->end) {
			*run = ix->runs[--fd->nruns];
		} else {
			run->at = at;
			r++;
		}
	}
	return any;
}

/* The most significant digits of a CPV prefix that reached a firm, or 0. */
static size_t
acc_digits(unsigned a)
{
	/* ACC_DIGIT(0), below the others, for none */
	unsigned d = (a & ACC_DIGITS) | ACC_DIGIT(0);

	return (size_t)(31 - __builtin_clz(d)) - 2;
}

/* A turnover as a posting holds it, in SEK, but for TURNOVER_NONE. */
static double
turnover_of(const struct match_index *ix, uint32_t posted, size_t firm)
{
	if (posted == TURNOVER_BIG)
		return (double)ix->firms->v[firm]->turnover;
	return (double)posted;
}

/* Room in *out for 64 more results, or one for each firm. -1 on ENOMEM. */
static int
room_for_word(const struct match_index *ix, struct match_result **out,
	      size_t *cap, size_t n)
{
	size_t ncap = *cap ? 2 * *cap : 64;
	struct match_result *v;

	if (*cap - n >= 64 || *cap == ix->firms->n)
		return 0;
	if (ncap < n + 64)
		ncap = n + 64;
	/* Each firm at most once: no more than the firm count. */
	if (ncap > ix->firms->n)
		ncap = ix->firms->n;
	if (!(v = realloc(*out, ncap * sizeof *v)))
		return -1;
	*out = v;
	*cap = ncap;
	return 0;
}

/*
 * The block's firms that the lot matches, in ascending order, appended
 * to (*out)[*n..); the block's state cleared. Each firm reached is
 * written and counted only if it matches, without a branch to mispredict.
 * -1 on ENOMEM.
 */
static int
take_block(struct find *fd, uint32_t base, uint32_t end,
	   struct match_result **out, size_t *cap, size_t *n)
{
	struct match_index *ix = fd->ix;
	const struct facts *fx = fd->fx;
	size_t w, words = (end - base + 63) / 64, k = *n;
	unsigned room, ok, reach, sized;

	for (w = 0; w < words; w++) {
		uint64_t bits = ix->reached[w];

		if (!bits)
			continue;
		ix->reached[w] = 0;
		/* one slot a firm of the word: no more than the firm count */
		if (room_for_word(ix, out, cap, k) < 0) {
			memset(ix->acc, 0, (end - base) * sizeof *ix->acc);
			memset(ix->reached, 0, words * sizeof *ix->reached);
			return -1;
		}
		for (; bits; bits &= bits - 1) {
			uint32_t f = (uint32_t)(w * 64) +
				     (uint32_t)__builtin_ctzll(bits);
			unsigned a = ix->acc[f];

			ix->acc[f] = 0;
			/* fits(), with the limits */
			sized = (unsigned)fx->sek &
				(ix->turnover[f] != TURNOVER_NONE);
			reach = size_reach(fd->limit, ix->opt.size_share *
					   turnover_of(ix, ix->turnover[f],
						       base + f));
			ok = ((a & fx->kind) != 0) & (!sized | (reach > 0));
			room = (reach - (reach > 0)) & -sized;
			/* out, or only vetoed */
			ok &= !(a & ACC_OUT) &&
			      (a & (ACC_DIGITS | ACC_CATEGORY | ACC_KEYWORD));
			if (__builtin_expect(!(a & ACC_REGION), 0) && ok)
				ok = served_place(ix->firms->v[base + f],
						  fd->t->lot) != NULL;
			(*out)[k] = (struct match_result){
				base + f, score_of(fd->t, a & ACC_CATEGORY,
						   acc_digits(a), a & ACC_KEYWORD,
						   (int)room) };
			k += (size_t)ok;
		}
	}
	*n = k;
	return 0;
}

long
match_find(struct match_index *ix, const struct match_target *t,
	   struct match_result **out, size_t *cap)
{
	const struct category_lot *part = t->part;
	struct facts fx;
	struct find fd = { .ix = ix, .t = t, .fx = &fx };
	size_t i, n = 0, nfirms = ix->firms->n;
	uint32_t base, end;
	unsigned len;
	long c;

	target_facts(t, ix->opt.rates, &fx);
	if (!fx.kind)
		return 0;
	size_limits(&fx, fd.limit);
	if (++ix->stamp == 0) {
		/* Wrapped: old stamps could be taken for this call's. */
		memset(ix->key_stamp, 0, ix->nkeys * sizeof *ix->key_stamp);
		memset(ix->dict_stamp, 0, ix->ndict * sizeof *ix->dict_stamp);
		memset(ix->bucket_stamp, 0, ix->nbuckets * sizeof *ix->bucket_stamp);
		ix->stamp = 1;
	}
	reach_places(&fd);
	if (part->category && (c = category_number(ix, part->category->key)) >= 0)
		find_term(&fd, TERM_CATEGORY + (uint64_t)c, ACC_CATEGORY);
	for (i = 0; i < part->ncpv; i++) {
		if (!code_ok(part->cpv[i]))
			continue;
		for (len = 2; len <= CPV_LEN; len++)
			find_term(&fd, prefix_term(part->cpv[i], len),
				  ACC_DIGIT(len));
	}
	find_words(&fd);
	for (base = 0; fd.nruns && base < nfirms; base = end) {
		end = nfirms - base > BLOCK_FIRMS ? base + BLOCK_FIRMS :
		      (uint32_t)nfirms;
		if (read_runs(&fd, base, end) &&
		    take_block(&fd, base, end, out, cap, &n) < 0)
			return -1;
	}
	return (long)n;
}

/*
 * What a code stands for, as people say it: "Målning och glassättning";
 * "CPV 45440000" only where the table has no name for it.
 */
static int
add_code(struct buf *b, const char *code, const char *lang)
{
	const char *label = cpv_label(code, lang);

	return label ? buf_adds(b, label) : buf_printf(b, "CPV %s", code);
}

/* The first of the category's words in the lot's text, or NULL. */
static const char *
category_word(const struct category *c, const struct stem_text *t)
{
	size_t i;

	for (i = 0; t && i < 2 * c->nkeywords; i++)
		if (stem_text_find(t, c->stems[i]))
			return c->keywords[i / 2];
	return NULL;
}

/*
 * "Matchar ert sökord ”snöröjning” (”Snöröjningen” i titeln)"; a
 * hyphenated keyword's words as the text writes them: ”IT-konsult”,
 * ”IT konsult”.
 */
static int
add_keyword(struct buf *b, const struct firm *f, const struct match_target *t,
	    struct stemmer *st, int en)
{
	const struct stem_word *w;
	size_t which, nw = 1, k;
	int r = words_found(st, f->keywords, f->nkeywords, t->text, &which, &w,
			    &nw);

	if (r <= 0 || buf_printf(b, en ? "Matches your keyword \u201c%s\u201d "
				 "(\u201c" : "Matchar ert sökord \u201d%s\u201d "
				 "(\u201d", f->keywords[which]) < 0)
		return -1;
	for (k = 0; k < nw; k++)
		if ((k && buf_addc(b, w[k].gap == STEM_GAP_HYPHEN ? '-' : ' ') < 0) ||
		    buf_adds(b, stem_str(t->text, w[k].written)) < 0)
			return -1;
	if (en)
		return buf_printf(b, "\u201d in the %s)",
				  w->field == STEM_TITLE ? "title" : "description");
	return buf_printf(b, "\u201d i %s)",
			  w->field == STEM_TITLE ? "titeln" : "beskrivningen");
}

static int
add_industry(struct buf *b, const struct firm *f, const struct match_target *t,
	     struct stemmer *st, const char *lang, int en)
{
	const struct category_lot *part = t->part;
	const char *firm_code = NULL, *part_code = NULL, *word;

	if (firm_has_category(f, part->category)) {
		if (buf_printf(b, en ? "Matches your category %s" :
			       "Matchar er kategori %s",
			       category_name(part->category, lang)) < 0)
			return -1;
		/* placed in the category by its words, not by a code */
		if (part->ncpv || !(word = category_word(part->category, t->text)))
			return 0;
		return buf_printf(b, en ? " (the word \u201c%s\u201d)" :
				  " (ordet \u201d%s\u201d)", word);
	}
	if (!best_cover(f, part, &firm_code, &part_code))
		return add_keyword(b, f, t, st, en);
	if (buf_adds(b, en ? "Matches what you follow: " :
		     "Matchar det ni bevakar: ") < 0 ||
	    add_code(b, firm_code, lang) < 0)
		return -1;
	if (strcmp(firm_code, part_code) == 0)
		return 0;
	if (buf_adds(b, en ? " (here: " : " (här: ") < 0 ||
	    add_code(b, part_code, lang) < 0)
		return -1;
	return buf_addc(b, ')');
}

int
match_reason(const struct firm *f, const struct match_target *t,
	     const struct match_options *opt, struct buf *out)
{
	const char *lang = f->language && strcmp(f->language, "en") == 0 ? "en" : "sv";
	int en = lang[0] == 'e';
	const char *town = t->lot->town, *place;
	struct stemmer *own, *st;
	struct facts fx;
	int r;

	target_facts(t, opt->rates, &fx);
	buf_reset(out);
	if (!(st = stemmer_of(opt, &own)))
		return -1;
	r = add_industry(out, f, t, st, lang, en);
	stemmer_free(own);
	if (r < 0)
		return -1;
	if (!fx.has_value) {
		if (buf_adds(out, en ? ", value unknown" : ", värde okänt") < 0)
			return -1;
	} else if (buf_adds(out, en ? ", value " : ", värde ") < 0 ||
		   money_say(opt->rates, fx.value, fx.currency, en, 1, out) < 0 ||
		   (fx.sek && f->turnover >= 0 &&
		    buf_adds(out, en ? ", within what a firm of your turnover "
			     "usually takes on" : ", inom vad ett företag med "
			     "er omsättning brukar ta") < 0)) {
		return -1;
	}
	if (town && *town)
		return buf_printf(out, en ? ", performed in %s" : ", utförs i %s", town);
	if ((place = served_place(f, t->lot))) {
		const char *label = nuts_label(place, lang), *country;

		/* abroad: the country's name, and the region's code in it */
		if (!label && (country = nuts_country_name(place, lang)))
			return buf_printf(out, en ? ", performed in %s%s%s%s" :
					  ", utförs i %s%s%s%s", country,
					  place[2] ? " (" : "", place[2] ? place : "",
					  place[2] ? ")" : "");
		return buf_printf(out, en ? ", performed in %s" : ", utförs i %s",
				  label ? label : place);
	}
	return buf_adds(out, en ? ", place not given" : ", plats anges inte");
}

int
match_text_of(struct stemmer *s, const char *lang, int only_lot, int coded,
	      const char *title, const char *description,
	      const char *lot_title, const char *lot_description,
	      struct stem_text *out)
{
	enum stem_lang sl = stem_lang_of(lang);

	if (coded)
		description = lot_description = NULL;

	/* a lot titled as its notice is not read twice */
	if (only_lot && lot_title && title && strcmp(lot_title, title) == 0)
		lot_title = NULL;
	if (only_lot && lot_description && description &&
	    strcmp(lot_description, description) == 0)
		lot_description = NULL;
	if (stem_text_add(s, out, lot_title, sl, STEM_TITLE) < 0 ||
	    (only_lot && stem_text_add(s, out, title, sl, STEM_TITLE) < 0) ||
	    stem_text_add(s, out, lot_description, sl, STEM_DESCRIPTION) < 0 ||
	    (only_lot && stem_text_add(s, out, description, sl,
				       STEM_DESCRIPTION) < 0))
		return -1;
	return 0;
}

int
match_text(struct stemmer *s, const struct notice *n, const struct lot *l,
	   struct stem_text *out)
{
	return match_text_of(s, n->language, n->nlots == 1, l->ncpv > 0,
			     n->title, n->description, l->title,
			     l->description, out);
}
