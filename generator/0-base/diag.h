/* diag: the one diagnostics module. Every error and warning of a build goes
 * through here and prints GCC-style: `path:line:col: error: message`. */
#ifndef KK_DIAG_H
#define KK_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_severity;

/* One diagnostic. Positions are 1-based; line or col 0 means "not known"
 * (then it is left out of the printed form). Fields are borrowed from the list. */
typedef struct {
    diag_severity severity;
    const char *path; /* relative to the source root; may be NULL */
    int line;
    int col;
    const char *message;
} diag_t;

typedef struct diag_list diag_list;

/* Prints at most this many errors; the rest are counted. */
#define DIAG_MAX_PRINTED 50

/* A new empty list; free with diag_list_free. */
diag_list *diag_list_new(void);
void diag_list_free(diag_list *d);

/* Adds a diagnostic; path and message are copied. The same diagnostic (severity,
 * place and message) is kept once, however often it is added or merged. */
void diag_add(diag_list *d, diag_severity sev, const char *path, int line, int col,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void diag_addv(diag_list *d, diag_severity sev, const char *path, int line, int col,
               const char *fmt, va_list ap);
#define diag_error(d, path, line, col, ...) diag_add(d, DIAG_ERROR, path, line, col, __VA_ARGS__)
#define diag_warning(d, path, line, col, ...) diag_add(d, DIAG_WARNING, path, line, col, __VA_ARGS__)

/* Moves every diagnostic of src to the end of dst (src is left empty). */
void diag_list_merge(diag_list *dst, diag_list *src);

size_t diag_count(const diag_list *d);
size_t diag_errors(const diag_list *d);
size_t diag_warnings(const diag_list *d);
/* The i-th diagnostic (borrowed; valid until the list changes). */
const diag_t *diag_at(const diag_list *d, size_t i);

/* Formats one diagnostic as it is printed (no newline) into a fresh string; caller frees. */
char *diag_format(const diag_t *dg);
/* Prints the list, errors capped at DIAG_MAX_PRINTED with a closing count. */
void diag_print(const diag_list *d, FILE *out);
/* The same, with only the errors when errors_only (a quiet run). */
void diag_print_some(const diag_list *d, bool errors_only, FILE *out);

/* The candidate closest to word by edit distance, if close enough to be a
 * plausible typo (distance <= max(1, strlen(word)/3)); NULL otherwise. Borrowed. */
const char *diag_suggest(const char *word, const char *const *candidates, size_t n);

#endif
