/* graph: Graphviz in-process: cgraph graphs, dot layout, SVG made fit to embed, a cache. */
#include "graph.h"

#include <ctype.h>
#include <dlfcn.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>
#include <graphviz/gvplugin_textlayout.h>
#include <graphviz/textspan.h>

#include "../0-base/strmap.h"
#include "../0-base/xmem.h"
#include "../0-base/escape.h"
#include "../0-base/hash.h"
#include "markdown.h"
#include "textm.h"

/* Bump when the post-processing changes: old cache files then miss. */
#define CACHE_FORMAT "kasikirja-graph-svg-2"

struct graph_ctx {
    GVC_t *gvc;
    graph_cache cache; /* cache.lookup NULL: no cache */
    size_t layouts, hits;
    const textm *tm;   /* the shipped font, or NULL: Graphviz's built-in metrics */
    uint64_t font_key; /* textm_fingerprint(tm), part of every cache key */
    const char *lang;  /* graph_ctx_set_lang: part of the key when not NULL */
    lt_symlist_t builtins[4];
    gvplugin_installed_t text_types[2];
    gvplugin_api_t text_apis[2];
    gvplugin_library_t text_library;
    Agiddisc_t ids;
    Agiodisc_t io;
    Agdisc_t disc;
};

struct graph_cluster {
    Agraph_t *sub;
};

struct graph {
    graph_ctx *ctx;
    Agraph_t *ag;
    graph_cluster **clusters;
    size_t n_clusters;
};

/* {====== Graphviz's messages ====== */

/* agseterrf takes a plain function pointer with no user data, so the messages
 * of the current Graphviz call can only be collected in a file-static buffer.
 * Graphviz is single-threaded anyway (one graph_ctx, one thread). A fixed
 * array needs no freeing; a longer message is cut short. */
static char gv_msgs[4096];
static size_t gv_msgs_len;
/* The handler is process-wide too: installed while any context lives. */
static unsigned gv_contexts;
static agusererrf gv_prev_errf;

/* Graphviz 2.43 calls this in pieces: "Error" or "Warning", ": ", the
 * message, then any continuation lines (agerr(AGPREV, …)) without a prefix. */
static int gv_errf(char *msg)
{
    size_t n = strlen(msg), room = sizeof gv_msgs - 1 - gv_msgs_len;
    if (n > room)
        n = room;
    memcpy(gv_msgs + gv_msgs_len, msg, n);
    gv_msgs_len += n;
    gv_msgs[gv_msgs_len] = '\0';
    return 0;
}

static void gv_reset(void)
{
    gv_msgs_len = 0;
    gv_msgs[0] = '\0';
    agreseterrors();
}

static bool line_starts(const char *p, const char *prefix)
{
    return strncmp(p, prefix, strlen(prefix)) == 0;
}

/* The i-th message of the given kind ("Error: " or "Warning: ") into out,
 * without the prefix: only its first line, or with its continuation lines
 * joined by spaces. False when there is none. */
static bool gv_message(const char *kind, size_t i, bool first_line_only, buf_t *out)
{
    const char *p = gv_msgs;
    while (*p) {
        if (line_starts(p, kind) && i-- == 0) {
            p += strlen(kind);
            for (;;) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t)(nl - p) : strlen(p);
                while (n && isspace((unsigned char)p[n - 1]))
                    n--;
                if (n) {
                    if (out->len)
                        buf_putc(out, ' ');
                    buf_put(out, p, n);
                }
                if (!nl || first_line_only)
                    break;
                p = nl + 1;
                if (!*p || line_starts(p, "Error: ") || line_starts(p, "Warning: "))
                    break;
            }
            buf_cstr(out);
            return true;
        }
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    return false;
}

static bool gv_failed(void) { return agerrors() >= AGERR || strstr(gv_msgs, "Error: ") != NULL; }

/* Takes Graphviz's " in line N" (and a following " of input") out of msg;
 * returns N, or 0 when the message names no line. */
static int take_line_number(char *msg)
{
    char *at = strstr(msg, " in line ");
    if (!at)
        return 0;
    char *num = at + strlen(" in line "), *end;
    long n = strtol(num, &end, 10);
    if (end == num || n <= 0 || n > 1000000)
        return 0;
    if (strncmp(end, " of input", 9) == 0)
        end += 9;
    memmove(at, end, strlen(end) + 1);
    return (int)n;
}

/* }====== */

/* {====== Context ====== */

static int io_read(void *chan, char *buf, int bufsize);
static int io_putstr(void *chan, const char *str);
static int io_flush(void *chan);
static void *ids_open(Agraph_t *g, Agdisc_t *disc);
static long ids_map(void *state, int objtype, char *str, IDTYPE *id, int createflag);
static long ids_alloc(void *state, int objtype, IDTYPE id);
static void ids_free(void *state, int objtype, IDTYPE id);
static char *ids_print(void *state, int objtype, IDTYPE id);
static void ids_close(void *state);
static void ids_register(void *state, int objtype, void *obj);

/* {------ Text layout in the shipped font ------ */

/* Graphviz asks a text layout plugin for the size of every piece of text;
 * the engine has no user data, so the measurer of the one live context (one
 * thread) is kept here, as the messages are. */
static const textm *gv_textm;

/* Mirrors Graphviz's own estimate (textspan.c, estimate_textspan_size) with
 * the width measured, unhinted, in the shipped font: fontsize in points is
 * one SVG user unit, the unit the browser draws the label's font-size in. */
static boolean text_layout(textspan_t *span, char **fontpath)
{
    if (fontpath)
        *fontpath = NULL;
    double size = span->font && span->font->size > 0 ? span->font->size : 14.0;
    const char *name = span->font && span->font->name ? span->font->name : "";
    bool bold = (span->font && (span->font->flags & HTML_BF)) || strstr(name, "Bold") || strstr(name, "bold");
    span->size.x = textm_width(gv_textm, span->str ? span->str : "", size, bold);
    span->size.y = size * 1.2; /* Graphviz's LINESPACING */
    span->yoffset_layout = 0.0;
    span->yoffset_centerline = 0.1 * size;
    span->layout = NULL;
    span->free_layout = NULL;
    return true;
}

static gvtextlayout_engine_t text_engine = {.textlayout = text_layout};

/* Our engine as a builtin plugin library of the context: type "textlayout",
 * which is the one Graphviz selects. */
static void text_plugin(graph_ctx *ctx, lt_symlist_t *sym)
{
    ctx->text_types[0] = (gvplugin_installed_t){.id = 0, .type = "textlayout", .quality = 100,
                                                .engine = &text_engine, .features = NULL};
    ctx->text_types[1] = (gvplugin_installed_t){0};
    ctx->text_apis[0] = (gvplugin_api_t){.api = API_textlayout, .types = ctx->text_types};
    ctx->text_apis[1] = (gvplugin_api_t){0};
    ctx->text_library = (gvplugin_library_t){.packagename = "kasikirja", .apis = ctx->text_apis};
    sym->name = "gvplugin_kasikirja_LTX_library";
    sym->address = &ctx->text_library;
}

/* }------ */

/* The plugins are linked into the context as builtins rather than found
 * through gvContext()'s plugin configuration, which would load every plugin
 * installed: pango's text layout among them, which measures in whatever
 * fonts the build machine has, with metrics rounded to whole pixels (long
 * labels then overflow their boxes in the browser), keeps caches that leak,
 * and holds a pointer into a freed context. With the shipped font, our own
 * text layout above measures in it; without, Graphviz estimates widths from
 * its built-in Arial metrics. The plugin folder is found the way Graphviz
 * finds it: $GVBINDIR, else "graphviz/" next to libgvc. */
static bool load_builtins(lt_symlist_t *syms)
{
    char dir[4096];
    const char *env = getenv("GVBINDIR");
    Dl_info info;
    if (env && *env) {
        snprintf(dir, sizeof dir, "%s", env);
    } else if (dladdr((void *)(uintptr_t)gvContext, &info) && info.dli_fname) {
        snprintf(dir, sizeof dir, "%s", info.dli_fname);
        char *slash = strrchr(dir, '/');
        if (!slash)
            return false;
        snprintf(slash, sizeof dir - (size_t)(slash - dir), "/graphviz");
    } else {
        return false;
    }
    static const char *const libs[][2] = {
        {"libgvplugin_dot_layout.so", "gvplugin_dot_layout_LTX_library"},
        {"libgvplugin_core.so", "gvplugin_core_LTX_library"},
    };
    for (size_t i = 0; i < 2; i++) {
        void *h = NULL;
        /* .6 is the plugin ABI of Graphviz 2.x (its config file is config6) */
        for (int v = 0; v < 2 && !h; v++) {
            char *lib = xasprintf("%s/%s%s", dir, libs[i][0], v == 0 ? ".6" : "");
            h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
            free(lib);
        }
        /* Never dlclosed, as Graphviz itself never unloads a plugin: their
         * static buffers must stay mapped for the life of the process. */
        syms[i].name = libs[i][1];
        syms[i].address = h ? dlsym(h, libs[i][1]) : NULL;
        if (!syms[i].address)
            return false;
    }
    syms[2].name = NULL;
    syms[2].address = NULL;
    return true;
}

graph_ctx *graph_ctx_new(const graph_cache *cache, const textm *tm)
{
    graph_ctx *ctx = xcalloc(1, sizeof *ctx);
    if (gv_contexts++ == 0)
        gv_prev_errf = agseterrf(gv_errf);
    gv_reset();
    if (load_builtins(ctx->builtins)) {
        if (tm) {
            ctx->tm = tm;
            ctx->font_key = textm_fingerprint(tm);
            gv_textm = tm;
            text_plugin(ctx, &ctx->builtins[2]);
            ctx->builtins[3] = (lt_symlist_t){NULL, NULL};
        }
        ctx->gvc = gvContextPlugins(ctx->builtins, 0);
    } else {
        ctx->gvc = gvContext(); /* another plugin layout: let Graphviz find them */
    }
    ctx->io.afread = io_read;
    ctx->io.putstr = io_putstr;
    ctx->io.flush = io_flush;
    ctx->ids.open = ids_open;
    ctx->ids.map = ids_map;
    ctx->ids.alloc = ids_alloc;
    ctx->ids.free = ids_free;
    ctx->ids.print = ids_print;
    ctx->ids.close = ids_close;
    ctx->ids.idregister = ids_register;
    ctx->disc.mem = &AgMemDisc;
    ctx->disc.id = &ctx->ids;
    ctx->disc.io = &ctx->io;
    if (cache)
        ctx->cache = *cache;
    return ctx;
}

void graph_ctx_free(graph_ctx *ctx)
{
    if (!ctx)
        return;
    if (ctx->gvc)
        gvFreeContext(ctx->gvc);
    if (--gv_contexts == 0)
        agseterrf(gv_prev_errf);
    if (ctx->tm && gv_textm == ctx->tm)
        gv_textm = NULL;
    free(ctx);
}

size_t graph_ctx_layouts(const graph_ctx *ctx) { return ctx->layouts; }
const textm *graph_ctx_textm(const graph_ctx *ctx) { return ctx ? ctx->tm : NULL; }

const char *graph_fontname(const graph *g)
{
    const graph_ctx *ctx = g->ctx;
    /* Graphviz's own estimate knows Arial's widths by the names Helvetica and
     * Arial only; any other name would be measured as Times. */
    return ctx && ctx->tm ? TEXTM_FAMILY ",sans-serif" : "Helvetica,Arial,sans-serif";
}
size_t graph_ctx_cache_hits(const graph_ctx *ctx) { return ctx->hits; }

/* }====== */

/* {====== Object ids in creation order ====== */

/* cgraph's own id discipline uses the address of the interned name as a
 * named object's id, and subgraphs are kept (and so written to DOT and laid
 * out as clusters) in id order: their order, and with it the picture, would
 * depend on where malloc put the names. Here a name's id follows the order
 * in which names are first seen; anonymous objects keep odd ids, named ones
 * even, as cgraph expects. */
typedef struct {
    Agraph_t *g;
    strmap *ids;  /* name -> index + 1 */
    char **names; /* cgraph strings (agstrdup): writing DOT asks them whether they are HTML */
    size_t n;
    IDTYPE next_anonymous;
} name_ids;

static void *ids_open(Agraph_t *g, Agdisc_t *disc)
{
    (void)disc;
    name_ids *st = xcalloc(1, sizeof *st);
    st->g = g;
    st->ids = strmap_new();
    st->next_anonymous = 1;
    return st;
}

static long ids_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
    (void)objtype;
    name_ids *st = state;
    if (!str) {
        *id = st->next_anonymous;
        st->next_anonymous += 2;
        return 1;
    }
    uintptr_t known = (uintptr_t)strmap_get(st->ids, str);
    if (!known) {
        if (!createflag)
            return 0;
        st->names = xrealloc(st->names, (st->n + 1) * sizeof *st->names);
        st->names[st->n++] = agstrdup(st->g, str);
        known = st->n;
        strmap_add(st->ids, str, (void *)known);
    }
    *id = 2 * (IDTYPE)known;
    return 1;
}

/* An id asked for by number (agidnode): only anonymous ones, as in cgraph. */
static long ids_alloc(void *state, int objtype, IDTYPE id)
{
    (void)state, (void)objtype;
    return id % 2 == 1;
}

static void ids_free(void *state, int objtype, IDTYPE id)
{
    (void)state, (void)objtype, (void)id; /* names live until the graph is closed */
}

static char *ids_print(void *state, int objtype, IDTYPE id)
{
    (void)objtype;
    name_ids *st = state;
    return id % 2 == 0 && id > 0 && id / 2 <= st->n ? st->names[id / 2 - 1] : NULL;
}

/* The names themselves go with the graph's string table, closed after this. */
static void ids_close(void *state)
{
    name_ids *st = state;
    free(st->names);
    strmap_free(st->ids);
    free(st);
}

static void ids_register(void *state, int objtype, void *obj)
{
    (void)state, (void)objtype, (void)obj;
}

/* }====== */

/* {====== I/O disciplines: DOT from memory, DOT into a buf_t ====== */

typedef struct {
    const char *p, *end;
} mem_reader;

/* Line by line, as cgraph's own memory reader does. */
static int io_read(void *chan, char *buf, int bufsize)
{
    mem_reader *r = chan;
    int n = 0;
    while (n < bufsize && r->p < r->end && *r->p) {
        char c = *r->p++;
        buf[n++] = c;
        if (c == '\n')
            break;
    }
    return n;
}

static int io_putstr(void *chan, const char *str)
{
    buf_puts(chan, str);
    return 0;
}

static int io_flush(void *chan)
{
    (void)chan;
    return 0;
}

/* }====== */

/* {====== Attribute values ====== */

void graph_label_escape(const char *text, buf_t *out)
{
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\\')
            buf_puts(out, "\\\\");
        else if (c == '\n')
            buf_puts(out, "\\n");
        else if (c == '\r')
            buf_puts(out, p[1] == '\n' ? "" : "\\n");
        else if (c < 0x20 || c == 0x7F)
            buf_putc(out, ' '); /* not allowed in XML */
        else
            buf_putc(out, (char)c);
    }
    buf_cstr(out);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Graphviz reads escapes (\N, \G, \n, …) in these. */
static bool is_label_attr(const char *name)
{
    return ends_with(name, "label") || ends_with(name, "tooltip");
}

/* URL, href, edgeURL, headhref, labelURL, tailURL, … */
static bool is_url_attr(const char *name)
{
    return ends_with(name, "URL") || ends_with(name, "href");
}

static bool is_font_attr(const char *name)
{
    return strcmp(name, "fontname") == 0 || strcmp(name, "labelfontname") == 0;
}

/* Graphviz 2.43 writes font names into font-family="…" without escaping. */
static bool font_name_ok(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (!isalnum(*p) && *p < 0x80 && !strchr(" -_.,:+", *p))
            return false;
    return true;
}

/* Graphviz 2.43 writes URLs into xlink:href="…" escaping only '&', and
 * expands \N, \G, … in them: such bytes are percent-encoded. */
static void url_encode(const char *url, buf_t *out)
{
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p <= 0x20 || *p == 0x7F || strchr("\"'<>\\`", *p))
            buf_printf(out, "%%%02X", *p);
        else
            buf_putc(out, (char)*p);
    }
    buf_cstr(out);
}

/* Makes an API value safe to hand to Graphviz into v; false drops the attribute. */
static bool clean_value(const char *name, const char *value, buf_t *v)
{
    if (is_label_attr(name)) {
        graph_label_escape(value, v);
    } else if (is_url_attr(name)) {
        if (!md_url_is_safe(value))
            return false;
        url_encode(value, v);
    } else if (is_font_attr(name)) {
        if (!font_name_ok(value))
            return false;
        buf_puts(v, value);
    } else {
        buf_puts(v, value);
    }
    buf_cstr(v);
    return true;
}

/* kind AGRAPH with obj: a graph or cluster's own attributes; AGNODE/AGEDGE
 * with obj NULL: defaults for every node / edge of g. */
static void set_attrs(graph *g, void *obj, int kind, va_list ap)
{
    const char *name;
    buf_t v = BUF_INIT;
    while ((name = va_arg(ap, const char *)) != NULL) {
        const char *value = va_arg(ap, const char *);
        if (!value)
            break;
        buf_clear(&v);
        if (!clean_value(name, value, &v))
            continue;
        if (obj)
            agsafeset(obj, (char *)name, v.ptr, "");
        else
            agattr(g->ag, kind, (char *)name, v.ptr);
    }
    buf_free(&v);
}

/* }====== */

/* {====== Building graphs ====== */

graph *graph_new(graph_ctx *ctx, const char *id)
{
    graph *g = xcalloc(1, sizeof *g);
    g->ctx = ctx;
    g->ag = agopen((char *)id, Agdirected, &ctx->disc);
    agsafeset(g->ag, "id", (char *)id, "");
    return g;
}

void graph_free(graph *g)
{
    if (!g)
        return;
    if (g->ag)
        agclose(g->ag);
    for (size_t i = 0; i < g->n_clusters; i++)
        free(g->clusters[i]);
    free(g->clusters);
    free(g);
}

void graph_attrs(graph *g, ...)
{
    va_list ap;
    va_start(ap, g);
    set_attrs(g, g->ag, AGRAPH, ap);
    va_end(ap);
}

void graph_node_defaults(graph *g, ...)
{
    va_list ap;
    va_start(ap, g);
    set_attrs(g, NULL, AGNODE, ap);
    va_end(ap);
}

void graph_edge_defaults(graph *g, ...)
{
    va_list ap;
    va_start(ap, g);
    set_attrs(g, NULL, AGEDGE, ap);
    va_end(ap);
}

/* A subgraph of parent without the graph's own attributes (below). */
static graph_cluster *subgraph(graph *g, Agraph_t *parent, const char *sname)
{
    graph_cluster *c = xcalloc(1, sizeof *c);
    c->sub = agsubg(parent, (char *)sname, 1);
    /* A subgraph inherits the graph attributes set so far; not these: the
     * graph's id would repeat on the cluster's <g>, its label would be shown
     * again in every cluster, its link and tooltip cover the whole picture. */
    static const char *const own[] = {"id", "label", "URL", "href", "tooltip"};
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
        Agsym_t *sym = agattr(g->ag, AGRAPH, (char *)own[i], NULL);
        if (sym)
            agxset(c->sub, sym, "");
    }
    g->clusters = xrealloc(g->clusters, (g->n_clusters + 1) * sizeof *g->clusters);
    g->clusters[g->n_clusters++] = c;
    return c;
}

graph_cluster *graph_cluster_new(graph *g, const char *name, ...)
{
    char *sname = xasprintf("cluster_%s", name);
    graph_cluster *c = subgraph(g, g->ag, sname);
    free(sname);
    va_list ap;
    va_start(ap, name);
    set_attrs(g, c->sub, AGRAPH, ap);
    va_end(ap);
    return c;
}

graph_cluster *graph_subgraph_new(graph *g, graph_cluster *parent, const char *name, ...)
{
    graph_cluster *c = subgraph(g, parent ? parent->sub : g->ag, name);
    va_list ap;
    va_start(ap, name);
    set_attrs(g, c->sub, AGRAPH, ap);
    va_end(ap);
    return c;
}

void graph_node(graph *g, graph_cluster *cluster, const char *name, ...)
{
    bool is_new = agnode(g->ag, (char *)name, 0) == NULL;
    Agnode_t *n = agnode(cluster ? cluster->sub : g->ag, (char *)name, 1);
    if (is_new && strchr(name, '\\')) {
        /* The default label is \N, the name, and Graphviz would read
         * escapes in the name too. */
        buf_t v = BUF_INIT;
        graph_label_escape(name, &v);
        agsafeset(n, "label", v.ptr, "");
        buf_free(&v);
    }
    va_list ap;
    va_start(ap, name);
    set_attrs(g, n, AGNODE, ap);
    va_end(ap);
}

void graph_edge(graph *g, const char *tail, const char *head, const char *key, ...)
{
    Agnode_t *t = agnode(g->ag, (char *)tail, 1), *h = agnode(g->ag, (char *)head, 1);
    Agedge_t *e = agedge(g->ag, t, h, (char *)key, 1);
    va_list ap;
    va_start(ap, key);
    set_attrs(g, e, AGEDGE, ap);
    va_end(ap);
}

void graph_dot(graph *g, buf_t *out)
{
    agwrite(g->ag, out);
    buf_cstr(out);
}

/* }====== */

/* {====== SVG post-processing ====== */

static bool name_is(const char *s, size_t n, const char *name)
{
    return strlen(name) == n && memcmp(s, name, n) == 0;
}

/* The elements Graphviz's SVG renderer writes; anything else can only have
 * been smuggled in through a value Graphviz did not escape, and is dropped. */
static bool element_allowed(const char *s, size_t n)
{
    static const char *const ok[] = {
        "svg",  "g",    "title", "desc", "a",    "polygon", "polyline",       "ellipse",
        "path", "text", "image", "defs", "stop", "tspan",   "linearGradient", "radialGradient"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (name_is(s, n, ok[i]))
            return true;
    return false;
}

/* Appends s[0..n) with Graphviz's "&#45;" (its escape for '-') undone. */
static void put_unhyphen(buf_t *out, const char *s, size_t n)
{
    static const char h[] = "&#45;";
    size_t i = 0;
    while (i < n) {
        if (n - i >= sizeof h - 1 && memcmp(s + i, h, sizeof h - 1) == 0) {
            buf_putc(out, '-');
            i += sizeof h - 1;
        } else {
            buf_putc(out, s[i++]);
        }
    }
}

/* XML character references and the five named entities decoded. */
static void xml_unescape(const char *s, size_t n, buf_t *out)
{
    static const struct {
        const char *ent;
        char c;
    } named[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    size_t i = 0;
    while (i < n) {
        if (s[i] == '&') {
            bool done = false;
            for (size_t k = 0; k < 5 && !done; k++) {
                size_t m = strlen(named[k].ent);
                if (n - i >= m && memcmp(s + i, named[k].ent, m) == 0) {
                    buf_putc(out, named[k].c);
                    i += m;
                    done = true;
                }
            }
            if (!done && i + 2 < n && s[i + 1] == '#') {
                bool hex = s[i + 2] == 'x' || s[i + 2] == 'X';
                size_t j = i + (hex ? 3 : 2);
                unsigned long cp = 0;
                size_t digits = 0;
                while (j < n &&
                       (hex ? isxdigit((unsigned char)s[j]) : isdigit((unsigned char)s[j])) &&
                       digits < 8) {
                    char d = (char)tolower((unsigned char)s[j]);
                    cp = cp * (hex ? 16 : 10) +
                         (unsigned long)(isdigit((unsigned char)d) ? d - '0' : d - 'a' + 10);
                    j++, digits++;
                }
                if (digits && j < n && s[j] == ';') {
                    /* Only the ASCII range matters to the checks made on the result. */
                    buf_putc(out, cp < 0x80 ? (char)cp : '?');
                    i = j + 1;
                    done = true;
                }
            }
            if (done)
                continue;
        }
        buf_putc(out, s[i++]);
    }
    buf_cstr(out);
}

typedef struct {
    const char *prefix; /* the diagram id as it appears in the SVG */
    size_t prefix_len;
    strmap *used;    /* ids written so far */
    strmap *renamed; /* Graphviz's id -> ours, for url(#…) */
    char **owned;    /* the strings both maps point to */
    size_t n_owned;
    unsigned gradients;
} id_state;

static char *own(id_state *st, char *s)
{
    st->owned = xrealloc(st->owned, (st->n_owned + 1) * sizeof *st->owned);
    st->owned[st->n_owned++] = s;
    return s;
}

static bool is_gradient_id(const char *s)
{
    if ((s[0] != 'l' && s[0] != 'r') || s[1] != '_' || !s[2])
        return false;
    for (s += 2; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* Our id for one of Graphviz's: every id starts with the diagram id and is
 * unique in the SVG. Gradient ids come from a counter Graphviz keeps for the
 * whole process; numbering them per diagram keeps the output reproducible. */
static const char *map_id(id_state *st, const char *gv)
{
    char *cand;
    size_t pl = st->prefix_len;
    if (strncmp(gv, "a_", 2) == 0 && strncmp(gv + 2, st->prefix, pl) == 0 && gv[2 + pl] == '_')
        cand = xasprintf("%s-a_%s", st->prefix, gv + 3 + pl); /* a link's <g>: a_P_node1 */
    else if (strncmp(gv, st->prefix, st->prefix_len) == 0 &&
             (gv[st->prefix_len] == '\0' || gv[st->prefix_len] == '_' || gv[st->prefix_len] == '-'))
        cand = xstrdup(gv);
    else if (is_gradient_id(gv))
        cand = xasprintf("%s-%c_%u", st->prefix, gv[0], st->gradients++);
    else
        cand = xasprintf("%s-%s", st->prefix, gv);
    const char *id = own(st, cand);
    for (unsigned k = 2; strmap_has(st->used, id); k++)
        id = own(st, xasprintf("%s-%u", cand, k));
    strmap_add(st->used, id, (void *)id);
    strmap_add(st->renamed, gv, (void *)id);
    return id;
}

/* Whether s[0..n) starts with an entity or character reference. */
static bool at_reference(const char *s, size_t n)
{
    size_t i = 1;
    if (i < n && s[i] == '#') {
        i++;
        bool hex = i < n && (s[i] == 'x' || s[i] == 'X');
        i += hex;
        size_t start = i;
        while (i < n && (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i])))
            i++;
        return i > start && i < n && s[i] == ';';
    }
    size_t start = i;
    while (i < n && isalnum((unsigned char)s[i]))
        i++;
    return i > start && isalpha((unsigned char)s[start]) && i < n && s[i] == ';';
}

/* Writes one attribute value (as Graphviz wrote it) into out. A raw '<', '>'
 * or a bare '&' came from an input Graphviz did not escape (2.43 leaves the
 * '&' of a URL's query string as it is). */
static void put_value(buf_t *out, const char *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '<')
            buf_puts(out, "&lt;");
        else if (v[i] == '>')
            buf_puts(out, "&gt;");
        else if (v[i] == '&' && !at_reference(v + i, n - i))
            buf_puts(out, "&amp;");
        else
            buf_putc(out, v[i]);
    }
}

/* A class attribute: a class "kieli-fi" (GRAPH_LANG_CLASS, set on a node
 * whose text is in another language than the drawing's) becomes the SVG
 * attribute lang="fi" (Graphviz cannot write lang itself). */
static void put_class(buf_t *out, const char *v)
{
    static const char pre[] = GRAPH_LANG_CLASS;
    const char *lang = NULL, *hit = strstr(v, pre);
    size_t ll = 0;
    if (hit && (hit == v || hit[-1] == ' ')) {
        lang = hit + sizeof pre - 1;
        while (lang[ll] >= 'a' && lang[ll] <= 'z')
            ll++;
        if (ll < 2 || ll > 3 || (lang[ll] && lang[ll] != ' '))
            lang = NULL;
    }
    buf_puts(out, " class=\"");
    if (!lang) {
        put_value(out, v, strlen(v));
    } else {
        size_t before = (size_t)(hit - v);
        while (before && v[before - 1] == ' ')
            before--;
        put_value(out, v, before);
        const char *rest = lang + ll;
        put_value(out, rest, strlen(rest));
    }
    buf_putc(out, '"');
    if (lang)
        buf_printf(out, " lang=\"%.*s\"", (int)ll, lang);
}

/* One attribute of an allowed element: filtered, its id or url(#id) rewritten. */
static void put_attr(buf_t *out, id_state *st, const char *name, size_t nn, const char *v,
                     size_t vn)
{
    if (nn >= 2 && tolower((unsigned char)name[0]) == 'o' && tolower((unsigned char)name[1]) == 'n')
        return; /* event handlers */
    buf_t val = BUF_INIT;
    put_unhyphen(&val, v, vn);
    buf_cstr(&val);
    if (name_is(name, nn, "xlink:href") || name_is(name, nn, "href")) {
        buf_t url = BUF_INIT;
        xml_unescape(val.ptr, val.len, &url);
        bool safe = md_url_is_safe(url.ptr);
        buf_free(&url);
        if (!safe) {
            buf_free(&val);
            return;
        }
    }
    if (name_is(name, nn, "class")) {
        put_class(out, val.ptr);
        buf_free(&val);
        return;
    }
    buf_putc(out, ' ');
    buf_put(out, name, nn);
    buf_puts(out, "=\"");
    if (name_is(name, nn, "id")) {
        /* Graphviz's id is XML-escaped already, and so is the prefix. */
        const char *id = map_id(st, val.ptr);
        put_value(out, id, strlen(id));
    } else {
        const char *p = val.ptr, *ref;
        while ((ref = strstr(p, "url(#")) != NULL) {
            put_value(out, p, (size_t)(ref + 5 - p));
            const char *end = strchr(ref + 5, ')');
            if (!end)
                break;
            char *gv = xstrndup(ref + 5, (size_t)(end - ref - 5));
            const char *ours = strmap_get(st->renamed, gv);
            buf_puts(out, ours ? ours : gv);
            free(gv);
            p = end;
        }
        put_value(out, p, strlen(p));
    }
    buf_putc(out, '"');
    buf_free(&val);
}

static size_t skip_past(const char *s, size_t n, size_t i, const char *end)
{
    size_t m = strlen(end);
    while (i + m <= n && memcmp(s + i, end, m) != 0)
        i++;
    i = i + m <= n ? i + m : n;
    return i < n && s[i] == '\n' ? i + 1 : i;
}

/* Graphviz's SVG made fit to embed in a page: no XML prolog, DOCTYPE or
 * comments; role="img" with our <title>/<desc> on the root; Graphviz's own
 * graph <title> (its internal name) dropped; every id prefixed and unique;
 * event attributes, unsafe links and unknown elements removed. */
/* svg_finish's state while it copies one SVG document. */
typedef struct {
    buf_t *out;
    id_state st;
    const char *title, *desc; /* the caller's */
    char *title_id, *desc_id;
    bool has_desc;
    bool root_done, graph_seen, drop_title, in_title;
} finish_state;

/* Past a comment, processing instruction or doctype at s[i] ('<'), into
 * *next; false when s[i] starts an element. */
static bool skip_markup(const char *s, size_t n, size_t i, size_t *next)
{
    if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
        *next = skip_past(s, n, i + 4, "-->");
    else if (n - i >= 2 && s[i + 1] == '?')
        *next = skip_past(s, n, i + 2, "?>");
    else if (n - i >= 2 && s[i + 1] == '!')
        *next = skip_past(s, n, i + 2, ">");
    else
        return false;
    return true;
}

/* A closing tag whose name ends at ne: copied when kept; ends the dropped
 * <title>. Returns where the tag ends. */
static size_t finish_close(finish_state *f, const char *s, size_t n, size_t ne, const char *name,
                           size_t nn, bool keep)
{
    size_t end = skip_past(s, n, ne, ">");
    if (f->in_title && name_is(name, nn, "title")) {
        f->in_title = false;
    } else if (keep) {
        buf_puts(f->out, "</");
        buf_put(f->out, name, nn);
        buf_putc(f->out, '>');
        if (end > 0 && s[end - 1] == '\n')
            buf_putc(f->out, '\n');
    }
    return end;
}

/* Attributes from s[j]: name="value" (Graphviz always uses double quotes),
 * each copied through put_attr when keep. Returns where the tag ends. */
static size_t finish_attrs(finish_state *f, const char *s, size_t n, size_t j, const char *name,
                           size_t nn, bool keep, bool *self_closing, bool *is_graph_g)
{
    while (j < n) {
        while (j < n && isspace((unsigned char)s[j]))
            j++;
        if (j >= n)
            break;
        if (s[j] == '>') {
            j++;
            break;
        }
        if (s[j] == '/' && j + 1 < n && s[j + 1] == '>') {
            *self_closing = true;
            j += 2;
            break;
        }
        size_t as = j;
        while (j < n && !isspace((unsigned char)s[j]) && s[j] != '=' && s[j] != '>' &&
               s[j] != '/')
            j++;
        size_t ae = j;
        if (ae == as) {
            j++; /* a stray '/' or '=' */
            continue;
        }
        while (j < n && isspace((unsigned char)s[j]))
            j++;
        if (j >= n || s[j] != '=')
            continue; /* a bare word: no attribute of Graphviz's */
        j++;
        while (j < n && isspace((unsigned char)s[j]))
            j++;
        if (j >= n || (s[j] != '"' && s[j] != '\''))
            continue;
        char q = s[j++];
        size_t vs = j;
        while (j < n && s[j] != q)
            j++;
        size_t ve = j;
        if (j < n)
            j++;
        if (!keep)
            continue;
        if (name_is(s + as, ae - as, "class") && name_is(s + vs, ve - vs, "graph") &&
            name_is(name, nn, "g"))
            *is_graph_g = true;
        put_attr(f->out, &f->st, s + as, ae - as, s + vs, ve - vs);
    }
    return j;
}

/* Ends a kept opening tag; the root <svg> gets its role, title and desc,
 * and the first graph group's own <title> is to be dropped. */
static void finish_open(finish_state *f, bool is_root, bool self_closing, bool is_graph_g)
{
    if (is_root) {
        buf_printf(f->out, " role=\"img\" aria-labelledby=\"%s", f->title_id);
        if (f->has_desc)
            buf_printf(f->out, " %s", f->desc_id);
        buf_putc(f->out, '"');
    }
    buf_puts(f->out, self_closing ? "/>" : ">");
    if (is_root) {
        f->root_done = true;
        buf_printf(f->out, "\n<title id=\"%s\">", f->title_id);
        esc_html_str(f->out, f->title ? f->title : "");
        buf_puts(f->out, "</title>");
        if (f->has_desc) {
            buf_printf(f->out, "\n<desc id=\"%s\">", f->desc_id);
            esc_html_str(f->out, f->desc);
            buf_puts(f->out, "</desc>");
        }
    }
    if (is_graph_g && !f->graph_seen) {
        f->graph_seen = true;
        f->drop_title = true;
    }
}

static void svg_finish(const char *s, size_t n, const char *gid, const char *title,
                       const char *desc, buf_t *out)
{
    buf_t prefix = BUF_INIT;
    esc_html_str(&prefix, gid);
    buf_cstr(&prefix);
    finish_state fs = {.out = out, .st = {.prefix = prefix.ptr, .prefix_len = prefix.len, .used = strmap_new(), .renamed = strmap_new()},
                       .title = title, .desc = desc, .has_desc = desc && *desc};
    finish_state *f = &fs;
    f->title_id = own(&f->st, xasprintf("%s-title", prefix.ptr));
    f->desc_id = own(&f->st, xasprintf("%s-desc", prefix.ptr));
    strmap_add(f->st.used, f->title_id, f->title_id);
    if (f->has_desc)
        strmap_add(f->st.used, f->desc_id, f->desc_id);
    size_t i = 0;
    while (i < n) {
        if (s[i] != '<') {
            size_t j = i;
            while (j < n && s[j] != '<')
                j++;
            if (!f->in_title)
                put_unhyphen(f->out, s + i, j - i);
            i = j;
            continue;
        }
        if (skip_markup(s, n, i, &i))
            continue;
        bool closing = n - i >= 2 && s[i + 1] == '/';
        size_t ns = i + (closing ? 2 : 1), ne = ns;
        while (ne < n &&
               (isalnum((unsigned char)s[ne]) || s[ne] == ':' || s[ne] == '_' || s[ne] == '-'))
            ne++;
        const char *name = s + ns;
        size_t nn = ne - ns;
        bool keep = nn > 0 && element_allowed(name, nn) && !f->in_title;
        if (closing) {
            i = finish_close(f, s, n, ne, name, nn, keep);
            continue;
        }
        if (f->drop_title && name_is(name, nn, "title")) {
            f->drop_title = false;
            f->in_title = true;
            keep = false;
        }
        bool is_root = keep && !f->root_done && name_is(name, nn, "svg");
        bool is_graph_g = false;
        if (keep) {
            buf_putc(f->out, '<');
            buf_put(f->out, name, nn);
        }
        bool self_closing = false;
        size_t j = finish_attrs(f, s, n, ne, name, nn, keep, &self_closing, &is_graph_g);
        if (keep)
            finish_open(f, is_root, self_closing, is_graph_g);
        i = j;
    }
    buf_cstr(out);
    for (size_t k = 0; k < f->st.n_owned; k++)
        free(f->st.owned[k]);
    free(f->st.owned);
    strmap_free(f->st.used);
    strmap_free(f->st.renamed);
    buf_free(&prefix);
}

/* }====== */

/* {====== Rendering and the cache ====== */

/* Everything the cached SVG depends on, each part ended by a NUL. */
static uint64_t render_key(graph_ctx *ctx, const buf_t *dot, const char *title, const char *desc)
{
    uint64_t h = hash_str(HASH_SEED, CACHE_FORMAT);
    h = hash_str(h, gvcVersion(ctx->gvc));
    h = hash_u64(h, ctx->font_key);
    h = hash_bytes(h, dot->ptr ? dot->ptr : "", dot->len);
    h = hash_u64(h, dot->len);
    h = hash_str(h, title ? title : "");
    h = hash_str(h, desc ? desc : "");
    return ctx->lang ? hash_str(h, ctx->lang) : h; /* the default language's keys as they were */
}

void graph_ctx_set_lang(graph_ctx *ctx, const char *lang)
{
    if (ctx)
        ctx->lang = lang;
}

/* The cached SVG of key, when there is one and it is an SVG document. */
static bool cache_lookup(graph_ctx *ctx, uint64_t key, buf_t *svg)
{
    if (!ctx->cache.lookup)
        return false;
    buf_t b = BUF_INIT;
    bool ok = ctx->cache.lookup(ctx->cache.ud, key, &b) && b.len > 4 && memcmp(b.ptr, "<svg", 4) == 0;
    if (ok)
        buf_put(svg, b.ptr, b.len);
    buf_free(&b);
    return ok;
}

static void report_failure(const char *path, int line, diag_list *d)
{
    buf_t msg = BUF_INIT;
    if (!gv_message("Error: ", 0, false, &msg))
        buf_puts(&msg, "the layout failed");
    diag_error(d, path, line, 0, "Graphviz could not draw the diagram: %s", msg.ptr);
    buf_free(&msg);
}

static bool render_ag(graph_ctx *ctx, Agraph_t *ag, const char *id, const char *title,
                      const char *desc, buf_t *svg, const char *path, int line, diag_list *d)
{
    if (!ctx->gvc) {
        diag_error(d, path, line, 0, "Graphviz could not draw the diagram: no Graphviz context");
        return false;
    }
    buf_t dot = BUF_INIT;
    agwrite(ag, &dot);
    uint64_t key = render_key(ctx, &dot, title, desc);
    buf_free(&dot);
    if (cache_lookup(ctx, key, svg)) {
        ctx->hits++;
        return true;
    }
    gv_reset();
    bool ok = false;
    if (gvLayout(ctx->gvc, ag, "dot") == 0) {
        ctx->layouts++;
        char *data = NULL;
        unsigned int len = 0;
        if (!gv_failed() && gvRenderData(ctx->gvc, ag, "svg", &data, &len) == 0 && !gv_failed()) {
            buf_t out = BUF_INIT;
            svg_finish(data, len, id, title, desc, &out);
            if (ctx->cache.store)
                ctx->cache.store(ctx->cache.ud, key, out.ptr, out.len);
            buf_put(svg, out.ptr, out.len);
            buf_free(&out);
            ok = true;
        }
        if (data)
            gvFreeRenderData(data);
        gvFreeLayout(ctx->gvc, ag);
    }
    if (!ok)
        report_failure(path, line, d);
    return ok;
}

bool graph_render(graph *g, const char *title, const char *desc, buf_t *svg, const char *path,
                  int line, diag_list *d)
{
    char *id = xstrdup(agget(g->ag, "id"));
    bool ok = render_ag(g->ctx, g->ag, id, title, desc, svg, path, line, d);
    free(id);
    graph_free(g);
    return ok;
}

/* }====== */

/* {====== DOT from editors ====== */

/* Attributes that would make Graphviz read the build machine's disk (image
 * files, custom shapes, search paths) or make readers fetch a stylesheet. */
static const struct {
    const char *name, *why;
} refused_attrs[] = {
    {"image", "it would read files on the build machine"},
    {"shapefile", "it would read files on the build machine"},
    {"imagepath", "it would read files on the build machine"},
    {"fontpath", "it would read files on the build machine"},
    {"stylesheet", "the picture may not load a stylesheet"},
};

/* The 1-based line of the first place in DOT src where name is used as an
 * attribute (name = …, quoted or not), skipping comments and strings; 0 when
 * not found. */
static int dot_attr_line(const char *src, size_t len, const char *name)
{
    int line = 1;
    bool line_start = true;
    size_t i = 0, nlen = strlen(name);
    while (i < len) {
        char c = src[i];
        if (c == '\n') {
            line++, i++, line_start = true;
            continue;
        }
        if (isspace((unsigned char)c)) {
            i++;
            continue;
        }
        bool was_start = line_start;
        line_start = false;
        if ((c == '#' && was_start) || (c == '/' && i + 1 < len && src[i + 1] == '/')) {
            while (i < len && src[i] != '\n')
                i++;
            continue;
        }
        if (c == '/' && i + 1 < len && src[i + 1] == '*') {
            for (i += 2; i < len && !(src[i] == '*' && i + 1 < len && src[i + 1] == '/'); i++)
                line += src[i] == '\n';
            i += 2;
            continue;
        }
        if (c == '<') { /* an HTML string, nested */
            int depth = 0;
            for (; i < len; i++) {
                line += src[i] == '\n';
                if (src[i] == '<')
                    depth++;
                else if (src[i] == '>' && --depth == 0)
                    break;
            }
            i++;
            continue;
        }
        size_t ts, te;
        int tline = line;
        if (c == '"') {
            ts = ++i;
            while (i < len && src[i] != '"') {
                if (src[i] == '\\' && i + 1 < len)
                    i++;
                line += src[i] == '\n';
                i++;
            }
            te = i++;
        } else if (isalnum((unsigned char)c) || c == '_' || c == '.' || (unsigned char)c >= 0x80) {
            ts = i;
            while (i < len && (isalnum((unsigned char)src[i]) || src[i] == '_' || src[i] == '.' ||
                               (unsigned char)src[i] >= 0x80))
                i++;
            te = i;
        } else {
            i++;
            continue;
        }
        if (te - ts == nlen && memcmp(src + ts, name, nlen) == 0) {
            size_t k = i;
            while (k < len && isspace((unsigned char)src[k]))
                k++;
            if (k < len && src[k] == '=')
                return tline;
        }
    }
    return 0;
}

/* The line of the first occurrence of needle (case-insensitive), 0 if none. */
static int text_line(const char *src, size_t len, const char *needle, bool nocase)
{
    size_t m = strlen(needle);
    int line = 1;
    for (size_t i = 0; i + m <= len; i++) {
        if (nocase ? strncasecmp(src + i, needle, m) == 0 : memcmp(src + i, needle, m) == 0)
            return line;
        line += src[i] == '\n';
    }
    return 0;
}

static bool contains_nocase(const char *s, const char *needle)
{
    size_t m = strlen(needle);
    for (; *s; s++)
        if (strncasecmp(s, needle, m) == 0)
            return true;
    return false;
}

/* Links and font names inside an HTML-like label, entities decoded: Graphviz
 * writes HREF and FACE values into the SVG unescaped. Returns the offending
 * attribute value (malloc'd) or NULL when all is well. */
static char *html_label_problem(const char *html, const char **why)
{
    const char *p = html;
    while ((p = strchr(p, '<')) != NULL) {
        p++;
        while (*p && *p != '>') {
            while (*p && !isspace((unsigned char)*p) && *p != '>')
                p++; /* the tag name or a previous value's end */
            while (isspace((unsigned char)*p))
                p++;
            const char *ns = p;
            while (*p && (isalnum((unsigned char)*p) || *p == '-' || *p == '_'))
                p++;
            size_t nn = (size_t)(p - ns);
            while (isspace((unsigned char)*p))
                p++;
            if (*p != '=')
                continue;
            p++;
            while (isspace((unsigned char)*p))
                p++;
            if (*p != '"' && *p != '\'')
                continue;
            char q = *p++;
            const char *vs = p;
            while (*p && *p != q)
                p++;
            buf_t v = BUF_INIT;
            xml_unescape(vs, (size_t)(p - vs), &v);
            if (*p)
                p++;
            bool url = (nn == 4 && strncasecmp(ns, "href", 4) == 0) ||
                       (nn == 3 && strncasecmp(ns, "url", 3) == 0);
            bool face = nn == 4 && strncasecmp(ns, "face", 4) == 0;
            if (url && (!md_url_is_safe(v.ptr) || strpbrk(v.ptr, "\"'<>\\"))) {
                *why = "link";
                return buf_detach(&v);
            }
            if (face && !font_name_ok(v.ptr)) {
                *why = "font name";
                return buf_detach(&v);
            }
            buf_free(&v);
        }
    }
    return NULL;
}

typedef struct {
    const char *src;
    size_t len;
    const char *path;
    int line; /* of the DOT text's first line */
    diag_list *d;
    strmap *warned; /* URLs already reported */
    bool ok;
} vet_state;

static int vet_line(vet_state *vs, int dot_line)
{
    return dot_line > 0 ? vs->line + dot_line - 1 : vs->line;
}

/* Where a value was written: the value itself if it is there as it is, else
 * the first use of its attribute (the value may be written with escapes). */
static int value_line(vet_state *vs, const char *attr, const char *value)
{
    int at = text_line(vs->src, vs->len, value, false);
    if (!at)
        at = dot_attr_line(vs->src, vs->len, attr);
    return vet_line(vs, at);
}

static void vet_object(vet_state *vs, Agraph_t *root, void *obj, int kind)
{
    for (Agsym_t *sym = agnxtattr(root, kind, NULL); sym; sym = agnxtattr(root, kind, sym)) {
        char *v = agxget(obj, sym);
        if (!v || !*v)
            continue;
        if (strcmp(sym->name, "id") == 0) {
            /* Graphviz makes the ids, prefixed with the diagram's. */
            agxset(obj, sym, "");
        } else if (aghtmlstr(v)) {
            const char *why = NULL;
            char *bad = NULL;
            bool reported = !strmap_add(vs->warned, v, NULL); /* a default shared by many */
            if (contains_nocase(v, "<img")) {
                vs->ok = false;
                if (!reported)
                    diag_error(vs->d, vs->path,
                               vet_line(vs, text_line(vs->src, vs->len, "<img", true)), 0,
                               "HTML labels may not show images (<IMG>): it would read a file on "
                               "the build machine");
            } else if ((bad = html_label_problem(v, &why)) != NULL) {
                vs->ok = false;
                if (!reported)
                    diag_error(vs->d, vs->path,
                               vet_line(vs, text_line(vs->src, vs->len, bad, false)), 0,
                               "%s '%s' is not allowed in an HTML label", why, bad);
                free(bad);
            }
        } else if (is_url_attr(sym->name)) {
            if (!md_url_is_safe(v)) {
                if (strmap_add(vs->warned, v, NULL))
                    diag_warning(
                        vs->d, vs->path, value_line(vs, sym->name, v), 0,
                        "link '%s' is removed: javascript:, vbscript:, data: and file: "
                        "addresses are not allowed (link to a page or an https:// address)",
                        v);
                agxset(obj, sym, "");
            } else {
                buf_t enc = BUF_INIT;
                url_encode(v, &enc);
                if (strcmp(enc.ptr, v) != 0)
                    agxset(obj, sym, enc.ptr);
                buf_free(&enc);
            }
        } else if (is_font_attr(sym->name) && !font_name_ok(v)) {
            if (strmap_add(vs->warned, v, NULL))
                diag_error(
                    vs->d, vs->path, value_line(vs, sym->name, v), 0,
                    "font name '%s' is not allowed: use letters, digits, spaces and - _ . , : +",
                    v);
            vs->ok = false;
        }
    }
}

static void vet_subgraphs(vet_state *vs, Agraph_t *root, Agraph_t *g)
{
    for (Agraph_t *sub = agfstsubg(g); sub; sub = agnxtsubg(sub)) {
        vet_object(vs, root, sub, AGRAPH);
        vet_subgraphs(vs, root, sub);
    }
}

/* Refuses what would read files, drops unsafe links and editor-given ids. */
static bool vet_dot(vet_state *vs, Agraph_t *ag)
{
    static const int kinds[] = {AGRAPH, AGNODE, AGEDGE};
    for (size_t r = 0; r < sizeof refused_attrs / sizeof refused_attrs[0]; r++) {
        for (size_t k = 0; k < 3; k++) {
            const char *name = refused_attrs[r].name;
            if (agattr(ag, kinds[k], (char *)name, NULL)) {
                int at = dot_attr_line(vs->src, vs->len, name);
                diag_error(vs->d, vs->path, vet_line(vs, at), 0,
                           "DOT attribute '%s' is not allowed: %s", name, refused_attrs[r].why);
                vs->ok = false;
                break;
            }
        }
    }
    if (!vs->ok)
        return false;
    vet_object(vs, ag, ag, AGRAPH);
    vet_subgraphs(vs, ag, ag);
    for (Agnode_t *n = agfstnode(ag); n; n = agnxtnode(ag, n)) {
        vet_object(vs, ag, n, AGNODE);
        for (Agedge_t *e = agfstout(ag, n); e; e = agnxtout(ag, e))
            vet_object(vs, ag, e, AGEDGE);
    }
    return vs->ok;
}

static void report_syntax_error(const char *src, size_t len, const char *path, int line,
                                diag_list *d)
{
    buf_t msg = BUF_INIT;
    if (!gv_message("Error: ", 0, true, &msg)) {
        diag_error(d, path, line, 0, "DOT syntax error: the block holds no graph");
        buf_free(&msg);
        return;
    }
    int at = take_line_number(msg.ptr);
    msg.len = strlen(msg.ptr);
    /* An unclosed string is reported at the end of the text; Graphviz's next
     * line quotes its start ("String starting:\"auki]"), which is where the
     * editor has to look. */
    const char *start = strstr(gv_msgs, "\nString starting:");
    if (start) {
        start += strlen("\nString starting:");
        char *quoted = xstrndup(start, strcspn(start, "\n"));
        int from = *quoted ? text_line(src, len, quoted, false) : 0;
        if (from)
            at = from;
        free(quoted);
    }
    /* Graphviz's messages start "syntax error near …" or "syntax error
     * scanning a quoted string …": say it once. */
    const char *rest = msg.ptr;
    if (strncmp(rest, "syntax error", 12) == 0)
        diag_error(d, path, at ? line + at - 1 : line, 0, "DOT syntax error%s", rest + 12);
    else
        diag_error(d, path, at ? line + at - 1 : line, 0, "DOT syntax error: %s", rest);
    buf_free(&msg);
}

/* Passes on the parser's warnings, at their lines. */
static void report_parse_warnings(const char *path, int line, diag_list *d)
{
    buf_t w = BUF_INIT;
    for (size_t i = 0; gv_message("Warning: ", i, true, &w); i++, buf_clear(&w)) {
        int at = take_line_number(w.ptr);
        diag_warning(d, path, at ? line + at - 1 : line, 0, "DOT: %s", w.ptr);
    }
    buf_free(&w);
}

/* Parses dot into a graph, or reports why not. cgraph's scanner keeps what it
 * has read past a graph for the next agread, even from another channel (its
 * source says: "There is a hole here, because switching channels requires
 * pushing back whatever was previously read"): without draining, the rest of
 * this block (a second graph, or stray text) would be parsed as the start of
 * the next diagram. So the rest of the block is read here too, to its end. */
static Agraph_t *parse_dot(graph_ctx *ctx, const char *dot, size_t len, const char *path, int line,
                           diag_list *d)
{
    gv_reset();
    mem_reader r = {.p = dot, .end = dot + len};
    agsetfile(NULL); /* the line count, else it runs on from the last text after an error */
    Agraph_t *ag = agread(&r, &ctx->disc);
    report_parse_warnings(path, line, d);
    bool failed = !ag || gv_failed();
    if (failed)
        report_syntax_error(dot, len, path, line, d);
    gv_reset();
    Agraph_t *more;
    bool extra = false;
    while ((more = agread(&r, &ctx->disc)) != NULL) {
        agclose(more);
        extra = true;
    }
    if (!failed) {
        report_parse_warnings(path, line, d);
        if (gv_failed()) {
            report_syntax_error(dot, len, path, line, d);
            failed = true;
        } else if (extra) {
            diag_warning(d, path, line, 0, "DOT: only the first graph of the block is drawn");
        }
    }
    if (failed && ag) {
        agclose(ag);
        ag = NULL;
    }
    return ag;
}

bool graph_render_dot(graph_ctx *ctx, const char *id, const char *dot, size_t len,
                      const char *title, const char *desc, buf_t *svg, const char *path, int line,
                      diag_list *d)
{
    Agraph_t *ag = parse_dot(ctx, dot, len, path, line, d);
    if (!ag)
        return false;
    vet_state vs = {.src = dot, .len = len, .path = path, .line = line, .d = d, .warned = strmap_new(),
                    .ok = true};
    bool ok = vet_dot(&vs, ag);
    strmap_free(vs.warned);
    if (ok) {
        agsafeset(ag, "id", (char *)id, "");
        ok = render_ag(ctx, ag, id, title, desc, svg, path, line, d);
    }
    agclose(ag);
    return ok;
}

/* }====== */
