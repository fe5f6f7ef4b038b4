/* i18n: the message catalogs (layouts/kielet/<lang>.yaml) read, checked
 * against the Finnish reference, merged and looked up. */
#include "i18n.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/strmap.h"
#include "../0-base/xmem.h"
#include "../1-load/theme.h"
#include "../1-load/yaml_load.h"

/* The forms of a text with number forms. */
#define FORM_ONE "yksi"
#define FORM_MANY "monta"

typedef struct {
    char *key;   /* "group.key" */
    char *one;   /* the text, or the "yksi" form (NULL when the key has no number forms) */
    char *many;  /* the "monta" form (== NULL unless plural) */
    bool plural;
    bool given;  /* set by the language's own catalog (not the Finnish fallback) */
} entry;

struct i18n {
    char *lang;
    entry *items; /* in the reference's order */
    size_t len;
    strmap *index; /* key -> entry */
    val *tree;
};

/* {====== Placeholders ====== */

/* Length of the placeholder name at p (just after '{'), 0 when p does not
 * start one: [a-z0-9_]+ followed by '}'. */
static size_t placeholder_at(const char *p)
{
    size_t n = 0;
    while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9') || p[n] == '_')
        n++;
    return n && p[n] == '}' ? n : 0;
}

/* True when text has the placeholder {name} (name of length n). */
static bool has_placeholder(const char *text, const char *name, size_t n)
{
    for (const char *p = text ? strchr(text, '{') : NULL; p; p = strchr(p + 1, '{')) {
        size_t k = placeholder_at(p + 1);
        if (k == n && !strncmp(p + 1, name, n))
            return true;
    }
    return false;
}

/* The first placeholder of text that ref's forms do not have (and that is
 * not {n} of a text with number forms), as a malloc'd name; NULL when none. */
static char *stray_placeholder(const char *text, const entry *ref)
{
    for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{')) {
        size_t n = placeholder_at(p + 1);
        if (!n)
            continue;
        if (has_placeholder(ref->one, p + 1, n) || has_placeholder(ref->many, p + 1, n) ||
            (ref->plural && n == 1 && p[1] == 'n'))
            continue;
        return xstrndup(p + 1, n);
    }
    return NULL;
}

/* "{n}, {nimi}": the placeholders ref fills, for a message. */
static void list_placeholders(const entry *ref, buf_t *out)
{
    const char *forms[] = {ref->one, ref->many};
    size_t start = out->len;
    for (int f = 0; f < 2; f++)
        for (const char *p = forms[f] ? strchr(forms[f], '{') : NULL; p; p = strchr(p + 1, '{')) {
            size_t n = placeholder_at(p + 1);
            if (!n)
                continue;
            char *name = xasprintf("{%.*s}", (int)n, p + 1);
            if (!strstr(buf_cstr(out) + start, name))
                buf_printf(out, "%s%s", out->len > start ? ", " : "", name);
            free(name);
        }
    if (out->len == start)
        buf_puts(out, "none");
}

/* } */

static void entry_set(entry *e, const char *one, const char *many)
{
    free(e->one);
    free(e->many);
    e->one = xstrdup(one);
    e->many = many ? xstrdup(many) : NULL;
}

/* The forms of a plural text v ({yksi: …, monta: …}); false when v is not one. */
static bool plural_forms(const val *v, const char **one, const char **many)
{
    if (val_kind_of(v) != VAL_MAP)
        return false;
    *one = val_get_str(v, FORM_ONE);
    *many = val_get_str(v, FORM_MANY);
    return *one && *many && val_len(v) == 2;
}

/* The reference: every key of the built-in Finnish catalog. Its shape is
 * the theme's own and checked by the unit tests; a malformed text is left out. */
static void read_reference(i18n *c, const val *root)
{
    size_t cap = 0;
    for (size_t g = 0; g < val_len(root); g++) {
        const val *grp = val_at(root, g);
        for (size_t k = 0; k < val_len(grp); k++) {
            const val *v = val_at(grp, k);
            const char *one = val_as_str(v), *many = NULL;
            bool plural = !one && plural_forms(v, &one, &many);
            if (!one)
                continue;
            if (c->len == cap)
                c->items = xrealloc(c->items, (cap = cap ? 2 * cap : 256) * sizeof *c->items);
            entry *e = &c->items[c->len++];
            *e = (entry){.key = xasprintf("%s.%s", val_key_at(root, g), val_key_at(grp, k)), .plural = plural};
            entry_set(e, one, many);
        }
    }
    for (size_t i = 0; i < c->len; i++)
        strmap_add(c->index, c->items[i].key, &c->items[i]);
}

/* Every reference key, for "did you mean". */
static const char **all_keys(const i18n *c)
{
    const char **keys = xmalloc((c->len + 1) * sizeof *keys);
    for (size_t i = 0; i < c->len; i++)
        keys[i] = c->items[i].key;
    return keys;
}

/* One text of a language's catalog put over the entry it names. */
static void overlay_text(i18n *c, const char *name, const char *key, const val *v, diag_list *d)
{
    src_pos at = val_pos(v);
    entry *e = strmap_get(c->index, key);
    if (!e) {
        const char *near = i18n_suggest(c, key);
        diag_warning(d, name, at.line, at.col, "unknown interface text '%s'%s%s%s", key,
                     near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
        return;
    }
    const char *one = val_as_str(v), *many = NULL;
    if (e->plural ? !plural_forms(v, &one, &many) : !one) {
        diag_warning(d, name, at.line, at.col,
                     e->plural ? "interface text '%s' must be a map of its forms '" FORM_ONE "' and '" FORM_MANY "'"
                               : "interface text '%s' must be a text",
                     key);
        return;
    }
    const char *forms[] = {one, many};
    for (int f = 0; f < 2; f++) {
        char *stray = forms[f] ? stray_placeholder(forms[f], e) : NULL;
        if (stray) {
            buf_t has = BUF_INIT;
            list_placeholders(e, &has);
            diag_warning(d, name, at.line, at.col,
                         "interface text '%s' uses the placeholder {%s}, which is not filled in (its placeholders: %s)",
                         key, stray, buf_cstr(&has));
            buf_free(&has);
            free(stray);
            return;
        }
    }
    entry_set(e, one, many);
    e->given = true;
}

/* A language's catalog file put over the texts so far. */
static void overlay(i18n *c, i18n_file f, diag_list *d)
{
    if (!f.data)
        return;
    val *root = yaml_load(f.data, f.len, f.name, 0, d);
    if (root && val_kind_of(root) != VAL_MAP && val_kind_of(root) != VAL_NULL) {
        src_pos at = val_pos(root);
        diag_warning(d, f.name, at.line, at.col, "a catalog must be a map of groups of interface texts");
    }
    for (size_t g = 0; root && val_kind_of(root) == VAL_MAP && g < val_len(root); g++) {
        const val *grp = val_at(root, g);
        if (val_kind_of(grp) != VAL_MAP) {
            src_pos at = val_pos(grp);
            diag_warning(d, f.name, at.line, at.col, "'%s' must be a map of interface texts", val_key_at(root, g));
            continue;
        }
        for (size_t k = 0; k < val_len(grp); k++) {
            char *key = xasprintf("%s.%s", val_key_at(root, g), val_key_at(grp, k));
            overlay_text(c, f.name, key, val_at(grp, k), d);
            free(key);
        }
    }
    val_free(root);
}

static void build_tree(i18n *c)
{
    c->tree = val_map((src_pos){0});
    for (size_t i = 0; i < c->len; i++) {
        const entry *e = &c->items[i];
        const char *dot = strchr(e->key, '.');
        char *group = xstrndup(e->key, (size_t)(dot - e->key));
        val *g = val_get(c->tree, group);
        if (!g) {
            g = val_map((src_pos){0});
            val_set(c->tree, group, g);
        }
        if (e->plural) {
            val *forms = val_map((src_pos){0});
            val_set_str(forms, FORM_ONE, e->one);
            val_set_str(forms, FORM_MANY, e->many);
            val_set(g, dot + 1, forms);
        } else
            val_set_str(g, dot + 1, e->one);
        free(group);
    }
}

i18n *i18n_new(const char *lang, i18n_file ref, i18n_file builtin, i18n_file site, diag_list *d)
{
    i18n *c = xcalloc(1, sizeof *c);
    c->lang = xstrdup(lang && *lang ? lang : I18N_DEFAULT);
    c->index = strmap_new();
    val *root = ref.data ? yaml_load(ref.data, ref.len, ref.name, 0, d) : NULL;
    if (root && val_kind_of(root) == VAL_MAP)
        read_reference(c, root);
    val_free(root);
    bool finnish = !strcmp(c->lang, I18N_DEFAULT);
    if (!finnish)
        overlay(c, builtin, d);
    overlay(c, site, d);
    if (!finnish) {
        const char *name = site.data ? site.name : builtin.name;
        if (!builtin.data && !site.data)
            diag_warning(d, NULL, 0, 0, "no interface texts for language '%s' (" I18N_DIR "%s.yaml): the Finnish ones are used",
                         c->lang, c->lang);
        else
            for (size_t i = 0; i < c->len; i++)
                if (!c->items[i].given)
                    diag_warning(d, name, 1, 1, "interface text '%s' is missing: the Finnish text is used",
                                 c->items[i].key);
    }
    build_tree(c);
    return c;
}

/* The language site.yaml (data, len) names (its own diagnostics are site.c's). */
static char *language_of(const char *data, size_t len)
{
    if (!data)
        return xstrdup(I18N_DEFAULT);
    diag_list *quiet = diag_list_new();
    val *root = yaml_load(data, len, "site.yaml", 0, quiet);
    const char *lang = root && val_kind_of(root) == VAL_MAP ? val_get_str(root, "language") : NULL;
    const val *langs = root && val_kind_of(root) == VAL_MAP ? val_get(root, "languages") : NULL;
    if (!lang && val_kind_of(langs) == VAL_LIST && val_len(langs) > 0) /* the first is the default */
        lang = val_as_str(val_at(langs, 0));
    char *out = xstrdup(lang && *lang ? lang : I18N_DEFAULT);
    val_free(root);
    diag_list_free(quiet);
    return out;
}

static i18n_file builtin_file(const char *path, char **name)
{
    const theme_file *t = theme_find(path);
    if (!t)
        return (i18n_file){0};
    *name = xasprintf(THEME_MARK "%s", path);
    return (i18n_file){.data = (const char *)t->data, .len = t->len, .name = *name};
}

const char *i18n_lang_name(const char *code)
{
    static const char *const names[][2] = {{"fi", "Finnish"}, {"sv", "Swedish"}, {"en", "English"},
                                           {"se", "Northern Sami"}, {"de", "German"}, {"ru", "Russian"}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(names[i][0], code))
            return names[i][1];
    return code;
}

i18n *i18n_load(const src_tree *src, diag_list *d)
{
    const src_file *cfg = src_config(src);
    char *lang = language_of(cfg ? cfg->data : NULL, cfg ? cfg->len : 0);
    i18n *c = i18n_load_lang(src, lang, d);
    free(lang);
    return c;
}

i18n *i18n_load_lang(const src_tree *src, const char *lang, diag_list *d)
{
    char *path = xasprintf(I18N_DIR "%s.yaml", lang);
    char *ref_name = NULL, *own_name = NULL;
    i18n_file ref = builtin_file(I18N_DIR I18N_DEFAULT ".yaml", &ref_name);
    i18n_file builtin = builtin_file(path, &own_name);
    i18n_file site = {0};
    for (size_t i = 0; i < src_count(src, SRC_CATALOG); i++) {
        const src_file *f = src_at(src, SRC_CATALOG, i);
        if (!f->builtin && f->data && !strcmp(f->path, path))
            site = (i18n_file){.data = f->data, .len = f->len, .name = f->name ? f->name : f->path};
    }
    i18n *c = i18n_new(lang, ref, builtin, site, d);
    free(ref_name);
    free(own_name);
    free(path);
    return c;
}

i18n *i18n_load_dir(const char *root, diag_list *d)
{
    buf_t cfg = BUF_INIT, own = BUF_INIT;
    char *lang = language_of(src_read(root, "site.yaml", &cfg) ? buf_cstr(&cfg) : NULL, cfg.len);
    char *path = xasprintf(I18N_DIR "%s.yaml", lang);
    char *ref_name = NULL, *own_name = NULL;
    i18n_file ref = builtin_file(I18N_DIR I18N_DEFAULT ".yaml", &ref_name);
    i18n_file site = src_read(root, path, &own) ? (i18n_file){.data = buf_cstr(&own), .len = own.len, .name = path}
                                                 : (i18n_file){0};
    i18n *c = i18n_new(lang, ref, builtin_file(path, &own_name), site, d);
    buf_free(&cfg);
    buf_free(&own);
    free(ref_name);
    free(own_name);
    free(path);
    free(lang);
    return c;
}

i18n *i18n_builtin(const char *lang, diag_list *d)
{
    char *path = xasprintf(I18N_DIR "%s.yaml", lang);
    char *ref_name = NULL, *own_name = NULL;
    i18n_file ref = builtin_file(I18N_DIR I18N_DEFAULT ".yaml", &ref_name);
    i18n *c = i18n_new(lang, ref, builtin_file(path, &own_name), (i18n_file){0}, d);
    free(ref_name);
    free(own_name);
    free(path);
    return c;
}

void i18n_free(i18n *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->len; i++) {
        free(c->items[i].key);
        free(c->items[i].one);
        free(c->items[i].many);
    }
    free(c->items);
    strmap_free(c->index);
    val_free(c->tree);
    free(c->lang);
    free(c);
}

const char *i18n_lang(const i18n *c) { return c->lang; }

bool i18n_has(const i18n *c, const char *key) { return strmap_has(c->index, key); }

const char *i18n_suggest(const i18n *c, const char *key)
{
    const char **keys = all_keys(c);
    const char *near = diag_suggest(key, keys, c->len);
    free(keys);
    return near;
}

static const entry *find(const i18n *c, const char *key)
{
    const entry *e = strmap_get(c->index, key);
    assert(e && "an interface text the Finnish catalog does not have");
    return e;
}

const char *i18n_text(const i18n *c, const char *key)
{
    const entry *e = find(c, key);
    return e ? (e->plural ? e->many : e->one) : key;
}

/* text with its placeholders filled from the name/value pairs of ap. */
static void fill(buf_t *out, const char *text, const char *n, va_list ap)
{
    /* The pairs, copied out of ap so that each placeholder can look at all of them. */
    const char *pairs[32];
    size_t np = 0;
    if (n) {
        pairs[np++] = "n";
        pairs[np++] = n;
    }
    for (const char *name; np + 2 <= 32 && (name = va_arg(ap, const char *));) {
        pairs[np++] = name;
        pairs[np++] = va_arg(ap, const char *);
    }
    for (const char *p = text; *p;) {
        size_t k = *p == '{' ? placeholder_at(p + 1) : 0;
        size_t i = 0;
        while (k && i < np && (strlen(pairs[i]) != k || strncmp(pairs[i], p + 1, k)))
            i += 2;
        if (k && i < np) {
            buf_puts(out, pairs[i + 1] ? pairs[i + 1] : "");
            p += k + 2;
        } else
            buf_putc(out, *p++);
    }
}

void i18n_put(const i18n *c, buf_t *out, const char *key, ...)
{
    va_list ap;
    va_start(ap, key);
    fill(out, i18n_text(c, key), NULL, ap);
    va_end(ap);
}

void i18n_put_n(const i18n *c, buf_t *out, const char *key, long n, ...)
{
    const entry *e = find(c, key);
    const char *text = !e ? key : e->plural && n == 1 ? e->one : e->plural ? e->many : e->one;
    char num[24];
    snprintf(num, sizeof num, "%ld", n);
    va_list ap;
    va_start(ap, n);
    fill(out, text, num, ap);
    va_end(ap);
}

const val *i18n_tree(const i18n *c) { return c->tree; }
