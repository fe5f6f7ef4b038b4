/* Tests of the source loader. */
#include "../generator/1-load/source.h"
#include "../generator/1-load/theme.h"
#include "testutil.h"

/* The built-in editors' guide: layouts/sivut/ohjeet/{index,kaaviot,laajennukset,tiedot}.md. */
#define GUIDE_PAGES 4

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
    /* The site's own files among the built-in theme's (which fill in the rest). */
    size_t own_layouts = 0, own_statics = 0;
    for (size_t i = 0; i < src_count(t, SRC_LAYOUT); i++)
        if (!src_at(t, SRC_LAYOUT, i)->builtin) {
            own_layouts++;
            ck_assert_str_eq(src_at(t, SRC_LAYOUT, i)->path, "layouts/page.mustache");
        }
    for (size_t i = 0; i < src_count(t, SRC_STATIC); i++)
        if (!src_at(t, SRC_STATIC, i)->builtin) {
            own_statics++;
            ck_assert_str_eq(src_at(t, SRC_STATIC, i)->path, "layouts/static/css/tyyli.css");
            ck_assert_ptr_null(src_at(t, SRC_STATIC, i)->data);
        }
    ck_assert_uint_eq(own_layouts, 1);
    ck_assert_uint_eq(own_statics, 1);
    src_free(t);
    diag_list_free(d);
    tu_rmdir(dir);
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
        ck_assert_str_eq(src_at(t, SRC_PAGE, i)->path, paths[i]);
    /* Built-in: the theme's text, named as the theme's file. */
    const src_file *guide = src_at(t, SRC_PAGE, 1);
    ck_assert(guide->builtin && guide->theme_page);
    ck_assert_ptr_null(guide->abs_path);
    ck_assert_str_eq(guide->name, "(built-in) layouts/sivut/ohjeet/index.md");
    ck_assert_str_eq(guide->data, (const char *)theme_find("layouts/sivut/ohjeet/index.md")->data);
    ck_assert_ptr_nonnull(strstr(guide->data, "mustache: true"));
    /* The site's copy under layouts/sivut/ replaces the built-in one. */
    const src_file *copy = src_at(t, SRC_PAGE, 2);
    ck_assert(!copy->builtin && copy->theme_page);
    ck_assert_str_eq(copy->name, "layouts/sivut/ohjeet/kaaviot.md");
    ck_assert_str_eq(copy->data, "kopio");
    /* The site's own page replaces the built-in one: an ordinary page. */
    const src_file *own = src_at(t, SRC_PAGE, 4);
    ck_assert(!own->builtin && !own->theme_page);
    ck_assert_str_eq(own->name, "content/ohjeet/tiedot.md");
    ck_assert_str_eq(own->data, "oma");
    src_free(t);
    /* Both the site's page and its copy: the page wins. */
    tu_write(dir, "layouts/sivut/ohjeet/tiedot.md", "kopio");
    t = src_load(dir, d);
    ck_assert_uint_eq(src_count(t, SRC_PAGE), 1 + GUIDE_PAGES);
    ck_assert_str_eq(src_at(t, SRC_PAGE, 4)->name, "content/ohjeet/tiedot.md");
    ck_assert_str_eq(src_at(t, SRC_PAGE, 4)->data, "oma");
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
    tcase_add_test(tc, test_source_warns_of_a_site_without_content_or_model);
    tcase_add_test(tc, test_source_merges_the_theme_pages);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
