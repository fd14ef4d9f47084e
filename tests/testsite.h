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
	snprintf(path, sizeof path, "%s/tenderlots.conf", dir);
	snprintf(cmd, sizeof cmd,
		 "[database]\npath = var/t.db\n"
		 "[mail]\nmaildir = var/mail\ntemplates = %s/templates\n"
		 "[feeds]\nfile = feeds.conf\n"
		 "[categories]\nfile = %s/config/categories.conf\n"
		 "[service]\nsecret_file = var/secret\n"
		 "[web]\nport = 0\n%s", project, project, web);
	write_text(path, cmd);
	snprintf(path, sizeof path, "%s/feeds.conf", dir);
	write_text(path, "[local]\nkind = eforms\nurl = feeds\n");
	snprintf(path, sizeof path, "%s/firms.csv", dir);
	write_text(path, firms_csv);
	return tl_run(dir, now, "firm import -c tenderlots.conf firms.csv") == 0 ?
	       0 : -1;
}

/*
 * The DOM Chromium ends with (the page a submitted form led to), read
 * from files in dir; NULL if the page has no head or body, or Chromium
 * failed. The caller frees it.
 */
static inline char *
browser_dom(const char *project, const char *dir, const char *page,
	    const char *base, const char *script)
{
	const char *head = strstr(page, "<head>"), *body = strstr(page, "</body>");
	char path[PATH_MAX + 16], dom[PATH_MAX + 16], cmd[PATH_MAX * 4];
	struct buf html;

	if (!head || !body)
		return NULL;
	buf_init(&html, 0);
	buf_add(&html, page, (size_t)(head - page) + 6);
	buf_printf(&html, "<base href=\"%s/\">", base);
	buf_add(&html, head + 6, (size_t)(body - head - 6));
	buf_adds(&html, script);
	buf_adds(&html, body);
	snprintf(path, sizeof path, "%s/fill.html", dir);
	snprintf(dom, sizeof dom, "%s/dom.html", dir);
	write_text(path, buf_str(&html));
	buf_release(&html);
	snprintf(cmd, sizeof cmd, "sh '%s/tests/report_shot.sh' --dom '%s' > '%s'",
		 project, path, dom);
	return system(cmd) == 0 ? read_text(dom) : NULL;
}

#endif
