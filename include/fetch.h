#ifndef TENDERLOTS_FETCH_H
#define TENDERLOTS_FETCH_H

#include <stddef.h>

#include "buf.h"
#include "config.h"

/*
 * Getting feed documents: local files and directories, and http(s) URLs
 * through libcurl, each capped in size and time.
 */
struct fetch_options {
	long timeout;		/* seconds */
	size_t max_bytes;	/* largest document accepted */
};

/* Reads a whole local file, at most o->max_bytes. */
int fetch_file(const char *path, const struct fetch_options *o,
	       struct buf *out, char *err, size_t errlen);

/* GETs an http(s) URL; a non-2xx status is an error. */
int fetch_url(const char *url, const struct fetch_options *o,
	      struct buf *out, char *err, size_t errlen);

/*
 * Called for each document of a feed. name is the file path or URL, for
 * messages and for the notice's source. Returning -1 stops the poll.
 */
typedef int (*fetch_document_fn)(const char *name, const char *data,
				 size_t len, void *ctx);
/* Called for a document that could not be read; the poll goes on. */
typedef void (*fetch_error_fn)(const char *name, const char *reason, void *ctx);

/*
 * Hands every document of a feed to fn: a directory's *.xml files in name
 * order, a single file, or the body of a URL. -1 if the feed itself cannot
 * be read or fn stopped the poll.
 */
int fetch_feed(const struct feed_config *feed, const struct fetch_options *o,
	       fetch_document_fn fn, fetch_error_fn on_error, void *ctx);

#endif
