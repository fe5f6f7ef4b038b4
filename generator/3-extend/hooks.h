/* hooks: Lua 5.4 hook scripts (layouts/hooks/ *.lua), run once per build in
 * file-name order after the model is resolved and before pages are
 * rendered, in one sandboxed state: only the base (without dofile,
 * loadfile, binary chunks or collectgarbage), string (without dump), table,
 * math and utf8 libraries; an instruction budget and a memory cap. The
 * scripts see the site through one read-only `kasikirja` table and change
 * it only through its functions. */
#ifndef KK_HOOKS_H
#define KK_HOOKS_H

#include <stdbool.h>
#include <stddef.h>

#include "../0-base/diag.h"
#include "../0-base/value.h"
#include "../1-load/source.h"
#include "../2-model/i18n.h"

/* Limits for one build's hooks together. */
#define HOOKS_MAX_INSTRUCTIONS 200000000L /* about a few seconds of Lua */
#define HOOKS_MAX_MEMORY (256u * 1024u * 1024u)

typedef struct hooks hooks;

/* What the build does for the scripts; each returns false (or NULL) with a
 * message in *err (malloc'd) that is reported at the calling line. */
typedef struct {
    void *ud;
    /* kasikirja.page{path=, title=, layout=, markdown= | html=, data=}: spec is that table as a map. */
    bool (*add_page)(void *ud, const val *spec, src_pos where, char **err);
    /* kasikirja.file{path=, content=}: a non-HTML output inside the output folder. */
    bool (*add_file)(void *ud, const char *path, const char *content, size_t len, src_pos where,
                     char **err);
    /* kasikirja.xlsx{path=, sheets={{name=, columns=, rows=, widths=}, …}}: an Excel workbook
     * inside the output folder; spec is that table as a map. */
    bool (*add_xlsx)(void *ud, const val *spec, src_pos where, char **err);
    /* kasikirja.markdown(text): HTML (malloc'd). */
    char *(*markdown)(void *ud, const char *text, char **err);
    /* kasikirja.url(path): the URL of a site path, from any page (malloc'd). */
    char *(*url)(void *ud, const char *path, char **err);
    /* kasikirja.diagram{…}: a diagram definition as a map; the figure HTML (malloc'd). */
    char *(*diagram)(void *ud, const val *spec, src_pos where, char **err);
    /* kasikirja.pages when hooks_new was given none: made when a script first reads it
     * (most sites' scripts never do, and a view of every page costs memory), owned by the hooks. */
    val *(*pages)(void *ud);
    /* kasikirja.data_lang(code): the model's data in the site's language code
     * (borrowed; it must outlive the hooks), NULL for a language the site lacks. */
    const val *(*data_lang)(void *ud, const char *code);
    /* kasikirja.languages: the site's language codes, the default first (a
     * list of texts, borrowed; it must outlive the hooks). */
    const val *(*languages)(void *ud);
    /* kasikirja.text(key, lang): the interface texts of the site's language
     * i (an index of languages; borrowed, outliving the hooks). */
    const i18n *(*catalog)(void *ud, size_t i);
} hooks_api;

/* Finds the scripts of src and prepares the state with the read-only views:
 * kasikirja.config (site_data), kasikirja.pages (pages: a list of maps with
 * title, url, path, params), kasikirja.data (model_data, may be NULL),
 * kasikirja.languages (api->languages; without it an empty list) and the
 * English aliases kasikirja.parties, groups, roles, forums, laws,
 * obligations, documents, events, milestones, glossary, models, tables.
 * All borrowed; they must outlive the hooks. Free with hooks_free. */
hooks *hooks_new(const src_tree *src, const val *site_data, const val *pages, const val *model_data,
                 const hooks_api *api, diag_list *d);
void hooks_free(hooks *h);

/* How many scripts there are. */
size_t hooks_count(const hooks *h);

/* Runs every script once, in file-name order. A Lua error (syntax or
 * runtime, the budget or the memory cap) is reported as
 * "layouts/hooks/x.lua:12: error: <message>" with the traceback after it;
 * returns false then. */
bool hooks_run(hooks *h, diag_list *d);

/* Calls every kasikirja.on_page(function(page) … end) filter with a table of
 * page (a map: title, url, path, params); the fields the filters set on it
 * come back as a map (caller frees), NULL when they set none or there are
 * no filters. Errors as in hooks_run (the result is then NULL). */
val *hooks_filter_page(hooks *h, const val *page, diag_list *d);

/* The lambdas registered with kasikirja.lambda(name, function(text) … end),
 * as a map of name -> VAL_FUNC for layout contexts (borrowed; valid while
 * h lives). A lambda's error is reported where the layout calls it. */
const val *hooks_lambdas(const hooks *h);

/* Compiles a Lua expression that yields a function into a lambda value
 * (caller frees; valid while h lives); NULL with an error in d. For tests
 * and the Mustache spec runner. */
val *hooks_compile_lambda(hooks *h, const char *lua_source, diag_list *d);

#endif
