#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"

/*
 * Units of each currency to the euro, MONEY_RATES_DATE, as the ECB
 * publishes them daily (eurofxref-daily.xml); sorted by code.
 */
static const struct rate {
	char code[4];
	double per_eur;
} rates[] = {
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
#define NRATES (sizeof rates / sizeof rates[0])

/* Past this no amount is grouped or said: it is a typo in a notice. */
#define MONEY_MAX 1e15

static int
rate_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct rate *)elem)->code);
}

static const struct rate *
rate_of(const char *currency)
{
	return bsearch(currency ? currency : "SEK", rates, NRATES,
		       sizeof *rates, rate_cmp);
}

int
money_to_sek(double value, const char *currency, double *sek)
{
	const struct rate *from = rate_of(currency), *to = rate_of("SEK");

	if (!from || !to)
		return -1;
	*sek = value / from->per_eur * to->per_eur;
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
money_say(double value, const char *currency, int en, int round,
	  struct buf *out)
{
	double sek;

	if (!currency || strcmp(currency, "SEK") == 0)
		return say_sek(value, en, round, 0, out);
	if (money_to_sek(value, currency, &sek) < 0)
		return say_given(value, currency, en, out);
	if (buf_adds(out, en ? "about " : "ca ") < 0 ||
	    say_sek(sek, en, 1, 1, out) < 0 || buf_adds(out, " (") < 0 ||
	    say_given(value, currency, en, out) < 0)
		return -1;
	return buf_addc(out, ')');
}
