/* site: the resolved model of a site. Takes the loaded sources, validates
 * site.yaml and every page's front matter, maps pages to URLs, parses their
 * Markdown once, and checks every link between pages and to anchors. After
 * site_new, each page can be rendered on its own. */
#ifndef KK_SITE_H
#define KK_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "../0-base/diag.h"
#include "../0-base/value.h"
#include "../1-load/source.h"
#include "../1-load/mdparse.h"
#include "model.h"

typedef struct site site;
typedef struct page page;

/* Navigation stays bounded whatever the site's shape: a list in a page's
 * sidebar shows at most SITE_NAV_WINDOW entries (a window around the current
 * one, in reading order); a section's list page shows SITE_LIST_PAGE entries
 * a page, continued at "<section>/sivu/2/" and on. */
#define SITE_NAV_WINDOW 20
#define SITE_LIST_PAGE 100
#define SITE_LIST_SEGMENT "sivu"
/* The file that names a folder without an index page ("content/osa-3/_sektio.yaml"). */
#define SITE_SECTION_FILE "_sektio.yaml"
/* At most this many languages (site.yaml `languages`). */
#define SITE_MAX_LANGS 8

typedef struct {
    const char *base_url; /* overrides site.yaml's base_url when not NULL */
    bool drafts;          /* build pages with 'draft: true' too */
    const model *model;   /* the structure data and its pages (may be NULL) */
    /* Expands a page whose front matter says 'mustache: true' (its body is a
     * Mustache template over the data) into out; false after an error in d.
     * line_offset is the number of lines before the body in the file. On
     * success map (empty when called) is finished and gives, for each
     * position of out, the position in the file (see posmap.h). layout_pages
     * maps an index layout's name to its page's URL (esimerkit.sivut). lang
     * is the page's language (an index of the site's; site_data is its). */
    bool (*expand)(void *ud, const char *path, size_t lang, const char *body, size_t len, int line_offset,
                   const val *site_data, const val *layout_pages, const val *meta, buf_t *out, pos_map *map,
                   diag_list *d);
    void *expand_ud;
    /* Parse a page's Markdown once, when it renders (site_parse_deferred),
     * instead of once for the model and again to render: for builds that
     * render every page once. Pages with diagram blocks are parsed at once. */
    bool defer;
} site_options;

/* Builds the model from src (borrowed: must outlive the site). Every problem
 * goes to d; the site is still returned so that all errors of a build can be
 * reported (callers stop when diag_errors(d) > 0). NULL only when site.yaml
 * cannot be used at all. Free with site_free. */
site *site_new(const src_tree *src, site_options opt, diag_list *d);
void site_free(site *s);

/* The site.yaml data shaped for layouts: title, language, base_url,
 * description, params (borrowed). */
const val *site_data(const site *s);
const char *site_title(const site *s);
/* base_url with a trailing slash ("https://example.fi/kasikirja/"). */
const char *site_base_url(const site *s);
/* The path part of base_url ("/kasikirja/"), for pages served at any depth (404). */
const char *site_base_path(const site *s);
bool site_unsafe_html(const site *s);

/* Pages that are built (drafts only with opt.drafts), in source path order. */
size_t site_page_count(const site *s);
page *site_page_at(const site *s, size_t i);
/* The page built from a content path ("content/lait/index.md"), or NULL. */
page *site_page_by_src(const site *s, const char *src_path);
/* The page at URL url from the root ("haku/", "sv/haku/"), generated pages too, or NULL. */
page *site_page_by_url(const site *s, const char *url);

/* Menu entries from site.yaml (after site_resolve): title, and the target's
 * URL from the root ("lait/"; from 'page:' or 'url: /…') or the external
 * address. */
size_t site_menu_count(const site *s);
const char *site_menu_title(const site *s, size_t i);
const char *site_menu_url(const site *s, size_t i);
bool site_menu_external(const site *s, size_t i);

/* The glossary terms to mark on pages (borrowed), and their count. */
const md_term *site_terms(const site *s, size_t *n);
/* The same in the site's language lang (the terms, explanations and glossary
 * page of that language). */
const md_term *site_terms_lang(const site *s, size_t lang, size_t *n);

/* The model's data for layouts ({{data.…}}), or NULL. */
const val *site_model_data(const site *s);
/* The same in the site's language lang (model_lang: the texts in that
 * language, the default's marked; URLs under "sv/"), or NULL. */
const val *site_model_data_lang(const site *s, size_t lang);
/* The interface texts of the site's language (borrowed). */
const i18n *site_i18n(const site *s);

/* Languages: site.yaml `languages: [fi, sv]` (the first the default) or
 * `language: fi`. A translation of content/x.md is content/x.sv.md, built
 * under "sv/" with the same path. */
size_t site_lang_count(const site *s);
const char *site_lang_at(const site *s, size_t i);
/* "Swedish" for "sv" (for messages), the code itself when unknown. */
const char *site_lang_name(const char *code);
/* The interface texts and the site data (title, description, language) of language i. */
const i18n *site_i18n_lang(const site *s, size_t i);
const val *site_data_lang(const site *s, size_t i);
/* The menu entry's title in language lang, and its URL from a page of that
 * language (the target's version in lang when there is one). */
const char *site_menu_title_lang(const site *s, size_t i, size_t lang);
const char *site_menu_url_lang(const site *s, size_t i, size_t lang);
/* The language of the page menu entry i leads to from a page in language
 * lang when that page has no version in lang (borrowed), else NULL. */
const char *site_menu_hreflang(const site *s, size_t i, size_t lang);
/* The page's language (an index of the site's languages), and its version
 * in language i (itself for its own; NULL when there is none). */
size_t page_lang(const page *p);
const page *page_alt(const page *p, size_t i);
/* Link i of a translation leads to a page in another language: that language's code, else NULL. */
const char *page_link_hreflang(const page *p, size_t i);

/* A generated page's entity (page.entity in layouts), NULL for content pages. */
const val *page_entity(const page *p);
/* The language of p's title when it is not p's own: a generated page of a
 * language whose entity's name is the default language's (its nimi_lang,
 * "fi"), else NULL. Borrowed. */
const char *page_title_lang(const page *p);
/* The file named in the page's diagnostics ("content/lait/index.md"; a theme
 * page's "(built-in) layouts/sivut/ohjeet/index.md"; for a generated page,
 * the data file of its entity). Borrowed. */
const char *page_src(const page *p);
/* The page's content path ("content/ohjeet/index.md", also for a theme page,
 * whose page_src is "(built-in) layouts/sivut/ohjeet/index.md"); a generated
 * page: as page_src. */
const char *page_path(const page *p);
/* A page of the theme (layouts/sivut/, built-in or the site's copy): its file
 * has no date of its own (it dates from the site's data). */
bool page_from_theme(const page *p);
/* URL from the site root, "" for the front page, else with a trailing slash ("lait/"). */
const char *page_url(const page *p);
/* Output file relative to the output folder ("lait/index.html"). */
const char *page_out(const page *p);
const char *page_title(const page *p);
const char *page_layout(const page *p);
double page_weight(const page *p);
/* The whole front matter (borrowed). */
const val *page_meta(const page *p);
/* The page's headings and links, kept for the whole build (borrowed; the
 * parsed tree itself is dropped after the model is resolved). */
const md_doc *page_outline(const page *p);
/* Parses the page's Markdown again for rendering, without repeating its
 * warnings; NULL for a generated page. Caller frees with md_free. Keeping only outlines between the
 * stages keeps memory flat in the number of pages. */
md_doc *page_parse(const site *s, const page *p);
/* Redirect URLs (from the root, trailing slash) that lead to this page. */
size_t page_alias_count(const page *p);
const char *page_alias_at(const page *p, size_t i);
/* What the resolver gives the Markdown renderer for link i of the page:
 * the rewritten href, NULL to keep the link as written. */
const char *page_link_href(const page *p, size_t i);

/* An address the build writes besides the pages: a file ("vastuunjako.csv"
 * from a hook, "sitemap.xml", a chart's SVG) or a page made while rendering
 * ("tulosta/", ending in '/'). Copied; links and menu entries may lead to it.
 * Before site_resolve. */
void site_add_output(site *s, const char *path);
/* The hooks could not run (an error, reported): links and menu entries that
 * lead to no content page or file may lead to what they would have made, and
 * are not reported (one mistake, one message). Before site_resolve. */
void site_hooks_unknown(site *s);

/* Checks and rewrites the links of every page (after hooks have added
 * theirs, so that pages may link to hook pages and back) and works out the
 * navigation below. Call once, before rendering. */
void site_resolve(site *s, diag_list *d);

/* Serve: content page p's file now holds text[0..len). When only its body
 * changed (the same front matter, the same diagram blocks), the page takes
 * the new text (copied), its outline is parsed again, its links resolved
 * again, and every link into it is checked against its headings:
 * SITE_PATCH_OK, or SITE_PATCH_ERRORS with the errors in d (the site then
 * holds the broken page: build it anew before trusting it). Otherwise
 * SITE_PATCH_STRUCTURE and nothing changes: the change reaches beyond the
 * page (build anew). */
typedef enum { SITE_PATCH_OK, SITE_PATCH_ERRORS, SITE_PATCH_STRUCTURE } site_patch;
site_patch site_patch_page(site *s, page *p, const char *text, size_t len, diag_list *d);

/* With site_options.defer: parses page p (once) for rendering, stores its
 * outline and resolves its links, errors to d; returns the parsed document,
 * which belongs to the page (md_drop_tree it after rendering, never
 * md_free). NULL when p was parsed before (use page_parse). Writes only p:
 * threads may call it for different pages at once. */
md_doc *site_parse_deferred(const site *s, const page *p, diag_list *d);
/* With site_options.defer, once page p has rendered: lets go of its outline
 * and resolved links, keeping only its heading ids and the links that wait
 * for site_check_deferred (what a page holds for the rest of the build stays
 * small). A page whose booklet plan reads its links (kirjanen: true) keeps
 * them. Writes only p: threads may call it for different pages at once. */
void site_page_release(const site *s, const page *p);
/* After pages from..to-1 have rendered (and been released), in page order on
 * one thread: checks their waiting links to anchors that are known by now and
 * lets go of them (the rest wait for site_check_deferred). */
void site_check_rendered(const site *s, size_t from, size_t to, diag_list *d);
/* Parses a released page again and resolves its links (no diagnostics: they
 * were reported), for one more rendering (the booklets); release it after. */
void site_page_restore(const site *s, const page *p);
/* With site_options.defer, after every page has rendered: checks the links
 * to headings of pages that were parsed late, each error at its link. */
void site_check_deferred(site *s, diag_list *d);

/* Whether page p is generated (no Markdown of its own, so no headings to
 * check links against): rendering hands its HTML to site_keep_anchors, and
 * site_check_deferred checks links to '#…' on it against the ids it holds. */
bool page_wants_anchors(const page *p);
/* Keeps the id="…" values of p's rendered HTML (once; writes only p:
 * threads may call it for different pages at once). */
void site_keep_anchors(const site *s, const page *p, const char *html, size_t len);
/* The ids kept (sorted; *ids NULL when p has not rendered in this build), and
 * the same from an earlier build of the same page (copied; serve's skipped pages). */
size_t page_anchors(const page *p, const char *const **ids);
void site_set_anchors(const site *s, const page *p, const char *const *ids, size_t n);

/* With site_options.defer, when the build stops before rendering (errors
 * elsewhere): parses every page not parsed yet and checks its links, so
 * that one run still reports every mistake. */
void site_parse_all(site *s, diag_list *d);

/* A page made by a hook (kasikirja.page): path ("kunnat/joensuu/"),
 * title and layout, and either Markdown (links checked like any page's) or
 * ready HTML; data (copied) reaches the layout as page.params.data. Strings
 * are copied. where names the calling script line. Returns NULL
 * with *err (malloc'd) for a bad path, an unknown layout or a clash. */
page *site_add_page(site *s, const char *path, const char *title, const char *layout,
                    const char *markdown, const char *html, const val *data, src_pos where,
                    diag_list *d, char **err);
/* Navigation (after site_resolve): the page one URL level up (any page),
 * the previous and next content page in reading order (depth first, by
 * weight then title), and the content pages one level below. Borrowed. */
const page *page_parent(const page *p);
const page *page_prev(const page *p);
const page *page_next(const page *p);
size_t page_child_count(const page *p);
/* p's place among its parent's children (page_child_at(page_parent(p), i) == p
 * when p is one of them). */
size_t page_child_index(const page *p);
/* Whether p is the section page generated for a folder without an index
 * page (layout "osio"; its title from the folder's _sektio.yaml or name). */
bool page_is_section(const page *p);
/* The page whose children p lists, or NULL when p lists none: a generated
 * section, a page with more children than SITE_NAV_WINDOW (itself, list
 * page 1), or one of their continuation pages ("osa-3/sivu/2/", also made by
 * site_resolve, layout "osio"). *number gets p's page of the list (1, 2, …),
 * *pages the list's number of pages. Entries number-1 … of the list are
 * page_child_at(section, (number - 1) * SITE_LIST_PAGE + k). */
const page *page_list(const page *p, size_t *number, size_t *pages);
/* The URL of page k (1, 2, …) of section's list. Caller frees. */
char *site_list_url(const page *section, size_t k);
/* Whether p goes into the whole-handbook booklet (tulosta/): not when its
 * front matter or that of a page above it (page_parent) says 'kirjaan: false'.
 * After site_resolve. */
bool page_in_booklet(const page *p);
const page *page_child_at(const page *p, size_t i);
/* The page link i of p leads to (links to Markdown files only), or NULL. */
const page *page_link_target(const page *p, size_t i);
size_t page_link_count(const page *p);
/* The page just below the home page that p is under (p itself when it is
 * at the top, or when it has no parent): its top-level section. */
const page *site_top_of(const site *s, const page *p);
/* Who writes output file out ("lait/index.html"): the source path of the
 * page (or the page an alias leads to), "layouts/static/" for a static file,
 * NULL when nothing does. Borrowed. */
const char *site_output_owner(const site *s, const char *out);
/* The home page ("" URL), or NULL. */
const page *site_home(const site *s);
/* The front page of language lang (an index of the site's languages): the
 * home page for the default, "sv/" for Swedish; NULL when there is none. */
const page *site_home_lang(const site *s, size_t lang);

/* A hook page's HTML (NULL for Markdown pages). */
const char *page_html(const page *p);
/* The Markdown the page renders (after the front matter; for 'mustache:
 * true' pages, after expansion), or NULL; its length in *len. Borrowed.
 * NULL too for a page whose file was loaded lazily (src_load_lazy, a plain
 * build): its text is read again only to be parsed (page_parse). */
const char *page_body(const page *p, size_t *len);
/* Fields that on_page filters added (NULL when none), and setting them (takes ownership). */
const val *page_extra(const page *p);
void page_set_extra(page *p, val *extra);

/* The relative prefix from a page URL to the site root: "" for "", "../"
 * for "lait/", "../../" for "lait/611-2021/". Caller frees. */
char *site_root_prefix(const char *from_url);

/* The JSON Schema (draft-07) of site.yaml, or with page of a page's front
 * matter, made from the key tables that validate them. Caller frees. */
val *site_schema(bool page);

#endif
