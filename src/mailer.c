/* syncfs, where Linux has it */
#define _GNU_SOURCE

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

/* libesmtp.h declares smtp_starttls_set_ctx and smtp_auth_set_context
 * only after these */
#include <openssl/ssl.h>
#include <auth-client.h>
#include <libesmtp.h>

#include "buf.h"
#include "log.h"
#include "mail.h"
#include "mailer.h"

/*
 * Two faults of libESMTP 1.1.0 decide how TLS is set up. It gives every
 * session the one SSL_CTX it makes for the process, and frees it when the
 * first of those sessions is destroyed, so the next TLS session uses freed
 * memory: each mailer makes its own SSL_CTX instead and lends it to each
 * session (smtp_starttls_set_ctx takes a reference). And when a command
 * waits to be flushed and the socket is readable, it reads first: the
 * session tickets a TLS 1.3 server sends after the handshake can make it
 * wait for the reply to an EHLO it has not sent, until the timeout. TLS
 * 1.2 has no such tickets, so the mailer stays at 1.2.
 *
 * libssl comes into the process with libESMTP but is not on the link
 * line: weak references bind to that copy, and stay NULL with a libESMTP
 * built without TLS.
 */
#pragma weak TLS_client_method
#pragma weak SSL_CTX_new
#pragma weak SSL_CTX_ctrl
#pragma weak SSL_CTX_set_default_verify_paths
#pragma weak SSL_CTX_free

#define ADDR_MAX 256
#define HOST_MAX 256
#define WRITE_CHUNK 8192
#define REPLY_MAX 512
#define AUTH_FILE_MAX 4096
/* libESMTP's PLAIN and LOGIN copy each into a buffer of this size */
#define AUTH_FIELD_MAX 255
/* what the message callback hands libESMTP at once (its lengths are int) */
#define MESSAGE_CHUNK (1024 * 1024)
/* Maildir files written, then synced, together (descriptors held open) */
#define MAILDIR_CHUNK 64
/* a Maildir name made of a key, and its room with a hash at the end */
#define NAME_KEY_MAX 200
#define NAME_MAX_LEN (HOST_MAX * 4 + 96)

/* Maildir state: where to deliver, and what makes each file name unique. */
struct maildir {
	char *path;		/* absolute, so a later chdir() changes nothing */
	char host[HOST_MAX * 4];	/* gethostname() with / and : escaped */
	unsigned long counter;	/* deliveries by this process, for Q<n> */
};

/* SMTP settings, copied from the options. */
struct smtp {
	char server[HOST_MAX + 8];	/* "host:port", as libESMTP takes it */
	int port;
	char *user;		/* NULL: no AUTH */
	char *password;
	enum starttls_mode starttls;
	SSL_CTX *tls;		/* NULL with starttls off */
	long timeout_ms;	/* 0: libESMTP's defaults, those of RFC 5321 */
};

/* One item's envelope, checked, and whether done has heard of it. */
struct envelope {
	char from[ADDR_MAX];
	char to[ADDR_MAX];
	int reported;
};

/* One mailer_send_batch call. */
struct batch {
	const struct mailer_item *items;
	struct envelope *env;
	size_t n;
	mailer_done_fn done;
	void *arg;
	int stopped;		/* done returned -1 */
	char reply[REPLY_MAX];
};

/*
 * One transport. mailer_send_batch checks the envelopes and reports the
 * bad ones; send delivers the rest and reports each.
 */
struct transport {
	void (*send)(struct mailer *m, struct batch *b);
	void (*close)(struct mailer *m);
};

struct mailer {
	const struct transport *t;
	struct maildir md;
	struct smtp smtp;
};

/*
 * A reply goes into the store and the log, so whatever a server sent
 * becomes one line of printable ASCII, its spaces collapsed.
 */
static void
one_line(char *s)
{
	char *out = s;
	const char *p;

	for (p = s; *p; p++) {
		char c = *p;

		if ((unsigned char)c > 0x7e)
			c = '?';
		else if ((unsigned char)c < 0x20 || c == 0x7f)
			c = ' ';
		if (c == ' ' && (out == s || out[-1] == ' '))
			continue;
		*out++ = c;
	}
	while (out > s && out[-1] == ' ')
		out--;
	*out = '\0';
}

static void report(struct batch *b, size_t i, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Tells the caller what became of item i; stops the batch if it asks. */
static void
report(struct batch *b, size_t i, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->reply, sizeof b->reply, fmt, ap);
	va_end(ap);
	one_line(b->reply);
	b->env[i].reported = 1;
	if (b->done(i, status, b->reply, b->arg) < 0)
		b->stopped = 1;
}

/* Every item not reported yet failed for one reason, for now. */
static void
fail_unreported(struct batch *b, const char *why)
{
	size_t i;

	for (i = 0; i < b->n && !b->stopped; i++)
		if (!b->env[i].reported)
			report(b, i, MAILER_TEMPFAIL, "%s", why);
}

/* mkdir that accepts an existing directory, and only a directory. */
static int
ensure_dir(const char *path)
{
	struct stat st;

	if (mkdir(path, 0700) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	if (stat(path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* Creates path and each missing parent, like mkdir -p with mode 0700. */
static int
mkdir_p(const char *path)
{
	struct buf b;
	char *p;
	int rc = -1;

	buf_init(&b, PATH_MAX);
	if (buf_adds(&b, path) < 0) {
		error("maildir: path too long: %s", path);
		goto out;
	}
	for (p = b.data + 1; *p; p++) {
		if (*p != '/' || p[-1] == '/')
			continue;
		*p = '\0';
		if (ensure_dir(b.data) < 0) {
			error("maildir: mkdir %s: %s", b.data, strerror(errno));
			goto out;
		}
		*p = '/';
	}
	if (ensure_dir(b.data) < 0) {
		error("maildir: mkdir %s: %s", b.data, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	buf_release(&b);
	return rc;
}

/*
 * The host part of a unique name. The Maildir convention escapes / and :
 * as octal; anything unprintable is escaped too, so names stay one line.
 */
static void
maildir_host(char *out, size_t outlen)
{
	char host[HOST_MAX + 1];
	size_t i, n = 0;

	if (gethostname(host, HOST_MAX) < 0)
		strcpy(host, "localhost");
	host[HOST_MAX] = '\0';
	for (i = 0; host[i] && n + 5 < outlen; i++) {
		unsigned char c = (unsigned char)host[i];

		if (c == '/' || c == ':' || c < 0x21 || c > 0x7e)
			n += (size_t)snprintf(out + n, outlen - n, "\\%03o", c);
		else
			out[n++] = (char)c;
	}
	out[n] = '\0';
}

static int
maildir_open(struct maildir *md, const char *path)
{
	static const char *const sub[] = { "tmp", "new", "cur" };
	char dir[PATH_MAX];
	size_t i;

	if (!path || !*path)
		return error("maildir: no path given");
	if (mkdir_p(path) < 0)
		return -1;
	for (i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		if (snprintf(dir, sizeof dir, "%s/%s", path, sub[i]) >=
		    (int)sizeof dir)
			return error("maildir: path too long: %s", path);
		if (ensure_dir(dir) < 0)
			return error("maildir: mkdir %s: %s", dir,
				     strerror(errno));
	}
	md->path = realpath(path, NULL);
	if (!md->path)
		return error("maildir: %s: %s", path, strerror(errno));
	maildir_host(md->host, sizeof md->host);
	return 0;
}

/* Buffered writes to one file; on -1, errno tells why. */
struct writer {
	int fd;
	size_t len;
	char buf[WRITE_CHUNK];
};

static int
writer_flush(struct writer *w)
{
	const char *p = w->buf;
	ssize_t n;

	while (w->len > 0) {
		n = write(w->fd, p, w->len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		w->len -= (size_t)n;
	}
	return 0;
}

static int
writer_add(struct writer *w, const char *s, size_t n)
{
	size_t k;

	while (n > 0) {
		if (w->len == sizeof w->buf && writer_flush(w) < 0)
			return -1;
		k = sizeof w->buf - w->len;
		if (k > n)
			k = n;
		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
	}
	return 0;
}

/* The message with Maildir's LF line ends in place of CRLF. */
static int
writer_add_lf(struct writer *w, const char *msg, size_t len)
{
	const char *end = msg + len, *cr;

	while (msg < end) {
		cr = memchr(msg, '\r', (size_t)(end - msg));
		if (!cr)
			return writer_add(w, msg, (size_t)(end - msg));
		if (writer_add(w, msg, (size_t)(cr - msg)) < 0)
			return -1;
		/* a CR not before LF is content, not a line end */
		if (cr + 1 == end || cr[1] != '\n') {
			if (writer_add(w, "\r", 1) < 0)
				return -1;
		}
		msg = cr + 1;
	}
	return 0;
}

static int
fsync_dir(const char *path)
{
	int fd, rc;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	if (close(fd) < 0)
		rc = -1;
	return rc;
}

/*
 * A message's file name in the Maildir: its key with every byte but
 * letters, digits, '-' and '_' written as %XX, so that two keys never
 * share a name and a name holds no '/', ':' or ','; a name that would be
 * long ends in '~' and a hash of the whole key instead. Without a key, a
 * name unique by time, process and count, as Maildir's convention has it.
 */
static void
maildir_name(struct maildir *md, const char *key, char *out, size_t outlen)
{
	static const char hex[] = "0123456789ABCDEF";
	struct timespec ts;
	uint64_t hash = 14695981039346656037ULL;	/* FNV-1a */
	size_t i, n = 0;

	if (!key) {
		clock_gettime(CLOCK_REALTIME, &ts);
		md->counter++;
		snprintf(out, outlen, "%lld.M%ldP%ldQ%lu.%s",
			 (long long)ts.tv_sec, ts.tv_nsec / 1000L,
			 (long)getpid(), md->counter, md->host);
		return;
	}
	for (i = 0; key[i]; i++)
		hash = (hash ^ (unsigned char)key[i]) * 1099511628211ULL;
	for (i = 0; key[i]; i++) {
		unsigned char c = (unsigned char)key[i];

		if (n + 3 >= NAME_KEY_MAX) {
			snprintf(out + n, outlen - n, "~%016llx",
				 (unsigned long long)hash);
			return;
		}
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_') {
			out[n++] = (char)c;
		} else {
			out[n++] = '%';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		}
	}
	out[n] = '\0';
}

/* One message of a chunk on its way through tmp/ into new/. */
struct md_file {
	size_t i;		/* its item */
	int fd;
	enum { MD_WRITING, MD_RENAMED, MD_THERE, MD_FAILED } state;
	char name[NAME_MAX_LEN];
	char tmp[PATH_MAX], dst[PATH_MAX];
};

/* Whether a message of that name is in the Maildir, read or not. */
static int
maildir_has(const struct maildir *md, const char *name)
{
	/* a reader moves what it has shown into cur/, with flags after */
	static const char *const where[][2] = {
		{ "new/", "" }, { "cur/", ":2," }, { "cur/", ":2,S" },
	};
	char path[PATH_MAX];
	struct stat st;
	size_t k;

	for (k = 0; k < sizeof where / sizeof *where; k++)
		if (snprintf(path, sizeof path, "%s/%s%s%s", md->path,
			     where[k][0], name, where[k][1]) < (int)sizeof path &&
		    lstat(path, &st) == 0)
			return 1;
	return 0;
}

/* f failed at what; nothing of it is left behind. */
static void
md_fail(struct batch *b, struct md_file *f, const char *what, int err)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->state == MD_RENAMED)
		unlink(f->dst);
	else
		unlink(f->tmp);
	f->state = MD_FAILED;
	report(b, f->i, MAILER_TEMPFAIL, "maildir: %s%s: %s", what, f->name,
	       strerror(err));
}

/* Writes item f->i to tmp/ under its name, unless it is there already. */
static void
md_write(struct maildir *md, struct batch *b, struct md_file *f)
{
	const struct mailer_item *it = &b->items[f->i];
	const struct envelope *e = &b->env[f->i];
	struct writer w;

	f->fd = -1;
	f->state = MD_WRITING;
	maildir_name(md, it->key, f->name, sizeof f->name);
	if (snprintf(f->tmp, sizeof f->tmp, "%s/tmp/%s", md->path, f->name) >=
	    (int)sizeof f->tmp ||
	    snprintf(f->dst, sizeof f->dst, "%s/new/%s", md->path, f->name) >=
	    (int)sizeof f->dst) {
		f->state = MD_FAILED;
		report(b, f->i, MAILER_TEMPFAIL, "maildir: path too long: %s",
		       md->path);
		return;
	}
	/* delivered before a crash kept the caller from recording it */
	if (it->key && !it->first_try && maildir_has(md, f->name)) {
		f->state = MD_THERE;
		return;
	}
	/* a keyed leftover of a crash in tmp/ is written over */
	w.len = 0;
	w.fd = open(f->tmp, O_WRONLY | O_CREAT | O_CLOEXEC |
		    (it->key ? O_TRUNC : O_EXCL), 0600);
	if (w.fd < 0) {
		md_fail(b, f, "open tmp/", errno);
		return;
	}
	f->fd = w.fd;
	if (writer_add(&w, "Return-Path: <", 14) < 0 ||
	    writer_add(&w, e->from, strlen(e->from)) < 0 ||
	    writer_add(&w, ">\nDelivered-To: ", 16) < 0 ||
	    writer_add(&w, e->to, strlen(e->to)) < 0 ||
	    writer_add(&w, "\n", 1) < 0 ||
	    writer_add_lf(&w, it->data ? it->data : "", it->len) < 0 ||
	    writer_flush(&w) < 0) {
		md_fail(b, f, "write tmp/", errno);
		return;
	}
}

/*
 * The chunk's files written to tmp/ made durable, before any is renamed
 * into new/ (a file renamed first could come back from a crash empty,
 * under the name that tells a repeat it was delivered); 0 or an errno
 * for them all. On Linux one syncfs of the Maildir's file system: an
 * fsync a file cost each a journal commit of its own, and those 7,000
 * were half of a daily pass (bench/pass, strace -c). Elsewhere an fsync
 * a file, by the caller. The writes are not started file by file before
 * it (sync_file_range): that made a request to the disk a file, where
 * the sync merges them, and cost a day's pass 0.3 s (bench/pass).
 */
static int
md_sync_chunk(const struct md_file *files, size_t n)
{
#ifdef __linux__
	size_t k;

	for (k = 0; k < n; k++)
		if (files[k].state == MD_WRITING)
			return syncfs(files[k].fd) < 0 ? errno : 0;
#else
	(void)files;
	(void)n;
#endif
	return 0;
}

/*
 * Items from start on, up to MAILDIR_CHUNK of those not reported yet: each
 * written to tmp/, then synced together (md_sync_chunk), then each
 * renamed into new/, and new/ synced once, before any counts as given. So
 * a chunk costs two syncs, not two a file. Returns where the next chunk
 * starts.
 */
static size_t
maildir_chunk(struct mailer *m, struct batch *b, size_t start,
	      struct md_file *files)
{
	char newdir[PATH_MAX];
	size_t i, k, n = 0;
	int saved, dir_synced, synced;

	for (i = start; i < b->n && n < MAILDIR_CHUNK; i++) {
		if (b->env[i].reported)
			continue;
		files[n].i = i;
		md_write(&m->md, b, &files[n++]);
		if (b->stopped)
			break;
	}
	synced = b->stopped ? 0 : md_sync_chunk(files, n);
	for (k = 0; k < n && !b->stopped; k++) {
		struct md_file *f = &files[k];

		if (f->state != MD_WRITING)
			continue;
		if (synced != 0) {
			md_fail(b, f, "sync tmp/", synced);
			continue;
		}
#ifndef __linux__
		if (fsync(f->fd) < 0) {
			md_fail(b, f, "fsync tmp/", errno);
			continue;
		}
#endif
		saved = close(f->fd);
		f->fd = -1;
		if (saved < 0) {
			md_fail(b, f, "close tmp/", errno);
			continue;
		}
		if (rename(f->tmp, f->dst) < 0) {
			md_fail(b, f, "rename to new/", errno);
			continue;
		}
		f->state = MD_RENAMED;
	}
	snprintf(newdir, sizeof newdir, "%s/new", m->md.path);
	dir_synced = b->stopped || fsync_dir(newdir) == 0;
	saved = errno;
	for (k = 0; k < n; k++) {
		struct md_file *f = &files[k];

		if (b->stopped || (f->state != MD_RENAMED &&
				   f->state != MD_THERE))
			continue;
		if (f->state == MD_RENAMED && !dir_synced)
			md_fail(b, f, "fsync new/ for ", saved);
		else
			report(b, f->i, MAILER_OK, "maildir: new/%s%s", f->name,
			       f->state == MD_THERE ? " (delivered before)" : "");
	}
	/*
	 * The caller stopped: what it did not hear of must not stay, unless
	 * a repeat finds it by its key; a partial file never does.
	 */
	for (k = 0; k < n; k++) {
		struct md_file *f = &files[k];

		if (f->fd >= 0)
			close(f->fd);
		if (b->env[f->i].reported || f->state == MD_THERE)
			continue;
		if (f->state == MD_RENAMED && !b->items[f->i].key)
			unlink(f->dst);
		else if (f->state == MD_WRITING)
			unlink(f->tmp);
	}
	return i;
}

static void
maildir_send(struct mailer *m, struct batch *b)
{
	struct md_file *files;
	size_t i = 0;

	if (!(files = calloc(b->n < MAILDIR_CHUNK ? b->n : MAILDIR_CHUNK,
			     sizeof *files))) {
		fail_unreported(b, "maildir: out of memory");
		return;
	}
	while (i < b->n && !b->stopped)
		i = maildir_chunk(m, b, i, files);
	free(files);
}

static void
maildir_close(struct mailer *m)
{
	free(m->md.path);
}

static const struct transport maildir_transport = {
	maildir_send, maildir_close
};

/* What libESMTP's callbacks share during one session. */
struct smtp_run {
	struct smtp *conf;
	struct batch *b;
	auth_context_t auth;	/* NULL without AUTH */
	int unverified;		/* TLS without a verified certificate */
	const char *trouble;	/* what broke the session besides a reply */
	char last_reply[REPLY_MAX];	/* the server's latest line */
	int fd_floor;		/* the lowest free descriptor before it */
};

/* One message of the session. */
struct smtp_msg {
	struct smtp_run *run;
	size_t i;		/* its item */
	const char *data;
	size_t pos;		/* bytes handed to libESMTP */
};

/*
 * libESMTP reads a message through this; len NULL rewinds. libESMTP does
 * the dot-stuffing and sends the bytes as they are (the message has its
 * Date, From, To and Message-ID, so none is added). Once the caller has
 * stopped the batch, the next message fails here: libESMTP then drops the
 * connection in the middle of its DATA, and the server discards it.
 */
static const char *
smtp_message_cb(void **ctx, int *len, void *arg)
{
	struct smtp_msg *sm = arg;
	size_t k;

	(void)ctx;
	if (!len) {
		sm->pos = 0;
		return NULL;
	}
	if (sm->run->b->stopped) {
		errno = ECANCELED;
		*len = 0;
		return NULL;
	}
	k = sm->run->b->items[sm->i].len - sm->pos;
	if (k > MESSAGE_CHUNK)
		k = MESSAGE_CHUNK;
	*len = (int)k;
	sm->pos += k;
	return sm->data + sm->pos - k;
}

static int
reply_status(int code)
{
	if (code / 100 == 2)
		return MAILER_OK;
	/* no AUTH, bad credentials, no TLS: the operator's to put right */
	if (code / 100 == 5 && code != 530 && code != 535 && code != 538)
		return MAILER_PERMFAIL;
	return MAILER_TEMPFAIL;
}

static void
report_reply(struct batch *b, size_t i, const smtp_status_t *st)
{
	const char *text = st->text ? st->text : "";

	if (st->enh_class)
		report(b, i, reply_status(st->code), "%d %d.%d.%d %s", st->code,
		       st->enh_class, st->enh_subject, st->enh_detail, text);
	else
		report(b, i, reply_status(st->code), "%d %s", st->code, text);
}

/*
 * A certificate that does not prove the server's name: required TLS ends
 * the session there. Optional TLS goes on encrypted, which beats the
 * clear text optional would accept, but sends no password as it is.
 */
static void
tls_unverified(struct smtp_run *run, int *ok, const char *why)
{
	run->unverified = 1;
	if (run->conf->starttls == STARTTLS_OPTIONAL)
		*ok = 1;
	else
		run->trouble = why;
}

/* The lowest free descriptor: no socket made after this is below it. */
static int
lowest_free_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 3;
	close(fd);
	return fd;
}

/*
 * libESMTP writes a message through a small buffer with Nagle's algorithm
 * on, so on a fast link each mail's last segment waits for the relay's
 * delayed ACK: some 40 ms a mail, 25 a second, however small. It lets no
 * one set a socket option but tells when it has connected; its socket is
 * then one made since the session began, a TCP socket to the relay's
 * port. Such a socket of anyone else's loses nothing by the option.
 */
static void
no_delay(const struct smtp_run *run)
{
	struct sockaddr_storage peer;
	socklen_t len;
	int fd, type, port, one = 1;

	for (fd = run->fd_floor; fd < run->fd_floor + 64; fd++) {
		len = sizeof type;
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 ||
		    type != SOCK_STREAM)
			continue;
		len = sizeof peer;
		if (getpeername(fd, (struct sockaddr *)&peer, &len) < 0)
			continue;
		if (peer.ss_family == AF_INET)
			port = ntohs(((struct sockaddr_in *)&peer)->sin_port);
		else if (peer.ss_family == AF_INET6)
			port = ntohs(((struct sockaddr_in6 *)&peer)->sin6_port);
		else
			continue;
		if (port == run->conf->port)
			(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
					 sizeof one);
	}
}

/*
 * libESMTP's progress. Each message is reported at its first failing
 * reply (MAIL, RCPT, DATA) or at the reply to its end of data, which
 * comes before the next message's MAIL FROM is written: the caller has
 * recorded one message before the next goes.
 */
static void
smtp_event(smtp_session_t session, int event, void *arg, ...)
{
	struct smtp_run *run = arg;
	struct smtp_msg *sm = NULL;
	const smtp_status_t *st = NULL;
	smtp_message_t msg;
	smtp_recipient_t rcpt;
	va_list ap;

	(void)session;
	va_start(ap, arg);
	switch (event) {
	case SMTP_EV_CONNECT:
		no_delay(run);
		break;
	case SMTP_EV_MAILSTATUS:
		(void)va_arg(ap, const char *);
		msg = va_arg(ap, smtp_message_t);
		sm = smtp_message_get_application_data(msg);
		st = smtp_reverse_path_status(msg);
		break;
	case SMTP_EV_RCPTSTATUS:
		(void)va_arg(ap, const char *);
		rcpt = va_arg(ap, smtp_recipient_t);
		sm = smtp_recipient_get_application_data(rcpt);
		st = smtp_recipient_status(rcpt);
		break;
	case SMTP_EV_MESSAGESENT:
		msg = va_arg(ap, smtp_message_t);
		sm = smtp_message_get_application_data(msg);
		st = smtp_message_transfer_status(msg);
		break;
	case SMTP_EV_STARTTLS_OK:
		/* inside TLS to the right server a password may travel as it is */
		if (run->auth && !run->unverified)
			auth_set_mechanism_flags(run->auth, AUTH_PLUGIN_PLAIN, 0);
		break;
	case SMTP_EV_EXTNA_STARTTLS:
		run->trouble = "STARTTLS is required and the server does not offer it";
		break;
	case SMTP_EV_INVALID_PEER_CERTIFICATE:
		(void)va_arg(ap, long);
		tls_unverified(run, va_arg(ap, int *),
			       "TLS: the server's certificate does not verify");
		break;
	case SMTP_EV_NO_PEER_CERTIFICATE:
		tls_unverified(run, va_arg(ap, int *),
			       "TLS: the server shows no certificate");
		break;
	case SMTP_EV_WRONG_PEER_CERTIFICATE:
		tls_unverified(run, va_arg(ap, int *),
			       "TLS: the server's certificate is not for its name");
		break;
	case SMTP_EV_WEAK_CIPHER:
		run->trouble = "TLS: the cipher is too weak";
		break;
	case SMTP_EV_NO_CLIENT_CERTIFICATE:
	case SMTP_EV_UNUSABLE_CLIENT_CERTIFICATE:
		run->trouble = "TLS: unusable client certificate in ~/.config/libesmtp";
		break;
	default:
		break;
	}
	va_end(ap);
	if (sm && st && !run->b->env[sm->i].reported &&
	    (event == SMTP_EV_MESSAGESENT || st->code / 100 != 2))
		report_reply(run->b, sm->i, st);
}

/*
 * Keeps the server's latest line, the reason to give when a session ends
 * between messages (a 421 greeting, say). Only what comes from the
 * server: what goes to it holds the AUTH secret.
 */
static void
smtp_monitor(const char *buf, int len, int writing, void *arg)
{
	struct smtp_run *run = arg;
	const char *start, *end = buf + len;
	size_t n;

	if (writing != SMTP_CB_READING)
		return;
	while (end > buf && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	for (start = end; start > buf && start[-1] != '\n'; start--)
		;
	n = (size_t)(end - start);
	if (n >= sizeof run->last_reply)
		n = sizeof run->last_reply - 1;
	memcpy(run->last_reply, start, n);
	run->last_reply[n] = '\0';
}

/* The AUTH mechanisms ask for the user and the password; nothing else. */
static int
smtp_interact(auth_client_request_t req, char **result, int fields, void *arg)
{
	struct smtp *conf = arg;
	int i;

	for (i = 0; i < fields; i++) {
		if (req[i].flags & AUTH_USER)
			result[i] = conf->user;
		else if (req[i].flags & AUTH_PASS)
			result[i] = conf->password;
		else
			return 0;
		if (req[i].size && strlen(result[i]) > req[i].size)
			return 0;
	}
	return 1;
}

/* Server, callbacks, TLS, timeouts and AUTH for one session. */
static int
smtp_setup(struct smtp_run *run, smtp_session_t session)
{
	static const int timeouts[] = {
		Timeout_GREETING, Timeout_ENVELOPE, Timeout_DATA,
		Timeout_TRANSFER, Timeout_DATA2,
	};
	static const enum starttls_option tls[] = {
		[STARTTLS_REQUIRED] = Starttls_REQUIRED,
		[STARTTLS_OPTIONAL] = Starttls_ENABLED,
		[STARTTLS_OFF] = Starttls_DISABLED,
	};
	struct smtp *conf = run->conf;
	size_t i;

	if (!smtp_set_server(session, conf->server) ||
	    !smtp_set_eventcb(session, smtp_event, run) ||
	    !smtp_set_monitorcb(session, smtp_monitor, run, 0) ||
	    !smtp_starttls_enable(session, tls[conf->starttls]) ||
	    (conf->tls && !smtp_starttls_set_ctx(session, conf->tls)))
		return -1;
	for (i = 0; conf->timeout_ms && i < sizeof timeouts / sizeof *timeouts; i++)
		if (!smtp_set_timeout(session,
				      timeouts[i] | Timeout_OVERRIDE_RFC2822_MINIMUM,
				      conf->timeout_ms))
			return -1;
	if (!conf->user)
		return 0;
	if (!(run->auth = auth_create_context()))
		return -1;
	/*
	 * Mechanisms that send the password as it is wait for TLS (see
	 * SMTP_EV_STARTTLS_OK), unless the operator turned TLS off.
	 */
	if (!auth_set_mechanism_flags(run->auth,
				      conf->starttls == STARTTLS_OFF ?
				      AUTH_PLUGIN_PLAIN : 0,
				      AUTH_PLUGIN_ANONYMOUS | AUTH_PLUGIN_PLAIN) ||
	    !auth_set_interact_cb(run->auth, smtp_interact, conf) ||
	    !smtp_auth_set_context(session, run->auth))
		return -1;
	return 0;
}

/* Adds item sm->i to the session, its one recipient pointing back to it. */
static int
smtp_add(smtp_session_t session, struct smtp_msg *sm)
{
	const struct envelope *e = &sm->run->b->env[sm->i];
	smtp_message_t msg;
	smtp_recipient_t rcpt;

	if (!(msg = smtp_add_message(session)) ||
	    !smtp_set_reverse_path(msg, e->from) ||
	    !(rcpt = smtp_add_recipient(msg, e->to)) ||
	    !smtp_set_messagecb(msg, smtp_message_cb, sm))
		return -1;
	smtp_message_set_application_data_release(msg, sm, NULL);
	smtp_recipient_set_application_data_release(rcpt, sm, NULL);
	return 0;
}

/*
 * Why the session ended with messages unreported: what libESMTP said went
 * wrong, else the server's last word if it was a refusal, else the error
 * libESMTP recorded.
 */
static void
smtp_session_end(struct smtp_run *run)
{
	char why[REPLY_MAX + HOST_MAX + 16], err[128];
	const char *reason = run->trouble;
	int code = smtp_errno();

	if (!reason && (run->last_reply[0] == '4' || run->last_reply[0] == '5'))
		reason = run->last_reply;
	if (!reason && code)
		reason = smtp_strerror(code, err, sizeof err);
	if (!reason)
		reason = "the session ended early";
	snprintf(why, sizeof why, "smtp: %s: %s", run->conf->server, reason);
	fail_unreported(run->b, why);
}

/* The whole batch in one session. */
static void
smtp_send(struct mailer *m, struct batch *b)
{
	struct smtp_run run = { .conf = &m->smtp, .b = b };
	struct smtp_msg *msgs;
	smtp_session_t session = NULL;
	char why[160], err[128];
	size_t i, given = 0;

	msgs = calloc(b->n, sizeof *msgs);
	if (!msgs || !(session = smtp_create_session()))
		goto fail;
	if (smtp_setup(&run, session) < 0)
		goto fail;
	for (i = 0; i < b->n; i++) {
		if (b->env[i].reported)
			continue;
		msgs[i] = (struct smtp_msg){ &run, i,
					     b->items[i].data ? b->items[i].data : "",
					     0 };
		if (smtp_add(session, &msgs[i]) < 0)
			goto fail;
		given++;
	}
	if (given > 0) {
		run.fd_floor = lowest_free_fd();
		smtp_start_session(session);
		smtp_session_end(&run);
	}
	goto out;
fail:
	snprintf(why, sizeof why, "smtp: cannot set up the session: %s",
		 session ? smtp_strerror(smtp_errno(), err, sizeof err) :
		 strerror(ENOMEM));
	fail_unreported(b, why);
out:
	if (session)
		smtp_destroy_session(session);
	if (run.auth)
		auth_destroy_context(run.auth);
	free(msgs);
}

static void
smtp_close(struct mailer *m)
{
	if (m->smtp.tls)
		SSL_CTX_free(m->smtp.tls);
	if (m->smtp.password)
		explicit_bzero(m->smtp.password, strlen(m->smtp.password));
	free(m->smtp.password);
	free(m->smtp.user);
}

static const struct transport smtp_transport = {
	smtp_send, smtp_close
};

/* A host name or address literal libESMTP and a TLS certificate accept. */
static int
host_ok(const char *host)
{
	const char *p;

	if (!host || !*host || strlen(host) >= HOST_MAX)
		return 0;
	for (p = host; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-._", *p))
			return 0;
	return 1;
}

static int
smtp_open(struct smtp *conf, const struct mailer_options *opt)
{
	if (!host_ok(opt->host))
		return error("smtp: invalid host '%s'", opt->host ? opt->host : "");
	if (opt->port < 1 || opt->port > 65535)
		return error("smtp: port %ld out of range 1..65535", opt->port);
	if (opt->timeout < 0 || opt->timeout > INT_MAX / 1000)
		return error("smtp: timeout %ld s out of range 0..%d", opt->timeout,
			     INT_MAX / 1000);
	if ((unsigned)opt->starttls > STARTTLS_OFF)
		return error("smtp: unknown STARTTLS mode %d", (int)opt->starttls);
	snprintf(conf->server, sizeof conf->server, "%s:%ld", opt->host,
		 opt->port);
	conf->port = (int)opt->port;
	conf->starttls = opt->starttls;
	conf->timeout_ms = opt->timeout * 1000;
	if (opt->starttls != STARTTLS_OFF) {
		/* the system's CAs, or SSL_CERT_FILE's, SSL_CERT_DIR's */
		if (!(conf->tls = SSL_CTX_new(TLS_client_method())) ||
		    !SSL_CTX_set_max_proto_version(conf->tls, TLS1_2_VERSION) ||
		    !SSL_CTX_set_default_verify_paths(conf->tls))
			return error("smtp: cannot set up TLS");
	}
	if (!opt->user && !opt->password)
		return 0;
	if (!opt->user || !opt->password || !*opt->user || !*opt->password ||
	    strlen(opt->user) > AUTH_FIELD_MAX ||
	    strlen(opt->password) > AUTH_FIELD_MAX)
		return error("smtp: AUTH needs a user and a password of 1 to %d "
			     "bytes each", AUTH_FIELD_MAX);
	if (!(conf->user = strdup(opt->user)) ||
	    !(conf->password = strdup(opt->password)))
		return error("smtp: %s", strerror(ENOMEM));
	auth_client_init();
	return 0;
}

/*
 * "user password" on the first line, or the user alone on the first line
 * and the password on the second; nothing but blank lines may follow.
 * Points user and password into text; *why says what is wrong without
 * quoting the file.
 */
static int
parse_auth(char *text, char **user, char **password, const char **why)
{
	char *line[3] = { text, NULL, NULL }, *sep, *p;
	size_t i;

	for (i = 0; i < 2; i++) {
		if ((p = strchr(line[i], '\n'))) {
			*p = '\0';
			line[i + 1] = p + 1;
		} else {
			line[i + 1] = p = line[i] + strlen(line[i]);
		}
		if (p > line[i] && p[-1] == '\r')
			p[-1] = '\0';
	}
	if (line[2][strspn(line[2], " \t\r\n")]) {
		*why = "more than two lines";
		return -1;
	}
	*user = line[0];
	*password = line[1];
	if ((sep = strpbrk(line[0], " \t"))) {
		*sep = '\0';
		*password = sep + 1 + strspn(sep + 1, " \t");
		if (line[1][strspn(line[1], " \t")]) {
			*why = "a second line after \"user password\"";
			return -1;
		}
	}
	for (i = 0; i < 2; i++)
		for (p = i ? *password : *user; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				*why = "a control character";
				return -1;
			}
	if (!**user || !**password) {
		*why = !**user ? "no user" : "no password";
		return -1;
	}
	return 0;
}

int
mailer_read_auth_file(const char *path, char **user, char **password)
{
	char text[AUTH_FILE_MAX + 2], *u, *pw;
	const char *why = NULL;
	struct stat st;
	size_t len = 0;
	ssize_t n;
	int fd, rc = -1;

	*user = *password = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		error("%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		error("%s: not a regular file", path);
		goto out;
	}
	if (st.st_uid != geteuid()) {
		error("%s: owned by uid %lu, not by uid %lu that tenderlots runs as",
		      path, (unsigned long)st.st_uid, (unsigned long)geteuid());
		goto out;
	}
	if (st.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)) {
		error("%s: readable or writable by group or others (mode %04o); "
		      "chmod 600 it", path, (unsigned)(st.st_mode & 07777));
		goto out;
	}
	while (len <= AUTH_FILE_MAX &&
	       (n = read(fd, text + len, AUTH_FILE_MAX + 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error("%s: %s", path, strerror(errno));
			goto out;
		}
		len += (size_t)n;
	}
	text[len] = '\0';
	if (len > AUTH_FILE_MAX)
		why = "larger than 4096 bytes";
	else if (memchr(text, '\0', len))
		why = "a NUL byte";
	if (why || parse_auth(text, &u, &pw, &why) < 0) {
		error("%s: not an SMTP credentials file: %s", path, why);
		goto out;
	}
	if (!(*user = strdup(u)) || !(*password = strdup(pw))) {
		free(*user);
		*user = NULL;
		error("%s: %s", path, strerror(ENOMEM));
		goto out;
	}
	rc = 0;
out:
	explicit_bzero(text, sizeof text);
	if (fd >= 0)
		close(fd);
	return rc;
}

struct mailer *
mailer_new(const struct mailer_options *opt)
{
	struct mailer *m = NULL;
	int rc = -1;

	if (!opt) {
		error("mailer: no options");
		return NULL;
	}
	m = calloc(1, sizeof *m);
	if (!m) {
		error("mailer: %s", strerror(ENOMEM));
		return NULL;
	}
	switch (opt->transport) {
	case TRANSPORT_MAILDIR:
		m->t = &maildir_transport;
		rc = maildir_open(&m->md, opt->maildir);
		break;
	case TRANSPORT_SMTP:
		m->t = &smtp_transport;
		rc = smtp_open(&m->smtp, opt);
		break;
	default:
		error("mailer: unknown transport %d", (int)opt->transport);
		break;
	}
	if (rc < 0) {
		mailer_free(m);
		return NULL;
	}
	return m;
}

void
mailer_free(struct mailer *m)
{
	if (!m)
		return;
	if (m->t)
		m->t->close(m);
	free(m);
}

int
mailer_finds_repeats(const struct mailer *m)
{
	return m->t == &maildir_transport;
}

/* An envelope no transport could use fails here, for good. */
static void
check_envelope(struct batch *b, size_t i)
{
	const struct mailer_item *it = &b->items[i];
	struct envelope *e = &b->env[i];

	/* "" is the null reverse-path of RFC 5321, for mail nobody answers */
	if (!it->envelope_from ||
	    (*it->envelope_from &&
	     mail_address(it->envelope_from, e->from, sizeof e->from) < 0))
		report(b, i, MAILER_PERMFAIL, "invalid envelope sender");
	else if (!it->rcpt || mail_address(it->rcpt, e->to, sizeof e->to) < 0)
		report(b, i, MAILER_PERMFAIL, "invalid recipient");
	else if (!it->data && it->len > 0)
		report(b, i, MAILER_PERMFAIL, "no message");
}

int
mailer_send_batch(struct mailer *m, const struct mailer_item *items, size_t n,
		  mailer_done_fn done, void *arg)
{
	struct batch b = { .items = items, .n = n, .done = done, .arg = arg };
	size_t i;

	if (n == 0)
		return 0;
	if (!(b.env = calloc(n, sizeof *b.env))) {
		for (i = 0; i < n; i++)
			if (done(i, MAILER_TEMPFAIL, "mailer: out of memory", arg) < 0)
				return -1;
		return 0;
	}
	for (i = 0; i < n && !b.stopped; i++)
		check_envelope(&b, i);
	if (!b.stopped)
		m->t->send(m, &b);
	free(b.env);
	return b.stopped ? -1 : 0;
}
