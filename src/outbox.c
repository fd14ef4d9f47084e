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

/* One firm's next mail: at most max_lots_per_mail of its unmailed matches. */
static int
queue_firm(struct store *s, const struct config *cfg, const struct firm *f,
	   const char *from_addr, time_t now, int *done)
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
	if (store_unqueued_matches(s, f->id, (size_t)cfg->max_lots_per_mail,
				   &items, &n) < 0)
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

int
outbox_queue_alerts(struct store *s, const struct config *cfg,
		    const struct firm_list *firms, time_t now, unsigned *queued)
{
	char from_addr[256];
	size_t i;
	int done;

	if (mail_address(cfg->mail_from, from_addr, sizeof from_addr) < 0)
		return error("%s: [mail] from: '%s' is not a mail address",
			     cfg->path, cfg->mail_from);
	for (i = 0; i < firms->n; i++) {
		do {
			if (queue_firm(s, cfg, firms->v[i], from_addr, now, &done) < 0)
				return -1;
			if (!done)
				(*queued)++;
		} while (!done);
	}
	return 0;
}

static int
deliver_one(struct store *s, struct mailer *m, const struct outbox_message *msg,
	    time_t now, unsigned *sent, unsigned *deferred, unsigned *failed)
{
	char reply[512] = "";
	int status;

	if (store_mark_message(s, msg->id, MSG_SENDING, NULL, 0, now) < 0)
		return -1;
	status = mailer_send(m, msg->envelope_from, msg->rcpt, msg->body,
			     msg->len, reply, sizeof reply);
	if (status == MAILER_OK) {
		(*sent)++;
		return store_mark_message(s, msg->id, MSG_SENT, NULL, 0, now);
	}
	log_warnx("message %s to %s: %s", msg->key, msg->rcpt, reply);
	if (status == MAILER_TEMPFAIL && msg->attempts + 1 < OUTBOX_MAX_ATTEMPTS) {
		(*deferred)++;
		return store_mark_message(s, msg->id, MSG_PENDING, reply,
					  now + outbox_backoff(msg->attempts + 1),
					  now);
	}
	(*failed)++;
	return store_mark_message(s, msg->id, MSG_FAILED, reply, 0, now);
}

int
outbox_deliver(struct store *s, struct mailer *m, time_t now, unsigned *sent,
	       unsigned *deferred, unsigned *failed)
{
	struct outbox_message *msgs = NULL;
	size_t n = 0, i;
	int rc = -1;

	do {
		outbox_messages_free(msgs, n);
		msgs = NULL;
		n = 0;
		if (store_due_messages(s, now, DELIVERY_BATCH, &msgs, &n) < 0)
			goto out;
		for (i = 0; i < n; i++)
			if (deliver_one(s, m, &msgs[i], now, sent, deferred, failed) < 0)
				goto out;
	} while (n == DELIVERY_BATCH);
	rc = 0;
out:
	outbox_messages_free(msgs, n);
	return rc;
}
