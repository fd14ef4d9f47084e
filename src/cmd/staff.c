/*
 * tenderlots staff: the accounts of the staff's pages.
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "cmd.h"
#include "log.h"
#include "utf8.h"

const char usage_staff[] =
	"usage: tenderlots staff add NAME --role ROLE [--lang sv|en]\n"
	"       tenderlots staff list\n"
	"       tenderlots staff remove NAME\n"
	"       tenderlots staff reset NAME\n"
	"\n"
	"Accounts of the staff's pages ([staff] listen and port). ROLE is\n"
	"upphandling (the procurement unit), naringsliv (näringslivsenheten)\n"
	"or admin (accounts and the audit log). add and reset print a link,\n"
	"good once and for 3 days, where the account's holder sets a password;\n"
	"reset ends the account's sessions and its password. remove ends its\n"
	"sessions too. With [staff] user_header, NAME is the name the single\n"
	"sign-on proxy sends, and no password is needed.\n";

/* Names as a proxy would send them: printable, one line, not too long. */
#define NAME_MAX_LEN 128

static int
check_name(const char *name)
{
	const char *p;

	if (!*name || strlen(name) > NAME_MAX_LEN ||
	    !utf8_valid(name, strlen(name)))
		return error("'%s' is not an account name: 1 to %d characters",
			     name, NAME_MAX_LEN);
	for (p = name; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return error("account name '%s': no spaces or control "
				     "characters", name);
	return 0;
}

static int
audit(struct app *app, const char *action, const char *name, time_t now)
{
	return store_staff_audit(app->store, "cli", action, name, "cli", now);
}

/* The one-time link, for the account's holder. */
static int
print_link(struct app *app, int64_t id, const char *name, time_t now)
{
	const struct config *cfg = app->cfg;
	char token[ACCOUNT_SECRET_LEN];

	if (account_new_link(app->store, id, now, token) < 0)
		return -1;
	printf("%s: set a password within 3 days at\n", name);
	if (cfg->staff_public_url)
		printf("%s/staff/password?t=%s\n", cfg->staff_public_url, token);
	else
		printf(strchr(cfg->staff_listen, ':') ?
		       "http://[%s]:%ld/staff/password?t=%s\n" :
		       "http://%s:%ld/staff/password?t=%s\n",
		       cfg->staff_listen, cfg->staff_port, token);
	return 0;
}

static int
staff_add(struct app *app, const char *name, const char *role,
	  const char *lang, time_t now)
{
	int64_t id;

	if (check_name(name) < 0)
		return -1;
	if (store_staff_add(app->store, name, role, lang, now, &id) < 0)
		return -1;
	if (!id)
		return error("there is already an account '%s'", name);
	if (audit(app, "account added", name, now) < 0)
		return -1;
	return print_link(app, id, name, now);
}

static int
staff_list(struct app *app)
{
	struct staff_account *a = NULL;
	char day[32];
	struct tm tm;
	size_t n = 0, i;

	if (store_staff_accounts(app->store, &a, &n) < 0)
		return -1;
	printf("%-24s  %-12s  %-4s  %-8s  %s\n", "name", "role", "lang",
	       "password", "created");
	for (i = 0; i < n; i++) {
		localtime_r(&a[i].created_at, &tm);
		strftime(day, sizeof day, "%Y-%m-%d %H:%M", &tm);
		printf("%-24s  %-12s  %-4s  %-8s  %s\n", a[i].name, a[i].role,
		       a[i].lang, a[i].has_password ? "set" : "link", day);
	}
	printf("%zu accounts\n", n);
	staff_accounts_free(a, n);
	return 0;
}

static int
staff_remove(struct app *app, const char *name, time_t now)
{
	int found;

	if (store_staff_remove(app->store, name, &found) < 0)
		return -1;
	if (!found)
		return error("no account '%s'", name);
	if (audit(app, "account removed", name, now) < 0)
		return -1;
	printf("removed %s and ended its sessions\n", name);
	return 0;
}

static int
staff_reset(struct app *app, const char *name, time_t now)
{
	int64_t id;
	char *hash = NULL;

	if (store_staff_password(app->store, name, &id, &hash) < 0)
		return -1;
	free(hash);
	if (!id)
		return error("no account '%s'", name);
	if (store_staff_reset(app->store, id) < 0 ||
	    audit(app, "password reset", name, now) < 0)
		return -1;
	return print_link(app, id, name, now);
}

int
cmd_staff(const char *config_path, int argc, char **argv)
{
	static const char *const roles[] = { "upphandling", "naringsliv",
					     "admin", NULL };
	static const char *const langs[] = { "sv", "en", NULL };
	const char *sub = argc > 1 ? argv[1] : NULL, *role = NULL, *lang = "sv";
	const struct cmd_option opts[] = {
		{ .name = "--role", .value = &role, .choices = roles },
		{ .name = "--lang", .value = &lang, .choices = langs },
		{ 0 }
	};
	enum cmd_option_fault fault;
	struct app app;
	time_t now;
	int at, r;

	if (!sub)
		return usage_error(usage_staff, "staff: %s", "missing subcommand");
	if (strcmp(sub, "add") == 0) {
		if (argc < 3 || cmd_options(opts, argc - 3, argv + 3, &at,
					    &fault) < 0 || !role)
			return usage_error(usage_staff, "staff: add NAME needs "
					   "--role upphandling|naringsliv|admin "
					   "and at most --lang sv|en");
	} else if (!((strcmp(sub, "list") == 0 && argc == 2) ||
		     (strcmp(sub, "remove") == 0 && argc == 3) ||
		     (strcmp(sub, "reset") == 0 && argc == 3))) {
		return usage_error(usage_staff, "staff: bad arguments to '%s'",
				   sub);
	}
	if (current_time(&now) < 0 ||
	    app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	if (strcmp(sub, "add") == 0)
		r = staff_add(&app, argv[2], role, lang, now);
	else if (strcmp(sub, "list") == 0)
		r = staff_list(&app);
	else if (strcmp(sub, "remove") == 0)
		r = staff_remove(&app, argv[2], now);
	else
		r = staff_reset(&app, argv[2], now);
	app_close(&app);
	return r < 0 ? EXIT_ERROR : EXIT_OK;
}
