/*
 * Ingest of a TED publication day: the bundled and example notices
 * replicated into ~5,000 files with distinct notice ids, polled as a
 * directory feed into a fresh database (read, parse, split into the
 * bundled categories, store, validators),
 * against a bare libxml2 parse of the same files read the same way, and
 * against Python 3 with lxml extracting the notices' main fields into
 * SQLite as open-source TED monitors do (bench/lxml_ingest.py: XPath
 * strings, and the same compiled once). Then peak memory of a whole
 * ingest, for one day and for ten, each in its own process: it must not
 * grow with the number of notices.
 */
#include <errno.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "feed.h"

#define DAY 5000
#define ROUNDS 3

static void
make_day(const char *dir, const struct bench_source *src, size_t nsrc,
	 int files)
{
	int k;

	mkdir(dir, 0700);
	for (k = 0; k < files; k++)
		bench_write_copy(dir, &src[(size_t)k % nsrc], k);
}

/* A whole ingest of dir into a fresh database; the time it took. */
static double
ingest_dir(const char *dir, const char *db, unsigned *stored)
{
	struct feed_config feed = { .name = "day", .kind = FEED_EFORMS, .url = (char *)dir };
	struct match_options mo = { .size_share = 0.5 };
	struct category_set categories = { 0 };
	struct firm_list firms = { 0 };
	struct store *store = NULL;
	struct ingest in = { 0 };
	struct feed_poller fp = { 0 };
	char err[1024];
	long retry;
	double t0;

	unlink(db);
	if (store_open(db, &store) < 0)
		exit(1);
	in.store = store;
	in.parser = eforms_parser_new();
	in.firms = &firms;
	in.categories = &categories;
	in.index = match_index_new(&firms, &mo);
	in.now = 1795000000;
	if (category_load("config/categories.conf", &categories) < 0 || !in.index)
		exit(1);
	fp.store = store;
	fp.syndication = syndication_parser_new();
	fp.fetch.timeout = 30;
	fp.fetch.max_bytes = 16u << 20;
	fp.ingest = &in;
	t0 = bench_now();
	if (feed_poll(&fp, &feed, &retry, err, sizeof err) != FEED_OK) {
		fprintf(stderr, "bench/ingest: %s\n", err);
		exit(1);
	}
	t0 = bench_now() - t0;
	*stored = in.counts.notices_new;
	match_index_free(in.index);
	category_set_release(&categories);
	eforms_parser_free(in.parser);
	syndication_parser_free(fp.syndication);
	store_free(store);
	return t0;
}

/*
 * The seconds bench/lxml_ingest.py takes from its first file read to its
 * commit, with expressions of the given mode (xpath or compiled); the
 * bench fails if it cannot run (python3-lxml is in .ci/deps).
 */
static double
lxml_dir(const char *dir, const char *db, const char *mode)
{
	char cmd[2400], line[256] = "";
	unsigned notices = 0;
	double t = -1;
	int status = -1;
	FILE *p;

	snprintf(cmd, sizeof cmd, "/usr/bin/python3 bench/lxml_ingest.py "
		 "'%s' '%s' %s", dir, db, mode);
	if ((p = popen(cmd, "r"))) {
		while (!fgets(line, sizeof line, p) && ferror(p) &&
		       errno == EINTR)
			clearerr(p);
		status = pclose(p);
	}
	if (status != 0 || sscanf(line, "%lf %u", &t, &notices) != 2 ||
	    notices != DAY) {
		fprintf(stderr, "bench/ingest: %s failed (status %d, said "
			"\"%s\")\n", cmd, status, line);
		exit(1);
	}
	return t;
}

/* Peak resident memory of an ingest of dir, in a process of its own. */
static long
peak_rss_kib(const char *dir, const char *db)
{
	struct rusage ru;
	unsigned stored;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		ingest_dir(dir, db, &stored);
		_exit(0);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || status != 0)
		return -1;
	return ru.ru_maxrss;
}

int
main(void)
{
	struct bench_source src[64];
	char work[] = "/tmp/tenderlots-bench.XXXXXX";
	char day[1100], tenth[1100], ten[1100], db[1100];
	double base = 1e300, full = 1e300, lx_xpath = 1e300, lx_compiled = 1e300;
	double t;
	long rss_tenth, rss_day, rss_ten;
	size_t nsrc = 0, i;
	unsigned stored = 0;
	int r;

	nsrc = bench_load_sources("feeds", src, nsrc, 64);
	nsrc = bench_load_sources("tests/fixtures/eforms", src, nsrc, 64);
	if (nsrc == 0 || !mkdtemp(work)) {
		fprintf(stderr, "bench/ingest: no notices (run from the project root)\n");
		return 1;
	}
	snprintf(day, sizeof day, "%s/day", work);
	snprintf(tenth, sizeof tenth, "%s/tenth", work);
	snprintf(ten, sizeof ten, "%s/ten", work);
	snprintf(db, sizeof db, "%s/bench.db", work);
	make_day(day, src, nsrc, DAY);
	make_day(tenth, src, nsrc, DAY / 10);
	make_day(ten, src, nsrc, DAY * 10);
	for (r = 0; r < ROUNDS; r++) {
		if ((t = bench_bare_parse(day)) < base)
			base = t;
		if ((t = ingest_dir(day, db, &stored)) < full)
			full = t;
		if ((t = lxml_dir(day, db, "xpath")) < lx_xpath)
			lx_xpath = t;
		if ((t = lxml_dir(day, db, "compiled")) < lx_compiled)
			lx_compiled = t;
	}
	rss_tenth = peak_rss_kib(tenth, db);
	rss_day = peak_rss_kib(day, db);
	rss_ten = peak_rss_kib(ten, db);
	printf("ingest: %d notice files (%zu distinct sources), best of %d\n",
	       DAY, nsrc, ROUNDS);
	printf("  libxml2 parse only        %7.0f files/s  (baseline)\n", DAY / base);
	printf("  read+parse+store          %7.0f files/s  %.2fx the baseline speed, "
	       "%u stored\n", DAY / full, base / full, stored);
	printf("  Python+lxml, XPath        %7.0f files/s\n", DAY / lx_xpath);
	printf("  Python+lxml, compiled     %7.0f files/s\n", DAY / lx_compiled);
	printf("  peak RSS, whole ingest:   %ld KiB for %d files, %ld KiB for %d, "
	       "%ld KiB for %d\n", rss_tenth, DAY / 10, rss_day, DAY, rss_ten,
	       DAY * 10);
	bench_row("ingest", "ingest 5,000 files, vs libxml2 parse", full, "s",
		  base);
	bench_row("ingest", "ingest 5,000 files, vs Python+lxml XPath", full,
		  "s", lx_xpath);
	bench_row("ingest", "ingest 5,000 files, vs Python+lxml compiled XPath",
		  full, "s", lx_compiled);
	bench_row("ingest", "peak RSS, ingest 50,000 files vs 5,000",
		  (double)rss_ten, "KiB", (double)rss_day);
	bench_rm_rf(work);
	for (i = 0; i < nsrc; i++)
		free(src[i].text);
	return 0;
}
