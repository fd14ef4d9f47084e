/*
 * The unit's decisions on dividing its procurements (LOU 4 kap. 14 §):
 * recorded through the real binary with who and when, refused with the
 * field named when a reason is missing, printed as a record for the
 * procurement's file (read in headless Chromium), counted for the report.
 */
#define _XOPEN_SOURCE 700

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "test.h"
#include "testutil.h"
#include "testweb.h"
#include "testsite.h"
#include "testdb.h"

#define NOW "2026-11-25T08:00:00Z"
#define LATER "2026-11-26T09:30:00Z"
/* the sample municipality's two candidates (tenderlots advice) */
#define IT_DRIFT "326d94bb-af29-4b59-9f72-c6abf1c89493"
#define SKOLAN "8f3c2a71-5d4e-4b9a-a6c2-0e7d91b4f215"

static char project[PATH_MAX], dir[PATH_MAX], db[PATH_MAX + 16];

static const char firms_csv[] =
	"orgnr,name,email,categories,cpv,regions\n"
	"556734-2182,Berglunds Måleri AB,info@berglunds-maleri.example,"
	"maleri,,SE232\n";

/* run's words, then what err.txt holds must contain want. */
static void
refused(const char *args, const char *want)
{
	char *err;

	CHECK(tl_run(dir, NOW, args) == 1);
	err = read_in(dir, "err.txt");
	CHECK(err && strstr(err, want));
	if (err && !strstr(err, want))
		fprintf(stderr, "  got: %s", err);
	free(err);
}

static void
setup(void)
{
	char cmd[PATH_MAX + 128];

	CHECK(site_dir(dir, project, "test_split_decision", "", firms_csv,
		       NOW) == 0);
	/* the sample municipality's procurements are its own */
	snprintf(cmd, sizeof cmd, "sed -i 's/^\\[service\\]$/&\\nown_buyers = "
		 "212000-9994/' '%s/tenderlots.conf'", dir);
	CHECK(system(cmd) == 0);
	snprintf(db, sizeof db, "%s/var/t.db", dir);
	CHECK(tl_run(dir, NOW, "run --once -c tenderlots.conf") == 0);
}

/* Not divided needs a reason from the list; other needs a note. */
static void
test_refusals(void)
{
	refused("advice decide " IT_DRIFT " not_divided --by 'Anna Ek' "
		"-c tenderlots.conf",
		"reasons: not divided needs at least one reason "
		"(LOU 4 kap. 14 §)");
	refused("advice decide " IT_DRIFT " not_divided --reasons 'cost "
		"cheaper' --by 'Anna Ek' -c tenderlots.conf",
		"reasons: 'cheaper' is not one of coordination, cost, "
		"technical, competition, market, small, other");
	refused("advice decide " IT_DRIFT " not_divided --reasons other "
		"--by 'Anna Ek' -c tenderlots.conf",
		"note: the reason 'other' needs a note saying what it is");
	refused("advice decide " IT_DRIFT " divided --by 'Anna Ek' "
		"-c tenderlots.conf", "parts: missing");
	refused("advice decide " IT_DRIFT " later -c tenderlots.conf",
		"decided by: missing");
	refused("advice decide " IT_DRIFT " split --by 'Anna Ek' "
		"-c tenderlots.conf",
		"decision: 'split' is not divided, not_divided or later");
	refused("advice decide no-such-notice later --by 'Anna Ek' "
		"-c tenderlots.conf", "notice: no notice no-such-notice is "
		"stored");
	CHECK(db_query(db, "SELECT count(*) FROM split_decision") == 0);
}

static void
test_decisions_recorded(void)
{
	char *out;

	CHECK(tl_run(dir, NOW, "advice decide " SKOLAN " later --by "
		     "'Anna Ek' -c tenderlots.conf") == 0);
	CHECK(tl_run(dir, LATER, "advice decide " SKOLAN " divided --parts "
		     "'Måleri; El; VVS' --by 'Anna Ek' -c tenderlots.conf") == 0);
	out = read_in(dir, "out.txt");
	CHECK(out && strstr(out, SKOLAN ": decision 2 recorded (divided)"));
	free(out);
	CHECK(tl_run(dir, LATER, "advice decide " IT_DRIFT " not_divided "
		     "--reasons 'coordination other' --note 'Driften kräver "
		     "<en> kontaktpunkt & ett avtal' --by 'Bo Lund' "
		     "-c tenderlots.conf") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM split_decision") == 3);
	CHECK(db_query(db, "SELECT decided_at FROM split_decision WHERE"
		       " decided_by = 'Bo Lund'") == 1795685400);
}

/* The record for the procurement's file, as a browser shows it. */
static void
test_record(void)
{
	char url[PATH_MAX + 32], *dom, *html;

	CHECK(tl_run(dir, LATER, "advice record " IT_DRIFT " -o record.html "
		     "-c tenderlots.conf") == 0);
	html = read_in(dir, "record.html");
	CHECK(html && strstr(html, "&lt;en&gt; kontaktpunkt &amp; ett avtal"));
	free(html);
	snprintf(url, sizeof url, "%s/record.html", dir);
	dom = browser_dom(project, dir, url, NULL);
	CHECK(dom && strstr(dom, "<h1>Beslut om uppdelning i delkontrakt</h1>"));
	CHECK(dom && strstr(dom, "<h2>Delas inte upp</h2>"));
	CHECK(dom && strstr(dom, "Behovet av att samordna leverantörerna av de "
			    "olika delarna"));
	CHECK(dom && strstr(dom, "Annat skäl, se anteckningen"));
	CHECK(dom && strstr(dom, "<td>Bo Lund</td>"));
	CHECK(dom && strstr(dom, "26 november 2026 kl. 10:30"));
	CHECK(dom && strstr(dom, "Planerad upphandling: IT-drift och support"));
	free(dom);
	/* the earlier decision stays, marked as replaced */
	CHECK(tl_run(dir, LATER, "advice record " SKOLAN " --lang en "
		     "-c tenderlots.conf") == 0);
	html = read_in(dir, "out.txt");
	CHECK(html && strstr(html, "<h2>Divided into lots</h2>"));
	CHECK(html && strstr(html, "<td>Måleri; El; VVS</td>"));
	CHECK(html && strstr(html, "<h2>To be decided later</h2>"));
	CHECK(html && strstr(html, "Replaced by the decision above."));
	free(html);
}

/* The report's query: decisions in force and the reasons given. */
static void
test_counts(void)
{
	struct split_decision_count *c = NULL;
	struct store *s = NULL;
	size_t n = 0;

	CHECK(store_open(db, &s) == 0);
	if (!s)
		return;
	CHECK(store_split_decision_counts(s, 0, 2000000000, &c, &n) == 0);
	CHECK(n == 4);
	if (n == 4) {
		CHECK_STR(c[0].decision, "divided");
		CHECK(c[0].reason == NULL && c[0].count == 1);
		CHECK_STR(c[1].decision, "not_divided");
		CHECK(c[1].reason == NULL && c[1].count == 1);
		CHECK_STR(c[2].reason, "coordination");
		CHECK(c[2].count == 1);
		CHECK_STR(c[3].reason, "other");
	}
	split_decision_counts_free(c, n);
	/* before the later decisions, only the first was in force */
	CHECK(store_split_decision_counts(s, 0, 1795600000, &c, &n) == 0);
	CHECK(n == 1 && c && strcmp(c[0].decision, "later") == 0);
	split_decision_counts_free(c, n);
	store_free(s);
}

int
main(void)
{
	if (!getcwd(project, sizeof project))
		return 2;
	setenv("TZ", "Europe/Stockholm", 1);
	setup();
	RUN(test_refusals);
	RUN(test_decisions_recorded);
	RUN(test_record);
	RUN(test_counts);
	rm_rf(dir);
	return test_done("split_decision");
}
