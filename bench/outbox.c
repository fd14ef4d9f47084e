/*
 * The outbox at a county's or a nation's scale: 100,000 firms in the
 * register, every tenth told of a contract notice whose deadline has come
 * into the reminder window.
 *
 * - reminders: a pass while the deadline stays in the window, every
 *   reminder already queued, against loading the firms, which the pass
 *   does anyway. Each candidate was looked up among all the firms before
 *   its key was checked: 2.5 s a pass.
 * - due mails: a backlog of 100,000 taken 100 at a time, each batch then
 *   marked sent as a delivery marks it, against the same backlog taken at
 *   once. The due query sorted the whole backlog for every batch.
 */
#define _XOPEN_SOURCE 700

#include "bench.h"
#include "outbox.h"

#define FIRMS 100000
#define TOLD_EVERY 10		/* firms told of the notice: every tenth */
#define BACKLOG 100000
#define BATCH 100		/* the outbox's DELIVERY_BATCH */
#define ROUNDS 3
/* Wed 18 Nov 2026, 11:06 UTC; the deadline is 12 days later */
#define START 1795000000
#define DEADLINE (START + 12 * 86400L)
/* the day before the deadline: reminder_days "5 1" has its 1 open */
#define NOW (DEADLINE - 20 * 3600L)

static struct notice *
make_notice(void)
{
	struct notice *n = notice_new();
	struct lot *l = n ? notice_add_lot(n) : NULL;

	if (!l)
		return NULL;
	n->id = strdup("bench-0001");
	n->version = strdup("01");
	n->procedure_id = strdup("proc-1");
	n->kind = NOTICE_COMPETITION;
	n->subtype = strdup("16");
	n->title = strdup("Målning av förskolor");
	n->buyer = strdup("Exempelkommun");
	n->published = strdup("2026-11-18");
	n->url = strdup("https://ted.europa.eu/en/notice/-/detail/1-2026");
	n->language = strdup("SWE");
	n->has_deadline = l->has_deadline = 1;
	n->deadline = l->deadline = DEADLINE;
	l->id = strdup("LOT-0001");
	l->title = strdup("Målning");
	strvec_push(&l->cpv, &l->ncpv, "45442100");
	strvec_push(&l->nuts, &l->nnuts, "SE232");
	return n;
}

/* The firms, the notice, every tenth firm's match with it; into s. */
static int
fill(struct store *s, const struct category_set *cs)
{
	struct firm_list firms = { 0 };
	struct notice *n = make_notice();
	enum store_put_result r;
	int64_t lot;
	size_t i;
	int created, rc = -1;

	if (!n || bench_make_firms(cs, FIRMS, &firms) < 0 ||
	    store_begin(s) < 0)
		goto out;
	for (i = 0; i < firms.n; i++) {
		firms.v[i]->frequency = FREQ_IMMEDIATELY;
		if (store_put_firm(s, firms.v[i], "bench", START, &created) < 0)
			goto out;
	}
	if (store_put_notice(s, n, "bench", START, &r, &lot) < 0)
		goto out;
	firm_list_release(&firms);
	if (store_load_firms(s, &firms) < 0)
		goto out;
	for (i = 0; i < firms.n; i += TOLD_EVERY)
		if (store_put_match(s, firms.v[i]->id, lot, n->id, "LOT-0001",
				    "competition", "CPV 45442100", 150, "maleri",
				    START, &created) < 0)
			goto out;
	rc = store_commit(s);
out:
	if (rc < 0)
		store_rollback(s);
	firm_list_release(&firms);
	notice_free(n);
	return rc;
}

struct reminders {
	struct outbox *o;
	struct store *s;
	struct firm_list firms;
	unsigned queued, failed;
	int err;
};

static void
load_firms(void *arg)
{
	struct reminders *r = arg;
	struct firm_list l = { 0 };

	r->err |= store_load_firms(r->s, &l) < 0 || l.n != FIRMS;
	firm_list_release(&l);
}

static void
remind_again(void *arg)
{
	struct reminders *r = arg;

	r->err |= outbox_queue_reminders(r->o, &r->firms, NOW, &r->queued,
					 &r->failed) < 0;
}

/* A backlog of n mails under prefix, due at START. */
static int
queue_backlog(struct store *s, const char *prefix, int n)
{
	struct outbox_message m = {
		.rcpt = "firma@example.se", .envelope_from = "bounce@exempel.se",
		.body = "Subject: x\r\n\r\nhej\r\n",
	};
	char key[64];
	int i;

	m.len = strlen(m.body);
	m.key = key;
	if (store_begin(s) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof key, "%s/%d", prefix, i);
		if (store_queue_message(s, &m, NULL, 0, START) < 0) {
			store_rollback(s);
			return -1;
		}
	}
	return store_commit(s);
}

/* Takes the due mails limit at a time, marking each batch sent; how many. */
static long
take_due(struct store *s, size_t limit)
{
	struct outbox_message *due = NULL;
	int64_t after = 0;
	size_t n = 0, i;
	long taken = 0;

	do {
		after = n ? due[n - 1].id : after;
		outbox_messages_free(due, n);
		due = NULL;
		n = 0;
		if (store_due_messages(s, START, NULL, after, limit, &due,
				       &n) < 0 || store_begin(s) < 0)
			return -1;
		for (i = 0; i < n; i++)
			if (store_mark_message(s, due[i].id, MSG_SENT, NULL, 0,
					       START) < 0) {
				store_rollback(s);
				return -1;
			}
		if (store_commit(s) < 0)
			return -1;
		taken += (long)n;
	} while (n == limit);
	outbox_messages_free(due, n);
	return taken;
}

int
main(void)
{
	static const unsigned char secret[TOKEN_SECRET_LEN] = { 7 };
	struct category_set categories = { 0 };
	struct alert_templates *templates = NULL;
	struct token_key *key = NULL;
	struct config *cfg = config_new();
	struct reminders r = { 0 };
	char work[64], db[128], maildir[128];
	struct mailer_options mo = {
		.transport = TRANSPORT_MAILDIR, .maildir = maildir,
	};
	struct outbox_sender by = { "bench:1", NULL, 60, 5 * 86400L, 0 };
	struct mailer *mailer = NULL;
	unsigned sent = 0, deferred = 0, failed = 0, first = 0;
	double load, again, t0, at_once, batched;
	long a, b;
	int rc = 1;

	snprintf(work, sizeof work, "%s/tenderlots-bench.XXXXXX",
		 bench_memory_dir());
	if (!cfg || !mkdtemp(work) ||
	    category_load("config/categories.conf", &categories) < 0) {
		fprintf(stderr, "bench/outbox: no categories "
			"(run from the project root)\n");
		return 1;
	}
	snprintf(db, sizeof db, "%s/bench.db", work);
	snprintf(maildir, sizeof maildir, "%s/mail", work);
	t0 = bench_now();
	if (store_open(db, &r.s) < 0 || fill(r.s, &categories) < 0 ||
	    alert_templates_load("templates", &templates) < 0 ||
	    token_key_from_bytes(secret, sizeof secret, &key) < 0 ||
	    !(mailer = mailer_new(&mo)) ||
	    !(r.o = outbox_new(r.s, cfg, &categories, templates, key)) ||
	    store_load_firms(r.s, &r.firms) < 0)
		goto out;
	/* the alerts, told ten days before the deadline, then reminders */
	if (outbox_queue_alerts(r.o, &r.firms, START, &first, &failed) < 0 ||
	    outbox_deliver(r.s, mailer, &by, START, &sent, &deferred,
			   &failed) < 0 ||
	    outbox_queue_reminders(r.o, &r.firms, NOW, &r.queued,
				   &r.failed) < 0)
		goto out;
	printf("outbox: %d firms, %u told of a notice, %u reminded "
	       "(set up in %.1f s)\n", FIRMS, first, r.queued, bench_now() - t0);
	if (first != FIRMS / TOLD_EVERY || r.queued != first || failed ||
	    r.failed) {
		fprintf(stderr, "bench/outbox: %u alerts, %u reminders, %u "
			"failed\n", first, r.queued, failed + r.failed);
		goto out;
	}
	r.queued = 0;
	bench_pair(ROUNDS, load_firms, remind_again, &r, &load, &again);
	if (r.err || r.queued) {
		fprintf(stderr, "bench/outbox: a pass again queued %u\n",
			r.queued);
		goto out;
	}
	printf("  reminders, every one queued already: %.3f s a pass; "
	       "loading the firms %.3f s\n", again, load);
	bench_row("outbox", "reminders queued already, 100,000 firms, vs load",
		  again, "s", load);

	t0 = bench_now();
	if (queue_backlog(r.s, "once", BACKLOG) < 0)
		goto out;
	a = take_due(r.s, BACKLOG);
	at_once = bench_now() - t0;
	t0 = bench_now();
	if (queue_backlog(r.s, "batched", BACKLOG) < 0)
		goto out;
	b = take_due(r.s, BATCH);
	batched = bench_now() - t0;
	if (a != BACKLOG || b != BACKLOG) {
		fprintf(stderr, "bench/outbox: took %ld and %ld of %d\n", a, b,
			BACKLOG);
		goto out;
	}
	printf("  a backlog of %d due mails queued and taken: %d at a time "
	       "%.2f s, all at once %.2f s\n", BACKLOG, BATCH, batched,
	       at_once);
	bench_row("outbox", "100,000 due mails, 100 at a time vs at once",
		  batched, "s", at_once);
	rc = 0;
out:
	firm_list_release(&r.firms);
	outbox_free(r.o);
	mailer_free(mailer);
	token_key_free(key);
	alert_templates_free(templates);
	store_free(r.s);
	config_free(cfg);
	category_set_release(&categories);
	bench_rm_rf(work);
	return rc;
}
