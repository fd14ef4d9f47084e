#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include "atom.h"
#include "buf.h"
#include "log.h"
#include "utf8.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define TIME_MAX 253402300799LL	/* 9999-12-31T23:59:59Z: 4-digit years */

/*
 * XML 1.0's Char production. xmlTextWriter escapes markup but passes
 * other bytes through, so anything else would make the document
 * ill-formed, and readers refuse a whole feed over one bad byte.
 */
static int
text_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k;

	while (n > 0) {
		if (*p < 0x80) {
			if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
				return 0;
			k = 1;
		} else {
			k = utf8_seq_len(p, n);
			/* EF BF BE and EF BF BF: U+FFFE and U+FFFF */
			if (!k || (k == 3 && p[0] == 0xef && p[1] == 0xbf &&
				   p[2] >= 0xbe))
				return 0;
		}
		p += k;
		n -= k;
	}
	return 1;
}

static int
required_text_ok(const char *s)
{
	return s && *s && text_ok(s);
}

/* RFC 3987 keeps controls, space and <>"{}|\^` out of IRIs. */
static int
iri_ok(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7f || strchr("<>\"{}|\\^`", *p))
			return 0;
	return text_ok(s);
}

/*
 * A user name would let a link pass one host off as another:
 * "https://upphandling.exempelkommun.se@evil.example/" opens evil.example.
 */
static int
link_ok(const char *s)
{
	const char *host;
	size_t len;

	if (!s)
		return 0;
	if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return 0;
	len = strcspn(host, "/?#");
	return len > 0 && !memchr(host, '@', len) && iri_ok(s);
}

/* Readers open an id that looks like an address, so ids are held to
 * schemes that are either safe to open or never opened. */
static int
id_ok(const char *s)
{
	if (s && (strncmp(s, "tag:", 4) == 0 || strncmp(s, "urn:", 4) == 0))
		return s[4] != '\0' && iri_ok(s);
	return link_ok(s);
}

static int
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* The shape of a BCP 47 tag: "sv", "sv-SE", "sma-Latn-SE". */
static int
lang_ok(const char *s)
{
	size_t run = 0;

	if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z'))
		return 0;
	for (; *s; s++) {
		if (*s == '-' && run > 0)
			run = 0;
		else if (is_alnum(*s) && run < 8)
			run++;
		else
			return 0;
	}
	return run > 0;
}

static int
time_ok(time_t t)
{
	return t > 0 && (long long)t <= TIME_MAX;
}

/* The entry is named by its id once that is known to be printable. */
static int
check_entry(const struct atom_feed *f, size_t i)
{
	const struct atom_entry *e = &f->entries[i];
	const char *id = e->id;

	if (!id_ok(id))
		return error("atom %s: entry %zu: missing or invalid id "
			     "(http(s), tag: or urn: IRI)", f->id, i);
	if (!required_text_ok(e->title))
		return error("atom %s: entry %s: missing title, or not UTF-8 "
			     "text XML can carry", f->id, id);
	if (e->link && !link_ok(e->link))
		return error("atom %s: entry %s: link is not an http(s) URL",
			     f->id, id);
	if (!time_ok(e->updated))
		return error("atom %s: entry %s: missing or out-of-range "
			     "updated time", f->id, id);
	if (e->published && !time_ok(e->published))
		return error("atom %s: entry %s: published time out of range",
			     f->id, id);
	if (e->summary && !text_ok(e->summary))
		return error("atom %s: entry %s: summary is not UTF-8 text "
			     "XML can carry", f->id, id);
	if (e->category && !required_text_ok(e->category))
		return error("atom %s: entry %s: empty category, or not UTF-8 "
			     "text XML can carry", f->id, id);
	if (e->category_label && (!e->category || !text_ok(e->category_label)))
		return error("atom %s: entry %s: category label without a "
			     "category, or not UTF-8 text XML can carry",
			     f->id, id);
	return 0;
}

static int
check_feed(const struct atom_feed *f)
{
	size_t i;

	if (!id_ok(f->id))
		return error("atom: missing or invalid feed id "
			     "(http(s), tag: or urn: IRI)");
	if (!required_text_ok(f->title))
		return error("atom %s: missing title, or not UTF-8 text XML "
			     "can carry", f->id);
	if (!link_ok(f->self))
		return error("atom %s: missing self link, or not an http(s) "
			     "URL", f->id);
	if (f->alternate && !link_ok(f->alternate))
		return error("atom %s: alternate link is not an http(s) URL",
			     f->id);
	if ((f->first && !link_ok(f->first)) || (f->next && !link_ok(f->next)) ||
	    (f->previous && !link_ok(f->previous)))
		return error("atom %s: a paging link is not an http(s) URL",
			     f->id);
	if (!required_text_ok(f->author))
		return error("atom %s: missing author, or not UTF-8 text XML "
			     "can carry", f->id);
	if (f->lang && !lang_ok(f->lang))
		return error("atom %s: invalid language tag", f->id);
	if (!time_ok(f->updated))
		return error("atom %s: missing or out-of-range updated time",
			     f->id);
	if (f->n && !f->entries)
		return error("atom %s: %zu entries but none given", f->id,
			     f->n);
	for (i = 0; i < f->n; i++)
		if (check_entry(f, i) < 0)
			return -1;
	return 0;
}

static int
start(xmlTextWriterPtr w, const char *name)
{
	return xmlTextWriterStartElement(w, (const xmlChar *)name);
}

static int
attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	return xmlTextWriterWriteAttribute(w, (const xmlChar *)name,
					   (const xmlChar *)value);
}

static int
element(xmlTextWriterPtr w, const char *name, const char *text)
{
	return xmlTextWriterWriteElement(w, (const xmlChar *)name,
					 (const xmlChar *)text);
}

/* Text constructs say type="text" outright, for readers that would
 * otherwise take "&lt;b&gt;" in them for markup. */
static int
text_element(xmlTextWriterPtr w, const char *name, const char *text)
{
	if (start(w, name) < 0 || attr(w, "type", "text") < 0 ||
	    xmlTextWriterWriteString(w, (const xmlChar *)text) < 0)
		return -1;
	return xmlTextWriterEndElement(w);
}

static int
time_element(xmlTextWriterPtr w, const char *name, time_t t)
{
	char s[sizeof "9999-12-31T23:59:59Z"];
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return -1;
	return element(w, name, s);
}

/* type is NULL where the link may be to anything. */
static int
link_element(xmlTextWriterPtr w, const char *rel, const char *type,
	     const char *href)
{
	if (start(w, "link") < 0 || attr(w, "rel", rel) < 0 ||
	    (type && attr(w, "type", type) < 0) || attr(w, "href", href) < 0)
		return -1;
	return xmlTextWriterEndElement(w);
}

static int
put_entry(xmlTextWriterPtr w, const struct atom_entry *e)
{
	if (start(w, "entry") < 0 || element(w, "id", e->id) < 0 ||
	    text_element(w, "title", e->title) < 0 ||
	    time_element(w, "updated", e->updated) < 0 ||
	    (e->published && time_element(w, "published", e->published) < 0))
		return -1;
	if (e->link && link_element(w, "alternate", NULL, e->link) < 0)
		return -1;
	if (e->category &&
	    (start(w, "category") < 0 || attr(w, "term", e->category) < 0 ||
	     (e->category_label && attr(w, "label", e->category_label) < 0) ||
	     xmlTextWriterEndElement(w) < 0))
		return -1;
	if (!e->link) {
		if (text_element(w, "content", e->summary ? e->summary : "") < 0)
			return -1;
	} else if (e->summary && text_element(w, "summary", e->summary) < 0) {
		return -1;
	}
	return xmlTextWriterEndElement(w);
}

static int
put_feed(xmlTextWriterPtr w, const struct atom_feed *f)
{
	size_t i;

	if (xmlTextWriterSetIndent(w, 1) < 0 ||
	    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElementNS(w, NULL, (const xmlChar *)"feed",
					(const xmlChar *)ATOM_NS) < 0 ||
	    (f->lang && attr(w, "xml:lang", f->lang) < 0))
		return -1;
	if (element(w, "id", f->id) < 0 ||
	    text_element(w, "title", f->title) < 0 ||
	    time_element(w, "updated", f->updated) < 0 ||
	    start(w, "author") < 0 || element(w, "name", f->author) < 0 ||
	    xmlTextWriterEndElement(w) < 0 ||
	    link_element(w, "self", "application/atom+xml", f->self) < 0 ||
	    (f->alternate &&
	     link_element(w, "alternate", "text/html", f->alternate) < 0) ||
	    (f->first &&
	     link_element(w, "first", "application/atom+xml", f->first) < 0) ||
	    (f->next &&
	     link_element(w, "next", "application/atom+xml", f->next) < 0) ||
	    (f->previous &&
	     link_element(w, "previous", "application/atom+xml",
			  f->previous) < 0))
		return -1;
	for (i = 0; i < f->n; i++)
		if (put_entry(w, &f->entries[i]) < 0)
			return -1;
	return xmlTextWriterEndDocument(w);
}

int
atom_write(const struct atom_feed *f, struct buf *out)
{
	xmlBufferPtr xb;
	xmlTextWriterPtr w = NULL;
	int rc = -1;

	if (check_feed(f) < 0)
		return -1;
	xmlInitParser();
	xb = xmlBufferCreate();
	if (!xb || !(w = xmlNewTextWriterMemory(xb, 0)) || put_feed(w, f) < 0) {
		error("atom %s: libxml2 could not write the feed", f->id);
		goto out;
	}
	/* the writer holds back what it has not flushed into xb */
	xmlFreeTextWriter(w);
	w = NULL;
	if (buf_add(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb)) < 0) {
		error("atom %s: feed larger than %zu bytes", f->id, out->max);
		goto out;
	}
	rc = 0;
out:
	xmlFreeTextWriter(w);
	xmlBufferFree(xb);
	return rc;
}
