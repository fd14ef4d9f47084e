#ifndef TENDERLOTS_FEED_H
#define TENDERLOTS_FEED_H

#include <stddef.h>

#include "config.h"
#include "fetch.h"

/*
 * Called for each document of a feed. name is the file path or URL, for
 * messages and for the notice's source. Returning -1 stops the poll.
 */
typedef int (*feed_document_fn)(const char *name, const char *data,
				 size_t len, void *ctx);
/* Called for a document that could not be read; the poll goes on. */
typedef void (*feed_error_fn)(const char *name, const char *reason, void *ctx);

/*
 * Hands every document of a feed to fn: a directory's *.xml files in name
 * order, a single file, or the body of a URL. -1 if the feed itself cannot
 * be read or fn stopped the poll.
 */
int feed_poll(const struct feed_config *feed, const struct fetch_options *o,
	       feed_document_fn fn, feed_error_fn on_error, void *ctx);

#endif
