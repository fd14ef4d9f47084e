#ifndef TENDERLOTS_CSV_H
#define TENDERLOTS_CSV_H

#include <stddef.h>

#include "buf.h"

/*
 * CSV as spreadsheets export it (RFC 4180): a comma or, from a Swedish
 * Excel, a semicolon between fields, quoted fields that hold the
 * separator, doubled quotes and line breaks, CRLF or LF, perhaps a UTF-8
 * byte order mark. The firm register and the procurement plan read it.
 */
#define CSV_MAX_FIELD 4096
#define CSV_MAX_FIELDS 32

struct csv_row {
	char *field[CSV_MAX_FIELDS];
	size_t nfield;
	size_t line;		/* where the row starts */
};

void csv_row_clear(struct csv_row *r);

/* The separator the header line (data's first line) uses: ';' or ','. */
char csv_separator(const char *data, size_t len);

/* Where the text begins: past a UTF-8 byte order mark, if any. */
size_t csv_start(const char *data, size_t len);

/*
 * Reads one record starting at *pos; *line follows the physical lines.
 * 1 for a record, 0 at the end, -1 on malformed input (an unterminated
 * quote, too many or too long fields, a NUL byte) with why saying so,
 * "LINE: message", for the caller to put its file's name before.
 */
int csv_next(const char *data, size_t len, size_t *pos, size_t *line, char sep,
	     struct csv_row *row, struct buf *why);

/* s without the white space at either end, cut in place. */
char *csv_trim(char *s);

/* A row of one empty field: a blank line. */
int csv_row_is_blank(const struct csv_row *r);

#endif
