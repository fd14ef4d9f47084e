#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

void
csv_row_clear(struct csv_row *r)
{
	size_t i;

	for (i = 0; i < r->nfield; i++)
		free(r->field[i]);
	r->nfield = 0;
}

char
csv_separator(const char *data, size_t len)
{
	const char *eol = memchr(data, '\n', len);
	size_t nl = eol ? (size_t)(eol - data) : len;

	return memchr(data, ';', nl) && !memchr(data, ',', nl) ? ';' : ',';
}

size_t
csv_start(const char *data, size_t len)
{
	return len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

int
csv_next(const char *data, size_t len, size_t *pos, size_t *line, char sep,
	 struct csv_row *row, struct buf *why)
{
	struct buf field;
	size_t i = *pos;
	int quoted = 0, rc = -1;

	buf_init(&field, CSV_MAX_FIELD);
	row->nfield = 0;
	row->line = *line;
	if (i >= len)
		return 0;
	for (;;) {
		int at_end = i >= len;
		char c = at_end ? '\n' : data[i];

		if (quoted) {
			if (at_end) {
				buf_printf(why, "%zu: unterminated quoted field",
					   row->line);
				goto out;
			}
			if (c == '"' && i + 1 < len && data[i + 1] == '"') {
				i++;
			} else if (c == '"') {
				quoted = 0;
				i++;
				continue;
			}
			if (c == '\n')
				(*line)++;
		} else if (c == '"' && field.len == 0) {
			quoted = 1;
			i++;
			continue;
		} else if (c == sep || c == '\n' || c == '\r') {
			if (row->nfield == CSV_MAX_FIELDS) {
				buf_printf(why, "%zu: more than %d fields",
					   row->line, CSV_MAX_FIELDS);
				goto out;
			}
			row->field[row->nfield++] = buf_detach(&field, NULL);
			if (c == '\r' && i + 1 < len && data[i + 1] == '\n')
				i++;
			i++;
			if (c != sep) {
				(*line)++;
				break;
			}
			continue;
		}
		if (c == '\0' || buf_addc(&field, c) < 0) {
			buf_printf(why, "%zu: field too long or holds a NUL byte",
				   row->line);
			goto out;
		}
		i++;
	}
	*pos = i;
	rc = 1;
out:
	buf_release(&field);
	return rc;
}

int
csv_row_is_blank(const struct csv_row *r)
{
	return r->nfield == 1 && r->field[0][0] == '\0';
}

char *
csv_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}
