/*
 * Split advice over a real store: the municipality's own single-lot
 * procurements that span several categories to be divided, or exceed the
 * value band of their category, and nothing else.
 */
#define _XOPEN_SOURCE 700

#include "advice.h"
#include "ingest.h"
#include "test.h"
#include "testutil.h"

static char dir[PATH_MAX];

static struct notice *
notice_in(const char *id, const char *buyer_id, enum notice_kind kind,
	  const char *const *codes, double value, const char *currency,
	  int nlots)
{
	struct notice *n = notice_new();
	int k;

	n->id = strdup(id);
	n->version = strdup("01");
	n->procedure_id = strdup(id);
	n->kind = kind;
	n->subtype = strdup(kind == NOTICE_PLANNING ? "4" : "16");
	n->title = strdup(id);
	n->buyer = strdup("Exempelkommun");
	n->buyer_id = strdup(buyer_id);
	n->published = strdup("2026-11-20");
	n->url = strdup("https://ted.europa.eu/en/notice/-/detail/1-2026");
	for (k = 0; k < nlots; k++) {
		struct lot *l = notice_add_lot(n);
		size_t i;

		l->id = strdup(k ? "LOT-0002" : "LOT-0001");
		for (i = 0; codes[i]; i++)
			strvec_push(&l->cpv, &l->ncpv, codes[i]);
		strvec_push(&l->nuts, &l->nnuts, "SE232");
		if (value > 0) {
			l->has_value = 1;
			l->value = value;
			l->currency = currency ? strdup(currency) : NULL;
		}
	}
	return n;
}

static struct notice *
notice_of(const char *id, const char *buyer_id, enum notice_kind kind,
	  const char *const *codes, double value, int nlots)
{
	return notice_in(id, buyer_id, kind, codes, value, NULL, nlots);
}

static struct firm *
firm_of(const char *orgnr, const char *category)
{
	struct firm *f = firm_new();

	f->orgnr = strdup(orgnr);
	f->name = strdup(orgnr);
	f->email = strdup("a@b.example");
	f->language = strdup("sv");
	strvec_push(&f->categories, &f->ncategories, category);
	strvec_push(&f->regions, &f->nregions, "SE232");
	return f;
}

static void
test_advice(void)
{
	static const char *const three[] = { "45442100", "45310000", "45330000", NULL };
	static const char *const painting[] = { "45442100", NULL };
	static const char *const it[] = { "72000000", NULL };
	char *own[] = { "212000-9994", NULL };
	struct category_set cs = { 0 };
	struct firm_list firms = { 0 };
	struct store *s = NULL;
	struct ingest in = { 0 };
	struct ingest_batch b = { 0 };
	struct match_options mo = { .size_share = 0.5 };
	struct advice_context ctx = { 0 };
	char db[PATH_MAX + 16], *text = NULL;
	size_t len = 0, i;
	unsigned count = 0;
	FILE *out;
	struct notice *notices[] = {
		/* One lot, three trades the unit wants divided: listed. */
		notice_of("renovering", "212000-9994", NOTICE_PLANNING, three, 12e6, 1),
		/* One painting lot above the painting band: listed. */
		notice_of("stor-malning", "212000-9994", NOTICE_COMPETITION, painting, 9e6, 1),
		/* Already divided into two lots: not listed. */
		notice_of("delad", "212000-9994", NOTICE_COMPETITION, three, 1e6, 2),
		/* Small painting job: fits the band, not listed. */
		notice_of("liten-malning", "212000-9994", NOTICE_COMPETITION, painting, 3e5, 1),
		/* IT: a category the unit keeps whole, not listed. */
		notice_of("it-drift", "212000-9994", NOTICE_COMPETITION, it, 1e6, 1),
		/* Another buyer's: not the municipality's to divide. */
		notice_of("grannby", "212000-9986", NOTICE_COMPETITION, three, 12e6, 1),
		/* 900 000 EUR is some 10 MSEK, above the band: listed. */
		notice_in("eur-malning", "212000-9994", NOTICE_COMPETITION,
			  painting, 9e5, "EUR", 1),
		/* 30 000 EUR is some 340 000 kr, within it: not listed. */
		notice_in("eur-liten", "212000-9994", NOTICE_COMPETITION,
			  painting, 3e6 / 100, "EUR", 1),
	};

	make_tmpdir(dir, "test_advice");
	snprintf(db, sizeof db, "%s/t.db", dir);
	CHECK(category_load("config/categories.conf", &cs) == 0);
	CHECK(store_open(db, &s) == 0);
	{
		struct firm *f[] = {
			firm_of("556734-2182", "maleri"),
			firm_of("556902-4473", "maleri"),
			firm_of("559112-6833", "el"),
		};
		int created;

		for (i = 0; i < 3; i++) {
			CHECK(store_put_firm(s, f[i], "test", 1, &created) == 0);
			firm_free(f[i]);
		}
		CHECK(store_load_firms(s, &firms) == 0 && firms.n == 3);
	}
	in.store = s;
	in.categories = &cs;
	in.firms = &firms;
	in.index = match_index_new(&firms, &mo);
	in.feed = "test";
	in.now = 1795000000;
	for (i = 0; i < sizeof notices / sizeof *notices; i++) {
		struct ingest_doc d = { 0 };

		d.source = strdup(notices[i]->id);
		d.notice = notices[i];
		CHECK(ingest_batch_add(&b, &d) == 0);
	}
	CHECK(ingest_flush(&in, &b) == 0);
	CHECK(in.counts.notices_new == 8);

	out = open_memstream(&text, &len);
	ctx.store = s;
	ctx.categories = &cs;
	ctx.firms = &firms;
	ctx.index = in.index;
	ctx.buyers = own;
	ctx.now = in.now;
	CHECK(advice_print(&ctx, out, &count) == 0);
	fclose(out);
	CHECK(count == 3);
	CHECK(text && strstr(text, "renovering\n  Exempelkommun, 212000-9994 planning"));
	CHECK(text && strstr(text, "  spans 3 categories the unit wants divided\n"));
	CHECK(text && strstr(text, "    Måleri                       45442100  value "
			    "unknown  2 subscribed firms fit\n"));
	CHECK(text && strstr(text, "    El                           45310000  value "
			    "unknown  1 subscribed firm fit\n"));
	CHECK(text && strstr(text, "    VVS                          45330000  value "
			    "unknown  0 subscribed firms fit\n"));
	CHECK(text && strstr(text, "stor-malning\n"));
	CHECK(text && strstr(text, "  exceeds the value band of Måleri"));
	CHECK(text && strstr(text, "eur-malning\n  Exempelkommun"));
	CHECK(text && strstr(text, "  one lot, value about SEK 10.1 million "
			    "(EUR 900,000)\n"));
	CHECK(text && !strstr(text, "eur-liten"));
	CHECK(text && !strstr(text, "delad\n") && !strstr(text, "liten-malning") &&
	      !strstr(text, "it-drift") && !strstr(text, "grannby"));
	if (count != 3 && text)
		fputs(text, stderr);
	free(text);
	match_index_free(in.index);
	firm_list_release(&firms);
	store_free(s);
	category_set_release(&cs);
	rm_rf(dir);
}

int
main(void)
{
	RUN(test_advice);
	return test_done("advice");
}
