#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "feed.h"
#include "log.h"

static int
is_notice_file(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return de->d_name[0] != '.' && n > 4 &&
	       strcmp(de->d_name + n - 4, ".xml") == 0;
}

static int
fetch_dir(const char *dir, const struct fetch_options *o, feed_document_fn fn,
	  feed_error_fn on_error, void *ctx)
{
	struct dirent **names = NULL;
	char path[4096], err[256];
	struct buf doc;
	int n, i, rc = -1;

	buf_init(&doc, o->max_bytes);
	if ((n = scandir(dir, &names, is_notice_file, alphasort)) < 0) {
		error("%s: %s", dir, strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir,
				     names[i]->d_name) >= sizeof path) {
			on_error(names[i]->d_name, "path too long", ctx);
			continue;
		}
		if (fetch_file(path, o, &doc, err, sizeof err) < 0) {
			on_error(path, err, ctx);
			continue;
		}
		if (fn(path, doc.data ? doc.data : "", doc.len, ctx) < 0)
			goto out;
	}
	rc = 0;
out:
	for (i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
	buf_release(&doc);
	return rc;
}

int
feed_poll(const struct feed_config *feed, const struct fetch_options *o,
	   feed_document_fn fn, feed_error_fn on_error, void *ctx)
{
	char err[512];
	struct buf doc;
	struct stat st;
	int rc = -1;

	buf_init(&doc, o->max_bytes);
	if (strncmp(feed->url, "http://", 7) == 0 ||
	    strncmp(feed->url, "https://", 8) == 0) {
		if (fetch_url(feed->url, o, &doc, err, sizeof err) < 0) {
			error("feed %s: %s: %s", feed->name, feed->url, err);
			goto out;
		}
	} else if (stat(feed->url, &st) < 0) {
		error("feed %s: %s: %s", feed->name, feed->url, strerror(errno));
		goto out;
	} else if (S_ISDIR(st.st_mode)) {
		rc = fetch_dir(feed->url, o, fn, on_error, ctx);
		goto out;
	} else if (fetch_file(feed->url, o, &doc, err, sizeof err) < 0) {
		error("feed %s: %s: %s", feed->name, feed->url, err);
		goto out;
	}
	rc = fn(feed->url, doc.data ? doc.data : "", doc.len, ctx);
out:
	buf_release(&doc);
	return rc;
}
