#define _XOPEN_SOURCE 700

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"
#include "testutil.h"
#include "token.h"

#define URL_SAFE "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
		 "0123456789_.-"

static char tmpdir[PATH_MAX];

static const time_t now = 1700000000;

static struct token_key *
fixed_key(unsigned char seed)
{
	unsigned char secret[TOKEN_SECRET_LEN];
	struct token_key *k;
	size_t i;

	for (i = 0; i < sizeof secret; i++)
		secret[i] = (unsigned char)(seed + i);
	if (token_key_from_bytes(secret, sizeof secret, &k) < 0)
		exit(2);
	return k;
}

static int
check(const struct token_key *k, const char *token, const char *purpose,
      time_t when)
{
	char firm[TOKEN_FIELD_MAX + 1], object[TOKEN_FIELD_MAX + 1];
	int rc = token_check(k, token, purpose, when, firm, sizeof firm,
			     object, sizeof object);

	/* Nothing from a refused token may reach the caller. */
	if (rc != TOKEN_OK)
		CHECK(!firm[0] && !object[0]);
	return rc;
}

/* The token's payload with another token's signature. */
static void
splice(char *out, const char *payload_from, const char *sig_from)
{
	const char *dot = strchr(payload_from, '.');

	snprintf(out, TOKEN_MAX, "%.*s%s", (int)(dot - payload_from),
		 payload_from, strchr(sig_from, '.'));
}

static void
write_bytes(const char *path, const char *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len ||
	    fchmod(fd, mode) < 0 || close(fd) < 0) {
		perror(path);
		exit(2);
	}
}

/* Loads path expecting a refusal; returns what was printed on stderr. */
static char *
load_refused(const char *path)
{
	struct token_key *k = NULL;
	struct capture c;
	int rc;

	capture_start(&c, 2);
	rc = token_key_load(path, &k);
	CHECK(rc == -1);
	CHECK(!k);
	token_key_free(k);
	return capture_end(&c);
}

/*
 * Worked out with openssl dgst and basenc: the format is what links in
 * mails already sent depend on, so it must not drift.
 */
static void
test_known_token(void)
{
	struct token_key *k = fixed_key(0);
	char tok[TOKEN_MAX];

	CHECK(token_make(k, "unsubscribe", "556677-8899", "notice:2024-123",
			 1767225600, tok, sizeof tok) == 0);
	CHECK_STR(tok, "NTU2Njc3LTg4OTkvbm90aWNlOjIwMjQtMTIzLzE3NjcyMjU2MDA."
		       "tgYzBVtVVbsbWPMhc0u5FGIHhWYz8MrlzcGJqlTCb8s");
	token_key_free(k);
}

static void
test_round_trip(void)
{
	struct token_key *k = fixed_key(1);
	char tok[TOKEN_MAX], firm[TOKEN_FIELD_MAX + 1];
	char object[TOKEN_FIELD_MAX + 1];

	CHECK(token_make(k, "rsvp", "556677-8899", "meeting:42.a_b-c",
			 now + 3600, tok, sizeof tok) == 0);
	CHECK(token_check(k, tok, "rsvp", now, firm, sizeof firm, object,
			  sizeof object) == TOKEN_OK);
	CHECK_STR(firm, "556677-8899");
	CHECK_STR(object, "meeting:42.a_b-c");

	CHECK(token_make(k, "unsubscribe", "f", "", now + 1, tok,
			 sizeof tok) == 0);
	CHECK(token_check(k, tok, "unsubscribe", now, firm, sizeof firm,
			  object, sizeof object) == TOKEN_OK);
	CHECK_STR(firm, "f");
	CHECK_STR(object, "");
	token_key_free(k);
}

static void
test_longest_fields(void)
{
	struct token_key *k = fixed_key(2);
	char tok[TOKEN_MAX], firm[TOKEN_FIELD_MAX + 1];
	char object[TOKEN_FIELD_MAX + 1], small[TOKEN_FIELD_MAX];
	char f[TOKEN_FIELD_MAX + 1], o[TOKEN_FIELD_MAX + 1];
	time_t latest = (time_t)0x7fffffffffffffffLL;

	memset(f, 'F', TOKEN_FIELD_MAX);
	f[TOKEN_FIELD_MAX] = '\0';
	memset(o, ':', TOKEN_FIELD_MAX);
	o[TOKEN_FIELD_MAX] = '\0';
	CHECK(token_make(k, "manage", f, o, latest, tok, sizeof tok) == 0);
	CHECK(token_check(k, tok, "manage", now, firm, sizeof firm, object,
			  sizeof object) == TOKEN_OK);
	CHECK_STR(firm, f);
	CHECK_STR(object, o);
	/* A caller's buffer too small is refused, never truncated. */
	CHECK(token_check(k, tok, "manage", now, small, sizeof small, object,
			  sizeof object) == TOKEN_MALFORMED);
	CHECK(!small[0] && !object[0]);
	token_key_free(k);
}

static void
test_url_safe(void)
{
	static const char *const objects[] = {
		"", "a", "ab", "abc", ":::", "---", "___", "...", "x:y.z-_0",
		NULL
	};
	struct token_key *k = fixed_key(3);
	char tok[TOKEN_MAX];
	size_t i;

	for (i = 0; objects[i]; i++) {
		CHECK(token_make(k, "confirm", "Z9:._-", objects[i],
				 now + 1 + (time_t)i, tok, sizeof tok) == 0);
		CHECK(tok[strspn(tok, URL_SAFE)] == '\0');
		CHECK(strchr(tok, '.') && !strchr(strchr(tok, '.') + 1, '.'));
		CHECK(check(k, tok, "confirm", now) == TOKEN_OK);
	}
	token_key_free(k);
}

static void
test_wrong_purpose(void)
{
	struct token_key *k = fixed_key(4);
	char tok[TOKEN_MAX];

	CHECK(token_make(k, "unsubscribe", "556677-8899", "", now + 60, tok,
			 sizeof tok) == 0);
	CHECK(check(k, tok, "unsubscribe", now) == TOKEN_OK);
	CHECK(check(k, tok, "unsubscribe-one-click", now) == TOKEN_BAD_SIGNATURE);
	CHECK(check(k, tok, "Unsubscribe", now) == TOKEN_BAD_SIGNATURE);
	CHECK(check(k, tok, "", now) == TOKEN_BAD_SIGNATURE);
	CHECK(check(k, tok, "unsubscribe/", now) == TOKEN_BAD_SIGNATURE);
	token_key_free(k);
}

/* Every character of the token replaced by every other URL-safe one. */
static void
test_every_character_changed(void)
{
	struct token_key *k = fixed_key(5);
	char tok[TOKEN_MAX], bad[TOKEN_MAX];
	const char *c;
	size_t i, len, oks = 0;

	CHECK(token_make(k, "manage", "556677-8899", "sub:7", now + 60, tok,
			 sizeof tok) == 0);
	len = strlen(tok);
	for (i = 0; i < len; i++) {
		for (c = URL_SAFE; *c; c++) {
			if (*c == tok[i])
				continue;
			memcpy(bad, tok, len + 1);
			bad[i] = *c;
			if (check(k, bad, "manage", now) == TOKEN_OK)
				oks++;
		}
	}
	CHECK(oks == 0);
	token_key_free(k);
}

/* Each signed field changed, under a signature for the original. */
static void
test_altered_fields(void)
{
	struct token_key *k = fixed_key(6);
	char orig[TOKEN_MAX], other[TOKEN_MAX], forged[TOKEN_MAX];

	CHECK(token_make(k, "rsvp", "556677-8899", "meeting:1", now + 60, orig,
			 sizeof orig) == 0);

	CHECK(token_make(k, "rsvp", "556677-8898", "meeting:1", now + 60,
			 other, sizeof other) == 0);
	splice(forged, other, orig);
	CHECK(check(k, forged, "rsvp", now) == TOKEN_BAD_SIGNATURE);

	CHECK(token_make(k, "rsvp", "556677-8899", "meeting:2", now + 60,
			 other, sizeof other) == 0);
	splice(forged, other, orig);
	CHECK(check(k, forged, "rsvp", now) == TOKEN_BAD_SIGNATURE);

	CHECK(token_make(k, "rsvp", "556677-8899", "meeting:1", now + 6000,
			 other, sizeof other) == 0);
	splice(forged, other, orig);
	CHECK(check(k, forged, "rsvp", now) == TOKEN_BAD_SIGNATURE);

	/* The expiry is checked only once the signature holds. */
	CHECK(check(k, forged, "rsvp", now + 100) == TOKEN_BAD_SIGNATURE);
	token_key_free(k);
}

static void
test_expired(void)
{
	struct token_key *k = fixed_key(7);
	char tok[TOKEN_MAX];

	CHECK(token_make(k, "confirm", "556677-8899", "", now, tok,
			 sizeof tok) == 0);
	CHECK(check(k, tok, "confirm", now - 1) == TOKEN_OK);
	CHECK(check(k, tok, "confirm", now) == TOKEN_EXPIRED);
	CHECK(check(k, tok, "confirm", now + 86400) == TOKEN_EXPIRED);
	token_key_free(k);
}

static void
test_malformed(void)
{
	struct token_key *k = fixed_key(8);
	char tok[TOKEN_MAX], bad[2 * TOKEN_MAX];
	size_t len, i;

	CHECK(token_make(k, "manage", "556677-8899", "x", now + 60, tok,
			 sizeof tok) == 0);
	len = strlen(tok);

	CHECK(check(k, "", "manage", now) == TOKEN_MALFORMED);
	CHECK(check(k, ".", "manage", now) == TOKEN_MALFORMED);
	CHECK(check(k, "abc", "manage", now) == TOKEN_MALFORMED);
	/* Cut anywhere in the signature; before it there is no dot. */
	for (i = 0; i < len; i++) {
		snprintf(bad, sizeof bad, "%.*s", (int)i, tok);
		CHECK(check(k, bad, "manage", now) == TOKEN_MALFORMED);
	}
	/* Padding, standard base64, escapes, spaces, a second dot. */
	snprintf(bad, sizeof bad, "%s=", tok);
	CHECK(check(k, bad, "manage", now) == TOKEN_MALFORMED);
	snprintf(bad, sizeof bad, "%s.", tok);
	CHECK(check(k, bad, "manage", now) == TOKEN_MALFORMED);
	snprintf(bad, sizeof bad, " %s", tok);
	CHECK(check(k, bad, "manage", now) == TOKEN_MALFORMED);
	for (i = 0; i < len; i++) {
		memcpy(bad, tok, len + 1);
		if (bad[i] == '-' || bad[i] == '_') {
			bad[i] = bad[i] == '-' ? '+' : '/';
			CHECK(check(k, bad, "manage", now) == TOKEN_MALFORMED);
		}
		bad[i] = '%';
		CHECK(check(k, bad, "manage", now) == TOKEN_MALFORMED);
	}
	/* Oversized: a longer token than any made, even a valid prefix. */
	memset(bad, 'A', sizeof bad - 1);
	bad[sizeof bad - 1] = '\0';
	bad[100] = '.';
	CHECK(check(k, bad, "manage", now) == TOKEN_MALFORMED);
	memcpy(bad, tok, len);
	CHECK(check(k, bad, "manage", now) == TOKEN_MALFORMED);
	token_key_free(k);
}

/* A MAC over plain concatenation would sign these pairs alike. */
static void
test_field_boundaries(void)
{
	struct token_key *k = fixed_key(9);
	char t1[TOKEN_MAX], t2[TOKEN_MAX], forged[TOKEN_MAX];
	char firm[TOKEN_FIELD_MAX + 1], object[TOKEN_FIELD_MAX + 1];

	CHECK(token_make(k, "rsvp", "ab", "c", now + 60, t1, sizeof t1) == 0);
	CHECK(token_make(k, "rsvp", "a", "bc", now + 60, t2, sizeof t2) == 0);
	CHECK(strcmp(strchr(t1, '.'), strchr(t2, '.')) != 0);
	splice(forged, t2, t1);
	CHECK(check(k, forged, "rsvp", now) == TOKEN_BAD_SIGNATURE);
	CHECK(token_check(k, t2, "rsvp", now, firm, sizeof firm, object,
			  sizeof object) == TOKEN_OK);
	CHECK_STR(firm, "a");
	CHECK_STR(object, "bc");

	/* Nor may the purpose run on into the firm. */
	CHECK(token_make(k, "rsvp", "ab", "", now + 60, t1, sizeof t1) == 0);
	CHECK(token_make(k, "rsvpa", "b", "", now + 60, t2, sizeof t2) == 0);
	CHECK(strcmp(strchr(t1, '.'), strchr(t2, '.')) != 0);
	token_key_free(k);
}

static void
test_make_refuses(void)
{
	static const char *const bad_firms[] = {
		"", "a/b", "a b", "a%2F", "f\xc3\xb6retag", "a?b", "a\nb", NULL
	};
	struct token_key *k = fixed_key(10);
	char tok[TOKEN_MAX], longest[TOKEN_FIELD_MAX + 2];
	struct capture c;
	char *err;
	size_t i;

	memset(longest, 'a', TOKEN_FIELD_MAX + 1);
	longest[TOKEN_FIELD_MAX + 1] = '\0';
	capture_start(&c, 2);
	for (i = 0; bad_firms[i]; i++) {
		CHECK(token_make(k, "p", bad_firms[i], "", now, tok,
				 sizeof tok) == -1);
		CHECK(token_make(k, "p", "f", bad_firms[i][0] ? bad_firms[i] : "/",
				 now, tok, sizeof tok) == -1);
		CHECK(token_make(k, bad_firms[i], "f", "", now, tok,
				 sizeof tok) == -1);
	}
	CHECK(token_make(k, "p", longest, "", now, tok, sizeof tok) == -1);
	CHECK(token_make(k, "p", "f", longest, now, tok, sizeof tok) == -1);
	CHECK(token_make(k, "p", "f", "", -1, tok, sizeof tok) == -1);
	CHECK(token_make(k, "p", "f", "", now, tok, 20) == -1);
	err = capture_end(&c);
	CHECK(strstr(err, "token: invalid firm (up to 64 characters of "
			  "[A-Za-z0-9_.:-])") != NULL);
	CHECK(strstr(err, "token: invalid object") != NULL);
	CHECK(strstr(err, "token: invalid purpose") != NULL);
	CHECK(strstr(err, "token: expiry before 1970") != NULL);
	CHECK(strstr(err, "token: no room for a ") != NULL);
	free(err);
	token_key_free(k);
}

static void
test_key_file_created(void)
{
	char dir[PATH_MAX + 8], path[PATH_MAX + 32], tok[TOKEN_MAX];
	struct token_key *k1 = NULL, *k2 = NULL;
	struct stat st;

	snprintf(dir, sizeof dir, "%s/keys", tmpdir);
	snprintf(path, sizeof path, "%s/token.key", dir);
	CHECK(token_key_load(path, &k1) == 0);
	CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
	      (st.st_mode & 07777) == 0700);
	CHECK(stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	      (st.st_mode & 07777) == 0600 && st.st_size == TOKEN_SECRET_LEN);
	CHECK(token_key_load(path, &k2) == 0);
	if (k1 && k2) {
		CHECK(token_make(k1, "manage", "556677-8899", "", now + 60, tok,
				 sizeof tok) == 0);
		CHECK(check(k2, tok, "manage", now) == TOKEN_OK);
	}
	token_key_free(k1);
	token_key_free(k2);
}

static void
test_key_file_mode_refused(void)
{
	static const mode_t modes[] = { 0644, 0640, 0604, 0620, 0602, 0660 };
	char path[PATH_MAX + 32], want[2 * PATH_MAX];
	char secret[TOKEN_SECRET_LEN];
	size_t i;
	char *err;

	memset(secret, 'S', sizeof secret);
	snprintf(path, sizeof path, "%s/open.key", tmpdir);
	for (i = 0; i < sizeof modes / sizeof *modes; i++) {
		write_bytes(path, secret, sizeof secret, modes[i]);
		err = load_refused(path);
		snprintf(want, sizeof want, "tenderlots: error: %s: readable or "
			 "writable by group or others (mode %04o); chmod 600 it\n",
			 path, (unsigned)modes[i]);
		CHECK_STR(err, want);
		free(err);
	}
}

static void
test_key_file_wrong_size(void)
{
	static const size_t sizes[] = { 0, 1, TOKEN_SECRET_LEN - 1,
					TOKEN_SECRET_LEN + 1, 64 };
	char path[PATH_MAX + 32], want[2 * PATH_MAX];
	char secret[64];
	size_t i;
	char *err;

	memset(secret, 'S', sizeof secret);
	snprintf(path, sizeof path, "%s/size.key", tmpdir);
	for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		write_bytes(path, secret, sizes[i], 0600);
		err = load_refused(path);
		snprintf(want, sizeof want, "tenderlots: error: %s: %zu bytes, "
			 "but a token secret is 32\n", path, sizes[i]);
		CHECK_STR(err, want);
		CHECK(!strstr(err, "SS"));
		free(err);
	}
}

static void
test_key_file_not_regular(void)
{
	char path[PATH_MAX + 32];
	char *err;

	snprintf(path, sizeof path, "%s/dir.key", tmpdir);
	CHECK(mkdir(path, 0700) == 0);
	err = load_refused(path);
	CHECK(strstr(err, "dir.key: not a regular file") != NULL);
	free(err);

	/* A missing directory's parent is not made up. */
	snprintf(path, sizeof path, "%s/no/such/token.key", tmpdir);
	err = load_refused(path);
	CHECK(strstr(err, "/no/such: No such file or directory") != NULL);
	free(err);
}

static void
test_different_keys(void)
{
	struct token_key *k1 = fixed_key(11), *k2 = fixed_key(12), *k3 = NULL;
	char path[PATH_MAX + 32], t1[TOKEN_MAX], t2[TOKEN_MAX], t3[TOKEN_MAX];

	snprintf(path, sizeof path, "%s/random.key", tmpdir);
	CHECK(token_key_load(path, &k3) == 0);
	if (!k3)
		exit(2);
	CHECK(token_make(k1, "confirm", "f", "o", now + 60, t1, sizeof t1) == 0);
	CHECK(token_make(k2, "confirm", "f", "o", now + 60, t2, sizeof t2) == 0);
	CHECK(token_make(k3, "confirm", "f", "o", now + 60, t3, sizeof t3) == 0);
	CHECK(check(k1, t1, "confirm", now) == TOKEN_OK);
	CHECK(check(k1, t2, "confirm", now) == TOKEN_BAD_SIGNATURE);
	CHECK(check(k2, t1, "confirm", now) == TOKEN_BAD_SIGNATURE);
	CHECK(check(k1, t3, "confirm", now) == TOKEN_BAD_SIGNATURE);
	CHECK(check(k3, t1, "confirm", now) == TOKEN_BAD_SIGNATURE);
	token_key_free(k1);
	token_key_free(k2);
	token_key_free(k3);
}

static void
test_key_from_bytes_length(void)
{
	unsigned char secret[TOKEN_SECRET_LEN + 1] = { 0 };
	struct token_key *k = NULL;
	struct capture c;
	char *err;

	capture_start(&c, 2);
	CHECK(token_key_from_bytes(secret, 16, &k) == -1 && !k);
	CHECK(token_key_from_bytes(secret, sizeof secret, &k) == -1 && !k);
	err = capture_end(&c);
	CHECK(strstr(err, "token: a secret is 32 bytes, not 16") != NULL);
	free(err);
	token_key_free(NULL);
}

int
main(void)
{
	make_tmpdir(tmpdir, "test_token");
	RUN(test_known_token);
	RUN(test_round_trip);
	RUN(test_longest_fields);
	RUN(test_url_safe);
	RUN(test_wrong_purpose);
	RUN(test_every_character_changed);
	RUN(test_altered_fields);
	RUN(test_expired);
	RUN(test_malformed);
	RUN(test_field_boundaries);
	RUN(test_make_refuses);
	RUN(test_key_file_created);
	RUN(test_key_file_mode_refused);
	RUN(test_key_file_wrong_size);
	RUN(test_key_file_not_regular);
	RUN(test_different_keys);
	RUN(test_key_from_bytes_length);
	rm_rf(tmpdir);
	return test_done("token");
}
