#ifndef TENDERLOTS_TEST_SMTPD_H
#define TENDERLOTS_TEST_SMTPD_H

/*
 * Runs tests/smtpd.py, the loopback SMTP server with fault modes (its
 * docstring lists them and the log format), for a program started from
 * the project root:
 *
 *	struct smtpd srv;
 *
 *	if (smtpd_start(&srv, &(struct smtpd_options){ .mode = "normal" }) < 0)
 *		exit(2);
 *	... send to 127.0.0.1:srv.port ...
 *	smtpd_mode(&srv, "tempfail 1");	(from the next command on)
 *	smtpd_count(&srv) messages saved, smtpd_message(&srv, 1) the first,
 *	smtpd_log(&srv) the log so far (free() both)
 *	CHECK(smtpd_stop(&srv) == 0);
 *
 * A server that is down is a port nobody listens on: test_closed_port(),
 * and later smtpd_start() with that .port brings it up.
 *
 * Include after test.h and testutil.h (so define _XOPEN_SOURCE 700 first).
 */
#include <dirent.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testserver.h"
#include "testutil.h"

struct smtpd {
	pid_t pid;
	int port;
	char dir[PATH_MAX];		/* everything below is in here */
	char port_file[PATH_MAX + 16];
	char log_file[PATH_MAX + 16];
	char control[PATH_MAX + 16];
	char mail[PATH_MAX + 16];	/* the saved messages: 1, 2, ... */
};

struct smtpd_options {
	int port;		/* 0: a free one */
	const char *mode;	/* NULL: "normal" */
	const char *auth_file;	/* require AUTH with these credentials */
	const char *tls_cert;	/* offer STARTTLS with this certificate */
	const char *tls_key;
	/*
	 * Keep no messages, no log and no control file (the mode stays as
	 * started): for the benchmark, where the server's own file work
	 * would be most of what is measured.
	 */
	int discard;
};

/* Starts the server; -1 if it is not listening within 5 s. */
static inline int
smtpd_start(struct smtpd *s, const struct smtpd_options *o)
{
	const char *argv[24], *mode = o->mode ? o->mode : "normal";
	char portarg[16];
	int n = 0;

	make_tmpdir(s->dir, "tenderlots-smtpd");
	snprintf(s->port_file, sizeof s->port_file, "%s/port", s->dir);
	snprintf(s->log_file, sizeof s->log_file, "%s/smtp.log", s->dir);
	snprintf(s->control, sizeof s->control, "%s/mode", s->dir);
	snprintf(s->mail, sizeof s->mail, "%s/mail", s->dir);
	snprintf(portarg, sizeof portarg, "%d", o->port);
	if (mkdir(s->mail, 0700) < 0) {
		perror(s->mail);
		return -1;
	}
	write_text(s->control, mode);
	argv[n++] = "python3";
	argv[n++] = "tests/smtpd.py";
	argv[n++] = "--port-file";
	argv[n++] = s->port_file;
	argv[n++] = "--dir";
	argv[n++] = s->mail;
	argv[n++] = "--port";
	argv[n++] = portarg;
	if (o->auth_file) {
		argv[n++] = "--auth-file";
		argv[n++] = o->auth_file;
	}
	if (o->tls_cert) {
		argv[n++] = "--tls-cert";
		argv[n++] = o->tls_cert;
		argv[n++] = "--tls-key";
		argv[n++] = o->tls_key;
	}
	if (o->discard) {
		argv[n++] = "--discard";
		argv[n++] = "--mode";
		argv[n++] = mode;
	} else {
		argv[n++] = "--log";
		argv[n++] = s->log_file;
		argv[n++] = "--control";
		argv[n++] = s->control;
	}
	argv[n] = NULL;
	if (test_server_spawn((char *const *)argv, s->port_file, &s->pid,
			      &s->port) == 0)
		return 0;
	rm_rf(s->dir);
	return -1;
}

/* The mode from the server's next connection or command on. */
static inline void
smtpd_mode(const struct smtpd *s, const char *mode)
{
	char tmp[PATH_MAX + 32];

	/* renamed into place: the server never reads half a mode */
	snprintf(tmp, sizeof tmp, "%s.tmp", s->control);
	write_text(tmp, mode);
	if (rename(tmp, s->control) < 0) {
		perror(s->control);
		exit(2);
	}
}

/* The server's log so far; the caller frees it. */
static inline char *
smtpd_log(const struct smtpd *s)
{
	return read_text(s->log_file);
}

/* How many messages the server has saved. */
static inline int
smtpd_count(const struct smtpd *s)
{
	struct dirent *e;
	DIR *d = opendir(s->mail);
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.' && !strstr(e->d_name, ".tmp");
	if (d)
		closedir(d);
	return n;
}

/* Saved message number n (1, 2, ...) as received; the caller frees it. */
static inline char *
smtpd_message(const struct smtpd *s, int n)
{
	char path[PATH_MAX + 48];

	snprintf(path, sizeof path, "%s/%d", s->mail, n);
	return read_text(path);
}

/* How many saved messages hold needle. */
static inline int
smtpd_saved_with(const struct smtpd *s, const char *needle)
{
	int i, n = 0, total = smtpd_count(s);
	char *msg;

	for (i = 1; i <= total; i++) {
		msg = smtpd_message(s, i);
		n += msg && strstr(msg, needle) != NULL;
		free(msg);
	}
	return n;
}

/*
 * Saved message n as tests/lettercheck.py (Python's email and icalendar
 * packages) reads it, for a program run from the project root; NUL-free
 * text, the caller frees it.
 */
static inline char *
smtpd_letter(const struct smtpd *srv, int n)
{
	char cmd[PATH_MAX * 3], out[PATH_MAX + 32];

	snprintf(out, sizeof out, "%s/letter.txt", srv->dir);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 tests/lettercheck.py "
		 "'%s/%d' > '%s'", srv->mail, n, out);
	if (system(cmd) != 0)
		return NULL;
	return read_text(out);
}

/* The saved message to rcpt that holds needle, read back; NULL if none. */
static inline char *
smtpd_letter_to(const struct smtpd *srv, const char *rcpt, const char *needle)
{
	char to[256];
	char *text;
	int i;

	snprintf(to, sizeof to, "to: %s\n", rcpt);
	for (i = 1; i <= smtpd_count(srv); i++) {
		text = smtpd_letter(srv, i);
		if (text && strstr(text, to) && strstr(text, needle))
			return text;
		free(text);
	}
	return NULL;
}

/* Stops the server with SIGTERM and removes its files; 0 if it exited
   cleanly. */
static inline int
smtpd_stop(struct smtpd *s)
{
	int rc = test_server_stop(s->pid);

	rm_rf(s->dir);
	return rc;
}

/* A self-signed certificate for localhost, and its key; -1 on failure. */
static inline int
smtpd_make_cert(const char *cert, const char *key)
{
	char cmd[PATH_MAX * 3];

	snprintf(cmd, sizeof cmd,
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256"
		 " -nodes -days 2 -subj /CN=localhost"
		 " -addext subjectAltName=DNS:localhost"
		 " -keyout '%s' -out '%s' 2>/dev/null", key, cert);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * The mails the relay took since *read of them were read, as Python's
 * email package reads them (tests/mailcheck.py under project, its output
 * kept in dir); "" for none, NULL if reading failed.
 */
static inline char *
smtpd_new_mails(struct smtpd *s, int *read, const char *project,
		const char *dir)
{
	struct buf files;
	char *all;
	int n = smtpd_count(s);

	if (n == *read)
		return strdup("");
	buf_init(&files, 1u << 16);
	for (; *read < n; (*read)++)
		buf_printf(&files, " '%s/%d'", s->mail, *read + 1);
	all = mailcheck(project, buf_str(&files), dir);
	buf_release(&files);
	return all;
}

#endif
