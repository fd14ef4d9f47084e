/*
 * libFuzzer target for the INI reader behind every configuration file.
 * Build with `make fuzz`; `make check` replays fuzz/corpus/ini/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the parser hands on must be clean: no control bytes, no newline. */
static void
check(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 && *s != '\t')
			abort();
}

static int
on_section(void *ctx, const char *name, size_t line)
{
	(void)ctx;
	if (line == 0)
		abort();
	check(name);
	return 0;
}

static int
on_key(void *ctx, const char *key, const char *value, size_t line)
{
	(void)ctx;
	if (line == 0 || !*key)
		abort();
	check(key);
	check(value);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ini_handler h = { on_section, on_key };

	ini_parse("fuzz.conf", (const char *)data, size, &h, NULL);
	return 0;
}
