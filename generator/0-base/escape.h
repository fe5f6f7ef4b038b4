/* escape: writing untrusted text into its output context. */
#ifndef KK_ESCAPE_H
#define KK_ESCAPE_H

#include <stddef.h>

#include "buf.h"

/* HTML text and attribute values (and XML): & < > " ' become entities. */
void esc_html(buf_t *out, const char *s, size_t n);
void esc_html_str(buf_t *out, const char *s);

#endif
