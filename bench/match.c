/*
 * Matching: 10,000 firms against the lots of the bundled notices, with
 * region checks and the reason text, against the bare CPV prefix
 * comparison over the same pairs (the least any matcher must do).
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "codes.h"
#include "cpv.h"
#include "eforms.h"
#include "fetch.h"
#include "match.h"

#define NFIRMS 10000

struct data {
	struct firm_list firms;
	struct lot **lots;
	size_t nlots;
	struct buf reason;
	unsigned long hits_base, hits_match;
};

static const char *const regions[] = {
	"SE232", "SE231", "SE23", "SE110", "SE224", "SE332", "SE2", "SE"
};

/* Deterministic pseudo-random numbers, so every run measures the same. */
static unsigned long
next_rand(unsigned long *state)
{
	*state = *state * 6364136223846793005UL + 1442695040888963407UL;
	return *state >> 33;
}

static void
make_firms(struct data *d)
{
	unsigned long seed = 42;
	size_t i, k;

	for (i = 0; i < NFIRMS; i++) {
		struct firm *f = firm_new();
		char orgnr[16];

		snprintf(orgnr, sizeof orgnr, "%06zu-0000", i);
		f->orgnr = strdup(orgnr);
		f->name = strdup("Bench AB");
		f->email = strdup("bench@example.invalid");
		f->language = strdup(i % 10 ? "sv" : "en");
		for (k = 0; k < 1 + next_rand(&seed) % 4; k++) {
			const char *code = cpv_codes[next_rand(&seed) % cpv_ncodes].code;
			char broad[9];

			/* Firms mostly subscribe to broad codes: keep 3 to 5 digits. */
			snprintf(broad, sizeof broad, "%.*s00000", 3 + (int)(next_rand(&seed) % 3),
				 code);
			broad[8] = '\0';
			strvec_push(&f->cpv, &f->ncpv, broad);
		}
		strvec_push(&f->regions, &f->nregions,
			    regions[next_rand(&seed) % (sizeof regions / sizeof *regions)]);
		firm_list_push(&d->firms, f);
	}
}

static void
bare_cpv(void *arg)
{
	struct data *d = arg;
	size_t i, j, a, b;

	d->hits_base = 0;
	for (j = 0; j < d->nlots; j++)
		for (i = 0; i < d->firms.n; i++) {
			const struct firm *f = d->firms.v[i];
			const struct lot *l = d->lots[j];
			int hit = 0;

			for (a = 0; a < f->ncpv && !hit; a++)
				for (b = 0; b < l->ncpv && !hit; b++)
					hit = strncmp(f->cpv[a], l->cpv[b],
						      cpv_significant(f->cpv[a])) == 0;
			d->hits_base += (unsigned long)hit;
		}
}

static void
full_match(void *arg)
{
	struct data *d = arg;
	size_t i, j;

	d->hits_match = 0;
	for (j = 0; j < d->nlots; j++)
		for (i = 0; i < d->firms.n; i++)
			d->hits_match += (unsigned long)(match_lot(d->firms.v[i],
						d->lots[j], &d->reason) == 1);
}

int
main(void)
{
	struct fetch_options fo = { .timeout = 0, .max_bytes = 16u << 20 };
	static const char *const files[] = {
		"feeds/2026-11-18_exempelkommun_fastighetsunderhall_cn.xml",
		"feeds/2026-11-20_exempelkommun_lokalvard_cn.xml",
		"feeds/2026-11-23_exempelkommun_livsmedel-maltider_cn.xml",
		"feeds/2026-11-24_exempelkommun_skolskjuts-fardtjanst_cn.xml",
		"feeds/2026-11-17_exempelkommun_it-drift_pin.xml",
	};
	struct notice *notices[5] = { 0 };
	struct eforms_parser *p = eforms_parser_new();
	struct data d = { .nlots = 0 };
	struct buf doc;
	char err[256];
	double base, full;
	size_t i, j;

	buf_init(&doc, fo.max_bytes);
	buf_init(&d.reason, 4096);
	d.lots = calloc(64, sizeof *d.lots);
	for (i = 0; i < 5; i++) {
		if (fetch_file(files[i], &fo, &doc, err, sizeof err) < 0 ||
		    eforms_parse(p, doc.data, doc.len, &notices[i], err, sizeof err) < 0) {
			fprintf(stderr, "bench/match: %s: %s\n", files[i], err);
			return 1;
		}
		for (j = 0; j < notices[i]->nlots && d.nlots < 64; j++)
			d.lots[d.nlots++] = &notices[i]->lots[j];
	}
	make_firms(&d);
	bench_pair(5, bare_cpv, full_match, &d, &base, &full);
	printf("match: %d firms x %zu lots, %lu matches (%lu on CPV alone)\n",
	       NFIRMS, d.nlots, d.hits_match, d.hits_base);
	printf("  CPV prefix only     %8.1f M pairs/s  (baseline)\n",
	       NFIRMS * d.nlots / base / 1e6);
	printf("  match_lot           %8.1f M pairs/s  %.2fx the baseline time\n",
	       NFIRMS * d.nlots / full / 1e6, full / base);
	for (i = 0; i < 5; i++)
		notice_free(notices[i]);
	free(d.lots);
	firm_list_release(&d.firms);
	buf_release(&doc);
	buf_release(&d.reason);
	eforms_parser_free(p);
	return 0;
}
