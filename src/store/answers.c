/*
 * Answers firms give to the unit's RFIs on the web, with their files,
 * kept in the database under ids of its own: no name a firm chose ever
 * becomes a path.
 */
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

enum stmt_id {
	ST_ANSWER_INSERT,
	ST_FILE_INSERT,
	ST_RESPONSE,
	ST_ANSWERS,
	ST_FILES,
	ST_FILE,
	NSTMT
};

static const char *const stmt_sql[NSTMT] = {
	[ST_ANSWER_INSERT] =
	"INSERT INTO rfi_answer (notice_id, firm, text, answered_at)"
	" VALUES (?1, ?2, ?3, ?4)",
	[ST_FILE_INSERT] =
	"INSERT INTO rfi_file (answer, name, ext, type, data)"
	" VALUES (?1, ?2, ?3, ?4, ?5)",
	/* the participation the report counts, once a firm and RFI */
	[ST_RESPONSE] =
	"INSERT OR IGNORE INTO rfi_response (notice_id, firm, answered_at,"
	" source) VALUES (?1, ?2, ?3, 'web')",
	[ST_ANSWERS] =
	"SELECT a.id, a.notice_id, a.firm, f.orgnr, f.name, a.text,"
	" a.answered_at FROM rfi_answer a JOIN firm f ON f.id = a.firm"
	" WHERE a.notice_id = ?1 ORDER BY a.answered_at, a.id",
	[ST_FILES] =
	"SELECT f.id, f.answer, f.name, f.ext, f.type, NULL, length(f.data)"
	" FROM rfi_file f JOIN rfi_answer a ON a.id = f.answer"
	" WHERE a.notice_id = ?1 ORDER BY f.answer, f.id",
	[ST_FILE] =
	"SELECT id, answer, name, ext, type, data FROM rfi_file"
	" WHERE id = ?1",
};

static const struct stmt_table stmts = { STMT_ANSWERS, stmt_sql, NSTMT };

int
store_put_rfi_answer(struct store *s, const struct rfi_answer *a,
		     const struct rfi_answer_file *files, size_t nfiles,
		     int64_t *id)
{
	size_t i;

	if (store_begin(s) < 0)
		return -1;
	if (step_done(s, query(s, &stmts, ST_ANSWER_INSERT,
			       ARGS(ARG_TEXT(a->notice_id), ARG_INT(a->firm_id),
				    ARG_TEXT(a->text), ARG_INT(a->answered_at))),
		      "store an RFI answer") < 0)
		goto fail;
	*id = sqlite3_last_insert_rowid(s->db);
	for (i = 0; i < nfiles; i++)
		if (step_done(s, query(s, &stmts, ST_FILE_INSERT,
				       ARGS(ARG_INT(*id), ARG_TEXT(files[i].name),
					    ARG_TEXT(files[i].ext),
					    ARG_TEXT(files[i].type),
					    ARG_BLOB(files[i].data,
						     files[i].len))),
			      "store a file of an RFI answer") < 0)
			goto fail;
	if (step_done(s, query(s, &stmts, ST_RESPONSE,
			       ARGS(ARG_TEXT(a->notice_id), ARG_INT(a->firm_id),
				    ARG_INT(a->answered_at))),
		      "record an RFI answer") < 0 ||
	    store_commit(s) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

#define ROW struct rfi_answer
static const struct column answer_columns[] = {
	C_INT64(id), C_NEEDED(notice_id), C_INT64(firm_id), C_NEEDED(orgnr),
	C_TEXT(firm_name), C_NEEDED(text), C_TIME(answered_at),
};
static const struct row_type answer_rows = ROW_TYPE(answer_columns, NULL);
#undef ROW

#define ROW struct rfi_answer_file
static const struct column file_list_columns[] = {
	C_INT64(id), C_INT64(answer), C_NEEDED(name), C_NEEDED(ext),
	C_NEEDED(type), C_SKIP, C_SIZE(len),
};
static const struct row_type file_list_rows =
	ROW_TYPE(file_list_columns, NULL);
static const struct column file_columns[] = {
	C_INT64(id), C_INT64(answer), C_NEEDED(name), C_NEEDED(ext),
	C_NEEDED(type), C_BLOB(data, len),
};
static const struct row_type file_rows = ROW_TYPE(file_columns, NULL);
#undef ROW

void
rfi_answers_free(struct rfi_answer *a, size_t n)
{
	free_rows(&answer_rows, a, n);
}

void
rfi_answer_files_free(struct rfi_answer_file *f, size_t n)
{
	free_rows(&file_list_rows, f, n);
}

void
rfi_answer_file_release(struct rfi_answer_file *f)
{
	clear_columns(&file_rows, f);
}

int
store_rfi_answers(struct store *s, const char *notice_id,
		  struct rfi_answer **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_ANSWERS,
				  ARGS(ARG_TEXT(notice_id))),
			 &answer_rows, (void **)out, n, "list RFI answers");
}

int
store_rfi_answer_files(struct store *s, const char *notice_id,
		       struct rfi_answer_file **out, size_t *n)
{
	return read_rows(s, query(s, &stmts, ST_FILES,
				  ARGS(ARG_TEXT(notice_id))),
			 &file_list_rows, (void **)out, n,
			 "list the files of RFI answers");
}

int
store_rfi_answer_file(struct store *s, int64_t id, struct rfi_answer_file *out,
		      int *found)
{
	int r = read_row(s, query(s, &stmts, ST_FILE, ARGS(ARG_INT(id))),
			 &file_rows, out, "read a file of an RFI answer");

	*found = r > 0;
	return r < 0 ? -1 : 0;
}
