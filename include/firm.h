#ifndef TENDERLOTS_FIRM_H
#define TENDERLOTS_FIRM_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Notice kinds a firm can ask for, as bits of firm.kinds. */
enum firm_kind {
	FIRM_KIND_PLANNED = 1 << 0,	/* prior information notices */
	FIRM_KIND_RFI = 1 << 1,		/* market dialogues */
	FIRM_KIND_TENDER = 1 << 2,	/* contract notices */
	FIRM_KIND_RESULT = 1 << 3	/* award notices */
};
#define FIRM_KINDS_DEFAULT (FIRM_KIND_PLANNED | FIRM_KIND_RFI | FIRM_KIND_TENDER)

enum firm_frequency {
	FREQ_IMMEDIATELY,
	FREQ_DAILY,
	FREQ_WEEKLY
};

/* Caps on what a firm says of itself: more is a mistake. */
#define FIRM_EMPLOYEES_MAX 10000000L
#define FIRM_TURNOVER_MAX 1000000000000000LL	/* kronor a year */

/* A subscribed local firm and what it wants to hear about. */
struct firm {
	int64_t id;		/* store row id, 0 before it is stored */
	char *orgnr;		/* "NNNNNN-NNNN", Luhn-checked */
	char *name;
	char *email;
	char **categories;	/* lot category keys (config/categories.conf) */
	size_t ncategories;
	char **cpv;		/* 8-digit codes; each covers its subtree */
	size_t ncpv;
	char **regions;		/* Swedish NUTS codes the firm serves, "SE"
				   for all of Sweden */
	size_t nregions;
	int abroad;		/* work performed abroad too */
	int packed;		/* firm_pack's: one block, read only */
	char *language;		/* "sv" or "en" */
	long employees;		/* -1 when not given */
	long long turnover;	/* SEK per year, -1 when not given */
	unsigned kinds;		/* enum firm_kind bits */
	enum firm_frequency frequency;
	time_t bounced_at;	/* its address takes no mail since; 0 */
	char *bounce_reason;	/* why, or NULL */
	char *municipality;	/* its kommunkod, "1480"; NULL: not given */
	char **keywords;	/* words that find a lot (lowercase, see stem.h) */
	size_t nkeywords;
	char **exclude;		/* a lot whose title or description holds one
				   is never matched to the firm */
	size_t nexclude;
};

/* At most this many keywords, and as many exclude words, a firm. */
#define FIRM_KEYWORDS_MAX 30

struct firm *firm_new(void);
void firm_free(struct firm *f);
/*
 * The firm copied into one block of memory, f freed: a third of the
 * memory of a firm of many pieces, for the lists of every firm a pass
 * holds. A packed firm is only read (firm_free frees it whole). NULL out
 * of memory, f as it was.
 */
struct firm *firm_pack(struct firm *f);

struct firm_list {
	struct firm **v;
	size_t n;
	struct firm **by_id;	/* v sorted by id, or NULL: firm_list_index */
};

void firm_list_release(struct firm_list *l);
/* Adds f at the end; the list is no longer indexed. */
int firm_list_push(struct firm_list *l, struct firm *f);
/*
 * Sorts a copy of the list by id, so firm_list_find takes O(log n); the
 * store's lists come indexed. -1 out of memory, the list unchanged.
 */
int firm_list_index(struct firm_list *l);
/* The firm of that id, NULL if none: a search when indexed, else a scan. */
const struct firm *firm_list_find(const struct firm_list *l, int64_t id);

/* 1 if the digits pass the Luhn (mod 10) check. */
int luhn_valid(const char *digits, size_t n);

/*
 * Accepts a Swedish organisation or personal identity number as
 * NNNNNN-NNNN, NNNNNNNNNN or with a two-digit century prefix, checks its
 * Luhn digit and writes "NNNNNN-NNNN" into out. -1 if invalid.
 */
int orgnr_normalize(const char *in, char out[12]);

/*
 * A region as firms give it, a NUTS code (any case) or a municipality
 * code, as the NUTS code stored: "se232" and "1480" are "SE232"; -1 for
 * neither.
 */
int region_normalize(const char *in, char *out, size_t outlen);
/* 1 if code is a Swedish municipality code (kommunkod) of a known county. */
int municipality_valid(const char *code);

/*
 * Parses a firm register CSV (RFC 4180, comma or semicolon separated, a
 * header line naming the columns: orgnr (or org.nr), name, email,
 * categories, cpv, regions, abroad (yes or no), language, employees,
 * turnover, kinds, frequency, municipality, keywords, exclude). Every bad row is reported through error() as
 * "file:line: message" and skipped, counted in *nbad; the good rows are
 * returned. -1 when the file itself is unusable (no or bad header, an
 * unterminated quote).
 */
struct category_set;
int firm_csv_parse(const char *data, size_t len, const char *filename,
		   const struct category_set *cs, struct firm_list *out,
		   unsigned *nbad);

/*
 * A firm's keywords or exclude words as typed (see stem_keywords_parse),
 * replacing *words; -1 with the fault in err, *words untouched.
 */
int firm_words_parse(const char *text, char ***words, size_t *n, char *err,
		     size_t errlen);

/* "planned rfi tender" <-> enum firm_kind bits. */
int firm_kinds_parse(const char *s, unsigned *out);
int firm_kinds_format(unsigned kinds, char *out, size_t outlen);
const char *firm_frequency_name(enum firm_frequency f);
int firm_frequency_parse(const char *s, enum firm_frequency *out);

#endif
