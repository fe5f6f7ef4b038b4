/* slug: the one way text becomes an anchor id, for Markdown headings and
 * glossary terms alike. */
#ifndef KK_SLUG_H
#define KK_SLUG_H

#include <stdbool.h>

#include "buf.h"

/* Appends the slug of text (UTF-8) to out: lower case (Finnish and other
 * Latin-1 letters kept, upper case Ä Ö Å … folded), runs of spaces, '-',
 * '_', tabs, newlines and no-break spaces to one '-' (none at either end),
 * other ASCII punctuation dropped. Returns false, having appended nothing,
 * when text has nothing to keep: the caller appends its own fallback. */
bool slug_append(const char *text, buf_t *out);

#endif
