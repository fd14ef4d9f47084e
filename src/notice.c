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

struct notice *
notice_new(void)
{
	struct notice *n = calloc(1, sizeof(*n));

	if (n)
		n->kind = NOTICE_OTHER;
	return n;
}

static void
lot_release(struct lot *l)
{
	free(l->id);
	free(l->title);
	strvec_free(l->cpv, l->ncpv);
	free(l->currency);
	strvec_free(l->nuts, l->nnuts);
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
	free(n->language);
	for (i = 0; i < n->nlots; i++)
		lot_release(&n->lots[i]);
	free(n->lots);
	free(n);
}

/*
 * The structs carry no capacity field, so arrays grow to the next power of
 * two whenever the count reaches one: appends stay amortised O(1) even for
 * notices with thousands of lots or codes.
 */
static int
grow(void **arr, size_t n, size_t size)
{
	size_t cap;
	void *p;

	if (n != 0 && (n & (n - 1)) != 0)
		return 0;
	cap = n ? n * 2 : 1;
	if (cap < n || cap > SIZE_MAX / size)
		return -1;
	p = realloc(*arr, cap * size);
	if (!p)
		return -1;
	*arr = p;
	return 0;
}

struct lot *
notice_add_lot(struct notice *n)
{
	struct lot *l;
	void *lots = n->lots;

	if (grow(&lots, n->nlots, sizeof(*n->lots)) < 0)
		return NULL;
	n->lots = lots;
	l = &n->lots[n->nlots++];
	memset(l, 0, sizeof(*l));
	l->sme_suitable = LOT_SME_UNKNOWN;
	return l;
}

int
strvec_push(char ***vec, size_t *n, const char *s)
{
	void *v = *vec;
	char *copy;

	if (grow(&v, *n, sizeof(**vec)) < 0)
		return -1;
	*vec = v;
	copy = strdup(s);
	if (!copy)
		return -1;
	(*vec)[(*n)++] = copy;
	return 0;
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

static int
add_lot(struct buf *b, const struct lot *l)
{
	const char *sme = l->sme_suitable == LOT_SME_UNKNOWN ? "null" :
			  l->sme_suitable ? "true" : "false";

	if (buf_adds(b, "    {\n      \"id\": ") < 0 ||
	    json_add_string(b, l->id) < 0 ||
	    buf_adds(b, ",\n      \"title\": ") < 0 ||
	    json_add_string(b, l->title) < 0 ||
	    buf_adds(b, ",\n      \"cpv\": ") < 0 ||
	    add_strings(b, l->cpv, l->ncpv) < 0 ||
	    buf_adds(b, ",\n      \"value\": ") < 0 ||
	    (l->has_value ? add_money(b, l->value) : buf_adds(b, "null")) < 0 ||
	    buf_adds(b, ",\n      \"currency\": ") < 0 ||
	    json_add_string(b, l->currency) < 0 ||
	    buf_adds(b, ",\n      \"nuts\": ") < 0 ||
	    add_strings(b, l->nuts, l->nnuts) < 0 ||
	    buf_printf(b, ",\n      \"sme_suitable\": %s\n    }", sme) < 0)
		return -1;
	return 0;
}

int
notice_to_json(const struct notice *n, struct buf *out)
{
	size_t i;

	if (buf_adds(out, "{\n  \"id\": ") < 0 ||
	    json_add_string(out, n->id) < 0 ||
	    buf_adds(out, ",\n  \"version\": ") < 0 ||
	    json_add_string(out, n->version) < 0 ||
	    buf_adds(out, ",\n  \"procedure_id\": ") < 0 ||
	    json_add_string(out, n->procedure_id) < 0 ||
	    buf_adds(out, ",\n  \"kind\": ") < 0 ||
	    json_add_string(out, notice_kind_name(n->kind)) < 0 ||
	    buf_adds(out, ",\n  \"subtype\": ") < 0 ||
	    json_add_string(out, n->subtype) < 0 ||
	    buf_adds(out, ",\n  \"title\": ") < 0 ||
	    json_add_string(out, n->title) < 0 ||
	    buf_adds(out, ",\n  \"buyer\": ") < 0 ||
	    json_add_string(out, n->buyer) < 0 ||
	    buf_adds(out, ",\n  \"published\": ") < 0 ||
	    json_add_string(out, n->published) < 0 ||
	    buf_adds(out, ",\n  \"deadline\": ") < 0 ||
	    (n->has_deadline ? json_add_time(out, (long long)n->deadline) :
			       buf_adds(out, "null")) < 0 ||
	    buf_adds(out, ",\n  \"url\": ") < 0 ||
	    json_add_string(out, n->url) < 0 ||
	    buf_adds(out, ",\n  \"language\": ") < 0 ||
	    json_add_string(out, n->language) < 0 ||
	    buf_adds(out, ",\n  \"lots\": [") < 0)
		return -1;
	for (i = 0; i < n->nlots; i++) {
		if (buf_adds(out, i ? ",\n" : "\n") < 0 ||
		    add_lot(out, &n->lots[i]) < 0)
			return -1;
	}
	return buf_adds(out, n->nlots ? "\n  ]\n}" : "]\n}");
}
