/* The report's three charts, as inline SVG with their own scales. */
#include <math.h>
#include <string.h>

#include "report_int.h"

/* The charts' drawing, in the units of their viewBox. */
#define CHART_W 800
#define CHAR_W 7		/* a digit of a 12px label, roughly */
#define BAR_COLOUR "#0b4f9c"

/*
 * The trend chart's lines. Colour and dash pattern both differ, and each
 * has its own marker, so the lines stay apart printed in grey.
 */
static const struct series {
	enum figure fig;
	const char *colour;
	const char *dash;	/* NULL: solid */
} trend_series[] = {
	{ FIG_ALERTED, "#0b4f9c", NULL },
	{ FIG_ATTENDING, "#b35900", "10 5" },
	{ FIG_ANSWERING_RFI, "#1b7837", "2 4" },
	{ FIG_BIDDING, "#762a83", "10 4 2 4" },
	{ FIG_WINNING, "#1a1a1a", "10 3 2 3 2 3" },
};

/*
 * A value axis from 0 with round ticks: steps of 1, 2, 5 (2.5 from 25 on)
 * times a power of ten, and never below 1, since the values are counts or
 * percentages.
 */
struct scale {
	double step, top;
	int nticks;		/* ticks above 0 */
};

static void
scale_for(struct scale *s, double max)
{
	double raw = max / 4, mag, f;

	if (raw < 1)
		raw = 1;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	if (f <= 1)
		f = 1;
	else if (f <= 2)
		f = 2;
	else if (f <= 2.5 && mag >= 10)
		f = 2.5;
	else if (f <= 5)
		f = 5;
	else
		f = 10;
	s->step = f * mag;
	s->nticks = (int)ceil(max / s->step);
	if (s->nticks < 1)
		s->nticks = 1;
	s->top = s->nticks * s->step;
}

static void
format_tick(char out[NUM_MAX], const struct lang *l, double v, int percent)
{
	rp_format_decimal(out, v, 0, l->group, l->point);
	if (percent)
		strcat(out, l->percent);
}

/* Room left of a vertical axis for its tick labels and its title. */
static int
axis_margin(const struct lang *l, const struct scale *s, int percent)
{
	char top[NUM_MAX];

	format_tick(top, l, s->top, percent);
	return 34 + CHAR_W * (int)strlen(top);
}

static long
y_of(const struct scale *s, double v, int top, int height)
{
	return lround(top + height - v / s->top * height);
}

/* Horizontal grid lines with their labels, and the axis title. */
static void
put_value_axis(struct out *o, const struct scale *s, int left, int right,
	       int top, int height, int percent, const char *title)
{
	char label[NUM_MAX];
	long y;
	int i;

	for (i = 0; i <= s->nticks; i++) {
		y = y_of(s, i * s->step, top, height);
		format_tick(label, o->l, i * s->step, percent);
		rp_putf(o, "<line class=\"%s\" x1=\"%d\" y1=\"%ld\" x2=\"%d\" "
			"y2=\"%ld\" />\n", i ? "grid" : "axis", left, y, right,
			y);
		rp_putf(o, "<text class=\"tick\" x=\"%d\" y=\"%ld\" "
			"text-anchor=\"end\">%s</text>\n", left - 6, y + 4,
			label);
	}
	rp_putf(o, "<text x=\"%d\" y=\"14\" transform=\"rotate(-90)\" "
		"text-anchor=\"middle\">%s</text>\n", -(top + height / 2),
		title);
}


/*
 * Where quarter i of nq sits between left and right: in the middle of its
 * slot for bars; for lines, spread out with the first and last a little
 * in from the axes, and a single quarter in the middle.
 */
static long
quarter_x(size_t i, size_t nq, int left, int right, int bars)
{
	if (bars)
		return lround(left + (right - left) * ((double)i + 0.5) /
				     (double)nq);
	if (nq == 1)
		return (left + right) / 2;
	return lround(left + 20 + (right - left - 40) * (double)i /
				  (double)(nq - 1));
}

/* Labels under the quarters, fewer when they would run into each other. */
static void
put_quarter_labels(struct out *o, const struct report_row *const *q,
		   size_t nq, int left, int right, int bars, int y)
{
	enum { LABEL_W = 64 };
	size_t i, every = (size_t)LABEL_W * nq / (size_t)(right - left) + 1;

	for (i = 0; i < nq; i += every)
		rp_putf(o, "<text x=\"%ld\" y=\"%d\" text-anchor=\"middle\">"
			"%d-Q%d</text>\n", quarter_x(i, nq, left, right, bars),
			y, q[i]->year, q[i]->quarter);
	rp_putf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
		(left + right) / 2, y + 22, o->l->quarter);
}

static void
put_svg_start(struct out *o, const char *id, int height, const char *title,
	      const char *desc)
{
	rp_putf(o, "<figure>\n<svg viewBox=\"0 0 %d %d\" width=\"100%%\" "
		"role=\"img\" aria-labelledby=\"%s-title %s-desc\">\n"
		"<title id=\"%s-title\">%s</title>\n"
		"<desc id=\"%s-desc\">%s</desc>\n",
		CHART_W, height, id, id, id, title, id, desc);
}

static void
put_svg_end(struct out *o)
{
	rp_put(o, "</svg>\n</figure>\n");
}

/* Series k's marker, a shape of its own, centred on (x, y). */
static void
put_marker(struct out *o, size_t k, long x, long y)
{
	const char *c = trend_series[k].colour;

	switch (k) {
	case 0:
		rp_putf(o, "<circle cx=\"%ld\" cy=\"%ld\" r=\"4\" "
			"fill=\"%s\" />\n", x, y, c);
		break;
	case 1:
		rp_putf(o, "<rect x=\"%ld\" y=\"%ld\" width=\"8\" height=\"8\" "
			"fill=\"%s\" />\n", x - 4, y - 4, c);
		break;
	case 2:
		rp_putf(o, "<polygon points=\"%ld,%ld %ld,%ld %ld,%ld "
			"%ld,%ld\" fill=\"%s\" />\n", x, y - 5, x + 5, y, x,
			y + 5, x - 5, y, c);
		break;
	case 3:
		rp_putf(o, "<polygon points=\"%ld,%ld %ld,%ld %ld,%ld\" "
			"fill=\"%s\" />\n", x, y - 5, x + 5, y + 4, x - 5,
			y + 4, c);
		break;
	default:
		rp_putf(o, "<polygon points=\"%ld,%ld %ld,%ld %ld,%ld\" "
			"fill=\"%s\" />\n", x, y + 5, x + 5, y - 4, x - 5,
			y - 4, c);
	}
}

static void
put_stroke(struct out *o, size_t k)
{
	rp_putf(o, "fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"",
		trend_series[k].colour);
	if (trend_series[k].dash)
		rp_putf(o, " stroke-dasharray=\"%s\"", trend_series[k].dash);
}

/*
 * (1) The firms taking part per quarter, a line per figure, each point
 * marked: a single quarter is a line of one point, which only its marker
 * shows.
 */
void
rp_put_trend_chart(struct out *o, const struct report_row *const *q, size_t nq)
{
	enum { TOP = 16, PLOT_H = 240, LEGEND_ROW = 22 };
	const int bottom = TOP + PLOT_H, legend = bottom + 58;
	const int right = CHART_W - 20;
	struct scale s;
	double max = 0;
	size_t i, k;
	long x, y;
	int left;

	for (i = 0; i < nq; i++)
		for (k = 0; k < COUNT_OF(trend_series); k++)
			max = fmax(max, (double)rp_count_of(q[i],
						trend_series[k].fig));
	scale_for(&s, max);
	left = axis_margin(o->l, &s, 0);
	put_svg_start(o, "trend",
		      legend + (int)COUNT_OF(trend_series) * LEGEND_ROW,
		      o->l->trend_title, o->l->trend_desc);
	put_value_axis(o, &s, left, right, TOP, PLOT_H, 0, o->l->trend_axis);
	put_quarter_labels(o, q, nq, left, right, 0, bottom + 18);
	for (k = 0; k < COUNT_OF(trend_series); k++) {
		rp_put(o, "<polyline points=\"");
		for (i = 0; i < nq; i++)
			rp_putf(o, "%s%ld,%ld", i ? " " : "",
				quarter_x(i, nq, left, right, 0),
				y_of(&s, (double)rp_count_of(q[i],
						trend_series[k].fig),
				     TOP, PLOT_H));
		rp_put(o, "\" ");
		put_stroke(o, k);
		rp_put(o, " />\n");
		for (i = 0; i < nq; i++)
			put_marker(o, k, quarter_x(i, nq, left, right, 0),
				   y_of(&s, (double)rp_count_of(q[i],
						trend_series[k].fig),
					TOP, PLOT_H));
	}
	for (k = 0; k < COUNT_OF(trend_series); k++) {
		x = left;
		y = legend + (long)k * LEGEND_ROW;
		rp_putf(o, "<line x1=\"%ld\" y1=\"%ld\" x2=\"%ld\" y2=\"%ld\" ",
			x, y, x + 44, y);
		put_stroke(o, k);
		rp_put(o, " />\n");
		put_marker(o, k, x + 22, y);
		rp_putf(o, "<text x=\"%ld\" y=\"%ld\">%s</text>\n", x + 54,
			y + 4, o->l->head[trend_series[k].fig]);
	}
	put_svg_end(o);
}

/*
 * (2) The share of large procurements divided, a bar per category over
 * the period. Long names are cut here; the table has them whole.
 */
void
rp_put_share_chart(struct out *o, const struct sum *cats, size_t ncats)
{
	enum { TOP = 8, ROW = 26, BAR = 16, X0 = 240, X1 = 720, NAME = 30 };
	const int bottom = TOP + (int)ncats * ROW;
	char label[NUM_MAX];
	double v;
	size_t i;
	long y, w;
	int t, x;

	put_svg_start(o, "share", bottom + 48, o->l->share_title,
		      o->l->share_desc);
	for (t = 0; t <= 100; t += 25) {
		x = X0 + t * (X1 - X0) / 100;
		format_tick(label, o->l, t, 1);
		rp_putf(o, "<line class=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
			"y2=\"%d\" />\n", t ? "grid" : "axis", x, TOP, x,
			bottom);
		rp_putf(o, "<text class=\"tick\" x=\"%d\" y=\"%d\" "
			"text-anchor=\"middle\">%s</text>\n", x, bottom + 18,
			label);
	}
	rp_putf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
		(X0 + X1) / 2, bottom + 40, o->l->share_axis);
	for (i = 0; i < ncats; i++) {
		y = TOP + (long)i * ROW + (ROW - BAR) / 2;
		rp_putf(o, "<text x=\"%d\" y=\"%ld\" text-anchor=\"end\">",
			X0 - 8, y + BAR - 4);
		rp_put_text(o, cats[i].row.category_name, NAME);
		rp_put(o, "</text>\n");
		rp_format_figure(label, o->l, &cats[i].row, FIG_SHARE_DIVIDED);
		w = 0;
		if (rp_ratio_of(&cats[i].row, FIG_SHARE_DIVIDED, &v)) {
			w = lround(v * (X1 - X0) / 100);
			rp_putf(o, "<rect x=\"%d\" y=\"%ld\" width=\"%ld\" "
				"height=\"%d\" fill=\"%s\" />\n", X0, y, w, BAR,
				BAR_COLOUR);
		}
		rp_putf(o, "<text x=\"%ld\" y=\"%ld\">%s</text>\n", X0 + w + 6,
			y + BAR - 4, label);
	}
	put_svg_end(o);
}

/*
 * A bar per quarter of a share f, its chart named id. The axis reaches
 * past 100 % when a share does.
 */
static void
put_share_bars(struct out *o, const struct report_row *const *q, size_t nq,
	       enum figure f, const char *id, const char *title,
	       const char *desc, const char *axis)
{
	enum { TOP = 16, PLOT_H = 200, ROOM_FOR_VALUE = 48 };
	const int bottom = TOP + PLOT_H, right = CHART_W - 20;
	char label[NUM_MAX];
	struct scale s;
	double max = 100, v, slot;
	size_t i;
	long x, y;
	int left;

	for (i = 0; i < nq; i++)
		if (rp_ratio_of(q[i], f, &v))
			max = fmax(max, v);
	scale_for(&s, max);
	left = axis_margin(o->l, &s, 1);
	slot = (double)(right - left) / (double)nq;
	put_svg_start(o, id, bottom + 48, title, desc);
	put_value_axis(o, &s, left, right, TOP, PLOT_H, 1, axis);
	put_quarter_labels(o, q, nq, left, right, 1, bottom + 18);
	for (i = 0; i < nq; i++) {
		x = quarter_x(i, nq, left, right, 1);
		rp_format_figure(label, o->l, q[i], f);
		if (!rp_ratio_of(q[i], f, &v)) {
			rp_putf(o, "<text x=\"%ld\" y=\"%d\" "
				"text-anchor=\"middle\">%s</text>\n", x,
				bottom - 6, label);
			continue;
		}
		y = y_of(&s, v, TOP, PLOT_H);
		rp_putf(o, "<rect x=\"%ld\" y=\"%ld\" width=\"%ld\" "
			"height=\"%ld\" fill=\"%s\" />\n",
			lround(x - slot * 0.3), y, lround(slot * 0.6),
			bottom - y, BAR_COLOUR);
		if (slot >= ROOM_FOR_VALUE)
			rp_putf(o, "<text x=\"%ld\" y=\"%ld\" "
				"text-anchor=\"middle\">%s</text>\n", x, y - 5,
				label);
	}
	put_svg_end(o);
}

/* (3) Attendances per registration, a bar per quarter. */
void
rp_put_attendance_chart(struct out *o, const struct report_row *const *q,
			size_t nq)
{
	put_share_bars(o, q, nq, FIG_ATTENDANCE, "attendance",
		       o->l->attendance_title, o->l->attendance_desc,
		       o->l->attendance_axis);
}

/* (4) Alerts found relevant per alert answered, a bar per quarter. */
void
rp_put_relevance_chart(struct out *o, const struct report_row *const *q,
		       size_t nq)
{
	put_share_bars(o, q, nq, FIG_SHARE_RELEVANT, "relevance",
		       o->l->relevance_title, o->l->relevance_desc,
		       o->l->relevance_axis);
}
