#ifndef TENDERLOTS_UNITFILE_H
#define TENDERLOTS_UNITFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "ini.h"

/*
 * Files the procurement unit writes to announce something to firms (a
 * meeting, an RFI): one INI section of keys declared in an ini_key table,
 * with text that ends up in mails, links firms are asked to click, and
 * wall-clock times of a zone. Every problem is reported as "file:line:
 * message" and one run shows each.
 */

#define UNITFILE_ZONE_DEFAULT	"Europe/Stockholm"
#define UNITFILE_DATE_LEN	10	/* "YYYY-MM-DD" */
#define UNITFILE_WALL_LEN	16	/* "YYYY-MM-DD HH:MM" */

/*
 * The checks of values. Each returns 0, or -1 with the reason appended to
 * why, a buffer with room for a reason that quotes a whole line
 * (2 * INI_MAX_LINE).
 */

/* Well-formed UTF-8 on one line, not blank, at most max bytes. */
int unitfile_check_text(const char *v, size_t max, struct buf *why);
/* A notice or procedure id: letters, digits, '.', '_', ':', '-'. */
int unitfile_check_notice_id(const char *v, struct buf *why);
/* A category key: lowercase letters, digits, '-', '_'. */
int unitfile_check_category(const char *v, struct buf *why);
/* An https:// URL whose host is plain to see (no "user@"). */
int unitfile_check_https_url(const char *v, struct buf *why);
/* A mailbox "Name <addr>" or "addr". */
int unitfile_check_mailbox(const char *v, struct buf *why);
/* A wall-clock time "YYYY-MM-DD HH:MM" of the years 1970 to 9999. */
int unitfile_check_wall_time(const char *text, struct buf *why);

/*
 * The instant of a wall-clock time "YYYY-MM-DD HH:MM" (years 1970 to 9999)
 * in the IANA zone, which must be a zone file of the system. A time in the
 * hour skipped when clocks go forward is refused; one in the hour repeated
 * when they go back is the earlier instant, as calendar clients read it.
 * -1, reported naming the text or zone, if anything is wrong.
 *
 * mktime() only reads the zone from TZ, so for a zone other than the
 * process's own (TZ) and UTC, TZ is set for the conversion and then put
 * back: not thread-safe, which only the command line, with one thread,
 * asks for. The web's threads convert in the service's zone or UTC.
 */
int unitfile_parse_local_time(const char *text, const char *zone,
			      time_t *out);

/*
 * The date "YYYY-MM-DD" that the clocks of zone show at t; -1, reported,
 * if zone is refused or the year has not four digits. Borrows TZ like
 * unitfile_parse_local_time().
 */
int unitfile_local_date(time_t t, const char *zone,
			char out[UNITFILE_DATE_LEN + 1]);

/*
 * The same in the process's own zone (TZ, set once at start to [service]
 * timezone), switching no zone: safe in the web endpoint's threads.
 * here_time appends why it refuses text; here_wall_time writes t as
 * "YYYY-MM-DD HH:MM".
 */
int unitfile_here_time(const char *text, time_t *out, struct buf *why);
int unitfile_here_wall_time(time_t t, char out[UNITFILE_WALL_LEN + 1]);

struct unitfile;

/* What kind of file is read, and the checks of its own. */
struct unitfile_kind {
	const char *section;	/* "meeting": the one section */
	const char *name;	/* "meeting": "a file describes one meeting" */
	const char *a_file;	/* "a meeting file has one section" */
	const struct ini_key *keys;	/* all in section */
	size_t nkeys;
	size_t item_size;	/* of the item the fields begin with */
	/*
	 * Why the non-empty value of key k, stored into fields by the ini
	 * module, is refused beyond what that module checks. A list key's
	 * words are in fields, where check may rewrite them in place.
	 */
	int (*check)(void *fields, size_t k, const char *value,
		     struct buf *why);
	/*
	 * The checks that need the whole file, once the required keys are
	 * known to be there or reported; they report their own errors.
	 */
	int (*finish)(struct unitfile *uf, void *fields);
};

/* A file being read; what finish() may look at. */
struct unitfile {
	const struct unitfile_kind *kind;
	struct ini_table table;	/* table.file names the file in messages */
	size_t section_line;	/* of the section header */
	const char *zone;	/* once unitfile_zone() has accepted it */
};

/*
 * Reads path into fields, a zeroed struct that the key table points into
 * and that begins with the item the file describes (a struct meeting, a
 * struct rfi). *out is then a new copy of the item, which owns its values;
 * what is left in fields is freed. -1 if anything was wrong, reported, and
 * *out is left as it was.
 */
int unitfile_load(const char *path, const struct unitfile_kind *kind,
		  void *fields, void **out);

/*
 * Reports, at the section header, that neither key a nor key b is given,
 * unless one was refused already: then it is not missing.
 */
int unitfile_one_of(struct unitfile *uf, size_t a, bool has_a, size_t b,
		    bool has_b);

/*
 * Checks zone, the value of key k, for the times of the file; -1 if it is
 * refused, now or when it was read.
 */
int unitfile_zone(struct unitfile *uf, size_t k, const char *zone);

/*
 * The instant of text, the value of time key k, in the zone accepted by
 * unitfile_zone(): 1 if converted, 0 if not given (NULL), refused already
 * or there is no accepted zone, -1 if refused now.
 */
int unitfile_instant(struct unitfile *uf, size_t k, const char *text,
		     time_t *out);

#endif
