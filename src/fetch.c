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
