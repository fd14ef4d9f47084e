#ifndef TENDERLOTS_CODES_H
#define TENDERLOTS_CODES_H

#include <stddef.h>

/*
 * Reference code lists compiled into the binary from the TSV files in data/ (EU eForms
 * SDK code lists, CC BY 4.0): CPV 2008 and the Swedish NUTS codes.
 */
struct code_label {
	const char *code;
	const char *sv;
	const char *en;
};

extern const struct code_label cpv_codes[];
extern const size_t cpv_ncodes;
extern const struct code_label nuts_codes[];
extern const size_t nuts_ncodes;

#endif
