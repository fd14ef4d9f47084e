#ifndef TENDERLOTS_UTF8_H
#define TENDERLOTS_UTF8_H

#include <stddef.h>

/*
 * Length of the well-formed UTF-8 sequence at s (at most n bytes, n >= 1),
 * or 0 if s does not start one. Overlong forms, surrogates and code points
 * above U+10FFFF are not well formed.
 */
size_t utf8_seq_len(const unsigned char *s, size_t n);

/* 1 if s[0..n) is well-formed UTF-8 throughout, else 0. */
int utf8_valid(const char *s, size_t n);

/* Characters (code points) in a UTF-8 string, for aligning columns. */
size_t utf8_width(const char *s);

#endif
