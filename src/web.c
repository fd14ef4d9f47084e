#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "log.h"
#include "web.h"

/* Pages are rendered server-side with inline styles and nothing else. */
#define CSP "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; " \
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

struct web {
	struct MHD_Daemon *daemon;
	web_handler handler;
	void *arg;
	size_t max_body;
	size_t max_uri;
	int port;
};

/* One request being read: its raw URI, and its body up to the cap. */
struct request {
	char *uri;
	struct buf body;
	int too_long;		/* the URI was */
	int too_big;		/* the body was */
	int headers_read;	/* MHD's first call: the body is still to come */
};

/* The first thing MHD knows of a request is its URI, as sent. */
static void *
start_request(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct web *w = cls;
	struct request *r = calloc(1, sizeof *r);

	(void)c;
	if (!r)
		return NULL;
	buf_init(&r->body, w->max_body);
	if (!uri)
		uri = "";
	r->too_long = strlen(uri) > w->max_uri;
	r->uri = strndup(uri, w->max_uri);
	if (!r->uri) {
		free(r);
		return NULL;
	}
	return r;
}

static void
end_request(void *cls, struct MHD_Connection *c, void **req_cls,
	    enum MHD_RequestTerminationCode toe)
{
	struct request *r = *req_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (!r)
		return;
	buf_release(&r->body);
	free(r->uri);
	free(r);
	*req_cls = NULL;
}

static enum web_method
method_of(const char *m)
{
	if (strcmp(m, MHD_HTTP_METHOD_GET) == 0)
		return WEB_GET;
	if (strcmp(m, MHD_HTTP_METHOD_HEAD) == 0)
		return WEB_HEAD;
	if (strcmp(m, MHD_HTTP_METHOD_POST) == 0)
		return WEB_POST;
	return WEB_OTHER;
}

static void
client_of(struct MHD_Connection *c, char *out, size_t len)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, len, "unknown");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  out, (socklen_t)len);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
			  out, (socklen_t)len);
}

static void
add_header(struct MHD_Response *resp, const char *name, const char *value)
{
	if (MHD_add_response_header(resp, name, value) == MHD_NO)
		log_warnx("web: cannot add the %s header", name);
}

static enum MHD_Result
send_response(struct MHD_Connection *c, struct web_response *res, int head)
{
	struct MHD_Response *resp;
	char disposition[192], allow[64], date[64];
	enum MHD_Result ret;
	struct tm tm;

	/* a 304 says only that the client's copy is right */
	resp = MHD_create_response_from_buffer(head || res->status == 304 ? 0 :
					       res->body.len,
					       res->body.data ? res->body.data : "",
					       MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	add_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type ?
		   res->content_type : "text/html; charset=utf-8");
	add_header(resp, "Content-Security-Policy", CSP);
	add_header(resp, "X-Content-Type-Options", "nosniff");
	/* links carry the tokens that act for a firm: never pass them on */
	add_header(resp, "Referrer-Policy", "no-referrer");
	add_header(resp, "X-Frame-Options", "DENY");
	add_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, res->cache ?
		   "public, max-age=300" : "no-store");
	if (res->location[0])
		add_header(resp, MHD_HTTP_HEADER_LOCATION, res->location);
	if (res->etag[0])
		add_header(resp, MHD_HTTP_HEADER_ETAG, res->etag);
	if (res->last_modified > 0 &&
	    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT",
		     gmtime_r(&res->last_modified, &tm)) > 0)
		add_header(resp, MHD_HTTP_HEADER_LAST_MODIFIED, date);
	if (res->filename[0]) {
		snprintf(disposition, sizeof disposition,
			 "attachment; filename=\"%s\"", res->filename);
		add_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, disposition);
	}
	if (res->status == MHD_HTTP_METHOD_NOT_ALLOWED) {
		snprintf(allow, sizeof allow, "%s",
			 res->allow & (1 << WEB_POST) ? "GET, HEAD, POST" :
			 "GET, HEAD");
		add_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
	}
	ret = MHD_queue_response(c, (unsigned)res->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* A short plain answer for what never reaches the handler. */
static enum MHD_Result
send_plain(struct MHD_Connection *c, int status, const char *text)
{
	struct web_response res = { .status = status,
				    .content_type = "text/plain; charset=utf-8" };
	enum MHD_Result ret;

	buf_init(&res.body, 1024);
	buf_adds(&res.body, text);
	ret = send_response(c, &res, 0);
	buf_release(&res.body);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
	   const char *method, const char *version, const char *upload_data,
	   size_t *upload_data_size, void **req_cls)
{
	struct web *w = cls;
	struct request *r = *req_cls;
	struct web_request req;
	struct web_response res;
	const char *q, *real;
	char client[INET6_ADDRSTRLEN + 1];
	enum MHD_Result ret;

	(void)version;
	if (!r)
		return MHD_NO;
	if (!r->headers_read) {
		r->headers_read = 1;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		/* read on past the cap, keeping nothing, to answer 413 */
		if (!r->too_big &&
		    buf_add(&r->body, upload_data, *upload_data_size) < 0)
			r->too_big = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->too_long)
		return send_plain(c, MHD_HTTP_URI_TOO_LONG, "URI too long\n");
	if (r->too_big)
		return send_plain(c, MHD_HTTP_CONTENT_TOO_LARGE,
				  "Request body too large\n");
	q = strchr(r->uri, '?');
	client_of(c, client, sizeof client);
	/*
	 * Behind the reverse proxy on this host every request comes from
	 * the loopback; the proxy says whose it is.
	 */
	if ((strcmp(client, "127.0.0.1") == 0 || strcmp(client, "::1") == 0) &&
	    (real = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Real-IP")) &&
	    strlen(real) < sizeof client)
		snprintf(client, sizeof client, "%s", real);
	req = (struct web_request){
		.method = method_of(method),
		.path = url,
		.query = q ? q + 1 : "",
		.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
				MHD_HTTP_HEADER_CONTENT_TYPE),
		.body = buf_str(&r->body),
		.body_len = r->body.len,
		.client = client,
		.if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
				MHD_HTTP_HEADER_IF_NONE_MATCH),
		.if_modified_since = MHD_lookup_connection_value(c,
				MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MODIFIED_SINCE),
	};
	memset(&res, 0, sizeof res);
	res.status = MHD_HTTP_OK;
	buf_init(&res.body, 8u * 1024u * 1024u);
	w->handler(w->arg, &req, &res);
	ret = send_response(c, &res, req.method == WEB_HEAD);
	buf_release(&res.body);
	return ret;
}

struct web *
web_start(const struct web_options *o, web_handler h, void *arg)
{
	struct web *w = calloc(1, sizeof *w);
	struct sockaddr_in sin;
	const union MHD_DaemonInfo *di;

	if (!w) {
		error("out of memory");
		return NULL;
	}
	*w = (struct web){ NULL, h, arg, o->max_body, o->max_uri, o->port };
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)o->port);
	if (inet_pton(AF_INET, o->address, &sin.sin_addr) != 1) {
		error("web: '%s' is not an IPv4 address", o->address);
		free(w);
		return NULL;
	}
	w->daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG,
		(uint16_t)o->port, NULL, NULL, on_request, w,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
		MHD_OPTION_URI_LOG_CALLBACK, start_request, w,
		MHD_OPTION_NOTIFY_COMPLETED, end_request, w,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)200,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)20,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_END);
	if (!w->daemon) {
		error("web: cannot listen on %s:%d", o->address, o->port);
		free(w);
		return NULL;
	}
	if ((di = MHD_get_daemon_info(w->daemon, MHD_DAEMON_INFO_BIND_PORT)))
		w->port = di->port;
	return w;
}

int
web_port(const struct web *w)
{
	return w->port;
}

void
web_stop(struct web *w)
{
	if (!w)
		return;
	MHD_stop_daemon(w->daemon);
	free(w);
}
