/*
 * tenderlots: procurement-opportunity alerts for local firms.
 * The command line: one binary, one command per task, found in the table
 * of src/cmd/commands.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <libxml/parser.h>

#include "cmd/cmd.h"
#include "log.h"

#define VERSION "0.1.0"

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *config_path = DEFAULT_CONFIG;
	const struct command *cmd;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+c:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config_path = optarg;
			break;
		case 'h':
			commands_usage(stdout);
			return EXIT_OK;
		case 'V':
			puts("tenderlots " VERSION);
			return EXIT_OK;
		default:
			return usage_error(NULL, "unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage_error(NULL, "%s", "no command given");
	cmd = command_find(argv[0]);
	if ((!cmd || cmd->needs_config) &&
	    take_config_option(&argc, argv, &config_path) < 0)
		return usage_error(NULL, "%s", "-c needs a file name");
	if (strcmp(argv[0], "help") == 0) {
		commands_usage(stdout);
		return EXIT_OK;
	}
	if (!cmd)
		return usage_error(NULL, "unknown command '%s'", argv[0]);
	if (wants_help(argc, argv)) {
		fputs(cmd->usage, stdout);
		return EXIT_OK;
	}
	xmlInitParser();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return error("cannot initialise libcurl"), EXIT_ERROR;
	rc = cmd->run(cmd->needs_config ? config_path : NULL, argc, argv);
	curl_global_cleanup();
	xmlCleanupParser();
	return rc;
}
