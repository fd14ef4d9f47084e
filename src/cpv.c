#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "cpv.h"

int
cpv_normalize(const char *in, char out[CPV_LEN + 1])
{
	size_t i;

	for (i = 0; i < CPV_LEN; i++) {
		if (!isdigit((unsigned char)in[i]))
			return -1;
		out[i] = in[i];
	}
	out[CPV_LEN] = '\0';
	if (in[CPV_LEN] == '\0')
		return 0;
	if (in[CPV_LEN] == '-' && isdigit((unsigned char)in[CPV_LEN + 1]) &&
	    in[CPV_LEN + 2] == '\0')
		return 0;
	return -1;
}

size_t
cpv_significant(const char *code)
{
	size_t n = CPV_LEN;

	while (n > 2 && code[n - 1] == '0')
		n--;
	return n;
}

int
cpv_covers(const char *broad, const char *code)
{
	return strncmp(broad, code, cpv_significant(broad)) == 0;
}

static int
code_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct code_label *)elem)->code);
}

static const struct code_label *
code_find(const struct code_label *table, size_t n, const char *code)
{
	return bsearch(code, table, n, sizeof *table, code_cmp);
}

static const char *
code_label_in(const struct code_label *c, const char *lang)
{
	if (!c)
		return NULL;
	return lang && strcmp(lang, "en") == 0 ? c->en : c->sv;
}

const char *
cpv_label(const char *code, const char *lang)
{
	return code_label_in(code_find(cpv_codes, cpv_ncodes, code), lang);
}

int
cpv_known(const char *code)
{
	return code_find(cpv_codes, cpv_ncodes, code) != NULL;
}

int
nuts_overlap(const char *region, const char *place)
{
	size_t r = strlen(region), p = strlen(place);

	return strncmp(region, place, r < p ? r : p) == 0 && r && p;
}

/*
 * NUTS names a country by its ISO 3166 alpha-2 code, but Greece's is EL;
 * eForms names countries by alpha-3. The countries NUTS and its
 * statistical regions cover.
 */
static const struct {
	char iso3[4];
	char nuts[3];
	const char *sv, *en;
} countries[] = {
	{ "ALB", "AL", "Albanien", "Albania" },
	{ "AUT", "AT", "Österrike", "Austria" },
	{ "BEL", "BE", "Belgien", "Belgium" },
	{ "BGR", "BG", "Bulgarien", "Bulgaria" },
	{ "CHE", "CH", "Schweiz", "Switzerland" },
	{ "CYP", "CY", "Cypern", "Cyprus" },
	{ "CZE", "CZ", "Tjeckien", "Czechia" },
	{ "DEU", "DE", "Tyskland", "Germany" },
	{ "DNK", "DK", "Danmark", "Denmark" },
	{ "ESP", "ES", "Spanien", "Spain" },
	{ "EST", "EE", "Estland", "Estonia" },
	{ "FIN", "FI", "Finland", "Finland" },
	{ "FRA", "FR", "Frankrike", "France" },
	{ "GBR", "UK", "Storbritannien", "the United Kingdom" },
	{ "GRC", "EL", "Grekland", "Greece" },
	{ "HRV", "HR", "Kroatien", "Croatia" },
	{ "HUN", "HU", "Ungern", "Hungary" },
	{ "IRL", "IE", "Irland", "Ireland" },
	{ "ISL", "IS", "Island", "Iceland" },
	{ "ITA", "IT", "Italien", "Italy" },
	{ "LIE", "LI", "Liechtenstein", "Liechtenstein" },
	{ "LTU", "LT", "Litauen", "Lithuania" },
	{ "LUX", "LU", "Luxemburg", "Luxembourg" },
	{ "LVA", "LV", "Lettland", "Latvia" },
	{ "MKD", "MK", "Nordmakedonien", "North Macedonia" },
	{ "MLT", "MT", "Malta", "Malta" },
	{ "MNE", "ME", "Montenegro", "Montenegro" },
	{ "NLD", "NL", "Nederländerna", "the Netherlands" },
	{ "NOR", "NO", "Norge", "Norway" },
	{ "POL", "PL", "Polen", "Poland" },
	{ "PRT", "PT", "Portugal", "Portugal" },
	{ "ROU", "RO", "Rumänien", "Romania" },
	{ "SRB", "RS", "Serbien", "Serbia" },
	{ "SVK", "SK", "Slovakien", "Slovakia" },
	{ "SVN", "SI", "Slovenien", "Slovenia" },
	{ "SWE", "SE", "Sverige", "Sweden" },
	{ "TUR", "TR", "Turkiet", "Türkiye" },
};

const char *
nuts_country(const char *iso3)
{
	size_t i;

	for (i = 0; i < sizeof countries / sizeof *countries; i++)
		if (strcmp(countries[i].iso3, iso3) == 0)
			return countries[i].nuts;
	return NULL;
}

const char *
country_alpha3(const char *alpha2)
{
	size_t i;

	/* ISO's own codes where NUTS differs */
	if (strcmp(alpha2, "GB") == 0)
		return "GBR";
	if (strcmp(alpha2, "GR") == 0)
		return "GRC";
	for (i = 0; i < sizeof countries / sizeof *countries; i++)
		if (strcmp(countries[i].nuts, alpha2) == 0)
			return countries[i].iso3;
	return NULL;
}

const char *
nuts_label(const char *code, const char *lang)
{
	return code_label_in(code_find(nuts_codes, nuts_ncodes, code), lang);
}

const char *
nuts_country_name(const char *code, const char *lang)
{
	size_t i;

	for (i = 0; i < sizeof countries / sizeof *countries; i++)
		if (strncmp(countries[i].nuts, code, 2) == 0)
			return lang && strcmp(lang, "en") == 0 ?
			       countries[i].en : countries[i].sv;
	return NULL;
}
