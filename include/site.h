#ifndef TENDERLOTS_SITE_H
#define TENDERLOTS_SITE_H

#include <time.h>

#include "category.h"
#include "config.h"
#include "alert.h"
#include "token.h"
#include "web.h"

/*
 * The pages of the web endpoint: the public lists (RFIs, meetings,
 * notices, each also as Atom), and what a firm does through the signed
 * links in its mails: subscribe (double opt-in), confirm, manage, export
 * and delete its data, unsubscribe (RFC 8058 one-click too), stop mails
 * about one procurement, register for a meeting. Pages come from the
 * templates in templates/web/, Swedish unless ?lang=en. A site with
 * staff set serves the staff's pages instead (src/web/staff.c), on a
 * listener of its own. No GET changes
 * anything; every form carries a signed CSRF token; the forms that send
 * mail are limited per client and per recipient.
 *
 * site_handle may be called from several threads at once: each request
 * borrows a connection to the database of its own. A page only queues
 * the mail it causes; queued() wakes whoever delivers it.
 */
struct site_options {
	const struct config *cfg;
	const struct category_set *categories;
	const struct alert_templates *templates;
	const struct token_key *key;
	time_t (*now)(void);
	void (*queued)(void *arg);	/* NULL: the daemon's pass delivers */
	void *queued_arg;
	int staff;		/* the staff's pages, not the public ones */
};

struct site;

/* Loads and checks the page templates; NULL (reported) if it cannot. */
struct site *site_new(const struct site_options *o);
void site_free(struct site *s);

/* A web_handler: arg is the site. */
void site_handle(void *arg, const struct web_request *req,
		 struct web_response *res);

#endif
