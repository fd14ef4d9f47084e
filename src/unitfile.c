#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "civil.h"
#include "ini.h"
#include "log.h"
#include "mail.h"
#include "unitfile.h"
#include "utf8.h"

/* A unit file is a dozen lines; anything near this is a mistake. */
#define FILE_MAX		(64u * 1024u)
#define NOTICE_MAX		100
#define CATEGORY_MAX		64
#define URL_MAX			2000
#define MAILBOX_MAX		400
#define ZONE_MAX		64
#define YEAR_MIN		1970
#define TIME_LEN		16	/* "YYYY-MM-DD HH:MM" */
/* Room for a reason that quotes a whole line. */
#define WHY_MAX			(2 * INI_MAX_LINE)

static bool
is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* An ASCII letter (lowercase only unless upper), digit or byte of extra. */
static bool
in_set(char c, bool upper, const char *extra)
{
	return (c >= 'a' && c <= 'z') || (upper && c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c != '\0' && strchr(extra, c));
}

static int
check_len(const char *v, size_t max, struct buf *why)
{
	if (strlen(v) <= max)
		return 0;
	buf_printf(why, "longer than %zu bytes", max);
	return -1;
}

/*
 * Text that ends up in mails and calendar entries: well-formed UTF-8 on
 * one line. ini_parse() refuses control characters in a line but for tab;
 * C1 controls are well-formed UTF-8, so both are looked for here.
 */
int
unitfile_check_text(const char *v, size_t max, struct buf *why)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t n = strlen(v), k;

	if (check_len(v, max, why) < 0)
		return -1;
	if (strspn(v, " ") == n) {
		buf_adds(why, "blank value");
		return -1;
	}
	for (; n > 0; p += k, n -= k) {
		k = 1;
		if (*p >= 0x80 && !(k = utf8_seq_len(p, n))) {
			buf_adds(why, "not valid UTF-8");
			return -1;
		}
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] < 0xa0)) {
			buf_adds(why, "contains a control character");
			return -1;
		}
	}
	return 0;
}

static int
check_word(const char *v, size_t max, bool upper, const char *extra,
	   const char *what, struct buf *why)
{
	const char *p;

	if (check_len(v, max, why) < 0)
		return -1;
	for (p = v; *p; p++) {
		if (!in_set(*p, upper, extra)) {
			buf_printf(why, "'%s' is not %s", v, what);
			return -1;
		}
	}
	return 0;
}

int
unitfile_check_notice_id(const char *v, struct buf *why)
{
	return check_word(v, NOTICE_MAX, true, "._:-", "a notice id (letters, "
			  "digits, '.', '_', ':' and '-')", why);
}

int
unitfile_check_category(const char *v, struct buf *why)
{
	return check_word(v, CATEGORY_MAX, false, "_-", "a category key "
			  "(lowercase letters, digits, '-' and '_')", why);
}

/*
 * Firms are asked to click it, so it must be encrypted and must not hide
 * its host: "https://teams.example@evil.example/" goes to evil.example.
 */
int
unitfile_check_https_url(const char *v, struct buf *why)
{
	const char *host = v + strlen("https://"), *p;

	if (check_len(v, URL_MAX, why) < 0)
		return -1;
	if (strncmp(v, "https://", strlen("https://")) != 0)
		goto bad;
	for (p = host; *p && *p != '/' && *p != '?' && *p != '#'; p++)
		if (!in_set(*p, true, ".-:"))
			goto bad;
	if (p == host)
		goto bad;
	for (; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			goto bad;
	return 0;
bad:
	buf_printf(why, "'%s' is not an https:// URL (https://host/path, "
		   "printable ASCII)", v);
	return -1;
}

int
unitfile_check_mailbox(const char *v, struct buf *why)
{
	char addr[MAILBOX_MAX + 1];

	if (unitfile_check_text(v, MAILBOX_MAX, why) < 0)
		return -1;
	if (mail_address(v, addr, sizeof(addr)) < 0) {
		buf_printf(why, "'%s' is not a mailbox \"Name <addr>\" or "
			   "\"addr\"", v);
		return -1;
	}
	return 0;
}

static int
number(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* "YYYY-MM-DD HH:MM" into tm, without a zone yet. */
static int
parse_wall(const char *text, struct tm *tm, struct buf *why)
{
	int year, mon, day, hour, min;

	if (strlen(text) != TIME_LEN || text[4] != '-' || text[7] != '-' ||
	    text[10] != ' ' || text[13] != ':' ||
	    number(text, 4, &year) < 0 || number(text + 5, 2, &mon) < 0 ||
	    number(text + 8, 2, &day) < 0 || number(text + 11, 2, &hour) < 0 ||
	    number(text + 14, 2, &min) < 0) {
		buf_printf(why, "'%s' is not a time written YYYY-MM-DD HH:MM",
			   text);
		return -1;
	}
	if (!civil_date_valid(year, mon, day)) {
		buf_printf(why, "'%s': no such date", text);
		return -1;
	}
	if (year < YEAR_MIN) {
		buf_printf(why, "'%s': years before %d are not accepted", text,
			   YEAR_MIN);
		return -1;
	}
	if (hour > 23 || min > 59) {
		buf_printf(why, "'%s': no such time of day", text);
		return -1;
	}
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = year - 1900;
	tm->tm_mon = mon - 1;
	tm->tm_mday = day;
	tm->tm_hour = hour;
	tm->tm_min = min;
	return 0;
}

int
unitfile_check_wall_time(const char *text, struct buf *why)
{
	struct tm tm;

	return parse_wall(text, &tm, why);
}

/*
 * glibc takes an unknown zone for UTC without a word, which would move a
 * time by an hour or two, so the zone file must be there, where glibc
 * looks for it (TZDIR, as tzset() reads it). The name cannot leave that
 * directory: '.' is not allowed, and a leading '/' would make TZ an
 * absolute path. A regular file that is not a zone (leapseconds) is
 * refused too.
 */
static int
check_zone(const char *zone, struct buf *why)
{
	const char *dir = getenv("TZDIR"), *p;
	char path[PATH_MAX], magic[4];
	struct stat st;
	ssize_t got = -1;
	int fd, n;

	if (check_len(zone, ZONE_MAX, why) < 0)
		return -1;
	p = zone;
	if (is_letter(*p)) {
		for (p++; *p; p++)
			if (!in_set(*p, true, "_+-/") ||
			    (*p == '/' && (p[-1] == '/' || p[1] == '\0')))
				break;
	}
	if (p == zone || *p) {
		buf_printf(why, "'%s' is not a time zone name like "
			   "Europe/Stockholm", zone);
		return -1;
	}
	n = snprintf(path, sizeof(path), "%s/%s",
		     dir && *dir ? dir : "/usr/share/zoneinfo", zone);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		buf_printf(why, "unknown time zone '%s' (TZDIR is too long)",
			   zone);
		return -1;
	}
	/* O_NONBLOCK: a FIFO put there must not hang the daemon */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		buf_printf(why, "unknown time zone '%s' (%s: %s)", zone, path,
			   strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		got = read(fd, magic, sizeof(magic));
	close(fd);
	if (got != (ssize_t)sizeof(magic) || memcmp(magic, "TZif", 4) != 0) {
		buf_printf(why, "unknown time zone '%s' (%s is not a zone "
			   "file)", zone, path);
		return -1;
	}
	return 0;
}

static bool
same_wall_time(const struct tm *a, const struct tm *b)
{
	return a->tm_year == b->tm_year && a->tm_mon == b->tm_mon &&
	       a->tm_mday == b->tm_mday && a->tm_hour == b->tm_hour &&
	       a->tm_min == b->tm_min && a->tm_sec == b->tm_sec;
}

/*
 * The earliest instant showing want on the clocks of the current zone;
 * 0 if none does. mktime() moves a time in the hour skipped in spring
 * into the next one, which only converting back shows. A time in the hour
 * repeated in autumn is two instants, one in daylight and one in standard
 * time, so each is asked for: tm_isdst = -1 would pick either.
 */
static int
earliest_instant(const struct tm *want, time_t *out)
{
	struct tm tm, back;
	time_t t;
	int isdst, found = 0;

	for (isdst = 0; isdst <= 1; isdst++) {
		tm = *want;
		tm.tm_isdst = isdst;
		t = mktime(&tm);
		if (!localtime_r(&t, &back) || !same_wall_time(&back, want))
			continue;
		if (!found || t < *out)
			*out = t;
		found = 1;
	}
	return found;
}

/*
 * mktime() and localtime_r() read the zone from TZ alone, so TZ is set to
 * zone for the call and put back by tz_restore(), which frees what *saved
 * keeps of it. That is not thread-safe: only a zone other than the one
 * the process runs in (TZ, the service's) and UTC is switched to, which
 * only a unit's file on the command line names. The web's threads convert
 * in the service's zone or in UTC, and never touch TZ.
 */
static bool
is_utc(const char *zone)
{
	return strcmp(zone, "UTC") == 0 || strcmp(zone, "Etc/UTC") == 0;
}

static bool
is_process_zone(const char *zone)
{
	const char *tz = getenv("TZ");

	return tz && strcmp(tz, zone) == 0;
}

static int
tz_set(const char *zone, char **saved, struct buf *why)
{
	const char *tz = getenv("TZ");

	*saved = NULL;
	/* setenv() may free the string getenv() returned */
	if (tz && !(*saved = strdup(tz))) {
		buf_adds(why, "out of memory");
		return -1;
	}
	if (setenv("TZ", zone, 1) < 0) {
		buf_printf(why, "setenv TZ: %s", strerror(errno));
		free(*saved);
		return -1;
	}
	tzset();
	return 0;
}

static int
tz_restore(char *saved, struct buf *why)
{
	int rc = saved ? setenv("TZ", saved, 1) : unsetenv("TZ");

	if (rc < 0)
		buf_printf(why, "cannot put TZ back: %s", strerror(errno));
	tzset();
	free(saved);
	return rc;
}

/* text in zone, which has been checked. */
static int
local_time(const char *text, const char *zone, time_t *out, struct buf *why)
{
	struct tm tm;
	char *saved;
	int found;

	if (parse_wall(text, &tm, why) < 0)
		return -1;
	if (is_utc(zone)) {
		*out = timegm(&tm);
		return 0;
	}
	if (is_process_zone(zone))
		found = earliest_instant(&tm, out);
	else if (tz_set(zone, &saved, why) < 0)
		return -1;
	else {
		found = earliest_instant(&tm, out);
		if (tz_restore(saved, why) < 0)
			return -1;
	}
	if (!found) {
		buf_printf(why, "%s does not exist in %s: the clocks are put "
			   "forward over it", text, zone);
		return -1;
	}
	return 0;
}

int
unitfile_parse_local_time(const char *text, const char *zone, time_t *out)
{
	struct buf why;
	int rc = 0;

	buf_init(&why, WHY_MAX);
	if (check_zone(zone, &why) < 0 ||
	    local_time(text, zone, out, &why) < 0)
		rc = error("%s", buf_str(&why));
	buf_release(&why);
	return rc;
}

int
unitfile_here_time(const char *text, time_t *out, struct buf *why)
{
	struct tm tm;

	if (parse_wall(text, &tm, why) < 0)
		return -1;
	if (!earliest_instant(&tm, out)) {
		buf_printf(why, "%s does not exist here: the clocks are put "
			   "forward over it", text);
		return -1;
	}
	return 0;
}

int
unitfile_here_wall_time(time_t t, char out[UNITFILE_WALL_LEN + 1])
{
	struct tm tm;

	return localtime_r(&t, &tm) &&
	       strftime(out, UNITFILE_WALL_LEN + 1, "%Y-%m-%d %H:%M", &tm) ==
	       UNITFILE_WALL_LEN ? 0 : -1;
}

int
unitfile_local_date(time_t t, const char *zone,
		    char out[UNITFILE_DATE_LEN + 1])
{
	struct buf why;
	struct tm tm;
	char *saved;
	bool shown;
	int rc = -1;

	buf_init(&why, WHY_MAX);
	if (check_zone(zone, &why) < 0)
		goto out;
	if (is_utc(zone) || is_process_zone(zone)) {
		shown = (is_utc(zone) ? gmtime_r(&t, &tm) :
					localtime_r(&t, &tm)) != NULL;
	} else if (tz_set(zone, &saved, &why) < 0) {
		goto out;
	} else {
		shown = localtime_r(&t, &tm) != NULL;
		if (tz_restore(saved, &why) < 0)
			goto out;
	}
	shown = shown && strftime(out, UNITFILE_DATE_LEN + 1, "%Y-%m-%d",
				  &tm) == UNITFILE_DATE_LEN;
	if (!shown) {
		buf_printf(&why, "cannot write the date of %lld in %s as "
			   "YYYY-MM-DD", (long long)t, zone);
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		error("%s", buf_str(&why));
	buf_release(&why);
	return rc;
}

/* A file being read, as the ini handlers see it. */
struct reader {
	struct unitfile uf;
	void *fields;
};

/* Where key k was set, or the section line for a default. */
static size_t
key_line(const struct unitfile *uf, size_t k)
{
	return uf->table.seen[k].line ? uf->table.seen[k].line :
					uf->section_line;
}

static int
key_error(struct unitfile *uf, size_t k, const struct buf *why)
{
	uf->table.seen[k].bad = true;
	return error("%s:%zu: [%s] %s: %s", uf->table.file, key_line(uf, k),
		     uf->kind->section, uf->kind->keys[k].key, buf_str(why));
}

static int
on_section(void *vr, const char *name, size_t line)
{
	struct reader *r = vr;
	struct unitfile *uf = &r->uf;
	const struct unitfile_kind *kind = uf->kind;

	if (strcmp(name, kind->section) != 0)
		return error("%s:%zu: unknown section [%s]; %s has one "
			     "section, [%s]", uf->table.file, line, name,
			     kind->a_file, kind->section);
	if (uf->section_line)
		return error("%s:%zu: second [%s] section (the first is on "
			     "line %zu); a file describes one %s",
			     uf->table.file, line, kind->section,
			     uf->section_line, kind->name);
	uf->section_line = line;
	return ini_section_start(&uf->table, r->fields);
}

static int
on_key(void *vr, const char *key, const char *value, size_t line)
{
	struct reader *r = vr;
	struct unitfile *uf = &r->uf;
	struct buf why;
	size_t k;
	int rc = 0;

	if (ini_set(&uf->table, line, uf->kind->section, key, value,
		    r->fields) < 0)
		return -1;
	/* ini_set() found it, so it is there */
	for (k = 0; strcmp(uf->kind->keys[k].key, key) != 0; k++)
		;
	buf_init(&why, WHY_MAX);
	/* an empty value unset an optional key */
	if (value[0] && uf->kind->check(r->fields, k, value, &why) < 0)
		rc = key_error(uf, k, &why);
	buf_release(&why);
	return rc;
}

int
unitfile_load(const char *path, const struct unitfile_kind *kind,
	      void *fields, void **out)
{
	static const struct ini_handler handler = { on_section, on_key };
	struct reader r = { { kind, { path, NULL, kind->keys, kind->nkeys,
				      NULL }, 0, NULL }, fields };
	struct buf text;
	void *item;
	bool bad;
	int parsed, rc = -1;

	buf_init(&text, FILE_MAX);
	r.uf.table.seen = calloc(kind->nkeys, sizeof(*r.uf.table.seen));
	if (!r.uf.table.seen) {
		error("%s: out of memory", path);
		goto out;
	}
	if (ini_read(path, &text) < 0)
		goto out;
	parsed = ini_parse(path, buf_str(&text), text.len, &handler, &r);
	if (!r.uf.section_line) {
		/* a misspelt header has been reported already */
		if (parsed == 0)
			error("%s: no [%s] section", path, kind->section);
		goto out;
	}
	bad = parsed < 0;
	if (ini_check_required(&r.uf.table, r.uf.section_line,
			       kind->section) < 0)
		bad = true;
	if (kind->finish(&r.uf, fields) < 0)
		bad = true;
	if (bad)
		goto out;
	if (!(item = malloc(kind->item_size))) {
		error("%s: out of memory", path);
		goto out;
	}
	memcpy(item, fields, kind->item_size);
	memset(fields, 0, kind->item_size);
	*out = item;
	rc = 0;
out:
	ini_free_fields(kind->keys, kind->nkeys, fields);
	free(r.uf.table.seen);
	buf_release(&text);
	return rc;
}

int
unitfile_one_of(struct unitfile *uf, size_t a, bool has_a, size_t b,
		bool has_b)
{
	if (has_a || has_b || uf->table.seen[a].bad || uf->table.seen[b].bad)
		return 0;
	return error("%s:%zu: [%s] needs %s or %s, or both", uf->table.file,
		     uf->section_line, uf->kind->section, uf->kind->keys[a].key,
		     uf->kind->keys[b].key);
}

int
unitfile_zone(struct unitfile *uf, size_t k, const char *zone)
{
	struct buf why;
	int rc = 0;

	if (uf->table.seen[k].bad)
		return -1;
	buf_init(&why, WHY_MAX);
	if (check_zone(zone, &why) < 0)
		rc = key_error(uf, k, &why);
	else
		uf->zone = zone;
	buf_release(&why);
	return rc;
}

int
unitfile_instant(struct unitfile *uf, size_t k, const char *text,
		 time_t *out)
{
	struct buf why;
	int rc = 1;

	if (!text || uf->table.seen[k].bad || !uf->zone)
		return 0;
	buf_init(&why, WHY_MAX);
	if (local_time(text, uf->zone, out, &why) < 0)
		rc = key_error(uf, k, &why);
	buf_release(&why);
	return rc;
}
