#ifndef TENDERLOTS_MATCH_H
#define TENDERLOTS_MATCH_H

#include "buf.h"
#include "firm.h"
#include "notice.h"

/*
 * Whether a firm should hear of a lot:
 *  - industry: one of the firm's CPV codes covers one of the lot's codes
 *    (the CPV hierarchy by trailing zeros);
 *  - region: the lot has no place, or one of its NUTS places overlaps one
 *    of the firm's regions.
 * Returns 1 on a match, with the reason written into reason in the firm's
 * language; 0 when it does not match; -1 on error.
 */
int match_lot(const struct firm *f, const struct lot *l, struct buf *reason);

/* Notice kinds that are worth an early alert to a firm. */
int match_kind_alerts(enum notice_kind kind);

#endif
