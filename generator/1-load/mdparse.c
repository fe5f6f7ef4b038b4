/* mdparse: cmark-gfm parsing, heading ids, links, diagram blocks, URL vetting. */
#include "mdparse.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/slug.h"
#include "../0-base/xmem.h"
#include "mdparse_impl.h"

/* Guards libcmark-gfm's process-wide inline character table (see md_parse):
 * the one lock of this module, over the library's own global state. */
static pthread_mutex_t inline_table_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const extension_names[] = {
    "table", "strikethrough", "autolink", "tagfilter", "tasklist",
};
#define N_EXTENSIONS (sizeof extension_names / sizeof extension_names[0])

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

void md_plain_text(cmark_node *node, buf_t *out)
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
            md_plain_text(c, out);
        }
    }
}

static bool id_taken(const md_doc *doc, const char *id)
{
    return doc->ids && strmap_has(doc->ids, id);
}

/* Replaces a heading node by a custom block that prints <hN id="...">. */
static void add_heading(md_doc *doc, cmark_node *h)
{
    buf_t text = BUF_INIT, slug = BUF_INIT;
    md_plain_text(h, &text);
    if (!slug_append(buf_cstr(&text), &slug))
        buf_puts(&slug, "otsikko");
    char *id = xstrdup(buf_cstr(&slug));
    for (int n = 1; id_taken(doc, id); n++) {
        free(id);
        id = xasprintf("%s-%d", buf_cstr(&slug), n);
    }
    int level = cmark_node_get_heading_level(h);
    doc->headings = xrealloc(doc->headings, (doc->n_headings + 1) * sizeof(md_heading));
    doc->headings[doc->n_headings++] = (md_heading){
        level, id, buf_detach(&text), node_line(doc, h)};
    if (!doc->ids)
        doc->ids = strmap_new();
    strmap_add(doc->ids, id, NULL);
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
    strmap_free(doc->ids);
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
