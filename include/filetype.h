#ifndef TENDERLOTS_FILETYPE_H
#define TENDERLOTS_FILETYPE_H

#include <stddef.h>

/*
 * What a file a firm sends is, by its bytes and not by its name alone:
 * the types an answer to an RFI may have (PDF, Word, Excel,
 * OpenDocument text, plain text, PNG, JPEG). A name whose extension
 * says one type over bytes of another is refused, as is anything else.
 */
struct filetype {
	const char *ext;	/* "pdf", "docx", ... */
	const char *mime;
};

/* The type of len bytes named name; NULL when not one taken. */
const struct filetype *filetype_of(const char *name, const char *data,
				   size_t len);
/* The types taken, for messages: "PDF, Word, ..." in "sv" or "en". */
const char *filetype_list(const char *lang);

#endif
