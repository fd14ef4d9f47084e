#include <stdlib.h>
#include <string.h>

#include "advice.h"
#include "alert.h"
#include "log.h"
#include "template.h"
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

const struct advice_reason advice_reasons[] = {
	{ "coordination",
	  "Behovet av att samordna leverantörerna av de olika delarna",
	  "The need to coordinate the suppliers of the different parts" },
	{ "cost",
	  "En uppdelning skulle göra kontraktet ekonomiskt ofördelaktigt",
	  "Dividing would make the contract economically disadvantageous" },
	{ "technical",
	  "En uppdelning skulle göra utförandet tekniskt svårt",
	  "Dividing would make the performance technically difficult" },
	{ "competition",
	  "En uppdelning skulle riskera att begränsa konkurrensen",
	  "Dividing would risk restricting competition" },
	{ "market",
	  "Marknaden har inte visat intresse för mindre delar",
	  "The market has shown no interest in smaller parts" },
	{ "small",
	  "Kontraktet är redan av en storlek som små företag kan ta",
	  "The contract is already of a size small firms can take" },
	{ "other",
	  "Annat skäl, se anteckningen",
	  "Another reason, see the note" },
	{ NULL, NULL, NULL }
};

#define PARTS_MAX	2000
#define NOTE_MAX	4000
#define WHO_MAX		200

static const struct advice_reason *
find_reason(const char *key)
{
	const struct advice_reason *r;

	for (r = advice_reasons; r->key; r++)
		if (strcmp(r->key, key) == 0)
			return r;
	return NULL;
}

const char *
advice_reason_words(const char *key, int en)
{
	const struct advice_reason *r = find_reason(key);

	return r ? (en ? r->en : r->sv) : NULL;
}

/* One line of text of at most max bytes, or (optional) none. */
static int
check_line(const char *field, const char *v, size_t max, int optional)
{
	if (!v || !*v)
		return optional ? 0 : error("%s: missing", field);
	if (strlen(v) > max)
		return error("%s: more than %zu bytes", field, max);
	if (!utf8_valid(v, strlen(v)) || strpbrk(v, "\r\n\t"))
		return error("%s: not one line of UTF-8 text", field);
	return 0;
}

static int
check_reasons(const struct split_decision *d)
{
	char **keys = NULL;
	size_t n = 0, i;
	int rc = 0, other = 0;

	if (strvec_split(d->reasons, &keys, &n) < 0)
		return error("out of memory");
	if (n == 0)
		rc = error("reasons: not divided needs at least one reason "
			   "(LOU 4 kap. 14 §)");
	for (i = 0; i < n; i++) {
		if (!find_reason(keys[i])) {
			rc = error("reasons: '%s' is not one of coordination, "
				   "cost, technical, competition, market, small, "
				   "other", keys[i]);
			continue;
		}
		other |= strcmp(keys[i], "other") == 0;
	}
	if (other && (!d->note || !*d->note))
		rc = error("note: the reason 'other' needs a note saying what "
			   "it is");
	strvec_free(keys, n);
	return rc;
}

int
advice_decide(struct store *s, struct split_decision *d, time_t now)
{
	struct stored_notice *n = NULL;
	int rc = 0;

	if (!d->decision || (strcmp(d->decision, "divided") != 0 &&
			     strcmp(d->decision, "not_divided") != 0 &&
			     strcmp(d->decision, "later") != 0))
		rc = error("decision: '%s' is not divided, not_divided or "
			   "later", d->decision ? d->decision : "");
	else if (strcmp(d->decision, "divided") == 0)
		rc = check_line("parts", d->parts, PARTS_MAX, 0);
	else if (strcmp(d->decision, "not_divided") == 0)
		rc = check_reasons(d);
	if (strcmp(d->decision ? d->decision : "", "divided") != 0 &&
	    d->parts && *d->parts)
		rc = error("parts: only a divided procurement has parts");
	if (strcmp(d->decision ? d->decision : "", "not_divided") != 0 &&
	    d->reasons && *d->reasons)
		rc = error("reasons: only a procurement not divided has "
			   "reasons");
	if (check_line("note", d->note, NOTE_MAX, 1) < 0 ||
	    check_line("decided by", d->decided_by, WHO_MAX, 0) < 0)
		rc = -1;
	if (rc < 0)
		return -1;
	if (store_get_notice(s, d->notice_id, &n) < 0)
		return -1;
	if (!n)
		return error("notice: no notice %s is stored", d->notice_id);
	stored_notice_free(n);
	d->decided_at = now;
	return store_put_split_decision(s, d, &d->id);
}

/* The record's words; {{...}} are filled in and HTML-escaped. */
static const char record_template[] =
	"<!DOCTYPE html>\n<html lang=\"{{lang}}\">\n<head>\n"
	"<meta charset=\"utf-8\">\n<title>{{heading}}: {{title}}</title>\n"
	"<style>body{font-family:sans-serif;max-width:48em;margin:2em auto}"
	"th{text-align:left;vertical-align:top;padding-right:1em}"
	"section{border-top:1px solid #999;margin-top:1em}"
	"@media print{a{color:inherit;text-decoration:none}}</style>\n"
	"</head>\n<body>\n<h1>{{heading}}</h1>\n<p>{{law}}</p>\n<table>\n"
	"<tr><th>{{l_title}}</th><td>{{title}}</td></tr>\n"
	"<tr><th>{{l_notice}}</th><td>{{notice_id}}</td></tr>\n"
	"{{#buyer}}<tr><th>{{l_buyer}}</th><td>{{buyer}}</td></tr>\n{{/buyer}}"
	"<tr><th>{{l_published}}</th><td>{{published}}</td></tr>\n"
	"</table>\n"
	"{{^decisions}}<p>{{none}}</p>\n{{/decisions}}"
	"{{#decisions}}<section>\n<h2>{{what}}</h2>\n<table>\n"
	"{{#parts}}<tr><th>{{l_parts}}</th><td>{{parts}}</td></tr>\n{{/parts}}"
	"{{#reasons}}<tr><th>{{l_reason}}</th><td>{{text}}</td></tr>\n"
	"{{/reasons}}"
	"{{#note}}<tr><th>{{l_note}}</th><td>{{note}}</td></tr>\n{{/note}}"
	"<tr><th>{{l_by}}</th><td>{{by}}</td></tr>\n"
	"<tr><th>{{l_at}}</th><td>{{at}}</td></tr>\n"
	"</table>\n{{#replaced}}<p>{{l_replaced}}</p>\n{{/replaced}}"
	"</section>\n{{/decisions}}"
	"</body>\n</html>\n";

/* The record's fixed words: Swedish, then English. */
static const char *const record_words[][2] = {
	{ "heading", "Beslut om uppdelning i delkontrakt" },
	{ "heading", "Decision on division into lots" },
	{ "law", "Skälen för att inte dela upp en upphandling anges enligt "
		 "4 kap. 14 § LOU." },
	{ "law", "The reasons for not dividing a procurement are stated as "
		 "4 kap. 14 § LOU (the Swedish Public Procurement Act) "
		 "requires." },
	{ "l_title", "Upphandling" }, { "l_title", "Procurement" },
	{ "l_notice", "Annons" }, { "l_notice", "Notice" },
	{ "l_buyer", "Upphandlande organisation" }, { "l_buyer", "Buyer" },
	{ "l_published", "Publicerad" }, { "l_published", "Published" },
	{ "none", "Inget beslut är fattat ännu." },
	{ "none", "No decision has been made yet." },
	{ "l_parts", "Delar" }, { "l_parts", "Parts" },
	{ "l_reason", "Skäl" }, { "l_reason", "Reason" },
	{ "l_note", "Anteckning" }, { "l_note", "Note" },
	{ "l_by", "Beslutat av" }, { "l_by", "Decided by" },
	{ "l_at", "Beslutat" }, { "l_at", "Decided" },
	{ "l_replaced", "Ersatt av beslutet ovan." },
	{ "l_replaced", "Replaced by the decision above." },
};

const char *
advice_decision_words(const char *decision, int en)
{
	if (strcmp(decision, "divided") == 0)
		return en ? "Divided into lots" : "Delas upp i delkontrakt";
	if (strcmp(decision, "not_divided") == 0)
		return en ? "Not divided" : "Delas inte upp";
	return en ? "To be decided later" : "Beslutas senare";
}

static int
set_decision(struct tpl_vars *item, const struct split_decision *d, int en,
	     int replaced)
{
	const char *words;
	struct tpl_vars *child;
	char **keys = NULL;
	struct buf at;
	size_t n = 0, i;
	int rc = -1;

	buf_init(&at, 256);
	if (tpl_set(item, "what", advice_decision_words(d->decision, en)) < 0 ||
	    tpl_set(item, "parts", d->parts) < 0 ||
	    tpl_set(item, "note", d->note) < 0 ||
	    tpl_set(item, "by", d->decided_by) < 0 ||
	    (replaced && tpl_set(item, "replaced", "1") < 0) ||
	    alert_format_time(d->decided_at, en ? "en" : "sv", &at) < 0 ||
	    tpl_set(item, "at", buf_str(&at)) < 0 ||
	    strvec_split(d->reasons, &keys, &n) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if ((words = advice_reason_words(keys[i], en)) &&
		    (!(child = tpl_add(item, "reasons")) ||
		     tpl_set(child, "text", words) < 0))
			goto out;
	rc = 0;
out:
	strvec_free(keys, n);
	buf_release(&at);
	return rc;
}

int
advice_record_html(struct store *s, const char *notice_id, const char *lang,
		   struct buf *out)
{
	struct split_decision *d = NULL;
	struct stored_notice *n = NULL;
	struct tpl_vars *v = NULL, *item;
	struct tpl *t = NULL;
	int en = lang && strcmp(lang, "en") == 0;
	size_t nd = 0, i;
	int rc = -1;

	if (store_get_notice(s, notice_id, &n) < 0 ||
	    store_split_decisions(s, notice_id, &d, &nd) < 0)
		goto out;
	if (!n) {
		error("no notice %s is stored", notice_id);
		goto out;
	}
	if (tpl_parse("decision record", record_template,
		      sizeof record_template - 1, &t) < 0 ||
	    !(v = tpl_vars_new()) ||
	    tpl_set(v, "lang", en ? "en" : "sv") < 0 ||
	    tpl_set(v, "title", n->title) < 0 ||
	    tpl_set(v, "notice_id", n->notice_id) < 0 ||
	    tpl_set(v, "buyer", n->buyer) < 0 ||
	    tpl_set(v, "published", n->published) < 0)
		goto out;
	for (i = 0; i < sizeof record_words / sizeof record_words[0]; i += 2)
		if (tpl_set(v, record_words[i + en][0],
			    record_words[i + en][1]) < 0)
			goto out;
	/* newest first: the one in force heads the record */
	for (i = 0; i < nd; i++)
		if (!(item = tpl_add(v, "decisions")) ||
		    set_decision(item, &d[i], en, i > 0) < 0)
			goto out;
	rc = tpl_render(t, v, TPL_HTML, out);
out:
	tpl_vars_free(v);
	tpl_free(t);
	split_decisions_free(d, nd);
	stored_notice_free(n);
	return rc;
}
