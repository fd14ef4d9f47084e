#define _XOPEN_SOURCE 700

#include "category.h"
#include "split.h"
#include "stem.h"
#include "test.h"
#include "testutil.h"

static struct category_set cs;

static struct lot *
lot_with(struct notice *n, const char *const *codes, int value)
{
	struct lot *l = notice_add_lot(n);
	size_t i;

	l->id = strdup("LOT-0000");
	for (i = 0; codes[i]; i++)
		strvec_push(&l->cpv, &l->ncpv, codes[i]);
	if (value) {
		l->has_value = 1;
		l->value = value;
		l->currency = strdup("SEK");
	}
	return l;
}

static const char *
part_key(const struct category_lot *p)
{
	return p->category ? p->category->key : "(none)";
}

static void
test_multi_category_tender(void)
{
	static const char *const codes[] = {
		"45442100",	/* painting */
		"45310000",	/* electrical */
		"45442110",	/* painting of buildings: painting again */
		"45330000",	/* plumbing */
		"90911300",	/* window cleaning, under cleaning's 90910000 */
		"03000000",	/* agriculture: no category */
		NULL
	};
	struct notice *n = notice_new();
	struct lot *l = lot_with(n, codes, 12000000);
	struct lot_split sp = { 0 };

	CHECK(split_lot(&cs, l, NULL, &sp) == 0);
	CHECK(sp.nparts == 5);
	if (sp.nparts == 5) {
		CHECK_STR(part_key(&sp.parts[0]), "maleri");
		CHECK(sp.parts[0].ncpv == 2);
		CHECK_STR(sp.parts[0].cpv[0], "45442100");
		CHECK_STR(sp.parts[0].cpv[1], "45442110");
		CHECK_STR(part_key(&sp.parts[1]), "el");
		CHECK_STR(part_key(&sp.parts[2]), "vvs");
		/* The most specific category code wins. */
		CHECK_STR(part_key(&sp.parts[3]), "fonsterputs");
		CHECK_STR(part_key(&sp.parts[4]), "(none)");
		/* The lot's value is for the whole; no part gets a guess. */
		CHECK(!sp.parts[0].has_value && !sp.parts[4].has_value);
	}
	lot_split_release(&sp);
	notice_free(n);
}

static void
test_single_category_keeps_value(void)
{
	static const char *const codes[] = { "90919200", "90911200", NULL };
	struct notice *n = notice_new();
	struct lot *l = lot_with(n, codes, 800000);
	struct lot_split sp = { 0 };

	CHECK(split_lot(&cs, l, NULL, &sp) == 0);
	CHECK(sp.nparts == 1);
	if (sp.nparts == 1) {
		CHECK_STR(part_key(&sp.parts[0]), "lokalvard");
		CHECK(sp.parts[0].has_value && sp.parts[0].value == 800000);
		CHECK_STR(sp.parts[0].currency, "SEK");
	}
	lot_split_release(&sp);
	notice_free(n);
}

static void
test_no_codes_no_parts(void)
{
	static const char *const codes[] = { NULL };
	struct notice *n = notice_new();
	struct lot *l = lot_with(n, codes, 0);
	struct lot_split sp = { 0 };

	CHECK(split_lot(&cs, l, NULL, &sp) == 0);
	CHECK(sp.nparts == 0);
	lot_split_release(&sp);
	notice_free(n);
}

/*
 * A lot without codes falls into the categories whose words it holds; a
 * coded lot keeps its codes' categories whatever its words say.
 */
static void
test_split_by_words(void)
{
	static const char *const none[] = { NULL }, *const paint[] = { "45442100", NULL };
	struct stemmer *st = stemmer_new();
	struct notice *n = notice_new();
	struct stem_text t = { 0 };
	struct lot_split sp;
	struct lot *l = lot_with(n, none, 0);

	CHECK(stem_text_add(st, &t, "Snöröjningen vid skolorna 2027", STEM_BOTH,
			    STEM_TITLE) == 0);
	CHECK(stem_text_add(st, &t, "Även fönsterputsning ingår.", STEM_BOTH,
			    STEM_DESCRIPTION) == 0);
	CHECK(split_lot(&cs, l, &t, &sp) == 0);
	CHECK(sp.nparts == 2);
	if (sp.nparts == 2) {
		CHECK_STR(part_key(&sp.parts[0]), "fonsterputs");
		CHECK_STR(part_key(&sp.parts[1]), "snorojning");
		CHECK(sp.parts[0].ncpv == 0 && sp.parts[1].ncpv == 0);
	}
	lot_split_release(&sp);
	notice_free(n);
	n = notice_new();
	l = lot_with(n, paint, 0);
	CHECK(split_lot(&cs, l, &t, &sp) == 0);
	CHECK(sp.nparts == 1 && strcmp(part_key(&sp.parts[0]), "maleri") == 0);
	lot_split_release(&sp);
	notice_free(n);
	stem_text_release(&t);
	stemmer_free(st);
}

int
main(void)
{
	if (category_load("config/categories.conf", &cs) < 0)
		return 2;
	RUN(test_multi_category_tender);
	RUN(test_single_category_keeps_value);
	RUN(test_no_codes_no_parts);
	RUN(test_split_by_words);
	category_set_release(&cs);
	return test_done("split");
}
