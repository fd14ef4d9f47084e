#ifndef TENDERLOTS_HEALTH_H
#define TENDERLOTS_HEALTH_H

#include <stdio.h>
#include <time.h>

#include "config.h"
#include "store.h"

/*
 * Whether the service works: every feed polled successfully lately, mails
 * going out. `tenderlots status` prints it; each pass of the daemon turns
 * what is wrong into incidents and mails the operator once when one
 * begins and once when it ends, so that silence never means "no news"
 * when it means "broken".
 */
/*
 * *troubled is set when something is wrong now (a silent feed, mails that
 * wait for another attempt): a monitor can watch for it even when the
 * relay that would carry the operator's mail is what broke.
 */
int health_print(struct store *s, const struct config *cfg, time_t now,
		 FILE *out, int *troubled);

/* Opens and closes incidents; *mails counts the operator's mails queued. */
int health_check(struct store *s, const struct config *cfg, time_t now,
		 unsigned *mails);

#endif
