/* value: a small tagged tree with source positions. */
#include "value.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "xmem.h"

typedef struct {
    char *key;
    src_pos pos;
    val *v;
} map_entry;

struct val {
    val_kind kind;
    bool is_ref;
    src_pos pos;
    union {
        bool b;
        double n;
        struct {
            char *s;
            size_t len;
        } str;
        struct {
            val **items;
            size_t len, cap;
        } list;
        struct {
            map_entry *items;
            size_t len, cap;
        } map;
        const val *target;
        struct {
            val_fn fn;
            void *ud;
            void (*free_ud)(void *);
        } func;
    } u;
};

static val *alloc(val_kind k, src_pos pos)
{
    val *v = xcalloc(1, sizeof(val));
    v->kind = k;
    v->pos = pos;
    return v;
}

static const val *deref(const val *v)
{
    while (v && v->is_ref)
        v = v->u.target;
    return v;
}

val *val_null(src_pos pos) { return alloc(VAL_NULL, pos); }

val *val_bool(bool b, src_pos pos)
{
    val *v = alloc(VAL_BOOL, pos);
    v->u.b = b;
    return v;
}

val *val_num(double n, src_pos pos)
{
    val *v = alloc(VAL_NUM, pos);
    v->u.n = n;
    return v;
}

val *val_str_own(char *s, size_t len, src_pos pos)
{
    val *v = alloc(VAL_STR, pos);
    v->u.str.s = s;
    v->u.str.len = len;
    return v;
}

val *val_strn(const char *s, size_t len, src_pos pos)
{
    return val_str_own(xstrndup(s, len), len, pos);
}

val *val_str(const char *s, src_pos pos)
{
    return val_strn(s, strlen(s), pos);
}

val *val_list(src_pos pos) { return alloc(VAL_LIST, pos); }

val *val_func(val_fn fn, void *ud, void (*free_ud)(void *), src_pos pos)
{
    val *v = alloc(VAL_FUNC, pos);
    v->u.func.fn = fn;
    v->u.func.ud = ud;
    v->u.func.free_ud = free_ud;
    return v;
}

char *val_call(const val *v, const char *raw, char **err)
{
    v = deref(v);
    *err = NULL;
    if (!v || v->kind != VAL_FUNC) {
        *err = xstrdup("not a lambda");
        return NULL;
    }
    return v->u.func.fn(v->u.func.ud, raw, err);
}

const val *val_target(const val *v)
{
    return deref(v);
}
val *val_map(src_pos pos) { return alloc(VAL_MAP, pos); }

val *val_ref(const val *target)
{
    const val *t = deref(target);
    val *v = alloc(t ? t->kind : VAL_NULL, t ? t->pos : (src_pos){0});
    v->is_ref = true;
    v->u.target = t;
    return v;
}

val *val_copy(const val *v)
{
    if (!v)
        return NULL;
    if (v->is_ref)
        return val_ref(v->u.target);
    switch (v->kind) {
    case VAL_NULL: return val_null(v->pos);
    case VAL_BOOL: return val_bool(v->u.b, v->pos);
    case VAL_NUM: return val_num(v->u.n, v->pos);
    case VAL_STR: return val_strn(v->u.str.s, v->u.str.len, v->pos);
    case VAL_FUNC: return val_func(v->u.func.fn, v->u.func.ud, NULL, v->pos); /* the copy does not own ud */
    case VAL_LIST: {
        val *c = val_list(v->pos);
        for (size_t i = 0; i < v->u.list.len; i++)
            val_push(c, val_copy(v->u.list.items[i]));
        return c;
    }
    case VAL_MAP: {
        val *c = val_map(v->pos);
        for (size_t i = 0; i < v->u.map.len; i++)
            val_set_at(c, v->u.map.items[i].key, v->u.map.items[i].pos,
                       val_copy(v->u.map.items[i].v));
        return c;
    }
    }
    return NULL;
}

void val_free(val *v)
{
    if (!v)
        return;
    if (!v->is_ref) {
        switch (v->kind) {
        case VAL_STR: free(v->u.str.s); break;
        case VAL_FUNC:
            if (v->u.func.free_ud)
                v->u.func.free_ud(v->u.func.ud);
            break;
        case VAL_LIST:
            for (size_t i = 0; i < v->u.list.len; i++)
                val_free(v->u.list.items[i]);
            free(v->u.list.items);
            break;
        case VAL_MAP:
            for (size_t i = 0; i < v->u.map.len; i++) {
                free(v->u.map.items[i].key);
                val_free(v->u.map.items[i].v);
            }
            free(v->u.map.items);
            break;
        default: break;
        }
    }
    free(v);
}

val_kind val_kind_of(const val *v)
{
    v = deref(v);
    return v ? v->kind : VAL_NULL;
}

src_pos val_pos(const val *v)
{
    return v ? v->pos : (src_pos){0};
}

bool val_as_bool(const val *v)
{
    v = deref(v);
    return v && v->kind == VAL_BOOL && v->u.b;
}

double val_as_num(const val *v)
{
    v = deref(v);
    return v && v->kind == VAL_NUM ? v->u.n : 0.0;
}

const char *val_as_str(const val *v)
{
    v = deref(v);
    return v && v->kind == VAL_STR ? v->u.str.s : NULL;
}

size_t val_str_len(const val *v)
{
    v = deref(v);
    return v && v->kind == VAL_STR ? v->u.str.len : 0;
}

size_t val_len(const val *v)
{
    v = deref(v);
    if (!v)
        return 0;
    if (v->kind == VAL_LIST)
        return v->u.list.len;
    if (v->kind == VAL_MAP)
        return v->u.map.len;
    return 0;
}

val *val_at(const val *v, size_t i)
{
    v = deref(v);
    if (!v)
        return NULL;
    if (v->kind == VAL_LIST)
        return i < v->u.list.len ? v->u.list.items[i] : NULL;
    if (v->kind == VAL_MAP)
        return i < v->u.map.len ? v->u.map.items[i].v : NULL;
    return NULL;
}

const char *val_key_at(const val *v, size_t i)
{
    v = deref(v);
    return v && v->kind == VAL_MAP && i < v->u.map.len ? v->u.map.items[i].key : NULL;
}

src_pos val_key_pos(const val *v, size_t i)
{
    v = deref(v);
    return v && v->kind == VAL_MAP && i < v->u.map.len ? v->u.map.items[i].pos : (src_pos){0};
}

val *val_get(const val *map, const char *key)
{
    map = deref(map);
    if (!map || map->kind != VAL_MAP)
        return NULL;
    for (size_t i = 0; i < map->u.map.len; i++)
        if (strcmp(map->u.map.items[i].key, key) == 0)
            return map->u.map.items[i].v;
    return NULL;
}

const char *val_get_str(const val *map, const char *key)
{
    return val_as_str(val_get(map, key));
}

void val_push(val *list, val *item)
{
    if (list->kind != VAL_LIST || list->is_ref) {
        val_free(item);
        return;
    }
    if (list->u.list.len == list->u.list.cap) {
        list->u.list.cap = list->u.list.cap ? list->u.list.cap * 2 : 4;
        list->u.list.items = xrealloc(list->u.list.items, list->u.list.cap * sizeof(val *));
    }
    list->u.list.items[list->u.list.len++] = item;
}

void val_set_at(val *map, const char *key, src_pos key_pos, val *v)
{
    if (map->kind != VAL_MAP || map->is_ref) {
        val_free(v);
        return;
    }
    for (size_t i = 0; i < map->u.map.len; i++) {
        if (strcmp(map->u.map.items[i].key, key) == 0) {
            val_free(map->u.map.items[i].v);
            map->u.map.items[i].v = v;
            map->u.map.items[i].pos = key_pos;
            return;
        }
    }
    if (map->u.map.len == map->u.map.cap) {
        map->u.map.cap = map->u.map.cap ? map->u.map.cap * 2 : 4;
        map->u.map.items = xrealloc(map->u.map.items, map->u.map.cap * sizeof(map_entry));
    }
    map_entry *e = &map->u.map.items[map->u.map.len++];
    e->key = xstrdup(key);
    e->pos = key_pos;
    e->v = v;
}

bool val_replace(val *map, const char *key, val *v)
{
    for (size_t i = 0; map->kind == VAL_MAP && !map->is_ref && i < map->u.map.len; i++) {
        if (strcmp(map->u.map.items[i].key, key) == 0) {
            val_free(map->u.map.items[i].v);
            map->u.map.items[i].v = v;
            return true;
        }
    }
    val_free(v);
    return false;
}

void val_set(val *map, const char *key, val *v)
{
    val_set_at(map, key, val_pos(v), v);
}

void val_set_str(val *map, const char *key, const char *s)
{
    val_set(map, key, val_str(s, (src_pos){0}));
}

char *val_to_text(const val *v)
{
    v = deref(v);
    if (!v)
        return xstrdup("");
    switch (v->kind) {
    case VAL_BOOL: return xstrdup(v->u.b ? "true" : "false");
    case VAL_NUM: {
        double n = v->u.n;
        if (isfinite(n) && n == floor(n) && fabs(n) < 1e15)
            return xasprintf("%.0f", n);
        return xasprintf("%.15g", n);
    }
    case VAL_STR: return xstrndup(v->u.str.s, v->u.str.len);
    default: return xstrdup("");
    }
}

bool val_truthy(const val *v)
{
    v = deref(v);
    if (!v)
        return false;
    switch (v->kind) {
    case VAL_NULL: return false;
    case VAL_BOOL: return v->u.b;
    case VAL_LIST: return v->u.list.len > 0;
    default: return true;
    }
}

uint64_t val_hash(const val *v, uint64_t h, int ref_depth)
{
    bool ref = v && v->is_ref;
    v = deref(v);
    if (ref && ref_depth <= 0) {
        /* Past the depth: what the reference names, not what it holds. */
        return hash_str(hash_u64(h, 'R'), val_get_str(v, "id"));
    }
    if (ref)
        ref_depth--;
    h = hash_u64(h, v ? (uint64_t)v->kind : 0xff);
    if (!v)
        return h;
    switch (v->kind) {
    case VAL_NULL:
        return h;
    case VAL_BOOL:
        return hash_u64(h, v->u.b);
    case VAL_NUM: {
        uint64_t bits;
        memcpy(&bits, &v->u.n, sizeof bits);
        return hash_u64(h, bits);
    }
    case VAL_STR:
        return hash_bytes(h, v->u.str.s, v->u.str.len);
    case VAL_LIST:
        for (size_t i = 0; i < v->u.list.len; i++)
            h = val_hash(v->u.list.items[i], h, ref_depth);
        return hash_u64(h, v->u.list.len);
    case VAL_MAP:
        for (size_t i = 0; i < v->u.map.len; i++) {
            h = hash_str(h, v->u.map.items[i].key);
            h = val_hash(v->u.map.items[i].v, h, ref_depth);
        }
        return hash_u64(h, v->u.map.len);
    case VAL_FUNC:
        return hash_u64(h, (uint64_t)(uintptr_t)v->u.func.fn);
    }
    return h;
}

void val_files(const val *v, int ref_depth, void (*fn)(void *ud, const char *file), void *ud)
{
    bool ref = v && v->is_ref;
    v = deref(v);
    if (!v)
        return;
    if (v->pos.file)
        fn(ud, v->pos.file);
    if (ref && ref_depth <= 0)
        return; /* past the depth: what the reference names (its position), as in val_hash */
    if (ref)
        ref_depth--;
    if (v->kind == VAL_LIST)
        for (size_t i = 0; i < v->u.list.len; i++)
            val_files(v->u.list.items[i], ref_depth, fn, ud);
    else if (v->kind == VAL_MAP)
        for (size_t i = 0; i < v->u.map.len; i++)
            val_files(v->u.map.items[i].v, ref_depth, fn, ud);
}
