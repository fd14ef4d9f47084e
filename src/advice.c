#include <stdlib.h>
#include <string.h>

#include "advice.h"
#include "log.h"
#include "utf8.h"

/* Pads to a width in characters, not bytes: names have å, ä and ö. */
static void
print_padded(FILE *out, const char *s, int width)
{
	int chars = (int)utf8_width(s);

	fprintf(out, "    %s%*s", s, chars < width ? width - chars : 0, "");
}

static void
print_sek(FILE *out, double v)
{
	if (v >= 1e6)
		fprintf(out, "%.1f MSEK", v / 1e6);
	else
		fprintf(out, "%.0f SEK", v);
}

/* A lot's value as given, and in kronor when it is in another currency. */
static int
print_value(FILE *out, const struct money_rates *rates, double v,
	    const char *currency)
{
	struct buf b;
	int rc;

	if (!currency || strcmp(currency, "SEK") == 0) {
		print_sek(out, v);
		return 0;
	}
	buf_init(&b, 256);
	if ((rc = money_say(rates, v, currency, 1, 1, &b)) == 0)
		fputs(buf_str(&b), out);
	buf_release(&b);
	return rc;
}

/* Why a single-lot notice should be divided; 0 when it need not be. */
static int
reasons(const struct rebuilt_lot *r, const struct money_rates *rates,
	unsigned *split_categories, const struct category **over_band)
{
	size_t i;

	*split_categories = 0;
	*over_band = NULL;
	for (i = 0; i < r->nparts; i++) {
		const struct category_lot *p = &r->parts[i];
		const struct category *c = p->category;
		double sek;

		if (!c)
			continue;
		if (c->split)
			(*split_categories)++;
		/* bands are in kronor; a currency without a rate is not sized */
		if (r->lot.has_value && c->value_max > 0 && !*over_band &&
		    money_to_sek(rates, p->has_value ? p->value : r->lot.value,
				 p->has_value ? p->currency : r->lot.currency,
				 &sek) == 0 &&
		    sek > c->value_max)
			*over_band = c;
	}
	return *split_categories >= 2 || *over_band;
}

static long
firms_fitting(const struct advice_context *ctx, enum notice_kind kind,
	      const struct rebuilt_lot *r, const struct category_lot *part,
	      struct match_result **res, size_t *cap)
{
	struct match_target t = { .kind = kind, .lot = &r->lot, .part = part };

	return match_find(ctx->index, &t, res, cap);
}

static int
advise_notice(const struct advice_context *ctx, const struct stored_notice *n,
	      FILE *out, unsigned *count)
{
	const struct money_rates *rates = match_index_options(ctx->index)->rates;
	struct match_result *res = NULL;
	const struct category *over;
	enum notice_kind kind;
	struct rebuilt_lot r;
	unsigned nsplit;
	size_t cap = 0, i;
	long fit;
	int rc = -1;

	if (n->nlots != 1 || notice_kind_parse(n->kind, &kind) < 0)
		return 0;
	if (rebuilt_lot_from(ctx->categories, &n->lots[0], &r) < 0) {
		error("out of memory");
		goto out;
	}
	if (!reasons(&r, rates, &nsplit, &over)) {
		rc = 0;
		goto out;
	}
	(*count)++;
	fprintf(out, "%s\n  %s, %s %s, published %s, notice %s\n", n->title,
		n->buyer ? n->buyer : "?", n->buyer_id, n->kind, n->published,
		n->notice_id);
	fprintf(out, "  one lot, value ");
	if (!r.lot.has_value)
		fputs("not given", out);
	else if (print_value(out, rates, r.lot.value, r.lot.currency) < 0)
		goto nomem;
	fputc('\n', out);
	if (nsplit >= 2)
		fprintf(out, "  spans %u categories the unit wants divided\n", nsplit);
	if (over) {
		fprintf(out, "  exceeds the value band of %s (", over->name_sv);
		print_sek(out, over->value_min);
		fputs(" - ", out);
		print_sek(out, over->value_max);
		fputs(")\n", out);
	}
	for (i = 0; i < r.nparts; i++) {
		const struct category_lot *p = &r.parts[i];
		size_t k;

		if ((fit = firms_fitting(ctx, kind, &r, p, &res, &cap)) < 0)
			goto nomem;
		print_padded(out, p->category ? p->category->name_sv :
			     "(no category)", 28);
		for (k = 0; k < p->ncpv; k++)
			fprintf(out, " %s", p->cpv[k]);
		fputs("  value ", out);
		if (!p->has_value)
			fputs("unknown", out);
		else if (print_value(out, rates, p->value, p->currency) < 0)
			goto nomem;
		fprintf(out, "  %ld subscribed firm%s fit\n", fit, fit == 1 ? "" : "s");
	}
	fputs("  If it is not divided, record why (LOU 4 kap. 14 §).\n\n", out);
	rc = 0;
	goto out;
nomem:
	error("out of memory");
out:
	free(res);
	rebuilt_lot_release(&r);
	return rc;
}

int
advice_print(const struct advice_context *ctx, FILE *out, unsigned *count)
{
	struct stored_notice *n = NULL;
	char *const *b;
	char **ids = NULL;
	size_t nids = 0, i;
	int rc = -1;

	*count = 0;
	for (b = ctx->buyers; b && *b; b++) {
		if (store_single_lot_notices(ctx->store, *b, ctx->now, &ids,
					     &nids) < 0)
			goto out;
		for (i = 0; i < nids; i++) {
			if (store_get_notice(ctx->store, ids[i], &n) < 0)
				goto out;
			if (n && advise_notice(ctx, n, out, count) < 0)
				goto out;
			stored_notice_free(n);
			n = NULL;
		}
		strvec_free(ids, nids);
		ids = NULL;
		nids = 0;
	}
	rc = 0;
out:
	stored_notice_free(n);
	strvec_free(ids, nids);
	return rc;
}
