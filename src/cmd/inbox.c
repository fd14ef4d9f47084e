/*
 * tenderlots inbox: one mail that came back, piped in by the MTA.
 */
#include <errno.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cmd.h"
#include "log.h"
#include "inbox.h"
#include "outbox.h"

const char usage_inbox[] =
	"usage: tenderlots inbox < MAIL\n"
	"\n"
	"Reads one mail that came back to [mail] bounce_address's tags, for an\n"
	"MTA to pipe into: a bounce (a hard one stops mail to the address), or\n"
	"a request to unsubscribe by mail. A mail without a valid tag changes\n"
	"nothing and is logged. Exit status 0 when it was read, whatever it\n"
	"said; 75 (EX_TEMPFAIL) when it could not be recorded, so the MTA\n"
	"tries again later.\n";

int
cmd_inbox(const char *config_path, int argc, char **argv)
{
	struct app app;
	struct outbox *outbox = NULL;
	enum inbox_result r;
	struct buf mail;
	time_t now;
	int rc = EX_TEMPFAIL;

	(void)argv;
	if (argc != 1)
		return usage_error(usage_inbox, "inbox: takes no arguments");
	buf_init(&mail, INBOX_READ_MAX);
	/* the whole mail is read first: the MTA must not see a broken pipe */
	if (inbox_read_fd(STDIN_FILENO, &mail) < 0) {
		error("inbox: reading the mail: %s", strerror(errno));
		buf_release(&mail);
		return EX_TEMPFAIL;
	}
	if (current_time(&now) < 0 ||
	    app_open(&app, config_path, APP_STORE) < 0) {
		buf_release(&mail);
		return EX_TEMPFAIL;
	}
	if ((outbox = outbox_new(app.store, app.cfg, &app.categories,
				 app.templates, app.key)) &&
	    inbox_handle(app.store, app.key, outbox_base(outbox),
			 buf_str(&mail), mail.len, now, &r) == 0)
		rc = EXIT_OK;
	outbox_free(outbox);
	app_close(&app);
	buf_release(&mail);
	return rc;
}
