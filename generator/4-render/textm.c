/* textm: widths of text in the shipped font, measured with pango in a private fontconfig. */
#include "textm.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangoft2.h>
#include <pango/pangofc-fontmap.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../0-base/hash.h"
#include "../0-base/xmem.h"

struct textm {
    FcConfig *fc;
    PangoFontMap *map;
    PangoContext *pc;
    PangoLayout *layout;
    PangoFontDescription *desc;
    bool has_bold;
    int mem_fd[2]; /* memory files of built-in fonts (-1: none), closed last */
};

/* No hinting and no rounding: widths as a browser's layout adds them up,
 * not as a screen at 96 dpi would snap them. */
static void unhinted(FcPattern *pattern, gpointer data)
{
    (void)data;
    FcPatternDel(pattern, FC_HINTING);
    FcPatternAddBool(pattern, FC_HINTING, FcFalse);
    FcPatternDel(pattern, FC_HINT_STYLE);
    FcPatternAddInteger(pattern, FC_HINT_STYLE, FC_HINT_NONE);
}

textm *textm_new(const char *regular, const char *bold)
{
    if (!regular)
        return NULL;
    FcConfig *fc = FcConfigCreate();
    if (!fc)
        return NULL;
    if (!FcConfigAppFontAddFile(fc, (const FcChar8 *)regular)) {
        FcConfigDestroy(fc);
        return NULL;
    }
    textm *tm = xcalloc(1, sizeof *tm);
    tm->mem_fd[0] = tm->mem_fd[1] = -1;
    tm->fc = fc;
    tm->has_bold = bold && FcConfigAppFontAddFile(fc, (const FcChar8 *)bold);
    tm->map = pango_ft2_font_map_new();
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(tm->map), fc);
    pango_ft2_font_map_set_resolution(PANGO_FT2_FONT_MAP(tm->map), 72.0, 72.0);
    pango_fc_font_map_set_default_substitute(PANGO_FC_FONT_MAP(tm->map), unhinted, NULL, NULL);
    tm->pc = pango_font_map_create_context(tm->map);
    pango_context_set_round_glyph_positions(tm->pc, FALSE);
    tm->layout = pango_layout_new(tm->pc);
    tm->desc = pango_font_description_new();
    pango_font_description_set_family(tm->desc, TEXTM_FAMILY);
    return tm;
}

void textm_free(textm *tm)
{
    if (!tm)
        return;
    pango_font_description_free(tm->desc);
    g_object_unref(tm->layout);
    g_object_unref(tm->pc);
    /* Pango 1.50 keeps its reference to the configuration past the map's
     * end unless it is told to let go. */
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(tm->map), NULL);
    g_object_unref(tm->map);
    FcConfigDestroy(tm->fc);
    for (int i = 0; i < 2; i++)
        if (tm->mem_fd[i] >= 0)
            close(tm->mem_fd[i]);
    free(tm);
}

/* The static file at path in src (borrowed), or NULL; whether any static
 * file lies under TEXTM_DIR goes to *folder. */
static const src_file *static_file(const src_tree *src, const char *path, bool *folder)
{
    const src_file *hit = NULL;
    for (size_t i = 0; i < src_count(src, SRC_STATIC); i++) {
        const src_file *f = src_at(src, SRC_STATIC, i);
        if (strncmp(f->path, TEXTM_DIR, strlen(TEXTM_DIR)) == 0)
            *folder = true;
        if (strcmp(f->path, path) == 0)
            hit = f;
    }
    return hit;
}

/* A name fontconfig and FreeType can open f by (caller frees), or NULL. A
 * built-in font is only in the binary's memory, and both libraries open
 * fonts by file name (FreeType again whenever it needs a glyph): it is
 * handed to them as an anonymous memory file, kept open in *fd for as long
 * as the measurer lives. Nothing is written to the file system. */
static char *font_name(const src_file *f, int *fd)
{
    *fd = -1;
    if (!f)
        return NULL;
    if (f->abs_path)
        return xstrdup(f->abs_path);
    int m = memfd_create("kasikirja-font", MFD_CLOEXEC);
    if (m < 0)
        return NULL;
    size_t done = 0;
    while (done < f->len) {
        ssize_t n = write(m, f->data + done, f->len - done);
        if (n <= 0) {
            close(m);
            return NULL;
        }
        done += (size_t)n;
    }
    *fd = m;
    return xasprintf("/proc/self/fd/%d", m);
}

textm *textm_open_site(const src_tree *src, diag_list *d)
{
    bool folder = false;
    const src_file *regular = static_file(src, TEXTM_REGULAR, &folder);
    const src_file *bold = static_file(src, TEXTM_BOLD, &folder);
    if (!folder)
        return NULL;
    int fd[2];
    char *names[2] = {font_name(regular, &fd[0]), font_name(bold, &fd[1])};
    textm *tm = names[0] ? textm_new(names[0], names[1]) : NULL;
    for (int i = 0; i < 2; i++) {
        if (tm)
            tm->mem_fd[i] = fd[i];
        else if (fd[i] >= 0)
            close(fd[i]);
        free(names[i]);
    }
    const char *bad = !tm ? TEXTM_REGULAR : !tm->has_bold ? TEXTM_BOLD : NULL;
    if (bad)
        diag_warning(d, bad, 0, 0, "the shipped font file is missing or unreadable (run `make fonts`); %s",
                     !tm ? "diagrams measure their text with built-in metrics"
                         : "bold text is measured in the regular face");
    return tm;
}

/* The layout holding text at px in the face asked for. */
static PangoLayout *set_text(const textm *tm, const char *text, double px, bool bold)
{
    pango_font_description_set_weight(tm->desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    /* At 72 dpi a point is a pixel; absolute size keeps it so whatever the resolution. */
    pango_font_description_set_absolute_size(tm->desc, px * PANGO_SCALE);
    pango_layout_set_font_description(tm->layout, tm->desc);
    pango_layout_set_text(tm->layout, text, -1);
    return tm->layout;
}

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

double textm_width(const textm *tm, const char *text, double px, bool bold)
{
    if (!tm)
        return (double)code_points(text) * px * (bold ? 0.6 : 0.56);
    PangoRectangle logical;
    pango_layout_get_extents(set_text(tm, text, px, bold), NULL, &logical);
    return (double)logical.width / PANGO_SCALE;
}

size_t textm_missing(const textm *tm, const char *text, bool bold)
{
    if (!tm)
        return 0;
    return (size_t)pango_layout_get_unknown_glyphs_count(set_text(tm, text, 100.0, bold));
}

uint64_t textm_fingerprint(const textm *tm)
{
    if (!tm)
        return 0;
    static const char probe[] = "Hyvinvointialueen yhteistyöryhmä – ÅÄÖ åäö šž € § 0123456789 WAVAy";
    uint64_t h = hash_str(HASH_SEED, TEXTM_FAMILY);
    for (int bold = 0; bold < 2; bold++) {
        PangoRectangle ink, logical;
        pango_layout_get_extents(set_text(tm, probe, 1000.0, bold), &ink, &logical);
        int v[] = {ink.x, ink.y, ink.width, ink.height, logical.width, logical.height,
                   pango_layout_get_baseline(tm->layout)};
        h = hash_bytes(h, v, sizeof v);
    }
    return h;
}
