/* build_cache: what one build leaves for the next in the same process (serve). */
#include "build_cache.h"

#include <stdlib.h>
#include <string.h>

#include "0-base/buf.h"
#include "0-base/hash.h"
#include "0-base/xmem.h"
#include "publish.h"

/* {====== The outputs of a build ====== */

/* Frees what e holds and empties it. */
static void cached_clear(build_cache_entry *e)
{
    free(e->content);
    for (size_t i = 0; i < e->n_anchors; i++)
        free(e->anchors[i]);
    free(e->anchors);
    e->content = NULL;
    e->anchors = NULL;
    e->n_anchors = 0;
}

static void cached_free(build_cache_entry *e)
{
    if (e)
        cached_clear(e);
    free(e);
}

void build_cache_table_init(build_cache_table *t)
{
    memset(t, 0, sizeof *t);
    t->index = strmap_new();
}

void build_cache_table_free(build_cache_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        cached_free(t->all[i]);
    free(t->all);
    strmap_free(t->index);
}

const build_cache_entry *build_cache_table_get(const build_cache_table *t, const char *path)
{
    return t && t->index ? strmap_get(t->index, path) : NULL;
}

/* Adds e (owned) under path; false when path is there already. */
static bool table_add(build_cache_table *t, const char *path, build_cache_entry *e)
{
    if (!strmap_add(t->index, path, e)) {
        cached_free(e);
        return false;
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->all = xrealloc(t->all, t->cap * sizeof(build_cache_entry *));
    }
    e->slot = t->n;
    t->all[t->n++] = e;
    return true;
}

/* Sets path's fingerprint and content (content owned; may be NULL),
 * replacing what was there; returns the entry. */
build_cache_entry *build_cache_table_put(build_cache_table *t, const char *path, uint64_t sig, char *content,
                                         size_t len)
{
    build_cache_entry *e = strmap_get(t->index, path);
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
void build_cache_table_move(build_cache_table *dst, build_cache_table *src, const char *path)
{
    if (dst == src)
        return;
    build_cache_entry *e = strmap_get(src->index, path);
    if (!e || src->all[e->slot] != e)
        return;
    src->all[e->slot] = NULL;
    table_add(dst, path, e);
}

/* } */

struct build_cache {
    out_manifest *manifest;
    build_cache_table done; /* the outputs of the last successful build */
    build_state *state;     /* its loaded, resolved site (NULL after a failure) */
};

/* {====== What serve keeps between builds ====== */

/* Frees what b holds. */
void build_state_clear(build_state *b)
{
    hooks_free(b->h);
    val_free(b->pages);
    hook_env_free(b->he);
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
        build_state_clear(b);
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

build_cache *build_cache_new(void)
{
    build_cache *c = xcalloc(1, sizeof(build_cache));
    c->manifest = out_manifest_new();
    build_cache_table_init(&c->done);
    return c;
}

void build_cache_free(build_cache *c)
{
    if (!c)
        return;
    state_free(c->state);
    out_manifest_free(c->manifest);
    build_cache_table_free(&c->done);
    free(c);
}

out_manifest *build_cache_manifest(build_cache *c)
{
    return c->manifest;
}

build_cache_table *build_cache_done(build_cache *c)
{
    return &c->done;
}

void build_cache_commit(build_cache *c, build_cache_table *made)
{
    build_cache_table_free(&c->done);
    c->done = *made;
    build_cache_table_init(made);
}

void build_cache_keep(build_cache *c, const build_state *kept, const char *out_dir, size_t n_pages)
{
    state_free(c->state);
    c->state = xmalloc(sizeof(build_state));
    *c->state = *kept;
    c->state->n_pages = n_pages;
    c->state->out_dir = xstrdup(out_dir);
    state_hash_sources(c->state);
}

void build_cache_forget(build_cache *c)
{
    state_free(c->state);
    c->state = NULL;
}


uint64_t build_cache_hash_sources(const src_tree *src, src_kind k)
{
    uint64_t h = HASH_SEED;
    for (size_t i = 0; i < src_count(src, k); i++) {
        const src_file *f = src_at(src, k, i);
        h = hash_bytes(hash_str(h, f->path), f->data ? f->data : "", f->len);
    }
    return h;
}


/* } */

/* {====== Patching one page ====== */

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

/* Reads the saved files into texts and lists, once each, the kept pages
 * they are; BUILD_PATCH_NONE when one of them is not a page whose file was
 * there before (a full build follows). */
static build_patch find_changed(const build_state *b, const build_options *o, buf_t *texts, page **pages,
                                size_t *n_pages)
{
    for (size_t i = 0; i < o->n_changed; i++) {
        const char *rel = o->changed[i];
        const uint64_t *was = strmap_get(b->hashes, rel);
        bool there = src_read(o->src_dir, rel, &texts[i]);
        if (!there && !was) {
            if (is_dir_or_held(b, o->src_dir, rel))
                return BUILD_PATCH_NONE; /* a folder came or went, or a static file went */
            continue;                    /* came and went (an editor's temporary file) */
        }
        if (there && was && *was == hash_bytes(HASH_SEED, texts[i].ptr, texts[i].len))
            continue; /* saved as it was */
        page *p = there ? site_page_by_src(b->s, rel) : NULL;
        if (!p || strncmp(rel, "content/", 8) || strcmp(page_src(p), rel))
            return BUILD_PATCH_NONE; /* a new, removed or non-page file, or a page replacing a theme page */
        bool dup = false;
        for (size_t k = 0; k < *n_pages; k++)
            dup = dup || pages[k] == p;
        if (!dup)
            pages[(*n_pages)++] = p;
    }
    return BUILD_PATCH_DONE;
}

/* Serve's short way: when the saved files are content pages whose text
 * alone changed, those pages are patched into the kept site, rendered and
 * written with their search shards and booklets; nothing else is read,
 * parsed or written. BUILD_PATCH_NONE when the change is of another kind (a full
 * build follows); BUILD_PATCH_DONE also when nothing changed at all. */
build_patch build_cache_patch(build_cache *c, const build_options *o, diag_list *d, build_stats *st)
{
    build_state *b = c->state;
    if (!b || !o->changed || strcmp(b->out_dir, o->out_dir)) {
        build_cache_forget(c); /* a full build: what was kept describes the sources no more */
        return BUILD_PATCH_NONE;
    }
    size_t n = o->n_changed;
    buf_t *texts = xcalloc(n + 1, sizeof(buf_t));
    page **pages = xcalloc(n + 1, sizeof(page *));
    size_t n_pages = 0;
    build_patch r = find_changed(b, o, texts, pages, &n_pages);
    size_t err0 = diag_errors(d);
    for (size_t k = 0; k < n_pages && r == BUILD_PATCH_DONE; k++) {
        size_t i = 0;
        while (strcmp(o->changed[i], page_src(pages[k])))
            i++;
        site_patch pr = site_patch_page(b->s, pages[k], texts[i].ptr ? texts[i].ptr : "", texts[i].len, d);
        if (pr == SITE_PATCH_STRUCTURE)
            r = BUILD_PATCH_NONE; /* pages patched so far are whole: the full build reads them anew */
        else if (pr == SITE_PATCH_ERRORS)
            r = BUILD_PATCH_FAILED;
    }
    out_tree *out = r == BUILD_PATCH_DONE && n_pages ? out_begin_patch(o->out_dir, c->manifest, d) : NULL;
    if (r == BUILD_PATCH_DONE && n_pages && !out)
        r = diag_errors(d) > err0 ? BUILD_PATCH_FAILED : BUILD_PATCH_NONE;
    if (out) {
        /* The saved page is changed in the work tree now: the history says when. */
        render_dates *dates = publish_dates(o->src_dir, b->src, b->s, b->lib, b->dg, d);
        const publish_options po = {.s = b->s, .lib = b->lib, .dg = b->dg,
                                    .lambdas = b->h ? hooks_lambdas(b->h) : NULL, .dates = dates, .he = b->he,
                                    .src = b->src, .out = out,
                                    .memo = {.last = &c->done, .made = &c->done, .data_hash = b->data_hash,
                                             .hooks_hash = b->hooks_hash}};
        publish_patch(&po, pages, n_pages, d, st);
        render_dates_free(dates);
        st->written = out_written(out);
        if (diag_errors(d) > err0) {
            out_abort(out);
            r = BUILD_PATCH_FAILED;
        } else if (!out_commit(out, d)) {
            r = BUILD_PATCH_FAILED;
        }
    }
    if (r == BUILD_PATCH_DONE) {
        for (size_t i = 0; i < n; i++) {
            uint64_t *was = strmap_get(b->hashes, o->changed[i]);
            if (was && texts[i].ptr)
                *was = hash_bytes(HASH_SEED, texts[i].ptr, texts[i].len);
        }
        st->pages = b->n_pages;
        st->files = out_manifest_count(c->manifest);
        st->diagrams = diagrams_count(b->dg);
    } else {
        /* BUILD_PATCH_FAILED: the kept site holds the broken page; BUILD_PATCH_NONE:
         * it describes the sources no more. The next build starts afresh. */
        build_cache_forget(c);
    }
    for (size_t i = 0; i < n; i++)
        buf_free(&texts[i]);
    free(texts);
    free(pages);
    return r;
}

/* } */
