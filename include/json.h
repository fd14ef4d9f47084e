#ifndef TENDERLOTS_JSON_H
#define TENDERLOTS_JSON_H

#include "buf.h"

/* Appends s as a JSON string literal with quotes; NULL becomes null. */
int json_add_string(struct buf *b, const char *s);
/* Appends an UTC instant as "YYYY-MM-DDTHH:MM:SSZ". */
int json_add_time(struct buf *b, long long t);

#endif
