#ifndef TENDERLOTS_INBOX_H
#define TENDERLOTS_INBOX_H

#include <stddef.h>
#include <time.h>

#include "firm.h"
#include "store.h"
#include "token.h"

/*
 * What comes back: bounces and the mailto: unsubscribe requests. Every
 * mail to a firm goes from a VERP address, BASE's local part + "b-" +
 * the firm's id + "-" + a tag signing the id and the address it went to,
 * at BASE's domain ([mail] bounce_address, else [mail] from); its
 * List-Unsubscribe mailto is the same with "u-" and a tag signing the id
 * alone, which the subject carries too. A mail that comes back to such
 * an address with a valid tag acts; any other changes nothing and is
 * logged. Parsing is a pure function over a buffer; the daemon reads a
 * Maildir each pass and `tenderlots inbox` takes one mail on stdin, both
 * through inbox_handle.
 */

#define INBOX_READ_MAX (512 * 1024)	/* a report comes before the copy */
#define INBOX_ADDR_MAX 256
#define INBOX_TO_MAX 6
#define INBOX_RCPT_MAX 8
#define INBOX_TEXT_MAX 256

/* One recipient's fields of a delivery status report (RFC 3464). */
struct inbox_report {
	char rcpt[INBOX_ADDR_MAX];	/* Final-Recipient, without "rfc822;" */
	char status[16];		/* "5.1.1" */
	char action[16];		/* "failed", "delayed", ... */
	char diag[INBOX_TEXT_MAX];	/* Diagnostic-Code, one line */
};

/* What parsing found; every string one line of printable text. */
struct inbox_mail {
	char to[INBOX_TO_MAX][INBOX_ADDR_MAX];	/* Delivered-To, X-Original-To,
						   To, Cc: where it came */
	size_t nto;
	char subject[INBOX_TEXT_MAX];
	int auto_reply;		/* Auto-Submitted, X-Autoreply, Precedence,
				   an out-of-office subject */
	int from_daemon;	/* from MAILER-DAEMON or postmaster, or <> */
	int dsn;		/* multipart/report with message/delivery-status */
	struct inbox_report r[INBOX_RCPT_MAX];
	size_t nr;
};

/* Parses at most INBOX_READ_MAX bytes of buf; -1 only if out of memory. */
int inbox_parse(const char *buf, size_t len, struct inbox_mail *out);

enum bounce_kind { BOUNCE_NONE = 0, BOUNCE_SOFT, BOUNCE_HARD };

/*
 * An enhanced status code's weight: 5.x.x is hard, except where it
 * blames our mail rather than the address (5.2.3 and 5.3.4 too large,
 * 5.6.x content, 5.7.x policy: spam, DMARC), which counts as soft, as
 * 4.x.x does; 2.x.x is none. A bare reply code ("550") counts by its
 * class.
 */
enum bounce_kind inbox_bounce_kind(const char *status);

/*
 * Records a bounce of address: a hard one suppresses it; soft ones count
 * once a day, and a third within INBOX_SOFT_WINDOW of the first makes it
 * hard. Sets *suppressed when the address takes no mail from now on.
 * Runs its own transaction.
 */
#define INBOX_SOFT_LIMIT 3
#define INBOX_SOFT_WINDOW (14L * 24 * 3600)
int inbox_bounce(struct store *s, const char *address, enum bounce_kind kind,
		 const char *reason, time_t now, int *suppressed);

/* The bare address everything comes back to; checks it leaves room. */
int inbox_base(const char *bounce_address, const char *from_addr,
	       char *out, size_t outlen);

enum verp_kind { VERP_BOUNCE = 'b', VERP_UNSUBSCRIBE = 'u' };

/* The firm's address of this kind, from base. */
int inbox_verp(const struct token_key *k, const char *base,
	       enum verp_kind kind, const struct firm *f, char *out,
	       size_t outlen);

enum inbox_result {
	INBOX_IGNORED = 0,	/* logged why */
	INBOX_SOFT_BOUNCE,
	INBOX_HARD_BOUNCE,	/* the address takes no mail */
	INBOX_UNSUBSCRIBED
};

/* One mail; -1 only when the store failed (the mail must be kept). */
int inbox_handle(struct store *s, const struct token_key *k, const char *base,
		 const char *buf, size_t len, time_t now,
		 enum inbox_result *result);

/*
 * Reads fd to its end, keeping the first INBOX_READ_MAX bytes in b (a
 * pipe's writer must not see it stop early).
 */
int inbox_read_fd(int fd, struct buf *b);

struct inbox_counts {
	unsigned read, bounced, unsubscribed, kept;
};

/*
 * Each mail in the Maildir's new/ through inbox_handle, then into cur/
 * as seen; one that cannot be read stays in new/ and is logged.
 */
int inbox_read_maildir(struct store *s, const struct token_key *k,
		       const char *base, const char *maildir, time_t now,
		       struct inbox_counts *c);

#endif
