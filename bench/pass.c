/*
 * A whole pass of the daemon over a TED publication day: 5,000 notice
 * files in a directory feed and 10,000 firms around Exempelkommun. One
 * real run_pass polls, reads, parses, stores, splits and matches, queues
 * the mails and delivers them into a Maildir, so delivery costs a file
 * and an fsync rather than an SMTP session (bench/mail measures those).
 * The baseline is a bare libxml2 parse of the same files.
 *
 * Then the days after, up to ten (50,000 notices) in one process and one
 * database: neither a pass's time nor the peak memory may grow with the
 * notices processed before it.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "bench.h"

#define DAY 5000
#define FIRMS 10000
/*
 * Up to DAYS daily passes, but none begun that would likely end after
 * BUDGET seconds of passes (it is likely to take as long as the one
 * before): a pass that slows down day by day must not hold up the run.
 */
#ifndef DAYS			/* -DDAYS=1: the first day alone, to profile */
#define DAYS 10
#endif
#define BUDGET 120
#define ROUNDS 3		/* of the baseline, best kept; a pass is long */
/* Wed 18 Nov 2026, 11:06 UTC: the bundled notices' deadlines are ahead. */
#define START 1795000000

/* What the process of passes reports, day by day. */
struct day {
	double seconds;		/* of the day's pass */
	long peak_kib;		/* peak resident memory of the passes so far */
	long long written;	/* bytes the pass had the disk write */
	long long mail_bytes;	/* of the mails it delivered into the Maildir */
	struct run_summary sum;
};

struct bench {
	struct bench_notices notices;
	char work[64];
	char inbox[128], db[128], maildir[128];
	struct category_set categories;
};

/* The bytes this process has had the disk write so far, -1 if unknown. */
static long long
written_bytes(void)
{
	return bench_proc_self("io", "write_bytes");
}

/* The size of the files in dir (the Maildir's new/), in bytes. */
static long long
dir_bytes(const char *dir)
{
	struct dirent *e;
	struct stat st;
	long long n = 0;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d)))
		if (fstatat(dirfd(d), e->d_name, &st, 0) == 0 &&
		    S_ISREG(st.st_mode))
			n += st.st_size;
	if (d)
		closedir(d);
	return n;
}

/*
 * Daily passes over the inbox into a fresh database holding the firms,
 * the first day's notices being those the baseline parses; how many.
 */
static int
run_days(struct bench *b, struct day *out)
{
	struct bench_daemon dm;
	struct firm_list firms = { 0 };
	double spent = 0;
	long long mail = 0;
	char newdir[160];
	size_t i;
	int d, created;

	bench_daemon_open(&dm, b->db, b->inbox, b->maildir, &b->categories, 0);
	if (bench_make_firms(&b->categories, FIRMS, &firms) < 0 ||
	    store_begin(dm.ctx.store) < 0)
		exit(1);
	for (i = 0; i < firms.n; i++)
		if (store_put_firm(dm.ctx.store, firms.v[i], "bench", START,
				   &created) < 0)
			exit(1);
	firm_list_release(&firms);
	if (store_commit(dm.ctx.store) < 0 || bench_reset_peak() < 0)
		exit(1);
	for (d = 0; d < DAYS; d++) {
		if (d > 0 && spent + out[d - 1].seconds > BUDGET)
			break;
		/* The inbox holds the day's notices, as a daily download. */
		bench_rm_rf(b->inbox);
		bench_write_notices(&b->notices, b->inbox, d * DAY, DAY);
		dm.ctx.now = START + d * 24 * 3600;
		out[d].written = written_bytes();
		out[d].seconds = bench_now();
		if (run_pass(&dm.ctx, &out[d].sum) < 0)
			exit(1);
		out[d].seconds = bench_now() - out[d].seconds;
		/* what the kernel still holds counts too */
		sync();
		out[d].written = written_bytes() - out[d].written;
		snprintf(newdir, sizeof newdir, "%s/new", b->maildir);
		out[d].mail_bytes = dir_bytes(newdir) - mail;
		mail += out[d].mail_bytes;
		spent += out[d].seconds;
		if ((out[d].peak_kib = bench_peak_kib()) < 0)
			exit(1);
	}
	bench_daemon_close(&dm);
	return d;
}

/*
 * run_days in a process of its own, as the daemon is; how many days it
 * passed, -1 if it failed.
 */
static int
measure_days(struct bench *b, struct day *out)
{
	int n, status, fd[2];
	ssize_t want;
	pid_t pid;

	if (pipe(fd) < 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		close(fd[0]);
		n = run_days(b, out);
		want = (ssize_t)(n * sizeof *out);
		_exit(write(fd[1], &n, sizeof n) == sizeof n &&
		      write(fd[1], out, (size_t)want) == want ? 0 : 1);
	}
	close(fd[1]);
	if (read(fd[0], &n, sizeof n) != sizeof n || n < 1 || n > DAYS ||
	    read(fd[0], out, n * sizeof *out) != (ssize_t)(n * sizeof *out))
		n = -1;
	close(fd[0]);
	if (waitpid(pid, &status, 0) != pid || status != 0)
		return -1;
	return n;
}

int
main(void)
{
	static struct bench b;
	static struct day days[DAYS];
	char day[128], figure[64];
	double base = 1e300, t;
	int r, n;

	snprintf(b.work, sizeof b.work, "/tmp/tenderlots-bench.XXXXXX");
	if (bench_notices_load(&b.notices) < 0 || !mkdtemp(b.work) ||
	    category_load("config/categories.conf", &b.categories) < 0) {
		fprintf(stderr, "bench/pass: no notices or categories "
			"(run from the project root)\n");
		return 1;
	}
	snprintf(day, sizeof day, "%s/day", b.work);
	snprintf(b.inbox, sizeof b.inbox, "%s/inbox", b.work);
	snprintf(b.db, sizeof b.db, "%s/bench.db", b.work);
	snprintf(b.maildir, sizeof b.maildir, "%s/mail", b.work);
	bench_write_notices(&b.notices, day, 0, DAY);
	for (r = 0; r < ROUNDS; r++)
		if ((t = bench_bare_parse(day)) < base)
			base = t;
	if ((n = measure_days(&b, days)) < 0) {
		fprintf(stderr, "bench/pass: the passes failed\n");
		bench_rm_rf(b.work);
		return 1;
	}
	printf("pass: %d notice files a day (%d Swedish), %d firms\n", DAY,
	       DAY / BENCH_LOCAL_EVERY, FIRMS);
	printf("  libxml2 parse only  %8.3f s  (baseline, best of %d)\n", base,
	       ROUNDS);
	for (r = 0; r < n; r++) {
		const struct run_summary *sum = &days[r].sum;

		printf("  run_pass, day %-2d   %8.3f s  %5.1fx the baseline, "
		       "peak RSS %ld KiB: %u notices, %u lots, %u matches, "
		       "%u mails queued and delivered; %.1f MB written for "
		       "%.1f MB of mail\n", r + 1,
		       days[r].seconds, days[r].seconds / base, days[r].peak_kib,
		       sum->in.notices_new, sum->in.lots, sum->in.matches,
		       sum->mails_queued, days[r].written / 1e6,
		       days[r].mail_bytes / 1e6);
		/* Anything less, and this measured something else. */
		if (sum->in.notices_new != DAY ||
		    sum->mails_sent != sum->mails_queued) {
			fprintf(stderr, "bench/pass: day %d: not every notice "
				"stored or mail delivered\n", r + 1);
			bench_rm_rf(b.work);
			return 1;
		}
	}
	if (n < DAYS)
		printf("  stopped after %d of %d days: the next would likely "
		       "end after %d s of passes\n", n, DAYS, BUDGET);
	bench_row("pass", "run_pass over a day, vs libxml2 parse",
		  days[0].seconds, "s", base);
	/* the database's writes, its WAL's and the Maildir's, against the mail */
	bench_row("pass", "bytes written by a day's pass, vs its mails",
		  days[0].written / 1e6, "MB", days[0].mail_bytes / 1e6);
	snprintf(figure, sizeof figure, "run_pass, day %d vs day 1", n);
	bench_row("pass", figure, days[n - 1].seconds, "s", days[0].seconds);
	snprintf(figure, sizeof figure, "peak RSS, %d daily passes vs 1", n);
	bench_row("pass", figure, (double)days[n - 1].peak_kib, "KiB",
		  (double)days[0].peak_kib);
	bench_rm_rf(b.work);
	category_set_release(&b.categories);
	bench_notices_release(&b.notices);
	return 0;
}
