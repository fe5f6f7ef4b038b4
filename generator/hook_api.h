/* hook_api: what the Lua hooks may do to the build (kasikirja.page, .file,
 * .xlsx, .markdown, .url, .diagram, .text), the pages and the site's
 * languages as the hooks see them, and the run of the hooks with their page
 * filters. It joins the extend stage to the
 * model, rendering (Markdown, diagrams) and the writer's path rules, so by
 * the one-way rule of the stages it sits beside the driver, not in extend/. */
#ifndef KK_HOOK_API_H
#define KK_HOOK_API_H

#include <stddef.h>

#include "0-base/diag.h"
#include "3-extend/hooks.h"
#include "2-model/site.h"
#include "4-render/diagrams.h"
#include "4-render/graph.h"
#include "5-write/xlsx.h"

/* The hooks' API context: the site they add pages to, the diagrams they may
 * draw (with gx, NULL once Graphviz is closed) and the files they wrote.
 * Free with hook_env_free. */
typedef struct hook_env hook_env;
hook_env *hook_env_new(site *s, diagrams *dg, graph_ctx *gx, diag_list *d);
void hook_env_free(hook_env *he);

/* The callbacks for hooks_new; he is their user data (borrowed). */
hooks_api hook_api_of(hook_env *he);

/* Graphviz is closed: kasikirja.diagram draws nothing from now on. */
void hook_env_drop_graph(hook_env *he);
/* The diagnostics list goes back to its owner: nothing is reported after. */
void hook_env_drop_diag(hook_env *he);

/* The files the hooks wrote (kasikirja.file, kasikirja.xlsx), in order: the
 * path, and either the bytes (content, len) or, for a workbook, *book with
 * *content NULL (the writer makes its bytes with xlsx_render); all borrowed
 * until he is freed. */
size_t hook_env_file_count(const hook_env *he);
const char *hook_env_file_at(const hook_env *he, size_t i, const char **content, size_t *len,
                             const xlsx_book **book);

/* The pages as the hooks see them (title, url, path, layout, params); caller frees. */
val *hook_api_pages_view(const site *s);

/* Runs the hooks, then their page filters; false after an error. */
bool hook_api_run(hooks *h, site *s, diag_list *d);

#endif
