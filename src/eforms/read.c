/*
 * The readers the parts of a notice share: texts in their languages,
 * identifiers and web addresses, elements by identifier, dates, codes,
 * amounts and counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>

#include "civil.h"
#include "cpv.h"
#include "eforms_int.h"

/*
 * The text of node, which expression id selected, with whitespace runs
 * collapsed to one space, as titles come wrapped and indented. *out is NULL
 * when node is NULL or the text is blank, so absent and empty are one case
 * for the callers.
 */
int
ef_text_of(struct parse *ps, xmlNodePtr node, enum xp id, char **out)
{
	size_t max = id == XP_DESCRIPTION || id == XP_CHANGE_DESC ||
		     id == XP_REASON_DESC ? EFORMS_MAX_LONG_TEXT :
					    EFORMS_MAX_TEXT;
	size_t len;

	if (xmlsafe_node_text(node, max, XMLSAFE_BLANKS_SPACE, NULL, out,
			      &len) < 0)
		return xmlsafe_oom(&ps->x);
	if (len > max) {
		free(*out);
		*out = NULL;
		return xmlsafe_fail(&ps->x, "%s: text too long (%zu bytes, "
				    "max %zu)", ef_xpaths[id].name, len, max);
	}
	return 0;
}

/* The text of the first node expression id selects from at, and the
 * node, whose attributes qualify some texts. */
int
ef_get_node_text(struct parse *ps, enum xp id, xmlNodePtr at,
		 xmlNodePtr *node, char **out)
{
	*out = NULL;
	if (xmlsafe_first(&ps->x, id, at, node) < 0)
		return -1;
	return ef_text_of(ps, *node, id, out);
}

int
ef_get_text(struct parse *ps, enum xp id, xmlNodePtr at, char **out)
{
	xmlNodePtr node;

	return ef_get_node_text(ps, id, at, &node, out);
}

/* Identifiers must stay safe wherever they are used as keys or in paths. */
static int
is_token(const char *s)
{
	size_t len = 0;

	for (; *s; s++, len++) {
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || strchr("-_.:/", *s)))
			return 0;
	}
	return len > 0 && len <= EFORMS_MAX_TOKEN;
}

int
ef_get_token(struct parse *ps, enum xp id, xmlNodePtr at, char **out)
{
	if (ef_get_text(ps, id, at, out) < 0)
		return -1;
	if (*out && !is_token(*out)) {
		xmlsafe_fail(&ps->x, "%s: bad identifier '%.40s'",
			     ef_xpaths[id].name, *out);
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/*
 * Swedish readers first, then English, then whatever the notice gives
 * first; buyers write names in their own language and often in English.
 */
int
ef_get_lang_text(struct parse *ps, enum xp id, xmlNodePtr at, char **out)
{
	static const char *const prefs[] = { "SWE", "ENG" };
	struct xmlsafe_nodes nodes;
	xmlNodePtr pick = NULL;
	xmlChar *lang;
	size_t p;
	int i, rank = 2, rc;

	*out = NULL;
	if (xmlsafe_eval(&ps->x, id, at, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n && rank > 0; i++) {
		xmlNodePtr node = nodes.v[i];

		if (!pick)
			pick = node;
		lang = xmlGetNoNsProp(node, (const xmlChar *)"languageID");
		for (p = 0; lang && p < (size_t)rank; p++) {
			if (strcmp((const char *)lang, prefs[p]) == 0) {
				pick = node;
				rank = (int)p;
			}
		}
		xmlFree(lang);
	}
	rc = ef_text_of(ps, pick, id, out);
	xmlsafe_nodes_free(&nodes);
	return rc;
}

int
ef_has_node(struct parse *ps, enum xp id, xmlNodePtr at, int *found)
{
	xmlNodePtr node;

	if (xmlsafe_first(&ps->x, id, at, &node) < 0)
		return -1;
	*found = node != NULL;
	return 0;
}

/* Language codes become JSON keys and database values: 2 or 3 letters. */
static int
is_language(const char *s)
{
	size_t i = 0;

	while ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))
		i++;
	return s[i] == '\0' && (i == 2 || i == 3);
}

/*
 * The text in every language the notice gives, in document order; a text
 * without languageID is in the notice's language, and a language given
 * twice keeps its first text.
 */
int
ef_lang_texts(struct parse *ps, enum xp id, xmlNodePtr at, struct text **out,
	      size_t *nout)
{
	struct xmlsafe_nodes nodes = { NULL, 0, NULL };
	xmlChar *attr = NULL;
	const char *lang;
	struct text *t;
	char *value = NULL;
	size_t j;
	int i, rc = -1;

	if (xmlsafe_eval(&ps->x, id, at, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n; i++) {
		xmlNodePtr node = nodes.v[i];

		xmlFree(attr);
		attr = xmlGetNoNsProp(node, (const xmlChar *)"languageID");
		lang = attr ? (const char *)attr : ps->n->language;
		if (!lang || (!attr && !is_language(lang)))
			continue;
		if (!is_language(lang)) {
			xmlsafe_fail(&ps->x, "%s: bad languageID '%.40s'",
				     ef_xpaths[id].name, lang);
			goto out;
		}
		for (j = 0; j < *nout && strcmp((*out)[j].lang, lang) != 0; j++)
			;
		if (j < *nout)
			continue;
		if (*nout == EFORMS_MAX_LANGS) {
			xmlsafe_fail(&ps->x, "%s: too many languages (max %d)",
				     ef_xpaths[id].name, EFORMS_MAX_LANGS);
			goto out;
		}
		if (ef_text_of(ps, node, id, &value) < 0)
			goto out;
		if (!value)
			continue;
		if (!(t = array_add(*out, *nout, sizeof(**out)))) {
			xmlsafe_oom(&ps->x);
			goto out;
		}
		*out = t;
		t[*nout].value = value;
		value = NULL;
		if (!(t[(*nout)++].lang = strdup(lang))) {
			xmlsafe_oom(&ps->x);
			goto out;
		}
	}
	rc = 0;
out:
	free(value);
	xmlFree(attr);
	xmlsafe_nodes_free(&nodes);
	return rc;
}

/*
 * Only web addresses are passed on: URLs end up as links in mails, where
 * javascript:, file: or data: would be a hazard.
 */
static int
is_web_url(const char *s)
{
	size_t i, start;

	if (!s)
		return 0;
	if (strncmp(s, "https://", 8) == 0)
		start = 8;
	else if (strncmp(s, "http://", 7) == 0)
		start = 7;
	else
		return 0;
	for (i = start; s[i]; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return 0;
	return i > start;
}

/* The first web address expression id selects, in document order. */
int
ef_first_web_url(struct parse *ps, enum xp id, xmlNodePtr at, char **out)
{
	struct xmlsafe_nodes nodes;
	int i, rc = 0;

	*out = NULL;
	if (xmlsafe_eval(&ps->x, id, at, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n && !*out && rc == 0; i++) {
		rc = ef_text_of(ps, nodes.v[i], id, out);
		if (!is_web_url(*out)) {
			free(*out);
			*out = NULL;
		}
	}
	xmlsafe_nodes_free(&nodes);
	return rc;
}

/* ---- references by identifier ------------------------------------------- */

static int
ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void
ef_index_free(struct index *ix)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		free(ix->v[i].id);
	free(ix->v);
	ix->v = NULL;
	ix->n = 0;
}

/* The elements list selects from the root, each by the text of id in it. */
int
ef_index_build(struct parse *ps, enum xp list, enum xp id, struct index *ix)
{
	struct xmlsafe_nodes nodes;
	char *text;
	int i, rc = -1;

	if (xmlsafe_eval(&ps->x, list, ps->x.root, &nodes) < 0)
		return -1;
	if (nodes.n > EFORMS_MAX_REFS) {
		xmlsafe_fail(&ps->x, "too many %s (max %d)",
			     ef_xpaths[list].name, EFORMS_MAX_REFS);
		goto out;
	}
	if (nodes.n > 0 && !(ix->v = calloc((size_t)nodes.n, sizeof(*ix->v)))) {
		xmlsafe_oom(&ps->x);
		goto out;
	}
	for (i = 0; i < nodes.n; i++) {
		if (ef_get_text(ps, id, nodes.v[i], &text) < 0)
			goto out;
		if (text) {
			ix->v[ix->n].id = text;
			ix->v[ix->n].node = nodes.v[i];
			ix->v[ix->n].pos = (size_t)i;
			ix->n++;
		}
	}
	if (ix->n)
		qsort(ix->v, ix->n, sizeof(*ix->v), ref_cmp);
	rc = 0;
out:
	xmlsafe_nodes_free(&nodes);
	return rc;
}

/* The first element, in document order, that carries id; NULL if none. */
xmlNodePtr
ef_index_find(const struct index *ix, const char *id)
{
	size_t lo = 0, hi = ix->n, mid;

	if (!id)
		return NULL;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(ix->v[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->n && strcmp(ix->v[lo].id, id) == 0 ?
	       ix->v[lo].node : NULL;
}

/* ---- dates and times ---------------------------------------------------- */

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* "Z", "+02:00", "-05:30" or nothing; anything else is an error. */
static int
parse_zone(const char *s, struct stamp *t)
{
	int h, m;

	if (*s == '\0')
		return 0;
	t->has_zone = 1;
	if (strcmp(s, "Z") == 0)
		return 0;
	if ((s[0] != '+' && s[0] != '-') || digits(s + 1, 2, &h) < 0 ||
	    s[3] != ':' || digits(s + 4, 2, &m) < 0 || s[6] != '\0' ||
	    h > 14 || m > 59 || (h == 14 && m != 0))
		return -1;
	t->c.zone = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return 0;
}

/* xs:date: YYYY-MM-DD with an optional zone. */
int
ef_parse_date(const char *s, struct stamp *t)
{
	memset(t, 0, sizeof(*t));
	if (strlen(s) < 10 || digits(s, 4, &t->c.year) < 0 || s[4] != '-' ||
	    digits(s + 5, 2, &t->c.mon) < 0 || s[7] != '-' ||
	    digits(s + 8, 2, &t->c.day) < 0 || parse_zone(s + 10, t) < 0 ||
	    !civil_date_valid(t->c.year, t->c.mon, t->c.day))
		return -1;
	return 0;
}

/* xs:time: HH:MM:SS with optional fraction (dropped) and zone. */
static int
parse_time(const char *s, struct stamp *t)
{
	size_t i = 8;

	t->has_zone = 0;
	t->c.zone = 0;
	if (strlen(s) < 8 || digits(s, 2, &t->c.hour) < 0 || s[2] != ':' ||
	    digits(s + 3, 2, &t->c.min) < 0 || s[5] != ':' ||
	    digits(s + 6, 2, &t->c.sec) < 0)
		return -1;
	if (s[i] == '.') {
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == 9)
			return -1;
	}
	if (parse_zone(s + i, t) < 0 || t->c.hour > 23 || t->c.min > 59 ||
	    t->c.sec > 59)
		return -1;
	return 0;
}

/*
 * The instant a period ends. A date without a time means the end of that
 * day; the time's zone wins over the date's, and no zone at all is UTC.
 */
int
ef_period_end(struct parse *ps, enum xp id, xmlNodePtr lot, int *found,
	      time_t *out)
{
	xmlNodePtr period;
	char *date = NULL, *tm = NULL;
	struct stamp d, t;
	int rc = -1;

	*found = 0;
	if (xmlsafe_first(&ps->x, id, lot, &period) < 0 ||
	    ef_get_text(ps, XP_END_DATE, period, &date) < 0 ||
	    ef_get_text(ps, XP_END_TIME, period, &tm) < 0)
		goto out;
	if (!date && tm) {
		xmlsafe_fail(&ps->x, "%s: cbc:EndTime without cbc:EndDate",
			     ef_xpaths[id].name);
		goto out;
	}
	if (!date) {
		rc = 0;
		goto out;
	}
	if (ef_parse_date(date, &d) < 0) {
		xmlsafe_fail(&ps->x, "%s/cbc:EndDate: bad date '%.40s'",
			     ef_xpaths[id].name, date);
		goto out;
	}
	t = d;
	t.c.hour = 23;
	t.c.min = 59;
	t.c.sec = 59;
	if (tm && parse_time(tm, &t) < 0) {
		xmlsafe_fail(&ps->x, "%s/cbc:EndTime: bad time '%.40s'",
			     ef_xpaths[id].name, tm);
		goto out;
	}
	if (!t.has_zone)
		t.c.zone = d.c.zone;
	if (civil_time(&t.c, out) < 0) {
		xmlsafe_fail(&ps->x, "%s: date out of range",
			     ef_xpaths[id].name);
		goto out;
	}
	*found = 1;
	rc = 0;
out:
	free(date);
	free(tm);
	return rc;
}

/* ---- codes, amounts, counts --------------------------------------------- */

/*
 * A country (ISO alpha-3, "EST") as a place: its NUTS code ("EE"), so that
 * it overlaps its regions; one outside NUTS stays as given.
 */
int
ef_norm_country(const char *s, char out[CODE_MAX])
{
	const char *nuts;
	size_t i;

	for (i = 0; i < 3; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return -1;
	if (s[3])
		return -1;
	nuts = nuts_country(s);
	memcpy(out, nuts ? nuts : s, strlen(nuts ? nuts : s) + 1);
	return 0;
}

/* Lot references and changed sections: identifiers; others are skipped. */
int
ef_norm_token(const char *s, char out[CODE_MAX])
{
	if (!is_token(s))
		return -1;
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

/*
 * Appends the codes expression id selects, normalised, without repeats;
 * codes norm refuses are skipped. At most max may be given.
 */
int
ef_add_codes(struct parse *ps, enum xp id, xmlNodePtr at, int max,
	     struct codes *c, int (*norm)(const char *, char[CODE_MAX]))
{
	struct xmlsafe_nodes nodes = { NULL, 0, NULL };
	char *text = NULL, code[CODE_MAX];
	size_t j;
	int i, rc = -1;

	if (xmlsafe_eval(&ps->x, id, at, &nodes) < 0)
		return -1;
	if (nodes.n > max) {
		xmlsafe_fail(&ps->x, "%s: too many codes (max %d)",
			     ef_xpaths[id].name, max);
		goto out;
	}
	for (i = 0; i < nodes.n; i++) {
		if (ef_text_of(ps, nodes.v[i], id, &text) < 0)
			goto out;
		if (text && norm(text, code) == 0) {
			for (j = 0; j < c->n && strcmp(c->v[j], code) != 0; j++)
				;
			if (j == c->n && strvec_push(&c->v, &c->n, code) < 0) {
				xmlsafe_oom(&ps->x);
				goto out;
			}
		}
		free(text);
		text = NULL;
	}
	rc = 0;
out:
	free(text);
	xmlsafe_nodes_free(&nodes);
	return rc;
}

/* Counts and durations: plain digits, few enough for a long. */
int
ef_is_count(const char *s)
{
	return strspn(s, "0123456789") == strlen(s) && strlen(s) <= 9;
}

/* Plain decimal: amounts are xs:decimal, never signed or exponential. */
static int
parse_amount(const char *s, double *v)
{
	size_t i, int_digits = 0, frac_digits = 0;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++)
		int_digits++;
	if (s[i] == '.')
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			frac_digits++;
	if (s[i] != '\0' || int_digits + frac_digits == 0 || int_digits > 15)
		return -1;
	/* libxml2's conversion, unlike strtod(), ignores LC_NUMERIC. */
	*v = xmlXPathCastStringToNumber((const xmlChar *)s);
	return *v == *v ? 0 : -1;
}

/* An amount with its currencyID, e.g. an estimated or awarded value. */
int
ef_get_amount(struct parse *ps, enum xp id, xmlNodePtr at, int *has,
	      double *value, char **currency)
{
	xmlNodePtr node;
	xmlChar *cur = NULL;
	char *text = NULL;
	int rc = -1;

	if (ef_get_node_text(ps, id, at, &node, &text) < 0)
		return -1;
	if (!text)
		return 0;
	if (parse_amount(text, value) < 0) {
		xmlsafe_fail(&ps->x, "%s: bad amount '%.40s'",
			     ef_xpaths[id].name, text);
		goto out;
	}
	*has = 1;
	cur = xmlGetNoNsProp(node, (const xmlChar *)"currencyID");
	if (cur && !(strlen((const char *)cur) == 3 &&
		     is_token((const char *)cur))) {
		xmlsafe_fail(&ps->x, "%s: bad currencyID '%.40s'",
			     ef_xpaths[id].name, (const char *)cur);
		goto out;
	}
	if (cur && !(*currency = strdup((const char *)cur))) {
		xmlsafe_oom(&ps->x);
		goto out;
	}
	rc = 0;
out:
	xmlFree(cur);
	free(text);
	return rc;
}

/*
 * TED's short form of a publication number, in place, for the change
 * notices that name their original by it. 0 when s is none.
 */
int
ef_short_publication_number(char *s)
{
	int zeros = publication_number_zeros(s);

	if (zeros < 0)
		return 0;
	memmove(s, s + zeros, strlen(s + zeros) + 1);
	return 1;
}

/* A count such as cbc:MaximumLotsAwardedNumeric; unchanged when absent. */
int
ef_get_count(struct parse *ps, enum xp id, xmlNodePtr at, long *out)
{
	char *text;
	int rc = 0;

	if (ef_get_text(ps, id, at, &text) < 0)
		return -1;
	if (!text)
		return 0;
	if (!ef_is_count(text))
		rc = xmlsafe_fail(&ps->x, "%s: bad number '%.40s'",
				  ef_xpaths[id].name, text);
	else
		*out = strtol(text, NULL, 10);
	free(text);
	return rc;
}

/* A copy of s, or NULL for NULL. */
int
ef_copy_text(struct parse *ps, const char *s, char **out)
{
	if (s && !(*out = strdup(s)))
		return xmlsafe_oom(&ps->x);
	return 0;
}

