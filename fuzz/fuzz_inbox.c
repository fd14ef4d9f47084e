/*
 * libFuzzer target for the reader of mails that come back (bounces,
 * delivery status reports, unsubscribe mails), which anyone on the
 * Internet can send. Build with `make fuzz`; `make check` replays
 * fuzz/corpus/inbox/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inbox.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What goes to the log and the store: one line, within its field. */
static void
check_line(const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	if (n == max)
		abort();
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inbox_mail m;
	size_t i;

	if (inbox_parse((const char *)data, size, &m) < 0)
		return 0;
	if (m.nto > INBOX_TO_MAX || m.nr > INBOX_RCPT_MAX ||
	    (m.nr && !m.dsn))
		abort();
	check_line(m.subject, sizeof m.subject);
	for (i = 0; i < m.nto; i++)
		check_line(m.to[i], sizeof m.to[i]);
	for (i = 0; i < m.nr; i++) {
		check_line(m.r[i].rcpt, sizeof m.r[i].rcpt);
		check_line(m.r[i].status, sizeof m.r[i].status);
		check_line(m.r[i].action, sizeof m.r[i].action);
		check_line(m.r[i].diag, sizeof m.r[i].diag);
		(void)inbox_bounce_kind(m.r[i].status);
	}
	return 0;
}
