#include <stdlib.h>
#include <string.h>

#include "notice.h"
#include "stem.h"
#include "test.h"

/* The words of s, lowercased, joined by '|'. */
static void
words_of(const char *s, char *out, size_t outlen)
{
	char low[STEM_WORD_MAX + 1];
	size_t pos = 0, a, b, len = strlen(s);

	out[0] = '\0';
	while (stem_next_word(s, len, &pos, &a, &b, low)) {
		if (out[0])
			strncat(out, "|", outlen - strlen(out) - 1);
		strncat(out, low, outlen - strlen(out) - 1);
	}
}

static void
test_words(void)
{
	char w[512];

	words_of("Snöröjning, halkbekämpning & sandning 2027!", w, sizeof w);
	CHECK_STR(w, "snöröjning|halkbekämpning|sandning|2027");
	words_of("ÅTERVINNINGSCENTRAL ÄLVÖ Élan", w, sizeof w);
	CHECK_STR(w, "återvinningscentral|älvö|élan");
	/* quotes, dashes and a byte that is not UTF-8 separate words */
	words_of("”Fönsterputs”–städning\xff" "tak", w, sizeof w);
	CHECK_STR(w, "fönsterputs|städning|tak");
	words_of("  ", w, sizeof w);
	CHECK_STR(w, "");
	/* Greek and Cyrillic letters are letters, lowercased */
	words_of("ΑΒΓ Москва", w, sizeof w);
	CHECK_STR(w, "αβγ|москва");
}

static void
test_long_word(void)
{
	char text[400], low[STEM_WORD_MAX + 1];
	size_t pos = 0, a, b, i;

	/* 150 two-byte letters: cut at a letter's boundary */
	for (i = 0; i < 150; i++)
		memcpy(text + 2 * i, "ö", 2);
	text[300] = '\0';
	CHECK(stem_next_word(text, 300, &pos, &a, &b, low) == 1);
	CHECK(a == 0 && b == 300);
	CHECK(strlen(low) == STEM_WORD_MAX);
	CHECK(strncmp(low, "öööö", 8) == 0);
}

static void
test_stems(void)
{
	struct stemmer *s = stemmer_new();
	char st[2][STEM_WORD_MAX + 1];
	struct stem_text t = { 0 };
	const struct stem_word *w;

	CHECK(s != NULL);
	CHECK(stem_keyword(s, "snöröjning", st) >= 1);
	CHECK(stem_text_add(s, &t, "Snöröjningen vid skolorna", STEM_SV,
			    STEM_TITLE) == 0);
	CHECK(stem_text_add(s, &t, "Snöröjningar och snöröjningsuppdrag i "
			    "kommunen; fönsterputsning.", STEM_SV,
			    STEM_DESCRIPTION) == 0);
	CHECK(t.n == 9);
	w = stem_text_find(&t, st[0]);
	CHECK(w && w->field == STEM_TITLE);
	CHECK(w && strcmp(stem_str(&t, w->written), "Snöröjningen") == 0);
	CHECK(stem_finds(&t, &t.words[3], st[0]));	/* Snöröjningar */
	CHECK(stem_finds(&t, &t.words[5], st[0]));	/* the compound */
	/* fönster's stem "fönst" is too short to begin a compound */
	CHECK(stem_keyword(s, "fönster", st) >= 1);
	CHECK(stem_text_find(&t, st[0]) == NULL);
	CHECK(stem_keyword(s, "fönsterputs", st) >= 1);
	CHECK(stem_text_find(&t, st[0]) == &t.words[8]);
	/* a short stem finds its word only, not every word it begins */
	CHECK(stem_keyword(s, "vid", st) >= 1);
	CHECK(stem_text_find(&t, st[0]) == &t.words[1]);
	CHECK(stem_keyword(s, "sko", st) >= 1);
	CHECK(stem_text_find(&t, st[0]) == NULL);
	stem_text_release(&t);

	/* English text, English stems; a Swedish keyword finds nothing there */
	CHECK(stem_text_add(s, &t, "Cleaning of windows", STEM_EN, STEM_TITLE) == 0);
	CHECK(stem_keyword(s, "window", st) >= 1);
	CHECK(stem_text_find(&t, st[0]) || stem_text_find(&t, st[1]));
	CHECK(stem_keyword(s, "cleaned", st) == 2);
	CHECK(stem_text_find(&t, st[1]) == &t.words[0]);
	stem_text_release(&t);

	/* a language not known: both stems */
	CHECK(stem_text_add(s, &t, "Städningen windows", STEM_BOTH, STEM_TITLE) == 0);
	CHECK(strcmp(stem_str(&t, t.words[0].stem[0]), "städning") == 0);
	CHECK(strcmp(stem_str(&t, t.words[1].stem[1]), "window") == 0);
	stem_text_release(&t);
	stemmer_free(s);
	CHECK(stem_lang_of("SWE") == STEM_SV && stem_lang_of("ENG") == STEM_EN &&
	      stem_lang_of(NULL) == STEM_BOTH);
}

/* How many words of the text the keyword finds where, "" for none. */
static void
found(struct stemmer *s, const char *keyword, const char *title,
      const char *description, char *out, size_t outlen)
{
	char st[2][STEM_WORD_MAX + 1];
	struct stem_text t = { 0 };
	const struct stem_word *w = NULL;
	size_t n = 0;
	int k, distinct = stem_keyword(s, keyword, st);

	CHECK(stem_text_add(s, &t, title, STEM_SV, STEM_TITLE) == 0);
	CHECK(stem_text_add(s, &t, description, STEM_SV, STEM_DESCRIPTION) == 0);
	for (k = 0; k < distinct && !w; k++)
		w = stem_text_find_span(&t, st[k], &n);
	if (w)
		snprintf(out, outlen, "%zu@%s", n, stem_str(&t, w->written));
	else
		snprintf(out, outlen, "%s", "");
	stem_text_release(&t);
}

/* Where a keyword is found: "words@first word", "" for nowhere. */
static const struct {
	const char *keyword, *title, *description, *want;
} cases[] = {
	/* its parts as words, one after another; the last one's forms */
	{ "it-konsult", "IT-konsult sökes", NULL, "2@IT" },
	{ "it-konsult", "Avrop av IT konsult", NULL, "2@IT" },
	{ "it-konsult", "Ramavtal", "Två it-konsulter.", "2@it" },
	/* the compound rule on the last part, with the whole keyword's letters */
	{ "it-konsult", "IT-konsulttjänster", NULL, "2@IT" },
	/* the compound written as one word */
	{ "it-konsult", "Itkonsulter till kommunen", NULL, "1@Itkonsulter" },
	/* never "it" or "konsult" alone, nor the two apart */
	{ "it-konsult", "Support för IT och telefoni", NULL, "" },
	{ "it-konsult", "Konsult för vägar", NULL, "" },
	{ "it-konsult", "Drift av IT, konsult i bygg", NULL, "" },
	{ "it-konsult", "Drift av IT", "Konsult i bygg", "" },
	{ "it-konsult", "Visit konsult", NULL, "" },
	/* "va-arbet" has seven letters: no compound on its last part */
	{ "va-arbeten", "VA-arbetena i Norrby", NULL, "2@VA" },
	{ "va-arbeten", "VA-arbetsledning", NULL, "" },
	/* a phrase; all its parts must be there */
	{ "första-hjälpen-kurs", "Kurser i första hjälpen", NULL, "" },
	{ "första-hjälpen", "Kurser i första hjälpen", NULL, "2@första" },
	/* the compound rule wants a word joined on, not an ending */
	{ "arkitekt", "Arkitekttjänster", NULL, "1@Arkitekttjänster" },
	{ "arkitekt", "IT-arkitektur", NULL, "" },
};

static void
test_hyphenated(void)
{
	struct stemmer *s = stemmer_new();
	char st[2][STEM_WORD_MAX + 1], w[200];
	size_t i;

	CHECK(stem_keyword(s, "it-konsult", st) == 1);
	CHECK_STR(st[0], "it-konsult");
	CHECK(stem_joined(st[0], w) == 0);
	CHECK_STR(w, "itkonsult");
	CHECK(stem_joined("konsult", w) == -1 && w[0] == '\0');
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		found(s, cases[i].keyword, cases[i].title, cases[i].description,
		      w, sizeof w);
		CHECK_STR(w, cases[i].want);
	}
	stemmer_free(s);
}

/* The compound rule wants a word joined on, not an ending. */
static void
test_compound_rest(void)
{
	CHECK(stem_begins("snöröjningsuppdrag", "snöröjning"));
	CHECK(stem_begins("snöröjning", "snöröjning"));
	CHECK(!stem_begins("arkitektur", "arkitekt"));
	CHECK(!stem_begins("arkitekt", "arkitekttjänst"));
}

static void
test_text_cap(void)
{
	struct stemmer *s = stemmer_new();
	struct stem_text t = { 0 };
	size_t i, n = (STEM_TEXT_WORDS + 100) * 4;
	char *text = malloc(n + 1);

	for (i = 0; i < n; i += 4)
		memcpy(text + i, "ord ", 4);
	text[n] = '\0';
	CHECK(stem_text_add(s, &t, text, STEM_SV, STEM_DESCRIPTION) == 0);
	CHECK(t.n == STEM_TEXT_WORDS);
	stem_text_release(&t);
	free(text);
	stemmer_free(s);
}

static void
test_keywords_parse(void)
{
	char **v = NULL, err[200], many[2000];
	size_t n = 0, i;

	CHECK(stem_keywords_parse("Snöröjning, halkbekämpning  sandning "
				  "snöröjning", 30, &v, &n, err, sizeof err) == 0);
	CHECK(n == 3);
	CHECK(n == 3 && strcmp(v[0], "snöröjning") == 0 &&
	      strcmp(v[2], "sandning") == 0);
	strvec_free(v, n);
	CHECK(stem_keywords_parse("", 30, &v, &n, err, sizeof err) == 0 && n == 0);
	/* words joined by hyphens are one keyword, lowercased */
	CHECK(stem_keywords_parse("IT-konsult, e-handel VA-arbeten första-hjälpen "
				  "it-KONSULT", 30, &v, &n, err, sizeof err) == 0);
	CHECK(n == 4);
	CHECK(n == 4 && strcmp(v[0], "it-konsult") == 0 &&
	      strcmp(v[1], "e-handel") == 0 && strcmp(v[2], "va-arbeten") == 0 &&
	      strcmp(v[3], "första-hjälpen") == 0);
	strvec_free(v, n);
	/* a hyphen that joins nothing, or other signs: how to write it */
	CHECK(stem_keywords_parse("-it", 30, &v, &n, err, sizeof err) < 0);
	CHECK_STR(err, "'-it' is not a word of letters and digits (join the "
		  "words of a compound or phrase with '-', as in it-konsult)");
	CHECK(stem_keywords_parse("it-", 30, &v, &n, err, sizeof err) < 0);
	CHECK(strstr(err, "'it-' is not a word") != NULL);
	CHECK(stem_keywords_parse("it--konsult", 30, &v, &n, err, sizeof err) < 0);
	CHECK(strstr(err, "'it--konsult' is not a word") != NULL);
	CHECK(stem_keywords_parse("\"första hjälpen\"", 30, &v, &n, err,
				  sizeof err) < 0);
	CHECK(strstr(err, "'\"första' is not a word") != NULL);
	CHECK(stem_keywords_parse("it/konsult", 30, &v, &n, err, sizeof err) < 0);
	memset(many, 'a', 61);
	many[61] = '\0';
	CHECK(stem_keywords_parse(many, 30, &v, &n, err, sizeof err) < 0);
	CHECK(strstr(err, "longer than 60 bytes") != NULL);
	many[0] = '\0';
	for (i = 0; i < 31; i++)
		snprintf(many + strlen(many), sizeof many - strlen(many),
			 "ord%zu ", i);
	CHECK(stem_keywords_parse(many, 30, &v, &n, err, sizeof err) < 0);
	CHECK(strstr(err, "more than 30 words") != NULL);
}

int
main(void)
{
	RUN(test_words);
	RUN(test_long_word);
	RUN(test_stems);
	RUN(test_hyphenated);
	RUN(test_compound_rest);
	RUN(test_text_cap);
	RUN(test_keywords_parse);
	return test_done("test_stem");
}
