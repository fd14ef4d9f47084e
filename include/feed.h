#ifndef TENDERLOTS_FEED_H
#define TENDERLOTS_FEED_H

#include <stddef.h>

#include "config.h"
#include "fetch.h"
#include "ingest.h"
#include "store.h"
#include "syndication.h"

/*
 * Polling one feed: eForms files in a directory, one file or one URL; the
 * TED search API; an RSS or Atom feed whose entries link to notices. What
 * arrives goes to ingest in batches. Every item is fetched conditionally
 * (ETag and Last-Modified for URLs, modification time and size for
 * files), so an unchanged document is neither fetched nor parsed again.
 */
struct feed_poller {
	struct store *store;
	struct syndication_parser *syndication;
	struct fetch_options fetch;
	struct ingest *ingest;	/* its feed name is set per poll */
};

enum feed_status {
	FEED_OK = 0,
	FEED_FAILED = -1,	/* the feed could not be read now; try later */
	FEED_STORE_FAILED = -2	/* the store failed: stop the pass */
};

/*
 * Returns an enum feed_status. On FEED_FAILED err says why and
 * *retry_after is the wait the server asked for (-1 if none).
 */
int feed_poll(struct feed_poller *p, const struct feed_config *feed,
	      long *retry_after, char *err, size_t errlen);

#endif
