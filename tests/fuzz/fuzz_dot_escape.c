/* fuzz_dot_escape: the DOT label escaper, the HTML escaper and the SVG made from a label.
 *
 * Each input is text (cut at its first NUL) that goes
 *  1. through graph_label_escape and esc_html, checked by undoing them;
 *  2. into a two-node graph built through the graph API as every label,
 *     tooltip and URL, whose DOT text must read back (cgraph) with the escaped
 *     values intact;
 *  3. with FUZZ_LAYOUT_MAX or fewer bytes (short: a layout takes
 *     milliseconds), through a real Graphviz layout as labels, title and
 *     description, whose embeddable SVG must keep the text as text: no
 *     element from it, no script, no unsafe link. */
#include "fuzz.h"

#include <cgraph.h>
#include <stdbool.h>
#include <strings.h>

#include "../../generator/0-base/buf.h"
#include "../../generator/0-base/escape.h"
#include "../../generator/4-render/graph.h"
#include "../../generator/4-render/markdown.h"

#define FUZZ_LAYOUT_MAX 256

static graph_ctx *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    ctx = graph_ctx_new(NULL, NULL);
    return 0;
}

/* What graph_label_escape must give, spelled out: backslashes doubled,
 * CRLF/CR/LF as \n, other controls as spaces. */
static void check_label_escape(const char *text)
{
    buf_t got = BUF_INIT, want = BUF_INIT;
    graph_label_escape(text, &got);
    buf_cstr(&got);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '\\')
            buf_puts(&want, "\\\\");
        else if (*p == '\r' && p[1] == '\n')
            continue;
        else if (*p == '\r' || *p == '\n')
            buf_puts(&want, "\\n");
        else if (*p < 0x20 || *p == 0x7F)
            buf_putc(&want, ' ');
        else
            buf_putc(&want, (char)*p);
    }
    buf_cstr(&want);
    FUZZ_CHECK(got.len == want.len && !memcmp(got.ptr, want.ptr, got.len));
    /* So: no control characters, and every backslash starts \\ or \n (no
     * \N, \G, \L… for Graphviz to expand). */
    for (size_t i = 0; i < got.len; i++) {
        unsigned char c = (unsigned char)got.ptr[i];
        FUZZ_CHECK(c >= 0x20 && c != 0x7F);
        if (c == '\\') {
            FUZZ_CHECK(i + 1 < got.len && (got.ptr[i + 1] == '\\' || got.ptr[i + 1] == 'n'));
            i++;
        }
    }
    buf_free(&got);
    buf_free(&want);
}

/* esc_html output has no markup characters, and decoding gives the input back. */
static void check_html_escape(const char *text, size_t n)
{
    buf_t out = BUF_INIT, back = BUF_INIT;
    esc_html(&out, text, n);
    buf_cstr(&out);
    static const struct {
        const char *ent;
        char c;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    for (size_t i = 0; i < out.len; i++) {
        char c = out.ptr[i];
        FUZZ_CHECK(c != '<' && c != '>' && c != '"' && c != '\'');
        if (c != '&') {
            buf_putc(&back, c);
            continue;
        }
        size_t k = 0;
        while (k < sizeof ents / sizeof ents[0] && strncmp(out.ptr + i, ents[k].ent, strlen(ents[k].ent)))
            k++;
        FUZZ_CHECK(k < sizeof ents / sizeof ents[0]);
        buf_putc(&back, ents[k].c);
        i += strlen(ents[k].ent) - 1;
    }
    FUZZ_CHECK(back.len == n && (n == 0 || !memcmp(back.ptr, text, n)));
    buf_t again = BUF_INIT;
    esc_html_str(&again, text);
    buf_cstr(&again);
    FUZZ_CHECK(again.len == out.len && !memcmp(again.ptr, out.ptr, out.len));
    buf_free(&again);
    buf_free(&out);
    buf_free(&back);
}

static graph *build(const char *text)
{
    graph *g = graph_new(ctx, "kaavio");
    graph_attrs(g, "rankdir", "LR", "label", text, "tooltip", text, NULL);
    graph_node_defaults(g, "shape", "box", "fontname", "DejaVu Sans", NULL);
    graph_node(g, NULL, "a", "label", text, "tooltip", text, "URL", text, NULL);
    graph_node(g, NULL, "b", "label", "B", "href", text, NULL);
    graph_edge(g, "a", "b", NULL, "label", text, "edgeURL", text, NULL);
    return g;
}

/* An attribute of the graph read back; cgraph leaves out attributes that
 * are empty everywhere, so absent reads as "". */
static const char *attr(void *obj, const char *name)
{
    const char *v = agget(obj, (char *)name);
    return v ? v : "";
}

/* The DOT text reads back with the escaped label on node a and the edge. */
static void check_dot(graph *g, const char *text)
{
    buf_t dot = BUF_INIT, want = BUF_INIT;
    graph_dot(g, &dot);
    graph_label_escape(text, &want);
    Agraph_t *back = agmemread(dot.ptr);
    if (!back) {
        /* Graphviz 2.43's writer leaves a value made only of '-', '.' and digits unquoted
         * ("-." is no numeral, so it does not read back). The DOT text is only hashed for
         * the diagram cache, never parsed again, so this is the library's quirk, not ours:
         * any other text must read back. */
        FUZZ_CHECK(*text && strspn(text, "-.0123456789") == strlen(text));
        buf_free(&dot);
        buf_free(&want);
        return;
    }
    Agnode_t *a = agnode(back, "a", 0), *b = agnode(back, "b", 0);
    FUZZ_CHECK(a && b);
    buf_cstr(&want);
    FUZZ_CHECK(!strcmp(attr(a, "label"), want.ptr));
    FUZZ_CHECK(!strcmp(attr(back, "label"), want.ptr));
    Agedge_t *e = agedge(back, a, b, NULL, 0);
    FUZZ_CHECK(e && !strcmp(attr(e, "label"), want.ptr));
    /* Links are dropped when unsafe, kept percent-encoded otherwise. */
    const char *url = attr(a, "URL");
    if (*url)
        FUZZ_CHECK(md_url_is_safe(url) && !strpbrk(url, "\"'<>\\` "));
    agclose(back);
    buf_free(&dot);
    buf_free(&want);
}

/* The SVG keeps the text as text. */
static void check_svg(const char *svg)
{
    FUZZ_CHECK(!strcasestr(svg, "<script") && !strcasestr(svg, "<foreignObject") &&
               !strcasestr(svg, "<image") && !strstr(svg, "<?xml") && !strstr(svg, "<!--"));
    /* Every <title>/<desc> holds text only. */
    static const char *const text_elems[][2] = {{"<title", "</title>"}, {"<desc", "</desc>"},
                                                {"<text", "</text>"}};
    for (size_t k = 0; k < 3; k++) {
        for (const char *p = svg; (p = strstr(p, text_elems[k][0])) != NULL;) {
            const char *gt = strchr(p, '>');
            FUZZ_CHECK(gt != NULL);
            const char *close = strstr(gt, text_elems[k][1]);
            FUZZ_CHECK(close != NULL);
            const char *lt = memchr(gt + 1, '<', (size_t)(close - gt - 1));
            FUZZ_CHECK(lt == NULL);
            p = close;
        }
    }
    for (const char *p = svg; (p = strstr(p, "href=\"")) != NULL;) {
        p += 6;
        const char *end = strchr(p, '"');
        FUZZ_CHECK(end != NULL);
        char *v = fuzz_cstr((const uint8_t *)p, (size_t)(end - p));
        FUZZ_CHECK(md_url_is_safe(v));
        free(v);
        p = end;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    size_t n = strlen(text);
    check_label_escape(text);
    check_html_escape(text, n);

    graph *g = build(text);
    check_dot(g, text);
    if (n <= FUZZ_LAYOUT_MAX) {
        diag_list *d = diag_list_new();
        buf_t svg = BUF_INIT;
        if (graph_render(g, text, text, &svg, "content/kaavio.md", 7, d)) {
            buf_cstr(&svg);
            check_svg(svg.ptr);
        } else {
            FUZZ_CHECK(diag_errors(d) > 0);
        }
        fuzz_check_diags(d);
        buf_free(&svg);
        diag_list_free(d);
    } else {
        graph_free(g);
    }
    free(text);
    return 0;
}
