/*
 * Amounts in kronor and other currencies (include/money.h): the bundled
 * ECB rates and how an amount is said.
 */
#include <math.h>
#include <stdio.h>

#include "money.h"
#include "test.h"

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
		CHECK(money_to_sek(100, codes[i], &sek) == 0 && sek > 0);
		if (sek <= 0)
			fprintf(stderr, "  no rate for %s\n", codes[i]);
	}
	CHECK(money_to_sek(1e6, "EUR", &sek) == 0 && fabs(sek - 11242500) < 1);
	CHECK(money_to_sek(4365, "PLN", &sek) == 0 && fabs(sek - 11242.5) < 0.01);
	CHECK(money_to_sek(5, NULL, &sek) == 0 && sek == 5);
	CHECK(money_to_sek(5, "AED", &sek) == -1);
	CHECK(money_to_sek(5, "eur", &sek) == -1);
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
	{ 12000, "AED", 0, 1, "12 000 AED" },
	{ 12000, "AED", 1, 0, "AED 12,000" },
};

static void
test_say(void)
{
	struct buf b;
	size_t i;

	buf_init(&b, 256);
	for (i = 0; i < sizeof says / sizeof *says; i++) {
		buf_reset(&b);
		CHECK(money_say(says[i].value, says[i].currency, says[i].en,
				says[i].round, &b) == 0);
		CHECK_STR(buf_str(&b), says[i].want);
	}
	buf_reset(&b);
	CHECK(money_group(1234567, 0, &b) == 0);
	CHECK_STR(buf_str(&b), "1 234 567");
	buf_release(&b);
}

int
main(void)
{
	RUN(test_rates);
	RUN(test_say);
	return test_done("money");
}
