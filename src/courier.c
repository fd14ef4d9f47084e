#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "courier.h"
#include "log.h"
#include "outbox.h"
#include "store.h"

struct courier {
	struct courier_options o;
	struct store *store;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int woken, stopping;
	char owner[32];
	struct courier_tally tally;	/* the thread's until it is joined */
};

/*
 * Waits to be woken, or idle_poll seconds; 0 when it is to stop. A mail
 * queued just before the stop still goes first.
 */
static int
wait_for_work(struct courier *c)
{
	struct timespec until;
	int go;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += c->o.idle_poll;
	pthread_mutex_lock(&c->lock);
	while (!c->woken && !c->stopping)
		if (pthread_cond_timedwait(&c->wake, &c->lock, &until) == ETIMEDOUT)
			break;
	go = c->woken || !c->stopping;
	c->woken = 0;
	pthread_mutex_unlock(&c->lock);
	return go;
}

static void *
run(void *arg)
{
	struct courier *c = arg;
	struct outbox_sender by = {
		.owner = c->owner, .only_keys = c->o.only_keys,
		.smtp_timeout = c->o.cfg->smtp_timeout,
		.give_up_after = c->o.cfg->give_up_after,
		.queue_growing = c->o.queue_growing,
	};
	struct courier_tally *t = &c->tally;

	while (wait_for_work(c))
		if (outbox_deliver(c->store, c->o.mailer, &by,
				   c->o.now ? c->o.now() : c->o.at, &t->sent,
				   &t->deferred, &t->failed) < 0) {
			t->errors++;
			log_warnx("%s: a delivery failed; its mails wait for "
				  "the next", c->owner);
		}
	return NULL;
}

static void
courier_free(struct courier *c)
{
	if (!c)
		return;
	store_free(c->store);
	pthread_cond_destroy(&c->wake);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

int
courier_start(const struct courier_options *o, struct courier **out)
{
	struct courier *c = calloc(1, sizeof *c);
	int rc = -1;

	*out = NULL;
	if (!c)
		return error("out of memory");
	c->o = *o;
	snprintf(c->owner, sizeof c->owner, "%s%ld", o->owner, (long)getpid());
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	if (store_open(o->db_path, &c->store) < 0 ||
	    store_checkpoint_later(c->store, o->checkpoint_later) < 0)
		goto out;
	store_share_turns(c->store, o->turns);
	if ((errno = pthread_create(&c->thread, NULL, run, c)) != 0) {
		error("%s: cannot start the courier: %s", c->owner,
		      strerror(errno));
		goto out;
	}
	*out = c;
	c = NULL;
	rc = 0;
out:
	courier_free(c);
	return rc;
}

void
courier_wake(void *arg)
{
	struct courier *c = arg;

	pthread_mutex_lock(&c->lock);
	c->woken = 1;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
}

void
courier_stop(struct courier *c, struct courier_tally *t)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->stopping = 1;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	if (t)
		*t = c->tally;
	courier_free(c);
}
