#ifndef TENDERLOTS_NOTICE_H
#define TENDERLOTS_NOTICE_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

/* What a notice means to a firm; derived from the eForms notice type. */
enum notice_kind {
	NOTICE_PLANNING,	/* prior information notice, information only */
	NOTICE_RFI,		/* pre-market consultation (E1) */
	NOTICE_COMPETITION,	/* contract notice, PIN used as call for competition */
	NOTICE_RESULT,		/* award notice */
	NOTICE_CHANGE,		/* change notice (efac:Changes present) */
	NOTICE_OTHER
};

#define LOT_SME_UNKNOWN (-1)

struct lot {
	char *id;		/* LOT-0001, PAR-0001, or LOT-0000 for an unlotted notice */
	char *title;		/* may be NULL */
	char **cpv;		/* 8-digit codes, main code first; ncpv >= 0 */
	size_t ncpv;
	int has_value;
	double value;
	char *currency;		/* NULL when unknown */
	char **nuts;		/* NUTS codes of the place of performance */
	size_t nnuts;
	int sme_suitable;	/* 1, 0 or LOT_SME_UNKNOWN */
	int has_deadline;
	time_t deadline;	/* earliest act-by instant of this lot, UTC */
};

struct notice {
	char *id;		/* notice id (UUID) */
	char *version;		/* "01" */
	char *procedure_id;	/* ContractFolderID; links PIN, RFI, CN and CAN */
	enum notice_kind kind;
	char *subtype;		/* "16", "E1", ... */
	char *title;
	char *buyer;		/* may be NULL */
	char *published;	/* YYYY-MM-DD */
	int has_deadline;
	time_t deadline;	/* earliest act-by instant over all lots, UTC */
	char *url;		/* public URL of the notice, or NULL */
	char *language;		/* notice language, e.g. "SWE" */
	struct lot *lots;
	size_t nlots;		/* always >= 1 for a parsed notice */
};

struct notice *notice_new(void);
void notice_free(struct notice *n);
/* Appends a lot with all fields empty and returns it, NULL on ENOMEM. */
struct lot *notice_add_lot(struct notice *n);
/* Appends a copy of s to a string vector; -1 on ENOMEM. */
int strvec_push(char ***vec, size_t *n, const char *s);
void strvec_free(char **vec, size_t n);

const char *notice_kind_name(enum notice_kind kind);
/* -1 if the name is unknown. */
int notice_kind_parse(const char *name, enum notice_kind *kind);

/* The `tenderlots show` JSON object for one notice (see README). */
int notice_to_json(const struct notice *n, struct buf *out);

#endif
