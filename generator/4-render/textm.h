/* textm: text metrics in the shipped font. Widths of UTF-8 text measured
 * with pango (pangoft2) in a private fontconfig configuration that sees only
 * the font files given, so that a measurement never depends on the fonts of
 * the build machine. Graphviz measures with it too (graph.c's text layout
 * engine). Not thread-safe: one textm from one thread, like the Graphviz
 * context it goes with. */
#ifndef KK_TEXTM_H
#define KK_TEXTM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../0-base/diag.h"
#include "../1-load/source.h"

typedef struct textm textm;

/* The family name the shipped font files carry (tools/fontti.py sets it). */
#define TEXTM_FAMILY "Kasikirja Sans"

/* A measurer over the font files regular and bold (absolute paths; WOFF2 or
 * TrueType). NULL when fontconfig cannot read regular (bold may be NULL or
 * unreadable: bold text is then measured in the regular face, as a browser
 * without the bold file would draw it). Caller frees with textm_free. */
textm *textm_new(const char *regular, const char *bold);
void textm_free(textm *tm);

/* The theme's folder of the shipped font, and its files (made by `make fonts`). */
#define TEXTM_DIR "layouts/static/fontit/"
#define TEXTM_REGULAR TEXTM_DIR "kasikirja-sans.ttf"
#define TEXTM_BOLD TEXTM_DIR "kasikirja-sans-bold.ttf"

/* The site's shipped font: a measurer over the static files TEXTM_REGULAR
 * and TEXTM_BOLD of src. NULL without a word when the site has no file under
 * TEXTM_DIR (it ships no font); NULL with a warning naming the file when the
 * folder is there but a font file is missing or unreadable (text is then
 * measured with built-in metrics). Caller frees with textm_free. */
textm *textm_open_site(const src_tree *src, diag_list *d);

/* The width in CSS px of text at px pixels, in the bold or the regular face,
 * kerned and unhinted as a browser lays it out. With tm NULL (no shipped
 * font): an estimate of 0.56 em per character (0.6 in bold), the average of
 * Arial-like fonts over Finnish text. */
double textm_width(const textm *tm, const char *text, double px, bool bold);

/* Characters of text the font has no glyph for (0 with tm NULL). */
size_t textm_missing(const textm *tm, const char *text, bool bold);

/* A fingerprint of the font as text layout sees it (the widths and heights
 * of a probe text in both faces): a cache keyed with it misses when the font
 * changes. 0 with tm NULL. */
uint64_t textm_fingerprint(const textm *tm);


#endif
