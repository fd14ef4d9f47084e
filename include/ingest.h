#ifndef TENDERLOTS_INGEST_H
#define TENDERLOTS_INGEST_H

#include <stddef.h>
#include <time.h>

#include "eforms.h"
#include "category.h"
#include "firm.h"
#include "match.h"
#include "store.h"

/*
 * Ingest: documents collected from a feed are stored in batches, each
 * batch in one transaction with everything it implies: the notices, the
 * matches they make, the quarantine of what was refused and the validators
 * of the feed items they came from. A crash loses at most the batch in
 * hand, which the next poll fetches again; it never records an item as
 * seen without its notices.
 */
struct ingest_doc {
	char *source;		/* file path or URL, for messages and the store */
	char *item;		/* the feed item it came from, or NULL */
	char *etag;		/* the item's validators, recorded once stored */
	char *last_modified;
	char *reason;		/* refused before parsing: quarantined for this */
	struct notice *notice;	/* already a notice (a link-only entry), or NULL */
	long long size;		/* the whole document's size when data holds
				   only its head (a refused oversized file) */
	char *data;		/* the document, unless notice is set; with
				   neither, only the item's validators are
				   recorded (a feed read through) */
	size_t len;
};

struct ingest_batch {
	struct ingest_doc *docs;
	size_t n;
	size_t bytes;
	struct parse_pool *pool;	/* ingest.c's: parsing what was added */
};

/* A batch is flushed once it holds this many documents or bytes. */
#define INGEST_BATCH_DOCS 200
#define INGEST_BATCH_BYTES (32u * 1024u * 1024u)

void ingest_doc_release(struct ingest_doc *doc);
/* Takes over everything doc points to; doc is zeroed. */
int ingest_batch_add(struct ingest_batch *b, struct ingest_doc *doc);
int ingest_batch_full(const struct ingest_batch *b);
void ingest_batch_release(struct ingest_batch *b);

struct ingest_counts {
	unsigned notices_new;
	unsigned notices_changed;
	unsigned notices_unchanged;
	unsigned notices_rejected;
	unsigned lots;
	unsigned matches;
};

struct ingest {
	struct store *store;
	struct eforms_parser *parser;
	const struct category_set *categories;
	const struct firm_list *firms;
	struct match_index *index;	/* over firms */
	const char *feed;	/* the feed's name */
	time_t now;
	int store_only;		/* stored and split, matched to no one: the
				   version that withdraws an RFI */
	int match_later;	/* stored and split, and marked for the next
				   pass to match (ingest_match_later) */
	char *const *own_buyers;	/* the municipality's organisation
					   numbers, NULL-terminated: its own
					   RFIs back from TED are not mailed
					   again (rfi_recognise) */
	struct ingest_counts counts;
};

/*
 * Stores the batch in one transaction and empties it. -1 when the store
 * failed; the transaction is then rolled back and counts are unchanged.
 */
int ingest_flush(struct ingest *in, struct ingest_batch *b);

/*
 * Matches in->firms against every stored notice still open (see
 * store_open_notices) and records their matches, which the outbox mails
 * within each firm's daily cap: a firm that subscribes or changes its
 * profile hears of what is already open, not only of what comes next.
 * Matching twice records nothing twice. in->counts.matches counts the
 * new ones. It goes on after the notice id after (the round begun at
 * started_at that a crash cut short), recording how far it came with
 * each page's matches.
 */
int ingest_backfill(struct ingest *in, const char *after, time_t started_at);

/*
 * Matches against in->firms the notices stored with match_later (the
 * staff's pages publish them so), as a notice that came through a feed
 * is matched, and clears their mark: a page of them a transaction.
 */
int ingest_match_later(struct ingest *in);

/*
 * What storing n would do, without storing it: the categories its lots
 * fall into (keys, each once) and how many of in->firms it would be
 * mailed to. Deadlines are not looked at: a preview is of what is to come.
 */
struct ingest_preview {
	char **categories;
	size_t ncategories;
	size_t firms;
};

/*
 * A link-only notice (an RSS or Atom entry that links no eForms XML)
 * gives no deadline: it is matched, at ingest or to a late subscriber,
 * for LINK_OPEN_DAYS after its day of publication (YYYY-MM-DD). 1 while
 * open.
 */
#define LINK_OPEN_DAYS 60
int ingest_link_open(const char *published, time_t now);

int ingest_preview(struct ingest *in, const struct notice *n,
		   struct ingest_preview *out);
void ingest_preview_release(struct ingest_preview *p);

#endif
