#ifndef TENDERLOTS_STEM_H
#define TENDERLOTS_STEM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Words and their stems, for keyword profiles and the notice search.
 *
 * A word is a run of letters (Latin with its accented letters, å ä ö é
 * ü ß ..., Greek, Cyrillic) and digits in UTF-8 text; everything else,
 * and bytes that are not UTF-8, separate words. A word is lowercased
 * (å for Å, é for É) and stemmed with Snowball's stemmer of its text's
 * language (libstemmer): "Snöröjningen" and "snöröjningar" both stem to
 * "snöröjning". A keyword is stemmed in Swedish and in English, so that
 * it finds a notice in either.
 *
 * The compound rule: Swedish joins words ("snöröjningsuppdrag",
 * "fönsterputsning"), so a keyword's stem of at least STEM_PREFIX_MIN
 * letters also matches a word that begins with it; a shorter stem ("tak",
 * "el") matches only the same stem, or "taktäckning" would be found by
 * "tak" and "elevhälsa" by "el".
 *
 * A keyword may join words with hyphens, as Swedish writes compounds
 * ("IT-konsult", "e-handel", "VA-arbeten") and as a phrase is written
 * ("första-hjälpen"). It finds a text where its parts stand one after
 * another as words, separated by a hyphen or spaces: "it-konsult" finds
 * "IT-konsult", "IT konsult" and "it-konsulter". Each part but the last
 * matches a word with the same stem only; the last one by the rule above,
 * with the letters of the whole keyword counted ("it-konsult", nine, finds
 * "IT-konsulttjänster"). It also finds the compound written as one word
 * ("itkonsult", "itkonsulter"). "it-konsult" never finds "it" or
 * "konsult" alone. Its stem is its parts' stems joined by '-'
 * ("it-konsult"), a sign no word's stem has.
 */
#define STEM_PREFIX_MIN 8	/* letters */
#define STEM_COMPOUND_REST 3	/* letters */
#define STEM_WORD_MAX 64	/* bytes of a word kept; a longer one is cut */
#define STEM_TEXT_WORDS 4000	/* words read of one text; the rest ignored */

enum stem_lang {
	STEM_SV = 1,
	STEM_EN = 2,
	STEM_BOTH = 3		/* the language is not known */
};

/* Swedish and English stemmers; not to be shared between threads. */
struct stemmer;

struct stemmer *stemmer_new(void);
void stemmer_free(struct stemmer *s);

/* The language of an eForms code ("SWE", "ENG"); unknown: STEM_BOTH. */
enum stem_lang stem_lang_of(const char *eforms_lang);

/*
 * The next word of s[0..len) at or after *pos: its bytes [*start, *end),
 * lowercased into lower (STEM_WORD_MAX + 1 bytes, NUL-terminated, cut at
 * a letter's boundary). *pos moves past it. 0 when there is none left.
 */
int stem_next_word(const char *s, size_t len, size_t *pos, size_t *start,
		   size_t *end, char *lower);

/*
 * Stems a lowercased word in one language into out (STEM_WORD_MAX + 1
 * bytes). -1 on ENOMEM.
 */
int stem_word(struct stemmer *s, enum stem_lang lang, const char *lower,
	      char *out);

/* Where a word of a text was found. */
enum stem_field {
	STEM_TITLE,
	STEM_DESCRIPTION
};

/* One word of a text; the strings are offsets into stem_text.chars. */
struct stem_word {
	uint32_t written;	/* as the text has it */
	uint32_t lower;
	uint32_t stem[2];	/* in the text's language(s); the same twice
				   when there is one */
	uint8_t field;		/* enum stem_field */
	uint8_t gap;		/* enum stem_gap: before the word */
};

/* What stands between a word and the one before it. */
enum stem_gap {
	STEM_GAP_START,		/* none: the word begins a text */
	STEM_GAP_SPACE,		/* spaces, at most one hyphen among them */
	STEM_GAP_HYPHEN,	/* one hyphen alone: "IT-konsult" */
	STEM_GAP_OTHER		/* anything else: a comma, a full stop */
};

/* The words of a text (a lot's title and description), stemmed once. */
struct stem_text {
	struct stem_word *words;
	size_t n, alloc;
	char *chars;
	size_t nchars, charsalloc;
};

/* Adds the words of text (NULL: none) to t; -1 on ENOMEM. */
int stem_text_add(struct stemmer *s, struct stem_text *t, const char *text,
		  enum stem_lang lang, enum stem_field field);
void stem_text_release(struct stem_text *t);

static inline const char *
stem_str(const struct stem_text *t, uint32_t off)
{
	return t->chars + off;
}

/*
 * Whether a keyword's stem finds the word: the word's stem is the same,
 * or (the compound rule) the stem has at least STEM_PREFIX_MIN letters
 * and the word begins with it.
 */
int stem_finds(const struct stem_text *t, const struct stem_word *w,
	       const char *stem);

/*
 * How many words of t, from its word i on, a keyword's stem finds: 1 for
 * a word, the parts of a hyphenated keyword ("it-konsult": "IT konsult"
 * is 2, "itkonsulter" 1), 0 for none.
 */
size_t stem_finds_at(const struct stem_text *t, size_t i, const char *stem);

/*
 * Whether a lowercased word is the stem, or begins with it and goes on
 * for at least STEM_COMPOUND_REST letters: a word joined to it
 * ("snöröjningsuppdrag"), not an ending ("arkitektur" is not a compound
 * of "arkitekt").
 */
int stem_begins(const char *lower, const char *stem);

/* The first word of t that the stem finds, or NULL; with how many words
 * (stem_finds_at) in *nwords unless nwords is NULL. */
const struct stem_word *stem_text_find_span(const struct stem_text *t,
					    const char *stem, size_t *nwords);
const struct stem_word *stem_text_find(const struct stem_text *t,
				       const char *stem);

/*
 * A list of keywords as people type it: words separated by spaces or
 * commas, each of letters and digits only, or of such words joined by
 * single hyphens ("IT-konsult"). Each is lowercased and kept once. At
 * most max words of at most STEM_KEYWORD_LEN bytes each; more, a longer
 * one or one with other signs is refused with a message in err naming it
 * and saying how to write a compound. -1 then, *words untouched.
 */
#define STEM_KEYWORD_LEN 60
int stem_keywords_parse(const char *text, size_t max, char ***words,
			size_t *n, char *err, size_t errlen);

/*
 * A keyword's stems in Swedish and English into out[0] and out[1] (each
 * STEM_WORD_MAX + 1 bytes; a hyphenated keyword's parts' stems joined by
 * '-'); returns how many differ (1 or 2), -1 on ENOMEM.
 */
int stem_keyword(struct stemmer *s, const char *keyword,
		 char out[2][STEM_WORD_MAX + 1]);

/*
 * The compound written as one word that a hyphenated keyword's stem
 * ("it-konsult") also finds, into out (STEM_WORD_MAX + 1 bytes):
 * "itkonsult". 0, or -1 when the stem has no hyphen (out is then empty).
 */
int stem_joined(const char *stem, char *out);

#endif
