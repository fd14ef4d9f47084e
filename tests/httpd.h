#ifndef TENDERLOTS_TEST_HTTPD_H
#define TENDERLOTS_TEST_HTTPD_H

/*
 * Runs tests/httpd.py, the scriptable loopback HTTP server (its docstring
 * lists the paths), for a test program started from the project root:
 *
 *	struct httpd srv;
 *	char url[HTTPD_URL_MAX];
 *
 *	if (httpd_start("tests/fixtures/eforms", &srv) < 0)
 *		exit(2);
 *	... fetch httpd_url(&srv, "/cn_24_minimal.xml", url) ...
 *	log = httpd_log(&srv);		(free() it)
 *	CHECK(httpd_stop(&srv) == 0);
 *
 * Include after test.h and testutil.h (so define _XOPEN_SOURCE 700 first).
 */
#include <limits.h>
#include <stdio.h>

#include "testserver.h"
#include "testutil.h"

#define HTTPD_URL_MAX 2048

struct httpd {
	pid_t pid;
	int port;
	char dir[PATH_MAX];		/* the port file and the request log */
	char port_file[PATH_MAX + 16];
	char log_file[PATH_MAX + 16];
};

/* Starts the server on a free port serving root; -1 if it is not
   listening within 5 s. */
static inline int
httpd_start(const char *root, struct httpd *s)
{
	make_tmpdir(s->dir, "tenderlots-httpd");
	snprintf(s->port_file, sizeof s->port_file, "%s/port", s->dir);
	snprintf(s->log_file, sizeof s->log_file, "%s/requests.log", s->dir);
	{
		char *const argv[] = {
			"python3", "tests/httpd.py", "--port-file", s->port_file,
			"--root", (char *)root, "--log", s->log_file, NULL
		};

		if (test_server_spawn(argv, s->port_file, &s->pid, &s->port) == 0)
			return 0;
	}
	rm_rf(s->dir);
	return -1;
}

/* "http://127.0.0.1:PORT" followed by path, in buf; returns buf. */
static inline char *
httpd_url(const struct httpd *s, const char *path, char buf[HTTPD_URL_MAX])
{
	snprintf(buf, HTTPD_URL_MAX, "http://127.0.0.1:%d%s", s->port, path);
	return buf;
}

/* The request log so far, one line per request (see tests/httpd.py);
   the caller frees it. NULL if it cannot be read. */
static inline char *
httpd_log(const struct httpd *s)
{
	return read_text(s->log_file);
}

/* Stops the server with SIGTERM; 0 if it exited cleanly. */
static inline int
httpd_stop(struct httpd *s)
{
	int rc = test_server_stop(s->pid);

	rm_rf(s->dir);
	return rc;
}

#endif
