#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "account.h"
#include "log.h"
#include "utf8.h"

static const char *const role_names[] = { "upphandling", "naringsliv", "admin" };

int
account_init(void)
{
	if (sodium_init() < 0)
		return error("libsodium cannot start");
	return 0;
}

unsigned
account_role(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof role_names / sizeof *role_names; i++)
		if (strcmp(role_names[i], name) == 0)
			return 1u << i;
	return 0;
}

const char *
account_role_name(unsigned role)
{
	size_t i;

	for (i = 0; i < sizeof role_names / sizeof *role_names; i++)
		if (role == 1u << i)
			return role_names[i];
	return "?";
}

void
account_secret(char out[ACCOUNT_SECRET_LEN])
{
	unsigned char b[32];

	randombytes_buf(b, sizeof b);
	sodium_bin2hex(out, ACCOUNT_SECRET_LEN, b, sizeof b);
	sodium_memzero(b, sizeof b);
}

void
account_digest(const char *secret, char out[ACCOUNT_SECRET_LEN])
{
	unsigned char d[32];

	crypto_generichash(d, sizeof d, (const unsigned char *)secret,
			   strlen(secret), NULL, 0);
	sodium_bin2hex(out, ACCOUNT_SECRET_LEN, d, sizeof d);
}

int
account_same(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

const char *
account_password_problem(const char *pw, int en)
{
	size_t n = strlen(pw);

	if (n < ACCOUNT_PASSWORD_MIN)
		return en ? "The password must have at least 10 characters." :
		       "Lösenordet måste ha minst 10 tecken.";
	if (n > ACCOUNT_PASSWORD_MAX)
		return en ? "The password is too long." :
		       "Lösenordet är för långt.";
	if (!utf8_valid(pw, n))
		return en ? "The password has characters that cannot be read." :
		       "Lösenordet har tecken som inte kan läsas.";
	return NULL;
}

int
account_hash_password(const char *pw, char **out)
{
	char hash[crypto_pwhash_STRBYTES];

	if (crypto_pwhash_str(hash, pw, strlen(pw),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return error("password: out of memory");
	if (!(*out = strdup(hash)))
		return error("out of memory");
	return 0;
}

int
account_password_ok(const char *hash, const char *pw)
{
	/* a hash of a password no one has, with the same cost */
	static const char nobody[] =
		"$argon2id$v=19$m=65536,t=2,p=1$"
		"c3RhZmZub2JvZHlzYWx0MQ$"
		"2mVqkxq0Yq0lx5I8c6dG3w3N8d2m4rP9f1nQx0n7b8M";
	int ok = crypto_pwhash_str_verify(hash ? hash : nobody, pw,
					  strlen(pw)) == 0;

	return hash && ok;
}

int
account_new_link(struct store *s, int64_t account, time_t now,
		 char token[ACCOUNT_SECRET_LEN])
{
	char digest[ACCOUNT_SECRET_LEN];

	account_secret(token);
	account_digest(token, digest);
	return store_staff_link_put(s, account, digest,
				    now + ACCOUNT_LINK_LIFETIME, now);
}
