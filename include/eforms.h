#ifndef TENDERLOTS_EFORMS_H
#define TENDERLOTS_EFORMS_H

#include <stddef.h>

#include "notice.h"

/*
 * eForms UBL -> struct notice. Pure: bytes in, a notice out, no I/O. The
 * parser holds the compiled XPath expressions so they are compiled once and
 * reused for every document.
 */
struct eforms_parser;

struct eforms_parser *eforms_parser_new(void);
void eforms_parser_free(struct eforms_parser *p);

/*
 * Parses one notice document. On success returns 0 and sets *out. On
 * invalid input returns -1 and writes a one-line reason into err (naming
 * the element or field at fault; the caller adds the file name).
 */
int eforms_parse(struct eforms_parser *p, const char *data, size_t len,
		 struct notice **out, char *err, size_t errlen);

#endif
