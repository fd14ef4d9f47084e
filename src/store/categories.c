/*
 * Category keys as the stored data names them: which keys firms chose
 * and history holds, and a category's move to a new key.
 */
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

/* A firm's categories are words between single spaces. */
#define PADDED "(' ' || categories || ' ')"
#define HAS_WORD(w) "instr(" PADDED ", ' ' || " w " || ' ') > 0"

enum stmt_id {
	ST_KEYS_USED,
	ST_FIRMS_DROP_OLD,
	ST_FIRMS_RENAME,
	ST_CATEGORY_LOTS_RENAME,
	ST_MATCHES_RENAME,
	ST_MEETINGS_RENAME,
	ST_MEETING_VERSIONS_RENAME,
	ST_ANON_ALERTS_RENAME,
	NSTMT
};

static const char *const stmt_sql[NSTMT] = {
	/* Each key with the firms that chose it and the rows that name it. */
	[ST_KEYS_USED] =
	"WITH RECURSIVE w (rest, word) AS ("
	"  SELECT categories || ' ', '' FROM firm"
	"  UNION ALL SELECT substr(rest, instr(rest, ' ') + 1),"
	"  substr(rest, 1, instr(rest, ' ') - 1) FROM w WHERE rest <> ''),"
	" k (key, firms, rows) AS ("
	"  SELECT word, 1, 0 FROM w WHERE word <> ''"
	"  UNION ALL SELECT category, 0, 1 FROM category_lot"
	"  UNION ALL SELECT category, 0, 1 FROM match"
	"  UNION ALL SELECT category, 0, 1 FROM meeting"
	"  UNION ALL SELECT category, 0, 1 FROM anon_alert)"
	" SELECT key, sum(firms), sum(rows) FROM k WHERE key IS NOT NULL"
	" GROUP BY key ORDER BY key",
	/* a firm that chose both keys keeps the new one once */
	[ST_FIRMS_DROP_OLD] =
	"UPDATE firm SET categories = trim(replace(" PADDED ", ' ' || ?1 || ' ',"
	" ' ')) WHERE " HAS_WORD("?1") " AND " HAS_WORD("?2"),
	[ST_FIRMS_RENAME] =
	"UPDATE firm SET categories = trim(replace(" PADDED ", ' ' || ?1 || ' ',"
	" ' ' || ?2 || ' ')) WHERE " HAS_WORD("?1"),
	[ST_CATEGORY_LOTS_RENAME] =
	"UPDATE category_lot SET category = ?2 WHERE category = ?1",
	[ST_MATCHES_RENAME] =
	"UPDATE match SET category = ?2 WHERE category = ?1",
	[ST_MEETINGS_RENAME] =
	"UPDATE meeting SET category = ?2 WHERE category = ?1",
	[ST_MEETING_VERSIONS_RENAME] =
	"UPDATE meeting_version SET category = ?2 WHERE category = ?1",
	[ST_ANON_ALERTS_RENAME] =
	"UPDATE anon_alert SET category = ?2 WHERE category = ?1",
};

static const struct stmt_table stmts = { STMT_CATEGORIES, stmt_sql, NSTMT };

#define ROW struct category_use
static const struct column category_use_columns[] = {
	C_NEEDED(key), C_LLONG(firms), C_LLONG(rows),
};
static const struct row_type category_use_rows =
	ROW_TYPE(category_use_columns, NULL);
#undef ROW

void
category_uses_free(struct category_use *u, size_t n)
{
	free_rows(&category_use_rows, u, n);
}

int
store_category_uses(struct store *s, struct category_use **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_KEYS_USED, NO_ARGS),
			 &category_use_rows, (void **)out, n,
			 "list the category keys in use");
}

int
store_rename_category(struct store *s, const char *from, const char *to,
		      long long *moved)
{
	int id;

	*moved = 0;
	for (id = ST_FIRMS_DROP_OLD; id < NSTMT; id++) {
		if (step_done(s, query(s, &stmts, id, ARGS(ARG_TEXT(from),
							   ARG_TEXT(to))),
			      "rename a category") < 0)
			return -1;
		*moved += sqlite3_changes(s->db);
	}
	return 0;
}
