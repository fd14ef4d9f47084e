#ifndef TENDERLOTS_STORE_H
#define TENDERLOTS_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "firm.h"
#include "meeting.h"
#include "money.h"
#include "notice.h"
#include "split.h"

/*
 * The SQLite store: the only module that speaks SQL. Schema changes are
 * numbered migrations applied on open; the database runs in WAL mode with
 * foreign keys on. Every statement is prepared, never formatted.
 */
struct store;

int store_open(const char *path, struct store **out);
void store_free(struct store *s);
/* What s was opened with, for another connection (a courier's thread). */
const char *store_path(const struct store *s);

int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/*
 * Turns at writing, for connections of one process that share them: each
 * transaction (store_begin to its commit or rollback) waits for those
 * begun before it, first come first served. The database's own lock goes
 * to whichever asks at the moment it is free, so a thread that commits
 * and begins again at once keeps it from one that waits asleep: the
 * pass's courier delivered almost nothing while the pass queued. A
 * write outside a transaction takes a turn of its own.
 */
struct store_turns;

int store_turns_new(struct store_turns **out);
void store_turns_free(struct store_turns *t);
/* s's transactions take turns from t from now on; NULL: none again */
void store_share_turns(struct store *s, struct store_turns *t);
/* Whether another connection waits for the turn s's transaction holds. */
int store_turn_wanted(struct store *s);

/*
 * The write-ahead log is copied into the database every few megabytes,
 * by whichever commit crosses the mark: in a day's pass that was some
 * 70 copies in the queueing thread, 0.27 s of its 0.45 s of commits.
 * With later set, s lets the log grow to STORE_LOG_LATER_PAGES before
 * it copies, and the writer copies it once when it is done
 * (store_checkpoint), as a single copy writes each page once. Unset:
 * the default again.
 */
#define STORE_LOG_LATER_PAGES 32768	/* 128 MiB of 4 KiB pages */
int store_checkpoint_later(struct store *s, int later);
/* The log copied into the database, as far as no reader still needs it. */
int store_checkpoint(struct store *s);

/* The schema version the code migrates to. */
int store_schema_version(void);

enum store_put_result {
	STORE_NEW,		/* a notice not seen before */
	STORE_CHANGED,		/* replaces a stored notice: a new version, or a
				   change notice of a stored one */
	STORE_UNCHANGED		/* this notice id and version is already stored,
				   or it is older than the stored version */
};

/*
 * Stores a notice version with its lots, texts, groups, awards and
 * changes; lot_rowids (n->nlots entries) is filled with the stored lots'
 * ids unless the version was already there. A notice that replaces a
 * stored one marks it superseded and records in notice_change what differs
 * (deadlines, documents, values, titles, lots added or cancelled) and what
 * a change notice says it changed, so firms can be told.
 */
int store_put_notice(struct store *s, const struct notice *n,
		     const char *source, time_t now,
		     enum store_put_result *result, int64_t *lot_rowids);

/* Adds or updates a firm by organisation number; *created tells which. */
int store_put_firm(struct store *s, const struct firm *f, const char *source,
		   time_t now, int *created);
int store_remove_firm(struct store *s, const char *orgnr, int *found);
/* The firms that are matched and mailed: confirmed, not unsubscribed. */
int store_load_firms(struct store *s, struct firm_list *out);
/*
 * Of those, the ids (ascending; the caller frees *ids) of the firms that
 * subscribed, confirmed, came back, were imported or changed at or after
 * since: they have not yet been matched against what is already open.
 */
int store_firms_changed_ids(struct store *s, time_t since, int64_t **ids,
			    size_t *n);
/*
 * A number that moves on whenever anything store_load_firms reads
 * changes (a firm added, changed, unsubscribed or removed, an address
 * bounced), whichever process changed it: equal numbers, the same firms.
 */
int store_firms_generation(struct store *s, long long *gen);
/*
 * A round of matching firms new or changed since `since` against what
 * is open: begun at started_at (0: none in hand) and done up to the
 * notice id cursor (NULL: none yet), so one a crash cut short goes on
 * where it was. store_backfill_progress belongs in the transaction of the
 * matches it counts; store_backfill_done ends the round begun at
 * started_at, which is the next round's since.
 */
struct backfill_round {
	time_t since;
	time_t started_at;
	char *cursor;
};

int store_backfill_get(struct store *s, struct backfill_round *r);
int store_backfill_progress(struct store *s, time_t started_at,
			    const char *cursor);
int store_backfill_done(struct store *s, time_t started_at);

/*
 * The euro reference rates a rates feed brought, from source (its name),
 * replacing those stored unless these are of an earlier day; *stored says
 * whether they were taken. One transaction.
 */
int store_put_rates(struct store *s, const struct money_rates *r,
		    const char *source, time_t now, int *stored);
/*
 * The rates to size values by: the bundled ones, and over them those
 * stored; *source (when not NULL) is the feed they came from, NULL when
 * none is stored (the caller frees it).
 */
int store_load_rates(struct store *s, struct money_rates **out, char **source);
/*
 * Up to limit current notices a firm can still act on, by notice id after
 * after (""): planned procurements, RFIs and contract notices with a lot
 * whose deadline is at or after now, or that has none and was published
 * after year_ago; planned procurements and RFIs of the last year only.
 */
int store_open_notices(struct store *s, time_t now, time_t year_ago,
		       const char *after, unsigned limit, char ***ids,
		       size_t *n);
/* Any firm by row id, whatever its state; *out NULL if there is none. */
int store_get_firm(struct store *s, int64_t id, struct firm **out);

/*
 * Subscriptions from the web, double opt-in: a firm subscribes, confirms
 * through a link mailed to it, may unsubscribe and subscribe again, and
 * may have itself deleted.
 */
enum firm_state {
	FIRM_NEW,		/* not stored before */
	FIRM_PENDING,		/* waits for its confirmation */
	FIRM_ACTIVE,
	FIRM_UNSUBSCRIBED
};

int store_firm_state(struct store *s, const char *orgnr, int64_t *id,
		     enum firm_state *state);
/*
 * A subscription from the web's form, which proves only that someone
 * typed an organisation number: it never changes a stored firm. A new
 * firm is stored unconfirmed (*state FIRM_NEW, *id the new row); so is
 * one whose earlier subscription was left unconfirmed for lapse seconds,
 * which goes with its links (a new id). Otherwise *id and *state are the
 * stored firm's, for the caller to mail its stored address.
 */
int store_subscribe_firm(struct store *s, const struct firm *f, time_t now,
			 time_t lapse, int64_t *id, enum firm_state *state);
/*
 * A new address waits for its own confirmation: the link mailed to it
 * names requested_at, and only the latest request's link changes the
 * address (*found 0 otherwise).
 */
int store_request_email(struct store *s, int64_t id, const char *email,
			time_t requested_at);
int store_confirm_email(struct store *s, int64_t id, time_t requested_at,
			time_t now, int *found);

/*
 * What came back for an address (compared without case): since hard_at
 * (0: never) it takes no mail, for reason; soft bounces counted since
 * soft_first_at, the last at soft_last_at. A confirmed new address
 * (store_confirm_email) clears its own. A firm's record carries its
 * address's hard_at and reason (firm.bounced_at, bounce_reason).
 */
struct bounce_state {
	time_t hard_at;
	char *reason;
	int soft;
	time_t soft_first_at;
	time_t soft_last_at;
};

/* All zero when nothing came back for the address. */
int store_bounce_get(struct store *s, const char *address,
		     struct bounce_state *b);
int store_bounce_put(struct store *s, const char *address,
		     const struct bounce_state *b);
void bounce_state_release(struct bounce_state *b);
/* Addresses that take no mail. */
int store_bounced_count(struct store *s, long long *n);
/*
 * Pending mails of firms to an address that takes no mail fail, saying
 * when it bounced and why; *n of them. Those whose key starts with
 * except are sent all the same.
 */
int store_drop_bounced(struct store *s, const char *except, long long *n);
/*
 * Limits on the web's forms that no restart and no number of clients
 * flush: records an attempt under key (a client, a recipient) and sets
 * *allowed when fewer than limit were recorded in the last window
 * seconds; a refused attempt is not recorded.
 */
int store_take_attempt(struct store *s, const char *key, time_t now,
		       long window, long limit, int *allowed);
/*
 * A number that changes whenever another connection commits a change to
 * the database: a page made from it before is still right while it holds.
 */
int store_data_version(struct store *s, long long *version);
/* Each *found is 0 when the firm was not in the state it leaves. */
int store_confirm_firm(struct store *s, int64_t id, time_t now, int *found);
int store_unsubscribe_firm(struct store *s, int64_t id, time_t now, int *found);
int store_resubscribe_firm(struct store *s, int64_t id, time_t now, int *found);
/*
 * Deletes a firm and everything that names it; its alerts stay for the
 * report as anonymous facts.
 */
int store_delete_firm(struct store *s, int64_t id, time_t now, int *found);

/*
 * Records that a lot matched a firm. The pair (firm, notice id, lot id,
 * kind) is unique: *created is 0 when the firm already had this match, so
 * nothing is mailed twice.
 */
int store_put_match(struct store *s, int64_t firm_id, int64_t lot_rowid,
		    const char *notice_id, const char *lot_id, const char *kind,
		    const char *reason, int score, const char *category,
		    time_t now, int *created);

/* The category parts a stored lot was split into. */
int store_put_category_lots(struct store *s, int64_t lot_rowid,
			    const struct lot_split *split);

/* Matches of a firm put into messages created at or after since. */
int store_matches_mailed_since(struct store *s, int64_t firm_id, time_t since,
			       long long *n);
/* When the firm's last message was queued; 0 if never. */
int store_last_alert(struct store *s, int64_t firm_id, time_t *when);

/* One matched lot waiting to be put into a mail. */
struct match_item {
	int64_t match_id;
	char *kind;
	char *notice_title;
	char *buyer;
	char *url;
	char *lot_id;
	char *lot_title;
	char *reason;
	int has_deadline;
	time_t deadline;
	int has_value;
	double value;
	char *currency;
	char *notice_id;
	char *category;		/* key; NULL when matched by CPV alone */
	char *description;	/* the lot's, may be NULL */
	char *duration;		/* ISO 8601, may be NULL */
	int framework;		/* 1, 0 or LOT_SME_UNKNOWN */
	int sme_suitable;	/* 1, 0 or LOT_SME_UNKNOWN */
	int has_questions_deadline;
	time_t questions_deadline;
	char *documents_url;	/* the lot's, else the notice's */
	char *buyer_email;	/* the buyer's contact, as the notice gives it */
	char *buyer_phone;
	char *buyer_id;		/* the buyer's organisation number */
	size_t lot_number;	/* 1 for the notice's first lot, by lot id */
	size_t nlots;		/* how many lots the notice has */
	char *winners;		/* award notices: names, ", " between */
	int has_award_value;
	double award_value;
	char *award_currency;
	int own_rfi;		/* an open RFI of the unit's own: firms answer
				   it on the web */
	char *subtype;		/* the notice's: "link" for one known by its
				   link alone (a feed's entry, the unit's own) */
	char *published;	/* YYYY-MM-DD */
	char *lot_cpv;		/* space-separated, may be "" */
	char *lot_nuts;		/* space-separated, may be "" */
	char *notice_description;	/* the notice's, may be NULL */
};

void match_items_free(struct match_item *items, size_t n);

/*
 * Up to limit unqueued matches of a firm, best score first; only those of
 * one notice unless notice_id is NULL.
 */
int store_unqueued_matches(struct store *s, int64_t firm_id,
			   const char *notice_id, size_t limit,
			   struct match_item **items, size_t *n);
/*
 * What the unqueued matches of a pass's firms share, their lots' and
 * notices' part, read once for every firm told of a lot (a cap bounds
 * it). Only for as long as no lot or notice changes: one pass's queueing.
 */
struct match_cache;
struct match_cache *match_cache_new(void);
void match_cache_free(struct match_cache *c);
/* store_unqueued_matches, the lots' part from c (NULL: read each time). */
int store_unqueued_matches_cached(struct store *s, struct match_cache *c,
				  int64_t firm_id, const char *notice_id,
				  size_t limit, struct match_item **items,
				  size_t *n);
/*
 * The notice of a firm's best unqueued match, as store_unqueued_matches
 * with no notice and a limit of 1 would find it (the caller frees
 * *notice_id), NULL when there is none; and how many unqueued matches
 * the firm has (those of a lot no longer stored too, which no list
 * shows: when the count is reached, none is left).
 */
int store_best_unqueued_notice(struct store *s, int64_t firm_id,
			       char **notice_id, size_t *unqueued);
/*
 * The firms that have an unqueued match, by id ascending (the caller
 * frees *firm_ids): the only ones an alert or digest can be queued for.
 */
int store_unqueued_firms(struct store *s, int64_t **firm_ids, size_t *n);

/*
 * A firm's matches in a notice, by the id it was matched under or the id
 * of its current version (a change notice's), with what that version says.
 */
int store_notice_matches(struct store *s, int64_t firm_id, const char *notice_id,
			 struct match_item **items, size_t *n);

/*
 * The lots (ids) of a notice, by its current id, a firm was matched to,
 * those a later version cancelled too; strvec_free frees them.
 */
int store_matched_lots(struct store *s, int64_t firm_id, const char *notice_id,
		       char ***lot_ids, size_t *n);

/* A stored notice version whose changes have not been mailed yet. */
struct pending_change {
	int64_t rowid;
	char *notice_id;
};

void pending_changes_free(struct pending_change *c, size_t n);
int store_pending_changes(struct store *s, size_t limit,
			  struct pending_change **out, size_t *n);
/* Marks a version's changes mailed: they are not looked at again. */
int store_changes_done(struct store *s, int64_t rowid);
/*
 * The firms that were mailed about a stored version (rowid) or any it
 * replaced, the original of a change notice too, and did not ask to stop
 * hearing about it, by id.
 */
int store_change_recipients(struct store *s, int64_t rowid,
			    int64_t **firm_ids, size_t *n);

/* A mailed lot whose deadline is near, for a reminder. */
struct reminder_candidate {
	int64_t firm_id;
	char *notice_id;
	time_t deadline;
	time_t first_mailed;	/* when the firm's alert about it was queued */
	char *orgnr;		/* the firm's, for the reminder's key */
};

void reminder_candidates_free(struct reminder_candidate *r, size_t n);
/*
 * Mailed matches of competitions and RFIs whose lot deadline, in the
 * notice's current version, falls in (from, to], ordered by firm, notice
 * and deadline; firms that stopped a notice are left out.
 */
int store_reminder_candidates(struct store *s, time_t from, time_t to,
			      struct reminder_candidate **out, size_t *n);

/* No more mails to a firm about one procurement (changes, reminders). */
int store_stop_notice(struct store *s, int64_t firm_id, const char *notice_id,
		      time_t now);

/*
 * Information meetings. A change or a cancellation raises the meeting's
 * sequence, so every firm invited to an earlier sequence is mailed again;
 * a change keeps the meeting as it was.
 */
int store_put_meeting(struct store *s, const struct meeting *m, time_t now,
		      int64_t *id);
/*
 * *found is 0 when there is no such meeting or it is cancelled. The
 * caller holds the transaction, so that the version kept, the change and
 * what it moves go together (meetings_change()).
 */
int store_change_meeting(struct store *s, int64_t id, const struct meeting *m,
			 time_t now, int *found);
int store_cancel_meeting(struct store *s, int64_t id, time_t now, int *found);
/*
 * Meetings that end after ends_after, the earliest first; only meeting id
 * unless id is 0. Free the array with meetings_free.
 */
int store_meetings(struct store *s, time_t ends_after, int64_t id,
		   struct meeting **out, size_t *n);
void meetings_free(struct meeting *m, size_t n);
/*
 * Meeting id as it was at sequence, before a change: *n is 1, or 0 when
 * there is no such version (the meeting's current sequence, or a change
 * made before versions were kept). Free the array with meetings_free.
 */
int store_meeting_version(struct store *s, int64_t id, int sequence,
			  struct meeting **out, size_t *n);

struct meeting_invite {
	int64_t firm_id;
	int sequence;		/* the meeting's sequence last mailed */
};

int store_meeting_invites(struct store *s, int64_t meeting_id,
			  struct meeting_invite **out, size_t *n);
int store_meeting_invited(struct store *s, int64_t meeting_id, int64_t firm_id,
			  int sequence, time_t now);
/* Firms matched to any lot of a notice that did not stop it, by id ascending. */
int store_notice_firms(struct store *s, const char *notice_id,
		       int64_t **firm_ids, size_t *n);

/* A firm's row id by organisation number; 0 if there is none. */
int store_firm_id(struct store *s, const char *orgnr, int64_t *id);

/*
 * The unit's own RFIs: a row that names the notice the RFI is published
 * as, "rfi-<id>" (written to notice_id, len bytes).
 */
int store_put_rfi(struct store *s, const char *contact, const char *attachments,
		  time_t now, int64_t *id, char *notice_id, size_t len);
/* No more answers or reminders; *found 0 if no such open RFI of ours. */
int store_close_rfi(struct store *s, const char *notice_id, time_t now,
		    int *found);

/* An RFI as `rfi list` shows it: the unit's own and those of others. */
struct rfi_entry {
	char *notice_id;
	char *title;
	int has_deadline;
	time_t deadline;
	int own;
	time_t closed_at;	/* 0: open */
	long long responses;
	time_t withdrawn_at;	/* 0: not withdrawn */
	char *cpv;		/* its codes, space-separated */
	char *buyer_id;		/* NULL when the notice names none */
	char *ted_notice_id;	/* the unit's own: its copy on TED, if known */
};

void rfi_entries_free(struct rfi_entry *e, size_t n);
/*
 * The open RFIs (answer deadline ahead, not closed) when notice_id is
 * NULL, else that one RFI whatever its state.
 */
int store_rfis(struct store *s, time_t now, const char *notice_id,
	       struct rfi_entry **out, size_t *n);
/* Every RFI published since a time and not withdrawn, newest first. */
int store_rfis_since(struct store *s, time_t since, struct rfi_entry **out,
		     size_t *n);
/* The unit's own RFIs published since a time, withdrawn too, newest first. */
int store_own_rfis(struct store *s, time_t since, struct rfi_entry **out,
		   size_t *n);
/*
 * The unit's RFI withdrawn (closed too): off the public pages, the open
 * notices and the report's figures. *found 0 if withdrawn already.
 */
int store_withdraw_rfi(struct store *s, const char *notice_id, time_t now,
		       int *found);
/*
 * The unit's RFI notice_id came back through TED as ted_notice_id: it
 * is the same RFI, closed by either id and mailed once. *found 0 if it
 * has a copy already.
 */
int store_link_rfi(struct store *s, const char *notice_id,
		   const char *ted_notice_id, int *found);
/* An edit's contact and documents (space-separated links). */
int store_update_rfi(struct store *s, const char *notice_id,
		     const char *contact, const char *attachments, int *found);

/*
 * Participation of registered firms, each recorded once per firm and
 * object with its time and where it was learnt ("cli", "csv", "web"):
 * *created is 0 when it was already recorded.
 */
int store_rfi_response(struct store *s, const char *notice_id, int64_t firm_id,
		       time_t at, const char *source, int *created);
int store_bid(struct store *s, const char *notice_id, int64_t firm_id,
	      time_t at, const char *source, int *created);
/* Attendance, registered beforehand or not. */
int store_meeting_attended(struct store *s, int64_t meeting_id,
			   int64_t firm_id, time_t at, const char *source,
			   int *created);

/*
 * A meeting's registrations, by firms of the register and by guests:
 * other suppliers, who registered on the meeting's page and are recorded
 * for it only, as typed, never as subscribers (meetings.h).
 */
enum reg_state {
	RS_NONE,	/* came without registering */
	RS_PENDING,	/* a guest that has not confirmed yet */
	RS_REGISTERED,
	RS_WAITING,	/* on the waiting list */
	RS_CANCELLED
};

struct attendee {
	int64_t id;
	int64_t meeting_id;
	int64_t firm_id;	/* 0: a guest */
	char *orgnr;
	char *name;
	char *email;		/* a firm's as stored, a guest's as typed */
	char *language;		/* "sv" or "en" */
	int state;		/* enum reg_state */
	int attended;
	time_t at;		/* it came to its state: the lists' order */
	int sequence;		/* the meeting's version a guest was mailed */
};

/*
 * Meeting meeting_id's registrations: those with a seat first, in the
 * order they took it, then the waiting list in its order, then the rest.
 * Free the array with registrations_free.
 */
int store_attendees(struct store *s, int64_t meeting_id,
			struct attendee **out, size_t *n);
/* Registration id, NULL if there is none; free it as an array of one. */
int store_attendee(struct store *s, int64_t id, struct attendee **out);
void attendees_free(struct attendee *r, size_t n);
/*
 * A guest asks to come: a new registration waiting for its confirmation,
 * unless there is one for orgnr already (*created 0), which is asked for
 * anew, with what was typed now, only when it was cancelled or requested
 * before stale_before and never confirmed. *id is the registration.
 */
int store_guest_request(struct store *s, int64_t meeting_id,
			const char *orgnr, const char *name, const char *email,
			const char *language, time_t now, time_t stale_before,
			int64_t *id, int *created);
/* A firm's registration row for a meeting, made (RS_NONE) if there is none. */
int store_firm_attendee(struct store *s, int64_t meeting_id,
			    int64_t firm_id, const char *source, int64_t *id);
/* Registration id comes to state (registered, waiting, cancelled) at at. */
int store_set_attendee(struct store *s, int64_t id, enum reg_state state,
			   time_t at);
/* A guest was mailed the meeting's version sequence. */
int store_attendee_mailed(struct store *s, int64_t id, int sequence);
int store_attendee_attended(struct store *s, int64_t id);
/*
 * Guests' particulars go (organisation number, name, address) once their
 * meeting ended before a time, and requests asked before it and never
 * confirmed go whole; what is left counts the seats in the report. *n is
 * how many registrations changed.
 */
int store_forget_guests(struct store *s, time_t before, long long *n);

/*
 * What firms say of the service (feedback.c): whether a match they were
 * mailed about was relevant, and how an information meeting they came
 * to was. One answer each, a new one in its place.
 */
#define FEEDBACK_COMMENT_MAX 500	/* bytes of a match's comment */
#define SURVEY_COMMENT_MAX 2000		/* bytes of a meeting's comment */

/* A match and the firm's answer about it, if any. */
struct match_answer {
	int64_t match_id;
	int64_t firm_id;
	char *firm_name;
	char *notice_title;
	char *lot_title;	/* NULL: none of its own */
	int answered;		/* 0: no answer yet */
	int relevant;		/* 1 relevant, 0 not */
	char *comment;		/* NULL: none */
	time_t answered_at;
};

/* Match match_id and its answer; *out NULL when there is no such match. */
int store_match_answer(struct store *s, int64_t match_id,
		       struct match_answer **out);
void match_answers_free(struct match_answer *a, size_t n);
/* Records the answer about match_id, in place of an earlier one. */
int store_put_match_answer(struct store *s, int64_t match_id, int relevant,
			   const char *comment, time_t now);

/* A survey answer of registration registration_id (struct attendee). */
struct survey_answer {
	int64_t registration_id;
	char *orgnr;		/* NULL once a guest is forgotten */
	char *name;
	int rating;		/* 1..5 */
	char *comment;		/* NULL: none */
	time_t first_at;	/* first answered */
	time_t answered_at;	/* last changed */
};

/* The answer of registration id; *out NULL when there is none. */
int store_survey_answer(struct store *s, int64_t registration_id,
			struct survey_answer **out);
/* Records it, first_at kept from an earlier answer. */
int store_put_survey_answer(struct store *s, int64_t registration_id,
			    int rating, const char *comment, time_t now);
/* Meeting meeting_id's answers, newest first. */
int store_survey_answers(struct store *s, int64_t meeting_id,
			 struct survey_answer **out, size_t *n);
void survey_answers_free(struct survey_answer *a, size_t n);

/* A firm that answered an RFI (a meeting's are struct attendee). */
struct participant {
	int64_t firm_id;
	char *orgnr;
	char *name;
	time_t at;		/* answered */
	char *source;
};

void participants_free(struct participant *p, size_t n);
int store_rfi_responses(struct store *s, const char *notice_id,
			struct participant **out, size_t *n);

/*
 * Figures for näringslivsenheten's report over [from, to), by quarter of
 * local time. The counting queries give per quarter one row per category
 * and one row with category NULL for all categories together (distinct
 * items: a firm alerted in two categories is one firm alerted). The fact
 * queries give one row per item and category.
 */
enum report_query {
	/* counts: value = the count */
	REPORT_NOTICES,			/* planned, RFI and contract notices */
	REPORT_LOTS,
	REPORT_CATEGORY_LOTS,
	REPORT_FIRMS_ALERTED,		/* mailed about a lot */
	REPORT_FIRMS_REGISTERED,	/* for a meeting */
	REPORT_FIRMS_ATTENDING,
	REPORT_FIRMS_ANSWERING,		/* an RFI */
	REPORT_FIRMS_BIDDING,
	REPORT_FIRMS_WINNING,		/* named winner in an award notice */
	REPORT_MEETINGS_HELD,		/* ended by now, not cancelled */
	REPORT_MEETING_SEATS,		/* registrations, meetings begun */
	REPORT_MEETING_ATTENDEES,	/* attendances, meetings begun */
	REPORT_MEETING_SHOWS,		/* registrations whose firm came */
	REPORT_ALERTS_ANSWERED,		/* matches mailed and answered */
	REPORT_ALERTS_RELEVANT,		/* of those, answered relevant */
	/* facts: one row per notice and category part, value = its lots,
	   days = its estimated value (-1 unknown), item = notice id */
	REPORT_NOTICE_SIZES,
	/* facts: one row per procedure and category, days = the lead time
	   from its first early notice to its contract notice */
	REPORT_LEAD_TIMES,
	/* facts: one row per firm subscribed before `to`, category = its
	   categories and CPV codes, space-separated, value = when it
	   subscribed */
	REPORT_FIRMS,
	/* facts: one row per survey answer of a meeting begun and category,
	   days = its rating, item = its registration */
	REPORT_SURVEY_RATINGS,
	REPORT_NQUERIES
};

struct report_count {
	int year, quarter;	/* 2026, 1..4 */
	char *category;		/* a key; NULL: all categories */
	long long value;
	double days;
	char *item;
};

void report_counts_free(struct report_count *c, size_t n);

/* Whom and when the report's queries count. */
struct report_scope {
	time_t from, to;		/* [from, to) */
	time_t now;			/* meetings begun and held by then */
	char *const *municipalities;	/* local firms' kommunkoder: the firm
					   figures count these; NULL-ended */
	char *const *own_buyers;	/* the municipality's org.nrs: the
					   large procurements are of these */
};

int store_report(struct store *s, enum report_query q,
		 const struct report_scope *sc, struct report_count **out,
		 size_t *n);

/*
 * The firm register, for näringslivsenheten and the procurement unit:
 * firms found by every criterion given (text: part of the name, or digits
 * of the organisation number; a category key; a municipality code), by
 * name, a page at a time.
 */
#define FIRM_PAGE_MAX 100

struct firm_search {
	const char *text;		/* NULL or "": any */
	const char *category;		/* NULL or "": any */
	const char *municipality;	/* NULL or "": any */
	size_t page;			/* from 0 */
	size_t per_page;		/* capped to 1..FIRM_PAGE_MAX */
};

struct firm_entry {
	int64_t id;
	char *orgnr, *name;
	char *email;			/* NULL: none */
	char *municipality;		/* NULL: not given */
	char *categories;		/* keys, space-separated */
	time_t subscribed_at;		/* consent */
	int confirmed, unsubscribed;
};

void firm_entries_free(struct firm_entry *e, size_t n);
void firm_entry_free(struct firm_entry *e);
/* *more: another page follows. */
int store_search_firms(struct store *s, const struct firm_search *q,
		       struct firm_entry **out, size_t *n, int *more);
/* The firm of an organisation number (NNNNNN-NNNN); *out NULL if none. */
int store_firm_entry(struct store *s, const char *orgnr,
		     struct firm_entry **out);

/*
 * What a firm did, newest first, at most limit (capped to
 * FIRM_HISTORY_MAX): "alerted" (first mailed about a notice), "registered"
 * and "attended" (a meeting not cancelled), "answered" (an RFI), "bid",
 * "won" (named in an award notice, at its publication).
 */
#define FIRM_HISTORY_MAX 1000

struct firm_event {
	char *what;
	time_t at;
	char *notice_id;		/* NULL: a meeting of no procurement */
	char *title;			/* the notice's or meeting's; NULL */
};

void firm_events_free(struct firm_event *e, size_t n);
int store_firm_history(struct store *s, int64_t firm_id, size_t limit,
		       struct firm_event **out, size_t *n);

/* A notice as the public pages show it. */
struct public_notice {
	char *notice_id;
	char *title;
	char *buyer;
	char *url;		/* the public notice; NULL for the unit's RFIs */
	char *kind;
	int has_deadline;
	time_t deadline;
	char *published;	/* YYYY-MM-DD */
	char *categories;	/* keys, comma-separated; NULL for none */
	char *description;
	char *contact;		/* the unit's RFIs: who answers */
	char *documents;	/* URLs, space-separated */
	time_t closed_at;	/* the unit's RFIs: 0 while open */
	int own;		/* an RFI of the unit's own */
	time_t updated;		/* when this version was stored */
	time_t purged_at;	/* its texts dropped (store_purge_notices);
				   0 while kept */
};

void public_notices_free(struct public_notice *p, size_t n);
/*
 * Which of the public notices: current notices that some firm was
 * matched to, and every RFI, newest first; only of a kind, a category, a
 * notice id where given (NULL for any); with open_at only those open
 * then (no deadline passed, not closed); a page of limit from offset.
 */
struct public_query {
	const char *kind;
	const char *category;
	const char *notice_id;
	time_t open_at;		/* 0: open or not */
	size_t offset, limit;
	const char *search;	/* words a visitor typed, NULL or none for
				   all: those whose title or description
				   (their lots' too) holds each word, in any
				   form (stemmed; see src/store/search.c) */
};

int store_public_notices(struct store *s, const struct public_query *q,
			 struct public_notice **out, size_t *n);

/*
 * Everything stored about a firm, for the export of its own data: what
 * ("subscribed", "unsubscribed", "mail", "match", "stopped", "meeting",
 * "rfi_answer", "rfi_answer_text", "rfi_answer_file", "bid"), two texts
 * and one or two times, as the query in store/firms.c pairs them.
 */
struct firm_record {
	char *what;
	char *a, *b;		/* NULL for none */
	long long t1;
	int has_t2;
	long long t2;
};

void firm_records_free(struct firm_record *r, size_t n);
int store_firm_records(struct store *s, int64_t firm_id,
		       struct firm_record **out, size_t *n);

/* The outbox at a glance, for `status`. */
struct outbox_counts {
	long long pending, sending, sent, failed;
	long long retrying;	/* pending after a failed attempt */
	time_t last_sent;	/* 0: never */
};

int store_outbox_counts(struct store *s, struct outbox_counts *c);

/*
 * Incidents the operator is told of: at most one open per key ("feed:NAME",
 * "outbox"). *id is 0 when none is open.
 */
int store_incident(struct store *s, const char *key, int64_t *id, time_t *since);
int store_incident_open(struct store *s, const char *key, const char *detail,
			time_t now, int64_t *id);
int store_incident_close(struct store *s, int64_t id, time_t now);

/*
 * Housekeeping for a store that runs for years, at now: drops the text
 * of mails sent (or failed) more than keep_sent seconds ago (their
 * records stay) and the particulars of guests of meetings that ended
 * before then (store_forget_guests), the texts of notices done with more
 * than keep_notices seconds ago (store_purge_notices), lets SQLite
 * refresh its statistics, and folds the WAL back into the database.
 */
int store_maintain(struct store *s, time_t now, long keep_sent,
		   long keep_notices);
/*
 * Drops the texts of the notices whose procedure was last acted on
 * (published, a deadline of a notice or lot) before a time: their
 * descriptions, texts in every language, contacts, towns and document
 * links, a change notice's words, why each firm was told, and their
 * search entries (marked with purged_at = now). Their facts stay, so
 * every figure of the report and of a firm's participation is the same:
 * ids, kind, buyer, title, link, dates, lots, categories, CPV, values,
 * awards and winners, and the matches and mails about them. Kept whole while a change or mail about
 * them waits, or an open RFI, a meeting ended since that time, a live
 * plan entry or a successor in use names them. One transaction; *n the
 * notice versions purged (0 the second time).
 */
int store_purge_notices(struct store *s, time_t before, time_t now,
			long long *n);

/* Whether a message with this unique key was ever queued. */
int store_message_exists(struct store *s, const char *key, int *exists);

/*
 * Queues one message with its unique key and ties the matches to it.
 * Returns 0 if queued, 1 if a message with this key already exists.
 */
struct outbox_message {
	int64_t id;
	char *key;
	int64_t firm_id;
	char *rcpt;
	char *envelope_from;
	char *body;
	size_t len;
	int attempts;
	time_t created_at;
	time_t stale_at;	/* not sent from then on; 0: any time */
	/* never taken by a sender, not even one a crash stopped: due only */
	int first_try;
};

int store_queue_message(struct store *s, const struct outbox_message *m,
			const int64_t *match_ids, size_t nmatch, time_t now);
/*
 * A mail that could not be built: its row, failed at once and saying why,
 * holds its key and the matches it would have reported, so it is not tried
 * again; m has no text. 1, as store_queue_message, if the key was taken.
 */
int store_queue_unbuilt(struct store *s, const struct outbox_message *m,
			const char *why, const int64_t *match_ids,
			size_t nmatch, time_t now);

/*
 * Up to limit messages due for delivery (pending, next attempt reached),
 * oldest first, of ids above after (0, then the last id of the batch
 * before: a cursor, so those left pending are not read again); with a
 * key_prefix only those whose key starts with it.
 */
int store_due_messages(struct store *s, time_t now, const char *key_prefix,
		       int64_t after, size_t limit,
		       struct outbox_message **out, size_t *n);
void outbox_messages_free(struct outbox_message *m, size_t n);

enum message_state { MSG_PENDING, MSG_SENDING, MSG_SENT, MSG_FAILED };

/*
 * Moves a message to a state. last_error may be NULL; next_attempt is used
 * for MSG_PENDING; a message goes to sending through store_claim_message.
 */
int store_mark_message(struct store *s, int64_t id, enum message_state state,
		       const char *last_error, time_t next_attempt, time_t now);
/*
 * Who takes a message for sending: the sender's name ("run:PID" for the
 * daemon, "web:PID" for the web endpoint) and until when its claim holds.
 */
struct claim {
	const char *owner;
	time_t lease_until;
};

/*
 * Takes a pending message for sending (state sending, one attempt more);
 * *claimed is 0 when another sender (the web endpoint beside the daemon)
 * took it first.
 */
int store_claim_message(struct store *s, int64_t id, const struct claim *c,
			int *claimed);
/*
 * After a crash, messages left in "sending" may or may not have reached the
 * server; they go back to pending, so at worst one is sent twice (with the
 * same Message-ID), never lost. Only the claims of senders that are gone
 * are taken back: those whose lease ran out by now, and those whose owner
 * starts with dead_owners (the daemon, holding the database's lock, knows
 * any earlier daemon is gone). Another sender's live claim stays.
 */
int store_recover_sending(struct store *s, const char *dead_owners, time_t now,
			  int *n);
/*
 * Pending messages whose news is past (stale_at reached) fail unsent: a
 * reminder after the deadline would mislead. *n says how many.
 */
int store_drop_stale(struct store *s, time_t now, long long *n);

/* A message as `outbox list` shows it. */
struct outbox_entry {
	int64_t id;
	char *key;
	char *rcpt;
	char *state;
	int attempts;
	time_t created_at;
	time_t next_attempt;
	time_t sent_at;		/* 0: not sent */
	char *last_error;	/* NULL: none */
	int has_text;		/* 0: never built, or its text purged */
};

void outbox_entries_free(struct outbox_entry *e, size_t n);
/* The newest messages first; state NULL for all states. */
int store_outbox_list(struct store *s, const char *state, size_t limit,
		      struct outbox_entry **out, size_t *n);
/* The message id: *n is 0 when there is none. */
int store_outbox_get(struct store *s, int64_t id, struct outbox_entry **out,
		     size_t *n);
/*
 * A failed or waiting message that has a text is tried again at the next
 * delivery.
 */
int store_outbox_retry(struct store *s, int64_t id, time_t now, int *found);
/*
 * Drops the bodies of messages sent, or queued and failed, before a
 * time. The rows stay, with their unique keys, so what was sent is never
 * sent again.
 */
int store_outbox_purge(struct store *s, time_t before, long long *n);

/* One difference between a notice and the one it replaced. */
struct notice_change {
	char *lot_id;		/* NULL for the procedure */
	char *what;		/* deadline, questions_deadline, documents, value,
				   title, lot_added, lot_cancelled, announced */
	char *old_value;
	char *new_value;
};

void notice_changes_free(struct notice_change *c, size_t n);
/* The changes recorded for every stored version of a notice id. */
int store_notice_changes(struct store *s, const char *notice_id,
			 struct notice_change **out, size_t *n);
/* The changes one stored version (row id) made. */
int store_version_changes(struct store *s, int64_t rowid,
			  struct notice_change **out, size_t *n);

/*
 * A document that was refused keeps its source, reason and first bytes
 * here, so nothing that arrives is lost without a trace; the same source
 * refused for the same reason again counts up instead of adding a row.
 */
#define QUARANTINE_HEAD 512

int store_quarantine(struct store *s, const char *feed, const char *source,
		     const char *reason, const char *head, size_t head_len,
		     long long size, time_t now);

struct quarantined {
	char *feed;
	char *source;
	char *reason;
	char *head;		/* up to QUARANTINE_HEAD bytes, NUL-terminated */
	size_t head_len;
	long long size;
	time_t first_seen;
	time_t last_seen;
	long times;
};

void quarantined_free(struct quarantined *q, size_t n);
int store_quarantine_list(struct store *s, size_t limit,
			  struct quarantined **out, size_t *n);

/* Validators of a feed item (a URL or file), for conditional fetching. */
int store_feed_item_get(struct store *s, const char *feed, const char *item,
			char **etag, char **last_modified, int *found);
int store_feed_item_put(struct store *s, const char *feed, const char *item,
			const char *etag, const char *last_modified, time_t now);

/* Per-feed polling state: when, how it went, when next. */
struct feed_state {
	time_t last_poll;	/* 0: never */
	time_t last_success;	/* 0: never */
	time_t next_poll;
	int failures;		/* consecutive */
	char *last_error;	/* NULL after a success */
	long notices;		/* stored from this feed, all time */
};

void feed_state_release(struct feed_state *st);
/* A feed never polled gets a zeroed state. */
int store_feed_state_get(struct store *s, const char *feed, struct feed_state *st);
int store_feed_state_put(struct store *s, const char *feed,
			 const struct feed_state *st);

/*
 * How far a TED feed has read, as publication dates (YYYYMMDD): the
 * window still to read, from lo up to hi ("" for no upper bound), and
 * top, the newest date read through. All "" before its first poll.
 */
struct feed_window {
	char lo[9];
	char hi[9];
	char top[9];
};

int store_feed_window_get(struct store *s, const char *feed,
			  struct feed_window *w);
int store_feed_window_put(struct store *s, const char *feed,
			  const struct feed_window *w);

/*
 * Items whose document could not be fetched yet (a 403, 404, 5xx or
 * timeout): tried again from next_try on. store_pending_put adds one or
 * counts another attempt; recording the item (store_feed_item_put)
 * drops it.
 */
struct pending_item {
	char *item;
	char *url;
	int attempts;
	time_t first_failed;
	time_t next_try;
	char *last_error;
};

void pending_items_free(struct pending_item *p, size_t n);
int store_pending_put(struct store *s, const char *feed, const char *item,
		      const char *url, const char *error, time_t now,
		      time_t next_try);
int store_pending_has(struct store *s, const char *feed, const char *item,
		      int *found);
/* Those due at now, the longest waiting first, at most limit. */
int store_pending_due(struct store *s, const char *feed, time_t now,
		      size_t limit, struct pending_item **out, size_t *n);
/* How many wait, since when the oldest, and the latest error (or NULL). */
int store_pending_summary(struct store *s, const char *feed, long *count,
			  time_t *oldest, char **last_error);

/* A stored notice as `notice show` and `advice` read it back. */
struct stored_part {
	char *category;		/* NULL: outside every category */
	char *cpv;		/* space-separated */
	int has_value;
	double value;
	char *currency;
};

struct stored_lot {
	int64_t rowid;
	char *lot_id;
	char *title;
	char *cpv;		/* space-separated, main code first */
	char *nuts;		/* space-separated */
	char *town;
	char *duration;
	int sme_suitable;
	int has_value;
	double value;
	char *currency;
	int has_deadline;
	time_t deadline;
	char *description;
	struct stored_part *parts;
	size_t nparts;
};

struct stored_notice {
	int64_t rowid;
	char *notice_id;
	char *version;
	char *kind;
	char *subtype;
	char *title;
	char *buyer;
	char *buyer_id;
	char *published;
	char *url;
	int has_deadline;
	time_t deadline;
	char *language;		/* eForms code, "SWE"; NULL if not given */
	char *description;
	struct stored_lot *lots;
	size_t nlots;
};

void stored_notice_free(struct stored_notice *n);
/*
 * A notice the staff published, stored and split, for the next pass to
 * match: later 1 marks its current version, 0 clears every version; and
 * the first limit such notices by id.
 */
int store_match_later(struct store *s, const char *notice_id, int later);
int store_matches_later(struct store *s, unsigned limit, char ***ids,
			size_t *n);
/* The current version of a notice; *out is NULL when there is none. */
int store_get_notice(struct store *s, const char *notice_id,
		     struct stored_notice **out);

/*
 * Current notices of a buyer (organisation number) of the given kinds
 * (planning, rfi, competition) that have exactly one lot and whose
 * deadline, if any, is not past: where dividing is still possible.
 */
int store_single_lot_notices(struct store *s, const char *buyer_id,
			     time_t now, char ***ids, size_t *n);

/*
 * The staff's accounts, their sessions and one-time links, and the audit
 * log of what they do. Secrets are stored as digests (account.h); a
 * role is "upphandling", "naringsliv" or "admin", a language "sv" or
 * "en".
 */
struct staff_account {
	int64_t id;
	char *name;
	char *role;
	char *lang;
	int has_password;
	time_t created_at;
};

void staff_accounts_free(struct staff_account *a, size_t n);
/* *id 0 when the name is taken. */
int store_staff_add(struct store *s, const char *name, const char *role,
		    const char *lang, time_t now, int64_t *id);
int store_staff_accounts(struct store *s, struct staff_account **out,
			 size_t *n);
/* Removes the account with its sessions and links. */
int store_staff_remove(struct store *s, const char *name, int *found);
/* *id 0 when there is no such account; *hash NULL when it has no password. */
int store_staff_password(struct store *s, const char *name, int64_t *id,
			 char **hash);
/* No password, no session, no link: a new link is to follow. */
int store_staff_reset(struct store *s, int64_t id);
/* A one-time link of the account, in place of any earlier one. */
int store_staff_link_put(struct store *s, int64_t account, const char *digest,
			 time_t expires, time_t now);
/* The account of a link that holds at now; *out NULL if none. */
int store_staff_link_account(struct store *s, const char *digest, time_t now,
			     struct staff_account **out);
/*
 * Spends the link: the account's password becomes hash, its links and
 * sessions end; one transaction. *account 0 when the link did not hold.
 */
int store_staff_link_use(struct store *s, const char *digest, const char *hash,
			 time_t now, int64_t *account);

/* A signed-in staff member, as a session finds them. */
struct staff_session {
	int64_t account;
	char *name;
	char *role;
	char *lang;
	char *csrf;		/* the session's token for its forms */
};

void staff_session_free(struct staff_session *p);
int store_staff_session_put(struct store *s, const char *digest,
			    int64_t account, const char *csrf, time_t now);
/*
 * The session, used at now, if it was used within idle seconds and began
 * within lifetime seconds; else *out NULL and an expired one is ended.
 */
int store_staff_session(struct store *s, const char *digest, time_t now,
			long idle, long lifetime, struct staff_session **out);
int store_staff_session_end(struct store *s, const char *digest);

/* Who did what to which object, when, from which address. */
struct staff_audit_entry {
	time_t at;
	char *who;
	char *action;
	char *object;
	char *client;
};

void staff_audit_free(struct staff_audit_entry *e, size_t n);
int store_staff_audit(struct store *s, const char *who, const char *action,
		      const char *object, const char *client, time_t now);
/* Newest first, from offset on. */
int store_staff_audit_list(struct store *s, long offset, long limit,
			   struct staff_audit_entry **out, size_t *n);

/*
 * Category keys as the stored data names them: the firms that chose a
 * key, and the rows of history that name it (category parts of lots,
 * matches, meetings, alerts of deleted firms), by key.
 */
struct category_use {
	char *key;
	long long firms;
	long long rows;
};

void category_uses_free(struct category_use *u, size_t n);
int store_category_uses(struct store *s, struct category_use **out,
			size_t *n);
/*
 * Moves the firms' choice of the key from, and its history, to the key
 * to (a firm that chose both keeps to once); *moved counts the rows
 * changed. In the caller's transaction.
 */
int store_rename_category(struct store *s, const char *from, const char *to,
			  long long *moved);

/*
 * The unit's decisions on dividing its procurements (LOU 4 kap. 14 §):
 * every decision is kept, the newest on a notice is in force.
 */
struct split_decision {
	int64_t id;
	char *notice_id;
	char *decision;		/* "divided", "not_divided", "later" */
	char *parts;		/* divided: the parts, "; " between */
	char *reasons;		/* not divided: reason keys, space-separated */
	char *note;		/* free text; NULL for none */
	char *decided_by;
	time_t decided_at;
};

int store_put_split_decision(struct store *s, const struct split_decision *d,
			     int64_t *id);
void split_decisions_free(struct split_decision *d, size_t n);
/* A notice's decisions, newest first. */
int store_split_decisions(struct store *s, const char *notice_id,
			  struct split_decision **out, size_t *n);
/*
 * For the report: the decisions in force on each notice that were made
 * in [from, to), counted per decision (reason NULL) and, for those not
 * divided, per decision and reason.
 */
struct split_decision_count {
	char *decision;
	char *reason;
	long long count;
};

void split_decision_counts_free(struct split_decision_count *c, size_t n);
int store_split_decision_counts(struct store *s, time_t from, time_t to,
				struct split_decision_count **out, size_t *n);

/*
 * Answers to the unit's RFIs that firms gave on the web: the text, and
 * files kept in the database under their own row ids.
 */
struct rfi_answer {
	int64_t id;
	char *notice_id;
	int64_t firm_id;
	char *orgnr;		/* the firm's, when read back */
	char *firm_name;
	char *text;
	time_t answered_at;
};

struct rfi_answer_file {
	int64_t id;
	int64_t answer;
	char *name;		/* the firm's name for it, to show escaped */
	char *ext;		/* its type, by its bytes: "pdf", ... */
	char *type;		/* MIME type, by its bytes */
	char *data;		/* NULL in lists */
	size_t len;
};

/*
 * Stores an answer (a->answered_at, notice_id, firm_id, text) with its
 * files, and the firm's participation (source "web"), in one
 * transaction; *id is the answer's.
 */
int store_put_rfi_answer(struct store *s, const struct rfi_answer *a,
			 const struct rfi_answer_file *files, size_t nfiles,
			 int64_t *id);
void rfi_answers_free(struct rfi_answer *a, size_t n);
void rfi_answer_files_free(struct rfi_answer_file *f, size_t n);
/* An RFI's answers, oldest first, and their files without bytes. */
int store_rfi_answers(struct store *s, const char *notice_id,
		      struct rfi_answer **out, size_t *n);
int store_rfi_answer_files(struct store *s, const char *notice_id,
			   struct rfi_answer_file **out, size_t *n);
/* One file with its bytes; *found 0 when there is none. */
int store_rfi_answer_file(struct store *s, int64_t id,
			  struct rfi_answer_file *out, int *found);
void rfi_answer_file_release(struct rfi_answer_file *f);

/*
 * The unit's own notices added by their link (ownnotice.h): what it
 * gave, as text where it is a list (space-separated), its kind as
 * notice_kind_name names it.
 */
struct own_notice_row {
	char *notice_id;	/* "own-ID"; set by store_put_own_notice */
	char *url;
	char *title;
	char *description;
	char *kind;
	char *categories;
	char *cpv;
	int has_deadline;
	time_t deadline;
	int has_value;
	double value;
	char *added_by;
	time_t created_at;
	time_t withdrawn_at;	/* 0: not withdrawn */
	char *why;
};

void own_notice_rows_free(struct own_notice_row *r, size_t n);
/* Stores r (but its notice_id) and names it: "own-ID" into notice_id. */
int store_put_own_notice(struct store *s, const struct own_notice_row *r,
			 char *notice_id, size_t len);
/* The own notice by its id, or by its link when notice_id is NULL: *n 0
 * or 1. */
int store_own_notice(struct store *s, const char *notice_id, const char *url,
		     struct own_notice_row **out, size_t *n);
/* The last limit added, newest first. */
int store_own_notices(struct store *s, size_t limit,
		      struct own_notice_row **out, size_t *n);
/* Marks it withdrawn; *found 0 if it was withdrawn already or is none. */
int store_withdraw_own_notice(struct store *s, const char *notice_id,
			      const char *why, time_t now, int *found);

/*
 * The procurement plan (struct plan, include/plan.h): the unit's entries,
 * the notices proposed as what an entry became, and the firms to tell.
 */
struct plan;

/* Adds p: its id, and its notice id "plan-ID", are set in p. */
int store_plan_put(struct store *s, struct plan *p, time_t now);
/* Replaces the stored fields of the entry p->id by p's. */
int store_plan_update(struct store *s, const struct plan *p, time_t now,
		      int *found);
/*
 * Entries, the open ones first by expected announcement, then the rest;
 * only the one of id, or of ref, or of notice_id when one is given.
 */
int store_plans(struct store *s, int64_t id, const char *ref,
		const char *notice_id, struct plan **out, size_t *n);
/* Links the entry to the notice it became (NULL unlinks). */
int store_plan_link(struct store *s, int64_t id, const char *notice_id,
		    time_t now, int *found);
/* Entries linked whose `opened` mails are not queued; and that they are. */
int store_plans_to_open(struct store *s, struct plan **out, size_t *n);
int store_plan_opened(struct store *s, int64_t id, time_t now);

/* A stored notice that may be what an entry became. */
struct plan_candidate {
	char *notice_id;
	char *title;
	char *cpv;		/* space-separated */
	char *kind;		/* "planning", "competition" */
	time_t published;
};

void plan_candidates_free(struct plan_candidate *c, size_t n);
/*
 * Current prior information and contract notices (not the unit's own
 * plan or RFI notices) of the buyers (organisation numbers, NULL-
 * terminated) published since a day, not linked to any entry yet.
 */
int store_plan_candidates(struct store *s, char *const *buyers,
			  time_t since, struct plan_candidate **out, size_t *n);

struct plan_proposal {
	int64_t plan_id;
	char *notice_id;
	char *title;		/* the notice's */
	char *kind;
	double score;
};

int store_plan_propose(struct store *s, int64_t plan_id, const char *notice_id,
		       double score, time_t now);
void plan_proposals_free(struct plan_proposal *p, size_t n);
/* Proposals for open entries (of plan_id only, unless 0), best first. */
int store_plan_proposals(struct store *s, int64_t plan_id,
			 struct plan_proposal **out, size_t *n);

#endif
