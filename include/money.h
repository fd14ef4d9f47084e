#ifndef TENDERLOTS_MONEY_H
#define TENDERLOTS_MONEY_H

#include "buf.h"

/*
 * Amounts in notices are in the buyer's currency, turnovers in kronor.
 * Other currencies become kronor through the European Central Bank's euro
 * reference rates of one day: those a rates feed last brought (kept in the
 * store with their day), and for a currency they lack, the rates bundled
 * with the program (MONEY_RATES_DATE). A notice's value is an estimate, so
 * a rate some weeks old sizes it well enough.
 */
#define MONEY_RATES_DATE "2026-10-06"

/* Past this many currencies a rates file is not the ECB's. */
#define MONEY_RATES_MAX 64

/* Past this a rates file is not the ECB's daily or 90-day file. */
#define MONEY_RATES_MAX_INPUT (1024 * 1024)

/* Units of each currency to the euro, of one day. */
struct money_rates;

/* The bundled rates of MONEY_RATES_DATE; NULL when out of memory. */
struct money_rates *money_rates_new(void);
void money_rates_free(struct money_rates *r);

/*
 * Sets currency's rate (three capital letters, per_eur > 0), as of day
 * (YYYY-MM-DD); -1 if either is not one, or past MONEY_RATES_MAX.
 */
int money_rates_put(struct money_rates *r, const char *day,
		    const char *currency, double per_eur);

/* The day of the newest rate in r, MONEY_RATES_DATE if all are bundled. */
const char *money_rates_day(const struct money_rates *r);

/* Rate i of r (0 <= i < n), for storing; -1 past the last. */
int money_rates_get(const struct money_rates *r, size_t i,
		    const char **currency, double *per_eur);

/*
 * The newest day's rates in an ECB euro reference rates file
 * (eurofxref-daily.xml or eurofxref-hist-90d.xml), only those, without
 * the bundled ones; -1 with the reason in err.
 */
int money_rates_parse_ecb(const char *xml, size_t len,
			  struct money_rates **out, char *err, size_t errlen);

/*
 * value in currency (ISO 4217; NULL is SEK) in kronor into *sek, by the
 * rates r (NULL: the bundled ones); -1 when there is no rate for the
 * currency.
 */
int money_to_sek(const struct money_rates *r, double value,
		 const char *currency, double *sek);

/* 2400000 -> "2 400 000", or "2,400,000" in English. */
int money_group(double value, int en, struct buf *out);

/*
 * An amount as a reader takes it in, appended to out. Kronor exactly,
 * "2 400 000 kr" ("SEK 2,400,000"), or with round set as said,
 * "2,4 miljoner kr" ("SEK 2.4 million"); another currency as kronor
 * rounded and then exactly as given, "ca 2,4 miljoner kr (220 000 EUR)"
 * ("about SEK 2.4 million (EUR 220,000)"), or as given alone when there
 * is no rate for it.
 */
int money_say(const struct money_rates *r, double value, const char *currency,
	      int en, int round, struct buf *out);

#endif
