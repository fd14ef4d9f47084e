#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>

#include "buf.h"
#include "log.h"
#include "mail.h"
#include "utf8.h"

#define LINE_COLS 78		/* RFC 5322 2.1.1: SHOULD stay within this */
#define QP_COLS 76		/* RFC 2045 6.7: MUST stay within this */
#define EW_MAX 75		/* RFC 2047 2: longest encoded-word */
#define EW_PREFIX "=?UTF-8?Q?"
#define EW_PREFIX_LEN (sizeof(EW_PREFIX) - 1)
/* room for the prefix, "?=" and the longest character (4 bytes as =XX) */
#define EW_MIN (EW_PREFIX_LEN + 2 + 12)
#define ADDR_MAX 254		/* RFC 5321 4.5.3.1.3 path less the brackets */
#define LOCAL_MAX 64
#define LABEL_MAX 63

/*
 * Helpers tell a full buffer (-1, told once by mail_compose) from bad
 * input (-2, with the field's name already in why).
 */
enum { FULL = -1, INVALID = -2 };

/* The header being written and how far its current physical line runs. */
struct hdr {
	struct buf *out;
	size_t col;
};

static int
is_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* RFC 2047 5(3): the only characters a Q encoded-word in a phrase may hold. */
static int
is_qsafe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!*+-/", c));
}

/*
 * Copies a header input without control characters (so it cannot end the
 * header and start another), with runs of spaces and tabs made one space,
 * and trimmed. Folding then only ever happens at the single spaces left.
 */
static int
clean(const char *s, struct buf *b)
{
	const unsigned char *p;
	int space = 0;

	buf_reset(b);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			space = b->len > 0;
			continue;
		}
		if (*p < 0x20 || *p == 0x7f)
			continue;
		if (space && buf_addc(b, ' ') < 0)
			return FULL;
		space = 0;
		if (buf_addc(b, (char)*p) < 0)
			return FULL;
	}
	return 0;
}

static int
hdr_begin(struct hdr *h, const char *name)
{
	h->col = strlen(name) + 1;
	return buf_printf(h->out, "%s:", name) < 0 ? FULL : 0;
}

/*
 * The space before a token of len columns, folding onto a continuation
 * line if the token would not fit; the caller then writes the token.
 */
static int
hdr_sep(struct hdr *h, size_t len)
{
	if (h->col > 1 && h->col + 1 + len > LINE_COLS) {
		if (buf_add(h->out, "\r\n ", 3) < 0)
			return FULL;
		h->col = 1 + len;
		return 0;
	}
	if (buf_addc(h->out, ' ') < 0)
		return FULL;
	h->col += 1 + len;
	return 0;
}

static int
hdr_token(struct hdr *h, const char *tok, size_t len)
{
	if (hdr_sep(h, len) < 0 || buf_add(h->out, tok, len) < 0)
		return FULL;
	return 0;
}

/* A token written as pre, s[0..n) and post, like "<addr>". */
static int
hdr_token3(struct hdr *h, const char *pre, const char *s, size_t n,
	   const char *post)
{
	if (hdr_sep(h, strlen(pre) + n + strlen(post)) < 0 ||
	    buf_adds(h->out, pre) < 0 || buf_add(h->out, s, n) < 0 ||
	    buf_adds(h->out, post) < 0)
		return FULL;
	return 0;
}

static int
hdr_end(struct hdr *h)
{
	return buf_add(h->out, "\r\n", 2) < 0 ? FULL : 0;
}

/* Columns a byte takes inside a Q encoded-word. */
static size_t
q_width(unsigned char c)
{
	return c == ' ' || is_qsafe(c) ? 1 : 3;
}

/*
 * Fills ew with one encoded-word of at most limit characters holding the
 * longest run of whole characters from s; returns how many bytes of s it
 * took. limit >= EW_MIN guarantees at least one.
 */
static size_t
ew_chunk(const unsigned char *s, size_t n, size_t limit, char *ew,
	 size_t *ewlen)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t used = 0, len = EW_PREFIX_LEN, k, w, i;

	memcpy(ew, EW_PREFIX, EW_PREFIX_LEN);
	while (used < n) {
		/* A byte that is not UTF-8 is still encoded, on its own. */
		if ((k = utf8_seq_len(s + used, n - used)) == 0)
			k = 1;
		for (w = 0, i = 0; i < k; i++)
			w += q_width(s[used + i]);
		if (len + w + 2 > limit)
			break;
		for (i = 0; i < k; i++) {
			unsigned char c = s[used + i];

			if (c == ' ') {
				ew[len++] = '_';
			} else if (is_qsafe(c)) {
				ew[len++] = (char)c;
			} else {
				ew[len++] = '=';
				ew[len++] = hex[c >> 4];
				ew[len++] = hex[c & 15];
			}
		}
		used += k;
	}
	memcpy(ew + len, "?=", 2);
	*ewlen = len + 2;
	return used;
}

/* Whether s fits one encoded-word; stops counting once it does not. */
static int
fits_one_word(const char *s, size_t n)
{
	size_t i, w = EW_PREFIX_LEN + 2;

	for (i = 0; i < n && w <= EW_MAX; i++)
		w += q_width((unsigned char)s[i]);
	return w <= EW_MAX;
}

/*
 * Encoded-words for s, each filling what is left of the line, so a long
 * text becomes several words that a reader joins without the folding
 * space between them (RFC 2047 6.2).
 */
static int
put_encoded(struct hdr *h, const char *s, size_t n)
{
	char ew[EW_MAX + 1];
	size_t avail, limit, len, used;

	while (n > 0) {
		avail = h->col + 1 < LINE_COLS ? LINE_COLS - h->col - 1 : 0;
		/*
		 * A text that fits one word moves whole to the next line
		 * (hdr_token folds) rather than being split in two.
		 */
		if (avail < EW_MIN || fits_one_word(s, n))
			limit = EW_MAX;
		else
			limit = avail < EW_MAX ? avail : EW_MAX;
		used = ew_chunk((const unsigned char *)s, n, limit, ew, &len);
		if (hdr_token(h, ew, len) < 0)
			return FULL;
		s += used;
		n -= used;
	}
	return 0;
}

static int
has_special(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x80 && s[i] != ' ' &&
		    !is_atext((unsigned char)s[i]))
			return 1;
	return 0;
}

static int
is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/*
 * A word is sent as an encoded-word when it is not ASCII, when a reader
 * could mistake it for one, when it is too long to fold, or, in a phrase,
 * when it is not an atom.
 */
static int
needs_encoding(const char *w, size_t n, int phrase)
{
	size_t i;

	if (n > LINE_COLS - 1 || (phrase && has_special(w, n)))
		return 1;
	for (i = 0; i < n; i++) {
		if ((unsigned char)w[i] >= 0x80)
			return 1;
		if (w[i] == '=' && i + 1 < n && w[i + 1] == '?')
			return 1;
	}
	return 0;
}

/*
 * An ASCII phrase with specials as one quoted-string, folded at its spaces
 * (RFC 5322 3.2.4 allows folding white space inside it).
 */
static int
put_quoted(struct hdr *h, const char *s)
{
	const char *p, *end;
	size_t width;

	for (p = s; *p; p = *end ? end + 1 : end) {
		end = strchr(p, ' ');
		if (!end)
			end = p + strlen(p);
		width = (size_t)(end - p) + (p == s) + (*end == '\0');
		for (const char *q = p; q < end; q++)
			width += *q == '"' || *q == '\\';
		if (hdr_sep(h, width) < 0 ||
		    (p == s && buf_addc(h->out, '"') < 0))
			return FULL;
		for (; p < end; p++)
			if (((*p == '"' || *p == '\\') &&
			     buf_addc(h->out, '\\') < 0) ||
			    buf_addc(h->out, *p) < 0)
				return FULL;
		if (*end == '\0' && buf_addc(h->out, '"') < 0)
			return FULL;
	}
	return 0;
}

/*
 * Cleaned text (single spaces, trimmed) as header tokens: plain words as
 * they are, and each run of words that need encoding as encoded-words, the
 * spaces inside the run encoded too so that they survive decoding. phrase
 * is set for display names, whose words must be atoms.
 */
static int
put_text(struct hdr *h, const char *s, int phrase)
{
	const char *p = s, *end, *next, *run;

	if (phrase && is_ascii(s) && has_special(s, strlen(s)))
		return put_quoted(h, s);
	while (*p) {
		end = strchr(p, ' ');
		if (!end)
			end = p + strlen(p);
		if (!needs_encoding(p, (size_t)(end - p), phrase)) {
			if (hdr_token(h, p, (size_t)(end - p)) < 0)
				return FULL;
		} else {
			run = p;
			while (*end == ' ') {
				next = strchr(end + 1, ' ');
				if (!next)
					next = end + strlen(end);
				if (!needs_encoding(end + 1,
						    (size_t)(next - end - 1), phrase))
					break;
				end = next;
			}
			if (put_encoded(h, run, (size_t)(end - run)) < 0)
				return FULL;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

/* RFC 5322 dot-atom-text. */
static int
dot_atom_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return 0;
		} else if (!is_atext((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

/* Host name labels of letters, digits and hyphens. */
static int
domain_ok(const char *s, size_t n)
{
	size_t i, label = 0;

	if (n == 0 || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '-') {
			if (++label > LABEL_MAX)
				return 0;
		} else {
			return 0;
		}
	}
	return 1;
}

/*
 * Quoted local parts and address literals are refused: no firm needs them,
 * and every byte of what is accepted is then safe in a header.
 */
static int
addr_spec_ok(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);
	size_t local;

	if (!at || n > ADDR_MAX)
		return 0;
	local = (size_t)(at - s);
	return local <= LOCAL_MAX && dot_atom_ok(s, local) &&
	       domain_ok(at + 1, n - local - 1);
}

/*
 * Splits "Name <addr>" at the angle bracket outside any quoted-string, or
 * takes the whole of s as the address. The name keeps its quotes.
 */
static int
split_mailbox(const char *s, size_t *namelen, const char **addr,
	      size_t *addrlen)
{
	const char *p, *lt = NULL, *gt;
	int quoted = 0;

	for (p = s; *p && !lt; p++) {
		if (quoted && *p == '\\' && p[1])
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == '<')
			lt = p;
	}
	if (!lt) {
		while (*s == ' ' || *s == '\t')
			s++;
		p = s + strlen(s);
		while (p > s && (p[-1] == ' ' || p[-1] == '\t'))
			p--;
		*namelen = 0;
		*addr = s;
		*addrlen = (size_t)(p - s);
		return 0;
	}
	gt = strchr(lt + 1, '>');
	if (!gt)
		return -1;
	for (p = gt + 1; *p; p++)
		if (*p != ' ' && *p != '\t')
			return -1;
	for (p = lt; p > s && (p[-1] == ' ' || p[-1] == '\t'); p--)
		;
	*namelen = (size_t)(p - s);
	*addr = lt + 1;
	*addrlen = (size_t)(gt - lt - 1);
	return 0;
}

int
mail_address(const char *mailbox, char *out, size_t outlen)
{
	const char *addr;
	size_t namelen, len;

	if (!mailbox || split_mailbox(mailbox, &namelen, &addr, &len) < 0 ||
	    !addr_spec_ok(addr, len) || len >= outlen)
		return -1;
	memcpy(out, addr, len);
	out[len] = '\0';
	return 0;
}

int
mail_local_part_ok(const char *s, size_t n)
{
	return n <= LOCAL_MAX && dot_atom_ok(s, n);
}

/*
 * A display name as written; a quoted-string loses its quotes and quoting
 * backslashes, and spaces are collapsed and trimmed again.
 */
static int
unquote(const char *s, size_t n, struct buf *b)
{
	int quoted = n >= 2 && s[0] == '"' && s[n - 1] == '"';
	size_t i;

	buf_reset(b);
	if (quoted) {
		s++;
		n -= 2;
	}
	for (i = 0; i < n; i++) {
		if (quoted && s[i] == '\\' && i + 1 < n)
			i++;
		if (s[i] == ' ' && (b->len == 0 || b->data[b->len - 1] == ' '))
			continue;
		if (buf_addc(b, s[i]) < 0)
			return FULL;
	}
	if (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	return 0;
}

/*
 * A header holding a phrase and an angle-bracketed part: a mailbox, or a
 * List-Id. ok checks what is inside the brackets; bare_ok lets it go
 * without them when there is no phrase, as a mailbox may (RFC 2919 wants
 * them on a List-Id).
 */
static int
put_named(struct buf *out, const char *field, const char *value,
	  int (*ok)(const char *, size_t), int bare_ok, struct buf *a,
	  struct buf *b, struct buf *why)
{
	struct hdr h = { out, 0 };
	const char *inner;
	size_t namelen, len;
	int rc;

	if (!value) {
		buf_printf(why, "no %s", field);
		return INVALID;
	}
	if ((rc = clean(value, a)) < 0)
		return rc;
	if (split_mailbox(buf_str(a), &namelen, &inner, &len) < 0 ||
	    !ok(inner, len)) {
		buf_printf(why, "invalid %s: %s", field, buf_str(a));
		return INVALID;
	}
	if ((rc = hdr_begin(&h, field)) < 0 ||
	    (rc = unquote(buf_str(a), namelen, b)) < 0)
		return rc;
	if (b->len == 0 && bare_ok)
		rc = hdr_token(&h, inner, len);
	else if ((rc = put_text(&h, buf_str(b), 1)) == 0)
		rc = hdr_token3(&h, "<", inner, len, ">");
	if (rc < 0)
		return rc;
	return hdr_end(&h);
}

static int
put_date(struct buf *out, time_t t, struct buf *why)
{
	static const char days[7][4] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char months[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	struct tm tm;

	if (!gmtime_r(&t, &tm)) {
		buf_adds(why, "date out of range");
		return INVALID;
	}
	/* by hand, because strftime's names follow the locale */
	if (buf_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
		       days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		       tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		       tm.tm_sec) < 0)
		return FULL;
	return 0;
}

static int
put_subject(struct buf *out, const char *subject, struct buf *a)
{
	struct hdr h = { out, 0 };
	int rc;

	if ((rc = clean(subject ? subject : "", a)) < 0 ||
	    (rc = hdr_begin(&h, "Subject")) < 0 ||
	    (rc = put_text(&h, buf_str(a), 0)) < 0)
		return rc;
	return hdr_end(&h);
}

static int
message_id_ok(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);

	return at && dot_atom_ok(s, (size_t)(at - s)) &&
	       dot_atom_ok(at + 1, n - (size_t)(at - s) - 1);
}

static int
put_message_id(struct buf *out, const char *id, struct buf *a,
	       struct buf *why)
{
	int rc;

	if (!id) {
		buf_adds(why, "no Message-ID");
		return INVALID;
	}
	if ((rc = clean(id, a)) < 0)
		return rc;
	if (!message_id_ok(buf_str(a), a->len)) {
		buf_printf(why, "invalid Message-ID: %s", buf_str(a));
		return INVALID;
	}
	return buf_printf(out, "Message-ID: <%s>\r\n", buf_str(a)) < 0 ?
	       FULL : 0;
}

/* A URL that fits between angle brackets, in the given scheme. */
static int
put_url(struct hdr *h, const char *url, const char *scheme, const char *post,
	struct buf *a, struct buf *why)
{
	size_t n = strlen(scheme);
	int rc;

	if ((rc = clean(url, a)) < 0)
		return rc;
	if (strncasecmp(buf_str(a), scheme, n) != 0 || a->len == n ||
	    strpbrk(buf_str(a), " <>\"")) {
		buf_printf(why, "invalid unsubscribe URL: %s", buf_str(a));
		return INVALID;
	}
	return hdr_token3(h, "<", buf_str(a), a->len, post);
}

/* RFC 2369 and RFC 8058: how to leave, in one click where https is given. */
static int
put_unsubscribe(struct buf *out, const char *url, const char *mailto,
		struct buf *a, struct buf *why)
{
	struct hdr h = { out, 0 };
	int rc;

	if (!url && !mailto)
		return 0;
	if ((rc = hdr_begin(&h, "List-Unsubscribe")) < 0 ||
	    (url && (rc = put_url(&h, url, "https://", mailto ? ">," : ">",
				  a, why)) < 0) ||
	    (mailto && (rc = put_url(&h, mailto, "mailto:", ">", a, why)) < 0) ||
	    (rc = hdr_end(&h)) < 0)
		return rc;
	if (url && buf_adds(out, "List-Unsubscribe-Post: "
			    "List-Unsubscribe=One-Click\r\n") < 0)
		return FULL;
	return 0;
}

static int
put_language(struct buf *out, const char *lang, struct buf *a, struct buf *why)
{
	const char *p;
	int rc;

	if ((rc = clean(lang, a)) < 0)
		return rc;
	for (p = buf_str(a); *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-'))
			break;
	if (*p || a->len == 0) {
		buf_printf(why, "invalid language: %s", buf_str(a));
		return INVALID;
	}
	return buf_printf(out, "Content-Language: %s\r\n", buf_str(a)) < 0 ?
	       FULL : 0;
}

/* The byte after position i ends its line: LF, CRLF or the end of the body. */
static int
at_eol(const unsigned char *s, size_t i, size_t n)
{
	return i >= n || s[i] == '\n' || (s[i] == '\r' && i + 1 < n &&
					  s[i + 1] == '\n');
}

/*
 * What quoted-printable does with a byte: QP_LITERAL as it is, QP_ENCODE
 * as =XX, QP_SPACE as it is but at a line's end, QP_LINE maybe a line end.
 */
enum { QP_LITERAL, QP_SPACE, QP_ENCODE, QP_LINE };

/* by byte: LF and CR QP_LINE; space and tab QP_SPACE; 33-126 but '=' literal */
static const char qp_classes[] =
	"2222222221322322222222222222222210000000000000000000000000000200"
	"0000000000000000000000000000000000000000000000000000000000000002"
	"2222222222222222222222222222222222222222222222222222222222222222"
	"2222222222222222222222222222222222222222222222222222222222222222";

static unsigned char
qp_class(unsigned char c)
{
	return (unsigned char)(qp_classes[c] - '0');
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/*
 * Whether the 8 bytes at p are all spaces or QP_LITERAL (32 to 126, not
 * '='), the last no space: then each is written as it is mid-line, as a
 * space is when a byte that is no line end follows it. The byte-wise
 * tests of "Bit Twiddling Hacks" (hasless, hasmore, haszero) are exact
 * for whether any byte fails.
 */
static int
plain8(const unsigned char *p)
{
	uint64_t x, eq;

	memcpy(&x, p, 8);
	eq = x ^ (ONES * '=');
	return p[7] != ' ' &&
	       !(((x - ONES * 32) & ~x & HIGHS) |
		 (((x + ONES * (127 - 126)) | x) & HIGHS) |
		 ((eq - ONES) & ~eq & HIGHS));
}

/* Whether s[k] is written as it is mid-line: literal, or white space
 * that does not end its line. */
static int
qp_plain(const unsigned char *s, size_t k, size_t n)
{
	unsigned char cls = qp_class(s[k]);

	return cls == QP_LITERAL ||
	       (cls == QP_SPACE && k + 1 < n &&
		qp_class(s[k + 1]) != QP_LINE);
}

/*
 * Whether a byte ends its line is looked at only where it decides
 * something: for white space, and for a byte that would not fit before
 * the soft break's "=" otherwise (a line may use all QP_COLS columns
 * only when it ends there). tests/qp_reference.h is the byte-by-byte
 * encoder this must equal.
 */
int
mail_quoted_printable(struct buf *out, const char *body)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)body;
	size_t n = strlen(body), col = 0, i, toklen;
	/* the line being made: QP_COLS at most, then a break's "=\r\n" */
	char line[QP_COLS + 3];

	for (i = 0; i < n; i++) {
		unsigned char c = s[i], cls = qp_class(c);
		size_t k, end;
		int eol;

		/*
		 * Bytes that stand for themselves are copied as a run, as far
		 * as the line has room for them and a soft break after.
		 */
		if (col < QP_COLS - 1 && (col || c != 'F') && qp_plain(s, i, n)) {
			end = i + (QP_COLS - 1 - col) < n ?
			      i + (QP_COLS - 1 - col) : n;
			for (k = i + 1; k + 8 <= end && plain8(s + k); k += 8)
				;
			for (; k < end && qp_plain(s, k, n); k++)
				;
			memcpy(line + col, s + i, k - i);
			col += k - i;
			i = k - 1;
			continue;
		}
		if (cls == QP_LINE &&
		    (c == '\n' || (i + 1 < n && s[i + 1] == '\n'))) {
			i += c == '\r';
			memcpy(line + col, "\r\n", 2);
			if (buf_add(out, line, col + 2) < 0)
				return -1;
			col = 0;
			continue;
		}
		toklen = cls == QP_LITERAL || cls == QP_SPACE ? 1 : 3;
		if (cls == QP_SPACE || col + toklen > QP_COLS - 1) {
			eol = at_eol(s, i + 1, n);
			if (cls == QP_SPACE && eol)
				toklen = 3;
			if (col + toklen > (eol ? QP_COLS : QP_COLS - 1)) {
				memcpy(line + col, "=\r\n", 3);
				if (buf_add(out, line, col + 3) < 0)
					return -1;
				col = 0;
			}
		}
		/* mbox readers would otherwise quote or split at this line */
		if (col == 0 && c == 'F' && n - i >= 5 &&
		    memcmp(s + i, "From ", 5) == 0)
			toklen = 3;
		if (toklen == 3) {
			line[col++] = '=';
			line[col++] = hex[c >> 4];
			line[col++] = hex[c & 15];
		} else {
			line[col++] = (char)c;
		}
	}
	if (n > 0 && s[n - 1] != '\n') {
		memcpy(line + col, "=\r\n", 3);
		col += 3;
	}
	return col > 0 && buf_add(out, line, col) < 0 ? -1 : 0;
}

/* RFC 2045 6.8 base64 in lines of 76 characters, by OpenSSL's encoder. */
static int
put_base64(struct buf *out, const char *data, size_t len)
{
	unsigned char line[80];
	size_t i, n;
	int w;

	for (i = 0; i < len; i += n) {
		n = len - i < 57 ? len - i : 57;
		w = EVP_EncodeBlock(line, (const unsigned char *)data + i, (int)n);
		if (buf_add(out, line, (size_t)w) < 0 || buf_add(out, "\r\n", 2) < 0)
			return FULL;
	}
	return 0;
}

/* A MIME parameter value of ours: printable ASCII, nothing to quote. */
static int
param_ok(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s >= 127 || *s == '"' || *s == '\\')
			return 0;
	return 1;
}

static int
put_text_part(struct buf *out, const char *subtype, const char *text)
{
	if (buf_printf(out, "Content-Type: text/%s; charset=utf-8\r\n"
		       "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
		       subtype) < 0)
		return FULL;
	return mail_quoted_printable(out, text ? text : "") < 0 ? FULL : 0;
}

/*
 * The text, and the HTML as its alternative when there is one. The
 * boundaries can be fixed strings: "=_" never occurs in quoted-printable
 * or base64, the only encodings inside them.
 */
#define BOUNDARY_ALT "=_tenderlots_alternative"
#define BOUNDARY_MIXED "=_tenderlots_mixed"

static int
put_alternative(struct buf *out, const struct mail_body *body)
{
	int rc;

	if (!body->html)
		return put_text_part(out, "plain", body->text);
	if (buf_adds(out, "Content-Type: multipart/alternative;\r\n boundary=\""
		     BOUNDARY_ALT "\"\r\n\r\n--" BOUNDARY_ALT "\r\n") < 0)
		return FULL;
	if ((rc = put_text_part(out, "plain", body->text)) < 0)
		return rc;
	if (buf_adds(out, "\r\n--" BOUNDARY_ALT "\r\n") < 0)
		return FULL;
	if ((rc = put_text_part(out, "html", body->html)) < 0)
		return rc;
	return buf_adds(out, "\r\n--" BOUNDARY_ALT "--\r\n") < 0 ? FULL : 0;
}

static int
put_attachment(struct buf *out, const struct mail_attachment *at,
	       struct buf *why)
{
	/* the fixed parts of its header lines leave 50 for each of these */
	if (!at->content_type || strlen(at->content_type) > 60 ||
	    strpbrk(at->content_type, "\r\n\"") || !param_ok(at->filename) ||
	    strlen(at->filename) > 50) {
		buf_printf(why, "invalid attachment %s",
			   at->filename ? at->filename : "(unnamed)");
		return INVALID;
	}
	if (buf_printf(out, "\r\n--" BOUNDARY_MIXED "\r\n"
		       "Content-Type: %s;\r\n name=\"%s\"\r\n"
		       "Content-Disposition: attachment; filename=\"%s\"\r\n"
		       "Content-Transfer-Encoding: base64\r\n\r\n",
		       at->content_type, at->filename, at->filename) < 0)
		return FULL;
	return put_base64(out, at->data, at->len);
}

static int
put_body(struct buf *out, const struct mail_body *body, struct buf *why)
{
	size_t i;
	int rc;

	if (body->nattachments == 0)
		return put_alternative(out, body);
	if (buf_adds(out, "Content-Type: multipart/mixed;\r\n boundary=\""
		     BOUNDARY_MIXED "\"\r\n\r\n--" BOUNDARY_MIXED "\r\n") < 0)
		return FULL;
	if ((rc = put_alternative(out, body)) < 0)
		return rc;
	for (i = 0; i < body->nattachments; i++)
		if ((rc = put_attachment(out, &body->attachments[i], why)) < 0)
			return rc;
	return buf_adds(out, "\r\n--" BOUNDARY_MIXED "--\r\n") < 0 ? FULL : 0;
}

int
mail_compose(const struct mail_headers *h, const struct mail_body *body,
	     struct buf *out, char *err, size_t errlen)
{
	struct buf a, b, why;
	size_t start = out->len;
	int rc;

	buf_init(&a, out->max);
	buf_init(&b, out->max);
	buf_init(&why, 1024);
	if ((rc = put_date(out, h->date, &why)) < 0 ||
	    (rc = put_named(out, "From", h->from, addr_spec_ok, 1, &a, &b,
			    &why)) < 0 ||
	    (rc = put_named(out, "To", h->to, addr_spec_ok, 1, &a, &b,
			    &why)) < 0 ||
	    (h->reply_to &&
	     (rc = put_named(out, "Reply-To", h->reply_to, addr_spec_ok,
			     1, &a, &b, &why)) < 0) ||
	    (rc = put_subject(out, h->subject, &a)) < 0 ||
	    (rc = put_message_id(out, h->message_id, &a, &why)) < 0)
		goto out;
	if ((h->language &&
	     (rc = put_language(out, h->language, &a, &why)) < 0) ||
	    (h->list_id &&
	     (rc = put_named(out, "List-Id", h->list_id, dot_atom_ok,
			     0, &a, &b, &why)) < 0) ||
	    (rc = put_unsubscribe(out, h->list_unsubscribe_url,
				  h->list_unsubscribe_mailto, &a, &why)) < 0)
		goto out;
	/* RFC 3834: keeps vacation responders from answering */
	if (buf_adds(out, "Auto-Submitted: auto-generated\r\n"
		     "MIME-Version: 1.0\r\n") < 0) {
		rc = FULL;
		goto out;
	}
	rc = put_body(out, body, &why);
out:
	if (rc == FULL) {
		buf_reset(&why);
		buf_printf(&why, "message larger than %zu bytes", out->max);
	}
	if (rc < 0) {
		if (err)
			snprintf(err, errlen, "%s", buf_str(&why));
		else
			error("mail: %s", buf_str(&why));
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		rc = -1;
	}
	buf_release(&a);
	buf_release(&b);
	buf_release(&why);
	return rc;
}

int
mail_compose_text(const struct mail_headers *h, const char *text,
		  struct buf *out)
{
	struct mail_body body = { .text = text };

	return mail_compose(h, &body, out, NULL, 0);
}
