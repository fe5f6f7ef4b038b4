/* loc: a model text in one of the site's languages. The model keeps a
 * field's default-language text under its key ("nimi") and the other
 * languages' texts, when given, as a map beside it ("nimi_kielet":
 * {sv: …}); the default language is never in that map. */
#ifndef KK_LOC_H
#define KK_LOC_H

#include <stdbool.h>

#include "../0-base/value.h"

/* The text of node's field key in language lang: node[key_kielet][lang]
 * when there is one, else node[key] (the default language's text, or NULL).
 * lang NULL (or the default language) gives node[key]. *fallback (may be
 * NULL) is set when lang is not NULL, the field has a text and it is not
 * lang's own: the caller marks it as the default language's when lang is
 * not the default. Borrowed from node. */
const char *loc_field(const val *node, const char *key, const char *lang, bool *fallback);

#endif
