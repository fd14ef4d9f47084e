#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fetch.h"

/* Enough for any sane response's headers, small enough that a hostile
   server cannot make us buffer much before the body cap applies. */
#define FETCH_MAX_HEADER_BYTES (64 * 1024)

int
fetch_file(const char *path, const struct fetch_options *o, struct buf *out,
	   char *err, size_t errlen)
{
	char chunk[65536];
	ssize_t n;
	int fd, rc = -1;

	buf_reset(out);
	out->max = o->max_bytes;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "read: %s", strerror(errno));
			goto out;
		}
		if (buf_add(out, chunk, (size_t)n) < 0) {
			snprintf(err, errlen, "larger than the limit of %zu bytes",
				 o->max_bytes);
			goto out;
		}
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

void
fetch_response_init(struct fetch_response *r, size_t max_bytes)
{
	*r = (struct fetch_response){ .retry_after = -1 };
	buf_init(&r->body, max_bytes);
}

/* Forgets the headers and body of a previous response, keeping the cap. */
static void
response_clear(struct fetch_response *r)
{
	r->status = 0;
	buf_reset(&r->body);
	free(r->etag);
	free(r->last_modified);
	free(r->content_type);
	free(r->effective_url);
	r->etag = NULL;
	r->last_modified = NULL;
	r->content_type = NULL;
	r->effective_url = NULL;
	r->retry_after = -1;
}

void
fetch_response_release(struct fetch_response *r)
{
	response_clear(r);
	buf_release(&r->body);
}

/*
 * A copy of url without "user:password@", so that credentials in a feed's
 * URL never reach a log, a mail or the store.
 */
static char *
url_without_userinfo(const char *url)
{
	char *s = strdup(url), *auth, *end, *at = NULL, *p;

	if (!s || !(auth = strstr(s, "://")))
		return s;
	auth += 3;
	end = auth + strcspn(auth, "/?#");
	for (p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	if (at)
		memmove(auth, at + 1, strlen(at + 1) + 1);
	return s;
}

struct transfer {
	struct fetch_response *r;
	size_t header_bytes;	/* of the current response */
	int body_too_large;
	int headers_too_large;
};

static size_t
on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct transfer *t = userdata;
	struct buf *body = &t->r->body;

	/* The cap applies to the decoded body: a small gzip stream can
	   inflate to any size, so CURLOPT_MAXFILESIZE alone is not enough.
	   Returning short makes libcurl stop with CURLE_WRITE_ERROR. */
	if (nmemb > body->max - body->len) {
		t->body_too_large = 1;
		return 0;
	}
	if (buf_add(body, data, nmemb) < 0)
		return 0;
	return nmemb;
}

/* Seconds from a Retry-After value: delay-seconds or an HTTP-date. */
static long
parse_retry_after(const char *value)
{
	time_t when, now;
	char *end;
	long secs;

	if (isdigit((unsigned char)value[0])) {
		errno = 0;
		secs = strtol(value, &end, 10);
		if (*end)
			return -1;
		return errno == ERANGE ? LONG_MAX : secs;
	}
	if ((when = curl_getdate(value, NULL)) < 0)
		return -1;
	now = time(NULL);
	return when > now ? (long)(when - now) : 0;
}

static int
header_is(const char *line, size_t namelen, const char *name)
{
	return strlen(name) == namelen && strncasecmp(line, name, namelen) == 0;
}

static size_t
on_header(char *line, size_t size, size_t n, void *userdata)
{
	struct transfer *t = userdata;
	struct fetch_response *r = t->r;
	char **field = NULL, *value;
	const char *colon, *v;
	size_t namelen, vlen;

	if (n > FETCH_MAX_HEADER_BYTES - t->header_bytes) {
		t->headers_too_large = 1;
		return 0;
	}
	t->header_bytes += n;
	if (n >= 5 && memcmp(line, "HTTP/", 5) == 0) {
		/* Each redirect and interim 1xx response starts over with a
		   status line; only the final response's headers count. */
		response_clear(r);
		t->header_bytes = n;
		return n;
	}
	if (!(colon = memchr(line, ':', n)))
		return n;
	namelen = (size_t)(colon - line);
	if (header_is(line, namelen, "ETag"))
		field = &r->etag;
	else if (header_is(line, namelen, "Last-Modified"))
		field = &r->last_modified;
	else if (header_is(line, namelen, "Content-Type"))
		field = &r->content_type;
	else if (!header_is(line, namelen, "Retry-After"))
		return n;
	v = colon + 1;
	vlen = n - namelen - 1;
	while (vlen && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	while (vlen && isspace((unsigned char)v[vlen - 1]))
		vlen--;
	if (!(value = strndup(v, vlen)))
		return 0;
	if (field) {
		free(*field);
		*field = value;
	} else {
		r->retry_after = parse_retry_after(value);
		free(value);
	}
	return n;
}

static int
add_header(struct curl_slist **list, const char *name, const char *value)
{
	struct curl_slist *l = NULL;
	struct buf line;

	if (!value)
		return 0;
	buf_init(&line, FETCH_MAX_HEADER_BYTES);
	/* A stored validator with a line break would inject headers. */
	if (!strpbrk(value, "\r\n") &&
	    buf_printf(&line, "%s: %s", name, value) == 0 &&
	    (l = curl_slist_append(*list, line.data)))
		*list = l;
	buf_release(&line);
	return l ? 0 : -1;
}

static int
request_headers(const struct fetch_request *req, struct curl_slist **list)
{
	return add_header(list, "Accept", req->accept) < 0 ||
	       add_header(list, "Content-Type",
			  req->post_body ? req->content_type : NULL) < 0 ||
	       add_header(list, "If-None-Match", req->etag) < 0 ||
	       add_header(list, "If-Modified-Since", req->last_modified) < 0
		       ? -1 : 0;
}

static int
status_result(long status)
{
	if (status >= 200 && status <= 299)
		return FETCH_OK;
	if (status == 304)
		return FETCH_NOT_MODIFIED;
	if (status == 408 || status == 429 || (status >= 500 && status <= 599))
		return FETCH_TEMPFAIL;
	return FETCH_PERMFAIL;
}

/* Failures that trying again later will not cure. */
static int
transport_result(CURLcode res)
{
	switch (res) {
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_TOO_MANY_REDIRECTS:
	case CURLE_FILESIZE_EXCEEDED:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return FETCH_PERMFAIL;
	default:
		return FETCH_TEMPFAIL;
	}
}

static void
set_options(CURL *curl, const struct fetch_request *req,
	    const struct fetch_options *o, struct curl_slist *headers,
	    struct transfer *t, char *curlerr)
{
	curl_easy_setopt(curl, CURLOPT_URL, req->url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, o->timeout);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
			 o->connect_timeout > 0 ? o->connect_timeout : o->timeout);
	/* A server trickling bytes would otherwise hold us for the whole
	   timeout on every poll. */
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, o->timeout);
	curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
	/* The daemon owns its signal handlers; libcurl must not install
	   SIGALRM or SIGPIPE ones behind its back (this build resolves
	   names in a thread, so DNS timeouts still work). */
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(curl, CURLOPT_USERAGENT, TENDERLOTS_USER_AGENT);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curlerr);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, t);
	if (req->post_body) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)strlen(req->post_body));
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req->post_body);
	}
}

int
fetch_http(const struct fetch_request *req, const struct fetch_options *o,
	   struct fetch_response *r, char *err, size_t errlen)
{
	char curlerr[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers = NULL;
	struct transfer t = { .r = r };
	char *shown, *url = NULL;
	CURL *curl = NULL;
	CURLcode res;
	int rc = FETCH_PERMFAIL;

	response_clear(r);
	r->body.max = o->max_bytes;
	if (!(shown = url_without_userinfo(req->url))) {
		snprintf(err, errlen, "out of memory");
		return FETCH_TEMPFAIL;
	}
	if (o->timeout <= 0) {
		snprintf(err, errlen, "%s: no timeout set", shown);
		goto out;
	}
	if (!(curl = curl_easy_init()) || request_headers(req, &headers) < 0) {
		snprintf(err, errlen, "%s: cannot set up the request", shown);
		goto out;
	}
	set_options(curl, req, o, headers, &t, curlerr);
	res = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
	if (curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url)
		r->effective_url = url_without_userinfo(url);
	if (t.body_too_large || res == CURLE_FILESIZE_EXCEEDED) {
		snprintf(err, errlen, "%s: larger than the limit of %zu bytes",
			 shown, o->max_bytes);
		goto out;
	}
	if (t.headers_too_large) {
		snprintf(err, errlen, "%s: headers larger than %d bytes", shown,
			 FETCH_MAX_HEADER_BYTES);
		goto out;
	}
	if (res != CURLE_OK) {
		snprintf(err, errlen, "%s: %s", shown,
			 curlerr[0] ? curlerr : curl_easy_strerror(res));
		rc = transport_result(res);
		goto out;
	}
	if ((rc = status_result(r->status)) == FETCH_NOT_MODIFIED)
		buf_reset(&r->body);
	else if (rc != FETCH_OK)
		snprintf(err, errlen, "%s: HTTP %ld", shown, r->status);
out:
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	free(shown);
	return rc;
}

long
fetch_backoff(int failures, long retry_after, long max_delay)
{
	long delay = 60;
	int i;

	for (i = 1; i < failures && delay < max_delay && delay <= LONG_MAX / 2; i++)
		delay *= 2;
	if (delay > max_delay)
		delay = max_delay;
	return delay > retry_after ? delay : retry_after;
}
