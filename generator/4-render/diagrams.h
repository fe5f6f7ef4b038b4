/* diagrams: every diagram of a build — the definitions in diagrams/ *.yaml,
 * the charts made for entity pages (a party's forums, a model's structure,
 * a comparison), and the ```dot blocks of pages — drawn once, before the
 * pages are rendered, each with a text equivalent made from the same data.
 * Graphviz work happens only in diagrams_render (one thread); pages then
 * only look diagrams up. */
#ifndef KK_DIAGRAMS_H
#define KK_DIAGRAMS_H

#include <stdbool.h>
#include <stddef.h>

#include "../0-base/diag.h"
#include "../1-load/source.h"
#include "../2-model/site.h"
#include "graph.h"

typedef struct diagrams diagrams;

/* Loads and checks the definitions of src against the model (NULL when the
 * site has none; definitions then are errors); an id not found is reported
 * unless model_may_define. Captions without a text in one of the site's
 * languages are counted in m (model_untranslated). Free with diagrams_free. */
diagrams *diagrams_new(const src_tree *src, model *m, diag_list *d);
void diagrams_free(diagrams *dg);

/* Draws everything: the definitions (once per language of s), one chart
 * per party, model and comparison page of s, and every ```dot block of its
 * pages (a ```kaavio block naming an unknown diagram is an error at its
 * line), each page's in its language. Links inside diagrams start from the
 * site's base path, so a diagram works on any page. */
void diagrams_render(diagrams *dg, graph_ctx *gx, const site *s, diag_list *d);

/* Draws one diagram from a definition given as a map (a hook's
 * kasikirja.diagram{…}); returns its figure HTML (caller frees) or NULL
 * after errors in d. Its id must not be taken. */
char *diagrams_draw(diagrams *dg, graph_ctx *gx, const site *s, const val *spec, diag_list *d);

/* How many diagrams were drawn. */
size_t diagrams_count(const diagrams *dg);

/* Each chart alone, to be written as a file as it is: file i's path in the
 * output (kaaviot/<id>.svg, a standalone SVG document the figure links to)
 * and its bytes in *data, *len; i < diagrams_file_count (0 for NULL).
 * Borrowed; valid until dg is freed. */
size_t diagrams_file_count(const diagrams *dg);
const char *diagrams_file_at(const diagrams *dg, size_t i, const char **data, size_t *len);

/* The HTML (a <figure> with the SVG and its text equivalent) of a defined
 * diagram, of the automatic chart of the page at url, or of block i of the
 * page at src_path; NULL when there is none. Borrowed. */
const char *diagrams_by_id(const diagrams *dg, const char *id);
/* A defined diagram drawn in language lang (a code of the site's languages
 * other than the default, e.g. "sv": labels, legends and its text from that
 * language's catalog and texts, links to that language's pages when they
 * exist, its picture at sv/kaaviot/<id>.svg); NULL lang: diagrams_by_id.
 * The automatic chart of a page in another language is diagrams_for_page
 * with its URL ("sv/toimijat/x/"), a ```dot block's diagrams_block with
 * the page's own file: they are drawn in the page's language. Borrowed. */
const char *diagrams_by_id_in(const diagrams *dg, const char *id, const char *lang);
const char *diagrams_for_page(const diagrams *dg, const char *url);
const char *diagrams_block(const diagrams *dg, const char *src_path, size_t i);
/* The file that defines diagram id ("diagrams/x.yaml"; borrowed), NULL when
 * there is no such diagram. */
const char *diagrams_def_file(const diagrams *dg, const char *id);

/* text (NULL: "") with line breaks ('\n') so that no line holds more than
 * width characters (UTF-8 characters, not bytes; width at least 2): lines
 * break between words, and only a word longer than width is cut, into
 * pieces of width - 1 characters each ending with '-' (never inside a
 * character, an emoji sequence or before a combining mark). Runs of spaces
 * and line breaks become one space. Caller frees. */
char *diagrams_wrap(const char *text, size_t width);

/* The contrast ratio of "#rrggbb" against white (WCAG 2.1 relative
 * luminance); 0 for a malformed colour. */
double diagrams_contrast(const char *hex);

/* The JSON Schema (draft-07) of a diagram definition (diagrams/<id>.yaml),
 * made from the key table that validates one. Caller frees. */
val *diagrams_schema(void);

#endif
