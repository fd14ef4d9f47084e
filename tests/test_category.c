#define _XOPEN_SOURCE 700

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "category.h"
#include "cpv.h"
#include "test.h"
#include "testutil.h"

static char tmpdir[PATH_MAX];

/* A complete category, for tests about what comes around it. */
#define PAINT "[maleri]\nname_sv = Måleri\nname_en = Painting\n" \
	      "cpv = 45442100\n"

/*
 * Loads path into *cs; returns what was printed on stderr, with the temp
 * directory taken out, so messages read "t.conf:2: ...".
 */
static char *
load_path(const char *path, int *rc, struct category_set *cs)
{
	struct capture c;
	struct buf b;
	char *err, *p, *at;
	size_t dirlen = strlen(tmpdir);

	capture_start(&c, 2);
	*rc = category_load(path, cs);
	err = capture_end(&c);
	buf_init(&b, 0);
	for (p = err; (at = strstr(p, tmpdir)); p = at + dirlen + 1)
		buf_add(&b, p, (size_t)(at - p));
	buf_adds(&b, p);
	free(err);
	return buf_detach(&b, NULL);
}

/* Loads text as tmpdir/t.conf. */
static char *
load_text(const char *text, int *rc, struct category_set *cs)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/t.conf", tmpdir);
	write_text(path, text);
	return load_path(path, rc, cs);
}

/* text must fail to load with exactly want on stderr, leaving out as is. */
static void
check_error(const char *text, const char *want)
{
	struct category_set cs = { NULL, 7, NULL, 0 };
	char *err;
	int rc;

	err = load_text(text, &rc, &cs);
	CHECK(rc == -1);
	CHECK_STR(err, want);
	CHECK(cs.v == NULL && cs.n == 7);
	free(err);
}

static const char *const bundled_keys[] = {
	"maleri", "el", "vvs", "mark", "bygg", "lokalvard", "fonsterputs",
	"livsmedel", "maltider", "transport", "it-tjanster", "it-utrustning",
	"konsult", "fastighetsservice", "snorojning", "grona-ytor",
	"halsa-omsorg", "tryck-kontor",
};

#define NBUNDLED (sizeof(bundled_keys) / sizeof(bundled_keys[0]))

static void
test_bundled(void)
{
	struct category_set cs;
	const struct category *c;
	size_t i, j;
	char *err;
	int rc;

	err = load_path("config/categories.conf", &rc, &cs);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	free(err);
	if (rc != 0)
		return;
	CHECK(cs.n == NBUNDLED);
	for (i = 0; i < NBUNDLED; i++)
		CHECK(category_find(&cs, bundled_keys[i]) != NULL);
	for (i = 0; i < cs.n; i++) {
		c = &cs.v[i];
		CHECK(c->name_sv && c->name_sv[0] && c->name_en &&
		      c->name_en[0]);
		CHECK(c->ncpv > 0);
		for (j = 0; j < c->ncpv; j++)
			CHECK(strlen(c->cpv[j]) == CPV_LEN &&
			      cpv_known(c->cpv[j]));
		CHECK(c->cpv[c->ncpv] == NULL);
		CHECK(c->value_max == 0 || c->value_min <= c->value_max);
	}
	c = category_find(&cs, "maleri");
	CHECK(c && c->split && c->value_min == 0 && c->value_max == 2e6);
	c = category_find(&cs, "snorojning");
	CHECK(c && c->split && c->value_max == 1.5e6);
	c = category_find(&cs, "bygg");
	CHECK(c && !c->split);
	category_set_release(&cs);
	CHECK(cs.v == NULL && cs.n == 0 && cs.index == NULL);
}

static const char *
key_for(const struct category_set *cs, const char *code)
{
	const struct category *c = category_for_cpv(cs, code);

	return c ? c->key : "(none)";
}

static void
test_for_cpv(void)
{
	struct category_set cs;
	char *err;
	int rc;

	err = load_path("config/categories.conf", &rc, &cs);
	free(err);
	if (rc != 0) {
		CHECK(!"bundled categories load");
		return;
	}
	CHECK_STR(key_for(&cs, "45442110"), "maleri");
	CHECK_STR(key_for(&cs, "45442110-7"), "maleri");
	CHECK_STR(key_for(&cs, "45442100"), "maleri");
	/* under cleaning's 90910000, but window cleaning is more specific */
	CHECK_STR(key_for(&cs, "90911300"), "fonsterputs");
	CHECK_STR(key_for(&cs, "90919200"), "lokalvard");
	CHECK_STR(key_for(&cs, "90910000"), "lokalvard");
	CHECK_STR(key_for(&cs, "45311100"), "el");
	CHECK_STR(key_for(&cs, "45331210"), "vvs");
	CHECK_STR(key_for(&cs, "45000000"), "bygg");
	CHECK_STR(key_for(&cs, "45440000"), "bygg");
	CHECK_STR(key_for(&cs, "45214200"), "bygg");
	CHECK_STR(key_for(&cs, "45112710"), "mark");
	CHECK_STR(key_for(&cs, "55523100"), "maltider");
	CHECK_STR(key_for(&cs, "15811100"), "livsmedel");
	CHECK_STR(key_for(&cs, "60130000"), "transport");
	CHECK_STR(key_for(&cs, "90620000"), "snorojning");
	CHECK_STR(key_for(&cs, "30213100"), "it-utrustning");
	CHECK_STR(key_for(&cs, "72212000"), "it-tjanster");
	/* a division code covers only what lies under it */
	CHECK_STR(key_for(&cs, "03000000"), "(none)");
	CHECK_STR(key_for(&cs, "90000000"), "(none)");
	CHECK_STR(key_for(&cs, "98000000"), "(none)");
	CHECK_STR(key_for(&cs, "4544211"), "(none)");
	CHECK_STR(key_for(&cs, "45442110-"), "(none)");
	CHECK_STR(key_for(&cs, ""), "(none)");
	category_set_release(&cs);
}

/* What category_for_cpv must answer, by comparing with every code. */
static const struct category *
best_by_scan(const struct category_set *cs, const char *code)
{
	const struct category *best = NULL;
	size_t i, j, sig, best_sig = 0;

	for (i = 0; i < cs->n; i++) {
		for (j = 0; j < cs->v[i].ncpv; j++) {
			sig = cpv_significant(cs->v[i].cpv[j]);
			if (cpv_covers(cs->v[i].cpv[j], code) && sig > best_sig) {
				best = &cs->v[i];
				best_sig = sig;
			}
		}
	}
	return best;
}

/* Every code of the CPV list, so every branch of the index is walked. */
static void
test_for_cpv_all_codes(void)
{
	struct category_set cs;
	char *err, *text, *line, *save = NULL;
	size_t n = 0, in = 0, wrong = 0;
	int rc;

	err = load_path("config/categories.conf", &rc, &cs);
	free(err);
	text = read_text("data/cpv.tsv");
	if (rc != 0 || !text) {
		CHECK(!"bundled categories and data/cpv.tsv");
		free(text);
		return;
	}
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strlen(line) < CPV_LEN || line[CPV_LEN] != '\t')
			continue;
		line[CPV_LEN] = '\0';
		n++;
		if (category_for_cpv(&cs, line) != best_by_scan(&cs, line))
			wrong++;
		if (category_for_cpv(&cs, line))
			in++;
	}
	CHECK(n > 9000);
	CHECK(wrong == 0);
	/* the categories cover a good part of the list, not all of it */
	CHECK(in > 1500 && in < n);
	free(text);
	category_set_release(&cs);
}

static void
test_keywords(void)
{
	struct category_set cs;
	char *err;
	int rc;

	err = load_text(PAINT "keywords = Målning, tapetsering målning "
			"Vägg-målningen\n", &rc, &cs);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	CHECK(rc == 0 && cs.v[0].nkeywords == 3 &&
	      strcmp(cs.v[0].keywords[0], "målning") == 0 &&
	      strcmp(cs.v[0].stems[0], "målning") == 0 &&
	      strcmp(cs.v[0].keywords[1], "tapetsering") == 0 &&
	      strcmp(cs.v[0].keywords[2], "vägg-målningen") == 0 &&
	      strcmp(cs.v[0].stems[4], "vägg-målning") == 0);
	free(err);
	if (rc == 0)
		category_set_release(&cs);
	check_error(PAINT "keywords = målning e-handel e--handel\n",
		    "tenderlots: error: t.conf:5: [maleri] keywords: 'e--handel' "
		    "is not a word of letters and digits (join the words of a "
		    "compound or phrase with '-', as in it-konsult)\n");
	check_error(PAINT "keywords = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaa\n",
		    "tenderlots: error: t.conf:5: [maleri] keywords: "
		    "'aaaaaaaaaaaaaaaaaaaa...' is longer than 60 bytes\n");
}

static void
test_values(void)
{
	struct category_set cs;
	const struct category *c;
	char *err;
	int rc;

	err = load_text(
		"# a comment\n"
		"[a]\nname_sv = A\nname_en = \"A A\"\n"
		"cpv = 45442100-7\t 45310000  45330000\n"
		"value_min = 500k\nvalue_max = 5M\nsplit = yes\n"
		"[b_2]\nname_sv = B\nname_en = B\ncpv = 90911300\n"
		"value_min = 2500000\n"
		"[c-3]\nname_sv = C\nname_en = C\ncpv = 72000000\n"
		"value_max = 0\nsplit = no\n", &rc, &cs);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	free(err);
	if (rc != 0)
		return;
	CHECK(cs.n == 3);
	c = category_find(&cs, "a");
	CHECK(c && c->ncpv == 3);
	if (c && c->ncpv == 3) {
		CHECK_STR(c->cpv[0], "45442100");
		CHECK_STR(c->cpv[1], "45310000");
		CHECK_STR(c->cpv[2], "45330000");
		CHECK_STR(c->name_en, "A A");
		CHECK(c->value_min == 500000 && c->value_max == 5000000);
		CHECK(c->split == 1);
	}
	c = category_find(&cs, "b_2");
	CHECK(c && c->value_min == 2500000 && c->value_max == 0 &&
	      c->split == 0);
	c = category_find(&cs, "c-3");
	CHECK(c && c->value_min == 0 && c->value_max == 0 && c->split == 0);
	CHECK(category_find(&cs, "d") == NULL);
	CHECK(category_find(&cs, "A") == NULL);
	CHECK_STR(key_for(&cs, "45311000"), "a");
	CHECK_STR(key_for(&cs, "90911300"), "b_2");
	CHECK_STR(key_for(&cs, "90911000"), "(none)");
	category_set_release(&cs);
}

static void
test_names(void)
{
	struct category_set cs;
	const struct category *c;
	char *err;
	int rc;

	err = load_text(PAINT, &rc, &cs);
	CHECK(rc == 0);
	free(err);
	c = category_find(&cs, "maleri");
	CHECK(c != NULL);
	if (c) {
		CHECK_STR(category_name(c, "sv"), "Måleri");
		CHECK_STR(category_name(c, "en"), "Painting");
		CHECK_STR(category_name(c, NULL), "Måleri");
		CHECK_STR(category_name(c, "de"), "Måleri");
	}
	category_set_release(&cs);
}

static void
test_key_errors(void)
{
	check_error(PAINT "colour = red\n",
		"tenderlots: error: t.conf:5: unknown key 'colour' in section "
		"[maleri]\n");
	check_error(PAINT "name_sv = Målning\n",
		"tenderlots: error: t.conf:5: duplicate key 'name_sv' in "
		"section [maleri] (first set on line 2)\n");
	check_error("# x\n[maleri]\nname_sv = Måleri\n\n[el]\ncpv = 45310000\n",
		"tenderlots: error: t.conf:2: [maleri] missing key 'name_en'\n"
		"tenderlots: error: t.conf:2: [maleri] missing key 'cpv'\n"
		"tenderlots: error: t.conf:5: [el] missing key 'name_sv'\n"
		"tenderlots: error: t.conf:5: [el] missing key 'name_en'\n");
	check_error(PAINT "name_en = \n",
		"tenderlots: error: t.conf:5: duplicate key 'name_en' in "
		"section [maleri] (first set on line 3)\n");
	check_error("[a]\nname_sv =\nname_en = A\ncpv = 45442100\n",
		"tenderlots: error: t.conf:2: [a] name_sv: empty value\n");
	check_error("[a]\nname_sv = A\nname_en = A\ncpv = \"  \"\n",
		"tenderlots: error: t.conf:4: [a] cpv: empty value\n");
	check_error(PAINT "split = ja\n",
		"tenderlots: error: t.conf:5: [maleri] split: unknown value "
		"'ja', expected one of: no, yes\n");
	check_error("name_sv = A\n" PAINT,
		"tenderlots: error: t.conf:1: key 'name_sv' is outside any "
		"section\n");
}

static void
test_section_errors(void)
{
	struct category_set cs;
	char text[256], want[256];
	char *err;
	int rc;

	check_error(PAINT "\n[el]\nname_sv = El\nname_en = El\n"
		"cpv = 45310000\n" "[maleri]\nname_sv = M\n",
		"tenderlots: error: t.conf:10: duplicate category [maleri] "
		"(first on line 1)\n");
	/* the keys of a refused section are not reported one by one */
	check_error("[Maleri]\nname_sv = Måleri\nbogus = 1\n" PAINT,
		"tenderlots: error: t.conf:1: invalid category key [Maleri] "
		"(lowercase letters, digits, '-' and '_', at most 32)\n");
	check_error("[må]\n",
		"tenderlots: error: t.conf:1: invalid category key [må] "
		"(lowercase letters, digits, '-' and '_', at most 32)\n");

	/* 32 characters are fine, 33 are not */
	snprintf(text, sizeof(text), "[%s]\nname_sv = A\nname_en = A\n"
		 "cpv = 45442100\n", "abcdefghijklmnopqrstuvwxyz012345");
	err = load_text(text, &rc, &cs);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	free(err);
	if (rc == 0)
		category_set_release(&cs);
	snprintf(text, sizeof(text), "[%s]\n",
		 "abcdefghijklmnopqrstuvwxyz0123456");
	snprintf(want, sizeof(want), "tenderlots: error: t.conf:1: invalid "
		 "category key [%s] (lowercase letters, digits, '-' and '_', "
		 "at most 32)\n", "abcdefghijklmnopqrstuvwxyz0123456");
	check_error(text, want);
}

static void
test_code_errors(void)
{
	check_error("[a]\nname_sv = A\nname_en = A\n"
		"cpv = 4544 45442100 4544210x 45442100-77\n",
		"tenderlots: error: t.conf:4: [a] cpv: '4544' is not a CPV code "
		"(8 digits, optionally with -check digit)\n"
		"tenderlots: error: t.conf:4: [a] cpv: '4544210x' is not a CPV "
		"code (8 digits, optionally with -check digit)\n"
		"tenderlots: error: t.conf:4: [a] cpv: '45442100-77' is not a "
		"CPV code (8 digits, optionally with -check digit)\n");
	check_error("[a]\nname_sv = A\nname_en = A\ncpv = 45442199-1\n",
		"tenderlots: error: t.conf:4: [a] cpv: 45442199 is not in the "
		"CPV list\n");
	/* nesting across categories is fine; the same code twice is not */
	check_error(PAINT "\n[bygg]\nname_sv = Bygg\nname_en = Building\n"
		"cpv = 45000000 45442100-7 45440000\n",
		"tenderlots: error: t.conf:9: [bygg] cpv: 45442100 is already in "
		"[maleri] (line 4)\n");
	check_error("[a]\nname_sv = A\nname_en = A\n"
		"cpv = 45310000 45330000 45310000-3\n",
		"tenderlots: error: t.conf:4: [a] cpv: 45310000 is already in "
		"[a] (line 4)\n");
}

static void
test_value_errors(void)
{
	check_error(PAINT "value_max = 2.5M\n",
		"tenderlots: error: t.conf:5: [maleri] value_max: '2.5M' is not "
		"an amount (kronor, or a number with suffix k or M)\n");
	check_error(PAINT "value_max = 2 500 000\n",
		"tenderlots: error: t.conf:5: [maleri] value_max: '2 500 000' is "
		"not an amount (kronor, or a number with suffix k or M)\n");
	check_error(PAINT "value_min = -1\n",
		"tenderlots: error: t.conf:5: [maleri] value_min: '-1' is not "
		"an amount (kronor, or a number with suffix k or M)\n");
	check_error(PAINT "value_max = 5m\n",
		"tenderlots: error: t.conf:5: [maleri] value_max: '5m' is not "
		"an amount (kronor, or a number with suffix k or M)\n");
	check_error(PAINT "value_max = 1001M\n",
		"tenderlots: error: t.conf:5: [maleri] value_max: 1001M is out "
		"of range 0..1000000000 SEK\n");
	check_error(PAINT "value_max = 99999999999999999999999k\n",
		"tenderlots: error: t.conf:5: [maleri] value_max: "
		"99999999999999999999999k is out of range 0..1000000000 SEK\n");
	check_error(PAINT "value_max = 1M\n\nvalue_min = 2000k\n",
		"tenderlots: error: t.conf:5: [maleri] value_max: 1000000 is "
		"below value_min 2000000\n");
}

/* One run shows every mistake, in the order of the file. */
static void
test_all_errors(void)
{
	check_error("[a]\nname_sv = A\ncpv = 45442100 11111111\n"
		"[b]\nname_sv = B\nname_en = B\ncpv = 45442100\nsize = 3\n"
		"value_min = 2M\nvalue_max = 1M\n[b]\n",
		"tenderlots: error: t.conf:3: [a] cpv: 11111111 is not in the "
		"CPV list\n"
		"tenderlots: error: t.conf:1: [a] missing key 'name_en'\n"
		"tenderlots: error: t.conf:7: [b] cpv: 45442100 is already in "
		"[a] (line 3)\n"
		"tenderlots: error: t.conf:8: unknown key 'size' in section "
		"[b]\n"
		"tenderlots: error: t.conf:10: [b] value_max: 1000000 is below "
		"value_min 2000000\n"
		"tenderlots: error: t.conf:11: duplicate category [b] (first on "
		"line 4)\n");
}

static void
test_empty(void)
{
	struct category_set cs;
	char *err;
	int rc;

	err = load_text("# no categories yet\n", &rc, &cs);
	CHECK(rc == 0);
	CHECK_STR(err, "tenderlots: warning: t.conf: no categories "
		  "configured\n");
	free(err);
	if (rc != 0)
		return;
	CHECK(cs.n == 0);
	CHECK(category_for_cpv(&cs, "45442100") == NULL);
	CHECK(category_find(&cs, "maleri") == NULL);
	category_set_release(&cs);

	check_error("[a\n", "tenderlots: error: t.conf:1: expected ']' at the "
		"end of the section header\n");
}

static void
test_missing_file(void)
{
	struct category_set cs = { NULL, 7, NULL, 0 };
	char path[PATH_MAX + 16];
	char *err;
	int rc;

	snprintf(path, sizeof(path), "%s/none.conf", tmpdir);
	err = load_path(path, &rc, &cs);
	CHECK(rc == -1);
	CHECK_STR(err, "tenderlots: error: none.conf: No such file or "
		  "directory\n");
	CHECK(cs.v == NULL && cs.n == 7);
	free(err);
}

int
main(void)
{
	make_tmpdir(tmpdir, "test_category");
	RUN(test_bundled);
	RUN(test_for_cpv);
	RUN(test_for_cpv_all_codes);
	RUN(test_values);
	RUN(test_keywords);
	RUN(test_names);
	RUN(test_key_errors);
	RUN(test_section_errors);
	RUN(test_code_errors);
	RUN(test_value_errors);
	RUN(test_all_errors);
	RUN(test_empty);
	RUN(test_missing_file);
	rm_rf(tmpdir);
	return test_done("category");
}
