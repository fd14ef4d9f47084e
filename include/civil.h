#ifndef TENDERLOTS_CIVIL_H
#define TENDERLOTS_CIVIL_H

#include <time.h>

/*
 * Dates and times as documents write them, into UTC instants, by day
 * counting in the proleptic Gregorian calendar: timegm() is not standard
 * C, and mktime() would read the system's zone.
 */
struct civil {
	int year, mon, day;
	int hour, min, sec;
	long zone;		/* offset: seconds east of UTC */
};

/* 1 if year-mon-day is a day of the years 1 to 9999, else 0. */
int civil_date_valid(int year, int mon, int day);

/* Days from 1970-01-01 to year-mon-day, negative before it. */
long long civil_days(int year, int mon, int day);

/*
 * The instant c names. -1 if its date is not valid, its time of day is
 * not (hour 0-23, minute 0-59, second 0-60: a leap second counts as the
 * next minute's first), or time_t cannot hold the instant.
 */
int civil_time(const struct civil *c, time_t *out);

#endif
