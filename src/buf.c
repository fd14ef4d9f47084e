#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->max = max ? max : BUF_MAX_DEFAULT;
}

void
buf_release(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *
buf_detach(struct buf *b, size_t *len)
{
	char *data = b->data;

	if (len)
		*len = b->len;
	if (!data)
		data = calloc(1, 1);
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	return data;
}

static int
buf_grow(struct buf *b, size_t extra)
{
	size_t want, alloc;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return -1;
	want = b->len + extra + 1;
	if (want <= b->alloc)
		return 0;
	alloc = b->alloc ? b->alloc : 64;
	while (alloc < want)
		alloc = alloc > ((size_t)-1) / 2 ? want : alloc * 2;
	p = realloc(b->data, alloc);
	if (!p)
		return -1;
	b->data = p;
	b->alloc = alloc;
	return 0;
}

int
buf_add(struct buf *b, const void *data, size_t len)
{
	if (buf_grow(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

/*
 * Formats into the room the buffer has first: only what does not fit
 * there is formatted twice, once to measure it.
 */
int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	size_t room = b->alloc > b->len ? b->alloc - b->len : 0;
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, cp);
	va_end(cp);
	if (n >= 0 && (size_t)n < room && (size_t)n <= b->max - b->len) {
		b->len += (size_t)n;
		return 0;
	}
	if (room)
		b->data[b->len] = '\0';
	if (n < 0 || buf_grow(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *
buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}
