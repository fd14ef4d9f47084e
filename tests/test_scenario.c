/*
 * A year of local participation, through the real binary: the firm
 * register is imported, a planned procurement is published, the unit
 * holds a market dialogue (RFI) and a meeting for painters, the contract
 * notice comes with three lots, firms bid, the award names a local
 * winner; each step runs on its own day (TENDERLOTS_NOW). Then the report
 * for näringslivsenheten: the CSV figures, worked out by hand from the
 * steps, and the HTML as headless Chromium draws it. Two years on, the
 * notices' texts are purged ([health] keep_notices): the report is the
 * same byte for byte, the texts and search entries are gone, the open
 * RFI and a recent notice keep theirs, and the RFI's public page, once
 * purged, says its text is no longer kept.
 *
 * The steps share one directory and run in order, each building on the
 * one before; the notices and the unit's files are in
 * tests/fixtures/scenario/.
 */
#define _XOPEN_SOURCE 700

#include <stdarg.h>
#include <sys/wait.h>

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include "test.h"
#include "testutil.h"
#include "testdb.h"
#include "testweb.h"

static char dir[PATH_MAX];
static char project[PATH_MAX];

/* The contract notice of the school renovation, as bids name it. */
#define CN_ID "3d3d30af-6ffe-4616-b56f-29bbd1f13462"
/* Its copy two years on, for the Ekängsskolan (step_purge). */
#define RECENT_ID "7e1f0c52-4b2a-4d8e-9a61-0c5d2f3e8b17"

/* The register: three painters, two electricians, and a builder from Q2. */
#define AKERLUNDS "556841-2372"
#define FARGKRAFT "556903-1155"
#define NYA_MALERIET "559207-4487"
#define EXEMPELSTADS_EL "556512-9060"
#define STROMBERGS "969734-5214"
#define EKBACKENS "559361-7029"

#define MAIL_AKERLUNDS "info@akerlunds-maleri.example"
#define MAIL_FARGKRAFT "offert@fargkraft.example"
#define MAIL_NYA_MALERIET "hej@nyamaleriet.example"
#define MAIL_EXEMPELSTADS_EL "anbud@exempelstads-el.example"
#define MAIL_STROMBERGS "kontakt@strombergs-el.example"
#define MAIL_EKBACKENS "anbud@ekbackens-bygg.example"

/* What the report must never show: who the firms are. */
static const char *const firm_identities[] = {
	AKERLUNDS, "5568412372", "Åkerlunds Måleri", MAIL_AKERLUNDS,
	FARGKRAFT, "5569031155", "Färgkraft i Exempelstad", MAIL_FARGKRAFT,
	NYA_MALERIET, "5592074487", "Nya Måleriet i Väst", MAIL_NYA_MALERIET,
	EXEMPELSTADS_EL, "5565129060", "Exempelstads Elinstallationer",
	MAIL_EXEMPELSTADS_EL,
	STROMBERGS, "9697345214", "Strömbergs El", MAIL_STROMBERGS,
	EKBACKENS, "5593617029", "Ekbackens Bygg", MAIL_EKBACKENS,
	/* the winner of the electrical lot, from Stockholm */
	"556187-4305", "5561874305", "Stockholms Elentreprenad",
};

/*
 * Runs the binary (under $TENDERLOTS_WRAPPER, e.g. valgrind) in the test
 * directory with its configuration, on the day now; stdout and stderr go
 * to out.txt and err.txt there. The server's clock runs on UTC, as most
 * do: quarters and days must still be those of the configured zone.
 * Returns the exit status; what a failing command said is shown.
 */
static char *
dir_file(const char *name)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return read_text(path);
}

static int
tl(const char *now, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
tl(const char *now, const char *fmt, ...)
{
	const char *bin = getenv("TENDERLOTS_BIN");
	const char *wrapper = getenv("TENDERLOTS_WRAPPER");
	char args[2048], cmd[8192];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof cmd, "cd '%s' && TZ=UTC TENDERLOTS_NOW=%s %s '%s' "
		 "-c tenderlots.conf %s >out.txt 2>err.txt", dir, now,
		 wrapper ? wrapper : "", bin ? bin : "build/tenderlots", args);
	st = system(cmd);
	st = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (st != 0) {
		char *err = dir_file("err.txt");

		fprintf(stderr, "    %s: exit %d\n%s", args, st, err ? err : "");
		free(err);
	}
	return st;
}

/* Whether the last command printed want, showing what it printed if not. */
static int
said(const char *want)
{
	char *out = dir_file("out.txt");
	int ok = out && strstr(out, want);

	if (!ok)
		fprintf(stderr, "    want \"%s\" in:\n%s", want, out ? out : "");
	free(out);
	return ok;
}

/* The feed gets a notice the day it is published. */
static void
publish(const char *name)
{
	char from[PATH_MAX * 2], to[PATH_MAX * 2];
	char *text;

	snprintf(from, sizeof from, "%s/scenario/%s", dir, name);
	snprintf(to, sizeof to, "%s/feeds/%s", dir, name);
	if (!(text = read_text(from))) {
		perror(from);
		exit(2);
	}
	write_text(to, text);
	free(text);
}

static int
by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The recipients of the mails in the Maildir whose subject, as Python's
 * email package decodes it, starts with subject: sorted, space-separated.
 * The mails are read with tests/mailcheck.py; NULL if it failed, or if a
 * mail has a defect. The whole year sends 20 mails.
 */
static char *
recipients(const char *subject)
{
	char files[PATH_MAX + 32], *all, *line, *next, *to = NULL, *rcpt[64];
	size_t n = 0, i;
	int match = 0, defects = 0;
	struct buf b;

	snprintf(files, sizeof files, "'%s'/var/mail/new/*", dir);
	if (!(all = mailcheck(project, files, dir)))
		return NULL;
	for (line = all; *line; line = next) {
		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (strncmp(line, "file: ", 6) == 0) {
			to = NULL;
			match = 0;
		} else if (strncmp(line, "header To: ", 11) == 0) {
			to = line + 11;
		} else if (strncmp(line, "header Subject: ", 16) == 0) {
			match = !strncmp(line + 16, subject, strlen(subject));
		} else if (strncmp(line, "defects: ", 9) == 0) {
			defects |= strcmp(line, "defects: 0") != 0;
			if (match && to && n < sizeof rcpt / sizeof rcpt[0])
				rcpt[n++] = to;
		}
	}
	qsort(rcpt, n, sizeof rcpt[0], by_string);
	buf_init(&b, 0);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", rcpt[i]);
	free(all);
	if (defects) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static void
check_recipients(const char *subject, const char *want)
{
	char *got = recipients(subject);

	CHECK_STR(got, want);
	if (!got || strcmp(got, want) != 0)
		fprintf(stderr, "    of mails \"%s...\"\n", subject);
	free(got);
}

static void
setup(void)
{
	char cmd[PATH_MAX * 4], path[PATH_MAX * 2];

	make_tmpdir(dir, "test_scenario");
	snprintf(cmd, sizeof cmd, "mkdir '%s/feeds' && cp -r "
		 "'%s/tests/fixtures/scenario' '%s/scenario'", dir, project,
		 dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "setup failed: %s\n", cmd);
		exit(2);
	}
	snprintf(path, sizeof path, "%s/tenderlots.conf", dir);
	snprintf(cmd, sizeof cmd,
		 "[database]\npath = var/t.db\n"
		 "[service]\nown_buyers = 212000-9994\nsecret_file = var/secret\n"
		 "municipalities = 1480\n"
		 "[mail]\ntransport = maildir\nmaildir = var/mail\n"
		 "templates = %s/templates\n"
		 "from = Exempelkommun bevakning <bevakning@exempelkommun.example>\n"
		 "[feeds]\nfile = feeds.conf\n"
		 "[categories]\nfile = %s/config/categories.conf\n",
		 project, project);
	write_text(path, cmd);
	snprintf(path, sizeof path, "%s/feeds.conf", dir);
	write_text(path, "[local]\nkind = eforms\nurl = feeds\n");
}

/* Q1 2027: the register, and the planned school renovation. */
static void
step_q1_register_and_pin(void)
{
	CHECK(tl("2027-01-11T09:00:00Z", "firm import "
		 "scenario/firms-2027-01.csv") == 0);
	CHECK(said("scenario/firms-2027-01.csv: 5 firms imported (5 new, "
		   "0 updated)\n"));

	publish("pin.xml");
	CHECK(tl("2027-02-01T08:00:00Z", "run --once") == 0);
	CHECK(said("notices:  1 new, 0 changed, 0 unchanged, 0 rejected\n"));
	/* its one part is painting and electrical work: the five firms */
	CHECK(said("lots:     1\nmatches:  5\n"));
	CHECK(said("mails:    5 queued, 5 sent, 0 deferred, 0 failed\n"));
	check_recipients("Planerad upphandling: Renovering av Björkängsskolan",
			 MAIL_EXEMPELSTADS_EL " " MAIL_NYA_MALERIET " "
			 MAIL_AKERLUNDS " " MAIL_STROMBERGS " "
			 MAIL_FARGKRAFT);
}

/* The unit's market dialogue for painting and electrical work. */
static void
step_q1_rfi(void)
{
	CHECK(tl("2027-02-08T09:00:00Z", "rfi new scenario/rfi.conf") == 0);
	CHECK(said("rfi-1: Renovering av Björkängsskolan – måleri och el\n"));
	CHECK(said("  5 firms to mail with the next run\n"));
	CHECK(tl("2027-02-08T09:05:00Z", "run --once") == 0);
	CHECK(said("mails:    5 queued, 5 sent, 0 deferred, 0 failed\n"));
	/* an RFI names no place: the same five, wherever they work */
	check_recipients("Marknadsdialog: Renovering av Björkängsskolan",
			 MAIL_EXEMPELSTADS_EL " " MAIL_NYA_MALERIET " "
			 MAIL_AKERLUNDS " " MAIL_STROMBERGS " "
			 MAIL_FARGKRAFT);

	CHECK(tl("2027-02-12T14:00:00Z", "rfi respond rfi-1 " AKERLUNDS) == 0);
	CHECK(said("rfi-1: 1 answer recorded, 0 already were\n"));
	/* the unit's list of answers names the painter again */
	CHECK(tl("2027-02-19T14:00:00Z", "rfi respond rfi-1 --file "
		 "scenario/rfi-answers.csv") == 0);
	CHECK(said("rfi-1: 1 answer recorded, 1 already were\n"));
}

/* A meeting for painters: invited, registered, reminded, attended. */
static void
step_q1_meeting(void)
{
	char *out;

	CHECK(tl("2027-02-22T09:00:00Z", "meeting new scenario/meeting.conf")
	      == 0);
	CHECK(said("meeting 1: Branschträff måleri; invitations go out with "
		   "the next run\n"));
	CHECK(tl("2027-02-22T09:05:00Z", "run --once") == 0);
	CHECK(said("mails:    3 queued, 3 sent, 0 deferred, 0 failed\n"));
	check_recipients("Inbjudan: Branschträff måleri", MAIL_NYA_MALERIET " "
			 MAIL_AKERLUNDS " " MAIL_FARGKRAFT);

	CHECK(tl("2027-02-24T10:00:00Z", "meeting register 1 " AKERLUNDS " "
		 FARGKRAFT " " NYA_MALERIET) == 0);
	CHECK(said("meeting 1: 3 firms registered\n"));
	CHECK(tl("2027-03-01T10:00:00Z", "meeting unregister 1 " FARGKRAFT)
	      == 0);
	CHECK(said("meeting 1: 1 firm unregistered\n"));

	/* Five days before the meeting is too early for a reminder. */
	CHECK(tl("2027-03-05T12:00:00Z", "run --once") == 0);
	CHECK(said("mails:    0 queued, 0 sent, 0 deferred, 0 failed\n"));
	/* The day before, the two still registered are reminded. */
	CHECK(tl("2027-03-09T12:00:00Z", "run --once") == 0);
	CHECK(said("mails:    2 queued, 2 sent, 0 deferred, 0 failed\n"));
	check_recipients("Påminnelse: Branschträff måleri", MAIL_NYA_MALERIET
			 " " MAIL_AKERLUNDS);

	/* The one who cancelled came after all; one registered did not. */
	CHECK(tl("2027-03-10T12:00:00Z", "meeting attended 1 " AKERLUNDS) == 0);
	CHECK(said("meeting 1: 1 firm recorded as attending\n"));
	CHECK(tl("2027-03-10T12:05:00Z", "meeting attended 1 --file "
		 "scenario/attended.csv") == 0);
	CHECK(tl("2027-03-10T12:10:00Z", "meeting participants 1") == 0);
	out = dir_file("out.txt");
	CHECK(out && strstr(out, "2 registered, 2 attended\n"));
	free(out);
}

/* Q2: a builder joins, the contract notice in three lots, two bids. */
static void
step_q2_cn_and_bids(void)
{
	CHECK(tl("2027-04-06T09:00:00Z", "firm import "
		 "scenario/firms-2027-04.csv") == 0);
	CHECK(said("scenario/firms-2027-04.csv: 6 firms imported (1 new, "
		   "5 updated)\n"));

	publish("cn.xml");
	CHECK(tl("2027-04-15T08:00:00Z", "run --once") == 0);
	CHECK(said("notices:  1 new, 0 changed, 0 unchanged, 0 rejected\n"));
	CHECK(said("lots:     3\nmatches:  5\n"));
	CHECK(said("mails:    5 queued, 5 sent, 0 deferred, 0 failed\n"));
	/*
	 * The electrical lot, 1.8 MSEK a year, is too much for the small
	 * electrician (half its turnover is 0.95 MSEK); the builder hears
	 * of the building lot.
	 */
	check_recipients("Ny upphandling: Renovering av Björkängsskolan",
			 MAIL_EKBACKENS " " MAIL_EXEMPELSTADS_EL " "
			 MAIL_NYA_MALERIET " " MAIL_AKERLUNDS " "
			 MAIL_FARGKRAFT);

	CHECK(tl("2027-05-12T08:00:00Z", "bid record " CN_ID " " AKERLUNDS)
	      == 0);
	CHECK(said(CN_ID ": bid by " AKERLUNDS " recorded\n"));
	/* Told of after the summer: the bid counts on the day it was made. */
	CHECK(tl("2027-07-05T08:00:00Z", "bid record " CN_ID " "
		 EXEMPELSTADS_EL " --on 2027-05-14") == 0);
	CHECK(said(CN_ID ": bid by " EXEMPELSTADS_EL " recorded\n"));
}

/* Q3: the award, the painting lot to a local firm. */
static void
step_q3_award(void)
{
	publish("can.xml");
	CHECK(tl("2027-08-16T08:00:00Z", "run --once") == 0);
	CHECK(said("notices:  1 new, 0 changed, 0 unchanged, 0 rejected\n"));
	/* no firm asked to hear of awards */
	CHECK(said("lots:     3\nmatches:  0\n"));
	CHECK(said("mails:    0 queued, 0 sent, 0 deferred, 0 failed\n"));
}

/* ---- the CSV report ------------------------------------------------- */

/* A CSV table as RFC 4180 has it: cell[row * ncols + col], row 0 the header. */
struct csv {
	char **cell;
	size_t n;		/* cells read */
	size_t nrows, ncols;
};

static void
csv_free(struct csv *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->cell[i]);
	free(t->cell);
	memset(t, 0, sizeof *t);
}

/* One field from *p on, unquoted; *p is left after it. NULL if malformed. */
static char *
csv_field(const char **p)
{
	const char *s = *p;
	struct buf b;

	buf_init(&b, 0);
	if (*s == '"') {
		for (s++; *s && !(s[0] == '"' && s[1] != '"'); s++) {
			if (*s == '"')
				s++;
			buf_add(&b, s, 1);
		}
		if (*s++ != '"') {
			buf_release(&b);
			return NULL;
		}
	} else {
		for (; *s && *s != ';' && *s != '\r' && *s != '\n' && *s != '"';
		     s++)
			buf_add(&b, s, 1);
	}
	*p = s;
	return buf_detach(&b, NULL);
}

/*
 * Every row the same width, every line ended by CRLF, semicolons between
 * the fields, the byte order mark first, as Swedish Excel wants; -1 if not.
 */
static int
csv_parse(const char *text, struct csv *t)
{
	const char *p = text + 3;
	size_t cap = 0, width = 0;
	char *field, **v;

	memset(t, 0, sizeof *t);
	if (strncmp(text, "\xef\xbb\xbf", 3) != 0)
		return -1;
	while (*p) {
		if (!(field = csv_field(&p)))
			goto bad;
		if (t->n == cap) {
			cap = cap ? 2 * cap : 64;
			if (!(v = realloc(t->cell, cap * sizeof *v))) {
				free(field);
				goto bad;
			}
			t->cell = v;
		}
		t->cell[t->n++] = field;
		width++;
		if (*p == ';') {
			p++;
			continue;
		}
		if (p[0] != '\r' || p[1] != '\n')
			goto bad;
		p += 2;
		if (!t->ncols)
			t->ncols = width;
		if (width != t->ncols)
			goto bad;
		width = 0;
		t->nrows++;
	}
	if (!t->ncols || width)
		goto bad;
	return 0;
bad:
	csv_free(t);
	return -1;
}

/* The column headed name, or -1. */
static long
csv_column(const struct csv *t, const char *name)
{
	size_t c;

	for (c = 0; c < t->ncols; c++)
		if (strcmp(t->cell[c], name) == 0)
			return (long)c;
	return -1;
}

/* The row of a quarter and category ("" for all), or 0 if there is none. */
static size_t
csv_row(const struct csv *t, const char *quarter, const char *category)
{
	size_t r;

	for (r = 1; r < t->nrows; r++)
		if (strcmp(t->cell[r * t->ncols], quarter) == 0 &&
		    strcmp(t->cell[r * t->ncols + 1], category) == 0)
			return r;
	return 0;
}

static const char *
csv_get(const struct csv *t, const char *quarter, const char *category,
	const char *field)
{
	size_t r = csv_row(t, quarter, category);
	long c = csv_column(t, field);

	return r && c >= 0 ? t->cell[r * t->ncols + (size_t)c] : NULL;
}

static const char *const quarters[] = {
	"2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4",
};

/* One figure of a row, in each quarter of the year. */
struct figure {
	const char *field;
	const char *q[4];
};

/*
 * All categories together: each firm and each thing once a quarter. The
 * quarters: Q1 has the PIN (1 February), the RFI (8 February) and the
 * painters' meeting (10 March); Q2 the CN (15 April) and the bids (12 and
 * 14 May); Q3 the award (16 August); Q4 nothing.
 */
static const struct figure all_categories[] = {
	/* Q1 the PIN and the RFI, Q2 the CN; an award is not counted */
	{ "Annonser", { "2", "1", "0", "0" } },
	/* the PIN's one part and the RFI's one lot; the CN's three lots */
	{ "Delområden", { "2", "3", "0", "0" } },
	/* the PIN's part and the RFI's lot are painting and electrical work
	   each; each of the CN's lots is one category */
	{ "Delar per kategori", { "4", "3", "0", "0" } },
	/* the PIN (14.5 MSEK) and the CN (9 MSEK) are above the painting
	   band of 2 MSEK; an RFI is not weighed */
	{ "Stora upphandlingar", { "1", "1", "0", "0" } },
	/* the PIN is in one part, the CN in three lots */
	{ "Varav uppdelade", { "0", "1", "0", "0" } },
	/* five firms from January, the builder from April */
	{ "Prenumererar", { "5", "6", "6", "6" } },
	/* Q1 the PIN and the RFI to the five; Q2 the CN to all but the small
	   electrician; no one asked to hear of awards */
	{ "Fick mejl", { "5", "5", "0", "0" } },
	/* three registered in February, Färgkraft cancelled */
	{ "Anmälde sig till möte", { "2", "0", "0", "0" } },
	/* Åkerlunds, and Färgkraft, who came after all; Nya Måleriet did not */
	{ "Deltog i möte", { "2", "0", "0", "0" } },
	/* Åkerlunds (twice, counted once) and Exempelstads El */
	{ "Svarade på RFI", { "2", "0", "0", "0" } },
	/* Åkerlunds and Exempelstads El bid in May, whenever recorded */
	{ "Lämnade anbud", { "0", "2", "0", "0" } },
	/* Åkerlunds won painting; electrical went to Stockholm, building to
	   no one */
	{ "Vann kontrakt", { "0", "0", "1", "0" } },
	/* the painters' meeting, over by the time of the report */
	{ "Möten", { "1", "0", "0", "0" } },
	/* the registrations not cancelled: Åkerlunds and Nya Måleriet */
	{ "Anmälningar", { "2", "0", "0", "0" } },
	/* Åkerlunds and Färgkraft */
	{ "Närvarande", { "2", "0", "0", "0" } },
	/* Åkerlunds; Färgkraft had cancelled, Nya Måleriet did not come */
	{ "Anmälda som kom", { "1", "0", "0", "0" } },
	/* one procedure had an early notice and a CN, in the CN's quarter */
	{ "Underlag för framförhållning", { "0", "1", "0", "0" } },
	/* from the PIN of 1 February (the RFI of 8 February came later) to
	   the CN of 15 April: 28 days to 1 March, 31 to 1 April, 14 more;
	   empty where lead_time_n is 0 */
	{ "Framförhållning, dagar", { "", "73,0", "", "" } },
	/* no firm answered an alert or a survey */
	{ "Besvarade aviseringar", { "0", "0", "0", "0" } },
	{ "Varav relevanta", { "0", "0", "0", "0" } },
	{ "Svar på mötesenkäten", { "0", "0", "0", "0" } },
	{ "Nöjdhet med möten, 1–5", { "", "", "", "" } },
};

/* Painting: every notice of the procedure has a painting part. */
static const struct figure maleri[] = {
	/* the PIN and the RFI have painting parts; the CN a painting lot */
	{ "Annonser", { "2", "1", "0", "0" } },
	/* the PIN's part and the RFI's lot; the CN's lot 1 */
	{ "Delområden", { "2", "1", "0", "0" } },
	/* one painting part in each of those lots */
	{ "Delar per kategori", { "2", "1", "0", "0" } },
	/* 14.5 and 9 MSEK, above the band of 2 MSEK */
	{ "Stora upphandlingar", { "1", "1", "0", "0" } },
	/* only the CN is in lots */
	{ "Varav uppdelade", { "0", "1", "0", "0" } },
	/* the three painters all year */
	{ "Prenumererar", { "3", "3", "3", "3" } },
	/* the three painters, of the PIN and RFI in Q1 and of lot 1 in Q2 */
	{ "Fick mejl", { "3", "3", "0", "0" } },
	/* the meeting was for painters: Åkerlunds and Nya Måleriet */
	{ "Anmälde sig till möte", { "2", "0", "0", "0" } },
	/* Åkerlunds and Färgkraft */
	{ "Deltog i möte", { "2", "0", "0", "0" } },
	/* an answer is to the whole RFI, which has a painting part: both
	   answers count, the electrician's too */
	{ "Svarade på RFI", { "2", "0", "0", "0" } },
	/* a bid is in the whole procurement, which has a painting lot */
	{ "Lämnade anbud", { "0", "2", "0", "0" } },
	/* Åkerlunds won the painting lot */
	{ "Vann kontrakt", { "0", "0", "1", "0" } },
	/* the meeting was for the painting category */
	{ "Möten", { "1", "0", "0", "0" } },
	/* as for all categories: Åkerlunds and Nya Måleriet */
	{ "Anmälningar", { "2", "0", "0", "0" } },
	/* as for all categories: Åkerlunds and Färgkraft */
	{ "Närvarande", { "2", "0", "0", "0" } },
	/* as for all categories: Åkerlunds */
	{ "Anmälda som kom", { "1", "0", "0", "0" } },
	/* the CN has a painting lot */
	{ "Underlag för framförhållning", { "0", "1", "0", "0" } },
	/* the procedure's 73 days */
	{ "Framförhållning, dagar", { "", "73,0", "", "" } },
	/* no firm answered an alert or a survey */
	{ "Besvarade aviseringar", { "0", "0", "0", "0" } },
	{ "Varav relevanta", { "0", "0", "0", "0" } },
	{ "Svar på mötesenkäten", { "0", "0", "0", "0" } },
	{ "Nöjdhet med möten, 1–5", { "", "", "", "" } },
};

/* Electrical work: a lot too big for one firm, won by a firm from elsewhere. */
static const struct figure el[] = {
	/* the PIN and the RFI have electrical parts, the CN a lot */
	{ "Annonser", { "2", "1", "0", "0" } },
	/* the PIN's part and the RFI's lot; the CN's lot 2 */
	{ "Delområden", { "2", "1", "0", "0" } },
	/* one electrical part in each of those lots */
	{ "Delar per kategori", { "2", "1", "0", "0" } },
	/* 14.5 and 9 MSEK, above the band of 3 MSEK */
	{ "Stora upphandlingar", { "1", "1", "0", "0" } },
	/* only the CN is in lots */
	{ "Varav uppdelade", { "0", "1", "0", "0" } },
	/* the two electricians all year */
	{ "Prenumererar", { "2", "2", "2", "2" } },
	/* both of the PIN and the RFI; lot 2, 3.6 MSEK over two years, is
	   more than half a year's turnover of Strömbergs El */
	{ "Fick mejl", { "2", "1", "0", "0" } },
	/* the meeting was for painters */
	{ "Anmälde sig till möte", { "0", "0", "0", "0" } },
	/* no one came to a meeting about electrical work */
	{ "Deltog i möte", { "0", "0", "0", "0" } },
	/* the RFI has an electrical part: both answers count */
	{ "Svarade på RFI", { "2", "0", "0", "0" } },
	/* the procurement the two bid in has an electrical lot */
	{ "Lämnade anbud", { "0", "2", "0", "0" } },
	/* Stockholms Elentreprenad is not a local firm */
	{ "Vann kontrakt", { "0", "0", "0", "0" } },
	/* no meeting for electrical work */
	{ "Möten", { "0", "0", "0", "0" } },
	/* nor seats */
	{ "Anmälningar", { "0", "0", "0", "0" } },
	/* nor attendances */
	{ "Närvarande", { "0", "0", "0", "0" } },
	{ "Anmälda som kom", { "0", "0", "0", "0" } },
	/* the CN has an electrical lot */
	{ "Underlag för framförhållning", { "0", "1", "0", "0" } },
	/* the procedure's 73 days */
	{ "Framförhållning, dagar", { "", "73,0", "", "" } },
	/* no firm answered an alert or a survey */
	{ "Besvarade aviseringar", { "0", "0", "0", "0" } },
	{ "Varav relevanta", { "0", "0", "0", "0" } },
	{ "Svar på mötesenkäten", { "0", "0", "0", "0" } },
	{ "Nöjdhet med möten, 1–5", { "", "", "", "" } },
};

/* Building: only the CN's third lot, and a firm that came in April. */
static const struct figure bygg[] = {
	/* the PIN and the RFI are painting and electrical work only */
	{ "Annonser", { "0", "1", "0", "0" } },
	/* the CN's lot 3 */
	{ "Delområden", { "0", "1", "0", "0" } },
	/* one building part, the whole of lot 3 */
	{ "Delar per kategori", { "0", "1", "0", "0" } },
	/* the CN's 9 MSEK, above the band of 5 MSEK */
	{ "Stora upphandlingar", { "0", "1", "0", "0" } },
	/* in three lots */
	{ "Varav uppdelade", { "0", "1", "0", "0" } },
	/* Ekbackens Bygg from April; the painters' and electricians' codes
	   are their trades', not building */
	{ "Prenumererar", { "0", "1", "1", "1" } },
	/* Ekbackens Bygg, of lot 3 */
	{ "Fick mejl", { "0", "1", "0", "0" } },
	/* the meeting was for painters */
	{ "Anmälde sig till möte", { "0", "0", "0", "0" } },
	/* no one came to a meeting about building */
	{ "Deltog i möte", { "0", "0", "0", "0" } },
	/* the RFI had no building part */
	{ "Svarade på RFI", { "0", "0", "0", "0" } },
	/* the procurement the two bid in has a building lot */
	{ "Lämnade anbud", { "0", "2", "0", "0" } },
	/* lot 3 was closed without a winner */
	{ "Vann kontrakt", { "0", "0", "0", "0" } },
	/* no meeting for building */
	{ "Möten", { "0", "0", "0", "0" } },
	/* nor seats */
	{ "Anmälningar", { "0", "0", "0", "0" } },
	/* nor attendances */
	{ "Närvarande", { "0", "0", "0", "0" } },
	{ "Anmälda som kom", { "0", "0", "0", "0" } },
	/* the early notices had no building part, but the lead time is the
	   procedure's, and its CN has a building lot */
	{ "Underlag för framförhållning", { "0", "1", "0", "0" } },
	/* the procedure's 73 days */
	{ "Framförhållning, dagar", { "", "73,0", "", "" } },
	/* no firm answered an alert or a survey */
	{ "Besvarade aviseringar", { "0", "0", "0", "0" } },
	{ "Varav relevanta", { "0", "0", "0", "0" } },
	{ "Svar på mötesenkäten", { "0", "0", "0", "0" } },
	{ "Nöjdhet med möten, 1–5", { "", "", "", "" } },
};

#define NFIGURES (sizeof all_categories / sizeof all_categories[0])

static void
check_figures(const struct csv *t, const char *category,
	      const struct figure *f, size_t n)
{
	const char *got;
	size_t i, q;

	for (i = 0; i < n; i++)
		for (q = 0; q < 4; q++) {
			got = csv_get(t, quarters[q], category, f[i].field);
			CHECK_STR(got, f[i].q[q]);
			if (!got || strcmp(got, f[i].q[q]) != 0)
				fprintf(stderr, "    %s %s %s\n", quarters[q],
					*category ? category : "totals",
					f[i].field);
		}
}

/*
 * The report as the unit asks for it at the turn of the year, written to
 * the file name (a browser goes by its extension).
 */
static char *
report(const char *options, const char *name)
{
	CHECK(tl("2028-01-10T09:00:00Z", "report --from 2027-01-01 "
		 "--to 2027-12-31 %s -o %s", options, name) == 0);
	return dir_file(name);
}

/* No firm is named anywhere in what the report says. */
static void
check_anonymous(const char *text, const char *what)
{
	size_t i;

	for (i = 0; i < sizeof firm_identities / sizeof firm_identities[0];
	     i++) {
		CHECK(text && !strstr(text, firm_identities[i]));
		if (text && strstr(text, firm_identities[i]))
			fprintf(stderr, "    %s names \"%s\"\n", what,
				firm_identities[i]);
	}
}

static void
test_report_csv(void)
{
	struct csv sv = { 0 }, en = { 0 };
	char *text, *text_en;
	size_t r, c, q, rows[4] = { 0 };
	long lead;

	text = report("--format csv", "report.csv");
	text_en = report("--format csv --lang en", "report-en.csv");
	check_anonymous(text, "CSV");
	CHECK(text && csv_parse(text, &sv) == 0);
	CHECK(text_en && csv_parse(text_en, &en) == 0);
	free(text);
	free(text_en);
	if (!sv.cell || !en.cell) {
		csv_free(&sv);
		csv_free(&en);
		return;
	}
	/* and the three shares, in percent */
	CHECK(sv.ncols == 3 + NFIGURES + 3);
	CHECK_STR(sv.cell[0], "Kvartal");

	/* The four quarters of 2027 and no other, each with every row. */
	for (r = 1; r < sv.nrows; r++) {
		const char *quarter = sv.cell[r * sv.ncols];

		for (q = 0; q < 4 && strcmp(quarter, quarters[q]) != 0; q++)
			;
		CHECK(q < 4);
		if (q < 4)
			rows[q]++;
	}
	for (q = 0; q < 4; q++)
		CHECK(rows[q] == (sv.nrows - 1) / 4);

	check_figures(&sv, "", all_categories, NFIGURES);
	check_figures(&sv, "maleri", maleri, NFIGURES);
	check_figures(&sv, "el", el, NFIGURES);
	check_figures(&sv, "bygg", bygg, NFIGURES);
	/* Nothing happened in any other category: zeros, and no lead time. */
	lead = csv_column(&sv, "Framförhållning, dagar");
	for (r = 1; r < sv.nrows; r++) {
		const char *cat = sv.cell[r * sv.ncols + 1];

		if (!*cat || strcmp(cat, "maleri") == 0 ||
		    strcmp(cat, "el") == 0 || strcmp(cat, "bygg") == 0)
			continue;
		for (c = 3; c < sv.ncols; c++) {
			const char *v = sv.cell[r * sv.ncols + c];
			const char *want = (long)c == lead ||
					   strstr(sv.cell[c], "(%)") ||
					   strstr(sv.cell[c], "1–5") ? "" : "0";

			CHECK_STR(v, want);
			if (strcmp(v, want) != 0)
				fprintf(stderr, "    %s %s %s\n",
					sv.cell[r * sv.ncols], cat, sv.cell[c]);
		}
	}

	/* The English report: the same figures, the names in English. */
	CHECK_STR(csv_get(&sv, "2027-Q1", "maleri", "Kategori"), "Måleri");
	CHECK_STR(csv_get(&en, "2027-Q1", "maleri", "Category"), "Painting");
	CHECK_STR(en.cell[0], "Quarter");
	CHECK(en.nrows == sv.nrows && en.ncols == sv.ncols);
	for (r = 1; r < sv.nrows && r < en.nrows && en.ncols == sv.ncols; r++)
		for (c = 0; c < sv.ncols; c++)
			if (c != 2)
				CHECK_STR(en.cell[r * en.ncols + c],
					  sv.cell[r * sv.ncols + c]);
	csv_free(&sv);
	csv_free(&en);
}

/*
 * The workbook of the year, asked for by --period, as openpyxl reads it:
 * the same figures as the CSV, as numbers, the shares as percentages.
 */
static void
test_report_xlsx(void)
{
	char path[PATH_MAX + 16];
	char *text;

	CHECK(tl("2028-01-10T09:00:00Z", "report --period 2027 --format xlsx "
		 "-o report.xlsx") == 0);
	snprintf(path, sizeof path, "%s/report.xlsx", dir);
	text = sheetcheck(project, path, dir);
	check_anonymous(text, "xlsx");
	CHECK(text && strncmp(text, "Rapport\nKvartal|Kategorikod|Kategori|", 36)
	      == 0);
	/* the painting row of Q2: the CN's lot, two bids, 73 days */
	CHECK(text && strstr(text, "\n2027-Q2|maleri|Måleri|1|1|1|1|1|100.0%|"
			     "73|1|3|3|0|0|0|2|0|0|0|0|0||0|0||0|\n"));
	/* Q1: two of the five firms came, one of the two registered */
	CHECK(text && strstr(text, "\n2027-Q1|||2|2|4|1|0|0.0%||0|5|5|2|2|2|0|"
			     "0|1|2|2|1|50.0%|0|0||0|\n"));
	free(text);
}

/* One category: its rows and the totals, each quarter of the year. */
static void
test_report_category(void)
{
	struct csv t = { 0 };
	char *text;
	size_t r;

	CHECK(tl("2028-01-10T09:00:00Z", "report --period 2027 --category el "
		 "--format csv -o el.csv") == 0);
	text = dir_file("el.csv");
	CHECK(text && csv_parse(text, &t) == 0);
	free(text);
	CHECK(t.nrows == 1 + 4 * 2);
	for (r = 1; r < t.nrows; r++)
		CHECK(!*t.cell[r * t.ncols + 1] ||
		      strcmp(t.cell[r * t.ncols + 1], "el") == 0);
	CHECK_STR(csv_get(&t, "2027-Q2", "el", "Lämnade anbud"), "2");
	csv_free(&t);
}

/* A period that is none, named by its option. */
static void
test_report_period_errors(void)
{
	char *err;

	CHECK(tl("2028-01-10T09:00:00Z", "report --period 2027-Q5") == 1);
	err = dir_file("err.txt");
	CHECK_STR(err, "tenderlots: error: report: --period: '2027-Q5' is not "
		  "a quarter (2026-Q3) or a year (2026)\n");
	free(err);
	CHECK(tl("2028-01-10T09:00:00Z", "report --from 2027-03-01 "
		 "--to 2027-02-30") == 1);
	err = dir_file("err.txt");
	CHECK_STR(err, "tenderlots: error: report: --to: '2027-02-30' is not a "
		  "day (YYYY-MM-DD)\n");
	free(err);
	CHECK(tl("2028-01-10T09:00:00Z", "report --period 2027 "
		 "--category snickeri") == 1);
	err = dir_file("err.txt");
	CHECK_STR(err, "tenderlots: error: report: --category: 'snickeri' is "
		  "not one of the municipality's categories\n");
	free(err);
}

/* What Åkerlunds did over the year, as the register shows it. */
static void
test_firm_history(void)
{
	CHECK(tl("2028-01-10T09:00:00Z", "firm history %s", AKERLUNDS) == 0);
	CHECK(said(AKERLUNDS "  Åkerlunds Måleri AB  municipality 1480\n"));
	/* the award is a notice of its own, published in August */
	CHECK(said("\n2027-08-16  won         "));
	CHECK(said("\n2027-05-12  bid         " CN_ID "  Renovering av "
		   "Björkängsskolan\n"));
	CHECK(said("\n2027-03-10  attended    -  Branschträff måleri\n"));
	CHECK(said("\n2027-02-12  answered    rfi-1  "));
	CHECK(said("\n2027-02-01  alerted     "));
}

/* ---- the HTML report, in a browser ------------------------------------ */

/* The SVG element of a chart, as an XPath expression. */
#define CHART(id) "//svg[contains(@aria-labelledby, '" id "-title')]"

static double count(xmlXPathContextPtr x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The number an XPath expression gives, e.g. count(...); -1 if none. */
static double
count(xmlXPathContextPtr x, const char *fmt, ...)
{
	xmlXPathObjectPtr res;
	char expr[1024];
	va_list ap;
	double n;

	va_start(ap, fmt);
	vsnprintf(expr, sizeof expr, fmt, ap);
	va_end(ap);
	res = x ? xmlXPathEvalExpression((const xmlChar *)expr, x) : NULL;
	n = res ? xmlXPathCastToNumber(res) : -1;
	xmlXPathFreeObject(res);
	return n;
}

/* The text of the cell in the row headed row and the column headed col. */
static void
check_cell(xmlXPathContextPtr x, const char *caption, const char *row,
	   const char *col, const char *want)
{
	xmlXPathObjectPtr res;
	xmlChar *s = NULL;
	char expr[1024];

	snprintf(expr, sizeof expr, "string(//table[caption = '%s']/*/"
		 "tr[th = '%s']/td[count(ancestor::table/thead/tr/th[. = '%s']/"
		 "preceding-sibling::th)])", caption, row, col);
	res = x ? xmlXPathEvalExpression((const xmlChar *)expr, x) : NULL;
	if (res)
		s = xmlXPathCastToString(res);
	CHECK_STR((const char *)s, want);
	if (!s || strcmp((const char *)s, want) != 0)
		fprintf(stderr, "    in %s, %s, %s\n", caption, row, col);
	xmlFree(s);
	xmlXPathFreeObject(res);
}

static long
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/*
 * The pixels of each of the n colours in a screenshot, as report_shot.sh
 * counts them, in px[]; -1 where it did not say.
 */
static void
pixels(const char *png, const char *const *colours, size_t n, long *px)
{
	char cmd[PATH_MAX * 3], line[64];
	size_t i, k, len;
	FILE *f;

	k = (size_t)snprintf(cmd, sizeof cmd, "sh '%s/tests/report_shot.sh' "
			     "--colours '%s'", project, png);
	for (i = 0; i < n; i++) {
		px[i] = -1;
		k += (size_t)snprintf(cmd + k, sizeof cmd - k, " %s", colours[i]);
	}
	if (!(f = popen(cmd, "r")))
		return;
	for (i = 0; i < n && fgets(line, sizeof line, f); i++) {
		len = strlen(colours[i]);
		if (strncmp(line, colours[i], len) == 0 && line[len] == ' ')
			px[i] = strtol(line + len + 1, NULL, 10);
	}
	if (pclose(f) != 0)
		px[0] = -1;
}

/*
 * The DOM Chromium built of an HTML file, read with libxml2's HTML
 * parser; the document is returned for freeing, NULL if it failed.
 */
static htmlDocPtr
parsed_dom(const char *html, xmlXPathContextPtr *x)
{
	char path[PATH_MAX + 16];
	htmlDocPtr doc = NULL;
	char *text;

	*x = NULL;
	snprintf(path, sizeof path, "%s/%s", dir, html);
	if (!(text = browser_dom(project, dir, path, NULL)))
		return NULL;
	doc = htmlReadMemory(text, (int)strlen(text), "dom.html", "UTF-8",
			     HTML_PARSE_NONET | HTML_PARSE_NOERROR |
			     HTML_PARSE_NOWARNING);
	free(text);
	if (doc && !(*x = xmlXPathNewContext(doc))) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	return doc;
}

/* What every report draws, in either language. */
static void
check_charts(xmlXPathContextPtr x)
{
	CHECK(count(x, "count(//svg)") == 4);
	CHECK(count(x, "count(//svg[not(*)])") == 0);
	CHECK(count(x, "count(//svg[title and desc])") == 4);
	/* alerted, attending, answering, bidding, winning */
	CHECK(count(x, "count(" CHART("trend") "//polyline)") == 5);
	/* painting, electrical and building had large procurements */
	CHECK(count(x, "count(" CHART("share") "//rect)") == 3);
	/* only Q1 had registrations */
	CHECK(count(x, "count(" CHART("attendance") "//rect)") == 1);
	/* no firm answered an alert: no bar */
	CHECK(count(x, "count(" CHART("relevance") "//rect)") == 0);
}

/*
 * The Swedish report in the browser: the screenshot, the pixels of the
 * trend lines, the DOM with its charts, and the figures in its tables.
 */
static void
test_report_html(void)
{
	/* mailed, attended, answered, bid; won is drawn in the text colour */
	static const char *const line_colours[] = {
		"0b4f9c", "b35900", "1b7837", "762a83",
	};
	const size_t ncolours = sizeof line_colours / sizeof line_colours[0];
	const char *firms = "Företag per kvartal";
	char png[PATH_MAX + 16], cmd[PATH_MAX * 4];
	long drawn[sizeof line_colours / sizeof line_colours[0]];
	unsigned char head[24];
	xmlXPathContextPtr x;
	htmlDocPtr doc;
	char *text;
	size_t i;
	FILE *f;

	text = report("--format html", "report.html");
	check_anonymous(text, "HTML");
	/* --to is the last day counted; the report was made at 10 CET */
	CHECK(text && strstr(text, "Period: 2027-01-01 – 2027-12-31. "
			     "Sammanställd 10 januari 2028 kl. 10:00 (CET)."));
	free(text);

	/* make deps installs it: without it the charts go unchecked */
	CHECK(access("/usr/bin/chromium", X_OK) == 0);
	if (access("/usr/bin/chromium", X_OK) != 0)
		return;
	snprintf(png, sizeof png, "%s/report.png", dir);
	snprintf(cmd, sizeof cmd, "sh '%s/tests/report_shot.sh' "
		 "'%s/report.html' '%s'", project, dir, png);
	CHECK(system(cmd) == 0);
	CHECK(file_size(png) > 10 * 1024);
	memset(head, 0, sizeof head);
	if ((f = fopen(png, "rb"))) {
		CHECK(fread(head, 1, sizeof head, f) == sizeof head);
		fclose(f);
	}
	CHECK(memcmp(head, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16) == 0);
	CHECK(head[16] == 0 && head[17] == 0 && head[18] == 1200 / 256 &&
	      head[19] == 1200 % 256);
	pixels(png, line_colours, ncolours, drawn);
	for (i = 0; i < ncolours; i++) {
		CHECK(drawn[i] > 100);
		if (drawn[i] <= 100)
			fprintf(stderr, "    #%s: %ld pixels\n", line_colours[i],
				drawn[i]);
	}

	doc = parsed_dom("report.html", &x);
	CHECK(doc != NULL);
	check_charts(x);
	/* painting and electrical work: 1 of 2 divided; building 1 of 1 */
	CHECK(count(x, "count(" CHART("share") "//text[. = '50,0 %%'])") == 2);
	CHECK(count(x, "count(" CHART("share") "//text[. = '100,0 %%'])") == 1);
	/* two seats taken, one of them came (and one who had cancelled) */
	CHECK(count(x, "count(" CHART("attendance") "//text[. = '50,0 %%'])")
	      == 1);
	check_cell(x, firms, "2027-Q1", "Prenumererar", "5");
	check_cell(x, firms, "2027-Q2", "Prenumererar", "6");
	check_cell(x, firms, "2027-Q1", "Fick mejl", "5");
	check_cell(x, firms, "2027-Q3", "Vann kontrakt", "1");
	check_cell(x, "Framförhållning per kvartal", "2027-Q2",
		   "Framförhållning, dagar", "73,0");
	check_cell(x, "Upphandlingar per kategori under perioden", "Måleri",
		   "Andel uppdelade", "50,0 %");
	check_cell(x, "Informationsmöten per kvartal", "2027-Q1", "Närvaro",
		   "50,0 %");
	xmlXPathFreeContext(x);
	xmlFreeDoc(doc);
}

static void
test_report_html_en(void)
{
	xmlXPathContextPtr x;
	htmlDocPtr doc;
	char *text;

	text = report("--format html --lang en", "report-en.html");
	check_anonymous(text, "English HTML");
	CHECK(text && strstr(text, "<html lang=\"en\">"));
	free(text);
	if (access("/usr/bin/chromium", X_OK) != 0)
		return;
	doc = parsed_dom("report-en.html", &x);
	CHECK(doc != NULL);
	check_charts(x);
	CHECK(count(x, "count(" CHART("share") "//text[. = '50.0%%'])") == 2);
	check_cell(x, "Firms per quarter", "2027-Q1", "Subscribed", "5");
	check_cell(x, "Lead time per quarter", "2027-Q2", "Lead time, days",
		   "73.0");
	check_cell(x, "Procurements by category over the period", "Painting",
		   "Share divided", "50.0%");
	xmlXPathFreeContext(x);
	xmlFreeDoc(doc);
}

/* ---- two years on: the texts purged, the facts kept ---------------- */

/* The figures the report is made of, in each of its formats. */
struct reports {
	char *csv, *csv_en, *html, *xlsx;
};

static void
reports_make(struct reports *r)
{
	char path[PATH_MAX + 32];

	r->csv = report("--format csv", "purge.csv");
	r->csv_en = report("--format csv --lang en", "purge-en.csv");
	r->html = report("--format html", "purge.html");
	free(report("--format xlsx", "purge.xlsx"));
	/* the workbook's cells: its file has the time it was written */
	snprintf(path, sizeof path, "%s/purge.xlsx", dir);
	r->xlsx = sheetcheck(project, path, dir);
}

static void
reports_free(struct reports *r)
{
	free(r->csv);
	free(r->csv_en);
	free(r->html);
	free(r->xlsx);
}

static struct reports before_purge;

static long long
db_count(const char *sql)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof path, "%s/var/t.db", dir);
	return db_query(path, sql);
}

/*
 * How many texts a notice has: its own and its lots', and search rows (in
 * the index's own table: this connection has no tokenizer to read it by).
 */
#define TEXTS_OF(id) \
	"SELECT (SELECT count(*) FROM notice_text t JOIN notice n" \
	" ON n.id = t.notice WHERE n.notice_id = '" id "')" \
	" + (SELECT count(*) FROM notice n WHERE n.notice_id = '" id "'" \
	"  AND n.description IS NOT NULL)" \
	" + (SELECT count(*) FROM lot l JOIN notice n ON n.id = l.notice" \
	"  WHERE n.notice_id = '" id "' AND l.description IS NOT NULL)" \
	" + (SELECT count(*) FROM notice_search_content WHERE id IN" \
	"  (SELECT id FROM notice WHERE notice_id = '" id "'))"

/*
 * A firm answers an alert about the CN (as the feedback page stores it),
 * so the report has a figure of each kind; then the reports before.
 */
static void
step_purge_before(void)
{
	db_count("INSERT INTO match_feedback (match, relevant, answered_at)"
		 " SELECT m.id, 1, 1811750400 FROM match m"
		 " JOIN firm f ON f.id = m.firm WHERE m.notice_id = '" CN_ID "'"
		 " AND f.orgnr = '" AKERLUNDS "' LIMIT 1");
	CHECK(db_count("SELECT count(*) FROM match_feedback") == 1);
	reports_make(&before_purge);
	CHECK(before_purge.csv && strstr(before_purge.csv, "Besvarade"));
	CHECK(before_purge.xlsx != NULL);
	CHECK(db_count(TEXTS_OF(CN_ID)) > 0);
}

/*
 * A new notice is published at the end of 2029; the daemon's pass, with
 * its daily housekeeping, drops the texts of the year 2027 (the default
 * keep_notices, two years after the procedure's last date): all but the
 * RFI, still open.
 */
static void
step_purge(void)
{
	char cmd[PATH_MAX * 4];

	snprintf(cmd, sizeof cmd, "sed -e 's/" CN_ID "/" RECENT_ID "/'"
		 " -e 's/0b3f1ba6-ed5d-498d-8fd3-ef3f7ee0d1db/"
		 "5c0e7a9d-2f41-4b6e-8d3a-91e2c4b7f650/'"
		 " -e 's/Björkängsskolan/Ekängsskolan/g'"
		 " -e 's/2027-04-1\\([35]\\)/2029-12-0\\1/'"
		 " -e 's/2027-05-\\([01][0-9]\\)/2030-01-\\1/'"
		 " -e 's/2027-08-16/2030-03-16/' -e 's/00231456-2027/00231456-2029/'"
		 " '%s/scenario/cn.xml' > '%s/feeds/recent.xml'", dir, dir);
	CHECK(system(cmd) == 0);
	CHECK(tl("2029-12-07T08:00:00Z", "run --once") == 0);
	CHECK(said("notices:  1 new, 0 changed, 0 unchanged, 0 rejected\n"));
	CHECK(db_count(TEXTS_OF(CN_ID)) == 0);
	CHECK(db_count(TEXTS_OF("e1720bc8-1237-456d-9fc6-b340e4959585")) == 0);
	CHECK(db_count(TEXTS_OF("bb25e524-962d-4546-88e1-b9342660fb1b")) == 0);
	/* the facts stay: the lots, their categories, the award's winner */
	CHECK(db_count("SELECT count(*) FROM lot l JOIN notice n"
		       " ON n.id = l.notice WHERE n.notice_id = '" CN_ID "'"
		       " AND l.title IS NOT NULL") == 3);
	CHECK(db_count("SELECT count(*) FROM award_winner") > 0);
	/* the open RFI and the new notice keep their texts */
	CHECK(db_count(TEXTS_OF("rfi-1")) > 0);
	CHECK(db_count(TEXTS_OF(RECENT_ID)) > 0);
	CHECK(db_count("SELECT count(*) FROM notice WHERE purged_at IS NOT NULL")
	      == 3);
}

static void
test_purge_report_same(void)
{
	struct reports after;

	reports_make(&after);
	CHECK_STR(after.csv, before_purge.csv);
	CHECK_STR(after.csv_en, before_purge.csv_en);
	CHECK(after.html && before_purge.html &&
	      strcmp(after.html, before_purge.html) == 0);
	CHECK_STR(after.xlsx, before_purge.xlsx);
	reports_free(&after);
}

/* Again is nothing; the RFI goes once it is closed, and only once. */
static void
test_purge_again(void)
{
	CHECK(tl("2030-01-10T09:00:00Z", "notice purge") == 0);
	CHECK(said("0 notices purged\n"));
	CHECK(tl("2030-01-10T09:05:00Z", "rfi close rfi-1") == 0);
	CHECK(tl("2030-01-10T09:10:00Z", "notice purge") == 0);
	CHECK(said("1 notice purged\n"));
	CHECK(db_count(TEXTS_OF("rfi-1")) == 0);
	CHECK(tl("2030-01-11T09:10:00Z", "notice purge") == 0);
	CHECK(said("0 notices purged\n"));
	CHECK(tl("2030-01-11T09:10:00Z", "notice purge --before 30-01-2030")
	      == 2);
	CHECK(db_count(TEXTS_OF(RECENT_ID)) > 0);
	test_purge_report_same();
}

/* 1 if the page at path says text, 0 if not, -1 if it is no page. */
static int
page_says(const struct web_server *server, const char *path, const char *text)
{
	char url[2048];
	struct reply r;
	int says;

	snprintf(url, sizeof url, "%s%s", server->base, path);
	fetch(url, NULL, 0, NULL, &r);
	says = r.status != 200 ? -1 : strstr(buf_str(&r.body), text) != NULL;
	release(&r);
	return says;
}

/*
 * The public pages: the search finds the new notice and not the purged
 * ones; the purged RFI's page says its text is no longer kept, in
 * headless Chromium too.
 */
static void
test_purge_pages(void)
{
	struct web_server server = { .pid = -1 };
	char path[PATH_MAX + 32], url[2048], *conf, *dom;
	struct buf b;

	/* the daemon's configuration, and the web's own ports */
	conf = dir_file("tenderlots.conf");
	buf_init(&b, 0);
	buf_printf(&b, "%s[web]\nport = 0\n[staff]\nport = 0\n",
		   conf ? conf : "");
	snprintf(path, sizeof path, "%s/web.conf", dir);
	write_text(path, buf_str(&b));
	buf_release(&b);
	free(conf);
	if (web_server_start(&server, dir, "web.conf", "2030-01-11T10:00:00Z",
			     NULL) < 0) {
		CHECK(!"the web endpoint started");
		return;
	}
	CHECK(page_says(&server, "/notices?q=Ek%C3%A4ngsskolan",
			"Renovering av Ekängsskolan") == 1);
	CHECK(page_says(&server, "/notices?q=Bj%C3%B6rk%C3%A4ngsskolan",
			"Renovering av Björkängsskolan") == 0);
	CHECK(page_says(&server, "/rfi/rfi-1", "sparas inte längre") == 1);
	CHECK(page_says(&server, "/rfi/rfi-1",
			"Renovering av Björkängsskolan") == 1);
	CHECK(page_says(&server, "/rfi/rfi-1",
			"hur stora uppdrag ni kan ta") == 0);
	if (access("/usr/bin/chromium", X_OK) == 0) {
		snprintf(url, sizeof url, "%s/rfi/rfi-1?lang=en", server.base);
		dom = browser_dom(project, dir, url, NULL);
		CHECK(dom && strstr(dom, "The text of this notice is no longer "
				    "kept here."));
		free(dom);
	}
	CHECK(web_server_stop(&server) == 0);
}

int
main(void)
{
	int rc;

	if (!getcwd(project, sizeof project))
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	setup();
	RUN(step_q1_register_and_pin);
	RUN(step_q1_rfi);
	RUN(step_q1_meeting);
	RUN(step_q2_cn_and_bids);
	RUN(step_q3_award);
	RUN(test_report_csv);
	RUN(test_report_xlsx);
	RUN(test_report_category);
	RUN(test_report_period_errors);
	RUN(test_firm_history);
	RUN(test_report_html);
	RUN(test_report_html_en);
	RUN(step_purge_before);
	RUN(step_purge);
	RUN(test_purge_report_same);
	RUN(test_purge_again);
	RUN(test_purge_pages);
	reports_free(&before_purge);
	rc = test_done("scenario");
	xmlCleanupParser();
	curl_global_cleanup();
	rm_rf(dir);
	return rc;
}
