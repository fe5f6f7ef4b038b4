/* source: walks content/ and layouts/ and reads what the build needs. */
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../0-base/buf.h"
#include "../0-base/par.h"
#include "../0-base/xmem.h"
#include "theme.h"

typedef struct {
    src_file *items;
    size_t len, cap;
} file_list;

/* A file found by the walk, read afterwards (in parallel). */
typedef struct {
    src_kind k;
    size_t i;
    bool ok;
} pending;

struct src_tree {
    char *root;
    src_file config;
    file_list kinds[SRC_KIND_COUNT];
    size_t dropped[SRC_KIND_COUNT];
    pending *pend;
    size_t n_pend, cap_pend;
    bool lazy; /* src_load_lazy: pages are listed, not read */
};

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

/* Reads a whole file; returns false with an error in d. */
static bool read_file(const char *abs, const char *rel, src_file *f, diag_list *d)
{
    FILE *fp = fopen(abs, "rb");
    if (!fp) {
        diag_error(d, rel, 0, 0, "cannot read the file: %s", strerror(errno));
        return false;
    }
    buf_t b = BUF_INIT;
    char chunk[65536];
    size_t n;
    bool ok = true;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (b.len + n > SRC_MAX_FILE) {
            diag_error(d, rel, 0, 0, "the file is larger than %u MiB%s", SRC_MAX_FILE / (1024u * 1024u),
                       ends_with(rel, ".md") ? "; split it into smaller pages"
                                             : " (the most kasikirja reads from one source file)");
            ok = false;
            break;
        }
        buf_put(&b, chunk, n);
    }
    if (ok && ferror(fp)) {
        diag_error(d, rel, 0, 0, "cannot read the file: %s", strerror(errno));
        ok = false;
    }
    fclose(fp);
    if (!ok) {
        buf_free(&b);
        return false;
    }
    f->len = b.len;
    f->data = buf_detach(&b);
    return true;
}

static void add(file_list *l, src_file f)
{
    if (!f.name)
        f.name = xstrdup(f.path);
    if (l->len == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->items = xrealloc(l->items, l->cap * sizeof(src_file));
    }
    l->items[l->len++] = f;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef void (*visit_fn)(src_tree *t, const char *rel, const char *abs);

/* Walks dir (relative rel) in name order, calling visit for each regular file.
 * Symlinks are not followed: one could point outside the source folder. */
static void walk(src_tree *t, const char *rel, visit_fn visit, diag_list *d)
{
    char *abs = xasprintf("%s/%s", t->root, rel);
    DIR *dir = opendir(abs);
    if (!dir) {
        free(abs);
        return; /* a missing folder is simply empty */
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ., .., and hidden files such as editors' swap files */
        names = xrealloc(names, (n + 1) * sizeof(char *));
        names[n++] = xstrdup(e->d_name);
    }
    closedir(dir);
    if (n)
        qsort(names, n, sizeof(char *), cmp_name);
    for (size_t i = 0; i < n; i++) {
        char *crel = xasprintf("%s/%s", rel, names[i]);
        char *cabs = xasprintf("%s/%s", abs, names[i]);
        struct stat st;
        if (lstat(cabs, &st) != 0) {
            diag_error(d, crel, 0, 0, "cannot read: %s", strerror(errno));
        } else if (S_ISLNK(st.st_mode)) {
            diag_warning(d, crel, 0, 0,
                         "symbolic link skipped (links are not followed; copy the file instead)");
        } else if (S_ISDIR(st.st_mode)) {
            walk(t, crel, visit, d);
        } else if (S_ISREG(st.st_mode)) {
            visit(t, crel, cabs);
        }
        free(crel);
        free(cabs);
        free(names[i]);
    }
    free(names);
    free(abs);
}

static void pend(src_tree *t, src_kind k);

/* Files the file under kind, to be read once the walk is done. */
static void add_read(src_tree *t, src_kind k, const char *rel, const char *abs)
{
    add(&t->kinds[k], (src_file){.path = xstrdup(rel), .abs_path = xstrdup(abs)});
    pend(t, k);
}

/* Marks the last file of kind k to be read. */
static void pend(src_tree *t, src_kind k)
{
    if (t->n_pend == t->cap_pend) {
        t->cap_pend = t->cap_pend ? t->cap_pend * 2 : 64;
        t->pend = xrealloc(t->pend, t->cap_pend * sizeof(pending));
    }
    t->pend[t->n_pend++] = (pending){k, t->kinds[k].len - 1, false};
}

/* par_for_diag: reads pending file i (any thread; its own diagnostics). */
static void read_one(void *ud, size_t i, diag_list *d)
{
    src_tree *t = ud;
    pending *p = &t->pend[i];
    src_file *f = &t->kinds[p->k].items[p->i];
    p->ok = read_file(f->abs_path, f->name, f, d);
}

/* Reads every file the walk found; one that cannot be read is reported
 * and left out. */
static void read_all(src_tree *t, diag_list *d)
{
    par_for_diag(0, t->n_pend, read_one, t, d);
    for (size_t i = 0; i < t->n_pend; i++) {
        pending *p = &t->pend[i];
        if (!p->ok) { /* marked for removal below */
            t->dropped[p->k]++;
            src_file *f = &t->kinds[p->k].items[p->i];
            free(f->path);
            free(f->abs_path);
            free(f->data);
            free(f->name);
            f->path = NULL;
        }
    }
    for (int k = 0; k < SRC_KIND_COUNT; k++) {
        file_list *l = &t->kinds[k];
        size_t kept = 0;
        for (size_t i = 0; i < l->len; i++)
            if (l->items[i].path)
                l->items[kept++] = l->items[i];
        l->len = kept;
    }
    free(t->pend);
    t->pend = NULL;
    t->n_pend = t->cap_pend = 0;
}

static void visit_content(src_tree *t, const char *rel, const char *abs)
{
    if (ends_with(rel, ".md") && t->lazy)
        add(&t->kinds[SRC_PAGE], (src_file){.path = xstrdup(rel), .abs_path = xstrdup(abs), .lazy = true});
    else if (ends_with(rel, ".md"))
        add_read(t, SRC_PAGE, rel, abs);
    else if (ends_with(rel, ".yaml") || ends_with(rel, ".yml"))
        add_read(t, SRC_DATA, rel, abs);
}

/* What a file under layouts/ is to the build, or SRC_KIND_COUNT when it is
 * nothing (a file the theme keeps for other uses, such as the starter site). */
static src_kind layout_kind(const char *rel)
{
    if (!strncmp(rel, SRC_THEME_PAGES, strlen(SRC_THEME_PAGES)))
        return ends_with(rel, ".md") ? SRC_PAGE : SRC_KIND_COUNT;
    if (!strncmp(rel, "layouts/static/", 15))
        return SRC_STATIC;
    if (!strncmp(rel, "layouts/hooks/", 14) && !strchr(rel + 14, '/') && ends_with(rel, ".lua"))
        return SRC_HOOK;
    if (!strncmp(rel, "layouts/lait/", 13) && !strchr(rel + 13, '/') &&
        (ends_with(rel, ".yaml") || ends_with(rel, ".yml")))
        return SRC_STATUTES;
    if (!strncmp(rel, "layouts/kielet/", 15) && !strchr(rel + 15, '/') && ends_with(rel, ".yaml"))
        return SRC_CATALOG;
    if (ends_with(rel, ".mustache"))
        return SRC_LAYOUT;
    return SRC_KIND_COUNT;
}

/* The page a theme page file is: "layouts/sivut/x/y.md" -> "content/x/y.md". */
static char *theme_page_path(const char *rel)
{
    return xasprintf("content/%s", rel + strlen(SRC_THEME_PAGES));
}

static bool has_path(const file_list *l, const char *path)
{
    for (size_t j = 0; j < l->len; j++)
        if (!strcmp(l->items[j].path, path))
            return true;
    return false;
}

static void visit_layout(src_tree *t, const char *rel, const char *abs)
{
    src_kind k = layout_kind(rel);
    if (k == SRC_PAGE) { /* the site's copy of a theme page; its own content/ page wins */
        char *path = theme_page_path(rel);
        if (has_path(&t->kinds[SRC_PAGE], path)) {
            free(path);
            return;
        }
        add(&t->kinds[SRC_PAGE], (src_file){.path = path, .abs_path = xstrdup(abs), .name = xstrdup(rel),
                                            .theme_page = true, .lazy = t->lazy});
        if (!t->lazy)
            pend(t, SRC_PAGE);
    } else if (k == SRC_STATIC)
        add(&t->kinds[SRC_STATIC], (src_file){.path = xstrdup(rel), .abs_path = xstrdup(abs)});
    else if (k != SRC_KIND_COUNT)
        add_read(t, k, rel, abs);
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const src_file *)a)->path, ((const src_file *)b)->path);
}

/* The built-in theme fills in every file of layouts/ the site has not got
 * itself: a site's layouts/<name> replaces the built-in file <name>, and a
 * theme page layouts/sivut/<p>.md is the page content/<p>.md unless the site
 * has that page (or its own copy under layouts/sivut/). The lists stay sorted
 * by path (the hooks run in that order). */
static void add_builtin(src_tree *t)
{
    /* The site's own files, sorted, are looked up by path (a large site has many pages). */
    size_t own[SRC_KIND_COUNT];
    for (int k = 0; k < SRC_KIND_COUNT; k++) {
        if (t->kinds[k].len)
            qsort(t->kinds[k].items, t->kinds[k].len, sizeof(src_file), cmp_file);
        own[k] = t->kinds[k].len;
    }
    for (size_t i = 0; i < theme_count(); i++) {
        const theme_file *b = theme_at(i);
        src_kind k = layout_kind(b->path);
        if (k == SRC_KIND_COUNT)
            continue;
        file_list *l = &t->kinds[k];
        bool page = k == SRC_PAGE;
        char *path = page ? theme_page_path(b->path) : xstrdup(b->path);
        src_file key = {.path = path};
        if (own[k] && bsearch(&key, l->items, own[k], sizeof(src_file), cmp_file))
            free(path);
        else
            add(l, (src_file){.path = path, .data = (char *)b->data, .len = b->len,
                              .name = xasprintf(THEME_MARK "%s", b->path), .builtin = true, .theme_page = page});
    }
    for (int k = 0; k < SRC_KIND_COUNT; k++)
        if (t->kinds[k].len)
            qsort(t->kinds[k].items, t->kinds[k].len, sizeof(src_file), cmp_file);
}

static void visit_diagram(src_tree *t, const char *rel, const char *abs)
{
    if (ends_with(rel, ".yaml") || ends_with(rel, ".yml"))
        add_read(t, SRC_DIAGRAM, rel, abs);
}

/* True when some file found under rel/ (read or not) is of kind k. */
static bool found_under(const src_tree *t, src_kind k, const char *rel)
{
    size_t n = strlen(rel);
    for (size_t i = 0; i < t->kinds[k].len; i++)
        if (!strncmp(t->kinds[k].items[i].path, rel, n))
            return true;
    return false;
}

/* A site that builds but publishes nothing, or describes parties and laws
 * with no cooperation model, is likely a mistake: say so, and say what
 * would be right. A plain Markdown site (no content/data/) is fine. */
static void warn_missing(const src_tree *t, diag_list *d)
{
    char *content = xasprintf("%s/content", t->root);
    struct stat st;
    if (stat(content, &st) != 0 || !S_ISDIR(st.st_mode))
        diag_warning(d, "content", 0, 0,
                     "the site has no content/ folder, so there is nothing to publish (write the pages "
                     "as content/*.md and the data as content/data/*.yaml)");
    else if (found_under(t, SRC_DATA, "content/data/") && !found_under(t, SRC_DATA, "content/data/mallit/"))
        diag_warning(d, "content/data/mallit", 0, 0,
                     "the data has no cooperation model yet, so there are no forums to show (add one "
                     "as a file such as content/data/mallit/nykyinen.yaml with 'malli:' and "
                     "'foorumit:')");
    free(content);
}

static src_tree *load(const char *root, bool lazy, diag_list *d)
{
    struct stat st;
    if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
        diag_error(d, root, 0, 0, "the source folder does not exist (give it with --src DIR)");
        return NULL;
    }
    src_tree *t = xcalloc(1, sizeof(src_tree));
    t->root = xstrdup(root);
    t->lazy = lazy;
    char *cfg = xasprintf("%s/site.yaml", root);
    t->config = (src_file){.path = xstrdup("site.yaml"), .abs_path = cfg, .name = xstrdup("site.yaml")};
    if (stat(cfg, &st) != 0) {
        diag_error(d, "site.yaml", 0, 0,
                   "site.yaml is missing: every site needs one at its root (title, language, base_url)");
        src_free(t);
        return NULL;
    }
    if (!read_file(cfg, "site.yaml", &t->config, d)) {
        src_free(t);
        return NULL;
    }
    walk(t, "content", visit_content, d);
    walk(t, "layouts", visit_layout, d);
    walk(t, "diagrams", visit_diagram, d);
    warn_missing(t, d); /* before read_all: a model file that cannot be read is reported as such */
    read_all(t, d);
    add_builtin(t); /* after the walk's reads: built-in files are never read */
    return t;
}

src_tree *src_load(const char *root, diag_list *d)
{
    return load(root, false, d);
}

src_tree *src_load_lazy(const char *root, diag_list *d)
{
    return load(root, true, d);
}

const char *src_text(const src_file *f, size_t *len, char **owned, diag_list *d)
{
    *owned = NULL;
    if (f->data || !f->lazy) {
        *len = f->len;
        return f->data;
    }
    diag_list *own_d = d ? NULL : diag_list_new();
    src_file tmp = {0};
    bool ok = read_file(f->abs_path, f->name, &tmp, d ? d : own_d);
    diag_list_free(own_d);
    if (!ok)
        return NULL;
    *len = tmp.len;
    *owned = tmp.data;
    return tmp.data;
}

static void free_file(src_file *f)
{
    free(f->path);
    free(f->abs_path);
    if (!f->builtin)
        free(f->data);
    free(f->name);
}

void src_free(src_tree *t)
{
    if (!t)
        return;
    free_file(&t->config);
    for (int k = 0; k < SRC_KIND_COUNT; k++) {
        for (size_t i = 0; i < t->kinds[k].len; i++)
            free_file(&t->kinds[k].items[i]);
        free(t->kinds[k].items);
    }
    free(t->root);
    free(t);
}

const src_file *src_config(const src_tree *t) { return &t->config; }

bool src_read(const char *root, const char *rel, buf_t *out)
{
    char *path = xasprintf("%s/%s", root, rel);
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f)
        return false;
    bool ok = buf_read_stream(out, f);
    fclose(f);
    return ok;
}

bool src_is_folder(const char *root, const char *rel)
{
    char *path = xasprintf("%s/%s", root, rel);
    struct stat st;
    bool dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    free(path);
    return dir;
}

size_t src_count(const src_tree *t, src_kind k) { return t ? t->kinds[k].len : 0; }

size_t src_dropped(const src_tree *t, src_kind k) { return t ? t->dropped[k] : 0; }

const src_file *src_at(const src_tree *t, src_kind k, size_t i)
{
    return t && i < t->kinds[k].len ? &t->kinds[k].items[i] : NULL;
}
