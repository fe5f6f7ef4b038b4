/* schema: small checks of loaded YAML values against what a field expects,
 * each failure reported at the value's own file:line:col. */
#ifndef KK_SCHEMA_H
#define KK_SCHEMA_H

#include <stdbool.h>

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

#endif
