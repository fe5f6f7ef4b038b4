/* diag: the one diagnostics module. Every error and warning of a build goes
 * through here and prints GCC-style: `path:line:col: error: message`. */
#ifndef KK_DIAG_H
#define KK_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"

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

/* A message's hint, as the JSON form shows it apart. Messages carry their hint in closing
 * parentheses ("unknown key 'x' (did you mean 'y'?)", "… (write YYYY-MM-DD)"): the hint is
 * the message's last parenthesised group when it closes the message, is preceded by a space,
 * is balanced and is not empty. Returns true and sets *head_len (the message before " (") and
 * *hint and *hint_len (inside the parentheses; borrowed from msg); false when there is none.
 * A parenthesis inside quoted text of the hint unbalances it: then nothing is split and the
 * whole message stays the message (nothing is lost, only not set apart). */
bool diag_split_hint(const char *msg, size_t *head_len, const char **hint, size_t *hint_len);

/* Appends one diagnostic to b as a JSON object: "file" (null without a path), "line" and
 * "column" (null when 0, i.e. unknown), "severity" shown as sev ("error", "warning" or
 * "note"), "message", and "hint" when diag_split_hint finds one. suffix (may be NULL) is
 * appended to the message (main's " [--strict]"). */
void diag_json_put(buf_t *b, const diag_t *dg, diag_severity sev, const char *suffix);
/* The whole list as one JSON array, one object a line, ending in a newline; caller frees. */
char *diag_json(const diag_list *d, bool errors_only);

/* The candidate closest to word by edit distance, if close enough to be a
 * plausible typo (distance <= max(1, strlen(word)/3)); NULL otherwise. Borrowed. */
const char *diag_suggest(const char *word, const char *const *candidates, size_t n);

#endif
