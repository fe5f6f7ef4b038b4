/* utf8: checking that text is well-formed UTF-8. */
#ifndef KK_UTF8_H
#define KK_UTF8_H

#include <stddef.h>

/* The offset of the first byte of s[0..n) that does not begin a
 * well-formed UTF-8 sequence (stray continuation bytes, overlong forms,
 * surrogates, code points past U+10FFFF, sequences cut short), or n when
 * all of it is well-formed. */
size_t utf8_check(const char *s, size_t n);

#endif
