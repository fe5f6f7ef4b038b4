/* build: the pipeline, stage by stage; stops before writing after any error.
 * load -> model -> diagrams -> extend (hooks) -> resolve -> render and write
 * (publish); serve's cache between builds and its patches are build_cache. */
#include "build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "0-base/buf.h"
#include "0-base/clock.h"
#include "0-base/xmem.h"
#include "build_cache.h"
#include "3-extend/hooks.h"
#include "hook_api.h"
#include "1-load/dcache.h"
#include "1-load/source.h"
#include "2-model/model.h"
#include "2-model/site.h"
#include "publish.h"
#include "4-render/diagrams.h"
#include "4-render/graph.h"
#include "4-render/markdown.h"
#include "4-render/mustache.h"
#include "4-render/textm.h"
#include "5-write/output.h"

typedef struct {
    mustache_lib *lib;
    const model *model;
} expand_env;

/* Every layout, parsed once; template names are file names without
 * "layouts/" and ".mustache". */
static mustache_lib *load_layouts(const src_tree *src, diag_list *d)
{
    mustache_lib *lib = mustache_lib_new();
    for (size_t i = 0; i < src_count(src, SRC_LAYOUT); i++) {
        const src_file *f = src_at(src, SRC_LAYOUT, i);
        const char *rel = f->path + strlen("layouts/");
        char *name = xstrndup(rel, strlen(rel) - strlen(".mustache"));
        mustache_lib_add(lib, name, f->data, f->len, f->name, d);
        free(name);
    }
    mustache_lib_check(lib, d);
    return lib;
}

/* A Markdown page with 'mustache: true': its body is a template over the
 * data. Blank lines stand in for the front matter so that template errors,
 * and through map the Markdown's positions, point at the right line of the
 * file. */
static bool expand_page(void *ud, const char *path, size_t lang, const char *body, size_t len, int line_offset,
                        const val *site_data, const val *layout_pages, const val *meta, buf_t *out,
                        pos_map *map, diag_list *d)
{
    expand_env *env = ud;
    buf_t src = BUF_INIT;
    for (int i = 0; i < line_offset; i++)
        buf_putc(&src, '\n');
    buf_put(&src, body, len);
    bool ok = mustache_lib_add(env->lib, path, src.ptr, src.len, path, d);
    if (!ok) {
        buf_free(&src);
        return false;
    }
    val *ctx = val_map((src_pos){0});
    if (site_data)
        val_set(ctx, "site", val_ref(site_data));
    /* the model in the page's language (its texts, labels and catalog) */
    const model *m = env->model && model_lang(env->model, lang) ? model_lang(env->model, lang) : env->model;
    if (m) {
        val_set(ctx, "data", val_ref(model_data(m)));
        val_set(ctx, "t", val_ref(i18n_tree(model_i18n(m))));
    }
    /* The guide's examples: one entity of each sort (model_examples) and
     * sivut.<layout>, the address of the page with that index layout. */
    val *ex = val_map((src_pos){0});
    const val *mex = m ? model_examples(m) : NULL;
    for (size_t i = 0; i < val_len(mex); i++)
        val_set(ex, val_key_at(mex, i), val_ref(val_at(mex, i)));
    val_set(ex, "sivut", layout_pages ? val_ref(layout_pages) : val_map((src_pos){0}));
    val_set(ctx, "esimerkit", ex);
    val *pg = val_map((src_pos){0});
    val_set(pg, "params", val_ref(meta));
    val_set_str(pg, "title", val_get_str(meta, "title") ? val_get_str(meta, "title") : "");
    val_set(ctx, "page", pg);
    buf_t text = BUF_INIT;
    ok = mustache_render_map(env->lib, path, ctx, &text, map, d);
    /* Drop the stand-in lines again. */
    size_t skip = 0;
    while (skip < text.len && skip < (size_t)line_offset && text.ptr[skip] == '\n')
        skip++;
    size_t at = out->len;
    buf_put(out, text.ptr ? text.ptr + skip : "", text.len - skip);
    pos_map_finish(map, src.ptr, src.len, out->ptr + at, out->len - at, skip);
    buf_free(&src);
    buf_free(&text);
    val_free(ctx);
    return ok;
}

/* Stage times for profiling, with the peak memory so far: KASIKIRJA_TIMINGS=1
 * prints them to stderr. */
typedef struct {
    bool on;
    double last;
    buf_t line;
} stage_clock;

static void stage(stage_clock *c, const char *name)
{
    if (!c->on)
        return;
    double t = clock_now_ms();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    buf_printf(&c->line, " %s %.1f (%ld MB)", name, t - c->last, ru.ru_maxrss / 1024);
    c->last = t;
}

/* Prints the stage times (KASIKIRJA_TIMINGS=1) and the build's wall time. */
static void stage_end(stage_clock *c, double t0, build_stats *st)
{
    if (c->on)
        fprintf(stderr, "kasikirja: timings (ms):%s\n", buf_cstr(&c->line));
    buf_free(&c->line);
    st->ms = clock_now_ms() - t0;
}

/* The diagram cache (graph_cache), read through load/ and written through write/. */
static bool svg_lookup(void *dir, uint64_t key, buf_t *svg)
{
    return dcache_read(dir, key, svg);
}

static void svg_store(void *dir, uint64_t key, const char *svg, size_t len)
{
    out_cache_store(dir, key, svg, len); /* a cache that cannot be written only costs time */
}

/* Load, model, site, diagrams, hooks, links: the site read and resolved
 * into b (b->s NULL when the sources could not be read). */
static void read_site(const build_options *o, bool serving, build_state *b, stage_clock *clk, diag_list *d,
                      build_stats *st)
{
    /* A plain build reads each page's text when it needs it (its front matter
     * as the site loads, its body as it renders) and lets it go after; serve
     * keeps every text (its fingerprints and patches compare them). */
    b->src = serving ? src_load(o->src_dir, d) : src_load_lazy(o->src_dir, d);
    stage(clk, "load");
    if (!b->src)
        return;
    b->m = model_new(b->src, d);
    stage(clk, "model");
    b->lib = load_layouts(b->src, d);
    expand_env *env = xcalloc(1, sizeof *env);
    *env = (expand_env){.lib = b->lib, .model = b->m};
    b->env = env;
    /* A plain build renders each page once, so each page is parsed once, as it
     * renders; serve keeps the outlines of every page from the start. */
    b->s = site_new(b->src,
                    (site_options){.base_url = o->base_url, .drafts = o->drafts, .model = b->m,
                                   .expand = expand_page, .expand_ud = env, .defer = !serving},
                    d);
    stage(clk, "site");
    if (!b->s)
        return;
    b->dg = diagrams_new(b->src, b->m, d);
    graph_ctx *gx = NULL;
    textm *tm = NULL;
    char *cache = NULL;
    if (diag_errors(d) == 0) {
        /* Laid-out diagrams are kept by the hash of their DOT text, outside the sources. */
        cache = dcache_dir(o->src_dir, o->diagram_cache);
        const graph_cache gc = {.ud = cache, .lookup = svg_lookup, .store = o->write ? svg_store : NULL};
        tm = textm_open_site(b->src, d);
        gx = graph_ctx_new(cache ? &gc : NULL, tm);
        diagrams_render(b->dg, gx, b->s, d);
    }
    stage(clk, "diagrams");
    b->he = hook_env_new(b->s, b->dg, gx, d);
    const hooks_api api = hook_api_of(b->he);
    if (src_count(b->src, SRC_HOOK) > 0) {
        bool ran = false;
        if (diag_errors(d) == 0) {
            /* kasikirja.pages is made by api.pages when a script first reads it. */
            b->h = hooks_new(b->src, site_data(b->s), NULL, b->m ? model_data(b->m) : NULL, &api, d);
            ran = b->h && hook_api_run(b->h, b->s, d);
        }
        if (!ran) /* their pages and files are unknown: links to them say nothing more */
            site_hooks_unknown(b->s);
    }
    stage(clk, "hooks");
    publish_declare(b->s, b->lib, b->dg);
    site_resolve(b->s, d);
    stage(clk, "resolve");
    st->diagrams = diagrams_count(b->dg);
    st->layouts = gx ? graph_ctx_layouts(gx) : 0;
    st->cache_hits = gx ? graph_ctx_cache_hits(gx) : 0;
    graph_ctx_free(gx);
    textm_free(tm);
    free(cache);
    hook_env_drop_graph(b->he);
}

/* Render and write: every output rendered (or, with a cache, kept when its
 * fingerprint is last time's) into the staging folder, which replaces the
 * output folder when there were no errors. True when it did. */
static bool render_site(const build_options *o, build_cache *c, build_state *b, stage_clock *clk, diag_list *d,
                        build_stats *st)
{
    out_tree *out = !o->write ? NULL
                    : c       ? out_begin_incremental(o->out_dir, build_cache_manifest(c), d)
                              : out_begin(o->out_dir, d);
    if (o->write && !out)
        return false;
    build_cache_table made;
    build_cache_table_init(&made);
    /* Pages are skipped only when their old files can stay in place. */
    bool skip = c && out_incremental(out);
    if (c) { /* the fingerprints' inputs, kept for serve's patches */
        b->data_hash = build_cache_hash_sources(b->src, SRC_DATA);
        b->hooks_hash = build_cache_hash_sources(b->src, SRC_HOOK);
    }
    render_dates *dates = publish_dates(o->src_dir, b->src, b->s, b->lib, b->dg, d);
    stage(clk, "history");
    const publish_options po = {
        .s = b->s, .lib = b->lib, .dg = b->dg, .lambdas = b->h ? hooks_lambdas(b->h) : NULL,
        .dates = dates, .he = b->he, .src = b->src, .out = out,
        .memo = {.last = skip ? build_cache_done(c) : NULL, .made = c ? &made : NULL,
                 .data_hash = b->data_hash, .hooks_hash = b->hooks_hash}};
    publish_site(&po, d, st);
    render_dates_free(dates);
    if (out) {
        st->files = out_count(out) + 1;                  /* + the marker */
        st->written = out_written(out) + (skip ? 0 : 1); /* the marker is new in a full build */
    }
    stage(clk, "render");
    bool committed = false;
    if (out && diag_errors(d) == 0)
        committed = out_commit(out, d);
    else
        out_abort(out);
    if (committed && c)
        build_cache_commit(c, &made);
    build_cache_table_free(&made);
    stage(clk, "commit");
    return committed;
}

bool build_run(const build_options *o, diag_list *d, build_stats *st)
{
    double t0 = clock_now_ms();
    const char *tv = getenv("KASIKIRJA_TIMINGS");
    stage_clock clk = {.on = tv && *tv && strcmp(tv, "0"), .last = t0, .line = BUF_INIT};
    memset(st, 0, sizeof *st);
    md_global_init();
    build_cache *c = o->write ? o->cache : NULL;
    if (c) { /* serve: a save of one page's text is a patch */
        build_patch pr = build_cache_patch(c, o, d, st);
        if (pr != BUILD_PATCH_NONE) {
            stage(&clk, "patch");
            stage_end(&clk, t0, st);
            return pr == BUILD_PATCH_DONE;
        }
    }
    build_state b = {0};
    read_site(o, c != NULL, &b, &clk, d, st);
    bool ok = b.s && diag_errors(d) == 0;
    if (b.s && !ok)
        site_parse_all(b.s, d); /* no rendering now, but every page's mistakes are reported */
    bool committed = ok && render_site(o, c, &b, &clk, d, st);
    ok = ok && diag_errors(d) == 0;
    if (b.he)
        hook_env_drop_diag(b.he); /* the list is the caller's */
    if (committed && c)
        build_cache_keep(c, &b, o->out_dir, st->pages); /* serve keeps all of it for the next save */
    else
        build_state_clear(&b);
    stage(&clk, "free");
    stage_end(&clk, t0, st);
    return ok;
}
