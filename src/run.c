#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "courier.h"
#include "feed.h"
#include "health.h"
#include "inbox.h"
#include "log.h"
#include "outbox.h"
#include "plan.h"
#include "rfi.h"
#include "run.h"

/*
 * The firms a pass matches and mails, and their index, kept from pass to
 * pass: the firms are loaded again only when the store's generation of
 * them moved (any process may have changed them), the index made again
 * when they, the rates or the size share did.
 */
struct run_firms {
	struct firm_list list;	/* the index points at it: never moved */
	struct match_index *index;
	struct money_rates *rates;	/* the index's */
	double size_share;
	long long generation;	/* of the list, when loaded */
	int loaded;
	unsigned loads;
};

static void
add_counts(struct ingest_counts *to, const struct ingest_counts *c)
{
	to->notices_new += c->notices_new;
	to->notices_changed += c->notices_changed;
	to->notices_unchanged += c->notices_unchanged;
	to->notices_rejected += c->notices_rejected;
	to->lots += c->lots;
	to->matches += c->matches;
}

/*
 * Polls one feed and records how it went: when it is due next (its
 * interval after a success, a growing backoff after failures, never
 * sooner than the server asked), and the last error for `status`.
 */
static int
poll_one(struct run_context *ctx, struct feed_poller *fp,
	 const struct feed_config *feed, struct run_summary *sum)
{
	struct feed_state st;
	char err[1024];
	long retry_after;
	int status, rc = -1;

	if (store_feed_state_get(ctx->store, feed->name, &st) < 0)
		return -1;
	if (!ctx->all_feeds && st.next_poll > ctx->now) {
		sum->feeds_waiting++;
		rc = 0;
		goto out;
	}
	sum->feeds++;
	memset(&fp->ingest->counts, 0, sizeof fp->ingest->counts);
	status = feed_poll(fp, feed, &retry_after, err, sizeof err);
	add_counts(&sum->in, &fp->ingest->counts);
	if (status == FEED_STORE_FAILED)
		goto out;
	st.last_poll = ctx->now;
	st.notices += fp->ingest->counts.notices_new +
		      fp->ingest->counts.notices_changed;
	feed_state_release(&st);
	if (status == FEED_OK) {
		st.last_success = ctx->now;
		st.failures = 0;
		st.next_poll = ctx->now + feed->interval;
	} else {
		sum->feeds_failed++;
		st.failures++;
		st.next_poll = ctx->now + fetch_backoff(st.failures, retry_after,
							ctx->cfg->fetch_max_backoff);
		if (!(st.last_error = strdup(err)))
			goto out;
		log_warnx("feed %s: %s (failure %d, next try in %lld s)",
			  feed->name, err, st.failures,
			  (long long)(st.next_poll - ctx->now));
	}
	rc = store_feed_state_put(ctx->store, feed->name, &st);
out:
	feed_state_release(&st);
	return rc;
}

/*
 * Firms that subscribed or changed since the last pass are matched
 * against what is already open; here, not on the web request that
 * changed them, as it reads every open notice. They are taken from the
 * pass's list, with an index of their own unless they are all of it (the
 * first pass): a million firms are not held twice. One changed after the
 * list was read is in the next round.
 */
static int
backfill(struct run_context *ctx, const struct run_firms *rf,
	 const struct match_options *mo, struct run_summary *sum)
{
	struct firm_list some = { 0 };	/* the list's firms, borrowed */
	struct ingest in = {
		.store = ctx->store, .now = ctx->now,
		.categories = ctx->categories, .firms = &some,
	};
	struct backfill_round round;
	int64_t *ids = NULL;
	size_t nids = 0, i;
	const struct firm *f;
	int rc = -1;

	if (store_backfill_get(ctx->store, &round) < 0)
		goto out;
	/* a round a crash cut short goes on; else one begins now */
	if (!round.started_at)
		round.started_at = ctx->now;
	if (store_firms_changed_ids(ctx->store, round.since, &ids, &nids) < 0)
		goto out;
	if (nids && !(some.v = calloc(nids, sizeof *some.v))) {
		error("out of memory");
		goto out;
	}
	for (i = 0; i < nids; i++)
		if ((f = firm_list_find(&rf->list, ids[i])))
			some.v[some.n++] = (struct firm *)f;
	if (some.n == rf->list.n) {
		in.firms = &rf->list;
		in.index = rf->index;
	} else if (some.n && (firm_list_index(&some) < 0 ||
			      !(in.index = match_index_new(&some, mo)))) {
		error("out of memory");
		goto out;
	}
	if (some.n && ingest_backfill(&in, round.cursor, round.started_at) < 0)
		goto out;
	sum->in.matches += in.counts.matches;
	rc = store_backfill_done(ctx->store, round.started_at);
out:
	free(round.cursor);
	if (in.index != rf->index)
		match_index_free(in.index);
	free(some.v);
	free(some.by_id);
	free(ids);
	return rc;
}

/*
 * The Maildir of what comes back, before the firms are loaded: no mail
 * of this pass goes to an address that bounced or a firm that asked to
 * stop.
 */
static int
read_inbox(struct run_context *ctx)
{
	struct inbox_counts c = { 0 };

	if (inbox_read_maildir(ctx->store, ctx->key, outbox_base(ctx->outbox),
			       ctx->cfg->inbox, ctx->now, &c) < 0)
		return -1;
	if (c.read || c.kept)
		log_info("inbox: %u mails read, %u bounces, %u unsubscribed, "
			 "%u kept unread", c.read, c.bounced, c.unsubscribed,
			 c.kept);
	return 0;
}

/* The notices the unit's plan entries may have become, for it to link. */
static int
propose_plan_links(const struct run_context *ctx)
{
	const struct rfi_desk d = { .store = ctx->store, .cfg = ctx->cfg,
				    .categories = ctx->categories,
				    .now = ctx->now };
	unsigned proposed;

	return plan_propose(&d, &proposed);
}

struct run_firms *
run_firms_new(void)
{
	return calloc(1, sizeof (struct run_firms));
}

void
run_firms_free(struct run_firms *rf)
{
	if (!rf)
		return;
	match_index_free(rf->index);
	money_rates_free(rf->rates);
	firm_list_release(&rf->list);
	free(rf);
}

unsigned
run_firms_loads(const struct run_firms *rf)
{
	return rf->loads;
}

/* Whether two sets of rates hold the same currencies at the same rates. */
static int
rates_same(const struct money_rates *a, const struct money_rates *b)
{
	const char *ca, *cb;
	double ra, rb;
	size_t i;

	if (!a || !b)
		return a == b;
	if (strcmp(money_rates_day(a), money_rates_day(b)) != 0)
		return 0;
	for (i = 0;; i++) {
		int ea = money_rates_get(a, i, &ca, &ra) < 0,
		    eb = money_rates_get(b, i, &cb, &rb) < 0;

		if (ea || eb)
			return ea && eb;
		if (strcmp(ca, cb) != 0 || ra != rb)
			return 0;
	}
}

/* The firms and their index as they are in the store now. */
static int
refresh_firms(struct run_context *ctx, struct run_firms *rf)
{
	struct match_options mo = { .size_share = ctx->cfg->size_share / 100.0 };
	struct money_rates *rates = NULL;
	long long gen;
	int rc = -1;

	/* read before the firms: a change in between loads them again */
	if (store_firms_generation(ctx->store, &gen) < 0 ||
	    store_load_rates(ctx->store, &rates, NULL) < 0)
		goto out;
	if (!rf->loaded || gen != rf->generation) {
		match_index_free(rf->index);
		rf->index = NULL;
		firm_list_release(&rf->list);
		rf->loaded = 0;
		if (store_load_firms(ctx->store, &rf->list) < 0)
			goto out;
		rf->generation = gen;
		rf->loaded = 1;
		if (++rf->loads > 1)
			log_info("firms changed: %zu loaded again", rf->list.n);
	}
	if (!rf->index || mo.size_share != rf->size_share ||
	    !rates_same(rates, rf->rates)) {
		match_index_free(rf->index);
		money_rates_free(rf->rates);
		rf->rates = rates;
		rates = NULL;
		rf->size_share = mo.size_share;
		mo.rates = rf->rates;
		if (!(rf->index = match_index_new(&rf->list, &mo))) {
			error("out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	money_rates_free(rates);
	return rc;
}

static int
queue_mails(struct run_context *ctx, const struct firm_list *firms,
	    struct run_summary *sum)
{
	unsigned *queued = &sum->mails_queued, *failed = &sum->mails_failed;

	if (outbox_queue_alerts(ctx->outbox, firms, ctx->now, queued,
				failed) < 0 ||
	    outbox_queue_changes(ctx->outbox, firms, ctx->now, queued,
				 failed) < 0 ||
	    outbox_queue_opened(ctx->outbox, firms, ctx->now, queued,
				failed) < 0 ||
	    outbox_queue_reminders(ctx->outbox, firms, ctx->now, queued,
				   failed) < 0 ||
	    outbox_queue_meetings(ctx->outbox, firms, ctx->now, queued,
				  failed) < 0 ||
	    outbox_queue_surveys(ctx->outbox, firms, ctx->now, queued,
				 failed) < 0)
		return -1;
	return 0;
}

/*
 * The pass's mails queued, while a courier delivers each batch the
 * outbox commits: building a mail is the processor's work, delivering it
 * mostly the disk's or the relay's, and a pass took both one after the
 * other. The courier claims as the pass does (RUN_SENDER), so a crash
 * leaves its claims to the next pass's recovery; the mailer is its alone
 * until it stops. It takes whole batches only (queue_growing), and what
 * must not go is failed before it starts; the pass's own delivery after
 * takes the rest.
 */
static int
queue_and_deliver(struct run_context *ctx, const struct firm_list *firms,
		  struct run_summary *sum)
{
	struct courier_options co = {
		.cfg = ctx->cfg, .db_path = store_path(ctx->store),
		.mailer = ctx->mailer, .owner = RUN_SENDER, .at = ctx->now,
		.idle_poll = 1, .queue_growing = 1, .checkpoint_later = 1,
	};
	struct courier_tally t = { 0 };
	struct courier *c = NULL;
	int rc = -1;

	if (outbox_drop_undeliverable(ctx->store, ctx->now,
				      &sum->mails_failed) < 0 ||
	    store_turns_new(&co.turns) < 0)
		return -1;
	store_share_turns(ctx->store, co.turns);
	if (store_checkpoint_later(ctx->store, 1) < 0 ||
	    courier_start(&co, &c) < 0)
		goto out;
	outbox_on_committed(ctx->outbox, courier_wake, c);
	rc = queue_mails(ctx, firms, sum);
	outbox_on_committed(ctx->outbox, NULL, NULL);
	/* while the courier delivers the last batches */
	if (store_checkpoint(ctx->store) < 0)
		rc = -1;
	courier_stop(c, &t);
	sum->mails_sent += t.sent;
	sum->mails_deferred += t.deferred;
	sum->mails_failed += t.failed;
	if (t.errors)
		rc = -1;
out:
	if (store_checkpoint_later(ctx->store, 0) < 0)
		rc = -1;
	store_share_turns(ctx->store, NULL);
	store_turns_free(co.turns);
	return rc;
}

int
run_pass(struct run_context *ctx, struct run_summary *sum)
{
	struct run_firms *own = NULL, *rf = ctx->firms;
	struct ingest in = {
		.store = ctx->store, .parser = ctx->parser, .now = ctx->now,
		.categories = ctx->categories, .own_buyers = ctx->cfg->own_buyers,
	};
	struct match_options mo = { .size_share = ctx->cfg->size_share / 100.0 };
	struct feed_poller fp = {
		.store = ctx->store,
		.syndication = ctx->syndication,
		.fetch = {
			.timeout = ctx->cfg->fetch_timeout,
			.connect_timeout = ctx->cfg->fetch_connect_timeout,
			.max_bytes = (size_t)ctx->cfg->fetch_max_bytes,
		},
		.ingest = &in,
	};
	char owner[32];
	struct outbox_sender sender = {
		.owner = owner, .only_keys = NULL,
		.smtp_timeout = ctx->cfg->smtp_timeout,
		.give_up_after = ctx->cfg->give_up_after,
	};
	const struct firm_list *firms;
	size_t i;
	int recovered, rc = -1;

	snprintf(owner, sizeof owner, RUN_SENDER "%ld", (long)getpid());
	if (!rf && !(rf = own = run_firms_new())) {
		error("out of memory");
		goto out;
	}
	/*
	 * The database's lock says no other pass runs: claims of an earlier
	 * one are a crash's. The web endpoint's stay while their lease holds.
	 */
	if (store_recover_sending(ctx->store, RUN_SENDER, ctx->now,
				  &recovered) < 0 ||
	    (ctx->cfg->inbox && read_inbox(ctx) < 0) ||
	    refresh_firms(ctx, rf) < 0)
		goto out;
	mo.rates = rf->rates;
	if (recovered)
		log_warnx("%d message(s) were being sent when the last run "
			  "or the web endpoint stopped; they will be sent again",
			  recovered);
	in.firms = firms = &rf->list;
	in.index = rf->index;
	/*
	 * Before the feeds: what they bring now is matched against every
	 * firm as it comes, so only what was stored before is matched again.
	 */
	if (backfill(ctx, rf, &mo, sum) < 0)
		goto out;
	for (i = 0; i < ctx->cfg->nfeeds; i++)
		if (poll_one(ctx, &fp, &ctx->cfg->feeds[i], sum) < 0)
			goto out;
	/* what the staff published since the last pass, as a feed's notice */
	memset(&in.counts, 0, sizeof in.counts);
	if (ingest_match_later(&in) < 0)
		goto out;
	sum->in.matches += in.counts.matches;
	if (propose_plan_links(ctx) < 0 || queue_and_deliver(ctx, firms, sum) < 0 ||
	    /* what was committed after the courier's last look */
	    outbox_deliver(ctx->store, ctx->mailer, &sender, ctx->now,
			   &sum->mails_sent, &sum->mails_deferred,
			   &sum->mails_failed) < 0 ||
	    health_check(ctx->store, ctx->cfg, ctx->now, &sum->operator_mails) < 0)
		goto out;
	/* what the operator was just told goes out now, not next pass */
	if (sum->operator_mails &&
	    outbox_deliver(ctx->store, ctx->mailer, &sender, ctx->now,
			   &sum->mails_sent, &sum->mails_deferred,
			   &sum->mails_failed) < 0)
		goto out;
	rc = 0;
out:
	run_firms_free(own);
	return rc;
}

long
run_next_due(struct run_context *ctx)
{
	long best = 3600;
	struct feed_state st;
	size_t i;

	for (i = 0; i < ctx->cfg->nfeeds; i++) {
		long wait;

		if (store_feed_state_get(ctx->store, ctx->cfg->feeds[i].name, &st) < 0)
			return 60;
		wait = (long)(st.next_poll - ctx->now);
		feed_state_release(&st);
		if (wait < best)
			best = wait;
	}
	return best < 1 ? 1 : best;
}

void
run_print_summary(const struct run_summary *s, FILE *out)
{
	fprintf(out,
		"feeds:    %u polled, %u failed, %u not due\n"
		"notices:  %u new, %u changed, %u unchanged, %u rejected\n"
		"lots:     %u\n"
		"matches:  %u\n"
		"mails:    %u queued, %u sent, %u deferred, %u failed\n",
		s->feeds, s->feeds_failed, s->feeds_waiting,
		s->in.notices_new, s->in.notices_changed,
		s->in.notices_unchanged, s->in.notices_rejected, s->in.lots,
		s->in.matches, s->mails_queued, s->mails_sent,
		s->mails_deferred, s->mails_failed);
}
