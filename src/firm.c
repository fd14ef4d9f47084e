#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "address.h"
#include "amount.h"
#include "buf.h"
#include "category.h"
#include "cpv.h"
#include "csv.h"
#include "firm.h"
#include "stem.h"
#include "log.h"
#include "notice.h"

#define CSV_MAX_ROWS 100000

struct firm *
firm_new(void)
{
	struct firm *f = calloc(1, sizeof *f);

	if (f) {
		f->employees = -1;
		f->turnover = -1;
		f->kinds = FIRM_KINDS_DEFAULT;
		f->frequency = FREQ_IMMEDIATELY;
	}
	return f;
}

void
firm_free(struct firm *f)
{
	if (!f || f->packed) {
		free(f);
		return;
	}
	free(f->orgnr);
	free(f->name);
	free(f->email);
	strvec_free(f->cpv, f->ncpv);
	strvec_free(f->regions, f->nregions);
	free(f->language);
	strvec_free(f->categories, f->ncategories);
	free(f->bounce_reason);
	free(f->municipality);
	strvec_free(f->keywords, f->nkeywords);
	strvec_free(f->exclude, f->nexclude);
	free(f);
}

static size_t
texts_size(char *const *v, size_t n)
{
	size_t i, size = 0;

	for (i = 0; i < n; i++)
		size += strlen(v[i]) + 1;
	return size;
}

/* s copied to *at, which moves past it; NULL for NULL. */
static char *
put_text(char **at, const char *s)
{
	size_t n;
	char *r = *at;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	memcpy(r, s, n);
	*at += n;
	return r;
}

/* v's n texts copied to *at, their pointers to *slot; NULL for none. */
static char **
put_texts(char ***slot, char **at, char *const *v, size_t n)
{
	char **r = *slot;
	size_t i;

	if (!n)
		return NULL;
	for (i = 0; i < n; i++)
		r[i] = put_text(at, v[i]);
	*slot += n;
	return r;
}

#define TEXT_SIZE(s) ((s) ? strlen(s) + 1 : 0)

struct firm *
firm_pack(struct firm *f)
{
	size_t nptr = f->ncategories + f->ncpv + f->nregions + f->nkeywords +
		      f->nexclude;
	size_t size = sizeof *f + nptr * sizeof (char *) +
		      TEXT_SIZE(f->orgnr) + TEXT_SIZE(f->name) +
		      TEXT_SIZE(f->email) + TEXT_SIZE(f->language) +
		      TEXT_SIZE(f->bounce_reason) + TEXT_SIZE(f->municipality) +
		      texts_size(f->categories, f->ncategories) +
		      texts_size(f->cpv, f->ncpv) +
		      texts_size(f->regions, f->nregions) +
		      texts_size(f->keywords, f->nkeywords) +
		      texts_size(f->exclude, f->nexclude);
	struct firm *p;
	char **slot;
	char *at;

	if (f->packed)
		return f;
	if (!(p = malloc(size)))
		return NULL;
	*p = *f;
	slot = (char **)(p + 1);
	at = (char *)(slot + nptr);
	p->orgnr = put_text(&at, f->orgnr);
	p->name = put_text(&at, f->name);
	p->email = put_text(&at, f->email);
	p->language = put_text(&at, f->language);
	p->bounce_reason = put_text(&at, f->bounce_reason);
	p->municipality = put_text(&at, f->municipality);
	p->categories = put_texts(&slot, &at, f->categories, f->ncategories);
	p->cpv = put_texts(&slot, &at, f->cpv, f->ncpv);
	p->regions = put_texts(&slot, &at, f->regions, f->nregions);
	p->keywords = put_texts(&slot, &at, f->keywords, f->nkeywords);
	p->exclude = put_texts(&slot, &at, f->exclude, f->nexclude);
	p->packed = 1;
	firm_free(f);
	return p;
}

int
firm_words_parse(const char *text, char ***words, size_t *n, char *err,
		 size_t errlen)
{
	char **v;
	size_t nv;

	if (stem_keywords_parse(text, FIRM_KEYWORDS_MAX, &v, &nv, err,
				errlen) < 0)
		return -1;
	strvec_free(*words, *n);
	*words = v;
	*n = nv;
	return 0;
}

void
firm_list_release(struct firm_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		firm_free(l->v[i]);
	free(l->v);
	free(l->by_id);
	l->v = NULL;
	l->by_id = NULL;
	l->n = 0;
}

int
firm_list_push(struct firm_list *l, struct firm *f)
{
	struct firm **v = realloc(l->v, (l->n + 1) * sizeof *v);

	if (!v)
		return -1;
	v[l->n++] = f;
	l->v = v;
	free(l->by_id);
	l->by_id = NULL;
	return 0;
}

static int
cmp_firm_id(const void *a, const void *b)
{
	const struct firm *x = *(const struct firm *const *)a;
	const struct firm *y = *(const struct firm *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int
firm_list_index(struct firm_list *l)
{
	struct firm **by_id;

	if (l->n == 0)
		return 0;
	if (!(by_id = malloc(l->n * sizeof *by_id)))
		return -1;
	memcpy(by_id, l->v, l->n * sizeof *by_id);
	qsort(by_id, l->n, sizeof *by_id, cmp_firm_id);
	free(l->by_id);
	l->by_id = by_id;
	return 0;
}

const struct firm *
firm_list_find(const struct firm_list *l, int64_t id)
{
	struct firm probe = { .id = id }, *key = &probe, **found;
	size_t i;

	if (l->by_id) {
		found = bsearch(&key, l->by_id, l->n, sizeof *l->by_id,
				cmp_firm_id);
		return found ? *found : NULL;
	}
	for (i = 0; i < l->n; i++)
		if (l->v[i]->id == id)
			return l->v[i];
	return NULL;
}

int
luhn_valid(const char *digits, size_t n)
{
	unsigned sum = 0;
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned d;

		if (!isdigit((unsigned char)digits[i]))
			return 0;
		d = (unsigned)(digits[i] - '0');
		/* Double every second digit counted from the check digit. */
		if ((n - i) % 2 == 0) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return sum % 10 == 0;
}

int
orgnr_normalize(const char *in, char out[12])
{
	char digits[13];
	size_t n = 0;
	const char *p;

	for (p = in; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n == 12)
				return -1;
			digits[n++] = *p;
		} else if ((*p == '-' || *p == '+') && (n == 6 || n == 8)) {
			continue;
		} else {
			return -1;
		}
	}
	if (n == 12) {
		memmove(digits, digits + 2, 10);
		n = 10;
	}
	if (n != 10 || !luhn_valid(digits, 10))
		return -1;
	memcpy(out, digits, 6);
	out[6] = '-';
	memcpy(out + 7, digits + 6, 4);
	out[11] = '\0';
	return 0;
}

enum column {
	COL_ORGNR, COL_NAME, COL_EMAIL, COL_CATEGORIES, COL_CPV, COL_REGIONS,
	COL_LANGUAGE, COL_EMPLOYEES, COL_TURNOVER, COL_KINDS, COL_FREQUENCY,
	COL_ABROAD, COL_MUNICIPALITY, COL_KEYWORDS, COL_EXCLUDE, NCOLUMNS
};

static const char *const column_names[NCOLUMNS] = {
	"orgnr", "name", "email", "categories", "cpv", "regions", "language",
	"employees", "turnover", "kinds", "frequency", "abroad", "municipality",
	"keywords", "exclude"
};

static const struct {
	const char *name;
	unsigned bit;
} kind_names[] = {
	{ "planned", FIRM_KIND_PLANNED },
	{ "rfi", FIRM_KIND_RFI },
	{ "tender", FIRM_KIND_TENDER },
	{ "result", FIRM_KIND_RESULT },
};

static const char *const frequency_names[] = {
	[FREQ_IMMEDIATELY] = "immediately",
	[FREQ_DAILY] = "daily",
	[FREQ_WEEKLY] = "weekly",
};

/*
 * The first two digits of a Swedish municipality code (kommunkod) name its
 * county, and each county is one NUTS 3 region.
 */
static const struct {
	const char *county;
	const char *nuts;
} county_nuts[] = {
	{ "01", "SE110" }, { "03", "SE121" }, { "04", "SE122" },
	{ "05", "SE123" }, { "06", "SE211" }, { "07", "SE212" },
	{ "08", "SE213" }, { "09", "SE214" }, { "10", "SE221" },
	{ "12", "SE224" }, { "13", "SE231" }, { "14", "SE232" },
	{ "17", "SE311" }, { "18", "SE124" }, { "19", "SE125" },
	{ "20", "SE312" }, { "21", "SE313" }, { "22", "SE321" },
	{ "23", "SE322" }, { "24", "SE331" }, { "25", "SE332" },
};

const char *
firm_frequency_name(enum firm_frequency f)
{
	return frequency_names[f];
}

int
firm_frequency_parse(const char *s, enum firm_frequency *out)
{
	size_t i;

	for (i = 0; i < sizeof frequency_names / sizeof *frequency_names; i++)
		if (strcmp(s, frequency_names[i]) == 0) {
			*out = (enum firm_frequency)i;
			return 0;
		}
	return -1;
}

int
firm_kinds_format(unsigned kinds, char *out, size_t outlen)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < sizeof kind_names / sizeof *kind_names; i++) {
		int n;

		if (!(kinds & kind_names[i].bit))
			continue;
		n = snprintf(out + used, outlen - used, "%s%s", used ? " " : "",
			     kind_names[i].name);
		if (n < 0 || (size_t)n >= outlen - used)
			return -1;
		used += (size_t)n;
	}
	return 0;
}

int
firm_kinds_parse(const char *s, unsigned *out)
{
	char word[32];
	unsigned kinds = 0;
	size_t i, n;

	while (*s) {
		n = strcspn(s, " ,;");
		if (n == 0) {
			s++;
			continue;
		}
		if (n >= sizeof word)
			return -1;
		memcpy(word, s, n);
		word[n] = '\0';
		for (i = 0; i < sizeof kind_names / sizeof *kind_names; i++)
			if (strcmp(word, kind_names[i].name) == 0)
				break;
		if (i == sizeof kind_names / sizeof *kind_names)
			return -1;
		kinds |= kind_names[i].bit;
		s += n;
	}
	if (!kinds)
		return -1;
	*out = kinds;
	return 0;
}

/* A number column, as a firm would type it into the web form. */
static int
parse_number(const char *s, enum amount_kind kind, long long max,
	     const char *where, const char *column, long long *out)
{
	enum amount_why why;

	if (amount_read(s ? s : "", kind, max, out, &why) == 0)
		return 0;
	return error("%s: %s: '%s': %s", where, column, s,
		     amount_why_text(why, kind, "en"));
}

/* Splits a space-separated list; each word is checked and normalised. */
static int
parse_codes(char *s, int (*norm)(const char *, char *, size_t), char ***vec,
	    size_t *n, const char *where, const char *what)
{
	char *tok, *save = NULL;
	char code[16];

	for (tok = strtok_r(s, " ,;", &save); tok; tok = strtok_r(NULL, " ,;", &save)) {
		if (norm(tok, code, sizeof code) < 0)
			return error("%s: %s: unknown code '%s'", where, what, tok);
		if (strvec_push(vec, n, code) < 0)
			return error("%s: out of memory", where);
	}
	return 0;
}

static int
norm_cpv(const char *in, char *out, size_t outlen)
{
	(void)outlen;
	if (cpv_normalize(in, out) < 0 || !cpv_known(out))
		return -1;
	return 0;
}

/* The NUTS 3 region of a municipality code, or NULL if it is none. */
static const char *
municipality_nuts(const char *code)
{
	size_t i;

	if (strlen(code) != 4 || strspn(code, "0123456789") != 4)
		return NULL;
	for (i = 0; i < sizeof county_nuts / sizeof *county_nuts; i++)
		if (strncmp(code, county_nuts[i].county, 2) == 0)
			return county_nuts[i].nuts;
	return NULL;
}

int
municipality_valid(const char *code)
{
	return municipality_nuts(code) != NULL;
}

static int
norm_nuts(const char *in, char *out, size_t outlen)
{
	size_t i, n = strlen(in);
	const char *nuts;

	if (n == 4 && strspn(in, "0123456789") == 4) {
		if (!(nuts = municipality_nuts(in)))
			return -1;
		snprintf(out, outlen, "%s", nuts);
		return 0;
	}
	if (n >= outlen)
		return -1;
	for (i = 0; i <= n; i++)
		out[i] = (char)toupper((unsigned char)in[i]);
	return nuts_label(out, NULL) ? 0 : -1;
}

int
region_normalize(const char *in, char *out, size_t outlen)
{
	return norm_nuts(in, out, outlen);
}

static int
norm_category(const struct category_set *cs, const char *in, char *out,
	      size_t outlen)
{
	const struct category *c = category_find(cs, in);

	if (!c || strlen(c->key) >= outlen)
		return -1;
	strcpy(out, c->key);
	return 0;
}

static int
parse_categories(char *s, const struct category_set *cs, struct firm *f,
		 const char *where)
{
	char *tok, *save = NULL;
	char key[64];

	for (tok = strtok_r(s, " ,;", &save); tok; tok = strtok_r(NULL, " ,;", &save)) {
		if (norm_category(cs, tok, key, sizeof key) < 0)
			return error("%s: categories: unknown category '%s' "
				     "(see tenderlots category list)", where, tok);
		if (strvec_push(&f->categories, &f->ncategories, key) < 0)
			return error("%s: out of memory", where);
	}
	return 0;
}

/* An optional column: absent or empty means the default. */
static const char *
given(char *const *v, enum column c)
{
	return v[c] && *v[c] ? v[c] : NULL;
}

static int
firm_from_row(const struct csv_row *row, const int *colmap,
	      const struct category_set *cs, const char *filename,
	      struct firm **out)
{
	char where[512], orgnr[12], addr[ADDRESS_MAX + 1];
	char *v[NCOLUMNS] = { 0 }, why[200];
	enum address_why awhy;
	struct firm *f = NULL;
	long long num;
	size_t i;
	int rc = -1;

	snprintf(where, sizeof where, "%s:%zu", filename, row->line);
	for (i = 0; i < row->nfield; i++)
		if (colmap[i] >= 0)
			v[colmap[i]] = csv_trim(row->field[i]);
	if (!(f = firm_new()))
		goto out;
	if (!v[COL_ORGNR] || orgnr_normalize(v[COL_ORGNR], orgnr) < 0) {
		error("%s: orgnr: '%s' is not a valid organisation number "
		      "(NNNNNN-NNNN with a Luhn check digit)", where,
		      v[COL_ORGNR] ? v[COL_ORGNR] : "");
		goto out;
	}
	if (!v[COL_NAME] || !*v[COL_NAME] || strlen(v[COL_NAME]) > 200) {
		error("%s: name: missing or longer than 200 bytes", where);
		goto out;
	}
	if (address_read(v[COL_EMAIL] ? v[COL_EMAIL] : "", addr, &awhy) < 0) {
		error("%s: email: '%s' is not an email address: %s", where,
		      v[COL_EMAIL] ? v[COL_EMAIL] : "",
		      address_why_text(awhy, "en"));
		goto out;
	}
	if (!(f->orgnr = strdup(orgnr)) || !(f->name = strdup(v[COL_NAME])) ||
	    !(f->email = strdup(addr)))
		goto out;
	if (given(v, COL_CATEGORIES) &&
	    parse_categories(v[COL_CATEGORIES], cs, f, where) < 0)
		goto out;
	if (given(v, COL_CPV) && parse_codes(v[COL_CPV], norm_cpv, &f->cpv,
					     &f->ncpv, where, "cpv") < 0)
		goto out;
	if (given(v, COL_KEYWORDS) &&
	    firm_words_parse(v[COL_KEYWORDS], &f->keywords, &f->nkeywords,
			     why, sizeof why) < 0) {
		error("%s: keywords: %s", where, why);
		goto out;
	}
	if (given(v, COL_EXCLUDE) &&
	    firm_words_parse(v[COL_EXCLUDE], &f->exclude, &f->nexclude,
			     why, sizeof why) < 0) {
		error("%s: exclude: %s", where, why);
		goto out;
	}
	if (f->ncpv == 0 && f->ncategories == 0 && f->nkeywords == 0) {
		error("%s: no categories, CPV codes or keywords: the firm would "
		      "match nothing", where);
		goto out;
	}
	if (given(v, COL_REGIONS) && parse_codes(v[COL_REGIONS], norm_nuts,
						 &f->regions, &f->nregions,
						 where, "regions") < 0)
		goto out;
	if (f->nregions == 0) {
		error("%s: regions: no region given (a NUTS code such as SE232, "
		      "or a municipality code such as 1480)", where);
		goto out;
	}
	if (given(v, COL_ABROAD)) {
		if (strcasecmp(v[COL_ABROAD], "yes") == 0 ||
		    strcasecmp(v[COL_ABROAD], "ja") == 0) {
			f->abroad = 1;
		} else if (strcasecmp(v[COL_ABROAD], "no") != 0 &&
			   strcasecmp(v[COL_ABROAD], "nej") != 0) {
			error("%s: abroad: '%s' is not one of yes, no", where,
			      v[COL_ABROAD]);
			goto out;
		}
	}
	if (!given(v, COL_LANGUAGE)) {
		f->language = strdup("sv");
	} else if (strcmp(v[COL_LANGUAGE], "sv") == 0 ||
		   strcmp(v[COL_LANGUAGE], "en") == 0) {
		f->language = strdup(v[COL_LANGUAGE]);
	} else {
		error("%s: language: '%s' is not one of sv, en", where, v[COL_LANGUAGE]);
		goto out;
	}
	if (!f->language)
		goto out;
	if (parse_number(v[COL_EMPLOYEES], AMOUNT_COUNT, FIRM_EMPLOYEES_MAX,
			 where, "employees", &num) < 0)
		goto out;
	f->employees = (long)num;
	if (parse_number(v[COL_TURNOVER], AMOUNT_KRONOR, FIRM_TURNOVER_MAX,
			 where, "turnover", &num) < 0)
		goto out;
	f->turnover = num;
	if (given(v, COL_KINDS) && firm_kinds_parse(v[COL_KINDS], &f->kinds) < 0) {
		error("%s: kinds: '%s' is not a list of planned, rfi, tender, "
		      "result", where, v[COL_KINDS]);
		goto out;
	}
	if (given(v, COL_FREQUENCY) &&
	    firm_frequency_parse(v[COL_FREQUENCY], &f->frequency) < 0) {
		error("%s: frequency: '%s' is not one of immediately, daily, "
		      "weekly", where, v[COL_FREQUENCY]);
		goto out;
	}
	if (given(v, COL_MUNICIPALITY) &&
	    !municipality_valid(v[COL_MUNICIPALITY])) {
		error("%s: municipality: '%s' is not a municipality code "
		      "(kommunkod, four digits such as 1480)", where,
		      v[COL_MUNICIPALITY]);
		goto out;
	}
	if (given(v, COL_MUNICIPALITY) &&
	    !(f->municipality = strdup(v[COL_MUNICIPALITY])))
		goto out;
	*out = f;
	f = NULL;
	rc = 0;
out:
	firm_free(f);
	return rc;
}

/* Maps each header field to its column; -1 for a header we must reject. */
static int
map_header(const struct csv_row *hdr, int *colmap, const char *filename)
{
	int seen[NCOLUMNS] = { 0 };
	size_t i, c;
	int rc = 0;

	for (i = 0; i < hdr->nfield; i++) {
		char *name = csv_trim(hdr->field[i]);

		colmap[i] = -1;
		/* The form people write it in, as in the issue's own list. */
		if (strcasecmp(name, "org.nr") == 0)
			name = "orgnr";
		for (c = 0; c < NCOLUMNS; c++)
			if (strcasecmp(name, column_names[c]) == 0)
				colmap[i] = (int)c;
		if (colmap[i] < 0) {
			rc = error("%s:%zu: unknown column '%s' (known: orgnr, name, "
				   "email, categories, cpv, regions, language, "
				   "employees, turnover, kinds, frequency, "
				   "abroad, municipality, keywords, exclude)",
				   filename, hdr->line, name);
		} else if (seen[colmap[i]]++) {
			rc = error("%s:%zu: column '%s' given twice", filename,
				   hdr->line, name);
		}
	}
	for (c = 0; c <= COL_EMAIL; c++)
		if (!seen[c])
			rc = error("%s:%zu: missing column '%s'", filename,
				   hdr->line, column_names[c]);
	return rc;
}

static int
orgnr_seen(const struct firm_list *l, const char *orgnr)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i]->orgnr, orgnr) == 0)
			return 1;
	return 0;
}

int
firm_csv_parse(const char *data, size_t len, const char *filename,
	       const struct category_set *cs, struct firm_list *out,
	       unsigned *nbad)
{
	struct firm_list list = { 0 };
	struct csv_row row = { 0 };
	int colmap[CSV_MAX_FIELDS];
	size_t pos, line = 1, rows = 0, nheader;
	struct buf why;
	char sep;
	int r, rc = -1;

	*nbad = 0;
	buf_init(&why, 256);
	/* A Swedish spreadsheet exports with semicolons; the header tells. */
	sep = csv_separator(data, len);
	pos = csv_start(data, len);
	r = csv_next(data, len, &pos, &line, sep, &row, &why);
	if (r == 0) {
		error("%s: empty file, expected a header line", filename);
		goto out;
	}
	if (r < 0 || map_header(&row, colmap, filename) < 0)
		goto bad;
	nheader = row.nfield;
	csv_row_clear(&row);
	while ((r = csv_next(data, len, &pos, &line, sep, &row, &why)) > 0) {
		struct firm *f = NULL;

		if (csv_row_is_blank(&row)) {
			csv_row_clear(&row);
			continue;
		}
		if (++rows > CSV_MAX_ROWS) {
			error("%s:%zu: more than %d firms in one file", filename,
			      row.line, CSV_MAX_ROWS);
			goto out;
		}
		if (row.nfield > nheader) {
			error("%s:%zu: %zu fields, but the header names %zu", filename,
			      row.line, row.nfield, nheader);
			(*nbad)++;
		} else if (firm_from_row(&row, colmap, cs, filename, &f) < 0) {
			(*nbad)++;
		} else if (orgnr_seen(&list, f->orgnr)) {
			error("%s:%zu: orgnr %s already given above", filename,
			      row.line, f->orgnr);
			firm_free(f);
			(*nbad)++;
		} else if (firm_list_push(&list, f) < 0) {
			firm_free(f);
			goto out;
		}
		csv_row_clear(&row);
	}
	/* A quote left open swallows the rest: nothing after it can be trusted. */
	if (r < 0)
		goto bad;
	*out = list;
	list.v = NULL;
	list.n = 0;
	rc = 0;
	goto out;
bad:
	if (why.len)
		error("%s:%s", filename, buf_str(&why));
out:
	buf_release(&why);
	csv_row_clear(&row);
	firm_list_release(&list);
	return rc;
}
