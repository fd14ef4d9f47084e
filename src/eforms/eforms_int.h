#ifndef TENDERLOTS_EFORMS_INT_H
#define TENDERLOTS_EFORMS_INT_H

/*
 * What the parts of the eForms reader share: the limits, the XPath
 * expressions (their text in parse.c), the state of one parse and the
 * readers of read.c. Only src/eforms/ includes it; eforms.h is the interface.
 */

#include <stddef.h>
#include <time.h>

#include <libxml/tree.h>

#include "civil.h"
#include "notice.h"
#include "xmlsafe.h"

/* Far above any real notice (the largest TED notices are a few MiB). */
#define EFORMS_MAX_INPUT (16u * 1024u * 1024u)
#define EFORMS_MAX_LOTS 10000
/* Per lot and per kind of code; real notices list a handful. */
#define EFORMS_MAX_CODES 300
/* Lots inherit the procedure's codes; this bounds what that can cost. */
#define EFORMS_MAX_TOTAL_CODES 200000
/* eForms caps titles at a few hundred characters; this is far above. */
#define EFORMS_MAX_TEXT 8192
/* Descriptions: eForms allows 6000 characters, in UTF-8 up to 4 bytes each. */
#define EFORMS_MAX_LONG_TEXT 32768
/* Identifiers end up in database keys, file names and URLs. */
#define EFORMS_MAX_TOKEN 128
/* A code or identifier after normalisation, with its NUL. */
#define CODE_MAX (EFORMS_MAX_TOKEN + 1)
/* Groups of lots; real notices have a handful, each of a few lots. */
#define EFORMS_MAX_GROUPS 1000
/* Lots in one group, sections one change names. */
#define EFORMS_MAX_MEMBERS 1000
/* Winners of one lot; frameworks with many suppliers list a few dozen. */
#define EFORMS_MAX_WINNERS 300
/* The EU has 24 official languages; a notice gives a few. */
#define EFORMS_MAX_LANGS 64
/* Organisations, tenders, parties: what one notice can refer to by id. */
#define EFORMS_MAX_REFS 100000

/*
 * Every expression is evaluated with the context node set to the root
 * element (procedure level) or to an element another expression selected
 * (a lot, a cac:ProcurementProject, a period, a result, an organisation),
 * so none needs the root's namespace, which differs per notice type.
 */
enum xp {
	XP_NOTICE_ID,
	XP_VERSION,
	XP_FOLDER,
	XP_ISSUE_DATE,
	XP_SUBTYPE,
	XP_TYPE_LIST,
	XP_CHANGES,
	XP_LANGUAGE,
	XP_PUB_DATE,
	XP_PUB_ID,
	XP_BUYER_ID,
	XP_BUYER_PROFILE,
	XP_COMPANIES,
	XP_COMPANY_ID,
	XP_COMPANY_NAME,
	XP_COMPANY_WEB,
	XP_COMPANY_EMAIL,
	XP_COMPANY_PHONE,
	XP_FRAMEWORK,
	XP_DOC_URI,
	XP_LOTS,
	XP_LOT_ID,
	XP_PROJECT,
	XP_NAME,
	XP_CPV_MAIN,
	XP_CPV_ADD,
	XP_AMOUNT,
	XP_NUTS,
	XP_COUNTRY,
	XP_ANYWHERE,
	XP_SME,
	XP_SUBMISSION,
	XP_PARTICIPATION,
	XP_INTEREST,
	XP_ANSWER,
	XP_END_DATE,
	XP_END_TIME,
	XP_SELF,
	XP_DESCRIPTION,
	XP_COMPANY_LEGAL_ID,
	XP_COMPANY_CITY,
	XP_COMPANY_COUNTRY,
	XP_PROCEDURE_CODE,
	XP_TOWN,
	XP_LOT_DOCS,
	XP_SUBMIT_URL,
	XP_ANY_SUBMIT_URL,
	XP_QUESTIONS,
	XP_DURATION,
	XP_PLANNED_START,
	XP_PLANNED_END,
	XP_FRAMEWORK_MAX,
	XP_MAX_SUBMITTED,
	XP_MAX_AWARDED,
	XP_LOTS_GROUPS,
	XP_GROUP_ID,
	XP_GROUP_LOTS,
	XP_GROUP_LOT_NODES,
	XP_RESULTS,
	XP_TOTAL,
	XP_RESULT_LOT,
	XP_RESULT_CODE,
	XP_RESULT_TENDERS,
	XP_STATS,
	XP_STAT_CODE,
	XP_STAT_NUMBER,
	XP_TENDERS,
	XP_TENDER_ID,
	XP_TENDER_PARTY,
	XP_PAYABLE,
	XP_CONTRACT_TENDERS,
	XP_PARTIES,
	XP_PARTY_ID,
	XP_TENDERERS,
	XP_TENDERER_ID,
	XP_GROUP_LEAD,
	XP_CHANGED_NOTICE,
	XP_CHANGE,
	XP_CHANGE_DESC,
	XP_CHANGED_SECTIONS,
	XP_REASON_CODE,
	XP_REASON_DESC,
	XP_COUNT
};

extern const struct xmlsafe_xpath ef_xpaths[XP_COUNT];

/* An element found by the identifier it carries, e.g. ORG-0001. */
struct ref {
	char *id;
	xmlNodePtr node;
	size_t pos;		/* document order, so the first one wins */
};

/* The elements of one kind, sorted by identifier for lookups. */
struct index {
	struct ref *v;
	size_t n;
};

/* A lot's codes and places before they are moved into a struct lot. */
struct codes {
	char **v;
	size_t n;
};

/* The state of one eforms_parse() call. */
struct parse {
	struct xmlsafe x;
	struct notice *n;
	size_t ncodes;		/* CPV and NUTS codes over all lots */
	size_t ntenderers;	/* tenderers looked at over all results */
	struct index orgs;	/* efac:Company by cac:PartyIdentification */
	struct codes buyer_country;	/* the buyer's, as a place */
};

/* An xs:date or xs:time as read, and whether it named its zone. */
struct stamp {
	struct civil c;
	int has_zone;
};

/*
 * The notice, part by part, each into ps->n: its identity, kind and buyer
 * (procedure.c) first, as the other parts read the notice's language and
 * organisations; then what it says of the procedure (procedure.c), of its
 * groups of lots, and its lots (lots.c), results (results.c) and changes
 * (changes.c). Each returns 0, or -1 with the reason in ps->x.
 */
int ef_notice_header(struct parse *ps);
int ef_notice_procedure(struct parse *ps);
int ef_notice_groups(struct parse *ps);
int ef_notice_lots(struct parse *ps);
int ef_notice_results(struct parse *ps);
int ef_notice_changes(struct parse *ps);

/* The readers the parts share (read.c): texts, in their languages. */
int ef_text_of(struct parse *ps, xmlNodePtr node, enum xp id, char **out);
int ef_get_node_text(struct parse *ps, enum xp id, xmlNodePtr at,
		     xmlNodePtr *node, char **out);
int ef_get_text(struct parse *ps, enum xp id, xmlNodePtr at, char **out);
int ef_get_token(struct parse *ps, enum xp id, xmlNodePtr at, char **out);
int ef_get_lang_text(struct parse *ps, enum xp id, xmlNodePtr at,
		     char **out);
int ef_lang_texts(struct parse *ps, enum xp id, xmlNodePtr at,
		  struct text **out, size_t *nout);
int ef_first_web_url(struct parse *ps, enum xp id, xmlNodePtr at,
		     char **out);
int ef_has_node(struct parse *ps, enum xp id, xmlNodePtr at, int *found);
int ef_copy_text(struct parse *ps, const char *s, char **out);
int ef_short_publication_number(char *s);

/* Elements by the identifier they carry. */
int ef_index_build(struct parse *ps, enum xp list, enum xp id,
		   struct index *ix);
xmlNodePtr ef_index_find(const struct index *ix, const char *id);
void ef_index_free(struct index *ix);

/* Dates, codes, amounts and counts. */
int ef_parse_date(const char *s, struct stamp *t);
int ef_period_end(struct parse *ps, enum xp id, xmlNodePtr lot, int *found,
		  time_t *out);
int ef_norm_country(const char *s, char out[CODE_MAX]);
int ef_norm_token(const char *s, char out[CODE_MAX]);
int ef_add_codes(struct parse *ps, enum xp id, xmlNodePtr at, int max,
		 struct codes *c, int (*norm)(const char *, char[CODE_MAX]));
int ef_is_count(const char *s);
int ef_get_amount(struct parse *ps, enum xp id, xmlNodePtr at, int *has,
		  double *value, char **currency);
int ef_get_count(struct parse *ps, enum xp id, xmlNodePtr at, long *out);

#endif
