#ifndef TENDERLOTS_WEB_H
#define TENDERLOTS_WEB_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

/*
 * The HTTP side of the web endpoint, on libmicrohttpd: a pool of threads
 * that read requests with a cap on each part, hand each whole request to
 * a handler, and send its answer with the security headers every page
 * needs (CSP, X-Content-Type-Options, Referrer-Policy, X-Frame-Options,
 * no caching of pages with links that act for a firm). It refuses what
 * no page could use (a path that is not UTF-8, ambiguous framing), reads
 * multipart/form-data forms into the urlencoded form a handler gets,
 * finds the client behind a trusted proxy, and limits the connections of
 * each direct peer. It knows nothing of the pages.
 */
enum web_method { WEB_GET, WEB_HEAD, WEB_POST, WEB_OTHER };

/* A file sent in a multipart form to an upload path. */
struct web_file {
	char *field;		/* the form field's name */
	char *name;		/* the client's file name: show it escaped,
				   never use it as a path */
	struct buf data;
};

struct web_request {
	enum web_method method;
	const char *path;	/* decoded, without the query */
	const char *query;	/* raw, without '?'; "" for none */
	const char *content_type;	/* NULL for none; a multipart/form-data
					 * form comes as x-www-form-urlencoded */
	const char *body;	/* NUL-terminated; "" for none */
	size_t body_len;
	const char *client;	/* the client's address: the peer's, or what a
				 * trusted proxy says it is */
	int peer_trusted;	/* the direct peer is a trusted proxy */
	const char *if_none_match;	/* NULL for none */
	const char *if_modified_since;	/* NULL for none */
	void *connection;	/* http.c's, for web_header */
	const struct web_file *files;	/* uploads only; others come as the
					   field's value, as before */
	size_t nfiles;
};

/* A Set-Cookie line: a name, a session id and its attributes. */
#define WEB_COOKIE_MAX 256

struct web_response {
	int status;
	const char *content_type;	/* NULL: text/html; charset=utf-8 */
	struct buf body;
	char location[1024];	/* a redirect's target; "" for none */
	char filename[128];	/* a download's name; "" for none */
	int cache;		/* may be cached a few minutes: public pages */
	int allow;		/* 405: the methods allowed, as WEB_GET... bits */
	char etag[48];		/* a strong validator, quoted; "" for none */
	time_t last_modified;	/* 0 for none */
	char set_cookie[WEB_COOKIE_MAX];	/* "" for none */
};

typedef void (*web_handler)(void *arg, const struct web_request *req,
			    struct web_response *res);

struct web_options {
	const char *address;	/* an IPv4 or IPv6 address to listen on */
	int port;		/* 0: any free port (tests) */
	size_t max_body;	/* larger bodies get 413 */
	/* a POST to a path under upload_prefix (NULL: none) may send
	   max_upload bytes, its files apart from the fields, at most
	   WEB_MAX_FILES of them */
	const char *upload_prefix;
	size_t max_upload;
	size_t max_uri;		/* longer request lines get 414 */
	unsigned threads;	/* requests served at once */
	/* peers (addresses, prefixes as 10.0.0.0/8) whose X-Real-IP /
	 * X-Forwarded-For name the client, NULL-terminated; NULL for none */
	char *const *trusted_proxies;
};

/*
 * A request header's value, within MHD's cap on the headers; NULL when
 * it was not sent, or sent more than once (whose word would it be?).
 */
const char *web_header(const struct web_request *req, const char *name);
#define WEB_MAX_FILES 20

struct web;

/* Starts listening; NULL (reported) if it cannot. */
struct web *web_start(const struct web_options *o, web_handler h, void *arg);
/* The port it listens on. */
int web_port(const struct web *w);
/* Finishes the request in hand and stops. */
void web_stop(struct web *w);

#endif
