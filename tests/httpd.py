#!/usr/bin/python3
"""A loopback HTTP/1.1 server the C tests script through the request path.

Started by the C tests through tests/httpd.h, from the project root:

    struct httpd srv;
    char url[HTTPD_URL_MAX], *log;

    if (httpd_start("tests/fixtures/eforms", &srv) < 0)
        ... the server did not come up within 5 s ...
    fetch_http(&(struct fetch_request){ .url = httpd_url(&srv, "/a.xml", url) }, ...);
    log = httpd_log(&srv);      (the request log so far; free() it)
    CHECK(httpd_stop(&srv) == 0);   (SIGTERM, waits; 0 if it exited cleanly)

or by hand:

    /usr/bin/python3 tests/httpd.py --port-file FILE --root DIR [--log FILE]

It binds 127.0.0.1 on a free port and writes the port number to the port
file (atomically, once it is listening). SIGTERM makes it exit with 0.

Paths (a query string is ignored unless stated):

  /PATH                  the file DIR/PATH, with a strong ETag (hash of the
                         content) and Last-Modified (its mtime); 304 when
                         If-None-Match matches, or when there is no
                         If-None-Match and If-Modified-Since is not older
  /gzip/PATH             what PATH answers, gzip-encoded when the request
                         accepts gzip (/gzip/big/N makes a gzip bomb)
  /status/NNN            status NNN; ?retry_after=S adds "Retry-After: S",
                         ?retry_after_date=S the HTTP-date S seconds ahead
  /slow/N                sleeps N seconds (a float), then 200 "slow\\n"
  /hang                  reads the request and never answers, until the
                         client closes the connection (or 60 s pass)
  /redirect/N/PATH       N redirects (302, each with a body, an ETag and a
                         Retry-After that must not leak into the final
                         response), then what /PATH answers
  /redirect-file         302 to file:///etc/passwd
  /big/N                 N bytes of "x"; ?chunked=1 sends them chunked,
                         without Content-Length
  /garbage               random bytes (?n=N, default 4096) as
                         application/xml
  /flaky/KEY/N[/PATH]    503 for the first N requests for KEY, then what
                         /PATH answers ("ok\\n" without PATH)
  POST /post-echo        JSON {"method", "path", "headers", "body"}
  POST /ted/v3/notices/search
                         the TED search API (v3), as strict as the real one:
                         see "The TED mock" below
  /ted-notices/PUB.xml   a notice's XML (DIR/ted-notices/PUB.xml), unless
                         ted-mock.json says it fails first

The TED mock answers like api.ted.europa.eu: a body with a key the API
does not know, no "fields", a "limit" over 250, an unknown scope or
pagination mode, or a query TED cannot parse (unbalanced parentheses or
quotes, a country by two letters, a date not YYYYMMDD or today(N),
"SORT BY ... ASC") gets 400 with a JSON {"message": ...} saying why. The
notices are the files DIR/ted-notices/<publication number>.xml; a
notice's publication date is in DIR/ted-notices/dates.json
({"100001-2026": "2026-11-24+01:00"}), else the file's modification
day. "publication-date>=D" and "<=D" (also > < =) bound them; other
terms of the query match everything. They come oldest first (by
publication number), unless the query ends "SORT BY publication-number
DESC" (or publication-date). In ITERATION mode a first page fixes the
result set under an opaque token; the next token is in
"iterationNextToken" (null on the last page), and a token that is
unknown, expired or sent with another query gets 400. Every other notice
carries links.xml.MUL, the rest leave the URL to the client.

DIR/ted-mock.json, read on every request, makes it misbehave:

  {"token_ttl": S}         tokens expire after S seconds (default 600)
  {"rate_limit": N}        more than N TED requests (search and notices)
                           within a second get 429 with Retry-After: 1
  {"throttle_after": K,    every search after the K-th gets 429 with
   "retry_after": "S"}     Retry-After: S (a number, or an HTTP date)
  {"fail": {"PUB": [403, 403, 503]}}
                           the first GETs of that notice's XML answer
                           these statuses (a 403 burst), then the file
The request log (--log) gets one line per request, written before the
answer is sent, so a test may read it as soon as its request returned:

  METHOD<TAB>PATH<TAB>IF-NONE-MATCH<TAB>IF-MODIFIED-SINCE<TAB>STATUS

with "-" for an absent header and status "-" for /hang.

Adding a handler (for example the TED mock): write a function taking the
request and the rest of the path after the route's prefix, returning a
Reply, e.g.

    def handle_ted_search(req, rest):
        query = json.loads(req.body)
        return Reply(200, json.dumps({...}).encode(),
                     [("Content-Type", "application/json")])

and add ("POST", "/ted/", handle_ted_search) to ROUTES above the final
catch-all. req is the BaseHTTPRequestHandler with .body (bytes of a POST),
.query (dict of the query string, last value wins), .headers and
.server.counter(key) (a thread-safe per-server counter). A handler may
call dispatch(req, path) to answer as another path would. Routes are
matched in order on method ("*" for any) and path prefix.
"""
import argparse
import datetime
import email.utils
import gzip
import hashlib
import http.server
import json
import mimetypes
import os
import re
import signal
import socketserver
import sys
import threading
import time
import urllib.parse

MAX_REQUEST_BODY = 1 << 20
HANG_LIMIT = 60.0


class Reply:
    def __init__(self, status, body=b"", headers=(), chunked=False):
        self.status = status
        self.body = body
        self.headers = list(headers)
        self.chunked = chunked


def handle_file(req, rest):
    root = req.server.root
    path = os.path.realpath(os.path.join(root, urllib.parse.unquote(rest)))
    if not path.startswith(root + os.sep) or not os.path.isfile(path):
        return Reply(404, b"not found\n")
    with open(path, "rb") as f:
        data = f.read()
    mtime = int(os.stat(path).st_mtime)
    validators = [("ETag", '"%s"' % hashlib.sha256(data).hexdigest()[:32]),
                  ("Last-Modified", email.utils.formatdate(mtime, usegmt=True))]
    inm = req.headers.get("If-None-Match")
    ims = req.headers.get("If-Modified-Since")
    if inm is not None:
        tags = [t.strip() for t in inm.split(",")]
        if "*" in tags or validators[0][1] in tags:
            return Reply(304, b"", validators)
    elif ims is not None:
        try:
            since = email.utils.parsedate_to_datetime(ims).timestamp()
        except (TypeError, ValueError):
            since = None
        if since is not None and mtime <= since:
            return Reply(304, b"", validators)
    ctype = {".xml": "application/xml", ".atom": "application/atom+xml",
             ".rss": "application/rss+xml", ".json": "application/json"}.get(
                 os.path.splitext(path)[1])
    ctype = ctype or mimetypes.guess_type(path)[0] or "application/octet-stream"
    return Reply(200, data, validators + [("Content-Type", ctype)])


def handle_gzip(req, rest):
    reply = dispatch(req, "/" + rest)
    accepted = req.headers.get("Accept-Encoding", "")
    if "gzip" in accepted and reply.body:
        reply.body = gzip.compress(reply.body)
        reply.headers.append(("Content-Encoding", "gzip"))
    reply.headers.append(("Vary", "Accept-Encoding"))
    return reply


def handle_status(req, rest):
    headers = [("Content-Type", "text/plain")]
    if "retry_after" in req.query:
        headers.append(("Retry-After", req.query["retry_after"]))
    if "retry_after_date" in req.query:
        when = time.time() + int(req.query["retry_after_date"])
        headers.append(("Retry-After", email.utils.formatdate(when, usegmt=True)))
    return Reply(int(rest), b"status %s\n" % rest.encode(), headers)


def handle_slow(req, rest):
    time.sleep(float(rest))
    return Reply(200, b"slow\n", [("Content-Type", "text/plain")])


def handle_hang(req, rest):
    req.log_line("-")
    conn = req.connection
    conn.settimeout(HANG_LIMIT)
    try:
        while conn.recv(4096):
            pass
    except OSError:
        pass
    req.close_connection = True
    return None


def handle_redirect(req, rest):
    count, _, path = rest.partition("/")
    count = int(count)
    if count <= 0:
        return dispatch(req, "/" + path)
    return Reply(302, b"redirecting\n",
                 [("Location", "/redirect/%d/%s" % (count - 1, path)),
                  ("ETag", '"redirect"'), ("Retry-After", "99")])


def handle_redirect_file(req, rest):
    return Reply(302, b"", [("Location", "file:///etc/passwd")])


def handle_big(req, rest):
    return Reply(200, b"x" * int(rest), [("Content-Type", "text/plain")],
                 chunked=req.query.get("chunked") == "1")


def handle_garbage(req, rest):
    return Reply(200, os.urandom(int(req.query.get("n", "4096"))),
                 [("Content-Type", "application/xml")])


def handle_flaky(req, rest):
    key, _, rest = rest.partition("/")
    failures, _, path = rest.partition("/")
    if req.server.counter(key) <= int(failures):
        return Reply(503, b"try later\n", [("Content-Type", "text/plain")])
    if path:
        return dispatch(req, "/" + path)
    return Reply(200, b"ok\n", [("Content-Type", "text/plain")])


def handle_post_echo(req, rest):
    echo = {"method": req.command, "path": req.path,
            "headers": dict(req.headers.items()),
            "body": req.body.decode("utf-8", "replace")}
    return Reply(200, json.dumps(echo, sort_keys=True).encode() + b"\n",
                 [("Content-Type", "application/json")])


TED_BODY_KEYS = ("query", "fields", "page", "limit", "scope", "checkQuerySyntax",
                 "paginationMode", "onlyLatestVersions", "iterationNextToken")
TED_DATE = re.compile(r"publication-date\s*(>=|<=|>|<|=)\s*(\S+?)(?=[\s)]|$)")
TED_COUNTRY = re.compile(r"([A-Za-z-]*country[A-Za-z-]*)\s*(?:=|!=|\bIN\b|\bNOT IN\b)"
                         r"\s*\(?([^)]*?)(?:\)|\bAND\b|\bOR\b|$)", re.I)
TED_SORT = re.compile(r"\s+SORT BY\s+(\S+)(?:\s+(\S+))?\s*$")


def ted_settings(req):
    try:
        with open(os.path.join(req.server.root, "ted-mock.json")) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def ted_refuse(message, status=400, headers=()):
    return Reply(status, json.dumps({"message": message}).encode(),
                 [("Content-Type", "application/json")] + list(headers))


def ted_throttled(req, settings):
    """A 429 when more than rate_limit TED requests came within a second."""
    limit = settings.get("rate_limit")
    now = time.monotonic()
    with req.server.lock:
        times = [t for t in req.server.ted_times if now - t < 1.0]
        times.append(now)
        req.server.ted_times = times
    if limit is not None and len(times) > limit:
        return ted_refuse("Too many requests", 429, [("Retry-After", "1")])
    return None


def ted_day(text):
    """YYYYMMDD or today(N) as a date; None if TED would refuse it."""
    if re.fullmatch(r"[0-9]{8}", text):
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    m = re.fullmatch(r"today\(([+-]?[0-9]*)\)", text)
    if m:
        return datetime.date.today() + datetime.timedelta(days=int(m.group(1) or 0))
    return None


def ted_parse_query(query):
    """(date bounds, sort field, descending) or a 400 Reply."""
    sort, desc = None, False
    m = TED_SORT.search(query)
    if m:
        sort, order = m.group(1), m.group(2)
        if order is not None and order != "DESC":
            return ted_refuse("line 1:%d extraneous input '%s' expecting <EOF>"
                              % (m.start(2), order))
        desc = order == "DESC"
        query = query[:m.start()]
    depth, quoted = 0, False
    for i, c in enumerate(query):
        if c == '"':
            quoted = not quoted
        elif not quoted and c == "(":
            depth += 1
        elif not quoted and c == ")":
            depth -= 1
            if depth < 0:
                return ted_refuse("line 1:%d extraneous input ')'" % i)
    if quoted or depth:
        return ted_refuse("line 1:%d mismatched input '<EOF>'" % len(query))
    if not query.strip():
        return ted_refuse("query: must not be blank")
    for m in TED_COUNTRY.finditer(query):
        for value in m.group(2).split():
            if re.fullmatch(r"[A-Za-z]{2}", value):
                return ted_refuse("Unsupported value '%s' for field '%s'"
                                  % (value, m.group(1)))
    bounds = []
    for m in TED_DATE.finditer(query):
        day = ted_day(m.group(2))
        if day is None:
            return ted_refuse("Invalid value '%s' for field 'publication-date'"
                              % m.group(2))
        bounds.append((m.group(1), day))
    return bounds, sort, desc


def ted_notices(req):
    """[(publication number, date string)] of the notice files."""
    folder = os.path.join(req.server.root, "ted-notices")
    if not os.path.isdir(folder):
        return []
    try:
        with open(os.path.join(folder, "dates.json")) as f:
            dates = json.load(f)
    except FileNotFoundError:
        dates = {}
    out = []
    for name in os.listdir(folder):
        if not name.endswith(".xml"):
            continue
        pub = name[:-4]
        when = dates.get(pub)
        if when is None:
            mtime = os.stat(os.path.join(folder, name)).st_mtime
            when = datetime.datetime.utcfromtimestamp(mtime).strftime("%Y-%m-%dZ")
        out.append((pub, when))
    return out


def ted_number(pub):
    number, _, year = pub.partition("-")
    return (int(year), int(number))


def handle_ted_search(req, rest):
    if rest != "v3/notices/search":
        return Reply(404, b"not found\n")
    settings = ted_settings(req)
    throttled = ted_throttled(req, settings)
    if throttled:
        return throttled
    after = settings.get("throttle_after")
    if after is not None and req.server.counter("ted-search") > after:
        return ted_refuse("Too many requests", 429,
                          [("Retry-After", str(settings.get("retry_after", "60")))])
    try:
        ask = json.loads(req.body)
    except ValueError:
        return ted_refuse("JSON parse error")
    if not isinstance(ask, dict):
        return ted_refuse("JSON parse error: expected an object")
    for key in ask:
        if key not in TED_BODY_KEYS:
            return ted_refuse('Unrecognized field "%s" (class PublicExpertSearch'
                              'RequestV1), not marked as ignorable (%d known '
                              'properties: %s)' % (key, len(TED_BODY_KEYS),
                                                   ", ".join(TED_BODY_KEYS)))
    fields = ask.get("fields")
    if not isinstance(fields, list) or not fields:
        return ted_refuse("fields: must not be empty")
    limit = ask.get("limit", 10)
    if not isinstance(limit, int) or limit < 0 or limit > 250:
        return ted_refuse("limit: must be less than or equal to 250")
    if ask.get("scope", "ALL") not in ("ALL", "ACTIVE", "LATEST"):
        return ted_refuse("scope: unknown value")
    mode = ask.get("paginationMode", "PAGE_NUMBER")
    if mode not in ("PAGE_NUMBER", "ITERATION"):
        return ted_refuse("paginationMode: unknown value")
    query = ask.get("query")
    if not isinstance(query, str):
        return ted_refuse("query: must not be blank")
    parsed = ted_parse_query(query)
    if isinstance(parsed, Reply):
        return parsed
    bounds, sort, desc = parsed
    token = ask.get("iterationNextToken")
    now = time.monotonic()
    if mode == "ITERATION" and token:
        with req.server.lock:
            held = req.server.ted_tokens.pop(token, None)
        if held is None or held["expires"] < now or held["query"] != query:
            return ted_refuse("The iteration token is unknown or has expired")
        ids, start = held["ids"], held["next"]
    else:
        compare = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b,
                   ">": lambda a, b: a > b, "<": lambda a, b: a < b,
                   "=": lambda a, b: a == b}
        notices = [(pub, when) for pub, when in ted_notices(req)
                   if all(compare[op](datetime.date.fromisoformat(when[:10]), day)
                          for op, day in bounds)]
        if sort == "publication-date":
            key = lambda n: (n[1][:10], ted_number(n[0]))
        else:
            key = lambda n: ted_number(n[0])
        ids = sorted(notices, key=key, reverse=desc)
        start = 0
        if mode == "PAGE_NUMBER":
            page = ask.get("page", 1)
            if page * limit > 15000:
                return ted_refuse("Window size (page x limit) exceeds maximum "
                                  "allowed value (15000)")
            start = (page - 1) * limit
    base = "http://%s:%d" % req.server.server_address[:2]
    notices = []
    for i, (pub, when) in enumerate(ids[start:start + limit], start):
        notice = {"publication-number": pub}
        if "publication-date" in fields:
            notice["publication-date"] = when
        if i % 2 == 0:
            notice["links"] = {"xml": {"MUL": "%s/ted-notices/%s.xml" % (base, pub)}}
        notices.append(notice)
    answer = {"notices": notices, "totalNoticeCount": len(ids),
              "iterationNextToken": None, "timedOut": False}
    if mode == "ITERATION" and start + limit < len(ids):
        fresh = hashlib.sha256(os.urandom(16)).hexdigest()
        with req.server.lock:
            req.server.ted_tokens[fresh] = {
                "ids": ids, "next": start + limit, "query": query,
                "expires": now + float(settings.get("token_ttl", 600))}
        answer["iterationNextToken"] = fresh
    return Reply(200, json.dumps(answer).encode(),
                 [("Content-Type", "application/json")])


def handle_ted_notice(req, rest):
    settings = ted_settings(req)
    throttled = ted_throttled(req, settings)
    if throttled:
        return throttled
    statuses = settings.get("fail", {}).get(rest[:-4], [])
    tried = req.server.counter("ted-notice/" + rest)
    if tried <= len(statuses):
        return ted_refuse("refused", statuses[tried - 1])
    return handle_file(req, "ted-notices/" + rest)


ROUTES = [
    ("GET", "/gzip/", handle_gzip),
    ("*", "/status/", handle_status),
    ("GET", "/slow/", handle_slow),
    ("GET", "/hang", handle_hang),
    ("GET", "/redirect/", handle_redirect),
    ("GET", "/redirect-file", handle_redirect_file),
    ("GET", "/big/", handle_big),
    ("GET", "/garbage", handle_garbage),
    ("GET", "/flaky/", handle_flaky),
    ("POST", "/post-echo", handle_post_echo),
    ("POST", "/ted/", handle_ted_search),
    ("GET", "/ted-notices/", handle_ted_notice),
    ("GET", "/", handle_file),
]


def dispatch(req, path):
    for method, prefix, handler in ROUTES:
        if method in ("*", req.command) and path.startswith(prefix):
            try:
                return handler(req, path[len(prefix):])
            except ValueError:
                return Reply(400, b"bad request\n")
    return Reply(405, b"method not allowed\n", [("Allow", "GET")])


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.answer()

    def do_POST(self):
        self.answer()

    def answer(self):
        url = urllib.parse.urlsplit(self.path)
        self.query = dict(urllib.parse.parse_qsl(url.query))
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BODY:
            self.close_connection = True
            self.send(Reply(413, b"too large\n"))
            return
        self.body = self.rfile.read(length)
        reply = dispatch(self, url.path)
        if reply is not None:
            self.send(reply)

    def log_line(self, status):
        def header(name):
            return self.headers.get(name) or "-"
        self.server.log("%s\t%s\t%s\t%s\t%s\n" % (
            self.command, self.path, header("If-None-Match"),
            header("If-Modified-Since"), status))

    def send(self, reply):
        self.log_line(reply.status)
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif reply.status not in (204, 304):
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if not reply.chunked:
            self.wfile.write(reply.body)
            return
        for i in range(0, len(reply.body), 65536):
            chunk = reply.body[i:i + 65536]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, format, *args):
        # The request log file is the record; stderr stays for failures.
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def __init__(self, root, log_path):
        super().__init__(("127.0.0.1", 0), Handler)
        self.root = os.path.realpath(root)
        self.lock = threading.Lock()
        self.counts = {}
        self.ted_tokens = {}
        self.ted_times = []
        self.log_file = open(log_path, "a") if log_path else None

    def counter(self, key):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            return self.counts[key]

    def log(self, line):
        if self.log_file:
            with self.lock:
                self.log_file.write(line)
                self.log_file.flush()

    def handle_error(self, request, client_address):
        # Clients that time out and hang up are what the tests are about.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--log")
    args = parser.parse_args()

    server = Server(args.root, args.log)
    # shutdown() waits for serve_forever() to return, so it cannot run in
    # the signal handler, which interrupts serve_forever() itself.
    signal.signal(signal.SIGTERM,
                  lambda signum, frame: threading.Thread(target=server.shutdown).start())
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, args.port_file)
    server.serve_forever(poll_interval=0.1)
    server.server_close()
    if server.log_file:
        server.log_file.close()


if __name__ == "__main__":
    main()
