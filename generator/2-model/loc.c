/* loc: a model text in one of the site's languages. */
#include "loc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/buf.h"
#include "i18n.h"


const char *loc_field(const val *node, const char *key, const char *lang, bool *fallback)
{
    const char *own = NULL;
    if (lang) {
        char name[64];
        int n = snprintf(name, sizeof name, "%s_kielet", key);
        if (n > 0 && (size_t)n < sizeof name)
            own = val_get_str(val_get(node, name), lang);
    }
    const char *plain = val_get_str(node, key);
    if (fallback)
        *fallback = lang && !own && plain;
    return own ? own : plain;
}

/* A scalar's text (numbers and booleans written out: *owned, caller frees), or NULL. */
static const char *scalar(const val *v, char **owned)
{
    *owned = NULL;
    if (val_kind_of(v) == VAL_STR)
        return val_as_str(v);
    if (val_kind_of(v) == VAL_NUM || val_kind_of(v) == VAL_BOOL)
        return *owned = val_to_text(v);
    return NULL;
}

static int lang_index(const loc_langs *l, const char *code)
{
    for (size_t i = 0; i < l->n_langs; i++)
        if (!strcmp(l->langs[i], code))
            return (int)i;
    return -1;
}

/* One language's entry code: tv of a map: into per[], or an error. */
static void check_one(const loc_langs *l, const char *key, const char *code, const val *tv, src_pos kat,
                      const char **per, diag_list *d)
{
    int k = lang_index(l, code);
    char *owned = NULL;
    const char *t = scalar(tv, &owned);
    if (k < 0 && l->theme) {
        /* the built-in statutes carry languages a site may lack */
    } else if (k < 0) {
        const char *hint = diag_suggest(code, l->langs, l->n_langs);
        buf_t all = BUF_INIT;
        for (size_t j = 0; j < l->n_langs; j++)
            buf_printf(&all, "%s%s", j ? ", " : "", l->langs[j]);
        diag_error(d, kat.file, kat.line, kat.col,
                   "'%s' has a text in '%s', which is not one of the site's languages (%s)%s%s%s", key, code,
                   buf_cstr(&all), hint ? "; did you mean '" : "; add it to 'languages' in site.yaml",
                   hint ? hint : "", hint ? "'?" : "");
        buf_free(&all);
    } else if (!t) {
        diag_error(d, kat.file, kat.line, kat.col, "the %s (%s) text of '%s' must be text", i18n_lang_name(code),
                   code, key);
    } else if (!*t) {
        diag_error(d, kat.file, kat.line, kat.col,
                   "the %s (%s) text of '%s' is empty: write it, or leave the line out (the %s text is used)",
                   i18n_lang_name(code), code, key, i18n_lang_name(l->langs[0]));
    } else if (owned) {
        diag_error(d, kat.file, kat.line, kat.col, "the %s (%s) text of '%s' must be text (quote it)",
                   i18n_lang_name(code), code, key);
    } else {
        per[k] = t;
    }
    free(owned);
}

const char *loc_check(const loc_langs *l, const val *v, const char *key, const char **per, diag_list *d)
{
    for (size_t k = 0; k < l->n_langs; k++)
        per[k] = NULL;
    src_pos at = val_pos(v);
    if (val_kind_of(v) == VAL_MAP) {
        for (size_t i = 0; i < val_len(v); i++)
            check_one(l, key, val_key_at(v, i), val_at(v, i), val_key_pos(v, i), per, d);
        if (!per[0] && l->theme) /* a site in a language the statutes lack: the Finnish text */
            per[0] = val_get_str(v, I18N_DEFAULT);
        if (!per[0]) {
            diag_error(d, at.file, at.line, at.col, "'%s' has no text in the default language '%s': add '%s: …'",
                       key, l->langs[0], l->langs[0]);
            return NULL;
        }
    }
    for (size_t k = 1; k < l->n_langs && !l->theme; k++) {
        if (per[k])
            continue;
        if (l->untranslated)
            l->untranslated[k]++;
        if (!l->optional)
            diag_warning(d, at.file, at.line, at.col, "no %s (%s) text for this value", i18n_lang_name(l->langs[k]),
                         l->langs[k]);
    }
    return per[0];
}
