/* booklet: which printable booklets a site has. */
#include "booklet.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/value.h"
#include "../0-base/xmem.h"

static booklet *add_to(booklet **all, size_t *n, size_t cap, char *url, char *title)
{
    *all = xrealloc(*all, (*n + 1) * sizeof(booklet));
    booklet *b = &(*all)[(*n)++];
    *b = (booklet){.pages = xcalloc(cap ? cap : 1, sizeof(page *)), .url = url, .title = title};
    return b;
}

static booklet *add(booklet_list *l, size_t cap, char *url, char *title)
{
    return add_to(&l->all, &l->n, cap, url, title);
}

/* The page just below home that p is under (p itself at the top, or
 * without a parent): its top-level section in its language's handbook. */
static const page *top_in(const page *home, const page *p)
{
    const page *top = p;
    while (top && page_parent(top) && page_parent(top) != home)
        top = page_parent(top);
    return top;
}


/* The whole handbook's pages (whole, from home) in parts: a run of pages
 * under one top-level section (the home page with the first), at most
 * BOOKLET_PART_PAGES each, at <whole's url><section>/. */
static void plan_parts(const site *s, booklet_list *l, booklet *whole, const page *home)
{
    const i18n *cat = site_i18n_lang(s, whole->lang);
    const char *name = val_get_str(site_data_lang(s, whole->lang), "title");
    size_t root = strlen(page_url(home)); /* "sv/": the section's folder follows it */
    whole->first_part = l->n_parts;
    size_t i = 0;
    while (i < whole->n) {
        const page *top = top_in(home, whole->pages[i]);
        if (top == home && i + 1 < whole->n) /* the home page starts the first section's part */
            top = top_in(home, whole->pages[i + 1]);
        size_t end = i + 1;
        while (end < whole->n && top_in(home, whole->pages[end]) == top)
            end++;
        /* pages i..end-1: the section, in runs */
        const char *url = page_url(top);
        url += strlen(url) >= root ? root : strlen(url);
        size_t seg = strcspn(url, "/");
        size_t runs = (end - i + BOOKLET_PART_PAGES - 1) / BOOKLET_PART_PAGES;
        for (size_t k = 0; k < runs; k++) {
            size_t from = i + k * BOOKLET_PART_PAGES;
            size_t to = from + BOOKLET_PART_PAGES < end ? from + BOOKLET_PART_PAGES : end;
            char *purl = k ? xasprintf("%s%.*s/%zu/", whole->url, (int)seg, url, k + 1)
                           : xasprintf("%s%.*s/", whole->url, (int)seg, url);
            buf_t title = BUF_INIT;
            if (runs > 1) {
                char kth[24], nth[24];
                snprintf(kth, sizeof kth, "%zu", k + 1);
                snprintf(nth, sizeof nth, "%zu", runs);
                i18n_put(cat, &title, "kirja.osa_n", "sivusto", name, "sivu", page_title(top), "k", kth, "n", nth,
                         NULL);
            } else {
                i18n_put(cat, &title, "kirja.osa", "sivusto", name, "sivu", page_title(top), NULL);
            }
            booklet *b = add_to(&l->parts, &l->n_parts, to - from, purl, buf_detach(&title));
            b->lang = whole->lang;
            memcpy(b->pages, whole->pages + from, (to - from) * sizeof(page *));
            b->n = to - from;
        }
        i = end;
    }
    whole->n_parts = l->n_parts - whole->first_part;
}

/* Page p and the pages it links to, each once, in link order. */
static void add_linked(booklet *b, const page *p)
{
    b->pages[b->n++] = p;
    for (size_t k = 0; k < page_link_count(p); k++) {
        const page *t = page_link_target(p, k);
        bool seen = false;
        for (size_t j = 0; j < b->n && t; j++)
            seen = seen || b->pages[j] == t;
        if (t && !seen)
            b->pages[b->n++] = t;
    }
}

bool booklet_site_wants(const site *s, const mustache_lib *lib)
{
    return mustache_lib_has(lib, "kirja") && site_home(s);
}

bool booklet_page_wants(const page *p) { return val_as_bool(val_get(page_meta(p), "kirjanen")); }

booklet_list booklet_plan(const site *s, const mustache_lib *lib)
{
    booklet_list l = {0};
    if (!booklet_site_wants(s, lib))
        return l;
    for (size_t k = 0; k < site_lang_count(s); k++) {
        const page *home = site_home_lang(s, k);
        if (!home)
            continue;
        buf_t title = BUF_INIT;
        i18n_put(site_i18n_lang(s, k), &title, "kirja.koko", "sivusto",
                 k ? val_get_str(site_data_lang(s, k), "title") : site_title(s), NULL);
        booklet *all = add(&l, site_page_count(s), xasprintf("%stulosta/", page_url(home)), buf_detach(&title));
        all->lang = k;
        for (const page *p = home; p; p = page_next(p))
            if (page_in_booklet(p)) {
                assert(all->n < site_page_count(s)); /* the reading order holds each page once */
                all->pages[all->n++] = p;
            }
        if (all->n > BOOKLET_PART_PAGES)
            plan_parts(s, &l, all, home);
    }
    for (size_t i = 0; i < site_page_count(s); i++) {
        const page *p = site_page_at(s, i);
        if (!booklet_page_wants(p))
            continue;
        buf_t title = BUF_INIT;
        i18n_put(site_i18n_lang(s, page_lang(p)), &title, "kirja.tulostettavana", "sivu", page_title(p), NULL);
        booklet *b = add(&l, page_link_count(p) + 1, xasprintf("%stulosta/", page_url(p)), buf_detach(&title));
        b->lang = page_lang(p);
        add_linked(b, p);
    }
    return l;
}

void booklet_list_free(booklet_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->all[i].pages);
        free(l->all[i].url);
        free(l->all[i].title);
    }
    free(l->all);
    l->all = NULL;
    l->n = 0;
    for (size_t i = 0; i < l->n_parts; i++) {
        free(l->parts[i].pages);
        free(l->parts[i].url);
        free(l->parts[i].title);
    }
    free(l->parts);
    l->parts = NULL;
    l->n_parts = 0;
}
