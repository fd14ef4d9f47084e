#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "log.h"
#include "token.h"

#define MAC_LEN 32		/* SHA-256 */
#define EXPIRES_DIGITS 19	/* the largest long long */
#define PAYLOAD_MAX (2 * TOKEN_FIELD_MAX + 2 + EXPIRES_DIGITS)
#define B64_LEN(n) (((n) * 4 + 2) / 3)

_Static_assert(B64_LEN(PAYLOAD_MAX) + 1 + B64_LEN(MAC_LEN) < TOKEN_MAX,
	       "TOKEN_MAX must hold the longest token");

/*
 * hmac is OpenSSL's HMAC-SHA256 keyed with the secret once: each MAC
 * works on a copy of it, where HMAC() fetched SHA-256 and keyed new
 * contexts every time, most of what a mail's dozen tokens cost. Only
 * read once made, so threads share the key as before.
 */
struct token_key {
	unsigned char secret[TOKEN_SECRET_LEN];
	EVP_MAC_CTX *hmac;
};

static const char b64url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Writes B64_LEN(n) characters and a NUL; returns the end. */
static char *
b64url_encode(const unsigned char *in, size_t n, char *out)
{
	unsigned acc = 0;
	int bits = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		acc = acc << 8 | in[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			*out++ = b64url[acc >> bits & 63];
		}
	}
	if (bits)
		*out++ = b64url[acc << (6 - bits) & 63];
	*out = '\0';
	return out;
}

/*
 * Leftover bits must be zero, so that every byte string has exactly one
 * encoding and no changed character decodes to the same bytes.
 */
static int
b64url_decode(const char *in, size_t n, unsigned char *out, size_t max,
	      size_t *len)
{
	const char *p;
	unsigned acc = 0;
	int bits = 0;
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (!in[i] || !(p = strchr(b64url, in[i])))
			return -1;
		acc = acc << 6 | (unsigned)(p - b64url);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == max)
				return -1;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	if (bits >= 6 || (acc & ((1u << bits) - 1)))
		return -1;
	*len = o;
	return 0;
}

/*
 * Nothing a URL would escape, and no '/', which separates the fields in
 * the payload.
 */
static int
valid_field(const char *s, int may_be_empty)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			     "abcdefghijklmnopqrstuvwxyz0123456789_.:-");

	return !s[n] && n <= TOKEN_FIELD_MAX && (n || may_be_empty);
}

/* Keys the HMAC of k with its secret. */
static int
key_ready(struct token_key *k)
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	int rc = -1;

	if (mac && (k->hmac = EVP_MAC_CTX_new(mac)) &&
	    EVP_MAC_init(k->hmac, k->secret, sizeof k->secret, params))
		rc = 0;
	EVP_MAC_free(mac);
	return rc;
}

/*
 * HMAC-SHA256 of purpose, its NUL and len bytes of data: the NUL ends the
 * purpose, so it cannot run on into the payload.
 */
static int
hmac(const struct token_key *k, const char *purpose, const void *data,
     size_t len, unsigned char md[MAC_LEN])
{
	EVP_MAC_CTX *c = EVP_MAC_CTX_dup(k->hmac);
	size_t n = 0;
	int rc;

	rc = c && EVP_MAC_update(c, (const unsigned char *)purpose,
				 strlen(purpose) + 1) &&
	     EVP_MAC_update(c, data, len) &&
	     EVP_MAC_final(c, md, &n, MAC_LEN) && n == MAC_LEN ? 0 : -1;
	EVP_MAC_CTX_free(c);
	return rc;
}

/* The secret's directory, private when it has to be made. */
static int
ensure_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int rc = 0;

	if (!slash || slash == path)
		return 0;
	if (!(dir = strndup(path, (size_t)(slash - path))))
		return error("out of memory");
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		rc = error("%s: %s", dir, strerror(errno));
	free(dir);
	return rc;
}

/*
 * A new secret file. Another process creating it first is fine: the
 * caller reads whichever file is there.
 */
static int
create_secret(const char *path)
{
	unsigned char secret[TOKEN_SECRET_LEN];
	ssize_t n;
	int fd, rc = -1;

	if (ensure_dir(path) < 0)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY,
		  0600);
	if (fd < 0 && errno == EEXIST)
		return 0;
	if (fd < 0)
		return error("%s: %s", path, strerror(errno));
	if (RAND_bytes(secret, sizeof secret) != 1) {
		error("%s: no random bytes for a new token secret", path);
		goto out;
	}
	n = write(fd, secret, sizeof secret);
	/* Mails carry tokens made with it: it must outlive a crash. */
	if (n < 0 || fsync(fd) < 0) {
		error("%s: %s", path, strerror(errno));
		goto out;
	}
	if (n != sizeof secret) {
		error("%s: short write", path);
		goto out;
	}
	rc = 0;
out:
	OPENSSL_cleanse(secret, sizeof secret);
	close(fd);
	if (rc < 0)
		unlink(path);
	return rc;
}

int
token_key_load(const char *path, struct token_key **out)
{
	struct token_key *k = NULL;
	struct stat st;
	ssize_t n;
	int fd, rc = -1;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && errno == ENOENT) {
		if (create_secret(path) < 0)
			goto out;
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	}
	if (fd < 0 || fstat(fd, &st) < 0) {
		error("%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		error("%s: not a regular file", path);
		goto out;
	}
	if (st.st_uid != geteuid()) {
		error("%s: owned by uid %lu, not by uid %lu that tenderlots runs as",
		      path, (unsigned long)st.st_uid, (unsigned long)geteuid());
		goto out;
	}
	if (st.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)) {
		error("%s: readable or writable by group or others (mode %04o); "
		      "chmod 600 it", path, (unsigned)(st.st_mode & 07777));
		goto out;
	}
	if (st.st_size != TOKEN_SECRET_LEN) {
		error("%s: %lld bytes, but a token secret is %d", path,
		      (long long)st.st_size, TOKEN_SECRET_LEN);
		goto out;
	}
	if (!(k = calloc(1, sizeof *k))) {
		error("out of memory");
		goto out;
	}
	n = read(fd, k->secret, sizeof k->secret);
	if (n < 0) {
		error("%s: %s", path, strerror(errno));
		goto out;
	}
	if (n != sizeof k->secret) {
		error("%s: changed while being read", path);
		goto out;
	}
	if (key_ready(k) < 0) {
		error("%s: HMAC-SHA256 cannot be keyed", path);
		goto out;
	}
	*out = k;
	k = NULL;
	rc = 0;
out:
	token_key_free(k);
	if (fd >= 0)
		close(fd);
	return rc;
}

int
token_key_from_bytes(const unsigned char *secret, size_t len,
		     struct token_key **out)
{
	struct token_key *k;

	*out = NULL;
	if (len != TOKEN_SECRET_LEN)
		return error("token: a secret is %d bytes, not %zu",
			     TOKEN_SECRET_LEN, len);
	if (!(k = calloc(1, sizeof *k)))
		return error("out of memory");
	memcpy(k->secret, secret, len);
	if (key_ready(k) < 0) {
		token_key_free(k);
		return error("token: HMAC-SHA256 cannot be keyed");
	}
	*out = k;
	return 0;
}

void
token_key_free(struct token_key *k)
{
	if (!k)
		return;
	EVP_MAC_CTX_free(k->hmac);
	OPENSSL_cleanse(k, sizeof *k);
	free(k);
}

int
token_make(const struct token_key *k, const char *purpose, const char *firm,
	   const char *object, time_t expires, char *out, size_t outlen)
{
	char payload[PAYLOAD_MAX + 1];
	unsigned char md[MAC_LEN];
	const char *bad = NULL;
	size_t n, need;

	if (!valid_field(purpose, 0))
		bad = "purpose";
	else if (!valid_field(firm, 0))
		bad = "firm";
	else if (!valid_field(object, 1))
		bad = "object";
	if (bad)
		return error("token: invalid %s (up to %d characters of "
			     "[A-Za-z0-9_.:-])", bad, TOKEN_FIELD_MAX);
	if (expires < 0)
		return error("token: expiry before 1970");
	n = (size_t)snprintf(payload, sizeof payload, "%s/%s/%lld", firm,
			     object, (long long)expires);
	need = B64_LEN(n) + 1 + B64_LEN(MAC_LEN) + 1;
	if (outlen < need)
		return error("token: no room for a %zu-byte token", need);
	if (hmac(k, purpose, payload, n, md) < 0)
		return error("token: HMAC-SHA256 failed");
	out = b64url_encode((const unsigned char *)payload, n, out);
	*out++ = '.';
	b64url_encode(md, MAC_LEN, out);
	return 0;
}

static int
parse_expires(const char *s, time_t *out)
{
	long long v;

	if (!*s || s[strspn(s, "0123456789")])
		return -1;
	errno = 0;
	v = strtoll(s, NULL, 10);
	if (errno || (time_t)v != v)
		return -1;
	*out = (time_t)v;
	return 0;
}

int
token_check(const struct token_key *k, const char *token, const char *purpose,
	    time_t now, char *firm, size_t firmlen, char *object, size_t objlen)
{
	char payload[PAYLOAD_MAX + 1], *obj, *when;
	unsigned char sig[MAC_LEN], md[MAC_LEN];
	const char *dot;
	size_t len, plen, siglen;
	time_t expires;

	if (firmlen)
		*firm = '\0';
	if (objlen)
		*object = '\0';
	len = strnlen(token, TOKEN_MAX);
	if (len == TOKEN_MAX || !(dot = memchr(token, '.', len)) ||
	    b64url_decode(token, (size_t)(dot - token),
			  (unsigned char *)payload, PAYLOAD_MAX, &plen) < 0 ||
	    b64url_decode(dot + 1, len - (size_t)(dot - token) - 1, sig,
			  sizeof sig, &siglen) < 0 || siglen != MAC_LEN)
		return TOKEN_MALFORMED;
	/*
	 * No token is made for a purpose outside the rules, and one whose
	 * MAC cannot be computed is refused rather than let through.
	 */
	if (!valid_field(purpose, 0) || hmac(k, purpose, payload, plen, md) < 0 ||
	    CRYPTO_memcmp(md, sig, MAC_LEN) != 0)
		return TOKEN_BAD_SIGNATURE;
	payload[plen] = '\0';
	if (memchr(payload, '\0', plen) || !(obj = strchr(payload, '/')))
		return TOKEN_MALFORMED;
	*obj++ = '\0';
	if (!(when = strchr(obj, '/')))
		return TOKEN_MALFORMED;
	*when++ = '\0';
	if (!valid_field(payload, 0) || !valid_field(obj, 1) ||
	    parse_expires(when, &expires) < 0 || strlen(payload) >= firmlen ||
	    strlen(obj) >= objlen)
		return TOKEN_MALFORMED;
	if (now >= expires)
		return TOKEN_EXPIRED;
	strcpy(firm, payload);
	strcpy(object, obj);
	return TOKEN_OK;
}

/* What a tag signs: purpose, NUL, subject (an address at most). */
#define TAG_INPUT_MAX (TOKEN_FIELD_MAX + 1 + 512)

int
token_tag(const struct token_key *k, const char *purpose, const char *subject,
	  char out[TOKEN_TAG_LEN + 1])
{
	static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	unsigned char md[MAC_LEN];
	size_t plen = strlen(purpose) + 1, slen = strlen(subject), i;

	if (plen > TOKEN_FIELD_MAX + 1 || slen > TAG_INPUT_MAX - plen ||
	    hmac(k, purpose, subject, slen, md) < 0)
		return -1;
	/* 16 characters of 5 bits: the first 10 bytes */
	for (i = 0; i < TOKEN_TAG_LEN; i++) {
		size_t bit = i * 5;
		unsigned v = (unsigned)md[bit / 8] << 8 | md[bit / 8 + 1];

		out[i] = b32[v >> (11 - bit % 8) & 31];
	}
	out[TOKEN_TAG_LEN] = '\0';
	return 0;
}

int
token_tag_check(const struct token_key *k, const char *purpose,
		const char *subject, const char *tag)
{
	char want[TOKEN_TAG_LEN + 1], got[TOKEN_TAG_LEN + 1];
	size_t i;

	if (strlen(tag) != TOKEN_TAG_LEN ||
	    token_tag(k, purpose, subject, want) < 0)
		return 0;
	for (i = 0; i <= TOKEN_TAG_LEN; i++)
		got[i] = (char)tolower((unsigned char)tag[i]);
	return CRYPTO_memcmp(want, got, sizeof want) == 0;
}
