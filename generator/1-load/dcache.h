/* dcache: reading the diagram cache, laid-out SVG kept between builds by a
 * key (graph.c's hash of the DOT text, title, description, font and
 * Graphviz version). The cache lives outside the sources: --cache DIR, or
 * $XDG_CACHE_HOME/kasikirja/<16 hex of a hash of the site's absolute
 * path>/kaaviot ($HOME/.cache when XDG_CACHE_HOME is not set). Entries are
 * written by write/output.c's out_cache_store. */
#ifndef KK_DCACHE_H
#define KK_DCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "../0-base/buf.h"

/* The cache folder for the site at src_dir: override when not NULL, else
 * the default above; NULL when there is no home to put it in. Caller frees. */
char *dcache_dir(const char *src_dir, const char *override);

/* The file name of key's entry ("<16 hex>.svg") in name. */
void dcache_name(uint64_t key, char name[24]);

/* Appends the entry of key in dir to out; false when there is none (or it
 * cannot be read, or is not an SVG document). */
bool dcache_read(const char *dir, uint64_t key, buf_t *out);

#endif
