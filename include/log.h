#ifndef TENDERLOTS_LOG_H
#define TENDERLOTS_LOG_H

/*
 * One place that reports. Errors are reported once, where the context is
 * known, then -1 is propagated (git's error()). Messages go to stderr
 * prefixed with "tenderlots: ", or to syslog once the daemon asks.
 */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* From now on to syslog (facility daemon), not stderr: the daemon's way. */
void log_to_syslog(void);

#endif
