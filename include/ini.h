#ifndef TENDERLOTS_INI_H
#define TENDERLOTS_INI_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * The INI files in config/: "[section]" headers, "key = value" lines and
 * comments on lines of their own starting with '#' or ';'. A value may be
 * quoted ("...", with \" and \\) to keep spaces or a '#'. Errors are
 * reported as "file:line: message"; every line is checked, so one run
 * shows every mistake in a file.
 *
 * Keys are declared in tables (struct ini_key) with their type, default
 * and range, and stored straight into the fields of a struct by offset.
 */

#define INI_MAX_FILE	(1024u * 1024u)
#define INI_MAX_LINE	4096

struct ini_handler {
	/* Both report their own errors and return -1 on one. */
	int (*section)(void *ctx, const char *name, size_t line);
	int (*key)(void *ctx, const char *key, const char *value, size_t line);
};

/*
 * Reads path into text, which the caller has initialised with the cap it
 * allows (INI_MAX_FILE) and releases.
 */
int ini_read(const char *path, struct buf *text);

/*
 * Hands each section header and key of text to h; file names the text in
 * messages. The keys after a header the handler refused are skipped
 * rather than reported again. -1 if anything was wrong.
 */
int ini_parse(const char *file, const char *text, size_t len,
	      const struct ini_handler *h, void *ctx);

enum ini_type {
	INI_STRING,
	INI_PATH,	/* relative values resolve against the file's directory */
	INI_URL,	/* http:// or https:// */
	INI_INT,	/* long */
	INI_ENUM,	/* int: allowed[i] names the value i */
	INI_DURATION,	/* long seconds; suffix s, m, h or d */
	INI_LOCATION,	/* a path, file:// URL or http(s):// URL */
	INI_AMOUNT,	/* double, whole kronor; suffix k or M */
	INI_LIST	/* char **, NULL-terminated: the words, at least one */
};

struct ini_key {
	const char *section;	/* NULL: any section, e.g. one per feed */
	const char *key;
	enum ini_type type;
	const char *def;	/* parsed like a file value; NULL: required */
	bool empty_unsets;	/* INI_STRING, INI_LIST, INI_PATH: an empty
				   value stores NULL */
	long min, max;		/* INI_INT, INI_DURATION, INI_AMOUNT */
	const char *const *allowed;	/* INI_ENUM */
	size_t offset;		/* of the field in the struct it fills */
	const char *help;
};

/* Where a key of a table was set in the file or section being read. */
struct ini_seen {
	size_t line;		/* 0: not set */
	bool bad;		/* its value was refused */
};

/* One table of keys being filled from one file. */
struct ini_table {
	const char *file;	/* for messages */
	const char *basedir;	/* relative paths resolve against it */
	const struct ini_key *keys;
	size_t nkeys;
	struct ini_seen *seen;	/* nkeys entries */
};

/*
 * Starts a section of a file with one section per item (feeds,
 * categories): no key is set yet, and base gets the defaults.
 */
int ini_section_start(const struct ini_table *t, void *base);

/*
 * Stores key = value of section into base. An unknown key, a key set twice
 * and a bad value are reported and give -1; the field is then left as it
 * was.
 */
int ini_set(const struct ini_table *t, size_t line, const char *section,
	    const char *key, const char *value, void *base);

/* Reports, at line, each required key that section did not set. */
int ini_check_required(const struct ini_table *t, size_t line,
		       const char *section);

/*
 * Applies every default that is not required. basedir NULL keeps default
 * paths relative, until a file gives them a directory.
 */
int ini_defaults(const struct ini_key *keys, size_t nkeys, void *base,
		 const char *basedir);
void ini_free_fields(const struct ini_key *keys, size_t nkeys, void *base);

/* A key as `tenderlots config keys` lists it, under a section label. */
struct ini_row {
	const struct ini_key *key;
	const char *section;
};

/* Prints rows as a table: section, key, type, default, range, help. */
void ini_print_keys(const struct ini_row *rows, size_t n);

#endif
