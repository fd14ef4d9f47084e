/*
 * The daemon at a county's and at the nation's scale (issue 20): a TED
 * publication day (5,000 notice files, 10 of them Swedish) passed by
 * one daemon process that keeps its firms between passes.
 *
 * - 100,000 firms around Exempelkommun (as bench/pass has 10,000): a
 *   day's pass, against a bare libxml2 parse of the day's files.
 * - 1,000,000 firms spread over Sweden's 21 counties: a day's pass; the
 *   next day's, eight days on, when every Swedish contract notice of the
 *   first day has its deadline in the reminder window (reminders due for
 *   every firm told of one); an idle pass an hour later (nothing new,
 *   the reminders queued), against loading the firms and making their
 *   index, which the idle pass no longer does; the peak memory of the
 *   passes, against that of the firms and their index alone.
 *
 * The firms are stored once per run through the store's API, in one
 * transaction. TENDERLOTS_BENCH_NATIONAL=N sets the large size (a
 * smaller one for a quick look). The database and the Maildir are in
 * /dev/shm when there is one: their syncs are bench/mail's and
 * bench/pass's to measure, and on this machine's shared disk they made
 * the county's pass alone take 140 to 270 s. The whole run takes some
 * three minutes here.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "bench.h"

#define DAY 5000
#define COUNTY_FIRMS 100000
#define NATION_FIRMS 1000000
#define ROUNDS 2		/* of the baseline, best kept */
/* Wed 18 Nov 2026, 11:06 UTC */
#define START 1795000000
/* the first day's Swedish deadlines: 26 Nov 2026, 12:00 */
#define DEADLINE "2026-11-26"
/* the second day: 22 Nov, 11:06 UTC, 4 days before (reminder_days 5 1) */
#define SECOND_DAY (START + 4 * 86400L)
#define IDLE (SECOND_DAY + 3600)

/* Sweden's 21 counties (NUTS 3), and now and then the whole country. */
static const char *const counties[] = {
	"SE110", "SE121", "SE122", "SE123", "SE124", "SE125", "SE211",
	"SE212", "SE213", "SE214", "SE221", "SE224", "SE231", "SE232",
	"SE311", "SE312", "SE313", "SE321", "SE322", "SE331", "SE332", "SE",
};

/* What a child process measured, passed back through a pipe. */
struct measured {
	double seconds[3];	/* day, second day, idle */
	struct run_summary sum[3];
	long peak_kib;
	size_t firms;
};

struct bench {
	struct bench_notices notices;
	struct category_set categories;
	char work[64];
	char day[2][128], inbox[128], db[128], maildir[128];
};

/*
 * Copies first.. of a TED day into dir, the Swedish contract notices'
 * tender deadline moved to DEADLINE (12:00 as before), so that a later
 * day finds all of them in the reminder window.
 */
static void
write_day(const struct bench *b, const char *dir, int first)
{
	const char *mark = "<cac:TenderSubmissionDeadlinePeriod>";
	static char text[1 << 20];
	char path[256];
	size_t len;
	char *p;
	FILE *f;
	int k;

	bench_write_notices(&b->notices, dir, first, DAY);
	for (k = first; k < first + DAY; k += BENCH_LOCAL_EVERY) {
		snprintf(path, sizeof path, "%s/%05d.xml", dir, k);
		if (!(f = fopen(path, "r+")))
			exit(1);
		len = fread(text, 1, sizeof text - 1, f);
		text[len] = '\0';
		/* every lot's: a notice names the period once a lot */
		for (p = text; (p = strstr(p, mark)) &&
		     (p = strstr(p, "<cbc:EndDate>")); p++) {
			p += strlen("<cbc:EndDate>");
			if (fseek(f, p - text, SEEK_SET) < 0 ||
			    fwrite(DEADLINE, 1, strlen(DEADLINE), f) !=
			    strlen(DEADLINE))
				exit(1);
		}
		fclose(f);
	}
}

/* Firms first..n of the kind regions says, into the database. */
static void
store_firms(const struct bench *b, const char *const *regions,
	    unsigned nregions, size_t n)
{
	unsigned long long seed = 2026;
	struct store *s = NULL;
	size_t i;
	int created;

	remove(b->db);
	if (store_open(b->db, &s) < 0 || store_begin(s) < 0)
		exit(1);
	for (i = 0; i < n; i++) {
		struct firm *f = bench_make_firm(&b->categories, i, regions,
						 nregions, &seed);

		if (!f || store_put_firm(s, f, "bench", START - 86400,
					 &created) < 0)
			exit(1);
		firm_free(f);
	}
	if (store_commit(s) < 0)
		exit(1);
	store_free(s);
}

static void
timed_pass(struct bench_daemon *dm, const char *inbox_from, time_t now,
	   double *seconds, struct run_summary *sum)
{
	char cmd[512];

	bench_rm_rf(dm->feed.url);
	if (inbox_from) {
		snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", inbox_from,
			 dm->feed.url);
		if (system(cmd) != 0)
			exit(1);
	} else {
		mkdir(dm->feed.url, 0700);
	}
	dm->ctx.now = now;
	*seconds = bench_now();
	if (run_pass(&dm->ctx, sum) < 0)
		exit(1);
	*seconds = bench_now() - *seconds;
}

/* The passes, in the process of a daemon: npasses of day, second day, idle. */
static void
passes(const struct bench *b, int npasses, struct measured *m)
{
	struct bench_daemon dm;
	const char *from[3] = { b->day[0], b->day[1], NULL };
	const time_t at[3] = { START, SECOND_DAY, IDLE };
	int i;

	bench_rm_rf(b->maildir);
	bench_daemon_open(&dm, b->db, b->inbox, b->maildir, &b->categories, 1);
	if (bench_reset_peak() < 0)
		exit(1);
	for (i = 0; i < npasses; i++)
		timed_pass(&dm, from[i], at[i], &m->seconds[i], &m->sum[i]);
	m->peak_kib = bench_peak_kib();
	bench_daemon_close(&dm);
}

/* What a daemon holds between passes, alone: the firms and their index. */
static void
load_firms(const struct bench *b, struct measured *m)
{
	struct match_options mo = { .size_share = 0.5 };
	struct firm_list firms = { 0 };
	struct match_index *ix;
	struct store *s = NULL;

	if (store_open(b->db, &s) < 0 || bench_reset_peak() < 0)
		exit(1);
	m->seconds[0] = bench_now();
	if (store_load_firms(s, &firms) < 0 ||
	    !(ix = match_index_new(&firms, &mo)))
		exit(1);
	m->seconds[0] = bench_now() - m->seconds[0];
	m->peak_kib = bench_peak_kib();
	m->firms = firms.n;
	match_index_free(ix);
	firm_list_release(&firms);
	store_free(s);
}

/* f(b, n, m) in a process of its own; -1 if it failed. */
static int
in_child(const struct bench *b, int n,
	 void (*f)(const struct bench *, int, struct measured *),
	 struct measured *m)
{
	int status, fd[2];
	pid_t pid;

	memset(m, 0, sizeof *m);
	if (pipe(fd) < 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		close(fd[0]);
		f(b, n, m);
		_exit(write(fd[1], m, sizeof *m) == sizeof *m ? 0 : 1);
	}
	close(fd[1]);
	if (read(fd[0], m, sizeof *m) != sizeof *m)
		status = -1;
	close(fd[0]);
	if (waitpid(pid, &status, 0) != pid || status != 0)
		return -1;
	return 0;
}

static void
just_load(const struct bench *b, int n, struct measured *m)
{
	(void)n;
	load_firms(b, m);
}

static void
report(const char *what, double s, const struct run_summary *sum)
{
	printf("  %-34s %8.3f s: %u notices, %u matches, %u mails queued, "
	       "%u delivered\n", what, s, sum->in.notices_new, sum->in.matches,
	       sum->mails_queued, sum->mails_sent);
}

static int
fail(struct bench *b, const char *what)
{
	fprintf(stderr, "bench/national: %s\n", what);
	bench_rm_rf(b->work);
	return 1;
}

int
main(void)
{
	static struct bench b;
	struct measured county, nation, base;
	const char *env = getenv("TENDERLOTS_BENCH_NATIONAL");
	size_t big = env ? strtoul(env, NULL, 10) : NATION_FIRMS;
	double parse = 1e300, t, t0;
	char figure[96];
	int r;

	snprintf(b.work, sizeof b.work, "%s/tenderlots-national.XXXXXX",
		 bench_memory_dir());
	if (bench_notices_load(&b.notices) < 0 || !mkdtemp(b.work) ||
	    category_load("config/categories.conf", &b.categories) < 0) {
		fprintf(stderr, "bench/national: no notices or categories "
			"(run from the project root)\n");
		return 1;
	}
	snprintf(b.day[0], sizeof b.day[0], "%s/day1", b.work);
	snprintf(b.day[1], sizeof b.day[1], "%s/day2", b.work);
	snprintf(b.inbox, sizeof b.inbox, "%s/inbox", b.work);
	snprintf(b.db, sizeof b.db, "%s/bench.db", b.work);
	snprintf(b.maildir, sizeof b.maildir, "%s/mail", b.work);
	write_day(&b, b.day[0], 0);
	write_day(&b, b.day[1], DAY);
	for (r = 0; r < ROUNDS; r++)
		if ((t = bench_bare_parse(b.day[0])) < parse)
			parse = t;

	t0 = bench_now();
	store_firms(&b, bench_local_regions, 10, COUNTY_FIRMS);
	printf("national: %d notice files a day (%d Swedish)\n", DAY,
	       DAY / BENCH_LOCAL_EVERY);
	printf("  %zu firms around Exempelkommun stored in %.1f s\n",
	       (size_t)COUNTY_FIRMS, bench_now() - t0);
	if (in_child(&b, 1, passes, &county) < 0)
		return fail(&b, "the county's pass failed");
	report("day's pass, 100,000 firms", county.seconds[0], &county.sum[0]);

	t0 = bench_now();
	store_firms(&b, counties, sizeof counties / sizeof *counties, big);
	printf("  %zu firms over the 21 counties stored in %.1f s\n", big,
	       bench_now() - t0);
	if (in_child(&b, 0, just_load, &base) < 0 ||
	    in_child(&b, 3, passes, &nation) < 0)
		return fail(&b, "the nation's passes failed");
	printf("  loading them and their index       %8.3f s, peak RSS "
	       "%ld KiB\n", base.seconds[0], base.peak_kib);
	report("day's pass", nation.seconds[0], &nation.sum[0]);
	report("next day, reminders due", nation.seconds[1], &nation.sum[1]);
	report("idle pass", nation.seconds[2], &nation.sum[2]);
	printf("  peak RSS of the passes %ld KiB\n", nation.peak_kib);
	if (county.sum[0].in.notices_new != DAY ||
	    nation.sum[0].in.notices_new != DAY ||
	    nation.sum[1].in.notices_new != DAY ||
	    nation.sum[2].in.notices_new != 0 || nation.sum[2].mails_queued ||
	    nation.sum[0].mails_sent != nation.sum[0].mails_queued ||
	    nation.sum[1].mails_sent != nation.sum[1].mails_queued)
		return fail(&b, "not every notice stored or mail delivered");

	bench_row("national", "100,000 firms: a day's pass, vs libxml2 parse",
		  county.seconds[0], "s", parse);
	snprintf(figure, sizeof figure, "%zu firms: a day's pass, vs parse",
		 big);
	bench_row("national", figure, nation.seconds[0], "s", parse);
	snprintf(figure, sizeof figure, "%zu firms: reminders due, vs parse",
		 big);
	bench_row("national", figure, nation.seconds[1], "s", parse);
	snprintf(figure, sizeof figure, "%zu firms: idle pass, vs loading them",
		 big);
	bench_row("national", figure, nation.seconds[2], "s", base.seconds[0]);
	snprintf(figure, sizeof figure, "%zu firms: peak RSS, vs firms+index",
		 big);
	bench_row("national", figure, (double)nation.peak_kib, "KiB",
		  (double)base.peak_kib);
	bench_rm_rf(b.work);
	category_set_release(&b.categories);
	bench_notices_release(&b.notices);
	return 0;
}
