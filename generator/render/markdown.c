/* markdown: cmark-gfm parsing, heading ids, link vetting and HTML output. */
#include "markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <assert.h>
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../base/xmem.h"
#include "../base/escape.h"

/* Guards libcmark-gfm's process-wide inline character table (see md_parse):
 * the one lock of this module, over the library's own global state. */
static pthread_mutex_t inline_table_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const extension_names[] = {
    "table", "strikethrough", "autolink", "tagfilter", "tasklist",
};
#define N_EXTENSIONS (sizeof extension_names / sizeof extension_names[0])

struct md_doc {
    cmark_node *root;
    cmark_llist *extensions; /* borrowed from the parser; freed with it */
    cmark_parser *parser;
    const char *path;
    int line_offset;
    const pos_map *map; /* for generated text; then line_offset is 0 */
    md_options opt;
    md_heading *headings;
    size_t n_headings;
    md_link *links;
    cmark_node **link_nodes;
    size_t n_links;
    md_embed *embeds;
    cmark_node **embed_nodes;
    size_t n_embeds;
};

/* Turns a position in the parsed text into one in the file. */
static void place(const md_doc *doc, int *line, int *col)
{
    if (doc->map)
        pos_map_find(doc->map, line, col);
    else
        *line += doc->line_offset;
}

/* The file line of node n (headings, fences). */
static int node_line(const md_doc *doc, cmark_node *n)
{
    int line = cmark_node_get_start_line(n), col = cmark_node_get_start_column(n);
    place(doc, &line, &col);
    return line;
}

void md_global_init(void)
{
    cmark_gfm_core_extensions_ensure_registered();
}

void md_slugify(const char *text, buf_t *out)
{
    size_t start = out->len;
    const unsigned char *p = (const unsigned char *)text;
    bool dash = false;
    while (*p) {
        unsigned char c = *p;
        if (c < 0x80) {
            if (isalnum(c)) {
                if (dash && out->len > start)
                    buf_putc(out, '-');
                dash = false;
                buf_putc(out, (char)tolower(c));
            } else if (c == ' ' || c == '-' || c == '_' || c == '\t' || c == '\n') {
                dash = true;
            }
            p++;
            continue;
        }
        if (c == 0xC2 && p[1] == 0xA0) { /* no-break space */
            dash = true;
            p += 2;
            continue;
        }
        size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        for (size_t i = 1; i < n; i++)
            if (!p[i]) {
                n = i;
                break;
            }
        if (dash && out->len > start)
            buf_putc(out, '-');
        dash = false;
        if (n == 2 && c == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
            buf_putc(out, (char)0xC3); /* Ä -> ä, Ö -> ö, Å -> å, ... */
            buf_putc(out, (char)(p[1] + 0x20));
        } else {
            buf_put(out, (const char *)p, n);
        }
        p += n;
    }
    if (out->len == start)
        buf_puts(out, "otsikko");
}

/* Plain text of a node's inline content. */
static void plain_text(cmark_node *node, buf_t *out)
{
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
            const char *s = cmark_node_get_literal(c);
            if (s)
                buf_puts(out, s);
        } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
            buf_putc(out, ' ');
        } else {
            plain_text(c, out);
        }
    }
}

static bool id_taken(const md_doc *doc, const char *id)
{
    for (size_t i = 0; i < doc->n_headings; i++)
        if (!strcmp(doc->headings[i].id, id))
            return true;
    return false;
}

/* Replaces a heading node by a custom block that prints <hN id="...">. */
static void add_heading(md_doc *doc, cmark_node *h)
{
    buf_t text = BUF_INIT, slug = BUF_INIT;
    plain_text(h, &text);
    md_slugify(buf_cstr(&text), &slug);
    char *id = xstrdup(buf_cstr(&slug));
    for (int n = 1; id_taken(doc, id); n++) {
        free(id);
        id = xasprintf("%s-%d", buf_cstr(&slug), n);
    }
    int level = cmark_node_get_heading_level(h);
    doc->headings = xrealloc(doc->headings, (doc->n_headings + 1) * sizeof(md_heading));
    doc->headings[doc->n_headings++] = (md_heading){
        level, id, buf_detach(&text), node_line(doc, h)};
    buf_free(&slug);

    cmark_node *blk = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    char *enter = xasprintf("<h%d id=\"%s\">", level, id);
    char *exit_ = xasprintf("</h%d>", level);
    cmark_node_set_on_enter(blk, enter);
    cmark_node_set_on_exit(blk, exit_);
    free(enter);
    free(exit_);
    cmark_node *c;
    while ((c = cmark_node_first_child(h)) != NULL)
        cmark_node_append_child(blk, c);
    cmark_node_replace(h, blk);
    cmark_node_free(h);
}

static void add_link(md_doc *doc, cmark_node *n)
{
    const char *url = cmark_node_get_url(n);
    int line = cmark_node_get_start_line(n);
    int col = cmark_node_get_start_column(n);
    if (line <= 0) { /* inline without position: use the enclosing block's */
        for (cmark_node *p = cmark_node_parent(n); p && line <= 0; p = cmark_node_parent(p)) {
            line = cmark_node_get_start_line(p);
            col = cmark_node_get_start_column(p);
        }
    }
    place(doc, &line, &col);
    doc->links = xrealloc(doc->links, (doc->n_links + 1) * sizeof(md_link));
    doc->link_nodes = xrealloc(doc->link_nodes, (doc->n_links + 1) * sizeof(cmark_node *));
    doc->links[doc->n_links] = (md_link){xstrdup(url ? url : ""),
                                         cmark_node_get_type(n) == CMARK_NODE_IMAGE, line, col};
    doc->link_nodes[doc->n_links++] = n;
}

/* The info strings of fenced blocks that ask for a diagram: add_embed reads
 * them, md_may_embed looks for them without parsing. */
static const char *const embed_kinds[] = {"kaavio", "dot"};

bool md_may_embed(const char *s, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++) {
        if ((s[i] != '`' && s[i] != '~') || s[i + 1] != s[i] || s[i + 2] != s[i])
            continue;
        size_t j = i + 3;
        while (j < n && (s[j] == s[i] || s[j] == ' ' || s[j] == '\t'))
            j++;
        for (size_t k = 0; k < sizeof embed_kinds / sizeof embed_kinds[0]; k++) {
            size_t len = strlen(embed_kinds[k]);
            if (j + len <= n && !memcmp(s + j, embed_kinds[k], len))
                return true;
        }
        i = j;
    }
    return false;
}

/* Records a fenced block whose info string asks for a diagram. */
static void add_embed(md_doc *doc, cmark_node *node)
{
    const char *info = cmark_node_get_fence_info(node);
    if (!info)
        return;
    const char *kind = NULL, *arg = "";
    if (!strncmp(info, embed_kinds[0], 6) && (info[6] == ' ' || info[6] == '\0')) {
        kind = embed_kinds[0];
        arg = info + 6;
        while (*arg == ' ')
            arg++;
    } else if (!strcmp(info, embed_kinds[1])) {
        kind = embed_kinds[1];
    }
    if (!kind)
        return;
    char *id = xstrdup(arg);
    size_t n = strlen(id);
    while (n && id[n - 1] == ' ')
        id[--n] = '\0';
    const char *lit = cmark_node_get_literal(node);
    doc->embeds = xrealloc(doc->embeds, (doc->n_embeds + 1) * sizeof(md_embed));
    doc->embed_nodes = xrealloc(doc->embed_nodes, (doc->n_embeds + 1) * sizeof(cmark_node *));
    doc->embeds[doc->n_embeds] =
        (md_embed){kind, id, xstrdup(lit ? lit : ""), node_line(doc, node)};
    doc->embed_nodes[doc->n_embeds++] = node;
}

static md_doc *parse(const char *src, size_t len, const char *path, int line_offset,
                     const pos_map *map, md_options opt, diag_list *d)
{
    md_doc *doc = xcalloc(1, sizeof(md_doc));
    doc->path = path;
    doc->line_offset = line_offset;
    doc->map = map;
    doc->opt = opt;
    doc->parser = cmark_parser_new(CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8);
    for (size_t i = 0; i < N_EXTENSIONS; i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(extension_names[i]);
        if (ext)
            cmark_parser_attach_syntax_extension(doc->parser, ext);
    }
    cmark_parser_feed(doc->parser, src, len);
    /* libcmark-gfm 0.29.0.gfm.6 keeps the inline "special characters" in a
     * process-wide table: cmark_parser_finish sets the extensions' ones
     * ('~' for strikethrough, autolink triggers) before parsing inlines and
     * clears them after, so a parser finishing on one thread switched
     * strikethrough and autolinks off for a parser in the middle of its
     * inlines on another (pages came out with ~~text~~). Block parsing
     * above runs in parallel; this step takes turns. */
    pthread_mutex_lock(&inline_table_lock);
    doc->root = cmark_parser_finish(doc->parser);
    pthread_mutex_unlock(&inline_table_lock);
    doc->extensions = cmark_parser_get_syntax_extensions(doc->parser);

    /* Collect first, change the tree after: the iterator must not see it change. */
    cmark_node **todo = NULL;
    size_t n_todo = 0;
    cmark_iter *it = cmark_iter_new(doc->root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_HEADING ||
            (!opt.unsafe_html && (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE))) {
            todo = xrealloc(todo, (n_todo + 1) * sizeof(cmark_node *));
            todo[n_todo++] = n;
        } else if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
            add_link(doc, n);
        } else if (t == CMARK_NODE_CODE_BLOCK) {
            add_embed(doc, n);
        }
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < n_todo; i++) {
        cmark_node *n = todo[i];
        if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
            add_heading(doc, n);
            continue;
        }
        int line = cmark_node_get_start_line(n);
        int col = cmark_node_get_start_column(n);
        for (cmark_node *p = n; line <= 0 && p; p = cmark_node_parent(p)) {
            line = cmark_node_get_start_line(p);
            col = cmark_node_get_start_column(p);
        }
        place(doc, &line, &col);
        if (d)
            diag_warning(d, path, line, col,
                     "raw HTML is left out of the page (write it in Markdown, or set "
                     "'unsafe_html: true' in site.yaml to allow HTML)");
        cmark_node_free(n); /* unlinks it too */
    }
    free(todo);
    return doc;
}

md_doc *md_parse(const char *src, size_t len, const char *path, int line_offset, md_options opt,
                 diag_list *d)
{
    return parse(src, len, path, line_offset, NULL, opt, d);
}

md_doc *md_parse_map(const char *src, size_t len, const char *path, const pos_map *map,
                     md_options opt, diag_list *d)
{
    return parse(src, len, path, 0, map, opt, d);
}

void md_drop_tree(md_doc *doc)
{
    if (doc->root)
        cmark_node_free(doc->root);
    if (doc->parser)
        cmark_parser_free(doc->parser);
    doc->root = NULL;
    doc->parser = NULL;
    doc->extensions = NULL;
    free(doc->link_nodes);
    doc->link_nodes = NULL;
    free(doc->embed_nodes);
    doc->embed_nodes = NULL;
}

void md_free(md_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->n_headings; i++) {
        free((char *)doc->headings[i].id);
        free((char *)doc->headings[i].text);
    }
    free(doc->headings);
    for (size_t i = 0; i < doc->n_links; i++)
        free((char *)doc->links[i].url);
    free(doc->links);
    for (size_t i = 0; i < doc->n_embeds; i++) {
        free((char *)doc->embeds[i].arg);
        free((char *)doc->embeds[i].text);
    }
    free(doc->embeds);
    md_drop_tree(doc);
    free(doc);
}

size_t md_heading_count(const md_doc *doc) { return doc->n_headings; }
const md_heading *md_heading_at(const md_doc *doc, size_t i)
{
    return i < doc->n_headings ? &doc->headings[i] : NULL;
}
size_t md_link_count(const md_doc *doc) { return doc->n_links; }
const md_link *md_link_at(const md_doc *doc, size_t i)
{
    return i < doc->n_links ? &doc->links[i] : NULL;
}

size_t md_embed_count(const md_doc *doc) { return doc->n_embeds; }
const md_embed *md_embed_at(const md_doc *doc, size_t i)
{
    return i < doc->n_embeds ? &doc->embeds[i] : NULL;
}

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

bool md_has_anchor(const md_doc *doc, const char *id)
{
    return id_taken(doc, id);
}

bool md_url_is_safe(const char *url)
{
    /* Browsers ignore whitespace and control characters inside a scheme. */
    char scheme[16];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)url; *p && n < sizeof scheme - 1; p++) {
        if (*p <= 0x20 || *p == 0x7F)
            continue;
        if (*p == ':') {
            scheme[n] = '\0';
            return strcmp(scheme, "javascript") && strcmp(scheme, "vbscript") &&
                   strcmp(scheme, "data") && strcmp(scheme, "file");
        }
        if (!isalnum(*p) && *p != '+' && *p != '-' && *p != '.')
            return true; /* a path or fragment, not a scheme */
        scheme[n++] = (char)tolower(*p);
    }
    return true;
}

/* Removes a link node but keeps what it shows. */
static void unwrap(cmark_node *n)
{
    if (cmark_node_get_type(n) == CMARK_NODE_IMAGE) {
        buf_t alt = BUF_INIT;
        plain_text(n, &alt);
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
            plain_text(h, &label);
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

void md_render(md_doc *doc, md_resolve_fn resolve, void *ud, buf_t *out, diag_list *d)
{
    /* Decide in document order (so warnings come in order), then change the
     * tree from the last link back: dropping an image frees the links in its
     * alt text, which come after it and must not be touched after that. */
    md_link_action *acts = xcalloc(doc->n_links + 1, sizeof(md_link_action));
    char **repls = xcalloc(doc->n_links + 1, sizeof(char *));
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
            acts[i] = resolve(ud, l, &repls[i]);
        }
    }
    for (size_t i = doc->n_links; i-- > 0;) {
        cmark_node *n = doc->link_nodes[i];
        if (n && acts[i] == MD_LINK_REPLACE && repls[i]) {
            cmark_node_set_url(n, repls[i]);
        } else if (n && acts[i] == MD_LINK_DROP) {
            unwrap(n);
            doc->link_nodes[i] = NULL;
        }
        free(repls[i]);
    }
    free(acts);
    free(repls);
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
