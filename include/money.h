#ifndef TENDERLOTS_MONEY_H
#define TENDERLOTS_MONEY_H

#include "buf.h"

/*
 * Amounts in notices are in the buyer's currency, turnovers in kronor.
 * Other currencies become kronor through the European Central Bank's euro
 * reference rates of one day (MONEY_RATES_DATE), bundled with the
 * program: a notice's value is an estimate, so a rate some weeks old
 * sizes it well enough.
 */
#define MONEY_RATES_DATE "2026-10-06"

/*
 * value in currency (ISO 4217; NULL is SEK) in kronor into *sek; -1 when
 * there is no rate for the currency.
 */
int money_to_sek(double value, const char *currency, double *sek);

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
int money_say(double value, const char *currency, int en, int round,
	      struct buf *out);

#endif
