/*
 * The goal of matching on real data, over the 53 notices really published
 * on TED in tests/fixtures/real/published/ (and a change notice made
 * from one of them, tests/fixtures/real/README.md) and a register of 2,100 Swedish firms
 * (tests/fixtures/register/, tools/register.py), through the binary:
 *
 * - no firm is told of a lot performed wholly outside its regions (a
 *   place abroad counts only for a firm that works abroad too);
 * - every valued lot is sized in kronor, and no firm is told of one
 *   beyond half of its turnover a year;
 * - the change notice reaches every firm told of the original;
 * - firms that subscribe after the notices came hear of what is still
 *   open in the next pass.
 *
 * The checks read the database with rules of their own, not the matcher's.
 */
#define _XOPEN_SOURCE 700

#include <ctype.h>
#include <math.h>
#include <sqlite3.h>

#include "money.h"
#include "test.h"
#include "testdb.h"
#include "testutil.h"
#include "testweb.h"

static char dir[PATH_MAX];
static char project[PATH_MAX];
static char db[PATH_MAX + 16];

/* NUTS codes overlap when one lies in the other: SE2 and SE232. */
static int
overlaps(const char *place, const char *region)
{
	size_t p = strcspn(place, " "), r = strcspn(region, " ");

	return strncmp(place, region, p < r ? p : r) == 0;
}

/* Whether a lot performed at places (space-separated) may go to a firm. */
static int
place_allowed(const char *places, const char *regions, int abroad)
{
	const char *p, *r;
	int foreign_only = 1;

	if (!*places)
		return 1;	/* anywhere, or not said: not outside */
	for (p = places; *p; p += strcspn(p, " "), p += *p == ' ') {
		if (strncmp(p, "SE", 2) == 0)
			foreign_only = 0;
		for (r = regions; *r; r += strcspn(r, " "), r += *r == ' ')
			if (overlaps(p, r))
				return 1;
	}
	return abroad && foreign_only;
}

/* Years of an ISO 8601 duration (P4Y, P48M, P1005D); 1 when not given. */
static double
years(const char *d)
{
	char *end;
	double n;

	if (!d || d[0] != 'P' || !isdigit((unsigned char)d[1]))
		return 1;
	n = strtod(d + 1, &end);
	switch (*end) {
	case 'Y': return n;
	case 'M': return n / 12;
	case 'W': return n * 7 / 365.25;
	case 'D': return n / 365.25;
	}
	return 1;
}

struct tally {
	long matches, outside, abroad, anywhere, valued, too_big, firms;
};

/* Every match, against the rules. */
static void
check_matches(sqlite3 *h, struct tally *t)
{
	sqlite3_stmt *st;
	double sek;

	memset(t, 0, sizeof *t);
	CHECK(sqlite3_prepare_v2(h,
		"SELECT f.regions, f.abroad, f.turnover, l.nuts, l.value,"
		" l.currency, l.duration, f.email FROM match m"
		" JOIN firm f ON f.id = m.firm JOIN lot l ON l.id = m.lot",
		-1, &st, NULL) == SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *regions = (const char *)sqlite3_column_text(st, 0);
		const char *places = (const char *)sqlite3_column_text(st, 3);
		const char *currency = (const char *)sqlite3_column_text(st, 5);
		const char *duration = (const char *)sqlite3_column_text(st, 6);
		int abroad = sqlite3_column_int(st, 1);
		double value = sqlite3_column_double(st, 4);

		t->matches++;
		if (!place_allowed(places, regions, abroad)) {
			t->outside++;
			fprintf(stderr, "  %s (%s) told of a lot at %s\n",
				sqlite3_column_text(st, 7), regions, places);
		} else if (!*places) {
			t->anywhere++;
		} else if (!place_allowed(places, regions, 0)) {
			t->abroad++;
		}
		if (sqlite3_column_type(st, 4) == SQLITE_NULL || value <= 0 ||
		    sqlite3_column_type(st, 2) == SQLITE_NULL)
			continue;
		t->valued++;
		if (money_to_sek(NULL, value, currency, &sek) == 0 &&
		    sek / years(duration) >
		    0.5 * (double)sqlite3_column_int64(st, 2) + 1) {
			t->too_big++;
			fprintf(stderr, "  %s (turnover %lld) told of %.0f %s "
				"over %s\n", sqlite3_column_text(st, 7),
				sqlite3_column_int64(st, 2), value,
				currency ? currency : "SEK",
				duration ? duration : "a year");
		}
	}
	sqlite3_finalize(st);
	t->firms = db_query(db, "SELECT count(DISTINCT firm) FROM match");
}

/* Every valued lot's currency has a rate: it is sized in kronor. */
static void
check_valued_lots(sqlite3 *h, long *valued, long *unsized)
{
	sqlite3_stmt *st;
	double sek;

	*valued = *unsized = 0;
	CHECK(sqlite3_prepare_v2(h, "SELECT value, currency FROM lot"
				 " WHERE value > 0", -1, &st, NULL) == SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *currency = (const char *)sqlite3_column_text(st, 1);

		(*valued)++;
		if (money_to_sek(NULL, sqlite3_column_double(st, 0), currency,
				 &sek) < 0) {
			(*unsized)++;
			fprintf(stderr, "  a lot valued in %s is not sized\n",
				currency);
		}
	}
	sqlite3_finalize(st);
}

static char *
output(void)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof path, "%s/out.txt", dir);
	return read_text(path);
}

static void
test_goal(void)
{
	char cmd[PATH_MAX * 5], path[PATH_MAX * 2], *out;
	struct tally t;
	long valued, unsized, told, changed, late_matched, late_mailed;
	sqlite3 *h = NULL;

	make_tmpdir(dir, "test_goal");
	snprintf(cmd, sizeof cmd, "mkdir '%s/feeds' && cp '%s'/tests/fixtures/real/"
		 "published/*.xml '%s/feeds/'", dir, project, dir);
	CHECK(system(cmd) == 0);
	web_config(dir, project, "tenderlots.conf", "", "");
	snprintf(path, sizeof path, "%s/feeds.conf", dir);
	write_text(path, "[real]\nkind = eforms\nurl = feeds\n");
	snprintf(db, sizeof db, "%s/var/t.db", dir);

	snprintf(cmd, sizeof cmd, "firm import -c tenderlots.conf "
		 "'%s/tests/fixtures/register/firms.csv'", project);
	CHECK(tl_run(dir, "2023-07-01T08:00:00Z", cmd) == 0);
	out = output();
	CHECK(out && strstr(out, "2100 firms imported (2100 new, 0 updated)"));
	free(out);
	CHECK(tl_run(dir, "2023-07-01T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	out = output();
	CHECK(out && strstr(out, "notices:  53 new, 0 changed, 0 unchanged, 0 rejected"));
	free(out);

	/* Later: 21 firms subscribe, and the change notice comes. */
	snprintf(cmd, sizeof cmd, "firm import -c tenderlots.conf "
		 "'%s/tests/fixtures/register/late.csv'", project);
	CHECK(tl_run(dir, "2023-07-02T08:00:00Z", cmd) == 0);
	out = output();
	CHECK(out && strstr(out, "21 firms imported (21 new, 0 updated)"));
	free(out);
	snprintf(cmd, sizeof cmd, "cp '%s'/tests/fixtures/real/change-of-00219998-2024.xml "
		 "'%s/feeds/'", project, dir);
	CHECK(system(cmd) == 0);
	CHECK(tl_run(dir, "2023-07-05T08:00:00Z", "run --once -c tenderlots.conf") == 0);

	CHECK(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	check_matches(h, &t);
	check_valued_lots(h, &valued, &unsized);
	sqlite3_close(h);

	/* told of the original, and of its change */
	told = db_query(db, "SELECT count(DISTINCT m.firm) FROM match m"
			" WHERE m.notice_id = (SELECT notice_id FROM notice"
			" WHERE publication = '219998-2024') AND m.message IS NOT NULL");
	changed = db_query(db, "SELECT count(*) FROM message"
			   " WHERE key LIKE 'change/%'");
	/* the late firms: matched, and mailed in the pass after they came */
	late_matched = db_query(db, "SELECT count(DISTINCT m.firm) FROM match m"
				" JOIN firm f ON f.id = m.firm"
				" WHERE f.email LIKE 'nytt%'");
	late_mailed = db_query(db, "SELECT count(DISTINCT m.firm) FROM match m"
			       " JOIN firm f ON f.id = m.firm"
			       " WHERE f.email LIKE 'nytt%' AND m.message IS NOT NULL");

	printf("# %ld matches to %ld firms: %ld in their regions, %ld abroad to "
	       "firms that work abroad too, %ld performed anywhere; %ld wholly "
	       "outside\n", t.matches, t.firms,
	       t.matches - t.abroad - t.anywhere - t.outside, t.abroad,
	       t.anywhere, t.outside);
	printf("# %ld valued lots, %ld not sized in kronor; %ld matches of "
	       "valued lots to firms of known turnover, %ld beyond its size\n",
	       valued, unsized, t.valued, t.too_big);
	printf("# the change notice: %ld firms told of the original, %ld change "
	       "mails\n", told, changed);
	printf("# late subscribers: %ld of 21 matched open lots, %ld of them "
	       "mailed in the next pass\n", late_matched, late_mailed);

	CHECK(t.matches > 100 && t.abroad > 0);
	CHECK(t.outside == 0);
	CHECK(valued >= 16 && unsized == 0);
	CHECK(t.valued > 0 && t.too_big == 0);
	CHECK(told > 0 && changed == told);
	CHECK(late_matched >= 5 && late_mailed == late_matched);
	rm_rf(dir);
}

int
main(void)
{
	if (!getcwd(project, sizeof project))
		return 2;
	RUN(test_goal);
	return test_done("goal");
}
