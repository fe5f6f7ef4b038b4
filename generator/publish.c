/* publish: the rendering stage run over the whole site and handed to the writer. */
#include "publish.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "0-base/buf.h"
#include "0-base/hash.h"
#include "0-base/par.h"
#include "0-base/strmap.h"
#include "0-base/xmem.h"
#include "1-load/history.h"
#include "2-model/loc.h"
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
            if (!src_at(src, content_kinds[k], i)->theme_page) /* dated by the data, see page_date */
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


/* One run of publish_site or publish_patch. */
typedef struct {
    const publish_options *o;
    publish_memo memo;
    const render_env *env;
    render_sig_base *sig_base; /* with memo.made */
    diag_list *d;
    build_stats *st;
    search_index *search[SITE_MAX_LANGS]; /* the search index of each language: fragments written as pages
                                            render, the rest with the site-wide files */
    const char *date;      /* the build date */
    buf_t buf;             /* for the site-wide files */
    booklet_list books;    /* planned at the first booklet written */
    bool books_planned;
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
static void write_booklet(pass *ps, const booklet *bk, const booklet_list *parts, buf_t *b)
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
        if (parts) /* the index of the parts: they follow from its pages */
            sig = hash_u64(sig, bk->n_parts);
        if (keep_same(ps, path, sig)) {
            ps->st->pages++;
            free(path);
            return;
        }
    }
    buf_clear(b);
    bool ok;
    if (parts) {
        const char **urls = xcalloc(bk->n_parts, sizeof(char *));
        const char **titles = xcalloc(bk->n_parts, sizeof(char *));
        size_t *counts = xcalloc(bk->n_parts, sizeof(size_t));
        for (size_t i = 0; i < bk->n_parts; i++) {
            const booklet *part = &parts->parts[bk->first_part + i];
            urls[i] = part->url;
            titles[i] = part->title;
            counts[i] = part->n;
        }
        ok = render_booklet_index(s, list, bk->n, urls, titles, counts, bk->n_parts, bk->url, bk->title, bk->lang,
                                  ps->o->lib, ps->env, b, ps->d);
        free(urls);
        free(titles);
        free(counts);
    } else {
        ok = render_booklet(s, list, bk->n, bk->url, bk->title, bk->lang, ps->o->lib, ps->env, b, ps->d);
    }
    if (ok) {
        ps->st->pages++;
        ps->st->rendered++;
        if (ps->o->out)
            out_write(ps->o->out, path, b->ptr, b->len, ps->d);
        if (ps->memo.made)
            build_cache_table_put(ps->memo.made, path, sig, NULL, 0);
    }
    free(path);
}

/* } */

/* {====== Parallel rendering ====== */

/* Pages rendered per batch: bounds the memory held between render and the
 * search index. */
#define RENDER_BATCH 256

typedef struct {
    buf_t text; /* the page's own text, for the search index */
    search_doc *doc; /* its words, stemmed on the rendering thread */
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
    search_index *const *search; /* per language; NULL: the pages' words are not stemmed here */
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
    if (r->ok && job->search) {
        const char *text = r->same ? r->same->content : r->text.ptr;
        size_t len = r->same ? r->same->len : r->text.len;
        r->doc = search_analyze(job->search[page_lang(p)], page_title(p), text, len);
        const page *top = site_top_of(job->s, p); /* as search_add_page gives it */
        search_doc_fragment(r->doc, page_url(p), page_title(p), top != p ? page_title(top) : NULL, text, len);
    }
    site_page_release(job->s, p);
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

/* The search index of each of the site's languages: the default
 * language's at the root, the others under their code ("sv/"). Free with
 * searches_free. */
static void searches_new(const site *s, search_index **ix)
{
    for (size_t k = 0; k < site_lang_count(s); k++) {
        char *prefix = k ? xasprintf("%s/", site_lang_at(s, k)) : xstrdup("");
        ix[k] = search_index_new_lang(site_lang_at(s, k), prefix);
        free(prefix);
    }
}

static void searches_free(const site *s, search_index **ix)
{
    for (size_t k = 0; k < site_lang_count(s); k++)
        search_index_free(ix[k]);
}

/* Adds page p (the next of its language in page order) to its language's
 * search index and writes its fragment; doc is consumed (NULL: stemmed here). */
static void search_add_page(search_index *const *search, const site *s, const page *p, const char *text, size_t len,
                            search_doc *doc, out_tree *out, buf_t *frag, diag_list *d)
{
    search_index *ix = search[page_lang(p)];
    size_t no, pages;
    if (page_list(p, &no, &pages) && no > 1) { /* a list's page 2, 3, …: its section is indexed */
        search_doc_free(doc);
        return;
    }
    const page *top = site_top_of(s, p);
    search_index_add_doc(ix, page_url(p), page_title(p), top != p ? page_title(top) : NULL, text, len, doc, frag);
    if (!out)
        return;
    char *path = search_index_fragment_path(ix, search_index_page_count(ix) - 1);
    out_write(out, path, frag->ptr ? frag->ptr : "", frag->len, d);
    free(path);
}

/* Splits the index into its chunks and writes them, and the manifest when
 * manifest is not NULL. Unchanged chunks keep their names (content-hashed),
 * so an incremental build or a patch writes only the chunks that changed. */
static void write_search(search_index *ix, out_tree *out, const char *manifest, diag_list *d)
{
    search_index_finish(ix);
    for (size_t i = 0; out && i < search_index_chunk_count(ix); i++) {
        const buf_t *json;
        const char *path = search_index_chunk_at(ix, i, &json);
        out_write(out, path, json->ptr ? json->ptr : "", json->len, d);
    }
    if (!manifest || !out)
        return;
    buf_t b = BUF_INIT;
    search_index_manifest(ix, &b);
    out_write(out, manifest, b.ptr, b.len, d);
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
static void publish_pages(pass *ps, search_index *const *search)
{
    site *s = ps->o->s;
    size_t n_pages = site_page_count(s);
    render_slot *slots = xcalloc(RENDER_BATCH, sizeof(render_slot));
    render_job job = {.s = s, .lib = ps->o->lib, .env = ps->env, .sig_base = ps->sig_base,
                      .last = ps->memo.last, .out = ps->o->out, .search = search, .slots = slots};
    buf_t frag = BUF_INIT;
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
                /* The search index: the page's words (stemmed on its thread) join the
                 * postings and its fragment is written now; its text is not kept. */
                const build_cache_entry *kept = remember_page(p, r, &ps->memo, ps->st);
                search_add_page(search, s, p, kept ? kept->content : r->text.ptr, kept ? kept->len : r->text.len,
                                r->doc, ps->o->out, &frag, ps->d);
                r->doc = NULL;
            }
            search_doc_free(r->doc);
            buf_free(&r->text);
            memset(r, 0, sizeof *r);
        }
        site_check_rendered(s, start, end, ps->d);
    }
    buf_free(&frag);
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

/* {====== The site-wide files ====== */

/* Calls fn for each path of a family of site-wide files, with its index. */
typedef void (*path_fn)(void *ud, const char *path, size_t i);

/* A site-wide file, or a family of them: when the site has it, its path (or
 * its paths and their indexes), and how one is written. The one table
 * tells the site which addresses links may lead to (publish_declare) and
 * writes them (publish_site), so the two cannot disagree. */
typedef struct {
    const char *path; /* the one file, or NULL: each lists them */
    bool (*when)(const site *s, const mustache_lib *lib); /* NULL: always */
    void (*each)(const site *s, const mustache_lib *lib, const diagrams *dg, path_fn fn, void *ud);
    void (*write)(pass *ps, const char *path, size_t i);
} site_output;

static bool has_404(const site *s, const mustache_lib *lib)
{
    (void)s;
    return mustache_lib_has(lib, "404");
}

/* 404.html, and sv/404.html for each other language with a front page of its own (a
 * server can send it for what is missing under sv/). */
static void paths_404(const site *s, const mustache_lib *lib, const diagrams *dg, path_fn fn, void *ud)
{
    (void)lib;
    (void)dg;
    fn(ud, "404.html", 0);
    for (size_t k = 1; k < site_lang_count(s); k++) {
        if (!site_home_lang(s, k))
            continue;
        char *path = xasprintf("%s/404.html", site_lang_at(s, k));
        fn(ud, path, k);
        free(path);
    }
}

static void write_404(pass *ps, const char *path, size_t i)
{
    const publish_options *o = ps->o;
    buf_clear(&ps->buf);
    if (render_404(o->s, i, o->lib, ps->env, &ps->buf, ps->d) && o->out)
        out_write(o->out, path, ps->buf.ptr, ps->buf.len, ps->d);
}

static void write_sitemap(pass *ps, const char *path, size_t i)
{
    (void)i;
    buf_clear(&ps->buf);
    render_sitemap(ps->o->s, ps->o->dates, &ps->buf);
    if (ps->o->out)
        out_write(ps->o->out, path, ps->buf.ptr, ps->buf.len, ps->d);
}

/* Each language's search index: its manifest, hakuhakemisto.json under the
 * language's prefix (search_index_new_lang), with i the language. */
static void search_paths(const site *s, const mustache_lib *lib, const diagrams *dg, path_fn fn, void *ud)
{
    (void)lib;
    (void)dg;
    for (size_t k = 0; k < site_lang_count(s); k++) {
        char *path = k ? xasprintf("%s/hakuhakemisto.json", site_lang_at(s, k)) : xstrdup("hakuhakemisto.json");
        fn(ud, path, k);
        free(path);
    }
}

/* Language i's search index: its chunks (under their own names) and its manifest at path. */
static void write_search_all(pass *ps, const char *path, size_t i)
{
    write_search(ps->search[i], ps->o->out, path, ps->d);
}

static void write_robots(pass *ps, const char *path, size_t i)
{
    (void)i;
    buf_clear(&ps->buf);
    render_robots(ps->o->s, &ps->buf);
    if (ps->o->out)
        out_write(ps->o->out, path, ps->buf.ptr, ps->buf.len, ps->d);
}

/* The annual cycle as iCalendar: vuosikello.ics (0), and kalenteri.ics
 * beside every forum page that has events (1 + the forum's index); on a
 * site with several languages the same under each other language's folder
 * ("sv/vuosikello.ics": index + the language's number × (forums + 1)). */
static bool has_calendar(const site *s, const mustache_lib *lib)
{
    (void)lib;
    const val *data = site_model_data(s);
    return data && val_len(val_get(data, "tapahtumat"));
}

static void calendar_paths(const site *s, const mustache_lib *lib, const diagrams *dg, path_fn fn, void *ud)
{
    (void)lib;
    (void)dg;
    const val *forums = val_get(site_model_data(s), "foorumit");
    size_t per_lang = val_len(forums) + 1;
    for (size_t k = 0; k < site_lang_count(s); k++) {
        char *dir = k ? xasprintf("%s/", site_lang_at(s, k)) : xstrdup("");
        char *path = xasprintf("%svuosikello.ics", dir);
        fn(ud, path, k * per_lang);
        free(path);
        for (size_t i = 0; i < val_len(forums); i++) {
            const val *f = val_at(forums, i);
            if (!val_as_bool(val_get(f, "kalenteri")) || !val_get_str(f, "url"))
                continue;
            path = xasprintf("%s%skalenteri.ics", dir, val_get_str(f, "url"));
            fn(ud, path, k * per_lang + i + 1);
            free(path);
        }
        free(dir);
    }
}

/* Whether the site writes the page at url (ical_lang.has_page). */
static bool site_has_page(void *ud, const char *url)
{
    char *out = xasprintf("%sindex.html", url);
    bool has = site_output_owner(ud, out) != NULL;
    free(out);
    return has;
}

/* Yearly events start in the build's year. */
static void write_calendar(pass *ps, const char *path, size_t i)
{
    const site *s = ps->o->s;
    if (!ps->o->out)
        return;
    const val *data = site_model_data(s);
    size_t per_lang = val_len(val_get(data, "foorumit")) + 1, k = i / per_lang;
    i %= per_lang;
    const val *f = i ? val_at(val_get(data, "foorumit"), i - 1) : NULL;
    const char *base = site_base_url(s);
    const char *host = strstr(base, "://");
    char *domain = host ? xstrndup(host + 3, strcspn(host + 3, "/")) : xstrdup("kasikirja");
    char stamp[32];
    snprintf(stamp, sizeof stamp, "%.4s%.2s%.2sT000000Z", ps->date, ps->date + 5, ps->date + 8);
    buf_clear(&ps->buf);
    const val *events = val_get(f ? f : data, "tapahtumat");
    if (site_lang_count(s) < 2) { /* one language: no LANGUAGE parameters */
        ical_calendar(events, f ? val_get_str(f, "nimi") : site_title(s), base, domain, atoi(ps->date), stamp,
                      &ps->buf);
    } else {
        const i18n *cat = site_i18n_lang(s, k);
        ical_lang l = {.lang = site_lang_at(s, k), .fallback = site_lang_at(s, 0),
                       .forum = i18n_text(cat, "kalenteri.foorumi"), .owner = i18n_text(cat, "kalenteri.vastuu"),
                       .has_page = k ? site_has_page : NULL, .ud = (void *)s};
        const char *name = f ? loc_field(f, "nimi", k ? l.lang : NULL, NULL)
                             : val_get_str(site_data_lang(s, k), "title");
        ical_calendar_lang(events, name, base, domain, atoi(ps->date), stamp, &l, &ps->buf);
    }
    out_write(ps->o->out, path, ps->buf.ptr, ps->buf.len, ps->d);
    free(domain);
}

/* Each chart alone, as SVG. */
static void chart_paths(const site *s, const mustache_lib *lib, const diagrams *dg, path_fn fn, void *ud)
{
    (void)s;
    (void)lib;
    for (size_t i = 0; dg && i < diagrams_file_count(dg); i++) {
        const char *data;
        size_t len;
        fn(ud, diagrams_file_at(dg, i, &data, &len), i);
    }
}

static void write_chart(pass *ps, const char *path, size_t i)
{
    const char *data;
    size_t len;
    diagrams_file_at(ps->o->dg, i, &data, &len);
    if (ps->o->out)
        out_write(ps->o->out, path, data, len, ps->d);
}

/* The booklets, in booklet_plan's order: tulosta/ and each other language's
 * <lang>/tulosta/, then <page>tulosta/. */
static void booklet_paths(const site *s, const mustache_lib *lib, const diagrams *dg, path_fn fn, void *ud)
{
    (void)lib;
    (void)dg;
    size_t k = 0;
    for (size_t lang = 0; lang < site_lang_count(s); lang++) {
        const page *home = site_home_lang(s, lang);
        if (!home)
            continue;
        char *url = xasprintf("%stulosta/", page_url(home));
        fn(ud, url, k++);
        free(url);
    }
    for (size_t i = 0; i < site_page_count(s); i++) {
        const page *p = site_page_at(s, i);
        if (!booklet_page_wants(p))
            continue;
        char *url = xasprintf("%stulosta/", page_url(p));
        fn(ud, url, k++);
        free(url);
    }
}

static void write_booklet_at(pass *ps, const char *path, size_t i)
{
    if (!ps->books_planned) {
        ps->books = booklet_plan(ps->o->s, ps->o->lib);
        ps->books_planned = true;
    }
    assert(i < ps->books.n && !strcmp(ps->books.all[i].url, path));
    const booklet *bk = &ps->books.all[i];
    write_booklet(ps, bk, bk->n_parts ? &ps->books : NULL, &ps->buf);
    /* A handbook in parts: each part after the index (tulosta/<section>/), a booklet of its own. */
    for (size_t k = 0; k < bk->n_parts; k++)
        write_booklet(ps, &ps->books.parts[bk->first_part + k], NULL, &ps->buf);
}

enum { OUT_404, OUT_SITEMAP, OUT_SEARCH, OUT_ROBOTS, OUT_CALENDARS, OUT_CHARTS, OUT_BOOKLETS, OUT_COUNT };

/* In the order they are written. */
static const site_output site_outputs[OUT_COUNT] = {
    [OUT_404] = {NULL, has_404, paths_404, write_404},
    [OUT_SITEMAP] = {"sitemap.xml", NULL, NULL, write_sitemap},
    [OUT_SEARCH] = {NULL, NULL, search_paths, write_search_all},
    [OUT_ROBOTS] = {"robots.txt", NULL, NULL, write_robots},
    [OUT_CALENDARS] = {NULL, has_calendar, calendar_paths, write_calendar},
    [OUT_CHARTS] = {NULL, NULL, chart_paths, write_chart},
    [OUT_BOOKLETS] = {NULL, booklet_site_wants, booklet_paths, write_booklet_at},
};

static void declare_one(void *ud, const char *path, size_t i)
{
    (void)i;
    site_add_output(ud, path);
}

void publish_declare(site *s, const mustache_lib *lib, const diagrams *dg)
{
    for (size_t k = 0; k < OUT_COUNT; k++) {
        const site_output *e = &site_outputs[k];
        if (e->when && !e->when(s, lib))
            continue;
        if (e->path)
            site_add_output(s, e->path);
        else
            e->each(s, lib, dg, declare_one, s);
    }
}

/* The writer of the entry being written, for path_fn. */
typedef struct {
    pass *ps;
    const site_output *e;
} write_ctx;

static void write_one(void *ud, const char *path, size_t i)
{
    write_ctx *w = ud;
    w->e->write(w->ps, path, i);
}

/* Writes entry k of site_outputs, when the site has it. */
static void write_output(pass *ps, size_t k)
{
    const publish_options *o = ps->o;
    const site_output *e = &site_outputs[k];
    if (e->when && !e->when(o->s, o->lib))
        return;
    if (e->path) {
        e->write(ps, e->path, 0);
    } else {
        write_ctx w = {ps, e};
        e->each(o->s, o->lib, o->dg, write_one, &w);
    }
    buf_free(&ps->buf); /* a large site's sitemap is megabytes: not kept for the next file */
}

/* } */

/* Starts a pass: the render environment (env, filled; date its storage)
 * and, when remembering, the fingerprints' shared part. */
static pass pass_begin(const publish_options *o, render_env *env, char date[16], diag_list *d, build_stats *st)
{
    publish_date(date);
    *env = (render_env){.date = date, .generator = "kasikirja " KK_VERSION, .dg = o->dg, .lambdas = o->lambdas,
                        .dates = o->dates};
    pass ps = {.o = o, .memo = o->memo, .env = env, .d = d, .st = st, .date = date, .buf = BUF_INIT};
    if (o->memo.made)
        ps.sig_base = render_sig_base_new(o->s, o->lib, env, o->memo.data_hash, o->memo.hooks_hash);
    return ps;
}

static void pass_end(pass *ps)
{
    buf_free(&ps->buf);
    booklet_list_free(&ps->books);
    render_sig_base_free(ps->sig_base);
}

void publish_site(const publish_options *o, diag_list *d, build_stats *st)
{
    char date[16];
    render_env env;
    pass ps = pass_begin(o, &env, date, d, st);
    publish_hook_files(o, d);
    searches_new(o->s, ps.search);
    publish_pages(&ps, ps.search);
    site_check_deferred(o->s, d);
    for (size_t k = 0; k < OUT_COUNT; k++)
        write_output(&ps, k);
    searches_free(o->s, ps.search);
    for (size_t i = 0; o->out && i < src_count(o->src, SRC_STATIC); i++) {
        const src_file *f = src_at(o->src, SRC_STATIC, i);
        const char *rel = f->path + strlen("layouts/static/");
        if (f->builtin)
            out_write(o->out, rel, f->data, f->len, d);
        else
            out_copy(o->out, rel, f->abs_path, d);
    }
    pass_end(&ps);
}

/* par_for: stems page i's cached text (patch_search). */
typedef struct {
    const site *s;
    const publish_memo *memo;
    search_index *const *ix; /* per language */
    search_doc **docs;
    size_t begin;
} patch_job;

static void patch_analyze(void *ud, size_t i)
{
    patch_job *j = ud;
    const page *p = site_page_at(j->s, i);
    const build_cache_entry *c = build_cache_table_get(j->memo->made, page_out(p));
    j->docs[i - j->begin] = search_analyze(j->ix[page_lang(p)], page_title(p), c ? c->content : NULL, c ? c->len : 0);
}

/* The search index again from the texts the cache keeps of every page (in
 * batches, stemmed in parallel): the patched pages' fragments change, and
 * the chunks their words are in; the writer skips every file whose bytes
 * are the same. */
static void patch_search(pass *ps)
{
    const site *s = ps->o->s;
    search_index *ix[SITE_MAX_LANGS] = {0};
    searches_new(s, ix);
    size_t n = site_page_count(s);
    for (size_t k = 0; ps->o->out && k < site_lang_count(s); k++) {
        char *folder = xasprintf("%shakuhakemisto/", search_index_prefix(ix[k]));
        out_owns_folder(ps->o->out, folder); /* old chunks go */
        free(folder);
    }
    search_doc **docs = xcalloc(RENDER_BATCH, sizeof *docs);
    patch_job job = {.s = s, .memo = &ps->memo, .ix = ix, .docs = docs};
    buf_t frag = BUF_INIT;
    for (size_t start = 0; start < n; start += RENDER_BATCH) {
        size_t end = start + RENDER_BATCH < n ? start + RENDER_BATCH : n;
        job.begin = start;
        par_for(start, end, par_threads(), patch_analyze, &job);
        for (size_t i = start; i < end; i++) {
            const page *p = site_page_at(s, i);
            const build_cache_entry *c = build_cache_table_get(ps->memo.made, page_out(p));
            search_add_page(ix, s, p, c ? c->content : NULL, c ? c->len : 0, docs[i - start], ps->o->out, &frag,
                            ps->d);
        }
    }
    buf_free(&frag);
    free(docs);
    memcpy(ps->search, ix, sizeof ix); /* what write_output writes */
    write_output(ps, OUT_SEARCH);
    searches_free(s, ix);
    memset(ps->search, 0, sizeof ps->search);
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
    patch_search(&ps);
    write_output(&ps, OUT_SITEMAP); /* the patched pages' lastmod */
    build_stats bst = {0}; /* the booklets count as pages of the build already */
    ps.st = &bst;
    write_output(&ps, OUT_BOOKLETS);
    st->rendered += bst.rendered;
    pass_end(&ps);
}
