/*
 * tenderlots web: the web endpoint, with a courier that delivers what
 * its pages queue.
 */
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "courier.h"
#include "form.h"
#include "outbox.h"
#include "plan.h"
#include "rfi.h"
#include "site.h"
#include "web.h"

const char usage_web[] =
	"usage: tenderlots web\n"
	"\n"
	"Serves the public pages and the pages the links in mails lead to\n"
	"(subscribe, confirm, manage, unsubscribe, stop, RSVP) on [web]\n"
	"listen and port, 127.0.0.1:8080 by default: put a reverse proxy\n"
	"with TLS in front and name it in [web] trusted_proxies (the README\n"
	"shows nginx). The staff's pages have a listener of their own, [staff]\n"
	"listen and port, 127.0.0.1:8081 by default; the public one never\n"
	"serves them. Runs until SIGTERM.\n";

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

/* Where a listener is, for the log and for tests that started it on port 0. */
static void
print_address(const char *what, const struct web_options *o,
	      const struct web *w)
{
	printf(strchr(o->address, ':') ? "%s http://[%s]:%d/\n" :
	       "%s http://%s:%d/\n", what, o->address, web_port(w));
}

int
cmd_web(const char *config_path, int argc, char **argv)
{
	struct courier *courier = NULL;
	struct mailer *mailer = NULL;
	struct site *site = NULL, *staff_site = NULL;
	struct web *web = NULL, *staff_web = NULL;
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
			.cfg = app.cfg, .db_path = app.cfg->db_path,
			.mailer = mailer, .owner = "web:",
			.only_keys = OUTBOX_WEB_KEYS, .now = web_clock,
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
			.upload_prefix = RFI_ANSWER_PATH,
			.max_upload = RFI_ANSWER_BODY_MAX,
			.max_uri = 2048,
			.threads = (unsigned)app.cfg->web_threads,
			.trusted_proxies = app.cfg->web_trusted_proxies,
		};
		struct web_options staff_wo = wo;

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
		so.staff = 1;
		staff_wo.address = app.cfg->staff_listen;
		staff_wo.port = (int)app.cfg->staff_port;
		staff_wo.trusted_proxies = app.cfg->staff_trusted_proxies;
		/* the unit uploads its plan as a CSV file */
		staff_wo.upload_prefix = PLAN_UPLOAD_PATH;
		staff_wo.max_upload = PLAN_UPLOAD_MAX;
		if (!(staff_site = site_new(&so)) ||
		    !(staff_web = web_start(&staff_wo, site_handle, staff_site)))
			goto out;
		print_address("listening on", &wo, web);
		print_address("staff pages on", &staff_wo, staff_web);
		fflush(stdout);
	}
	while (!stop_requested)
		sigsuspend(&waiting);
	rc = EXIT_OK;
out:
	web_stop(staff_web);
	web_stop(web);
	site_free(staff_site);
	site_free(site);
	courier_stop(courier, NULL);
	mailer_free(mailer);
	app_close(&app);
	return rc;
}
