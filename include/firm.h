#ifndef TENDERLOTS_FIRM_H
#define TENDERLOTS_FIRM_H

#include <stddef.h>
#include <stdint.h>

/* A subscribed local firm and what it wants to hear about. */
struct firm {
	int64_t id;		/* store row id, 0 before it is stored */
	char *orgnr;		/* "NNNNNN-NNNN", Luhn-checked */
	char *name;
	char *email;
	char **cpv;		/* 8-digit codes; each covers its subtree */
	size_t ncpv;
	char **regions;		/* NUTS codes the firm serves */
	size_t nregions;
	char *language;		/* "sv" or "en" */
	long employees;		/* -1 when not given */
	long long turnover;	/* SEK per year, -1 when not given */
};

struct firm *firm_new(void);
void firm_free(struct firm *f);

struct firm_list {
	struct firm **v;
	size_t n;
};

void firm_list_release(struct firm_list *l);
int firm_list_push(struct firm_list *l, struct firm *f);

/* 1 if the digits pass the Luhn (mod 10) check. */
int luhn_valid(const char *digits, size_t n);

/*
 * Accepts a Swedish organisation or personal identity number as
 * NNNNNN-NNNN, NNNNNNNNNN or with a two-digit century prefix, checks its
 * Luhn digit and writes "NNNNNN-NNNN" into out. -1 if invalid.
 */
int orgnr_normalize(const char *in, char out[12]);

/*
 * Parses a firm register CSV (RFC 4180, comma or semicolon separated, a
 * header line naming the columns: orgnr, name, email, cpv, regions,
 * language, employees, turnover). Every bad line is reported through
 * error() as "file:line: message"; if any is bad, returns -1 and nothing.
 */
int firm_csv_parse(const char *data, size_t len, const char *filename,
		   struct firm_list *out);

#endif
