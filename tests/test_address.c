/*
 * E-mail addresses as firms type them (include/address.h): what is read
 * and stored, internationalised domains in their A-label form, what is
 * refused and why, and the stored form shown back as typed.
 */
#include <stdio.h>
#include <string.h>

#include "address.h"
#include "test.h"

static void
test_accepted(void)
{
	static const char *const ok[][2] = {
		{ "info@berglunds-maleri.example", "info@berglunds-maleri.example" },
		{ "info@räksmörgås.se", "info@xn--rksmrgs-5wao1o.se" },
		{ "kontakt@bygg-åkesson.se", "kontakt@xn--bygg-kesson-18a.se" },
		{ "Info@RÄKSMÖRGÅS.SE", "Info@xn--rksmrgs-5wao1o.se" },
		{ "info@xn--rksmrgs-5wao1o.se", "info@xn--rksmrgs-5wao1o.se" },
		{ "a@faß.de", "a@xn--fa-hia.de" },
		{ " a.b+c@Firma.SE\t", "a.b+c@firma.se" },
		{ "o'neil!#$%&*/=?^_`{|}~-@x.se", "o'neil!#$%&*/=?^_`{|}~-@x.se" },
		{ "a@mail.b2.co.uk", "a@mail.b2.co.uk" },
		{ "a@x-y.se", "a@x-y.se" },
		{ "a@example.com", "a@example.com" },
	};
	char out[ADDRESS_MAX + 1];
	enum address_why why;
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		if (address_read(ok[i][0], out, &why) < 0 || why != ADDRESS_OK ||
		    strcmp(out, ok[i][1]) != 0) {
			fprintf(stderr, "  '%s' -> '%s' (why %d), want '%s'\n",
				ok[i][0], out, why, ok[i][1]);
			CHECK(0);
		}
	}
}

static void
test_refused(void)
{
	static const struct {
		const char *typed;
		enum address_why why;
	} bad[] = {
		{ "", ADDRESS_EMPTY },
		{ "  ", ADDRESS_EMPTY },
		{ "info", ADDRESS_SYNTAX },
		{ "@x.se", ADDRESS_SYNTAX },
		{ "a@", ADDRESS_SYNTAX },
		{ "a@b@x.se", ADDRESS_SYNTAX },
		{ "Firma <a@x.se>", ADDRESS_LOCAL },
		{ "a b@x.se", ADDRESS_LOCAL },
		{ ".a@x.se", ADDRESS_LOCAL },
		{ "a.@x.se", ADDRESS_LOCAL },
		{ "a..b@x.se", ADDRESS_LOCAL },
		{ "\"a b\"@x.se", ADDRESS_LOCAL },
		{ "åsa@x.se", ADDRESS_LOCAL },
		{ "a\r\nBcc: b@x.se", ADDRESS_LOCAL },
		{ "a@x.se\r\nBcc: b", ADDRESS_DOMAIN },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		  "@x.se", ADDRESS_LOCAL },
		{ "a@localhost", ADDRESS_RESERVED },
		{ "a@LOCALHOST", ADDRESS_RESERVED },
		{ "a@mail.localhost", ADDRESS_RESERVED },
		{ "a@printer.local", ADDRESS_RESERVED },
		{ "a@x.invalid", ADDRESS_RESERVED },
		{ "a@x.test", ADDRESS_RESERVED },
		{ "a@x.onion", ADDRESS_RESERVED },
		{ "a@x.internal", ADDRESS_RESERVED },
		{ "a@router.home.arpa", ADDRESS_RESERVED },
		{ "a@host.localdomain", ADDRESS_RESERVED },
		{ "a@firma", ADDRESS_DOTLESS },
		{ "a@räksmörgås", ADDRESS_DOTLESS },
		{ "a@[192.0.2.1]", ADDRESS_LITERAL },
		{ "a@[IPv6:2001:db8::1]", ADDRESS_LITERAL },
		{ "a@192.0.2.1", ADDRESS_LITERAL },
		{ "a@x..se", ADDRESS_DOMAIN },
		{ "a@.x.se", ADDRESS_DOMAIN },
		{ "a@x.se.", ADDRESS_DOMAIN },
		{ "a@-x.se", ADDRESS_DOMAIN },
		{ "a@x-.se", ADDRESS_DOMAIN },
		{ "a@x_y.se", ADDRESS_DOMAIN },
		{ "a@x y.se", ADDRESS_DOMAIN },
		{ "a@ab--cd.se", ADDRESS_DOMAIN },
		{ "a@xn--abc.se", ADDRESS_DOMAIN },
		{ "a@\xf0\x9f\x92\xa9.la", ADDRESS_DOMAIN },
		{ "a@\xff.se", ADDRESS_DOMAIN },
		{ "a@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		  ".se", ADDRESS_DOMAIN },
	};
	char out[ADDRESS_MAX + 1], big[2048];
	enum address_why why;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		strcpy(out, "x");
		if (address_read(bad[i].typed, out, &why) == 0 ||
		    why != bad[i].why || out[0]) {
			fprintf(stderr, "  '%s' -> '%s', why %d, want why %d\n",
				bad[i].typed, out, why, bad[i].why);
			CHECK(0);
		}
	}
	/* over the 254 bytes of RFC 5321, and far over */
	memset(big, 'a', sizeof big);
	memcpy(big, "a@", 2);
	for (i = 2 + 60; i < 2 + 5 * 61; i += 61)
		big[i] = '.';
	strcpy(big + 2 + 5 * 61, "se");
	CHECK(address_read(big, out, &why) < 0 && why == ADDRESS_TOO_LONG);
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	big[1] = '@';
	CHECK(address_read(big, out, &why) < 0 && why == ADDRESS_TOO_LONG);
}

/* The stored form is shown as typed, and that reads back the same. */
static void
test_display(void)
{
	char shown[1024], back[ADDRESS_MAX + 1], small[8];
	enum address_why why;

	CHECK(address_display("info@xn--rksmrgs-5wao1o.se", shown, sizeof shown) == 0);
	CHECK_STR(shown, "info@räksmörgås.se");
	CHECK(address_read(shown, back, &why) == 0);
	CHECK_STR(back, "info@xn--rksmrgs-5wao1o.se");
	CHECK(address_display("a@firma.se", shown, sizeof shown) == 0);
	CHECK_STR(shown, "a@firma.se");
	/* not an A-label after all: shown as stored */
	CHECK(address_display("a@xn--abc.se", shown, sizeof shown) == 0);
	CHECK_STR(shown, "a@xn--abc.se");
	CHECK(address_display("a@firma.se", small, sizeof small) == -1);
}

static void
test_why_text(void)
{
	enum address_why w;

	CHECK(address_why_text(ADDRESS_OK, "sv") == NULL);
	for (w = ADDRESS_EMPTY; w <= ADDRESS_TOO_LONG; w++) {
		CHECK(address_why_text(w, "sv") && address_why_text(w, "en"));
		CHECK(strcmp(address_why_text(w, "sv"),
			     address_why_text(w, "en")) != 0);
	}
}

int
main(void)
{
	RUN(test_accepted);
	RUN(test_refused);
	RUN(test_display);
	RUN(test_why_text);
	return test_done("address");
}
