#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "notice.h"
#include "stem.h"
#include "utf8.h"

/*
 * A word's stem is remembered in a slot its hash picks (one word a slot,
 * the newer taking it over), so that the words a day of notices repeats,
 * in titles, descriptions and the search index, are stemmed about once.
 */
#define STEM_CACHE_SLOTS 2048	/* a power of two, per language */

struct stem_cached {
	char word[STEM_WORD_MAX + 1];	/* "" for an empty slot */
	char stem[STEM_WORD_MAX + 1];
};

struct stemmer {
	struct sb_stemmer *sv;
	struct sb_stemmer *en;
	struct stem_cached cache[2][STEM_CACHE_SLOTS];	/* sv, en */
};

struct stemmer *
stemmer_new(void)
{
	struct stemmer *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->sv = sb_stemmer_new("swedish", "UTF_8");
	s->en = sb_stemmer_new("english", "UTF_8");
	if (!s->sv || !s->en) {
		stemmer_free(s);
		return NULL;
	}
	return s;
}

void
stemmer_free(struct stemmer *s)
{
	if (!s)
		return;
	if (s->sv)
		sb_stemmer_delete(s->sv);
	if (s->en)
		sb_stemmer_delete(s->en);
	free(s);
}

enum stem_lang
stem_lang_of(const char *eforms_lang)
{
	if (eforms_lang && strcmp(eforms_lang, "SWE") == 0)
		return STEM_SV;
	if (eforms_lang && strcmp(eforms_lang, "ENG") == 0)
		return STEM_EN;
	return STEM_BOTH;
}

/* The code point at s (k bytes, well formed). */
static unsigned
decode(const unsigned char *s, size_t k)
{
	unsigned c = k == 1 ? s[0] : k == 2 ? s[0] & 0x1fu :
		     k == 3 ? s[0] & 0x0fu : s[0] & 0x07u;
	size_t i;

	for (i = 1; i < k; i++)
		c = c << 6 | (s[i] & 0x3fu);
	return c;
}

static size_t
encode(unsigned c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* Letters and digits of the scripts a notice here is written in. */
static int
is_word_char(unsigned c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		       (c >= 'A' && c <= 'Z');
	if (c == 0xaa || c == 0xb5 || c == 0xba)
		return 1;
	if (c >= 0xc0 && c <= 0x24f)
		return c != 0xd7 && c != 0xf7;
	/* combining marks (a decomposed å), Greek, Cyrillic */
	return (c >= 0x300 && c <= 0x36f) || (c >= 0x386 && c <= 0x3ff &&
		c != 0x387) || (c >= 0x400 && c <= 0x52f && !(c >= 0x482 &&
		c <= 0x489));
}

static unsigned
lower(unsigned c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 0x20;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177))
		return c | 1u;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
		return c & 1u ? c + 1 : c;
	if (c == 0x178)
		return 0xff;
	if ((c >= 0x391 && c <= 0x3a9) || (c >= 0x410 && c <= 0x42f))
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50;
	return c;
}

/* The code point at s[*i] if it is a word's, its length in *k. */
static int
word_char_at(const unsigned char *s, size_t len, size_t i, size_t *k,
	     unsigned *c)
{
	*k = s[i] < 0x80 ? 1 : utf8_seq_len(s + i, len - i);
	if (!*k) {
		*k = 1;
		return 0;
	}
	*c = decode(s + i, *k);
	return is_word_char(*c);
}

int
stem_next_word(const char *text, size_t len, size_t *pos, size_t *start,
	       size_t *end, char *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = *pos, k, n = 0;
	unsigned c = 0;

	/* ASCII, most of any text, without decoding: the same result */
	for (;;) {
		while (i < len && s[i] < 0x80 && !is_word_char(s[i]))
			i++;
		if (i >= len || s[i] < 0x80 || word_char_at(s, len, i, &k, &c))
			break;
		i += k;
	}
	if (i >= len) {
		*pos = len;
		return 0;
	}
	*start = i;
	while (i < len) {
		char u[4];
		size_t m;

		if (s[i] < 0x80) {
			if (!is_word_char(s[i]))
				break;
			if (n < STEM_WORD_MAX)
				out[n++] = (char)lower(s[i]);
			i++;
			continue;
		}
		if (!word_char_at(s, len, i, &k, &c))
			break;
		m = encode(lower(c), u);

		if (n + m <= STEM_WORD_MAX) {
			memcpy(out + n, u, m);
			n += m;
		}
		i += k;
	}
	out[n] = '\0';
	*end = *pos = i;
	return 1;
}

/* The slot of a word of len bytes (FNV-1a). */
static struct stem_cached *
cache_slot(struct stemmer *s, enum stem_lang lang, const char *word,
	   size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)word[i]) * 16777619u;
	return &s->cache[lang == STEM_EN][h & (STEM_CACHE_SLOTS - 1)];
}

int
stem_word(struct stemmer *s, enum stem_lang lang, const char *word, char *out)
{
	struct sb_stemmer *sb = lang == STEM_EN ? s->en : s->sv;
	size_t n, len = strlen(word);
	struct stem_cached *c = len && len <= STEM_WORD_MAX ?
				cache_slot(s, lang, word, len) : NULL;
	const sb_symbol *r;

	if (c && strcmp(c->word, word) == 0) {
		memcpy(out, c->stem, strlen(c->stem) + 1);
		return 0;
	}
	if (!(r = sb_stemmer_stem(sb, (const sb_symbol *)word, (int)len)))
		return -1;
	n = (size_t)sb_stemmer_length(sb);
	if (n > STEM_WORD_MAX)
		n = STEM_WORD_MAX;
	memcpy(out, r, n);
	out[n] = '\0';
	if (c) {
		memcpy(c->word, word, len + 1);
		memcpy(c->stem, out, n + 1);
	}
	return 0;
}

/* Appends a string to the text's characters; its offset, or -1. */
static long
add_chars(struct stem_text *t, const char *s, size_t n)
{
	long at;

	if (t->nchars + n + 1 > t->charsalloc) {
		size_t na = t->charsalloc ? 2 * t->charsalloc : 1024;
		char *v;

		while (na < t->nchars + n + 1)
			na *= 2;
		if (na > UINT32_MAX || !(v = realloc(t->chars, na)))
			return -1;
		t->chars = v;
		t->charsalloc = na;
	}
	at = (long)t->nchars;
	memcpy(t->chars + t->nchars, s, n);
	t->chars[t->nchars + n] = '\0';
	t->nchars += n + 1;
	return at;
}

static int
add_word(struct stemmer *s, struct stem_text *t, const char *written,
	 size_t wlen, const char *lowered, enum stem_lang lang,
	 enum stem_field field, enum stem_gap gap)
{
	char st[STEM_WORD_MAX + 1];
	struct stem_word w = { .field = (uint8_t)field, .gap = (uint8_t)gap };
	long a, b, c, d;

	if (t->n == t->alloc) {
		size_t na = t->alloc ? 2 * t->alloc : 64;
		struct stem_word *v = realloc(t->words, na * sizeof *v);

		if (!v)
			return -1;
		t->words = v;
		t->alloc = na;
	}
	/* cut where a letter begins */
	if (wlen > STEM_WORD_MAX)
		for (wlen = STEM_WORD_MAX; (written[wlen] & 0xc0) == 0x80; wlen--)
			;
	if ((a = add_chars(t, written, wlen)) < 0 ||
	    (b = add_chars(t, lowered, strlen(lowered))) < 0 ||
	    stem_word(s, lang == STEM_EN ? STEM_EN : STEM_SV, lowered, st) < 0 ||
	    (c = add_chars(t, st, strlen(st))) < 0)
		return -1;
	d = c;
	if (lang == STEM_BOTH) {
		if (stem_word(s, STEM_EN, lowered, st) < 0)
			return -1;
		if (strcmp(st, t->chars + c) && (d = add_chars(t, st, strlen(st))) < 0)
			return -1;
	}
	w.written = (uint32_t)a;
	w.lower = (uint32_t)b;
	w.stem[0] = (uint32_t)c;
	w.stem[1] = (uint32_t)d;
	t->words[t->n++] = w;
	return 0;
}

/* The signs between two words, s[0..len): see enum stem_gap. */
static enum stem_gap
gap_of(const char *s, size_t len)
{
	static const char *const spaces[] = { " ", "\t", "\r", "\n",
					      "\u00a0", NULL };
	/* hyphen-minus, hyphen, non-breaking hyphen */
	static const char *const hyphens[] = { "-", "\u2010", "\u2011", NULL };
	size_t i = 0, k, nspace = 0, nhyphen = 0;

	while (i < len) {
		for (k = 0; spaces[k] && strncmp(s + i, spaces[k],
						 strlen(spaces[k])); k++)
			;
		if (spaces[k]) {
			nspace++;
			i += strlen(spaces[k]);
			continue;
		}
		for (k = 0; hyphens[k] && strncmp(s + i, hyphens[k],
						  strlen(hyphens[k])); k++)
			;
		if (!hyphens[k] || ++nhyphen > 1)
			return STEM_GAP_OTHER;
		i += strlen(hyphens[k]);
	}
	return nhyphen && !nspace ? STEM_GAP_HYPHEN : STEM_GAP_SPACE;
}

int
stem_text_add(struct stemmer *s, struct stem_text *t, const char *text,
	      enum stem_lang lang, enum stem_field field)
{
	char low[STEM_WORD_MAX + 1];
	size_t pos = 0, start, end, len, last = 0;
	int first = 1;

	if (!text)
		return 0;
	len = strlen(text);
	while (t->n < STEM_TEXT_WORDS &&
	       stem_next_word(text, len, &pos, &start, &end, low)) {
		if (add_word(s, t, text + start, end - start, low, lang, field,
			     first ? STEM_GAP_START :
			     gap_of(text + last, start - last)) < 0)
			return -1;
		first = 0;
		last = end;
	}
	return 0;
}

void
stem_text_release(struct stem_text *t)
{
	free(t->words);
	free(t->chars);
	memset(t, 0, sizeof *t);
}

int
stem_begins(const char *lower, const char *stem)
{
	size_t n = strlen(stem);

	return strncmp(lower, stem, n) == 0 &&
	       (!lower[n] || utf8_width(lower + n) >= STEM_COMPOUND_REST);
}

/* Whether the word has the stem, or begins with it when prefix is set. */
static int
word_finds(const struct stem_text *t, const struct stem_word *w,
	   const char *stem, int prefix)
{
	if (!*stem)
		return 0;
	if (strcmp(stem_str(t, w->stem[0]), stem) == 0 ||
	    strcmp(stem_str(t, w->stem[1]), stem) == 0)
		return 1;
	return prefix && stem_begins(stem_str(t, w->lower), stem);
}

int
stem_finds(const struct stem_text *t, const struct stem_word *w,
	   const char *stem)
{
	return word_finds(t, w, stem, utf8_width(stem) >= STEM_PREFIX_MIN);
}

int
stem_joined(const char *stem, char *out)
{
	size_t n = 0;
	const char *p;

	for (p = stem; *p && n < STEM_WORD_MAX; p++)
		if (*p != '-')
			out[n++] = *p;
	out[n] = '\0';
	if (strchr(stem, '-'))
		return 0;
	out[0] = '\0';
	return -1;
}

/*
 * The words of t from i on that a hyphenated stem's parts find, one
 * after another in one field: each part but the last its word's stem, the
 * last by the compound rule when prefix is set. Their number, or 0.
 */
static size_t
parts_at(const struct stem_text *t, size_t i, const char *stem, int prefix)
{
	char part[STEM_WORD_MAX + 1];
	const struct stem_word *w;
	size_t k, len;

	for (k = 0;; k++, stem += len + 1) {
		if (i + k >= t->n)
			return 0;
		w = &t->words[i + k];
		if (k && (w->field != w[-1].field ||
			  (w->gap != STEM_GAP_SPACE && w->gap != STEM_GAP_HYPHEN)))
			return 0;
		len = strcspn(stem, "-");
		memcpy(part, stem, len);
		part[len] = '\0';
		if (!stem[len])
			return word_finds(t, w, part, prefix) ? k + 1 : 0;
		if (!word_finds(t, w, part, 0))
			return 0;
	}
}

size_t
stem_finds_at(const struct stem_text *t, size_t i, const char *stem)
{
	char joined[STEM_WORD_MAX + 1];
	size_t n;

	if (i >= t->n)
		return 0;
	if (stem_joined(stem, joined) < 0)
		return (size_t)stem_finds(t, &t->words[i], stem);
	if ((n = parts_at(t, i, stem, utf8_width(joined) >= STEM_PREFIX_MIN)))
		return n;
	return (size_t)stem_finds(t, &t->words[i], joined);
}

const struct stem_word *
stem_text_find_span(const struct stem_text *t, const char *stem,
		    size_t *nwords)
{
	size_t i, n;

	for (i = 0; i < t->n; i++)
		if ((n = stem_finds_at(t, i, stem))) {
			if (nwords)
				*nwords = n;
			return &t->words[i];
		}
	return NULL;
}

const struct stem_word *
stem_text_find(const struct stem_text *t, const char *stem)
{
	return stem_text_find_span(t, stem, NULL);
}

/* Appends a part to a keyword's out[0..*n), after a '-' unless it is the
 * first; -1 when it would pass STEM_WORD_MAX bytes. */
static int
add_part(char *out, size_t *n, const char *part)
{
	size_t len = strlen(part), sep = *n > 0;

	if (*n + sep + len > STEM_WORD_MAX)
		return -1;
	if (sep)
		out[(*n)++] = '-';
	memcpy(out + *n, part, len + 1);
	*n += len;
	return 0;
}

/*
 * One keyword as typed, p[0..len): words of letters and digits joined by
 * single hyphens, lowercased into out (STEM_WORD_MAX + 1 bytes). -1 when
 * it is not.
 */
static int
keyword_of(const char *p, size_t len, char *out)
{
	char low[STEM_WORD_MAX + 1];
	size_t n = 0, at = 0, part, pos, start, end;

	out[0] = '\0';
	for (;;) {
		part = strcspn(p + at, "-");
		if (part > len - at)
			part = len - at;
		pos = 0;
		if (!stem_next_word(p + at, part, &pos, &start, &end, low) ||
		    start != 0 || end != part || add_part(out, &n, low) < 0)
			return -1;
		at += part;
		if (at == len)
			return 0;
		at++;		/* the hyphen; a word must follow it */
		if (at == len)
			return -1;
	}
}

int
stem_keywords_parse(const char *text, size_t max, char ***words, size_t *n,
		    char *err, size_t errlen)
{
	char **v = NULL, low[STEM_WORD_MAX + 1];
	const char *p = text ? text : "";
	size_t nv = 0;

	while (*p) {
		size_t len = strcspn(p, " \t\r\n,;");

		if (!len) {
			p++;
			continue;
		}
		if (len > STEM_KEYWORD_LEN) {
			snprintf(err, errlen, "'%.*s...' is longer than %d bytes",
				 20, p, STEM_KEYWORD_LEN);
			goto fail;
		}
		if (keyword_of(p, len, low) < 0) {
			snprintf(err, errlen, "'%.*s' is not a word of letters "
				 "and digits (join the words of a compound or "
				 "phrase with '-', as in it-konsult)", (int)len, p);
			goto fail;
		}
		if (!strvec_has(v, nv, low)) {
			if (nv == max) {
				snprintf(err, errlen, "more than %zu words", max);
				goto fail;
			}
			if (strvec_push(&v, &nv, low) < 0) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
		}
		p += len;
	}
	*words = v;
	*n = nv;
	return 0;
fail:
	strvec_free(v, nv);
	return -1;
}

/* A keyword's stem in one language: each of its parts' joined by '-'. */
static int
stem_parts(struct stemmer *s, enum stem_lang lang, const char *keyword,
	   char *out)
{
	char part[STEM_WORD_MAX + 1], st[STEM_WORD_MAX + 1];
	size_t len, n = 0;

	out[0] = '\0';
	for (;; keyword += len + 1) {
		len = strcspn(keyword, "-");
		if (len > STEM_WORD_MAX)
			len = STEM_WORD_MAX;
		memcpy(part, keyword, len);
		part[len] = '\0';
		if (stem_word(s, lang, part, st) < 0)
			return -1;
		/* cut, as a long word is */
		if (add_part(out, &n, st) < 0 || keyword[len] != '-')
			return 0;
	}
}

int
stem_keyword(struct stemmer *s, const char *keyword,
	     char out[2][STEM_WORD_MAX + 1])
{
	if (stem_parts(s, STEM_SV, keyword, out[0]) < 0 ||
	    stem_parts(s, STEM_EN, keyword, out[1]) < 0)
		return -1;
	return strcmp(out[0], out[1]) ? 2 : 1;
}
