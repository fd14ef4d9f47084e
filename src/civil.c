#include "civil.h"

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
civil_date_valid(int year, int mon, int day)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30,
				       31, 31, 30, 31, 30, 31 };

	return year >= 1 && year <= 9999 && mon >= 1 && mon <= 12 &&
	       day >= 1 && day <= mdays[mon - 1] + (mon == 2 && leap(year));
}

/* days_from_civil (H. Hinnant): years counted from March, so that the
 * leap day ends the year, in eras of 400 years of 146097 days. */
long long
civil_days(int year, int mon, int day)
{
	long long y = year - (mon <= 2), era, yoe, doy, doe;

	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (mon > 2 ? mon - 3 : mon + 9) + 2) / 5 + day - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
civil_time(const struct civil *c, time_t *out)
{
	long long v;
	time_t t;

	if (!civil_date_valid(c->year, c->mon, c->day) || c->hour < 0 ||
	    c->hour > 23 || c->min < 0 || c->min > 59 || c->sec < 0 ||
	    c->sec > 60)
		return -1;
	v = civil_days(c->year, c->mon, c->day) * 86400 + c->hour * 3600LL +
	    c->min * 60LL + c->sec - c->zone;
	t = (time_t)v;
	if ((long long)t != v)
		return -1;
	*out = t;
	return 0;
}
