/* build: runs the pipeline load -> model -> render -> write for one site. */
#ifndef KK_BUILD_H
#define KK_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "0-base/diag.h"

/* What one build leaves for the next in the same process (serve): each
 * page's input fingerprint and content, and the output folder's manifest.
 * A build given a cache renders only the pages whose inputs changed and
 * writes only the files whose bytes changed, in place (each file replaced
 * atomically); the first build with an empty cache is a full build. */
typedef struct build_cache build_cache;
build_cache *build_cache_new(void);
void build_cache_free(build_cache *c);

typedef struct {
    const char *src_dir;  /* the site's root (site.yaml, content/, layouts/) */
    const char *out_dir;  /* where the finished site goes */
    const char *base_url; /* overrides site.yaml when not NULL */
    bool drafts;          /* include pages marked 'draft: true' */
    bool write;           /* false: load, validate and render, write nothing (`check`) */
    /* The diagram cache's folder (--cache); NULL: under $XDG_CACHE_HOME (see
     * load/dcache.h). A build that writes nothing reads it but adds nothing. */
    const char *diagram_cache;
    build_cache *cache;   /* incremental builds (serve); NULL: a full build */
    /* With a cache: the source files (paths from src_dir) saved since the
     * last build, when known (serve's watcher). When they are content pages
     * whose text alone changed, the build patches just those pages; NULL:
     * unknown, so everything is read again. */
    const char *const *changed;
    size_t n_changed;
} build_options;

typedef struct {
    size_t pages;    /* HTML pages rendered from content */
    size_t files;    /* every file written, pages included */
    size_t diagrams; /* diagrams drawn */
    size_t layouts;  /* of which laid out by Graphviz (the rest came from the cache) */
    size_t cache_hits;
    size_t rendered; /* pages rendered this time (the rest were unchanged, from the cache) */
    size_t written;  /* files written this time (the rest were unchanged) */
    double ms;       /* wall time */
} build_stats;

/* Builds the site. Every diagnostic goes to d. Returns true when there were
 * no errors (and, when writing, the new site is in place); on false the
 * previous output folder is untouched. */
bool build_run(const build_options *o, diag_list *d, build_stats *st);

#endif
