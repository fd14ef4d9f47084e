/*
 * What came in and what goes out: notice files and stored notices, the
 * quarantine, the categories lots are split into, the outbox.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "cpv.h"
#include "eforms.h"
#include "fetch.h"
#include "notice.h"
#include "outbox.h"
#include "ownnotice.h"
#include "rfi.h"
#include "utf8.h"

const char usage_show[] =
	"usage: tenderlots show FILE...\n"
	"\n"
	"Parses eForms notice files and prints them as a JSON array of\n"
	"normalized notices, without touching the database. A file that is\n"
	"not a valid notice is reported on stderr and the exit status is 1.\n";

const char usage_notice[] =
	"usage: tenderlots notice show ID\n"
	"       tenderlots notice add --url URL --title T [--description D]\n"
	"                  [--deadline YYYY-MM-DD[THH:MM]] [--categories k1,k2]\n"
	"                  [--cpv c1,c2] [--value SEK] [--kind tender|planned|rfi]\n"
	"                  [--preview]\n"
	"       tenderlots notice withdraw ID --why TEXT\n"
	"       tenderlots notice purge [--before YYYY-MM-DD]\n"
	"\n"
	"show: a stored notice (its current version) with its lots and the\n"
	"category parts each lot was split into.\n"
	"add: a notice the procurement unit published in its own notice\n"
	"database, added by its https link so that local firms hear of it:\n"
	"stored as the municipality's own, split, matched and mailed with the\n"
	"next run; at least one category or CPV code, a deadline ahead (a day\n"
	"alone is its end, local time), a link not added before. --preview\n"
	"shows its categories and how many firms it reaches, storing nothing.\n"
	"withdraw: takes one added by mistake off the public pages, the feed\n"
	"and the report; the firms told of it get a mail saying why.\n"
	"purge: drops now the texts of notices whose procedure was last acted\n"
	"on before a day (local time; default [health] keep_notices ago), as\n"
	"`run` does once a day, and keeps their facts for the report.\n";

const char usage_quarantine[] =
	"usage: tenderlots quarantine list [-n N]\n"
	"\n"
	"Lists the documents that were refused at ingest (malformed XML, not\n"
	"eForms, a required field missing, too large, a DOCTYPE or entities),\n"
	"newest first, with their source, the reason and their first bytes.\n"
	"  -n N                   at most N documents (default 50)\n";

const char usage_category[] =
	"usage: tenderlots category list\n"
	"       tenderlots category show KEY\n"
	"\n"
	"The municipality's lot categories (config/categories.conf): names,\n"
	"CPV codes, the value band for small firms and whether large tenders\n"
	"should be divided for them.\n";

const char usage_outbox[] =
	"usage: tenderlots outbox list [--state pending|sending|sent|failed] [-n N]\n"
	"       tenderlots outbox retry ID\n"
	"       tenderlots outbox purge --sent-before YYYY-MM-DD\n"
	"\n"
	"The queued mails: list shows the newest first with their state,\n"
	"attempts and last server reply, or why one could not be built;\n"
	"retry sends a failed or waiting message at the next delivery (not\n"
	"one that was never built: it has no text); purge drops the text of\n"
	"mails sent, or queued and failed, before a day (local time) and\n"
	"keeps their record, so none is sent again.\n";

#define SHOW_MAX_BYTES (64u * 1024u * 1024u)

int
cmd_show(const char *config_path, int argc, char **argv)
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

int
cmd_quarantine(const char *config_path, int argc, char **argv)
{
	struct app app = { 0 };
	struct quarantined *q = NULL;
	char when[32];
	size_t n = 0, i;
	long limit = 50;
	int at, rc = EXIT_ERROR;
	enum cmd_option_fault fault;
	const struct cmd_option opts[] = {
		{ .name = "-n", .number = &limit, .max = 100000 },
		{ 0 }
	};

	/* list [-n N]: -n once at most */
	if (argc < 2 || argc > 4)
		return usage_error(usage_quarantine, "quarantine: bad arguments");
	if (cmd_options(opts, argc - 2, argv + 2, &at, &fault) < 0)
		return usage_error(usage_quarantine, fault == OPTION_BAD_VALUE ?
				   "quarantine: -n takes a number from 1 to 100000" :
				   "quarantine: bad arguments");
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

int
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

/* What adding in would do, or the notice added. */
static int
notice_add(const struct rfi_desk *d, const struct own_notice_input *in,
	   int preview)
{
	struct own_notice *o = NULL;
	const char *field;
	char **cats = NULL, notice_id[64];
	size_t ncats = 0, firms = 0, i;
	unsigned matched;
	struct buf why;
	int rc;

	buf_init(&why, 16 * 1024);
	rc = own_notice_read(d, in, "en", &o, &field, &why);
	if (rc > 0)
		error("--%s: %s", field, buf_str(&why));
	if (rc != 0)
		goto out;
	rc = -1;
	if (preview) {
		if (own_notice_preview(d, o, &cats, &ncats, &firms) < 0)
			goto out;
		printf("%s\n  categories:", o->title);
		for (i = 0; i < ncats; i++)
			printf(" %s", cats[i]);
		printf("%s\n  %zu firm%s to mail; nothing stored\n",
		       ncats ? "" : " (none)", firms, firms == 1 ? "" : "s");
	} else {
		if (own_notice_publish(d, o, "cli", notice_id, sizeof notice_id,
				       &matched) < 0)
			goto out;
		printf("%s: %s\n  %s\n  %u firm%s to mail with the next run\n",
		       notice_id, o->title, o->url, matched,
		       matched == 1 ? "" : "s");
	}
	rc = 0;
out:
	strvec_free(cats, ncats);
	own_notice_free(o);
	buf_release(&why);
	return rc;
}

/* notice add ... and notice withdraw ID --why TEXT. */
static int
notice_own(const char *config_path, int argc, char **argv)
{
	struct own_notice_input in = { 0 };
	const char *why = NULL;
	int preview = 0, add = strcmp(argv[1], "add") == 0, at, rc;
	enum cmd_option_fault fault;
	const struct cmd_option add_opts[] = {
		{ .name = "--url", .value = &in.url },
		{ .name = "--title", .value = &in.title },
		{ .name = "--description", .value = &in.description },
		{ .name = "--deadline", .value = &in.deadline },
		{ .name = "--categories", .value = &in.categories },
		{ .name = "--cpv", .value = &in.cpv },
		{ .name = "--value", .value = &in.value },
		{ .name = "--kind", .value = &in.kind },
		{ .name = "--preview", .flag = &preview },
		{ 0 }
	}, withdraw_opts[] = {
		{ .name = "--why", .value = &why },
		{ 0 }
	};
	struct rfi_desk d;
	struct app app;
	time_t now;

	if (add ? cmd_options(add_opts, argc - 2, argv + 2, &at, &fault) < 0 :
		  argc < 3 || cmd_options(withdraw_opts, argc - 3, argv + 3,
					  &at, &fault) < 0 || !why)
		return usage_error(usage_notice, add ?
				   "notice add: expected --url URL --title T "
				   "and the options above" :
				   "notice withdraw: expected ID --why TEXT");
	if (current_time(&now) < 0 ||
	    app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	d = (struct rfi_desk){ .store = app.store, .cfg = app.cfg,
				.categories = &app.categories, .now = now };
	if (add)
		rc = notice_add(&d, &in, preview);
	else if ((rc = own_notice_withdraw(&d, argv[2], why)) == 0)
		printf("%s withdrawn: off the public pages and the report; "
		       "the firms told of it are told with the next run\n",
		       argv[2]);
	app_close(&app);
	return rc == 0 ? EXIT_OK : EXIT_ERROR;
}

/* notice purge [--before YYYY-MM-DD] */
static int
notice_purge(const char *config_path, int argc, char **argv)
{
	const char *before = NULL;
	const struct cmd_option opts[] = {
		{ .name = "--before", .value = &before },
		{ 0 }
	};
	enum cmd_option_fault fault;
	struct app app;
	long long n;
	time_t now, when = 0;
	int at, rc = EXIT_ERROR;

	if (cmd_options(opts, argc - 2, argv + 2, &at, &fault) < 0 ||
	    (before && parse_local_day(before, &when) < 0))
		return usage_error(usage_notice, "notice purge: expected "
				   "[--before YYYY-MM-DD]");
	if (current_time(&now) < 0 ||
	    app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	/* again, now that it is a day of the configured zone */
	if (before)
		parse_local_day(before, &when);
	else
		when = now - app.cfg->keep_notices;
	if (store_purge_notices(app.store, when, now, &n) == 0) {
		printf("%lld notice%s purged\n", n, n == 1 ? "" : "s");
		rc = EXIT_OK;
	}
	app_close(&app);
	return rc;
}

int
cmd_notice(const char *config_path, int argc, char **argv)
{
	struct stored_notice *n = NULL;
	struct app app;
	size_t i, j;
	int rc = EXIT_ERROR;

	if (argc >= 2 && (strcmp(argv[1], "add") == 0 ||
			  strcmp(argv[1], "withdraw") == 0))
		return notice_own(config_path, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "purge") == 0)
		return notice_purge(config_path, argc, argv);
	if (argc != 3 || strcmp(argv[1], "show") != 0)
		return usage_error(usage_notice, "notice: expected show ID, "
				   "add, withdraw or purge");
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
outbox_list(struct store *store, int argc, char **argv)
{
	static const char *const states[] = {
	"pending", "sending", "sent", "failed", NULL
	};
	struct outbox_entry *e = NULL;
	const char *state = NULL;
	size_t n = 0, i;
	long limit = 50;
	int at;
	enum cmd_option_fault fault;
	const struct cmd_option opts[] = {
		{ .name = "--state", .value = &state, .choices = states },
		{ .name = "-n", .number = &limit, .max = 1000000 },
		{ 0 }
	};

	if (cmd_options(opts, argc - 2, argv + 2, &at, &fault) < 0) {
		const char *opt = argv[2 + at];

		if (fault == OPTION_NO_VALUE)
			return usage_error(usage_outbox, "outbox list: %s needs a "
					   "value", opt);
		if (fault == OPTION_UNKNOWN)
			return usage_error(usage_outbox, "outbox list: unknown "
					   "option '%s'", opt);
		if (strcmp(opt, "-n") == 0)
			return usage_error(usage_outbox, "outbox list: -n takes "
					   "a number from 1 to 1000000");
		return usage_error(usage_outbox, "outbox list: unknown state "
				   "'%s'", argv[3 + at]);
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

int
cmd_outbox(const char *config_path, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	struct app app;
	long long purged;
	time_t when;
	const char *before = NULL;
	char *end = NULL;
	long long id = 0;
	int bad, rc = EXIT_ERROR;
	enum cmd_option_fault fault;
	const struct cmd_option opts[] = {
		{ .name = "--sent-before", .value = &before },
		{ 0 }
	};

	if (strcmp(sub, "list") != 0 && strcmp(sub, "retry") != 0 &&
	    strcmp(sub, "purge") != 0)
		return usage_error(usage_outbox, "outbox: expected list, retry or purge");
	if (strcmp(sub, "retry") == 0 && argc == 3)
		id = strtoll(argv[2], &end, 10);
	if (strcmp(sub, "retry") == 0 && (id < 1 || !end || *end))
		return usage_error(usage_outbox, "outbox retry: expected a message id");
	if (strcmp(sub, "purge") == 0 &&
	    (argc != 4 || cmd_options(opts, 2, argv + 2, &bad, &fault) < 0 ||
	     parse_local_day(before, &when) < 0))
		return usage_error(usage_outbox, "outbox purge: expected "
				   "--sent-before YYYY-MM-DD");
	if (app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	/* again, now that it is a day of the configured zone */
	if (strcmp(sub, "purge") == 0)
		parse_local_day(before, &when);
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
