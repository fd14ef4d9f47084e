/*
 * The HTTP layer of `tenderlots web` over real sockets on the loopback:
 * whose address a request is counted for (the peer, or a trusted
 * proxy's X-Real-IP / X-Forwarded-For; seen through the subscribe rate
 * limit), many connections through one proxy and slow ones from one
 * peer, request framing that two parties could read two ways, paths
 * that are not UTF-8, HEAD, a multipart/form-data one-click unsubscribe,
 * IPv6 listeners, and the checks of [web] listen and trusted_proxies.
 * Linux routes all of 127/8 to the loopback, so 127.0.0.2 and 127.0.0.3
 * are other clients.
 */
#define _XOPEN_SOURCE 700

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "buf.h"
#include "netaddr.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"
#include "testweb.h"

#define NOW "2026-11-25T08:00:00Z"
#define SUBSCRIBED "SELECT count(*) FROM firm WHERE orgnr = '556734-2182' " \
		   "AND unsubscribed_at IS NULL"

static char dir[PATH_MAX];
static char project[PATH_MAX];
static char db[PATH_MAX + 16];
static char err_log[PATH_MAX + 16];
static struct web_server server = { .pid = -1 };
static char unsubscribe[1024];	/* the sample firm's one-click link */
static char csrf[512];

/* Writes name with web (more lines of its [web] section). */
static void
configure(const char *name, const char *web)
{
	char lines[1024];

	snprintf(lines, sizeof lines, "subscribe_per_hour = 2\n%s", web);
	web_config(dir, project, name, "", lines);
}

/*
 * The server on a new configuration, its stderr in err_log, two hours on
 * from the last start: the limits kept in the database start afresh.
 */
static int
restart(const char *web)
{
	static int starts;
	char now[32];

	if (server.pid > 0 && web_server_stop(&server) != 0)
		return -1;
	configure("tenderlots.conf", web);
	snprintf(now, sizeof now, "2026-11-25T%02d:00:00Z", 8 + 2 * starts++);
	return web_server_start(&server, dir, "tenderlots.conf", now, err_log);
}

static void
setup(void)
{
	char cmd[PATH_MAX * 4], path[PATH_MAX * 2];
	char *mail;

	make_tmpdir(dir, "test_http");
	snprintf(db, sizeof db, "%s/var/t.db", dir);
	snprintf(err_log, sizeof err_log, "%s/web.err", dir);
	snprintf(cmd, sizeof cmd, "mkdir '%s/feeds' && cp '%s'/feeds/*.xml "
		 "'%s/feeds/'", dir, project, dir);
	CHECK(system(cmd) == 0);
	configure("tenderlots.conf", "");
	snprintf(path, sizeof path, "%s/feeds.conf", dir);
	write_text(path, "[local]\nkind = eforms\nurl = feeds\n");
	snprintf(path, sizeof path, "%s/firms.csv", dir);
	write_text(path, "orgnr,name,email,cpv,regions,language\n"
		   "556734-2182,Berglunds Måleri AB,"
		   "info@berglunds-maleri.example,45442100,SE232,sv\n");
	CHECK(tl_run(dir, NOW, "firm import -c tenderlots.conf firms.csv") == 0);
	CHECK(tl_run(dir, NOW, "run --once -c tenderlots.conf") == 0);
	snprintf(path, sizeof path, "'%s'/var/mail/new/*", dir);
	mail = mailcheck(project, path, dir);
	link_in(mail ? strstr(mail, "header To: info@berglunds-maleri.example")
		: NULL, "https://upphandling.exempelkommun.se/unsubscribe/",
		unsubscribe, sizeof unsubscribe);
	free(mail);
	CHECK(unsubscribe[0] != '\0');
}

/* A connection to the server from the loopback address src. */
static int
dial(const char *src, const char *dst)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET }, s4 = a4;
	struct timeval tv = { 10, 0 };
	int v6 = strchr(dst, ':') != NULL, fd;

	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	a4.sin_port = a6.sin6_port = htons((uint16_t)server.port);
	if ((v6 ? inet_pton(AF_INET6, dst, &a6.sin6_addr) :
	     inet_pton(AF_INET, dst, &a4.sin_addr)) != 1 ||
	    (src && (inet_pton(AF_INET, src, &s4.sin_addr) != 1 ||
		     bind(fd, (struct sockaddr *)&s4, sizeof s4) < 0)) ||
	    (v6 ? connect(fd, (struct sockaddr *)&a6, sizeof a6) :
	     connect(fd, (struct sockaddr *)&a4, sizeof a4)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
send_all(int fd, const char *text)
{
	size_t len = strlen(text), off = 0;
	ssize_t n;

	while (off < len) {
		if ((n = send(fd, text + off, len - off, MSG_NOSIGNAL)) < 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/* Everything the server sends until it closes; "" for nothing. */
static char *
read_all(int fd)
{
	struct buf b;
	char chunk[4096];
	ssize_t n;

	buf_init(&b, 16u << 20);
	while ((n = recv(fd, chunk, sizeof chunk, 0)) > 0)
		buf_add(&b, chunk, (size_t)n);
	return buf_detach(&b, NULL);
}

/* A request as written, from src to the server's IPv4 loopback. */
static char *
raw(const char *src, const char *text)
{
	int fd = dial(src, "127.0.0.1");
	char *reply;

	if (fd < 0)
		return NULL;
	reply = send_all(fd, text) == 0 ? read_all(fd) : NULL;
	close(fd);
	return reply;
}

static int
status_of(const char *reply)
{
	return reply && strncmp(reply, "HTTP/1.1 ", 9) == 0 ? atoi(reply + 9) : 0;
}

/* The four headers that keep a page from being misused. */
static int
guarded(const char *reply)
{
	return reply && strstr(reply, "\r\nContent-Security-Policy: ") &&
	       strstr(reply, "\r\nX-Content-Type-Options: nosniff\r\n") &&
	       strstr(reply, "\r\nReferrer-Policy: no-referrer\r\n") &&
	       strstr(reply, "\r\nX-Frame-Options: DENY\r\n");
}

/*
 * A POST of body to path from src, with header lines that say what it
 * is: the status, or -1 if the reply lacks the guarding headers.
 */
static int
post_raw(const char *src, const char *path, const char *headers,
	 const char *body)
{
	char text[4096];
	char *reply;
	int status;

	snprintf(text, sizeof text, "POST %s HTTP/1.1\r\nHost: t\r\n"
		 "Connection: close\r\n%s\r\n%s", path, headers, body);
	reply = raw(src, text);
	status = guarded(reply) ? status_of(reply) : -1;
	free(reply);
	return status;
}

/*
 * A valid subscription, of a firm not seen before, from src with extra
 * header lines: its status. Only valid ones count towards the limit.
 */
static int
subscribe_to(const char *src, const char *headers, const char *email)
{
	static int firms;
	char lines[1024], body[1024], orgnr[11], rcpt[128];
	int i, sum = 0, d;

	/* 559000NNNN with its Luhn check digit */
	snprintf(orgnr, sizeof orgnr, "559000%03d", firms++);
	for (i = 0; i < 9; i++) {
		d = (orgnr[i] - '0') * (i % 2 ? 1 : 2);
		sum += d / 10 + d % 10;
	}
	orgnr[9] = (char)('0' + (10 - sum % 10) % 10);
	orgnr[10] = '\0';
	if (email)
		snprintf(rcpt, sizeof rcpt, "%s", email);
	else
		snprintf(rcpt, sizeof rcpt, "f%d%%40firma.example", firms);
	snprintf(body, sizeof body, "csrf=%s&orgnr=%s&name=Firma&email=%s"
		 "&category=maleri&kind=rfi&frequency=daily&language=sv", csrf,
		 orgnr, rcpt);
	snprintf(lines, sizeof lines, "%sContent-Type: "
		 "application/x-www-form-urlencoded\r\n"
		 "Content-Length: %zu\r\n", headers, strlen(body));
	return post_raw(src, "/subscribe", lines, body);
}

static int
subscribe(const char *src, const char *headers)
{
	return subscribe_to(src, headers, NULL);
}

static void
fetch_csrf(void)
{
	char url[256];
	struct reply r;

	snprintf(url, sizeof url, "%s/subscribe", server.base);
	fetch(url, NULL, 0, NULL, &r);
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
}

/*
 * Without trusted proxies no header names the client: three attempts
 * from 127.0.0.1 each claiming another address are three from one
 * client, and the third is over [web] subscribe_per_hour = 2.
 */
static void
test_untrusted_headers(void)
{
	CHECK(restart("") == 0);
	fetch_csrf();
	CHECK(csrf[0] != '\0');
	CHECK(subscribe(NULL, "X-Real-IP: 198.51.100.1\r\n") == 200);
	CHECK(subscribe(NULL, "X-Forwarded-For: 198.51.100.2\r\n") == 200);
	CHECK(subscribe(NULL, "X-Real-IP: 198.51.100.3\r\n") == 429);
}

/* 127.0.0.1 is the proxy; 10.0.0.0/8 a second tier of proxies. */
static void
test_trusted_proxy(void)
{
	CHECK(restart("trusted_proxies = 127.0.0.1 10.0.0.0/8 ::1/128\n") == 0);
	fetch_csrf();
	/* two attempts for each client the proxy names, not for the proxy */
	CHECK(subscribe(NULL, "X-Real-IP: 203.0.113.5\r\n") == 200);
	CHECK(subscribe(NULL, "X-Real-IP: 203.0.113.5\r\n") == 200);
	CHECK(subscribe(NULL, "X-Real-IP: 203.0.113.5\r\n") == 429);
	CHECK(subscribe(NULL, "X-Real-IP: 203.0.113.6\r\n") == 200);
	/* the rightmost address that is not a proxy of ours */
	CHECK(subscribe(NULL, "X-Forwarded-For: 203.0.113.7, 10.1.2.3\r\n") == 200);
	CHECK(subscribe(NULL, "X-Forwarded-For: 203.0.113.7\r\n"
			"X-Forwarded-For: 10.9.9.9\r\n") == 200);
	CHECK(subscribe(NULL, "X-Forwarded-For: 203.0.113.7,10.1.2.3\r\n") == 429);
	/* what the client wrote left of it is not believed */
	CHECK(subscribe(NULL, "X-Forwarded-For: 203.0.113.7, 203.0.113.8\r\n") == 200);
	/* X-Real-IP first */
	CHECK(subscribe(NULL, "X-Real-IP: 203.0.113.9\r\n"
			"X-Forwarded-For: 203.0.113.7\r\n") == 200);
	/* a malformed header names no one: the proxy itself is counted */
	CHECK(subscribe(NULL, "X-Real-IP: 203.0.113.10:80\r\n") == 200);
	CHECK(subscribe(NULL, "X-Forwarded-For: nonsense, 10.1.2.3\r\n") == 200);
	CHECK(subscribe(NULL, "X-Real-IP: 203.0.113.11\r\n"
			"X-Real-IP: 203.0.113.12\r\n") == 429);
	/* another peer is no proxy: its headers are not believed */
	CHECK(subscribe("127.0.0.2", "X-Real-IP: 203.0.113.20\r\n") == 200);
	CHECK(subscribe("127.0.0.2", "X-Real-IP: 203.0.113.21\r\n") == 200);
	CHECK(subscribe("127.0.0.2", "X-Real-IP: 203.0.113.22\r\n") == 429);
}

/*
 * Many clients typing one victim's address, each within its own limit:
 * the victim gets [web] mails_per_recipient mails a day, no more, and
 * every page says the same.
 */
static void
test_one_recipient(void)
{
	char header[64];
	int i;

	CHECK(restart("trusted_proxies = 127.0.0.1\n") == 0);
	fetch_csrf();
	for (i = 0; i < 8; i++) {
		snprintf(header, sizeof header, "X-Real-IP: 198.18.0.%d\r\n", i + 1);
		CHECK(subscribe_to(NULL, header, "offer%40victim.example") == 200);
	}
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE "
		       "rcpt = 'offer@victim.example'") == 3);
}

/* 300 connections at once through the proxy: every one is answered. */
static void
test_many_connections(void)
{
	enum { N = 300 };
	int fds[N], i, answered = 0;
	char *reply;

	for (i = 0; i < N; i++)
		fds[i] = dial("127.0.0.1", "127.0.0.1");
	for (i = 0; i < N; i++)
		if (fds[i] >= 0)
			send_all(fds[i], "GET /rfi HTTP/1.1\r\nHost: t\r\n"
				 "X-Real-IP: 192.0.2.1\r\nConnection: close\r\n\r\n");
	for (i = 0; i < N; i++) {
		if (fds[i] < 0)
			continue;
		reply = read_all(fds[i]);
		answered += status_of(reply) == 200;
		free(reply);
		close(fds[i]);
	}
	CHECK(answered == N);
}

/* How many of fds the server closed: readable with nothing to read. */
static int
closed_by_server(const int *fds, int n)
{
	struct pollfd pfd[64];
	char c;
	int i, closed = 0;

	for (i = 0; i < n; i++)
		pfd[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	poll(pfd, (nfds_t)n, 0);
	for (i = 0; i < n; i++)
		if (fds[i] < 0 || (pfd[i].revents &&
				   recv(fds[i], &c, 1, MSG_DONTWAIT) <= 0))
			closed++;
	return closed;
}

static int
get_from(const char *src)
{
	char *reply = raw(src, "GET / HTTP/1.1\r\nHost: t\r\n"
			  "Connection: close\r\n\r\n");
	int status = status_of(reply);

	free(reply);
	return status;
}

/*
 * 30 connections that send nothing: a direct peer gets 20 (the server
 * may let a thread's worth more slip in), and others are still served;
 * the proxy gets them all, and its next request is served too.
 */
static void
test_slow_clients(void)
{
	enum { N = 30 };
	const struct timespec pause = { 0, 50L * 1000 * 1000 };
	int peer[N], proxy[N], i, closed = 0;

	for (i = 0; i < N; i++)
		peer[i] = dial("127.0.0.2", "127.0.0.1");
	CHECK(get_from("127.0.0.3") == 200);
	for (i = 0; i < 40 && (closed = closed_by_server(peer, N)) < 6; i++)
		nanosleep(&pause, NULL);
	CHECK(closed >= 6 && closed <= 10);
	for (i = 0; i < N; i++)
		proxy[i] = dial("127.0.0.1", "127.0.0.1");
	CHECK(get_from("127.0.0.1") == 200);
	CHECK(closed_by_server(proxy, N) == 0);
	for (i = 0; i < N; i++) {
		close(peer[i]);
		close(proxy[i]);
	}
}

/*
 * Two lengths, or a length and chunks: a proxy could have read another
 * body than the server would. Refused before the handler sees it: the
 * one-click POST does not unsubscribe.
 */
static void
test_framing(void)
{
	static const char form[] = "List-Unsubscribe=One-Click";
	static const char chunked[] = "1a\r\nList-Unsubscribe=One-Click\r\n"
		"0\r\n\r\n";

	CHECK(post_raw(NULL, unsubscribe, "Content-Type: application/"
		       "x-www-form-urlencoded\r\nContent-Length: 26\r\n"
		       "Content-Length: 5\r\n", form) == 400);
	CHECK(post_raw(NULL, unsubscribe, "Content-Type: application/"
		       "x-www-form-urlencoded\r\nContent-Length: 40\r\n"
		       "Transfer-Encoding: chunked\r\n", chunked) == 400);
	/* a coding the server does not know leaves the length unknown */
	CHECK(post_raw(NULL, unsubscribe, "Content-Type: application/"
		       "x-www-form-urlencoded\r\n"
		       "Transfer-Encoding: gzip, chunked\r\n", chunked) == 501);
	CHECK(db_query(db, SUBSCRIBED) == 1);
}

/*
 * A path that is not UTF-8, or holds a NUL: 400, and nothing logged.
 * What is refused before the pages, a URI or a body too long too,
 * carries the headers the pages have.
 */
static void
test_refused_requests(void)
{
	char long_uri[4096], text[4200], *reply, *log;
	struct buf big;
	size_t head;

	reply = raw(NULL, "GET /%ff HTTP/1.1\r\nHost: t\r\n"
		    "Connection: close\r\n\r\n");
	CHECK(status_of(reply) == 400);
	CHECK(guarded(reply));
	free(reply);
	reply = raw(NULL, "GET /notices%00x HTTP/1.1\r\nHost: t\r\n"
		    "Connection: close\r\n\r\n");
	CHECK(status_of(reply) == 400);
	free(reply);
	reply = raw(NULL, "GET /%C3%A5 HTTP/1.1\r\nHost: t\r\n"
		    "Connection: close\r\n\r\n");
	CHECK(status_of(reply) == 404);
	free(reply);
	log = read_text(err_log);
	CHECK(log && log[0] == '\0');
	free(log);

	memset(long_uri, 'a', sizeof long_uri - 1);
	long_uri[sizeof long_uri - 1] = '\0';
	snprintf(text, sizeof text, "GET /%s HTTP/1.1\r\nHost: t\r\n"
		 "Connection: close\r\n\r\n", long_uri);
	reply = raw(NULL, text);
	CHECK(status_of(reply) == 414);
	CHECK(guarded(reply));
	free(reply);
	buf_init(&big, 0);
	buf_printf(&big, "POST /subscribe HTTP/1.1\r\nHost: t\r\n"
		   "Connection: close\r\n"
		   "Content-Type: application/x-www-form-urlencoded\r\n"
		   "Content-Length: %u\r\n\r\n", 70u * 1024u);
	for (head = big.len; big.len - head < 70u * 1024u; )
		buf_addc(&big, 'a');
	reply = raw(NULL, buf_str(&big));
	CHECK(status_of(reply) == 413);
	CHECK(guarded(reply));
	free(reply);
	buf_release(&big);
}

/* The headers of a reply without the Date line, and its body. */
static void
split_reply(const char *reply, struct buf *headers, const char **body)
{
	const char *end = reply ? strstr(reply, "\r\n\r\n") : NULL;
	const char *p, *eol;

	*body = end ? end + 4 : "";
	for (p = reply; p && end && p < end; p = eol + 2) {
		eol = strstr(p, "\r\n");
		if (strncmp(p, "Date: ", 6) != 0)
			buf_add(headers, p, (size_t)(eol + 2 - p));
	}
}

/* HEAD: GET's headers, its Content-Length too, and no body. */
static void
test_head(void)
{
	char *get, *head, length[64];
	struct buf get_headers, head_headers;
	const char *get_body, *head_body;

	get = raw(NULL, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
	head = raw(NULL, "HEAD / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
	buf_init(&get_headers, 0);
	buf_init(&head_headers, 0);
	split_reply(get, &get_headers, &get_body);
	split_reply(head, &head_headers, &head_body);
	snprintf(length, sizeof length, "\r\nContent-Length: %zu\r\n",
		 strlen(get_body));
	CHECK(status_of(head) == 200);
	CHECK(strlen(get_body) > 1000);
	CHECK(strstr(buf_str(&head_headers), length) != NULL);
	CHECK_STR(buf_str(&head_headers), buf_str(&get_headers));
	CHECK_STR(head_body, "");
	buf_release(&get_headers);
	buf_release(&head_headers);
	free(get);
	free(head);
}

/*
 * RFC 8058's one-click POST as a mail program sends it, as
 * multipart/form-data (`curl -F List-Unsubscribe=One-Click`); a body
 * cut short is refused first.
 */
static void
test_multipart_unsubscribe(void)
{
	static const char *const fields[] = {
		"List-Unsubscribe", "One-Click", NULL
	};
	static const char cut[] = "--XyZ\r\nContent-Disposition: form-data; "
		"name=\"List-Unsubscribe\"\r\n\r\nOne";
	char url[2048], lines[256];
	struct reply r;

	snprintf(lines, sizeof lines, "Content-Type: multipart/form-data; "
		 "boundary=XyZ\r\nContent-Length: %zu\r\n", strlen(cut));
	CHECK(post_raw(NULL, unsubscribe, lines, cut) == 400);
	CHECK(db_query(db, SUBSCRIBED) == 1);
	snprintf(url, sizeof url, "%s%s", server.base, unsubscribe);
	fetch(url, NULL, 0, fields, &r);
	CHECK(r.status == 200);
	release(&r);
	CHECK(db_query(db, SUBSCRIBED) == 0);
}

/* Whether this machine has an IPv6 loopback to listen on. */
static int
have_ipv6(void)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int fd = socket(AF_INET6, SOCK_STREAM, 0), ok;

	ok = fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

static long
get_url(const char *base)
{
	char url[256];
	struct reply r;
	long status;

	snprintf(url, sizeof url, "%s/rfi", base);
	fetch(url, NULL, 0, NULL, &r);
	status = r.status;
	release(&r);
	return status;
}

/*
 * listen = ::1 answers on [::1]; listen = :: on IPv4 too, where an IPv4
 * proxy (::ffff:127.0.0.1 on that socket) is still the proxy it is.
 */
static void
test_ipv6(void)
{
	char v4[80];

	if (!have_ipv6()) {
		printf("test_ipv6: skipped, no IPv6 loopback\n");
		return;
	}
	CHECK(restart("listen = ::1\n") == 0);
	CHECK(strncmp(server.base, "http://[::1]:", 13) == 0);
	CHECK(get_url(server.base) == 200);
	CHECK(restart("listen = ::\ntrusted_proxies = 127.0.0.1\n") == 0);
	CHECK(strncmp(server.base, "http://[::]:", 12) == 0);
	snprintf(v4, sizeof v4, "http://127.0.0.1:%d", server.port);
	CHECK(get_url(v4) == 200);
	snprintf(v4, sizeof v4, "http://[::1]:%d", server.port);
	CHECK(get_url(v4) == 200);
	fetch_csrf();
	CHECK(subscribe(NULL, "X-Real-IP: 203.0.113.1\r\n") == 200);
	CHECK(subscribe(NULL, "X-Real-IP: 203.0.113.2\r\n") == 200);
	CHECK(subscribe(NULL, "X-Real-IP: 203.0.113.3\r\n") == 200);
}

static int
in_prefix(const char *prefix, const char *addr)
{
	struct netprefix p;
	struct netaddr a;

	return netprefix_parse(prefix, &p) == 0 && netaddr_parse(addr, &a) == 0 &&
	       netprefix_contains(&p, &a);
}

/* Prefixes of either family; an IPv4 address over IPv6 is IPv4. */
static void
test_prefixes(void)
{
	char text[NETADDR_TEXT_MAX];
	struct netprefix p;
	struct netaddr a;

	CHECK(in_prefix("10.0.0.0/8", "10.255.1.2"));
	CHECK(!in_prefix("10.0.0.0/8", "11.0.0.1"));
	CHECK(in_prefix("192.168.1.77/24", "192.168.1.3"));
	CHECK(in_prefix("172.16.0.0/12", "172.31.255.255"));
	CHECK(!in_prefix("172.16.0.0/12", "172.32.0.0"));
	CHECK(in_prefix("0.0.0.0/0", "203.0.113.1"));
	CHECK(!in_prefix("0.0.0.0/0", "2001:db8::1"));
	CHECK(in_prefix("127.0.0.1", "::ffff:127.0.0.1"));
	CHECK(!in_prefix("127.0.0.1", "127.0.0.2"));
	CHECK(in_prefix("::ffff:10.0.0.0/104", "10.1.1.1"));
	CHECK(in_prefix("2001:db8::/32", "2001:db8:ffff::1"));
	CHECK(!in_prefix("2001:db8::/33", "2001:db8:ffff::1"));
	CHECK(in_prefix("::1/128", "::1"));
	CHECK(!in_prefix("::1", "::2"));
	CHECK(netprefix_parse("1.2.3.4/", &p) < 0);
	CHECK(netprefix_parse("1.2.3.4/33", &p) < 0);
	CHECK(netprefix_parse("1.2.3.4/0008", &p) < 0);
	CHECK(netprefix_parse("::/129", &p) < 0);
	CHECK(netprefix_parse("::ffff:1.2.3.4/64", &p) < 0);
	CHECK(netprefix_parse("1.2.3.4/8x", &p) < 0);
	CHECK(netaddr_parse("01.2.3.4", &a) < 0);
	CHECK(netaddr_parse(" 1.2.3.4", &a) < 0);
	CHECK(netaddr_parse("fe80::1%lo", &a) < 0);
	CHECK(netaddr_parse("2001:DB8:0::1", &a) == 0);
	netaddr_format(&a, text);
	CHECK_STR(text, "2001:db8::1");
}

/* config check names the file, the line and the bad entry. */
static void
test_config_check(void)
{
	char path[PATH_MAX + 16], *err;

	configure("bad.conf", "trusted_proxies = 127.0.0.1 10.0.0.0/33 proxy "
		  "::1/129 10.0.0.0/ fd00::/8\nlisten = localhost\n");
	CHECK(tl_run(dir, NOW, "-c bad.conf config check") == 1);
	snprintf(path, sizeof path, "%s/err.txt", dir);
	err = read_text(path);
	CHECK(err && strstr(err, "bad.conf:17: [web] trusted_proxies: "
			    "'10.0.0.0/33' is not an IPv4 or IPv6 address or "
			    "prefix"));
	CHECK(err && strstr(err, "'proxy' is not"));
	CHECK(err && strstr(err, "'::1/129' is not"));
	CHECK(err && strstr(err, "'10.0.0.0/' is not"));
	CHECK(err && !strstr(err, "'127.0.0.1'") && !strstr(err, "fd00"));
	CHECK(err && strstr(err, "bad.conf:18: [web] listen: 'localhost' is "
			    "not an IPv4 or IPv6 address"));
	free(err);
	configure("good.conf", "trusted_proxies = 127.0.0.1 ::1/128 "
		  "10.0.0.0/8 fd00::/8 ::ffff:10.0.0.0/104\nlisten = ::\n");
	CHECK(tl_run(dir, NOW, "-c good.conf config check") == 0);
}

/* SIGTERM: the requests in hand are finished and the exit status is 0. */
static void
test_stops_cleanly(void)
{
	CHECK(web_server_stop(&server) == 0);
}

int
main(void)
{
	int rc;

	if (!getcwd(project, sizeof project))
		return 2;
	setenv("TZ", "Europe/Stockholm", 1);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	setup();
	RUN(test_untrusted_headers);
	RUN(test_refused_requests);
	RUN(test_framing);
	RUN(test_head);
	RUN(test_multipart_unsubscribe);
	RUN(test_trusted_proxy);
	RUN(test_one_recipient);
	RUN(test_many_connections);
	RUN(test_slow_clients);
	RUN(test_ipv6);
	RUN(test_prefixes);
	RUN(test_config_check);
	RUN(test_stops_cleanly);
	rc = test_done("http");
	curl_global_cleanup();
	rm_rf(dir);
	return rc;
}
