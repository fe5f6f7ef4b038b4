/* schemas: `kasikirja schema DIR` — one JSON Schema (draft-07, as the YAML
 * language server of editors reads it) per kind of YAML file, made from the
 * same key tables that validate the files (model.c, site.c, diagrams.c). */
#ifndef KK_SCHEMAS_H
#define KK_SCHEMAS_H

#include <stdbool.h>
#include <stddef.h>

#include "0-base/buf.h"
#include "0-base/diag.h"

/* The folder of a site where `init` writes them (the build reads only
 * site.yaml, content/, layouts/ and diagrams/, so it ignores this one). */
#define SCHEMAS_DIR "skeemat"
#define SCHEMAS_SUFFIX ".schema.json"

/* How many schemas there are, and the i-th one's name ("site", "toimijat",
 * "lait", "malli", "asiakirjat", "vuosikello", "vastuunjako", "sanasto",
 * "kaavio", "sivu"); NULL past the last. */
size_t schemas_count(void);
const char *schemas_name(size_t i);
/* The i-th schema as JSON into out; false past the last. */
bool schemas_json(size_t i, buf_t *out);
/* Writes every schema as dir/<name>.schema.json (dir made when missing),
 * never replacing a file (out_create). Returns how many were written; an
 * error naming dir when it cannot be written into, or each file not
 * written, in d. */
size_t schemas_write(const char *dir, diag_list *d);

#endif
