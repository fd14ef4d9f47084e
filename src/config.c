#include <arpa/inet.h>
#include <netinet/in.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "firm.h"
#include "ini.h"
#include "log.h"
#include "netaddr.h"
#include "ted.h"

#define FEED_NAME_MAX		64
/* Leaves room in a link's buffer for the purpose and the signed token. */
#define PUBLIC_URL_MAX		256
#define HOST_MAX		253	/* RFC 1035 2.3.4, without the root dot */
#define LABEL_MAX		63
/* Far more than any municipality polls; bounds the feeds array. */
#define FEEDS_MAX		1000

/* Enum fields are written through an int pointer by the generic setter. */
_Static_assert(sizeof(enum mail_transport) == sizeof(int),
	       "enum mail_transport must be int-sized");
_Static_assert(sizeof(enum feed_kind) == sizeof(int),
	       "enum feed_kind must be int-sized");
_Static_assert(sizeof(enum feed_entries) == sizeof(int) &&
	       sizeof(enum feed_language) == sizeof(int),
	       "enum feed_entries and feed_language must be int-sized");

static const char *const transports[] = { "maildir", "smtp", NULL };
static const char *const starttls_modes[] = { "required", "optional", "off", NULL };
static const char *const feed_kinds[] = { "eforms", "ted", "rss", "atom", "rates",
					       NULL };
static const char *const feed_entries[] = { "tender", "planned", "rfi", NULL };
static const char *const feed_languages[] = { "sv", "en", NULL };

#define CFG(field) offsetof(struct config, field)
#define FEED(field) offsetof(struct feed_config, field)

static const struct ini_key config_keys[] = {
	{ "database", "path", INI_PATH, "../var/tenderlots.db", false, 0, 0,
	  NULL, CFG(db_path), "SQLite database file" },
	{ "service", "name", INI_STRING, "Exempelkommun", false, 0, 0,
	  NULL, CFG(service_name), "organisation name shown in mails" },
	{ "service", "public_url", INI_URL,
	  "https://upphandling.exempelkommun.se", false, 0, 0,
	  NULL, CFG(public_url), "base URL of the public pages" },
	{ "service", "timezone", INI_STRING, "Europe/Stockholm", false, 0, 0,
	  NULL, CFG(timezone), "time zone for times shown to people" },
	{ "service", "secret_file", INI_PATH, "../var/secret", false, 0, 0,
	  NULL, CFG(secret_file),
	  "key that signs the links in mails; created, mode 0600" },
	{ "service", "own_buyers", INI_LIST, "", true, 0, 0,
	  NULL, CFG(own_buyers),
	  "the municipality's organisation numbers, for split advice" },
	{ "service", "municipalities", INI_LIST, "", true, 0, 0,
	  NULL, CFG(municipalities),
	  "municipality codes (kommunkod) whose firms the report counts as "
	  "local" },
	{ "mail", "transport", INI_ENUM, "maildir", false, 0, 0,
	  transports, CFG(transport), "how mails leave the daemon" },
	{ "mail", "maildir", INI_PATH, "../var/mail", false, 0, 0,
	  NULL, CFG(maildir), "Maildir that receives outgoing mails" },
	{ "mail", "from", INI_STRING,
	  "Exempelkommun upphandlingsbevakning <bevakning@exempelkommun.se>",
	  false, 0, 0, NULL, CFG(mail_from), "From: header, \"Name <addr>\"" },
	{ "mail", "reply_to", INI_STRING,
	  "Upphandlingsenheten <upphandling@exempelkommun.se>", true, 0, 0,
	  NULL, CFG(reply_to), "Reply-To: header; empty for none" },
	{ "mail", "max_lots_per_mail", INI_INT, "20", false, 1, 100,
	  NULL, CFG(max_lots_per_mail), "most lots listed in one mail" },
	{ "mail", "list_id", INI_STRING,
	  "Exempelkommun upphandlingsbevakning <bevakning.exempelkommun.se>",
	  false, 0, 0, NULL, CFG(list_id), "List-Id: header, \"Name <id>\"" },
	{ "mail", "templates", INI_PATH, "../templates", false, 0, 0,
	  NULL, CFG(templates_dir),
	  "directory with sv/ and en/ mail templates" },
	{ "mail", "reminder_days", INI_LIST, "5 1", true, 0, 0,
	  NULL, CFG(reminder_words),
	  "days before a deadline to remind firms; empty for none" },
	{ "mail", "smtp_host", INI_STRING, "localhost", false, 0, 0,
	  NULL, CFG(smtp_host), "SMTP relay for transport = smtp" },
	{ "mail", "smtp_port", INI_INT, "25", false, 1, 65535,
	  NULL, CFG(smtp_port), "its port" },
	{ "mail", "starttls", INI_ENUM, "optional", false, 0, 0,
	  starttls_modes, CFG(starttls), "TLS to the relay" },
	{ "mail", "smtp_auth_file", INI_PATH, "", true, 0, 0,
	  NULL, CFG(smtp_auth_file),
	  "file with \"user password\", mode 0600; empty: no AUTH" },
	{ "mail", "give_up_after", INI_DURATION, "432000", false, 3600, 2592000,
	  NULL, CFG(give_up_after),
	  "a mail the relay keeps deferring fails for good after this long" },
	{ "mail", "smtp_timeout", INI_DURATION, "60", false, 1, 3600,
	  NULL, CFG(smtp_timeout), "give up on an SMTP reply after this long" },
	{ "mail", "bounce_address", INI_STRING, "", true, 0, 0,
	  NULL, CFG(bounce_address),
	  "envelope sender; mails go from ADDR's local part+tag (VERP); "
	  "empty: [mail] from's address" },
	{ "mail", "inbox", INI_PATH, "", true, 0, 0,
	  NULL, CFG(inbox),
	  "Maildir of bounces and unsubscribe mails, read each pass; "
	  "empty: none" },
	{ "fetch", "timeout", INI_DURATION, "30", false, 1, 3600,
	  NULL, CFG(fetch_timeout), "give up on a download after this long" },
	{ "fetch", "connect_timeout", INI_DURATION, "10", false, 1, 600,
	  NULL, CFG(fetch_connect_timeout), "give up connecting after this long" },
	{ "fetch", "max_bytes", INI_INT, "16777216", false, 1024, 1073741824,
	  NULL, CFG(fetch_max_bytes), "largest notice document accepted" },
	{ "fetch", "max_backoff", INI_DURATION, "21600", false, 60, 604800,
	  NULL, CFG(fetch_max_backoff),
	  "longest wait before polling a failing feed again" },
	{ "health", "command", INI_PATH, "", true, 0, 0,
	  NULL, CFG(operator_command),
	  "program run with open|closed, the incident and what is wrong: it "
	  "reaches the operator when the relay is what broke" },
	{ "health", "operator", INI_STRING, "", true, 0, 0,
	  NULL, CFG(operator),
	  "\"Name <addr>\" told when a feed or the outbox fails; empty: no one" },
	{ "health", "feed_silence", INI_DURATION, "172800", false, 3600, 2592000,
	  NULL, CFG(feed_silence),
	  "a feed without a success this long is an incident" },
	{ "health", "keep_sent", INI_DURATION, "7776000", false, 86400, 315360000,
	  NULL, CFG(keep_sent),
	  "the text of sent (or failed) mails is dropped after this long" },
	{ "health", "keep_notices", INI_DURATION, "63072000", false, 2592000,
	  315360000, NULL, CFG(keep_notices),
	  "a notice's texts are dropped this long after its procedure's last "
	  "date (publication, deadline); its facts stay for the report" },
	{ "web", "listen", INI_STRING, "127.0.0.1", false, 0, 0,
	  NULL, CFG(web_listen),
	  "IPv4 or IPv6 address of the web endpoint (:: for every address); "
	  "put a TLS proxy in front" },
	{ "web", "port", INI_INT, "8080", false, 0, 65535,
	  NULL, CFG(web_port), "its port; 0 picks a free one, printed at start" },
	{ "web", "subscribe_per_hour", INI_INT, "20", false, 1, 1000,
	  NULL, CFG(web_subscribe_per_hour),
	  "valid subscriptions one client address may send in an hour" },
	{ "web", "mails_per_recipient", INI_INT, "3", false, 1, 100,
	  NULL, CFG(web_mails_per_recipient),
	  "confirmation and manage mails one e-mail address gets in a day" },
	{ "web", "threads", INI_INT, "8", false, 1, 64,
	  NULL, CFG(web_threads), "threads that serve requests" },
	{ "web", "trusted_proxies", INI_LIST, "", true, 0, 0,
	  NULL, CFG(web_trusted_proxies),
	  "addresses or prefixes (10.0.0.0/8, ::1/128) of the reverse proxies "
	  "whose X-Real-IP and X-Forwarded-For name the client; empty: none" },
	{ "staff", "listen", INI_STRING, "127.0.0.1", false, 0, 0,
	  NULL, CFG(staff_listen),
	  "IPv4 or IPv6 address of the staff's pages, a listener apart from "
	  "[web]'s; keep it on loopback or an internal network" },
	{ "staff", "port", INI_INT, "8081", false, 0, 65535,
	  NULL, CFG(staff_port), "its port; 0 picks a free one, printed at start" },
	{ "staff", "public_url", INI_URL, "", true, 0, 0,
	  NULL, CFG(staff_public_url),
	  "base URL of the staff's pages, for the links `staff add` prints; "
	  "https makes the session cookie Secure; empty: http://listen:port" },
	{ "staff", "user_header", INI_STRING, "", true, 0, 0,
	  NULL, CFG(staff_user_header),
	  "header naming the signed-in user, set by an authenticating proxy "
	  "(single sign-on); believed only from trusted_proxies; empty: none" },
	{ "staff", "trusted_proxies", INI_LIST, "", true, 0, 0,
	  NULL, CFG(staff_trusted_proxies),
	  "addresses or prefixes of the proxies in front of the staff's pages: "
	  "their X-Forwarded-For and user_header are believed; empty: none" },
	{ "staff", "idle_timeout", INI_DURATION, "1800", false, 60, 86400,
	  NULL, CFG(staff_idle_timeout),
	  "a session unused this long ends" },
	{ "staff", "session_timeout", INI_DURATION, "36000", false, 300, 604800,
	  NULL, CFG(staff_session_timeout),
	  "a session ends this long after its login, used or not" },
	{ "feeds", "file", INI_PATH, "feeds.conf", false, 0, 0,
	  NULL, CFG(feeds_path), "file with one section per feed" },
	{ "categories", "file", INI_PATH, "categories.conf", false, 0, 0,
	  NULL, CFG(categories_path),
	  "file with one section per lot category" },
	{ "match", "size_share", INI_INT, "50", false, 1, 100,
	  NULL, CFG(size_share),
	  "% of a firm's turnover it can take on per contract year" },
	{ "match", "max_per_day", INI_INT, "10", false, 1, 1000,
	  NULL, CFG(max_per_day), "most matches mailed to one firm a day" },
	{ "match", "digest_hour", INI_INT, "7", false, 0, 23,
	  NULL, CFG(digest_hour), "local hour of daily and weekly digests" },
};

static const struct ini_key feed_keys[] = {
	{ NULL, "kind", INI_ENUM, NULL, false, 0, 0,
	  feed_kinds, FEED(kind), "format of the feed's documents" },
	{ NULL, "url", INI_LOCATION, NULL, false, 0, 0,
	  NULL, FEED(url), "directory or file path, file:// or http(s):// URL" },
	{ NULL, "interval", INI_DURATION, "3600", false, 60, 604800,
	  NULL, FEED(interval), "time between polls" },
	{ NULL, "query", INI_STRING, "", true, 0, 0,
	  NULL, FEED(query), "ted: expert search query (required for ted)" },
	{ NULL, "page_size", INI_INT, "100", false, 1, 250,
	  NULL, FEED(page_size), "ted: notices per search page" },
	{ NULL, "max_pages", INI_INT, "20", false, 1, 1000,
	  NULL, FEED(max_pages), "ted: search pages read per poll" },
	{ NULL, "notice_url", INI_STRING,
	  "https://ted.europa.eu/en/notice/{id}/xml", false, 0, 0,
	  NULL, FEED(notice_url),
	  "ted: a notice's XML, {id} = publication number" },
	{ NULL, "first_days", INI_INT, "28", false, 1, 366,
	  NULL, FEED(first_days),
	  "ted: days of notices the first poll reads, never the archive" },
	{ NULL, "rate", INI_INT, "2", false, 1, 100,
	  NULL, FEED(rate), "ted: most requests a second to TED" },
	{ NULL, "entries", INI_ENUM, "tender", false, 0, 0,
	  feed_entries, FEED(entries),
	  "rss, atom: what an entry linking no XML is" },
	{ NULL, "region", INI_LIST, "", true, 0, 0,
	  NULL, FEED(region),
	  "rss, atom: NUTS or municipality codes where its procurements are "
	  "performed; empty: not known" },
	{ NULL, "buyer", INI_STRING, "", true, 0, 0,
	  NULL, FEED(buyer), "rss, atom: the buyer of a buyer's own listing" },
	{ NULL, "language", INI_ENUM, "sv", false, 0, 0,
	  feed_languages, FEED(language), "rss, atom: the entries' language" },
};

#define NKEYS (sizeof(config_keys) / sizeof(config_keys[0]))
#define NFEEDKEYS (sizeof(feed_keys) / sizeof(feed_keys[0]))

/* Whole days, each once, kept largest first as reminders go out. */
static int
check_reminder_days(struct config *cfg, const char *path, size_t line)
{
	char **w;
	char *end;
	long d;
	size_t i, j;

	cfg->nreminder_days = 0;
	for (w = cfg->reminder_words; w && *w; w++) {
		errno = 0;
		d = strtol(*w, &end, 10);
		if (errno || *end || end == *w || d < 1 || d > 60)
			return error("%s:%zu: [mail] reminder_days: '%s' is not a "
				     "number of days from 1 to 60", path, line, *w);
		if (cfg->nreminder_days == REMINDERS_MAX)
			return error("%s:%zu: [mail] reminder_days: at most %d "
				     "reminders", path, line, REMINDERS_MAX);
		for (i = 0; i < cfg->nreminder_days && cfg->reminder_days[i] > d; i++)
			;
		if (i < cfg->nreminder_days && cfg->reminder_days[i] == d)
			return error("%s:%zu: [mail] reminder_days: %ld twice",
				     path, line, d);
		for (j = cfg->nreminder_days++; j > i; j--)
			cfg->reminder_days[j] = cfg->reminder_days[j - 1];
		cfg->reminder_days[i] = d;
	}
	return 0;
}

/* A program the daemon will run: checked now, not at the first incident. */
static int
check_command(const struct config *cfg, const char *path, size_t line)
{
	if (cfg->operator_command && access(cfg->operator_command, X_OK) < 0)
		return error("%s:%zu: [health] command: %s: %s", path, line,
			     cfg->operator_command, strerror(errno));
	return 0;
}

/* Checked now: the web endpoint would only fail when it starts. */
static int
check_listen(const char *address, const char *section, const char *path,
	     size_t line)
{
	struct netaddr a;

	if (netaddr_parse(address, &a) < 0)
		return error("%s:%zu: [%s] listen: '%s' is not an IPv4 or IPv6 "
			     "address", path, line, section, address);
	return 0;
}

static int
check_trusted_proxies(char *const *list, const char *section,
		      const char *path, size_t line)
{
	struct netprefix p;
	char *const *w;
	int rc = 0;

	for (w = list; w && *w; w++)
		if (netprefix_parse(*w, &p) < 0)
			rc = error("%s:%zu: [%s] trusted_proxies: '%s' is not an "
				   "IPv4 or IPv6 address or prefix", path, line,
				   section, *w);
	return rc;
}

/*
 * A header's name (RFC 9110 5.1); and not one the client's address is
 * read from, which a proxy passes on from the client.
 */
static int
check_user_header(const struct config *cfg, const char *path, size_t line)
{
	static const char tchar[] = "!#$%&'*+-.^_`|~0123456789"
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	const char *h = cfg->staff_user_header;

	if (!h)
		return 0;
	if (strspn(h, tchar) != strlen(h))
		return error("%s:%zu: [staff] user_header: '%s' is not a header "
			     "name", path, line, h);
	if (strcasecmp(h, "X-Forwarded-For") == 0 ||
	    strcasecmp(h, "X-Real-IP") == 0 || strcasecmp(h, "Cookie") == 0)
		return error("%s:%zu: [staff] user_header: '%s' says something "
			     "else", path, line, h);
	return 0;
}

static int
check_staff_timeouts(const struct config *cfg, const char *path, size_t line)
{
	if (cfg->staff_idle_timeout > cfg->staff_session_timeout)
		return error("%s:%zu: [staff] session_timeout: %ld s is shorter "
			     "than idle_timeout, %ld s", path, line,
			     cfg->staff_session_timeout, cfg->staff_idle_timeout);
	return 0;
}

/*
 * The address a URL's host of n bytes writes, IPv4 or bracketed IPv6,
 * into a: its family, or 0 for a host name.
 */
static int
host_address(const char *host, size_t n, unsigned char a[16])
{
	size_t v6 = n > 2 && host[0] == '[' && host[n - 1] == ']';
	char text[64];

	if (n - 2 * v6 >= sizeof text)
		return 0;
	memcpy(text, host + v6, n - 2 * v6);
	text[n - 2 * v6] = '\0';
	if (inet_pton(v6 ? AF_INET6 : AF_INET, text, a) != 1)
		return 0;
	return v6 ? AF_INET6 : AF_INET;
}

/*
 * This machine or a private network (RFC 1918, RFC 4193): the only hosts
 * a plain-http public_url may name, since its links, tokens and all,
 * would otherwise cross the internet in clear.
 */
static bool
is_private_host(const char *host, size_t n)
{
	unsigned char a[16];

	if (n == 9 && strncasecmp(host, "localhost", 9) == 0)
		return true;
	switch (host_address(host, n, a)) {
	case AF_INET:
		return a[0] == 127 || a[0] == 10 ||
		       (a[0] == 172 && (a[1] & 0xf0) == 16) ||
		       (a[0] == 192 && a[1] == 168);
	case AF_INET6:
		return (a[0] & 0xfe) == 0xfc ||
		       memcmp(a, &in6addr_loopback, sizeof a) == 0;
	default:
		return false;
	}
}

/* A host name's labels, an IPv4 address or a bracketed IPv6 address. */
static bool
valid_host(const char *host, size_t n)
{
	unsigned char a[16];
	size_t i, label = 0;

	if (n > 0 && host[0] == '[')
		return host_address(host, n, a) == AF_INET6;
	if (n == 0 || n > HOST_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = host[i];

		if (c == '.') {
			if (label == 0 || host[i - 1] == '-')
				return false;
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || (c == '-' && label > 0)) {
			if (++label > LABEL_MAX)
				return false;
		} else {
			return false;
		}
	}
	return label > 0 && host[n - 1] != '-';
}

/* ":N" up to end, N from 1 to 65535. */
static bool
valid_port(const char *p, const char *end)
{
	long port = 0;

	if (*p++ != ':' || p == end)
		return false;
	for (; p < end; p++) {
		if (!isdigit((unsigned char)*p))
			return false;
		port = port * 10 + (*p - '0');
		if (port > 65535)
			return false;
	}
	return port >= 1;
}

/*
 * Why links cannot be built from url as "<url>/<purpose>/<token>", into
 * why; NULL if they can. The scheme has been checked by the ini reader.
 */
static const char *
public_url_problem(const char *url, char *why, size_t len)
{
	bool https = strncmp(url, "https://", 8) == 0;
	const char *auth = url + (https ? 8 : 7), *end, *host_end, *p;

	if (strlen(url) > PUBLIC_URL_MAX) {
		snprintf(why, len, "is longer than %d characters", PUBLIC_URL_MAX);
		return why;
	}
	for (p = url; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= ' ' || c >= 0x7f || strchr("\"<>\\^`{|}", c)) {
			snprintf(why, len, "has a character a link cannot carry "
				 "(0x%02x): write it %%-encoded", c);
			return why;
		}
		if (c == '?' || c == '#')
			return "has a query or a fragment: links are made by "
			       "appending a path to it";
		if (c == '%' && !(isxdigit((unsigned char)p[1]) &&
				  isxdigit((unsigned char)p[2])))
			return "has a '%' that does not start a %XX escape";
	}
	end = auth + strcspn(auth, "/");
	if (memchr(auth, '@', (size_t)(end - auth)))
		return "has user information (user@): links must not carry "
		       "credentials";
	if (auth[0] == '[')
		host_end = memchr(auth, ']', (size_t)(end - auth));
	else
		host_end = memchr(auth, ':', (size_t)(end - auth));
	host_end = host_end ? host_end + (auth[0] == '[') : end;
	if (host_end == auth)
		return "has no host";
	if (!valid_host(auth, (size_t)(host_end - auth)))
		return "has no valid host name or address";
	if (host_end < end && !valid_port(host_end, end))
		return "has a port that is not a number from 1 to 65535";
	if (!https && !is_private_host(auth, (size_t)(host_end - auth)))
		return "is plain http to a public host: the links in mails "
		       "need https://, and http:// is for a loopback or "
		       "private-network address only (a demo, an intranet)";
	return NULL;
}

/*
 * The one check of [service] public_url (and [staff]'s), for the daemon
 * and `config check` alike: mails are built with it, so what it cannot
 * build a link from is refused here rather than failing every mail. A
 * trailing '/' is dropped, as links append "/<purpose>".
 */
static int
check_public_url(char *url, const char *section, const char *path,
		 size_t line)
{
	char why[128];
	const char *problem;
	size_t n;

	if (!url)
		return 0;
	if ((problem = public_url_problem(url, why, sizeof why)))
		return error("%s:%zu: [%s] public_url: '%s' %s", path, line,
			     section, url, problem);
	/* a host comes before any '/' of the path */
	for (n = strlen(url); url[n - 1] == '/'; )
		url[--n] = '\0';
	return 0;
}

struct config *
config_new(void)
{
	struct config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return NULL;
	if (ini_defaults(config_keys, NKEYS, cfg, NULL) < 0 ||
	    check_reminder_days(cfg, "(defaults)", 0) < 0) {
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

static void
free_feeds(struct feed_config *feeds, size_t nfeeds)
{
	size_t i;

	for (i = 0; i < nfeeds; i++) {
		free(feeds[i].name);
		ini_free_fields(feed_keys, NFEEDKEYS, &feeds[i]);
	}
	free(feeds);
}

void
config_free(struct config *cfg)
{
	if (!cfg)
		return;
	free(cfg->path);
	ini_free_fields(config_keys, NKEYS, cfg);
	free_feeds(cfg->feeds, cfg->nfeeds);
	free(cfg);
}

/* The directory of path with symlinks resolved, for relative values. */
static int
file_dir(const char *path, char **out)
{
	char *real = realpath(path, NULL), *slash;

	if (!real)
		return error("%s: %s", path, strerror(errno));
	slash = strrchr(real, '/');
	if (slash == real)
		slash[1] = '\0';
	else
		*slash = '\0';
	*out = real;
	return 0;
}

struct main_ctx {
	struct ini_table table;
	struct config *cfg;
	const char *section;
	struct ini_seen seen[NKEYS];
	size_t section_line[NKEYS];	/* by first key of the section */
};

static int
main_section(void *vctx, const char *name, size_t line)
{
	struct main_ctx *ctx = vctx;
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(config_keys[i].section, name) == 0)
			break;
	if (i == NKEYS)
		return error("%s:%zu: unknown section [%s]", ctx->table.file,
			     line, name);
	if (ctx->section_line[i])
		return error("%s:%zu: duplicate section [%s] (first on line "
			     "%zu)", ctx->table.file, line, name,
			     ctx->section_line[i]);
	ctx->section_line[i] = line;
	ctx->section = config_keys[i].section;
	return 0;
}

static int
main_key(void *vctx, const char *key, const char *value, size_t line)
{
	struct main_ctx *ctx = vctx;

	return ini_set(&ctx->table, line, ctx->section, key, value, ctx->cfg);
}

struct feeds_ctx {
	struct ini_table table;
	struct config *cfg;
	bool in_feed;			/* the last feed awaits feed_finish() */
	bool incomplete;		/* a feed lacked a required key */
	size_t feed_line;
	struct ini_seen seen[NFEEDKEYS];
};

static bool
valid_feed_name(const char *name)
{
	size_t n = 0;

	for (; name[n]; n++) {
		char c = name[n];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return n > 0 && n <= FEED_NAME_MAX;
}

static bool
is_remote(const char *url)
{
	return strncmp(url, "http://", 7) == 0 ||
	       strncmp(url, "https://", 8) == 0;
}

/* The line a feed's key was set on, or its section's. */
static size_t
seen_line(const struct feeds_ctx *ctx, size_t offset)
{
	size_t i;

	for (i = 0; i < NFEEDKEYS; i++)
		if (feed_keys[i].offset == offset && ctx->seen[i].line)
			return ctx->seen[i].line;
	return ctx->feed_line;
}

/* The first of the link-only keys set in a feed that has none, or NULL. */
static const struct ini_key *
link_key_set(const struct feeds_ctx *ctx, size_t *line)
{
	static const size_t offsets[] = {
		FEED(entries), FEED(region), FEED(buyer), FEED(language)
	};
	size_t i, k;

	for (i = 0; i < sizeof offsets / sizeof offsets[0]; i++)
		for (k = 0; k < NFEEDKEYS; k++)
			if (feed_keys[k].offset == offsets[i] &&
			    ctx->seen[k].line) {
				*line = ctx->seen[k].line;
				return &feed_keys[k];
			}
	return NULL;
}

/*
 * A syndication feed's region, each code as firms give it (a NUTS code,
 * or a municipality code, read as its county), stored as NUTS.
 */
static int
check_feed_region(struct feeds_ctx *ctx, struct feed_config *f)
{
	char nuts[16], *copy;
	char **r;

	for (r = f->region; r && *r; r++) {
		if (region_normalize(*r, nuts, sizeof nuts) < 0)
			return error("%s:%zu: [%s] region: '%s' is not a NUTS "
				     "code (SE232) or a municipality code "
				     "(1480)", ctx->table.file,
				     seen_line(ctx, FEED(region)), f->name, *r);
		if (!(copy = strdup(nuts)))
			return error("out of memory");
		free(*r);
		*r = copy;
	}
	return 0;
}

/* The keys that only make sense together with a kind. */
static int
check_feed_kind(struct feeds_ctx *ctx)
{
	struct feed_config *f = &ctx->cfg->feeds[ctx->cfg->nfeeds - 1];
	const char *file = ctx->table.file, *id;
	const struct ini_key *key;
	size_t line;
	char why[256];

	if (f->kind == FEED_RSS || f->kind == FEED_ATOM) {
		if (check_feed_region(ctx, f) < 0)
			return -1;
	} else if ((key = link_key_set(ctx, &line))) {
		return error("%s:%zu: [%s] %s: only an rss or atom feed has "
			     "link-only entries", file, line, f->name,
			     key->key);
	}
	if (f->kind != FEED_TED) {
		if (f->query)
			return error("%s:%zu: [%s] query: only a ted feed has a "
				     "query", file, ctx->feed_line, f->name);
		return 0;
	}
	if (!is_remote(f->url))
		return error("%s:%zu: [%s] url: a ted feed needs the API's "
			     "http(s) base URL", file, ctx->feed_line, f->name);
	if (!f->query)
		return error("%s:%zu: [%s] missing key 'query'", file,
			     ctx->feed_line, f->name);
	if (ted_query_check(f->query, why, sizeof why) < 0)
		return error("%s:%zu: [%s] query: %s", file,
			     seen_line(ctx, FEED(query)), f->name, why);
	id = strstr(f->notice_url, "{id}");
	if (!is_remote(f->notice_url) || !id || strstr(id + 4, "{id}"))
		return error("%s:%zu: [%s] notice_url: '%s' must be an http(s) "
			     "URL with one {id}", file, ctx->feed_line,
			     f->name, f->notice_url);
	return 0;
}

/*
 * Checks the required keys of the feed being read, once it is complete.
 * This happens at the next section header, which itself may be fine, so
 * the failure is kept in ctx rather than returned for that header.
 */
static void
feed_finish(struct feeds_ctx *ctx)
{
	const char *name;

	if (!ctx->in_feed)
		return;
	name = ctx->cfg->feeds[ctx->cfg->nfeeds - 1].name;
	if (ini_check_required(&ctx->table, ctx->feed_line, name) < 0 ||
	    check_feed_kind(ctx) < 0)
		ctx->incomplete = true;
	ctx->in_feed = false;
}

static int
feed_section(void *vctx, const char *name, size_t line)
{
	struct feeds_ctx *ctx = vctx;
	struct config *cfg = ctx->cfg;
	const char *file = ctx->table.file;
	struct feed_config *feeds, *f;
	size_t i;

	feed_finish(ctx);
	if (!valid_feed_name(name))
		return error("%s:%zu: invalid feed name [%s] (letters, digits, "
			     "'-' and '_', at most %d)", file, line, name,
			     FEED_NAME_MAX);
	for (i = 0; i < cfg->nfeeds; i++)
		if (strcmp(cfg->feeds[i].name, name) == 0)
			return error("%s:%zu: duplicate feed [%s]", file, line,
				     name);
	if (cfg->nfeeds == FEEDS_MAX)
		return error("%s:%zu: more than %d feeds", file, line,
			     FEEDS_MAX);
	feeds = realloc(cfg->feeds, (cfg->nfeeds + 1) * sizeof(*feeds));
	if (!feeds)
		return error("%s:%zu: out of memory", file, line);
	cfg->feeds = feeds;
	f = &feeds[cfg->nfeeds];
	memset(f, 0, sizeof(*f));
	f->name = strdup(name);
	if (!f->name)
		return error("%s:%zu: out of memory", file, line);
	cfg->nfeeds++;
	if (ini_section_start(&ctx->table, f) < 0)
		return -1;
	ctx->in_feed = true;
	ctx->feed_line = line;
	return 0;
}

static int
feed_key(void *vctx, const char *key, const char *value, size_t line)
{
	struct feeds_ctx *ctx = vctx;
	struct feed_config *f = &ctx->cfg->feeds[ctx->cfg->nfeeds - 1];

	return ini_set(&ctx->table, line, f->name, key, value, f);
}

static int
load_feeds(struct config *cfg)
{
	static const struct ini_handler handler = { feed_section, feed_key };
	struct feeds_ctx ctx = { 0 };
	struct buf text;
	char *dir = NULL;
	int rc = -1;

	buf_init(&text, INI_MAX_FILE);
	if (ini_read(cfg->feeds_path, &text) < 0 ||
	    file_dir(cfg->feeds_path, &dir) < 0)
		goto out;
	ctx.table = (struct ini_table){ cfg->feeds_path, dir, feed_keys,
					NFEEDKEYS, ctx.seen };
	ctx.cfg = cfg;
	rc = ini_parse(ctx.table.file, buf_str(&text), text.len, &handler,
		       &ctx);
	feed_finish(&ctx);
	if (ctx.incomplete)
		rc = -1;
	if (rc == 0 && cfg->nfeeds == 0)
		log_warnx("%s: no feeds configured", ctx.table.file);
out:
	free(dir);
	buf_release(&text);
	return rc;
}

/* Organisation numbers are compared as stored: NNNNNN-NNNN. */
static int
check_own_buyers(struct config *cfg, const char *path, size_t line)
{
	char orgnr[12], *copy;
	char **b;
	int rc = 0;

	for (b = cfg->own_buyers; b && *b; b++) {
		if (orgnr_normalize(*b, orgnr) < 0) {
			rc = error("%s:%zu: [service] own_buyers: '%s' is not an "
				   "organisation number", path, line, *b);
			continue;
		}
		if (!(copy = strdup(orgnr)))
			return error("%s: out of memory", path);
		free(*b);
		*b = copy;
	}
	return rc;
}

static int
check_municipalities(struct config *cfg, const char *path, size_t line)
{
	char **m;
	int rc = 0;

	for (m = cfg->municipalities; m && *m; m++)
		if (!municipality_valid(*m))
			rc = error("%s:%zu: [service] municipalities: '%s' is "
				   "not a municipality code (kommunkod, four "
				   "digits such as 1480)", path, line, *m);
	return rc;
}

int
config_load(struct config *cfg, const char *path)
{
	static const struct ini_handler handler = { main_section, main_key };
	struct main_ctx ctx = { 0 };
	struct config *tmp, old;
	struct buf text;
	char *dir = NULL;
	bool feeds_known = true;
	size_t i;
	int rc = -1;

	buf_init(&text, INI_MAX_FILE);
	tmp = config_new();
	if (!tmp || !(tmp->path = strdup(path))) {
		error("%s: out of memory", path);
		goto out;
	}
	if (ini_read(path, &text) < 0 || file_dir(path, &dir) < 0)
		goto out;
	ctx.table = (struct ini_table){ path, dir, config_keys, NKEYS,
					ctx.seen };
	ctx.cfg = tmp;
	rc = ini_parse(path, buf_str(&text), text.len, &handler, &ctx);

	for (i = 0; i < NKEYS; i++) {
		const struct ini_key *k = &config_keys[i];

		if (k->type == INI_PATH && !ctx.seen[i].line &&
		    ini_defaults(k, 1, tmp, dir) < 0)
			rc = -1;
		if (k->offset == CFG(feeds_path) && ctx.seen[i].bad)
			feeds_known = false;
		if (k->offset == CFG(own_buyers) &&
		    check_own_buyers(tmp, path, ctx.seen[i].line) < 0)
			rc = -1;
		if (k->offset == CFG(municipalities) &&
		    check_municipalities(tmp, path, ctx.seen[i].line) < 0)
			rc = -1;
		if (k->offset == CFG(reminder_words) &&
		    check_reminder_days(tmp, path, ctx.seen[i].line) < 0)
			rc = -1;
		if (k->offset == CFG(operator_command) &&
		    check_command(tmp, path, ctx.seen[i].line) < 0)
			rc = -1;
		if (k->offset == CFG(web_listen) &&
		    check_listen(tmp->web_listen, "web", path,
				 ctx.seen[i].line) < 0)
			rc = -1;
		if (k->offset == CFG(web_trusted_proxies) &&
		    check_trusted_proxies(tmp->web_trusted_proxies, "web", path,
					  ctx.seen[i].line) < 0)
			rc = -1;
		if (k->offset == CFG(staff_listen) &&
		    check_listen(tmp->staff_listen, "staff", path,
				 ctx.seen[i].line) < 0)
			rc = -1;
		if (k->offset == CFG(staff_trusted_proxies) &&
		    check_trusted_proxies(tmp->staff_trusted_proxies, "staff",
					  path, ctx.seen[i].line) < 0)
			rc = -1;
		if (k->offset == CFG(staff_user_header) &&
		    check_user_header(tmp, path, ctx.seen[i].line) < 0)
			rc = -1;
		if (k->offset == CFG(staff_session_timeout) &&
		    check_staff_timeouts(tmp, path, ctx.seen[i].line) < 0)
			rc = -1;
		if (k->offset == CFG(public_url) &&
		    check_public_url(tmp->public_url, "service", path,
				     ctx.seen[i].line) < 0)
			rc = -1;
		if (k->offset == CFG(staff_public_url) &&
		    check_public_url(tmp->staff_public_url, "staff", path,
				     ctx.seen[i].line) < 0)
			rc = -1;
	}
	/* The feeds file is checked too, so one run shows every mistake. */
	if (feeds_known && load_feeds(tmp) < 0)
		rc = -1;
	if (rc < 0)
		goto out;

	/* Swapped only on success, so a failed reload keeps the old config. */
	old = *cfg;
	*cfg = *tmp;
	*tmp = old;
out:
	config_free(tmp);
	free(dir);
	buf_release(&text);
	return rc;
}

void
config_print_keys(void)
{
	struct ini_row rows[NKEYS + NFEEDKEYS];
	size_t i, n = 0;

	for (i = 0; i < NKEYS; i++)
		rows[n++] = (struct ini_row){ &config_keys[i],
					      config_keys[i].section };
	for (i = 0; i < NFEEDKEYS; i++)
		rows[n++] = (struct ini_row){ &feed_keys[i],
					      "feeds.conf [<name>]" };
	ini_print_keys(rows, n);
}
