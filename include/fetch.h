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

#endif
