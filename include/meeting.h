#ifndef TENDERLOTS_MEETING_H
#define TENDERLOTS_MEETING_H

#include <stdint.h>
#include <time.h>

/*
 * An information meeting the procurement unit announces to firms: an
 * "informationsmöte" about one procurement (notice) or a "branschträff"
 * for a whole lot category, or both. The unit describes it in a small INI
 * file with one section, [meeting] (config/meeting.example.conf lists the
 * keys). Times are written as wall-clock times of the meeting's zone and
 * kept as instants.
 */
struct meeting {
	int64_t id;		/* store row id; 0 until stored */
	char *title;		/* UTF-8, one line */
	char *description;	/* NULL for none; one line */
	char *notice_id;	/* the procurement; NULL for none */
	char *category;		/* a category key, not checked against the
				   registered ones; NULL for none */
	time_t start, end;	/* end after start */
	char *timezone;		/* IANA name, "Europe/Stockholm" by default */
	char *location;		/* address; NULL for none */
	char *video_url;	/* https://; NULL for none */
	long capacity;		/* 0: no limit */
	int has_registration_deadline;
	time_t registration_deadline;	/* before start */
	char *organizer;	/* "Name <addr>"; NULL: the caller's default */
	int sequence;		/* 0 when new; the store bumps it on change */
	int cancelled;
};

/* The caps of a meeting's texts (bytes) and seats, in a file or a form. */
#define MEETING_TITLE_MAX	200
#define MEETING_DESCRIPTION_MAX	4000
#define MEETING_LOCATION_MAX	500
#define MEETING_CAPACITY_MAX	100000

/* An empty meeting, every field 0 or NULL; NULL on ENOMEM. */
struct meeting *meeting_new(void);
void meeting_free(struct meeting *m);
/* Frees the strings of m, e.g. one of an array, and empties it. */
void meeting_release(struct meeting *m);

/*
 * Reads a meeting file into a new meeting (id, sequence and cancelled 0).
 * Every problem is reported through error() as "file:line: message", one
 * run showing each; -1 if any, and *out is left as it was. At least one of
 * notice and category and one of location and video_url must be given.
 * Whether the category is registered, and whether the meeting lies in the
 * future, is for the caller to check.
 */
int meeting_load(const char *path, struct meeting **out);

/*
 * The instant of a wall-clock time "YYYY-MM-DD HH:MM" in the IANA zone, as
 * unitfile_parse_local_time() reads it (unitfile.h); -1, reported, if
 * anything is wrong.
 */
int meeting_parse_local_time(const char *text, const char *zone,
			     time_t *out);

#endif
