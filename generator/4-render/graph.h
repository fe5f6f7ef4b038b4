/* graph: the one module that touches Graphviz. Builds graphs with cgraph,
 * lays them out and renders SVG in-process with gvc (never by running `dot`),
 * post-processes the SVG for embedding (no XML prolog, ids prefixed by the
 * diagram id, role="img" with <title>/<desc> and aria-labelledby), and keeps
 * a cache keyed by a hash of the DOT text and the Graphviz version.
 * Graphviz is not thread-safe: use one graph_ctx from one thread only. */
#ifndef KK_GRAPH_H
#define KK_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../0-base/buf.h"
#include "../0-base/diag.h"
#include "textm.h"

typedef struct graph_ctx graph_ctx;
typedef struct graph graph;
typedef struct graph_cluster graph_cluster;

/* Where laid-out SVG is kept between builds, as graph sees it (graph does
 * no file I/O): lookup appends the SVG cached under key to svg and returns
 * true, false on a miss; store (NULL: nothing is kept, as in `check`) hands
 * a new entry back. ud is theirs. */
typedef struct {
    void *ud;
    bool (*lookup)(void *ud, uint64_t key, buf_t *svg);
    void (*store)(void *ud, uint64_t key, const char *svg, size_t len);
} graph_cache;

/* A Graphviz context. cache (copied; NULL: no cache) keeps laid-out SVG by
 * a hash of the DOT text and the Graphviz version. tm (borrowed; must outlive the
 * context) is the shipped font: Graphviz then sizes every text by its width
 * in that font (our own text layout engine); NULL: Graphviz's built-in
 * Arial metrics. Only one context with a font may live at a time. Free with
 * graph_ctx_free. */
graph_ctx *graph_ctx_new(const graph_cache *cache, const textm *tm);
void graph_ctx_free(graph_ctx *ctx);
/* Counters since graph_ctx_new: layouts actually run, and cache hits. */
size_t graph_ctx_layouts(const graph_ctx *ctx);
size_t graph_ctx_cache_hits(const graph_ctx *ctx);
/* The font measurer given to graph_ctx_new (NULL for ctx NULL or none). */
const textm *graph_ctx_textm(const graph_ctx *ctx);
/* The language of what is drawn next (NULL: the site's default): part of
 * the cache key, so that drawings in two languages never share an entry
 * even where their DOT text is the same. */
void graph_ctx_set_lang(graph_ctx *ctx, const char *lang);
/* The fontname for g's text: the shipped font's family with a generic
 * fallback, or "Helvetica,Arial,sans-serif" (whose widths Graphviz's
 * built-in metrics know) when its context has no shipped font. Static. */
const char *graph_fontname(const graph *g);

/* A new directed graph named id (also its Graphviz `id`, so that the ids in
 * its SVG are unique on a page). Free with graph_free (or it is freed by
 * graph_render). Attribute lists are name/value pairs ending with NULL:
 *   graph_node(g, NULL, "siun-sote", "label", "Siun sote", "URL", "../x/", NULL);
 * Values are plain text: the module escapes them for DOT (backslashes too, so
 * a label cannot smuggle \N or \G escapes); URL/href values that are not
 * safe (javascript:, data:, …) are dropped. */
graph *graph_new(graph_ctx *ctx, const char *id);
void graph_free(graph *g);
void graph_attrs(graph *g, ...);                 /* graph attributes: rankdir, label, … */
void graph_node_defaults(graph *g, ...);         /* defaults for every node */
void graph_edge_defaults(graph *g, ...);         /* defaults for every edge */
/* A cluster (subgraph "cluster_<name>") with its attributes. Borrowed; lives with g. */
graph_cluster *graph_cluster_new(graph *g, const char *name, ...);
/* A plain subgraph (not drawn) named name inside parent (or g when NULL),
 * with its attributes, e.g. "rank", "same" to keep its nodes on one row.
 * Borrowed; lives with g. Nodes added to it belong to parent too. */
graph_cluster *graph_subgraph_new(graph *g, graph_cluster *parent, const char *name, ...);
/* A node in g, or in cluster when not NULL; adding a node twice only sets attributes. */
void graph_node(graph *g, graph_cluster *cluster, const char *name, ...);
/* An edge tail -> head (both must be nodes already); key distinguishes parallel edges. */
void graph_edge(graph *g, const char *tail, const char *head, const char *key, ...);

/* A node's attribute "class" = GRAPH_LANG_CLASS "fi" marks its text as in
 * language fi: its SVG group gets lang="fi" instead of that class. */
#define GRAPH_LANG_CLASS "kieli-"

/* The DOT text of g (deterministic), appended to out. */
void graph_dot(graph *g, buf_t *out);

/* Lays out and renders g as embeddable SVG into svg (appending), then frees
 * g. title and desc (plain text, escaped here) become the SVG's <title> and
 * <desc>. Uses the cache when the DOT text was rendered before. Returns
 * false with an error in d (path, line) when Graphviz fails. */
bool graph_render(graph *g, const char *title, const char *desc, buf_t *svg, const char *path,
                  int line, diag_list *d);

/* Parses DOT text written by an editor (a ```dot block in Markdown), refuses
 * what could read files or run script (image, shapefile, fontpath,
 * imagepath attributes; HTML labels with <IMG>; unsafe URLs are dropped),
 * and renders it like graph_render under the given id. A syntax error is
 * reported at path:(line + the DOT line - 1) with Graphviz's message. */
bool graph_render_dot(graph_ctx *ctx, const char *id, const char *dot, size_t len,
                      const char *title, const char *desc, buf_t *svg, const char *path, int line,
                      diag_list *d);

/* Escapes text for a DOT label value as cgraph will quote it: backslash
 * doubled (newlines become \n). Appends to out. Exposed for tests. */
void graph_label_escape(const char *text, buf_t *out);

#endif
