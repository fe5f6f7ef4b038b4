/* build: the pipeline, stage by stage; stops before writing after any error. */
#include "build.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/xmem.h"
#include "load/source.h"
#include "model/model.h"
#include "model/site.h"
#include "render/diagrams.h"
#include "render/escape.h"
#include "render/graph.h"
#include "render/hooks.h"
#include "render/ical.h"
#include "render/search.h"
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

/* {====== What hooks may do ====== */

typedef struct {
    char *path;
    char *content;
    size_t len;
} hook_file;

typedef struct {
    site *s;
    diagrams *dg;
    graph_ctx *gx;
    diag_list *d;
    hook_file *files;
    size_t n_files;
} hook_env;

static const char *const page_fields[] = {"path", "title", "layout", "markdown", "html", "data", NULL};

static bool api_add_page(void *ud, const val *spec, src_pos where, char **err)
{
    hook_env *he = ud;
    for (size_t i = 0; i < val_len(spec); i++) {
        const char *k = val_key_at(spec, i);
        bool known = false;
        for (size_t j = 0; page_fields[j] && !known; j++)
            known = !strcmp(k, page_fields[j]);
        if (!known) {
            *err = xasprintf("kasikirja.page: unknown field '%s' (fields: path, title, layout, markdown, "
                             "html, data)",
                             k);
            return false;
        }
    }
    const char *path = val_get_str(spec, "path"), *title = val_get_str(spec, "title");
    const char *layout = val_get_str(spec, "layout"), *md = val_get_str(spec, "markdown");
    const char *html = val_get_str(spec, "html");
    if (!path || !title) {
        *err = xstrdup("kasikirja.page needs 'path' and 'title' (text)");
        return false;
    }
    if ((md != NULL) == (html != NULL)) {
        *err = xstrdup("kasikirja.page needs exactly one of 'markdown' and 'html'");
        return false;
    }
    return site_add_page(he->s, path, title, layout ? layout : "page", md, html, val_get(spec, "data"), where,
                         he->d, err) != NULL;
}

static bool api_add_file(void *ud, const char *path, const char *content, size_t len, src_pos where,
                         char **err)
{
    (void)where;
    hook_env *he = ud;
    if (!out_path_ok(path)) {
        *err = xasprintf("kasikirja.file: '%s' is not a plain path inside the output folder (no '..', "
                         "no leading '/')",
                         path);
        return false;
    }
    for (size_t i = 0; i < he->n_files; i++) {
        if (!strcmp(he->files[i].path, path)) {
            *err = xasprintf("kasikirja.file: '%s' was written already", path);
            return false;
        }
    }
    he->files = xrealloc(he->files, (he->n_files + 1) * sizeof(hook_file));
    char *copy = xmalloc(len + 1);
    memcpy(copy, content, len);
    copy[len] = '\0';
    he->files[he->n_files++] = (hook_file){xstrdup(path), copy, len};
    return true;
}

static char *api_markdown(void *ud, const char *text, char **err)
{
    hook_env *he = ud;
    (void)err;
    md_doc *doc = md_parse(text, strlen(text), "(kasikirja.markdown)", 0,
                           (md_options){site_unsafe_html(he->s)}, he->d);
    buf_t b = BUF_INIT;
    md_render(doc, NULL, NULL, &b, he->d);
    md_free(doc);
    return buf_detach(&b);
}

static char *api_url(void *ud, const char *path, char **err)
{
    hook_env *he = ud;
    const char *p = path[0] == '/' ? path + 1 : path;
    if (strstr(p, "..") || strchr(p, '\\') || strstr(p, "://")) {
        *err = xasprintf("kasikirja.url: '%s' is not a path inside the site", path);
        return NULL;
    }
    return xasprintf("%s%s", site_base_path(he->s), p);
}

static char *api_diagram(void *ud, const val *spec, src_pos where, char **err)
{
    hook_env *he = ud;
    (void)where;
    char *h = he->gx ? diagrams_draw(he->dg, he->gx, he->s, spec, he->d) : NULL;
    if (!h)
        *err = xstrdup("kasikirja.diagram: the diagram could not be drawn (see the errors above)");
    return h;
}

/* A page as the hooks see it: title, url, path, layout, params. */
static val *page_view(const page *p)
{
    val *e = val_map((src_pos){0});
    val_set_str(e, "title", page_title(p));
    val_set_str(e, "url", page_url(p));
    val_set_str(e, "path", page_src(p));
    val_set_str(e, "layout", page_layout(p));
    val_set(e, "params", val_ref(page_meta(p)));
    return e;
}

static val *pages_view(const site *s)
{
    val *list = val_list((src_pos){0});
    for (size_t i = 0; i < site_page_count(s); i++)
        val_push(list, page_view(site_page_at(s, i)));
    return list;
}

/* Runs the hooks, then their page filters; false after an error. */
static bool run_hooks(hooks *h, site *s, diag_list *d)
{
    if (!hooks_run(h, d))
        return false;
    for (size_t i = 0; i < site_page_count(s); i++) {
        page *p = site_page_at(s, i);
        val *e = page_view(p);
        val *extra = hooks_filter_page(h, e, d);
        val_free(e);
        if (extra)
            page_set_extra(p, extra);
    }
    return diag_errors(d) == 0;
}

/* } */

/* The annual cycle as iCalendar: vuosikello.ics, and kalenteri.ics beside
 * every forum page that has events. Yearly events start in the build's year. */
static void write_calendars(const site *s, out_tree *out, const char *date, diag_list *d)
{
    const val *data = site_model_data(s);
    if (!data || !out || !val_len(val_get(data, "tapahtumat")))
        return; /* no annual cycle, no calendar */
    const char *base = site_base_url(s);
    const char *host = strstr(base, "://");
    char *domain = host ? xstrndup(host + 3, strcspn(host + 3, "/")) : xstrdup("kasikirja");
    char stamp[32];
    snprintf(stamp, sizeof stamp, "%.4s%.2s%.2sT000000Z", date, date + 5, date + 8);
    int year = atoi(date);
    buf_t b = BUF_INIT;
    ical_calendar(val_get(data, "tapahtumat"), site_title(s), base, domain, year, stamp, &b);
    out_write(out, "vuosikello.ics", b.ptr, b.len, d);
    const val *forums = val_get(data, "foorumit");
    for (size_t i = 0; i < val_len(forums); i++) {
        const val *f = val_at(forums, i);
        if (!val_as_bool(val_get(f, "kalenteri")) || !val_get_str(f, "url"))
            continue;
        buf_clear(&b);
        ical_calendar(val_get(f, "tapahtumat"), val_get_str(f, "nimi"), base, domain, year, stamp, &b);
        char *path = xasprintf("%skalenteri.ics", val_get_str(f, "url"));
        out_write(out, path, b.ptr, b.len, d);
        free(path);
    }
    buf_free(&b);
    free(domain);
}

/* Printable booklets (layouts/kirja.mustache): the whole handbook in
 * reading order at tulosta/, and for every page with 'kirjanen: true' the
 * page and the pages it links to, in link order, at <page>tulosta/. */
static void write_booklets(const site *s, const mustache_lib *lib, const render_env *env,
                           out_tree *out, diag_list *d, build_stats *st)
{
    if (!mustache_lib_has(lib, "kirja") || !site_home(s))
        return;
    const page **list = NULL;
    size_t n = 0;
    for (const page *p = site_home(s); p; p = page_next(p)) {
        list = xrealloc(list, (n + 1) * sizeof(page *));
        list[n++] = p;
    }
    buf_t b = BUF_INIT;
    char *title = xasprintf("%s: koko käsikirja tulostettavana", site_title(s));
    if (render_booklet(s, list, n, "tulosta/", title, lib, env, &b, d)) {
        st->pages++;
        if (out)
            out_write(out, "tulosta/index.html", b.ptr, b.len, d);
    }
    free(title);
    for (size_t i = 0; i < site_page_count(s); i++) {
        const page *p = site_page_at(s, i);
        if (!val_as_bool(val_get(page_meta(p), "kirjanen")))
            continue;
        n = 0;
        list = xrealloc(list, (page_link_count(p) + 1) * sizeof(page *));
        list[n++] = p;
        for (size_t k = 0; k < page_link_count(p); k++) {
            const page *t = page_link_target(p, k);
            bool seen = false;
            for (size_t j = 0; j < n && t; j++)
                seen = seen || list[j] == t;
            if (t && !seen)
                list[n++] = t;
        }
        char *url = xasprintf("%stulosta/", page_url(p));
        char *path = xasprintf("%sindex.html", url);
        char *btitle = xasprintf("%s tulostettavana", page_title(p));
        buf_clear(&b);
        if (render_booklet(s, list, n, url, btitle, lib, env, &b, d)) {
            st->pages++;
            if (out)
                out_write(out, path, b.ptr, b.len, d);
        }
        free(url);
        free(path);
        free(btitle);
    }
    free(list);
    buf_free(&b);
}

/* {====== Parallel rendering ====== */

/* Pages rendered per batch: bounds the memory held between render and write. */
#define RENDER_BATCH 256

typedef struct {
    buf_t html, content;
    diag_list *d;
    bool ok;
} render_slot;

typedef struct {
    const site *s;
    const mustache_lib *lib;
    const render_env *env;
    render_slot *slots;
    size_t begin, end;
    atomic_size_t next;
} render_job;

/* Each worker takes the next page of the batch until none is left. Page
 * rendering reads the site, the model, the layouts and the diagrams and
 * writes only its own slot; Graphviz is not used here (diagrams were drawn
 * before), and Lua lambdas lock their state. */
static void *render_worker(void *arg)
{
    render_job *job = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&job->next, 1);
        if (i >= job->end)
            return NULL;
        render_slot *r = &job->slots[i - job->begin];
        r->d = diag_list_new();
        r->ok = render_page(job->s, site_page_at(job->s, i), job->lib, job->env, &r->html, &r->content,
                            r->d);
    }
}

/* The number of rendering threads: KASIKIRJA_THREADS when set, else the cores (at most 16). */
static size_t render_threads(void)
{
    const char *env = getenv("KASIKIRJA_THREADS");
    long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 16 ? 16 : (size_t)n;
}

static void run_workers(render_job *job, size_t n)
{
    /* pthreads rather than C11 threads: ThreadSanitizer follows pthread_create. */
    pthread_t threads[16];
    size_t started = 0;
    for (size_t i = 1; i < n; i++)
        if (pthread_create(&threads[started], NULL, render_worker, job) == 0)
            started++;
    render_worker(job); /* this thread works too */
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
}

/* } */

static void render_all(site *s, const mustache_lib *lib, const diagrams *dg, const val *lambdas,
                       const hook_env *he, out_tree *out, const src_tree *src, diag_list *d,
                       build_stats *st)
{
    char date[16];
    build_date(date);
    const render_env env = {date, "kasikirja " KK_VERSION, dg, lambdas};
    for (size_t i = 0; out && i < he->n_files; i++)
        out_write(out, he->files[i].path, he->files[i].content, he->files[i].len, d);
    buf_t b = BUF_INIT, content = BUF_INIT;
    search_index *ix = search_index_new();
    /* Pages render in parallel, a batch at a time; writing, the search
     * index and the diagnostics follow in page order, so the output is the
     * same whatever the number of threads. */
    size_t n_pages = site_page_count(s);
    render_slot *slots = xcalloc(RENDER_BATCH, sizeof(render_slot));
    render_job job = {s, lib, &env, slots, 0, 0, 0};
    size_t n_threads = render_threads();
    for (size_t start = 0; start < n_pages; start += RENDER_BATCH) {
        size_t end = start + RENDER_BATCH < n_pages ? start + RENDER_BATCH : n_pages;
        job.begin = start;
        job.end = end;
        atomic_store(&job.next, start);
        run_workers(&job, n_threads);
        for (size_t i = start; i < end; i++) {
            render_slot *r = &slots[i - start];
            diag_list_merge(d, r->d);
            diag_list_free(r->d);
            page *p = site_page_at(s, i);
            if (r->ok) {
                /* The search index: the page's own text, under its top-level section. */
                const page *top = p;
                while (page_parent(top) && page_parent(top) != site_home(s))
                    top = page_parent(top);
                search_index_add(ix, page_url(p), page_title(p), top != p ? page_title(top) : NULL,
                                 buf_cstr(&r->content));
                st->pages++;
                if (out)
                    out_write(out, page_out(p), r->html.ptr ? r->html.ptr : "", r->html.len, d);
            }
            bool rendered = r->ok;
            buf_free(&r->html);
            buf_free(&r->content);
            memset(r, 0, sizeof *r);
            if (!rendered || !out)
                continue;
            for (size_t a = 0; a < page_alias_count(p); a++) {
                buf_clear(&b);
                render_alias(s, p, page_alias_at(p, a), &b);
                char *path = xasprintf("%sindex.html", page_alias_at(p, a));
                out_write(out, path, b.ptr, b.len, d);
                free(path);
            }
        }
    }
    free(slots);
    if (mustache_lib_has(lib, "404")) {
        buf_clear(&b);
        if (render_404(s, lib, &env, &b, d) && out)
            out_write(out, "404.html", b.ptr, b.len, d);
    }
    buf_clear(&b);
    render_sitemap(s, &b);
    if (out)
        out_write(out, "sitemap.xml", b.ptr, b.len, d);
    buf_clear(&b);
    search_index_json(ix, &b);
    if (out)
        out_write(out, "hakuhakemisto.json", b.ptr, b.len, d);
    search_index_free(ix);
    buf_free(&content);
    buf_clear(&b);
    render_robots(s, &b);
    if (out)
        out_write(out, "robots.txt", b.ptr, b.len, d);
    write_calendars(s, out, date, d);
    write_booklets(s, lib, &env, out, d, st);
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
    }
    hook_env he = {s, dg, gx, d, NULL, 0};
    const hooks_api api = {&he, api_add_page, api_add_file, api_markdown, api_url, api_diagram};
    hooks *h = NULL;
    val *pages = NULL;
    if (s && diag_errors(d) == 0 && src_count(src, SRC_HOOK) > 0) {
        pages = pages_view(s);
        h = hooks_new(src, site_data(s), pages, m ? model_data(m) : NULL, &api, d);
        run_hooks(h, s, d);
    }
    if (s)
        site_resolve(s, d);
    if (dg) {
        st->diagrams = diagrams_count(dg);
        st->layouts = gx ? graph_ctx_layouts(gx) : 0;
        st->cache_hits = gx ? graph_ctx_cache_hits(gx) : 0;
    }
    bool ok = s && diag_errors(d) == 0;
    if (ok) {
        out_tree *out = o->write ? out_begin(o->out_dir, d) : NULL;
        if (!o->write || out) {
            render_all(s, lib, dg, h ? hooks_lambdas(h) : NULL, &he, out, src, d, st);
            if (out)
                st->files = out_count(out) + 1; /* + the marker */
            if (out && diag_errors(d) == 0)
                out_commit(out, d);
            else
                out_abort(out);
        }
        ok = diag_errors(d) == 0;
    }
    hooks_free(h);
    val_free(pages);
    for (size_t i = 0; i < he.n_files; i++) {
        free(he.files[i].path);
        free(he.files[i].content);
    }
    free(he.files);
    graph_ctx_free(gx);
    diagrams_free(dg);
    mustache_lib_free(lib);
    site_free(s);
    model_free(m);
    src_free(src);
    st->ms = now_ms() - t0;
    return ok;
}
