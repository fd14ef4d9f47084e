#ifndef TENDERLOTS_OUTBOX_H
#define TENDERLOTS_OUTBOX_H

#include <time.h>

#include "alert.h"
#include "category.h"
#include "config.h"
#include "firm.h"
#include "mailer.h"
#include "store.h"
#include "token.h"

/*
 * The outbox: matches become messages, messages become deliveries. Each
 * message has a unique key and a Message-ID derived from it, and moves
 * pending -> sending -> sent (or failed) in the store, so a crash at any
 * point neither loses a message nor sends one twice, save the single
 * message that was with the transport when the crash came.
 */

struct outbox;

/* -1 when [mail] from is not an address. */
struct outbox *outbox_new(struct store *s, const struct config *cfg,
			  const struct category_set *categories,
			  const struct alert_templates *templates,
			  const struct token_key *key);
void outbox_free(struct outbox *o);
/* The bare address whose tags what comes back is sent to. */
const char *outbox_base(const struct outbox *o);
/*
 * committed(arg) each time queued mails are committed, so that a courier
 * delivers them while the next are built; NULL: nobody is told.
 */
void outbox_on_committed(struct outbox *o, void (*committed)(void *),
			 void *arg);

/*
 * The outbox_queue_ functions add the mails they queue to *queued. A mail
 * that cannot be built (a template over its cap, a link that cannot be
 * made, a message too large) fails alone: it is counted in *failed and
 * kept in the outbox as failed, saying why, and not built again; the
 * others go on. -1 only when the store failed.
 */

/*
 * Queues the firms' matches not yet mailed: one mail per notice to firms
 * that want them at once, one digest at the digest hour to the others;
 * never more matches a day than [match] max_per_day, best first.
 */
int outbox_queue_alerts(struct outbox *o, const struct firm_list *firms,
			time_t now, unsigned *queued, unsigned *failed);

/*
 * Queues a mail about each changed notice to the firms that were mailed
 * about it and did not stop it: new deadlines, cancelled lots, new
 * documents.
 */
int outbox_queue_changes(struct outbox *o, const struct firm_list *firms,
			 time_t now, unsigned *queued, unsigned *failed);

/*
 * Queues an `opened` mail to the firms told of an entry of the unit's
 * plan (include/plan.h) once it is linked to the notice it became.
 */
int outbox_queue_opened(struct outbox *o, const struct firm_list *firms,
			time_t now, unsigned *queued, unsigned *failed);

/*
 * Queues deadline reminders ([mail] reminder_days before) to the firms
 * that were mailed about a lot and did not stop its notice.
 */
int outbox_queue_reminders(struct outbox *o, const struct firm_list *firms,
			   time_t now, unsigned *queued, unsigned *failed);

/*
 * Queues invitations to information meetings, with a calendar file, to the
 * firms matched to the meeting's notice or subscribed to its category;
 * and an update or a cancellation to those invited to an earlier version.
 */
int outbox_queue_meetings(struct outbox *o, const struct firm_list *firms,
			  time_t now, unsigned *queued, unsigned *failed);

/*
 * Queues the survey, once, to each firm that attended a meeting that
 * ended at most OUTBOX_SURVEY_DAYS ago and was not cancelled: a firm of
 * the register still subscribed, or a guest whose address is still kept.
 */
#define OUTBOX_SURVEY_DAYS 3
int outbox_queue_surveys(struct outbox *o, const struct firm_list *firms,
			 time_t now, unsigned *queued, unsigned *failed);

/*
 * For the web endpoint: the mail with the link that confirms a new
 * subscription (double opt-in), and the mail with the manage link to a
 * firm that subscribed again. 1 when it could not be built: the request
 * then has nothing to show for it.
 */
int outbox_queue_confirmation(struct outbox *o, const struct firm *f,
			      time_t now);
int outbox_queue_manage_link(struct outbox *o, const struct firm *f,
			     time_t now);
/*
 * To the new address a firm gave (f->email), the link that makes it the
 * firm's address: its object is requested_at, as the store recorded it.
 */
int outbox_queue_address(struct outbox *o, const struct firm *f,
			 time_t requested_at, time_t now);

/*
 * How many of firms a meeting would invite (matched to its notice or in
 * its category), for the staff's preview before it is published.
 */
int outbox_meeting_reach(const struct outbox *o, const struct firm_list *firms,
			 const struct meeting *m, size_t *count);

/*
 * A mail about a registration for meeting m (meetings.h): to confirm it
 * (a guest's link to /attend, a firm's to /rsvp, lasting a week), or
 * that it has a seat, waits, got a seat or lost it to a lower capacity,
 * with the link to cancel. The caller holds the store's transaction.
 */
enum attend_mail {
	ATTEND_ASK,
	ATTEND_REGISTERED,
	ATTEND_WAITING,
	ATTEND_MOVED_UP,
	ATTEND_MOVED_DOWN
};

int outbox_queue_attend(struct outbox *o, const struct meeting *m,
			const struct attendee *r, enum attend_mail what,
			time_t now);

/*
 * A meeting's calendar file (iCalendar, ical.h: METHOD:PUBLISH, CANCEL once
 * cancelled) as invitations carry it and its public page offers it.
 */
int outbox_meeting_calendar(const struct outbox *o, const struct meeting *m,
			    const char *lang, time_t now, struct buf *ics);

/*
 * A sender of the outbox's messages: the daemon's pass delivers them all;
 * the web endpoint's courier only the mails its pages queued (keys that
 * start with OUTBOX_WEB_KEYS), so a confirmation is out within seconds.
 */
struct outbox_sender {
	const char *owner;	/* the claim's owner: "run:PID", "web:PID" */
	const char *only_keys;	/* a key prefix; NULL for every message */
	long smtp_timeout;	/* seconds; bounds how long a claim is held */
	long give_up_after;	/* [mail] give_up_after */
	/*
	 * A pass is still queueing (its courier): only whole batches go,
	 * the rest waits for more or for the pass's own delivery after, and
	 * what cannot be delivered the pass dropped before it began
	 * (outbox_drop_undeliverable). Each write the courier makes waits
	 * for the batch being queued: it makes two a hundred mails.
	 */
	int queue_growing;
};

/* The keys of the mails the web pages queue. */
#define OUTBOX_WEB_KEYS "web/"

/*
 * Pending mails that must not go fail unsent: to an address that bounced
 * (not those a person asked for on a web page), or whose news is past.
 * They are counted in *failed.
 */
int outbox_drop_undeliverable(struct store *s, time_t now, unsigned *failed);

/*
 * Delivers due messages through the mailer, after
 * outbox_drop_undeliverable. One that fails temporarily
 * is tried again after outbox_backoff() until it is give_up_after seconds
 * old ([mail] give_up_after), then it has failed for good; one whose news
 * is past (a deadline, a meeting) fails unsent.
 */
int outbox_deliver(struct store *s, struct mailer *m,
		   const struct outbox_sender *by, time_t now, unsigned *sent,
		   unsigned *deferred, unsigned *failed);

/*
 * The longest wait between two attempts: once a relay that was down for
 * days is back, every mail is out within this time.
 */
#define OUTBOX_MAX_BACKOFF 3600

/* Seconds to wait before attempt number `attempts + 1`. */
long outbox_backoff(int attempts);

#endif
