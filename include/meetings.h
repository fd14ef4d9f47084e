#ifndef TENDERLOTS_MEETINGS_H
#define TENDERLOTS_MEETINGS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "meeting.h"
#include "outbox.h"
#include "participation.h"
#include "store.h"

/*
 * Who comes to a meeting, whatever way they came: firms of the register
 * (their signed links, the unit's commands) and any other supplier, from
 * the public meeting page, since a meeting before a procurement is open
 * to every supplier (LOU's equal treatment). Such a guest is recorded for
 * the meeting only, never as a subscriber. Seats go in the order taken;
 * beyond the capacity a registration waits on the meeting's waiting list,
 * and a seat let go goes to the first there. Each operation is one call
 * with the store and the outbox, for a command or a page; the mails it
 * causes are queued, for the web's courier or the next pass to send.
 */

/* Why meeting m takes no registration now; REG_OK when it does. */
enum registration meetings_closed(const struct meeting *m, time_t now);

/*
 * The public form: orgnr (checked), name and email (one line each) ask to
 * come. A firm of the register is mailed at its stored address, with its
 * own link to register; anyone else gets a link to confirm at the address
 * typed, and nothing is registered until it is opened (double opt-in). A
 * guest already registered gets its link again, at its stored address. The
 * answer is REG_PENDING whoever asks, or why the meeting takes no one.
 * rcpt_allowed (NULL: none), the page's cap on mails to one address, may
 * refuse the recipient (0; -1 on an error): nothing is mailed then.
 */
int meetings_request(struct store *s, struct outbox *o, int64_t meeting_id,
		     const char *orgnr, const char *name, const char *email,
		     const char *lang, time_t now,
		     int (*rcpt_allowed)(void *arg, const char *email),
		     void *arg, enum registration *result);

/*
 * A guest's link opened and its button pressed: the registration is
 * confirmed, to a seat or to the waiting list (REG_OK, REG_WAITING), and
 * a mail says which, with the link to cancel. REG_ALREADY when it was.
 */
int meetings_confirm(struct store *s, struct outbox *o, int64_t reg_id,
		     time_t now, enum registration *result);

/*
 * Cancels registration reg_id, a seat or a place on the waiting list;
 * the seat it let go goes to the first waiting, who is mailed. *found is
 * 0 when there was nothing to cancel.
 */
int meetings_cancel(struct store *s, struct outbox *o, int64_t reg_id,
		    time_t now, int *found);

/*
 * The same for firms of the register, by id, all or none: *missing is
 * the index of the first with nothing to cancel (nothing then changes),
 * or n.
 */
int meetings_cancel_firms(struct store *s, struct outbox *o,
			  int64_t meeting_id, const int64_t *firm_ids,
			  size_t n, time_t now, size_t *missing);

enum meeting_change {
	CHANGE_DONE,
	CHANGE_CONFIRM,		/* some would move to the waiting list */
	CHANGE_NO_MEETING	/* none, or cancelled */
};

/*
 * Changes meeting id to m. A capacity below those registered moves the
 * last registered to the waiting list: without confirm nothing changes,
 * the answer is CHANGE_CONFIRM and *moving (n of them, for
 * registrations_free) says who would move; with it they move, and are
 * mailed. A capacity raised gives the new seats to the first waiting.
 * Those invited and registered get the update with the next pass.
 */
int meetings_change(struct store *s, struct outbox *o, int64_t id,
		    const struct meeting *m, int confirm, time_t now,
		    enum meeting_change *result, struct attendee **moving,
		    size_t *n);

enum attendance {
	ATTENDANCE_OK,
	ATTENDANCE_NOT_BEGUN,
	ATTENDANCE_CANCELLED,
	ATTENDANCE_NO_MEETING,
	ATTENDANCE_UNKNOWN		/* *bad: neither registered nor in the register */
};

const char *attendance_text(enum attendance a);

/*
 * Records the firms of orgnrs (normalized, n of them) as attending meeting
 * id, registered or not, guests too (source, "cli" or "web", says who
 * recorded one that did not register); only once the meeting has begun and
 * if it is not cancelled. All or nothing: on any answer but ATTENDANCE_OK
 * nothing is recorded, and for ATTENDANCE_UNKNOWN *bad is the index of the
 * first unknown.
 */
int meetings_attended(struct store *s, int64_t id, char (*orgnrs)[12],
		      size_t n, time_t now, const char *source,
		      enum attendance *result, size_t *bad);

/*
 * The list for the door, a printable HTML page: the meeting, then each
 * registered firm (organisation number, name, a box to tick), then the
 * waiting list. lang "sv" or "en". *found 0 when there is no meeting id.
 */
int meetings_checkin_html(struct store *s, int64_t id, const char *lang,
			  struct buf *out, int *found);

#endif
