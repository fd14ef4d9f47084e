#ifndef TENDERLOTS_REPORT_H
#define TENDERLOTS_REPORT_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

/*
 * The quarterly report for the municipality's business-development unit
 * (näringslivsenheten), who follow how local firms take part in public
 * procurement over time. The figures are computed elsewhere; this module
 * only renders them, as a CSV table and as one self-contained HTML file
 * with charts. Only aggregate figures exist here, never a firm.
 */

/* A mean lead time above this many days is a mistake in its unit. */
#define REPORT_LEAD_DAYS_MAX 100000.0

/*
 * Figures for one category in one quarter; category NULL = all categories
 * together (the totals row of that quarter). The firm counts are of
 * distinct firms within the quarter, so they do not add up across quarters
 * or categories; the renderer never sums them. The counts of things
 * (notices, lots, meetings, ...) do add up across quarters.
 */
struct report_row {
	const char *category;		/* key, e.g. "maleri"; NULL: all */
	const char *category_name;	/* "Måleri", in the language the report
					   is rendered in; NULL: the key */
	int year, quarter;		/* 2026, 1..4 */
	long notices;			/* procurement notices published (PIN, RFI, CN) */
	long lots;			/* their lots */
	long category_lots;		/* their parts by category */
	long large;			/* large procurements (above the category's band) */
	long large_divided;		/* of those, divided into several lots */
	long firms_subscribed;		/* local firms subscribed at the quarter's end */
	long firms_alerted;		/* distinct firms mailed about at least one lot */
	long firms_registered;		/* distinct firms registered for a meeting */
	long firms_attending;		/* distinct firms that attended a meeting */
	long firms_answering_rfi;	/* distinct firms that answered an RFI */
	long firms_bidding;		/* distinct firms that reported a bid */
	long firms_winning;		/* distinct local firms among award winners */
	long meetings_held;
	long meeting_seats_taken;	/* registrations */
	long meeting_attendees;		/* attendances; may exceed registrations */
	long lead_time_n;		/* procedures with both an early notice and a contract notice */
	double lead_time_days;		/* mean days from first early notice to contract
					   notice; read only if lead_time_n > 0, then
					   0..REPORT_LEAD_DAYS_MAX */
};

/*
 * The rows must be sorted by year, quarter, then category key (strcmp,
 * NULL first), each pair of quarter and category at most once, and every
 * quarter from the first to the last must have its totals row (zeros
 * where nothing happened): the charts put the quarters side by side, and
 * a missing one would hide a gap. Figures are not negative and
 * large_divided is at most large. Both renderers check this and refuse,
 * through error(), what breaks it.
 */
struct report {
	const char *service;		/* "Exempelkommun" */
	time_t from, to;		/* period covered, [from, to), from < to */
	time_t generated;
	const struct report_row *rows;	/* sorted as above */
	size_t nrows;
};

/*
 * One CSV table (RFC 4180, UTF-8 without a byte order mark, comma, header
 * line, CRLF line ends): one line per row with every field above, the
 * quarter as "2026-Q1" first, NULL as an empty field, numbers without
 * digit grouping, the lead time with one decimal ("12.5") or empty when
 * lead_time_n is 0. Fields with commas, quotes or line ends are quoted.
 * Appends to out; on error out is left as it was.
 */
int report_csv(const struct report *r, struct buf *out);

/*
 * One self-contained HTML5 file in lang "en", else Swedish: no scripts,
 * no external resources, CSS inline, charts as inline SVG with the same
 * figures in tables after them; printable. An empty report says that
 * there is no data for the period. Times are local (TZ). Appends to out;
 * on error (a bad report, out's cap) out is left as it was.
 */
int report_html(const struct report *r, const char *lang, struct buf *out);

#endif
