#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>

#include "civil.h"
#include "cpv.h"
#include "eforms.h"
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

#define EXT "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/" \
	    "efext:EformsExtension"
#define DOCS "cac:TenderingTerms/cac:CallForTendersDocumentReference/" \
	     "cac:Attachment/cac:ExternalReference/cbc:URI"
#define SUBMIT "cac:TenderingTerms/cac:TenderRecipientParty/cbc:EndpointID"
#define LOTDIST "cac:TenderingTerms/cac:LotDistribution"
#define RESULT EXT "/efac:NoticeResult"

#define TED_NOTICE_URL "https://ted.europa.eu/en/notice/-/detail/"

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

static const struct xmlsafe_xpath xpaths[XP_COUNT] = {
	[XP_NOTICE_ID] = { "cbc:ID[@schemeName='notice-id']",
			   "notice id (cbc:ID[@schemeName='notice-id'])" },
	[XP_VERSION] = { "cbc:VersionID", "cbc:VersionID" },
	[XP_FOLDER] = { "cbc:ContractFolderID", "cbc:ContractFolderID" },
	[XP_ISSUE_DATE] = { "cbc:IssueDate", "cbc:IssueDate" },
	[XP_SUBTYPE] = { EXT "/efac:NoticeSubType/cbc:SubTypeCode",
			 "notice subtype (efac:NoticeSubType/cbc:SubTypeCode)" },
	[XP_TYPE_LIST] = { "cbc:NoticeTypeCode/@listName",
			   "cbc:NoticeTypeCode/@listName" },
	[XP_CHANGES] = { EXT "/efac:Changes", "efac:Changes" },
	[XP_LANGUAGE] = { "cbc:NoticeLanguageCode", "cbc:NoticeLanguageCode" },
	[XP_PUB_DATE] = { EXT "/efac:Publication/efbc:PublicationDate",
			  "efac:Publication/efbc:PublicationDate" },
	[XP_PUB_ID] = { EXT "/efac:Publication/efbc:NoticePublicationID",
			"efac:Publication/efbc:NoticePublicationID" },
	[XP_BUYER_ID] = { "cac:ContractingParty[1]/cac:Party/"
			  "cac:PartyIdentification/cbc:ID",
			  "cac:ContractingParty/cac:Party/"
			  "cac:PartyIdentification/cbc:ID" },
	[XP_BUYER_PROFILE] = { "cac:ContractingParty[1]/cbc:BuyerProfileURI",
			       "cac:ContractingParty/cbc:BuyerProfileURI" },
	[XP_COMPANIES] = { EXT "/efac:Organizations/efac:Organization/"
			   "efac:Company", "efac:Organization/efac:Company" },
	[XP_COMPANY_ID] = { "cac:PartyIdentification/cbc:ID",
			    "efac:Company/cac:PartyIdentification/cbc:ID" },
	[XP_COMPANY_NAME] = { "cac:PartyName/cbc:Name",
			      "efac:Company/cac:PartyName/cbc:Name" },
	[XP_COMPANY_WEB] = { "cbc:WebsiteURI", "efac:Company/cbc:WebsiteURI" },
	[XP_COMPANY_EMAIL] = { "cac:Contact/cbc:ElectronicMail",
			       "efac:Company/cac:Contact/cbc:ElectronicMail" },
	[XP_COMPANY_PHONE] = { "cac:Contact/cbc:Telephone",
			       "efac:Company/cac:Contact/cbc:Telephone" },
	[XP_FRAMEWORK] = { "cac:TenderingProcess/cac:ContractingSystem/"
			   "cbc:ContractingSystemTypeCode"
			   "[@listName='framework-agreement']",
			   "cbc:ContractingSystemTypeCode" },
	[XP_DOC_URI] = { DOCS " | cac:ProcurementProjectLot/" DOCS,
			 "cac:CallForTendersDocumentReference/cbc:URI" },
	[XP_LOTS] = { "cac:ProcurementProjectLot[cbc:ID/@schemeName='Lot' or "
		      "cbc:ID/@schemeName='Part']", "cac:ProcurementProjectLot" },
	[XP_LOT_ID] = { "cbc:ID", "cac:ProcurementProjectLot/cbc:ID" },
	[XP_PROJECT] = { "cac:ProcurementProject", "cac:ProcurementProject" },
	[XP_NAME] = { "cbc:Name", "cac:ProcurementProject/cbc:Name" },
	[XP_CPV_MAIN] = { "cac:MainCommodityClassification/"
			  "cbc:ItemClassificationCode",
			  "cac:MainCommodityClassification" },
	[XP_CPV_ADD] = { "cac:AdditionalCommodityClassification/"
			 "cbc:ItemClassificationCode",
			 "cac:AdditionalCommodityClassification" },
	[XP_AMOUNT] = { "cac:RequestedTenderTotal/"
			"cbc:EstimatedOverallContractAmount",
			"cbc:EstimatedOverallContractAmount" },
	[XP_NUTS] = { "cac:RealizedLocation/cac:Address/"
		      "cbc:CountrySubentityCode",
		      "cac:RealizedLocation/cac:Address/cbc:CountrySubentityCode" },
	/* An address's country counts only where it names no region in it. */
	[XP_COUNTRY] = { "cac:RealizedLocation/cac:Address"
			 "[not(cbc:CountrySubentityCode)]/"
			 "cac:Country/cbc:IdentificationCode",
			 "cac:RealizedLocation/cac:Address/cac:Country" },
	/* Anywhere, or anywhere in the EEA: no place to match. */
	[XP_ANYWHERE] = { "cac:RealizedLocation/cac:Address[cbc:Region='anyw' "
			  "or cbc:Region='anyw-eea']",
			  "cac:RealizedLocation/cac:Address/cbc:Region" },
	[XP_SME] = { "cbc:SMESuitableIndicator", "cbc:SMESuitableIndicator" },
	[XP_SUBMISSION] = { "cac:TenderingProcess/"
			    "cac:TenderSubmissionDeadlinePeriod",
			    "cac:TenderSubmissionDeadlinePeriod" },
	[XP_PARTICIPATION] = { "cac:TenderingProcess/"
			       "cac:ParticipationRequestReceptionPeriod",
			       "cac:ParticipationRequestReceptionPeriod" },
	[XP_INTEREST] = { "cac:TenderingProcess/" EXT
			  "/efac:InterestExpressionReceptionPeriod",
			  "efac:InterestExpressionReceptionPeriod" },
	[XP_ANSWER] = { "cac:TenderingProcess/" EXT "/efac:AnswerReceptionPeriod",
			"efac:AnswerReceptionPeriod" },
	[XP_END_DATE] = { "cbc:EndDate", "cbc:EndDate" },
	[XP_END_TIME] = { "cbc:EndTime", "cbc:EndTime" },
	[XP_SELF] = { ".", "cbc:ID" },
	[XP_DESCRIPTION] = { "cbc:Description",
			     "cac:ProcurementProject/cbc:Description" },
	[XP_COMPANY_LEGAL_ID] = { "cac:PartyLegalEntity/cbc:CompanyID",
				  "efac:Company/cac:PartyLegalEntity/"
				  "cbc:CompanyID" },
	[XP_COMPANY_CITY] = { "cac:PostalAddress/cbc:CityName",
			      "efac:Company/cac:PostalAddress/cbc:CityName" },
	[XP_COMPANY_COUNTRY] = { "cac:PostalAddress/cac:Country/"
				 "cbc:IdentificationCode",
				 "efac:Company/cac:PostalAddress/cac:Country" },
	[XP_PROCEDURE_CODE] = { "cac:TenderingProcess/cbc:ProcedureCode",
				"cac:TenderingProcess/cbc:ProcedureCode" },
	[XP_TOWN] = { "cac:RealizedLocation/cac:Address/cbc:CityName",
		      "cac:RealizedLocation/cac:Address/cbc:CityName" },
	[XP_LOT_DOCS] = { DOCS, "cac:CallForTendersDocumentReference/cbc:URI" },
	[XP_SUBMIT_URL] = { SUBMIT, "cac:TenderRecipientParty/cbc:EndpointID" },
	[XP_ANY_SUBMIT_URL] = { SUBMIT " | cac:ProcurementProjectLot/" SUBMIT,
				"cac:TenderRecipientParty/cbc:EndpointID" },
	[XP_QUESTIONS] = { "cac:TenderingProcess/"
			   "cac:AdditionalInformationRequestPeriod",
			   "cac:AdditionalInformationRequestPeriod" },
	[XP_DURATION] = { "cac:PlannedPeriod/cbc:DurationMeasure",
			  "cac:PlannedPeriod/cbc:DurationMeasure" },
	[XP_PLANNED_START] = { "cac:PlannedPeriod/cbc:StartDate",
			       "cac:PlannedPeriod/cbc:StartDate" },
	[XP_PLANNED_END] = { "cac:PlannedPeriod/cbc:EndDate",
			     "cac:PlannedPeriod/cbc:EndDate" },
	[XP_FRAMEWORK_MAX] = { "cac:RequestedTenderTotal/" EXT
			       "/efbc:FrameworkMaximumAmount",
			       "efbc:FrameworkMaximumAmount" },
	[XP_MAX_SUBMITTED] = { LOTDIST "/cbc:MaximumLotsSubmittedNumeric",
			       "cbc:MaximumLotsSubmittedNumeric" },
	[XP_MAX_AWARDED] = { LOTDIST "/cbc:MaximumLotsAwardedNumeric",
			     "cbc:MaximumLotsAwardedNumeric" },
	[XP_LOTS_GROUPS] = { LOTDIST "/cac:LotsGroup", "cac:LotsGroup" },
	[XP_GROUP_ID] = { "cbc:LotsGroupID", "cac:LotsGroup/cbc:LotsGroupID" },
	[XP_GROUP_LOTS] = { "cac:ProcurementProjectLotReference/cbc:ID",
			    "cac:LotsGroup/cac:ProcurementProjectLotReference/"
			    "cbc:ID" },
	[XP_GROUP_LOT_NODES] = { "cac:ProcurementProjectLot[cbc:ID/"
				 "@schemeName='LotsGroup']",
				 "cac:ProcurementProjectLot" },
	[XP_RESULTS] = { RESULT "/efac:LotResult", "efac:LotResult" },
	[XP_TOTAL] = { RESULT "/cbc:TotalAmount",
		       "efac:NoticeResult/cbc:TotalAmount" },
	[XP_RESULT_LOT] = { "efac:TenderLot/cbc:ID",
			    "efac:LotResult/efac:TenderLot/cbc:ID" },
	[XP_RESULT_CODE] = { "cbc:TenderResultCode",
			     "efac:LotResult/cbc:TenderResultCode" },
	[XP_RESULT_TENDERS] = { "efac:LotTender/cbc:ID",
				"efac:LotResult/efac:LotTender/cbc:ID" },
	[XP_STATS] = { "efac:ReceivedSubmissionsStatistics",
		       "efac:ReceivedSubmissionsStatistics" },
	[XP_STAT_CODE] = { "efbc:StatisticsCode", "efbc:StatisticsCode" },
	[XP_STAT_NUMBER] = { "efbc:StatisticsNumeric",
			     "efbc:StatisticsNumeric" },
	[XP_TENDERS] = { RESULT "/efac:LotTender", "efac:LotTender" },
	[XP_TENDER_ID] = { "cbc:ID", "efac:LotTender/cbc:ID" },
	[XP_TENDER_PARTY] = { "efac:TenderingParty/cbc:ID",
			      "efac:LotTender/efac:TenderingParty/cbc:ID" },
	[XP_PAYABLE] = { "cac:LegalMonetaryTotal/cbc:PayableAmount",
			 "cac:LegalMonetaryTotal/cbc:PayableAmount" },
	[XP_CONTRACT_TENDERS] = { RESULT "/efac:SettledContract/"
				  "efac:LotTender/cbc:ID",
				  "efac:SettledContract/efac:LotTender/"
				  "cbc:ID" },
	[XP_PARTIES] = { RESULT "/efac:TenderingParty", "efac:TenderingParty" },
	[XP_PARTY_ID] = { "cbc:ID", "efac:TenderingParty/cbc:ID" },
	[XP_TENDERERS] = { "efac:Tenderer", "efac:Tenderer" },
	[XP_TENDERER_ID] = { "cbc:ID", "efac:Tenderer/cbc:ID" },
	[XP_GROUP_LEAD] = { "efbc:GroupLeadIndicator",
			    "efac:Tenderer/efbc:GroupLeadIndicator" },
	[XP_CHANGED_NOTICE] = { "efbc:ChangedNoticeIdentifier",
				"efac:Changes/efbc:ChangedNoticeIdentifier" },
	[XP_CHANGE] = { "efac:Change", "efac:Change" },
	[XP_CHANGE_DESC] = { "efbc:ChangeDescription",
			     "efac:Change/efbc:ChangeDescription" },
	/* SDK 1.3 put the identifier straight under efac:Change. */
	[XP_CHANGED_SECTIONS] = { "efac:ChangedSection/"
				  "efbc:ChangedSectionIdentifier"
				  " | efbc:ChangedSectionIdentifier",
				  "efac:ChangedSection/"
				  "efbc:ChangedSectionIdentifier" },
	[XP_REASON_CODE] = { "efac:ChangeReason/cbc:ReasonCode",
			     "efac:ChangeReason/cbc:ReasonCode" },
	[XP_REASON_DESC] = { "efac:ChangeReason/efbc:ReasonDescription",
			     "efac:ChangeReason/efbc:ReasonDescription" },
};

static const struct xmlsafe_ns namespaces[] = {
	{ "cbc", "urn:oasis:names:specification:ubl:schema:xsd:"
		 "CommonBasicComponents-2" },
	{ "cac", "urn:oasis:names:specification:ubl:schema:xsd:"
		 "CommonAggregateComponents-2" },
	{ "ext", "urn:oasis:names:specification:ubl:schema:xsd:"
		 "CommonExtensionComponents-2" },
	{ "efac", "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-"
		  "components/1" },
	{ "efext", "http://data.europa.eu/p27/eforms-ubl-extensions/1" },
	{ "efbc", "http://data.europa.eu/p27/eforms-ubl-extension-basic-"
		  "components/1" },
};

#define UBL_DOC_NS "urn:oasis:names:specification:ubl:schema:xsd:"

static const char *const root_names[] = {
	"ContractNotice",
	"PriorInformationNotice",
	"ContractAwardNotice",
};

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

/*
 * A parser is nothing but its compiled expressions: struct eforms_parser
 * is only the name eforms.h gives them, and never defined.
 */
struct eforms_parser *
eforms_parser_new(void)
{
	size_t nns = sizeof(namespaces) / sizeof(namespaces[0]);

	return (struct eforms_parser *)xmlsafe_compile(xpaths, XP_COUNT,
						        namespaces, nns);
}

void
eforms_parser_free(struct eforms_parser *p)
{
	xmlsafe_free_compiled((struct xmlsafe_xpaths *)p);
}

static int
check_root(struct parse *ps)
{
	xmlNodePtr root = ps->x.root;
	char want[128];
	size_t i;

	for (i = 0; i < sizeof(root_names) / sizeof(root_names[0]); i++) {
		if (strcmp((const char *)root->name, root_names[i]) != 0)
			continue;
		snprintf(want, sizeof(want), UBL_DOC_NS "%s-2", root_names[i]);
		if (root->ns && strcmp((const char *)root->ns->href, want) == 0)
			return 0;
	}
	return xmlsafe_fail(&ps->x, "unknown root element '%.64s': not an "
			    "eForms notice", (const char *)root->name);
}

/*
 * The text of node, which expression id selected, with whitespace runs
 * collapsed to one space, as titles come wrapped and indented. *out is NULL
 * when node is NULL or the text is blank, so absent and empty are one case
 * for the callers.
 */
static int
text_of(struct parse *ps, xmlNodePtr node, enum xp id, char **out)
{
	size_t max = id == XP_DESCRIPTION || id == XP_CHANGE_DESC ||
		     id == XP_REASON_DESC ? EFORMS_MAX_LONG_TEXT :
					    EFORMS_MAX_TEXT;
	size_t len;

	if (xmlsafe_node_text(node, max, XMLSAFE_BLANKS_SPACE, NULL, out,
			      &len) < 0)
		return xmlsafe_oom(&ps->x);
	if (len > max) {
		free(*out);
		*out = NULL;
		return xmlsafe_fail(&ps->x, "%s: text too long (%zu bytes, "
				    "max %zu)", xpaths[id].name, len, max);
	}
	return 0;
}

/* The text of the first node expression id selects from at, and the
 * node, whose attributes qualify some texts. */
static int
get_node_text(struct parse *ps, enum xp id, xmlNodePtr at, xmlNodePtr *node,
	      char **out)
{
	*out = NULL;
	if (xmlsafe_first(&ps->x, id, at, node) < 0)
		return -1;
	return text_of(ps, *node, id, out);
}

static int
get_text(struct parse *ps, enum xp id, xmlNodePtr at, char **out)
{
	xmlNodePtr node;

	return get_node_text(ps, id, at, &node, out);
}

/* Identifiers must stay safe wherever they are used as keys or in paths. */
static int
is_token(const char *s)
{
	size_t len = 0;

	for (; *s; s++, len++) {
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || strchr("-_.:/", *s)))
			return 0;
	}
	return len > 0 && len <= EFORMS_MAX_TOKEN;
}

static int
get_token(struct parse *ps, enum xp id, xmlNodePtr at, char **out)
{
	if (get_text(ps, id, at, out) < 0)
		return -1;
	if (*out && !is_token(*out)) {
		xmlsafe_fail(&ps->x, "%s: bad identifier '%.40s'",
			     xpaths[id].name, *out);
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/*
 * Swedish readers first, then English, then whatever the notice gives
 * first; buyers write names in their own language and often in English.
 */
static int
get_lang_text(struct parse *ps, enum xp id, xmlNodePtr at, char **out)
{
	static const char *const prefs[] = { "SWE", "ENG" };
	struct xmlsafe_nodes nodes;
	xmlNodePtr pick = NULL;
	xmlChar *lang;
	size_t p;
	int i, rank = 2, rc;

	*out = NULL;
	if (xmlsafe_eval(&ps->x, id, at, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n && rank > 0; i++) {
		xmlNodePtr node = nodes.v[i];

		if (!pick)
			pick = node;
		lang = xmlGetNoNsProp(node, (const xmlChar *)"languageID");
		for (p = 0; lang && p < (size_t)rank; p++) {
			if (strcmp((const char *)lang, prefs[p]) == 0) {
				pick = node;
				rank = (int)p;
			}
		}
		xmlFree(lang);
	}
	rc = text_of(ps, pick, id, out);
	xmlsafe_nodes_free(&nodes);
	return rc;
}

static int
has_node(struct parse *ps, enum xp id, xmlNodePtr at, int *found)
{
	xmlNodePtr node;

	if (xmlsafe_first(&ps->x, id, at, &node) < 0)
		return -1;
	*found = node != NULL;
	return 0;
}

/* Language codes become JSON keys and database values: 2 or 3 letters. */
static int
is_language(const char *s)
{
	size_t i = 0;

	while ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))
		i++;
	return s[i] == '\0' && (i == 2 || i == 3);
}

/*
 * The text in every language the notice gives, in document order; a text
 * without languageID is in the notice's language, and a language given
 * twice keeps its first text.
 */
static int
lang_texts(struct parse *ps, enum xp id, xmlNodePtr at, struct text **out,
	   size_t *nout)
{
	struct xmlsafe_nodes nodes = { NULL, 0, NULL };
	xmlChar *attr = NULL;
	const char *lang;
	struct text *t;
	char *value = NULL;
	size_t j;
	int i, rc = -1;

	if (xmlsafe_eval(&ps->x, id, at, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n; i++) {
		xmlNodePtr node = nodes.v[i];

		xmlFree(attr);
		attr = xmlGetNoNsProp(node, (const xmlChar *)"languageID");
		lang = attr ? (const char *)attr : ps->n->language;
		if (!lang || (!attr && !is_language(lang)))
			continue;
		if (!is_language(lang)) {
			xmlsafe_fail(&ps->x, "%s: bad languageID '%.40s'",
				     xpaths[id].name, lang);
			goto out;
		}
		for (j = 0; j < *nout && strcmp((*out)[j].lang, lang) != 0; j++)
			;
		if (j < *nout)
			continue;
		if (*nout == EFORMS_MAX_LANGS) {
			xmlsafe_fail(&ps->x, "%s: too many languages (max %d)",
				     xpaths[id].name, EFORMS_MAX_LANGS);
			goto out;
		}
		if (text_of(ps, node, id, &value) < 0)
			goto out;
		if (!value)
			continue;
		if (!(t = array_add(*out, *nout, sizeof(**out)))) {
			xmlsafe_oom(&ps->x);
			goto out;
		}
		*out = t;
		t[*nout].value = value;
		value = NULL;
		if (!(t[(*nout)++].lang = strdup(lang))) {
			xmlsafe_oom(&ps->x);
			goto out;
		}
	}
	rc = 0;
out:
	free(value);
	xmlFree(attr);
	xmlsafe_nodes_free(&nodes);
	return rc;
}

/*
 * Only web addresses are passed on: URLs end up as links in mails, where
 * javascript:, file: or data: would be a hazard.
 */
static int
is_web_url(const char *s)
{
	size_t i, start;

	if (!s)
		return 0;
	if (strncmp(s, "https://", 8) == 0)
		start = 8;
	else if (strncmp(s, "http://", 7) == 0)
		start = 7;
	else
		return 0;
	for (i = start; s[i]; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return 0;
	return i > start;
}

/* The first web address expression id selects, in document order. */
static int
first_web_url(struct parse *ps, enum xp id, xmlNodePtr at, char **out)
{
	struct xmlsafe_nodes nodes;
	int i, rc = 0;

	*out = NULL;
	if (xmlsafe_eval(&ps->x, id, at, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n && !*out && rc == 0; i++) {
		rc = text_of(ps, nodes.v[i], id, out);
		if (!is_web_url(*out)) {
			free(*out);
			*out = NULL;
		}
	}
	xmlsafe_nodes_free(&nodes);
	return rc;
}

/* ---- references by identifier ------------------------------------------- */

static int
ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void
index_free(struct index *ix)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		free(ix->v[i].id);
	free(ix->v);
	ix->v = NULL;
	ix->n = 0;
}

/* The elements list selects from the root, each by the text of id in it. */
static int
index_build(struct parse *ps, enum xp list, enum xp id, struct index *ix)
{
	struct xmlsafe_nodes nodes;
	char *text;
	int i, rc = -1;

	if (xmlsafe_eval(&ps->x, list, ps->x.root, &nodes) < 0)
		return -1;
	if (nodes.n > EFORMS_MAX_REFS) {
		xmlsafe_fail(&ps->x, "too many %s (max %d)", xpaths[list].name,
			     EFORMS_MAX_REFS);
		goto out;
	}
	if (nodes.n > 0 && !(ix->v = calloc((size_t)nodes.n, sizeof(*ix->v)))) {
		xmlsafe_oom(&ps->x);
		goto out;
	}
	for (i = 0; i < nodes.n; i++) {
		if (get_text(ps, id, nodes.v[i], &text) < 0)
			goto out;
		if (text) {
			ix->v[ix->n].id = text;
			ix->v[ix->n].node = nodes.v[i];
			ix->v[ix->n].pos = (size_t)i;
			ix->n++;
		}
	}
	if (ix->n)
		qsort(ix->v, ix->n, sizeof(*ix->v), ref_cmp);
	rc = 0;
out:
	xmlsafe_nodes_free(&nodes);
	return rc;
}

/* The first element, in document order, that carries id; NULL if none. */
static xmlNodePtr
index_find(const struct index *ix, const char *id)
{
	size_t lo = 0, hi = ix->n, mid;

	if (!id)
		return NULL;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(ix->v[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->n && strcmp(ix->v[lo].id, id) == 0 ?
	       ix->v[lo].node : NULL;
}

/* ---- dates and times ---------------------------------------------------- */

struct stamp {
	struct civil c;
	int has_zone;
};

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* "Z", "+02:00", "-05:30" or nothing; anything else is an error. */
static int
parse_zone(const char *s, struct stamp *t)
{
	int h, m;

	if (*s == '\0')
		return 0;
	t->has_zone = 1;
	if (strcmp(s, "Z") == 0)
		return 0;
	if ((s[0] != '+' && s[0] != '-') || digits(s + 1, 2, &h) < 0 ||
	    s[3] != ':' || digits(s + 4, 2, &m) < 0 || s[6] != '\0' ||
	    h > 14 || m > 59 || (h == 14 && m != 0))
		return -1;
	t->c.zone = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return 0;
}

/* xs:date: YYYY-MM-DD with an optional zone. */
static int
parse_date(const char *s, struct stamp *t)
{
	memset(t, 0, sizeof(*t));
	if (strlen(s) < 10 || digits(s, 4, &t->c.year) < 0 || s[4] != '-' ||
	    digits(s + 5, 2, &t->c.mon) < 0 || s[7] != '-' ||
	    digits(s + 8, 2, &t->c.day) < 0 || parse_zone(s + 10, t) < 0 ||
	    !civil_date_valid(t->c.year, t->c.mon, t->c.day))
		return -1;
	return 0;
}

/* xs:time: HH:MM:SS with optional fraction (dropped) and zone. */
static int
parse_time(const char *s, struct stamp *t)
{
	size_t i = 8;

	t->has_zone = 0;
	t->c.zone = 0;
	if (strlen(s) < 8 || digits(s, 2, &t->c.hour) < 0 || s[2] != ':' ||
	    digits(s + 3, 2, &t->c.min) < 0 || s[5] != ':' ||
	    digits(s + 6, 2, &t->c.sec) < 0)
		return -1;
	if (s[i] == '.') {
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == 9)
			return -1;
	}
	if (parse_zone(s + i, t) < 0 || t->c.hour > 23 || t->c.min > 59 ||
	    t->c.sec > 59)
		return -1;
	return 0;
}

/*
 * The instant a period ends. A date without a time means the end of that
 * day; the time's zone wins over the date's, and no zone at all is UTC.
 */
static int
period_end(struct parse *ps, enum xp id, xmlNodePtr lot, int *found,
	   time_t *out)
{
	xmlNodePtr period;
	char *date = NULL, *tm = NULL;
	struct stamp d, t;
	int rc = -1;

	*found = 0;
	if (xmlsafe_first(&ps->x, id, lot, &period) < 0 ||
	    get_text(ps, XP_END_DATE, period, &date) < 0 ||
	    get_text(ps, XP_END_TIME, period, &tm) < 0)
		goto out;
	if (!date && tm) {
		xmlsafe_fail(&ps->x, "%s: cbc:EndTime without cbc:EndDate",
			     xpaths[id].name);
		goto out;
	}
	if (!date) {
		rc = 0;
		goto out;
	}
	if (parse_date(date, &d) < 0) {
		xmlsafe_fail(&ps->x, "%s/cbc:EndDate: bad date '%.40s'",
			     xpaths[id].name, date);
		goto out;
	}
	t = d;
	t.c.hour = 23;
	t.c.min = 59;
	t.c.sec = 59;
	if (tm && parse_time(tm, &t) < 0) {
		xmlsafe_fail(&ps->x, "%s/cbc:EndTime: bad time '%.40s'",
			     xpaths[id].name, tm);
		goto out;
	}
	if (!t.has_zone)
		t.c.zone = d.c.zone;
	if (civil_time(&t.c, out) < 0) {
		xmlsafe_fail(&ps->x, "%s: date out of range", xpaths[id].name);
		goto out;
	}
	*found = 1;
	rc = 0;
out:
	free(date);
	free(tm);
	return rc;
}

static int
lot_deadline(struct parse *ps, xmlNodePtr lot, struct lot *l)
{
	static const enum xp periods[] = {
		XP_SUBMISSION, XP_PARTICIPATION, XP_INTEREST, XP_ANSWER,
	};
	size_t i;
	time_t t;
	int found;

	for (i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
		if (period_end(ps, periods[i], lot, &found, &t) < 0)
			return -1;
		if (found && (!l->has_deadline || t < l->deadline)) {
			l->deadline = t;
			l->has_deadline = 1;
		}
	}
	/* Questions are not an act-by instant: they never move deadline. */
	return period_end(ps, XP_QUESTIONS, lot, &l->has_questions_deadline,
			  &l->questions_deadline);
}

/* ---- codes, amounts, flags ---------------------------------------------- */

/* CPV codes come as "45000000" or with their check digit, "45000000-7". */
static int
norm_cpv(const char *s, char out[CODE_MAX])
{
	size_t i;

	for (i = 0; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	if (s[8] != '\0' && !(s[8] == '-' && s[9] >= '0' && s[9] <= '9' &&
			      s[10] == '\0'))
		return -1;
	memcpy(out, s, 8);
	out[8] = '\0';
	return 0;
}

/* NUTS codes: country letters then up to three levels, e.g. "SE110". */
static int
norm_nuts(const char *s, char out[CODE_MAX])
{
	size_t i, len = strlen(s);

	if (len < 2 || len > 5)
		return -1;
	for (i = 0; i < len; i++) {
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		      (i >= 2 && s[i] >= '0' && s[i] <= '9')))
			return -1;
	}
	memcpy(out, s, len + 1);
	return 0;
}

/*
 * A country (ISO alpha-3, "EST") as a place: its NUTS code ("EE"), so that
 * it overlaps its regions; one outside NUTS stays as given.
 */
static int
norm_country(const char *s, char out[CODE_MAX])
{
	const char *nuts;
	size_t i;

	for (i = 0; i < 3; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return -1;
	if (s[3])
		return -1;
	nuts = nuts_country(s);
	memcpy(out, nuts ? nuts : s, strlen(nuts ? nuts : s) + 1);
	return 0;
}

/* Lot references and changed sections: identifiers; others are skipped. */
static int
norm_token(const char *s, char out[CODE_MAX])
{
	if (!is_token(s))
		return -1;
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

/*
 * Appends the codes expression id selects, normalised, without repeats;
 * codes norm refuses are skipped. At most max may be given.
 */
static int
add_codes(struct parse *ps, enum xp id, xmlNodePtr at, int max,
	  struct codes *c, int (*norm)(const char *, char[CODE_MAX]))
{
	struct xmlsafe_nodes nodes = { NULL, 0, NULL };
	char *text = NULL, code[CODE_MAX];
	size_t j;
	int i, rc = -1;

	if (xmlsafe_eval(&ps->x, id, at, &nodes) < 0)
		return -1;
	if (nodes.n > max) {
		xmlsafe_fail(&ps->x, "%s: too many codes (max %d)",
			     xpaths[id].name, max);
		goto out;
	}
	for (i = 0; i < nodes.n; i++) {
		if (text_of(ps, nodes.v[i], id, &text) < 0)
			goto out;
		if (text && norm(text, code) == 0) {
			for (j = 0; j < c->n && strcmp(c->v[j], code) != 0; j++)
				;
			if (j == c->n && strvec_push(&c->v, &c->n, code) < 0) {
				xmlsafe_oom(&ps->x);
				goto out;
			}
		}
		free(text);
		text = NULL;
	}
	rc = 0;
out:
	free(text);
	xmlsafe_nodes_free(&nodes);
	return rc;
}

/*
 * The project's CPV codes and places: its NUTS regions, and the countries
 * of addresses that name no region; *anywhere set when it may also be
 * performed anywhere, which makes the places no bound.
 */
static int
project_codes(struct parse *ps, xmlNodePtr project, struct codes *cpv,
	      struct codes *nuts, int *anywhere)
{
	xmlNodePtr node;

	if (add_codes(ps, XP_CPV_MAIN, project, EFORMS_MAX_CODES, cpv,
		      norm_cpv) < 0 ||
	    add_codes(ps, XP_CPV_ADD, project, EFORMS_MAX_CODES, cpv,
		      norm_cpv) < 0 ||
	    add_codes(ps, XP_NUTS, project, EFORMS_MAX_CODES, nuts,
		      norm_nuts) < 0 ||
	    add_codes(ps, XP_COUNTRY, project, EFORMS_MAX_CODES, nuts,
		      norm_country) < 0 ||
	    xmlsafe_first(&ps->x, XP_ANYWHERE, project, &node) < 0)
		return -1;
	*anywhere = node != NULL;
	return 0;
}

static int
copy_codes(const struct codes *from, char ***v, size_t *n)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		if (strvec_push(v, n, from->v[i]) < 0)
			return -1;
	return 0;
}

/* Hands the codes over to the lot, or copies the fallback if there are none. */
static int
give_codes(struct codes *c, const struct codes *fallback, char ***v, size_t *n)
{
	if (c->n == 0)
		return copy_codes(fallback, v, n);
	*v = c->v;
	*n = c->n;
	c->v = NULL;
	c->n = 0;
	return 0;
}

/* Counts and durations: plain digits, few enough for a long. */
static int
is_count(const char *s)
{
	return strspn(s, "0123456789") == strlen(s) && strlen(s) <= 9;
}

/* Plain decimal: amounts are xs:decimal, never signed or exponential. */
static int
parse_amount(const char *s, double *v)
{
	size_t i, int_digits = 0, frac_digits = 0;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++)
		int_digits++;
	if (s[i] == '.')
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			frac_digits++;
	if (s[i] != '\0' || int_digits + frac_digits == 0 || int_digits > 15)
		return -1;
	/* libxml2's conversion, unlike strtod(), ignores LC_NUMERIC. */
	*v = xmlXPathCastStringToNumber((const xmlChar *)s);
	return *v == *v ? 0 : -1;
}

/* An amount with its currencyID, e.g. an estimated or awarded value. */
static int
get_amount(struct parse *ps, enum xp id, xmlNodePtr at, int *has,
	   double *value, char **currency)
{
	xmlNodePtr node;
	xmlChar *cur = NULL;
	char *text = NULL;
	int rc = -1;

	if (get_node_text(ps, id, at, &node, &text) < 0)
		return -1;
	if (!text)
		return 0;
	if (parse_amount(text, value) < 0) {
		xmlsafe_fail(&ps->x, "%s: bad amount '%.40s'", xpaths[id].name,
			     text);
		goto out;
	}
	*has = 1;
	cur = xmlGetNoNsProp(node, (const xmlChar *)"currencyID");
	if (cur && !(strlen((const char *)cur) == 3 &&
		     is_token((const char *)cur))) {
		xmlsafe_fail(&ps->x, "%s: bad currencyID '%.40s'",
			     xpaths[id].name, (const char *)cur);
		goto out;
	}
	if (cur && !(*currency = strdup((const char *)cur))) {
		xmlsafe_oom(&ps->x);
		goto out;
	}
	rc = 0;
out:
	xmlFree(cur);
	free(text);
	return rc;
}

/*
 * The estimated value; without one (or with 0, which buyers write for
 * "not stated"), a framework agreement's maximum value (BT-271), as that
 * is what a firm could be called on to deliver.
 */
static int
project_value(struct parse *ps, xmlNodePtr project, struct lot *l)
{
	char *currency = NULL;
	double max;
	int has = 0;

	if (get_amount(ps, XP_AMOUNT, project, &l->has_value, &l->value,
		       &l->currency) < 0)
		return -1;
	if (l->has_value && l->value > 0)
		return 0;
	if (get_amount(ps, XP_FRAMEWORK_MAX, project, &has, &max,
		       &currency) < 0)
		return -1;
	if (has && max > 0) {
		free(l->currency);
		l->currency = currency;
		l->value = max;
		l->has_value = 1;
	} else {
		free(currency);
	}
	return 0;
}

static int
project_sme(struct parse *ps, xmlNodePtr project, struct lot *l)
{
	char *text;
	int rc = 0;

	if (get_text(ps, XP_SME, project, &text) < 0)
		return -1;
	if (!text)
		return 0;
	if (strcmp(text, "true") == 0 || strcmp(text, "1") == 0)
		l->sme_suitable = 1;
	else if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0)
		l->sme_suitable = 0;
	else
		rc = xmlsafe_fail(&ps->x, "%s: bad boolean '%.40s'",
				  xpaths[XP_SME].name, text);
	free(text);
	return rc;
}

/* fa-wo-rc, fa-w-rc and fa-mix are framework agreements; none is not. */
static int
lot_framework(struct parse *ps, xmlNodePtr lot_node, struct lot *l)
{
	char *code;

	if (get_text(ps, XP_FRAMEWORK, lot_node, &code) < 0)
		return -1;
	if (code)
		l->framework = strncmp(code, "fa-", 3) == 0;
	free(code);
	return 0;
}

/* ---- notice level ------------------------------------------------------- */

struct kind_name {
	const char *name;
	enum notice_kind kind;
};

/* The kind name stands for in table[0..n); NOTICE_OTHER for any other. */
static enum notice_kind
kind_named(const struct kind_name *table, size_t n, const char *name)
{
	size_t i;

	for (i = 0; name && i < n; i++)
		if (strcmp(name, table[i].name) == 0)
			return table[i].kind;
	return NOTICE_OTHER;
}

static enum notice_kind
kind_of_subtype(const char *st)
{
	static const struct kind_name e_subtypes[] = {
		{ "E1", NOTICE_RFI }, { "E2", NOTICE_PLANNING },
		{ "E3", NOTICE_COMPETITION }, { "E4", NOTICE_RESULT },
	};
	char *end;
	long v;

	if (st[0] < '0' || st[0] > '9')
		return kind_named(e_subtypes, sizeof(e_subtypes) /
				  sizeof(e_subtypes[0]), st);
	v = strtol(st, &end, 10);
	if (*end != '\0')
		return NOTICE_OTHER;
	/* 10-14 are PINs used as a call for competition. */
	if (v >= 1 && v <= 9)
		return NOTICE_PLANNING;
	if (v >= 10 && v <= 24)
		return NOTICE_COMPETITION;
	if (v >= 25 && v <= 37)
		return NOTICE_RESULT;
	return NOTICE_OTHER;
}

static enum notice_kind
kind_of_list(const char *list)
{
	static const struct kind_name lists[] = {
		{ "planning", NOTICE_PLANNING },
		{ "competition", NOTICE_COMPETITION },
		{ "result", NOTICE_RESULT },
		{ "consultation", NOTICE_RFI },
	};

	return kind_named(lists, sizeof(lists) / sizeof(lists[0]), list);
}

static int
notice_kind(struct parse *ps)
{
	struct notice *n = ps->n;
	char *list;
	int changes;

	if (has_node(ps, XP_CHANGES, ps->x.root, &changes) < 0)
		return -1;
	if (changes) {
		n->kind = NOTICE_CHANGE;
		return 0;
	}
	n->kind = kind_of_subtype(n->subtype);
	if (n->kind != NOTICE_OTHER)
		return 0;
	if (get_text(ps, XP_TYPE_LIST, ps->x.root, &list) < 0)
		return -1;
	n->kind = kind_of_list(list);
	free(list);
	return 0;
}

/* The organisation the first contracting party points at, or NULL. */
static int
buyer_company(struct parse *ps, xmlNodePtr *company)
{
	char *buyer_id;

	if (get_text(ps, XP_BUYER_ID, ps->x.root, &buyer_id) < 0)
		return -1;
	*company = index_find(&ps->orgs, buyer_id);
	free(buyer_id);
	return 0;
}

/*
 * TED's short form of a publication number, in place, for the change
 * notices that name their original by it. 0 when s is none.
 */
static int
short_publication_number(char *s)
{
	int zeros = publication_number_zeros(s);

	if (zeros < 0)
		return 0;
	memmove(s, s + zeros, strlen(s + zeros) + 1);
	return 1;
}

/*
 * The notice on TED once it is published there; before that the
 * procurement documents, then the buyer's profile or web site.
 */
static int
notice_url(struct parse *ps, xmlNodePtr company)
{
	static const enum xp fallbacks[] = {
		XP_DOC_URI, XP_BUYER_PROFILE, XP_COMPANY_WEB,
	};
	char *text = NULL, *url;
	size_t i;

	if (get_token(ps, XP_PUB_ID, ps->x.root, &text) < 0)
		return -1;
	if (text) {
		url = malloc(strlen(TED_NOTICE_URL) + strlen(text) + 1);
		if (!url) {
			free(text);
			return xmlsafe_oom(&ps->x);
		}
		strcpy(url, TED_NOTICE_URL);
		strcat(url, text);
		ps->n->url = url;
		if (short_publication_number(text))
			ps->n->publication = text;
		else
			free(text);
		return 0;
	}
	for (i = 0; i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++) {
		xmlNodePtr at = fallbacks[i] == XP_COMPANY_WEB ? company :
								 ps->x.root;

		if (first_web_url(ps, fallbacks[i], at, &ps->n->url) < 0)
			return -1;
		if (ps->n->url)
			break;
	}
	return 0;
}

static int
notice_published(struct parse *ps)
{
	struct stamp d;
	enum xp id = XP_PUB_DATE;
	char *date;

	if (get_text(ps, XP_PUB_DATE, ps->x.root, &date) < 0)
		return -1;
	if (!date) {
		id = XP_ISSUE_DATE;
		if (get_text(ps, XP_ISSUE_DATE, ps->x.root, &date) < 0)
			return -1;
	}
	if (!date)
		return xmlsafe_fail(&ps->x, "missing cbc:IssueDate");
	if (parse_date(date, &d) < 0) {
		xmlsafe_fail(&ps->x, "%s: bad date '%.40s'", xpaths[id].name,
			     date);
		free(date);
		return -1;
	}
	date[10] = '\0';
	ps->n->published = date;
	return 0;
}

static int
notice_header(struct parse *ps)
{
	struct notice *n = ps->n;
	xmlNodePtr folder, issue, project, company;

	if (get_token(ps, XP_NOTICE_ID, ps->x.root, &n->id) < 0)
		return -1;
	if (!n->id)
		return xmlsafe_fail(&ps->x, "missing %s",
				    xpaths[XP_NOTICE_ID].name);
	if (get_token(ps, XP_VERSION, ps->x.root, &n->version) < 0)
		return -1;
	if (!n->version)
		return xmlsafe_fail(&ps->x, "missing cbc:VersionID");
	if (get_token(ps, XP_SUBTYPE, ps->x.root, &n->subtype) < 0)
		return -1;
	if (!n->subtype)
		return xmlsafe_fail(&ps->x, "missing %s",
				    xpaths[XP_SUBTYPE].name);
	if (notice_kind(ps) < 0)
		return -1;
	if (xmlsafe_first(&ps->x, XP_FOLDER, ps->x.root, &folder) < 0 ||
	    get_token(ps, XP_FOLDER, ps->x.root, &n->procedure_id) < 0)
		return -1;
	if (!n->procedure_id && (folder || (n->kind != NOTICE_PLANNING &&
					    n->kind != NOTICE_RFI)))
		return xmlsafe_fail(&ps->x, "missing or empty "
				    "cbc:ContractFolderID");
	/*
	 * PINs and RFIs may come before a procedure exists and then have no
	 * ContractFolderID. The notice id stands in: it is unique, so such a
	 * notice links to nothing, and procedure_id is never NULL.
	 */
	if (!n->procedure_id && !(n->procedure_id = strdup(n->id)))
		return xmlsafe_oom(&ps->x);
	/* Required even when the publication date is what we report. */
	if (xmlsafe_first(&ps->x, XP_ISSUE_DATE, ps->x.root, &issue) < 0)
		return -1;
	if (!issue)
		return xmlsafe_fail(&ps->x, "missing cbc:IssueDate");
	if (notice_published(ps) < 0)
		return -1;
	if (xmlsafe_first(&ps->x, XP_PROJECT, ps->x.root, &project) < 0 ||
	    get_lang_text(ps, XP_NAME, project, &n->title) < 0)
		return -1;
	if (!n->title)
		return xmlsafe_fail(&ps->x, "missing title "
				    "(cac:ProcurementProject/cbc:Name)");
	if (get_token(ps, XP_LANGUAGE, ps->x.root, &n->language) < 0 ||
	    index_build(ps, XP_COMPANIES, XP_COMPANY_ID, &ps->orgs) < 0 ||
	    buyer_company(ps, &company) < 0 ||
	    get_lang_text(ps, XP_COMPANY_NAME, company, &n->buyer) < 0 ||
	    get_text(ps, XP_COMPANY_LEGAL_ID, company, &n->buyer_id) < 0 ||
	    get_text(ps, XP_COMPANY_CITY, company, &n->buyer_city) < 0 ||
	    get_text(ps, XP_COMPANY_EMAIL, company, &n->buyer_email) < 0 ||
	    get_text(ps, XP_COMPANY_PHONE, company, &n->buyer_phone) < 0 ||
	    add_codes(ps, XP_COMPANY_COUNTRY, company, EFORMS_MAX_CODES,
		      &ps->buyer_country, norm_country) < 0 ||
	    notice_url(ps, company) < 0)
		return -1;
	return 0;
}

/* A count such as cbc:MaximumLotsAwardedNumeric; unchanged when absent. */
static int
get_count(struct parse *ps, enum xp id, xmlNodePtr at, long *out)
{
	char *text;
	int rc = 0;

	if (get_text(ps, id, at, &text) < 0)
		return -1;
	if (!text)
		return 0;
	if (!is_count(text))
		rc = xmlsafe_fail(&ps->x, "%s: bad number '%.40s'",
				  xpaths[id].name, text);
	else
		*out = strtol(text, NULL, 10);
	free(text);
	return rc;
}

static struct lot_group *
find_group(struct notice *n, const char *id)
{
	size_t i;

	for (i = 0; i < n->ngroups; i++)
		if (strcmp(n->groups[i].id, id) == 0)
			return &n->groups[i];
	return NULL;
}

/* Adds group id; *g is NULL if the notice has it already. */
static int
add_group(struct parse *ps, char **id, struct lot_group **g)
{
	struct notice *n = ps->n;
	struct lot_group *groups;

	*g = NULL;
	if (find_group(n, *id))
		return 0;
	if (n->ngroups == EFORMS_MAX_GROUPS)
		return xmlsafe_fail(&ps->x, "too many lots groups (max %d)",
				    EFORMS_MAX_GROUPS);
	groups = array_add(n->groups, n->ngroups, sizeof(*groups));
	if (!groups)
		return xmlsafe_oom(&ps->x);
	n->groups = groups;
	*g = &groups[n->ngroups++];
	(*g)->id = *id;
	*id = NULL;
	return 0;
}

/*
 * Groups of lots: their members from the lot distribution, their title
 * and value from the cac:ProcurementProjectLot that stands for the group.
 */
static int
notice_groups(struct parse *ps)
{
	struct xmlsafe_nodes nodes = { NULL, 0, NULL };
	struct lot_group *g;
	struct codes lots = { NULL, 0 };
	xmlNodePtr node, project;
	char *id = NULL;
	int i, rc = -1;

	if (xmlsafe_eval(&ps->x, XP_LOTS_GROUPS, ps->x.root, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n; i++) {
		node = nodes.v[i];
		if (get_token(ps, XP_GROUP_ID, node, &id) < 0)
			goto out;
		if (!id) {
			xmlsafe_fail(&ps->x, "missing %s",
				     xpaths[XP_GROUP_ID].name);
			goto out;
		}
		if (add_group(ps, &id, &g) < 0)
			goto out;
		if (!g) {
			xmlsafe_fail(&ps->x, "duplicate lots group '%s'", id);
			goto out;
		}
		if (add_codes(ps, XP_GROUP_LOTS, node, EFORMS_MAX_MEMBERS,
			      &lots, norm_token) < 0)
			goto out;
		g->lots = lots.v;
		g->nlots = lots.n;
		lots.v = NULL;
		lots.n = 0;
	}
	xmlsafe_nodes_free(&nodes);
	if (xmlsafe_eval(&ps->x, XP_GROUP_LOT_NODES, ps->x.root, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n; i++) {
		node = nodes.v[i];
		if (get_token(ps, XP_LOT_ID, node, &id) < 0)
			goto out;
		if (!id)
			continue;
		g = find_group(ps->n, id);
		if (!g && add_group(ps, &id, &g) < 0)
			goto out;
		free(id);
		id = NULL;
		/* A group given twice keeps what it said first. */
		if (g->title || g->has_value)
			continue;
		if (xmlsafe_first(&ps->x, XP_PROJECT, node, &project) < 0 ||
		    get_lang_text(ps, XP_NAME, project, &g->title) < 0 ||
		    get_amount(ps, XP_AMOUNT, project, &g->has_value, &g->value,
			       &g->currency) < 0)
			goto out;
	}
	rc = 0;
out:
	strvec_free(lots.v, lots.n);
	free(id);
	xmlsafe_nodes_free(&nodes);
	return rc;
}

/* What the notice says of the procedure as a whole. */
static int
notice_procedure(struct parse *ps)
{
	struct notice *n = ps->n;
	xmlNodePtr project;

	if (xmlsafe_first(&ps->x, XP_PROJECT, ps->x.root, &project) < 0 ||
	    get_lang_text(ps, XP_DESCRIPTION, project, &n->description) < 0 ||
	    lang_texts(ps, XP_NAME, project, &n->titles, &n->ntitles) < 0 ||
	    lang_texts(ps, XP_DESCRIPTION, project, &n->descriptions,
		       &n->ndescriptions) < 0 ||
	    get_token(ps, XP_PROCEDURE_CODE, ps->x.root,
		      &n->procedure_type) < 0 ||
	    get_amount(ps, XP_AMOUNT, project, &n->has_value, &n->value,
		       &n->currency) < 0 ||
	    get_text(ps, XP_TOWN, project, &n->town) < 0 ||
	    first_web_url(ps, XP_DOC_URI, ps->x.root, &n->documents_url) < 0 ||
	    first_web_url(ps, XP_ANY_SUBMIT_URL, ps->x.root,
			  &n->submission_url) < 0 ||
	    get_count(ps, XP_MAX_SUBMITTED, ps->x.root,
		      &n->max_lots_submitted) < 0 ||
	    get_count(ps, XP_MAX_AWARDED, ps->x.root,
		      &n->max_lots_awarded) < 0 ||
	    notice_groups(ps) < 0)
		return -1;
	return 0;
}

/* ---- lots --------------------------------------------------------------- */

/* What lots inherit when they say nothing themselves. */
struct procedure {
	xmlNodePtr project;
	struct codes cpv, nuts;
	int anywhere;
	/*
	 * The places and town of a lot that names none: the procedure's; when
	 * the notice names no region or country, the buyer's country, and
	 * when no town either, the buyer's town.
	 */
	const struct codes *places;
	const char *town;
};

static const struct codes no_places = { NULL, 0 };

/* A copy of s, or NULL for NULL. */
static int
copy_text(struct parse *ps, const char *s, char **out)
{
	if (s && !(*out = strdup(s)))
		return xmlsafe_oom(&ps->x);
	return 0;
}

/* An ISO 8601 duration of n units ("P36M") into *out. */
static int
iso_duration(struct parse *ps, long long n, char designator, char **out)
{
	if (!(*out = malloc(24)))
		return xmlsafe_oom(&ps->x);
	snprintf(*out, 24, "P%lld%c", n, designator);
	return 0;
}

/*
 * A planned period given by its start and end dates, in days, both
 * counted: 2024-04-01 to 2026-12-31 is "P1005D". Without both dates, or
 * with the end before the start, there is none.
 */
static int
planned_days(struct parse *ps, xmlNodePtr project, char **out)
{
	char *start = NULL, *end = NULL;
	const char *bad;
	struct stamp a, b;
	long long days;
	int rc = -1;

	if (get_text(ps, XP_PLANNED_START, project, &start) < 0 ||
	    get_text(ps, XP_PLANNED_END, project, &end) < 0)
		goto out;
	if (!start || !end) {
		rc = 0;
		goto out;
	}
	bad = parse_date(start, &a) < 0 ? start :
	      parse_date(end, &b) < 0 ? end : NULL;
	if (bad) {
		xmlsafe_fail(&ps->x, "cac:PlannedPeriod: bad date '%.40s'", bad);
		goto out;
	}
	days = civil_days(b.c.year, b.c.mon, b.c.day) -
	       civil_days(a.c.year, a.c.mon, a.c.day) + 1;
	rc = days > 0 ? iso_duration(ps, days, 'D', out) : 0;
out:
	free(start);
	free(end);
	return rc;
}

/*
 * The planned duration as ISO 8601 ("P36M"), from its measure or else
 * its start and end dates. A measure in a unit without a designator
 * gives none.
 */
static int
lot_duration(struct parse *ps, xmlNodePtr project, char **out)
{
	static const struct {
		const char *code;
		char designator;
	} units[] = {
		{ "DAY", 'D' }, { "CALENDAR_DAY", 'D' }, { "WEEK", 'W' },
		{ "MONTH", 'M' }, { "YEAR", 'Y' },
	};
	xmlNodePtr node;
	xmlChar *code = NULL;
	char *text = NULL;
	size_t i;
	int rc = -1;

	if (get_node_text(ps, XP_DURATION, project, &node, &text) < 0)
		return -1;
	if (!text)
		return planned_days(ps, project, out);
	if (!is_count(text)) {
		xmlsafe_fail(&ps->x, "%s: bad duration '%.40s'",
			     xpaths[XP_DURATION].name, text);
		goto out;
	}
	code = xmlGetNoNsProp(node, (const xmlChar *)"unitCode");
	rc = 0;
	for (i = 0; code && i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp((const char *)code, units[i].code) == 0) {
			rc = iso_duration(ps, strtol(text, NULL, 10),
					  units[i].designator, out);
			break;
		}
out:
	xmlFree(code);
	free(text);
	return rc;
}

static int
parse_lot(struct parse *ps, const struct procedure *proc, xmlNodePtr lot_node,
	  int only_lot)
{
	struct codes cpv = { NULL, 0 }, nuts = { NULL, 0 };
	xmlNodePtr project;
	struct lot *l;
	size_t i;
	int anywhere, rc = -1;

	l = notice_add_lot(ps->n);
	if (!l)
		return xmlsafe_oom(&ps->x);
	if (get_token(ps, XP_LOT_ID, lot_node, &l->id) < 0)
		goto out;
	if (!l->id) {
		xmlsafe_fail(&ps->x, "empty %s", xpaths[XP_LOT_ID].name);
		goto out;
	}
	for (i = 0; i + 1 < ps->n->nlots; i++) {
		if (strcmp(ps->n->lots[i].id, l->id) == 0) {
			xmlsafe_fail(&ps->x, "duplicate lot id '%s'", l->id);
			goto out;
		}
	}
	if (xmlsafe_first(&ps->x, XP_PROJECT, lot_node, &project) < 0 ||
	    get_lang_text(ps, XP_NAME, project, &l->title) < 0 ||
	    lang_texts(ps, XP_NAME, project, &l->titles, &l->ntitles) < 0 ||
	    get_lang_text(ps, XP_DESCRIPTION, project, &l->description) < 0 ||
	    lot_framework(ps, lot_node, l) < 0 ||
	    project_codes(ps, project, &cpv, &nuts, &anywhere) < 0 ||
	    get_text(ps, XP_TOWN, project, &l->town) < 0 ||
	    (!l->town && nuts.n == 0 && !anywhere &&
	     copy_text(ps, proc->town, &l->town) < 0) ||
	    project_value(ps, project, l) < 0 ||
	    (!l->has_value && only_lot &&
	     project_value(ps, proc->project, l) < 0) ||
	    project_sme(ps, project, l) < 0 ||
	    lot_duration(ps, project, &l->duration) < 0 ||
	    lot_deadline(ps, lot_node, l) < 0 ||
	    first_web_url(ps, XP_LOT_DOCS, lot_node, &l->documents_url) < 0 ||
	    first_web_url(ps, XP_SUBMIT_URL, lot_node, &l->submission_url) < 0)
		goto out;
	if (give_codes(&cpv, &proc->cpv, &l->cpv, &l->ncpv) < 0 ||
	    (!anywhere &&
	     give_codes(&nuts, proc->places, &l->nuts, &l->nnuts) < 0)) {
		xmlsafe_oom(&ps->x);
		goto out;
	}
	ps->ncodes += l->ncpv + l->nnuts;
	if (ps->ncodes > EFORMS_MAX_TOTAL_CODES) {
		xmlsafe_fail(&ps->x, "too many CPV and NUTS codes over all "
			     "lots (max %d)", EFORMS_MAX_TOTAL_CODES);
		goto out;
	}
	rc = 0;
out:
	strvec_free(cpv.v, cpv.n);
	strvec_free(nuts.v, nuts.n);
	return rc;
}

/* A notice without lots is one lot, so that every notice can be matched. */
static int
virtual_lot(struct parse *ps, const struct procedure *proc)
{
	struct lot *l = notice_add_lot(ps->n);

	if (!l)
		return xmlsafe_oom(&ps->x);
	l->id = strdup("LOT-0000");
	l->title = strdup(ps->n->title);
	if (!l->id || !l->title)
		return xmlsafe_oom(&ps->x);
	if (copy_codes(&proc->cpv, &l->cpv, &l->ncpv) < 0 ||
	    copy_codes(proc->places, &l->nuts, &l->nnuts) < 0)
		return xmlsafe_oom(&ps->x);
	if (project_value(ps, proc->project, l) < 0 ||
	    project_sme(ps, proc->project, l) < 0 ||
	    lot_duration(ps, proc->project, &l->duration) < 0 ||
	    copy_text(ps, ps->n->description, &l->description) < 0 ||
	    copy_text(ps, proc->town, &l->town) < 0 ||
	    copy_text(ps, ps->n->documents_url, &l->documents_url) < 0 ||
	    copy_text(ps, ps->n->submission_url, &l->submission_url) < 0)
		return -1;
	return 0;
}

static int
notice_lots(struct parse *ps)
{
	struct procedure proc = { NULL, { NULL, 0 }, { NULL, 0 }, 0, NULL, NULL };
	struct xmlsafe_nodes nodes = { NULL, 0, NULL };
	struct notice *n = ps->n;
	size_t i;
	int nlots, rc = -1;

	if (xmlsafe_first(&ps->x, XP_PROJECT, ps->x.root, &proc.project) < 0 ||
	    project_codes(ps, proc.project, &proc.cpv, &proc.nuts,
			  &proc.anywhere) < 0 ||
	    xmlsafe_eval(&ps->x, XP_LOTS, ps->x.root, &nodes) < 0)
		goto out;
	proc.places = proc.anywhere ? &no_places :
		      proc.nuts.n ? &proc.nuts : &ps->buyer_country;
	proc.town = n->town || proc.places != &ps->buyer_country ? n->town :
		    n->buyer_city;
	nlots = nodes.n;
	if (nlots > EFORMS_MAX_LOTS) {
		xmlsafe_fail(&ps->x, "too many lots (%d, max %d)", nlots,
			     EFORMS_MAX_LOTS);
		goto out;
	}
	for (i = 0; i < (size_t)nlots; i++) {
		if (parse_lot(ps, &proc, nodes.v[i],
			      nlots == 1) < 0)
			goto out;
	}
	if (nlots == 0 && virtual_lot(ps, &proc) < 0)
		goto out;
	if (copy_codes(&proc.cpv, &n->cpv, &n->ncpv) < 0 ||
	    copy_codes(&proc.nuts, &n->nuts, &n->nnuts) < 0) {
		xmlsafe_oom(&ps->x);
		goto out;
	}
	for (i = 0; i < n->nlots; i++) {
		if (n->lots[i].has_deadline && (!n->has_deadline ||
		    n->lots[i].deadline < n->deadline)) {
			n->deadline = n->lots[i].deadline;
			n->has_deadline = 1;
		}
	}
	rc = 0;
out:
	xmlsafe_nodes_free(&nodes);
	strvec_free(proc.cpv.v, proc.cpv.n);
	strvec_free(proc.nuts.v, proc.nuts.n);
	return rc;
}

/* ---- results ------------------------------------------------------------ */

/* What the lot results of an award notice refer to by identifier. */
struct results {
	struct index tenders;		/* efac:LotTender by cbc:ID */
	struct index contracted;	/* tenders a contract was signed on */
	struct index parties;		/* efac:TenderingParty by cbc:ID */
};

static int
same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Adds the organisation as a winner of a, once. */
static int
add_winner(struct parse *ps, struct award *a, xmlNodePtr company)
{
	struct winner w = { NULL, NULL }, *ws;
	size_t i;
	int rc = -1;

	if (get_lang_text(ps, XP_COMPANY_NAME, company, &w.name) < 0 ||
	    get_text(ps, XP_COMPANY_LEGAL_ID, company, &w.id) < 0)
		goto out;
	for (i = 0; i < a->nwinners; i++)
		if (same_text(a->winners[i].name, w.name) &&
		    same_text(a->winners[i].id, w.id))
			break;
	if (i < a->nwinners) {
		rc = 0;
		goto out;
	}
	if (a->nwinners == EFORMS_MAX_WINNERS) {
		xmlsafe_fail(&ps->x, "too many winners of one lot (max %d)",
			     EFORMS_MAX_WINNERS);
		goto out;
	}
	if (!(ws = array_add(a->winners, a->nwinners, sizeof(*ws)))) {
		xmlsafe_oom(&ps->x);
		goto out;
	}
	a->winners = ws;
	ws[a->nwinners++] = w;
	return 0;
out:
	free(w.name);
	free(w.id);
	return rc;
}

/*
 * The organisations behind a tender: the tenderers of its tendering party,
 * but of a group only its leader when the notice names one.
 */
static int
tender_winners(struct parse *ps, const struct results *r, xmlNodePtr tender,
	       struct award *a)
{
	struct xmlsafe_nodes nodes = { NULL, 0, NULL };
	xmlNodePtr party;
	char *text = NULL;
	int i, rc = -1;

	if (get_text(ps, XP_TENDER_PARTY, tender, &text) < 0)
		return -1;
	party = index_find(&r->parties, text);
	free(text);
	text = NULL;
	if (!party)
		return 0;
	if (xmlsafe_eval(&ps->x, XP_TENDERERS, party, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n; i++) {
		xmlNodePtr tenderer = nodes.v[i], company;
		int member;

		/* Tenders and parties can be referred to again and again. */
		if (++ps->ntenderers > EFORMS_MAX_TOTAL_CODES) {
			xmlsafe_fail(&ps->x, "too many tenderers over all "
				     "results (max %d)",
				     EFORMS_MAX_TOTAL_CODES);
			goto out;
		}
		if (get_text(ps, XP_GROUP_LEAD, tenderer, &text) < 0)
			goto out;
		member = same_text(text, "false");
		free(text);
		text = NULL;
		if (member)
			continue;
		if (get_text(ps, XP_TENDERER_ID, tenderer, &text) < 0)
			goto out;
		company = index_find(&ps->orgs, text);
		free(text);
		text = NULL;
		if (company && add_winner(ps, a, company) < 0)
			goto out;
	}
	rc = 0;
out:
	free(text);
	xmlsafe_nodes_free(&nodes);
	return rc;
}

/*
 * The winning tenders of a lot result: those a contract was signed on. Their
 * payable amounts add up to the awarded value when all are in one currency.
 */
static int
result_winners(struct parse *ps, const struct results *r, xmlNodePtr result,
	       struct award *a)
{
	struct xmlsafe_nodes nodes = { NULL, 0, NULL };
	xmlNodePtr tender;
	char *id = NULL, *currency = NULL;
	int i, has, mixed = 0, rc = -1;
	double value;

	if (xmlsafe_eval(&ps->x, XP_RESULT_TENDERS, result, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n; i++) {
		if (text_of(ps, nodes.v[i], XP_RESULT_TENDERS,
			    &id) < 0)
			goto out;
		tender = index_find(&r->contracted, id) ?
			 index_find(&r->tenders, id) : NULL;
		free(id);
		id = NULL;
		if (!tender)
			continue;
		has = 0;
		if (tender_winners(ps, r, tender, a) < 0 ||
		    get_amount(ps, XP_PAYABLE, tender, &has, &value,
			       &currency) < 0)
			goto out;
		if (has && a->has_value && !same_text(currency, a->currency))
			mixed = 1;
		if (has && !a->has_value) {
			a->currency = currency;
			currency = NULL;
			a->value = 0;
		}
		a->value += has ? value : 0;
		a->has_value |= has;
		free(currency);
		currency = NULL;
	}
	if (mixed) {
		a->has_value = 0;
		free(a->currency);
		a->currency = NULL;
	}
	rc = 0;
out:
	free(id);
	free(currency);
	xmlsafe_nodes_free(&nodes);
	return rc;
}

/* efbc:StatisticsCode "tenders" and "t-sme": tenders, and from SMEs. */
static int
result_counts(struct parse *ps, xmlNodePtr result, struct award *a)
{
	struct xmlsafe_nodes nodes;
	char *code = NULL;
	int i, rc = 0;

	if (xmlsafe_eval(&ps->x, XP_STATS, result, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n && rc == 0; i++) {
		xmlNodePtr stat = nodes.v[i];

		rc = get_text(ps, XP_STAT_CODE, stat, &code);
		if (rc == 0 && same_text(code, "tenders"))
			rc = get_count(ps, XP_STAT_NUMBER, stat, &a->tenders);
		else if (rc == 0 && same_text(code, "t-sme"))
			rc = get_count(ps, XP_STAT_NUMBER, stat,
				       &a->sme_tenders);
		free(code);
		code = NULL;
	}
	xmlsafe_nodes_free(&nodes);
	return rc;
}

static int
parse_result(struct parse *ps, const struct results *r, xmlNodePtr result,
	     int only_result)
{
	struct award *a = notice_add_award(ps->n);
	char *code = NULL;
	int rc = -1;

	if (!a)
		return xmlsafe_oom(&ps->x);
	if (get_token(ps, XP_RESULT_LOT, result, &a->lot) < 0 ||
	    result_counts(ps, result, a) < 0 ||
	    get_text(ps, XP_RESULT_CODE, result, &code) < 0)
		goto out;
	/* "selec-w": a winner was chosen; otherwise no tender won. */
	if (same_text(code, "selec-w") &&
	    result_winners(ps, r, result, a) < 0)
		goto out;
	if (!a->has_value && only_result &&
	    get_amount(ps, XP_TOTAL, ps->x.root, &a->has_value, &a->value,
		       &a->currency) < 0)
		goto out;
	rc = 0;
out:
	free(code);
	return rc;
}

static int
notice_results(struct parse *ps)
{
	struct results r = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
	struct xmlsafe_nodes nodes;
	int i, rc = -1;

	if (xmlsafe_eval(&ps->x, XP_RESULTS, ps->x.root, &nodes) < 0)
		return -1;
	if (nodes.n == 0) {
		rc = 0;
		goto out;
	}
	if (nodes.n > EFORMS_MAX_LOTS) {
		xmlsafe_fail(&ps->x, "too many lot results (max %d)",
			     EFORMS_MAX_LOTS);
		goto out;
	}
	if (index_build(ps, XP_TENDERS, XP_TENDER_ID, &r.tenders) < 0 ||
	    index_build(ps, XP_CONTRACT_TENDERS, XP_SELF, &r.contracted) < 0 ||
	    index_build(ps, XP_PARTIES, XP_PARTY_ID, &r.parties) < 0)
		goto out;
	for (i = 0; i < nodes.n; i++)
		if (parse_result(ps, &r, nodes.v[i],
				 nodes.n == 1) < 0)
			goto out;
	rc = 0;
out:
	index_free(&r.tenders);
	index_free(&r.contracted);
	index_free(&r.parties);
	xmlsafe_nodes_free(&nodes);
	return rc;
}

/* ---- changes ------------------------------------------------------------ */

/* "<notice id>-<version>" names a notice version, as in cbc:VersionID. */
static void
split_version(char *id, char **version)
{
	size_t len = strlen(id);

	if (len > 3 && id[len - 3] == '-' && strspn(id + len - 2,
						     "0123456789") == 2) {
		id[len - 3] = '\0';
		*version = id + len - 2;
	}
}

static int
parse_change(struct parse *ps, xmlNodePtr change, struct changes *c)
{
	struct change_item *items;
	struct codes sections = { NULL, 0 };

	if (c->nitems == EFORMS_MAX_LOTS)
		return xmlsafe_fail(&ps->x, "too many changes (max %d)",
				    EFORMS_MAX_LOTS);
	if (!(items = array_add(c->items, c->nitems, sizeof(*items))))
		return xmlsafe_oom(&ps->x);
	c->items = items;
	items = &c->items[c->nitems++];
	if (get_lang_text(ps, XP_CHANGE_DESC, change,
			  &items->description) < 0 ||
	    add_codes(ps, XP_CHANGED_SECTIONS, change, EFORMS_MAX_MEMBERS,
		      &sections, norm_token) < 0) {
		strvec_free(sections.v, sections.n);
		return -1;
	}
	items->sections = sections.v;
	items->nsections = sections.n;
	return 0;
}

static int
notice_changes(struct parse *ps)
{
	struct xmlsafe_nodes nodes;
	xmlNodePtr node;
	struct changes *c;
	char *version = NULL;
	int i, rc = -1;

	if (xmlsafe_first(&ps->x, XP_CHANGES, ps->x.root, &node) < 0)
		return -1;
	if (!node)
		return 0;
	if (!(c = ps->n->changes = calloc(1, sizeof(*c))))
		return xmlsafe_oom(&ps->x);
	if (get_token(ps, XP_CHANGED_NOTICE, node, &c->notice_id) < 0 ||
	    get_token(ps, XP_REASON_CODE, node, &c->reason_code) < 0 ||
	    get_lang_text(ps, XP_REASON_DESC, node, &c->reason) < 0)
		return -1;
	if (c->notice_id && !short_publication_number(c->notice_id))
		split_version(c->notice_id, &version);
	if (copy_text(ps, version, &c->version) < 0 ||
	    xmlsafe_eval(&ps->x, XP_CHANGE, node, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n; i++)
		if (parse_change(ps, nodes.v[i], c) < 0)
			goto out;
	rc = 0;
out:
	xmlsafe_nodes_free(&nodes);
	return rc;
}

int
eforms_parse(struct eforms_parser *p, const char *data, size_t len,
	     struct notice **out, char *err, size_t errlen)
{
	struct parse ps;
	int rc = -1;

	memset(&ps, 0, sizeof(ps));
	*out = NULL;
	xmlsafe_begin(&ps.x, (struct xmlsafe_xpaths *)p, err, errlen);
	if (xmlsafe_read(&ps.x, data, len, EFORMS_MAX_INPUT) < 0 ||
	    check_root(&ps) < 0)
		goto out;
	if (!(ps.n = notice_new())) {
		xmlsafe_oom(&ps.x);
		goto out;
	}
	if (notice_header(&ps) < 0 || notice_procedure(&ps) < 0 ||
	    notice_lots(&ps) < 0 || notice_results(&ps) < 0 ||
	    notice_changes(&ps) < 0)
		goto out;
	*out = ps.n;
	ps.n = NULL;
	rc = 0;
out:
	notice_free(ps.n);
	index_free(&ps.orgs);
	strvec_free(ps.buyer_country.v, ps.buyer_country.n);
	xmlsafe_end(&ps.x);
	return rc;
}
