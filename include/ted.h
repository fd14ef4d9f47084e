#ifndef TENDERLOTS_TED_H
#define TENDERLOTS_TED_H

#include <stddef.h>

#include "buf.h"
#include "config.h"

/*
 * The TED search API (v3): POST {url}/v3/notices/search with an expert
 * query, read in iteration mode (a token per page, no cap on results),
 * returning the publication number and XML link of each notice. Pure:
 * building a request and reading a response, no I/O.
 */

#define TED_SEARCH_PATH "/v3/notices/search"

/*
 * The JSON body for one page: the feed's query in parentheses, bounded
 * to publication dates from lo to hi (YYYYMMDD; hi "" for none), newest
 * first. TED returns the oldest first unless told otherwise; it sorts by
 * publication number, as one date holds many notices and a scroll sorted
 * by date has been seen to skip some of them. token is NULL for the
 * first page.
 */
int ted_search_body(const struct feed_config *f, const char *lo,
		    const char *hi, const char *token, struct buf *out);

struct ted_page {
	char **ids;		/* publication numbers, "123456-2026" */
	char **xml_urls;	/* each notice's XML: from the response, or
				   the feed's notice_url with {id} filled in */
	char **dates;		/* publication dates, YYYYMMDD, "" if not given */
	size_t n;
	char *next_token;	/* NULL on the last page */
	long long total;	/* notices matching the query, -1 if not given */
};

void ted_page_release(struct ted_page *p);

/*
 * Reads one search response. An entry without a well-formed publication
 * number is skipped; a body that is not a search response is an error
 * with a reason in err.
 */
int ted_parse_search(const struct feed_config *f, const char *json, size_t len,
		     struct ted_page *out, char *err, size_t errlen);

/*
 * What TED said when it refused a request: the "message" of its JSON
 * answer (or of its "error"), control characters replaced, shortened to
 * fit; "" when the body says nothing readable.
 */
void ted_error_message(const char *json, size_t len, char *out, size_t outlen);

/*
 * Checks an expert query for mistakes TED would refuse or that would
 * defeat polling: an empty query, unbalanced parentheses or quotes, a
 * country by two letters (TED wants three, buyer-country=SWE), a SORT BY
 * of its own. -1 with the reason in err.
 */
int ted_query_check(const char *query, char *err, size_t errlen);

#endif
