/* mustache: kasikirja's own Mustache engine (the official spec: core, inheritance,
 * dynamic names and lambdas — VAL_FUNC values). Templates are parsed once into
 * node trees by mustache_lib_add; mustache_render only walks them (and parses
 * what lambdas return into templates of its own). */
#ifndef KK_MUSTACHE_H
#define KK_MUSTACHE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "../0-base/buf.h"
#include "../0-base/diag.h"
#include "../0-base/posmap.h"
#include "../0-base/value.h"

/* A set of named, parsed templates: layouts, partials and parents share one
 * namespace, as the spec wants. */
typedef struct mustache_lib mustache_lib;

/* A new empty library; free with mustache_lib_free. */
mustache_lib *mustache_lib_new(void);
/* Frees the library and every template in it; NULL is a no-op. */
void mustache_lib_free(mustache_lib *lib);

/* Parses src[0..len) as template `name` (src and name are copied). path
 * (borrowed, copied; NULL means "use name") is the file named in diagnostics.
 * Returns false after adding an error at path:line:col to d, e.g.
 *   "layouts/page.mustache:12:3: error: unclosed section 'items' (add {{/items}})",
 *   "...: error: unexpected closing tag {{/x}} (the open section is 'y')",
 *   "...: error: unclosed tag (expected '}}')", or a bad set-delimiter tag;
 * the library is then unchanged. On success it replaces an existing template
 * of the same name. Not to be called while another thread renders. */
bool mustache_lib_add(mustache_lib *lib, const char *name, const char *src, size_t len,
                      const char *path, diag_list *d);

/* Whether a template of that name has been added. */
bool mustache_lib_has(const mustache_lib *lib, const char *name);

/* Checks that every static partial {{>x}} and parent {{<x}} names a template
 * in lib; each unknown one is an error at its tag, e.g.
 *   "layouts/page.mustache:3:5: error: unknown partial 'heder' (did you mean 'header'?)".
 * Dynamic names ({{>*x}}) are left to render time. A name whose template was added
 * but did not parse is not reported again (mustache_lib_add reported it). Returns
 * true when every name resolves or names such a template. */
bool mustache_lib_check(const mustache_lib *lib, diag_list *d);

/* What rendering template `name` reads of the library: returns a
 * fingerprint of the text of every template it can reach through partials
 * and parents (all templates when it uses a dynamic name), and sets
 * *uses_root (may be NULL) when any tag of those templates names a value
 * whose first part is root_name ("data" for {{#data}}, {{data.x}}).
 * An unknown name gives the fingerprint of nothing. */
uint64_t mustache_lib_deps(const mustache_lib *lib, const char *name, const char *root_name,
                           bool *uses_root);

/* Renders template `name` against ctx (borrowed; NULL renders as an empty
 * context), appending to out. Does not modify lib, so threads may render from
 * one shared library at once (each with its own out and d). A partial or
 * parent that is not in lib renders empty, as the spec says (use
 * mustache_lib_check to catch those).
 * A lambda (VAL_FUNC) is called each time its tag renders: {{x}} with raw
 * NULL, its text parsed with the default delimiters and HTML-escaped (not for
 * {{{x}}}/{{&x}}); {{#x}}…{{/x}} with the section's raw body, its text parsed
 * with the delimiters in effect; {{^x}} renders nothing. Either text renders
 * against the current context stack.
 * Returns false with an error in d when `name` is unknown, when
 * partials/parents nest deeper than 100 levels ("layouts/x.mustache:L:C:
 * error: partials nest deeper than 100 levels (does a layout include
 * itself?)", at the tag that closes the cycle: the first partial or parent
 * tag, from the outside in, that names a template already being rendered; at
 * the tag that went too deep when there is no cycle), when a lambda reports
 * an error ("layouts/x.mustache:L:C: error: <its message>"), when a lambda's
 * text does not parse ("...: error: in the text lambda 'x' returned, at
 * 1:7: unclosed tag (expected '}}')") or lambdas nest deeper than 100 levels.
 * Errors inside a lambda's text are reported at the lambda's tag. out then
 * holds what was rendered before the error. */
bool mustache_render(const mustache_lib *lib, const char *name, const val *ctx, buf_t *out,
                     diag_list *d);

/* As mustache_render, and notes in map (NULL: none; see posmap.h) where each
 * byte of the output comes from: output offsets count from out->len at the
 * call, source offsets point into template `name` as given to
 * mustache_lib_add. Text of that template maps byte for byte (a line that
 * a section repeats, to that line each time; a block argument it gives a
 * parent, where it is written); a value substituted for a tag,
 * and everything a partial, parent or lambda renders, to the tag in `name`
 * that led to it. The caller finishes the map with pos_map_finish. */
bool mustache_render_map(const mustache_lib *lib, const char *name, const val *ctx, buf_t *out,
                         pos_map *map, diag_list *d);

#endif
