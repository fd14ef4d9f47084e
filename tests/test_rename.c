/*
 * A category renamed in categories.conf keeps the firms that chose it
 * and its history: with renamed_from the next start moves them to the
 * new key; without it `config check` names what the old key still holds.
 */
#define _XOPEN_SOURCE 700

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "testutil.h"
#include "testweb.h"
#include "testsite.h"
#include "testdb.h"

#define NOW "2026-11-25T08:00:00Z"

static char project[PATH_MAX], dir[PATH_MAX], db[PATH_MAX + 16];

static const char firms_csv[] =
	"orgnr,name,email,categories,cpv,regions\n"
	"556734-2182,Berglunds Måleri AB,info@berglunds-maleri.example,"
	"maleri el,,SE232\n"
	"556902-4473,Färg & Fasad i Väst AB,offert@fargochfasad.example,"
	"maleri,,SE232\n";

/*
 * dir/NAME.conf: the test's configuration with the categories of
 * dir/NAME-categories.conf, the project's with [maleri] renamed
 * [malning] and the line extra after its header.
 */
static void
renamed_config(const char *name, const char *extra)
{
	char cmd[PATH_MAX * 4];

	snprintf(cmd, sizeof cmd,
		 "cd '%s' && sed 's|^\\[maleri\\]$|[malning]\\n%s|' "
		 "'%s/config/categories.conf' > %s-categories.conf && "
		 "sed 's|^file = .*/config/categories.conf$|file = "
		 "%s-categories.conf|' tenderlots.conf > %s.conf", dir, extra,
		 project, name, name, name);
	CHECK(system(cmd) == 0);
}

static void
setup(void)
{
	CHECK(site_dir(dir, project, "test_rename", "", firms_csv, NOW) == 0);
	snprintf(db, sizeof db, "%s/var/t.db", dir);
	CHECK(tl_run(dir, NOW, "run --once -c tenderlots.conf") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM category_lot"
		       " WHERE category = 'maleri'") > 0);
	CHECK(db_query(db, "SELECT count(*) FROM match"
		       " WHERE category = 'maleri'") > 0);
}

/* Renamed without a word: config check says what would be lost. */
static void
test_check_names_orphans(void)
{
	char *err;

	renamed_config("bare", "");
	CHECK(tl_run(dir, NOW, "config check -c bare.conf") == 1);
	err = read_in(dir, "err.txt");
	CHECK(err && strstr(err, "bare-categories.conf: category 'maleri' is "
			    "not there, but 2 firms chose it and "));
	CHECK(err && strstr(err, "add renamed_from = maleri to its new "
			    "section"));
	free(err);
	CHECK(tl_run(dir, NOW, "config check -c tenderlots.conf") == 0);
}

/* The old key may not be a category still, nor be renamed twice. */
static void
test_bad_renames(void)
{
	char *err;

	renamed_config("twice", "renamed_from = el");
	CHECK(tl_run(dir, NOW, "config check -c twice.conf") == 1);
	err = read_in(dir, "err.txt");
	CHECK(err && strstr(err, "twice-categories.conf:62: [malning] "
			    "renamed_from: [el] is still a category (line 73)"));
	free(err);
	renamed_config("badkey", "renamed_from = Måleri");
	CHECK(tl_run(dir, NOW, "config check -c badkey.conf") == 1);
	err = read_in(dir, "err.txt");
	CHECK(err && strstr(err, "badkey-categories.conf:62: [malning] "
			    "renamed_from: 'Måleri' is not a category key"));
	free(err);
	/* nothing moved */
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE categories"
		       " LIKE '%maleri%'") == 2);
}

/* With renamed_from the next start moves firms and history at once. */
static void
test_rename_keeps_firms(void)
{
	renamed_config("renamed", "renamed_from = maleri");
	CHECK(tl_run(dir, NOW, "config check -c renamed.conf") == 0);
	CHECK(tl_run(dir, NOW, "firm list -c renamed.conf") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM firm"
		       " WHERE categories = 'malning el'") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM firm"
		       " WHERE categories = 'malning'") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM category_lot"
		       " WHERE category = 'maleri'") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM category_lot"
		       " WHERE category = 'malning'") > 0);
	CHECK(db_query(db, "SELECT count(*) FROM match"
		       " WHERE category = 'maleri'") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM match"
		       " WHERE category = 'malning'") > 0);
	/* the firms still match under the new key: nothing new to mail */
	CHECK(tl_run(dir, NOW, "run --once -c renamed.conf") == 0);
	CHECK(tl_run(dir, NOW, "config check -c renamed.conf") == 0);
	/* the old configuration now finds the new key unknown */
	CHECK(tl_run(dir, NOW, "config check -c tenderlots.conf") == 1);
}

int
main(void)
{
	if (!getcwd(project, sizeof project))
		return 2;
	setenv("TZ", "Europe/Stockholm", 1);
	setup();
	RUN(test_check_names_orphans);
	RUN(test_bad_renames);
	RUN(test_rename_keeps_firms);
	rm_rf(dir);
	return test_done("rename");
}
