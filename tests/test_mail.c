#define _XOPEN_SOURCE 700

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "mail.h"
#include "qp_reference.h"
#include "test.h"
#include "testutil.h"

#define PYTHON "/usr/bin/python3"

/*
 * Python's email package is the independent reader: it prints what it
 * decoded, fields separated by NUL bytes, in the order of enum pyfield.
 */
static const char py_script[] =
	"import sys, email, email.policy\n"
	"m = email.message_from_bytes(open(sys.argv[1], 'rb').read(),\n"
	"                             policy=email.policy.default)\n"
	"def h(n):\n"
	"    v = m[n]\n"
	"    return '' if v is None else str(v)\n"
	"def mb(n, what):\n"
	"    v = m[n]\n"
	"    if v is None or len(v.addresses) != 1:\n"
	"        return ''\n"
	"    a = v.addresses[0]\n"
	"    return a.display_name if what == 'name' else a.addr_spec\n"
	"defects = len(m.defects) + sum(len(m[k].defects) for k in m.keys())\n"
	"out = [h('Subject'), mb('From', 'name'), mb('From', 'addr'),\n"
	"       mb('To', 'name'), mb('To', 'addr'), mb('Reply-To', 'name'),\n"
	"       m.get_content_type(), m.get_content_charset() or '',\n"
	"       h('Content-Transfer-Encoding'),\n"
	"       m.get_content().replace('\\r\\n', '\\n'),\n"
	"       h('List-Unsubscribe'), h('List-Unsubscribe-Post'),\n"
	"       h('Message-ID'), h('List-Id'), h('Auto-Submitted'),\n"
	"       h('Content-Language'), h('Date'), str(defects),\n"
	"       str(len(m.get_all('Subject') or [])), h('Bcc')]\n"
	"sys.stdout.buffer.write('\\0'.join(out).encode('utf-8'))\n";

enum pyfield {
	PY_SUBJECT, PY_FROM_NAME, PY_FROM_ADDR, PY_TO_NAME, PY_TO_ADDR,
	PY_REPLY_NAME, PY_TYPE, PY_CHARSET, PY_CTE, PY_BODY, PY_LU, PY_LUP,
	PY_MSGID, PY_LIST_ID, PY_AUTO, PY_LANG, PY_DATE, PY_DEFECTS,
	PY_NSUBJECT, PY_BCC, PY_NFIELDS
};

struct parsed {
	struct buf raw;
	const char *f[PY_NFIELDS];
};

static int
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int rc = -1;

	if (!f)
		return -1;
	if (fwrite(data, 1, len, f) == len)
		rc = 0;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* Runs the message through Python; -1 if that could not be done. */
static int
py_run(const char *source, const char *msg, size_t len, struct buf *raw)
{
	char dir[] = "/tmp/test_mail.XXXXXX";
	char script[64], eml[64], cmd[256], chunk[4096];
	FILE *f = NULL;
	size_t n;
	int rc = -1;

	buf_init(raw, 0);
	if (!mkdtemp(dir))
		return -1;
	snprintf(script, sizeof script, "%s/parse.py", dir);
	snprintf(eml, sizeof eml, "%s/msg.eml", dir);
	if (write_file(script, source, strlen(source)) < 0 ||
	    write_file(eml, msg, len) < 0)
		goto out;
	snprintf(cmd, sizeof cmd, PYTHON " %s %s", script, eml);
	f = popen(cmd, "r");
	if (!f)
		goto out;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_add(raw, chunk, n) < 0)
			goto out;
	rc = pclose(f) == 0 ? 0 : -1;
	f = NULL;
out:
	if (f)
		pclose(f);
	unlink(script);
	unlink(eml);
	rmdir(dir);
	return rc;
}

static int
py_parse(const char *msg, size_t len, struct parsed *p)
{
	size_t i, k;

	if (py_run(py_script, msg, len, &p->raw) < 0)
		return -1;
	p->f[0] = buf_str(&p->raw);
	for (i = 0, k = 1; i < p->raw.len && k < PY_NFIELDS; i++)
		if (p->raw.data[i] == '\0')
			p->f[k++] = p->raw.data + i + 1;
	return k == PY_NFIELDS ? 0 : -1;
}

static const char swedish_subject[] =
	"Ny upphandling: Målning av förskolor i Ängelholm";

static const char swedish_body[] =
	"Hej!\n"
	"\n"
	"Ängelholms kommun upphandlar målning av förskolor: två delar, "
	"väggar och fönster, med öppna frågor till och med fredag.\n"
	"Den här raden slutar med blanksteg   \n"
	"From here on the line would be mangled by an mbox reader.\n"
	"En tabb på slutet\t\n"
	"Likhetstecken = och 100 % ärligt.\n"
	"Sista raden utan radslut";

static void
sample_headers(struct mail_headers *h)
{
	memset(h, 0, sizeof *h);
	h->from = "Upphandlingsenheten Ängelholms kommun "
		  "<upphandling@engelholm.example>";
	h->to = "Måleri & Fasad AB <info@maleri.example>";
	h->reply_to = "\"Kommun, Upphandling\" <svar@engelholm.example>";
	h->subject = swedish_subject;
	h->message_id = "20260101.lot-0001.42@tenderlots.example";
	h->date = 1767225600;	/* 2026-01-01 00:00:00 UTC, a Thursday */
	h->list_id = "Upphandlingar <upphandlingar.engelholm.example>";
	h->list_unsubscribe_url = "https://engelholm.example/u/abc123";
	h->list_unsubscribe_mailto = "mailto:unsub@engelholm.example";
	h->language = "sv";
}

/* Every line ends in CRLF, none is longer than max, no bare CR or LF. */
static int
lines_ok(const char *s, size_t len, size_t hdr_max, size_t body_max)
{
	size_t i, col = 0, max = hdr_max;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r') {
			if (i + 1 >= len || s[i + 1] != '\n')
				return 0;
			if (col > max)
				return 0;
			if (col == 0)
				max = body_max;
			col = 0;
			i++;
		} else if (s[i] == '\n') {
			return 0;
		} else {
			col++;
		}
	}
	return col == 0;
}

/* A header line (not a continuation) starting with name. */
static int
has_field(const char *msg, const char *name)
{
	const char *p = msg;
	size_t n = strlen(name);

	while (p && *p) {
		if (p[0] == '\r')
			return 0;	/* end of the header */
		if (strncasecmp(p, name, n) == 0)
			return 1;
		p = strstr(p, "\r\n");
		if (p)
			p += 2;
	}
	return 0;
}

static void
test_python_reads_it_back(void)
{
	struct mail_headers h;
	struct parsed p;
	struct buf b;

	sample_headers(&h);
	buf_init(&b, 0);
	CHECK(mail_compose_text(&h, swedish_body, &b) == 0);
	CHECK(py_parse(b.data, b.len, &p) == 0);
	if (p.raw.len) {
		CHECK_STR(p.f[PY_SUBJECT], swedish_subject);
		CHECK_STR(p.f[PY_FROM_NAME],
			  "Upphandlingsenheten Ängelholms kommun");
		CHECK_STR(p.f[PY_FROM_ADDR], "upphandling@engelholm.example");
		CHECK_STR(p.f[PY_TO_NAME], "Måleri & Fasad AB");
		CHECK_STR(p.f[PY_TO_ADDR], "info@maleri.example");
		CHECK_STR(p.f[PY_REPLY_NAME], "Kommun, Upphandling");
		CHECK_STR(p.f[PY_TYPE], "text/plain");
		CHECK_STR(p.f[PY_CHARSET], "utf-8");
		CHECK_STR(p.f[PY_CTE], "quoted-printable");
		CHECK_STR(p.f[PY_BODY], swedish_body);
		CHECK_STR(p.f[PY_LU], "<https://engelholm.example/u/abc123>, "
			  "<mailto:unsub@engelholm.example>");
		CHECK_STR(p.f[PY_LUP], "List-Unsubscribe=One-Click");
		CHECK_STR(p.f[PY_MSGID],
			  "<20260101.lot-0001.42@tenderlots.example>");
		CHECK_STR(p.f[PY_LIST_ID],
			  "Upphandlingar <upphandlingar.engelholm.example>");
		CHECK_STR(p.f[PY_AUTO], "auto-generated");
		CHECK_STR(p.f[PY_LANG], "sv");
		CHECK_STR(p.f[PY_DATE], "Thu, 01 Jan 2026 00:00:00 +0000");
		CHECK_STR(p.f[PY_DEFECTS], "0");
	}
	CHECK(lines_ok(b.data, b.len, 78, 76));
	/* the raw form really is encoded, not 8-bit */
	CHECK(strstr(b.data, "=?UTF-8?Q?") != NULL);
	CHECK(strstr(b.data, "=46rom here") != NULL);
	CHECK(strstr(b.data, "blanksteg  =20\r\n") != NULL);
	CHECK(strstr(b.data, "slutet=09\r\n") != NULL);
	CHECK(strstr(b.data, "Likhetstecken =3D och") != NULL);
	for (size_t i = 0; i < b.len; i++)
		CHECK((unsigned char)b.data[i] < 0x80);
	buf_release(&p.raw);
	buf_release(&b);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes one Q encoded-word's text into out; -1 if it is malformed. */
static int
q_decode(const char *s, size_t n, struct buf *out)
{
	size_t i;
	int c;

	for (i = 0; i < n; i++) {
		if (s[i] == '_') {
			c = ' ';
		} else if (s[i] == '=') {
			if (i + 2 >= n || hexval(s[i + 1]) < 0 ||
			    hexval(s[i + 2]) < 0)
				return -1;
			c = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
			i += 2;
		} else {
			c = (unsigned char)s[i];
		}
		if (buf_addc(out, (char)c) < 0)
			return -1;
	}
	return 0;
}

/* Whole UTF-8 characters only: no sequence cut at either end. */
static int
utf8_whole(const unsigned char *s, size_t n)
{
	size_t i = 0, k, j;

	while (i < n) {
		if (s[i] < 0x80)
			k = 1;
		else if ((s[i] & 0xe0) == 0xc0)
			k = 2;
		else if ((s[i] & 0xf0) == 0xe0)
			k = 3;
		else if ((s[i] & 0xf8) == 0xf0)
			k = 4;
		else
			return 0;
		if (i + k > n)
			return 0;
		for (j = 1; j < k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

/*
 * Checks every encoded-word of a long non-ASCII subject: at most 75
 * characters, and whole UTF-8 characters only in each.
 */
static void
check_long_subject(const char *subject)
{
	struct mail_headers h;
	struct buf b, dec;
	struct parsed p;
	const char *w, *e, *text;
	int words = 0;

	sample_headers(&h);
	h.subject = subject;
	buf_init(&b, 0);
	buf_init(&dec, 0);
	CHECK(mail_compose_text(&h, "x\n", &b) == 0);
	CHECK(lines_ok(b.data, b.len, 78, 76));
	for (w = strstr(b.data, "=?"); w; w = strstr(e, "=?")) {
		CHECK(strncmp(w, "=?UTF-8?Q?", 10) == 0);
		text = w + 10;
		e = strstr(text, "?=");
		CHECK(e != NULL);
		if (!e)
			break;
		e += 2;
		words++;
		CHECK(e - w <= 75);
		buf_reset(&dec);
		CHECK(q_decode(text, (size_t)(e - 2 - text), &dec) == 0);
		CHECK(utf8_whole((const unsigned char *)buf_str(&dec), dec.len));
	}
	CHECK(words > 5);
	CHECK(py_parse(b.data, b.len, &p) == 0);
	if (p.raw.len)
		CHECK_STR(p.f[PY_SUBJECT], subject);
	buf_release(&p.raw);
	buf_release(&b);
	buf_release(&dec);
}

static void
test_long_subject_encoded_words(void)
{
	struct buf subj;

	buf_init(&subj, 0);
	/*
	 * One long run of non-ASCII words that has to be split into many
	 * encoded-words; the leading x's move where the splits fall.
	 */
	for (int k = 0; k < 8; k++) {
		buf_reset(&subj);
		for (int i = 0; i < k; i++)
			buf_addc(&subj, 'x');
		for (int i = 0; i < 12; i++)
			buf_adds(&subj, i ? " åäö€Ängelholmsförskolor😀" :
				 "åäö€Ängelholmsförskolor😀");
		check_long_subject(subj.data);
	}
	buf_release(&subj);
}

static void
test_long_ascii_subject_folds_at_spaces(void)
{
	static const char subject[] =
		"Procurement of painting services for preschools and schools "
		"in the northern district, including windows, facades and "
		"outdoor play equipment, framework agreement 2026-2030";
	struct mail_headers h;
	struct parsed p;
	struct buf b;
	const char *s, *e;

	sample_headers(&h);
	h.subject = subject;
	buf_init(&b, 0);
	CHECK(mail_compose_text(&h, "x\n", &b) == 0);
	CHECK(lines_ok(b.data, b.len, 78, 76));
	s = strstr(b.data, "\r\nSubject: Procurement of");
	CHECK(s != NULL);
	if (s) {
		e = strstr(s + 2, "\r\nMessage-ID:");
		CHECK(e != NULL);
		/* folded, and folded at spaces: no encoded-word was needed */
		CHECK(e && strstr(s + 2, "\r\n ") < e);
		CHECK(e && (!strstr(s, "=?") || strstr(s, "=?") > e));
	}
	CHECK(py_parse(b.data, b.len, &p) == 0);
	if (p.raw.len)
		CHECK_STR(p.f[PY_SUBJECT], subject);
	buf_release(&p.raw);
	buf_release(&b);
}

static void
test_header_injection(void)
{
	struct mail_headers h;
	struct parsed p;
	struct buf b;

	sample_headers(&h);
	h.subject = "Hej\r\nBcc: x@y";
	h.from = "Evil\r\nBcc: x@y <upphandling@engelholm.example>";
	h.to = "Someone\nCc: z@y <info@maleri.example>";
	h.list_unsubscribe_url = "https://e.example/u\r\nBcc:x@y";
	buf_init(&b, 0);
	CHECK(mail_compose_text(&h, "x\n", &b) == 0);
	CHECK(!has_field(b.data, "Bcc:"));
	CHECK(!has_field(b.data, "Cc:"));
	CHECK(lines_ok(b.data, b.len, 78, 76));
	CHECK(py_parse(b.data, b.len, &p) == 0);
	if (p.raw.len) {
		CHECK_STR(p.f[PY_BCC], "");
		CHECK_STR(p.f[PY_NSUBJECT], "1");
		CHECK_STR(p.f[PY_SUBJECT], "HejBcc: x@y");
		CHECK_STR(p.f[PY_FROM_ADDR], "upphandling@engelholm.example");
	}
	buf_release(&p.raw);
	buf_release(&b);
}

static void
test_display_names(void)
{
	struct mail_headers h;
	struct parsed p;
	struct buf b;

	sample_headers(&h);
	h.from = "Kommun, \"Upphandling\" \\ Enheten <a@engelholm.example>";
	h.to = "\"Andersson, Åsa\" <asa@example.se>";
	h.reply_to = "=?not?= an encoded word <r@example.se>";
	buf_init(&b, 0);
	CHECK(mail_compose_text(&h, "x\n", &b) == 0);
	CHECK(strstr(b.data, "From: \"Kommun, \\\"Upphandling\\\" \\\\ "
			     "Enheten\" <a@engelholm.example>\r\n") != NULL);
	CHECK(py_parse(b.data, b.len, &p) == 0);
	if (p.raw.len) {
		CHECK_STR(p.f[PY_FROM_NAME],
			  "Kommun, \"Upphandling\" \\ Enheten");
		CHECK_STR(p.f[PY_TO_NAME], "Andersson, Åsa");
		CHECK_STR(p.f[PY_TO_ADDR], "asa@example.se");
		CHECK_STR(p.f[PY_REPLY_NAME], "=?not?= an encoded word");
		CHECK_STR(p.f[PY_DEFECTS], "0");
	}
	buf_release(&p.raw);
	/* a bare address stays bare */
	h.to = "info@maleri.example";
	buf_reset(&b);
	CHECK(mail_compose_text(&h, "x\n", &b) == 0);
	CHECK(strstr(b.data, "\r\nTo: info@maleri.example\r\n") != NULL);
	buf_release(&b);
}

static void
test_invalid_input_rejected(void)
{
	static const char *bad[] = {
		"not an address", "Name <a@b.example", "a@b.example> x",
		"Name <a b@c.example>", "<>", "", "a@@b.example", "a@b_c.example"
	};
	struct mail_headers h;
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	buf_adds(&b, "keep");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		sample_headers(&h);
		h.from = bad[i];
		CHECK(mail_compose_text(&h, "x\n", &b) == -1);
		sample_headers(&h);
		h.to = bad[i];
		CHECK(mail_compose_text(&h, "x\n", &b) == -1);
	}
	sample_headers(&h);
	h.to = NULL;
	CHECK(mail_compose_text(&h, "x\n", &b) == -1);
	sample_headers(&h);
	h.message_id = "no-at-sign";
	CHECK(mail_compose_text(&h, "x\n", &b) == -1);
	sample_headers(&h);
	h.list_unsubscribe_url = "http://insecure.example/u";
	CHECK(mail_compose_text(&h, "x\n", &b) == -1);
	sample_headers(&h);
	h.list_unsubscribe_mailto = "unsub@example.se";
	CHECK(mail_compose_text(&h, "x\n", &b) == -1);
	sample_headers(&h);
	h.language = "sv; x=y";
	CHECK(mail_compose_text(&h, "x\n", &b) == -1);
	/* a failure leaves what the buffer held before */
	CHECK_STR(buf_str(&b), "keep");
	buf_release(&b);
}

static void
test_optional_headers(void)
{
	struct mail_headers h;
	struct buf b;

	sample_headers(&h);
	h.reply_to = NULL;
	h.list_id = NULL;
	h.list_unsubscribe_url = NULL;
	h.list_unsubscribe_mailto = NULL;
	h.language = NULL;
	buf_init(&b, 0);
	CHECK(mail_compose_text(&h, "", &b) == 0);
	CHECK(!has_field(b.data, "Reply-To:"));
	CHECK(!has_field(b.data, "List-Id:"));
	CHECK(!has_field(b.data, "List-Unsubscribe"));
	CHECK(!has_field(b.data, "Content-Language:"));
	CHECK(has_field(b.data, "Auto-Submitted: auto-generated\r\n"));
	CHECK(has_field(b.data, "MIME-Version: 1.0\r\n"));
	/* an empty body: the message ends with the blank line */
	CHECK(b.len > 4 && strcmp(b.data + b.len - 4, "\r\n\r\n") == 0);

	/* mailto only: no one-click POST is promised */
	h.list_unsubscribe_mailto = "mailto:unsub@engelholm.example";
	buf_reset(&b);
	CHECK(mail_compose_text(&h, "x\n", &b) == 0);
	CHECK(has_field(b.data, "List-Unsubscribe: "
			"<mailto:unsub@engelholm.example>\r\n"));
	CHECK(!has_field(b.data, "List-Unsubscribe-Post:"));

	/* a List-Id keeps its brackets even without a name */
	h.list_id = "upphandlingar.engelholm.example";
	buf_reset(&b);
	CHECK(mail_compose_text(&h, "x\n", &b) == 0);
	CHECK(has_field(b.data, "List-Id: <upphandlingar.engelholm.example>\r\n"));
	buf_release(&b);
}

static void
test_quoted_printable_lines(void)
{
	struct mail_headers h;
	struct parsed p;
	struct buf b, body;
	const char *s;

	sample_headers(&h);
	buf_init(&b, 0);
	buf_init(&body, 0);
	/* soft breaks must fall between, not inside, the =XX of å */
	for (int i = 0; i < 3; i++) {
		for (int j = 0; j < 97 + i; j++)
			buf_adds(&body, j % 7 ? "å" : "a");
		buf_adds(&body, "\n");
	}
	buf_adds(&body, "From the start\n.\nend with space \n");
	CHECK(mail_compose_text(&h, body.data, &b) == 0);
	CHECK(lines_ok(b.data, b.len, 78, 76));
	s = strstr(b.data, "\r\n\r\n");
	CHECK(s && strstr(s, "\r\n=46rom the start\r\n") != NULL);
	CHECK(s && strstr(s, "end with space=20\r\n") != NULL);
	CHECK(py_parse(b.data, b.len, &p) == 0);
	if (p.raw.len)
		CHECK_STR(p.f[PY_BODY], body.data);
	buf_release(&p.raw);
	buf_release(&b);
	buf_release(&body);
}

/* The MIME tree as Python walks it: one line per part, then the leaves. */
static const char py_tree[] =
	"import sys, email, email.policy\n"
	"m = email.message_from_bytes(open(sys.argv[1], 'rb').read(),\n"
	"                             policy=email.policy.default)\n"
	"out = []\n"
	"for part in m.walk():\n"
	"    out.append('%s %s %s %d' % (part.get_content_type(),\n"
	"               part.get_filename() or '-',\n"
	"               part.get_param('method') or '-', len(part.defects)))\n"
	"out.append('defects %d' % len(m.defects))\n"
	"body = m.get_body(('plain',))\n"
	"out.append(body.get_content().replace('\\r\\n', '\\n'))\n"
	"out.append(m.get_body(('html',)).get_content().replace('\\r\\n', '\\n'))\n"
	"for a in m.iter_attachments():\n"
	"    out.append(a.get_payload(decode=True).decode('utf-8'))\n"
	"sys.stdout.buffer.write('\\0'.join(out).encode('utf-8'))\n";

static void
test_multipart_reads_back(void)
{
	static const char html[] =
		"<!DOCTYPE html>\n<html lang=\"sv\"><body><p>Två delar: "
		"måleri &amp; fönster</p></body></html>\n";
	static const char ics[] =
		"BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nSUMMARY:Branschträff\r\n"
		"END:VCALENDAR\r\n";
	struct mail_attachment at = {
		"text/calendar; charset=utf-8; method=PUBLISH", "inbjudan.ics",
		ics, sizeof ics - 1
	};
	struct mail_body body = { swedish_body, html, &at, 1 };
	struct mail_headers h;
	struct buf b, raw;
	const char *want;

	sample_headers(&h);
	buf_init(&b, 0);
	CHECK(mail_compose(&h, &body, &b, NULL, 0) == 0);
	CHECK(lines_ok(b.data, b.len, 78, 76));
	CHECK(py_run(py_tree, b.data, b.len, &raw) == 0);
	/* NULs separate the fields: compare the whole output at once */
	want = "multipart/mixed - - 0\n"
	       "multipart/alternative - - 0\n"
	       "text/plain - - 0\n"
	       "text/html - - 0\n"
	       "text/calendar inbjudan.ics PUBLISH 0\n"
	       "defects 0";
	for (size_t i = 0; i < raw.len; i++)
		if (raw.data[i] == '\0')
			raw.data[i] = '\n';
	CHECK(raw.len > strlen(want) && strncmp(raw.data, want, strlen(want)) == 0);
	CHECK(strstr(raw.data, "Sista raden utan radslut") != NULL);
	CHECK(strstr(raw.data, "<p>Två delar: måleri &amp; fönster</p>") != NULL);
	CHECK(strstr(raw.data, "SUMMARY:Branschträff\r\n") != NULL);

	/* HTML alone, no attachment: multipart/alternative at the top */
	body.nattachments = 0;
	buf_reset(&b);
	CHECK(mail_compose(&h, &body, &b, NULL, 0) == 0);
	CHECK(has_field(b.data, "Content-Type: multipart/alternative;"));

	/* an attachment name that would need quoting is refused */
	at.filename = "in bjudan.ics";
	body.nattachments = 1;
	buf_reset(&b);
	CHECK(mail_compose(&h, &body, &b, NULL, 0) == -1);
	CHECK(b.len == 0);
	at.filename = "inbjudan.ics";
	at.content_type = "text/calendar\r\nBcc: x@y.example";
	CHECK(mail_compose(&h, &body, &b, NULL, 0) == -1);
	buf_release(&raw);
	buf_release(&b);
}

static void
test_size_cap(void)
{
	struct mail_body body = { .text = "short\n" };
	struct mail_headers h;
	struct capture c;
	char why[256], *logged;
	struct buf b;

	sample_headers(&h);
	buf_init(&b, 300);
	CHECK(mail_compose_text(&h, "short\n", &b) == -1);
	CHECK(b.len == 0);
	/* the caller that keeps the reason gets it, and nothing is logged */
	capture_start(&c, 2);
	CHECK(mail_compose(&h, &body, &b, why, sizeof why) == -1);
	logged = capture_end(&c);
	CHECK_STR(why, "message larger than 300 bytes");
	CHECK_STR(logged, "");
	free(logged);
	h.to = "Firma <not an address>";
	CHECK(mail_compose(&h, &body, &b, why, sizeof why) == -1);
	CHECK_STR(why, "invalid To: Firma <not an address>");
	buf_release(&b);
	sample_headers(&h);
	buf_init(&b, 4096);
	CHECK(mail_compose_text(&h, "short\n", &b) == 0);
	buf_release(&b);
}

static void
test_mail_address(void)
{
	static const struct {
		const char *in, *want;
	} good[] = {
		{ "a@b.example", "a@b.example" },
		{ "  a@b.example\t", "a@b.example" },
		{ "Name <first.last+tag@sub.b.example>",
		  "first.last+tag@sub.b.example" },
		{ "\"Doe, <J>\" <j@d.example>", "j@d.example" },
		{ "Åsa Öberg <asa@oberg.example> ", "asa@oberg.example" },
		{ "root@localhost", "root@localhost" },
	};
	static const char *bad[] = {
		"", "a", "@b.example", "a@", "a b@c.example", "a@b..example",
		".a@b.example", "a.@b.example", "a@b.example.", "a@-\x01.se",
		"a@b.example\r\nBcc: x@y", "<a@b.example", "Name a@b.example>",
		"<a@b.example> trailing", "a@b@c.example", "a(b)@c.example",
		"å@b.example", "a@[127.0.0.1]", "Name <>",
	};
	char out[300], local[80], longaddr[300];
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		CHECK(mail_address(good[i].in, out, sizeof out) == 0);
		CHECK_STR(out, good[i].want);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(mail_address(bad[i], out, sizeof out) == -1);
	CHECK(mail_address(NULL, out, sizeof out) == -1);
	/* does not fit the caller's buffer */
	CHECK(mail_address("a@b.example", out, 11) == -1);
	CHECK(mail_address("a@b.example", out, 12) == 0);
	/* 64 is the longest local part, 254 the longest address */
	memset(local, 'l', 65);
	memcpy(local + 65, "@b.se", 6);
	CHECK(mail_address(local, out, sizeof out) == -1);
	CHECK(mail_address(local + 1, out, sizeof out) == 0);
	memset(longaddr, 'd', sizeof longaddr);
	memcpy(longaddr, "a@", 2);
	for (i = 50; i < 254; i += 50)
		longaddr[i] = '.';
	longaddr[254] = '\0';
	CHECK(mail_address(longaddr, out, sizeof out) == 0);
	longaddr[254] = 'd';
	longaddr[255] = '\0';
	CHECK(mail_address(longaddr, out, sizeof out) == -1);
}

/* 1 if both encoders give the same bytes for body; says where not. */
static int
qp_same(const char *body)
{
	struct buf got, want;
	size_t i;
	int same;

	buf_init(&got, 0);
	buf_init(&want, 0);
	same = mail_quoted_printable(&got, body) == 0 &&
	       qp_reference(&want, body) == 0 && got.len == want.len &&
	       (got.len == 0 || memcmp(got.data, want.data, got.len) == 0);
	if (!same) {
		for (i = 0; i < got.len && i < want.len &&
		     got.data[i] == want.data[i]; i++)
			;
		fprintf(stderr, "  quoted-printable differs at byte %zu of "
			"%zu/%zu for a body of %zu bytes\n", i, got.len,
			want.len, strlen(body));
	}
	buf_release(&got);
	buf_release(&want);
	return same;
}

/*
 * The encoder that makes a line at a time writes what the one that went
 * byte by byte wrote (tests/qp_reference.h), byte for byte: around the
 * 76th column, with trailing spaces and tabs, '=' signs, UTF-8, CRLF, a
 * lone CR, "From " at a line's start and after a soft break, and over
 * many pseudo-random texts of those bytes.
 */
static void
test_qp_identical(void)
{
	static const char *const fixed[] = {
		"", "a", "\n", "\r\n", "\r", "a\r", " ", "\t", "a \n", "a\t\r\n",
		"a ", "trailing spaces   \n  and tabs\t\t\n", "=", "a=b\n==\n",
		"From the unit\nFrom here\n>From\nFrom", "From ",
		"rad ett\r\nrad två\r\nensam\rCR\r\n",
		"Åsa köper smörgåsar åt Örjan på Ängelholms station\n",
		swedish_body,
	};
	static const char alphabet[] = "aaaaaaaabc. \t=\r\nFrom\xc3\xa5\xe2\x82\xac\x01\x7f";
	char body[700];
	size_t i, k, k2, len;
	unsigned seed = 20261207u;
	int differ = 0;

	for (i = 0; i < sizeof fixed / sizeof *fixed; i++)
		differ += !qp_same(fixed[i]);
	/* lines of 70 to 80 ending in each interesting byte, LF, CRLF or none */
	for (len = 70; len <= 80; len++) {
		static const char ends[] = " \t=a\xc3";
		static const char *const breaks[] = { "\n", "\r\n", "", "\nFrom x\n" };

		for (k = 0; k < sizeof ends - 1; k++) {
			for (i = 0; i < sizeof breaks / sizeof *breaks; i++) {
				memset(body, 'x', len);
				body[len - 1] = ends[k];
				snprintf(body + len, sizeof body - len, "%s", breaks[i]);
				differ += !qp_same(body);
				/* the same line twice, the second after its break */
				k2 = strlen(body);
				memmove(body + k2, body, len);
				body[k2 + len] = '\0';
				differ += !qp_same(body);
			}
		}
		memset(body, '=', len);
		body[len] = '\0';
		differ += !qp_same(body);
	}
	for (i = 0; i < 20000; i++) {
		seed = seed * 1103515245u + 12345u;
		len = (seed >> 8) % (sizeof body - 1);
		for (k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			body[k] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		body[len] = '\0';
		differ += !qp_same(body);
	}
	CHECK(differ == 0);
}

int
main(void)
{
	if (access(PYTHON, X_OK) != 0)
		fprintf(stderr, "test_mail: needs %s (python3)\n", PYTHON);
	RUN(test_python_reads_it_back);
	RUN(test_long_subject_encoded_words);
	RUN(test_long_ascii_subject_folds_at_spaces);
	RUN(test_header_injection);
	RUN(test_display_names);
	RUN(test_invalid_input_rejected);
	RUN(test_optional_headers);
	RUN(test_quoted_printable_lines);
	RUN(test_multipart_reads_back);
	RUN(test_size_cap);
	RUN(test_qp_identical);
	RUN(test_mail_address);
	return test_done("mail");
}
