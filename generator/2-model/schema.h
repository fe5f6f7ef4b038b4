/* schema: small checks of loaded YAML values against what a field expects,
 * each failure reported at the value's own file:line:col; the key tables of
 * site.yaml, front matter and diagram definitions; and the JSON Schema
 * (draft-07) builders that `kasikirja schema` writes from the same tables
 * (the model's entity tables are in model.c, written by model_schema). */
#ifndef KK_SCHEMA_H
#define KK_SCHEMA_H

#include <stdbool.h>

#include "../0-base/buf.h"
#include "../0-base/diag.h"
#include "../0-base/value.h"

/* Reports every key of map not in known (a NULL-terminated list) as
 * "unknown key 'x' in <where> (did you mean 'y'?)" or with the list of
 * allowed keys. Returns true when all keys are known. */
bool schema_known_keys(const val *map, const char *const *known, const char *where, diag_list *d);

/* The text of map[key]: strings as they are, numbers and booleans as
 * written-out text. Returns NULL when absent (an error when required, at
 * the map's position) or when it is a list or mapping (an error at the value).
 * A number or boolean is replaced in map by its text, so the result stays valid. */
const char *schema_text(val *map, const char *key, bool required, const char *where,
                        diag_list *d);
/* map[key] as a boolean; dflt when absent; an error when it is not true/false. */
bool schema_bool(const val *map, const char *key, bool dflt, diag_list *d);
/* map[key] as a whole number; dflt when absent; an error otherwise. */
double schema_int(const val *map, const char *key, double dflt, diag_list *d);

/* {====== Key tables ======
 * What the keys of one YAML mapping may hold, for the validator (which keys
 * are known; enums' values) and for the JSON Schema of the same mapping. */
typedef enum {
    SK_TEXT,    /* any scalar, read as text (schema_text) */
    SK_LOC_TEXT, /* a reader's text: a scalar, or one per language {fi: …, sv: …} (loc.h) */
    SK_BOOL,    /* true or false */
    SK_INT,     /* a whole number */
    SK_ENUM,    /* one of values */
    SK_STRING,  /* text matching pattern (anchored, ECMA 262) */
    SK_REF,     /* an id of something else (not checked by a schema) */
    SK_REFS,    /* a list of ids */
    SK_PATHS,   /* a text or a list of texts matching pattern */
    SK_FREE,    /* a mapping of free keys */
    SK_OBJECTS, /* a list of mappings, each of table sub */
    SK_ENUM_MAP, /* a mapping whose keys are values, each value matching pattern */
} schema_kind;

typedef struct schema_table schema_table;

typedef struct {
    const char *key;
    schema_kind kind;
    bool required;
    const char *const *values;  /* SK_ENUM, SK_ENUM_MAP: NULL-terminated */
    const char *pattern;        /* SK_STRING, SK_PATHS, SK_ENUM_MAP */
    const char *desc;           /* Finnish, for editors */
    const schema_table *sub;    /* SK_OBJECTS */
} schema_key;

struct schema_table {
    const char *where;      /* "site.yaml", "a menu entry" (messages) */
    const char *desc;       /* Finnish */
    const schema_key *keys; /* ended by an entry with key NULL */
    bool open;              /* other keys are allowed (front matter) */
};

/* The key's entry in t, or NULL. */
const schema_key *schema_key_of(const schema_table *t, const char *key);
/* t's keys into out (at most cap - 1 of them), NULL-terminated; returns how many. */
size_t schema_table_keys(const schema_table *t, const char **out, size_t cap);
/* schema_known_keys with t's keys; true (and nothing reported) for an open table. */
bool schema_check_keys(const val *map, const schema_table *t, diag_list *d);
/* } */

/* {====== JSON Schema (draft-07) ======
 * Schemas are built as value trees (maps keep their order) and written out
 * with schema_json. Every builder returns a new tree the caller owns. */
#define SCHEMA_DRAFT "http://json-schema.org/draft-07/schema#"
/* The schema of one key of t (with its description). */
val *schema_of_key(const schema_key *k);
/* The schema of a mapping of t's keys: properties, required, and
 * additionalProperties false unless t is open. */
val *schema_of_table(const schema_table *t);
/* {"type": …}: one name or a list of names separated by spaces ("string number"). */
val *schema_type(const char *types);
/* {"type": "string", "pattern": pattern}. */
val *schema_pattern(const char *pattern);
/* {"enum": values} (NULL-terminated); with_null adds null. */
val *schema_enum(const char *const *values, bool with_null);
/* {"type": "array", "items": items}. */
val *schema_array(val *items);
/* {"anyOf": [a, b]}. */
val *schema_any(val *a, val *b);
/* A reader's text: a scalar, or a mapping of language codes to texts (each not empty). */
val *schema_loc_text(void);
/* Lets s be null too (an optional key left empty, 'key:'), and returns s. */
val *schema_nullable(val *s);
/* Sets s's "description" to desc (first, when s is empty). */
val *schema_describe(val *s, const char *desc);
/* A document: $schema, $id-less title and description, then root's keys. */
val *schema_document(const char *title, const char *desc, val *root);
/* The tree as pretty JSON (two-space indents), with a final newline. */
void schema_json(const val *v, buf_t *out);
/* } */

#endif
