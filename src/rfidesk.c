/*
 * The unit's own RFIs from publishing to withdrawal: each operation one
 * function that the command line and the staff's pages call alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "category.h"
#include "config.h"
#include "filetype.h"
#include "ingest.h"
#include "log.h"
#include "match.h"
#include "notice.h"
#include "rfi.h"
#include "store.h"

#define DAY		86400L
#define URL_MAX		4096
#define ATTACHMENTS_MAX	(64 * 1024)
/* TED publishes a notice within days; a year covers any delay. */
#define RFI_RECOGNISE_DAYS 365

/*
 * The matching the preview and the publishing share: every firm, or none
 * when nothing is to be matched now (with_firms 0).
 */
struct matcher {
	struct firm_list firms;
	struct ingest in;
};

static int
matcher_open(const struct rfi_desk *d, int with_firms, struct matcher *m)
{
	struct match_options mo = {
		.size_share = d->cfg->size_share / 100.0
	};

	memset(m, 0, sizeof *m);
	m->in = (struct ingest){
		.store = d->store, .categories = d->categories,
		.feed = "rfi", .now = d->now, .firms = &m->firms,
	};
	if (with_firms && store_load_firms(d->store, &m->firms) < 0)
		return -1;
	if (!(m->in.index = match_index_new(&m->firms, &mo))) {
		firm_list_release(&m->firms);
		return error("out of memory");
	}
	return 0;
}

static void
matcher_close(struct matcher *m)
{
	match_index_free(m->in.index);
	firm_list_release(&m->firms);
}

/* What the unit may publish, beyond what rfi_load checks. */
static int
check_rfi(const struct rfi_desk *d, const struct rfi *r, const char *source)
{
	size_t i;

	for (i = 0; i < r->ncategories; i++)
		if (!category_find(d->categories, r->categories[i]))
			return error("%s: category '%s' is not registered in %s",
				     source, r->categories[i],
				     d->cfg->categories_path);
	if (r->answer_deadline <= d->now)
		return error("%s: the answer deadline has passed", source);
	return 0;
}

static const char *
own_buyer(const struct rfi_desk *d)
{
	return d->cfg->own_buyers ? d->cfg->own_buyers[0] : NULL;
}

/* The notice r is published as: its public page is /rfi/ID. */
static int
to_notice(const struct rfi_desk *d, const struct rfi *r, const char *id,
	  struct notice **out)
{
	struct buf url;
	int rc;

	buf_init(&url, URL_MAX);
	rc = buf_printf(&url, "%s/rfi/%s", d->cfg->public_url, id) < 0 ||
	     rfi_to_notice(r, d->categories, id, d->cfg->service_name,
			   own_buyer(d), buf_str(&url), d->now, out) < 0 ?
	     -1 : 0;
	buf_release(&url);
	return rc;
}

static int
word_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Codes, sorted, as one text to compare sets by; v stays as it was. */
static int
code_set(char *const *v, size_t n, struct buf *out)
{
	char **sorted;
	size_t i;
	int rc = -1;

	buf_reset(out);
	if (n == 0)
		return 0;
	if (!(sorted = malloc(n * sizeof *sorted)))
		return error("out of memory");
	memcpy(sorted, v, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, word_cmp);
	for (i = 0; i < n; i++)
		if (buf_printf(out, "%s%s", i ? " " : "", sorted[i]) < 0)
			goto out;
	rc = 0;
out:
	free(sorted);
	return rc;
}

/* The same of a stored text of codes. */
static int
stored_code_set(const char *codes, struct buf *out)
{
	char **v = NULL;
	size_t n = 0;
	int rc = -1;

	if (strvec_split(codes, &v, &n) == 0)
		rc = code_set(v, n, out);
	strvec_free(v, n);
	return rc;
}

/*
 * Whether n may be the RFI e: the same title, or the same codes (mine,
 * n's as code_set made them) from the same buyer, as the unit's own are
 * whether their notices name it or not.
 */
static int
same_rfi(const struct notice *n, const struct rfi_entry *e,
	 const struct buf *mine, struct buf *theirs)
{
	if (strcasecmp(e->title, n->title) == 0)
		return 1;
	if (!e->own && !(e->buyer_id && n->buyer_id &&
			 strcmp(e->buyer_id, n->buyer_id) == 0))
		return 0;
	return stored_code_set(e->cpv, theirs) == 0 &&
	       strcmp(buf_str(theirs), buf_str(mine)) == 0;
}

/* Of the RFIs published lately, those r may repeat. */
static int
find_duplicates(const struct rfi_desk *d, const struct notice *n,
		struct rfi_preview *p)
{
	struct rfi_entry *e = NULL;
	struct buf mine, theirs;
	size_t ne = 0, i;
	int rc = -1;

	buf_init(&mine, 64 * 1024);
	buf_init(&theirs, 64 * 1024);
	if (store_rfis_since(d->store, d->now - RFI_DUPLICATE_DAYS * DAY, &e,
			     &ne) < 0 || code_set(n->cpv, n->ncpv, &mine) < 0)
		goto out;
	if (!(p->duplicates = calloc(ne + 1, sizeof *p->duplicates))) {
		error("out of memory");
		goto out;
	}
	for (i = 0; i < ne; i++) {
		if (!same_rfi(n, &e[i], &mine, &theirs))
			continue;
		p->duplicates[p->nduplicates++] = e[i];
		memset(&e[i], 0, sizeof e[i]);
	}
	rc = 0;
out:
	rfi_entries_free(e, ne);
	buf_release(&mine);
	buf_release(&theirs);
	return rc;
}

int
rfi_preview(const struct rfi_desk *d, const struct rfi *r, const char *source,
	    struct rfi_preview *out)
{
	struct ingest_preview ip;
	struct notice *n = NULL;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (check_rfi(d, r, source) < 0)
		return -1;
	if (to_notice(d, r, "rfi-preview", &n) < 0 ||
	    rfi_desk_preview(d, n, &ip) < 0)
		goto out;
	out->categories = ip.categories;
	out->ncategories = ip.ncategories;
	out->firms = ip.firms;
	if (find_duplicates(d, n, out) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		rfi_preview_release(out);
	notice_free(n);
	return rc;
}

int
rfi_desk_preview(const struct rfi_desk *d, const struct notice *n,
		 struct ingest_preview *out)
{
	struct matcher m;
	int rc;

	if (matcher_open(d, 1, &m) < 0)
		return -1;
	rc = ingest_preview(&m.in, n, out);
	matcher_close(&m);
	return rc;
}

void
rfi_preview_release(struct rfi_preview *p)
{
	strvec_free(p->categories, p->ncategories);
	rfi_entries_free(p->duplicates, p->nduplicates);
	memset(p, 0, sizeof *p);
}

/* Notices stored and matched together: the firms loaded once. */
struct rfi_desk_run {
	struct matcher m;
	struct ingest_batch batch;
};

int
rfi_desk_run_open(const struct rfi_desk *d, int store_only,
		  struct rfi_desk_run **out)
{
	struct rfi_desk_run *r = calloc(1, sizeof *r);

	*out = NULL;
	if (!r)
		return error("out of memory");
	if (matcher_open(d, !store_only && !d->match_later, &r->m) < 0) {
		free(r);
		return -1;
	}
	r->m.in.store_only = store_only;
	r->m.in.match_later = d->match_later;
	*out = r;
	return 0;
}

int
rfi_desk_run_add(struct rfi_desk_run *r, struct notice *n, const char *source)
{
	struct ingest_doc doc = { 0 };
	int rc = -1;

	doc.notice = n;
	if (!(doc.source = strdup(source)))
		error("out of memory");
	else if (ingest_batch_add(&r->batch, &doc) == 0)
		rc = ingest_batch_full(&r->batch) ?
		     ingest_flush(&r->m.in, &r->batch) : 0;
	ingest_doc_release(&doc);
	return rc;
}

int
rfi_desk_run_close(struct rfi_desk_run *r, unsigned *firms)
{
	int rc;

	if (!r)
		return -1;
	rc = r->batch.n ? ingest_flush(&r->m.in, &r->batch) : 0;
	if (rc == 0 && firms)
		*firms = r->m.in.counts.matches;
	ingest_batch_release(&r->batch);
	matcher_close(&r->m);
	free(r);
	return rc;
}

int
rfi_desk_ingest(const struct rfi_desk *d, struct notice *n, const char *source,
		int store_only, unsigned *firms)
{
	struct rfi_desk_run *r;

	if (rfi_desk_run_open(d, store_only, &r) < 0) {
		notice_free(n);
		return -1;
	}
	if (rfi_desk_run_add(r, n, source) < 0) {
		rfi_desk_run_close(r, NULL);
		return -1;
	}
	return rfi_desk_run_close(r, firms);
}

static int
join_attachments(const struct rfi *r, struct buf *out)
{
	size_t i;

	for (i = 0; i < r->nattachments; i++)
		if (buf_printf(out, "%s%s", i ? " " : "", r->attachments[i]) < 0)
			return error("out of memory");
	return 0;
}

int
rfi_publish(const struct rfi_desk *d, const struct rfi *r, const char *source,
	    char *notice_id, size_t len, unsigned *firms)
{
	struct notice *n = NULL;
	struct buf attachments;
	int64_t id;
	int rc = -1;

	buf_init(&attachments, ATTACHMENTS_MAX);
	if (check_rfi(d, r, source) < 0 ||
	    join_attachments(r, &attachments) < 0 ||
	    store_put_rfi(d->store, r->contact, buf_str(&attachments), d->now,
			  &id, notice_id, len) < 0 ||
	    to_notice(d, r, notice_id, &n) < 0)
		goto out;
	rc = rfi_desk_ingest(d, n, source, 0, firms);
	n = NULL;
out:
	notice_free(n);
	buf_release(&attachments);
	return rc;
}

/*
 * The unit's RFI notice_id as stored, open (not closed, not withdrawn)
 * unless any_state, by its copy on TED too where copy_ok; *out the
 * current version of its notice.
 */
static int
own_rfi(const struct rfi_desk *d, const char *notice_id, int any_state,
	int copy_ok, struct stored_notice **out)
{
	struct rfi_entry *e = NULL;
	size_t n = 0;
	int rc = -1;

	*out = NULL;
	if (store_rfis(d->store, d->now, notice_id, &e, &n) < 0)
		return -1;
	if (n == 0 || !e->own)
		error("%s: no RFI of the unit's own by that id", notice_id);
	else if (e->withdrawn_at)
		error("%s is withdrawn", notice_id);
	else if (!any_state && e->closed_at)
		error("%s is closed", notice_id);
	else if (!copy_ok && e->ted_notice_id &&
		 strcmp(e->ted_notice_id, notice_id) == 0)
		error("%s is the copy on TED of an RFI of the unit's own: act "
		      "on that one", notice_id);
	else if (store_get_notice(d->store, notice_id, out) == 0 && *out)
		rc = 0;
	rfi_entries_free(e, n);
	return rc;
}

int
rfi_desk_next_version(const struct stored_notice *prev, struct notice *n)
{
	char v[16];

	snprintf(v, sizeof v, "%02d", atoi(prev->version) + 1);
	free(n->version);
	free(n->published);
	n->version = strdup(v);
	n->published = strdup(prev->published);
	return n->version && n->published ? 0 : error("out of memory");
}

int
rfi_edit(const struct rfi_desk *d, const char *notice_id, const struct rfi *r,
	 const char *source)
{
	struct stored_notice *prev = NULL;
	struct notice *n = NULL;
	struct buf attachments;
	int found, rc = -1;

	buf_init(&attachments, ATTACHMENTS_MAX);
	if (own_rfi(d, notice_id, 0, 0, &prev) < 0 ||
	    check_rfi(d, r, source) < 0 ||
	    join_attachments(r, &attachments) < 0 ||
	    to_notice(d, r, notice_id, &n) < 0 ||
	    rfi_desk_next_version(prev, n) < 0 ||
	    store_update_rfi(d->store, notice_id, r->contact,
			     buf_str(&attachments), &found) < 0)
		goto out;
	rc = rfi_desk_ingest(d, n, source, 0, NULL);
	n = NULL;
out:
	notice_free(n);
	stored_notice_free(prev);
	buf_release(&attachments);
	return rc;
}

/*
 * The next version of prev, as it was but announcing text (why it is
 * withdrawn, postponed or dropped), which the change mail quotes; the
 * versions differ in nothing else, so without it no one would be told.
 */
int
rfi_desk_announced_version(const struct stored_notice *prev, const char *text,
			   struct notice *n)
{
	struct change_item *item;

	if (!(n->changes = calloc(1, sizeof *n->changes)) ||
	    !(item = calloc(1, sizeof *item)))
		return error("out of memory");
	n->changes->items = item;
	n->changes->nitems = 1;
	if (!(item->description = strdup(text)))
		return error("out of memory");
	return rfi_desk_next_version(prev, n);
}

/*
 * The RFI as it stands, from its public record and its stored lot, to
 * store the next version from: the same words, codes and documents.
 */
static int
restate(const struct rfi_desk *d, const struct stored_notice *prev,
	struct rfi *r)
{
	struct public_query q = { .notice_id = prev->notice_id, .limit = 1 };
	struct public_notice *p = NULL;
	size_t n = 0;
	int rc = -1;

	if (store_public_notices(d->store, &q, &p, &n) < 0)
		return -1;
	if (n == 0) {
		error("%s: not on the public pages", prev->notice_id);
		goto out;
	}
	if (!(r->title = strdup(p->title)) || !(r->timezone = strdup("UTC")) ||
	    (p->description && !(r->description = strdup(p->description))) ||
	    (p->contact && !(r->contact = strdup(p->contact))) ||
	    strvec_split(p->documents, &r->attachments,
			 &r->nattachments) < 0 ||
	    strvec_split(prev->nlots ? prev->lots[0].cpv : NULL, &r->cpv,
			 &r->ncpv) < 0) {
		error("out of memory");
		goto out;
	}
	r->answer_deadline = prev->has_deadline ? prev->deadline : d->now;
	rc = 0;
out:
	public_notices_free(p, n);
	return rc;
}

int
rfi_withdraw(const struct rfi_desk *d, const char *notice_id, const char *why)
{
	struct stored_notice *prev = NULL;
	struct notice *n = NULL;
	struct rfi *r = NULL;
	int found, rc = -1;

	/*
	 * the version that withdraws is as the last but for why, which the
	 * change mail quotes: without it no one would be told
	 */
	if (!why || !*why || strlen(why) > RFI_WHY_MAX ||
	    strpbrk(why, "\r\n"))
		return error("why: the firms are told why, in one line of at "
			     "most %d bytes", RFI_WHY_MAX);
	if (own_rfi(d, notice_id, 1, 0, &prev) < 0)
		return -1;
	if (!(r = rfi_new()) || restate(d, prev, r) < 0 ||
	    to_notice(d, r, notice_id, &n) < 0 ||
	    rfi_desk_announced_version(prev, why, n) < 0)
		goto out;
	/* taken by rfi_desk_ingest, whatever it returns */
	rc = rfi_desk_ingest(d, n, "withdrawal", 1, NULL);
	n = NULL;
	if (rc < 0 ||
	    store_withdraw_rfi(d->store, notice_id, d->now, &found) < 0)
		rc = -1;
out:
	notice_free(n);
	rfi_free(r);
	stored_notice_free(prev);
	return rc;
}

int
rfi_close(const struct rfi_desk *d, const char *notice_id)
{
	struct stored_notice *prev = NULL;
	int found = 0, rc = -1;

	if (own_rfi(d, notice_id, 0, 1, &prev) == 0 &&
	    store_close_rfi(d->store, notice_id, d->now, &found) == 0)
		rc = found ? 0 : error("%s is closed already", notice_id);
	stored_notice_free(prev);
	return rc;
}

/* Why an answer is refused, in the firm's language. */
static int
refuse(struct buf *why, int en, const char *sv, const char *english)
{
	buf_reset(why);
	return buf_adds(why, en ? english : sv) < 0 ? -1 : 1;
}

/* The files' types by their bytes, within the caps; 1 with why if not. */
static int
check_files(const struct rfi_upload *files, size_t n, int en,
	    const struct filetype **types, struct buf *why)
{
	size_t i, total = 0;

	if (n > RFI_ANSWER_FILES_MAX) {
		buf_reset(why);
		return buf_printf(why, en ? "At most %d files." :
				  "Högst %d filer.", RFI_ANSWER_FILES_MAX) < 0 ?
		       -1 : 1;
	}
	for (i = 0; i < n; i++) {
		total += files[i].len;
		buf_reset(why);
		if (files[i].len > RFI_ANSWER_FILE_MAX)
			return buf_printf(why, en ? "%s is larger than %u MB." :
					  "%s är större än %u MB.",
					  files[i].name,
					  RFI_ANSWER_FILE_MAX >> 20) < 0 ? -1 : 1;
		if (!(types[i] = filetype_of(files[i].name, files[i].data,
					     files[i].len)))
			return buf_printf(why, en ? "%s is not a file of a type "
					  "taken (%s), or its name does not say "
					  "its type." : "%s är inte en fil av en "
					  "typ som tas emot (%s), eller så säger "
					  "namnet inte vilken typ den är.",
					  files[i].name,
					  filetype_list(en ? "en" : "sv")) < 0 ?
			       -1 : 1;
	}
	if (total > RFI_ANSWER_TOTAL_MAX) {
		buf_reset(why);
		return buf_printf(why, en ? "The files are larger than %u MB "
				  "together." : "Filerna är större än %u MB "
				  "tillsammans.", RFI_ANSWER_TOTAL_MAX >> 20) < 0 ?
		       -1 : 1;
	}
	return 0;
}

int
rfi_answer(struct store *s, const char *notice_id, int64_t firm_id,
	   const char *text, const struct rfi_upload *files, size_t nfiles,
	   time_t now, const char *lang, struct buf *why, int64_t *id)
{
	const struct filetype *types[RFI_ANSWER_FILES_MAX];
	struct rfi_answer_file stored[RFI_ANSWER_FILES_MAX];
	struct rfi_answer a = { 0 };
	struct rfi_entry *e = NULL;
	int en = lang && strcmp(lang, "en") == 0;
	size_t n = 0, i;
	int rc;

	if (store_rfis(s, now, notice_id, &e, &n) < 0)
		return -1;
	if (n == 0 || !e->own || e->closed_at || e->withdrawn_at ||
	    (e->has_deadline && e->deadline <= now))
		rc = refuse(why, en, "Förfrågan tar inte emot svar längre.",
			    "The request for information takes no more "
			    "answers.");
	else if ((!text || !*text) && nfiles == 0)
		rc = refuse(why, en, "Skriv ett svar eller bifoga en fil.",
			    "Write an answer or attach a file.");
	else if (text && strlen(text) > RFI_ANSWER_TEXT_MAX)
		rc = refuse(why, en, "Svaret är för långt: bifoga det som fil.",
			    "The answer is too long: attach it as a file.");
	else
		rc = check_files(files, nfiles, en, types, why);
	rfi_entries_free(e, n);
	if (rc != 0)
		return rc;
	memset(stored, 0, sizeof stored);
	for (i = 0; i < nfiles; i++)
		stored[i] = (struct rfi_answer_file){
			.name = (char *)files[i].name,
			.ext = (char *)types[i]->ext,
			.type = (char *)types[i]->mime,
			.data = (char *)files[i].data, .len = files[i].len,
		};
	a = (struct rfi_answer){ .notice_id = (char *)notice_id,
				 .firm_id = firm_id,
				 .text = (char *)(text ? text : ""),
				 .answered_at = now };
	return store_put_rfi_answer(s, &a, stored, nfiles, id);
}

int
rfi_answers(struct store *s, const char *notice_id,
	    struct rfi_answer **answers, size_t *nanswers,
	    struct rfi_answer_file **files, size_t *nfiles)
{
	*answers = NULL;
	*files = NULL;
	*nanswers = *nfiles = 0;
	if (store_rfi_answers(s, notice_id, answers, nanswers) == 0 &&
	    store_rfi_answer_files(s, notice_id, files, nfiles) == 0)
		return 0;
	rfi_answers_free(*answers, *nanswers);
	*answers = NULL;
	*nanswers = 0;
	return -1;
}

int
rfi_answer_download(struct store *s, int64_t file_id,
		    struct rfi_answer_file *out, char *filename, size_t len,
		    int *found)
{
	if (store_rfi_answer_file(s, file_id, out, found) < 0)
		return -1;
	if (*found)
		snprintf(filename, len, "svar-%lld-%lld.%s",
			 (long long)out->answer, (long long)out->id, out->ext);
	return 0;
}

static int
is_own_buyer(char *const *own_buyers, const char *buyer_id)
{
	for (; own_buyers && *own_buyers; own_buyers++)
		if (strcmp(*own_buyers, buyer_id) == 0)
			return 1;
	return 0;
}

int
rfi_recognise(struct store *s, const struct notice *n,
	      char *const *own_buyers, time_t now, int *copy)
{
	struct rfi_entry *e = NULL;
	struct buf mine, theirs;
	size_t ne = 0, i;
	int found, rc = -1;

	*copy = 0;
	if (n->kind != NOTICE_RFI || !n->buyer_id ||
	    !is_own_buyer(own_buyers, n->buyer_id))
		return 0;
	buf_init(&mine, 64 * 1024);
	buf_init(&theirs, 64 * 1024);
	if (store_rfis_since(s, now - RFI_RECOGNISE_DAYS * DAY, &e, &ne) < 0 ||
	    code_set(n->cpv, n->ncpv, &mine) < 0)
		goto out;
	for (i = 0; i < ne && !*copy; i++) {
		if (!e[i].own || strcmp(e[i].notice_id, n->id) == 0)
			continue;
		if (e[i].ted_notice_id)
			*copy = strcmp(e[i].ted_notice_id, n->id) == 0;
		else if (same_rfi(n, &e[i], &mine, &theirs)) {
			if (store_link_rfi(s, e[i].notice_id, n->id, &found) < 0)
				goto out;
			*copy = 1;
			log_info("%s: the unit's own %s, as published on TED",
				 n->id, e[i].notice_id);
		}
	}
	rc = 0;
out:
	rfi_entries_free(e, ne);
	buf_release(&mine);
	buf_release(&theirs);
	return rc;
}
