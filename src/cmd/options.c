/*
 * What every command's arguments share: -c FILE anywhere among them,
 * --help, the usage after a mistake, and options read from a table.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

int
usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fputs("tenderlots: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n\n", stderr);
	if (usage)
		fputs(usage, stderr);
	else
		commands_usage(stderr);
	return EXIT_USAGE;
}

int
subcommand_ok(const struct subcommand *subs, size_t n, const char *sub,
	      int argc)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(sub, subs[i].name) == 0)
			return argc >= subs[i].argc &&
			       argc <= subs[i].argc + subs[i].more;
	return 0;
}

int
wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

/*
 * A command's own arguments may carry -c FILE too (tenderlots run --once
 * -c FILE); takes it out so the command sees only its arguments.
 */
int
take_config_option(int *argc, char **argv, const char **config_path)
{
	int i = 1;

	while (i < *argc) {
		const char *a = argv[i];

		if (strncmp(a, "--config=", 9) == 0) {
			*config_path = a + 9;
			memmove(&argv[i], &argv[i + 1], (size_t)(*argc - i) * sizeof *argv);
			(*argc)--;
		} else if (strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0) {
			if (i + 1 >= *argc)
				return -1;
			*config_path = argv[i + 1];
			memmove(&argv[i], &argv[i + 2],
				(size_t)(*argc - i - 1) * sizeof *argv);
			*argc -= 2;
		} else {
			i++;
		}
	}
	return 0;
}

static const struct cmd_option *
option_find(const struct cmd_option *opts, const char *arg)
{
	for (; opts->name; opts++)
		if (strcmp(opts->name, arg) == 0 ||
		    (opts->alias && strcmp(opts->alias, arg) == 0))
			return opts;
	return NULL;
}

static int
option_value(const struct cmd_option *o, const char *val)
{
	const char *const *c;
	char *end;
	long n;

	if (o->choices) {
		for (c = o->choices; *c && strcmp(*c, val) != 0; c++)
			;
		if (!*c)
			return -1;
	}
	if (o->number) {
		n = strtol(val, &end, 10);
		if (*end || n < 1 || n > o->max)
			return -1;
		*o->number = n;
	}
	if (o->value)
		*o->value = val;
	return 0;
}

int
cmd_options(const struct cmd_option *opts, int argc, char **argv, int *at,
	    enum cmd_option_fault *fault)
{
	const struct cmd_option *o;
	int i;

	for (i = 0; i < argc; i++) {
		*at = i;
		if (!(o = option_find(opts, argv[i]))) {
			*fault = i + 1 < argc ? OPTION_UNKNOWN : OPTION_NO_VALUE;
			return -1;
		}
		if (o->flag) {
			*o->flag = 1;
			continue;
		}
		if (++i >= argc) {
			*fault = OPTION_NO_VALUE;
			return -1;
		}
		if (option_value(o, argv[i]) < 0) {
			*fault = OPTION_BAD_VALUE;
			return -1;
		}
	}
	return 0;
}
