/*
 * libFuzzer target for the firm register CSV reader. Build with
 * `make fuzz`; `make check` replays fuzz/corpus/csv/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "category.h"
#include "firm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *cpv_maleri[] = { "45442100" };
static struct category cats[] = {
	{ .key = "maleri", .name_sv = "Måleri", .name_en = "Painting",
	  .cpv = cpv_maleri, .ncpv = 1 },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct category_set cs = { .v = cats, .n = 1 };
	struct firm_list firms = { 0 };
	unsigned bad = 0;
	size_t i;

	if (firm_csv_parse((const char *)data, size, "fuzz.csv", &cs, &firms,
			   &bad) == 0) {
		/* What is kept must be what the store can take as it is. */
		for (i = 0; i < firms.n; i++) {
			const struct firm *f = firms.v[i];

			if (strlen(f->orgnr) != 11 || f->orgnr[6] != '-' ||
			    !f->name[0] || !strchr(f->email, '@') ||
			    (f->ncpv == 0 && f->ncategories == 0) || f->nregions == 0)
				abort();
		}
	}
	firm_list_release(&firms);
	return 0;
}
