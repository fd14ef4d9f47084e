/*
 * Civil dates into UTC instants, as the eForms and feed parsers read them.
 */
#include <time.h>

#include "civil.h"
#include "test.h"

static void
test_date_valid(void)
{
	CHECK(civil_date_valid(2024, 2, 29));
	CHECK(civil_date_valid(2000, 2, 29));
	CHECK(!civil_date_valid(1900, 2, 29));
	CHECK(!civil_date_valid(2023, 2, 29));
	CHECK(civil_date_valid(2023, 12, 31));
	CHECK(!civil_date_valid(2023, 4, 31));
	CHECK(!civil_date_valid(2023, 0, 1));
	CHECK(!civil_date_valid(2023, 13, 1));
	CHECK(!civil_date_valid(2023, 1, 0));
	CHECK(!civil_date_valid(2023, 1, 32));
	CHECK(civil_date_valid(1, 1, 1));
	CHECK(civil_date_valid(9999, 12, 31));
	CHECK(!civil_date_valid(0, 12, 31));
	CHECK(!civil_date_valid(10000, 1, 1));
}

/* Every day from 0001-01-01 to 9999-12-31 is one after the day before,
 * and 1970-01-01 is day 0: that fixes every count. */
static void
test_days_every_day(void)
{
	long long want = civil_days(1, 1, 1);
	int y, m, d, bad = 0;

	CHECK(civil_days(1970, 1, 1) == 0);
	CHECK(civil_days(1969, 12, 31) == -1);
	CHECK(want == -719162);
	for (y = 1; y <= 9999; y++)
		for (m = 1; m <= 12; m++)
			for (d = 1; civil_date_valid(y, m, d); d++)
				bad += civil_days(y, m, d) != want++;
	CHECK(bad == 0);
	CHECK(civil_days(9999, 12, 31) == 2932896);
}

/* timegm() agrees, where the system's time_t and calendar reach. */
static void
test_days_timegm(void)
{
	static const int dates[][3] = {
		{ 1900, 3, 1 }, { 1970, 1, 1 }, { 2000, 2, 29 },
		{ 2000, 3, 1 }, { 2024, 3, 5 }, { 2038, 1, 19 },
		{ 2100, 2, 28 }, { 2400, 12, 31 },
	};
	struct tm tm;
	size_t i;

	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = dates[i][0] - 1900;
		tm.tm_mon = dates[i][1] - 1;
		tm.tm_mday = dates[i][2];
		CHECK(civil_days(dates[i][0], dates[i][1], dates[i][2]) ==
		      (long long)timegm(&tm) / 86400);
	}
}

static void
test_time(void)
{
	struct civil c = { 2024, 4, 10, 10, 0, 0, 0 };
	time_t t = 0;

	CHECK(civil_time(&c, &t) == 0 && t == 1712743200);
	/* Stockholm in summer: two hours east of UTC, so 08:00Z. */
	c.zone = 2 * 3600;
	CHECK(civil_time(&c, &t) == 0 && t == 1712736000);
	/* 15:30Z */
	c.zone = -(5 * 3600 + 30 * 60);
	CHECK(civil_time(&c, &t) == 0 && t == 1712763000);
	/* An offset can move the instant into the day and year before:
	 * 2023-12-31T23:30:00Z. */
	c = (struct civil){ 2024, 1, 1, 0, 30, 0, 3600 };
	CHECK(civil_time(&c, &t) == 0 && t == 1704065400);
	/* A leap second is the next minute's first: 2017-01-01T00:00:00Z. */
	c = (struct civil){ 2016, 12, 31, 23, 59, 60, 0 };
	CHECK(civil_time(&c, &t) == 0 && t == 1483228800);
	c = (struct civil){ 1, 1, 1, 0, 0, 0, 0 };
	CHECK(civil_time(&c, &t) == 0 && t == -62135596800LL);
	c = (struct civil){ 9999, 12, 31, 23, 59, 59, 0 };
	CHECK(civil_time(&c, &t) == 0 && t == 253402300799LL);
}

static void
test_time_refused(void)
{
	static const struct civil bad[] = {
		{ 2023, 2, 29, 12, 0, 0, 0 },
		{ 0, 1, 1, 12, 0, 0, 0 },
		{ 2024, 1, 1, 24, 0, 0, 0 },
		{ 2024, 1, 1, 12, 60, 0, 0 },
		{ 2024, 1, 1, 12, 0, 61, 0 },
		{ 2024, 1, 1, -1, 0, 0, 0 },
		{ 2024, 1, 1, 12, -1, 0, 0 },
		{ 2024, 1, 1, 12, 0, -1, 0 },
	};
	size_t i;
	time_t t;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t = 42;
		CHECK(civil_time(&bad[i], &t) == -1);
		CHECK(t == 42);
	}
}

int
main(void)
{
	RUN(test_date_valid);
	RUN(test_days_every_day);
	RUN(test_days_timegm);
	RUN(test_time);
	RUN(test_time_refused);
	return test_done("civil");
}
