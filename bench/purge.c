/*
 * A year of notices, and the same year with its old texts purged
 * ([health] keep_notices): NOTICES notices, copies of the bundled ones
 * and the real TED notices of tests/fixtures/real, each with ids of its
 * own, published through 2025 with their
 * deadlines moved along, each matched to a firm, as a national instance
 * gathers in a year. A copy of that database is purged at the year's end
 * of all but the notices of its last KEEP_DAYS (keep_notices shortened,
 * so that one year shows what years do).
 *
 * Rows: the bytes in use per notice, purged vs kept; the public list's
 * first page and a search (/notices?q=) on the purged copy vs the kept
 * one, in alternating rounds; the purge itself vs storing the year; and
 * the purge of a year whose notices come SHARED to a procedure (a
 * procedure's notice, its changes, its award) vs one each: a procedure
 * is kept while any notice of it is live, and asking that of each old
 * notice once cost the square of a procedure's notices (4,490 notices
 * of one procedure took 88 s).
 */
#include <unistd.h>

#include <sqlite3.h>

#include "bench.h"
#include "eforms.h"
#include "store.h"

#define NOTICES 20000
#define DAYS 365
#define KEEP_DAYS 60
/* 1 January 2025, 00:00 UTC; the purge runs on 1 January 2026. */
#define YEAR_START 1735689600
#define DAY (24 * 3600)
#define ROUNDS 5
#define LISTS 200		/* of the list's first page, a round */
#define SEARCHES 20		/* of a search, a round */
#define SHARED 1000		/* notices a procedure, in the second year */

struct source {
	struct notice *n;
	time_t deadline, *lot_deadline, *lot_questions;
};

struct bench {
	struct source src[64];
	size_t nsrc;
	char work[64], kept[128], purged[128], shared[128];
	struct store *s[2];	/* kept, purged */
};

static int
load_sources(struct bench *b)
{
	struct bench_source text[64];
	struct eforms_parser *p = eforms_parser_new();
	char err[256];
	size_t i, k, n = p ? bench_load_sources("feeds", text, 0, 64) : 0;

	n = bench_load_sources("tests/fixtures/real", text, n, 64);

	for (i = 0; i < n; i++) {
		struct source *s = &b->src[b->nsrc];

		s->n = NULL;
		if (eforms_parse(p, text[i].text, text[i].len, &s->n, err,
				 sizeof err) < 0)
			s->n = NULL;
		free(text[i].text);
		/* a change notice names one not among the copies */
		if (!s->n || s->n->kind == NOTICE_CHANGE) {
			notice_free(s->n);
			continue;
		}
		s->lot_deadline = calloc(s->n->nlots, sizeof (time_t));
		s->lot_questions = calloc(s->n->nlots, sizeof (time_t));
		if (!s->lot_deadline || !s->lot_questions)
			return -1;
		for (k = 0; k < s->n->nlots; k++) {
			s->lot_deadline[k] = s->n->lots[k].deadline;
			s->lot_questions[k] = s->n->lots[k].questions_deadline;
		}
		s->deadline = s->n->deadline;
		b->nsrc++;
	}
	eforms_parser_free(p);
	return b->nsrc ? 0 : -1;
}

static int
replace(char **field, const char *prefix, int k)
{
	char text[64];

	snprintf(text, sizeof text, "%s%012d", prefix, k);
	free(*field);
	return (*field = strdup(text)) ? 0 : -1;
}

/*
 * Copy k of its source, published on day k * DAYS / NOTICES of the year,
 * every deadline that far after its first one, of procedure k / per_proc.
 */
static int
make_copy(struct source *s, int k, int per_proc, time_t *published)
{
	struct notice *n = s->n;
	time_t day = YEAR_START + (time_t)((long long)k * DAYS / NOTICES) * DAY;
	time_t first = s->deadline ? s->deadline : s->lot_deadline[0];
	time_t shift = first ? day + 30 * DAY - first : 0;
	struct tm tm;
	char date[16];
	size_t i;

	gmtime_r(&day, &tm);
	strftime(date, sizeof date, "%Y-%m-%d", &tm);
	free(n->published);
	free(n->publication);
	n->publication = NULL;
	if (!(n->published = strdup(date)) ||
	    replace(&n->id, "bench0000-0000-0000-0000-", k) < 0 ||
	    replace(&n->procedure_id, "bench-procedure-", k / per_proc) < 0)
		return -1;
	n->deadline = s->deadline ? s->deadline + shift : 0;
	for (i = 0; i < n->nlots; i++) {
		n->lots[i].deadline = s->lot_deadline[i] ?
				      s->lot_deadline[i] + shift : 0;
		n->lots[i].questions_deadline = s->lot_questions[i] ?
						s->lot_questions[i] + shift : 0;
	}
	*published = day;
	return 0;
}

/*
 * The year, stored in one transaction, a match for each notice's lot,
 * per_proc notices a procedure.
 */
static int
store_year(struct bench *b, struct store *s, int per_proc)
{
	struct firm *f = firm_new();
	struct firm_list firms = { 0 };
	enum store_put_result r;
	int64_t lots[256];
	time_t day;
	int k, created;

	if (!f || !(f->orgnr = strdup("556036-0793")) ||
	    !(f->name = strdup("Bench AB")) ||
	    !(f->email = strdup("bench@example.se")) ||
	    !(f->language = strdup("sv")) ||
	    store_begin(s) < 0 ||
	    store_put_firm(s, f, "bench", YEAR_START, &created) < 0 ||
	    store_commit(s) < 0 || store_load_firms(s, &firms) < 0 ||
	    firms.n != 1 || store_begin(s) < 0)
		return -1;
	firm_free(f);
	for (k = 0; k < NOTICES; k++) {
		struct source *src = &b->src[(size_t)k % b->nsrc];

		if (src->n->nlots > 256 ||
		    make_copy(src, k, per_proc, &day) < 0 ||
		    store_put_notice(s, src->n, "bench", day, &r, lots) < 0 ||
		    store_put_match(s, firms.v[0]->id, lots[0], src->n->id,
				    src->n->lots[0].id, "competition", "bench",
				    100, "bygg", day, &created) < 0)
			return -1;
	}
	firm_list_release(&firms);
	return store_commit(s);
}

/*
 * Bytes of the database's pages in use (not on its free list), after a
 * VACUUM if vacuum: what the rows take, and what the file comes down to.
 */
static double
bytes_in_use(const char *path, int vacuum)
{
	static const char *const pragma[] = {
		"PRAGMA page_count", "PRAGMA freelist_count", "PRAGMA page_size",
	};
	double v[3] = { 0, 0, 0 };
	sqlite3_stmt *st;
	sqlite3 *db;
	size_t i;

	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    (!vacuum || sqlite3_exec(db, "VACUUM", NULL, NULL, NULL) ==
	     SQLITE_OK))
		for (i = 0; i < 3; i++)
			if (sqlite3_prepare_v2(db, pragma[i], -1, &st, NULL) ==
			    SQLITE_OK) {
				if (sqlite3_step(st) == SQLITE_ROW)
					v[i] = sqlite3_column_double(st, 0);
				sqlite3_finalize(st);
			}
	sqlite3_close(db);
	return (v[0] - v[1]) * v[2];
}

static void
queries(struct store *s, const char *search, int times)
{
	struct public_query q = { .limit = 100, .search = search };
	struct public_notice *p = NULL;
	size_t n = 0;
	int i;

	for (i = 0; i < times; i++) {
		if (store_public_notices(s, &q, &p, &n) < 0 || n == 0)
			exit(1);
		public_notices_free(p, n);
	}
}

/*
 * The database at path purged at the year's end of all but its last
 * KEEP_DAYS; the seconds it took, -1 if it failed. *n: how many.
 */
static double
purge_year(const char *path, long long *n)
{
	struct store *s;
	double t;

	if (store_open(path, &s) < 0)
		return -1;
	t = bench_now();
	if (store_purge_notices(s, YEAR_START + (DAYS - KEEP_DAYS) * DAY,
				YEAR_START + DAYS * DAY, n) < 0)
		t = -1;
	else
		t = bench_now() - t;
	store_free(s);
	return t;
}

static struct bench b;

static void list_kept(void *ctx) { queries(b.s[0], NULL, LISTS); }
static void list_purged(void *ctx) { queries(b.s[1], NULL, LISTS); }
/* a word of many titles and of most descriptions */
static void search_kept(void *ctx) { queries(b.s[0], "upphandling", SEARCHES); }
static void search_purged(void *ctx) { queries(b.s[1], "upphandling", SEARCHES); }

int
main(void)
{
	double stored, purge, shared, kept_bytes, purged_bytes, base, subject;
	long long n, n_shared;
	char cmd[512];
	size_t i;

	snprintf(b.work, sizeof b.work, "/tmp/tenderlots-bench.XXXXXX");
	if (load_sources(&b) < 0 || !mkdtemp(b.work)) {
		fprintf(stderr, "bench/purge: no notices (run from the project "
			"root)\n");
		return 1;
	}
	snprintf(b.kept, sizeof b.kept, "%s/kept.db", b.work);
	snprintf(b.purged, sizeof b.purged, "%s/purged.db", b.work);
	snprintf(b.shared, sizeof b.shared, "%s/shared.db", b.work);
	stored = bench_now();
	if (store_open(b.kept, &b.s[0]) < 0 || store_year(&b, b.s[0], 1) < 0) {
		fprintf(stderr, "bench/purge: storing the year failed\n");
		return 1;
	}
	stored = bench_now() - stored;
	store_free(b.s[0]);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", b.kept, b.purged);
	if (system(cmd) != 0 || (purge = purge_year(b.purged, &n)) < 0)
		return 1;
	kept_bytes = bytes_in_use(b.kept, 0);
	purged_bytes = bytes_in_use(b.purged, 0);
	printf("purge: %d notices of a year (%zu bundled and real, copied), "
	       "one match each; %lld purged, those of the last %d days kept\n",
	       NOTICES, b.nsrc, n, KEEP_DAYS);
	printf("  stored in %.1f s, purged in %.1f s; pages in use %.1f MB "
	       "kept, %.1f MB purged\n", stored, purge, kept_bytes / 1e6,
	       purged_bytes / 1e6);
	bench_row("purge", "purging a year vs storing it", purge, "s", stored);
	if (store_open(b.shared, &b.s[0]) < 0 ||
	    store_year(&b, b.s[0], SHARED) < 0)
		return 1;
	store_free(b.s[0]);
	if ((shared = purge_year(b.shared, &n_shared)) < 0)
		return 1;
	printf("  %d notices a procedure: %lld purged in %.1f s\n", SHARED,
	       n_shared, shared);
	bench_row("purge", "purging a year, 1,000 notices a procedure vs 1",
		  shared, "s", purge);
	/* a notice kept whole, and what one purged comes down to */
	kept_bytes = bytes_in_use(b.kept, 1) / NOTICES;
	purged_bytes = (bytes_in_use(b.purged, 1) -
			(double)(NOTICES - n) * kept_bytes) / (double)n;
	printf("  after VACUUM: %.0f bytes a notice kept, %.0f a notice "
	       "purged\n", kept_bytes, purged_bytes);
	bench_row("purge", "bytes a notice, purged vs kept (VACUUM)",
		  purged_bytes, "B", kept_bytes);
	if (store_open(b.kept, &b.s[0]) < 0 ||
	    store_open(b.purged, &b.s[1]) < 0 || kept_bytes <= 0 || n <= 0)
		return 1;
	bench_pair(ROUNDS, list_kept, list_purged, NULL, &base, &subject);
	printf("  public list, first page: %.2f ms purged, %.2f ms kept\n",
	       subject / LISTS * 1e3, base / LISTS * 1e3);
	bench_row("purge", "public list page, purged vs kept", subject, "s",
		  base);
	bench_pair(ROUNDS, search_kept, search_purged, NULL, &base, &subject);
	printf("  search ?q=upphandling: %.2f ms purged, %.2f ms kept\n",
	       subject / SEARCHES * 1e3, base / SEARCHES * 1e3);
	bench_row("purge", "search ?q=, purged vs kept", subject, "s", base);
	store_free(b.s[0]);
	store_free(b.s[1]);
	for (i = 0; i < b.nsrc; i++) {
		notice_free(b.src[i].n);
		free(b.src[i].lot_deadline);
		free(b.src[i].lot_questions);
	}
	bench_rm_rf(b.work);
	return 0;
}
