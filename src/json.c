#include <string.h>

#include "json.h"
#include "utf8.h"

/* U+FFFD REPLACEMENT CHARACTER, stands in for every byte that is not UTF-8. */
static const char replacement[] = "\xef\xbf\xbd";

int
json_add_string(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, len;
	int rc;

	if (!s)
		return buf_adds(b, "null");
	if (buf_addc(b, '"') < 0)
		return -1;
	n = strlen(s);
	while (n > 0) {
		if (*p == '"' || *p == '\\') {
			rc = buf_addc(b, '\\') < 0 ? -1 : buf_addc(b, (char)*p);
			len = 1;
		} else if (*p == '\n') {
			rc = buf_adds(b, "\\n");
			len = 1;
		} else if (*p == '\t') {
			rc = buf_adds(b, "\\t");
			len = 1;
		} else if (*p == '\r') {
			rc = buf_adds(b, "\\r");
			len = 1;
		} else if (*p < 0x20) {
			rc = buf_printf(b, "\\u%04x", *p);
			len = 1;
		} else if (*p < 0x80) {
			rc = buf_addc(b, (char)*p);
			len = 1;
		} else if ((len = utf8_seq_len(p, n)) > 0) {
			rc = buf_add(b, p, len);
		} else {
			rc = buf_adds(b, replacement);
			len = 1;
		}
		if (rc < 0)
			return -1;
		p += len;
		n -= len;
	}
	return buf_addc(b, '"');
}

int
json_add_time(struct buf *b, long long t)
{
	long long days = t / 86400, secs = t % 86400;
	long long era, doe, yoe, doy, mp, y;
	int m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* civil_from_days (H. Hinnant): exact for any day, no gmtime() and
	 * so no dependence on the width of time_t. */
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = (int)(doy - (153 * mp + 2) / 5 + 1);
	m = (int)(mp < 10 ? mp + 3 : mp - 9);
	y = yoe + era * 400 + (m <= 2);
	return buf_printf(b, "\"%04lld-%02d-%02dT%02d:%02d:%02dZ\"", y, m, d,
			  (int)(secs / 3600), (int)(secs / 60 % 60),
			  (int)(secs % 60));
}
