/* publish: the rendering stage run over the whole site and handed to the
 * writer: pages in parallel batches, the search shards, the sitemap, the
 * booklets, calendars, charts, hook files and static files. In a build with
 * a cache, outputs whose fingerprint did not change are kept, not
 * rendered (see build_cache.h). */
#ifndef KK_PUBLISH_H
#define KK_PUBLISH_H

#include <stdint.h>

#include "0-base/diag.h"
#include "build.h"
#include "build_cache.h"
#include "hook_api.h"
#include "1-load/source.h"
#include "2-model/site.h"
#include "4-render/diagrams.h"
#include "4-render/mustache.h"
#include "4-render/page_render.h"
#include "5-write/output.h"

/* What rendering needs of the cache: the outputs of the last build (moved
 * over when unchanged; NULL: render everything) and those of this one (NULL:
 * not serving, nothing is remembered). */
typedef struct {
    build_cache_table *last;
    build_cache_table *made;
    uint64_t data_hash, hooks_hash; /* of the sources, for the fingerprints (with made) */
} publish_memo;

/* One publishing run; everything borrowed. */
typedef struct {
    site *s;
    const mustache_lib *lib;
    const diagrams *dg;
    const val *lambdas;         /* the hooks' Mustache lambdas, or NULL */
    const render_dates *dates;
    const hook_env *he;         /* files the hooks wrote (may be NULL) */
    const src_tree *src;        /* its static files are copied */
    out_tree *out;              /* NULL: render, write nothing (`check`) */
    publish_memo memo;
} publish_options;

/* The build date: SOURCE_DATE_EPOCH when set (reproducible builds), else today. */
void publish_date(char out[16]);

/* When each page's content last changed: one history walk over the files
 * that count as content (pages, data, diagram definitions), no date past
 * SOURCE_DATE_EPOCH. Caller frees with render_dates_free. */
render_dates *publish_dates(const char *root, const src_tree *src, const site *s, const mustache_lib *lib,
                            const diagrams *dg, diag_list *d);

/* Tells the site every address publish_site writes besides its pages (404,
 * sitemap, calendars, charts, booklets), so that links may lead to them:
 * the same table of site-wide files that writes them. Before site_resolve. */
void publish_declare(site *s, const mustache_lib *lib, const diagrams *dg);

/* Renders every output of the site and writes it to o->out. */
void publish_site(const publish_options *o, diag_list *d, build_stats *st);

/* Renders and writes the pages patched into the site (o->memo.last and
 * .made are the same table, updated in place), the search shards of their
 * sections, the sitemap and the booklets. */
void publish_patch(const publish_options *o, page *const *pages, size_t n, diag_list *d, build_stats *st);

#endif
