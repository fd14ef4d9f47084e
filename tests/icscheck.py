#!/usr/bin/python3
"""Reads an .ics file with the icalendar package (a parser independent of
libical) and prints what a calendar client takes from it, for the C tests
to check, one "name: value" line each. Backslash, CR and LF in values are
written as \\\\, \\r and \\n; absent properties are left out.

    method, version, prodid
    vtimezones          the TZIDs of the VTIMEZONEs, space-separated
    vevents             how many VEVENTs
    uid, sequence, status, summary, description, location, url
    conference          the CONFERENCE (RFC 7986) value, then its VALUE,
                        FEATURE and LABEL as conference-value and so on
    language            the LANGUAGE of SUMMARY, DESCRIPTION and LOCATION,
                        space-separated
    organizer, organizer-cn
    dtstamp, last-modified
    dtstart-tzid        the TZID parameter
    dtstart             the instant, the TZID looked up by name in the
                        system's zone database, as UTC "YYYY-MM-DDTHH:MM:SSZ"
    dtstart-vtimezone   the instant by the rules of the file's own
                        VTIMEZONE for that TZID (what clients that do not
                        know the name use)
    dtstart-to-tz       the instant by icalendar's own reading of that
                        VTIMEZONE, Timezone.to_tz(), which refuses what a
                        strict reader does (an UNTIL in UTC with a local
                        DTSTART); "refused" then
    (and the same four for dtend)
    observances         each STANDARD and DAYLIGHT of that VTIMEZONE as
                        KIND/DTSTART/RRULE, space-separated
"""
import datetime
import itertools
import sys

import dateutil.rrule
import icalendar

UTC = datetime.timezone.utc
# Onsets are expanded this far; the tests stay well before.
HORIZON = datetime.datetime(2100, 1, 1, tzinfo=UTC)


def escape(value):
    return (str(value).replace("\\", "\\\\").replace("\r", "\\r")
            .replace("\n", "\\n"))


def iso(dt):
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def onsets(vtz):
    """(onset as UTC, offset from then on) of each STANDARD and DAYLIGHT.

    Done here rather than with icalendar's Timezone.to_tz(), which hands a
    UTC UNTIL with a local DTSTART to dateutil, and dateutil refuses it.
    RFC 5545 3.6.5: DTSTART, RDATE and the rule's times are local times
    in TZOFFSETFROM, UNTIL is UTC.
    """
    out = []
    for obs in vtz.subcomponents:
        offset_from = obs["TZOFFSETFROM"].td
        offset_to = obs["TZOFFSETTO"].td
        zone = datetime.timezone(offset_from)
        start = obs["DTSTART"].dt.replace(tzinfo=zone)
        local = [start]
        rdates = obs.get("RDATE", [])
        if not isinstance(rdates, list):
            rdates = [rdates]
        local += [d.dt.replace(tzinfo=zone) for r in rdates for d in r.dts]
        if "RRULE" in obs:
            rule = dateutil.rrule.rrulestr(
                obs["RRULE"].to_ical().decode(), dtstart=start)
            local += itertools.takewhile(lambda d: d < HORIZON, rule)
        out += [(d.astimezone(UTC), offset_to) for d in local]
    return sorted(out)


def offset_at(changes, instant):
    offset = None
    for onset, to in changes:
        if onset > instant:
            break
        offset = to
    return offset


def by_vtimezone(changes, wall):
    """The instant a wall-clock time names; the first of two, RFC 5545
    3.3.5, and "gap" for one skipped when clocks go forward."""
    found = []
    for offset in {to for _, to in changes}:
        instant = (wall - offset).replace(tzinfo=UTC)
        if offset_at(changes, instant) == offset:
            found.append(instant)
    return iso(min(found)) if found else "gap"


def to_tz_instant(vtz, wall):
    try:
        return iso(vtz.to_tz().localize(wall))
    except ValueError:
        return "refused"


def observance(obs):
    rule = obs["RRULE"].to_ical().decode() if "RRULE" in obs else "-"
    return "%s/%s/%s" % (obs.name, obs["DTSTART"].to_ical().decode(), rule)


def main(path):
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    fields = []

    def put(name, value):
        fields.append((name, escape(value)))

    for name in ("METHOD", "VERSION", "PRODID"):
        if name in cal:
            put(name.lower(), cal[name])
    zones = {str(z["TZID"]): z for z in cal.walk("VTIMEZONE")}
    put("vtimezones", " ".join(zones))
    events = cal.walk("VEVENT")
    put("vevents", len(events))
    ev = events[0]
    for name in ("UID", "SEQUENCE", "STATUS", "SUMMARY", "DESCRIPTION",
                 "LOCATION", "URL"):
        if name in ev:
            put(name.lower(), ev[name])
    if "CONFERENCE" in ev:
        put("conference", ev["CONFERENCE"])
        for param in ("VALUE", "FEATURE", "LABEL"):
            if param in ev["CONFERENCE"].params:
                put("conference-" + param.lower(),
                    ev["CONFERENCE"].params[param])
    put("language", " ".join(
        ev[n].params.get("LANGUAGE", "-")
        for n in ("SUMMARY", "DESCRIPTION", "LOCATION") if n in ev))
    if "ORGANIZER" in ev:
        put("organizer", ev["ORGANIZER"])
        if "CN" in ev["ORGANIZER"].params:
            put("organizer-cn", ev["ORGANIZER"].params["CN"])
    for name in ("DTSTAMP", "LAST-MODIFIED"):
        if name in ev:
            put(name.lower(), iso(ev.decoded(name)))
    for name in ("DTSTART", "DTEND"):
        if name not in ev:
            continue
        tzid = ev[name].params.get("TZID")
        if tzid:
            put(name.lower() + "-tzid", tzid)
        put(name.lower(), iso(ev.decoded(name)))
        if tzid in zones:
            wall = ev[name].dt.replace(tzinfo=None)
            put(name.lower() + "-vtimezone",
                by_vtimezone(onsets(zones[tzid]), wall))
            put(name.lower() + "-to-tz", to_tz_instant(zones[tzid], wall))
    for tzid, vtz in zones.items():
        put("observances", " ".join(observance(obs)
                                    for obs in vtz.subcomponents))
    for name, value in fields:
        print("%s: %s" % (name, value))


if __name__ == "__main__":
    main(sys.argv[1])
