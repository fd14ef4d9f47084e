#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "category.h"
#include "cpv.h"
#include "ini.h"
#include "log.h"
#include "notice.h"
#include "rfi.h"
#include "unitfile.h"

#define SECTION			"rfi"
#define TITLE_MAX		200
#define DESCRIPTION_MAX		4000
#define ATTACHMENTS_MAX		20
#define LANGUAGE		"SWE"
#define LOT_ID			"LOT-0001"

/* The keys as read: the deadline stays text until the zone is known. */
struct fields {
	struct rfi r;
	char *deadline;
};

enum {
	K_TITLE,
	K_DESCRIPTION,
	K_CATEGORIES,
	K_CPV,
	K_DEADLINE,
	K_TIMEZONE,
	K_CONTACT,
	K_ATTACHMENTS,
	K_PROCEDURE,
	NKEYS
};

#define R(field) offsetof(struct fields, r.field)

/* An optional value defaults to "", which empty_unsets turns into NULL. */
static const struct ini_key rfi_keys[NKEYS] = {
	[K_TITLE] = { SECTION, "title", INI_STRING, NULL, false, 0, 0, NULL,
		      R(title), "what the firms are asked about" },
	[K_DESCRIPTION] = { SECTION, "description", INI_STRING, "", true, 0, 0,
			    NULL, R(description), "one line about it" },
	[K_CATEGORIES] = { SECTION, "categories", INI_LIST, "", true, 0, 0,
			   NULL, R(categories), "lot categories asked" },
	[K_CPV] = { SECTION, "cpv", INI_LIST, "", true, 0, 0, NULL, R(cpv),
		    "CPV codes of what is asked about" },
	[K_DEADLINE] = { SECTION, "answer_deadline", INI_STRING, NULL, false,
			 0, 0, NULL, offsetof(struct fields, deadline),
			 "YYYY-MM-DD HH:MM, local time" },
	[K_TIMEZONE] = { SECTION, "timezone", INI_STRING,
			 UNITFILE_ZONE_DEFAULT, false, 0, 0, NULL, R(timezone),
			 "IANA zone of the deadline" },
	[K_CONTACT] = { SECTION, "contact", INI_STRING, NULL, false, 0, 0,
			NULL, R(contact), "\"Name <addr>\" answering" },
	[K_ATTACHMENTS] = { SECTION, "attachments", INI_LIST, "", true, 0, 0,
			    NULL, R(attachments),
			    "https:// links to documents" },
	[K_PROCEDURE] = { SECTION, "procedure", INI_STRING, "", true, 0, 0,
			  NULL, R(procedure), "the notice or procedure id it "
			  "prepares" },
};

struct rfi *
rfi_new(void)
{
	return calloc(1, sizeof(struct rfi));
}

void
rfi_free(struct rfi *r)
{
	if (!r)
		return;
	free(r->title);
	free(r->description);
	strvec_free(r->categories, r->ncategories);
	strvec_free(r->cpv, r->ncpv);
	free(r->timezone);
	free(r->contact);
	strvec_free(r->attachments, r->nattachments);
	free(r->procedure);
	free(r);
}

/* The words of an INI_LIST, which ends with NULL. */
static size_t
count(char **list)
{
	size_t n = 0;

	while (list && list[n])
		n++;
	return n;
}

static int
check_words(char **list, int (*check)(const char *, struct buf *),
	    struct buf *why)
{
	for (; *list; list++)
		if (check(*list, why) < 0)
			return -1;
	return 0;
}

/* Known codes, rewritten as 8 digits so that they compare equal. */
static int
check_cpv(char **list, struct buf *why)
{
	char code[CPV_LEN + 1];

	for (; *list; list++) {
		if (cpv_normalize(*list, code) < 0) {
			buf_printf(why, "'%s' is not a CPV code (8 digits, "
				   "optionally with -check digit)", *list);
			return -1;
		}
		if (!cpv_known(code)) {
			buf_printf(why, "%s is not in the CPV list", code);
			return -1;
		}
		memcpy(*list, code, sizeof(code));
	}
	return 0;
}

static int
check_attachments(char **list, struct buf *why)
{
	size_t n = count(list);

	if (n > ATTACHMENTS_MAX) {
		buf_printf(why, "%zu links, more than %d", n, ATTACHMENTS_MAX);
		return -1;
	}
	return check_words(list, unitfile_check_https_url, why);
}

/* Why the value of key k is refused, beyond what the ini module checks. */
static int
check_value(void *fields, size_t k, const char *v, struct buf *why)
{
	struct rfi *r = &((struct fields *)fields)->r;

	switch (k) {
	case K_TITLE:
		return unitfile_check_text(v, TITLE_MAX, why);
	case K_DESCRIPTION:
		return unitfile_check_text(v, DESCRIPTION_MAX, why);
	case K_CATEGORIES:
		return check_words(r->categories, unitfile_check_category, why);
	case K_CPV:
		return check_cpv(r->cpv, why);
	case K_DEADLINE:
		/* the zone may come later: converted by finish() */
		return unitfile_check_wall_time(v, why);
	case K_CONTACT:
		return unitfile_check_mailbox(v, why);
	case K_ATTACHMENTS:
		return check_attachments(r->attachments, why);
	case K_PROCEDURE:
		return unitfile_check_notice_id(v, why);
	default:
		/* the timezone is checked once the file is read */
		return 0;
	}
}

/* The checks that need the whole file. */
static int
finish(struct unitfile *uf, void *fields)
{
	struct fields *f = fields;
	int rc = unitfile_one_of(uf, K_CATEGORIES, f->r.categories, K_CPV,
				 f->r.cpv);

	if (unitfile_zone(uf, K_TIMEZONE, f->r.timezone) < 0 ||
	    unitfile_instant(uf, K_DEADLINE, f->deadline,
			     &f->r.answer_deadline) < 0)
		rc = -1;
	return rc;
}

static const struct unitfile_kind rfi_kind = {
	SECTION, "RFI", "an RFI file", rfi_keys, NKEYS, sizeof(struct rfi),
	check_value, finish
};

int
rfi_load(const char *path, struct rfi **out)
{
	struct fields f = { 0 };
	struct rfi *r;
	void *item;

	if (unitfile_load(path, &rfi_kind, &f, &item) < 0)
		return -1;
	r = item;
	r->ncategories = count(r->categories);
	r->ncpv = count(r->cpv);
	r->nattachments = count(r->attachments);
	*out = r;
	return 0;
}

/* A copy of s into *out, which stays NULL for NULL. */
static int
copy(char **out, const char *s)
{
	return s && !(*out = strdup(s)) ? -1 : 0;
}

/* value, if any, as the only text of a field. */
static int
set_texts(struct text **v, size_t *n, const char *value)
{
	if (!value)
		return 0;
	if (!(*v = calloc(1, sizeof(**v))))
		return -1;
	*n = 1;
	return copy(&(*v)->lang, LANGUAGE) < 0 ||
	       copy(&(*v)->value, value) < 0 ? -1 : 0;
}

static int
add_code(struct lot *l, const char *code)
{
	return strvec_has(l->cpv, l->ncpv, code) ? 0 :
	       strvec_push(&l->cpv, &l->ncpv, code);
}

/* The given codes, then the first code of each category. */
static int
lot_codes(const struct rfi *r, const struct category_set *cs,
	  const char *notice_id, struct lot *l)
{
	const struct category *c;
	size_t i;

	for (i = 0; i < r->ncpv; i++)
		if (add_code(l, r->cpv[i]) < 0)
			return error("out of memory");
	for (i = 0; i < r->ncategories; i++) {
		c = category_find(cs, r->categories[i]);
		if (!c)
			return error("%s: unknown category '%s' (see "
				     "tenderlots category list)", notice_id,
				     r->categories[i]);
		if (c->ncpv && add_code(l, c->cpv[0]) < 0)
			return error("out of memory");
	}
	return 0;
}

/* The lot's codes are the procedure's too, as eForms gives them. */
static int
copy_codes(const struct lot *l, struct notice *n)
{
	size_t i;

	for (i = 0; i < l->ncpv; i++)
		if (strvec_push(&n->cpv, &n->ncpv, l->cpv[i]) < 0)
			return -1;
	return 0;
}

int
rfi_to_notice(const struct rfi *r, const struct category_set *cs,
	      const char *notice_id, const char *buyer, const char *buyer_id,
	      const char *url, time_t now, struct notice **out)
{
	char day[UNITFILE_DATE_LEN + 1];
	struct notice *n;
	struct lot *l;
	int rc = -1;

	if (!(n = notice_new()))
		return error("out of memory");
	if (!(l = notice_add_lot(n)) || copy(&l->id, LOT_ID) < 0 ||
	    copy(&l->title, r->title) < 0) {
		error("out of memory");
		goto out;
	}
	if (unitfile_local_date(now, r->timezone, day) < 0 ||
	    lot_codes(r, cs, notice_id, l) < 0)
		goto out;
	if (copy_codes(l, n) < 0 || copy(&n->id, notice_id) < 0 ||
	    copy(&n->version, "01") < 0 ||
	    copy(&n->procedure_id, r->procedure ? r->procedure :
						  notice_id) < 0 ||
	    copy(&n->subtype, "rfi") < 0 || copy(&n->title, r->title) < 0 ||
	    copy(&n->description, r->description) < 0 ||
	    copy(&n->language, LANGUAGE) < 0 ||
	    set_texts(&n->titles, &n->ntitles, r->title) < 0 ||
	    set_texts(&n->descriptions, &n->ndescriptions,
		      r->description) < 0 ||
	    copy(&n->buyer, buyer) < 0 || copy(&n->buyer_id, buyer_id) < 0 ||
	    copy(&n->published, day) < 0 || copy(&n->url, url) < 0 ||
	    (r->nattachments &&
	     copy(&n->documents_url, r->attachments[0]) < 0)) {
		error("out of memory");
		goto out;
	}
	n->kind = NOTICE_RFI;
	n->has_deadline = l->has_deadline = 1;
	n->deadline = l->deadline = r->answer_deadline;
	*out = n;
	n = NULL;
	rc = 0;
out:
	notice_free(n);
	return rc;
}
