#ifndef TENDERLOTS_REGISTER_H
#define TENDERLOTS_REGISTER_H

#include "buf.h"
#include "category.h"
#include "store.h"

/*
 * The firm register as HTML fragments for the staff's pages, in lang
 * ("en", else Swedish), every text from the store escaped. Each runs its
 * store query and renders; the page around it is the caller's.
 */

/*
 * The firms q finds, one page, as a table; a firm's organisation number
 * links to history_base followed by it (no links when NULL). *more: a
 * next page follows. Appends to out; -1 on an error (out as it was).
 */
int register_search_html(struct store *s, const struct category_set *cs,
			 const struct firm_search *q, const char *lang,
			 const char *history_base, struct buf *out, int *more);

/*
 * One firm's history (see store_firm_history), dates local. *found 0,
 * and nothing appended, when no firm has that organisation number.
 */
int register_history_html(struct store *s, const char *orgnr,
			  const char *lang, struct buf *out, int *found);

/* The words for a history event's what ("alerted", ...) in lang. */
const char *register_event_name(const char *what, const char *lang);

#endif
