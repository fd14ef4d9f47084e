/*
 * Crash safety through the real binary: `tenderlots run --once` is killed
 * with SIGKILL at random moments, again and again, while it ingests a
 * directory of notices for a register of a few hundred firms, queues their
 * mails and hands them to a real SMTP server on the loopback
 * (tests/smtpd.py); between kills more notice files arrive. Then it runs
 * to the end, and nothing may be lost or doubled beyond what the outbox
 * promises: every notice stored once, every match in a mail, every mail
 * sent, and at most one mail received twice per crash, with the same
 * Message-ID. A clean run over the same files into a Maildir says what
 * should have come out.
 *
 * The kills come after a pseudo-random delay from a fixed seed, spread
 * log-uniformly over 5-400 ms so that start-up and ingest are hit as well
 * as the slower delivery; which stage each kill hit is read from the
 * database it left behind.
 */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#include <sqlite3.h>

#include "test.h"
#include "testutil.h"
#include "testdb.h"
#include "smtpd.h"

#define NOW "2026-11-25T08:00:00Z"
#define SEED 20261125u

/*
 * Every notice file is polled and most firms matched against each, but the
 * mails are kept to some hundreds: on the loopback the mailer hands over
 * about twenty a second, each waiting out a delayed ACK, and the clean
 * finish has to send what the kills left.
 */
#define FIRMS 300
/* every MATCHING_EVERY-th firm works in a trade the sample notices want */
#define MATCHING_EVERY 25

#define NOTICES_FIRST 360
#define NOTICES_ADDED 120	/* before every ADD_EVERY-th cycle ... */
#define ADD_EVERY 4
#define ADD_UNTIL 28		/* ... up to this one */
/* one notice in LIVE_EVERY is a copy of a sample from feeds/ */
#define LIVE_EVERY 4

#define MIN_CYCLES 50
#define MAX_CYCLES 400
#define CYCLE_BUDGET 30		/* seconds for the cycles beyond MIN_CYCLES */
/* ... and, while no kill has reached delivery yet, up to this many */
#define CYCLE_BUDGET_SLOW 300
#define DELAY_MIN_MS 5
#define DELAY_MAX_MS 400
#define KILLS_BEFORE_STRETCH 10
#define DELAY_STRETCH_MAX_MS 51200

static char project[PATH_MAX];
static char dir[PATH_MAX];
static char db[PATH_MAX + 16];
static const char *bin;
static struct smtpd srv;

/* The codes of the firms that get mails; each fits one or two samples. */
static const char *const live_codes[] = {
	"45442100", "45310000", "45330000", "45112000", "90911300", "90620000",
	"15300000", "55520000", "60130000", "60120000", "72253000", "72220000",
};

/*
 * The codes of the other firms: trades no live sample wants, or only the
 * EU examples, whose deadlines have passed or whose places are abroad.
 */
static const char *const other_codes[] = {
	"79341000", "50712000", "77310000", "71630000", "75121000", "79622000",
};

/* A sample notice, with where its notice id is. */
struct sample {
	char *text;
	size_t id_start, id_end;
};

static struct sample *live, *dead;
static size_t nlive, ndead;
static int notices;		/* notice files written so far */

/* splitmix64: the same delays on every libc */
static uint64_t rng_state = SEED;

static uint64_t
rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Log-uniform, so short delays, which hit start-up and ingest, are many. */
static long
random_delay_ms(long max_ms)
{
	double u = (double)(rng_next() >> 11) / (double)(1ull << 53);

	return lround(DELAY_MIN_MS * exp(u * log((double)max_ms /
						 DELAY_MIN_MS)));
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int
is_xml(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return n > 4 && strcmp(de->d_name + n - 4, ".xml") == 0 &&
	       strncmp(de->d_name, "INVALID", 7) != 0;
}

/* The valid notices in project/sub, each with the place of its id. */
static size_t
load_samples(const char *sub, struct sample **out)
{
	static const char tag[] = "<cbc:ID schemeName=\"notice-id\">";
	char path[PATH_MAX * 2];
	struct dirent **names;
	struct sample *v;
	const char *p, *end;
	int n, i;

	snprintf(path, sizeof path, "%s/%s", project, sub);
	if ((n = scandir(path, &names, is_xml, alphasort)) <= 0 ||
	    !(v = calloc((size_t)n, sizeof *v))) {
		fprintf(stderr, "%s: no notices\n", path);
		exit(2);
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s/%s", project, sub,
			 names[i]->d_name);
		if (!(v[i].text = read_text(path)) ||
		    !(p = strstr(v[i].text, tag)) ||
		    !(end = strstr(p, "</cbc:ID>"))) {
			fprintf(stderr, "%s: no notice id\n", path);
			exit(2);
		}
		v[i].id_start = (size_t)(p - v[i].text) + sizeof tag - 1;
		v[i].id_end = (size_t)(end - v[i].text);
		free(names[i]);
	}
	free(names);
	*out = v;
	return (size_t)n;
}

static void
free_samples(struct sample *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

/*
 * Notice file k: a sample under a notice id of its own. Renamed into
 * place, as a download would be, so a run never reads half a file.
 */
static void
write_notice(int k)
{
	const struct sample *s = k % LIVE_EVERY == 0 ?
				 &live[(size_t)(k / LIVE_EVERY) % nlive] :
				 &dead[(size_t)k % ndead];
	char tmp[PATH_MAX * 2], path[PATH_MAX * 2];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s/feeds/.n%05d.tmp", dir, k);
	snprintf(path, sizeof path, "%s/feeds/n%05d.xml", dir, k);
	if (!(f = fopen(tmp, "w")) ||
	    fwrite(s->text, 1, s->id_start, f) != s->id_start ||
	    fprintf(f, "c4a5e000-0000-4000-8000-%012d", k) < 0 ||
	    fputs(s->text + s->id_end, f) == EOF || fclose(f) != 0 ||
	    rename(tmp, path) < 0) {
		perror(path);
		exit(2);
	}
}

static void
add_notices(int n)
{
	while (n-- > 0)
		write_notice(notices++);
}

/* An organisation number that passes the Luhn check, as NNNNNN-NNNN. */
static void
orgnr(int k, char out[12])
{
	char d[10];
	int i, sum = 0, x;

	snprintf(d, sizeof d, "55610%04d", k);
	for (i = 0; i < 9; i++) {
		x = (d[i] - '0') * (i % 2 == 0 ? 2 : 1);
		sum += x > 9 ? x - 9 : x;
	}
	snprintf(out, 12, "%.6s-%.3s%d", d, d + 6, (10 - sum % 10) % 10);
}

static void
write_firms(const char *path)
{
	FILE *f = fopen(path, "w");
	char nr[12];
	int k;

	if (!f) {
		perror(path);
		exit(2);
	}
	fputs("orgnr,name,email,cpv,regions\n", f);
	for (k = 0; k < FIRMS; k++) {
		orgnr(k, nr);
		if (k % MATCHING_EVERY == 0)
			fprintf(f, "%s,Firma %d AB,f%d@firma.example,%s,"
				"SE232 SE231 SE332\n", nr, k, k,
				live_codes[(size_t)(k / MATCHING_EVERY) %
					   (sizeof live_codes / sizeof *live_codes)]);
		else
			fprintf(f, "%s,Firma %d AB,f%d@firma.example,%s,SE232\n",
				nr, k, k, other_codes[(size_t)k %
					(sizeof other_codes / sizeof *other_codes)]);
	}
	if (fclose(f) != 0) {
		perror(path);
		exit(2);
	}
}

/* A configuration in sub/ of the test directory. */
static void
write_config(const char *sub, const char *mail, const char *feeds)
{
	char path[PATH_MAX * 2], text[PATH_MAX * 6];

	snprintf(text, sizeof text,
		 "[database]\npath = var/t.db\n"
		 "[service]\nsecret_file = var/secret\n"
		 "[mail]\n%s\ntemplates = %s/templates\n"
		 "from = Exempelkommun bevakning <bevakning@exempelkommun.example>\n"
		 "[feeds]\nfile = feeds.conf\n"
		 "[categories]\nfile = %s/config/categories.conf\n"
		 /* everything is due today: no match waits for tomorrow */
		 "[match]\nmax_per_day = 1000\n",
		 mail, project, project);
	snprintf(path, sizeof path, "%s/%s/tenderlots.conf", dir, sub);
	write_text(path, text);
	snprintf(text, sizeof text, "[local]\nkind = eforms\nurl = %s\n", feeds);
	snprintf(path, sizeof path, "%s/%s/feeds.conf", dir, sub);
	write_text(path, text);
}

/*
 * Runs the binary to its end in dir/sub (under $TENDERLOTS_WRAPPER, e.g.
 * valgrind); stdout and stderr go to out.txt and err.txt there. Returns
 * the exit status.
 */
static int
tl(const char *sub, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
tl(const char *sub, const char *fmt, ...)
{
	const char *wrapper = getenv("TENDERLOTS_WRAPPER");
	char args[1024], cmd[PATH_MAX * 3];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof cmd, "cd '%s/%s' && TENDERLOTS_NOW=%s %s '%s' %s "
		 "-c tenderlots.conf >out.txt 2>err.txt", dir, sub, NOW,
		 wrapper ? wrapper : "", bin, args);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *
sub_file(const char *sub, const char *name)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name);
	return read_text(path);
}

/*
 * `run --once` in dir/sub as a child of its own, outside any wrapper: a
 * killed valgrind would prove nothing. Its output is appended to run.log.
 */
static pid_t
spawn_run(const char *sub)
{
	char where[PATH_MAX * 2];

	pid_t pid;
	int fd;

	fflush(NULL);
	if ((pid = fork()) < 0) {
		perror("fork");
		exit(2);
	}
	if (pid > 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	snprintf(where, sizeof where, "%s/%s", dir, sub);
	if (chdir(where) < 0 ||
	    (fd = open("run.log", O_WRONLY | O_CREAT | O_APPEND, 0600)) < 0 ||
	    dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		_exit(127);
	execl(bin, bin, "run", "--once", "-c", "tenderlots.conf", (char *)NULL);
	_exit(127);
}

/* Occurrences of needle in the server's log. */
static int
log_count(const char *needle)
{
	char *log = smtpd_log(&srv), *p;
	int n = 0;

	for (p = log; p && (p = strstr(p, needle)); p++)
		n++;
	free(log);
	return n;
}

/*
 * Waits until the server has seen every session end: what a killed client
 * left half sent is then discarded, and what it sent whole is saved.
 */
static int
server_settled(void)
{
	int i;

	for (i = 0; i < 2000; i++) {
		if (log_count("\tCONNECT\t") == log_count("\tCLOSE\t"))
			return 1;
		sleep_ms(1);
	}
	return 0;
}

/* The Message-ID in a mail's header, without the brackets; NULL if none. */
static char *
message_id_of(const char *mail)
{
	const char *p = strstr(mail, "\nMessage-ID: <"), *end;

	if (!p || !(end = strchr(p + 14, '>')))
		return NULL;
	return strndup(p + 14, (size_t)(end - p - 14));
}

/* What the server received: the Message-ID of each copy, in order. */
static char **received;
static size_t nreceived;

/* Reads the copies saved since the last call; -1 if one has no ID. */
static int
read_received(void)
{
	int n = smtpd_count(&srv), rc = 0;
	char **v, *mail;

	if (n <= (int)nreceived)
		return 0;
	if (!(v = realloc(received, (size_t)n * sizeof *v))) {
		perror("realloc");
		exit(2);
	}
	received = v;
	while ((int)nreceived < n) {
		mail = smtpd_message(&srv, (int)nreceived + 1);
		if (!(received[nreceived] = mail ? message_id_of(mail) : NULL)) {
			if (!(received[nreceived] = strdup(""))) {
				perror("strdup");
				exit(2);
			}
			rc = -1;
		}
		nreceived++;
		free(mail);
	}
	return rc;
}

/*
 * A message in the outbox: the Message-ID its stored text carries ("" if
 * none), and whether it is marked sent.
 */
struct queued {
	char *msgid;
	int sent;
};

static struct queued *outbox;
static size_t noutbox;

static int
cmp_queued(const void *a, const void *b)
{
	return strcmp(((const struct queued *)a)->msgid,
		      ((const struct queued *)b)->msgid);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
free_outbox(void)
{
	size_t i;

	for (i = 0; i < noutbox; i++)
		free(outbox[i].msgid);
	free(outbox);
	outbox = NULL;
	noutbox = 0;
}

/*
 * Loads the outbox, sorted by Message-ID, read from each stored message as
 * it went to the server. -1 if the database cannot be read.
 */
static int
load_outbox(void)
{
	static const char sql[] =
		"SELECT state = 'sent', CASE WHEN p > 14 THEN"
		"  substr(b, p, instr(substr(b, p), '>') - 1) END"
		" FROM (SELECT state, b, instr(b, char(10) || 'Message-ID: <') + 14"
		"  AS p FROM (SELECT state, CAST(t.body AS TEXT) AS b FROM message m"
		"  LEFT JOIN message_body t ON t.message = m.id))";
	sqlite3_stmt *st = NULL;
	sqlite3 *h = NULL;
	struct queued *v;
	const char *text;
	size_t cap = 0;
	int rc = -1;

	free_outbox();
	if (sqlite3_open(db, &h) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (noutbox == cap) {
			cap = cap ? 2 * cap : 256;
			if (!(v = realloc(outbox, cap * sizeof *v))) {
				perror("realloc");
				exit(2);
			}
			outbox = v;
		}
		text = (const char *)sqlite3_column_text(st, 1);
		outbox[noutbox].sent = sqlite3_column_int(st, 0);
		if (!(outbox[noutbox++].msgid = strdup(text ? text : ""))) {
			perror("strdup");
			exit(2);
		}
	}
	if (noutbox)
		qsort(outbox, noutbox, sizeof *outbox, cmp_queued);
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_close(h);
	return rc;
}

static const struct queued *
find_queued(const char *msgid)
{
	struct queued key = { (char *)msgid, 0 };

	return noutbox ? bsearch(&key, outbox, noutbox, sizeof *outbox,
				 cmp_queued) : NULL;
}

/* The database as a killed run left it. */
struct snapshot {
	long long notices, messages, attempts, sending;
};

static void
snapshot(struct snapshot *s)
{
	s->notices = db_query(db, "SELECT count(*) FROM notice");
	s->messages = db_query(db, "SELECT count(*) FROM message");
	s->attempts = db_query(db, "SELECT coalesce(sum(attempts), 0) FROM message");
	s->sending = db_query(db, "SELECT count(*) FROM message WHERE state = 'sending'");
}

/* Where the kills landed: the furthest stage each run left a trace of. */
enum stage { START, INGEST, QUEUE, DELIVERY, NSTAGES };

static const char *const stage_names[] = {
	[START] = "start-up and polling, with nothing new to ingest",
	[INGEST] = "before or during ingest",
	[QUEUE] = "matching and queueing",
	[DELIVERY] = "delivery",
};

static enum stage
stage_of(const struct snapshot *before, const struct snapshot *after)
{
	/* a batch is marked as being sent before it goes */
	if (after->attempts > before->attempts)
		return DELIVERY;
	if (after->messages > before->messages)
		return QUEUE;
	if (after->notices < notices)
		return INGEST;
	/* all stored by this run, none of it queued yet */
	if (after->notices > before->notices)
		return QUEUE;
	return START;
}

/* What the cycles saw, for the checks after them and the summary. */
static int cycles, kills, finished, mid_batch, unrecorded_copies;
static int stages[NSTAGES];
static double cycles_took;

static void
setup(void)
{
	char path[PATH_MAX * 2], cmd[PATH_MAX * 4];

	make_tmpdir(dir, "test_crash");
	snprintf(db, sizeof db, "%s/var/t.db", dir);
	snprintf(cmd, sizeof cmd, "mkdir '%s/feeds' '%s/ref' '%s/md'", dir, dir,
		 dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "setup failed: %s\n", cmd);
		exit(2);
	}
	nlive = load_samples("feeds", &live);
	ndead = load_samples("tests/fixtures/eforms", &dead);
	snprintf(path, sizeof path, "%s/firms.csv", dir);
	write_firms(path);
}

static void
test_kill_run_again_and_again(void)
{
	char mail[128], *out;
	struct snapshot before, after;
	struct timespec t0, started;
	size_t seen, i;
	pid_t pid;
	long delay, delay_max = DELAY_MAX_MS;
	int status, ended, lost, at_delivery, killed_in_a_row = 0;

	if (smtpd_start(&srv, &(struct smtpd_options){ 0 }) < 0) {
		CHECK(!"the SMTP server started");
		return;
	}
	snprintf(mail, sizeof mail, "transport = smtp\nsmtp_host = 127.0.0.1\n"
		 "smtp_port = %d\nstarttls = off\nsmtp_timeout = 10s", srv.port);
	write_config(".", mail, "feeds");
	CHECK(tl(".", "firm import firms.csv") == 0);
	out = sub_file(".", "out.txt");
	CHECK(out && strstr(out, "300 firms imported (300 new, 0 updated)"));
	free(out);
	add_notices(NOTICES_FIRST);
	setenv("TENDERLOTS_NOW", NOW, 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (cycles < MIN_CYCLES ||
	       (cycles < MAX_CYCLES &&
		(seconds_since(&t0) < CYCLE_BUDGET ||
		 (!stages[DELIVERY] && seconds_since(&t0) < CYCLE_BUDGET_SLOW)))) {
		cycles++;
		if (cycles % ADD_EVERY == 0 && cycles <= ADD_UNTIL)
			add_notices(NOTICES_ADDED);
		snapshot(&before);
		seen = nreceived;
		/*
		 * A slower build (sanitizers, valgrind, a busy machine) needs
		 * longer to reach delivery: when runs keep being killed before
		 * they end, the delays stretch, so the kills still spread over
		 * every stage of a run.
		 */
		if (killed_in_a_row >= KILLS_BEFORE_STRETCH &&
		    delay_max < DELAY_STRETCH_MAX_MS) {
			delay_max *= 2;
			killed_in_a_row = 0;
		}
		delay = random_delay_ms(delay_max);
		/*
		 * On a busy machine a random delay may never fall in the
		 * few milliseconds a run delivers: until one has, every
		 * third run is killed as the server takes a copy from it.
		 */
		at_delivery = !stages[DELIVERY] && cycles % 3 == 0;
		clock_gettime(CLOCK_MONOTONIC, &started);
		pid = spawn_run(".");
		while (!(ended = waitpid(pid, &status, WNOHANG) == pid) &&
		       (at_delivery ? smtpd_count(&srv) <= (int)seen :
			seconds_since(&started) * 1000 < (double)delay))
			sleep_ms(1);
		if (!ended) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
		}
		CHECK(server_settled());
		CHECK(read_received() == 0);
		CHECK(load_outbox() == 0);
		/* copies the server took that the store does not know went */
		for (lost = 0, i = seen; i < nreceived; i++) {
			const struct queued *q = find_queued(received[i]);

			CHECK(q != NULL);
			lost += q && !q->sent;
		}
		snapshot(&after);
		killed_in_a_row = WIFSIGNALED(status) ? killed_in_a_row + 1 : 0;
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
			kills++;
			stages[stage_of(&before, &after)]++;
			mid_batch += after.sending > 0 &&
				     after.attempts > before.attempts;
			/* at most the one mail that was with the server */
			CHECK(lost <= 1);
		} else {
			finished++;
			CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
			CHECK(lost == 0);
			CHECK(after.sending == 0);
		}
		unrecorded_copies += lost;
		if (test_failures_in_current) {
			fprintf(stderr, "  cycle %d: %ld ms, %s\n", cycles, delay,
				WIFSIGNALED(status) ? "killed" : "finished");
			break;
		}
	}
	cycles_took = seconds_since(&t0);
	if (test_failures_in_current)
		return;
	CHECK(cycles >= MIN_CYCLES);
	/* Kills must have hit the runs at work, not only after it. */
	CHECK(kills >= MIN_CYCLES / 2);
	CHECK(stages[INGEST] > 0 && stages[DELIVERY] > 0);
}

/* Runs again, unkilled, until a pass finds nothing to do. */
static void
test_finish_after_crashes(void)
{
	char *out;
	int passes, idle = 0;

	for (passes = 0; passes < 4 && !idle; passes++) {
		CHECK(tl(".", "run --once") == 0);
		out = sub_file(".", "out.txt");
		CHECK(out != NULL);
		idle = out && strstr(out, "notices:  0 new, 0 changed, 0 unchanged, "
				     "0 rejected\n") &&
		       strstr(out, "mails:    0 queued, 0 sent, 0 deferred, 0 failed\n");
		free(out);
	}
	CHECK(idle);
	CHECK(server_settled());
	CHECK(read_received() == 0);
	CHECK(load_outbox() == 0);
}

/*
 * The first column of the first row of sql over the crashed database with
 * the clean run's attached as ref; -1 on error.
 */
static long long
both_query(const char *sql)
{
	char attach[PATH_MAX + 64];
	sqlite3_stmt *st;
	sqlite3 *h;
	long long v = -1;

	snprintf(attach, sizeof attach, "ATTACH '%s/ref/var/t.db' AS ref", dir);
	if (sqlite3_open(db, &h) == SQLITE_OK &&
	    sqlite3_exec(h, attach, NULL, NULL, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	return v;
}

static void
test_every_notice_stored_once(void)
{
	CHECK(db_query(db, "SELECT count(*) FROM notice") == notices);
	CHECK(db_query(db, "SELECT count(DISTINCT notice_id) FROM notice") == notices);
	CHECK(db_query(db, "SELECT count(*) FROM (SELECT 1 FROM notice"
		       " GROUP BY notice_id, version HAVING count(*) > 1)") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM notice"
		       " WHERE notice_id NOT LIKE 'c4a5e000-%'") == 0);
	/* each file read once, none refused */
	CHECK(db_query(db, "SELECT count(*) FROM feed_item") == notices);
	CHECK(db_query(db, "SELECT count(*) FROM quarantine") == 0);
}

static void
test_every_mail_sent_and_received(void)
{
	size_t i, j, distinct = 0, repeats = 0, unknown = 0, missing = 0;
	char **ids;

	CHECK(noutbox > 0);
	CHECK(db_query(db, "SELECT count(*) FROM message WHERE state <> 'sent'") == 0);
	/*
	 * No server ever refused a mail here, so each was sent at its first
	 * counted attempt: a crash is no attempt, or a message crashed in
	 * delivery ten times would be given up without a server's word.
	 */
	CHECK(db_query(db, "SELECT max(attempts) FROM message") == 1);
	/* each stored mail carries its own Message-ID */
	for (i = 0; i < noutbox; i++) {
		CHECK(outbox[i].msgid[0] != '\0');
		if (i > 0)
			CHECK(strcmp(outbox[i - 1].msgid, outbox[i].msgid) != 0);
	}
	if (!(ids = malloc((nreceived ? nreceived : 1) * sizeof *ids))) {
		perror("malloc");
		exit(2);
	}
	if (nreceived)
		memcpy(ids, received, nreceived * sizeof *ids);
	qsort(ids, nreceived, sizeof *ids, cmp_str);
	for (i = 0; i < nreceived; i = j) {
		for (j = i + 1; j < nreceived && strcmp(ids[i], ids[j]) == 0; j++)
			repeats++;
		distinct++;
		if (!find_queued(ids[i]) && unknown++ < 5)
			fprintf(stderr, "  received %s, which is not in the outbox\n",
				ids[i]);
	}
	for (i = 0; i < noutbox; i++)
		if (!bsearch(&outbox[i].msgid, ids, nreceived, sizeof *ids,
			     cmp_str) && missing++ < 5)
			fprintf(stderr, "  %s never arrived\n", outbox[i].msgid);
	free(ids);
	CHECK(unknown == 0);
	CHECK(missing == 0);
	CHECK(distinct == noutbox);
	/*
	 * At worst one repeat per crash; each repeat is of a copy the store
	 * did not know had gone, and each such copy was sent again.
	 */
	CHECK(repeats <= (size_t)kills);
	CHECK(repeats == (size_t)unrecorded_copies);
	fprintf(stderr, "  %d cycles in %.1f s: %d killed, %d finished; kills "
		"landed in", cycles, cycles_took, kills, finished);
	for (i = 0; i < NSTAGES; i++)
		fprintf(stderr, "%s %s %d", i ? "," : "", stage_names[i], stages[i]);
	fprintf(stderr, "; %d left a batch being sent\n", mid_batch);
	fprintf(stderr, "  %d notices, %zu mails, %zu copies received, %zu "
		"repeated\n", notices, noutbox, nreceived, repeats);
}

/*
 * What a clean run over the same files and firms makes, into a Maildir:
 * the same matches, grouped into the same mails, and every match of the
 * crashed database in a mail that was sent.
 */
static void
test_same_as_a_clean_run(void)
{
	char feeds[PATH_MAX + 16];

	snprintf(feeds, sizeof feeds, "%s/feeds", dir);
	write_config("ref", "maildir = var/mail", feeds);
	CHECK(tl("ref", "firm import ../firms.csv") == 0);
	CHECK(tl("ref", "run --once") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM match WHERE message IS NULL") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM match m JOIN message g"
		       " ON g.id = m.message WHERE g.state <> 'sent'") == 0);
	/* the daily cap held nothing back */
	CHECK(db_query(db, "SELECT coalesce(max(n), 0) FROM (SELECT count(*)"
		       " AS n FROM match GROUP BY firm)") < 1000);
	CHECK(both_query("SELECT (SELECT count(*) FROM main.match) -"
			 " (SELECT count(*) FROM ref.match)") == 0);
	CHECK(both_query("SELECT count(*) FROM ("
			 "SELECT f.orgnr, m.notice_id, m.lot_id, m.kind"
			 " FROM main.match m JOIN main.firm f ON f.id = m.firm"
			 " EXCEPT SELECT f.orgnr, m.notice_id, m.lot_id, m.kind"
			 " FROM ref.match m JOIN ref.firm f ON f.id = m.firm)") == 0);
	CHECK(both_query("SELECT (SELECT count(*) FROM main.message) -"
			 " (SELECT count(*) FROM ref.message)") == 0);
	CHECK(both_query("SELECT count(*) FROM ("
			 "SELECT f.orgnr, min(m.notice_id), max(m.notice_id), count(*)"
			 " FROM main.match m JOIN main.firm f ON f.id = m.firm"
			 " GROUP BY m.message"
			 " EXCEPT SELECT f.orgnr, min(m.notice_id), max(m.notice_id),"
			 " count(*) FROM ref.match m JOIN ref.firm f ON f.id = m.firm"
			 " GROUP BY m.message)") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM match") > 100);
}

/*
 * The same notices and firms delivered into a Maildir, each run killed as
 * soon as a file of its appears in new/, and so between the Maildir's
 * delivery and the store's record of it (or during the Maildir's chunk):
 * the next run gives those mails again, under the same keys, and the
 * Maildir finds them there. In the end each mail is in new/ once, not
 * one copy more, and as many as the clean run delivered.
 */
static void
test_maildir_kills_leave_no_copy(void)
{
	char feeds[PATH_MAX + 16], newdir[PATH_MAX + 32], path[PATH_MAX * 2];
	char **ids = NULL, *out, *mail;
	struct dirent *e;
	DIR *d;
	size_t n = 0, i;
	int cycle, killed = 0, status, before, files, idle = 0, passes;
	struct timespec started;
	pid_t pid;

	snprintf(feeds, sizeof feeds, "%s/feeds", dir);
	snprintf(newdir, sizeof newdir, "%s/md/var/mail/new", dir);
	write_config("md", "maildir = var/mail", feeds);
	CHECK(tl("md", "firm import ../firms.csv") == 0);
	for (cycle = 0; cycle < 40 && killed < 12; cycle++) {
		before = count_files(newdir);
		clock_gettime(CLOCK_MONOTONIC, &started);
		pid = spawn_run("md");
		while (waitpid(pid, &status, WNOHANG) != pid) {
			if (count_files(newdir) > before ||
			    seconds_since(&started) > 60) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
				break;
			}
			sleep_ms(1);
		}
		killed += WIFSIGNALED(status);
		if (!WIFSIGNALED(status))
			break;
	}
	CHECK(killed > 0);
	for (passes = 0; passes < 4 && !idle; passes++) {
		CHECK(tl("md", "run --once") == 0);
		out = sub_file("md", "out.txt");
		idle = out && strstr(out, "mails:    0 queued, 0 sent, 0 deferred,"
				     " 0 failed\n");
		free(out);
	}
	CHECK(idle);
	snprintf(path, sizeof path, "%s/md/var/t.db", dir);
	files = count_files(newdir);
	CHECK(files > 0);
	CHECK(files == db_query(path, "SELECT count(*) FROM message"));
	CHECK(db_query(path, "SELECT count(*) FROM message WHERE state <> 'sent'")
	      == 0);
	snprintf(path, sizeof path, "%s/ref/var/t.db", dir);
	CHECK(files == db_query(path, "SELECT count(*) FROM message"));
	/* and no two files carry one Message-ID */
	if ((d = opendir(newdir)) &&
	    (ids = calloc((size_t)(files > 0 ? files : 1), sizeof *ids))) {
		while ((e = readdir(d)) && n < (size_t)files) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "%s/%s", newdir, e->d_name);
			mail = read_text(path);
			ids[n++] = mail ? message_id_of(mail) : NULL;
			free(mail);
		}
	}
	if (d)
		closedir(d);
	for (i = 0; i < n; i++)
		CHECK(ids[i] != NULL);
	for (i = 0; i < n && ids[i]; i++)
		;
	if (i == n && n > 0) {
		qsort(ids, n, sizeof *ids, cmp_str);
		for (i = 1; i < n; i++)
			CHECK(strcmp(ids[i - 1], ids[i]) != 0);
	}
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	fprintf(stderr, "  Maildir: %d runs killed during delivery, %d files\n",
		killed, files);
}

static void
test_database_intact(void)
{
	sqlite3_stmt *st;
	sqlite3 *h;

	CHECK(sqlite3_open(db, &h) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st,
				 NULL) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	CHECK(sqlite3_prepare_v2(h, "PRAGMA foreign_key_check", -1, &st,
				 NULL) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(h);
}

int
main(void)
{
	char path[PATH_MAX + 32];
	size_t i;

	if (!getcwd(project, sizeof project))
		return 2;
	if (!(bin = getenv("TENDERLOTS_BIN"))) {
		snprintf(path, sizeof path, "%s/build/tenderlots", project);
		bin = path;
	}
	setup();
	RUN(test_kill_run_again_and_again);
	RUN(test_finish_after_crashes);
	RUN(test_every_notice_stored_once);
	RUN(test_every_mail_sent_and_received);
	RUN(test_same_as_a_clean_run);
	RUN(test_maildir_kills_leave_no_copy);
	RUN(test_database_intact);
	if (srv.pid > 0)
		smtpd_stop(&srv);
	if (test_failed_count)
		fprintf(stderr, "the runs' output and database are in %s\n", dir);
	else
		rm_rf(dir);
	for (i = 0; i < nreceived; i++)
		free(received[i]);
	free(received);
	free_outbox();
	free_samples(live, nlive);
	free_samples(dead, ndead);
	return test_done("crash");
}
