#define _XOPEN_SOURCE 700

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "test.h"
#include "testutil.h"

/* The realpath of a fresh temp dir, so expected paths can be compared. */
static char tmpdir[PATH_MAX];

static void
fresh_tmpdir(void)
{
	if (tmpdir[0])
		rm_rf(tmpdir);
	make_tmpdir(tmpdir, "test_config");
}

/* Writes tmpdir/name, creating one level of directory if name has one. */
static const char *
write_file(const char *name, const char *text)
{
	static char path[2 * PATH_MAX];
	const char *slash = strchr(name, '/');

	if (slash) {
		snprintf(path, sizeof(path), "%s/%.*s", tmpdir,
			 (int)(slash - name), name);
		mkdir(path, 0700);
	}
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	write_text(path, text);
	return path;
}

static char *
tmp_path(const char *name)
{
	static char path[2 * PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return path;
}

/*
 * Loads path into a fresh config; returns what was printed on stderr and
 * sets *rc. *out gets the config when wanted, else it is freed.
 */
static char *
load(const char *path, int *rc, struct config **out)
{
	struct config *cfg = config_new();
	struct capture c;
	char *err;

	if (!cfg)
		exit(2);
	capture_start(&c, 2);
	*rc = config_load(cfg, path);
	err = capture_end(&c);
	if (out)
		*out = cfg;
	else
		config_free(cfg);
	return err;
}

/* A feeds file with one valid feed, for main configs that need one. */
static void
write_feeds(void)
{
	write_file("feeds.conf", "[local]\nkind = eforms\nurl = notices\n");
}

/* want with every "FILE" replaced by path; the caller frees it. */
static char *
expand(const char *want, const char *path)
{
	struct buf b;
	const char *p;

	buf_init(&b, 0);
	while ((p = strstr(want, "FILE"))) {
		buf_add(&b, want, (size_t)(p - want));
		buf_adds(&b, path);
		want = p + 4;
	}
	buf_adds(&b, want);
	return buf_detach(&b, NULL);
}

/* Loads text as tmpdir/t.conf and checks the complete stderr output. */
static void
check_main_error(const char *text, const char *want)
{
	const char *path;
	char *err, *exp;
	int rc;

	write_feeds();
	path = write_file("t.conf", text);
	exp = expand(want, path);
	err = load(path, &rc, NULL);
	CHECK(rc == -1);
	CHECK_STR(err, exp);
	free(err);
	free(exp);
}

/* Loads a main config naming tmpdir/feeds.conf holding text. */
static void
check_feeds_error(const char *text, const char *want)
{
	char *err, *exp;
	int rc;

	exp = expand(want, write_file("feeds.conf", text));
	write_file("t.conf", "[feeds]\nfile = feeds.conf\n");
	err = load(tmp_path("t.conf"), &rc, NULL);
	CHECK(rc == -1);
	CHECK_STR(err, exp);
	free(err);
	free(exp);
}

static void
test_defaults(void)
{
	struct config *cfg = config_new();

	CHECK(cfg != NULL);
	if (!cfg)
		return;
	CHECK(cfg->path == NULL);
	CHECK_STR(cfg->db_path, "../var/tenderlots.db");
	CHECK_STR(cfg->service_name, "Exempelkommun");
	CHECK_STR(cfg->public_url, "https://upphandling.exempelkommun.se");
	CHECK_STR(cfg->timezone, "Europe/Stockholm");
	CHECK(cfg->transport == TRANSPORT_MAILDIR);
	CHECK_STR(cfg->maildir, "../var/mail");
	CHECK_STR(cfg->mail_from, "Exempelkommun upphandlingsbevakning "
		  "<bevakning@exempelkommun.se>");
	CHECK_STR(cfg->reply_to,
		  "Upphandlingsenheten <upphandling@exempelkommun.se>");
	CHECK(cfg->max_lots_per_mail == 20);
	CHECK(cfg->fetch_timeout == 30);
	CHECK(cfg->fetch_max_bytes == 16777216);
	CHECK_STR(cfg->feeds_path, "feeds.conf");
	CHECK(cfg->feeds == NULL && cfg->nfeeds == 0);
	CHECK_STR(cfg->categories_path, "categories.conf");
	config_free(cfg);
}

static void
test_bundled(void)
{
	char root[PATH_MAX], want[PATH_MAX + 64];
	struct config *cfg;
	char *err;
	int rc;

	if (!realpath(".", root)) {
		CHECK(!"realpath .");
		return;
	}
	err = load("config/tenderlots.conf", &rc, &cfg);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	CHECK_STR(cfg->path, "config/tenderlots.conf");
	snprintf(want, sizeof(want), "%s/var/tenderlots.db", root);
	CHECK_STR(cfg->db_path, want);
	snprintf(want, sizeof(want), "%s/var/mail", root);
	CHECK_STR(cfg->maildir, want);
	snprintf(want, sizeof(want), "%s/config/feeds.conf", root);
	CHECK_STR(cfg->feeds_path, want);
	snprintf(want, sizeof(want), "%s/config/categories.conf", root);
	CHECK_STR(cfg->categories_path, want);
	CHECK_STR(cfg->service_name, "Exempelkommun");
	CHECK(cfg->fetch_timeout == 30);
	CHECK(cfg->max_lots_per_mail == 20);
	CHECK(cfg->nfeeds == 1);
	if (cfg->nfeeds == 1) {
		snprintf(want, sizeof(want), "%s/feeds", root);
		CHECK_STR(cfg->feeds[0].name, "bundled");
		CHECK(cfg->feeds[0].kind == FEED_EFORMS);
		CHECK_STR(cfg->feeds[0].url, want);
		CHECK(cfg->feeds[0].interval == 3600);
	}
	config_free(cfg);
	free(err);
}

static void
test_values(void)
{
	const char *path;
	struct config *cfg;
	char want[PATH_MAX + 64];
	char *err;
	int rc;

	fresh_tmpdir();
	write_feeds();
	path = write_file("t.conf",
		"[database]\npath = /srv/db/x.db\n"
		"[service]\nname = Testkommun\n"
		"public_url = http://localhost:8080/upphandling\n"
		"timezone = UTC\n"
		"[mail]\ntransport = maildir\nmaildir = mail\n"
		"from = A <a@example.org>\nreply_to =\n"
		"max_lots_per_mail = 100\n"
		"[fetch]\ntimeout = 2m\nmax_bytes = 1024\n"
		"[categories]\nfile = /srv/categories.conf\n");
	err = load(path, &rc, &cfg);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	CHECK_STR(cfg->db_path, "/srv/db/x.db");
	CHECK_STR(cfg->service_name, "Testkommun");
	CHECK_STR(cfg->public_url, "http://localhost:8080/upphandling");
	CHECK_STR(cfg->timezone, "UTC");
	snprintf(want, sizeof(want), "%s/mail", tmpdir);
	CHECK_STR(cfg->maildir, want);
	CHECK_STR(cfg->mail_from, "A <a@example.org>");
	CHECK(cfg->reply_to == NULL);
	CHECK(cfg->max_lots_per_mail == 100);
	CHECK(cfg->fetch_timeout == 120);
	CHECK(cfg->fetch_max_bytes == 1024);
	CHECK_STR(cfg->categories_path, "/srv/categories.conf");
	config_free(cfg);
	free(err);
}

static void
test_durations(void)
{
	static const struct {
		const char *text;
		long want;
	} cases[] = {
		{ "45", 45 }, { "45s", 45 }, { "3m", 180 }, { "1h", 3600 },
		{ "1d", 86400 }, { "7d", 604800 }, { "60", 60 },
	};
	char text[256];
	const char *path;
	struct config *cfg;
	size_t i;
	char *err;
	int rc;

	fresh_tmpdir();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].want < 60)
			continue;
		snprintf(text, sizeof(text), "[a]\nkind = eforms\nurl = n\n"
			 "interval = %s\n", cases[i].text);
		write_file("feeds.conf", text);
		path = write_file("t.conf", "[fetch]\n");
		err = load(path, &rc, &cfg);
		CHECK(rc == 0);
		CHECK_STR(err, "");
		CHECK(cfg->nfeeds == 1 && cfg->feeds[0].interval ==
		      cases[i].want);
		config_free(cfg);
		free(err);
	}
	write_feeds();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].want > 3600)
			continue;
		snprintf(text, sizeof(text), "[fetch]\ntimeout = %s\n",
			 cases[i].text);
		path = write_file("t.conf", text);
		err = load(path, &rc, &cfg);
		CHECK(rc == 0);
		CHECK(cfg->fetch_timeout == cases[i].want);
		config_free(cfg);
		free(err);
	}
}

static void
test_unknown_key(void)
{
	fresh_tmpdir();
	check_main_error("[mail]\n\nmaildir = m\nmax_lots = 3\n",
		"tenderlots: error: FILE:4: unknown key 'max_lots' in "
		"section [mail]\n");
}

static void
test_unknown_section(void)
{
	fresh_tmpdir();
	/* the section is reported once, not each of its keys */
	check_main_error("[mail]\n[smtp]\nhost = x\nport = 25\n",
		"tenderlots: error: FILE:2: unknown section [smtp]\n");
}

static void
test_out_of_range(void)
{
	fresh_tmpdir();
	check_main_error("[mail]\nmax_lots_per_mail = 0\n",
		"tenderlots: error: FILE:2: [mail] max_lots_per_mail: 0 is out "
		"of range 1..100\n");
	check_main_error("[fetch]\nmax_bytes = 99999999999999999999999\n",
		"tenderlots: error: FILE:2: [fetch] max_bytes: "
		"99999999999999999999999 is out of range 1024..1073741824\n");
	check_main_error("[mail]\nmax_lots_per_mail = 2x\n",
		"tenderlots: error: FILE:2: [mail] max_lots_per_mail: '2x' is "
		"not an integer\n");
}

/* Local firms are those of real municipality codes, named by the line. */
static void
test_municipalities(void)
{
	fresh_tmpdir();
	check_main_error("[service]\nname = X\nmunicipalities = 1480 1401 "
			 "2999 göteborg\n",
		"tenderlots: error: FILE:3: [service] municipalities: '2999' "
		"is not a municipality code (kommunkod, four digits such as "
		"1480)\n"
		"tenderlots: error: FILE:3: [service] municipalities: "
		"'göteborg' is not a municipality code (kommunkod, four digits "
		"such as 1480)\n");
}

static void
test_bad_enum(void)
{
	fresh_tmpdir();
	check_main_error("[mail]\ntransport = pigeon\n",
		"tenderlots: error: FILE:2: [mail] transport: unknown value "
		"'pigeon', expected one of: maildir, smtp\n");
	check_main_error("[mail]\nstarttls = maybe\n",
		"tenderlots: error: FILE:2: [mail] starttls: unknown value "
		"'maybe', expected one of: required, optional, off\n");
}

static void
test_bad_duration(void)
{
	fresh_tmpdir();
	check_main_error("[fetch]\ntimeout = 5x\n",
		"tenderlots: error: FILE:2: [fetch] timeout: '5x' is not a "
		"duration (seconds, or a number with suffix s, m, h or d)\n");
	check_main_error("[fetch]\ntimeout = 2h\n",
		"tenderlots: error: FILE:2: [fetch] timeout: 2h is out of range "
		"1..3600 seconds\n");
	check_main_error("[fetch]\ntimeout = -5\n",
		"tenderlots: error: FILE:2: [fetch] timeout: '-5' is not a "
		"duration (seconds, or a number with suffix s, m, h or d)\n");
	/* a notice's texts are kept at least a month, at most ten years */
	check_main_error("[health]\nkeep_notices = 7d\n",
		"tenderlots: error: FILE:2: [health] keep_notices: 7d is out of "
		"range 2592000..315360000 seconds\n");
	check_main_error("[health]\nkeep_notices = two years\n",
		"tenderlots: error: FILE:2: [health] keep_notices: 'two years' is "
		"not a duration (seconds, or a number with suffix s, m, h or d)\n");
}

static void
test_bad_url(void)
{
	fresh_tmpdir();
	check_main_error("[service]\npublic_url = ftp://example.org\n",
		"tenderlots: error: FILE:2: [service] public_url: "
		"'ftp://example.org' is not an http:// or https:// URL\n");
	check_main_error("[service]\npublic_url = https://\n",
		"tenderlots: error: FILE:2: [service] public_url: 'https://' is "
		"not an http:// or https:// URL\n");
}

/*
 * Links in mails are public_url and a path: plain http only to this
 * machine or a private network, and nothing a link cannot be built from.
 */
static void
test_public_url(void)
{
	static const char *const good[][2] = {
		{ "http://127.0.0.1:8080", "http://127.0.0.1:8080" },
		{ "http://localhost/", "http://localhost" },
		{ "http://10.1.2.3/upphandling//", "http://10.1.2.3/upphandling" },
		{ "http://172.31.255.1", "http://172.31.255.1" },
		{ "http://192.168.0.10:80/a%20b", "http://192.168.0.10:80/a%20b" },
		{ "http://[::1]:8080", "http://[::1]:8080" },
		{ "http://[fd12:3456::1]", "http://[fd12:3456::1]" },
		{ "https://upphandling.example.se:8443/x", "https://upphandling.example.se:8443/x" },
	};
	static const char *const bad[][2] = {
		{ "http://example.com", "is plain http to a public host: the "
		  "links in mails need https://, and http:// is for a loopback "
		  "or private-network address only (a demo, an intranet)" },
		{ "http://172.32.0.1", "is plain http to a public host" },
		{ "http://[2001:db8::1]", "is plain http to a public host" },
		{ "https://x.se/?a=1", "has a query or a fragment: links are "
		  "made by appending a path to it" },
		{ "https://x.se/#top", "has a query or a fragment" },
		{ "https://user:pw@x.se", "has user information (user@): links "
		  "must not carry credentials" },
		{ "https://x.se:0", "has a port that is not a number from 1 to "
		  "65535" },
		{ "https://x.se:65536", "has a port that is not a number" },
		{ "https://x.se:", "has a port that is not a number" },
		{ "https://:443", "has no host" },
		{ "https://-x.se", "has no valid host name or address" },
		{ "https://x_y.se", "has no valid host name or address" },
		{ "https://[::1", "has no valid host name or address" },
		{ "https://x.se/a%2", "has a '%' that does not start a %XX escape" },
		{ "https://x.se/<a>", "has a character a link cannot carry "
		  "(0x3c): write it %-encoded" },
		{ "https://x.se/\xc3\xa4", "has a character a link cannot carry "
		  "(0xc3)" },
	};
	char text[512], want[1024];
	const char *path;
	struct config *cfg;
	char *err;
	size_t i;
	int rc;

	fresh_tmpdir();
	write_feeds();
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		snprintf(text, sizeof text, "[service]\npublic_url = %s\n",
			 good[i][0]);
		path = write_file("t.conf", text);
		err = load(path, &rc, &cfg);
		CHECK(rc == 0);
		CHECK_STR(err, "");
		CHECK_STR(cfg->public_url, good[i][1]);
		config_free(cfg);
		free(err);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "[service]\npublic_url = %s\n",
			 bad[i][0]);
		path = write_file("t.conf", text);
		err = load(path, &rc, NULL);
		snprintf(want, sizeof want, "tenderlots: error: %s:2: [service] "
			 "public_url: '%s' %s", path, bad[i][0], bad[i][1]);
		CHECK(rc == -1);
		CHECK(err && strncmp(err, want, strlen(want)) == 0);
		if (!err || strncmp(err, want, strlen(want)) != 0)
			fprintf(stderr, "  got %s  want %s\n", err, want);
		free(err);
	}
	/* at most 256 characters, room left for the path and the token */
	memset(want, 'a', 250);
	snprintf(text, sizeof text, "[service]\npublic_url = https://x.se/%.250s\n",
		 want);
	err = load(write_file("t.conf", text), &rc, NULL);
	CHECK(rc == -1 && err && strstr(err, "is longer than 256 characters"));
	free(err);
}

static void
test_quoted(void)
{
	const char *path;
	struct config *cfg;
	char *err;
	int rc;

	fresh_tmpdir();
	write_feeds();
	path = write_file("t.conf",
		"[service]\nname = \"  Kommun #1 \"  \n"
		"timezone = \"a \\\"b\\\" \\\\ c\"\n"
		"[mail]\nfrom = x#y <a@b>\n");
	err = load(path, &rc, &cfg);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	CHECK_STR(cfg->service_name, "  Kommun #1 ");
	CHECK_STR(cfg->timezone, "a \"b\" \\ c");
	CHECK_STR(cfg->mail_from, "x#y <a@b>");
	config_free(cfg);
	free(err);

	check_main_error("[service]\nname = \"abc\n",
		"tenderlots: error: FILE:2: unterminated quoted value\n");
	check_main_error("[service]\nname = \"a\\nb\"\n",
		"tenderlots: error: FILE:2: unknown escape in quoted value "
		"(only \\\" and \\\\)\n");
	check_main_error("[service]\nname = \"a\" b\n",
		"tenderlots: error: FILE:2: unexpected text after quoted "
		"value\n");
	check_main_error("[service]\nname = \"\"\n",
		"tenderlots: error: FILE:2: [service] name: empty value\n");
}

static void
test_comments(void)
{
	const char *path;
	struct config *cfg;
	char *err;
	int rc;

	fresh_tmpdir();
	write_feeds();
	path = write_file("t.conf",
		"# top\r\n; also\r\n\r\n   # indented\r\n[ mail ]\r\n"
		"\t; tab\r\n  max_lots_per_mail=7  \r\n\t\r\n");
	err = load(path, &rc, &cfg);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	CHECK(cfg->max_lots_per_mail == 7);
	config_free(cfg);
	free(err);

	check_main_error("[mail]\nmax_lots_per_mail = 5 # five\n",
		"tenderlots: error: FILE:2: '#' in a value does not start a "
		"comment; quote the value or put the comment on its own "
		"line\n");
	check_main_error("[mail]\nmax_lots_per_mail 5\n",
		"tenderlots: error: FILE:2: expected '[section]', 'key = value' "
		"or a comment\n");
	check_main_error("[mail\n",
		"tenderlots: error: FILE:1: expected ']' at the end of the "
		"section header\n");
	check_main_error("[mail]\nfrom = a\001b\n",
		"tenderlots: error: FILE:2: control character in line\n");
}

static void
test_duplicate_key(void)
{
	fresh_tmpdir();
	check_main_error("[mail]\nmax_lots_per_mail = 5\n\n"
		"max_lots_per_mail = 6\n",
		"tenderlots: error: FILE:4: duplicate key 'max_lots_per_mail' "
		"in section [mail] (first set on line 2)\n");
	check_main_error("[mail]\n[fetch]\n[mail]\nmaildir = x\n",
		"tenderlots: error: FILE:3: duplicate section [mail] (first on "
		"line 1)\n");
}

static void
test_outside_section(void)
{
	fresh_tmpdir();
	check_main_error("# x\nname = a\n[service]\n",
		"tenderlots: error: FILE:2: key 'name' is outside any section\n");
	/* a malformed header must not hand its keys to the section before */
	check_main_error("[mail]\n[]\nmax_lots_per_mail = 0\n",
		"tenderlots: error: FILE:2: empty section name\n");
}

static void
test_long_line(void)
{
	struct buf text;
	const char *path;
	struct config *cfg;
	char *err;
	int rc;

	fresh_tmpdir();
	write_feeds();
	/* exactly 4096 bytes is still fine */
	buf_init(&text, 0);
	buf_adds(&text, "[service]\nname = ");
	while (text.len < 10 + 4096)
		buf_addc(&text, 'x');
	buf_adds(&text, "\n");
	path = write_file("t.conf", buf_str(&text));
	err = load(path, &rc, &cfg);
	CHECK(rc == 0);
	CHECK(cfg->service_name && strlen(cfg->service_name) == 4096 - 7);
	config_free(cfg);
	free(err);

	buf_reset(&text);
	buf_adds(&text, "[service]\nname = ");
	while (text.len < 10 + 4097)
		buf_addc(&text, 'x');
	buf_adds(&text, "\n[mail]\nmax_lots_per_mail = 0\n");
	/* the line is skipped and the rest of the file is still checked */
	check_main_error(buf_str(&text),
		"tenderlots: error: FILE:2: line is longer than 4096 bytes\n"
		"tenderlots: error: FILE:4: [mail] max_lots_per_mail: 0 is out "
		"of range 1..100\n");
	buf_release(&text);
}

static void
test_all_errors(void)
{
	char want[8192];
	const char *path;
	struct config *cfg, *orig;
	char *err;
	int rc;

	fresh_tmpdir();
	write_feeds();
	path = write_file("t.conf",
		"[mail]\nmax_lots_per_mail = 500\nbogus = 1\n"
		"[fetch]\ntimeout = 0\nmax_bytes = 2048\n");
	snprintf(want, sizeof(want),
		 "tenderlots: error: %s:2: [mail] max_lots_per_mail: 500 is "
		 "out of range 1..100\n"
		 "tenderlots: error: %s:3: unknown key 'bogus' in section "
		 "[mail]\n"
		 "tenderlots: error: %s:5: [fetch] timeout: 0 is out of range "
		 "1..3600 seconds\n", path, path, path);
	err = load(path, &rc, &cfg);
	CHECK(rc == -1);
	CHECK_STR(err, want);
	/* a failed load leaves the config as it was */
	orig = config_new();
	CHECK(cfg->fetch_max_bytes == orig->fetch_max_bytes);
	CHECK_STR(cfg->db_path, orig->db_path);
	CHECK(cfg->path == NULL && cfg->nfeeds == 0);
	config_free(orig);
	config_free(cfg);
	free(err);
}

static void
test_missing_file(void)
{
	char *err, *want;
	int rc;

	fresh_tmpdir();
	want = expand("tenderlots: error: FILE: No such file or directory\n",
		      tmp_path("nope.conf"));
	err = load(tmp_path("nope.conf"), &rc, NULL);
	CHECK(rc == -1);
	CHECK_STR(err, want);
	free(err);
	free(want);

	/* the feeds file is required too */
	write_file("t.conf", "[feeds]\nfile = other.conf\n");
	want = expand("tenderlots: error: FILE: No such file or directory\n",
		      tmp_path("other.conf"));
	err = load(tmp_path("t.conf"), &rc, NULL);
	CHECK(rc == -1);
	CHECK_STR(err, want);
	free(err);
	free(want);
}

static void
test_big_file(void)
{
	struct buf text;
	char *err, *want;
	int rc;

	fresh_tmpdir();
	buf_init(&text, 0);
	buf_adds(&text, "[mail]\n");
	while (text.len <= 1024 * 1024)
		buf_adds(&text, "# padding padding padding padding\n");
	write_file("t.conf", buf_str(&text));
	buf_release(&text);
	want = expand("tenderlots: error: FILE: larger than 1048576 bytes\n",
		      tmp_path("t.conf"));
	err = load(tmp_path("t.conf"), &rc, NULL);
	CHECK(rc == -1);
	CHECK_STR(err, want);
	free(err);
	free(want);
}

static void
test_feeds_errors(void)
{
	fresh_tmpdir();
	check_feeds_error("[a]\nkind = eforms\n\n[b]\nurl = x\n",
		"tenderlots: error: FILE:1: [a] missing key 'url'\n"
		"tenderlots: error: FILE:4: [b] missing key 'kind'\n");
	check_feeds_error("[a.b]\nkind = eforms\nurl = x\n",
		"tenderlots: error: FILE:1: invalid feed name [a.b] (letters, "
		"digits, '-' and '_', at most 64)\n");
	check_feeds_error("[a]\nkind = eforms\nurl = x\n[a]\nkind = eforms\n",
		"tenderlots: error: FILE:4: duplicate feed [a]\n");
	check_feeds_error("[a]\nkind = sitemap\nurl = x\n",
		"tenderlots: error: FILE:2: [a] kind: unknown value 'sitemap', "
		"expected one of: eforms, ted, rss, atom, rates\n");
	check_feeds_error("[a]\nkind = ted\nurl = x\nquery = buyer-country=SWE\n",
		"tenderlots: error: FILE:1: [a] url: a ted feed needs the API's "
		"http(s) base URL\n");
	check_feeds_error("[a]\nkind = ted\nurl = https://api.ted.europa.eu\n",
		"tenderlots: error: FILE:1: [a] missing key 'query'\n");
	check_feeds_error("[a]\nkind = ted\nurl = https://api.ted.europa.eu\n"
		"query = x\nnotice_url = https://ted.europa.eu/xml\n",
		"tenderlots: error: FILE:1: [a] notice_url: "
		"'https://ted.europa.eu/xml' must be an http(s) URL with one {id}\n");
	check_feeds_error("[a]\nkind = eforms\nurl = x\nquery = y\n",
		"tenderlots: error: FILE:1: [a] query: only a ted feed has a query\n");
	/* What TED would refuse, or what would defeat polling, named with
	   the line of the query. */
	check_feeds_error("[a]\nkind = ted\nurl = https://api.ted.europa.eu\n"
		"query = buyer-country=SE AND place-of-performance=SE232\n",
		"tenderlots: error: FILE:4: [a] query: buyer-country: 'SE' is a "
		"two-letter country; TED names countries by three letters "
		"(SWE)\n");
	check_feeds_error("[a]\nkind = ted\nurl = https://api.ted.europa.eu\n"
		"query = buyer-country IN (SWE NO)\n",
		"tenderlots: error: FILE:4: [a] query: buyer-country: 'NO' is a "
		"two-letter country; TED names countries by three letters "
		"(NOR)\n");
	check_feeds_error("[a]\nkind = ted\nurl = https://api.ted.europa.eu\n"
		"query = (buyer-country=SWE OR buyer-country=NOR\n",
		"tenderlots: error: FILE:4: [a] query: '(' at column 1 is never "
		"closed\n");
	check_feeds_error("[a]\nkind = ted\nurl = https://api.ted.europa.eu\n"
		"query = buyer-country=SWE)\n",
		"tenderlots: error: FILE:4: [a] query: ')' at column 18 has no "
		"'('\n");
	check_feeds_error("[a]\nkind = ted\nurl = https://api.ted.europa.eu\n"
		"query = notice-title ~ \"städ AND buyer-country=SWE\n",
		"tenderlots: error: FILE:4: [a] query: the quote at column 16 is "
		"never closed\n");
	check_feeds_error("[a]\nkind = ted\nurl = https://api.ted.europa.eu\n"
		"query = \" \"\n",
		"tenderlots: error: FILE:4: [a] query: the query is empty\n");
	check_feeds_error("[a]\nkind = ted\nurl = https://api.ted.europa.eu\n"
		"query = buyer-country=SWE SORT BY publication-date\n",
		"tenderlots: error: FILE:4: [a] query: has a SORT BY of its own: "
		"the feed sorts by publication number, newest first, to poll "
		"from where it was\n");
	/* A later feed is checked even when an earlier one lacks a key. */
	check_feeds_error("[a]\nkind = eforms\n[b]\nkind = rss\nurl = x\nquery = y\n",
		"tenderlots: error: FILE:1: [a] missing key 'url'\n"
		"tenderlots: error: FILE:3: [b] query: only a ted feed has a query\n");
	check_feeds_error("[a]\nkind = eforms\nurl = x\ninterval = 59\n",
		"tenderlots: error: FILE:4: [a] interval: 59 is out of range "
		"60..604800 seconds\n");
	check_feeds_error("[a]\nkind = eforms\nurl = ftp://h/x\n",
		"tenderlots: error: FILE:3: [a] url: unsupported URL "
		"'ftp://h/x'; use a path, file://, http:// or https://\n");
	check_feeds_error("[a]\nkind = eforms\nurl = file://host/x\n",
		"tenderlots: error: FILE:3: [a] url: 'file://host/x' is not a "
		"file:///absolute/path URL\n");
	check_feeds_error("[a]\nkind = eforms\nurl = x\nretries = 3\n",
		"tenderlots: error: FILE:4: unknown key 'retries' in section "
		"[a]\n");
}

static void
test_feeds_name_length(void)
{
	char name[80], text[256];
	const char *path;
	struct config *cfg;
	char *err;
	int rc;

	fresh_tmpdir();
	memset(name, 'n', 64);
	name[64] = '\0';
	snprintf(text, sizeof(text), "[%s]\nkind = eforms\nurl = x\n", name);
	write_file("feeds.conf", text);
	path = write_file("t.conf", "[feeds]\n");
	err = load(path, &rc, &cfg);
	CHECK(rc == 0);
	CHECK(cfg->nfeeds == 1 && strcmp(cfg->feeds[0].name, name) == 0);
	config_free(cfg);
	free(err);

	strcat(name, "n");
	snprintf(text, sizeof(text), "[%s]\nkind = eforms\nurl = x\n", name);
	write_file("feeds.conf", text);
	err = load(path, &rc, NULL);
	CHECK(rc == -1);
	CHECK(strstr(err, "invalid feed name") != NULL);
	free(err);
}

static void
test_feeds_urls(void)
{
	char want[PATH_MAX + 64];
	const char *path;
	struct config *cfg;
	char *err;
	int rc;

	fresh_tmpdir();
	write_file("feeds/feeds.conf",
		"[rel]\nkind = eforms\nurl = ../notices/./in\n"
		"[abs]\nkind = eforms\nurl = /srv/x/../notices/\n"
		"[file]\nkind = eforms\nurl = file:///srv/my%20notices\n"
		"[web]\nkind = eforms\nurl = https://example.org/feed?a=1\n"
		"interval = 10m\n");
	path = write_file("t.conf", "[feeds]\nfile = feeds/feeds.conf\n");
	err = load(path, &rc, &cfg);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	CHECK(cfg->nfeeds == 4);
	if (cfg->nfeeds == 4) {
		snprintf(want, sizeof(want), "%s/notices/in", tmpdir);
		CHECK_STR(cfg->feeds[0].url, want);
		CHECK(cfg->feeds[0].interval == 3600);
		CHECK_STR(cfg->feeds[1].url, "/srv/notices");
		CHECK_STR(cfg->feeds[2].url, "/srv/my notices");
		CHECK_STR(cfg->feeds[3].name, "web");
		CHECK_STR(cfg->feeds[3].url, "https://example.org/feed?a=1");
		CHECK(cfg->feeds[3].interval == 600);
	}
	config_free(cfg);
	free(err);
}

static void
test_zero_feeds(void)
{
	const char *path;
	struct config *cfg;
	char *err, *want;
	int rc;

	fresh_tmpdir();
	write_file("feeds.conf", "# nothing yet\n");
	path = write_file("t.conf", "[feeds]\n");
	err = load(path, &rc, &cfg);
	CHECK(rc == 0);
	want = expand("tenderlots: warning: FILE: no feeds configured\n",
		      tmp_path("feeds.conf"));
	CHECK_STR(err, want);
	free(want);
	CHECK(cfg->nfeeds == 0);
	config_free(cfg);
	free(err);
}

static void
test_relative_paths(void)
{
	char want[PATH_MAX + 64], cwd[PATH_MAX];
	struct config *cfg;
	char *err;
	int rc;

	fresh_tmpdir();
	write_file("etc/feeds.conf", "[a]\nkind = eforms\nurl = in\n");
	write_file("etc/t.conf", "[database]\npath = ../db//./x.db\n");
	/* load through a relative path from another working directory */
	if (!getcwd(cwd, sizeof(cwd)) || chdir(tmpdir) != 0) {
		CHECK(!"chdir");
		return;
	}
	err = load("etc/t.conf", &rc, &cfg);
	if (chdir(cwd) != 0)
		CHECK(!"chdir back");
	CHECK(rc == 0);
	CHECK_STR(err, "");
	snprintf(want, sizeof(want), "%s/db/x.db", tmpdir);
	CHECK_STR(cfg->db_path, want);
	/* defaults resolve against the main file's directory too */
	snprintf(want, sizeof(want), "%s/var/mail", tmpdir);
	CHECK_STR(cfg->maildir, want);
	snprintf(want, sizeof(want), "%s/etc/feeds.conf", tmpdir);
	CHECK_STR(cfg->feeds_path, want);
	snprintf(want, sizeof(want), "%s/etc/categories.conf", tmpdir);
	CHECK_STR(cfg->categories_path, want);
	snprintf(want, sizeof(want), "%s/etc/in", tmpdir);
	CHECK(cfg->nfeeds == 1 && strcmp(cfg->feeds[0].url, want) == 0);
	config_free(cfg);
	free(err);
}

static void
test_print_keys(void)
{
	struct capture c;
	char *out;

	capture_start(&c, 1);
	config_print_keys();
	out = capture_end(&c);
	CHECK(strncmp(out, "SECTION", 7) == 0);
	CHECK(strstr(out, "max_lots_per_mail") != NULL);
	CHECK(strstr(out, "1..100") != NULL);
	CHECK(strstr(out, "\"Europe/Stockholm\"") != NULL);
	CHECK(strstr(out, "60..604800 s") != NULL);
	CHECK(strstr(out, "(required)") != NULL);
	free(out);
}

int
main(void)
{
	RUN(test_defaults);
	RUN(test_bundled);
	RUN(test_values);
	RUN(test_durations);
	RUN(test_unknown_key);
	RUN(test_municipalities);
	RUN(test_unknown_section);
	RUN(test_out_of_range);
	RUN(test_bad_enum);
	RUN(test_bad_duration);
	RUN(test_bad_url);
	RUN(test_public_url);
	RUN(test_quoted);
	RUN(test_comments);
	RUN(test_duplicate_key);
	RUN(test_outside_section);
	RUN(test_long_line);
	RUN(test_all_errors);
	RUN(test_missing_file);
	RUN(test_big_file);
	RUN(test_feeds_errors);
	RUN(test_feeds_name_length);
	RUN(test_feeds_urls);
	RUN(test_zero_feeds);
	RUN(test_relative_paths);
	RUN(test_print_keys);
	rm_rf(tmpdir);
	return test_done("config");
}
