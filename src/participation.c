#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "firm.h"
#include "ini.h"
#include "log.h"
#include "participation.h"

/* A list longer than any municipality's meeting or RFI ever gets. */
#define ORGNRS_MAX 100000

const char *
registration_text(enum registration r)
{
	switch (r) {
	case REG_OK:
		return "registered";
	case REG_ALREADY:
		return "already registered";
	case REG_WAITING:
		return "the meeting is full: on the waiting list";
	case REG_PENDING:
		return "asked to confirm by mail";
	case REG_CLOSED:
		return "registration has closed";
	case REG_CANCELLED:
		return "the meeting is cancelled";
	case REG_OVER:
		return "the meeting has begun";
	case REG_NO_MEETING:
		break;
	}
	return "no such meeting";
}

/* The first field of a line, without quotes and surrounding blanks. */
static void
first_field(const char *line, size_t len, char *out, size_t outlen)
{
	size_t i = 0, k = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '"'))
		i++;
	while (i < len && line[i] != ',' && line[i] != ';' && line[i] != '"' &&
	       line[i] != '\r' && k + 1 < outlen)
		out[k++] = line[i++];
	while (k > 0 && (out[k - 1] == ' ' || out[k - 1] == '\t'))
		k--;
	out[k] = '\0';
}

int
participation_read_orgnrs(const char *path, struct orgnr_entry **out,
			  size_t *n)
{
	struct orgnr_entry *v = NULL, *nv;
	const char *p, *end;
	struct buf text;
	char field[64];
	size_t count = 0, line = 0;
	int rc = 0;

	buf_init(&text, INI_MAX_FILE);
	if (ini_read(path, &text) < 0) {
		rc = -1;
		goto out;
	}
	for (p = buf_str(&text); *p; p = *end ? end + 1 : end) {
		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		line++;
		first_field(p, (size_t)(end - p), field, sizeof field);
		if (!*field)
			continue;
		if (count == ORGNRS_MAX) {
			rc = error("%s:%zu: more than %d lines", path, line,
				   ORGNRS_MAX);
			break;
		}
		if (!(nv = realloc(v, (count + 1) * sizeof *v))) {
			rc = error("out of memory");
			break;
		}
		v = nv;
		if (orgnr_normalize(field, v[count].orgnr) == 0) {
			v[count++].line = line;
		} else if (line > 1 || count > 0) {
			/* the first line may be a header */
			rc = error("%s:%zu: '%s' is not an organisation number",
				   path, line, field);
		}
	}
out:
	buf_release(&text);
	if (rc < 0) {
		free(v);
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}
