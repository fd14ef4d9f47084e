#ifndef TENDERLOTS_CONFIG_H
#define TENDERLOTS_CONFIG_H

#include <stddef.h>

/*
 * INI configuration. Every key is declared in a table with its type,
 * default and range; an unknown section or key, or a bad value, is an error
 * reported as "file:line: message". Relative paths in a config file are
 * resolved against the directory of that file, so the bundled defaults work
 * from any working directory.
 */

enum feed_kind {
	FEED_EFORMS,		/* a directory, file or URL of eForms XML notices */
	FEED_TED,		/* the TED search API (v3) */
	FEED_RSS,		/* RSS or Atom entries linking to notices; */
	FEED_ATOM,		/* both are read by the same parser */
	FEED_RATES		/* the ECB's euro reference rates (XML) */
};

/* What an entry of an rss or atom feed that links no XML is. */
enum feed_entries {
	ENTRIES_TENDER,		/* a procurement open for tenders */
	ENTRIES_PLANNED,	/* a planned procurement */
	ENTRIES_RFI		/* a request for information */
};

enum feed_language { FEED_SV, FEED_EN };

struct feed_config {
	char *name;		/* the section name */
	enum feed_kind kind;
	char *url;		/* absolute path or http(s):// URL */
	long interval;		/* seconds between polls */
	char *query;		/* ted: expert query, e.g. "buyer-country=SWE" */
	long page_size;		/* ted: notices per search page */
	long max_pages;		/* ted: pages read per poll */
	char *notice_url;	/* ted: notice XML URL, "{id}" = publication number */
	long first_days;	/* ted: days back the first poll reads */
	long rate;		/* ted: most requests a second to TED */
	/* rss, atom: what a link-only entry is, as its notice carries it */
	enum feed_entries entries;
	char **region;		/* NUTS codes (a municipality code read as its
				   county's); NULL: the place is not known */
	char *buyer;		/* a buyer's own listing: its name; NULL: none */
	enum feed_language language;
};

enum mail_transport {
	TRANSPORT_MAILDIR,
	TRANSPORT_SMTP
};

enum starttls_mode {
	STARTTLS_REQUIRED,
	STARTTLS_OPTIONAL,
	STARTTLS_OFF
};

#define REMINDERS_MAX 8

struct config {
	char *path;		/* the main config file as given */

	/* [database] */
	char *db_path;

	/* [service] */
	char *service_name;	/* shown in mails, e.g. "Exempelkommun" */
	char *public_url;	/* base URL of the public pages */
	char *timezone;		/* for times shown to people */
	char *secret_file;	/* signs the links in mails */

	/* [mail] */
	enum mail_transport transport;
	char *maildir;
	char *mail_from;	/* "Name <addr>" */
	char *reply_to;		/* may be NULL */
	long max_lots_per_mail;
	char *list_id;		/* "Name <id.domain>" */
	char *templates_dir;	/* holds sv/ and en/ */
	char **reminder_words;	/* as written; NULL for none */
	long reminder_days[REMINDERS_MAX];	/* largest first */
	size_t nreminder_days;
	char *smtp_host;
	long smtp_port;
	enum starttls_mode starttls;
	char *smtp_auth_file;	/* "user password" on one line; NULL: no AUTH */
	long smtp_timeout;	/* seconds */
	char *bounce_address;	/* VERP base; NULL: mail_from's address */
	char *inbox;		/* Maildir of what comes back; NULL: none */

	/* [fetch] */
	long fetch_timeout;	/* seconds */
	long fetch_connect_timeout;	/* seconds */
	long fetch_max_bytes;	/* largest notice document accepted */
	long fetch_max_backoff;	/* seconds: the longest wait after failures */

	/* [health] */
	char *operator;		/* "Name <addr>"; NULL: no operator mails */
	char *operator_command;	/* run on an incident; NULL: none */
	long feed_silence;	/* seconds without a successful poll */
	long keep_sent;		/* seconds a sent mail's text is kept */
	long keep_notices;	/* seconds a notice's texts are kept after
				   its procedure's last date */
	long give_up_after;	/* seconds a mail is tried before it fails */

	/* [web] */
	char *web_listen;	/* IPv4 or IPv6 address */
	long web_port;
	long web_subscribe_per_hour;	/* per client address */
	long web_mails_per_recipient;	/* per e-mail address, a day */
	long web_threads;
	/* proxies (addresses, prefixes) whose client headers are believed,
	 * NULL-terminated; NULL for none */
	char **web_trusted_proxies;

	/* [staff]: the staff's pages, on a listener of their own */
	char *staff_listen;
	long staff_port;
	char *staff_public_url;	/* NULL: http://listen:port */
	char *staff_user_header;	/* single sign-on; NULL: none */
	char **staff_trusted_proxies;	/* NULL-terminated; NULL for none */
	long staff_idle_timeout;	/* seconds */
	long staff_session_timeout;	/* seconds from login */

	/* [feeds] file = feeds.conf: one section per feed */
	char *feeds_path;
	struct feed_config *feeds;
	size_t nfeeds;

	/* [categories] file = categories.conf, read by category_load() */
	char *categories_path;

	/* [service] own_buyers: the municipality's organisation numbers,
	 * NNNNNN-NNNN, NULL-terminated; NULL for none */
	char **own_buyers;

	/* [service] municipalities: the kommunkoder whose firms are local,
	 * NULL-terminated; NULL for none */
	char **municipalities;

	/* [match] */
	long size_share;	/* percent of annual turnover per contract year */
	long max_per_day;	/* matches mailed to one firm per day */
	long digest_hour;	/* local hour of daily and weekly digests */
};

/* A config holding every default; NULL on ENOMEM. */
struct config *config_new(void);
void config_free(struct config *cfg);

/*
 * Loads path and the feeds file it names into cfg. Errors are reported
 * through error() as "file:line: message"; returns -1 on any error, and
 * then cfg is left as it was, so a failed reload keeps the running config.
 * On success every path in cfg is absolute.
 */
int config_load(struct config *cfg, const char *path);

/*
 * Prints the table of known keys (section, key, type, default, range) for
 * `tenderlots config keys`.
 */
void config_print_keys(void);

#endif
