/* The report's words, in Swedish and in English. */
#include <string.h>

#include "report_int.h"

static const struct lang swedish = {
	.code = "sv", .group = ' ', .point = ',', .percent = " %",
	.title = "Lokala företag i offentlig upphandling",
	.period = "Period", .generated = "Sammanställd", .sheet = "Rapport",
	.about = "Hur lokala företag deltar i kommunens upphandlingar, kvartal "
		 "för kvartal. Sammanställningen innehåller bara antal och "
		 "andelar, inga uppgifter om enskilda företag.",
	.no_data = "Det finns inga uppgifter för perioden.",
	.quarter = "Kvartal", .category = "Kategori",
	.category_key = "Kategorikod",
	.all_categories = "Alla kategorier",
	.meaning = "Vad siffrorna räknar",
	.firms_h = "Företagens deltagande",
	.firms_note = "Varje företag räknas en gång per kvartal, hur många "
		      "mejl, möten eller anbud det än gällde. Kvartalen kan "
		      "därför inte läggas ihop.",
	.trend_title = "Företagens deltagande per kvartal",
	.trend_desc = "Linjediagram: antal lokala företag per kvartal som fick "
		      "mejl, deltog i informationsmöten, svarade på RFI, lämnade "
		      "anbud och vann kontrakt. Samma siffror finns i tabellen "
		      "under diagrammet.",
	.trend_axis = "Antal företag",
	.firms_caption = "Företag per kvartal",
	.procurement_h = "Upphandlingar",
	.procurement_caption = "Upphandlingar per kvartal",
	.lead_caption = "Framförhållning per kvartal",
	.share_title = "Andel stora upphandlingar som delats upp i delområden, "
		       "per kategori",
	.share_desc = "Stapeldiagram: för varje kategori, under hela perioden, "
		      "andelen stora upphandlingar som delats upp i flera "
		      "delområden. Kategorier utan stora upphandlingar visas "
		      "med –. Samma siffror finns i tabellen under diagrammet.",
	.share_axis = "Andel uppdelade",
	.categories_caption = "Upphandlingar per kategori under perioden",
	.categories_note = "Summor för hela perioden. En upphandling med "
			   "delområden i flera kategorier finns med i var och "
			   "en, så kategorierna summerar inte till raden för "
			   "alla kategorier.",
	.no_categories = "Det finns inga uppgifter per kategori för perioden.",
	.meetings_h = "Informationsmöten",
	.attendance_title = "Närvaro på informationsmöten per kvartal",
	.attendance_desc = "Stapeldiagram: närvarande i procent av anmälda, per "
			   "kvartal. Kvartal utan anmälningar visas med –. "
			   "Samma siffror finns i tabellen under diagrammet.",
	.attendance_axis = "Närvaro",
	.meetings_caption = "Informationsmöten per kvartal",
	.feedback_h = "Vad företagen tyckte",
	.feedback_note = "Varje avisering har två länkar, Relevant och Inte "
			 "relevant, och den som deltog i ett informationsmöte "
			 "får en kort enkät. Bara antal, andelar och medelvärden "
			 "visas här, aldrig vad ett enskilt företag svarat.",
	.feedback_caption = "Svar per kvartal",
	.relevance_title = "Andel relevanta av besvarade aviseringar per "
			   "kvartal",
	.relevance_desc = "Stapeldiagram: aviseringar som lokala företag fann "
			  "relevanta i procent av dem de besvarade, per "
			  "kvartal. Kvartal utan svar visas med –. Samma "
			  "siffror finns i tabellen under diagrammet.",
	.relevance_axis = "Andel relevanta",
	.decisions_h = "Beslut om att dela upp upphandlingar",
	.decisions_note = "Enhetens beslut enligt LOU 4 kap. 14 § som fattades "
			  "under perioden och gäller, för alla kategorier. "
			  "Ett beslut att inte dela upp kan ange flera skäl.",
	.decisions_caption = "Beslut under perioden",
	.reasons_caption = "Skäl att inte dela upp",
	.decisions_sheet = "Beslut om uppdelning",
	.decision = "Beslut", .reason = "Skäl", .decisions_count = "Antal",
	.head = {
		[FIG_NOTICES] = "Annonser",
		[FIG_LOTS] = "Delområden",
		[FIG_CATEGORY_LOTS] = "Delar per kategori",
		[FIG_LARGE] = "Stora upphandlingar",
		[FIG_LARGE_DIVIDED] = "Varav uppdelade",
		[FIG_SHARE_DIVIDED] = "Andel uppdelade",
		[FIG_LEAD_TIME] = "Framförhållning, dagar",
		[FIG_LEAD_TIME_N] = "Underlag för framförhållning",
		[FIG_SUBSCRIBED] = "Prenumererar",
		[FIG_ALERTED] = "Fick mejl",
		[FIG_REGISTERED] = "Anmälde sig till möte",
		[FIG_ATTENDING] = "Deltog i möte",
		[FIG_ANSWERING_RFI] = "Svarade på RFI",
		[FIG_BIDDING] = "Lämnade anbud",
		[FIG_WINNING] = "Vann kontrakt",
		[FIG_MEETINGS] = "Möten",
		[FIG_SEATS] = "Anmälningar",
		[FIG_ATTENDEES] = "Närvarande",
		[FIG_SHOWS] = "Anmälda som kom",
		[FIG_ATTENDANCE] = "Närvaro",
		[FIG_ALERTS_ANSWERED] = "Besvarade aviseringar",
		[FIG_ALERTS_RELEVANT] = "Varav relevanta",
		[FIG_SHARE_RELEVANT] = "Andel relevanta",
		[FIG_SURVEY_RESPONSES] = "Svar på mötesenkäten",
		[FIG_SURVEY_MEAN] = "Nöjdhet med möten, 1–5",
	},
	.explain = {
		[FIG_NOTICES] = "Upphandlingsannonser som publicerats: "
			"förhandsannonser (PIN), förfrågningar om information "
			"(RFI) och annonser om upphandling (CN).",
		[FIG_LOTS] = "Delområden i de annonserna.",
		[FIG_CATEGORY_LOTS] = "Delområdena fördelade på kategorier: "
			"ett delområde som hör till två kategorier räknas en "
			"gång i varje.",
		[FIG_LARGE] = "Kommunens egna upphandlingar med ett värde över "
			"det som är typiskt för små företag i kategorin; andra "
			"köpares är inte kommunens att dela upp.",
		[FIG_LARGE_DIVIDED] = "De stora upphandlingar som delats upp "
			"i flera delområden.",
		[FIG_SHARE_DIVIDED] = "Uppdelade stora upphandlingar i procent "
			"av alla stora upphandlingar; – där det inte fanns "
			"någon stor upphandling.",
		[FIG_LEAD_TIME] = "Genomsnittligt antal dagar från den första "
			"förhandsannonsen eller RFI:n till annonsen om "
			"upphandling, för de upphandlingar som hade båda; – "
			"där ingen hade det.",
		[FIG_LEAD_TIME_N] = "Antal upphandlingar som framförhållningen "
			"bygger på.",
		[FIG_SUBSCRIBED] = "Lokala företag som prenumererade på "
			"bevakningen vid kvartalets slut. Lokalt är ett "
			"företag med säte i någon av de kommuner tjänsten "
			"räknar till sina; alla företagssiffror räknar bara "
			"lokala företag.",
		[FIG_ALERTED] = "Lokala företag som fått minst ett mejl om ett "
			"delområde under kvartalet.",
		[FIG_REGISTERED] = "Lokala företag som anmält sig till minst "
			"ett informationsmöte under kvartalet.",
		[FIG_ATTENDING] = "Lokala företag som deltagit i minst ett "
			"informationsmöte under kvartalet.",
		[FIG_ANSWERING_RFI] = "Lokala företag som svarat på minst en "
			"förfrågan om information (RFI) under kvartalet.",
		[FIG_BIDDING] = "Lokala företag som uppgett att de lämnat minst "
			"ett anbud under kvartalet.",
		[FIG_WINNING] = "Lokala företag bland dem som tilldelats "
			"kontrakt under kvartalet.",
		[FIG_MEETINGS] = "Informationsmöten som hållits; inställda "
			"möten räknas inte.",
		[FIG_SEATS] = "Anmälningar till de möten som har börjat.",
		[FIG_ATTENDEES] = "Närvarande på de mötena, också de som "
			"kom utan att ha anmält sig.",
		[FIG_SHOWS] = "Anmälda som också kom.",
		[FIG_ATTENDANCE] = "Anmälda som kom i procent av anmälda; – "
			"där ingen anmält sig. Aldrig över 100 %.",
		[FIG_ALERTS_ANSWERED] = "Aviseringar om ett delområde som "
			"lokala företag svarat Relevant eller Inte relevant "
			"på, räknat på det kvartal mejlet skickades.",
		[FIG_ALERTS_RELEVANT] = "De besvarade aviseringar som "
			"företaget fann relevanta.",
		[FIG_SHARE_RELEVANT] = "Andel relevanta av besvarade "
			"aviseringar, i procent; – där ingen svarat.",
		[FIG_SURVEY_RESPONSES] = "Svar på enkäten efter de "
			"informationsmöten som började under kvartalet, "
			"antal svar.",
		[FIG_SURVEY_MEAN] = "Nöjdhet med informationsmöten, medel "
			"1–5 (5 mycket nöjd) av de svaren; – där ingen svarat.",
	},
};

static const struct lang english = {
	.code = "en", .group = ',', .point = '.', .percent = "%",
	.title = "Local firms in public procurement",
	.period = "Period", .generated = "Compiled", .sheet = "Report",
	.about = "How local firms take part in the municipality's "
		 "procurements, quarter by quarter. The report holds counts "
		 "and shares only, nothing about any single firm.",
	.no_data = "There is no data for the period.",
	.quarter = "Quarter", .category = "Category",
	.category_key = "Category key",
	.all_categories = "All categories",
	.meaning = "What the figures count",
	.firms_h = "Participation of firms",
	.firms_note = "Each firm counts once per quarter, however many mails, "
		      "meetings or bids it had, so quarters cannot be added up.",
	.trend_title = "Participation of firms per quarter",
	.trend_desc = "Line chart: the number of local firms per quarter that "
		      "were mailed, attended information meetings, answered "
		      "RFIs, bid and won contracts. The table below the chart "
		      "has the same figures.",
	.trend_axis = "Number of firms",
	.firms_caption = "Firms per quarter",
	.procurement_h = "Procurements",
	.procurement_caption = "Procurements per quarter",
	.lead_caption = "Lead time per quarter",
	.share_title = "Share of large procurements divided into lots, by "
		       "category",
	.share_desc = "Bar chart: for each category, over the whole period, "
		      "the share of large procurements divided into several "
		      "lots. Categories without large procurements show –. The "
		      "table below the chart has the same figures.",
	.share_axis = "Share divided",
	.categories_caption = "Procurements by category over the period",
	.categories_note = "Sums over the whole period. A procurement with "
			   "lots in several categories counts in each, so the "
			   "categories do not add up to the row for all "
			   "categories.",
	.no_categories = "There is no data by category for the period.",
	.meetings_h = "Information meetings",
	.attendance_title = "Attendance at information meetings per quarter",
	.attendance_desc = "Bar chart: attendances as a percentage of "
			   "registrations, per quarter. Quarters without "
			   "registrations show –. The table below the chart "
			   "has the same figures.",
	.attendance_axis = "Attendance",
	.meetings_caption = "Information meetings per quarter",
	.feedback_h = "What the firms thought",
	.feedback_note = "Every alert has two links, Relevant and Not relevant, "
			 "and those who came to an information meeting get a "
			 "short survey. Only counts, shares and means are "
			 "shown here, never what a single firm answered.",
	.feedback_caption = "Answers per quarter",
	.relevance_title = "Share of answered alerts found relevant per "
			   "quarter",
	.relevance_desc = "Bar chart: alerts local firms found relevant as a "
			  "percentage of those they answered, per quarter. "
			  "Quarters without answers show –. The table below "
			  "the chart has the same figures.",
	.relevance_axis = "Share relevant",
	.decisions_h = "Decisions on dividing procurements",
	.decisions_note = "The unit's decisions under LOU 4 kap. 14 § made in "
			  "the period and in force, for all categories. A "
			  "decision not to divide may give several reasons.",
	.decisions_caption = "Decisions in the period",
	.reasons_caption = "Reasons not to divide",
	.decisions_sheet = "Decisions on dividing",
	.decision = "Decision", .reason = "Reason",
	.decisions_count = "Number",
	.head = {
		[FIG_NOTICES] = "Notices",
		[FIG_LOTS] = "Lots",
		[FIG_CATEGORY_LOTS] = "Parts by category",
		[FIG_LARGE] = "Large procurements",
		[FIG_LARGE_DIVIDED] = "Of which divided",
		[FIG_SHARE_DIVIDED] = "Share divided",
		[FIG_LEAD_TIME] = "Lead time, days",
		[FIG_LEAD_TIME_N] = "Basis of lead time",
		[FIG_SUBSCRIBED] = "Subscribed",
		[FIG_ALERTED] = "Mailed",
		[FIG_REGISTERED] = "Registered for a meeting",
		[FIG_ATTENDING] = "Attended a meeting",
		[FIG_ANSWERING_RFI] = "Answered an RFI",
		[FIG_BIDDING] = "Bid",
		[FIG_WINNING] = "Won a contract",
		[FIG_MEETINGS] = "Meetings",
		[FIG_SEATS] = "Registrations",
		[FIG_ATTENDEES] = "Attendances",
		[FIG_SHOWS] = "Registered who came",
		[FIG_ATTENDANCE] = "Attendance",
		[FIG_ALERTS_ANSWERED] = "Alerts answered",
		[FIG_ALERTS_RELEVANT] = "Of which relevant",
		[FIG_SHARE_RELEVANT] = "Share relevant",
		[FIG_SURVEY_RESPONSES] = "Meeting survey answers",
		[FIG_SURVEY_MEAN] = "Satisfaction with meetings, 1–5",
	},
	.explain = {
		[FIG_NOTICES] = "Procurement notices published: prior "
			"information notices (PIN), requests for information "
			"(RFI) and contract notices (CN).",
		[FIG_LOTS] = "The lots in those notices.",
		[FIG_CATEGORY_LOTS] = "The lots split by category: a lot that "
			"belongs to two categories counts once in each.",
		[FIG_LARGE] = "The municipality's own procurements worth more "
			"than is typical for small firms in the category; "
			"other buyers' are not its to divide.",
		[FIG_LARGE_DIVIDED] = "The large procurements that were "
			"divided into several lots.",
		[FIG_SHARE_DIVIDED] = "Divided large procurements as a "
			"percentage of all large procurements; – where there "
			"was no large procurement.",
		[FIG_LEAD_TIME] = "The mean number of days from the first "
			"prior information notice or RFI to the contract "
			"notice, for the procedures that had both; – where "
			"none had.",
		[FIG_LEAD_TIME_N] = "How many procedures the lead time is "
			"based on.",
		[FIG_SUBSCRIBED] = "Local firms subscribed to the alerts at the "
			"end of the quarter. A firm is local when its seat is "
			"in one of the municipalities the service counts as "
			"its own; every firm figure counts local firms only.",
		[FIG_ALERTED] = "Local firms that got at least one mail about a "
			"lot in the quarter.",
		[FIG_REGISTERED] = "Local firms that registered for at least "
			"one information meeting in the quarter.",
		[FIG_ATTENDING] = "Local firms that attended at least one "
			"information meeting in the quarter.",
		[FIG_ANSWERING_RFI] = "Local firms that answered at least one "
			"request for information (RFI) in the quarter.",
		[FIG_BIDDING] = "Local firms that reported at least one bid in "
			"the quarter.",
		[FIG_WINNING] = "Local firms among the winners of contracts "
			"awarded in the quarter.",
		[FIG_MEETINGS] = "Information meetings held; cancelled ones "
			"do not count.",
		[FIG_SEATS] = "Registrations for the meetings that have begun.",
		[FIG_ATTENDEES] = "Attendances at those meetings, also of "
			"firms that came without registering.",
		[FIG_SHOWS] = "Registered firms that also came.",
		[FIG_ATTENDANCE] = "Registered firms that came as a percentage "
			"of registrations; – where nobody registered. Never "
			"above 100%.",
		[FIG_ALERTS_ANSWERED] = "Alerts about a lot that local firms "
			"answered Relevant or Not relevant, counted in the "
			"quarter the mail was sent.",
		[FIG_ALERTS_RELEVANT] = "The answered alerts the firm found "
			"relevant.",
		[FIG_SHARE_RELEVANT] = "Relevant alerts as a percentage of "
			"those answered; – where nobody answered.",
		[FIG_SURVEY_RESPONSES] = "Answers to the survey after the "
			"information meetings that began in the quarter.",
		[FIG_SURVEY_MEAN] = "Satisfaction with information meetings, "
			"mean of 1–5 (5 very satisfied) of those answers; – "
			"where nobody answered.",
	},
};

/* Swedish unless English is asked for. */
const struct lang *
rp_lang(const char *code)
{
	return code && strcmp(code, "en") == 0 ? &english : &swedish;
}
