#include <stdlib.h>

#include "firm.h"
#include "match.h"
#include "notice.h"
#include "test.h"

static struct firm *
make_firm(const char *cpv1, const char *cpv2, const char *region, const char *lang)
{
	struct firm *f = firm_new();

	f->orgnr = strdup("556036-0793");
	f->name = strdup("Berglunds Måleri AB");
	f->email = strdup("info@berglund.example");
	f->language = strdup(lang);
	strvec_push(&f->cpv, &f->ncpv, cpv1);
	if (cpv2)
		strvec_push(&f->cpv, &f->ncpv, cpv2);
	strvec_push(&f->regions, &f->nregions, region);
	return f;
}

static void
add_lot(struct notice *n, const char *cpv1, const char *cpv2, const char *nuts)
{
	struct lot *l = notice_add_lot(n);

	l->id = strdup("LOT-0001");
	strvec_push(&l->cpv, &l->ncpv, cpv1);
	if (cpv2)
		strvec_push(&l->cpv, &l->ncpv, cpv2);
	if (nuts)
		strvec_push(&l->nuts, &l->nnuts, nuts);
}

static int
matches(struct firm *f, const char *cpv1, const char *cpv2, const char *nuts,
	struct buf *reason)
{
	struct notice *n = notice_new();
	int r;

	add_lot(n, cpv1, cpv2, nuts);
	r = match_lot(f, &n->lots[0], reason);
	notice_free(n);
	return r;
}

static void
test_industry(void)
{
	struct firm *f = make_firm("45440000", NULL, "SE232", "sv");
	struct buf r;

	buf_init(&r, 0);
	CHECK(matches(f, "45442100", NULL, "SE232", &r) == 1);
	CHECK(matches(f, "45310000", NULL, "SE232", &r) == 0);
	/* An additional code is enough. */
	CHECK(matches(f, "45310000", "45442110", "SE232", &r) == 1);
	/* The firm's code is narrower than the lot's: no match. */
	CHECK(matches(f, "45400000", NULL, "SE232", &r) == 0);
	buf_release(&r);
	firm_free(f);
}

static void
test_region(void)
{
	struct firm *f = make_firm("45440000", NULL, "SE23", "sv");
	struct buf r;

	buf_init(&r, 0);
	CHECK(matches(f, "45442100", NULL, "SE232", &r) == 1);
	CHECK(matches(f, "45442100", NULL, "SE231", &r) == 1);
	CHECK(matches(f, "45442100", NULL, "SE110", &r) == 0);
	CHECK(matches(f, "45442100", NULL, "DK011", &r) == 0);
	/* No place given: the lot may be anywhere, so the firm hears of it. */
	CHECK(matches(f, "45442100", NULL, NULL, &r) == 1);
	CHECK(strstr(buf_str(&r), "ingen plats") != NULL);
	buf_release(&r);
	firm_free(f);
}

static void
test_reason(void)
{
	struct firm *f = make_firm("45440000", "45442100", "SE232", "sv");
	struct firm *e = make_firm("45440000", NULL, "SE23", "en");
	struct buf r;

	buf_init(&r, 0);
	/* The most specific of the firm's codes is the one named. */
	CHECK(matches(f, "45442110", NULL, "SE232", &r) == 1);
	CHECK_STR(buf_str(&r), "CPV 45442110 (Målning av byggnader) ingår i er kod "
		  "45442100 (Målning); platsen SE232 (Västra Götalands län) "
		  "ligger i ert område SE232");
	CHECK(matches(f, "45442100", NULL, "SE2", &r) == 1);
	CHECK_STR(buf_str(&r), "CPV 45442100 (Målning) är en av era koder; "
		  "platsen SE2 (Södra Sverige) omfattar ert område SE232");
	CHECK(matches(e, "45442100", NULL, "SE232", &r) == 1);
	CHECK_STR(buf_str(&r), "CPV 45442100 (Painting work) falls under your "
		  "code 45440000 (Painting and glazing work); place SE232 "
		  "(Västra Götalands län) is within your region SE23");
	buf_release(&r);
	firm_free(f);
	firm_free(e);
}

static void
test_kinds(void)
{
	CHECK(match_kind_alerts(NOTICE_PLANNING));
	CHECK(match_kind_alerts(NOTICE_RFI));
	CHECK(match_kind_alerts(NOTICE_COMPETITION));
	CHECK(!match_kind_alerts(NOTICE_RESULT));
	CHECK(!match_kind_alerts(NOTICE_CHANGE));
	CHECK(!match_kind_alerts(NOTICE_OTHER));
}

int
main(void)
{
	RUN(test_industry);
	RUN(test_region);
	RUN(test_reason);
	RUN(test_kinds);
	return test_done("match");
}
