/*
 * The table of commands: tenderlots --help lists them in its order, and
 * the program finds a command's handler here.
 */
#include <string.h>

#include "cmd.h"

static const struct command commands[] = {
	{ "run", cmd_run, usage_run, 1,
	  "  run [--once] [-d]      poll feeds, ingest, match, queue and deliver mail\n" },
	{ "status", cmd_status, usage_status, 1,
	  "  status                 feeds, outbox and incidents at a glance\n" },
	{ "inbox", cmd_inbox, usage_inbox, 1,
	  "  inbox < MAIL           a bounce or an unsubscribe mail, from the MTA\n" },
	{ "web", cmd_web, usage_web, 1,
	  "  web                    the web endpoint: public pages, subscriptions,\n"
	  "                         and the staff's pages on a listener apart\n" },
	{ "show", cmd_show, usage_show, 0,
	  "  show FILE...           print notice files as JSON (no database)\n" },
	{ "firm", cmd_firm, usage_firm, 1,
	  "  firm import FILE.csv   add or update firms from a CSV file\n"
	  "  firm list              list subscribed firms\n"
	  "  firm remove ORGNR      remove a firm and everything about it\n"
	  "  firm history ORGNR     what a firm did: mailed, meetings, bids\n" },
	{ "quarantine", cmd_quarantine, usage_quarantine, 1,
	  "  quarantine list [-n N] documents refused at ingest, newest first\n" },
	{ "outbox", cmd_outbox, usage_outbox, 1,
	  "  outbox list|retry|purge the queued mails\n" },
	{ "category", cmd_category, usage_category, 1,
	  "  category list|show KEY the municipality's lot categories\n" },
	{ "notice", cmd_notice, usage_notice, 1,
	  "  notice show ID         a stored notice, its lots and category parts\n"
	  "  notice add|withdraw    the unit's own notice by its link\n" },
	{ "advice", cmd_advice, usage_advice, 1,
	  "  advice                 own procurements that could be divided\n" },
	{ "meeting", cmd_meeting, usage_meeting, 1,
	  "  meeting new|change|cancel|list|register|attended|participants\n"
	  "                         information meetings, invitations, who came\n" },
	{ "rfi", cmd_rfi, usage_rfi, 1,
	  "  rfi new|list|respond|responses|close  the unit's RFIs and answers\n" },
	{ "plan", cmd_plan, usage_plan, 1,
	  "  plan import|list|show|change|drop|link|unlink\n"
	  "                         the unit's procurement plan\n" },
	{ "bid", cmd_bid, usage_bid, 1,
	  "  bid record NOTICE ORGNR  a local firm's bid, for the report\n" },
	{ "report", cmd_report, usage_report, 1,
	  "  report [--period 2026-Q3] [--format html|csv|xlsx]\n"
	  "                         local participation per quarter\n" },
	{ "staff", cmd_staff, usage_staff, 1,
	  "  staff add|list|remove|reset  accounts of the staff's pages\n" },
	{ "config", cmd_config, usage_config, 1,
	  "  config check           load the configuration and report errors\n"
	  "  config keys            list every configuration key\n" },
};

const struct command *
command_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

void
commands_usage(FILE *f)
{
	size_t i;

	fputs("usage: tenderlots [-c FILE] COMMAND [ARGS]\n"
	      "\n"
	      "Procurement alerts for local firms: polls eForms notices, matches\n"
	      "their lots against subscribed firms and mails them.\n"
	      "\n"
	      "commands:\n", f);
	for (i = 0; i < sizeof commands / sizeof *commands; i++)
		fputs(commands[i].summary, f);
	fputs("\n"
	      "options:\n"
	      "  -c, --config FILE      configuration file (default "
	      DEFAULT_CONFIG ")\n"
	      "  -h, --help             this help; COMMAND --help for a command's\n"
	      "  -V, --version          print the version\n", f);
}
