#ifndef TENDERLOTS_ALERT_H
#define TENDERLOTS_ALERT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "firm.h"
#include "money.h"
#include "store.h"
#include "template.h"
#include "token.h"

/*
 * What firms read. The wording lives in template files, one set per
 * language (sv, en) under one directory: KIND.subject, KIND.txt and
 * KIND.html for each kind of mail below, and what every mail of the
 * language shares: foot.html and foot.txt, why the firm gets the mail and
 * how to stop it. head.html, the HTML document's start, serves both. This module loads and checks
 * them, fills their fields from matches and notices, and signs the links
 * that let a firm stop or change its mails.
 */
enum alert_kind {
	ALERT_EARLY,		/* a planned procurement or an RFI */
	ALERT_TENDER,		/* a tender open for bids */
	ALERT_DIGEST,		/* a day's or week's matches */
	ALERT_CHANGE,		/* a notice the firm was told of has changed */
	ALERT_REMINDER,		/* a deadline is near */
	ALERT_MEETING,		/* an invitation to an information meeting */
	ALERT_AWARD,		/* a contract awarded (for firms that asked) */
	ALERT_CONFIRM,		/* confirm a subscription made on the web */
	ALERT_MANAGE,		/* the link to manage an existing subscription */
	ALERT_ADDRESS,		/* confirm a new address for a subscription */
	ALERT_ATTEND,		/* a registration for a meeting: confirm it,
				   its seat or place on the waiting list */
	ALERT_SURVEY,		/* after a meeting, to those who came */
	ALERT_OPENED,		/* a procurement of the unit's plan the firm
				   was told of is now announced */
	ALERT_NKINDS
};

struct alert_templates;

/*
 * Loads every template under dir and checks the fields each one uses, so
 * a mistake in a template stops the daemon at start with "file:line:", not
 * at the first mail. Every problem is reported; -1 if there was one.
 */
int alert_templates_load(const char *dir, struct alert_templates **out);
void alert_templates_free(struct alert_templates *t);

struct alert_mail {
	struct buf subject;	/* one line */
	struct buf text;
	struct buf html;
};

void alert_mail_init(struct alert_mail *m);
void alert_mail_release(struct alert_mail *m);

/*
 * Renders one kind in lang ("en", else Swedish) with the fields in v, to
 * which it adds the rendered subject as "subject" and "lang". When a part
 * does not fit its cap, why names its template, e.g. "sv/tender.subject:
 * the rendered text is longer than 4096 bytes".
 */
int alert_render(const struct alert_templates *t, enum alert_kind kind,
		 const char *lang, struct tpl_vars *v, struct alert_mail *out,
		 char *why, size_t whylen);

/*
 * Signed links to the public pages, "<public_url>/<purpose>/<token>",
 * for a firm and an object (a notice id, a meeting; "" for none); with
 * "?lang=en" when en is set, so an English mail leads to English pages.
 */
struct alert_links {
	const char *public_url;
	const struct token_key *key;
	time_t expires;
	int en;
};

/* A page of the site, public_url and path, in the links' language. */
int alert_page(const struct alert_links *l, const char *path,
	       struct buf *out);

int alert_link(const struct alert_links *l, const char *purpose,
	       int64_t firm_id, const char *object, struct buf *out);

/*
 * The fields of every mail: the service, the firm, and the links to
 * unsubscribe and to manage the subscription; a guest (id 0, at a
 * meeting only, no subscriber) has no such links.
 */
int alert_set_firm(struct tpl_vars *v, const char *service,
		   const struct alert_links *l, const struct firm *f);

/*
 * The fields of a matched lot (one item of a "lots" list): titles, the
 * lot's number, buyer and contact, deadlines, value, duration, framework
 * and SME flags, description, documents, link, why it matched, an award's
 * winners and value, its category's name, the kind flags and the link to
 * stop mails about its notice.
 */
int alert_set_lot(struct tpl_vars *v, const struct match_item *it,
		  const char *lang, const char *category_name,
		  const struct alert_links *l, const struct money_rates *rates,
		  int64_t firm_id);

/*
 * The fields of a mail about one notice at its top level, from one of its
 * matched lots: title, buyer and contact, deadline, link, the kind flag
 * and the link to stop mails about it.
 */
int alert_set_head(struct tpl_vars *v, const struct match_item *it,
		   const char *lang, const struct alert_links *l,
		   int64_t firm_id);

/*
 * How a lot is named: lot_title, its own title (none when it repeats the
 * notice's or is its id, "LOT-0001"), and lot_number, its place among the
 * notice's lots when there are several.
 */
int alert_set_lot_name(struct tpl_vars *v, const struct match_item *it);

/* A stored notice's title, buyer, link and the link to stop its mails. */
int alert_set_notice(struct tpl_vars *v, const struct stored_notice *n,
		     const struct alert_links *l, int64_t firm_id);

/*
 * The local day of t with its weekday, "fredag 11 december 2026" or
 * "Friday 11 December 2026": a date that stays true whenever the mail is
 * read, where "in 5 days" does not.
 */
int alert_set_day(struct tpl_vars *v, const char *name, time_t t,
		  const char *lang);

/* The name of a month (0 January) in lang: "mars", "March". */
const char *alert_month(int month, const char *lang);

/* A time, formatted as alert_format_time does, as the field name. */
int alert_set_time(struct tpl_vars *v, const char *name, time_t t,
		   const char *lang);

/*
 * A local time with its zone, "15 januari 2027 kl. 12:00 (CET)" or
 * "15 January 2027, 12:00 (CET)", in the zone of the TZ environment.
 */
int alert_format_time(time_t t, const char *lang, struct buf *out);

#endif
