#ifndef TENDERLOTS_BENCH_H
#define TENDERLOTS_BENCH_H

/*
 * Benchmarks compare a stage with a baseline measured in the same run,
 * alternating rounds so that a noisy machine slows both alike; the ratio is
 * the figure that means something, the absolute rates only describe this
 * machine.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "category.h"
#include "fetch.h"
#include "firm.h"
#include "notice.h"

static inline double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Where a bench that measures queries or the processor, not the disk,
 * keeps its files: in memory where there is a tmpfs. On a disk they cost
 * the benches after them too: this machine's root is ext4 without a
 * journal, which will not reuse an inode deleted in the last minute (or
 * six, while its table is unwritten) and checks each such inode again at
 * every file it creates: bench/pass's delivery of 7,000 mails took 5.5 s,
 * not 1.5 s, soon after some 20,000 files had been removed (perf: most of
 * it in ext4's recently_deleted).
 */
static inline const char *
bench_memory_dir(void)
{
	return access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
}

/* Runs both for rounds rounds, alternating, and keeps each one's best. */
static inline void
bench_pair(int rounds, void (*baseline)(void *), void (*subject)(void *),
	   void *ctx, double *best_base, double *best_subject)
{
	int r;

	*best_base = *best_subject = 1e300;
	for (r = 0; r < rounds; r++) {
		double t0 = bench_now(), t1, t2;

		baseline(ctx);
		t1 = bench_now();
		subject(ctx);
		t2 = bench_now();
		if (t1 - t0 < *best_base)
			*best_base = t1 - t0;
		if (t2 - t1 < *best_subject)
			*best_subject = t2 - t1;
	}
}

/* Three significant digits, without an exponent: 0.615, 99.1, 15720. */
static inline void
bench_print_number(double v)
{
	if (v >= 100 || v <= -100)
		printf("%.0f", v);
	else
		printf("%.3g", v);
}

/*
 * One row of the table bench/table.sh prints after all the benchmarks:
 *
 *	row<TAB>bench<TAB>figure<TAB>value<TAB>unit<TAB>baseline<TAB>ratio
 *
 * value and baseline are in the same unit, and the ratio is always
 * value / baseline, so the table reads the same way throughout.
 */
static inline void
bench_row(const char *bench, const char *figure, double value,
	  const char *unit, double baseline)
{
	printf("row\t%s\t%s\t", bench, figure);
	bench_print_number(value);
	printf("\t%s\t", unit);
	bench_print_number(baseline);
	printf("\t%.3g\n", value / baseline);
}

/*
 * A publication day made of the bundled and example notices, each copy
 * with a notice id of its own: the notices are loaded once, then written
 * out as many times as a day needs.
 */
struct bench_source {
	char *text;
	size_t len;
};

/* Adds the notices in dir to src[n..max); the new n. */
static inline size_t
bench_load_sources(const char *dir, struct bench_source *src, size_t n,
		   size_t max)
{
	struct fetch_options fo = { .timeout = 1, .max_bytes = 16u << 20 };
	struct dirent *de;
	char path[1024], err[256];
	struct buf b;
	DIR *d = opendir(dir);

	if (!d)
		return n;
	while ((de = readdir(d)) && n < max) {
		if (!strstr(de->d_name, ".xml") || strstr(de->d_name, "INVALID"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		buf_init(&b, fo.max_bytes);
		if (fetch_file(path, &fo, &b, err, sizeof err) == 0 &&
		    strstr(buf_str(&b), "schemeName=\"notice-id\">")) {
			src[n].len = b.len;
			src[n++].text = buf_detach(&b, NULL);
		}
		buf_release(&b);
	}
	closedir(d);
	return n;
}

/* Copy number k of a notice, with a notice id of its own. */
static inline void
bench_write_copy(const char *dir, const struct bench_source *s, int k)
{
	const char *mark = "schemeName=\"notice-id\">";
	const char *id = strstr(s->text, mark) + strlen(mark);
	const char *end = strchr(id, '<');
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%05d.xml", dir, k);
	if (!(f = fopen(path, "w")))
		exit(1);
	fwrite(s->text, 1, (size_t)(id - s->text), f);
	fprintf(f, "bench0000-0000-0000-0000-%012d", k);
	fwrite(end, 1, s->len - (size_t)(end - s->text), f);
	fclose(f);
}

/*
 * A TED publication day: most of it is from elsewhere in the EU, one
 * notice in BENCH_LOCAL_EVERY is Swedish (10 of a day's 5,000). Copied in
 * turn like the others, the Swedish samples would be half the day and
 * every firm would get a dozen matches a day.
 */
#define BENCH_LOCAL_EVERY 500

struct bench_notices {
	struct bench_source src[64];	/* the nlocal Swedish ones first */
	size_t nsrc, nlocal;
};

/*
 * The bundled notices (Swedish, most from around Exempelkommun) and the
 * eForms SDK examples (from Luxembourg, Germany and France, mostly past
 * their deadlines), read from the project root; -1 if either is missing.
 */
static inline int
bench_notices_load(struct bench_notices *n)
{
	n->nlocal = bench_load_sources("feeds", n->src, 0, 64);
	n->nsrc = bench_load_sources("tests/fixtures/eforms", n->src,
				     n->nlocal, 64);
	return n->nlocal > 0 && n->nsrc > n->nlocal ? 0 : -1;
}

static inline void
bench_notices_release(struct bench_notices *n)
{
	size_t i;

	for (i = 0; i < n->nsrc; i++)
		free(n->src[i].text);
	n->nsrc = n->nlocal = 0;
}

/* Copies number first to first + count - 1 of a TED day, into dir. */
static inline void
bench_write_notices(const struct bench_notices *n, const char *dir, int first,
		    int count)
{
	size_t nforeign = n->nsrc - n->nlocal;
	int k;

	mkdir(dir, 0700);
	for (k = first; k < first + count; k++) {
		size_t i = k % BENCH_LOCAL_EVERY ?
			   n->nlocal + (size_t)k % nforeign :
			   (size_t)(k / BENCH_LOCAL_EVERY) % n->nlocal;

		bench_write_copy(dir, &n->src[i], k);
	}
}

/* Deterministic pseudo-random numbers, so every run measures the same. */
static inline unsigned
bench_rand(unsigned long long *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(*state >> 33);
}

/* Firm i's organisation number: 556 then i, and the Luhn check digit. */
static inline void
bench_orgnr(size_t i, char out[12])
{
	char digits[11];
	int c;

	for (c = 0; c < 10; c++) {
		snprintf(digits, sizeof digits, "556%06u%d",
			 (unsigned)(i % 1000000), c);
		if (luhn_valid(digits, 10))
			break;
	}
	snprintf(out, 12, "%.6s-%.4s", digits, digits + 6);
}

/*
 * Firm i: a trade or two from the categories, sometimes a CPV code of
 * that trade on top; one of regions[0..nregions) (picked at random, so
 * a region twice in the table is twice as likely); small and medium
 * turnovers. NULL out of memory.
 */
static inline struct firm *
bench_make_firm(const struct category_set *cs, size_t i,
		const char *const *regions, unsigned nregions,
		unsigned long long *seed)
{
	struct firm *f = firm_new();
	char orgnr[12], text[64];
	size_t k, ncat;
	unsigned r;
	double u;

	if (!f)
		return NULL;
	bench_orgnr(i, orgnr);
	snprintf(text, sizeof text, "firma%zu@example.se", i);
	if (!(f->orgnr = strdup(orgnr)) || !(f->email = strdup(text)))
		goto fail;
	snprintf(text, sizeof text, "Bänkföretaget %zu AB", i);
	if (!(f->name = strdup(text)) ||
	    !(f->language = strdup(bench_rand(seed) % 10 ? "sv" : "en")))
		goto fail;
	for (ncat = 1 + (bench_rand(seed) % 10 < 3), k = 0; k < ncat; k++) {
		const struct category *c = &cs->v[bench_rand(seed) % cs->n];

		if (strvec_push(&f->categories, &f->ncategories, c->key) < 0 ||
		    (bench_rand(seed) % 2 &&
		     strvec_push(&f->cpv, &f->ncpv,
				 c->cpv[bench_rand(seed) % c->ncpv]) < 0))
			goto fail;
	}
	if (strvec_push(&f->regions, &f->nregions,
			regions[bench_rand(seed) % nregions]) < 0)
		goto fail;
	f->employees = 1 + (long)(bench_rand(seed) % 50);
	/* 0.5 to 60 MSEK, as many below 5.5 as above; a tenth say none. */
	u = bench_rand(seed) / 2147483648.0;
	f->turnover = bench_rand(seed) % 10 ? (long long)(0.5e6 * pow(120, u)) :
		      -1;
	f->kinds = FIRM_KINDS_DEFAULT;
	if (bench_rand(seed) % 10 == 0)
		f->kinds |= FIRM_KIND_RESULT;
	r = bench_rand(seed) % 10;
	f->frequency = r < 6 ? FREQ_IMMEDIATELY : r < 9 ? FREQ_DAILY :
		       FREQ_WEEKLY;
	return f;
fail:
	firm_free(f);
	return NULL;
}

/*
 * The n firms a municipality in Västra Götaland (SE232) has in its
 * register: most serve the county, some the neighbours or the whole
 * country.
 */
static const char *const bench_local_regions[] = {
	"SE232", "SE232", "SE232", "SE232", "SE232", "SE232",
	"SE231", "SE23", "SE2", "SE",
};

static inline int
bench_make_firms(const struct category_set *cs, size_t n,
		 struct firm_list *firms)
{
	unsigned long long seed = 2026;
	size_t i;

	for (i = 0; i < n; i++) {
		struct firm *f = bench_make_firm(cs, i, bench_local_regions, 10,
						 &seed);

		if (!f || firm_list_push(firms, f) < 0) {
			firm_free(f);
			return -1;
		}
	}
	return 0;
}

/* The number after "name:" in the file /proc/self/what, -1 if none. */
static inline long long
bench_proc_self(const char *what, const char *name)
{
	char line[256], path[64];
	size_t len = strlen(name);
	long long n = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/self/%s", what);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, name, len) == 0 && line[len] == ':' &&
		    sscanf(line + len + 1, "%lld", &n) == 1)
			break;
	if (f)
		fclose(f);
	return n;
}

/* The peak resident memory since the last bench_reset_peak(), in KiB. */
static inline long
bench_peak_kib(void)
{
	return (long)bench_proc_self("status", "VmHWM");
}

/* So that the peak is that of what follows, not of setting it up. */
static inline int
bench_reset_peak(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");

	return f && fputs("5", f) >= 0 && fclose(f) == 0 ? 0 : -1;
}

static inline int
bench_is_xml(const struct dirent *de)
{
	return strstr(de->d_name, ".xml") != NULL;
}

/* Reads and parses every file of dir with libxml2 alone; the time it took. */
static inline double
bench_bare_parse(const char *dir)
{
	struct fetch_options fo = { .timeout = 1, .max_bytes = 16u << 20 };
	struct dirent **names;
	char path[4096], err[256];
	double t0 = bench_now();
	struct buf b;
	int n, i;

	buf_init(&b, fo.max_bytes);
	n = scandir(dir, &names, bench_is_xml, alphasort);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		if (fetch_file(path, &fo, &b, err, sizeof err) == 0)
			xmlFreeDoc(xmlReadMemory(b.data, (int)b.len, NULL, NULL,
						 XML_PARSE_NONET | XML_PARSE_NOBLANKS));
		free(names[i]);
	}
	free(names);
	buf_release(&b);
	return bench_now() - t0;
}

/*
 * Removes path and everything below it. Not nftw(): that needs
 * _XOPEN_SOURCE, which not every benchmark defines.
 */
static inline void
bench_rm_rf(const char *path)
{
	struct dirent *de;
	struct stat st;
	char sub[4096];
	DIR *d;

	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && (d = opendir(path))) {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") != 0 &&
			    strcmp(de->d_name, "..") != 0 &&
			    snprintf(sub, sizeof sub, "%s/%s", path,
				     de->d_name) < (int)sizeof sub)
				bench_rm_rf(sub);
		closedir(d);
	}
	remove(path);
}

#ifdef TENDERLOTS_RUN_H
/*
 * What run_pass needs, as the daemon sets it up: one feed of kind
 * eforms reading the directory inbox, mail into the Maildir maildir,
 * the default configuration; kept firms when keep_firms. Exits on a
 * failure.
 */
struct bench_daemon {
	struct run_context ctx;
	struct config *cfg;
	struct feed_config feed;
	struct alert_templates *templates;
	struct token_key *key;
};

static inline void
bench_daemon_open(struct bench_daemon *d, const char *db, const char *inbox,
		  const char *maildir, const struct category_set *cs,
		  int keep_firms)
{
	static const unsigned char secret[TOKEN_SECRET_LEN] = { 7 };
	struct mailer_options mo = {
		.transport = TRANSPORT_MAILDIR, .maildir = maildir,
	};

	memset(d, 0, sizeof *d);
	d->feed = (struct feed_config){
		.name = "ted", .kind = FEED_EFORMS, .url = (char *)inbox,
		.interval = 24 * 3600,
	};
	d->ctx.categories = cs;
	d->ctx.all_feeds = 1;
	if (!(d->cfg = config_new()) || store_open(db, &d->ctx.store) < 0 ||
	    alert_templates_load("templates", &d->templates) < 0 ||
	    token_key_from_bytes(secret, sizeof secret, &d->key) < 0 ||
	    !(d->ctx.parser = eforms_parser_new()) ||
	    !(d->ctx.syndication = syndication_parser_new()) ||
	    !(d->ctx.mailer = mailer_new(&mo)) ||
	    (keep_firms && !(d->ctx.firms = run_firms_new())))
		exit(1);
	d->cfg->feeds = &d->feed;
	d->cfg->nfeeds = 1;
	d->ctx.cfg = d->cfg;
	if (!(d->ctx.outbox = outbox_new(d->ctx.store, d->cfg, cs,
					 d->templates, d->key)))
		exit(1);
}

static inline void
bench_daemon_close(struct bench_daemon *d)
{
	run_firms_free(d->ctx.firms);
	outbox_free(d->ctx.outbox);
	mailer_free(d->ctx.mailer);
	syndication_parser_free(d->ctx.syndication);
	eforms_parser_free(d->ctx.parser);
	token_key_free(d->key);
	alert_templates_free(d->templates);
	store_free(d->ctx.store);
	d->cfg->feeds = NULL;
	d->cfg->nfeeds = 0;
	config_free(d->cfg);
}
#endif

#endif
