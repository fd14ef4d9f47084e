#ifndef TENDERLOTS_ICAL_H
#define TENDERLOTS_ICAL_H

#include <time.h>

#include "buf.h"

/*
 * An invitation to an information meeting, as an iCalendar object built
 * with libical (RFC 5545), to be attached to the mail sent to firms.
 * Text is UTF-8 without control characters other than tab.
 */
struct ical_event {
	const char *uid;		/* stable per meeting, printable ASCII, no spaces */
	int sequence;			/* 0 first, incremented on every change */
	int cancelled;			/* METHOD:CANCEL, STATUS:CANCELLED */
	time_t start, end;		/* instants, 1970 to 9998 */
	const char *tzid;		/* IANA name, e.g. "Europe/Stockholm" */
	time_t stamp;			/* DTSTAMP and LAST-MODIFIED, same range */
	const char *summary;
	const char *description;	/* NULL for none; LF line ends */
	const char *location;		/* the room's address; NULL for none */
	const char *url;		/* the meeting's page, printable ASCII; NULL for none */
	const char *video_url;		/* the link to join, printable ASCII; NULL for none */
	const char *video_label;	/* what the link is called, "Videolänk"; with video_url */
	const char *organizer_name;	/* NULL for none */
	const char *organizer_email;	/* a bare address: local@domain */
	const char *language;		/* LANGUAGE of the text, "sv"; NULL for none */
};

/*
 * Appends a VCALENDAR with one VEVENT: METHOD:PUBLISH, and METHOD:CANCEL
 * once cancelled, for RFC 5546 3.2.1 has the organizer of a published
 * event update it with another PUBLISH (a higher SEQUENCE, the same UID)
 * and cancel it with CANCEL. REQUEST would need each firm as an ATTENDEE
 * and have clients mail replies no one reads: firms register on the
 * meeting's page.
 *
 * LOCATION is the room, or the video link when there is none. The video
 * link is also a CONFERENCE (RFC 7986) and the last line of DESCRIPTION,
 * "video_label: video_url".
 *
 * DTSTART and DTEND are wall-clock times in tzid with TZID=tzid, and the
 * calendar carries that zone's VTIMEZONE, which libical builds from the
 * system's zone files, with only the rules in force from the earlier of
 * stamp and start on (for Europe/Stockholm one STANDARD and one DAYLIGHT,
 * each a yearly RRULE without end); "UTC" (or "GMT") writes them in UTC
 * without a VTIMEZONE. Lines end in CRLF and are folded at 75 octets.
 *
 * In the hour repeated when clocks go back, clients read a wall-clock time
 * as the first of the two instants it names (RFC 5545 3.3.5).
 *
 * -1 on bad input (a missing or malformed field, an unknown zone, end not
 * after start) or a full buffer, and out is left as it was.
 */
int ical_calendar(const struct ical_event *ev, struct buf *out);

/*
 * The Content-Type of a calendar ical_calendar() made of an event that is
 * cancelled or not: its method= names the same METHOD (RFC 6047 2.4).
 */
const char *ical_content_type(int cancelled);

#endif
