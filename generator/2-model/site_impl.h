/* site_impl: the site's and its pages' insides, shared by the two halves of
 * the site module: site.c (configuration, pages, links, patching) and
 * site_sections.c (navigation, section and list pages). No other file
 * includes this. */
#ifndef KK_SITE_IMPL_H
#define KK_SITE_IMPL_H

#include <stdint.h>

#include "../0-base/strmap.h"
#include "../0-base/xmem.h"
#include "site.h"

typedef struct {
    char *href; /* NULL: keep as written */
    page *target; /* the page a link to a Markdown file leads to */
    char *check; /* a heading id on `on` to check once every page is parsed (deferred builds),
                  * or an anchor of a generated target to check once it has rendered */
    const page *on; /* the page `check` is an anchor of (a link to an address leads there too) */
    const char *hreflang; /* a link from a translation to a page in another language: its language */
} link_res;

/* A link of a released page whose anchor is checked at the end of the
 * build (site_check_deferred): all of the link that message needs. */
typedef struct {
    const page *on; /* the page the anchor must be on */
    char *check;    /* the anchor */
    char *url;      /* the link as written */
    int line, col;
} late_check;

struct page {
    /* Pointers first, then sizes, then the flags: a hundred thousand pages are held for the
     * whole build, so the struct stays small (no padding between mixed fields). */
    const src_file *file;  /* NULL for a page the model generates */
    page *parent;          /* the page one URL segment up, if any */
    page *prev, *next;     /* reading order of the content pages */
    page **children;       /* content pages one level below, in reading order */
    page *list_of;         /* a continuation page ("osa-3/sivu/2/") of list_of's list */
    char *owned_src;       /* a generated section's src_path */
    const char *src_path;  /* the file named in its diagnostics */
    const val *entity;     /* a generated page's entity (borrowed from the model) */
    val *meta;
    const char *title;
    const char *layout;
    char *url;
    char *out;
    char **aliases;
    src_pos *alias_at; /* where each alias is written */
    md_doc *doc;       /* outline only: headings and links */
    const char *body;  /* the Markdown after the front matter (in the source buffer, or expanded) */
    char *expanded;    /* the body after Mustache, for 'mustache: true' pages, or from a hook */
    pos_map *map;      /* for 'mustache: true' pages: positions in expanded -> in the file */
    char *html;        /* a hook page's ready HTML instead of Markdown */
    char *owned_title; /* a hook page's title and layout */
    char *owned_layout;
    val *extra;        /* fields set by on_page filters */
    char *patched;     /* the file's text after site_patch_page, or as read for a page that must
                        * keep it (the body points into it) */
    link_res *links;
    char **anchors;     /* a generated page's id="…" values, sorted (NULL: not rendered yet); a
                         * released page's heading ids (site_page_release) */
    late_check *late;   /* a released page's links whose anchors wait for site_check_deferred */
    char *base_src;     /* a translation x.sv.md (or x.fi.md): the content path x.md it is a version of */
    page **alt;         /* SITE_MAX_LANGS: the versions of this page in each language (itself too), NULL:
                         * none (a one-language site's pages have no array) */
    double weight;
    size_t body_len;
    size_t body_at;    /* lazy: where the body starts in the file */
    uint64_t body_hash;
    uint32_t n_children;
    uint32_t child_index; /* its place among its parent's children */
    uint32_t list_no;     /* a continuation page's number (2, 3, …); 0 otherwise */
    uint32_t list_pages;  /* a listing page: how many pages its list has (1, 2, …) */
    uint32_t n_aliases;
    uint32_t n_links;
    uint32_t n_anchors;
    uint32_t n_late;
    uint32_t lang;        /* its language: an index of the site's languages (0: the default) */
    int body_line_offset;
    bool section;        /* generated for a folder without an index page */
    bool draft;
    bool not_in_booklet; /* 'kirjaan: false' (false by default, so hook pages are in) */
    bool expand;         /* 'mustache: true': the body is expanded before it is parsed */
    bool deferred;       /* the body is parsed when the page renders (site_options.defer) */
    bool lazy;           /* the file's text was let go after loading (src_load_lazy): body is NULL
                          * and body_of reads the file again; body_at and body_hash find and check it */
    bool released;       /* site_page_release let go of its outline and links */
};

/* The version of p in language k, or NULL. */
static inline page *alt_at(const page *p, size_t k) { return p->alt ? p->alt[k] : NULL; }

/* p's versions, made on first use. */
static inline page **alts(page *p)
{
    if (!p->alt)
        p->alt = xcalloc(SITE_MAX_LANGS, sizeof(page *));
    return p->alt;
}

typedef struct {
    char *title;
    char *titles[SITE_MAX_LANGS]; /* per language (NULL: the default's) */
    char *url;      /* the target from the root ("lait/"), or the external address; NULL until resolved */
    bool external;
    char *page;     /* 'page:' as written, or 'url: /…' (rooted): resolved in site_resolve, after the hooks */
    bool rooted;
    src_pos at;     /* where page or url is written */
} menu_item;

struct site {
    const src_tree *src;
    const model *model;
    i18n *own_cat;  /* the interface texts when there is no model (else the model's) */
    site_options opt;
    val *config;    /* site.yaml as loaded */
    val *data;      /* shaped for layouts */
    const char *title;
    char *base_url;
    char *base_path;
    bool unsafe_html;
    bool guide;        /* site.yaml 'ohjeet' (default true): the theme's guide pages are built */
    val *layout_pages; /* layout name -> URL of the first page with it (esimerkit.sivut) */
    page **pages;
    size_t n_pages;
    strmap *by_src;    /* content path -> page (built pages only) */
    strmap *by_url;    /* URL from the root -> page, generated pages too */
    strmap *outputs;   /* output file -> page, for pages added later (hooks) */
    strmap *drafts;    /* content path -> page left out as a draft */
    strmap *broken;    /* content path of a page that could not be read (reported): links to it say nothing more */
    strmap *statics;   /* "style.css" -> (void *)1 */
    strmap *files;     /* "vastuunjako.csv", "tulosta/" -> (void *)1: what the build writes besides pages */
    char **file_list;  /* the same, in order (for did-you-mean) */
    size_t n_files;
    bool hooks_unknown; /* the hooks could not run: what they would have made is unknown */
    menu_item *menu;
    size_t n_menu;
    md_term *terms[SITE_MAX_LANGS]; /* per language (the model's view in it) */
    size_t n_terms;
    char **term_hrefs[SITE_MAX_LANGS];
    /* Languages (site.yaml `languages`, the first the default): their codes,
     * catalogs (the default's is the model's or own_cat), site data. */
    char *langs[SITE_MAX_LANGS];
    size_t n_langs;
    i18n *cats[SITE_MAX_LANGS];
    val *ldata[SITE_MAX_LANGS];
    bool tr_optional;  /* 'kaannokset: valinnainen': untranslated pages are fine */
    size_t untranslated[SITE_MAX_LANGS];
};

/* {====== Shared between site.c and site_sections.c ====== */

/* site.c */
bool site_layout_exists(const site *s, const char *name);
int site_lang_index(const site *s, const char *code);

/* site_sections.c: after the hooks, in site_resolve */
void site_add_sections(site *s, diag_list *d);
void site_build_nav(site *s);
void site_add_list_pages(site *s, diag_list *d);
/* The language of the page at path or URL norm: k when it starts with the
 * folder of language k ("sv/…", k > 0), else the default's. */
size_t site_url_lang(const site *s, const char *norm);
/* A page made by the build (a hook's page, a generated section) and its
 * versions in the other languages, when they exist: "sv/kunnat/joensuu/" is
 * the Swedish version of "kunnat/joensuu/". Each version's alt[] names all of them. */
void site_pair_by_url(site *s, page *p);

/* } */

#endif
