/* hook_api: what the Lua hooks may do to the build. */
#include "hook_api.h"

#include <stdlib.h>
#include <string.h>

#include "0-base/buf.h"
#include "0-base/xmem.h"
#include "4-render/markdown.h"
#include "5-write/output.h"

typedef struct {
    char *path;
    char *content;
    size_t len;
} hook_file;

struct hook_env {
    site *s;
    diagrams *dg;
    graph_ctx *gx;
    diag_list *d;
    hook_file *files;
    size_t n_files;
};

hook_env *hook_env_new(site *s, diagrams *dg, graph_ctx *gx, diag_list *d)
{
    hook_env *he = xcalloc(1, sizeof *he);
    *he = (hook_env){.s = s, .dg = dg, .gx = gx, .d = d};
    return he;
}

void hook_env_free(hook_env *he)
{
    if (!he)
        return;
    for (size_t i = 0; i < he->n_files; i++) {
        free(he->files[i].path);
        free(he->files[i].content);
    }
    free(he->files);
    free(he);
}

void hook_env_drop_graph(hook_env *he)
{
    he->gx = NULL;
}

void hook_env_drop_diag(hook_env *he)
{
    he->d = NULL;
}

size_t hook_env_file_count(const hook_env *he)
{
    return he->n_files;
}

const char *hook_env_file_at(const hook_env *he, size_t i, const char **content, size_t *len)
{
    *content = he->files[i].content;
    *len = he->files[i].len;
    return he->files[i].path;
}

static const char *const page_fields[] = {"path", "title", "layout", "markdown", "html", "data", NULL};

static bool api_add_page(void *ud, const val *spec, src_pos where, char **err)
{
    hook_env *he = ud;
    for (size_t i = 0; i < val_len(spec); i++) {
        const char *k = val_key_at(spec, i);
        bool known = false;
        for (size_t j = 0; page_fields[j] && !known; j++)
            known = !strcmp(k, page_fields[j]);
        if (!known) {
            *err = xasprintf("kasikirja.page: unknown field '%s' (fields: path, title, layout, markdown, "
                             "html, data)",
                             k);
            return false;
        }
    }
    const char *path = val_get_str(spec, "path"), *title = val_get_str(spec, "title");
    const char *layout = val_get_str(spec, "layout"), *md = val_get_str(spec, "markdown");
    const char *html = val_get_str(spec, "html");
    if (!path || !title) {
        *err = xstrdup("kasikirja.page needs 'path' and 'title' (text)");
        return false;
    }
    if ((md != NULL) == (html != NULL)) {
        *err = xstrdup("kasikirja.page needs exactly one of 'markdown' and 'html'");
        return false;
    }
    return site_add_page(he->s, path, title, layout ? layout : "page", md, html, val_get(spec, "data"), where,
                         he->d, err) != NULL;
}

static bool api_add_file(void *ud, const char *path, const char *content, size_t len, src_pos where,
                         char **err)
{
    (void)where;
    hook_env *he = ud;
    if (!out_path_ok(path)) {
        *err = xasprintf("kasikirja.file: '%s' is not a plain path inside the output folder (no '..', "
                         "no leading '/')",
                         path);
        return false;
    }
    for (size_t i = 0; i < he->n_files; i++) {
        if (!strcmp(he->files[i].path, path)) {
            *err = xasprintf("kasikirja.file: '%s' was written already", path);
            return false;
        }
    }
    const char *owner = site_output_owner(he->s, path);
    if (owner) {
        *err = !strcmp(owner, "layouts/static/")
                   ? xasprintf("kasikirja.file: '%s' is the static file layouts/static/%s (choose another path)",
                               path, path)
                   : xasprintf("kasikirja.file: '%s' is written by the page %s (choose another path)", path,
                               owner);
        return false;
    }
    he->files = xrealloc(he->files, (he->n_files + 1) * sizeof(hook_file));
    char *copy = xmalloc(len + 1);
    memcpy(copy, content, len);
    copy[len] = '\0';
    he->files[he->n_files++] = (hook_file){.path = xstrdup(path), .content = copy, .len = len};
    site_add_output(he->s, path); /* a link target like any page */
    return true;
}

static char *api_markdown(void *ud, const char *text, char **err)
{
    hook_env *he = ud;
    (void)err;
    md_doc *doc = md_parse(text, strlen(text), "(kasikirja.markdown)", 0,
                           (md_options){.unsafe_html = site_unsafe_html(he->s)}, he->d);
    buf_t b = BUF_INIT;
    md_render(doc, NULL, NULL, &b, he->d);
    md_free(doc);
    return buf_detach(&b);
}

static char *api_url(void *ud, const char *path, char **err)
{
    hook_env *he = ud;
    const char *p = path[0] == '/' ? path + 1 : path;
    if (strstr(p, "..") || strchr(p, '\\') || strstr(p, "://")) {
        *err = xasprintf("kasikirja.url: '%s' is not a path inside the site", path);
        return NULL;
    }
    return xasprintf("%s%s", site_base_path(he->s), p);
}

static char *api_diagram(void *ud, const val *spec, src_pos where, char **err)
{
    hook_env *he = ud;
    (void)where;
    char *h = he->gx ? diagrams_draw(he->dg, he->gx, he->s, spec, he->d) : NULL;
    if (!h)
        *err = xstrdup("kasikirja.diagram: the diagram could not be drawn (see the errors above)");
    return h;
}

/* A page as the hooks see it: title, url, path, layout, params. */
static val *page_view(const page *p)
{
    val *e = val_map((src_pos){0});
    val_set_str(e, "title", page_title(p));
    val_set_str(e, "url", page_url(p));
    val_set_str(e, "path", page_path(p));
    val_set_str(e, "layout", page_layout(p));
    val_set(e, "params", val_ref(page_meta(p)));
    return e;
}

val *hook_api_pages_view(const site *s)
{
    val *list = val_list((src_pos){0});
    for (size_t i = 0; i < site_page_count(s); i++)
        val_push(list, page_view(site_page_at(s, i)));
    return list;
}

bool hook_api_run(hooks *h, site *s, diag_list *d)
{
    if (!hooks_run(h, d))
        return false;
    for (size_t i = 0; i < site_page_count(s); i++) {
        page *p = site_page_at(s, i);
        val *e = page_view(p);
        val *extra = hooks_filter_page(h, e, d);
        val_free(e);
        if (extra)
            page_set_extra(p, extra);
    }
    return diag_errors(d) == 0;
}


hooks_api hook_api_of(hook_env *he)
{
    return (hooks_api){.ud = he, .add_page = api_add_page, .add_file = api_add_file, .markdown = api_markdown,
                       .url = api_url, .diagram = api_diagram};
}
