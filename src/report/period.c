/*
 * The period a report covers, as people name it: a quarter, a year, or
 * two days of which the last is counted. The command line and the staff's
 * page read it here, so both say the same about a mistake.
 */
#include <stdio.h>
#include <string.h>

#include "civil.h"
#include "report_int.h"

/* The first instant of a local day; mktime() puts a 32nd into the next. */
static time_t
local_day_start(int year, int mon, int day)
{
	struct tm tm = { 0 };

	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static int
read_day(const char *s, int *year, int *mon, int *day)
{
	int used = 0;

	return strlen(s) == 10 &&
	       sscanf(s, "%4d-%2d-%2d%n", year, mon, day, &used) == 3 &&
	       used == 10 && s[4] == '-' && s[7] == '-' &&
	       civil_date_valid(*year, *mon, *day) ? 0 : -1;
}

/* "field: 'value' what is wrong", or without a value "field: what". */
int
rp_fault(struct report_fault *f, const char *field, const char *value,
      const char *what)
{
	f->field = field;
	if (value)
		snprintf(f->text, sizeof f->text, "%s: '%s' %s", field, value,
			 what);
	else
		snprintf(f->text, sizeof f->text, "%s: %s", field, what);
	return -1;
}

/* "2026-Q3" or "2026" as its first day and the first day after it. */
static int
read_period(const char *s, time_t *from, time_t *to)
{
	int year, quarter, used = 0;

	if (strlen(s) == 7 && sscanf(s, "%4d-Q%1d%n", &year, &quarter,
				     &used) == 2 && used == 7 &&
	    quarter >= 1 && quarter <= 4 && year >= 1 && year < 9999) {
		*from = local_day_start(year, quarter * 3 - 2, 1);
		*to = local_day_start(year + quarter / 4, quarter % 4 * 3 + 1, 1);
		return 0;
	}
	if (strlen(s) == 4 && strspn(s, "0123456789") == 4 &&
	    sscanf(s, "%4d", &year) == 1 && year >= 1 && year < 9999) {
		*from = local_day_start(year, 1, 1);
		*to = local_day_start(year + 1, 1, 1);
		return 0;
	}
	return -1;
}

/* The first day of the quarter a year before now's: four full quarters. */
static time_t
quarters_before(time_t now)
{
	struct tm tm;

	localtime_r(&now, &tm);
	return local_day_start(tm.tm_year + 1900 - 1, tm.tm_mon / 3 * 3 + 1, 1);
}

static time_t
day_after(time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	return local_day_start(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday + 1);
}

static int
given(const char *s)
{
	return s && *s;
}

int
report_period(const struct report_request *q, time_t now, time_t *from,
	      time_t *to, struct report_fault *f)
{
	const char *words = q->messages ? q->messages : q->lang;
	const int en = words && strcmp(words, "en") == 0;
	const char *not_a_day = en ? "is not a day (YYYY-MM-DD)" :
				"är inte en dag (ÅÅÅÅ-MM-DD)";
	int year, mon, day;

	f->field = NULL;
	f->text[0] = '\0';
	if (given(q->period)) {
		if (given(q->from) || given(q->to))
			return rp_fault(f, "period", NULL, en ?
				     "give a period or the days from and to, "
				     "not both" :
				     "ange en period eller dagarna från och "
				     "till, inte båda");
		if (read_period(q->period, from, to) < 0)
			return rp_fault(f, "period", q->period, en ?
				     "is not a quarter (2026-Q3) or a year "
				     "(2026)" :
				     "är inte ett kvartal (2026-Q3) eller ett "
				     "år (2026)");
		return 0;
	}
	*from = quarters_before(now);
	*to = day_after(now);
	if (given(q->from)) {
		if (read_day(q->from, &year, &mon, &day) < 0)
			return rp_fault(f, "from", q->from, not_a_day);
		*from = local_day_start(year, mon, day);
	}
	if (given(q->to)) {
		if (read_day(q->to, &year, &mon, &day) < 0)
			return rp_fault(f, "to", q->to, not_a_day);
		/* the last day is counted: the period ends when it does */
		*to = local_day_start(year, mon, day + 1);
	}
	if (*from >= *to && given(q->to))
		return rp_fault(f, "to", q->to, en ? "is before the period begins" :
			     "ligger före periodens början");
	if (*from >= *to)
		return rp_fault(f, "from", q->from, en ? "is after the period ends" :
			     "ligger efter periodens slut");
	return 0;
}
