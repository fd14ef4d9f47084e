#define _XOPEN_SOURCE 700

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "category.h"
#include "notice.h"
#include "rfi.h"
#include "test.h"
#include "testutil.h"

/*
 * The tests run in tmpdir, so a file loaded as "t.conf" is named so in
 * the messages; the repository's files are read through srcdir.
 */
static char tmpdir[PATH_MAX], srcdir[PATH_MAX];

/* Expected instants, from `TZ=Europe/Stockholm date -d '...' +%s`. */
#define JAN20_1200	1800442800	/* 2027-01-20 11:00 UTC, CET */
#define JAN20_1200_NY	1800464400	/* the same wall time in New York */
#define JAN09_2330_UTC	1799537400	/* 2027-01-10 00:30 in Stockholm */

/* A valid file but for the lines each error test adds after it. */
#define HEAD "[rfi]\ntitle = Underhåll av skolbyggnader\n"
#define DEADLINE "answer_deadline = 2027-01-20 12:00\n"
#define CONTACT "contact = Upphandlingsenheten <upphandling@exempel.se>\n"
#define ABOUT "categories = maleri\n"
#define VALID HEAD DEADLINE CONTACT ABOUT

#define FULL \
	"# Förfrågan om information\n" \
	"\n" \
	"[rfi]\n" \
	"title = Underhåll av skolbyggnader\n" \
	"description = \"Hur planerar ni underhåll? # 2027\"\n" \
	"categories = maleri el\n" \
	"cpv = 45453000 45442100-7\n" \
	"answer_deadline = 2027-01-20 12:00\n" \
	"timezone = Europe/Stockholm\n" \
	"contact = Upphandlingsenheten <upphandling@exempel.se>\n" \
	"attachments = https://www.exempel.se/rfi/12/fragor.pdf\t" \
	"https://www.exempel.se/rfi/12/ritningar.zip?v=2\n" \
	"procedure = EK-2027.0042\n"

/* Loads text as t.conf; returns what was printed on stderr. */
static char *
load_text(const char *text, int *rc, struct rfi **r)
{
	struct capture c;

	write_text("t.conf", text);
	capture_start(&c, 2);
	*rc = rfi_load("t.conf", r);
	return capture_end(&c);
}

/* What a failed call must leave in its out-parameter. */
static struct rfi untouched;
static struct notice untouched_notice;

/* text must fail to load with exactly want on stderr. */
static void
check_error(const char *text, const char *want)
{
	struct rfi *r = &untouched;
	int rc;
	char *err = load_text(text, &rc, &r);

	CHECK(rc == -1 && r == &untouched);
	CHECK_STR(err, want);
	free(err);
}

/* text must load without a word; NULL if it did not. */
static struct rfi *
load_ok(const char *text)
{
	struct rfi *r = NULL;
	char *err;
	int rc;

	err = load_text(text, &rc, &r);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	free(err);
	return rc == 0 ? r : NULL;
}

static void
test_full(void)
{
	struct rfi *r = load_ok(FULL);

	if (!r)
		return;
	CHECK(r->id == 0);
	CHECK_STR(r->title, "Underhåll av skolbyggnader");
	CHECK_STR(r->description, "Hur planerar ni underhåll? # 2027");
	CHECK(r->ncategories == 2);
	CHECK_STR(r->categories[0], "maleri");
	CHECK_STR(r->categories[1], "el");
	CHECK(r->ncpv == 2);
	CHECK_STR(r->cpv[0], "45453000");
	/* the check digit is dropped */
	CHECK_STR(r->cpv[1], "45442100");
	CHECK(r->answer_deadline == JAN20_1200);
	CHECK_STR(r->timezone, "Europe/Stockholm");
	CHECK_STR(r->contact, "Upphandlingsenheten <upphandling@exempel.se>");
	CHECK(r->nattachments == 2);
	CHECK_STR(r->attachments[0],
		  "https://www.exempel.se/rfi/12/fragor.pdf");
	CHECK_STR(r->attachments[1],
		  "https://www.exempel.se/rfi/12/ritningar.zip?v=2");
	CHECK_STR(r->procedure, "EK-2027.0042");
	rfi_free(r);
}

/* What the optional keys default to, and another zone. */
static void
test_minimal(void)
{
	struct rfi *r;

	r = load_ok("[rfi]\r\ntitle = Städning\r\ncpv = 90919200\r\n"
		    "answer_deadline = 2027-01-20 12:00\r\n"
		    "contact = upphandling@exempel.se\r\ndescription =\r\n"
		    "categories =\r\nattachments = \"\"\r\n");
	if (!r)
		return;
	CHECK(r->description == NULL);
	CHECK(r->categories == NULL && r->ncategories == 0);
	CHECK(r->ncpv == 1);
	CHECK_STR(r->cpv[0], "90919200");
	CHECK(r->answer_deadline == JAN20_1200);
	CHECK_STR(r->timezone, "Europe/Stockholm");
	CHECK_STR(r->contact, "upphandling@exempel.se");
	CHECK(r->attachments == NULL && r->nattachments == 0);
	CHECK(r->procedure == NULL);
	rfi_free(r);
	rfi_free(NULL);

	/* the zone may come after the deadline it applies to */
	r = load_ok(HEAD DEADLINE "timezone = America/New_York\n" CONTACT
		    ABOUT);
	if (!r)
		return;
	CHECK(r->answer_deadline == JAN20_1200_NY);
	CHECK_STR(r->timezone, "America/New_York");
	rfi_free(r);

	r = rfi_new();
	CHECK(r && !r->title && !r->cpv && r->ncpv == 0 && !r->procedure);
	rfi_free(r);
}

static void
test_required(void)
{
	check_error("[rfi]\n" DEADLINE CONTACT ABOUT,
		"tenderlots: error: t.conf:1: [rfi] missing key 'title'\n");
	check_error("# x\n" HEAD CONTACT ABOUT,
		"tenderlots: error: t.conf:2: [rfi] missing key "
		"'answer_deadline'\n");
	check_error(HEAD DEADLINE ABOUT,
		"tenderlots: error: t.conf:1: [rfi] missing key 'contact'\n");
	check_error("[rfi]\n",
		"tenderlots: error: t.conf:1: [rfi] missing key 'title'\n"
		"tenderlots: error: t.conf:1: [rfi] missing key "
		"'answer_deadline'\n"
		"tenderlots: error: t.conf:1: [rfi] missing key 'contact'\n"
		"tenderlots: error: t.conf:1: [rfi] needs categories or cpv, "
		"or both\n");
	check_error(HEAD DEADLINE CONTACT,
		"tenderlots: error: t.conf:1: [rfi] needs categories or cpv, "
		"or both\n");
	/* an empty value says "none" explicitly */
	check_error(HEAD DEADLINE CONTACT "categories =\ncpv = \"\"\n",
		"tenderlots: error: t.conf:1: [rfi] needs categories or cpv, "
		"or both\n");
	check_error("[rfi]\ntitle =\n" DEADLINE CONTACT ABOUT,
		"tenderlots: error: t.conf:2: [rfi] title: empty value\n");
	check_error(HEAD DEADLINE "contact =\n" ABOUT,
		"tenderlots: error: t.conf:4: [rfi] contact: empty value\n");
	/* a refused list is not also missing */
	check_error(HEAD DEADLINE CONTACT "cpv = 4544210\n",
		"tenderlots: error: t.conf:5: [rfi] cpv: '4544210' is not a "
		"CPV code (8 digits, optionally with -check digit)\n");
}

static void
test_codes(void)
{
	check_error(VALID "cpv = 45442100 12345678\n",
		"tenderlots: error: t.conf:6: [rfi] cpv: 12345678 is not in "
		"the CPV list\n");
	check_error(VALID "cpv = 45442100-77\n",
		"tenderlots: error: t.conf:6: [rfi] cpv: '45442100-77' is not "
		"a CPV code (8 digits, optionally with -check digit)\n");
	check_error(VALID "cpv = 45442100,45310000\n",
		"tenderlots: error: t.conf:6: [rfi] cpv: '45442100,45310000' "
		"is not a CPV code (8 digits, optionally with -check digit)\n");
	check_error(HEAD DEADLINE CONTACT "categories = maleri El\n",
		"tenderlots: error: t.conf:5: [rfi] categories: 'El' is not a "
		"category key (lowercase letters, digits, '-' and '_')\n");
	check_error(VALID "procedure = EK 2027\n",
		"tenderlots: error: t.conf:6: [rfi] procedure: 'EK 2027' is "
		"not a notice id (letters, digits, '.', '_', ':' and '-')\n");
	check_error(VALID "procedure = ted/2027\n",
		"tenderlots: error: t.conf:6: [rfi] procedure: 'ted/2027' is "
		"not a notice id (letters, digits, '.', '_', ':' and '-')\n");
}

static void
test_attachments(void)
{
	char text[4096], want[256];
	struct rfi *r;
	int i;

	check_error(VALID "attachments = https://a.se/x http://b.se/y\n",
		"tenderlots: error: t.conf:6: [rfi] attachments: "
		"'http://b.se/y' is not an https:// URL (https://host/path, "
		"printable ASCII)\n");
	check_error(VALID
		"attachments = https://www.exempel.se@evil.example/\n",
		"tenderlots: error: t.conf:6: [rfi] attachments: "
		"'https://www.exempel.se@evil.example/' is not an https:// URL "
		"(https://host/path, printable ASCII)\n");
	check_error(VALID "attachments = https:///fragor.pdf\n",
		"tenderlots: error: t.conf:6: [rfi] attachments: "
		"'https:///fragor.pdf' is not an https:// URL "
		"(https://host/path, printable ASCII)\n");
	check_error(VALID "attachments = \"https://a.se/\xc3\xa5\"\n",
		"tenderlots: error: t.conf:6: [rfi] attachments: "
		"'https://a.se/\xc3\xa5' is not an https:// URL "
		"(https://host/path, printable ASCII)\n");

	/* 20 links are fine, 21 are not */
	snprintf(text, sizeof(text), VALID "attachments =");
	for (i = 0; i < 20; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 " https://a.se/%d", i);
	strcat(text, "\n");
	r = load_ok(text);
	CHECK(r && r->nattachments == 20);
	CHECK(r && strcmp(r->attachments[19], "https://a.se/19") == 0);
	rfi_free(r);
	text[strlen(text) - 1] = '\0';
	strcat(text, " https://a.se/20\n");
	snprintf(want, sizeof(want), "tenderlots: error: t.conf:6: [rfi] "
		 "attachments: 21 links, more than 20\n");
	check_error(text, want);
}

static void
test_values(void)
{
	check_error(HEAD DEADLINE "contact = Upphandling <upphandling>\n" ABOUT,
		"tenderlots: error: t.conf:4: [rfi] contact: 'Upphandling "
		"<upphandling>' is not a mailbox \"Name <addr>\" or "
		"\"addr\"\n");
	check_error(HEAD DEADLINE "contact = F\xf6rvaltning <a@b.se>\n" ABOUT,
		"tenderlots: error: t.conf:4: [rfi] contact: not valid "
		"UTF-8\n");
	check_error(VALID "description = a\xc2\x85z\n",
		"tenderlots: error: t.conf:6: [rfi] description: contains a "
		"control character\n");
	check_error("[rfi]\ntitle = \"  \"\n" DEADLINE CONTACT ABOUT,
		"tenderlots: error: t.conf:2: [rfi] title: blank value\n");
}

static void
test_deadline(void)
{
	check_error(HEAD CONTACT ABOUT "answer_deadline = 2027-01-20\n",
		"tenderlots: error: t.conf:5: [rfi] answer_deadline: "
		"'2027-01-20' is not a time written YYYY-MM-DD HH:MM\n");
	check_error(HEAD CONTACT ABOUT "answer_deadline = 2027-02-29 12:00\n",
		"tenderlots: error: t.conf:5: [rfi] answer_deadline: "
		"'2027-02-29 12:00': no such date\n");
	check_error(HEAD CONTACT ABOUT "answer_deadline = 2027-01-20 24:00\n",
		"tenderlots: error: t.conf:5: [rfi] answer_deadline: "
		"'2027-01-20 24:00': no such time of day\n");
	check_error(HEAD CONTACT ABOUT "answer_deadline = 2027-03-28 02:30\n",
		"tenderlots: error: t.conf:5: [rfi] answer_deadline: "
		"2027-03-28 02:30 does not exist in Europe/Stockholm: the "
		"clocks are put forward over it\n");
	check_error(VALID "timezone = Europe/Nowhere\n",
		"tenderlots: error: t.conf:6: [rfi] timezone: unknown time "
		"zone 'Europe/Nowhere' (/usr/share/zoneinfo/Europe/Nowhere: "
		"No such file or directory)\n");
	check_error(VALID "timezone = ../etc\n",
		"tenderlots: error: t.conf:6: [rfi] timezone: '../etc' is not "
		"a time zone name like Europe/Stockholm\n");
}

static void
test_structure(void)
{
	check_error(VALID "deadline = 2027-01-20 12:00\n",
		"tenderlots: error: t.conf:6: unknown key 'deadline' in "
		"section [rfi]\n");
	check_error(VALID "cpv = 45442100\ncpv = 45310000\n",
		"tenderlots: error: t.conf:7: duplicate key 'cpv' in section "
		"[rfi] (first set on line 6)\n");
	check_error(VALID "[rfi]\ntitle = Andra\n",
		"tenderlots: error: t.conf:6: second [rfi] section (the first "
		"is on line 1); a file describes one RFI\n");
	check_error(VALID "[meeting]\n",
		"tenderlots: error: t.conf:6: unknown section [meeting]; an "
		"RFI file has one section, [rfi]\n");
	check_error("# inget än\n",
		"tenderlots: error: t.conf: no [rfi] section\n");
	check_error("title = x\n" VALID,
		"tenderlots: error: t.conf:1: key 'title' is outside any "
		"section\n");
}

/* One run shows every mistake, each on the line it is on. */
static void
test_all_errors(void)
{
	check_error("[rfi]\ncpv = 99999999\nanswer_deadline = 2027-03-28 "
		"02:00\ncontact = nobody\nattachments = ftp://x\nsize = 3\n",
		"tenderlots: error: t.conf:2: [rfi] cpv: 99999999 is not in "
		"the CPV list\n"
		"tenderlots: error: t.conf:4: [rfi] contact: 'nobody' is not a "
		"mailbox \"Name <addr>\" or \"addr\"\n"
		"tenderlots: error: t.conf:5: [rfi] attachments: 'ftp://x' is "
		"not an https:// URL (https://host/path, printable ASCII)\n"
		"tenderlots: error: t.conf:6: unknown key 'size' in section "
		"[rfi]\n"
		"tenderlots: error: t.conf:1: [rfi] missing key 'title'\n"
		"tenderlots: error: t.conf:3: [rfi] answer_deadline: "
		"2027-03-28 02:00 does not exist in Europe/Stockholm: the "
		"clocks are put forward over it\n");
}

static void
test_missing_file(void)
{
	struct rfi *r = &untouched;
	struct capture c;
	char *err;

	capture_start(&c, 2);
	CHECK(rfi_load("none.conf", &r) == -1);
	err = capture_end(&c);
	CHECK_STR(err, "tenderlots: error: none.conf: No such file or "
		  "directory\n");
	CHECK(r == &untouched);
	free(err);
}

static int
load_categories(struct category_set *cs)
{
	char path[2 * PATH_MAX];

	snprintf(path, sizeof(path), "%s/config/categories.conf", srcdir);
	return category_load(path, cs);
}

static void
test_to_notice(void)
{
	struct category_set cs = { 0 };
	struct notice *n = NULL;
	struct rfi *r = load_ok(FULL);
	const struct lot *l;
	struct buf json;

	if (!r)
		return;
	CHECK(load_categories(&cs) == 0);
	/* the date is the RFI's zone's, whatever the process's zone is */
	setenv("TZ", "America/New_York", 1);
	CHECK(rfi_to_notice(r, &cs, "rfi-12", "Exempelkommun", "212000-0000",
			    "https://www.exempel.se/rfi/12", JAN09_2330_UTC,
			    &n) == 0);
	CHECK_STR(getenv("TZ"), "America/New_York");
	unsetenv("TZ");
	if (!n)
		goto out;
	CHECK_STR(n->id, "rfi-12");
	CHECK_STR(n->version, "01");
	CHECK_STR(n->procedure_id, "EK-2027.0042");
	CHECK(n->kind == NOTICE_RFI);
	CHECK_STR(n->subtype, "rfi");
	CHECK_STR(n->title, "Underhåll av skolbyggnader");
	CHECK_STR(n->description, "Hur planerar ni underhåll? # 2027");
	CHECK_STR(n->language, "SWE");
	CHECK(n->ntitles == 1 && n->ndescriptions == 1);
	CHECK_STR(n->titles[0].lang, "SWE");
	CHECK_STR(n->titles[0].value, "Underhåll av skolbyggnader");
	CHECK_STR(n->descriptions[0].value,
		  "Hur planerar ni underhåll? # 2027");
	CHECK_STR(n->buyer, "Exempelkommun");
	CHECK_STR(n->buyer_id, "212000-0000");
	/* the date in Stockholm, already the next day */
	CHECK_STR(n->published, "2027-01-10");
	CHECK_STR(n->url, "https://www.exempel.se/rfi/12");
	CHECK_STR(n->documents_url, "https://www.exempel.se/rfi/12/fragor.pdf");
	CHECK(n->has_deadline && n->deadline == JAN20_1200);
	CHECK(n->nnuts == 0 && n->has_value == 0 && n->changes == NULL);
	CHECK(n->nlots == 1);
	l = &n->lots[0];
	CHECK_STR(l->id, "LOT-0001");
	CHECK_STR(l->title, "Underhåll av skolbyggnader");
	/* the given codes, then maleri's 45442100 (given) and el's */
	CHECK(l->ncpv == 3);
	if (l->ncpv == 3) {
		CHECK_STR(l->cpv[0], "45453000");
		CHECK_STR(l->cpv[1], "45442100");
		CHECK_STR(l->cpv[2], "45310000");
	}
	CHECK(n->ncpv == 3 && strcmp(n->cpv[2], "45310000") == 0);
	CHECK(l->nnuts == 0);
	CHECK(l->has_deadline && l->deadline == JAN20_1200);
	buf_init(&json, 0);
	CHECK(notice_to_json(n, &json) == 0);
	CHECK(strstr(buf_str(&json), "\"rfi\"") != NULL);
	buf_release(&json);
out:
	notice_free(n);
	rfi_free(r);
	category_set_release(&cs);
}

/* Categories alone, no procedure, no buyer, no page, no attachments. */
static void
test_to_notice_categories(void)
{
	struct category_set cs = { 0 };
	struct notice *n = NULL;
	struct rfi *r = load_ok(HEAD DEADLINE CONTACT
				"categories = el maleri el\n");

	if (!r)
		return;
	CHECK(load_categories(&cs) == 0);
	CHECK(rfi_to_notice(r, &cs, "rfi-13", NULL, NULL, NULL, JAN20_1200,
			    &n) == 0);
	if (!n)
		goto out;
	CHECK_STR(n->procedure_id, "rfi-13");
	CHECK(n->buyer == NULL && n->buyer_id == NULL && n->url == NULL);
	CHECK(n->description == NULL && n->ndescriptions == 0);
	CHECK(n->documents_url == NULL);
	CHECK_STR(n->published, "2027-01-20");
	CHECK(n->lots[0].ncpv == 2);
	CHECK_STR(n->lots[0].cpv[0], "45310000");
	CHECK_STR(n->lots[0].cpv[1], "45442100");
out:
	notice_free(n);
	rfi_free(r);
	category_set_release(&cs);
}

/* An unknown category, and a zone rfi_load() would have refused. */
static void
test_to_notice_errors(void)
{
	struct category_set cs = { 0 };
	struct notice *n = &untouched_notice;
	struct rfi *r = load_ok(HEAD DEADLINE CONTACT
				"categories = maleri maleri-och-el\n");
	struct capture c;
	char *err;

	if (!r)
		return;
	CHECK(load_categories(&cs) == 0);
	capture_start(&c, 2);
	CHECK(rfi_to_notice(r, &cs, "rfi-14", NULL, NULL, NULL, JAN20_1200,
			    &n) == -1);
	err = capture_end(&c);
	CHECK_STR(err, "tenderlots: error: rfi-14: unknown category "
		  "'maleri-och-el' (see tenderlots category list)\n");
	CHECK(n == &untouched_notice);
	free(err);

	free(r->timezone);
	r->timezone = strdup("Mars/Olympus");
	capture_start(&c, 2);
	CHECK(rfi_to_notice(r, &cs, "rfi-14", NULL, NULL, NULL, JAN20_1200,
			    &n) == -1);
	err = capture_end(&c);
	CHECK_STR(err, "tenderlots: error: unknown time zone 'Mars/Olympus' "
		  "(/usr/share/zoneinfo/Mars/Olympus: No such file or "
		  "directory)\n");
	CHECK(n == &untouched_notice);
	free(err);
	rfi_free(r);
	category_set_release(&cs);
}

static void
test_example(void)
{
	char path[2 * PATH_MAX];
	struct rfi *r = NULL;
	struct capture c;
	char *err;
	int rc;

	snprintf(path, sizeof(path), "%s/config/rfi.example.conf", srcdir);
	capture_start(&c, 2);
	rc = rfi_load(path, &r);
	err = capture_end(&c);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	free(err);
	if (rc != 0)
		return;
	CHECK(strstr(r->title, "skolbyggnader") != NULL);
	CHECK(r->ncategories == 2);
	CHECK_STR(r->categories[0], "maleri");
	CHECK_STR(r->categories[1], "el");
	CHECK(r->answer_deadline == JAN20_1200);
	CHECK_STR(r->contact,
		  "Upphandlingsenheten <upphandling@exempelkommun.se>");
	CHECK(r->nattachments == 1 &&
	      strncmp(r->attachments[0], "https://", 8) == 0);
	rfi_free(r);
}

int
main(void)
{
	/* the zone messages name /usr/share/zoneinfo */
	unsetenv("TZDIR");
	if (!getcwd(srcdir, sizeof(srcdir))) {
		perror("getcwd");
		return 2;
	}
	make_tmpdir(tmpdir, "test_rfi");
	if (chdir(tmpdir) < 0) {
		perror(tmpdir);
		return 2;
	}
	RUN(test_full);
	RUN(test_minimal);
	RUN(test_required);
	RUN(test_codes);
	RUN(test_attachments);
	RUN(test_values);
	RUN(test_deadline);
	RUN(test_structure);
	RUN(test_all_errors);
	RUN(test_missing_file);
	RUN(test_to_notice);
	RUN(test_to_notice_categories);
	RUN(test_to_notice_errors);
	RUN(test_example);
	if (chdir(srcdir) < 0)
		perror(srcdir);
	rm_rf(tmpdir);
	return test_done("rfi");
}
