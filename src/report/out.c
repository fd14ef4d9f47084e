/*
 * Where the renderers write, and how: text as given or escaped for HTML
 * and SVG, and numbers as a language writes them.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "report_int.h"
#include "utf8.h"

void
rp_put_len(struct out *o, const char *s, size_t len)
{
	if (o->state != OUT_OK)
		return;
	if (len > o->b->max - o->b->len)
		o->state = OUT_TOO_LONG;
	else if (buf_add(o->b, s, len) < 0)
		o->state = OUT_NO_MEMORY;
}

void
rp_put(struct out *o, const char *s)
{
	rp_put_len(o, s, strlen(s));
}
void
rp_putf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->state != OUT_OK)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n > o->b->max - o->b->len)
		o->state = OUT_TOO_LONG;
	else if (buf_vprintf(o->b, fmt, ap) < 0)
		o->state = OUT_NO_MEMORY;
	va_end(ap);
}

/* Reports a failed render and takes out back to its length before it. */
int
rp_finish(struct out *o, size_t len)
{
	if (o->state == OUT_OK)
		return 0;
	o->b->len = len;
	if (o->b->data)
		o->b->data[len] = '\0';
	if (o->state == OUT_TOO_LONG)
		return error("report: longer than %zu bytes", o->b->max);
	return error("report: out of memory");
}

/* The bytes of the character at p, at least 1: a byte that starts no
 * UTF-8 sequence counts as a character of its own. */
static size_t
char_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] < 0x80 ? 1 : utf8_seq_len(p, n);

	return len ? len : 1;
}

/*
 * Text from the data, HTML-escaped; at most max characters (0: all), a
 * longer text cut to end in "…". A byte that is not UTF-8 becomes U+FFFD
 * and a control character a space, so the document stays well-formed
 * whatever the database holds.
 */
void
rp_put_text(struct out *o, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i, len, chars = 0, total = 0;

	for (i = 0; i < n; i += char_len(p + i, n - i))
		total++;
	for (i = 0; i < n; i += len, chars++) {
		len = char_len(p + i, n - i);
		if (max && total > max && chars == max - 1) {
			rp_put(o, "…");
			return;
		}
		if (p[i] >= 0x80 && len == 1)
			rp_put(o, "\xef\xbf\xbd");
		else if (p[i] >= 0x80)
			rp_put_len(o, s + i, len);
		else if (p[i] == '&')
			rp_put(o, "&amp;");
		else if (p[i] == '<')
			rp_put(o, "&lt;");
		else if (p[i] == '>')
			rp_put(o, "&gt;");
		else if (p[i] == '"')
			rp_put(o, "&quot;");
		else if (p[i] == '\'')
			rp_put(o, "&#39;");
		else if (p[i] < 0x20 || p[i] == 0x7f)
			rp_put(o, " ");
		else
			rp_put_len(o, s + i, 1);
	}
}

/*
 * digits, a run of decimal digits whose last `decimals` (0 or 1) are the
 * fraction, written with the digits grouped in threes by group (none if
 * 0) and the decimal mark point.
 */
static void
group_digits(char out[NUM_MAX], const char *digits, int decimals, char group,
	     char point)
{
	int n = (int)strnlen(digits, NUM_MAX / 2 - 1), whole = n - decimals;
	int i;
	size_t k = 0;

	if (whole <= 0)
		out[k++] = '0';
	for (i = 0; i < whole; i++) {
		if (group && i && (whole - i) % 3 == 0)
			out[k++] = group;
		out[k++] = digits[i];
	}
	if (decimals) {
		out[k++] = point;
		out[k++] = n > 0 ? digits[n - 1] : '0';
	}
	out[k] = '\0';
}

/* A count, exactly: a long is wider than a double's mantissa. */
static void
format_count(char out[NUM_MAX], long v, char group)
{
	char digits[NUM_MAX / 2];

	snprintf(digits, sizeof digits, "%ld", v);
	group_digits(out, digits, 0, group, 0);
}

/*
 * v (not negative) with `decimals` (0 or 1) decimals. The digits come from
 * "%.0f" of the value in tenths, which no locale changes, so the CSV and
 * the SVG coordinates stay the same if the program ever calls setlocale.
 */
void
rp_format_decimal(char out[NUM_MAX], double v, int decimals, char group,
		  char point)
{
	char digits[NUM_MAX / 2];

	snprintf(digits, sizeof digits, "%.0f", round(decimals ? v * 10 : v));
	group_digits(out, digits, decimals, group, point);
}

/* A figure as the language writes it; "–" where it is undefined. */
void
rp_format_figure(char out[NUM_MAX], const struct lang *l,
		 const struct report_row *x, enum figure f)
{
	double v;

	if (!rp_is_ratio(f)) {
		format_count(out, rp_count_of(x, f), l->group);
		return;
	}
	if (!rp_ratio_of(x, f, &v)) {
		strcpy(out, "–");
		return;
	}
	rp_format_decimal(out, v, 1, l->group, l->point);
	if (rp_is_percent(f))
		strcat(out, l->percent);
}


const char *
rp_column_head(const struct lang *l, enum figure f, char out[HEAD_MAX])
{
	snprintf(out, HEAD_MAX, "%s%s", l->head[f],
		 rp_is_percent(f) ? " (%)" : "");
	return out;
}

int
rp_format_plain(char out[NUM_MAX], const struct report_row *x, enum figure f)
{
	double v;

	out[0] = '\0';
	if (!rp_is_ratio(f)) {
		format_count(out, rp_count_of(x, f), 0);
		return 0;
	}
	if (!rp_ratio_of(x, f, &v))
		return -1;
	rp_format_decimal(out, v, 1, 0, ',');
	return 0;
}
