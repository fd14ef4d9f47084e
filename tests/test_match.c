#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "cpv.h"
#include "firm.h"
#include "match.h"
#include "notice.h"
#include "test.h"

/* Reasons say values in kronor by the bundled rates. */
static const struct match_options reason_opt = { .size_share = 0.5 };

static const struct category maleri = {
	.key = "maleri", .name_sv = "Måleri", .name_en = "Painting"
};
static const struct category el = {
	.key = "el", .name_sv = "Elinstallation", .name_en = "Electrical work"
};

static struct firm *
make_firm(const char *lang, const char *category, const char *cpv,
	  const char *region, long long turnover)
{
	struct firm *f = firm_new();

	f->name = strdup("Berglunds Måleri AB");
	f->language = strdup(lang);
	f->kinds = FIRM_KINDS_DEFAULT;
	f->turnover = turnover;
	if (category)
		strvec_push(&f->categories, &f->ncategories, category);
	if (cpv)
		strvec_push(&f->cpv, &f->ncpv, cpv);
	if (region)
		strvec_push(&f->regions, &f->nregions, region);
	return f;
}

/*
 * match_one's answer, checked against match_find over an index of this one
 * firm, so that every case below holds for both.
 */
static int
scored(struct firm *f, const struct match_target *t, double share, int *score)
{
	struct match_options opt = { .size_share = share };
	struct firm_list firms = { .v = &f, .n = 1 };
	struct match_index *ix = match_index_new(&firms, &opt);
	struct match_result *res = NULL;
	size_t cap = 0;
	int r, s = -1;
	long n;

	r = match_one(f, t, &opt, &s);
	CHECK(ix != NULL);
	n = match_find(ix, t, &res, &cap);
	CHECK(n == r);
	if (n == 1 && r == 1)
		CHECK(res[0].firm == 0 && res[0].score == s);
	free(res);
	match_index_free(ix);
	if (score)
		*score = s;
	return r;
}

static int
matches(struct firm *f, const struct match_target *t)
{
	return scored(f, t, 0.5, NULL);
}

/* A link-only lot: no codes, no place, the words of its title. */
struct text_lot {
	struct lot l;
	struct category_lot p;
	struct stem_text text;
	struct match_target t;
};

static void
text_lot(struct text_lot *x, struct stemmer *st, const char *lang,
	 const char *title, const char *description,
	 const struct category *c)
{
	memset(x, 0, sizeof *x);
	x->l.sme_suitable = LOT_SME_UNKNOWN;
	x->p.category = c;
	CHECK(match_text_of(st, lang, 1, 0, title, description, NULL, NULL,
			    &x->text) == 0);
	x->t = (struct match_target){ NOTICE_COMPETITION, &x->l, &x->p, &x->text };
}

static void
add_words(char ***v, size_t *n, const char *words)
{
	char err[200];

	CHECK(firm_words_parse(words, v, n, err, sizeof err) == 0);
}

static void
test_keywords(void)
{
	struct stemmer *st = stemmer_new();
	struct firm *f = make_firm("sv", NULL, NULL, "SE232", -1);
	struct firm *en = make_firm("en", NULL, NULL, "SE232", -1);
	struct buf r;
	struct text_lot x;

	buf_init(&r, 4096);
	add_words(&f->keywords, &f->nkeywords, "halkbekämpning snöröjning");
	add_words(&en->keywords, &en->nkeywords, "snöröjning");
	text_lot(&x, st, NULL, "Snöröjningen vid skolorna 2027", NULL, NULL);
	CHECK(matches(f, &x.t));
	CHECK(matches(en, &x.t));
	CHECK(match_reason(f, &x.t, &reason_opt, &r) == 0);
	CHECK_STR(buf_str(&r), "Matchar ert sökord ”snöröjning” (”Snöröjningen” "
		  "i titeln), värde okänt, plats anges inte");
	CHECK(match_reason(en, &x.t, &reason_opt, &r) == 0);
	CHECK_STR(buf_str(&r), "Matches your keyword “snöröjning” (“Snöröjningen” "
		  "in the title), value unknown, place not given");
	stem_text_release(&x.text);

	/* a compound in the description, in a Swedish notice */
	text_lot(&x, st, "SWE", "Vinteruppdrag", "Snöröjningsuppdrag på gator.",
		 NULL);
	CHECK(matches(f, &x.t));
	CHECK(match_reason(f, &x.t, &reason_opt, &r) == 0);
	CHECK(strncmp(buf_str(&r), "Matchar ert sökord ”snöröjning” "
		      "(”Snöröjningsuppdrag” i beskrivningen)", 60) == 0);
	stem_text_release(&x.text);

	/*
	 * A lot with CPV codes is matched by its title, not its description,
	 * which names much besides what is bought; one without codes (a
	 * link-only entry) by both.
	 */
	{
		char *codes[] = { "90620000" };
		struct lot lot = { .title = "Vinteruppdrag",
				   .description = "Snöröjning av gator.",
				   .cpv = codes, .ncpv = 1 };
		struct notice n = { .language = "SWE", .title = "Vinteruppdrag",
				    .lots = &lot, .nlots = 1 };
		struct stem_text coded = { 0 }, uncoded = { 0 };
		struct match_target t = { NOTICE_COMPETITION, &lot, &x.p, &coded };

		CHECK(match_text(st, &n, &lot, &coded) == 0);
		CHECK(!matches(f, &t));
		lot.ncpv = 0;
		CHECK(match_text(st, &n, &lot, &uncoded) == 0);
		t.text = &uncoded;
		CHECK(matches(f, &t));
		stem_text_release(&coded);
		stem_text_release(&uncoded);
	}

	/* no keyword in it: no match, and no reason */
	text_lot(&x, st, "SWE", "Fönsterputs", "Skolor och förskolor", NULL);
	CHECK(!matches(f, &x.t));
	CHECK(match_reason(f, &x.t, &reason_opt, &r) == -1);
	stem_text_release(&x.text);

	/* a short keyword finds its own word, not the words it begins */
	firm_free(f);
	f = make_firm("sv", NULL, NULL, "SE232", -1);
	add_words(&f->keywords, &f->nkeywords, "tak");
	text_lot(&x, st, "SWE", "Takläggning", NULL, NULL);
	CHECK(!matches(f, &x.t));
	stem_text_release(&x.text);
	text_lot(&x, st, "SWE", "Byte av taken på skolorna", NULL, NULL);
	CHECK(matches(f, &x.t));
	stem_text_release(&x.text);
	buf_release(&r);
	firm_free(f);
	firm_free(en);
	stemmer_free(st);
}

/* A hyphenated keyword finds its parts one after another, named as typed. */
static void
test_hyphenated(void)
{
	static const char *const found[] = {
		"IT-konsult för e-tjänster", "Två IT konsulter",
		"IT-konsulttjänster 2027", "Itkonsulter"
	};
	struct stemmer *st = stemmer_new();
	struct firm *f = make_firm("sv", NULL, NULL, "SE232", -1);
	struct firm *en = make_firm("en", NULL, NULL, "SE232", -1);
	struct firm *ex = make_firm("sv", "el", NULL, "SE232", -1);
	struct buf r;
	struct text_lot x;
	size_t i;

	buf_init(&r, 4096);
	add_words(&f->keywords, &f->nkeywords, "IT-konsult");
	add_words(&en->keywords, &en->nkeywords, "it-konsult");
	for (i = 0; i < sizeof found / sizeof *found; i++) {
		text_lot(&x, st, "SWE", found[i], NULL, NULL);
		CHECK(matches(f, &x.t));
		stem_text_release(&x.text);
	}
	text_lot(&x, st, "SWE", "Ramavtal", "Vi söker IT-konsulttjänster.", NULL);
	CHECK(match_reason(f, &x.t, &reason_opt, &r) == 0);
	CHECK_STR(buf_str(&r), "Matchar ert sökord ”it-konsult” "
		  "(”IT-konsulttjänster” i beskrivningen), värde okänt, "
		  "plats anges inte");
	stem_text_release(&x.text);
	text_lot(&x, st, NULL, "Avrop av IT konsult", NULL, NULL);
	CHECK(match_reason(en, &x.t, &reason_opt, &r) == 0);
	CHECK_STR(buf_str(&r), "Matches your keyword “it-konsult” "
		  "(“IT konsult” in the title), value unknown, place not given");
	stem_text_release(&x.text);
	/* "it" alone, "konsult" alone, or the two in different sentences */
	text_lot(&x, st, "SWE", "Support för IT och telefoni", NULL, NULL);
	CHECK(!matches(f, &x.t));
	stem_text_release(&x.text);
	text_lot(&x, st, "SWE", "Konsult för vägar", "Avser IT. Konsult sökes",
		 NULL);
	CHECK(!matches(f, &x.t));
	stem_text_release(&x.text);

	/* as an exclude word, it vetoes the lot only where it stands */
	add_words(&ex->exclude, &ex->nexclude, "el-bilar");
	text_lot(&x, st, "SWE", "Leasing av el-bilar", NULL, &el);
	CHECK(!matches(ex, &x.t));
	stem_text_release(&x.text);
	text_lot(&x, st, "SWE", "El i förskolan", "Bilar ingår inte", &el);
	CHECK(matches(ex, &x.t));
	stem_text_release(&x.text);
	buf_release(&r);
	firm_free(f);
	firm_free(en);
	firm_free(ex);
	stemmer_free(st);
}

/* An exclude word vetoes whatever else matched: category, code, keyword. */
static void
test_exclude(void)
{
	struct stemmer *st = stemmer_new();
	struct firm *f = make_firm("sv", "maleri", "45442100", "SE232", -1);
	char *paint[] = { "45442100" };
	struct text_lot x;

	add_words(&f->keywords, &f->nkeywords, "målning");
	text_lot(&x, st, "SWE", "Målning av skolor", NULL, &maleri);
	x.p.cpv = paint;
	x.p.ncpv = 1;
	CHECK(matches(f, &x.t));
	add_words(&f->exclude, &f->nexclude, "fasad");
	CHECK(matches(f, &x.t));
	stem_text_release(&x.text);
	text_lot(&x, st, "SWE", "Målning av skolor", "Fasaderna på tre skolor.",
		 &maleri);
	x.p.cpv = paint;
	x.p.ncpv = 1;
	CHECK(!matches(f, &x.t));
	stem_text_release(&x.text);
	firm_free(f);
	stemmer_free(st);
}

/* A lot placed in a category by the category's words says which word. */
static void
test_category_words_reason(void)
{
	static char *kw[] = { "snöröjning" }, *stems[] = { "snöröjning", "snöröjning" };
	static const struct category vinter = {
		.key = "snorojning", .name_sv = "Snöröjning och halkbekämpning",
		.name_en = "Snow clearing and gritting", .keywords = kw,
		.nkeywords = 1, .stems = stems
	};
	struct stemmer *st = stemmer_new();
	struct firm *f = make_firm("sv", "snorojning", NULL, "SE232", -1);
	struct firm *en = make_firm("en", "snorojning", NULL, "SE232", -1);
	struct buf r;
	struct text_lot x;

	buf_init(&r, 4096);
	text_lot(&x, st, NULL, "Snöröjningen vid skolorna 2027", NULL, &vinter);
	CHECK(matches(f, &x.t));
	CHECK(match_reason(f, &x.t, &reason_opt, &r) == 0);
	CHECK_STR(buf_str(&r), "Matchar er kategori Snöröjning och halkbekämpning "
		  "(ordet ”snöröjning”), värde okänt, plats anges inte");
	CHECK(match_reason(en, &x.t, &reason_opt, &r) == 0);
	CHECK_STR(buf_str(&r), "Matches your category Snow clearing and gritting "
		  "(the word “snöröjning”), value unknown, place not given");
	stem_text_release(&x.text);
	buf_release(&r);
	firm_free(f);
	firm_free(en);
	stemmer_free(st);
}

static void
test_industry_category(void)
{
	struct firm *f = make_firm("sv", "maleri", NULL, "SE232", -1);
	char *paint[] = { "45442100" }, *wiring[] = { "45310000" };
	struct lot l = { .cpv = paint, .ncpv = 1, .sme_suitable = LOT_SME_UNKNOWN };
	struct category_lot p = { .category = &maleri, .cpv = paint, .ncpv = 1 };
	struct match_target t = { NOTICE_COMPETITION, &l, &p, NULL };

	CHECK(matches(f, &t) == 1);
	/* The firm's category by key, whatever the codes. */
	p.cpv = wiring;
	CHECK(matches(f, &t) == 1);
	p.category = &el;
	CHECK(matches(f, &t) == 0);
	p.category = NULL;
	CHECK(matches(f, &t) == 0);
	firm_free(f);
}

static void
test_industry_cpv_split(void)
{
	struct firm *painter = make_firm("sv", NULL, "45440000", "SE232", -1);
	struct firm *electrician = make_firm("sv", "el", NULL, "SE232", -1);
	char *codes[] = { "45442100", "45310000" };
	struct lot l = { .cpv = codes, .ncpv = 2, .sme_suitable = LOT_SME_UNKNOWN };
	struct category_lot paint = { .category = &maleri, .cpv = codes, .ncpv = 1 };
	struct category_lot wiring = { .category = &el, .cpv = codes + 1, .ncpv = 1 };
	struct match_target tp = { NOTICE_COMPETITION, &l, &paint, NULL };
	struct match_target tw = { NOTICE_COMPETITION, &l, &wiring, NULL };

	CHECK(matches(painter, &tp) == 1);
	CHECK(matches(painter, &tw) == 0);
	CHECK(matches(electrician, &tp) == 0);
	CHECK(matches(electrician, &tw) == 1);
	/* An additional code of the part is enough. */
	wiring.cpv = codes + 0;
	wiring.ncpv = 2;
	codes[0] = "45310000";
	codes[1] = "45442110";
	CHECK(matches(painter, &tw) == 1);
	/* A part code broader than the firm's is not under it. */
	codes[1] = "45400000";
	CHECK(matches(painter, &tw) == 0);
	firm_free(painter);
	firm_free(electrician);
}

/* For a firm of 5 MSEK turnover, which can take on half of it a year. */
static const struct {
	const char *duration;
	double value;
	int want;
} size_cases[] = {
	{ NULL, 10e6, 0 },
	/* Over four years 10 MSEK is 2.5 MSEK a year: just within. */
	{ "P48M", 10e6, 1 },
	{ "P4Y", 10e6, 1 },
	{ "P3Y11M", 10e6, 0 },
	{ "P1460D", 10e6, 1 },
	{ "P208W", 10e6, 0 },
	/* A duration that cannot be read counts as one year. */
	{ "48 months", 10e6, 0 },
	/* A shorter contract is no easier than a year's. */
	{ "P6M", 2.5e6, 1 },
	{ "P6M", 2.6e6, 0 },
};

static void
test_size(void)
{
	struct firm *f = make_firm("sv", "maleri", NULL, NULL, 5000000);
	char *codes[] = { "45442100", "45310000" };
	struct lot l = { .cpv = codes, .ncpv = 1, .sme_suitable = LOT_SME_UNKNOWN };
	struct category_lot p = { .category = &maleri, .cpv = codes, .ncpv = 1,
				  .has_value = 1, .value = 10e6 };
	struct match_target t = { NOTICE_COMPETITION, &l, &p, NULL };
	size_t i;

	for (i = 0; i < sizeof size_cases / sizeof *size_cases; i++) {
		int got;

		l.duration = (char *)size_cases[i].duration;
		p.value = size_cases[i].value;
		got = matches(f, &t);
		CHECK(got == size_cases[i].want);
		if (got != size_cases[i].want)
			fprintf(stderr, "  %s, %.0f SEK\n",
				l.duration ? l.duration : "no duration", p.value);
	}
	/* The share is an option. */
	l.duration = "P2Y";
	p.value = 10e6;
	CHECK(matches(f, &t) == 0);
	CHECK(scored(f, &t, 1.0, NULL) == 1);
	l.duration = NULL;
	/*
	 * 10 MEUR is about 112 MSEK at the bundled rates: too much, as 10
	 * MSEK is. A currency without a rate cannot be sized.
	 */
	p.currency = "EUR";
	CHECK(matches(f, &t) == 0);
	p.value = 200000;
	CHECK(matches(f, &t) == 1);
	p.value = 10e6;
	p.currency = "ARS";
	CHECK(matches(f, &t) == 1);
	p.currency = "SEK";
	CHECK(matches(f, &t) == 0);
	p.has_value = 0;
	CHECK(matches(f, &t) == 1);
	/* The lot's value stands for a part that is the whole lot... */
	l.has_value = 1;
	l.value = 10e6;
	CHECK(matches(f, &t) == 0);
	/*
	 * ...and for one of several parts, whose share is not known: the
	 * firm bids for the lot (a real 5.7 MEUR lot across two categories
	 * went to firms of 0.5 MSEK turnover).
	 */
	l.ncpv = 2;
	CHECK(matches(f, &t) == 0);
	/* Planned, it may yet be divided: each trade hears of its part. */
	t.kind = NOTICE_PLANNING;
	CHECK(matches(f, &t) == 1);
	t.kind = NOTICE_COMPETITION;
	/* A firm that gave no turnover hears of every size. */
	l.ncpv = 1;
	f->turnover = -1;
	CHECK(matches(f, &t) == 1);
	firm_free(f);
}

static void
test_region(void)
{
	struct firm *f = make_firm("sv", "maleri", NULL, "SE232", -1);
	char *codes[] = { "45442100" }, *places[] = { "SE110", "SE232" };
	struct lot l = { .cpv = codes, .ncpv = 1, .nuts = places, .nnuts = 1,
			 .sme_suitable = LOT_SME_UNKNOWN };
	struct category_lot p = { .category = &maleri, .cpv = codes, .ncpv = 1 };
	struct match_target t = { NOTICE_COMPETITION, &l, &p, NULL };

	CHECK(matches(f, &t) == 0);
	l.nnuts = 2;
	CHECK(matches(f, &t) == 1);
	/* No place given: the lot may be anywhere, so the firm hears of it. */
	l.nnuts = 0;
	CHECK(matches(f, &t) == 1);
	/* A whole county, or the firm's wider region. */
	places[0] = "SE23";
	l.nnuts = 1;
	CHECK(matches(f, &t) == 1);
	free(f->regions[0]);
	f->regions[0] = strdup("SE2");
	places[0] = "SE232";
	CHECK(matches(f, &t) == 1);
	places[0] = "SE110";
	CHECK(matches(f, &t) == 0);
	firm_free(f);
}

/*
 * Countries: a place abroad reaches only the firms that work abroad too;
 * "SE", all of Sweden, is every Swedish code, and a lot placed only in
 * Sweden reaches the firms of every county.
 */
static void
test_countries(void)
{
	struct firm *f = make_firm("sv", "maleri", NULL, "SE232", -1);
	char *codes[] = { "45442100" }, *places[] = { "EE", "EE001", "SEN" };
	struct lot l = { .cpv = codes, .ncpv = 1, .nuts = places, .nnuts = 3,
			 .sme_suitable = LOT_SME_UNKNOWN };
	struct category_lot p = { .category = &maleri, .cpv = codes, .ncpv = 1 };
	struct match_target t = { NOTICE_COMPETITION, &l, &p, NULL };
	struct buf reason;

	buf_init(&reason, 0);
	CHECK(matches(f, &t) == 0);
	free(f->regions[0]);
	f->regions[0] = strdup("SE");
	CHECK(matches(f, &t) == 0);
	f->abroad = 1;
	CHECK(matches(f, &t) == 1);
	/* abroad is named, not given as a bare code */
	CHECK(match_reason(f, &t, &reason_opt, &reason) == 0);
	CHECK(strstr(buf_str(&reason), ", utförs i Estland") != NULL);
	places[0] = "EE001";
	CHECK(match_reason(f, &t, &reason_opt, &reason) == 0);
	CHECK(strstr(buf_str(&reason), ", utförs i Estland (EE001)") != NULL);
	free(f->language);
	f->language = strdup("en");
	CHECK(match_reason(f, &t, &reason_opt, &reason) == 0);
	CHECK(strstr(buf_str(&reason), ", performed in Estonia (EE001)") != NULL);
	f->abroad = 0;
	places[0] = "SE332";
	CHECK(matches(f, &t) == 1);
	places[0] = "SE";
	l.nnuts = 1;
	free(f->regions[0]);
	f->regions[0] = strdup("SE110");
	CHECK(matches(f, &t) == 1);
	buf_release(&reason);
	firm_free(f);
}

static void
test_kind(void)
{
	struct firm *f = make_firm("sv", "maleri", NULL, NULL, -1);
	char *codes[] = { "45442100" };
	struct lot l = { .cpv = codes, .ncpv = 1, .sme_suitable = LOT_SME_UNKNOWN };
	struct category_lot p = { .category = &maleri, .cpv = codes, .ncpv = 1 };
	struct match_target t = { NOTICE_PLANNING, &l, &p, NULL };

	CHECK(matches(f, &t) == 1);
	t.kind = NOTICE_RFI;
	CHECK(matches(f, &t) == 1);
	t.kind = NOTICE_COMPETITION;
	CHECK(matches(f, &t) == 1);
	t.kind = NOTICE_RESULT;
	CHECK(matches(f, &t) == 0);
	f->kinds = FIRM_KIND_RESULT;
	CHECK(matches(f, &t) == 1);
	t.kind = NOTICE_COMPETITION;
	CHECK(matches(f, &t) == 0);
	f->kinds = ~0u;
	t.kind = NOTICE_CHANGE;
	CHECK(matches(f, &t) == 0);
	t.kind = NOTICE_OTHER;
	CHECK(matches(f, &t) == 0);

	CHECK(match_kind_alerts(NOTICE_PLANNING));
	CHECK(match_kind_alerts(NOTICE_RFI));
	CHECK(match_kind_alerts(NOTICE_COMPETITION));
	CHECK(match_kind_alerts(NOTICE_RESULT));
	CHECK(!match_kind_alerts(NOTICE_CHANGE));
	CHECK(!match_kind_alerts(NOTICE_OTHER));
	firm_free(f);
}

static void
test_score(void)
{
	struct firm *both = make_firm("sv", "maleri", "45440000", NULL, 10000000);
	struct firm *bare = make_firm("sv", NULL, "45440000", NULL, 10000000);
	struct firm *narrow = make_firm("sv", NULL, "45442100", NULL, 10000000);
	char *codes[] = { "45442100" };
	struct lot l = { .cpv = codes, .ncpv = 1, .sme_suitable = 1 };
	struct category_lot p = { .category = &maleri, .cpv = codes, .ncpv = 1,
				  .has_value = 1, .value = 1.25e6 };
	struct match_target t = { NOTICE_COMPETITION, &l, &p, NULL };
	int a = 0, b = 0;

	/* 100 + 30 SME + 20 category + 2 x 4 digits + 20 x (1 - 1/4) room. */
	CHECK(scored(both, &t, 0.5, &a) == 1);
	CHECK(a == 173);
	l.sme_suitable = LOT_SME_UNKNOWN;
	CHECK(scored(both, &t, 0.5, &b) == 1);
	CHECK(b == a - 30);
	l.sme_suitable = 0;
	CHECK(scored(both, &t, 0.5, &b) == 1);
	CHECK(b == a - 30);
	l.sme_suitable = 1;
	/* The firm's category counts above a bare code... */
	CHECK(scored(bare, &t, 0.5, &b) == 1);
	CHECK(b == a - 20);
	/* ...and a code that fits the lot exactly above a broad one. */
	CHECK(scored(narrow, &t, 0.5, &a) == 1);
	CHECK(a == b + 4);
	/* A lot the firm carries easily ranks above one it barely can. */
	p.value = 4.9e6;
	CHECK(scored(bare, &t, 0.5, &a) == 1);
	CHECK(a < b);
	/* Unknown value: no bonus, and never a negative score. */
	p.has_value = 0;
	CHECK(scored(bare, &t, 0.5, &a) == 1);
	CHECK(a == 100 + 30 + 8);
	firm_free(both);
	firm_free(bare);
	firm_free(narrow);
}

static void
test_reason(void)
{
	struct firm *cat_sv = make_firm("sv", "maleri", NULL, NULL, 10000000);
	struct firm *cpv_sv = make_firm("sv", NULL, "45440000", "SE23", 10000000);
	struct firm *cat_en = make_firm("en", "maleri", NULL, NULL, 10000000);
	struct firm *cpv_en = make_firm("en", NULL, "45442100", NULL, -1);
	char *codes[] = { "45442100", "45310000" }, *places[] = { "SE110", "SE232" };
	struct lot l = { .cpv = codes, .ncpv = 1, .town = "Danderyd",
			 .sme_suitable = LOT_SME_UNKNOWN };
	struct category_lot p = { .category = &maleri, .cpv = codes, .ncpv = 1,
				  .has_value = 1, .value = 1.24e6 };
	struct match_target t = { NOTICE_COMPETITION, &l, &p, NULL };
	struct buf r;

	buf_init(&r, 4096);
	CHECK(match_reason(cat_sv, &t, &reason_opt, &r) == 0);
	CHECK_STR(buf_str(&r), "Matchar er kategori Måleri, värde 1,2 miljoner "
		  "kr, inom vad ett företag med er omsättning brukar ta, utförs i "
		  "Danderyd");
	p.value = 850000;
	CHECK(match_reason(cat_en, &t, &reason_opt, &r) == 0);
	CHECK_STR(buf_str(&r), "Matches your category Painting, value SEK "
		  "850,000, within what a firm of your turnover usually takes on, "
		  "performed in Danderyd");
	CHECK(match_reason(cat_sv, &t, &reason_opt, &r) == 0);
	CHECK_STR(buf_str(&r), "Matchar er kategori Måleri, värde 850 000 kr, "
		  "inom vad ett företag med er omsättning brukar ta, utförs i "
		  "Danderyd");

	/* No town: the served place's name; the firm's most specific code. */
	l.town = NULL;
	l.nuts = places;
	l.nnuts = 2;
	p.has_value = 0;
	CHECK(match_reason(cpv_sv, &t, &reason_opt, &r) == 0);
	CHECK_STR(buf_str(&r), "Matchar det ni bevakar: Målning och "
		  "glassättning (här: Målning), värde okänt, utförs i Västra "
		  "Götalands län");
	/* Matched by the code itself; no turnover, so no claim on size. */
	l.nnuts = 0;
	p.has_value = 1;
	p.value = 12.46e6;
	CHECK(match_reason(cpv_en, &t, &reason_opt, &r) == 0);
	CHECK_STR(buf_str(&r), "Matches what you follow: Painting work, value "
		  "SEK 12.5 million, place not given");
	p.currency = "EUR";
	CHECK(match_reason(cpv_sv, &t, &reason_opt, &r) == 0);
	CHECK_STR(buf_str(&r), "Matchar det ni bevakar: Målning och "
		  "glassättning (här: Målning), värde ca 140,1 miljoner kr "
		  "(12 460 000 EUR), inom vad ett företag med er omsättning "
		  "brukar ta, plats anges inte");
	CHECK(match_reason(cpv_en, &t, &reason_opt, &r) == 0);
	CHECK_STR(buf_str(&r), "Matches what you follow: Painting work, value "
		  "about SEK 140.1 million (EUR 12,460,000), place not given");
	p.value = 21500;
	CHECK(match_reason(cpv_sv, &t, &reason_opt, &r) == 0);
	CHECK_STR(buf_str(&r), "Matchar det ni bevakar: Målning och "
		  "glassättning (här: Målning), värde ca 242 000 kr (21 500 EUR), "
		  "inom vad ett företag med er omsättning brukar ta, plats anges "
		  "inte");
	/* No rate: as given, and not sized. */
	p.currency = "ARS";
	CHECK(match_reason(cpv_sv, &t, &reason_opt, &r) == 0);
	CHECK_STR(buf_str(&r), "Matchar det ni bevakar: Målning och "
		  "glassättning (här: Målning), värde 21 500 ARS, plats anges "
		  "inte");
	p.currency = "EUR";
	/* Not a match by industry: nothing to say. */
	p.cpv = codes + 1;
	CHECK(match_reason(cpv_sv, &t, &reason_opt, &r) == -1);
	buf_release(&r);
	firm_free(cat_sv);
	firm_free(cpv_sv);
	firm_free(cat_en);
	firm_free(cpv_en);
}

/* Deterministic pseudo-random numbers, so a failure can be replayed. */
static unsigned
next_rand(unsigned long long *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(*state >> 33);
}

/* With codes outside the NUTS table, which the index cannot bucket. */
static const char *const random_regions[] = {
	"SE", "SE1", "SE11", "SE110", "SE2", "SE23", "SE232", "SE224",
	"SE2321", "DK01"
};
/* The whole country: every county and the regions above them. */
static const char *const national_regions[] = {
	"SE110", "SE121", "SE122", "SE123", "SE124", "SE125", "SE211",
	"SE212", "SE213", "SE214", "SE221", "SE224", "SE231", "SE232",
	"SE311", "SE312", "SE313", "SE321", "SE322", "SE331", "SE332",
	"SE", "SE1", "SE11", "SE12", "SE2", "SE21", "SE22", "SE23", "SE3",
	"SE31", "SE32", "SE33", "SE2321", "DK01"
};
#define COUNT(a) (sizeof (a) / sizeof *(a))

/* Random firms and lots, compared by match_find and match_one. */
struct random_set {
	size_t nfirms, ntargets;
	const char *const *regions;	/* of firms and lots */
	size_t nregions;
};

struct naive_stats {
	size_t total, same;	/* matches; lots with the same ones */
	size_t no_codes, no_categories, by_words;	/* of the matches */
	size_t last;		/* the highest firm number matched */
	size_t cap;		/* match_find's results array */
};
static const struct category random_categories[] = {
	{ .key = "maleri" }, { .key = "el" }, { .key = "vvs" },
	{ .key = "stad" }, { .key = "it" }, { .key = "mat" }
};

/* Words of firms and lots: stems, compounds, short words, English. */
static const char *const random_keywords[] = {
	"snöröjning", "städning", "fönster", "tak", "el", "cleaning",
	"window", "måleri", "målning", "it-konsult", "el-installation",
	"it", "konsult"
};
#define NRANDOM_KEYWORDS (sizeof random_keywords / sizeof *random_keywords)
static const char *const random_texts[] = {
	"Snöröjningen vid skolorna", "Snöröjningsuppdrag 2027",
	"Städning av förskolor", "Fönsterputsning och städningen",
	"Byte av taket", "Takläggning", "Elinstallation i sporthallen",
	"Window cleaning of offices", "Målningsarbeten, måleri", "Ingenting",
	"IT-konsulttjänster", "IT, konsult", "El installationer", "Itkonsulter"
};
#define NRANDOM_TEXTS (sizeof random_texts / sizeof *random_texts)

/* A code from a few divisions, so that firms and lots meet often. */
static const char *
random_code(unsigned long long *seed)
{
	for (;;) {
		const char *c = cpv_codes[next_rand(seed) % cpv_ncodes].code;

		if (!strncmp(c, "45", 2) || !strncmp(c, "90", 2) || !strncmp(c, "72", 2))
			return c;
	}
}

static void
random_firms(struct firm_list *firms, unsigned long long *seed,
	     const struct random_set *rs)
{
	size_t i, k, n;

	for (i = 0; i < rs->nfirms; i++) {
		struct firm *f = firm_new();

		f->kinds = next_rand(seed) % 4 ? FIRM_KINDS_DEFAULT : next_rand(seed) % 16;
		f->turnover = next_rand(seed) % 4 ? (long long)(next_rand(seed) % 60000000) : -1;
		for (n = next_rand(seed) % 3, k = 0; k < n; k++)
			strvec_push(&f->categories, &f->ncategories,
				    random_categories[next_rand(seed) % 6].key);
		for (n = next_rand(seed) % 4, k = 0; k < n; k++) {
			char code[CPV_LEN + 1] = "00000000";
			const char *from = random_code(seed);

			/* Any depth from a division to a full code, or garbage. */
			memcpy(code, from, 2 + next_rand(seed) % 7);
			if (next_rand(seed) % 50 == 0)
				code[3] = 'x';
			strvec_push(&f->cpv, &f->ncpv, code);
		}
		for (n = next_rand(seed) % 3, k = 0; k < n; k++)
			strvec_push(&f->regions, &f->nregions,
				    rs->regions[next_rand(seed) % rs->nregions]);
		for (n = next_rand(seed) % 3, k = 0; k < n; k++)
			strvec_push(&f->keywords, &f->nkeywords,
				    random_keywords[next_rand(seed) % NRANDOM_KEYWORDS]);
		if (next_rand(seed) % 8 == 0)
			strvec_push(&f->exclude, &f->nexclude,
				    random_keywords[next_rand(seed) % NRANDOM_KEYWORDS]);
		firm_list_push(firms, f);
	}
}

static int
result_cmp(const void *a, const void *b)
{
	const struct match_result *x = a, *y = b;

	return (x->firm > y->firm) - (x->firm < y->firm);
}

static void
find_equals_naive(const struct random_set *rs, struct naive_stats *st)
{
	static const char *const durations[] = {
		NULL, "P12M", "P48M", "P2Y", "P90D", "P1Y6M", "bogus"
	};
	static const char *const currencies[] = { NULL, "SEK", "SEK", "EUR" };
	static const char *const langs[] = { NULL, "SWE", "ENG" };
	struct match_options opt = { .size_share = 0.5, .stemmer = stemmer_new() };
	unsigned long long seed = 7;
	struct firm_list firms = { 0 };
	struct stem_text text = { 0 };
	struct match_index *ix;
	struct match_result *found = NULL, *naive;
	size_t i, k, n;

	memset(st, 0, sizeof *st);
	random_firms(&firms, &seed, rs);
	ix = match_index_new(&firms, &opt);
	naive = calloc(firms.n, sizeof *naive);
	CHECK(ix && naive);
	for (i = 0; i < rs->ntargets && ix && naive; i++) {
		struct lot l = { .sme_suitable = (int)(next_rand(&seed) % 3) - 1 };
		struct category_lot p = { 0 };
		struct match_target t = { (enum notice_kind)(next_rand(&seed) % 6), &l, &p, NULL };
		size_t nnaive = 0;
		long nfound;

		stem_text_release(&text);
		if (next_rand(&seed) % 2) {
			CHECK(match_text_of(opt.stemmer, langs[next_rand(&seed) % 3],
					    1, 0, random_texts[next_rand(&seed) %
							    NRANDOM_TEXTS],
					    random_texts[next_rand(&seed) %
							 NRANDOM_TEXTS], NULL,
					    NULL, &text) == 0);
			t.text = &text;
		}
		if (next_rand(&seed) % 3)
			p.category = &random_categories[next_rand(&seed) % 6];
		for (n = 1 + next_rand(&seed) % 3, k = 0; k < n; k++) {
			const char *code = next_rand(&seed) % 30 ? random_code(&seed) : "4544x100";

			strvec_push(&p.cpv, &p.ncpv, code);
			strvec_push(&l.cpv, &l.ncpv, code);
		}
		/* Sometimes the lot has more codes than this part. */
		if (next_rand(&seed) % 2)
			strvec_push(&l.cpv, &l.ncpv, random_code(&seed));
		for (n = next_rand(&seed) % 3, k = 0; k < n; k++)
			strvec_push(&l.nuts, &l.nnuts,
				    rs->regions[next_rand(&seed) % rs->nregions]);
		l.has_value = next_rand(&seed) % 2;
		l.value = 1e5 + next_rand(&seed) % 50000000;
		p.has_value = next_rand(&seed) % 3 == 0;
		p.value = next_rand(&seed) % 20000000;
		p.currency = (char *)currencies[next_rand(&seed) % 4];
		l.duration = (char *)durations[next_rand(&seed) % 7];

		for (k = 0; k < firms.n; k++) {
			int score;

			if (match_one(firms.v[k], &t, &opt, &score))
				naive[nnaive++] = (struct match_result){ k, score };
		}
		nfound = match_find(ix, &t, &found, &st->cap);
		CHECK(nfound == (long)nnaive);
		if (nfound == (long)nnaive) {
			if (nfound)
				qsort(found, nnaive, sizeof *found, result_cmp);
			for (k = 0; k < nnaive && found[k].firm == naive[k].firm &&
				    found[k].score == naive[k].score; k++)
				;
			st->same += k == nnaive;
		}
		st->total += nnaive;
		for (k = 0; k < nnaive; k++) {
			const struct firm *nf = firms.v[naive[k].firm];

			st->by_words += nf->nkeywords && !nf->ncpv && !nf->ncategories;
			st->no_codes += nf->ncpv == 0;
			st->no_categories += nf->ncategories == 0;
			if (naive[k].firm > st->last)
				st->last = naive[k].firm;
		}
		strvec_free(p.cpv, p.ncpv);
		strvec_free(l.cpv, l.ncpv);
		strvec_free(l.nuts, l.nnuts);
	}
	CHECK(st->cap <= firms.n);
	free(found);
	free(naive);
	match_index_free(ix);
	firm_list_release(&firms);
	stem_text_release(&text);
	stemmer_free(opt.stemmer);
}

static void
test_find_equals_naive(void)
{
	const struct random_set rs = { 2000, 300, random_regions,
				       COUNT(random_regions) };
	struct naive_stats st;

	find_equals_naive(&rs, &st);
	CHECK(st.same == rs.ntargets);
	/* Enough matches of both kinds for the comparison to mean something. */
	CHECK(st.total > 5000);
	CHECK(st.no_codes > 500 && st.no_categories > 500);
	CHECK(st.by_words > 300);
}

/*
 * A national register, firms in every county and region: match_find reads
 * it a block of firms at a time, and firms in the second and third blocks
 * must be found as match_one finds them, with the same scores.
 */
static void
test_find_national(void)
{
	const struct random_set rs = { 70000, 40, national_regions,
				       COUNT(national_regions) };
	struct naive_stats st;

	find_equals_naive(&rs, &st);
	CHECK(st.same == rs.ntargets);
	CHECK(st.total > 40000);
	CHECK(st.last > 65536);
	CHECK(st.by_words > 1000);
}

/*
 * match_find sizes a firm by the capacities at which its room changes,
 * worked out once a lot to the last bit, and not by a division a firm;
 * a posting holds the turnover in 32 bits, the firm's own past them. At
 * each of those capacities and a bit and a krona either side, over a
 * year and three, for turnovers small, large, past 32 bits and none, a
 * firm must match and score as match_one has it.
 */
static void
test_size_limits(void)
{
	static const long long turnovers[] = {
		1, 7, 999999, 5000000, 123456789, 4294967293LL, 4294967294LL,
		4294967295LL, 5000000000LL, 90000000000LL, -1, -7
	};
	static const char *const durations[] = { NULL, "P36M" };
	struct firm *f = make_firm("sv", "maleri", NULL, NULL, 0);
	char *codes[] = { "45442100" };
	struct lot l = { .cpv = codes, .ncpv = 1, .sme_suitable = LOT_SME_UNKNOWN };
	struct category_lot p = { .category = &maleri, .cpv = codes, .ncpv = 1,
				  .has_value = 1 };
	struct match_target t = { NOTICE_COMPETITION, &l, &p, NULL };
	size_t i, j, k, d;
	/* a match, of the firm's category: 120 and the room */
	int seen[21] = { 0 }, rooms = 0, score, room;

	for (i = 0; i < COUNT(turnovers); i++)
		for (j = 0; j < COUNT(durations); j++)
			for (k = 0; k <= 20; k++) {
				/* the value leaving k twentieths of room */
				double years = j ? 3 : 1;
				double at = 0.5 * (double)turnovers[i] * years *
					    (20 - (double)k) / 20;
				double values[5] = {
					at, nextafter(at, 0), nextafter(at, INFINITY),
					at - 1, at + 1
				};

				f->turnover = turnovers[i];
				l.duration = (char *)durations[j];
				for (d = 0; d < 5; d++) {
					p.value = values[d];
					/* match_find and match_one alike */
					if (!scored(f, &t, 0.5, &score))
						continue;
					room = score - 120;
					if (room >= 0 && room <= 20 && !seen[room]++)
						rooms++;
				}
			}
	/* every room from none to all of it came up */
	CHECK(rooms == 21);
	firm_free(f);
}

/*
 * The index gathers the firms' category keys in a set that grows: with
 * more keys than it starts with room for, a lot of each category must
 * still find just the firms of it.
 */
static void
test_many_categories(void)
{
	struct match_options opt = { .size_share = 0.5 };
	struct firm_list firms = { 0 };
	struct match_result *res = NULL;
	struct category cats[300];
	char keys[300][16];
	struct match_index *ix;
	size_t i, cap = 0, right = 0;

	for (i = 0; i < 600; i++) {
		struct firm *f = make_firm("sv", NULL, NULL, "SE232", -1);

		snprintf(keys[i / 2], sizeof keys[0], "kategori%zu", i / 2);
		strvec_push(&f->categories, &f->ncategories, keys[i / 2]);
		firm_list_push(&firms, f);
	}
	ix = match_index_new(&firms, &opt);
	CHECK(ix != NULL);
	for (i = 0; ix && i < 300; i++) {
		struct lot l = { .sme_suitable = LOT_SME_UNKNOWN };
		struct category_lot p = { .category = &cats[i] };
		struct match_target t = { NOTICE_COMPETITION, &l, &p, NULL };
		long n;

		cats[i] = (struct category){ .key = keys[i] };
		n = match_find(ix, &t, &res, &cap);
		right += n == 2 && res[0].firm / 2 == i && res[1].firm / 2 == i;
	}
	CHECK(right == 300);
	free(res);
	match_index_free(ix);
	firm_list_release(&firms);
}

int
main(void)
{
	RUN(test_industry_category);
	RUN(test_keywords);
	RUN(test_hyphenated);
	RUN(test_exclude);
	RUN(test_category_words_reason);
	RUN(test_countries);
	RUN(test_industry_cpv_split);
	RUN(test_size);
	RUN(test_region);
	RUN(test_kind);
	RUN(test_score);
	RUN(test_reason);
	RUN(test_find_equals_naive);
	RUN(test_find_national);
	RUN(test_size_limits);
	RUN(test_many_categories);
	return test_done("match");
}
