#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "json.h"
#include "notice.h"
#include "ted.h"

#define TED_MAX_NOTICES_PER_PAGE 1000

int
ted_search_body(const struct feed_config *f, const char *token, struct buf *out)
{
	int rc = 0;

	buf_reset(out);
	rc |= buf_adds(out, "{\"query\": ");
	rc |= json_add_string(out, f->query);
	rc |= buf_printf(out, ", \"fields\": [\"publication-number\", \"links\"], "
			 "\"limit\": %ld, \"scope\": \"ALL\", "
			 "\"paginationMode\": \"ITERATION\"", f->page_size);
	if (token) {
		rc |= buf_adds(out, ", \"iterationNextToken\": ");
		rc |= json_add_string(out, token);
	}
	rc |= buf_adds(out, "}");
	return rc ? -1 : 0;
}

void
ted_page_release(struct ted_page *p)
{
	strvec_free(p->ids, p->n);
	strvec_free(p->xml_urls, p->n);
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
	" json_extract(value, '$.links.xml.MUL')"
	" FROM json_each(?1, '$.notices')";

static int
read_notices(sqlite3 *db, const struct feed_config *f, const char *json,
	     size_t len, struct ted_page *out, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	struct buf url;
	size_t nids;
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
		nids = out->n;
		if (strvec_push(&out->ids, &nids, id) < 0)
			goto nomem;
		if (strvec_push(&out->xml_urls, &out->n, xml) < 0) {
			free(out->ids[nids - 1]);
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
