#ifndef TENDERLOTS_TESTWEB_H
#define TENDERLOTS_TESTWEB_H

/*
 * The web endpoint from a test: the binary (TENDERLOTS_BIN) run in a test
 * directory, `tenderlots web` started there on the port it prints, and
 * requests to it over libcurl. Include after test.h and testutil.h.
 */
#include <curl/curl.h>
#include <signal.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#include "buf.h"
#include "testutil.h"

/*
 * Writes dir/name: a configuration with the database var/t.db, the
 * Maildir var/mail and more [mail] lines mail, the project's templates
 * and categories, the feed feeds.conf, [staff] port = 0 (the staff's
 * listener), and [web] port = 0 with the lines web.
 */
static inline void
web_config(const char *dir, const char *project, const char *name,
	   const char *mail, const char *web)
{
	char text[PATH_MAX * 4], path[PATH_MAX * 2];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(text, sizeof text,
		 "[database]\npath = var/t.db\n"
		 "[mail]\nmaildir = var/mail\ntemplates = %s/templates\n%s"
		 "[feeds]\nfile = feeds.conf\n"
		 "[categories]\nfile = %s/config/categories.conf\n"
		 "[service]\nsecret_file = var/secret\n"
		 "[staff]\nport = 0\n"
		 "[web]\nport = 0\n%s", project, mail, project, web);
	write_text(path, text);
}

/* Runs the binary with args in dir, its output in out.txt and err.txt. */
static inline int
tl_run(const char *dir, const char *now, const char *args)
{
	const char *bin = getenv("TENDERLOTS_BIN");
	char cmd[PATH_MAX * 3];
	int st;

	snprintf(cmd, sizeof cmd, "cd '%s' && TENDERLOTS_NOW=%s '%s' %s "
		 ">out.txt 2>err.txt", dir, now, bin ? bin : "build/tenderlots",
		 args);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

struct web_server {
	pid_t pid;
	int port;
	char base[80];		/* http://127.0.0.1:PORT, http://[::1]:PORT */
};

/*
 * Starts `tenderlots web` by the shell command cmd in dir, its stdout in
 * dir/web.out, and waits up to 30 s (valgrind takes its time) for the
 * address it prints. -1 if it did not come up; it is then gone.
 */
static inline int
web_server_run(struct web_server *s, const char *dir, const char *cmd)
{
	const struct timespec pause = { 0, 20L * 1000 * 1000 };
	char out[PATH_MAX + 16], *text, *p, *end;
	int i, status;

	snprintf(out, sizeof out, "%s/web.out", dir);
	unlink(out);
	fflush(NULL);
	if ((s->pid = fork()) < 0)
		return -1;
	if (s->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (chdir(dir) < 0 || !freopen(out, "w", stdout))
			_exit(127);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 1500; i++) {
		text = read_text(out);
		p = text ? strstr(text, "listening on http://") : NULL;
		if (p && (end = strchr(p += strlen("listening on "), '\n')) &&
		    end[-1] == '/' && (size_t)(end - p) < sizeof s->base) {
			memcpy(s->base, p, (size_t)(end - p - 1));
			s->base[end - p - 1] = '\0';
			s->port = atoi(strrchr(s->base, ':') + 1);
			free(text);
			return 0;
		}
		free(text);
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = -1;
			return -1;
		}
		nanosleep(&pause, NULL);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &status, 0);
	s->pid = -1;
	return -1;
}

/*
 * Starts `tenderlots -c conf web` in dir at the time now (under make
 * valgrind, under valgrind too); its stderr goes to err (NULL: the
 * test's). -1 if it did not start.
 */
static inline int
web_server_start(struct web_server *s, const char *dir, const char *conf,
		 const char *now, const char *err)
{
	const char *bin = getenv("TENDERLOTS_BIN");
	const char *wrapper = getenv("TENDERLOTS_WRAPPER");
	char cmd[PATH_MAX * 4];

	snprintf(cmd, sizeof cmd, "TENDERLOTS_NOW='%s' exec %s '%s' -c '%s' "
		 "web%s%s%s", now, wrapper ? wrapper : "",
		 bin ? bin : "build/tenderlots", conf, err ? " 2>'" : "",
		 err ? err : "", err ? "'" : "");
	return web_server_run(s, dir, cmd);
}

/* SIGTERM; its exit status, or -1. */
static inline int
web_server_stop(struct web_server *s)
{
	int status;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	if (waitpid(s->pid, &status, 0) != s->pid)
		return -1;
	s->pid = -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct reply {
	long status;
	struct buf headers;
	struct buf body;
};

static inline size_t
collect(char *data, size_t size, size_t n, void *arg)
{
	return buf_add(arg, data, size * n) < 0 ? 0 : size * n;
}

/*
 * A request to url: GET, or a POST of body (len bytes) or of the
 * multipart form fields (name, value, ..., NULL), with one more header
 * line where given. The path goes as written ("//host/x" too). The reply
 * is the caller's to release; status 0 if there was none.
 */
static inline void
fetch_with(const char *url, const char *header, const char *body, size_t len,
	   const char *const *fields, struct reply *r)
{
	CURL *c = curl_easy_init();
	struct curl_slist *headers = NULL;
	curl_mime *mime = NULL;
	curl_mimepart *part;

	buf_init(&r->headers, 1u << 20);
	buf_init(&r->body, 16u << 20);
	r->status = 0;
	if (!c)
		return;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r->headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	}
	if (fields && (mime = curl_mime_init(c))) {
		for (; fields[0] && fields[1]; fields += 2) {
			part = curl_mime_addpart(mime);
			curl_mime_name(part, fields[0]);
			curl_mime_data(part, fields[1], CURL_ZERO_TERMINATED);
		}
		curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
	}
	if (header && (headers = curl_slist_append(NULL, header)))
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_cleanup(c);
	curl_mime_free(mime);
	curl_slist_free_all(headers);
}

static inline void
fetch(const char *url, const char *body, size_t len,
      const char *const *fields, struct reply *r)
{
	fetch_with(url, NULL, body, len, fields, r);
}

static inline void
release(struct reply *r)
{
	buf_release(&r->headers);
	buf_release(&r->body);
}

/* A header line, its name in any case (strcasestr is a GNU extension). */
static inline int
has_header(const struct reply *r, const char *line)
{
	const char *p = buf_str(&r->headers);
	size_t n = strlen(line);

	for (; *p; p++)
		if (strncasecmp(p, line, n) == 0)
			return 1;
	return 0;
}

/* The value of the first name="csrf" input of a page. */
static inline void
csrf_of(const struct reply *r, char *out, size_t len)
{
	const char *p = strstr(buf_str(&r->body), "name=\"csrf\"");
	const char *v, *end;

	out[0] = '\0';
	if (!p || !(v = strstr(p, "value=\"")))
		return;
	v += 7;
	if ((end = strchr(v, '"')) && (size_t)(end - v) < len) {
		memcpy(out, v, (size_t)(end - v));
		out[end - v] = '\0';
	}
}

/* The path of the first link in a mail's text that starts with prefix. */
static inline void
link_in(const char *text, const char *prefix, char *out, size_t len)
{
	const char *p = text ? strstr(text, prefix) : NULL;
	size_t n;

	out[0] = '\0';
	if (!p)
		return;
	p += strlen("https://upphandling.exempelkommun.se");
	n = strcspn(p, " \n>\"");
	if (n < len) {
		memcpy(out, p, n);
		out[n] = '\0';
	}
}

/*
 * The staff's listener's address, "http://127.0.0.1:PORT", from what
 * `tenderlots web` printed into dir/web.out; -1 if it printed none.
 */
static inline int
web_staff_base(const char *dir, char *out, size_t len)
{
	char path[PATH_MAX + 16], *text, *p;
	size_t n;

	snprintf(path, sizeof path, "%s/web.out", dir);
	text = read_text(path);
	p = text ? strstr(text, "staff pages on ") : NULL;
	out[0] = '\0';
	if (p) {
		p += strlen("staff pages on ");
		n = strcspn(p, "\n");
		if (n > 1 && n < len)
			snprintf(out, len, "%.*s", (int)n - 1, p);
	}
	free(text);
	return out[0] ? 0 : -1;
}

#endif
