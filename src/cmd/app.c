/*
 * What the commands share once their arguments are read: the opened
 * configuration, categories, templates and store; the clock; the mailer;
 * the signals that stop the long-running ones.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "account.h"
#include "cmd.h"
#include "log.h"

volatile sig_atomic_t stop_requested, reload_requested;

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

/* The signals that end the daemon and the web endpoint cleanly. */
void
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

/* The current time, or TENDERLOTS_NOW when a run must be reproducible. */
int
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
int
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

void
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

/*
 * Moves the firms and history of each renamed category to its new key
 * (categories.conf's renamed_from), all in one transaction, so a rename
 * never leaves some firms under a key that no longer exists.
 */
static int
apply_renames(const struct app *a)
{
	const struct category *c;
	long long moved;
	size_t i;

	if (store_begin(a->store) < 0)
		return -1;
	for (i = 0; i < a->categories.n; i++) {
		c = &a->categories.v[i];
		if (!c->renamed_from)
			continue;
		if (store_rename_category(a->store, c->renamed_from, c->key,
					  &moved) < 0) {
			store_rollback(a->store);
			return -1;
		}
		if (moved)
			log_info("category %s renamed %s: %lld firm choices and "
				 "rows of history moved", c->renamed_from,
				 c->key, moved);
	}
	if (store_commit(a->store) < 0) {
		store_rollback(a->store);
		return -1;
	}
	return 0;
}

int
app_open(struct app *a, const char *config_path, int what)
{
	memset(a, 0, sizeof *a);
	if (!(a->cfg = config_new()))
		return error("out of memory");
	if (config_load(a->cfg, config_path) < 0 || set_timezone(a->cfg) < 0 ||
	    category_load(a->cfg->categories_path, &a->categories) < 0 ||
	    alert_templates_load(a->cfg->templates_dir, &a->templates) < 0)
		goto fail;
	if (what == APP_STORE && (account_init() < 0 ||
				  ensure_parent_dir(a->cfg->db_path) < 0 ||
				  store_open(a->cfg->db_path, &a->store) < 0 ||
				  apply_renames(a) < 0 ||
				  token_key_load(a->cfg->secret_file, &a->key) < 0))
		goto fail;
	return 0;
fail:
	app_close(a);
	return -1;
}

/* The mailer the configuration asks for, with its AUTH secret if any. */
struct mailer *
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

/* YYYY-MM-DD as the start of that day in local time. */
int
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
int
parse_day(const char *s, time_t *out)
{
	if (parse_local_day(s, out) < 0)
		return error("'%s' is not a day (YYYY-MM-DD)", s);
	return 0;
}

void
print_words(char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%s%s", i ? " " : "", v[i]);
}
