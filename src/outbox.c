#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "category.h"
#include "ical.h"
#include "inbox.h"
#include "log.h"
#include "mail.h"
#include "money.h"
#include "outbox.h"
#include "plan.h"

#define DELIVERY_BATCH 100
/* mails a pass queues in one transaction (see queue_mail_tx) */
#define QUEUE_BATCH 64

static int
is_english(const char *lang)
{
	return lang && strcmp(lang, "en") == 0;
}

/* One-click unsubscribing (RFC 8058) is for https links only. */
static int
is_https(const char *url)
{
	return strncmp(url, "https://", 8) == 0;
}

long
outbox_backoff(int attempts)
{
	long delay = 60;

	while (attempts-- > 1 && delay < OUTBOX_MAX_BACKOFF)
		delay *= 2;
	return delay < OUTBOX_MAX_BACKOFF ? delay : OUTBOX_MAX_BACKOFF;
}

/*
 * The transaction a pass queues its mails in, QUEUE_BATCH at a time; held
 * apart, as the functions that queue see the outbox const.
 */
struct queue_batch {
	int on;			/* between queue_batch_start and _end */
	int open;		/* a transaction is open */
	size_t n;		/* mails queued in it */
};

/*
 * What queue_mail builds a mail in, kept from one mail to the next so
 * that its buffers grow to a mail's size once, not for every mail; their
 * caps are a mail's as before. Held apart like the batch.
 */
struct mail_scratch {
	struct alert_mail am;
	struct buf msg, unsub_mailto, unsub_url;
};

struct outbox {
	struct store *store;
	struct queue_batch *batch;
	struct mail_scratch *scratch;
	const struct config *cfg;
	const struct category_set *categories;
	const struct alert_templates *templates;
	const struct token_key *key;
	char from_addr[256];
	/* the store's as of the last queueing; NULL: the bundled ones */
	struct money_rates *rates;
	char base[256];		/* what comes back comes to its tags */
	/* the reminders the last pass found queued, by key, sorted */
	char **reminded;
	size_t nreminded;
	void (*committed)(void *);
	void *committed_arg;
};

struct outbox *
outbox_new(struct store *s, const struct config *cfg,
	   const struct category_set *categories,
	   const struct alert_templates *templates, const struct token_key *key)
{
	struct outbox *o = calloc(1, sizeof *o);
	struct queue_batch *batch = calloc(1, sizeof *batch);
	struct mail_scratch *scratch = calloc(1, sizeof *scratch);

	if (!o || !batch || !scratch) {
		error("out of memory");
		free(o);
		free(batch);
		free(scratch);
		return NULL;
	}
	alert_mail_init(&scratch->am);
	buf_init(&scratch->msg, 4 * 1024 * 1024);
	buf_init(&scratch->unsub_mailto, 1024);
	buf_init(&scratch->unsub_url, 1024);
	*o = (struct outbox){ .store = s, .batch = batch, .scratch = scratch,
			      .cfg = cfg, .categories = categories,
			      .templates = templates, .key = key };
	if (mail_address(cfg->mail_from, o->from_addr, sizeof o->from_addr) < 0) {
		error("%s: [mail] from: '%s' is not a mail address", cfg->path,
		      cfg->mail_from);
		outbox_free(o);
		return NULL;
	}
	if (inbox_base(cfg->bounce_address, o->from_addr, o->base,
		       sizeof o->base) < 0) {
		error("%s: see [mail] bounce_address", cfg->path);
		outbox_free(o);
		return NULL;
	}
	return o;
}

void
outbox_free(struct outbox *o)
{
	if (!o)
		return;
	money_rates_free(o->rates);
	free(o->batch);
	alert_mail_release(&o->scratch->am);
	buf_release(&o->scratch->msg);
	buf_release(&o->scratch->unsub_mailto);
	buf_release(&o->scratch->unsub_url);
	free(o->scratch);
	strvec_free(o->reminded, o->nreminded);
	free(o);
}

/* The rates a feed brought since the last pass size what is mailed now. */
static int
refresh_rates(struct outbox *o)
{
	struct money_rates *r;

	if (store_load_rates(o->store, &r, NULL) < 0)
		return -1;
	money_rates_free(o->rates);
	o->rates = r;
	return 0;
}

const char *
outbox_base(const struct outbox *o)
{
	return o->base;
}

void
outbox_on_committed(struct outbox *o, void (*committed)(void *), void *arg)
{
	o->committed = committed;
	o->committed_arg = arg;
}

/* Links in mails outlive the mail by far: a year and a bit. */
#define LINK_LIFETIME (400L * 24 * 3600)

static struct alert_links
links_for(const struct outbox *o, const struct firm *f, time_t now)
{
	return (struct alert_links){ o->cfg->public_url, o->key,
				     now + LINK_LIFETIME,
				     is_english(f->language) };
}

/*
 * The Message-ID's left part is the unique key made dot-atom safe, so a
 * repeat after a crash carries the same Message-ID as the first copy.
 */
static void
message_id_for(const char *key, const char *from_addr, char *out, size_t len)
{
	const char *at = strrchr(from_addr, '@');
	size_t i, n = 0;

	for (i = 0; key[i] && n + 1 < len; i++) {
		char c = key[i];

		if (c == '/')
			c = '.';
		else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '-' || c == '.'))
			c = '_';
		out[n++] = c;
	}
	out[n] = '\0';
	snprintf(out + n, len - n, "@%s", at ? at + 1 : "localhost");
}

/* One mail to queue: its key, what it says, the matches it reports. */
struct mail_job {
	const char *key;
	enum alert_kind kind;
	struct tpl_vars *v;
	const struct mail_attachment *attach;
	size_t nattach;
	const int64_t *match_ids;
	size_t nmatch;
	time_t stale_at;	/* its news is past then: not sent; 0 never */
	int unfilled;		/* its fields could not all be set: unbuilt */
	const char *reply_to;	/* the buyer's contact; NULL: [mail] reply_to */
};

/* Why a mail is not built when one of its fields could not be set. */
#define UNFILLED "a field could not be filled in: a value or a link is " \
		 "invalid (the log says which)"
#define WHY_MAX 1024

/*
 * The last deadline of the lots a mail tells of: after it, the mail would
 * only tell of closed tenders. 0 when one of them has none.
 */
static time_t
last_deadline(const struct match_item *items, size_t n)
{
	time_t last = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!items[i].has_deadline)
			return 0;
		if (items[i].deadline > last)
			last = items[i].deadline;
	}
	return last;
}

/*
 * A mail that cannot be built fails alone: its row in the outbox says why
 * and holds its key and matches, so the mails beside it go out and it is
 * not built again every pass.
 */
static int
queue_unbuilt(const struct outbox *o, const struct firm *f,
	      const struct mail_job *job, struct outbox_message *m,
	      const char *why, time_t now, unsigned *failed)
{
	char reason[WHY_MAX + 16];
	int r;

	log_warnx("firm %s: the mail %s cannot be built: %s", f->orgnr,
		  job->key, why);
	snprintf(reason, sizeof reason, "not built: %s", why);
	m->body = NULL;
	m->len = 0;
	if ((r = store_queue_unbuilt(o->store, m, reason, job->match_ids,
				     job->nmatch, now)) < 0)
		return -1;
	*failed += r == 0;
	return 0;
}

static int
account_mail(enum alert_kind kind)
{
	return kind == ALERT_CONFIRM || kind == ALERT_MANAGE ||
	       kind == ALERT_ADDRESS || kind == ALERT_ATTEND;
}

/*
 * Renders and queues one mail under its unique key, tied to the matches it
 * reports, and counts it as queued, or as failed when it cannot be built.
 * The caller holds the transaction. A key already used counts as neither:
 * that mail exists, and is not made twice. -1 only when the store failed.
 */
static int
queue_mail(const struct outbox *o, const struct firm *f,
	   const struct mail_job *job, time_t now, unsigned *queued,
	   unsigned *failed)
{
	struct mail_scratch *sc = o->scratch;
	struct alert_mail *am = &sc->am;
	struct buf *msg = &sc->msg, *unsub_mailto = &sc->unsub_mailto,
		   *unsub_url = &sc->unsub_url;
	struct alert_links links = links_for(o, f, now);
	char msgid[512], why[WHY_MAX], bounces[256], unsub[256];
	struct outbox_message m = {
		.key = (char *)job->key,
		.firm_id = f->id,
		.rcpt = f->email,
		.envelope_from = bounces,
		.stale_at = job->stale_at,
	};
	int r, rc = -1;

	/* a person asked for an account mail: it goes all the same */
	if (f->bounced_at && !account_mail(job->kind))
		return 0;
	/* an unbuilt mail keeps the sender it had before its tag was made */
	snprintf(bounces, sizeof bounces, "%s", o->from_addr);
	buf_reset(msg);
	buf_reset(unsub_mailto);
	buf_reset(unsub_url);
	message_id_for(job->key, o->from_addr, msgid, sizeof msgid);
	if (job->unfilled) {
		rc = queue_unbuilt(o, f, job, &m, UNFILLED, now, failed);
		goto out;
	}
	if (alert_render(o->templates, job->kind, f->language, job->v, am,
			 why, sizeof why) < 0) {
		rc = queue_unbuilt(o, f, job, &m, why, now, failed);
		goto out;
	}
	/* the one-click link is posted to, by the mail program: no page */
	links.en = 0;
	/*
	 * the tags of what comes back: unsubscribe by mail, "u-ID-TAG"; a
	 * guest of a meeting (no id) subscribes to nothing
	 */
	if (f->id &&
	    (alert_link(&links, "unsubscribe", f->id, "", unsub_url) < 0 ||
	     inbox_verp(o->key, o->base, VERP_BOUNCE, f, bounces,
			sizeof bounces) < 0 ||
	     inbox_verp(o->key, o->base, VERP_UNSUBSCRIBE, f, unsub,
			sizeof unsub) < 0 ||
	     buf_printf(unsub_mailto, "mailto:%s?subject=%s%%20%.*s", unsub,
			is_english(f->language) ? "unsubscribe" : "avsluta",
			(int)(strrchr(unsub, '@') - strchr(unsub, '+') - 1),
			strchr(unsub, '+') + 1) < 0)) {
		rc = queue_unbuilt(o, f, job, &m, "no unsubscribe link can be "
				   "made (the log says why)", now, failed);
		goto out;
	}
	{
		struct mail_headers h = {
			.from = o->cfg->mail_from,
			.to = f->email,
			.reply_to = job->reply_to ? job->reply_to :
				    o->cfg->reply_to,
			.subject = buf_str(&am->subject),
			.message_id = msgid,
			.date = now,
			.list_id = o->cfg->list_id,
			.list_unsubscribe_url = f->id &&
						is_https(o->cfg->public_url) ?
						buf_str(unsub_url) : NULL,
			.list_unsubscribe_mailto = f->id ?
						   buf_str(unsub_mailto) : NULL,
			.language = is_english(f->language) ? "en" : "sv",
		};
		struct mail_body body = { buf_str(&am->text), buf_str(&am->html),
					  job->attach, job->nattach };

		if (mail_compose(&h, &body, msg, why, sizeof why) < 0) {
			rc = queue_unbuilt(o, f, job, &m, why, now, failed);
			goto out;
		}
	}
	m.body = msg->data;
	m.len = msg->len;
	if ((r = store_queue_message(o->store, &m, job->match_ids, job->nmatch,
				     now)) < 0)
		goto out;
	*queued += r == 0;
	rc = 0;
out:
	return rc;
}

/* Ends the open transaction of queued mails: committed if rc is 0. */
static int
queue_batch_close(const struct outbox *o, int rc)
{
	struct queue_batch *b = o->batch;

	if (!b->open)
		return rc;
	b->open = 0;
	b->n = 0;
	if (rc == 0 && store_commit(o->store) == 0) {
		if (o->committed)
			o->committed(o->committed_arg);
		return 0;
	}
	store_rollback(o->store);
	return -1;
}

/*
 * From here to queue_batch_end the mails queue_mail_tx queues are
 * committed QUEUE_BATCH at a time. A transaction a mail was 0.13 ms of a
 * pass and most of its disk writes: each commit writes every page it
 * changed whole to the WAL, and the message indexes' pages are the same
 * for mails queued one after another. A crash loses at most the batch
 * not committed, none of it sent: the next pass builds those mails again
 * under the same keys, so with the same Message-IDs. The write lock is
 * held while a batch is built (some milliseconds a mail at most), and
 * nothing is delivered before the batch is committed: the pass's courier
 * is told of each commit (outbox_on_committed) and takes only what is.
 */
static void
queue_batch_start(struct outbox *o)
{
	o->batch->on = 1;
}

/* The queueing since queue_batch_start kept if rc is 0; rc or -1. */
static int
queue_batch_end(struct outbox *o, int rc)
{
	o->batch->on = 0;
	return queue_batch_close(o, rc);
}

/*
 * queue_mail in a transaction of its own, or in the pass's batch when one
 * was started; a failure rolls the batch back.
 */
static int
queue_mail_tx(const struct outbox *o, const struct firm *f,
	      const struct mail_job *job, time_t now, unsigned *queued,
	      unsigned *failed)
{
	struct queue_batch *b = o->batch;

	if (!b->open) {
		if (store_begin(o->store) < 0)
			return -1;
		b->open = 1;
	}
	if (queue_mail(o, f, job, now, queued, failed) < 0)
		return queue_batch_close(o, -1);
	/* the courier waits for its turn only while a mail is built */
	if (!b->on || ++b->n >= QUEUE_BATCH || store_turn_wanted(o->store))
		return queue_batch_close(o, 0);
	return 0;
}

static const char *
category_label(const struct outbox *o, const char *key, const char *lang)
{
	const struct category *c = key ? category_find(o->categories, key) : NULL;

	return c ? category_name(c, lang) : NULL;
}

/* Appends items to the "lots" list of v. */
static int
add_lots(const struct outbox *o, struct tpl_vars *v, const struct firm *f,
	 const struct match_item *items, size_t n, time_t now)
{
	struct alert_links links = links_for(o, f, now);
	struct tpl_vars *item;
	size_t i;

	for (i = 0; i < n; i++)
		if (!(item = tpl_add(v, "lots")) ||
		    alert_set_lot(item, &items[i], f->language,
				  category_label(o, items[i].category, f->language),
				  &links, o->rates, f->id) < 0)
			return -1;
	return 0;
}

/*
 * The fields of a mail about one notice: the firm's, the notice's (from
 * its first lot) at the top level, and the lots.
 */
static int
set_notice_mail(const struct outbox *o, struct tpl_vars *v,
		const struct firm *f, const struct match_item *items,
		size_t n, time_t now)
{
	struct alert_links links = links_for(o, f, now);

	if (alert_set_firm(v, o->cfg->service_name, &links, f) < 0 ||
	    alert_set_head(v, &items[0], f->language, &links, f->id) < 0 ||
	    tpl_setf(v, "count", "%zu", n) < 0 ||
	    (n == 1 && tpl_set(v, "one_lot", "1") < 0))
		return -1;
	return add_lots(o, v, f, items, n, now);
}

/* The matches a mail of items reports; NULL when memory ran out. */
static int64_t *
match_ids(const struct match_item *items, size_t n)
{
	int64_t *ids = calloc(n, sizeof *ids);
	size_t i;

	for (i = 0; ids && i < n; i++)
		ids[i] = items[i].match_id;
	return ids;
}

/*
 * Questions about another buyer's notice go to that buyer: to its contact
 * when the notice gives one address; about the unit's own, to [mail]
 * reply_to. NULL for the latter.
 */
static const char *
reply_to_for(const struct outbox *o, const struct match_item *it, char *buf,
	     size_t len)
{
	char own[12], buyer[12];
	char *const *b;

	if (!it || !it->buyer_email ||
	    mail_address(it->buyer_email, buf, len) < 0)
		return NULL;
	if (it->buyer_id && orgnr_normalize(it->buyer_id, buyer) == 0)
		for (b = o->cfg->own_buyers; b && *b; b++)
			if (orgnr_normalize(*b, own) == 0 &&
			    strcmp(own, buyer) == 0)
				return NULL;
	return buf;
}

/* The mail that tells of a notice of this kind. */
static enum alert_kind
mail_kind(const char *notice_kind)
{
	if (strcmp(notice_kind, "planning") == 0 ||
	    strcmp(notice_kind, "rfi") == 0)
		return ALERT_EARLY;
	if (strcmp(notice_kind, "result") == 0)
		return ALERT_AWARD;
	return ALERT_TENDER;
}

/*
 * A mail about one notice to a firm that wants mails at once: the best
 * unmailed notice's matched lots, at most limit of them. *more is 0 when
 * they were all the firm's unmailed matches: asking again would find
 * none (or, had the mail's key been taken, the same ones again).
 */
static int
queue_notice_alert(const struct outbox *o, struct match_cache *mc,
		   const struct firm *f, time_t now, size_t limit,
		   size_t *mailed, int *more, unsigned *queued,
		   unsigned *failed)
{
	struct match_item *items = NULL;
	struct tpl_vars *v = NULL;
	int64_t *ids = NULL;
	char *best = NULL;
	size_t n = 0, unqueued;
	char key[128], reply[256];
	int rc = -1;

	*mailed = 0;
	*more = 0;
	if (store_best_unqueued_notice(o->store, f->id, &best, &unqueued) < 0)
		goto out;
	if (!best) {
		rc = 0;
		goto out;
	}
	if (store_unqueued_matches_cached(o->store, mc, f->id, best, limit,
					  &items, &n) < 0)
		goto out;
	if (n == 0 || !(ids = match_ids(items, n)) || !(v = tpl_vars_new())) {
		error("out of memory");
		goto out;
	}
	/* The first match names the mail: the same matches, the same key. */
	snprintf(key, sizeof key, "alert/%s/%lld", f->orgnr, (long long)ids[0]);
	{
		struct mail_job job = { key, mail_kind(items[0].kind), v, NULL,
					0, ids, n, last_deadline(items, n), 0,
					reply_to_for(o, items, reply,
						     sizeof reply) };

		job.unfilled = set_notice_mail(o, v, f, items, n, now) < 0 ||
			       plan_mail_fields(o->store, items[0].notice_id,
						f->language, v) < 0;
		if (queue_mail_tx(o, f, &job, now, queued, failed) < 0)
			goto out;
	}
	*mailed = n;
	*more = unqueued > n;
	rc = 0;
out:
	tpl_vars_free(v);
	free(ids);
	free(best);
	match_items_free(items, n);
	return rc;
}

static int
same_category(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/*
 * The fields of a digest: the firm's, and its matches, best first, grouped
 * by category in the order of each category's best match.
 */
static int
set_digest(const struct outbox *o, struct tpl_vars *v, const struct firm *f,
	   const struct match_item *items, size_t n, time_t now)
{
	struct alert_links links = links_for(o, f, now);
	unsigned char *done = calloc(n, 1);
	struct tpl_vars *group;
	size_t i, j;
	int rc = -1;

	if (!done || alert_set_firm(v, o->cfg->service_name, &links, f) < 0 ||
	    tpl_setf(v, "count", "%zu", n) < 0 ||
	    tpl_set(v, f->frequency == FREQ_WEEKLY ? "weekly" : "daily", "1") < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (done[i])
			continue;
		if (!(group = tpl_add(v, "categories")) ||
		    tpl_set(group, "category", category_label(o, items[i].category,
							      f->language)) < 0)
			goto out;
		for (j = i; j < n; j++) {
			if (done[j] || !same_category(items[i].category,
						      items[j].category))
				continue;
			if (add_lots(o, group, f, &items[j], 1, now) < 0)
				goto out;
			done[j] = 1;
		}
	}
	rc = 0;
out:
	free(done);
	return rc;
}

/* A digest of the firm's unmailed matches, at most limit of them. */
static int
queue_digest(const struct outbox *o, struct match_cache *mc,
	     const struct firm *f, time_t now, size_t limit, unsigned *queued,
	     unsigned *failed)
{
	struct match_item *items = NULL;
	struct tpl_vars *v = NULL;
	int64_t *ids = NULL;
	size_t n = 0;
	char key[128];
	int rc = -1;

	if (store_unqueued_matches_cached(o->store, mc, f->id, NULL, limit,
					  &items, &n) < 0)
		goto out;
	if (n == 0) {
		rc = 0;
		goto out;
	}
	if (!(ids = match_ids(items, n)) || !(v = tpl_vars_new())) {
		error("out of memory");
		goto out;
	}
	snprintf(key, sizeof key, "digest/%s/%lld", f->orgnr, (long long)ids[0]);
	{
		struct mail_job job = { key, ALERT_DIGEST, v, NULL, 0, ids, n,
					last_deadline(items, n), 0, NULL };

		job.unfilled = set_digest(o, v, f, items, n, now) < 0;
		if (queue_mail_tx(o, f, &job, now, queued, failed) < 0)
			goto out;
	}
	rc = 0;
out:
	tpl_vars_free(v);
	free(ids);
	match_items_free(items, n);
	return rc;
}

/*
 * The local time at hour:00 on the day of now, days_back days earlier
 * (mktime normalises across months and daylight saving changes).
 */
static time_t
local_hour(time_t now, int hour, int days_back)
{
	struct tm tm;

	localtime_r(&now, &tm);
	tm.tm_mday -= days_back;
	tm.tm_hour = hour;
	tm.tm_min = 0;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* The latest digest time at or before now: daily, or Mondays for weekly. */
static time_t
digest_due_since(time_t now, int hour, enum firm_frequency freq)
{
	struct tm tm;
	int back = 0;

	if (freq == FREQ_WEEKLY) {
		localtime_r(&now, &tm);
		back = (tm.tm_wday + 6) % 7;
	}
	if (local_hour(now, hour, back) > now)
		back += freq == FREQ_WEEKLY ? 7 : 1;
	return local_hour(now, hour, back);
}

/*
 * The local times a pass's allowances are counted from, the same for
 * every firm: worked out once a pass (mktime reads the time zone anew
 * each time).
 */
struct pass_times {
	time_t midnight;		/* today's start */
	time_t due[FREQ_WEEKLY + 1];	/* the last digest time, by frequency */
};

static struct pass_times
pass_times(const struct config *cfg, time_t now)
{
	return (struct pass_times){
		local_hour(now, 0, 0),
		{ 0, digest_due_since(now, (int)cfg->digest_hour, FREQ_DAILY),
		  digest_due_since(now, (int)cfg->digest_hour, FREQ_WEEKLY) },
	};
}

/*
 * How many matches the firm may be mailed now: none before its digest
 * time unless it asked for mails at once, and never more than the daily
 * cap. What is held back stays queued, best first, for the next mail.
 */
static int
allowance(struct store *s, const struct config *cfg, const struct firm *f,
	  const struct pass_times *pt, size_t *allowed)
{
	long long sent;
	time_t last;

	*allowed = 0;
	if (f->frequency != FREQ_IMMEDIATELY) {
		if (store_last_alert(s, f->id, &last) < 0)
			return -1;
		if (last >= pt->due[f->frequency == FREQ_WEEKLY ? FREQ_WEEKLY :
							  FREQ_DAILY])
			return 0;
	}
	if (store_matches_mailed_since(s, f->id, pt->midnight, &sent) < 0)
		return -1;
	if (sent < cfg->max_per_day)
		*allowed = (size_t)(cfg->max_per_day - sent);
	return 0;
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Only the firms with an unqueued match are visited (store_unqueued_firms),
 * in the list's order: a firm with nothing to send costs no query, which
 * at a million firms is most of an idle pass.
 */
static int
queue_alerts(struct outbox *o, const struct firm_list *firms, time_t now,
	     unsigned *queued, unsigned *failed)
{
	const struct pass_times pt = pass_times(o->cfg, now);
	size_t i, nwaiting = 0, allowed, limit, mailed;
	struct match_cache *mc = NULL;
	int more;
	int64_t *waiting = NULL;
	int rc = -1;

	if (refresh_rates(o) < 0 ||
	    store_unqueued_firms(o->store, &waiting, &nwaiting) < 0 ||
	    (nwaiting && !(mc = match_cache_new())))
		goto out;
	for (i = 0; i < firms->n && nwaiting; i++) {
		const struct firm *f = firms->v[i];

		if (f->bounced_at || !bsearch(&f->id, waiting, nwaiting,
					      sizeof *waiting, cmp_id))
			continue;
		if (allowance(o->store, o->cfg, f, &pt, &allowed) < 0)
			goto out;
		limit = allowed < (size_t)o->cfg->max_lots_per_mail ?
			allowed : (size_t)o->cfg->max_lots_per_mail;
		if (limit == 0)
			continue;
		/* A digest is one mail. */
		if (f->frequency != FREQ_IMMEDIATELY) {
			if (queue_digest(o, mc, f, now, limit, queued,
					 failed) < 0)
				goto out;
			continue;
		}
		while (limit > 0) {
			if (queue_notice_alert(o, mc, f, now, limit, &mailed,
					       &more, queued, failed) < 0)
				goto out;
			if (mailed == 0 || !more)
				break;
			allowed -= mailed < allowed ? mailed : allowed;
			limit = allowed < limit ? allowed : limit;
		}
	}
	rc = 0;
out:
	match_cache_free(mc);
	free(waiting);
	return rc;
}

int
outbox_queue_alerts(struct outbox *o, const struct firm_list *firms,
		    time_t now, unsigned *queued, unsigned *failed)
{
	queue_batch_start(o);
	return queue_batch_end(o, queue_alerts(o, firms, now, queued, failed));
}

static const struct firm *
firm_by_id(const struct firm_list *firms, int64_t id)
{
	return firm_list_find(firms, id);
}

/* An old or new value of a change as a reader wants it. */
static int
set_change_value(struct tpl_vars *v, const char *name, const char *what,
		 const char *value, const char *lang)
{
	struct buf b;
	char *end;
	double d;
	int rc;

	if (!value)
		return 0;
	if (strcmp(what, "deadline") == 0 ||
	    strcmp(what, "questions_deadline") == 0)
		return alert_set_time(v, name, (time_t)strtoll(value, NULL, 10),
				      lang);
	if (strcmp(what, "value") != 0)
		return tpl_set(v, name, value);
	d = strtod(value, &end);
	if (*end)
		return tpl_set(v, name, value);
	buf_init(&b, 64);
	rc = money_group(d, 0, &b);
	if (rc == 0)
		rc = tpl_set(v, name, buf_str(&b));
	buf_release(&b);
	return rc;
}

/* The firm's lots of a notice: the ids, and those still current. */
struct firm_lots {
	char **ids;		/* every lot it was matched to */
	size_t nids;
	struct match_item *items;	/* those of the current version */
	size_t nitems;
};

static void
firm_lots_release(struct firm_lots *fl)
{
	strvec_free(fl->ids, fl->nids);
	match_items_free(fl->items, fl->nitems);
	memset(fl, 0, sizeof *fl);
}

static int
firm_lots_get(struct store *s, int64_t firm_id, const char *notice_id,
	      struct firm_lots *fl)
{
	firm_lots_release(fl);
	return store_matched_lots(s, firm_id, notice_id, &fl->ids,
				  &fl->nids) < 0 ||
	       store_notice_matches(s, firm_id, notice_id, &fl->items,
				    &fl->nitems) < 0 ? -1 : 0;
}

static int
is_firm_lot(const struct firm_lots *fl, const char *lot_id)
{
	size_t i;

	for (i = 0; i < fl->nids; i++)
		if (strcmp(fl->ids[i], lot_id) == 0)
			return 1;
	return 0;
}

/* The firm's lot of that id in the current version, or NULL. */
static const struct match_item *
current_lot(const struct firm_lots *fl, const char *lot_id)
{
	size_t i;

	for (i = 0; i < fl->nitems; i++)
		if (strcmp(fl->items[i].lot_id, lot_id) == 0)
			return &fl->items[i];
	return NULL;
}

/*
 * The changes a firm reads: those of the whole procedure and of its own
 * lots, each lot named by its title (a cancelled one by the title it
 * had); *shown counts them.
 */
static int
set_changes(struct tpl_vars *v, const struct notice_change *c, size_t n,
	    const struct firm_lots *fl, const char *lang, size_t *shown)
{
	const struct match_item *lot;
	struct tpl_vars *item;
	char flag[64];
	size_t i;

	*shown = 0;
	for (i = 0; i < n; i++) {
		if (c[i].lot_id && !is_firm_lot(fl, c[i].lot_id))
			continue;
		lot = c[i].lot_id ? current_lot(fl, c[i].lot_id) : NULL;
		snprintf(flag, sizeof flag, "what_%s", c[i].what);
		if (!(item = tpl_add(v, "changes")) ||
		    tpl_set(item, flag, "1") < 0 ||
		    tpl_set(item, "lot_id", c[i].lot_id) < 0 ||
		    (lot && alert_set_lot_name(item, lot) < 0) ||
		    set_change_value(item, "old", c[i].what, c[i].old_value,
				     lang) < 0 ||
		    set_change_value(item, "new", c[i].what, c[i].new_value,
				     lang) < 0)
			return -1;
		(*shown)++;
	}
	return 0;
}

/*
 * Whether a stored version is the one that withdrew the unit's RFI, or
 * one of its own notices (*own): the current version of one withdrawn,
 * whose change mail says so.
 */
static int
withdrawing(struct store *s, const struct stored_notice *notice,
	    const struct pending_change *pc, time_t now, int *yes, int *own)
{
	struct own_notice_row *o = NULL;
	struct rfi_entry *e = NULL;
	size_t n = 0;

	*yes = *own = 0;
	if (!notice || notice->rowid != pc->rowid)
		return 0;
	if (strcmp(notice->kind, "rfi") == 0) {
		if (store_rfis(s, now, pc->notice_id, &e, &n) < 0)
			return -1;
		*yes = n && e->own && e->withdrawn_at;
		rfi_entries_free(e, n);
		if (*yes)
			return 0;
	}
	if (store_own_notice(s, pc->notice_id, NULL, &o, &n) < 0)
		return -1;
	*yes = *own = n && o->withdrawn_at;
	own_notice_rows_free(o, n);
	return 0;
}

/*
 * One changed notice version: a mail to every firm that was mailed about
 * the notice and one of whose lots, or the whole procedure, changed, all
 * queued in one transaction with the mark that the change is done, so a
 * crash leaves either all of them or none.
 */
static int
queue_change(const struct outbox *o, const struct firm_list *firms,
	     const struct pending_change *pc, time_t now, unsigned *queued,
	     unsigned *failed)
{
	struct notice_change *changes = NULL;
	struct stored_notice *notice = NULL;
	struct firm_lots fl = { NULL, 0, NULL, 0 };
	int64_t *recipients = NULL;
	struct tpl_vars *v = NULL;
	size_t nchanges = 0, nrcpt = 0, shown, i;
	char key[256], reply[256];
	/* a change can matter after the deadline: an award, a new date */
	struct mail_job job = { .key = key, .kind = ALERT_CHANGE };
	int withdrawn, own, rc = -1;

	if (store_version_changes(o->store, pc->rowid, &changes, &nchanges) < 0 ||
	    store_get_notice(o->store, pc->notice_id, &notice) < 0 ||
	    store_change_recipients(o->store, pc->rowid, &recipients,
				    &nrcpt) < 0 ||
	    withdrawing(o->store, notice, pc, now, &withdrawn, &own) < 0 ||
	    store_begin(o->store) < 0)
		goto out;
	/* a change notice of a notice never stored: no one was told of it */
	for (i = 0; notice && i < nrcpt; i++) {
		const struct firm *f = firm_by_id(firms, recipients[i]);
		struct alert_links links;

		tpl_vars_free(v);
		if (!(v = tpl_vars_new()))
			goto fail;
		if (!f)
			continue;
		if (firm_lots_get(o->store, f->id, pc->notice_id, &fl) < 0)
			goto fail;
		links = links_for(o, f, now);
		snprintf(key, sizeof key, "change/%s/%lld", f->orgnr,
			 (long long)pc->rowid);
		job.v = v;
		job.reply_to = reply_to_for(o, fl.nitems ? fl.items : NULL,
					    reply, sizeof reply);
		job.unfilled = alert_set_firm(v, o->cfg->service_name, &links,
					      f) < 0 ||
			       alert_set_notice(v, notice, &links, f->id) < 0 ||
			       (withdrawn && tpl_set(v, "withdrawn", "1") < 0) ||
			       (own && tpl_set(v, "withdrawn_notice", "1") < 0) ||
			       plan_mail_fields(o->store, pc->notice_id,
						f->language, v) < 0 ||
			       set_changes(v, changes, nchanges, &fl, f->language,
					   &shown) < 0;
		/* only lots it was not told of changed */
		if (!job.unfilled && shown == 0)
			continue;
		if (queue_mail(o, f, &job, now, queued, failed) < 0)
			goto fail;
	}
	if (store_changes_done(o->store, pc->rowid) < 0 ||
	    store_commit(o->store) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	store_rollback(o->store);
out:
	tpl_vars_free(v);
	firm_lots_release(&fl);
	stored_notice_free(notice);
	notice_changes_free(changes, nchanges);
	free(recipients);
	return rc;
}

int
outbox_queue_changes(struct outbox *o, const struct firm_list *firms,
		     time_t now, unsigned *queued, unsigned *failed)
{
	struct pending_change *pc = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (refresh_rates(o) < 0)
		return -1;
	do {
		pending_changes_free(pc, n);
		pc = NULL;
		n = 0;
		if (store_pending_changes(o->store, 100, &pc, &n) < 0)
			goto out;
		for (i = 0; i < n; i++)
			if (queue_change(o, firms, &pc[i], now, queued,
					 failed) < 0)
				goto out;
	} while (n == 100);
	rc = 0;
out:
	pending_changes_free(pc, n);
	return rc;
}

/*
 * The `opened` mails of one entry of the unit's plan now linked to the
 * notice it became: to every firm told of the entry, queued in one
 * transaction with the mark that they are, so each goes once.
 */
static int
queue_opened(const struct outbox *o, const struct firm_list *firms,
	     const struct plan *p, time_t now, unsigned *queued,
	     unsigned *failed)
{
	struct stored_notice *notice = NULL, *entry = NULL;
	int64_t *told = NULL;
	struct tpl_vars *v = NULL;
	size_t ntold = 0, i;
	char key[256];
	struct mail_job job = { .key = key, .kind = ALERT_OPENED };
	int rc = -1;

	if (store_get_notice(o->store, p->linked, &notice) < 0 ||
	    store_get_notice(o->store, p->notice_id, &entry) < 0 ||
	    (entry && store_change_recipients(o->store, entry->rowid, &told,
					      &ntold) < 0) ||
	    store_begin(o->store) < 0)
		goto out;
	for (i = 0; notice && i < ntold; i++) {
		const struct firm *f = firm_by_id(firms, told[i]);
		struct alert_links links;

		if (!f)
			continue;
		tpl_vars_free(v);
		if (!(v = tpl_vars_new()))
			goto fail;
		links = links_for(o, f, now);
		snprintf(key, sizeof key, "opened/%s/%s/%s", f->orgnr,
			 p->notice_id, notice->notice_id);
		job.v = v;
		job.stale_at = notice->has_deadline ? notice->deadline : 0;
		job.unfilled = alert_set_firm(v, o->cfg->service_name, &links,
					      f) < 0 ||
			       alert_set_notice(v, notice, &links, f->id) < 0 ||
			       plan_mail_fields(o->store, p->notice_id,
						f->language, v) < 0 ||
			       (notice->has_deadline &&
				alert_set_time(v, "deadline", notice->deadline,
					       f->language) < 0);
		if (queue_mail(o, f, &job, now, queued, failed) < 0)
			goto fail;
	}
	if (store_plan_opened(o->store, p->id, now) < 0 ||
	    store_commit(o->store) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	store_rollback(o->store);
out:
	tpl_vars_free(v);
	stored_notice_free(notice);
	stored_notice_free(entry);
	free(told);
	return rc;
}

int
outbox_queue_opened(struct outbox *o, const struct firm_list *firms,
		    time_t now, unsigned *queued, unsigned *failed)
{
	struct plan *p = NULL;
	size_t n = 0, i;
	int rc = 0;

	if (store_plans_to_open(o->store, &p, &n) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		rc = queue_opened(o, firms, &p[i], now, queued, failed);
	plans_free(p, n);
	return rc;
}

/*
 * The reminder due for a deadline: the nearest of the configured days
 * whose window has opened. 0 if none has.
 */
static long
reminder_due(const struct config *cfg, time_t deadline, time_t now)
{
	size_t i;

	for (i = cfg->nreminder_days; i-- > 0; )
		if (deadline - now <= cfg->reminder_days[i] * 86400L)
			return cfg->reminder_days[i];
	return 0;
}

/* The reminder under key, not queued yet, to f. */
static int
queue_reminder(const struct outbox *o, const struct firm *f,
	       const char *notice_id, const char *key, time_t deadline,
	       time_t now, unsigned *queued, unsigned *failed)
{
	struct match_item *items = NULL;
	struct tpl_vars *v = NULL;
	size_t n = 0;
	char reply[256];
	int rc = -1;

	if (store_notice_matches(o->store, f->id, notice_id, &items, &n) < 0)
		goto out;
	if (n == 0) {
		rc = 0;
		goto out;
	}
	if (!(v = tpl_vars_new()))
		goto out;
	{
		struct mail_job job = { key, ALERT_REMINDER, v, NULL, 0, NULL, 0,
					deadline, 0, NULL };

		job.reply_to = reply_to_for(o, items, reply, sizeof reply);
		job.unfilled = set_notice_mail(o, v, f, items, n, now) < 0 ||
			alert_set_time(v, "deadline", deadline, f->language) < 0 ||
			alert_set_day(v, "deadline_day", deadline,
				      f->language) < 0;
		if (queue_mail_tx(o, f, &job, now, queued, failed) < 0)
			goto out;
	}
	rc = 0;
out:
	tpl_vars_free(v);
	match_items_free(items, n);
	return rc;
}

static int
cmp_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Whether the reminder of that key is queued: known so from the last
 * pass (a queued mail stays), or asked of the store; one that is goes
 * into *seen, the next pass's knowledge, as does one queued now. At a
 * million firms the window's reminders, each asked of the store every
 * pass, were most of an idle pass.
 */
static int
reminder_queued(const struct outbox *o, const char *key, char ***seen,
		size_t *nseen, int *exists)
{
	*exists = o->nreminded && bsearch(&key, o->reminded, o->nreminded,
					   sizeof *o->reminded, cmp_key);
	if (!*exists && store_message_exists(o->store, key, exists) < 0)
		return -1;
	if (*exists && strvec_push(seen, nseen, key) < 0)
		return error("out of memory");
	return 0;
}

/*
 * The reminders due, in the batch the caller started; *seen the keys
 * known queued, for the next pass once the batch is kept.
 */
static int
queue_reminders(struct outbox *o, const struct firm_list *firms, time_t now,
		unsigned *queued, unsigned *failed, char ***seen,
		size_t *nseen)
{
	struct reminder_candidate *c = NULL;
	const struct config *cfg = o->cfg;
	size_t n = 0, i, j;
	unsigned made;
	int rc = -1;

	if (cfg->nreminder_days == 0)
		return 0;
	if (store_reminder_candidates(o->store, now,
				      now + cfg->reminder_days[0] * 86400L,
				      &c, &n) < 0)
		goto out;
	/*
	 * Rows come by firm and notice, the nearest deadline first. Most are
	 * reminded already, every pass of the window: that is settled by the
	 * key before anything is looked up.
	 */
	for (i = 0; i < n; i = j) {
		const struct firm *f;
		time_t first = c[i].first_mailed;
		char key[256];
		long days;
		int exists;

		for (j = i + 1; j < n && c[j].firm_id == c[i].firm_id &&
		     strcmp(c[j].notice_id, c[i].notice_id) == 0; j++)
			if (c[j].first_mailed < first)
				first = c[j].first_mailed;
		days = reminder_due(cfg, c[i].deadline, now);
		/* a firm told of it inside the window was told just now */
		if (days == 0 || first > c[i].deadline - days * 86400L)
			continue;
		snprintf(key, sizeof key, "reminder/%s/%s/%ld", c[i].orgnr,
			 c[i].notice_id, days);
		if (reminder_queued(o, key, seen, nseen, &exists) < 0)
			goto out;
		if (exists || !(f = firm_by_id(firms, c[i].firm_id)))
			continue;
		made = *queued + *failed;
		if (queue_reminder(o, f, c[i].notice_id, key, c[i].deadline,
				   now, queued, failed) < 0)
			goto out;
		/* counted as either, it has its row now */
		if (*queued + *failed != made &&
		    strvec_push(seen, nseen, key) < 0) {
			error("out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	reminder_candidates_free(c, n);
	return rc;
}

/*
 * What the pass learnt of queued reminders is kept only with the batch:
 * a key of a mail rolled back, believed queued, would never be sent.
 */
int
outbox_queue_reminders(struct outbox *o, const struct firm_list *firms,
		       time_t now, unsigned *queued, unsigned *failed)
{
	char **seen = NULL;
	size_t nseen = 0;
	int rc;

	queue_batch_start(o);
	rc = queue_batch_end(o, queue_reminders(o, firms, now, queued, failed,
						&seen, &nseen));
	if (rc < 0) {
		strvec_free(seen, nseen);
		return rc;
	}
	if (nseen)
		qsort(seen, nseen, sizeof *seen, cmp_key);
	strvec_free(o->reminded, o->nreminded);
	o->reminded = seen;
	o->nreminded = nseen;
	return 0;
}

static int
cmp_invite(const void *a, const void *b)
{
	const struct meeting_invite *x = a, *y = b;

	return x->firm_id < y->firm_id ? -1 : x->firm_id > y->firm_id;
}

/* A firm in an industry: it chose the category, or codes inside it. */
static int
in_category(const struct outbox *o, const struct firm *f, const char *category)
{
	const struct category *c;
	size_t i;

	if (!category)
		return 0;
	for (i = 0; i < f->ncategories; i++)
		if (strcmp(f->categories[i], category) == 0)
			return 1;
	for (i = 0; i < f->ncpv; i++)
		if ((c = category_for_cpv(o->categories, f->cpv[i])) &&
		    strcmp(c->key, category) == 0)
			return 1;
	return 0;
}

/*
 * ids ascending, as store_notice_firms gives them: a meeting's reach asks
 * this of every firm, so a scan would cost firms × matches.
 */
static int
has_id(const int64_t *ids, size_t n, int64_t id)
{
	return n && bsearch(&id, ids, n, sizeof *ids, cmp_id) != NULL;
}

/* Whether a meeting is for f: matched to its notice or in its category. */
static int
meeting_reaches(const struct outbox *o, const struct firm *f,
		const struct meeting *m, const int64_t *matched,
		size_t nmatched)
{
	return in_category(o, f, m->category) ||
	       has_id(matched, nmatched, f->id);
}

int
outbox_meeting_reach(const struct outbox *o, const struct firm_list *firms,
		     const struct meeting *m, size_t *count)
{
	int64_t *matched = NULL;
	size_t nmatched = 0, i;

	*count = 0;
	if (m->notice_id &&
	    store_notice_firms(o->store, m->notice_id, &matched, &nmatched) < 0)
		return -1;
	for (i = 0; i < firms->n; i++)
		*count += meeting_reaches(o, firms->v[i], m, matched,
					  nmatched) != 0;
	free(matched);
	return 0;
}

/*
 * A registration as the firm a mail goes to: a firm of the register by
 * its id, a guest (id 0) by what it typed.
 */
static struct firm
as_firm(const struct attendee *r)
{
	return (struct firm){ .id = r->firm_id, .orgnr = r->orgnr,
			      .name = r->name, .email = r->email,
			      .language = r->language };
}

/*
 * The signed link of a participant of meeting object: a firm's to its
 * /rsvp page, a guest's (firm_id 0) to /attend, by its registration.
 */
static int
participant_link(const struct alert_links *links, int64_t firm_id,
		 int64_t reg_id, const char *object, struct buf *out)
{
	return alert_link(links, firm_id ? "rsvp" : "attend",
			  firm_id ? firm_id : reg_id, object, out);
}

int
outbox_meeting_calendar(const struct outbox *o, const struct meeting *m,
			const char *lang, time_t now, struct buf *ics)
{
	const char *organizer = m->organizer ? m->organizer :
				o->cfg->reply_to ? o->cfg->reply_to :
				o->cfg->mail_from;
	char uid[320], organizer_addr[256];
	struct buf page;
	int rc = -1;

	buf_init(&page, 1024);
	snprintf(uid, sizeof uid, "meeting-%lld@%s", (long long)m->id,
		 strrchr(o->from_addr, '@') + 1);
	if (mail_address(organizer, organizer_addr, sizeof organizer_addr) < 0) {
		error("meeting %lld: organizer '%s' is not a mail address",
		      (long long)m->id, organizer);
		goto out;
	}
	if (buf_printf(&page, "%s/meetings/%lld", o->cfg->public_url,
		       (long long)m->id) < 0)
		goto out;
	{
		struct ical_event ev = {
			.uid = uid,
			.sequence = m->sequence,
			.cancelled = m->cancelled,
			.start = m->start,
			.end = m->end,
			.tzid = m->timezone,
			.stamp = now,
			.summary = m->title,
			.description = m->description,
			.location = m->location,
			.url = buf_str(&page),
			.video_url = m->video_url,
			.video_label = is_english(lang) ? "Video link" :
				       "Videolänk",
			.organizer_name = o->cfg->service_name,
			.organizer_email = organizer_addr,
			.language = is_english(lang) ? "en" : "sv",
		};

		rc = ical_calendar(&ev, ics);
	}
out:
	buf_release(&page);
	return rc;
}

/* A line of what changed in a meeting, its old and new to be set. */
static struct tpl_vars *
meeting_change(struct tpl_vars *v, const char *what)
{
	struct tpl_vars *c = tpl_add(v, "changes");
	char flag[64];

	snprintf(flag, sizeof flag, "what_%s", what);
	return c && tpl_set(c, flag, "1") == 0 ? c : NULL;
}

/* old and new are NULL for none. */
static int
change_text(struct tpl_vars *v, const char *what, const char *old,
	    const char *new)
{
	struct tpl_vars *c;

	if (old && new ? strcmp(old, new) == 0 : old == new)
		return 0;
	return (c = meeting_change(v, what)) && tpl_set(c, "old", old) == 0 &&
	       tpl_set(c, "new", new) == 0 ? 0 : -1;
}

static int
change_time(struct tpl_vars *v, const char *what, int has_old, time_t old,
	    int has_new, time_t new, const char *lang)
{
	struct tpl_vars *c;

	if (has_old == has_new && (!has_old || old == new))
		return 0;
	return (c = meeting_change(v, what)) &&
	       (!has_old || alert_set_time(c, "old", old, lang) == 0) &&
	       (!has_new || alert_set_time(c, "new", new, lang) == 0) ? 0 : -1;
}

/*
 * What changed since was, the version a firm was sent, old and new: the
 * times, the place, the video link, the seats and the registration
 * deadline; the new description is in the mail as it is.
 */
static int
set_meeting_changes(struct tpl_vars *v, const struct meeting *was,
		    const struct meeting *m, const char *lang)
{
	char old_seats[24] = "", new_seats[24] = "";

	if (was->capacity > 0)
		snprintf(old_seats, sizeof old_seats, "%ld", was->capacity);
	if (m->capacity > 0)
		snprintf(new_seats, sizeof new_seats, "%ld", m->capacity);
	return change_text(v, "title", was->title, m->title) < 0 ||
	       change_time(v, "starts", 1, was->start, 1, m->start, lang) < 0 ||
	       change_time(v, "ends", 1, was->end, 1, m->end, lang) < 0 ||
	       change_text(v, "location", was->location, m->location) < 0 ||
	       change_text(v, "video_url", was->video_url, m->video_url) < 0 ||
	       change_text(v, "capacity", *old_seats ? old_seats : NULL,
			   *new_seats ? new_seats : NULL) < 0 ||
	       change_time(v, "registration_deadline",
			   was->has_registration_deadline,
			   was->registration_deadline,
			   m->has_registration_deadline,
			   m->registration_deadline, lang) < 0 ? -1 : 0;
}

/*
 * The fields of an invitation, and its calendar file; was, the version
 * of an update's firm, says what changed (NULL for an invitation, a
 * reminder, or a version not kept); reg_id is a guest's registration.
 */
static int
set_meeting(const struct outbox *o, struct tpl_vars *v, const struct firm *f,
	    int64_t reg_id, const struct meeting *m, const struct meeting *was,
	    const struct stored_notice *notice, int updated, time_t now,
	    struct buf *ics)
{
	struct alert_links links = links_for(o, f, now);
	char object[32], path[48];
	struct buf page, rsvp;
	int rc = -1;

	buf_init(&page, 1024);
	buf_init(&rsvp, 1024);
	snprintf(object, sizeof object, "%lld", (long long)m->id);
	snprintf(path, sizeof path, "/meetings/%s", object);
	if (alert_page(&links, path, &page) < 0 ||
	    (!m->cancelled &&
	     (participant_link(&links, f->id, reg_id, object, &rsvp) < 0 ||
	      tpl_set(v, "rsvp_url", buf_str(&rsvp)) < 0)) ||
	    (m->cancelled && tpl_set(v, "cancelled", "1") < 0) ||
	    (updated && tpl_set(v, "updated", "1") < 0) ||
	    (was && set_meeting_changes(v, was, m, f->language) < 0) ||
	    alert_set_firm(v, o->cfg->service_name, &links, f) < 0 ||
	    tpl_set(v, "meeting_title", m->title) < 0 ||
	    tpl_set(v, "meeting_url", buf_str(&page)) < 0 ||
	    alert_set_time(v, "starts", m->start, f->language) < 0 ||
	    alert_set_time(v, "ends", m->end, f->language) < 0 ||
	    tpl_set(v, "location", m->location) < 0 ||
	    tpl_set(v, "video_url", m->video_url) < 0 ||
	    tpl_set(v, "description", m->description) < 0 ||
	    (m->has_registration_deadline &&
	     alert_set_time(v, "registration_deadline",
			    m->registration_deadline, f->language) < 0) ||
	    (m->capacity > 0 && tpl_setf(v, "capacity", "%ld", m->capacity) < 0) ||
	    tpl_set(v, "category", category_label(o, m->category,
						  f->language)) < 0 ||
	    (notice && tpl_set(v, "notice_title", notice->title) < 0) ||
	    outbox_meeting_calendar(o, m, f->language, now, ics) < 0)
		goto out;
	rc = 0;
out:
	buf_release(&page);
	buf_release(&rsvp);
	return rc;
}

/* What a meeting mail is: the invitation, an update, or the reminder. */
enum meeting_mail { INVITATION, UPDATE, REMINDER };

static int
queue_invitation(const struct outbox *o, const struct firm *f,
		 int64_t reg_id, const struct meeting *m,
		 const struct meeting *was, const struct stored_notice *notice,
		 enum meeting_mail what, time_t now, unsigned *queued,
		 unsigned *failed)
{
	struct tpl_vars *v = tpl_vars_new();
	struct buf ics;
	char key[256];
	int rc = -1;

	buf_init(&ics, 256 * 1024);
	if (!v) {
		error("out of memory");
		goto out;
	}
	if (what == REMINDER)
		snprintf(key, sizeof key, "meeting-reminder/%lld/%s",
			 (long long)m->id, f->orgnr);
	else if (!f->id)
		snprintf(key, sizeof key, "meeting/%lld/%d/guest-%lld",
			 (long long)m->id, m->sequence, (long long)reg_id);
	else
		snprintf(key, sizeof key, "meeting/%lld/%d/%s",
			 (long long)m->id, m->sequence, f->orgnr);
	{
		struct mail_attachment at = {
			ical_content_type(m->cancelled),
			is_english(f->language) ? "invitation.ics" : "inbjudan.ics",
			NULL, 0
		};
		struct mail_job job = { key, ALERT_MEETING, v, &at, 1, NULL, 0,
					m->start, 0, NULL };

		job.unfilled = set_meeting(o, v, f, reg_id, m, was, notice,
					   what == UPDATE, now, &ics) < 0 ||
			       (what == REMINDER &&
				tpl_set(v, "reminder", "1") < 0);
		at.data = ics.data;
		at.len = ics.len;
		if (store_begin(o->store) < 0)
			goto out;
		if (queue_mail(o, f, &job, now, queued, failed) < 0 ||
		    (f->id ? store_meeting_invited(o->store, m->id, f->id,
						   m->sequence, now) :
		     store_attendee_mailed(o->store, reg_id,
					       m->sequence)) < 0 ||
		    store_commit(o->store) < 0) {
			store_rollback(o->store);
			goto out;
		}
	}
	rc = 0;
out:
	tpl_vars_free(v);
	buf_release(&ics);
	return rc;
}

/* A firm registered for a meeting or on its waiting list. */
static int
is_participant(const struct attendee *r, size_t n, int64_t firm_id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i].firm_id == firm_id &&
		    (r[i].state == RS_REGISTERED || r[i].state == RS_WAITING))
			return 1;
	return 0;
}

/* The update, or the invitation, to firm f (a guest: reg_id). */
static int
queue_update(const struct outbox *o, const struct firm *f, int64_t reg_id,
	     const struct meeting *m, int has_sequence, int sequence,
	     const struct stored_notice *notice, time_t now, unsigned *queued,
	     unsigned *failed)
{
	struct meeting *was = NULL;
	size_t nwas = 0;
	int rc;

	if (has_sequence && !m->cancelled &&
	    store_meeting_version(o->store, m->id, sequence, &was, &nwas) < 0)
		return -1;
	rc = queue_invitation(o, f, reg_id, m, nwas ? was : NULL, notice,
			      has_sequence ? UPDATE : INVITATION, now, queued,
			      failed);
	meetings_free(was, nwas);
	return rc;
}

/*
 * One meeting: an invitation to each firm matched to its notice,
 * subscribed to its category or registered that has none yet, while the
 * meeting is ahead; an update or a cancellation to each firm invited to
 * an earlier version of it, and to each guest registered or waiting.
 */
static int
queue_meeting(const struct outbox *o, const struct firm_list *firms,
	      const struct meeting *m, time_t now, unsigned *queued,
	      unsigned *failed)
{
	struct meeting_invite *inv = NULL, *found, probe;
	struct stored_notice *notice = NULL;
	struct attendee *r = NULL;
	struct firm guest;
	int64_t *matched = NULL;
	size_t ninv = 0, nmatched = 0, nr = 0, i;
	int rc = -1;

	if (store_meeting_invites(o->store, m->id, &inv, &ninv) < 0 ||
	    store_attendees(o->store, m->id, &r, &nr) < 0 ||
	    (m->notice_id &&
	     (store_notice_firms(o->store, m->notice_id, &matched, &nmatched) < 0 ||
	      store_get_notice(o->store, m->notice_id, &notice) < 0)))
		goto out;
	for (i = 0; i < firms->n; i++) {
		const struct firm *f = firms->v[i];

		probe.firm_id = f->id;
		found = ninv ? bsearch(&probe, inv, ninv, sizeof *inv,
				       cmp_invite) : NULL;
		if (found ? found->sequence == m->sequence :
		    m->cancelled || m->start <= now ||
		    !(meeting_reaches(o, f, m, matched, nmatched) ||
		      is_participant(r, nr, f->id)))
			continue;
		if (queue_update(o, f, 0, m, found != NULL,
				 found ? found->sequence : 0, notice, now,
				 queued, failed) < 0)
			goto out;
	}
	for (i = 0; i < nr; i++) {
		if (r[i].firm_id || r[i].sequence >= m->sequence ||
		    (r[i].state != RS_REGISTERED && r[i].state != RS_WAITING))
			continue;
		guest = as_firm(&r[i]);
		if (queue_update(o, &guest, r[i].id, m, 1, r[i].sequence, notice,
				 now, queued, failed) < 0)
			goto out;
	}
	rc = 0;
out:
	attendees_free(r, nr);
	free(inv);
	free(matched);
	stored_notice_free(notice);
	return rc;
}

/*
 * The day before a meeting, a reminder to each firm registered for it,
 * guests too.
 */
#define MEETING_REMINDER (24L * 3600)

static int
queue_meeting_reminders(const struct outbox *o, const struct firm_list *firms,
			const struct meeting *m, time_t now, unsigned *queued,
			unsigned *failed)
{
	struct attendee *r = NULL;
	const struct firm *f;
	struct firm guest;
	char key[256];
	size_t n = 0, i;
	int exists, rc = -1;

	if (m->cancelled || m->start <= now || m->start - now > MEETING_REMINDER)
		return 0;
	if (store_attendees(o->store, m->id, &r, &n) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		guest = as_firm(&r[i]);
		f = r[i].firm_id ? firm_by_id(firms, r[i].firm_id) : &guest;
		if (r[i].state != RS_REGISTERED || !f)
			continue;
		snprintf(key, sizeof key, "meeting-reminder/%lld/%s",
			 (long long)m->id, f->orgnr);
		if (store_message_exists(o->store, key, &exists) < 0)
			goto out;
		if (!exists &&
		    queue_invitation(o, f, r[i].id, m, NULL, NULL, REMINDER, now,
				     queued, failed) < 0)
			goto out;
	}
	rc = 0;
out:
	attendees_free(r, n);
	return rc;
}

/* The survey of meeting m to attendee r, who is f. */
static int
queue_survey(const struct outbox *o, const struct firm *f,
	     const struct attendee *r, const struct meeting *m, time_t now,
	     unsigned *queued, unsigned *failed)
{
	struct alert_links links = links_for(o, f, now);
	struct tpl_vars *v = tpl_vars_new();
	char key[128], object[24];
	struct buf url;
	int exists, rc = -1;

	buf_init(&url, 1024);
	snprintf(key, sizeof key, "survey/%lld/%lld", (long long)m->id,
		 (long long)r->id);
	snprintf(object, sizeof object, "%lld", (long long)m->id);
	if (!v || store_message_exists(o->store, key, &exists) < 0)
		goto out;
	if (!exists) {
		struct mail_job job = { key, ALERT_SURVEY, v, NULL, 0, NULL, 0,
					0, 0, NULL };

		/* the registration answers: a guest has no firm id */
		job.unfilled = alert_link(&links, SURVEY_PURPOSE, r->id, object,
					  &url) < 0 ||
			       tpl_set(v, "survey_url", buf_str(&url)) < 0 ||
			       alert_set_firm(v, o->cfg->service_name, &links,
					      f) < 0 ||
			       tpl_set(v, "meeting_title", m->title) < 0 ||
			       alert_set_time(v, "starts", m->start,
					      f->language) < 0 ||
			       (!f->id && tpl_set(v, "guest", "1") < 0);
		if (queue_mail_tx(o, f, &job, now, queued, failed) < 0)
			goto out;
	}
	rc = 0;
out:
	buf_release(&url);
	tpl_vars_free(v);
	return rc;
}

int
outbox_queue_surveys(struct outbox *o, const struct firm_list *firms,
		     time_t now, unsigned *queued, unsigned *failed)
{
	struct meeting *m = NULL;
	struct attendee *r = NULL;
	const struct firm *f;
	struct firm guest;
	size_t n = 0, nr = 0, i, k;
	int rc = -1;

	if (store_meetings(o->store, now - OUTBOX_SURVEY_DAYS * 86400L, 0, &m,
			   &n) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (m[i].cancelled || m[i].end > now)
			continue;
		if (store_attendees(o->store, m[i].id, &r, &nr) < 0)
			goto out;
		for (k = 0; k < nr; k++) {
			guest = as_firm(&r[k]);
			f = r[k].firm_id ? firm_by_id(firms, r[k].firm_id) :
			    r[k].email ? &guest : NULL;
			if (r[k].attended && f &&
			    queue_survey(o, f, &r[k], &m[i], now, queued,
					 failed) < 0)
				goto out;
		}
		attendees_free(r, nr);
		r = NULL;
		nr = 0;
	}
	rc = 0;
out:
	attendees_free(r, nr);
	meetings_free(m, n);
	return rc;
}

int
outbox_queue_meetings(struct outbox *o, const struct firm_list *firms,
		      time_t now, unsigned *queued, unsigned *failed)
{
	struct meeting *m = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (store_meetings(o->store, now, 0, &m, &n) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (queue_meeting(o, firms, &m[i], now, queued, failed) < 0 ||
		    queue_meeting_reminders(o, firms, &m[i], now, queued,
					    failed) < 0)
			goto out;
	rc = 0;
out:
	meetings_free(m, n);
	return rc;
}

int
outbox_queue_attend(struct outbox *o, const struct meeting *m,
		    const struct attendee *r, enum attend_mail what,
		    time_t now)
{
	static const char *const flags[] = {
		[ATTEND_ASK] = "pending", [ATTEND_REGISTERED] = "registered",
		[ATTEND_WAITING] = "waiting", [ATTEND_MOVED_UP] = "moved_up",
		[ATTEND_MOVED_DOWN] = "moved_down",
	};
	struct firm f = as_firm(r);
	struct alert_links links = links_for(o, &f, now);
	struct tpl_vars *v = tpl_vars_new();
	struct buf url, page;
	char key[256], object[32], path[48];
	unsigned queued = 0, failed = 0;
	int rc = -1;

	buf_init(&url, 1024);
	buf_init(&page, 1024);
	/* a link to confirm lasts a week, as a subscription's does */
	if (what == ATTEND_ASK)
		links.expires = now + 7L * 24 * 3600;
	snprintf(key, sizeof key, OUTBOX_WEB_KEYS "attend/%lld/%s/%s/%lld",
		 (long long)m->id, f.orgnr, flags[what], (long long)now);
	snprintf(object, sizeof object, "%lld", (long long)m->id);
	snprintf(path, sizeof path, "/meetings/%s", object);
	if (!v) {
		error("out of memory");
		goto out;
	}
	{
		struct mail_job job = { key, ALERT_ATTEND, v, NULL, 0, NULL, 0,
					m->start, 0, NULL };

		job.unfilled =
			alert_set_firm(v, o->cfg->service_name, &links, &f) < 0 ||
			tpl_set(v, flags[what], "1") < 0 ||
			participant_link(&links, f.id, r->id, object, &url) < 0 ||
			tpl_set(v, "attend_url", buf_str(&url)) < 0 ||
			alert_page(&links, path, &page) < 0 ||
			tpl_set(v, "meeting_url", buf_str(&page)) < 0 ||
			tpl_set(v, "meeting_title", m->title) < 0 ||
			alert_set_time(v, "starts", m->start, f.language) < 0 ||
			tpl_set(v, "location", m->location) < 0 ||
			tpl_set(v, "video_url", m->video_url) < 0;
		if (queue_mail(o, &f, &job, now, &queued, &failed) < 0)
			goto out;
	}
	rc = 0;
out:
	tpl_vars_free(v);
	buf_release(&url);
	buf_release(&page);
	return rc;
}

/*
 * The mails the web pages queue, for the endpoint's courier to send at
 * once: the confirmation of a new subscription, the manage link to a firm
 * that subscribed again, the link that confirms a new address. Each
 * request makes its own mail; the pages limit how often. The links to
 * confirm last a week, and so does the mail: a week later it answers no
 * one.
 */
static int
queue_account_mail(struct outbox *o, const struct firm *f, time_t now,
		   enum alert_kind kind, time_t requested_at)
{
	static const char *const names[ALERT_NKINDS] = {
		[ALERT_CONFIRM] = "confirm", [ALERT_MANAGE] = "manage-link",
		[ALERT_ADDRESS] = "address",
	};
	struct alert_links links = links_for(o, f, now), confirm = links;
	struct tpl_vars *v = tpl_vars_new();
	time_t week = now + 7L * 24 * 3600;
	struct buf url;
	char key[160], object[32];
	unsigned queued = 0, failed = 0;
	int rc = -1;

	buf_init(&url, 1024);
	snprintf(key, sizeof key, OUTBOX_WEB_KEYS "%s/%s/%lld", names[kind],
		 f->orgnr, (long long)now);
	snprintf(object, sizeof object, "%lld", (long long)requested_at);
	if (!v) {
		error("out of memory");
		goto out;
	}
	{
		/* asked for on a web page: a week later it answers no one */
		struct mail_job job = { key, kind, v, NULL, 0, NULL, 0, week, 0,
					NULL };

		confirm.expires = week;
		job.unfilled =
			alert_set_firm(v, o->cfg->service_name, &links, f) < 0 ||
			(kind == ALERT_CONFIRM &&
			 (alert_link(&confirm, "confirm", f->id, "", &url) < 0 ||
			  tpl_set(v, "pending", "1") < 0)) ||
			(kind == ALERT_ADDRESS &&
			 (alert_link(&confirm, "address", f->id, object, &url) < 0 ||
			  tpl_set(v, "new_email", f->email) < 0)) ||
			(url.len && tpl_set(v, "confirm_url", buf_str(&url)) < 0);
		if (queue_mail_tx(o, f, &job, now, &queued, &failed) < 0)
			goto out;
	}
	rc = failed ? 1 : 0;
out:
	tpl_vars_free(v);
	buf_release(&url);
	return rc;
}

int
outbox_queue_confirmation(struct outbox *o, const struct firm *f, time_t now)
{
	return queue_account_mail(o, f, now, ALERT_CONFIRM, 0);
}

int
outbox_queue_manage_link(struct outbox *o, const struct firm *f, time_t now)
{
	return queue_account_mail(o, f, now, ALERT_MANAGE, 0);
}

int
outbox_queue_address(struct outbox *o, const struct firm *f,
		     time_t requested_at, time_t now)
{
	return queue_account_mail(o, f, now, ALERT_ADDRESS, requested_at);
}

/* One batch of due messages, as the mailer's done callback sees it. */
struct delivery {
	struct store *s;
	const struct outbox_message **msgs;	/* those this sender took */
	unsigned char *reported;	/* 1, or SENT_UNRECORDED */
	int later;			/* record "sent" for the batch at once */
	time_t now;
	long give_up_after;
	unsigned *sent, *deferred, *failed;
};

/*
 * A relay that refuses the recipient at once ("550 5.1.1 ...") bounces it
 * as a report would, by its enhanced status code or else its reply code.
 */
static int
refused_address(struct store *s, const char *rcpt, const char *reply,
		time_t now)
{
	char status[16] = "";
	enum bounce_kind kind;
	int suppressed;

	if (sscanf(reply, "%*3d %15[0-9.]", status) != 1 || !strchr(status, '.'))
		snprintf(status, sizeof status, "%.3s", reply);
	if ((kind = inbox_bounce_kind(status)) == BOUNCE_NONE)
		return 0;
	return inbox_bounce(s, rcpt, kind, reply, now, &suppressed);
}

/* reported[i] of a mail delivered, to be marked sent with its batch */
#define SENT_UNRECORDED 2

/*
 * Records one message's fate the moment the mailer knows it, before the
 * next message goes: sent, pending again after a backoff, or failed for
 * good once the error is permanent or the message too old to try again.
 * Age, not a count of attempts, decides: a relay down over a long weekend
 * must not cost the mails queued before it went down.
 *
 * Sent, over SMTP, is marked at once, a transaction a mail: a crash
 * between the server's 250 and the mark sends that mail again after the
 * restart, and marks held for a batch would make that every mail the
 * batch sent, not one a crash (tests/test_crash.c). Into a Maildir, which
 * finds a mail given again by its key and writes nothing, "sent" waits
 * for the batch (mark_sent): a crash before it repeats nothing, and the
 * marks of a pass cost some 70 transactions, not 7,000.
 */
static int
delivered(size_t i, int status, const char *reply, void *arg)
{
	struct delivery *d = arg;
	const struct outbox_message *msg = d->msgs[i];
	time_t again = d->now + outbox_backoff(msg->attempts + 1);
	long long minutes = (long long)(d->now - msg->created_at) / 60;
	char why[1024];

	d->reported[i] = 1;
	if (status == MAILER_OK) {
		(*d->sent)++;
		if (d->later) {
			d->reported[i] = SENT_UNRECORDED;
			return 0;
		}
		return store_mark_message(d->s, msg->id, MSG_SENT, NULL, 0, d->now);
	}
	log_warnx("message %s to %s: %s", msg->key, msg->rcpt, reply);
	if (status == MAILER_PERMFAIL && msg->firm_id &&
	    refused_address(d->s, msg->rcpt, reply, d->now) < 0)
		return -1;
	if (status == MAILER_TEMPFAIL &&
	    again - msg->created_at <= d->give_up_after) {
		(*d->deferred)++;
		return store_mark_message(d->s, msg->id, MSG_PENDING, reply,
					  again, d->now);
	}
	if (status == MAILER_TEMPFAIL) {
		snprintf(why, sizeof why, "given up after %d attempts in %lld h "
			 "%02lld min; the last: %s", msg->attempts + 1,
			 minutes / 60, minutes % 60, reply);
		reply = why;
	}
	(*d->failed)++;
	return store_mark_message(d->s, msg->id, MSG_FAILED, reply, 0, d->now);
}

/*
 * The mails of the batch delivered and not marked yet, marked sent in one
 * transaction. Should it fail they stay taken until store_recover_sending
 * gives them back, and the Maildir then finds them delivered.
 */
static int
mark_sent(struct delivery *d, size_t taken)
{
	size_t i;

	if (store_begin(d->s) < 0)
		return -1;
	for (i = 0; i < taken; i++)
		if (d->reported[i] == SENT_UNRECORDED &&
		    store_mark_message(d->s, d->msgs[i]->id, MSG_SENT, NULL, 0,
				       d->now) < 0) {
			store_rollback(d->s);
			return -1;
		}
	if (store_commit(d->s) < 0) {
		store_rollback(d->s);
		return -1;
	}
	return 0;
}

/* msgs[0..n) through one mailer call: one SMTP session. */
static int
deliver_batch(struct store *s, struct mailer *m, const struct outbox_sender *by,
	      const struct outbox_message *msgs, size_t n, time_t now,
	      unsigned *sent, unsigned *deferred, unsigned *failed)
{
	struct delivery d = { s, NULL, NULL, mailer_finds_repeats(m), now,
			      by->give_up_after, sent, deferred, failed };
	/* each message may take the mailer its timeout, and the session two */
	struct claim claim = { by->owner,
			       now + by->smtp_timeout * (long)(n + 2) };
	struct mailer_item *items;
	size_t i, taken = 0;
	int claimed, rc = -1;

	items = calloc(n, sizeof *items);
	d.reported = calloc(n, 1);
	d.msgs = calloc(n, sizeof *d.msgs);
	if (!items || !d.reported || !d.msgs) {
		error("out of memory");
		goto out;
	}
	if (store_begin(s) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (store_claim_message(s, msgs[i].id, &claim, &claimed) < 0) {
			store_rollback(s);
			goto out;
		}
		if (!claimed)
			continue;
		d.msgs[taken] = &msgs[i];
		items[taken++] = (struct mailer_item){ msgs[i].envelope_from,
						       msgs[i].rcpt, msgs[i].body,
						       msgs[i].len, msgs[i].key,
						       msgs[i].first_try };
	}
	if (store_commit(s) < 0) {
		store_rollback(s);
		goto out;
	}
	rc = taken ? mailer_send_batch(m, items, taken, delivered, &d) : 0;
	if (d.later && taken && mark_sent(&d, taken) < 0)
		rc = -1;
	/*
	 * The mailer stops only when recording failed, and then the messages
	 * it did not report never reached the server: pending again, as
	 * store_recover_sending would make them after a crash.
	 */
	for (i = 0; i < taken; i++)
		if (!d.reported[i] &&
		    store_mark_message(s, d.msgs[i]->id, MSG_PENDING, NULL, now,
				       now) < 0)
			rc = -1;
out:
	free(items);
	free(d.reported);
	free(d.msgs);
	return rc;
}

int
outbox_drop_undeliverable(struct store *s, time_t now, unsigned *failed)
{
	long long stale, bounced;

	if (store_drop_bounced(s, OUTBOX_WEB_KEYS, &bounced) < 0 ||
	    store_drop_stale(s, now, &stale) < 0)
		return -1;
	if (bounced > 0) {
		log_warnx("%lld mail%s not sent: the address bounced", bounced,
			  bounced == 1 ? "" : "s");
		*failed += (unsigned)bounced;
	}
	if (stale > 0) {
		log_warnx("%lld mail%s not sent: what %s of was past before the "
			  "relay took %s", stale, stale == 1 ? "" : "s",
			  stale == 1 ? "it tells" : "they tell",
			  stale == 1 ? "it" : "them");
		*failed += (unsigned)stale;
	}
	return 0;
}

int
outbox_deliver(struct store *s, struct mailer *m,
	       const struct outbox_sender *by, time_t now, unsigned *sent,
	       unsigned *deferred, unsigned *failed)
{
	struct outbox_message *msgs = NULL;
	size_t n = 0;
	int64_t after = 0;
	int rc = -1;

	if (!by->queue_growing &&
	    outbox_drop_undeliverable(s, now, failed) < 0)
		return -1;
	/* those deferred in this pass stay pending: the cursor passes them */
	do {
		after = n > 0 ? msgs[n - 1].id : after;
		outbox_messages_free(msgs, n);
		msgs = NULL;
		n = 0;
		if (store_due_messages(s, now, by->only_keys, after,
				       DELIVERY_BATCH, &msgs, &n) < 0)
			goto out;
		if (n < DELIVERY_BATCH && by->queue_growing)
			break;
		if (n > 0 &&
		    deliver_batch(s, m, by, msgs, n, now, sent, deferred,
				  failed) < 0)
			goto out;
	} while (n == DELIVERY_BATCH);
	rc = 0;
out:
	outbox_messages_free(msgs, n);
	return rc;
}
