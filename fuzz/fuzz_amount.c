/*
 * libFuzzer target for the reader of amounts and counts that firms type
 * into the subscribe form and the firm register. Build with `make fuzz`;
 * `make check` replays fuzz/corpus/amount/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A value read is within the cap and shows as text that reads back to it. */
static void
check(const char *s, enum amount_kind kind, long long max)
{
	char shown[AMOUNT_FORMAT_MAX];
	enum amount_why why, why2;
	long long v, back;

	if (amount_read(s, kind, max, &v, &why) < 0) {
		if (why == AMOUNT_OK || v != -1 ||
		    !amount_why_text(why, kind, "sv") ||
		    !amount_why_text(why, kind, "en"))
			abort();
		return;
	}
	if (why != AMOUNT_OK || v < -1 || v > max)
		abort();
	if (v == -1)
		return;
	if (amount_format(v, shown, sizeof shown) < 0 ||
	    amount_read(shown, kind, max, &back, &why2) < 0 || back != v)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check(s, AMOUNT_KRONOR, 1000000000000LL);
	check(s, AMOUNT_KRONOR, 9223372036854775807LL);
	check(s, AMOUNT_COUNT, 10000000);
	free(s);
	return 0;
}
