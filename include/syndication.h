#ifndef TENDERLOTS_SYNDICATION_H
#define TENDERLOTS_SYNDICATION_H

#include <stddef.h>
#include <time.h>

/*
 * RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 -> the entries that link to notices.
 * Pure: bytes in, structs out, no I/O. The parser holds the compiled XPath
 * expressions so they are compiled once and reused for every feed.
 */

/* Entries kept per feed; later ones are counted in nskipped. */
#define SYNDICATION_MAX_ENTRIES 10000
/* Longer ids, titles and links make the entry skipped. */
#define SYNDICATION_MAX_FIELD 2048
/* Longer summaries are cut at a UTF-8 character boundary. */
#define SYNDICATION_MAX_SUMMARY 4096

struct syndication_entry {
	char *id;		/* guid, atom:id or rdf:about; the link when absent */
	char *title;		/* plain text; NULL when absent */
	char *link;		/* absolute http(s) URL */
	char *link_type;	/* MIME type when given (Atom link, RSS
				   enclosure), else NULL */
	char *summary;		/* plain text, tags stripped, whitespace
				   collapsed, capped; NULL when absent */
	int has_published;
	time_t published;	/* pubDate / atom:published, else
				   atom:updated / dc:date; UTC */
};

struct syndication_feed {
	char *title;		/* NULL when absent; cut at
				   SYNDICATION_MAX_FIELD */
	char *link;		/* the site, absolute http(s); NULL when absent */
	struct syndication_entry *entries;
	size_t nentries;
	/* Entries left out: no http(s) link, an over-long field, or past
	 * SYNDICATION_MAX_ENTRIES. */
	size_t nskipped;
};

struct syndication_parser;

struct syndication_parser *syndication_parser_new(void);
void syndication_parser_free(struct syndication_parser *p);

/*
 * Parses one feed. Relative links resolve against xml:base and then
 * base_url (the feed's own URL; may be NULL). On success returns 0 and sets
 * *out, which may hold no entries. On invalid input (malformed XML, a
 * DOCTYPE, not RSS or Atom) returns -1 and writes a one-line reason naming
 * the line or element into err.
 */
int syndication_parse(struct syndication_parser *p, const char *data,
		      size_t len, const char *base_url,
		      struct syndication_feed **out, char *err, size_t errlen);

void syndication_feed_free(struct syndication_feed *f);

/*
 * 1 when the entry's link is an XML document, which the caller fetches and
 * parses as eForms: its type names XML (not XHTML), or no type is given
 * and the link's path ends in ".xml". 0 for a link to a page.
 */
int syndication_entry_links_xml(const struct syndication_entry *e);

/*
 * Dates as feeds write them, into UTC: RFC 822 / RFC 1123 (RSS pubDate)
 * and RFC 3339 / W3C-DTF (Atom, dc:date). 0, or -1 if s is not one.
 */
int syndication_parse_rfc822(const char *s, time_t *out);
int syndication_parse_rfc3339(const char *s, time_t *out);

#endif
