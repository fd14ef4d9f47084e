#ifndef TENDERLOTS_ATOM_H
#define TENDERLOTS_ATOM_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

/*
 * Atom 1.0 feeds (RFC 4287) of what the service mails about, so that
 * anyone can follow the RFIs, meetings and notices, not only the firms
 * that subscribed. Written with libxml2's xmlTextWriter.
 *
 * Text is UTF-8 that XML 1.0 can carry: no control characters but tab,
 * LF and CR, and neither U+FFFE nor U+FFFF. It is written as plain text
 * (type="text"), never as markup.
 *
 * An id is an absolute IRI with the scheme http, https, tag (RFC 4151)
 * or urn: readers take an id for the entry's address when there is no
 * link. A link is an http(s) URL with a host and no user name. Schemes
 * are lowercase; IRIs may hold UTF-8 but no spaces or <>"{}|\^`.
 *
 * Times are instants after 1970-01-01T00:00:00Z up to the end of 9999,
 * written as RFC 3339 in UTC: "2026-11-25T08:00:00Z".
 */
struct atom_entry {
	const char *id;		/* stable IRI, e.g. "https://upphandling.
				   exempelkommun.se/rfi/rfi-3" or "tag:..." */
	const char *title;
	/* The entry's page (rel="alternate"), or NULL: RFC 4287 wants an
	 * entry either to link to its text or to carry it, so without a
	 * link the summary is written as the entry's content instead. */
	const char *link;
	time_t updated;
	time_t published;	/* 0 for none */
	const char *summary;	/* NULL for none */
	const char *category;	/* term, or NULL for none */
	const char *category_label;	/* its label, or NULL; needs a term */
};

struct atom_feed {
	const char *id;		/* the feed's IRI */
	const char *title;
	const char *self;	/* the feed's own URL (rel="self") */
	const char *alternate;	/* the HTML page it mirrors, or NULL */
	/* RFC 5005 paging: the newest page, the next older one and the next
	 * newer one, or NULL for none. */
	const char *first, *next, *previous;
	/* Entries have no authors of their own, so the feed must have one. */
	const char *author;	/* name */
	const char *lang;	/* xml:lang, a BCP 47 tag such as "sv"; NULL
				   for none */
	/* The newest entry's, or when the feed was made if it has none;
	 * readers poll on it, so the caller keeps it stable. */
	time_t updated;
	const struct atom_entry *entries;	/* written in this order */
	size_t n;
};

/*
 * Appends the feed to out as a UTF-8 XML document. All fields are required
 * but those marked otherwise. -1 on invalid input (a missing field, text
 * or an IRI that is not as above, a time out of range), when libxml2
 * fails, or when out would grow past its cap; the reason is reported and
 * out is left as it was.
 */
int atom_write(const struct atom_feed *f, struct buf *out);

#endif
