#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "buf.h"
#include "inbox.h"
#include "log.h"
#include "mail.h"

/* What a tag signs, per kind: a bounce names the address too. */
#define PURPOSE_BOUNCE "bounce"
#define PURPOSE_UNSUBSCRIBE "unsubscribe-mail"
/* "+b-" and a firm id of up to 20 digits, "-" and the tag */
#define VERP_EXTRA (3 + 20 + 1 + TOKEN_TAG_LEN)
#define LOCAL_MAX 64

/* Copies s as one line of printable ASCII, at most outlen - 1 bytes. */
static void
copy_line(char *out, size_t outlen, const char *s)
{
	size_t n = 0;

	for (; s && *s && n + 1 < outlen; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			c = ' ';
		if (c == ' ' && (n == 0 || out[n - 1] == ' '))
			continue;
		out[n++] = (char)c;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* The first mailbox's address in a header value, through GMime. */
static void
first_address(const char *value, char *out, size_t outlen)
{
	InternetAddressList *list;
	InternetAddress *a;

	out[0] = '\0';
	if (!value || !(list = internet_address_list_parse(NULL, value)))
		return;
	if (internet_address_list_length(list) > 0 &&
	    INTERNET_ADDRESS_IS_MAILBOX(a = internet_address_list_get_address(list, 0)))
		copy_line(out, outlen, internet_address_mailbox_get_addr(
					INTERNET_ADDRESS_MAILBOX(a)));
	g_object_unref(list);
}

static void
add_to(struct inbox_mail *m, const char *value)
{
	if (m->nto == INBOX_TO_MAX)
		return;
	first_address(value, m->to[m->nto], sizeof m->to[0]);
	if (m->to[m->nto][0])
		m->nto++;
}

static int
starts_with_ci(const char *s, const char *prefix)
{
	return s && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * RFC 3834's Auto-Submitted, the older X-Autoreply and Precedence, and
 * the subjects of the common out-of-office replies that carry none.
 */
static int
is_auto_reply(GMimeObject *o, const char *subject)
{
	static const char *const subjects[] = {
		"Automatic reply", "Auto:", "Autosvar", "Automatiskt svar",
		"Out of Office", "Frånvaro", "Abwesenheit",
	};
	const char *v;
	size_t i;

	if ((v = g_mime_object_get_header(o, "Auto-Submitted")) &&
	    !starts_with_ci(v, "no"))
		return 1;
	if (g_mime_object_get_header(o, "X-Autoreply") ||
	    g_mime_object_get_header(o, "X-Autorespond"))
		return 1;
	if ((v = g_mime_object_get_header(o, "Precedence")) &&
	    (starts_with_ci(v, "auto_reply") || starts_with_ci(v, "bulk") ||
	     starts_with_ci(v, "junk")))
		return 1;
	for (i = 0; i < sizeof subjects / sizeof *subjects; i++)
		if (starts_with_ci(subject, subjects[i]))
			return 1;
	return 0;
}

static int
is_daemon(GMimeObject *o)
{
	char from[INBOX_ADDR_MAX];
	const char *rp = g_mime_object_get_header(o, "Return-Path");

	if (rp && strstr(rp, "<>"))
		return 1;
	first_address(g_mime_object_get_header(o, "From"), from, sizeof from);
	return starts_with_ci(from, "mailer-daemon@") ||
	       starts_with_ci(from, "postmaster@");
}

/* "rfc822; a@b" is a@b; a value of another type is kept as it is. */
static void
typed_value(const char *v, char *out, size_t outlen)
{
	const char *semi = v ? strchr(v, ';') : NULL;

	if (semi)
		v = semi + 1;
	while (v && isspace((unsigned char)*v))
		v++;
	copy_line(out, outlen, v);
}

/* One block of fields, parsed as the headers of a part. */
static GMimeObject *
parse_fields(const char *text, size_t len)
{
	GMimeStream *st = g_mime_stream_mem_new_with_buffer(text, len);
	GMimeParser *p = g_mime_parser_new_with_stream(st);
	GMimeObject *o = g_mime_parser_construct_part(p, NULL);

	g_object_unref(p);
	g_object_unref(st);
	return o;
}

/* The per-recipient blocks of a message/delivery-status body. */
static void
read_status(struct inbox_mail *m, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *blank;
	struct buf block;
	GMimeObject *o;
	const char *v;

	buf_init(&block, INBOX_READ_MAX);
	while (p < end && m->nr < INBOX_RCPT_MAX) {
		blank = strstr(p, "\n\n");
		if (!blank || blank > end)
			blank = end;
		buf_reset(&block);
		/* a part's headers end at a blank line */
		if (buf_add(&block, p, (size_t)(blank - p)) < 0 ||
		    buf_adds(&block, "\n\n") < 0)
			break;
		if ((o = parse_fields(block.data, block.len))) {
			struct inbox_report *r = &m->r[m->nr];

			memset(r, 0, sizeof *r);
			typed_value(g_mime_object_get_header(o, "Final-Recipient"),
				    r->rcpt, sizeof r->rcpt);
			if (!r->rcpt[0])
				typed_value(g_mime_object_get_header(o,
					    "Original-Recipient"), r->rcpt,
					    sizeof r->rcpt);
			copy_line(r->status, sizeof r->status,
				  g_mime_object_get_header(o, "Status"));
			copy_line(r->action, sizeof r->action,
				  g_mime_object_get_header(o, "Action"));
			v = g_mime_object_get_header(o, "Diagnostic-Code");
			typed_value(v, r->diag, sizeof r->diag);
			if (r->status[0] || r->action[0])
				m->nr++;
			g_object_unref(o);
		}
		p = blank;
		while (p < end && *p == '\n')
			p++;
	}
	buf_release(&block);
}

/* The decoded body of a leaf part, with LF line ends. */
static int
part_text(GMimePart *part, struct buf *out)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	GMimeStream *mem, *filtered;
	GMimeFilter *crlf;
	GByteArray *bytes;
	int rc = -1;

	if (!w)
		return -1;
	mem = g_mime_stream_mem_new();
	filtered = g_mime_stream_filter_new(mem);
	crlf = g_mime_filter_dos2unix_new(FALSE);
	g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), crlf);
	if (g_mime_data_wrapper_write_to_stream(w, filtered) >= 0 &&
	    g_mime_stream_flush(filtered) == 0) {
		bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
		rc = buf_add(out, bytes->data, bytes->len);
	}
	g_object_unref(crlf);
	g_object_unref(filtered);
	g_object_unref(mem);
	return rc;
}

/* The report of a multipart/report; report-type=delivery-status. */
static void
read_report(struct inbox_mail *m, GMimeObject *top)
{
	GMimeContentType *ct = g_mime_object_get_content_type(top);
	const char *type;
	struct buf text;
	GMimeObject *part;
	int i, n;

	if (!GMIME_IS_MULTIPART(top) ||
	    !g_mime_content_type_is_type(ct, "multipart", "report"))
		return;
	type = g_mime_content_type_get_parameter(ct, "report-type");
	if (!type || strcasecmp(type, "delivery-status") != 0)
		return;
	buf_init(&text, INBOX_READ_MAX);
	n = g_mime_multipart_get_count(GMIME_MULTIPART(top));
	for (i = 0; i < n; i++) {
		part = g_mime_multipart_get_part(GMIME_MULTIPART(top), i);
		if (!GMIME_IS_PART(part) ||
		    !(g_mime_content_type_is_type(g_mime_object_get_content_type(part),
						  "message", "delivery-status") ||
		      g_mime_content_type_is_type(g_mime_object_get_content_type(part),
						  "message", "global-delivery-status")))
			continue;
		m->dsn = 1;
		buf_reset(&text);
		if (part_text(GMIME_PART(part), &text) == 0)
			read_status(m, buf_str(&text), text.len);
		break;
	}
	buf_release(&text);
}

int
inbox_parse(const char *buf, size_t len, struct inbox_mail *out)
{
	GMimeStream *st;
	GMimeParser *p;
	GMimeMessage *msg;
	GMimeObject *o;
	GMimeHeaderList *hl;
	const char *name;
	int i, n;

	memset(out, 0, sizeof *out);
	/* GMime counts its users; it is set up once for the process */
	g_mime_init();
	if (len > INBOX_READ_MAX)
		len = INBOX_READ_MAX;
	if (!(st = g_mime_stream_mem_new_with_buffer(buf, len)))
		return error("out of memory");
	p = g_mime_parser_new_with_stream(st);
	msg = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(st);
	if (!msg)
		return 0;
	o = GMIME_OBJECT(msg);
	hl = g_mime_object_get_header_list(o);
	n = g_mime_header_list_get_count(hl);
	for (i = 0; i < n; i++) {
		name = g_mime_header_get_name(g_mime_header_list_get_header_at(hl, i));
		if (strcasecmp(name, "Delivered-To") == 0 ||
		    strcasecmp(name, "X-Original-To") == 0)
			add_to(out, g_mime_header_get_value(
					g_mime_header_list_get_header_at(hl, i)));
	}
	add_to(out, g_mime_object_get_header(o, "To"));
	add_to(out, g_mime_object_get_header(o, "Cc"));
	copy_line(out->subject, sizeof out->subject,
		  g_mime_message_get_subject(msg));
	out->auto_reply = is_auto_reply(o, out->subject);
	out->from_daemon = is_daemon(o);
	if (g_mime_message_get_mime_part(msg))
		read_report(out, g_mime_message_get_mime_part(msg));
	g_object_unref(msg);
	return 0;
}

enum bounce_kind
inbox_bounce_kind(const char *status)
{
	int klass, subject = -1, detail = -1;

	if (!status || sscanf(status, "%1d.%3d.%3d", &klass, &subject,
			      &detail) < 1) {
		/* a bare reply code: its class */
		if (!status || !isdigit((unsigned char)status[0]))
			return BOUNCE_NONE;
		klass = status[0] - '0';
	}
	if (klass == 4)
		return BOUNCE_SOFT;
	if (klass != 5)
		return BOUNCE_NONE;
	if (subject == 6 || subject == 7 || (subject == 2 && detail == 3) ||
	    (subject == 3 && detail == 4))
		return BOUNCE_SOFT;
	return BOUNCE_HARD;
}

/* A soft bounce a day counts; the day's repeats do not. */
#define SOFT_SAME_DAY (20L * 3600)

int
inbox_bounce(struct store *s, const char *address, enum bounce_kind kind,
	     const char *reason, time_t now, int *suppressed)
{
	struct bounce_state b;
	char why[INBOX_TEXT_MAX + 64];
	int rc = -1;

	*suppressed = 0;
	if (store_begin(s) < 0)
		return -1;
	if (store_bounce_get(s, address, &b) < 0)
		goto out;
	if (b.hard_at) {
		*suppressed = 1;
		rc = 0;
		goto out;
	}
	if (kind == BOUNCE_SOFT &&
	    !(b.soft_last_at && now - b.soft_last_at < SOFT_SAME_DAY)) {
		if (!b.soft_first_at || now - b.soft_first_at > INBOX_SOFT_WINDOW) {
			b.soft = 0;
			b.soft_first_at = now;
		}
		b.soft++;
		b.soft_last_at = now;
	}
	if (kind == BOUNCE_HARD || b.soft >= INBOX_SOFT_LIMIT) {
		if (kind == BOUNCE_HARD)
			copy_line(why, sizeof why, reason);
		else
			snprintf(why, sizeof why, "%d soft bounces in %ld days; "
				 "the last: %s", b.soft,
				 (long)((now - b.soft_first_at) / 86400 + 1),
				 reason);
		free(b.reason);
		if (!(b.reason = strdup(why))) {
			error("out of memory");
			goto out;
		}
		b.hard_at = now;
		*suppressed = 1;
	}
	if (store_bounce_put(s, address, &b) < 0)
		goto out;
	rc = 0;
out:
	bounce_state_release(&b);
	if (rc == 0 && store_commit(s) < 0)
		rc = -1;
	if (rc < 0)
		store_rollback(s);
	return rc;
}

int
inbox_base(const char *bounce_address, const char *from_addr, char *out,
	   size_t outlen)
{
	const char *at;

	if (bounce_address) {
		if (mail_address(bounce_address, out, outlen) < 0)
			return error("[mail] bounce_address: '%s' is not a mail "
				     "address", bounce_address);
	} else if (snprintf(out, outlen, "%s", from_addr) >= (int)outlen) {
		return error("[mail] from: too long");
	}
	at = strrchr(out, '@');
	if (!at || strchr(out, '+') || (size_t)(at - out) + VERP_EXTRA > LOCAL_MAX)
		return error("[mail] %s: '%s' must have a local part of at most "
			     "%d characters without '+', for the address tags",
			     bounce_address ? "bounce_address" : "from", out,
			     LOCAL_MAX - VERP_EXTRA);
	return 0;
}

/* What a tag of the kind signs for firm id and address. */
static int
verp_subject(enum verp_kind kind, long long id, const char *address,
	     char *out, size_t outlen)
{
	char lower[INBOX_ADDR_MAX];
	size_t i;

	if (kind == VERP_UNSUBSCRIBE)
		return snprintf(out, outlen, "%lld", id) < (int)outlen ? 0 : -1;
	for (i = 0; address[i] && i + 1 < sizeof lower; i++)
		lower[i] = (char)tolower((unsigned char)address[i]);
	lower[i] = '\0';
	return snprintf(out, outlen, "%lld/%s", id, lower) < (int)outlen ? 0 : -1;
}

int
inbox_verp(const struct token_key *k, const char *base, enum verp_kind kind,
	   const struct firm *f, char *out, size_t outlen)
{
	char subject[INBOX_ADDR_MAX + 32], tag[TOKEN_TAG_LEN + 1];
	const char *at = strrchr(base, '@');

	if (!at || verp_subject(kind, (long long)f->id, f->email, subject,
				sizeof subject) < 0 ||
	    token_tag(k, kind == VERP_BOUNCE ? PURPOSE_BOUNCE :
		      PURPOSE_UNSUBSCRIBE, subject, tag) < 0 ||
	    snprintf(out, outlen, "%.*s+%c-%lld-%s%s", (int)(at - base), base,
		     (char)kind, (long long)f->id, tag, at) >= (int)outlen)
		return error("firm %s: no address for what comes back", f->orgnr);
	return 0;
}

/*
 * "k-ID-TAG" at s: the kind, the firm and the tag, and where it ends, or
 * -1. The tag's letters in any case.
 */
static int
parse_tag(const char *s, enum verp_kind *kind, long long *id,
	  char tag[TOKEN_TAG_LEN + 1], const char **rest)
{
	char *end;
	size_t n;

	if ((tolower((unsigned char)s[0]) != VERP_BOUNCE &&
	     tolower((unsigned char)s[0]) != VERP_UNSUBSCRIBE) || s[1] != '-' ||
	    !isdigit((unsigned char)s[2]))
		return -1;
	*kind = (enum verp_kind)tolower((unsigned char)s[0]);
	errno = 0;
	*id = strtoll(s + 2, &end, 10);
	if (errno || *id <= 0 || *end != '-')
		return -1;
	n = strspn(end + 1, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
	if (n != TOKEN_TAG_LEN)
		return -1;
	memcpy(tag, end + 1, n);
	tag[n] = '\0';
	*rest = end + 1 + n;
	return 0;
}

/* A VERP address of base: "local+TAG@domain", local and domain base's. */
static int
parse_verp(const char *addr, const char *base, enum verp_kind *kind,
	   long long *id, char tag[TOKEN_TAG_LEN + 1])
{
	const char *bat = strrchr(base, '@'), *rest;
	size_t local = (size_t)(bat - base);

	if (strncasecmp(addr, base, local) != 0 || addr[local] != '+' ||
	    parse_tag(addr + local + 1, kind, id, tag, &rest) < 0 ||
	    strcasecmp(rest, bat) != 0)
		return -1;
	return 0;
}

/* An unsubscribe tag in a subject: "avsluta u-ID-TAG". */
static int
subject_tag(const char *subject, long long *id, char tag[TOKEN_TAG_LEN + 1])
{
	enum verp_kind kind;
	const char *p, *rest;

	for (p = subject; (p = strpbrk(p, "uU")); p++)
		if ((p == subject || p[-1] == ' ') &&
		    parse_tag(p, &kind, id, tag, &rest) == 0 &&
		    kind == VERP_UNSUBSCRIBE)
			return 0;
	return -1;
}

/* The firm the tag names and signs, or NULL (why logged). */
static struct firm *
tagged_firm(struct store *s, const struct token_key *k, enum verp_kind kind,
	    long long id, const char *tag, int *failed)
{
	char subject[INBOX_ADDR_MAX + 32];
	struct firm *f = NULL;

	*failed = 0;
	if (store_get_firm(s, (int64_t)id, &f) < 0) {
		*failed = 1;
		return NULL;
	}
	if (f && verp_subject(kind, id, f->email, subject, sizeof subject) == 0 &&
	    token_tag_check(k, kind == VERP_BOUNCE ? PURPOSE_BOUNCE :
			    PURPOSE_UNSUBSCRIBE, subject, tag))
		return f;
	log_warnx("inbox: a mail with a tag for firm %lld that is forged, or "
		  "for an address the firm no longer has: ignored", id);
	firm_free(f);
	return NULL;
}

/* The worst a report says, and why, for the log and the firm's record. */
static enum bounce_kind
report_kind(const struct inbox_mail *m, char *why, size_t whylen)
{
	enum bounce_kind worst = BOUNCE_NONE, k;
	size_t i;

	snprintf(why, whylen, "a bounce without a delivery status report: %s",
		 m->subject);
	for (i = 0; i < m->nr; i++) {
		const struct inbox_report *r = &m->r[i];

		k = inbox_bounce_kind(r->status[0] ? r->status :
				      strcasecmp(r->action, "failed") == 0 ?
				      "5.0.0" :
				      strcasecmp(r->action, "delayed") == 0 ?
				      "4.0.0" : NULL);
		if (k > worst) {
			worst = k;
			snprintf(why, whylen, "%s %s", r->status,
				 r->diag[0] ? r->diag : r->action);
		}
	}
	return m->dsn ? worst : BOUNCE_SOFT;
}

static int
handle_bounce(struct store *s, const struct inbox_mail *m,
	      const struct firm *f, time_t now, enum inbox_result *result)
{
	char why[INBOX_TEXT_MAX * 2];
	enum bounce_kind kind;
	int suppressed;

	if (!m->dsn && (m->auto_reply || !m->from_daemon)) {
		log_info("inbox: firm %s: an auto-reply or a mail that is no "
			 "bounce: ignored", f->orgnr);
		return 0;
	}
	if ((kind = report_kind(m, why, sizeof why)) == BOUNCE_NONE) {
		log_info("inbox: firm %s: a report of delivery: nothing to do",
			 f->orgnr);
		return 0;
	}
	if (inbox_bounce(s, f->email, kind, why, now, &suppressed) < 0)
		return -1;
	*result = suppressed ? INBOX_HARD_BOUNCE : INBOX_SOFT_BOUNCE;
	log_warnx("inbox: firm %s: %s bounce%s: %s", f->orgnr,
		  kind == BOUNCE_HARD ? "a hard" : "a soft",
		  suppressed ? "; no more mail to its address" : "", why);
	return 0;
}

static int
handle_unsubscribe(struct store *s, const struct inbox_mail *m,
		   const struct firm *f, time_t now, enum inbox_result *result)
{
	int found;

	if (m->auto_reply || m->dsn) {
		log_info("inbox: firm %s: an auto-reply to the unsubscribe "
			 "address: ignored", f->orgnr);
		return 0;
	}
	if (store_unsubscribe_firm(s, f->id, now, &found) < 0)
		return -1;
	*result = INBOX_UNSUBSCRIBED;
	log_info("inbox: firm %s unsubscribed by mail", f->orgnr);
	return 0;
}

int
inbox_handle(struct store *s, const struct token_key *k, const char *base,
	     const char *buf, size_t len, time_t now,
	     enum inbox_result *result)
{
	struct inbox_mail *m = malloc(sizeof *m);
	char tag[TOKEN_TAG_LEN + 1];
	enum verp_kind kind = VERP_UNSUBSCRIBE;
	struct firm *f = NULL;
	long long id = 0;
	size_t i;
	int found = 0, failed = 0, rc = -1;

	*result = INBOX_IGNORED;
	if (!m || inbox_parse(buf, len, m) < 0) {
		error("out of memory");
		goto out;
	}
	for (i = 0; i < m->nto && !found; i++)
		found = parse_verp(m->to[i], base, &kind, &id, tag) == 0;
	if (!found && subject_tag(m->subject, &id, tag) == 0) {
		found = 1;
		kind = VERP_UNSUBSCRIBE;
	}
	if (!found) {
		log_warnx("inbox: a mail to %s without a tag of ours: ignored",
			  m->nto ? m->to[0] : "nobody named");
		rc = 0;
		goto out;
	}
	if (!(f = tagged_firm(s, k, kind, id, tag, &failed))) {
		rc = failed ? -1 : 0;
		goto out;
	}
	rc = kind == VERP_BOUNCE ? handle_bounce(s, m, f, now, result) :
	     handle_unsubscribe(s, m, f, now, result);
out:
	firm_free(f);
	free(m);
	return rc;
}

int
inbox_read_fd(int fd, struct buf *b)
{
	char chunk[8192];
	ssize_t n;
	size_t room;

	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		room = b->len < INBOX_READ_MAX ? INBOX_READ_MAX - b->len : 0;
		if (buf_add(b, chunk, (size_t)n < room ? (size_t)n : room) < 0)
			return -1;
	}
}

/* One file of new/: handled and moved to cur/, or kept and logged. */
static int
read_one(struct store *s, const struct token_key *k, const char *base,
	 const char *maildir, const char *name, time_t now,
	 struct inbox_counts *c)
{
	char path[PATH_MAX], done[PATH_MAX];
	enum inbox_result r;
	struct buf b;
	int fd, rc = 0;

	buf_init(&b, INBOX_READ_MAX);
	if (snprintf(path, sizeof path, "%s/new/%s", maildir, name) >=
	    (int)sizeof path ||
	    snprintf(done, sizeof done, "%s/cur/%s:2,S", maildir, name) >=
	    (int)sizeof done)
		goto kept;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		goto kept;
	if (inbox_read_fd(fd, &b) < 0) {
		close(fd);
		goto kept;
	}
	close(fd);
	if (inbox_handle(s, k, base, b.data ? b.data : "", b.len, now, &r) < 0) {
		rc = -1;
		goto out;
	}
	c->read++;
	c->bounced += r == INBOX_HARD_BOUNCE || r == INBOX_SOFT_BOUNCE;
	c->unsubscribed += r == INBOX_UNSUBSCRIBED;
	if (rename(path, done) < 0)
		log_warnx("inbox: %s: cannot move it to cur/: %s; it is read "
			  "again next pass", path, strerror(errno));
	goto out;
kept:
	c->kept++;
	log_warnx("inbox: %s/new/%s: cannot be read (%s); kept", maildir, name,
		  strerror(errno));
out:
	buf_release(&b);
	return rc;
}

int
inbox_read_maildir(struct store *s, const struct token_key *k,
		   const char *base, const char *maildir, time_t now,
		   struct inbox_counts *c)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int rc = 0;

	if (snprintf(path, sizeof path, "%s/new", maildir) >= (int)sizeof path)
		return error("[mail] inbox: path too long: %s", maildir);
	if (!(d = opendir(path))) {
		log_warnx("[mail] inbox: %s: %s", path, strerror(errno));
		return 0;
	}
	while (rc == 0 && (e = readdir(d)))
		if (e->d_name[0] != '.')
			rc = read_one(s, k, base, maildir, e->d_name, now, c);
	closedir(d);
	return rc;
}
