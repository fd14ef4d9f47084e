#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "log.h"
#include "mail.h"
#include "outbox.h"

#define DELIVERY_BATCH 100

long
outbox_backoff(int attempts)
{
	long delay = 60;

	while (attempts-- > 1 && delay < 6 * 3600)
		delay *= 2;
	return delay < 6 * 3600 ? delay : 6 * 3600;
}

static const char *
address_domain(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at ? at + 1 : "localhost";
}

/* One firm's next mail: at most limit of its unmailed matches, best first. */
static int
queue_firm(struct store *s, const struct config *cfg, const struct firm *f,
	   const char *from_addr, time_t now, size_t limit, int *done)
{
	struct match_item *items = NULL;
	struct buf subject, body, msg, unsub;
	char key[128], msgid[256];
	int64_t *ids = NULL;
	size_t n = 0, i;
	int rc = -1;

	buf_init(&subject, 4096);
	buf_init(&body, 1024 * 1024);
	buf_init(&msg, 4 * 1024 * 1024);
	buf_init(&unsub, 1024);
	*done = 0;
	if (store_unqueued_matches(s, f->id, limit, &items, &n) < 0)
		goto out;
	if (n == 0) {
		*done = 1;
		rc = 0;
		goto out;
	}
	if (!(ids = calloc(n, sizeof *ids))) {
		error("out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		ids[i] = items[i].match_id;
	/* The first match names the mail: the same matches, the same key. */
	snprintf(key, sizeof key, "alert/%s/%lld", f->orgnr, (long long)ids[0]);
	snprintf(msgid, sizeof msgid, "alert.%s.%lld@%s", f->orgnr,
		 (long long)ids[0], address_domain(from_addr));
	if (buf_printf(&unsub, "mailto:%s?subject=avsluta%%20%s", from_addr,
		       f->orgnr) < 0)
		goto out;
	{
		struct alert_context actx = {
			.service_name = cfg->service_name,
			.unsubscribe = from_addr,
		};
		struct mail_headers h = {
			.from = cfg->mail_from,
			.to = f->email,
			.reply_to = cfg->reply_to,
			.message_id = msgid,
			.date = now,
			.list_unsubscribe_mailto = buf_str(&unsub),
			.language = f->language,
		};
		struct outbox_message m = {
			.key = key,
			.firm_id = f->id,
			.rcpt = f->email,
			.envelope_from = (char *)from_addr,
		};

		if (alert_render(f, items, n, &actx, &subject, &body) < 0) {
			error("firm %s: cannot render alert", f->orgnr);
			goto out;
		}
		h.subject = buf_str(&subject);
		if (mail_compose_text(&h, buf_str(&body), &msg) < 0)
			goto out;
		m.body = msg.data;
		m.len = msg.len;
		if (store_begin(s) < 0)
			goto out;
		if (store_queue_message(s, &m, ids, n, now) < 0 || store_commit(s) < 0) {
			store_rollback(s);
			goto out;
		}
	}
	rc = 0;
out:
	free(ids);
	match_items_free(items, n);
	buf_release(&subject);
	buf_release(&body);
	buf_release(&msg);
	buf_release(&unsub);
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
 * How many matches the firm may be mailed now: none before its digest
 * time unless it asked for mails at once, and never more than the daily
 * cap. What is held back stays queued, best first, for the next mail.
 */
static int
allowance(struct store *s, const struct config *cfg, const struct firm *f,
	  time_t now, size_t *allowed)
{
	long long sent;
	time_t last;

	*allowed = 0;
	if (f->frequency != FREQ_IMMEDIATELY) {
		if (store_last_alert(s, f->id, &last) < 0)
			return -1;
		if (last >= digest_due_since(now, (int)cfg->digest_hour, f->frequency))
			return 0;
	}
	if (store_matches_mailed_since(s, f->id, local_hour(now, 0, 0), &sent) < 0)
		return -1;
	if (sent < cfg->max_per_day)
		*allowed = (size_t)(cfg->max_per_day - sent);
	return 0;
}

int
outbox_queue_alerts(struct store *s, const struct config *cfg,
		    const struct firm_list *firms, time_t now, unsigned *queued)
{
	char from_addr[256];
	size_t i, allowed, limit;
	int done;

	if (mail_address(cfg->mail_from, from_addr, sizeof from_addr) < 0)
		return error("%s: [mail] from: '%s' is not a mail address",
			     cfg->path, cfg->mail_from);
	for (i = 0; i < firms->n; i++) {
		const struct firm *f = firms->v[i];

		if (allowance(s, cfg, f, now, &allowed) < 0)
			return -1;
		while (allowed > 0) {
			limit = allowed < (size_t)cfg->max_lots_per_mail ?
				allowed : (size_t)cfg->max_lots_per_mail;
			if (queue_firm(s, cfg, f, from_addr, now, limit, &done) < 0)
				return -1;
			if (done)
				break;
			(*queued)++;
			allowed -= limit;
			/* A digest is one mail. */
			if (f->frequency != FREQ_IMMEDIATELY)
				break;
		}
	}
	return 0;
}

/* One batch of due messages, as the mailer's done callback sees it. */
struct delivery {
	struct store *s;
	const struct outbox_message *msgs;
	unsigned char *reported;
	time_t now;
	unsigned *sent, *deferred, *failed;
};

/*
 * Records one message's fate the moment the mailer knows it, before the
 * next message goes: sent, pending again after a backoff, or failed for
 * good once the error is permanent or the attempts are used up.
 */
static int
delivered(size_t i, int status, const char *reply, void *arg)
{
	struct delivery *d = arg;
	const struct outbox_message *msg = &d->msgs[i];

	d->reported[i] = 1;
	if (status == MAILER_OK) {
		(*d->sent)++;
		return store_mark_message(d->s, msg->id, MSG_SENT, NULL, 0, d->now);
	}
	log_warnx("message %s to %s: %s", msg->key, msg->rcpt, reply);
	if (status == MAILER_TEMPFAIL && msg->attempts + 1 < OUTBOX_MAX_ATTEMPTS) {
		(*d->deferred)++;
		return store_mark_message(d->s, msg->id, MSG_PENDING, reply,
					  d->now + outbox_backoff(msg->attempts + 1),
					  d->now);
	}
	(*d->failed)++;
	return store_mark_message(d->s, msg->id, MSG_FAILED, reply, 0, d->now);
}

/* msgs[0..n) through one mailer call: one SMTP session. */
static int
deliver_batch(struct store *s, struct mailer *m,
	      const struct outbox_message *msgs, size_t n, time_t now,
	      unsigned *sent, unsigned *deferred, unsigned *failed)
{
	struct delivery d = { s, msgs, NULL, now, sent, deferred, failed };
	struct mailer_item *items;
	size_t i;
	int rc = -1;

	items = calloc(n, sizeof *items);
	d.reported = calloc(n, 1);
	if (!items || !d.reported) {
		error("out of memory");
		goto out;
	}
	if (store_begin(s) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (store_mark_message(s, msgs[i].id, MSG_SENDING, NULL, 0, now) < 0) {
			store_rollback(s);
			goto out;
		}
		items[i] = (struct mailer_item){ msgs[i].envelope_from,
						 msgs[i].rcpt, msgs[i].body,
						 msgs[i].len };
	}
	if (store_commit(s) < 0) {
		store_rollback(s);
		goto out;
	}
	rc = mailer_send_batch(m, items, n, delivered, &d);
	/*
	 * The mailer stops only when recording failed, and then the messages
	 * it did not report never reached the server: pending again, as
	 * store_recover_sending would make them after a crash.
	 */
	for (i = 0; i < n; i++)
		if (!d.reported[i] &&
		    store_mark_message(s, msgs[i].id, MSG_PENDING, NULL, now, now) < 0)
			rc = -1;
out:
	free(items);
	free(d.reported);
	return rc;
}

int
outbox_deliver(struct store *s, struct mailer *m, time_t now, unsigned *sent,
	       unsigned *deferred, unsigned *failed)
{
	struct outbox_message *msgs = NULL;
	size_t n = 0;
	int rc = -1;

	do {
		outbox_messages_free(msgs, n);
		msgs = NULL;
		n = 0;
		if (store_due_messages(s, now, DELIVERY_BATCH, &msgs, &n) < 0)
			goto out;
		if (n > 0 &&
		    deliver_batch(s, m, msgs, n, now, sent, deferred, failed) < 0)
			goto out;
	} while (n == DELIVERY_BATCH);
	rc = 0;
out:
	outbox_messages_free(msgs, n);
	return rc;
}
