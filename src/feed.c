#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
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
	int stopped;			/* the server asked us to wait */
	struct timespec last_request;	/* for pacing; zero before the first */
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
	   struct fetch_response *r)
{
	struct fetch_request req = {
		.url = url,
		.accept = "application/xml, text/xml, application/atom+xml, "
			  "application/rss+xml;q=0.9, */*;q=0.5",
	};
	char *etag = NULL, *lm = NULL, err[1024];
	int found, res;

	if (item_validators(pl, item, &etag, &lm, &found) < 0)
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
		if (add_document(pl, url, item, NULL, NULL, err, &r->body) < 0)
			return -1;
		return FETCH_PERMFAIL;
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
	res = fetch_item(pl, pl->feed->url, pl->feed->url, &r);
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
	/* an opportunity unless the feed's `entries` says otherwise
	 * (link_settings), matched by its words (README, Keyword profiles) */
	n->kind = NOTICE_COMPETITION;
	if (set_str(&n->id, e->id) < 0 || set_str(&n->version, "01") < 0 ||
	    set_str(&n->procedure_id, e->id) < 0 ||
	    set_str(&n->subtype, NOTICE_SUBTYPE_LINK) < 0 ||
	    set_str(&n->title, e->title ? e->title : e->link) < 0 ||
	    set_str(&n->published, day) < 0 || set_str(&n->url, e->link) < 0 ||
	    set_str(&n->description, e->summary) < 0 ||
	    !(l = notice_add_lot(n)) || set_str(&l->id, "LOT-0000") < 0) {
		notice_free(n);
		return NULL;
	}
	return n;
}

/*
 * What the feed says of its link-only entries: what they are, where they
 * are performed, whose they are and in which language.
 */
static int
link_settings(struct notice *n, const struct feed_config *f)
{
	static const enum notice_kind kinds[] = {
		[ENTRIES_TENDER] = NOTICE_COMPETITION,
		[ENTRIES_PLANNED] = NOTICE_PLANNING,
		[ENTRIES_RFI] = NOTICE_RFI,
	};
	struct lot *l = &n->lots[0];
	char **r;

	n->kind = kinds[f->entries];
	for (r = f->region; r && *r; r++)
		if (strvec_push(&l->nuts, &l->nnuts, *r) < 0 ||
		    strvec_push(&n->nuts, &n->nnuts, *r) < 0)
			return -1;
	return set_str(&n->buyer, f->buyer) < 0 ||
	       set_str(&n->language,
		       f->language == FEED_EN ? "ENG" : "SWE") < 0 ? -1 : 0;
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
		    link_settings(doc.notice, pl->feed) < 0 ||
		    set_str(&doc.source, e->link) < 0 || set_str(&doc.item, e->id) < 0) {
			ingest_doc_release(&doc);
			pl->status = FEED_STORE_FAILED;
			return error("out of memory");
		}
		return add(pl, &doc);
	}
	fetch_response_init(&r, pl->p->fetch.max_bytes);
	if (fetch_item(pl, e->link, e->id, &r) == FETCH_OK)
		rc = add_document(pl, e->link, e->id, NULL, NULL, NULL, &r.body);
	fetch_response_release(&r);
	return rc;
}

/*
 * The feed's own document, from its URL (conditionally, under item, when
 * item is not NULL) or its file, into r; -1 when there is nothing new to
 * read or it failed, the failure recorded.
 */
static int
read_feed_document(struct poll *pl, const char *item, struct fetch_response *r)
{
	const char *url = pl->feed->url;
	char err[512];

	if (is_remote(url))
		return fetch_item(pl, url, item, r) == FETCH_OK ? 0 : -1;
	if (fetch_file(url, &pl->p->fetch, &r->body, err, sizeof err) < 0)
		return fail(pl, -1, "%s: %s", url, err);
	return 0;
}

static int
poll_syndication(struct poll *pl)
{
	struct syndication_feed *sf = NULL;
	struct fetch_response r;
	char err[512];
	size_t i;

	fetch_response_init(&r, pl->p->fetch.max_bytes);
	if (read_feed_document(pl, pl->feed->url, &r) < 0)
		goto out;
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

/*
 * A notice whose XML could not be fetched (a 403 or 404 while TED is
 * publishing it, a 5xx, a timeout) is tried again with a backoff that
 * doubles up to PENDING_MAX_DELAY, and given up, quarantined with the
 * reason, only once it has waited PENDING_GIVE_UP.
 */
#define PENDING_MAX_DELAY (6 * 3600)
#define PENDING_GIVE_UP (3 * 86400)

/*
 * Spaces requests to TED at most rate a second. Only the daemon's pass
 * polls, so it is the pass that waits.
 */
static void
pace(struct poll *pl)
{
	long gap = pl->feed->rate > 0 ? 1000000000L / pl->feed->rate : 0;
	struct timespec now, wait;
	long long passed;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (pl->last_request.tv_sec || pl->last_request.tv_nsec) {
		passed = (long long)(now.tv_sec - pl->last_request.tv_sec) *
			 1000000000LL + (now.tv_nsec - pl->last_request.tv_nsec);
		if (passed >= 0 && passed < gap) {
			wait.tv_sec = (time_t)((gap - passed) / 1000000000LL);
			wait.tv_nsec = (long)((gap - passed) % 1000000000LL);
			while (nanosleep(&wait, &wait) < 0 && errno == EINTR)
				;
			clock_gettime(CLOCK_MONOTONIC, &now);
		}
	}
	pl->last_request = now;
}

/* A 429: nothing more is asked of TED until its Retry-After has passed. */
static void
rate_limited(struct poll *pl, const struct fetch_response *r, const char *what)
{
	pl->stopped = 1;
	if (r->retry_after >= 0)
		fail(pl, r->retry_after, "TED asks to wait %ld s (HTTP 429 on %s)",
		     r->retry_after, what);
	else
		fail(pl, -1, "TED asks to wait (HTTP 429 on %s)", what);
}

/* Remembers a notice to fetch again, or gives it up once it waited long. */
static int
pending(struct poll *pl, const char *id, const char *url, int attempts,
	time_t first_failed, long retry_after, const char *err)
{
	time_t now = pl->p->ingest->now;
	char reason[1200], since[32];
	struct tm tm;

	if (attempts && now - first_failed >= PENDING_GIVE_UP) {
		gmtime_r(&first_failed, &tm);
		strftime(since, sizeof since, "%Y-%m-%d %H:%M UTC", &tm);
		snprintf(reason, sizeof reason, "given up after %d attempts "
			 "since %s: %s", attempts + 1, since, err);
		return add_document(pl, url, id, NULL, NULL, reason, NULL);
	}
	log_warnx("feed %s: %s: %s; trying again later", pl->feed->name, id, err);
	if (store_pending_put(pl->p->store, pl->feed->name, id, url, err, now,
			      now + fetch_backoff(attempts + 1, retry_after,
						  PENDING_MAX_DELAY)) < 0) {
		pl->status = FEED_STORE_FAILED;
		return -1;
	}
	return 0;
}

/*
 * Fetches one notice's XML. Only a document that arrived and is not a
 * notice is quarantined (by ingest); what may pass waits as pending.
 */
static int
fetch_notice(struct poll *pl, const char *id, const char *url, int attempts,
	     time_t first_failed, struct fetch_response *doc)
{
	const struct fetch_request req = {
		.url = url, .accept = "application/xml, text/xml;q=0.9, */*;q=0.5",
	};
	char err[1024];
	int res;

	pace(pl);
	res = fetch_http(&req, &pl->p->fetch, doc, err, sizeof err);
	if (res == FETCH_OK)
		return add_document(pl, url, id, NULL, NULL, NULL, &doc->body);
	if (doc->status == 429)
		rate_limited(pl, doc, id);
	if (res == FETCH_TEMPFAIL || doc->status == 403 || doc->status == 404 ||
	    doc->status == 410)
		return pending(pl, id, url, attempts, first_failed,
			       doc->retry_after, err);
	return add_document(pl, url, id, NULL, NULL, err, NULL);
}

/* The notices that wait and are due, before the search brings more. */
static int
retry_pending(struct poll *pl, struct fetch_response *doc)
{
	struct pending_item *due = NULL;
	size_t i, n = 0;

	if (store_pending_due(pl->p->store, pl->feed->name, pl->p->ingest->now,
			      (size_t)pl->feed->page_size, &due, &n) < 0) {
		pl->status = FEED_STORE_FAILED;
		return -1;
	}
	for (i = 0; i < n && !pl->stopped && pl->status != FEED_STORE_FAILED; i++)
		fetch_notice(pl, due[i].item, due[i].url, due[i].attempts,
			     due[i].first_failed, doc);
	pending_items_free(due, n);
	return 0;
}

/* YYYYMMDD of t, or of day shifted by delta days. */
static void
day_string(time_t t, char out[9])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 9, "%Y%m%d", &tm);
}

static void
day_shift(const char *day, int delta, char out[9])
{
	struct tm tm = { 0 };

	sscanf(day, "%4d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday += delta;
	tm.tm_hour = 12;
	day_string(timegm(&tm), out);
}

/* A notice of the search: skipped when stored or waiting, else fetched. */
static int
search_notice(struct poll *pl, const char *id, const char *url,
	      struct fetch_response *doc)
{
	char *etag = NULL, *lm = NULL;
	int found, waiting;

	if (item_validators(pl, id, &etag, &lm, &found) < 0)
		return -1;
	free(etag);
	free(lm);
	/* A published notice never changes: a change is a new one. */
	if (found)
		return 0;
	if (store_pending_has(pl->p->store, pl->feed->name, id, &waiting) < 0) {
		pl->status = FEED_STORE_FAILED;
		return -1;
	}
	return waiting ? 0 : fetch_notice(pl, id, url, 0, 0, doc);
}

/* What TED answered when the search failed, in the poll's error. */
static void
search_failed(struct poll *pl, const char *url, const struct fetch_response *r,
	      const char *err)
{
	char why[512];

	if (r->status == 429) {
		rate_limited(pl, r, url);
	} else if (r->status == 400) {
		ted_error_message(buf_str(&r->body), r->body.len,
				  why, sizeof why);
		fail(pl, -1, "TED refused the query: %s (HTTP 400)",
		     why[0] ? why : "no reason given");
	} else {
		fail(pl, r->retry_after, "%s", err);
	}
}

/*
 * One walk of the window, newest first: every page's notices are
 * handled (stored, skipped or left pending) before the next is asked
 * for. *oldest and *newest get the dates handled; returns 1 when the
 * window was read through, 0 when the walk stopped short (max_pages, a
 * failure, a 429), -1 when the store failed.
 */
static int
walk(struct poll *pl, struct feed_window *w, const char *url,
     char oldest[9], char newest[9])
{
	struct ted_page page = { 0 };
	struct fetch_response r, doc;
	struct fetch_request req = {
		.url = url, .content_type = "application/json",
		.accept = "application/json",
	};
	char *token = NULL, err[1024];
	struct buf body;
	int restarted = 0, through = 0;
	long pages;
	size_t i;

	fetch_response_init(&r, pl->p->fetch.max_bytes);
	fetch_response_init(&doc, pl->p->fetch.max_bytes);
	buf_init(&body, 64 * 1024);
	for (pages = 0; pages < pl->feed->max_pages && !pl->stopped; pages++) {
		if (ted_search_body(pl->feed, w->lo, w->hi, token, &body) < 0) {
			fail(pl, -1, "out of memory");
			break;
		}
		req.post_body = buf_str(&body);
		pace(pl);
		if (fetch_http(&req, &pl->p->fetch, &r, err, sizeof err) != FETCH_OK) {
			/*
			 * A token lives until TED's next edition: the same
			 * window goes on below the oldest date handled.
			 */
			if (token && r.status == 400 && !restarted && oldest[0]) {
				log_warnx("feed %s: TED no longer knows the page "
					  "token; going on from %s", pl->feed->name,
					  oldest);
				memcpy(w->hi, oldest, 9);
				free(token);
				token = NULL;
				restarted = 1;
				continue;
			}
			search_failed(pl, url, &r, err);
			break;
		}
		ted_page_release(&page);
		if (ted_parse_search(pl->feed, buf_str(&r.body), r.body.len, &page,
				     err, sizeof err) < 0) {
			fail(pl, -1, "%s: %s", url, err);
			add_document(pl, url, NULL, NULL, NULL, err, &r.body);
			break;
		}
		for (i = 0; i < page.n && !pl->stopped &&
			    pl->status != FEED_STORE_FAILED; i++) {
			if (search_notice(pl, page.ids[i], page.xml_urls[i], &doc) < 0 &&
			    pl->status == FEED_STORE_FAILED)
				break;
			if (!page.dates[i][0])
				continue;
			if (!oldest[0] || strcmp(page.dates[i], oldest) < 0)
				memcpy(oldest, page.dates[i], 9);
			if (strcmp(page.dates[i], newest) > 0)
				memcpy(newest, page.dates[i], 9);
		}
		if (i < page.n)
			break;
		free(token);
		token = page.next_token ? strdup(page.next_token) : NULL;
		if (!page.next_token || page.n == 0) {
			through = 1;
			break;
		}
		if (!token) {
			fail(pl, -1, "out of memory");
			break;
		}
	}
	free(token);
	ted_page_release(&page);
	fetch_response_release(&r);
	fetch_response_release(&doc);
	buf_release(&body);
	return pl->status == FEED_STORE_FAILED ? -1 : through;
}

/*
 * The TED search API, polled from a high-water mark: each poll reads
 * the window of publication dates from lo (the newest date read through
 * less a day, for notices published late that day; first_days back on
 * the very first poll) up to hi, newest first. A walk cut short (by
 * max_pages, a failure or a 429) narrows the window to below what it
 * handled, so the next poll reads the gap; only a window read through
 * moves lo up.
 */
static int
poll_ted(struct poll *pl)
{
	struct fetch_response doc;
	struct feed_window w;
	char oldest[9] = "", today[9], old_hi[9];
	struct buf url;
	int through;

	fetch_response_init(&doc, pl->p->fetch.max_bytes);
	buf_init(&url, 4096);
	if (store_feed_window_get(pl->p->store, pl->feed->name, &w) < 0) {
		pl->status = FEED_STORE_FAILED;
		goto out;
	}
	day_string(pl->p->ingest->now, today);
	if (!w.lo[0])
		day_shift(today, -(int)pl->feed->first_days, w.lo);
	memcpy(old_hi, w.hi, 9);
	if (retry_pending(pl, &doc) < 0 || pl->stopped)
		goto out;
	if (buf_printf(&url, "%s%s", pl->feed->url, TED_SEARCH_PATH) < 0) {
		fail(pl, -1, "out of memory");
		goto out;
	}
	if ((through = walk(pl, &w, buf_str(&url), oldest, w.top)) < 0)
		goto out;
	if (!through && oldest[0] && strcmp(oldest, old_hi) == 0 && !pl->stopped &&
	    pl->status == FEED_OK) {
		/* max_pages of one day alone: the rest of it cannot be reached */
		log_warnx("feed %s: more notices of %s than %ld pages hold; "
			  "some of that day are skipped: raise max_pages",
			  pl->feed->name, oldest, pl->feed->max_pages);
		day_shift(oldest, -1, oldest);
	}
	if (!through && oldest[0]) {
		memcpy(w.hi, oldest, 9);
		through = strcmp(w.hi, w.lo) < 0;
	}
	if (through) {
		day_shift(w.top[0] ? w.top : today, -1, w.hi);
		if (strcmp(w.hi, w.lo) > 0)
			memcpy(w.lo, w.hi, 9);
		w.hi[0] = '\0';
	}
	/* the notices handled are stored before the window passes them */
	if (flush(pl) == 0 &&
	    store_feed_window_put(pl->p->store, pl->feed->name, &w) < 0)
		pl->status = FEED_STORE_FAILED;
out:
	fetch_response_release(&doc);
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
	if (read_feed_document(pl, NULL, &r) < 0)
		goto out;
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
