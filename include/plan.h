#ifndef TENDERLOTS_PLAN_H
#define TENDERLOTS_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"

struct category_set;
struct rfi_desk;
struct store;
struct tpl_vars;

/*
 * The procurement unit's plan (upphandlingsplan): the procurements it
 * means to announce in the months ahead, so that local firms hear of them
 * before any prior information notice. Each entry is published as a
 * planned procurement of the unit's own, the notice "plan-ID" (kind
 * planning, subtype "plan", one lot, no place: open to every firm), which
 * is stored, split, matched and mailed (an `early` mail) as any notice;
 * a change is a new version of it, whose changes go to the firms told.
 */
enum plan_status { PLAN_PLANNED, PLAN_POSTPONED, PLAN_DROPPED,
		   PLAN_PUBLISHED };
enum plan_divisible { PLAN_UNDECIDED, PLAN_DIVISIBLE, PLAN_NOT_DIVISIBLE };

struct plan {
	int64_t id;		/* store row id; 0 until stored */
	char *ref;		/* the unit's own reference ("UP-2027-04"),
				   unique; NULL for none */
	char *title;		/* one line */
	char *description;	/* one line; NULL for none */
	char *categories;	/* category keys, space-separated; NULL */
	char *cpv;		/* 8-digit CPV codes, space-separated; NULL */
	int has_value;
	double value;		/* estimated, SEK */
	char *announce;		/* expected announcement: "2027-03", "2027-Q2" */
	char *contract_start;	/* a month, "2027-09"; NULL for none */
	int divisible;		/* enum plan_divisible */
	char *contact;		/* "Name <addr>" */
	int status;		/* enum plan_status */
	char *why;		/* why it was dropped; NULL */
	char *notice_id;	/* "plan-ID", once stored */
	char *linked;		/* the notice it became; NULL */
	time_t created_at;
	time_t updated_at;
};

#define PLAN_TITLE_MAX		200
#define PLAN_DESCRIPTION_MAX	4000
#define PLAN_REF_MAX		64
#define PLAN_WHY_MAX		1000
/* Rows of one CSV file; the file's bytes are capped by who reads it. */
#define PLAN_CSV_ROWS_MAX	2000
#define PLAN_CSV_BYTES_MAX	(2u << 20)
/* Where the staff's pages take such a file, and a form's bytes with it. */
#define PLAN_UPLOAD_PATH	"/staff/plan/import"
#define PLAN_UPLOAD_MAX		(PLAN_CSV_BYTES_MAX + (64u << 10))

struct plan *plan_new(void);
void plan_free(struct plan *p);
/* An array of entries, as the store and the parser give them. */
void plans_free(struct plan *v, size_t n);

/* The fields, as CSV columns and form fields name them. */
enum plan_field {
	PLAN_F_REF, PLAN_F_TITLE, PLAN_F_DESCRIPTION, PLAN_F_CATEGORIES,
	PLAN_F_CPV, PLAN_F_VALUE, PLAN_F_ANNOUNCE, PLAN_F_CONTRACT_START,
	PLAN_F_DIVISIBLE, PLAN_F_CONTACT, PLAN_NFIELDS
};

/* The English name of a field ("announcement"), as errors say it. */
const char *plan_field_name(enum plan_field f);

/*
 * Reads the text of field f into p, checked (categories against cs);
 * -1 with why (English, one clause) if it is refused. A blank optional
 * field unsets it.
 */
int plan_set_field(struct plan *p, enum plan_field f, const char *text,
		   const struct category_set *cs, struct buf *why);
/* The checks of a whole entry: title, announcement, contact, and
 * categories or CPV codes; reported as set_field does, *f the field. */
int plan_check(const struct plan *p, enum plan_field *f, struct buf *why);
/* The text of field f as plan_set_field reads it back unchanged. */
int plan_field_text(const struct plan *p, enum plan_field f, struct buf *out);

const char *plan_status_name(int status);	/* "planned", ... */

/*
 * Parses a CSV file of the plan as Excel exports it (comma or semicolon,
 * a byte order mark or not; UTF-8 only: another encoding is refused
 * whole, naming the first line that is not UTF-8). Columns by their
 * Swedish or English names: titel/title, beskrivning/description,
 * kategorier/categories, cpv, värde/value, annonseras/announcement,
 * avtalsstart/contract_start, delbar/divisible, kontakt/contact, id/nr.
 * Every bad row is appended to errors as "file:line: field: message\n"
 * and skipped, counted in *nbad; the good rows are returned. -1, with
 * its reason in errors, when the file itself is unusable.
 */
int plan_csv_parse(const char *data, size_t len, const char *filename,
		   const struct category_set *cs, struct plan **out,
		   size_t *n, unsigned *nbad, struct buf *errors);

/* What an import did, or would do (dry run). */
struct plan_import_counts {
	unsigned added, updated, unchanged;
};

/*
 * Stores the entries: one whose ref is stored already is updated (its
 * notice gets a new version, and the firms told of it the changes),
 * any other added and published. A dropped or published entry's row is
 * not changed: errors says so, naming the file and its ref. Nothing is
 * stored with dry_run, only counted.
 */
int plan_import(const struct rfi_desk *d, struct plan *v, size_t n,
		const char *filename, int dry_run,
		struct plan_import_counts *c, struct buf *errors);

/* Adds p (id 0) and publishes it, or replaces the entry p->id by it. */
int plan_save(const struct rfi_desk *d, struct plan *p, const char *source);

/*
 * A new expected announcement (postponed, or sooner): the firms told of
 * the entry get a change mail, old -> new.
 */
int plan_postpone(const struct rfi_desk *d, int64_t id, const char *announce);
/*
 * Drops an entry the unit will not procure: off the public pages, the
 * feeds and the split advice; the firms told of it get a change mail
 * saying so and why (one line).
 */
int plan_drop(const struct rfi_desk *d, int64_t id, const char *why);
/*
 * The notice the entry became (a prior information or contract notice
 * stored): the next run mails the firms told of the entry an `opened`
 * mail naming it. unlink undoes a link made by mistake.
 */
int plan_link(const struct rfi_desk *d, int64_t id, const char *notice_id);
int plan_unlink(const struct rfi_desk *d, int64_t id);

/*
 * Proposes links: for each open entry, the stored prior information and
 * contract notices of own_buyers published since the entry was made,
 * scored on CPV overlap and title words; those at PLAN_PROPOSE_MIN or
 * more are kept for the unit to accept (plan_link). Nothing is linked.
 */
#define PLAN_PROPOSE_MIN 0.35
int plan_propose(const struct rfi_desk *d, unsigned *proposed);
/*
 * The score of a notice (title, codes space-separated) for p, 0 to 1:
 * half its codes' nearness to the entry's (its own and its categories'),
 * half the share of the entry's title words in the notice's title.
 */
double plan_score(const struct plan *p, const struct category_set *cs,
		  const char *title, const char *cpv);

/*
 * The fields an `early` mail about notice_id adds when it is a plan
 * entry: plan, plan_title, announce ("under andra kvartalet 2027", "in
 * March 2027") and contract_start in lang. Nothing for another notice.
 */
int plan_mail_fields(struct store *s, const char *notice_id, const char *lang,
		     struct tpl_vars *v);
/*
 * "2027-Q2" or "2027-03" in words of lang appended to out: "andra
 * kvartalet 2027", "March 2027". The mail fields say when: "under andra
 * kvartalet 2027", "i mars 2027", "in March 2027".
 */
int plan_period_words(const char *period, const char *lang, struct buf *out);

#endif
