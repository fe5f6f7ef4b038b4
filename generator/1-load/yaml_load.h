/* yaml_load: parses YAML text (libyaml) into a value tree whose every node
 * carries its file:line:col. */
#ifndef KK_YAML_LOAD_H
#define KK_YAML_LOAD_H

#include <stddef.h>

#include "../0-base/diag.h"
#include "../0-base/value.h"

/* Parses the first document of src[0..len). path is borrowed and stored in
 * every value's position (it must outlive the tree); line_offset is added to
 * every line (for front matter that starts below line 1). Plain scalars are
 * resolved as in the YAML 1.2 core schema (null, true/false, numbers);
 * quoted and block scalars stay strings. Duplicate keys and syntax errors
 * are reported to d. Returns the tree (caller frees with val_free), a null
 * value for an empty document, or NULL after an error. */
val *yaml_load(const char *src, size_t len, const char *path, int line_offset, diag_list *d);

#endif
