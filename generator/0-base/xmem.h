/* xmem: allocation that aborts on out-of-memory, so call sites stay clean. */
#ifndef KK_XMEM_H
#define KK_XMEM_H

#include <stddef.h>

/* Each returns memory the caller frees with free(); never returns NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Copies of a NUL-terminated string / of the first n bytes (NUL added). */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
