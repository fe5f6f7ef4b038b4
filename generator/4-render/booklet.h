/* booklet: which printable booklets a site has (layouts/kirja.mustache),
 * and what is in each; render_booklet (page_render.h) renders one. */
#ifndef KK_BOOKLET_H
#define KK_BOOKLET_H

#include <stddef.h>

#include "../2-model/site.h"
#include "mustache.h"

/* One booklet: its pages in order, at <url>index.html, in language lang
 * (an index of the site's languages). */
typedef struct {
    const page **pages; /* borrowed from the site */
    size_t n;
    char *url;
    char *title;
    size_t lang;
    /* A whole handbook in parts: parts[first_part … first_part + n_parts - 1]
     * of its list; n_parts 0 for a booklet in one piece. */
    size_t first_part, n_parts;
} booklet;

typedef struct {
    booklet *all;
    size_t n;
    /* The whole handbooks in parts (each language's that has more than
     * BOOKLET_PART_PAGES pages): its tulosta/ (still with every page) is then
     * an index of these, written with it. */
    booklet *parts;
    size_t n_parts;
} booklet_list;

/* The most pages in one booklet of the whole handbook: past this (a very
 * large site) the handbook is printed in parts, one per top-level section
 * (the home page goes with the first) at tulosta/<section>/, and a section
 * of more pages in runs of this many, tulosta/<section>/2/, …/3/, …; the
 * page tulosta/ lists the parts. At ~6 KB of HTML a page (the synthetic
 * bench pages) a part is under 2 MB; the handbook (167 pages) stays one
 * booklet. */
#define BOOKLET_PART_PAGES 300

/* The booklets of s: none without a 'kirja' layout or a home page; else
 * the whole handbook in reading order at tulosta/ (less the pages
 * 'kirjaan: false' leaves out; past BOOKLET_PART_PAGES in parts), the same
 * for each other language with a front page of its own at <lang>/tulosta/
 * ("sv/tulosta/": its pages in its reading order), and for every page with
 * 'kirjanen: true' the page and the pages it links to, in link order, at
 * <page>tulosta/ (in the page's language). Free with booklet_list_free. */
booklet_list booklet_plan(const site *s, const mustache_lib *lib);
/* (A language's whole-handbook booklet is at <site_home_lang's url>tulosta/.) */
/* booklet_plan's two conditions, for those who need the booklets' addresses
 * before the site is resolved: whether s has booklets at all (tulosta/),
 * and whether page p has its own (<page>tulosta/). */
bool booklet_site_wants(const site *s, const mustache_lib *lib);
bool booklet_page_wants(const page *p);
void booklet_list_free(booklet_list *l);

#endif
