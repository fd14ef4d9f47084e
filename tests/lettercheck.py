#!/usr/bin/python3
"""Reads one mail as a firm's mail program would, with Python's email
package and the icalendar package (both independent of our code), and
prints what the C test checks, one "key: value" per line:

    to, subject, bcc (how many Bcc fields), defects, parts (content types)
    text: / html: the decoded bodies, each ended by a line "."
    ics-part-method (the calendar part's Content-Type method=),
    ics-method, ics-uid, ics-sequence, ics-status, ics-start, ics-end
    (UTC, ISO 8601), ics-tzid, ics-summary, ics-location, ics-organizer,
    ics-description (LF as \\n), ics-conference, ics-observances (as
    icscheck.py prints them)
"""
import sys
from datetime import timezone
from email import policy
from email.parser import BytesParser

import icalendar

from icscheck import escape, observance

with open(sys.argv[1], "rb") as f:
    msg = BytesParser(policy=policy.default).parse(f)

defects = list(msg.defects)
for _, value in msg.items():
    defects.extend(getattr(value, "defects", []))
for part in msg.walk():
    defects.extend(part.defects)
print("to:", msg["To"])
print("subject:", msg["Subject"])
print("subjects:", len(msg.get_all("Subject") or []))
print("bcc:", len(msg.get_all("Bcc") or []))
print("defects:", len(defects))
print("parts:", " ".join(p.get_content_type() for p in msg.walk()))
print("text:")
print(msg.get_body(("plain",)).get_content(), end="")
print(".")
html = msg.get_body(("html",))
if html is not None:
    print("html:")
    print(html.get_content(), end="")
    print(".")
for att in msg.iter_attachments():
    if att.get_content_type() != "text/calendar":
        continue
    cal = icalendar.Calendar.from_ical(att.get_payload(decode=True))
    print("ics-part-method:", att.get_param("method"))
    print("ics-method:", cal["METHOD"])
    for ev in cal.walk("VEVENT"):
        start = ev.decoded("DTSTART")
        print("ics-uid:", ev["UID"])
        print("ics-sequence:", ev["SEQUENCE"])
        print("ics-status:", ev["STATUS"])
        print("ics-start:", start.astimezone(timezone.utc).isoformat())
        print("ics-end:",
              ev.decoded("DTEND").astimezone(timezone.utc).isoformat())
        print("ics-tzid:", ev["DTSTART"].params.get("TZID"))
        print("ics-summary:", ev["SUMMARY"])
        print("ics-location:", ev.get("LOCATION", ""))
        print("ics-organizer:", ev["ORGANIZER"])
        print("ics-description:", escape(ev.get("DESCRIPTION", "")))
        print("ics-conference:", ev.get("CONFERENCE", ""))
    print("ics-timezones:",
          " ".join(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")))
    print("ics-observances:", " ".join(
        observance(obs) for tz in cal.walk("VTIMEZONE")
        for obs in tz.subcomponents))
