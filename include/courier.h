#ifndef TENDERLOTS_COURIER_H
#define TENDERLOTS_COURIER_H

#include <time.h>

#include "config.h"
#include "mailer.h"
#include "store.h"

/*
 * A courier: a thread of its own, with its own connection to the
 * database, that delivers queued mails when woken, and on its own every
 * idle_poll seconds.
 *
 * - The web endpoint's delivers the mails the pages queue (a
 *   confirmation, a manage link, an address to confirm), so that a firm
 *   has its mail within seconds while no request ever waits for the
 *   relay. It looks every few seconds for those a busy relay put back.
 * - The daemon's pass has one while it queues: woken at each batch the
 *   outbox commits, it delivers those mails while the next are built, so
 *   a pass takes about the longer of queueing and delivering, not both.
 *
 * It claims what it sends as OWNER and its process id, with a lease, so
 * that another sender beside it leaves those alone while it holds them.
 */
struct courier_options {
	const struct config *cfg;	/* smtp_timeout, give_up_after */
	const char *db_path;
	struct mailer *mailer;	/* the courier's alone until it stops */
	const char *owner;	/* "web:", "run:" */
	const char *only_keys;	/* a key prefix; NULL for every mail */
	time_t (*now)(void);	/* the clock; NULL: at, the pass's */
	time_t at;
	long idle_poll;		/* seconds between looks when not woken */
	int queue_growing;	/* as outbox_sender's: the pass's courier */
	struct store_turns *turns;	/* shared with the queueing; or NULL */
	int checkpoint_later;	/* leaves the log's copies to the queueing */
};

/* What a courier delivered, as outbox_deliver counts it. */
struct courier_tally {
	unsigned sent, deferred, failed;
	unsigned errors;	/* deliveries the store failed */
};

struct courier;

/* Opens its own connection to the database and starts the thread. */
int courier_start(const struct courier_options *o, struct courier **out);
/* A mail was queued: deliver it now. Safe from any thread. */
void courier_wake(void *courier);
/*
 * Lets the delivery in hand finish, stops the thread and frees it; its
 * tally into *t unless t is NULL. The mailer is the caller's again.
 */
void courier_stop(struct courier *c, struct courier_tally *t);

#endif
