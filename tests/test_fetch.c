#define _XOPEN_SOURCE 700

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include <curl/curl.h>

#include "fetch.h"
#include "test.h"
#include "testutil.h"
#include "httpd.h"

#define DOC "<?xml version=\"1.0\"?><feed>a</feed>\n"
/* The mtime given to the served files, and how httpd.py shows it. */
#define DOC_MTIME 1704067200
#define DOC_MTIME_HTTP "Mon, 01 Jan 2024 00:00:00 GMT"

static struct httpd srv;
static char root[PATH_MAX];
static const struct fetch_options opts = {
	.timeout = 5, .connect_timeout = 2, .max_bytes = 1u << 20,
};

static int
get(const char *path, const struct fetch_options *o, struct fetch_response *r,
    char *err, size_t errlen)
{
	char url[HTTPD_URL_MAX];
	struct fetch_request req = { .url = httpd_url(&srv, path, url) };

	return fetch_http(&req, o, r, err, errlen);
}

/* Fetches path, expecting result rc and the error "URL: cause". */
static void
check_failure(const char *path, const struct fetch_options *o,
	      struct fetch_response *r, int rc, const char *cause)
{
	char err[256] = "", url[HTTPD_URL_MAX], want[HTTPD_URL_MAX + 256];

	CHECK(get(path, o, r, err, sizeof err) == rc);
	snprintf(want, sizeof want, "%s: %s", httpd_url(&srv, path, url), cause);
	CHECK_STR(err, want);
}

static int
count(const char *haystack, const char *needle)
{
	int n = 0;

	while (haystack && (haystack = strstr(haystack, needle))) {
		n++;
		haystack += strlen(needle);
	}
	return n;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_server_starts(void)
{
	char path[PATH_MAX + 16];
	struct utimbuf t = { DOC_MTIME, DOC_MTIME };

	make_tmpdir(root, "tenderlots-fetch");
	snprintf(path, sizeof path, "%s/a.xml", root);
	write_text(path, DOC);
	CHECK(utime(path, &t) == 0);
	CHECK(httpd_start(root, &srv) == 0);
}

static void
test_get_ok(void)
{
	struct fetch_response r;
	char err[256] = "", url[HTTPD_URL_MAX];

	fetch_response_init(&r, 0);
	CHECK(get("/a.xml", &opts, &r, err, sizeof err) == FETCH_OK);
	CHECK(r.status == 200);
	CHECK_STR(buf_str(&r.body), DOC);
	CHECK(r.body.len == strlen(DOC));
	CHECK(r.etag && r.etag[0] == '"' && strlen(r.etag) > 2);
	CHECK_STR(r.last_modified, DOC_MTIME_HTTP);
	CHECK_STR(r.content_type, "application/xml");
	CHECK_STR(r.effective_url, httpd_url(&srv, "/a.xml", url));
	CHECK(r.retry_after == -1);
	CHECK_STR(err, "");
	fetch_response_release(&r);
}

static void
test_conditional_etag(void)
{
	struct fetch_response r;
	struct fetch_request req = { 0 };
	char err[256], url[HTTPD_URL_MAX], line[512], *etag, *log;

	fetch_response_init(&r, 0);
	CHECK(get("/a.xml", &opts, &r, err, sizeof err) == FETCH_OK);
	etag = strdup(r.etag ? r.etag : "");
	req.url = httpd_url(&srv, "/a.xml?etag", url);
	req.etag = etag;
	CHECK(fetch_http(&req, &opts, &r, err, sizeof err) == FETCH_NOT_MODIFIED);
	CHECK(r.status == 304);
	CHECK(r.body.len == 0);
	CHECK_STR(buf_str(&r.body), "");

	req.etag = "\"stale\"";
	CHECK(fetch_http(&req, &opts, &r, err, sizeof err) == FETCH_OK);
	CHECK_STR(buf_str(&r.body), DOC);

	log = httpd_log(&srv);
	snprintf(line, sizeof line, "GET\t/a.xml?etag\t%s\t-\t304\n", etag);
	CHECK(count(log, line) == 1);
	CHECK(count(log, "GET\t/a.xml?etag\t\"stale\"\t-\t200\n") == 1);
	free(log);
	free(etag);
	fetch_response_release(&r);
}

static void
test_conditional_last_modified(void)
{
	struct fetch_response r;
	struct fetch_request req = { 0 };
	char err[256], url[HTTPD_URL_MAX], *log;

	fetch_response_init(&r, 0);
	req.url = httpd_url(&srv, "/a.xml?lm", url);
	req.last_modified = DOC_MTIME_HTTP;
	CHECK(fetch_http(&req, &opts, &r, err, sizeof err) == FETCH_NOT_MODIFIED);
	CHECK(r.body.len == 0);
	CHECK_STR(r.last_modified, DOC_MTIME_HTTP);

	req.last_modified = "Sun, 31 Dec 2023 23:59:59 GMT";
	CHECK(fetch_http(&req, &opts, &r, err, sizeof err) == FETCH_OK);
	CHECK_STR(buf_str(&r.body), DOC);

	log = httpd_log(&srv);
	CHECK(count(log, "GET\t/a.xml?lm\t-\t" DOC_MTIME_HTTP "\t304\n") == 1);
	CHECK(count(log, "GET\t/a.xml?lm\t-\tSun, 31 Dec 2023 23:59:59 GMT\t200\n") == 1);
	free(log);
	fetch_response_release(&r);
}

static void
test_gzip(void)
{
	struct fetch_response r;
	struct fetch_options small = opts;
	char err[256];

	fetch_response_init(&r, 0);
	CHECK(get("/gzip/a.xml", &opts, &r, err, sizeof err) == FETCH_OK);
	CHECK_STR(buf_str(&r.body), DOC);
	CHECK(get("/gzip/big/300000", &opts, &r, err, sizeof err) == FETCH_OK);
	CHECK(r.body.len == 300000);

	/* A few hundred compressed bytes that inflate past the cap. */
	small.max_bytes = 100000;
	check_failure("/gzip/big/300000", &small, &r, FETCH_PERMFAIL,
		      "larger than the limit of 100000 bytes");
	CHECK(r.body.len <= 100000);
	fetch_response_release(&r);
}

static void
test_size_cap(void)
{
	struct fetch_response r;
	struct fetch_options small = opts;
	char err[256];

	small.max_bytes = 1024;
	fetch_response_init(&r, 0);
	CHECK(get("/big/1024", &small, &r, err, sizeof err) == FETCH_OK);
	CHECK(r.body.len == 1024);

	check_failure("/big/1025", &small, &r, FETCH_PERMFAIL,
		      "larger than the limit of 1024 bytes");

	/* Without a Content-Length only the write callback can stop it. */
	check_failure("/big/200000?chunked=1", &small, &r, FETCH_PERMFAIL,
		      "larger than the limit of 1024 bytes");
	fetch_response_release(&r);
}

static void
test_not_found(void)
{
	struct fetch_response r;

	fetch_response_init(&r, 0);
	check_failure("/missing.xml", &opts, &r, FETCH_PERMFAIL, "HTTP 404");
	CHECK(r.status == 404);
	check_failure("/status/410", &opts, &r, FETCH_PERMFAIL, "HTTP 410");
	fetch_response_release(&r);
}

static void
test_tempfail_status(void)
{
	struct fetch_response r;
	char err[256];

	fetch_response_init(&r, 0);
	check_failure("/status/503?retry_after=2", &opts, &r, FETCH_TEMPFAIL,
		      "HTTP 503");
	CHECK(r.status == 503);
	CHECK(r.retry_after == 2);
	CHECK_STR(buf_str(&r.body), "status 503\n");

	CHECK(get("/status/429?retry_after_date=120", &opts, &r, err, sizeof err) == FETCH_TEMPFAIL);
	CHECK(r.status == 429);
	/* An HTTP-date has whole seconds; either clock may tick in between. */
	CHECK(r.retry_after >= 100 && r.retry_after <= 121);

	CHECK(get("/status/500", &opts, &r, err, sizeof err) == FETCH_TEMPFAIL);
	CHECK(r.retry_after == -1);
	CHECK(get("/status/408", &opts, &r, err, sizeof err) == FETCH_TEMPFAIL);
	fetch_response_release(&r);
}


static void
test_connect_refused(void)
{
	struct fetch_response r;
	struct fetch_request req = { 0 };
	char err[256], url[128], prefix[160];

	snprintf(url, sizeof url, "http://127.0.0.1:%d/a.xml", test_closed_port());
	req.url = url;
	fetch_response_init(&r, 0);
	CHECK(fetch_http(&req, &opts, &r, err, sizeof err) == FETCH_TEMPFAIL);
	CHECK(r.status == 0);
	snprintf(prefix, sizeof prefix, "%s: ", url);
	CHECK(strncmp(err, prefix, strlen(prefix)) == 0);
	fetch_response_release(&r);
}

static void
test_timeout(void)
{
	struct fetch_response r;
	struct fetch_options quick = opts;
	char err[256];
	double start;

	quick.timeout = 1;
	quick.connect_timeout = 1;
	fetch_response_init(&r, 0);
	start = now();
	CHECK(get("/hang", &quick, &r, err, sizeof err) == FETCH_TEMPFAIL);
	CHECK(now() - start < 3);
	CHECK(strstr(err, "/hang: ") && strstr(err, "timed out"));

	start = now();
	CHECK(get("/slow/3", &quick, &r, err, sizeof err) == FETCH_TEMPFAIL);
	CHECK(now() - start < 2.5);
	CHECK(get("/slow/0.1", &quick, &r, err, sizeof err) == FETCH_OK);
	CHECK_STR(buf_str(&r.body), "slow\n");
	fetch_response_release(&r);
}

static void
test_redirects(void)
{
	struct fetch_response r;
	char err[256], url[HTTPD_URL_MAX], *etag;

	fetch_response_init(&r, 0);
	CHECK(get("/a.xml", &opts, &r, err, sizeof err) == FETCH_OK);
	etag = strdup(r.etag ? r.etag : "");

	CHECK(get("/redirect/5/a.xml", &opts, &r, err, sizeof err) == FETCH_OK);
	CHECK_STR(buf_str(&r.body), DOC);
	CHECK_STR(r.etag, etag);
	CHECK(r.retry_after == -1);
	CHECK_STR(r.effective_url, httpd_url(&srv, "/redirect/0/a.xml", url));

	/* Only the final response's headers count. */
	CHECK(get("/redirect/1/status/200", &opts, &r, err, sizeof err) == FETCH_OK);
	CHECK(r.etag == NULL);
	CHECK(r.retry_after == -1);
	CHECK_STR(buf_str(&r.body), "status 200\n");

	CHECK(get("/redirect/6/a.xml", &opts, &r, err, sizeof err) == FETCH_PERMFAIL);
	CHECK(strstr(err, "/redirect/6/a.xml: ") && strstr(err, "redirect"));
	free(etag);
	fetch_response_release(&r);
}

static void
test_redirect_to_file_refused(void)
{
	struct fetch_response r;
	char err[256];

	fetch_response_init(&r, 0);
	CHECK(get("/redirect-file", &opts, &r, err, sizeof err) == FETCH_PERMFAIL);
	CHECK(strstr(buf_str(&r.body), "root:") == NULL);
	CHECK(strstr(err, "/redirect-file: ") != NULL);
	fetch_response_release(&r);
}

static void
test_bad_urls(void)
{
	struct fetch_response r;
	struct fetch_request req = { 0 };
	char err[256];

	fetch_response_init(&r, 0);
	req.url = "file:///etc/passwd";
	CHECK(fetch_http(&req, &opts, &r, err, sizeof err) == FETCH_PERMFAIL);
	CHECK(r.body.len == 0);
	req.url = "ftp://127.0.0.1/x";
	CHECK(fetch_http(&req, &opts, &r, err, sizeof err) == FETCH_PERMFAIL);
	req.url = "http://[::1";
	CHECK(fetch_http(&req, &opts, &r, err, sizeof err) == FETCH_PERMFAIL);
	CHECK(strncmp(err, "http://[::1: ", 13) == 0);
	fetch_response_release(&r);
}

static void
test_post(void)
{
	struct fetch_response r;
	struct fetch_request req = {
		.post_body = "{\"query\": \"CY=SWE\"}",
		.content_type = "application/json",
		.accept = "application/json",
	};
	char err[256], url[HTTPD_URL_MAX];
	const char *echo;

	req.url = httpd_url(&srv, "/post-echo", url);
	fetch_response_init(&r, 0);
	CHECK(fetch_http(&req, &opts, &r, err, sizeof err) == FETCH_OK);
	echo = buf_str(&r.body);
	CHECK(strstr(echo, "\"method\": \"POST\""));
	CHECK(strstr(echo, "\"body\": \"{\\\"query\\\": \\\"CY=SWE\\\"}\""));
	CHECK(strstr(echo, "\"Content-Type\": \"application/json\""));
	CHECK(strstr(echo, "\"Accept\": \"application/json\""));
	CHECK(strstr(echo, "\"User-Agent\": \"" TENDERLOTS_USER_AGENT "\""));
	CHECK(strstr(echo, "\"Accept-Encoding\": \"") && strstr(echo, "gzip"));
	CHECK_STR(r.content_type, "application/json");
	fetch_response_release(&r);
}

static void
test_header_injection_refused(void)
{
	struct fetch_response r;
	struct fetch_request req = { .etag = "\"x\"\r\nX-Evil: 1" };
	char err[256], url[HTTPD_URL_MAX], *log;

	req.url = httpd_url(&srv, "/a.xml?evil", url);
	fetch_response_init(&r, 0);
	CHECK(fetch_http(&req, &opts, &r, err, sizeof err) == FETCH_PERMFAIL);
	log = httpd_log(&srv);
	CHECK(count(log, "/a.xml?evil") == 0);
	free(log);
	fetch_response_release(&r);
}

static void
test_userinfo_stripped(void)
{
	struct fetch_response r;
	struct fetch_request req = { 0 };
	char err[256], url[HTTPD_URL_MAX], want[HTTPD_URL_MAX + 32];

	snprintf(url, sizeof url, "http://feeduser:s3cret@127.0.0.1:%d/status/404",
		 srv.port);
	req.url = url;
	fetch_response_init(&r, 0);
	CHECK(fetch_http(&req, &opts, &r, err, sizeof err) == FETCH_PERMFAIL);
	snprintf(want, sizeof want, "http://127.0.0.1:%d/status/404: HTTP 404",
		 srv.port);
	CHECK_STR(err, want);
	CHECK(r.effective_url && !strstr(r.effective_url, "s3cret"));

	snprintf(url, sizeof url, "http://u:s3cret@127.0.0.1:%d/x", test_closed_port());
	CHECK(fetch_http(&req, &opts, &r, err, sizeof err) == FETCH_TEMPFAIL);
	CHECK(strstr(err, "s3cret") == NULL && strstr(err, "u:") == NULL);
	CHECK(strncmp(err, "http://127.0.0.1:", 17) == 0);
	fetch_response_release(&r);
}

static void
test_flaky_then_ok(void)
{
	struct fetch_response r;
	char err[256], *log;

	fetch_response_init(&r, 0);
	CHECK(get("/flaky/k1/2/a.xml", &opts, &r, err, sizeof err) == FETCH_TEMPFAIL);
	CHECK(get("/flaky/k1/2/a.xml", &opts, &r, err, sizeof err) == FETCH_TEMPFAIL);
	CHECK(get("/flaky/k1/2/a.xml", &opts, &r, err, sizeof err) == FETCH_OK);
	CHECK_STR(buf_str(&r.body), DOC);
	CHECK(r.etag != NULL);
	log = httpd_log(&srv);
	CHECK(count(log, "GET\t/flaky/k1/2/a.xml\t-\t-\t503\n") == 2);
	CHECK(count(log, "GET\t/flaky/k1/2/a.xml\t-\t-\t200\n") == 1);
	free(log);
	fetch_response_release(&r);
}

static void
test_garbage_is_fetched(void)
{
	struct fetch_response r;
	char err[256];

	fetch_response_init(&r, 0);
	CHECK(get("/garbage?n=5000", &opts, &r, err, sizeof err) == FETCH_OK);
	CHECK(r.body.len == 5000);
	CHECK_STR(r.content_type, "application/xml");
	fetch_response_release(&r);
}

static void
test_response_reused(void)
{
	struct fetch_response r;
	char err[256];

	fetch_response_init(&r, 0);
	CHECK(get("/a.xml", &opts, &r, err, sizeof err) == FETCH_OK);
	CHECK(get("/status/404", &opts, &r, err, sizeof err) == FETCH_PERMFAIL);
	CHECK(r.etag == NULL);
	CHECK(r.last_modified == NULL);
	CHECK_STR(buf_str(&r.body), "status 404\n");
	fetch_response_release(&r);
}

static void
test_backoff(void)
{
	CHECK(fetch_backoff(1, -1, 3600) == 60);
	CHECK(fetch_backoff(2, -1, 3600) == 120);
	CHECK(fetch_backoff(3, -1, 3600) == 240);
	CHECK(fetch_backoff(6, -1, 3600) == 1920);
	CHECK(fetch_backoff(7, -1, 3600) == 3600);
	CHECK(fetch_backoff(1000000, -1, 3600) == 3600);
	CHECK(fetch_backoff(1000000, -1, LONG_MAX) > 0);
	CHECK(fetch_backoff(1, 300, 3600) == 300);
	CHECK(fetch_backoff(3, 200, 3600) == 240);
	CHECK(fetch_backoff(1, 7200, 3600) == 7200);
	CHECK(fetch_backoff(2, -1, 30) == 30);
}

static void
test_fetch_file(void)
{
	struct fetch_options o = { .max_bytes = 10 };
	char path[PATH_MAX + 16], err[256];
	struct buf out;

	buf_init(&out, 0);
	snprintf(path, sizeof path, "%s/a.xml", root);
	CHECK(fetch_file(path, &o, &out, err, sizeof err) == -1);
	CHECK_STR(err, "larger than the limit of 10 bytes");
	o.max_bytes = 1024;
	CHECK(fetch_file(path, &o, &out, err, sizeof err) == 0);
	CHECK_STR(buf_str(&out), DOC);
	snprintf(path, sizeof path, "%s/missing.xml", root);
	CHECK(fetch_file(path, &o, &out, err, sizeof err) == -1);
	CHECK_STR(err, "No such file or directory");
	buf_release(&out);
}

static void
test_server_stops_cleanly(void)
{
	CHECK(httpd_stop(&srv) == 0);
}

int
main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	RUN(test_server_starts);
	if (test_failed_count) {
		rm_rf(root);
		return test_done("fetch");
	}
	RUN(test_get_ok);
	RUN(test_conditional_etag);
	RUN(test_conditional_last_modified);
	RUN(test_gzip);
	RUN(test_size_cap);
	RUN(test_not_found);
	RUN(test_tempfail_status);
	RUN(test_connect_refused);
	RUN(test_timeout);
	RUN(test_redirects);
	RUN(test_redirect_to_file_refused);
	RUN(test_bad_urls);
	RUN(test_post);
	RUN(test_header_injection_refused);
	RUN(test_userinfo_stripped);
	RUN(test_flaky_then_ok);
	RUN(test_garbage_is_fetched);
	RUN(test_response_reused);
	RUN(test_backoff);
	RUN(test_fetch_file);
	RUN(test_server_stops_cleanly);
	rm_rf(root);
	curl_global_cleanup();
	return test_done("fetch");
}
