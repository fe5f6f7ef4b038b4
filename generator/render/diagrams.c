/* diagrams: definitions, views over the model data, and the registry pages read. */
#include "diagrams.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strmap.h"
#include "../base/xmem.h"
#include "../load/yaml_load.h"
#include "../model/schema.h"
#include "escape.h"
#include "wheel.h"

/* {====== Colours ====== */

/* Fills are light, lines dark: text (#1b1b1b) on every fill is above 12:1
 * and every line colour is above 4.5:1 against white (WCAG 2.1 1.4.3 and
 * 1.4.11 ask 4.5:1 and 3:1). Meaning never rests on colour: clusters are
 * labelled with their level, edges differ by line style and legend text. */
static const struct {
    const char *key;
    const char *fill;
    const char *line;
} palette[] = {
    {"poliittinen", "#ece3f5", "#5b3a8c"},          /* line 8.6:1 */
    {"strateginen", "#dcebf8", "#1f5f99"},          /* 6.6:1 */
    {"johto", "#fdebdb", "#8f4400"},                /* 6.9:1 */
    {"operatiivinen", "#e0f1e0", "#2e6b30"},        /* 6.7:1 */
    {"asiantuntijaverkosto", "#f8e3ea", "#8e2a50"}, /* 8.2:1 */
    {"kumppanuus", "#fbf0cc", "#6e5200"},           /* 7.0:1 */
    {"hyvinvointialue", "#e6effa", "#1f5f99"},
    {"kunta", "#e6f4e6", "#2e6b30"},
    {"maakuntaliitto", "#f3e8f9", "#5b3a8c"},
    {"toimielin", "#f2f2f2", "#4d4d4d"},            /* 8.5:1 */
};
static const char *const default_fill = "#f2f2f2", *const default_line = "#4d4d4d";
static const char *const gap_line = "#a4000f"; /* 7.6:1: uncovered obligations */

/* A definition's own line colours (varit: {strateginen: "#1f5f99"}) win;
 * each was checked for 3:1 against white when the definition was loaded. */
static void colours(const val *own, const char *key, const char **fill, const char **line)
{
    *fill = default_fill;
    *line = default_line;
    for (size_t i = 0; key && i < sizeof palette / sizeof palette[0]; i++) {
        if (!strcmp(palette[i].key, key)) {
            *fill = palette[i].fill;
            *line = palette[i].line;
        }
    }
    const char *mine = key && own ? val_get_str(own, key) : NULL;
    if (mine)
        *line = mine;
}

static double channel(int c)
{
    double v = c / 255.0;
    return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

double diagrams_contrast(const char *hex)
{
    unsigned r, g, b;
    if (!hex || strlen(hex) != 7 || hex[0] != '#' || sscanf(hex + 1, "%2x%2x%2x", &r, &g, &b) != 3)
        return 0;
    double l = 0.2126 * channel((int)r) + 0.7152 * channel((int)g) + 0.0722 * channel((int)b);
    return 1.05 / (l + 0.05); /* against white, whose luminance is 1 */
}

/* } */

/* {====== Definitions ====== */

typedef enum { V_STRUCTURE, V_PARTY, V_LEGAL, V_ORG, V_COMPARE, V_WHEEL, V_TIMELINE, V_COUNT } view_t;

static const char *const view_names[] = {
    "rakenne", "toimija", "lakiperusta", "organisaatio", "vertailu", "vuosikello", "aikajana", NULL,
};

typedef struct {
    const char *id;
    const char *title;
    const char *desc;
    view_t view;
    const val *model;  /* data.malli.<id> */
    const val *party;  /* data.toimija.<id> */
    const val *orgs;   /* list of data.toimija refs (we keep the source list) */
    bool by_convener;  /* rakenne: clusters by convener instead of level */
    bool left_right;
    const val *colours; /* varit: level or party kind -> line colour */
    src_pos pos;
} def;

struct diagrams {
    const src_tree *src;
    const model *m;
    const val *data;
    val *files;
    def *defs;
    size_t n_defs;
    strmap *html; /* "id:…", "page:…", "block:…#i" -> char * (freed via owned) */
    char **owned;
    size_t n_owned;
    size_t count;
    /* Each chart alone, as a file of its own (kaaviot/<id>.svg). */
    char **pic_paths, **pic_data;
    size_t *pic_len;
    size_t n_pics;
    strmap *pic_ids;
};

static const char *const def_keys[] = {
    "id", "otsikko", "nakyma", "malli", "toimija", "organisaatiot", "ryhmittely", "suunta", "kuvaus",
    "varit", NULL,
};

/* What a colour may be given for: the forum levels and the party kinds. */
static const char *const colour_keys[] = {
    "poliittinen", "strateginen", "johto", "operatiivinen", "asiantuntijaverkosto", "kumppanuus",
    "hyvinvointialue", "kunta", "maakuntaliitto", "jarjesto", "seurakunta", "oppilaitos", "yritys",
    "viranomainen", "toimielin", NULL,
};

/* varit: every key a level or kind, every value #rrggbb with 3:1 against white. */
static bool check_colours(const val *v, diag_list *d)
{
    src_pos at = val_pos(v);
    if (val_kind_of(v) != VAL_MAP) {
        diag_error(d, at.file, at.line, at.col,
                   "'varit' must map levels or party kinds to colours, e.g. '{strateginen: \"#1f5f99\"}'");
        return false;
    }
    bool ok = schema_known_keys(v, colour_keys, "'varit'", d);
    for (size_t i = 0; i < val_len(v); i++) {
        const char *c = val_as_str(val_at(v, i));
        src_pos p = val_pos(val_at(v, i));
        double ratio = diagrams_contrast(c);
        if (ratio == 0) {
            diag_error(d, p.file, p.line, p.col, "a colour is written '#rrggbb' in quotes, e.g. \"#1f5f99\"");
            ok = false;
        } else if (ratio < 3.0) {
            diag_error(d, p.file, p.line, p.col,
                       "colour %s has contrast %.2f:1 against white; lines and shapes need at least 3:1 "
                       "(WCAG 2.1, 1.4.11): use a darker colour",
                       c, ratio);
            ok = false;
        }
    }
    return ok;
}

/* The entity under data.<map>.<id>, or an error naming the closest id. */
static const val *find_in(const diagrams *dg, const char *map, const char *noun, const val *v,
                          diag_list *d)
{
    const char *id = val_as_str(v);
    const val *all = val_get(dg->data, map);
    const val *e = id ? val_get(all, id) : NULL;
    if (e || (dg->m && model_may_define(dg->m, id)))
        return e;
    src_pos at = val_pos(v);
    size_t n = val_len(all);
    const char **ids = xmalloc((n ? n : 1) * sizeof(char *));
    for (size_t i = 0; i < n; i++)
        ids[i] = val_key_at(all, i);
    const char *hint = id ? diag_suggest(id, ids, n) : NULL;
    char *t = val_to_text(v);
    diag_error(d, at.file, at.line, at.col, "unknown %s '%s'%s%s%s", noun, t, hint ? " (did you mean '" : "",
               hint ? hint : "", hint ? "'?)" : "");
    free(t);
    free(ids);
    return NULL;
}

static bool id_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    return true;
}

/* Reads one definition from its map into *out; false after errors in d. */
static bool parse_def(diagrams *dg, val *root, def *out, diag_list *d)
{
    schema_known_keys(root, def_keys, "a diagram definition", d);
    def df;
    memset(&df, 0, sizeof df);
    df.pos = val_pos(root);
    df.id = schema_text(root, "id", true, "the diagram", d);
    df.title = schema_text(root, "otsikko", true, "the diagram", d);
    df.desc = schema_text(root, "kuvaus", false, "the diagram", d);
    const char *view = schema_text(root, "nakyma", true, "the diagram", d);
    if (df.id && !id_ok(df.id)) {
        src_pos at = val_pos(val_get(root, "id"));
        diag_error(d, at.file, at.line, at.col,
                   "malformed diagram id '%s' (use lower-case letters a-z, digits and '-')", df.id);
        return false;
    }
    if (!df.id || !df.title || !view)
        return false;
    int v = -1;
    for (int i = 0; view_names[i]; i++)
        if (!strcmp(view, view_names[i]))
            v = i;
    if (v < 0) {
        src_pos at = val_pos(val_get(root, "nakyma"));
        const char *hint = diag_suggest(view, view_names, V_COUNT);
        diag_error(d, at.file, at.line, at.col,
                   "unknown view '%s' (views: rakenne, toimija, lakiperusta, organisaatio, vertailu, "
                   "vuosikello, aikajana%s%s%s)",
                   view, hint ? "; did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
        return false;
    }
    df.view = (view_t)v;
    bool ok = true;
    const bool needs_model = df.view == V_STRUCTURE || df.view == V_LEGAL || df.view == V_COMPARE;
    val *mv = val_get(root, "malli");
    if (needs_model && !mv) {
        diag_error(d, df.pos.file, df.pos.line, df.pos.col,
                   "the '%s' view needs 'malli: <model id>'", view_names[df.view]);
        ok = false;
    } else if (mv) {
        ok = (df.model = find_in(dg, "malli", "model", mv, d)) != NULL && ok;
    }
    if (df.view == V_COMPARE && df.model && !val_get(df.model, "vertailu")) {
        src_pos at = val_pos(mv);
        diag_error(d, at.file, at.line, at.col,
                   "model '%s' has no 'edeltaja' to compare with (set it in the model's file)",
                   val_get_str(df.model, "id"));
        ok = false;
    }
    val *pv = val_get(root, "toimija");
    if (df.view == V_PARTY && !pv) {
        diag_error(d, df.pos.file, df.pos.line, df.pos.col, "the 'toimija' view needs 'toimija: <party id>'");
        ok = false;
    } else if (pv) {
        ok = (df.party = find_in(dg, "toimija", "party, group or role", pv, d)) != NULL && ok;
    }
    val *ov = val_get(root, "organisaatiot");
    if (df.view == V_ORG && (!ov || val_kind_of(ov) != VAL_LIST)) {
        diag_error(d, df.pos.file, df.pos.line, df.pos.col,
                   "the 'organisaatio' view needs 'organisaatiot: [<party or group id>, …]'");
        ok = false;
    } else if (ov) {
        for (size_t i = 0; i < val_len(ov); i++)
            ok = find_in(dg, "toimija", "party, group or role", val_at(ov, i), d) && ok;
        df.orgs = ov;
    }
    const char *grouping = schema_text(root, "ryhmittely", false, "the diagram", d);
    if (grouping && strcmp(grouping, "taso") && strcmp(grouping, "kutsuja")) {
        src_pos at = val_pos(val_get(root, "ryhmittely"));
        diag_error(d, at.file, at.line, at.col, "'ryhmittely' cannot be '%s' (use taso or kutsuja)", grouping);
        ok = false;
    }
    df.by_convener = grouping && !strcmp(grouping, "kutsuja");
    const char *dir = schema_text(root, "suunta", false, "the diagram", d);
    if (dir && strcmp(dir, "ylhaalta-alas") && strcmp(dir, "vasemmalta-oikealle")) {
        src_pos at = val_pos(val_get(root, "suunta"));
        diag_error(d, at.file, at.line, at.col,
                   "'suunta' cannot be '%s' (use ylhaalta-alas or vasemmalta-oikealle)", dir);
        ok = false;
    }
    /* Wide charts read better left to right (parties, then forums), so that is
     * the default for the structure view; ylhaalta-alas turns it. */
    df.left_right = dir ? !strcmp(dir, "vasemmalta-oikealle") : df.view == V_STRUCTURE;
    val *cv = val_get(root, "varit");
    if (cv) {
        ok = check_colours(cv, d) && ok;
        df.colours = cv;
    }
    *out = df;
    return ok;
}

static void load_def(diagrams *dg, const src_file *f, diag_list *d)
{
    val *root = yaml_load(f->data, f->len, f->path, 0, d);
    if (!root)
        return;
    val_push(dg->files, root);
    if (val_kind_of(root) != VAL_MAP) {
        src_pos at = val_pos(root);
        diag_error(d, f->path, at.line, at.col, "a diagram definition must be 'key: value' lines (id, otsikko, nakyma, …)");
        return;
    }
    def df;
    if (!parse_def(dg, root, &df, d))
        return;
    for (size_t i = 0; i < dg->n_defs; i++) {
        if (!strcmp(dg->defs[i].id, df.id)) {
            src_pos at = val_pos(val_get(root, "id"));
            diag_error(d, at.file, at.line, at.col, "duplicate diagram id '%s' (first defined in %s)",
                       df.id, dg->defs[i].pos.file);
            return;
        }
    }
    dg->defs = xrealloc(dg->defs, (dg->n_defs + 1) * sizeof(def));
    dg->defs[dg->n_defs++] = df;
}

diagrams *diagrams_new(const src_tree *src, const model *m, diag_list *d)
{
    diagrams *dg = xcalloc(1, sizeof(diagrams));
    dg->src = src;
    dg->m = m;
    const val *data = m ? model_data(m) : NULL;
    dg->data = data;
    dg->files = val_list((src_pos){0});
    dg->html = strmap_new();
    dg->pic_ids = strmap_new();
    for (size_t i = 0; i < src_count(src, SRC_DIAGRAM); i++) {
        const src_file *f = src_at(src, SRC_DIAGRAM, i);
        if (!data) {
            diag_error(d, f->path, 0, 0, "diagrams need the structure data under content/data/");
            continue;
        }
        load_def(dg, f, d);
    }
    return dg;
}

void diagrams_free(diagrams *dg)
{
    if (!dg)
        return;
    for (size_t i = 0; i < dg->n_owned; i++)
        free(dg->owned[i]);
    free(dg->owned);
    free(dg->defs);
    strmap_free(dg->html);
    for (size_t i = 0; i < dg->n_pics; i++) {
        free(dg->pic_paths[i]);
        free(dg->pic_data[i]);
    }
    free(dg->pic_paths);
    free(dg->pic_data);
    free(dg->pic_len);
    strmap_free(dg->pic_ids);
    val_free(dg->files);
    free(dg);
}

/* } */

/* {====== Helpers for views ====== */

typedef struct {
    graph_ctx *gx;
    const char *base; /* the site's base path: links work from any page */
    const val *data;
    diag_list *d;
    const val *colours; /* the drawn definition's own colours, or NULL */
} env_t;

static char *href(const env_t *env, const val *entity)
{
    const char *url = val_get_str(entity, "url");
    return url ? xasprintf("%s%s", env->base, url) : NULL;
}

/* "t:siun-sote", "f:pk-2025/hyte": node names by kind and id. */
static char *node_name(const char *prefix, const val *entity)
{
    return xasprintf("%s:%s", prefix, val_get_str(entity, "id"));
}

static const char *short_name(const val *party)
{
    const char *s = val_get_str(party, "lyhenne");
    return s && *s ? s : val_get_str(party, "nimi");
}

static void party_node(const env_t *env, graph *g, graph_cluster *c, const val *party, bool bold)
{
    char *name = node_name("t", party);
    char *url = href(env, party);
    const char *fill, *line;
    const val *kinds = val_get(party, "laji");
    colours(env->colours, val_as_str(kinds), &fill, &line);
    graph_node(g, c, name, "label", short_name(party), "shape", "box", "style",
               bold ? "filled,bold" : "filled", "fillcolor", fill, "color", line, "penwidth",
               bold ? "2.5" : "1.2", "URL", url ? url : "", "tooltip", val_get_str(party, "nimi"), NULL);
    free(name);
    free(url);
}

static void forum_node(const env_t *env, graph *g, graph_cluster *c, const val *forum, const char *prefix,
                       const char *style, const char *peripheries)
{
    char *name = node_name("f", forum);
    char *url = href(env, forum);
    char *label = xasprintf("%s%s\n%s", prefix ? prefix : "", val_get_str(forum, "nimi"),
                            val_get_str(forum, "tiheys_teksti") ? val_get_str(forum, "tiheys_teksti") : "");
    const char *fill, *line;
    colours(env->colours, val_get_str(forum, "taso"), &fill, &line);
    graph_node(g, c, name, "label", label, "shape", "box", "style", style ? style : "rounded,filled",
               "fillcolor", fill, "color", line, "peripheries", peripheries ? peripheries : "1", "URL",
               url ? url : "", "tooltip", val_get_str(forum, "nimi"), NULL);
    free(name);
    free(url);
    free(label);
}

static void link(buf_t *out, const env_t *env, const val *entity, const char *text)
{
    char *url = href(env, entity);
    if (url) {
        buf_puts(out, "<a href=\"");
        esc_html_str(out, url);
        buf_puts(out, "\">");
    }
    esc_html_str(out, text ? text : val_get_str(entity, "nimi"));
    if (url)
        buf_puts(out, "</a>");
    free(url);
}

static void common_attrs(graph *g, bool left_right)
{
    graph_attrs(g, "rankdir", left_right ? "LR" : "TB", "fontname", "Helvetica,Arial,sans-serif", "fontsize",
                "12", "nodesep", "0.3", "ranksep", "0.5", "bgcolor", "transparent", NULL);
    graph_node_defaults(g, "fontname", "Helvetica,Arial,sans-serif", "fontsize", "11", "fontcolor", "#1b1b1b",
                        NULL);
    graph_edge_defaults(g, "fontname", "Helvetica,Arial,sans-serif", "fontsize", "9", "fontcolor", "#333333",
                        "color", "#4d4d4d", NULL);
}

/* The legend as a cluster of sample nodes, so that it is part of the picture. */
static void legend(graph *g, const char *const *entries)
{
    graph_cluster *c = graph_cluster_new(g, "selite", "label", "Selite", "style", "rounded", "color", "#4d4d4d", NULL);
    for (size_t i = 0; entries[i]; i += 2) {
        char *a = xasprintf("selite%zua", i), *b = xasprintf("selite%zub", i);
        graph_node(g, c, a, "label", "", "shape", "point", "width", "0.05", NULL);
        graph_node(g, c, b, "label", entries[i], "shape", "plaintext", NULL);
        graph_edge(g, a, b, NULL, "style", entries[i + 1], NULL);
        free(a);
        free(b);
    }
}

static const char *const edge_legend[] = {"kutsuu koolle", "solid", "osallistuu", "dashed", NULL};

/* } */

/* {====== Views ====== */

/* Forums of a model grouped by level, their conveners (solid edges) and
 * participants (dashed). */
static graph *view_structure(const env_t *env, const def *df, buf_t *text)
{
    graph *g = graph_new(env->gx, df->id);
    common_attrs(g, df->left_right);
    const val *tasot = val_get(df->model, "tasot");
    buf_puts(text, "<ul>");
    for (size_t t = 0; t < val_len(tasot); t++) {
        const val *taso = val_at(tasot, t);
        const char *fill, *line;
        colours(env->colours, val_get_str(taso, "taso"), &fill, &line);
        char *cname = xasprintf("taso_%s", val_get_str(taso, "taso"));
        graph_cluster *c = df->by_convener ? NULL
                                           : graph_cluster_new(g, cname, "label", val_get_str(taso, "nimi"),
                                                               "style", "rounded", "color", line, "penwidth", "1.5", NULL);
        free(cname);
        buf_puts(text, "<li>");
        esc_html_str(text, val_get_str(taso, "nimi"));
        buf_puts(text, "<ul>");
        const val *fl = val_get(taso, "foorumit");
        for (size_t i = 0; i < val_len(fl); i++) {
            const val *f = val_at(fl, i);
            forum_node(env, g, c, f, NULL, NULL, NULL);
            char *fname = node_name("f", f);
            const val *conv = val_get(f, "kutsuja");
            buf_puts(text, "<li>");
            link(text, env, f, NULL);
            buf_puts(text, ": kutsuu koolle ");
            if (conv) {
                party_node(env, g, NULL, conv, false);
                char *pname = node_name("t", conv);
                graph_edge(g, pname, fname, "kutsuu", "label", "kutsuu koolle", "style", "solid", "penwidth", "1.5", NULL);
                free(pname);
                link(text, env, conv, NULL);
            }
            const val *parts = val_get(f, "osallistujat");
            if (val_len(parts))
                buf_puts(text, "; osallistujat: ");
            for (size_t k = 0; k < val_len(parts); k++) {
                const val *p = val_at(parts, k);
                if (conv && !strcmp(val_get_str(p, "id"), val_get_str(conv, "id")))
                    continue;
                party_node(env, g, NULL, p, false);
                char *pname = node_name("t", p);
                graph_edge(g, pname, fname, "osallistuu", "style", "dashed", "arrowhead", "onormal", NULL);
                free(pname);
                if (k)
                    buf_puts(text, ", ");
                link(text, env, p, NULL);
            }
            buf_printf(text, "; %s", "");
            esc_html_str(text, val_get_str(f, "tiheys_teksti"));
            const val *laws = val_get(f, "lakiperusta");
            for (size_t k = 0; k < val_len(laws); k++) {
                buf_puts(text, k ? ", " : "; lakiperusta ");
                esc_html_str(text, val_get_str(val_at(laws, k), "teksti"));
            }
            buf_puts(text, "</li>");
            free(fname);
        }
        buf_puts(text, "</ul></li>");
    }
    buf_puts(text, "</ul>");
    legend(g, edge_legend);
    return g;
}

/* One party (or group or role) and every forum it convenes or joins. */
static graph *view_party(const env_t *env, const char *id, const val *party, buf_t *text)
{
    graph *g = graph_new(env->gx, id);
    common_attrs(g, true);
    party_node(env, g, NULL, party, true);
    char *pname = node_name("t", party);
    static const struct {
        const char *key, *label, *style;
    } rel[] = {{"kutsuu", "kutsuu koolle", "solid"}, {"osallistuu", "osallistuu", "dashed"}};
    for (size_t r = 0; r < 2; r++) {
        const val *list = val_get(party, rel[r].key);
        buf_printf(text, "<p>%s:</p><ul>", r == 0 ? "Kutsuu koolle" : "Osallistuu");
        for (size_t i = 0; i < val_len(list); i++) {
            const val *f = val_at(list, i);
            char *fname = node_name("f", f);
            const val *model = val_get(f, "malli");
            forum_node(env, g, NULL, f, NULL, NULL, NULL);
            graph_edge(g, pname, fname, rel[r].key, "label", rel[r].label, "style", rel[r].style, NULL);
            buf_puts(text, "<li>");
            link(text, env, f, NULL);
            buf_puts(text, " (");
            esc_html_str(text, val_get_str(model, "nimi"));
            buf_puts(text, ")</li>");
            free(fname);
        }
        if (!val_len(list))
            buf_puts(text, "<li>Ei foorumeita.</li>");
        buf_puts(text, "</ul>");
    }
    free(pname);
    legend(g, edge_legend);
    return g;
}

/* The coverage entry of an obligation for a model (or the model-free one). */
static const val *coverage_for(const val *obl, const val *model)
{
    const val *per = val_get(obl, "mallit");
    for (size_t i = 0; i < val_len(per); i++) {
        const val *e = val_at(per, i);
        const val *m = val_get(e, "malli");
        if (val_kind_of(m) == VAL_NULL || !strcmp(val_get_str(m, "id"), val_get_str(model, "id")))
            return e;
    }
    return NULL;
}

/* Law sections -> obligations -> what fulfils them in a model; unmet duties stand out. */
static graph *view_legal(const env_t *env, const def *df, buf_t *text)
{
    graph *g = graph_new(env->gx, df->id);
    common_attrs(g, df->left_right);
    const val *obls = val_get(env->data, "velvoitteet");
    buf_puts(text, "<ul>");
    for (size_t i = 0; i < val_len(obls); i++) {
        const val *o = val_at(obls, i);
        const val *sec = val_get(o, "pykala");
        const val *cov = coverage_for(o, df->model);
        bool met = cov && val_as_bool(val_get(cov, "taytetty"));
        char *sname = node_name("p", sec), *oname = node_name("v", o);
        char *surl = href(env, sec);
        graph_node(g, NULL, sname, "label", val_get_str(sec, "viite"), "shape", "note", "style", "filled",
                   "fillcolor", "#ffffff", "color", "#4d4d4d", "URL", surl ? surl : "", NULL);
        char *olabel = xasprintf("%s %s\n%s", met ? "✓" : "✗ EI TÄYTY:", val_get_str(o, "viite"),
                                 val_get_str(o, "kuvaus"));
        graph_node(g, NULL, oname, "label", olabel, "shape", "box", "style", met ? "rounded" : "rounded,bold",
                   "color", met ? "#2e6b30" : gap_line, "penwidth", met ? "1.2" : "3", NULL);
        graph_edge(g, sname, oname, NULL, "arrowhead", "none", NULL);
        buf_puts(text, "<li>");
        link(text, env, sec, val_get_str(sec, "viite"));
        buf_printf(text, ": %s ", met ? "✓" : "✗ ei täyty:");
        esc_html_str(text, val_get_str(o, "kuvaus"));
        const val *who = cov ? val_get(cov, "tayttajat") : NULL;
        for (size_t k = 0; k < val_len(who); k++) {
            const val *f = val_at(who, k);
            const char *kind = val_get_str(f, "tyyppi");
            char *fname = node_name(!strcmp(kind, "forum") ? "f" : !strcmp(kind, "document") ? "a" : "t", f);
            if (!strcmp(kind, "forum"))
                forum_node(env, g, NULL, f, NULL, NULL, NULL);
            else
                party_node(env, g, NULL, f, false);
            graph_edge(g, oname, fname, NULL, "label", "täyttää", "dir", "back", NULL);
            buf_puts(text, k ? ", " : " – täyttää: ");
            link(text, env, f, NULL);
            free(fname);
        }
        const val *gaps = cov ? val_get(cov, "puutteet") : NULL;
        for (size_t k = 0; !met && k < val_len(gaps); k++) {
            buf_puts(text, k ? "; " : " – puuttuu: ");
            esc_html_str(text, val_as_str(val_at(gaps, k)));
        }
        buf_puts(text, "</li>");
        free(olabel);
        free(surl);
        free(sname);
        free(oname);
    }
    buf_puts(text, "</ul>");
    static const char *const entries[] = {"pykälä – velvoite", "solid", NULL};
    legend(g, entries);
    return g;
}

/* Organisations side by side with the bodies and roles inside them. */
static graph *view_org(const env_t *env, const def *df, buf_t *text)
{
    graph *g = graph_new(env->gx, df->id);
    common_attrs(g, df->left_right);
    buf_puts(text, "<ul>");
    for (size_t i = 0; i < val_len(df->orgs); i++) {
        const val *org = val_get(val_get(env->data, "toimija"), val_as_str(val_at(df->orgs, i)));
        char *cname = xasprintf("org_%zu", i);
        graph_cluster *c = graph_cluster_new(g, cname, "label", val_get_str(org, "nimi"), "style", "rounded",
                                             "color", "#4d4d4d", NULL);
        free(cname);
        party_node(env, g, c, org, true);
        char *oname = node_name("t", org);
        buf_puts(text, "<li>");
        link(text, env, org, NULL);
        buf_puts(text, "<ul>");
        static const char *const keys[] = {"elimet", "roolit"};
        for (size_t k = 0; k < 2; k++) {
            const val *list = val_get(org, keys[k]);
            for (size_t j = 0; j < val_len(list); j++) {
                const val *e = val_at(list, j);
                char *ename = node_name("t", e);
                char *url = href(env, e);
                graph_node(g, c, ename, "label", val_get_str(e, "nimi"), "shape", k ? "ellipse" : "box",
                           "style", k ? "filled,dashed" : "rounded,filled", "fillcolor", "#ffffff", "color",
                           "#4d4d4d", "URL", url ? url : "", NULL);
                graph_edge(g, oname, ename, NULL, "arrowhead", "none", NULL);
                buf_printf(text, "<li>%s: ", k ? "Rooli" : "Toimielin");
                link(text, env, e, NULL);
                buf_puts(text, "</li>");
                free(ename);
                free(url);
            }
        }
        buf_puts(text, "</ul></li>");
        free(oname);
    }
    buf_puts(text, "</ul>");
    static const char *const entries[] = {"toimielin (laatikko) / rooli (katkoviiva)", "solid", NULL};
    legend(g, entries);
    return g;
}

/* A model against its predecessor: new, changed, removed and unchanged
 * forums told apart by border (bold, double, dotted) and a word in the label. */
static graph *view_compare(const env_t *env, const char *id, const val *cmp, bool left_right, buf_t *text)
{
    graph *g = graph_new(env->gx, id);
    common_attrs(g, left_right);
    static const struct {
        const char *key, *prefix, *style, *peripheries, *title;
    } groups[] = {
        {"lisatyt", "UUSI: ", "rounded,filled,bold", "1", "Uudet"},
        {"muuttuneet", "MUUTTUU: ", "rounded,filled", "2", "Muuttuneet"},
        {"poistetut", "POISTUU: ", "rounded,dotted", "1", "Poistuvat"},
        {"ennallaan", NULL, "rounded,filled", "1", "Ennallaan"},
    };
    for (size_t i = 0; i < 4; i++) {
        const val *list = val_get(cmp, groups[i].key);
        char *cname = xasprintf("ryhma_%s", groups[i].key);
        graph_cluster *c = graph_cluster_new(g, cname, "label", groups[i].title, "style", "rounded", "color",
                                             "#4d4d4d", NULL);
        free(cname);
        buf_printf(text, "<p>%s:</p><ul>", groups[i].title);
        for (size_t k = 0; k < val_len(list); k++) {
            const val *entry = val_at(list, k);
            const val *f = i == 1 ? val_get(entry, "foorumi") : entry;
            forum_node(env, g, c, f, groups[i].prefix, groups[i].style, groups[i].peripheries);
            buf_puts(text, "<li>");
            link(text, env, f, NULL);
            const val *changes = i == 1 ? val_get(entry, "muutokset") : NULL;
            for (size_t j = 0; j < val_len(changes); j++) {
                const val *ch = val_at(changes, j);
                buf_puts(text, j ? "; " : ": ");
                esc_html_str(text, val_get_str(ch, "kentta"));
                buf_puts(text, " ");
                esc_html_str(text, val_get_str(ch, "vanha"));
                buf_puts(text, " → ");
                esc_html_str(text, val_get_str(ch, "uusi"));
            }
            buf_puts(text, "</li>");
        }
        if (!val_len(list))
            buf_puts(text, "<li>Ei yhtään.</li>");
        buf_puts(text, "</ul>");
    }
    graph_attrs(g, "label", "Selite: UUSI = lihava reuna, MUUTTUU = kaksoisreuna, POISTUU = pisteviiva",
                "labelloc", "b", NULL);
    return g;
}

/* } */

/* {====== Registry ====== */

static void keep(diagrams *dg, const char *key, char *html)
{
    dg->owned = xrealloc(dg->owned, (dg->n_owned + 1) * sizeof(char *));
    dg->owned[dg->n_owned++] = html;
    strmap_add(dg->html, key, html);
}

/* The picture with an intrinsic size: an <svg> root that has a viewBox but no
 * width (the wheel and the timeline draw in viewBox units only) gets
 * width and height from its viewBox, so that it keeps its natural size in the
 * page instead of shrinking to the column's width. Anything else is copied. */
static void put_sized(buf_t *b, const buf_t *svg)
{
    const char *s = svg->ptr ? svg->ptr : "";
    const char *end = svg->len > 4 && !strncmp(s, "<svg", 4) ? memchr(s, '>', svg->len) : NULL;
    const char *vb = end ? strstr(s, " viewBox=\"") : NULL;
    double x, y, w, h;
    char *root = end ? xstrndup(s, (size_t)(end - s)) : NULL;
    if (vb && vb < end && !strstr(root, " width=\"") && sscanf(vb + 10, "%lf %lf %lf %lf", &x, &y, &w, &h) == 4 &&
        w > 0 && h > 0) {
        buf_printf(b, "<svg width=\"%g\" height=\"%g\"", w, h);
        buf_put(b, s + 4, svg->len - 4);
    } else {
        buf_put(b, s, svg->len);
    }
    free(root);
}

/* Files the chart alone as kaaviot/<id>.svg: the same SVG as a standalone
 * XML document (its links already start from the site's base path) that
 * takes the site's style sheet, for the fonts and the rules on a chart shown
 * on its own (svg:root). Ids are [a-z0-9-] wherever they are made, so they
 * are safe file names. Two different charts may share an id (a definition
 * and a model page's own chart): a later one gets <id>-2, -3, … (drawing
 * order is fixed, so the name is the same in every build). The file's path
 * relative to the output is returned (borrowed), NULL when there is no picture. */
static const char *file_picture(diagrams *dg, const char *base, const char *id, const buf_t *svg)
{
    if (!svg->len)
        return NULL;
    char *name = xstrdup(id);
    for (unsigned k = 2; strmap_has(dg->pic_ids, name); k++) {
        free(name);
        name = xasprintf("%s-%u", id, k);
    }
    buf_t b = BUF_INIT;
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?xml-stylesheet type=\"text/css\" href=\"");
    esc_html_str(&b, base);
    buf_puts(&b, "tyyli.css\"?>\n");
    put_sized(&b, svg);
    size_t n = dg->n_pics + 1;
    dg->pic_paths = xrealloc(dg->pic_paths, n * sizeof(char *));
    dg->pic_data = xrealloc(dg->pic_data, n * sizeof(char *));
    dg->pic_len = xrealloc(dg->pic_len, n * sizeof(size_t));
    dg->pic_paths[dg->n_pics] = xasprintf("kaaviot/%s.svg", name);
    dg->pic_len[dg->n_pics] = b.len;
    dg->pic_data[dg->n_pics] = buf_detach(&b);
    strmap_add(dg->pic_ids, name, dg->pic_paths[dg->n_pics]);
    free(name);
    return dg->pic_paths[dg->n_pics++];
}

/* <figure> with the picture, its caption, a link to the picture alone and
 * its text equivalent. The picture keeps its natural size in a region that
 * scrolls sideways (focusable, so that the keyboard can scroll it; named by
 * aria-label, not by the caption's id, which booklets prefix). The chart
 * alone is filed under dg for the writer. */
static char *figure(diagrams *dg, const char *base, const char *id, const char *title, const buf_t *svg,
                    const buf_t *text)
{
    buf_t b = BUF_INIT;
    const char *alone = file_picture(dg, base, id, svg);
    buf_printf(&b, "<figure class=\"kaavio\" id=\"kuva-%s\">\n"
                   "<div class=\"kaavio-kuva\" role=\"region\" tabindex=\"0\" aria-label=\"", id);
    esc_html_str(&b, title);
    buf_puts(&b, "\">");
    put_sized(&b, svg);
    buf_puts(&b, "</div>\n<figcaption>");
    esc_html_str(&b, title);
    buf_puts(&b, "</figcaption>\n");
    if (alone) {
        buf_puts(&b, "<p class=\"kaavio-avaa\"><a href=\"");
        esc_html_str(&b, base);
        esc_html_str(&b, alone);
        buf_puts(&b, "\">Avaa kaavio omalle sivulleen</a></p>\n");
    }
    buf_puts(&b, "<details class=\"kaavio-teksti\"><summary>Kaavion sisältö tekstinä</summary>\n");
    buf_put(&b, text->ptr ? text->ptr : "", text->len);
    buf_puts(&b, "\n</details>\n</figure>\n");
    return buf_detach(&b);
}

/* Renders g (freeing it) and files the figure under key. */
static void draw(diagrams *dg, const env_t *env, graph *g, const char *key, const char *id, const char *title,
                 const char *desc, buf_t *text, src_pos pos)
{
    buf_t svg = BUF_INIT;
    if (graph_render(g, title, desc ? desc : title, &svg, pos.file, pos.line, env->d)) {
        keep(dg, key, figure(dg, env->base, id, title, &svg, text));
        dg->count++;
    }
    buf_free(&svg);
}

static void draw_def(diagrams *dg, const env_t *base_env, const def *df)
{
    env_t own = *base_env;
    own.colours = df->colours;
    const env_t *env = &own;
    buf_t text = BUF_INIT, svg = BUF_INIT;
    char *key = xasprintf("id:%s", df->id);
    graph *g = NULL;
    switch (df->view) {
    case V_STRUCTURE: g = view_structure(env, df, &text); break;
    case V_PARTY: g = view_party(env, df->id, df->party, &text); break;
    case V_LEGAL: g = view_legal(env, df, &text); break;
    case V_ORG: g = view_org(env, df, &text); break;
    case V_COMPARE: g = view_compare(env, df->id, val_get(df->model, "vertailu"), df->left_right, &text); break;
    case V_WHEEL:
        wheel_svg(env->data, df->id, df->title, env->base, 0, &svg);
        wheel_table(env->data, env->base, &text);
        break;
    case V_TIMELINE:
        timeline_svg(env->data, df->id, df->title, &svg);
        timeline_list(env->data, &text);
        break;
    default: break;
    }
    if (g) {
        draw(dg, env, g, key, df->id, df->title, df->desc, &text, df->pos);
    } else {
        keep(dg, key, figure(dg, env->base, df->id, df->title, &svg, &text));
        dg->count++;
    }
    free(key);
    buf_free(&text);
    buf_free(&svg);
}

/* The charts entity pages get: a party's forums, a model's structure, a comparison. */
static void draw_auto(diagrams *dg, const env_t *env, const site *s)
{
    for (size_t i = 0; i < site_page_count(s); i++) {
        const page *p = site_page_at(s, i);
        const val *e = page_entity(p);
        const char *type = e ? val_get_str(e, "tyyppi") : NULL;
        if (!e)
            continue;
        buf_t text = BUF_INIT;
        char *key = xasprintf("page:%s", page_url(p));
        const char *eid = val_get_str(e, "id");
        char *id = NULL, *title = NULL;
        graph *g = NULL;
        src_pos pos = val_pos(e);
        if (type && (!strcmp(type, "party") || !strcmp(type, "group") || !strcmp(type, "role")) &&
            (val_len(val_get(e, "kutsuu")) || val_len(val_get(e, "osallistuu")))) {
            id = xasprintf("toimija-%s", eid);
            title = xasprintf("%s: foorumit", val_get_str(e, "nimi"));
            g = view_party(env, id, e, &text);
        } else if (type && !strcmp(type, "model")) {
            def df = {.model = e, .pos = pos, .left_right = true};
            id = xasprintf("rakenne-%s", eid);
            title = xasprintf("%s: yhteistyörakenne", val_get_str(e, "nimi"));
            df.id = id;
            g = view_structure(env, &df, &text);
        } else if (!type && val_get(e, "lisatyt")) { /* a comparison node */
            id = xasprintf("vertailu-%s", eid);
            title = xstrdup(val_get_str(e, "nimi"));
            g = view_compare(env, id, e, false, &text);
        }
        if (g)
            draw(dg, env, g, key, id, title, NULL, &text, pos);
        free(id);
        free(title);
        free(key);
        buf_free(&text);
    }
}

/* ```dot blocks are drawn here; ```kaavio blocks must name a definition. */
static void draw_blocks(diagrams *dg, const env_t *env, const site *s)
{
    size_t n_ids = dg->n_defs;
    const char **ids = xmalloc((n_ids ? n_ids : 1) * sizeof(char *));
    for (size_t i = 0; i < n_ids; i++)
        ids[i] = dg->defs[i].id;
    size_t serial = 0;
    for (size_t i = 0; i < site_page_count(s); i++) {
        const page *p = site_page_at(s, i);
        const md_doc *doc = page_outline(p);
        for (size_t k = 0; doc && k < md_embed_count(doc); k++) {
            const md_embed *e = md_embed_at(doc, k);
            if (!strcmp(e->kind, "kaavio")) {
                bool known = false;
                for (size_t j = 0; j < n_ids && !known; j++)
                    known = !strcmp(ids[j], e->arg);
                const char *hint = known ? NULL : diag_suggest(e->arg, ids, n_ids);
                if (!known)
                    diag_error(env->d, page_src(p), e->line, 1,
                               "unknown diagram '%s' (%s%s%sdiagrams are defined in diagrams/*.yaml)",
                               e->arg, hint ? "did you mean '" : "", hint ? hint : "", hint ? "'? " : "");
                continue;
            }
            char *id = xasprintf("dot-%zu", ++serial);
            char *title = xasprintf("Kaavio: %s", page_title(p));
            buf_t svg = BUF_INIT, text = BUF_INIT;
            if (graph_render_dot(env->gx, id, e->text, strlen(e->text), title, title, &svg, page_src(p), e->line + 1,
                                 env->d)) {
                buf_puts(&text, "<p>Kaavion lähdeteksti:</p><pre>");
                esc_html_str(&text, e->text);
                buf_puts(&text, "</pre>");
                char *key = xasprintf("block:%s#%zu", page_src(p), k);
                keep(dg, key, figure(dg, env->base, id, title, &svg, &text));
                free(key);
                dg->count++;
            }
            buf_free(&svg);
            buf_free(&text);
            free(id);
            free(title);
        }
    }
    free(ids);
}

void diagrams_render(diagrams *dg, graph_ctx *gx, const site *s, diag_list *d)
{
    env_t env = {gx, site_base_path(s), dg->data, d, NULL};
    for (size_t i = 0; dg->data && i < dg->n_defs; i++)
        draw_def(dg, &env, &dg->defs[i]);
    if (dg->data)
        draw_auto(dg, &env, s);
    draw_blocks(dg, &env, s);
}

char *diagrams_draw(diagrams *dg, graph_ctx *gx, const site *s, const val *spec, diag_list *d)
{
    if (!dg->data) {
        src_pos at = val_pos(spec);
        diag_error(d, at.file, at.line, at.col, "diagrams need the structure data under content/data/");
        return NULL;
    }
    /* The definition's strings must live as long as dg: keep a copy. */
    val *own = val_copy(spec);
    val_push(dg->files, own);
    def df;
    size_t errors = diag_errors(d);
    if (!parse_def(dg, own, &df, d) || diag_errors(d) > errors)
        return NULL;
    env_t env = {gx, site_base_path(s), dg->data, d, NULL};
    char *key = xasprintf("id:%s", df.id);
    if (strmap_has(dg->html, key)) {
        src_pos at = val_pos(spec);
        diag_error(d, at.file, at.line, at.col, "a diagram with the id '%s' exists already", df.id);
        free(key);
        return NULL;
    }
    draw_def(dg, &env, &df);
    const char *h = strmap_get(dg->html, key);
    free(key);
    return h ? xstrdup(h) : NULL;
}

size_t diagrams_count(const diagrams *dg)
{
    return dg->count;
}

size_t diagrams_file_count(const diagrams *dg)
{
    return dg ? dg->n_pics : 0;
}

const char *diagrams_file_at(const diagrams *dg, size_t i, const char **data, size_t *len)
{
    assert(i < dg->n_pics);
    *data = dg->pic_data[i];
    *len = dg->pic_len[i];
    return dg->pic_paths[i];
}

/* The figure filed under key (which it frees): callers build the key with a
 * literal format, so the compiler checks it against the arguments. */
static const char *lookup(const diagrams *dg, char *key)
{
    const char *h = strmap_get(dg->html, key);
    free(key);
    return h;
}

const char *diagrams_by_id(const diagrams *dg, const char *id)
{
    return lookup(dg, xasprintf("id:%s", id));
}

const char *diagrams_for_page(const diagrams *dg, const char *url)
{
    return lookup(dg, xasprintf("page:%s", url));
}

const char *diagrams_block(const diagrams *dg, const char *src_path, size_t i)
{
    return lookup(dg, xasprintf("block:%s#%zu", src_path, i));
}

/* } */
