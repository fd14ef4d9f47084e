#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "log.h"

/*
 * Set once, before the daemon does anything else, like syslog's own
 * openlog(): the one piece of process-wide state the log keeps.
 */
static int to_syslog;

void
log_to_syslog(void)
{
	openlog("tenderlots", LOG_PID, LOG_DAEMON);
	to_syslog = 1;
}

static void vlog(int priority, const char *level, const char *fmt,
		 va_list ap) __attribute__((format(printf, 3, 0)));

static void
vlog(int priority, const char *level, const char *fmt, va_list ap)
{
	if (to_syslog) {
		vsyslog(priority, fmt, ap);
		return;
	}
	fputs("tenderlots: ", stderr);
	if (level)
		fputs(level, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int
error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, "error: ", fmt, ap);
	va_end(ap);
	return -1;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, "warning: ", fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, NULL, fmt, ap);
	va_end(ap);
}
