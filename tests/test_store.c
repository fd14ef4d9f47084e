#define _XOPEN_SOURCE 700

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>

#include "store.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"

static char dir[PATH_MAX];
static char dbpath[PATH_MAX + 32];

static struct notice *
make_notice(const char *id, const char *version)
{
	struct notice *n = notice_new();
	struct lot *l;

	n->id = strdup(id);
	n->version = strdup(version);
	n->procedure_id = strdup("proc-1");
	n->kind = NOTICE_COMPETITION;
	n->subtype = strdup("16");
	n->title = strdup("Målning av förskolor");
	n->buyer = strdup("Exempelkommun");
	n->published = strdup("2026-11-20");
	n->url = strdup("https://ted.europa.eu/en/notice/-/detail/1-2026");
	n->language = strdup("SWE");
	l = notice_add_lot(n);
	l->id = strdup("LOT-0001");
	l->title = strdup("Målning");
	strvec_push(&l->cpv, &l->ncpv, "45442100");
	strvec_push(&l->nuts, &l->nnuts, "SE232");
	l->has_value = 1;
	l->value = 1500000;
	l->currency = strdup("SEK");
	l->sme_suitable = 1;
	l->has_deadline = 1;
	l->deadline = 1800000000;
	return n;
}

static struct firm *
make_firm(const char *orgnr, const char *email)
{
	struct firm *f = firm_new();

	f->orgnr = strdup(orgnr);
	f->name = strdup("Berglunds Måleri AB");
	f->email = strdup(email);
	f->language = strdup("sv");
	strvec_push(&f->cpv, &f->ncpv, "45440000");
	strvec_push(&f->regions, &f->nregions, "SE232");
	f->employees = 4;
	return f;
}

static struct store *
fresh_store(void)
{
	struct store *s = NULL;

	make_tmpdir(dir, "test_store");
	snprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
	if (store_open(dbpath, &s) < 0) {
		fprintf(stderr, "cannot open %s\n", dbpath);
		exit(2);
	}
	return s;
}

static void
done_store(struct store *s)
{
	store_free(s);
	rm_rf(dir);
}


static void
test_open_and_migrate(void)
{
	struct store *s = fresh_store();
	struct store *again = NULL;
	sqlite3 *db;
	sqlite3_stmt *st;
	char mode[16] = "";

	CHECK(db_query(dbpath, "PRAGMA user_version") == store_schema_version());
	CHECK(db_query(dbpath, "SELECT count(*) FROM sqlite_master WHERE name = 'message'") == 1);
	if (sqlite3_open(dbpath, &db) == SQLITE_OK) {
		if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW)
				snprintf(mode, sizeof mode, "%s", sqlite3_column_text(st, 0));
			sqlite3_finalize(st);
		}
		sqlite3_close(db);
	}
	CHECK_STR(mode, "wal");
	/* A second open of a migrated database migrates nothing. */
	CHECK(store_open(dbpath, &again) == 0);
	store_free(again);
	done_store(s);
}

static void
test_refuses_newer_schema(void)
{
	struct store *s = fresh_store();
	struct store *again = NULL;
	struct capture c;
	sqlite3 *db;
	char *err;

	store_free(s);
	sqlite3_open(dbpath, &db);
	sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL);
	sqlite3_close(db);
	capture_start(&c, 2);
	CHECK(store_open(dbpath, &again) < 0);
	err = capture_end(&c);
	CHECK(strstr(err, "schema version 999 is newer") != NULL);
	free(err);
	rm_rf(dir);
}

static void
test_put_notice_idempotent(void)
{
	struct store *s = fresh_store();
	struct notice *n = make_notice("n-1", "01");
	struct notice *n2 = make_notice("n-1", "02");
	enum store_put_result r;
	int64_t lots[1] = { 0 };

	CHECK(store_put_notice(s, n, "test", 100, &r, lots) == 0);
	CHECK(r == STORE_NEW);
	CHECK(lots[0] > 0);
	lots[0] = 0;
	CHECK(store_put_notice(s, n, "test", 200, &r, lots) == 0);
	CHECK(r == STORE_UNCHANGED);
	CHECK(lots[0] == 0);
	CHECK(store_put_notice(s, n2, "test", 300, &r, lots) == 0);
	CHECK(r == STORE_CHANGED);
	CHECK(db_query(dbpath, "SELECT count(*) FROM notice") == 2);
	CHECK(db_query(dbpath, "SELECT count(*) FROM lot") == 2);
	CHECK(db_query(dbpath, "SELECT count(*) FROM lot WHERE cpv = '45442100' AND "
			"nuts = 'SE232' AND value = 1500000 AND sme_suitable = 1 "
			"AND deadline = 1800000000") == 2);
	notice_free(n);
	notice_free(n2);
	done_store(s);
}

/* How many notices the public list's search for words finds. */
static size_t
searched(struct store *s, const char *words)
{
	struct public_query q = { .limit = 5000, .search = words };
	struct public_notice *p = NULL;
	size_t n = 0;

	CHECK(store_public_notices(s, &q, &p, &n) == 0);
	public_notices_free(p, n);
	return n;
}

/* Stores an RFI (listed without a match) with a title and a lot's
 * description. */
static void
put_listed(struct store *s, const char *id, const char *title,
	   const char *lot_description)
{
	struct notice *n = make_notice(id, "01");
	enum store_put_result r;
	int64_t lots[1];

	n->kind = NOTICE_RFI;
	free(n->title);
	n->title = strdup(title);
	n->lots[0].description = lot_description ? strdup(lot_description) :
				 NULL;
	CHECK(store_put_notice(s, n, "test", 100, &r, lots) == 0);
	notice_free(n);
}

/*
 * A notice goes into the search index when the transaction that stores it
 * commits (in one statement for the batch), by its lots' words too; at once
 * outside a transaction; never when it rolls back, also when its rowid is
 * then taken by another notice; and a transaction of more notices than
 * the queue holds indexes every one.
 */
static void
test_search_indexed_at_commit(void)
{
	struct store *s = fresh_store();
	char id[32];
	int i;

	CHECK(store_begin(s) == 0);
	put_listed(s, "n-1", "Målning av förskolor", NULL);
	store_rollback(s);
	CHECK(store_begin(s) == 0);
	put_listed(s, "n-2", "Fönsterputsning av skolor",
		   "Snöröjningen ingår inte.");
	CHECK(searched(s, "fönsterputsning") == 0);
	CHECK(store_commit(s) == 0);
	CHECK(searched(s, "förskolor") == 0);
	CHECK(searched(s, "fönsterputsningen") == 1);
	CHECK(searched(s, "snöröjning") == 1);
	put_listed(s, "n-3", "Målning av förskolor", NULL);
	CHECK(searched(s, "förskola") == 1);
	CHECK(store_begin(s) == 0);
	for (i = 0; i < 1100; i++) {
		snprintf(id, sizeof id, "batch-%d", i);
		put_listed(s, id, "Takläggning", NULL);
	}
	CHECK(store_commit(s) == 0);
	CHECK(searched(s, "takläggningen") == 1100);
	done_store(s);
}

/* A writer that begins again the moment it commits, as the pass queues. */
struct hog {
	struct store *s;
	struct firm *f;
	atomic_int commits, stop;
};

static void *
hog_run(void *arg)
{
	struct hog *h = arg;
	struct timespec held = { 0, 500 * 1000 };
	int created;

	while (!atomic_load(&h->stop)) {
		if (store_begin(h->s) < 0 ||
		    store_put_firm(h->s, h->f, "test", 100, &created) < 0)
			break;
		nanosleep(&held, NULL);
		if (store_commit(h->s) < 0)
			break;
		atomic_fetch_add(&h->commits, 1);
	}
	store_rollback(h->s);
	return NULL;
}

/*
 * Two connections sharing turns: one that writes without pause lets the
 * other in after the transaction it holds, not when SQLite's lock
 * happens to be free as the other wakes (the pass's courier delivered
 * almost nothing while the pass queued). Without the turns the waiter
 * sees dozens of commits go by, or gives up.
 */
static void
test_turns_first_come_first_served(void)
{
	struct store *s = fresh_store(), *other = NULL;
	struct firm *f = make_firm("556036-0793", "a@b.example");
	struct store_turns *turns = NULL;
	struct hog h = { .s = s, .f = f };
	struct timespec tick = { 0, 1000 * 1000 };
	struct outbox_message m = {
		.key = "web/confirm/1", .rcpt = "a@b.example",
		.envelope_from = "from@x.example", .body = "Subject: x\r\n\r\n",
	};
	pthread_t t;
	int before, created, i;

	m.len = strlen(m.body);
	CHECK(store_put_firm(s, f, "test", 100, &created) == 0);
	CHECK(store_queue_message(s, &m, NULL, 0, 100) == 0);
	CHECK(store_open(dbpath, &other) == 0);
	CHECK(store_turns_new(&turns) == 0);
	store_share_turns(s, turns);
	store_share_turns(other, turns);
	CHECK(pthread_create(&t, NULL, hog_run, &h) == 0);
	for (i = 0; i < 5000 && atomic_load(&h.commits) < 3; i++)
		nanosleep(&tick, NULL);
	for (i = 0; i < 20; i++) {
		before = atomic_load(&h.commits);
		CHECK(store_begin(other) == 0);
		CHECK(atomic_load(&h.commits) - before <= 1);
		CHECK(store_put_firm(other, f, "test", 200, &created) == 0);
		CHECK(store_commit(other) == 0);
	}
	/* a write of its own, as the courier marks a mail sent */
	for (i = 0; i < 20; i++) {
		before = atomic_load(&h.commits);
		CHECK(store_mark_message(other, 1, MSG_PENDING, NULL, 300,
					 300) == 0);
		CHECK(atomic_load(&h.commits) - before <= 2);
	}
	atomic_store(&h.stop, 1);
	pthread_join(t, NULL);
	CHECK(atomic_load(&h.commits) >= 20);
	store_free(other);
	firm_free(f);
	done_store(s);
	store_turns_free(turns);
}

struct waiter {
	struct store *s;
	atomic_int began;
};

static void *
waiter_run(void *arg)
{
	struct waiter *w = arg;

	if (store_begin(w->s) == 0) {
		atomic_store(&w->began, 1);
		store_commit(w->s);
	}
	return NULL;
}

/*
 * The holder of the turn learns that another waits for it, so that it
 * can commit what it has (the pass's queue batch) rather than finish.
 */
static void
test_turn_wanted(void)
{
	struct store *s = fresh_store();
	struct store_turns *turns = NULL;
	struct waiter w = { 0 };
	struct timespec tick = { 0, 1000 * 1000 };
	pthread_t t;
	int i, wanted = 0;

	CHECK(store_open(dbpath, &w.s) == 0);
	CHECK(store_turns_new(&turns) == 0);
	CHECK(!store_turn_wanted(s));
	store_share_turns(s, turns);
	store_share_turns(w.s, turns);
	CHECK(store_begin(s) == 0);
	CHECK(!store_turn_wanted(s));
	CHECK(pthread_create(&t, NULL, waiter_run, &w) == 0);
	for (i = 0; i < 5000 && !(wanted = store_turn_wanted(s)); i++)
		nanosleep(&tick, NULL);
	CHECK(wanted);
	CHECK(!atomic_load(&w.began));
	CHECK(store_commit(s) == 0);
	pthread_join(t, NULL);
	CHECK(atomic_load(&w.began));
	CHECK(!store_turn_wanted(s));
	store_free(w.s);
	done_store(s);
	store_turns_free(turns);
}

static long long
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/*
 * With the log's copies left for later, 8 MB of mails stay in the log
 * until the writer copies them once; unset, SQLite copies every 4 MB on
 * its own, in the commit that crosses the mark.
 */
static void
test_checkpoint_later(void)
{
	enum { MAILS = 128, BODY = 64 * 1024 };
	struct store *s = fresh_store();
	struct outbox_message m = {
		.rcpt = "a@b.example", .envelope_from = "from@x.example",
	};
	char key[32], *body = malloc(BODY);
	int later, i;

	memset(body, 'x', BODY);
	m.body = body;
	m.len = BODY;
	for (later = 1; later >= 0; later--) {
		long long before = file_size(dbpath);

		CHECK(store_checkpoint_later(s, later) == 0);
		for (i = 0; i < MAILS; i++) {
			snprintf(key, sizeof key, "web/test/%d/%d", later, i);
			m.key = key;
			CHECK(store_queue_message(s, &m, NULL, 0, 1000) == 0);
		}
		if (later)
			CHECK(file_size(dbpath) - before < BODY * MAILS / 8);
		else
			CHECK(file_size(dbpath) - before > BODY * MAILS / 4);
		CHECK(store_checkpoint(s) == 0);
		CHECK(file_size(dbpath) - before >= BODY * MAILS);
	}
	free(body);
	done_store(s);
}

static void
test_rollback_keeps_nothing(void)
{
	struct store *s = fresh_store();
	struct notice *n = make_notice("n-1", "01");
	enum store_put_result r;
	int64_t lots[1];

	CHECK(store_begin(s) == 0);
	CHECK(store_put_notice(s, n, "test", 100, &r, lots) == 0);
	store_rollback(s);
	CHECK(db_query(dbpath, "SELECT count(*) FROM notice") == 0);
	CHECK(db_query(dbpath, "SELECT count(*) FROM lot") == 0);
	notice_free(n);
	done_store(s);
}

static void
test_firms(void)
{
	struct store *s = fresh_store();
	struct firm *f = make_firm("556036-0793", "a@b.example");
	struct firm_list l = { 0 };
	int created, found;

	CHECK(store_put_firm(s, f, "import:t.csv", 100, &created) == 0);
	CHECK(created == 1);
	free(f->email);
	f->email = strdup("new@b.example");
	CHECK(store_put_firm(s, f, "import:t.csv", 200, &created) == 0);
	CHECK(created == 0);
	CHECK(store_load_firms(s, &l) == 0);
	CHECK(l.n == 1);
	if (l.n == 1) {
		CHECK_STR(l.v[0]->email, "new@b.example");
		CHECK_STR(l.v[0]->cpv[0], "45440000");
		CHECK_STR(l.v[0]->regions[0], "SE232");
		CHECK(l.v[0]->employees == 4);
		CHECK(l.v[0]->turnover == -1);
		CHECK(l.v[0]->id > 0);
	}
	CHECK(db_query(dbpath, "SELECT consent_at FROM firm") == 100);
	CHECK(store_remove_firm(s, "556036-0793", &found) == 0);
	CHECK(found == 1);
	CHECK(store_remove_firm(s, "556036-0793", &found) == 0);
	CHECK(found == 0);
	firm_list_release(&l);
	firm_free(f);
	done_store(s);
}

/*
 * Among many firms, stored in an order unlike that of their orgnr (by
 * which the store lists them), each id finds its own firm: the outbox
 * looks one up for every reminder and change, so the store's lists come
 * indexed by id; a firm added later is still found.
 */
static void
test_firm_lookup(void)
{
	enum { N = 3000 };
	struct store *s = fresh_store();
	struct firm_list l = { 0 };
	struct firm *extra = make_firm("999999-9999", "x@b.example");
	char orgnr[16], email[32];
	size_t i, wrong = 0;
	int64_t max = 0;
	int created;

	CHECK(store_begin(s) == 0);
	for (i = 0; i < N; i++) {
		/* 1009 and N share no factor: each k once, shuffled */
		unsigned k = (unsigned)(i * 1009 % N);
		struct firm *f;

		snprintf(orgnr, sizeof orgnr, "55%04u-%04u", k, N - k);
		snprintf(email, sizeof email, "f%u@b.example", k);
		f = make_firm(orgnr, email);
		CHECK(store_put_firm(s, f, "test", 100, &created) == 0);
		firm_free(f);
	}
	CHECK(store_commit(s) == 0);
	CHECK(store_load_firms(s, &l) == 0 && l.n == N);
	CHECK(l.by_id != NULL);
	for (i = 0; i < l.n; i++) {
		const struct firm *f = firm_list_find(&l, l.v[i]->id);
		unsigned k;

		if (l.v[i]->id > max)
			max = l.v[i]->id;
		if (!f || f != l.v[i] || sscanf(f->email, "f%u@", &k) != 1 ||
		    snprintf(orgnr, sizeof orgnr, "55%04u-%04u", k, N - k) < 0 ||
		    strcmp(orgnr, f->orgnr) != 0)
			wrong++;
	}
	CHECK(wrong == 0);
	CHECK(firm_list_find(&l, max + 1) == NULL);
	CHECK(firm_list_find(&l, 0) == NULL);
	/* the ids do not follow the list's order, or this proved little */
	CHECK(l.v[0]->id != 1 || l.v[1]->id != 2);
	extra->id = max + 1;
	CHECK(firm_list_push(&l, extra) == 0);
	CHECK(l.by_id == NULL);
	CHECK(firm_list_find(&l, max + 1) == extra);
	CHECK(firm_list_index(&l) == 0 && l.by_id != NULL);
	CHECK(firm_list_find(&l, max + 1) == extra);
	CHECK(firm_list_find(&l, l.v[7]->id) == l.v[7]);
	firm_list_release(&l);
	done_store(s);
}

/* A notice, a firm and a match between them; returns the firm's id. */
static int64_t
setup_match(struct store *s, int *created)
{
	struct notice *n = make_notice("n-1", "01");
	struct firm *f = make_firm("556036-0793", "a@b.example");
	struct firm_list l = { 0 };
	enum store_put_result r;
	int64_t lots[1], id = 0;
	int c;

	store_put_notice(s, n, "test", 100, &r, lots);
	store_put_firm(s, f, "test", 100, &c);
	if (store_load_firms(s, &l) == 0 && l.n == 1)
		id = l.v[0]->id;
	CHECK(store_put_match(s, id, lots[0], n->id, "LOT-0001", "competition",
			      "CPV 45442100", 150, "maleri", 100, created) == 0);
	firm_list_release(&l);
	firm_free(f);
	notice_free(n);
	return id;
}

static void
test_match_unique(void)
{
	struct store *s = fresh_store();
	struct notice *n2 = make_notice("n-1", "02");
	enum store_put_result r;
	int64_t firm, lots[1];
	int created;

	firm = setup_match(s, &created);
	CHECK(created == 1);
	/* The same lot in a new version of the notice is not a new match. */
	store_put_notice(s, n2, "test", 200, &r, lots);
	CHECK(store_put_match(s, firm, lots[0], "n-1", "LOT-0001", "competition",
			      "CPV 45442100", 150, "maleri", 200, &created) == 0);
	CHECK(created == 0);
	CHECK(store_put_match(s, firm, lots[0], "n-1", "LOT-0001", "planning",
			      "CPV 45442100", 120, NULL, 200, &created) == 0);
	CHECK(created == 1);
	CHECK(db_query(dbpath, "SELECT count(*) FROM match") == 2);
	CHECK(db_query(dbpath, "SELECT score FROM match WHERE kind = 'competition' "
			"AND category = 'maleri'") == 150);
	notice_free(n2);
	done_store(s);
}

/* Copies a title in lang into the texts *t of which there are *n. */
static void
add_title(struct text **t, size_t *n, const char *lang, const char *value)
{
	struct text *more = realloc(*t, (*n + 1) * sizeof *more);

	if (!more)
		exit(2);
	*t = more;
	more[(*n)++] = (struct text){ strdup(lang), strdup(value) };
}

/*
 * A pass reads a lot's part of its matches once for all the firms told
 * of it (store_unqueued_matches_cached): each firm gets what it got
 * read alone, the English firm the English titles, also from the cache.
 */
static void
test_unqueued_matches_cached(void)
{
	struct store *s = fresh_store();
	struct notice *n = make_notice("n-1", "01");
	struct firm *f[3] = { make_firm("556036-0793", "a@b.example"),
			      make_firm("556677-8897", "c@d.example"),
			      make_firm("559900-0011", "e@f.example") };
	struct match_cache *c = match_cache_new();
	struct match_item *alone = NULL, *shared = NULL;
	struct firm_list l = { 0 };
	enum store_put_result r;
	int64_t lots[1];
	size_t i, k, na = 0, ns = 0;
	int created;

	add_title(&n->titles, &n->ntitles, "ENG", "Painting of preschools");
	add_title(&n->lots[0].titles, &n->lots[0].ntitles, "ENG", "Painting");
	free(f[1]->language);
	f[1]->language = strdup("en");
	CHECK(store_put_notice(s, n, "test", 100, &r, lots) == 0);
	for (i = 0; i < 3; i++)
		CHECK(store_put_firm(s, f[i], "test", 100, &created) == 0);
	CHECK(store_load_firms(s, &l) == 0 && l.n == 3);
	for (i = 0; i < l.n; i++)
		CHECK(store_put_match(s, l.v[i]->id, lots[0], "n-1", "LOT-0001",
				      "competition", i ? "CPV 45442100" : "ord",
				      150, i == 2 ? NULL : "maleri", 100,
				      &created) == 0);
	/* twice round: the second time every lot's part is from the cache */
	for (k = 0; k < 2 * l.n; k++) {
		const struct firm *fk = l.v[k % l.n];
		int en = strcmp(fk->language, "en") == 0;

		CHECK(store_unqueued_matches(s, fk->id, NULL, 10, &alone,
					     &na) == 0);
		CHECK(store_unqueued_matches_cached(s, c, fk->id, "n-1", 10,
						    &shared, &ns) == 0);
		CHECK(na == 1 && ns == 1);
		if (na == 1 && ns == 1) {
			CHECK(shared[0].match_id == alone[0].match_id);
			CHECK_STR(shared[0].reason, alone[0].reason);
			CHECK_STR(shared[0].reason, k % l.n ? "CPV 45442100" : "ord");
			CHECK(!shared[0].category == (k % l.n == 2));
			CHECK_STR(shared[0].notice_title, alone[0].notice_title);
			CHECK_STR(shared[0].notice_title, en ?
				  "Painting of preschools" : "Målning av förskolor");
			CHECK_STR(shared[0].lot_title, en ? "Painting" : "Målning");
			CHECK_STR(shared[0].notice_id, "n-1");
			CHECK_STR(shared[0].kind, "competition");
			CHECK(shared[0].has_value && shared[0].value == 1500000);
			CHECK(shared[0].deadline == alone[0].deadline);
			CHECK(shared[0].nlots == 1 && shared[0].lot_number == 1);
		}
		match_items_free(alone, na);
		match_items_free(shared, ns);
		alone = shared = NULL;
	}
	match_cache_free(c);
	firm_list_release(&l);
	for (i = 0; i < 3; i++)
		firm_free(f[i]);
	notice_free(n);
	done_store(s);
}

/* The query plan's details for sql on the database at path, one a line. */
static void
query_plan(const char *path, const char *sql, char *out, size_t outlen)
{
	char explain[1024];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	size_t n = 0;

	out[0] = '\0';
	snprintf(explain, sizeof explain, "EXPLAIN QUERY PLAN %s", sql);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, explain, -1, &st, NULL) != SQLITE_OK) {
		snprintf(out, outlen, "cannot explain: %s", sqlite3_errmsg(db));
	} else {
		while (sqlite3_step(st) == SQLITE_ROW && n + 1 < outlen)
			n += (size_t)snprintf(out + n, outlen - n, "%s\n",
					      (const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/*
 * The outbox takes the due mails a batch at a time, oldest first: an
 * index serves that order, so no batch sorts the whole backlog, and a
 * cursor passes those the pass left pending, so none is read again.
 */
static void
test_due_messages_by_cursor(void)
{
	enum { N = 250 };
	struct store *s = fresh_store();
	struct outbox_message *due = NULL, m = {
		.rcpt = "a@b.example", .envelope_from = "from@x.example",
		.body = "Subject: x\r\n\r\nhej\r\n",
	};
	char key[32], plan[1024];
	int64_t after = 0, last = 0;
	size_t n = 0, seen = 0, i;
	int batches = 0, ordered = 1;

	m.len = strlen(m.body);
	for (i = 0; i < N; i++) {
		snprintf(key, sizeof key, "web/confirm/%zu", i);
		m.key = key;
		CHECK(store_queue_message(s, &m, NULL, 0, 1000) == 0);
	}
	/* every third is deferred to later as it is read */
	do {
		after = n ? due[n - 1].id : after;
		outbox_messages_free(due, n);
		due = NULL;
		n = 0;
		CHECK(store_due_messages(s, 1000, NULL, after, 100, &due, &n) == 0);
		for (i = 0; i < n; i++) {
			if (due[i].id <= last)
				ordered = 0;
			last = due[i].id;
			if (due[i].id % 3 == 0)
				CHECK(store_mark_message(s, due[i].id, MSG_PENDING,
							 "421 later", 1000, 1000) == 0);
		}
		seen += n;
		batches++;
	} while (n == 100 && batches < 10);
	outbox_messages_free(due, n);
	CHECK(seen == N && batches == 3 && ordered);
	/* those left pending are due to the next pass */
	due = NULL;
	CHECK(store_due_messages(s, 1000, NULL, 0, 1000, &due, &n) == 0);
	CHECK(n == N);
	outbox_messages_free(due, n);

	/* the store's query, as src/store/matches.c has it */
	query_plan(dbpath, "SELECT id, key, firm, rcpt, envelope_from,"
		   " coalesce((SELECT b.body FROM message_body b"
		   " WHERE b.message = id), X''), attempts, created_at"
		   " FROM message WHERE state = 'pending'"
		   " AND id > ?4 AND next_attempt <= ?1"
		   " AND (?3 IS NULL OR substr(key, 1, length(?3)) = ?3)"
		   " ORDER BY id LIMIT ?2", plan, sizeof plan);
	CHECK(strstr(plan, "message_pending") != NULL);
	CHECK(strstr(plan, "TEMP B-TREE") == NULL);
	if (strstr(plan, "TEMP B-TREE") || !strstr(plan, "message_pending"))
		fprintf(stderr, "  the plan: %s", plan);
	done_store(s);
}

static void
test_outbox_states(void)
{
	struct store *s = fresh_store();
	struct match_item *items = NULL;
	struct outbox_message *due = NULL;
	size_t n = 0, ndue = 0;
	int64_t firm, ids[1];
	int created, recovered, claimed;
	struct claim daemon = { "run:1", 1100 }, web = { "web:2", 1100 };
	struct outbox_message m = {
		.key = "alert/556036-0793/1", .rcpt = "a@b.example",
		.envelope_from = "from@x.example", .body = "Subject: x\r\n\r\nhej\r\n",
	};

	firm = setup_match(s, &created);
	CHECK(store_unqueued_matches(s, firm, NULL, 10, &items, &n) == 0);
	CHECK(n == 1);
	if (n == 1) {
		CHECK_STR(items[0].notice_title, "Målning av förskolor");
		CHECK_STR(items[0].url, "https://ted.europa.eu/en/notice/-/detail/1-2026");
		CHECK(items[0].has_deadline && items[0].deadline == 1800000000);
		CHECK(items[0].has_value && items[0].value == 1500000);
		ids[0] = items[0].match_id;
	}
	match_items_free(items, n);
	m.firm_id = firm;
	m.len = strlen(m.body);
	CHECK(store_queue_message(s, &m, ids, 1, 1000) == 0);
	CHECK(store_queue_message(s, &m, ids, 1, 1000) == 1);
	CHECK(db_query(dbpath, "SELECT count(*) FROM message") == 1);
	items = NULL;
	CHECK(store_unqueued_matches(s, firm, NULL, 10, &items, &n) == 0);
	CHECK(n == 0);
	match_items_free(items, n);

	CHECK(store_due_messages(s, 999, NULL, 0, 10, &due, &ndue) == 0);
	CHECK(ndue == 0);
	outbox_messages_free(due, ndue);
	CHECK(store_due_messages(s, 1000, NULL, 0, 10, &due, &ndue) == 0);
	CHECK(ndue == 1);
	if (ndue == 1) {
		CHECK_STR(due[0].body, m.body);
		CHECK(due[0].len == m.len);
		/* no sender had it: a Maildir need not look for it */
		CHECK(due[0].first_try);
		CHECK(store_claim_message(s, due[0].id, &daemon, &claimed) == 0 &&
		      claimed);
		/* a second sender beside the first cannot take it too */
		CHECK(store_claim_message(s, due[0].id, &web, &claimed) == 0 &&
		      !claimed);
	}
	outbox_messages_free(due, ndue);
	/* A crash while sending: the message comes back, never lost. */
	CHECK(store_recover_sending(s, "run:", 1000, &recovered) == 0);
	CHECK(recovered == 1);
	/* a crash is no answer from the server: it does not count */
	CHECK(db_query(dbpath, "SELECT attempts FROM message") == 0);
	CHECK(store_due_messages(s, 1000, NULL, 0, 10, &due, &ndue) == 0);
	CHECK(ndue == 1);
	if (ndue == 1) {
		/* but it may have been given before the crash */
		CHECK(!due[0].first_try);
		CHECK(store_mark_message(s, due[0].id, MSG_PENDING, "421 busy", 2000, 1000) == 0);
		CHECK(db_query(dbpath, "SELECT next_attempt FROM message") == 2000);
		CHECK(store_mark_message(s, due[0].id, MSG_SENT, NULL, 0, 2001) == 0);
	}
	outbox_messages_free(due, ndue);
	CHECK(db_query(dbpath, "SELECT sent_at FROM message WHERE state = 'sent'") == 2001);
	CHECK(store_due_messages(s, 99999, NULL, 0, 10, &due, &ndue) == 0);
	CHECK(ndue == 0);
	outbox_messages_free(due, ndue);
	done_store(s);
}

/*
 * A pass of the daemon takes back a crashed daemon's claims at once, but
 * leaves the web endpoint's live claim alone until its lease runs out:
 * the mail the web is sending is not sent a second time by the daemon.
 */
static void
test_claims_have_owner_and_lease(void)
{
	struct store *s = fresh_store();
	struct outbox_message m = {
		.key = "web/confirm/556036-0793/1", .rcpt = "a@b.example",
		.envelope_from = "f@x.example", .body = "x", .len = 1,
	}, *due = NULL;
	struct claim web = { "web:4242", 1600 }, daemon = { "run:7", 1600 };
	size_t n = 0;
	int created, claimed, recovered;

	m.firm_id = setup_match(s, &created);
	CHECK(store_queue_message(s, &m, NULL, 0, 1000) == 0);
	m.key = "alert/556036-0793/2";
	CHECK(store_queue_message(s, &m, NULL, 0, 1000) == 0);
	/* the web's courier asks only for its own */
	CHECK(store_due_messages(s, 1000, "web/", 0, 10, &due, &n) == 0);
	CHECK(n == 1 && strcmp(due[0].key, "web/confirm/556036-0793/1") == 0);
	if (n == 1)
		CHECK(store_claim_message(s, due[0].id, &web, &claimed) == 0 &&
		      claimed);
	outbox_messages_free(due, n);
	due = NULL;
	CHECK(store_due_messages(s, 1000, NULL, 0, 10, &due, &n) == 0);
	CHECK(n == 1);
	if (n == 1)
		CHECK(store_claim_message(s, due[0].id, &daemon, &claimed) == 0 &&
		      claimed);
	outbox_messages_free(due, n);
	CHECK(db_query(dbpath, "SELECT count(*) FROM message WHERE "
		       "claimed_by = 'web:4242' AND lease_until = 1600") == 1);
	/* the next daemon: the dead daemon's claim comes back, the web's not */
	CHECK(store_recover_sending(s, "run:", 1100, &recovered) == 0);
	CHECK(recovered == 1);
	CHECK(db_query(dbpath, "SELECT count(*) FROM message WHERE "
		       "key LIKE 'web/%' AND state = 'sending'") == 1);
	CHECK(db_query(dbpath, "SELECT count(*) FROM message WHERE "
		       "key LIKE 'alert/%' AND state = 'pending'") == 1);
	/* a web endpoint that died: its claim lapses with its lease */
	CHECK(store_recover_sending(s, "run:", 1600, &recovered) == 0);
	CHECK(recovered == 1);
	CHECK(db_query(dbpath, "SELECT count(*) FROM message WHERE "
		       "state = 'pending' AND claimed_by IS NULL") == 2);
	done_store(s);
}

/*
 * A deleted firm's id is never given to the next firm, so the links in
 * the deleted firm's old mails can never open another firm's account.
 */
static void
test_firm_ids_never_reused(void)
{
	struct store *s = fresh_store();
	struct firm *a = make_firm("556036-0793", "a@b.example");
	struct firm *b = make_firm("559318-8062", "c@d.example");
	enum firm_state state;
	int64_t first, second;
	int found;

	CHECK(store_subscribe_firm(s, a, 1000, 7 * 86400, &first, &state) == 0);
	CHECK(state == FIRM_NEW);
	CHECK(store_delete_firm(s, first, 1001, &found) == 0 && found);
	CHECK(store_subscribe_firm(s, b, 1002, 7 * 86400, &second, &state) == 0);
	CHECK(state == FIRM_NEW && second > first);
	firm_free(a);
	firm_free(b);
	done_store(s);
}

/*
 * The subscribe form never changes a stored firm, confirmed or pending:
 * the org.nr is public, so the form proves nothing. Only a subscription
 * left unconfirmed past its time is replaced, with a new id.
 */
static void
test_subscribe_never_overwrites(void)
{
	struct store *s = fresh_store();
	struct firm *owner = make_firm("556036-0793", "owner@firm.example");
	struct firm *attacker = make_firm("556036-0793", "evil@attacker.example");
	enum firm_state state;
	int64_t id, again;
	int found;

	CHECK(store_subscribe_firm(s, owner, 1000, 604800, &id, &state) == 0);
	CHECK(state == FIRM_NEW);
	/* pending: the attacker's form leaves it as it was */
	CHECK(store_subscribe_firm(s, attacker, 2000, 604800, &again, &state) == 0);
	CHECK(state == FIRM_PENDING && again == id);
	CHECK(db_query(dbpath, "SELECT count(*) FROM firm WHERE "
		       "email = 'owner@firm.example'") == 1);
	/* confirmed: the same */
	CHECK(store_confirm_firm(s, id, 3000, &found) == 0 && found);
	CHECK(store_subscribe_firm(s, attacker, 4000, 604800, &again, &state) == 0);
	CHECK(state == FIRM_ACTIVE && again == id);
	CHECK(db_query(dbpath, "SELECT count(*) FROM firm WHERE "
		       "email = 'owner@firm.example'") == 1);
	/* an address change waits for its link: only the latest one counts */
	CHECK(store_request_email(s, id, "new@firm.example", 5000) == 0);
	CHECK(store_request_email(s, id, "newer@firm.example", 5001) == 0);
	CHECK(store_confirm_email(s, id, 5000, 5100, &found) == 0 && !found);
	CHECK(db_query(dbpath, "SELECT count(*) FROM firm WHERE "
		       "email = 'owner@firm.example'") == 1);
	CHECK(store_confirm_email(s, id, 5001, 5100, &found) == 0 && found);
	CHECK(db_query(dbpath, "SELECT count(*) FROM firm WHERE "
		       "email = 'newer@firm.example'") == 1);
	CHECK(store_confirm_email(s, id, 5001, 5200, &found) == 0 && !found);
	/* an unconfirmed subscription lapses after its week */
	CHECK(store_remove_firm(s, "556036-0793", &found) == 0 && found);
	CHECK(store_subscribe_firm(s, attacker, 10000, 604800, &id, &state) == 0);
	CHECK(store_subscribe_firm(s, owner, 10000 + 604800, 604800, &again,
				   &state) == 0);
	CHECK(state == FIRM_NEW && again > id);
	CHECK(db_query(dbpath, "SELECT count(*) FROM firm WHERE "
		       "email = 'evil@attacker.example'") == 0);
	firm_free(owner);
	firm_free(attacker);
	done_store(s);
}

/* Limits on forms count per key and window; a refused try is no try. */
/* A rates feed's rates replace the stored ones only when they are newer. */
static void
test_rates(void)
{
	struct store *s = fresh_store();
	struct money_rates *r = money_rates_new(), *got = NULL;
	char *source = NULL;
	double sek;
	int stored = -1;

	CHECK(store_load_rates(s, &got, &source) == 0 && got && !source);
	CHECK(got && strcmp(money_rates_day(got), MONEY_RATES_DATE) == 0);
	money_rates_free(got);
	CHECK(r && money_rates_put(r, "2026-12-04", "SEK", 10.5) == 0);
	CHECK(store_put_rates(s, r, "ecb", 1000, &stored) == 0 && stored == 1);
	CHECK(store_load_rates(s, &got, &source) == 0 && got);
	CHECK(source && strcmp(source, "ecb") == 0);
	CHECK(got && strcmp(money_rates_day(got), "2026-12-04") == 0);
	CHECK(got && money_to_sek(got, 1e6, "EUR", &sek) == 0 &&
	      sek > 10.5e6 - 1 && sek < 10.5e6 + 1);
	money_rates_free(got);
	free(source);
	money_rates_free(r);
	/* an older day, as a stale mirror serves: kept out */
	r = money_rates_new();
	CHECK(r && money_rates_put(r, "2026-12-01", "SEK", 9) == 0);
	CHECK(store_put_rates(s, r, "mirror", 2000, &stored) == 0 && stored == 0);
	CHECK(store_load_rates(s, &got, &source) == 0 && got);
	CHECK(source && strcmp(source, "ecb") == 0);
	CHECK(got && money_to_sek(got, 1, "EUR", &sek) == 0 && sek == 10.5);
	money_rates_free(got);
	free(source);
	money_rates_free(r);
	done_store(s);
}

static void
test_attempts(void)
{
	struct store *s = fresh_store();
	int allowed, i, n = 0;

	for (i = 0; i < 5; i++) {
		CHECK(store_take_attempt(s, "client:192.0.2.1", 1000 + i, 3600, 3,
					 &allowed) == 0);
		n += allowed;
	}
	CHECK(n == 3);
	/* others are not held up, however many come */
	for (i = 0; i < 300; i++) {
		char key[64];

		snprintf(key, sizeof key, "client:198.51.100.%d", i);
		CHECK(store_take_attempt(s, key, 1010, 3600, 3, &allowed) == 0 &&
		      allowed);
	}
	/* ... and cannot flush the first one's */
	CHECK(store_take_attempt(s, "client:192.0.2.1", 1020, 3600, 3,
				 &allowed) == 0 && !allowed);
	CHECK(store_take_attempt(s, "client:192.0.2.1", 1000 + 3600, 3600, 3,
				 &allowed) == 0 && allowed);
	done_store(s);
}

static void
test_remove_firm_removes_personal_data(void)
{
	struct store *s = fresh_store();
	struct outbox_message m = {
		.key = "k", .rcpt = "a@b.example", .envelope_from = "f@x.example",
		.body = "x", .len = 1,
	};
	int created, found;

	m.firm_id = setup_match(s, &created);
	CHECK(store_queue_message(s, &m, NULL, 0, 1) == 0);
	CHECK(store_remove_firm(s, "556036-0793", &found) == 0 && found);
	CHECK(db_query(dbpath, "SELECT count(*) FROM match") == 0);
	CHECK(db_query(dbpath, "SELECT count(*) FROM message") == 0);
	CHECK(db_query(dbpath, "SELECT count(*) FROM notice") == 1);
	done_store(s);
}

static void
set_lot(struct lot *l, const char *id, time_t deadline, const char *docs)
{
	l->id = strdup(id);
	strvec_push(&l->cpv, &l->ncpv, "45442100");
	l->has_deadline = 1;
	l->deadline = deadline;
	l->documents_url = docs ? strdup(docs) : NULL;
}

static struct notice *
versioned(const char *version, int second)
{
	struct notice *n = make_notice("n-1", version);

	free(n->lots[0].id);
	n->lots[0].id = NULL;
	strvec_free(n->lots[0].cpv, n->lots[0].ncpv);
	n->lots[0].cpv = NULL;
	n->lots[0].ncpv = 0;
	set_lot(&n->lots[0], "LOT-0001", second ? 1800086400 : 1800000000,
		second ? "https://docs.example/v2" : "https://docs.example/v1");
	set_lot(notice_add_lot(n), second ? "LOT-0003" : "LOT-0002", 1800000000, NULL);
	return n;
}

static int
has_change(const struct notice_change *c, size_t n, const char *lot,
	   const char *what, const char *old_value, const char *new_value)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((lot ? c[i].lot_id && strcmp(c[i].lot_id, lot) == 0 : !c[i].lot_id) &&
		    strcmp(c[i].what, what) == 0 &&
		    (old_value ? c[i].old_value && strcmp(c[i].old_value, old_value) == 0 :
				 !c[i].old_value) &&
		    (new_value ? c[i].new_value && strcmp(c[i].new_value, new_value) == 0 :
				 !c[i].new_value))
			return 1;
	return 0;
}

static void
test_new_version_records_changes(void)
{
	struct store *s = fresh_store();
	struct notice *v1 = versioned("01", 0), *v2 = versioned("02", 1);
	struct notice_change *c = NULL;
	enum store_put_result r;
	int64_t lots[2];
	size_t n = 0;

	CHECK(store_put_notice(s, v1, "t", 1, &r, lots) == 0 && r == STORE_NEW);
	CHECK(store_put_notice(s, v2, "t", 2, &r, lots) == 0 && r == STORE_CHANGED);
	CHECK(db_query(dbpath, "SELECT count(*) FROM notice WHERE version = '01' AND "
			"superseded_by = (SELECT id FROM notice WHERE version = '02')") == 1);
	CHECK(db_query(dbpath, "SELECT count(*) FROM notice WHERE superseded_by IS NULL") == 1);
	CHECK(store_notice_changes(s, "n-1", &c, &n) == 0);
	CHECK(n == 4);
	CHECK(has_change(c, n, "LOT-0001", "deadline", "1800000000", "1800086400"));
	CHECK(has_change(c, n, "LOT-0001", "documents", "https://docs.example/v1",
			 "https://docs.example/v2"));
	CHECK(has_change(c, n, "LOT-0002", "lot_cancelled", NULL, NULL));
	CHECK(has_change(c, n, "LOT-0003", "lot_added", NULL, NULL));
	notice_changes_free(c, n);
	notice_free(v1);
	notice_free(v2);
	done_store(s);
}

static void
test_late_older_version_changes_nothing(void)
{
	struct store *s = fresh_store();
	struct notice *v1 = versioned("01", 0), *v2 = versioned("02", 1);
	enum store_put_result r;
	int64_t lots[2];

	CHECK(store_put_notice(s, v2, "t", 1, &r, lots) == 0 && r == STORE_NEW);
	CHECK(store_put_notice(s, v1, "t", 2, &r, lots) == 0 && r == STORE_UNCHANGED);
	CHECK(db_query(dbpath, "SELECT count(*) FROM notice WHERE superseded_by IS NULL "
			"AND version = '02'") == 1);
	CHECK(db_query(dbpath, "SELECT count(*) FROM notice_change") == 0);
	notice_free(v1);
	notice_free(v2);
	done_store(s);
}

static void
test_change_notice(void)
{
	struct store *s = fresh_store();
	struct notice *orig = versioned("01", 0), *chg = versioned("01", 1);
	struct change_item *it;
	enum store_put_result r;
	int64_t lots[2];

	free(chg->id);
	chg->id = strdup("c-1");
	chg->kind = NOTICE_CHANGE;
	chg->changes = calloc(1, sizeof *chg->changes);
	chg->changes->notice_id = strdup("n-1");
	chg->changes->version = strdup("01");
	chg->changes->reason = strdup("Förlängd anbudstid");
	chg->changes->items = calloc(1, sizeof *it);
	chg->changes->nitems = 1;
	it = &chg->changes->items[0];
	it->description = strdup("Ny sista dag för anbud");
	strvec_push(&it->sections, &it->nsections, "LOT-0001");
	CHECK(store_put_notice(s, orig, "t", 1, &r, lots) == 0 && r == STORE_NEW);
	CHECK(store_put_notice(s, chg, "t", 2, &r, lots) == 0 && r == STORE_CHANGED);
	CHECK(db_query(dbpath, "SELECT count(*) FROM notice WHERE notice_id = 'n-1' AND "
			"superseded_by = (SELECT id FROM notice WHERE notice_id = 'c-1')") == 1);
	CHECK(db_query(dbpath, "SELECT count(*) FROM notice WHERE notice_id = 'c-1' AND "
			"changes_notice_id = 'n-1' AND changes_version = '01' AND "
			"change_reason = 'Förlängd anbudstid'") == 1);
	CHECK(db_query(dbpath, "SELECT count(*) FROM notice_change WHERE what = 'announced' "
			"AND lot_id = 'LOT-0001' AND new = 'Ny sista dag för anbud'") == 1);
	CHECK(db_query(dbpath, "SELECT count(*) FROM notice_change WHERE what = 'deadline' "
			"AND lot_id = 'LOT-0001'") == 1);
	notice_free(orig);
	notice_free(chg);
	done_store(s);
}

/*
 * Change notices of SDK 1.3, as two real ones from TED: a version 02 of
 * the notice's own id whose efac:Changes names no notice.
 */
static void
test_change_notice_naming_none(void)
{
	struct store *s = fresh_store();
	struct notice *orig = versioned("01", 0), *chg = versioned("02", 1);
	enum store_put_result r;
	int64_t lots[2];

	chg->kind = NOTICE_CHANGE;
	chg->changes = calloc(1, sizeof *chg->changes);
	CHECK(store_put_notice(s, orig, "t", 1, &r, lots) == 0 && r == STORE_NEW);
	CHECK(store_put_notice(s, chg, "t", 2, &r, lots) == 0 && r == STORE_CHANGED);
	CHECK(db_query(dbpath, "SELECT count(*) FROM notice_change WHERE what = 'deadline' "
			"AND lot_id = 'LOT-0001'") == 1);
	notice_free(orig);
	notice_free(chg);
	done_store(s);
}

static void
test_details_stored(void)
{
	struct store *s = fresh_store();
	struct notice *n = make_notice("n-1", "01");
	struct award *a;
	enum store_put_result r;
	int64_t lots[1];

	n->buyer_id = strdup("212000-9994");
	n->titles = calloc(2, sizeof *n->titles);
	n->ntitles = 2;
	n->titles[0].lang = strdup("SWE");
	n->titles[0].value = strdup("Målning av förskolor");
	n->titles[1].lang = strdup("ENG");
	n->titles[1].value = strdup("Painting of preschools");
	n->max_lots_submitted = 2;
	n->awards = a = calloc(1, sizeof *a);
	n->nawards = 1;
	a->lot = strdup("LOT-0001");
	a->tenders = 4;
	a->sme_tenders = COUNT_UNKNOWN;
	a->winners = calloc(1, sizeof *a->winners);
	a->nwinners = 1;
	a->winners[0].name = strdup("Berglunds Måleri AB");
	a->winners[0].id = strdup("556734-2182");
	CHECK(store_put_notice(s, n, "t", 1, &r, lots) == 0);
	CHECK(db_query(dbpath, "SELECT count(*) FROM notice WHERE buyer_id = '212000-9994' "
			"AND max_lots_submitted = 2 AND max_lots_awarded IS NULL") == 1);
	CHECK(db_query(dbpath, "SELECT count(*) FROM notice_text WHERE field = 'title'") == 2);
	CHECK(db_query(dbpath, "SELECT tenders FROM award WHERE lot_id = 'LOT-0001' "
			"AND sme_tenders IS NULL") == 4);
	CHECK(db_query(dbpath, "SELECT count(*) FROM award_winner WHERE "
			"org_id = '556734-2182'") == 1);
	notice_free(n);
	done_store(s);
}

static void
test_quarantine_counts_repeats(void)
{
	struct store *s = fresh_store();
	struct quarantined *q = NULL;
	char big[2000];
	size_t n = 0;

	memset(big, 'x', sizeof big);
	CHECK(store_quarantine(s, "f", "a.xml", "bad", "<x", 2, 2, 10) == 0);
	CHECK(store_quarantine(s, "f", "a.xml", "bad", "<x", 2, 2, 20) == 0);
	CHECK(store_quarantine(s, "f", "a.xml", "worse", big, sizeof big, 99999, 30) == 0);
	CHECK(store_quarantine_list(s, 10, &q, &n) == 0);
	CHECK(n == 2);
	if (n == 2) {
		CHECK_STR(q[0].reason, "worse");
		CHECK(q[0].head_len == QUARANTINE_HEAD);
		CHECK(q[0].size == 99999);
		CHECK_STR(q[1].reason, "bad");
		CHECK(q[1].times == 2);
		CHECK(q[1].first_seen == 10 && q[1].last_seen == 20);
		CHECK_STR(q[1].head, "<x");
	}
	quarantined_free(q, n);
	done_store(s);
}

static void
test_feed_state_and_items(void)
{
	struct store *s = fresh_store();
	struct feed_state st;
	char *etag, *lm;
	int found;

	CHECK(store_feed_state_get(s, "ted", &st) == 0);
	CHECK(st.last_poll == 0 && st.failures == 0 && !st.last_error);
	st.last_poll = 100;
	st.next_poll = 160;
	st.failures = 2;
	st.last_error = strdup("HTTP 503");
	st.notices = 7;
	CHECK(store_feed_state_put(s, "ted", &st) == 0);
	feed_state_release(&st);
	CHECK(store_feed_state_get(s, "ted", &st) == 0);
	CHECK(st.last_poll == 100 && st.next_poll == 160 && st.failures == 2 &&
	      st.notices == 7 && st.last_success == 0);
	CHECK_STR(st.last_error, "HTTP 503");
	feed_state_release(&st);
	CHECK(store_feed_item_get(s, "ted", "1-2026", &etag, &lm, &found) == 0);
	CHECK(!found && !etag && !lm);
	CHECK(store_feed_item_put(s, "ted", "1-2026", "\"e\"", NULL, 5) == 0);
	CHECK(store_feed_item_put(s, "ted", "1-2026", "\"f\"", "Tue", 6) == 0);
	CHECK(store_feed_item_get(s, "ted", "1-2026", &etag, &lm, &found) == 0);
	CHECK(found);
	CHECK_STR(etag, "\"f\"");
	CHECK_STR(lm, "Tue");
	free(etag);
	free(lm);
	done_store(s);
}

static struct meeting *
make_meeting(time_t start, const char *location, long capacity)
{
	struct meeting *m = meeting_new();

	m->title = strdup("Branschträff måleri");
	m->category = strdup("maleri");
	m->start = start;
	m->end = start + 7200;
	m->timezone = strdup("Europe/Stockholm");
	m->location = location ? strdup(location) : NULL;
	m->video_url = strdup("https://meet.example/j/1");
	m->capacity = capacity;
	return m;
}

/* A change keeps the meeting as it was, under the sequence it had. */
static void
test_meeting_versions(void)
{
	struct store *s = fresh_store();
	struct meeting *m, *v = NULL;
	int64_t id;
	size_t n = 1;
	int found;

	m = make_meeting(1800000000, "Stadshuset", 40);
	CHECK(store_put_meeting(s, m, 100, &id) == 0);
	meeting_free(m);
	CHECK(store_meeting_version(s, id, 0, &v, &n) == 0 && n == 0);
	meetings_free(v, n);
	m = make_meeting(1800003600, NULL, 0);
	CHECK(store_change_meeting(s, id, m, 200, &found) == 0 && found);
	meeting_free(m);
	m = make_meeting(1800007200, "Biblioteket", 10);
	CHECK(store_change_meeting(s, id, m, 300, &found) == 0 && found);
	meeting_free(m);
	CHECK(store_meeting_version(s, id, 0, &v, &n) == 0 && n == 1);
	if (n == 1) {
		CHECK(v->id == id && v->sequence == 0 && !v->cancelled);
		CHECK(v->start == 1800000000 && v->capacity == 40);
		CHECK_STR(v->location, "Stadshuset");
		CHECK_STR(v->video_url, "https://meet.example/j/1");
	}
	meetings_free(v, n);
	CHECK(store_meeting_version(s, id, 1, &v, &n) == 0 && n == 1);
	CHECK(n == 1 && v->start == 1800003600 && !v->location &&
	      v->capacity == 0);
	meetings_free(v, n);
	/* the current sequence is the meeting itself */
	CHECK(store_meeting_version(s, id, 2, &v, &n) == 0 && n == 0);
	meetings_free(v, n);
	/* a cancelled meeting is not changed, and keeps no version */
	CHECK(store_cancel_meeting(s, id, 400, &found) == 0 && found);
	m = make_meeting(1800000000, "Stadshuset", 40);
	CHECK(store_change_meeting(s, id, m, 500, &found) == 0 && !found);
	meeting_free(m);
	CHECK(store_meeting_version(s, id, 3, &v, &n) == 0 && n == 0);
	meetings_free(v, n);
	CHECK(db_query(dbpath, "SELECT count(*) FROM meeting_version") == 2);
	done_store(s);
}

/*
 * Guests of a meeting long past are forgotten, their seats kept; a
 * request never confirmed goes whole; a firm of the register, and the
 * guests of a meeting still ahead, stay as they were.
 */
static void
test_guests_forgotten(void)
{
	struct store *s = fresh_store();
	struct meeting *m;
	struct firm *f;
	int64_t past, ahead, reg, unconfirmed, firm_reg;
	long long n;
	int created;

	m = make_meeting(1000000, "Stadshuset", 0);
	CHECK(store_put_meeting(s, m, 100, &past) == 0);
	meeting_free(m);
	m = make_meeting(5000000, "Stadshuset", 0);
	CHECK(store_put_meeting(s, m, 100, &ahead) == 0);
	meeting_free(m);
	CHECK(store_guest_request(s, past, "556036-0793", "Gäst AB",
				  "gast@example.se", "sv", 200, 0, &reg,
				  &created) == 0 && created);
	CHECK(store_set_attendee(s, reg, RS_REGISTERED, 300) == 0);
	CHECK(store_guest_request(s, past, "556677-8899", "Tyst AB",
				  "tyst@example.se", "sv", 200, 0, &unconfirmed,
				  &created) == 0 && created);
	CHECK(store_guest_request(s, ahead, "556036-0793", "Gäst AB",
				  "gast@example.se", "sv", 200, 0, &reg,
				  &created) == 0 && created);
	CHECK(store_set_attendee(s, reg, RS_REGISTERED, 300) == 0);
	f = make_firm("559003-1232", "firma@example.se");
	CHECK(store_put_firm(s, f, "import:t.csv", 100, &created) == 0);
	firm_free(f);
	CHECK(store_firm_attendee(s, past, 1, "test", &firm_reg) == 0);
	CHECK(store_set_attendee(s, firm_reg, RS_REGISTERED, 300) == 0);
	CHECK(store_forget_guests(s, 2000000, &n) == 0 && n == 2);
	CHECK(db_query(dbpath, "SELECT count(*) FROM meeting_registration"
			       " WHERE meeting = 1") == 2);
	CHECK(db_query(dbpath, "SELECT count(*) FROM meeting_registration"
			       " WHERE email = 'gast@example.se' OR"
			       " name = 'Tyst AB'") == 1);
	CHECK(db_query(dbpath, "SELECT count(*) FROM meeting_registration"
			       " WHERE meeting = 1 AND firm IS NULL"
			       " AND registered_at = 300 AND orgnr IS NULL") == 1);
	CHECK(db_query(dbpath, "SELECT count(*) FROM meeting_registration"
			       " WHERE firm = 1") == 1);
	CHECK(store_forget_guests(s, 2000000, &n) == 0 && n == 0);
	done_store(s);
}

/* setup_match's match, mailed: message 1, queued at 1000. */
static void
queue_alert(struct store *s)
{
	struct match_item *items = NULL;
	size_t n = 0;
	int64_t ids[1] = { 0 };
	int created;
	struct outbox_message m = {
		.key = "alert/556036-0793/1", .rcpt = "a@b.example",
		.envelope_from = "from@x.example",
		.body = "Subject: x\r\n\r\nhej\r\n",
	};

	m.firm_id = setup_match(s, &created);
	CHECK(store_unqueued_matches(s, m.firm_id, NULL, 10, &items, &n) == 0
	      && n == 1);
	if (n == 1)
		ids[0] = items[0].match_id;
	match_items_free(items, n);
	m.len = strlen(m.body);
	CHECK(store_queue_message(s, &m, ids, 1, 1000) == 0);
}

/* A notice of its own procedure, with texts, its one lot due then. */
static void
put_notice_due(struct store *s, const char *id, time_t deadline)
{
	struct notice *n = make_notice(id, "01");
	enum store_put_result r;
	int64_t lots[1];

	free(n->procedure_id);
	n->procedure_id = strdup(id);
	n->description = strdup("Invändig målning av förskolor");
	n->descriptions = calloc(1, sizeof *n->descriptions);
	if (n->descriptions) {
		n->descriptions[0].lang = strdup("ENG");
		n->descriptions[0].value = strdup("Painting of preschools");
		n->ndescriptions = 1;
	}
	n->lots[0].deadline = deadline;
	n->lots[0].description = strdup("Väggar och tak");
	CHECK(store_put_notice(s, n, "test", 100, &r, lots) == 0);
	notice_free(n);
}

/* A notice's texts: its own, its lots', its search entry. */
#define TEXTS(id) \
	"SELECT (SELECT count(*) FROM notice_text t JOIN notice n" \
	" ON n.id = t.notice WHERE n.notice_id = '" id "')" \
	" + (SELECT count(*) FROM notice WHERE notice_id = '" id "'" \
	"  AND description IS NOT NULL)" \
	" + (SELECT count(*) FROM lot l JOIN notice n ON n.id = l.notice" \
	"  WHERE n.notice_id = '" id "' AND l.description IS NOT NULL)" \
	" + (SELECT count(*) FROM notice_search_content WHERE id IN" \
	"  (SELECT id FROM notice WHERE notice_id = '" id "'))"

/*
 * Old notices lose their texts and keep their facts; not while a mail
 * about them waits, a meeting not long over, a plan entry or a change
 * still names them, nor a recent one. Again is nothing.
 */
static void
test_notices_purged(void)
{
	struct store *s = fresh_store();
	struct meeting *mt;
	int64_t meeting;
	long long purged;

	queue_alert(s);
	put_notice_due(s, "done", 1800000000);
	put_notice_due(s, "recent", 1900000000);
	put_notice_due(s, "met", 1800000000);
	put_notice_due(s, "planned", 1800000000);
	put_notice_due(s, "changed", 1800000000);
	mt = make_meeting(1859990000, "Stadshuset", 0);
	mt->notice_id = strdup("met");
	CHECK(store_put_meeting(s, mt, 100, &meeting) == 0);
	meeting_free(mt);
	db_query(dbpath, "INSERT INTO plan (title, announce, contact, notice_id,"
		 " created_at, updated_at) VALUES ('Målning', '2027-Q1', 'x',"
		 " 'planned', 100, 100)");
	db_query(dbpath, "UPDATE notice SET changes_pending = 1"
		 " WHERE notice_id = 'changed'");
	CHECK(db_query(dbpath, TEXTS("done")) == 4);

	CHECK(store_purge_notices(s, 1850000000, 1850000100, &purged) == 0);
	CHECK(purged == 1);
	CHECK(db_query(dbpath, TEXTS("done")) == 0);
	/* the facts stay */
	CHECK(db_query(dbpath, "SELECT count(*) FROM notice n JOIN lot l"
		       " ON l.notice = n.id WHERE n.notice_id = 'done'"
		       " AND n.title = 'Målning av förskolor' AND l.value = 1500000"
		       " AND l.cpv = '45442100' AND l.deadline = 1800000000") == 1);
	CHECK(db_query(dbpath, TEXTS("n-1")) > 0);
	CHECK(db_query(dbpath, TEXTS("recent")) == 4);
	CHECK(db_query(dbpath, TEXTS("met")) == 4);
	CHECK(db_query(dbpath, TEXTS("planned")) == 4);
	CHECK(db_query(dbpath, TEXTS("changed")) == 4);
	CHECK(store_purge_notices(s, 1850000000, 1850000200, &purged) == 0);
	CHECK(purged == 0);

	/* the mail is sent: its notice may go, once */
	CHECK(store_mark_message(s, 1, MSG_SENT, NULL, 0, 2000) == 0);
	CHECK(store_purge_notices(s, 1850000000, 1850000300, &purged) == 0);
	CHECK(purged == 1);
	CHECK(db_query(dbpath, TEXTS("n-1")) == 0);
	CHECK(db_query(dbpath, "SELECT count(*) FROM match") == 1);
	CHECK(store_purge_notices(s, 1850000000, 1850000400, &purged) == 0);
	CHECK(purged == 0);
	done_store(s);
}

/*
 * keep_sent drops the text of a mail that failed long ago too (created
 * before the time): it is not retried that late, and holds the firm's
 * links; its record stays.
 */
static void
test_failed_mail_text_dropped(void)
{
	struct store *s = fresh_store();
	long long purged;

	queue_alert(s);
	CHECK(store_mark_message(s, 1, MSG_FAILED, "550 no such user", 0,
				 2000) == 0);
	CHECK(store_outbox_purge(s, 1000, &purged) == 0 && purged == 0);
	CHECK(store_outbox_purge(s, 1500, &purged) == 0 && purged == 1);
	CHECK(db_query(dbpath, "SELECT count(*) FROM message_body b"
		       " JOIN message m ON m.id = b.message"
		       " WHERE m.state = 'failed'") == 0);
	CHECK(db_query(dbpath, "SELECT count(*) FROM message"
		       " WHERE state = 'failed'") == 1);
	done_store(s);
}

int
main(void)
{
	RUN(test_open_and_migrate);
	RUN(test_refuses_newer_schema);
	RUN(test_put_notice_idempotent);
	RUN(test_rollback_keeps_nothing);
	RUN(test_search_indexed_at_commit);
	RUN(test_firms);
	RUN(test_firm_lookup);
	RUN(test_match_unique);
	RUN(test_unqueued_matches_cached);
	RUN(test_outbox_states);
	RUN(test_due_messages_by_cursor);
	RUN(test_claims_have_owner_and_lease);
	RUN(test_firm_ids_never_reused);
	RUN(test_subscribe_never_overwrites);
	RUN(test_attempts);
	RUN(test_rates);
	RUN(test_remove_firm_removes_personal_data);
	RUN(test_new_version_records_changes);
	RUN(test_late_older_version_changes_nothing);
	RUN(test_change_notice);
	RUN(test_change_notice_naming_none);
	RUN(test_details_stored);
	RUN(test_quarantine_counts_repeats);
	RUN(test_feed_state_and_items);
	RUN(test_meeting_versions);
	RUN(test_guests_forgotten);
	RUN(test_notices_purged);
	RUN(test_failed_mail_text_dropped);
	RUN(test_turns_first_come_first_served);
	RUN(test_turn_wanted);
	RUN(test_checkpoint_later);
	return test_done("store");
}
