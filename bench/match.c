/*
 * Matching one pass: 100,000 firms against 10,000 category-lots with a
 * realistic CPV spread, through the firm index (match_index_new +
 * match_find), against the naive loop calling match_one on every pair.
 * The naive loop is timed on a fixed sample of the lots and extrapolated
 * linearly, to keep the run short; on the sample both must find the same
 * matches with the same scores. Then the cost of keyword profiles: a
 * third of the firms given keywords and an exclude word, every lot a
 * title and description of 60 words, stemmed once a lot, against the
 * same index matching the lots without their words.
 *
 * Then national scale: 1,000,000 firms spread over Sweden's 21 counties
 * as their businesses are (Stockholm's a quarter, Gotland's a hundredth),
 * against the first 100,000 of the same firms, both over the same 10,000
 * lots: the time ratio is ten when a firm costs as much at a million as
 * at a hundred thousand. On a sample of the lots match_find must agree
 * with match_one there too. The peak memory of the process with the
 * million firms and their index, and the index's bytes a firm.
 */
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "codes.h"
#include "cpv.h"
#include "match.h"

#define NFIRMS 100000
#define NLOTS 10000
#define SAMPLE_EVERY 50		/* the naive loop sees 200 of the lots */
#define ROUNDS 3
#define NATIONAL 1000000
#define NATIONAL_SMALL 100000	/* its first firms, the baseline */
#define NATIONAL_SAMPLE_EVERY 500	/* match_one checks 20 lots there */
#define NATIONAL_ROUNDS 3

/* Made-up lot categories, each with the CPV code that defines it. */
static const struct category categories[] = {
	{ .key = "maleri", .name_sv = "Måleri", .name_en = "Painting",
	  .cpv = (char *[]){ "45440000" }, .ncpv = 1 },
	{ .key = "el", .name_sv = "El", .name_en = "Electrical work",
	  .cpv = (char *[]){ "45310000" }, .ncpv = 1 },
	{ .key = "vvs", .name_sv = "VVS", .name_en = "Plumbing",
	  .cpv = (char *[]){ "45330000" }, .ncpv = 1 },
	{ .key = "bygg", .name_sv = "Bygg", .name_en = "Building",
	  .cpv = (char *[]){ "45200000" }, .ncpv = 1 },
	{ .key = "mark", .name_sv = "Mark", .name_en = "Groundwork",
	  .cpv = (char *[]){ "45100000" }, .ncpv = 1 },
	{ .key = "stad", .name_sv = "Städ", .name_en = "Cleaning",
	  .cpv = (char *[]){ "90910000" }, .ncpv = 1 },
	{ .key = "avfall", .name_sv = "Avfall", .name_en = "Waste",
	  .cpv = (char *[]){ "90500000" }, .ncpv = 1 },
	{ .key = "it", .name_sv = "IT", .name_en = "IT services",
	  .cpv = (char *[]){ "72000000" }, .ncpv = 1 },
	{ .key = "livsmedel", .name_sv = "Livsmedel", .name_en = "Food",
	  .cpv = (char *[]){ "15000000" }, .ncpv = 1 },
	{ .key = "maltid", .name_sv = "Måltider", .name_en = "Catering",
	  .cpv = (char *[]){ "55500000" }, .ncpv = 1 },
	{ .key = "transport", .name_sv = "Transport", .name_en = "Transport",
	  .cpv = (char *[]){ "60100000" }, .ncpv = 1 },
	{ .key = "konsult", .name_sv = "Teknikkonsult", .name_en = "Engineering",
	  .cpv = (char *[]){ "71000000" }, .ncpv = 1 },
	{ .key = "service", .name_sv = "Service", .name_en = "Repair",
	  .cpv = (char *[]){ "50000000" }, .ncpv = 1 },
	{ .key = "gronyta", .name_sv = "Grönyta", .name_en = "Landscaping",
	  .cpv = (char *[]){ "77300000" }, .ncpv = 1 },
	{ .key = "omsorg", .name_sv = "Omsorg", .name_en = "Care",
	  .cpv = (char *[]){ "85000000" }, .ncpv = 1 },
};
#define NCATEGORIES (sizeof categories / sizeof *categories)

/* Where municipal lots go: divisions and their weights; the rest spread. */
static const struct {
	const char *division;
	unsigned weight;
} divisions[] = {
	{ "45", 30 }, { "90", 8 }, { "72", 8 }, { "55", 6 }, { "60", 6 },
	{ "15", 6 }, { "79", 6 }, { "71", 6 }, { "50", 6 }, { "77", 4 },
	{ "85", 4 }, { "30", 4 },
};
#define NDIVISIONS (sizeof divisions / sizeof *divisions)
#define WEIGHT_ANY 10

static const char *const counties[] = {
	"SE110", "SE121", "SE122", "SE123", "SE124", "SE125", "SE211",
	"SE212", "SE213", "SE214", "SE221", "SE224", "SE231", "SE232",
	"SE311", "SE312", "SE313", "SE321", "SE322", "SE331", "SE332",
};
/* Thousands of people a county, 2023: where a national register's firms are. */
static const unsigned county_people[] = {
	2450, 400, 300, 470, 310, 280, 370,
	205, 247, 61, 159, 1410, 340, 1750,
	283, 288, 288, 245, 132, 275, 250,
};
static const char *const wider[] = { "SE11", "SE12", "SE2", "SE23", "SE" };
static const char *const towns[] = {
	"Danderyd", "Uppsala", "Göteborg", "Borås", "Malmö", "Luleå", "Umeå",
};
#define COUNT(a) (sizeof (a) / sizeof *(a))

struct data {
	unsigned long long seed;
	size_t range[NDIVISIONS][2];	/* each division's codes in cpv_codes */
	struct firm_list firms;
	struct lot lots[NLOTS];
	struct category_lot parts[NLOTS];
	struct match_target targets[NLOTS];
	struct match_options opt;
	long found[NLOTS], naive[NLOTS];	/* matches per lot */
	unsigned long long found_sum[NLOTS], naive_sum[NLOTS];	/* of firms and scores */
	double build;		/* seconds to build the index, last round */
	int failed;
};

static double
uniform(unsigned long long *state)
{
	return bench_rand(state) / 2147483648.0;
}

/* Between lo and hi, small values as likely as large ones by ratio. */
static double
log_uniform(unsigned long long *state, double lo, double hi)
{
	return lo * exp(uniform(state) * log(hi / lo));
}

static void
find_divisions(struct data *d)
{
	size_t i, k;

	for (k = 0; k < NDIVISIONS; k++) {
		d->range[k][0] = d->range[k][1] = 0;
		for (i = 0; i < cpv_ncodes; i++)
			if (strncmp(cpv_codes[i].code, divisions[k].division, 2) == 0) {
				if (!d->range[k][1])
					d->range[k][0] = i;
				d->range[k][1] = i + 1;
			}
	}
}

/* A code from the whole table, weighted toward the municipal divisions. */
static const char *
random_code(struct data *d)
{
	unsigned total = WEIGHT_ANY, r;
	size_t k;

	for (k = 0; k < NDIVISIONS; k++)
		total += divisions[k].weight;
	r = bench_rand(&d->seed) % total;
	for (k = 0; k < NDIVISIONS; k++) {
		if (r < divisions[k].weight) {
			size_t lo = d->range[k][0], n = d->range[k][1] - lo;

			return cpv_codes[lo + bench_rand(&d->seed) % n].code;
		}
		r -= divisions[k].weight;
	}
	return cpv_codes[bench_rand(&d->seed) % cpv_ncodes].code;
}

/* A code near the main one: the same division. */
static const char *
related_code(struct data *d, const char *main)
{
	for (;;) {
		const char *c = random_code(d);

		if (strncmp(c, main, 2) == 0)
			return c;
	}
}

/* The category whose defining code covers this one most specifically. */
static const struct category *
category_of(const char *code)
{
	const struct category *best = NULL;
	size_t i, sig = 0;

	for (i = 0; i < NCATEGORIES; i++)
		if (cpv_covers(categories[i].cpv[0], code) &&
		    cpv_significant(categories[i].cpv[0]) > sig) {
			best = &categories[i];
			sig = cpv_significant(categories[i].cpv[0]);
		}
	return best;
}

/*
 * A county: any alike, or nationally as likely as the country's firms
 * are there.
 */
static const char *
random_county(struct data *d, int national)
{
	unsigned total = 0, r;
	size_t k;

	if (!national)
		return counties[bench_rand(&d->seed) % COUNT(counties)];
	for (k = 0; k < COUNT(county_people); k++)
		total += county_people[k];
	r = bench_rand(&d->seed) % total;
	for (k = 0; r >= county_people[k]; k++)
		r -= county_people[k];
	return counties[k];
}

/*
 * Most firms serve their county; a fifth a wider region: one of a few,
 * or nationally their county's part of the country or all of it.
 */
static const char *
random_region(struct data *d, int national, char out[8])
{
	if (bench_rand(&d->seed) % 5)
		return random_county(d, national);
	if (!national)
		return wider[bench_rand(&d->seed) % COUNT(wider)];
	snprintf(out, 8, "%.*s", 2 + (int)(bench_rand(&d->seed) % 3),
		 random_county(d, national));
	return out;
}

static int
make_firms(struct data *d, struct firm_list *firms, size_t nfirms,
	   int national)
{
	char region[8];
	size_t i, k, n;

	for (i = 0; i < nfirms; i++) {
		struct firm *f = firm_new();
		unsigned r;

		if (!f || firm_list_push(firms, f) < 0) {
			firm_free(f);
			return -1;
		}
		if (!(f->language = strdup(bench_rand(&d->seed) % 10 ? "sv" : "en")))
			return -1;
		for (n = 1 + bench_rand(&d->seed) % 4, k = 0; k < n; k++) {
			char code[CPV_LEN + 1] = "00000000";
			const char *from = random_code(d);

			/* Firms name their trade broadly: 3 to 5 digits. */
			memcpy(code, from, 3 + bench_rand(&d->seed) % 3);
			if (strvec_push(&f->cpv, &f->ncpv, code) < 0)
				return -1;
		}
		r = bench_rand(&d->seed) % 20;
		for (n = r < 10 ? 0 : r < 17 ? 1 : 2, k = 0; k < n; k++)
			if (strvec_push(&f->categories, &f->ncategories,
					categories[bench_rand(&d->seed) % NCATEGORIES].key) < 0)
				return -1;
		if (strvec_push(&f->regions, &f->nregions,
				random_region(d, national, region)) < 0)
			return -1;
		if (bench_rand(&d->seed) % 4 == 0 &&
		    strvec_push(&f->regions, &f->nregions,
				random_county(d, national)) < 0)
			return -1;
		f->turnover = bench_rand(&d->seed) % 10 ? (long long)log_uniform(&d->seed, 0.5e6, 60e6) : -1;
		if (bench_rand(&d->seed) % 10 == 0)
			f->kinds |= FIRM_KIND_RESULT;
	}
	return 0;
}

static int
make_lots(struct data *d)
{
	static const char *const durations[] = { "P12M", "P24M", "P36M", "P48M" };
	static const enum notice_kind kinds[] = {
		NOTICE_COMPETITION, NOTICE_COMPETITION, NOTICE_COMPETITION,
		NOTICE_COMPETITION, NOTICE_COMPETITION, NOTICE_COMPETITION,
		NOTICE_COMPETITION, NOTICE_PLANNING, NOTICE_RFI, NOTICE_RESULT,
	};
	size_t i, k, n;

	for (i = 0; i < NLOTS; i++) {
		struct lot *l = &d->lots[i];
		struct category_lot *p = &d->parts[i];
		const char *main = random_code(d);

		if (strvec_push(&l->cpv, &l->ncpv, main) < 0)
			return -1;
		for (n = bench_rand(&d->seed) % 3, k = 0; k < n; k++)
			if (strvec_push(&l->cpv, &l->ncpv, related_code(d, main)) < 0)
				return -1;
		if (bench_rand(&d->seed) % 10 < 7) {
			l->has_value = 1;
			l->value = log_uniform(&d->seed, 0.1e6, 50e6);
		}
		if (bench_rand(&d->seed) % 10 < 7)
			l->duration = (char *)durations[bench_rand(&d->seed) % 4];
		if (bench_rand(&d->seed) % 5 &&
		    strvec_push(&l->nuts, &l->nnuts,
				counties[bench_rand(&d->seed) % COUNT(counties)]) < 0)
			return -1;
		if (bench_rand(&d->seed) % 5 < 2)
			l->town = (char *)towns[bench_rand(&d->seed) % COUNT(towns)];
		l->sme_suitable = (int)(bench_rand(&d->seed) % 3) - 1;
		/* The lot as one category-lot: its codes share a division. */
		p->category = category_of(main);
		p->cpv = l->cpv;
		p->ncpv = l->ncpv;
		p->has_value = l->has_value;
		p->value = l->value;
		d->targets[i] = (struct match_target){
			kinds[bench_rand(&d->seed) % COUNT(kinds)], l, p, NULL };
	}
	return 0;
}

/* Order-free, so the index may return matches in any order. */
static unsigned long long
checksum(size_t firm, int score)
{
	return ((unsigned long long)firm + 1) * 1000003ULL + (unsigned long long)score;
}

static void
naive_sample(void *arg)
{
	struct data *d = arg;
	size_t i, k;

	for (i = 0; i < NLOTS; i += SAMPLE_EVERY) {
		d->naive[i] = 0;
		d->naive_sum[i] = 0;
		for (k = 0; k < d->firms.n; k++) {
			int score;

			if (match_one(d->firms.v[k], &d->targets[i], &d->opt, &score)) {
				d->naive[i]++;
				d->naive_sum[i] += checksum(k, score);
			}
		}
	}
}

static void
indexed_all(void *arg)
{
	struct data *d = arg;
	double t0 = bench_now();
	struct match_index *ix = match_index_new(&d->firms, &d->opt);
	struct match_result *res = NULL;
	size_t cap = 0, i;
	long k;

	d->build = bench_now() - t0;
	for (i = 0; ix && i < NLOTS; i++) {
		d->found[i] = match_find(ix, &d->targets[i], &res, &cap);
		d->found_sum[i] = 0;
		for (k = 0; k < d->found[i]; k++)
			d->found_sum[i] += checksum(res[k].firm, res[k].score);
		d->failed |= d->found[i] < 0;
	}
	d->failed |= !ix;
	free(res);
	match_index_free(ix);
}

/* Trade words, some inflected in the texts, and words of no trade. */
static const char *const trade_words[] = {
	"snöröjning", "halkbekämpning", "städning", "lokalvård", "målning",
	"fasadmålning", "elinstallation", "belysning", "ventilation",
	"rörarbeten", "markarbeten", "asfaltering", "skolskjuts", "färdtjänst",
	"catering", "måltider", "parkskötsel", "gräsklippning", "trädvård",
	"systemutveckling", "programvara", "datorer", "tryckeri", "hemtjänst",
	"fönsterputs", "takläggning", "plåtarbeten", "golvläggning",
	"snickerier", "glasarbeten", "låssmed", "larm", "ventilationsrengöring",
	"avfallshantering", "skadedjursbekämpning", "tolkning", "översättning",
	"utbildning", "konsulttjänster", "projektering", "it-konsult",
	"el-installation", "va-arbeten", "e-handel", "lss-boende",
};
static const char *const text_words[] = {
	"upphandling", "av", "kommunen", "skolor", "förskolor", "under",
	"perioden", "med", "möjlighet", "till", "förlängning", "ramavtal",
	"leverans", "tjänster", "inom", "området", "för", "och", "i", "på",
	"fastigheter", "äldreboenden", "uppdraget", "omfattar", "samt",
	"Snöröjningen", "städningen", "målningsarbeten", "belysningen",
	"asfalteringsarbeten", "skolskjutsar", "trädvården", "datorerna",
	"IT-konsulter", "IT", "konsult", "el-installationer", "VA-arbetena",
	"e-handeln", "LSS-boende", "el", "va",
};

struct words {
	struct data *d;
	struct stem_text text[NLOTS];
	struct match_target targets[NLOTS];
	struct stemmer *stemmer;
	long found;
};

static int
add_words(struct data *d)
{
	size_t i, k;

	for (i = 0; i < d->firms.n; i += 3) {
		struct firm *f = d->firms.v[i];

		for (k = 0; k < 1 + bench_rand(&d->seed) % 3; k++)
			if (strvec_push(&f->keywords, &f->nkeywords, trade_words[
				bench_rand(&d->seed) % COUNT(trade_words)]) < 0)
				return -1;
		if (strvec_push(&f->exclude, &f->nexclude, trade_words[
			bench_rand(&d->seed) % COUNT(trade_words)]) < 0)
			return -1;
	}
	return 0;
}

/* The lots' texts, each stemmed once, then every lot matched. */
static void
match_words(struct words *w, int with_text)
{
	struct match_index *ix = match_index_new(&w->d->firms, &w->d->opt);
	struct match_result *res = NULL;
	char title[1024], desc[4096];
	size_t cap = 0, i, k;
	long n;

	w->found = 0;
	for (i = 0; ix && i < NLOTS; i++) {
		unsigned long long seed = i + 1;

		w->targets[i] = w->d->targets[i];
		if (with_text) {
			snprintf(title, sizeof title, "%s %s %s",
				 trade_words[bench_rand(&seed) % COUNT(trade_words)],
				 text_words[bench_rand(&seed) % COUNT(text_words)],
				 text_words[bench_rand(&seed) % COUNT(text_words)]);
			desc[0] = '\0';
			for (k = 0; k < 57; k++)
				snprintf(desc + strlen(desc), sizeof desc - strlen(desc),
					 "%s ", text_words[bench_rand(&seed) %
							   COUNT(text_words)]);
			stem_text_release(&w->text[i]);
			if (stem_text_add(w->stemmer, &w->text[i], title, STEM_SV,
					  STEM_TITLE) < 0 ||
			    stem_text_add(w->stemmer, &w->text[i], desc, STEM_SV,
					  STEM_DESCRIPTION) < 0)
				w->d->failed = 1;
			w->targets[i].text = &w->text[i];
		}
		if ((n = match_find(ix, &w->targets[i], &res, &cap)) < 0)
			w->d->failed = 1;
		w->found += n;
	}
	w->d->failed |= !ix;
	free(res);
	match_index_free(ix);
}

static void
words_off(void *arg)
{
	match_words(arg, 0);
}

static void
words_on(void *arg)
{
	match_words(arg, 1);
}

/* National scale: the firms, and a view of the first of them. */
struct national {
	struct data *d;
	struct firm_list firms;		/* NATIONAL */
	struct firm_list small;		/* its first NATIONAL_SMALL */
	long total[2];			/* matches: small, all */
	double bytes[2];		/* the index's, a firm */
	double cpu[2];			/* the best CPU time of a run */
	double build[2];		/* the best time to build the index */
	long found[NLOTS];		/* sampled lots, all the firms */
	unsigned long long found_sum[NLOTS];
};

/* Bytes the allocator has handed out and not had back. */
static double
allocated(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (double)mi.uordblks + (double)mi.hblkhd;
}

/* The process's CPU time: on a busy machine, steadier than the clock. */
static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every lot matched over one of the firm lists, through an index. */
static void
national_run(struct national *nx, int all)
{
	const struct firm_list *firms = all ? &nx->firms : &nx->small;
	struct data *d = nx->d;
	double cpu = cpu_now(), before = allocated(), t0 = bench_now();
	struct match_index *ix = match_index_new(firms, &d->opt);
	struct match_result *res = NULL;
	size_t cap = 0, i;
	long n, k;

	t0 = bench_now() - t0;
	if (!nx->build[all] || t0 < nx->build[all])
		nx->build[all] = t0;
	nx->bytes[all] = (allocated() - before) / (double)firms->n;
	nx->total[all] = 0;
	for (i = 0; ix && i < NLOTS; i++) {
		if ((n = match_find(ix, &d->targets[i], &res, &cap)) < 0)
			d->failed = 1;
		nx->total[all] += n;
		if (!all || i % NATIONAL_SAMPLE_EVERY)
			continue;
		nx->found[i] = n;
		nx->found_sum[i] = 0;
		for (k = 0; k < n; k++)
			nx->found_sum[i] += checksum(res[k].firm, res[k].score);
	}
	d->failed |= !ix;
	free(res);
	match_index_free(ix);
	cpu = cpu_now() - cpu;
	if (!nx->cpu[all] || cpu < nx->cpu[all])
		nx->cpu[all] = cpu;
}

static void
national_small(void *arg)
{
	national_run(arg, 0);
}

static void
national_all(void *arg)
{
	national_run(arg, 1);
}

/* The sampled lots through match_one over all the firms: how many differ. */
static size_t
national_check(struct national *nx, long *sampled)
{
	size_t i, k, diff = 0;

	*sampled = 0;
	for (i = 0; i < NLOTS; i += NATIONAL_SAMPLE_EVERY) {
		unsigned long long sum = 0;
		long n = 0;
		int score;

		for (k = 0; k < nx->firms.n; k++)
			if (match_one(nx->firms.v[k], &nx->d->targets[i],
				      &nx->d->opt, &score)) {
				n++;
				sum += checksum(k, score);
			}
		*sampled += n;
		diff += n != nx->found[i] || sum != nx->found_sum[i];
	}
	return diff;
}

static int
national(struct data *d)
{
	struct national *nx = calloc(1, sizeof *nx);
	double small, all, t0;
	long firms_kib, peak_kib, sampled;
	size_t diff;
	int rc = 1;

	if (!nx)
		return 1;
	nx->d = d;
	t0 = bench_now();
	if (make_firms(d, &nx->firms, NATIONAL, 1) < 0) {
		fprintf(stderr, "bench/match: out of memory\n");
		goto out;
	}
	nx->small = (struct firm_list){ .v = nx->firms.v, .n = NATIONAL_SMALL };
	printf("national: %d firms over the 21 counties made in %.1f s\n",
	       NATIONAL, bench_now() - t0);
	bench_reset_peak();
	firms_kib = (long)bench_proc_self("status", "VmRSS");
	bench_pair(NATIONAL_ROUNDS, national_small, national_all, nx, &small, &all);
	peak_kib = bench_peak_kib();
	if (d->failed) {
		fprintf(stderr, "bench/match: out of memory\n");
		goto out;
	}
	t0 = bench_now();
	diff = national_check(nx, &sampled);
	printf("  index + match_find     %8.3f s for %d lots x %d firms (%.1f "
	       "matches a lot), %.3f s x %d firms (%.1f a lot): %.1fx for 10x "
	       "the firms, best of %d (CPU time %.3f s and %.3f s: %.1fx)\n",
	       all, NLOTS, NATIONAL, (double)nx->total[1] / NLOTS, small,
	       NATIONAL_SMALL, (double)nx->total[0] / NLOTS, all / small,
	       NATIONAL_ROUNDS, nx->cpu[1], nx->cpu[0], nx->cpu[1] / nx->cpu[0]);
	printf("  index                  %.0f bytes a firm at %d firms, %.0f at %d; "
	       "built in %.3f s and %.3f s\n", nx->bytes[1], NATIONAL,
	       nx->bytes[0], NATIONAL_SMALL, nx->build[1], nx->build[0]);
	printf("  memory                 peak %ld MiB resident, %ld MiB before "
	       "the index (the firms)\n", peak_kib / 1024, firms_kib / 1024);
	printf("  sampled lots: %ld matches by match_find and match_one (%.1f s), %s\n",
	       sampled, bench_now() - t0,
	       diff ? "DIFFERENT" : "same firms and scores (count and checksum)");
	bench_row("match", "index, 10,000 lots x 1,000,000 firms, vs 100,000 "
		  "(goal 10)", all, "s", small);
	bench_row("match", "index bytes a firm, at 1,000,000 firms vs 100,000",
		  nx->bytes[1], "B", nx->bytes[0]);
	bench_row("match", "peak memory with 1,000,000 firms and index, vs the "
		  "firms", (double)peak_kib / 1024, "MiB", (double)firms_kib / 1024);
	rc = diff ? 1 : 0;
out:
	firm_list_release(&nx->firms);
	free(nx);
	return rc;
}

/* With --national, only the national rows. */
int
main(int argc, char **argv)
{
	struct data *d = calloc(1, sizeof *d);
	struct words *w = NULL;
	double naive, indexed, extrapolated;
	long total = 0, sampled = 0;
	size_t i, diff = 0;
	int rc = 1;

	if (!d)
		return 1;
	d->seed = 2026;
	d->opt.size_share = 0.5;
	find_divisions(d);
	if (make_firms(d, &d->firms, NFIRMS, 0) < 0 || make_lots(d) < 0) {
		fprintf(stderr, "bench/match: out of memory\n");
		goto out;
	}
	if (argc > 1 && strcmp(argv[1], "--national") == 0) {
		rc = national(d);
		goto out;
	}
	bench_pair(ROUNDS, naive_sample, indexed_all, d, &naive, &indexed);
	if (d->failed) {
		fprintf(stderr, "bench/match: out of memory\n");
		goto out;
	}
	for (i = 0; i < NLOTS; i++) {
		total += d->found[i];
		if (i % SAMPLE_EVERY)
			continue;
		sampled += d->naive[i];
		diff += d->found[i] != d->naive[i] ||
			d->found_sum[i] != d->naive_sum[i];
	}
	extrapolated = naive * NLOTS / (NLOTS / SAMPLE_EVERY);
	printf("match: %d firms x %d category-lots, %ld matches (%.1f a lot), best of %d\n",
	       NFIRMS, NLOTS, total, (double)total / NLOTS, ROUNDS);
	printf("  naive match_one loop   %8.3f s for %d sampled lots, %.2f s "
	       "extrapolated linearly to %d  (baseline)\n",
	       naive, NLOTS / SAMPLE_EVERY, extrapolated, NLOTS);
	printf("  index + match_find     %8.3f s for all %d lots (index build "
	       "%.3f s)  %.0fx faster\n", indexed, NLOTS, d->build,
	       extrapolated / indexed);
	printf("  sampled lots: %ld matches by both, %s\n", sampled,
	       diff ? "DIFFERENT" : "same firms and scores (count and checksum)");
	bench_row("match", "index, 10,000 lots x 100,000 firms, vs naive loop",
		  indexed, "s", extrapolated);
	rc = diff ? 1 : 0;
	if (!(w = calloc(1, sizeof *w)) || !(w->stemmer = stemmer_new()) ||
	    add_words(d) < 0) {
		fprintf(stderr, "bench/match: out of memory\n");
		rc = 1;
		goto out;
	}
	w->d = d;
	bench_pair(ROUNDS, words_off, words_on, w, &naive, &indexed);
	printf("  with keywords          %8.3f s for all %d lots with 60 words "
	       "each, stemmed once a lot (%ld matches), %.3f s without the "
	       "words\n", indexed, NLOTS, w->found, naive);
	bench_row("match", "index with keywords and lot texts, vs without",
		  indexed, "s", naive);
	rc |= d->failed;
	/* What the national rows measure is theirs alone. */
	for (i = 0; i < NLOTS; i++)
		stem_text_release(&w->text[i]);
	firm_list_release(&d->firms);
	rc |= national(d);
out:
	for (i = 0; i < NLOTS; i++) {
		strvec_free(d->lots[i].cpv, d->lots[i].ncpv);
		strvec_free(d->lots[i].nuts, d->lots[i].nnuts);
	}
	for (i = 0; w && i < NLOTS; i++)
		stem_text_release(&w->text[i]);
	if (w)
		stemmer_free(w->stemmer);
	free(w);
	firm_list_release(&d->firms);
	free(d);
	return rc;
}
