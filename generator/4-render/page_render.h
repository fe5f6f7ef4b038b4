/* page_render: one page of the resolved site -> one HTML document, through
 * its Mustache layout; plus the site-wide outputs (sitemap, redirects, 404).
 * Each function reads the site and writes only into its own buffer, so
 * pages can be rendered independently (and later in parallel). */
#ifndef KK_PAGE_RENDER_H
#define KK_PAGE_RENDER_H

#include <stdbool.h>

#include "../0-base/buf.h"
#include "../0-base/diag.h"
#include "../1-load/history.h"
#include "../2-model/site.h"
#include "diagrams.h"
#include "mustache.h"

/* {====== When each page's content last changed ======
 * A page's date is the newest last change (history: git or mtime) among
 * the files its content comes from: its own source, the data files of its
 * entity (followed as deep as its fingerprint follows it) or of a hook
 * page's data, the definitions of the diagrams it embeds, and every data
 * file when its layout or its own text lists the data. Layouts, hooks and
 * site.yaml are not content and do not count. */
typedef struct render_dates render_dates;
/* data_time: the newest last change of the data files. Caller frees with
 * render_dates_free; h, lib and dg are only read while this runs. */
render_dates *render_dates_new(const site *s, const mustache_lib *lib, const diagrams *dg, const hist *h,
                               int64_t data_time);
void render_dates_free(render_dates *r);
/* The unix time of page p's last change; 0 when unknown (no date shown). */
int64_t render_page_date(const render_dates *r, const page *p);
/* The newest of the given pages' dates (a booklet's). */
int64_t render_dates_newest(const render_dates *r, const page *const *pages, size_t n);
/* Formats t as the Finnish d.m.yyyy ("12.10.2025", no leading zeros) into
 * fi and as yyyy-mm-dd into iso (UTC). */
void render_date_text(int64_t t, char fi[16], char iso[16]);

/* } */

/* Facts about the build itself that layouts may show. */
typedef struct {
    const char *date;      /* "2026-11-22" (SOURCE_DATE_EPOCH when set) */
    const char *generator; /* "kasikirja 0.1.0" */
    const diagrams *dg;    /* drawn diagrams (may be NULL) */
    const val *lambdas;    /* name -> lambda from the hooks (may be NULL) */
    const render_dates *dates; /* each page's last change (may be NULL: no dates) */
} render_env;

/* {====== What a page's rendering reads ======
 * A fingerprint of every input of render_page for one page, so that a
 * build can tell which pages would come out the same and skip them (serve).
 * Whatever render_page reads must be hashed here too. */

/* The inputs shared by all pages, worked out once per build. */
typedef struct render_sig_base render_sig_base;
/* data_hash: the model's data (e.g. every data file's bytes); hooks_hash:
 * the hook scripts (their lambdas may appear in any layout). What each
 * layout of lib that a page (or a booklet) uses reaches is worked out here. */
render_sig_base *render_sig_base_new(const site *s, const mustache_lib *lib, const render_env *env,
                                     uint64_t data_hash, uint64_t hooks_hash);
void render_sig_base_free(render_sig_base *b);
/* The fingerprint of page p: its text, front matter and filter fields, its
 * layout with every partial it can reach, the navigation it shows, its link
 * targets, its diagrams, its entity and a hook page's data (and what those
 * name), the glossary unless it is the glossary, the whole data when a
 * reachable template names `data`, and the shared inputs. Reads only, so
 * threads may call it at once. */
uint64_t render_page_sig(const site *s, const page *p, const mustache_lib *lib, const render_env *env,
                         const render_sig_base *b);

/* The fingerprint of a booklet of the given pages, from theirs (sigs[i] of
 * pages[i]), its address and title, what layouts/kirja reaches and what each
 * chapter's data part (layouts/<layout>-tiedot) reaches. */
uint64_t render_booklet_sig(const site *s, const page *const *pages, const uint64_t *sigs, size_t n,
                            const char *url, const char *title, const mustache_lib *lib,
                            const render_sig_base *b);

/* } */

/* Renders page p (its Markdown, then its layout) into out; when text is not
 * NULL, the plain text of the page's own content (search_page_text, for the
 * search index) goes there too. Reads the site
 * and the page only, so pages may be rendered in any order or in parallel
 * (each with its own out and d). Returns false after an error in d. */
bool render_page(const site *s, const page *p, const mustache_lib *lib, const render_env *env,
                 buf_t *out, buf_t *text, diag_list *d);

/* A printable booklet at url: the given pages in order as numbered
 * chapters (ids prefixed per chapter, links absolute under the base URL so
 * they print and work anywhere), with a table of contents, through
 * layouts/kirja.mustache, in language lang (an index of the site's
 * languages: its interface texts, <html lang>, menu). */
bool render_booklet(const site *s, const page *const *pages, size_t n, const char *url,
                    const char *title, size_t lang, const mustache_lib *lib, const render_env *env, buf_t *out,
                    diag_list *d);

/* The page at url (tulosta/) of a handbook printed in parts: the parts
 * (their urls under tulosta/, titles and pages) listed with links, through
 * layouts/kirja.mustache in language lang; dated by the newest of pages
 * (all n of them). */
bool render_booklet_index(const site *s, const page *const *pages, size_t n, const char *const *part_urls,
                          const char *const *part_titles, const size_t *part_pages, size_t n_parts,
                          const char *url, const char *title, size_t lang, const mustache_lib *lib,
                          const render_env *env, buf_t *out, diag_list *d);

/* The 404 page of language lang (an index of the site's languages) from
 * layouts/404.mustache; its links are rooted at the base URL's path so that
 * it works at any depth. */
bool render_404(const site *s, size_t lang, const mustache_lib *lib, const render_env *env, buf_t *out,
                diag_list *d);

/* A redirect page for an old address of p. */
void render_alias(const site *s, const page *p, const char *alias_url, buf_t *out);

/* robots.txt: everything may be indexed; names the sitemap. */
void render_robots(const site *s, buf_t *out);

/* sitemap.xml of every built page, with its last change (lastmod) when
 * dates is not NULL. */
void render_sitemap(const site *s, const render_dates *dates, buf_t *out);

#endif
