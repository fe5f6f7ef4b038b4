/* page_render: one page of the resolved site -> one HTML document, through
 * its Mustache layout; plus the site-wide outputs (sitemap, redirects, 404).
 * Each function reads the site and writes only into its own buffer, so
 * pages can be rendered independently (and later in parallel). */
#ifndef KK_PAGE_RENDER_H
#define KK_PAGE_RENDER_H

#include <stdbool.h>

#include "../base/buf.h"
#include "../base/diag.h"
#include "../model/site.h"
#include "diagrams.h"
#include "mustache.h"

/* Facts about the build itself that layouts may show. */
typedef struct {
    const char *date;      /* "2026-11-22" (SOURCE_DATE_EPOCH when set) */
    const char *generator; /* "kasikirja 0.1.0" */
    const diagrams *dg;    /* drawn diagrams (may be NULL) */
    const val *lambdas;    /* name -> lambda from the hooks (may be NULL) */
} render_env;

/* Renders page p (its Markdown, then its layout) into out; when content is
 * not NULL, the page's own content HTML (for the search index) goes there too. Reads the site
 * and the page only, so pages may be rendered in any order or in parallel
 * (each with its own out and d). Returns false after an error in d. */
bool render_page(const site *s, const page *p, const mustache_lib *lib, const render_env *env,
                 buf_t *out, buf_t *content, diag_list *d);

/* A printable booklet at url: the given pages in order as numbered
 * chapters (ids prefixed per chapter, links absolute under the base URL so
 * they print and work anywhere), with a table of contents, through
 * layouts/kirja.mustache. */
bool render_booklet(const site *s, const page *const *pages, size_t n, const char *url,
                    const char *title, const mustache_lib *lib, const render_env *env, buf_t *out,
                    diag_list *d);

/* The 404 page from layouts/404.mustache; its links are rooted at the
 * base URL's path so that it works at any depth. */
bool render_404(const site *s, const mustache_lib *lib, const render_env *env, buf_t *out,
                diag_list *d);

/* A redirect page for an old address of p. */
void render_alias(const site *s, const page *p, const char *alias_url, buf_t *out);

/* robots.txt: everything may be indexed; names the sitemap. */
void render_robots(const site *s, buf_t *out);

/* sitemap.xml of every built page. */
void render_sitemap(const site *s, buf_t *out);

#endif
