/* build_cache: what one build leaves for the next in the same process
 * (serve): the fingerprint and text of every output, the output folder's
 * manifest, and the whole loaded, resolved site of the last good build, so
 * that a save that changes one page's text is a patch, not a build. */
#ifndef KK_BUILD_CACHE_H
#define KK_BUILD_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "0-base/strmap.h"
#include "build.h"
#include "3-extend/hooks.h"
#include "hook_api.h"
#include "1-load/source.h"
#include "2-model/model.h"
#include "2-model/site.h"
#include "4-render/diagrams.h"
#include "4-render/mustache.h"
#include "4-render/page_render.h"
#include "5-write/output.h"

/* What one output of a build was made from, and a page's own text for the
 * search index. */
typedef struct {
    uint64_t sig;
    char *content;  /* owned; may be NULL */
    size_t len;
    size_t slot;    /* index in its table's all[] */
    char **anchors; /* a generated page's ids (page_anchors), for when it is skipped */
    size_t n_anchors;
} build_cache_entry;

/* The outputs of one build by output path. A small value type: callers
 * keep one on the stack between build_cache_table_init and _free. */
typedef struct {
    strmap *index; /* output path -> build_cache_entry* */
    build_cache_entry **all;
    size_t n, cap;
} build_cache_table;

void build_cache_table_init(build_cache_table *t);
void build_cache_table_free(build_cache_table *t);
/* path's entry, borrowed; NULL when there is none (or t is NULL). */
const build_cache_entry *build_cache_table_get(const build_cache_table *t, const char *path);
/* Sets path's fingerprint and content (content owned; may be NULL),
 * replacing what was there; returns the entry (borrowed). */
build_cache_entry *build_cache_table_put(build_cache_table *t, const char *path, uint64_t sig, char *content,
                                         size_t len);
/* Moves the entry of path from src to dst (src no longer frees it); a no-op
 * when they are the same table (a patch updates the table in place). */
void build_cache_table_move(build_cache_table *dst, build_cache_table *src, const char *path);

/* The loaded, resolved site of a build, as serve keeps it (all owned). */
typedef struct {
    src_tree *src;
    model *m;
    mustache_lib *lib;
    void *env;         /* the context of site_options.expand (malloc'd, freed with free) */
    site *s;
    diagrams *dg;
    hooks *h;
    val *pages;
    hook_env *he;      /* the hooks' API context (their lambdas may call it while pages render) */
    uint64_t data_hash, hooks_hash; /* of the sources, for the fingerprints */
    strmap *hashes;    /* source path -> uint64_t* of its bytes as built */
    uint64_t *hash_values;
    size_t n_pages;    /* pages of the last build (booklets included) */
    char *out_dir;
} build_state;

/* Frees what b holds. */
void build_state_clear(build_state *b);

/* The output folder's manifest and the outputs of the last successful
 * build (borrowed). */
out_manifest *build_cache_manifest(build_cache *c);
build_cache_table *build_cache_done(build_cache *c);
/* A build succeeded: made (emptied) holds its outputs from now on. */
void build_cache_commit(build_cache *c, build_cache_table *made);
/* Keeps the site of a committed build for the next save (takes what kept
 * holds); build_cache_forget drops it (a failed or a full build). */
void build_cache_keep(build_cache *c, const build_state *kept, const char *out_dir, size_t n_pages);
void build_cache_forget(build_cache *c);

/* A fingerprint of every source file of one kind. */
uint64_t build_cache_hash_sources(const src_tree *src, src_kind k);

typedef enum { BUILD_PATCH_DONE, BUILD_PATCH_FAILED, BUILD_PATCH_NONE } build_patch;

/* Serve's short way: when the saved files (o->changed) are content pages
 * whose text alone changed, those pages are patched into the kept site,
 * rendered and written with their search shards and booklets; nothing else
 * is read, parsed or written. BUILD_PATCH_NONE when the change is of
 * another kind (a full build follows; the kept site is dropped);
 * BUILD_PATCH_DONE also when nothing changed at all. */
build_patch build_cache_patch(build_cache *c, const build_options *o, diag_list *d, build_stats *st);

#endif
