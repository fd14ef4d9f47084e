/*
 * SMTP delivery against a real server on the loopback (tests/smtpd.py):
 * one session per batch, messages arrive exactly as composed, and every
 * way a delivery can fail leaves the outbox with each message sent once,
 * pending for a retry, or failed for good, never lost.
 */
#define _XOPEN_SOURCE 700

#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "mail.h"
#include "outbox.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"
#include "smtpd.h"

#define T0 1795600000		/* a pass's "now" */
#define SENDER "Exempelkommun <upphandling@exempel.se>"
#define BOUNCE "bounce@exempel.se"
#define NMSG 4
#define GIVE_UP (5 * 86400)	/* [mail] give_up_after's default */

static char dir[PATH_MAX];
static char db[PATH_MAX + 16];

static const char subject[] = "Nya upphandlingar: målning, städ och ö";
static const char subject_injected[] = "Anbud\r\nBcc: x@y.example";

/* Message k: Message-ID m<k>@exempel.se to r<k>@firma.example. */
static void
compose(int k, const char *subj, const char *to, struct buf *out)
{
	char msgid[64];
	struct mail_headers h = {
		.from = SENDER, .to = to, .subject = subj,
		.message_id = msgid, .date = T0,
		.list_unsubscribe_mailto = "mailto:upphandling@exempel.se",
		.language = "sv",
	};

	snprintf(msgid, sizeof msgid, "m%d@exempel.se", k);
	buf_reset(out);
	CHECK(mail_compose_text(&h, "Hej!\nTvå nya delar.\n.\nHälsningar\n",
				out) == 0);
}

static void
rcpt_of(int k, char *out, size_t outlen)
{
	snprintf(out, outlen, "r%d@firma.example", k);
}

static struct mailer *
smtp_mailer(int port, enum starttls_mode tls, const char *user,
	    const char *password, long timeout)
{
	struct mailer_options mo = {
		.transport = TRANSPORT_SMTP, .host = "127.0.0.1", .port = port,
		.starttls = tls, .user = user, .password = password,
		.timeout = timeout,
	};
	struct mailer *m = mailer_new(&mo);

	CHECK(m != NULL);
	return m;
}

/* Lines of the server log with this event ("\tMAIL\t", say). */
static int
log_count(const struct smtpd *srv, const char *event)
{
	char *log = smtpd_log(srv), *p;
	int n = 0;

	for (p = log; p && (p = strstr(p, event)); p++)
		n++;
	free(log);
	return n;
}

/* Saved message n as tests/mailcheck.py (Python's email package) reads it. */
static char *
parsed(const struct smtpd *srv, int n)
{
	char file[PATH_MAX + 32];

	snprintf(file, sizeof file, "'%s/%d'", srv->mail, n);
	return mailcheck(".", file, srv->dir);
}

/* Starts a server as o says; a test that cannot have one fails. */
static int
start(struct smtpd *srv, const struct smtpd_options *o)
{
	if (smtpd_start(srv, o) == 0)
		return 0;
	CHECK(!"the SMTP server started");
	return -1;
}

/* What the done callback heard, in order. */
struct heard {
	size_t n;
	size_t index[16];
	int status[16];
	char reply[16][512];
	size_t stop_after;	/* 0: never stop */
};

static int
hear(size_t i, int status, const char *reply, void *arg)
{
	struct heard *h = arg;

	if (h->n < 16) {
		h->index[h->n] = i;
		h->status[h->n] = status;
		snprintf(h->reply[h->n], sizeof h->reply[0], "%s", reply);
	}
	h->n++;
	return h->stop_after && h->n >= h->stop_after ? -1 : 0;
}

/* A batch of messages over one session, each as composed, dots and all. */
static void
test_batch_in_one_session(void)
{
	static const char dotted[] =
		"From: a@exempel.se\r\nTo: b@firma.example\r\nDate: x\r\n"
		"Message-ID: <dots@exempel.se>\r\nSubject: dots\r\n\r\n"
		".\r\n..\r\n.leading dot\r\nend\r\n";
	struct buf msgs[NMSG];
	struct mailer_item items[NMSG + 1];
	char rcpt[NMSG][64], to[320], want[128], *text, *log;
	struct heard h = { 0 };
	struct smtpd srv;
	struct mailer *m;
	int k;

	if (start(&srv, &(struct smtpd_options){ 0 }) < 0)
		return;
	for (k = 0; k < NMSG; k++) {
		buf_init(&msgs[k], 1 << 20);
		rcpt_of(k, rcpt[k], sizeof rcpt[k]);
		snprintf(to, sizeof to, "Firma %d <%s>", k, rcpt[k]);
		compose(k, subject, to, &msgs[k]);
		items[k] = (struct mailer_item){ BOUNCE, rcpt[k], msgs[k].data,
						 msgs[k].len, NULL, 0 };
	}
	/* the null sender, and lines that need dot-stuffing */
	items[NMSG] = (struct mailer_item){ "", "b@firma.example", dotted,
					    strlen(dotted), NULL, 0 };
	m = smtp_mailer(srv.port, STARTTLS_OFF, NULL, NULL, 10);
	CHECK(m && mailer_send_batch(m, items, NMSG + 1, hear, &h) == 0);
	CHECK(h.n == NMSG + 1);
	for (k = 0; k <= NMSG; k++) {
		CHECK(h.index[k] == (size_t)k);
		CHECK(h.status[k] == MAILER_OK);
		CHECK(strncmp(h.reply[k], "250 ", 4) == 0);
	}
	CHECK(log_count(&srv, "\tCONNECT\t") == 1);
	CHECK(log_count(&srv, "\tMAIL\t<" BOUNCE ">") == NMSG);
	CHECK(log_count(&srv, "\tMAIL\t<>") == 1);
	CHECK(log_count(&srv, "\tQUIT\t") == 1);
	CHECK(smtpd_count(&srv) == NMSG + 1);
	for (k = 0; k <= NMSG; k++) {
		text = smtpd_message(&srv, k + 1);
		CHECK(text && strlen(text) == items[k].len &&
		      memcmp(text, items[k].data, items[k].len) == 0);
		free(text);
	}
	text = parsed(&srv, 2);
	CHECK(text != NULL);
	snprintf(want, sizeof want, "header Subject: %s\n", subject);
	CHECK(text && strstr(text, want));
	CHECK(text && strstr(text, "header Message-ID: <m1@exempel.se>\n"));
	CHECK(text && strstr(text, "header To: Firma 1 <r1@firma.example>\n"));
	CHECK(text && strstr(text, "content-type: text/plain; charset=utf-8\n"));
	CHECK(text && strstr(text, "defects: 0\n"));
	CHECK(text && strstr(text, "Två nya delar.\n.\nHälsningar\n"));
	free(text);
	log = smtpd_log(&srv);
	CHECK(log && strstr(log, "\tRCPT\t<r3@firma.example>\t250\n"));
	free(log);
	mailer_free(m);
	for (k = 0; k < NMSG; k++)
		buf_release(&msgs[k]);
	CHECK(smtpd_stop(&srv) == 0);
}

/* Three copies of one message in one session; mailer_send_batch's result. */
static int
send_three(const struct smtpd *srv, mailer_done_fn done, void *arg)
{
	struct buf msg;
	struct mailer_item items[3];
	struct mailer *m;
	int k, rc = -2;

	buf_init(&msg, 1 << 20);
	compose(0, subject, "r0@firma.example", &msg);
	for (k = 0; k < 3; k++)
		items[k] = (struct mailer_item){ BOUNCE, "r0@firma.example",
						 msg.data, msg.len, NULL, 0 };
	m = smtp_mailer(srv->port, STARTTLS_OFF, NULL, NULL, 10);
	if (m)
		rc = mailer_send_batch(m, items, 3, done, arg);
	mailer_free(m);
	buf_release(&msg);
	return rc;
}

/* What the done callback saw of the sockets to the server, mail by mail. */
struct sockets_seen {
	int port;
	int mails, sockets, no_delay;
};

static int
look_at_sockets(size_t i, int status, const char *reply, void *arg)
{
	struct sockets_seen *seen = arg;
	struct sockaddr_in peer;
	socklen_t len;
	int fd, on;

	seen->mails += status == MAILER_OK;
	for (fd = 3; fd < 1024; fd++) {
		len = sizeof peer;
		if (getpeername(fd, (struct sockaddr *)&peer, &len) < 0 ||
		    peer.sin_family != AF_INET || ntohs(peer.sin_port) != seen->port)
			continue;
		seen->sockets++;
		len = sizeof on;
		if (getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, &len) == 0 && on)
			seen->no_delay++;
	}
	return 0;
}

/*
 * Nagle's algorithm is off on the session's socket: with it on, the end
 * of every mail waits for the server's delayed ACK, and mails of a few
 * kilobytes go 25 a second on any link.
 */
static void
test_no_delay(void)
{
	struct sockets_seen seen = { 0 };
	struct smtpd srv;

	if (start(&srv, &(struct smtpd_options){ 0 }) < 0)
		return;
	seen.port = srv.port;
	CHECK(send_three(&srv, look_at_sockets, &seen) == 0);
	CHECK(seen.mails == 3);
	CHECK(seen.sockets == 3);
	CHECK(seen.no_delay == 3);
	CHECK(smtpd_stop(&srv) == 0);
}

/* A caller that cannot record a fate stops the batch before the next goes. */
static void
test_stop_sends_no_more(void)
{
	struct heard h = { .stop_after = 1 };
	struct smtpd srv;

	if (start(&srv, &(struct smtpd_options){ 0 }) < 0)
		return;
	CHECK(send_three(&srv, hear, &h) == -1);
	CHECK(h.n == 1 && h.status[0] == MAILER_OK);
	CHECK(smtpd_count(&srv) == 1);
	CHECK(smtpd_stop(&srv) == 0);
}

/*
 * A fresh store with NMSG queued messages, k-th to r<k>@firma.example,
 * stale from stale_at on (0: never).
 */
static struct store *
outbox_with_stale_messages(time_t stale_at)
{
	struct store *s = NULL;
	struct buf body;
	char key[16], rcpt[64];
	int k;

	make_tmpdir(dir, "test_smtp");
	snprintf(db, sizeof db, "%s/t.db", dir);
	CHECK(store_open(db, &s) == 0);
	buf_init(&body, 1 << 20);
	for (k = 0; s && k < NMSG; k++) {
		struct outbox_message om = { .key = key, .rcpt = rcpt,
					     .envelope_from = BOUNCE,
					     .stale_at = stale_at };

		snprintf(key, sizeof key, "k%d", k);
		rcpt_of(k, rcpt, sizeof rcpt);
		compose(k, subject, rcpt, &body);
		om.body = body.data;
		om.len = body.len;
		CHECK(store_queue_message(s, &om, NULL, 0, T0) == 0);
	}
	buf_release(&body);
	return s;
}

static struct store *
outbox_with_messages(void)
{
	return outbox_with_stale_messages(0);
}

static void
done_outbox(struct store *s)
{
	store_free(s);
	rm_rf(dir);
}

/* Runs one pass; checks its counts: sent, deferred, failed. */
static void
pass(struct store *s, struct mailer *m, time_t now, unsigned want_sent,
     unsigned want_deferred, unsigned want_failed)
{
	struct outbox_sender by = { "run:test", NULL, 60, GIVE_UP, 0 };
	unsigned sent = 0, deferred = 0, failed = 0;

	CHECK(outbox_deliver(s, m, &by, now, &sent, &deferred, &failed) == 0);
	CHECK(sent == want_sent);
	CHECK(deferred == want_deferred);
	CHECK(failed == want_failed);
	if (sent != want_sent || deferred != want_deferred ||
	    failed != want_failed)
		fprintf(stderr, "  pass at %lld: %u sent, %u deferred, %u failed\n",
			(long long)(now - T0), sent, deferred, failed);
}

/* Every message saved exactly once: one copy of each Message-ID. */
static void
check_each_once(const struct smtpd *srv)
{
	char id[64];
	int k;

	CHECK(smtpd_count(srv) == NMSG);
	for (k = 0; k < NMSG; k++) {
		snprintf(id, sizeof id, "Message-ID: <m%d@exempel.se>", k);
		CHECK(smtpd_saved_with(srv, id) == 1);
	}
}

static void
test_tempfail_then_exactly_once(void)
{
	struct store *s = outbox_with_messages();
	struct smtpd srv;
	struct mailer *m;

	if (start(&srv, &(struct smtpd_options){ .mode = "tempfail 1" }) < 0) {
		done_outbox(s);
		return;
	}
	m = smtp_mailer(srv.port, STARTTLS_OFF, NULL, NULL, 10);
	pass(s, m, T0, NMSG - 1, 1, 0);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE key = 'k0'"
		       " AND state = 'pending' AND attempts = 1"
		       " AND last_error = '451 4.3.0 try later'") == 1);
	CHECK(db_query(db, "SELECT next_attempt FROM message WHERE key = 'k0'") ==
	      T0 + outbox_backoff(1));
	CHECK(smtpd_count(&srv) == NMSG - 1);
	/* not before its backoff */
	pass(s, m, T0 + outbox_backoff(1) - 1, 0, 0, 0);
	pass(s, m, T0 + outbox_backoff(1), 1, 0, 0);
	pass(s, m, T0 + 24 * 3600, 0, 0, 0);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE state = 'sent'") == NMSG);
	check_each_once(&srv);
	CHECK(log_count(&srv, "\tCONNECT\t") == 2);
	mailer_free(m);
	CHECK(smtpd_stop(&srv) == 0);
	done_outbox(s);
}

static void
test_rejected_recipient_fails_alone(void)
{
	struct store *s = outbox_with_messages();
	struct smtpd srv;
	struct mailer *m;

	if (start(&srv, &(struct smtpd_options){ .mode = "reject r2@firma.example" }) < 0) {
		done_outbox(s);
		return;
	}
	m = smtp_mailer(srv.port, STARTTLS_OFF, NULL, NULL, 10);
	pass(s, m, T0, NMSG - 1, 0, 1);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE key = 'k2'"
		       " AND state = 'failed'"
		       " AND last_error LIKE '550 5.1.1 <r2@firma.example>%'") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE state = 'sent'") == NMSG - 1);
	CHECK(smtpd_count(&srv) == NMSG - 1);
	CHECK(smtpd_saved_with(&srv, "m2@exempel.se") == 0);
	CHECK(log_count(&srv, "\tCONNECT\t") == 1);
	pass(s, m, T0 + 24 * 3600, 0, 0, 0);
	mailer_free(m);
	CHECK(smtpd_stop(&srv) == 0);
	done_outbox(s);
}

static void
test_dropped_in_data_then_exactly_once(void)
{
	struct store *s = outbox_with_messages();
	struct smtpd srv;
	struct mailer *m;

	if (start(&srv, &(struct smtpd_options){ .mode = "drop-in-data" }) < 0) {
		done_outbox(s);
		return;
	}
	m = smtp_mailer(srv.port, STARTTLS_OFF, NULL, NULL, 10);
	/* the first message broke off, the session with it: all wait */
	pass(s, m, T0, 0, NMSG, 0);
	CHECK(smtpd_count(&srv) == 0);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE state = 'pending'"
		       " AND last_error LIKE 'smtp: 127.0.0.1:%'") == NMSG);
	pass(s, m, T0 + outbox_backoff(1), NMSG, 0, 0);
	pass(s, m, T0 + 24 * 3600, 0, 0, 0);
	check_each_once(&srv);
	mailer_free(m);
	CHECK(smtpd_stop(&srv) == 0);
	done_outbox(s);
}

static void
test_server_down_nothing_lost(void)
{
	struct store *s = outbox_with_messages();
	int port = test_closed_port();
	struct smtpd srv;
	struct mailer *m = smtp_mailer(port, STARTTLS_OFF, NULL, NULL, 10);

	pass(s, m, T0, 0, NMSG, 0);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE state = 'pending'"
		       " AND last_error LIKE '%Connection refused%'") == NMSG);
	if (start(&srv, &(struct smtpd_options){ .port = port }) == 0) {
		pass(s, m, T0 + outbox_backoff(1), NMSG, 0, 0);
		check_each_once(&srv);
		CHECK(smtpd_stop(&srv) == 0);
	}
	mailer_free(m);
	done_outbox(s);
}

/*
 * A relay down for three days, over a long weekend: every pass (hourly)
 * finds it down, no mail is given up, none waits more than an hour, and
 * once the relay is back the next pass sends each exactly once.
 */
static void
test_relay_down_for_days(void)
{
	struct store *s = outbox_with_messages();
	int port = test_closed_port();
	struct smtpd srv;
	struct mailer *m = smtp_mailer(port, STARTTLS_OFF, NULL, NULL, 10);
	time_t now;

	pass(s, m, T0, 0, NMSG, 0);
	for (now = T0 + 3600; now < T0 + 3 * 86400; now += 3600)
		pass(s, m, now, 0, NMSG, 0);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE state = 'pending'"
		       " AND attempts = 72 AND last_error LIKE '%Connection refused%'")
	      == NMSG);
	CHECK(db_query(db, "SELECT max(next_attempt) FROM message") == now);
	if (start(&srv, &(struct smtpd_options){ .port = port }) == 0) {
		pass(s, m, now, NMSG, 0, 0);
		check_each_once(&srv);
		CHECK(log_count(&srv, "\tCONNECT\t") == 1);
		CHECK(smtpd_stop(&srv) == 0);
	}
	mailer_free(m);
	done_outbox(s);
}

/*
 * Mails whose news is past by the time the relay is back (a reminder of
 * a deadline that went by) fail unsent, saying why; the others go.
 */
static void
test_stale_not_sent(void)
{
	struct store *s = outbox_with_stale_messages(T0 + 2 * 3600);
	int port = test_closed_port();
	struct mailer *m = smtp_mailer(port, STARTTLS_OFF, NULL, NULL, 10);
	struct outbox_message fresh = { .key = "fresh", .rcpt = "r9@firma.example",
					.envelope_from = BOUNCE };
	struct buf body;
	struct smtpd srv;

	buf_init(&body, 1 << 20);
	compose(9, subject, fresh.rcpt, &body);
	fresh.body = body.data;
	fresh.len = body.len;
	CHECK(store_queue_message(s, &fresh, NULL, 0, T0) == 0);
	pass(s, m, T0, 0, NMSG + 1, 0);
	/* a second before its news is past, a mail is still tried */
	pass(s, m, T0 + 2 * 3600 - 1, 0, NMSG + 1, 0);
	if (start(&srv, &(struct smtpd_options){ .port = port }) == 0) {
		pass(s, m, T0 + 3 * 3600, 1, 0, NMSG);
		CHECK(smtpd_count(&srv) == 1);
		CHECK(smtpd_saved_with(&srv, "To: r9@firma.example") == 1);
		CHECK(smtpd_stop(&srv) == 0);
	}
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE state = 'failed'"
		       " AND last_error LIKE 'not sent: what it tells of was past"
		       " at 2026-11-25 11:46:40 UTC; the last try: smtp: %"
		       "Connection refused'") == NMSG);
	buf_release(&body);
	mailer_free(m);
	done_outbox(s);
}

/*
 * A mail the relay keeps deferring fails for good once it is older than
 * [mail] give_up_after, with how long it was tried and the last reply.
 */
static void
test_given_up_by_age(void)
{
	struct store *s = outbox_with_messages();
	int port = test_closed_port();
	struct mailer *m = smtp_mailer(port, STARTTLS_OFF, NULL, NULL, 10);
	struct outbox_sender by = { "run:test", NULL, 60, 2 * 3600, 0 };
	unsigned sent = 0, deferred = 0, failed = 0, passes = 0;
	time_t now;

	/* the backoff doubles from a minute, 60 + 120 + ... + 3840 > 2 h */
	for (now = T0; now <= T0 + 4 * 3600; now += 60) {
		CHECK(outbox_deliver(s, m, &by, now, &sent, &deferred,
				     &failed) == 0);
		passes += deferred + failed > 0;
		if (failed)
			break;
		deferred = 0;
	}
	CHECK(failed == NMSG && deferred == 0 && sent == 0);
	CHECK(passes == 7);
	CHECK(now == T0 + 60 + 120 + 240 + 480 + 960 + 1920);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE state = 'failed'"
		       " AND attempts = 7 AND last_error LIKE 'given up after 7 "
		       "attempts in 1 h 03 min; the last: %Connection refused%'") == NMSG);
	mailer_free(m);
	done_outbox(s);
}

/*
 * Starts a server as o says and sends it one message whose headers try an
 * injection; the caller looks at the server, then stops it. -1 if the
 * server did not start.
 */
static int
send_one(struct smtpd *srv, const struct smtpd_options *o,
	 struct mailer_options *mo, struct heard *h)
{
	struct buf msg;
	struct mailer_item item;
	struct mailer *m;

	memset(h, 0, sizeof *h);
	if (start(srv, o) < 0)
		return -1;
	buf_init(&msg, 1 << 20);
	compose(0, subject_injected, "Firma\r\nBcc: x@y.example <r0@firma.example>",
		&msg);
	item = (struct mailer_item){ BOUNCE, "r0@firma.example", msg.data,
				     msg.len, NULL, 0 };
	mo->port = srv->port;
	m = mailer_new(mo);
	CHECK(m && mailer_send_batch(m, &item, 1, hear, h) == 0);
	CHECK(h->n == 1);
	mailer_free(m);
	buf_release(&msg);
	return 0;
}

/* Runs sql on the test's database through a connection of its own. */
static void
db_exec(const char *sql)
{
	sqlite3 *h;

	CHECK(sqlite3_open(db, &h) == SQLITE_OK);
	CHECK(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(h);
}

/* The store refuses to mark k2 sent, as a full disk would. */
#define MARK_FAILS \
	"CREATE TRIGGER mark_fails BEFORE UPDATE OF state ON message" \
	" WHEN new.state = 'sent' AND old.key = 'k2'" \
	" BEGIN SELECT RAISE(ABORT, 'disk full'); END"

/*
 * Over SMTP each mail is marked sent as the server takes it, so a mark
 * that fails stops the session there: k0 and k1 are marked, k2 went
 * unrecorded (the one repeat a crash there would cost), k3 never went.
 */
static void
test_smtp_marks_each_at_once(void)
{
	struct outbox_sender by = { "run:test", NULL, 60, GIVE_UP, 0 };
	struct store *s = outbox_with_messages();
	unsigned sent = 0, deferred = 0, failed = 0;
	struct smtpd srv;
	struct mailer *m;

	if (start(&srv, &(struct smtpd_options){ 0 }) < 0) {
		done_outbox(s);
		return;
	}
	db_exec(MARK_FAILS);
	m = smtp_mailer(srv.port, STARTTLS_OFF, NULL, NULL, 10);
	CHECK(outbox_deliver(s, m, &by, T0, &sent, &deferred, &failed) == -1);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE state = 'sent'")
	      == 2);
	CHECK(smtpd_count(&srv) == 3);
	mailer_free(m);
	CHECK(smtpd_stop(&srv) == 0);
	done_outbox(s);
}

/*
 * Into a Maildir the batch's "sent" marks are one transaction after the
 * Maildir has them all: a mark that fails leaves none marked, every file
 * delivered, and the next pass marks them without a second copy, as after
 * a crash before the marks.
 */
static void
test_maildir_marks_with_the_batch(void)
{
	struct outbox_sender by = { "run:test", NULL, 60, GIVE_UP, 0 };
	struct store *s = outbox_with_messages();
	unsigned sent = 0, deferred = 0, failed = 0;
	char md[PATH_MAX + 16], newdir[PATH_MAX + 32];
	struct mailer_options mo = { .transport = TRANSPORT_MAILDIR,
				     .maildir = md };
	struct mailer *m;
	int recovered = 0;

	snprintf(md, sizeof md, "%s/mail", dir);
	snprintf(newdir, sizeof newdir, "%s/new", md);
	CHECK((m = mailer_new(&mo)) != NULL);
	if (!m) {
		done_outbox(s);
		return;
	}
	db_exec(MARK_FAILS);
	CHECK(outbox_deliver(s, m, &by, T0, &sent, &deferred, &failed) == -1);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE state = 'sent'")
	      == 0);
	CHECK(db_query(db, "SELECT count(*) FROM message"
		       " WHERE state = 'sending'") == NMSG);
	CHECK(count_files(newdir) == NMSG);
	db_exec("DROP TRIGGER mark_fails");
	CHECK(store_recover_sending(s, "run:", T0 + 60, &recovered) == 0);
	CHECK(recovered == NMSG);
	pass(s, m, T0 + 60, NMSG, 0, 0);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE state = 'sent'")
	      == NMSG);
	CHECK(count_files(newdir) == NMSG);
	mailer_free(m);
	done_outbox(s);
}

static void
test_header_injection(void)
{
	struct mailer_options mo = {
		.transport = TRANSPORT_SMTP, .host = "localhost",
		.starttls = STARTTLS_OFF,
	};
	struct smtpd srv;
	struct heard h;
	char *text;

	if (send_one(&srv, &(struct smtpd_options){ 0 }, &mo, &h) < 0)
		return;
	CHECK(h.status[0] == MAILER_OK);
	CHECK(log_count(&srv, "\tRCPT\t") == 1);
	CHECK(log_count(&srv, "x@y.example") == 0);
	text = smtpd_message(&srv, 1);
	CHECK(text && !strstr(text, "\nBcc:") && !strstr(text, "\nbcc:"));
	free(text);
	text = parsed(&srv, 1);
	CHECK(text && !strstr(text, "header Bcc:"));
	CHECK(text && strstr(text, "header Subject: Anbud"));
	CHECK(text && strstr(text, "defects: 0\n"));
	free(text);
	CHECK(smtpd_stop(&srv) == 0);
}

/* A 421 greeting, a server that never answers, STARTTLS missing: later. */
static void
test_session_failures_are_temporary(void)
{
	struct mailer_options mo = {
		.transport = TRANSPORT_SMTP, .host = "localhost",
		.starttls = STARTTLS_OFF, .timeout = 1,
	};
	struct smtpd srv;
	struct heard h;
	time_t t0;

	if (send_one(&srv, &(struct smtpd_options){ .mode = "421-greeting" }, &mo,
		     &h) == 0) {
		CHECK(h.status[0] == MAILER_TEMPFAIL && smtpd_count(&srv) == 0);
		CHECK(strstr(h.reply[0], "421 4.3.2 ") != NULL);
		CHECK(smtpd_stop(&srv) == 0);
	}
	t0 = time(NULL);
	if (send_one(&srv, &(struct smtpd_options){ .mode = "stall" }, &mo, &h) == 0) {
		CHECK(h.status[0] == MAILER_TEMPFAIL && smtpd_count(&srv) == 0);
		CHECK(time(NULL) - t0 < 5);
		CHECK(smtpd_stop(&srv) == 0);
	}
	mo.starttls = STARTTLS_REQUIRED;
	if (send_one(&srv, &(struct smtpd_options){ 0 }, &mo, &h) == 0) {
		CHECK(h.status[0] == MAILER_TEMPFAIL && smtpd_count(&srv) == 0);
		CHECK(strstr(h.reply[0], "STARTTLS") != NULL);
		CHECK(log_count(&srv, "\tMAIL\t") == 0);
		CHECK(smtpd_stop(&srv) == 0);
	}
}

static char *
stderr_of_read(const char *path, int *rc, char **user, char **password)
{
	struct capture c;

	capture_start(&c, 2);
	*rc = mailer_read_auth_file(path, user, password);
	return capture_end(&c);
}

static void
test_auth_file(void)
{
	static const char *const bad[] = {
		"", "smtpuser\n", "smtpuser\n\n", "smtpuser hemligt\nextra\n",
		" hemligt\n", "smtpuser\nhemligt\nmore\n", "smtpuser\tx\001y\n",
	};
	char path[PATH_MAX + 16], *err, *user, *password;
	size_t i;
	int rc;

	make_tmpdir(dir, "test_smtp");
	snprintf(path, sizeof path, "%s/auth", dir);
	write_text(path, "smtpuser hemligt lösen\r\n");
	CHECK(chmod(path, 0644) == 0);
	err = stderr_of_read(path, &rc, &user, &password);
	CHECK(rc == -1 && !user && !password);
	CHECK(strstr(err, path) && strstr(err, "group or others"));
	CHECK(!strstr(err, "hemligt"));
	free(err);
	CHECK(chmod(path, 0600) == 0);
	err = stderr_of_read(path, &rc, &user, &password);
	CHECK(rc == 0 && *err == '\0');
	CHECK_STR(user, "smtpuser");
	CHECK_STR(password, "hemligt lösen");
	free(err);
	free(user);
	free(password);

	write_text(path, "smtpuser\nhemligt lösen \n\n");
	err = stderr_of_read(path, &rc, &user, &password);
	CHECK(rc == 0);
	CHECK_STR(user, "smtpuser");
	CHECK_STR(password, "hemligt lösen ");
	free(err);
	free(user);
	free(password);

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		write_text(path, bad[i]);
		err = stderr_of_read(path, &rc, &user, &password);
		CHECK(rc == -1 && !user && !password);
		CHECK(strstr(err, path) && !strstr(err, "hemligt"));
		free(err);
	}

	/* root can give the file away, and must then be refused it */
	if (geteuid() == 0) {
		write_text(path, "smtpuser hemligt\n");
		CHECK(chown(path, 65534, 65534) == 0);
		err = stderr_of_read(path, &rc, &user, &password);
		CHECK(rc == -1 && strstr(err, "owned by uid 65534"));
		free(err);
	}
	rm_rf(dir);
}

/* Certificates for localhost: one the tests trust, one they do not. */
static char tls_dir[PATH_MAX];
static char trusted_cert[PATH_MAX + 32], trusted_key[PATH_MAX + 32];
static char stranger_cert[PATH_MAX + 32], stranger_key[PATH_MAX + 32];
static char server_auth[PATH_MAX + 32];

/* The mailer trusts the CAs OpenSSL is told of: the first certificate. */
static void
setup_tls(void)
{
	make_tmpdir(tls_dir, "test_smtp_tls");
	snprintf(trusted_cert, sizeof trusted_cert, "%s/trusted.pem", tls_dir);
	snprintf(trusted_key, sizeof trusted_key, "%s/trusted.key", tls_dir);
	snprintf(stranger_cert, sizeof stranger_cert, "%s/stranger.pem", tls_dir);
	snprintf(stranger_key, sizeof stranger_key, "%s/stranger.key", tls_dir);
	snprintf(server_auth, sizeof server_auth, "%s/server-auth", tls_dir);
	if (smtpd_make_cert(trusted_cert, trusted_key) < 0 ||
	    smtpd_make_cert(stranger_cert, stranger_key) < 0) {
		fprintf(stderr, "cannot make test certificates in %s\n", tls_dir);
		exit(2);
	}
	write_text(server_auth, "smtpuser hemligt\n");
	setenv("SSL_CERT_FILE", trusted_cert, 1);
}

/* AUTH with the credentials from the file; a wrong password waits. */
static void
test_auth_session(void)
{
	struct smtpd_options auth = { .auth_file = server_auth };
	struct mailer_options mo = {
		.transport = TRANSPORT_SMTP, .host = "localhost",
		.starttls = STARTTLS_OFF, .timeout = 10,
	};
	char path[PATH_MAX + 16], *user = NULL, *password = NULL;
	struct smtpd srv;
	struct heard h;

	make_tmpdir(dir, "test_smtp");
	snprintf(path, sizeof path, "%s/auth", dir);
	write_text(path, "smtpuser\nhemligt\n");
	CHECK(chmod(path, 0600) == 0);
	CHECK(mailer_read_auth_file(path, &user, &password) == 0);
	mo.user = user;
	mo.password = password;
	if (send_one(&srv, &auth, &mo, &h) == 0) {
		CHECK(h.status[0] == MAILER_OK && smtpd_count(&srv) == 1);
		CHECK(log_count(&srv, " ok\n") == 1);
		CHECK(smtpd_stop(&srv) == 0);
	}
	/* the operator's to put right, so the message waits */
	mo.password = "fel";
	if (send_one(&srv, &auth, &mo, &h) == 0) {
		CHECK(h.status[0] == MAILER_TEMPFAIL && smtpd_count(&srv) == 0);
		CHECK(strncmp(h.reply[0], "530 ", 4) == 0);
		CHECK(log_count(&srv, " failed\n") > 0);
		CHECK(log_count(&srv, " ok\n") == 0);
		CHECK(smtpd_stop(&srv) == 0);
	}
	/* optional TLS the server does not offer: no password in clear */
	mo.password = password;
	mo.starttls = STARTTLS_OPTIONAL;
	if (send_one(&srv, &auth, &mo, &h) == 0) {
		CHECK(h.status[0] == MAILER_TEMPFAIL && smtpd_count(&srv) == 0);
		CHECK(log_count(&srv, "\tAUTH\t") == 0);
		CHECK(smtpd_stop(&srv) == 0);
	}
	free(user);
	explicit_bzero(password, strlen(password));
	free(password);
	rm_rf(dir);
}

/*
 * Several TLS sessions in one process, as a daemon has: libESMTP 1.1.0's
 * own SSL_CTX would be freed after the first (see src/mailer.c).
 */
static void
test_starttls(void)
{
	struct smtpd_options trusted = {
		.auth_file = server_auth, .tls_cert = trusted_cert,
		.tls_key = trusted_key,
	};
	struct smtpd_options stranger = {
		.tls_cert = stranger_cert, .tls_key = stranger_key,
	};
	struct mailer_options mo = {
		.transport = TRANSPORT_SMTP, .host = "localhost",
		.starttls = STARTTLS_REQUIRED, .timeout = 10,
		.user = "smtpuser", .password = "hemligt",
	};
	struct smtpd srv;
	struct heard h;

	/* the password as it is, PLAIN or LOGIN, inside verified TLS */
	if (send_one(&srv, &trusted, &mo, &h) == 0) {
		CHECK(h.status[0] == MAILER_OK && smtpd_count(&srv) == 1);
		/* not 1.3, whose session tickets can stall libESMTP */
		CHECK(log_count(&srv, "\tSTARTTLS\tTLSv1.2\n") == 1);
		CHECK(log_count(&srv, " ok\n") == 1);
		CHECK(smtpd_stop(&srv) == 0);
	}
	/* a certificate for another name than the one asked for */
	mo.host = "127.0.0.1";
	if (send_one(&srv, &trusted, &mo, &h) == 0) {
		CHECK(h.status[0] == MAILER_TEMPFAIL && smtpd_count(&srv) == 0);
		CHECK(strstr(h.reply[0], "not for its name") != NULL);
		CHECK(log_count(&srv, "\tAUTH\t") == 0);
		CHECK(smtpd_stop(&srv) == 0);
	}
	mo.host = "localhost";
	if (send_one(&srv, &stranger, &mo, &h) == 0) {
		CHECK(h.status[0] == MAILER_TEMPFAIL && smtpd_count(&srv) == 0);
		CHECK(strstr(h.reply[0], "does not verify") != NULL);
		CHECK(log_count(&srv, "\tMAIL\t") == 0);
		CHECK(smtpd_stop(&srv) == 0);
	}
	/* optional: encrypted all the same, but no password to a stranger */
	mo.starttls = STARTTLS_OPTIONAL;
	stranger.auth_file = server_auth;
	if (send_one(&srv, &stranger, &mo, &h) == 0) {
		CHECK(h.status[0] == MAILER_TEMPFAIL && smtpd_count(&srv) == 0);
		CHECK(log_count(&srv, "\tSTARTTLS\t") == 1);
		CHECK(log_count(&srv, "\tAUTH\t") == 0);
		CHECK(smtpd_stop(&srv) == 0);
	}
	mo.user = mo.password = NULL;
	stranger.auth_file = NULL;
	if (send_one(&srv, &stranger, &mo, &h) == 0) {
		CHECK(h.status[0] == MAILER_OK && smtpd_count(&srv) == 1);
		CHECK(log_count(&srv, "\tSTARTTLS\t") == 1);
		CHECK(smtpd_stop(&srv) == 0);
	}
}

int
main(void)
{
	/* libESMTP writes to a socket the server may have closed */
	signal(SIGPIPE, SIG_IGN);
	setup_tls();
	RUN(test_batch_in_one_session);
	RUN(test_stop_sends_no_more);
	RUN(test_tempfail_then_exactly_once);
	RUN(test_rejected_recipient_fails_alone);
	RUN(test_dropped_in_data_then_exactly_once);
	RUN(test_server_down_nothing_lost);
	RUN(test_no_delay);
	RUN(test_relay_down_for_days);
	RUN(test_given_up_by_age);
	RUN(test_stale_not_sent);
	RUN(test_header_injection);
	RUN(test_smtp_marks_each_at_once);
	RUN(test_maildir_marks_with_the_batch);
	RUN(test_session_failures_are_temporary);
	RUN(test_auth_file);
	RUN(test_auth_session);
	RUN(test_starttls);
	rm_rf(tls_dir);
	return test_done("smtp");
}
