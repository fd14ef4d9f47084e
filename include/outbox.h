#ifndef TENDERLOTS_OUTBOX_H
#define TENDERLOTS_OUTBOX_H

#include <time.h>

#include "config.h"
#include "firm.h"
#include "mailer.h"
#include "store.h"

/*
 * The outbox: matches become messages, messages become deliveries. Each
 * message has a unique key and a Message-ID derived from it, and moves
 * pending -> sending -> sent (or failed) in the store, so a crash at any
 * point neither loses a message nor sends one twice, save the single
 * message that was with the transport when the crash came.
 */

/* Renders and queues one mail per firm for its matches not yet mailed. */
int outbox_queue_alerts(struct store *s, const struct config *cfg,
			const struct firm_list *firms, time_t now,
			unsigned *queued);

/* Delivers due messages through the mailer. */
int outbox_deliver(struct store *s, struct mailer *m, time_t now,
		   unsigned *sent, unsigned *deferred, unsigned *failed);

/* Attempts before a message that keeps failing temporarily is given up. */
#define OUTBOX_MAX_ATTEMPTS 10

/* Seconds to wait before attempt number `attempts + 1`. */
long outbox_backoff(int attempts);

#endif
