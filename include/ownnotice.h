#ifndef TENDERLOTS_OWNNOTICE_H
#define TENDERLOTS_OWNNOTICE_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "notice.h"

struct rfi_desk;

/*
 * A procurement the unit published in its own notice database (below the
 * EU thresholds it never reaches TED), added to tenderlots by its link so
 * that local firms hear of it too. It is the municipality's own ([service]
 * own_buyers' first organisation number), stored as the notice "own-ID"
 * of subtype "link", split, matched, mailed and listed like any notice,
 * and withdrawn with a reason the firms told of it read. The operations
 * take the unit's desk (rfi.h): the store, the configuration, the
 * categories and the time, for the command line and the staff's pages.
 */
struct own_notice {
	char *url;		/* https://, the notice in the database */
	char *title;
	char *description;	/* NULL: none */
	enum notice_kind kind;	/* NOTICE_COMPETITION, _PLANNING or _RFI */
	int has_deadline;
	time_t deadline;
	char **categories;	/* registered category keys */
	size_t ncategories;
	char **cpv;		/* known 8-digit codes */
	size_t ncpv;
	int has_value;
	double value;		/* SEK */
};

#define OWN_NOTICE_TITLE_MAX		200
#define OWN_NOTICE_DESCRIPTION_MAX	4000
#define OWN_NOTICE_URL_MAX		2000

/* The fields as typed on the command line or a form; NULL: not given. */
struct own_notice_input {
	const char *url;
	const char *title;
	const char *description;
	const char *deadline;	/* YYYY-MM-DD or YYYY-MM-DDTHH:MM, local */
	const char *categories;	/* keys, separated by commas or spaces */
	const char *cpv;	/* likewise */
	const char *value;	/* kronor, as amount.h reads them */
	const char *kind;	/* tender (default), planned or rfi */
};

struct own_notice *own_notice_new(void);
void own_notice_free(struct own_notice *o);

/*
 * Reads in as the unit may publish it: an https link not added before,
 * a title, a deadline ahead, registered categories, known CPV codes (one
 * of the two at least). 0 with *out a new notice; 1 when refused, with
 * *field the name of the field at fault ("url", "title", ...) and why
 * saying what in lang ("sv" or "en"), naming the stored notice for a
 * link added before; -1 on an error.
 */
int own_notice_read(const struct rfi_desk *d,
		    const struct own_notice_input *in, const char *lang,
		    struct own_notice **out, const char **field,
		    struct buf *why);

/* The categories o falls into and how many firms it would reach. */
int own_notice_preview(const struct rfi_desk *d, const struct own_notice *o,
		       char ***categories, size_t *ncategories, size_t *firms);

/*
 * Stores o, added by `by` (a staff name, "cli"), as a notice, matches it
 * and queues nothing: the next run mails. Its id into notice_id.
 */
int own_notice_publish(const struct rfi_desk *d, const struct own_notice *o,
		       const char *by, char *notice_id, size_t len,
		       unsigned *firms);

/* Why a notice is withdrawn: one line the firms told of it read. */
#define OWN_NOTICE_WHY_MAX	1000

/*
 * Withdraws the unit's notice notice_id: off the public pages, the
 * feeds and the report, and the firms told of it get a short mail saying
 * so and why. -1, reported, if it is no such notice or withdrawn already.
 */
int own_notice_withdraw(const struct rfi_desk *d, const char *notice_id,
			const char *why);

#endif
