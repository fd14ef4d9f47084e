/*
 * The report's figures over a real store, where each was wrong before:
 * the last day of a period dropped, firms from elsewhere counted as
 * local, another buyer's large procurements in the share divided,
 * attendance above 100 % and attendance at a meeting not yet begun. Then
 * the firm register: search and one firm's history, as the staff's pages
 * show them.
 */
#define _XOPEN_SOURCE 700

#include "ingest.h"
#include "register.h"
#include "stats.h"
#include "test.h"
#include "testutil.h"

/* 2026-10-05 09:00, 2026-11-10 10:00 and 12:00, 2026-12-15 12:00 and
 * 2026-12-20 10:00 and 12:00 in Stockholm */
#define T_FIRMS 1791183600
#define T_HELD 1794301200
#define T_HELD_END 1794308400
#define T_NOW 1797332400
#define T_AHEAD 1797757200
#define T_AHEAD_END 1797764400

#define OWN "212000-9994"
#define NEIGHBOUR "212000-9986"
/* local painters A and D, and B from Stockholm */
#define FIRM_A "556734-2182"
#define FIRM_B "556902-4473"
#define FIRM_D "559112-6833"

static char dir[PATH_MAX];
static struct store *store;
static struct category_set categories;

static struct notice *
notice_of(const char *id, const char *buyer_id, const char *published,
	  double value, int nlots)
{
	struct notice *n = notice_new();
	int k;

	n->id = strdup(id);
	n->version = strdup("01");
	n->procedure_id = strdup(id);
	n->kind = NOTICE_COMPETITION;
	n->subtype = strdup("16");
	n->title = strdup(id);
	n->buyer = strdup(buyer_id);
	n->buyer_id = strdup(buyer_id);
	n->published = strdup(published);
	for (k = 0; k < nlots; k++) {
		struct lot *l = notice_add_lot(n);

		l->id = strdup(k ? "LOT-0002" : "LOT-0001");
		strvec_push(&l->cpv, &l->ncpv, "45442100");
		strvec_push(&l->nuts, &l->nnuts, "SE232");
		l->has_value = 1;
		l->value = value / nlots;
	}
	return n;
}

static int64_t
put_firm(const char *orgnr, const char *name, const char *municipality)
{
	struct firm *f = firm_new();
	int64_t id = 0;
	int created;

	f->orgnr = strdup(orgnr);
	f->name = strdup(name);
	f->email = strdup("info@firma.example");
	f->language = strdup("sv");
	f->municipality = strdup(municipality);
	strvec_push(&f->categories, &f->ncategories, "maleri");
	strvec_push(&f->regions, &f->nregions, "SE232");
	CHECK(store_put_firm(store, f, "test", T_FIRMS, &created) == 0);
	CHECK(store_firm_id(store, orgnr, &id) == 0 && id > 0);
	firm_free(f);
	return id;
}

static int64_t
put_meeting(const char *title, time_t start, time_t end)
{
	struct meeting m = { 0 };
	int64_t id = 0;

	m.title = (char *)title;
	m.category = (char *)"maleri";
	m.start = start;
	m.end = end;
	m.timezone = (char *)"Europe/Stockholm";
	m.location = (char *)"Stadshuset";
	CHECK(store_put_meeting(store, &m, T_FIRMS, &id) == 0);
	return id;
}

static void
came(int64_t meeting, int64_t firm, int registered)
{
	int64_t reg;
	int created;

	if (registered) {
		CHECK(store_firm_attendee(store, meeting, firm, "test", &reg) == 0);
		CHECK(store_set_attendee(store, reg, RS_REGISTERED, T_FIRMS) == 0);
	}
	CHECK(store_meeting_attended(store, meeting, firm, T_NOW, "test",
				     &created) == 0);
}

static void
setup(void)
{
	struct firm_list firms = { 0 };
	struct match_options mo = { .size_share = 0.5 };
	struct ingest in = { 0 };
	struct ingest_batch b = { 0 };
	struct notice *notices[] = {
		/* the municipality's own, large and whole, on the 31st */
		notice_of("egen-malning", OWN, "2026-12-31", 9e6, 1),
		/* a neighbour's, large and divided: not the municipality's */
		notice_of("grannens-malning", NEIGHBOUR, "2026-11-20", 12e6, 2),
	};
	int64_t a, b_id, d, held, ahead;
	size_t i;
	char db[PATH_MAX + 16];

	make_tmpdir(dir, "test_figures");
	snprintf(db, sizeof db, "%s/t.db", dir);
	CHECK(category_load("config/categories.conf", &categories) == 0);
	CHECK(store_open(db, &store) == 0);
	a = put_firm(FIRM_A, "Berglunds Måleri <AB>", "1480");
	b_id = put_firm(FIRM_B, "Stockholms Färg AB", "0180");
	d = put_firm(FIRM_D, "Dalens Måleri AB", "1480");
	CHECK(store_load_firms(store, &firms) == 0 && firms.n == 3);
	in.store = store;
	in.categories = &categories;
	in.firms = &firms;
	in.index = match_index_new(&firms, &mo);
	in.feed = "test";
	in.now = T_FIRMS;
	for (i = 0; i < sizeof notices / sizeof *notices; i++) {
		struct ingest_doc doc = { 0 };

		doc.source = strdup(notices[i]->id);
		doc.notice = notices[i];
		CHECK(ingest_batch_add(&b, &doc) == 0);
	}
	CHECK(ingest_flush(&in, &b) == 0);
	match_index_free(in.index);
	firm_list_release(&firms);

	/* A registered and came; B came without registering */
	held = put_meeting("Måleri i skolor", T_HELD, T_HELD_END);
	came(held, a, 1);
	came(held, b_id, 0);
	/* D marked as come to a meeting that has not begun */
	ahead = put_meeting("Måleri i förskolor", T_AHEAD, T_AHEAD_END);
	came(ahead, d, 1);
	CHECK(store_bid(store, "egen-malning", a, T_NOW, "test",
			&(int){ 0 }) == 0);
}

/* The totals row of 2026-Q4, from a request as the staff's page makes it. */
static int
q4_totals(struct report_row *out)
{
	char *municipalities[] = { "1480", NULL };
	char *own[] = { OWN, NULL };
	struct report_source src = { store, &categories, "Exempelkommun",
				     municipalities, own };
	struct report_request q = { .from = "2026-10-01", .to = "2026-12-31" };
	struct report_fault f;
	struct report_row *rows = NULL;
	time_t from, to;
	size_t n = 0;

	if (report_period(&q, T_NOW, &from, &to, &f) < 0 ||
	    stats_build(&src, "sv", from, to, T_NOW, &rows, &n) < 0 || n == 0)
		return -1;
	*out = rows[0];
	free(rows);
	return out->year == 2026 && out->quarter == 4 && !out->category ? 0 : -1;
}

/* What the staff's page gets for a request, made or refused. */
static void
test_report_make(void)
{
	char *municipalities[] = { "1480", NULL };
	char *own[] = { OWN, NULL };
	struct report_source src = { store, &categories, "Exempelkommun",
				     municipalities, own };
	struct report_request q = { .period = "2026-Q4", .category = "maleri",
				    .format = "csv" };
	struct report_fault f;
	struct buf out;

	buf_init(&out, 0);
	CHECK(report_make(&src, &q, T_NOW, &out, &f) == 0);
	CHECK(strstr(buf_str(&out), "\r\n2026-Q4;;;2;"));
	CHECK(strstr(buf_str(&out), "\r\n2026-Q4;maleri;Måleri;2;"));
	CHECK(!strstr(buf_str(&out), ";el;"));
	buf_reset(&out);
	q.format = "pdf";
	CHECK(report_make(&src, &q, T_NOW, &out, &f) == -1 && out.len == 0);
	CHECK_STR(f.field, "format");
	CHECK_STR(f.text, "format: 'pdf' är inte html, csv eller xlsx");
	q.format = "xlsx";
	q.period = "Q4";
	CHECK(report_make(&src, &q, T_NOW, &out, &f) == -1 && out.len == 0);
	CHECK_STR(f.field, "period");
	buf_release(&out);
}

static void
test_last_day_counts(void)
{
	struct report_row t;

	CHECK(q4_totals(&t) == 0);
	/* the own procurement of 31 December is in the period */
	CHECK(t.notices == 2);
}

static void
test_local_firms_only(void)
{
	struct report_row t;

	CHECK(q4_totals(&t) == 0);
	/* A and D of Göteborg, not B of Stockholm */
	CHECK(t.firms_subscribed == 2);
	CHECK(t.firms_bidding == 1);
}

static void
test_share_divided_own_only(void)
{
	struct report_row t;

	CHECK(q4_totals(&t) == 0);
	/* the own large one, whole; the neighbour's divided one is not ours */
	CHECK(t.large == 1);
	CHECK(t.large_divided == 0);
}

static void
test_attendance_at_most_all(void)
{
	struct report_row t;

	CHECK(q4_totals(&t) == 0);
	/* one registered and came, one came unregistered: 100 %, not 200 */
	CHECK(t.meeting_seats_taken == 1);
	CHECK(t.meeting_shows == 1);
	CHECK(t.meeting_shows <= t.meeting_seats_taken);
}

static void
test_no_attendance_before_start(void)
{
	struct report_row t;

	CHECK(q4_totals(&t) == 0);
	/* A and B at the meeting held; D's mark at the one ahead is not */
	CHECK(t.meeting_attendees == 2);
	CHECK(t.firms_attending == 1);
}

static void
test_register(void)
{
	struct firm_search q = { .text = "måleri", .per_page = 1 };
	struct buf out;
	int more = 0, found = 0;

	buf_init(&out, 0);
	/* "Måleri" in two names, a page of one: the first, and more */
	CHECK(register_search_html(store, &categories, &q, "sv", "/staff/firm/",
				   &out, &more) == 0);
	CHECK(more == 1);
	CHECK(strstr(buf_str(&out), "<a href=\"/staff/firm/556734-2182\">"
		     "556734-2182</a>"));
	CHECK(strstr(buf_str(&out), "Berglunds Måleri &lt;AB&gt;"));
	CHECK(!strstr(buf_str(&out), "<AB>"));
	CHECK(strstr(buf_str(&out), "<td>1480</td><td>Måleri</td>"));
	buf_reset(&out);
	q.page = 1;
	CHECK(register_search_html(store, &categories, &q, "en", NULL, &out,
				   &more) == 0);
	CHECK(more == 0 && strstr(buf_str(&out), "Dalens Måleri AB"));
	buf_reset(&out);
	q = (struct firm_search){ .text = "5569024473", .municipality = "0180",
				  .per_page = 500 };
	CHECK(register_search_html(store, &categories, &q, "sv", NULL, &out,
				   &more) == 0);
	CHECK(strstr(buf_str(&out), "Stockholms Färg AB") &&
	      !strstr(buf_str(&out), "Berglunds"));
	buf_reset(&out);
	q.municipality = "1480";
	CHECK(register_search_html(store, &categories, &q, "sv", NULL, &out,
				   &more) == 0);
	CHECK(strstr(buf_str(&out), "Inga företag motsvarar sökningen."));
	buf_reset(&out);
	q = (struct firm_search){ .category = "el", .per_page = 10 };
	CHECK(register_search_html(store, &categories, &q, "en", NULL, &out,
				   &more) == 0);
	CHECK(strstr(buf_str(&out), "No firm matches the search."));

	buf_reset(&out);
	CHECK(register_history_html(store, FIRM_A, "sv", &out, &found) == 0);
	CHECK(found == 1);
	CHECK(strstr(buf_str(&out), "<td>2026-12-15</td><td>Lämnade anbud</td>"
		     "<td>egen-malning (egen-malning)</td>"));
	CHECK(strstr(buf_str(&out), "<td>2026-11-10</td><td>Deltog i möte</td>"
		     "<td>Måleri i skolor</td>"));
	CHECK(strstr(buf_str(&out), "<td>2026-10-05</td><td>Anmälde sig till "
		     "möte</td>"));
	buf_reset(&out);
	CHECK(register_history_html(store, "556036-0793", "sv", &out,
				    &found) == 0);
	CHECK(found == 0 && out.len == 0);
	buf_release(&out);
}

static void
put_decision(const char *notice, const char *decision, const char *reasons,
	     time_t at)
{
	struct split_decision d = { .notice_id = (char *)notice,
				    .decision = (char *)decision,
				    .reasons = (char *)reasons,
				    .decided_by = (char *)"Upphandlaren",
				    .decided_at = at };
	int64_t id;

	CHECK(store_put_split_decision(store, &d, &id) == 0);
}

/* The report counts the unit's decisions on dividing and their reasons. */
static void
test_decisions_counted(void)
{
	char *municipalities[] = { "1480", NULL };
	char *own[] = { OWN, NULL };
	struct report_source src = { store, &categories, "Exempelkommun",
				     municipalities, own };
	struct report_request q = { .period = "2026-Q4" };
	struct report_fault f;
	char path[PATH_MAX + 16], project[PATH_MAX], *text;
	struct buf out;
	FILE *fp;

	/* one changed its mind: only the later decision is in force */
	put_decision("D-1", "later", "", T_HELD);
	put_decision("D-1", "not_divided", "coordination cost", T_HELD + 60);
	put_decision("D-2", "not_divided", "cost", T_HELD);
	put_decision("D-3", "divided", "", T_HELD);
	/* the quarter before */
	put_decision("D-4", "divided", "", T_FIRMS - 30 * 86400);
	buf_init(&out, 0);
	CHECK(report_make(&src, &q, T_NOW, &out, &f) == 0);
	CHECK(strstr(buf_str(&out), "<h2>Beslut om att dela upp upphandlingar"));
	CHECK(strstr(buf_str(&out), "<th scope=\"row\">Delas inte upp</th>"
				    "<td>2</td>"));
	CHECK(strstr(buf_str(&out), "<th scope=\"row\">Delas upp i "
				    "delkontrakt</th><td>1</td>"));
	CHECK(!strstr(buf_str(&out), "Beslutas senare"));
	CHECK(strstr(buf_str(&out), "ekonomiskt ofördelaktigt</th><td>2</td>"));
	buf_reset(&out);
	q.format = "xlsx";
	q.lang = "en";
	CHECK(report_make(&src, &q, T_NOW, &out, &f) == 0);
	snprintf(path, sizeof path, "%s/r.xlsx", dir);
	CHECK((fp = fopen(path, "wb")) != NULL);
	if (fp) {
		fwrite(out.data, 1, out.len, fp);
		fclose(fp);
	}
	CHECK(getcwd(project, sizeof project) != NULL);
	text = sheetcheck(project, path, dir);
	CHECK(text && strstr(text, "\nDecisions on dividing\n"
				  "Decision|Reason|Number\n"));
	CHECK(text && strstr(text, "\nNot divided||2\n"));
	CHECK(text && strstr(text, "\n|The need to coordinate the suppliers "
				  "of the different parts|1\n"));
	free(text);
	buf_release(&out);
}

int
main(void)
{
	int rc;

	setenv("TZ", "Europe/Stockholm", 1);
	tzset();
	setup();
	RUN(test_report_make);
	RUN(test_last_day_counts);
	RUN(test_local_firms_only);
	RUN(test_share_divided_own_only);
	RUN(test_attendance_at_most_all);
	RUN(test_no_attendance_before_start);
	RUN(test_register);
	RUN(test_decisions_counted);
	rc = test_done("figures");
	store_free(store);
	category_set_release(&categories);
	rm_rf(dir);
	return rc;
}
