#ifndef TENDERLOTS_RFI_H
#define TENDERLOTS_RFI_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct category_set;
struct config;
struct notice;
struct buf;
struct rfi_answer;
struct rfi_answer_file;
struct rfi_entry;
struct store;

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

/* The caps of an RFI's texts (bytes), in a file or a form. */
#define RFI_TITLE_MAX		200
#define RFI_DESCRIPTION_MAX	4000
/* Why an RFI is withdrawn: one line the firms told of it read. */
#define RFI_WHY_MAX		1000

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

/*
 * The unit's work on its own RFIs, one function an operation, for the
 * command line and the staff's pages alike: each takes the store, the
 * configuration (public_url, service_name, own_buyers), the categories
 * and the time. Mails follow with the next run, as for any notice: an
 * RFI is published as the notice "rfi-<id>" and an edit or a withdrawal
 * is a new version of it, whose changes go to the firms already told.
 */
struct rfi_desk {
	struct store *store;
	const struct config *cfg;
	const struct category_set *categories;
	time_t now;
	/*
	 * The staff's pages: what is published is stored now and matched by
	 * the next pass (ingest_match_later), as loading and indexing every
	 * firm is no work for a web request.
	 */
	int match_later;
};

/*
 * What storing n, one of the unit's own notices (ownnotice.h too), would
 * do, over every firm.
 */
struct ingest_preview;
int rfi_desk_preview(const struct rfi_desk *d, const struct notice *n,
		     struct ingest_preview *out);

/* Another RFI is a likely duplicate when published this recently. */
#define RFI_DUPLICATE_DAYS 90

/*
 * What publishing r would do: the categories it falls into, how many
 * subscribed firms it would reach, and the RFIs it may duplicate (same
 * title, or the same CPV codes from the same buyer, published in the
 * last RFI_DUPLICATE_DAYS days and not withdrawn).
 */
struct rfi_preview {
	char **categories;
	size_t ncategories;
	size_t firms;
	struct rfi_entry *duplicates;
	size_t nduplicates;
};

/*
 * Checks r as the unit may publish it (its categories registered, its
 * deadline ahead), errors naming source (a file, a form), and previews it.
 */
int rfi_preview(const struct rfi_desk *d, const struct rfi *r,
		const char *source, struct rfi_preview *out);
void rfi_preview_release(struct rfi_preview *p);
/*
 * Publishes r: its notice id into notice_id (len bytes), the firms it is
 * matched to into *firms. The caller has shown the preview's duplicates.
 */
int rfi_publish(const struct rfi_desk *d, const struct rfi *r,
		const char *source, char *notice_id, size_t len,
		unsigned *firms);
/*
 * Replaces the unit's open RFI notice_id by r: a new version, and the
 * firms told of it get a mail naming what changed (title, deadline,
 * documents). -1, reported, if it is not such an RFI.
 */
int rfi_edit(const struct rfi_desk *d, const char *notice_id,
	     const struct rfi *r, const char *source);
/*
 * Withdraws the unit's RFI notice_id, published by mistake: it leaves
 * the public pages, the feeds and the report, takes no answers, and the
 * firms told of it get a short mail saying so and why (one line, in the
 * unit's words). -1, reported, if it is not such an RFI or withdrawn
 * already.
 */
int rfi_withdraw(const struct rfi_desk *d, const char *notice_id,
		 const char *why);
/*
 * Whether n, an RFI of one of own_buyers (the municipality) that came
 * through a feed, is the copy on TED of one of the unit's own RFIs of
 * the last year (the same title, or the same CPV codes): then *copy is
 * 1, the two are linked, and it is closed with the unit's own and not
 * mailed again.
 */
int rfi_recognise(struct store *s, const struct notice *n,
		  char *const *own_buyers, time_t now, int *copy);
/*
 * What the unit's own notices share (its RFIs, its procurement plan):
 * stores and matches one version of a notice, which it takes (matched to
 * no firm with store_only), the firms it is matched to into *firms
 * unless NULL; and makes n the next version of prev, published when the
 * first was.
 */
struct stored_notice;
int rfi_desk_ingest(const struct rfi_desk *d, struct notice *n,
		    const char *source, int store_only, unsigned *firms);
/*
 * The same for many notices: the firms loaded and indexed once, and one
 * transaction for each INGEST_BATCH_DOCS notices. add takes n, whatever
 * it returns; close flushes what is left and frees the run (the firms
 * matched into *firms unless NULL), -1 if that failed.
 */
struct rfi_desk_run;
int rfi_desk_run_open(const struct rfi_desk *d, int store_only,
		      struct rfi_desk_run **out);
int rfi_desk_run_add(struct rfi_desk_run *r, struct notice *n,
		     const char *source);
int rfi_desk_run_close(struct rfi_desk_run *r, unsigned *firms);
int rfi_desk_next_version(const struct stored_notice *prev, struct notice *n);
/*
 * The same, announcing text in the unit's words (what the versions'
 * differences do not show: a withdrawal, a drop, a new expected
 * announcement), which the change mail to the firms told quotes.
 */
int rfi_desk_announced_version(const struct stored_notice *prev,
			       const char *text, struct notice *n);

/* No more answers or reminders; -1, reported, if not open and ours. */
int rfi_close(const struct rfi_desk *d, const char *notice_id);

/*
 * A firm answers one of the unit's RFIs on the web, through the signed
 * link of its RFI mail (RFI_ANSWER_PATH): a text and files, within these
 * caps, of the types filetype.h takes, told by their bytes. The HTTP
 * layer takes RFI_ANSWER_BODY_MAX of such a form, more than the caps, so
 * that a form over them gets a page saying which.
 */
#define RFI_ANSWER_PATH		"/answer/"
#define RFI_ANSWER_TEXT_MAX	4000
#define RFI_ANSWER_FILES_MAX	5
#define RFI_ANSWER_FILE_MAX	(5u << 20)
#define RFI_ANSWER_TOTAL_MAX	(10u << 20)
#define RFI_ANSWER_BODY_MAX	(RFI_ANSWER_TOTAL_MAX + (2u << 20))

/* A file as the firm sent it. */
struct rfi_upload {
	const char *name;	/* the firm's name for it */
	const char *data;
	size_t len;
};

/*
 * Records the answer of firm_id to the unit's open RFI notice_id, with
 * its files, and that the firm answered, in one transaction. 1 when it
 * is refused for the firm's mistake (no text or file, a cap passed, a
 * type not taken, the RFI closed): why says which in lang ("sv", "en")
 * and nothing is stored; -1 on an error.
 */
int rfi_answer(struct store *s, const char *notice_id, int64_t firm_id,
	       const char *text, const struct rfi_upload *files, size_t nfiles,
	       time_t now, const char *lang, struct buf *why, int64_t *id);
/*
 * An RFI's answers, oldest first, with their files (without bytes), for
 * the unit to read; free with rfi_answers_free and rfi_answer_files_free
 * (store.h).
 */
int rfi_answers(struct store *s, const char *notice_id,
		struct rfi_answer **answers, size_t *nanswers,
		struct rfi_answer_file **files, size_t *nfiles);
/*
 * One file of an answer to download: its bytes, the type its bytes
 * showed and a name the program chose ("svar-ANSWER-FILE.EXT"), never
 * the firm's, for Content-Disposition (filename, len bytes). *found 0
 * when there is no such file.
 */
int rfi_answer_download(struct store *s, int64_t file_id,
			struct rfi_answer_file *out, char *filename,
			size_t len, int *found);

#endif
