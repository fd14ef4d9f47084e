/*
 * What comes back: delivery status reports as Postfix and Exchange write
 * them, an out-of-office reply, unsubscribe mails, forged and stale tags,
 * against a real store. The mails are in tests/fixtures/bounce/, with
 * @@TO@@ for the address they came back to, @@RCPT@@ for the firm's
 * address and @@SUBJECT@@ for an unsubscribe mail's subject.
 */
#define _XOPEN_SOURCE 700

#include <ctype.h>

#include "inbox.h"
#include "outbox.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"

#define T0 1795593600		/* 2026-11-25 08:00 UTC */
#define DAY 86400
#define BASE "bevakning@exempelkommun.example"
#define RCPT "info@berglunds-maleri.example"

static char dir[PATH_MAX];
static char db[PATH_MAX + 16];
static struct token_key *key;

static struct store *
fresh(int64_t *firm_id)
{
	struct firm *f = firm_new();
	struct store *s = NULL;
	enum firm_state state;
	int created;

	make_tmpdir(dir, "test_inbox");
	snprintf(db, sizeof db, "%s/t.db", dir);
	if (store_open(db, &s) < 0)
		exit(2);
	f->orgnr = strdup("556734-2182");
	f->name = strdup("Berglunds Måleri AB");
	f->email = strdup(RCPT);
	f->language = strdup("sv");
	strvec_push(&f->cpv, &f->ncpv, "45442100");
	strvec_push(&f->regions, &f->nregions, "SE232");
	CHECK(store_put_firm(s, f, "import:t.csv", T0 - DAY, &created) == 0);
	CHECK(store_firm_state(s, f->orgnr, firm_id, &state) == 0);
	firm_free(f);
	return s;
}

static void
done(struct store *s)
{
	store_free(s);
	rm_rf(dir);
}

/* The firm as the store has it now. */
static struct firm *
firm_now(struct store *s, int64_t id)
{
	struct firm *f = NULL;

	CHECK(store_get_firm(s, id, &f) == 0 && f);
	return f;
}

static void
verp(struct store *s, int64_t id, enum verp_kind kind, char *out, size_t len)
{
	struct firm *f = firm_now(s, id);

	CHECK(f && inbox_verp(key, BASE, kind, f, out, len) == 0);
	firm_free(f);
}

/* A fresh store, and the firm's address of kind in to[256]. */
static struct store *
fresh_to(int64_t *id, enum verp_kind kind, char *to)
{
	struct store *s = fresh(id);

	verp(s, *id, kind, to, 256);
	return s;
}

/* Fixture name (testutil.h) with its placeholders filled in. */
static char *
fixture(const char *name, const char *to, const char *subject)
{
	char path[PATH_MAX + 16];
	char *text;

	snprintf(path, sizeof path, "%s/mail.eml", dir);
	CHECK(bounce_fixture(".", name, to, RCPT, subject ? subject : "",
			     path) == 0);
	text = read_text(path);
	CHECK(text != NULL);
	return text ? text : strdup("");
}

/* Handles the fixture as it came back to, and says what it did. */
static enum inbox_result
handle(struct store *s, const char *name, const char *to, const char *subject,
       time_t now)
{
	char *mail = fixture(name, to, subject);
	enum inbox_result r = INBOX_IGNORED;

	CHECK(inbox_handle(s, key, BASE, mail, strlen(mail), now, &r) == 0);
	free(mail);
	return r;
}

static time_t
bounced_at(struct store *s, int64_t id)
{
	struct firm *f = firm_now(s, id);
	time_t t = f ? f->bounced_at : -1;

	firm_free(f);
	return t;
}

static void
test_tags(void)
{
	char a[TOKEN_TAG_LEN + 1], b[TOKEN_TAG_LEN + 1], upper[TOKEN_TAG_LEN + 1];
	size_t i;

	CHECK(token_tag(key, "bounce", "1/a@b.example", a) == 0);
	CHECK(token_tag(key, "bounce", "1/a@b.example", b) == 0);
	CHECK_STR(a, b);
	CHECK(strlen(a) == TOKEN_TAG_LEN);
	CHECK(strspn(a, "abcdefghijklmnopqrstuvwxyz234567") == TOKEN_TAG_LEN);
	for (i = 0; i <= TOKEN_TAG_LEN; i++)
		upper[i] = (char)toupper((unsigned char)a[i]);
	/* a mail program may change the case of an address */
	CHECK(token_tag_check(key, "bounce", "1/a@b.example", upper) == 1);
	CHECK(token_tag_check(key, "unsubscribe-mail", "1/a@b.example", a) == 0);
	CHECK(token_tag_check(key, "bounce", "2/a@b.example", a) == 0);
	a[3] = a[3] == 'a' ? 'b' : 'a';
	CHECK(token_tag_check(key, "bounce", "1/a@b.example", a) == 0);
}

static void
test_parse_postfix_and_exchange(void)
{
	struct inbox_mail m;
	char *mail;

	make_tmpdir(dir, "test_inbox");
	mail = fixture("postfix-hard.eml", "bevakning+b-1-x@exempelkommun.example", NULL);
	CHECK(inbox_parse(mail, strlen(mail), &m) == 0);
	CHECK(m.dsn == 1 && m.from_daemon == 1 && m.nr == 1);
	CHECK_STR(m.to[0], "bevakning+b-1-x@exempelkommun.example");
	CHECK_STR(m.r[0].rcpt, RCPT);
	CHECK_STR(m.r[0].status, "5.1.1");
	CHECK_STR(m.r[0].action, "failed");
	CHECK_STR(m.r[0].diag, "550 5.1.1 <" RCPT ">: Recipient address rejected: "
		  "User unknown in virtual mailbox table");
	free(mail);

	mail = fixture("exchange-hard.eml", "bevakning+b-1-x@exempelkommun.example", NULL);
	CHECK(inbox_parse(mail, strlen(mail), &m) == 0);
	CHECK(m.dsn == 1 && m.nr == 1);
	CHECK_STR(m.subject, "Undeliverable: Ny upphandling: Underh\xc3\xa5ll");
	CHECK_STR(m.r[0].status, "5.1.10");
	CHECK(strstr(m.r[0].diag, "RESOLVER.ADR.RecipientNotFound") != NULL);
	free(mail);

	mail = fixture("out-of-office.eml", "bevakning+b-1-x@exempelkommun.example", NULL);
	CHECK(inbox_parse(mail, strlen(mail), &m) == 0);
	CHECK(m.dsn == 0 && m.auto_reply == 1 && m.from_daemon == 0);
	free(mail);

	/* anything at all parses to something, never past the cap */
	CHECK(inbox_parse("", 0, &m) == 0 && m.nto == 0 && !m.dsn);
	CHECK(inbox_parse("\n\n\n--\r\n", 6, &m) == 0 && m.nr == 0);
	rm_rf(dir);
}

static void
test_bounce_kinds(void)
{
	CHECK(inbox_bounce_kind("5.1.1") == BOUNCE_HARD);
	CHECK(inbox_bounce_kind("5.1.10") == BOUNCE_HARD);
	CHECK(inbox_bounce_kind("5.2.2") == BOUNCE_HARD);
	CHECK(inbox_bounce_kind("5.7.1") == BOUNCE_SOFT);
	CHECK(inbox_bounce_kind("5.3.4") == BOUNCE_SOFT);
	CHECK(inbox_bounce_kind("4.4.1") == BOUNCE_SOFT);
	CHECK(inbox_bounce_kind("2.0.0") == BOUNCE_NONE);
	CHECK(inbox_bounce_kind("550") == BOUNCE_HARD);
	CHECK(inbox_bounce_kind("451") == BOUNCE_SOFT);
	CHECK(inbox_bounce_kind("x") == BOUNCE_NONE);
	CHECK(inbox_bounce_kind(NULL) == BOUNCE_NONE);
}

/* Postfix's and Exchange's reports of an unknown user: a hard bounce. */
static void
test_hard_bounces(void)
{
	static const char *const reports[] = { "postfix-hard.eml", "exchange-hard.eml" };
	char to[256];
	int64_t id;
	size_t i;
	struct store *s;
	long long n;

	for (i = 0; i < 2; i++) {
		s = fresh(&id);
		verp(s, id, VERP_BOUNCE, to, sizeof to);
		CHECK(bounced_at(s, id) == 0);
		CHECK(handle(s, reports[i], to, NULL, T0) == INBOX_HARD_BOUNCE);
		CHECK(bounced_at(s, id) == T0);
		CHECK(store_bounced_count(s, &n) == 0 && n == 1);
		CHECK(db_query(db, "SELECT count(*) FROM bounce WHERE reason LIKE "
			       "'5.1.1% User unknown%' OR reason LIKE "
			       "'5.1.10 550 5.1.10 RESOLVER.ADR.RecipientNotFound%'") == 1);
		/* the same report again changes nothing */
		CHECK(handle(s, reports[i], to, NULL, T0 + 60) == INBOX_HARD_BOUNCE);
		CHECK(bounced_at(s, id) == T0);
		done(s);
	}
}

/* Without a valid tag nothing changes: forged, unknown, stale. */
static void
test_forged_and_stale_bounces(void)
{
	char to[256], forged[256];
	struct store *s;
	int64_t id;
	long long n;

	s = fresh_to(&id, VERP_BOUNCE, to);
	snprintf(forged, sizeof forged, "bevakning+b-%lld-aaaaaaaaaaaaaaaa@"
		 "exempelkommun.example", (long long)id);
	CHECK(handle(s, "postfix-hard.eml", forged, NULL, T0) == INBOX_IGNORED);
	CHECK(handle(s, "postfix-hard.eml", BASE, NULL, T0) == INBOX_IGNORED);
	/* a tag for a firm that is not there */
	CHECK(handle(s, "postfix-hard.eml", "bevakning+b-99-aaaaaaaaaaaaaaaa@"
		     "exempelkommun.example", NULL, T0) == INBOX_IGNORED);
	/* an unsubscribe tag does not make a bounce count */
	verp(s, id, VERP_UNSUBSCRIBE, forged, sizeof forged);
	CHECK(handle(s, "postfix-hard.eml", forged, NULL, T0) == INBOX_IGNORED);
	CHECK(store_bounced_count(s, &n) == 0 && n == 0);
	CHECK(bounced_at(s, id) == 0);
	/* the firm's address changed: a late bounce of the old one is stale */
	CHECK(store_request_email(s, id, "ny@berglunds-maleri.example", T0) == 0);
	{
		int found;

		CHECK(store_confirm_email(s, id, T0, T0 + 60, &found) == 0 && found);
	}
	CHECK(handle(s, "postfix-hard.eml", to, NULL, T0 + 120) == INBOX_IGNORED);
	CHECK(bounced_at(s, id) == 0);
	done(s);
}

/* Soft bounces count once a day; the third within two weeks is hard. */
static void
test_soft_bounces(void)
{
	char to[256];
	struct store *s;
	int64_t id;

	s = fresh_to(&id, VERP_BOUNCE, to);
	CHECK(handle(s, "postfix-delayed.eml", to, NULL, T0) == INBOX_SOFT_BOUNCE);
	CHECK(handle(s, "postfix-delayed.eml", to, NULL, T0 + 3600) == INBOX_SOFT_BOUNCE);
	CHECK(handle(s, "postfix-delayed.eml", to, NULL, T0 + 2 * DAY) == INBOX_SOFT_BOUNCE);
	CHECK(bounced_at(s, id) == 0);
	CHECK(db_query(db, "SELECT soft FROM bounce") == 2);
	CHECK(handle(s, "postfix-delayed.eml", to, NULL, T0 + 5 * DAY) == INBOX_HARD_BOUNCE);
	CHECK(bounced_at(s, id) == T0 + 5 * DAY);
	CHECK(db_query(db, "SELECT count(*) FROM bounce WHERE reason LIKE "
		       "'3 soft bounces in 6 days; the last: 4.4.1 connect to%'") == 1);
	done(s);

	/* three over more than two weeks: the count starts again */
	s = fresh_to(&id, VERP_BOUNCE, to);
	CHECK(handle(s, "postfix-delayed.eml", to, NULL, T0) == INBOX_SOFT_BOUNCE);
	CHECK(handle(s, "postfix-delayed.eml", to, NULL, T0 + 10 * DAY) == INBOX_SOFT_BOUNCE);
	CHECK(handle(s, "postfix-delayed.eml", to, NULL, T0 + 20 * DAY) == INBOX_SOFT_BOUNCE);
	CHECK(bounced_at(s, id) == 0);
	done(s);
}

/* An out-of-office reply goes to the bounce address: it is no bounce. */
static void
test_auto_reply_is_nothing(void)
{
	char to[256];
	struct store *s;
	int64_t id;

	s = fresh_to(&id, VERP_BOUNCE, to);
	CHECK(handle(s, "out-of-office.eml", to, NULL, T0) == INBOX_IGNORED);
	verp(s, id, VERP_UNSUBSCRIBE, to, sizeof to);
	CHECK(handle(s, "out-of-office.eml", to, NULL, T0) == INBOX_IGNORED);
	CHECK(db_query(db, "SELECT count(*) FROM bounce") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM firm WHERE unsubscribed_at "
		       "IS NOT NULL") == 0);
	done(s);
}

static long long
unsubscribed(void)
{
	return db_query(db, "SELECT count(*) FROM firm WHERE unsubscribed_at "
			"IS NOT NULL");
}

/* The mailto unsubscribes with a valid tag, by address or by subject. */
static void
test_mailto_unsubscribe(void)
{
	char to[256], subject[300], forged[256];
	struct store *s;
	int64_t id;

	s = fresh_to(&id, VERP_UNSUBSCRIBE, to);
	snprintf(forged, sizeof forged, "bevakning+u-%lld-aaaaaaaaaaaaaaaa@"
		 "exempelkommun.example", (long long)id);
	/* today's forgery: the organisation number, which is public */
	CHECK(handle(s, "unsubscribe.eml", BASE, "avsluta 556734-2182", T0) ==
	      INBOX_IGNORED);
	CHECK(handle(s, "unsubscribe.eml", forged, "avsluta", T0) == INBOX_IGNORED);
	CHECK(handle(s, "unsubscribe.eml", BASE, "avsluta u-1-aaaaaaaaaaaaaaaa",
		     T0) == INBOX_IGNORED);
	CHECK(unsubscribed() == 0);
	CHECK(handle(s, "unsubscribe.eml", to, "avsluta", T0) == INBOX_UNSUBSCRIBED);
	CHECK(unsubscribed() == 1);
	done(s);

	/* an MTA that dropped the tag from the address: the subject has it */
	s = fresh_to(&id, VERP_UNSUBSCRIBE, to);
	snprintf(subject, sizeof subject, "avsluta %.*s",
		 (int)(strchr(to, '@') - strchr(to, '+') - 1), strchr(to, '+') + 1);
	CHECK(handle(s, "unsubscribe.eml", BASE, subject, T0) == INBOX_UNSUBSCRIBED);
	CHECK(unsubscribed() == 1);
	done(s);
}

/* Mails queued before the bounce fail at once; a new address clears it. */
static void
test_suppression_and_address_change(void)
{
	struct outbox_message m = {
		.key = "alert/556734-2182/1", .rcpt = RCPT,
		.envelope_from = "b@exempelkommun.example",
		.body = "Subject: x\r\n\r\nhej\r\n", .len = 19,
	};
	struct outbox_message web = m;
	unsigned sent = 0, deferred = 0, failed = 0;
	char to[256];
	struct store *s;
	int64_t id;
	int found, suppressed;

	s = fresh(&id);
	m.firm_id = web.firm_id = id;
	web.key = OUTBOX_WEB_KEYS "manage-link/556734-2182/1";
	CHECK(store_queue_message(s, &m, NULL, 0, T0) == 0);
	CHECK(store_queue_message(s, &web, NULL, 0, T0) == 0);
	CHECK(inbox_bounce(s, "INFO@berglunds-maleri.example", BOUNCE_HARD,
			   "550 5.1.1 no such user", T0, &suppressed) == 0);
	CHECK(suppressed == 1);
	CHECK(bounced_at(s, id) == T0);
	/* no mailer: the bounced mail never reaches one, and no key is due */
	CHECK(outbox_deliver(s, NULL, &(struct outbox_sender){ "run:test",
		"no-such-key/", 60, 5L * DAY, 0 }, T0, &sent, &deferred, &failed) == 0);
	CHECK(failed == 1 && sent == 0);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE state = 'failed' "
		       "AND last_error = 'not sent: mail to this address bounced "
		       "on 2026-11-25: 550 5.1.1 no such user'") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE state = 'pending' "
		       "AND key LIKE 'web/%'") == 1);
	/* the same address confirmed again takes mail again */
	CHECK(store_request_email(s, id, RCPT, T0 + DAY) == 0);
	CHECK(store_confirm_email(s, id, T0 + DAY, T0 + DAY + 60, &found) == 0);
	CHECK(found == 1);
	CHECK(bounced_at(s, id) == 0);
	verp(s, id, VERP_BOUNCE, to, sizeof to);
	CHECK(db_query(db, "SELECT count(*) FROM bounce") == 0);
	done(s);
}

int
main(void)
{
	unsigned char secret[TOKEN_SECRET_LEN];

	memset(secret, 7, sizeof secret);
	if (token_key_from_bytes(secret, sizeof secret, &key) < 0)
		return 2;
	RUN(test_tags);
	RUN(test_parse_postfix_and_exchange);
	RUN(test_bounce_kinds);
	RUN(test_hard_bounces);
	RUN(test_forged_and_stale_bounces);
	RUN(test_soft_bounces);
	RUN(test_auto_reply_is_nothing);
	RUN(test_mailto_unsubscribe);
	RUN(test_suppression_and_address_change);
	token_key_free(key);
	return test_done("inbox");
}
