#ifndef TENDERLOTS_TOKEN_H
#define TENDERLOTS_TOKEN_H

#include <stddef.h>
#include <time.h>

/*
 * Signed tokens for the links in mails (unsubscribe, manage or confirm a
 * subscription, RSVP), so the web endpoint can act on a click without a
 * database lookup and nobody can act for a firm by guessing a link.
 *
 * A token is "PAYLOAD.MAC", both base64url without padding, so it uses
 * only [A-Za-z0-9_.-]. PAYLOAD decodes to "firm/object/expires" (expires
 * in decimal seconds since the epoch): readable, not secret. MAC is
 * HMAC-SHA256 over purpose, a NUL byte and the decoded PAYLOAD. The
 * purpose is not in the token, as the URL path says it, but a token made
 * for one purpose never validates for another.
 *
 * Purpose, firm and object are up to TOKEN_FIELD_MAX characters of
 * [A-Za-z0-9_.:-]; only object may be empty.
 */

/*
 * The purposes of links that ask a firm what it thought: a match's
 * relevance (firm, the match's row id as object) and a meeting's survey
 * (the registration as firm, the meeting as object).
 */
#define FEEDBACK_PURPOSE "feedback"
#define SURVEY_PURPOSE "survey"

#define TOKEN_MAX 256		/* longest token string incl. NUL */
#define TOKEN_FIELD_MAX 64	/* longest purpose, firm or object */
#define TOKEN_SECRET_LEN 32

struct token_key;

/*
 * Loads the secret from path. A missing file is created with mode 0600
 * and fresh random bytes, and its directory with mode 0700 if that is
 * missing too. A file that group or others may read or write, or that is
 * not TOKEN_SECRET_LEN bytes, is refused.
 */
int token_key_load(const char *path, struct token_key **out);
/* For tests and tools: a key from len == TOKEN_SECRET_LEN given bytes. */
int token_key_from_bytes(const unsigned char *secret, size_t len,
			 struct token_key **out);
/* Wipes the secret; NULL is fine. */
void token_key_free(struct token_key *k);

/*
 * Writes the token for purpose, firm and object, valid until expires
 * (exclusive), into out. outlen of TOKEN_MAX is always enough.
 */
int token_make(const struct token_key *k, const char *purpose,
	       const char *firm, const char *object, time_t expires,
	       char *out, size_t outlen);

enum token_result {
	TOKEN_OK = 0,
	TOKEN_MALFORMED = -1,
	TOKEN_BAD_SIGNATURE = -2,
	TOKEN_EXPIRED = -3
};

/*
 * Verifies token for purpose at time now and on TOKEN_OK writes its firm
 * and object, which TOKEN_FIELD_MAX + 1 bytes always hold; on anything
 * else both are left empty. Never logs: a forged or stale link is the
 * visitor's problem, not an error. The signature is checked before
 * anything else in the token is trusted, the expiry after it.
 */
int token_check(const struct token_key *k, const char *token,
		const char *purpose, time_t now, char *firm, size_t firmlen,
		char *object, size_t objlen);

/*
 * A short tag for a mail address (VERP): the first 80 bits of
 * HMAC-SHA256 over purpose, a NUL byte and subject, as TOKEN_TAG_LEN
 * characters of lowercase base32 ([a-z2-7]), as MTAs and mail programs
 * may change the case of an address but keep its letters, and a local
 * part is at most 64 characters. It does not expire: a bounce may come
 * days after its mail.
 */
#define TOKEN_TAG_LEN 16

int token_tag(const struct token_key *k, const char *purpose,
	      const char *subject, char out[TOKEN_TAG_LEN + 1]);
/* 1 when tag is the tag of purpose and subject, in any case; 0 if not. */
int token_tag_check(const struct token_key *k, const char *purpose,
		    const char *subject, const char *tag);

#endif
