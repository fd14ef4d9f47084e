#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "civil.h"
#include "ingest.h"
#include "log.h"
#include "match.h"
#include "rfi.h"
#include "split.h"

void
ingest_doc_release(struct ingest_doc *d)
{
	free(d->source);
	free(d->item);
	free(d->etag);
	free(d->last_modified);
	free(d->reason);
	notice_free(d->notice);
	free(d->data);
	memset(d, 0, sizeof *d);
}

static void pool_add(struct ingest_batch *b);
static void pool_free(struct parse_pool *pool);

int
ingest_batch_add(struct ingest_batch *b, struct ingest_doc *doc)
{
	struct ingest_doc *v = realloc(b->docs, (b->n + 1) * sizeof *v);

	if (!v) {
		ingest_doc_release(doc);
		return error("out of memory");
	}
	b->docs = v;
	b->docs[b->n++] = *doc;
	b->bytes += doc->len;
	memset(doc, 0, sizeof *doc);
	pool_add(b);
	return 0;
}

int
ingest_batch_full(const struct ingest_batch *b)
{
	return b->n >= INGEST_BATCH_DOCS || b->bytes >= INGEST_BATCH_BYTES;
}

void
ingest_batch_release(struct ingest_batch *b)
{
	size_t i;

	pool_free(b->pool);
	for (i = 0; i < b->n; i++)
		ingest_doc_release(&b->docs[i]);
	free(b->docs);
	memset(b, 0, sizeof *b);
}

/* A firm's best match among a lot's category parts. */
struct hit {
	size_t firm;
	int score;
	size_t part;
};

static int
hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->firm != y->firm)
		return x->firm < y->firm ? -1 : 1;
	return y->score - x->score;
}

/* A lot with no part (no CPV code, no category's words) is matched as
 * one part outside every category, by the firms' keywords. */
static const struct category_lot whole_lot;

/* Every firm that a category part of the lot matches, best part first. */
static int
collect_hits(struct ingest *in, enum notice_kind kind, const struct lot *l,
	     const struct stem_text *text, const struct category_lot *parts,
	     size_t nparts, struct hit **hits, size_t *nhits)
{
	struct match_result *res = NULL;
	size_t cap = 0, p, k, n = 0;
	struct hit *v = NULL, *nv;
	long found;

	if (!nparts) {
		parts = &whole_lot;
		nparts = 1;
	}
	for (p = 0; p < nparts; p++) {
		struct match_target t = { .kind = kind, .lot = l, .part = &parts[p],
					  .text = text };

		if ((found = match_find(in->index, &t, &res, &cap)) < 0)
			goto nomem;
		if (found && !(nv = realloc(v, (n + (size_t)found) * sizeof *v)))
			goto nomem;
		if (found)
			v = nv;
		for (k = 0; k < (size_t)found; k++)
			v[n++] = (struct hit){ res[k].firm, res[k].score, p };
	}
	free(res);
	if (n)
		qsort(v, n, sizeof *v, hit_cmp);
	*hits = v;
	*nhits = n;
	return 0;
nomem:
	free(res);
	free(v);
	return error("out of memory");
}

/*
 * Records one match per firm and lot: the part that fits the firm best,
 * with its score and reason.
 */
static int
match_lot(struct ingest *in, struct ingest_counts *c, enum notice_kind kind,
	  const char *notice_id, int64_t lot_rowid, const struct lot *l,
	  const struct stem_text *text, const struct category_lot *parts,
	  size_t nparts, struct buf *reason)
{
	struct hit *hits = NULL;
	size_t k, nhits = 0;
	int created, rc = -1;

	if (collect_hits(in, kind, l, text, parts, nparts, &hits, &nhits) < 0)
		return -1;
	for (k = 0; k < nhits; k++) {
		const struct hit *h = &hits[k];
		const struct category_lot *part = nparts ? &parts[h->part] :
						  &whole_lot;
		const struct firm *f = in->firms->v[h->firm];
		struct match_target t = { .kind = kind, .lot = l, .part = part,
					  .text = text };

		if (k && hits[k - 1].firm == h->firm)
			continue;
		if (match_reason(f, &t, match_index_options(in->index),
				 reason) < 0 ||
		    store_put_match(in->store, f->id, lot_rowid, notice_id, l->id,
				    notice_kind_name(kind), buf_str(reason),
				    h->score,
				    part->category ? part->category->key : NULL,
				    in->now, &created) < 0)
			goto out;
		c->matches += (unsigned)created;
	}
	rc = 0;
out:
	free(hits);
	return rc;
}

/* The stemmer of the pass: the firm index's. */
static struct stemmer *
stemmer_of(const struct ingest *in)
{
	return in->index ? match_index_options(in->index)->stemmer : NULL;
}

/* The lot's words, as the matcher and the split read them; none
 * without a stemmer. */
static int
lot_text(struct ingest *in, const struct notice *n, const struct lot *l,
	 struct stem_text *t)
{
	stem_text_release(t);
	if (stemmer_of(in) && match_text(stemmer_of(in), n, l, t) < 0)
		return error("out of memory");
	return 0;
}

int
ingest_link_open(const char *published, time_t now)
{
	int y, m, d;

	if (!published || sscanf(published, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    !civil_date_valid(y, m, d))
		return 0;
	return (civil_days(y, m, d) + LINK_OPEN_DAYS) * 86400LL >= (long long)now;
}

/* Splits each lot into its category parts, stores and matches them. */
static int
split_and_match(struct ingest *in, struct ingest_counts *c,
		const struct notice *n, const int64_t *lot_rowids,
		struct buf *reason)
{
	int alerts = match_kind_alerts(n->kind) && n->url && !in->store_only;
	int copy = 0;

	if (alerts && rfi_recognise(in->store, n, in->own_buyers, in->now,
				    &copy) < 0)
		return -1;
	alerts = alerts && !copy;
	/* a link-only notice names no deadline: it is news for a while */
	if (n->subtype && strcmp(n->subtype, NOTICE_SUBTYPE_LINK) == 0 &&
	    !ingest_link_open(n->published, in->now))
		alerts = 0;
	/*
	 * Published on a staff page: matched by the next pass. Withdrawn or
	 * dropped (store_only) before that pass: matched by no one.
	 */
	if ((alerts && in->match_later) || in->store_only) {
		if (store_match_later(in->store, n->id, !in->store_only) < 0)
			return -1;
		alerts = 0;
	}
	struct lot_split sp = { 0 };
	struct stem_text text = { 0 };
	size_t i;
	int rc = -1;

	for (i = 0; i < n->nlots; i++) {
		const struct lot *l = &n->lots[i];

		lot_split_release(&sp);
		if (lot_text(in, n, l, &text) < 0)
			goto out;
		if (split_lot(in->categories, l, &text, &sp) < 0) {
			error("out of memory");
			goto out;
		}
		if (store_put_category_lots(in->store, lot_rowids[i], &sp) < 0)
			goto out;
		/* A lot whose deadline has passed is no longer an opportunity. */
		if (!alerts || (l->has_deadline && l->deadline < in->now))
			continue;
		if (match_lot(in, c, n->kind, n->id, lot_rowids[i], l, &text,
			      sp.parts, sp.nparts, reason) < 0)
			goto out;
	}
	rc = 0;
out:
	lot_split_release(&sp);
	stem_text_release(&text);
	return rc;
}

/* The firms matched, by index into in->firms; marks[i] 1 for each. */
static int
mark_hits(struct ingest *in, const struct notice *n, const struct lot *l,
	  const struct stem_text *text, const struct lot_split *sp,
	  unsigned char *marks)
{
	struct hit *hits = NULL;
	size_t k, nhits = 0;

	if (collect_hits(in, n->kind, l, text, sp->parts, sp->nparts, &hits,
			 &nhits) < 0)
		return -1;
	for (k = 0; k < nhits; k++)
		marks[hits[k].firm] = 1;
	free(hits);
	return 0;
}

int
ingest_preview(struct ingest *in, const struct notice *n,
	       struct ingest_preview *out)
{
	struct lot_split sp = { 0 };
	struct stem_text text = { 0 };
	unsigned char *marks;
	size_t i, p;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (!(marks = calloc(in->firms->n + 1, 1)))
		return error("out of memory");
	for (i = 0; i < n->nlots; i++) {
		lot_split_release(&sp);
		if (lot_text(in, n, &n->lots[i], &text) < 0)
			goto out;
		if (split_lot(in->categories, &n->lots[i], &text, &sp) < 0) {
			error("out of memory");
			goto out;
		}
		for (p = 0; p < sp.nparts; p++) {
			const struct category *c = sp.parts[p].category;

			if (c && !strvec_has(out->categories, out->ncategories,
					     c->key) &&
			    strvec_push(&out->categories, &out->ncategories,
					c->key) < 0) {
				error("out of memory");
				goto out;
			}
		}
		if (mark_hits(in, n, &n->lots[i], &text, &sp, marks) < 0)
			goto out;
	}
	for (i = 0; i < in->firms->n; i++)
		out->firms += marks[i];
	rc = 0;
out:
	if (rc < 0)
		ingest_preview_release(out);
	stem_text_release(&text);
	lot_split_release(&sp);
	free(marks);
	return rc;
}

void
ingest_preview_release(struct ingest_preview *p)
{
	strvec_free(p->categories, p->ncategories);
	memset(p, 0, sizeof *p);
}

/* The lots of a stored notice that are still open, as they were split. */
static int
backfill_notice(struct ingest *in, const struct stored_notice *n,
		struct buf *reason)
{
	struct stem_text text = { 0 };
	enum notice_kind kind;
	struct rebuilt_lot r;
	size_t i;
	int rc = 0;

	if (notice_kind_parse(n->kind, &kind) < 0)
		return 0;
	if (n->subtype && strcmp(n->subtype, NOTICE_SUBTYPE_LINK) == 0 &&
	    !ingest_link_open(n->published, in->now))
		return 0;
	for (i = 0; i < n->nlots && rc == 0; i++) {
		const struct stored_lot *sl = &n->lots[i];

		if (sl->has_deadline && sl->deadline < in->now)
			continue;
		stem_text_release(&text);
		if (rebuilt_lot_from(in->categories, sl, &r) < 0 ||
		    (stemmer_of(in) &&
		     match_text_of(stemmer_of(in), n->language, n->nlots == 1,
				   r.lot.ncpv > 0, n->title, n->description,
				   sl->title, sl->description, &text) < 0)) {
			rebuilt_lot_release(&r);
			rc = error("out of memory");
			break;
		}
		rc = match_lot(in, &in->counts, kind, n->notice_id, sl->rowid,
			       &r.lot, &text, r.parts, r.nparts, reason);
		rebuilt_lot_release(&r);
	}
	stem_text_release(&text);
	return rc;
}

/* One page of notices in one transaction, so web writes wait little. */
#define BACKFILL_PAGE 200
#define YEAR (365 * 24 * 3600L)

/* Matches the stored notices ids[0..n) (those still there) against in's
 * firms, within the caller's transaction. */
static int
match_stored(struct ingest *in, char *const *ids, size_t n, struct buf *reason)
{
	struct stored_notice *sn;
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		if (store_get_notice(in->store, ids[i], &sn) < 0)
			return -1;
		rc = sn ? backfill_notice(in, sn, reason) : 0;
		stored_notice_free(sn);
	}
	return rc;
}

int
ingest_backfill(struct ingest *in, const char *start_after, time_t started_at)
{
	struct ingest_counts saved = in->counts;
	char **ids = NULL, *after = NULL;
	size_t nids = 0;
	struct buf reason;
	int rc = -1;

	buf_init(&reason, 4096);
	if (!(after = strdup(start_after ? start_after : "")))
		goto nomem;
	for (;;) {
		if (store_open_notices(in->store, in->now, in->now - YEAR, after,
				       BACKFILL_PAGE, &ids, &nids) < 0)
			goto out;
		if (!nids)
			break;
		if (store_begin(in->store) < 0)
			goto out;
		if (match_stored(in, ids, nids, &reason) < 0 ||
		    store_backfill_progress(in->store, started_at,
					    ids[nids - 1]) < 0 ||
		    store_commit(in->store) < 0)
			goto rollback;
		saved = in->counts;
		free(after);
		after = ids[nids - 1];
		ids[nids - 1] = NULL;
		strvec_free(ids, nids);
		ids = NULL;
		nids = 0;
	}
	rc = 0;
	goto out;
nomem:
	error("out of memory");
	goto out;
rollback:
	store_rollback(in->store);
	in->counts = saved;
out:
	strvec_free(ids, nids);
	free(after);
	buf_release(&reason);
	return rc;
}

int
ingest_match_later(struct ingest *in)
{
	struct ingest_counts saved = in->counts;
	char **ids = NULL;
	size_t nids = 0, i;
	struct buf reason;
	int rc = -1;

	buf_init(&reason, 4096);
	for (;;) {
		if (store_matches_later(in->store, BACKFILL_PAGE, &ids,
					&nids) < 0)
			goto out;
		if (!nids)
			break;
		if (store_begin(in->store) < 0)
			goto out;
		if (match_stored(in, ids, nids, &reason) < 0)
			goto rollback;
		for (i = 0; i < nids; i++)
			if (store_match_later(in->store, ids[i], 0) < 0)
				goto rollback;
		if (store_commit(in->store) < 0)
			goto rollback;
		saved = in->counts;
		strvec_free(ids, nids);
		ids = NULL;
		nids = 0;
	}
	rc = 0;
	goto out;
rollback:
	store_rollback(in->store);
	in->counts = saved;
out:
	strvec_free(ids, nids);
	buf_release(&reason);
	return rc;
}

static int
refuse(struct ingest *in, struct ingest_counts *c, const struct ingest_doc *d,
       const char *why)
{
	log_warnx("%s: %s: rejected: %s", in->feed, d->source, why);
	c->notices_rejected++;
	return store_quarantine(in->store, in->feed, d->source, why, d->data,
				d->len, d->size ? d->size : (long long)d->len,
				in->now);
}

static int
store_notice(struct ingest *in, struct ingest_counts *c, const struct notice *n,
	     const char *source, struct buf *reason)
{
	enum store_put_result res;
	int64_t *lot_rowids;
	char where[4300];
	int rc = -1;

	if (!(lot_rowids = calloc(n->nlots ? n->nlots : 1, sizeof *lot_rowids)))
		return error("out of memory");
	snprintf(where, sizeof where, "%s:%s", in->feed, source);
	if (store_put_notice(in->store, n, where, in->now, &res, lot_rowids) < 0)
		goto out;
	switch (res) {
	case STORE_UNCHANGED:
		c->notices_unchanged++;
		rc = 0;
		goto out;
	case STORE_NEW:
		c->notices_new++;
		break;
	case STORE_CHANGED:
		c->notices_changed++;
		break;
	}
	c->lots += (unsigned)n->nlots;
	rc = split_and_match(in, c, n, lot_rowids, reason);
out:
	free(lot_rowids);
	return rc;
}

/* A document of the batch as a parse thread left it. */
struct parsed {
	struct notice *notice;	/* NULL: refused for err, or not parsed */
	int failed;
	int ready;		/* under the pool's lock */
	char err[512];
};

/*
 * A batch's eForms documents are parsed by threads of their own from the
 * moment they are added, while this thread reads the next ones, and then
 * stores and matches them in order: a day's ingest takes about the time
 * of its reading, storing and committing, the parsing done beside it on
 * the other core. Each thread takes the next document no one has taken;
 * this one, when the document it is to store next has not been taken,
 * parses it itself rather than wait, so no core idles while there is
 * parsing to do. Each thread has its own parser (compiled expressions,
 * and the memory its trees are built in); libxml2 keeps its error
 * handler per thread; nothing else is shared but what the lock guards.
 * A document the pool does not have (it could not start, or the batch
 * outgrew it) is parsed where it is stored.
 */
#ifndef PARSE_THREADS
#define PARSE_THREADS 2
#endif

struct parse_pool;

struct parse_worker {
	struct parse_pool *pool;
	struct eforms_parser *parser;
	pthread_t thread;
};

struct parse_pool {
	pthread_mutex_t lock;
	pthread_cond_t more;	/* a document was added, or stop */
	pthread_cond_t ready;	/* a document was parsed */
	const char *data[INGEST_BATCH_DOCS];	/* NULL: nothing to parse */
	size_t len[INGEST_BATCH_DOCS];
	struct parsed out[INGEST_BATCH_DOCS];
	size_t n;		/* documents added */
	size_t next;		/* the first one no one has taken */
	int stop;
	struct parse_worker w[PARSE_THREADS];
	size_t nthreads;
};

static int
needs_parse(const struct ingest_doc *d)
{
	/* link-only entries and refusals need no parser */
	return !d->reason && !d->notice && d->data;
}

static void
parse_one(struct eforms_parser *parser, const char *data, size_t len,
	  struct parsed *p)
{
	if (data)
		p->failed = eforms_parse(parser, data, len, &p->notice, p->err,
					 sizeof p->err) < 0;
}

static void *
parse_thread(void *arg)
{
	struct parse_worker *w = arg;
	struct parse_pool *pool = w->pool;
	size_t i;

	/* made here, not on the storing thread; none: it leaves the
	 * documents to the others */
	if (!(w->parser = eforms_parser_new()))
		return NULL;
	pthread_mutex_lock(&pool->lock);
	for (;;) {
		while (!pool->stop && pool->next >= pool->n)
			pthread_cond_wait(&pool->more, &pool->lock);
		if (pool->stop)
			break;
		i = pool->next++;
		pthread_mutex_unlock(&pool->lock);
		parse_one(w->parser, pool->data[i], pool->len[i],
			  &pool->out[i]);
		pthread_mutex_lock(&pool->lock);
		pool->out[i].ready = 1;
		pthread_cond_broadcast(&pool->ready);
	}
	pthread_mutex_unlock(&pool->lock);
	return NULL;
}

/* Stops the threads, once they finish the document in hand, and frees
 * what they parsed. */
static void
pool_free(struct parse_pool *pool)
{
	size_t t, i;

	if (!pool)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->stop = 1;
	pthread_cond_broadcast(&pool->more);
	pthread_mutex_unlock(&pool->lock);
	for (t = 0; t < pool->nthreads; t++) {
		pthread_join(pool->w[t].thread, NULL);
		eforms_parser_free(pool->w[t].parser);
	}
	for (i = 0; i < pool->n; i++)
		notice_free(pool->out[i].notice);
	pthread_mutex_destroy(&pool->lock);
	pthread_cond_destroy(&pool->more);
	pthread_cond_destroy(&pool->ready);
	free(pool);
}

/* A pool with its threads, each with a parser of its own; NULL if none
 * could start. */
static struct parse_pool *
pool_new(void)
{
	struct parse_pool *pool = calloc(1, sizeof *pool);
	struct parse_worker *w;

	if (!pool)
		return NULL;
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->more, NULL);
	pthread_cond_init(&pool->ready, NULL);
	while (pool->nthreads < PARSE_THREADS) {
		w = &pool->w[pool->nthreads];
		w->pool = pool;
		if (pthread_create(&w->thread, NULL, parse_thread, w) != 0)
			break;
		pool->nthreads++;
	}
	if (!pool->nthreads) {
		pool_free(pool);
		return NULL;
	}
	return pool;
}

/*
 * Hands the batch's last document to the pool, which starts with the
 * first that needs parsing; a batch the pool cannot take any more of
 * leaves the rest to ingest_flush.
 */
static void
pool_add(struct ingest_batch *b)
{
	struct parse_pool *pool = b->pool;
	const struct ingest_doc *d = &b->docs[b->n - 1];
	size_t i;

	if (!pool && !needs_parse(d))
		return;
	if (!pool && !(pool = b->pool = pool_new()))
		return;
	pthread_mutex_lock(&pool->lock);
	for (i = pool->n; i < b->n && i < INGEST_BATCH_DOCS; i++) {
		d = &b->docs[i];
		pool->data[i] = needs_parse(d) ? d->data : NULL;
		pool->len[i] = d->len;
	}
	pool->n = i;
	pthread_cond_signal(&pool->more);
	pthread_mutex_unlock(&pool->lock);
}

/* Document i parsed by a thread; NULL when it is to be parsed here: the
 * pool does not have it, or no thread has taken it. */
static struct parsed *
pool_take(struct parse_pool *pool, size_t i)
{
	struct parsed *p = NULL;

	if (!pool || i >= pool->n)
		return NULL;
	pthread_mutex_lock(&pool->lock);
	while (!pool->out[i].ready && pool->next != i)
		pthread_cond_wait(&pool->ready, &pool->lock);
	if (pool->out[i].ready)
		p = &pool->out[i];
	else
		pool->next++;
	pthread_mutex_unlock(&pool->lock);
	return p;
}

static int
ingest_doc(struct ingest *in, struct ingest_counts *c, const struct ingest_doc *d,
	   struct parsed *p, struct buf *reason)
{
	if (d->reason)
		return refuse(in, c, d, d->reason);
	if (d->notice)
		return store_notice(in, c, d->notice, d->source, reason);
	if (p->failed)
		return refuse(in, c, d, p->err);
	if (!p->notice)
		return 0;
	return store_notice(in, c, p->notice, d->source, reason);
}

int
ingest_flush(struct ingest *in, struct ingest_batch *b)
{
	struct ingest_counts c = in->counts;
	struct parsed here, *p;
	struct buf reason;
	size_t i;
	int rc = -1, bad;

	if (b->n == 0)
		return 0;
	buf_init(&reason, 4096);
	if (store_begin(in->store) < 0)
		goto out;
	for (i = 0; i < b->n; i++) {
		const struct ingest_doc *d = &b->docs[i];

		memset(&here, 0, sizeof here);
		if (!(p = pool_take(b->pool, i))) {
			p = &here;
			if (needs_parse(d))
				parse_one(in->parser, d->data, d->len, p);
		}
		bad = ingest_doc(in, &c, d, p, &reason) < 0;
		notice_free(here.notice);
		if (bad || (d->item && store_feed_item_put(in->store, in->feed,
							   d->item, d->etag,
							   d->last_modified,
							   in->now) < 0))
			goto rollback;
	}
	if (store_commit(in->store) < 0)
		goto rollback;
	in->counts = c;
	rc = 0;
	goto out;
rollback:
	store_rollback(in->store);
out:
	buf_release(&reason);
	ingest_batch_release(b);
	return rc;
}
