#ifndef TENDERLOTS_FETCH_H
#define TENDERLOTS_FETCH_H

#include <stddef.h>

#include "buf.h"
#include "config.h"

/*
 * Getting feed documents: local files and directories, and http(s) URLs
 * through libcurl, each capped in size and time.
 */

/* Sent with every request so publishers can tell who polls them. */
#define TENDERLOTS_USER_AGENT \
	"tenderlots/0.1 (procurement alerts for local firms of a Swedish municipality)"

struct fetch_options {
	long timeout;		/* seconds for a whole transfer; must be > 0 */
	long connect_timeout;	/* seconds; 0: the same as timeout */
	size_t max_bytes;	/* largest (decoded) document accepted */
};

/* Reads a whole local file, at most o->max_bytes. */
int fetch_file(const char *path, const struct fetch_options *o,
	       struct buf *out, char *err, size_t errlen);

struct fetch_request {
	const char *url;
	const char *post_body;		/* NULL: GET, else POST of this body */
	const char *content_type;	/* of the body, e.g. "application/json" */
	const char *accept;		/* Accept header or NULL */
	const char *etag;		/* validator from the last 200 for
					   If-None-Match, or NULL */
	const char *last_modified;	/* for If-Modified-Since, or NULL */
};

/*
 * What came back. The strings are NULL when the final response (after
 * redirects) had no such header. body holds what the server sent, also
 * for an error status (an API's explanation), and is empty after a 304.
 * effective_url is the URL after redirects, without any user:password.
 */
struct fetch_response {
	long status;		/* 0 if no response arrived */
	struct buf body;
	char *etag;
	char *last_modified;
	char *content_type;
	char *effective_url;
	long retry_after;	/* seconds (Retry-After as seconds or an
				   HTTP-date), -1 if none */
};

/* max_bytes is the body's initial cap; fetch_http replaces it with
   o->max_bytes, so one response can be reused for several requests. */
void fetch_response_init(struct fetch_response *r, size_t max_bytes);
void fetch_response_release(struct fetch_response *r);

enum fetch_result {
	FETCH_OK = 0,		  /* 2xx */
	FETCH_NOT_MODIFIED = 1,	  /* 304 */
	FETCH_TEMPFAIL = -1,	  /* cannot connect, timeout, 408, 429, 5xx:
				     try later, honouring retry_after */
	FETCH_PERMFAIL = -2	  /* other 4xx, too large, bad URL, unsupported
				     scheme, TLS verification failure */
};

/*
 * Sends one request, following at most 5 redirects, http and https only.
 * Returns an enum fetch_result; on a failure err names the URL (without
 * user:password) and the cause, e.g. "http://host/x: HTTP 503".
 * Needs curl_global_init() done once by the program.
 */
int fetch_http(const struct fetch_request *req, const struct fetch_options *o,
	       struct fetch_response *r, char *err, size_t errlen);

/*
 * Seconds to wait after the n-th consecutive failure (n >= 1): exponential
 * from 60 s, capped at max_delay, never less than retry_after.
 */
long fetch_backoff(int failures, long retry_after, long max_delay);

#endif
