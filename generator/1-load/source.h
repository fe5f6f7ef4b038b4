/* source: the only stage that reads the file system. Reads site.yaml, the
 * Markdown pages and data under content/, the layouts, and lists the static
 * files, all with paths relative to the source root. */
#ifndef KK_SOURCE_H
#define KK_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "../0-base/buf.h"
#include "../0-base/diag.h"

typedef enum {
    SRC_PAGE,   /* content/ ** / *.md, and the theme's pages (layouts/sivut/ ** / *.md) */
    SRC_DATA,   /* content/ ** / *.yaml */
    SRC_LAYOUT, /* layouts/ *.mustache */
    SRC_STATIC, /* layouts/static/ ** (listed, not read: data is NULL) */
    SRC_DIAGRAM, /* diagrams/ *.yaml */
    SRC_HOOK,    /* layouts/hooks/ *.lua (Lua hook scripts; not in subfolders) */
    SRC_STATUTES, /* layouts/lait/ *.yaml (the national statutes, lait.yaml's format; not in
                   * subfolders): built in, and a site's file of the same name replaces one */
    SRC_CATALOG,  /* layouts/kielet/ *.yaml (interface texts per language, i18n.h; not in
                   * subfolders): built in, and a site's own file is merged over the built-in one */
    SRC_KIND_COUNT
} src_kind;

typedef struct {
    char *path;     /* relative to the root, '/'-separated: "content/lait/index.md" */
    char *abs_path; /* as opened; NULL for a built-in file */
    char *data;     /* the bytes, NUL-terminated (NULL for a site's static files) */
    size_t len;
    char *name;     /* what diagnostics call it: path, or "(built-in) layouts/…"; a theme
                     * page: "(built-in) layouts/sivut/…" or the site's own "layouts/sivut/…" */
    bool builtin;   /* from the theme in the binary (data borrowed from it) */
    bool theme_page; /* a page of the theme (SRC_PAGE, path "content/…" but the file is
                      * layouts/sivut/…, built-in or the site's copy): no date of its own */
    bool lazy;       /* a page not read by src_load (src_load_lazy): data is NULL, and
                      * src_text reads it each time it is needed */
} src_file;

typedef struct src_tree src_tree;

/* Files larger than this are refused (a page is text, not a data dump). */
#define SRC_MAX_FILE (16u * 1024u * 1024u)

/* The theme's pages: layouts/sivut/<p>.md is the page content/<p>.md (the
 * editors' guide, content/ohjeet/) unless the site has content/<p>.md. */
#define SRC_THEME_PAGES "layouts/sivut/"

/* Reads the source tree at root. Files of layouts/ the site does not have
 * come from the built-in theme (theme.h); so do the theme's pages. Missing site.yaml, unreadable files,
 * symlinks and oversized files are reported to d. Returns NULL only when
 * nothing can be built (no root, no site.yaml); caller frees with src_free. */
src_tree *src_load(const char *root, diag_list *d);
void src_free(src_tree *t);

/* src_load, but the site's Markdown pages (SRC_PAGE files on disk) are only
 * listed: each is read by src_text when the build needs its text (its front
 * matter when the site loads, its body again when it renders), so a build
 * holds a few pages' texts at a time instead of every page's (a plain
 * build; serve keeps every text). The theme's built-in pages are in the
 * binary as before. */
src_tree *src_load_lazy(const char *root, diag_list *d);

/* The text of file f, NUL-terminated: f->data when it is loaded (owned set
 * to NULL), else read now into a buffer the caller frees (*owned). NULL
 * with an error in d (may be NULL) when it cannot be read: gone, or larger
 * than SRC_MAX_FILE. Any thread. */
const char *src_text(const src_file *f, size_t *len, char **owned, diag_list *d);

/* site.yaml (borrowed). */
const src_file *src_config(const src_tree *t);
/* Serve's look at one saved path, without loading the tree: src_read reads
 * root/rel whole into out (false when it is not a readable file: missing, a
 * folder); src_is_folder tells whether root/rel is a folder now. */
bool src_read(const char *root, const char *rel, buf_t *out);
bool src_is_folder(const char *root, const char *rel);

/* Files of one kind that were found but could not be read (reported). */
size_t src_dropped(const src_tree *t, src_kind k);
/* Files of one kind, sorted by path (borrowed; valid until src_free). */
size_t src_count(const src_tree *t, src_kind k);
const src_file *src_at(const src_tree *t, src_kind k, size_t i);

#endif
