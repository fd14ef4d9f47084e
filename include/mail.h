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
	/* https URL, NULL for none: one-click (RFC 8058) needs https */
	const char *list_unsubscribe_url;
	const char *list_unsubscribe_mailto;	/* mailto: URL, NULL for none */
	const char *language;		/* Content-Language, e.g. "sv"; NULL for none */
};

/* A file attached to a message, sent base64-encoded. */
struct mail_attachment {
	const char *content_type;	/* "text/calendar; charset=utf-8; method=PUBLISH" */
	const char *filename;		/* printable ASCII, no spaces or quotes */
	const char *data;
	size_t len;
};

struct mail_body {
	const char *text;		/* UTF-8, LF line ends */
	const char *html;		/* NULL: text only */
	const struct mail_attachment *attachments;
	size_t nattachments;
};

/*
 * A complete message: text/plain alone, or multipart/alternative with the
 * HTML, inside multipart/mixed when there are attachments. Text parts are
 * UTF-8 quoted-printable. -1 on error (invalid address or attachment,
 * buffer cap), and out is left as it was; err then says why, or, when err
 * is NULL, the error is reported.
 */
int mail_compose(const struct mail_headers *h, const struct mail_body *body,
		 struct buf *out, char *err, size_t errlen);

/*
 * A text/plain message: mail_compose with no HTML and no attachments,
 * errors reported.
 */
int mail_compose_text(const struct mail_headers *h, const char *text,
		      struct buf *out);

/*
 * body as RFC 2045 6.7 quoted-printable with CRLF line breaks, added to
 * out a line at a time. A body that does not end in LF ends in a soft
 * break, so it decodes to exactly itself. -1 when out is full.
 */
int mail_quoted_printable(struct buf *out, const char *body);

/*
 * The bare address of a mailbox "Name <addr>" or "addr", checked for a
 * plausible syntax (local@domain, no spaces or control characters).
 * -1 if it is not an address or does not fit.
 */
int mail_address(const char *mailbox, char *out, size_t outlen);

/*
 * 1 if the n bytes at s are a local part mail_address takes: an RFC 5322
 * dot-atom of ASCII, at most 64 bytes.
 */
int mail_local_part_ok(const char *s, size_t n);

#endif
