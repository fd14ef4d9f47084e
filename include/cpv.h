#ifndef TENDERLOTS_CPV_H
#define TENDERLOTS_CPV_H

#include <stddef.h>

/*
 * CPV codes. A code's level is given by its trailing zeros: 45000000
 * (division) covers 45200000 (group), which covers 45210000 (class), and so
 * on down to fully specific eight-digit codes. Codes are handled without
 * their check digit ("45000000-7" is normalised to "45000000").
 */

#define CPV_LEN 8

/* Normalises in to 8 digits in out[9]; -1 if it is not a CPV code form. */
int cpv_normalize(const char *in, char out[CPV_LEN + 1]);
/* Number of significant leading digits: 2 for a division, 8 at most. */
size_t cpv_significant(const char *code);
/* 1 if code lies at or under broad in the CPV hierarchy. */
int cpv_covers(const char *broad, const char *code);
/* Label in "sv" or "en" (Swedish otherwise); NULL for an unknown code. */
const char *cpv_label(const char *code, const char *lang);
/* 1 if the code is in the CPV 2008 list. */
int cpv_known(const char *code);

/* NUTS: 1 if place lies in region or region in place (one is a prefix). */
int nuts_overlap(const char *region, const char *place);
/*
 * The NUTS code of the country an ISO 3166 alpha-3 code names ("EST":
 * "EE", "GRC": "EL"); NULL for a country outside NUTS.
 */
const char *nuts_country(const char *iso3);
/* The alpha-3 code of a country's alpha-2 or NUTS code ("SE": "SWE",
   "EL" and "GR": "GRC"); NULL for one outside NUTS. */
const char *country_alpha3(const char *alpha2);
/* Label of a Swedish NUTS code; NULL when unknown. */
const char *nuts_label(const char *code, const char *lang);

/*
 * The name of the country a NUTS code lies in ("NL421": "Nederländerna",
 * "the Netherlands" in English); NULL for a country NUTS does not cover.
 */
const char *nuts_country_name(const char *code, const char *lang);

#endif
