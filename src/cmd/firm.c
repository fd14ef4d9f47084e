/*
 * tenderlots firm: the register of subscribed firms.
 */
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "log.h"
#include "fetch.h"
#include "firm.h"

const char usage_firm[] =
	"usage: tenderlots firm import FILE.csv\n"
	"       tenderlots firm list\n"
	"       tenderlots firm remove ORGNR\n"
	"       tenderlots firm history ORGNR\n"
	"\n"
	"The CSV file has a header line naming its columns: orgnr, name, email,\n"
	"cpv, regions (required: orgnr, name, email, cpv, regions), language\n"
	"(sv or en), employees, turnover, abroad (yes or no), municipality (its\n"
	"kommunkod, which makes it local in the report). An import is all or\n"
	"nothing: any bad line is reported as FILE:LINE: message and nothing is\n"
	"stored. history lists what a firm did, newest first: mailed, registered\n"
	"for and attended meetings, answered RFIs, bid, won.\n";

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
		if (f->nkeywords) {
			fputs("  keywords: ", stdout);
			print_words(f->keywords, f->nkeywords);
			putchar('\n');
		}
		if (f->nexclude) {
			fputs("  exclude: ", stdout);
			print_words(f->exclude, f->nexclude);
			putchar('\n');
		}
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
firm_history(struct store *store, const char *arg)
{
	struct firm_entry *f = NULL;
	struct firm_event *e = NULL;
	char orgnr[12], day[16];
	struct tm tm;
	size_t n = 0, i;

	if (orgnr_normalize(arg, orgnr) < 0)
		return error("'%s' is not a valid organisation number", arg);
	if (store_firm_entry(store, orgnr, &f) < 0)
		return -1;
	if (!f)
		return error("no firm with organisation number %s", orgnr);
	if (store_firm_history(store, f->id, FIRM_HISTORY_MAX, &e, &n) < 0) {
		firm_entry_free(f);
		return -1;
	}
	printf("%s  %s  municipality %s\n", f->orgnr, f->name,
	       f->municipality ? f->municipality : "not given");
	for (i = 0; i < n; i++) {
		localtime_r(&e[i].at, &tm);
		strftime(day, sizeof day, "%Y-%m-%d", &tm);
		printf("%s  %-10s  %s  %s\n", day, e[i].what,
		       e[i].notice_id ? e[i].notice_id : "-",
		       e[i].title ? e[i].title : "");
	}
	firm_events_free(e, n);
	firm_entry_free(f);
	return 0;
}

int
cmd_firm(const char *config_path, int argc, char **argv)
{
	struct app app;
	const char *sub = argc > 1 ? argv[1] : NULL;
	int r;

	if (!sub)
		return usage_error(usage_firm, "firm: %s", "missing subcommand");
	if (!((strcmp(sub, "import") == 0 && argc == 3) ||
	      (strcmp(sub, "list") == 0 && argc == 2) ||
	      (strcmp(sub, "remove") == 0 && argc == 3) ||
	      (strcmp(sub, "history") == 0 && argc == 3)))
		return usage_error(usage_firm, "firm: bad arguments to '%s'", sub);
	if (app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	if (strcmp(sub, "import") == 0)
		r = firm_import(&app, argv[2]);
	else if (strcmp(sub, "list") == 0)
		r = firm_list(app.store);
	else if (strcmp(sub, "remove") == 0)
		r = firm_remove(app.store, argv[2]);
	else
		r = firm_history(app.store, argv[2]);
	app_close(&app);
	return r < 0 ? EXIT_ERROR : EXIT_OK;
}
