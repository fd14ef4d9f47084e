/*
 * The report's table as an Excel workbook. libxlsxwriter writes only to
 * a file, so the workbook is made in a temporary one and read back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "fetch.h"
#include "log.h"
#include "report_int.h"

struct sheet {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *percent, *decimal;
	lxw_error err;		/* the first write that failed */
};

static void
put_text(struct sheet *s, lxw_row_t row, lxw_col_t col, const char *text,
	 lxw_format *fmt)
{
	if (s->err == LXW_NO_ERROR && text)
		s->err = worksheet_write_string(s->ws, row, col, text, fmt);
}

static void
put_number(struct sheet *s, lxw_row_t row, lxw_col_t col, double v,
	   lxw_format *fmt)
{
	if (s->err == LXW_NO_ERROR)
		s->err = worksheet_write_number(s->ws, row, col, v, fmt);
}

static void
put_figure(struct sheet *s, lxw_row_t row, lxw_col_t col,
	   const struct report_row *x, enum figure f)
{
	double v;

	if (!rp_is_ratio(f))
		put_number(s, row, col, (double)rp_count_of(x, f), NULL);
	else if (rp_ratio_of(x, f, &v) && rp_is_percent(f))
		put_number(s, row, col, v / 100.0, s->percent);
	else if (rp_ratio_of(x, f, &v))
		put_number(s, row, col, v, s->decimal);
}

static int
write_sheet(struct sheet *s, const struct report *r, const struct lang *l)
{
	char quarter[16], head[HEAD_MAX];
	const struct report_row *x;
	lxw_row_t row;
	size_t i;
	int f;

	if (!(s->ws = workbook_add_worksheet(s->wb, l->sheet)) ||
	    !(s->head = workbook_add_format(s->wb)) ||
	    !(s->percent = workbook_add_format(s->wb)) ||
	    !(s->decimal = workbook_add_format(s->wb)))
		return error("report: out of memory");
	format_set_bold(s->head);
	format_set_text_wrap(s->head);
	format_set_num_format(s->percent, "0.0%");
	format_set_num_format(s->decimal, "0.0");
	put_text(s, 0, 0, l->quarter, s->head);
	put_text(s, 0, 1, l->category_key, s->head);
	put_text(s, 0, 2, l->category, s->head);
	for (f = 0; f < NFIGURES; f++)
		put_text(s, 0, (lxw_col_t)(3 + f),
			 rp_column_head(l, (enum figure)f, head), s->head);
	for (i = 0; i < r->nrows; i++) {
		x = &r->rows[i];
		row = (lxw_row_t)(i + 1);
		snprintf(quarter, sizeof quarter, "%d-Q%d", x->year, x->quarter);
		put_text(s, row, 0, quarter, NULL);
		put_text(s, row, 1, x->category, NULL);
		put_text(s, row, 2, x->category ? x->category_name : NULL, NULL);
		for (f = 0; f < NFIGURES; f++)
			put_figure(s, row, (lxw_col_t)(3 + f), x,
				   (enum figure)f);
	}
	worksheet_freeze_panes(s->ws, 1, 3);
	if (s->err == LXW_NO_ERROR)
		s->err = worksheet_set_column(s->ws, 0, 2 + NFIGURES, 14, NULL);
	if (s->err != LXW_NO_ERROR)
		return error("report: workbook: %s", lxw_strerror(s->err));
	return 0;
}

/* The decisions on dividing, kinds then reasons, on a sheet of their own. */
static int
write_decisions(struct sheet *s, const struct report *r, const struct lang *l)
{
	lxw_row_t row = 0;
	size_t i;

	if (!r->ndecisions)
		return 0;
	if (!(s->ws = workbook_add_worksheet(s->wb, l->decisions_sheet)))
		return error("report: out of memory");
	put_text(s, row, 0, l->decision, s->head);
	put_text(s, row, 1, l->reason, s->head);
	put_text(s, row++, 2, l->decisions_count, s->head);
	for (i = 0; i < r->ndecisions; i++, row++) {
		put_text(s, row, r->decisions[i].is_reason ? 1 : 0,
			 r->decisions[i].words, NULL);
		put_number(s, row, 2, (double)r->decisions[i].count, NULL);
	}
	if (s->err == LXW_NO_ERROR)
		s->err = worksheet_set_column(s->ws, 0, 1, 40, NULL);
	if (s->err != LXW_NO_ERROR)
		return error("report: workbook: %s", lxw_strerror(s->err));
	return 0;
}

/* The file at path appended to out, within out's cap. */
static int
read_back(const char *path, struct buf *out)
{
	struct fetch_options fo = { .max_bytes = out->max - out->len };
	struct buf file;
	char err[256];
	int rc;

	buf_init(&file, fo.max_bytes);
	if (fetch_file(path, &fo, &file, err, sizeof err) < 0)
		rc = error("report: workbook: %s", err);
	else if (buf_add(out, file.data, file.len) < 0)
		rc = error("report: out of memory");
	else
		rc = 0;
	buf_release(&file);
	return rc;
}

int
report_xlsx(const struct report *r, const char *lang, struct buf *out)
{
	const char *tmp = getenv("TMPDIR");
	struct sheet s = { 0 };
	char path[4096];
	size_t nq;
	int fd, rc = -1;
	lxw_error closed;

	if (rp_check_report(r, &nq) < 0)
		return -1;
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (snprintf(path, sizeof path, "%s/tenderlots-report-XXXXXX", tmp) >=
	    (int)sizeof path)
		return error("report: TMPDIR too long");
	if ((fd = mkstemp(path)) < 0)
		return error("%s: %s", path, strerror(errno));
	close(fd);
	if (!(s.wb = workbook_new(path))) {
		error("report: cannot make a workbook in %s", path);
		goto out;
	}
	rc = write_sheet(&s, r, rp_lang(lang)) < 0 ||
	     write_decisions(&s, r, rp_lang(lang)) < 0 ? -1 : 0;
	closed = workbook_close(s.wb);
	if (rc == 0 && closed != LXW_NO_ERROR)
		rc = error("report: workbook: %s", lxw_strerror(closed));
	if (rc == 0)
		rc = read_back(path, out);
out:
	unlink(path);
	return rc;
}
