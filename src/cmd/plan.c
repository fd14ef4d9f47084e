/*
 * tenderlots plan: the procurement unit's plan from the command line,
 * through the same functions (include/plan.h) as the staff's pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fetch.h"
#include "log.h"
#include "plan.h"
#include "rfi.h"

const char usage_plan[] =
	"usage: tenderlots plan import FILE.csv [--dry-run]\n"
	"       tenderlots plan list\n"
	"       tenderlots plan show ID\n"
	"       tenderlots plan change ID --announce 2027-Q3\n"
	"       tenderlots plan drop ID --why TEXT\n"
	"       tenderlots plan link ID NOTICE\n"
	"       tenderlots plan unlink ID\n"
	"\n"
	"The procurement unit's plan (upphandlingsplan): procurements it means\n"
	"to announce, published as planned procurements of its own so that the\n"
	"firms they fit hear of them early. import reads a CSV file as Excel\n"
	"saves it (semicolons or commas, UTF-8: \"CSV UTF-8\"), columns titel,\n"
	"beskrivning, kategorier, cpv, värde, annonseras (2027-03 or 2027-Q2),\n"
	"avtalsstart, delbar (ja/nej), kontakt and id (the unit's reference: a\n"
	"file imported again updates its entries), or their English names; a\n"
	"bad row is reported as FILE:LINE: field: message and skipped, the good\n"
	"ones are stored. change moves the expected announcement, drop takes an\n"
	"entry off (the firms told of either get a mail with the next run);\n"
	"link names the notice an entry became (the firms told of the entry get\n"
	"an `opened` mail), as list proposes; unlink undoes a link.\n";

static void
print_plan(const struct plan *p)
{
	printf("%lld  %-9s  %s  %s", (long long)p->id,
	       plan_status_name(p->status), p->announce, p->title);
	if (p->ref)
		printf("  [%s]", p->ref);
	putchar('\n');
	if (p->linked)
		printf("      became %s\n", p->linked);
}

static int
plan_list(const struct app *app, int64_t id)
{
	struct plan_proposal *pr = NULL;
	struct plan *p = NULL;
	size_t n = 0, npr = 0, i, j;
	int rc = EXIT_ERROR;

	if (store_plans(app->store, id, NULL, NULL, &p, &n) < 0 ||
	    store_plan_proposals(app->store, id, &pr, &npr) < 0)
		goto out;
	if (id && n == 0) {
		error("no plan entry %lld", (long long)id);
		goto out;
	}
	for (i = 0; i < n; i++) {
		print_plan(&p[i]);
		if (id)
			printf("      %s\n      categories %s, cpv %s\n"
			       "      contact %s\n      notice %s%s%s\n",
			       p[i].description ? p[i].description : "",
			       p[i].categories ? p[i].categories : "-",
			       p[i].cpv ? p[i].cpv : "-", p[i].contact,
			       p[i].notice_id ? p[i].notice_id : "-",
			       p[i].why ? ", dropped: " : "",
			       p[i].why ? p[i].why : "");
		for (j = 0; j < npr; j++)
			if (pr[j].plan_id == p[i].id)
				printf("      may have become %s (%s, score %.2f): "
				       "%s\n", pr[j].notice_id, pr[j].kind,
				       pr[j].score, pr[j].title);
	}
	if (!id)
		printf("%zu entr%s\n", n, n == 1 ? "y" : "ies");
	rc = EXIT_OK;
out:
	plan_proposals_free(pr, npr);
	plans_free(p, n);
	return rc;
}

static int
plan_import_file(const struct rfi_desk *d, const char *path, int dry_run)
{
	struct fetch_options fo = { .timeout = 0,
				    .max_bytes = PLAN_CSV_BYTES_MAX };
	struct plan_import_counts c;
	struct plan *v = NULL;
	struct buf data, errors;
	size_t n = 0;
	unsigned bad = 0;
	char err[256];
	int rc = EXIT_ERROR;

	buf_init(&data, fo.max_bytes);
	buf_init(&errors, 1u << 20);
	if (fetch_file(path, &fo, &data, err, sizeof err) < 0) {
		error("%s: %s", path, err);
		goto out;
	}
	if (plan_csv_parse(buf_str(&data), data.len, path, d->categories, &v,
			   &n, &bad, &errors) < 0 ||
	    plan_import(d, v, n, path, dry_run, &c, &errors) < 0) {
		fputs(buf_str(&errors), stderr);
		goto out;
	}
	fputs(buf_str(&errors), stderr);
	printf("%s: %u added, %u updated, %u unchanged, %u bad row%s%s\n",
	       path, c.added, c.updated, c.unchanged, bad, bad == 1 ? "" : "s",
	       dry_run ? " (dry run: nothing stored)" : "");
	rc = bad || errors.len ? EXIT_ERROR : EXIT_OK;
out:
	plans_free(v, n);
	buf_release(&data);
	buf_release(&errors);
	return rc;
}

/* ID as a plan entry's id; 0, reported, if it is not one. */
static int64_t
entry_id(const char *s)
{
	char *end;
	long long id = strtoll(s, &end, 10);

	if (*end || id <= 0) {
		error("'%s' is not a plan entry's number (plan list)", s);
		return 0;
	}
	return id;
}

/* The subcommands of plan, with their words. */
static const struct subcommand plan_subs[] = {
	{ "import", 3, 1 }, { "list", 2, 0 }, { "show", 3, 0 },
	{ "change", 5, 0 }, { "drop", 5, 0 }, { "link", 4, 0 },
	{ "unlink", 3, 0 },
};

int
cmd_plan(const char *config_path, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	const char *announce = NULL, *why = NULL;
	struct rfi_desk d;
	struct app app;
	int64_t id = 0;
	time_t now;
	int dry_run = 0, bad, rc = EXIT_ERROR;
	enum cmd_option_fault fault;
	const struct cmd_option import_opts[] = {
		{ .name = "--dry-run", .flag = &dry_run },
		{ 0 }
	}, change_opts[] = {
		{ .name = "--announce", .value = &announce },
		{ 0 }
	}, drop_opts[] = {
		{ .name = "--why", .value = &why },
		{ 0 }
	};
	const struct cmd_option *opts = strcmp(sub, "import") == 0 ?
					import_opts :
					strcmp(sub, "change") == 0 ? change_opts :
					drop_opts;

	if (!subcommand_ok(plan_subs, sizeof plan_subs / sizeof *plan_subs,
			   sub, argc) ||
	    (argc > 3 && strcmp(sub, "link") != 0 &&
	     cmd_options(opts, argc - 3, argv + 3, &bad, &fault) < 0) ||
	    (strcmp(sub, "change") == 0 && !announce) ||
	    (strcmp(sub, "drop") == 0 && !why))
		return usage_error(usage_plan, "plan: expected import FILE "
				   "[--dry-run], list, show ID, change ID "
				   "--announce PERIOD, drop ID --why TEXT, link "
				   "ID NOTICE or unlink ID");
	if (strcmp(sub, "import") != 0 && strcmp(sub, "list") != 0 &&
	    !(id = entry_id(argv[2])))
		return EXIT_USAGE;
	if (current_time(&now) < 0 ||
	    app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	d = (struct rfi_desk){ .store = app.store, .cfg = app.cfg,
				.categories = &app.categories, .now = now };
	if (strcmp(sub, "import") == 0) {
		rc = plan_import_file(&d, argv[2], dry_run);
	} else if (strcmp(sub, "list") == 0 || strcmp(sub, "show") == 0) {
		rc = plan_list(&app, id);
	} else if (strcmp(sub, "change") == 0) {
		if (plan_postpone(&d, id, announce) == 0) {
			printf("plan entry %lld: to be announced %s; the firms "
			       "told of it are told with the next run\n",
			       (long long)id, announce);
			rc = EXIT_OK;
		}
	} else if (strcmp(sub, "drop") == 0) {
		if (plan_drop(&d, id, why) == 0) {
			printf("plan entry %lld dropped: off the public pages; "
			       "the firms told of it are told with the next "
			       "run\n", (long long)id);
			rc = EXIT_OK;
		}
	} else if (strcmp(sub, "link") == 0) {
		if (plan_link(&d, id, argv[3]) == 0) {
			printf("plan entry %lld became %s; the firms told of "
			       "it are told with the next run\n", (long long)id,
			       argv[3]);
			rc = EXIT_OK;
		}
	} else if (plan_unlink(&d, id) == 0) {
		printf("plan entry %lld is not linked any more\n",
		       (long long)id);
		rc = EXIT_OK;
	}
	app_close(&app);
	return rc;
}
