/* booklet: which printable booklets a site has. */
#include "booklet.h"

#include <assert.h>
#include <stdlib.h>

#include "../0-base/value.h"
#include "../0-base/xmem.h"

static booklet *add(booklet_list *l, size_t cap, char *url, char *title)
{
    l->all = xrealloc(l->all, (l->n + 1) * sizeof(booklet));
    booklet *b = &l->all[l->n++];
    *b = (booklet){.pages = xcalloc(cap ? cap : 1, sizeof(page *)), .url = url, .title = title};
    return b;
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
    buf_t title = BUF_INIT;
    i18n_put(site_i18n(s), &title, "kirja.koko", "sivusto", site_title(s), NULL);
    booklet *all = add(&l, site_page_count(s), xstrdup("tulosta/"), buf_detach(&title));
    for (const page *p = site_home(s); p; p = page_next(p))
        if (page_in_booklet(p)) {
            assert(all->n < site_page_count(s)); /* the reading order holds each page once */
            all->pages[all->n++] = p;
        }
    for (size_t i = 0; i < site_page_count(s); i++) {
        const page *p = site_page_at(s, i);
        if (!booklet_page_wants(p))
            continue;
        booklet *b = add(&l, page_link_count(p) + 1, xasprintf("%stulosta/", page_url(p)),
                         xasprintf("%s tulostettavana", page_title(p)));
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
}
