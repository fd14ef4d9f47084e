#ifndef TENDERLOTS_MAILER_H
#define TENDERLOTS_MAILER_H

#include <stddef.h>

#include "config.h"

/*
 * Mail transport behind one interface: SMTP through libESMTP, or a
 * Maildir, where every message is written to tmp/, synced and renamed
 * into new/, so a reader never sees a partial message. A Maildir takes a
 * batch some 64 messages at a time: their files are written and synced,
 * renamed, and new/ synced once for them all, before their fates are
 * reported; a caller that stops the batch then leaves behind only those
 * with a key, which a repeat finds (see struct mailer_item).
 *
 * Messages go in batches. Over SMTP one session carries a whole batch, and
 * each message's fate is reported the moment it is known, before the next
 * message goes, so the caller can record it first: a crash then repeats
 * at most the one message that was with the server.
 *
 * STARTTLS (TLS 1.2, see src/mailer.c) required wants the server's
 * certificate to verify, for the host name as given, against the
 * system's CAs (or those SSL_CERT_FILE or SSL_CERT_DIR name). Optional
 * takes TLS when offered, with an unverified certificate too, but sends a
 * password as it is (PLAIN, LOGIN) only inside verified TLS; off sends it
 * anyway, as the operator chose.
 *
 * libESMTP writes to its socket with write(): a process using the SMTP
 * transport ignores SIGPIPE, or a server hanging up kills it.
 */

enum mailer_status {
	MAILER_OK = 0,
	MAILER_TEMPFAIL = -1,	/* try again later */
	MAILER_PERMFAIL = -2	/* will never succeed as it is */
};

struct mailer_options {
	enum mail_transport transport;
	const char *maildir;	/* for TRANSPORT_MAILDIR */

	/* for TRANSPORT_SMTP */
	const char *host;	/* the name its TLS certificate carries */
	long port;		/* 1..65535 */
	enum starttls_mode starttls;
	const char *user;	/* NULL: no AUTH */
	const char *password;
	/*
	 * Seconds to wait for each reply or write; 0: RFC 5321's minutes.
	 * libESMTP's connect() has none: the system's TCP timeout applies.
	 */
	long timeout;
};

struct mailer;

/* Copies what it needs from opt; NULL after reporting why. */
struct mailer *mailer_new(const struct mailer_options *opt);
void mailer_free(struct mailer *m);
/*
 * Whether a message given again under the same key is found and reported
 * delivered rather than delivered twice (a Maildir: its file is named by
 * the key); an SMTP server would take it again.
 */
int mailer_finds_repeats(const struct mailer *m);

/*
 * Reads SMTP credentials from path: "user password" on one line (the
 * password runs to the end of the line), or the user on the first line
 * and the password on the second. The file must be a regular file owned
 * by the user running tenderlots and neither readable nor writable by
 * group or others. Errors name the file, never what it holds. The caller
 * frees both strings, the password after explicit_bzero().
 */
int mailer_read_auth_file(const char *path, char **user, char **password);

/* One message: CRLF line ends, as from mail_compose_text, sent unchanged. */
struct mailer_item {
	const char *envelope_from;	/* "" for the null sender */
	const char *rcpt;
	const char *data;
	size_t len;
	/*
	 * The message's unique key (the outbox's), or NULL. A Maildir names
	 * the file after it, so a message given again after a crash (in new/,
	 * or read into cur/) is not written twice but reported delivered.
	 */
	const char *key;
	/*
	 * Given to no mailer before: a Maildir need not look for it, three
	 * lookups a mail that were a seventh of a pass's delivery.
	 */
	int first_try;
};

/*
 * Called once for each item as soon as its fate is known, in the order the
 * server answers: status is a mailer_status, reply one line (the server's
 * reply for SMTP, e.g. "550 5.1.1 no such user"; where a Maildir message
 * went). Returns 0 to go on, -1 to stop the batch.
 */
typedef int (*mailer_done_fn)(size_t i, int status, const char *reply,
			      void *arg);

/*
 * Sends items[0..n) and reports each through done. A session that fails
 * (refused, timed out, dropped) reports MAILER_TEMPFAIL for every item not
 * reported yet; a 4xx reply is MAILER_TEMPFAIL, a 5xx reply
 * MAILER_PERMFAIL, except 530, 535 and 538 (authentication or encryption
 * missing), which are the operator's to fix and so MAILER_TEMPFAIL.
 * Returns 0 when every item was reported; -1 when done asked to stop, and
 * then no item left unreported has been accepted by the server (a Maildir
 * may keep those of its chunk that have a key: a repeat finds them).
 */
int mailer_send_batch(struct mailer *m, const struct mailer_item *items,
		      size_t n, mailer_done_fn done, void *arg);

#endif
