/*
 * The unit's own notices added by their link: read and checked from what
 * was typed, previewed, published as the notice "own-ID" and withdrawn.
 * An own notice is told as an RFI of the unit's is (rfi_to_notice), then
 * given its own kind, subtype, link, deadline and value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "buf.h"
#include "category.h"
#include "config.h"
#include "cpv.h"
#include "ingest.h"
#include "log.h"
#include "ownnotice.h"
#include "rfi.h"
#include "store.h"
#include "unitfile.h"
#include "utf8.h"

#define WORDS_MAX	50
#define VALUE_MAX	100000000000LL	/* 100 000 million kronor */
#define SUBTYPE		"link"

static const char *const kind_names[] = { "tender", "planned", "rfi" };
static const enum notice_kind kinds[] = {
	NOTICE_COMPETITION, NOTICE_PLANNING, NOTICE_RFI
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

struct own_notice *
own_notice_new(void)
{
	return calloc(1, sizeof(struct own_notice));
}

void
own_notice_free(struct own_notice *o)
{
	if (!o)
		return;
	free(o->url);
	free(o->title);
	free(o->description);
	strvec_free(o->categories, o->ncategories);
	strvec_free(o->cpv, o->ncpv);
	free(o);
}

static const char *
kind_name(enum notice_kind k)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (kinds[i] == k)
			return kind_names[i];
	return kind_names[0];
}

/*
 * A refusal of the field, in the reader's language, arg in place of the
 * text's "%s": 1.
 */
static int
refuse(const char **field, const char *name, struct buf *why, int en,
       const char *sv, const char *english, const char *arg)
{
	const char *text = en ? english : sv, *at = strstr(text, "%s");

	*field = name;
	buf_reset(why);
	if (!at)
		buf_printf(why, "%s", text);
	else
		buf_printf(why, "%.*s%s%s", (int)(at - text), text,
			   arg ? arg : "", at + 2);
	return 1;
}

/* A list typed with commas or spaces, as words. */
static int
split_list(const char *text, char ***v, size_t *n)
{
	char *copy, *p;
	int rc;

	if (!text)
		return 0;
	if (!(copy = strdup(text)))
		return error("out of memory");
	for (p = copy; *p; p++)
		if (*p == ',' || *p == ';' || *p == '\t')
			*p = ' ';
	rc = strvec_split(copy, v, n) < 0 ? error("out of memory") : 0;
	free(copy);
	return rc;
}

static int
blank(const char *s)
{
	return !s || !s[strspn(s, " \t")];
}

/* A text of one line of at most max bytes, or NULL for none. */
static int
check_text(const char *v, size_t max, struct buf *why)
{
	struct buf w;
	int rc;

	buf_init(&w, 2 * 4096 + 256);
	rc = unitfile_check_text(v, max, &w);
	if (rc < 0)
		buf_printf(why, "%s", buf_str(&w));
	buf_release(&w);
	return rc;
}

/* The deadline: YYYY-MM-DD (the day's end) or YYYY-MM-DDTHH:MM, here. */
static int
read_deadline(const char *text, time_t *out)
{
	char wall[UNITFILE_WALL_LEN + 1];
	size_t n = strlen(text);
	struct buf why;
	int rc;

	if (n == UNITFILE_DATE_LEN)
		snprintf(wall, sizeof wall, "%s 23:59", text);
	else if (n == UNITFILE_WALL_LEN && (text[10] == 'T' || text[10] == ' '))
		snprintf(wall, sizeof wall, "%.10s %s", text, text + 11);
	else
		return -1;
	buf_init(&why, 4096);
	rc = unitfile_here_time(wall, out, &why);
	buf_release(&why);
	return rc;
}

static int
read_codes(struct own_notice *o, const struct own_notice_input *in,
	   const struct rfi_desk *d, int en, const char **field,
	   struct buf *why)
{
	char code[CPV_LEN + 1];
	size_t i;

	if (split_list(in->categories, &o->categories, &o->ncategories) < 0 ||
	    split_list(in->cpv, &o->cpv, &o->ncpv) < 0)
		return -1;
	if (o->ncategories > WORDS_MAX || o->ncpv > WORDS_MAX)
		return refuse(field, o->ncpv > WORDS_MAX ? "cpv" : "categories",
			      why, en, "Högst 50.%s", "At most 50.%s", NULL);
	for (i = 0; i < o->ncategories; i++)
		if (!category_find(d->categories, o->categories[i]))
			return refuse(field, "categories", why, en,
				      "Kategorin '%s' finns inte (tenderlots "
				      "category list).",
				      "There is no category '%s' (tenderlots "
				      "category list).", o->categories[i]);
	for (i = 0; i < o->ncpv; i++) {
		if (cpv_normalize(o->cpv[i], code) < 0 || !cpv_known(code))
			return refuse(field, "cpv", why, en,
				      "'%s' är ingen CPV-kod i CPV-listan "
				      "(8 siffror).",
				      "'%s' is not a CPV code of the CPV list "
				      "(8 digits).", o->cpv[i]);
		memcpy(o->cpv[i], code, sizeof code);
	}
	if (o->ncategories + o->ncpv == 0)
		return refuse(field, "categories", why, en,
			      "Ange minst en kategori eller CPV-kod: annars "
			      "når den inget företag.%s",
			      "Give a category or a CPV code at least: "
			      "otherwise it reaches no firm.%s", NULL);
	return 0;
}

/* The link: https, and not one added before. */
static int
read_url(const struct rfi_desk *d, const char *url, int en,
	 const char **field, struct buf *why)
{
	struct own_notice_row *r = NULL;
	size_t n = 0;
	int rc;

	if (blank(url))
		return refuse(field, "url", why, en, "Ange länken till "
			      "annonsen.%s", "Give the notice's link.%s", NULL);
	if (strlen(url) > OWN_NOTICE_URL_MAX || check_text(url, 4096, why) ||
	    unitfile_check_https_url(url, why) < 0)
		return refuse(field, "url", why, en, "'%s' är ingen https-länk.",
			      "'%s' is no https link.", url);
	if (store_own_notice(d->store, NULL, url, &r, &n) < 0)
		return -1;
	rc = n ? refuse(field, "url", why, en, "Länken finns redan: %s",
			"The link was added already: %s", r->notice_id) : 0;
	if (n)
		buf_printf(why, " (%s)", r->title);
	own_notice_rows_free(r, n);
	return rc;
}

static int
read_fields(const struct rfi_desk *d, const struct own_notice_input *in,
	    int en, struct own_notice *o, const char **field, struct buf *why)
{
	enum amount_why aw;
	long long value;
	size_t i;
	int rc;

	if ((rc = read_url(d, in->url, en, field, why)) != 0)
		return rc;
	if (blank(in->title) || check_text(in->title, OWN_NOTICE_TITLE_MAX,
					   why) < 0)
		return refuse(field, "title", why, en, "Ange en rubrik på en "
			      "rad, högst 200 byte.%s", "Give a title of one "
			      "line, at most 200 bytes.%s", NULL);
	if (!blank(in->description) &&
	    check_text(in->description, OWN_NOTICE_DESCRIPTION_MAX, why) < 0)
		return refuse(field, "description", why, en, "Beskrivningen: "
			      "en rad, högst 4000 byte.%s", "The description: "
			      "one line, at most 4000 bytes.%s", NULL);
	if (!(o->url = strdup(in->url)) || !(o->title = strdup(in->title)) ||
	    (!blank(in->description) &&
	     !(o->description = strdup(in->description))))
		return error("out of memory");
	o->kind = NOTICE_COMPETITION;
	for (i = 0; !blank(in->kind) && i < NKINDS; i++)
		if (strcmp(in->kind, kind_names[i]) == 0)
			break;
	if (i == NKINDS)
		return refuse(field, "kind", why, en, "'%s': välj tender, "
			      "planned eller rfi.", "'%s': choose tender, "
			      "planned or rfi.", in->kind);
	if (!blank(in->kind))
		o->kind = kinds[i];
	if (!blank(in->deadline)) {
		if (read_deadline(in->deadline, &o->deadline) < 0)
			return refuse(field, "deadline", why, en, "'%s' är "
				      "ingen tid ÅÅÅÅ-MM-DD eller "
				      "ÅÅÅÅ-MM-DDTHH:MM.", "'%s' is no time "
				      "YYYY-MM-DD or YYYY-MM-DDTHH:MM.",
				      in->deadline);
		if (o->deadline <= d->now)
			return refuse(field, "deadline", why, en, "Sista dagen "
				      "%s har passerat.", "The deadline %s "
				      "has passed.", in->deadline);
		o->has_deadline = 1;
	}
	if (!blank(in->value)) {
		if (amount_read(in->value, AMOUNT_KRONOR, VALUE_MAX, &value,
				&aw) < 0)
			return refuse(field, "value", why, en, "'%s' är inget "
				      "belopp i kronor.", "'%s' is no amount "
				      "in kronor.", in->value);
		o->has_value = value > 0;
		o->value = (double)value;
	}
	return read_codes(o, in, d, en, field, why);
}

int
own_notice_read(const struct rfi_desk *d, const struct own_notice_input *in,
		const char *lang, struct own_notice **out, const char **field,
		struct buf *why)
{
	int en = lang && strcmp(lang, "en") == 0, rc;
	struct own_notice *o = own_notice_new();

	*out = NULL;
	*field = NULL;
	if (!o)
		return error("out of memory");
	rc = read_fields(d, in, en, o, field, why);
	if (rc == 0)
		*out = o;
	else
		own_notice_free(o);
	return rc;
}

/* The notice o is stored as, id notice_id. */
static int
to_notice(const struct rfi_desk *d, const struct own_notice *o,
	  const char *notice_id, struct notice **out)
{
	struct rfi r = {
		.title = o->title, .description = o->description,
		.categories = o->categories, .ncategories = o->ncategories,
		.cpv = o->cpv, .ncpv = o->ncpv,
		.answer_deadline = o->deadline, .timezone = d->cfg->timezone,
	};
	const char *buyer_id = d->cfg->own_buyers ? d->cfg->own_buyers[0] :
						    NULL;
	struct notice *n = NULL;
	struct lot *l;

	if (rfi_to_notice(&r, d->categories, notice_id, d->cfg->service_name,
			  buyer_id, o->url, d->now, &n) < 0)
		return -1;
	l = &n->lots[0];
	n->kind = o->kind;
	n->has_deadline = l->has_deadline = o->has_deadline;
	l->has_value = n->has_value = o->has_value;
	l->value = n->value = o->value;
	free(n->subtype);
	if (!(n->subtype = strdup(SUBTYPE)) ||
	    (o->has_value && (!(l->currency = strdup("SEK")) ||
			      !(n->currency = strdup("SEK"))))) {
		notice_free(n);
		return error("out of memory");
	}
	*out = n;
	return 0;
}

int
own_notice_preview(const struct rfi_desk *d, const struct own_notice *o,
		   char ***categories, size_t *ncategories, size_t *firms)
{
	struct ingest_preview ip;
	struct notice *n = NULL;
	int rc = -1;

	if (to_notice(d, o, "own-preview", &n) == 0 &&
	    rfi_desk_preview(d, n, &ip) == 0) {
		*categories = ip.categories;
		*ncategories = ip.ncategories;
		*firms = ip.firms;
		rc = 0;
	}
	notice_free(n);
	return rc;
}

/* A list as one text of words. */
static int
join(char *const *v, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (buf_printf(out, "%s%s", i ? " " : "", v[i]) < 0)
			return error("out of memory");
	return 0;
}

int
own_notice_publish(const struct rfi_desk *d, const struct own_notice *o,
		   const char *by, char *notice_id, size_t len,
		   unsigned *firms)
{
	struct own_notice_row row = {
		.url = o->url, .title = o->title,
		.description = o->description,
		.kind = (char *)kind_name(o->kind),
		.has_deadline = o->has_deadline, .deadline = o->deadline,
		.has_value = o->has_value, .value = o->value,
		.added_by = (char *)by, .created_at = d->now,
	};
	struct buf categories, cpv;
	struct notice *n = NULL;
	int rc = -1;

	buf_init(&categories, 64 * 1024);
	buf_init(&cpv, 64 * 1024);
	if (join(o->categories, o->ncategories, &categories) < 0 ||
	    join(o->cpv, o->ncpv, &cpv) < 0)
		goto out;
	row.categories = (char *)buf_str(&categories);
	row.cpv = (char *)buf_str(&cpv);
	if (store_put_own_notice(d->store, &row, notice_id, len) < 0 ||
	    to_notice(d, o, notice_id, &n) < 0)
		goto out;
	/* taken by rfi_desk_ingest, whatever it returns */
	rc = rfi_desk_ingest(d, n, o->url, 0, firms);
out:
	buf_release(&categories);
	buf_release(&cpv);
	return rc;
}

/* The own notice as the unit gave it, from its row. */
static int
from_row(const struct own_notice_row *r, struct own_notice *o)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (strcmp(r->kind, kind_names[i]) == 0)
			o->kind = kinds[i];
	o->has_deadline = r->has_deadline;
	o->deadline = r->deadline;
	o->has_value = r->has_value;
	o->value = r->value;
	if (!(o->url = strdup(r->url)) || !(o->title = strdup(r->title)) ||
	    (r->description && !(o->description = strdup(r->description))) ||
	    strvec_split(r->categories, &o->categories, &o->ncategories) < 0 ||
	    strvec_split(r->cpv, &o->cpv, &o->ncpv) < 0)
		return error("out of memory");
	return 0;
}

int
own_notice_withdraw(const struct rfi_desk *d, const char *notice_id,
		    const char *why)
{
	struct stored_notice *prev = NULL;
	struct own_notice_row *r = NULL;
	struct own_notice *o = NULL;
	struct notice *n = NULL;
	size_t nr = 0;
	int found, rc = -1;

	if (!why || !*why || strlen(why) > OWN_NOTICE_WHY_MAX ||
	    strpbrk(why, "\r\n") || !utf8_valid(why, strlen(why)))
		return error("why: the firms are told why, in one line of at "
			     "most %d bytes", OWN_NOTICE_WHY_MAX);
	if (store_own_notice(d->store, notice_id, NULL, &r, &nr) < 0)
		return -1;
	if (nr == 0) {
		error("%s: no notice the unit added by its link", notice_id);
		goto out;
	}
	if (r->withdrawn_at) {
		error("%s is withdrawn", notice_id);
		goto out;
	}
	if (store_get_notice(d->store, notice_id, &prev) < 0 || !prev ||
	    !(o = own_notice_new()) || from_row(r, o) < 0 ||
	    to_notice(d, o, notice_id, &n) < 0 ||
	    rfi_desk_announced_version(prev, why, n) < 0)
		goto out;
	rc = rfi_desk_ingest(d, n, "withdrawal", 1, NULL);
	n = NULL;
	if (rc < 0 || store_withdraw_own_notice(d->store, notice_id, why,
						d->now, &found) < 0)
		rc = -1;
out:
	notice_free(n);
	own_notice_free(o);
	stored_notice_free(prev);
	own_notice_rows_free(r, nr);
	return rc;
}
