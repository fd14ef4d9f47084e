#include <string.h>

#include "cpv.h"
#include "match.h"

int
match_kind_alerts(enum notice_kind kind)
{
	/*
	 * Award notices come too late to bid on, and change notices concern
	 * firms that already know the procurement; both are for later stages.
	 */
	return kind == NOTICE_PLANNING || kind == NOTICE_RFI ||
	       kind == NOTICE_COMPETITION;
}

/* The firm's most specific code that covers one of the lot's codes. */
static int
best_cpv(const struct firm *f, const struct lot *l, const char **firm_code,
	 const char **lot_code)
{
	size_t i, j, best = 0;

	for (i = 0; i < f->ncpv; i++)
		for (j = 0; j < l->ncpv; j++) {
			size_t sig = cpv_significant(f->cpv[i]);

			if (sig > best && cpv_covers(f->cpv[i], l->cpv[j])) {
				best = sig;
				*firm_code = f->cpv[i];
				*lot_code = l->cpv[j];
			}
		}
	return best > 0;
}

static int
overlapping_place(const struct firm *f, const struct lot *l,
		  const char **region, const char **place)
{
	size_t i, j;

	for (i = 0; i < l->nnuts; i++)
		for (j = 0; j < f->nregions; j++)
			if (nuts_overlap(f->regions[j], l->nuts[i])) {
				*region = f->regions[j];
				*place = l->nuts[i];
				return 1;
			}
	return 0;
}

static const char *
label_or_code(const char *label, const char *code)
{
	return label ? label : code;
}

int
match_lot(const struct firm *f, const struct lot *l, struct buf *reason)
{
	const char *firm_code = NULL, *lot_code = NULL, *region = NULL, *place = NULL;
	const char *lang = f->language;
	int en = lang && strcmp(lang, "en") == 0;
	int rc;

	if (!best_cpv(f, l, &firm_code, &lot_code))
		return 0;
	if (l->nnuts && !overlapping_place(f, l, &region, &place))
		return 0;
	buf_reset(reason);
	if (strcmp(firm_code, lot_code) == 0)
		rc = buf_printf(reason, en ? "CPV %s (%s) is one of your codes" :
				"CPV %s (%s) är en av era koder", lot_code,
				label_or_code(cpv_label(lot_code, lang), lot_code));
	else
		rc = buf_printf(reason, en ? "CPV %s (%s) falls under your code %s (%s)" :
				"CPV %s (%s) ingår i er kod %s (%s)", lot_code,
				label_or_code(cpv_label(lot_code, lang), lot_code),
				firm_code,
				label_or_code(cpv_label(firm_code, lang), firm_code));
	if (rc < 0)
		return -1;
	if (place && strlen(place) >= strlen(region))
		rc = buf_printf(reason, en ? "; place %s (%s) is within your region %s" :
				"; platsen %s (%s) ligger i ert område %s", place,
				label_or_code(nuts_label(place, lang), place), region);
	else if (place)
		rc = buf_printf(reason, en ? "; place %s (%s) includes your region %s" :
				"; platsen %s (%s) omfattar ert område %s", place,
				label_or_code(nuts_label(place, lang), place), region);
	else
		rc = buf_adds(reason, en ? "; no place of performance is given" :
			      "; ingen plats för utförandet anges");
	return rc < 0 ? -1 : 1;
}
