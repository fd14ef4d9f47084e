#ifndef TENDERLOTS_RUN_H
#define TENDERLOTS_RUN_H

#include <stdio.h>
#include <time.h>

#include "category.h"
#include "config.h"
#include "eforms.h"
#include "ingest.h"
#include "mailer.h"
#include "outbox.h"
#include "store.h"
#include "syndication.h"

/*
 * One pass of the daemon: poll the feeds that are due, ingest what they
 * bring in batches together with the matches they make, queue the mails
 * they call for (alerts and digests, changes, deadline reminders), deliver
 * what is due. One failing feed never stops the
 * others: it is tried again after a backoff.
 */
struct run_summary {
	unsigned feeds;		/* polled */
	unsigned feeds_failed;
	unsigned feeds_waiting;	/* not due yet */
	struct ingest_counts in;
	unsigned mails_queued;
	unsigned mails_sent;
	unsigned mails_deferred;
	unsigned mails_failed;
	unsigned operator_mails;	/* incidents that began or ended */
};

/*
 * The firms and their match index, kept from one pass to the next by
 * the daemon and loaded again only when the store says the firms changed
 * (store_firms_generation). run_firms_loads counts the loads.
 */
struct run_firms;

struct run_firms *run_firms_new(void);
void run_firms_free(struct run_firms *rf);
unsigned run_firms_loads(const struct run_firms *rf);

struct run_context {
	const struct config *cfg;
	const struct category_set *categories;
	struct store *store;
	struct eforms_parser *parser;
	struct syndication_parser *syndication;
	struct mailer *mailer;
	struct outbox *outbox;
	const struct token_key *key;	/* checks the tags of what comes back */
	time_t now;
	int all_feeds;		/* poll every feed, due or not (run --once) */
	struct run_firms *firms;	/* kept between passes; NULL: loaded
					   for the pass alone */
};

/* The start of the daemon's name as the owner of a message it sends. */
#define RUN_SENDER "run:"

/* -1 only when the pass could not go on (the store failed). */
int run_pass(struct run_context *rc, struct run_summary *sum);

void run_print_summary(const struct run_summary *sum, FILE *out);

/* Seconds until the next feed is due, at least 1. */
long run_next_due(struct run_context *rc);

#endif
