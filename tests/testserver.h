#ifndef TENDERLOTS_TESTSERVER_H
#define TENDERLOTS_TESTSERVER_H

/*
 * Running a server from a C test: a Python test server (tests/httpd.py,
 * tests/smtpd.py), started with its argument vector, writes the port it
 * listens on to a file once it is ready; `tenderlots web` prints its
 * address. Include after testutil.h.
 */
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

/*
 * Starts /usr/bin/python3 with argv and waits up to 5 s for port_file.
 * -1 if the server did not come up; it is then gone.
 */
static inline int
test_server_spawn(char *const argv[], const char *port_file, pid_t *pid,
		  int *port)
{
	const struct timespec pause = { 0, 20L * 1000 * 1000 };
	char *text;
	int i, status;

	*port = 0;
	fflush(NULL);
	if ((*pid = fork()) < 0) {
		perror("fork");
		return -1;
	}
	if (*pid == 0) {
		/* The server must not outlive a test that crashed, nor hold the
		 * test's output open. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execv("/usr/bin/python3", argv);
		perror("/usr/bin/python3");
		_exit(127);
	}
	for (i = 0; i < 250; i++) {
		if ((text = read_text(port_file))) {
			*port = atoi(text);
			free(text);
			return 0;
		}
		if (waitpid(*pid, &status, WNOHANG) == *pid) {
			*pid = -1;
			break;
		}
		nanosleep(&pause, NULL);
	}
	fprintf(stderr, "%s did not start\n", argv[1]);
	if (*pid > 0) {
		kill(*pid, SIGKILL);
		waitpid(*pid, &status, 0);
	}
	return -1;
}

/* Stops the server with SIGTERM; 0 if it exited cleanly. */
static inline int
test_server_stop(pid_t pid)
{
	int status = 0;

	if (kill(pid, SIGTERM) < 0 || waitpid(pid, &status, 0) != pid)
		status = -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* A loopback port nothing listens on: a server that is down. */
static inline int
test_closed_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	int fd, port = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/*
 * A loopback port that takes connections and never says a word: a relay
 * that hangs. The kernel completes the handshakes into the backlog; the
 * caller closes *fd when done. -1 if it cannot.
 */
static inline int
test_silent_port(int *fd)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	int port = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*fd = socket(AF_INET, SOCK_STREAM, 0);
	if (*fd >= 0 && bind(*fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    listen(*fd, 64) == 0 &&
	    getsockname(*fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	return port;
}

#endif
