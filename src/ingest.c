#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ingest.h"
#include "log.h"
#include "match.h"
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

/* Every firm that a category part of the lot matches, best part first. */
static int
collect_hits(struct ingest *in, enum notice_kind kind, const struct lot *l,
	     const struct lot_split *sp, struct hit **hits, size_t *nhits)
{
	struct match_result *res = NULL;
	size_t cap = 0, p, k, n = 0;
	struct hit *v = NULL, *nv;
	long found;

	for (p = 0; p < sp->nparts; p++) {
		struct match_target t = { .kind = kind, .lot = l, .part = &sp->parts[p] };

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
 * Splits each lot into its category parts, stores them, and records one
 * match per firm and lot: the part that fits the firm best, with its score
 * and reason.
 */
static int
split_and_match(struct ingest *in, struct ingest_counts *c,
		const struct notice *n, const int64_t *lot_rowids,
		struct buf *reason)
{
	int alerts = match_kind_alerts(n->kind) && n->url;
	struct lot_split sp = { 0 };
	struct hit *hits = NULL;
	size_t i, k, nhits = 0;
	int created, rc = -1;

	for (i = 0; i < n->nlots; i++) {
		const struct lot *l = &n->lots[i];

		lot_split_release(&sp);
		free(hits);
		hits = NULL;
		nhits = 0;
		if (split_lot(in->categories, l, &sp) < 0) {
			error("out of memory");
			goto out;
		}
		if (store_put_category_lots(in->store, lot_rowids[i], &sp) < 0)
			goto out;
		/* A lot whose deadline has passed is no longer an opportunity. */
		if (!alerts || (l->has_deadline && l->deadline < in->now))
			continue;
		if (collect_hits(in, n->kind, l, &sp, &hits, &nhits) < 0)
			goto out;
		for (k = 0; k < nhits; k++) {
			const struct hit *h = &hits[k];
			const struct category_lot *part = &sp.parts[h->part];
			const struct firm *f = in->firms->v[h->firm];
			struct match_target t = { .kind = n->kind, .lot = l, .part = part };

			if (k && hits[k - 1].firm == h->firm)
				continue;
			if (match_reason(f, &t, reason) < 0 ||
			    store_put_match(in->store, f->id, lot_rowids[i], n->id,
					    l->id, notice_kind_name(n->kind),
					    buf_str(reason), h->score,
					    part->category ? part->category->key : NULL,
					    in->now, &created) < 0)
				goto out;
			c->matches += (unsigned)created;
		}
	}
	rc = 0;
out:
	lot_split_release(&sp);
	free(hits);
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

static int
ingest_doc(struct ingest *in, struct ingest_counts *c, const struct ingest_doc *d,
	   struct buf *reason)
{
	struct notice *n = NULL;
	char err[512];
	int rc;

	if (d->reason)
		return refuse(in, c, d, d->reason);
	if (!d->data && !d->notice)
		return 0;
	if (d->notice)
		return store_notice(in, c, d->notice, d->source, reason);
	if (eforms_parse(in->parser, d->data, d->len, &n, err, sizeof err) < 0)
		return refuse(in, c, d, err);
	rc = store_notice(in, c, n, d->source, reason);
	notice_free(n);
	return rc;
}

int
ingest_flush(struct ingest *in, struct ingest_batch *b)
{
	struct ingest_counts c = in->counts;
	struct buf reason;
	size_t i;
	int rc = -1;

	if (b->n == 0)
		return 0;
	buf_init(&reason, 4096);
	if (store_begin(in->store) < 0)
		goto out;
	for (i = 0; i < b->n; i++) {
		const struct ingest_doc *d = &b->docs[i];

		if (ingest_doc(in, &c, d, &reason) < 0 ||
		    (d->item && store_feed_item_put(in->store, in->feed, d->item,
						    d->etag, d->last_modified,
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
