#define _XOPEN_SOURCE 700

#include "category.h"
#include "firm.h"
#include "notice.h"
#include "test.h"
#include "testutil.h"

static void
test_luhn(void)
{
	CHECK(luhn_valid("5560360793", 10));
	CHECK(!luhn_valid("5560360794", 10));
	CHECK(luhn_valid("2120009994", 10));
	CHECK(!luhn_valid("2120009995", 10));
	CHECK(!luhn_valid("21200a0142", 10));
	CHECK(!luhn_valid("", 0));
	/* Every single-digit change breaks the check. */
	{
		char d[] = "5560360793";
		int i, bad = 0;

		for (i = 0; i < 10; i++) {
			char orig = d[i];

			d[i] = (char)(orig == '9' ? '0' : orig + 1);
			bad += luhn_valid(d, 10);
			d[i] = orig;
		}
		CHECK(bad == 0);
	}
}

static void
test_orgnr(void)
{
	char out[12];

	CHECK(orgnr_normalize("556036-0793", out) == 0);
	CHECK_STR(out, "556036-0793");
	CHECK(orgnr_normalize("5560360793", out) == 0);
	CHECK_STR(out, "556036-0793");
	CHECK(orgnr_normalize("16556036-0793", out) == 0);
	CHECK_STR(out, "556036-0793");
	CHECK(orgnr_normalize("165560360793", out) == 0);
	CHECK_STR(out, "556036-0793");
	CHECK(orgnr_normalize("556036-0794", out) < 0);
	CHECK(orgnr_normalize("556036-079", out) < 0);
	CHECK(orgnr_normalize("5560-360793", out) < 0);
	CHECK(orgnr_normalize("556036-07933", out) < 0);
	CHECK(orgnr_normalize("556036 0793", out) < 0);
	CHECK(orgnr_normalize("", out) < 0);
}

static char *cpv_maleri[] = { "45442100" };
static struct category cats[] = {
	{ .key = "el", .name_sv = "El", .name_en = "Electrical" },
	{ .key = "maleri", .name_sv = "Måleri", .name_en = "Painting",
	  .cpv = cpv_maleri, .ncpv = 1 },
};
static const struct category_set categories = { .v = cats, .n = 2 };
static unsigned nbad;

static char *
parse_capture(const char *csv, struct firm_list *list, int *rc)
{
	struct capture c;

	capture_start(&c, 2);
	*rc = firm_csv_parse(csv, strlen(csv), "firms.csv", &categories, list,
			     &nbad);
	return capture_end(&c);
}

static void
test_csv_good(void)
{
	struct firm_list l = { 0 };
	char *err;
	int rc;

	err = parse_capture(
		"org.nr,name,email,cpv,regions,language,employees,turnover,"
		"categories,kinds,frequency\r\n"
		"556036-0793,\"Berglunds Måleri, AB\",info@berglund.example,"
		"45442100 45440000-3,se232,sv,4,3500000,maleri el,planned tender,daily\r\n"
		"\r\n"
		"2120009994,\"Say \"\"hi\"\" AB\",hi@say.example,72000000,SE23 1480,en,,,,,\r\n",
		&l, &rc);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	CHECK(l.n == 2);
	if (l.n == 2) {
		CHECK_STR(l.v[0]->orgnr, "556036-0793");
		CHECK_STR(l.v[0]->name, "Berglunds Måleri, AB");
		CHECK(l.v[0]->ncpv == 2);
		CHECK_STR(l.v[0]->cpv[1], "45440000");
		CHECK(l.v[0]->nregions == 1);
		CHECK_STR(l.v[0]->regions[0], "SE232");
		CHECK(l.v[0]->employees == 4);
		CHECK(l.v[0]->turnover == 3500000);
		CHECK(l.v[0]->ncategories == 2);
		CHECK_STR(l.v[0]->categories[0], "maleri");
		CHECK(l.v[0]->kinds == (FIRM_KIND_PLANNED | FIRM_KIND_TENDER));
		CHECK(l.v[0]->frequency == FREQ_DAILY);
		CHECK_STR(l.v[1]->orgnr, "212000-9994");
		CHECK_STR(l.v[1]->name, "Say \"hi\" AB");
		CHECK_STR(l.v[1]->language, "en");
		CHECK(l.v[1]->employees == -1);
		CHECK(l.v[1]->nregions == 2);
		/* A municipality code (1480 Göteborg) stands for its county. */
		CHECK(l.v[1]->nregions == 2 && strcmp(l.v[1]->regions[1], "SE232") == 0);
		CHECK(l.v[1]->kinds == FIRM_KINDS_DEFAULT);
		CHECK(l.v[1]->frequency == FREQ_IMMEDIATELY);
	}
	free(err);
	firm_list_release(&l);
}

static void
test_csv_semicolon_and_column_order(void)
{
	struct firm_list l = { 0 };
	char *err;
	int rc;

	err = parse_capture("\xef\xbb\xbf" "Email;Orgnr;Name;Regions;CPV\n"
			    "a@b.example;556036-0793;A;SE232;45442100\n", &l, &rc);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	CHECK(l.n == 1 && strcmp(l.v[0]->email, "a@b.example") == 0);
	CHECK(l.n == 1 && strcmp(l.v[0]->language, "sv") == 0);
	CHECK(l.n == 1 && !l.v[0]->municipality);
	free(err);
	firm_list_release(&l);
	err = parse_capture("orgnr;name;email;cpv;regions;municipality\n"
			    "556036-0793;A;a@b.example;45442100;SE232;1480\n",
			    &l, &rc);
	CHECK(rc == 0 && l.n == 1);
	CHECK(l.n == 1 && l.v[0]->municipality &&
	      strcmp(l.v[0]->municipality, "1480") == 0);
	free(err);
	firm_list_release(&l);
}

/*
 * A register as a municipality's spreadsheet writes it: an address with
 * an internationalised domain, stored as its A-label, and amounts as
 * Swedish write them.
 */
static void
test_csv_swedish_forms(void)
{
	struct firm_list l = { 0 };
	char *err;
	int rc;

	err = parse_capture("orgnr;name;email;cpv;regions;employees;turnover\n"
			    "556036-0793;Räksmörgåsen AB;info@räksmörgås.se;"
			    "45442100;SE232;1 200;1,8 milj\n"
			    "212000-9994;B;kontakt@bygg-åkesson.se;45442100;SE232;"
			    "2;1\xc2\xa0" "800\xc2\xa0" "000 kr\n", &l, &rc);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	CHECK(l.n == 2);
	if (l.n == 2) {
		CHECK_STR(l.v[0]->email, "info@xn--rksmrgs-5wao1o.se");
		CHECK(l.v[0]->employees == 1200);
		CHECK(l.v[0]->turnover == 1800000);
		CHECK_STR(l.v[1]->email, "kontakt@xn--bygg-kesson-18a.se");
		CHECK(l.v[1]->turnover == 1800000);
	}
	free(err);
	firm_list_release(&l);
}

/* Keywords and exclude words: a firm may have keywords alone. */
static void
test_csv_keywords(void)
{
	struct firm_list l = { 0 };
	char *err;
	int rc;

	err = parse_capture("orgnr;name;email;regions;keywords;exclude\n"
			    "556036-0793;Snö AB;info@sno.example;SE232;"
			    "Snöröjning, halkbekämpning;fastighetsskötsel\n",
			    &l, &rc);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	CHECK(l.n == 1);
	if (l.n == 1) {
		CHECK(l.v[0]->nkeywords == 2 && l.v[0]->nexclude == 1);
		CHECK(l.v[0]->nkeywords == 2 &&
		      strcmp(l.v[0]->keywords[0], "snöröjning") == 0 &&
		      strcmp(l.v[0]->keywords[1], "halkbekämpning") == 0);
		CHECK(l.v[0]->nexclude == 1 &&
		      strcmp(l.v[0]->exclude[0], "fastighetsskötsel") == 0);
		CHECK(l.v[0]->ncpv == 0 && l.v[0]->ncategories == 0);
	}
	free(err);
	firm_list_release(&l);
}

/* A file that cannot be read at all: -1, nothing. */
static void
expect_error(const char *csv, const char *want)
{
	struct firm_list l = { 0 };
	char *err;
	int rc;

	err = parse_capture(csv, &l, &rc);
	CHECK(rc == -1);
	CHECK(l.n == 0);
	if (!strstr(err, want))
		fprintf(stderr, "  stderr was: %s  wanted: %s\n", err, want);
	CHECK(strstr(err, want) != NULL);
	free(err);
	firm_list_release(&l);
}

/* A bad row: reported and skipped, the call still succeeds. */
static void
expect_skipped(const char *csv, const char *want)
{
	struct firm_list l = { 0 };
	char *err;
	int rc;

	err = parse_capture(csv, &l, &rc);
	CHECK(rc == 0);
	CHECK(nbad == 1);
	if (!strstr(err, want))
		fprintf(stderr, "  stderr was: %s  wanted: %s\n", err, want);
	CHECK(strstr(err, want) != NULL);
	free(err);
	firm_list_release(&l);
}

#define HDR "orgnr,name,email,cpv,regions\n"

static void
test_csv_errors(void)
{
	expect_error("", "firms.csv: empty file");
	expect_error("orgnr,name\n", "firms.csv:1: missing column 'email'");
	expect_error("orgnr,name,email,cpv,regions,colour\n",
		     "firms.csv:1: unknown column 'colour'");
	expect_error("orgnr,name,email,cpv,regions,name\n",
		     "firms.csv:1: column 'name' given twice");
	expect_skipped(HDR "556036-0794,A,a@b.example,45442100,SE232\n",
		     "firms.csv:2: orgnr: '556036-0794' is not a valid organisation number");
	expect_skipped(HDR "556036-0793,,a@b.example,45442100,SE232\n",
		     "firms.csv:2: name: missing");
	expect_skipped(HDR "556036-0793,A,not-an-address,45442100,SE232\n",
		     "firms.csv:2: email: 'not-an-address' is not an email address");
	expect_skipped(HDR "556036-0793,A,a@localhost,45442100,SE232\n",
		     "firms.csv:2: email: 'a@localhost' is not an email address: "
		     "the domain after @ cannot be reached");
	expect_skipped(HDR "556036-0793,A,a@firma,45442100,SE232\n",
		     "firms.csv:2: email: 'a@firma' is not an email address: "
		     "the part after @ must be a domain name with a dot");
	expect_skipped(HDR "556036-0793,A,a@b.example,4544210,SE232\n",
		     "firms.csv:2: cpv: unknown code '4544210'");
	expect_skipped(HDR "556036-0793,A,a@b.example,99999999,SE232\n",
		     "firms.csv:2: cpv: unknown code '99999999'");
	expect_skipped(HDR "556036-0793,A,a@b.example,,SE232\n",
		     "firms.csv:2: no categories, CPV codes or keywords");
	expect_skipped("orgnr,name,email,cpv,regions,keywords\n"
		       "556036-0793,A,a@b.example,,SE232,e--handel\n",
		       "firms.csv:2: keywords: 'e--handel' is not a word of "
		       "letters and digits (join the words of a compound or "
		       "phrase with '-', as in it-konsult)");
	expect_skipped("orgnr,name,email,cpv,regions,keywords,exclude\n"
		       "556036-0793,A,a@b.example,,SE232,snöröjning,"
		       "a b c d e f g h i j k l m n o p q r s t u v w x y z "
		       "å ä ö aa bb\n",
		       "firms.csv:2: exclude: more than 30 words");
	expect_skipped("orgnr,name,email,categories,regions\n"
		       "556036-0793,A,a@b.example,maleri snickeri,SE232\n",
		       "firms.csv:2: categories: unknown category 'snickeri'");
	expect_skipped("orgnr,name,email,cpv,regions,kinds\n"
		       "556036-0793,A,a@b.example,45442100,SE232,tender award\n",
		       "firms.csv:2: kinds: 'tender award' is not a list of");
	expect_skipped("orgnr,name,email,cpv,regions,frequency\n"
		       "556036-0793,A,a@b.example,45442100,SE232,hourly\n",
		       "firms.csv:2: frequency: 'hourly' is not one of");
	expect_skipped(HDR "556036-0793,A,a@b.example,45442100,9999\n",
		       "firms.csv:2: regions: unknown code '9999'");
	expect_skipped(HDR "556036-0793,A,a@b.example,45442100,XX1\n",
		     "firms.csv:2: regions: unknown code 'XX1'");
	expect_skipped(HDR "556036-0793,A,a@b.example,45442100,\n",
		     "firms.csv:2: regions: no region given");
	expect_skipped("orgnr,name,email,cpv,regions,municipality\n"
		       "556036-0793,A,a@b.example,45442100,SE232,Göteborg\n",
		       "firms.csv:2: municipality: 'Göteborg' is not a "
		       "municipality code (kommunkod, four digits such as 1480)");
	expect_skipped("orgnr,name,email,cpv,regions,language\n"
		     "556036-0793,A,a@b.example,45442100,SE232,de\n",
		     "firms.csv:2: language: 'de' is not one of sv, en");
	expect_skipped("orgnr,name,email,cpv,regions,employees\n"
		     "556036-0793,A,a@b.example,45442100,SE232,-3\n",
		     "firms.csv:2: employees: '-3'");
	expect_skipped("orgnr,name,email,cpv,regions,employees\n"
		     "556036-0793,A,a@b.example,45442100,SE232,två\n",
		     "firms.csv:2: employees: 'två': write the number in figures");
	expect_skipped("orgnr,name,email,cpv,regions,turnover\n"
		     "556036-0793,A,a@b.example,45442100,SE232,\"1,8\"\n",
		     "firms.csv:2: turnover: '1,8': write whole kronor");
	expect_skipped(HDR "556036-0793,A,a@b.example,45442100,SE232,extra\n",
		     "firms.csv:2: 6 fields, but the header names 5");
	expect_skipped(HDR "556036-0793,A,a@b.example,45442100,SE232\n"
		     "5560360793,B,b@b.example,45442100,SE232\n",
		     "firms.csv:3: orgnr 556036-0793 already given above");
	expect_error(HDR "556036-0793,\"A\nB,a@b.example,45442100,SE232\n",
		     "firms.csv:2: unterminated quoted field");
	/* Line numbers follow physical lines through quoted line breaks. */
	expect_skipped(HDR "556036-0793,\"A\nB\",a@b.example,45442100,SE232\n"
		     "x,B,b@b.example,45442100,SE232\n",
		     "firms.csv:4: orgnr: 'x'");
}

static void
test_csv_all_errors_reported(void)
{
	struct firm_list l = { 0 };
	char *err;
	int rc;

	err = parse_capture(HDR "bad,A,a@b.example,45442100,SE232\n"
			    "556036-0793,A,a@b.example,45442100,SE232\n"
			    "bad2,A,a@b.example,45442100,SE232\n", &l, &rc);
	/* Bad rows are reported with their lines and skipped; good rows kept. */
	CHECK(rc == 0);
	CHECK(nbad == 2);
	CHECK(strstr(err, "firms.csv:2:") != NULL);
	CHECK(strstr(err, "firms.csv:4:") != NULL);
	CHECK(l.n == 1 && strcmp(l.v[0]->orgnr, "556036-0793") == 0);
	free(err);
	firm_list_release(&l);
}

/* A packed firm says all the firm said, in one block freed whole. */
static void
test_pack(void)
{
	struct firm *f = firm_new(), *p;

	f->id = 42;
	f->orgnr = strdup("556036-0793");
	f->name = strdup("Måleri AB");
	f->email = strdup("a@b.example");
	f->language = strdup("en");
	f->municipality = strdup("1480");
	f->turnover = 9400000;
	f->frequency = FREQ_WEEKLY;
	strvec_push(&f->categories, &f->ncategories, "maleri");
	strvec_push(&f->categories, &f->ncategories, "el");
	strvec_push(&f->cpv, &f->ncpv, "45442100");
	strvec_push(&f->regions, &f->nregions, "SE232");
	strvec_push(&f->keywords, &f->nkeywords, "fasadmålning");
	p = firm_pack(f);
	CHECK(p && p->packed);
	if (!p)
		return;
	CHECK(p->id == 42 && p->turnover == 9400000 &&
	      p->frequency == FREQ_WEEKLY);
	CHECK_STR(p->orgnr, "556036-0793");
	CHECK_STR(p->name, "Måleri AB");
	CHECK_STR(p->email, "a@b.example");
	CHECK_STR(p->language, "en");
	CHECK_STR(p->municipality, "1480");
	CHECK(p->bounce_reason == NULL);
	CHECK(p->ncategories == 2 && strcmp(p->categories[0], "maleri") == 0 &&
	      strcmp(p->categories[1], "el") == 0);
	CHECK(p->ncpv == 1 && strcmp(p->cpv[0], "45442100") == 0);
	CHECK(p->nregions == 1 && strcmp(p->regions[0], "SE232") == 0);
	CHECK(p->nkeywords == 1 && strcmp(p->keywords[0], "fasadmålning") == 0);
	CHECK(p->nexclude == 0 && p->exclude == NULL);
	CHECK(firm_pack(p) == p);
	firm_free(p);
}

int
main(void)
{
	RUN(test_luhn);
	RUN(test_pack);
	RUN(test_orgnr);
	RUN(test_csv_good);
	RUN(test_csv_swedish_forms);
	RUN(test_csv_semicolon_and_column_order);
	RUN(test_csv_errors);
	RUN(test_csv_keywords);
	RUN(test_csv_all_errors_reported);
	return test_done("firm");
}
