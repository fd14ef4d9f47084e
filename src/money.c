#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "xmlsafe.h"

/*
 * Units of each currency to the euro, MONEY_RATES_DATE, as the ECB
 * publishes them daily (eurofxref-daily.xml); sorted by code.
 */
static const struct rate {
	char code[4];
	double per_eur;
} bundled[] = {
	{ "AUD", 1.6140 }, { "BRL", 5.5991 }, { "CAD", 1.6058 },
	{ "CHF", 0.9359 }, { "CNY", 7.5554 }, { "CZK", 24.405 },
	{ "DKK", 7.4747 }, { "EUR", 1 }, { "GBP", 0.84880 },
	{ "HKD", 8.8438 }, { "HUF", 364.95 }, { "IDR", 20104.80 },
	{ "ILS", 3.4348 }, { "INR", 108.6615 }, { "ISK", 137.20 },
	{ "JPY", 178.15 }, { "KRW", 1508.67 }, { "MXN", 20.2217 },
	{ "MYR", 4.6034 }, { "NOK", 10.7780 }, { "NZD", 2.0061 },
	{ "PHP", 70.702 }, { "PLN", 4.3650 }, { "RON", 5.3510 },
	{ "SEK", 11.2425 }, { "SGD", 1.4392 }, { "THB", 37.836 },
	{ "TRY", 55.4196 }, { "USD", 1.1269 }, { "ZAR", 18.5829 },
};
#define NBUNDLED (sizeof bundled / sizeof bundled[0])

/*
 * Currencies the ECB does not list whose central banks hold them at a
 * fixed rate to one it does, units per unit of the anchor; sorted by code.
 * Notices are valued in them too (a real one in AED).
 */
static const struct peg {
	char code[4];
	char anchor[4];
	double per_anchor;
} pegs[] = {
	{ "AED", "USD", 3.6725 }, { "BAM", "EUR", 1.95583 },
	{ "BGN", "EUR", 1.95583 }, { "BHD", "USD", 0.376 },
	{ "CVE", "EUR", 110.265 }, { "KMF", "EUR", 491.96775 },
	{ "OMR", "USD", 0.3845 }, { "QAR", "USD", 3.64 },
	{ "SAR", "USD", 3.75 }, { "XAF", "EUR", 655.957 },
	{ "XOF", "EUR", 655.957 }, { "XPF", "EUR", 119.33174 },
};
#define NPEGS (sizeof pegs / sizeof pegs[0])

/* Sorted by code, at most MONEY_RATES_MAX; day is the newest put. */
struct money_rates {
	struct rate v[MONEY_RATES_MAX];
	size_t n;
	char day[sizeof "YYYY-MM-DD"];
};

/* Past this no amount is grouped or said: it is a typo in a notice. */
#define MONEY_MAX 1e15

/* Outside these a rate to the euro is a misread, not a currency. */
#define RATE_MIN 1e-4
#define RATE_MAX 1e7

static int
rate_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct rate *)elem)->code);
}

static const struct rate *
rate_of(const struct money_rates *r, const char *currency)
{
	return bsearch(currency ? currency : "SEK", r ? r->v : bundled,
		       r ? r->n : NBUNDLED, sizeof *bundled, rate_cmp);
}

static int
peg_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct peg *)elem)->code);
}

/* Units of currency to the euro: its rate, or its peg's; -1 if neither. */
static int
per_eur(const struct money_rates *r, const char *currency, double *out)
{
	const struct rate *rate = rate_of(r, currency);
	const struct peg *peg;

	if (!rate && currency &&
	    (peg = bsearch(currency, pegs, NPEGS, sizeof *pegs, peg_cmp)) &&
	    (rate = rate_of(r, peg->anchor))) {
		*out = peg->per_anchor * rate->per_eur;
		return 0;
	}
	if (!rate)
		return -1;
	*out = rate->per_eur;
	return 0;
}

static struct money_rates *
rates_empty(void)
{
	struct money_rates *r = calloc(1, sizeof *r);

	if (r)
		memcpy(r->day, MONEY_RATES_DATE, sizeof r->day);
	return r;
}

struct money_rates *
money_rates_new(void)
{
	struct money_rates *r = rates_empty();

	if (r) {
		memcpy(r->v, bundled, sizeof bundled);
		r->n = NBUNDLED;
	}
	return r;
}

void
money_rates_free(struct money_rates *r)
{
	free(r);
}

static int
is_day(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	for (i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-')
			return 0;
	return s[i] == '\0';
}

static int
is_code(const char *s)
{
	return isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]) &&
	       isupper((unsigned char)s[2]) && s[3] == '\0';
}

int
money_rates_put(struct money_rates *r, const char *day, const char *currency,
		double per_eur)
{
	size_t at;

	if (!is_day(day) || !is_code(currency) ||
	    !(per_eur >= RATE_MIN && per_eur <= RATE_MAX))
		return -1;
	for (at = 0; at < r->n && strcmp(r->v[at].code, currency) < 0; at++)
		;
	if (at == r->n || strcmp(r->v[at].code, currency) != 0) {
		if (r->n == MONEY_RATES_MAX)
			return -1;
		memmove(&r->v[at + 1], &r->v[at], (r->n - at) * sizeof *r->v);
		memcpy(r->v[at].code, currency, sizeof r->v[at].code);
		r->n++;
	}
	r->v[at].per_eur = per_eur;
	if (strcmp(day, r->day) > 0)
		memcpy(r->day, day, sizeof r->day);
	return 0;
}

const char *
money_rates_day(const struct money_rates *r)
{
	return r->day;
}

int
money_rates_get(const struct money_rates *r, size_t i, const char **currency,
		double *per_eur)
{
	if (i >= r->n)
		return -1;
	*currency = r->v[i].code;
	*per_eur = r->v[i].per_eur;
	return 0;
}

/* ---- the ECB's file -------------------------------------------------------- */

enum { XP_DAYS, XP_RATES, XP_COUNT };

static const struct xmlsafe_xpath xpaths[XP_COUNT] = {
	[XP_DAYS] = { "/gesmes:Envelope/ecb:Cube/ecb:Cube[@time]",
		      "the days (Cube time=...)" },
	[XP_RATES] = { "ecb:Cube[@currency]", "the rates (Cube currency=...)" },
};

static const struct xmlsafe_ns namespaces[] = {
	{ "gesmes", "http://www.gesmes.org/xml/2002-08-01" },
	{ "ecb", "http://www.ecb.int/vocabulary/2002-08-01/eurofxref" },
};

/* An attribute's value as a C string; "" when absent. */
static const char *
attr(xmlNodePtr node, const char *name, xmlChar **hold)
{
	*hold = xmlGetNoNsProp(node, (const xmlChar *)name);
	return *hold ? (const char *)*hold : "";
}

static int
read_rate(struct xmlsafe *x, xmlNodePtr node, const char *day,
	  struct money_rates *r)
{
	xmlChar *c = NULL, *v = NULL;
	const char *code = attr(node, "currency", &c), *value = attr(node, "rate", &v);
	char *end;
	double per_eur;
	int rc = -1;

	errno = 0;
	per_eur = strtod(value, &end);
	if (end == value || *end || errno)
		xmlsafe_fail(x, "line %ld: %s: rate '%.32s' is not a number",
			     xmlGetLineNo(node), code, value);
	else if (money_rates_put(r, day, code, per_eur) < 0)
		xmlsafe_fail(x, "line %ld: '%.8s' at %.32s is not a currency "
			     "and its rate to the euro", xmlGetLineNo(node),
			     code, value);
	else
		rc = 0;
	xmlFree(c);
	xmlFree(v);
	return rc;
}

/* The newest day: the ECB lists it first, but the order is not promised. */
static int
newest_day(struct xmlsafe *x, xmlNodePtr *node, char *day)
{
	struct xmlsafe_nodes days;
	int i, rc = -1;

	*node = NULL;
	if (xmlsafe_eval(x, XP_DAYS, x->root, &days) < 0)
		goto out;
	for (i = 0; i < days.n; i++) {
		xmlChar *hold;
		const char *t = attr(days.v[i], "time", &hold);

		if (!is_day(t)) {
			xmlsafe_fail(x, "line %ld: time '%.32s' is not a day "
				     "(YYYY-MM-DD)", xmlGetLineNo(days.v[i]), t);
			xmlFree(hold);
			goto out;
		}
		if (!*node || strcmp(t, day) > 0) {
			*node = days.v[i];
			memcpy(day, t, sizeof "YYYY-MM-DD");
		}
		xmlFree(hold);
	}
	if (!*node)
		xmlsafe_fail(x, "not an ECB euro reference rates file (no "
			     "gesmes:Envelope with a Cube of a day)");
	else
		rc = 0;
out:
	xmlsafe_nodes_free(&days);
	return rc;
}

int
money_rates_parse_ecb(const char *xml, size_t len, struct money_rates **out,
		      char *err, size_t errlen)
{
	struct xmlsafe_xpaths *xp = NULL;
	struct money_rates *r = NULL;
	struct xmlsafe_nodes rates = { 0 };
	struct xmlsafe x;
	xmlNodePtr node;
	char day[sizeof "YYYY-MM-DD"];
	int i, rc = -1;

	*out = NULL;
	xp = xmlsafe_compile(xpaths, XP_COUNT, namespaces,
			     sizeof namespaces / sizeof namespaces[0]);
	xmlsafe_begin(&x, xp, err, errlen);
	if (!xp || !(r = rates_empty())) {
		xmlsafe_oom(&x);
		goto out;
	}
	if (xmlsafe_read(&x, xml, len, MONEY_RATES_MAX_INPUT) < 0 ||
	    newest_day(&x, &node, day) < 0 ||
	    xmlsafe_eval(&x, XP_RATES, node, &rates) < 0)
		goto out;
	/* The rates are to the euro: it is 1 by definition, never listed. */
	if (money_rates_put(r, day, "EUR", 1) < 0)
		goto out;
	for (i = 0; i < rates.n; i++)
		if (read_rate(&x, rates.v[i], day, r) < 0)
			goto out;
	if (!rate_of(r, "SEK")) {
		xmlsafe_fail(&x, "no rate for SEK on %s", day);
		goto out;
	}
	*out = r;
	r = NULL;
	rc = 0;
out:
	xmlsafe_nodes_free(&rates);
	xmlsafe_end(&x);
	xmlsafe_free_compiled(xp);
	money_rates_free(r);
	return rc;
}

/* ---- amounts ----------------------------------------------------------------- */

int
money_to_sek(const struct money_rates *r, double value, const char *currency,
	     double *sek)
{
	double from, to;

	if (per_eur(r, currency, &from) < 0 || per_eur(r, "SEK", &to) < 0)
		return -1;
	*sek = value / from * to;
	return 0;
}

int
money_group(double value, int en, struct buf *out)
{
	char digits[32];
	int n, i;

	if (value < 0 || value >= MONEY_MAX)
		return buf_printf(out, "%.0f", value);
	n = snprintf(digits, sizeof digits, "%.0f", value);
	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0 && buf_addc(out, en ? ',' : ' ') < 0)
			return -1;
		if (buf_addc(out, digits[i]) < 0)
			return -1;
	}
	return 0;
}

/*
 * Kronor: from a million in millions with one decimal; below, an
 * approximation in whole thousands.
 */
static int
say_sek(double v, int en, int round, int approx, struct buf *out)
{
	if (round && v >= 1e6 && v < MONEY_MAX) {
		long long tenths = llround(v / 1e5);

		return en ? buf_printf(out, "SEK %lld.%lld million",
				       tenths / 10, tenths % 10) :
			    buf_printf(out, "%lld,%lld miljoner kr",
				       tenths / 10, tenths % 10);
	}
	if (approx && v >= 1e4)
		v = 1e3 * (double)llround(v / 1e3);
	if (en && buf_adds(out, "SEK ") < 0)
		return -1;
	if (money_group(v, en, out) < 0)
		return -1;
	return en ? 0 : buf_adds(out, " kr");
}

/* As given: "220 000 EUR", "EUR 220,000". */
static int
say_given(double v, const char *currency, int en, struct buf *out)
{
	if (en && buf_printf(out, "%s ", currency) < 0)
		return -1;
	if (money_group(v, en, out) < 0)
		return -1;
	return en ? 0 : buf_printf(out, " %s", currency);
}

int
money_say(const struct money_rates *r, double value, const char *currency,
	  int en, int round, struct buf *out)
{
	double sek;

	if (!currency || strcmp(currency, "SEK") == 0)
		return say_sek(value, en, round, 0, out);
	if (money_to_sek(r, value, currency, &sek) < 0)
		return say_given(value, currency, en, out);
	if (buf_adds(out, en ? "about " : "ca ") < 0 ||
	    say_sek(sek, en, 1, 1, out) < 0 || buf_adds(out, " (") < 0 ||
	    say_given(value, currency, en, out) < 0)
		return -1;
	return buf_addc(out, ')');
}
