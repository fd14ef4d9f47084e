#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "amount.h"

/* Past this the whole part only counts as too large: no overflow. */
#define WHOLE_LIMIT ((ULLONG_MAX - 9) / 10)
/* Decimals kept: enough for the largest unit, a billion. */
#define FRAC_DIGITS 9

static const struct unit {
	const char *name;
	unsigned long long mult;
	int currency;		/* names the currency: no "kr" may follow */
} units[] = {
	{ "kr", 1, 1 }, { "kronor", 1, 1 }, { "sek", 1, 1 },
	{ "tkr", 1000, 1 }, { "tsek", 1000, 1 }, { "tusen", 1000, 0 },
	{ "milj", 1000000, 0 }, { "miljon", 1000000, 0 },
	{ "miljoner", 1000000, 0 }, { "mkr", 1000000, 1 },
	{ "msek", 1000000, 1 }, { "mdkr", 1000000000, 1 },
	{ "mdsek", 1000000000, 1 }, { "mdr", 1000000000, 0 },
	{ "miljard", 1000000000, 0 }, { "miljarder", 1000000000, 0 },
};

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * The bytes of the space at p: U+0020, U+00A0, U+2009, U+202F, and a tab
 * if tab is set (around a number, not between its thousands); 0 if none.
 */
static size_t
space_len(const char *p, int tab)
{
	if (*p == ' ' || (tab && *p == '\t'))
		return 1;
	if (p[0] == '\xc2' && p[1] == '\xa0')
		return 2;
	if (p[0] == '\xe2' && p[1] == '\x80' && (p[2] == '\x89' || p[2] == '\xaf'))
		return 3;
	return 0;
}

static const char *
skip_spaces(const char *p)
{
	size_t k;

	while ((k = space_len(p, 1)))
		p += k;
	return p;
}

/* A unit's name: letters, ASCII or not (so "två" is one word). */
static const char *
word_end(const char *p)
{
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       ((unsigned char)*p >= 0x80 && !space_len(p, 0)))
		p++;
	return p;
}

static const struct unit *
unit_find(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strlen(units[i].name) == n &&
		    strncasecmp(units[i].name, p, n) == 0)
			return &units[i];
	return NULL;
}

/* ":-" or ",-", the price tag's "kronor". */
static int
is_dash_kronor(const char *p)
{
	return (p[0] == ':' || p[0] == ',') && p[1] == '-';
}

/*
 * The unit after a number at p, and the end of what it took in *end: 1
 * with its multiple in *mult, 0 if there is none, -1 if a word there is
 * not a unit or a currency follows one that names it.
 */
static int
read_unit(const char *p, unsigned long long *mult, const char **end)
{
	const struct unit *u, *cur;
	const char *e;

	*mult = 1;
	*end = p;
	p = skip_spaces(p);
	if (is_dash_kronor(p)) {
		*end = p + 2;
		return 1;
	}
	if ((e = word_end(p)) == p)
		return 0;
	if (!(u = unit_find(p, (size_t)(e - p))))
		return -1;
	*mult = u->mult;
	p = *e == '.' ? e + 1 : e;
	/* "1,8 miljoner kronor", "500 tusen:-" */
	e = skip_spaces(p);
	if (!u->currency && is_dash_kronor(e)) {
		p = e + 2;
	} else if (!u->currency && word_end(e) != e) {
		cur = unit_find(e, (size_t)(word_end(e) - e));
		if (!cur || cur->mult != 1)
			return -1;
		p = word_end(e);
		p += *p == '.';
	}
	*end = p;
	return 1;
}

static int
fail(enum amount_why w, enum amount_why *why)
{
	*why = w;
	return -1;
}

int
amount_read(const char *s, enum amount_kind kind, long long max,
	    long long *out, enum amount_why *why)
{
	unsigned long long whole = 0, frac = 0, scale = 1, mult = 1, v;
	const char *p = skip_spaces(s), *end;
	size_t k, group = 0, groups = 0, nfrac = 0;
	int big = 0, rest = 0, unit;
	char point = 0;

	*out = -1;
	*why = AMOUNT_OK;
	if (!*p)
		return 0;
	if (*p == '-' || strncmp(p, "\xe2\x88\x92", 3) == 0) {
		p = skip_spaces(p + (*p == '-' ? 1 : 3));
		return fail(is_digit(*p) ? AMOUNT_NEGATIVE : AMOUNT_NOT_NUMBER,
			    why);
	}
	if (!is_digit(*p))
		return fail(AMOUNT_NOT_NUMBER, why);
	/* The whole part; once spaced, every group after the first has three. */
	for (;;) {
		if (is_digit(*p)) {
			if (whole > WHOLE_LIMIT)
				big = 1;
			else
				whole = whole * 10 + (unsigned)(*p - '0');
			group++;
			p++;
		} else if ((k = space_len(p, 0)) && is_digit(p[k])) {
			if (groups ? group != 3 : group > 3)
				return fail(AMOUNT_SEPARATOR, why);
			groups++;
			group = 0;
			p += k;
		} else {
			break;
		}
	}
	if (groups && group != 3)
		return fail(AMOUNT_SEPARATOR, why);
	if ((*p == ',' || *p == '.') && is_digit(p[1])) {
		point = *p++;
		for (; is_digit(*p); p++, nfrac++) {
			if (nfrac < FRAC_DIGITS) {
				frac = frac * 10 + (unsigned)(*p - '0');
				scale *= 10;
			} else if (*p != '0') {
				rest = 1;
			}
		}
		/* "1.800.000", "1,800 000": thousands marked by the point */
		if (((*p == ',' || *p == '.') && is_digit(p[1])) ||
		    ((k = space_len(p, 0)) && is_digit(p[k])))
			return fail(AMOUNT_SEPARATOR, why);
	}
	if ((unit = read_unit(p, &mult, &end)) < 0 ||
	    (unit && kind == AMOUNT_COUNT))
		return fail(AMOUNT_UNIT, why);
	p = skip_spaces(end);
	if (*p)
		return fail(word_end(p) != p ? AMOUNT_UNIT : AMOUNT_NOT_NUMBER,
			    why);
	/*
	 * Three figures after a lone point or comma are thousands in English
	 * and decimals in Swedish; with a unit, a comma is Swedish only.
	 */
	if (point && nfrac == 3 && !groups && (mult == 1 || point == '.'))
		return fail(AMOUNT_SEPARATOR, why);
	if (point && (kind == AMOUNT_COUNT || rest ||
		      (frac * mult) % scale != 0))
		return fail(AMOUNT_NOT_WHOLE, why);
	if (big || whole > (unsigned long long)max / mult)
		return fail(AMOUNT_TOO_LARGE, why);
	v = whole * mult + frac * mult / scale;
	if (v > (unsigned long long)max)
		return fail(AMOUNT_TOO_LARGE, why);
	*out = (long long)v;
	return 0;
}

const char *
amount_why_text(enum amount_why why, enum amount_kind kind, const char *lang)
{
	static const char *const text[][2][2] = {
		[AMOUNT_NOT_NUMBER] = {
			{ "skriv beloppet i kronor med siffror, till exempel "
			  "1 800 000, 1,8 milj eller 500 tkr.",
			  "write the amount in kronor in figures, for example "
			  "1 800 000, 1,8 milj or 500 tkr." },
			{ "skriv antalet med siffror, till exempel 2.",
			  "write the number in figures, for example 2." } },
		[AMOUNT_NEGATIVE] = {
			{ "beloppet kan inte vara negativt.",
			  "the amount cannot be negative." },
			{ "antalet kan inte vara negativt.",
			  "the number cannot be negative." } },
		[AMOUNT_TOO_LARGE] = {
			{ "beloppet är för stort.", "the amount is too large." },
			{ "antalet är för stort.", "the number is too large." } },
		[AMOUNT_NOT_WHOLE] = {
			{ "skriv hela kronor, till exempel 1 800 000, eller "
			  "ange en enhet: 1,8 milj.",
			  "write whole kronor, for example 1 800 000, or give a "
			  "unit: 1,8 milj." },
			{ "skriv ett heltal, till exempel 2.",
			  "write a whole number, for example 2." } },
		[AMOUNT_SEPARATOR] = {
			{ "skriv tusental med mellanslag och decimaler med "
			  "komma, till exempel 1 800 000 eller 1,8 milj.",
			  "separate thousands with spaces and decimals with a "
			  "comma, for example 1 800 000 or 1,8 milj." },
			{ "skriv tusental med mellanslag, till exempel 1 200.",
			  "separate thousands with spaces, for example 1 200." } },
		[AMOUNT_UNIT] = {
			{ "okänd enhet; skriv kr, tkr, milj, mkr, MSEK eller mdkr.",
			  "unknown unit; write kr, tkr, milj, mkr, MSEK or mdkr." },
			{ "skriv bara antalet, till exempel 2.",
			  "write only the number, for example 2." } },
	};
	return text[why][kind == AMOUNT_COUNT][lang && strcmp(lang, "en") == 0];
}

int
amount_format(long long v, char *out, size_t outlen)
{
	char digits[24];
	size_t n, i, o = 0;

	if (v < 0)
		return -1;
	n = (size_t)snprintf(digits, sizeof digits, "%lld", v);
	if (outlen < n + (n - 1) / 3 + 1)
		return -1;
	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ' ';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return 0;
}
