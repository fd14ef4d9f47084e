/*
 * Amounts in kronor and other currencies (include/money.h): the bundled
 * ECB rates, the ECB's files a rates feed brings, and how an amount is
 * said.
 */
#define _XOPEN_SOURCE 700

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "test.h"
#include "testutil.h"

/* Every currency of the ECB's daily table, and the euro itself. */
static void
test_rates(void)
{
	static const char *const codes[] = {
		"USD", "JPY", "CZK", "DKK", "GBP", "HUF", "PLN", "RON", "SEK",
		"CHF", "ISK", "NOK", "TRY", "AUD", "BRL", "CAD", "CNY", "HKD",
		"IDR", "ILS", "INR", "KRW", "MXN", "MYR", "NZD", "PHP", "SGD",
		"THB", "ZAR", "EUR",
	};
	double sek;
	size_t i;

	for (i = 0; i < sizeof codes / sizeof *codes; i++) {
		sek = -1;
		CHECK(money_to_sek(NULL, 100, codes[i], &sek) == 0 && sek > 0);
		if (sek <= 0)
			fprintf(stderr, "  no rate for %s\n", codes[i]);
	}
	CHECK(money_to_sek(NULL, 1e6, "EUR", &sek) == 0 && fabs(sek - 11242500) < 1);
	CHECK(money_to_sek(NULL, 4365, "PLN", &sek) == 0 && fabs(sek - 11242.5) < 0.01);
	CHECK(money_to_sek(NULL, 5, NULL, &sek) == 0 && sek == 5);
	/* pegged to a currency the ECB lists: 3.6725 AED to the dollar */
	CHECK(money_to_sek(NULL, 3.6725 * 1.1269, "AED", &sek) == 0 &&
	      fabs(sek - 11.2425) < 1e-9);
	CHECK(money_to_sek(NULL, 655.957, "XOF", &sek) == 0 &&
	      fabs(sek - 11.2425) < 1e-9);
	CHECK(money_to_sek(NULL, 5, "ARS", &sek) == -1);
	CHECK(money_to_sek(NULL, 5, "eur", &sek) == -1);
}

static const struct {
	double value;
	const char *currency;
	int en, round;
	const char *want;
} says[] = {
	{ 2400000, "SEK", 0, 0, "2 400 000 kr" },
	{ 2450000, NULL, 0, 1, "2,5 miljoner kr" },
	{ 2400000, "SEK", 1, 0, "SEK 2,400,000" },
	{ 2400000, "SEK", 1, 1, "SEK 2.4 million" },
	{ 850000, "SEK", 0, 1, "850 000 kr" },
	{ 220000, "EUR", 0, 0, "ca 2,5 miljoner kr (220 000 EUR)" },
	{ 220000, "EUR", 1, 0, "about SEK 2.5 million (EUR 220,000)" },
	{ 21500, "EUR", 0, 1, "ca 242 000 kr (21 500 EUR)" },
	{ 500, "EUR", 0, 1, "ca 5 621 kr (500 EUR)" },
	{ 12000, "ARS", 0, 1, "12 000 ARS" },
	{ 12000, "ARS", 1, 0, "ARS 12,000" },
};

static void
test_say(void)
{
	struct buf b;
	size_t i;

	buf_init(&b, 256);
	for (i = 0; i < sizeof says / sizeof *says; i++) {
		buf_reset(&b);
		CHECK(money_say(NULL, says[i].value, says[i].currency, says[i].en,
				says[i].round, &b) == 0);
		CHECK_STR(buf_str(&b), says[i].want);
	}
	buf_reset(&b);
	CHECK(money_group(1234567, 0, &b) == 0);
	CHECK_STR(buf_str(&b), "1 234 567");
	buf_release(&b);
}

#define ENVELOPE(days) \
	"<gesmes:Envelope xmlns:gesmes='http://www.gesmes.org/xml/2002-08-01'" \
	" xmlns='http://www.ecb.int/vocabulary/2002-08-01/eurofxref'>" \
	"<Cube>" days "</Cube></gesmes:Envelope>"

static struct money_rates *
parse_file(const char *name, char *err, size_t errlen)
{
	struct money_rates *r = NULL;
	char path[256], *data;
	size_t len;

	snprintf(path, sizeof path, "tests/fixtures/rates/%s", name);
	if (!(data = read_bytes(path, &len)))
		return NULL;
	if (money_rates_parse_ecb(data, len, &r, err, errlen) < 0)
		r = NULL;
	free(data);
	return r;
}

/* The ECB's files: the newest day's rates, only those. */
static void
test_ecb_files(void)
{
	struct money_rates *r;
	const char *code;
	double sek, per_eur;
	char err[256] = "";

	r = parse_file("eurofxref-daily.xml", err, sizeof err);
	CHECK(r != NULL);
	if (!r) {
		fprintf(stderr, "  %s\n", err);
		return;
	}
	CHECK_STR(money_rates_day(r), "2026-12-04");
	CHECK(money_to_sek(r, 1e6, "EUR", &sek) == 0 && fabs(sek - 10.5e6) < 1);
	CHECK(money_to_sek(r, 1160, "USD", &sek) == 0 && fabs(sek - 10500) < 0.01);
	/* the file's alone: no bundled rate mixed in */
	CHECK(money_to_sek(r, 100, "CHF", &sek) == -1);
	CHECK(money_rates_get(r, 0, &code, &per_eur) == 0 &&
	      strcmp(code, "DKK") == 0);
	CHECK(money_rates_get(r, 8, &code, &per_eur) == -1);
	money_rates_free(r);

	/* the 90-day file: the newest day, wherever it stands */
	r = parse_file("eurofxref-hist-90d.xml", err, sizeof err);
	CHECK(r != NULL);
	if (r) {
		CHECK_STR(money_rates_day(r), "2026-12-03");
		CHECK(money_to_sek(r, 1e6, "EUR", &sek) == 0 &&
		      fabs(sek - 10.95e6) < 1);
	}
	money_rates_free(r);
}

/* Rates a feed brought, over the bundled ones. */
static void
test_put(void)
{
	struct money_rates *r = money_rates_new();
	double sek;

	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_STR(money_rates_day(r), MONEY_RATES_DATE);
	CHECK(money_rates_put(r, "2026-12-04", "SEK", 10.9) == 0);
	CHECK(money_rates_put(r, "2026-12-04", "AED", 4.25) == 0);
	CHECK_STR(money_rates_day(r), "2026-12-04");
	CHECK(money_to_sek(r, 1e6, "EUR", &sek) == 0 && fabs(sek - 10.9e6) < 1);
	CHECK(money_to_sek(r, 425, "AED", &sek) == 0 && fabs(sek - 1090) < 0.01);
	/* CHF is the bundled rate still */
	CHECK(money_to_sek(r, 0.9359, "CHF", &sek) == 0 && fabs(sek - 10.9) < 1e-9);
	CHECK(money_rates_put(r, "2026-12-04", "sek", 10) == -1);
	CHECK(money_rates_put(r, "2026-12-04", "SEKX", 10) == -1);
	CHECK(money_rates_put(r, "2026-12-04", "SEK", 0) == -1);
	CHECK(money_rates_put(r, "2026-12-04", "SEK", NAN) == -1);
	CHECK(money_rates_put(r, "2026-12-04", "SEK", 1e300) == -1);
	CHECK(money_rates_put(r, "4 dec 2026", "SEK", 10) == -1);
	CHECK(money_to_sek(r, 1e6, "EUR", &sek) == 0 && fabs(sek - 10.9e6) < 1);
	money_rates_free(r);
}

/* What is not an ECB file is refused, with the reason. */
static void
test_ecb_refused(void)
{
	static const struct {
		const char *xml;
		const char *why;
	} bad[] = {
		{ "", "empty" },
		{ "<rss/>", "not an ECB euro reference rates file" },
		{ "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]>"
		  "<x>&a;</x>", "DOCTYPE" },
		{ ENVELOPE("<Cube time='2026-12-04'>"
			   "<Cube currency='USD' rate='1.16'/></Cube>"),
		  "no rate for SEK on 2026-12-04" },
		{ ENVELOPE("<Cube time='2026-12-04'>"
			   "<Cube currency='SEK' rate='ten'/></Cube>"),
		  "line 1: SEK: rate 'ten' is not a number" },
		{ ENVELOPE("<Cube time='2026-12-04'>"
			   "<Cube currency='SEK' rate='-10.9'/></Cube>"),
		  "'SEK' at -10.9 is not a currency and its rate" },
		{ ENVELOPE("<Cube time='4 Dec 2026'>"
			   "<Cube currency='SEK' rate='10.9'/></Cube>"),
		  "time '4 Dec 2026' is not a day" },
	};
	struct money_rates *r;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		err[0] = '\0';
		r = (struct money_rates *)1;
		CHECK(money_rates_parse_ecb(bad[i].xml, strlen(bad[i].xml), &r,
					    err, sizeof err) == -1);
		CHECK(r == NULL);
		CHECK(strstr(err, bad[i].why) != NULL);
		if (!strstr(err, bad[i].why))
			fprintf(stderr, "  case %zu: %s\n", i, err);
	}
}

int
main(void)
{
	RUN(test_rates);
	RUN(test_say);
	RUN(test_ecb_files);
	RUN(test_put);
	RUN(test_ecb_refused);
	return test_done("money");
}
