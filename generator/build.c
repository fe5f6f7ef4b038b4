/* build: the pipeline, stage by stage; stops before writing after any error. */
#include "build.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/xmem.h"
#include "load/source.h"
#include "model/model.h"
#include "model/site.h"
#include "render/diagrams.h"
#include "render/graph.h"
#include "render/markdown.h"
#include "render/mustache.h"
#include "render/page_render.h"
#include "write/output.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The build date: SOURCE_DATE_EPOCH when set (reproducible builds), else today. */
static void build_date(char out[16])
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

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
        mustache_lib_add(lib, name, f->data, f->len, f->path, d);
        free(name);
    }
    mustache_lib_check(lib, d);
    return lib;
}

static void render_all(site *s, const mustache_lib *lib, const diagrams *dg, out_tree *out,
                       const src_tree *src, diag_list *d, build_stats *st)
{
    char date[16];
    build_date(date);
    const render_env env = {date, "kasikirja " KK_VERSION, dg};
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < site_page_count(s); i++) {
        page *p = site_page_at(s, i);
        buf_clear(&b);
        if (!render_page(s, p, lib, &env, &b, d))
            continue;
        st->pages++;
        if (out)
            out_write(out, page_out(p), b.ptr, b.len, d);
        for (size_t a = 0; a < page_alias_count(p); a++) {
            buf_clear(&b);
            render_alias(s, p, page_alias_at(p, a), &b);
            char *path = xasprintf("%sindex.html", page_alias_at(p, a));
            if (out)
                out_write(out, path, b.ptr, b.len, d);
            free(path);
        }
    }
    if (mustache_lib_has(lib, "404")) {
        buf_clear(&b);
        if (render_404(s, lib, &env, &b, d) && out)
            out_write(out, "404.html", b.ptr, b.len, d);
    }
    buf_clear(&b);
    render_sitemap(s, &b);
    if (out)
        out_write(out, "sitemap.xml", b.ptr, b.len, d);
    for (size_t i = 0; out && i < src_count(src, SRC_STATIC); i++) {
        const src_file *f = src_at(src, SRC_STATIC, i);
        out_copy(out, f->path + strlen("layouts/static/"), f->abs_path, d);
    }
    buf_free(&b);
}

/* A Markdown page with 'mustache: true': its body is a template over the
 * data. Blank lines stand in for the front matter so that template errors
 * point at the right line of the file. */
static bool expand_page(void *ud, const char *path, const char *body, size_t len, int line_offset,
                        const val *site_data, const val *meta, buf_t *out, diag_list *d)
{
    expand_env *env = ud;
    buf_t src = BUF_INIT;
    for (int i = 0; i < line_offset; i++)
        buf_putc(&src, '\n');
    buf_put(&src, body, len);
    bool ok = mustache_lib_add(env->lib, path, src.ptr, src.len, path, d);
    buf_free(&src);
    if (!ok)
        return false;
    val *ctx = val_map((src_pos){0});
    if (site_data)
        val_set(ctx, "site", val_ref(site_data));
    if (env->model)
        val_set(ctx, "data", val_ref(model_data(env->model)));
    val *pg = val_map((src_pos){0});
    val_set(pg, "params", val_ref(meta));
    val_set_str(pg, "title", val_get_str(meta, "title") ? val_get_str(meta, "title") : "");
    val_set(ctx, "page", pg);
    buf_t text = BUF_INIT;
    ok = mustache_render(env->lib, path, ctx, &text, d);
    /* Drop the stand-in lines again. */
    size_t skip = 0;
    while (skip < text.len && skip < (size_t)line_offset && text.ptr[skip] == '\n')
        skip++;
    buf_put(out, text.ptr ? text.ptr + skip : "", text.len - skip);
    buf_free(&text);
    val_free(ctx);
    return ok;
}

bool build_run(const build_options *o, diag_list *d, build_stats *st)
{
    double t0 = now_ms();
    memset(st, 0, sizeof *st);
    md_global_init();
    src_tree *src = src_load(o->src_dir, d);
    model *m = src ? model_new(src, d) : NULL;
    mustache_lib *lib = src ? load_layouts(src, d) : NULL;
    expand_env env = {lib, m};
    site *s = src ? site_new(src, (site_options){o->base_url, o->drafts, m, expand_page, &env}, d) : NULL;
    diagrams *dg = s ? diagrams_new(src, m ? model_data(m) : NULL, d) : NULL;
    graph_ctx *gx = NULL;
    if (s && diag_errors(d) == 0) {
        /* Laid-out diagrams are kept by the hash of their DOT text. */
        char *cache = xasprintf("%s/.kasikirja-cache/kaaviot", o->src_dir);
        gx = graph_ctx_new(cache);
        free(cache);
        diagrams_render(dg, gx, s, d);
        st->diagrams = diagrams_count(dg);
        st->layouts = graph_ctx_layouts(gx);
        st->cache_hits = graph_ctx_cache_hits(gx);
    }
    bool ok = s && diag_errors(d) == 0;
    if (ok) {
        out_tree *out = o->write ? out_begin(o->out_dir, d) : NULL;
        if (!o->write || out) {
            render_all(s, lib, dg, out, src, d, st);
            if (out)
                st->files = out_count(out) + 1; /* + the marker */
            if (out && diag_errors(d) == 0)
                out_commit(out, d);
            else
                out_abort(out);
        }
        ok = diag_errors(d) == 0;
    }
    graph_ctx_free(gx);
    diagrams_free(dg);
    mustache_lib_free(lib);
    site_free(s);
    model_free(m);
    src_free(src);
    st->ms = now_ms() - t0;
    return ok;
}
