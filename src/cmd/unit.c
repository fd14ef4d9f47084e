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
	"\n"
	"Split advice for the procurement unit: the municipality's own planned\n"
	"procurements, RFIs and contract notices ([service] own_buyers) that\n"
	"have one lot while spanning several categories to be divided, or\n"
	"exceeding the value band of their category, with the value per\n"
	"category where known and how many subscribed firms fit each part.\n";

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

const char usage_bid[] =
	"usage: tenderlots bid record NOTICE ORGNR [--on YYYY-MM-DD]\n"
	"\n"
	"Records that a registered firm bid in a procurement (the firm told\n"
	"the unit, or the tender opening shows it), for the report.\n";

const char usage_report[] =
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

int
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

int
cmd_report(const char *config_path, int argc, char **argv)
{
	const char *format = "html", *lang = "sv", *output = NULL;
	const char *from_day = NULL, *to_day = NULL;
	struct report_row *rows = NULL;
	struct app app;
	struct buf out;
	time_t now, from = 0, to = 0;
	size_t n = 0;
	int at, rc = EXIT_ERROR;
	enum cmd_option_fault fault;
	static const char *const formats[] = { "html", "csv", NULL };
	static const char *const langs[] = { "sv", "en", NULL };
	const struct cmd_option opts[] = {
		{ .name = "--from", .value = &from_day },
		{ .name = "--to", .value = &to_day },
		{ .name = "--format", .value = &format, .choices = formats },
		{ .name = "--lang", .value = &lang, .choices = langs },
		{ .name = "-o", .value = &output },
		{ 0 }
	};

	if (current_time(&now) < 0)
		return EXIT_ERROR;
	if (cmd_options(opts, argc - 1, argv + 1, &at, &fault) < 0)
		return fault == OPTION_NO_VALUE ?
		       usage_error(usage_report, "report: %s needs a value",
				   argv[1 + at]) :
		       usage_error(usage_report, "report: bad option '%s %s'",
				   argv[1 + at], argv[2 + at]);
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
