/* json: the one JSON string writer (search index, the hooks' kasikirja.json). */
#ifndef KK_JSON_H
#define KK_JSON_H

#include <stddef.h>

#include "buf.h"

/* Appends s[0..n) to b as a JSON string (RFC 8259) with its quotes, safe
 * inside a <script> element too: " \ and the control characters are
 * escaped (\n \r \t \b \f in short, the others and DEL as \u00XX), so are
 * < > & (no "</script>" or "<!--" can appear) and U+2028/U+2029 (older
 * JavaScript parsers end a line there). Well-formed UTF-8 passes as it is;
 * every byte that does not begin a well-formed sequence becomes \ufffd. */
void json_put_string(buf_t *b, const char *s, size_t n);

#endif
