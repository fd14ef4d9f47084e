#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "category.h"
#include "cpv.h"
#include "ini.h"
#include "log.h"
#include "notice.h"
#include "stem.h"

#define CATEGORY_KEY_MAX	32
/* Far more than any municipality's category plan; bounds the set. */
#define CATEGORIES_MAX		500
/* A band beyond a billion kronor is no small firm's. */
#define AMOUNT_MAX		1000000000L

/*
 * One code of one category, by its significant digits ("454421" for
 * 45442100). No code is in two categories, so the index never holds more
 * entries than the CPV list has codes.
 */
struct category_prefix {
	char digits[CPV_LEN + 1];
	size_t category;	/* index into the set's v */
	size_t line;		/* where it was listed, to name a duplicate */
};

enum {
	K_NAME_SV,
	K_NAME_EN,
	K_CPV,
	K_VALUE_MIN,
	K_VALUE_MAX,
	K_SPLIT,
	K_RENAMED_FROM,
	K_KEYWORDS,
	NKEYS
};

static const char *const yes_no[] = { "no", "yes", NULL };

#define CAT(field) offsetof(struct category, field)

static const struct ini_key category_keys[NKEYS] = {
	[K_NAME_SV] = { NULL, "name_sv", INI_STRING, NULL, false, 0, 0,
			NULL, CAT(name_sv), "Swedish name, shown in mails" },
	[K_NAME_EN] = { NULL, "name_en", INI_STRING, NULL, false, 0, 0,
			NULL, CAT(name_en), "English name" },
	[K_CPV] = { NULL, "cpv", INI_LIST, NULL, false, 0, 0, NULL, CAT(cpv),
		    "CPV codes; each covers the codes under it" },
	[K_VALUE_MIN] = { NULL, "value_min", INI_AMOUNT, "0", false, 0,
			  AMOUNT_MAX, NULL, CAT(value_min),
			  "smallest contract value typical for small firms" },
	[K_VALUE_MAX] = { NULL, "value_max", INI_AMOUNT, "0", false, 0,
			  AMOUNT_MAX, NULL, CAT(value_max),
			  "largest such value; 0: no upper bound" },
	[K_SPLIT] = { NULL, "split", INI_ENUM, "no", false, 0, 0, yes_no,
		      CAT(split), "divide large tenders for this category" },
	[K_RENAMED_FROM] = { NULL, "renamed_from", INI_STRING, "", true, 0, 0,
			     NULL, CAT(renamed_from), "the key it had before: "
			     "its firms and history move to this one" },
	[K_KEYWORDS] = { NULL, "keywords", INI_STRING, "", true, 0, 0, NULL,
			 CAT(keywords_text), "words that put a lot without CPV "
			 "codes in this category" },
};

struct load_ctx {
	struct ini_table table;
	struct category_set cs;
	size_t *section_line;	/* of each category in cs */
	size_t *renamed_line;	/* of its renamed_from, 0 for none */
	size_t index_alloc;
	bool in_category;	/* the last category awaits finish_category() */
	bool bad;		/* a category failed a check made at its end */
	struct stemmer *stemmer;	/* for keywords, made when first needed */
	struct ini_seen seen[NKEYS];
};

/* The first entry of index not below digits. */
static size_t
lower_bound(const struct category_prefix *index, size_t n,
	    const char *digits)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(index[mid].digits, digits) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
index_insert(struct load_ctx *ctx, size_t pos, const char *digits,
	     size_t line)
{
	struct category_set *cs = &ctx->cs;
	struct category_prefix *index;
	size_t alloc;

	if (cs->nindex == ctx->index_alloc) {
		alloc = ctx->index_alloc ? 2 * ctx->index_alloc : 64;
		index = realloc(cs->index, alloc * sizeof(*index));
		if (!index)
			return -1;
		cs->index = index;
		ctx->index_alloc = alloc;
	}
	memmove(&cs->index[pos + 1], &cs->index[pos],
		(cs->nindex - pos) * sizeof(*cs->index));
	strcpy(cs->index[pos].digits, digits);
	cs->index[pos].category = cs->n - 1;
	cs->index[pos].line = line;
	cs->nindex++;
	return 0;
}

/*
 * Checks the codes just stored for the current category, normalises them
 * and adds them to the index, where a code claimed twice shows up.
 */
static int
add_codes(struct load_ctx *ctx, size_t line)
{
	struct category_set *cs = &ctx->cs;
	struct category *c = &cs->v[cs->n - 1];
	const struct category_prefix *e;
	const char *file = ctx->table.file;
	char code[CPV_LEN + 1];
	size_t i, pos;
	int rc = 0;

	for (i = 0; c->cpv[i]; i++) {
		if (cpv_normalize(c->cpv[i], code) < 0) {
			rc = error("%s:%zu: [%s] cpv: '%s' is not a CPV code "
				   "(8 digits, optionally with -check digit)",
				   file, line, c->key, c->cpv[i]);
			continue;
		}
		memcpy(c->cpv[i], code, sizeof(code));
		if (!cpv_known(code)) {
			rc = error("%s:%zu: [%s] cpv: %s is not in the CPV list",
				   file, line, c->key, code);
			continue;
		}
		code[cpv_significant(code)] = '\0';
		pos = lower_bound(cs->index, cs->nindex, code);
		if (pos < cs->nindex &&
		    strcmp(cs->index[pos].digits, code) == 0) {
			e = &cs->index[pos];
			rc = error("%s:%zu: [%s] cpv: %s is already in [%s] "
				   "(line %zu)", file, line, c->key, c->cpv[i],
				   cs->v[e->category].key, e->line);
			continue;
		}
		if (index_insert(ctx, pos, code, line) < 0)
			return error("%s:%zu: out of memory", file, line);
	}
	c->ncpv = i;
	return rc;
}

/*
 * The checks that need the whole category run at the next section header
 * or the end of the file; that header may itself be fine, so a failure is
 * kept in ctx rather than returned for it.
 */
static void
finish_category(struct load_ctx *ctx)
{
	const struct category *c;

	if (!ctx->in_category)
		return;
	ctx->in_category = false;
	c = &ctx->cs.v[ctx->cs.n - 1];
	if (ini_check_required(&ctx->table, ctx->section_line[ctx->cs.n - 1],
			       c->key) < 0)
		ctx->bad = true;
	if (c->value_max > 0 && c->value_min > c->value_max) {
		error("%s:%zu: [%s] value_max: %.0f is below value_min %.0f",
		      ctx->table.file, ctx->seen[K_VALUE_MAX].line, c->key,
		      c->value_max, c->value_min);
		ctx->bad = true;
	}
}

static bool
valid_key(const char *name)
{
	size_t n;

	for (n = 0; name[n]; n++) {
		char c = name[n];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return n > 0 && n <= CATEGORY_KEY_MAX;
}

/* Appends an empty category; its defaults are applied by the caller. */
static int
add_category(struct load_ctx *ctx, const char *key, size_t line)
{
	struct category_set *cs = &ctx->cs;
	struct category *v;
	size_t *lines, *renamed;

	v = realloc(cs->v, (cs->n + 1) * sizeof(*v));
	if (!v)
		return -1;
	cs->v = v;
	lines = realloc(ctx->section_line, (cs->n + 1) * sizeof(*lines));
	if (!lines)
		return -1;
	ctx->section_line = lines;
	renamed = realloc(ctx->renamed_line, (cs->n + 1) * sizeof(*renamed));
	if (!renamed)
		return -1;
	ctx->renamed_line = renamed;
	renamed[cs->n] = 0;
	memset(&v[cs->n], 0, sizeof(*v));
	v[cs->n].key = strdup(key);
	if (!v[cs->n].key)
		return -1;
	lines[cs->n] = line;
	cs->n++;
	return 0;
}

static int
category_section(void *vctx, const char *name, size_t line)
{
	struct load_ctx *ctx = vctx;
	struct category_set *cs = &ctx->cs;
	const char *file = ctx->table.file;
	size_t i;

	finish_category(ctx);
	if (!valid_key(name))
		return error("%s:%zu: invalid category key [%s] (lowercase "
			     "letters, digits, '-' and '_', at most %d)", file,
			     line, name, CATEGORY_KEY_MAX);
	for (i = 0; i < cs->n; i++)
		if (strcmp(cs->v[i].key, name) == 0)
			return error("%s:%zu: duplicate category [%s] (first on "
				     "line %zu)", file, line, name,
				     ctx->section_line[i]);
	if (cs->n == CATEGORIES_MAX)
		return error("%s:%zu: more than %d categories", file, line,
			     CATEGORIES_MAX);
	if (add_category(ctx, name, line) < 0)
		return error("%s:%zu: out of memory", file, line);
	if (ini_section_start(&ctx->table, &cs->v[cs->n - 1]) < 0)
		return -1;
	ctx->in_category = true;
	return 0;
}

/* The category's keywords, and their stems in Swedish and English. */
static int
add_keywords(struct load_ctx *ctx, struct category *c, size_t line)
{
	char err[200], st[2][STEM_WORD_MAX + 1];
	size_t i;

	strvec_free(c->keywords, c->nkeywords);
	strvec_free(c->stems, 2 * c->nkeywords);
	c->keywords = c->stems = NULL;
	c->nkeywords = 0;
	if (stem_keywords_parse(c->keywords_text, CATEGORY_KEYWORDS_MAX,
				&c->keywords, &c->nkeywords, err, sizeof err) < 0)
		return error("%s:%zu: [%s] keywords: %s", ctx->table.file, line,
			     c->key, err);
	if (c->nkeywords && !ctx->stemmer && !(ctx->stemmer = stemmer_new()))
		return error("%s:%zu: out of memory", ctx->table.file, line);
	for (i = 0; i < c->nkeywords; i++) {
		size_t n = 2 * i;

		if (stem_keyword(ctx->stemmer, c->keywords[i], st) < 0 ||
		    strvec_push(&c->stems, &n, st[0]) < 0 ||
		    strvec_push(&c->stems, &n, st[1]) < 0)
			return error("%s:%zu: out of memory", ctx->table.file, line);
	}
	return 0;
}

static int
category_key(void *vctx, const char *key, const char *value, size_t line)
{
	struct load_ctx *ctx = vctx;
	struct category *c = &ctx->cs.v[ctx->cs.n - 1];

	if (ini_set(&ctx->table, line, c->key, key, value, c) < 0)
		return -1;
	if (strcmp(key, category_keys[K_RENAMED_FROM].key) == 0) {
		ctx->renamed_line[ctx->cs.n - 1] = line;
		if (c->renamed_from && !valid_key(c->renamed_from))
			return error("%s:%zu: [%s] renamed_from: '%s' is not a "
				     "category key (lowercase letters, digits, "
				     "'-' and '_', at most %d)", ctx->table.file,
				     line, c->key, c->renamed_from,
				     CATEGORY_KEY_MAX);
	}
	if (strcmp(key, category_keys[K_KEYWORDS].key) == 0)
		return add_keywords(ctx, c, line);
	return strcmp(key, category_keys[K_CPV].key) == 0 ?
		add_codes(ctx, line) : 0;
}

/*
 * A rename moves firms and history from the old key to the new one, so
 * the old key must name nothing else: no category of today, and no other
 * rename, which would merge two categories' firms unasked.
 */
static int
check_renames(const struct load_ctx *ctx)
{
	const struct category_set *cs = &ctx->cs;
	const char *old;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < cs->n; i++) {
		if (!(old = cs->v[i].renamed_from))
			continue;
		for (j = 0; j < cs->n; j++) {
			if (strcmp(cs->v[j].key, old) == 0)
				rc = error("%s:%zu: [%s] renamed_from: [%s] is "
					   "still a category (line %zu); remove "
					   "it or choose another key",
					   ctx->table.file, ctx->renamed_line[i],
					   cs->v[i].key, old,
					   ctx->section_line[j]);
			else if (j < i && cs->v[j].renamed_from &&
				 strcmp(cs->v[j].renamed_from, old) == 0)
				rc = error("%s:%zu: [%s] renamed_from: '%s' is "
					   "already renamed to [%s] (line %zu)",
					   ctx->table.file, ctx->renamed_line[i],
					   cs->v[i].key, old, cs->v[j].key,
					   ctx->renamed_line[j]);
		}
	}
	return rc;
}

int
category_load(const char *path, struct category_set *out)
{
	static const struct ini_handler handler = {
		category_section, category_key
	};
	struct load_ctx ctx = { 0 };
	struct buf text;
	int rc = -1;

	buf_init(&text, INI_MAX_FILE);
	if (ini_read(path, &text) < 0)
		goto out;
	ctx.table = (struct ini_table){ path, NULL, category_keys, NKEYS,
					ctx.seen };
	rc = ini_parse(path, buf_str(&text), text.len, &handler, &ctx);
	finish_category(&ctx);
	if (ctx.bad || (rc == 0 && check_renames(&ctx) < 0))
		rc = -1;
	if (rc < 0)
		goto out;
	if (ctx.cs.n == 0)
		log_warnx("%s: no categories configured", path);
	*out = ctx.cs;
	ctx.cs = (struct category_set){ 0 };
out:
	category_set_release(&ctx.cs);
	free(ctx.section_line);
	free(ctx.renamed_line);
	stemmer_free(ctx.stemmer);
	buf_release(&text);
	return rc;
}

void
category_set_release(struct category_set *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		free(cs->v[i].key);
		strvec_free(cs->v[i].keywords, cs->v[i].nkeywords);
		strvec_free(cs->v[i].stems, 2 * cs->v[i].nkeywords);
		ini_free_fields(category_keys, NKEYS, &cs->v[i]);
	}
	free(cs->v);
	free(cs->index);
	*cs = (struct category_set){ 0 };
}

const struct category *
category_find(const struct category_set *cs, const char *key)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (strcmp(cs->v[i].key, key) == 0)
			return &cs->v[i];
	return NULL;
}

const struct category *
category_for_cpv(const struct category_set *cs, const char *cpv)
{
	char code[CPV_LEN + 1];
	size_t len, pos;

	if (cpv_normalize(cpv, code) < 0)
		return NULL;
	/*
	 * Longest prefix first. An indexed prefix longer than the code's
	 * own significant digits ends in a digit other than 0 where the
	 * code has a 0, so the search starts there.
	 */
	for (len = cpv_significant(code); len >= 2; len--) {
		code[len] = '\0';
		pos = lower_bound(cs->index, cs->nindex, code);
		if (pos < cs->nindex &&
		    strcmp(cs->index[pos].digits, code) == 0)
			return &cs->v[cs->index[pos].category];
	}
	return NULL;
}

int
category_known_key(const struct category_set *cs, const char *key)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (strcmp(cs->v[i].key, key) == 0 ||
		    (cs->v[i].renamed_from &&
		     strcmp(cs->v[i].renamed_from, key) == 0))
			return 1;
	return 0;
}

const char *
category_name(const struct category *c, const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ? c->name_en : c->name_sv;
}
