#include <stdlib.h>
#include <string.h>

#include "split.h"

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

int
split_lot(const struct category_set *cs, const struct lot *l,
	  struct lot_split *out)
{
	struct lot_split s = { 0 };
	size_t i;

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
