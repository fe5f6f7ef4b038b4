/* site: config, pages, URLs and link resolution (navigation and section pages: site_sections.c). */
#include "site.h"

#include <assert.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/buf.h"
#include "../0-base/strmap.h"
#include "../0-base/hash.h"
#include "../0-base/par.h"
#include "../0-base/utf8.h"
#include "../0-base/xmem.h"
#include "../1-load/frontmatter.h"
#include "../1-load/yaml_load.h"
#include "loc.h"
#include "schema.h"

#include "site_impl.h"

/* {====== Paths and URLs ====== */

/* A path segment editors may use in a file name: lower-case ASCII letters,
 * digits, '-' and '_' (so URLs stay readable and portable). */
static bool segment_ok(const char *s, size_t n)
{
    if (n == 0 || s[0] == '-' || s[0] == '_')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(islower(c) || isdigit(c) || c == '-' || c == '_'))
            return false;
    }
    return true;
}

/* A normalised, non-empty path whose every segment may be part of an address. */
static bool address_ok(const char *norm)
{
    bool ok = norm && *norm;
    for (const char *q = norm; ok && *q;) {
        const char *slash = strchr(q, '/');
        size_t n = slash ? (size_t)(slash - q) : strlen(q);
        ok = segment_ok(q, n);
        q += n + (slash ? 1 : 0);
    }
    return ok;
}

/* A file-name suggestion: ä->a, ö->o, å->a, upper to lower, others to '-'. */
static char *suggest_segment(const char *s, size_t n)
{
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC3 && i + 1 < n) {
            unsigned char c2 = (unsigned char)s[++i];
            buf_putc(&b, (c2 == 0xA4 || c2 == 0x84 || c2 == 0xA5 || c2 == 0x85) ? 'a'
                         : (c2 == 0xB6 || c2 == 0x96)                           ? 'o'
                                                                                : '-');
        } else if (isalnum(c)) {
            buf_putc(&b, (char)tolower(c));
        } else if (c == '-' || c == '_') {
            buf_putc(&b, (char)c);
        } else if (c < 0x80 || (c & 0xC0) == 0xC0) {
            buf_putc(&b, '-');
        }
    }
    return buf_detach(&b);
}

char *site_root_prefix(const char *from_url)
{
    buf_t b = BUF_INIT;
    for (const char *p = from_url; *p; p++)
        if (*p == '/')
            buf_puts(&b, "../");
    return buf_detach(&b);
}

/* Normalises a '/'-separated path: drops "." and empty segments, applies "..".
 * Returns NULL when ".." climbs above the start. Caller frees. */
static char *normalize_path(const char *path)
{
    char **segs = NULL;
    size_t n = 0;
    const char *p = path;
    bool ok = true;
    while (*p && ok) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len == 0 || (len == 1 && p[0] == '.')) {
            /* skip */
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            if (n == 0)
                ok = false;
            else
                free(segs[--n]);
        } else {
            segs = xrealloc(segs, (n + 1) * sizeof(char *));
            segs[n++] = xstrndup(p, len);
        }
        p += len + (slash ? 1 : 0);
    }
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (ok)
            buf_printf(&b, "%s%s", i ? "/" : "", segs[i]);
        free(segs[i]);
    }
    free(segs);
    if (!ok) {
        buf_free(&b);
        return NULL;
    }
    return buf_detach(&b);
}

/* The URL of a content path, or NULL (with an error) for a bad file name.
 * content/index.md -> "", content/a/index.md and content/a/_index.md -> "a/",
 * content/a/b.md -> "a/b/". */
static char *url_of(const char *src_path, diag_list *d)
{
    const char *rel = src_path + strlen("content/");
    size_t len = strlen(rel) - 3; /* without ".md" */
    buf_t url = BUF_INIT;
    const char *p = rel, *end = rel + len;
    while (p < end) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        const char *seg_end = slash ? slash : end;
        size_t n = (size_t)(seg_end - p);
        bool last = !slash;
        if (last && ((n == 5 && !memcmp(p, "index", 5)) || (n == 6 && !memcmp(p, "_index", 6))))
            break;
        if (!segment_ok(p, n)) {
            char *s = suggest_segment(p, n);
            diag_error(d, src_path, 0, 0,
                       "the name '%.*s' cannot be part of an address: use lower-case letters a-z, "
                       "digits and '-' (for example '%s')",
                       (int)n, p, s);
            free(s);
            buf_free(&url);
            return NULL;
        }
        buf_put(&url, p, n);
        buf_putc(&url, '/');
        p = seg_end + 1;
    }
    return buf_detach(&url);
}

/* Decodes %XX escapes (for anchors written percent-encoded). Caller frees. */
static char *percent_decode(const char *s)
{
    buf_t b = BUF_INIT;
    for (; *s; s++) {
        if (s[0] == '%' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
            char hex[3] = {s[1], s[2], 0};
            buf_putc(&b, (char)strtol(hex, NULL, 16));
            s += 2;
        } else {
            buf_putc(&b, *s);
        }
    }
    return buf_detach(&b);
}

/* } */

/* {====== site.yaml ====== */

/* The keys of site.yaml and of its menu entries: what load_config and
 * load_menu accept, and the JSON Schema of site.yaml (site_schema). */
static const schema_key menu_keys[] = {
    {.key = "title", .kind = SK_TEXT, .required = true, .desc = "Valikon kohdan teksti."},
    {.key = "page", .kind = SK_TEXT,
     .desc = "Sivu, johon kohta vie, sisältöpolkuna (esim. toimijat/index.md); joko page tai url."},
    {.key = "url", .kind = SK_TEXT,
     .desc = "Osoite, johon kohta vie: https://… tai sivuston juuresta /…; joko page tai url."},
    {0},
};
static const schema_table menu_table = {"a menu entry", "Valikon kohta: title ja page tai url.", menu_keys, false};

static const schema_key config_keys[] = {
    {.key = "title", .kind = SK_TEXT, .required = true, .desc = "Sivuston nimi."},
    {.key = "language", .kind = SK_TEXT, .desc = "Sivuston kieli, esim. fi (oletus)."},
    {.key = "languages", .kind = SK_FREE,
     .desc = "Sivuston kielet, ensimmäinen oletuskieli, esim. [fi, sv]; tekstit kielittäin {fi: …, sv: …}."},
    {.key = "kaannokset", .kind = SK_TEXT,
     .desc = "valinnainen: kääntämättömistä sivuista ja kentistä ei varoiteta (oletus: varoitetaan)."},
    {.key = "base_url", .kind = SK_STRING, .pattern = "^(https?://|/)",
     .desc = "Osoite, jossa sivusto julkaistaan, esim. https://www.example.fi/kasikirja/ (oletus /)."},
    {.key = "description", .kind = SK_TEXT, .desc = "Sivuston kuvaus hakukoneille."},
    {.key = "unsafe_html", .kind = SK_BOOL,
     .desc = "true: sivujen HTML-koodi päästetään läpi sellaisenaan (oletus false)."},
    {.key = "ohjeet", .kind = SK_BOOL,
     .desc = "false: sisäänrakennettua toimittajan ohjetta (ohjeet/) ei julkaista (oletus true)."},
    {.key = "menu", .kind = SK_OBJECTS, .sub = &menu_table, .desc = "Päävalikon kohdat järjestyksessä."},
    {.key = "params", .kind = SK_FREE, .desc = "Vapaat asetukset, joita ulkoasut lukevat (site.params)."},
    {0},
};
static const schema_table config_table = {"site.yaml", "Sivuston asetukset (site.yaml).", config_keys, false};

static char *with_slash(const char *s)
{
    size_t n = strlen(s);
    return n && s[n - 1] == '/' ? xstrdup(s) : xasprintf("%s/", s);
}

/* The path part of an absolute or root-relative base URL. */
static char *path_of_url(const char *url)
{
    const char *p = strstr(url, "://");
    if (p) {
        p = strchr(p + 3, '/');
        return xstrdup(p ? p : "/");
    }
    return xstrdup(url);
}

/* The index of language code in the site's languages, or -1. */
int site_lang_index(const site *s, const char *code)
{
    for (size_t i = 0; i < s->n_langs; i++)
        if (!strcmp(s->langs[i], code))
            return (int)i;
    return -1;
}

const char *site_lang_name(const char *code) { return i18n_lang_name(code); }
_Static_assert(SITE_MAX_LANGS == MODEL_MAX_LANGS, "the model reads as many languages as the site");

/* A text of site.yaml that may be one per language ({fi: …, sv: …}): each
 * language's text into per[] (NULL: none), the default's returned. A
 * language the site does not have and an empty text are errors. */
static const char *loc_text(site *s, val *map, const char *key, bool required, const char *where,
                            char **per, diag_list *d)
{
    val *v = val_get(map, key);
    if (val_kind_of(v) != VAL_MAP) {
        const char *t = schema_text(map, key, required, where, d);
        per[0] = t ? xstrdup(t) : NULL;
        return per[0];
    }
    /* Checked as the data's texts are (loc.h); a missing translation here is no warning. */
    const loc_langs l = {.langs = (const char *const *)s->langs, .n_langs = s->n_langs, .optional = true};
    const char *got[SITE_MAX_LANGS];
    loc_check(&l, v, key, got, d);
    for (size_t k = 0; k < s->n_langs; k++)
        if (got[k]) {
            free(per[k]);
            per[k] = xstrdup(got[k]);
        }
    return per[0];
}

/* site.yaml's `languages: [fi, sv]` (the first the default) or `language: fi`. */
static void load_languages(site *s, const char *lang, diag_list *d)
{
    val *l = val_get(s->config, "languages");
    if (l && val_kind_of(l) != VAL_LIST) {
        src_pos at = val_pos(l);
        diag_error(d, at.file, at.line, at.col, "'languages' must be a list of language codes, e.g. [fi, sv]");
        l = NULL;
    }
    for (size_t i = 0; l && i < val_len(l); i++) {
        const char *code = val_as_str(val_at(l, i));
        src_pos at = val_pos(val_at(l, i));
        bool ok = code && strlen(code) >= 2 && strlen(code) <= 3;
        for (const char *c = code; ok && *c; c++)
            ok = *c >= 'a' && *c <= 'z';
        if (!ok) {
            diag_error(d, at.file, at.line, at.col, "'%s' is not a language code (two lower-case letters: fi, sv, en)",
                       code ? code : "");
        } else if (site_lang_index(s, code) >= 0) {
            diag_error(d, at.file, at.line, at.col, "the language '%s' is listed twice", code);
        } else if (s->n_langs == SITE_MAX_LANGS) {
            diag_error(d, at.file, at.line, at.col, "at most %d languages", SITE_MAX_LANGS);
        } else {
            s->langs[s->n_langs++] = xstrdup(code);
        }
    }
    if (s->n_langs && lang && strcmp(lang, s->langs[0])) {
        src_pos at = val_pos(val_get(s->config, "language"));
        diag_error(d, at.file, at.line, at.col,
                   "'language: %s' and 'languages' (first '%s') disagree: the first of 'languages' is the "
                   "default language; leave 'language' out",
                   lang, s->langs[0]);
    }
    if (!s->n_langs)
        s->langs[s->n_langs++] = xstrdup(lang ? lang : "fi");
    const char *tr = schema_text(s->config, "kaannokset", false, "site.yaml", d);
    if (tr && strcmp(tr, "valinnainen") && strcmp(tr, "pakollinen")) {
        src_pos at = val_pos(val_get(s->config, "kaannokset"));
        diag_error(d, at.file, at.line, at.col,
                   "'kaannokset' is 'valinnainen' (untranslated pages are fine) or 'pakollinen' (the default: "
                   "each is reported), not '%s'",
                   tr);
    }
    s->tr_optional = tr && !strcmp(tr, "valinnainen");
}

static bool load_config(site *s, diag_list *d)
{
    const src_file *f = src_config(s->src);
    s->config = yaml_load(f->data, f->len, f->path, 0, d);
    if (!s->config)
        return false;
    if (val_kind_of(s->config) != VAL_MAP) {
        src_pos at = val_pos(s->config);
        diag_error(d, f->path, at.line, at.col,
                   "site.yaml must be 'key: value' lines (title, language, base_url, ...)");
        return false;
    }
    val *c = s->config;
    schema_check_keys(c, &config_table, d);
    const char *lang = schema_text(c, "language", false, "site.yaml", d);
    load_languages(s, lang, d);
    char *titles[SITE_MAX_LANGS] = {0}, *descs[SITE_MAX_LANGS] = {0};
    s->title = loc_text(s, c, "title", true, "site.yaml", titles, d);
    if (!s->title)
        s->title = "";
    const char *desc = loc_text(s, c, "description", false, "site.yaml", descs, d);
    const char *base = s->opt.base_url ? s->opt.base_url : schema_text(c, "base_url", false, "site.yaml", d);
    if (!base)
        base = "/";
    if (strncmp(base, "https://", 8) && strncmp(base, "http://", 7) && base[0] != '/') {
        val *bv = val_get(c, "base_url");
        src_pos at = s->opt.base_url ? (src_pos){0} : val_pos(bv);
        diag_error(d, s->opt.base_url ? NULL : f->path, at.line, at.col,
                   "base_url '%s' must start with https://, http:// or / (e.g. "
                   "'https://www.example.fi/kasikirja/')",
                   base);
        base = "/";
    }
    s->base_url = with_slash(base);
    s->base_path = path_of_url(s->base_url);
    s->unsafe_html = schema_bool(c, "unsafe_html", false, d);
    s->guide = schema_bool(c, "ohjeet", true, d);

    val *params = val_get(c, "params");
    if (params && val_kind_of(params) != VAL_MAP) {
        src_pos at = val_pos(params);
        diag_error(d, f->path, at.line, at.col, "'params' must be a mapping of 'key: value' lines");
        params = NULL;
    }
    s->data = val_map((src_pos){f->path, 1, 1});
    val_set_str(s->data, "title", s->title);
    val_set_str(s->data, "language", lang ? lang : "fi");
    val_set_str(s->data, "description", desc ? desc : "");
    val_set_str(s->data, "base_url", s->base_url);
    val_set_str(s->data, "base_path", s->base_path);
    val_set(s->data, "params", params ? val_ref(params) : val_map((src_pos){0}));
    val_set_str(s->data, "language", s->langs[0]);
    for (size_t i = 1; i < s->n_langs; i++) {
        val *ld = s->ldata[i] = val_map((src_pos){f->path, 1, 1});
        val_set_str(ld, "title", titles[i] ? titles[i] : s->title);
        val_set_str(ld, "language", s->langs[i]);
        val_set_str(ld, "description", descs[i] ? descs[i] : desc ? desc : "");
        val_set_str(ld, "base_url", s->base_url);
        val_set_str(ld, "base_path", s->base_path);
        val_set(ld, "params", val_ref(val_get(s->data, "params")));
    }
    /* The default's texts stay borrowed from s->data. */
    s->title = val_get_str(s->data, "title");
    for (size_t i = 0; i < SITE_MAX_LANGS; i++) {
        free(titles[i]);
        free(descs[i]);
    }
    return true;
}

/* Menu entries point at pages by content path, checked once pages are known. */
static void load_menu(site *s, diag_list *d)
{
    val *menu = val_get(s->config, "menu");
    if (!menu)
        return;
    if (val_kind_of(menu) != VAL_LIST) {
        src_pos at = val_pos(menu);
        diag_error(d, at.file, at.line, at.col,
                   "'menu' must be a list of entries ('- title: …' with 'page: …' or 'url: …')");
        return;
    }
    for (size_t i = 0; i < val_len(menu); i++) {
        val *item = val_at(menu, i);
        src_pos at = val_pos(item);
        if (val_kind_of(item) != VAL_MAP) {
            diag_error(d, at.file, at.line, at.col, "a menu entry must have 'title' and 'page' or 'url'");
            continue;
        }
        schema_check_keys(item, &menu_table, d);
        char *titles[SITE_MAX_LANGS] = {0};
        const char *title = loc_text(s, item, "title", true, "the menu entry", titles, d);
        const char *pg = schema_text(item, "page", false, "the menu entry", d);
        const char *url = schema_text(item, "url", false, "the menu entry", d);
        if (!title) {
            for (size_t k = 1; k < SITE_MAX_LANGS; k++)
                free(titles[k]);
            continue;
        }
        menu_item m = {.title = titles[0]};
        for (size_t k = 1; k < SITE_MAX_LANGS; k++)
            m.titles[k] = titles[k];
        if (pg && !url) {
            m.page = xstrdup(pg);
            m.at = val_pos(val_get(item, "page"));
        } else if (url && !pg && url[0] == '/' && url[1] != '/') {
            m.page = xstrdup(url); /* from the site root: checked like a link */
            m.rooted = true;
            m.at = val_pos(val_get(item, "url"));
        } else if (url && !pg) {
            if (!md_url_is_safe(url)) {
                src_pos vp = val_pos(val_get(item, "url"));
                diag_error(d, vp.file, vp.line, vp.col,
                           "the menu entry's url '%s' is not allowed (use an https:// address)", url);
            } else {
                m.url = xstrdup(url);
                m.external = true;
            }
        } else {
            diag_error(d, at.file, at.line, at.col,
                       "a menu entry needs exactly one of 'page' (a content file such as 'lait/index.md') "
                       "or 'url'");
        }
        if (!m.url && !m.page) {
            free(m.title);
            for (size_t k = 1; k < SITE_MAX_LANGS; k++)
                free(m.titles[k]);
            continue;
        }
        s->menu = xrealloc(s->menu, (s->n_menu + 1) * sizeof(menu_item));
        s->menu[s->n_menu++] = m;
    }
}

/* } */

/* {====== Pages ====== */

static void page_free(page *p)
{
    if (!p)
        return;
    val_free(p->meta);
    free(p->url);
    free(p->out);
    for (size_t i = 0; i < p->n_aliases; i++)
        free(p->aliases[i]);
    free(p->aliases);
    free(p->alias_at);
    md_free(p->doc);
    free(p->expanded);
    pos_map_free(p->map);
    free(p->patched);
    free(p->html);
    free(p->owned_title);
    free(p->owned_layout);
    free(p->owned_src);
    free(p->base_src);
    free(p->children);
    val_free(p->extra);
    for (size_t i = 0; i < p->n_links; i++) {
        free(p->links[i].href);
        free(p->links[i].check);
    }
    free(p->links);
    for (size_t i = 0; i < p->n_anchors; i++)
        free(p->anchors[i]);
    free(p->anchors);
    for (size_t i = 0; i < p->n_late; i++) {
        free(p->late[i].check);
        free(p->late[i].url);
    }
    free(p->late);
    free(p->alt);
    free(p);
}

static void load_aliases(page *p, diag_list *d)
{
    val *a = val_get(p->meta, "aliases");
    if (!a)
        return;
    if (val_kind_of(a) == VAL_STR) {
        val *list = val_list(val_pos(a));
        val_push(list, val_copy(a));
        val_replace(p->meta, "aliases", list);
        a = list;
    }
    if (val_kind_of(a) != VAL_LIST) {
        src_pos at = val_pos(a);
        diag_error(d, at.file, at.line, at.col,
                   "'aliases' must be a list of old addresses, e.g. '[vanha/osoite/]'");
        return;
    }
    for (size_t i = 0; i < val_len(a); i++) {
        val *v = val_at(a, i);
        const char *s = val_as_str(v);
        src_pos at = val_pos(v);
        char *norm = s ? normalize_path(s) : NULL;
        bool ok = address_ok(norm);
        if (!ok) {
            diag_error(d, at.file, at.line, at.col,
                       "alias '%s' is not a usable address inside the site: use segments of a-z, 0-9 "
                       "and '-' separated by '/', e.g. 'vanha/osoite/'",
                       s ? s : "");
            free(norm);
            continue;
        }
        p->aliases = xrealloc(p->aliases, (p->n_aliases + 1) * sizeof(char *));
        p->alias_at = xrealloc(p->alias_at, (p->n_aliases + 1) * sizeof(src_pos));
        p->alias_at[p->n_aliases] = at;
        p->aliases[p->n_aliases++] = xasprintf("%s/", norm);
        free(norm);
    }
}

/* The keys of a page's front matter (load_page), and its JSON Schema
 * (site_schema): free keys are allowed, so the table is open. */
static const schema_key page_keys[] = {
    {.key = "title", .kind = SK_TEXT, .required = true, .desc = "Sivun otsikko."},
    {.key = "description", .kind = SK_TEXT, .desc = "Sivun kuvaus hakukoneille ja hakuun."},
    {.key = "weight", .kind = SK_INT, .desc = "Järjestys valikoissa ja luetteloissa: pienempi ensin."},
    {.key = "draft", .kind = SK_BOOL, .desc = "true: luonnos, jota ei julkaista (paitsi --drafts)."},
    {.key = "layout", .kind = SK_TEXT, .desc = "Ulkoasu layouts/<nimi>.mustache (oletus page)."},
    {.key = "aliases", .kind = SK_PATHS, .pattern = "^/*([a-z0-9][a-z0-9_-]*/+)*[a-z0-9][a-z0-9_-]*/*$",
     .desc = "Vanhat osoitteet, jotka ohjataan tälle sivulle, esim. [vanha/osoite/]."},
    {.key = "mustache", .kind = SK_BOOL,
     .desc = "true: sivun teksti on Mustache-mallipohja, joka näkee tiedot (data)."},
    {.key = "kirjanen", .kind = SK_BOOL, .desc = "true: osion sivuista tehdään tulostettava kirjanen."},
    {.key = "kirjaan", .kind = SK_BOOL, .desc = "false: sivu jätetään tulostettavasta kirjasesta pois."},
    {0},
};
static const schema_table page_table = {"the front matter", "Sivun etutiedot (front matter).", page_keys, true};

/* Free fields are allowed in front matter (layouts read them from
 * page.params), but one that looks like a misspelt known key is flagged. */
static void warn_typos(const val *meta, diag_list *d)
{
    const char *keys[16];
    size_t n = schema_table_keys(&page_table, keys, sizeof keys / sizeof *keys);
    for (size_t i = 0; i < val_len(meta); i++) {
        const char *key = val_key_at(meta, i);
        bool known = schema_key_of(&page_table, key) != NULL;
        const char *hint = known ? NULL : diag_suggest(key, keys, n);
        if (hint) {
            src_pos at = val_key_pos(meta, i);
            diag_warning(d, at.file, at.line, at.col,
                         "unknown key '%s' in the front matter (did you mean '%s'?)", key, hint);
        }
    }
}

/* A page's text must be UTF-8: report the first byte that is not, at its line and column
 * (columns count characters, as everywhere else). */
static void check_utf8(const page *p, diag_list *d)
{
    size_t bad = utf8_check(p->body, p->body_len);
    if (bad == p->body_len)
        return;
    int line = p->body_line_offset + 1, col = 1;
    utf8_line_col(p->body, bad, &line, &col);
    diag_error(d, p->src_path, line, col, "invalid UTF-8 (the file must be saved as UTF-8 text)");
}

/* A blank still to fill in, "[TÄYDENNÄ: …]" (the starter site of `init`
 * has them, in its accessibility statement): a warning at each. */
#define BLANK_MARK "[T\xc3\x84YDENN\xc3\x84"
static void warn_blanks(const page *p, diag_list *d)
{
    const char *at = p->body, *end = p->body + p->body_len;
    size_t n = strlen(BLANK_MARK);
    while ((at = memmem(at, (size_t)(end - at), BLANK_MARK, n)) != NULL) {
        const char *close = memchr(at, ']', (size_t)(end - at));
        const char *nl = memchr(at, '\n', (size_t)(end - at));
        if (!close || (nl && nl < close))
            close = nl ? nl : end;
        else
            close++;
        int line = p->body_line_offset + 1, col = 1;
        utf8_line_col(p->body, (size_t)(at - p->body), &line, &col);
        diag_warning(d, p->src_path, line, col, "a blank still to fill in: %.*s (write the site's own text here)",
                     (int)(close - at), at);
        at += n;
    }
}

/* A title longer than this is worth a warning (titles repeat in navigation). */
#define TITLE_MAX_CHARS 200

/* Reads one page's front matter; NULL when it cannot be a page at all. */
/* The language of content file path when it is named x.<code>.md for a
 * language code of a site with several: the code's index (0 for the
 * default's own code), with the path of x.md in *base (malloc'd); -1 when
 * the name has no language. */
static int file_lang(const site *s, const char *path, char **base)
{
    *base = NULL;
    size_t n = strlen(path);
    if (s->n_langs < 2 || n < 7 || strcmp(path + n - 3, ".md"))
        return -1;
    const char *dot = path + n - 3;
    const char *start = dot;
    while (start > path && start[-1] != '.' && start[-1] != '/')
        start--;
    if (start == path || start[-1] != '.')
        return -1;
    char *code = xstrndup(start, (size_t)(dot - start));
    int k = site_lang_index(s, code);
    free(code);
    if (k < 0)
        return -1;
    *base = xasprintf("%.*s.md", (int)(start - 1 - path), path);
    return k;
}

static page *load_page(site *s, const src_file *f, diag_list *d)
{
    fm_page fm;
    size_t len;
    char *owned; /* a lazy file's text, read for this */
    const char *text = src_text(f, &len, &owned, d);
    if (!text)
        return NULL;
    if (!fm_split(text, len, f->name, &fm, d)) {
        free(owned);
        return NULL;
    }
    page *p = xcalloc(1, sizeof(page));
    p->file = f;
    p->patched = owned;
    p->src_path = f->name; /* "(built-in) layouts/sivut/…" for a theme page */
    p->meta = fm.meta;
    warn_typos(p->meta, d);
    p->title = schema_text(p->meta, "title", true, "the front matter", d);
    if (!p->title)
        p->title = "";
    size_t title_chars = 0;
    for (const char *c = p->title; *c; c++)
        title_chars += ((unsigned char)*c & 0xC0) != 0x80;
    if (title_chars > TITLE_MAX_CHARS) {
        val *tv = val_get(p->meta, "title");
        src_pos at = tv ? val_pos(tv) : (src_pos){f->name, 1, 1};
        diag_warning(d, at.file, at.line, at.col,
                     "the title is %zu characters long: it shows in the sidebar, the breadcrumbs and the "
                     "browser's tab, so keep it under %d (say more in 'description')",
                     title_chars, TITLE_MAX_CHARS);
    }
    schema_text(p->meta, "description", false, "the front matter", d);
    p->layout = schema_text(p->meta, "layout", false, "the front matter", d);
    if (!p->layout)
        p->layout = "page";
    p->weight = schema_int(p->meta, "weight", 0, d);
    p->draft = schema_bool(p->meta, "draft", false, d);
    schema_bool(p->meta, "kirjanen", false, d); /* checked here; read where booklets are made */
    p->not_in_booklet = !schema_bool(p->meta, "kirjaan", true, d);
    load_aliases(p, d);
    char *base = NULL;
    int lang = file_lang(s, f->path, &base);
    if (lang >= 0) {
        p->base_src = base;
        p->lang = (size_t)lang;
    }
    p->url = url_of(base ? base : f->path, d);
    if (p->url && p->lang > 0) {
        char *u = xasprintf("%s/%s", s->langs[p->lang], p->url);
        free(p->url);
        p->url = u;
    }
    bool no_address = !p->url; /* reported; the page is left out once its other mistakes are */
    if (!p->url)
        p->url = xstrdup("");
    p->out = xasprintf("%sindex.html", p->url);
    p->body = fm.body;
    p->body_len = fm.body_len;
    p->body_line_offset = fm.body_line_offset;
    check_utf8(p, d);
    warn_blanks(p, d);
    /* A template body is expanded later, on one thread (expansion adds to the layouts). */
    p->expand = schema_bool(p->meta, "mustache", false, d) && s->opt.expand;
    /* A page without diagram blocks (drawn before pages render) can wait
     * for its one parse until it renders. */
    p->deferred = !p->expand && s->opt.defer && !md_may_embed(p->body, p->body_len);
    if (!p->expand && !p->deferred) {
        p->doc = md_parse(p->body, p->body_len, f->name, fm.body_line_offset,
                          (md_options){.unsafe_html = s->unsafe_html}, d);
        md_drop_tree(p->doc);
    }
    if (no_address) {
        page_free(p);
        return NULL;
    }
    if (owned && !p->expand) { /* let go of the text until the page renders (body_of) */
        p->lazy = true;
        p->body_at = (size_t)(p->body - text);
        p->body_hash = hash_bytes(HASH_SEED, p->body, p->body_len);
        p->body = NULL;
        free(p->patched);
        p->patched = NULL;
    }
    return p;
}

/* The page's body: p->body, or a lazy page's file read again into *owned
 * (the caller frees it). NULL, with an error in d when d is not NULL, when
 * the file cannot be read or is not what it was when the site loaded. */
static const char *body_of(const page *p, char **owned, diag_list *d)
{
    *owned = NULL;
    if (!p->lazy)
        return p->body;
    size_t len;
    const char *text = src_text(p->file, &len, owned, d);
    if (text && len >= p->body_at + p->body_len &&
        hash_bytes(HASH_SEED, text + p->body_at, p->body_len) == p->body_hash)
        return text + p->body_at;
    if (text && d)
        diag_error(d, p->src_path, 0, 0, "the file changed while the site was being built: build again");
    free(*owned);
    *owned = NULL;
    return NULL;
}

/* Expands a 'mustache: true' page's body, then parses it. */
static void expand_page(site *s, page *p, diag_list *d)
{
    buf_t out = BUF_INIT;
    pos_map *map = pos_map_new();
    if (s->opt.expand(s->opt.expand_ud, p->src_path, p->lang, p->body, p->body_len, p->body_line_offset,
                      p->lang ? s->ldata[p->lang] : s->data,
                      s->layout_pages, p->meta, &out, map, d)) {
        p->body_len = out.len;
        p->expanded = buf_detach(&out);
        p->body = p->expanded;
        p->map = map; /* Markdown's positions are in the expanded text */
    } else {
        pos_map_free(map);
    }
    buf_free(&out);
    md_options mo = {.unsafe_html = s->unsafe_html};
    p->doc = p->map ? md_parse_map(p->body, p->body_len, p->src_path, p->map, mo, d)
                    : md_parse(p->body, p->body_len, p->src_path, p->body_line_offset, mo, d);
    md_drop_tree(p->doc);
}

typedef struct {
    site *s;
    const src_tree *src;
    page **loaded;
    diag_list **diags;
} load_job;

/* A theme page of the editors' guide when site.yaml says 'ohjeet: false'. */
static bool left_out(const site *s, const src_file *f)
{
    return !s->guide && f->theme_page && !strncmp(f->path, "content/ohjeet/", 15);
}

/* par_for: reads page i (front matter, URL, Markdown outline) on any thread. */
static void load_one(void *ud, size_t i)
{
    load_job *job = ud;
    job->diags[i] = diag_list_new();
    const src_file *f = src_at(job->src, SRC_PAGE, i);
    job->loaded[i] = left_out(job->s, f) ? NULL : load_page(job->s, f, job->diags[i]);
}

bool site_layout_exists(const site *s, const char *name)
{
    for (size_t i = 0; i < src_count(s->src, SRC_LAYOUT); i++) {
        const char *path = src_at(s->src, SRC_LAYOUT, i)->path + strlen("layouts/");
        size_t n = strlen(path) - strlen(".mustache");
        if (strlen(name) == n && !strncmp(path, name, n))
            return true;
    }
    return false;
}

static void check_layout(const site *s, const page *p, diag_list *d)
{
    size_t n = src_count(s->src, SRC_LAYOUT);
    const char **names = xmalloc((n ? n : 1) * sizeof(char *));
    char **owned = xmalloc((n ? n : 1) * sizeof(char *));
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        const char *path = src_at(s->src, SRC_LAYOUT, i)->path + strlen("layouts/");
        owned[i] = xstrndup(path, strlen(path) - strlen(".mustache"));
        names[i] = owned[i];
        found = found || !strcmp(names[i], p->layout);
    }
    if (!found) {
        val *lv = val_get(p->meta, "layout");
        src_pos at = lv ? val_pos(lv) : (src_pos){p->src_path, 1, 1};
        const char *hint = diag_suggest(p->layout, names, n);
        if (hint)
            diag_error(d, at.file, at.line, at.col,
                       "unknown layout '%s' (there is no layouts/%s.mustache; did you mean '%s'?)",
                       p->layout, p->layout, hint);
        else
            diag_error(d, at.file, at.line, at.col,
                       "unknown layout '%s' (there is no layouts/%s.mustache)", p->layout, p->layout);
    }
    for (size_t i = 0; i < n; i++)
        free(owned[i]);
    free(owned);
    free(names);
}

/* } */

/* {====== Links ====== */

static bool has_scheme(const char *url)
{
    const char *p = url;
    if (!isalpha((unsigned char)*p))
        return false;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    return *p == ':';
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    return n >= m && !memcmp(s + n - m, suffix, m);
}

/* The href from page `from` to URL `to` (both from the root) plus query
 * ("?q=x" as written, or NULL) and fragment. */
static char *relative_href(const char *from, const char *to, const char *query, const char *frag)
{
    char *prefix = site_root_prefix(from);
    char *href = xasprintf("%s%s%s%s%s", prefix, to, query ? query : "", frag ? "#" : "", frag ? frag : "");
    free(prefix);
    if (!*href) {
        free(href);
        href = xstrdup("./");
    }
    return href;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The heading ids of a page with Markdown: from its outline, or those
 * site_page_release kept. *owned is the array to free. */
static const char **heading_ids(const page *target, size_t *n, const char ***owned)
{
    if (!target->doc) {
        *n = target->n_anchors;
        *owned = NULL;
        return (const char **)target->anchors;
    }
    *n = md_heading_count(target->doc);
    const char **ids = xmalloc((*n ? *n : 1) * sizeof(char *));
    for (size_t i = 0; i < *n; i++)
        ids[i] = md_heading_at(target->doc, i)->id;
    *owned = ids;
    return ids;
}

static void anchor_error(const page *target, const char *frag, int line, int col, const page *from,
                         diag_list *d)
{
    size_t n;
    const char **owned;
    const char **ids = heading_ids(target, &n, &owned);
    const char *hint = diag_suggest(frag, ids, n);
    if (hint)
        diag_error(d, from->src_path, line, col,
                   "%s has no heading with the id '%s' (did you mean '#%s'?)",
                   target == from ? "this page" : target->src_path, frag, hint);
    else
        diag_error(d, from->src_path, line, col,
                   "%s has no heading with the id '%s' (an id is the heading in lower case with "
                   "'-' for spaces, e.g. '#yhteistyön-foorumit')",
                   target == from ? "this page" : target->src_path, frag);
    free(owned);
}

static bool anchor_ok(const page *target, const char *frag)
{
    if (!frag || !*frag || (!target->doc && !target->released))
        return true; /* a generated page's anchors come from its layout */
    /* cmark-gfm's own footnote anchors. */
    if (!strncmp(frag, "fn-", 3) || !strncmp(frag, "fnref-", 6))
        return true;
    if (!target->doc) /* released: its heading ids, sorted */
        return bsearch(&frag, target->anchors, target->n_anchors, sizeof(char *), cmp_str) != NULL;
    return md_has_anchor(target->doc, frag);
}

/* The fragment of link l, percent-decoded (caller frees), or NULL. */
static char *link_fragment(const md_link *l)
{
    const char *hash = strchr(l->url, '#');
    return hash ? percent_decode(hash + 1) : NULL;
}

/* Links to the model's pages by id: "toimija:siun-sote", "foorumi:pk-2025/hyte".
 * Returns false when the link has no model scheme. An anchor ("#velvoite-x")
 * is checked once the target has rendered (*to, *check). */
static bool entity_link(site *s, page *p, const md_link *l, char **href, page **to, link_res *r,
                        diag_list *d)
{
    const char *colon = strchr(l->url, ':');
    if (!colon || !s->model)
        return false;
    char *scheme = xstrndup(l->url, (size_t)(colon - l->url));
    const char *hash = strchr(colon, '#');
    char *id = hash ? xstrndup(colon + 1, (size_t)(hash - colon - 1)) : xstrdup(colon + 1);
    const char *url, *hint;
    /* from a page in another language, to that language's page */
    const model *m = model_lang(s->model, p->lang) ? model_lang(s->model, p->lang) : s->model;
    bool known = model_link(m, scheme, id, &url, &hint);
    if (known && url) {
        *href = relative_href(p->url, url, NULL, hash ? hash + 1 : NULL);
        *to = strmap_get(s->by_url, url);
        if (*to && hash && hash[1]) {
            r->check = link_fragment(l);
            r->on = *to;
        }
    } else if (known && !model_may_define(s->model, id)) {
        diag_error(d, p->src_path, l->line, l->col, "the link '%s' names no %s with the id '%s'%s%s%s",
                   l->url, scheme, id, hint ? " (did you mean '" : "", hint ? hint : "",
                   hint ? "'?)" : "");
    }
    free(scheme);
    free(id);
    return known;
}

/* The URL from the root ("lait/", "tyyli.css") that norm, a normalised path
 * from the root without its leading '/', names: a page, a static file or a
 * file a hook writes (dir: written with a trailing '/', so a page). NULL when
 * nothing in the site has that address. Caller frees. */
static char *site_address(const site *s, const char *norm, bool dir)
{
    if (!dir && *norm && (strmap_has(s->statics, norm) || strmap_has(s->files, norm)))
        return xstrdup(norm);
    char *as_page = xasprintf("%s%s", norm, *norm ? "/" : "");
    if (strmap_has(s->by_url, as_page) || strmap_has(s->files, as_page))
        return as_page;
    free(as_page);
    return NULL;
}

/* The address in the site closest to "/" + norm, from the root ("/kunnat/"),
 * or NULL when none is close. Caller frees. */
static char *address_hint(const site *s, const char *norm, bool dir)
{
    size_t n_static = src_count(s->src, SRC_STATIC), n = s->n_pages + n_static + s->n_files;
    char **all = xmalloc((n ? n : 1) * sizeof(char *));
    size_t k = 0;
    for (size_t i = 0; i < s->n_pages; i++)
        all[k++] = xasprintf("/%s", s->pages[i]->url);
    for (size_t i = 0; i < n_static; i++)
        all[k++] = xasprintf("/%s", src_at(s->src, SRC_STATIC, i)->path + strlen("layouts/static/"));
    for (size_t i = 0; i < s->n_files; i++)
        all[k++] = xasprintf("/%s", s->file_list[i]);
    char *word = xasprintf("/%s%s", norm, dir && *norm ? "/" : "");
    const char *hint = diag_suggest(word, (const char *const *)all, k);
    char *out = hint ? xstrdup(hint) : NULL;
    for (size_t i = 0; i < k; i++)
        free(all[i]);
    free(all);
    free(word);
    return out;
}

/* Reports that `what` ('the link '/x/'', 'the menu entry's url '/x/'') leads to
 * nothing, unless the hooks could not run (it may be theirs: their error is
 * reported). */
static void address_error(const site *s, const char *path, int line, int col, const char *what,
                          const char *norm, bool dir, diag_list *d)
{
    if (s->hooks_unknown)
        return;
    char *hint = address_hint(s, norm, dir);
    if (hint)
        diag_error(d, path, line, col, "%s points at nothing in the site (did you mean '%s'?)", what, hint);
    else
        diag_error(d, path, line, col,
                   "%s points at nothing in the site (no page, no file in layouts/static/ and no file "
                   "a hook writes has that address)",
                   what);
    free(hint);
}

/* Checks the anchor frag of link l on page p to the address of page `on`
 * ("/lait/#neuvottelu", "../lait/#neuvottelu"), as a link to its file would
 * be: now against the headings of a page parsed already, else once it has
 * been parsed or (a page without Markdown of its own) rendered. */
static void address_anchor(const page *p, const page *on, const char *frag, const md_link *l, link_res *r,
                           diag_list *d)
{
    if (page_wants_anchors(on) || (on->deferred && on != p) || !on->doc) {
        r->check = xstrdup(frag);
        r->on = on;
    } else if (!anchor_ok(on, frag)) {
        anchor_error(on, frag, l->line, l->col, p, d);
    }
}

/* Resolves one link of page p; NULL keeps it as written. */
static char *resolve_link(site *s, page *p, const md_link *l, diag_list *d, page **to, link_res *r)
{
    const char *url = l->url;
    char *href = NULL;
    if (entity_link(s, p, l, &href, to, r, d))
        return href;
    if (!*url || has_scheme(url) || !strncmp(url, "//", 2))
        return NULL; /* external (unsafe schemes are md's to drop) */
    size_t path_len = strcspn(url, "?#");
    /* "?q=hyte" as written, kept when the link is rewritten (cmark escapes it). */
    char *query = url[path_len] == '?' ? xstrndup(url + path_len, strcspn(url + path_len, "#")) : NULL;
    char *frag = link_fragment(l);
    char *result = NULL;

    if (path_len == 0) { /* "#anchor" on this page */
        if (!anchor_ok(p, frag))
            anchor_error(p, frag, l->line, l->col, p, d);
        free(frag);
        free(query);
        return NULL;
    }
    char *raw = xstrndup(url, path_len);
    char *path = percent_decode(raw);
    free(raw);
    bool rooted = path[0] == '/';
    if (ends_with(path, strlen(path), ".md")) {
        /* A link to another Markdown file: relative to this file, or to content/ when rooted. */
        char *joined;
        if (rooted) {
            joined = xasprintf("content/%s", path + 1);
        } else {
            const char *src = p->file ? p->file->path : p->src_path; /* a theme page is in content/ too */
            const char *slash = strrchr(src, '/');
            joined = xasprintf("%.*s/%s", (int)(slash - src), src, path);
        }
        char *target_path = normalize_path(joined);
        free(joined);
        page *target = target_path && !strncmp(target_path, "content/", 8)
                           ? strmap_get(s->by_src, target_path)
                           : NULL;
        /* From a translation: the same language's version of the target, else the default's. */
        if (target && p->lang && target->lang != p->lang) {
            if (alt_at(target, p->lang))
                target = alt_at(target, p->lang);
            else
                r->hreflang = s->langs[target->lang];
        }
        if (!target && target_path && strmap_has(s->broken, target_path)) {
            /* the page's own error is reported: keep the link as written */
        } else if (!target_path || strncmp(target_path, "content/", 8)) {
            diag_error(d, p->src_path, l->line, l->col,
                       "the link '%s' leads outside content/ (link to pages inside content/)", url);
        } else if (!target && strmap_has(s->drafts, target_path)) {
            diag_error(d, p->src_path, l->line, l->col,
                       "the link '%s' points at %s, which is a draft and is not built (remove "
                       "'draft: true' from it, or build with --drafts)",
                       url, target_path);
        } else if (!target) {
            diag_error(d, p->src_path, l->line, l->col,
                       "the link '%s' points at %s, which does not exist", url, target_path);
        } else if (target->deferred && target != p && frag && *frag) {
            /* Its headings are known once it has rendered: checked then. */
            result = relative_href(p->url, target->url, query, frag);
            *to = target;
            r->check = xstrdup(frag);
            r->on = target;
        } else if (!anchor_ok(target, frag)) {
            anchor_error(target, frag, l->line, l->col, p, d);
        } else {
            result = relative_href(p->url, target->url, query, frag);
            *to = target;
        }
        free(target_path);
    } else {
        /* "/tyyli.css", "/lait/" from the site root, or "../vastuunjako.csv" from the
         * page's address: a page, a static file or a file a hook writes. Rooted
         * ones become relative, so they work under any base path. */
        bool dir = path[strlen(path) - 1] == '/';
        char *joined = rooted ? xstrdup(path + 1) : xasprintf("%s%s", p->url, path);
        char *norm = normalize_path(joined);
        free(joined);
        char *target = norm ? site_address(s, norm, dir) : NULL;
        if (!norm) {
            diag_error(d, p->src_path, l->line, l->col,
                       "the link '%s' leads outside the site (link to pages and files inside it)", url);
        } else if (!target) {
            char *what = xasprintf("the link '%s'", url);
            address_error(s, p->src_path, l->line, l->col, what, norm, dir, d);
            free(what);
        } else {
            page *on = dir || !*norm ? strmap_get(s->by_url, target) : NULL;
            if (on && frag && *frag)
                address_anchor(p, on, frag, l, r, d);
            if (rooted)
                result = relative_href(p->url, target, query, frag);
        }
        free(target);
        free(norm);
    }
    free(path);
    free(frag);
    free(query);
    return result;
}

static void resolve_links(site *s, page *p, diag_list *d)
{
    p->n_links = md_link_count(p->doc);
    p->links = xcalloc(p->n_links ? p->n_links : 1, sizeof(link_res));
    for (size_t i = 0; i < p->n_links; i++)
        p->links[i].href =
            resolve_link(s, p, md_link_at(p->doc, i), d, &p->links[i].target, &p->links[i]);
}

/* } */

/* The glossary page of language lang: the first page of that language whose
 * layout is the glossary's ("sanasto"), else the default language's, or NULL. */
static const char *glossary_url(const site *s, size_t lang)
{
    for (size_t i = 0; i < s->n_pages; i++)
        if (s->pages[i]->lang == lang && !strcmp(s->pages[i]->layout, "sanasto"))
            return s->pages[i]->url;
    return lang ? glossary_url(s, 0) : NULL;
}

/* Glossary terms, per language (the model's view of it): abbreviations
 * become <abbr>, other terms link to that language's glossary page, when
 * there is one. */
static void load_terms(site *s)
{
    if (!s->model)
        return;
    s->n_terms = model_term_count(s->model);
    for (size_t k = 0; k < s->n_langs; k++) {
        const model *m = model_lang(s->model, k);
        const char *glossary = glossary_url(s, k);
        s->terms[k] = xcalloc(s->n_terms + 1, sizeof(md_term));
        s->term_hrefs[k] = xcalloc(s->n_terms + 1, sizeof(char *));
        for (size_t i = 0; i < s->n_terms; i++) {
            const char *title, *anchor;
            bool abbr;
            s->terms[k][i].term = model_term(m, i, &title, &abbr, &anchor);
            s->terms[k][i].title = title ? title : "";
            if (!abbr && glossary) {
                s->term_hrefs[k][i] = xasprintf("%s#%s", glossary, anchor);
                s->terms[k][i].href = s->term_hrefs[k][i];
            }
        }
    }
}

/* The pages of model view m (language lang): one per entity, rendered by the
 * layout of its kind; made[i] is model page i's (NULL when it collided). */
static void add_model_pages(site *s, const model *m, size_t lang, strmap *outputs, page **made, diag_list *d)
{
    size_t n = model_page_count(m);
    strmap *layouts_missing = strmap_new();
    for (size_t i = 0; i < n; i++) {
        const model_page *mp = model_page_at(m, i);
        page *p = xcalloc(1, sizeof(page));
        p->src_path = mp->pos.file;
        p->entity = mp->entity;
        p->meta = val_map(mp->pos);
        p->title = mp->title;
        p->layout = mp->layout;
        p->lang = lang;
        p->url = xstrdup(mp->url);
        p->out = xasprintf("%sindex.html", p->url);
        page *other = strmap_get(outputs, p->out);
        if (other) {
            diag_error(d, mp->pos.file, mp->pos.line, mp->pos.col,
                       "the page of '%s' would be written to %s, which %s already writes", p->title,
                       p->out, other->src_path);
            page_free(p);
            continue;
        }
        strmap_add(outputs, p->out, p);
        strmap_add(s->by_url, p->url, p);
        s->pages[s->n_pages++] = p;
        made[i] = p;
        if (!lang && !site_layout_exists(s, p->layout) && strmap_add(layouts_missing, p->layout, p))
            diag_error(d, mp->pos.file, mp->pos.line, mp->pos.col,
                       "there is no layouts/%s.mustache for the pages of this kind (add the layout)",
                       p->layout);
    }
    strmap_free(layouts_missing);
}

/* The model's pages, in every language of the site (the others' under
 * "sv/"), each language's version of a page paired with the others (alt[]). */
static void add_generated(site *s, strmap *outputs, diag_list *d)
{
    if (!s->model)
        return;
    size_t n = model_page_count(s->model), total = 0;
    for (size_t k = 0; k < s->n_langs; k++)
        total += model_lang(s->model, k) ? model_page_count(model_lang(s->model, k)) : 0;
    s->pages = xrealloc(s->pages, (s->n_pages + total + 1) * sizeof(page *));
    page **made[SITE_MAX_LANGS] = {0};
    for (size_t k = 0; k < s->n_langs; k++) {
        const model *m = model_lang(s->model, k);
        if (!m)
            continue;
        assert(model_page_count(m) == n); /* each view has the same pages, in the same order */
        made[k] = xcalloc(model_page_count(m) + 1, sizeof(page *));
        add_model_pages(s, m, k, outputs, made[k], d);
    }
    for (size_t i = 0; s->n_langs > 1 && i < n; i++) {
        page *alt[SITE_MAX_LANGS] = {0};
        for (size_t k = 0; k < s->n_langs; k++)
            alt[k] = made[k] && i < model_page_count(model_lang(s->model, k)) ? made[k][i] : NULL;
        for (size_t k = 0; k < s->n_langs; k++)
            if (alt[k])
                memcpy(alts(alt[k]), alt, sizeof alt);
    }
    for (size_t k = 0; k < s->n_langs; k++)
        free(made[k]);
}

static int cmp_page(const void *a, const void *b)
{
    const page *x = *(page *const *)a, *y = *(page *const *)b;
    return strcmp(x->file->path, y->file->path);
}

/* Pairs each translation x.sv.md with x.md (alt[]), and reports x.fi.md
 * beside x.md, a translation without its original, and (unless
 * 'kaannokset: valinnainen') each page of the site's own without a version
 * in a language. Before the pages are sorted. */
static void pair_translations(site *s, diag_list *d)
{
    if (s->n_langs < 2)
        return;
    for (size_t i = 0; i < s->n_pages; i++)
        alts(s->pages[i])[s->pages[i]->lang] = s->pages[i];
    for (size_t i = 0; i < s->n_pages; i++) {
        page *p = s->pages[i];
        if (!p->base_src)
            continue;
        page *orig = strmap_get(s->by_src, p->base_src);
        if (p->lang == 0) { /* x.fi.md */
            if (orig)
                diag_error(d, p->src_path, 0, 0,
                           "this page and %s are both the %s (%s) version of the same page: the default "
                           "language's version is %s; remove or rename one",
                           orig->src_path, site_lang_name(s->langs[0]), s->langs[0], orig->src_path);
            else
                strmap_add(s->by_src, p->base_src, p);
            continue;
        }
        if (!orig) {
            diag_warning(d, p->src_path, 0, 0,
                         "there is no %s: this %s page has no %s (%s) version (it is built, and the %s "
                         "pages cannot link to it)",
                         p->base_src, site_lang_name(s->langs[p->lang]), site_lang_name(s->langs[0]),
                         s->langs[0], site_lang_name(s->langs[0]));
            continue;
        }
        alts(orig)[p->lang] = p;
    }
    for (size_t i = 0; i < s->n_pages; i++) {
        page *p = s->pages[i];
        if (p->lang || (p->base_src && strmap_get(s->by_src, p->base_src) != p))
            continue;
        for (size_t k = 1; k < s->n_langs; k++)
            if (alt_at(p, k))
                memcpy(alts(p->alt[k]), p->alt, SITE_MAX_LANGS * sizeof(page *));
        if (p->file && p->file->theme_page)
            continue; /* the theme's own pages (the editors' guide) are not the site's to translate */
        for (size_t k = 1; k < s->n_langs; k++)
            if (!alt_at(p, k)) {
                s->untranslated[k]++;
                if (!s->tr_optional)
                    diag_warning(d, p->src_path, 0, 0, "no %s (%s) version of this page",
                                 site_lang_name(s->langs[k]), s->langs[k]);
            }
    }

}

site *site_new(const src_tree *src, site_options opt, diag_list *d)
{
    site *s = xcalloc(1, sizeof(site));
    s->src = src;
    s->opt = opt;
    s->model = opt.model;
    if (!s->model)
        s->own_cat = i18n_load(src, d);
    s->by_src = strmap_new_borrowing(); /* keys: the source files' paths and pages' base_src */
    s->by_url = strmap_new_borrowing();  /* keys: the pages' URLs */
    s->drafts = strmap_new();
    s->broken = strmap_new();
    s->statics = strmap_new();
    s->files = strmap_new();
    if (!load_config(s, d)) {
        site_free(s);
        return NULL;
    }
    for (size_t i = 0; i < src_count(src, SRC_STATIC); i++)
        strmap_add(s->statics, src_at(src, SRC_STATIC, i)->path + strlen("layouts/static/"), s);
    for (size_t i = 1; i < s->n_langs; i++)
        s->cats[i] = i18n_load_lang(src, s->langs[i], d);

    /* Pages, and which output file each one claims. */
    strmap *outputs = s->outputs = strmap_new();
    size_t n = src_count(src, SRC_PAGE);
    s->pages = xcalloc(n ? n : 1, sizeof(page *));
    page **drafts = xcalloc(n ? n : 1, sizeof(page *));
    size_t n_drafts = 0;
    /* Pages are read in parallel, then registered in path order (diagnostics too). */
    load_job job = {.s = s, .src = src, .loaded = xcalloc(n ? n : 1, sizeof(page *)),
                    .diags = xcalloc(n ? n : 1, sizeof(diag_list *))};
    par_for(0, n, par_threads(), load_one, &job);
    /* The address of each index layout's page, for 'mustache: true' pages
     * (the guide's esimerkit.sivut): the first built page with that layout. */
    s->layout_pages = val_map((src_pos){0});
    for (size_t i = 0; i < n; i++) {
        const page *p = job.loaded[i];
        if (p && (!p->draft || opt.drafts) && strcmp(p->layout, "page") && !val_get(s->layout_pages, p->layout))
            val_set_str(s->layout_pages, p->layout, p->url);
    }
    for (size_t i = 0; i < n; i++) {
        const src_file *f = src_at(src, SRC_PAGE, i);
        page *p = job.loaded[i];
        diag_list_merge(d, job.diags[i]);
        diag_list_free(job.diags[i]);
        if (!p && left_out(s, f))
            continue;
        if (!p) { /* already reported: no follow-on errors about it */
            strmap_add(s->broken, f->path, s);
            continue;
        }
        if (p->expand)
            expand_page(s, p, d);
        if (p->draft && !opt.drafts) {
            strmap_add(s->drafts, f->path, p);
            drafts[n_drafts++] = p;
            continue;
        }
        page *other = strmap_get(outputs, p->out);
        bool same = other && ((p->base_src && !strcmp(p->base_src, other->src_path)) ||
                              (other->base_src && !strcmp(other->base_src, p->src_path)));
        if (same) {
            /* x.fi.md beside x.md: pair_translations names both */
        } else if (other) {
            diag_error(d, f->name, 0, 0,
                       "this page and %s would both be written to %s: rename or remove one",
                       other->src_path, p->out);
        } else {
            strmap_add(outputs, p->out, p);
        }
        if (strmap_has(s->statics, p->out))
            diag_error(d, f->name, 0, 0,
                       "this page and layouts/static/%s would both be written to %s", p->out, p->out);
        strmap_add(s->by_src, f->path, p);
        strmap_add(s->by_url, p->url, p);
        s->pages[s->n_pages++] = p;
    }
    free(job.loaded);
    free(job.diags);
    pair_translations(s, d);
    qsort(s->pages, s->n_pages, sizeof(page *), cmp_page);
    size_t n_content = s->n_pages;
    add_generated(s, outputs, d);

    for (size_t i = 0; i < n_content; i++) {
        page *p = s->pages[i];
        for (size_t a = 0; a < p->n_aliases; a++) {
            char *out = xasprintf("%sindex.html", p->aliases[a]);
            page *other = strmap_get(outputs, out);
            if (other || strmap_has(s->statics, out)) {
                src_pos at = p->alias_at[a];
                diag_error(d, at.file, at.line, at.col,
                           "alias '%s' collides with %s, which is written to %s", p->aliases[a],
                           other ? other->src_path : "a static file", out);
            } else {
                strmap_add(outputs, out, p);
            }
            free(out);
        }
        check_layout(s, p, d);
    }
    load_menu(s, d);
    load_terms(s);
    /* Drafts were needed only to name them in link errors. */
    for (size_t i = 0; i < n_drafts; i++)
        page_free(drafts[i]);
    free(drafts);
    /* s->drafts stays (keys only: its pages are freed) for link errors in site_resolve. */
    return s;
}

void site_free(site *s)
{
    if (!s)
        return;
    i18n_free(s->own_cat);
    for (size_t i = 0; i < s->n_pages; i++)
        page_free(s->pages[i]);
    free(s->pages);
    val_free(s->layout_pages);
    for (size_t i = 0; i < s->n_menu; i++) {
        free(s->menu[i].title);
        for (size_t k = 1; k < SITE_MAX_LANGS; k++)
            free(s->menu[i].titles[k]);
        free(s->menu[i].url);
        free(s->menu[i].page);
    }
    free(s->menu);
    for (size_t i = 0; i < s->n_files; i++)
        free(s->file_list[i]);
    free(s->file_list);
    strmap_free(s->files);
    for (size_t k = 0; k < SITE_MAX_LANGS; k++) {
        for (size_t i = 0; s->term_hrefs[k] && i < s->n_terms; i++)
            free(s->term_hrefs[k][i]);
        free(s->term_hrefs[k]);
        free(s->terms[k]);
    }
    strmap_free(s->by_src);
    strmap_free(s->by_url);
    strmap_free(s->outputs);
    strmap_free(s->drafts);
    strmap_free(s->broken);
    strmap_free(s->statics);
    val_free(s->data);
    val_free(s->config);
    free(s->base_url);
    free(s->base_path);
    for (size_t i = 0; i < s->n_langs; i++) {
        free(s->langs[i]);
        i18n_free(s->cats[i]);
        val_free(s->ldata[i]);
    }
    free(s);
}

const val *site_data(const site *s) { return s->data; }
const char *site_title(const site *s) { return s->title; }
const char *site_base_url(const site *s) { return s->base_url; }
const char *site_base_path(const site *s) { return s->base_path; }
bool site_unsafe_html(const site *s) { return s->unsafe_html; }
size_t site_page_count(const site *s) { return s->n_pages; }
page *site_page_at(const site *s, size_t i) { return i < s->n_pages ? s->pages[i] : NULL; }
page *site_page_by_src(const site *s, const char *src_path) { return strmap_get(s->by_src, src_path); }
page *site_page_by_url(const site *s, const char *url) { return strmap_get(s->by_url, url); }
size_t site_menu_count(const site *s) { return s->n_menu; }
const char *site_menu_title(const site *s, size_t i) { return s->menu[i].title; }
const char *site_menu_url(const site *s, size_t i) { return s->menu[i].url; }
bool site_menu_external(const site *s, size_t i) { return s->menu[i].external; }

const char *page_src(const page *p) { return p->src_path; }

const char *page_path(const page *p) { return p->file ? p->file->path : p->src_path; }

bool page_from_theme(const page *p) { return p->file && p->file->theme_page; }
const char *page_html(const page *p) { return p->html; }
const char *page_body(const page *p, size_t *len)
{
    *len = p->body ? p->body_len : 0;
    return p->body;
}
const val *page_extra(const page *p) { return p->extra; }

void page_set_extra(page *p, val *extra)
{
    val_free(p->extra);
    p->extra = extra;
}


/* par_for_diag: resolves page i's links (reads the site's maps, writes the page). */
static void resolve_one(void *ud, size_t i, diag_list *d)
{
    site *s = ud;
    page *p = s->pages[i];
    if (p->doc && !p->links)
        resolve_links(s, p, d);
}

/* The target of menu entry m from the root, or NULL after an error: 'page:'
 * names a content file ("lait/index.md") or a page's address ("kunnat/", a
 * hook's page too); 'url: /…' any address in the site, like a link. */
static char *menu_target(site *s, const menu_item *m, diag_list *d)
{
    const char *q = m->rooted ? m->page + 1 : m->page;
    size_t n = strcspn(q, "?#");
    char *raw = xstrndup(q, n);
    char *path = normalize_path(raw);
    char *target = NULL;
    if (!m->rooted && ends_with(raw, n, ".md")) {
        char *src_path = path ? xasprintf("content/%s", path) : NULL;
        page *p = src_path ? strmap_get(s->by_src, src_path) : NULL;
        if (!p && src_path && strmap_has(s->broken, src_path)) {
            /* the page's own error is reported */
        } else if (!p) {
            diag_error(d, m->at.file, m->at.line, m->at.col,
                       "the menu entry points at '%s', but there is no page content/%s", m->page,
                       path ? path : m->page);
        } else {
            target = xstrdup(p->url);
        }
        free(src_path);
    } else {
        bool dir = !m->rooted || (n && raw[n - 1] == '/');
        target = path ? site_address(s, path, dir) : NULL;
        if (target || s->hooks_unknown) {
            /* found, or it may be a page of the hooks that could not run */
        } else if (m->rooted) {
            char *what = xasprintf("the menu entry's url '%s'", m->page);
            address_error(s, m->at.file, m->at.line, m->at.col, what, path ? path : "", dir, d);
            free(what);
        } else {
            diag_error(d, m->at.file, m->at.line, m->at.col,
                       "the menu entry points at '%s', but no page has that address (name a content file "
                       "such as 'lait/index.md', or the address of a page a hook makes, such as 'kunnat/')",
                       m->page);
        }
    }
    if (target && q[n]) { /* keep "#osio" */
        char *full = xasprintf("%s%s", target, q + n);
        free(target);
        target = full;
    }
    free(raw);
    free(path);
    return target;
}

/* Resolves the menu's targets (after the hooks: they may name hook pages and
 * files); entries that lead nowhere are dropped, their errors reported. */
static void resolve_menu(site *s, diag_list *d)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n_menu; i++) {
        menu_item m = s->menu[i];
        if (!m.url)
            m.url = menu_target(s, &m, d);
        if (m.url) {
            s->menu[k++] = m;
        } else {
            free(m.title);
            free(m.page);
            for (size_t j = 1; j < SITE_MAX_LANGS; j++)
                free(m.titles[j]);
        }
    }
    s->n_menu = k;
}

void site_add_output(site *s, const char *path)
{
    if (!strmap_add(s->files, path, s))
        return;
    s->file_list = xrealloc(s->file_list, (s->n_files + 1) * sizeof(char *));
    s->file_list[s->n_files++] = xstrdup(path);
}

void site_hooks_unknown(site *s) { s->hooks_unknown = true; }

/* The counts of untranslated pages and data texts, once every text was
 * read (the diagram definitions' and hooks' too, after the site's). */
static void report_translations(const site *s, diag_list *d)
{
    for (size_t k = 1; k < s->n_langs && !s->tr_optional; k++) {
        if (s->untranslated[k])
            diag_warning(d, "site.yaml", 0, 0, "%zu page%s without a %s (%s) version", s->untranslated[k],
                         s->untranslated[k] == 1 ? "" : "s", site_lang_name(s->langs[k]), s->langs[k]);
        size_t texts = s->model ? model_untranslated(s->model, s->langs[k]) : 0;
        if (texts)
            diag_warning(d, "site.yaml", 0, 0, "%zu data text%s without a %s (%s) text", texts,
                         texts == 1 ? "" : "s", site_lang_name(s->langs[k]), s->langs[k]);
    }
}

void site_resolve(site *s, diag_list *d)
{
    report_translations(s, d);
    /* The navigation comes from the URLs alone: the section pages and their
     * lists are there before links and menu entries lead to them. */
    site_add_sections(s, d);
    site_build_nav(s);
    site_add_list_pages(s, d);
    resolve_menu(s, d);
    par_for_diag(0, s->n_pages, resolve_one, s, d); /* diagnostics in page order */
}

/* Links to a generated page's anchors are checked against the ids of its
 * rendered HTML (the layout makes them); pages with Markdown have headings. */
bool page_wants_anchors(const page *p) { return !p->file; }

size_t page_anchors(const page *p, const char *const **ids)
{
    *ids = (const char *const *)p->anchors;
    return p->n_anchors;
}

void site_set_anchors(const site *s, const page *cp, const char *const *ids, size_t n)
{
    (void)s;
    page *p = (page *)cp;
    if (p->anchors)
        return;
    p->anchors = xmalloc((n ? n : 1) * sizeof(char *));
    for (size_t i = 0; i < n; i++)
        p->anchors[i] = xstrdup(ids[i]);
    p->n_anchors = n;
}

void site_keep_anchors(const site *s, const page *cp, const char *html, size_t len)
{
    (void)s; /* the page is the site's; only its own fields are written */
    page *p = (page *)cp;
    if (!page_wants_anchors(p) || p->anchors)
        return;
    size_t cap = 8;
    p->anchors = xmalloc(cap * sizeof(char *));
    static const char attr[] = " id=\"";
    const char *end = html + len;
    for (const char *at = html; at && at < end;) {
        at = memmem(at, (size_t)(end - at), attr, sizeof attr - 1);
        if (!at)
            break;
        at += sizeof attr - 1;
        const char *q = memchr(at, '"', (size_t)(end - at));
        if (!q)
            break;
        if (p->n_anchors == cap)
            p->anchors = xrealloc(p->anchors, (cap *= 2) * sizeof(char *));
        p->anchors[p->n_anchors++] = xstrndup(at, (size_t)(q - at));
        at = q;
    }
    qsort(p->anchors, p->n_anchors, sizeof(char *), cmp_str);
}

/* Reports a link of page p (url as written, at line:col) to the anchor
 * `check` of the generated page t when t, rendered, has no such id
 * (unchecked before t renders). */
static void check_generated_anchor(const page *p, const page *t, const char *check, const char *url, int line,
                                   int col, diag_list *d)
{
    if (!t->anchors || bsearch(&check, t->anchors, t->n_anchors, sizeof(char *), cmp_str))
        return;
    const char *hint = diag_suggest(check, (const char *const *)t->anchors, t->n_anchors);
    diag_error(d, p->src_path, line, col, "the link '%s' points at %s, which has no anchor '%s'%s%s%s", url,
               t->url, check, hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
}

const page *site_home(const site *s) { return strmap_get(s->by_url, ""); }

const page *site_home_lang(const site *s, size_t lang)
{
    if (!lang || lang >= s->n_langs)
        return site_home(s);
    char url[16];
    snprintf(url, sizeof url, "%s/", s->langs[lang]);
    return strmap_get(s->by_url, url);
}

const char *site_output_owner(const site *s, const char *out)
{
    const page *p = strmap_get(s->outputs, out);
    if (p)
        return p->src_path;
    return strmap_has(s->statics, out) ? "layouts/static/" : NULL;
}

const page *site_top_of(const site *s, const page *p)
{
    const page *home = site_home_lang(s, p ? p->lang : 0), *top = p;
    while (top && top->parent && top->parent != home)
        top = top->parent;
    return top;
}
const page *page_link_target(const page *p, size_t i) { return i < p->n_links ? p->links[i].target : NULL; }
size_t page_link_count(const page *p) { return p->n_links; }
const page *page_parent(const page *p) { return p->parent; }

bool page_in_booklet(const page *p)
{
    for (; p; p = p->parent)
        if (p->not_in_booklet)
            return false;
    return true;
}
const page *page_prev(const page *p) { return p->prev; }
const page *page_next(const page *p) { return p->next; }
size_t page_child_count(const page *p) { return p->n_children; }
const page *page_child_at(const page *p, size_t i) { return i < p->n_children ? p->children[i] : NULL; }

/* {====== Pages parsed when they render ====== */

md_doc *site_parse_deferred(const site *cs, const page *cp, diag_list *d)
{
    /* Writes only this page, which one thread renders. */
    site *s = (site *)cs;
    page *p = (page *)cp;
    if (!p->deferred || p->doc)
        return NULL;
    char *owned;
    const char *body = body_of(p, &owned, d);
    if (!body)
        return NULL;
    p->doc = md_parse(body, p->body_len, p->src_path, p->body_line_offset,
                      (md_options){.unsafe_html = s->unsafe_html}, d);
    free(owned); /* the parsed tree has copies of what it needs */
    resolve_links(s, p, d);
    return p->doc;
}

static void parse_one(void *ud, size_t i, diag_list *d)
{
    site *s = ud;
    md_doc *doc = site_parse_deferred(s, s->pages[i], d);
    if (doc)
        md_drop_tree(doc);
    site_page_release(s, s->pages[i]);
}

void site_parse_all(site *s, diag_list *d)
{
    par_for_diag(0, s->n_pages, parse_one, s, d);
    site_check_deferred(s, d);
}

/* Checks a link of page p to the anchor `check` on page `on` that waited for
 * `on` to be parsed (headings) or rendered (a page without Markdown of its own). */
static void check_waiting(const page *p, const page *on, const char *check, const char *url, int line, int col,
                          diag_list *d)
{
    if (page_wants_anchors(on))
        check_generated_anchor(p, on, check, url, line, col, d);
    else if ((on->doc || on->released) && !anchor_ok(on, check))
        anchor_error(on, check, line, col, p, d);
}

static void check_late_anchor(const page *p, size_t k, diag_list *d)
{
    const link_res *r = &p->links[k];
    if (!r->check || !r->on)
        return;
    const md_link *l = md_link_at(p->doc, k);
    check_waiting(p, r->on, r->check, l->url, l->line, l->col, d);
}

void site_check_deferred(site *s, diag_list *d)
{
    for (size_t i = 0; i < s->n_pages; i++) {
        page *p = s->pages[i];
        if (p->released) {
            for (size_t k = 0; k < p->n_late; k++) {
                const late_check *c = &p->late[k];
                check_waiting(p, c->on, c->check, c->url, c->line, c->col, d);
            }
            continue;
        }
        for (size_t k = 0; k < p->n_links; k++)
            check_late_anchor(p, k, d);
    }
}

/* Whether the anchors of page `on` are known: it has been parsed or rendered. */
static bool anchors_known(const page *on)
{
    if (page_wants_anchors(on))
        return on->anchors != NULL;
    return !on->deferred || on->doc || on->released;
}

void site_check_rendered(const site *s, size_t from, size_t to, diag_list *d)
{
    for (size_t i = from; i < to && i < s->n_pages; i++) {
        page *p = s->pages[i];
        size_t kept = 0;
        for (size_t k = 0; k < p->n_late; k++) {
            late_check c = p->late[k];
            if (!anchors_known(c.on)) {
                p->late[kept++] = c;
                continue;
            }
            check_waiting(p, c.on, c.check, c.url, c.line, c.col, d);
            free(c.check);
            free(c.url);
        }
        p->n_late = kept;
        if (!kept) {
            free(p->late);
            p->late = NULL;
        }
    }
}

/* Lets go of a page's outline and links once it has rendered. */
static void drop_links(page *p)
{
    for (size_t i = 0; i < p->n_links; i++) {
        free(p->links[i].href);
        free(p->links[i].check);
    }
    free(p->links);
    p->links = NULL;
    p->n_links = 0;
    md_free(p->doc);
    p->doc = NULL;
}

void site_page_release(const site *cs, const page *cp)
{
    (void)cs; /* the page is the site's; only its own fields are written */
    page *p = (page *)cp;
    if (!p->deferred || !p->doc || val_as_bool(val_get(p->meta, "kirjanen")))
        return; /* its booklet plan reads its links */
    if (!p->released) {
        /* What site_check_deferred needs: its heading ids (sorted) and the links waiting for theirs. */
        size_t n = md_heading_count(p->doc);
        p->anchors = xmalloc((n ? n : 1) * sizeof(char *));
        for (size_t i = 0; i < n; i++)
            p->anchors[i] = xstrdup(md_heading_at(p->doc, i)->id);
        p->n_anchors = n;
        qsort(p->anchors, n, sizeof(char *), cmp_str);
        for (size_t k = 0; k < p->n_links; k++)
            p->n_late += p->links[k].check && p->links[k].on;
        p->late = p->n_late ? xmalloc(p->n_late * sizeof(late_check)) : NULL;
        for (size_t k = 0, j = 0; k < p->n_links; k++) {
            link_res *r = &p->links[k];
            if (!r->check || !r->on)
                continue;
            const md_link *l = md_link_at(p->doc, k);
            p->late[j++] = (late_check){.on = r->on, .check = r->check, .url = xstrdup(l->url),
                                        .line = l->line, .col = l->col};
            r->check = NULL;
        }
        p->released = true;
    }
    drop_links(p);
}

void site_page_restore(const site *cs, const page *cp)
{
    site *s = (site *)cs;
    page *p = (page *)cp;
    if (!p->released || p->doc)
        return;
    char *owned;
    const char *body = body_of(p, &owned, NULL);
    if (!body)
        return;
    /* Its mistakes were reported when it rendered. */
    diag_list *again = diag_list_new();
    p->doc = md_parse(body, p->body_len, p->src_path, p->body_line_offset,
                      (md_options){.unsafe_html = s->unsafe_html}, again);
    free(owned);
    md_drop_tree(p->doc);
    resolve_links(s, p, again);
    diag_list_free(again);
}

/* } */

/* {====== Patching one page (serve) ====== */

static bool same_embeds(const md_doc *a, const md_doc *b)
{
    if (md_embed_count(a) != md_embed_count(b))
        return false;
    for (size_t i = 0; i < md_embed_count(a); i++) {
        const md_embed *x = md_embed_at(a, i), *y = md_embed_at(b, i);
        if (strcmp(x->kind, y->kind) || strcmp(x->arg, y->arg) || strcmp(x->text, y->text))
            return false;
    }
    return true;
}

site_patch site_patch_page(site *s, page *p, const char *text, size_t len, diag_list *d)
{
    if (!p->file || p->expand || p->html)
        return SITE_PATCH_STRUCTURE;
    char *copy = xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    fm_page fm;
    if (!fm_split(copy, len, p->src_path, &fm, d)) {
        free(copy);
        return SITE_PATCH_ERRORS;
    }
    /* The front matter is what other pages, menus, hooks and layouts see of
     * this page: any change to it is a change to the site. */
    bool same_meta = val_hash(fm.meta, HASH_SEED, 0) == val_hash(p->meta, HASH_SEED, 0);
    val_free(fm.meta);
    md_doc *doc = same_meta ? md_parse(fm.body, fm.body_len, p->src_path, fm.body_line_offset,
                                       (md_options){.unsafe_html = s->unsafe_html}, d)
                            : NULL;
    if (!doc || !same_embeds(doc, p->doc)) { /* a diagram block is drawn before pages render */
        md_free(doc);
        free(copy);
        return SITE_PATCH_STRUCTURE;
    }
    md_drop_tree(doc);
    md_free(p->doc);
    p->doc = doc;
    free(p->patched);
    p->patched = copy;
    p->body = fm.body;
    p->body_len = fm.body_len;
    p->body_line_offset = fm.body_line_offset;
    for (size_t i = 0; i < p->n_links; i++) {
        free(p->links[i].href);
        free(p->links[i].check);
    }
    free(p->links);
    size_t errors = diag_errors(d);
    check_utf8(p, d);
    resolve_links(s, p, d);
    for (size_t k = 0; k < p->n_links; k++)
        check_late_anchor(p, k, d); /* its generated targets rendered in the kept build */
    /* Links into this page must still find their headings. */
    for (size_t i = 0; i < s->n_pages; i++) {
        page *q = s->pages[i];
        for (size_t k = 0; q != p && k < q->n_links; k++) {
            if (q->links[k].target != p && q->links[k].on != p)
                continue; /* neither to its file nor to its address */
            const md_link *l = md_link_at(q->doc, k);
            char *frag = link_fragment(l);
            if (!anchor_ok(p, frag))
                anchor_error(p, frag, l->line, l->col, q, d);
            free(frag);
        }
    }
    return diag_errors(d) > errors ? SITE_PATCH_ERRORS : SITE_PATCH_OK;
}

/* } */

page *site_add_page(site *s, const char *path, const char *title, const char *layout,
                    const char *markdown, const char *html, const val *data, src_pos where,
                    diag_list *d, char **err)
{
    char *norm = normalize_path(path);
    bool ok = address_ok(norm);
    if (!ok) {
        *err = xasprintf("the page path '%s' is not a usable address inside the site: use segments of "
                         "a-z, 0-9 and '-' separated by '/', e.g. 'kunnat/joensuu/'",
                         path);
        free(norm);
        return NULL;
    }
    if (!site_layout_exists(s, layout)) {
        *err = xasprintf("unknown layout '%s' (there is no layouts/%s.mustache)", layout, layout);
        free(norm);
        return NULL;
    }
    char *out = xasprintf("%s/index.html", norm);
    page *other = strmap_get(s->outputs, out);
    if (other || strmap_has(s->statics, out)) {
        *err = xasprintf("the page '%s' would be written to %s, which %s already writes", path, out,
                         other ? other->src_path : "a static file");
        free(out);
        free(norm);
        return NULL;
    }
    page *p = xcalloc(1, sizeof(page));
    p->lang = (uint32_t)site_url_lang(s, norm);
    p->src_path = where.file;
    p->owned_title = xstrdup(title);
    p->title = p->owned_title;
    p->owned_layout = xstrdup(layout);
    p->layout = p->owned_layout;
    p->url = xasprintf("%s/", norm);
    p->out = out;
    p->meta = val_map(where);
    val_set_str(p->meta, "title", title);
    if (data)
        val_set(p->meta, "data", val_copy(data));
    if (html) {
        p->html = xstrdup(html);
    } else {
        p->expanded = xstrdup(markdown ? markdown : "");
        p->body = p->expanded;
        p->body_len = strlen(p->expanded);
        p->body_line_offset = where.line > 0 ? where.line - 1 : 0;
        p->doc = md_parse(p->body, p->body_len, p->src_path, p->body_line_offset,
                          (md_options){.unsafe_html = s->unsafe_html}, d);
        md_drop_tree(p->doc);
    }
    strmap_add(s->outputs, p->out, p);
    strmap_add(s->by_url, p->url, p);
    s->pages = xrealloc(s->pages, (s->n_pages + 1) * sizeof(page *));
    s->pages[s->n_pages++] = p;
    site_pair_by_url(s, p);
    free(norm);
    return p;
}
const val *page_entity(const page *p) { return p->entity; }
const char *page_title_lang(const page *p) { return p->lang && p->entity ? val_get_str(p->entity, "nimi_lang") : NULL; }
size_t site_lang_count(const site *s) { return s->n_langs; }
const char *site_lang_at(const site *s, size_t i) { return s->langs[i]; }
const i18n *site_i18n_lang(const site *s, size_t i) { return i ? s->cats[i] : site_i18n(s); }
const val *site_data_lang(const site *s, size_t i) { return i ? s->ldata[i] : s->data; }
const char *site_menu_title_lang(const site *s, size_t i, size_t lang)
{
    return lang && s->menu[i].titles[lang] ? s->menu[i].titles[lang] : s->menu[i].title;
}
const char *site_menu_url_lang(const site *s, size_t i, size_t lang)
{
    const page *p = lang && !s->menu[i].external ? strmap_get(s->by_url, s->menu[i].url) : NULL;
    return p && alt_at(p, lang) ? alt_at(p, lang)->url : s->menu[i].url;
}
const char *site_menu_hreflang(const site *s, size_t i, size_t lang)
{
    const page *p = lang && !s->menu[i].external ? strmap_get(s->by_url, s->menu[i].url) : NULL;
    return p && !alt_at(p, lang) && p->lang != lang ? s->langs[p->lang] : NULL;
}
size_t page_lang(const page *p) { return p->lang; }
const page *page_alt(const page *p, size_t i) { return i < SITE_MAX_LANGS ? alt_at(p, i) : NULL; }
const char *page_link_hreflang(const page *p, size_t i) { return i < p->n_links ? p->links[i].hreflang : NULL; }
const md_term *site_terms(const site *s, size_t *n) { return site_terms_lang(s, 0, n); }
const md_term *site_terms_lang(const site *s, size_t lang, size_t *n)
{
    *n = s->terms[lang < SITE_MAX_LANGS ? lang : 0] ? s->n_terms : 0;
    return s->terms[lang < SITE_MAX_LANGS ? lang : 0];
}
const val *site_model_data(const site *s) { return s->model ? model_data(s->model) : NULL; }
const val *site_model_data_lang(const site *s, size_t lang)
{
    const model *m = s->model ? model_lang(s->model, lang) : NULL;
    return m ? model_data(m) : site_model_data(s);
}
const i18n *site_i18n(const site *s) { return s->model ? model_i18n(s->model) : s->own_cat; }
const char *page_url(const page *p) { return p->url; }
const char *page_out(const page *p) { return p->out; }
const char *page_title(const page *p) { return p->title; }
const char *page_layout(const page *p) { return p->layout; }
double page_weight(const page *p) { return p->weight; }
const val *page_meta(const page *p) { return p->meta; }
const md_doc *page_outline(const page *p) { return p->doc; }

md_doc *page_parse(const site *s, const page *p)
{
    char *owned;
    const char *body = body_of(p, &owned, NULL);
    if (!body)
        return NULL;
    md_doc *doc = p->map ? /* a 'mustache: true' page */
                      md_parse_map(body, p->body_len, p->src_path, p->map,
                                   (md_options){.unsafe_html = s->unsafe_html}, NULL)
                         : md_parse(body, p->body_len, p->src_path, p->body_line_offset,
                                    (md_options){.unsafe_html = s->unsafe_html}, NULL);
    free(owned);
    return doc;
}
size_t page_alias_count(const page *p) { return p->n_aliases; }
const char *page_alias_at(const page *p, size_t i) { return p->aliases[i]; }
const char *page_link_href(const page *p, size_t i) { return i < p->n_links ? p->links[i].href : NULL; }

/* {====== JSON Schemas ====== */

val *site_schema(bool page)
{
    if (page)
        return schema_document("sivu", page_table.desc, schema_of_table(&page_table));
    return schema_document("site", config_table.desc, schema_of_table(&config_table));
}

/* } */
