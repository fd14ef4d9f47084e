#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "feed.h"
#include "log.h"
#include "ted.h"

/* The state of one poll: the batch in hand and the first failure seen. */
struct poll {
	struct feed_poller *p;
	const struct feed_config *feed;
	struct ingest_batch batch;
	int status;
	long retry_after;
	char *err;
	size_t errlen;
};

static int
fail(struct poll *pl, long retry_after, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Records the first failure; the poll goes on with the other items. */
static int
fail(struct poll *pl, long retry_after, const char *fmt, ...)
{
	va_list ap;

	if (pl->status == FEED_OK) {
		va_start(ap, fmt);
		vsnprintf(pl->err, pl->errlen, fmt, ap);
		va_end(ap);
		pl->status = FEED_FAILED;
		pl->retry_after = retry_after;
	}
	return -1;
}

static int
flush(struct poll *pl)
{
	if (ingest_flush(pl->p->ingest, &pl->batch) < 0) {
		pl->status = FEED_STORE_FAILED;
		snprintf(pl->err, pl->errlen, "the store failed");
		return -1;
	}
	return 0;
}

/* Queues a document; a full batch is stored at once, so memory stays flat. */
static int
add(struct poll *pl, struct ingest_doc *doc)
{
	if (ingest_batch_add(&pl->batch, doc) < 0) {
		pl->status = FEED_STORE_FAILED;
		return -1;
	}
	return ingest_batch_full(&pl->batch) ? flush(pl) : 0;
}

static int
set_str(char **field, const char *value)
{
	if (!value)
		return 0;
	return (*field = strdup(value)) ? 0 : -1;
}

/*
 * The validators a feed item had when it was last stored. Items are read
 * outside the batch's transaction: a stale answer only means one more
 * fetch.
 */
static int
item_validators(struct poll *pl, const char *item, char **etag, char **lm,
		int *found)
{
	if (store_feed_item_get(pl->p->store, pl->feed->name, item, etag, lm,
				found) < 0) {
		pl->status = FEED_STORE_FAILED;
		return -1;
	}
	return 0;
}

/* A document, or a refusal, with the item and validators to record. */
static int
add_document(struct poll *pl, const char *source, const char *item,
	     const char *etag, const char *lm, const char *reason,
	     struct buf *body)
{
	struct ingest_doc doc = { 0 };

	if (set_str(&doc.source, source) < 0 || set_str(&doc.item, item) < 0 ||
	    set_str(&doc.etag, etag) < 0 || set_str(&doc.last_modified, lm) < 0 ||
	    set_str(&doc.reason, reason) < 0)
		goto nomem;
	if (body) {
		doc.len = body->len;
		doc.data = buf_detach(body, NULL);
	}
	return add(pl, &doc);
nomem:
	ingest_doc_release(&doc);
	pl->status = FEED_STORE_FAILED;
	return error("out of memory");
}

/* A refusal that keeps the first bytes of a file too big to read whole. */
static int
add_head(struct poll *pl, struct ingest_doc *doc, const char *path,
	 const char *validator, const char *reason)
{
	char head[QUARANTINE_HEAD];
	ssize_t n = -1;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, head, sizeof head);
		close(fd);
	}
	if (!(doc->source = strdup(path)) || !(doc->item = strdup(path)) ||
	    !(doc->etag = strdup(validator)) || !(doc->reason = strdup(reason)) ||
	    !(doc->data = malloc(n > 0 ? (size_t)n : 1))) {
		ingest_doc_release(doc);
		pl->status = FEED_STORE_FAILED;
		return error("out of memory");
	}
	if (n > 0)
		memcpy(doc->data, head, (size_t)n);
	doc->len = n > 0 ? (size_t)n : 0;
	return add(pl, doc);
}

/*
 * A local file is unchanged while its modification time and size are, so
 * these stand in for an ETag.
 */
static int
poll_file(struct poll *pl, const char *path, const struct stat *st)
{
	char validator[64], err[512];
	char *old = NULL, *lm = NULL;
	struct buf body;
	int found, rc = -1;

	snprintf(validator, sizeof validator, "%lld.%09ld:%lld",
		 (long long)st->st_mtim.tv_sec, (long)st->st_mtim.tv_nsec,
		 (long long)st->st_size);
	buf_init(&body, pl->p->fetch.max_bytes);
	if (item_validators(pl, path, &old, &lm, &found) < 0)
		goto out;
	if (found && old && strcmp(old, validator) == 0) {
		rc = 0;
		goto out;
	}
	if ((size_t)st->st_size > pl->p->fetch.max_bytes) {
		struct ingest_doc doc = { .size = (long long)st->st_size };

		snprintf(err, sizeof err, "larger than the limit of %zu bytes",
			 pl->p->fetch.max_bytes);
		rc = add_head(pl, &doc, path, validator, err);
		goto out;
	}
	if (fetch_file(path, &pl->p->fetch, &body, err, sizeof err) < 0) {
		rc = fail(pl, -1, "%s: %s", path, err);
		goto out;
	}
	rc = add_document(pl, path, path, validator, NULL, NULL, &body);
out:
	free(old);
	free(lm);
	buf_release(&body);
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
poll_dir(struct poll *pl, const char *dir)
{
	struct dirent **names = NULL;
	char path[4096];
	struct stat st;
	int n, i;

	if ((n = scandir(dir, &names, is_notice_file, alphasort)) < 0)
		return fail(pl, -1, "%s: %s", dir, strerror(errno));
	for (i = 0; i < n && pl->status != FEED_STORE_FAILED; i++) {
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir,
				     names[i]->d_name) >= sizeof path)
			fail(pl, -1, "%s/%s: path too long", dir, names[i]->d_name);
		else if (stat(path, &st) < 0)
			fail(pl, -1, "%s: %s", path, strerror(errno));
		else if (S_ISREG(st.st_mode))
			poll_file(pl, path, &st);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return 0;
}

static int
poll_path(struct poll *pl)
{
	struct stat st;

	if (stat(pl->feed->url, &st) < 0)
		return fail(pl, -1, "%s: %s", pl->feed->url, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return poll_dir(pl, pl->feed->url);
	return poll_file(pl, pl->feed->url, &st);
}

static int
is_remote(const char *url)
{
	return strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0;
}

/*
 * Fetches an http(s) item conditionally. On FETCH_OK the body is in r. A
 * permanent failure (a 404, an oversized document) is quarantined under
 * the item, so it is not fetched again until it changes; a temporary one
 * fails the poll, to be retried after a backoff.
 */
static int
fetch_item(struct poll *pl, const char *url, const char *item,
	   const char *post_body, struct fetch_response *r)
{
	struct fetch_request req = {
		.url = url,
		.post_body = post_body,
		.content_type = post_body ? "application/json" : NULL,
		.accept = post_body ? "application/json" :
			  "application/xml, text/xml, application/atom+xml, "
			  "application/rss+xml;q=0.9, */*;q=0.5",
	};
	char *etag = NULL, *lm = NULL, err[1024];
	int found, res;

	if (item && !post_body &&
	    item_validators(pl, item, &etag, &lm, &found) < 0)
		return -1;
	req.etag = etag;
	req.last_modified = lm;
	res = fetch_http(&req, &pl->p->fetch, r, err, sizeof err);
	free(etag);
	free(lm);
	switch (res) {
	case FETCH_OK:
	case FETCH_NOT_MODIFIED:
		return res;
	case FETCH_PERMFAIL:
		if (item && !post_body) {
			if (add_document(pl, url, item, NULL, NULL, err, &r->body) < 0)
				return -1;
			return FETCH_PERMFAIL;
		}
		break;
	}
	fail(pl, r->retry_after, "%s", err);
	return -1;
}

/* One eForms document at a URL. */
static int
poll_eforms_url(struct poll *pl)
{
	struct fetch_response r;
	int res;

	fetch_response_init(&r, pl->p->fetch.max_bytes);
	res = fetch_item(pl, pl->feed->url, pl->feed->url, NULL, &r);
	if (res == FETCH_OK)
		add_document(pl, pl->feed->url, pl->feed->url, r.etag,
			     r.last_modified, NULL, &r.body);
	fetch_response_release(&r);
	return 0;
}

/* A notice that is only a public link: an entry that does not link XML. */
static struct notice *
link_notice(const struct syndication_entry *e, time_t now)
{
	struct notice *n = notice_new();
	time_t when = e->has_published ? e->published : now;
	char day[16];
	struct tm tm;
	struct lot *l;

	if (!n)
		return NULL;
	gmtime_r(&when, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	n->kind = NOTICE_OTHER;
	if (set_str(&n->id, e->id) < 0 || set_str(&n->version, "01") < 0 ||
	    set_str(&n->procedure_id, e->id) < 0 ||
	    set_str(&n->subtype, "link") < 0 ||
	    set_str(&n->title, e->title ? e->title : e->link) < 0 ||
	    set_str(&n->published, day) < 0 || set_str(&n->url, e->link) < 0 ||
	    set_str(&n->description, e->summary) < 0 ||
	    !(l = notice_add_lot(n)) || set_str(&l->id, "LOT-0000") < 0) {
		notice_free(n);
		return NULL;
	}
	return n;
}

static int
poll_entry(struct poll *pl, const struct syndication_entry *e)
{
	struct ingest_doc doc = { 0 };
	struct fetch_response r;
	char *etag = NULL, *lm = NULL;
	int found, rc = 0;

	if (item_validators(pl, e->id, &etag, &lm, &found) < 0)
		return -1;
	free(etag);
	free(lm);
	/* An entry is handled once; a changed notice comes as a new entry. */
	if (found)
		return 0;
	if (!syndication_entry_links_xml(e)) {
		if (!(doc.notice = link_notice(e, pl->p->ingest->now)) ||
		    set_str(&doc.source, e->link) < 0 || set_str(&doc.item, e->id) < 0) {
			ingest_doc_release(&doc);
			pl->status = FEED_STORE_FAILED;
			return error("out of memory");
		}
		return add(pl, &doc);
	}
	fetch_response_init(&r, pl->p->fetch.max_bytes);
	if (fetch_item(pl, e->link, e->id, NULL, &r) == FETCH_OK)
		rc = add_document(pl, e->link, e->id, NULL, NULL, NULL, &r.body);
	fetch_response_release(&r);
	return rc;
}

static int
poll_syndication(struct poll *pl)
{
	struct syndication_feed *sf = NULL;
	struct fetch_response r;
	char err[512];
	size_t i;

	fetch_response_init(&r, pl->p->fetch.max_bytes);
	if (is_remote(pl->feed->url)) {
		if (fetch_item(pl, pl->feed->url, pl->feed->url, NULL, &r) != FETCH_OK)
			goto out;
	} else if (fetch_file(pl->feed->url, &pl->p->fetch, &r.body, err,
			      sizeof err) < 0) {
		fail(pl, -1, "%s: %s", pl->feed->url, err);
		goto out;
	}
	if (syndication_parse(pl->p->syndication, buf_str(&r.body), r.body.len,
			      is_remote(pl->feed->url) ? pl->feed->url : NULL,
			      &sf, err, sizeof err) < 0) {
		fail(pl, -1, "%s: %s", pl->feed->url, err);
		add_document(pl, pl->feed->url, NULL, NULL, NULL, err, &r.body);
		goto out;
	}
	for (i = 0; i < sf->nentries && pl->status != FEED_STORE_FAILED; i++)
		poll_entry(pl, &sf->entries[i]);
	/* The feed's own validators go last: only a feed read through is
	 * skipped next time. */
	if (pl->status == FEED_OK && is_remote(pl->feed->url))
		add_document(pl, pl->feed->url, pl->feed->url, r.etag,
			     r.last_modified, NULL, NULL);
out:
	syndication_feed_free(sf);
	fetch_response_release(&r);
	return 0;
}

static int
poll_ted(struct poll *pl)
{
	struct ted_page page = { 0 };
	struct fetch_response r, doc;
	struct buf body, url;
	char *token = NULL, err[512];
	long pages;
	size_t i;
	int found;

	fetch_response_init(&r, pl->p->fetch.max_bytes);
	fetch_response_init(&doc, pl->p->fetch.max_bytes);
	buf_init(&body, 64 * 1024);
	buf_init(&url, 4096);
	if (buf_printf(&url, "%s%s", pl->feed->url, TED_SEARCH_PATH) < 0)
		goto out;
	for (pages = 0; pages < pl->feed->max_pages; pages++) {
		if (ted_search_body(pl->feed, token, &body) < 0 ||
		    fetch_item(pl, buf_str(&url), NULL, buf_str(&body), &r) != FETCH_OK)
			break;
		ted_page_release(&page);
		if (ted_parse_search(pl->feed, buf_str(&r.body), r.body.len, &page,
				     err, sizeof err) < 0) {
			fail(pl, -1, "%s: %s", buf_str(&url), err);
			add_document(pl, buf_str(&url), NULL, NULL, NULL, err, &r.body);
			break;
		}
		for (i = 0; i < page.n && pl->status != FEED_STORE_FAILED; i++) {
			char *etag = NULL, *lm = NULL;

			if (item_validators(pl, page.ids[i], &etag, &lm, &found) < 0)
				break;
			free(etag);
			free(lm);
			/* A published notice never changes: a change is a new one. */
			if (found)
				continue;
			if (fetch_item(pl, page.xml_urls[i], page.ids[i], NULL, &doc) == FETCH_OK)
				add_document(pl, page.xml_urls[i], page.ids[i], NULL,
					     NULL, NULL, &doc.body);
		}
		free(token);
		token = page.next_token ? strdup(page.next_token) : NULL;
		if (!token || page.n == 0 || pl->status == FEED_STORE_FAILED)
			break;
	}
out:
	free(token);
	ted_page_release(&page);
	fetch_response_release(&r);
	fetch_response_release(&doc);
	buf_release(&body);
	buf_release(&url);
	return 0;
}

/*
 * The ECB's euro reference rates: the newest day's replace those stored,
 * as a whole, so a day's rates are never mixed with another's.
 */
static int
poll_rates(struct poll *pl)
{
	struct money_rates *rates = NULL;
	struct fetch_response r;
	const char *url = pl->feed->url;
	char err[512];
	int stored;

	fetch_response_init(&r, MONEY_RATES_MAX_INPUT);
	if (is_remote(url)) {
		if (fetch_item(pl, url, NULL, NULL, &r) != FETCH_OK)
			goto out;
	} else if (fetch_file(url, &pl->p->fetch, &r.body, err, sizeof err) < 0) {
		fail(pl, -1, "%s: %s", url, err);
		goto out;
	}
	if (money_rates_parse_ecb(buf_str(&r.body), r.body.len, &rates, err,
				  sizeof err) < 0) {
		fail(pl, -1, "%s: %s", url, err);
		goto out;
	}
	if (store_put_rates(pl->p->store, rates, pl->feed->name,
			    pl->p->ingest->now, &stored) < 0) {
		pl->status = FEED_STORE_FAILED;
		snprintf(pl->err, pl->errlen, "the store failed");
		goto out;
	}
	if (stored)
		log_info("feed %s: euro reference rates of %s", pl->feed->name,
			 money_rates_day(rates));
out:
	money_rates_free(rates);
	fetch_response_release(&r);
	return 0;
}

int
feed_poll(struct feed_poller *p, const struct feed_config *feed,
	  long *retry_after, char *err, size_t errlen)
{
	struct poll pl = {
		.p = p, .feed = feed, .status = FEED_OK, .retry_after = -1,
		.err = err, .errlen = errlen,
	};

	err[0] = '\0';
	p->ingest->feed = feed->name;
	switch (feed->kind) {
	case FEED_EFORMS:
		if (is_remote(feed->url))
			poll_eforms_url(&pl);
		else
			poll_path(&pl);
		break;
	case FEED_TED:
		poll_ted(&pl);
		break;
	case FEED_RSS:
	case FEED_ATOM:
		poll_syndication(&pl);
		break;
	case FEED_RATES:
		poll_rates(&pl);
		break;
	}
	if (pl.status != FEED_STORE_FAILED)
		flush(&pl);
	ingest_batch_release(&pl.batch);
	*retry_after = pl.retry_after;
	return pl.status;
}
