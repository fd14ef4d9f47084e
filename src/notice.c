#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "notice.h"

static const char *const kind_names[] = {
	[NOTICE_PLANNING] = "planning",
	[NOTICE_RFI] = "rfi",
	[NOTICE_COMPETITION] = "competition",
	[NOTICE_RESULT] = "result",
	[NOTICE_CHANGE] = "change",
	[NOTICE_OTHER] = "other",
};

#define NKINDS (sizeof(kind_names) / sizeof(kind_names[0]))

int
publication_number_zeros(const char *s)
{
	size_t i = 0, zeros = 0, digits;

	while (s[i] == '0' && s[i + 1] != '-')
		i++, zeros++;
	for (digits = 0; isdigit((unsigned char)s[i]); i++)
		digits++;
	if (digits == 0 || zeros + digits > 8 || s[i++] != '-')
		return -1;
	for (digits = 0; isdigit((unsigned char)s[i]); i++)
		digits++;
	return digits == 4 && s[i] == '\0' ? (int)zeros : -1;
}

struct notice *
notice_new(void)
{
	struct notice *n = calloc(1, sizeof(*n));

	if (n) {
		n->kind = NOTICE_OTHER;
		n->max_lots_submitted = COUNT_UNKNOWN;
		n->max_lots_awarded = COUNT_UNKNOWN;
	}
	return n;
}

static void
texts_free(struct text *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(t[i].lang);
		free(t[i].value);
	}
	free(t);
}

static void
lot_release(struct lot *l)
{
	free(l->id);
	free(l->title);
	strvec_free(l->cpv, l->ncpv);
	free(l->currency);
	strvec_free(l->nuts, l->nnuts);
	free(l->description);
	free(l->town);
	free(l->duration);
	free(l->documents_url);
	free(l->submission_url);
	texts_free(l->titles, l->ntitles);
}

static void
groups_free(struct lot_group *g, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(g[i].id);
		free(g[i].title);
		strvec_free(g[i].lots, g[i].nlots);
		free(g[i].currency);
	}
	free(g);
}

static void
awards_free(struct award *a, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		free(a[i].lot);
		for (j = 0; j < a[i].nwinners; j++) {
			free(a[i].winners[j].name);
			free(a[i].winners[j].id);
		}
		free(a[i].winners);
		free(a[i].currency);
	}
	free(a);
}

static void
changes_free(struct changes *c)
{
	size_t i;

	if (!c)
		return;
	free(c->notice_id);
	free(c->version);
	free(c->reason_code);
	free(c->reason);
	for (i = 0; i < c->nitems; i++) {
		free(c->items[i].description);
		strvec_free(c->items[i].sections, c->items[i].nsections);
	}
	free(c->items);
	free(c);
}

void
notice_free(struct notice *n)
{
	size_t i;

	if (!n)
		return;
	free(n->id);
	free(n->version);
	free(n->procedure_id);
	free(n->subtype);
	free(n->title);
	free(n->buyer);
	free(n->published);
	free(n->url);
	free(n->publication);
	free(n->language);
	for (i = 0; i < n->nlots; i++)
		lot_release(&n->lots[i]);
	free(n->lots);
	free(n->description);
	texts_free(n->titles, n->ntitles);
	texts_free(n->descriptions, n->ndescriptions);
	free(n->buyer_id);
	free(n->buyer_city);
	free(n->buyer_email);
	free(n->buyer_phone);
	free(n->procedure_type);
	strvec_free(n->cpv, n->ncpv);
	free(n->currency);
	strvec_free(n->nuts, n->nnuts);
	free(n->town);
	free(n->documents_url);
	free(n->submission_url);
	groups_free(n->groups, n->ngroups);
	awards_free(n->awards, n->nawards);
	changes_free(n->changes);
	free(n);
}

/*
 * The structs carry no capacity field, so arrays grow to the next power of
 * two whenever the count reaches one: appends stay amortised O(1) even for
 * notices with thousands of lots or codes.
 */
void *
array_add(void *arr, size_t n, size_t size)
{
	size_t cap;

	if (n == 0 || (n & (n - 1)) == 0) {
		cap = n ? n * 2 : 1;
		if (cap < n || cap > SIZE_MAX / size)
			return NULL;
		arr = realloc(arr, cap * size);
		if (!arr)
			return NULL;
	}
	memset((char *)arr + n * size, 0, size);
	return arr;
}

struct lot *
notice_add_lot(struct notice *n)
{
	struct lot *lots = array_add(n->lots, n->nlots, sizeof(*lots));

	if (!lots)
		return NULL;
	n->lots = lots;
	lots[n->nlots].sme_suitable = LOT_SME_UNKNOWN;
	lots[n->nlots].framework = LOT_SME_UNKNOWN;
	return &lots[n->nlots++];
}

struct award *
notice_add_award(struct notice *n)
{
	struct award *a = array_add(n->awards, n->nawards, sizeof(*a));

	if (!a)
		return NULL;
	n->awards = a;
	a[n->nawards].tenders = COUNT_UNKNOWN;
	a[n->nawards].sme_tenders = COUNT_UNKNOWN;
	return &a[n->nawards++];
}

int
strvec_has(char *const *vec, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(vec[i], s) == 0)
			return 1;
	return 0;
}

int
strvec_push(char ***vec, size_t *n, const char *s)
{
	char **v = array_add(*vec, *n, sizeof(**vec));

	if (!v)
		return -1;
	*vec = v;
	if (!(v[*n] = strdup(s)))
		return -1;
	(*n)++;
	return 0;
}

int
strvec_split(const char *text, char ***vec, size_t *n)
{
	char *copy, *tok, *save = NULL;
	int rc = 0;

	if (!text)
		return 0;
	if (!(copy = strdup(text)))
		return -1;
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		if (strvec_push(vec, n, tok) < 0) {
			rc = -1;
			break;
		}
	free(copy);
	return rc;
}

void
strvec_free(char **vec, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(vec[i]);
	free(vec);
}

const char *
notice_kind_name(enum notice_kind kind)
{
	if ((size_t)kind >= NKINDS)
		return kind_names[NOTICE_OTHER];
	return kind_names[kind];
}

int
notice_kind_parse(const char *name, enum notice_kind *kind)
{
	size_t i;

	for (i = 0; i < NKINDS; i++) {
		if (strcmp(name, kind_names[i]) == 0) {
			*kind = (enum notice_kind)i;
			return 0;
		}
	}
	return -1;
}

/*
 * Money as integer cents: exact for every amount a notice can carry and,
 * unlike "%f", immune to an LC_NUMERIC that writes a decimal comma.
 */
static int
add_money(struct buf *b, double v)
{
	long long cents;

	if (!isfinite(v))
		return buf_adds(b, "null");
	if (v >= 1e15 || v <= -1e15)
		return buf_printf(b, "%.0f.0", v);
	cents = (long long)(v < 0 ? v * 100 - 0.5 : v * 100 + 0.5);
	return buf_printf(b, "%s%lld.%02lld", cents < 0 ? "-" : "",
			  llabs(cents) / 100, llabs(cents) % 100);
}

static int
add_strings(struct buf *b, char *const *vec, size_t n)
{
	size_t i;

	if (buf_addc(b, '[') < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if ((i && buf_adds(b, ", ") < 0) || json_add_string(b, vec[i]) < 0)
			return -1;
	}
	return buf_addc(b, ']');
}

/* Every key after the first of an object: indent is the key's indent. */
static int
add_key(struct buf *b, const char *indent, const char *key)
{
	return buf_printf(b, ",\n%s\"%s\": ", indent, key);
}

static int
add_time_or_null(struct buf *b, int has, time_t t)
{
	return has ? json_add_time(b, (long long)t) : buf_adds(b, "null");
}

static int
add_money_or_null(struct buf *b, int has, double v)
{
	return has ? add_money(b, v) : buf_adds(b, "null");
}

static int
add_count(struct buf *b, long v)
{
	return v < 0 ? buf_adds(b, "null") : buf_printf(b, "%ld", v);
}

/* Texts by language, as an object: {"SWE": "...", "ENG": "..."}. */
static int
add_texts(struct buf *b, const struct text *t, size_t n)
{
	size_t i;

	if (buf_addc(b, '{') < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if ((i && buf_adds(b, ", ") < 0) ||
		    json_add_string(b, t[i].lang) < 0 ||
		    buf_adds(b, ": ") < 0 ||
		    json_add_string(b, t[i].value) < 0)
			return -1;
	}
	return buf_addc(b, '}');
}

/*
 * How an array of objects is laid out: the lots, groups and awards one to
 * a line, the objects inside them on the line of their parent.
 */
struct layout {
	const char *first, *between, *close;
};

static const struct layout one_a_line = { "\n    ", ",\n    ", "\n  ]" };
static const struct layout on_one_line = { "", ", ", "]" };

static int
add_objects(struct buf *b, const void *items, size_t n, size_t size,
	    int (*add)(struct buf *, const void *), const struct layout *lay)
{
	size_t i;

	if (buf_addc(b, '[') < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (buf_adds(b, i ? lay->between : lay->first) < 0 ||
		    add(b, (const char *)items + i * size) < 0)
			return -1;
	}
	return buf_adds(b, n ? lay->close : "]");
}

static int
add_lot(struct buf *b, const void *item)
{
	const struct lot *l = item;
	const char *sme = l->sme_suitable == LOT_SME_UNKNOWN ? "null" :
			  l->sme_suitable ? "true" : "false";
	const char *fa = l->framework == LOT_SME_UNKNOWN ? "null" :
			 l->framework ? "true" : "false";
	static const char in[] = "      ";

	if (buf_adds(b, "{\n      \"id\": ") < 0 ||
	    json_add_string(b, l->id) < 0 ||
	    add_key(b, in, "title") < 0 || json_add_string(b, l->title) < 0 ||
	    add_key(b, in, "cpv") < 0 || add_strings(b, l->cpv, l->ncpv) < 0 ||
	    add_key(b, in, "value") < 0 ||
	    add_money_or_null(b, l->has_value, l->value) < 0 ||
	    add_key(b, in, "currency") < 0 ||
	    json_add_string(b, l->currency) < 0 ||
	    add_key(b, in, "nuts") < 0 ||
	    add_strings(b, l->nuts, l->nnuts) < 0 ||
	    add_key(b, in, "sme_suitable") < 0 || buf_adds(b, sme) < 0 ||
	    add_key(b, in, "description") < 0 ||
	    json_add_string(b, l->description) < 0 ||
	    add_key(b, in, "deadline") < 0 ||
	    add_time_or_null(b, l->has_deadline, l->deadline) < 0 ||
	    add_key(b, in, "questions_deadline") < 0 ||
	    add_time_or_null(b, l->has_questions_deadline,
			     l->questions_deadline) < 0 ||
	    add_key(b, in, "duration") < 0 ||
	    json_add_string(b, l->duration) < 0 ||
	    add_key(b, in, "town") < 0 || json_add_string(b, l->town) < 0 ||
	    add_key(b, in, "documents_url") < 0 ||
	    json_add_string(b, l->documents_url) < 0 ||
	    add_key(b, in, "submission_url") < 0 ||
	    json_add_string(b, l->submission_url) < 0 ||
	    add_key(b, in, "framework") < 0 || buf_adds(b, fa) < 0 ||
	    add_key(b, in, "titles") < 0 ||
	    add_texts(b, l->titles, l->ntitles) < 0)
		return -1;
	return buf_adds(b, "\n    }");
}

static int
add_group(struct buf *b, const void *item)
{
	const struct lot_group *g = item;

	if (buf_adds(b, "{\"id\": ") < 0 || json_add_string(b, g->id) < 0 ||
	    buf_adds(b, ", \"title\": ") < 0 ||
	    json_add_string(b, g->title) < 0 ||
	    buf_adds(b, ", \"lots\": ") < 0 ||
	    add_strings(b, g->lots, g->nlots) < 0 ||
	    buf_adds(b, ", \"value\": ") < 0 ||
	    add_money_or_null(b, g->has_value, g->value) < 0 ||
	    buf_adds(b, ", \"currency\": ") < 0 ||
	    json_add_string(b, g->currency) < 0)
		return -1;
	return buf_addc(b, '}');
}

static int
add_winner(struct buf *b, const void *item)
{
	const struct winner *w = item;

	if (buf_adds(b, "{\"name\": ") < 0 || json_add_string(b, w->name) < 0 ||
	    buf_adds(b, ", \"id\": ") < 0 || json_add_string(b, w->id) < 0)
		return -1;
	return buf_addc(b, '}');
}

static int
add_award(struct buf *b, const void *item)
{
	const struct award *a = item;

	if (buf_adds(b, "{\"lot\": ") < 0 || json_add_string(b, a->lot) < 0 ||
	    buf_adds(b, ", \"winners\": ") < 0 ||
	    add_objects(b, a->winners, a->nwinners, sizeof(*a->winners),
			add_winner, &on_one_line) < 0 ||
	    buf_adds(b, ", \"tenders\": ") < 0 ||
	    add_count(b, a->tenders) < 0 ||
	    buf_adds(b, ", \"sme_tenders\": ") < 0 ||
	    add_count(b, a->sme_tenders) < 0 ||
	    buf_adds(b, ", \"value\": ") < 0 ||
	    add_money_or_null(b, a->has_value, a->value) < 0 ||
	    buf_adds(b, ", \"currency\": ") < 0 ||
	    json_add_string(b, a->currency) < 0)
		return -1;
	return buf_addc(b, '}');
}

static int
add_change_item(struct buf *b, const void *item)
{
	const struct change_item *c = item;

	if (buf_adds(b, "{\"description\": ") < 0 ||
	    json_add_string(b, c->description) < 0 ||
	    buf_adds(b, ", \"sections\": ") < 0 ||
	    add_strings(b, c->sections, c->nsections) < 0)
		return -1;
	return buf_addc(b, '}');
}

static int
add_changes(struct buf *b, const struct changes *c)
{
	static const char in[] = "    ";

	if (!c)
		return buf_adds(b, "null");
	if (buf_adds(b, "{\n    \"notice\": ") < 0 ||
	    json_add_string(b, c->notice_id) < 0 ||
	    add_key(b, in, "version") < 0 ||
	    json_add_string(b, c->version) < 0 ||
	    add_key(b, in, "reason_code") < 0 ||
	    json_add_string(b, c->reason_code) < 0 ||
	    add_key(b, in, "reason") < 0 || json_add_string(b, c->reason) < 0 ||
	    add_key(b, in, "items") < 0 ||
	    add_objects(b, c->items, c->nitems, sizeof(*c->items),
			add_change_item, &on_one_line) < 0)
		return -1;
	return buf_adds(b, "\n  }");
}

/* The notice's questions deadline: the earliest over its lots. */
static int
add_questions_deadline(struct buf *b, const struct notice *n)
{
	const struct lot *first = NULL;
	size_t i;

	for (i = 0; i < n->nlots; i++) {
		const struct lot *l = &n->lots[i];

		if (l->has_questions_deadline && (!first ||
		    l->questions_deadline < first->questions_deadline))
			first = l;
	}
	return first ? json_add_time(b, (long long)first->questions_deadline) :
		       buf_adds(b, "null");
}

int
notice_to_json(const struct notice *n, struct buf *out)
{
	static const char in[] = "  ";

	if (buf_adds(out, "{\n  \"id\": ") < 0 ||
	    json_add_string(out, n->id) < 0 ||
	    add_key(out, in, "version") < 0 ||
	    json_add_string(out, n->version) < 0 ||
	    add_key(out, in, "procedure_id") < 0 ||
	    json_add_string(out, n->procedure_id) < 0 ||
	    add_key(out, in, "kind") < 0 ||
	    json_add_string(out, notice_kind_name(n->kind)) < 0 ||
	    add_key(out, in, "subtype") < 0 ||
	    json_add_string(out, n->subtype) < 0 ||
	    add_key(out, in, "title") < 0 ||
	    json_add_string(out, n->title) < 0 ||
	    add_key(out, in, "buyer") < 0 ||
	    json_add_string(out, n->buyer) < 0 ||
	    add_key(out, in, "published") < 0 ||
	    json_add_string(out, n->published) < 0 ||
	    add_key(out, in, "deadline") < 0 ||
	    add_time_or_null(out, n->has_deadline, n->deadline) < 0 ||
	    add_key(out, in, "url") < 0 || json_add_string(out, n->url) < 0 ||
	    add_key(out, in, "language") < 0 ||
	    json_add_string(out, n->language) < 0 ||
	    add_key(out, in, "lots") < 0 ||
	    add_objects(out, n->lots, n->nlots, sizeof(*n->lots), add_lot,
			&one_a_line) < 0 ||
	    add_key(out, in, "description") < 0 ||
	    json_add_string(out, n->description) < 0 ||
	    add_key(out, in, "buyer_id") < 0 ||
	    json_add_string(out, n->buyer_id) < 0 ||

	    add_key(out, in, "place") < 0 || buf_adds(out, "{\"nuts\": ") < 0 ||
	    add_strings(out, n->nuts, n->nnuts) < 0 ||
	    buf_adds(out, ", \"town\": ") < 0 ||
	    json_add_string(out, n->town) < 0 || buf_addc(out, '}') < 0 ||
	    add_key(out, in, "procedure_type") < 0 ||
	    json_add_string(out, n->procedure_type) < 0 ||
	    add_key(out, in, "documents_url") < 0 ||
	    json_add_string(out, n->documents_url) < 0 ||
	    add_key(out, in, "submission_url") < 0 ||
	    json_add_string(out, n->submission_url) < 0 ||
	    add_key(out, in, "titles") < 0 ||
	    add_texts(out, n->titles, n->ntitles) < 0 ||
	    add_key(out, in, "descriptions") < 0 ||
	    add_texts(out, n->descriptions, n->ndescriptions) < 0 ||
	    add_key(out, in, "cpv") < 0 ||
	    add_strings(out, n->cpv, n->ncpv) < 0 ||
	    add_key(out, in, "value") < 0 ||
	    add_money_or_null(out, n->has_value, n->value) < 0 ||
	    add_key(out, in, "currency") < 0 ||
	    json_add_string(out, n->currency) < 0 ||
	    add_key(out, in, "lot_limits") < 0 ||
	    buf_adds(out, "{\"max_lots_submitted\": ") < 0 ||
	    add_count(out, n->max_lots_submitted) < 0 ||
	    buf_adds(out, ", \"max_lots_awarded\": ") < 0 ||
	    add_count(out, n->max_lots_awarded) < 0 || buf_addc(out, '}') < 0 ||
	    add_key(out, in, "groups") < 0 ||
	    add_objects(out, n->groups, n->ngroups, sizeof(*n->groups),
			add_group, &one_a_line) < 0 ||
	    add_key(out, in, "questions_deadline") < 0 ||
	    add_questions_deadline(out, n) < 0 ||
	    add_key(out, in, "awards") < 0 ||
	    add_objects(out, n->awards, n->nawards, sizeof(*n->awards),
			add_award, &one_a_line) < 0 ||
	    add_key(out, in, "changes") < 0 || add_changes(out, n->changes) < 0 ||
	    add_key(out, in, "publication") < 0 ||
	    json_add_string(out, n->publication) < 0 ||
	    add_key(out, in, "buyer_email") < 0 ||
	    json_add_string(out, n->buyer_email) < 0 ||
	    add_key(out, in, "buyer_phone") < 0 ||
	    json_add_string(out, n->buyer_phone) < 0)
		return -1;
	return buf_adds(out, "\n}");
}
