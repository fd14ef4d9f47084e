#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "health.h"
#include "log.h"
#include "mail.h"

static void
print_time(FILE *out, const char *label, time_t t)
{
	struct buf b;

	buf_init(&b, 256);
	if (t && alert_format_time(t, "en", &b) == 0)
		fprintf(out, "%s%s", label, buf_str(&b));
	else
		fprintf(out, "%snever", label);
	buf_release(&b);
}

/* Which rates turn other currencies into kronor, and of which day. */
static int
print_rates(struct store *s, FILE *out)
{
	struct money_rates *r;
	char *source;

	if (store_load_rates(s, &r, &source) < 0)
		return -1;
	if (source)
		fprintf(out, "rates: ECB euro reference rates of %s (feed %s)\n",
			money_rates_day(r), source);
	else
		fprintf(out, "rates: ECB euro reference rates of %s (bundled; "
			"no rates feed has brought any)\n", money_rates_day(r));
	free(source);
	money_rates_free(r);
	return 0;
}

/* How far a TED feed has read, and the notices that wait to be fetched. */
static int
print_ted(struct store *s, const struct feed_config *f, FILE *out)
{
	struct feed_window w;
	char *last_error = NULL;
	time_t oldest;
	long waiting;

	if (store_feed_window_get(s, f->name, &w) < 0 ||
	    store_pending_summary(s, f->name, &waiting, &oldest, &last_error) < 0)
		return -1;
	if (w.top[0])
		fprintf(out, "\n  read through %.4s-%.2s-%.2s", w.top, w.top + 4,
			w.top + 6);
	if (w.hi[0])
		fprintf(out, "\n  still to read: %.4s-%.2s-%.2s to %.4s-%.2s-%.2s",
			w.lo, w.lo + 4, w.lo + 6, w.hi, w.hi + 4, w.hi + 6);
	if (waiting) {
		fprintf(out, "\n  %ld notice%s to fetch again", waiting,
			waiting == 1 ? "" : "s");
		print_time(out, ", waiting since ", oldest);
		fprintf(out, ": %s", last_error ? last_error : "");
	}
	free(last_error);
	return 0;
}

int
health_print(struct store *s, const struct config *cfg, time_t now, FILE *out,
	     int *troubled)
{
	struct outbox_entry *failed = NULL;
	struct outbox_counts c;
	struct feed_state st;
	size_t i, nfailed = 0;
	long long bounced;

	*troubled = 0;
	for (i = 0; i < cfg->nfeeds; i++) {
		const struct feed_config *f = &cfg->feeds[i];

		if (store_feed_state_get(s, f->name, &st) < 0)
			return -1;
		fprintf(out, "feed %s: %ld notices", f->name, st.notices);
		print_time(out, ", last success ", st.last_success);
		print_time(out, ", last poll ", st.last_poll);
		if (st.failures)
			fprintf(out, "\n  %d failure%s in a row: %s", st.failures,
				st.failures == 1 ? "" : "s",
				st.last_error ? st.last_error : "");
		if (f->kind == FEED_TED && print_ted(s, f, out) < 0) {
			feed_state_release(&st);
			return -1;
		}
		if (st.last_success + cfg->feed_silence < now) {
			fputs("\n  SILENT: no success for too long", out);
			*troubled = 1;
		}
		fputc('\n', out);
		feed_state_release(&st);
	}
	if (print_rates(s, out) < 0 || store_outbox_counts(s, &c) < 0 ||
	    (c.failed && store_outbox_list(s, "failed", 1, &failed, &nfailed) < 0))
		return -1;
	fprintf(out, "outbox: %lld pending (%lld retrying), %lld sending, "
		"%lld sent, %lld failed", c.pending, c.retrying, c.sending,
		c.sent, c.failed);
	print_time(out, "; last delivery ", c.last_sent);
	fputc('\n', out);
	/* why the newest failed: a template or a relay, what to mend */
	if (nfailed)
		fprintf(out, "  newest failed: %lld %s to %s: %s\n",
			(long long)failed->id, failed->key, failed->rcpt,
			failed->last_error ? failed->last_error : "");
	outbox_entries_free(failed, nfailed);
	if (store_bounced_count(s, &bounced) < 0)
		return -1;
	if (bounced)
		fprintf(out, "  %lld address%s bounced: no mail goes to %s "
			"(`tenderlots firm list`)\n", bounced,
			bounced == 1 ? "" : "es", bounced == 1 ? "it" : "them");
	if (c.retrying) {
		fprintf(out, "  FAILING: %lld mail%s wait%s for another attempt\n",
			c.retrying, c.retrying == 1 ? "" : "s",
			c.retrying == 1 ? "s" : "");
		*troubled = 1;
	}
	return 0;
}

/* The operator's mail about an incident that began or ended. */
static int
tell_operator(struct store *s, const struct config *cfg, const char *key,
	      int64_t incident, const char *what, const char *detail,
	      time_t now)
{
	char from[256], rcpt[256], msgid[256], mkey[256], subject[512];
	struct buf body, msg;
	int rc = -1;

	if (mail_address(cfg->mail_from, from, sizeof from) < 0 ||
	    mail_address(cfg->operator, rcpt, sizeof rcpt) < 0)
		return error("%s: [health] operator: '%s' is not a mail address",
			     cfg->path, cfg->operator);
	buf_init(&body, 64 * 1024);
	buf_init(&msg, 256 * 1024);
	snprintf(mkey, sizeof mkey, "incident/%lld/%s", (long long)incident, what);
	snprintf(msgid, sizeof msgid, "incident.%lld.%s@%s", (long long)incident,
		 what, strrchr(from, '@') + 1);
	snprintf(subject, sizeof subject, "%s: %s %s", cfg->service_name, key,
		 strcmp(what, "open") == 0 ? "is failing" : "works again");
	if (buf_printf(&body, "%s\n\n%s\n\n`tenderlots status` shows the "
		       "state of every feed and of the outbox.\n", subject,
		       detail ? detail : "") < 0)
		goto out;
	{
		struct mail_headers h = {
			.from = cfg->mail_from, .to = cfg->operator,
			.subject = subject, .message_id = msgid, .date = now,
			.language = "en",
		};
		struct outbox_message m = {
			.key = mkey, .rcpt = rcpt, .envelope_from = from,
		};

		if (mail_compose_text(&h, buf_str(&body), &msg) < 0)
			goto out;
		m.body = msg.data;
		m.len = msg.len;
		if (store_queue_message(s, &m, NULL, 0, now) < 0)
			goto out;
	}
	rc = 0;
out:
	buf_release(&body);
	buf_release(&msg);
	return rc;
}

/* An incident that began or ended in this check, for [health] command. */
struct turn {
	char key[128];
	char detail[1024];
	int open;
};

/* How long [health] command may take: a hanging one must not stop passes. */
#define COMMAND_WAIT 30

/*
 * Runs [health] command with open or closed, the incident and what is
 * wrong as its arguments, without a shell. It reaches the operator
 * another way than mail, which may be what broke.
 */
static void
run_command(const char *command, const struct turn *t)
{
	const struct timespec tick = { 0, 100L * 1000 * 1000 };
	const char *what = t->open ? "open" : "closed";
	int status, ticks;
	pid_t pid, r;

	if ((pid = fork()) < 0) {
		log_warnx("[health] command %s: %s", command, strerror(errno));
		return;
	}
	if (pid == 0) {
		execl(command, command, what, t->key, t->detail, (char *)NULL);
		_exit(127);
	}
	for (ticks = 0; (r = waitpid(pid, &status, WNOHANG)) == 0; ticks++) {
		if (ticks == COMMAND_WAIT * 10) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			log_warnx("[health] command %s %s %s: killed after %d s",
				  command, what, t->key, COMMAND_WAIT);
			return;
		}
		nanosleep(&tick, NULL);
	}
	if (r < 0)
		log_warnx("[health] command %s: %s", command, strerror(errno));
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		log_warnx("[health] command %s %s %s: %s %d", command, what,
			  t->key, WIFEXITED(status) ? "exit status" : "signal",
			  WIFEXITED(status) ? WEXITSTATUS(status) :
			  WTERMSIG(status));
}

/*
 * Opens the incident key when failing, closes it when not, and tells the
 * operator by mail; *turn describes the change, if there was one, for
 * [health] command once the transaction is over.
 */
static int
incident(struct store *s, const struct config *cfg, const char *key,
	 int failing, const char *detail, time_t now, unsigned *mails,
	 struct turn *turn, size_t *nturns)
{
	int64_t id;
	time_t since;

	if (store_incident(s, key, &id, &since) < 0)
		return -1;
	if (failing == (id != 0))
		return 0;
	snprintf(turn->key, sizeof turn->key, "%s", key);
	snprintf(turn->detail, sizeof turn->detail, "%s",
		 failing ? detail : "works again");
	turn->open = failing;
	(*nturns)++;
	if (failing) {
		log_warnx("incident: %s: %s", key, detail);
		if (store_incident_open(s, key, detail, now, &id) < 0)
			return -1;
	} else {
		log_info("incident over: %s", key);
		if (store_incident_close(s, id, now) < 0)
			return -1;
	}
	if (!cfg->operator)
		return 0;
	(*mails)++;
	return tell_operator(s, cfg, key, id, failing ? "open" : "closed",
			     detail, now);
}

int
health_check(struct store *s, const struct config *cfg, time_t now,
	     unsigned *mails)
{
	struct outbox_counts c;
	struct feed_state st;
	struct turn *turns = calloc(cfg->nfeeds + 1, sizeof *turns);
	char key[128], detail[1024];
	size_t i, nturns = 0;
	int rc = -1;

	if (!turns)
		return error("out of memory");
	if (store_begin(s) < 0) {
		free(turns);
		return -1;
	}
	for (i = 0; i < cfg->nfeeds; i++) {
		const struct feed_config *f = &cfg->feeds[i];
		int silent;

		if (store_feed_state_get(s, f->name, &st) < 0)
			goto out;
		/* a feed never polled has had no chance to fail yet */
		silent = st.last_poll && st.last_success + cfg->feed_silence < now;
		snprintf(key, sizeof key, "feed:%s", f->name);
		snprintf(detail, sizeof detail, "The feed %s (%s) has not been "
			 "read successfully for %ld hours. Last error: %s", f->name,
			 f->url, (long)((now - st.last_success) / 3600),
			 st.last_error ? st.last_error : "none");
		feed_state_release(&st);
		if (incident(s, cfg, key, silent, detail, now, mails,
			     &turns[nturns], &nturns) < 0)
			goto out;
	}
	if (store_outbox_counts(s, &c) < 0)
		goto out;
	/*
	 * Mails waiting for another attempt mean they cannot get out now;
	 * one refused for good (a mailbox that is gone) is in `status`, but
	 * is no incident: it would never end.
	 */
	snprintf(detail, sizeof detail, "%lld mail%s wait%s for another attempt "
		 "and %lld failed for good (`tenderlots outbox list`).",
		 c.retrying, c.retrying == 1 ? "" : "s", c.retrying == 1 ? "s" : "",
		 c.failed);
	if (incident(s, cfg, "outbox", c.retrying > 0, detail, now, mails,
		     &turns[nturns], &nturns) < 0)
		goto out;
	rc = store_commit(s);
	/* outside the transaction, which the command could hold for long */
	for (i = 0; rc == 0 && cfg->operator_command && i < nturns; i++)
		run_command(cfg->operator_command, &turns[i]);
out:
	if (rc < 0)
		store_rollback(s);
	free(turns);
	return rc;
}
