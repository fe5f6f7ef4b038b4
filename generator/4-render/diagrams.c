/* diagrams: definitions, views over the model data, and the registry pages read. */
#include "diagrams.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/strmap.h"
#include "../0-base/xmem.h"
#include "../1-load/yaml_load.h"
#include "../2-model/keys.h"
#include "../2-model/schema.h"
#include "../0-base/escape.h"
#include "wheel.h"
#include "../2-model/loc.h"
#include "../2-model/syntax.h"

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
    {"asukkaat", "#fbf0cc", "#6e5200"},             /* kumppanuus's warm yellow */
    {"muu", "#f2f2f2", "#4d4d4d"},                  /* the default grey, named */
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
    const char *title; /* the default language's (title_in: a language's) */
    const char *desc;
    const char *titles[MODEL_MAX_LANGS]; /* per language of site.yaml's (NULL: none given) */
    const char *descs[MODEL_MAX_LANGS];
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
    model *m; /* counts the untranslated captions */
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

/* What a colour may be given for: the forum levels and the party kinds. */
static const char *const colour_keys[] = {
    "poliittinen", "strateginen", "johto", "operatiivinen", "asiantuntijaverkosto", "kumppanuus",
    "hyvinvointialue", "kunta", "maakuntaliitto", "jarjesto", "seurakunta", "oppilaitos", "yritys",
    "viranomainen", "toimielin", "asukkaat", "muu", NULL,
};
static const char *const groupings[] = {"taso", "kutsuja", NULL};
static const char *const directions[] = {"ylhaalta-alas", "vasemmalta-oikealle", NULL};

/* A diagram definition's keys: what parse_def accepts, and the JSON Schema
 * of diagrams/ *.yaml (diagrams_schema). */
static const schema_key def_keys[] = {
    {.key = "id", .kind = SK_STRING, .required = true, .pattern = "^[a-z0-9-]+$",
     .desc = "Kaavion tunniste: pienet kirjaimet a–z, numerot ja väliviiva. Sivulla: ```kaavio <tunniste>```."},
    {.key = "otsikko", .kind = SK_LOC_TEXT, .required = true,
     .desc = "Kaavion otsikko; kaksikielisellä sivustolla kielittäin, esim. {fi: Yhteistyörakenne, sv: "
             "Samarbetsstruktur}."},
    {.key = "nakyma", .kind = SK_ENUM, .required = true, .values = view_names,
     .desc = "Mitä kaavio näyttää. rakenne, lakiperusta ja vertailu tarvitsevat mallin (malli), toimija "
             "toimijan (toimija) ja organisaatio organisaatiot (organisaatiot)."},
    {.key = "malli", .kind = SK_REF, .desc = "Mallin tunniste (rakenne, lakiperusta, vertailu)."},
    {.key = "toimija", .kind = SK_REF, .desc = "Toimijan, ryhmän tai roolin tunniste (näkymä toimija)."},
    {.key = "organisaatiot", .kind = SK_REFS,
     .desc = "Toimijat tai ryhmät rinnakkain (näkymä organisaatio), esim. [siun-sote, pk-kunnat]."},
    {.key = "ryhmittely", .kind = SK_ENUM, .values = groupings,
     .desc = "rakenne: foorumit ryhmitellään tasoittain (taso, oletus) tai koollekutsujittain (kutsuja)."},
    {.key = "suunta", .kind = SK_ENUM, .values = directions,
     .desc = "Kaavion suunta (rakenteen oletus vasemmalta-oikealle)."},
    {.key = "kuvaus", .kind = SK_LOC_TEXT,
     .desc = "Kaavion kuvaus ruudunlukijalle; kaksikielisellä sivustolla kielittäin kuten otsikko."},
    {.key = "varit", .kind = SK_ENUM_MAP, .values = colour_keys, .pattern = "^#[0-9a-fA-F]{6}$",
     .desc = "Viivojen värit tasoittain tai toimijalajeittain, esim. {strateginen: \"#1f5f99\"}; "
             "kontrasti valkoista vasten vähintään 3:1."},
    {0},
};
static const schema_table def_table = {"a diagram definition", "Kaavion määrittely (diagrams/*.yaml).",
                                       def_keys, false};

val *diagrams_schema(void)
{
    return schema_document("kaavio", def_table.desc, schema_of_table(&def_table));
}

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

/* A reader's text of the definition (otsikko, kuvaus): plain, or one per
 * language checked like the model's texts (model_text: the site's
 * languages, none empty, the default's given; a missing one warned about
 * and counted). per[] gets the texts by language, per[0] the default's,
 * which is returned (NULL when absent or wrong). */
static const char *def_text(diagrams *dg, val *root, const char *key, bool required, const char **per,
                            diag_list *d)
{
    for (size_t k = 0; k < MODEL_MAX_LANGS; k++)
        per[k] = NULL;
    const val *v = val_get(root, key);
    if (val_kind_of(v) == VAL_MAP && dg->m)
        return per[0] = model_text(dg->m, v, key, per, d);
    const char *s = schema_text(root, key, required, "the diagram", d);
    if (s && dg->m) /* (schema_text may have replaced a number's node with its text) */
        model_text(dg->m, val_get(root, key), key, per, d);
    return per[0] = s;
}

/* Reads one definition from its map into *out; false after errors in d. */
static bool parse_def(diagrams *dg, val *root, def *out, diag_list *d)
{
    schema_check_keys(root, &def_table, d);
    def df;
    memset(&df, 0, sizeof df);
    df.pos = val_pos(root);
    df.id = schema_text(root, "id", true, "the diagram", d);
    df.title = def_text(dg, root, "otsikko", true, df.titles, d);
    df.desc = def_text(dg, root, "kuvaus", false, df.descs, d);
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
        ok = (df.model = find_in(dg, OK_MALLI, "model", mv, d)) != NULL && ok;
    }
    if (df.view == V_COMPARE && df.model && !val_get(df.model, OK_VERTAILU)) {
        src_pos at = val_pos(mv);
        diag_error(d, at.file, at.line, at.col,
                   "model '%s' has no 'edeltaja' to compare with (set it in the model's file)",
                   val_get_str(df.model, OK_ID));
        ok = false;
    }
    val *pv = val_get(root, "toimija");
    if (df.view == V_PARTY && !pv) {
        diag_error(d, df.pos.file, df.pos.line, df.pos.col, "the 'toimija' view needs 'toimija: <party id>'");
        ok = false;
    } else if (pv) {
        ok = (df.party = find_in(dg, OK_TOIMIJA, "party, group or role", pv, d)) != NULL && ok;
    }
    val *ov = val_get(root, "organisaatiot");
    if (df.view == V_ORG && (!ov || val_kind_of(ov) != VAL_LIST)) {
        diag_error(d, df.pos.file, df.pos.line, df.pos.col,
                   "the 'organisaatio' view needs 'organisaatiot: [<party or group id>, …]'");
        ok = false;
    } else if (ov) {
        for (size_t i = 0; i < val_len(ov); i++)
            ok = find_in(dg, OK_TOIMIJA, "party, group or role", val_at(ov, i), d) && ok;
        df.orgs = ov;
    }
    const char *grouping = schema_text(root, "ryhmittely", false, "the diagram", d);
    if (grouping && strcmp(grouping, groupings[0]) && strcmp(grouping, groupings[1])) {
        src_pos at = val_pos(val_get(root, "ryhmittely"));
        diag_error(d, at.file, at.line, at.col, "'ryhmittely' cannot be '%s' (use taso or kutsuja)", grouping);
        ok = false;
    }
    df.by_convener = grouping && !strcmp(grouping, groupings[1]);
    const char *dir = schema_text(root, "suunta", false, "the diagram", d);
    if (dir && strcmp(dir, directions[0]) && strcmp(dir, directions[1])) {
        src_pos at = val_pos(val_get(root, "suunta"));
        diag_error(d, at.file, at.line, at.col,
                   "'suunta' cannot be '%s' (use ylhaalta-alas or vasemmalta-oikealle)", dir);
        ok = false;
    }
    /* Wide charts read better left to right (parties, then forums), so that is
     * the default for the structure view; ylhaalta-alas turns it. */
    df.left_right = dir ? !strcmp(dir, directions[1]) : df.view == V_STRUCTURE;
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

diagrams *diagrams_new(const src_tree *src, model *m, diag_list *d)
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
    const i18n *cat;    /* the interface texts of the drawing's language */
    const char *lang;   /* the drawing's language when it is not the default (model texts from
                           <field>_kielet), else NULL */
    const char *dir;    /* where its files go: "" or the language's folder ("sv/") */
    const site *s;      /* for the pages in the drawing's language; NULL: links to the default's */
    size_t k;           /* the drawing's language's place in site.yaml's languages (0: the default) */
    const char *dflt;   /* the default language's code: a text that fell back to it is marked with it */
} env_t;

/* Field key of a model entity in the drawing's language (loc.h). */
static const char *nm(const env_t *env, const val *e, const char *key) { return loc_field(e, key, env->lang, NULL); }

/* nm, and the language to mark it with: the default's code when the
 * drawing's language has no text of its own, else NULL. */
static const char *nm_lang(const env_t *env, const val *e, const char *key, const char **mark)
{
    bool fb = false;
    const char *t = loc_field(e, key, env->lang, &fb);
    *mark = fb ? env->dflt : NULL;
    return t;
}

/* The name as HTML text, in <span lang="fi"> when it fell back to the default language's. */
static void put_name(buf_t *out, const char *text, const char *mark)
{
    if (mark)
        buf_printf(out, "<span lang=\"%s\">", mark);
    esc_html_str(out, text ? text : "");
    if (mark)
        buf_puts(out, "</span>");
}

/* The interface text key (i18n.h). */
static const char *tx(const env_t *env, const char *key) { return i18n_text(env->cat, key); }

/* key's text with one placeholder filled; caller frees. */
static char *text_of(const i18n *cat, const char *key, const char *name, const char *value)
{
    buf_t b = BUF_INIT;
    i18n_put(cat, &b, key, name, value, NULL);
    return buf_detach(&b);
}

/* The entity's page: its version in the drawing's language when the site has one. */
static char *href(const env_t *env, const val *entity)
{
    const char *url = val_get_str(entity, OK_URL);
    if (!url)
        return NULL;
    if (*env->dir && env->s) {
        char *out = xasprintf("%s%sindex.html", env->dir, url);
        bool own = site_output_owner(env->s, out) != NULL;
        free(out);
        if (own)
            return xasprintf("%s%s%s", env->base, env->dir, url);
    }
    return xasprintf("%s%s", env->base, url);
}

/* "t:siun-sote", "f:pk-2025/hyte": node names by kind and id. */
static char *node_name(const char *prefix, const val *entity)
{
    return xasprintf("%s:%s", prefix, val_get_str(entity, OK_ID));
}

/* *mark (may be NULL) as nm_lang's. */
static const char *short_name_lang(const env_t *env, const val *party, const char **mark)
{
    const char *own = NULL, **mk = mark ? mark : &own;
    const char *s = nm_lang(env, party, OK_LYHENNE, mk);
    return s && *s ? s : nm_lang(env, party, OK_NIMI, mk);
}

static const char *short_name(const env_t *env, const val *party) { return short_name_lang(env, party, NULL); }

/* The class that marks a node's label as the default language's (graph.h's
 * GRAPH_LANG_CLASS), or NULL (which ends graph_node's list: put it last). */
static const char *lang_class(const char *mark, char *buf, size_t size)
{
    if (!mark)
        return NULL;
    snprintf(buf, size, GRAPH_LANG_CLASS "%s", mark);
    return buf;
}

/* How often forum meets, in the drawing's language ("en gång per år"). */
static const char *often_text(const env_t *env, const val *forum, buf_t *own)
{
    syn_freq f;
    const char *raw = val_get_str(forum, OK_TIHEYS);
    const char *why;
    if (!env->lang || !raw || !syn_freq_parse(raw, &f, &why))
        return val_get_str(forum, OK_TIHEYS_TEKSTI);
    syn_freq_describe(env->cat, &f, own);
    return buf_cstr(own);
}

/* A level's name (a taso of a model's tasot) in the drawing's language;
 * *mark (may be NULL) as nm_lang's. */
static const char *level_name(const env_t *env, const val *taso, const char **mark)
{
    const char *lv = val_get_str(taso, OK_TASO), *own = NULL;
    if (mark)
        *mark = NULL;
    if (env->lang && lv) {
        char key[64];
        snprintf(key, sizeof key, "taso.%s", lv);
        if (i18n_has(env->cat, key))
            return tx(env, key);
    }
    return nm_lang(env, taso, OK_NIMI, mark ? mark : &own);
}

static void party_node(const env_t *env, graph *g, graph_cluster *c, const val *party, bool bold)
{
    char *name = node_name("t", party);
    char *url = href(env, party);
    const char *mark;
    char cls[16];
    char *label = diagrams_wrap(short_name_lang(env, party, &mark), 20);
    const char *fill, *line;
    const val *kinds = val_get(party, OK_LAJI);
    colours(env->colours, val_as_str(kinds), &fill, &line);
    graph_node(g, c, name, "label", label, "shape", "box", "style", bold ? "filled,bold" : "filled", "fillcolor",
               fill, "color", line, "penwidth", bold ? "2.5" : "1.2", "URL", url ? url : "", "tooltip",
               nm(env, party, OK_NIMI), "class", lang_class(mark, cls, sizeof cls), NULL);
    free(name);
    free(url);
    free(label);
}

/* A forum's box: its name wrapped, how often it meets and who convenes it
 * ("Koolle: Siun sote"), so that no line has to carry that. */
static void forum_node(const env_t *env, graph *g, graph_cluster *c, const val *forum, const char *prefix,
                       const char *style, const char *peripheries)
{
    char *name = node_name("f", forum);
    char *url = href(env, forum);
    char *title = xasprintf("%s%s", prefix ? prefix : "", nm(env, forum, OK_NIMI));
    char *wrapped = diagrams_wrap(title, 24);
    buf_t often_buf = BUF_INIT;
    const char *often = often_text(env, forum, &often_buf);
    const val *conv = val_get(forum, OK_KUTSUJA);
    char *who = conv ? diagrams_wrap(short_name(env, conv), 24) : NULL;
    char *label = xasprintf("%s%s%s%s%s%s", wrapped, often ? "\n" : "", often ? often : "", who ? "\n" : "",
                            who ? tx(env, "kaavio.koolle") : "", who ? who : "");
    const char *fill, *line;
    colours(env->colours, val_get_str(forum, OK_TASO), &fill, &line);
    graph_node(g, c, name, "label", label, "shape", "box", "style", style ? style : "rounded,filled",
               "fillcolor", fill, "color", line, "peripheries", peripheries ? peripheries : "1", "URL",
               url ? url : "", "tooltip", nm(env, forum, OK_NIMI), NULL);
    free(name);
    free(url);
    free(title);
    free(wrapped);
    free(who);
    free(label);
    buf_free(&often_buf);
}

/* The entity's name (or text, when given) linked to its page; a name that
 * fell back to the default language's is marked lang="fi". */
static void link(buf_t *out, const env_t *env, const val *entity, const char *text)
{
    char *url = href(env, entity);
    const char *mark = NULL;
    const char *name = text ? text : nm_lang(env, entity, OK_NIMI, &mark);
    if (!url) {
        put_name(out, name, mark);
        return;
    }
    buf_puts(out, "<a href=\"");
    esc_html_str(out, url);
    buf_putc(out, '"');
    if (mark)
        buf_printf(out, " lang=\"%s\"", mark);
    buf_putc(out, '>');
    esc_html_str(out, name);
    buf_puts(out, "</a>");
    free(url);
}

/* size: whatever the data (hundreds of forums, one party on all of them), a
 * chart is scaled down to at most 55 inches (3,960 pt) each way; the charts
 * of a sound model stay far below that and are never scaled. */
static void common_attrs(graph *g, bool left_right)
{
    const char *font = graph_fontname(g);
    graph_attrs(g, "rankdir", left_right ? "LR" : "TB", "fontname", font, "fontsize", "14", "nodesep", "0.3",
                "ranksep", "0.5", "bgcolor", "transparent", "size", "55,55", NULL);
    graph_node_defaults(g, "fontname", font, "fontsize", "12", "fontcolor", "#1b1b1b", NULL);
    graph_edge_defaults(g, "fontname", font, "fontsize", "12", "fontcolor", "#333333",
                        "color", "#4d4d4d", NULL);
}

/* } */

/* {====== Wrapping labels ====== */

/* How many UTF-8 characters s[0..n) holds. */
static size_t u8_count(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Bytes of the character at s (n > 0 bytes left). */
static size_t u8_step(const char *s, size_t n)
{
    size_t i = 1;
    while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

/* Whether the character at s belongs to the one before it: a zero-width
 * joiner, a variation selector, a combining mark, an emoji skin tone. */
static bool u8_joins(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n >= 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0x8D) /* U+200D */
        return true;
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xB8 && (u[2] == 0x8E || u[2] == 0x8F)) /* U+FE0E/F */
        return true;
    if (n >= 2 && (u[0] == 0xCC || (u[0] == 0xCD && u[1] <= 0xAF))) /* U+0300–036F */
        return true;
    return n >= 4 && u[0] == 0xF0 && u[1] == 0x9F && u[2] == 0x8F && u[3] >= 0xBB; /* U+1F3FB–F */
}

/* Bytes of the first k characters of s[0..n), with what joins the last. */
static size_t u8_prefix(const char *s, size_t n, size_t k)
{
    size_t i = 0;
    for (size_t c = 0; i < n && c < k; c++)
        i += u8_step(s + i, n - i);
    while (i < n && u8_joins(s + i, n - i)) {
        bool zwj = (unsigned char)s[i] == 0xE2;
        i += u8_step(s + i, n - i);
        if (zwj && i < n)
            i += u8_step(s + i, n - i);
    }
    return i;
}

char *diagrams_wrap(const char *text, size_t width)
{
    buf_t b = BUF_INIT;
    size_t col = 0;
    if (width < 2)
        width = 2;
    for (const char *p = text ? text : ""; *p;) {
        size_t n = strcspn(p, " \t\r\n");
        if (!n) {
            p++;
            continue;
        }
        size_t len = u8_count(p, n);
        if (col && col + 1 + len <= width) {
            buf_putc(&b, ' ');
            col++;
        } else if (col) {
            buf_putc(&b, '\n');
            col = 0;
        }
        while (len > width) {
            size_t cut = u8_prefix(p, n, width - 1);
            if (cut >= n)
                break;
            /* A compound with a hyphen of its own breaks there: "Hyte-" + "verkosto". */
            const char *hy = memchr(p + 1, '-', cut - 1);
            while (hy && memchr(hy + 1, '-', cut - (size_t)(hy + 1 - p)))
                hy = memchr(hy + 1, '-', cut - (size_t)(hy + 1 - p));
            if (hy && hy + 1 < p + n) {
                cut = (size_t)(hy + 1 - p);
                buf_put(&b, p, cut);
                buf_putc(&b, '\n');
            } else {
                buf_put(&b, p, cut);
                buf_puts(&b, "-\n");
            }
            p += cut;
            n -= cut;
            len = u8_count(p, n);
        }
        buf_put(&b, p, n);
        col += len;
        p += n;
    }
    buf_cstr(&b);
    return buf_detach(&b);
}

/* } */

/* {====== Legends ====== */

/* One line of a legend: a line sample drawn as the chart draws it. */
typedef struct {
    const char *text;
    const char *dash;  /* SVG stroke-dasharray, NULL: solid (Graphviz's dashed is "5,2") */
    const char *arrow; /* "normal" (filled), "onormal" (hollow) or NULL: none */
    const char *shape; /* instead of a line: "box", "rounded", "bold", "double", "dotted", "gap" */
} legend_entry;

static const legend_entry edge_legend[] = {
    {.text = "kaavio.kutsuu_koolle", .arrow = "normal"},
    {.text = "kaavio.osallistuu", .dash = "5,2", .arrow = "onormal"},
    {0},
};

/* The legend as HTML under the picture (a list, so that it is read as text
 * and reflows on a phone), each entry with a small inline SVG sample. */
static void legend_html(buf_t *out, const i18n *cat, const legend_entry *entries)
{
    buf_puts(out, "<ul class=\"kaavio-selite\">");
    for (const legend_entry *e = entries; e->text; e++) {
        buf_puts(out, "<li><svg width=\"40\" height=\"16\" viewBox=\"0 0 40 16\" aria-hidden=\"true\" "
                      "focusable=\"false\">");
        if (e->shape) {
            bool dotted = !strcmp(e->shape, "dotted"), gap = !strcmp(e->shape, "gap");
            buf_printf(out, "<rect x=\"2\" y=\"2\" width=\"36\" height=\"12\" rx=\"%s\" fill=\"%s\" stroke=\"%s\" "
                            "stroke-width=\"%s\"%s/>",
                       !strcmp(e->shape, "box") || gap ? "0" : "4", dotted ? "none" : "#f2f2f2",
                       gap ? gap_line : "#4d4d4d", !strcmp(e->shape, "bold") || gap ? "3" : "1",
                       dotted ? " stroke-dasharray=\"1,3\"" : "");
            if (!strcmp(e->shape, "double"))
                buf_puts(out, "<rect x=\"5\" y=\"5\" width=\"30\" height=\"6\" rx=\"2\" fill=\"none\" "
                              "stroke=\"#4d4d4d\"/>");
        } else {
            buf_printf(out, "<line x1=\"1\" y1=\"8\" x2=\"%s\" y2=\"8\" stroke=\"#4d4d4d\" stroke-width=\"1.5\"%s%s%s/>",
                       e->arrow ? "29" : "39", e->dash ? " stroke-dasharray=\"" : "", e->dash ? e->dash : "",
                       e->dash ? "\"" : "");
            if (e->arrow)
                buf_printf(out, "<polygon points=\"29,4 39,8 29,12\" fill=\"%s\" stroke=\"#4d4d4d\"/>",
                           !strcmp(e->arrow, "onormal") ? "none" : "#4d4d4d");
        }
        buf_puts(out, "</svg> ");
        esc_html_str(out, i18n_text(cat, e->text));
        buf_puts(out, "</li>");
    }
    buf_puts(out, "</ul>\n");
}

/* } */


/* {====== The structure chart ====== */

/* The region draws its structure as rows, one per level, with the welfare
 * area's parties on one side of the forums, the municipalities' on the
 * other and everyone else in a third column. Graphviz gets that as ranks:
 * each level is one row of parties (the ones first met on that level) over
 * rows of forums, kept in the model's order by an invisible spine of row
 * heads at the left (the level's name heads its first row). Within a party
 * row the columns are kept by invisible edges; forums may move within their
 * row so that Graphviz can untangle the lines. */

typedef enum { COL_WELFARE, COL_MUNICIPAL, COL_OTHER, COL_COUNT } column_t;

enum { ROW_MAX = 3,       /* forums in one row before it wraps */
       PER_COLUMN = 1,    /* parties of one column in one row */
       LEVEL_WRAP = 22,   /* characters per line in a level's name */
       PARTY_WRAP = 18 }; /* … and in a party box */

/* A party's column from the kinds the model worked out for it ('lajit': a
 * body's or a role's organisation, a group's members): a group that mixes
 * the welfare area and municipalities goes with everyone else. */
static column_t party_column(const val *party)
{
    const val *kinds = val_get(party, OK_LAJIT);
    bool welfare = false, municipal = false;
    for (size_t i = 0; i < val_len(kinds); i++) {
        const char *k = val_as_str(val_at(kinds, i));
        welfare = welfare || (k && !strcmp(k, "hyvinvointialue"));
        municipal = municipal || (k && !strcmp(k, "kunta"));
    }
    if (welfare != municipal)
        return welfare ? COL_WELFARE : COL_MUNICIPAL;
    return COL_OTHER;
}

/* The parties that convene or join exactly the same forums: one node. */
typedef struct {
    const val **parties;
    size_t n_parties;
    column_t column;
    size_t level; /* the first level it has a forum on: its node stands there */
    char *ties;   /* "k:<forum id>\n" convenes, "o:<forum id>\n" joins, in chart order */
    char *node;
} member;

typedef struct {
    member *m;
    size_t n;
} members;

static bool same_id(const val *a, const val *b)
{
    const char *x = val_get_str(a, OK_ID), *y = val_get_str(b, OK_ID);
    return x && y && !strcmp(x, y);
}

/* What party p does on the forums of the model, as member ties; the level of the first. */
static char *ties_of(const val *tasot, const val *p, size_t *level)
{
    buf_t b = BUF_INIT;
    buf_putc(&b, '\n');
    for (size_t t = 0; t < val_len(tasot); t++) {
        const val *fl = val_get(val_at(tasot, t), OK_FOORUMIT);
        for (size_t i = 0; i < val_len(fl); i++) {
            const val *f = val_at(fl, i);
            const val *conv = val_get(f, OK_KUTSUJA);
            bool joins = false;
            for (size_t k = 0; k < val_len(val_get(f, OK_OSALLISTUJAT)); k++)
                joins = joins || same_id(val_at(val_get(f, OK_OSALLISTUJAT), k), p);
            bool convenes = conv && same_id(conv, p);
            if (!convenes && !joins)
                continue;
            if (b.len == 1)
                *level = t;
            buf_printf(&b, "%c:%s\n", convenes ? 'k' : 'o', val_get_str(f, OK_ID));
        }
    }
    buf_cstr(&b);
    return buf_detach(&b);
}

static void add_party(members *ms, const val *tasot, const val *p)
{
    for (size_t i = 0; i < ms->n; i++)
        for (size_t k = 0; k < ms->m[i].n_parties; k++)
            if (same_id(ms->m[i].parties[k], p))
                return;
    size_t level = 0;
    char *ties = ties_of(tasot, p, &level);
    column_t col = party_column(p);
    for (size_t i = 0; i < ms->n; i++) {
        member *m = &ms->m[i];
        if (m->column == col && !strcmp(m->ties, ties)) {
            m->parties = xrealloc(m->parties, (m->n_parties + 1) * sizeof *m->parties);
            m->parties[m->n_parties++] = p;
            free(ties);
            return;
        }
    }
    ms->m = xrealloc(ms->m, (ms->n + 1) * sizeof *ms->m);
    member *m = &ms->m[ms->n];
    *m = (member){.parties = xmalloc(sizeof *m->parties), .n_parties = 1, .column = col, .level = level,
                  .ties = ties, .node = xasprintf("m%zu", ms->n)};
    m->parties[0] = p;
    ms->n++;
}

/* Every party on the model's forums, merged into members. */
static members collect_members(const val *tasot)
{
    members ms = {0};
    for (size_t t = 0; t < val_len(tasot); t++) {
        const val *fl = val_get(val_at(tasot, t), OK_FOORUMIT);
        for (size_t i = 0; i < val_len(fl); i++) {
            const val *f = val_at(fl, i);
            if (val_get(f, OK_KUTSUJA))
                add_party(&ms, tasot, val_get(f, OK_KUTSUJA));
            for (size_t k = 0; k < val_len(val_get(f, OK_OSALLISTUJAT)); k++)
                add_party(&ms, tasot, val_at(val_get(f, OK_OSALLISTUJAT), k));
        }
    }
    return ms;
}

static void members_free(members *ms)
{
    for (size_t i = 0; i < ms->n; i++) {
        free(ms->m[i].parties);
        free(ms->m[i].ties);
        free(ms->m[i].node);
    }
    free(ms->m);
}

static void member_node(const env_t *env, graph *g, graph_cluster *row, const member *m)
{
    buf_t label = BUF_INIT, tip = BUF_INIT;
    const char *mark = NULL; /* when every party's name fell back */
    for (size_t k = 0; k < m->n_parties; k++) {
        const char *one;
        buf_puts(&label, k ? ", " : "");
        buf_puts(&label, short_name_lang(env, m->parties[k], &one));
        mark = !k || mark ? one : NULL;
        buf_puts(&tip, k ? ", " : "");
        buf_puts(&tip, nm(env, m->parties[k], OK_NIMI));
    }
    buf_cstr(&label);
    buf_cstr(&tip);
    char *wrapped = diagrams_wrap(label.ptr, PARTY_WRAP);
    /* A merged node links nowhere: the text equivalent links each party. */
    char *url = m->n_parties == 1 ? href(env, m->parties[0]) : NULL;
    const char *fill, *line;
    colours(env->colours, m->n_parties == 1 ? val_get_str(m->parties[0], OK_LAJI) : NULL, &fill, &line);
    char cls[16];
    graph_node(g, row, m->node, "label", wrapped, "shape", "box", "style", "filled", "fillcolor", fill, "color",
               line, "penwidth", "1.2", "URL", url ? url : "", "tooltip", tip.ptr, "class",
               lang_class(mark, cls, sizeof cls), NULL);
    free(url);
    free(wrapped);
    buf_free(&label);
    buf_free(&tip);
}

/* A new row (rank) of the chart headed by an invisible or labelled spine
 * node below the previous row's head (*head, updated). */
static graph_cluster *new_row(graph *g, char **head, size_t *serial, const char *title)
{
    char *name = xasprintf("rivi%zu", (*serial)++);
    graph_cluster *row = graph_subgraph_new(g, NULL, name, "rank", "same", NULL);
    char *spine = xasprintf("s:%s", name);
    char *label = title ? diagrams_wrap(title, LEVEL_WRAP) : xstrdup("");
    graph_node(g, row, spine, "label", label, "shape", "plaintext", "fontsize", "13", "width", title ? "0.5" : "0.01",
               "tooltip", title ? title : " ", NULL);
    if (*head)
        graph_edge(g, *head, spine, NULL, "style", "invis", NULL);
    free(*head);
    *head = spine;
    free(label);
    free(name);
    return row;
}

/* Keeps node right of the row's head (an invisible edge); pull (weight 1)
 * draws it towards the head, which keeps the chart narrow. Only a row's
 * first party pulls: the others and the forums stay free to sit above and
 * under each other, which keeps the lines from crossing. */
static void after_head(graph *g, const char *head, const char *node, bool pull)
{
    graph_edge(g, head, node, NULL, "style", "invis", "weight", pull ? "1" : "0", NULL);
}

/* The members whose node stands on level t, in rows that hold at most
 * PER_COLUMN of each column, the columns in order: a long column wraps into
 * the next row but stays on its side. */
static void member_rows(const env_t *env, graph *g, const members *ms, size_t t, char **head, size_t *serial,
                        const char **title)
{
    for (size_t r = 0;; r++) {
        graph_cluster *row = NULL;
        const char *prev = NULL;
        for (int col = 0; col < COL_COUNT; col++) {
            size_t seen = 0;
            for (size_t i = 0; i < ms->n; i++) {
                const member *m = &ms->m[i];
                if (m->level != t || (int)m->column != col || seen++ / PER_COLUMN != r)
                    continue;
                if (!row) {
                    row = new_row(g, head, serial, *title);
                    *title = NULL;
                }
                member_node(env, g, row, m);
                after_head(g, *head, m->node, !prev);
                if (prev) /* the columns' order: left to right */
                    graph_edge(g, prev, m->node, NULL, "style", "invis", NULL);
                prev = m->node;
            }
        }
        if (!row)
            return;
    }
}

/* The lines of every member: solid to the forums it convenes, dashed to
 * those it joins. A member's row is above all its forums, so every line runs
 * downwards. */
static void member_edges(const env_t *env, const members *ms, const val *tasot, graph *g)
{
    for (size_t i = 0; i < ms->n; i++) {
        const member *m = &ms->m[i];
        buf_t who = BUF_INIT;
        for (size_t k = 0; k < m->n_parties; k++) {
            buf_puts(&who, k ? ", " : "");
            buf_puts(&who, short_name(env, m->parties[k]));
        }
        buf_cstr(&who);
        for (size_t t = 0; t < val_len(tasot); t++) {
            const val *fl = val_get(val_at(tasot, t), OK_FOORUMIT);
            for (size_t f = 0; f < val_len(fl); f++) {
                const val *forum = val_at(fl, f);
                const char *fid = val_get_str(forum, OK_ID);
                char *k = xasprintf("\nk:%s\n", fid), *o = xasprintf("\no:%s\n", fid);
                bool convenes = strstr(m->ties, k) != NULL;
                bool joins = strstr(m->ties, o) != NULL;
                if (convenes || joins) {
                    char *fname = node_name("f", forum);
                    char *tip = xasprintf("%s %s: %s", who.ptr, tx(env, convenes ? "kaavio.kutsuu_koolle" : "kaavio.osallistuu"),
                                          nm(env, forum, OK_NIMI));
                    graph_edge(g, m->node, fname, NULL, "style", convenes ? "solid" : "dashed", "penwidth",
                               convenes ? "1.5" : "1", "arrowhead", convenes ? "normal" : "onormal", "tooltip",
                               tip, NULL);
                    free(tip);
                    free(fname);
                }
                free(k);
                free(o);
            }
        }
        buf_free(&who);
    }
}

/* The text equivalent of one forum of the structure chart. */
static void structure_text(const env_t *env, const val *f, buf_t *text)
{
    const val *conv = val_get(f, OK_KUTSUJA);
    buf_puts(text, "<li>");
    link(text, env, f, NULL);
    buf_printf(text, ": %s ", tx(env, "kaavio.kutsuu_koolle"));
    if (conv)
        link(text, env, conv, NULL);
    const val *parts = val_get(f, OK_OSALLISTUJAT);
    if (val_len(parts))
        buf_printf(text, "; %s ", tx(env, "kaavio.osallistujat_lista"));
    for (size_t k = 0; k < val_len(parts); k++) {
        const val *p = val_at(parts, k);
        if (conv && same_id(p, conv))
            continue;
        if (k)
            buf_puts(text, ", ");
        link(text, env, p, NULL);
    }
    buf_puts(text, "; ");
    buf_t often_buf = BUF_INIT;
    esc_html_str(text, often_text(env, f, &often_buf));
    buf_free(&often_buf);
    const val *laws = val_get(f, OK_LAKIPERUSTA);
    for (size_t k = 0; k < val_len(laws); k++) {
        if (k)
            buf_puts(text, ", ");
        else
            buf_printf(text, "; %s ", tx(env, "kaavio.lakiperusta_lista"));
        esc_html_str(text, val_get_str(val_at(laws, k), OK_TEKSTI));
    }
    buf_puts(text, "</li>");
}

/* Forums of a model in rows by level, their conveners (solid lines, and
 * named inside the forum's box) and participants (dashed). */
static graph *view_structure(const env_t *env, const def *df, buf_t *text, buf_t *legend)
{
    graph *g = graph_new(env->gx, df->id);
    common_attrs(g, false);
    graph_attrs(g, "newrank", "true", "nodesep", "0.2", "ranksep", "0.45", NULL);
    const val *tasot = val_get(df->model, OK_TASOT);
    members ms = collect_members(tasot);
    char *head = NULL;
    size_t serial = 0;
    buf_puts(text, "<ul>");
    for (size_t t = 0; t < val_len(tasot); t++) {
        const val *taso = val_at(tasot, t);
        const char *mark;
        const char *title = level_name(env, taso, &mark);
        member_rows(env, g, &ms, t, &head, &serial, &title);
        buf_puts(text, "<li>");
        put_name(text, level_name(env, taso, NULL), mark);
        buf_puts(text, "<ul>");
        const val *fl = val_get(taso, OK_FOORUMIT);
        graph_cluster *row = NULL;
        /* A crowded level gets longer rows: every row a line passes adds
         * its width again, so many short rows would be wider still. */
        size_t per_row = ROW_MAX;
        for (size_t i = 0; i < val_len(fl); i++) {
            if (i % per_row == 0) {
                row = new_row(g, &head, &serial, title);
                title = NULL;
            }
            const val *f = val_at(fl, i);
            forum_node(env, g, row, f, NULL, NULL, NULL);
            char *fname = node_name("f", f);
            after_head(g, head, fname, false);
            free(fname);
            structure_text(env, f, text);
        }
        if (!val_len(fl)) {
            row = new_row(g, &head, &serial, title);
            char *none = xasprintf("tyhja%zu", t);
            graph_node(g, row, none, "label", tx(env, "kaavio.ei_foorumeita_tasolla"), "shape", "plaintext",
                       "tooltip", tx(env, "kaavio.ei_foorumeita_tasolla_vihje"), NULL);
            after_head(g, head, none, false);
            free(none);
            buf_printf(text, "<li>%s</li>", tx(env, "kaavio.ei_foorumeita"));
        }
        buf_puts(text, "</ul></li>");
    }
    buf_puts(text, "</ul>");
    member_edges(env, &ms, tasot, g);
    free(head);
    members_free(&ms);
    legend_html(legend, env->cat, edge_legend);
    return g;
}

/* } */

/* {====== Views ====== */

/* The models of the forums a party convenes or joins, the current one
 * (nykyinen: true) first, the others in the order first met. Caller frees. */
static const val **party_models(const val *party, size_t *n)
{
    const val **ms = NULL;
    *n = 0;
    static const char *const keys[] = {"kutsuu", "osallistuu"};
    for (size_t r = 0; r < 2; r++) {
        const val *list = val_get(party, keys[r]);
        for (size_t i = 0; i < val_len(list); i++) {
            const val *m = val_get(val_at(list, i), OK_MALLI);
            bool seen = false;
            for (size_t k = 0; k < *n && !seen; k++)
                seen = same_id(ms[k], m);
            if (seen)
                continue;
            ms = xrealloc(ms, (*n + 1) * sizeof *ms);
            ms[(*n)++] = m;
        }
    }
    for (size_t k = 1; k < *n; k++) {
        if (val_as_bool(val_get(ms[k], OK_NYKYINEN))) {
            const val *cur = ms[k];
            memmove(ms + 1, ms, k * sizeof *ms);
            ms[0] = cur;
        }
    }
    return ms;
}

/* One party (or group or role) and every forum it convenes or joins, the
 * forums in a labelled box per model: a forum that goes on from one model
 * to the next stands in both, so the reader sees which model says what. */
/* A model's state (tila) in words, in the drawing's language. */
static const char *state_name(const env_t *env, const val *mo)
{
    const char *tila = val_get_str(mo, OK_TILA);
    if (env->lang && tila) {
        char key[64];
        snprintf(key, sizeof key, "mallin_tila.%s", tila);
        if (i18n_has(env->cat, key))
            return tx(env, key);
    }
    return val_get_str(mo, OK_TILA_NIMI);
}

static graph *view_party(const env_t *env, const char *id, const val *party, buf_t *text, buf_t *legend)
{
    graph *g = graph_new(env->gx, id);
    common_attrs(g, true);
    party_node(env, g, NULL, party, true);
    char *pname = node_name("t", party);
    static const struct {
        const char *key, *label, *style, *arrow;
    } rel[] = {{"kutsuu", "kaavio.kutsuu_koolle", "solid", "normal"},
               {"osallistuu", "kaavio.osallistuu", "dashed", "onormal"}};
    size_t n_models;
    const val **models = party_models(party, &n_models);
    for (size_t k = 0; k < n_models; k++) {
        const val *mo = models[k];
        const char *state = val_as_bool(val_get(mo, OK_NYKYINEN)) ? tx(env, "kaavio.nykyinen_malli") : state_name(env, mo);
        char *title = xasprintf("%s%s%s%s", nm(env, mo, OK_NIMI), state ? " (" : "", state ? state : "",
                                state ? ")" : "");
        char *wrapped = diagrams_wrap(title, 40);
        char *cname = xasprintf("malli_%zu", k);
        graph_cluster *c = graph_cluster_new(g, cname, "label", wrapped, "style", "rounded", "color", "#4d4d4d",
                                             "labeljust", "l", "tooltip", title, NULL);
        for (size_t r = 0; r < 2; r++) {
            const val *list = val_get(party, rel[r].key);
            for (size_t i = 0; i < val_len(list); i++) {
                const val *f = val_at(list, i);
                if (!same_id(val_get(f, OK_MALLI), mo))
                    continue;
                char *fname = node_name("f", f);
                char *tip = xasprintf("%s %s: %s", short_name(env, party), tx(env, rel[r].label), nm(env, f, OK_NIMI));
                forum_node(env, g, c, f, NULL, NULL, NULL);
                graph_edge(g, pname, fname, rel[r].key, "style", rel[r].style, "arrowhead", rel[r].arrow,
                           "penwidth", r ? "1" : "1.5", "tooltip", tip, NULL);
                free(tip);
                free(fname);
            }
        }
        free(cname);
        free(wrapped);
        free(title);
    }
    free(models);
    for (size_t r = 0; r < 2; r++) {
        const val *list = val_get(party, rel[r].key);
        buf_printf(text, "<p>%s:</p><ul>", tx(env, r == 0 ? "kaavio.kutsuu_koolle_otsikko" : "kaavio.osallistuu_otsikko"));
        for (size_t i = 0; i < val_len(list); i++) {
            const val *f = val_at(list, i);
            buf_puts(text, "<li>");
            link(text, env, f, NULL);
            buf_puts(text, " (");
            const char *mark;
            const char *mname = nm_lang(env, val_get(f, OK_MALLI), OK_NIMI, &mark);
            put_name(text, mname, mark);
            buf_puts(text, ")</li>");
        }
        if (!val_len(list))
            buf_printf(text, "<li>%s</li>", tx(env, "kaavio.ei_foorumeita"));
        buf_puts(text, "</ul>");
    }
    free(pname);
    legend_html(legend, env->cat, edge_legend);
    return g;
}

/* The coverage entry of an obligation for a model (or the model-free one). */
static const val *coverage_for(const val *obl, const val *model)
{
    const val *per = val_get(obl, OK_MALLIT);
    for (size_t i = 0; i < val_len(per); i++) {
        const val *e = val_at(per, i);
        const val *m = val_get(e, OK_MALLI);
        if (val_kind_of(m) == VAL_NULL || !strcmp(val_get_str(m, OK_ID), val_get_str(model, OK_ID)))
            return e;
    }
    return NULL;
}

/* What fulfils an obligation, as a node; returns its name (caller frees). */
static char *fulfiller_node(const env_t *env, graph *g, const val *f)
{
    const char *kind = val_get_str(f, OK_TYYPPI);
    if (kind && !strcmp(kind, "forum")) {
        forum_node(env, g, NULL, f, NULL, NULL, NULL);
        return node_name("f", f);
    }
    if (kind && !strcmp(kind, "document")) {
        char *name = node_name("a", f), *url = href(env, f);
        char *label = diagrams_wrap(nm(env, f, OK_NIMI), 30);
        graph_node(g, NULL, name, "label", label, "shape", "note", "style", "filled", "fillcolor", "#ffffff",
                   "color", "#4d4d4d", "URL", url ? url : "", "tooltip", nm(env, f, OK_NIMI), NULL);
        free(label);
        free(url);
        return name;
    }
    party_node(env, g, NULL, f, false);
    return node_name("t", f);
}

static const legend_entry legal_legend[] = {
    {.text = "kaavio.pykala_velvoite"},
    {.text = "kaavio.tayttaa_velvoitteen", .arrow = "normal"},
    {.text = "kaavio.ei_tayty_selite", .shape = "gap"},
    {0},
};

/* Law sections -> obligations -> what fulfils them in a model; unmet duties
 * stand out. Left to right whatever the definition says: the three kinds
 * are three columns and the chart grows downwards with the obligations (top
 * down, all obligations on one row made it 6,351 pt wide). Still a graph,
 * not a table: one forum fulfils several duties and the lines show that. */
static graph *view_legal(const env_t *env, const def *df, buf_t *text, buf_t *legend)
{
    graph *g = graph_new(env->gx, df->id);
    common_attrs(g, true);
    graph_attrs(g, "ranksep", "0.8", NULL);
    const val *obls = val_get(env->data, OK_VELVOITTEET);
    buf_puts(text, "<ul>");
    for (size_t i = 0; i < val_len(obls); i++) {
        const val *o = val_at(obls, i);
        const val *sec = val_get(o, OK_PYKALA);
        const val *cov = coverage_for(o, df->model);
        bool met = cov && val_as_bool(val_get(cov, OK_TAYTETTY));
        char *sname = node_name("p", sec), *oname = node_name("v", o);
        char *surl = href(env, sec);
        const char *viite = val_get_str(sec, OK_VIITE);
        graph_node(g, NULL, sname, "label", viite, "shape", "note", "style", "filled", "fillcolor", "#ffffff",
                   "color", "#4d4d4d", "URL", surl ? surl : "", "tooltip", viite, NULL);
        char *what = diagrams_wrap(nm(env, o, OK_KUVAUS), 30);
        /* Words, not ✓ and ✗: the shipped font has no such glyphs. */
        char *olabel = xasprintf("%s %s\n%s", tx(env, met ? "kaavio.tayttyy_merkki" : "kaavio.ei_tayty_merkki"), val_get_str(o, OK_VIITE), what);
        char *otip = xasprintf("%s %s: %s", val_get_str(o, OK_VIITE), tx(env, met ? "kaavio.tayttyy" : "kaavio.ei_tayty"),
                               nm(env, o, OK_KUVAUS));
        graph_node(g, NULL, oname, "label", olabel, "shape", "box", "style", met ? "rounded" : "rounded,bold",
                   "color", met ? "#2e6b30" : gap_line, "penwidth", met ? "1.2" : "3", "tooltip", otip, NULL);
        graph_edge(g, sname, oname, NULL, "arrowhead", "none", "tooltip", otip, NULL);
        buf_puts(text, "<li>");
        link(text, env, sec, viite);
        buf_printf(text, ": %s ", met ? "✓" : tx(env, "kaavio.ei_tayty_lista"));
        const char *mark;
        const char *what_text = nm_lang(env, o, OK_KUVAUS, &mark);
        put_name(text, what_text, mark);
        const val *who = cov ? val_get(cov, OK_TAYTTAJAT) : NULL;
        for (size_t k = 0; k < val_len(who); k++) {
            const val *f = val_at(who, k);
            char *fname = fulfiller_node(env, g, f);
            buf_t tipb = BUF_INIT;
            i18n_put(env->cat, &tipb, "kaavio.tayttaa", "nimi", nm(env, f, OK_NIMI), "velvoite",
                     nm(env, o, OK_KUVAUS), NULL);
            char *tip = buf_detach(&tipb);
            graph_edge(g, oname, fname, NULL, "dir", "back", "tooltip", tip, NULL);
            if (k)
                buf_puts(text, ", ");
            else
                buf_printf(text, " – %s ", tx(env, "kaavio.tayttaa_lista"));
            link(text, env, f, NULL);
            free(tip);
            free(fname);
        }
        const val *gaps = cov ? val_get(cov, OK_PUUTTEET) : NULL;
        for (size_t k = 0; !met && k < val_len(gaps); k++) {
            if (k)
                buf_puts(text, "; ");
            else
                buf_printf(text, " – %s ", tx(env, "kaavio.puuttuu_lista"));
            esc_html_str(text, val_as_str(val_at(gaps, k)));
        }
        buf_puts(text, "</li>");
        free(what);
        free(otip);
        free(olabel);
        free(surl);
        free(sname);
        free(oname);
    }
    buf_puts(text, "</ul>");
    legend_html(legend, env->cat, legal_legend);
    return g;
}

/* Organisations side by side with the bodies and roles inside them. */
static graph *view_org(const env_t *env, const def *df, buf_t *text, buf_t *legend)
{
    graph *g = graph_new(env->gx, df->id);
    common_attrs(g, df->left_right);
    buf_puts(text, "<ul>");
    for (size_t i = 0; i < val_len(df->orgs); i++) {
        const val *org = val_get(val_get(env->data, OK_TOIMIJA), val_as_str(val_at(df->orgs, i)));
        char *cname = xasprintf("org_%zu", i);
        graph_cluster *c = graph_cluster_new(g, cname, "label", nm(env, org, OK_NIMI), "style", "rounded",
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
                char *label = diagrams_wrap(nm(env, e, OK_NIMI), 24);
                char *tip = xasprintf("%s: %s", tx(env, k ? "kaavio.rooli" : "kaavio.toimielin"), nm(env, e, OK_NIMI));
                graph_node(g, c, ename, "label", label, "shape", k ? "ellipse" : "box", "style",
                           k ? "filled,dashed" : "rounded,filled", "fillcolor", "#ffffff", "color", "#4d4d4d",
                           "URL", url ? url : "", "tooltip", nm(env, e, OK_NIMI), NULL);
                graph_edge(g, oname, ename, NULL, "arrowhead", "none", "tooltip", tip, NULL);
                free(tip);
                free(label);
                buf_printf(text, "<li>%s: ", tx(env, k ? "kaavio.rooli" : "kaavio.toimielin"));
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
    static const legend_entry entries[] = {
        {.text = "kaavio.toimielin_selite", .shape = "rounded"},
        {.text = "kaavio.rooli_selite", .shape = "dotted"},
        {0},
    };
    legend_html(legend, env->cat, entries);
    return g;
}

/* A model against its predecessor: new, changed, removed and unchanged
 * forums told apart by border (bold, double, dotted) and a word in the label.
 * The four groups stand one below the other, each in rows of four forums:
 * side by side they made a chart 1,798 pt wide. */
static graph *view_compare(const env_t *env, const char *id, const val *cmp, buf_t *text, buf_t *legend)
{
    graph *g = graph_new(env->gx, id);
    common_attrs(g, false);
    static const struct {
        const char *key, *prefix, *style, *peripheries, *title;
    } groups[] = {
        {"lisatyt", "kaavio.uusi_etu", "rounded,filled,bold", "1", "kaavio.uudet"},
        {"muuttuneet", "kaavio.muuttuu_etu", "rounded,filled", "2", "kaavio.muuttuneet"},
        {"poistetut", "kaavio.poistuu_etu", "rounded,dotted", "1", "kaavio.poistuvat"},
        {"ennallaan", NULL, "rounded,filled", "1", "kaavio.ennallaan"},
    };
    char *above = NULL; /* the first node of the row above: the rows stack through it */
    for (size_t i = 0; i < 4; i++) {
        const val *list = val_get(cmp, groups[i].key);
        char *cname = xasprintf("ryhma_%s", groups[i].key);
        graph_cluster *c = graph_cluster_new(g, cname, "label", tx(env, groups[i].title), "style", "rounded",
                                             "color", "#4d4d4d", "tooltip", tx(env, groups[i].title), NULL);
        buf_printf(text, "<p>%s:</p><ul>", tx(env, groups[i].title));
        graph_cluster *row = NULL;
        for (size_t k = 0; k < val_len(list) || (!k && !row); k++) {
            if (k % 4 == 0) {
                char *rname = xasprintf("%s_%zu", cname, k / 4);
                row = graph_subgraph_new(g, c, rname, "rank", "same", NULL);
                free(rname);
            }
            char *name;
            if (k == val_len(list)) { /* an empty group still shows, saying so */
                name = xasprintf("tyhja_%s", groups[i].key);
                graph_node(g, row, name, "label", tx(env, "kaavio.ei_yhtaan"), "shape", "plaintext", "tooltip",
                           tx(env, "kaavio.ei_yhtaan_foorumia"), NULL);
                buf_printf(text, "<li>%s</li>", tx(env, "kaavio.ei_yhtaan_lista"));
            } else {
                const val *entry = val_at(list, k);
                const val *f = i == 1 ? val_get(entry, OK_FOORUMI) : entry;
                forum_node(env, g, row, f, groups[i].prefix ? tx(env, groups[i].prefix) : NULL, groups[i].style,
                           groups[i].peripheries);
                name = node_name("f", f);
                buf_puts(text, "<li>");
                link(text, env, f, NULL);
                const val *changes = i == 1 ? val_get(entry, OK_MUUTOKSET) : NULL;
                for (size_t j = 0; j < val_len(changes); j++) {
                    const val *ch = val_at(changes, j);
                    buf_puts(text, j ? "; " : ": ");
                    esc_html_str(text, val_get_str(ch, OK_KENTTA));
                    buf_puts(text, " ");
                    esc_html_str(text, val_get_str(ch, OK_VANHA));
                    buf_puts(text, " → ");
                    esc_html_str(text, val_get_str(ch, OK_UUSI));
                }
                buf_puts(text, "</li>");
            }
            if (k % 4 == 0) {
                if (above)
                    graph_edge(g, above, name, NULL, "style", "invis", NULL);
                free(above);
                above = name;
            } else {
                free(name);
            }
        }
        buf_puts(text, "</ul>");
        free(cname);
    }
    free(above);
    static const legend_entry entries[] = {
        {.text = "kaavio.uusi_selite", .shape = "bold"},
        {.text = "kaavio.muuttuu_selite", .shape = "double"},
        {.text = "kaavio.poistuu_selite", .shape = "dotted"},
        {.text = "kaavio.ennallaan_selite", .shape = "rounded"},
        {0},
    };
    legend_html(legend, env->cat, entries);
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

/* The width in CSS px a chart may take without scrolling: the page's main column at its
 * widest (layouts' .runko: 78rem less the 16rem side bar, the gap and the padding). */
#define FIT_PX 920.0
/* Graphviz sets its text in points (the smallest in our charts is 12 pt, 16 CSS px): a chart
 * wider than FIT_PX is shown smaller, down to 3/4 of its size, where 12 pt is 12 px — the
 * smallest text a reader is given. What is wider still scrolls sideways in its region. */
#define MIN_SCALE 0.75

/* The picture with an intrinsic size in CSS px. An <svg> root that has a viewBox but no width
 * (the wheel and the timeline draw in viewBox units only) gets width and height from its
 * viewBox; a Graphviz root (width and height in pt) gets them in px, scaled down as far as
 * MIN_SCALE to fit FIT_PX. Either way it keeps that size in the page instead of shrinking to the
 * column's width (a phone scrolls it sideways). Anything else is copied. */
static void put_sized(buf_t *b, const buf_t *svg)
{
    const char *s = svg->ptr ? svg->ptr : "";
    const char *end = svg->len > 4 && !strncmp(s, "<svg", 4) ? memchr(s, '>', svg->len) : NULL;
    const char *vb = end ? strstr(s, " viewBox=\"") : NULL;
    double x, y, w, h;
    char *root = end ? xstrndup(s, (size_t)(end - s)) : NULL;
    const char *pt = root && !strncmp(root, "<svg width=\"", 12) ? root + 12 : NULL;
    int used = 0;
    if (vb && vb < end && !strstr(root, " width=\"") && sscanf(vb + 10, "%lf %lf %lf %lf", &x, &y, &w, &h) == 4 &&
        w > 0 && h > 0) {
        buf_printf(b, "<svg width=\"%g\" height=\"%g\"", w, h);
        buf_put(b, s + 4, svg->len - 4);
    } else if (pt && sscanf(pt, "%lfpt\" height=\"%lfpt\"%n", &w, &h, &used) == 2 && used > 0 && w > 0 && h > 0) {
        double px = w * 4.0 / 3.0, scale = px > FIT_PX ? FIT_PX / px : 1.0;
        if (scale < MIN_SCALE)
            scale = MIN_SCALE;
        buf_printf(b, "<svg width=\"%.0f\" height=\"%.0f\"", px * scale, h * 4.0 / 3.0 * scale);
        buf_puts(b, pt + used);
        buf_put(b, end, svg->len - (size_t)(end - s));
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
static const char *file_picture(diagrams *dg, const char *base, const char *dir, const char *id, const buf_t *svg)
{
    if (!svg->len)
        return NULL;
    char *name = xasprintf("%s%s", dir, id); /* "sv/rakenne-x": a language's files in its folder */
    for (unsigned k = 2; strmap_has(dg->pic_ids, name); k++) {
        free(name);
        name = xasprintf("%s%s-%u", dir, id, k);
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
    const char *slash = strrchr(name, '/');
    dg->pic_paths[dg->n_pics] = slash ? xasprintf("%.*skaaviot/%s.svg", (int)(slash + 1 - name), name, slash + 1)
                                      : xasprintf("kaaviot/%s.svg", name);
    dg->pic_len[dg->n_pics] = b.len;
    dg->pic_data[dg->n_pics] = buf_detach(&b);
    strmap_add(dg->pic_ids, name, dg->pic_paths[dg->n_pics]);
    free(name);
    return dg->pic_paths[dg->n_pics++];
}

/* <figure> with the picture, keys (HTML right under the picture: a chart's legend, the wheel's
 * numbered names; may be NULL), its caption, a link to the picture alone and its text
 * equivalent. The picture keeps its natural size in a region that
 * scrolls sideways (focusable, so that the keyboard can scroll it; named by
 * aria-label, not by the caption's id, which booklets prefix). The chart
 * alone is filed under dg for the writer. */
/* svg with lang="<mark>" on its first <title> and <desc> (the SVG's name
 * and description, which the root's aria-labelledby reads; graph.c and
 * wheel.c write them first). */
static void mark_svg_title(buf_t *out, const buf_t *svg, const char *mark, bool desc_too)
{
    static const char *const tags[] = {"<title", "<desc"};
    const char *s = svg->ptr ? svg->ptr : "";
    size_t from = 0;
    for (int i = 0; i < (desc_too ? 2 : 1); i++) {
        const char *t = strstr(s + from, tags[i]);
        if (!t)
            continue;
        size_t at = (size_t)(t - s) + strlen(tags[i]);
        buf_put(out, s + from, at - from);
        buf_printf(out, " lang=\"%s\"", mark);
        from = at;
    }
    buf_put(out, s + from, svg->len - from);
}

/* title_mark: the language of a title that fell back to the default's (NULL
 * when it is the drawing's own): the caption, the region's name and the
 * SVG's title say so, and the SVG inside the region keeps the drawing's
 * language (lang on its root); desc_marked: the SVG's <desc> is the title too. */
static char *figure(diagrams *dg, const env_t *env, const char *id, const char *title, const char *title_mark,
                    bool desc_marked, const buf_t *svg_in, const buf_t *keys, const buf_t *text)
{
    const char *base = env->base;
    buf_t b = BUF_INIT, marked = BUF_INIT, sized = BUF_INIT;
    const buf_t *svg = svg_in;
    if (title_mark) {
        mark_svg_title(&marked, svg_in, title_mark, desc_marked);
        svg = &marked;
    }
    const char *alone = file_picture(dg, base, env->dir, id, svg);
    buf_printf(&b, "<figure class=\"kaavio\" id=\"kuva-%s\">\n"
                   "<div class=\"kaavio-kuva\" role=\"region\" tabindex=\"0\"", id);
    if (title_mark)
        buf_printf(&b, " lang=\"%s\"", title_mark);
    buf_puts(&b, " aria-label=\"");
    esc_html_str(&b, title);
    buf_puts(&b, "\">");
    put_sized(&sized, svg);
    if (title_mark && env->lang && sized.len > 4 && !strncmp(sized.ptr, "<svg", 4)) {
        buf_printf(&b, "<svg lang=\"%s\"", env->lang);
        buf_put(&b, sized.ptr + 4, sized.len - 4);
    } else {
        buf_put(&b, sized.ptr ? sized.ptr : "", sized.len);
    }
    buf_free(&sized);
    buf_free(&marked);
    buf_puts(&b, "</div>\n");
    if (keys && keys->len)
        buf_put(&b, keys->ptr, keys->len);
    if (title_mark)
        buf_printf(&b, "<figcaption lang=\"%s\">", title_mark);
    else
        buf_puts(&b, "<figcaption>");
    esc_html_str(&b, title);
    buf_puts(&b, "</figcaption>\n");
    if (alone) {
        buf_puts(&b, "<p class=\"kaavio-avaa\"><a href=\"");
        esc_html_str(&b, base);
        esc_html_str(&b, alone);
        buf_printf(&b, "\">%s</a></p>\n", tx(env, "kaavio.avaa"));
    }
    buf_printf(&b, "<details class=\"kaavio-teksti\"><summary>%s</summary>\n", tx(env, "kaavio.tekstina"));
    buf_put(&b, text->ptr ? text->ptr : "", text->len);
    buf_puts(&b, "\n</details>\n</figure>\n");
    return buf_detach(&b);
}


/* Renders g (freeing it) and files the figure under key. */
static void draw(diagrams *dg, const env_t *env, graph *g, const char *key, const char *id, const char *title,
                 const char *title_mark, const char *desc, const buf_t *legend, buf_t *text, src_pos pos)
{
    buf_t svg = BUF_INIT;
    graph_ctx_set_lang(env->gx, env->lang); /* fi and sv drawings never share a cache entry */
    if (graph_render(g, title, desc ? desc : title, &svg, pos.file, pos.line, env->d)) {
        keep(dg, key, figure(dg, env, id, title, title_mark, true, &svg, legend, text));
        dg->count++;
    }
    buf_free(&svg);
}

/* per[]'s text in the drawing's language, else the default's (*mark: its code). */
static const char *def_text_in(const env_t *env, const char *const *per, const char **mark)
{
    const char *t = per[env->k];
    *mark = env->k && !t && per[0] ? env->dflt : NULL;
    return t ? t : per[0];
}

static void draw_def(diagrams *dg, const env_t *base_env, const def *df)
{
    const char *mark, *desc_mark;
    const char *title = def_text_in(base_env, df->titles, &mark);
    const char *desc = def_text_in(base_env, df->descs, &desc_mark);
    if (desc_mark || (mark && desc))
        desc = NULL; /* the SVG's <desc> is then its title, marked with it (mark_svg_title) */
    env_t own = *base_env;
    own.colours = df->colours;
    const env_t *env = &own;
    buf_t text = BUF_INIT, svg = BUF_INIT, legend = BUF_INIT; /* legend: also the wheel's numbered names */
    char *key = xasprintf("%sid:%s", env->dir, df->id);
    graph *g = NULL;
    switch (df->view) {
    case V_STRUCTURE: g = view_structure(env, df, &text, &legend); break;
    case V_PARTY: g = view_party(env, df->id, df->party, &text, &legend); break;
    case V_LEGAL: g = view_legal(env, df, &text, &legend); break;
    case V_ORG: g = view_org(env, df, &text, &legend); break;
    case V_COMPARE: g = view_compare(env, df->id, val_get(df->model, OK_VERTAILU), &text, &legend); break;
    case V_WHEEL:
        wheel_svg(env->data, env->cat, df->id, title, env->base, 0, graph_ctx_textm(env->gx), &svg, &legend);
        wheel_table(env->data, env->cat, env->lang ? env->dflt : NULL, env->base, &text);
        break;
    case V_TIMELINE:
        timeline_svg(env->data, env->cat, df->id, title, graph_ctx_textm(env->gx), &svg);
        timeline_list_in(env->data, env->lang, &text);
        break;
    default: break;
    }
    if (g) {
        draw(dg, env, g, key, df->id, title, mark, desc, &legend, &text, df->pos);
    } else {
        keep(dg, key, figure(dg, env, df->id, title, mark, false, &svg, &legend, &text));
        dg->count++;
    }
    free(key);
    buf_free(&text);
    buf_free(&svg);
    buf_free(&legend);
}

/* The charts entity pages get: a party's forums, a model's structure, a comparison. */
static void draw_auto(diagrams *dg, const env_t *envs, const site *s)
{
    for (size_t i = 0; i < site_page_count(s); i++) {
        const page *p = site_page_at(s, i);
        const env_t *env = &envs[page_lang(p)];
        const val *e = page_entity(p);
        const char *type = e ? val_get_str(e, OK_TYYPPI) : NULL;
        if (!e)
            continue;
        buf_t text = BUF_INIT, legend = BUF_INIT;
        char *key = xasprintf("page:%s", page_url(p));
        const char *eid = val_get_str(e, OK_ID);
        char *id = NULL, *title = NULL;
        graph *g = NULL;
        src_pos pos = val_pos(e);
        if (type && (!strcmp(type, "party") || !strcmp(type, "group") || !strcmp(type, "role")) &&
            (val_len(val_get(e, OK_KUTSUU)) || val_len(val_get(e, OK_OSALLISTUU)))) {
            id = xasprintf("toimija-%s", eid);
            title = text_of(env->cat, "kaavio.foorumit", "nimi", nm(env, e, OK_NIMI));
            g = view_party(env, id, e, &text, &legend);
        } else if (type && !strcmp(type, "model")) {
            def df = {.model = e, .pos = pos, .left_right = true};
            id = xasprintf("rakenne-%s", eid);
            title = text_of(env->cat, "kaavio.rakenne", "nimi", nm(env, e, OK_NIMI));
            df.id = id;
            g = view_structure(env, &df, &text, &legend);
        } else if (!type && val_get(e, OK_LISATYT)) { /* a comparison node */
            id = xasprintf("vertailu-%s", eid);
            title = xstrdup(nm(env, e, OK_NIMI));
            g = view_compare(env, id, e, &text, &legend);
        }
        if (g)
            draw(dg, env, g, key, id, title, NULL, NULL, &legend, &text, pos);
        free(id);
        free(title);
        free(key);
        buf_free(&text);
        buf_free(&legend);
    }
}

/* ```dot blocks are drawn here; ```kaavio blocks must name a definition. */
static void draw_blocks(diagrams *dg, const env_t *envs, const site *s)
{
    const env_t *env = &envs[0];
    size_t n_ids = dg->n_defs;
    const char **ids = xmalloc((n_ids ? n_ids : 1) * sizeof(char *));
    for (size_t i = 0; i < n_ids; i++)
        ids[i] = dg->defs[i].id;
    size_t serial = 0;
    for (size_t i = 0; i < site_page_count(s); i++) {
        const page *p = site_page_at(s, i);
        const md_doc *doc = page_outline(p);
        env = &envs[page_lang(p)];
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
            char *title = text_of(env->cat, "kaavio.kaavio", "sivu", page_title(p));
            buf_t svg = BUF_INIT, text = BUF_INIT;
            graph_ctx_set_lang(env->gx, env->lang);
            if (graph_render_dot(env->gx, id, e->text, strlen(e->text), title, title, &svg, page_src(p), e->line + 1,
                                 env->d)) {
                buf_printf(&text, "<p>%s</p><pre>", tx(env, "kaavio.lahdeteksti"));
                esc_html_str(&text, e->text);
                buf_puts(&text, "</pre>");
                char *key = xasprintf("block:%s#%zu", page_src(p), k);
                keep(dg, key, figure(dg, env, id, title, NULL, false, &svg, NULL, &text));
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

/* Names the charts draw whose characters the shipped font lacks (emoji, other scripts): the
 * browser shows them in another font, which may not fit the box measured for them. Warned once
 * per value, at its place in the YAML. */
static void warn_missing_glyphs(const env_t *env)
{
    const textm *tm = graph_ctx_textm(env->gx);
    static const char *const lists[] = {OK_TOIMIJAT, OK_RYHMAT,     OK_ROOLIT,   OK_FOORUMIT, OK_TAPAHTUMAT,
                                        OK_VIRSTANPYLVAAT, OK_VELVOITTEET, OK_ELIMET};
    static const char *const fields[] = {OK_NIMI, OK_LYHENNE, OK_KUVAUS};
    if (!tm)
        return;
    for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) {
        const val *list = val_get(env->data, lists[l]);
        for (size_t i = 0; i < val_len(list); i++)
            for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
                const val *e = val_at(list, i), *v = val_get(e, fields[f]);
                const char *text = val_as_str(v);
                size_t n = text ? textm_missing(tm, text, false) : 0;
                if (!n)
                    continue;
                src_pos at = val_pos(v);
                if (!at.file)
                    at = val_pos(e); /* a derived value: the entity's place */
                diag_warning(env->d, at.file, at.line, at.col,
                             "'%s' has %zu character%s the charts' font (" TEXTM_FAMILY ") does not have: "
                             "readers see them in another font, which may not fit the chart's boxes "
                             "(write the name in letters)",
                             text, n, n == 1 ? "" : "s");
            }
    }
}

void diagrams_render(diagrams *dg, graph_ctx *gx, const site *s, diag_list *d)
{
    /* One drawing environment per language: the default's texts and files
     * as they always were, another's from its catalog and <field>_kielet,
     * its files under its folder and its definitions under "sv/id:…". */
    env_t envs[SITE_MAX_LANGS];
    char *dirs[SITE_MAX_LANGS] = {0};
    size_t n_langs = site_lang_count(s);
    assert(n_langs >= 1 && n_langs <= SITE_MAX_LANGS);
    for (size_t k = 0; k < n_langs; k++) {
        dirs[k] = k ? xasprintf("%s/", site_lang_at(s, k)) : xstrdup("");
        envs[k] = (env_t){.gx = gx, .base = site_base_path(s), .data = dg->data, .d = d,
                          .cat = k ? site_i18n_lang(s, k) : site_i18n(s), .lang = k ? site_lang_at(s, k) : NULL,
                          .dir = dirs[k], .s = s, .k = k, .dflt = site_lang_at(s, 0)};
    }
    if (dg->data)
        warn_missing_glyphs(&envs[0]);
    for (size_t k = 0; k < n_langs; k++)
        for (size_t i = 0; dg->data && i < dg->n_defs; i++)
            draw_def(dg, &envs[k], &dg->defs[i]);
    if (dg->data)
        draw_auto(dg, envs, s);
    draw_blocks(dg, envs, s);
    graph_ctx_set_lang(gx, NULL);
    for (size_t k = 0; k < n_langs; k++)
        free(dirs[k]);
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
    env_t env = {.gx = gx, .base = site_base_path(s), .data = dg->data, .d = d, .cat = site_i18n(s), .dir = ""};
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

const char *diagrams_by_id_in(const diagrams *dg, const char *id, const char *lang)
{
    return lang ? lookup(dg, xasprintf("%s/id:%s", lang, id)) : diagrams_by_id(dg, id);
}

const char *diagrams_def_file(const diagrams *dg, const char *id)
{
    for (size_t i = 0; dg && id && i < dg->n_defs; i++)
        if (!strcmp(dg->defs[i].id, id))
            return dg->defs[i].pos.file;
    return NULL;
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
