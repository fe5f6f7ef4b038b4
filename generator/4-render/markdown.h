/* markdown: a parsed Markdown document (load/mdparse.h) -> HTML with
 * cmark-gfm: diagram blocks replaced, glossary terms marked, every link and
 * image URL handed to the caller to check and rewrite, wide blocks in scroll
 * regions. */
#ifndef KK_MARKDOWN_H
#define KK_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "../0-base/buf.h"
#include "../0-base/diag.h"
#include "../1-load/mdparse.h"

/* Replaces each diagram block by the HTML html(ud, i, embed) returns
 * (malloc'd; NULL leaves the block as code). Call before md_render. */
typedef char *(*md_embed_fn)(void *ud, size_t i, const md_embed *e);
void md_replace_embeds(md_doc *doc, md_embed_fn html, void *ud);

/* What a resolver decides for one URL. */
typedef enum {
    MD_LINK_KEEP,    /* leave as written */
    MD_LINK_REPLACE, /* use *replacement (malloc'd by the resolver; md frees it) */
    MD_LINK_DROP,    /* remove the link, keep its text (images: keep the alt text) */
} md_link_action;

/* A replaced link may also name the language of the page it leads to
 * (*lang, borrowed; left NULL otherwise): the link then gets hreflang and
 * lang attributes. */
typedef md_link_action (*md_resolve_fn)(void *ud, const md_link *link, char **replacement, const char **lang);

/* Renders the doc as HTML into out. Unsafe URLs are dropped with a warning
 * to d before resolve is asked; resolve (may be NULL) decides the rest.
 * Headings get their ids. Does not modify shared state: safe to call for
 * different docs from different threads. */
void md_render(md_doc *doc, md_resolve_fn resolve, void *ud, buf_t *out, diag_list *d);

/* Marks the first use of each term in the page's running text (not in
 * headings, links, images or code): <abbr title="…"> or a link to the
 * glossary (root + href). A match must stand as a word: "HVA:n" matches HVA,
 * "HVAT" does not. Call before md_render. */
void md_mark_terms(md_doc *doc, const md_term *terms, size_t n, const char *root);

#endif
