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

/* The subtype of a link-only notice (an RSS/Atom entry without XML). */
#define NOTICE_SUBTYPE_LINK "link"

#define LOT_SME_UNKNOWN (-1)
/* A count that the notice does not give. */
#define COUNT_UNKNOWN (-1L)

/* A text with its eForms language code ("SWE", "ENG", ...). */
struct text {
	char *lang;
	char *value;
};

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
	char *description;	/* preferred language, may be NULL */
	char *town;		/* place of performance, cbc:CityName */
	int has_questions_deadline;
	time_t questions_deadline;	/* cac:AdditionalInformationRequestPeriod */
	char *duration;		/* ISO 8601: "P48M", "P2Y", "P90D"; NULL if none */
	char *documents_url;	/* procurement documents, http(s) only */
	char *submission_url;	/* where tenders are submitted, http(s) only */
	struct text *titles;	/* the title in every language given */
	size_t ntitles;
	int framework;		/* a framework agreement: 1, 0 or
				   LOT_SME_UNKNOWN when the notice does not say */
};

/* A group of lots (GLO-nnnn) that can be awarded together. */
struct lot_group {
	char *id;
	char *title;
	char **lots;		/* member lot ids */
	size_t nlots;
	int has_value;
	double value;
	char *currency;
};

struct winner {
	char *name;
	char *id;		/* cac:PartyLegalEntity/cbc:CompanyID: for Swedish
				   firms the organisation number */
};

/* The result for one lot of an award notice. */
struct award {
	char *lot;		/* lot id */
	struct winner *winners;
	size_t nwinners;
	long tenders;		/* tenders received, or COUNT_UNKNOWN */
	long sme_tenders;	/* of which from SMEs, or COUNT_UNKNOWN */
	int has_value;
	double value;		/* awarded value */
	char *currency;
};

struct change_item {
	char *description;	/* preferred language */
	char **sections;	/* changed sections: lot ids, "PROCEDURE", ... */
	size_t nsections;
};

/* What a change notice changes (efac:Changes). */
struct changes {
	char *notice_id;	/* the changed notice */
	char *version;		/* its version, e.g. "01", or NULL */
	char *reason_code;	/* efac:ChangeReason/cbc:ReasonCode */
	char *reason;		/* its description, preferred language */
	struct change_item *items;
	size_t nitems;
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
	char *publication;	/* TED publication number, "711911-2023", or NULL */
	char *language;		/* notice language, e.g. "SWE" */
	struct lot *lots;
	size_t nlots;		/* always >= 1 for a parsed notice */

	char *description;	/* preferred language, may be NULL */
	struct text *titles;	/* the title in every language given */
	size_t ntitles;
	struct text *descriptions;
	size_t ndescriptions;
	char *buyer_id;		/* the buyer's organisation number */
	char *buyer_city;
	char *buyer_email;	/* the buyer's contact, cac:Contact; may be NULL */
	char *buyer_phone;
	char *procedure_type;	/* cbc:ProcedureCode: open, restricted, ... */
	char **cpv;		/* procedure main code first, then additional */
	size_t ncpv;
	int has_value;
	double value;		/* procedure estimated value */
	char *currency;
	char **nuts;		/* procedure place of performance */
	size_t nnuts;
	char *town;
	char *documents_url;	/* first http(s) documents URL, any level */
	char *submission_url;	/* first http(s) submission URL, any level */
	long max_lots_submitted;	/* lot distribution limits, COUNT_UNKNOWN */
	long max_lots_awarded;
	struct lot_group *groups;
	size_t ngroups;
	struct award *awards;	/* award notices: one per lot result */
	size_t nawards;
	struct changes *changes;	/* change notices, else NULL */
};

struct notice *notice_new(void);
void notice_free(struct notice *n);
/* Appends a lot with all fields empty and returns it, NULL on ENOMEM. */
struct lot *notice_add_lot(struct notice *n);
/* Appends an award with no winners and unknown counts; NULL on ENOMEM. */
struct award *notice_add_award(struct notice *n);
/*
 * Makes room for one more element in arr, an array of n elements of size
 * bytes, and returns the array, which may have moved; the new element,
 * arr[n], is zeroed. NULL on ENOMEM, and arr is left as it was.
 */
void *array_add(void *arr, size_t n, size_t size);
/* Whether a string vector holds s. */
int strvec_has(char *const *vec, size_t n, const char *s);
/* Appends a copy of s to a string vector; -1 on ENOMEM. */
int strvec_push(char ***vec, size_t *n, const char *s);
/* Appends the space-separated words of text (NULL: none); -1 on ENOMEM. */
int strvec_split(const char *text, char ***vec, size_t *n);
void strvec_free(char **vec, size_t n);

/*
 * The leading zeros to drop from s for TED's short form of a publication
 * number ("00711911-2023" is "711911-2023", as notices that refer to it
 * write it), or -1 when s is no publication number.
 */
int publication_number_zeros(const char *s);

const char *notice_kind_name(enum notice_kind kind);
/* -1 if the name is unknown. */
int notice_kind_parse(const char *name, enum notice_kind *kind);

/* The `tenderlots show` JSON object for one notice (see README). */
int notice_to_json(const struct notice *n, struct buf *out);

#endif
