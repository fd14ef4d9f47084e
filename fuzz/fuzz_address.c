/*
 * libFuzzer target for the reader of e-mail addresses that firms type
 * into the subscribe form and the firm register. Build with `make fuzz`;
 * `make check` replays fuzz/corpus/address/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What may go into a header: ASCII that needs no quoting, one '@'. */
static void
check_stored(const char *a)
{
	const char *at = strchr(a, '@');
	size_t i;

	if (!at || strchr(at + 1, '@') || !strchr(at, '.') ||
	    strlen(a) > ADDRESS_MAX)
		abort();
	for (i = 0; a[i]; i++)
		if ((unsigned char)a[i] <= ' ' || (unsigned char)a[i] >= 0x7f ||
		    strchr("\"(),:;<>[\\]", a[i]))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[ADDRESS_MAX + 1], again[ADDRESS_MAX + 1];
	char shown[1024];
	enum address_why why;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (address_read(s, out, &why) < 0) {
		if (why == ADDRESS_OK || out[0] || !address_why_text(why, "sv") ||
		    !address_why_text(why, "en"))
			abort();
	} else {
		/* stored, it reads back unchanged, and so does what is shown */
		check_stored(out);
		if (why != ADDRESS_OK || address_read(out, again, &why) < 0 ||
		    strcmp(out, again) != 0 ||
		    address_display(out, shown, sizeof shown) < 0 ||
		    address_read(shown, again, &why) < 0 ||
		    strcmp(out, again) != 0)
			abort();
	}
	free(s);
	return 0;
}
