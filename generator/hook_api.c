/* hook_api: what the Lua hooks may do to the build. */
#include "hook_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "0-base/buf.h"
#include "0-base/xmem.h"
#include "4-render/markdown.h"
#include "5-write/output.h"
#include "5-write/xlsx.h"

/* A file a hook wrote: its bytes (kasikirja.file) or a workbook the writer
 * makes into bytes (kasikirja.xlsx). */
typedef struct {
    char *path;
    char *content;
    size_t len;
    xlsx_book *book;
} hook_file;

struct hook_env {
    site *s;
    diagrams *dg;
    graph_ctx *gx;
    diag_list *d;
    hook_file *files;
    size_t n_files;
    val *langs; /* kasikirja.languages */
};

hook_env *hook_env_new(site *s, diagrams *dg, graph_ctx *gx, diag_list *d)
{
    hook_env *he = xcalloc(1, sizeof *he);
    *he = (hook_env){.s = s, .dg = dg, .gx = gx, .d = d, .langs = val_list((src_pos){0})};
    for (size_t i = 0; i < site_lang_count(s); i++)
        val_push(he->langs, val_str(site_lang_at(s, i), (src_pos){0}));
    return he;
}

void hook_env_free(hook_env *he)
{
    if (!he)
        return;
    for (size_t i = 0; i < he->n_files; i++) {
        free(he->files[i].path);
        free(he->files[i].content);
        xlsx_book_free(he->files[i].book);
    }
    free(he->files);
    val_free(he->langs);
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

const char *hook_env_file_at(const hook_env *he, size_t i, const char **content, size_t *len,
                             const xlsx_book **book)
{
    *content = he->files[i].content;
    *len = he->files[i].len;
    *book = he->files[i].book;
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

/* Whether a hook (fn: "kasikirja.file", "kasikirja.xlsx") may write path: inside the output
 * folder, not written before, not a page's or a static file's. */
static bool path_free(hook_env *he, const char *fn, const char *path, char **err)
{
    if (!out_path_ok(path)) {
        *err = xasprintf("%s: '%s' is not a plain path inside the output folder (no '..', no leading '/')", fn,
                         path);
        return false;
    }
    for (size_t i = 0; i < he->n_files; i++) {
        if (!strcmp(he->files[i].path, path)) {
            *err = xasprintf("%s: '%s' was written already", fn, path);
            return false;
        }
    }
    const char *owner = site_output_owner(he->s, path);
    if (owner) {
        *err = !strcmp(owner, "layouts/static/")
                   ? xasprintf("%s: '%s' is the static file layouts/static/%s (choose another path)", fn, path,
                               path)
                   : xasprintf("%s: '%s' is written by the page %s (choose another path)", fn, path, owner);
        return false;
    }
    return true;
}

/* Adds a hook's file (content or book, taken) and makes it a link target like any page. */
static void add_hook_file(hook_env *he, const char *path, char *content, size_t len, xlsx_book *book)
{
    he->files = xrealloc(he->files, (he->n_files + 1) * sizeof(hook_file));
    he->files[he->n_files++] = (hook_file){.path = xstrdup(path), .content = content, .len = len, .book = book};
    site_add_output(he->s, path);
}

static bool api_add_file(void *ud, const char *path, const char *content, size_t len, src_pos where,
                         char **err)
{
    (void)where;
    hook_env *he = ud;
    if (!path_free(he, "kasikirja.file", path, err))
        return false;
    char *copy = xmalloc(len + 1);
    memcpy(copy, content, len);
    copy[len] = '\0';
    add_hook_file(he, path, copy, len, NULL);
    return true;
}

/* {====== kasikirja.xlsx ====== */

static const char *const xlsx_fields[] = {"path", "sheets", NULL};
static const char *const sheet_fields[] = {"name", "columns", "rows", "widths", NULL};

/* The name of the first key of map that is not in fields, or NULL. */
static const char *unknown_field(const val *map, const char *const *fields)
{
    for (size_t i = 0; i < val_len(map); i++) {
        const char *k = val_key_at(map, i);
        bool known = false;
        for (size_t j = 0; fields[j] && !known; j++)
            known = !strcmp(k, fields[j]);
        if (!known)
            return k;
    }
    return NULL;
}

static const char *kind_name(const val *v)
{
    static const char *const names[] = {
        [VAL_NULL] = "nil", [VAL_BOOL] = "a boolean", [VAL_NUM] = "a number", [VAL_STR] = "a string",
        [VAL_LIST] = "a list", [VAL_MAP] = "a table with named fields", [VAL_FUNC] = "a function",
    };
    return v ? names[val_kind_of(v)] : "nil";
}

static bool is_list(const val *v)
{
    return v && val_kind_of(v) == VAL_LIST;
}

/* Adds the cells of list (strings or numbers; nil is an empty cell) as a row of b; what: the
 * row's place for messages. */
static bool xlsx_row(xlsx_book *b, const val *list, const char *what, char **err)
{
    size_t n = val_len(list);
    const char **cells = xcalloc(n ? n : 1, sizeof *cells);
    size_t *lens = xcalloc(n ? n : 1, sizeof *lens);
    char **owned = xcalloc(n ? n : 1, sizeof *owned);
    bool ok = true;
    for (size_t c = 0; c < n && ok; c++) {
        const val *v = val_at(list, c);
        switch (val_kind_of(v)) {
        case VAL_STR: cells[c] = val_as_str(v); lens[c] = val_str_len(v); break;
        case VAL_NUM:
            owned[c] = xasprintf("%.14g", val_as_num(v));
            cells[c] = owned[c];
            lens[c] = strlen(owned[c]);
            break;
        case VAL_NULL: cells[c] = ""; break;
        default:
            *err = xasprintf("kasikirja.xlsx: %s, cell %zu must be a string or a number (got %s)", what, c + 1,
                             kind_name(v));
            ok = false;
        }
    }
    char *why = NULL;
    if (ok && !xlsx_add_row(b, cells, lens, n, &why)) {
        *err = xasprintf("kasikirja.xlsx: %s", why);
        free(why);
        ok = false;
    }
    for (size_t c = 0; c < n; c++)
        free(owned[c]);
    free(owned);
    free(lens);
    free(cells);
    return ok;
}

/* Adds sheet i (a map: name, columns, rows, widths) to b; warns at where when its name had to change. */
static bool xlsx_sheet(hook_env *he, xlsx_book *b, const val *sh, size_t i, src_pos where, char **err)
{
    if (!sh || val_kind_of(sh) != VAL_MAP) {
        *err = xasprintf("kasikirja.xlsx: sheet %zu must be a table {name=, columns=, rows=} (got %s)", i + 1,
                         kind_name(sh));
        return false;
    }
    const char *bad = unknown_field(sh, sheet_fields);
    if (bad) {
        *err = xasprintf("kasikirja.xlsx: sheet %zu has an unknown field '%s' (fields: name, columns, rows, widths)",
                         i + 1, bad);
        return false;
    }
    const val *name = val_get(sh, "name"), *cols = val_get(sh, "columns");
    const val *rows = val_get(sh, "rows"), *widths = val_get(sh, "widths");
    if (!name || val_kind_of(name) != VAL_STR) {
        *err = xasprintf("kasikirja.xlsx: sheet %zu needs 'name' (a string; got %s)", i + 1, kind_name(name));
        return false;
    }
    if (!is_list(cols) || val_len(cols) == 0) {
        *err = xasprintf("kasikirja.xlsx: sheet %zu ('%s') needs 'columns', a list of at least one header (got %s)",
                         i + 1, val_as_str(name), is_list(cols) ? "an empty list" : kind_name(cols));
        return false;
    }
    if (rows && !is_list(rows)) {
        *err = xasprintf("kasikirja.xlsx: sheet %zu ('%s'): 'rows' must be a list of rows (got %s)", i + 1,
                         val_as_str(name), kind_name(rows));
        return false;
    }
    if (widths && !is_list(widths)) {
        *err = xasprintf("kasikirja.xlsx: sheet %zu ('%s'): 'widths' must be a list of numbers (got %s)", i + 1,
                         val_as_str(name), kind_name(widths));
        return false;
    }
    bool corrected;
    const char *used = xlsx_add_sheet(b, val_as_str(name), &corrected);
    if (corrected && he->d)
        diag_warning(he->d, where.file, where.line, 0,
                     "kasikirja.xlsx: '%s' cannot be an Excel sheet name (at most 31 characters, none of "
                     "[]:*?/\\, no apostrophe at either end, not used twice in a workbook); the sheet is "
                     "named '%s'",
                     val_as_str(name), used);
    char what[64];
    snprintf(what, sizeof what, "sheet %zu, header", i + 1);
    if (!xlsx_row(b, cols, what, err))
        return false;
    for (size_t r = 0; rows && r < val_len(rows); r++) {
        const val *row = val_at(rows, r);
        snprintf(what, sizeof what, "sheet %zu, row %zu", i + 1, r + 1);
        if (!is_list(row)) {
            *err = xasprintf("kasikirja.xlsx: %s must be a list of cells (got %s)", what, kind_name(row));
            return false;
        }
        if (!xlsx_row(b, row, what, err))
            return false;
    }
    for (size_t c = 0; widths && c < val_len(widths); c++) {
        const val *w = val_at(widths, c);
        if (val_kind_of(w) != VAL_NUM || !(val_as_num(w) > 0)) {
            *err = xasprintf("kasikirja.xlsx: sheet %zu, width %zu must be a positive number (got %s)", i + 1, c + 1,
                             kind_name(w));
            return false;
        }
        xlsx_set_width(b, c, val_as_num(w));
    }
    return true;
}

static bool api_add_xlsx(void *ud, const val *spec, src_pos where, char **err)
{
    hook_env *he = ud;
    const char *bad = unknown_field(spec, xlsx_fields);
    if (bad) {
        *err = xasprintf("kasikirja.xlsx: unknown field '%s' (fields: path, sheets)", bad);
        return false;
    }
    const val *path = val_get(spec, "path"), *sheets = val_get(spec, "sheets");
    if (!path || val_kind_of(path) != VAL_STR) {
        *err = xasprintf("kasikirja.xlsx: 'path' must be a string (got %s)", kind_name(path));
        return false;
    }
    if (!is_list(sheets) || val_len(sheets) == 0) {
        *err = xasprintf("kasikirja.xlsx: 'sheets' must be a list of at least one sheet (got %s)",
                         is_list(sheets) ? "an empty list" : kind_name(sheets));
        return false;
    }
    if (!path_free(he, "kasikirja.xlsx", val_as_str(path), err))
        return false;
    xlsx_book *b = xlsx_book_new();
    for (size_t i = 0; i < val_len(sheets); i++) {
        if (!xlsx_sheet(he, b, val_at(sheets, i), i, where, err)) {
            xlsx_book_free(b);
            return false;
        }
    }
    add_hook_file(he, val_as_str(path), NULL, 0, b);
    return true;
}

/* }====== */

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

static const val *api_data_lang(void *ud, const char *code)
{
    hook_env *he = ud;
    for (size_t i = 0; i < site_lang_count(he->s); i++)
        if (!strcmp(site_lang_at(he->s, i), code))
            return site_model_data_lang(he->s, i);
    return NULL;
}

static const val *api_languages(void *ud)
{
    hook_env *he = ud;
    return he->langs;
}

static const i18n *api_catalog(void *ud, size_t i)
{
    hook_env *he = ud;
    return site_i18n_lang(he->s, i);
}

/* A page as the hooks see it: title, url, lang, path, layout, params. */
static val *page_view(const site *s, const page *p)
{
    val *e = val_map((src_pos){0});
    val_set_str(e, "title", page_title(p));
    val_set_str(e, "url", page_url(p));
    val_set_str(e, "lang", site_lang_at(s, page_lang(p)));
    val_set_str(e, "path", page_path(p));
    val_set_str(e, "layout", page_layout(p));
    val_set(e, "params", val_ref(page_meta(p)));
    return e;
}

val *hook_api_pages_view(const site *s)
{
    val *list = val_list((src_pos){0});
    for (size_t i = 0; i < site_page_count(s); i++)
        val_push(list, page_view(s, site_page_at(s, i)));
    return list;
}

bool hook_api_run(hooks *h, site *s, diag_list *d)
{
    if (!hooks_run(h, d))
        return false;
    for (size_t i = 0; i < site_page_count(s); i++) {
        page *p = site_page_at(s, i);
        val *e = page_view(s, p);
        val *extra = hooks_filter_page(h, e, d);
        val_free(e);
        if (extra)
            page_set_extra(p, extra);
    }
    return diag_errors(d) == 0;
}


/* kasikirja.pages, made when a script first reads it. */
static val *api_pages(void *ud)
{
    hook_env *he = ud;
    return hook_api_pages_view(he->s);
}

hooks_api hook_api_of(hook_env *he)
{
    return (hooks_api){.ud = he, .add_page = api_add_page, .add_file = api_add_file, .add_xlsx = api_add_xlsx, .markdown = api_markdown,
                       .url = api_url, .diagram = api_diagram, .pages = api_pages, .data_lang = api_data_lang,
                       .languages = api_languages, .catalog = api_catalog};
}
