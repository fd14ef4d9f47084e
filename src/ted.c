#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "cpv.h"
#include "json.h"
#include "notice.h"
#include "ted.h"

#define TED_MAX_NOTICES_PER_PAGE 1000

int
ted_search_body(const struct feed_config *f, const char *lo, const char *hi,
		const char *token, struct buf *out)
{
	struct buf query;
	int rc = 0;

	buf_init(&query, 0);
	rc |= buf_printf(&query, "(%s) AND publication-date>=%s", f->query, lo);
	if (hi[0])
		rc |= buf_printf(&query, " AND publication-date<=%s", hi);
	rc |= buf_adds(&query, " SORT BY publication-number DESC");
	buf_reset(out);
	rc |= buf_adds(out, "{\"query\": ");
	rc |= json_add_string(out, buf_str(&query));
	rc |= buf_printf(out, ", \"fields\": [\"publication-number\", "
			 "\"publication-date\", \"links\"], "
			 "\"limit\": %ld, \"scope\": \"ALL\", "
			 "\"paginationMode\": \"ITERATION\"", f->page_size);
	if (token) {
		rc |= buf_adds(out, ", \"iterationNextToken\": ");
		rc |= json_add_string(out, token);
	}
	rc |= buf_adds(out, "}");
	buf_release(&query);
	return rc ? -1 : 0;
}

void
ted_page_release(struct ted_page *p)
{
	strvec_free(p->ids, p->n);
	strvec_free(p->xml_urls, p->n);
	strvec_free(p->dates, p->n);
	free(p->next_token);
	memset(p, 0, sizeof *p);
}

static int
is_http(const char *s)
{
	return s && (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0);
}

static int
fill_template(const char *tmpl, const char *id, struct buf *out)
{
	const char *at = strstr(tmpl, "{id}");

	buf_reset(out);
	if (!at)
		return -1;
	if (buf_add(out, tmpl, (size_t)(at - tmpl)) < 0 || buf_adds(out, id) < 0 ||
	    buf_adds(out, at + 4) < 0)
		return -1;
	return 0;
}

/*
 * SQLite's JSON functions read the response: the JSON parser of a library
 * the project already trusts, in a private in-memory database that never
 * touches the store.
 */
static const char page_sql[] =
	"SELECT json_extract(?1, '$.iterationNextToken'),"
	" json_extract(?1, '$.totalNoticeCount'),"
	" json_type(?1, '$.notices')";
static const char notices_sql[] =
	"SELECT json_extract(value, '$.\"publication-number\"'),"
	" json_extract(value, '$.links.xml.MUL'),"
	" json_extract(value, '$.\"publication-date\"')"
	" FROM json_each(?1, '$.notices')";
static const char message_sql[] =
	"SELECT coalesce(json_extract(?1, '$.message'),"
	" json_extract(?1, '$.error.message'),"
	" CASE json_type(?1, '$.error') WHEN 'text'"
	"  THEN json_extract(?1, '$.error') END)";

/* "2026-11-24+01:00" as "20261124"; "" for anything else. */
static void
day_of(const char *date, char out[9])
{
	out[0] = '\0';
	if (date && strlen(date) >= 10 && date[4] == '-' && date[7] == '-' &&
	    strspn(date, "0123456789") == 4 &&
	    strspn(date + 5, "0123456789") == 2 &&
	    strspn(date + 8, "0123456789") == 2)
		snprintf(out, 9, "%.4s%.2s%.2s", date, date + 5, date + 8);
}

static int
read_notices(sqlite3 *db, const struct feed_config *f, const char *json,
	     size_t len, struct ted_page *out, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	struct buf url;
	char day[9];
	size_t nids, ndates;
	int r, rc = -1;

	buf_init(&url, 4096);
	if (sqlite3_prepare_v2(db, notices_sql, -1, &st, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_text(st, 1, json, (int)len, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *xml = (const char *)sqlite3_column_text(st, 1);

		if (!id || publication_number_zeros(id) < 0)
			continue;
		if (out->n == TED_MAX_NOTICES_PER_PAGE) {
			snprintf(err, errlen, "more than %d notices on one page",
				 TED_MAX_NOTICES_PER_PAGE);
			goto out;
		}
		if (!is_http(xml)) {
			if (fill_template(f->notice_url, id, &url) < 0)
				goto nomem;
			xml = buf_str(&url);
		}
		day_of((const char *)sqlite3_column_text(st, 2), day);
		nids = ndates = out->n;
		if (strvec_push(&out->ids, &nids, id) < 0)
			goto nomem;
		if (strvec_push(&out->dates, &ndates, day) < 0) {
			free(out->ids[nids - 1]);
			goto nomem;
		}
		if (strvec_push(&out->xml_urls, &out->n, xml) < 0) {
			free(out->ids[nids - 1]);
			free(out->dates[ndates - 1]);
			goto nomem;
		}
	}
	if (r != SQLITE_DONE)
		goto dberr;
	rc = 0;
	goto out;
nomem:
	snprintf(err, errlen, "out of memory");
	goto out;
dberr:
	snprintf(err, errlen, "cannot read the response: %s", sqlite3_errmsg(db));
out:
	sqlite3_finalize(st);
	buf_release(&url);
	return rc;
}

int
ted_parse_search(const struct feed_config *f, const char *json, size_t len,
		 struct ted_page *out, char *err, size_t errlen)
{
	struct ted_page page = { .total = -1 };
	sqlite3_stmt *st = NULL;
	sqlite3 *db = NULL;
	const char *type;
	int rc = -1;

	if (len > (size_t)0x7fffffff) {
		snprintf(err, errlen, "response too large");
		return -1;
	}
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, page_sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot read the response: %s",
			 db ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	sqlite3_bind_text(st, 1, json, (int)len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errlen, "not JSON: %s", sqlite3_errmsg(db));
		goto out;
	}
	type = (const char *)sqlite3_column_text(st, 2);
	if (!type || strcmp(type, "array") != 0) {
		snprintf(err, errlen, "not a TED search response (no notices array)");
		goto out;
	}
	if (sqlite3_column_type(st, 0) == SQLITE_TEXT &&
	    !(page.next_token = strdup((const char *)sqlite3_column_text(st, 0)))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (sqlite3_column_type(st, 1) == SQLITE_INTEGER)
		page.total = sqlite3_column_int64(st, 1);
	if (read_notices(db, f, json, len, &page, err, errlen) < 0)
		goto out;
	*out = page;
	memset(&page, 0, sizeof page);
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	ted_page_release(&page);
	return rc;
}

void
ted_error_message(const char *json, size_t len, char *out, size_t outlen)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *db = NULL;
	const unsigned char *m = NULL;
	char *p;

	out[0] = '\0';
	if (len > (size_t)0x7fffffff ||
	    sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, message_sql, -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, json, (int)len, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		m = sqlite3_column_text(st, 0);
	if (m)
		snprintf(out, outlen, "%s", (const char *)m);
	/* it reaches a log line, status and perhaps the operator's mail */
	for (p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static int
is_field_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * A country field's value of two letters, e.g. buyer-country=SE or
 * buyer-country IN (SE NO): at p, just after the field name.
 */
static int
check_countries(const char *field, size_t flen, const char *p, char *err,
		size_t errlen)
{
	const char *v;
	int list = 0;
	size_t n;

	while (*p == ' ')
		p++;
	if (*p == '=' || (p[0] == '!' && p[1] == '='))
		p += *p == '=' ? 1 : 2;
	else if ((strncasecmp(p, "IN", 2) == 0 && !is_field_char(p[2])) ||
		 (strncasecmp(p, "NOT IN", 6) == 0 && !is_field_char(p[6])))
		p += toupper((unsigned char)*p) == 'I' ? 2 : 6;
	else
		return 0;
	while (*p == ' ')
		p++;
	if (*p == '(') {
		list = 1;
		p++;
	}
	for (;;) {
		while (*p == ' ')
			p++;
		for (v = p; is_field_char(*p); p++)
			;
		n = (size_t)(p - v);
		if (n == 2 && isalpha((unsigned char)v[0]) && isalpha((unsigned char)v[1])) {
			char a2[3] = { (char)toupper((unsigned char)v[0]),
				       (char)toupper((unsigned char)v[1]), 0 };
			const char *a3 = country_alpha3(a2);

			snprintf(err, errlen, "%.*s: '%.2s' is a two-letter "
				 "country; TED names countries by three letters"
				 "%s%s%s", (int)flen, field, v, a3 ? " (" : "",
				 a3 ? a3 : " (ISO 3166-1 alpha-3)", a3 ? ")" : "");
			return -1;
		}
		if (!list || n == 0)
			return 0;
	}
}

/* buyer-country, organisation-country-buyer, winner-country, ... */
static int
names_country(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i + 7 <= n; i++)
		if (strncasecmp(w + i, "country", 7) == 0)
			return 1;
	return 0;
}

int
ted_query_check(const char *query, char *err, size_t errlen)
{
	const char *p, *open_quote = NULL, *opens[64];
	size_t depth = 0;

	if (query[strspn(query, " \t")] == '\0') {
		snprintf(err, errlen, "the query is empty");
		return -1;
	}
	for (p = query; *p; p++) {
		if (open_quote) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				open_quote = NULL;
			continue;
		}
		if (*p == '"') {
			open_quote = p;
		} else if (*p == '(') {
			if (depth == sizeof opens / sizeof *opens) {
				snprintf(err, errlen, "parentheses nested too deep");
				return -1;
			}
			opens[depth++] = p;
		} else if (*p == ')') {
			if (!depth) {
				snprintf(err, errlen, "')' at column %zu has no '('",
					 (size_t)(p - query) + 1);
				return -1;
			}
			depth--;
		} else if ((p == query || !is_field_char(p[-1])) &&
			   strncasecmp(p, "SORT BY", 7) == 0) {
			snprintf(err, errlen, "has a SORT BY of its own: the feed "
				 "sorts by publication number, newest first, to "
				 "poll from where it was");
			return -1;
		} else if (is_field_char(*p) && (p == query || !is_field_char(p[-1]))) {
			const char *w = p;

			while (is_field_char(p[1]))
				p++;
			if (names_country(w, (size_t)(p - w) + 1) &&
			    check_countries(w, (size_t)(p - w) + 1, p + 1, err,
					    errlen) < 0)
				return -1;
		}
	}
	if (open_quote) {
		snprintf(err, errlen, "the quote at column %zu is never closed",
			 (size_t)(open_quote - query) + 1);
		return -1;
	}
	if (depth) {
		snprintf(err, errlen, "'(' at column %zu is never closed",
			 (size_t)(opens[depth - 1] - query) + 1);
		return -1;
	}
	return 0;
}
