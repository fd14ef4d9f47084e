#ifndef TENDERLOTS_MAIL_H
#define TENDERLOTS_MAIL_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

/*
 * RFC 5322 / MIME message building. Every header value has CR and LF
 * removed before use, non-ASCII words are RFC 2047 encoded (UTF-8, B or Q),
 * and header lines are folded at 78 characters. Lines end in CRLF.
 */
struct mail_headers {
	const char *from;		/* "Display Name <addr>" or "addr" */
	const char *to;			/* same form */
	const char *reply_to;		/* NULL for none */
	const char *subject;		/* UTF-8 */
	const char *message_id;		/* "local@domain", without <> */
	time_t date;
	const char *list_id;		/* "Name <id.domain>", NULL for none */
	const char *list_unsubscribe_url;	/* https URL, NULL for none */
	const char *list_unsubscribe_mailto;	/* mailto: URL, NULL for none */
	const char *language;		/* Content-Language, e.g. "sv"; NULL for none */
};

/*
 * A complete single-part text/plain; charset=utf-8 message, body encoded
 * quoted-printable. body is UTF-8 with LF line ends. -1 on error (invalid
 * address, buffer cap).
 */
int mail_compose_text(const struct mail_headers *h, const char *body,
		      struct buf *out);

/*
 * The bare address of a mailbox "Name <addr>" or "addr", checked for a
 * plausible syntax (local@domain, no spaces or control characters).
 * -1 if it is not an address or does not fit.
 */
int mail_address(const char *mailbox, char *out, size_t outlen);

#endif
