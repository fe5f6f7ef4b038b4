/* frontmatter: splits a Markdown page into its YAML front matter and body. */
#ifndef KK_FRONTMATTER_H
#define KK_FRONTMATTER_H

#include <stdbool.h>
#include <stddef.h>

#include "../0-base/diag.h"
#include "../0-base/value.h"

typedef struct {
    val *meta;             /* the front matter map (caller frees with val_free) */
    const char *body;      /* points into the source buffer */
    size_t body_len;
    int body_line_offset;  /* lines of the file before the body */
} fm_page;

/* Splits src (a whole file; a UTF-8 BOM is skipped) at the '---' lines.
 * The front matter must be a YAML mapping. path is borrowed into every
 * position. Returns false with an error in d when the front matter is
 * missing, unclosed, malformed or not a mapping. */
bool fm_split(const char *src, size_t len, const char *path, fm_page *out, diag_list *d);

#endif
