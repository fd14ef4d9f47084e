/*
 * The whole flow through the real binary: a firm register is imported,
 * one pass runs over notice files into a temporary Maildir, and the mails
 * are read back with Python's email package.
 */
#define _XOPEN_SOURCE 700

#include <signal.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <time.h>

#include <sqlite3.h>

#include "test.h"
#include "testutil.h"
#include "testdb.h"
#include "smtpd.h"

static char dir[PATH_MAX];
static char project[PATH_MAX];

#define NOW_OPEN "2026-11-25T08:00:00Z"
#define NEXT_DAY "2026-11-26T09:00:00Z"

static const char firms_csv[] =
	"orgnr,name,email,cpv,regions,language\n"
	"556734-2182,Berglunds Måleri AB,info@berglunds-maleri.example,45442100,SE232,sv\n"
	"559318-8062,Nordic Cloud Support AB,sales@nordiccloud.example,72250000,SE232,en\n"
	"559401-1271,Söder Kod & Konsult AB,hej@soderkod.example,72200000,SE110,sv\n"
	"556753-8201,Ljungs Schakt & Mark AB,offert@ljungs-schakt.example,45112000,SE231,sv\n";

/*
 * Runs the binary (under $TENDERLOTS_WRAPPER, e.g. valgrind) in the test
 * directory; stdout and stderr go to out.txt and err.txt there. Returns the
 * exit status.
 */
static int
tl(const char *now, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
tl(const char *now, const char *fmt, ...)
{
	const char *bin = getenv("TENDERLOTS_BIN");
	const char *wrapper = getenv("TENDERLOTS_WRAPPER");
	char args[2048], cmd[8192];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof cmd, "cd '%s' && TENDERLOTS_NOW=%s %s '%s' %s "
		 ">out.txt 2>err.txt", dir, now, wrapper ? wrapper : "",
		 bin ? bin : "build/tenderlots", args);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *
dir_file(const char *name)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return read_text(path);
}

static int
count_mails(void)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof path, "%s/var/mail/new", dir);
	return count_files(path);
}

/* Every mail in the Maildir as Python's email package reads it. */
static char *
parsed_mails(void)
{
	char files[PATH_MAX + 32];

	snprintf(files, sizeof files, "'%s'/var/mail/new/*", dir);
	return mailcheck(project, files, dir);
}


static void
setup(const char *feeds_extra)
{
	char cmd[PATH_MAX * 4], path[PATH_MAX * 2];

	make_tmpdir(dir, "test_e2e");
	snprintf(cmd, sizeof cmd, "mkdir '%s/feeds' && cp '%s'/feeds/*.xml %s "
		 "'%s/feeds/'", dir, project, feeds_extra, dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "setup failed: %s\n", cmd);
		exit(2);
	}
	snprintf(path, sizeof path, "%s/tenderlots.conf", dir);
	snprintf(cmd, sizeof cmd,
		 "[database]\npath = var/t.db\n"
		 "[mail]\nmaildir = var/mail\ntemplates = %s/templates\n"
		 "from = Exempelkommun bevakning <bevakning@exempelkommun.example>\n"
		 "[feeds]\nfile = feeds.conf\n"
		 "[categories]\nfile = %s/config/categories.conf\n"
		 "[service]\nown_buyers = 2120009994\nsecret_file = var/secret\n",
		 project, project);
	write_text(path, cmd);
	snprintf(path, sizeof path, "%s/feeds.conf", dir);
	write_text(path, "[local]\nkind = eforms\nurl = feeds\n");
	snprintf(path, sizeof path, "%s/firms.csv", dir);
	write_text(path, firms_csv);
}

static void
test_import_run_and_mails(void)
{
	char extra[PATH_MAX + 64];
	char *out, *all, *m;

	snprintf(extra, sizeof extra, "'%s/tests/fixtures/eforms/INVALID_cn_24_empty.xml'",
		 project);
	setup(extra);
	CHECK(tl(NOW_OPEN, "firm import -c tenderlots.conf firms.csv") == 0);
	out = dir_file("out.txt");
	CHECK_STR(out, "firms.csv: 4 firms imported (4 new, 0 updated)\n");
	free(out);

	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "notices:  9 new, 0 changed, 0 unchanged, 1 rejected\n"));
	CHECK(out && strstr(out, "matches:  4\n"));
	CHECK(out && strstr(out, "mails:    4 queued, 4 sent, 0 deferred, 0 failed\n"));
	free(out);
	out = dir_file("err.txt");
	CHECK(out && strstr(out, "INVALID_cn_24_empty.xml: rejected: "));
	free(out);
	CHECK(count_mails() == 4);
	CHECK(tl(NOW_OPEN, "quarantine list -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "  feed local  1361 bytes  seen 1 time\n"));
	CHECK(out && strstr(out, "/feeds/INVALID_cn_24_empty.xml\n"
			    "  missing notice id (cbc:ID[@schemeName='notice-id'])\n"
			    "    <?xml version=\"1.0\" encoding=\"utf-8\"?> <!-- Invalid"));
	CHECK(out && strstr(out, "1 document in quarantine\n"));
	free(out);

	all = parsed_mails();
	CHECK(all != NULL);
	/* The Stockholm firm serves no Västra Götaland or Norrbotten place. */
	CHECK(mail_to(all, "hej@soderkod.example", "") == NULL);

	m = mail_to(all, "info@berglunds-maleri.example", "Subject: Ny upphandling");
	CHECK(m != NULL);
	if (m) {
		CHECK(strstr(m, "header Subject: Ny upphandling: Underhåll av "
			     "kommunala fastigheter 2027–2029\n"));
		CHECK(strstr(m, "header From: Exempelkommun bevakning "
			     "<bevakning@exempelkommun.example>\n"));
		CHECK(strstr(m, "header Date: Wed, 25 Nov 2026 08:00:00 +0000\n"));
		CHECK(strstr(m, "header Message-ID: <alert.556734-2182."));
		CHECK(strstr(m, "header List-Unsubscribe:  <https://upphandling."
			     "exempelkommun.se/unsubscribe/"));
		/* the mailto's tag, not an organisation number anyone knows */
		CHECK(strstr(m, "<mailto:bevakning+u-1-"));
		CHECK(strstr(m, "@exempelkommun.example?subject=avsluta%20u-1-"));
		CHECK(!strstr(m, "556734-2182>"));
		CHECK(strstr(m, "header List-Unsubscribe-Post: "
			     "List-Unsubscribe=One-Click\n"));
		CHECK(strstr(m, "header List-Id: Exempelkommun upphandlingsbevakning "
			     "<bevakning.exempelkommun.se>\n"));
		CHECK(strstr(m, "part: multipart/alternative\npart: text/plain\n"
			     "part: text/html\ndefects: 0\n"));
		CHECK(strstr(m, "Hej Berglunds Måleri AB!"));
		/* the lot by its title and number, never its id */
		CHECK(strstr(m, "* Måleri: Målning (delområde 1)\n"));
		CHECK(!strstr(m, "LOT-0001"));
		/* 12:00+01:00 in the notice, shown as Swedish local time. */
		CHECK(strstr(m, "Sista anbudsdag: 15 januari 2027 kl. 12:00 (CET)\n"));
		CHECK(strstr(m, "Uppskattat värde: 2 400 000 kr\n"));
		/* TED's page in the firm's language */
		CHECK(strstr(m, "https://ted.europa.eu/sv/notice/-/detail/00761842-2026\n"));
		CHECK(strstr(m, "Därför får ni detta: Matchar det ni bevakar: "
			     "Målning, värde 2,4 miljoner kr, utförs i Exempelstad\n"));
		/* the unit's own notice: questions go to the unit */
		CHECK(strstr(m, "header Reply-To: Upphandlingsenheten "
			     "<upphandling@exempelkommun.se>\n"));
		CHECK(strstr(m, "Ni får det här mejlet eftersom Berglunds Måleri AB "
			     "(556734-2182)\n"));
		CHECK(strstr(m, "Avsluta alla mejl: https://upphandling."
			     "exempelkommun.se/unsubscribe/"));
		/* Only the painting lot, not the electrical or plumbing ones. */
		CHECK(!strstr(m, "LOT-0002"));
		free(m);
	}
	/* The painting part of a planned school renovation, in a mail of its own. */
	m = mail_to(all, "info@berglunds-maleri.example", "Ängsskolan");
	CHECK(m != NULL);
	if (m) {
		/* the title already says what it is: not said twice */
		CHECK(strstr(m, "header Subject: Planerad upphandling: Renovering "
			     "av Ängsskolan\n"));
		CHECK(strstr(m, "det går inte att lämna anbud ännu"));
		/* a part of it, not a lot, and without the whole value */
		CHECK(strstr(m, "* Måleri: Renovering av Ängsskolan\n"));
		CHECK(!strstr(m, "delområde") && !strstr(m, "PAR-0001"));
		CHECK(!strstr(m, "14 500 000") && !strstr(m, "Uppskattat värde"));
		free(m);
	}
	m = mail_to(all, "sales@nordiccloud.example", "");
	CHECK(m != NULL);
	if (m) {
		/* The notice gives an English title too: the firm reads that. */
		CHECK(strstr(m, "header Subject: Planned procurement: IT operations "
			     "and support\n"));
		CHECK(strstr(m, "header Content-Language: en\n"));
		CHECK(strstr(m, "Hello Nordic Cloud Support AB,"));
		/* and the part's English title */
		CHECK(strstr(m, "* IT services: IT operations and user support\n"));
		CHECK(strstr(m, "Why you get this: Matches what you follow: System "
			     "and support services, "));
		CHECK(strstr(m, "Stop all mails: https://upphandling."
			     "exempelkommun.se/unsubscribe/"));
		free(m);
	}
	m = mail_to(all, "offert@ljungs-schakt.example", "");
	CHECK(m != NULL);
	if (m) {
		CHECK(strstr(m, "Markarbeten vid ny förskola"));
		CHECK(strstr(m, "Upphandlande organisation: Grannby kommun\n"));
		free(m);
	}
	free(all);

	/* The same files again: nothing changes and nothing is sent. */
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "notices:  0 new, 0 changed, 0 unchanged, 0 rejected\n"));
	CHECK(out && strstr(out, "mails:    0 queued, 0 sent, 0 deferred, 0 failed\n"));
	free(out);
	CHECK(count_mails() == 4);
	rm_rf(dir);
}

/*
 * The daemon died between handing a mail over and marking it: the next
 * run gives it again, and the Maildir, which names the file after the
 * mail's key, finds it there. (Over SMTP the relay would get it twice,
 * with the same Message-ID: tests/test_crash.c.)
 */
static void
test_crash_while_sending_delivers_once(void)
{
	char path[PATH_MAX * 2];
	char *out, *all, *p;
	sqlite3 *db;
	int seen = 0;

	setup("");
	CHECK(tl(NOW_OPEN, "firm import -c tenderlots.conf firms.csv") == 0);
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	/* As if the daemon died between handing a mail over and marking it. */
	snprintf(path, sizeof path, "%s/var/t.db", dir);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "UPDATE message SET state = 'sending' WHERE id = "
			   "(SELECT min(id) FROM message WHERE rcpt = "
			   "'info@berglunds-maleri.example')", NULL, NULL,
			   NULL) == SQLITE_OK);
	sqlite3_close(db);
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "mails:    0 queued, 1 sent, 0 deferred, 0 failed\n"));
	free(out);
	CHECK(count_mails() == 4);
	all = parsed_mails();
	for (p = all; p && (p = strstr(p, "header Message-ID: <alert.556734-2182.")); p++)
		seen++;
	CHECK(seen == 2);
	free(all);
	rm_rf(dir);
}

static void
test_notice_category_and_advice_commands(void)
{
	char *out;

	setup("");
	CHECK(tl(NOW_OPEN, "firm import -c tenderlots.conf firms.csv") == 0);
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	CHECK(tl(NOW_OPEN, "notice show -c tenderlots.conf "
		 "02c6ae29-909a-4ce3-8565-6bee67bd2dce") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "Underhåll av kommunala fastigheter 2027–2029\n"
			    "  competition 16, version 01"));
	CHECK(out && strstr(out, "  LOT-0001  Målning\n    cpv 45442100 45442110, "
			    "value 2400000 SEK\n    part Måleri"));
	CHECK(out && strstr(out, "  LOT-0002  El-installationer\n"));
	CHECK(out && strstr(out, "    part El    "));
	free(out);
	CHECK(tl(NOW_OPEN, "notice show -c tenderlots.conf no-such-notice") == 1);
	CHECK(tl(NOW_OPEN, "category show -c tenderlots.conf fonsterputs") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "  90911300  Fönsterputsning\n"));
	free(out);
	CHECK(tl(NOW_OPEN, "advice -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "Planerad upphandling: Renovering av Ängsskolan\n"));
	CHECK(out && strstr(out, "  spans 3 categories the unit wants divided\n"));
	CHECK(out && strstr(out, "2 procurements could be divided\n"));
	free(out);
	rm_rf(dir);
}

static void
test_outbox_commands(void)
{
	char path[PATH_MAX * 2];
	char *out;
	sqlite3 *db;
	sqlite3_stmt *st;

	setup("");
	CHECK(tl(NOW_OPEN, "firm import -c tenderlots.conf firms.csv") == 0);
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	CHECK(tl(NOW_OPEN, "outbox list -c tenderlots.conf --state sent") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "sent") && strstr(out, "info@berglunds-maleri.example"));
	CHECK(out && strstr(out, "4 messages\n"));
	free(out);
	/* Purging keeps the records: nothing is mailed again. */
	CHECK(tl(NOW_OPEN, "outbox purge -c tenderlots.conf --sent-before 2026-11-26") == 0);
	out = dir_file("out.txt");
	CHECK_STR(out, "4 sent messages purged\n");
	free(out);
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	CHECK(count_mails() == 4);
	/* A failed message goes out again when the unit asks for it. */
	snprintf(path, sizeof path, "%s/var/t.db", dir);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "UPDATE message SET state = 'failed', last_error = "
			   "'550 5.1.1 no such user' WHERE id = 1;"
			   "INSERT INTO message_body (message, body)"
			   " VALUES (1, 'Subject: x\r\n\r\nx\r\n')", NULL, NULL,
			   NULL) == SQLITE_OK);
	/* nor is it in the Maildir, which names a file after its key */
	CHECK(sqlite3_prepare_v2(db, "SELECT replace(key, '/', '%2F') FROM message"
				 " WHERE id = 1", -1, &st, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	snprintf(path, sizeof path, "%s/var/mail/new/%s", dir,
		 (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	CHECK(unlink(path) == 0);
	CHECK(tl(NOW_OPEN, "outbox list -c tenderlots.conf --state failed") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "       550 5.1.1 no such user\n"));
	free(out);
	CHECK(tl(NOW_OPEN, "outbox retry -c tenderlots.conf 1") == 0);
	/* A sent message is never sent again, not even on request. */
	CHECK(tl(NOW_OPEN, "outbox retry -c tenderlots.conf 2") == 1);
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	CHECK(count_mails() == 4);
	CHECK(tl(NOW_OPEN, "outbox purge -c tenderlots.conf --sent-before 26-11-2026") == 2);
	rm_rf(dir);
}

/*
 * A mail that cannot be built, here a Swedish tender subject that names
 * the firm 21 times, over its 4096 bytes only for a firm with a 196-byte
 * name, fails alone: the others go out, the pass exits 0 and counts it as
 * failed, the outbox keeps it with the reason and `status` shows it. It is
 * not built again, no reminder tells of what it never told, and retry
 * refuses it: there is no text to send.
 */
static void
test_mail_that_cannot_be_built(void)
{
	static const char why[] = "not built: sv/tender.subject: the rendered "
				  "text is longer than 4096 bytes";
	char cmd[PATH_MAX * 4], db[PATH_MAX + 16], want[1024];
	char *out, *all, *m;
	struct buf b;
	long long id;
	int i;

	setup("");
	snprintf(cmd, sizeof cmd, "cp -r '%s/templates' '%s/tpl' && sed -i "
		 "'s|^templates = .*|templates = tpl|' '%s/tenderlots.conf'",
		 project, dir, dir);
	CHECK(system(cmd) == 0);
	buf_init(&b, 0);
	for (i = 0; i < 21; i++)
		buf_adds(&b, "{{firm_name}} ");
	snprintf(cmd, sizeof cmd, "%s/tpl/sv/tender.subject", dir);
	write_text(cmd, buf_str(&b));
	buf_reset(&b);
	buf_printf(&b, "%s556987-1238,Måleri", firms_csv);
	for (i = 0; i < 21; i++)
		buf_adds(&b, "Långnamn");
	buf_adds(&b, ",info@langnamn.example,45442100,SE232,sv\n");
	snprintf(cmd, sizeof cmd, "%s/firms.csv", dir);
	write_text(cmd, buf_str(&b));
	buf_release(&b);
	CHECK(tl(NOW_OPEN, "firm import -c tenderlots.conf firms.csv") == 0);

	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "mails:    5 queued, 5 sent, 0 deferred, 1 failed\n"));
	free(out);
	out = dir_file("err.txt");
	CHECK(out && strstr(out, "warning: firm 556987-1238: the mail "
			    "alert/556987-1238/"));
	CHECK(out && strstr(out, " cannot be built: sv/tender.subject: the "
			    "rendered text is longer than 4096 bytes\n"));
	free(out);
	/* its other mail, of a planned procurement, went out */
	CHECK(count_mails() == 5);
	all = parsed_mails();
	m = all ? mail_to(all, "info@berglunds-maleri.example",
			  "Berglunds Måleri AB Berglunds Måleri AB") : NULL;
	CHECK(m != NULL);
	free(m);
	free(all);

	CHECK(tl(NOW_OPEN, "outbox list -c tenderlots.conf --state failed") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "  info@langnamn.example  alert/556987-1238/"));
	snprintf(want, sizeof want, "\n       %s\n1 message\n", why);
	CHECK(out && strstr(out, want));
	free(out);
	snprintf(db, sizeof db, "%s/var/t.db", dir);
	id = db_query(db, "SELECT id FROM message WHERE state = 'failed'");
	CHECK(tl(NOW_OPEN, "status -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, ", 5 sent, 1 failed; last delivery "));
	snprintf(want, sizeof want, "\n  newest failed: %lld alert/556987-1238/",
		 id);
	CHECK(out && strstr(out, want));
	snprintf(want, sizeof want, " to info@langnamn.example: %s\n", why);
	CHECK(out && strstr(out, want));
	free(out);
	CHECK(tl(NOW_OPEN, "outbox retry -c tenderlots.conf %lld", id) == 1);
	out = dir_file("err.txt");
	snprintf(want, sizeof want, "error: message %lld was never built, so "
		 "there is no text to send (%s)\n", id, why);
	CHECK(out && strstr(out, want));
	free(out);

	/* three days before the painting tender's deadline */
	CHECK(tl("2027-01-12T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	out = dir_file("err.txt");
	CHECK(out && !strstr(out, "cannot be built"));
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM message g JOIN firm f ON "
		       "f.id = g.firm WHERE f.orgnr = '556987-1238'") == 2);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE key LIKE "
		       "'reminder/556734-2182/%'") == 1);
	rm_rf(dir);
}

/*
 * A firm imported, or changed, after the notices came hears of what is
 * still open in its next pass, within its daily cap and never twice; not
 * of a lot whose deadline has passed.
 */
static void
test_late_firms_hear_of_what_is_open(void)
{
	char path[PATH_MAX * 2], *out, *all, *m;
	FILE *conf;

	setup("");
	snprintf(path, sizeof path, "%s/tenderlots.conf", dir);
	CHECK((conf = fopen(path, "a")) != NULL);
	if (conf) {
		fputs("[match]\nmax_per_day = 1\n", conf);
		fclose(conf);
	}
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "notices:  9 new, 0 changed, 0 unchanged, 0 rejected\n"));
	free(out);
	CHECK(count_mails() == 0);

	/* The same matches as had the firms been there first, one a day. */
	CHECK(tl("2026-11-25T09:00:00Z", "firm import -c tenderlots.conf firms.csv") == 0);
	CHECK(tl("2026-11-25T09:00:00Z", "run --once -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "matches:  4\n"));
	CHECK(out && strstr(out, "mails:    3 queued, 3 sent, 0 deferred, 0 failed\n"));
	free(out);
	CHECK(count_mails() == 3);
	all = parsed_mails();
	m = mail_to(all, "info@berglunds-maleri.example", "* Måleri: Målning (delområde 1)\n");
	CHECK(m != NULL);
	free(m);
	m = mail_to(all, "offert@ljungs-schakt.example", "Markarbeten vid ny förskola");
	CHECK(m != NULL);
	free(m);
	free(all);
	CHECK(tl("2026-11-25T10:00:00Z", "run --once -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "matches:  0\n"));
	CHECK(out && strstr(out, "mails:    0 queued, 0 sent, 0 deferred, 0 failed\n"));
	free(out);
	CHECK(tl("2026-11-26T09:00:00Z", "run --once -c tenderlots.conf") == 0);
	CHECK(count_mails() == 4);
	all = parsed_mails();
	m = mail_to(all, "info@berglunds-maleri.example", "Ängsskolan");
	CHECK(m != NULL);
	free(m);
	free(all);

	/* The painter takes on ground work in Västra Götaland too. */
	snprintf(path, sizeof path, "%s/firms2.csv", dir);
	write_text(path, "orgnr,name,email,cpv,regions,language\n"
		   "556734-2182,Berglunds Måleri AB,info@berglunds-maleri.example,"
		   "45442100 45112000,SE232 SE231,sv\n");
	CHECK(tl("2026-11-27T09:00:00Z", "firm import -c tenderlots.conf firms2.csv") == 0);
	CHECK(tl("2026-11-27T09:00:00Z", "run --once -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "matches:  1\n"));
	CHECK(out && strstr(out, "mails:    1 queued, 1 sent, 0 deferred, 0 failed\n"));
	free(out);
	all = parsed_mails();
	m = mail_to(all, "info@berglunds-maleri.example", "Markarbeten vid ny förskola");
	CHECK(m != NULL);
	free(m);
	free(all);

	/* After Grannby's deadline, 21 December: its ground work is past. */
	write_text(path, "orgnr,name,email,cpv,regions,language\n"
		   "556812-3458,Nya Schakt AB,info@nyaschakt.example,45112000,SE231,sv\n"
		   "556900-1117,Nya Måleri AB,info@nyamaleri.example,45442100,SE232,sv\n");
	CHECK(tl("2026-12-22T08:00:00Z", "firm import -c tenderlots.conf firms2.csv") == 0);
	CHECK(tl("2026-12-22T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	all = parsed_mails();
	CHECK(all && !strstr(all, "info@nyaschakt.example"));
	m = mail_to(all, "info@nyamaleri.example", "* Måleri: Målning (delområde 1)\n");
	CHECK(m != NULL);
	free(m);
	free(all);
	rm_rf(dir);
}

static void
test_expired_lots_are_not_mailed(void)
{
	char *all;

	setup("");
	CHECK(tl("2026-12-22T08:00:00Z", "firm import -c tenderlots.conf firms.csv") == 0);
	/* Grannby's deadline, 21 December, has passed. */
	CHECK(tl("2026-12-22T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	all = parsed_mails();
	CHECK(all && !strstr(all, "offert@ljungs-schakt.example"));
	CHECK(all && strstr(all, "info@berglunds-maleri.example"));
	free(all);
	rm_rf(dir);
}

/*
 * A real notice valued in euro (tests/fixtures/real/README.md) is sized in
 * kronor: 1 MEUR, 11.2 MSEK, over the 772 days from its start to its end
 * date is 5.3 MSEK a year, beyond a firm of 6.2 MSEK turnover (which takes
 * on half of its turnover a year), within one of 11 MSEK, beyond one of
 * 10. A value of 0 is unknown. The work is in the Netherlands: the firms
 * work abroad too, but one that serves Västra Götaland only hears nothing.
 */
static void
test_values_in_other_currencies(void)
{
	static const char firms[] =
		"orgnr,name,email,cpv,regions,abroad,language,turnover,kinds\n"
		"556734-2182,Liten Rekrytering AB,liten@rekrytering.example,79610000,SE232,yes,sv,6 200 000,tender\n"
		"559318-8062,Stor Rekrytering AB,stor@rekrytering.example,79600000,SE232,yes,sv,50 000 000,tender\n"
		"559401-1271,Big Recruiting AB,big@recruiting.example,79610000,SE232,yes,en,50 000 000,tender\n"
		"556753-8201,Elva Rekrytering AB,elva@rekrytering.example,79610000,SE232,yes,sv,11 000 000,tender\n"
		"556841-2372,Tio Rekrytering AB,tio@rekrytering.example,79610000,SE232,yes,sv,10 000 000,tender\n"
		"556601-0004,Hemma Rekrytering AB,hemma@rekrytering.example,79610000,SE232,no,sv,50 000 000,tender\n";
	char extra[PATH_MAX * 3], path[PATH_MAX * 2];
	char *all, *m;

	snprintf(extra, sizeof extra, "'%s/tests/fixtures/real/2024-OJS044-00127505.xml' "
		 "'%s/tests/fixtures/real/2024-OJS044-00127505-zero.xml'",
		 project, project);
	setup(extra);
	snprintf(path, sizeof path, "%s/firms.csv", dir);
	write_text(path, firms);
	/* Before the recruitment notice's deadline, 31 January 2025. */
	CHECK(tl("2025-01-10T08:00:00Z", "firm import -c tenderlots.conf firms.csv") == 0);
	CHECK(tl("2025-01-10T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	all = parsed_mails();
	CHECK(all != NULL);

	/* The small firm hears only of the notice of unknown value. */
	CHECK(mail_to(all, "liten@rekrytering.example",
		      "Uppskattat värde") == NULL);
	m = mail_to(all, "liten@rekrytering.example", "");
	CHECK(m && strstr(m, "Därför får ni detta: Matchar det ni bevakar: "));
	CHECK(m && strstr(m, "värde okänt"));
	free(m);

	m = mail_to(all, "stor@rekrytering.example", "Uppskattat värde");
	CHECK(m && strstr(m, "Uppskattat värde: ca 11,2 miljoner kr "
			  "(1 000 000 EUR)\n"));
	CHECK(m && strstr(m, "värde ca 11,2 miljoner kr (1 000 000 EUR), inom "
			  "vad ett företag med er omsättning brukar ta"));
	free(m);
	/* The other mail to it: 0 EUR is not a value. */
	m = mail_to(all, "stor@rekrytering.example", "värde okänt");
	CHECK(m && !strstr(m, "Uppskattat värde") && !strstr(m, "0 EUR"));
	free(m);

	m = mail_to(all, "big@recruiting.example", "Estimated value");
	CHECK(m && strstr(m, "Estimated value: about SEK 11.2 million "
			  "(EUR 1,000,000)\n"));
	free(m);

	m = mail_to(all, "elva@rekrytering.example", "Uppskattat värde");
	CHECK(m != NULL);
	free(m);
	CHECK(mail_to(all, "tio@rekrytering.example", "Uppskattat värde") == NULL);
	CHECK(all && !strstr(all, "hemma@rekrytering.example"));
	free(all);
	rm_rf(dir);
}

/*
 * A rates feed (the ECB's daily file) sizes values from its next pass:
 * at 10.5 SEK to the euro, 1 MEUR over 772 days is 4.97 MSEK a year,
 * within half of a firm of 10 MSEK turnover, which the bundled rate (11.2)
 * kept from it; the mail says the rate's kronor. `status` names the
 * rates' day and feed.
 */
static void
test_rates_feed(void)
{
	static const char firms[] =
		"orgnr,name,email,cpv,regions,abroad,language,turnover,kinds\n"
		"556841-2372,Tio Rekrytering AB,tio@rekrytering.example,79610000,SE232,yes,sv,10 000 000,tender\n";
	char extra[PATH_MAX * 3], path[PATH_MAX * 2], feeds[PATH_MAX * 2];
	char *all, *m, *out;

	snprintf(extra, sizeof extra, "'%s/tests/fixtures/real/2024-OJS044-00127505.xml'",
		 project);
	setup(extra);
	snprintf(path, sizeof path, "%s/feeds.conf", dir);
	snprintf(feeds, sizeof feeds, "[ecb]\nkind = rates\n"
		 "url = %s/tests/fixtures/rates/eurofxref-daily.xml\n"
		 "interval = 1d\n", project);
	write_text(path, feeds);
	snprintf(path, sizeof path, "%s/firms.csv", dir);
	write_text(path, firms);
	CHECK(tl("2025-01-10T08:00:00Z", "firm import -c tenderlots.conf firms.csv") == 0);
	/* the rates come first, the notice with the next pass */
	CHECK(tl("2025-01-10T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	snprintf(path, sizeof path, "%s/feeds.conf", dir);
	snprintf(feeds, sizeof feeds, "[ecb]\nkind = rates\n"
		 "url = %s/tests/fixtures/rates/eurofxref-daily.xml\n"
		 "interval = 1d\n[local]\nkind = eforms\nurl = feeds\n", project);
	write_text(path, feeds);
	CHECK(tl("2025-01-10T09:00:00Z", "run --once -c tenderlots.conf") == 0);
	all = parsed_mails();
	m = mail_to(all, "tio@rekrytering.example", "Uppskattat värde");
	CHECK(m && strstr(m, "Uppskattat värde: ca 10,5 miljoner kr "
			  "(1 000 000 EUR)\n"));
	free(m);
	free(all);
	CHECK(tl("2025-01-10T09:00:00Z", "status -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "rates: ECB euro reference rates of 2026-12-04 "
			    "(feed ecb)"));
	if (out && !strstr(out, "rates:"))
		fputs(out, stderr);
	free(out);
	rm_rf(dir);
}

static void
test_bad_config_names_file_and_line(void)
{
	char path[PATH_MAX * 4];
	char *err;

	setup("");
	snprintf(path, sizeof path, "%s/bad.conf", dir);
	write_text(path, "[database]\npath = var/t.db\ncolour = blue\n");
	CHECK(tl(NOW_OPEN, "run --once -c bad.conf") == 1);
	err = dir_file("err.txt");
	CHECK(err && strstr(err, "bad.conf:3: unknown key 'colour' in section [database]"));
	free(err);
	/* Nothing was created for a config that did not load. */
	snprintf(path, sizeof path, "%s/var/t.db", dir);
	CHECK(access(path, F_OK) != 0);

	/* A misspelt field in a template is found at start, with its line. */
	snprintf(path, sizeof path, "cp -r '%s/templates' '%s/tpl' && "
		 "printf 'Hej {{firm_nmae}}!\\n' >> '%s/tpl/en/tender.txt'",
		 project, dir, dir);
	CHECK(system(path) == 0);
	CHECK(tl(NOW_OPEN, "config check -c tenderlots.conf") == 0);
	snprintf(path, sizeof path, "sed -i 's|^templates = .*|templates = tpl|' "
		 "'%s/tenderlots.conf'", dir);
	CHECK(system(path) == 0);
	CHECK(tl(NOW_OPEN, "config check -c tenderlots.conf") == 1);
	err = dir_file("err.txt");
	CHECK(err && strstr(err, "tpl/en/tender.txt:"));
	CHECK(err && strstr(err, ": unknown field 'firm_nmae'"));
	free(err);
	/* and in a web page's, before `tenderlots web` would find out */
	snprintf(path, sizeof path, "cp '%s/templates/en/tender.txt' '%s/tpl/en/' "
		 "&& printf '<p>{{titel}}</p>\\n' >> '%s/tpl/web/sv/rfi.html'",
		 project, dir, dir);
	CHECK(system(path) == 0);
	CHECK(tl(NOW_OPEN, "config check -c tenderlots.conf") == 1);
	err = dir_file("err.txt");
	CHECK(err && strstr(err, "tpl/web/sv/rfi.html:"));
	CHECK(err && strstr(err, ": unknown field 'titel'"));
	free(err);
	rm_rf(dir);
}

/*
 * A real notice from TED, mailed to a firm, then a change notice that
 * names it by its publication number ("219998-2024", where the original
 * says "00219998-2024"), as most real change notices do: the firm told of
 * the original gets a change mail with the moved deadline, and its
 * reminder before the new deadline.
 */
static void
test_change_notice_by_publication_number(void)
{
	char extra[PATH_MAX + 64], path[PATH_MAX * 3];
	char *out, *all, *m;

	snprintf(extra, sizeof extra,
		 "'%s/tests/fixtures/real/2024-OJS074-00219998.xml'", project);
	setup(extra);
	snprintf(path, sizeof path, "%s/waste.csv", dir);
	/* The notice names no place: the buyer's, Guadeloupe, France. */
	write_text(path, "orgnr,name,email,cpv,regions,abroad,language\n"
		   "556036-0793,Karibiska Återvinning AB,"
		   "info@atervinning.example,90500000,SE232,yes,sv\n");
	CHECK(tl("2024-04-16T08:00:00Z", "firm import -c tenderlots.conf "
		 "waste.csv") == 0);
	CHECK(tl("2024-04-16T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	all = parsed_mails();
	m = mail_to(all, "info@atervinning.example", "Trioncelle");
	CHECK(m != NULL);
	free(m);
	free(all);

	snprintf(path, sizeof path, "cp '%s/tests/fixtures/real/"
		 "change-of-00219998-2024.xml' '%s/feeds/'", project, dir);
	CHECK(system(path) == 0);
	CHECK(tl("2024-04-20T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "notices:  0 new, 1 changed, 0 unchanged, 0 rejected\n"));
	free(out);
	all = parsed_mails();
	m = mail_to(all, "info@atervinning.example", "har ändrats");
	CHECK(m && strstr(m, "27 maj 2024"));
	CHECK(m && strstr(m, "13 maj 2024"));
	free(m);
	free(all);

	/* reminded of the change notice's deadline, not the original's */
	CHECK(tl("2024-05-09T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	CHECK(count_mails() == 2);
	CHECK(tl("2024-05-23T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	CHECK(count_mails() == 3);
	all = parsed_mails();
	m = mail_to(all, "info@atervinning.example", "Sista anbudsdag för");
	CHECK(m && strstr(m, "Sista anbudsdag: 27 maj 2024"));
	free(m);
	free(all);
	rm_rf(dir);
}

/*
 * What a firm needs to decide, from a real TED notice (Fluvius, tests/
 * fixtures/real/README.md): the lot's description, the contract period,
 * that it is a framework agreement, the buyer's SME flag, the documents
 * and the buyer's contact, who is the Reply-To; TED's page in the firm's
 * language; the reason in plain words; and in an English mail, every link
 * to the service's pages leads to its English pages.
 */
static void
test_mail_says_what_a_firm_needs(void)
{
	static const char firms[] =
		"orgnr,name,email,cpv,regions,abroad,language,turnover,kinds\n"
		"556734-2182,Kontakt Kabel AB,info@kontaktkabel.example,31224000,SE232,yes,sv,50 000 000,tender\n"
		"559318-8062,Cable Joints AB,sales@cablejoints.example,31224000,SE232,yes,en,50 000 000,tender\n";
	char extra[PATH_MAX + 64], path[PATH_MAX * 2];
	char *all, *m;
	const char *p;

	snprintf(extra, sizeof extra, "'%s/tests/fixtures/real/"
		 "539162-2023-framework-maximum.xml'", project);
	setup(extra);
	snprintf(path, sizeof path, "%s/firms.csv", dir);
	write_text(path, firms);
	CHECK(tl("2023-09-10T08:00:00Z", "firm import -c tenderlots.conf firms.csv") == 0);
	CHECK(tl("2023-09-10T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	all = parsed_mails();
	m = mail_to(all, "info@kontaktkabel.example", "OV-connectoren");
	CHECK(m != NULL);
	if (m) {
		CHECK(strstr(m, "header Reply-To: "
			     "fluvius-aankoop-sourcing-netgebonden@fluvius.be\n"));
		CHECK(strstr(m, "Kontakt: fluvius-aankoop-sourcing-netgebonden@"
			     "fluvius.be\nTelefon: +32498943769\n"));
		CHECK(strstr(m, "Hela annonsen: https://ted.europa.eu/sv/notice/"
			     "-/detail/00539162-2023\n"));
		CHECK(strstr(m, "\n  OV-connectoren: 31224000-2 Verbindingen en "
			     "contactelementen."));
		CHECK(strstr(m, "  Avtalstid: 4 år\n  Ramavtal: ja\n"
			     "  Passar små och medelstora företag: ja, enligt "
			     "annonsen\n"));
		CHECK(strstr(m, "  Upphandlingsdokument: https://www."
			     "publicprocurement.be/publication-workspaces/"));
		CHECK(strstr(m, "Därför får ni detta: Matchar det ni bevakar: "
			     "Kopplingar och kontaktelement, värde ca 33,7 miljoner "
			     "kr (3 000 000 EUR), inom vad ett företag med er "
			     "omsättning brukar ta, "));
		CHECK(!strstr(m, "CPV") && !strstr(m, "LOT-0001"));
		free(m);
	}
	m = mail_to(all, "sales@cablejoints.example", "OV-connectoren");
	CHECK(m != NULL);
	if (m) {
		CHECK(strstr(m, "Full notice: https://ted.europa.eu/en/notice/"
			     "-/detail/00539162-2023\n"));
		CHECK(strstr(m, "  Contract period: 4 years\n"
			     "  Framework agreement: yes\n"));
		/*
		 * every link in the text to the service's pages asks for
		 * English (the one-click header's is posted, not read)
		 */
		for (p = strstr(m, "\nbody:\n");
		     p && (p = strstr(p, "https://upphandling.exempelkommun.se"));
		     p++) {
			size_t len = strcspn(p, " \n");

			CHECK(len > 8 && strncmp(p + len - 8, "?lang=en", 8) == 0);
		}
		CHECK(strstr(m, "/manage/") && strstr(m, "/unsubscribe/") &&
		      strstr(m, "/stop/"));
		free(m);
	}
	free(all);
	rm_rf(dir);
}

/*
 * An award mail names the winners and the value: a real award notice
 * (Waterschap Rivierenland, won by Hegeman Bouw & Infra for 3 887 000
 * EUR) to firms that asked for results, at once and in a daily digest,
 * in Swedish and English.
 */
static void
test_award_names_winners(void)
{
	char extra[PATH_MAX + 64], path[PATH_MAX * 2];
	char *all, *m;

	snprintf(extra, sizeof extra,
		 "'%s/tests/fixtures/real/2024-OJS065-00191536.xml'", project);
	setup(extra);
	snprintf(path, sizeof path, "%s/firms.csv", dir);
	write_text(path, "orgnr,name,email,cpv,regions,abroad,language,kinds,"
		   "frequency\n"
		   "556734-2182,Bygg Resultat AB,info@byggresultat.example,"
		   "45000000,SE232,yes,sv,result,immediately\n"
		   "559318-8062,Build Results AB,info@buildresults.example,"
		   "45000000,SE232,yes,en,result,immediately\n"
		   "556753-8201,Bygg Dag AB,info@byggdag.example,45000000,SE232,"
		   "yes,sv,result,daily\n"
		   "559401-1271,Build Daily AB,info@builddaily.example,45000000,"
		   "SE232,yes,en,result,daily\n");
	CHECK(tl("2024-04-10T08:00:00Z", "firm import -c tenderlots.conf firms.csv") == 0);
	CHECK(tl("2024-04-10T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	CHECK(count_mails() == 4);
	all = parsed_mails();
	m = mail_to(all, "info@byggresultat.example", "Tilldelning");
	CHECK(m && strstr(m, "  Tilldelat: Hegeman Bouw & Infra B.V.\n"
			  "  Kontraktsvärde: ca 43,7 miljoner kr (3 887 000 EUR)\n"));
	CHECK(m && strstr(m, "header Reply-To: r.van.os@wsrl.nl\n"));
	free(m);
	m = mail_to(all, "info@buildresults.example", "Contract awarded");
	CHECK(m && strstr(m, "  Awarded to: Hegeman Bouw & Infra B.V.\n"
			  "  Contract value: about SEK 43.7 million "
			  "(EUR 3,887,000)\n"));
	free(m);
	m = mail_to(all, "info@byggdag.example", "Dagens upphandlingar");
	CHECK(m && strstr(m, "  Typ: Avgjord upphandling (tilldelning)\n"));
	CHECK(m && strstr(m, "  Tilldelat: Hegeman Bouw & Infra B.V.\n"));
	free(m);
	m = mail_to(all, "info@builddaily.example", "Today's procurements");
	CHECK(m && strstr(m, "  Type: Contract awarded\n"));
	CHECK(m && strstr(m, "  Contract value: about SEK 43.7 million "
			  "(EUR 3,887,000)\n"));
	free(m);
	free(all);
	rm_rf(dir);
}

/*
 * A buyer's contact that is not one plain address (CR/LF and a "Bcc:"
 * in a real notice's cac:Contact) is neither the Reply-To nor shown, and
 * adds no header: the mail answers to [mail] reply_to.
 */
static void
test_buyer_contact_not_an_address(void)
{
	char cmd[PATH_MAX * 4], path[PATH_MAX * 2];
	char *all, *m;

	setup("");
	snprintf(cmd, sizeof cmd, "sed 's|>fluvius-aankoop-sourcing-netgebonden"
		 "@fluvius.be<|>aankoop@fluvius.be\\&#13;\\&#10;Bcc: x@evil."
		 "example<|' '%s/tests/fixtures/real/539162-2023-framework-"
		 "maximum.xml' > '%s/feeds/contact.xml'", project, dir);
	CHECK(system(cmd) == 0);
	snprintf(path, sizeof path, "%s/firms.csv", dir);
	write_text(path, "orgnr,name,email,cpv,regions,abroad,language\n"
		   "556734-2182,Kontakt Kabel AB,info@kontaktkabel.example,"
		   "31224000,SE232,yes,sv\n");
	CHECK(tl("2023-09-10T08:00:00Z", "firm import -c tenderlots.conf firms.csv") == 0);
	CHECK(tl("2023-09-10T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	all = parsed_mails();
	m = mail_to(all, "info@kontaktkabel.example", "OV-connectoren");
	CHECK(m && strstr(m, "header Reply-To: Upphandlingsenheten "
			  "<upphandling@exempelkommun.se>\n"));
	CHECK(m && !strstr(m, "evil") && !strstr(m, "header Bcc") &&
	      !strstr(m, "Kontakt:"));
	CHECK(m && strstr(m, "defects: 0\n"));
	free(m);
	free(all);
	rm_rf(dir);
}

/*
 * A change notice that moves one lot's deadline (a real notice of two
 * lots, tests/fixtures/real/README.md) is mailed to the firm of that lot
 * only, naming the lot by its title, old -> new; the firm of the other
 * lot hears nothing. Its reminder, three days before its deadline, names
 * the day, where "om 5 dagar" went out.
 */
static void
test_change_and_reminder_of_the_firms_lots(void)
{
	char extra[PATH_MAX + 64], path[PATH_MAX * 3];
	char *all, *m;

	snprintf(extra, sizeof extra,
		 "'%s/tests/fixtures/real/2024-OJS017-00047522.xml'", project);
	setup(extra);
	snprintf(path, sizeof path, "%s/firms.csv", dir);
	write_text(path, "orgnr,name,email,cpv,regions,abroad,language\n"
		   "556734-2182,Glas Insamling AB,info@glas.example,90511100,"
		   "SE232,yes,sv\n"
		   "559318-8062,Paper Collection AB,info@paper.example,90511400,"
		   "SE232,yes,en\n");
	CHECK(tl("2024-01-25T08:00:00Z", "firm import -c tenderlots.conf firms.csv") == 0);
	CHECK(tl("2024-01-25T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	CHECK(count_mails() == 2);
	all = parsed_mails();
	m = mail_to(all, "info@glas.example", "");
	CHECK(m && strstr(m, "(delområde 1)\n"));
	CHECK(m && strstr(m, "header Reply-To: y.cobut@piemont-cevenol.fr\n"));
	free(m);
	free(all);

	snprintf(path, sizeof path, "cp '%s/tests/fixtures/real/"
		 "change-of-00047522-2024.xml' '%s/feeds/'", project, dir);
	CHECK(system(path) == 0);
	CHECK(tl("2024-02-01T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	CHECK(count_mails() == 3);
	all = parsed_mails();
	CHECK(mail_to(all, "info@glas.example", "has changed") == NULL &&
	      mail_to(all, "info@glas.example", "har ändrats") == NULL);
	m = mail_to(all, "info@paper.example", "has changed");
	CHECK(m && strstr(m, "* The tender deadline has moved (lot 2: Collecte "
			  "et transport des colonnes à papier)\n"
			  "  28 February 2024, 11:00 (CET) → 13 March 2024, "
			  "11:00 (CET)\n"));
	CHECK(m && !strstr(m, "LOT-0002") && !strstr(m, "verre)"));
	CHECK(m && strstr(m, "header Reply-To: y.cobut@piemont-cevenol.fr\n"));
	free(m);
	free(all);

	/* Nothing ran in the five days' window: three days before. */
	CHECK(tl("2024-02-25T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	CHECK(count_mails() == 4);
	all = parsed_mails();
	m = mail_to(all, "info@glas.example", "header Subject: Sista anbudsdag");
	CHECK(m && strstr(m, "header Subject: Sista anbudsdag onsdag 28 februari "
			  "2024: Prestations de collecte"));
	CHECK(m && strstr(m, "Sista anbudsdag för den här upphandlingen är "
			  "onsdag 28 februari 2024.\n"));
	CHECK(m && !strstr(m, "dagar"));
	free(m);
	free(all);
	/* the paper lot's, moved to 13 March, in English */
	CHECK(tl("2024-03-10T08:00:00Z", "run --once -c tenderlots.conf") == 0);
	CHECK(count_mails() == 5);
	all = parsed_mails();
	m = mail_to(all, "info@paper.example", "header Subject: Tender deadline");
	CHECK(m && strstr(m, "header Subject: Tender deadline Wednesday 13 March "
			  "2024: Prestations de collecte"));
	CHECK(m && strstr(m, "The tender deadline for this procurement is on "
			  "Wednesday 13 March 2024.\n"));
	CHECK(m && strstr(m, "* Collecte et transport des colonnes à papier "
			  "(lot 2)\n"));
	free(m);
	free(all);
	rm_rf(dir);
}

static void
test_firm_commands(void)
{
	char path[PATH_MAX * 2];
	char *out;

	setup("");
	CHECK(tl(NOW_OPEN, "firm import -c tenderlots.conf firms.csv") == 0);
	snprintf(path, sizeof path, "%s/bad.csv", dir);
	write_text(path, "orgnr,name,email,cpv,regions\n"
		   "556734-2182,Berglunds Måleri AB,changed@x.example,45442100,SE232\n"
		   "556734-2183,Bad,bad@x.example,45442100,SE232\n");
	/* A bad row is reported and skipped, the good one is kept, and the
	 * exit status says something was wrong. */
	CHECK(tl(NOW_OPEN, "firm import -c tenderlots.conf bad.csv") == 1);
	out = dir_file("err.txt");
	CHECK(out && strstr(out, "bad.csv:3: orgnr: '556734-2183' is not a valid"));
	free(out);
	out = dir_file("out.txt");
	CHECK_STR(out, "bad.csv: 1 firms imported (0 new, 1 updated), 1 bad row skipped\n");
	free(out);
	CHECK(tl(NOW_OPEN, "firm list -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && !strstr(out, "info@berglunds-maleri.example"));
	CHECK(out && strstr(out, "changed@x.example"));
	CHECK(out && strstr(out, "4 firms\n"));
	free(out);
	CHECK(tl(NOW_OPEN, "firm remove -c tenderlots.conf 5567342182") == 0);
	CHECK(tl(NOW_OPEN, "firm remove -c tenderlots.conf 556734-2182") == 1);
	out = dir_file("err.txt");
	CHECK(out && strstr(out, "no firm with organisation number 556734-2182"));
	free(out);
	CHECK(tl(NOW_OPEN, "firm list -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "3 firms\n"));
	free(out);
	CHECK(tl(NOW_OPEN, "firm frobnicate") == 2);
	rm_rf(dir);
}

static void
test_show(void)
{
	char cmd[PATH_MAX * 4];
	char *out, *err;

	setup("");
	CHECK(tl(NOW_OPEN, "show '%s'/tests/fixtures/eforms/*.xml", project) == 1);
	err = dir_file("err.txt");
	CHECK(err && strstr(err, "INVALID_cn_24_empty.xml: "));
	CHECK(err && !strstr(err, "cn_24_minimal.xml"));
	free(err);
	/* The valid notices still come out, as one valid JSON array. */
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c 'import json,sys; "
		 "a = json.load(open(sys.argv[1])); assert len(a) == 10, len(a); "
		 "assert all(n[\"lots\"] for n in a)' '%s/out.txt'", dir);
	CHECK(system(cmd) == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "\"deadline\": \"2020-02-04T08:00:00Z\""));
	free(out);
	CHECK(tl(NOW_OPEN, "show") == 2);
	CHECK(tl(NOW_OPEN, "show no-such-file.xml") == 1);
	err = dir_file("err.txt");
	CHECK(err && strstr(err, "no-such-file.xml: No such file or directory"));
	free(err);
	rm_rf(dir);
}

/* The unit's meeting flow from the command line. */
static void
test_meeting_commands(void)
{
	char path[PATH_MAX * 2], *out;

	setup("");
	snprintf(path, sizeof path, "%s/meeting.conf", dir);
	write_text(path, "[meeting]\ntitle = Branschträff måleri\n"
		   "category = maleri\nstart = 2027-01-14 09:00\n"
		   "end = 2027-01-14 11:00\nlocation = Stadshuset\n");
	snprintf(path, sizeof path, "%s/bad.conf", dir);
	write_text(path, "[meeting]\ntitle = Okänd bransch\n"
		   "category = cirkus\nstart = 2027-01-14 09:00\n"
		   "end = 2027-01-14 11:00\nlocation = Stadshuset\n");
	snprintf(path, sizeof path, "%s/past.conf", dir);
	write_text(path, "[meeting]\ntitle = Förra året\n"
		   "category = maleri\nstart = 2025-01-14 09:00\n"
		   "end = 2025-01-14 11:00\nlocation = Stadshuset\n");
	CHECK(tl(NOW_OPEN, "firm import -c tenderlots.conf firms.csv") == 0);
	CHECK(tl(NOW_OPEN, "meeting new -c tenderlots.conf bad.conf") == 1);
	out = dir_file("err.txt");
	CHECK(out && strstr(out, "bad.conf: category 'cirkus' is not registered"));
	free(out);
	CHECK(tl(NOW_OPEN, "meeting new -c tenderlots.conf past.conf") == 1);
	CHECK(tl(NOW_OPEN, "meeting new -c tenderlots.conf") == 2);
	CHECK(tl(NOW_OPEN, "meeting new -c tenderlots.conf meeting.conf") == 0);
	out = dir_file("out.txt");
	CHECK_STR(out, "meeting 1: Branschträff måleri; invitations go out "
		  "with the next run\n");
	free(out);
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	/* four alerts, and one invitation to the one painter */
	CHECK(count_mails() == 5);
	CHECK(tl(NOW_OPEN, "meeting list -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "1  14 januari 2027 kl. 09:00 (CET)  "
			    "Branschträff måleri\n"));
	CHECK(out && strstr(out, "1 upcoming meeting\n"));
	free(out);
	CHECK(tl(NOW_OPEN, "meeting cancel -c tenderlots.conf 1") == 0);
	CHECK(tl(NOW_OPEN, "meeting cancel -c tenderlots.conf 1") == 1);
	CHECK(tl(NOW_OPEN, "meeting change -c tenderlots.conf 1 meeting.conf") == 1);
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	CHECK(count_mails() == 6);
	/* the invitation and the cancellation are past news once it begins */
	snprintf(path, sizeof path, "%s/var/t.db", dir);
	CHECK(db_query(path, "SELECT count(*) FROM message JOIN meeting"
		       " ON stale_at = starts_at WHERE key LIKE 'meeting/1/%'") == 2);
	rm_rf(dir);
}

/* Mails in the Maildir to rcpt whose subject holds what. */
static int
mails_to(const char *rcpt, const char *what)
{
	char *all = parsed_mails(), *p, *end;
	char key[256];
	int n = 0;

	snprintf(key, sizeof key, "header To: %s\n", rcpt);
	for (p = all; p && (p = strstr(p, key)); p = end) {
		end = strstr(p, "\n.\n");
		end = end ? end : p + strlen(p);
		*end = '\0';
		n += strstr(p, what) != NULL;
		end++;
	}
	free(all);
	return n;
}

/*
 * A feed that stops: status says so, the operator hears of it once, and
 * once more when it works again, by mail and through [health] command.
 */
static void
test_status_and_operator(void)
{
	char path[PATH_MAX * 2], cmd[PATH_MAX * 8], told[PATH_MAX * 3], *out;

	setup("");
	snprintf(path, sizeof path, "%s/tell.sh", dir);
	write_text(path, "#!/bin/sh\necho \"$1|$2|$3\" >> \"${0%/*}/told.txt\"\n");
	CHECK(chmod(path, 0755) == 0);
	snprintf(path, sizeof path, "%s/tenderlots.conf", dir);
	/* a command that is not there is named before anything runs */
	snprintf(cmd, sizeof cmd, "cp '%s' '%s.good' && printf '[health]\\n"
		 "command = nope.sh\\n' >> '%s'", path, path, path);
	CHECK(system(cmd) == 0);
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 1);
	out = dir_file("err.txt");
	CHECK(out && strstr(out, "tenderlots.conf:15: [health] command: "));
	CHECK(out && strstr(out, "/nope.sh: No such file or directory"));
	free(out);
	snprintf(cmd, sizeof cmd, "mv '%s.good' '%s' && printf '[health]\\n"
		 "operator = Drift <drift@exempelkommun.example>\\n"
		 "feed_silence = 1h\\ncommand = tell.sh\\n' >> '%s'", path, path,
		 path);
	CHECK(system(cmd) == 0);
	CHECK(tl(NOW_OPEN, "firm import -c tenderlots.conf firms.csv") == 0);
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	CHECK(tl(NOW_OPEN, "status -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "feed local: 9 notices, last success 25 November "
			    "2026, 09:00 (CET)"));
	CHECK(out && strstr(out, "outbox: 0 pending (0 retrying), 0 sending, 4 sent, "
			    "0 failed; last delivery 25 November 2026, 09:00 (CET)\n"));
	free(out);
	/* the feed's directory goes away: two hours later it is an incident */
	snprintf(cmd, sizeof cmd, "mv '%s/feeds' '%s/feeds.away'", dir, dir);
	CHECK(system(cmd) == 0);
	CHECK(tl("2026-11-25T09:00:00Z", "run --once -c tenderlots.conf") == 1);
	CHECK(mails_to("Drift <drift@exempelkommun.example>", "is failing") == 0);
	CHECK(tl("2026-11-25T10:30:00Z", "run --once -c tenderlots.conf") == 1);
	CHECK(mails_to("Drift <drift@exempelkommun.example>", "feed:local is failing") == 1);
	out = dir_file("told.txt");
	snprintf(told, sizeof told, "open|feed:local|The feed local (%s/feeds) "
		 "has not been read successfully for 2 hours. Last error: %s/"
		 "feeds: No such file or directory\n", dir, dir);
	CHECK_STR(out, told);
	free(out);
	CHECK(tl("2026-11-25T10:40:00Z", "status -c tenderlots.conf") == 3);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "SILENT: no success for too long"));
	free(out);
	/* once per incident */
	CHECK(tl("2026-11-25T11:00:00Z", "run --once -c tenderlots.conf") == 1);
	CHECK(mails_to("Drift <drift@exempelkommun.example>", "is failing") == 1);
	/* it works again: told once more */
	snprintf(cmd, sizeof cmd, "mv '%s/feeds.away' '%s/feeds'", dir, dir);
	CHECK(system(cmd) == 0);
	CHECK(tl("2026-11-25T12:00:00Z", "run --once -c tenderlots.conf") == 0);
	CHECK(mails_to("Drift <drift@exempelkommun.example>", "feed:local works again") == 1);
	out = dir_file("told.txt");
	CHECK(out && strstr(out, "\nclosed|feed:local|works again\n"));
	free(out);
	CHECK(tl("2026-11-25T13:00:00Z", "run --once -c tenderlots.conf") == 0);
	CHECK(mails_to("Drift <drift@exempelkommun.example>", "works again") == 1);
	CHECK(tl("2026-11-25T13:00:00Z", "status -c tenderlots.conf") == 0);
	rm_rf(dir);
}

/*
 * The relay is down for a day and a half: the passes go on, status and
 * the log say so, nothing is given up, and once the relay is back every
 * mail goes out once, the operator's two about the incident with them
 * (the first could not reach anyone while the relay was down, which is
 * why status also tells a monitor by its exit status).
 */
static void
test_relay_down(void)
{
	char cmd[PATH_MAX * 3], path[PATH_MAX * 2], *out;
	const char *when[] = {
		"2026-11-25T09:00:00Z", "2026-11-25T13:00:00Z",
		"2026-11-25T23:00:00Z", "2026-11-26T11:00:00Z",
	};
	int port = test_closed_port();
	struct smtpd srv;
	size_t i;

	setup("");
	snprintf(cmd, sizeof cmd, "sed -i 's|^maildir = var/mail$|transport = "
		 "smtp\\nsmtp_host = 127.0.0.1\\nsmtp_port = %d\\nstarttls = off|' "
		 "'%s/tenderlots.conf' && printf '[health]\\noperator = Drift "
		 "<drift@exempelkommun.example>\\n' >> '%s/tenderlots.conf'", port,
		 dir, dir);
	CHECK(system(cmd) == 0);
	snprintf(path, sizeof path, "%s/var/t.db", dir);
	CHECK(tl(NOW_OPEN, "firm import -c tenderlots.conf firms.csv") == 0);
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "mails:    4 queued, 0 sent, 5 deferred, 0 failed\n"));
	free(out);
	out = dir_file("err.txt");
	CHECK(out && strstr(out, "incident: outbox: 4 mails wait for another attempt"));
	CHECK(out && strstr(out, "Connection refused"));
	free(out);
	for (i = 0; i < sizeof when / sizeof *when; i++)
		CHECK(tl(when[i], "run --once -c tenderlots.conf") == 0);
	CHECK(db_query(path, "SELECT count(*) FROM message WHERE state = 'pending'"
		       " AND attempts > 1") == 5);
	CHECK(tl("2026-11-26T11:30:00Z", "status -c tenderlots.conf") == 3);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "outbox: 5 pending (5 retrying), 0 sending, 0 sent, "
			    "0 failed; last delivery never\n"
			    "  FAILING: 5 mails wait for another attempt\n"));
	free(out);
	if (smtpd_start(&srv, &(struct smtpd_options){ .port = port }) < 0) {
		CHECK(!"the SMTP server started");
		rm_rf(dir);
		return;
	}
	CHECK(tl("2026-11-26T20:00:00Z", "run --once -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "mails:    0 queued, 6 sent, 0 deferred, 0 failed\n"));
	free(out);
	CHECK(smtpd_count(&srv) == 6);
	CHECK(smtpd_saved_with(&srv, "To: Drift <drift@exempelkommun.example>") == 2);
	CHECK(smtpd_saved_with(&srv, "outbox is failing") == 1);
	CHECK(smtpd_saved_with(&srv, "outbox works again") == 1);
	CHECK(tl("2026-11-26T20:00:00Z", "status -c tenderlots.conf") == 0);
	CHECK(tl("2026-11-27T20:00:00Z", "run --once -c tenderlots.conf") == 0);
	CHECK(smtpd_count(&srv) == 6);
	CHECK(smtpd_stop(&srv) == 0);
	rm_rf(dir);
}

/* What follows prefix in the parsed mail m, up to (not with) the end. */
static void
field_after(const char *m, const char *prefix, char end, char *out, size_t len)
{
	const char *p = m ? strstr(m, prefix) : NULL;
	const char *e = p ? strchr(p + strlen(prefix), end) : NULL;

	out[0] = '\0';
	CHECK(e != NULL);
	if (e)
		snprintf(out, len, "%.*s", (int)(e - p - strlen(prefix)),
			 p + strlen(prefix));
}

/* A bounce fixture (testutil.h) as it came back to to, at dir/dest. */
static void
bounce_file(const char *name, const char *to, const char *rcpt,
	    const char *subject, const char *dest)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof path, "%s/%s", dir, dest);
	CHECK(bounce_fixture(project, name, to, rcpt, subject, path) == 0);
}

static long long
firm_query(const char *sql)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof path, "%s/var/t.db", dir);
	return db_query(path, sql);
}

/*
 * Mails go from a tagged bounce address; a report that comes back to it
 * in the inbox Maildir stops mail to the address, in this pass and the
 * next, and shows in status and the firm list; a forged one and an
 * unreadable file change nothing. The MTA's pipe takes an unsubscribe
 * mail with its tag, not one naming the public organisation number, and
 * says 75 while the store is busy.
 */
static void
test_bounces_and_unsubscribe_by_mail(void)
{
	char cmd[PATH_MAX * 6], bounce[256], unsub[256], subject[256];
	char *all, *m, *out;

	setup("");
	/* a mail a day: Berglunds's second match waits for the next pass */
	snprintf(cmd, sizeof cmd, "sed -i 's|^maildir = var/mail$|&\\ninbox = "
		 "var/inbox|' '%s/tenderlots.conf' && printf '[match]\\n"
		 "max_per_day = 1\\n' >> '%s/tenderlots.conf' && mkdir -p "
		 "'%s'/var/inbox/new '%s'/var/inbox/cur '%s'/var/inbox/tmp", dir,
		 dir, dir, dir, dir);
	CHECK(system(cmd) == 0);
	CHECK(tl(NOW_OPEN, "firm import -c tenderlots.conf firms.csv") == 0);
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	all = parsed_mails();
	m = mail_to(all, "info@berglunds-maleri.example", "Subject: Ny upphandling");
	field_after(m, "header Return-Path: <", '>', bounce, sizeof bounce);
	CHECK(strncmp(bounce, "bevakning+b-1-", 14) == 0);
	CHECK(strstr(bounce, "@exempelkommun.example") != NULL);
	free(m);
	m = mail_to(all, "sales@nordiccloud.example", "");
	field_after(m, "<mailto:", '?', unsub, sizeof unsub);
	field_after(m, "?subject=unsubscribe%20", '>', subject, sizeof subject);
	CHECK(strncmp(unsub, "bevakning+u-2-", 14) == 0);
	CHECK(strncmp(subject, "u-2-", 4) == 0);
	free(m);
	free(all);

	bounce_file("postfix-hard.eml", bounce, "info@berglunds-maleri.example",
		       "", "var/inbox/new/1.eml");
	bounce_file("postfix-hard.eml", "bevakning+b-4-aaaaaaaaaaaaaaaa@"
		       "exempelkommun.example", "offert@ljungs-schakt.example", "",
		       "var/inbox/new/2.eml");
	snprintf(cmd, sizeof cmd, "mkdir '%s/var/inbox/new/3.eml'", dir);
	CHECK(system(cmd) == 0);
	CHECK(tl(NEXT_DAY, "run --once -c tenderlots.conf") == 0);
	snprintf(cmd, sizeof cmd, "%s/var/inbox/cur", dir);
	CHECK(count_files(cmd) == 2);
	out = dir_file("err.txt");
	CHECK(out && strstr(out, "var/inbox/new/3.eml: cannot be read"));
	CHECK(out && strstr(out, "firm 556734-2182: a hard bounce; no more mail "
			    "to its address: 5.1.1 550 5.1.1"));
	CHECK(out && strstr(out, "a mail with a tag for firm 4 that is forged"));
	free(out);
	CHECK(tl(NEXT_DAY, "firm list -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "  mail to this address bounced on 2026-11-26: "
			    "5.1.1 550 5.1.1 <info@berglunds-maleri.example>: "
			    "Recipient address rejected: User unknown in virtual "
			    "mailbox table; change the address\n"));
	CHECK(out && !strstr(out, "ljungs-schakt.example\n  mail to"));
	free(out);
	CHECK(tl(NEXT_DAY, "status -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "  1 address bounced: no mail goes to it"));
	free(out);
	/* the match held back is not mailed to the address, then or later */
	CHECK(tl("2026-11-27T09:00:00Z", "run --once -c tenderlots.conf") == 0);
	CHECK(firm_query("SELECT count(*) FROM message WHERE rcpt = "
			 "'info@berglunds-maleri.example'") == 1);

	/* the pipe: forged (the organisation number anyone knows), then busy */
	bounce_file("unsubscribe.eml", "bevakning@exempelkommun.example",
		       "sales@nordiccloud.example", "avsluta 559318-8062",
		       "forged.eml");
	CHECK(tl(NOW_OPEN, "inbox -c tenderlots.conf < forged.eml") == 0);
	CHECK(firm_query("SELECT count(*) FROM firm WHERE unsubscribed_at "
			 "IS NOT NULL") == 0);
	bounce_file("unsubscribe.eml", unsub, "sales@nordiccloud.example",
		       "Unsubscribe", "unsub.eml");
	snprintf(cmd, sizeof cmd, "cd '%s' && (/usr/bin/python3 -c \"import "
		 "sqlite3, time; c = sqlite3.connect('var/t.db', isolation_level="
		 "None); c.execute('BEGIN IMMEDIATE'); open('locked', 'w').close(); "
		 "time.sleep(7)\" &) && while [ ! -e locked ]; do sleep 0.1; done",
		 dir);
	CHECK(system(cmd) == 0);
	CHECK(tl(NOW_OPEN, "inbox -c tenderlots.conf < unsub.eml") == 75);
	CHECK(firm_query("SELECT count(*) FROM firm WHERE unsubscribed_at "
			 "IS NOT NULL") == 0);
	sleep(3);
	CHECK(tl(NOW_OPEN, "inbox -c tenderlots.conf < unsub.eml") == 0);
	CHECK(firm_query("SELECT count(*) FROM firm WHERE unsubscribed_at IS NOT "
			 "NULL AND orgnr = '559318-8062'") == 1);
	rm_rf(dir);
}

/* A relay that refuses the recipient at once bounces it too. */
static void
test_refused_recipient_bounces(void)
{
	char cmd[PATH_MAX * 3];
	struct smtpd srv;
	char *out, *log;

	if (smtpd_start(&srv, &(struct smtpd_options){
			.mode = "reject info@berglunds-maleri.example" }) < 0) {
		CHECK(!"the SMTP server started");
		return;
	}
	setup("");
	snprintf(cmd, sizeof cmd, "sed -i 's|^maildir = var/mail$|transport = "
		 "smtp\\nsmtp_host = 127.0.0.1\\nsmtp_port = %d\\nstarttls = off|' "
		 "'%s/tenderlots.conf' && printf '[match]\\nmax_per_day = 1\\n' "
		 ">> '%s/tenderlots.conf'", srv.port, dir, dir);
	CHECK(system(cmd) == 0);
	CHECK(tl(NOW_OPEN, "firm import -c tenderlots.conf firms.csv") == 0);
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "mails:    3 queued, 2 sent, 0 deferred, 1 failed\n"));
	free(out);
	log = smtpd_log(&srv);
	CHECK(log && strstr(log, "\tMAIL\t<bevakning+b-"));
	free(log);
	CHECK(tl(NOW_OPEN, "firm list -c tenderlots.conf") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "  mail to this address bounced on 2026-11-25: "
			    "550 5.1.1 <info@berglunds-maleri.example>: no such "
			    "user; change the address\n"));
	free(out);
	/* the match held back for the next day is not mailed to it */
	CHECK(tl(NEXT_DAY, "run --once -c tenderlots.conf") == 0);
	CHECK(firm_query("SELECT count(*) FROM message WHERE rcpt = "
			 "'info@berglunds-maleri.example'") == 1);
	CHECK(smtpd_count(&srv) == 2);
	CHECK(smtpd_stop(&srv) == 0);
	rm_rf(dir);
}

/* One daemon per database; SIGHUP with a bad config keeps the good one. */
static void
test_daemon_lock_and_reload(void)
{
	const char *bin = getenv("TENDERLOTS_BIN");
	const struct timespec pause = { 0, 100L * 1000 * 1000 };
	char path[PATH_MAX * 2], good[PATH_MAX * 2], *text = NULL;
	pid_t pid;
	int i, status;

	setup("");
	snprintf(path, sizeof path, "%s/tenderlots.conf", dir);
	snprintf(good, sizeof good, "%s/good.conf", dir);
	text = read_text(path);
	write_text(good, text ? text : "");
	fflush(NULL);
	if ((pid = fork()) == 0) {
		if (chdir(dir) < 0 || !freopen("daemon.err", "w", stderr) ||
		    !freopen("/dev/null", "w", stdout))
			_exit(127);
		setenv("TENDERLOTS_NOW", NOW_OPEN, 1);
		execl(bin ? bin : "build/tenderlots", "tenderlots", "-c",
		      "tenderlots.conf", "run", "-d", (char *)NULL);
		_exit(127);
	}
	/* the daemon's first pass has begun once the database exists */
	snprintf(path, sizeof path, "%s/var/t.db.lock", dir);
	for (i = 0; i < 100 && access(path, F_OK) != 0; i++)
		nanosleep(&pause, NULL);
	nanosleep(&pause, NULL);
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 1);
	free(text);
	text = dir_file("err.txt");
	CHECK(text && strstr(text, "is in use by another tenderlots run (pid "));
	free(text);
	/* a bad configuration on SIGHUP: logged, the old one kept */
	snprintf(path, sizeof path, "%s/tenderlots.conf", dir);
	write_text(path, "[database]\npath = var/t.db\ncolour = blue\n");
	kill(pid, SIGHUP);
	for (i = 0; i < 50; i++) {
		nanosleep(&pause, NULL);
		text = dir_file("daemon.err");
		if (text && strstr(text, "not reloaded"))
			break;
		free(text);
		text = NULL;
	}
	CHECK(text && strstr(text, "tenderlots.conf:3: unknown key 'colour'"));
	CHECK(text && strstr(text, "not reloaded; the configuration in use stays"));
	free(text);
	CHECK(waitpid(pid, &status, WNOHANG) == 0);
	kill(pid, SIGTERM);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	rm_rf(dir);
}

/*
 * A full disk (a file size limit, as the kernel would refuse a write):
 * the pass fails and says so, nothing is half written, and the next pass
 * after the fault catches up without sending anything twice.
 */
static void
test_disk_full(void)
{
	const char *bin = getenv("TENDERLOTS_BIN");
	char cmd[PATH_MAX * 3], path[PATH_MAX * 2], *err;
	int st;

	setup("");
	CHECK(tl(NOW_OPEN, "firm import -c tenderlots.conf firms.csv") == 0);
	snprintf(cmd, sizeof cmd, "cd '%s' && ulimit -f 100 && TENDERLOTS_NOW=%s "
		 "'%s' run --once -c tenderlots.conf >out.txt 2>err.txt", dir,
		 NOW_OPEN, bin ? bin : "build/tenderlots");
	st = system(cmd);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	err = dir_file("err.txt");
	CHECK(err && strstr(err, "disk I/O error"));
	free(err);
	snprintf(path, sizeof path, "%s/var/t.db", dir);
	CHECK(db_query(path, "SELECT count(*) FROM pragma_integrity_check "
		    "WHERE integrity_check = 'ok'") == 1);
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	CHECK(db_query(path, "SELECT count(*) FROM notice") == 9);
	CHECK(db_query(path, "SELECT count(*) FROM message WHERE state = 'sent'") == 4);
	CHECK(count_mails() == 4);
	rm_rf(dir);
}

/*
 * A database on a file system the kernel made read-only (a bind mount
 * in a mount namespace of its own; without one, a directory the user
 * cannot write): the pass fails saying so, nothing stored is lost, and
 * once the file system is writable again the next pass catches up.
 */
static void
test_read_only_database(void)
{
	const char *bin = getenv("TENDERLOTS_BIN");
	char cmd[PATH_MAX * 4], path[PATH_MAX * 2], *err;
	int st;

	setup("");
	CHECK(tl(NOW_OPEN, "firm import -c tenderlots.conf firms.csv") == 0);
	if (system("unshare -m true 2>/dev/null") == 0)
		snprintf(cmd, sizeof cmd, "cd '%s' && TENDERLOTS_NOW=%s unshare -m "
			 "sh -c 'mount --bind -o ro var var && exec \"$0\" run "
			 "--once -c tenderlots.conf' '%s' >out.txt 2>err.txt", dir,
			 NOW_OPEN, bin ? bin : "build/tenderlots");
	else if (geteuid() != 0)
		snprintf(cmd, sizeof cmd, "cd '%s' && chmod a-w var && "
			 "TENDERLOTS_NOW=%s '%s' run --once -c tenderlots.conf "
			 ">out.txt 2>err.txt; st=$?; chmod u+w var; exit $st", dir,
			 NOW_OPEN, bin ? bin : "build/tenderlots");
	else {
		fprintf(stderr, "# root without mount namespaces: no read-only "
			"file system to try\n");
		rm_rf(dir);
		return;
	}
	st = system(cmd);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	err = dir_file("err.txt");
	CHECK(err && strstr(err, "var/t.db: cannot write in its directory "));
	free(err);
	snprintf(path, sizeof path, "%s/var/t.db", dir);
	CHECK(db_query(path, "SELECT count(*) FROM firm") == 4);
	CHECK(tl(NOW_OPEN, "run --once -c tenderlots.conf") == 0);
	CHECK(db_query(path, "SELECT count(*) FROM notice") == 9);
	CHECK(count_mails() == 4);
	rm_rf(dir);
}

int
main(void)
{
	if (!getcwd(project, sizeof project))
		return 2;
	RUN(test_import_run_and_mails);
	RUN(test_crash_while_sending_delivers_once);
	RUN(test_notice_category_and_advice_commands);
	RUN(test_outbox_commands);
	RUN(test_mail_that_cannot_be_built);
	RUN(test_expired_lots_are_not_mailed);
	RUN(test_late_firms_hear_of_what_is_open);
	RUN(test_values_in_other_currencies);
	RUN(test_rates_feed);
	RUN(test_bad_config_names_file_and_line);
	RUN(test_change_notice_by_publication_number);
	RUN(test_mail_says_what_a_firm_needs);
	RUN(test_award_names_winners);
	RUN(test_buyer_contact_not_an_address);
	RUN(test_change_and_reminder_of_the_firms_lots);
	RUN(test_firm_commands);
	RUN(test_show);
	RUN(test_meeting_commands);
	RUN(test_status_and_operator);
	RUN(test_daemon_lock_and_reload);
	RUN(test_relay_down);
	RUN(test_disk_full);
	RUN(test_read_only_database);
	RUN(test_bounces_and_unsubscribe_by_mail);
	RUN(test_refused_recipient_bounces);
	return test_done("e2e");
}
