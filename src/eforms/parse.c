/*
 * eForms UBL into a struct notice: the XPath expressions and namespaces,
 * the root check, and the parse of one document, part by part.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>

#include "eforms.h"
#include "eforms_int.h"

#define EXT "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/" \
	    "efext:EformsExtension"
#define DOCS "cac:TenderingTerms/cac:CallForTendersDocumentReference/" \
	     "cac:Attachment/cac:ExternalReference/cbc:URI"
#define SUBMIT "cac:TenderingTerms/cac:TenderRecipientParty/cbc:EndpointID"
#define LOTDIST "cac:TenderingTerms/cac:LotDistribution"
#define RESULT EXT "/efac:NoticeResult"

const struct xmlsafe_xpath ef_xpaths[XP_COUNT] = {
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

/*
 * A parser is nothing but its compiled expressions, which also keep the
 * memory its documents are built in (xmlsafe_own_tree): struct
 * eforms_parser is only the name eforms.h gives them, and never defined.
 */
struct eforms_parser *
eforms_parser_new(void)
{
	size_t nns = sizeof(namespaces) / sizeof(namespaces[0]);
	struct xmlsafe_xpaths *c = xmlsafe_compile(ef_xpaths, XP_COUNT,
						   namespaces, nns);

	if (c && xmlsafe_own_tree(c, 1) < 0) {
		xmlsafe_free_compiled(c);
		c = NULL;
	}
	return (struct eforms_parser *)c;
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
	if (ef_notice_header(&ps) < 0 || ef_notice_procedure(&ps) < 0 ||
	    ef_notice_lots(&ps) < 0 || ef_notice_results(&ps) < 0 ||
	    ef_notice_changes(&ps) < 0)
		goto out;
	*out = ps.n;
	ps.n = NULL;
	rc = 0;
out:
	notice_free(ps.n);
	ef_index_free(&ps.orgs);
	strvec_free(ps.buyer_country.v, ps.buyer_country.n);
	xmlsafe_end(&ps.x);
	return rc;
}
