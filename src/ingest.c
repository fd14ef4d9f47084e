#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ingest.h"
#include "log.h"
#include "match.h"

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

static int
match_notice(struct ingest *in, struct ingest_counts *c, const struct notice *n,
	     const int64_t *lot_rowids, struct buf *reason)
{
	size_t i, j;
	int created, r;

	if (!match_kind_alerts(n->kind) || !n->url)
		return 0;
	for (i = 0; i < n->nlots; i++) {
		const struct lot *l = &n->lots[i];

		/* A lot whose deadline has passed is no longer an opportunity. */
		if (l->has_deadline && l->deadline < in->now)
			continue;
		for (j = 0; j < in->firms->n; j++) {
			const struct firm *f = in->firms->v[j];

			if ((r = match_lot(f, l, reason)) < 0)
				return error("out of memory");
			if (r == 0)
				continue;
			if (store_put_match(in->store, f->id, lot_rowids[i], n->id,
					    l->id, notice_kind_name(n->kind),
					    buf_str(reason), in->now, &created) < 0)
				return -1;
			c->matches += (unsigned)created;
		}
	}
	return 0;
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
	rc = match_notice(in, c, n, lot_rowids, reason);
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
