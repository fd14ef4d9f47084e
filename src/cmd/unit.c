/*
 * The procurement unit's work with local firms: split advice, information
 * meetings, RFIs, bids and the participation report.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "advice.h"
#include "ingest.h"
#include "log.h"
#include "match.h"
#include "meeting.h"
#include "meetings.h"
#include "money.h"
#include "participation.h"
#include "report.h"
#include "rfi.h"
#include "stats.h"

const char usage_advice[] =
	"usage: tenderlots advice\n"
	"       tenderlots advice decide NOTICE divided --parts TEXT --by NAME\n"
	"       tenderlots advice decide NOTICE not_divided --reasons KEYS\n"
	"                                [--note TEXT] --by NAME\n"
	"       tenderlots advice decide NOTICE later [--note TEXT] --by NAME\n"
	"       tenderlots advice record NOTICE [--lang sv|en] [-o FILE]\n"
	"\n"
	"Split advice for the procurement unit: the municipality's own planned\n"
	"procurements, RFIs and contract notices ([service] own_buyers) that\n"
	"have one lot while spanning several categories to be divided, or\n"
	"exceeding the value band of their category, with the value per\n"
	"category where known and how many subscribed firms fit each part.\n"
	"decide records the unit's decision on one, who made it and when:\n"
	"divided (into the parts named), not divided with the reasons LOU\n"
	"4 kap. 14 § asks for (space-separated: coordination, cost, technical,\n"
	"competition, market, small, other; other needs a --note), or later.\n"
	"record writes the decisions as a printable HTML page for the\n"
	"procurement's file.\n";

const char usage_meeting[] =
	"usage: tenderlots meeting new FILE\n"
	"       tenderlots meeting change ID FILE [--confirm]\n"
	"       tenderlots meeting cancel ID\n"
	"       tenderlots meeting list\n"
	"       tenderlots meeting register|unregister ID ORGNR...\n"
	"       tenderlots meeting attended ID ORGNR... | --file FILE.csv\n"
	"       tenderlots meeting participants ID\n"
	"       tenderlots meeting checkin ID [--lang sv|en] [-o FILE]\n"
	"\n"
	"Information meetings (config/meeting.example.conf shows a file):\n"
	"new publishes one, and the next run invites every firm matched to\n"
	"its notice or subscribed to its category, with a calendar file;\n"
	"change replaces its details and cancel cancels it, and the firms\n"
	"invited get an update or a cancellation; list shows those ahead.\n"
	"register records a firm's registration (before the registration\n"
	"deadline; beyond the capacity on the waiting list, whose first\n"
	"moves up when someone unregisters); those registered get a reminder\n"
	"the day before. Any other supplier registers on the meeting's page.\n"
	"A change that leaves fewer seats than firms registered names who\n"
	"would move to the waiting list and changes nothing without\n"
	"--confirm. attended records who came, once the meeting has begun,\n"
	"from the command line or a file with one organisation number a\n"
	"line; checkin writes the list to tick at the door, as HTML to print.\n";

const char usage_rfi[] =
	"usage: tenderlots rfi new FILE [--anyway]\n"
	"       tenderlots rfi preview FILE\n"
	"       tenderlots rfi list\n"
	"       tenderlots rfi change ID FILE\n"
	"       tenderlots rfi withdraw ID --why TEXT\n"
	"       tenderlots rfi respond ID ORGNR... | --file FILE.csv\n"
	"       tenderlots rfi responses ID\n"
	"       tenderlots rfi close ID\n"
	"\n"
	"Requests for information (market dialogue). preview shows which\n"
	"categories an RFI file falls into, how many firms it would reach and\n"
	"the RFIs it may repeat (same title, or same CPV codes and buyer, in\n"
	"the last 90 days), without publishing. new publishes one of the\n"
	"unit's own (config/rfi.example.conf shows a file), unless it may\n"
	"repeat another (--anyway publishes it all the same): it is matched\n"
	"like any RFI notice and the next run mails the firms it fits. change\n"
	"replaces it by a file, and the firms told get the changes; withdraw\n"
	"takes one published by mistake off the public pages, the feeds and\n"
	"the report, and the firms told get a short mail saying why. list\n"
	"shows the open RFIs, the unit's and those of other buyers; respond\n"
	"records which firms answered, responses lists them; close ends one\n"
	"of the unit's own RFIs: no more answers are expected and no\n"
	"reminders go.\n";

const char usage_bid[] =
	"usage: tenderlots bid record NOTICE ORGNR [--on YYYY-MM-DD]\n"
	"\n"
	"Records that a registered firm bid in a procurement (the firm told\n"
	"the unit, or the tender opening shows it), for the report.\n";

const char usage_report[] =
	"usage: tenderlots report [--period YYYY-QN|YYYY]\n"
	"                         [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
	"                         [--category KEY] [--format html|csv|xlsx]\n"
	"                         [--lang sv|en] [-o FILE]\n"
	"\n"
	"Local participation per category and quarter for the business\n"
	"development unit: notices, lots, large procurements divided into\n"
	"lots, firms subscribed, alerted, at meetings, answering RFIs,\n"
	"bidding and winning, lead times and meetings. Only aggregate\n"
	"figures. By default the four quarters before the current one and\n"
	"the current one through today, as one HTML file with charts on\n"
	"stdout. --period is a quarter (2026-Q3) or a year (2026); --to is\n"
	"the last day counted. csv and xlsx open in Swedish Excel.\n";

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

/* advice decide NOTICE DECISION [options] */
static int
advice_decide_args(const char *config_path, int argc, char **argv)
{
	struct split_decision d = { 0 };
	const char *parts = NULL, *reasons = NULL, *note = NULL, *by = NULL;
	struct app app;
	time_t now;
	int at, rc = EXIT_ERROR;
	enum cmd_option_fault fault;
	const struct cmd_option opts[] = {
		{ .name = "--parts", .value = &parts },
		{ .name = "--reasons", .value = &reasons },
		{ .name = "--note", .value = &note },
		{ .name = "--by", .value = &by },
		{ 0 }
	};

	if (argc < 4 || cmd_options(opts, argc - 4, argv + 4, &at, &fault) < 0)
		return usage_error(usage_advice, "advice decide: expected NOTICE "
				   "divided|not_divided|later and --by NAME");
	if (current_time(&now) < 0 ||
	    app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	d.notice_id = argv[2];
	d.decision = argv[3];
	d.parts = (char *)parts;
	d.reasons = (char *)reasons;
	d.note = (char *)note;
	d.decided_by = (char *)by;
	if (advice_decide(app.store, &d, now) == 0) {
		printf("%s: decision %lld recorded (%s)\n", d.notice_id,
		       (long long)d.id, d.decision);
		rc = EXIT_OK;
	}
	app_close(&app);
	return rc;
}

/* advice record NOTICE [--lang sv|en] [-o FILE] */
static int
advice_record_args(const char *config_path, int argc, char **argv)
{
	static const char *const langs[] = { "sv", "en", NULL };
	const char *lang = "sv", *output = NULL;
	struct app app;
	struct buf out;
	int at, rc = EXIT_ERROR;
	enum cmd_option_fault fault;
	const struct cmd_option opts[] = {
		{ .name = "--lang", .value = &lang, .choices = langs },
		{ .name = "-o", .value = &output },
		{ 0 }
	};

	if (argc < 3 || cmd_options(opts, argc - 3, argv + 3, &at, &fault) < 0)
		return usage_error(usage_advice, "advice record: expected NOTICE "
				   "[--lang sv|en] [-o FILE]");
	if (app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	buf_init(&out, 4u * 1024u * 1024u);
	if (advice_record_html(app.store, argv[2], lang, &out) == 0 &&
	    write_out(output, &out) == 0)
		rc = EXIT_OK;
	buf_release(&out);
	app_close(&app);
	return rc;
}

int
cmd_advice(const char *config_path, int argc, char **argv)
{
	struct firm_list firms = { 0 };
	struct money_rates *rates = NULL;
	struct app app;
	struct match_options mo = { 0 };
	struct advice_context ctx = { 0 };
	unsigned count;
	int rc = EXIT_ERROR;

	if (argc > 1 && strcmp(argv[1], "decide") == 0)
		return advice_decide_args(config_path, argc, argv);
	if (argc > 1 && strcmp(argv[1], "record") == 0)
		return advice_record_args(config_path, argc, argv);
	if (argc != 1)
		return usage_error(usage_advice, "advice: expected decide or "
				   "record, or no arguments");
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

/*
 * The organisation numbers named on the command line or in a file; each
 * line[i] is its line in the file, 0 from the command line.
 */
static int
named_orgnrs(int argc, char **argv, struct orgnr_entry **out, size_t *n)
{
	int i;

	if (argc == 2 && strcmp(argv[0], "--file") == 0)
		return participation_read_orgnrs(argv[1], out, n);
	if (!(*out = calloc(argc ? (size_t)argc : 1, sizeof **out)))
		return error("out of memory");
	for (i = 0; i < argc; i++)
		if (orgnr_normalize(argv[i], (*out)[i].orgnr) < 0) {
			free(*out);
			*out = NULL;
			return error("'%s' is not an organisation number", argv[i]);
		}
	*n = (size_t)argc;
	return 0;
}

/* Names orgnr for a message: with its file and line when it had one. */
static void
say_orgnr(const struct orgnr_entry *e, char **argv, const char *what)
{
	if (e->line)
		error("%s:%zu: %s %s", argv[1], e->line, e->orgnr, what);
	else
		error("%s %s", e->orgnr, what);
}

/* The firms named by organisation number on the command line or in a file. */
static int
named_firms(struct store *s, int argc, char **argv, int64_t **ids, size_t *n)
{
	struct orgnr_entry *list = NULL;
	size_t count = 0, i;
	int rc = -1;

	*ids = NULL;
	*n = 0;
	if (named_orgnrs(argc, argv, &list, &count) < 0)
		return -1;
	if (!(*ids = calloc(count ? count : 1, sizeof **ids))) {
		error("out of memory");
		goto out;
	}
	for (i = 0; i < count; i++) {
		if (store_firm_id(s, list[i].orgnr, &(*ids)[i]) < 0)
			goto out;
		if (!(*ids)[i]) {
			say_orgnr(&list[i], argv, "is not a registered firm");
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

static const char *const state_names[] = {
	[RS_NONE] = "attended", [RS_PENDING] = "unconfirmed",
	[RS_REGISTERED] = "registered", [RS_WAITING] = "waiting",
	[RS_CANCELLED] = "cancelled",
};

static int
meeting_participants(const struct app *app, int64_t id)
{
	struct attendee *r = NULL;
	struct buf when;
	size_t n = 0, i, count[RS_CANCELLED + 1] = { 0 }, attended = 0;

	if (store_attendees(app->store, id, &r, &n) < 0)
		return EXIT_ERROR;
	buf_init(&when, 256);
	for (i = 0; i < n; i++) {
		buf_reset(&when);
		if (r[i].at)
			alert_format_time(r[i].at, "sv", &when);
		printf("%s  %-40s %-11s%s %s\n", r[i].orgnr, r[i].name,
		       state_names[r[i].state], r[i].attended ? " attended" : "",
		       buf_str(&when));
		count[r[i].state]++;
		attended += r[i].attended != 0;
	}
	printf("%zu registered, %zu attended\n", count[RS_REGISTERED],
	       attended);
	if (count[RS_WAITING])
		printf("%zu on the waiting list\n", count[RS_WAITING]);
	buf_release(&when);
	attendees_free(r, n);
	return EXIT_OK;
}

static int
meeting_register(const struct app *app, int64_t id, time_t now, int argc,
		 char **argv)
{
	enum registration reg;
	int64_t *firms = NULL;
	size_t n = 0, i, already = 0, waiting = 0;
	int rc = EXIT_ERROR;

	if (named_firms(app->store, argc, argv, &firms, &n) < 0)
		return EXIT_ERROR;
	if (store_begin(app->store) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (participation_register(app->store, id, firms[i], now, "cli",
					   &reg) < 0)
			goto fail;
		if (reg != REG_OK && reg != REG_ALREADY && reg != REG_WAITING) {
			error("meeting %lld: %s", (long long)id,
			      registration_text(reg));
			goto fail;
		}
		already += reg == REG_ALREADY;
		waiting += reg == REG_WAITING;
	}
	if (store_commit(app->store) < 0)
		goto fail;
	printf("meeting %lld: %zu firm%s registered\n", (long long)id,
	       n - already - waiting, n - already - waiting == 1 ? "" : "s");
	if (waiting)
		printf("%zu on the waiting list: the meeting is full\n", waiting);
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
meeting_unregister(const struct app *app, struct outbox *o, int64_t id,
		   time_t now, int argc, char **argv)
{
	int64_t *firms = NULL;
	size_t n = 0, missing;
	int rc = EXIT_ERROR;

	if (named_firms(app->store, argc, argv, &firms, &n) < 0 ||
	    meetings_cancel_firms(app->store, o, id, firms, n, now,
				  &missing) < 0)
		goto out;
	if (missing < n) {
		error("%s: not registered for meeting %lld", argv[missing],
		      (long long)id);
		goto out;
	}
	printf("meeting %lld: %zu firm%s unregistered\n", (long long)id, n,
	       n == 1 ? "" : "s");
	rc = EXIT_OK;
out:
	free(firms);
	return rc;
}

static int
meeting_attended(const struct app *app, int64_t id, time_t now, int argc,
		 char **argv)
{
	struct orgnr_entry *list = NULL;
	enum attendance result;
	char (*orgnrs)[12] = NULL;
	size_t n = 0, i, bad;
	int rc = EXIT_ERROR;

	if (named_orgnrs(argc, argv, &list, &n) < 0)
		return EXIT_ERROR;
	if (!(orgnrs = calloc(n ? n : 1, sizeof *orgnrs))) {
		error("out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		memcpy(orgnrs[i], list[i].orgnr, sizeof orgnrs[i]);
	if (meetings_attended(app->store, id, orgnrs, n, now, "cli", &result,
			      &bad) < 0)
		goto out;
	if (result == ATTENDANCE_UNKNOWN) {
		say_orgnr(&list[bad], argv, attendance_text(result));
		goto out;
	}
	if (result != ATTENDANCE_OK) {
		error("meeting %lld: %s", (long long)id, attendance_text(result));
		goto out;
	}
	printf("meeting %lld: %zu firm%s recorded as attending\n",
	       (long long)id, n, n == 1 ? "" : "s");
	rc = EXIT_OK;
out:
	free(orgnrs);
	free(list);
	return rc;
}

/* change: with fewer seats than registered, only with --confirm. */
static int
meeting_change(const struct app *app, struct outbox *o, int64_t id,
	       const char *path, int confirm, time_t now)
{
	struct attendee *moving = NULL;
	enum meeting_change result;
	struct meeting *m = NULL;
	size_t n = 0, i;
	int rc = EXIT_ERROR;

	if (load_meeting(app, path, now, &m) < 0 ||
	    meetings_change(app->store, o, id, m, confirm, now, &result,
			    &moving, &n) < 0)
		goto out;
	if (result == CHANGE_NO_MEETING) {
		error("no meeting %lld that is not cancelled", (long long)id);
		goto out;
	}
	if (result == CHANGE_CONFIRM) {
		error("meeting %lld: %s: capacity %ld leaves %zu registered "
		      "firm%s without a seat; they would move to the waiting "
		      "list, the latest registered first:", (long long)id, path,
		      m->capacity, n, n == 1 ? "" : "s");
		for (i = 0; i < n; i++)
			fprintf(stderr, "  %s  %s\n", moving[i].orgnr,
				moving[i].name);
		fprintf(stderr, "Nothing is changed. Run again with --confirm "
			"to move them.\n");
		goto out;
	}
	printf("meeting %lld changed; those invited and registered get an "
	       "update with the next run\n", (long long)id);
	rc = EXIT_OK;
out:
	attendees_free(moving, n);
	meeting_free(m);
	return rc;
}

static int
meeting_checkin(const struct app *app, int64_t id, int argc, char **argv)
{
	static const char *const langs[] = { "sv", "en", NULL };
	const char *lang = "sv", *output = NULL;
	const struct cmd_option opts[] = {
		{ .name = "--lang", .value = &lang, .choices = langs },
		{ .name = "-o", .value = &output },
		{ 0 }
	};
	enum cmd_option_fault fault;
	struct buf html;
	FILE *f = stdout;
	int at, found, rc = EXIT_ERROR;

	if (cmd_options(opts, argc, argv, &at, &fault) < 0)
		return usage_error(usage_meeting, "meeting checkin: bad option "
				   "'%s'", argv[at]);
	buf_init(&html, 16u << 20);
	if (meetings_checkin_html(app->store, id, lang, &html, &found) < 0)
		goto out;
	if (!found) {
		error("no meeting %lld", (long long)id);
		goto out;
	}
	if (output && !(f = fopen(output, "w"))) {
		error("%s: %s", output, strerror(errno));
		goto out;
	}
	if (fwrite(html.data, 1, html.len, f) != html.len ||
	    (output ? fclose(f) : fflush(f)) != 0) {
		error("%s: %s", output ? output : "stdout", strerror(errno));
		goto out;
	}
	rc = EXIT_OK;
out:
	buf_release(&html);
	return rc;
}

int
cmd_meeting(const char *config_path, int argc, char **argv)
{
	static const char *const with_id[] = {
	"change", "cancel", "register", "unregister", "attended",
	"participants", "checkin", NULL
	};
	const char *sub = argc > 1 ? argv[1] : "";
	const char *const *w;
	struct outbox *o = NULL;
	struct meeting *m = NULL;
	struct app app;
	char *end = NULL;
	long long id = 0;
	int64_t new_id;
	time_t now;
	int confirm, found = 1, rc = EXIT_ERROR;

	for (w = with_id; *w && strcmp(*w, sub) != 0; w++)
		;
	confirm = strcmp(sub, "change") == 0 && argc == 5 &&
		  strcmp(argv[4], "--confirm") == 0;
	if (*w) {
		if (argc < 3 || (id = strtoll(argv[2], &end, 10)) < 1 || *end)
			return usage_error(usage_meeting, "meeting %s: expected "
					   "a meeting id", sub);
		/* change takes a file, the firm commands one or more firms */
		if (strcmp(sub, "change") == 0 ? argc != 4 + confirm :
		    strcmp(sub, "cancel") == 0 ||
		    strcmp(sub, "participants") == 0 ? argc != 3 :
		    strcmp(sub, "checkin") != 0 && argc < 4)
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
	/* a seat let go or taken away is mailed about */
	if (!(o = outbox_new(app.store, app.cfg, &app.categories, app.templates,
			     app.key)))
		goto out;
	if (strcmp(sub, "list") == 0) {
		rc = meeting_list(&app, now);
	} else if (strcmp(sub, "participants") == 0) {
		rc = meeting_participants(&app, id);
	} else if (strcmp(sub, "checkin") == 0) {
		rc = meeting_checkin(&app, id, argc - 3, argv + 3);
	} else if (strcmp(sub, "register") == 0) {
		rc = meeting_register(&app, id, now, argc - 3, argv + 3);
	} else if (strcmp(sub, "unregister") == 0) {
		rc = meeting_unregister(&app, o, id, now, argc - 3, argv + 3);
	} else if (strcmp(sub, "attended") == 0) {
		rc = meeting_attended(&app, id, now, argc - 3, argv + 3);
	} else if (strcmp(sub, "change") == 0) {
		rc = meeting_change(&app, o, id, argv[3], confirm, now);
	} else if (strcmp(sub, "new") == 0) {
		if (load_meeting(&app, argv[2], now, &m) == 0 &&
		    store_put_meeting(app.store, m, now, &new_id) == 0) {
			printf("meeting %lld: %s; invitations go out with the "
			       "next run\n", (long long)new_id, m->title);
			rc = EXIT_OK;
		}
	} else if (store_cancel_meeting(app.store, id, now, &found) == 0 && found) {
		printf("meeting %lld cancelled; those invited and registered "
		       "are told with the next run\n", id);
		rc = EXIT_OK;
	}
	if (!found)
		error("no meeting %lld that is not cancelled", id);
out:
	outbox_free(o);
	meeting_free(m);
	app_close(&app);
	return rc;
}

static void
print_entry(const struct rfi_entry *e, struct buf *when)
{
	buf_reset(when);
	if (e->has_deadline)
		alert_format_time(e->deadline, "sv", when);
	printf("%s  %s\n       answer by %s, %lld answer%s%s\n",
	       e->notice_id, e->title,
	       e->has_deadline ? buf_str(when) : "(no deadline)",
	       e->responses, e->responses == 1 ? "" : "s",
	       e->own ? "" : ", published by another buyer");
}

/*
 * What publishing the RFI of a file would do; 1 when it may repeat one
 * published lately, which `new` then refuses without --anyway.
 */
static int
rfi_show_preview(const struct rfi_desk *d, const struct rfi *r,
		 const char *path)
{
	struct rfi_preview p;
	struct buf when;
	size_t i;

	if (rfi_preview(d, r, path, &p) < 0)
		return -1;
	buf_init(&when, 256);
	printf("%s: %s\n  categories:", path, r->title);
	for (i = 0; i < p.ncategories; i++)
		printf(" %s", p.categories[i]);
	printf("%s\n  %zu firm%s to mail\n", p.ncategories ? "" : " (none)",
	       p.firms, p.firms == 1 ? "" : "s");
	if (p.nduplicates)
		printf("  it may repeat %s published in the last %d days:\n",
		       p.nduplicates == 1 ? "an RFI" : "RFIs",
		       RFI_DUPLICATE_DAYS);
	for (i = 0; i < p.nduplicates; i++)
		print_entry(&p.duplicates[i], &when);
	buf_release(&when);
	i = p.nduplicates;
	rfi_preview_release(&p);
	return i ? 1 : 0;
}

/*
 * Publishes an RFI of the unit's own: stored and matched as an RFI notice
 * is, so the next run mails the firms it fits, and its public page lists
 * it. One that may repeat another is only shown, unless anyway.
 */
static int
rfi_new_from(const struct rfi_desk *d, const char *path, int anyway)
{
	struct rfi *r = NULL;
	char notice_id[64];
	unsigned firms;
	int rc = -1, dup;

	if (rfi_load(path, &r) < 0 || (dup = rfi_show_preview(d, r, path)) < 0)
		goto out;
	if (dup && !anyway) {
		error("%s: not published: it may repeat an RFI above (rfi new "
		      "--anyway publishes it all the same)", path);
		goto out;
	}
	if (rfi_publish(d, r, path, notice_id, sizeof notice_id, &firms) < 0)
		goto out;
	printf("%s: %s\n  %s/rfi/%s\n  %u firm%s to mail with the next run\n",
	       notice_id, r->title, d->cfg->public_url, notice_id, firms,
	       firms == 1 ? "" : "s");
	rc = 0;
out:
	rfi_free(r);
	return rc;
}

/* preview FILE, change ID FILE: an RFI file read and acted on. */
static int
rfi_from_file(const struct rfi_desk *d, const char *id, const char *path)
{
	struct rfi *r = NULL;
	int rc = -1;

	if (rfi_load(path, &r) < 0)
		return -1;
	if (!id)
		rc = rfi_show_preview(d, r, path) < 0 ? -1 : 0;
	else if (rfi_edit(d, id, r, path) == 0) {
		printf("%s changed; the firms told of it get the changes with "
		       "the next run\n", id);
		rc = 0;
	}
	rfi_free(r);
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
	for (i = 0; i < n; i++)
		print_entry(&e[i], &when);
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

/* The subcommands of rfi, with their words. */
static const struct subcommand rfi_subs[] = {
	{ "new", 3, 1 }, { "preview", 3, 0 }, { "list", 2, 0 },
	{ "responses", 3, 0 }, { "close", 3, 0 }, { "change", 4, 0 },
	{ "withdraw", 3, 2 }, { "respond", 4, 1000 },
};

int
cmd_rfi(const char *config_path, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	const char *why = NULL;
	struct rfi_entry *e = NULL;
	struct rfi_desk d;
	struct app app;
	size_t n = 0;
	time_t now;
	int anyway = 0, bad, rc = EXIT_ERROR;
	enum cmd_option_fault fault;
	const struct cmd_option new_opts[] = {
		{ .name = "--anyway", .flag = &anyway },
		{ 0 }
	}, withdraw_opts[] = {
		{ .name = "--why", .value = &why },
		{ 0 }
	};

	if (!subcommand_ok(rfi_subs, sizeof rfi_subs / sizeof *rfi_subs, sub,
			   argc) ||
	    (argc > 3 && strcmp(sub, "new") == 0 &&
	     cmd_options(new_opts, argc - 3, argv + 3, &bad, &fault) < 0) ||
	    (argc > 3 && strcmp(sub, "withdraw") == 0 &&
	     cmd_options(withdraw_opts, argc - 3, argv + 3, &bad, &fault) < 0))
		return usage_error(usage_rfi, "rfi: expected new FILE [--anyway], "
				   "preview FILE, list, change ID FILE, "
				   "withdraw ID --why TEXT, respond ID "
				   "ORGNR..., responses ID or close ID");
	if (current_time(&now) < 0 ||
	    app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	d = (struct rfi_desk){ .store = app.store, .cfg = app.cfg,
				.categories = &app.categories, .now = now };
	if (strcmp(sub, "new") == 0) {
		rc = rfi_new_from(&d, argv[2], anyway) == 0 ? EXIT_OK : EXIT_ERROR;
	} else if (strcmp(sub, "preview") == 0) {
		rc = rfi_from_file(&d, NULL, argv[2]) == 0 ? EXIT_OK : EXIT_ERROR;
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
		error("%s is another buyer's RFI: only the unit's own %s here",
		      argv[2], sub);
	} else if (strcmp(sub, "change") == 0) {
		rc = rfi_from_file(&d, argv[2], argv[3]) == 0 ? EXIT_OK :
								EXIT_ERROR;
	} else if (strcmp(sub, "withdraw") == 0) {
		if (rfi_withdraw(&d, argv[2], why) == 0) {
			printf("%s withdrawn: off the public pages and the "
			       "report; the firms told of it are told with the "
			       "next run\n", argv[2]);
			rc = EXIT_OK;
		}
	} else if (rfi_close(&d, argv[2]) == 0) {
		printf("%s closed: no more answers or reminders\n", argv[2]);
		rc = EXIT_OK;
	}
out:
	rfi_entries_free(e, n);
	app_close(&app);
	return rc;
}

int
cmd_bid(const char *config_path, int argc, char **argv)
{
	struct stored_notice *notice = NULL;
	struct app app;
	int64_t *firm = NULL;
	size_t n = 0;
	const char *on = NULL;
	time_t at;
	int created, bad, rc = EXIT_ERROR;
	enum cmd_option_fault fault;
	const struct cmd_option opts[] = {
		{ .name = "--on", .value = &on },
		{ 0 }
	};

	if (argc < 4 || argc > 6 || strcmp(argv[1], "record") != 0 ||
	    cmd_options(opts, argc - 4, argv + 4, &bad, &fault) < 0)
		return usage_error(usage_bid, "bid: expected record NOTICE ORGNR "
				   "[--on YYYY-MM-DD]");
	if (current_time(&at) < 0 ||
	    app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	if (on && parse_day(on, &at) < 0)
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

int
cmd_report(const char *config_path, int argc, char **argv)
{
	struct report_request q = { .format = "html", .lang = "sv",
				    .messages = "en" };
	const char *output = NULL;
	struct report_fault fault;
	struct report_source src;
	struct app app;
	struct buf out;
	time_t now;
	int at, rc = EXIT_ERROR;
	enum cmd_option_fault option_fault;
	static const char *const formats[] = { "html", "csv", "xlsx", NULL };
	static const char *const langs[] = { "sv", "en", NULL };
	const struct cmd_option opts[] = {
		{ .name = "--period", .value = &q.period },
		{ .name = "--from", .value = &q.from },
		{ .name = "--to", .value = &q.to },
		{ .name = "--category", .value = &q.category },
		{ .name = "--format", .value = &q.format, .choices = formats },
		{ .name = "--lang", .value = &q.lang, .choices = langs },
		{ .name = "-o", .value = &output },
		{ 0 }
	};

	if (current_time(&now) < 0)
		return EXIT_ERROR;
	if (cmd_options(opts, argc - 1, argv + 1, &at, &option_fault) < 0)
		return option_fault == OPTION_NO_VALUE ?
		       usage_error(usage_report, "report: %s needs a value",
				   argv[1 + at]) :
		       usage_error(usage_report, "report: bad option '%s %s'",
				   argv[1 + at], argv[2 + at]);
	/* days are local days of the configured zone, known once it is read */
	if (app_open(&app, config_path, APP_STORE) < 0)
		return EXIT_ERROR;
	src = (struct report_source){ app.store, &app.categories,
				      app.cfg->service_name,
				      app.cfg->municipalities,
				      app.cfg->own_buyers };
	buf_init(&out, 64u * 1024u * 1024u);
	if (report_make(&src, &q, now, &out, &fault) == 0 &&
	    write_out(output, &out) == 0)
		rc = EXIT_OK;
	else if (fault.field)
		error("report: --%s", fault.text);
	buf_release(&out);
	app_close(&app);
	return rc;
}
