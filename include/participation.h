#ifndef TENDERLOTS_PARTICIPATION_H
#define TENDERLOTS_PARTICIPATION_H

#include <stdint.h>
#include <time.h>

#include "store.h"

/*
 * What local firms do with what they are told: register for meetings
 * (within capacity and before the registration deadline), attend them,
 * answer RFIs, bid. The unit records it from the command line or a CSV
 * file, firms register through their signed links; näringslivsenheten's
 * report counts it.
 */
enum registration {
	REG_OK,			/* registered */
	REG_ALREADY,		/* was registered */
	REG_WAITING,		/* no seat left: on the waiting list */
	REG_PENDING,		/* asked to come: a mail to confirm went */
	REG_CLOSED,		/* the registration deadline has passed */
	REG_CANCELLED,		/* the meeting is cancelled */
	REG_OVER,		/* the meeting has begun or is over */
	REG_NO_MEETING
};

/* A human reading of a result, for messages and pages. */
const char *registration_text(enum registration r);

/*
 * A firm of the register comes to meeting meeting_id: a seat, or a place
 * on the waiting list when the seats are taken (meetings.h has the rest
 * of a meeting's registrations).
 */
int participation_register(struct store *s, int64_t meeting_id,
			   int64_t firm_id, time_t now, const char *source,
			   enum registration *result);

/*
 * Organisation numbers from a file the unit keeps or exports (a list of
 * attendees, of RFI answers): the first field of each line, comma or
 * semicolon separated, a header line allowed, blank lines skipped. Each
 * bad line is reported as "file:line: message"; -1 if there was one.
 */
struct orgnr_entry {
	char orgnr[12];
	size_t line;
};

int participation_read_orgnrs(const char *path, struct orgnr_entry **out,
			      size_t *n);

#endif
