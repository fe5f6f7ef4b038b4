/* publish: the rendering stage run over the whole site and handed to the writer. */
#include "publish.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "0-base/buf.h"
#include "0-base/par.h"
#include "0-base/strmap.h"
#include "0-base/xmem.h"
#include "1-load/history.h"
#include "4-render/booklet.h"
#include "4-render/ical.h"
#include "4-render/search.h"

/* SOURCE_DATE_EPOCH (reproducible builds), or 0 when it is not set. */
static int64_t source_date_epoch(void)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    return sde && *sde ? (int64_t)strtoll(sde, NULL, 10) : 0;
}

/* The build date: SOURCE_DATE_EPOCH when set (reproducible builds), else today. */
void publish_date(char out[16])
{
    int64_t sde = source_date_epoch();
    time_t t = sde > 0 ? (time_t)sde : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

/* When each page's content last changed: one history walk over the files
 * that count as content (pages, data, diagram definitions), no date past
 * SOURCE_DATE_EPOCH; the dates every page of this site gets from it. */
render_dates *publish_dates(const char *root, const src_tree *src, const site *s, const mustache_lib *lib,
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

void publish_declare(site *s, const mustache_lib *lib, const diagrams *dg)
{
    /* The same conditions as publish_files, write_calendars and booklet_plan. */
    if (mustache_lib_has(lib, "404"))
        site_add_output(s, "404.html");
    site_add_output(s, "sitemap.xml");
    site_add_output(s, "robots.txt");
    site_add_output(s, "hakuhakemisto.json");
    const val *data = site_model_data(s);
    if (data && val_len(val_get(data, "tapahtumat"))) {
        site_add_output(s, "vuosikello.ics");
        const val *forums = val_get(data, "foorumit");
        for (size_t i = 0; i < val_len(forums); i++) {
            const val *f = val_at(forums, i);
            if (!val_as_bool(val_get(f, "kalenteri")) || !val_get_str(f, "url"))
                continue;
            char *path = xasprintf("%skalenteri.ics", val_get_str(f, "url"));
            site_add_output(s, path);
            free(path);
        }
    }
    for (size_t i = 0; dg && i < diagrams_file_count(dg); i++) {
        const char *data_;
        size_t len;
        site_add_output(s, diagrams_file_at(dg, i, &data_, &len));
    }
    if (!mustache_lib_has(lib, "kirja") || !site_home(s))
        return;
    site_add_output(s, "tulosta/");
    for (size_t i = 0; i < site_page_count(s); i++) {
        const page *p = site_page_at(s, i);
        if (!val_as_bool(val_get(page_meta(p), "kirjanen")))
            continue;
        char *url = xasprintf("%stulosta/", page_url(p));
        site_add_output(s, url);
        free(url);
    }
}

/* One run of publish_site or publish_patch. */
typedef struct {
    const publish_options *o;
    publish_memo memo;
    const render_env *env;
    render_sig_base *sig_base; /* with memo.made */
    diag_list *d;
    build_stats *st;
} pass;

/* Keeps an unchanged output (same fingerprint as last time, and still in
 * the output folder); true when it was kept. */
static bool keep_same(pass *ps, const char *path, uint64_t sig)
{
    const build_cache_entry *c = build_cache_table_get(ps->memo.last, path);
    if (!c || c->sig != sig || !ps->o->out || !out_keep(ps->o->out, path))
        return false;
    build_cache_table_move(ps->memo.made, ps->memo.last, path);
    return true;
}

/* {====== Printable booklets ====== */

/* Renders and writes one booklet, or keeps it when its pages and layout
 * are as last time. */
static void write_booklet(pass *ps, const booklet *bk, buf_t *b)
{
    const site *s = ps->o->s;
    const page *const *list = bk->pages;
    char *path = xasprintf("%sindex.html", bk->url);
    uint64_t sig = 0;
    if (ps->memo.made) {
        uint64_t *sigs = xcalloc(bk->n + 1, sizeof(uint64_t));
        for (size_t i = 0; i < bk->n; i++) {
            const build_cache_entry *c = build_cache_table_get(ps->memo.made, page_out(list[i]));
            sigs[i] = c ? c->sig : 0;
        }
        sig = render_booklet_sig(s, list, sigs, bk->n, bk->url, bk->title, ps->o->lib, ps->sig_base);
        free(sigs);
        if (keep_same(ps, path, sig)) {
            ps->st->pages++;
            free(path);
            return;
        }
    }
    buf_clear(b);
    if (render_booklet(s, list, bk->n, bk->url, bk->title, ps->o->lib, ps->env, b, ps->d)) {
        ps->st->pages++;
        ps->st->rendered++;
        if (ps->o->out)
            out_write(ps->o->out, path, b->ptr, b->len, ps->d);
        if (ps->memo.made)
            build_cache_table_put(ps->memo.made, path, sig, NULL, 0);
    }
    free(path);
}

/* Every booklet of the site (render/booklet.h), in order. */
static void write_booklets(pass *ps)
{
    booklet_list l = booklet_plan(ps->o->s, ps->o->lib);
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < l.n; i++)
        write_booklet(ps, &l.all[i], &b);
    buf_free(&b);
    booklet_list_free(&l);
}

/* } */

/* {====== Parallel rendering ====== */

/* Pages rendered per batch: bounds the memory held between render and the
 * search index. */
#define RENDER_BATCH 256

typedef struct {
    buf_t text; /* the page's own text, for the search index */
    diag_list *d;
    bool ok;
    uint64_t sig;
    const build_cache_entry *same; /* incremental: the page came out the same last time */
} render_slot;

typedef struct {
    const site *s;
    const mustache_lib *lib;
    const render_env *env;
    const render_sig_base *sig_base; /* incremental builds only */
    const build_cache_table *last;           /* what the last build made */
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
        const build_cache_entry *c = build_cache_table_get(job->last, page_out(p));
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

/* Indexes the shards and writes them, and the list of them when all is set. */
static void write_search(search_shards *ss, out_tree *out, bool all, diag_list *d)
{
    search_shards_index(ss);
    for (size_t i = 0; out && i < search_shards_count(ss); i++) {
        const buf_t *json;
        const char *path = search_shards_at(ss, i, &json);
        out_write(out, path, json->ptr ? json->ptr : "", json->len, d);
    }
    if (!all || !out)
        return;
    buf_t b = BUF_INIT;
    search_shards_manifest(ss, &b);
    out_write(out, "hakuhakemisto.json", b.ptr, b.len, d);
    buf_free(&b);
}

/* Records a rendered page for the next build (or moves over last time's);
 * returns its entry in the table of this build, NULL when not serving. */
static const build_cache_entry *remember_page(const page *p, render_slot *r, publish_memo *memo, build_stats *st)
{
    if (r->same) {
        build_cache_table_move(memo->made, memo->last, page_out(p));
        return build_cache_table_get(memo->made, page_out(p));
    }
    st->rendered++;
    if (!memo->made)
        return NULL;
    size_t len = r->text.len;
    build_cache_entry *e =
        build_cache_table_put(memo->made, page_out(p), r->sig, r->text.ptr ? buf_detach(&r->text) : xstrdup(""), len);
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

/* Renders every page, a batch at a time in parallel (each written as it
 * renders); the search index and the diagnostics follow in page order, so
 * the output is the same whatever the number of threads. */
static void publish_pages(pass *ps, search_shards *shards)
{
    site *s = ps->o->s;
    size_t n_pages = site_page_count(s);
    render_slot *slots = xcalloc(RENDER_BATCH, sizeof(render_slot));
    render_job job = {.s = s, .lib = ps->o->lib, .env = ps->env, .sig_base = ps->sig_base,
                      .last = ps->memo.last, .out = ps->o->out, .slots = slots};
    size_t n_threads = par_threads();
    for (size_t start = 0; start < n_pages; start += RENDER_BATCH) {
        size_t end = start + RENDER_BATCH < n_pages ? start + RENDER_BATCH : n_pages;
        job.begin = start;
        par_for(start, end, n_threads, render_one, &job);
        for (size_t i = start; i < end; i++) {
            render_slot *r = &slots[i - start];
            diag_list_merge(ps->d, r->d);
            diag_list_free(r->d);
            page *p = site_page_at(s, i);
            if (r->ok) {
                ps->st->pages++;
                /* The search index: the page's own text, under its top-level section
                 * (indexed at the end, a shard per thread). */
                const build_cache_entry *kept = remember_page(p, r, &ps->memo, ps->st);
                if (kept) {
                    search_shards_add(shards, s, p, kept->content, kept->len, false);
                } else {
                    size_t len = r->text.len;
                    search_shards_add(shards, s, p, r->text.ptr ? buf_detach(&r->text) : NULL, len, true);
                }
            }
            buf_free(&r->text);
            memset(r, 0, sizeof *r);
        }
    }
    free(slots);
}

/* The files the hooks wrote (kasikirja.file), and their workbooks (kasikirja.xlsx) made into
 * bytes here, in the writing stage, dated like the build (SOURCE_DATE_EPOCH, or today at
 * midnight UTC: the same bytes all day, so serve does not rewrite an unchanged workbook). */
static void publish_hook_files(const publish_options *o, diag_list *d)
{
    int64_t sde = source_date_epoch();
    time_t created = sde > 0 ? (time_t)sde : time(NULL) / 86400 * 86400;
    for (size_t i = 0; o->out && o->he && i < hook_env_file_count(o->he); i++) {
        const char *content;
        size_t len;
        const xlsx_book *book;
        const char *path = hook_env_file_at(o->he, i, &content, &len, &book);
        if (!book) {
            out_write(o->out, path, content, len, d);
            continue;
        }
        buf_t b = BUF_INIT;
        char *err = NULL;
        if (xlsx_render(book, created, &b, &err))
            out_write(o->out, path, b.ptr, b.len, d);
        else
            diag_error(d, NULL, 0, 0, "%s: %s", path, err);
        free(err);
        buf_free(&b);
    }
}

/* The files the site has besides its pages and booklets, in this order:
 * 404, sitemap, the search shards, robots.txt, calendars and charts. */
static void publish_files(pass *ps, search_shards *shards, const char *date, buf_t *b)
{
    const publish_options *o = ps->o;
    out_tree *out = o->out;
    diag_list *d = ps->d;
    if (mustache_lib_has(o->lib, "404")) {
        buf_clear(b);
        if (render_404(o->s, o->lib, ps->env, b, d) && out)
            out_write(out, "404.html", b->ptr, b->len, d);
    }
    buf_clear(b);
    render_sitemap(o->s, o->dates, b);
    if (out)
        out_write(out, "sitemap.xml", b->ptr, b->len, d);
    write_search(shards, out, true, d);
    buf_clear(b);
    render_robots(o->s, b);
    if (out)
        out_write(out, "robots.txt", b->ptr, b->len, d);
    write_calendars(o->s, out, date, d);
    for (size_t i = 0; out && i < diagrams_file_count(o->dg); i++) { /* each chart alone */
        const char *data;
        size_t len;
        const char *path = diagrams_file_at(o->dg, i, &data, &len);
        out_write(out, path, data, len, d);
    }
}

/* Starts a pass: the render environment (env, filled; date its storage)
 * and, when remembering, the fingerprints' shared part. */
static pass pass_begin(const publish_options *o, render_env *env, char date[16], diag_list *d, build_stats *st)
{
    publish_date(date);
    *env = (render_env){.date = date, .generator = "kasikirja " KK_VERSION, .dg = o->dg, .lambdas = o->lambdas,
                        .nav = o->nav, .dates = o->dates};
    pass ps = {.o = o, .memo = o->memo, .env = env, .d = d, .st = st};
    if (o->memo.made)
        ps.sig_base = render_sig_base_new(o->s, o->lib, env, o->memo.data_hash, o->memo.hooks_hash);
    return ps;
}

void publish_site(const publish_options *o, diag_list *d, build_stats *st)
{
    char date[16];
    render_env env;
    pass ps = pass_begin(o, &env, date, d, st);
    buf_t b = BUF_INIT;
    publish_hook_files(o, d);
    search_shards *shards = search_shards_new();
    publish_pages(&ps, shards);
    site_check_deferred(o->s, d);
    publish_files(&ps, shards, date, &b);
    search_shards_free(shards);
    write_booklets(&ps);
    for (size_t i = 0; o->out && i < src_count(o->src, SRC_STATIC); i++) {
        const src_file *f = src_at(o->src, SRC_STATIC, i);
        out_copy(o->out, f->path + strlen("layouts/static/"), f->abs_path, d);
    }
    buf_free(&b);
    render_sig_base_free(ps.sig_base);
}

/* Rewrites the search shards of the sections that hold the patched pages,
 * from the texts the cache keeps of every page in them. */
static void patch_search(pass *ps, page *const *patched, size_t n)
{
    const site *s = ps->o->s;
    strmap *tops = strmap_new();
    for (size_t k = 0; k < n; k++)
        strmap_add(tops, page_url(site_top_of(s, patched[k])), NULL);
    search_shards *ss = search_shards_new();
    for (size_t i = 0; i < site_page_count(s); i++) {
        const page *p = site_page_at(s, i);
        if (!strmap_has(tops, page_url(site_top_of(s, p))))
            continue;
        const build_cache_entry *c = build_cache_table_get(ps->memo.made, page_out(p));
        search_shards_add(ss, s, p, c ? c->content : NULL, c ? c->len : 0, false);
    }
    write_search(ss, ps->o->out, false, ps->d);
    search_shards_free(ss);
    strmap_free(tops);
}

void publish_patch(const publish_options *o, page *const *pages, size_t n, diag_list *d, build_stats *st)
{
    char date[16];
    render_env env;
    pass ps = pass_begin(o, &env, date, d, st);
    /* Each page as a full build renders it (nothing to compare with: last is NULL). */
    render_slot slot;
    render_job job = {.s = o->s, .lib = o->lib, .env = &env, .sig_base = ps.sig_base, .out = o->out,
                      .slots = &slot};
    for (size_t k = 0; k < n; k++) {
        job.begin = 0;
        while (site_page_at(o->s, job.begin) != pages[k])
            job.begin++;
        memset(&slot, 0, sizeof slot);
        render_one(&job, job.begin);
        diag_list_merge(d, slot.d);
        diag_list_free(slot.d);
        if (slot.ok)
            remember_page(pages[k], &slot, &ps.memo, st);
        buf_free(&slot.text);
    }
    patch_search(&ps, pages, n);
    buf_t sm = BUF_INIT;
    render_sitemap(o->s, o->dates, &sm); /* the patched pages' lastmod */
    if (o->out)
        out_write(o->out, "sitemap.xml", sm.ptr, sm.len, d);
    buf_free(&sm);
    build_stats bst = {0}; /* the booklets count as pages of the build already */
    ps.st = &bst;
    write_booklets(&ps);
    st->rendered += bst.rendered;
    render_sig_base_free(ps.sig_base);
}
