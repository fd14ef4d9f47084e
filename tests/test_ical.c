/*
 * iCalendar invitations: read back by libical and by Python's icalendar
 * package (tests/icscheck.py, run from the project root), so the times
 * are checked against instants worked out by hand, by two parsers, and
 * through the VTIMEZONE in the file as well as the zone's name, by our
 * reading of its rules and by icalendar's own, which refuses what a
 * strict reader does.
 */
#define _XOPEN_SOURCE 700

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "buf.h"
#include "ical.h"
#include "test.h"
#include "testutil.h"
#include "utf8.h"

#define PYTHON "/usr/bin/python3"
#define ICSCHECK "tests/icscheck.py"

static const char summary[] =
	"Informationsmöte: målning av förskolor i Ängelholm";
static const char location[] = "Stadshuset, Järnvägsgatan 5; sal Öresund";

/*
 * Clocks in Stockholm go forward at 2026-03-29T01:00Z and back at
 * 2026-10-25T01:00Z; the meetings that cross a change check both sides,
 * as does the half-year one in New York.
 */
static const struct when {
	const char *tzid;
	const char *start, *end;		/* UTC */
	const char *wall_start, *wall_end;	/* as written for tzid */
	int offset_start, offset_end;		/* seconds east of UTC */
} whens[] = {
	{ "Europe/Stockholm", "2027-01-14T08:00:00Z", "2027-01-14T10:00:00Z",
	  "20270114T090000", "20270114T110000", 3600, 3600 },
	{ "Europe/Stockholm", "2027-06-10T11:00:00Z", "2027-06-10T12:30:00Z",
	  "20270610T130000", "20270610T143000", 7200, 7200 },
	{ "Europe/Stockholm", "2026-02-10T09:00:00Z", "2026-02-10T10:00:00Z",
	  "20260210T100000", "20260210T110000", 3600, 3600 },
	{ "Europe/Stockholm", "2026-08-20T08:00:00Z", "2026-08-20T09:00:00Z",
	  "20260820T100000", "20260820T110000", 7200, 7200 },
	{ "Europe/Stockholm", "2026-03-28T23:30:00Z", "2026-03-29T01:30:00Z",
	  "20260329T003000", "20260329T033000", 3600, 7200 },
	{ "Europe/Stockholm", "2026-10-24T23:30:00Z", "2026-10-25T02:30:00Z",
	  "20261025T013000", "20261025T033000", 7200, 3600 },
	{ "America/New_York", "2027-01-14T14:00:00Z", "2027-07-14T13:00:00Z",
	  "20270114T090000", "20270714T090000", -18000, -14400 },
	{ "UTC", "2027-01-14T08:00:00Z", "2027-01-14T09:00:00Z",
	  "20270114T080000Z", "20270114T090000Z", 0, 0 },
};

static time_t
utc(const char *iso)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
		fprintf(stderr, "bad test time %s\n", iso);
		exit(2);
	}
	tm.tm_year -= 1900;
	tm.tm_mon--;
	return timegm(&tm);
}

static void
sample(struct ical_event *ev, const struct when *w)
{
	memset(ev, 0, sizeof *ev);
	ev->uid = "meeting-12@exempelkommun.se";
	ev->sequence = 2;
	ev->start = utc(w->start);
	ev->end = utc(w->end);
	ev->tzid = w->tzid;
	ev->stamp = utc("2026-11-25T08:15:00Z");
	ev->summary = summary;
	ev->description = "Välkommen!\nVi går igenom förfrågningsunderlaget.";
	ev->location = location;
	ev->url = "https://exempelkommun.se/upphandling/12?a=1&b=2";
	ev->organizer_name = "Ängelholms kommun, upphandling";
	ev->organizer_email = "upphandling@exempelkommun.se";
	ev->language = "sv";
}

/* Every line ends in CRLF, has at most 75 octets and whole characters. */
static int
lines_ok(const char *s, size_t len)
{
	const char *line = s, *end = s + len, *e;
	size_t i, k;

	while (line < end) {
		e = memchr(line, '\r', (size_t)(end - line));
		if (!e || e + 1 >= end || e[1] != '\n' || e - line > 75 ||
		    memchr(line, '\n', (size_t)(e - line)))
			return 0;
		for (i = 0; line + i < e; i += k) {
			k = (unsigned char)line[i] < 0x80 ? 1 :
			    utf8_seq_len((const unsigned char *)line + i,
					 (size_t)(e - line - i));
			if (!k)
				return 0;
		}
		line = e + 2;
	}
	return len > 0;
}

/* What tests/icscheck.py printed: "name: value" lines, cut in place. */
struct fields {
	char *text;
	const char *name[64], *value[64];
	size_t n;
};

static int
py_check(const char *ics, struct fields *f)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], cmd[2 * PATH_MAX];
	struct buf out;
	char chunk[4096], *p, *nl, *colon;
	size_t n;
	FILE *fp;
	int rc;

	memset(f, 0, sizeof *f);
	make_tmpdir(dir, "test_ical");
	snprintf(path, sizeof path, "%s/meeting.ics", dir);
	write_text(path, ics);
	snprintf(cmd, sizeof cmd, PYTHON " " ICSCHECK " '%s'", path);
	buf_init(&out, 0);
	fp = popen(cmd, "r");
	if (!fp) {
		rm_rf(dir);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&out, chunk, n);
	rc = pclose(fp);
	rm_rf(dir);
	f->text = buf_detach(&out, NULL);
	for (p = f->text; *p && f->n < 64; p = nl + 1) {
		nl = strchr(p, '\n');
		colon = strstr(p, ": ");
		if (!nl || !colon || colon > nl)
			return -1;
		*nl = *colon = '\0';
		f->name[f->n] = p;
		f->value[f->n++] = colon + 2;
	}
	return rc == 0 ? 0 : -1;
}

static const char *
field(const struct fields *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->name[i], name) == 0)
			return f->value[i];
	return NULL;
}

/* s as icscheck.py prints values. */
static char *
escaped(const char *s)
{
	struct buf b;

	buf_init(&b, 0);
	for (; *s; s++) {
		if (*s == '\\')
			buf_adds(&b, "\\\\");
		else if (*s == '\n')
			buf_adds(&b, "\\n");
		else
			buf_addc(&b, *s);
	}
	return buf_detach(&b, NULL);
}

/* The calendar as libical reads it back, with its one VEVENT. */
struct parsed {
	icalcomponent *cal, *event, *vtz;
};

static int
parse(const char *ics, struct parsed *p)
{
	p->cal = icalparser_parse_string(ics);
	p->event = p->vtz = NULL;
	if (!p->cal || icalcomponent_isa(p->cal) != ICAL_VCALENDAR_COMPONENT ||
	    icalcomponent_count_errors(p->cal) != 0 ||
	    icalcomponent_count_components(p->cal, ICAL_VEVENT_COMPONENT) != 1)
		return -1;
	p->event = icalcomponent_get_first_component(p->cal,
						     ICAL_VEVENT_COMPONENT);
	p->vtz = icalcomponent_get_first_component(p->cal,
						   ICAL_VTIMEZONE_COMPONENT);
	return 0;
}

static const char *
param(icalcomponent *c, icalproperty_kind prop, icalparameter_kind kind)
{
	icalproperty *p = icalcomponent_get_first_property(c, prop);
	icalparameter *par;

	if (!p)
		return NULL;
	par = icalproperty_get_first_parameter(p, kind);
	return par ? icalparameter_get_xvalue(par) : NULL;
}

/*
 * DTSTART or DTEND as written, and as an instant by the rules of the
 * VTIMEZONE in the file (not libical's own copy of the zone).
 */
static void
check_time(const struct parsed *p, const struct when *w,
	   struct icaltimetype tt, const char *wall, time_t want, int offset)
{
	icaltimezone *zone = (icaltimezone *)tt.zone;
	char *s = icaltime_as_ical_string_r(tt);

	CHECK_STR(s, wall);
	free(s);
	CHECK(zone != NULL);
	if (!zone)
		return;
	if (strcmp(w->tzid, "UTC") == 0) {
		CHECK(zone == icaltimezone_get_utc_timezone());
		CHECK(p->vtz == NULL);
	} else {
		CHECK(p->vtz != NULL);
		CHECK(icaltimezone_get_component(zone) == p->vtz);
		CHECK_STR(icaltimezone_get_tzid(zone), w->tzid);
	}
	CHECK(icaltimezone_get_utc_offset(zone, &tt, NULL) == offset);
	CHECK(icaltime_as_timet_with_zone(tt, zone) == want);
}

static void
check_libical(const char *ics, const struct ical_event *ev,
	      const struct when *w)
{
	struct parsed p;
	const char *tzid = strcmp(w->tzid, "UTC") == 0 ? NULL : w->tzid;

	CHECK(parse(ics, &p) == 0);
	if (!p.event) {
		if (p.cal)
			icalcomponent_free(p.cal);
		return;
	}
	CHECK(icalcomponent_get_method(p.cal) ==
	      (ev->cancelled ? ICAL_METHOD_CANCEL : ICAL_METHOD_PUBLISH));
	/* RFC 5546's restrictions for the method, as libical reads them */
	CHECK(icalrestriction_check(p.cal) == 1);
	CHECK_STR(icalproperty_get_prodid(icalcomponent_get_first_property(
		p.cal, ICAL_PRODID_PROPERTY)), "-//tenderlots//tenderlots//SV");
	CHECK_STR(icalproperty_get_version(icalcomponent_get_first_property(
		p.cal, ICAL_VERSION_PROPERTY)), "2.0");
	CHECK(icalcomponent_count_components(p.cal, ICAL_VTIMEZONE_COMPONENT) ==
	      (tzid ? 1 : 0));
	CHECK_STR(icalcomponent_get_uid(p.event), ev->uid);
	CHECK(icalcomponent_get_sequence(p.event) == ev->sequence);
	CHECK(icalcomponent_get_status(p.event) ==
	      (ev->cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
	CHECK_STR(icalcomponent_get_summary(p.event), ev->summary);
	CHECK_STR(icalcomponent_get_description(p.event), ev->description);
	CHECK_STR(icalcomponent_get_location(p.event), ev->location);
	CHECK_STR(param(p.event, ICAL_SUMMARY_PROPERTY, ICAL_LANGUAGE_PARAMETER),
		  "sv");
	CHECK_STR(param(p.event, ICAL_ORGANIZER_PROPERTY, ICAL_CN_PARAMETER),
		  ev->organizer_name);
	if (tzid) {
		CHECK_STR(param(p.event, ICAL_DTSTART_PROPERTY,
				ICAL_TZID_PARAMETER), tzid);
		CHECK_STR(param(p.event, ICAL_DTEND_PROPERTY,
				ICAL_TZID_PARAMETER), tzid);
	} else {
		CHECK(param(p.event, ICAL_DTSTART_PROPERTY,
			    ICAL_TZID_PARAMETER) == NULL);
	}
	check_time(&p, w, icalcomponent_get_dtstart(p.event), w->wall_start,
		   ev->start, w->offset_start);
	check_time(&p, w, icalcomponent_get_dtend(p.event), w->wall_end,
		   ev->end, w->offset_end);
	icalcomponent_free(p.cal);
}

static void
check_python(const char *ics, const struct ical_event *ev,
	     const struct when *w)
{
	const char *tzid = strcmp(w->tzid, "UTC") == 0 ? NULL : w->tzid;
	struct fields f;
	char *desc = escaped(ev->description), seq[16];

	CHECK(py_check(ics, &f) == 0);
	CHECK_STR(field(&f, "method"), ev->cancelled ? "CANCEL" : "PUBLISH");
	CHECK_STR(field(&f, "version"), "2.0");
	CHECK_STR(field(&f, "prodid"), "-//tenderlots//tenderlots//SV");
	CHECK_STR(field(&f, "vtimezones"), tzid ? tzid : "");
	CHECK_STR(field(&f, "vevents"), "1");
	CHECK_STR(field(&f, "uid"), ev->uid);
	snprintf(seq, sizeof seq, "%d", ev->sequence);
	CHECK_STR(field(&f, "sequence"), seq);
	CHECK_STR(field(&f, "status"), ev->cancelled ? "CANCELLED" : "CONFIRMED");
	CHECK_STR(field(&f, "summary"), ev->summary);
	CHECK_STR(field(&f, "description"), desc);
	CHECK_STR(field(&f, "location"), ev->location);
	CHECK_STR(field(&f, "url"), ev->url);
	CHECK_STR(field(&f, "language"), "sv sv sv");
	CHECK_STR(field(&f, "organizer"), "mailto:upphandling@exempelkommun.se");
	CHECK_STR(field(&f, "organizer-cn"), ev->organizer_name);
	CHECK_STR(field(&f, "dtstamp"), "2026-11-25T08:15:00Z");
	CHECK_STR(field(&f, "last-modified"), "2026-11-25T08:15:00Z");
	CHECK_STR(field(&f, "dtstart"), w->start);
	CHECK_STR(field(&f, "dtend"), w->end);
	if (tzid) {
		CHECK_STR(field(&f, "dtstart-tzid"), tzid);
		CHECK_STR(field(&f, "dtend-tzid"), tzid);
		CHECK_STR(field(&f, "dtstart-vtimezone"), w->start);
		CHECK_STR(field(&f, "dtend-vtimezone"), w->end);
		/* icalendar's own reading refuses libical's whole history */
		CHECK_STR(field(&f, "dtstart-to-tz"), w->start);
		CHECK_STR(field(&f, "dtend-to-tz"), w->end);
	} else {
		CHECK(field(&f, "dtstart-tzid") == NULL);
		CHECK(field(&f, "dtstart-vtimezone") == NULL);
	}
	free(f.text);
	free(desc);
}

static void
check_when(const struct when *w)
{
	struct ical_event ev;
	struct buf b;
	char line[128];
	int utc_only = strcmp(w->tzid, "UTC") == 0;

	sample(&ev, w);
	buf_init(&b, 0);
	CHECK(ical_calendar(&ev, &b) == 0);
	CHECK(lines_ok(b.data, b.len));
	/* as written: a TZID with a "Z" time is a reader's guess */
	snprintf(line, sizeof line, "\r\nDTSTART%s%s:%s\r\n",
		 utc_only ? "" : ";TZID=", utc_only ? "" : w->tzid,
		 w->wall_start);
	CHECK(strstr(buf_str(&b), line) != NULL);
	snprintf(line, sizeof line, "\r\nDTEND%s%s:%s\r\n",
		 utc_only ? "" : ";TZID=", utc_only ? "" : w->tzid,
		 w->wall_end);
	CHECK(strstr(buf_str(&b), line) != NULL);
	CHECK(strncmp(buf_str(&b), "BEGIN:VCALENDAR\r\n", 17) == 0);
	/* libical's own TZID prefix would leave clients guessing */
	CHECK(strstr(buf_str(&b), "freeassociation") == NULL);
	check_libical(buf_str(&b), &ev, w);
	check_python(buf_str(&b), &ev, w);
	buf_release(&b);
}

/*
 * Today's rules, as Outlook writes zones: one DAYLIGHT and one STANDARD,
 * each from its first year and without end; not 1879 onwards.
 */
static void
test_winter_stockholm(void)
{
	struct ical_event ev;
	struct fields f;
	struct buf b;

	check_when(&whens[0]);
	sample(&ev, &whens[0]);
	buf_init(&b, 0);
	CHECK(ical_calendar(&ev, &b) == 0);
	CHECK(py_check(buf_str(&b), &f) == 0);
	CHECK_STR(field(&f, "observances"),
		  "DAYLIGHT/19810329T020000/FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3 "
		  "STANDARD/19961027T030000/FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10");
	CHECK(strstr(buf_str(&b), "1879") == NULL);
	free(f.text);
	buf_release(&b);
}

/* A zone that has no summer time now: one STANDARD. */
static void
test_zone_without_summer_time(void)
{
	static const struct when tokyo = {
		"Asia/Tokyo", "2027-01-14T01:00:00Z", "2027-01-14T02:00:00Z",
		"20270114T100000", "20270114T110000", 32400, 32400
	};
	struct ical_event ev;
	struct fields f;
	struct buf b;

	check_when(&tokyo);
	sample(&ev, &tokyo);
	buf_init(&b, 0);
	CHECK(ical_calendar(&ev, &b) == 0);
	CHECK(py_check(buf_str(&b), &f) == 0);
	CHECK(field(&f, "observances") &&
	      strncmp(field(&f, "observances"), "STANDARD/", 9) == 0 &&
	      !strchr(field(&f, "observances"), ' '));
	free(f.text);
	buf_release(&b);
}

static void
test_summer_stockholm(void)
{
	check_when(&whens[1]);
}

static void
test_more_times(void)
{
	for (size_t i = 2; i < sizeof whens / sizeof *whens; i++)
		check_when(&whens[i]);
}

static void
test_cancelled(void)
{
	struct ical_event ev;
	struct buf b;

	sample(&ev, &whens[0]);
	ev.cancelled = 1;
	ev.sequence = 3;
	buf_init(&b, 0);
	CHECK(ical_calendar(&ev, &b) == 0);
	CHECK(strstr(buf_str(&b), "\r\nSTATUS:CANCELLED\r\n") != NULL);
	CHECK(strstr(buf_str(&b), "\r\nSEQUENCE:3\r\n") != NULL);
	/* so calendars remove it, and the MIME part says the same */
	CHECK(strstr(buf_str(&b), "\r\nMETHOD:CANCEL\r\n") != NULL);
	CHECK_STR(ical_content_type(1),
		  "text/calendar; charset=utf-8; method=CANCEL");
	CHECK_STR(ical_content_type(0),
		  "text/calendar; charset=utf-8; method=PUBLISH");
	check_libical(buf_str(&b), &ev, &whens[0]);
	check_python(buf_str(&b), &ev, &whens[0]);
	buf_release(&b);
}

/*
 * A room and a video link: LOCATION is the room, and the link is the
 * CONFERENCE and the description's last line; with no room, the link is
 * the LOCATION too.
 */
static void
test_room_and_video(void)
{
	static const char link[] = "https://meet.exempelkommun.se/j/42?pwd=x";
	struct ical_event ev;
	struct parsed p;
	struct fields f;
	struct buf b;

	sample(&ev, &whens[0]);
	ev.video_url = link;
	ev.video_label = "Videolänk";
	buf_init(&b, 0);
	CHECK(ical_calendar(&ev, &b) == 0);
	CHECK(lines_ok(b.data, b.len));
	CHECK(parse(buf_str(&b), &p) == 0 && icalrestriction_check(p.cal) == 1);
	if (p.cal)
		icalcomponent_free(p.cal);
	CHECK(py_check(buf_str(&b), &f) == 0);
	CHECK_STR(field(&f, "location"), location);
	CHECK_STR(field(&f, "conference"), link);
	CHECK_STR(field(&f, "conference-value"), "URI");
	CHECK_STR(field(&f, "conference-feature"), "VIDEO");
	CHECK_STR(field(&f, "conference-label"), "Videolänk");
	CHECK_STR(field(&f, "description"), "Välkommen!\\nVi går igenom "
		  "förfrågningsunderlaget.\\n\\nVideolänk: "
		  "https://meet.exempelkommun.se/j/42?pwd=x");
	free(f.text);

	ev.location = ev.description = NULL;
	buf_reset(&b);
	CHECK(ical_calendar(&ev, &b) == 0);
	CHECK(py_check(buf_str(&b), &f) == 0);
	CHECK_STR(field(&f, "location"), link);
	CHECK_STR(field(&f, "conference"), link);
	CHECK_STR(field(&f, "description"),
		  "Videolänk: https://meet.exempelkommun.se/j/42?pwd=x");
	free(f.text);
	buf_release(&b);
}

static void
test_long_text_folds_and_survives(void)
{
	struct ical_event ev;
	struct buf b, desc, sum;

	buf_init(&b, 0);
	buf_init(&desc, 0);
	buf_init(&sum, 0);
	/* each shift moves every fold to another byte of the characters */
	for (int shift = 0; shift < 8; shift++) {
		buf_reset(&desc);
		buf_reset(&sum);
		for (int i = 0; i < shift; i++) {
			buf_addc(&desc, 'x');
			buf_addc(&sum, 'x');
		}
		buf_adds(&desc, "Program:\n\n");
		for (int i = 0; i < 40; i++)
			buf_printf(&desc, "%d. Genomgång av del %d; frågor, svar "
				   "och \"förtydliganden\" \\ åäö ÅÄÖ € 😀"
				   "\tslut\n", i, i);
		buf_adds(&desc, "\nVälkomna!");
		for (int i = 0; i < 12; i++)
			buf_adds(&sum, "Målning av förskolor😀 ");
		buf_adds(&sum, "slut");	/* libical's parser drops a trailing space */
		sample(&ev, &whens[0]);
		ev.description = desc.data;
		ev.summary = sum.data;
		ev.location = "https://meet.exempelkommun.se/j/123456789?pwd=abc,"
			      "def;ghi&lang=sv-SE&ref=informationsmöte-om-målning";
		buf_reset(&b);
		CHECK(ical_calendar(&ev, &b) == 0);
		CHECK(lines_ok(b.data, b.len));
		CHECK(strstr(buf_str(&b), "\r\n ") != NULL);
		check_libical(buf_str(&b), &ev, &whens[0]);
		if (shift == 0 || shift == 7)
			check_python(buf_str(&b), &ev, &whens[0]);
	}
	buf_release(&b);
	buf_release(&desc);
	buf_release(&sum);
}

static void
test_optional_fields(void)
{
	struct ical_event ev;
	struct fields f;
	struct buf b;

	sample(&ev, &whens[1]);
	ev.description = ev.location = ev.url = ev.organizer_name = NULL;
	ev.language = NULL;
	buf_init(&b, 0);
	buf_adds(&b, "kept");
	CHECK(ical_calendar(&ev, &b) == 0);
	CHECK(strncmp(buf_str(&b), "keptBEGIN:VCALENDAR\r\n", 21) == 0);
	CHECK(lines_ok(b.data + 4, b.len - 4));
	CHECK(py_check(buf_str(&b) + 4, &f) == 0);
	CHECK_STR(field(&f, "summary"), summary);
	CHECK_STR(field(&f, "language"), "-");
	CHECK_STR(field(&f, "organizer"), "mailto:upphandling@exempelkommun.se");
	CHECK(field(&f, "organizer-cn") == NULL);
	CHECK(field(&f, "description") == NULL);
	CHECK(field(&f, "location") == NULL);
	CHECK(field(&f, "url") == NULL);
	CHECK_STR(field(&f, "dtstart"), whens[1].start);
	CHECK_STR(field(&f, "dtstart-vtimezone"), whens[1].start);
	free(f.text);
	buf_release(&b);
}

/* ev is refused with one message, and out keeps what it had. */
static void
check_refused(const struct ical_event *ev, const char *why)
{
	struct capture cap;
	struct buf b;
	char *msg;
	int rc;

	buf_init(&b, 0);
	buf_adds(&b, "kept");
	capture_start(&cap, 2);
	rc = ical_calendar(ev, &b);
	msg = capture_end(&cap);
	if (rc != -1)
		fprintf(stderr, "  accepted: %s\n", why);
	CHECK(rc == -1);
	CHECK_STR(buf_str(&b), "kept");
	CHECK(strncmp(msg, "tenderlots: error: ical", 23) == 0);
	CHECK(*msg && strchr(msg, '\n') == msg + strlen(msg) - 1);
	free(msg);
	buf_release(&b);
}

static void
test_full_buffer(void)
{
	struct ical_event ev;
	struct capture cap;
	struct buf b;
	char *msg;

	sample(&ev, &whens[0]);
	buf_init(&b, 1000);
	buf_adds(&b, "kept");
	capture_start(&cap, 2);
	CHECK(ical_calendar(&ev, &b) == -1);
	msg = capture_end(&cap);
	CHECK_STR(buf_str(&b), "kept");
	CHECK(strstr(msg, "larger than 1000 bytes") != NULL);
	free(msg);
	buf_release(&b);
}

static void
test_bad_input(void)
{
	struct ical_event ev;

#define REFUSED(change) do { \
	sample(&ev, &whens[0]); \
	change; \
	check_refused(&ev, #change); \
} while (0)
	REFUSED(ev.tzid = "Mars/Olympus");
	REFUSED(ev.tzid = "europe/stockholm");
	REFUSED(ev.tzid = "../../../etc/passwd");
	REFUSED(ev.tzid = "/usr/share/zoneinfo/Europe/Stockholm");
	REFUSED(ev.tzid = "");
	REFUSED(ev.tzid = NULL);
	REFUSED(ev.end = ev.start - 3600);
	REFUSED(ev.end = ev.start);
	REFUSED(ev.start = -1);
	REFUSED(ev.end = (time_t)253370764800LL);
	REFUSED(ev.uid = "meeting-12\r\nX-INJECTED:1");
	REFUSED(ev.uid = "meeting-12\n");
	REFUSED(ev.uid = "meeting 12");
	REFUSED(ev.uid = "");
	REFUSED(ev.uid = NULL);
	REFUSED(ev.sequence = -1);
	REFUSED(ev.summary = NULL);
	REFUSED(ev.summary = "");
	REFUSED(ev.summary = "Möte\r\nX-INJECTED:1");
	REFUSED(ev.summary = "Möte\x01");
	REFUSED(ev.summary = "M\xf6te");	/* Latin-1 */
	REFUSED(ev.description = "Rad ett\r\nRad två");
	REFUSED(ev.description = "Rad ett\rRad två");
	REFUSED(ev.location = "Stadshuset\nsal 2");
	REFUSED(ev.url = "https://exempelkommun.se/a b");
	REFUSED(ev.url = "https://exempelkommun.se/\r\nX-INJECTED:1");
	REFUSED(ev.organizer_name = "Kommun\r\nX-INJECTED:1");
	REFUSED(ev.organizer_email = NULL);
	REFUSED(ev.organizer_email = "");
	REFUSED(ev.organizer_email = "upphandling");
	REFUSED(ev.organizer_email = "upphandling@exempelkommun.se\r\nX-A:1");
	REFUSED(ev.organizer_email = "Kommun <upphandling@exempelkommun.se>");
	REFUSED(ev.organizer_email = " upphandling@exempelkommun.se");
	REFUSED(ev.language = "sv\r\n");
	REFUSED(ev.language = "");
	REFUSED(ev.video_url = "https://meet.example/a b"; ev.video_label = "V");
	REFUSED(ev.video_url = "https://meet.example/a");
	REFUSED(ev.video_url = "https://meet.example/a"; ev.video_label = "");
	REFUSED(ev.video_url = "https://meet.example/a";
		ev.video_label = "V\r\nX-INJECTED:1");
#undef REFUSED
}

int
main(void)
{
	if (access(PYTHON, X_OK) != 0 || access(ICSCHECK, R_OK) != 0)
		fprintf(stderr, "test_ical: needs %s and %s (run from the "
			"project root)\n", PYTHON, ICSCHECK);
	RUN(test_winter_stockholm);
	RUN(test_summer_stockholm);
	RUN(test_more_times);
	RUN(test_zone_without_summer_time);
	RUN(test_cancelled);
	RUN(test_room_and_video);
	RUN(test_long_text_folds_and_survives);
	RUN(test_optional_fields);
	RUN(test_full_buffer);
	RUN(test_bad_input);
	/* libical keeps the zones it loaded; a leak check need not see them */
	icaltimezone_free_builtin_timezones();
	return test_done("ical");
}
