/* mdparse: Markdown parsing with cmark-gfm (tables, strikethrough, autolinks,
 * footnotes, tagfilter, task lists): the outline a page's model needs (headings
 * with their stable ids, links and images with positions, diagram blocks) and
 * the tree render/markdown.c turns into HTML. Takes a buffer, not a file. */
#ifndef KK_MDPARSE_H
#define KK_MDPARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "../0-base/diag.h"
#include "../0-base/posmap.h"

typedef struct md_doc md_doc;

typedef struct {
    int level;        /* 1..6 */
    const char *id;   /* slug_append's (base/slug.h), unique within the page:
                       * "yhteistyön-foorumit", "-1" suffixes on repeats, "otsikko" when empty */
    const char *text; /* the heading's plain text */
    int line;         /* 1-based line in the file */
} md_heading;

typedef struct {
    const char *url; /* as written */
    bool image;
    int line, col; /* 1-based position in the file (of the link's paragraph start when cmark gives no finer one) */
} md_link;

typedef struct {
    bool unsafe_html; /* keep raw HTML blocks and inlines (site.yaml `unsafe_html: true`) */
} md_options;

/* A diagram asked for by a fenced code block: ```kaavio <id>``` or ```dot```. */
typedef struct {
    const char *kind; /* "kaavio" or "dot" */
    const char *arg;  /* the diagram id after "kaavio" ("" for dot) */
    const char *text; /* the block's content (the DOT source) */
    int line;         /* 1-based line of the opening fence in the file */
} md_embed;

/* Registers cmark-gfm's extensions; call once before any other md_ function
 * (from main or a test's setup), not from worker threads. */
void md_global_init(void);

/* Parses src[0..len). path (borrowed; must outlive the doc) and line_offset
 * (lines before src in the file, e.g. the front matter) place the positions.
 * Raw HTML is removed unless opt.unsafe_html, with a warning to d (d may be
 * NULL when the same text was parsed and reported before).
 * Never fails; caller frees with md_free. */
md_doc *md_parse(const char *src, size_t len, const char *path, int line_offset, md_options opt,
                 diag_list *d);
/* As md_parse, for generated text ('mustache: true' pages): every position
 * (of headings, links, diagram blocks and warnings) is translated through
 * map (borrowed; must outlive the doc; NULL leaves positions as they are in
 * src) into the file's. */
md_doc *md_parse_map(const char *src, size_t len, const char *path, const pos_map *map,
                     md_options opt, diag_list *d);
/* Frees the doc and all it holds; md_free(NULL) is a no-op. */
void md_free(md_doc *doc);
/* Frees the parsed tree but keeps the headings and links: what the model
 * needs of every page at once. md_render must not be called after it. */
void md_drop_tree(md_doc *doc);

/* The headings and links in document order (borrowed; valid until md_free). */
size_t md_heading_count(const md_doc *doc);
const md_heading *md_heading_at(const md_doc *doc, size_t i);
size_t md_link_count(const md_doc *doc);
const md_link *md_link_at(const md_doc *doc, size_t i);
/* Whether Markdown text may hold a diagram block (a ``` or ~~~ fence whose
 * info string starts with a diagram kind), without parsing it; errs on the
 * side of yes. */
bool md_may_embed(const char *s, size_t n);
/* The diagram blocks in document order (kept by md_drop_tree). */
size_t md_embed_count(const md_doc *doc);
const md_embed *md_embed_at(const md_doc *doc, size_t i);
/* True when the page has a heading with this id. */
bool md_has_anchor(const md_doc *doc, const char *id);

/* True when a URL may appear in a page: not javascript:, vbscript:, data:,
 * file: (after stripping the whitespace and control characters browsers ignore). */
bool md_url_is_safe(const char *url);

/* A glossary term to mark at its first use on a page (the model lists them,
 * md_mark_terms in render/markdown.h marks them). */
typedef struct {
    const char *term;  /* as written in text: "HVA", "yhdyspinta" */
    const char *title; /* the explanation (abbr title / link title) */
    const char *href;  /* NULL: an <abbr>; else a link to the glossary, from the site root */
} md_term;

#endif
