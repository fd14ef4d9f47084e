/*
 * Precision and recall of matching on a hand-labelled set, bench/labels/:
 * eForms notices (notices/NAME.xml), link-only RSS entries (links.xml), a
 * firm register (firms.csv) and the pairs that should match (labels.tsv,
 * notice id TAB orgnr TAB why; every other pair should not). Every notice
 * is split and matched against every firm through the real code (split_lot,
 * match_index, match_find over each part, as ingest does) in three modes:
 * CPV alone (the firms' categories and codes, no words anywhere),
 * keywords alone (the firms' keywords and the categories' words, no CPV
 * codes on lots or firms) and both. The categories are
 * bench/labels/categories.conf if there is one, else config/categories.conf.
 * A row per mode and figure, the CPV-alone figure the baseline.
 */
#include <dirent.h>
#include <unistd.h>

#include "bench.h"
#include "eforms.h"
#include "match.h"
#include "split.h"
#include "stem.h"
#include "syndication.h"

#define LABELS "bench/labels"
/* The set is small and hand-made: more is a mistake. */
#define NOTICES_MAX 5000
#define PAIRS_MAX 100000

enum mode { CPV_ALONE, WORDS_ALONE, BOTH, NMODES };

static const char *const mode_names[NMODES] = {
	"CPV alone", "keywords alone", "CPV and keywords"
};

struct set {
	struct notice *notices[NOTICES_MAX];
	size_t nnotices;
	struct firm_list firms;
	struct category_set cs;
	char **pairs;		/* "notice\torgnr", sorted */
	size_t npairs;
};

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[8192];
	size_t n;

	if (!f)
		return NULL;
	buf_init(&b, 64u << 20);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_add(&b, chunk, n) < 0)
			break;
	fclose(f);
	return buf_detach(&b, len);
}

static void
load_notices(struct set *s)
{
	struct eforms_parser *p = eforms_parser_new();
	DIR *d = opendir(LABELS "/notices");
	struct dirent *de;
	char path[1024], err[512];

	if (!p || !d) {
		fprintf(stderr, "%s/notices: cannot read\n", LABELS);
		exit(1);
	}
	while ((de = readdir(d)) && s->nnotices < NOTICES_MAX) {
		size_t len, k = strlen(de->d_name);
		char *data;

		if (k < 5 || strcmp(de->d_name + k - 4, ".xml"))
			continue;
		snprintf(path, sizeof path, "%s/notices/%s", LABELS, de->d_name);
		if (!(data = slurp(path, &len)) ||
		    eforms_parse(p, data, len, &s->notices[s->nnotices], err,
				 sizeof err) < 0) {
			fprintf(stderr, "%s: %s\n", path, data ? err : "cannot read");
			exit(1);
		}
		s->nnotices++;
		free(data);
	}
	closedir(d);
	eforms_parser_free(p);
}

/* An entry as the RSS feed stores it: a contract notice of one lot. */
static void
load_links(struct set *s)
{
	struct syndication_parser *p = syndication_parser_new();
	struct syndication_feed *f = NULL;
	char err[512], *data;
	size_t len, i;

	if (!(data = slurp(LABELS "/links.xml", &len)))
		return;
	if (!p || syndication_parse(p, data, len, NULL, &f, err, sizeof err) < 0) {
		fprintf(stderr, "%s/links.xml: %s\n", LABELS, err);
		exit(1);
	}
	for (i = 0; i < f->nentries && s->nnotices < NOTICES_MAX; i++) {
		const struct syndication_entry *e = &f->entries[i];
		struct notice *n = notice_new();
		struct lot *l = n ? notice_add_lot(n) : NULL;

		if (!l || !(n->id = strdup(e->id)) ||
		    !(n->title = strdup(e->title ? e->title : e->link)) ||
		    (e->summary && !(n->description = strdup(e->summary))) ||
		    !(l->id = strdup("LOT-0000")))
			exit(1);
		n->kind = NOTICE_COMPETITION;
		s->notices[s->nnotices++] = n;
	}
	syndication_feed_free(f);
	syndication_parser_free(p);
	free(data);
}

static void
load_pairs(struct set *s)
{
	char *text = slurp(LABELS "/labels.tsv", NULL), *line, *save = NULL;

	if (!text) {
		fprintf(stderr, "%s/labels.tsv: cannot read\n", LABELS);
		exit(1);
	}
	for (line = strtok_r(text, "\n", &save); line && s->npairs < PAIRS_MAX;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t'), *end;

		if (line[0] == '#' || !tab)
			continue;
		if ((end = strchr(tab + 1, '\t')))
			*end = '\0';
		if (strvec_push(&s->pairs, &s->npairs, line) < 0)
			exit(1);
	}
	free(text);
	qsort(s->pairs, s->npairs, sizeof *s->pairs, str_cmp);
}

static void
load_set(struct set *s)
{
	const char *cats = access(LABELS "/categories.conf", R_OK) == 0 ?
			   LABELS "/categories.conf" : "config/categories.conf";
	size_t len;
	unsigned nbad = 0;
	char *csv = slurp(LABELS "/firms.csv", &len);

	if (category_load(cats, &s->cs) < 0 || !csv ||
	    firm_csv_parse(csv, len, LABELS "/firms.csv", &s->cs, &s->firms,
			   &nbad) < 0 || nbad)
		exit(1);
	free(csv);
	load_notices(s);
	load_links(s);
	load_pairs(s);
}

static int
labelled(const struct set *s, const char *notice, const char *orgnr)
{
	char key[512], *k = key;

	snprintf(key, sizeof key, "%s\t%s", notice, orgnr);
	return bsearch(&k, s->pairs, s->npairs, sizeof *s->pairs, str_cmp) != NULL;
}

/* The firms one notice matches in a mode, marked in hit[]. */
static void
match_notice(struct set *s, enum mode m, struct match_index *ix,
	     struct stemmer *st, const struct notice *n, unsigned char *hit)
{
	static const struct category_lot whole;
	struct match_result *res = NULL;
	size_t cap = 0, i, p, k;

	for (i = 0; i < n->nlots; i++) {
		struct lot l = n->lots[i];
		struct stem_text text = { 0 };
		struct lot_split sp = { 0 };

		if (m == WORDS_ALONE)
			l.ncpv = 0;
		if ((m != CPV_ALONE && match_text(st, n, &l, &text) < 0) ||
		    split_lot(&s->cs, &l, m != CPV_ALONE ? &text : NULL, &sp) < 0)
			exit(1);
		for (p = 0; p < (sp.nparts ? sp.nparts : 1); p++) {
			struct match_target t = {
				n->kind, &l, sp.nparts ? &sp.parts[p] : &whole,
				m != CPV_ALONE ? &text : NULL
			};
			long found = match_find(ix, &t, &res, &cap);

			for (k = 0; found > 0 && k < (size_t)found; k++)
				hit[res[k].firm] = 1;
		}
		lot_split_release(&sp);
		stem_text_release(&text);
	}
	free(res);
}

static void
run_mode(struct set *s, enum mode m, double *precision, double *recall)
{
	struct match_options opt = { .size_share = 0.5 };
	struct firm **v = calloc(s->firms.n + 1, sizeof *v);
	struct firm *copies = calloc(s->firms.n + 1, sizeof *copies);
	unsigned char *hit = calloc(s->firms.n + 1, 1);
	struct firm_list view = { .v = v, .n = s->firms.n };
	size_t *saved = calloc(s->cs.n + 1, sizeof *saved);
	size_t i, f, tp = 0, fp = 0, fn = 0;
	struct stemmer *st = stemmer_new();
	struct match_index *ix;

	if (!v || !copies || !hit || !saved || !st)
		exit(1);
	/* the firms and categories as the mode has them, borrowed */
	for (f = 0; f < s->firms.n; f++) {
		copies[f] = *s->firms.v[f];
		if (m == CPV_ALONE)
			copies[f].nkeywords = copies[f].nexclude = 0;
		if (m == WORDS_ALONE)
			copies[f].ncpv = 0;
		v[f] = &copies[f];
	}
	for (i = 0; i < s->cs.n; i++) {
		saved[i] = s->cs.v[i].nkeywords;
		if (m == CPV_ALONE)
			s->cs.v[i].nkeywords = 0;
	}
	if (!(ix = match_index_new(&view, &opt)))
		exit(1);
	for (i = 0; i < s->nnotices; i++) {
		memset(hit, 0, s->firms.n);
		match_notice(s, m, ix, st, s->notices[i], hit);
		for (f = 0; f < s->firms.n; f++) {
			int want = labelled(s, s->notices[i]->id, v[f]->orgnr);

			tp += hit[f] && want;
			fp += hit[f] && !want;
			fn += !hit[f] && want;
			if (hit[f] != want)
				printf("  %-16s %s %-40.40s %s\n", mode_names[m],
				       want ? "missed" : "wrong ", s->notices[i]->title,
				       v[f]->name);
		}
	}
	*precision = tp + fp ? (double)tp / (double)(tp + fp) : 1;
	*recall = tp + fn ? (double)tp / (double)(tp + fn) : 1;
	printf("%-16s %3zu right, %3zu wrong, %3zu missed: precision %.3f, "
	       "recall %.3f\n", mode_names[m], tp, fp, fn, *precision, *recall);
	for (i = 0; i < s->cs.n; i++)
		s->cs.v[i].nkeywords = saved[i];
	match_index_free(ix);
	stemmer_free(st);
	free(saved);
	free(hit);
	free(copies);
	free(v);
}

int
main(void)
{
	static struct set s;
	double p[NMODES], r[NMODES];
	char figure[128];
	int m;
	size_t i;

	load_set(&s);
	printf("precision: %zu notices x %zu firms, %zu pairs labelled to "
	       "match\n", s.nnotices, s.firms.n, s.npairs);
	for (m = 0; m < NMODES; m++)
		run_mode(&s, (enum mode)m, &p[m], &r[m]);
	for (m = 0; m < NMODES; m++) {
		snprintf(figure, sizeof figure, "precision, %s, vs CPV alone",
			 mode_names[m]);
		bench_row("precision", figure, p[m], "", p[CPV_ALONE]);
	}
	for (m = 0; m < NMODES; m++) {
		snprintf(figure, sizeof figure, "recall, %s, vs CPV alone",
			 mode_names[m]);
		bench_row("precision", figure, r[m], "", r[CPV_ALONE]);
	}
	for (i = 0; i < s.nnotices; i++)
		notice_free(s.notices[i]);
	strvec_free(s.pairs, s.npairs);
	firm_list_release(&s.firms);
	category_set_release(&s.cs);
	return 0;
}
