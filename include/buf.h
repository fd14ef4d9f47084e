#ifndef TENDERLOTS_BUF_H
#define TENDERLOTS_BUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A growable byte buffer with a hard cap, for everything that grows from
 * input: HTTP bodies, MIME messages, rendered text, JSON. The contents are
 * always NUL-terminated so they can be used as a C string. Appending past
 * the cap fails with -1 and leaves the buffer as it was.
 */
struct buf {
	char *data;	/* NULL until the first append */
	size_t len;
	size_t alloc;
	size_t max;	/* largest len allowed */
};

#define BUF_MAX_DEFAULT (64u * 1024u * 1024u)

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
/* Hands the storage to the caller (never NULL); the buffer is emptied. */
char *buf_detach(struct buf *b, size_t *len);
int buf_add(struct buf *b, const void *data, size_t len);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* The contents as a string; "" for an empty buffer. */
const char *buf_str(const struct buf *b);

#endif
