/* mdparse_impl: the parsed document's insides, shared by the two halves of
 * one object: load/mdparse.c builds it, render/markdown.c renders it. No
 * other file includes this. */
#ifndef KK_MDPARSE_IMPL_H
#define KK_MDPARSE_IMPL_H

#include <cmark-gfm.h>

#include "../0-base/buf.h"
#include "../0-base/strmap.h"
#include "mdparse.h"

struct md_doc {
    cmark_node *root;        /* NULL after md_drop_tree */
    cmark_llist *extensions; /* borrowed from the parser; freed with it */
    cmark_parser *parser;
    const char *path;
    int line_offset;
    const pos_map *map; /* for generated text; then line_offset is 0 */
    md_options opt;
    md_heading *headings;
    size_t n_headings;
    strmap *ids;             /* the headings' ids, made once as they are added (NULL: none) */
    md_link *links;
    cmark_node **link_nodes; /* links[i]'s node; NULL once render dropped it */
    size_t n_links;
    md_embed *embeds;
    cmark_node **embed_nodes; /* embeds[i]'s node, or the block that replaced it */
    size_t n_embeds;
};

/* Appends the plain text of node's inline content (text and code; breaks as
 * spaces) to out. */
void md_plain_text(cmark_node *node, buf_t *out);

#endif
