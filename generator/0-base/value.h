/* value: the one data tree of kasikirja. YAML files and front matter load into
 * it (each value carrying its source position), the model builds page and site
 * contexts from it, and Mustache layouts render it. */
#ifndef KK_VALUE_H
#define KK_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A source position: 1-based line and column; file is borrowed (the loader
 * keeps every path alive for as long as the site lives). line 0 = unknown. */
typedef struct {
    const char *file;
    int line;
    int col;
} src_pos;

typedef enum {
    VAL_NULL,
    VAL_BOOL,
    VAL_NUM,
    VAL_STR,
    VAL_LIST,
    VAL_MAP,
    VAL_FUNC, /* a lambda for Mustache (a Lua function) */
} val_kind;

typedef struct val val;

/* A lambda: called with the section's raw text (NULL for an interpolation
 * {{name}}); returns the text to render in its place as a template (malloc'd),
 * or NULL after an error (message in *err, malloc'd) — or with *err NULL for
 * "false" (nothing rendered). */
typedef char *(*val_fn)(void *ud, const char *raw, char **err);

/* Constructors. Every value is freed with val_free, which frees its children;
 * a value added to a list or map is owned by it. */
val *val_null(src_pos pos);
val *val_bool(bool b, src_pos pos);
val *val_num(double n, src_pos pos);
val *val_str(const char *s, src_pos pos);
val *val_strn(const char *s, size_t len, src_pos pos);
/* Takes ownership of s (a malloc'd NUL-terminated string). */
val *val_str_own(char *s, size_t len, src_pos pos);
val *val_list(src_pos pos);
val *val_map(src_pos pos);
/* A lambda; free_ud (may be NULL) is called on ud when the value is freed. */
val *val_func(val_fn fn, void *ud, void (*free_ud)(void *), src_pos pos);
/* Calls a VAL_FUNC (see val_fn); NULL with *err set when v is not one. */
char *val_call(const val *v, const char *raw, char **err);
/* The value a reference stands for (v itself when it is none): an identity
 * for memoising walks over trees that share nodes. */
const val *val_target(const val *v);
/* A borrowed alias: behaves as target in every accessor below, but val_free
 * does not free target. Lets a page context share the site's data without
 * copying; target must outlive the alias. */
val *val_ref(const val *target);
/* A deep copy (references are copied as references). */
val *val_copy(const val *v);
void val_free(val *v);

/* Accessors follow references. A NULL v reads as VAL_NULL. */
val_kind val_kind_of(const val *v);
src_pos val_pos(const val *v);
bool val_as_bool(const val *v);
double val_as_num(const val *v);
/* The string of a VAL_STR (borrowed), or NULL for other kinds. */
const char *val_as_str(const val *v);
size_t val_str_len(const val *v);
/* Number of items of a list or entries of a map; 0 otherwise. */
size_t val_len(const val *v);
/* The i-th list item or map value (borrowed), NULL when out of range. */
val *val_at(const val *v, size_t i);
/* The i-th map key and its position. */
const char *val_key_at(const val *v, size_t i);
src_pos val_key_pos(const val *v, size_t i);
/* The value under key in a map (borrowed), NULL when absent or not a map. */
val *val_get(const val *map, const char *key);
/* The string under key, or NULL. */
const char *val_get_str(const val *map, const char *key);

/* Appends item to list (takes ownership). */
void val_push(val *list, val *item);
/* Sets key in map to v (takes ownership; replaces and frees an old value;
 * the new entry keeps key_pos). */
void val_set(val *map, const char *key, val *v);
void val_set_at(val *map, const char *key, src_pos key_pos, val *v);
/* Replaces the value of an existing key, keeping the key's position (frees
 * the old value). Returns false (and frees v) when key is absent. */
bool val_replace(val *map, const char *key, val *v);
/* Sets key to a fresh string copied from s. */
void val_set_str(val *map, const char *key, const char *s);

/* Formats a scalar as text into a fresh string (caller frees): numbers
 * without trailing zeros (1.210 -> "1.21", 85 -> "85"), booleans as
 * "true"/"false", null as "". Lists and maps give "". */
char *val_to_text(const val *v);

/* A fingerprint of v's content (keys, values, kinds; not positions),
 * chained from h. References are followed ref_depth levels deep; past that
 * a reference counts by the id of what it names, so cycles end. */
uint64_t val_hash(const val *v, uint64_t h, int ref_depth);

/* Calls fn with the source file of every value that val_hash(v, …,
 * ref_depth) reaches (a reference past the depth: the file of what it
 * names), when the value has one; a file may come more than once. */
void val_files(const val *v, int ref_depth, void (*fn)(void *ud, const char *file), void *ud);

/* Mustache truthiness: false for null, false, and empty lists. */
bool val_truthy(const val *v);

#endif
