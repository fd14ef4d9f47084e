#include <stdio.h>
#include <string.h>

#include <libical/ical.h>

#include "buf.h"
#include "ical.h"
#include "log.h"
#include "mail.h"
#include "utf8.h"

#define PRODID "-//tenderlots//tenderlots//SV"
#define TIME_MAX 253370764800LL	/* 9999-01-01T00:00:00Z: keeps 4-digit years */
#define ADDR_MAX 254		/* the longest address mail_address() takes */

/* libical tells why only through icalerrno (per thread). */
static int
ical_failed(const char *what)
{
	return error("ical: libical could not make %s (%s)", what,
		     icalerror_strerror(icalerrno));
}

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* An ASCII letter, then letters, digits and bytes from extra. */
static int
name_ok(const char *s, const char *extra)
{
	if (!s || !is_alpha(*s))
		return 0;
	for (; *s; s++)
		if (!is_alpha(*s) && !(*s >= '0' && *s <= '9') &&
		    !strchr(extra, *s))
			return 0;
	return 1;
}

/* Printable ASCII without spaces, as UIDs and URLs are passed on. */
static int
token_ok(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (*s < 0x21 || *s > 0x7e)
			return 0;
	return 1;
}

/*
 * Well-formed UTF-8 without control characters but tab, and LF where
 * lines are allowed: libical silently drops a CR, which would join lines.
 */
static int
text_ok(const char *s, int lines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k;

	while (n > 0) {
		if (*p >= 0x80) {
			k = utf8_seq_len(p, n);
			if (!k)
				return 0;
		} else if ((*p < 0x20 && *p != '\t' && !(lines && *p == '\n')) ||
			   *p == 0x7f) {
			return 0;
		} else {
			k = 1;
		}
		p += k;
		n -= k;
	}
	return 1;
}

static int
time_ok(time_t t)
{
	return t >= 0 && (long long)t < TIME_MAX;
}

static int
check_event(const struct ical_event *ev)
{
	char addr[ADDR_MAX + 1];

	/* The UID names the meeting in every later message, so check it first. */
	if (!token_ok(ev->uid))
		return error("ical: missing or invalid UID");
	if (ev->sequence < 0)
		return error("ical %s: negative SEQUENCE", ev->uid);
	if (!time_ok(ev->start) || !time_ok(ev->end) || !time_ok(ev->stamp))
		return error("ical %s: time out of range", ev->uid);
	if (ev->end <= ev->start)
		return error("ical %s: the meeting does not end after it starts", ev->uid);
	/* checked before libical turns it into a path in the zone files */
	if (!name_ok(ev->tzid, "/_+-"))
		return error("ical %s: invalid time zone name", ev->uid);
	if (!ev->summary || !*ev->summary || !text_ok(ev->summary, 0))
		return error("ical %s: missing or invalid summary", ev->uid);
	if (ev->description && !text_ok(ev->description, 1))
		return error("ical %s: invalid description", ev->uid);
	if (ev->location && !text_ok(ev->location, 0))
		return error("ical %s: invalid location", ev->uid);
	if (ev->url && !token_ok(ev->url))
		return error("ical %s: invalid URL", ev->uid);
	if (ev->video_url && !token_ok(ev->video_url))
		return error("ical %s: invalid video link", ev->uid);
	if (ev->video_url && (!ev->video_label || !*ev->video_label ||
			      !text_ok(ev->video_label, 0)))
		return error("ical %s: missing or invalid video link label",
			     ev->uid);
	if (ev->organizer_name && !text_ok(ev->organizer_name, 0))
		return error("ical %s: invalid organizer name", ev->uid);
	if (!ev->organizer_email ||
	    mail_address(ev->organizer_email, addr, sizeof addr) < 0 ||
	    strcmp(addr, ev->organizer_email) != 0)
		return error("ical %s: missing or invalid organizer address",
			     ev->uid);
	if (ev->language && !name_ok(ev->language, "-"))
		return error("ical %s: invalid language", ev->uid);
	return 0;
}

/* c takes p; NULL is a property libical could not make. */
static int
add(icalcomponent *c, icalproperty *p, const char *what)
{
	if (!p)
		return ical_failed(what);
	icalcomponent_add_property(c, p);
	return 0;
}

static int
add_param(icalproperty *p, icalparameter *param, const char *what)
{
	if (!param)
		return ical_failed(what);
	icalproperty_add_parameter(p, param);
	return 0;
}

/* A TEXT property, marked with the meeting's language. */
static int
add_text(icalcomponent *c, icalproperty *p, const char *lang,
	 const char *what)
{
	if (add(c, p, what) < 0)
		return -1;
	return lang ? add_param(p, icalparameter_new_language(lang), what) : 0;
}

/*
 * DTSTART or DTEND as the wall-clock time in zone, with TZID unless zone
 * is UTC. icaltime_from_timet_with_zone() in libical 3.0 moves the clock
 * to the zone but leaves the time marked UTC, so it would be written
 * with a "Z"; icaltime_convert_to_zone() marks it.
 */
static int
add_time(icalcomponent *c, icalproperty *(*make)(struct icaltimetype),
	 time_t t, icaltimezone *zone, const char *tzid, const char *what)
{
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	struct icaltimetype tt;
	icalproperty *p;

	tt = icaltime_convert_to_zone(icaltime_from_timet_with_zone(t, 0, utc),
				      zone);
	p = make(tt);
	if (add(c, p, what) < 0)
		return -1;
	if (zone == utc)
		return 0;
	return add_param(p, icalparameter_new_tzid(tzid), what);
}

/* The RRULE of obs without its UNTIL, as text; NULL if it has no UNTIL. */
static char *
rule_sans_until(icalcomponent *obs)
{
	icalproperty *p = icalcomponent_get_first_property(obs,
							   ICAL_RRULE_PROPERTY);
	struct icalrecurrencetype r;

	if (!p)
		return NULL;
	r = icalproperty_get_rrule(p);
	if (icaltime_is_null_time(r.until))
		return NULL;
	r.until = icaltime_null_time();
	return icalrecurrencetype_as_string_r(&r);
}

static int
same_offsets(icalcomponent *a, icalcomponent *b)
{
	icalproperty *af = icalcomponent_get_first_property(a,
		ICAL_TZOFFSETFROM_PROPERTY);
	icalproperty *at = icalcomponent_get_first_property(a,
		ICAL_TZOFFSETTO_PROPERTY);
	icalproperty *bf = icalcomponent_get_first_property(b,
		ICAL_TZOFFSETFROM_PROPERTY);
	icalproperty *bt = icalcomponent_get_first_property(b,
		ICAL_TZOFFSETTO_PROPERTY);

	return af && at && bf && bt &&
	       icalproperty_get_tzoffsetfrom(af) ==
	       icalproperty_get_tzoffsetfrom(bf) &&
	       icalproperty_get_tzoffsetto(at) == icalproperty_get_tzoffsetto(bt);
}

/*
 * Whether b goes on with the rule a stops by (UNTIL): of the same kind,
 * with the same offsets and rule, open-ended, from the year after at the
 * latest. libical writes today's rules so, split where the zone files'
 * 32-bit table ends, in 2037.
 */
static int
continues(icalcomponent *a, icalcomponent *b, const char *rule)
{
	icalproperty *pa = icalcomponent_get_first_property(a,
							    ICAL_RRULE_PROPERTY);
	icalproperty *pb = icalcomponent_get_first_property(b,
							    ICAL_RRULE_PROPERTY);
	struct icalrecurrencetype rb;
	char *text;
	int same;

	if (!pb || icalcomponent_isa(a) != icalcomponent_isa(b) ||
	    !same_offsets(a, b) ||
	    icalcomponent_get_dtstart(b).year >
	    icalproperty_get_rrule(pa).until.year + 1)
		return 0;
	rb = icalproperty_get_rrule(pb);
	if (!icaltime_is_null_time(rb.until))
		return 0;
	text = icalrecurrencetype_as_string_r(&rb);
	same = text && strcmp(text, rule) == 0;
	icalmemory_free_buffer(text);
	return same;
}

/* More are left as they are: valid, only longer. */
#define OBSERVANCES_MAX 32

/*
 * The observances from `from` on, and only those: libical writes every
 * change since 1879, which Outlook is known to choke on. Truncated the
 * way Outlook writes zones, a rule keeps its first DTSTART (1996 for
 * Stockholm's October change), and a rule libical continues in a second
 * observance is one open-ended observance, so today's rules are one
 * STANDARD and one DAYLIGHT.
 */
static void
current_rules(icalcomponent *vtz, time_t from)
{
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	icalcomponent *obs[OBSERVANCES_MAX], *c;
	icalproperty *p;
	struct icalrecurrencetype r;
	size_t n = 0, i, j;
	char *rule;

	icaltimezone_truncate_vtimezone(vtz,
		icaltime_from_timet_with_zone(from, 0, utc),
		icaltime_null_time(), 1);
	/* collected first: a component has one iterator over its children */
	for (c = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT);
	     c && n < OBSERVANCES_MAX;
	     c = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT))
		obs[n++] = c;
	for (i = 0; i < n; i++) {
		if (!obs[i] || !(rule = rule_sans_until(obs[i])))
			continue;
		for (j = 0; j < n; j++)
			if (j != i && obs[j] && continues(obs[i], obs[j], rule))
				break;
		icalmemory_free_buffer(rule);
		if (j == n)
			continue;
		p = icalcomponent_get_first_property(obs[i], ICAL_RRULE_PROPERTY);
		r = icalproperty_get_rrule(p);
		r.until = icaltime_null_time();
		icalproperty_set_rrule(p, r);
		icalcomponent_remove_component(vtz, obs[j]);
		icalcomponent_free(obs[j]);
		obs[j] = NULL;
	}
}

/*
 * A copy of the zone's VTIMEZONE with the rules from `from` on: the
 * original is in libical's cache of zones, shared by everything in the
 * process. The copy's TZID drops libical's
 * "/freeassociation.sourceforge.net/" prefix, which only libical
 * resolves; clients look up the IANA name and fall back on the rules
 * given here.
 */
static int
add_vtimezone(icalcomponent *cal, icaltimezone *zone, const char *tzid,
	      time_t from)
{
	icalcomponent *vtz = icaltimezone_get_component(zone);
	icalproperty *p;

	if (!vtz)
		return error("ical: no VTIMEZONE for %s", tzid);
	vtz = icalcomponent_new_clone(vtz);
	if (!vtz)
		return ical_failed("VTIMEZONE");
	p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
	if (!p) {
		icalcomponent_free(vtz);
		return error("ical: VTIMEZONE for %s without TZID", tzid);
	}
	icalproperty_set_tzid(p, tzid);
	current_rules(vtz, from);
	icalcomponent_add_component(cal, vtz);
	return 0;
}

/*
 * The description, and the video link on a line of its own at its end:
 * the one place every client shows, Outlook and Google included, which
 * read neither CONFERENCE nor a second location.
 */
static int
add_description(icalcomponent *event, const struct ical_event *ev)
{
	struct buf text;
	int rc;

	if (!ev->video_url)
		return ev->description ?
		       add_text(event,
				icalproperty_new_description(ev->description),
				ev->language, "DESCRIPTION") : 0;
	buf_init(&text, 0);
	rc = buf_printf(&text, "%s%s%s: %s",
			ev->description ? ev->description : "",
			ev->description ? "\n\n" : "", ev->video_label,
			ev->video_url);
	if (rc < 0)
		error("ical %s: out of memory", ev->uid);
	else
		rc = add_text(event, icalproperty_new_description(buf_str(&text)),
			      ev->language, "DESCRIPTION");
	buf_release(&text);
	return rc;
}

/* RFC 7986 CONFERENCE, which Apple Calendar and Thunderbird offer to join. */
static int
add_conference(icalcomponent *event, const struct ical_event *ev)
{
	icalproperty *p = icalproperty_new_conference(ev->video_url);

	if (add(event, p, "CONFERENCE") < 0 ||
	    add_param(p, icalparameter_new_value(ICAL_VALUE_URI),
		      "CONFERENCE") < 0 ||
	    add_param(p, icalparameter_new_feature(ICAL_FEATURE_VIDEO),
		      "CONFERENCE") < 0)
		return -1;
	return add_param(p, icalparameter_new_label(ev->video_label),
			 "CONFERENCE");
}

static int
add_event(icalcomponent *cal, const struct ical_event *ev, icaltimezone *zone)
{
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	struct icaltimetype stamp;
	char mailto[sizeof "mailto:" + ADDR_MAX];
	icalcomponent *event;
	icalproperty *p;
	const char *lang = ev->language, *where;

	event = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	if (!event)
		return ical_failed("VEVENT");
	icalcomponent_add_component(cal, event);
	stamp = icaltime_from_timet_with_zone(ev->stamp, 0, utc);
	if (add(event, icalproperty_new_uid(ev->uid), "UID") < 0 ||
	    add(event, icalproperty_new_sequence(ev->sequence), "SEQUENCE") < 0 ||
	    add(event, icalproperty_new_dtstamp(stamp), "DTSTAMP") < 0 ||
	    add(event, icalproperty_new_lastmodified(stamp),
		"LAST-MODIFIED") < 0)
		return -1;
	if (add_time(event, icalproperty_new_dtstart, ev->start, zone,
		     ev->tzid, "DTSTART") < 0 ||
	    add_time(event, icalproperty_new_dtend, ev->end, zone,
		     ev->tzid, "DTEND") < 0)
		return -1;
	p = icalproperty_new_status(ev->cancelled ? ICAL_STATUS_CANCELLED :
				    ICAL_STATUS_CONFIRMED);
	if (add(event, p, "STATUS") < 0 ||
	    add_text(event, icalproperty_new_summary(ev->summary), lang,
		     "SUMMARY") < 0)
		return -1;
	if (add_description(event, ev) < 0)
		return -1;
	/* a room, where there is one, is where the meeting is */
	where = ev->location ? ev->location : ev->video_url;
	if (where && add_text(event, icalproperty_new_location(where), lang,
			      "LOCATION") < 0)
		return -1;
	if (ev->url && add(event, icalproperty_new_url(ev->url), "URL") < 0)
		return -1;
	if (ev->video_url && add_conference(event, ev) < 0)
		return -1;
	snprintf(mailto, sizeof mailto, "mailto:%s", ev->organizer_email);
	p = icalproperty_new_organizer(mailto);
	if (add(event, p, "ORGANIZER") < 0)
		return -1;
	if (ev->organizer_name)
		return add_param(p, icalparameter_new_cn(ev->organizer_name),
				 "ORGANIZER");
	return 0;
}

const char *
ical_content_type(int cancelled)
{
	return cancelled ? "text/calendar; charset=utf-8; method=CANCEL" :
			   "text/calendar; charset=utf-8; method=PUBLISH";
}

int
ical_calendar(const struct ical_event *ev, struct buf *out)
{
	icalcomponent *cal;
	icaltimezone *zone;
	char *text = NULL;
	int rc = -1;

	if (check_event(ev) < 0)
		return -1;
	zone = icaltimezone_get_builtin_timezone(ev->tzid);
	if (!zone)
		return error("ical %s: unknown time zone %s", ev->uid, ev->tzid);
	cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	if (!cal)
		return ical_failed("VCALENDAR");
	if (add(cal, icalproperty_new_prodid(PRODID), "PRODID") < 0 ||
	    add(cal, icalproperty_new_version("2.0"), "VERSION") < 0 ||
	    add(cal, icalproperty_new_method(ev->cancelled ? ICAL_METHOD_CANCEL :
					     ICAL_METHOD_PUBLISH),
		"METHOD") < 0)
		goto out;
	if (zone != icaltimezone_get_utc_timezone() &&
	    add_vtimezone(cal, zone, ev->tzid,
			  ev->stamp < ev->start ? ev->stamp : ev->start) < 0)
		goto out;
	if (add_event(cal, ev, zone) < 0)
		goto out;
	text = icalcomponent_as_ical_string_r(cal);
	if (!text) {
		ical_failed("the text");
		goto out;
	}
	if (buf_adds(out, text) < 0) {
		error("ical %s: calendar larger than %zu bytes", ev->uid,
		      out->max);
		goto out;
	}
	rc = 0;
out:
	icalmemory_free_buffer(text);
	icalcomponent_free(cal);
	return rc;
}
