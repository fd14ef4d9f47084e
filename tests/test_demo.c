/*
 * The bundled demo as the README tells it, each time in a copy of
 * config/, feeds/ and templates/: `make run` (tools/demo.sh, which the
 * Makefile runs) prints the README's summary on any day; `config check`
 * refuses a public_url mails cannot be built with; and the README's web
 * demo, step by step as written, with headless Chromium as the person:
 * public_url on the loopback, `make run web`, the start page, a link of
 * an alert, the subscription form filled in and sent by the browser, the
 * confirmation mail read from the Maildir with Python's email package,
 * its link opened and its button pressed, the firm confirmed in the
 * database.
 */
#define _XOPEN_SOURCE 700

#include <sys/wait.h>

#include "test.h"
#include "testutil.h"
#include "testdb.h"
#include "testserver.h"
#include "testweb.h"

/* Days far from the sample week, before and years after it. */
#define BEFORE "2026-02-15T12:00:00Z"
#define AFTER "2031-07-01T12:00:00Z"

static char project[PATH_MAX];
static const char *bin;

/*
 * The first indented block of the README after the text marker, the
 * indent removed: a summary or commands as the README shows them.
 */
static char *
readme_block(const char *marker)
{
	char path[PATH_MAX + 16], *text, *p, *end;
	struct buf b;

	snprintf(path, sizeof path, "%s/README.md", project);
	text = read_text(path);
	p = text ? strstr(text, marker) : NULL;
	p = p ? strstr(p, "\n    ") : NULL;
	if (!p) {
		free(text);
		return NULL;
	}
	buf_init(&b, 0);
	for (p++; strncmp(p, "    ", 4) == 0; p = *end ? end + 1 : end) {
		end = p + strcspn(p, "\n");
		buf_add(&b, p + 4, (size_t)(end - p - 4));
		buf_addc(&b, '\n');
	}
	free(text);
	return buf_detach(&b, NULL);
}

/* A directory holding what the demo reads, as the project has it. */
static void
copy_demo(char dir[PATH_MAX], const char *prefix)
{
	char cmd[PATH_MAX * 5];

	make_tmpdir(dir, prefix);
	snprintf(cmd, sizeof cmd, "cp -R '%s/config' '%s/feeds' '%s/templates' "
		 "'%s/'", project, project, project, dir);
	CHECK(system(cmd) == 0);
}

/* A shell command in dir, its output in dir/out.txt and err.txt. */
static int
sh_in(const char *dir, const char *command)
{
	char cmd[PATH_MAX * 3 + 2048];
	int st;

	snprintf(cmd, sizeof cmd, "cd '%s' && { %s; } >out.txt 2>err.txt", dir,
		 command);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* `make TARGET` as the Makefile runs it: tools/demo.sh, in dir. */
static int
demo(const char *dir, const char *target)
{
	char cmd[PATH_MAX * 2 + 64];

	snprintf(cmd, sizeof cmd, "sh '%s/tools/demo.sh' %s '%s'", project,
		 target, bin);
	return sh_in(dir, cmd);
}

static char *
file_in(const char *dir, const char *name)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return read_text(path);
}

/* `make run` today, or any day: the pass the README shows. */
static void
test_summary_any_day(void)
{
	static const char *const days[] = { BEFORE, AFTER };
	char dir[PATH_MAX], *want, *out, *from, *to;
	size_t i;

	want = readme_block("`make run` imports");
	CHECK(want && strncmp(want, "feeds:", 6) == 0 && strstr(want, "\nmails:"));
	for (i = 0; want && i < sizeof days / sizeof days[0]; i++) {
		setenv("TENDERLOTS_NOW", days[i], 1);
		copy_demo(dir, "test_demo");
		CHECK(demo(dir, "run") == 0);
		out = file_in(dir, "out.txt");
		from = out ? strstr(out, "feeds:") : NULL;
		to = from ? strstr(from, "\nmails:") : NULL;
		to = to ? strchr(to + 1, '\n') : NULL;
		if (to)
			to[1] = '\0';
		CHECK_STR(from, want);
		free(out);
		/* and the report up to the sample week, not an empty year */
		out = file_in(dir, "var/report.html");
		CHECK(out && strstr(out, "2025-10-01 – 2026-11-25."));
		free(out);
		rm_rf(dir);
	}
	free(want);
}

/* The line of config/tenderlots.conf that sets public_url. */
static int
public_url_line(const char *dir)
{
	char *text = file_in(dir, "config/tenderlots.conf"), *p;
	int line = 1;

	for (p = text; p && *p && strncmp(p, "public_url =", 12) != 0; p++)
		if (*p == '\n')
			line++;
	line = p && *p ? line : 0;
	free(text);
	return line;
}

/* `config check` refuses what mails cannot be built with, naming where. */
static void
test_config_check(void)
{
	char dir[PATH_MAX], cmd[PATH_MAX + 256], want[256], *err;

	copy_demo(dir, "test_demo");
	snprintf(cmd, sizeof cmd, "sed -i 's|^public_url = .*|public_url = "
		 "http://upphandling.exempelkommun.se|' config/tenderlots.conf && "
		 "'%s' config check", bin);
	CHECK(sh_in(dir, cmd) == 1);
	err = file_in(dir, "err.txt");
	snprintf(want, sizeof want, "error: config/tenderlots.conf:%d: [service] "
		 "public_url: 'http://upphandling.exempelkommun.se' is plain http "
		 "to a public host", public_url_line(dir));
	CHECK(err && strstr(err, want));
	free(err);
	rm_rf(dir);
}

static int
count_mails(const char *dir)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof path, "%s/var/mail/new", dir);
	return count_files(path);
}

/*
 * Chromium opens the first link in mail that starts with base and path,
 * and runs script there if there is one: the DOM it built, or NULL.
 */
static char *
open_link(const char *dir, const char *mail, const char *base,
	  const char *path, const char *script)
{
	char prefix[256], url[1024];
	const char *p;
	size_t n;

	snprintf(prefix, sizeof prefix, "%s%s", base, path);
	p = mail ? strstr(mail, prefix) : NULL;
	n = p ? strcspn(p, " \n>\"") : 0;
	if (!p || n >= sizeof url)
		return NULL;
	memcpy(url, p, n);
	url[n] = '\0';
	return browser_dom(project, dir, url, script);
}

/* The heading of a page, so a failing check shows where the browser got. */
static const char *
heading(const char *dom, char *out, size_t len)
{
	const char *p = dom ? strstr(dom, "<h1>") : NULL;
	size_t n = p ? strcspn(p + 4, "<") : 0;

	if (!p || n >= len)
		return dom ? "(no heading)" : "(no page)";
	memcpy(out, p + 4, n);
	out[n] = '\0';
	return out;
}

static const char fill_in[] =
	"var f = document.forms[0];\n"
	"f.orgnr.value = '556987-1238';\n"
	"f.elements['name'].value = 'Vintervägar i Väst AB';\n"
	"f.email.value = 'info@vintervagar.example';\n"
	"f.querySelector('input[name=category][value=snorojning]').checked = true;\n"
	"f.querySelector('input[name=region][value=SE232]').checked = true;\n"
	"f.submit();";

static const char press_button[] = "document.querySelector('form button').click();";

/*
 * Runs the README's steps of the web demo in dir: its commands as
 * written, but the port the test picked for 8080, and `make TARGET` as
 * the Makefile runs it. The web endpoint's pid and address go to *web.
 */
static void
follow_readme(const char *dir, int port, struct web_server *web)
{
	char *steps = readme_block("To try it on the bundled demo");
	char *line, *next, *at, cmd[PATH_MAX * 2 + 512];
	const char *target;
	size_t n;

	CHECK(steps && strstr(steps, "make run web\n"));
	for (line = steps; line && *line; line = next) {
		next = strchr(line, '\n');
		*next++ = '\0';
		if (strncmp(line, "make ", 5) != 0) {
			at = strstr(line, "127.0.0.1:8080");
			if (at)
				snprintf(cmd, sizeof cmd, "%.*s127.0.0.1:%d%s",
					 (int)(at - line), line, port, at + 14);
			else
				snprintf(cmd, sizeof cmd, "%s", line);
			CHECK(sh_in(dir, cmd) == 0);
			continue;
		}
		for (target = line + 5; *target; target += n + (target[n] == ' ')) {
			n = strcspn(target, " ");
			if (strncmp(target, "run", n) == 0 && n == 3) {
				CHECK(demo(dir, "run") == 0);
			} else if (strncmp(target, "web", n) == 0 && n == 3) {
				snprintf(cmd, sizeof cmd, "exec sh '%s/tools/demo.sh' "
					 "web '%s'", project, bin);
				CHECK(web_server_run(web, dir, cmd) == 0);
			} else {
				fprintf(stderr, "  unknown target in: %s\n", line);
				CHECK(0);
			}
		}
	}
	free(steps);
}

static void
test_web_demo(void)
{
	char dir[PATH_MAX], url[1024], files[PATH_MAX + 64];
	char want[128], db[PATH_MAX + 32], h1[256], *text, *mail;
	struct web_server web = { .pid = -1 };
	const char *base = web.base;
	int port = test_closed_port(), i, before;

	CHECK(access("/usr/bin/chromium", X_OK) == 0);
	/* a day years after the sample week */
	setenv("TENDERLOTS_NOW", AFTER, 1);
	copy_demo(dir, "test_demo_web");
	snprintf(want, sizeof want, "\n[staff]\nport = 0\n[web]\nport = %d\n",
		 port);
	snprintf(files, sizeof files, "printf '%%s' '%s' >> config/tenderlots.conf",
		 want);
	CHECK(sh_in(dir, files) == 0);
	/* what a user did before: a run with the links elsewhere, gone now */
	CHECK(demo(dir, "run") == 0);

	follow_readme(dir, port, &web);
	snprintf(want, sizeof want, "http://127.0.0.1:%d", port);
	CHECK_STR(base, want);
	text = file_in(dir, "config/tenderlots.conf");
	snprintf(want, sizeof want, "\npublic_url = http://127.0.0.1:%d\n", port);
	CHECK(text && strstr(text, want));
	free(text);
	snprintf(files, sizeof files, "'%s' config check", bin);
	CHECK(sh_in(dir, files) == 0);
	before = count_mails(dir);
	CHECK(before == 22);

	/* the alerts lead to the demo, and mailto: is their way out */
	snprintf(files, sizeof files, "'%s'/var/mail/new/*", dir);
	mail = mailcheck(project, files, dir);
	CHECK(mail && strstr(mail, "\nheader List-Unsubscribe:  <mailto:"));
	CHECK(mail && !strstr(mail, "List-Unsubscribe:  <http"));
	CHECK(mail && !strstr(mail, "List-Unsubscribe-Post"));
	text = open_link(dir, mail, base, "/manage/", NULL);
	free(mail);
	CHECK_STR(heading(text, h1, sizeof h1), "Er prenumeration");
	free(text);

	/* the start page, with the open RFI of the sample week */
	snprintf(url, sizeof url, "%s/", base);
	text = browser_dom(project, dir, url, NULL);
	CHECK(text && strstr(text, "href=\"/subscribe\""));
	CHECK(text && strstr(text, "Snöröjning och halkbekämpning"));
	free(text);

	snprintf(url, sizeof url, "%s/subscribe", base);
	text = browser_dom(project, dir, url, fill_in);
	CHECK_STR(heading(text, h1, sizeof h1), "Kolla er e-post");
	free(text);
	/* the web endpoint delivers the confirmation within seconds */
	for (i = 0; i < 100 && count_mails(dir) == before; i++)
		nanosleep(&(struct timespec){ 0, 100L * 1000 * 1000 }, NULL);
	CHECK(count_mails(dir) > before);
	snprintf(files, sizeof files, "\"$(ls -t '%s'/var/mail/new/* | head -n 1)\"",
		 dir);
	mail = mailcheck(project, files, dir);
	CHECK(mail && strstr(mail, "\nheader To: info@vintervagar.example\n"));
	text = open_link(dir, mail, base, "/confirm/", press_button);
	free(mail);
	CHECK_STR(heading(text, h1, sizeof h1), "Prenumerationen är bekräftad");
	free(text);
	snprintf(db, sizeof db, "%s/var/tenderlots.db", dir);
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE orgnr = '556987-1238'"
		       " AND confirmed_at IS NOT NULL AND consent_source = 'web'") == 1);
	CHECK(web.pid > 0 && web_server_stop(&web) == 0);
	rm_rf(dir);
}

int
main(void)
{
	if (!getcwd(project, sizeof project))
		return 2;
	bin = getenv("TENDERLOTS_BIN");
	if (!bin)
		bin = "build/tenderlots";
	RUN(test_summary_any_day);
	RUN(test_config_check);
	RUN(test_web_demo);
	return test_done("demo");
}
