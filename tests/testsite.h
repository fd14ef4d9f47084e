#ifndef TENDERLOTS_TESTSITE_H
#define TENDERLOTS_TESTSITE_H

/*
 * The web endpoint's pages in a test: a test directory with what
 * `tenderlots web` serves there, and a page as served in headless
 * Chromium. Include after testutil.h and testweb.h.
 */
#include "buf.h"
#include "testutil.h"
#include "testweb.h"

/*
 * Makes a test directory, its real path into dir: tenderlots.conf with
 * the database var/t.db, the Maildir var/mail, the project's templates
 * and categories, [web] port = 0 and the lines web; the sample notices
 * as its feed; the firms of firms_csv imported at now. -1 if a step
 * failed.
 */
static inline int
site_dir(char dir[PATH_MAX], const char *project, const char *prefix,
	 const char *web, const char *firms_csv, const char *now)
{
	char cmd[PATH_MAX * 4], path[PATH_MAX * 2];

	make_tmpdir(dir, prefix);
	snprintf(cmd, sizeof cmd, "mkdir '%s/feeds' && cp '%s'/feeds/*.xml "
		 "'%s/feeds/'", dir, project, dir);
	if (system(cmd) != 0)
		return -1;
	web_config(dir, project, "tenderlots.conf", "", web);
	snprintf(path, sizeof path, "%s/feeds.conf", dir);
	write_text(path, "[local]\nkind = eforms\nurl = feeds\n");
	snprintf(path, sizeof path, "%s/firms.csv", dir);
	write_text(path, firms_csv);
	return tl_run(dir, now, "firm import -c tenderlots.conf firms.csv") == 0 ?
	       0 : -1;
}

#endif
