/* Tests of the source loader. */
#include "../generator/1-load/source.h"
#include "../generator/1-load/theme.h"
#include "testutil.h"

/* The files of kind k that came from the site itself, not the built-in theme. */
static size_t own_count(const src_tree *t, src_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < src_count(t, k); i++)
        n += !src_at(t, k, i)->builtin;
    return n;
}

/* The file of kind k at path, or NULL. */
static const src_file *find(const src_tree *t, src_kind k, const char *path)
{
    for (size_t i = 0; i < src_count(t, k); i++)
        if (!strcmp(src_at(t, k, i)->path, path))
            return src_at(t, k, i);
    return NULL;
}

/* The built-in pages (the editors' guide): the theme's .md files under layouts/sivut/. */
static size_t builtin_pages(void)
{
    size_t n = 0;
    for (size_t i = 0; i < theme_count(); i++) {
        const char *p = theme_at(i)->path;
        n += !strncmp(p, "layouts/sivut/", 14) && strlen(p) > 3 && !strcmp(p + strlen(p) - 3, ".md");
    }
    return n;
}
#define GUIDE_PAGES builtin_pages()

START_TEST(test_source_lists_files_by_kind_in_name_order)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "site.yaml", "title: x\n");
    tu_write(dir, "content/b.md", "b");
    tu_write(dir, "content/a/index.md", "a");
    tu_write(dir, "content/data/mallit/m.yaml", "[]");
    tu_write(dir, "content/.swp.md", "hidden");
    tu_write(dir, "content/kuva.txt", "ignored");
    tu_write(dir, "layouts/page.mustache", "{{x}}");
    tu_write(dir, "layouts/static/css/tyyli.css", "body{}");
    diag_list *d = diag_list_new();
    src_tree *t = src_load(dir, d);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(diag_count(d), 0);
    ck_assert_str_eq(src_config(t)->data, "title: x\n");
    ck_assert_uint_eq(src_count(t, SRC_PAGE), 2 + GUIDE_PAGES);
    ck_assert_str_eq(src_at(t, SRC_PAGE, 0)->path, "content/a/index.md");
    ck_assert_str_eq(src_at(t, SRC_PAGE, 1)->path, "content/b.md");
    ck_assert_str_eq(src_at(t, SRC_PAGE, 1)->data, "b");
    ck_assert(!src_at(t, SRC_PAGE, 1)->builtin);
    ck_assert_uint_eq(src_count(t, SRC_DATA), 1);
    ck_assert_uint_eq(own_count(t, SRC_LAYOUT), 1);
    ck_assert_uint_eq(own_count(t, SRC_STATIC), 1);
    ck_assert_ptr_null(find(t, SRC_STATIC, "layouts/static/css/tyyli.css")->data);
    src_free(t);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

/* The national statutes are a kind of their own: built in, and a site's
 * file of the same name replaces the built-in one (named by its own path). */
START_TEST(test_source_statutes_are_built_in_and_replaced_by_name)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "site.yaml", "title: x\n");
    tu_write(dir, "content/index.md", "a");
    diag_list *d = diag_list_new();
    src_tree *t = src_load(dir, d);
    ck_assert_uint_eq(src_count(t, SRC_STATUTES), 1);
    const src_file *f = src_at(t, SRC_STATUTES, 0);
    ck_assert_str_eq(f->path, "layouts/lait/kansalliset.yaml");
    ck_assert_str_eq(f->name, "(built-in) layouts/lait/kansalliset.yaml");
    ck_assert(f->builtin);
    ck_assert_ptr_nonnull(strstr(f->data, "numero: 612/2021"));
    src_free(t);
    tu_write(dir, "layouts/lait/kansalliset.yaml", "lait: []\n");
    tu_write(dir, "layouts/lait/omat.yaml", "lait: []\n");
    tu_write(dir, "layouts/lait/alikansio/x.yaml", "lait: []\n");
    t = src_load(dir, d);
    ck_assert_uint_eq(src_count(t, SRC_STATUTES), 2);
    f = src_at(t, SRC_STATUTES, 0);
    ck_assert_str_eq(f->path, "layouts/lait/kansalliset.yaml");
    ck_assert_str_eq(f->name, "layouts/lait/kansalliset.yaml");
    ck_assert(!f->builtin);
    ck_assert_str_eq(f->data, "lait: []\n");
    ck_assert_str_eq(src_at(t, SRC_STATUTES, 1)->path, "layouts/lait/omat.yaml");
    ck_assert_uint_eq(diag_count(d), 0);
    src_free(t);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

/* The built-in theme fills in what the site lacks, file by file; the site's
 * own file of a name wins; built-in files are named as such and the lists
 * stay in path order (hooks run in that order). */
START_TEST(test_source_fills_in_the_built_in_theme_file_by_file)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "site.yaml", "title: x\n");
    tu_write(dir, "content/index.md", "a");
    tu_write(dir, "layouts/base.mustache", "oma {{x}}");
    tu_write(dir, "layouts/hooks/15-oma.lua", "-- oma");
    diag_list *d = diag_list_new();
    src_tree *t = src_load(dir, d);
    ck_assert_uint_eq(diag_count(d), 0);
    const src_file *base = find(t, SRC_LAYOUT, "layouts/base.mustache");
    ck_assert(!base->builtin);
    ck_assert_str_eq(base->data, "oma {{x}}");
    ck_assert_str_eq(base->name, "layouts/base.mustache");
    const src_file *page = find(t, SRC_LAYOUT, "layouts/page.mustache");
    ck_assert_ptr_nonnull(page);
    ck_assert(page->builtin);
    ck_assert_ptr_null(page->abs_path);
    ck_assert_str_eq(page->name, "(built-in) layouts/page.mustache");
    const theme_file *tf = theme_find("layouts/page.mustache");
    ck_assert_ptr_nonnull(tf);
    ck_assert_uint_eq(page->len, tf->len);
    ck_assert_mem_eq(page->data, tf->data, tf->len);
    /* The shipped font and the CSS come as static files with their bytes. */
    const src_file *css = find(t, SRC_STATIC, "layouts/static/tyyli.css");
    ck_assert(css && css->builtin && css->len > 1000);
    ck_assert_ptr_nonnull(find(t, SRC_STATIC, "layouts/static/fontit/kasikirja-sans.ttf"));
    /* Hooks in name order: the built-in 10-, the site's 15-, the built-in 20-. */
    ck_assert_uint_eq(src_count(t, SRC_HOOK), 3);
    ck_assert_str_eq(src_at(t, SRC_HOOK, 0)->path, "layouts/hooks/10-kunnat.lua");
    ck_assert_str_eq(src_at(t, SRC_HOOK, 1)->path, "layouts/hooks/15-oma.lua");
    ck_assert_str_eq(src_at(t, SRC_HOOK, 2)->path, "layouts/hooks/20-vienti.lua");
    for (int k = 0; k < SRC_KIND_COUNT; k++)
        for (size_t i = 1; i < src_count(t, (src_kind)k); i++)
            ck_assert_int_lt(strcmp(src_at(t, (src_kind)k, i - 1)->path, src_at(t, (src_kind)k, i)->path), 0);
    /* Nothing but the theme proper: the starter site of init is no layout. */
    for (size_t i = 0; i < src_count(t, SRC_LAYOUT); i++)
        ck_assert(strncmp(src_at(t, SRC_LAYOUT, i)->path, THEME_STARTER, strlen(THEME_STARTER)));
    src_free(t);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

/* The embedded table is sorted (theme_find's binary search needs it) and
 * every file ends in a NUL the length leaves out. */
START_TEST(test_source_theme_table_is_sorted_and_terminated)
{
    ck_assert_uint_gt(theme_count(), 20);
    for (size_t i = 0; i < theme_count(); i++) {
        const theme_file *f = theme_at(i);
        ck_assert_int_eq(f->data[f->len], 0);
        ck_assert_ptr_eq(theme_find(f->path), f);
        if (i)
            ck_assert_int_lt(strcmp(theme_at(i - 1)->path, f->path), 0);
    }
    ck_assert_ptr_null(theme_find("layouts/olematon.mustache"));
}
END_TEST

START_TEST(test_source_does_not_follow_symlinks)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "site.yaml", "title: x\n");
    tu_write(dir, "content/index.md", "a");
    char *link = xasprintf("%s/content/passwd.md", dir);
    ck_assert_int_eq(symlink("/etc/passwd", link), 0);
    diag_list *d = diag_list_new();
    src_tree *t = src_load(dir, d);
    ck_assert_uint_eq(src_count(t, SRC_PAGE), 1 + GUIDE_PAGES);
    ck_assert_diag(d, 0,
                   "content/passwd.md: warning: symbolic link skipped (links are not followed; "
                   "copy the file instead)");
    src_free(t);
    diag_list_free(d);
    free(link);
    tu_rmdir(dir);
}
END_TEST

/* The theme's pages are the site's pages at the same path under content/
 * unless the site has that page (or its own copy under layouts/sivut/). */
START_TEST(test_source_merges_the_theme_pages)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "site.yaml", "title: x\n");
    tu_write(dir, "content/index.md", "a");
    tu_write(dir, "content/ohjeet/tiedot.md", "oma");
    tu_write(dir, "layouts/sivut/ohjeet/kaaviot.md", "kopio");
    diag_list *d = diag_list_new();
    src_tree *t = src_load(dir, d);
    ck_assert_uint_eq(diag_count(d), 0);
    ck_assert_uint_eq(src_count(t, SRC_PAGE), 1 + GUIDE_PAGES);
    const char *paths[] = {"content/index.md", "content/ohjeet/index.md", "content/ohjeet/kaaviot.md",
                           "content/ohjeet/laajennukset.md", "content/ohjeet/tiedot.md"};
    for (size_t i = 0; i < 5; i++)
        ck_assert_ptr_nonnull(find(t, SRC_PAGE, paths[i]));
    for (size_t i = 1; i < src_count(t, SRC_PAGE); i++) /* in path order */
        ck_assert_int_lt(strcmp(src_at(t, SRC_PAGE, i - 1)->path, src_at(t, SRC_PAGE, i)->path), 0);
    /* Built-in: the theme's text, named as the theme's file. */
    const src_file *guide = find(t, SRC_PAGE, "content/ohjeet/index.md");
    ck_assert(guide->builtin && guide->theme_page);
    ck_assert_ptr_null(guide->abs_path);
    ck_assert_str_eq(guide->name, "(built-in) layouts/sivut/ohjeet/index.md");
    ck_assert_str_eq(guide->data, (const char *)theme_find("layouts/sivut/ohjeet/index.md")->data);
    ck_assert_ptr_nonnull(strstr(guide->data, "mustache: true"));
    /* The site's copy under layouts/sivut/ replaces the built-in one. */
    const src_file *copy = find(t, SRC_PAGE, "content/ohjeet/kaaviot.md");
    ck_assert(!copy->builtin && copy->theme_page);
    ck_assert_str_eq(copy->name, "layouts/sivut/ohjeet/kaaviot.md");
    ck_assert_str_eq(copy->data, "kopio");
    /* The site's own page replaces the built-in one: an ordinary page. */
    const src_file *own = find(t, SRC_PAGE, "content/ohjeet/tiedot.md");
    ck_assert(!own->builtin && !own->theme_page);
    ck_assert_str_eq(own->name, "content/ohjeet/tiedot.md");
    ck_assert_str_eq(own->data, "oma");
    src_free(t);
    /* Both the site's page and its copy: the page wins. */
    tu_write(dir, "layouts/sivut/ohjeet/tiedot.md", "kopio");
    t = src_load(dir, d);
    ck_assert_uint_eq(src_count(t, SRC_PAGE), 1 + GUIDE_PAGES);
    ck_assert_str_eq(find(t, SRC_PAGE, "content/ohjeet/tiedot.md")->name, "content/ohjeet/tiedot.md");
    ck_assert_str_eq(find(t, SRC_PAGE, "content/ohjeet/tiedot.md")->data, "oma");
    src_free(t);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

#define NO_CONTENT                                                                                \
    "content: warning: the site has no content/ folder, so there is nothing to publish (write the " \
    "pages as content/*.md and the data as content/data/*.yaml)"
#define NO_MODEL                                                                                  \
    "content/data/mallit: warning: the data has no cooperation model yet, so there are no forums " \
    "to show (add one as a file such as content/data/mallit/nykyinen.yaml with 'malli:' and "      \
    "'foorumit:')"

/* The warnings of dir's site, one per line ("" when none). */
static char *warnings_of(const char *dir)
{
    diag_list *d = diag_list_new();
    src_tree *t = src_load(dir, d);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(diag_errors(d), 0);
    buf_t all = BUF_INIT;
    for (size_t i = 0; i < diag_count(d); i++) {
        char *s = tu_diag(d, i);
        buf_printf(&all, "%s\n", s);
        free(s);
    }
    src_free(t);
    diag_list_free(d);
    return all.ptr ? all.ptr : xstrdup("");
}

/* A site with nothing to publish, or with data but no cooperation model, is
 * warned about; a plain Markdown site (no content/data/) is not. */
START_TEST(test_source_warns_of_a_site_without_content_or_model)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "site.yaml", "title: x\n");
    char *w = warnings_of(dir);
    ck_assert_str_eq(w, NO_CONTENT "\n");
    free(w);
    tu_write(dir, "content/index.md", "# Etusivu\n");
    w = warnings_of(dir);
    ck_assert_str_eq(w, "");
    free(w);
    tu_write(dir, "content/data/toimijat.yaml", "toimijat: []\n");
    w = warnings_of(dir);
    ck_assert_str_eq(w, NO_MODEL "\n");
    free(w);
    tu_write(dir, "content/data/mallit/m.yaml", "malli: {}\n");
    w = warnings_of(dir);
    ck_assert_str_eq(w, "");
    free(w);
    tu_rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("source");
    TCase *tc = tcase_create("source");
    tcase_add_test(tc, test_source_lists_files_by_kind_in_name_order);
    tcase_add_test(tc, test_source_does_not_follow_symlinks);
    tcase_add_test(tc, test_source_fills_in_the_built_in_theme_file_by_file);
    tcase_add_test(tc, test_source_theme_table_is_sorted_and_terminated);
    tcase_add_test(tc, test_source_statutes_are_built_in_and_replaced_by_name);
    tcase_add_test(tc, test_source_warns_of_a_site_without_content_or_model);
    tcase_add_test(tc, test_source_merges_the_theme_pages);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
