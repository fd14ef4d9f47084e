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
	int cancelled;			/* STATUS:CANCELLED instead of CONFIRMED */
	time_t start, end;		/* instants, 1970 to 9998 */
	const char *tzid;		/* IANA name, e.g. "Europe/Stockholm" */
	time_t stamp;			/* DTSTAMP and LAST-MODIFIED, same range */
	const char *summary;
	const char *description;	/* NULL for none; LF line ends */
	const char *location;		/* address or video link; NULL for none */
	const char *url;		/* the meeting's page, printable ASCII; NULL for none */
	const char *organizer_name;	/* NULL for none */
	const char *organizer_email;	/* a bare address: local@domain */
	const char *language;		/* LANGUAGE of the text, "sv"; NULL for none */
};

/*
 * Appends a VCALENDAR with METHOD:PUBLISH and one VEVENT. DTSTART and
 * DTEND are wall-clock times in tzid with TZID=tzid, and the calendar
 * carries that zone's VTIMEZONE, which libical builds from the system's
 * zone files; "UTC" (or "GMT") writes them in UTC without a VTIMEZONE.
 * Lines end in CRLF and are folded at 75 octets.
 *
 * In the hour repeated when clocks go back, clients read a wall-clock time
 * as the first of the two instants it names (RFC 5545 3.3.5).
 *
 * -1 on bad input (a missing or malformed field, an unknown zone, end not
 * after start) or a full buffer, and out is left as it was.
 */
int ical_publish(const struct ical_event *ev, struct buf *out);

#endif
