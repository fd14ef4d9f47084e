/* The report as one CSV table for Swedish Excel, a line per row as given. */
#include <string.h>

#include "report_int.h"

static void
put_csv_field(struct out *o, const char *s)
{
	const char *q;

	if (!s)
		return;
	if (!strpbrk(s, ";\"\r\n")) {
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
report_csv(const struct report *r, const char *lang, struct buf *out)
{
	const struct lang *l = rp_lang(lang);
	struct out o = { .b = out, .l = l };
	const size_t len = out->len;
	const struct report_row *x;
	char num[NUM_MAX], head[HEAD_MAX];
	size_t i, nq;
	int f;

	if (rp_check_report(r, &nq) < 0)
		return -1;
	/* the mark tells Excel the file is UTF-8, not the local code page */
	rp_put(&o, "\xef\xbb\xbf");
	put_csv_field(&o, l->quarter);
	rp_put(&o, ";");
	put_csv_field(&o, l->category_key);
	rp_put(&o, ";");
	put_csv_field(&o, l->category);
	for (f = 0; f < NFIGURES; f++) {
		rp_put(&o, ";");
		put_csv_field(&o, rp_column_head(l, (enum figure)f, head));
	}
	rp_put(&o, "\r\n");
	for (i = 0; i < r->nrows; i++) {
		x = &r->rows[i];
		rp_putf(&o, "%d-Q%d;", x->year, x->quarter);
		put_csv_field(&o, x->category);
		rp_put(&o, ";");
		put_csv_field(&o, x->category ? x->category_name : NULL);
		for (f = 0; f < NFIGURES; f++) {
			rp_put(&o, ";");
			if (rp_format_plain(num, x, (enum figure)f) == 0)
				rp_put(&o, num);
		}
		rp_put(&o, "\r\n");
	}
	return rp_finish(&o, len);
}
