#ifndef TENDERLOTS_QP_REFERENCE_H
#define TENDERLOTS_QP_REFERENCE_H

/*
 * The quoted-printable encoder src/mail.c had until its output was made a
 * line at a time (mail_quoted_printable), kept as the reference the new
 * one must equal byte for byte (tests/test_mail.c) and the baseline it is
 * timed against (bench/mail.c).
 */
#include <string.h>

#include "buf.h"

#define QP_REFERENCE_COLS 76

/* The byte after position i ends its line: LF, CRLF or the end of the body. */
static int
ref_at_eol(const unsigned char *s, size_t i, size_t n)
{
	return i >= n || s[i] == '\n' || (s[i] == '\r' && i + 1 < n &&
					  s[i + 1] == '\n');
}

/*
 * RFC 2045 6.7 quoted-printable with CRLF line breaks. A body that does
 * not end in LF ends in a soft break, so it decodes to exactly itself.
 * Byte by byte, as src/mail.c wrote it before mail_quoted_printable.
 */
static int
qp_reference(struct buf *out, const char *body)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)body;
	size_t n = strlen(body), col = 0, i, toklen;
	char tok[3];

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];
		int eol = ref_at_eol(s, i + 1, n);

		if (c == '\n' || (c == '\r' && i + 1 < n && s[i + 1] == '\n')) {
			i += c == '\r';
			if (buf_add(out, "\r\n", 2) < 0)
				return -1;
			col = 0;
			continue;
		}
		tok[0] = (char)c;
		toklen = 1;
		if (((c == ' ' || c == '\t') && eol) ||
		    (c != ' ' && c != '\t' && (c < 33 || c > 126 || c == '=')))
			toklen = 3;
		if (col + toklen > (eol ? QP_REFERENCE_COLS : QP_REFERENCE_COLS - 1)) {
			if (buf_add(out, "=\r\n", 3) < 0)
				return -1;
			col = 0;
		}
		/* mbox readers would otherwise quote or split at this line */
		if (col == 0 && n - i >= 5 && memcmp(s + i, "From ", 5) == 0)
			toklen = 3;
		if (toklen == 3) {
			tok[0] = '=';
			tok[1] = hex[c >> 4];
			tok[2] = hex[c & 15];
		}
		if (buf_add(out, tok, toklen) < 0)
			return -1;
		col += toklen;
	}
	if (n > 0 && s[n - 1] != '\n' && buf_add(out, "=\r\n", 3) < 0)
		return -1;
	return 0;
}

#endif
