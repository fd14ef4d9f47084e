#include <stdlib.h>
#include <string.h>

#include "split.h"
#include "stem.h"
#include "store.h"

void
lot_split_release(struct lot_split *s)
{
	size_t i;

	for (i = 0; i < s->nparts; i++) {
		strvec_free(s->parts[i].cpv, s->parts[i].ncpv);
		free(s->parts[i].currency);
	}
	free(s->parts);
	s->parts = NULL;
	s->nparts = 0;
}

static struct category_lot *
part_for(struct lot_split *s, const struct category *c)
{
	struct category_lot *v;
	size_t i;

	for (i = 0; i < s->nparts; i++)
		if (s->parts[i].category == c)
			return &s->parts[i];
	if (!(v = realloc(s->parts, (s->nparts + 1) * sizeof *v)))
		return NULL;
	s->parts = v;
	memset(&v[s->nparts], 0, sizeof *v);
	v[s->nparts].category = c;
	return &v[s->nparts++];
}

/* The categories whose words the text holds, each a part of its own. */
static int
split_by_words(const struct category_set *cs, const struct stem_text *text,
	       struct lot_split *s)
{
	size_t i, k;

	for (i = 0; text && i < cs->n; i++)
		for (k = 0; k < 2 * cs->v[i].nkeywords; k++)
			if (stem_text_find(text, cs->v[i].stems[k])) {
				if (!part_for(s, &cs->v[i]))
					return -1;
				break;
			}
	return 0;
}

int
split_lot(const struct category_set *cs, const struct lot *l,
	  const struct stem_text *text, struct lot_split *out)
{
	struct lot_split s = { 0 };
	size_t i;

	if (!l->ncpv && split_by_words(cs, text, &s) < 0)
		goto nomem;

	/* Codes keep the lot's order, so a part's first code is its main one. */
	for (i = 0; i < l->ncpv; i++) {
		struct category_lot *p = part_for(&s, category_for_cpv(cs, l->cpv[i]));

		if (!p || strvec_push(&p->cpv, &p->ncpv, l->cpv[i]) < 0)
			goto nomem;
	}
	/*
	 * A lot's value is known for the whole lot only; split across
	 * categories, each part's share is not, and guessing it would
	 * mislead the size filter.
	 */
	if (s.nparts == 1 && l->has_value) {
		s.parts[0].has_value = 1;
		s.parts[0].value = l->value;
		if (l->currency && !(s.parts[0].currency = strdup(l->currency)))
			goto nomem;
	}
	*out = s;
	return 0;
nomem:
	lot_split_release(&s);
	return -1;
}

void
rebuilt_lot_release(struct rebuilt_lot *r)
{
	size_t i;

	strvec_free(r->lot.cpv, r->lot.ncpv);
	strvec_free(r->lot.nuts, r->lot.nnuts);
	for (i = 0; i < r->nparts; i++)
		strvec_free(r->parts[i].cpv, r->parts[i].ncpv);
	free(r->parts);
	memset(r, 0, sizeof *r);
}

int
rebuilt_lot_from(const struct category_set *cs, const struct stored_lot *sl,
		 struct rebuilt_lot *r)
{
	size_t i;

	memset(r, 0, sizeof *r);
	r->lot.id = sl->lot_id;
	r->lot.title = sl->title;
	r->lot.town = sl->town;
	r->lot.duration = sl->duration;
	r->lot.sme_suitable = sl->sme_suitable;
	r->lot.has_value = sl->has_value;
	r->lot.value = sl->value;
	r->lot.currency = sl->currency;
	r->lot.has_deadline = sl->has_deadline;
	r->lot.deadline = sl->deadline;
	if (strvec_split(sl->cpv, &r->lot.cpv, &r->lot.ncpv) < 0 ||
	    strvec_split(sl->nuts, &r->lot.nuts, &r->lot.nnuts) < 0 ||
	    (sl->nparts && !(r->parts = calloc(sl->nparts, sizeof *r->parts))))
		return -1;
	r->nparts = sl->nparts;
	for (i = 0; i < sl->nparts; i++) {
		struct category_lot *p = &r->parts[i];

		p->category = sl->parts[i].category ?
			      category_find(cs, sl->parts[i].category) : NULL;
		p->has_value = sl->parts[i].has_value;
		p->value = sl->parts[i].value;
		p->currency = sl->parts[i].currency;
		if (strvec_split(sl->parts[i].cpv, &p->cpv, &p->ncpv) < 0)
			return -1;
	}
	return 0;
}
