#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <time.h>

#include "buf.h"
#include "ini.h"
#include "log.h"
#include "meeting.h"
#include "unitfile.h"

#define SECTION			"meeting"

/* The keys as read: the times stay text until the zone is known. */
struct fields {
	struct meeting m;
	char *start, *end, *deadline;
};

enum {
	K_TITLE,
	K_DESCRIPTION,
	K_NOTICE,
	K_CATEGORY,
	K_START,
	K_END,
	K_TIMEZONE,
	K_LOCATION,
	K_VIDEO_URL,
	K_CAPACITY,
	K_DEADLINE,
	K_ORGANIZER,
	NKEYS
};

#define M(field) offsetof(struct fields, m.field)
#define F(field) offsetof(struct fields, field)

/* An optional text defaults to "", which empty_unsets turns into NULL. */
static const struct ini_key meeting_keys[NKEYS] = {
	[K_TITLE] = { SECTION, "title", INI_STRING, NULL, false, 0, 0, NULL,
		      M(title), "what the meeting is called" },
	[K_DESCRIPTION] = { SECTION, "description", INI_STRING, "", true, 0, 0,
			    NULL, M(description), "one line about it" },
	[K_NOTICE] = { SECTION, "notice", INI_STRING, "", true, 0, 0, NULL,
		       M(notice_id), "the notice or procedure id it is about" },
	[K_CATEGORY] = { SECTION, "category", INI_STRING, "", true, 0, 0, NULL,
			 M(category), "the lot category it is for" },
	[K_START] = { SECTION, "start", INI_STRING, NULL, false, 0, 0, NULL,
		      F(start), "YYYY-MM-DD HH:MM, local time" },
	[K_END] = { SECTION, "end", INI_STRING, NULL, false, 0, 0, NULL,
		    F(end), "YYYY-MM-DD HH:MM, local time" },
	[K_TIMEZONE] = { SECTION, "timezone", INI_STRING,
			 UNITFILE_ZONE_DEFAULT, false, 0, 0, NULL, M(timezone),
			 "IANA zone of the times" },
	[K_LOCATION] = { SECTION, "location", INI_STRING, "", true, 0, 0, NULL,
			 M(location), "address" },
	[K_VIDEO_URL] = { SECTION, "video_url", INI_STRING, "", true, 0, 0,
			  NULL, M(video_url), "https:// link to join" },
	[K_CAPACITY] = { SECTION, "capacity", INI_INT, "0", false, 0,
			 MEETING_CAPACITY_MAX, NULL, M(capacity),
			 "seats; 0: no limit" },
	[K_DEADLINE] = { SECTION, "registration_deadline", INI_STRING, "", true,
			 0, 0, NULL, F(deadline),
			 "YYYY-MM-DD HH:MM, local time, before start" },
	[K_ORGANIZER] = { SECTION, "organizer", INI_STRING, "", true, 0, 0,
			  NULL, M(organizer), "\"Name <addr>\" organizing" },
};

struct meeting *
meeting_new(void)
{
	return calloc(1, sizeof(struct meeting));
}

void
meeting_release(struct meeting *m)
{
	free(m->title);
	free(m->description);
	free(m->notice_id);
	free(m->category);
	free(m->timezone);
	free(m->location);
	free(m->video_url);
	free(m->organizer);
	*m = (struct meeting){ 0 };
}

void
meeting_free(struct meeting *m)
{
	if (!m)
		return;
	meeting_release(m);
	free(m);
}

int
meeting_parse_local_time(const char *text, const char *zone, time_t *out)
{
	return unitfile_parse_local_time(text, zone, out);
}

/* Why the value of key k is refused, beyond what the ini module checks. */
static int
check_value(void *fields, size_t k, const char *v, struct buf *why)
{
	switch (k) {
	case K_TITLE:
		return unitfile_check_text(v, MEETING_TITLE_MAX, why);
	case K_DESCRIPTION:
		return unitfile_check_text(v, MEETING_DESCRIPTION_MAX, why);
	case K_LOCATION:
		return unitfile_check_text(v, MEETING_LOCATION_MAX, why);
	case K_NOTICE:
		return unitfile_check_notice_id(v, why);
	case K_CATEGORY:
		return unitfile_check_category(v, why);
	case K_START:
	case K_END:
	case K_DEADLINE:
		/* the zone may come later: converted by finish_times() */
		return unitfile_check_wall_time(v, why);
	case K_VIDEO_URL:
		return unitfile_check_https_url(v, why);
	case K_ORGANIZER:
		return unitfile_check_mailbox(v, why);
	default:
		/*
		 * The ini module checks capacity; the timezone is checked
		 * once the file is read, default or not.
		 */
		return 0;
	}
}

static int
finish_times(struct unitfile *uf, struct fields *f)
{
	const struct ini_seen *seen = uf->table.seen;
	const char *file = uf->table.file;
	int s, e, d, rc = 0;

	if (unitfile_zone(uf, K_TIMEZONE, f->m.timezone) < 0)
		return -1;
	s = unitfile_instant(uf, K_START, f->start, &f->m.start);
	e = unitfile_instant(uf, K_END, f->end, &f->m.end);
	d = unitfile_instant(uf, K_DEADLINE, f->deadline,
			     &f->m.registration_deadline);
	if (s < 0 || e < 0 || d < 0)
		rc = -1;
	if (s > 0 && e > 0 && f->m.end <= f->m.start)
		rc = error("%s:%zu: [%s] end: %s is not after start %s (line "
			   "%zu)", file, seen[K_END].line, SECTION, f->end,
			   f->start, seen[K_START].line);
	if (s > 0 && d > 0 && f->m.registration_deadline >= f->m.start)
		rc = error("%s:%zu: [%s] registration_deadline: %s is not "
			   "before start %s (line %zu)", file,
			   seen[K_DEADLINE].line, SECTION, f->deadline,
			   f->start, seen[K_START].line);
	f->m.has_registration_deadline = d > 0;
	return rc;
}

/* The checks that need the whole file. */
static int
finish(struct unitfile *uf, void *fields)
{
	struct fields *f = fields;
	int rc = 0;

	if (unitfile_one_of(uf, K_NOTICE, f->m.notice_id, K_CATEGORY,
			    f->m.category) < 0)
		rc = -1;
	if (unitfile_one_of(uf, K_LOCATION, f->m.location, K_VIDEO_URL,
			    f->m.video_url) < 0)
		rc = -1;
	if (finish_times(uf, f) < 0)
		rc = -1;
	return rc;
}

static const struct unitfile_kind meeting_kind = {
	SECTION, "meeting", "a meeting file", meeting_keys, NKEYS,
	sizeof(struct meeting), check_value, finish
};

int
meeting_load(const char *path, struct meeting **out)
{
	struct fields f = { 0 };
	void *m;

	if (unitfile_load(path, &meeting_kind, &f, &m) < 0)
		return -1;
	*out = m;
	return 0;
}
