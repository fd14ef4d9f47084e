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
	/* the firm figures count local firms only: those of the
	   municipalities the service names ([service] municipalities) */
	long firms_subscribed;		/* subscribed at the quarter's end */
	long firms_alerted;		/* distinct firms mailed about at least one lot */
	long firms_registered;		/* distinct firms registered for a meeting */
	long firms_attending;		/* distinct firms that attended a meeting */
	long firms_answering_rfi;	/* distinct firms that answered an RFI */
	long firms_bidding;		/* distinct firms that reported a bid */
	long firms_winning;		/* distinct firms among award winners */
	long meetings_held;
	/* the three below are of meetings that have begun */
	long meeting_seats_taken;	/* registrations */
	long meeting_attendees;		/* attendances; may exceed registrations */
	long meeting_shows;		/* registrations whose firm came: at
					   most meeting_seats_taken */
	long lead_time_n;		/* procedures with both an early notice and a contract notice */
	double lead_time_days;		/* mean days from first early notice to contract
					   notice; read only if lead_time_n > 0, then
					   0..REPORT_LEAD_DAYS_MAX */
	/* what firms said: answers of local firms about lots mailed in the
	   quarter (by the mail's day), and survey answers of the meetings
	   begun in it */
	long alerts_answered;		/* matches answered relevant or not */
	long alerts_relevant;		/* of those, relevant: at most
					   alerts_answered */
	long survey_responses;		/* meeting survey answers */
	long survey_rating_sum;		/* their ratings (1..5) added up */
};

/*
 * The unit's decisions on dividing its procurements (LOU 4 kap. 14 §)
 * made in the period and still in force: how many of each kind, then,
 * for those not divided, how many gave each reason (one decision may give
 * several). The words are in the report's language.
 */
struct report_decision {
	const char *words;	/* "Delas inte upp", or a reason */
	int is_reason;
	long count;
};

/*
 * The rows must be sorted by year, quarter, then category key (strcmp,
 * NULL first), each pair of quarter and category at most once, and every
 * quarter from the first to the last must have its totals row (zeros
 * where nothing happened): the charts put the quarters side by side, and
 * a missing one would hide a gap. Figures are not negative, large_divided
 * is at most large and meeting_shows at most meeting_seats_taken,
 * alerts_relevant at most alerts_answered, survey_rating_sum between
 * survey_responses and five times it. Both renderers check this and refuse,
 * through error(), what breaks it.
 */
struct report {
	const char *service;		/* "Exempelkommun" */
	time_t from, to;		/* period covered, [from, to), from < to */
	time_t generated;
	const struct report_row *rows;	/* sorted as above */
	size_t nrows;
	const struct report_decision *decisions;	/* NULL: none */
	size_t ndecisions;
};

/*
 * One CSV table of the rows (the decisions are in the HTML and the
 * workbook) as Swedish Excel opens it: UTF-8 with a byte order mark,
 * semicolons, CRLF line ends, a decimal comma, no digit grouping. A
 * header line in lang ("en", else Swedish), then one line per row: the
 * quarter as "2026-Q1", the category's key and name (empty for the
 * totals), then every figure the HTML shows, in its order; a share or
 * mean with one decimal, empty where it is undefined. Fields with
 * semicolons, quotes or line ends are quoted. Appends to out; on error
 * out is left as it was.
 */
int report_csv(const struct report *r, const char *lang, struct buf *out);

/*
 * The same table as an Excel workbook (.xlsx, by libxlsxwriter): a
 * sheet of the figures as numbers, the shares as percentages, and one of
 * the decisions on dividing when there are any. The workbook
 * is made in a temporary file under $TMPDIR (/tmp), read into out and
 * removed. Appends to out; on error (out's cap too) out is as it was.
 */
int report_xlsx(const struct report *r, const char *lang, struct buf *out);

/*
 * One self-contained HTML5 file in lang "en", else Swedish: no scripts,
 * no external resources, CSS inline, charts as inline SVG with the same
 * figures in tables after them; printable. An empty report says that
 * there is no data for the period. Times are local (TZ). Appends to out;
 * on error (a bad report, out's cap) out is left as it was.
 */
int report_html(const struct report *r, const char *lang, struct buf *out);
/*
 * The same as a part of another page (the staff's): one <section> with
 * the style of its charts and tables, the period, and the figures,
 * without the document around it, its head or its heading.
 */
int report_html_part(const struct report *r, const char *lang,
		     struct buf *out);

/*
 * What a reader asks of the report, as the command line and the staff's
 * page take it: every field a text as typed, NULL or "" when not given.
 */
struct report_request {
	const char *period;	/* "2026-Q3" or "2026" */
	const char *from, *to;	/* YYYY-MM-DD, both days counted */
	const char *category;	/* a category key: only its rows */
	const char *format;	/* "html" (default), "csv", "xlsx" */
	const char *lang;	/* "en", else Swedish */
	const char *messages;	/* a fault's language; NULL: lang's */
	int part;		/* html: report_html_part, for a page */
};

/*
 * The Content-Type and the file name a download of format is served
 * with: "text/csv; charset=utf-8" and "rapport.csv" (or "report.csv" in
 * English), and so on; html for any other.
 */
const char *report_media_type(const char *format);
const char *report_file_name(const char *format, const char *lang);

/* What is wrong with a request: its field ("period", "from", ...) and a
 * sentence in the request's language that names it. */
struct report_fault {
	const char *field;	/* NULL: not the request's fault */
	char text[200];
};

/*
 * The local period [from, to) of a request: a quarter, a year, or from
 * and to, to's whole day included. Without a period or from, the four
 * quarters before now's and now's; without one, to is the end of now's
 * day. -1 with *f filled when the request is wrong; nothing is logged.
 */
int report_period(const struct report_request *q, time_t now, time_t *from,
		  time_t *to, struct report_fault *f);

#endif
