/*
 * Amounts and counts as firms type them (include/amount.h): each written
 * form that is read, and each that is refused with its reason.
 */
#include <stdio.h>

#include "amount.h"
#include "test.h"

#define TURNOVER_MAX 1000000000000LL
#define NBSP "\xc2\xa0"
#define NNBSP "\xe2\x80\xaf"
#define THIN "\xe2\x80\x89"

/* What s reads as: want, or refused with why (want -1). */
struct reading {
	const char *s;
	long long want;
	enum amount_why why;
};
#define READ(s, want) { s, want, AMOUNT_OK }
#define REFUSED(s, why) { s, -1, why }

static void
check(enum amount_kind kind, long long max, const struct reading *r, size_t n)
{
	enum amount_why why;
	long long v;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		v = -2;
		rc = amount_read(r[i].s, kind, max, &v, &why);
		if (rc != (r[i].why == AMOUNT_OK ? 0 : -1) || v != r[i].want ||
		    why != r[i].why) {
			fprintf(stderr, "  '%s' read as %lld (why %d), want %lld "
				"(why %d)\n", r[i].s, v, why, r[i].want, r[i].why);
			CHECK(0);
		}
	}
}

static void
test_kronor_read(void)
{
	static const struct reading r[] = {
		READ("1800000", 1800000),
		READ("1 800 000", 1800000),
		READ("1" NBSP "800" NBSP "000", 1800000),
		READ("1" NNBSP "800" NNBSP "000", 1800000),
		READ("1" THIN "800" THIN "000", 1800000),
		READ("  1 800 000\t", 1800000),
		READ("1 800 000 kr", 1800000),
		READ("1 800 000kr", 1800000),
		READ("1 800 000 kronor", 1800000),
		READ("1 800 000 SEK", 1800000),
		READ("1 800 000:-", 1800000),
		READ("1 800 000 :-", 1800000),
		READ("500,-", 500),
		READ("1 800 000,00", 1800000),
		READ("1800000.00 kr", 1800000),
		READ("1,8 milj", 1800000),
		READ("1,8 milj.", 1800000),
		READ("1,8 milj kr", 1800000),
		READ("1,8 miljoner", 1800000),
		READ("1,8 miljoner kronor", 1800000),
		READ("1 miljon", 1000000),
		READ("1,8 mkr", 1800000),
		READ("1,8 Mkr", 1800000),
		READ("1,8 MSEK", 1800000),
		READ("1,8MSEK", 1800000),
		READ("1.8 MSEK", 1800000),
		READ("1,85 mkr", 1850000),
		READ("1,234567 mkr", 1234567),
		READ("1,500 milj", 1500000),
		READ("500 tkr", 500000),
		READ("500 TSEK", 500000),
		READ("500 tusen", 500000),
		READ("500 tusen kr", 500000),
		READ("500 tusen:-", 500000),
		READ("2 mdkr", 2000000000),
		READ("2 mdr", 2000000000),
		READ("2 miljarder", 2000000000),
		READ("1,5 miljarder kronor", 1500000000),
		READ("0", 0),
		READ("0 kr", 0),
		READ("1 000 000 000 000", TURNOVER_MAX),
		READ("1000 mdkr", TURNOVER_MAX),
		READ("", -1),
		READ("   ", -1),
		READ(NBSP, -1),
	};

	check(AMOUNT_KRONOR, TURNOVER_MAX, r, sizeof r / sizeof r[0]);
}

static void
test_kronor_refused(void)
{
	static const struct reading r[] = {
		/* not figures */
		REFUSED("två miljoner", AMOUNT_NOT_NUMBER),
		REFUSED("ca 2 milj", AMOUNT_NOT_NUMBER),
		REFUSED("kr 500", AMOUNT_NOT_NUMBER),
		REFUSED("+500", AMOUNT_NOT_NUMBER),
		REFUSED("-", AMOUNT_NOT_NUMBER),
		REFUSED("500+", AMOUNT_NOT_NUMBER),
		REFUSED("1.", AMOUNT_NOT_NUMBER),
		REFUSED("1 800 000 kr!", AMOUNT_NOT_NUMBER),
		/* negative */
		REFUSED("-500", AMOUNT_NEGATIVE),
		REFUSED("- 500", AMOUNT_NEGATIVE),
		REFUSED("\xe2\x88\x92" "500", AMOUNT_NEGATIVE),
		/* a fraction of a krona */
		REFUSED("1,8", AMOUNT_NOT_WHOLE),
		REFUSED("1.8", AMOUNT_NOT_WHOLE),
		REFUSED("1,50 kr", AMOUNT_NOT_WHOLE),
		REFUSED("1 800 000,5", AMOUNT_NOT_WHOLE),
		REFUSED("1,2345678 mkr", AMOUNT_NOT_WHOLE),
		REFUSED("1,0000000001 mdkr", AMOUNT_NOT_WHOLE),
		/* thousands that read two ways, or not in threes */
		REFUSED("1.800.000", AMOUNT_SEPARATOR),
		REFUSED("1,800,000", AMOUNT_SEPARATOR),
		REFUSED("1,800", AMOUNT_SEPARATOR),
		REFUSED("1.800", AMOUNT_SEPARATOR),
		REFUSED("1.800 kr", AMOUNT_SEPARATOR),
		REFUSED("1.500 MSEK", AMOUNT_SEPARATOR),
		REFUSED("1,800 000", AMOUNT_SEPARATOR),
		REFUSED("18 00 000", AMOUNT_SEPARATOR),
		REFUSED("1800 000", AMOUNT_SEPARATOR),
		REFUSED("1 8", AMOUNT_SEPARATOR),
		REFUSED("1 8000", AMOUNT_SEPARATOR),
		/* units */
		REFUSED("5k", AMOUNT_UNIT),
		REFUSED("500 euro", AMOUNT_UNIT),
		REFUSED("1e6", AMOUNT_UNIT),
		REFUSED("2 två", AMOUNT_UNIT),
		REFUSED("1,8 mkr kr", AMOUNT_UNIT),
		REFUSED("1,8 milj euro", AMOUNT_UNIT),
		REFUSED("1,8 milj tkr", AMOUNT_UNIT),
		REFUSED("500 kr kr", AMOUNT_UNIT),
		/* too large, and no overflow on the way */
		REFUSED("1 000 000 000 001", AMOUNT_TOO_LARGE),
		REFUSED("1000,000000001 mdkr", AMOUNT_TOO_LARGE),
		REFUSED("1001 mdkr", AMOUNT_TOO_LARGE),
		REFUSED("99999999999999999999999999999999", AMOUNT_TOO_LARGE),
		REFUSED("18446744073709551617", AMOUNT_TOO_LARGE),
		REFUSED("9223372036854775808 mdkr", AMOUNT_TOO_LARGE),
	};

	check(AMOUNT_KRONOR, TURNOVER_MAX, r, sizeof r / sizeof r[0]);
}

static void
test_count(void)
{
	static const struct reading r[] = {
		READ("2", 2), READ(" 12 ", 12), READ("1 200", 1200),
		READ("1" NBSP "200", 1200), READ("0", 0), READ("", -1),
		READ("10 000 000", 10000000),
		REFUSED("två", AMOUNT_NOT_NUMBER),
		REFUSED("Två", AMOUNT_NOT_NUMBER),
		REFUSED("ca 5", AMOUNT_NOT_NUMBER),
		REFUSED("-2", AMOUNT_NEGATIVE),
		REFUSED("2,5", AMOUNT_NOT_WHOLE),
		REFUSED("2,0", AMOUNT_NOT_WHOLE),
		REFUSED("1,200", AMOUNT_SEPARATOR),
		REFUSED("1.200", AMOUNT_SEPARATOR),
		REFUSED("12 00", AMOUNT_SEPARATOR),
		REFUSED("2 st", AMOUNT_UNIT),
		REFUSED("2 anställda", AMOUNT_UNIT),
		REFUSED("2 milj", AMOUNT_UNIT),
		REFUSED("2:-", AMOUNT_UNIT),
		REFUSED("10 000 001", AMOUNT_TOO_LARGE),
	};

	check(AMOUNT_COUNT, 10000000, r, sizeof r / sizeof r[0]);
}

/* Each reason has words in both languages that differ by kind. */
static void
test_why_text(void)
{
	enum amount_why w;

	CHECK(amount_why_text(AMOUNT_OK, AMOUNT_KRONOR, "sv") == NULL);
	for (w = AMOUNT_NOT_NUMBER; w <= AMOUNT_UNIT; w++) {
		CHECK(amount_why_text(w, AMOUNT_KRONOR, "sv") != NULL);
		CHECK(amount_why_text(w, AMOUNT_KRONOR, "en") != NULL);
		CHECK(strcmp(amount_why_text(w, AMOUNT_KRONOR, "sv"),
			     amount_why_text(w, AMOUNT_KRONOR, "en")) != 0);
		CHECK(strcmp(amount_why_text(w, AMOUNT_KRONOR, "sv"),
			     amount_why_text(w, AMOUNT_COUNT, "sv")) != 0);
	}
	CHECK_STR(amount_why_text(AMOUNT_NOT_NUMBER, AMOUNT_COUNT, "sv"),
		  "skriv antalet med siffror, till exempel 2.");
}

/* What is shown is read back as the same value. */
static void
test_format_round_trip(void)
{
	static const long long v[] = {
		0, 7, 999, 1000, 12345, 1800000, 2400000, 999999999999,
		TURNOVER_MAX,
	};
	char out[AMOUNT_FORMAT_MAX], small[4];
	enum amount_why why;
	long long back;
	size_t i;

	CHECK(amount_format(1800000, out, sizeof out) == 0);
	CHECK_STR(out, "1 800 000");
	CHECK(amount_format(999, out, sizeof out) == 0);
	CHECK_STR(out, "999");
	CHECK(amount_format(1000, small, sizeof small) == -1);
	CHECK(amount_format(-1, out, sizeof out) == -1);
	CHECK(amount_format(9223372036854775807LL, out, sizeof out) == 0);
	CHECK_STR(out, "9 223 372 036 854 775 807");
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		CHECK(amount_format(v[i], out, sizeof out) == 0);
		CHECK(amount_read(out, AMOUNT_KRONOR, TURNOVER_MAX, &back,
				  &why) == 0 && back == v[i]);
	}
}

int
main(void)
{
	RUN(test_kronor_read);
	RUN(test_kronor_refused);
	RUN(test_count);
	RUN(test_why_text);
	RUN(test_format_round_trip);
	return test_done("amount");
}
