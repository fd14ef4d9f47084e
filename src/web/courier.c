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
		.owner = c->owner, .only_keys = OUTBOX_WEB_KEYS,
		.smtp_timeout = c->o.cfg->smtp_timeout,
		.give_up_after = c->o.cfg->give_up_after,
	};
	unsigned sent, deferred, failed;

	while (wait_for_work(c)) {
		sent = deferred = failed = 0;
		if (outbox_deliver(c->store, c->o.mailer, &by, c->o.now(), &sent,
				   &deferred, &failed) < 0)
			log_warnx("web: the mails of the pages wait for the "
				  "daemon's next delivery");
	}
	return NULL;
}

static void
courier_free(struct courier *c)
{
	if (!c)
		return;
	store_free(c->store);
	mailer_free(c->o.mailer);
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
	if (!c) {
		mailer_free(o->mailer);
		return error("out of memory");
	}
	c->o = *o;
	snprintf(c->owner, sizeof c->owner, "web:%ld", (long)getpid());
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	if (store_open(o->cfg->db_path, &c->store) < 0)
		goto out;
	if ((errno = pthread_create(&c->thread, NULL, run, c)) != 0) {
		error("web: cannot start the courier: %s", strerror(errno));
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
courier_stop(struct courier *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->stopping = 1;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	courier_free(c);
}
