/* build: the pipeline, stage by stage; stops before writing after any error. */
#include "build.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/hash.h"
#include "base/par.h"
#include "base/strmap.h"
#include "base/xmem.h"
#include "load/history.h"
#include "load/source.h"
#include "model/model.h"
#include "model/site.h"
#include "render/diagrams.h"
#include "base/escape.h"
#include "render/graph.h"
#include "render/textm.h"
#include "extend/hooks.h"
#include "render/ical.h"
#include "render/search.h"
#include "render/markdown.h"
#include "render/mustache.h"
#include "render/page_render.h"
#include "write/output.h"

/* SOURCE_DATE_EPOCH (reproducible builds), or 0 when it is not set. */
static int64_t source_date_epoch(void)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    return sde && *sde ? (int64_t)strtoll(sde, NULL, 10) : 0;
}

/* The build date: SOURCE_DATE_EPOCH when set (reproducible builds), else today. */
static void build_date(char out[16])
{
    int64_t sde = source_date_epoch();
    time_t t = sde > 0 ? (time_t)sde : time(NULL);
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

/* When each page's content last changed: one history walk over the files
 * that count as content (pages, data, diagram definitions), no date past
 * SOURCE_DATE_EPOCH; the dates every page of this site gets from it. */
static render_dates *page_dates(const char *root, const src_tree *src, const site *s, const mustache_lib *lib,
                                const diagrams *dg, diag_list *d)
{
    static const src_kind content_kinds[] = {SRC_PAGE, SRC_DATA, SRC_DIAGRAM};
    size_t n = 0;
    for (size_t k = 0; k < 3; k++)
        n += src_count(src, content_kinds[k]);
    const char **paths = xcalloc(n + 1, sizeof(char *));
    n = 0;
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < src_count(src, content_kinds[k]); i++)
            paths[n++] = src_at(src, content_kinds[k], i)->path;
    hist *h = hist_load(root, paths, n, source_date_epoch(), d);
    int64_t data_time = 0;
    for (size_t i = 0; i < src_count(src, SRC_DATA); i++) {
        int64_t t = hist_time(h, src_at(src, SRC_DATA, i)->path);
        data_time = t > data_time ? t : data_time;
    }
    render_dates *r = render_dates_new(s, lib, dg, h, data_time);
    hist_free(h);
    free(paths);
    return r;
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
    const char *owner = site_output_owner(he->s, path);
    if (owner) {
        *err = !strcmp(owner, "layouts/static/")
                   ? xasprintf("kasikirja.file: '%s' is the static file layouts/static/%s (choose another path)",
                               path, path)
                   : xasprintf("kasikirja.file: '%s' is written by the page %s (choose another path)", path,
                               owner);
        return false;
    }
    he->files = xrealloc(he->files, (he->n_files + 1) * sizeof(hook_file));
    char *copy = xmalloc(len + 1);
    memcpy(copy, content, len);
    copy[len] = '\0';
    he->files[he->n_files++] = (hook_file){.path = xstrdup(path), .content = copy, .len = len};
    return true;
}

static char *api_markdown(void *ud, const char *text, char **err)
{
    hook_env *he = ud;
    (void)err;
    md_doc *doc = md_parse(text, strlen(text), "(kasikirja.markdown)", 0,
                           (md_options){.unsafe_html = site_unsafe_html(he->s)}, he->d);
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

/* {====== The cache between builds (serve) ====== */

/* What one output of the last build was made from, and the page's own
 * text for the search index. */
typedef struct {
    uint64_t sig;
    char *content;
    size_t len;
    size_t slot; /* index in its table's all[] */
    char **anchors; /* a generated page's ids (page_anchors), for when it is skipped */
    size_t n_anchors;
} cached_out;

/* Frees what e holds and empties it. */
static void cached_clear(cached_out *e)
{
    free(e->content);
    for (size_t i = 0; i < e->n_anchors; i++)
        free(e->anchors[i]);
    free(e->anchors);
    e->content = NULL;
    e->anchors = NULL;
    e->n_anchors = 0;
}

static void cached_free(cached_out *e)
{
    if (e)
        cached_clear(e);
    free(e);
}

typedef struct {
    strmap *index; /* output path -> cached_out* */
    cached_out **all;
    size_t n, cap;
} out_table;

/* Everything the last successful build made of the sources, kept by serve
 * so that a change to one page's text is a patch, not a build. */
typedef struct build_state build_state;

struct build_cache {
    out_manifest *manifest;
    out_table done;      /* the outputs of the last successful build */
    build_state *state;  /* its loaded, resolved site (NULL after a failure) */
};

static void table_init(out_table *t)
{
    memset(t, 0, sizeof *t);
    t->index = strmap_new();
}

static void table_free(out_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        cached_free(t->all[i]);
    free(t->all);
    strmap_free(t->index);
}

static const cached_out *table_get(const out_table *t, const char *path)
{
    return t && t->index ? strmap_get(t->index, path) : NULL;
}

/* Adds e (owned) under path; false when path is there already. */
static bool table_add(out_table *t, const char *path, cached_out *e)
{
    if (!strmap_add(t->index, path, e)) {
        cached_free(e);
        return false;
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->all = xrealloc(t->all, t->cap * sizeof(cached_out *));
    }
    e->slot = t->n;
    t->all[t->n++] = e;
    return true;
}

/* Sets path's fingerprint and content (content owned; may be NULL),
 * replacing what was there; returns the entry. */
static cached_out *table_put(out_table *t, const char *path, uint64_t sig, char *content, size_t len)
{
    cached_out *e = strmap_get(t->index, path);
    if (e) {
        cached_clear(e);
    } else {
        e = xcalloc(1, sizeof *e);
        table_add(t, path, e);
    }
    e->sig = sig;
    e->content = content;
    e->len = len;
    return e;
}

/* Moves the entry of path from src to dst (src no longer frees it); a no-op
 * when they are the same table (a patch updates the table in place). */
static void table_move(out_table *dst, out_table *src, const char *path)
{
    if (dst == src)
        return;
    cached_out *e = strmap_get(src->index, path);
    if (!e || src->all[e->slot] != e)
        return;
    src->all[e->slot] = NULL;
    table_add(dst, path, e);
}

build_cache *build_cache_new(void)
{
    build_cache *c = xcalloc(1, sizeof(build_cache));
    c->manifest = out_manifest_new();
    table_init(&c->done);
    return c;
}

static void state_free(build_state *b);

void build_cache_free(build_cache *c)
{
    if (!c)
        return;
    state_free(c->state);
    out_manifest_free(c->manifest);
    table_free(&c->done);
    free(c);
}

/* What rendering needs of the cache: the outputs of the last build (moved
 * over when unchanged) and those of this one. Both NULL: a full build. */
typedef struct {
    out_table *last;
    out_table *made;
    const render_sig_base *sig_base;
    uint64_t data_hash, hooks_hash; /* of the sources, for the fingerprints (with made) */
} render_memo;

/* Keeps an unchanged output (same fingerprint as last time, and still in
 * the output folder); true when it was kept. */
static bool keep_same(out_tree *out, render_memo *memo, const char *path, uint64_t sig)
{
    const cached_out *c = table_get(memo->last, path);
    if (!c || c->sig != sig || !out || !out_keep(out, path))
        return false;
    table_move(memo->made, memo->last, path);
    return true;
}

/* A fingerprint of every source file of one kind. */
static uint64_t hash_sources(const src_tree *src, src_kind k)
{
    uint64_t h = HASH_SEED;
    for (size_t i = 0; i < src_count(src, k); i++) {
        const src_file *f = src_at(src, k, i);
        h = hash_bytes(hash_str(h, f->path), f->data ? f->data : "", f->len);
    }
    return h;
}

/* } */

/* Printable booklets (layouts/kirja.mustache): the whole handbook in
 * reading order at tulosta/ (less the pages 'kirjaan: false' leaves out), and
 * for every page with 'kirjanen: true' the
 * page and the pages it links to, in link order, at <page>tulosta/. */
static void write_booklet(const site *s, const page *const *list, size_t n, const char *url,
                          const char *title, const mustache_lib *lib, const render_env *env,
                          out_tree *out, render_memo *memo, buf_t *b, diag_list *d, build_stats *st)
{
    char *path = xasprintf("%sindex.html", url);
    uint64_t sig = 0;
    if (memo->made) {
        uint64_t *sigs = xcalloc(n + 1, sizeof(uint64_t));
        for (size_t i = 0; i < n; i++) {
            const cached_out *c = table_get(memo->made, page_out(list[i]));
            sigs[i] = c ? c->sig : 0;
        }
        sig = render_booklet_sig(s, list, sigs, n, url, title, lib, memo->sig_base);
        free(sigs);
        if (keep_same(out, memo, path, sig)) {
            st->pages++;
            free(path);
            return;
        }
    }
    buf_clear(b);
    if (render_booklet(s, list, n, url, title, lib, env, b, d)) {
        st->pages++;
        st->rendered++;
        if (out)
            out_write(out, path, b->ptr, b->len, d);
        if (memo->made)
            table_put(memo->made, path, sig, NULL, 0);
    }
    free(path);
}

static void write_booklets(const site *s, const mustache_lib *lib, const render_env *env,
                           out_tree *out, render_memo *memo, diag_list *d, build_stats *st)
{
    if (!mustache_lib_has(lib, "kirja") || !site_home(s))
        return;
    const page **list = NULL;
    size_t n = 0;
    for (const page *p = site_home(s); p; p = page_next(p)) {
        if (!page_in_booklet(p))
            continue;
        list = xrealloc(list, (n + 1) * sizeof(page *));
        list[n++] = p;
    }
    buf_t b = BUF_INIT;
    char *title = xasprintf("%s: koko käsikirja tulostettavana", site_title(s));
    write_booklet(s, list, n, "tulosta/", title, lib, env, out, memo, &b, d, st);
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
        char *btitle = xasprintf("%s tulostettavana", page_title(p));
        write_booklet(s, list, n, url, btitle, lib, env, out, memo, &b, d, st);
        free(url);
        free(btitle);
    }
    free(list);
    buf_free(&b);
}

/* {====== Parallel rendering ====== */

/* Pages rendered per batch: bounds the memory held between render and the
 * search index. */
#define RENDER_BATCH 256

typedef struct {
    buf_t text; /* the page's own text, for the search index */
    diag_list *d;
    bool ok;
    uint64_t sig;
    const cached_out *same; /* incremental: the page came out the same last time */
} render_slot;

typedef struct {
    const site *s;
    const mustache_lib *lib;
    const render_env *env;
    const render_sig_base *sig_base; /* incremental builds only */
    const out_table *last;           /* what the last build made */
    out_tree *out;
    render_slot *slots;
    size_t begin;
} render_job;

/* Renders page i and writes its file and redirects (par_for: any thread).
 * Page rendering reads the site, the model, the layouts and the diagrams
 * and writes only its own slot and files; Graphviz is not used here
 * (diagrams were drawn before), and Lua lambdas lock their state. In an
 * incremental build a page whose inputs have last time's fingerprint is
 * not rendered again and its file stays. */
static void render_one(void *ud, size_t i)
{
    render_job *job = ud;
    render_slot *r = &job->slots[i - job->begin];
    const page *p = site_page_at(job->s, i);
    r->d = diag_list_new();
    if (job->sig_base) {
        r->sig = render_page_sig(job->s, p, job->lib, job->env, job->sig_base);
        const cached_out *c = table_get(job->last, page_out(p));
        /* The same as last time: not rendered; a generated page's ids come from the cache. */
        if (c && c->sig == r->sig && out_keep(job->out, page_out(p))) {
            r->same = c;
            r->ok = true;
            if (page_wants_anchors(p) && c->anchors)
                site_set_anchors(job->s, p, (const char *const *)c->anchors, c->n_anchors);
        }
    }
    if (!r->same) {
        buf_t html = BUF_INIT;
        r->ok = render_page(job->s, p, job->lib, job->env, &html, &r->text, r->d);
        if (r->ok && page_wants_anchors(p))
            site_keep_anchors(job->s, p, html.ptr ? html.ptr : "", html.len);
        if (r->ok && job->out)
            out_write(job->out, page_out(p), html.ptr ? html.ptr : "", html.len, r->d);
        buf_free(&html);
    }
    if (!r->ok || !job->out)
        return;
    buf_t b = BUF_INIT;
    for (size_t a = 0; a < page_alias_count(p); a++) {
        buf_clear(&b);
        render_alias(job->s, p, page_alias_at(p, a), &b);
        char *path = xasprintf("%sindex.html", page_alias_at(p, a));
        out_write(job->out, path, b.ptr, b.len, r->d);
        free(path);
    }
    buf_free(&b);
}

/* } */

/* {====== The search index, one shard per top-level section ====== */

/* A page's entry in its shard; text is owned when own is set (a full
 * build), else it belongs to the cache's table (serve). */
typedef struct {
    const page *p;
    const page *top;
    char *text;
    size_t len;
    bool own;
} shard_page;

typedef struct {
    char *path;
    shard_page *pages;
    size_t n, cap;
} search_shard;

typedef struct {
    strmap *by_top; /* top page URL -> index in all, + 1 (0 is "none yet") */
    search_shard *all;
    size_t n, cap;
    out_tree *out;
} search_shards;

/* Files page p's text (in page order) under its section's shard. */
static void shard_add(search_shards *ss, const site *s, const page *p, char *text, size_t len, bool own)
{
    const page *top = site_top_of(s, p);
    uintptr_t at = (uintptr_t)strmap_get(ss->by_top, page_url(top));
    if (!at) {
        if (ss->n == ss->cap) {
            ss->cap = ss->cap ? ss->cap * 2 : 16;
            ss->all = xrealloc(ss->all, ss->cap * sizeof(search_shard));
        }
        ss->all[ss->n] = (search_shard){search_shard_path(page_url(top)), NULL, 0, 0};
        strmap_add(ss->by_top, page_url(top), (void *)(uintptr_t)(ss->n + 1));
        at = ++ss->n;
    }
    search_shard *sh = &ss->all[at - 1];
    if (sh->n == sh->cap) {
        sh->cap = sh->cap ? sh->cap * 2 : 16;
        sh->pages = xrealloc(sh->pages, sh->cap * sizeof(shard_page));
    }
    sh->pages[sh->n++] = (shard_page){p, top, text, len, own};
}

/* par_for_diag: indexes shard i's pages in page order and writes the shard
 * (any thread: each shard has its own index and stemmer). */
static void shard_write(void *ud, size_t i, diag_list *d)
{
    search_shards *ss = ud;
    search_shard *sh = &ss->all[i];
    search_index *ix = search_index_new();
    for (size_t k = 0; k < sh->n; k++) {
        shard_page *e = &sh->pages[k];
        search_index_add_text(ix, page_url(e->p), page_title(e->p), e->top != e->p ? page_title(e->top) : NULL,
                              e->text ? e->text : "", e->len);
        if (e->own)
            free(e->text);
        e->text = NULL;
    }
    buf_t b = BUF_INIT;
    search_index_json(ix, &b);
    search_index_free(ix);
    if (ss->out)
        out_write(ss->out, sh->path, b.ptr, b.len, d);
    buf_free(&b);
}

/* Writes every shard (in parallel) and the list of them. */
static void write_search(search_shards *ss, diag_list *d)
{
    par_for_diag(0, ss->n, shard_write, ss, d);
    const char **paths = xcalloc(ss->n + 1, sizeof(char *));
    for (size_t i = 0; i < ss->n; i++)
        paths[i] = ss->all[i].path;
    buf_t b = BUF_INIT;
    search_manifest_json(paths, ss->n, &b);
    if (ss->out)
        out_write(ss->out, "hakuhakemisto.json", b.ptr, b.len, d);
    free(paths);
    buf_free(&b);
}

static void shards_free(search_shards *ss)
{
    for (size_t i = 0; i < ss->n; i++) {
        for (size_t k = 0; k < ss->all[i].n; k++)
            if (ss->all[i].pages[k].own)
                free(ss->all[i].pages[k].text);
        free(ss->all[i].pages);
        free(ss->all[i].path);
    }
    free(ss->all);
    strmap_free(ss->by_top);
}

/* } */

/* Records a rendered page for the next build (or moves over last time's);
 * returns its entry in the table of this build, NULL when not serving. */
static const cached_out *remember_page(const page *p, render_slot *r, render_memo *memo, build_stats *st)
{
    if (r->same) {
        table_move(memo->made, memo->last, page_out(p));
        return table_get(memo->made, page_out(p));
    }
    st->rendered++;
    if (!memo->made)
        return NULL;
    size_t len = r->text.len;
    cached_out *e =
        table_put(memo->made, page_out(p), r->sig, r->text.ptr ? buf_detach(&r->text) : xstrdup(""), len);
    const char *const *ids;
    size_t n = page_anchors(p, &ids);
    if (ids) {
        e->anchors = xmalloc((n ? n : 1) * sizeof(char *));
        for (size_t i = 0; i < n; i++)
            e->anchors[i] = xstrdup(ids[i]);
        e->n_anchors = n;
    }
    return e;
}

static void render_all(site *s, const mustache_lib *lib, const render_nav *nav, const diagrams *dg,
                       const val *lambdas, const render_dates *dates, const hook_env *he, out_tree *out,
                       const src_tree *src, render_memo *memo, diag_list *d, build_stats *st)
{
    char date[16];
    build_date(date);
    const render_env env = {.date = date, .generator = "kasikirja " KK_VERSION, .dg = dg, .lambdas = lambdas,
                            .nav = nav, .dates = dates};
    for (size_t i = 0; out && i < he->n_files; i++)
        out_write(out, he->files[i].path, he->files[i].content, he->files[i].len, d);
    buf_t b = BUF_INIT;
    search_shards shards = {strmap_new(), NULL, 0, 0, out};
    render_sig_base *sig_base = NULL;
    if (memo->made)
        sig_base = render_sig_base_new(s, lib, &env, memo->data_hash, memo->hooks_hash);
    memo->sig_base = sig_base;
    /* Pages render (and are written) in parallel, a batch at a time; the
     * search index and the diagnostics follow in page order, so the output
     * is the same whatever the number of threads. */
    size_t n_pages = site_page_count(s);
    render_slot *slots = xcalloc(RENDER_BATCH, sizeof(render_slot));
    render_job job = {.s = s, .lib = lib, .env = &env, .sig_base = sig_base, .last = memo->last, .out = out,
                      .slots = slots};
    size_t n_threads = par_threads();
    for (size_t start = 0; start < n_pages; start += RENDER_BATCH) {
        size_t end = start + RENDER_BATCH < n_pages ? start + RENDER_BATCH : n_pages;
        job.begin = start;
        par_for(start, end, n_threads, render_one, &job);
        for (size_t i = start; i < end; i++) {
            render_slot *r = &slots[i - start];
            diag_list_merge(d, r->d);
            diag_list_free(r->d);
            page *p = site_page_at(s, i);
            if (r->ok) {
                st->pages++;
                /* The search index: the page's own text, under its top-level section
                 * (indexed at the end, a shard per thread). */
                const cached_out *kept = remember_page(p, r, memo, st);
                if (kept) {
                    shard_add(&shards, s, p, kept->content, kept->len, false);
                } else {
                    size_t len = r->text.len;
                    shard_add(&shards, s, p, r->text.ptr ? buf_detach(&r->text) : NULL, len, true);
                }
            }
            buf_free(&r->text);
            memset(r, 0, sizeof *r);
        }
    }
    free(slots);
    site_check_deferred(s, d);
    if (mustache_lib_has(lib, "404")) {
        buf_clear(&b);
        if (render_404(s, lib, &env, &b, d) && out)
            out_write(out, "404.html", b.ptr, b.len, d);
    }
    buf_clear(&b);
    render_sitemap(s, dates, &b);
    if (out)
        out_write(out, "sitemap.xml", b.ptr, b.len, d);
    write_search(&shards, d);
    shards_free(&shards);
    buf_clear(&b);
    render_robots(s, &b);
    if (out)
        out_write(out, "robots.txt", b.ptr, b.len, d);
    write_calendars(s, out, date, d);
    for (size_t i = 0; out && i < diagrams_file_count(dg); i++) { /* each chart alone */
        const char *data;
        size_t len;
        const char *path = diagrams_file_at(dg, i, &data, &len);
        out_write(out, path, data, len, d);
    }
    write_booklets(s, lib, &env, out, memo, d, st);
    for (size_t i = 0; out && i < src_count(src, SRC_STATIC); i++) {
        const src_file *f = src_at(src, SRC_STATIC, i);
        out_copy(out, f->path + strlen("layouts/static/"), f->abs_path, d);
    }
    buf_free(&b);
    render_sig_base_free(sig_base);
    memo->sig_base = NULL;
}

/* A Markdown page with 'mustache: true': its body is a template over the
 * data. Blank lines stand in for the front matter so that template errors,
 * and through map the Markdown's positions, point at the right line of the
 * file. */
static bool expand_page(void *ud, const char *path, const char *body, size_t len, int line_offset,
                        const val *site_data, const val *meta, buf_t *out, pos_map *map,
                        diag_list *d)
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
    if (env->model)
        val_set(ctx, "data", val_ref(model_data(env->model)));
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

/* {====== What serve keeps between builds ====== */

struct build_state {
    src_tree *src;
    model *m;
    mustache_lib *lib;
    expand_env *env;
    site *s;
    diagrams *dg;
    hooks *h;
    val *pages;
    hook_env *he;      /* the hooks' API context (their lambdas may call it while pages render) */
    render_nav *nav;
    uint64_t data_hash, hooks_hash;
    strmap *hashes;   /* source path -> uint64_t* of its bytes as built */
    uint64_t *hash_values;
    size_t n_pages;   /* pages of the last build (booklets included) */
    char *out_dir;
};

static void hook_files_free(hook_env *he)
{
    for (size_t i = 0; i < he->n_files; i++) {
        free(he->files[i].path);
        free(he->files[i].content);
    }
    free(he->files);
}

/* Frees what b holds. */
static void state_clear(build_state *b)
{
    render_nav_free(b->nav);
    hooks_free(b->h);
    val_free(b->pages);
    if (b->he)
        hook_files_free(b->he);
    free(b->he);
    free(b->out_dir);
    diagrams_free(b->dg);
    mustache_lib_free(b->lib);
    site_free(b->s);
    model_free(b->m);
    src_free(b->src);
    free(b->env);
    strmap_free(b->hashes);
    free(b->hash_values);
}

static void state_free(build_state *b)
{
    if (b)
        state_clear(b);
    free(b);
}

/* The fingerprint of every source file's bytes, to tell a save that
 * changed nothing from one that did. */
static void state_hash_sources(build_state *b)
{
    size_t n = 1;
    for (int k = 0; k < SRC_KIND_COUNT; k++)
        n += src_count(b->src, (src_kind)k);
    b->hashes = strmap_new();
    b->hash_values = xcalloc(n, sizeof(uint64_t));
    size_t at = 0;
    const src_file *cfg = src_config(b->src);
    if (cfg) {
        b->hash_values[at] = hash_bytes(HASH_SEED, cfg->data, cfg->len);
        strmap_add(b->hashes, cfg->path, &b->hash_values[at++]);
    }
    for (int k = 0; k < SRC_KIND_COUNT; k++) {
        if (k == SRC_STATIC)
            continue; /* copied, not read: a change to one is always a change */
        for (size_t i = 0; i < src_count(b->src, (src_kind)k); i++) {
            const src_file *f = src_at(b->src, (src_kind)k, i);
            b->hash_values[at] = hash_bytes(HASH_SEED, f->data, f->len);
            strmap_add(b->hashes, f->path, &b->hash_values[at++]);
        }
    }
}

typedef enum { PATCH_DONE, PATCH_FAILED, PATCH_NONE } patch_result;

/* Whether rel, which was not read as a source, is a folder now, or was a
 * file (a static one) or a folder of the kept site's sources: a new folder
 * may hold pages written before the watcher saw it, and a folder moved
 * away reports nothing about the files it held. */
static bool is_dir_or_held(const build_state *b, const char *root, const char *rel)
{
    bool dir = src_is_folder(root, rel);
    size_t len = strlen(rel);
    for (int k = 0; k < SRC_KIND_COUNT && !dir; k++)
        for (size_t i = 0; i < src_count(b->src, (src_kind)k) && !dir; i++) {
            const char *p = src_at(b->src, (src_kind)k, i)->path;
            dir = !strncmp(p, rel, len) && (p[len] == '/' || p[len] == '\0');
        }
    return dir;
}

/* Rewrites the search shards of the sections that hold the patched pages,
 * from the texts the cache keeps of every page in them. */
static void patch_search(const build_state *b, const out_table *done, page *const *patched, size_t n,
                         out_tree *out, diag_list *d)
{
    strmap *tops = strmap_new();
    for (size_t k = 0; k < n; k++)
        strmap_add(tops, page_url(site_top_of(b->s, patched[k])), NULL);
    search_shards ss = {strmap_new(), NULL, 0, 0, out};
    for (size_t i = 0; i < site_page_count(b->s); i++) {
        const page *p = site_page_at(b->s, i);
        if (!strmap_has(tops, page_url(site_top_of(b->s, p))))
            continue;
        const cached_out *c = table_get(done, page_out(p));
        shard_add(&ss, b->s, p, c ? c->content : NULL, c ? c->len : 0, false);
    }
    par_for_diag(0, ss.n, shard_write, &ss, d);
    shards_free(&ss);
    strmap_free(tops);
}

/* Serve's short way: when the saved files are content pages whose text
 * alone changed, those pages are patched into the kept site, rendered and
 * written with their search shards and booklets; nothing else is read,
 * parsed or written. PATCH_NONE when the change is of another kind (a full
 * build follows); PATCH_DONE also when nothing changed at all. */
static patch_result try_patch(build_cache *c, const build_options *o, diag_list *d, build_stats *st)
{
    build_state *b = c->state;
    if (!b || !o->changed || strcmp(b->out_dir, o->out_dir))
        return PATCH_NONE;
    size_t n = o->n_changed;
    buf_t *texts = xcalloc(n + 1, sizeof(buf_t));
    page **pages = xcalloc(n + 1, sizeof(page *));
    size_t n_pages = 0;
    patch_result r = PATCH_DONE;
    for (size_t i = 0; i < n && r == PATCH_DONE; i++) {
        const char *rel = o->changed[i];
        const uint64_t *was = strmap_get(b->hashes, rel);
        bool there = src_read(o->src_dir, rel, &texts[i]);
        if (!there && !was) {
            if (is_dir_or_held(b, o->src_dir, rel)) {
                r = PATCH_NONE; /* a folder came or went, or a static file went */
                break;
            }
            continue; /* came and went (an editor's temporary file) */
        }
        if (there && was && *was == hash_bytes(HASH_SEED, texts[i].ptr, texts[i].len))
            continue; /* saved as it was */
        page *p = there ? site_page_by_src(b->s, rel) : NULL;
        if (!p || strncmp(rel, "content/", 8)) {
            r = PATCH_NONE; /* a new, removed or non-page file */
            break;
        }
        bool dup = false;
        for (size_t k = 0; k < n_pages; k++)
            dup = dup || pages[k] == p;
        if (!dup)
            pages[n_pages++] = p;
    }
    size_t err0 = diag_errors(d);
    for (size_t k = 0; k < n_pages && r == PATCH_DONE; k++) {
        size_t i = 0;
        while (strcmp(o->changed[i], page_src(pages[k])))
            i++;
        site_patch pr = site_patch_page(b->s, pages[k], texts[i].ptr ? texts[i].ptr : "", texts[i].len, d);
        if (pr == SITE_PATCH_STRUCTURE)
            r = PATCH_NONE; /* pages patched so far are whole: the full build reads them anew */
        else if (pr == SITE_PATCH_ERRORS)
            r = PATCH_FAILED;
    }
    out_tree *out = r == PATCH_DONE && n_pages ? out_begin_patch(o->out_dir, c->manifest, d) : NULL;
    if (r == PATCH_DONE && n_pages && !out)
        r = diag_errors(d) > err0 ? PATCH_FAILED : PATCH_NONE;
    if (out) {
        char date[16];
        build_date(date);
        /* The saved page is changed in the work tree now: the history says when. */
        render_dates *dates = page_dates(o->src_dir, b->src, b->s, b->lib, b->dg, d);
        const render_env env = {.date = date, .generator = "kasikirja " KK_VERSION, .dg = b->dg,
                                .lambdas = b->h ? hooks_lambdas(b->h) : NULL, .nav = b->nav, .dates = dates};
        render_sig_base *base = render_sig_base_new(b->s, b->lib, &env, b->data_hash, b->hooks_hash);
        render_memo memo = {.last = &c->done, .made = &c->done, .sig_base = base, .data_hash = b->data_hash,
                            .hooks_hash = b->hooks_hash};
        /* Each page as a full build renders it (nothing to compare with: last is NULL). */
        render_slot slot;
        render_job job = {.s = b->s, .lib = b->lib, .env = &env, .sig_base = base, .out = out, .slots = &slot};
        for (size_t k = 0; k < n_pages; k++) {
            job.begin = 0;
            while (site_page_at(b->s, job.begin) != pages[k])
                job.begin++;
            memset(&slot, 0, sizeof slot);
            render_one(&job, job.begin);
            diag_list_merge(d, slot.d);
            diag_list_free(slot.d);
            if (slot.ok)
                remember_page(pages[k], &slot, &memo, st);
            buf_free(&slot.text);
        }
        patch_search(b, &c->done, pages, n_pages, out, d);
        buf_t sm = BUF_INIT;
        render_sitemap(b->s, dates, &sm); /* the patched pages' lastmod */
        out_write(out, "sitemap.xml", sm.ptr, sm.len, d);
        buf_free(&sm);
        build_stats bst = {0};
        write_booklets(b->s, b->lib, &env, out, &memo, d, &bst);
        st->rendered += bst.rendered;
        render_sig_base_free(base);
        render_dates_free(dates);
        st->written = out_written(out);
        if (diag_errors(d) > err0) {
            out_abort(out);
            r = PATCH_FAILED;
        } else if (!out_commit(out, d)) {
            r = PATCH_FAILED;
        }
    }
    if (r == PATCH_DONE) {
        for (size_t i = 0; i < n; i++) {
            uint64_t *was = strmap_get(b->hashes, o->changed[i]);
            if (was && texts[i].ptr)
                *was = hash_bytes(HASH_SEED, texts[i].ptr, texts[i].len);
        }
        st->pages = b->n_pages;
        st->files = out_manifest_count(c->manifest);
        st->diagrams = diagrams_count(b->dg);
    } else if (r == PATCH_FAILED) {
        /* The kept site holds the broken page: the next build starts afresh. */
        state_free(c->state);
        c->state = NULL;
    }
    for (size_t i = 0; i < n; i++)
        buf_free(&texts[i]);
    free(texts);
    free(pages);
    return r;
}

/* } */

bool build_run(const build_options *o, diag_list *d, build_stats *st)
{
    double t0 = clock_now_ms();
    const char *tv = getenv("KASIKIRJA_TIMINGS");
    stage_clock clk = {.on = tv && *tv && strcmp(tv, "0"), .last = t0, .line = BUF_INIT};
    memset(st, 0, sizeof *st);
    md_global_init();
    build_cache *c = o->write ? o->cache : NULL;
    if (c) {
        patch_result pr = try_patch(c, o, d, st);
        if (pr != PATCH_NONE) {
            stage(&clk, "patch");
            if (clk.on)
                fprintf(stderr, "kasikirja: timings (ms):%s\n", buf_cstr(&clk.line));
            buf_free(&clk.line);
            st->ms = clock_now_ms() - t0;
            return pr == PATCH_DONE;
        }
        /* A full build: what was kept describes the sources no more. */
        state_free(c->state);
        c->state = NULL;
    }
    src_tree *src = src_load(o->src_dir, d);
    stage(&clk, "load");
    model *m = src ? model_new(src, d) : NULL;
    stage(&clk, "model");
    mustache_lib *lib = src ? load_layouts(src, d) : NULL;
    expand_env *env = xcalloc(1, sizeof *env);
    *env = (expand_env){.lib = lib, .model = m};
    /* A plain build renders each page once, so each page is parsed once, as it
     * renders; serve keeps the outlines of every page from the start. */
    site *s = src ? site_new(src, (site_options){.base_url = o->base_url, .drafts = o->drafts, .model = m,
                                                  .expand = expand_page, .expand_ud = env, .defer = !c}, d) : NULL;
    stage(&clk, "site");
    diagrams *dg = s ? diagrams_new(src, m, d) : NULL;
    graph_ctx *gx = NULL;
    textm *tm = NULL;
    if (s && diag_errors(d) == 0) {
        /* Laid-out diagrams are kept by the hash of their DOT text. */
        char *cache = xasprintf("%s/.kasikirja-cache/kaaviot", o->src_dir);
        tm = textm_open_site(src, d);
        gx = graph_ctx_new(cache, tm);
        free(cache);
        diagrams_render(dg, gx, s, d);
    }
    stage(&clk, "diagrams");
    hook_env *he = xmalloc(sizeof *he);
    *he = (hook_env){.s = s, .dg = dg, .gx = gx, .d = d};
    const hooks_api api = {.ud = he, .add_page = api_add_page, .add_file = api_add_file,
                           .markdown = api_markdown, .url = api_url, .diagram = api_diagram};
    hooks *h = NULL;
    val *pages = NULL;
    if (s && diag_errors(d) == 0 && src_count(src, SRC_HOOK) > 0) {
        pages = pages_view(s);
        h = hooks_new(src, site_data(s), pages, m ? model_data(m) : NULL, &api, d);
        run_hooks(h, s, d);
    }
    stage(&clk, "hooks");
    if (s)
        site_resolve(s, d);
    stage(&clk, "resolve");
    if (dg) {
        st->diagrams = diagrams_count(dg);
        st->layouts = gx ? graph_ctx_layouts(gx) : 0;
        st->cache_hits = gx ? graph_ctx_cache_hits(gx) : 0;
    }
    graph_ctx_free(gx);
    textm_free(tm);
    he->gx = NULL;
    bool ok = s && diag_errors(d) == 0;
    if (s && !ok)
        site_parse_all(s, d); /* no rendering now, but every page's mistakes are reported */
    bool committed = false;
    build_state kept = {.src = src, .m = m, .lib = lib, .env = env, .s = s, .dg = dg, .h = h, .pages = pages,
                        .he = he};
    if (ok) {
        out_tree *out = !o->write ? NULL
                        : c       ? out_begin_incremental(o->out_dir, c->manifest, d)
                                  : out_begin(o->out_dir, d);
        if (!o->write || out) {
            out_table made;
            table_init(&made);
            /* Pages are skipped only when their old files can stay in place. */
            bool skip = c && out_incremental(out);
            if (c) { /* the fingerprints' inputs, kept for serve's patches */
                kept.data_hash = hash_sources(src, SRC_DATA);
                kept.hooks_hash = hash_sources(src, SRC_HOOK);
            }
            render_memo memo = {.last = skip ? &c->done : NULL, .made = c ? &made : NULL, .data_hash = kept.data_hash,
                                .hooks_hash = kept.hooks_hash};
            kept.nav = render_nav_new(s);
            render_dates *dates = page_dates(o->src_dir, src, s, lib, dg, d);
            stage(&clk, "history");
            render_all(s, lib, kept.nav, dg, h ? hooks_lambdas(h) : NULL, dates, he, out, src, &memo, d, st);
            render_dates_free(dates);
            if (out) {
                st->files = out_count(out) + 1; /* + the marker */
                st->written = out_written(out) + (skip ? 0 : 1); /* the marker is new in a full build */
            }
            stage(&clk, "render");
            if (out && diag_errors(d) == 0)
                committed = out_commit(out, d);
            else
                out_abort(out);
            if (committed && c) {
                table_free(&c->done);
                c->done = made;
            } else {
                table_free(&made);
            }
            stage(&clk, "commit");
        }
        ok = diag_errors(d) == 0;
    }
    he->d = NULL; /* the list is the caller's */
    if (committed && c) {
        /* Serve keeps all of it for the next save. */
        kept.n_pages = st->pages;
        kept.out_dir = xstrdup(o->out_dir);
        c->state = xmalloc(sizeof(build_state));
        *c->state = kept;
        state_hash_sources(c->state);
    } else {
        state_clear(&kept);
    }
    stage(&clk, "free");
    if (clk.on)
        fprintf(stderr, "kasikirja: timings (ms):%s\n", buf_cstr(&clk.line));
    buf_free(&clk.line);
    st->ms = clock_now_ms() - t0;
    return ok;
}
