/* utf8: reading well-formed UTF-8 (RFC 3629). */
#ifndef KK_UTF8_H
#define KK_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The length (1–4) of the well-formed UTF-8 sequence at s[0..n) (n >= 1),
 * with its code point in *cp when cp is not NULL; 0 when the bytes there are
 * not one (a stray continuation byte, an overlong form, a surrogate, a code
 * point past U+10FFFF, a sequence cut short). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* The offset of the first byte of s[0..n) that does not begin a
 * well-formed UTF-8 sequence, or n when all of it is well-formed. */
size_t utf8_check(const char *s, size_t n);

/* Moves *line:*col over s[0..n): a newline starts the next line at column
 * 1, and columns count characters, not UTF-8 bytes. */
void utf8_line_col(const char *s, size_t n, int *line, int *col);

/* What utf8_next gives for a byte that does not begin a well-formed sequence. */
#define UTF8_BAD 0xFFFFFFFFu

/* The code point at s (n >= 1 bytes left) in *cp, and its length: a walker that never stops
 * on bad input (a malformed byte decodes alone, as UTF8_BAD). */
size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

/* cp (at most U+10FFFF) as UTF-8 in b; returns the number of bytes (1-4). */
size_t utf8_encode(uint32_t cp, char b[4]);

#endif
