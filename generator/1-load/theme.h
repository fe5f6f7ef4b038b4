/* theme: the default theme built into the binary: the files of the repo's
 * layouts/ (templates, CSS, JavaScript, the generated fonts, the hooks, the
 * built-in data such as the national statutes), embedded at build time by
 * tools/upota.c. A site's own layouts/<name> replaces the built-in file of
 * that name (source.c does the merging). Read-only data, not state. */
#ifndef KK_THEME_H
#define KK_THEME_H

#include <stddef.h>

typedef struct {
    const char *path;          /* "layouts/page.mustache" */
    const unsigned char *data; /* NUL-terminated; len leaves the NUL out */
    size_t len;
} theme_file;

/* The starter site `kasikirja init` writes (not part of the theme proper). */
#define THEME_STARTER "layouts/aloitus/"

/* Shown before a built-in file's path in diagnostics. */
#define THEME_MARK "(built-in) "

/* The built-in files, sorted by path. */
size_t theme_count(void);
const theme_file *theme_at(size_t i);
/* The built-in file at path, or NULL. */
const theme_file *theme_find(const char *path);

#endif
