#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fetch.h"
#include "log.h"

int
fetch_file(const char *path, const struct fetch_options *o, struct buf *out,
	   char *err, size_t errlen)
{
	char chunk[65536];
	ssize_t n;
	int fd, rc = -1;

	buf_reset(out);
	out->max = o->max_bytes;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "read: %s", strerror(errno));
			goto out;
		}
		if (buf_add(out, chunk, (size_t)n) < 0) {
			snprintf(err, errlen, "larger than the limit of %zu bytes",
				 o->max_bytes);
			goto out;
		}
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

static size_t
collect(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct buf *out = userdata;

	/* Returning short makes libcurl stop with CURLE_WRITE_ERROR. */
	if (buf_add(out, data, size * nmemb) < 0)
		return 0;
	return size * nmemb;
}

int
fetch_url(const char *url, const struct fetch_options *o, struct buf *out,
	  char *err, size_t errlen)
{
	char curlerr[CURL_ERROR_SIZE] = "";
	long status = 0;
	CURLcode res;
	CURL *curl;
	int rc = -1;

	buf_reset(out);
	out->max = o->max_bytes;
	if (!(curl = curl_easy_init())) {
		snprintf(err, errlen, "cannot start libcurl");
		return -1;
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, o->timeout);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, o->timeout);
	curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "tenderlots/0.1");
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curlerr);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
	res = curl_easy_perform(curl);
	if (res == CURLE_WRITE_ERROR || res == CURLE_FILESIZE_EXCEEDED) {
		snprintf(err, errlen, "larger than the limit of %zu bytes", o->max_bytes);
		goto out;
	}
	if (res != CURLE_OK) {
		snprintf(err, errlen, "%s", curlerr[0] ? curlerr : curl_easy_strerror(res));
		goto out;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {
		snprintf(err, errlen, "HTTP status %ld", status);
		goto out;
	}
	rc = 0;
out:
	curl_easy_cleanup(curl);
	return rc;
}

static int
is_notice_file(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return de->d_name[0] != '.' && n > 4 &&
	       strcmp(de->d_name + n - 4, ".xml") == 0;
}

static int
fetch_dir(const char *dir, const struct fetch_options *o, fetch_document_fn fn,
	  fetch_error_fn on_error, void *ctx)
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
fetch_feed(const struct feed_config *feed, const struct fetch_options *o,
	   fetch_document_fn fn, fetch_error_fn on_error, void *ctx)
{
	char err[CURL_ERROR_SIZE + 64];
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
