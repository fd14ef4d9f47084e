/*
 * The daemon's passes keep the firms and their match index: an
 * unchanged list is not loaded again, and a firm another process added
 * or changed between two passes is matched and mailed, at its new
 * address, in the next.
 */
#define _XOPEN_SOURCE 700

#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"

/* 2026-11-25 08:00 UTC, the demo's morning: the sample notices are open. */
#define NOW 1795593600

#define HEADER "orgnr,name,email,categories,cpv,regions,language,employees," \
	"turnover,kinds,frequency,municipality,keywords,exclude\n"
/* Two of the sample firms; the painter at a new address. */
#define PAINTER "556734-2182,Berglunds Måleri AB,info@berglunds-maleri.example," \
	"maleri,45442100,SE232,sv,8,9400000,,,1480,målning fasadmålning,\n"
#define PAINTER_MOVED "556734-2182,Berglunds Måleri AB," \
	"ny@berglunds-maleri.example,maleri,45442100,SE232,sv,8,9400000,,," \
	"1480,målning fasadmålning,\n"
#define CLEANER "556817-3958,Glansbo Städ AB,anbud@glansbo-stad.example," \
	"lokalvard fonsterputs,90910000,SE232,sv,38,16400000,,,1402," \
	"städning lokalvård,byggstädning\n"

struct env {
	char dir[PATH_MAX];
	char db[PATH_MAX + 16], inbox[PATH_MAX + 16], maildir[PATH_MAX + 16];
	struct category_set categories;
	struct feed_config feed;
	struct config *cfg;
	struct alert_templates *templates;
	struct token_key *key;
	struct run_context ctx;
};

/* The firms of a CSV text stored through a connection of its own. */
static void
put_firms(struct env *e, struct store *s, const char *csv)
{
	struct firm_list l = { 0 };
	unsigned nbad = 0;
	size_t i;
	int created;

	CHECK(firm_csv_parse(csv, strlen(csv), "firms.csv", &e->categories, &l,
			     &nbad) == 0 && nbad == 0);
	for (i = 0; i < l.n; i++)
		CHECK(store_put_firm(s, l.v[i], "test", NOW, &created) == 0);
	firm_list_release(&l);
}

/* As `firm import` in another process would: its own process and store. */
static void
put_firms_elsewhere(struct env *e, const char *csv)
{
	struct store *s = NULL;
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		if (store_open(e->db, &s) < 0)
			_exit(1);
		put_firms(e, s, csv);
		store_free(s);
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
}

/* A sample notice into the feed's directory. */
static void
arrives(struct env *e, const char *name)
{
	char from[PATH_MAX], to[PATH_MAX * 2];
	char *text;

	snprintf(from, sizeof from, "feeds/%s", name);
	snprintf(to, sizeof to, "%s/%s", e->inbox, name);
	CHECK((text = read_text(from)) != NULL);
	if (text)
		write_text(to, text);
	free(text);
}

static void
setup(struct env *e)
{
	static const unsigned char secret[TOKEN_SECRET_LEN] = { 7 };
	struct mailer_options mo = { .transport = TRANSPORT_MAILDIR };

	memset(e, 0, sizeof *e);
	make_tmpdir(e->dir, "test_run");
	snprintf(e->db, sizeof e->db, "%s/t.db", e->dir);
	snprintf(e->inbox, sizeof e->inbox, "%s/inbox", e->dir);
	snprintf(e->maildir, sizeof e->maildir, "%s/mail", e->dir);
	mkdir(e->inbox, 0700);
	mo.maildir = e->maildir;
	e->feed = (struct feed_config){ .name = "local", .kind = FEED_EFORMS,
					.url = e->inbox, .interval = 3600 };
	if (category_load("config/categories.conf", &e->categories) < 0 ||
	    !(e->cfg = config_new()) ||
	    alert_templates_load("templates", &e->templates) < 0 ||
	    token_key_from_bytes(secret, sizeof secret, &e->key) < 0 ||
	    store_open(e->db, &e->ctx.store) < 0 ||
	    !(e->ctx.parser = eforms_parser_new()) ||
	    !(e->ctx.syndication = syndication_parser_new()) ||
	    !(e->ctx.mailer = mailer_new(&mo)) ||
	    !(e->ctx.firms = run_firms_new()))
		exit(2);
	e->cfg->feeds = &e->feed;
	e->cfg->nfeeds = 1;
	e->ctx.cfg = e->cfg;
	e->ctx.categories = &e->categories;
	e->ctx.all_feeds = 1;
	if (!(e->ctx.outbox = outbox_new(e->ctx.store, e->cfg, &e->categories,
					 e->templates, e->key)))
		exit(2);
}

static void
teardown(struct env *e)
{
	run_firms_free(e->ctx.firms);
	outbox_free(e->ctx.outbox);
	mailer_free(e->ctx.mailer);
	syndication_parser_free(e->ctx.syndication);
	eforms_parser_free(e->ctx.parser);
	store_free(e->ctx.store);
	token_key_free(e->key);
	alert_templates_free(e->templates);
	e->cfg->feeds = NULL;
	e->cfg->nfeeds = 0;
	config_free(e->cfg);
	category_set_release(&e->categories);
	rm_rf(e->dir);
}

/* One pass at now; its summary. */
static struct run_summary
pass(struct env *e, time_t now)
{
	struct run_summary sum = { 0 };

	e->ctx.now = now;
	CHECK(run_pass(&e->ctx, &sum) == 0);
	return sum;
}

/* The mails in the Maildir as Python's email package reads them. */
static char *
mails(struct env *e)
{
	char files[PATH_MAX + 32], project[PATH_MAX];
	char *all;

	if (!getcwd(project, sizeof project))
		return strdup("");
	snprintf(files, sizeof files, "'%s'/new/*", e->maildir);
	all = mailcheck(project, files, e->dir);
	return all ? all : strdup("");
}

static void
test_firms_kept_until_they_change(void)
{
	struct env e;
	struct run_summary sum;
	char *all, *m;

	setup(&e);
	put_firms(&e, e.ctx.store, HEADER PAINTER);
	arrives(&e, "2026-11-18_exempelkommun_fastighetsunderhall_cn.xml");
	sum = pass(&e, NOW);
	CHECK(sum.in.notices_new == 1 && sum.mails_sent == 1);
	CHECK(run_firms_loads(e.ctx.firms) == 1);
	/* nothing changed: the firms are not read again */
	sum = pass(&e, NOW + 3600);
	CHECK(sum.mails_queued == 0);
	CHECK(run_firms_loads(e.ctx.firms) == 1);

	/* another process adds the cleaner and moves the painter */
	put_firms_elsewhere(&e, HEADER CLEANER PAINTER_MOVED);
	arrives(&e, "2026-11-20_exempelkommun_lokalvard_cn.xml");
	arrives(&e, "2026-11-24_exempelkommun_angsskolan_pin.xml");
	sum = pass(&e, NOW + 2 * 3600);
	CHECK(sum.in.notices_new == 2);
	CHECK(run_firms_loads(e.ctx.firms) == 2);
	CHECK(sum.mails_sent == 2);
	sum = pass(&e, NOW + 3 * 3600);
	CHECK(sum.mails_queued == 0);
	CHECK(run_firms_loads(e.ctx.firms) == 2);

	all = mails(&e);
	m = mail_to(all, "anbud@glansbo-stad.example", "Lokalvård");
	CHECK(m != NULL);
	free(m);
	m = mail_to(all, "ny@berglunds-maleri.example", "Ängsskolan");
	CHECK(m != NULL);
	free(m);
	/* the old address had the first mail only */
	m = mail_to(all, "info@berglunds-maleri.example", "Ängsskolan");
	CHECK(m == NULL);
	free(m);
	m = mail_to(all, "info@berglunds-maleri.example", "fastigheter");
	CHECK(m != NULL);
	free(m);
	free(all);
	teardown(&e);
}

/* What moves the generation: the firms and their bounces, nothing else. */
static void
test_generation_moves_with_firms(void)
{
	struct env e;
	struct bounce_state b = { .hard_at = NOW, .reason = "550 no such user" };
	long long g0, g1, g2, g3;
	int found;

	setup(&e);
	CHECK(store_firms_generation(e.ctx.store, &g0) == 0);
	put_firms(&e, e.ctx.store, HEADER PAINTER);
	CHECK(store_firms_generation(e.ctx.store, &g1) == 0 && g1 != g0);
	arrives(&e, "2026-11-18_exempelkommun_fastighetsunderhall_cn.xml");
	pass(&e, NOW);
	/* a pass that stores notices, matches and mails changes no firm */
	CHECK(store_firms_generation(e.ctx.store, &g2) == 0 && g2 == g1);
	CHECK(store_bounce_put(e.ctx.store, "info@berglunds-maleri.example",
			       &b) == 0);
	CHECK(store_firms_generation(e.ctx.store, &g3) == 0 && g3 != g2);
	/* the bounce reaches the kept list: no more mail to that address */
	pass(&e, NOW + 3600);
	CHECK(run_firms_loads(e.ctx.firms) == 2);
	CHECK(store_remove_firm(e.ctx.store, "556734-2182", &found) == 0 &&
	      found);
	CHECK(store_firms_generation(e.ctx.store, &g2) == 0 && g2 != g3);
	teardown(&e);
}

int
main(void)
{
	setenv("TZ", "Europe/Stockholm", 1);
	tzset();
	RUN(test_firms_kept_until_they_change);
	RUN(test_generation_moves_with_firms);
	return test_done("run");
}
