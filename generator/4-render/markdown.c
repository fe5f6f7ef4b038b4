/* markdown: a parsed document (load/mdparse.c) to HTML: diagram blocks,
 * glossary terms, link decisions, scroll regions, cmark-gfm's HTML output. */
#include "markdown.h"

#include <cmark-gfm.h>
#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/xmem.h"
#include "../0-base/escape.h"
#include "../1-load/mdparse_impl.h"

void md_replace_embeds(md_doc *doc, md_embed_fn html, void *ud)
{
    for (size_t i = 0; i < doc->n_embeds && doc->embed_nodes; i++) {
        char *h = html(ud, i, &doc->embeds[i]);
        if (!h)
            continue;
        cmark_node *blk = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
        cmark_node_set_on_enter(blk, h);
        cmark_node_set_on_exit(blk, "");
        free(h);
        cmark_node_replace(doc->embed_nodes[i], blk);
        cmark_node_free(doc->embed_nodes[i]);
        doc->embed_nodes[i] = blk;
    }
}

/* Removes a link node but keeps what it shows. */
static void unwrap(cmark_node *n)
{
    if (cmark_node_get_type(n) == CMARK_NODE_IMAGE) {
        buf_t alt = BUF_INIT;
        md_plain_text(n, &alt);
        cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
        cmark_node_set_literal(t, buf_cstr(&alt));
        buf_free(&alt);
        cmark_node_insert_before(n, t);
    } else {
        cmark_node *c;
        while ((c = cmark_node_first_child(n)) != NULL)
            cmark_node_insert_before(n, c);
    }
    cmark_node_free(n);
}

static bool word_byte(unsigned char c)
{
    return isalnum(c) || c >= 0x80 || c == '_';
}

/* The first place term stands as a word in s, or NULL. */
static const char *find_word(const char *s, const char *term)
{
    size_t n = strlen(term);
    for (const char *p = strstr(s, term); p; p = strstr(p + 1, term)) {
        bool start = p == s || !word_byte((unsigned char)p[-1]);
        bool end = !word_byte((unsigned char)p[n]);
        if (start && end)
            return p;
    }
    return NULL;
}

static bool inside_no_mark(cmark_node *n)
{
    for (cmark_node *p = cmark_node_parent(n); p; p = cmark_node_parent(p)) {
        cmark_node_type t = cmark_node_get_type(p);
        if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE || t == CMARK_NODE_HEADING ||
            t == CMARK_NODE_CUSTOM_BLOCK || t == CMARK_NODE_CUSTOM_INLINE)
            return true;
    }
    return false;
}

/* Splits text node n around [at, at+len) and wraps that part in a custom
 * inline that prints enter/exit; returns the node holding the rest. */
static cmark_node *wrap_part(cmark_node *n, const char *text, const char *at, size_t len,
                             const char *enter, const char *exit_)
{
    cmark_node *before = cmark_node_new(CMARK_NODE_TEXT);
    char *pre = xstrndup(text, (size_t)(at - text));
    cmark_node_set_literal(before, pre);
    free(pre);
    cmark_node *mark = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
    cmark_node_set_on_enter(mark, enter);
    cmark_node_set_on_exit(mark, exit_);
    cmark_node *inner = cmark_node_new(CMARK_NODE_TEXT);
    char *word = xstrndup(at, len);
    cmark_node_set_literal(inner, word);
    free(word);
    cmark_node_append_child(mark, inner);
    cmark_node *after = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(after, at + len);
    cmark_node_insert_before(n, before);
    cmark_node_insert_before(n, mark);
    cmark_node_insert_before(n, after);
    cmark_node_free(n);
    return after;
}

void md_mark_terms(md_doc *doc, const md_term *terms, size_t n, const char *root)
{
    if (!n || !doc->root)
        return;
    bool *used = xcalloc(n, sizeof(bool));
    /* Collect the text nodes first: marking changes the tree. */
    cmark_node **texts = NULL;
    size_t n_texts = 0;
    cmark_iter *it = cmark_iter_new(doc->root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node *parent = cmark_node_parent(node);
        cmark_node_type pt = parent ? cmark_node_get_type(parent) : CMARK_NODE_NONE;
        /* Only where core cmark accepts a custom inline: extension nodes
         * (table cells, strikethrough) refuse it. */
        bool container = pt == CMARK_NODE_PARAGRAPH || pt == CMARK_NODE_EMPH || pt == CMARK_NODE_STRONG;
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_TEXT && container &&
            !inside_no_mark(node)) {
            texts = xrealloc(texts, (n_texts + 1) * sizeof(cmark_node *));
            texts[n_texts++] = node;
        }
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < n_texts; i++) {
        cmark_node *node = texts[i];
        for (bool again = true; again;) {
            again = false;
            const char *text = cmark_node_get_literal(node);
            const char *best = NULL;
            size_t best_k = 0;
            for (size_t k = 0; k < n && text; k++) {
                if (used[k])
                    continue;
                const char *at = find_word(text, terms[k].term);
                if (at && (!best || at < best)) {
                    best = at;
                    best_k = k;
                }
            }
            if (!best)
                break;
            used[best_k] = true;
            const md_term *t = &terms[best_k];
            buf_t enter = BUF_INIT;
            buf_puts(&enter, t->href ? "<a class=\"termi\" href=\"" : "<abbr title=\"");
            if (t->href) {
                esc_html_str(&enter, root);
                esc_html_str(&enter, t->href);
                buf_puts(&enter, "\" title=\"");
            }
            esc_html_str(&enter, t->title);
            buf_puts(&enter, "\">");
            node = wrap_part(node, text, best, strlen(t->term), enter.ptr, t->href ? "</a>" : "</abbr>");
            buf_free(&enter);
            again = true;
        }
    }
    free(texts);
    free(used);
}

/* {====== Scroll regions ====== */

/* Whether n is a heading: after md_parse, headings are custom blocks that
 * print <hN id="…"> (add_heading). */
static bool is_heading(cmark_node *n)
{
    if (cmark_node_get_type(n) == CMARK_NODE_HEADING)
        return true;
    const char *enter = cmark_node_get_type(n) == CMARK_NODE_CUSTOM_BLOCK ? cmark_node_get_on_enter(n) : NULL;
    return enter && enter[0] == '<' && enter[1] == 'h' && enter[2] >= '1' && enter[2] <= '6';
}

/* The nearest heading before n (in n's parent or further up), or NULL:
 * what a table under a heading is about. */
static cmark_node *heading_before(cmark_node *n)
{
    for (; n; n = cmark_node_parent(n))
        for (cmark_node *p = cmark_node_previous(n); p; p = cmark_node_previous(p))
            if (is_heading(p))
                return p;
    return NULL;
}

/* A wide table or code block must not make the page scroll sideways at
 * 320 px (WCAG 1.4.10): it scrolls inside its own box, which keyboard users
 * can reach (tabindex) and screen readers name (a labelled region). */
static void wrap_in_region(cmark_node *n, bool table)
{
    buf_t label = BUF_INIT;
    if (table) {
        buf_puts(&label, "Taulukko");
        cmark_node *h = heading_before(n);
        if (h) {
            buf_puts(&label, ": ");
            md_plain_text(h, &label);
        }
    } else {
        buf_puts(&label, "Koodiesimerkki");
        const char *info = cmark_node_get_fence_info(n);
        size_t len = info ? strcspn(info, " \t") : 0;
        if (len) {
            buf_puts(&label, " (");
            buf_put(&label, info, len);
            buf_putc(&label, ')');
        }
    }
    buf_t enter = BUF_INIT;
    buf_puts(&enter, "<div class=\"vieritys\" role=\"region\" tabindex=\"0\" aria-label=\"");
    esc_html_str(&enter, buf_cstr(&label));
    buf_puts(&enter, "\">\n");
    cmark_node *box = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    cmark_node_set_on_enter(box, buf_cstr(&enter));
    cmark_node_set_on_exit(box, "</div>");
    bool ok = cmark_node_insert_before(n, box) && cmark_node_append_child(box, n);
    assert(ok); /* a custom block may stand wherever a block does, and hold any block */
    (void)ok;
    buf_free(&enter);
    buf_free(&label);
}

static void wrap_wide_blocks(cmark_node *root)
{
    cmark_node **found = NULL;
    size_t n = 0;
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        const char *type = cmark_node_get_type_string(node);
        if (cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK || !strcmp(type, "table")) {
            found = xrealloc(found, (n + 1) * sizeof(cmark_node *));
            found[n++] = node;
        }
    }
    cmark_iter_free(it);
    /* Wrapped after the walk: moving a node under the iterator loses its place. */
    for (size_t i = 0; i < n; i++)
        wrap_in_region(found[i], cmark_node_get_type(found[i]) != CMARK_NODE_CODE_BLOCK);
    free(found);
}

/* } */

/* An href as cmark-gfm writes it (houdini's href escaping): safe bytes as
 * they are, & and ' as entities, the rest percent-encoded. */
static void esc_href(buf_t *out, const char *s)
{
    static const char safe[] = "-_.+!*(),%#@?=;:/$~";
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (isalnum(*c) || (*c && strchr(safe, *c)))
            buf_putc(out, (char)*c);
        else if (*c == '&')
            buf_puts(out, "&amp;");
        else if (*c == '\'')
            buf_puts(out, "&#x27;");
        else
            buf_printf(out, "%%%02X", *c);
    }
}

/* Link node n to href in another language: a custom inline printing the
 * <a> with hreflang and lang, holding the link's children. False when n's
 * parent refuses it (n then only leads to href). */
static bool link_in_lang(cmark_node *n, const char *href, const char *lang)
{
    buf_t enter = BUF_INIT;
    buf_puts(&enter, "<a href=\"");
    esc_href(&enter, href);
    buf_putc(&enter, '"');
    const char *title = cmark_node_get_title(n);
    if (title && *title) {
        buf_puts(&enter, " title=\"");
        esc_html_str(&enter, title);
        buf_putc(&enter, '"');
    }
    buf_puts(&enter, " hreflang=\"");
    esc_html_str(&enter, lang);
    buf_puts(&enter, "\" lang=\"");
    esc_html_str(&enter, lang);
    buf_puts(&enter, "\">");
    cmark_node *a = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
    cmark_node_set_on_enter(a, buf_cstr(&enter));
    cmark_node_set_on_exit(a, "</a>");
    buf_free(&enter);
    if (!cmark_node_insert_before(n, a)) {
        /* an extension node (a table cell) may refuse a custom inline:
         * the link stays a plain link there */
        cmark_node_free(a);
        cmark_node_set_url(n, href);
        return false;
    }
    cmark_node *c;
    while ((c = cmark_node_first_child(n)) != NULL)
        cmark_node_append_child(a, c);
    cmark_node_free(n);
    return true;
}

void md_render(md_doc *doc, md_resolve_fn resolve, void *ud, buf_t *out, diag_list *d)
{
    /* Decide in document order (so warnings come in order), then change the
     * tree from the last link back: dropping an image frees the links in its
     * alt text, which come after it and must not be touched after that. */
    md_link_action *acts = xcalloc(doc->n_links + 1, sizeof(md_link_action));
    char **repls = xcalloc(doc->n_links + 1, sizeof(char *));
    const char **langs = xcalloc(doc->n_links + 1, sizeof(char *));
    for (size_t i = 0; i < doc->n_links; i++) {
        const md_link *l = &doc->links[i];
        acts[i] = MD_LINK_KEEP;
        if (!doc->link_nodes[i])
            continue;
        if (!md_url_is_safe(l->url)) {
            diag_warning(d, doc->path, l->line, l->col,
                         "link '%s' is removed: javascript:, vbscript:, data: and file: "
                         "addresses are not allowed (link to a page or an https:// address)",
                         l->url);
            acts[i] = MD_LINK_DROP;
        } else if (resolve) {
            acts[i] = resolve(ud, l, &repls[i], &langs[i]);
        }
    }
    for (size_t i = doc->n_links; i-- > 0;) {
        cmark_node *n = doc->link_nodes[i];
        if (n && acts[i] == MD_LINK_REPLACE && repls[i] && langs[i] && cmark_node_get_type(n) == CMARK_NODE_LINK) {
            if (link_in_lang(n, repls[i], langs[i]))
                doc->link_nodes[i] = NULL;
        } else if (n && acts[i] == MD_LINK_REPLACE && repls[i]) {
            cmark_node_set_url(n, repls[i]);
        } else if (n && acts[i] == MD_LINK_DROP) {
            unwrap(n);
            doc->link_nodes[i] = NULL;
        }
        free(repls[i]);
    }
    free(acts);
    free(repls);
    free(langs);
    if (doc->root)
        wrap_wide_blocks(doc->root);
    int opts = CMARK_OPT_FOOTNOTES | (doc->opt.unsafe_html ? CMARK_OPT_UNSAFE : 0);
    char *html = cmark_render_html(doc->root, opts, doc->extensions);
    /* cmark-gfm writes the footnote back-link's label in English. */
    static const char en[] = "aria-label=\"Back to content\"";
    const char *p = html, *hit;
    while ((hit = strstr(p, en)) != NULL) {
        buf_put(out, p, (size_t)(hit - p));
        buf_puts(out, "aria-label=\"Takaisin tekstiin\"");
        p = hit + sizeof en - 1;
    }
    buf_puts(out, p);
    free(html);
}
