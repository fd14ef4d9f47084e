#!/usr/bin/python3
"""Parses mail files with Python's email package (a real, independent MIME
parser) and prints what a reader sees, for the C tests to check:

    file: <name>
    header <Name>: <decoded value>     (one line per header)
    content-type: <type>; charset=<charset>
    part: <type> [<filename>]          (one line per MIME part)
    defects: <n>
    body:
    <decoded text/plain part>
    .

With MAILCHECK_HTML set in the environment, the decoded text/html part
comes before "body:", after a line "html:".
"""
import os
import sys
from email import policy
from email.parser import BytesParser

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        msg = BytesParser(policy=policy.default).parse(f)
    print("file:", path.rsplit("/", 1)[-1])
    for name, value in msg.items():
        print("header %s: %s" % (name, str(value).replace("\n", " ")))
    print("content-type: %s; charset=%s" % (msg.get_content_type(),
                                            msg.get_content_charset()))
    defects = list(msg.defects)
    for _, value in msg.items():
        defects.extend(getattr(value, "defects", []))
    for part in msg.walk():
        defects.extend(part.defects)
        name = part.get_filename()
        print("part: %s%s" % (part.get_content_type(),
                              " " + name if name else ""))
    print("defects:", len(defects))
    if os.environ.get("MAILCHECK_HTML"):
        print("html:")
        print(msg.get_body(("html",)).get_content())
    print("body:")
    print(msg.get_body(("plain",)).get_content(), end="")
    print(".")
