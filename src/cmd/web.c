/*
 * tenderlots web: the web endpoint, with a courier that delivers what
 * its pages queue.
 */
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "courier.h"
#include "form.h"
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
	"shows nginx). Runs until SIGTERM.\n";

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

int
cmd_web(const char *config_path, int argc, char **argv)
{
	struct courier *courier = NULL;
	struct mailer *mailer;
	struct site *site = NULL;
	struct web *web = NULL;
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
			.cfg = app.cfg, .mailer = mailer, .now = web_clock,
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
		printf(strchr(wo.address, ':') ? "listening on http://[%s]:%d/\n" :
		       "listening on http://%s:%d/\n", wo.address, web_port(web));
		fflush(stdout);
	}
	while (!stop_requested)
		sigsuspend(&waiting);
	rc = EXIT_OK;
out:
	web_stop(web);
	site_free(site);
	courier_stop(courier);
	app_close(&app);
	return rc;
}
