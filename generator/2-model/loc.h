/* loc: a model text in one of the site's languages. The model keeps a
 * field's default-language text under its key ("nimi") and the other
 * languages' texts, when given, as a map beside it ("nimi_kielet":
 * {sv: …}); the default language is never in that map. */
#ifndef KK_LOC_H
#define KK_LOC_H

#include <stdbool.h>

#include "../0-base/diag.h"
#include "../0-base/value.h"

/* The languages a text is checked against (langs[0] the default) and what
 * to do with a missing one. */
typedef struct {
    const char *const *langs;
    size_t n_langs;
    bool theme;           /* the built-in statutes: languages the site lacks allowed, a site in a
                             language they lack falls back to Finnish, nothing counted or warned */
    bool optional;        /* 'kaannokset: valinnainen': missing texts counted, not warned about */
    size_t *untranslated; /* n_langs counters of missing texts (may be NULL) */
} loc_langs;

/* A reader's text v under key: plain text (the default language's) or a
 * map of a text per language {fi: …, sv: …}. Checks the map (languages the
 * site has, each a non-empty text, the default's given: errors into d),
 * fills per[] (n_langs entries, NULL where none) and returns the default's
 * text of a map (NULL after an error, and always for plain text, which the
 * caller reads itself). On a site of several languages each language
 * without a text is counted in l->untranslated and warned about at v.
 * per[] borrows from v. */
const char *loc_check(const loc_langs *l, const val *v, const char *key, const char **per, diag_list *d);

/* The text of node's field key in language lang: node[key_kielet][lang]
 * when there is one, else node[key] (the default language's text, or NULL).
 * lang NULL (or the default language) gives node[key]. *fallback (may be
 * NULL) is set when lang is not NULL, the field has a text and it is not
 * lang's own: the caller marks it as the default language's when lang is
 * not the default. Borrowed from node. */
const char *loc_field(const val *node, const char *key, const char *lang, bool *fallback);

#endif
