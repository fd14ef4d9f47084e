/*
 * libFuzzer target for the reader of the ECB's euro reference rates, which
 * a rates feed fetches. Build with `make fuzz`; `make check` replays
 * fuzz/corpus/rates/.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * What is read is a day's rates, SEK among them, each a currency with a
 * rate a conversion can use; what is refused says why.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct money_rates *r = NULL;
	const char *code;
	double per_eur, sek;
	char err[256] = "";
	size_t i;

	if (money_rates_parse_ecb((const char *)data, size, &r, err,
				  sizeof err) < 0) {
		if (r || !err[0])
			abort();
		return 0;
	}
	if (!r || strlen(money_rates_day(r)) != 10 ||
	    money_to_sek(r, 1, "EUR", &sek) < 0 || !(sek > 0) || isinf(sek))
		abort();
	for (i = 0; money_rates_get(r, i, &code, &per_eur) == 0; i++)
		if (strlen(code) != 3 || !(per_eur > 0) ||
		    money_to_sek(r, 1000, code, &sek) < 0 || !isfinite(sek))
			abort();
	if (i > MONEY_RATES_MAX)
		abort();
	money_rates_free(r);
	return 0;
}
