#ifndef TENDERLOTS_TESTUTIL_H
#define TENDERLOTS_TESTUTIL_H

/*
 * Helpers shared by the test programs: temporary directories, files,
 * capturing what a function prints on stderr, running commands.
 * Include after test.h; define _XOPEN_SOURCE 700 first (nftw).
 */
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

static inline int
testutil_rm_entry(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void
rm_rf(const char *dir)
{
	nftw(dir, testutil_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* How many files a directory holds (a Maildir's new/); -1 if none. */
static inline int
count_files(const char *dir)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	if (!(d = opendir(dir)))
		return -1;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/*
 * Waits up to ten seconds for dir to hold more than n files: mails that
 * another process delivers in its own time. The count it found.
 */
static inline int
await_files(const char *dir, int n)
{
	const struct timespec pause = { 0, 20L * 1000 * 1000 };
	int i, now = count_files(dir);

	for (i = 0; i < 500 && now <= n; i++) {
		nanosleep(&pause, NULL);
		now = count_files(dir);
	}
	return now;
}

/* Makes a new temporary directory; its real path goes into dir. */
static inline void
make_tmpdir(char dir[PATH_MAX], const char *prefix)
{
	char templ[PATH_MAX];

	snprintf(templ, sizeof templ, "/tmp/%s.XXXXXX", prefix);
	if (!mkdtemp(templ) || !realpath(templ, dir)) {
		perror("mkdtemp");
		exit(2);
	}
}

static inline void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
}

/* The whole file, NUL-terminated, and its length; NULL if unreadable. */
static inline char *
read_bytes(const char *path, size_t *len)
{
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	buf_init(&b, 64u << 20);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, len);
}

static inline char *
read_text(const char *path)
{
	return read_bytes(path, NULL);
}

/* The text of the file name in dir (a test's out.txt, err.txt). */
static inline char *
read_in(const char *dir, const char *name)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return read_text(path);
}

/* What a file descriptor received between capture_start and capture_end. */
struct capture {
	int fd;
	int saved;
	FILE *file;
};

static inline void
capture_start(struct capture *c, int fd)
{
	fflush(NULL);
	c->fd = fd;
	c->file = tmpfile();
	c->saved = dup(fd);
	if (!c->file || c->saved < 0 || dup2(fileno(c->file), fd) < 0) {
		perror("capture");
		exit(2);
	}
}

static inline char *
capture_end(struct capture *c)
{
	struct buf b;
	char chunk[4096];
	size_t n;

	fflush(NULL);
	dup2(c->saved, c->fd);
	close(c->saved);
	buf_init(&b, 1u << 20);
	rewind(c->file);
	while ((n = fread(chunk, 1, sizeof chunk, c->file)) > 0)
		buf_add(&b, chunk, n);
	fclose(c->file);
	return buf_detach(&b, NULL);
}

/*
 * What tests/SCRIPT.py under project prints for args (shell words), kept
 * in a file in dir; NULL if it failed.
 */
static inline char *
pycheck(const char *project, const char *script, const char *args,
	const char *dir)
{
	char cmd[PATH_MAX * 4 + 1024], out[PATH_MAX + 32];

	snprintf(out, sizeof out, "%s/%s.txt", dir, script);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/tests/%s.py' %s "
		 "> '%s'", project, script, args, out);
	if (system(cmd) != 0)
		return NULL;
	return read_text(out);
}

/*
 * The mails that files names (a shell word: a path, a glob, a $(...)) as
 * tests/mailcheck.py reads them with Python's email package.
 */
static inline char *
mailcheck(const char *project, const char *files, const char *dir)
{
	return pycheck(project, "mailcheck", files, dir);
}

/*
 * A CSV or .xlsx report (a path without quotes) as tests/sheetcheck.py
 * reads it with Python's csv module or openpyxl, a line per row.
 */
static inline char *
sheetcheck(const char *project, const char *file, const char *dir)
{
	char arg[PATH_MAX * 2 + 3];

	snprintf(arg, sizeof arg, "'%s'", file);
	return pycheck(project, "sheetcheck", arg, dir);
}

/*
 * The mail sent to rcpt that contains needle, cut out of mailcheck's
 * listing all; NULL if there is none. The caller frees it.
 */
static inline char *
mail_to(const char *all, const char *rcpt, const char *needle)
{
	char key[256], *mail;
	const char *start, *end, *p;

	snprintf(key, sizeof key, "header To: %s\n", rcpt);
	for (p = all; p && (p = strstr(p, key)); p = end) {
		start = p;
		while (start > all && strncmp(start, "file: ", 6) != 0)
			start--;
		end = strstr(p, "\n.\n");
		end = end ? end + 3 : p + strlen(p);
		mail = strndup(start, (size_t)(end - start));
		if (!mail || strstr(mail, needle))
			return mail;
		free(mail);
	}
	return NULL;
}

/*
 * The DOM headless Chromium (tests/report_shot.sh under project) builds of
 * the page at url, through files in dir; NULL if it failed. With a script,
 * a person's hands: the page as served is opened again from a file, with
 * a <base> for its links and the script at its end (pages send a
 * Content-Security-Policy that allows no script), and the script fills in
 * and submits its form; the DOM is then that of the page the form led to.
 */
static inline char *
browser_dom(const char *project, const char *dir, const char *url,
	    const char *script)
{
	char cmd[PATH_MAX * 4 + 2048], page[PATH_MAX + 16], fill[PATH_MAX + 16];
	char *html, *head, *end;
	struct buf b, base;
	int tries;

	snprintf(page, sizeof page, "%s/dom.html", dir);
	snprintf(cmd, sizeof cmd, "sh '%s/tests/report_shot.sh' --dom '%s' > '%s'",
		 project, url, page);
	if (system(cmd) != 0 || !(html = read_text(page)))
		return NULL;
	if (!script)
		return html;
	head = strstr(html, "<head>");
	end = head ? strstr(head, "</body>") : NULL;
	if (!end) {
		free(html);
		return NULL;
	}
	buf_init(&b, 0);
	buf_init(&base, 0);
	buf_printf(&base, "<base href=\"%s\">", url);
	buf_add(&b, html, (size_t)(head - html) + 6);
	buf_adds(&b, buf_str(&base));
	buf_add(&b, head + 6, (size_t)(end - head - 6));
	buf_printf(&b, "<script>\n%s\n</script>\n%s", script, end);
	free(html);
	snprintf(fill, sizeof fill, "%s/fill.html", dir);
	write_text(fill, buf_str(&b));
	buf_release(&b);
	snprintf(cmd, sizeof cmd, "sh '%s/tests/report_shot.sh' --dom '%s' > '%s'",
		 project, fill, page);
	/*
	 * A browser starved of CPU can end its time budget before the form's
	 * request even leaves, still on the filled-in page (its <base> tells
	 * it): that is no answer of the server's, so it tries again.
	 */
	for (tries = 1;; tries++) {
		html = system(cmd) == 0 ? read_text(page) : NULL;
		if (!html || !strstr(html, buf_str(&base)) || tries == 3)
			break;
		free(html);
	}
	buf_release(&base);
	return html;
}

/*
 * tests/fixtures/bounce/name under project, written to dest with its
 * placeholders filled in: @@TO@@ the address it came back to, @@RCPT@@
 * the firm's address, @@SUBJECT@@ an unsubscribe mail's subject (none
 * may hold a '|'). 0, or -1 if it could not be written.
 */
static inline int
bounce_fixture(const char *project, const char *name, const char *to,
	       const char *rcpt, const char *subject, const char *dest)
{
	char cmd[PATH_MAX * 4];

	snprintf(cmd, sizeof cmd, "sed -e 's|@@TO@@|%s|g' -e 's|@@RCPT@@|%s|g' "
		 "-e 's|@@SUBJECT@@|%s|g' '%s/tests/fixtures/bounce/%s' > '%s'",
		 to, rcpt, subject, project, name, dest);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * The pages a browser session of steps (tests/browser.py under project)
 * went through, run in dir, each after "== URL"; NULL if it failed.
 */
static inline char *
browser_steps(const char *project, const char *dir, const char *steps)
{
	char path[PATH_MAX + 16], cmd[PATH_MAX * 4];

	snprintf(path, sizeof path, "%s/steps.txt", dir);
	write_text(path, steps);
	snprintf(cmd, sizeof cmd, "cd '%s' && /usr/bin/python3 '%s/tests/browser.py'"
		 " steps.txt pages.txt", dir, project);
	if (system(cmd) != 0)
		return NULL;
	snprintf(path, sizeof path, "%s/pages.txt", dir);
	return read_text(path);
}

#endif
