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
#include "meeting.h"
#include "utf8.h"

#define SECTION			"meeting"
/* A meeting file is a dozen lines; anything near this is a mistake. */
#define FILE_MAX		(64u * 1024u)
#define TITLE_MAX		200
#define DESCRIPTION_MAX		4000
#define NOTICE_MAX		100
#define CATEGORY_MAX		64
#define LOCATION_MAX		500
#define URL_MAX			2000
#define ORGANIZER_MAX		400
#define ZONE_MAX		64
#define CAPACITY_MAX		100000
#define YEAR_MIN		1970
#define TIME_LEN		16	/* "YYYY-MM-DD HH:MM" */
/* Room for a reason that quotes a whole line. */
#define WHY_MAX			(2 * INI_MAX_LINE)

/* The keys as read: the times stay text until the zone is known. */
struct fields {
	struct meeting m;
	char *start, *end, *deadline;
};

enum {
	K_TITLE,
	K_DESCRIPTION,
	K_NOTICE,
	K_CATEGORY,
	K_START,
	K_END,
	K_TIMEZONE,
	K_LOCATION,
	K_VIDEO_URL,
	K_CAPACITY,
	K_DEADLINE,
	K_ORGANIZER,
	NKEYS
};

#define M(field) offsetof(struct fields, m.field)
#define F(field) offsetof(struct fields, field)

/* An optional text defaults to "", which empty_unsets turns into NULL. */
static const struct ini_key meeting_keys[NKEYS] = {
	[K_TITLE] = { SECTION, "title", INI_STRING, NULL, false, 0, 0, NULL,
		      M(title), "what the meeting is called" },
	[K_DESCRIPTION] = { SECTION, "description", INI_STRING, "", true, 0, 0,
			    NULL, M(description), "one line about it" },
	[K_NOTICE] = { SECTION, "notice", INI_STRING, "", true, 0, 0, NULL,
		       M(notice_id), "the notice or procedure id it is about" },
	[K_CATEGORY] = { SECTION, "category", INI_STRING, "", true, 0, 0, NULL,
			 M(category), "the lot category it is for" },
	[K_START] = { SECTION, "start", INI_STRING, NULL, false, 0, 0, NULL,
		      F(start), "YYYY-MM-DD HH:MM, local time" },
	[K_END] = { SECTION, "end", INI_STRING, NULL, false, 0, 0, NULL,
		    F(end), "YYYY-MM-DD HH:MM, local time" },
	[K_TIMEZONE] = { SECTION, "timezone", INI_STRING, "Europe/Stockholm",
			 false, 0, 0, NULL, M(timezone),
			 "IANA zone of the times" },
	[K_LOCATION] = { SECTION, "location", INI_STRING, "", true, 0, 0, NULL,
			 M(location), "address" },
	[K_VIDEO_URL] = { SECTION, "video_url", INI_STRING, "", true, 0, 0,
			  NULL, M(video_url), "https:// link to join" },
	[K_CAPACITY] = { SECTION, "capacity", INI_INT, "0", false, 0,
			 CAPACITY_MAX, NULL, M(capacity),
			 "seats; 0: no limit" },
	[K_DEADLINE] = { SECTION, "registration_deadline", INI_STRING, "", true,
			 0, 0, NULL, F(deadline),
			 "YYYY-MM-DD HH:MM, local time, before start" },
	[K_ORGANIZER] = { SECTION, "organizer", INI_STRING, "", true, 0, 0,
			  NULL, M(organizer), "\"Name <addr>\" organizing" },
};

struct load_ctx {
	struct ini_table table;
	struct fields f;
	size_t section_line;	/* of [meeting]; 0 until it is read */
	struct ini_seen seen[NKEYS];
};

struct meeting *
meeting_new(void)
{
	return calloc(1, sizeof(struct meeting));
}

void
meeting_release(struct meeting *m)
{
	free(m->title);
	free(m->description);
	free(m->notice_id);
	free(m->category);
	free(m->timezone);
	free(m->location);
	free(m->video_url);
	free(m->organizer);
	*m = (struct meeting){ 0 };
}

void
meeting_free(struct meeting *m)
{
	if (!m)
		return;
	meeting_release(m);
	free(m);
}

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
static int
check_text(const char *v, size_t max, struct buf *why)
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

/*
 * Firms are asked to click it, so it must be encrypted and must not hide
 * its host: "https://teams.example@evil.example/" goes to evil.example.
 */
static int
check_video_url(const char *v, struct buf *why)
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

static int
check_organizer(const char *v, struct buf *why)
{
	char addr[ORGANIZER_MAX + 1];

	if (check_text(v, ORGANIZER_MAX, why) < 0)
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

/*
 * glibc takes an unknown zone for UTC without a word, which would move the
 * meeting by an hour or two, so the zone file must be there, where glibc
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
 * earliest_instant() in zone: mktime() reads the zone from TZ alone, so TZ
 * is set for the call and put back. That is not thread-safe; the daemon
 * has one thread. -1 on error, else what earliest_instant() returns.
 */
static int
zone_instant(const char *zone, const struct tm *want, time_t *out,
	     struct buf *why)
{
	const char *tz = getenv("TZ");
	char *saved = NULL;
	int found, rc = -1;

	/* setenv() may free the string getenv() returned */
	if (tz && !(saved = strdup(tz))) {
		buf_adds(why, "out of memory");
		return -1;
	}
	if (setenv("TZ", zone, 1) < 0) {
		buf_printf(why, "setenv TZ: %s", strerror(errno));
		goto out;
	}
	tzset();
	found = earliest_instant(want, out);
	if ((saved ? setenv("TZ", saved, 1) : unsetenv("TZ")) < 0) {
		buf_printf(why, "cannot put TZ back: %s", strerror(errno));
		goto out;
	}
	tzset();
	rc = found;
out:
	free(saved);
	return rc;
}

/* text in zone, which has been checked. */
static int
local_time(const char *text, const char *zone, time_t *out, struct buf *why)
{
	struct tm tm;
	int r;

	if (parse_wall(text, &tm, why) < 0)
		return -1;
	r = zone_instant(zone, &tm, out, why);
	if (r == 0)
		buf_printf(why, "%s does not exist in %s: the clocks are put "
			   "forward over it", text, zone);
	return r > 0 ? 0 : -1;
}

int
meeting_parse_local_time(const char *text, const char *zone, time_t *out)
{
	struct buf why;
	int rc = 0;

	buf_init(&why, WHY_MAX);
	if (check_zone(zone, &why) < 0 || local_time(text, zone, out, &why) < 0)
		rc = error("%s", buf_str(&why));
	buf_release(&why);
	return rc;
}

/* Why the value of key k is refused, beyond what the ini module checks. */
static int
check_value(size_t k, const char *v, struct buf *why)
{
	struct tm tm;

	switch (k) {
	case K_TITLE:
		return check_text(v, TITLE_MAX, why);
	case K_DESCRIPTION:
		return check_text(v, DESCRIPTION_MAX, why);
	case K_LOCATION:
		return check_text(v, LOCATION_MAX, why);
	case K_NOTICE:
		return check_word(v, NOTICE_MAX, true, "._:-", "a notice id "
				  "(letters, digits, '.', '_', ':' and '-')",
				  why);
	case K_CATEGORY:
		return check_word(v, CATEGORY_MAX, false, "_-", "a category "
				  "key (lowercase letters, digits, '-' and "
				  "'_')", why);
	case K_START:
	case K_END:
	case K_DEADLINE:
		/* the zone may come later: converted by finish_times() */
		return parse_wall(v, &tm, why);
	case K_VIDEO_URL:
		return check_video_url(v, why);
	case K_ORGANIZER:
		return check_organizer(v, why);
	default:
		/*
		 * The ini module checks capacity; the timezone is checked
		 * once the file is read, default or not.
		 */
		return 0;
	}
}

/* Where key k was set, or the section line for a default. */
static size_t
key_line(const struct load_ctx *ctx, size_t k)
{
	return ctx->seen[k].line ? ctx->seen[k].line : ctx->section_line;
}

static int
key_error(struct load_ctx *ctx, size_t k, const struct buf *why)
{
	ctx->seen[k].bad = true;
	return error("%s:%zu: [%s] %s: %s", ctx->table.file, key_line(ctx, k),
		     SECTION, meeting_keys[k].key, buf_str(why));
}

static int
meeting_section(void *vctx, const char *name, size_t line)
{
	struct load_ctx *ctx = vctx;

	if (strcmp(name, SECTION) != 0)
		return error("%s:%zu: unknown section [%s]; a meeting file has "
			     "one section, [%s]", ctx->table.file, line, name,
			     SECTION);
	if (ctx->section_line)
		return error("%s:%zu: second [%s] section (the first is on "
			     "line %zu); a file describes one meeting",
			     ctx->table.file, line, SECTION, ctx->section_line);
	ctx->section_line = line;
	return ini_section_start(&ctx->table, &ctx->f);
}

static int
meeting_key(void *vctx, const char *key, const char *value, size_t line)
{
	struct load_ctx *ctx = vctx;
	struct buf why;
	size_t k;
	int rc = 0;

	if (ini_set(&ctx->table, line, SECTION, key, value, &ctx->f) < 0)
		return -1;
	/* ini_set() found it, so it is there */
	for (k = 0; strcmp(meeting_keys[k].key, key) != 0; k++)
		;
	buf_init(&why, WHY_MAX);
	/* an empty value unset an optional key */
	if (value[0] && check_value(k, value, &why) < 0)
		rc = key_error(ctx, k, &why);
	buf_release(&why);
	return rc;
}

/*
 * The instant of time key k: 1 if it is converted, 0 if it was not given
 * or was already refused, -1 if it is refused now.
 */
static int
key_instant(struct load_ctx *ctx, size_t k, const char *text, time_t *out)
{
	struct buf why;
	int rc = 1;

	if (!text || ctx->seen[k].bad)
		return 0;
	buf_init(&why, WHY_MAX);
	if (local_time(text, ctx->f.m.timezone, out, &why) < 0)
		rc = key_error(ctx, k, &why);
	buf_release(&why);
	return rc;
}

static int
finish_times(struct load_ctx *ctx)
{
	struct fields *f = &ctx->f;
	const char *file = ctx->table.file;
	struct buf why;
	int s, e, d, rc = 0;

	if (ctx->seen[K_TIMEZONE].bad)
		return -1;
	buf_init(&why, WHY_MAX);
	if (check_zone(f->m.timezone, &why) < 0)
		rc = key_error(ctx, K_TIMEZONE, &why);
	buf_release(&why);
	if (rc < 0)
		return -1;
	s = key_instant(ctx, K_START, f->start, &f->m.start);
	e = key_instant(ctx, K_END, f->end, &f->m.end);
	d = key_instant(ctx, K_DEADLINE, f->deadline,
			&f->m.registration_deadline);
	if (s < 0 || e < 0 || d < 0)
		rc = -1;
	if (s > 0 && e > 0 && f->m.end <= f->m.start)
		rc = error("%s:%zu: [%s] end: %s is not after start %s (line "
			   "%zu)", file, ctx->seen[K_END].line, SECTION, f->end,
			   f->start, ctx->seen[K_START].line);
	if (s > 0 && d > 0 && f->m.registration_deadline >= f->m.start)
		rc = error("%s:%zu: [%s] registration_deadline: %s is not "
			   "before start %s (line %zu)", file,
			   ctx->seen[K_DEADLINE].line, SECTION, f->deadline,
			   f->start, ctx->seen[K_START].line);
	f->m.has_registration_deadline = d > 0;
	return rc;
}

/* The checks that need the whole file, reported at the section header. */
static int
finish(struct load_ctx *ctx)
{
	const struct meeting *m = &ctx->f.m;
	const char *file = ctx->table.file;
	size_t line = ctx->section_line;
	int rc = 0;

	if (ini_check_required(&ctx->table, line, SECTION) < 0)
		rc = -1;
	if (!m->notice_id && !m->category && !ctx->seen[K_NOTICE].bad &&
	    !ctx->seen[K_CATEGORY].bad)
		rc = error("%s:%zu: [%s] needs notice or category, or both",
			   file, line, SECTION);
	if (!m->location && !m->video_url && !ctx->seen[K_LOCATION].bad &&
	    !ctx->seen[K_VIDEO_URL].bad)
		rc = error("%s:%zu: [%s] needs location or video_url, or both",
			   file, line, SECTION);
	if (finish_times(ctx) < 0)
		rc = -1;
	return rc;
}

int
meeting_load(const char *path, struct meeting **out)
{
	static const struct ini_handler handler = {
		meeting_section, meeting_key
	};
	struct load_ctx ctx = { 0 };
	struct meeting *m;
	struct buf text;
	int parsed, rc = -1;

	buf_init(&text, FILE_MAX);
	if (ini_read(path, &text) < 0)
		goto out;
	ctx.table = (struct ini_table){ path, NULL, meeting_keys, NKEYS,
					ctx.seen };
	parsed = ini_parse(path, buf_str(&text), text.len, &handler, &ctx);
	if (!ctx.section_line) {
		/* a misspelt header has been reported already */
		if (parsed == 0)
			error("%s: no [%s] section", path, SECTION);
		goto out;
	}
	if (finish(&ctx) < 0 || parsed < 0)
		goto out;
	m = malloc(sizeof(*m));
	if (!m) {
		error("%s: out of memory", path);
		goto out;
	}
	*m = ctx.f.m;
	memset(&ctx.f.m, 0, sizeof(ctx.f.m));
	*out = m;
	rc = 0;
out:
	ini_free_fields(meeting_keys, NKEYS, &ctx.f);
	buf_release(&text);
	return rc;
}
