/*
 * SMTP delivery: messages the size of an alert (6 KB, as a digest or an
 * alert with its HTML part comes out) to the loopback server
 * (tests/smtpd.py, keeping nothing), in sessions of 100 as the outbox
 * sends them, against
 * a new session per message, in alternating rounds. Twice: to a bare
 * server, and as a submission server is set up, with STARTTLS and AUTH.
 * The goal: at least 1,000 messages a minute, and reusing the connection
 * at least three times as fast as reconnecting.
 *
 * Then the same messages into a Maildir, each under a key of its own, a
 * batch of 100 at a time (files synced together, new/ once a batch)
 * against one at a time (a file and new/ synced a message, as the Maildir
 * did before); and the quoted-printable encoding of an alert's text a line
 * at a time against byte by byte (tests/qp_reference.h).
 */
#define _XOPEN_SOURCE 700

#include <signal.h>

#include "bench.h"
#include "mail.h"
#include "mailer.h"
#include "../tests/qp_reference.h"
#include "../tests/smtpd.h"

#define PER_SESSION 100		/* the outbox's DELIVERY_BATCH */
#define PER_ROUND 1000
#define ROUNDS 3		/* 3,000 messages each way */

struct run {
	struct mailer *mailer;
	const struct mailer_item *items;
	long ok, failed;
};

static int
count(size_t i, int status, const char *reply, void *arg)
{
	struct run *r = arg;

	(void)i;
	if (status == MAILER_OK)
		r->ok++;
	else if (r->failed++ == 0)
		fprintf(stderr, "bench/mail: %s\n", reply);
	return 0;
}

static void
send_in_sessions_of(struct run *r, size_t per_session)
{
	size_t i;

	for (i = 0; i < PER_ROUND; i += per_session)
		mailer_send_batch(r->mailer, r->items + i, per_session, count, r);
}

static void
reconnecting(void *arg)
{
	send_in_sessions_of(arg, 1);
}

static void
reusing(void *arg)
{
	send_in_sessions_of(arg, PER_SESSION);
}

/* A mail's text the size of an alert's: lots, dates, links. */
static int
alert_text(struct buf *b)
{
	int lot;

	if (buf_printf(b, "Hej!\n\nEn ny upphandling passar er: renovering av "
		       "Centrumskolan, Exempelkommun.\n\n") < 0)
		return -1;
	for (lot = 1; b->len < 5500; lot++)
		if (buf_printf(b, "Delområde %d: målning och ytskikt, klassrum "
			       "och korridorer, plan %d.\n  CPV 45442100 "
			       "Målning, anbud senast 15 januari 2027.\n  "
			       "https://tenderlots.exempelkommun.se/notices/"
			       "%d\n\n", lot, lot, lot) < 0)
			return -1;
	return 0;
}

/* One server set-up, both ways; 0 if every message was accepted. */
static int
measure(const char *name, const struct smtpd_options *so,
	struct mailer_options *mo, const struct mailer_item *items)
{
	struct run r = { .items = items };
	struct smtpd srv;
	double reconnect, reuse;
	char figure[128];
	int rc = -1;

	if (smtpd_start(&srv, so) < 0)
		return -1;
	mo->port = srv.port;
	if (!(r.mailer = mailer_new(mo)))
		goto out;
	bench_pair(ROUNDS, reconnecting, reusing, &r, &reconnect, &reuse);
	if (r.failed || r.ok != 2L * ROUNDS * PER_ROUND) {
		fprintf(stderr, "bench/mail: %s: %ld of %ld messages failed\n",
			name, r.failed, 2L * ROUNDS * PER_ROUND);
		goto out;
	}
	printf("  %s, %d messages each way, best of %d rounds of %d:\n",
	       name, ROUNDS * PER_ROUND, ROUNDS, PER_ROUND);
	printf("    a session per message:   %6.0f messages/s\n",
	       PER_ROUND / reconnect);
	printf("    %d per session:         %6.0f messages/s, %.0f a minute\n",
	       PER_SESSION, PER_ROUND / reuse, 60 * PER_ROUND / reuse);
	printf("    reuse / reconnect:       %6.1fx\n", reconnect / reuse);
	snprintf(figure, sizeof figure, "%d a session vs 1, %s", PER_SESSION, name);
	bench_row("mail", figure, PER_ROUND / reuse, "msg/s",
		  PER_ROUND / reconnect);
	rc = 0;
out:
	mailer_free(r.mailer);
	smtpd_stop(&srv);
	return rc;
}

#define QP_ROUNDS 5
#define QP_TIMES 2000		/* encodings a round */

struct qp_run {
	const char *text;
	struct buf out;
	int failed;
};

/* QP_TIMES encodings of the text by encode. */
static void
qp_encode(struct qp_run *q, int (*encode)(struct buf *, const char *))
{
	int i;

	for (i = 0; i < QP_TIMES; i++) {
		buf_reset(&q->out);
		q->failed |= encode(&q->out, q->text) < 0;
	}
}

static void
qp_bytewise(void *arg)
{
	qp_encode(arg, qp_reference);
}

static void
qp_linewise(void *arg)
{
	qp_encode(arg, mail_quoted_printable);
}

static int
measure_qp(const char *text)
{
	struct qp_run q = { .text = text };
	double bytewise, linewise;

	buf_init(&q.out, 1 << 16);
	bench_pair(QP_ROUNDS, qp_bytewise, qp_linewise, &q, &bytewise,
		   &linewise);
	buf_release(&q.out);
	if (q.failed)
		return -1;
	printf("  quoted-printable of a %zu-byte text: byte by byte %.1f us,"
	       " a line at a time %.1f us\n", strlen(text),
	       1e6 * bytewise / QP_TIMES, 1e6 * linewise / QP_TIMES);
	bench_row("mail", "quoted-printable a line at a time, vs bytewise",
		  1e6 * linewise / QP_TIMES, "us", 1e6 * bytewise / QP_TIMES);
	return 0;
}

#define MAILDIR_MSGS 500	/* each way, a round */
#define MAILDIR_ROUNDS 5

struct md_run {
	struct mailer *mailer;
	struct mailer_item *items;
	char (*keys)[32];
	int round;
	long ok, failed;
};

/* Fresh keys, so each round writes files rather than finding them. */
static void
md_keys(struct md_run *r, const char *way)
{
	size_t i;

	r->round++;
	for (i = 0; i < MAILDIR_MSGS; i++) {
		snprintf(r->keys[i], sizeof r->keys[i], "%s/%d/%zu", way,
			 r->round, i);
		r->items[i].key = r->keys[i];
	}
}

static int
md_count(size_t i, int status, const char *reply, void *arg)
{
	struct md_run *r = arg;

	(void)i;
	(void)reply;
	if (status == MAILER_OK)
		r->ok++;
	else
		r->failed++;
	return 0;
}

static void
md_one_at_a_time(void *arg)
{
	struct md_run *r = arg;
	size_t i;

	md_keys(r, "one");
	for (i = 0; i < MAILDIR_MSGS; i++)
		mailer_send_batch(r->mailer, r->items + i, 1, md_count, r);
}

static void
md_batched(void *arg)
{
	struct md_run *r = arg;
	size_t i;

	md_keys(r, "batch");
	for (i = 0; i < MAILDIR_MSGS; i += PER_SESSION)
		mailer_send_batch(r->mailer, r->items + i, PER_SESSION,
				  md_count, r);
}

static int
measure_maildir(const char *dir, const struct mailer_item *items)
{
	static struct mailer_item own[MAILDIR_MSGS];
	static char keys[MAILDIR_MSGS][32];
	char path[PATH_MAX + 16];
	struct mailer_options mo = {
		.transport = TRANSPORT_MAILDIR, .maildir = path,
	};
	struct md_run r = { .items = own, .keys = keys };
	double one, batched;
	int rc = -1;

	snprintf(path, sizeof path, "%s/Maildir", dir);
	memcpy(own, items, sizeof own);
	if (!(r.mailer = mailer_new(&mo)))
		return -1;
	bench_pair(MAILDIR_ROUNDS, md_one_at_a_time, md_batched, &r, &one,
		   &batched);
	if (r.failed || r.ok != 2L * MAILDIR_ROUNDS * MAILDIR_MSGS) {
		fprintf(stderr, "bench/mail: Maildir: %ld of %ld messages "
			"failed\n", r.failed, 2L * MAILDIR_ROUNDS * MAILDIR_MSGS);
		goto out;
	}
	printf("  into a Maildir, %d messages each way, best of %d rounds:\n"
	       "    one at a time:   %6.0f messages/s\n"
	       "    %d a batch:     %6.0f messages/s\n", MAILDIR_MSGS,
	       MAILDIR_ROUNDS, MAILDIR_MSGS / one, PER_SESSION,
	       MAILDIR_MSGS / batched);
	bench_row("mail", "Maildir, 100 a batch vs 1", MAILDIR_MSGS / batched,
		  "msg/s", MAILDIR_MSGS / one);
	rc = 0;
out:
	mailer_free(r.mailer);
	return rc;
}

int
main(void)
{
	static struct mailer_item items[PER_ROUND];
	static struct buf msg[PER_ROUND];
	static char rcpt[PER_ROUND][48];
	struct buf text;
	char dir[PATH_MAX], cert[PATH_MAX + 16], key[PATH_MAX + 16];
	char auth[PATH_MAX + 16], msgid[64];
	struct mailer_options plain = {
		.transport = TRANSPORT_SMTP, .host = "localhost",
		.starttls = STARTTLS_OFF, .timeout = 30,
	};
	struct mailer_options submission = plain;
	size_t i;
	int rc = 1;

	signal(SIGPIPE, SIG_IGN);
	make_tmpdir(dir, "bench-mail");
	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	snprintf(key, sizeof key, "%s/key.pem", dir);
	snprintf(auth, sizeof auth, "%s/auth", dir);
	write_text(auth, "bench secret\n");
	if (smtpd_make_cert(cert, key) < 0)
		goto out;
	/* the certificate is the one CA the mailer trusts */
	setenv("SSL_CERT_FILE", cert, 1);
	submission.starttls = STARTTLS_REQUIRED;
	submission.user = "bench";
	submission.password = "secret";
	buf_init(&text, 1 << 16);
	if (alert_text(&text) < 0)
		goto out;
	for (i = 0; i < PER_ROUND; i++) {
		struct mail_headers h = {
			.from = "Exempelkommun <upphandling@exempel.se>",
			.to = rcpt[i], .subject = "Ny upphandling: målning",
			.message_id = msgid, .date = 1795600000,
		};

		snprintf(rcpt[i], sizeof rcpt[i], "firma%zu@example.se", i);
		snprintf(msgid, sizeof msgid, "bench.%zu@exempel.se", i);
		buf_init(&msg[i], 1 << 16);
		if (mail_compose_text(&h, buf_str(&text), &msg[i]) < 0)
			goto out;
		items[i] = (struct mailer_item){ "bounce@exempel.se", rcpt[i],
						 msg[i].data, msg[i].len, NULL, 0 };
	}
	printf("mail: messages of %zu bytes to aiosmtpd on the loopback\n",
	       msg[0].len);
	if (measure("no TLS, no AUTH", &(struct smtpd_options){ .discard = 1 },
		    &plain, items) < 0 ||
	    measure("STARTTLS and AUTH",
		    &(struct smtpd_options){ .discard = 1, .tls_cert = cert,
					     .tls_key = key, .auth_file = auth },
		    &submission, items) < 0 ||
	    measure_maildir(dir, items) < 0 || measure_qp(buf_str(&text)) < 0)
		goto out;
	rc = 0;
out:
	buf_release(&text);
	for (i = 0; i < PER_ROUND; i++)
		buf_release(&msg[i]);
	rm_rf(dir);
	return rc;
}
