#ifndef TENDERLOTS_COURIER_H
#define TENDERLOTS_COURIER_H

#include <time.h>

#include "config.h"
#include "mailer.h"

/*
 * The web endpoint's courier: a thread of its own that delivers the mails
 * the pages queue (a confirmation, a manage link, an address to confirm),
 * so that a firm has its mail within seconds while no request ever waits
 * for the relay. It is woken when a page queued a mail, and looks on its
 * own every few seconds for those a busy relay put back. It claims what
 * it sends as "web:PID", with a lease, so the daemon's pass beside it
 * leaves them alone while it holds them.
 */
struct courier_options {
	const struct config *cfg;
	struct mailer *mailer;	/* the courier's alone from now on */
	time_t (*now)(void);
	long idle_poll;		/* seconds between looks when not woken */
};

struct courier;

/* Opens its own connection to the database and starts the thread. */
int courier_start(const struct courier_options *o, struct courier **out);
/* A mail was queued: deliver it now. Safe from any thread. */
void courier_wake(void *courier);
/* Lets the delivery in hand finish, stops the thread and frees it. */
void courier_stop(struct courier *c);

#endif
