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
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
	const struct timespec pause = { 0, 20L * 1000 * 1000 };
	char *text;
	int i, status;

	make_tmpdir(s->dir, "tenderlots-httpd");
	snprintf(s->port_file, sizeof s->port_file, "%s/port", s->dir);
	snprintf(s->log_file, sizeof s->log_file, "%s/requests.log", s->dir);
	s->port = 0;
	fflush(NULL);
	if ((s->pid = fork()) < 0) {
		perror("fork");
		rm_rf(s->dir);
		return -1;
	}
	if (s->pid == 0) {
		/* The server must not outlive a test that crashed, nor hold the
		 * test's output open. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execl("/usr/bin/python3", "python3", "tests/httpd.py",
		      "--port-file", s->port_file, "--root", root,
		      "--log", s->log_file, (char *)NULL);
		perror("/usr/bin/python3");
		_exit(127);
	}
	for (i = 0; i < 250; i++) {
		if ((text = read_text(s->port_file))) {
			s->port = atoi(text);
			free(text);
			return 0;
		}
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = -1;
			break;
		}
		nanosleep(&pause, NULL);
	}
	fprintf(stderr, "tests/httpd.py did not start\n");
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, &status, 0);
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
	int status = 0;

	if (kill(s->pid, SIGTERM) < 0 ||
	    waitpid(s->pid, &status, 0) != s->pid)
		status = -1;
	rm_rf(s->dir);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

#endif
