/*
 * Notices and their lots, texts, groups, awards and successors; what a
 * new version changed; the public lists.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_impl.h"

/*
 * A notice version still in use at ?1: published, or with a deadline of
 * its own or of a lot, since then, or with changes or a match waiting.
 */
#define LIVE(p) \
	"(" p ".changes_pending = 1 OR " p ".match_later = 1" \
	" OR " PUBLISHED(p) " >= ?1 OR " p ".deadline >= ?1" \
	" OR EXISTS (SELECT 1 FROM lot l WHERE l.notice = " p ".id" \
	"  AND (l.deadline >= ?1 OR l.questions_deadline >= ?1)))"

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
	" coalesce(r.closed_at, 0), r.id IS NOT NULL, n.ingested_at," \
	" coalesce(n.purged_at, 0)" \
	" FROM notice n LEFT JOIN rfi r ON r.notice_id = n.notice_id" \
	" WHERE n.superseded_by IS NULL AND " which \
	" AND r.withdrawn_at IS NULL" \
	" AND NOT EXISTS (SELECT 1 FROM rfi t WHERE t.ted_notice_id = n.notice_id)" \
	" AND" NOT_WITHDRAWN_OWN("n.notice_id") \
	" AND NOT EXISTS (SELECT 1 FROM plan d WHERE d.notice_id = n.notice_id" \
	"  AND d.status = 'dropped')" \
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
	ST_PUBLIC_NOTICES_SEARCH,
	ST_NOTICE_LOTS,
	ST_LOT_PARTS,
	ST_SINGLE_LOT_NOTICES,
	ST_OPEN_NOTICES,
	ST_MATCH_LATER,
	ST_MATCHES_LATER,
	ST_CHANGES_MARK_PENDING,
	ST_CHANGES_OF_ROW,
	ST_PUBLIC_NOTICES,
	ST_PUBLIC_NOTICES_OF_KIND,
	ST_PUBLIC_NOTICE,
	ST_PURGE_MARK,
	ST_PURGE_NOTICE_TEXTS,
	ST_PURGE_LOT_TEXTS,
	ST_PURGE_LOTS,
	ST_PURGE_GROUPS,
	ST_PURGE_MATCHES,
	ST_PURGE_CHANGES,
	ST_PURGE_NOTICES,
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
	" published, url, deadline, language, description FROM notice"
	" WHERE notice_id = ?1"
	" AND superseded_by IS NULL ORDER BY version DESC, id DESC LIMIT 1",
	[ST_NOTICE_LOTS] =
	"SELECT id, lot_id, title, cpv, nuts, town, duration, sme_suitable,"
	" value, currency, deadline, description FROM lot WHERE notice = ?1"
	" ORDER BY lot_id",
	[ST_LOT_PARTS] =
	"SELECT category, cpv, value, currency FROM category_lot WHERE lot = ?1"
	" ORDER BY id",
	[ST_SINGLE_LOT_NOTICES] =
	"SELECT n.notice_id FROM notice n WHERE n.buyer_id = ?1"
	" AND n.superseded_by IS NULL"
	" AND n.kind IN ('planning', 'rfi', 'competition')"
	" AND (n.deadline IS NULL OR n.deadline >= ?2)"
	" AND (SELECT count(*) FROM lot l WHERE l.notice = n.id) = 1"
	/* a plan entry dropped, or announced as another notice, is past */
	" AND NOT EXISTS (SELECT 1 FROM plan p WHERE p.notice_id = n.notice_id"
	"  AND p.status IN ('dropped', 'published'))"
	" ORDER BY n.published, n.notice_id",
	[ST_CHANGES_OF] =
	"SELECT c.lot_id, c.what, c.old, c.new FROM notice_change c"
	" JOIN notice n ON n.id = c.notice"
	" WHERE n.notice_id = ?1 ORDER BY c.id",
	/* each from its own index: newest first, of a kind, by id */
	[ST_PUBLIC_NOTICES] = PUBLIC_NOTICES("1"),
	[ST_PUBLIC_NOTICES_OF_KIND] = PUBLIC_NOTICES("n.kind = ?3"),
	[ST_PUBLIC_NOTICE] = PUBLIC_NOTICES("n.notice_id = ?4"),
	/* ?7 an FTS5 query of quoted words (search_query) */
	[ST_PUBLIC_NOTICES_SEARCH] = PUBLIC_NOTICES("(?3 IS NULL OR n.kind = ?3)"
		" AND n.id IN (SELECT rowid FROM notice_search"
		" WHERE notice_search MATCH ?7)"),
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
	" AND NOT EXISTS (SELECT 1 FROM rfi r WHERE r.ted_notice_id = n.notice_id"
	"  OR (r.notice_id = n.notice_id AND r.withdrawn_at IS NOT NULL))"
	" AND" NOT_WITHDRAWN_OWN("n.notice_id")
	" AND NOT EXISTS (SELECT 1 FROM plan d WHERE d.notice_id = n.notice_id"
	"  AND d.status IN ('dropped', 'published'))"
	" AND EXISTS (SELECT 1 FROM lot l WHERE l.notice = n.id"
	"  AND (l.deadline >= ?1 OR (l.deadline IS NULL AND "
	PUBLISHED("n") " >= ?2)))"
	" ORDER BY n.notice_id LIMIT ?4",
	/* the current version is marked; every version is cleared */
	[ST_MATCH_LATER] =
	"UPDATE notice SET match_later = ?2 WHERE notice_id = ?1"
	" AND (?2 = 0 OR superseded_by IS NULL)",
	[ST_MATCHES_LATER] =
	"SELECT DISTINCT notice_id FROM notice WHERE match_later = 1"
	" ORDER BY notice_id LIMIT ?1",
	[ST_CHANGES_MARK_PENDING] =
	"UPDATE notice SET changes_pending = 1 WHERE id = ?1"
	" AND EXISTS (SELECT 1 FROM notice_change WHERE notice = ?1)",
	[ST_CHANGES_OF_ROW] =
	"SELECT lot_id, what, old, new FROM notice_change WHERE notice = ?1"
	" ORDER BY id",
	/*
	 * The notices whose texts may go (store_purge_notices), marked with
	 * the time of this purge (?2): every notice of their procedure was
	 * last acted on before ?1, no change of theirs waits to be mailed,
	 * no mail about them waits to be built or sent, and no successor,
	 * open RFI, meeting not long over or live plan entry names them.
	 */
	[ST_PURGE_MARK] =
	/*
	 * The live procedures are found once, not asked of each notice: a
	 * procedure of thousands of notices cost their square (a minute
	 * for 4,500 old notices of one procedure).
	 */
	"UPDATE notice SET purged_at = ?2 WHERE purged_at IS NULL"
	" AND procedure_id NOT IN (SELECT p.procedure_id FROM notice p"
	"  WHERE " LIVE("p") ")"
	" AND NOT EXISTS (SELECT 1 FROM notice_successor x"
	"  JOIN notice c ON c.notice_id = x.current_id"
	"  WHERE x.notice_id = notice.notice_id AND " LIVE("c") ")"
	" AND NOT EXISTS (SELECT 1 FROM match m JOIN message g ON g.id = m.message"
	"  WHERE m.notice_id = notice.notice_id"
	"  AND g.state IN ('pending', 'sending'))"
	" AND NOT EXISTS (SELECT 1 FROM rfi r WHERE r.closed_at IS NULL"
	"  AND r.withdrawn_at IS NULL"
	"  AND notice.notice_id IN (r.notice_id, r.ted_notice_id))"
	" AND NOT EXISTS (SELECT 1 FROM meeting mt WHERE mt.ends_at >= ?1"
	"  AND mt.notice_id = notice.notice_id)"
	" AND NOT EXISTS (SELECT 1 FROM plan d"
	"  WHERE (d.status IN ('planned', 'postponed') OR d.updated_at >= ?1)"
	"  AND (notice.notice_id IN (d.notice_id, d.linked) OR EXISTS"
	"   (SELECT 1 FROM plan_proposal q WHERE q.plan = d.id"
	"    AND q.notice_id = notice.notice_id)))",
	/* the texts of the notices that purge (?1) marked */
	[ST_PURGE_NOTICE_TEXTS] =
	"DELETE FROM notice_text WHERE notice IN"
	" (SELECT id FROM notice WHERE purged_at = ?1)",
	[ST_PURGE_LOT_TEXTS] =
	"DELETE FROM lot_text WHERE lot IN (SELECT l.id FROM notice n"
	" JOIN lot l ON l.notice = n.id WHERE n.purged_at = ?1)",
	[ST_PURGE_LOTS] =
	"UPDATE lot SET description = NULL, town = NULL, documents_url = NULL,"
	" submission_url = NULL"
	" WHERE notice IN (SELECT id FROM notice WHERE purged_at = ?1)",
	[ST_PURGE_GROUPS] =
	"UPDATE lot_group SET title = NULL"
	" WHERE notice IN (SELECT id FROM notice WHERE purged_at = ?1)",
	/* why each firm was told: in the mail, sent long ago */
	[ST_PURGE_MATCHES] =
	"UPDATE match SET reason = '' WHERE reason <> '' AND notice_id IN"
	" (SELECT notice_id FROM notice WHERE purged_at = ?1)",
	/* a change notice's words; the values changed are facts */
	[ST_PURGE_CHANGES] =
	"UPDATE notice_change SET new = NULL WHERE what = 'announced'"
	" AND notice IN (SELECT id FROM notice WHERE purged_at = ?1)",
	/* its link (url) stays: the notice is still on TED */
	[ST_PURGE_NOTICES] =
	"UPDATE notice SET description = NULL, change_reason = NULL,"
	" town = NULL, buyer_city = NULL, documents_url = NULL,"
	" submission_url = NULL, buyer_email = NULL, buyer_phone = NULL"
	" WHERE purged_at = ?1",
};

static const struct stmt_table stmts = { STMT_NOTICES, stmt_sql, NSTMT };

/* A notice's (or a lot's) texts in every language given. */
static int
put_texts(struct store *s, enum stmt_id id, int64_t rowid, const char *field,
	  const struct text *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (step_done(s, query(s, &stmts, id,
				       ARGS(ARG_INT(rowid), ARG_TEXT(field),
					    ARG_TEXT(t[i].lang),
					    ARG_TEXT(t[i].value))),
			      "store a text") < 0)
			return -1;
	return 0;
}

/* A flag that may be unknown, bound as NULL then. */
#define ARG_FLAG(v) ARG_INT_IF((v) != LOT_SME_UNKNOWN, (v))
/* A count that may be unknown, bound as NULL then. */
#define ARG_COUNT(v) ARG_INT_IF((v) != COUNT_UNKNOWN, (v))

static int
put_lots(struct store *s, const struct notice *n, int64_t notice_rowid,
	 int64_t *lot_rowids)
{
	size_t i;

	for (i = 0; i < n->nlots; i++) {
		const struct lot *l = &n->lots[i];

		if (step_done(s, query(s, &stmts, ST_LOT_INSERT,
				       ARGS(ARG_INT(notice_rowid), ARG_TEXT(l->id),
					    ARG_TEXT(l->title),
					    ARG_WORDS(l->cpv, l->ncpv),
					    ARG_DOUBLE_IF(l->has_value, l->value),
					    ARG_TEXT(l->currency),
					    ARG_WORDS(l->nuts, l->nnuts),
					    ARG_FLAG(l->sme_suitable),
					    ARG_INT_IF(l->has_deadline,
						       l->deadline),
					    ARG_TEXT(l->description),
					    ARG_TEXT(l->town),
					    ARG_INT_IF(l->has_questions_deadline,
						       l->questions_deadline),
					    ARG_TEXT(l->duration),
					    ARG_TEXT(l->documents_url),
					    ARG_TEXT(l->submission_url),
					    ARG_FLAG(l->framework))),
			      "store lot") < 0)
			return -1;
		lot_rowids[i] = sqlite3_last_insert_rowid(s->db);
		if (put_texts(s, ST_LOT_TEXT_INSERT, lot_rowids[i], "title",
			      l->titles, l->ntitles) < 0)
			return -1;
	}
	return 0;
}

static int
put_groups(struct store *s, const struct notice *n, int64_t notice_rowid)
{
	size_t i;

	for (i = 0; i < n->ngroups; i++) {
		const struct lot_group *g = &n->groups[i];

		if (step_done(s, query(s, &stmts, ST_GROUP_INSERT,
				       ARGS(ARG_INT(notice_rowid), ARG_TEXT(g->id),
					    ARG_TEXT(g->title),
					    ARG_WORDS(g->lots, g->nlots),
					    ARG_DOUBLE_IF(g->has_value, g->value),
					    ARG_TEXT(g->currency))),
			      "store lot group") < 0)
			return -1;
	}
	return 0;
}

static int
put_awards(struct store *s, const struct notice *n, int64_t notice_rowid)
{
	int64_t award;
	size_t i, w;

	for (i = 0; i < n->nawards; i++) {
		const struct award *a = &n->awards[i];

		if (step_done(s, query(s, &stmts, ST_AWARD_INSERT,
				       ARGS(ARG_INT(notice_rowid), ARG_TEXT(a->lot),
					    ARG_COUNT(a->tenders),
					    ARG_COUNT(a->sme_tenders),
					    ARG_DOUBLE_IF(a->has_value, a->value),
					    ARG_TEXT(a->currency))),
			      "store award") < 0)
			return -1;
		award = sqlite3_last_insert_rowid(s->db);
		for (w = 0; w < a->nwinners; w++)
			if (step_done(s, query(s, &stmts, ST_WINNER_INSERT,
					       ARGS(ARG_INT(award),
						    ARG_TEXT(a->winners[w].name),
						    ARG_TEXT(a->winners[w].id))),
				      "store award winner") < 0)
				return -1;
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
	sqlite3_stmt *st = query(s, &stmts, ST_NOTICE_CURRENT,
				 ARGS(ARG_TEXT(id), ARG_INT(rowid)));
	const char *v;
	int r;

	*prev = 0;
	*older = 0;
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
	size_t i;

	for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (step_done(s, query(s, &stmts, steps[i],
				       ARGS(ARG_INT(old_row), ARG_INT(new_row))),
			      "mark notice replaced") < 0)
			return -1;
	return 0;
}

/* Records what a change notice says it changed, section by section. */
static int
put_announced_changes(struct store *s, const struct changes *c, int64_t rowid,
		      int64_t prev)
{
	size_t i, j;

	for (i = 0; i < c->nitems; i++) {
		const struct change_item *it = &c->items[i];

		/* undescribed, it says nothing the versions' diff does not */
		if (!it->description)
			continue;
		for (j = 0; j < (it->nsections ? it->nsections : 1); j++)
			if (step_done(s, query(s, &stmts, ST_CHANGE_ANNOUNCED,
					       ARGS(ARG_INT(rowid),
						    ARG_INT_IF(prev, prev),
						    ARG_TEXT(it->nsections ?
							     it->sections[j] :
							     NULL),
						    ARG_TEXT(it->description))),
				      "store announced change") < 0)
				return -1;
	}
	return 0;
}

/* *replaced: 1 if a stored notice was replaced, -1 if this is older. */
static int
put_replacement(struct store *s, const struct notice *n, int64_t rowid,
		int *replaced)
{
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
	    step_done(s, query(s, &stmts, ST_NOTICE_DIFF,
			       ARGS(ARG_INT(rowid), ARG_INT(prev))),
		      "record changes") < 0 ||
	    step_done(s, query(s, &stmts, ST_CHANGES_MARK_PENDING,
			       ARGS(ARG_INT(rowid))),
		      "mark changes to mail") < 0)
		return -1;
	*replaced = 1;
	return 0;
}

int
store_put_notice(struct store *s, const struct notice *n, const char *source,
		 time_t now, enum store_put_result *result, int64_t *lot_rowids)
{
	const struct changes *c = n->changes;
	int64_t rowid;
	int replaced;

	switch (step_exists(s, query(s, &stmts, ST_NOTICE_EXISTS,
				     ARGS(ARG_TEXT(n->id), ARG_TEXT(n->version))),
			    "look up notice")) {
	case 1:
		*result = STORE_UNCHANGED;
		return 0;
	case -1:
		return -1;
	}
	if (step_done(s, query(s, &stmts, ST_NOTICE_INSERT,
			       ARGS(ARG_TEXT(n->id), ARG_TEXT(n->version),
				    ARG_TEXT(n->procedure_id),
				    ARG_TEXT(notice_kind_name(n->kind)),
				    ARG_TEXT(n->subtype), ARG_TEXT(n->title),
				    ARG_TEXT(n->buyer), ARG_TEXT(n->published),
				    ARG_INT_IF(n->has_deadline, n->deadline),
				    ARG_TEXT(n->url), ARG_TEXT(n->language),
				    ARG_TEXT(source), ARG_INT(now),
				    ARG_TEXT(n->description),
				    ARG_TEXT(n->buyer_id),
				    ARG_TEXT(n->buyer_city),
				    ARG_TEXT(n->procedure_type),
				    ARG_WORDS(n->cpv, n->ncpv),
				    ARG_DOUBLE_IF(n->has_value, n->value),
				    ARG_TEXT(n->currency),
				    ARG_WORDS(n->nuts, n->nnuts),
				    ARG_TEXT(n->town), ARG_TEXT(n->documents_url),
				    ARG_TEXT(n->submission_url),
				    ARG_COUNT(n->max_lots_submitted),
				    ARG_COUNT(n->max_lots_awarded),
				    ARG_TEXT(c ? c->notice_id : NULL),
				    ARG_TEXT(c ? c->version : NULL),
				    ARG_TEXT(c ? c->reason : NULL),
				    ARG_TEXT(n->publication),
				    ARG_TEXT(n->buyer_email),
				    ARG_TEXT(n->buyer_phone))),
		      "store notice") < 0)
		return -1;
	rowid = sqlite3_last_insert_rowid(s->db);
	if (put_lots(s, n, rowid, lot_rowids) < 0 ||
	    put_texts(s, ST_NOTICE_TEXT_INSERT, rowid, "title", n->titles,
		      n->ntitles) < 0 ||
	    put_texts(s, ST_NOTICE_TEXT_INSERT, rowid, "description",
		      n->descriptions, n->ndescriptions) < 0 ||
	    put_groups(s, n, rowid) < 0 ||
	    put_awards(s, n, rowid) < 0 ||
	    search_queue_notice(s, rowid) < 0 ||
	    put_replacement(s, n, rowid, &replaced) < 0)
		return -1;
	/* A late copy of an older version is kept, but changes nothing. */
	*result = replaced > 0 ? STORE_CHANGED :
		  replaced < 0 ? STORE_UNCHANGED : STORE_NEW;
	return 0;
}

int
store_open_notices(struct store *s, time_t now, time_t year_ago,
		   const char *after, unsigned limit, char ***ids, size_t *n)
{
	return read_ids(s, query(s, &stmts, ST_OPEN_NOTICES,
				 ARGS(ARG_INT(now), ARG_INT(year_ago),
				      ARG_TEXT(after), ARG_INT(limit))),
			ids, n, "list open notices");
}

int
store_match_later(struct store *s, const char *notice_id, int later)
{
	return step_done(s, query(s, &stmts, ST_MATCH_LATER,
				  ARGS(ARG_TEXT(notice_id), ARG_INT(later != 0))),
			 "mark a notice to match later");
}

int
store_matches_later(struct store *s, unsigned limit, char ***ids, size_t *n)
{
	return read_ids(s, query(s, &stmts, ST_MATCHES_LATER,
				 ARGS(ARG_INT(limit))),
			ids, n, "list notices to match");
}

#define ROW struct public_notice
static const struct column public_notice_columns[] = {
	C_NEEDED(notice_id), C_NEEDED(title), C_TEXT(buyer), C_TEXT(url),
	C_NEEDED(kind), C_TIME_IF(deadline, has_deadline), C_NEEDED(published),
	C_TEXT(categories), C_TEXT(description), C_TEXT(contact),
	C_TEXT(documents), C_TIME(closed_at), C_INT(own), C_TIME(updated),
	C_TIME(purged_at),
};
static const struct row_type public_notice_rows =
	ROW_TYPE(public_notice_columns, NULL);
#undef ROW

void
public_notices_free(struct public_notice *p, size_t n)
{
	free_rows(&public_notice_rows, p, n);
}

int
store_public_notices(struct store *s, const struct public_query *q,
		     struct public_notice **out, size_t *n)
{
	enum stmt_id id = q->notice_id ? ST_PUBLIC_NOTICE : q->kind ?
			  ST_PUBLIC_NOTICES_OF_KIND : ST_PUBLIC_NOTICES;
	struct buf match;
	int words, rc;

	buf_init(&match, 4096);
	if ((words = search_query(q->search, &match)) < 0)
		return -1;
	if (words)
		id = ST_PUBLIC_NOTICES_SEARCH;
	rc = read_rows(s, query(s, &stmts, id,
				ARGS(ARG_TEXT(q->category), ARG_INT(q->limit),
				     ARG_TEXT(q->kind), ARG_TEXT(q->notice_id),
				     ARG_INT_IF(q->open_at, q->open_at),
				     ARG_INT(q->offset), ARG_TEXT(buf_str(&match)))),
		       &public_notice_rows, (void **)out, n,
		       "list public notices");
	buf_release(&match);
	return rc;
}

#define ROW struct notice_change
static const struct column notice_change_columns[] = {
	C_TEXT(lot_id), C_NEEDED(what), C_TEXT(old_value), C_TEXT(new_value),
};
static const struct row_type notice_change_rows =
	ROW_TYPE(notice_change_columns, NULL);
#undef ROW

void
notice_changes_free(struct notice_change *c, size_t n)
{
	free_rows(&notice_change_rows, c, n);
}

int
store_notice_changes(struct store *s, const char *notice_id,
		     struct notice_change **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_CHANGES_OF,
				  ARGS(ARG_TEXT(notice_id))),
			 &notice_change_rows, (void **)out, n, "list changes");
}

int
store_version_changes(struct store *s, int64_t rowid,
		      struct notice_change **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_CHANGES_OF_ROW,
				  ARGS(ARG_INT(rowid))),
			 &notice_change_rows, (void **)out, n,
			 "list changes of a version");
}

int
store_put_category_lots(struct store *s, int64_t lot_rowid,
			const struct lot_split *split)
{
	size_t i;

	for (i = 0; i < split->nparts; i++) {
		const struct category_lot *p = &split->parts[i];

		if (step_done(s, query(s, &stmts, ST_CATEGORY_LOT_INSERT,
				       ARGS(ARG_INT(lot_rowid),
					    ARG_TEXT(p->category ?
						     p->category->key : NULL),
					    ARG_WORDS(p->cpv, p->ncpv),
					    ARG_DOUBLE_IF(p->has_value, p->value),
					    ARG_TEXT(p->currency))),
			      "store category lot") < 0)
			return -1;
	}
	return 0;
}

#define ROW struct stored_part
static const struct column part_columns[] = {
	C_TEXT(category), C_NEEDED(cpv), C_DOUBLE_IF(value, has_value),
	C_TEXT(currency),
};
static const struct row_type part_rows = ROW_TYPE(part_columns, NULL);
#undef ROW

static void
clear_lot_parts(void *elem)
{
	struct stored_lot *l = elem;

	free_rows(&part_rows, l->parts, l->nparts);
	l->parts = NULL;
	l->nparts = 0;
}

#define ROW struct stored_lot
static const struct column lot_columns[] = {
	C_INT64(rowid), C_NEEDED(lot_id), C_TEXT(title), C_NEEDED(cpv),
	C_NEEDED(nuts), C_TEXT(town), C_TEXT(duration), C_FLAG(sme_suitable),
	C_DOUBLE_IF(value, has_value), C_TEXT(currency),
	C_TIME_IF(deadline, has_deadline), C_TEXT(description),
};
static const struct row_type lot_rows = ROW_TYPE(lot_columns, clear_lot_parts);
#undef ROW

static void
clear_notice_lots(void *elem)
{
	struct stored_notice *n = elem;

	free_rows(&lot_rows, n->lots, n->nlots);
	n->lots = NULL;
	n->nlots = 0;
}

#define ROW struct stored_notice
static const struct column stored_notice_columns[] = {
	C_INT64(rowid), C_TEXT(notice_id), C_TEXT(version), C_TEXT(kind),
	C_TEXT(subtype), C_TEXT(title), C_TEXT(buyer), C_TEXT(buyer_id),
	C_TEXT(published), C_TEXT(url), C_TIME_IF(deadline, has_deadline),
	C_TEXT(language), C_TEXT(description),
};
static const struct row_type stored_notice_rows =
	ROW_TYPE(stored_notice_columns, clear_notice_lots);
#undef ROW

void
stored_notice_free(struct stored_notice *n)
{
	free_rows(&stored_notice_rows, n, n ? 1 : 0);
}

static int
load_lots(struct store *s, struct stored_notice *n)
{
	size_t i;

	if (read_rows(s, query(s, &stmts, ST_NOTICE_LOTS, ARGS(ARG_INT(n->rowid))),
		      &lot_rows, (void **)&n->lots, &n->nlots, "read lots") < 0)
		return -1;
	for (i = 0; i < n->nlots; i++)
		if (read_rows(s, query(s, &stmts, ST_LOT_PARTS,
				       ARGS(ARG_INT(n->lots[i].rowid))),
			      &part_rows, (void **)&n->lots[i].parts,
			      &n->lots[i].nparts, "read category parts") < 0)
			return -1;
	return 0;
}

int
store_get_notice(struct store *s, const char *notice_id,
		 struct stored_notice **out)
{
	struct stored_notice *n = NULL;
	int r, rc = -1;

	*out = NULL;
	if (!(n = calloc(1, sizeof *n)))
		return error("out of memory");
	if ((r = read_row(s, query(s, &stmts, ST_NOTICE_GET,
				   ARGS(ARG_TEXT(notice_id))),
			  &stored_notice_rows, n, "read notice")) <= 0) {
		rc = r;
		goto out;
	}
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
	return read_ids(s, query(s, &stmts, ST_SINGLE_LOT_NOTICES,
				 ARGS(ARG_TEXT(buyer_id), ARG_INT(now))),
			ids, n, "list single-lot notices");
}

int
store_purge_notices(struct store *s, time_t before, time_t now,
		    long long *n)
{
	static const enum stmt_id drop[] = {
		ST_PURGE_NOTICE_TEXTS, ST_PURGE_LOT_TEXTS, ST_PURGE_LOTS,
		ST_PURGE_GROUPS, ST_PURGE_MATCHES, ST_PURGE_CHANGES,
		ST_PURGE_NOTICES,
	};
	long long dropped;
	size_t i;
	int rc = -1;

	*n = 0;
	if (store_begin(s) < 0)
		return -1;
	if (update_rows(s, query(s, &stmts, ST_PURGE_MARK,
				 ARGS(ARG_INT(before), ARG_INT(now))),
			"mark old notices", n) < 0)
		goto out;
	for (i = 0; *n && i < sizeof drop / sizeof drop[0]; i++)
		if (update_rows(s, query(s, &stmts, drop[i],
					 ARGS(ARG_INT(now))),
				"drop old notices' texts", &dropped) < 0)
			goto out;
	if ((*n && search_forget_purged(s, now) < 0) || store_commit(s) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		store_rollback(s);
		*n = 0;
	}
	return rc;
}
