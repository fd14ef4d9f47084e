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
	case REG_FULL:
		return "the meeting is full";
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

/* Seats taken: registrations not cancelled, the firm's own aside. */
static long
seats_taken(const struct participant *p, size_t n, int64_t firm_id,
	    int *registered)
{
	long taken = 0;
	size_t i;

	*registered = 0;
	for (i = 0; i < n; i++) {
		if (!p[i].registered)
			continue;
		if (p[i].firm_id == firm_id)
			*registered = 1;
		else
			taken++;
	}
	return taken;
}

int
participation_register(struct store *s, int64_t meeting_id, int64_t firm_id,
		       time_t now, const char *source,
		       enum registration *result)
{
	struct participant *p = NULL;
	struct meeting *m = NULL;
	size_t nm = 0, np = 0;
	long taken;
	int registered, created, rc = -1;

	/* every meeting that has not ended; a past one is over anyway */
	if (store_meetings(s, now, meeting_id, &m, &nm) < 0)
		goto out;
	if (nm == 0) {
		*result = REG_NO_MEETING;
		rc = 0;
		goto out;
	}
	if (store_meeting_participants(s, meeting_id, &p, &np) < 0)
		goto out;
	taken = seats_taken(p, np, firm_id, &registered);
	if (m->cancelled)
		*result = REG_CANCELLED;
	else if (m->start <= now)
		*result = REG_OVER;
	else if (m->has_registration_deadline && m->registration_deadline < now)
		*result = REG_CLOSED;
	else if (registered)
		*result = REG_ALREADY;
	else if (m->capacity > 0 && taken >= m->capacity)
		*result = REG_FULL;
	else if (store_meeting_register(s, meeting_id, firm_id, now, source,
					&created) < 0)
		goto out;
	else
		*result = REG_OK;
	rc = 0;
out:
	participants_free(p, np);
	meetings_free(m, nm);
	return rc;
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
