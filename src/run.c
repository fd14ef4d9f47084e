#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "log.h"
#include "match.h"
#include "outbox.h"
#include "run.h"

struct ingest {
	struct run_context *ctx;
	struct run_summary *sum;
	const struct firm_list *firms;
	const char *feed;
	struct buf reason;
};

static int
match_notice(struct ingest *in, const struct notice *n, const int64_t *lot_rowids)
{
	size_t i, j;
	int created, r;

	if (!match_kind_alerts(n->kind) || !n->url)
		return 0;
	for (i = 0; i < n->nlots; i++) {
		const struct lot *l = &n->lots[i];

		/* A lot whose deadline has passed is no longer an opportunity. */
		if (l->has_deadline && l->deadline < in->ctx->now)
			continue;
		for (j = 0; j < in->firms->n; j++) {
			const struct firm *f = in->firms->v[j];

			if ((r = match_lot(f, l, &in->reason)) < 0)
				return error("out of memory");
			if (r == 0)
				continue;
			if (store_put_match(in->ctx->store, f->id, lot_rowids[i],
					    n->id, l->id, notice_kind_name(n->kind),
					    buf_str(&in->reason), in->ctx->now,
					    &created) < 0)
				return -1;
			in->sum->matches += (unsigned)created;
		}
	}
	return 0;
}

static int
ingest_document(const char *name, const char *data, size_t len, void *arg)
{
	struct ingest *in = arg;
	struct notice *n = NULL;
	enum store_put_result res;
	int64_t *lot_rowids = NULL;
	char source[4200], err[512];
	int rc = -1;

	if (eforms_parse(in->ctx->parser, data, len, &n, err, sizeof err) < 0) {
		log_warnx("%s: rejected: %s", name, err);
		in->sum->notices_rejected++;
		return 0;
	}
	snprintf(source, sizeof source, "%s:%s", in->feed, name);
	if (!(lot_rowids = calloc(n->nlots, sizeof *lot_rowids))) {
		error("out of memory");
		goto out;
	}
	if (store_put_notice(in->ctx->store, n, source, in->ctx->now, &res,
			     lot_rowids) < 0)
		goto out;
	switch (res) {
	case STORE_UNCHANGED:
		in->sum->notices_unchanged++;
		rc = 0;
		goto out;
	case STORE_NEW:
		in->sum->notices_new++;
		break;
	case STORE_CHANGED:
		in->sum->notices_changed++;
		break;
	}
	in->sum->lots += (unsigned)n->nlots;
	rc = match_notice(in, n, lot_rowids);
out:
	free(lot_rowids);
	notice_free(n);
	return rc;
}

static void
document_unreadable(const char *name, const char *reason, void *arg)
{
	struct ingest *in = arg;

	log_warnx("%s: rejected: %s", name, reason);
	in->sum->notices_rejected++;
}

/*
 * A feed's batch is one transaction: either all of its new notices and
 * their matches are stored, or none, and the next pass tries again.
 */
static int
poll_feed(struct run_context *ctx, const struct feed_config *feed,
	  const struct firm_list *firms, struct run_summary *sum)
{
	struct fetch_options fo = {
		.timeout = ctx->cfg->fetch_timeout,
		.max_bytes = (size_t)ctx->cfg->fetch_max_bytes,
	};
	struct run_summary batch = { 0 };
	struct ingest in = {
		.ctx = ctx, .sum = &batch, .firms = firms, .feed = feed->name,
	};
	int rc = -1;

	buf_init(&in.reason, 4096);
	if (store_begin(ctx->store) < 0)
		goto out;
	if (feed_poll(feed, &fo, ingest_document, document_unreadable, &in) < 0 ||
	    store_commit(ctx->store) < 0) {
		store_rollback(ctx->store);
		goto out;
	}
	sum->notices_new += batch.notices_new;
	sum->notices_changed += batch.notices_changed;
	sum->notices_unchanged += batch.notices_unchanged;
	sum->lots += batch.lots;
	sum->matches += batch.matches;
	rc = 0;
out:
	/* Rejections stand even when the batch is rolled back. */
	sum->notices_rejected += batch.notices_rejected;
	buf_release(&in.reason);
	return rc;
}

int
run_pass(struct run_context *ctx, struct run_summary *sum)
{
	struct firm_list firms = { 0 };
	size_t i;
	int recovered, rc = -1;

	if (store_recover_sending(ctx->store, &recovered) < 0 ||
	    store_load_firms(ctx->store, &firms) < 0)
		goto out;
	if (recovered)
		log_warnx("%d message(s) were being sent when the last run "
			  "stopped; they will be sent again", recovered);
	for (i = 0; i < ctx->cfg->nfeeds; i++) {
		sum->feeds++;
		if (poll_feed(ctx, &ctx->cfg->feeds[i], &firms, sum) < 0)
			sum->feeds_failed++;
	}
	if (outbox_queue_alerts(ctx->store, ctx->cfg, &firms, ctx->now,
				&sum->mails_queued) < 0 ||
	    outbox_deliver(ctx->store, ctx->mailer, ctx->now, &sum->mails_sent,
			   &sum->mails_deferred, &sum->mails_failed) < 0)
		goto out;
	rc = 0;
out:
	firm_list_release(&firms);
	return rc;
}

void
run_print_summary(const struct run_summary *s, FILE *out)
{
	fprintf(out,
		"feeds:    %u polled, %u failed\n"
		"notices:  %u new, %u changed, %u unchanged, %u rejected\n"
		"lots:     %u\n"
		"matches:  %u\n"
		"mails:    %u queued, %u sent, %u deferred, %u failed\n",
		s->feeds, s->feeds_failed, s->notices_new, s->notices_changed,
		s->notices_unchanged, s->notices_rejected, s->lots, s->matches,
		s->mails_queued, s->mails_sent, s->mails_deferred,
		s->mails_failed);
}
