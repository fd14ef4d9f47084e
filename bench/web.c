/*
 * The web endpoint under load: `tenderlots web` over ten TED days of
 * notices (50,000, made as bench/pass makes them, stored by ten daily
 * passes of `tenderlots run --once`) matched against 2,000 firms, loaded
 * with wrk (bench/web.lua), against nginx serving static copies of the
 * same pages in the same run: / and /notices.atom at 10 and at 100
 * connections. Then the 99th percentile of latency of / at 10
 * connections while firms subscribe, their confirmations going to a mail
 * relay that never answers, against one that does. Last, 500 connections
 * through nginx configured as the README's example (read from the README,
 * without TLS): the 99th percentile against the goal of 100 ms, and the
 * share answered without error.
 *
 * Needs /usr/bin/wrk and /usr/sbin/nginx (the Debian packages wrk and
 * nginx). Only loopback addresses are used; every process started here
 * is stopped, however the benchmark ends.
 */
#define _XOPEN_SOURCE 700

#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "store.h"
#include "../tests/smtpd.h"

#define NOTICES 50000
#define DAYS 10			/* of TED notices, by daily passes */
/* The days up to Wednesday 25 November 2026: the bundled deadlines ahead. */
#define DAY_FMT "2026-11-%02dT08:00:00Z"
#define LAST_DAY 25
#define FIRMS 2000
#define SETUP_LIMIT 300		/* s, for a daily pass */
#define SECONDS 5		/* of each wrk run */
#define THREADS 2		/* of wrk */
#define TIMEOUT 2		/* s: wrk counts a later answer as an error */
#define PROXIED 500		/* connections through nginx */
#define GOAL_MS 100		/* for the 99th percentile through nginx */
#define SUBSCRIBERS 4		/* posting forms at once */
#define FORMS 100		/* each posts at most, FORM_PAUSE_MS apart */
#define FORM_PAUSE_MS 100
#define WRK "/usr/bin/wrk"
#define NGINX "/usr/sbin/nginx"
#define SCRIPT "bench/web.lua"

struct web_bench {
	char dir[64];		/* everything below is in here */
	char project[PATH_MAX];
	char conf[128];
	const char *bin;
	pid_t web, nginx, subscribers[SUBSCRIBERS];
	int tally[2];		/* the subscribers' pipe */
	int web_port, static_port, proxy_port, relay_port;
	int blackhole;		/* the silent relay's socket, or -1 */
};

/* What a subscriber did. */
struct tally {
	int posted, answered;	/* forms; answered 200 */
};

/* What wrk measured, as bench/web.lua reports it. */
struct load {
	long good, errors;
	double seconds, p99_ms;	/* p99_ms: -1 unless asked for */
	int lower_bound;	/* p99_ms is one */
};

/*
 * Told to stop: the benchmark gives up what it waits for and cleans up, a
 * subscriber stops posting.
 */
static volatile sig_atomic_t stopping;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static void
pause_ms(long ms)
{
	const struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Forks a process in a group of its own, told to stop when this one
 * ends, with stdout and stderr into out (unless NULL); 0 in the child.
 */
static pid_t
fork_child(const char *out)
{
	pid_t parent = getpid(), pid;
	int fd;

	fflush(NULL);
	if ((pid = fork()) != 0) {
		if (pid > 0)
			setpgid(pid, pid);
		return pid;
	}
	setpgid(0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
		_exit(127);
	if (out && ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
		    dup2(fd, 1) < 0 || dup2(fd, 2) < 0))
		_exit(127);
	return 0;
}

static pid_t
spawn(char *const argv[], const char *out)
{
	pid_t pid = fork_child(out);

	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Whether pid runs on; not reaped, so its pid and group stay its own. */
static int
running(pid_t pid)
{
	siginfo_t si;

	si.si_pid = 0;
	return waitid(P_PID, (id_t)pid, &si,
		      WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid != pid;
}

/*
 * Waits up to seconds (none once told to stop) for pid to end, then kills
 * it and whatever it left in its group; its exit status, -1 if it had to
 * be killed.
 */
static int
await(pid_t pid, double seconds)
{
	double end = bench_now() + seconds;
	int status;

	while (running(pid) && bench_now() < end && !stopping)
		pause_ms(20);
	kill(-pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Asks *pid to stop, and makes it if it will not. */
static void
stop(pid_t *pid)
{
	if (*pid <= 0)
		return;
	kill(*pid, SIGTERM);
	await(*pid, 10);
	*pid = -1;
}

/* The text of path once it holds needle, within seconds and while pid runs. */
static char *
await_text(const char *path, const char *needle, pid_t pid, double seconds)
{
	double end = bench_now() + seconds;
	char *text;

	do {
		if ((text = read_text(path)) && strstr(text, needle))
			return text;
		free(text);
		pause_ms(20);
	} while (running(pid) && bench_now() < end && !stopping);
	return NULL;
}

/* The CPU time pid has used, in clock ticks; -1 if it is gone. */
static long
cpu_ticks(pid_t pid)
{
	char path[64], *text, *p;
	unsigned long user, sys;
	long ticks = -1;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	/* after the command's name, which may hold anything */
	if ((text = read_text(path)) && (p = strrchr(text, ')')) &&
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
		   "%lu %lu", &user, &sys) == 2)
		ticks = (long)(user + sys);
	free(text);
	return ticks;
}

/*
 * Waits up to 30 s for pid to spend 200 ms using at most a clock tick of
 * CPU: a server still working off the requests of one run must not slow
 * the next.
 */
static void
settle(pid_t pid)
{
	long before = cpu_ticks(pid), after;
	int i;

	for (i = 0; i < 150 && before >= 0 && !stopping; i++, before = after) {
		pause_ms(200);
		if ((after = cpu_ticks(pid)) - before <= 1)
			return;
	}
	if (before >= 0)
		printf("  (the endpoint was still busy after 30 s)\n");
}

/* Whether something listens on the loopback's port. */
static int
listening(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

static size_t
collect(char *data, size_t size, size_t n, void *arg)
{
	if (arg && buf_add(arg, data, size * n) < 0)
		return 0;
	return size * n;
}

static int
abort_when_stopping(void *arg, curl_off_t dt, curl_off_t d, curl_off_t ut,
		    curl_off_t u)
{
	return stopping;
}

/* GET url, or POST form to it; the status, 0 for no answer. */
static long
http(const char *url, const char *form, long timeout, struct buf *body)
{
	CURL *c = curl_easy_init();
	long status = 0;

	if (!c)
		return 0;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, abort_when_stopping);
	if (form)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	return status;
}

/* A free loopback port none of the others given has. */
static int
free_port(int a, int b, int c)
{
	int i, port = -1;

	for (i = 0; i < 100; i++)
		if ((port = test_closed_port()) > 0 && port != a && port != b &&
		    port != c)
			return port;
	return -1;
}

/* The configuration with mail as its [mail] transport. */
static void
write_conf(const struct web_bench *b, const char *mail)
{
	char text[PATH_MAX * 6];

	snprintf(text, sizeof text,
		 "[database]\npath = %s/notices.db\n"
		 "[service]\nsecret_file = %s/secret\n"
		 "[mail]\ntemplates = %s/templates\n%s"
		 "[feeds]\nfile = %s/feeds.conf\n"
		 "[categories]\nfile = %s/config/categories.conf\n"
		 "[staff]\nport = 0\n"
		 /* the README's set-up behind nginx on this host */
		 "[web]\nport = 0\nsubscribe_per_hour = 1000\n"
		 "trusted_proxies = 127.0.0.1\n",
		 b->dir, b->dir, b->project, mail, b->dir, b->project);
	write_text(b->conf, text);
}

/* The firms of bench/pass. */
static int
store_firms(const struct web_bench *b)
{
	struct category_set categories = { 0 };
	struct firm_list firms = { 0 };
	struct store *store = NULL;
	char db[128];
	size_t i;
	int created, rc = -1;

	snprintf(db, sizeof db, "%s/notices.db", b->dir);
	if (category_load("config/categories.conf", &categories) < 0 ||
	    bench_make_firms(&categories, FIRMS, &firms) < 0 ||
	    store_open(db, &store) < 0 || store_begin(store) < 0)
		goto out;
	for (i = 0; i < firms.n; i++)
		if (store_put_firm(store, firms.v[i], "bench", 0, &created) < 0)
			goto out;
	rc = store_commit(store);
out:
	store_free(store);
	firm_list_release(&firms);
	category_set_release(&categories);
	return rc;
}

/*
 * The daily pass of `tenderlots run --once` on day (of DAYS) over the
 * day's notices in inbox; adds what it stored and matched.
 */
static int
pass_day(const struct web_bench *b, int day, unsigned *stored,
	 unsigned *matches)
{
	char *argv[] = { (char *)b->bin, "-c", (char *)b->conf, "run", "--once",
			 NULL };
	char now[32], out[128], *summary = NULL, *p;
	unsigned n = 0, m = 0;
	int rc = -1;

	snprintf(now, sizeof now, DAY_FMT, LAST_DAY - DAYS + 1 + day);
	setenv("TENDERLOTS_NOW", now, 1);
	snprintf(out, sizeof out, "%s/run.out", b->dir);
	if (await(spawn(argv, out), SETUP_LIMIT) == 0 &&
	    (summary = read_text(out)) && (p = strstr(summary, "notices:")) &&
	    sscanf(p, "notices: %u new", &n) == 1 &&
	    (p = strstr(summary, "matches:")) &&
	    sscanf(p, "matches: %u", &m) == 1 && n == NOTICES / DAYS)
		rc = 0;
	else
		fprintf(stderr, "bench/web: `tenderlots run --once` on %s "
			"stored %u of %d notices:\n%s\n", now, n,
			NOTICES / DAYS, summary ? summary : "");
	*stored += n;
	*matches += m;
	free(summary);
	return rc;
}

/*
 * The firms, then ten days of notices, each day's files written, stored
 * by a daily pass and removed; the clock stays at the last day's. The
 * files, and the Maildir the passes deliver to, are in memory where there
 * is a tmpfs (bench_memory_dir): a day's 130 MB took 7 s to write to this machine's disk and
 * 0.5 s to /dev/shm, and it is the endpoint that is measured here.
 */
static int
set_up(struct web_bench *b)
{
	struct bench_notices notices = { 0 };
	char days[64], inbox[128], text[PATH_MAX * 2];
	double t0 = bench_now(), files = 0, t;
	unsigned stored = 0, matches = 0;
	int day, rc = -1;

	snprintf(days, sizeof days, "%s/tenderlots-bench-web.XXXXXX",
		 bench_memory_dir());
	if (!mkdtemp(days))
		snprintf(days, sizeof days, "%s", b->dir);
	snprintf(inbox, sizeof inbox, "%s/inbox", days);
	snprintf(text, sizeof text, "[ted]\nkind = eforms\nurl = %s\n", inbox);
	snprintf(b->conf, sizeof b->conf, "%s/feeds.conf", b->dir);
	write_text(b->conf, text);
	snprintf(b->conf, sizeof b->conf, "%s/tenderlots.conf", b->dir);
	snprintf(text, sizeof text, "transport = maildir\nmaildir = %s/mail\n",
		 days);
	write_conf(b, text);
	if (bench_notices_load(&notices) < 0 || store_firms(b) < 0) {
		fprintf(stderr, "bench/web: no notices, categories or firms "
			"(run from the project root)\n");
		goto out;
	}
	for (day = 0; day < DAYS && !stopping; day++) {
		t = bench_now();
		bench_write_notices(&notices, inbox, day * (NOTICES / DAYS),
				    NOTICES / DAYS);
		files += bench_now() - t;
		if (pass_day(b, day, &stored, &matches) < 0)
			goto out;
		t = bench_now();
		rm_rf(inbox);
		files += bench_now() - t;
	}
	if (day < DAYS)
		goto out;
	printf("web: %u notices (%d Swedish) in %d daily passes of `tenderlots "
	       "run --once`, %d firms, %u matches; set up in %.1f s, %.1f s of "
	       "it writing and removing the files\n", stored,
	       NOTICES / BENCH_LOCAL_EVERY, DAYS, FIRMS, matches,
	       bench_now() - t0, files);
	rc = 0;
out:
	if (strcmp(days, b->dir) != 0)
		rm_rf(days);
	bench_notices_release(&notices);
	return rc;
}

/* The endpoint, its mail going to the relay's port. */
static int
start_web(struct web_bench *b)
{
	const char *mark = "listening on http://127.0.0.1:";
	char *argv[] = { (char *)b->bin, "-c", b->conf, "web", NULL };
	char mail[256], out[128], *text;

	snprintf(mail, sizeof mail, "transport = smtp\nsmtp_host = 127.0.0.1\n"
		 "smtp_port = %d\nstarttls = off\nsmtp_timeout = 60s\n",
		 b->relay_port);
	write_conf(b, mail);
	snprintf(out, sizeof out, "%s/web.out", b->dir);
	if ((b->web = spawn(argv, out)) < 0 ||
	    !(text = await_text(out, mark, b->web, 60))) {
		fprintf(stderr, "bench/web: `tenderlots web` did not start\n");
		return -1;
	}
	b->web_port = atoi(strstr(text, mark) + strlen(mark));
	free(text);
	return 0;
}

/* The endpoint's page at path, holding needle, as static/file; its size. */
static long
copy_page(const struct web_bench *b, const char *path, const char *file,
	  const char *needle)
{
	char url[128], dest[128];
	struct buf page;
	long size = -1;
	FILE *f;

	buf_init(&page, 16u << 20);
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", b->web_port, path);
	snprintf(dest, sizeof dest, "%s/static/%s", b->dir, file);
	if (http(url, NULL, 120, &page) == 200 &&
	    strstr(buf_str(&page), needle) && (f = fopen(dest, "w"))) {
		if (fwrite(page.data, 1, page.len, f) == page.len)
			size = (long)page.len;
		if (fclose(f) != 0)
			size = -1;
	}
	if (size < 0)
		fprintf(stderr, "bench/web: %s is not the page it should be "
			"(with \"%s\")\n", url, needle);
	buf_release(&page);
	return size;
}

/*
 * The README's nginx configuration of the proxy, from the code block
 * that holds its proxy_pass: each block (server, upstream) as it is, but
 * listening on port without TLS, passing on to the endpoint's port where
 * the README has its default, 127.0.0.1:8080. -1 if the README has none.
 */
static int
readme_proxy(const struct web_bench *b, struct buf *conf)
{
	const char *endpoint = "127.0.0.1:8080";
	char *readme = read_text("README.md"), *p, *q, *line, *next, *at;
	int depth = 0, replaced = 0, opens, closes;

	if (!readme || !(p = strstr(readme, "proxy_pass"))) {
		free(readme);
		return -1;
	}
	/* back to the first of the lines indented by four spaces around it */
	while (p > readme && p[-1] != '\n')
		p--;
	while (p > readme) {
		for (q = p - 1; q > readme && q[-1] != '\n'; q--)
			;
		if (strncmp(q, "    ", 4) != 0)
			break;
		p = q;
	}
	for (line = p; strncmp(line, "    ", 4) == 0; line = next) {
		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		else
			next = line + strlen(line);
		line += 4;
		p = line + strspn(line, " \t");
		opens = closes = 0;
		for (at = p; *at; at++) {
			opens += *at == '{';
			closes += *at == '}';
		}
		/* what lies between the blocks is not nginx's, nor is TLS */
		if ((depth == 0 && !opens) || strncmp(p, "listen", 6) == 0 ||
		    strncmp(p, "server_name", 11) == 0 ||
		    strncmp(p, "ssl_", 4) == 0) {
			depth += opens - closes;
			continue;
		}
		buf_adds(conf, "\t");
		for (; (at = strstr(line, endpoint));
		     line = at + strlen(endpoint)) {
			buf_printf(conf, "%.*s127.0.0.1:%d", (int)(at - line),
				   line, b->web_port);
			replaced++;
		}
		buf_printf(conf, "%s\n", line);
		if (depth == 0 && strncmp(p, "server", 6) == 0)
			buf_printf(conf, "\t\tlisten 127.0.0.1:%d;\n",
				   b->proxy_port);
		depth += opens - closes;
	}
	free(readme);
	return replaced > 0 && depth == 0 ? 0 : -1;
}

/*
 * nginx as this user, everything of its own in the temporary directory:
 * the static copies (the baseline) on one port, the README's proxy to
 * the endpoint on another.
 */
static int
start_nginx(struct web_bench *b)
{
	char path[128], prefix[128], log[128];
	char *argv[] = { NGINX, "-p", prefix, "-c", path, "-e", log, NULL };
	double end = bench_now() + 10;
	struct buf conf;
	int rc = -1;

	buf_init(&conf, 1u << 20);
	snprintf(prefix, sizeof prefix, "%s/", b->dir);
	snprintf(path, sizeof path, "%s/nginx.conf", b->dir);
	snprintf(log, sizeof log, "%s/nginx.log", b->dir);
	/* root's workers would otherwise be nobody, who may not read here */
	if (geteuid() == 0)
		buf_adds(&conf, "user root;\n");
	buf_printf(&conf,
		   "worker_processes auto;\n"
		   "worker_rlimit_nofile 4096;\n"
		   "daemon off;\n"
		   "pid %s/nginx.pid;\n"
		   "error_log %s;\n"
		   "events {\n\tworker_connections 2048;\n}\n"
		   "http {\n"
		   "\taccess_log %s/access.log;\n"
		   "\tclient_body_temp_path %s/body;\n"
		   "\tproxy_temp_path %s/proxy;\n"
		   "\tfastcgi_temp_path %s/fastcgi;\n"
		   "\tuwsgi_temp_path %s/uwsgi;\n"
		   "\tscgi_temp_path %s/scgi;\n"
		   "\ttypes {\n\t\ttext/html html;\n"
		   "\t\tapplication/atom+xml atom;\n\t}\n"
		   /* the endpoint logs no request either */
		   "\tserver {\n\t\tlisten 127.0.0.1:%d;\n"
		   "\t\taccess_log off;\n\t\troot %s/static;\n\t}\n",
		   b->dir, log, b->dir, b->dir, b->dir, b->dir, b->dir, b->dir,
		   b->static_port, b->dir);
	if (readme_proxy(b, &conf) < 0) {
		fprintf(stderr, "bench/web: no nginx configuration with "
			"proxy_pass http://127.0.0.1:8080 in README.md\n");
		goto out;
	}
	buf_adds(&conf, "}\n");
	write_text(path, buf_str(&conf));
	if ((b->nginx = spawn(argv, log)) < 0)
		goto out;
	while (!(listening(b->static_port) && listening(b->proxy_port)) &&
	       running(b->nginx) && bench_now() < end && !stopping)
		pause_ms(20);
	if (listening(b->static_port) && listening(b->proxy_port))
		rc = 0;
	else
		fprintf(stderr, "bench/web: nginx did not start; see %s:\n%s\n",
			log, buf_str(&conf));
out:
	buf_release(&conf);
	return rc;
}

/*
 * wrk on the loopback's port for SECONDS; with latency, the 99th
 * percentile of every request's (bench/web.lua).
 */
static int
load(const struct web_bench *b, int port, const char *path, int connections,
     int latency, struct load *r)
{
	char url[128], threads[16], conns[16], duration[16], seconds[16];
	char timeout[16], keep[16], ms[16], out[128], *text, *p;
	char *argv[] = { WRK, "-t", threads, "-c", conns, "-d", duration,
			 "--timeout", timeout, "-s", SCRIPT, url,
			 latency ? "--" : NULL, "latency", keep, ms, seconds,
			 NULL };
	int rc = -1;

	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
	snprintf(threads, sizeof threads, "%d", THREADS);
	snprintf(conns, sizeof conns, "%d", connections);
	snprintf(duration, sizeof duration, "%ds", SECONDS);
	snprintf(seconds, sizeof seconds, "%d", SECONDS);
	snprintf(timeout, sizeof timeout, "%ds", TIMEOUT);
	snprintf(keep, sizeof keep, "%d", connections / THREADS);
	snprintf(ms, sizeof ms, "%d", TIMEOUT * 1000);
	snprintf(out, sizeof out, "%s/wrk.out", b->dir);
	if (await(spawn(argv, out), SECONDS + 30) == 0 &&
	    (text = read_text(out))) {
		if ((p = strstr(text, "result ")) &&
		    sscanf(p, "result %ld %lf %ld %lf %d", &r->good,
			   &r->seconds, &r->errors, &r->p99_ms,
			   &r->lower_bound) == 5 && r->seconds > 0)
			rc = 0;
		free(text);
	}
	if (rc < 0)
		fprintf(stderr, "bench/web: wrk on %s failed; see %s\n", url,
			out);
	return rc;
}

static double
rate(const struct load *r)
{
	return (double)r->good / r->seconds;
}

/* A page of the endpoint against the same bytes from nginx. */
static int
versus_static(const struct web_bench *b, const char *path, int connections)
{
	struct load base, subject;
	char figure[96];

	settle(b->web);
	if (load(b, b->static_port, path, connections, 0, &base) < 0)
		return -1;
	settle(b->web);
	if (load(b, b->web_port, path, connections, 0, &subject) < 0)
		return -1;
	if (base.good == 0) {
		fprintf(stderr, "bench/web: nginx served no %s\n", path);
		return -1;
	}
	printf("  %-13s %3d connections: nginx %6.0f req/s, %ld errors; "
	       "endpoint %6.1f req/s, %ld errors: %.3gx\n", path, connections,
	       rate(&base), base.errors, rate(&subject), subject.errors,
	       rate(&subject) / rate(&base));
	snprintf(figure, sizeof figure, "%s at %d conns, vs nginx static",
		 path, connections);
	bench_row("web", figure, rate(&subject), "req/s", rate(&base));
	return 0;
}

/* / through the README's nginx configuration, PROXIED connections. */
static int
through_proxy(const struct web_bench *b)
{
	const char *bound;
	struct load r;
	char figure[96];
	long all;

	settle(b->web);
	if (load(b, b->proxy_port, "/", PROXIED, 1, &r) < 0)
		return -1;
	all = r.good + r.errors;
	bound = r.lower_bound ? "at least " : "";
	printf("  / through nginx, %d connections: %ld answered, %ld errors; "
	       "p99 %s%.1f ms (goal: no errors, p99 under %d ms)\n", PROXIED,
	       r.good, r.errors, bound, r.p99_ms, GOAL_MS);
	snprintf(figure, sizeof figure, "p99 of /, %d conns via nginx, "
		 "vs goal%s", PROXIED, r.lower_bound ? ", at least" : "");
	bench_row("web", figure, r.p99_ms, "ms", GOAL_MS);
	snprintf(figure, sizeof figure, "/ without error, %d conns via nginx, "
		 "vs all", PROXIED);
	bench_row("web", figure, (double)r.good, "req", all > 0 ? all : 1);
	return 0;
}

/*
 * A subscriber: posts subscription forms, each with the CSRF token of a
 * form page, till told to stop; what it did goes to the pipe. Firm
 * number first on, none of them stored yet.
 */
static void
subscribe(const struct web_bench *b, int first)
{
	const char *mark = "value=\"";
	double end = bench_now() + SECONDS + 60;
	char url[96], form[512], orgnr[12], csrf[256], *v;
	struct tally t = { 0 };
	struct buf page;
	int k;

	snprintf(url, sizeof url, "http://127.0.0.1:%d/subscribe", b->web_port);
	buf_init(&page, 1u << 20);
	for (k = first; k < first + FORMS && !stopping && bench_now() < end;
	     k++) {
		buf_reset(&page);
		csrf[0] = '\0';
		if (http(url, NULL, 120, &page) == 200 &&
		    (v = strstr(buf_str(&page), "name=\"csrf\"")) &&
		    (v = strstr(v, mark)))
			sscanf(v + strlen(mark), "%255[^\"]", csrf);
		bench_orgnr(FIRMS + (size_t)k, orgnr);
		snprintf(form, sizeof form, "csrf=%s&orgnr=%s&name=Prenumerant+"
			 "%d+AB&email=prenumerant%d%%40example.se&category="
			 "maleri&region=SE232&kind=rfi&kind=competition&"
			 "frequency=immediately&language=sv", csrf, orgnr, k,
			 k);
		t.posted++;
		t.answered += http(url, form, 120, NULL) == 200;
		pause_ms(FORM_PAUSE_MS);
	}
	buf_release(&page);
	_exit(write(b->tally[1], &t, sizeof t) == sizeof t ? 0 : 1);
}

static int
start_subscribers(struct web_bench *b, int round)
{
	int i;

	for (i = 0; i < SUBSCRIBERS; i++) {
		if ((b->subscribers[i] = fork_child(NULL)) < 0)
			return -1;
		if (b->subscribers[i] == 0)
			subscribe(b, (round * SUBSCRIBERS + i) * FORMS);
	}
	return 0;
}

static void
stop_subscribers(struct web_bench *b, struct tally *sum)
{
	struct tally t;
	int i;

	for (i = 0; i < SUBSCRIBERS; i++)
		stop(&b->subscribers[i]);
	memset(sum, 0, sizeof *sum);
	while (read(b->tally[0], &t, sizeof t) == sizeof t) {
		sum->posted += t.posted;
		sum->answered += t.answered;
	}
}

/*
 * A mail relay that never answers: the kernel completes the connections
 * to it, and nothing ever reads or writes them.
 */
static int
blackhole_open(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int on = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	if (fd >= 0 &&
	    (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0 ||
	     bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
	     listen(fd, 128) < 0)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Closes it and what it took, letting go of its clients; how many. */
static int
blackhole_close(int *fd)
{
	int n = 0, c;

	if (*fd < 0)
		return 0;
	while (n < 100000 && (c = accept(*fd, NULL, NULL)) >= 0) {
		close(c);
		n++;
	}
	close(*fd);
	*fd = -1;
	return n;
}

/*
 * / at 10 connections while firms subscribe, their confirmations going
 * to a relay that answers (tests/smtpd.py), then to one that never does,
 * each on the port the endpoint's configuration names.
 */
static int
silent_relay(struct web_bench *b)
{
	struct smtpd relay;
	struct load answers, silent;
	struct tally ta, ts;
	char figure[96];
	int rc, took;

	if (smtpd_start(&relay, &(struct smtpd_options){
				.port = b->relay_port, .discard = 1 }) < 0)
		return -1;
	settle(b->web);
	rc = start_subscribers(b, 0) < 0 ||
	     load(b, b->web_port, "/", 10, 1, &answers) < 0 ? -1 : 0;
	stop_subscribers(b, &ta);
	settle(b->web);
	if (smtpd_stop(&relay) < 0 || rc < 0 ||
	    (b->blackhole = blackhole_open(b->relay_port)) < 0 ||
	    start_subscribers(b, 1) < 0 ||
	    load(b, b->web_port, "/", 10, 1, &silent) < 0)
		return -1;
	stop_subscribers(b, &ts);
	took = blackhole_close(&b->blackhole);
	printf("  / at 10 connections, %d firms subscribing, the relay "
	       "answers: p99 %s%.1f ms; %d forms posted, %d answered\n",
	       SUBSCRIBERS, answers.lower_bound ? "at least " : "",
	       answers.p99_ms, ta.posted, ta.answered);
	printf("  the same, the relay never answers: p99 %s%.1f ms; %d forms "
	       "posted, %d answered; %d connections to the relay\n",
	       silent.lower_bound ? "at least " : "", silent.p99_ms, ts.posted,
	       ts.answered, took);
	/* Anything less, and this measured something else. */
	if (ta.answered == 0 || took == 0) {
		fprintf(stderr, "bench/web: %s\n", ta.answered == 0 ?
			"no subscription form was accepted" :
			"the endpoint never tried the relay");
		return -1;
	}
	snprintf(figure, sizeof figure, "p99 of /, relay silent vs answering%s",
		 silent.lower_bound ? ", at least" : "");
	bench_row("web", figure, silent.p99_ms, "ms", answers.p99_ms);
	return 0;
}

int
main(void)
{
	static struct web_bench b;
	struct tally left;
	char dir[128];
	long home, atom;
	int i, rc = 1;

	b.web = b.nginx = -1;
	for (i = 0; i < SUBSCRIBERS; i++)
		b.subscribers[i] = -1;
	b.blackhole = b.tally[0] = b.tally[1] = -1;
	signal(SIGPIPE, SIG_IGN);
	/* so that what it started goes, and its files */
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	if (access(WRK, X_OK) < 0 || access(NGINX, X_OK) < 0) {
		fprintf(stderr, "bench/web: needs %s and %s, from the Debian "
			"packages wrk and nginx (apt-get install wrk nginx)\n",
			WRK, NGINX);
		return 1;
	}
	if (!getcwd(b.project, sizeof b.project) || access(SCRIPT, R_OK) < 0) {
		fprintf(stderr, "bench/web: no %s (run from the project "
			"root)\n", SCRIPT);
		return 1;
	}
	if (!(b.bin = getenv("TENDERLOTS_BIN")))
		b.bin = "build/tenderlots";
	snprintf(b.dir, sizeof b.dir, "/tmp/tenderlots-bench-web.XXXXXX");
	if (!mkdtemp(b.dir)) {
		perror(b.dir);
		return 1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	snprintf(dir, sizeof dir, "%s/static", b.dir);
	if (pipe(b.tally) < 0 || fcntl(b.tally[0], F_SETFL, O_NONBLOCK) < 0 ||
	    mkdir(dir, 0700) < 0 || set_up(&b) < 0 ||
	    (b.relay_port = free_port(0, 0, 0)) < 0 ||
	    (b.static_port = free_port(b.relay_port, 0, 0)) < 0 ||
	    (b.proxy_port = free_port(b.relay_port, b.static_port, 0)) < 0 ||
	    start_web(&b) < 0 ||
	    (home = copy_page(&b, "/", "index.html", "Snöröjning")) < 0 ||
	    (atom = copy_page(&b, "/notices.atom", "notices.atom",
			      "<entry")) < 0 ||
	    start_nginx(&b) < 0)
		goto out;
	printf("  pages: / %ld bytes, /notices.atom %ld bytes; wrk for %d s "
	       "each, %d threads\n", home, atom, SECONDS, THREADS);
	/* the run that leaves the endpoint the most to work off comes last */
	if (versus_static(&b, "/", 10) < 0 || versus_static(&b, "/", 100) < 0 ||
	    versus_static(&b, "/notices.atom", 10) < 0 ||
	    versus_static(&b, "/notices.atom", 100) < 0 ||
	    silent_relay(&b) < 0 || through_proxy(&b) < 0)
		goto out;
	rc = 0;
out:
	blackhole_close(&b.blackhole);
	stop_subscribers(&b, &left);
	stop(&b.nginx);
	stop(&b.web);
	rm_rf(b.dir);
	curl_global_cleanup();
	return rc;
}
