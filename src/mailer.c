#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "mail.h"
#include "mailer.h"

#define ADDR_MAX 256
#define HOST_MAX 256
#define WRITE_CHUNK 8192

/* Maildir state: where to deliver, and what makes each file name unique. */
struct maildir {
	char *path;		/* absolute, so a later chdir() changes nothing */
	char host[HOST_MAX * 4];	/* gethostname() with / and : escaped */
	unsigned long counter;	/* deliveries by this process, for Q<n> */
};

/*
 * One transport. mailer_send checks the envelope, then hands over; an SMTP
 * transport adds its own table and its state to struct mailer.
 */
struct transport {
	int (*send)(struct mailer *m, const char *from, const char *rcpt,
		    const char *msg, size_t len, char *reply, size_t replylen);
	void (*close)(struct mailer *m);
};

struct mailer {
	const struct transport *t;
	struct maildir md;
};

static void set_reply(char *reply, size_t replylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
set_reply(char *reply, size_t replylen, const char *fmt, ...)
{
	va_list ap;

	if (!reply || replylen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(reply, replylen, fmt, ap);
	va_end(ap);
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
 * tmp/ then rename into new/, so a reader never sees a partial message,
 * with both the file and new/ synced before the message counts as given.
 */
static int
maildir_send(struct mailer *m, const char *from, const char *rcpt,
	     const char *msg, size_t len, char *reply, size_t replylen)
{
	struct maildir *md = &m->md;
	struct writer w;
	struct timespec ts;
	char name[HOST_MAX * 4 + 96], tmp[PATH_MAX], dst[PATH_MAX];
	char newdir[PATH_MAX];
	const char *what = "open tmp/";
	int rc = MAILER_TEMPFAIL, created = 0, renamed = 0, saved;

	clock_gettime(CLOCK_REALTIME, &ts);
	md->counter++;
	snprintf(name, sizeof name, "%lld.M%ldP%ldQ%lu.%s",
		 (long long)ts.tv_sec, ts.tv_nsec / 1000L, (long)getpid(),
		 md->counter, md->host);
	if (snprintf(tmp, sizeof tmp, "%s/tmp/%s", md->path, name) >=
	    (int)sizeof tmp ||
	    snprintf(dst, sizeof dst, "%s/new/%s", md->path, name) >=
	    (int)sizeof dst ||
	    snprintf(newdir, sizeof newdir, "%s/new", md->path) >=
	    (int)sizeof newdir) {
		set_reply(reply, replylen, "maildir: path too long: %s",
			  md->path);
		return MAILER_TEMPFAIL;
	}
	w.len = 0;
	w.fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (w.fd < 0)
		goto fail;
	created = 1;
	what = "write tmp/";
	if (writer_add(&w, "Return-Path: <", 14) < 0 ||
	    writer_add(&w, from, strlen(from)) < 0 ||
	    writer_add(&w, ">\nDelivered-To: ", 16) < 0 ||
	    writer_add(&w, rcpt, strlen(rcpt)) < 0 ||
	    writer_add(&w, "\n", 1) < 0 ||
	    writer_add_lf(&w, msg, len) < 0 || writer_flush(&w) < 0)
		goto fail;
	what = "fsync tmp/";
	if (fsync(w.fd) < 0)
		goto fail;
	what = "close tmp/";
	saved = close(w.fd);
	w.fd = -1;
	if (saved < 0)
		goto fail;
	what = "rename to new/";
	if (rename(tmp, dst) < 0)
		goto fail;
	renamed = 1;
	what = "fsync new/ for ";
	if (fsync_dir(newdir) < 0)
		goto fail;
	set_reply(reply, replylen, "maildir: new/%s", name);
	rc = MAILER_OK;
	goto out;
fail:
	saved = errno;
	set_reply(reply, replylen, "maildir: %s%s: %s", what, name,
		  strerror(saved));
	if (w.fd >= 0)
		close(w.fd);
	/*
	 * A failed delivery leaves nothing behind: the retry must not show
	 * the reader a second copy, nor a partial one.
	 */
	if (renamed)
		unlink(dst);
	else if (created)
		unlink(tmp);
out:
	return rc;
}

static void
maildir_close(struct mailer *m)
{
	free(m->md.path);
}

static const struct transport maildir_transport = {
	maildir_send, maildir_close
};

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
	default:
		error("mailer: unknown transport %d", (int)opt->transport);
		break;
	}
	if (rc < 0) {
		free(m);
		return NULL;
	}
	return m;
}

void
mailer_free(struct mailer *m)
{
	if (!m)
		return;
	m->t->close(m);
	free(m);
}

int
mailer_send(struct mailer *m, const char *envelope_from, const char *rcpt,
	    const char *msg, size_t len, char *reply, size_t replylen)
{
	char from[ADDR_MAX], to[ADDR_MAX];

	set_reply(reply, replylen, "%s", "");
	/* "" is the null reverse-path of RFC 5321, for mail nobody answers */
	if (!envelope_from ||
	    (*envelope_from &&
	     mail_address(envelope_from, from, sizeof from) < 0)) {
		set_reply(reply, replylen, "invalid envelope sender");
		return MAILER_PERMFAIL;
	}
	if (!*envelope_from)
		from[0] = '\0';
	if (!rcpt || mail_address(rcpt, to, sizeof to) < 0) {
		set_reply(reply, replylen, "invalid recipient");
		return MAILER_PERMFAIL;
	}
	if (!msg && len > 0) {
		set_reply(reply, replylen, "no message");
		return MAILER_PERMFAIL;
	}
	return m->t->send(m, from, to, msg ? msg : "", len, reply, replylen);
}
