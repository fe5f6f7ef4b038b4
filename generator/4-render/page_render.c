/* page_render: page contexts for layouts, and the site-wide files. */
#include "page_render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../0-base/hash.h"
#include "../0-base/strmap.h"
#include "../0-base/xmem.h"
#include "../0-base/escape.h"
#include "markdown.h"
#include "search.h"

typedef struct {
    const page *p;
    const md_doc *doc;   /* the fresh parse being rendered */
    const char *absolute; /* booklets: the prefix links are rebased on (the booklet's root), or NULL */
} resolve_ctx;

/* from_url + a relative href, rebased on base (a booklet's root prefix: the
 * link works from the booklet, and prints as its text only, as the print CSS
 * adds the address after links to other sites alone). */
static char *absolute_href(const char *base, const char *from_url, const char *href)
{
    buf_t path = BUF_INIT;
    buf_puts(&path, from_url);
    const char *h = href;
    while (!strncmp(h, "../", 3)) {
        /* drop the last segment of path ("a/b/" -> "a/") */
        if (path.len)
            path.len--;
        while (path.len && path.ptr[path.len - 1] != '/')
            path.len--;
        path.ptr[path.len] = '\0';
        h += 3;
    }
    if (!strncmp(h, "./", 2))
        h += 2;
    char *out = xasprintf("%s%s%s", base, buf_cstr(&path), h);
    buf_free(&path);
    return out;
}

/* Links come in the same order as in the model's outline of the page. */
static md_link_action resolve(void *ud, const md_link *link, char **replacement, const char **lang)
{
    const resolve_ctx *rc = ud;
    size_t i = (size_t)(link - md_link_at(rc->doc, 0));
    const char *href = page_link_href(rc->p, i);
    if (!href)
        return MD_LINK_KEEP;
    *replacement = rc->absolute ? absolute_href(rc->absolute, page_url(rc->p), href) : xstrdup(href);
    *lang = page_link_hreflang(rc->p, i);
    return MD_LINK_REPLACE;
}

static val *str(const char *s)
{
    return val_str(s ? s : "", (src_pos){0});
}

/* The table of contents: headings of levels 2 and 3. */
static val *toc_of(const md_doc *doc)
{
    val *toc = val_list((src_pos){0});
    for (size_t i = 0; doc && i < md_heading_count(doc); i++) {
        const md_heading *h = md_heading_at(doc, i);
        if (h->level < 2 || h->level > 3)
            continue;
        val *e = val_map((src_pos){0});
        val_set(e, "level", val_num(h->level, (src_pos){0}));
        val_set(e, "sub", val_bool(h->level == 3, (src_pos){0}));
        val_set(e, "id", str(h->id));
        val_set(e, "text", str(h->text));
        val_push(toc, e);
    }
    return toc;
}

/* The menu with hrefs from this page; `active` marks the current entry. */
static val *menu_for(const site *s, const char *page_url, const char *root, size_t lang)
{
    val *menu = val_list((src_pos){0});
    for (size_t i = 0; i < site_menu_count(s); i++) {
        val *e = val_map((src_pos){0});
        const char *url = site_menu_url_lang(s, i, lang);
        bool ext = site_menu_external(s, i);
        char *href = ext ? xstrdup(url) : xasprintf("%s%s", root, url);
        if (!*href) {
            free(href);
            href = xstrdup("./");
        }
        val_set(e, "title", str(site_menu_title_lang(s, i, lang)));
        val_set(e, "url", val_str_own(href, strlen(href), (src_pos){0}));
        val_set(e, "external", val_bool(ext, (src_pos){0}));
        const char *hreflang = site_menu_hreflang(s, i, lang);
        if (hreflang) { /* lang too when its title is the default language's */
            val_set(e, "hreflang", str(hreflang));
            if (site_menu_title_lang(s, i, lang) == site_menu_title(s, i))
                val_set(e, "lang", str(hreflang));
        }
        val_set(e, "active", val_bool(!ext && page_url && !strcmp(url, page_url), (src_pos){0}));
        val_push(menu, e);
    }
    return menu;
}

static val *link_to(const page *to, const char *root)
{
    val *e = val_map((src_pos){0});
    char *href = xasprintf("%s%s", root, page_url(to));
    if (!*href) {
        free(href);
        href = xstrdup("./");
    }
    val_set_str(e, "title", page_title(to));
    val_set(e, "url", val_str_own(href, strlen(href), (src_pos){0}));
    if (page_title_lang(to)) /* a title in another language than the page's */
        val_set_str(e, "lang", page_title_lang(to));
    return e;
}

/* {====== Navigation ======
 * What a page carries for navigation is bounded whatever the site's shape:
 * its breadcrumbs (its ancestors), previous and next, and a sidebar of at
 * most three lists of SITE_NAV_WINDOW entries each: the top-level pages
 * around its own top-level section, that section's pages around the one
 * the page is in, and the page's siblings (or, on a page just below its
 * top-level section, its own children). A list cut short links to the page
 * that lists it all (kaikki: url, title, count). */

/* The first index of the window around index at, among n. */
static size_t window_start(size_t n, size_t at)
{
    if (n <= SITE_NAV_WINDOW || at < SITE_NAV_WINDOW / 2)
        return 0;
    size_t start = at - SITE_NAV_WINDOW / 2;
    return start + SITE_NAV_WINDOW > n ? n - SITE_NAV_WINDOW : start;
}

/* A sidebar entry that is not opened (open set, so that a lookup inside it
 * never falls through to an outer entry). */
static val *nav_entry(const page *to, const page *p, const char *root)
{
    val *e = link_to(to, root);
    val_set(e, "current", val_bool(to == p, (src_pos){0}));
    val_set(e, "open", val_bool(false, (src_pos){0}));
    return e;
}

/* Whether c is one of parent's children (the navigation's, in reading order). */
static bool child_of(const page *parent, const page *c)
{
    return c && page_child_at(parent, page_child_index(c)) == c;
}

/* The window of parent's children around child `around` (from the first
 * when it is none of them); `opened`, an entry made for `around`, takes its
 * place. *kaikki gets the link to parent's full list when the window cuts
 * it short, else false. */
static val *window(const page *parent, const page *around, const page *p, const char *root, val *opened,
                   val **kaikki)
{
    size_t n = page_child_count(parent);
    bool member = child_of(parent, around);
    size_t at = member ? page_child_index(around) : 0;
    size_t start = window_start(n, at);
    val *list = val_list((src_pos){0});
    for (size_t i = start; i < n && i < start + SITE_NAV_WINDOW; i++) {
        if (member && i == at && opened) {
            val_push(list, opened);
            opened = NULL;
        } else {
            val_push(list, nav_entry(page_child_at(parent, i), p, root));
        }
    }
    val_free(opened);
    if (n > SITE_NAV_WINDOW) {
        *kaikki = link_to(parent, root);
        val_set(*kaikki, "count", val_num((double)n, (src_pos){0}));
    } else {
        *kaikki = val_bool(false, (src_pos){0});
    }
    return list;
}

/* An entry for `to`, opened on the list below it. */
static val *opened_entry(const page *to, const page *p, const char *root, val *children, val *kaikki,
                         val *valitaso)
{
    val *e = link_to(to, root);
    val_set(e, "current", val_bool(to == p, (src_pos){0}));
    val_set(e, "open", val_bool(true, (src_pos){0}));
    val_set(e, "children", children);
    val_set(e, "kaikki", kaikki);
    val_set(e, "valitaso", valitaso ? valitaso : val_bool(false, (src_pos){0}));
    return e;
}

/* The sidebar's lists, from the innermost out. */
static val *sidebar_for(const site *s, const page *p, const char *root, val **kaikki)
{
    const page *home = site_home_lang(s, page_lang(p)); /* the front page of the page's language */
    const page *top = site_top_of(s, p);
    /* a2: the page, or its ancestor, that is one of the top-level section's children. */
    const page *a2 = p;
    while (a2 && page_parent(a2) != top)
        a2 = page_parent(a2);
    if (a2 && !child_of(top, a2))
        a2 = NULL;
    val *third = NULL, *k3 = NULL;
    if (a2 == p && page_child_count(p)) {
        val *kids = window(p, NULL, p, root, NULL, &k3);
        third = opened_entry(p, p, root, kids, k3, NULL);
    } else if (a2 && a2 != p) {
        const page *up = page_parent(p); /* p's siblings, under the link to their parent when it is deeper */
        val *via = up != a2 ? link_to(up, root) : NULL;
        val *sib = window(up, p, p, root, NULL, &k3);
        third = opened_entry(a2, p, root, sib, k3, via);
    }
    val *second = NULL, *k2 = NULL;
    if (top != home && page_child_count(top)) {
        val *kids = window(top, a2, p, root, third, &k2);
        second = opened_entry(top, p, root, kids, k2, NULL);
    } else
        val_free(third);
    if (!home) {
        val_free(second);
        *kaikki = val_bool(false, (src_pos){0});
        return val_list((src_pos){0});
    }
    return window(home, top, p, root, second, kaikki);
}

/* Breadcrumbs, previous/next and the sidebar (see above). */
static val *nav_for(const site *s, const page *p, const char *root)
{
    val *nav = val_map((src_pos){0});
    val *crumbs = val_list((src_pos){0});
    const page *chain[64];
    size_t n = 0;
    for (const page *a = page_parent(p); a && n < 64; a = page_parent(a))
        chain[n++] = a;
    while (n > 0)
        val_push(crumbs, link_to(chain[--n], root));
    val_set(nav, "breadcrumbs", crumbs);
    if (page_prev(p))
        val_set(nav, "prev", link_to(page_prev(p), root));
    if (page_next(p))
        val_set(nav, "next", link_to(page_next(p), root));
    val *kaikki = NULL;
    val_set(nav, "sidebar", sidebar_for(s, p, root, &kaikki));
    val_set(nav, "kaikki", kaikki);
    return nav;
}

/* The link to page k of section sec's list. */
static val *list_link(const page *sec, size_t k, size_t current, const char *root)
{
    val *e = val_map((src_pos){0});
    char *url = site_list_url(sec, k);
    char *href = xasprintf("%s%s", root, url);
    free(url);
    if (!*href) {
        free(href);
        href = xstrdup("./");
    }
    val_set(e, "numero", val_num((double)k, (src_pos){0}));
    val_set(e, "url", val_str_own(href, strlen(href), (src_pos){0}));
    val_set(e, "current", val_bool(k == current, (src_pos){0}));
    val_set(e, "vali", val_bool(false, (src_pos){0}));
    return e;
}

/* The page numbers to offer (bounded): the first, the last and two either
 * side of the current one, a gap (vali) where numbers are left out. */
static val *pagination(const page *sec, size_t no, size_t pages, const char *root)
{
    val *list = val_list((src_pos){0});
    size_t last = 0;
    for (size_t k = 1; k <= pages; k++) {
        bool show = k == 1 || k == pages || (k + 2 >= no && k <= no + 2);
        if (!show)
            continue;
        if (last && k > last + 1) {
            val *gap = val_map((src_pos){0});
            val_set(gap, "vali", val_bool(true, (src_pos){0}));
            val_set(gap, "current", val_bool(false, (src_pos){0}));
            val_push(list, gap);
        }
        val_push(list, list_link(sec, k, no, root));
        last = k;
    }
    return list;
}

/* page.luettelo: one page (SITE_LIST_PAGE entries) of the list of the
 * section p lists (page_list), or NULL. The only place with a section's
 * every page, a hundred at a time. */
static val *list_for(const page *p, const char *root)
{
    size_t no, pages;
    const page *sec = page_list(p, &no, &pages);
    if (!sec)
        return NULL;
    size_t n = page_child_count(sec), first = (no - 1) * SITE_LIST_PAGE;
    size_t end = first + SITE_LIST_PAGE < n ? first + SITE_LIST_PAGE : n;
    val *l = val_map((src_pos){0});
    val *entries = val_list((src_pos){0});
    for (size_t i = first; i < end; i++) {
        const page *c = page_child_at(sec, i);
        val *e = link_to(c, root);
        const char *desc = val_get_str(page_meta(c), "description");
        if (desc && *desc)
            val_set_str(e, "kuvaus", desc);
        val_set(e, "osio", val_bool(page_child_count(c) > 0, (src_pos){0}));
        val_push(entries, e);
    }
    val_set(l, "sivut", entries);
    val_set(l, "otsikko", str(page_title(sec)));
    val_set(l, "yhteensa", val_num((double)n, (src_pos){0}));
    val_set(l, "alku", val_num((double)(first + 1), (src_pos){0}));
    val_set(l, "loppu", val_num((double)end, (src_pos){0}));
    val_set(l, "numero", val_num((double)no, (src_pos){0}));
    val_set(l, "sivuja", val_num((double)pages, (src_pos){0}));
    val_set(l, "monisivuinen", val_bool(pages > 1, (src_pos){0}));
    if (pages > 1) {
        val_set(l, "sivutus", pagination(sec, no, pages, root));
        if (no > 1)
            val_set(l, "edellinen", list_link(sec, no - 1, no, root));
        if (no < pages)
            val_set(l, "seuraava", list_link(sec, no + 1, no, root));
    }
    return l;
}

/* } */

/* {====== When each page's content last changed ====== */

/* How deep a page's entity is followed: by its fingerprint and its date alike. */
#define ENTITY_REF_DEPTH 2

struct render_dates {
    strmap *by_out; /* page output path -> int64_t* */
    int64_t *times;
};

typedef struct {
    const hist *h;
    int64_t newest;
} newest_acc;

static void take_file(void *ud, const char *file)
{
    newest_acc *a = ud;
    int64_t t = hist_time(a->h, file);
    if (t > a->newest)
        a->newest = t;
}

/* The newest last change among the files page p's content comes from. */
static int64_t page_date(const page *p, const diagrams *dg, const hist *h, bool uses_data, int64_t data_time)
{
    newest_acc a = {.h = h};
    if (!page_from_theme(p)) /* a theme page has no history here: it dates from the data */
        take_file(&a, page_src(p));
    val_files(page_entity(p), ENTITY_REF_DEPTH, take_file, &a);
    val_files(val_get(page_meta(p), "data"), ENTITY_REF_DEPTH, take_file, &a);
    const md_doc *doc = page_outline(p);
    for (size_t i = 0; doc && i < md_embed_count(doc); i++) {
        const md_embed *e = md_embed_at(doc, i);
        if (!strcmp(e->kind, "kaavio"))
            take_file(&a, diagrams_def_file(dg, e->arg));
    }
    /* A page that lists the data, and a hook's page (no content file of its
     * own: hooks make pages from the data), change with the data. */
    if (uses_data || val_as_bool(val_get(page_meta(p), "mustache")) || !a.newest)
        a.newest = a.newest > data_time ? a.newest : data_time;
    return a.newest;
}

render_dates *render_dates_new(const site *s, const mustache_lib *lib, const diagrams *dg, const hist *h,
                               int64_t data_time)
{
    render_dates *r = xcalloc(1, sizeof *r);
    size_t n = site_page_count(s);
    r->by_out = strmap_new_borrowing(); /* keys: the pages' output paths */
    r->times = xcalloc(n + 1, sizeof(int64_t));
    strmap *layouts = strmap_new(); /* layout name -> (void *)1 when it names `data`, 2 when not */
    for (size_t i = 0; i < n; i++) {
        const page *p = site_page_at(s, i);
        uintptr_t uses = (uintptr_t)strmap_get(layouts, page_layout(p));
        if (!uses) {
            bool u = false;
            mustache_lib_deps(lib, page_layout(p), "data", &u);
            uses = u ? 1 : 2;
            strmap_add(layouts, page_layout(p), (void *)uses);
        }
        r->times[i] = page_date(p, dg, h, uses == 1, data_time);
        strmap_add(r->by_out, page_out(p), &r->times[i]);
    }
    strmap_free(layouts);
    return r;
}

void render_dates_free(render_dates *r)
{
    if (!r)
        return;
    strmap_free(r->by_out);
    free(r->times);
    free(r);
}

int64_t render_page_date(const render_dates *r, const page *p)
{
    const int64_t *t = r ? strmap_get(r->by_out, page_out(p)) : NULL;
    return t ? *t : 0;
}

int64_t render_dates_newest(const render_dates *r, const page *const *pages, size_t n)
{
    int64_t newest = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t t = render_page_date(r, pages[i]);
        newest = t > newest ? t : newest;
    }
    return newest;
}

void render_date_text(int64_t t, char fi[16], char iso[16])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    /* Bounded so that the compiler can see the text fits. */
    unsigned day = (unsigned)tm.tm_mday % 32u, mon = (unsigned)(tm.tm_mon + 1) % 13u;
    unsigned year = (unsigned)(tm.tm_year + 1900) % 10000u;
    snprintf(fi, 16, "%u.%u.%u", day, mon, year);
    snprintf(iso, 16, "%04u-%02u-%02u", year, mon, day);
}

/* Sets paivitetty ("12.10.2025") and paivitetty_iso ("2025-10-12") in map
 * when t is known. */
static void set_date(val *map, int64_t t)
{
    if (t <= 0)
        return;
    char fi[16], iso[16];
    render_date_text(t, fi, iso);
    val_set_str(map, "paivitetty", fi);
    val_set_str(map, "paivitetty_iso", iso);
}

/* } */

/* A site with several languages: the versions of page p (NULL: a page of
 * the default language's own) for <link rel="alternate" hreflang> and the
 * language switcher (kieliversiot, x_default, kielivalitsin). */
static void languages_for(const site *s, const page *p, const char *root, size_t lang, val *ctx)
{
    if (site_lang_count(s) < 2)
        return;
    val *alts = val_list((src_pos){0}), *links = val_list((src_pos){0});
    const page *dflt = p ? page_alt(p, 0) : NULL;
    for (size_t k = 0; k < site_lang_count(s); k++) {
        const char *code = site_lang_at(s, k);
        const page *v = p ? page_alt(p, k) : NULL;
        if (v) {
            val *a = val_map((src_pos){0});
            val_set(a, "kieli", str(code));
            char *abs = xasprintf("%s%s", site_base_url(s), page_url(v));
            val_set(a, "osoite", val_str_own(abs, strlen(abs), (src_pos){0}));
            val_push(alts, a);
        }
        if (k == lang)
            continue;
        /* The same page in language k, or that language's front page, saying so in k's words. */
        const i18n *cat = site_i18n_lang(s, k);
        val *e = val_map((src_pos){0});
        val_set(e, "kieli", str(code));
        char *home = k ? xasprintf("%s/", code) : xstrdup("");
        char *href = xasprintf("%s%s", root, v ? page_url(v) : home);
        if (!*href) {
            free(href);
            href = xstrdup("./");
        }
        val_set(e, "url", val_str_own(href, strlen(href), (src_pos){0}));
        buf_t t = BUF_INIT;
        i18n_put(cat, &t, v ? "kieli.sama_sivu" : "kieli.etusivulle", "kieli", i18n_text(cat, "kieli.nimi"), NULL);
        val_set(e, "teksti", str(buf_cstr(&t)));
        val_set(e, "puuttuu", val_bool(!v, (src_pos){0}));
        buf_free(&t);
        free(home);
        val_push(links, e);
    }
    val_set(ctx, "kieliversiot", alts);
    if (dflt) {
        val *x = val_map((src_pos){0});
        char *abs = xasprintf("%s%s", site_base_url(s), page_url(dflt));
        val_set(x, "osoite", val_str_own(abs, strlen(abs), (src_pos){0}));
        val_set(ctx, "x_default", x);
    }
    val *sw = val_map((src_pos){0});
    val_set(sw, "kielet", links);
    val_set(ctx, "kielivalitsin", sw);
}

/* The search of the page's language: kielijuuri, the folder of the
 * language's files from the page (root, or root + "sv/": its search index
 * is kielijuuri + hakuhakemisto.json), and hakusivu, the search page the
 * header's form goes to: the version in lang of the page at haku/ when
 * there is one, else haku/ itself; sanastosivu likewise for sanasto/. */
static void search_for(const site *s, const char *root, size_t lang, val *ctx)
{
    char *dir = lang ? xasprintf("%s%s/", root, site_lang_at(s, lang)) : xstrdup(root);
    val_set(ctx, "kielijuuri", val_str_own(dir, strlen(dir), (src_pos){0}));
    const page *hp = lang ? site_page_by_url(s, "haku/") : NULL;
    const page *hv = hp ? page_alt(hp, lang) : NULL;
    char *href = xasprintf("%s%s", root, hv ? page_url(hv) : "haku/");
    val_set(ctx, "hakusivu", val_str_own(href, strlen(href), (src_pos){0}));
    /* The glossary the search page's noscript note points to: the one in
     * lang when it exists, else the default's, with its language
     * (sanastosivu_kieli, for hreflang). */
    const page *gp = lang ? site_page_by_url(s, "sanasto/") : NULL;
    const page *gv = gp ? page_alt(gp, lang) : NULL;
    char *gl = xasprintf("%s%s", root, gv ? page_url(gv) : "sanasto/");
    val_set(ctx, "sanastosivu", val_str_own(gl, strlen(gl), (src_pos){0}));
    if (lang && !gv)
        val_set(ctx, "sanastosivu_kieli", val_str(site_lang_at(s, 0), (src_pos){0}));
}

/* The context every layout gets: site, page, root, menu, build, in
 * language lang; p (NULL for a booklet or the 404 page) gives the versions
 * of the page. */
static val *context_lang(const site *s, const render_env *env, const char *url, const char *root,
                         val *page_data, const page *p, size_t lang)
{
    val *ctx = val_map((src_pos){0});
    val_set(ctx, "site", val_ref(site_data_lang(s, lang)));
    if (site_model_data(s))
        val_set(ctx, "data", val_ref(site_model_data_lang(s, lang)));
    val_set(ctx, "page", page_data);
    val_set(ctx, "root", str(root));
    val_set(ctx, "menu", menu_for(s, url, root, lang));
    languages_for(s, p, root, lang, ctx);
    search_for(s, root, lang, ctx);
    val *build = val_map((src_pos){0});
    val_set(build, "date", str(env->date));
    val_set(build, "generator", str(env->generator));
    val_set(ctx, "build", build);
    /* The interface texts of the site's language ({{t.sivu.sisalto}}). */
    val_set(ctx, "t", val_ref(i18n_tree(site_i18n_lang(s, lang))));
    /* Lambdas from hooks ({{#upper}}…{{/upper}}) at the top of the context. */
    for (size_t i = 0; env->lambdas && i < val_len(env->lambdas); i++)
        if (!val_get(ctx, val_key_at(env->lambdas, i)))
            val_set(ctx, val_key_at(env->lambdas, i), val_ref(val_at(env->lambdas, i)));
    return ctx;
}

/* The same in p's language (the default for p NULL). */
static val *context(const site *s, const render_env *env, const char *url, const char *root,
                    val *page_data, const page *p)
{
    return context_lang(s, env, url, root, page_data, p, p ? page_lang(p) : 0);
}

typedef struct {
    const page *p;
    const diagrams *dg;
    const char *lang; /* the page's language when it is not the default, else NULL */
} embed_ctx;

/* A ```kaavio block becomes its diagram, a ```dot block its drawing. */
static char *embed_html(void *ud, size_t i, const md_embed *e)
{
    const embed_ctx *ec = ud;
    if (!ec->dg)
        return NULL;
    const char *h = !strcmp(e->kind, "kaavio") ? diagrams_by_id_in(ec->dg, e->arg, ec->lang)
                                               : diagrams_block(ec->dg, page_src(ec->p), i);
    return h ? xstrdup(h) : NULL;
}

/* The page's own content as HTML: its Markdown (terms marked, diagrams in,
 * links resolved — relative, or rebased on `absolute`) or a hook's HTML. */
static void page_content(const site *s, const page *p, const render_env *env, const char *absolute,
                         buf_t *html, diag_list *d)
{
    md_doc *fresh = absolute ? NULL : site_parse_deferred(s, p, d);
    md_doc *doc = fresh ? fresh : page_parse(s, p);
    if (page_html(p))
        buf_puts(html, page_html(p));
    if (!doc)
        return;
    size_t n_terms;
    const md_term *terms = site_terms_lang(s, page_lang(p), &n_terms);
    char *root = absolute ? xstrdup(absolute) : site_root_prefix(page_url(p));
    if (strcmp(page_layout(p), "sanasto") != 0)
        md_mark_terms(doc, terms, n_terms, root);
    free(root);
    embed_ctx ec = {.p = p, .dg = env->dg, .lang = page_lang(p) ? site_lang_at(s, page_lang(p)) : NULL};
    md_replace_embeds(doc, embed_html, &ec);
    resolve_ctx rc = {.p = p, .doc = doc, .absolute = absolute};
    md_render(doc, resolve, &rc, html, d);
    if (fresh)
        md_drop_tree(doc); /* the page keeps its outline */
    else
        md_free(doc);
}

/* Gives every id and same-page anchor of a chapter a prefix, so that
 * chapters put together on one page keep their ids unique. */
static void prefix_ids(const char *html, const char *prefix, buf_t *out)
{
    static const char *const marks[] = {" id=\"", "href=\"#"};
    const char *p = html;
    for (;;) {
        const char *best = NULL;
        size_t best_len = 0;
        for (size_t i = 0; i < 2; i++) {
            const char *hit = strstr(p, marks[i]);
            if (hit && (!best || hit < best)) {
                best = hit;
                best_len = strlen(marks[i]);
            }
        }
        if (!best)
            break;
        buf_put(out, p, (size_t)(best - p) + best_len);
        buf_puts(out, prefix);
        p = best + best_len;
    }
    buf_puts(out, p);
}

/* The layout booklets render through; render_booklet_sig hashes what it reaches. */
#define BOOKLET_LAYOUT "kirja"
/* A layout's data part, as a partial of its own ("sanasto" -> "sanasto-tiedot"): the
 * layout includes it on its page and the booklet after the page's text, so the glossary's
 * explanations and the data tables print too. */
#define DATA_PARTIAL_SUFFIX "-tiedot"
/* About a third of an A4 page of running text: a chapter shorter than this does not
 * start a new sheet (class "lyhyt"; the print CSS lets it follow the one before). */
#define SHORT_CHAPTER_CHARS 1200

/* page.* for p's layouts (borrows the page's data; takes html's bytes). */
static val *page_fields(const site *s, const page *p, const render_env *env, buf_t *html)
{
    const char *url = page_url(p);
    const val *meta = page_meta(p);
    val *pg = val_map((src_pos){0});
    val_set(pg, "title", str(page_title(p)));
    if (page_title_lang(p))
        val_set(pg, "title_lang", str(page_title_lang(p)));
    const char *desc = val_get_str(meta, "description");
    if (desc && *desc) /* absent rather than empty, so {{#page.description}} skips it */
        val_set(pg, "description", str(desc));
    val_set(pg, "url", str(url));
    char *permalink = xasprintf("%s%s", site_base_url(s), url);
    val_set(pg, "permalink", val_str_own(permalink, strlen(permalink), (src_pos){0}));
    val_set(pg, "source", str(page_path(p)));
    const char *slash = strchr(url, '/');
    val_set(pg, "section", val_strn(url, slash ? (size_t)(slash - url) : 0, (src_pos){0}));
    val_set(pg, "is_home", val_bool(!*url, (src_pos){0}));
    val_set(pg, "weight", val_num(page_weight(p), (src_pos){0}));
    set_date(pg, render_page_date(env->dates, p));
    val *toc = toc_of(page_outline(p));
    val_set(pg, "has_toc", val_bool(val_len(toc) >= 2, (src_pos){0}));
    val_set(pg, "toc", toc);
    val_set(pg, "params", val_ref(meta));
    if (page_entity(p))
        val_set(pg, "entity", val_ref(page_entity(p)));
    if (val_get(meta, "data"))
        val_set(pg, "data", val_ref(val_get(meta, "data")));
    /* Fields from on_page filters: added, never replacing the page's own. */
    const val *extra = page_extra(p);
    for (size_t i = 0; i < val_len(extra); i++)
        if (!val_get(pg, val_key_at(extra, i)))
            val_set(pg, val_key_at(extra, i), val_ref(val_at(extra, i)));
    char *root = site_root_prefix(url);
    val *list = list_for(p, root);
    free(root);
    if (list)
        val_set(pg, "luettelo", list);
    val_set(pg, "is_section", val_bool(page_is_section(p), (src_pos){0}));
    const char *chart = env->dg ? diagrams_for_page(env->dg, url) : NULL;
    if (chart)
        val_set(pg, "kaavio", val_str(chart, (src_pos){0}));
    size_t html_len = html->len;
    val_set(pg, "content", val_str_own(buf_detach(html), html_len, (src_pos){0}));
    return pg;
}

/* Characters of text in html (tags left out), or SHORT_CHAPTER_CHARS when it holds a
 * table or a figure: those are long on paper whatever their text. */
static size_t text_chars(const char *html)
{
    if (strstr(html, "<table") || strstr(html, "<figure") || strstr(html, "<svg"))
        return SHORT_CHAPTER_CHARS;
    size_t n = 0;
    bool tag = false;
    for (const unsigned char *c = (const unsigned char *)html; *c; c++) {
        if (*c == '<' || *c == '>')
            tag = *c == '<';
        else if (!tag && (*c & 0xC0) != 0x80)
            n++;
    }
    return n;
}

/* One chapter's HTML before its ids are prefixed: the page's text with links relative
 * to the booklet (so the print CSS adds no address after them), then its layout's
 * data part rendered in the booklet's place. */
static void chapter_html(const site *s, const page *p, const char *url, const char *root,
                         const mustache_lib *lib, const render_env *env, buf_t *html, diag_list *d)
{
    /* The page's own rendering reported its Markdown's warnings already. */
    site_page_restore(s, p);
    diag_list *again = diag_list_new();
    page_content(s, p, env, root, html, again);
    diag_list_free(again);
    char *partial = xasprintf("%s" DATA_PARTIAL_SUFFIX, page_layout(p));
    if (mustache_lib_has(lib, partial)) {
        buf_t none = BUF_INIT;
        val *ctx = context(s, env, url, root, page_fields(s, p, env, &none), p);
        mustache_render(lib, partial, ctx, html, d);
        val_free(ctx);
    }
    free(partial);
    site_page_release(s, p);
}

static bool booklet_layout(const site *s, const page *const *pages, size_t n, const char *url, const char *root,
                           const char *title, size_t lang, const mustache_lib *lib, const render_env *env,
                           buf_t *content, buf_t *out, diag_list *d);

bool render_booklet(const site *s, const page *const *pages, size_t n, const char *url,
                    const char *title, size_t lang, const mustache_lib *lib, const render_env *env, buf_t *out,
                    diag_list *d)
{
    char *root = site_root_prefix(url);
    buf_t chapters = BUF_INIT;
    buf_puts(&chapters, "<nav class=\"kirja-sisallys\" aria-labelledby=\"kirja-sisallys-otsikko\">"
                        "<h2 id=\"kirja-sisallys-otsikko\">");
    esc_html_str(&chapters, i18n_text(site_i18n_lang(s, lang), "kirja.sisallys"));
    buf_puts(&chapters, "</h2><ol>");
    for (size_t i = 0; i < n; i++) {
        buf_printf(&chapters, "<li><a href=\"#luku-%zu\">", i + 1);
        esc_html_str(&chapters, page_title(pages[i]));
        buf_puts(&chapters, "</a></li>");
    }
    buf_puts(&chapters, "</ol></nav>\n");
    for (size_t i = 0; i < n; i++) {
        buf_t html = BUF_INIT;
        chapter_html(s, pages[i], url, root, lib, env, &html, d);
        bool is_short = text_chars(buf_cstr(&html)) < SHORT_CHAPTER_CHARS;
        buf_printf(&chapters, "<section class=\"luku%s\" id=\"luku-%zu\" aria-labelledby=\"luku-%zu-otsikko\">\n"
                              "<h2 class=\"luvun-otsikko\" id=\"luku-%zu-otsikko\"><span class=\"luvun-numero\">%zu.</span> ",
                   is_short ? " lyhyt" : "", i + 1, i + 1, i + 1, i + 1);
        esc_html_str(&chapters, page_title(pages[i]));
        buf_puts(&chapters, "</h2>\n");
        char *prefix = xasprintf("l%zu-", i + 1);
        /* On paper a closed <details> prints nothing: open the diagrams' text equivalents. */
        buf_t opened = BUF_INIT;
        const char *closed = "<details class=\"kaavio-teksti\">";
        const char *q = buf_cstr(&html), *hit;
        while ((hit = strstr(q, closed)) != NULL) {
            buf_put(&opened, q, (size_t)(hit - q));
            buf_puts(&opened, "<details class=\"kaavio-teksti\" open>");
            q = hit + strlen(closed);
        }
        buf_puts(&opened, q);
        prefix_ids(buf_cstr(&opened), prefix, &chapters);
        buf_free(&opened);
        free(prefix);
        buf_puts(&chapters, "</section>\n");
        buf_free(&html);
    }
    bool ok = booklet_layout(s, pages, n, url, root, title, lang, lib, env, &chapters, out, d);
    free(root);
    return ok;
}

/* A booklet's page (or the index of the parts) through the kirja layout: content (taken)
 * as page.content, dated by the newest of pages. */
static bool booklet_layout(const site *s, const page *const *pages, size_t n, const char *url, const char *root,
                           const char *title, size_t lang, const mustache_lib *lib, const render_env *env,
                           buf_t *content, buf_t *out, diag_list *d)
{
    buf_t chapters = *content;
    *content = (buf_t)BUF_INIT;
    val *pg = val_map((src_pos){0});
    val_set(pg, "title", str(title));
    val_set(pg, "url", str(url));
    char *permalink = xasprintf("%s%s", site_base_url(s), url);
    val_set(pg, "permalink", val_str_own(permalink, strlen(permalink), (src_pos){0}));
    size_t len = chapters.len;
    val_set(pg, "content", val_str_own(buf_detach(&chapters), len, (src_pos){0}));
    val_set(pg, "toc", val_list((src_pos){0}));
    val_set(pg, "params", val_map((src_pos){0}));
    /* The booklet's date: its newest page's (kirja.paivitetty, also as page.paivitetty). */
    int64_t newest = render_dates_newest(env->dates, pages, n);
    set_date(pg, newest);
    val *ctx = context_lang(s, env, url, root, pg, NULL, lang);
    val *kirja = val_map((src_pos){0});
    set_date(kirja, newest);
    val_set(ctx, "kirja", kirja);
    bool ok = mustache_render(lib, BOOKLET_LAYOUT, ctx, out, d);
    val_free(ctx);
    return ok;
}

bool render_booklet_index(const site *s, const page *const *pages, size_t n, const char *const *part_urls,
                          const char *const *part_titles, const size_t *part_pages, size_t n_parts,
                          const char *url, const char *title, size_t lang, const mustache_lib *lib,
                          const render_env *env, buf_t *out, diag_list *d)
{
    const i18n *cat = site_i18n_lang(s, lang);
    char *root = site_root_prefix(url);
    buf_t list = BUF_INIT;
    char count[24];
    snprintf(count, sizeof count, "%zu", n);
    buf_puts(&list, "<nav class=\"kirja-osat\" aria-labelledby=\"kirja-osat-otsikko\"><h2 id=\"kirja-osat-otsikko\">");
    esc_html_str(&list, i18n_text(cat, "kirja.osina"));
    buf_puts(&list, "</h2><p>");
    buf_t intro = BUF_INIT;
    i18n_put(cat, &intro, "kirja.osina_ohje", "n", count, NULL);
    esc_html_str(&list, buf_cstr(&intro));
    buf_free(&intro);
    buf_puts(&list, "</p><ol>");
    size_t at = strlen(url);
    for (size_t i = 0; i < n_parts; i++) {
        const char *rel = !strncmp(part_urls[i], url, at) ? part_urls[i] + at : part_urls[i];
        buf_puts(&list, "<li><a href=\"");
        esc_html_str(&list, rel);
        buf_puts(&list, "\">");
        esc_html_str(&list, part_titles[i]);
        buf_puts(&list, "</a> (");
        buf_t pages_n = BUF_INIT;
        i18n_put_n(cat, &pages_n, "kirja.sivua", (long)part_pages[i], NULL);
        esc_html_str(&list, buf_cstr(&pages_n));
        buf_free(&pages_n);
        buf_puts(&list, ")</li>");
    }
    buf_puts(&list, "</ol></nav>\n");
    bool ok = booklet_layout(s, pages, n, url, root, title, lang, lib, env, &list, out, d);
    buf_free(&list);
    free(root);
    return ok;
}

bool render_page(const site *s, const page *p, const mustache_lib *lib, const render_env *env,
                 buf_t *out, buf_t *text, diag_list *d)
{
    buf_t html = BUF_INIT;
    page_content(s, p, env, NULL, &html, d);
    if (text)
        search_page_text(html.ptr ? html.ptr : "", html.len, text);

    const char *url = page_url(p);
    char *root = site_root_prefix(url);
    val *pg = page_fields(s, p, env, &html);
    val *ctx = context(s, env, url, root, pg, p);
    val_set(ctx, "nav", nav_for(s, p, root));
    bool ok = mustache_render(lib, page_layout(p), ctx, out, d);
    val_free(ctx);
    free(root);
    return ok;
}

bool render_404(const site *s, size_t lang, const mustache_lib *lib, const render_env *env, buf_t *out,
                diag_list *d)
{
    val *pg = val_map((src_pos){0});
    val_set(pg, "title", str(i18n_text(site_i18n_lang(s, lang), "ei_loydy.otsikko")));
    char *url = lang ? xasprintf("%s/404.html", site_lang_at(s, lang)) : xstrdup("404.html");
    val_set(pg, "url", val_str_own(url, strlen(url), (src_pos){0}));
    val_set(pg, "content", str(""));
    val_set(pg, "toc", val_list((src_pos){0}));
    val_set(pg, "params", val_map((src_pos){0}));
    val *ctx = context_lang(s, env, NULL, site_base_path(s), pg, NULL, lang);
    bool ok = mustache_render(lib, "404", ctx, out, d);
    val_free(ctx);
    return ok;
}

void render_alias(const site *s, const page *p, const char *alias_url, buf_t *out)
{
    char *root = site_root_prefix(alias_url);
    char *href = xasprintf("%s%s", root, page_url(p));
    char *canonical = xasprintf("%s%s", site_base_url(s), page_url(p));
    const char *lang = site_lang_at(s, page_lang(p));
    buf_puts(out, "<!DOCTYPE html>\n<html lang=\"");
    esc_html_str(out, lang ? lang : "fi");
    buf_puts(out, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    esc_html_str(out, page_title(p));
    buf_puts(out, "</title>\n<link rel=\"canonical\" href=\"");
    esc_html_str(out, canonical);
    buf_puts(out, "\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url=");
    esc_html_str(out, *href ? href : "./");
    buf_puts(out, "\">\n</head>\n<body>\n<p>");
    esc_html_str(out, i18n_text(site_i18n_lang(s, page_lang(p)), "ei_loydy.siirtynyt"));
    buf_puts(out, ": <a href=\"");
    esc_html_str(out, *href ? href : "./");
    buf_puts(out, "\">");
    esc_html_str(out, page_title(p));
    buf_puts(out, "</a></p>\n</body>\n</html>\n");
    free(root);
    free(href);
    free(canonical);
}

void render_robots(const site *s, buf_t *out)
{
    buf_printf(out, "User-agent: *\nAllow: /\nSitemap: %ssitemap.xml\n", site_base_url(s));
}

void render_sitemap(const site *s, const render_dates *dates, buf_t *out)
{
    buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    buf_puts(out, site_lang_count(s) > 1
                      ? "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
                        "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
                      : "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (size_t i = 0; i < site_page_count(s); i++) {
        const page *p = site_page_at(s, i);
        buf_puts(out, "  <url><loc>");
        esc_html_str(out, site_base_url(s));
        esc_html_str(out, page_url(p));
        buf_puts(out, "</loc>");
        for (size_t k = 0; site_lang_count(s) > 1 && k < site_lang_count(s); k++) {
            const page *v = page_alt(p, k);
            if (!v)
                continue;
            buf_printf(out, "<xhtml:link rel=\"alternate\" hreflang=\"%s\" href=\"", site_lang_at(s, k));
            esc_html_str(out, site_base_url(s));
            esc_html_str(out, page_url(v));
            buf_puts(out, "\"/>");
        }
        int64_t t = render_page_date(dates, p);
        if (t > 0) {
            char fi[16], iso[16];
            render_date_text(t, fi, iso);
            buf_printf(out, "<lastmod>%s</lastmod>", iso);
        }
        buf_puts(out, "</url>\n");
    }
    buf_puts(out, "</urlset>\n");
}

/* {====== What a page's rendering reads ====== */

/* What one layout reaches (mustache_lib_deps): the same for every page
 * with that layout, so worked out once per layout in render_sig_base_new. */
typedef struct {
    uint64_t hash;
    bool uses_data;
} layout_deps;

struct render_sig_base {
    uint64_t common; /* site.yaml, menu, build facts, hooks */
    uint64_t data;
    uint64_t terms[SITE_MAX_LANGS]; /* per language */
    strmap *layouts;      /* layout name -> layout_deps*, every page's and the booklet's */
    layout_deps *deps;
    size_t n_deps;
};

static void add_layout(render_sig_base *b, const mustache_lib *lib, const char *name)
{
    if (strmap_has(b->layouts, name))
        return;
    layout_deps *e = &b->deps[b->n_deps++];
    e->hash = mustache_lib_deps(lib, name, "data", &e->uses_data);
    strmap_add(b->layouts, name, e);
}

/* mustache_lib_deps(lib, name, "data", uses_data), from the table when name
 * is in it (as every page's layout is). */
static uint64_t layout_deps_of(const render_sig_base *b, const mustache_lib *lib, const char *name,
                               bool *uses_data)
{
    const layout_deps *e = strmap_get(b->layouts, name);
    if (!e)
        return mustache_lib_deps(lib, name, "data", uses_data);
    *uses_data = e->uses_data;
    return e->hash;
}

static uint64_t hash_link(uint64_t h, const page *p)
{
    if (!p)
        return hash_u64(h, 0);
    return hash_str(hash_str(h, page_url(p)), page_title(p));
}

render_sig_base *render_sig_base_new(const site *s, const mustache_lib *lib, const render_env *env,
                                     uint64_t data_hash, uint64_t hooks_hash)
{
    render_sig_base *b = xcalloc(1, sizeof *b);
    uint64_t h = val_hash(site_data(s), HASH_SEED, 0);
    h = val_hash(i18n_tree(site_i18n(s)), h, 0);
    h = hash_str(h, site_base_url(s));
    for (size_t i = 0; i < site_menu_count(s); i++) {
        h = hash_str(h, site_menu_title(s, i));
        h = hash_str(h, site_menu_url(s, i));
        h = hash_u64(h, site_menu_external(s, i));
    }
    h = hash_str(hash_str(h, env->date), env->generator);
    h = hash_u64(h, env->lambdas && val_len(env->lambdas) ? hooks_hash : 0);
    b->common = h;
    b->data = data_hash;
    for (size_t k = 0; k < site_lang_count(s); k++) {
        size_t n;
        const md_term *terms = site_terms_lang(s, k, &n);
        h = HASH_SEED;
        for (size_t i = 0; i < n; i++)
            h = hash_str(hash_str(hash_str(h, terms[i].term), terms[i].title), terms[i].href);
        b->terms[k] = hash_u64(h, n);
    }
    b->layouts = strmap_new();
    b->deps = xcalloc(2 * site_page_count(s) + 1, sizeof(layout_deps));
    for (size_t i = 0; i < site_page_count(s); i++) {
        const char *layout = page_layout(site_page_at(s, i));
        add_layout(b, lib, layout);
        char *part = xasprintf("%s" DATA_PARTIAL_SUFFIX, layout);
        if (mustache_lib_has(lib, part))
            add_layout(b, lib, part);
        free(part);
    }
    add_layout(b, lib, BOOKLET_LAYOUT);
    return b;
}

void render_sig_base_free(render_sig_base *b)
{
    if (!b)
        return;
    strmap_free(b->layouts);
    free(b->deps);
    free(b);
}

uint64_t render_page_sig(const site *s, const page *p, const mustache_lib *lib, const render_env *env,
                         const render_sig_base *b)
{
    uint64_t h = hash_u64(HASH_SEED, b->common);
    /* The page itself. */
    size_t len;
    const char *body = page_body(p, &len);
    h = hash_bytes(h, body ? body : "", len);
    h = hash_str(h, page_html(p));
    h = hash_str(hash_str(hash_str(h, page_url(p)), page_title(p)), page_src(p));
    double w = page_weight(p);
    h = hash_bytes(h, &w, sizeof w);
    h = val_hash(page_meta(p), h, 1);
    h = val_hash(page_extra(p), h, 1);
    /* Its layout and what the layout reaches. */
    bool uses_data = false;
    h = hash_u64(h, layout_deps_of(b, lib, page_layout(p), &uses_data));
    if (uses_data || val_as_bool(val_get(page_meta(p), "mustache")))
        h = hash_u64(h, b->data);
    /* Its entity, with the names of what the entity refers to; a hook page's
     * data (references to the site's data) as deep, as its date follows it. */
    if (page_entity(p))
        h = val_hash(page_entity(p), h, ENTITY_REF_DEPTH);
    h = val_hash(val_get(page_meta(p), "data"), h, ENTITY_REF_DEPTH);
    /* Its last change, as the page shows it (the day: a save later that day changes nothing shown). */
    char fi[16], iso[16] = "";
    int64_t t = render_page_date(env->dates, p);
    if (t > 0)
        render_date_text(t, fi, iso);
    h = hash_str(h, iso);
    if (strcmp(page_layout(p), "sanasto") != 0)
        h = hash_u64(h, b->terms[page_lang(p)]);
    /* Navigation and a section's list: hashed as the page gets them (both
     * bounded, so this costs what rendering them does). */
    char *root = site_root_prefix(page_url(p));
    val *nav = nav_for(s, p, root);
    h = val_hash(nav, h, 0);
    val_free(nav);
    val *list = list_for(p, root);
    h = val_hash(list, h, 0);
    val_free(list);
    free(root);
    /* Links: where each leads, and the title of the page it leads to. */
    for (size_t i = 0; i < page_link_count(p); i++) {
        h = hash_str(h, page_link_href(p, i));
        h = hash_link(h, page_link_target(p, i));
    }
    /* Diagrams: the page's chart and those its Markdown embeds. */
    if (env->dg) {
        h = hash_str(h, diagrams_for_page(env->dg, page_url(p)));
        const md_doc *doc = page_outline(p);
        for (size_t i = 0; doc && i < md_embed_count(doc); i++) {
            const md_embed *e = md_embed_at(doc, i);
            const char *lang = page_lang(p) ? site_lang_at(s, page_lang(p)) : NULL;
            h = hash_str(h, !strcmp(e->kind, "kaavio") ? diagrams_by_id_in(env->dg, e->arg, lang)
                                                       : diagrams_block(env->dg, page_src(p), i));
        }
    }
    return h;
}

uint64_t render_booklet_sig(const site *s, const page *const *pages, const uint64_t *sigs, size_t n,
                            const char *url, const char *title, const mustache_lib *lib,
                            const render_sig_base *b)
{
    (void)s;
    uint64_t h = hash_u64(HASH_SEED, b->common);
    bool uses_data = false;
    h = hash_u64(h, layout_deps_of(b, lib, BOOKLET_LAYOUT, &uses_data));
    if (uses_data)
        h = hash_u64(h, b->data);
    h = hash_str(hash_str(h, url), title);
    for (size_t i = 0; i < n; i++) {
        h = hash_u64(hash_str(hash_str(h, page_url(pages[i])), page_title(pages[i])), sigs[i]);
        /* Each chapter also renders its layout's data part (chapter_html),
         * which the page's own layout need not include. */
        char *part = xasprintf("%s" DATA_PARTIAL_SUFFIX, page_layout(pages[i]));
        if (mustache_lib_has(lib, part)) {
            bool part_data = false;
            h = hash_u64(h, layout_deps_of(b, lib, part, &part_data));
            if (part_data)
                h = hash_u64(h, b->data);
        }
        free(part);
    }
    return hash_u64(h, n);
}

/* } */
