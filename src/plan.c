/*
 * The procurement unit's plan: entries read from a form or a CSV file,
 * published as planned procurements of the unit's own, postponed,
 * dropped, and linked to the notice each became.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alert.h"
#include "amount.h"
#include "category.h"
#include "config.h"
#include "cpv.h"
#include "csv.h"
#include "log.h"
#include "notice.h"
#include "plan.h"
#include "rfi.h"
#include "store.h"
#include "template.h"
#include "unitfile.h"
#include "utf8.h"

#define VALUE_MAX	1000000000000LL	/* kronor: a thousand billion */
#define CODES_MAX	(64 * 1024)
#define URL_MAX		4096

static const char *const field_names[PLAN_NFIELDS] = {
	[PLAN_F_REF] = "id", [PLAN_F_TITLE] = "title",
	[PLAN_F_DESCRIPTION] = "description",
	[PLAN_F_CATEGORIES] = "categories", [PLAN_F_CPV] = "cpv",
	[PLAN_F_VALUE] = "value", [PLAN_F_ANNOUNCE] = "announcement",
	[PLAN_F_CONTRACT_START] = "contract_start",
	[PLAN_F_DIVISIBLE] = "divisible", [PLAN_F_CONTACT] = "contact",
};

/* The CSV headings, Swedish and English, of each field. */
static const struct {
	const char *name;
	enum plan_field field;
} headings[] = {
	{ "id", PLAN_F_REF }, { "nr", PLAN_F_REF },
	{ "titel", PLAN_F_TITLE }, { "title", PLAN_F_TITLE },
	{ "beskrivning", PLAN_F_DESCRIPTION },
	{ "description", PLAN_F_DESCRIPTION },
	{ "kategorier", PLAN_F_CATEGORIES }, { "categories", PLAN_F_CATEGORIES },
	{ "cpv", PLAN_F_CPV },
	{ "värde", PLAN_F_VALUE }, { "value", PLAN_F_VALUE },
	{ "annonseras", PLAN_F_ANNOUNCE }, { "announcement", PLAN_F_ANNOUNCE },
	{ "avtalsstart", PLAN_F_CONTRACT_START },
	{ "contract_start", PLAN_F_CONTRACT_START },
	{ "delbar", PLAN_F_DIVISIBLE }, { "divisible", PLAN_F_DIVISIBLE },
	{ "kontakt", PLAN_F_CONTACT }, { "contact", PLAN_F_CONTACT },
};

static const char *const status_names[] = {
	[PLAN_PLANNED] = "planned", [PLAN_POSTPONED] = "postponed",
	[PLAN_DROPPED] = "dropped", [PLAN_PUBLISHED] = "published",
};

const char *
plan_field_name(enum plan_field f)
{
	return f < PLAN_NFIELDS ? field_names[f] : "?";
}

const char *
plan_status_name(int status)
{
	return status >= 0 && status <= PLAN_PUBLISHED ? status_names[status] :
	       "planned";
}

struct plan *
plan_new(void)
{
	return calloc(1, sizeof(struct plan));
}

void
plan_free(struct plan *p)
{
	if (p)
		plans_free(p, 1);
}

/* Replaces *field by a copy of v, or NULL for NULL. */
static int
set_text(char **field, const char *v)
{
	char *copy = NULL;

	if (v && !(copy = strdup(v)))
		return error("out of memory");
	free(*field);
	*field = copy;
	return 0;
}

static int
blank(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

/* "2027-03" (a month) or, where quarters are taken, "2027-Q2". */
static int
check_period(const char *v, int quarters, char out[8], struct buf *why)
{
	unsigned y, m;
	char q, end;

	if (sscanf(v, "%4u-%2u%c", &y, &m, &end) == 2 && strlen(v) == 7 &&
	    y >= 2000 && y <= 2999 && m >= 1 && m <= 12) {
		snprintf(out, 8, "%04u-%02u", y, m);
		return 0;
	}
	if (quarters && strlen(v) == 7 &&
	    sscanf(v, "%4u-%c%1u%c", &y, &q, &m, &end) == 3 &&
	    (q == 'Q' || q == 'q' || q == 'K' || q == 'k') && m >= 1 &&
	    m <= 4 && y >= 2000 && y <= 2999) {
		snprintf(out, 8, "%04u-Q%u", y, m);
		return 0;
	}
	buf_printf(why, quarters ? "'%s' is not a month (2027-03) or a quarter "
		   "(2027-Q2)" : "'%s' is not a month (2027-03)", v);
	return -1;
}

/* The first month of a period, as a number that sorts: 2027 * 12 + 3. */
static int
period_month(const char *p)
{
	int y = atoi(p);

	return p[5] == 'Q' ? y * 12 + (p[6] - '1') * 3 : y * 12 + atoi(p + 5) - 1;
}

/* Words split on spaces and commas, each checked, joined by spaces. */
static int
set_words(char **field, const char *text, int cpv,
	  const struct category_set *cs, struct buf *why)
{
	char code[CPV_LEN + 1];
	struct buf out;
	char *copy, *w, *save = NULL;
	int rc = -1;

	if (!(copy = strdup(text)))
		return error("out of memory");
	buf_init(&out, CODES_MAX);
	for (w = strtok_r(copy, " ,;\t", &save); w;
	     w = strtok_r(NULL, " ,;\t", &save)) {
		if (cpv) {
			if (cpv_normalize(w, code) < 0) {
				buf_printf(why, "'%s' is not a CPV code (8 digits, "
					   "optionally with -check digit)", w);
				goto out;
			}
			if (!cpv_known(code)) {
				buf_printf(why, "%s is not in the CPV list", code);
				goto out;
			}
			w = code;
		} else if (!category_find(cs, w)) {
			buf_printf(why, "'%s' is not a category (see tenderlots "
				   "category list)", w);
			goto out;
		}
		if (buf_printf(&out, "%s%s", out.len ? " " : "", w) < 0) {
			buf_printf(why, "too many");
			goto out;
		}
	}
	rc = set_text(field, out.len ? buf_str(&out) : NULL);
out:
	buf_release(&out);
	free(copy);
	return rc;
}

static int
set_divisible(struct plan *p, const char *v, struct buf *why)
{
	static const struct { const char *word; int value; } words[] = {
		{ "ja", PLAN_DIVISIBLE }, { "yes", PLAN_DIVISIBLE },
		{ "nej", PLAN_NOT_DIVISIBLE }, { "no", PLAN_NOT_DIVISIBLE },
		{ "vet ej", PLAN_UNDECIDED }, { "ej beslutat", PLAN_UNDECIDED },
		{ "undecided", PLAN_UNDECIDED },
	};
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasecmp(v, words[i].word) == 0) {
			p->divisible = words[i].value;
			return 0;
		}
	buf_printf(why, "'%s' is not ja, nej or vet ej (yes, no, undecided)", v);
	return -1;
}

static int
set_value(struct plan *p, const char *v, struct buf *why)
{
	enum amount_why w;
	long long kr;

	if (amount_read(v, AMOUNT_KRONOR, VALUE_MAX, &kr, &w) < 0) {
		buf_printf(why, "'%s': %s", v,
			   amount_why_text(w, AMOUNT_KRONOR, "en"));
		return -1;
	}
	p->has_value = 1;
	p->value = (double)kr;
	return 0;
}

int
plan_set_field(struct plan *p, enum plan_field f, const char *text,
	       const struct category_set *cs, struct buf *why)
{
	char period[8];

	if (blank(text)) {
		switch (f) {
		case PLAN_F_VALUE:
			p->has_value = 0;
			return 0;
		case PLAN_F_DIVISIBLE:
			p->divisible = PLAN_UNDECIDED;
			return 0;
		case PLAN_F_TITLE:
		case PLAN_F_ANNOUNCE:
		case PLAN_F_CONTACT:
			buf_printf(why, "must be given");
			return -1;
		default:
			break;
		}
	}
	switch (f) {
	case PLAN_F_REF:
		if (blank(text))
			return set_text(&p->ref, NULL);
		return unitfile_check_text(text, PLAN_REF_MAX, why) < 0 ? -1 :
		       set_text(&p->ref, text);
	case PLAN_F_TITLE:
		return unitfile_check_text(text, PLAN_TITLE_MAX, why) < 0 ? -1 :
		       set_text(&p->title, text);
	case PLAN_F_DESCRIPTION:
		if (blank(text))
			return set_text(&p->description, NULL);
		return unitfile_check_text(text, PLAN_DESCRIPTION_MAX,
					   why) < 0 ? -1 :
		       set_text(&p->description, text);
	case PLAN_F_CATEGORIES:
		return set_words(&p->categories, text, 0, cs, why);
	case PLAN_F_CPV:
		return set_words(&p->cpv, text, 1, cs, why);
	case PLAN_F_VALUE:
		return set_value(p, text, why);
	case PLAN_F_ANNOUNCE:
		return check_period(text, 1, period, why) < 0 ? -1 :
		       set_text(&p->announce, period);
	case PLAN_F_CONTRACT_START:
		if (blank(text))
			return set_text(&p->contract_start, NULL);
		return check_period(text, 0, period, why) < 0 ? -1 :
		       set_text(&p->contract_start, period);
	case PLAN_F_DIVISIBLE:
		return set_divisible(p, text, why);
	case PLAN_F_CONTACT:
		return unitfile_check_mailbox(text, why) < 0 ? -1 :
		       set_text(&p->contact, text);
	default:
		buf_printf(why, "no such field");
		return -1;
	}
}

int
plan_check(const struct plan *p, enum plan_field *f, struct buf *why)
{
	static const enum plan_field needed[] = {
		PLAN_F_TITLE, PLAN_F_ANNOUNCE, PLAN_F_CONTACT
	};
	const char *const have[] = { p->title, p->announce, p->contact };
	size_t i;

	for (i = 0; i < sizeof needed / sizeof needed[0]; i++)
		if (!have[i]) {
			*f = needed[i];
			buf_printf(why, "must be given");
			return -1;
		}
	if (!p->categories && !p->cpv) {
		*f = PLAN_F_CATEGORIES;
		buf_printf(why, "give categories or CPV codes (or both)");
		return -1;
	}
	if (p->contract_start &&
	    period_month(p->contract_start) < period_month(p->announce)) {
		*f = PLAN_F_CONTRACT_START;
		buf_printf(why, "%s is before the announcement, %s",
			   p->contract_start, p->announce);
		return -1;
	}
	return 0;
}

int
plan_field_text(const struct plan *p, enum plan_field f, struct buf *out)
{
	static const char *const divisible[] = { "", "ja", "nej" };
	char value[AMOUNT_FORMAT_MAX];
	const char *text[PLAN_NFIELDS] = {
		[PLAN_F_REF] = p->ref, [PLAN_F_TITLE] = p->title,
		[PLAN_F_DESCRIPTION] = p->description,
		[PLAN_F_CATEGORIES] = p->categories, [PLAN_F_CPV] = p->cpv,
		[PLAN_F_ANNOUNCE] = p->announce,
		[PLAN_F_CONTRACT_START] = p->contract_start,
		[PLAN_F_DIVISIBLE] = divisible[p->divisible % 3],
		[PLAN_F_CONTACT] = p->contact,
	};

	buf_reset(out);
	if (f == PLAN_F_VALUE) {
		if (!p->has_value)
			return 0;
		if (amount_format((long long)p->value, value, sizeof value) < 0)
			return -1;
		return buf_adds(out, value);
	}
	return f < PLAN_NFIELDS && text[f] ? buf_adds(out, text[f]) : 0;
}

/* Whether two entries say the same in every field. */
static int
same_plan(const struct plan *a, const struct plan *b)
{
	struct buf x, y;
	int f, same = 1;

	buf_init(&x, PLAN_DESCRIPTION_MAX + CODES_MAX);
	buf_init(&y, PLAN_DESCRIPTION_MAX + CODES_MAX);
	for (f = 0; f < PLAN_NFIELDS && same; f++)
		same = plan_field_text(a, f, &x) == 0 &&
		       plan_field_text(b, f, &y) == 0 &&
		       strcmp(buf_str(&x), buf_str(&y)) == 0;
	buf_release(&x);
	buf_release(&y);
	return same;
}

/* The field of a heading; -1 for one not known. */
static int
heading_field(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof headings / sizeof headings[0]; i++)
		if (strcasecmp(name, headings[i].name) == 0 ||
		    (strcmp(headings[i].name, "värde") == 0 &&
		     strcmp(name, "VÄRDE") == 0))
			return headings[i].field;
	return -1;
}

static int
map_header(struct csv_row *hdr, int *colmap, const char *filename,
	   struct buf *errors)
{
	int seen[PLAN_NFIELDS] = { 0 };
	size_t i;
	int rc = 0;

	for (i = 0; i < hdr->nfield; i++) {
		const char *name = csv_trim(hdr->field[i]);

		colmap[i] = heading_field(name);
		if (colmap[i] < 0 && *name) {
			buf_printf(errors, "%s:%zu: %s: unknown column (known: "
				   "titel, beskrivning, kategorier, cpv, värde, "
				   "annonseras, avtalsstart, delbar, kontakt, "
				   "id; or their English names)\n", filename,
				   hdr->line, name);
			rc = -1;
		} else if (colmap[i] >= 0 && seen[colmap[i]]++) {
			buf_printf(errors, "%s:%zu: %s: column given twice\n",
				   filename, hdr->line, name);
			rc = -1;
		}
	}
	if (!seen[PLAN_F_TITLE] || !seen[PLAN_F_ANNOUNCE] ||
	    !seen[PLAN_F_CONTACT] ||
	    (!seen[PLAN_F_CATEGORIES] && !seen[PLAN_F_CPV])) {
		buf_printf(errors, "%s:%zu: the header needs the columns titel, "
			   "annonseras, kontakt and kategorier or cpv\n",
			   filename, hdr->line);
		rc = -1;
	}
	return rc;
}

/* The line of the first byte that is not UTF-8; 0 when all are. */
static size_t
first_bad_line(const char *data, size_t len)
{
	size_t line = 1, start = 0, i;

	for (i = 0; i <= len; i++)
		if (i == len || data[i] == '\n') {
			if (!utf8_valid(data + start, i - start))
				return line;
			line++;
			start = i + 1;
		}
	return 0;
}

/* One row into a new entry; a bad field appended to errors. */
static int
plan_from_row(const struct csv_row *row, const int *colmap,
	      const struct category_set *cs, const char *filename,
	      struct plan *p, struct buf *errors)
{
	enum plan_field f;
	struct buf why;
	size_t i;
	int rc = -1;

	buf_init(&why, 2048);
	/* each bad field of the row, so one look at the file fixes all */
	for (i = 0; i < row->nfield; i++) {
		if (colmap[i] < 0)
			continue;
		f = colmap[i];
		buf_reset(&why);
		if (plan_set_field(p, f, row->field[i], cs, &why) < 0) {
			buf_printf(errors, "%s:%zu: %s: %s\n", filename,
				   row->line, plan_field_name(f), buf_str(&why));
			rc = -2;
		}
	}
	buf_reset(&why);
	if (rc == -1 && plan_check(p, &f, &why) < 0)
		buf_printf(errors, "%s:%zu: %s: %s\n", filename, row->line,
			   plan_field_name(f), buf_str(&why));
	else if (rc == -1)
		rc = 0;
	buf_release(&why);
	return rc < 0 ? -1 : 0;
}

static int
ref_seen(const struct plan *v, size_t n, const char *ref)
{
	size_t i;

	for (i = 0; ref && i < n; i++)
		if (v[i].ref && strcmp(v[i].ref, ref) == 0)
			return 1;
	return 0;
}

int
plan_csv_parse(const char *data, size_t len, const char *filename,
	       const struct category_set *cs, struct plan **out, size_t *n,
	       unsigned *nbad, struct buf *errors)
{
	struct plan *v = NULL, *grown, *p;
	struct csv_row row = { 0 };
	int colmap[CSV_MAX_FIELDS];
	size_t pos, line = 1, nv = 0, bad_line, nheader;
	struct buf why;
	char sep;
	int r, rc = -1;

	*out = NULL;
	*n = 0;
	*nbad = 0;
	buf_init(&why, 256);
	if ((bad_line = first_bad_line(data, len))) {
		buf_printf(errors, "%s:%zu: not UTF-8 text: save it from Excel as "
			   "\"CSV UTF-8\" (Spara som, CSV UTF-8 "
			   "(kommaavgränsad)); nothing imported\n", filename,
			   bad_line);
		goto out;
	}
	sep = csv_separator(data, len);
	pos = csv_start(data, len);
	r = csv_next(data, len, &pos, &line, sep, &row, &why);
	if (r == 0) {
		buf_printf(errors, "%s: empty file, expected a header line\n",
			   filename);
		goto out;
	}
	if (r < 0 || map_header(&row, colmap, filename, errors) < 0)
		goto fail;
	nheader = row.nfield;
	csv_row_clear(&row);
	while ((r = csv_next(data, len, &pos, &line, sep, &row, &why)) > 0) {
		if (csv_row_is_blank(&row)) {
			csv_row_clear(&row);
			continue;
		}
		if (nv + *nbad >= PLAN_CSV_ROWS_MAX) {
			buf_printf(errors, "%s:%zu: more than %d rows in one "
				   "file\n", filename, row.line,
				   PLAN_CSV_ROWS_MAX);
			goto out;
		}
		if (!(p = plan_new()) ||
		    !(grown = realloc(v, (nv + 1) * sizeof *v))) {
			plan_free(p);
			error("out of memory");
			goto out;
		}
		v = grown;
		if (row.nfield > nheader) {
			buf_printf(errors, "%s:%zu: -: %zu fields, but the header "
				   "names %zu\n", filename, row.line, row.nfield,
				   nheader);
			(*nbad)++;
		} else if (plan_from_row(&row, colmap, cs, filename, p,
					 errors) < 0) {
			(*nbad)++;
		} else if (ref_seen(v, nv, p->ref)) {
			buf_printf(errors, "%s:%zu: id: %s is given above\n",
				   filename, row.line, p->ref);
			(*nbad)++;
		} else {
			v[nv++] = *p;
			free(p);
			p = NULL;
		}
		plan_free(p);
		csv_row_clear(&row);
	}
	/* a quote left open swallows the rest: nothing after it is sure */
	if (r < 0)
		goto fail;
	*out = v;
	*n = nv;
	v = NULL;
	nv = 0;
	rc = 0;
	goto out;
fail:
	if (why.len)
		buf_printf(errors, "%s:%s\n", filename, buf_str(&why));
out:
	csv_row_clear(&row);
	plans_free(v, nv);
	buf_release(&why);
	return rc;
}

static const char *
own_buyer(const struct rfi_desk *d)
{
	return d->cfg->own_buyers ? d->cfg->own_buyers[0] : NULL;
}

/*
 * The notice an entry is published as: built as the unit's RFIs are
 * (rfi_to_notice: one lot, the entry's codes then its categories'
 * first, no place), then made a planned procurement without deadline,
 * with the estimated value. Its public page is the list of notices.
 */
static int
to_notice(const struct rfi_desk *d, const struct plan *p, struct notice **out)
{
	struct rfi r = { 0 };
	struct notice *n = NULL;
	struct buf url;
	int rc = -1;

	buf_init(&url, URL_MAX);
	r.title = p->title;
	r.description = p->description;
	r.timezone = d->cfg->timezone;
	r.contact = p->contact;
	if (strvec_split(p->categories, &r.categories, &r.ncategories) < 0 ||
	    strvec_split(p->cpv, &r.cpv, &r.ncpv) < 0 ||
	    buf_printf(&url, "%s/notices", d->cfg->public_url) < 0) {
		error("out of memory");
		goto out;
	}
	if (rfi_to_notice(&r, d->categories, p->notice_id,
			  d->cfg->service_name, own_buyer(d), buf_str(&url),
			  d->now, &n) < 0)
		goto out;
	free(n->subtype);
	if (!(n->subtype = strdup("plan"))) {
		error("out of memory");
		goto out;
	}
	n->kind = NOTICE_PLANNING;
	n->has_deadline = n->lots[0].has_deadline = 0;
	n->deadline = n->lots[0].deadline = 0;
	if (p->has_value) {
		n->has_value = n->lots[0].has_value = 1;
		n->value = n->lots[0].value = p->value;
		if (!(n->currency = strdup("SEK")) ||
		    !(n->lots[0].currency = strdup("SEK"))) {
			error("out of memory");
			goto out;
		}
	}
	*out = n;
	n = NULL;
	rc = 0;
out:
	notice_free(n);
	strvec_free(r.categories, r.ncategories);
	strvec_free(r.cpv, r.ncpv);
	buf_release(&url);
	return rc;
}

/*
 * The next version of an entry's notice, announcing what the versions'
 * differences do not show (a new expected announcement, a drop), in the
 * unit's words, which the change mail quotes.
 */
static int
next_version(const struct rfi_desk *d, const struct plan *p,
	     const char *announced, struct notice **out)
{
	struct stored_notice *prev = NULL;
	struct notice *n = NULL;
	int rc = -1;

	if (store_get_notice(d->store, p->notice_id, &prev) < 0)
		return -1;
	if (!prev) {
		error("%s: its notice is not stored", p->notice_id);
		goto out;
	}
	if (to_notice(d, p, &n) < 0 ||
	    (announced ? rfi_desk_announced_version(prev, announced, n) :
			 rfi_desk_next_version(prev, n)) < 0)
		goto out;
	*out = n;
	n = NULL;
	rc = 0;
out:
	notice_free(n);
	stored_notice_free(prev);
	return rc;
}

/* The stored entry of id, open to change unless any_state. */
static int
stored_plan(const struct rfi_desk *d, int64_t id, int any_state,
	    struct plan **out)
{
	size_t n = 0;

	*out = NULL;
	if (store_plans(d->store, id, NULL, NULL, out, &n) < 0)
		return -1;
	if (n == 0)
		return error("no plan entry %lld", (long long)id);
	if (!any_state && ((*out)->status == PLAN_DROPPED ||
			   (*out)->status == PLAN_PUBLISHED)) {
		error("plan entry %lld is %s: it is not changed", (long long)id,
		      plan_status_name((*out)->status));
		plans_free(*out, n);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* What saving did: nothing, an entry added, an entry changed. */
enum { SAVED_SAME, SAVED_ADDED, SAVED_CHANGED };

/*
 * What the change mail of a new expected announcement quotes, in no
 * language: "2027-Q2 → 2027-Q3"; the mail says the rest in the firm's.
 */
static int
announce_change(const struct plan *was, const struct plan *p, struct buf *out)
{
	return buf_printf(out, "%s → %s", was->announce, p->announce) < 0 ?
	       -1 : 0;
}

/*
 * Replaces the stored entry was by p: when anything changed, the row,
 * and into *out the notice's next version, to ingest.
 */
static int
change(const struct rfi_desk *d, const struct plan *was, struct plan *p,
       int *what, struct notice **out)
{
	struct buf said;
	int found, moved, rc = -1;

	*what = SAVED_SAME;
	if (same_plan(was, p))
		return 0;
	buf_init(&said, 512);
	moved = strcmp(was->announce, p->announce) != 0;
	p->status = moved && period_month(p->announce) >
			     period_month(was->announce) ?
		    PLAN_POSTPONED : was->status;
	if ((moved && announce_change(was, p, &said) < 0) ||
	    set_text(&p->notice_id, was->notice_id) < 0 ||
	    next_version(d, p, moved ? buf_str(&said) : NULL, out) < 0)
		goto out;
	if (store_plan_update(d->store, p, d->now, &found) < 0) {
		notice_free(*out);
		*out = NULL;
		goto out;
	}
	*what = SAVED_CHANGED;
	rc = 0;
out:
	buf_release(&said);
	return rc;
}

/*
 * Adds p (id 0) or changes the stored entry p->id: the row, and into
 * *out the notice to ingest (NULL when nothing changed).
 */
static int
save(const struct rfi_desk *d, struct plan *p, const char *source, int *what,
     struct notice **out)
{
	struct plan *was = NULL;
	enum plan_field f;
	struct buf why;
	int rc = -1;

	*out = NULL;
	buf_init(&why, 256);
	if (plan_check(p, &f, &why) < 0) {
		error("%s: %s: %s", source, plan_field_name(f), buf_str(&why));
		goto out;
	}
	if (p->id) {
		if (stored_plan(d, p->id, 0, &was) == 0)
			rc = change(d, was, p, what, out);
		goto out;
	}
	p->status = PLAN_PLANNED;
	if (store_plan_put(d->store, p, d->now) < 0 || to_notice(d, p, out) < 0)
		goto out;
	*what = SAVED_ADDED;
	rc = 0;
out:
	plan_free(was);
	buf_release(&why);
	return rc;
}

/* What saving did for one entry, or would do on a dry run. */
static int
import_one(const struct rfi_desk *d, struct plan *p, const char *filename,
	   int dry_run, int *what, struct notice **n, struct buf *errors)
{
	struct plan *was = NULL;
	size_t nwas = 0;
	int rc = 0;

	*what = -1;
	*n = NULL;
	if (p->ref && store_plans(d->store, 0, p->ref, NULL, &was, &nwas) < 0)
		return -1;
	if (nwas && (was->status == PLAN_DROPPED ||
		     was->status == PLAN_PUBLISHED))
		rc = buf_printf(errors, "%s: id: %s is %s (plan entry %lld): not "
				"changed\n", filename, p->ref,
				plan_status_name(was->status),
				(long long)was->id) < 0 ? -1 : 0;
	else if (dry_run)
		*what = !nwas ? SAVED_ADDED : same_plan(was, p) ? SAVED_SAME :
			SAVED_CHANGED;
	else {
		p->id = nwas ? was->id : 0;
		rc = save(d, p, filename, what, n);
	}
	plans_free(was, nwas);
	return rc;
}

int
plan_save(const struct rfi_desk *d, struct plan *p, const char *source)
{
	struct notice *n;
	int what;

	if (save(d, p, source, &what, &n) < 0)
		return -1;
	return n ? rfi_desk_ingest(d, n, source, 0, NULL) : 0;
}

/*
 * The rows in one transaction, then their notices stored and matched in
 * one run: the firms are loaded once, not once a row.
 */
int
plan_import(const struct rfi_desk *d, struct plan *v, size_t n,
	    const char *filename, int dry_run, struct plan_import_counts *c,
	    struct buf *errors)
{
	struct rfi_desk_run *run = NULL;
	struct notice **notices = NULL;
	size_t i, nn = 0;
	int what, rc = -1;

	memset(c, 0, sizeof *c);
	if (!(notices = calloc(n + 1, sizeof *notices)))
		return error("out of memory");
	if (!dry_run && store_begin(d->store) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (import_one(d, &v[i], filename, dry_run, &what,
			       &notices[nn], errors) < 0) {
			if (!dry_run)
				store_rollback(d->store);
			goto out;
		}
		nn += notices[nn] != NULL;
		c->added += what == SAVED_ADDED;
		c->updated += what == SAVED_CHANGED;
		c->unchanged += what == SAVED_SAME;
	}
	if (dry_run) {
		rc = 0;
		goto out;
	}
	if (store_commit(d->store) < 0) {
		store_rollback(d->store);
		goto out;
	}
	if (nn && rfi_desk_run_open(d, 0, &run) < 0)
		goto out;
	for (i = 0; i < nn; i++) {
		/* taken by the run, whatever it returns */
		rc = rfi_desk_run_add(run, notices[i], filename);
		notices[i] = NULL;
		if (rc < 0)
			break;
	}
	if (nn && rfi_desk_run_close(run, NULL) < 0)
		rc = -1;
	else if (i == nn)
		rc = 0;
out:
	for (i = 0; i < nn; i++)
		notice_free(notices[i]);
	free(notices);
	return rc;
}

int
plan_postpone(const struct rfi_desk *d, int64_t id, const char *announce)
{
	struct plan *was = NULL, *p = NULL;
	struct notice *n = NULL;
	struct buf why;
	int what, rc = -1;

	buf_init(&why, 256);
	/* the entry as stored, and a copy of it to change */
	if (stored_plan(d, id, 0, &was) < 0 || stored_plan(d, id, 0, &p) < 0)
		goto out;
	if (plan_set_field(p, PLAN_F_ANNOUNCE, announce ? announce : "",
			   d->categories, &why) < 0)
		error("--announce: %s", buf_str(&why));
	else if (change(d, was, p, &what, &n) == 0)
		rc = n ? rfi_desk_ingest(d, n, "plan change", 0, NULL) : 0;
out:
	plan_free(p);
	plan_free(was);
	buf_release(&why);
	return rc;
}

int
plan_drop(const struct rfi_desk *d, int64_t id, const char *why)
{
	struct plan *p = NULL;
	struct notice *n = NULL;
	int found, rc = -1;

	if (!why || blank(why) || strlen(why) > PLAN_WHY_MAX ||
	    strpbrk(why, "\r\n") || !utf8_valid(why, strlen(why)))
		return error("why: the firms are told why, in one line of at "
			     "most %d bytes", PLAN_WHY_MAX);
	/* the change mail says it is dropped, in the firm's language */
	if (stored_plan(d, id, 0, &p) < 0 ||
	    next_version(d, p, why, &n) < 0)
		goto out;
	/* taken by rfi_desk_ingest, whatever it returns */
	rc = rfi_desk_ingest(d, n, "plan drop", 1, NULL);
	n = NULL;
	p->status = PLAN_DROPPED;
	if (rc < 0 || set_text(&p->why, why) < 0 ||
	    store_plan_update(d->store, p, d->now, &found) < 0)
		rc = -1;
out:
	notice_free(n);
	plan_free(p);
	return rc;
}

int
plan_link(const struct rfi_desk *d, int64_t id, const char *notice_id)
{
	struct stored_notice *n = NULL;
	struct plan *p = NULL;
	int found, rc = -1;

	if (stored_plan(d, id, 1, &p) < 0 ||
	    store_get_notice(d->store, notice_id, &n) < 0)
		goto out;
	if (p->status == PLAN_DROPPED)
		error("plan entry %lld is dropped", (long long)id);
	else if (!n)
		error("%s: no such notice stored", notice_id);
	else if ((n->subtype && strcmp(n->subtype, "plan") == 0) ||
		 (strcmp(n->kind, "planning") != 0 &&
		  strcmp(n->kind, "competition") != 0))
		error("%s is not a prior information or contract notice",
		      notice_id);
	else if (p->linked && strcmp(p->linked, n->notice_id) == 0)
		error("plan entry %lld is linked to %s already", (long long)id,
		      notice_id);
	else if (store_plan_link(d->store, id, n->notice_id, d->now,
				 &found) == 0)
		rc = 0;
out:
	stored_notice_free(n);
	plan_free(p);
	return rc;
}

int
plan_unlink(const struct rfi_desk *d, int64_t id)
{
	struct plan *p = NULL;
	int found, rc = -1;

	if (stored_plan(d, id, 1, &p) < 0)
		return -1;
	if (!p->linked)
		error("plan entry %lld is not linked", (long long)id);
	else
		rc = store_plan_link(d->store, id, NULL, d->now, &found);
	plan_free(p);
	return rc;
}

/* Lowercases ASCII and Å, Ä, Ö (and the Latin-1 capitals) in place. */
static void
lower(char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s == 0xc3 && (unsigned char)s[1] >= 0x80 &&
		    (unsigned char)s[1] <= 0x9e && (unsigned char)s[1] != 0x97)
			s[1] = (char)((unsigned char)s[1] + 0x20);
		else
			*s = (char)tolower((unsigned char)*s);
	}
}

/* Two title words that are the same word: a stem of 6 bytes in common. */
static int
same_word(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;

	return strncmp(a, b, n < 6 ? n : 6) == 0 && (n >= 6 || la == lb);
}

/* A title's words of 4 bytes or more, lowercased; -1 out of memory. */
static int
title_words(const char *title, char ***v, size_t *n)
{
	static const char seps[] = " \t,.;:()/-–&\"'";
	char *copy = strdup(title), *w, *save = NULL;
	int rc = copy ? 0 : -1;

	if (copy)
		lower(copy);
	for (w = copy ? strtok_r(copy, seps, &save) : NULL; w && rc == 0;
	     w = strtok_r(NULL, seps, &save))
		if (strlen(w) >= 4)
			rc = strvec_push(v, n, w);
	free(copy);
	return rc;
}

/* The share of a's words of 4 bytes or more that b has. */
static double
title_share(const char *a, const char *b)
{
	char **wa = NULL, **wb = NULL;
	size_t na = 0, nb = 0, i, j, hits = 0;

	if (title_words(a, &wa, &na) == 0 && title_words(b, &wb, &nb) == 0)
		for (i = 0; i < na; i++)
			for (j = 0; j < nb; j++)
				if (same_word(wa[i], wb[j])) {
					hits++;
					break;
				}
	strvec_free(wa, na);
	strvec_free(wb, nb);
	return na ? (double)hits / (double)na : 0;
}

/* How near code b is to a: 1 under it, else the digits in common. */
static double
code_near(const char *a, const char *b)
{
	size_t sig = 8, common = 0;

	while (sig > 2 && a[sig - 1] == '0')
		sig--;
	while (common < 8 && a[common] && a[common] == b[common])
		common++;
	if (common >= sig)
		return 1;
	return common >= 3 ? (double)common / (double)sig : 0;
}

static double
codes_near(char *const *mine, size_t nmine, char *const *theirs,
	   size_t ntheirs)
{
	double best = 0, s;
	size_t i, j;

	for (i = 0; i < nmine; i++)
		for (j = 0; j < ntheirs; j++)
			if (strlen(mine[i]) == 8 && strlen(theirs[j]) >= 8 &&
			    (s = code_near(mine[i], theirs[j])) > best)
				best = s;
	return best;
}

double
plan_score(const struct plan *p, const struct category_set *cs,
	   const char *title, const char *cpv)
{
	char **mine = NULL, **theirs = NULL, **keys = NULL;
	size_t nmine = 0, ntheirs = 0, nkeys = 0, i, j;
	const struct category *c;
	double codes = 0;

	if (strvec_split(p->cpv, &mine, &nmine) == 0 &&
	    strvec_split(p->categories, &keys, &nkeys) == 0 &&
	    strvec_split(cpv, &theirs, &ntheirs) == 0) {
		for (i = 0; i < nkeys; i++)
			for (j = 0; (c = category_find(cs, keys[i])) &&
				    j < c->ncpv; j++)
				if (strvec_push(&mine, &nmine, c->cpv[j]) < 0)
					break;
		codes = codes_near(mine, nmine, theirs, ntheirs);
	}
	strvec_free(mine, nmine);
	strvec_free(theirs, ntheirs);
	strvec_free(keys, nkeys);
	return 0.5 * codes + 0.5 * title_share(p->title, title);
}

/* The midnight UTC that begins the day of t. */
static time_t
day_start(time_t t)
{
	return t - t % 86400;
}

int
plan_propose(const struct rfi_desk *d, unsigned *proposed)
{
	struct plan_candidate *c = NULL;
	struct plan *p = NULL;
	size_t np = 0, nc = 0, i, j;
	double score;
	int rc = -1;

	*proposed = 0;
	if (!d->cfg->own_buyers)
		return 0;
	if (store_plans(d->store, 0, NULL, NULL, &p, &np) < 0)
		return -1;
	for (i = 0; i < np; i++) {
		if (p[i].status != PLAN_PLANNED && p[i].status != PLAN_POSTPONED)
			continue;
		plan_candidates_free(c, nc);
		c = NULL;
		nc = 0;
		if (store_plan_candidates(d->store, d->cfg->own_buyers,
					  day_start(p[i].created_at), &c,
					  &nc) < 0)
			goto out;
		for (j = 0; j < nc; j++) {
			score = plan_score(&p[i], d->categories, c[j].title,
					   c[j].cpv);
			if (score < PLAN_PROPOSE_MIN)
				continue;
			if (store_plan_propose(d->store, p[i].id,
					       c[j].notice_id, score,
					       d->now) < 0)
				goto out;
			(*proposed)++;
		}
	}
	rc = 0;
out:
	plan_candidates_free(c, nc);
	plans_free(p, np);
	return rc;
}

int
plan_period_words(const char *period, const char *lang, struct buf *out)
{
	static const char *const quarters_sv[] = {
		"första", "andra", "tredje", "fjärde"
	};
	static const char *const quarters_en[] = {
		"first", "second", "third", "fourth"
	};
	int en = lang && strcmp(lang, "en") == 0;
	int year = atoi(period);

	if (strlen(period) != 7)
		return buf_adds(out, period);
	if (period[5] == 'Q') {
		int q = (period[6] - '1') & 3;

		return en ? buf_printf(out, "the %s quarter of %d",
				       quarters_en[q], year) :
			    buf_printf(out, "%s kvartalet %d", quarters_sv[q],
				       year);
	}
	return buf_printf(out, "%s %d", alert_month(atoi(period + 5) - 1, lang),
			  year);
}

/* A period as a mail says when: "i mars 2027", "in the second quarter". */
static int
set_period(struct tpl_vars *v, const char *name, const char *period,
	   const char *lang, struct buf *words)
{
	int en = lang && strcmp(lang, "en") == 0;

	buf_reset(words);
	return buf_adds(words, en ? "in " : period[5] == 'Q' ? "under " :
			"i ") < 0 ||
	       plan_period_words(period, lang, words) < 0 ||
	       tpl_set(v, name, buf_str(words)) < 0 ? -1 : 0;
}

int
plan_mail_fields(struct store *s, const char *notice_id, const char *lang,
		 struct tpl_vars *v)
{
	struct plan *p = NULL;
	struct buf words;
	size_t n = 0;
	int rc = -1;

	if (strncmp(notice_id, "plan-", 5) != 0)
		return 0;
	if (store_plans(s, 0, NULL, notice_id, &p, &n) < 0)
		return -1;
	buf_init(&words, 256);
	if (n == 0) {
		rc = 0;
		goto out;
	}
	if (tpl_set(v, "plan", "1") < 0 ||
	    (p->status == PLAN_DROPPED && tpl_set(v, "plan_dropped", "1") < 0) ||
	    tpl_set(v, "plan_title", p->title) < 0 ||
	    set_period(v, "announce", p->announce, lang, &words) < 0 ||
	    (p->contract_start &&
	     set_period(v, "contract_start", p->contract_start, lang,
			&words) < 0))
		goto out;
	rc = 0;
out:
	buf_release(&words);
	plans_free(p, n);
	return rc;
}
