#ifndef TENDERLOTS_ALERT_H
#define TENDERLOTS_ALERT_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "firm.h"
#include "store.h"

/*
 * The text of an alert mail to one firm: its matched lots, each with the
 * buyer, the deadline in local time with its zone, the link to the public
 * notice and why it matched; then why the firm gets the mail and how to
 * stop it. Swedish, or English for firms that asked for it.
 */
struct alert_context {
	const char *service_name;	/* the municipality */
	const char *unsubscribe;	/* how to stop: an address or URL */
};

int alert_render(const struct firm *f, const struct match_item *items,
		 size_t n, const struct alert_context *ctx,
		 struct buf *subject, struct buf *body);

/*
 * A local time with its zone, "15 januari 2027 kl. 12:00 (CET)" or
 * "15 January 2027, 12:00 (CET)", in the zone of the TZ environment.
 */
int alert_format_time(time_t t, const char *lang, struct buf *out);

#endif
