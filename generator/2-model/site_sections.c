/* site_sections: the handbook's navigation (parents, children, reading
 * order), the section pages of folders without an index page (and of the
 * root without content/index.md), per language, and their paginated lists. */
#include "site_impl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../1-load/yaml_load.h"
#include "schema.h"

/* Reading order: weight, then title. */
static int cmp_reading(const void *a, const void *b)
{
    const page *x = *(page *const *)a, *y = *(page *const *)b;
    if (x->weight != y->weight)
        return x->weight < y->weight ? -1 : 1;
    return strcmp(x->title, y->title);
}

/* Appends p and its content subtree, depth first, to the reading order. */
static void reading_order(page *p, page ***order, size_t *n)
{
    *order = xrealloc(*order, (*n + 1) * sizeof(page *));
    (*order)[(*n)++] = p;
    for (size_t i = 0; i < p->n_children; i++)
        reading_order(p->children[i], order, n);
}

/* Whether p is in the handbook's navigation: a content page, or the
 * section page of a folder without an index page. */
static bool in_nav(const page *p) { return p->file || p->section; }

/* Parents by URL for every page; children, prev and next for the content
 * pages and generated sections (entity and hook pages get breadcrumbs only,
 * so that no page lists thousands of entity pages). */
void site_build_nav(site *s)
{
    for (size_t i = 0; i < s->n_pages; i++) {
        page *p = s->pages[i];
        size_t root_len = p->lang ? strlen(s->langs[p->lang]) + 1 : 0; /* "sv/" */
        if (strlen(p->url) <= root_len)
            continue;
        /* "a/b/c/" -> "a/b/", then "a/", then "" */
        size_t n = strlen(p->url) - 1;
        char *up = xstrndup(p->url, n);
        while (!p->parent) {
            char *slash = strrchr(up, '/');
            if (slash)
                slash[1] = '\0';
            else
                up[0] = '\0';
            if (strlen(up) < root_len) /* a language's pages stay below its front page */
                break;
            p->parent = strmap_get(s->by_url, up);
            if (!*up || p->parent)
                break;
            slash[0] = '\0';
        }
        free(up);
        if (p->parent && in_nav(p) && in_nav(p->parent)) {
            page *par = p->parent;
            par->children = xrealloc(par->children, (par->n_children + 1) * sizeof(page *));
            par->children[par->n_children++] = p;
        }
    }
    for (size_t i = 0; i < s->n_pages; i++) {
        page *p = s->pages[i];
        if (p->n_children > 1)
            qsort(p->children, p->n_children, sizeof(page *), cmp_reading);
        for (size_t k = 0; k < p->n_children; k++)
            p->children[k]->child_index = k;
    }
    for (size_t l = 0; l < s->n_langs; l++) { /* each language's reading order from its front page */
        char *root = l ? xasprintf("%s/", s->langs[l]) : xstrdup("");
        page *home = strmap_get(s->by_url, root);
        free(root);
        if (!home || !home->file)
            continue;
        page **order = NULL;
        size_t n = 0;
        reading_order(home, &order, &n);
        for (size_t i = 0; i < n; i++) {
            order[i]->prev = i > 0 ? order[i - 1] : NULL;
            order[i]->next = i + 1 < n ? order[i + 1] : NULL;
        }
        free(order);
    }
}

/* {====== Sections without an index page ====== */

static const char *const section_keys[] = {"title", "otsikko", "description", "kuvaus", "weight", "paino", NULL};

/* "kunnat/osa-3/" -> "Osa 3": the folder's name, '-' and '_' as spaces, the
 * first letter in upper case (names are lower-case ASCII: segment_ok). */
static char *folder_title(const char *url)
{
    const char *end = url + strlen(url) - 1, *start = end;
    while (start > url && start[-1] != '/')
        start--;
    char *t = xstrndup(start, (size_t)(end - start));
    for (char *c = t; *c; c++)
        if (*c == '-' || *c == '_')
            *c = ' ';
    t[0] = (char)toupper((unsigned char)t[0]);
    return t;
}

/* The section URL a content path names ("content/osa-3/_sektio.yaml" -> "osa-3/"; a
 * translation "content/osa-3/_sektio.sv.yaml" -> "sv/osa-3/", as x.sv.md is), or NULL.
 * *code is set to the language code of a "_sektio.<code>.yaml" the site lacks (else NULL;
 * caller frees). */
static char *sektio_folder(const site *s, const char *path, char **code)
{
    *code = NULL;
    const char *base = strrchr(path, '/');
    if (strncmp(path, "content/", 8) || !base)
        return NULL;
    const char *name = base + 1, *dir = path + 8;
    size_t dir_len = (size_t)(name - dir);
    if (!strcmp(name, SITE_SECTION_FILE))
        return xstrndup(dir, dir_len);
    size_t n = strlen(name), stem = strlen("_sektio.");
    if (strncmp(name, "_sektio.", stem) || n <= stem + strlen(".yaml") || strcmp(name + n - 5, ".yaml"))
        return NULL;
    char *lang = xstrndup(name + stem, n - stem - 5);
    int k = site_lang_index(s, lang);
    if (k <= 0) {
        *code = lang;
        return NULL;
    }
    char *url = xasprintf("%s/%.*s", lang, (int)dir_len, dir);
    free(lang);
    return url;
}

/* A section's title, description and weight from its _sektio.yaml (English or Finnish keys). */
static void read_sektio(page *p, const src_file *f, diag_list *d)
{
    val *v = yaml_load(f->data, f->len, f->path, 0, d);
    if (!v)
        return;
    if (val_kind_of(v) != VAL_MAP) {
        diag_error(d, f->path, 1, 1, "%s holds a map: title:, description: (or otsikko:, kuvaus:) and weight:",
                   SITE_SECTION_FILE);
        val_free(v);
        return;
    }
    for (size_t i = 0; i < val_len(v); i++) {
        const char *key = val_key_at(v, i);
        bool known = false;
        for (size_t k = 0; section_keys[k] && !known; k++)
            known = !strcmp(key, section_keys[k]);
        if (!known) {
            src_pos at = val_key_pos(v, i);
            const char *hint = diag_suggest(key, section_keys, 6);
            diag_warning(d, at.file, at.line, at.col, "unknown key '%s' in %s (%s%s%s)", key, SITE_SECTION_FILE,
                         hint ? "did you mean '" : "it holds title, description and weight",
                         hint ? hint : "", hint ? "'?" : "");
        }
    }
    const char *title = schema_text(v, val_get(v, "otsikko") ? "otsikko" : "title", false, SITE_SECTION_FILE, d);
    const char *desc = schema_text(v, val_get(v, "kuvaus") ? "kuvaus" : "description", false, SITE_SECTION_FILE, d);
    if (title && *title) {
        free(p->owned_title);
        p->owned_title = xstrdup(title);
        p->title = p->owned_title;
        val_set_str(p->meta, "title", title);
    }
    if (desc && *desc)
        val_set_str(p->meta, "description", desc);
    p->weight = schema_int(v, val_get(v, "paino") ? "paino" : "weight", 0, d);
    val_free(v);
}

/* A generated page of layout `layout` at url (copied), written to url/index.html. */
/* The language of the page at path or URL norm: k when it starts with the
 * folder of language k ("sv/…", k > 0), else the default's. */
size_t site_url_lang(const site *s, const char *norm)
{
    for (size_t k = 1; k < s->n_langs; k++) {
        size_t n = strlen(s->langs[k]);
        if (!strncmp(norm, s->langs[k], n) && norm[n] == '/')
            return k;
    }
    return 0;
}

/* A page made by the build (a hook's page, a generated section) and its
 * versions in the other languages, when they exist: "sv/kunnat/joensuu/" is
 * the Swedish version of "kunnat/joensuu/". Each version's alt[] names all of them. */
void site_pair_by_url(site *s, page *p)
{
    if (s->n_langs < 2)
        return;
    const char *rest = p->lang ? p->url + strlen(s->langs[p->lang]) + 1 : p->url;
    page *orig = p->lang ? strmap_get(s->by_url, rest) : p;
    if (!orig || orig->lang)
        return;
    page *all[SITE_MAX_LANGS] = {0};
    all[0] = orig;
    for (size_t k = 1; k < s->n_langs; k++) {
        char *u = xasprintf("%s/%s", s->langs[k], rest);
        page *v = alt_at(orig, k) ? alt_at(orig, k) : strmap_get(s->by_url, u);
        all[k] = v && v->lang == k ? v : NULL;
        free(u);
    }
    size_t n = 0;
    for (size_t k = 0; k < s->n_langs; k++)
        n += all[k] != NULL;
    if (n < 2) /* no other version yet: nothing to name */
        return;
    for (size_t k = 0; k < s->n_langs; k++)
        if (all[k])
            memcpy(alts(all[k]), all, sizeof all);
}

static page *generated_page(site *s, const char *url, const char *src_path, char *title, const char *layout)
{
    page *p = xcalloc(1, sizeof(page));
    p->owned_src = xstrdup(src_path);
    p->src_path = p->owned_src;
    p->owned_title = title;
    p->title = title;
    p->layout = site_layout_exists(s, layout) ? layout : "page";
    p->url = xstrdup(url);
    p->out = xasprintf("%sindex.html", url);
    p->lang = (uint32_t)site_url_lang(s, url); /* a section under "sv/" is a Swedish page */
    p->meta = val_map((src_pos){p->src_path, 0, 0});
    val_set_str(p->meta, "title", title);
    strmap_add(s->outputs, p->out, p);
    strmap_add(s->by_url, p->url, p);
    s->pages = xrealloc(s->pages, (s->n_pages + 1) * sizeof(page *));
    s->pages[s->n_pages++] = p;
    return p;
}

/* Whether url is taken by a page or by a file of the build ("tulosta/"). */
static bool url_taken(const site *s, const char *url)
{
    char *out = xasprintf("%sindex.html", url);
    bool taken = strmap_has(s->by_url, url) || strmap_has(s->files, url) || strmap_has(s->outputs, out) ||
                 strmap_has(s->statics, out);
    free(out);
    return taken;
}

/* Every folder above a content page that has no page of its own (no
 * index.md, no page a hook or the model makes there) gets a section page:
 * its title from the folder's _sektio.yaml (_sektio.sv.yaml for its Swedish
 * version), else from its name; the root's too when there is no content/index.md. */
void site_add_sections(site *s, diag_list *d)
{
    strmap *sektio = strmap_new(); /* "osa-3/" -> its _sektio.yaml, "sv/osa-3/" -> _sektio.sv.yaml */
    for (size_t i = 0; i < src_count(s->src, SRC_DATA); i++) {
        const src_file *f = src_at(s->src, SRC_DATA, i);
        char *code;
        char *folder = sektio_folder(s, f->path, &code);
        if (folder)
            strmap_add(sektio, folder, (void *)f);
        else if (code)
            diag_warning(d, f->path, 0, 0,
                         "this file is not read: '%s' is not a language of the site other than the default "
                         "(a translation of _sektio.yaml is _sektio.<language>.yaml, e.g. _sektio.sv.yaml)",
                         code);
        free(code);
        free(folder);
    }
    strmap *made = strmap_new();
    size_t n = s->n_pages;
    for (size_t i = 0; i < n; i++) {
        const page *p = s->pages[i];
        if (!p->file)
            continue;
        char *up = xstrdup(p->url);
        for (char *slash = strrchr(up, '/'); slash;) {
            *slash = '\0'; /* "a/b/c" -> "a/b" */
            slash = strrchr(up, '/');
            if (!slash)
                break;
            slash[1] = '\0';
            if (strmap_has(made, up))
                break; /* the folders above it are done too */
            if (url_taken(s, up))
                continue; /* it has a page; a folder above it may not */
            char *src_path = xasprintf("content/%s", up);
            const src_file *f = strmap_get(sektio, up);
            page *sec = generated_page(s, up, f ? f->path : src_path, folder_title(up), "osio");
            sec->section = true;
            if (f)
                read_sektio(sec, f, d);
            strmap_add(made, up, sec);
            site_pair_by_url(s, sec); /* "sv/osa-3/" and "osa-3/" are each other's versions */
            free(src_path);
        }
        free(up);
    }
    /* No content/index.md: the front page is a generated section too, of the top-level pages. */
    if (n && !url_taken(s, "")) {
        const src_file *f = strmap_get(sektio, "");
        page *home = generated_page(s, "", f ? f->path : "content/", xstrdup(s->title ? s->title : ""), "osio");
        home->section = true;
        if (f)
            read_sektio(home, f, d);
        strmap_add(made, "", home);
    }
    /* A _sektio.yaml where the folder has an index page (its front matter
     * says it all) or no page at all: said once, not read. */
    for (size_t i = 0; i < src_count(s->src, SRC_DATA); i++) {
        const src_file *f = src_at(s->src, SRC_DATA, i);
        char *code;
        char *folder = sektio_folder(s, f->path, &code);
        free(code);
        if (folder && !strmap_has(made, folder)) {
            const page *owner = strmap_get(s->by_url, folder);
            if (owner)
                diag_warning(d, f->path, 0, 0, "this file is not read: the folder has a page of its own (%s), whose "
                             "front matter gives the section's title and description", owner->src_path);
            else
                diag_warning(d, f->path, 0, 0, "this file is not read: there are no pages in this folder");
        }
        free(folder);
    }
    strmap_free(made);
    strmap_free(sektio);
}

/* A page whose children are listed on it: a generated section, or a page
 * with more children than the sidebar shows. */
static bool lists_children(const page *p)
{
    return in_nav(p) && p->n_children && (p->section || p->n_children > SITE_NAV_WINDOW);
}

/* Pages 2, 3, … of every long list ("osa-3/sivu/2/"), after build_nav. */
void site_add_list_pages(site *s, diag_list *d)
{
    size_t n = s->n_pages;
    for (size_t i = 0; i < n; i++) {
        page *p = s->pages[i];
        if (!lists_children(p))
            continue;
        size_t total = (p->n_children + SITE_LIST_PAGE - 1) / SITE_LIST_PAGE;
        p->list_pages = 1;
        for (size_t k = 2; k <= total; k++) {
            char *url = site_list_url(p, k);
            if (url_taken(s, url)) {
                diag_warning(d, p->src_path, 0, 0,
                             "the list of this section's %zu pages stops at %zu pages of %d: %s is taken",
                             (size_t)p->n_children, k - 1, SITE_LIST_PAGE, url);
                free(url);
                break;
            }
            char *title = xasprintf("%s, sivu %zu/%zu", p->title, k, total);
            page *c = generated_page(s, url, p->src_path, title, "osio");
            free(url);
            c->list_of = p;
            c->list_no = k;
            c->parent = p;
            p->list_pages = k;
        }
    }
}

bool page_is_section(const page *p) { return p->section; }

const page *page_list(const page *p, size_t *number, size_t *pages)
{
    const page *sec = p->list_of ? p->list_of : p;
    if (!sec->list_pages)
        return NULL;
    *number = p->list_of ? p->list_no : 1;
    *pages = sec->list_pages;
    return sec;
}

char *site_list_url(const page *section, size_t k)
{
    return k <= 1 ? xstrdup(section->url) : xasprintf("%s" SITE_LIST_SEGMENT "/%zu/", section->url, k);
}

size_t page_child_index(const page *p) { return p->child_index; }

/* } */
