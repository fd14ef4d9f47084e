#ifndef TENDERLOTS_RFI_H
#define TENDERLOTS_RFI_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct category_set;
struct notice;

/*
 * A request for information the procurement unit publishes itself
 * ("förfrågan om information", "marknadsdialog"): firms of some trades are
 * asked to answer questions before a procurement is planned. The unit
 * describes it in a small INI file with one section, [rfi]
 * (config/rfi.example.conf lists the keys).
 */
struct rfi {
	int64_t id;		/* store row id; 0 until stored */
	char *title;		/* UTF-8, one line */
	char *description;	/* NULL for none; one line */
	char **categories;	/* category keys, not checked against the
				   registered ones */
	size_t ncategories;
	char **cpv;		/* known 8-digit CPV codes */
	size_t ncpv;		/* ncategories + ncpv >= 1 */
	time_t answer_deadline;
	char *timezone;		/* IANA name the deadline was written in */
	char *contact;		/* "Name <addr>" answering questions */
	char **attachments;	/* https:// links to its documents */
	size_t nattachments;
	char *procedure;	/* the notice or procedure id it prepares;
				   NULL for none */
};

/* An empty RFI, every field 0 or NULL; NULL on ENOMEM. */
struct rfi *rfi_new(void);
void rfi_free(struct rfi *r);

/*
 * Reads an RFI file into a new RFI (id 0). Every problem is reported
 * through error() as "file:line: message", one run showing each; -1 if
 * any, and *out is left as it was. CPV codes given with their check digit
 * are kept as 8 digits. Whether the categories are registered, and whether
 * the deadline lies in the future, is for the caller to check.
 */
int rfi_load(const char *path, struct rfi **out);

/*
 * The notice an RFI is published as, so it is stored, split, matched and
 * mailed like any RFI notice: id notice_id (e.g. "rfi-12"), version "01",
 * procedure_id r->procedure or else notice_id, kind NOTICE_RFI, subtype
 * "rfi" (not an eForms subtype), title and description in language SWE,
 * buyer and buyer_id (its organisation number) as given or NULL, published
 * the date of now in r->timezone, url (the RFI's public page) as given or
 * NULL, documents_url the first attachment, deadline the answer deadline.
 * One lot, LOT-0001, titled like the RFI, with the answer deadline and, as
 * the notice's codes too, the CPV codes of r followed by the first code of
 * each category in cs, each once, so the first given code is the main one.
 * No place (NUTS): the RFI is open to every firm. -1, reported, for a
 * category cs does not have; *out is then left as it was.
 */
int rfi_to_notice(const struct rfi *r, const struct category_set *cs,
		  const char *notice_id, const char *buyer,
		  const char *buyer_id, const char *url, time_t now,
		  struct notice **out);

#endif
