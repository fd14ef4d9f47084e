/*
 * tenderlots: procurement-opportunity alerts for local firms.
 * The command line: one binary, one subcommand per task.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/file.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <libxml/parser.h>

#include "advice.h"
#include "alert.h"
#include "category.h"
#include "config.h"
#include "courier.h"
#include "cpv.h"
#include "eforms.h"
#include "fetch.h"
#include "firm.h"
#include "log.h"
#include "match.h"
#include "meeting.h"
#include "participation.h"
#include "report.h"
#include "health.h"
#include "inbox.h"
#include "site.h"
#include "form.h"
#include "web.h"
#include "rfi.h"
#include "ingest.h"
#include "stats.h"
#include "mailer.h"
#include "run.h"
#include "store.h"
#include "syndication.h"
#include "token.h"
#include "utf8.h"

#ifndef DEFAULT_CONFIG
#define DEFAULT_CONFIG "config/tenderlots.conf"
#endif
#define VERSION "0.1.0"
#define SHOW_MAX_BYTES (64u * 1024u * 1024u)

enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2, EXIT_TROUBLE = 3 };

static volatile sig_atomic_t stop_requested, reload_requested;

static void
on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void
on_reload_signal(int sig)
{
	(void)sig;
	reload_requested = 1;
}

static const char usage_main[] =
	"usage: tenderlots [-c FILE] COMMAND [ARGS]\n"
	"\n"
	"Procurement alerts for local firms: polls eForms notices, matches\n"
	"their lots against subscribed firms and mails them.\n"
	"\n"
	"commands:\n"
	"  run [--once] [-d]      poll feeds, ingest, match, queue and deliver mail\n"
	"  status                 feeds, outbox and incidents at a glance\n"
	"  inbox < MAIL           a bounce or an unsubscribe mail, from the MTA\n"
	"  web                    the web endpoint: public pages, subscriptions\n"
	"  show FILE...           print notice files as JSON (no database)\n"
	"  firm import FILE.csv   add or update firms from a CSV file\n"
	"  firm list              list subscribed firms\n"
	"  firm remove ORGNR      remove a firm and everything about it\n"
	"  quarantine list [-n N] documents refused at ingest, newest first\n"
	"  outbox list|retry|purge the queued mails\n"
	"  category list|show KEY the municipality's lot categories\n"
	"  notice show ID         a stored notice, its lots and category parts\n"
	"  advice                 own procurements that could be divided\n"
	"  meeting new|change|cancel|list|register|attended|participants\n"
	"                         information meetings, invitations, who came\n"
	"  rfi new|list|respond|responses|close  the unit's RFIs and answers\n"
	"  bid record NOTICE ORGNR  a local firm's bid, for the report\n"
	"  report [--format html|csv]  local participation per quarter\n"
	"  config check           load the configuration and report errors\n"
	"  config keys            list every configuration key\n"
	"\n"
	"options:\n"
	"  -c, --config FILE      configuration file (default " DEFAULT_CONFIG ")\n"
	"  -h, --help             this help; COMMAND --help for a command's\n"
	"  -V, --version          print the version\n";

static const char usage_run[] =
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

static const char usage_inbox[] =
	"usage: tenderlots inbox < MAIL\n"
	"\n"
	"Reads one mail that came back to [mail] bounce_address's tags, for an\n"
	"MTA to pipe into: a bounce (a hard one stops mail to the address), or\n"
	"a request to unsubscribe by mail. A mail without a valid tag changes\n"
	"nothing and is logged. Exit status 0 when it was read, whatever it\n"
	"said; 75 (EX_TEMPFAIL) when it could not be recorded, so the MTA\n"
	"tries again later.\n";

static const char usage_show[] =
	"usage: tenderlots show FILE...\n"
	"\n"
	"Parses eForms notice files and prints them as a JSON array of\n"
	"normalized notices, without touching the database. A file that is\n"
	"not a valid notice is reported on stderr and the exit status is 1.\n";

static const char usage_firm[] =
	"usage: tenderlots firm import FILE.csv\n"
	"       tenderlots firm list\n"
	"       tenderlots firm remove ORGNR\n"
	"\n"
	"The CSV file has a header line naming its columns: orgnr, name, email,\n"
	"cpv, regions (required: orgnr, name, email, cpv, regions), language\n"
	"(sv or en), employees, turnover, abroad (yes or no). An import is all or nothing: any bad\n"
	"line is reported as FILE:LINE: message and nothing is stored.\n";

static const char usage_quarantine[] =
	"usage: tenderlots quarantine list [-n N]\n"
	"\n"
	"Lists the documents that were refused at ingest (malformed XML, not\n"
	"eForms, a required field missing, too large, a DOCTYPE or entities),\n"
	"newest first, with their source, the reason and their first bytes.\n"
	"  -n N                   at most N documents (default 50)\n";

static const char usage_category[] =
	"usage: tenderlots category list\n"
	"       tenderlots category show KEY\n"
	"\n"
	"The municipality's lot categories (config/categories.conf): names,\n"
	"CPV codes, the value band for small firms and whether large tenders\n"
	"should be divided for them.\n";

static const char usage_notice[] =
	"usage: tenderlots notice show ID\n"
	"\n"
	"A stored notice (its current version) with its lots and the category\n"
	"parts each lot was split into.\n";

static const char usage_advice[] =
	"usage: tenderlots advice\n"
	"\n"
	"Split advice for the procurement unit: the municipality's own planned\n"
	"procurements, RFIs and contract notices ([service] own_buyers) that\n"
	"have one lot while spanning several categories to be divided, or\n"
	"exceeding the value band of their category, with the value per\n"
	"category where known and how many subscribed firms fit each part.\n";

static const char usage_outbox[] =
	"usage: tenderlots outbox list [--state pending|sending|sent|failed] [-n N]\n"
	"       tenderlots outbox retry ID\n"
	"       tenderlots outbox purge --sent-before YYYY-MM-DD\n"
	"\n"
	"The queued mails: list shows the newest first with their state,\n"
	"attempts and last server reply, or why one could not be built;\n"
	"retry sends a failed or waiting message at the next delivery (not\n"
	"one that was never built: it has no text); purge drops the text of\n"
	"mails sent before a day (local time) and keeps their record, so\n"
	"none is sent again.\n";

static const char usage_meeting[] =
	"usage: tenderlots meeting new FILE\n"
	"       tenderlots meeting change ID FILE\n"
	"       tenderlots meeting cancel ID\n"
	"       tenderlots meeting list\n"
	"       tenderlots meeting register|unregister ID ORGNR...\n"
	"       tenderlots meeting attended ID ORGNR... | --file FILE.csv\n"
	"       tenderlots meeting participants ID\n"
	"\n"
	"Information meetings (config/meeting.example.conf shows a file):\n"
	"new publishes one, and the next run invites every firm matched to\n"
	"its notice or subscribed to its category, with a calendar file;\n"
	"change replaces its details and cancel cancels it, and the firms\n"
	"invited get an update or a cancellation; list shows those ahead.\n"
	"register records a firm's registration (within the capacity and\n"
	"the registration deadline); those registered get a reminder the\n"
	"day before. attended records who came, from the command line or a\n"
	"file with one organisation number a line.\n";

static const char usage_rfi[] =
	"usage: tenderlots rfi new FILE\n"
	"       tenderlots rfi list\n"
	"       tenderlots rfi respond ID ORGNR... | --file FILE.csv\n"
	"       tenderlots rfi responses ID\n"
	"       tenderlots rfi close ID\n"
	"\n"
	"Requests for information (market dialogue). new publishes one of the\n"
	"unit's own (config/rfi.example.conf shows a file): it is matched like\n"
	"any RFI notice and the next run mails the firms it fits. list shows\n"
	"the open RFIs, the unit's and those of other buyers; respond records\n"
	"which firms answered, responses lists them; close ends one of the\n"
	"unit's own RFIs: no more answers are expected and no reminders go.\n";

static const char usage_status[] =
	"usage: tenderlots status\n"
	"\n"
	"Per feed the last successful poll, the last error and the notices it\n"
	"brought; the outbox's counts and last delivery; what is wrong. The\n"
	"exit status is 0 when all is well and 3 when a feed is silent or\n"
	"mails wait for another attempt, for a monitor to watch: the operator's\n"
	"mail cannot get out while the relay is what is down.\n";

static const char usage_web[] =
	"usage: tenderlots web\n"
	"\n"
	"Serves the public pages and the pages the links in mails lead to\n"
	"(subscribe, confirm, manage, unsubscribe, stop, RSVP) on [web]\n"
	"listen and port, 127.0.0.1:8080 by default: put a reverse proxy\n"
	"with TLS in front and name it in [web] trusted_proxies (the README\n"
	"shows nginx). Runs until SIGTERM.\n";

static const char usage_bid[] =
	"usage: tenderlots bid record NOTICE ORGNR [--on YYYY-MM-DD]\n"
	"\n"
	"Records that a registered firm bid in a procurement (the firm told\n"
	"the unit, or the tender opening shows it), for the report.\n";

static const char usage_report[] =
	"usage: tenderlots report [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
	"                         [--format html|csv] [--lang sv|en] [-o FILE]\n"
	"\n"
	"Local participation per category and quarter for the business\n"
	"development unit: notices, lots, large procurements divided into\n"
	"lots, firms subscribed, alerted, at meetings, answering RFIs,\n"
	"bidding and winning, lead times and meetings. Only aggregate\n"
	"figures. By default the four quarters before the current one and\n"
	"the current one through today, as one HTML file with charts on\n"
	"stdout. --to is the first day not counted.\n";

static const char usage_config[] =
	"usage: tenderlots config check\n"
	"       tenderlots config keys\n";

static int
wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

static int usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fputs("tenderlots: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n\n", stderr);
	fputs(usage, stderr);
	return EXIT_USAGE;
}

/*
 * A command's own arguments may carry -c FILE too (tenderlots run --once
 * -c FILE); takes it out so the command sees only its arguments.
 */
static int
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

/* The current time, or TENDERLOTS_NOW when a run must be reproducible. */
static int
current_time(time_t *now)
{
	const char *fixed = getenv("TENDERLOTS_NOW");
	struct tm tm;
	int used = 0;

	if (!fixed || !*fixed) {
		*now = time(NULL);
		return 0;
	}
	memset(&tm, 0, sizeof tm);
	if (sscanf(fixed, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &used) != 6 ||
	    fixed[used] != '\0' || tm.tm_mon < 1 || tm.tm_mon > 12 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60)
		return error("TENDERLOTS_NOW: '%s' is not YYYY-MM-DDTHH:MM:SSZ", fixed);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*now = timegm(&tm);
	return 0;
}

/*
 * Times shown to people are local times of the configured zone. glibc
 * silently falls back to UTC for an unknown zone, which would shift every
 * deadline in every mail, so a named zone must exist.
 */
static int
set_timezone(const struct config *cfg)
{
	const char *tzdir = getenv("TZDIR");
	char path[1024];
	struct stat st;

	if (strchr(cfg->timezone, '/')) {
		if (strstr(cfg->timezone, ".."))
			return error("%s: [service] timezone: '%s' is not a zone name",
				     cfg->path, cfg->timezone);
		snprintf(path, sizeof path, "%s/%s",
			 tzdir && *tzdir ? tzdir : "/usr/share/zoneinfo",
			 cfg->timezone);
		if (stat(path, &st) < 0)
			return error("%s: [service] timezone: %s: %s (is tzdata "
				     "installed?)", cfg->path, path, strerror(errno));
	}
	if (setenv("TZ", cfg->timezone, 1) < 0)
		return error("setenv TZ: %s", strerror(errno));
	tzset();
	return 0;
}

/* What most commands work on: the configuration, categories, the store. */
struct app {
	struct config *cfg;
	struct category_set categories;
	struct alert_templates *templates;
	struct store *store;
	struct token_key *key;
};

enum { APP_CONFIG = 0, APP_STORE = 1 };

static void
app_close(struct app *a)
{
	store_free(a->store);
	token_key_free(a->key);
	alert_templates_free(a->templates);
	category_set_release(&a->categories);
	config_free(a->cfg);
	memset(a, 0, sizeof *a);
}

/* Creates the directory that will hold the database, as for the Maildir. */
static int
ensure_parent_dir(const char *path)
{
	char *copy = strdup(path), *p;
	int rc = 0;

	if (!copy)
		return error("out of memory");
	for (p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0750) < 0 && errno != EEXIST) {
			rc = error("%s: %s", copy, strerror(errno));
			break;
		}
		*p = '/';
	}
	free(copy);
	return rc;
}

static int
app_open(struct app *a, const char *config_path, int what)
{
	memset(a, 0, sizeof *a);
	if (!(a->cfg = config_new()))
		return error("out of memory");
	if (config_load(a->cfg, config_path) < 0 || set_timezone(a->cfg) < 0 ||
	    category_load(a->cfg->categories_path, &a->categories) < 0 ||
	    alert_templates_load(a->cfg->templates_dir, &a->templates) < 0)
		goto fail;
	if (what == APP_STORE && (ensure_parent_dir(a->cfg->db_path) < 0 ||
				  store_open(a->cfg->db_path, &a->store) < 0 ||
				  token_key_load(a->cfg->secret_file, &a->key) < 0))
		goto fail;
	return 0;
fail:
	app_close(a);
	return -1;
}

/* The mailer the configuration asks for, with its AUTH secret if any. */
static struct mailer *
open_mailer(const struct config *cfg)
{
	char *user = NULL, *password = NULL;
	struct mailer *m = NULL;

	if (cfg->transport == TRANSPORT_SMTP && cfg->smtp_auth_file &&
	    mailer_read_auth_file(cfg->smtp_auth_file, &user, &password) < 0)
		return NULL;
	{
		struct mailer_options mo = {
			.transport = cfg->transport,
			.maildir = cfg->maildir,
			.host = cfg->smtp_host,
			.port = cfg->smtp_port,
			.starttls = cfg->starttls,
			.user = user,
			.password = password,
			.timeout = cfg->smtp_timeout,
		};

		m = mailer_new(&mo);
	}
	free(user);
	if (password) {
		/* The secret should not linger in freed memory. */
		explicit_bzero(password, strlen(password));
		free(password);
	}
	return m;
}

/* The signals that end the daemon and the web endpoint cleanly. */
static void
catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_reload_signal;
	sigaction(SIGHUP, &sa, NULL);
	/* a peer closing early must give EPIPE, not kill the process, and
	 * a file size limit must give EFBIG, which the store reports */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGXFSZ, &sa, NULL);
}

/*
 * The courier looks for mails the relay put back this often, when no page
 * wakes it.
 */
#define COURIER_IDLE_POLL 15

/* The web endpoint's clock; TENDERLOTS_NOW was checked at start. */
static time_t
web_clock(void)
{
	time_t now;

	return current_time(&now) == 0 ? now : time(NULL);
}

static int
cmd_web(const char *config_path, int argc, char **argv)
{
	struct courier *courier = NULL;
	struct mailer *mailer;
	struct site *site = NULL;
	struct web *web = NULL;
	sigset_t stop_signals, waiting;
	struct app app;
	time_t now;
	int rc = EXIT_ERROR;

	if (argc != 1)
		return usage_error(usage_web, "web: takes no arguments");
	if (current_time(&now) < 0 ||
	    app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	if (!(mailer = open_mailer(app.cfg)))
		goto out;
	{
		struct courier_options co = {
			.cfg = app.cfg, .mailer = mailer, .now = web_clock,
			.idle_poll = COURIER_IDLE_POLL,
		};
		struct site_options so = {
			.cfg = app.cfg, .categories = &app.categories,
			.templates = app.templates, .key = app.key,
			.now = web_clock, .queued = courier_wake,
		};
		struct web_options wo = {
			.address = app.cfg->web_listen,
			.port = (int)app.cfg->web_port,
			.max_body = FORM_MAX_BODY,
			.max_uri = 2048,
			.threads = (unsigned)app.cfg->web_threads,
			.trusted_proxies = app.cfg->web_trusted_proxies,
		};

		/*
		 * The server's thread inherits a mask that blocks the stop
		 * signals, so they reach this thread, waiting for them in
		 * sigsuspend; pause() here could sleep on while the other
		 * thread took the signal.
		 */
		sigemptyset(&stop_signals);
		sigaddset(&stop_signals, SIGINT);
		sigaddset(&stop_signals, SIGTERM);
		sigaddset(&stop_signals, SIGHUP);
		catch_stop_signals();
		sigprocmask(SIG_BLOCK, &stop_signals, &waiting);
		if (courier_start(&co, &courier) < 0)
			goto out;
		so.queued_arg = courier;
		if (!(site = site_new(&so)) ||
		    !(web = web_start(&wo, site_handle, site)))
			goto out;
		printf(strchr(wo.address, ':') ? "listening on http://[%s]:%d/\n" :
		       "listening on http://%s:%d/\n", wo.address, web_port(web));
		fflush(stdout);
	}
	while (!stop_requested)
		sigsuspend(&waiting);
	rc = EXIT_OK;
out:
	web_stop(web);
	site_free(site);
	courier_stop(courier);
	app_close(&app);
	return rc;
}

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

static int
cmd_run(const char *config_path, int argc, char **argv)
{
	struct app app = { 0 };
	struct eforms_parser *parser = NULL;
	struct syndication_parser *syndication = NULL;
	struct mailer *mailer = NULL;
	struct outbox *outbox = NULL;
	time_t maintained = 0;
	int once = 0, foreground = 0, lock = -1, i, rc = EXIT_ERROR;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--once") == 0)
			once = 1;
		else if (strcmp(argv[i], "-d") == 0 ||
			 strcmp(argv[i], "--foreground") == 0)
			foreground = 1;
		else
			return usage_error(usage_run, "run: unknown argument '%s'", argv[i]);
	}
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
			if (store_maintain(app.store, ctx.now - app.cfg->keep_sent) < 0)
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
	eforms_parser_free(parser);
	syndication_parser_free(syndication);
	outbox_free(outbox);
	mailer_free(mailer);
	app_close(&app);
	if (lock >= 0)
		close(lock);
	return rc;
}

static int
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

static int
cmd_inbox(const char *config_path, int argc, char **argv)
{
	struct app app;
	struct outbox *outbox = NULL;
	enum inbox_result r;
	struct buf mail;
	time_t now;
	int rc = EX_TEMPFAIL;

	(void)argv;
	if (argc != 1)
		return usage_error(usage_inbox, "inbox: takes no arguments");
	buf_init(&mail, INBOX_READ_MAX);
	/* the whole mail is read first: the MTA must not see a broken pipe */
	if (inbox_read_fd(STDIN_FILENO, &mail) < 0) {
		error("inbox: reading the mail: %s", strerror(errno));
		buf_release(&mail);
		return EX_TEMPFAIL;
	}
	if (current_time(&now) < 0 ||
	    app_open(&app, config_path, APP_STORE) < 0) {
		buf_release(&mail);
		return EX_TEMPFAIL;
	}
	if ((outbox = outbox_new(app.store, app.cfg, &app.categories,
				 app.templates, app.key)) &&
	    inbox_handle(app.store, app.key, outbox_base(outbox),
			 buf_str(&mail), mail.len, now, &r) == 0)
		rc = EXIT_OK;
	outbox_free(outbox);
	app_close(&app);
	buf_release(&mail);
	return rc;
}

static int
cmd_show(int argc, char **argv)
{
	struct fetch_options fo = { .timeout = 0, .max_bytes = SHOW_MAX_BYTES };
	struct eforms_parser *parser;
	struct buf doc, json;
	char err[512];
	int i, printed = 0, rc = EXIT_OK;

	if (argc < 2)
		return usage_error(usage_show, "show: no files given");
	if (!(parser = eforms_parser_new()))
		return error("cannot set up the eForms parser"), EXIT_ERROR;
	buf_init(&doc, SHOW_MAX_BYTES);
	buf_init(&json, 0);
	fputs("[", stdout);
	for (i = 1; i < argc; i++) {
		struct notice *n = NULL;

		if (fetch_file(argv[i], &fo, &doc, err, sizeof err) < 0 ||
		    eforms_parse(parser, buf_str(&doc), doc.len, &n, err, sizeof err) < 0) {
			fprintf(stderr, "tenderlots: %s: %s\n", argv[i], err);
			rc = EXIT_ERROR;
			continue;
		}
		buf_reset(&json);
		if (notice_to_json(n, &json) < 0) {
			error("%s: cannot format the notice as JSON", argv[i]);
			rc = EXIT_ERROR;
		} else {
			printf("%s\n%s", printed++ ? "," : "", buf_str(&json));
		}
		notice_free(n);
	}
	puts(printed ? "\n]" : "]");
	buf_release(&doc);
	buf_release(&json);
	eforms_parser_free(parser);
	return rc;
}

static int
firm_import(struct app *app, const char *path)
{
	struct store *store = app->store;
	struct fetch_options fo = { .timeout = 0, .max_bytes = 64u * 1024u * 1024u };
	struct firm_list firms = { 0 };
	char err[256], source[1100];
	unsigned created = 0, updated = 0, bad = 0;
	struct buf data;
	time_t now;
	size_t i;
	int c, rc = -1;

	buf_init(&data, fo.max_bytes);
	if (fetch_file(path, &fo, &data, err, sizeof err) < 0) {
		error("%s: %s", path, err);
		goto out;
	}
	if (firm_csv_parse(buf_str(&data), data.len, path, &app->categories,
			   &firms, &bad) < 0) {
		error("%s: nothing imported", path);
		goto out;
	}
	snprintf(source, sizeof source, "import:%s", path);
	if (current_time(&now) < 0 || store_begin(store) < 0)
		goto out;
	for (i = 0; i < firms.n; i++) {
		if (store_put_firm(store, firms.v[i], source, now, &c) < 0) {
			store_rollback(store);
			goto out;
		}
		if (c)
			created++;
		else
			updated++;
	}
	if (store_commit(store) < 0) {
		store_rollback(store);
		goto out;
	}
	printf("%s: %u firms imported (%u new, %u updated)", path,
	       created + updated, created, updated);
	if (bad)
		printf(", %u bad row%s skipped", bad, bad == 1 ? "" : "s");
	putchar('\n');
	/* The good rows are kept; the status still tells a script to look. */
	rc = bad ? -1 : 0;
out:
	firm_list_release(&firms);
	buf_release(&data);
	return rc;
}

static void
print_words(char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%s%s", i ? " " : "", v[i]);
}

/* Why the firm gets no mail, and what mends it. */
static void
print_bounced(const struct firm *f)
{
	char day[16];
	struct tm tm;

	localtime_r(&f->bounced_at, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	printf("  mail to this address bounced on %s: %s; change the address\n",
	       day, f->bounce_reason ? f->bounce_reason : "");
}

static int
firm_list(struct store *store)
{
	struct firm_list firms = { 0 };
	size_t i;

	if (store_load_firms(store, &firms) < 0)
		return -1;
	printf("%-11s  %-36s  %-36s  %-4s  %-11s  %s\n", "orgnr", "name",
	       "email", "lang", "frequency", "categories / cpv / regions");
	for (i = 0; i < firms.n; i++) {
		const struct firm *f = firms.v[i];

		printf("%-11s  %-36s  %-36s  %-4s  %-11s  ", f->orgnr, f->name,
		       f->email, f->language, firm_frequency_name(f->frequency));
		print_words(f->categories, f->ncategories);
		fputs(" / ", stdout);
		print_words(f->cpv, f->ncpv);
		fputs(" / ", stdout);
		print_words(f->regions, f->nregions);
		fputs(f->abroad ? " abroad\n" : "\n", stdout);
		if (f->bounced_at)
			print_bounced(f);
	}
	printf("%zu firms\n", firms.n);
	firm_list_release(&firms);
	return 0;
}

static int
firm_remove(struct store *store, const char *arg)
{
	char orgnr[12];
	int found;

	if (orgnr_normalize(arg, orgnr) < 0)
		return error("'%s' is not a valid organisation number", arg);
	if (store_remove_firm(store, orgnr, &found) < 0)
		return -1;
	if (!found)
		return error("no firm with organisation number %s", orgnr);
	printf("removed %s and its matches and mails\n", orgnr);
	return 0;
}

static int
cmd_firm(const char *config_path, int argc, char **argv)
{
	struct app app;
	const char *sub = argc > 1 ? argv[1] : NULL;
	int r;

	if (!sub)
		return usage_error(usage_firm, "firm: %s", "missing subcommand");
	if (!((strcmp(sub, "import") == 0 && argc == 3) ||
	      (strcmp(sub, "list") == 0 && argc == 2) ||
	      (strcmp(sub, "remove") == 0 && argc == 3)))
		return usage_error(usage_firm, "firm: bad arguments to '%s'", sub);
	if (app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	if (strcmp(sub, "import") == 0)
		r = firm_import(&app, argv[2]);
	else if (strcmp(sub, "list") == 0)
		r = firm_list(app.store);
	else
		r = firm_remove(app.store, argv[2]);
	app_close(&app);
	return r < 0 ? EXIT_ERROR : EXIT_OK;
}

/* The first bytes of a refused document, on one line, control bytes shown. */
static void
print_head(const char *head, size_t len)
{
	size_t i;

	fputs("    ", stdout);
	for (i = 0; i < len && i < 160; i++) {
		unsigned char c = (unsigned char)head[i];

		if (c == '\n' || c == '\r' || c == '\t')
			putchar(' ');
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('\n');
}

static int
cmd_quarantine(const char *config_path, int argc, char **argv)
{
	struct app app = { 0 };
	struct quarantined *q = NULL;
	char when[32], *end;
	size_t n = 0, i;
	long limit = 50;
	int rc = EXIT_ERROR;

	if (argc == 4 && strcmp(argv[2], "-n") == 0) {
		limit = strtol(argv[3], &end, 10);
		if (*end || limit < 1 || limit > 100000)
			return usage_error(usage_quarantine, "quarantine: -n takes "
					   "a number from 1 to 100000");
	} else if (argc != 2) {
		return usage_error(usage_quarantine, "quarantine: bad arguments");
	}
	if (strcmp(argv[1], "list") != 0)
		return usage_error(usage_quarantine, "quarantine: unknown "
				   "subcommand '%s'", argv[1]);
	if (app_open(&app, config_path, APP_STORE) < 0 ||
	    store_quarantine_list(app.store, (size_t)limit, &q, &n) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		struct tm tm;

		localtime_r(&q[i].last_seen, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M %Z", &tm);
		printf("%s  feed %s  %lld bytes  seen %ld time%s\n  %s\n  %s\n",
		       when, q[i].feed, q[i].size, q[i].times,
		       q[i].times == 1 ? "" : "s", q[i].source, q[i].reason);
		print_head(q[i].head, q[i].head_len);
	}
	printf("%zu document%s in quarantine\n", n, n == 1 ? "" : "s");
	rc = EXIT_OK;
out:
	quarantined_free(q, n);
	app_close(&app);
	return rc;
}

static void
print_band(const struct category *c)
{
	if (c->value_max > 0)
		printf("%.1f-%.1f MSEK", c->value_min / 1e6, c->value_max / 1e6);
	else
		fputs("-", stdout);
}

static int
cmd_category(const char *config_path, int argc, char **argv)
{
	const struct category *c;
	struct app app;
	size_t i;

	if (!(argc == 2 && strcmp(argv[1], "list") == 0) &&
	    !(argc == 3 && strcmp(argv[1], "show") == 0))
		return usage_error(usage_category, "category: expected list or "
				   "show KEY");
	if (app_open(&app, config_path, APP_CONFIG) < 0)
		return EXIT_ERROR;
	if (argc == 2) {
		printf("%-20s  %-32s  %-5s  %-14s  %s\n", "key", "name", "split",
		       "value band", "cpv");
		for (i = 0; i < app.categories.n; i++) {
			c = &app.categories.v[i];
			printf("%-20s  %-32s  %-5s  ", c->key, c->name_sv,
			       c->split ? "yes" : "no");
			print_band(c);
			fputs("  ", stdout);
			print_words(c->cpv, c->ncpv);
			putchar('\n');
		}
		printf("%zu categories\n", app.categories.n);
		app_close(&app);
		return EXIT_OK;
	}
	if (!(c = category_find(&app.categories, argv[2]))) {
		error("no category '%s' (see tenderlots category list)", argv[2]);
		app_close(&app);
		return EXIT_ERROR;
	}
	printf("%s\n  sv: %s\n  en: %s\n  split: %s\n  value band: ", c->key,
	       c->name_sv, c->name_en, c->split ? "yes" : "no");
	print_band(c);
	putchar('\n');
	for (i = 0; i < c->ncpv; i++)
		printf("  %s  %s\n", c->cpv[i], cpv_label(c->cpv[i], "sv"));
	app_close(&app);
	return EXIT_OK;
}

static void
print_local_time(time_t t)
{
	char when[64];
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M %Z", &tm);
	fputs(when, stdout);
}

static int
cmd_notice(const char *config_path, int argc, char **argv)
{
	struct stored_notice *n = NULL;
	struct app app;
	size_t i, j;
	int rc = EXIT_ERROR;

	if (argc != 3 || strcmp(argv[1], "show") != 0)
		return usage_error(usage_notice, "notice: expected show ID");
	if (app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	if (store_get_notice(app.store, argv[2], &n) < 0)
		goto out;
	if (!n) {
		error("no notice '%s' in the store", argv[2]);
		goto out;
	}
	printf("%s\n  %s %s, version %s, %s\n  buyer: %s%s%s%s\n  published: %s\n",
	       n->title, n->kind, n->subtype, n->version, n->notice_id,
	       n->buyer ? n->buyer : "?", n->buyer_id ? " (" : "",
	       n->buyer_id ? n->buyer_id : "", n->buyer_id ? ")" : "", n->published);
	if (n->has_deadline) {
		fputs("  deadline: ", stdout);
		print_local_time(n->deadline);
		putchar('\n');
	}
	if (n->url)
		printf("  %s\n", n->url);
	for (i = 0; i < n->nlots; i++) {
		const struct stored_lot *l = &n->lots[i];

		printf("  %s  %s\n    cpv %s", l->lot_id, l->title ? l->title : "",
		       l->cpv);
		if (l->has_value)
			printf(", value %.0f %s", l->value, l->currency ? l->currency : "");
		putchar('\n');
		for (j = 0; j < l->nparts; j++) {
			const struct stored_part *p = &l->parts[j];
			const struct category *c = p->category ?
				category_find(&app.categories, p->category) : NULL;

			const char *name = c ? c->name_sv : p->category ?
					   p->category : "(no category)";
			int width = (int)utf8_width(name);

			printf("    part %s%*s cpv %s%s\n", name,
			       width < 24 ? 24 - width : 0, "", p->cpv,
			       p->has_value ? "" : ", value unknown");
		}
	}
	rc = EXIT_OK;
out:
	stored_notice_free(n);
	app_close(&app);
	return rc;
}

static int
cmd_advice(const char *config_path, int argc, char **argv)
{
	struct firm_list firms = { 0 };
	struct money_rates *rates = NULL;
	struct app app;
	struct match_options mo = { 0 };
	struct advice_context ctx = { 0 };
	unsigned count;
	int rc = EXIT_ERROR;

	if (argc != 1)
		return usage_error(usage_advice, "advice: takes no arguments");
	if (app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	mo.size_share = app.cfg->size_share / 100.0;
	if (current_time(&ctx.now) < 0 || store_load_firms(app.store, &firms) < 0 ||
	    store_load_rates(app.store, &rates, NULL) < 0)
		goto out;
	mo.rates = rates;
	if (!(ctx.index = match_index_new(&firms, &mo))) {
		error("out of memory");
		goto out;
	}
	ctx.store = app.store;
	ctx.categories = &app.categories;
	ctx.firms = &firms;
	ctx.buyers = app.cfg->own_buyers;
	if (!ctx.buyers)
		log_warnx("%s: [service] own_buyers names no organisation number: "
			  "no procurement is the municipality's own", config_path);
	if (advice_print(&ctx, stdout, &count) < 0)
		goto out;
	printf("%u procurement%s could be divided\n", count, count == 1 ? "" : "s");
	rc = EXIT_OK;
out:
	match_index_free(ctx.index);
	money_rates_free(rates);
	firm_list_release(&firms);
	app_close(&app);
	return rc;
}

static int
outbox_list(struct store *store, int argc, char **argv)
{
	static const char *const states[] = { "pending", "sending", "sent", "failed" };
	struct outbox_entry *e = NULL;
	const char *state = NULL;
	size_t n = 0, i, k;
	long limit = 50;
	char *end;

	for (i = 2; i < (size_t)argc; i += 2) {
		if (i + 1 >= (size_t)argc)
			return usage_error(usage_outbox, "outbox list: %s needs a "
					   "value", argv[i]);
		if (strcmp(argv[i], "--state") == 0) {
			for (k = 0; k < 4 && strcmp(argv[i + 1], states[k]) != 0; k++)
				;
			if (k == 4)
				return usage_error(usage_outbox, "outbox list: unknown "
						   "state '%s'", argv[i + 1]);
			state = states[k];
		} else if (strcmp(argv[i], "-n") == 0) {
			limit = strtol(argv[i + 1], &end, 10);
			if (*end || limit < 1 || limit > 1000000)
				return usage_error(usage_outbox, "outbox list: -n takes "
						   "a number from 1 to 1000000");
		} else {
			return usage_error(usage_outbox, "outbox list: unknown "
					   "option '%s'", argv[i]);
		}
	}
	if (store_outbox_list(store, state, (size_t)limit, &e, &n) < 0)
		return EXIT_ERROR;
	for (i = 0; i < n; i++) {
		printf("%-6lld %-8s %2d  ", (long long)e[i].id, e[i].state,
		       e[i].attempts);
		print_local_time(e[i].sent_at ? e[i].sent_at : e[i].next_attempt);
		printf("  %s  %s\n", e[i].rcpt, e[i].key);
		if (e[i].last_error)
			printf("       %s\n", e[i].last_error);
	}
	printf("%zu message%s\n", n, n == 1 ? "" : "s");
	outbox_entries_free(e, n);
	return EXIT_OK;
}

/* YYYY-MM-DD as the start of that day in local time. */
static int
parse_local_day(const char *s, time_t *out)
{
	struct tm tm;
	int used = 0;

	memset(&tm, 0, sizeof tm);
	if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &used) != 3 || s[used] != '\0' || tm.tm_mon < 1 ||
	    tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	*out = mktime(&tm);
	return 0;
}

/* parse_local_day, reported: for days read after the zone is set. */
static int
parse_day(const char *s, time_t *out)
{
	if (parse_local_day(s, out) < 0)
		return error("'%s' is not a day (YYYY-MM-DD)", s);
	return 0;
}

/*
 * A failed or waiting mail goes out at the next delivery; one that could
 * not be built has no text to send, and building it again would fail the
 * same way until its cause is mended.
 */
static int
outbox_retry(struct store *store, long long id)
{
	struct outbox_entry *e = NULL;
	time_t now;
	size_t n = 0;
	int found, rc = EXIT_ERROR;

	if (current_time(&now) < 0 || store_outbox_get(store, id, &e, &n) < 0)
		return EXIT_ERROR;
	if (n == 1 && !e->has_text && strcmp(e->state, "failed") == 0) {
		error("message %lld was never built, so there is no text to "
		      "send (%s)", id, e->last_error ? e->last_error : "");
	} else if (store_outbox_retry(store, id, now, &found) == 0) {
		if (found) {
			printf("message %lld will be sent at the next delivery\n", id);
			rc = EXIT_OK;
		} else {
			error("no failed or waiting message %lld", id);
		}
	}
	outbox_entries_free(e, n);
	return rc;
}

static int
cmd_outbox(const char *config_path, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	struct app app;
	long long purged;
	time_t when;
	char *end = NULL;
	long long id = 0;
	int rc = EXIT_ERROR;

	if (strcmp(sub, "list") != 0 && strcmp(sub, "retry") != 0 &&
	    strcmp(sub, "purge") != 0)
		return usage_error(usage_outbox, "outbox: expected list, retry or purge");
	if (strcmp(sub, "retry") == 0 && argc == 3)
		id = strtoll(argv[2], &end, 10);
	if (strcmp(sub, "retry") == 0 && (id < 1 || !end || *end))
		return usage_error(usage_outbox, "outbox retry: expected a message id");
	if (strcmp(sub, "purge") == 0 &&
	    (argc != 4 || strcmp(argv[2], "--sent-before") != 0 ||
	     parse_local_day(argv[3], &when) < 0))
		return usage_error(usage_outbox, "outbox purge: expected "
				   "--sent-before YYYY-MM-DD");
	if (app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	/* again, now that it is a day of the configured zone */
	if (strcmp(sub, "purge") == 0)
		parse_local_day(argv[3], &when);
	if (strcmp(sub, "list") == 0) {
		rc = outbox_list(app.store, argc, argv);
	} else if (strcmp(sub, "retry") == 0) {
		rc = outbox_retry(app.store, id);
	} else if (store_outbox_purge(app.store, when, &purged) == 0) {
		printf("%lld sent message%s purged\n", purged, purged == 1 ? "" : "s");
		rc = EXIT_OK;
	}
	app_close(&app);
	return rc;
}

/*
 * A meeting file checked against what only the store and the categories
 * know: the category is registered and the meeting is still ahead.
 */
static int
load_meeting(const struct app *app, const char *path, time_t now,
	     struct meeting **out)
{
	struct stored_notice *notice = NULL;
	struct meeting *m = NULL;
	int rc = -1;

	if (meeting_load(path, &m) < 0)
		return -1;
	if (m->category && !category_find(&app->categories, m->category)) {
		error("%s: category '%s' is not registered in %s", path,
		      m->category, app->cfg->categories_path);
		goto out;
	}
	if (m->start <= now) {
		error("%s: the meeting starts in the past", path);
		goto out;
	}
	if (m->notice_id) {
		if (store_get_notice(app->store, m->notice_id, &notice) < 0)
			goto out;
		if (!notice)
			log_warnx("%s: notice %s is not stored (yet): firms are "
				  "invited when it is matched to them", path,
				  m->notice_id);
	}
	*out = m;
	m = NULL;
	rc = 0;
out:
	stored_notice_free(notice);
	meeting_free(m);
	return rc;
}

static int
meeting_list(const struct app *app, time_t now)
{
	struct meeting *m = NULL;
	struct buf when;
	size_t n = 0, i;

	if (store_meetings(app->store, now, 0, &m, &n) < 0)
		return EXIT_ERROR;
	buf_init(&when, 256);
	for (i = 0; i < n; i++) {
		buf_reset(&when);
		alert_format_time(m[i].start, "sv", &when);
		printf("%lld  %s  %s%s\n       %s%s%s\n", (long long)m[i].id,
		       buf_str(&when), m[i].title,
		       m[i].cancelled ? "  (inställt)" : "",
		       m[i].category ? "category " : "notice ",
		       m[i].category ? m[i].category : m[i].notice_id,
		       m[i].sequence ? "  (changed)" : "");
	}
	printf("%zu upcoming meeting%s\n", n, n == 1 ? "" : "s");
	buf_release(&when);
	meetings_free(m, n);
	return EXIT_OK;
}

/* The firms named by organisation number on the command line or in a file. */
static int
named_firms(struct store *s, int argc, char **argv, int64_t **ids, size_t *n)
{
	struct orgnr_entry *list = NULL;
	char orgnr[12];
	size_t count, i;
	int rc = -1;

	*ids = NULL;
	*n = 0;
	if (argc == 2 && strcmp(argv[0], "--file") == 0) {
		if (participation_read_orgnrs(argv[1], &list, &count) < 0)
			return -1;
	} else {
		count = (size_t)argc;
	}
	if (!(*ids = calloc(count ? count : 1, sizeof **ids))) {
		error("out of memory");
		goto out;
	}
	for (i = 0; i < count; i++) {
		if (!list && orgnr_normalize(argv[i], orgnr) < 0) {
			error("'%s' is not an organisation number", argv[i]);
			goto out;
		}
		if (store_firm_id(s, list ? list[i].orgnr : orgnr, &(*ids)[i]) < 0)
			goto out;
		if (!(*ids)[i]) {
			if (list)
				error("%s:%zu: %s is not a registered firm", argv[1],
				      list[i].line, list[i].orgnr);
			else
				error("%s is not a registered firm", orgnr);
			goto out;
		}
	}
	*n = count;
	rc = 0;
out:
	free(list);
	if (rc < 0) {
		free(*ids);
		*ids = NULL;
	}
	return rc;
}

static int
meeting_participants(const struct app *app, int64_t id)
{
	struct participant *p = NULL;
	struct buf when;
	size_t n = 0, i, registered = 0, attended = 0;

	if (store_meeting_participants(app->store, id, &p, &n) < 0)
		return EXIT_ERROR;
	buf_init(&when, 256);
	for (i = 0; i < n; i++) {
		buf_reset(&when);
		if (p[i].registered)
			alert_format_time(p[i].at, "sv", &when);
		printf("%s  %-40s %-12s %s\n", p[i].orgnr, p[i].name,
		       p[i].attended ? "attended" : p[i].registered ?
		       "registered" : "cancelled", buf_str(&when));
		registered += p[i].registered != 0;
		attended += p[i].attended != 0;
	}
	printf("%zu registered, %zu attended\n", registered, attended);
	buf_release(&when);
	participants_free(p, n);
	return EXIT_OK;
}

/* register, unregister and attended: for the firms named after the id. */
static int
meeting_firms(const struct app *app, const char *sub, int64_t id, time_t now,
	      int argc, char **argv)
{
	enum registration reg;
	int64_t *firms = NULL;
	size_t n = 0, i, already = 0;
	int found, rc = EXIT_ERROR;

	if (named_firms(app->store, argc, argv, &firms, &n) < 0)
		return EXIT_ERROR;
	if (store_begin(app->store) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (strcmp(sub, "attended") == 0) {
			if (store_meeting_attended(app->store, id, firms[i], now,
						   "cli", &found) < 0)
				goto fail;
		} else if (strcmp(sub, "unregister") == 0) {
			if (store_meeting_unregister(app->store, id, firms[i],
						     now, &found) < 0)
				goto fail;
			if (!found) {
				error("%s: not registered", argv[i]);
				goto fail;
			}
		} else {
			if (participation_register(app->store, id, firms[i], now,
						   "cli", &reg) < 0)
				goto fail;
			if (reg != REG_OK && reg != REG_ALREADY) {
				error("meeting %lld: %s", (long long)id,
				      registration_text(reg));
				goto fail;
			}
			already += reg == REG_ALREADY;
		}
	}
	if (store_commit(app->store) < 0)
		goto fail;
	printf("meeting %lld: %zu firm%s %s\n", (long long)id, n - already,
	       n - already == 1 ? "" : "s", strcmp(sub, "attended") == 0 ?
	       "recorded as attending" : strcmp(sub, "register") == 0 ?
	       "registered" : "unregistered");
	if (already)
		printf("%zu already registered\n", already);
	rc = EXIT_OK;
	goto out;
fail:
	store_rollback(app->store);
out:
	free(firms);
	return rc;
}

static int
cmd_meeting(const char *config_path, int argc, char **argv)
{
	static const char *const with_id[] = {
		"change", "cancel", "register", "unregister", "attended",
		"participants", NULL
	};
	const char *sub = argc > 1 ? argv[1] : "";
	const char *const *w;
	struct meeting *m = NULL;
	struct app app;
	char *end = NULL;
	long long id = 0;
	int64_t new_id;
	time_t now;
	int want, found = 1, rc = EXIT_ERROR;

	for (w = with_id; *w && strcmp(*w, sub) != 0; w++)
		;
	if (*w) {
		if (argc < 3 || (id = strtoll(argv[2], &end, 10)) < 1 || *end)
			return usage_error(usage_meeting, "meeting %s: expected "
					   "a meeting id", sub);
		/* change takes a file, the firm commands one or more firms */
		want = strcmp(sub, "change") == 0 ? 4 :
		       strcmp(sub, "cancel") == 0 ||
		       strcmp(sub, "participants") == 0 ? 3 : 0;
		if (want ? argc != want : argc < 4)
			return usage_error(usage_meeting, "meeting %s: bad "
					   "arguments", sub);
	} else if (!(strcmp(sub, "new") == 0 && argc == 3) &&
		   !(strcmp(sub, "list") == 0 && argc == 2)) {
		return usage_error(usage_meeting, "meeting: unknown "
				   "subcommand '%s'", sub);
	}
	if (current_time(&now) < 0 ||
	    app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	if (strcmp(sub, "list") == 0) {
		rc = meeting_list(&app, now);
	} else if (strcmp(sub, "participants") == 0) {
		rc = meeting_participants(&app, id);
	} else if (strcmp(sub, "register") == 0 ||
		   strcmp(sub, "unregister") == 0 ||
		   strcmp(sub, "attended") == 0) {
		rc = meeting_firms(&app, sub, id, now, argc - 3, argv + 3);
	} else if (strcmp(sub, "new") == 0) {
		if (load_meeting(&app, argv[2], now, &m) == 0 &&
		    store_put_meeting(app.store, m, now, &new_id) == 0) {
			printf("meeting %lld: %s; invitations go out with the "
			       "next run\n", (long long)new_id, m->title);
			rc = EXIT_OK;
		}
	} else if (strcmp(sub, "change") == 0) {
		if (load_meeting(&app, argv[3], now, &m) == 0 &&
		    store_change_meeting(app.store, id, m, now, &found) == 0 &&
		    found) {
			printf("meeting %lld changed; those invited get an "
			       "update with the next run\n", id);
			rc = EXIT_OK;
		}
	} else if (store_cancel_meeting(app.store, id, now, &found) == 0 && found) {
		printf("meeting %lld cancelled; those invited are told with the "
		       "next run\n", id);
		rc = EXIT_OK;
	}
	if (!found)
		error("no meeting %lld that is not cancelled", id);
	meeting_free(m);
	app_close(&app);
	return rc;
}

/*
 * Publishes an RFI of the unit's own: stored and matched as an RFI notice
 * is, so the next run mails the firms it fits, and its public page lists
 * it. The RFI's row comes first, to name the notice.
 */
static int
rfi_publish(const struct app *app, const char *path, time_t now)
{
	struct firm_list firms = { 0 };
	struct match_options mo = { .size_share = app->cfg->size_share / 100.0 };
	struct ingest in = {
		.store = app->store, .categories = &app->categories,
		.feed = "rfi", .now = now,
	};
	struct ingest_batch batch = { 0 };
	struct ingest_doc doc = { 0 };
	struct notice *notice = NULL;
	struct rfi *r = NULL;
	struct buf url, attachments;
	char notice_id[64];
	int64_t id;
	size_t i;
	int rc = -1;

	buf_init(&url, 4096);
	buf_init(&attachments, 64 * 1024);
	if (rfi_load(path, &r) < 0)
		goto out;
	for (i = 0; i < r->ncategories; i++)
		if (!category_find(&app->categories, r->categories[i])) {
			error("%s: category '%s' is not registered in %s", path,
			      r->categories[i], app->cfg->categories_path);
			goto out;
		}
	if (r->answer_deadline <= now) {
		error("%s: the answer deadline has passed", path);
		goto out;
	}
	for (i = 0; i < r->nattachments; i++)
		if (buf_printf(&attachments, "%s%s", i ? " " : "",
			       r->attachments[i]) < 0)
			goto out;
	if (store_put_rfi(app->store, r->contact, buf_str(&attachments), now,
			  &id, notice_id, sizeof notice_id) < 0 ||
	    buf_printf(&url, "%s/rfi/%s", app->cfg->public_url, notice_id) < 0 ||
	    rfi_to_notice(r, &app->categories, notice_id, app->cfg->service_name,
			  app->cfg->own_buyers ? app->cfg->own_buyers[0] : NULL,
			  buf_str(&url), now, &notice) < 0 ||
	    store_load_firms(app->store, &firms) < 0)
		goto out;
	in.firms = &firms;
	if (!(in.index = match_index_new(&firms, &mo))) {
		error("out of memory");
		goto out;
	}
	doc.source = strdup(path);
	doc.notice = notice;
	notice = NULL;
	if (!doc.source || ingest_batch_add(&batch, &doc) < 0 ||
	    ingest_flush(&in, &batch) < 0)
		goto out;
	printf("%s: %s\n  %s\n  %u firm%s to mail with the next run\n",
	       notice_id, r->title, buf_str(&url), in.counts.matches,
	       in.counts.matches == 1 ? "" : "s");
	rc = 0;
out:
	ingest_doc_release(&doc);
	ingest_batch_release(&batch);
	match_index_free(in.index);
	firm_list_release(&firms);
	notice_free(notice);
	rfi_free(r);
	buf_release(&url);
	buf_release(&attachments);
	return rc;
}

static int
rfi_list(const struct app *app, time_t now)
{
	struct rfi_entry *e = NULL;
	struct buf when;
	size_t n = 0, i;

	if (store_rfis(app->store, now, NULL, &e, &n) < 0)
		return EXIT_ERROR;
	buf_init(&when, 256);
	for (i = 0; i < n; i++) {
		buf_reset(&when);
		if (e[i].has_deadline)
			alert_format_time(e[i].deadline, "sv", &when);
		printf("%s  %s\n       answer by %s, %lld answer%s%s\n",
		       e[i].notice_id, e[i].title,
		       e[i].has_deadline ? buf_str(&when) : "(no deadline)",
		       e[i].responses, e[i].responses == 1 ? "" : "s",
		       e[i].own ? "" : ", published by another buyer");
	}
	printf("%zu open RFI%s\n", n, n == 1 ? "" : "s");
	buf_release(&when);
	rfi_entries_free(e, n);
	return EXIT_OK;
}

static int
rfi_responses(const struct app *app, const char *notice_id)
{
	struct participant *p = NULL;
	struct buf when;
	size_t n = 0, i;

	if (store_rfi_responses(app->store, notice_id, &p, &n) < 0)
		return EXIT_ERROR;
	buf_init(&when, 256);
	for (i = 0; i < n; i++) {
		buf_reset(&when);
		alert_format_time(p[i].at, "sv", &when);
		printf("%s  %-40s %s  (%s)\n", p[i].orgnr, p[i].name,
		       buf_str(&when), p[i].source);
	}
	printf("%zu answer%s\n", n, n == 1 ? "" : "s");
	buf_release(&when);
	participants_free(p, n);
	return EXIT_OK;
}

/* Answers from the firms named on the command line or in a file. */
static int
rfi_respond(const struct app *app, const char *notice_id, time_t at,
	    int argc, char **argv)
{
	const char *source = argc == 2 && strcmp(argv[0], "--file") == 0 ?
			     "csv" : "cli";
	int64_t *firms = NULL;
	size_t n = 0, i, added = 0;
	int created, rc = EXIT_ERROR;

	if (named_firms(app->store, argc, argv, &firms, &n) < 0 ||
	    store_begin(app->store) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (store_rfi_response(app->store, notice_id, firms[i], at,
				       source, &created) < 0) {
			store_rollback(app->store);
			goto out;
		}
		added += created != 0;
	}
	if (store_commit(app->store) < 0) {
		store_rollback(app->store);
		goto out;
	}
	printf("%s: %zu answer%s recorded, %zu already were\n", notice_id,
	       added, added == 1 ? "" : "s", n - added);
	rc = EXIT_OK;
out:
	free(firms);
	return rc;
}

static int
cmd_rfi(const char *config_path, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	struct rfi_entry *e = NULL;
	struct app app;
	size_t n = 0;
	time_t now;
	int found, rc = EXIT_ERROR;

	if (!(strcmp(sub, "new") == 0 && argc == 3) &&
	    !(strcmp(sub, "list") == 0 && argc == 2) &&
	    !(strcmp(sub, "responses") == 0 && argc == 3) &&
	    !(strcmp(sub, "close") == 0 && argc == 3) &&
	    !(strcmp(sub, "respond") == 0 && argc >= 4))
		return usage_error(usage_rfi, "rfi: expected new FILE, list, "
				   "respond ID ORGNR..., responses ID or close ID");
	if (current_time(&now) < 0 ||
	    app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	if (strcmp(sub, "new") == 0) {
		rc = rfi_publish(&app, argv[2], now) == 0 ? EXIT_OK : EXIT_ERROR;
	} else if (strcmp(sub, "list") == 0) {
		rc = rfi_list(&app, now);
	} else if (store_rfis(app.store, now, argv[2], &e, &n) < 0) {
		goto out;
	} else if (n == 0) {
		error("no RFI %s", argv[2]);
	} else if (strcmp(sub, "responses") == 0) {
		rc = rfi_responses(&app, argv[2]);
	} else if (strcmp(sub, "respond") == 0) {
		rc = rfi_respond(&app, argv[2], now, argc - 3, argv + 3);
	} else if (!e->own) {
		error("%s is another buyer's RFI: only the unit's own close here",
		      argv[2]);
	} else if (store_close_rfi(app.store, argv[2], now, &found) == 0) {
		if (found) {
			printf("%s closed: no more answers or reminders\n", argv[2]);
			rc = EXIT_OK;
		} else {
			error("%s is closed already", argv[2]);
		}
	}
out:
	rfi_entries_free(e, n);
	app_close(&app);
	return rc;
}

static int
cmd_bid(const char *config_path, int argc, char **argv)
{
	struct stored_notice *notice = NULL;
	struct app app;
	int64_t *firm = NULL;
	size_t n = 0;
	time_t at;
	int created, rc = EXIT_ERROR;

	if (!(argc == 4 || (argc == 6 && strcmp(argv[4], "--on") == 0)) ||
	    strcmp(argv[1], "record") != 0)
		return usage_error(usage_bid, "bid: expected record NOTICE ORGNR "
				   "[--on YYYY-MM-DD]");
	if (current_time(&at) < 0 ||
	    app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	if (argc == 6 && parse_day(argv[5], &at) < 0)
		goto out;
	if (store_get_notice(app.store, argv[2], &notice) < 0)
		goto out;
	if (!notice) {
		error("no stored notice %s", argv[2]);
		goto out;
	}
	if (named_firms(app.store, 1, argv + 3, &firm, &n) < 0 ||
	    store_bid(app.store, notice->notice_id, firm[0], at, "cli",
		      &created) < 0)
		goto out;
	printf("%s: bid by %s %s\n", notice->notice_id, argv[3],
	       created ? "recorded" : "was already recorded");
	rc = EXIT_OK;
out:
	free(firm);
	stored_notice_free(notice);
	app_close(&app);
	return rc;
}

/* The first day of the quarter a year before now: four full quarters. */
static time_t
year_of_quarters_before(time_t now)
{
	struct tm tm;

	localtime_r(&now, &tm);
	tm.tm_year -= 1;
	tm.tm_mon = tm.tm_mon / 3 * 3;
	tm.tm_mday = 1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* A report "to" today covers all of today. */
static time_t
start_of_next_day(time_t now)
{
	struct tm tm;

	localtime_r(&now, &tm);
	tm.tm_mday++;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static int
write_out(const char *path, const struct buf *b)
{
	FILE *f = path ? fopen(path, "wb") : stdout;

	if (!f)
		return error("%s: %s", path, strerror(errno));
	if (fwrite(b->data ? b->data : "", 1, b->len, f) != b->len ||
	    (path ? fclose(f) : fflush(f)) != 0)
		return error("%s: cannot write", path ? path : "stdout");
	return 0;
}

static int
cmd_report(const char *config_path, int argc, char **argv)
{
	const char *format = "html", *lang = "sv", *output = NULL;
	const char *from_day = NULL, *to_day = NULL;
	struct report_row *rows = NULL;
	struct app app;
	struct buf out;
	time_t now, from = 0, to = 0;
	size_t n = 0;
	int i, rc = EXIT_ERROR;

	if (current_time(&now) < 0)
		return EXIT_ERROR;
	for (i = 1; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!val)
			return usage_error(usage_report, "report: %s needs a "
					   "value", opt);
		i++;
		if (strcmp(opt, "--from") == 0) {
			from_day = val;
		} else if (strcmp(opt, "--to") == 0) {
			to_day = val;
		} else if (strcmp(opt, "--format") == 0 &&
			   (strcmp(val, "csv") == 0 || strcmp(val, "html") == 0)) {
			format = val;
		} else if (strcmp(opt, "--lang") == 0 &&
			   (strcmp(val, "sv") == 0 || strcmp(val, "en") == 0)) {
			lang = val;
		} else if (strcmp(opt, "-o") == 0) {
			output = val;
		} else {
			return usage_error(usage_report, "report: bad option "
					   "'%s %s'", opt, val);
		}
	}
	/* days are local days of the configured zone, known once it is read */
	if (app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	buf_init(&out, 64u * 1024u * 1024u);
	if ((from_day && parse_day(from_day, &from) < 0) ||
	    (to_day && parse_day(to_day, &to) < 0))
		goto out;
	if (!from_day)
		from = year_of_quarters_before(now);
	if (!to_day)
		to = start_of_next_day(now);
	if (stats_build(app.store, &app.categories, lang, from, to, now, &rows,
			&n) == 0) {
		struct report r = { app.cfg->service_name, from, to, now, rows, n };

		if ((strcmp(format, "csv") == 0 ? report_csv(&r, &out) :
		     report_html(&r, lang, &out)) == 0 &&
		    write_out(output, &out) == 0)
			rc = EXIT_OK;
	}
out:
	free(rows);
	buf_release(&out);
	app_close(&app);
	return rc;
}

static int
cmd_config(const char *config_path, int argc, char **argv)
{
	struct site *site;
	struct app app;

	if (argc == 2 && strcmp(argv[1], "keys") == 0) {
		config_print_keys();
		return EXIT_OK;
	}
	if (argc != 2 || strcmp(argv[1], "check") != 0)
		return usage_error(usage_config, "config: %s", "expected check or keys");
	if (app_open(&app, config_path, APP_CONFIG) < 0)
		return EXIT_ERROR;
	/* the web pages' templates too, before `tenderlots web` finds out */
	if (!(site = site_new(&(struct site_options){ .cfg = app.cfg }))) {
		app_close(&app);
		return EXIT_ERROR;
	}
	site_free(site);
	printf("%s: ok, %zu feed(s), %zu categories\n", config_path,
	       app.cfg->nfeeds, app.categories.n);
	app_close(&app);
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *config_path = DEFAULT_CONFIG, *cmd;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+c:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config_path = optarg;
			break;
		case 'h':
			fputs(usage_main, stdout);
			return EXIT_OK;
		case 'V':
			puts("tenderlots " VERSION);
			return EXIT_OK;
		default:
			return usage_error(usage_main, "unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage_error(usage_main, "%s", "no command given");
	cmd = argv[0];
	if (strcmp(cmd, "show") != 0 &&
	    take_config_option(&argc, argv, &config_path) < 0)
		return usage_error(usage_main, "%s", "-c needs a file name");
	if (strcmp(cmd, "help") == 0) {
		fputs(usage_main, stdout);
		return EXIT_OK;
	}
	if (wants_help(argc, argv)) {
		if (strcmp(cmd, "run") == 0)
			fputs(usage_run, stdout);
		else if (strcmp(cmd, "show") == 0)
			fputs(usage_show, stdout);
		else if (strcmp(cmd, "firm") == 0)
			fputs(usage_firm, stdout);
		else if (strcmp(cmd, "config") == 0)
			fputs(usage_config, stdout);
		else if (strcmp(cmd, "quarantine") == 0)
			fputs(usage_quarantine, stdout);
		else if (strcmp(cmd, "category") == 0)
			fputs(usage_category, stdout);
		else if (strcmp(cmd, "outbox") == 0)
			fputs(usage_outbox, stdout);
		else if (strcmp(cmd, "notice") == 0)
			fputs(usage_notice, stdout);
		else if (strcmp(cmd, "advice") == 0)
			fputs(usage_advice, stdout);
		else if (strcmp(cmd, "meeting") == 0)
			fputs(usage_meeting, stdout);
		else if (strcmp(cmd, "bid") == 0)
			fputs(usage_bid, stdout);
		else if (strcmp(cmd, "rfi") == 0)
			fputs(usage_rfi, stdout);
		else if (strcmp(cmd, "web") == 0)
			fputs(usage_web, stdout);
		else if (strcmp(cmd, "status") == 0)
			fputs(usage_status, stdout);
		else if (strcmp(cmd, "inbox") == 0)
			fputs(usage_inbox, stdout);
		else if (strcmp(cmd, "report") == 0)
			fputs(usage_report, stdout);
		else
			return usage_error(usage_main, "unknown command '%s'", cmd);
		return EXIT_OK;
	}
	xmlInitParser();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return error("cannot initialise libcurl"), EXIT_ERROR;
	if (strcmp(cmd, "run") == 0)
		rc = cmd_run(config_path, argc, argv);
	else if (strcmp(cmd, "show") == 0)
		rc = cmd_show(argc, argv);
	else if (strcmp(cmd, "firm") == 0)
		rc = cmd_firm(config_path, argc, argv);
	else if (strcmp(cmd, "config") == 0)
		rc = cmd_config(config_path, argc, argv);
	else if (strcmp(cmd, "quarantine") == 0)
		rc = cmd_quarantine(config_path, argc, argv);
	else if (strcmp(cmd, "category") == 0)
		rc = cmd_category(config_path, argc, argv);
	else if (strcmp(cmd, "outbox") == 0)
		rc = cmd_outbox(config_path, argc, argv);
	else if (strcmp(cmd, "notice") == 0)
		rc = cmd_notice(config_path, argc, argv);
	else if (strcmp(cmd, "advice") == 0)
		rc = cmd_advice(config_path, argc, argv);
	else if (strcmp(cmd, "meeting") == 0)
		rc = cmd_meeting(config_path, argc, argv);
	else if (strcmp(cmd, "bid") == 0)
		rc = cmd_bid(config_path, argc, argv);
	else if (strcmp(cmd, "rfi") == 0)
		rc = cmd_rfi(config_path, argc, argv);
	else if (strcmp(cmd, "web") == 0)
		rc = cmd_web(config_path, argc, argv);
	else if (strcmp(cmd, "status") == 0)
		rc = cmd_status(config_path, argc, argv);
	else if (strcmp(cmd, "inbox") == 0)
		rc = cmd_inbox(config_path, argc, argv);
	else if (strcmp(cmd, "report") == 0)
		rc = cmd_report(config_path, argc, argv);
	else
		rc = usage_error(usage_main, "unknown command '%s'", cmd);
	curl_global_cleanup();
	xmlCleanupParser();
	return rc;
}
