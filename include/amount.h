#ifndef TENDERLOTS_AMOUNT_H
#define TENDERLOTS_AMOUNT_H

#include <stddef.h>

/*
 * Numbers as a firm types them into a form or a register: a turnover in
 * kronor, a number of employees. What is read is exactly what was
 * written; anything that could mean two things, or that is not a whole
 * number of kronor or people, is refused with a reason, never guessed.
 *
 * Kronor (AMOUNT_KRONOR):
 *	1800000  1 800 000  1 800 000 kr  1 800 000 SEK  1 800 000:-  500,-
 *	1,8 milj  1,8 milj.  1,8 miljoner (kr)  1 miljon  1,8 mkr  1,8 MSEK
 *	1.8 MSEK  500 tkr  500 tusen (kronor)  2 mdkr  2 mdr  2 miljarder
 * Units and currencies in any case, with or without a space before them.
 * Thousands are separated by spaces: U+0020, U+00A0 (no-break), U+2009
 * (thin) or U+202F (narrow no-break), in groups of three. The decimal
 * sign is a comma, or a point. Refused:
 *	- a fraction of a krona: "1,8" and "1,50 kr"; ",00" is taken, as
 *	  "1 800 000,00" means whole kronor;
 *	- a point or comma between thousands, "1.800.000", "1,800,000",
 *	  and three digits after a lone one without a unit, "1,800": the
 *	  Swedish and the English reading differ; also "1.500 MSEK", since a
 *	  point may be a thousands separator, while "1,500 milj" is Swedish
 *	  for 1 500 000;
 *	- words ("två", "ca 2"), signs, exponents, unknown units ("5k",
 *	  "500 euro"), negative amounts and amounts above the caller's cap.
 *
 * Counts (AMOUNT_COUNT) are whole numbers in figures, thousands separated
 * as above, with no unit and no decimals: "12", "1 200". Number words
 * such as "två" are refused, in figures the firm writes what it means.
 *
 * Leading and trailing spaces of those kinds and tabs are ignored; a
 * blank string is no number (-1, "not given").
 */

enum amount_kind { AMOUNT_KRONOR, AMOUNT_COUNT };

enum amount_why {
	AMOUNT_OK,
	AMOUNT_NOT_NUMBER,	/* not figures: words, signs, "1e6" */
	AMOUNT_NEGATIVE,
	AMOUNT_TOO_LARGE,	/* above the cap */
	AMOUNT_NOT_WHOLE,	/* a fraction of a krona or a person */
	AMOUNT_SEPARATOR,	/* thousands not in space-separated threes, or
				   a point or comma that reads two ways */
	AMOUNT_UNIT		/* a unit not known, or any unit on a count */
};

/*
 * Reads s (a NUL-terminated UTF-8 string) as kind. On success returns 0
 * with the value, at most max, in *out, or -1 for a blank s. Otherwise
 * returns -1, and *why says why (*out is then -1). Reads nothing else
 * and allocates nothing.
 */
int amount_read(const char *s, enum amount_kind kind, long long max,
		long long *out, enum amount_why *why);

/*
 * The reason, as a clause that follows the field's name and a colon on a
 * page ("skriv antalet med siffror, till exempel 2."), in lang "sv" or
 * "en"; NULL for AMOUNT_OK.
 */
const char *amount_why_text(enum amount_why why, enum amount_kind kind,
			    const char *lang);

/*
 * v (>= 0) in the form amount_read reads back unchanged: figures in
 * groups of three separated by spaces, "1 800 000". -1 if out (at least
 * AMOUNT_FORMAT_MAX bytes is enough) is too small.
 */
#define AMOUNT_FORMAT_MAX 32
int amount_format(long long v, char *out, size_t outlen);

#endif
