/*
 * The command line's commands, grouped in files by what they work on, and
 * what they share: the table of commands, option parsing, the opened
 * configuration and store, the clock. Private to src/cmd/ and src/main.c.
 */
#ifndef TENDERLOTS_CMD_H
#define TENDERLOTS_CMD_H

#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "alert.h"
#include "category.h"
#include "config.h"
#include "mailer.h"
#include "store.h"
#include "token.h"

#ifndef DEFAULT_CONFIG
#define DEFAULT_CONFIG "config/tenderlots.conf"
#endif

enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2, EXIT_TROUBLE = 3 };

/*
 * A command: its handler gets the configuration file and its arguments,
 * argv[0] its name, and returns the exit status. One that reads no
 * configuration gets NULL, and a -c among its arguments is its own.
 */
struct command {
	const char *name;
	int (*run)(const char *config_path, int argc, char **argv);
	const char *usage;	/* COMMAND --help, and after a usage error */
	int needs_config;
	const char *summary;	/* its lines in tenderlots --help */
};

/* The handlers and their usage, each in the file of its group. */
int cmd_run(const char *config_path, int argc, char **argv);
int cmd_status(const char *config_path, int argc, char **argv);
int cmd_config(const char *config_path, int argc, char **argv);
int cmd_inbox(const char *config_path, int argc, char **argv);
int cmd_web(const char *config_path, int argc, char **argv);
int cmd_show(const char *config_path, int argc, char **argv);
int cmd_notice(const char *config_path, int argc, char **argv);
int cmd_quarantine(const char *config_path, int argc, char **argv);
int cmd_category(const char *config_path, int argc, char **argv);
int cmd_outbox(const char *config_path, int argc, char **argv);
int cmd_firm(const char *config_path, int argc, char **argv);
int cmd_advice(const char *config_path, int argc, char **argv);
int cmd_meeting(const char *config_path, int argc, char **argv);
int cmd_rfi(const char *config_path, int argc, char **argv);
int cmd_bid(const char *config_path, int argc, char **argv);
int cmd_report(const char *config_path, int argc, char **argv);
int cmd_staff(const char *config_path, int argc, char **argv);
int cmd_plan(const char *config_path, int argc, char **argv);

extern const char usage_run[], usage_status[], usage_config[], usage_inbox[],
	usage_web[], usage_show[], usage_notice[], usage_quarantine[],
	usage_category[], usage_outbox[], usage_firm[], usage_advice[],
	usage_meeting[], usage_rfi[], usage_bid[], usage_report[],
	usage_staff[], usage_plan[];

/* The command of that name in the table of commands.c, or NULL. */
const struct command *command_find(const char *name);
void commands_usage(FILE *f);

/*
 * Prints "tenderlots: MESSAGE" and the usage (the main one for NULL) on
 * stderr; returns EXIT_USAGE.
 */
int usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int wants_help(int argc, char **argv);
int take_config_option(int *argc, char **argv, const char **config_path);

/*
 * A subcommand's words: how many argv holds with it (its name argv[1]),
 * and up to how many more; subcommand_ok says whether sub has them.
 */
struct subcommand {
	const char *name;
	int argc, more;
};

int subcommand_ok(const struct subcommand *subs, size_t n, const char *sub,
		  int argc);

/*
 * An option of a command: a flag, or one followed by a value, which may
 * have to be one of choices or a number from 1 to max.
 */
struct cmd_option {
	const char *name, *alias;
	int *flag;
	const char **value;
	const char *const *choices;	/* NULL-terminated */
	long *number;
	long max;
};

enum cmd_option_fault { OPTION_UNKNOWN, OPTION_NO_VALUE, OPTION_BAD_VALUE };

/*
 * Reads the options in argv[0..argc-1], in order; on -1, *at is the index
 * of the first at fault and *fault what is wrong, for the command to say
 * in its own words. An unknown one with nothing after it lacks a value:
 * the commands whose options all take one said so first.
 */
int cmd_options(const struct cmd_option *opts, int argc, char **argv, int *at,
		enum cmd_option_fault *fault);

/* Set by the signal handlers the daemon and the web endpoint install. */
extern volatile sig_atomic_t stop_requested, reload_requested;

void catch_stop_signals(void);

/* What most commands work on: the configuration, categories, the store. */
struct app {
	struct config *cfg;
	struct category_set categories;
	struct alert_templates *templates;
	struct store *store;
	struct token_key *key;
};

enum { APP_CONFIG = 0, APP_STORE = 1 };

int app_open(struct app *a, const char *config_path, int what);
void app_close(struct app *a);
int set_timezone(const struct config *cfg);
int current_time(time_t *now);
struct mailer *open_mailer(const struct config *cfg);

int parse_local_day(const char *s, time_t *out);
int parse_day(const char *s, time_t *out);
void print_words(char *const *v, size_t n);

#endif
