/* schema: field checks with positions and hints. */
#include "schema.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/buf.h"
#include "../0-base/json.h"
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

/* {====== Key tables ====== */

const schema_key *schema_key_of(const schema_table *t, const char *key)
{
    for (const schema_key *k = t->keys; k->key; k++)
        if (!strcmp(k->key, key))
            return k;
    return NULL;
}

size_t schema_table_keys(const schema_table *t, const char **out, size_t cap)
{
    size_t n = 0;
    for (const schema_key *k = t->keys; k->key && n + 1 < cap; k++)
        out[n++] = k->key;
    out[n] = NULL;
    return n;
}

bool schema_check_keys(const val *map, const schema_table *t, diag_list *d)
{
    if (t->open)
        return true;
    const char *known[32];
    schema_table_keys(t, known, sizeof known / sizeof *known);
    return schema_known_keys(map, known, t->where, d);
}

/* } */

/* {====== JSON Schema ====== */

static const src_pos nowhere = {0};

val *schema_type(const char *types)
{
    val *s = val_map(nowhere);
    if (!strchr(types, ' ')) {
        val_set_str(s, "type", types);
        return s;
    }
    val *list = val_list(nowhere);
    for (const char *p = types; *p;) {
        size_t n = strcspn(p, " ");
        val_push(list, val_strn(p, n, nowhere));
        p += n + (p[n] == ' ');
    }
    val_set(s, "type", list);
    return s;
}

val *schema_pattern(const char *pattern)
{
    val *s = schema_type("string");
    val_set_str(s, "pattern", pattern);
    return s;
}

val *schema_enum(const char *const *values, bool with_null)
{
    val *s = val_map(nowhere);
    val *list = val_list(nowhere);
    for (size_t i = 0; values[i]; i++)
        val_push(list, val_str(values[i], nowhere));
    if (with_null)
        val_push(list, val_null(nowhere));
    val_set(s, "enum", list);
    return s;
}

val *schema_array(val *items)
{
    val *s = schema_type("array");
    val_set(s, "items", items);
    return s;
}

val *schema_any(val *a, val *b)
{
    val *s = val_map(nowhere);
    val *list = val_list(nowhere);
    val_push(list, a);
    val_push(list, b);
    val_set(s, "anyOf", list);
    return s;
}

val *schema_loc_text(void)
{
    val *one = schema_type("string");
    val_set_str(one, "pattern", "\\S");
    val *per = schema_type("object");
    val_set(per, "propertyNames", schema_pattern("^[a-z]{2,3}$")); /* language codes */
    val_set(per, "minProperties", val_num(1, nowhere));
    val_set(per, "additionalProperties", one);
    return schema_any(schema_type("string number boolean"), per);
}

val *schema_nullable(val *s)
{
    val *type = val_get(s, "type"), *en = val_get(s, "enum"), *any = val_get(s, "anyOf");
    if (en) {
        val_push(en, val_null(nowhere));
    } else if (any) {
        val_push(any, schema_type("null"));
    } else if (type && val_kind_of(type) == VAL_STR) {
        val *list = val_list(nowhere);
        val_push(list, val_str(val_as_str(type), nowhere));
        val_push(list, val_str("null", nowhere));
        val_replace(s, "type", list);
    } else if (type) {
        val_push(type, val_str("null", nowhere));
    }
    return s;
}

val *schema_describe(val *s, const char *desc)
{
    if (!desc)
        return s;
    /* The description first, where an editor's reader looks. */
    val *out = val_map(nowhere);
    val_set_str(out, "description", desc);
    for (size_t i = 0; i < val_len(s); i++)
        val_set(out, val_key_at(s, i), val_copy(val_at(s, i)));
    val_free(s);
    return out;
}

val *schema_of_key(const schema_key *k)
{
    val *s;
    switch (k->kind) {
    case SK_BOOL: s = schema_type("boolean"); break;
    case SK_INT: s = schema_type("integer"); break;
    case SK_LOC_TEXT: s = schema_loc_text(); break;
    case SK_ENUM: s = schema_enum(k->values, false); break;
    case SK_STRING: s = schema_pattern(k->pattern); break;
    case SK_REF: s = schema_type("string number"); break;
    case SK_REFS: s = schema_array(schema_type("string number")); break;
    case SK_PATHS: s = schema_any(schema_pattern(k->pattern), schema_array(schema_pattern(k->pattern))); break;
    case SK_FREE: s = schema_type("object"); break;
    case SK_OBJECTS: s = schema_array(schema_of_table(k->sub)); break;
    case SK_ENUM_MAP: {
        s = schema_type("object");
        val_set(s, "propertyNames", schema_enum(k->values, false));
        val_set(s, "additionalProperties", schema_pattern(k->pattern));
        break;
    }
    default: s = schema_type("string number boolean"); break;
    }
    /* Text read with schema_text may be left empty when it is optional. */
    if (!k->required && (k->kind == SK_TEXT || k->kind == SK_LOC_TEXT || k->kind == SK_ENUM || k->kind == SK_STRING))
        schema_nullable(s);
    return schema_describe(s, k->desc);
}

val *schema_of_table(const schema_table *t)
{
    val *s = schema_type("object");
    if (t->desc)
        s = schema_describe(s, t->desc);
    val *props = val_map(nowhere), *req = val_list(nowhere);
    for (const schema_key *k = t->keys; k->key; k++) {
        val_set(props, k->key, schema_of_key(k));
        if (k->required)
            val_push(req, val_str(k->key, nowhere));
    }
    val_set(s, "properties", props);
    if (val_len(req))
        val_set(s, "required", req);
    else
        val_free(req);
    val_set(s, "additionalProperties", val_bool(t->open, nowhere));
    return s;
}

val *schema_document(const char *title, const char *desc, val *root)
{
    val *doc = val_map(nowhere);
    val_set_str(doc, "$schema", SCHEMA_DRAFT);
    val_set_str(doc, "title", title);
    if (desc)
        val_set_str(doc, "description", desc);
    for (size_t i = 0; i < val_len(root); i++)
        if (strcmp(val_key_at(root, i), "description") || !desc)
            val_set(doc, val_key_at(root, i), val_copy(val_at(root, i)));
    val_free(root);
    return doc;
}

static void indent(buf_t *out, int depth)
{
    buf_putc(out, '\n');
    for (int i = 0; i < depth; i++)
        buf_puts(out, "  ");
}

static void put_json(const val *v, buf_t *out, int depth)
{
    switch (val_kind_of(v)) {
    case VAL_BOOL: buf_puts(out, val_as_bool(v) ? "true" : "false"); break;
    case VAL_NUM: {
        char *t = val_to_text(v);
        buf_puts(out, t);
        free(t);
        break;
    }
    case VAL_STR: json_put_string(out, val_as_str(v), val_str_len(v)); break;
    case VAL_LIST: {
        /* Short lists of scalars on one line (enums, types). */
        bool flat = true;
        for (size_t i = 0; i < val_len(v) && flat; i++)
            flat = val_kind_of(val_at(v, i)) != VAL_LIST && val_kind_of(val_at(v, i)) != VAL_MAP;
        buf_putc(out, '[');
        for (size_t i = 0; i < val_len(v); i++) {
            if (i)
                buf_putc(out, ',');
            if (flat)
                buf_puts(out, i ? " " : "");
            else
                indent(out, depth + 1);
            put_json(val_at(v, i), out, depth + 1);
        }
        if (!flat && val_len(v))
            indent(out, depth);
        buf_putc(out, ']');
        break;
    }
    case VAL_MAP: {
        buf_putc(out, '{');
        for (size_t i = 0; i < val_len(v); i++) {
            buf_puts(out, i ? "," : "");
            indent(out, depth + 1);
            const char *k = val_key_at(v, i);
            json_put_string(out, k, strlen(k));
            buf_puts(out, ": ");
            put_json(val_at(v, i), out, depth + 1);
        }
        if (val_len(v))
            indent(out, depth);
        buf_putc(out, '}');
        break;
    }
    default: buf_puts(out, "null"); break;
    }
}

void schema_json(const val *v, buf_t *out)
{
    put_json(v, out, 0);
    buf_putc(out, '\n');
}

/* } */
