/*
 * Notices and their lots, texts, groups, awards and successors; what a
 * new version changed; the public lists.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_impl.h"

/*
 * What the public pages list: every current notice some firm was matched
 * to, and every RFI, the unit's own and others', newest first; which of
 * them is the statement's (a kind, a notice id, or all).
 */
#define PUBLIC_NOTICES(which) \
	"SELECT n.notice_id, n.title, n.buyer, n.url, n.kind, n.deadline," \
	" n.published, (SELECT group_concat(DISTINCT c.category) FROM lot l" \
	"  JOIN category_lot c ON c.lot = l.id WHERE l.notice = n.id)," \
	" n.description, r.contact, coalesce(r.attachments, n.documents_url)," \
	" coalesce(r.closed_at, 0), r.id IS NOT NULL, n.ingested_at" \
	" FROM notice n LEFT JOIN rfi r ON r.notice_id = n.notice_id" \
	" WHERE n.superseded_by IS NULL AND " which \
	" AND (?5 IS NULL OR ((n.deadline IS NULL OR n.deadline > ?5)" \
	"  AND r.closed_at IS NULL))" \
	" AND (n.kind = 'rfi' OR EXISTS (SELECT 1 FROM match m" \
	"  WHERE m.notice_id = n.notice_id))" \
	" AND (?1 IS NULL OR EXISTS (SELECT 1 FROM lot l JOIN category_lot c" \
	"  ON c.lot = l.id WHERE l.notice = n.id AND c.category = ?1))" \
	" ORDER BY n.published DESC, n.id DESC LIMIT ?2 OFFSET ?6"

enum stmt_id {
	ST_NOTICE_EXISTS,
	ST_NOTICE_INSERT,
	ST_NOTICE_TEXT_INSERT,
	ST_LOT_INSERT,
	ST_LOT_TEXT_INSERT,
	ST_GROUP_INSERT,
	ST_AWARD_INSERT,
	ST_WINNER_INSERT,
	ST_NOTICE_CURRENT,
	ST_NOTICE_SUPERSEDE,
	ST_SUCCESSOR_MOVE,
	ST_SUCCESSOR_ADD,
	ST_NOTICE_DIFF,
	ST_CHANGE_ANNOUNCED,
	ST_CHANGES_OF,
	ST_CATEGORY_LOT_INSERT,
	ST_NOTICE_GET,
	ST_NOTICE_LOTS,
	ST_LOT_PARTS,
	ST_SINGLE_LOT_NOTICES,
	ST_OPEN_NOTICES,
	ST_CHANGES_MARK_PENDING,
	ST_CHANGES_OF_ROW,
	ST_PUBLIC_NOTICES,
	ST_PUBLIC_NOTICES_OF_KIND,
	ST_PUBLIC_NOTICE,
	NSTMT
};

static const char *const stmt_sql[NSTMT] = {
	[ST_NOTICE_EXISTS] =
	"SELECT 1 FROM notice WHERE notice_id = ?1 AND version = ?2",
	[ST_NOTICE_INSERT] =
	"INSERT INTO notice (notice_id, version, procedure_id, kind, subtype,"
	" title, buyer, published, deadline, url, language, source, ingested_at,"
	" description, buyer_id, buyer_city, procedure_type, cpv, value,"
	" currency, nuts, town, documents_url, submission_url,"
	" max_lots_submitted, max_lots_awarded, changes_notice_id,"
	" changes_version, change_reason, publication, buyer_email, buyer_phone)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28,"
	" ?29, ?30, ?31, ?32)",
	[ST_NOTICE_TEXT_INSERT] =
	"INSERT OR REPLACE INTO notice_text (notice, field, lang, value)"
	" VALUES (?1, ?2, ?3, ?4)",
	[ST_LOT_INSERT] =
	"INSERT INTO lot (notice, lot_id, title, cpv, value, currency, nuts,"
	" sme_suitable, deadline, description, town, questions_deadline,"
	" duration, documents_url, submission_url, framework)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15, ?16)",
	[ST_LOT_TEXT_INSERT] =
	"INSERT OR REPLACE INTO lot_text (lot, field, lang, value)"
	" VALUES (?1, ?2, ?3, ?4)",
	[ST_GROUP_INSERT] =
	"INSERT INTO lot_group (notice, group_id, title, lots, value, currency)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_AWARD_INSERT] =
	"INSERT INTO award (notice, lot_id, tenders, sme_tenders, value, currency)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_WINNER_INSERT] =
	"INSERT INTO award_winner (award, name, org_id) VALUES (?1, ?2, ?3)",
	[ST_NOTICE_CURRENT] =
	"SELECT id, version FROM notice WHERE notice_id IN (SELECT coalesce("
	"  (SELECT s.current_id FROM notice_successor s"
	"   WHERE s.notice_id = o.notice_id), o.notice_id)"
	"  FROM notice o WHERE o.notice_id = ?1 OR o.publication = ?1)"
	" AND id <> ?2 AND superseded_by IS NULL"
	" ORDER BY version DESC, id DESC LIMIT 1",
	[ST_NOTICE_SUPERSEDE] =
	"UPDATE notice SET superseded_by = ?2 WHERE id = ?1",
	/* The notice row ?1 is replaced by row ?2 of another notice id. */
	[ST_SUCCESSOR_MOVE] =
	"UPDATE notice_successor SET current_id ="
	" (SELECT notice_id FROM notice WHERE id = ?2)"
	" WHERE current_id = (SELECT notice_id FROM notice WHERE id = ?1)",
	[ST_SUCCESSOR_ADD] =
	"INSERT OR REPLACE INTO notice_successor (notice_id, current_id)"
	" SELECT o.notice_id, n.notice_id FROM notice o, notice n"
	" WHERE o.id = ?1 AND n.id = ?2 AND o.notice_id <> n.notice_id",
	/* What differs between a notice (?1) and the one it replaces (?2). */
	[ST_NOTICE_DIFF] =
	"INSERT INTO notice_change (notice, previous, lot_id, what, old, new)"
	" SELECT ?1, ?2, l.lot_id, 'deadline', p.deadline, l.deadline"
	"  FROM lot l JOIN lot p ON p.notice = ?2 AND p.lot_id = l.lot_id"
	"  WHERE l.notice = ?1 AND l.deadline IS NOT p.deadline"
	" UNION ALL"
	" SELECT ?1, ?2, l.lot_id, 'questions_deadline', p.questions_deadline,"
	"  l.questions_deadline"
	"  FROM lot l JOIN lot p ON p.notice = ?2 AND p.lot_id = l.lot_id"
	"  WHERE l.notice = ?1 AND l.questions_deadline IS NOT p.questions_deadline"
	" UNION ALL"
	" SELECT ?1, ?2, l.lot_id, 'documents', p.documents_url, l.documents_url"
	"  FROM lot l JOIN lot p ON p.notice = ?2 AND p.lot_id = l.lot_id"
	"  WHERE l.notice = ?1 AND l.documents_url IS NOT p.documents_url"
	" UNION ALL"
	" SELECT ?1, ?2, l.lot_id, 'value', p.value, l.value"
	"  FROM lot l JOIN lot p ON p.notice = ?2 AND p.lot_id = l.lot_id"
	"  WHERE l.notice = ?1 AND l.value IS NOT p.value"
	" UNION ALL"
	" SELECT ?1, ?2, l.lot_id, 'title', p.title, l.title"
	"  FROM lot l JOIN lot p ON p.notice = ?2 AND p.lot_id = l.lot_id"
	"  WHERE l.notice = ?1 AND l.title IS NOT p.title"
	" UNION ALL"
	" SELECT ?1, ?2, p.lot_id, 'lot_cancelled', p.title, NULL"
	"  FROM lot p WHERE p.notice = ?2 AND NOT EXISTS"
	"  (SELECT 1 FROM lot l WHERE l.notice = ?1 AND l.lot_id = p.lot_id)"
	" UNION ALL"
	" SELECT ?1, ?2, l.lot_id, 'lot_added', NULL, l.title"
	"  FROM lot l WHERE l.notice = ?1 AND NOT EXISTS"
	"  (SELECT 1 FROM lot p WHERE p.notice = ?2 AND p.lot_id = l.lot_id)"
	" UNION ALL"
	" SELECT ?1, ?2, NULL, 'title', p.title, n.title FROM notice n, notice p"
	"  WHERE n.id = ?1 AND p.id = ?2 AND n.title IS NOT p.title"
	" UNION ALL"
	" SELECT ?1, ?2, NULL, 'documents', p.documents_url, n.documents_url"
	"  FROM notice n, notice p"
	"  WHERE n.id = ?1 AND p.id = ?2 AND n.documents_url IS NOT p.documents_url",
	/* What a change notice says it changes, in the buyer's words. */
	[ST_CHANGE_ANNOUNCED] =
	"INSERT INTO notice_change (notice, previous, lot_id, what, old, new)"
	" VALUES (?1, ?2, ?3, 'announced', NULL, ?4)",
	[ST_CATEGORY_LOT_INSERT] =
	"INSERT INTO category_lot (lot, category, cpv, value, currency)"
	" VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_NOTICE_GET] =
	"SELECT id, notice_id, version, kind, subtype, title, buyer, buyer_id,"
	" published, url, deadline FROM notice WHERE notice_id = ?1"
	" AND superseded_by IS NULL ORDER BY version DESC, id DESC LIMIT 1",
	[ST_NOTICE_LOTS] =
	"SELECT id, lot_id, title, cpv, nuts, town, duration, sme_suitable,"
	" value, currency, deadline FROM lot WHERE notice = ?1 ORDER BY lot_id",
	[ST_LOT_PARTS] =
	"SELECT category, cpv, value, currency FROM category_lot WHERE lot = ?1"
	" ORDER BY id",
	[ST_SINGLE_LOT_NOTICES] =
	"SELECT n.notice_id FROM notice n WHERE n.buyer_id = ?1"
	" AND n.superseded_by IS NULL"
	" AND n.kind IN ('planning', 'rfi', 'competition')"
	" AND (n.deadline IS NULL OR n.deadline >= ?2)"
	" AND (SELECT count(*) FROM lot l WHERE l.notice = n.id) = 1"
	" ORDER BY n.published, n.notice_id",
	[ST_CHANGES_OF] =
	"SELECT c.lot_id, c.what, c.old, c.new FROM notice_change c"
	" JOIN notice n ON n.id = c.notice"
	" WHERE n.notice_id = ?1 ORDER BY c.id",
	/* each from its own index: newest first, of a kind, by id */
	[ST_PUBLIC_NOTICES] = PUBLIC_NOTICES("1"),
	[ST_PUBLIC_NOTICES_OF_KIND] = PUBLIC_NOTICES("n.kind = ?3"),
	[ST_PUBLIC_NOTICE] = PUBLIC_NOTICES("n.notice_id = ?4"),
	/*
	 * What a firm can still act on: a lot whose deadline is ahead, or
	 * without one in a notice of the last year (?2); planned procurements
	 * and RFIs of the last year only.
	 */
	[ST_OPEN_NOTICES] =
	"SELECT DISTINCT n.notice_id FROM notice n"
	" WHERE n.superseded_by IS NULL AND n.notice_id > ?3"
	" AND n.url IS NOT NULL AND n.kind IN ('planning', 'rfi', 'competition')"
	" AND (n.kind = 'competition' OR " PUBLISHED("n") " >= ?2)"
	" AND EXISTS (SELECT 1 FROM lot l WHERE l.notice = n.id"
	"  AND (l.deadline >= ?1 OR (l.deadline IS NULL AND "
	PUBLISHED("n") " >= ?2)))"
	" ORDER BY n.notice_id LIMIT ?4",
	[ST_CHANGES_MARK_PENDING] =
	"UPDATE notice SET changes_pending = 1 WHERE id = ?1"
	" AND EXISTS (SELECT 1 FROM notice_change WHERE notice = ?1)",
	[ST_CHANGES_OF_ROW] =
	"SELECT lot_id, what, old, new FROM notice_change WHERE notice = ?1"
	" ORDER BY id",
};

static const struct stmt_table stmts = { STMT_NOTICES, stmt_sql, NSTMT };

/* A notice's (or a lot's) texts in every language given. */
static int
put_texts(struct store *s, enum stmt_id id, int64_t rowid, const char *field,
	  const struct text *t, size_t n)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(st = stmt(s, &stmts, id)))
			return -1;
		sqlite3_bind_int64(st, 1, rowid);
		bind_text(st, 2, field);
		bind_text(st, 3, t[i].lang);
		bind_text(st, 4, t[i].value);
		if (step_done(s, st, "store a text") < 0)
			return -1;
	}
	return 0;
}

static void
bind_value(sqlite3_stmt *st, int i, int has, double v)
{
	if (has)
		sqlite3_bind_double(st, i, v);
}

static int
put_lots(struct store *s, const struct notice *n, int64_t notice_rowid,
	 int64_t *lot_rowids, struct buf *scratch)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < n->nlots; i++) {
		const struct lot *l = &n->lots[i];

		if (!(st = stmt(s, &stmts, ST_LOT_INSERT)))
			return -1;
		sqlite3_bind_int64(st, 1, notice_rowid);
		bind_text(st, 2, l->id);
		bind_text(st, 3, l->title);
		if (bind_words(st, 4, l->cpv, l->ncpv, scratch) < 0)
			return error("out of memory");
		bind_value(st, 5, l->has_value, l->value);
		bind_text(st, 6, l->currency);
		if (bind_words(st, 7, l->nuts, l->nnuts, scratch) < 0)
			return error("out of memory");
		if (l->sme_suitable != LOT_SME_UNKNOWN)
			sqlite3_bind_int(st, 8, l->sme_suitable);
		bind_time(st, 9, l->has_deadline, l->deadline);
		bind_text(st, 10, l->description);
		bind_text(st, 11, l->town);
		bind_time(st, 12, l->has_questions_deadline, l->questions_deadline);
		bind_text(st, 13, l->duration);
		bind_text(st, 14, l->documents_url);
		bind_text(st, 15, l->submission_url);
		if (l->framework != LOT_SME_UNKNOWN)
			sqlite3_bind_int(st, 16, l->framework);
		if (step_done(s, st, "store lot") < 0)
			return -1;
		lot_rowids[i] = sqlite3_last_insert_rowid(s->db);
		if (put_texts(s, ST_LOT_TEXT_INSERT, lot_rowids[i], "title",
			      l->titles, l->ntitles) < 0)
			return -1;
	}
	return 0;
}

static int
put_groups(struct store *s, const struct notice *n, int64_t notice_rowid,
	   struct buf *scratch)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < n->ngroups; i++) {
		const struct lot_group *g = &n->groups[i];

		if (!(st = stmt(s, &stmts, ST_GROUP_INSERT)))
			return -1;
		sqlite3_bind_int64(st, 1, notice_rowid);
		bind_text(st, 2, g->id);
		bind_text(st, 3, g->title);
		if (bind_words(st, 4, g->lots, g->nlots, scratch) < 0)
			return error("out of memory");
		bind_value(st, 5, g->has_value, g->value);
		bind_text(st, 6, g->currency);
		if (step_done(s, st, "store lot group") < 0)
			return -1;
	}
	return 0;
}

static void
bind_count(sqlite3_stmt *st, int i, long v)
{
	if (v != COUNT_UNKNOWN)
		sqlite3_bind_int64(st, i, v);
}

static int
put_awards(struct store *s, const struct notice *n, int64_t notice_rowid)
{
	sqlite3_stmt *st;
	int64_t award;
	size_t i, w;

	for (i = 0; i < n->nawards; i++) {
		const struct award *a = &n->awards[i];

		if (!(st = stmt(s, &stmts, ST_AWARD_INSERT)))
			return -1;
		sqlite3_bind_int64(st, 1, notice_rowid);
		bind_text(st, 2, a->lot);
		bind_count(st, 3, a->tenders);
		bind_count(st, 4, a->sme_tenders);
		bind_value(st, 5, a->has_value, a->value);
		bind_text(st, 6, a->currency);
		if (step_done(s, st, "store award") < 0)
			return -1;
		award = sqlite3_last_insert_rowid(s->db);
		for (w = 0; w < a->nwinners; w++) {
			if (!(st = stmt(s, &stmts, ST_WINNER_INSERT)))
				return -1;
			sqlite3_bind_int64(st, 1, award);
			bind_text(st, 2, a->winners[w].name);
			bind_text(st, 3, a->winners[w].id);
			if (step_done(s, st, "store award winner") < 0)
				return -1;
		}
	}
	return 0;
}

/*
 * The stored notice this one replaces: an earlier version of the same
 * notice, or the notice a change notice changes. *prev is 0 when there is
 * none; *older is 1 when the stored one is the newer version (a late
 * arrival of an old version replaces nothing).
 */
static int
find_replaced(struct store *s, const struct notice *n, int64_t rowid,
	      int64_t *prev, int *older)
{
	/* a change notice that names no notice is a version of its own id */
	const char *id = n->changes && n->changes->notice_id ?
			 n->changes->notice_id : n->id;
	const char *v;
	sqlite3_stmt *st;
	int r;

	*prev = 0;
	*older = 0;
	if (!(st = stmt(s, &stmts, ST_NOTICE_CURRENT)))
		return -1;
	bind_text(st, 1, id);
	sqlite3_bind_int64(st, 2, rowid);
	if ((r = step_row(s, st, "look up the notice replaced")) <= 0)
		return r;
	v = (const char *)sqlite3_column_text(st, 1);
	*prev = sqlite3_column_int64(st, 0);
	*older = !n->changes && v && strcmp(n->version, v) < 0;
	sqlite3_reset(st);
	return 0;
}

static int
supersede(struct store *s, int64_t old_row, int64_t new_row)
{
	static const enum stmt_id steps[] = {
		ST_NOTICE_SUPERSEDE, ST_SUCCESSOR_MOVE, ST_SUCCESSOR_ADD,
	};
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		if (!(st = stmt(s, &stmts, steps[i])))
			return -1;
		sqlite3_bind_int64(st, 1, old_row);
		sqlite3_bind_int64(st, 2, new_row);
		if (step_done(s, st, "mark notice replaced") < 0)
			return -1;
	}
	return 0;
}

/* Records what a change notice says it changed, section by section. */
static int
put_announced_changes(struct store *s, const struct changes *c, int64_t rowid,
		      int64_t prev)
{
	sqlite3_stmt *st;
	size_t i, j;

	for (i = 0; i < c->nitems; i++) {
		const struct change_item *it = &c->items[i];

		/* undescribed, it says nothing the versions' diff does not */
		if (!it->description)
			continue;
		for (j = 0; j < (it->nsections ? it->nsections : 1); j++) {
			if (!(st = stmt(s, &stmts, ST_CHANGE_ANNOUNCED)))
				return -1;
			sqlite3_bind_int64(st, 1, rowid);
			if (prev)
				sqlite3_bind_int64(st, 2, prev);
			bind_text(st, 3, it->nsections ? it->sections[j] : NULL);
			bind_text(st, 4, it->description);
			if (step_done(s, st, "store announced change") < 0)
				return -1;
		}
	}
	return 0;
}

/* *replaced: 1 if a stored notice was replaced, -1 if this is older. */
static int
put_replacement(struct store *s, const struct notice *n, int64_t rowid,
		int *replaced)
{
	sqlite3_stmt *st;
	int64_t prev;
	int older;

	*replaced = 0;
	if (find_replaced(s, n, rowid, &prev, &older) < 0)
		return -1;
	if (n->changes && put_announced_changes(s, n->changes, rowid, prev) < 0)
		return -1;
	if (!prev)
		return 0;
	if (older) {
		*replaced = -1;
		return supersede(s, rowid, prev);
	}
	if (supersede(s, prev, rowid) < 0 ||
	    !(st = stmt(s, &stmts, ST_NOTICE_DIFF)))
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	sqlite3_bind_int64(st, 2, prev);
	if (step_done(s, st, "record changes") < 0 ||
	    !(st = stmt(s, &stmts, ST_CHANGES_MARK_PENDING)))
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	if (step_done(s, st, "mark changes to mail") < 0)
		return -1;
	*replaced = 1;
	return 0;
}

int
store_put_notice(struct store *s, const struct notice *n, const char *source,
		 time_t now, enum store_put_result *result, int64_t *lot_rowids)
{
	struct buf scratch;
	sqlite3_stmt *st;
	int64_t rowid;
	int replaced, rc = -1;

	buf_init(&scratch, 0);
	if (!(st = stmt(s, &stmts, ST_NOTICE_EXISTS)))
		goto out;
	bind_text(st, 1, n->id);
	bind_text(st, 2, n->version);
	switch (step_exists(s, st, "look up notice")) {
	case 1:
		*result = STORE_UNCHANGED;
		rc = 0;
		goto out;
	case -1:
		goto out;
	}
	if (!(st = stmt(s, &stmts, ST_NOTICE_INSERT)))
		goto out;
	bind_text(st, 1, n->id);
	bind_text(st, 2, n->version);
	bind_text(st, 3, n->procedure_id);
	bind_text(st, 4, notice_kind_name(n->kind));
	bind_text(st, 5, n->subtype);
	bind_text(st, 6, n->title);
	bind_text(st, 7, n->buyer);
	bind_text(st, 8, n->published);
	bind_time(st, 9, n->has_deadline, n->deadline);
	bind_text(st, 10, n->url);
	bind_text(st, 11, n->language);
	bind_text(st, 12, source);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)now);
	bind_text(st, 14, n->description);
	bind_text(st, 15, n->buyer_id);
	bind_text(st, 16, n->buyer_city);
	bind_text(st, 17, n->procedure_type);
	if (bind_words(st, 18, n->cpv, n->ncpv, &scratch) < 0) {
		error("out of memory");
		goto out;
	}
	bind_value(st, 19, n->has_value, n->value);
	bind_text(st, 20, n->currency);
	if (bind_words(st, 21, n->nuts, n->nnuts, &scratch) < 0) {
		error("out of memory");
		goto out;
	}
	bind_text(st, 22, n->town);
	bind_text(st, 23, n->documents_url);
	bind_text(st, 24, n->submission_url);
	bind_count(st, 25, n->max_lots_submitted);
	bind_count(st, 26, n->max_lots_awarded);
	if (n->changes) {
		bind_text(st, 27, n->changes->notice_id);
		bind_text(st, 28, n->changes->version);
		bind_text(st, 29, n->changes->reason);
	}
	bind_text(st, 30, n->publication);
	bind_text(st, 31, n->buyer_email);
	bind_text(st, 32, n->buyer_phone);
	if (step_done(s, st, "store notice") < 0)
		goto out;
	rowid = sqlite3_last_insert_rowid(s->db);
	if (put_lots(s, n, rowid, lot_rowids, &scratch) < 0 ||
	    put_texts(s, ST_NOTICE_TEXT_INSERT, rowid, "title", n->titles,
		      n->ntitles) < 0 ||
	    put_texts(s, ST_NOTICE_TEXT_INSERT, rowid, "description",
		      n->descriptions, n->ndescriptions) < 0 ||
	    put_groups(s, n, rowid, &scratch) < 0 ||
	    put_awards(s, n, rowid) < 0 ||
	    put_replacement(s, n, rowid, &replaced) < 0)
		goto out;
	/* A late copy of an older version is kept, but changes nothing. */
	*result = replaced > 0 ? STORE_CHANGED :
		  replaced < 0 ? STORE_UNCHANGED : STORE_NEW;
	rc = 0;
out:
	buf_release(&scratch);
	return rc;
}

int
store_open_notices(struct store *s, time_t now, time_t year_ago,
		   const char *after, unsigned limit, char ***ids, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_OPEN_NOTICES)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)year_ago);
	bind_text(st, 3, after);
	sqlite3_bind_int(st, 4, (int)limit);
	return read_ids(s, st, ids, n, "list open notices");
}

static int
read_public_notice(sqlite3_stmt *st, void *elem)
{
	struct public_notice *p = elem;

	p->notice_id = column_strdup(st, 0);
	p->title = column_strdup(st, 1);
	p->buyer = column_strdup(st, 2);
	p->url = column_strdup(st, 3);
	p->kind = column_strdup(st, 4);
	if ((p->has_deadline = sqlite3_column_type(st, 5) != SQLITE_NULL))
		p->deadline = (time_t)sqlite3_column_int64(st, 5);
	p->published = column_strdup(st, 6);
	p->categories = column_strdup(st, 7);
	p->description = column_strdup(st, 8);
	p->contact = column_strdup(st, 9);
	p->documents = column_strdup(st, 10);
	p->closed_at = (time_t)sqlite3_column_int64(st, 11);
	p->own = sqlite3_column_int(st, 12);
	p->updated = (time_t)sqlite3_column_int64(st, 13);
	return p->notice_id && p->title && p->kind && p->published ? 0 : -1;
}

static void
clear_public_notice(void *elem)
{
	struct public_notice *p = elem;

	free(p->notice_id);
	free(p->title);
	free(p->buyer);
	free(p->url);
	free(p->kind);
	free(p->published);
	free(p->categories);
	free(p->description);
	free(p->contact);
	free(p->documents);
}

static const struct row_type public_notice_rows = {
	sizeof (struct public_notice), read_public_notice, clear_public_notice
};

void
public_notices_free(struct public_notice *p, size_t n)
{
	free_rows(&public_notice_rows, p, n);
}

int
store_public_notices(struct store *s, const struct public_query *q,
		     struct public_notice **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, q->notice_id ? ST_PUBLIC_NOTICE : q->kind ?
			ST_PUBLIC_NOTICES_OF_KIND : ST_PUBLIC_NOTICES)))
		return -1;
	bind_text(st, 1, q->category);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)q->limit);
	bind_text(st, 3, q->kind);
	bind_text(st, 4, q->notice_id);
	bind_time(st, 5, q->open_at != 0, q->open_at);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)q->offset);
	return read_rows(s, st, &public_notice_rows, (void **)out, n,
			 "list public notices");
}

static void
clear_notice_change(void *elem)
{
	struct notice_change *c = elem;

	free(c->lot_id);
	free(c->what);
	free(c->old_value);
	free(c->new_value);
}

static int
read_change(sqlite3_stmt *st, void *elem)
{
	struct notice_change *c = elem;

	c->lot_id = column_strdup(st, 0);
	c->what = column_strdup(st, 1);
	c->old_value = column_strdup(st, 2);
	c->new_value = column_strdup(st, 3);
	return c->what ? 0 : -1;
}

static const struct row_type notice_change_rows = {
	sizeof (struct notice_change), read_change, clear_notice_change
};

void
notice_changes_free(struct notice_change *c, size_t n)
{
	free_rows(&notice_change_rows, c, n);
}

int
store_notice_changes(struct store *s, const char *notice_id,
		     struct notice_change **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_CHANGES_OF)))
		return -1;
	bind_text(st, 1, notice_id);
	return read_rows(s, st, &notice_change_rows, (void **)out, n,
			 "list changes");
}

int
store_version_changes(struct store *s, int64_t rowid,
		      struct notice_change **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_CHANGES_OF_ROW)))
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	return read_rows(s, st, &notice_change_rows, (void **)out, n,
			 "list changes of a version");
}

int
store_put_category_lots(struct store *s, int64_t lot_rowid,
			const struct lot_split *split)
{
	struct buf cpv;
	sqlite3_stmt *st;
	size_t i;
	int rc = -1;

	buf_init(&cpv, 0);
	for (i = 0; i < split->nparts; i++) {
		const struct category_lot *p = &split->parts[i];

		if (!(st = stmt(s, &stmts, ST_CATEGORY_LOT_INSERT)))
			goto out;
		sqlite3_bind_int64(st, 1, lot_rowid);
		bind_text(st, 2, p->category ? p->category->key : NULL);
		if (bind_words(st, 3, p->cpv, p->ncpv, &cpv) < 0) {
			error("out of memory");
			goto out;
		}
		bind_value(st, 4, p->has_value, p->value);
		bind_text(st, 5, p->currency);
		if (step_done(s, st, "store category lot") < 0)
			goto out;
	}
	rc = 0;
out:
	buf_release(&cpv);
	return rc;
}

static int
read_part(sqlite3_stmt *st, void *elem)
{
	struct stored_part *p = elem;

	p->category = column_strdup(st, 0);
	p->cpv = column_strdup(st, 1);
	if ((p->has_value = sqlite3_column_type(st, 2) != SQLITE_NULL))
		p->value = sqlite3_column_double(st, 2);
	p->currency = column_strdup(st, 3);
	return p->cpv ? 0 : -1;
}

static void
clear_part(void *elem)
{
	struct stored_part *p = elem;

	free(p->category);
	free(p->cpv);
	free(p->currency);
}

static const struct row_type part_rows = {
	sizeof (struct stored_part), read_part, clear_part
};

static int
load_parts(struct store *s, struct stored_lot *l)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_LOT_PARTS)))
		return -1;
	sqlite3_bind_int64(st, 1, l->rowid);
	return read_rows(s, st, &part_rows, (void **)&l->parts, &l->nparts,
			 "read category parts");
}

static int
read_lot(sqlite3_stmt *st, void *elem)
{
	struct stored_lot *l = elem;

	l->rowid = sqlite3_column_int64(st, 0);
	l->lot_id = column_strdup(st, 1);
	l->title = column_strdup(st, 2);
	l->cpv = column_strdup(st, 3);
	l->nuts = column_strdup(st, 4);
	l->town = column_strdup(st, 5);
	l->duration = column_strdup(st, 6);
	l->sme_suitable = sqlite3_column_type(st, 7) == SQLITE_NULL ?
			  LOT_SME_UNKNOWN : sqlite3_column_int(st, 7);
	if ((l->has_value = sqlite3_column_type(st, 8) != SQLITE_NULL))
		l->value = sqlite3_column_double(st, 8);
	l->currency = column_strdup(st, 9);
	if ((l->has_deadline = sqlite3_column_type(st, 10) != SQLITE_NULL))
		l->deadline = column_time(st, 10);
	return l->lot_id && l->cpv && l->nuts ? 0 : -1;
}

static void
clear_lot(void *elem)
{
	struct stored_lot *l = elem;

	free_rows(&part_rows, l->parts, l->nparts);
	free(l->lot_id);
	free(l->title);
	free(l->cpv);
	free(l->nuts);
	free(l->town);
	free(l->duration);
	free(l->currency);
}

static const struct row_type lot_rows = {
	sizeof (struct stored_lot), read_lot, clear_lot
};

void
stored_notice_free(struct stored_notice *n)
{
	if (!n)
		return;
	free_rows(&lot_rows, n->lots, n->nlots);
	free(n->notice_id);
	free(n->version);
	free(n->kind);
	free(n->subtype);
	free(n->title);
	free(n->buyer);
	free(n->buyer_id);
	free(n->published);
	free(n->url);
	free(n);
}

static int
load_lots(struct store *s, struct stored_notice *n)
{
	sqlite3_stmt *st;
	size_t i;

	if (!(st = stmt(s, &stmts, ST_NOTICE_LOTS)))
		return -1;
	sqlite3_bind_int64(st, 1, n->rowid);
	if (read_rows(s, st, &lot_rows, (void **)&n->lots, &n->nlots,
		      "read lots") < 0)
		return -1;
	for (i = 0; i < n->nlots; i++)
		if (load_parts(s, &n->lots[i]) < 0)
			return -1;
	return 0;
}

int
store_get_notice(struct store *s, const char *notice_id,
		 struct stored_notice **out)
{
	struct stored_notice *n = NULL;
	sqlite3_stmt *st;
	int r, rc = -1;

	*out = NULL;
	if (!(st = stmt(s, &stmts, ST_NOTICE_GET)))
		return -1;
	bind_text(st, 1, notice_id);
	if ((r = step_row(s, st, "read notice")) <= 0)
		return r;
	if (!(n = calloc(1, sizeof *n))) {
		sqlite3_reset(st);
		return error("out of memory");
	}
	n->rowid = sqlite3_column_int64(st, 0);
	n->notice_id = column_strdup(st, 1);
	n->version = column_strdup(st, 2);
	n->kind = column_strdup(st, 3);
	n->subtype = column_strdup(st, 4);
	n->title = column_strdup(st, 5);
	n->buyer = column_strdup(st, 6);
	n->buyer_id = column_strdup(st, 7);
	n->published = column_strdup(st, 8);
	n->url = column_strdup(st, 9);
	if ((n->has_deadline = sqlite3_column_type(st, 10) != SQLITE_NULL))
		n->deadline = column_time(st, 10);
	sqlite3_reset(st);
	if (load_lots(s, n) < 0)
		goto out;
	*out = n;
	n = NULL;
	rc = 0;
out:
	stored_notice_free(n);
	return rc;
}

int
store_single_lot_notices(struct store *s, const char *buyer_id, time_t now,
			 char ***ids, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, &stmts, ST_SINGLE_LOT_NOTICES)))
		return -1;
	bind_text(st, 1, buyer_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	return read_ids(s, st, ids, n, "list single-lot notices");
}
