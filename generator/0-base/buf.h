/* buf: a growable byte buffer; renderers append to it, only the writer makes files of it. */
#ifndef KK_BUF_H
#define KK_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A small value type: fields are public. ptr is always NUL-terminated once
 * anything was appended (or after buf_cstr). Zero-initialised = empty. */
typedef struct {
    char *ptr;
    size_t len;
    size_t cap;
} buf_t;

#define BUF_INIT {NULL, 0, 0}

void buf_grow(buf_t *b, size_t extra);
void buf_put(buf_t *b, const char *s, size_t n);
void buf_puts(buf_t *b, const char *s);
void buf_putc(buf_t *b, char c);
void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf_t *b, const char *fmt, va_list ap);
/* Drops the contents, keeps the memory. */
void buf_clear(buf_t *b);
/* Always returns a NUL-terminated string (borrowed; valid until the buffer changes). */
const char *buf_cstr(buf_t *b);
/* Hands the contents to the caller (free with free()) and empties the buffer. */
char *buf_detach(buf_t *b);
/* Appends everything left in the stream f; false on a read error. */
bool buf_read_stream(buf_t *b, FILE *f);
/* Frees the memory; the buffer is empty again. */
void buf_free(buf_t *b);

#endif
