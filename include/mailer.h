#ifndef TENDERLOTS_MAILER_H
#define TENDERLOTS_MAILER_H

#include <stddef.h>

#include "config.h"

/*
 * Mail transport behind one interface. The bundled default is a Maildir:
 * every message is written to tmp/, synced and renamed into new/, so a
 * reader never sees a partial message. SMTP comes as a second transport.
 */

enum mailer_status {
	MAILER_OK = 0,
	MAILER_TEMPFAIL = -1,	/* try again later */
	MAILER_PERMFAIL = -2	/* will never succeed as it is */
};

struct mailer_options {
	enum mail_transport transport;
	const char *maildir;	/* for TRANSPORT_MAILDIR */
};

struct mailer;

struct mailer *mailer_new(const struct mailer_options *opt);
void mailer_free(struct mailer *m);

/*
 * Delivers one message (CRLF line ends, as from mail_compose_text) for the
 * given envelope; envelope_from "" is the null sender. Returns a
 * mailer_status; reply holds one line: on failure the reason (the server's
 * reply for SMTP), on success where the message went.
 */
int mailer_send(struct mailer *m, const char *envelope_from, const char *rcpt,
		const char *msg, size_t len, char *reply, size_t replylen);

#endif
