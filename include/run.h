#ifndef TENDERLOTS_RUN_H
#define TENDERLOTS_RUN_H

#include <stdio.h>
#include <time.h>

#include "config.h"
#include "eforms.h"
#include "mailer.h"
#include "store.h"

/*
 * One pass of the daemon: poll every feed, ingest each feed's notices in
 * one transaction together with the matches they make, queue one alert
 * mail per firm, deliver what is due.
 */
struct run_summary {
	unsigned feeds;
	unsigned feeds_failed;
	unsigned notices_new;
	unsigned notices_changed;
	unsigned notices_unchanged;
	unsigned notices_rejected;
	unsigned lots;
	unsigned matches;
	unsigned mails_queued;
	unsigned mails_sent;
	unsigned mails_deferred;
	unsigned mails_failed;
};

struct run_context {
	const struct config *cfg;
	struct store *store;
	struct eforms_parser *parser;
	struct mailer *mailer;
	time_t now;
};

/* -1 only when the pass could not go on (the store failed). */
int run_pass(struct run_context *rc, struct run_summary *sum);

void run_print_summary(const struct run_summary *sum, FILE *out);

#endif
