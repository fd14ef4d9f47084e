/* The report as one CSV table, a line per row as given. */
#include <string.h>

#include "report_int.h"

static void
put_csv_field(struct out *o, const char *s)
{
	const char *q;

	rp_put(o, ",");
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		rp_put(o, s);
		return;
	}
	rp_put(o, "\"");
	while ((q = strchr(s, '"'))) {
		rp_put_len(o, s, (size_t)(q - s) + 1);
		rp_put(o, "\"");
		s = q + 1;
	}
	rp_put(o, s);
	rp_put(o, "\"");
}

int
report_csv(const struct report *r, struct buf *out)
{
	struct out o = { .b = out };
	const size_t len = out->len;
	const struct report_row *x;
	char lead[NUM_MAX];
	size_t i, nq;

	if (rp_check_report(r, &nq) < 0)
		return -1;
	rp_put(&o, "quarter,category,category_name,notices,lots,category_lots,"
	       "large,large_divided,firms_subscribed,firms_alerted,"
	       "firms_registered,firms_attending,firms_answering_rfi,"
	       "firms_bidding,firms_winning,meetings_held,meeting_seats_taken,"
	       "meeting_attendees,lead_time_n,lead_time_days\r\n");
	for (i = 0; i < r->nrows; i++) {
		x = &r->rows[i];
		rp_putf(&o, "%d-Q%d", x->year, x->quarter);
		put_csv_field(&o, x->category);
		put_csv_field(&o, x->category ? x->category_name : NULL);
		rp_putf(&o, ",%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,"
			"%ld,%ld,%ld,%ld,", x->notices, x->lots,
			x->category_lots, x->large, x->large_divided,
			x->firms_subscribed, x->firms_alerted,
			x->firms_registered, x->firms_attending,
			x->firms_answering_rfi, x->firms_bidding,
			x->firms_winning, x->meetings_held,
			x->meeting_seats_taken, x->meeting_attendees,
			x->lead_time_n);
		if (x->lead_time_n > 0) {
			rp_format_decimal(lead, x->lead_time_days, 1, 0, '.');
			rp_put(&o, lead);
		}
		rp_put(&o, "\r\n");
	}
	return rp_finish(&o, len);
}
