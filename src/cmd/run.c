/*
 * The daemon and what watches it: run, status, config check and keys.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cmd.h"
#include "eforms.h"
#include "health.h"
#include "log.h"
#include "outbox.h"
#include "run.h"
#include "site.h"
#include "syndication.h"

const char usage_run[] =
	"usage: tenderlots run [--once] [-d] [-c FILE]\n"
	"\n"
	"Polls every feed when it is due, stores new notices, matches their\n"
	"lots against the firms, queues the mails they call for and delivers\n"
	"them, tells the operator of incidents, and once a day tidies the\n"
	"database. Without --once it runs until SIGINT or SIGTERM (the pass in\n"
	"hand is finished first); SIGHUP reloads the configuration, and a bad\n"
	"one is logged and the old one kept. One instance per database.\n"
	"\n"
	"  --once                 one pass over every feed, print a summary, exit\n"
	"  -d, --foreground       log to stderr, not syslog\n"
	"\n"
	"The environment variable TENDERLOTS_NOW=YYYY-MM-DDTHH:MM:SSZ fixes the\n"
	"current time, to replay a day or for reproducible tests.\n";

const char usage_status[] =
	"usage: tenderlots status\n"
	"\n"
	"Per feed the last successful poll, the last error and the notices it\n"
	"brought; the outbox's counts and last delivery; what is wrong. The\n"
	"exit status is 0 when all is well and 3 when a feed is silent or\n"
	"mails wait for another attempt, for a monitor to watch: the operator's\n"
	"mail cannot get out while the relay is what is down.\n";

const char usage_config[] =
	"usage: tenderlots config check\n"
	"       tenderlots config keys\n";

/*
 * One daemon per database: two would each take the other's mails in
 * "sending" for a crash's and send them again. The lock goes with the
 * process, however it ends.
 */
static int
lock_database(const char *db_path, int *fd)
{
	char path[PATH_MAX], pid[32];
	int n;

	snprintf(path, sizeof path, "%s.lock", db_path);
	if ((*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0)
		return error("%s: %s", path, strerror(errno));
	if (flock(*fd, LOCK_EX | LOCK_NB) < 0) {
		n = (int)read(*fd, pid, sizeof pid - 1);
		pid[n > 0 ? n : 0] = '\0';
		close(*fd);
		*fd = -1;
		return error("%s is in use by another tenderlots run (pid %s)",
			     db_path, pid[0] ? pid : "unknown");
	}
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(*fd, 0) < 0 || write(*fd, pid, (size_t)n) != n)
		log_warnx("%s: cannot record the pid", path);
	return 0;
}

/* SIGHUP: the new configuration, or the old one if the new is bad. */
static void
reload_config(struct app *app, const char *config_path)
{
	reload_requested = 0;
	if (config_load(app->cfg, config_path) < 0 || set_timezone(app->cfg) < 0)
		log_warnx("%s: not reloaded; the configuration in use stays",
			  config_path);
	else
		log_info("%s: reloaded", config_path);
}

#define MAINTENANCE_EVERY (24L * 3600)
#define RETRY_PASS 60		/* seconds after a pass the store failed */

int
cmd_run(const char *config_path, int argc, char **argv)
{
	struct app app = { 0 };
	struct eforms_parser *parser = NULL;
	struct syndication_parser *syndication = NULL;
	struct mailer *mailer = NULL;
	struct outbox *outbox = NULL;
	struct run_firms *firms = NULL;
	time_t maintained = 0;
	int once = 0, foreground = 0, lock = -1, at, rc = EXIT_ERROR;
	enum cmd_option_fault fault;
	const struct cmd_option opts[] = {
		{ .name = "--once", .flag = &once },
		{ .name = "-d", .alias = "--foreground", .flag = &foreground },
		{ 0 }
	};

	if (cmd_options(opts, argc - 1, argv + 1, &at, &fault) < 0)
		return usage_error(usage_run, "run: unknown argument '%s'",
				   argv[1 + at]);
	if (app_open(&app, config_path, APP_STORE) < 0 ||
	    lock_database(app.cfg->db_path, &lock) < 0)
		goto out;
	if (!(mailer = open_mailer(app.cfg)))
		goto out;
	if (!(parser = eforms_parser_new()) ||
	    !(syndication = syndication_parser_new())) {
		error("cannot set up the parsers");
		goto out;
	}
	if (!(outbox = outbox_new(app.store, app.cfg, &app.categories,
				  app.templates, app.key)))
		goto out;
	if (!(firms = run_firms_new())) {
		error("out of memory");
		goto out;
	}
	catch_stop_signals();
	if (!once && !foreground)
		log_to_syslog();
	for (;;) {
		struct run_summary sum = { 0 };
		struct run_context ctx = {
			.cfg = app.cfg, .categories = &app.categories,
			.store = app.store, .parser = parser,
			.syndication = syndication, .mailer = mailer,
			.outbox = outbox, .key = app.key, .all_feeds = once,
			.firms = firms,
		};
		unsigned left;

		if (current_time(&ctx.now) < 0)
			goto out;
		if (run_pass(&ctx, &sum) < 0) {
			/*
			 * The store failed (a full disk, a read-only file):
			 * each transaction was rolled back whole, so the next
			 * pass catches up once the fault is gone.
			 */
			if (once)
				goto out;
			log_warnx("pass failed; trying again in %d s", RETRY_PASS);
			for (left = RETRY_PASS; left && !stop_requested; )
				left = sleep(left);
			if (stop_requested)
				break;
			continue;
		}
		if (ctx.now - maintained >= MAINTENANCE_EVERY) {
			if (store_maintain(app.store, ctx.now, app.cfg->keep_sent,
					   app.cfg->keep_notices) < 0)
				log_warnx("database maintenance failed; next pass again");
			else
				maintained = ctx.now;
		}
		if (once) {
			run_print_summary(&sum, stdout);
			rc = sum.feeds_failed ? EXIT_ERROR : EXIT_OK;
			goto out;
		}
		log_info("pass done: %u new notices, %u matches, %u mails sent",
			 sum.in.notices_new, sum.in.matches, sum.mails_sent);
		for (left = (unsigned)run_next_due(&ctx);
		     left && !stop_requested && !reload_requested; )
			left = sleep(left);
		if (stop_requested)
			break;
		if (reload_requested)
			reload_config(&app, config_path);
	}
	log_info("stopped");
	rc = EXIT_OK;
out:
	run_firms_free(firms);
	eforms_parser_free(parser);
	syndication_parser_free(syndication);
	outbox_free(outbox);
	mailer_free(mailer);
	app_close(&app);
	if (lock >= 0)
		close(lock);
	return rc;
}

int
cmd_status(const char *config_path, int argc, char **argv)
{
	struct app app;
	time_t now;
	int rc, troubled;

	(void)argv;
	if (argc != 1)
		return usage_error(usage_status, "status: takes no arguments");
	if (current_time(&now) < 0 ||
	    app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	rc = health_print(app.store, app.cfg, now, stdout, &troubled) < 0 ?
	     EXIT_ERROR : troubled ? EXIT_TROUBLE : EXIT_OK;
	app_close(&app);
	return rc;
}

/*
 * Firms and history tied to a category key that categories.conf no
 * longer has, which no page or mail would show again: a rename without
 * renamed_from. Only a database that exists is looked at. -1 if any.
 */
static int
check_category_keys(const struct app *app)
{
	struct category_use *u = NULL;
	struct store *s = NULL;
	struct stat st;
	size_t n = 0, i;
	int rc = 0;

	if (stat(app->cfg->db_path, &st) < 0)
		return 0;
	if (store_open(app->cfg->db_path, &s) < 0 ||
	    store_category_uses(s, &u, &n) < 0) {
		store_free(s);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (!category_known_key(&app->categories, u[i].key))
			rc = error("%s: category '%s' is not there, but %lld "
				   "firm%s chose it and %lld row%s of history "
				   "name it: if it was renamed, add renamed_from "
				   "= %s to its new section", app->cfg->categories_path,
				   u[i].key, u[i].firms, u[i].firms == 1 ? "" : "s",
				   u[i].rows, u[i].rows == 1 ? "" : "s", u[i].key);
	category_uses_free(u, n);
	store_free(s);
	return rc;
}

int
cmd_config(const char *config_path, int argc, char **argv)
{
	struct site *site;
	struct app app;
	int staff;

	if (argc == 2 && strcmp(argv[1], "keys") == 0) {
		config_print_keys();
		return EXIT_OK;
	}
	if (argc != 2 || strcmp(argv[1], "check") != 0)
		return usage_error(usage_config, "config: %s", "expected check or keys");
	if (app_open(&app, config_path, APP_CONFIG) < 0)
		return EXIT_ERROR;
	/* the web pages' templates too, before `tenderlots web` finds out */
	for (staff = 0; staff <= 1; staff++) {
		if (!(site = site_new(&(struct site_options){
				.cfg = app.cfg, .staff = staff }))) {
			app_close(&app);
			return EXIT_ERROR;
		}
		site_free(site);
	}
	if (check_category_keys(&app) < 0) {
		app_close(&app);
		return EXIT_ERROR;
	}
	printf("%s: ok, %zu feed(s), %zu categories\n", config_path,
	       app.cfg->nfeeds, app.categories.n);
	app_close(&app);
	return EXIT_OK;
}
