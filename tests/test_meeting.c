#define _XOPEN_SOURCE 700

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "meeting.h"
#include "unitfile.h"
#include "test.h"
#include "testutil.h"

static char tmpdir[PATH_MAX];

/* Expected instants, from `TZ=Europe/Stockholm date -d '...' +%s`. */
#define JAN14_0900	1799913600	/* 2027-01-14 08:00 UTC, CET */
#define JAN14_1100	1799920800
#define JAN12_1200	1799751600
#define JUN10_1330	1812627000	/* 2027-06-10 11:30 UTC, CEST */
#define JUN10_1500	1812632400
#define OCT31_0230_CEST	1824942600	/* the first 02:30 of 2027-10-31 */
#define MAR28_0300	1806195600	/* 01:00 UTC: 02:00 CET became 03:00 */

/* A valid file but for the lines each error test adds after it. */
#define HEAD "[meeting]\ntitle = Informationsmöte\n"
#define TIMES "start = 2027-01-14 09:00\nend = 2027-01-14 11:00\n"
#define ABOUT "notice = 2027-00042\nlocation = Stadshuset\n"

/*
 * Loads path into *m; returns what was printed on stderr, with the temp
 * directory taken out, so messages read "t.conf:2: ...".
 */
static char *
load_path(const char *path, int *rc, struct meeting **m)
{
	struct capture c;
	struct buf b;
	char *err, *p, *at;
	size_t dirlen = strlen(tmpdir);

	capture_start(&c, 2);
	*rc = meeting_load(path, m);
	err = capture_end(&c);
	buf_init(&b, 0);
	for (p = err; (at = strstr(p, tmpdir)); p = at + dirlen + 1)
		buf_add(&b, p, (size_t)(at - p));
	buf_adds(&b, p);
	free(err);
	return buf_detach(&b, NULL);
}

/* Loads text as tmpdir/t.conf. */
static char *
load_text(const char *text, int *rc, struct meeting **m)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/t.conf", tmpdir);
	write_text(path, text);
	return load_path(path, rc, m);
}

/* text must fail to load with stderr starting with want; out is kept. */
static void
check_error_prefix(const char *text, const char *want)
{
	struct meeting *m = (struct meeting *)&tmpdir;
	char *err;
	int rc;

	err = load_text(text, &rc, &m);
	CHECK(rc == -1);
	CHECK(m == (struct meeting *)&tmpdir);
	if (strncmp(err, want, strlen(want)) != 0)
		fprintf(stderr, "  got:  %s  want: %s\n", err, want);
	CHECK(strncmp(err, want, strlen(want)) == 0);
	/* one line per mistake */
	CHECK(*err && strchr(err, '\n') == err + strlen(err) - 1);
	free(err);
}

/* text must fail to load with exactly want on stderr. */
static void
check_error(const char *text, const char *want)
{
	struct meeting *m = (struct meeting *)&tmpdir;
	char *err;
	int rc;

	err = load_text(text, &rc, &m);
	CHECK(rc == -1);
	CHECK(m == (struct meeting *)&tmpdir);
	CHECK_STR(err, want);
	free(err);
}

static void
test_full(void)
{
	struct meeting *m = NULL;
	char *err;
	int rc;

	err = load_text(
		"# Branschträff\n"
		"\n"
		"[meeting]\n"
		"title = Branschträff måleri\n"
		"description = \"Om kommande upphandlingar # 2027\"\n"
		"notice = ted:2027/S 012-000345\n"
		"category = maleri\n"
		"start = 2027-01-14 09:00\n"
		"end = \"2027-01-14 11:00\"\n"
		"timezone = Europe/Stockholm\n"
		"location = Stadshuset, Storgatan 1, Exempelstad\n"
		"video_url = https://teams.example.com/l/meetup-join/19%3a"
		"abc?context=%7b%7d\n"
		"capacity = 40\n"
		"registration_deadline = 2027-01-12 12:00\n"
		"organizer = Upphandlingsenheten <upphandling@exempel.se>\n",
		&rc, &m);
	/* the notice id has a space and a '/': refused */
	CHECK(rc == -1);
	CHECK_STR(err, "tenderlots: error: t.conf:6: [meeting] notice: "
		  "'ted:2027/S 012-000345' is not a notice id (letters, "
		  "digits, '.', '_', ':' and '-')\n");
	free(err);

	err = load_text(
		"# Branschträff\n"
		"\n"
		"[meeting]\n"
		"title = Branschträff måleri\n"
		"description = \"Om kommande upphandlingar # 2027\"\n"
		"notice = TED:2027-012.000345_a\n"
		"category = maleri\n"
		"start = 2027-01-14 09:00\n"
		"end = \"2027-01-14 11:00\"\n"
		"timezone = Europe/Stockholm\n"
		"location = Stadshuset, Storgatan 1, Exempelstad\n"
		"video_url = https://teams.example.com/l/meetup-join/19%3a"
		"abc?context=%7b%7d\n"
		"capacity = 40\n"
		"registration_deadline = 2027-01-12 12:00\n"
		"organizer = Upphandlingsenheten <upphandling@exempel.se>\n",
		&rc, &m);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	free(err);
	if (rc != 0)
		return;
	CHECK(m->id == 0);
	CHECK_STR(m->title, "Branschträff måleri");
	CHECK_STR(m->description, "Om kommande upphandlingar # 2027");
	CHECK_STR(m->notice_id, "TED:2027-012.000345_a");
	CHECK_STR(m->category, "maleri");
	CHECK(m->start == JAN14_0900);
	CHECK(m->end == JAN14_1100);
	CHECK_STR(m->timezone, "Europe/Stockholm");
	CHECK_STR(m->location, "Stadshuset, Storgatan 1, Exempelstad");
	CHECK_STR(m->video_url,
		  "https://teams.example.com/l/meetup-join/19%3aabc?context="
		  "%7b%7d");
	CHECK(m->capacity == 40);
	CHECK(m->has_registration_deadline == 1);
	CHECK(m->registration_deadline == JAN12_1200);
	CHECK_STR(m->organizer, "Upphandlingsenheten <upphandling@exempel.se>");
	CHECK(m->sequence == 0);
	CHECK(m->cancelled == 0);
	meeting_free(m);
}

/* Summer time, and what the optional keys default to. */
static void
test_minimal(void)
{
	struct meeting *m = NULL;
	char *err;
	int rc;

	err = load_text("[meeting]\r\ntitle = Informationsmöte om skolmat\r\n"
			"category = maltider\r\n"
			"start = 2027-06-10 13:30\r\nend = 2027-06-10 15:00\r\n"
			"video_url = https://meet.example.se\r\n"
			"description =\r\n", &rc, &m);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	free(err);
	if (rc != 0)
		return;
	CHECK(m->start == JUN10_1330);
	CHECK(m->end == JUN10_1500);
	CHECK_STR(m->timezone, "Europe/Stockholm");
	CHECK(m->description == NULL);
	CHECK(m->notice_id == NULL);
	CHECK_STR(m->category, "maltider");
	CHECK(m->location == NULL);
	CHECK_STR(m->video_url, "https://meet.example.se");
	CHECK(m->capacity == 0);
	CHECK(m->has_registration_deadline == 0);
	CHECK(m->organizer == NULL);
	meeting_free(m);
	meeting_free(NULL);
}

static void
test_other_zone(void)
{
	struct meeting *m = NULL;
	char *err;
	int rc;

	/* the zone may come after the times it applies to */
	err = load_text(HEAD ABOUT "start = 2027-01-14 09:00\n"
			"end = 2027-01-14 11:00\n"
			"timezone = America/New_York\n"
			"registration_deadline = 2027-01-14 08:59\n"
			"capacity = 100000\n", &rc, &m);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	free(err);
	if (rc != 0)
		return;
	CHECK(m->start == JAN14_0900 + 6 * 3600);
	CHECK(m->end == JAN14_1100 + 6 * 3600);
	CHECK(m->registration_deadline == JAN14_0900 + 6 * 3600 - 60);
	CHECK(m->capacity == 100000);
	CHECK_STR(m->timezone, "America/New_York");
	meeting_free(m);

	err = load_text(HEAD ABOUT TIMES "timezone = UTC\n", &rc, &m);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	free(err);
	if (rc != 0)
		return;
	CHECK(m->start == JAN14_0900 + 3600);
	meeting_free(m);
}

static void
test_required(void)
{
	check_error("[meeting]\n" TIMES ABOUT,
		"tenderlots: error: t.conf:1: [meeting] missing key 'title'\n");
	check_error("# x\n" HEAD ABOUT,
		"tenderlots: error: t.conf:2: [meeting] missing key 'start'\n"
		"tenderlots: error: t.conf:2: [meeting] missing key 'end'\n");
	check_error(HEAD TIMES "location = Stadshuset\n",
		"tenderlots: error: t.conf:1: [meeting] needs notice or "
		"category, or both\n");
	/* an empty value says "none" explicitly */
	check_error(HEAD TIMES "location = Stadshuset\nnotice =\n"
		"category = \"\"\n",
		"tenderlots: error: t.conf:1: [meeting] needs notice or "
		"category, or both\n");
	check_error(HEAD TIMES "category = el\n",
		"tenderlots: error: t.conf:1: [meeting] needs location or "
		"video_url, or both\n");
	check_error(HEAD TIMES "category = el\nlocation =\nvideo_url =\n",
		"tenderlots: error: t.conf:1: [meeting] needs location or "
		"video_url, or both\n");
	check_error("[meeting]\ntitle =\n" TIMES ABOUT,
		"tenderlots: error: t.conf:2: [meeting] title: empty value\n");
	check_error("[meeting]\ntitle = \"   \"\n" TIMES ABOUT,
		"tenderlots: error: t.conf:2: [meeting] title: blank value\n");
	check_error(HEAD TIMES ABOUT "timezone =\n",
		"tenderlots: error: t.conf:7: [meeting] timezone: empty "
		"value\n");
	/* a refused notice is not also missing */
	check_error(HEAD TIMES "notice = a b\nlocation = x\n",
		"tenderlots: error: t.conf:5: [meeting] notice: 'a b' is not a "
		"notice id (letters, digits, '.', '_', ':' and '-')\n");
}

static void
test_order(void)
{
	check_error(HEAD ABOUT "start = 2027-01-14 09:00\n"
		"end = 2027-01-14 08:59\n",
		"tenderlots: error: t.conf:6: [meeting] end: 2027-01-14 08:59 "
		"is not after start 2027-01-14 09:00 (line 5)\n");
	check_error(HEAD ABOUT "end = 2027-01-14 09:00\n"
		"start = 2027-01-14 09:00\n",
		"tenderlots: error: t.conf:5: [meeting] end: 2027-01-14 09:00 "
		"is not after start 2027-01-14 09:00 (line 6)\n");
	check_error(HEAD ABOUT TIMES
		"registration_deadline = 2027-01-14 09:30\n",
		"tenderlots: error: t.conf:7: [meeting] registration_deadline: "
		"2027-01-14 09:30 is not before start 2027-01-14 09:00 "
		"(line 5)\n");
	check_error(HEAD ABOUT TIMES
		"registration_deadline = 2027-01-14 09:00\n",
		"tenderlots: error: t.conf:7: [meeting] registration_deadline: "
		"2027-01-14 09:00 is not before start 2027-01-14 09:00 "
		"(line 5)\n");
	/* an hour apart on the clock, the same instant */
	check_error(HEAD ABOUT "start = 2027-10-31 02:30\n"
		"end = 2027-10-31 02:30\ntimezone = UTC\n",
		"tenderlots: error: t.conf:6: [meeting] end: 2027-10-31 02:30 "
		"is not after start 2027-10-31 02:30 (line 5)\n");
}

static void
test_zone_errors(void)
{
	check_error_prefix(HEAD ABOUT TIMES "timezone = Mars/Olympus\n",
		"tenderlots: error: t.conf:7: [meeting] timezone: unknown time "
		"zone 'Mars/Olympus' (");
	check_error(HEAD ABOUT TIMES "timezone = ../etc\n",
		"tenderlots: error: t.conf:7: [meeting] timezone: '../etc' is "
		"not a time zone name like Europe/Stockholm\n");
	check_error(HEAD ABOUT TIMES "timezone = Europe/../../../etc/passwd\n",
		"tenderlots: error: t.conf:7: [meeting] timezone: "
		"'Europe/../../../etc/passwd' is not a time zone name like "
		"Europe/Stockholm\n");
	check_error(HEAD ABOUT TIMES "timezone = /usr/share/zoneinfo/UTC\n",
		"tenderlots: error: t.conf:7: [meeting] timezone: "
		"'/usr/share/zoneinfo/UTC' is not a time zone name like "
		"Europe/Stockholm\n");
	check_error(HEAD ABOUT TIMES "timezone = Europe//Stockholm\n",
		"tenderlots: error: t.conf:7: [meeting] timezone: "
		"'Europe//Stockholm' is not a time zone name like "
		"Europe/Stockholm\n");
	check_error(HEAD ABOUT TIMES "timezone = Europe/\n",
		"tenderlots: error: t.conf:7: [meeting] timezone: 'Europe/' is "
		"not a time zone name like Europe/Stockholm\n");
	check_error(HEAD ABOUT TIMES "timezone = CET-1CEST\n",
		"tenderlots: error: t.conf:7: [meeting] timezone: unknown time "
		"zone 'CET-1CEST' (/usr/share/zoneinfo/CET-1CEST: No such file "
		"or directory)\n");
	check_error(HEAD ABOUT TIMES "timezone = Europe\n",
		"tenderlots: error: t.conf:7: [meeting] timezone: unknown time "
		"zone 'Europe' (/usr/share/zoneinfo/Europe is not a zone "
		"file)\n");
	check_error(HEAD ABOUT TIMES "timezone = "
		"Abcdefghijklmnopqrstuvwxyz/Abcdefghijklmnopqrstuvwxyz/"
		"Abcdefghijk\n",
		"tenderlots: error: t.conf:7: [meeting] timezone: longer than "
		"64 bytes\n");
	/* a bad zone leaves the times unconverted, not wrong */
	check_error(HEAD ABOUT "start = 2027-03-28 02:30\nend = 2027-01-14\n"
		"timezone = europe/stockholm\n",
		"tenderlots: error: t.conf:6: [meeting] end: '2027-01-14' is "
		"not a time written YYYY-MM-DD HH:MM\n"
		"tenderlots: error: t.conf:7: [meeting] timezone: unknown time "
		"zone 'europe/stockholm' "
		"(/usr/share/zoneinfo/europe/stockholm: No such file or "
		"directory)\n");
}

static int
copy_file(const char *from, const char *to)
{
	char chunk[4096];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;
	int rc = -1;

	if (!in || !out)
		goto out;
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		if (fwrite(chunk, 1, n, out) != n)
			goto out;
	rc = ferror(in) ? -1 : 0;
out:
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		rc = -1;
	return rc;
}

/* Zones are read where glibc reads them: TZDIR. */
static void
test_tzdir(void)
{
	char dir[PATH_MAX + 16], path[PATH_MAX + 32], want[2 * PATH_MAX];
	time_t t = 0;
	struct capture c;
	char *err;
	int rc;

	snprintf(dir, sizeof(dir), "%s/zones", tmpdir);
	snprintf(path, sizeof(path), "%s/Test", dir);
	CHECK(mkdir(dir, 0700) == 0 && mkdir(path, 0700) == 0);
	snprintf(path, sizeof(path), "%s/Test/Here", dir);
	CHECK(copy_file("/usr/share/zoneinfo/Europe/Stockholm", path) == 0);
	snprintf(path, sizeof(path), "%s/Test/Text", dir);
	write_text(path, "# not a zone\n");

	setenv("TZDIR", dir, 1);
	rc = meeting_parse_local_time("2027-06-10 13:30", "Test/Here", &t);
	CHECK(rc == 0 && t == JUN10_1330);
	capture_start(&c, 2);
	rc = meeting_parse_local_time("2027-06-10 13:30", "Test/Text", &t);
	err = capture_end(&c);
	CHECK(rc == -1);
	snprintf(want, sizeof(want), "tenderlots: error: unknown time zone "
		 "'Test/Text' (%s is not a zone file)\n", path);
	CHECK_STR(err, want);
	free(err);
	capture_start(&c, 2);
	rc = meeting_parse_local_time("2027-06-10 13:30", "Europe/Stockholm",
				      &t);
	err = capture_end(&c);
	CHECK(rc == -1);
	CHECK(strstr(err, "unknown time zone 'Europe/Stockholm'") != NULL);
	free(err);
	unsetenv("TZDIR");
}

static void
test_time_errors(void)
{
	check_error(HEAD ABOUT "start = 2027-03-28 02:30\n"
		"end = 2027-03-28 04:00\n",
		"tenderlots: error: t.conf:5: [meeting] start: 2027-03-28 "
		"02:30 does not exist in Europe/Stockholm: the clocks are put "
		"forward over it\n");
	check_error(HEAD ABOUT "start = 2027-13-01 10:00\n"
		"end = 2027-01-14\nregistration_deadline = 2027-01-14 25:00\n",
		"tenderlots: error: t.conf:5: [meeting] start: '2027-13-01 "
		"10:00': no such date\n"
		"tenderlots: error: t.conf:6: [meeting] end: '2027-01-14' is "
		"not a time written YYYY-MM-DD HH:MM\n"
		"tenderlots: error: t.conf:7: [meeting] registration_deadline: "
		"'2027-01-14 25:00': no such time of day\n");
	check_error(HEAD ABOUT "start = 2027-02-29 10:00\n"
		"end = 2027-01-14 10:60\n",
		"tenderlots: error: t.conf:5: [meeting] start: '2027-02-29 "
		"10:00': no such date\n"
		"tenderlots: error: t.conf:6: [meeting] end: '2027-01-14 "
		"10:60': no such time of day\n");
	check_error(HEAD ABOUT "start = 1969-12-31 10:00\n"
		"end = 2027-01-14T10:00\n",
		"tenderlots: error: t.conf:5: [meeting] start: '1969-12-31 "
		"10:00': years before 1970 are not accepted\n"
		"tenderlots: error: t.conf:6: [meeting] end: "
		"'2027-01-14T10:00' is not a time written YYYY-MM-DD HH:MM\n");
	check_error(HEAD ABOUT "start = 2027-1-14 9:00\n"
		"end = \" 2027-01-14 10:00\"\n",
		"tenderlots: error: t.conf:5: [meeting] start: '2027-1-14 "
		"9:00' is not a time written YYYY-MM-DD HH:MM\n"
		"tenderlots: error: t.conf:6: [meeting] end: ' 2027-01-14 "
		"10:00' is not a time written YYYY-MM-DD HH:MM\n");
	check_error(HEAD ABOUT "start = +027-01-14 09:00\n"
		"end = 2027-01-14 10:00:00\n",
		"tenderlots: error: t.conf:5: [meeting] start: '+027-01-14 "
		"09:00' is not a time written YYYY-MM-DD HH:MM\n"
		"tenderlots: error: t.conf:6: [meeting] end: '2027-01-14 "
		"10:00:00' is not a time written YYYY-MM-DD HH:MM\n");
}

static void
test_value_errors(void)
{
	char text[1024], want[1024], title[202];

	check_error(HEAD TIMES ABOUT "video_url = http://meet.example.se/x\n",
		"tenderlots: error: t.conf:7: [meeting] video_url: "
		"'http://meet.example.se/x' is not an https:// URL "
		"(https://host/path, printable ASCII)\n");
	check_error(HEAD TIMES ABOUT
		"video_url = https://teams.example.com@evil.example/\n",
		"tenderlots: error: t.conf:7: [meeting] video_url: "
		"'https://teams.example.com@evil.example/' is not an https:// "
		"URL (https://host/path, printable ASCII)\n");
	check_error(HEAD TIMES ABOUT "video_url = \"https://x.se/a b\"\n",
		"tenderlots: error: t.conf:7: [meeting] video_url: "
		"'https://x.se/a b' is not an https:// URL (https://host/path, "
		"printable ASCII)\n");
	check_error(HEAD TIMES ABOUT "video_url = https:///path\n",
		"tenderlots: error: t.conf:7: [meeting] video_url: "
		"'https:///path' is not an https:// URL (https://host/path, "
		"printable ASCII)\n");
	check_error(HEAD TIMES ABOUT "category = Maleri\n",
		"tenderlots: error: t.conf:7: [meeting] category: 'Maleri' is "
		"not a category key (lowercase letters, digits, '-' "
		"and '_')\n");
	check_error(HEAD TIMES ABOUT "capacity = 100001\n",
		"tenderlots: error: t.conf:7: [meeting] capacity: 100001 is "
		"out of range 0..100000\n");
	check_error(HEAD TIMES ABOUT "capacity = -1\n",
		"tenderlots: error: t.conf:7: [meeting] capacity: -1 is out of "
		"range 0..100000\n");
	check_error(HEAD TIMES ABOUT "organizer = Upphandling <upphandling>\n",
		"tenderlots: error: t.conf:7: [meeting] organizer: "
		"'Upphandling <upphandling>' is not a mailbox \"Name <addr>\" "
		"or \"addr\"\n");
	check_error(HEAD TIMES ABOUT "description = a\tb\n",
		"tenderlots: error: t.conf:7: [meeting] description: contains "
		"a control character\n");
	check_error(HEAD TIMES ABOUT "organizer = M\xf6te <a@b.se>\n",
		"tenderlots: error: t.conf:7: [meeting] organizer: not valid "
		"UTF-8\n");
	check_error(HEAD TIMES ABOUT "description = a\xc2\x85z\n",
		"tenderlots: error: t.conf:7: [meeting] description: contains "
		"a control character\n");

	/* 200 bytes are fine, 201 are not */
	memset(title, 'x', 200);
	title[200] = '\0';
	snprintf(text, sizeof(text), "[meeting]\ntitle = %s\n" TIMES ABOUT,
		 title);
	{
		struct meeting *m = NULL;
		char *err;
		int rc;

		err = load_text(text, &rc, &m);
		CHECK(rc == 0);
		CHECK_STR(err, "");
		free(err);
		if (rc == 0) {
			CHECK(strlen(m->title) == 200);
			meeting_free(m);
		}
	}
	strcat(title, "x");
	snprintf(text, sizeof(text), "[meeting]\ntitle = %s\n" TIMES ABOUT,
		 title);
	snprintf(want, sizeof(want), "tenderlots: error: t.conf:2: [meeting] "
		 "title: longer than 200 bytes\n");
	check_error(text, want);
}

static void
test_structure_errors(void)
{
	check_error(HEAD TIMES ABOUT "room = 101\n",
		"tenderlots: error: t.conf:7: unknown key 'room' in section "
		"[meeting]\n");
	check_error(HEAD TIMES ABOUT "title = Igen\n",
		"tenderlots: error: t.conf:7: duplicate key 'title' in section "
		"[meeting] (first set on line 2)\n");
	/* the keys of a refused section are not reported one by one */
	check_error(HEAD TIMES ABOUT "\n[meeting]\ntitle = Andra\nroom = 1\n",
		"tenderlots: error: t.conf:8: second [meeting] section (the "
		"first is on line 1); a file describes one meeting\n");
	check_error(HEAD TIMES ABOUT "[extra]\ntitle = Andra\n",
		"tenderlots: error: t.conf:7: unknown section [extra]; a "
		"meeting file has one section, [meeting]\n");
	check_error("[meting]\ntitle = x\n",
		"tenderlots: error: t.conf:1: unknown section [meting]; a "
		"meeting file has one section, [meeting]\n");
	check_error("title = x\n" HEAD TIMES ABOUT,
		"tenderlots: error: t.conf:1: key 'title' is outside any "
		"section\n");
	check_error("# nothing yet\n",
		"tenderlots: error: t.conf: no [meeting] section\n");
	check_error("",
		"tenderlots: error: t.conf: no [meeting] section\n");
}

/* One run shows every mistake. */
static void
test_all_errors(void)
{
	check_error("[meeting]\nnotice = x y\nstart = 2027-03-28 02:00\n"
		"end = 2027-03-28 01:00\nvideo_url = ftp://x\n"
		"registration_deadline = 2027-04-01 10:00\ncapacity = many\n"
		"[more]\n",
		"tenderlots: error: t.conf:2: [meeting] notice: 'x y' is not a "
		"notice id (letters, digits, '.', '_', ':' and '-')\n"
		"tenderlots: error: t.conf:5: [meeting] video_url: 'ftp://x' "
		"is not an https:// URL (https://host/path, printable ASCII)\n"
		"tenderlots: error: t.conf:7: [meeting] capacity: 'many' is "
		"not an integer\n"
		"tenderlots: error: t.conf:8: unknown section [more]; a "
		"meeting file has one section, [meeting]\n"
		"tenderlots: error: t.conf:1: [meeting] missing key 'title'\n"
		"tenderlots: error: t.conf:3: [meeting] start: 2027-03-28 "
		"02:00 does not exist in Europe/Stockholm: the clocks are put "
		"forward over it\n");
}

static void
test_missing_file(void)
{
	struct meeting *m = (struct meeting *)&tmpdir;
	char path[PATH_MAX + 16];
	char *err;
	int rc;

	snprintf(path, sizeof(path), "%s/none.conf", tmpdir);
	err = load_path(path, &rc, &m);
	CHECK(rc == -1);
	CHECK_STR(err, "tenderlots: error: none.conf: No such file or "
		  "directory\n");
	CHECK(m == (struct meeting *)&tmpdir);
	free(err);
}

/* What meeting_parse_local_time() reports, and *t as it leaves it. */
static char *
parse(const char *text, const char *zone, int *rc, time_t *t)
{
	struct capture c;

	capture_start(&c, 2);
	*rc = meeting_parse_local_time(text, zone, t);
	return capture_end(&c);
}

static void
test_parse_local_time(void)
{
	time_t t = 0;
	char *err;
	int rc;

	err = parse("2027-01-14 09:00", "Europe/Stockholm", &rc, &t);
	CHECK(rc == 0 && t == JAN14_0900);
	CHECK_STR(err, "");
	free(err);
	err = parse("2027-06-10 13:30", "Europe/Stockholm", &rc, &t);
	CHECK(rc == 0 && t == JUN10_1330);
	free(err);
	/* either side of the gap, and the first of the repeated hour */
	err = parse("2027-03-28 03:00", "Europe/Stockholm", &rc, &t);
	CHECK(rc == 0 && t == MAR28_0300);
	free(err);
	err = parse("2027-03-28 01:59", "Europe/Stockholm", &rc, &t);
	CHECK(rc == 0 && t == MAR28_0300 - 60);
	free(err);
	err = parse("2027-10-31 02:30", "Europe/Stockholm", &rc, &t);
	CHECK(rc == 0 && t == OCT31_0230_CEST);
	free(err);
	err = parse("2027-10-31 03:00", "Europe/Stockholm", &rc, &t);
	CHECK(rc == 0 && t == OCT31_0230_CEST + 2 * 3600 - 1800);
	free(err);
	err = parse("2027-03-14 02:30", "America/New_York", &rc, &t);
	CHECK(rc == -1);
	CHECK_STR(err, "tenderlots: error: 2027-03-14 02:30 does not exist in "
		  "America/New_York: the clocks are put forward over it\n");
	free(err);
	err = parse("1970-01-01 00:00", "UTC", &rc, &t);
	CHECK(rc == 0 && t == 0);
	free(err);
	err = parse("9999-12-31 23:59", "UTC", &rc, &t);
	CHECK(rc == 0 && (long long)t == 253402300740LL);
	free(err);

	t = 7;
	err = parse("2027-03-28 02:30", "Europe/Stockholm", &rc, &t);
	CHECK(rc == -1 && t == 7);
	CHECK_STR(err, "tenderlots: error: 2027-03-28 02:30 does not exist in "
		  "Europe/Stockholm: the clocks are put forward over it\n");
	free(err);
	err = parse("2027-01-14 09:00", "../etc", &rc, &t);
	CHECK(rc == -1 && t == 7);
	CHECK_STR(err, "tenderlots: error: '../etc' is not a time zone name "
		  "like Europe/Stockholm\n");
	free(err);
	err = parse("2027-01-14 09:00", "", &rc, &t);
	CHECK(rc == -1);
	CHECK_STR(err, "tenderlots: error: '' is not a time zone name like "
		  "Europe/Stockholm\n");
	free(err);
	err = parse("2027-01-14", "Europe/Stockholm", &rc, &t);
	CHECK(rc == -1 && t == 7);
	CHECK_STR(err, "tenderlots: error: '2027-01-14' is not a time written "
		  "YYYY-MM-DD HH:MM\n");
	free(err);
	err = parse("", "Europe/Stockholm", &rc, &t);
	CHECK(rc == -1);
	CHECK_STR(err, "tenderlots: error: '' is not a time written YYYY-MM-DD "
		  "HH:MM\n");
	free(err);
}

/* The conversion borrows TZ and must hand it back as it was. */
static void
test_tz_restored(void)
{
	time_t t = JAN14_0900, got = 0;
	struct tm tm;
	char *err;
	int rc;

	setenv("TZ", "America/New_York", 1);
	tzset();
	err = parse("2027-06-10 13:30", "Europe/Stockholm", &rc, &got);
	CHECK(rc == 0 && got == JUN10_1330);
	free(err);
	CHECK_STR(getenv("TZ"), "America/New_York");
	CHECK(localtime_r(&t, &tm) && tm.tm_hour == 3);
	err = parse("2027-03-28 02:30", "Europe/Stockholm", &rc, &got);
	CHECK(rc == -1);
	free(err);
	CHECK_STR(getenv("TZ"), "America/New_York");
	CHECK(localtime_r(&t, &tm) && tm.tm_hour == 3);

	unsetenv("TZ");
	tzset();
	err = parse("2027-06-10 13:30", "America/New_York", &rc, &got);
	CHECK(rc == 0);
	free(err);
	CHECK(getenv("TZ") == NULL);
}

/*
 * The web's threads convert in the service's zone (TZ) or UTC, where TZ
 * must not be switched under the other threads: both give the right day
 * and leave TZ as it was.
 */
static void
test_utc_and_own_zone(void)
{
	/* 2026-12-31 23:30 UTC, 2027-01-01 00:30 in Stockholm */
	const time_t t = 1798759800;
	char day[UNITFILE_DATE_LEN + 1];
	time_t got = 0;

	setenv("TZ", "Europe/Stockholm", 1);
	tzset();
	CHECK(unitfile_local_date(t, "UTC", day) == 0);
	CHECK_STR(day, "2026-12-31");
	CHECK(unitfile_local_date(t, "Europe/Stockholm", day) == 0);
	CHECK_STR(day, "2027-01-01");
	CHECK(unitfile_parse_local_time("2026-12-31 23:30", "UTC", &got) == 0 &&
	      got == t);
	CHECK(unitfile_parse_local_time("2027-01-01 00:30", "Europe/Stockholm",
					&got) == 0 && got == t);
	CHECK_STR(getenv("TZ"), "Europe/Stockholm");
	unsetenv("TZ");
	tzset();
}

static void
test_example(void)
{
	struct meeting *m = NULL;
	char *err;
	int rc;

	err = load_path("config/meeting.example.conf", &rc, &m);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	free(err);
	if (rc != 0)
		return;
	CHECK(m->notice_id == NULL);
	CHECK_STR(m->category, "maleri");
	CHECK(strstr(m->title, "Branschträff") != NULL);
	CHECK_STR(m->location, "Stadshuset, Storgatan 1, Exempelstad");
	CHECK(m->video_url && strncmp(m->video_url, "https://", 8) == 0);
	CHECK(m->start == JAN14_0900);
	CHECK(m->end == JAN14_1100);
	CHECK(m->capacity == 40);
	CHECK(m->has_registration_deadline &&
	      m->registration_deadline == JAN12_1200);
	CHECK_STR(m->timezone, "Europe/Stockholm");
	meeting_free(m);
}

int
main(void)
{
	/* the zone messages name /usr/share/zoneinfo */
	unsetenv("TZDIR");
	make_tmpdir(tmpdir, "test_meeting");
	RUN(test_full);
	RUN(test_minimal);
	RUN(test_other_zone);
	RUN(test_required);
	RUN(test_order);
	RUN(test_zone_errors);
	RUN(test_tzdir);
	RUN(test_time_errors);
	RUN(test_value_errors);
	RUN(test_structure_errors);
	RUN(test_all_errors);
	RUN(test_missing_file);
	RUN(test_parse_local_time);
	RUN(test_tz_restored);
	RUN(test_utc_and_own_zone);
	RUN(test_example);
	rm_rf(tmpdir);
	return test_done("meeting");
}
