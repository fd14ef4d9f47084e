#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "form.h"
#include "log.h"
#include "netaddr.h"
#include "utf8.h"
#include "web.h"

/* Pages are rendered server-side with inline styles and nothing else. */
#define CSP "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; " \
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/*
 * Connections one direct peer may hold open at once, so a few slow ones
 * cannot take every slot. A trusted proxy's are not counted: it carries
 * everyone's requests.
 */
#define PEER_CONNECTIONS 20
/* Connections at once, as far as the file descriptors allow. */
#define MAX_CONNECTIONS 4096
/* Descriptors left for the database, the log and the mail relay. */
#define RESERVED_FDS 64
/* A connection that sends nothing this long is closed (slowloris). */
#define CONNECTION_TIMEOUT 30
/* Every X-Forwarded-For line of a request, joined. */
#define FORWARDED_MAX 1024
/* The multipart reader's buffer: a field name and a boundary fit. */
#define MULTIPART_BUFFER 1024

/* A direct peer with connections open. */
struct peer {
	struct netaddr addr;
	unsigned connections;
};

struct web {
	struct MHD_Daemon *daemon;
	web_handler handler;
	void *arg;
	size_t max_body;
	size_t max_uri;
	const char *upload_prefix;
	size_t max_upload;
	int port;
	struct netprefix *trusted;
	size_t ntrusted;
	/* one entry per peer, so never more than connections */
	pthread_mutex_t peers_lock;
	struct peer *peers;
	size_t npeers, max_peers;
};

/* One request being read: its raw URI, and its body up to the cap. */
struct request {
	char *uri;
	char client[NETADDR_TEXT_MAX];
	int peer_trusted;
	struct buf body;	/* as sent, or a multipart form re-encoded */
	size_t received;	/* bytes of the body as sent */
	size_t max_body;	/* this request's cap */
	int upload;		/* keeps its files apart */
	struct web_file files[WEB_MAX_FILES];
	size_t nfiles;
	struct MHD_PostProcessor *multipart;
	const char *content_type;	/* the body's, as the handler gets it */
	int too_long;		/* the URI was */
	int too_big;		/* the body was */
	int bad_form;		/* a multipart body that could not be read */
	int headers_read;	/* MHD's first call: the body is still to come */
};

/* What framing and the client's address depend on, over every line. */
struct headers {
	const char *length;	/* a Content-Length */
	int lengths_differ;
	const char *transfer_encoding;
	int transfer_encodings;
	const char *real_ip;
	int real_ips;
	struct buf forwarded;	/* the X-Forwarded-For lines, joined by ',' */
	int forwarded_too_long;
};

static int
trusted(const struct web *w, const struct netaddr *a)
{
	size_t i;

	for (i = 0; i < w->ntrusted; i++)
		if (netprefix_contains(&w->trusted[i], a))
			return 1;
	return 0;
}

static struct peer *
find_peer(struct web *w, const struct netaddr *a)
{
	size_t i;

	for (i = 0; i < w->npeers; i++)
		if (netaddr_equal(&w->peers[i].addr, a))
			return &w->peers[i];
	return NULL;
}

/*
 * A direct peer at its limit is turned away at accept. Between this check
 * and the count of MHD_CONNECTION_NOTIFY_STARTED another thread may admit
 * one more of its connections: the limit can be passed by the threads.
 */
static enum MHD_Result
accept_peer(void *cls, const struct sockaddr *sa, socklen_t len)
{
	struct web *w = cls;
	struct netaddr a;
	struct peer *p;
	int ok;

	(void)len;
	if (netaddr_from_sockaddr(sa, &a) < 0 || trusted(w, &a))
		return MHD_YES;
	pthread_mutex_lock(&w->peers_lock);
	p = find_peer(w, &a);
	ok = !p || p->connections < PEER_CONNECTIONS;
	pthread_mutex_unlock(&w->peers_lock);
	return ok ? MHD_YES : MHD_NO;
}

/* Counted when MHD has the connection: every start has its close. */
static void
count_connection(void *cls, struct MHD_Connection *c, void **socket_context,
		 enum MHD_ConnectionNotificationCode code)
{
	struct web *w = cls;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	struct netaddr a;
	struct peer *p;

	(void)socket_context;
	if (!ci || netaddr_from_sockaddr(ci->client_addr, &a) < 0 ||
	    trusted(w, &a))
		return;
	pthread_mutex_lock(&w->peers_lock);
	p = find_peer(w, &a);
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		if (p)
			p->connections++;
		else if (w->npeers < w->max_peers)
			w->peers[w->npeers++] = (struct peer){ a, 1 };
	} else if (p && --p->connections == 0) {
		*p = w->peers[--w->npeers];
	}
	pthread_mutex_unlock(&w->peers_lock);
}

/* The first thing MHD knows of a request is its URI, as sent. */
static void *
start_request(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct web *w = cls;
	struct request *r = calloc(1, sizeof *r);

	(void)c;
	if (!r)
		return NULL;
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
	size_t i;

	(void)cls;
	(void)c;
	(void)toe;
	if (!r)
		return;
	MHD_destroy_post_processor(r->multipart);
	buf_release(&r->body);
	for (i = 0; i < r->nfiles; i++) {
		free(r->files[i].field);
		free(r->files[i].name);
		buf_release(&r->files[i].data);
	}
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

static enum MHD_Result
scan_header(void *cls, enum MHD_ValueKind kind, const char *key,
	    const char *value)
{
	struct headers *h = cls;

	(void)kind;
	if (!value)
		value = "";
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		if (h->length && strcmp(h->length, value) != 0)
			h->lengths_differ = 1;
		h->length = value;
	} else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
		h->transfer_encoding = value;
		h->transfer_encodings++;
	} else if (strcasecmp(key, "X-Real-IP") == 0) {
		h->real_ip = value;
		h->real_ips++;
	} else if (strcasecmp(key, "X-Forwarded-For") == 0) {
		if ((h->forwarded.len && buf_addc(&h->forwarded, ',') < 0) ||
		    buf_adds(&h->forwarded, value) < 0)
			h->forwarded_too_long = 1;
	}
	return MHD_YES;
}

/* An address between optional spaces, as header lists have them. */
static int
parse_field(const char *s, size_t n, struct netaddr *out)
{
	char text[NETADDR_TEXT_MAX];

	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= sizeof text)
		return -1;
	memcpy(text, s, n);
	text[n] = '\0';
	return netaddr_parse(text, out);
}

/*
 * Each proxy appends the address it was called from: the rightmost one
 * that is not a proxy of ours is the client, what lies left of it is
 * the client's to write.
 */
static int
forwarded_client(const struct web *w, const struct headers *h,
		 struct netaddr *out)
{
	const char *list = buf_str(&h->forwarded);
	size_t end = h->forwarded.len, start;

	if (h->forwarded_too_long)
		return -1;
	for (;;) {
		start = end;
		while (start > 0 && list[start - 1] != ',')
			start--;
		if (parse_field(list + start, end - start, out) < 0)
			return -1;
		if (start == 0 || !trusted(w, out))
			return 0;
		end = start - 1;
	}
}

/*
 * The peer, or whom a trusted proxy says it called for; a header that
 * does not name one address plainly is no one's word, and the peer is
 * taken.
 */
static void
client_of(const struct web *w, struct MHD_Connection *c,
	  const struct headers *h, char out[NETADDR_TEXT_MAX], int *peer_trusted)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	struct netaddr peer, client;
	int ok = 0;

	*peer_trusted = 0;
	if (!ci || netaddr_from_sockaddr(ci->client_addr, &peer) < 0) {
		snprintf(out, NETADDR_TEXT_MAX, "unknown");
		return;
	}
	if ((*peer_trusted = trusted(w, &peer))) {
		if (h->real_ips)
			ok = h->real_ips == 1 &&
			     parse_field(h->real_ip, strlen(h->real_ip),
					 &client) == 0;
		else if (h->forwarded.len || h->forwarded_too_long)
			ok = forwarded_client(w, h, &client) == 0;
	}
	netaddr_format(ok ? &client : &peer, out);
}

struct header_lookup {
	const char *name;
	const char *value;
	int times;
};

static enum MHD_Result
find_header(void *cls, enum MHD_ValueKind kind, const char *key,
	    const char *value)
{
	struct header_lookup *l = cls;

	(void)kind;
	if (strcasecmp(key, l->name) == 0) {
		l->value = value ? value : "";
		l->times++;
	}
	return MHD_YES;
}

const char *
web_header(const struct web_request *req, const char *name)
{
	struct header_lookup l = { name, NULL, 0 };

	MHD_get_connection_values(req->connection, MHD_HEADER_KIND,
				  find_header, &l);
	return l.times == 1 ? l.value : NULL;
}

/* A path no page has: not UTF-8, or a NUL once decoded. */
static int
path_ok(const char *raw, const char *decoded)
{
	size_t n = strcspn(raw, "?");
	const char *p;

	for (p = raw; p + 2 < raw + n; p++)
		if (p[0] == '%' && p[1] == '0' && p[2] == '0')
			return 0;
	return utf8_valid(decoded, strlen(decoded));
}

/*
 * A multipart field, a piece at a time, appended to the body as the
 * urlencoded pair a browser would have sent for it. The handler's form
 * reader refuses a NUL; form_escape would stop at one, so it is refused
 * here.
 */
/*
 * A file of an upload, a piece at a time; a file input left empty sends
 * a part with no name and no bytes, which is no file.
 */
static enum MHD_Result
add_file(struct request *r, const char *key, const char *filename,
	 const char *data, uint64_t off, size_t size)
{
	struct web_file *f;

	if (off == 0) {
		if (!*filename && !size)
			return MHD_YES;
		if (r->nfiles == WEB_MAX_FILES)
			goto bad;
		f = &r->files[r->nfiles++];
		buf_init(&f->data, r->max_body);
		if (!(f->field = strdup(key)) || !(f->name = strdup(filename)))
			goto bad;
	}
	if (!r->nfiles)
		return MHD_YES;
	f = &r->files[r->nfiles - 1];
	if (size && buf_add(&f->data, data, size) < 0)
		goto bad;
	return MHD_YES;
bad:
	r->bad_form = 1;
	return MHD_NO;
}

static enum MHD_Result
add_field(void *cls, enum MHD_ValueKind kind, const char *key,
	  const char *filename, const char *content_type,
	  const char *transfer_encoding, const char *data, uint64_t off,
	  size_t size)
{
	struct request *r = cls;
	char piece[256];
	size_t i, n;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (r->upload && filename)
		return add_file(r, key, filename, data, off, size);
	if (off == 0 &&
	    ((r->body.len && buf_addc(&r->body, '&') < 0) ||
	     form_escape(key, &r->body) < 0 || buf_addc(&r->body, '=') < 0))
		goto bad;
	if (size && memchr(data, '\0', size))
		goto bad;
	for (i = 0; i < size; i += n) {
		n = size - i < sizeof piece - 1 ? size - i : sizeof piece - 1;
		memcpy(piece, data + i, n);
		piece[n] = '\0';
		if (form_escape(piece, &r->body) < 0)
			goto bad;
	}
	return MHD_YES;
bad:
	r->bad_form = 1;
	return MHD_NO;
}

static void
add_header(struct MHD_Response *resp, const char *name, const char *value)
{
	if (MHD_add_response_header(resp, name, value) == MHD_NO)
		log_warnx("web: cannot add the %s header", name);
}

/* HEAD gets GET's headers, Content-Length too; MHD leaves out the body. */
static enum MHD_Result
send_response(struct MHD_Connection *c, struct web_response *res)
{
	struct MHD_Response *resp;
	char disposition[192], allow[64], date[64];
	enum MHD_Result ret;
	struct tm tm;

	/* a 304 says only that the client's copy is right */
	resp = MHD_create_response_from_buffer(res->status == 304 ? 0 :
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
	if (res->set_cookie[0])
		add_header(resp, MHD_HTTP_HEADER_SET_COOKIE, res->set_cookie);
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
	ret = send_response(c, &res);
	buf_release(&res.body);
	return ret;
}

/*
 * MHD's first call, with the headers read and the body not: what cannot
 * be served is answered now, before a byte of the body is taken, and
 * MHD closes the connection after it. Two lengths, or a length and
 * chunks, are two ways to frame one body: a proxy in front may have
 * taken the other (request smuggling).
 */
static enum MHD_Result
read_headers(struct web *w, struct MHD_Connection *c, const char *url,
	     struct request *r)
{
	struct headers h = { 0 };
	const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
			MHD_HTTP_HEADER_CONTENT_TYPE);
	enum MHD_Result ret;

	r->headers_read = 1;
	buf_init(&h.forwarded, FORWARDED_MAX);
	MHD_get_connection_values(c, MHD_HEADER_KIND, scan_header, &h);
	if (r->too_long) {
		ret = send_plain(c, MHD_HTTP_URI_TOO_LONG, "URI too long\n");
		goto out;
	}
	if (!path_ok(r->uri, url)) {
		ret = send_plain(c, MHD_HTTP_BAD_REQUEST, "Bad request\n");
		goto out;
	}
	if (h.lengths_differ || (h.length && h.transfer_encoding)) {
		ret = send_plain(c, MHD_HTTP_BAD_REQUEST,
				 "Ambiguous request length\n");
		goto out;
	}
	if (h.transfer_encoding && (h.transfer_encodings > 1 ||
	    strcasecmp(h.transfer_encoding, "chunked") != 0)) {
		ret = send_plain(c, MHD_HTTP_NOT_IMPLEMENTED,
				 "Transfer-Encoding not supported\n");
		goto out;
	}
	client_of(w, c, &h, r->client, &r->peer_trusted);
	/* a byte of a field takes at most three once re-encoded */
	buf_init(&r->body, 3 * w->max_body);
	r->max_body = w->max_body;
	r->content_type = type;
	if (type && strncasecmp(type, MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA,
				strlen(MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA)) == 0) {
		r->content_type = MHD_HTTP_POST_ENCODING_FORM_URLENCODED;
		/* the fields keep their cap; the files have the upload's */
		if (w->upload_prefix && strncmp(url, w->upload_prefix,
						strlen(w->upload_prefix)) == 0) {
			r->upload = 1;
			r->max_body = w->max_upload;
		}
		if (!(r->multipart = MHD_create_post_processor(c,
				MULTIPART_BUFFER, add_field, r)))
			r->bad_form = 1;
	}
	ret = MHD_YES;
out:
	buf_release(&h.forwarded);
	return ret;
}

/* Body bytes: kept up to the cap, then read on and dropped, to answer 413. */
static void
read_body(struct request *r, const char *data, size_t size)
{
	if (r->too_big || r->bad_form)
		return;
	if (size > r->max_body - r->received) {
		r->too_big = 1;
		return;
	}
	r->received += size;
	if (r->multipart ? MHD_post_process(r->multipart, data, size) == MHD_NO :
	    buf_add(&r->body, data, size) < 0)
		r->bad_form = 1;
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
	const char *q;
	enum MHD_Result ret;

	(void)version;
	if (!r)
		return MHD_NO;
	if (!r->headers_read)
		return read_headers(w, c, url, r);
	if (*upload_data_size > 0) {
		read_body(r, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->too_big)
		return send_plain(c, MHD_HTTP_CONTENT_TOO_LARGE,
				  "Request body too large\n");
	if (r->multipart) {
		if (MHD_destroy_post_processor(r->multipart) == MHD_NO)
			r->bad_form = 1;
		r->multipart = NULL;
	}
	if (r->bad_form)
		return send_plain(c, MHD_HTTP_BAD_REQUEST, "Bad form\n");
	q = strchr(r->uri, '?');
	req = (struct web_request){
		.method = method_of(method),
		.path = url,
		.query = q ? q + 1 : "",
		.content_type = r->content_type,
		.body = buf_str(&r->body),
		.body_len = r->body.len,
		.client = r->client,
		.peer_trusted = r->peer_trusted,
		.connection = c,
		.if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
				MHD_HTTP_HEADER_IF_NONE_MATCH),
		.if_modified_since = MHD_lookup_connection_value(c,
				MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MODIFIED_SINCE),
		.files = r->files,
		.nfiles = r->nfiles,
	};
	memset(&res, 0, sizeof res);
	res.status = MHD_HTTP_OK;
	buf_init(&res.body, 8u * 1024u * 1024u);
	w->handler(w->arg, &req, &res);
	ret = send_response(c, &res);
	buf_release(&res.body);
	return ret;
}

/*
 * As many connections as there are descriptors for, up to
 * MAX_CONNECTIONS: the soft limit is raised towards the hard one if it
 * is lower than that.
 */
static unsigned
connection_limit(void)
{
	const rlim_t want = MAX_CONNECTIONS + RESERVED_FDS;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1024 - RESERVED_FDS;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want &&
	    rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ?
			      want : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0 &&
		    getrlimit(RLIMIT_NOFILE, &rl) < 0)
			return 1024 - RESERVED_FDS;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return MAX_CONNECTIONS;
	return rl.rlim_cur > 2 * RESERVED_FDS ?
	       (unsigned)(rl.rlim_cur - RESERVED_FDS) : (unsigned)rl.rlim_cur / 2;
}

static int
parse_trusted(struct web *w, char *const *list)
{
	size_t n = 0;

	while (list && list[n])
		n++;
	if (n && !(w->trusted = calloc(n, sizeof *w->trusted)))
		return error("out of memory");
	for (w->ntrusted = 0; w->ntrusted < n; w->ntrusted++)
		if (netprefix_parse(list[w->ntrusted],
				    &w->trusted[w->ntrusted]) < 0)
			return error("web: trusted proxy '%s' is not an address "
				     "or prefix", list[w->ntrusted]);
	return 0;
}

/* The listening address: IPv6 ones take IPv4 too, :: is every address. */
static int
listen_address(const struct web_options *o, struct sockaddr_storage *ss,
	       unsigned *flags)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, o->address, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)o->port);
		return 0;
	}
	if (inet_pton(AF_INET6, o->address, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)o->port);
		*flags |= MHD_USE_DUAL_STACK;
		return 0;
	}
	return error("web: '%s' is not an IPv4 or IPv6 address", o->address);
}

struct web *
web_start(const struct web_options *o, web_handler h, void *arg)
{
	struct web *w = calloc(1, sizeof *w), *started = NULL;
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *di;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
			 MHD_USE_ERROR_LOG;
	unsigned limit = connection_limit();

	if (!w) {
		error("out of memory");
		return NULL;
	}
	*w = (struct web){ .handler = h, .arg = arg, .max_body = o->max_body,
			   .max_uri = o->max_uri, .port = o->port,
			   .upload_prefix = o->upload_prefix,
			   .max_upload = o->max_upload > o->max_body ?
					 o->max_upload : o->max_body,
			   .max_peers = limit };
	pthread_mutex_init(&w->peers_lock, NULL);
	if (listen_address(o, &ss, &flags) < 0 ||
	    parse_trusted(w, o->trusted_proxies) < 0)
		goto out;
	if (!(w->peers = calloc(limit, sizeof *w->peers))) {
		error("out of memory");
		goto out;
	}
	w->daemon = MHD_start_daemon(flags, (uint16_t)o->port,
		accept_peer, w, on_request, w,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, o->threads > 1 ? o->threads : 0u,
		MHD_OPTION_URI_LOG_CALLBACK, start_request, w,
		MHD_OPTION_NOTIFY_COMPLETED, end_request, w,
		MHD_OPTION_NOTIFY_CONNECTION, count_connection, w,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT,
		MHD_OPTION_CONNECTION_LIMIT, limit,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_END);
	if (!w->daemon) {
		error("web: cannot listen on %s port %d", o->address, o->port);
		goto out;
	}
	if ((di = MHD_get_daemon_info(w->daemon, MHD_DAEMON_INFO_BIND_PORT)))
		w->port = di->port;
	started = w;
	w = NULL;
out:
	web_stop(w);
	return started;
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
	if (w->daemon)
		MHD_stop_daemon(w->daemon);
	pthread_mutex_destroy(&w->peers_lock);
	free(w->trusted);
	free(w->peers);
	free(w);
}
