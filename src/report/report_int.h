#ifndef TENDERLOTS_REPORT_INT_H
#define TENDERLOTS_REPORT_INT_H

/*
 * What the parts of the report share: the figures it shows, the words of
 * its languages, and where the renderers write. Only src/report/ includes
 * it; report.h is the interface.
 */

#include <stddef.h>

#include "buf.h"
#include "report.h"

enum figure {
	FIG_NOTICES, FIG_LOTS, FIG_CATEGORY_LOTS, FIG_LARGE, FIG_LARGE_DIVIDED,
	FIG_SHARE_DIVIDED, FIG_LEAD_TIME, FIG_LEAD_TIME_N,
	FIG_SUBSCRIBED, FIG_ALERTED, FIG_REGISTERED, FIG_ATTENDING,
	FIG_ANSWERING_RFI, FIG_BIDDING, FIG_WINNING,
	FIG_MEETINGS, FIG_SEATS, FIG_ATTENDEES, FIG_SHOWS, FIG_ATTENDANCE,
	FIG_ALERTS_ANSWERED, FIG_ALERTS_RELEVANT, FIG_SHARE_RELEVANT,
	FIG_SURVEY_RESPONSES, FIG_SURVEY_MEAN,
	NFIGURES
};

/* The words of one language; its figures' texts are indexed by figure. */
struct lang {
	const char *code;
	char group, point;	/* digit grouping and decimal mark */
	const char *percent;	/* after a number */
	const char *title, *period, *generated, *about, *no_data;
	const char *sheet;	/* a workbook sheet's name, at most 31 */
	const char *quarter, *category, *category_key, *all_categories;
	const char *meaning;	/* heading of a table's explanations */
	const char *firms_h, *firms_note, *trend_title, *trend_desc,
		   *trend_axis, *firms_caption;
	const char *procurement_h, *procurement_caption, *lead_caption,
		   *share_title,
		   *share_desc, *share_axis, *categories_caption,
		   *categories_note, *no_categories;
	const char *meetings_h, *attendance_title, *attendance_desc,
		   *attendance_axis, *meetings_caption;
	const char *feedback_h, *feedback_note, *feedback_caption,
		   *relevance_title, *relevance_desc, *relevance_axis;
	const char *decisions_h, *decisions_note, *decisions_caption,
		   *reasons_caption, *decisions_sheet, *decision, *reason,
		   *decisions_count;
	const char *head[NFIGURES];
	const char *explain[NFIGURES];
};

#define COUNT_OF(a) (sizeof (a) / sizeof (a)[0])

/*
 * Where the renderers write. Appends stop at the first that fails and the
 * renderer looks once at the end, as with ferror(): a report is hundreds
 * of appends, and checking each would bury what is written.
 */
enum out_state { OUT_OK, OUT_TOO_LONG, OUT_NO_MEMORY };

struct out {
	struct buf *b;
	const struct lang *l;
	enum out_state state;
};

/* Room for a grouped number: 40 digits and their separators. */
#define NUM_MAX 64

/*
 * A category's procurement figures added up over the period, in row, with
 * row.lead_time_days the mean weighted by each quarter's lead_time_n.
 */
struct sum {
	struct report_row row;
	double lead_days;	/* days over every procedure */
};

/*
 * The figures (model.c), with no output: a figure of a row, whether it is
 * a share or mean, the check of what report.h asks of a report, the
 * totals row of each quarter and each category's sum over the period.
 */
long rp_count_of(const struct report_row *x, enum figure f);
int rp_ratio_of(const struct report_row *x, enum figure f, double *v);
int rp_is_ratio(enum figure f);
int rp_is_percent(enum figure f);
int rp_check_report(const struct report *r, size_t *nquarters);
int rp_collect_totals(const struct report *r, size_t nquarters,
		      const struct report_row ***out);
int rp_sum_categories(const struct report *r, struct sum **cats,
		      size_t *ncats, struct sum *all);

/* A request's fault, as report_fault has it (period.c); returns -1. */
int rp_fault(struct report_fault *f, const char *field, const char *value,
	     const char *what);

/* The words of lang (words.c). */
const struct lang *rp_lang(const char *code);

/* Writing (out.c): text, escaped text, numbers as a language writes them. */
void rp_put_len(struct out *o, const char *s, size_t len);
void rp_put(struct out *o, const char *s);
void rp_putf(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int rp_finish(struct out *o, size_t len);
void rp_put_text(struct out *o, const char *s, size_t max);
void rp_format_decimal(char out[NUM_MAX], double v, int decimals, char group,
		       char point);
void rp_format_figure(char out[NUM_MAX], const struct lang *l,
		      const struct report_row *x, enum figure f);

/* A table column's head for a spreadsheet: a share says it is in %. */
#define HEAD_MAX 128
const char *rp_column_head(const struct lang *l, enum figure f,
			   char out[HEAD_MAX]);
/*
 * A figure as a spreadsheet reads it: no grouping, a decimal comma, no
 * unit; -1 (out empty) where it is undefined.
 */
int rp_format_plain(char out[NUM_MAX], const struct report_row *x,
		    enum figure f);

/* The charts (svg.c), each a <figure> with an inline SVG. */
void rp_put_trend_chart(struct out *o, const struct report_row *const *q,
			size_t nq);
void rp_put_share_chart(struct out *o, const struct sum *cats, size_t ncats);
void rp_put_attendance_chart(struct out *o, const struct report_row *const *q,
			     size_t nq);
void rp_put_relevance_chart(struct out *o, const struct report_row *const *q,
			    size_t nq);

#endif
