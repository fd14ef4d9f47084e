#include <string.h>

#include "cpv.h"
#include "test.h"

static void
test_normalize(void)
{
	char out[CPV_LEN + 1];

	CHECK(cpv_normalize("45000000", out) == 0);
	CHECK_STR(out, "45000000");
	CHECK(cpv_normalize("45000000-7", out) == 0);
	CHECK_STR(out, "45000000");
	CHECK(cpv_normalize("4500000", out) < 0);
	CHECK(cpv_normalize("450000001", out) < 0);
	CHECK(cpv_normalize("45000000-", out) < 0);
	CHECK(cpv_normalize("45000000-77", out) < 0);
	CHECK(cpv_normalize("4500a000", out) < 0);
	CHECK(cpv_normalize("", out) < 0);
}

static void
test_levels(void)
{
	CHECK(cpv_significant("45000000") == 2);
	CHECK(cpv_significant("45400000") == 3);
	CHECK(cpv_significant("45440000") == 4);
	CHECK(cpv_significant("45442000") == 5);
	CHECK(cpv_significant("45442100") == 6);
	CHECK(cpv_significant("45442110") == 7);
	CHECK(cpv_significant("45442111") == 8);
	/* A division keeps both digits even when the second is zero. */
	CHECK(cpv_significant("30000000") == 2);
	CHECK(cpv_significant("03000000") == 2);
}

static void
test_covers(void)
{
	CHECK(cpv_covers("45000000", "45442100"));
	CHECK(cpv_covers("45440000", "45442100"));
	CHECK(cpv_covers("45442100", "45442100"));
	CHECK(cpv_covers("45442100", "45442110"));
	CHECK(!cpv_covers("45442110", "45442100"));
	CHECK(!cpv_covers("45310000", "45442100"));
	CHECK(!cpv_covers("45000000", "44000000"));
	/* 30000000 is a division: it covers 30200000 but not 03000000. */
	CHECK(cpv_covers("30000000", "30200000"));
	CHECK(!cpv_covers("30000000", "03000000"));
}

static void
test_labels(void)
{
	CHECK_STR(cpv_label("45442100", "sv"), "Målning");
	CHECK_STR(cpv_label("45442100", "en"), "Painting work");
	CHECK_STR(cpv_label("45442100", NULL), "Målning");
	CHECK(cpv_label("45442199", "sv") == NULL);
	CHECK(cpv_known("03000000"));
	CHECK(cpv_known("98000000"));
	CHECK(!cpv_known("99999999"));
	CHECK_STR(nuts_label("SE232", "sv"), "Västra Götalands län");
	CHECK(nuts_label("SE999", "sv") == NULL);
}

static void
test_nuts_overlap(void)
{
	CHECK(nuts_overlap("SE232", "SE232"));
	CHECK(nuts_overlap("SE23", "SE232"));
	CHECK(nuts_overlap("SE232", "SE23"));
	CHECK(nuts_overlap("SE", "SE110"));
	CHECK(!nuts_overlap("SE110", "SE232"));
	CHECK(!nuts_overlap("SE231", "SE232"));
	CHECK(!nuts_overlap("SE", "DK011"));
	CHECK(!nuts_overlap("", "SE232"));
}

int
main(void)
{
	RUN(test_normalize);
	RUN(test_levels);
	RUN(test_covers);
	RUN(test_labels);
	RUN(test_nuts_overlap);
	return test_done("cpv");
}
