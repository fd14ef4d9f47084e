#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "log.h"
#include "report.h"
#include "utf8.h"

enum figure {
	FIG_NOTICES, FIG_LOTS, FIG_CATEGORY_LOTS, FIG_LARGE, FIG_LARGE_DIVIDED,
	FIG_SHARE_DIVIDED, FIG_LEAD_TIME, FIG_LEAD_TIME_N,
	FIG_SUBSCRIBED, FIG_ALERTED, FIG_REGISTERED, FIG_ATTENDING,
	FIG_ANSWERING_RFI, FIG_BIDDING, FIG_WINNING,
	FIG_MEETINGS, FIG_SEATS, FIG_ATTENDEES, FIG_ATTENDANCE,
	NFIGURES
};

/* The words of one language; its figures' texts are indexed by figure. */
struct lang {
	const char *code;
	char group, point;	/* digit grouping and decimal mark */
	const char *percent;	/* after a number */
	const char *title, *period, *generated, *about, *no_data;
	const char *quarter, *category, *all_categories;
	const char *meaning;	/* heading of a table's explanations */
	const char *firms_h, *firms_note, *trend_title, *trend_desc,
		   *trend_axis, *firms_caption;
	const char *procurement_h, *procurement_caption, *lead_caption,
		   *share_title,
		   *share_desc, *share_axis, *categories_caption,
		   *categories_note, *no_categories;
	const char *meetings_h, *attendance_title, *attendance_desc,
		   *attendance_axis, *meetings_caption;
	const char *head[NFIGURES];
	const char *explain[NFIGURES];
};

static const struct lang swedish = {
	.code = "sv", .group = ' ', .point = ',', .percent = " %",
	.title = "Lokala företag i offentlig upphandling",
	.period = "Period", .generated = "Sammanställd",
	.about = "Hur lokala företag deltar i kommunens upphandlingar, kvartal "
		 "för kvartal. Sammanställningen innehåller bara antal och "
		 "andelar, inga uppgifter om enskilda företag.",
	.no_data = "Det finns inga uppgifter för perioden.",
	.quarter = "Kvartal", .category = "Kategori",
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
		[FIG_ATTENDANCE] = "Närvaro",
	},
	.explain = {
		[FIG_NOTICES] = "Upphandlingsannonser som publicerats: "
			"förhandsannonser (PIN), förfrågningar om information "
			"(RFI) och annonser om upphandling (CN).",
		[FIG_LOTS] = "Delområden i de annonserna.",
		[FIG_CATEGORY_LOTS] = "Delområdena fördelade på kategorier: "
			"ett delområde som hör till två kategorier räknas en "
			"gång i varje.",
		[FIG_LARGE] = "Upphandlingar med ett värde över det som är "
			"typiskt för små företag i kategorin.",
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
			"bevakningen vid kvartalets slut.",
		[FIG_ALERTED] = "Lokala företag som fått minst ett mejl om ett "
			"delområde under kvartalet.",
		[FIG_REGISTERED] = "Företag som anmält sig till minst ett "
			"informationsmöte under kvartalet.",
		[FIG_ATTENDING] = "Företag som deltagit i minst ett "
			"informationsmöte under kvartalet.",
		[FIG_ANSWERING_RFI] = "Företag som svarat på minst en "
			"förfrågan om information (RFI) under kvartalet.",
		[FIG_BIDDING] = "Företag som uppgett att de lämnat minst ett "
			"anbud under kvartalet.",
		[FIG_WINNING] = "Lokala företag bland dem som tilldelats "
			"kontrakt under kvartalet.",
		[FIG_MEETINGS] = "Informationsmöten som hållits.",
		[FIG_SEATS] = "Anmälningar till mötena.",
		[FIG_ATTENDEES] = "Närvarande på mötena.",
		[FIG_ATTENDANCE] = "Närvarande i procent av anmälda; – där "
			"ingen anmält sig. Kan bli över 100 % när fler kom än "
			"hade anmält sig.",
	},
};

static const struct lang english = {
	.code = "en", .group = ',', .point = '.', .percent = "%",
	.title = "Local firms in public procurement",
	.period = "Period", .generated = "Compiled",
	.about = "How local firms take part in the municipality's "
		 "procurements, quarter by quarter. The report holds counts "
		 "and shares only, nothing about any single firm.",
	.no_data = "There is no data for the period.",
	.quarter = "Quarter", .category = "Category",
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
		[FIG_ATTENDANCE] = "Attendance",
	},
	.explain = {
		[FIG_NOTICES] = "Procurement notices published: prior "
			"information notices (PIN), requests for information "
			"(RFI) and contract notices (CN).",
		[FIG_LOTS] = "The lots in those notices.",
		[FIG_CATEGORY_LOTS] = "The lots split by category: a lot that "
			"belongs to two categories counts once in each.",
		[FIG_LARGE] = "Procurements worth more than is typical for "
			"small firms in the category.",
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
			"end of the quarter.",
		[FIG_ALERTED] = "Local firms that got at least one mail about a "
			"lot in the quarter.",
		[FIG_REGISTERED] = "Firms that registered for at least one "
			"information meeting in the quarter.",
		[FIG_ATTENDING] = "Firms that attended at least one "
			"information meeting in the quarter.",
		[FIG_ANSWERING_RFI] = "Firms that answered at least one "
			"request for information (RFI) in the quarter.",
		[FIG_BIDDING] = "Firms that reported at least one bid in the "
			"quarter.",
		[FIG_WINNING] = "Local firms among the winners of contracts "
			"awarded in the quarter.",
		[FIG_MEETINGS] = "Information meetings held.",
		[FIG_SEATS] = "Registrations for those meetings.",
		[FIG_ATTENDEES] = "Attendances at those meetings.",
		[FIG_ATTENDANCE] = "Attendances as a percentage of "
			"registrations; – where nobody registered. Can exceed "
			"100% when more came than had registered.",
	},
};

/*
 * What the tables show, in their order. Lead time has a table of its own
 * so that the others still fit across a printed page.
 */
static const enum figure procurement_figures[] = {
	FIG_NOTICES, FIG_LOTS, FIG_CATEGORY_LOTS, FIG_LARGE, FIG_LARGE_DIVIDED,
	FIG_SHARE_DIVIDED,
};

static const enum figure lead_figures[] = { FIG_LEAD_TIME, FIG_LEAD_TIME_N };

/* Lots are left out by category: a lot's parts there are category_lots. */
static const enum figure category_figures[] = {
	FIG_NOTICES, FIG_CATEGORY_LOTS, FIG_LARGE, FIG_LARGE_DIVIDED,
	FIG_SHARE_DIVIDED, FIG_LEAD_TIME, FIG_LEAD_TIME_N,
};

static const enum figure firm_figures[] = {
	FIG_SUBSCRIBED, FIG_ALERTED, FIG_REGISTERED, FIG_ATTENDING,
	FIG_ANSWERING_RFI, FIG_BIDDING, FIG_WINNING,
};

static const enum figure meeting_figures[] = {
	FIG_MEETINGS, FIG_SEATS, FIG_ATTENDEES, FIG_ATTENDANCE,
};

#define COUNT_OF(a) (sizeof (a) / sizeof (a)[0])

/*
 * The trend chart's lines. Colour and dash pattern both differ, and each
 * has its own marker, so the lines stay apart printed in grey.
 */
static const struct series {
	enum figure fig;
	const char *colour;
	const char *dash;	/* NULL: solid */
} trend_series[] = {
	{ FIG_ALERTED, "#0b4f9c", NULL },
	{ FIG_ATTENDING, "#b35900", "10 5" },
	{ FIG_ANSWERING_RFI, "#1b7837", "2 4" },
	{ FIG_BIDDING, "#762a83", "10 4 2 4" },
	{ FIG_WINNING, "#1a1a1a", "10 3 2 3 2 3" },
};

#define BAR_COLOUR "#0b4f9c"

static const char style[] =
	"body { margin: 0; padding: 1em; background: #ffffff; color: #1a1a1a;\n"
	"  font-family: system-ui, -apple-system, \"Segoe UI\", Roboto, "
	"Helvetica,\n  Arial, sans-serif; font-size: 16px; line-height: 1.5; }\n"
	"main { max-width: 60em; margin: 0 auto; }\n"
	"h1 { font-size: 1.5em; line-height: 1.25; margin: .5em 0; }\n"
	"h2 { font-size: 1.2em; margin: 2em 0 .5em; padding-bottom: .2em;\n"
	"  border-bottom: 1px solid #cccccc; }\n"
	"h3 { font-size: 1em; margin: 1em 0 .25em; }\n"
	"figure { margin: 1em 0; }\n"
	"svg { display: block; width: 100%; height: auto; }\n"
	"svg text { font-size: 12px; fill: #1a1a1a; }\n"
	"svg .grid { stroke: #d9d9d9; stroke-width: 1; }\n"
	"svg .axis { stroke: #1a1a1a; stroke-width: 1; }\n"
	".wide { overflow-x: auto; }\n"
	"table { border-collapse: collapse; margin: 1em 0; font-size: .85em; }\n"
	"caption { text-align: left; font-weight: bold; padding-bottom: .25em; }\n"
	"th, td { padding: .25em .4em; border-bottom: 1px solid #d9d9d9; }\n"
	"thead th { vertical-align: bottom; border-bottom: 2px solid #1a1a1a; }\n"
	"th[scope=row] { text-align: left; font-weight: normal; }\n"
	"td, th.quarter { white-space: nowrap; }\n"
	"td { text-align: right; font-variant-numeric: tabular-nums; }\n"
	"tfoot th[scope=row], tfoot td { font-weight: bold;\n"
	"  border-top: 2px solid #1a1a1a; }\n"
	"dt { font-weight: bold; }\n"
	"dd { margin: 0 0 .5em; }\n"
	".note { color: #404040; }\n"
	".nodata { border-left: 4px solid #8a4b00; background: #fff4e0;\n"
	"  padding: .5em 1em; font-weight: bold; }\n"
	"@page { margin: 15mm; }\n"
	"@media print {\n"
	"  body { padding: 0; font-size: 10pt; }\n"
	"  .wide { overflow-x: visible; }\n"
	"  table { font-size: 8pt; }\n"
	"  h2, h3 { break-after: avoid; }\n"
	"  figure, table, dl { break-inside: avoid; }\n"
	"}\n";

/*
 * Where the renderers write. Appends stop at the first that fails and the
 * renderer looks once at the end, as with ferror(): a report is hundreds
 * of appends, and checking each would bury what is written.
 */
enum out_state { OUT_OK, OUT_TOO_LONG, OUT_NO_MEMORY };

struct out {
	struct buf *b;
	const struct lang *l;
	enum out_state state;
};

static void
put_len(struct out *o, const char *s, size_t len)
{
	if (o->state != OUT_OK)
		return;
	if (len > o->b->max - o->b->len)
		o->state = OUT_TOO_LONG;
	else if (buf_add(o->b, s, len) < 0)
		o->state = OUT_NO_MEMORY;
}

static void
put(struct out *o, const char *s)
{
	put_len(o, s, strlen(s));
}

static void putf(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
putf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->state != OUT_OK)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n > o->b->max - o->b->len)
		o->state = OUT_TOO_LONG;
	else if (buf_vprintf(o->b, fmt, ap) < 0)
		o->state = OUT_NO_MEMORY;
	va_end(ap);
}

/* Reports a failed render and takes out back to its length before it. */
static int
finish(struct out *o, size_t len)
{
	if (o->state == OUT_OK)
		return 0;
	o->b->len = len;
	if (o->b->data)
		o->b->data[len] = '\0';
	if (o->state == OUT_TOO_LONG)
		return error("report: longer than %zu bytes", o->b->max);
	return error("report: out of memory");
}

/* The bytes of the character at p, at least 1: a byte that starts no
 * UTF-8 sequence counts as a character of its own. */
static size_t
char_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] < 0x80 ? 1 : utf8_seq_len(p, n);

	return len ? len : 1;
}

/*
 * Text from the data, HTML-escaped; at most max characters (0: all), a
 * longer text cut to end in "…". A byte that is not UTF-8 becomes U+FFFD
 * and a control character a space, so the document stays well-formed
 * whatever the database holds.
 */
static void
put_text(struct out *o, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i, len, chars = 0, total = 0;

	for (i = 0; i < n; i += char_len(p + i, n - i))
		total++;
	for (i = 0; i < n; i += len, chars++) {
		len = char_len(p + i, n - i);
		if (max && total > max && chars == max - 1) {
			put(o, "…");
			return;
		}
		if (p[i] >= 0x80 && len == 1)
			put(o, "\xef\xbf\xbd");
		else if (p[i] >= 0x80)
			put_len(o, s + i, len);
		else if (p[i] == '&')
			put(o, "&amp;");
		else if (p[i] == '<')
			put(o, "&lt;");
		else if (p[i] == '>')
			put(o, "&gt;");
		else if (p[i] == '"')
			put(o, "&quot;");
		else if (p[i] == '\'')
			put(o, "&#39;");
		else if (p[i] < 0x20 || p[i] == 0x7f)
			put(o, " ");
		else
			put_len(o, s + i, 1);
	}
}

/*
 * A CSV field: quoted, with its quotes doubled, when it holds a comma,
 * quote or line end; NULL is empty.
 */
static void
put_csv_field(struct out *o, const char *s)
{
	const char *q;

	put(o, ",");
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		put(o, s);
		return;
	}
	put(o, "\"");
	while ((q = strchr(s, '"'))) {
		put_len(o, s, (size_t)(q - s) + 1);
		put(o, "\"");
		s = q + 1;
	}
	put(o, s);
	put(o, "\"");
}

/* Room for a grouped number: 40 digits and their separators. */
#define NUM_MAX 64

/*
 * digits, a run of decimal digits whose last `decimals` (0 or 1) are the
 * fraction, written with the digits grouped in threes by group (none if
 * 0) and the decimal mark point.
 */
static void
group_digits(char out[NUM_MAX], const char *digits, int decimals, char group,
	     char point)
{
	int n = (int)strnlen(digits, NUM_MAX / 2 - 1), whole = n - decimals;
	int i;
	size_t k = 0;

	if (whole <= 0)
		out[k++] = '0';
	for (i = 0; i < whole; i++) {
		if (group && i && (whole - i) % 3 == 0)
			out[k++] = group;
		out[k++] = digits[i];
	}
	if (decimals) {
		out[k++] = point;
		out[k++] = n > 0 ? digits[n - 1] : '0';
	}
	out[k] = '\0';
}

/* A count, exactly: a long is wider than a double's mantissa. */
static void
format_count(char out[NUM_MAX], long v, char group)
{
	char digits[NUM_MAX / 2];

	snprintf(digits, sizeof digits, "%ld", v);
	group_digits(out, digits, 0, group, 0);
}

/*
 * v (not negative) with `decimals` (0 or 1) decimals. The digits come from
 * "%.0f" of the value in tenths, which no locale changes, so the CSV and
 * the SVG coordinates stay the same if the program ever calls setlocale.
 */
static void
format_decimal(char out[NUM_MAX], double v, int decimals, char group,
	       char point)
{
	char digits[NUM_MAX / 2];

	snprintf(digits, sizeof digits, "%.0f", round(decimals ? v * 10 : v));
	group_digits(out, digits, decimals, group, point);
}

static long
count_of(const struct report_row *x, enum figure f)
{
	switch (f) {
	case FIG_NOTICES: return x->notices;
	case FIG_LOTS: return x->lots;
	case FIG_CATEGORY_LOTS: return x->category_lots;
	case FIG_LARGE: return x->large;
	case FIG_LARGE_DIVIDED: return x->large_divided;
	case FIG_LEAD_TIME_N: return x->lead_time_n;
	case FIG_SUBSCRIBED: return x->firms_subscribed;
	case FIG_ALERTED: return x->firms_alerted;
	case FIG_REGISTERED: return x->firms_registered;
	case FIG_ATTENDING: return x->firms_attending;
	case FIG_ANSWERING_RFI: return x->firms_answering_rfi;
	case FIG_BIDDING: return x->firms_bidding;
	case FIG_WINNING: return x->firms_winning;
	case FIG_MEETINGS: return x->meetings_held;
	case FIG_SEATS: return x->meeting_seats_taken;
	case FIG_ATTENDEES: return x->meeting_attendees;
	default: return 0;
	}
}

/*
 * The value of a figure that is a share or a mean: 1 with it in *v, 0
 * where there is nothing to divide by. Counts are count_of's.
 */
static int
ratio_of(const struct report_row *x, enum figure f, double *v)
{
	switch (f) {
	case FIG_SHARE_DIVIDED:
		if (x->large == 0)
			return 0;
		*v = 100.0 * (double)x->large_divided / (double)x->large;
		return 1;
	case FIG_ATTENDANCE:
		if (x->meeting_seats_taken == 0)
			return 0;
		*v = 100.0 * (double)x->meeting_attendees /
		     (double)x->meeting_seats_taken;
		return 1;
	case FIG_LEAD_TIME:
		if (x->lead_time_n == 0)
			return 0;
		*v = x->lead_time_days;
		return 1;
	default:
		return 0;
	}
}

static int
is_ratio(enum figure f)
{
	return f == FIG_SHARE_DIVIDED || f == FIG_ATTENDANCE ||
	       f == FIG_LEAD_TIME;
}

static int
is_percent(enum figure f)
{
	return f == FIG_SHARE_DIVIDED || f == FIG_ATTENDANCE;
}

/* A figure as the language writes it; "–" where it is undefined. */
static void
format_figure(char out[NUM_MAX], const struct lang *l,
	      const struct report_row *x, enum figure f)
{
	double v;

	if (!is_ratio(f)) {
		format_count(out, count_of(x, f), l->group);
		return;
	}
	if (!ratio_of(x, f, &v)) {
		strcpy(out, "–");
		return;
	}
	format_decimal(out, v, 1, l->group, l->point);
	if (is_percent(f))
		strcat(out, l->percent);
}

static int
is_english(const char *lang)
{
	return lang && strcmp(lang, "en") == 0;
}

static int
quarter_index(const struct report_row *x)
{
	return x->year * 4 + x->quarter - 1;
}

static const char *
name_of(const struct report_row *x)
{
	return x->category_name ? x->category_name : x->category;
}

/* Year, quarter, then category, the totals row (NULL) first. */
static int
row_cmp(const struct report_row *a, const struct report_row *b)
{
	if (quarter_index(a) != quarter_index(b))
		return quarter_index(a) < quarter_index(b) ? -1 : 1;
	if (!a->category || !b->category)
		return !!a->category - !!b->category;
	return strcmp(a->category, b->category);
}

static int
check_row(const struct report_row *x)
{
	const long counts[] = {
		x->notices, x->lots, x->category_lots, x->large,
		x->large_divided, x->firms_subscribed, x->firms_alerted,
		x->firms_registered, x->firms_attending,
		x->firms_answering_rfi, x->firms_bidding, x->firms_winning,
		x->meetings_held, x->meeting_seats_taken,
		x->meeting_attendees, x->lead_time_n,
	};
	const char *what = x->category ? x->category : "totals";
	size_t i;

	if (x->year < 1 || x->year > 9999 || x->quarter < 1 || x->quarter > 4)
		return error("report: a row for quarter %d of year %d",
			     x->quarter, x->year);
	for (i = 0; i < COUNT_OF(counts); i++)
		if (counts[i] < 0)
			return error("report: %d-Q%d %s: a negative figure",
				     x->year, x->quarter, what);
	if (x->large_divided > x->large)
		return error("report: %d-Q%d %s: more large procurements "
			     "divided (%ld) than there were (%ld)", x->year,
			     x->quarter, what, x->large_divided, x->large);
	if (x->lead_time_n > 0 && !(x->lead_time_days >= 0 &&
				    x->lead_time_days <= REPORT_LEAD_DAYS_MAX))
		return error("report: %d-Q%d %s: lead time of %g days",
			     x->year, x->quarter, what, x->lead_time_days);
	return 0;
}

/* Checks what report.h asks of a report; *nquarters from first to last. */
static int
check_report(const struct report *r, size_t *nquarters)
{
	const struct report_row *x, *prev = NULL;
	size_t i;

	*nquarters = 0;
	if (!r->service)
		return error("report: no service name");
	if (r->from >= r->to)
		return error("report: the period ends before it begins");
	if (r->nrows && !r->rows)
		return error("report: %zu rows, not given", r->nrows);
	for (i = 0; i < r->nrows; prev = x, i++) {
		x = &r->rows[i];
		if (check_row(x) < 0)
			return -1;
		if (prev && row_cmp(prev, x) >= 0)
			return error("report: %d-Q%d %s: rows out of order or "
				     "twice", x->year, x->quarter,
				     x->category ? x->category : "totals");
		if (prev && quarter_index(prev) == quarter_index(x))
			continue;
		if (x->category)
			return error("report: %d-Q%d has no totals row",
				     x->year, x->quarter);
		if (prev && quarter_index(x) != quarter_index(prev) + 1)
			return error("report: no totals row for the quarters "
				     "between %d-Q%d and %d-Q%d", prev->year,
				     prev->quarter, x->year, x->quarter);
		(*nquarters)++;
	}
	return 0;
}

/* The totals row of each quarter, in order. */
static int
collect_totals(const struct report *r, size_t nquarters,
	       const struct report_row ***out)
{
	size_t i, k = 0;

	*out = NULL;
	if (nquarters && !(*out = calloc(nquarters, sizeof **out)))
		return error("out of memory");
	for (i = 0; i < r->nrows; i++)
		if (!r->rows[i].category)
			(*out)[k++] = &r->rows[i];
	return 0;
}

/*
 * A category's procurement figures added up over the period, in row, with
 * row.lead_time_days the mean weighted by each quarter's lead_time_n.
 */
struct sum {
	struct report_row row;
	double lead_days;	/* days over every procedure */
};

static int
add_to(long *sum, long v)
{
	if (v > LONG_MAX - *sum)
		return -1;
	*sum += v;
	return 0;
}

static int
sum_add(struct sum *s, const struct report_row *x)
{
	if (add_to(&s->row.notices, x->notices) < 0 ||
	    add_to(&s->row.category_lots, x->category_lots) < 0 ||
	    add_to(&s->row.large, x->large) < 0 ||
	    add_to(&s->row.large_divided, x->large_divided) < 0 ||
	    add_to(&s->row.lead_time_n, x->lead_time_n) < 0)
		return error("report: %s: figures too large to add up over "
			     "the period", x->category ? x->category : "totals");
	if (x->lead_time_n > 0)
		s->lead_days += x->lead_time_days * (double)x->lead_time_n;
	if (s->row.lead_time_n > 0)
		s->row.lead_time_days = s->lead_days /
					(double)s->row.lead_time_n;
	return 0;
}

static int
key_cmp(const void *a, const void *b)
{
	const struct report_row *const *x = a, *const *y = b;

	return strcmp((*x)->category, (*y)->category);
}

/*
 * Each category's sum over the period, in key order, in *cats, and the
 * totals rows' sum in *all, which only the table of categories shows: it
 * is left zero when there is no category.
 */
static int
sum_categories(const struct report *r, struct sum **cats, size_t *ncats,
	       struct sum *all)
{
	const struct report_row **by_key = NULL;
	struct sum *s = NULL;
	size_t i, n = 0;
	int rc = -1;

	*cats = NULL;
	*ncats = 0;
	memset(all, 0, sizeof *all);
	if (r->nrows && !(by_key = calloc(r->nrows, sizeof *by_key))) {
		error("out of memory");
		goto out;
	}
	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].category)
			by_key[n++] = &r->rows[i];
	if (n && !(*cats = calloc(n, sizeof **cats))) {
		error("out of memory");
		goto out;
	}
	for (i = 0; n && i < r->nrows; i++)
		if (!r->rows[i].category && sum_add(all, &r->rows[i]) < 0)
			goto out;
	if (n)
		qsort(by_key, n, sizeof *by_key, key_cmp);
	for (i = 0; i < n; i++) {
		if (!s || strcmp(by_key[i]->category, s->row.category) != 0) {
			s = &(*cats)[(*ncats)++];
			s->row.category = by_key[i]->category;
			s->row.category_name = name_of(by_key[i]);
		}
		if (sum_add(s, by_key[i]) < 0)
			goto out;
	}
	rc = 0;
out:
	free(by_key);
	if (rc < 0) {
		free(*cats);
		*cats = NULL;
		*ncats = 0;
	}
	return rc;
}

/* The charts' drawing, in the units of their viewBox. */
#define CHART_W 800
#define CHAR_W 7		/* a digit of a 12px label, roughly */

/*
 * A value axis from 0 with round ticks: steps of 1, 2, 5 (2.5 from 25 on)
 * times a power of ten, and never below 1, since the values are counts or
 * percentages.
 */
struct scale {
	double step, top;
	int nticks;		/* ticks above 0 */
};

static void
scale_for(struct scale *s, double max)
{
	double raw = max / 4, mag, f;

	if (raw < 1)
		raw = 1;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	if (f <= 1)
		f = 1;
	else if (f <= 2)
		f = 2;
	else if (f <= 2.5 && mag >= 10)
		f = 2.5;
	else if (f <= 5)
		f = 5;
	else
		f = 10;
	s->step = f * mag;
	s->nticks = (int)ceil(max / s->step);
	if (s->nticks < 1)
		s->nticks = 1;
	s->top = s->nticks * s->step;
}

static void
format_tick(char out[NUM_MAX], const struct lang *l, double v, int percent)
{
	format_decimal(out, v, 0, l->group, l->point);
	if (percent)
		strcat(out, l->percent);
}

/* Room left of a vertical axis for its tick labels and its title. */
static int
axis_margin(const struct lang *l, const struct scale *s, int percent)
{
	char top[NUM_MAX];

	format_tick(top, l, s->top, percent);
	return 34 + CHAR_W * (int)strlen(top);
}

static long
y_of(const struct scale *s, double v, int top, int height)
{
	return lround(top + height - v / s->top * height);
}

/* Horizontal grid lines with their labels, and the axis title. */
static void
put_value_axis(struct out *o, const struct scale *s, int left, int right,
	       int top, int height, int percent, const char *title)
{
	char label[NUM_MAX];
	long y;
	int i;

	for (i = 0; i <= s->nticks; i++) {
		y = y_of(s, i * s->step, top, height);
		format_tick(label, o->l, i * s->step, percent);
		putf(o, "<line class=\"%s\" x1=\"%d\" y1=\"%ld\" x2=\"%d\" "
		     "y2=\"%ld\" />\n", i ? "grid" : "axis", left, y, right, y);
		putf(o, "<text class=\"tick\" x=\"%d\" y=\"%ld\" "
		     "text-anchor=\"end\">%s</text>\n", left - 6, y + 4, label);
	}
	putf(o, "<text x=\"%d\" y=\"14\" transform=\"rotate(-90)\" "
	     "text-anchor=\"middle\">%s</text>\n", -(top + height / 2), title);
}


/*
 * Where quarter i of nq sits between left and right: in the middle of its
 * slot for bars; for lines, spread out with the first and last a little
 * in from the axes, and a single quarter in the middle.
 */
static long
quarter_x(size_t i, size_t nq, int left, int right, int bars)
{
	if (bars)
		return lround(left + (right - left) * ((double)i + 0.5) /
				     (double)nq);
	if (nq == 1)
		return (left + right) / 2;
	return lround(left + 20 + (right - left - 40) * (double)i /
				  (double)(nq - 1));
}

/* Labels under the quarters, fewer when they would run into each other. */
static void
put_quarter_labels(struct out *o, const struct report_row *const *q,
		   size_t nq, int left, int right, int bars, int y)
{
	enum { LABEL_W = 64 };
	size_t i, every = (size_t)LABEL_W * nq / (size_t)(right - left) + 1;

	for (i = 0; i < nq; i += every)
		putf(o, "<text x=\"%ld\" y=\"%d\" text-anchor=\"middle\">"
		     "%d-Q%d</text>\n", quarter_x(i, nq, left, right, bars), y,
		     q[i]->year, q[i]->quarter);
	putf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
	     (left + right) / 2, y + 22, o->l->quarter);
}

static void
put_svg_start(struct out *o, const char *id, int height, const char *title,
	      const char *desc)
{
	putf(o, "<figure>\n<svg viewBox=\"0 0 %d %d\" width=\"100%%\" "
	     "role=\"img\" aria-labelledby=\"%s-title %s-desc\">\n"
	     "<title id=\"%s-title\">%s</title>\n"
	     "<desc id=\"%s-desc\">%s</desc>\n",
	     CHART_W, height, id, id, id, title, id, desc);
}

static void
put_svg_end(struct out *o)
{
	put(o, "</svg>\n</figure>\n");
}

/* Series k's marker, a shape of its own, centred on (x, y). */
static void
put_marker(struct out *o, size_t k, long x, long y)
{
	const char *c = trend_series[k].colour;

	switch (k) {
	case 0:
		putf(o, "<circle cx=\"%ld\" cy=\"%ld\" r=\"4\" fill=\"%s\" />\n",
		     x, y, c);
		break;
	case 1:
		putf(o, "<rect x=\"%ld\" y=\"%ld\" width=\"8\" height=\"8\" "
		     "fill=\"%s\" />\n", x - 4, y - 4, c);
		break;
	case 2:
		putf(o, "<polygon points=\"%ld,%ld %ld,%ld %ld,%ld %ld,%ld\" "
		     "fill=\"%s\" />\n", x, y - 5, x + 5, y, x, y + 5, x - 5, y,
		     c);
		break;
	case 3:
		putf(o, "<polygon points=\"%ld,%ld %ld,%ld %ld,%ld\" "
		     "fill=\"%s\" />\n", x, y - 5, x + 5, y + 4, x - 5, y + 4, c);
		break;
	default:
		putf(o, "<polygon points=\"%ld,%ld %ld,%ld %ld,%ld\" "
		     "fill=\"%s\" />\n", x, y + 5, x + 5, y - 4, x - 5, y - 4, c);
	}
}

static void
put_stroke(struct out *o, size_t k)
{
	putf(o, "fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"",
	     trend_series[k].colour);
	if (trend_series[k].dash)
		putf(o, " stroke-dasharray=\"%s\"", trend_series[k].dash);
}

/*
 * (1) The firms taking part per quarter, a line per figure, each point
 * marked: a single quarter is a line of one point, which only its marker
 * shows.
 */
static void
put_trend_chart(struct out *o, const struct report_row *const *q, size_t nq)
{
	enum { TOP = 16, PLOT_H = 240, LEGEND_ROW = 22 };
	const int bottom = TOP + PLOT_H, legend = bottom + 58;
	const int right = CHART_W - 20;
	struct scale s;
	double max = 0;
	size_t i, k;
	long x, y;
	int left;

	for (i = 0; i < nq; i++)
		for (k = 0; k < COUNT_OF(trend_series); k++)
			max = fmax(max, (double)count_of(q[i],
						trend_series[k].fig));
	scale_for(&s, max);
	left = axis_margin(o->l, &s, 0);
	put_svg_start(o, "trend",
		      legend + (int)COUNT_OF(trend_series) * LEGEND_ROW,
		      o->l->trend_title, o->l->trend_desc);
	put_value_axis(o, &s, left, right, TOP, PLOT_H, 0, o->l->trend_axis);
	put_quarter_labels(o, q, nq, left, right, 0, bottom + 18);
	for (k = 0; k < COUNT_OF(trend_series); k++) {
		put(o, "<polyline points=\"");
		for (i = 0; i < nq; i++)
			putf(o, "%s%ld,%ld", i ? " " : "",
			     quarter_x(i, nq, left, right, 0),
			     y_of(&s, (double)count_of(q[i],
						       trend_series[k].fig),
				  TOP, PLOT_H));
		put(o, "\" ");
		put_stroke(o, k);
		put(o, " />\n");
		for (i = 0; i < nq; i++)
			put_marker(o, k, quarter_x(i, nq, left, right, 0),
				   y_of(&s, (double)count_of(q[i],
						trend_series[k].fig),
					TOP, PLOT_H));
	}
	for (k = 0; k < COUNT_OF(trend_series); k++) {
		x = left;
		y = legend + (long)k * LEGEND_ROW;
		putf(o, "<line x1=\"%ld\" y1=\"%ld\" x2=\"%ld\" y2=\"%ld\" ",
		     x, y, x + 44, y);
		put_stroke(o, k);
		put(o, " />\n");
		put_marker(o, k, x + 22, y);
		putf(o, "<text x=\"%ld\" y=\"%ld\">%s</text>\n", x + 54, y + 4,
		     o->l->head[trend_series[k].fig]);
	}
	put_svg_end(o);
}

/*
 * (2) The share of large procurements divided, a bar per category over
 * the period. Long names are cut here; the table has them whole.
 */
static void
put_share_chart(struct out *o, const struct sum *cats, size_t ncats)
{
	enum { TOP = 8, ROW = 26, BAR = 16, X0 = 240, X1 = 720, NAME = 30 };
	const int bottom = TOP + (int)ncats * ROW;
	char label[NUM_MAX];
	double v;
	size_t i;
	long y, w;
	int t, x;

	put_svg_start(o, "share", bottom + 48, o->l->share_title,
		      o->l->share_desc);
	for (t = 0; t <= 100; t += 25) {
		x = X0 + t * (X1 - X0) / 100;
		format_tick(label, o->l, t, 1);
		putf(o, "<line class=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
		     "y2=\"%d\" />\n", t ? "grid" : "axis", x, TOP, x, bottom);
		putf(o, "<text class=\"tick\" x=\"%d\" y=\"%d\" "
		     "text-anchor=\"middle\">%s</text>\n", x, bottom + 18, label);
	}
	putf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
	     (X0 + X1) / 2, bottom + 40, o->l->share_axis);
	for (i = 0; i < ncats; i++) {
		y = TOP + (long)i * ROW + (ROW - BAR) / 2;
		putf(o, "<text x=\"%d\" y=\"%ld\" text-anchor=\"end\">",
		     X0 - 8, y + BAR - 4);
		put_text(o, cats[i].row.category_name, NAME);
		put(o, "</text>\n");
		format_figure(label, o->l, &cats[i].row, FIG_SHARE_DIVIDED);
		w = 0;
		if (ratio_of(&cats[i].row, FIG_SHARE_DIVIDED, &v)) {
			w = lround(v * (X1 - X0) / 100);
			putf(o, "<rect x=\"%d\" y=\"%ld\" width=\"%ld\" "
			     "height=\"%d\" fill=\"%s\" />\n", X0, y, w, BAR,
			     BAR_COLOUR);
		}
		putf(o, "<text x=\"%ld\" y=\"%ld\">%s</text>\n", X0 + w + 6,
		     y + BAR - 4, label);
	}
	put_svg_end(o);
}

/*
 * (3) Attendances per registration, a bar per quarter. The axis reaches
 * past 100 % when more came than registered.
 */
static void
put_attendance_chart(struct out *o, const struct report_row *const *q,
		     size_t nq)
{
	enum { TOP = 16, PLOT_H = 200, ROOM_FOR_VALUE = 48 };
	const int bottom = TOP + PLOT_H, right = CHART_W - 20;
	char label[NUM_MAX];
	struct scale s;
	double max = 100, v, slot;
	size_t i;
	long x, y;
	int left;

	for (i = 0; i < nq; i++)
		if (ratio_of(q[i], FIG_ATTENDANCE, &v))
			max = fmax(max, v);
	scale_for(&s, max);
	left = axis_margin(o->l, &s, 1);
	slot = (double)(right - left) / (double)nq;
	put_svg_start(o, "attendance", bottom + 48, o->l->attendance_title,
		      o->l->attendance_desc);
	put_value_axis(o, &s, left, right, TOP, PLOT_H, 1,
		       o->l->attendance_axis);
	put_quarter_labels(o, q, nq, left, right, 1, bottom + 18);
	for (i = 0; i < nq; i++) {
		x = quarter_x(i, nq, left, right, 1);
		format_figure(label, o->l, q[i], FIG_ATTENDANCE);
		if (!ratio_of(q[i], FIG_ATTENDANCE, &v)) {
			putf(o, "<text x=\"%ld\" y=\"%d\" text-anchor=\"middle\">"
			     "%s</text>\n", x, bottom - 6, label);
			continue;
		}
		y = y_of(&s, v, TOP, PLOT_H);
		putf(o, "<rect x=\"%ld\" y=\"%ld\" width=\"%ld\" height=\"%ld\" "
		     "fill=\"%s\" />\n", lround(x - slot * 0.3), y,
		     lround(slot * 0.6), bottom - y, BAR_COLOUR);
		if (slot >= ROOM_FOR_VALUE)
			putf(o, "<text x=\"%ld\" y=\"%ld\" text-anchor=\"middle\">"
			     "%s</text>\n", x, y - 5, label);
	}
	put_svg_end(o);
}

/* A table's head: the row headers' title, then the figures'. */
static void
put_table_start(struct out *o, const char *caption, const char *first,
		const enum figure *figs, size_t nfigs)
{
	size_t i;

	putf(o, "<div class=\"wide\">\n<table>\n<caption>%s</caption>\n"
	     "<thead>\n<tr><th scope=\"col\">%s</th>", caption, first);
	for (i = 0; i < nfigs; i++)
		putf(o, "<th scope=\"col\">%s</th>", o->l->head[figs[i]]);
	put(o, "</tr>\n</thead>\n");
}

/* The rest of a table row, after its header cell. */
static void
put_cells(struct out *o, const struct report_row *x, const enum figure *figs,
	  size_t nfigs)
{
	char v[NUM_MAX];
	size_t i;

	for (i = 0; i < nfigs; i++) {
		format_figure(v, o->l, x, figs[i]);
		putf(o, "<td>%s</td>", v);
	}
	put(o, "</tr>\n");
}

/* What each column counts, next to the table, for readers of a printout. */
static void
put_meanings(struct out *o, const enum figure *figs, size_t nfigs)
{
	size_t i;

	putf(o, "<h3>%s</h3>\n<dl>\n", o->l->meaning);
	for (i = 0; i < nfigs; i++)
		putf(o, "<dt>%s</dt>\n<dd>%s</dd>\n", o->l->head[figs[i]],
		     o->l->explain[figs[i]]);
	put(o, "</dl>\n");
}

/* A table of the figures of each quarter's totals row. */
static void
put_quarter_table(struct out *o, const char *caption,
		  const struct report_row *const *q, size_t nq,
		  const enum figure *figs, size_t nfigs)
{
	size_t i;

	put_table_start(o, caption, o->l->quarter, figs, nfigs);
	put(o, "<tbody>\n");
	for (i = 0; i < nq; i++) {
		putf(o, "<tr><th scope=\"row\" class=\"quarter\">%d-Q%d</th>",
		     q[i]->year, q[i]->quarter);
		put_cells(o, q[i], figs, nfigs);
	}
	put(o, "</tbody>\n</table>\n</div>\n");
	put_meanings(o, figs, nfigs);
}

static void
put_category_table(struct out *o, const struct sum *cats, size_t ncats,
		   const struct sum *all)
{
	const enum figure *figs = category_figures;
	const size_t nfigs = COUNT_OF(category_figures);
	size_t i;

	put_table_start(o, o->l->categories_caption, o->l->category, figs,
			nfigs);
	put(o, "<tbody>\n");
	for (i = 0; i < ncats; i++) {
		put(o, "<tr><th scope=\"row\">");
		put_text(o, cats[i].row.category_name, 0);
		put(o, "</th>");
		put_cells(o, &cats[i].row, figs, nfigs);
	}
	putf(o, "</tbody>\n<tfoot>\n<tr><th scope=\"row\">%s</th>",
	     o->l->all_categories);
	put_cells(o, &all->row, figs, nfigs);
	put(o, "</tfoot>\n</table>\n</div>\n");
	putf(o, "<p class=\"note\">%s</p>\n", o->l->categories_note);
}

/* The times the report states, formatted before anything is written. */
struct times {
	char first[16], last[16];	/* days of the period, 2026-03-31 */
	struct buf generated;
};

static int
local_date(time_t t, char date[16])
{
	struct tm tm;

	if (!localtime_r(&t, &tm) || strftime(date, 16, "%Y-%m-%d", &tm) == 0)
		return error("report: time %lld out of range", (long long)t);
	return 0;
}

static int
format_times(const struct report *r, const struct lang *l, struct times *t)
{
	if (local_date(r->from, t->first) < 0 ||
	    /* The period ends before `to`: its last day is the one before. */
	    local_date(r->to - 1, t->last) < 0)
		return -1;
	if (alert_format_time(r->generated, l->code, &t->generated) < 0)
		return error("report: time %lld out of range",
			     (long long)r->generated);
	return 0;
}

static void
put_head(struct out *o, const struct report *r, const struct times *t)
{
	putf(o, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	     "<meta charset=\"utf-8\" />\n"
	     "<meta name=\"viewport\" content=\"width=device-width, "
	     "initial-scale=1\" />\n<title>", o->l->code);
	put_text(o, r->service, 0);
	putf(o, ": %s</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n"
	     "<h1>", o->l->title, style);
	put_text(o, r->service, 0);
	putf(o, ": %s</h1>\n<p>%s: %s – %s. %s ", o->l->title, o->l->period,
	     t->first, t->last, o->l->generated);
	put_text(o, buf_str(&t->generated), 0);
	putf(o, ".</p>\n<p>%s</p>\n", o->l->about);
}

static void
put_body(struct out *o, const struct report_row *const *q, size_t nq,
	 const struct sum *cats, size_t ncats, const struct sum *all)
{
	putf(o, "<h2>%s</h2>\n<p>%s</p>\n", o->l->firms_h, o->l->firms_note);
	put_trend_chart(o, q, nq);
	put_quarter_table(o, o->l->firms_caption, q, nq, firm_figures,
			  COUNT_OF(firm_figures));

	putf(o, "<h2>%s</h2>\n", o->l->procurement_h);
	put_quarter_table(o, o->l->procurement_caption, q, nq,
			  procurement_figures, COUNT_OF(procurement_figures));
	put_quarter_table(o, o->l->lead_caption, q, nq, lead_figures,
			  COUNT_OF(lead_figures));
	if (ncats) {
		put_share_chart(o, cats, ncats);
		put_category_table(o, cats, ncats, all);
	} else {
		putf(o, "<p class=\"nodata\">%s</p>\n", o->l->no_categories);
	}

	putf(o, "<h2>%s</h2>\n", o->l->meetings_h);
	put_attendance_chart(o, q, nq);
	put_quarter_table(o, o->l->meetings_caption, q, nq, meeting_figures,
			  COUNT_OF(meeting_figures));
}

int
report_html(const struct report *r, const char *lang, struct buf *out)
{
	struct out o = { .b = out, .l = is_english(lang) ? &english : &swedish };
	const struct report_row **q = NULL;
	const size_t len = out->len;
	struct sum *cats = NULL, all;
	struct times t;
	size_t nq, ncats;
	int rc = -1;

	buf_init(&t.generated, 256);
	if (check_report(r, &nq) < 0 || format_times(r, o.l, &t) < 0 ||
	    collect_totals(r, nq, &q) < 0 ||
	    sum_categories(r, &cats, &ncats, &all) < 0)
		goto out;
	put_head(&o, r, &t);
	if (nq)
		put_body(&o, q, nq, cats, ncats, &all);
	else
		putf(&o, "<p class=\"nodata\">%s</p>\n", o.l->no_data);
	put(&o, "</main>\n</body>\n</html>\n");
	rc = finish(&o, len);
out:
	buf_release(&t.generated);
	free(q);
	free(cats);
	return rc;
}

int
report_csv(const struct report *r, struct buf *out)
{
	struct out o = { .b = out };
	const size_t len = out->len;
	const struct report_row *x;
	char lead[NUM_MAX];
	size_t i, nq;

	if (check_report(r, &nq) < 0)
		return -1;
	put(&o, "quarter,category,category_name,notices,lots,category_lots,"
	    "large,large_divided,firms_subscribed,firms_alerted,"
	    "firms_registered,firms_attending,firms_answering_rfi,"
	    "firms_bidding,firms_winning,meetings_held,meeting_seats_taken,"
	    "meeting_attendees,lead_time_n,lead_time_days\r\n");
	for (i = 0; i < r->nrows; i++) {
		x = &r->rows[i];
		putf(&o, "%d-Q%d", x->year, x->quarter);
		put_csv_field(&o, x->category);
		put_csv_field(&o, x->category ? x->category_name : NULL);
		putf(&o, ",%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,"
		     "%ld,%ld,%ld,", x->notices, x->lots, x->category_lots,
		     x->large, x->large_divided, x->firms_subscribed,
		     x->firms_alerted, x->firms_registered, x->firms_attending,
		     x->firms_answering_rfi, x->firms_bidding,
		     x->firms_winning, x->meetings_held,
		     x->meeting_seats_taken, x->meeting_attendees,
		     x->lead_time_n);
		if (x->lead_time_n > 0) {
			format_decimal(lead, x->lead_time_days, 1, 0, '.');
			put(&o, lead);
		}
		put(&o, "\r\n");
	}
	return finish(&o, len);
}
