/* schema: field checks with positions and hints. */
#include "schema.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/buf.h"
#include "../0-base/xmem.h"

bool schema_known_keys(const val *map, const char *const *known, const char *where, diag_list *d)
{
    bool ok = true;
    size_t n_known = 0;
    while (known[n_known])
        n_known++;
    for (size_t i = 0; i < val_len(map); i++) {
        const char *key = val_key_at(map, i);
        bool found = false;
        for (size_t k = 0; k < n_known && !found; k++)
            found = !strcmp(key, known[k]);
        if (found)
            continue;
        ok = false;
        src_pos at = val_key_pos(map, i);
        const char *hint = diag_suggest(key, known, n_known);
        if (hint) {
            diag_error(d, at.file, at.line, at.col, "unknown key '%s' in %s (did you mean '%s'?)",
                       key, where, hint);
        } else {
            buf_t b = BUF_INIT;
            for (size_t k = 0; k < n_known; k++)
                buf_printf(&b, "%s%s", k ? ", " : "", known[k]);
            diag_error(d, at.file, at.line, at.col, "unknown key '%s' in %s (known keys: %s)", key,
                       where, buf_cstr(&b));
            buf_free(&b);
        }
    }
    return ok;
}

/* Scalars keep a text form here so that `title: 2023` is still a title. */
const char *schema_text(val *map, const char *key, bool required, const char *where,
                        diag_list *d)
{
    val *v = val_get(map, key);
    if (!v || val_kind_of(v) == VAL_NULL) {
        if (required) {
            src_pos at = val_pos(map);
            diag_error(d, at.file, at.line, at.col, "%s has no '%s': add a line '%s: …'", where, key,
                       key);
        }
        return NULL;
    }
    switch (val_kind_of(v)) {
    case VAL_STR: return val_as_str(v);
    case VAL_LIST:
    case VAL_MAP: {
        src_pos at = val_pos(v);
        diag_error(d, at.file, at.line, at.col, "'%s' must be text, not a %s", key,
                   val_kind_of(v) == VAL_LIST ? "list" : "mapping");
        return NULL;
    }
    default: {
        /* Replace the number or boolean by its text once, so the pointer stays valid. */
        char *text = val_to_text(v);
        val_replace(map, key, val_str_own(text, strlen(text), val_pos(v)));
        return val_get_str(map, key);
    }
    }
}

bool schema_bool(const val *map, const char *key, bool dflt, diag_list *d)
{
    val *v = val_get(map, key);
    if (!v)
        return dflt;
    if (val_kind_of(v) != VAL_BOOL) {
        src_pos at = val_pos(v);
        diag_error(d, at.file, at.line, at.col, "'%s' must be true or false", key);
        return dflt;
    }
    return val_as_bool(v);
}

double schema_int(const val *map, const char *key, double dflt, diag_list *d)
{
    val *v = val_get(map, key);
    if (!v)
        return dflt;
    double n = val_as_num(v);
    if (val_kind_of(v) != VAL_NUM || n != floor(n)) {
        src_pos at = val_pos(v);
        diag_error(d, at.file, at.line, at.col, "'%s' must be a whole number, e.g. '%s: 10'", key,
                   key);
        return dflt;
    }
    return n;
}
