#ifndef TENDERLOTS_ACCOUNT_H
#define TENDERLOTS_ACCOUNT_H

#include <stddef.h>

#include "store.h"

/*
 * The staff's accounts: what `tenderlots staff` and the staff's pages
 * share. A role is a bit, so a page lists the roles it lets in as one
 * mask. Passwords are kept as Argon2id strings (libsodium's
 * crypto_pwhash_str); session ids and one-time links are random and
 * kept only as their digest, so a copy of the database opens no session.
 */
enum account_role {
	ROLE_UPPHANDLING = 1,	/* the procurement unit */
	ROLE_NARINGSLIV = 2,	/* näringslivsenheten */
	ROLE_ADMIN = 4
};
#define ROLES_ALL (ROLE_UPPHANDLING | ROLE_NARINGSLIV | ROLE_ADMIN)

/* A random secret, and a digest, as hex with its NUL. */
#define ACCOUNT_SECRET_LEN 65

/* Passwords shorter are refused; longer ones are not read. */
#define ACCOUNT_PASSWORD_MIN 10
#define ACCOUNT_PASSWORD_MAX 256

/* A one-time link to set a password is good this long. */
#define ACCOUNT_LINK_LIFETIME (3 * 86400)

/* Before anything else here; -1 (reported) if libsodium cannot start. */
int account_init(void);

/* The role of its name ("upphandling", "naringsliv", "admin"); 0 if none. */
unsigned account_role(const char *name);
const char *account_role_name(unsigned role);

/* 32 random bytes as hex. */
void account_secret(char out[ACCOUNT_SECRET_LEN]);
/* What the store keeps of a secret. */
void account_digest(const char *secret, char out[ACCOUNT_SECRET_LEN]);
/* Whether two secrets (or digests) are the same, in constant time. */
int account_same(const char *a, const char *b);

/*
 * Why a password cannot be taken, in Swedish and English (NULL if it
 * can): too short, too long, not UTF-8.
 */
const char *account_password_problem(const char *pw, int en);
/* The password's Argon2id string, a new string; -1 (reported) if not. */
int account_hash_password(const char *pw, char **out);
/*
 * Whether pw is the password of hash; with hash NULL (no such account)
 * as long as for one that is, so timing tells no names.
 */
int account_password_ok(const char *hash, const char *pw);

/*
 * A new one-time link for the account: any earlier one dies. The token
 * (the link's secret) goes to token, its digest to the store.
 */
int account_new_link(struct store *s, int64_t account, time_t now,
		     char token[ACCOUNT_SECRET_LEN]);

#endif
