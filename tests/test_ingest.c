/*
 * A batch's documents are parsed by the batch's threads from the moment
 * they are added, or where they are stored when no thread has them:
 * whichever way, a batch stores what parsing each document alone gives,
 * refuses what that refuses, and a batch dropped unstored leaves nothing
 * running.
 */
#define _XOPEN_SOURCE 700

#include "eforms.h"
#include "ingest.h"
#include "test.h"
#include "testdb.h"
#include "testutil.h"

#define MARK "schemeName=\"notice-id\">"
#define MAX_SOURCES 32

static char dir[PATH_MAX], db[PATH_MAX + 16];
static struct category_set categories;
static struct store *store;
static struct eforms_parser *alone;

/* The example notices, each with a notice id to replace. */
static char *sources[MAX_SOURCES];
static size_t nsources;

static void
load_sources(const char *from)
{
	char path[PATH_MAX + 256], *text;
	struct dirent *de;
	DIR *d = opendir(from);

	CHECK(d != NULL);
	while (d && (de = readdir(d)) && nsources < MAX_SOURCES) {
		if (!strstr(de->d_name, ".xml") || strstr(de->d_name, "INVALID"))
			continue;
		snprintf(path, sizeof path, "%s/%s", from, de->d_name);
		CHECK((text = read_text(path)) != NULL);
		if (text && strstr(text, MARK))
			sources[nsources++] = text;
		else
			free(text);
	}
	if (d)
		closedir(d);
}

/* Copy k of an example notice, with a notice id of its own. */
static char *
notice_copy(size_t k, size_t *len)
{
	const char *s = sources[k % nsources];
	const char *id = strstr(s, MARK) + strlen(MARK);
	const char *end = strchr(id, '<');
	struct buf b;

	buf_init(&b, 0);
	CHECK(buf_add(&b, s, (size_t)(id - s)) == 0);
	CHECK(buf_printf(&b, "test0000-0000-0000-0000-%012zu", k) == 0);
	CHECK(buf_adds(&b, end) == 0);
	*len = b.len;
	return buf_detach(&b, NULL);
}

/* What parsing each good document alone gives. */
struct expected {
	unsigned notices, rejected, lots;
	long long title_bytes;
};

/*
 * Document k of a batch: most are notices, some malformed, some refused
 * before parsing, some only a feed item's validators.
 */
static void
add_doc(struct ingest_batch *b, size_t k, struct expected *e)
{
	struct ingest_doc doc = { 0 };
	struct notice *n = NULL;
	char err[512], source[64];

	snprintf(source, sizeof source, "doc-%zu.xml", k);
	CHECK((doc.source = strdup(source)) != NULL);
	switch (k % 9) {
	case 5:
		CHECK((doc.data = strdup("<ContractNotice><cbc:ID>")) != NULL);
		doc.len = strlen(doc.data);
		e->rejected++;
		break;
	case 6:
		CHECK((doc.reason = strdup("larger than the limit")) != NULL);
		CHECK((doc.data = strdup("<Contract")) != NULL);
		doc.len = strlen(doc.data);
		e->rejected++;
		break;
	case 7:
		CHECK((doc.item = strdup(source)) != NULL);
		CHECK((doc.etag = strdup("1.0:1")) != NULL);
		break;
	default:
		doc.data = notice_copy(k, &doc.len);
		if (eforms_parse(alone, doc.data, doc.len, &n, err,
				 sizeof err) < 0) {
			e->rejected++;
			break;
		}
		e->notices++;
		e->lots += (unsigned)n->nlots;
		e->title_bytes += (long long)strlen(n->title);
		notice_free(n);
	}
	CHECK(ingest_batch_add(b, &doc) == 0);
}

static void
ingest_open(struct ingest *in, struct firm_list *firms)
{
	struct match_options mo = { .size_share = 0.5 };

	memset(in, 0, sizeof *in);
	in->store = store;
	in->categories = &categories;
	in->firms = firms;
	in->index = match_index_new(firms, &mo);
	in->parser = eforms_parser_new();
	in->feed = "test";
	in->now = 1795000000;
	CHECK(in->index && in->parser);
}

static void
ingest_close(struct ingest *in)
{
	match_index_free(in->index);
	eforms_parser_free(in->parser);
}

/* More documents than the threads take, of every kind, in one batch. */
static void
test_batch_as_parsed_alone(void)
{
	struct firm_list firms = { 0 };
	struct ingest_batch b = { 0 };
	struct expected e = { 0 };
	struct ingest in;
	size_t k;

	ingest_open(&in, &firms);
	for (k = 0; k < 2 * INGEST_BATCH_DOCS + 50; k++)
		add_doc(&b, k, &e);
	CHECK(e.notices > INGEST_BATCH_DOCS && e.rejected > 50);
	CHECK(ingest_flush(&in, &b) == 0);
	CHECK(b.n == 0 && b.docs == NULL && b.pool == NULL);
	CHECK(in.counts.notices_new == e.notices);
	CHECK(in.counts.notices_rejected == e.rejected);
	CHECK(in.counts.lots == e.lots);
	CHECK(db_query(db, "SELECT count(*) FROM notice") == e.notices);
	CHECK(db_query(db, "SELECT count(*) FROM lot") == e.lots);
	CHECK(db_query(db, "SELECT sum(length(CAST(title AS BLOB)))"
		       " FROM notice") == e.title_bytes);
	CHECK(db_query(db, "SELECT count(*) FROM quarantine") == e.rejected);
	ingest_close(&in);
}

/* A batch dropped before it is stored, its threads busy; then used. */
static void
test_batch_dropped(void)
{
	struct firm_list firms = { 0 };
	struct ingest_batch b = { 0 };
	struct expected e = { 0 };
	long long before = db_query(db, "SELECT count(*) FROM notice");
	struct ingest in;
	size_t k;

	ingest_open(&in, &firms);
	for (k = 0; k < 60; k++)
		add_doc(&b, 10000 + k, &e);
	CHECK(b.pool != NULL);
	ingest_batch_release(&b);
	CHECK(b.n == 0 && b.pool == NULL);
	memset(&e, 0, sizeof e);
	for (k = 0; k < 20; k++)
		add_doc(&b, 20000 + k, &e);
	CHECK(ingest_flush(&in, &b) == 0);
	CHECK(in.counts.notices_new == e.notices);
	CHECK(db_query(db, "SELECT count(*) FROM notice") ==
	      before + e.notices);
	ingest_close(&in);
}

int
main(void)
{
	make_tmpdir(dir, "test_ingest");
	snprintf(db, sizeof db, "%s/t.db", dir);
	load_sources("tests/fixtures/eforms");
	load_sources("tests/fixtures/real/published");
	if (nsources < 10 || category_load("config/categories.conf",
					   &categories) < 0 ||
	    store_open(db, &store) < 0 || !(alone = eforms_parser_new())) {
		fprintf(stderr, "test_ingest: no fixtures or store (run from "
			"the project root)\n");
		return 1;
	}
	RUN(test_batch_as_parsed_alone);
	RUN(test_batch_dropped);
	eforms_parser_free(alone);
	store_free(store);
	category_set_release(&categories);
	while (nsources > 0)
		free(sources[--nsources]);
	rm_rf(dir);
	return test_done("ingest");
}
