#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "mailer.h"
#include "test.h"

static const char msg1[] =
	"From: a@example.se\r\nTo: b@example.se\r\nSubject: one\r\n\r\n"
	"first line\r\nCR kept\ralone\r\n";
static const char msg1_lf[] =
	"Return-Path: <bounce@example.se>\n"
	"Delivered-To: b@example.se\n"
	"From: a@example.se\nTo: b@example.se\nSubject: one\n\n"
	"first line\nCR kept\ralone\n";
static const char msg2[] = "Subject: two\r\n\r\nsecond\r\n";

static void
rm_rf(const char *path)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	char sub[4096];

	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		chmod(path, 0700);
		d = opendir(path);
		while (d && (e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			rm_rf(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* Names in a directory, or -1 if it cannot be read. */
static int
count_entries(const char *dir, char names[][512], int max)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (names && n < max)
			snprintf(names[n], 512, "%s", e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static int
read_file(const char *path, struct buf *b)
{
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	fclose(f);
	return 0;
}

static struct mailer *
open_maildir(const char *path)
{
	struct mailer_options opt = {
		.transport = TRANSPORT_MAILDIR, .maildir = path,
	};

	return mailer_new(&opt);
}

/* What the done callback heard about one message. */
struct outcome {
	int calls;
	int status;
	char *reply;
	size_t replylen;
};

static int
record(size_t i, int status, const char *reply, void *arg)
{
	struct outcome *o = arg;

	(void)i;
	o->calls++;
	o->status = status;
	snprintf(o->reply, o->replylen, "%s", reply);
	return 0;
}

/* One message as a batch of one; its status, the reply in reply. */
static int
send_one(struct mailer *m, const char *from, const char *rcpt, const char *msg,
	 size_t len, char *reply, size_t replylen)
{
	struct mailer_item item = { from, rcpt, msg, len, NULL, 0 };
	struct outcome o = { 0, 1, reply, replylen };

	CHECK(mailer_send_batch(m, &item, 1, record, &o) == 0);
	CHECK(o.calls == 1);
	return o.status;
}

static void
test_delivers_into_new(void)
{
	char base[] = "/tmp/test_mailer.XXXXXX";
	char md[128], dir[256], file[2400], names[4][512], reply[512];
	char prefix[64];
	struct stat st;
	struct mailer *m;
	struct buf b;

	buf_init(&b, 0);
	CHECK(mkdtemp(base) != NULL);
	/* the parents of the maildir do not exist yet */
	snprintf(md, sizeof md, "%s/var/mail/Maildir", base);
	m = open_maildir(md);
	CHECK(m != NULL);
	if (!m)
		goto out;
	snprintf(dir, sizeof dir, "%s/cur", md);
	CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
	snprintf(dir, sizeof dir, "%s/var", base);
	CHECK(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700);

	CHECK(send_one(m, "bounce@example.se", "b@example.se", msg1,
			  strlen(msg1), reply, sizeof reply) == MAILER_OK);
	CHECK(strncmp(reply, "maildir: new/", 13) == 0);
	CHECK(send_one(m, "", "Someone <c@example.se>", msg2, strlen(msg2),
			  reply, sizeof reply) == MAILER_OK);

	snprintf(dir, sizeof dir, "%s/tmp", md);
	CHECK(count_entries(dir, NULL, 0) == 0);
	snprintf(dir, sizeof dir, "%s/new", md);
	CHECK(count_entries(dir, names, 4) == 2);
	CHECK(strcmp(names[0], names[1]) != 0);
	/* the per-mailer counter alone keeps names apart within a microsecond */
	CHECK(strstr(names[0], "Q") && strstr(names[1], "Q") &&
	      strtoul(strstr(names[0], "Q") + 1, NULL, 10) !=
	      strtoul(strstr(names[1], "Q") + 1, NULL, 10));
	snprintf(prefix, sizeof prefix, "P%ldQ", (long)getpid());
	for (int i = 0; i < 2; i++) {
		CHECK(strstr(names[i], ".M") != NULL);
		CHECK(strstr(names[i], prefix) != NULL);
		snprintf(file, sizeof file, "%s/%s", dir, names[i]);
		CHECK(stat(file, &st) == 0 && (st.st_mode & 0777) == 0600);
		buf_reset(&b);
		CHECK(read_file(file, &b) == 0);
		CHECK(strncmp(buf_str(&b), "Return-Path: <", 14) == 0);
		if (strstr(buf_str(&b), "Subject: one"))
			CHECK_STR(buf_str(&b), msg1_lf);
		else
			CHECK_STR(buf_str(&b),
				  "Return-Path: <>\n"
				  "Delivered-To: c@example.se\n"
				  "Subject: two\n\nsecond\n");
	}
out:
	mailer_free(m);
	buf_release(&b);
	rm_rf(base);
}

static void
test_bad_envelope_is_permanent(void)
{
	char base[] = "/tmp/test_mailer.XXXXXX";
	char reply[256], dir[300];
	struct mailer *m;

	CHECK(mkdtemp(base) != NULL);
	m = open_maildir(base);
	CHECK(m != NULL);
	if (!m)
		goto out;
	CHECK(send_one(m, "a@example.se", "not an address", msg2,
			  strlen(msg2), reply, sizeof reply) == MAILER_PERMFAIL);
	CHECK(reply[0] != '\0');
	CHECK(send_one(m, "a@example.se", "b@example.se\r\nX: y", msg2,
			  strlen(msg2), reply, sizeof reply) == MAILER_PERMFAIL);
	CHECK(send_one(m, "bad sender", "b@example.se", msg2,
			  strlen(msg2), reply, sizeof reply) == MAILER_PERMFAIL);
	CHECK(send_one(m, NULL, "b@example.se", msg2, strlen(msg2),
			  reply, sizeof reply) == MAILER_PERMFAIL);
	snprintf(dir, sizeof dir, "%s/new", base);
	CHECK(count_entries(dir, NULL, 0) == 0);
out:
	mailer_free(m);
	rm_rf(base);
}

static void
test_bad_options(void)
{
	char base[] = "/tmp/test_mailer.XXXXXX";
	char path[300];
	FILE *f;

	CHECK(mailer_new(NULL) == NULL);
	CHECK(open_maildir(NULL) == NULL);
	CHECK(open_maildir("") == NULL);
	CHECK(mkdtemp(base) != NULL);
	snprintf(path, sizeof path, "%s/file", base);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	/* the maildir itself, or one of its parents, is not a directory */
	CHECK(open_maildir(path) == NULL);
	snprintf(path, sizeof path, "%s/file/Maildir", base);
	CHECK(open_maildir(path) == NULL);
	rm_rf(base);
}

static void
test_maildir_under_a_file_fails_temporarily(void)
{
	char base[] = "/tmp/test_mailer.XXXXXX";
	char md[128], parent[64], moved[64], reply[512];
	struct mailer *m;
	FILE *f;

	CHECK(mkdtemp(base) != NULL);
	snprintf(parent, sizeof parent, "%s/spool", base);
	snprintf(md, sizeof md, "%s/Maildir", parent);
	m = open_maildir(md);
	CHECK(m != NULL);
	if (!m)
		goto out;
	/* someone replaces the maildir's parent with a plain file */
	snprintf(moved, sizeof moved, "%s/old", base);
	CHECK(rename(parent, moved) == 0);
	f = fopen(parent, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	reply[0] = '\0';
	CHECK(send_one(m, "a@example.se", "b@example.se", msg2,
			  strlen(msg2), reply, sizeof reply) == MAILER_TEMPFAIL);
	CHECK(strncmp(reply, "maildir: open tmp/", 18) == 0);
	CHECK(strstr(reply, ": Not a directory") != NULL);
out:
	mailer_free(m);
	rm_rf(base);
}

/* A failed rename leaves neither a copy in new/ nor a leftover in tmp/. */
static void
check_rename_fails(const char *md, struct mailer *m)
{
	char dir[300], reply[512];

	reply[0] = '\0';
	CHECK(send_one(m, "a@example.se", "b@example.se", msg1,
			  strlen(msg1), reply, sizeof reply) == MAILER_TEMPFAIL);
	CHECK(strncmp(reply, "maildir: rename to new/", 23) == 0);
	snprintf(dir, sizeof dir, "%s/tmp", md);
	CHECK(count_entries(dir, NULL, 0) == 0);
}

static void
test_new_is_not_a_directory(void)
{
	char base[] = "/tmp/test_mailer.XXXXXX";
	char md[128], dir[256];
	struct mailer *m;
	FILE *f;

	CHECK(mkdtemp(base) != NULL);
	snprintf(md, sizeof md, "%s/Maildir", base);
	m = open_maildir(md);
	CHECK(m != NULL);
	if (!m)
		goto out;
	snprintf(dir, sizeof dir, "%s/new", md);
	CHECK(rmdir(dir) == 0);
	f = fopen(dir, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	check_rename_fails(md, m);
out:
	mailer_free(m);
	rm_rf(base);
}

static void
test_read_only_new(void)
{
	char base[] = "/tmp/test_mailer.XXXXXX";
	char md[128], dir[256];
	struct mailer *m;

	/* root writes into a 0500 directory all the same */
	if (geteuid() == 0) {
		fprintf(stderr, "  skip test_read_only_new: running as root\n");
		return;
	}
	CHECK(mkdtemp(base) != NULL);
	snprintf(md, sizeof md, "%s/Maildir", base);
	m = open_maildir(md);
	CHECK(m != NULL);
	if (!m)
		goto out;
	snprintf(dir, sizeof dir, "%s/new", md);
	CHECK(chmod(dir, 0500) == 0);
	check_rename_fails(md, m);
	CHECK(count_entries(dir, NULL, 0) == 0);
out:
	mailer_free(m);
	rm_rf(base);
}

/* Statuses by item, and a caller that stops after its n-th report. */
struct tally {
	int status[4];
	int calls;
	int stop_after;
};

static int
count_report(size_t i, int status, const char *reply, void *arg)
{
	struct tally *t = arg;

	(void)reply;
	t->status[i] = status;
	return ++t->calls == t->stop_after ? -1 : 0;
}

static void
test_batch_reports_each(void)
{
	char base[] = "/tmp/test_mailer.XXXXXX";
	char dir[300];
	struct mailer_item items[3] = {
		{ "a@example.se", "b@example.se", msg1, sizeof msg1 - 1, NULL, 0 },
		{ "a@example.se", "not an address", msg2, sizeof msg2 - 1, NULL, 0 },
		{ "a@example.se", "c@example.se", msg2, sizeof msg2 - 1, NULL, 0 },
	};
	struct tally t = { { 1, 1, 1, 1 }, 0, 0 };
	struct mailer *m;

	CHECK(mkdtemp(base) != NULL);
	snprintf(dir, sizeof dir, "%s/new", base);
	m = open_maildir(base);
	CHECK(m != NULL);
	if (!m)
		goto out;
	CHECK(mailer_send_batch(m, items, 3, count_report, &t) == 0);
	CHECK(t.calls == 3);
	CHECK(t.status[0] == MAILER_OK && t.status[2] == MAILER_OK);
	CHECK(t.status[1] == MAILER_PERMFAIL);
	CHECK(count_entries(dir, NULL, 0) == 2);
	/* a caller that cannot record the first fate gets no second delivery */
	t = (struct tally){ { 1, 1, 1, 1 }, 0, 1 };
	items[1].rcpt = "d@example.se";
	CHECK(mailer_send_batch(m, items, 3, count_report, &t) == -1);
	CHECK(t.calls == 1 && t.status[0] == MAILER_OK && t.status[1] == 1);
	CHECK(count_entries(dir, NULL, 0) == 3);
	CHECK(mailer_send_batch(m, items, 0, count_report, &t) == 0);
out:
	mailer_free(m);
	rm_rf(base);
}

/* Replies by item, for a batch with keys. */
struct heard {
	int status[8];
	char reply[8][512];
	int calls;
	int stop_after;
};

static int
hear(size_t i, int status, const char *reply, void *arg)
{
	struct heard *h = arg;

	h->status[i] = status;
	snprintf(h->reply[i], sizeof h->reply[i], "%s", reply);
	return ++h->calls == h->stop_after ? -1 : 0;
}

/*
 * A message given again under its key, as after a crash between the
 * delivery and its record, writes no second file: not while it is in new/,
 * nor once a reader has moved it into cur/. Its name is its key, escaped
 * so that keys that differ get names that differ.
 */
static void
test_key_delivers_once(void)
{
	char base[] = "/tmp/test_mailer.XXXXXX";
	char longa[600], longb[600], newdir[300], curdir[300], from[1024],
	     to[1024], tmpdir[300], names[8][512];
	struct mailer_item items[5] = {
		{ "a@example.se", "b@example.se", msg1, sizeof msg1 - 1,
		  "reminder/556036-0793/2026-123456/3", 0 },
		{ "a@example.se", "b@example.se", msg2, sizeof msg2 - 1,
		  "reminder.556036-0793.2026-123456.3", 0 },
		{ "a@example.se", "b@example.se", msg2, sizeof msg2 - 1, longa, 0 },
		{ "a@example.se", "b@example.se", msg2, sizeof msg2 - 1, longb, 0 },
		{ "a@example.se", "b@example.se", msg2, sizeof msg2 - 1, NULL, 0 },
	};
	struct heard h = { { 0 }, { { 0 } }, 0, 0 };
	struct buf b;
	struct mailer *m;
	FILE *f;
	int i, n;

	buf_init(&b, 0);
	memset(longa, 'x', sizeof longa - 1);
	longa[sizeof longa - 1] = '\0';
	memcpy(longb, longa, sizeof longb);
	longb[sizeof longb - 2] = 'y';
	CHECK(mkdtemp(base) != NULL);
	snprintf(newdir, sizeof newdir, "%s/new", base);
	snprintf(curdir, sizeof curdir, "%s/cur", base);
	snprintf(tmpdir, sizeof tmpdir, "%s/tmp", base);
	m = open_maildir(base);
	CHECK(m != NULL);
	if (!m)
		goto out;
	/* a crash left a partial copy of the first in tmp/ */
	snprintf(from, sizeof from,
		 "%s/tmp/reminder%%2F556036-0793%%2F2026-123456%%2F3", base);
	f = fopen(from, "w");
	CHECK(f && fputs("Subject: partial", f) >= 0 && fclose(f) == 0);
	CHECK(mailer_send_batch(m, items, 5, hear, &h) == 0);
	CHECK(h.calls == 5);
	for (i = 0; i < 5; i++)
		CHECK(h.status[i] == MAILER_OK);
	CHECK_STR(h.reply[0],
		  "maildir: new/reminder%2F556036-0793%2F2026-123456%2F3");
	CHECK_STR(h.reply[1],
		  "maildir: new/reminder%2E556036-0793%2E2026-123456%2E3");
	CHECK(count_entries(newdir, names, 8) == 5);
	CHECK(count_entries(tmpdir, NULL, 0) == 0);
	for (i = 0; i < 5 && i < count_entries(newdir, NULL, 0); i++)
		CHECK(strlen(names[i]) <= 255);
	/* the partial copy was written over, not delivered */
	snprintf(from, sizeof from,
		 "%s/new/reminder%%2F556036-0793%%2F2026-123456%%2F3", base);
	CHECK(read_file(from, &b) == 0);
	CHECK_STR(buf_str(&b), "Return-Path: <a@example.se>\n"
		  "Delivered-To: b@example.se\n"
		  "From: a@example.se\nTo: b@example.se\nSubject: one\n\n"
		  "first line\nCR kept\ralone\n");

	/* all again: the keyed ones are there, the keyless one is new */
	h = (struct heard){ { 0 }, { { 0 } }, 0, 0 };
	CHECK(mailer_send_batch(m, items, 5, hear, &h) == 0);
	for (i = 0; i < 5; i++)
		CHECK(h.status[i] == MAILER_OK);
	CHECK(strstr(h.reply[0], "(delivered before)") != NULL);
	CHECK(strstr(h.reply[4], "(delivered before)") == NULL);
	CHECK(count_entries(newdir, NULL, 0) == 6);

	/* a reader has seen the first: it is in cur/ with its flags */
	snprintf(to, sizeof to,
		 "%s/cur/reminder%%2F556036-0793%%2F2026-123456%%2F3:2,S", base);
	CHECK(rename(from, to) == 0);
	h = (struct heard){ { 0 }, { { 0 } }, 0, 0 };
	CHECK(mailer_send_batch(m, items, 1, hear, &h) == 0);
	CHECK(h.calls == 1 && h.status[0] == MAILER_OK);
	CHECK(count_entries(newdir, NULL, 0) == 5);
	CHECK(count_entries(curdir, NULL, 0) == 1);

	/*
	 * A caller that stops after the first: the keyed ones it did not hear
	 * of may stay, as their repeat is found; nothing is doubled.
	 */
	rm_rf(newdir);
	rm_rf(curdir);
	CHECK(mkdir(newdir, 0700) == 0 && mkdir(curdir, 0700) == 0);
	h = (struct heard){ { 0 }, { { 0 } }, 0, 1 };
	CHECK(mailer_send_batch(m, items, 4, hear, &h) == -1);
	CHECK(h.calls == 1);
	n = count_entries(newdir, NULL, 0);
	h = (struct heard){ { 0 }, { { 0 } }, 0, 0 };
	CHECK(mailer_send_batch(m, items + 1, 3, hear, &h) == 0);
	CHECK(h.calls == 3);
	CHECK(n >= 1 && count_entries(newdir, NULL, 0) == 4);
out:
	mailer_free(m);
	buf_release(&b);
	rm_rf(base);
}

static void
test_smtp_options(void)
{
	char longpw[300];
	struct mailer_options o = {
		.transport = TRANSPORT_SMTP, .host = "mail.example.se",
		.port = 587, .starttls = STARTTLS_REQUIRED, .timeout = 30,
	};
	struct mailer *m = mailer_new(&o);

	/* no connection is made before the first batch */
	CHECK(m != NULL);
	mailer_free(m);
	o.user = "u";
	o.password = "p";
	CHECK((m = mailer_new(&o)) != NULL);
	mailer_free(m);
	memset(longpw, 'x', sizeof longpw - 1);
	longpw[sizeof longpw - 1] = '\0';
	o.password = longpw;
	CHECK(mailer_new(&o) == NULL);
	o.password = NULL;
	CHECK(mailer_new(&o) == NULL);
	o.user = NULL;
	o.port = 0;
	CHECK(mailer_new(&o) == NULL);
	o.port = 65536;
	CHECK(mailer_new(&o) == NULL);
	o.port = 25;
	o.timeout = -1;
	CHECK(mailer_new(&o) == NULL);
	o.timeout = 0;
	o.host = "mail.example.se:25";
	CHECK(mailer_new(&o) == NULL);
	o.host = "mail example";
	CHECK(mailer_new(&o) == NULL);
	o.host = NULL;
	CHECK(mailer_new(&o) == NULL);
}

int
main(void)
{
	umask(022);
	RUN(test_delivers_into_new);
	RUN(test_bad_envelope_is_permanent);
	RUN(test_bad_options);
	RUN(test_maildir_under_a_file_fails_temporarily);
	RUN(test_new_is_not_a_directory);
	RUN(test_read_only_new);
	RUN(test_batch_reports_each);
	RUN(test_key_delivers_once);
	RUN(test_smtp_options);
	return test_done("mailer");
}
