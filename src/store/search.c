/*
 * The stemmed search over notices: an FTS5 index (notice_search, one row
 * per stored notice version, rowid the notice's id) whose tokenizer,
 * tl_stem, is ours (include/stem.h): every word is indexed under its
 * Swedish and its English stem, so "snöröjning" finds "Snöröjningen i
 * Exempelstad", and a visitor's words are looked up the same way.
 *
 * A notice is indexed in the transaction that stores it, but not as it is
 * stored: its rowid is queued, and the queue goes into the index in one
 * statement before the commit. FTS5 (SQLite 3.40) writes the terms it
 * holds in memory to disk at every statement of the transaction, so that
 * a row indexed between a batch's other statements costs a segment of
 * its own and the merging of them; a batch in one statement is one.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "stem.h"
#include "store_impl.h"
#include "utf8.h"

enum stmt_id {
	ST_SEARCH_INDEX,
	ST_SEARCH_FORGET,
	NSTMT
};

static const char *const stmt_sql[NSTMT] = {
	/* The notices ?1 names (a JSON array of rowids): each one's title,
	 * and its description with its lots' titles and descriptions, as
	 * stored. */
	[ST_SEARCH_INDEX] =
	"INSERT INTO notice_search (rowid, title, body)"
	" SELECT n.id, n.title, coalesce(n.description, '') || ' ' ||"
	" coalesce((SELECT group_concat(coalesce(l.title, '') || ' ' ||"
	"  coalesce(l.description, ''), ' ')"
	"  FROM (SELECT title, description FROM lot WHERE notice = n.id"
	"   ORDER BY id) l), '')"
	" FROM notice n WHERE n.id IN (SELECT value FROM json_each(?1))",
	[ST_SEARCH_FORGET] =
	"DELETE FROM notice_search WHERE rowid IN"
	" (SELECT id FROM notice WHERE purged_at = ?1)",
};

static const struct stmt_table stmts = { STMT_SEARCH, stmt_sql, NSTMT };

/* An FTS5 tokenizer instance: a stemmer of its own (one per table and
 * connection, so never shared between threads). */
static int
tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	struct stemmer *s = stemmer_new();

	(void)ctx;
	(void)argv;
	(void)argc;
	if (!s)
		return SQLITE_NOMEM;
	*out = (Fts5Tokenizer *)s;
	return SQLITE_OK;
}

static void
tok_delete(Fts5Tokenizer *t)
{
	stemmer_free((struct stemmer *)t);
}

/* Each word as its Swedish stem, and its English one beside it when it
 * differs (a colocated token: either finds it). */
static int
tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text,
	     int len, int (*token)(void *, int, const char *, int, int, int))
{
	struct stemmer *s = (struct stemmer *)t;
	char low[STEM_WORD_MAX + 1], sv[STEM_WORD_MAX + 1], en[STEM_WORD_MAX + 1];
	size_t pos = 0, start, end;
	int rc;

	(void)flags;
	if (len <= 0)
		return SQLITE_OK;
	while (stem_next_word(text, (size_t)len, &pos, &start, &end, low)) {
		if (stem_word(s, STEM_SV, low, sv) < 0 ||
		    stem_word(s, STEM_EN, low, en) < 0)
			return SQLITE_NOMEM;
		if ((rc = token(ctx, 0, sv, (int)strlen(sv), (int)start,
				(int)end)) != SQLITE_OK)
			return rc;
		if (strcmp(sv, en) &&
		    (rc = token(ctx, FTS5_TOKEN_COLOCATED, en, (int)strlen(en),
				(int)start, (int)end)) != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

int
register_tokenizer(struct store *s)
{
	static const char name[] = "tl_stem";
	fts5_tokenizer tok = { tok_create, tok_delete, tok_tokenize };
	fts5_api *api = NULL;
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "find FTS5");
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (!api)
		return error("%s: SQLite has no FTS5", s->path);
	if (api->xCreateTokenizer(api, name, NULL, &tok, NULL) != SQLITE_OK)
		return db_error(s, "register the tokenizer");
	return 0;
}

int
search_queue_notice(struct store *s, int64_t rowid)
{
	struct search_queue *q = &s->unindexed;

	if (q->n == q->alloc) {
		size_t na = q->alloc ? 2 * q->alloc : 256;
		int64_t *v = realloc(q->rowid, na * sizeof *v);

		if (!v)
			return error("out of memory");
		q->rowid = v;
		q->alloc = na;
	}
	q->rowid[q->n++] = rowid;
	if (sqlite3_get_autocommit(s->db) || q->n >= SEARCH_QUEUE_MAX)
		return search_index_queued(s);
	return 0;
}

int
search_index_queued(struct store *s)
{
	struct search_queue *q = &s->unindexed;
	struct buf ids;
	size_t i;
	int rc = -1;

	if (!q->n)
		return 0;
	buf_init(&ids, (SEARCH_QUEUE_MAX + 1) * 24);
	for (i = 0; i < q->n; i++)
		if (buf_printf(&ids, "%c%lld", i ? ',' : '[',
			       (long long)q->rowid[i]) < 0)
			goto nomem;
	if (buf_adds(&ids, "]") < 0)
		goto nomem;
	rc = step_done(s, query(s, &stmts, ST_SEARCH_INDEX,
				ARGS(ARG_TEXT(buf_str(&ids)))),
		       "index notices");
	if (rc == 0)
		q->n = 0;
	goto out;
nomem:
	error("out of memory");
out:
	buf_release(&ids);
	return rc;
}

void
search_queue_drop(struct store *s)
{
	s->unindexed.n = 0;
}

int
search_forget_purged(struct store *s, time_t purged_at)
{
	return step_done(s, query(s, &stmts, ST_SEARCH_FORGET,
				  ARGS(ARG_INT(purged_at))),
			 "drop purged notices from the search");
}

int
search_query(const char *words, struct buf *out)
{
	char low[STEM_WORD_MAX + 1];
	size_t pos = 0, start, end, n = 0, len = words ? strlen(words) : 0;

	buf_reset(out);
	/*
	 * Each word of the visitor's as an FTS5 string, so that no sign of
	 * theirs is read as syntax; a long one also as a prefix, the
	 * compound rule of matching.
	 */
	while (n < SEARCH_WORDS_MAX &&
	       stem_next_word(words, len, &pos, &start, &end, low)) {
		if (buf_printf(out, "%s\"%s\"%s", n ? " " : "", low,
			       utf8_width(low) >= STEM_PREFIX_MIN ? " *" : "") < 0)
			return error("out of memory");
		n++;
	}
	return (int)n;
}
