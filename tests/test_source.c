/* Tests of the source loader. */
#include "../generator/1-load/source.h"
#include "testutil.h"

START_TEST(test_source_lists_files_by_kind_in_name_order)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "site.yaml", "title: x\n");
    tu_write(dir, "content/b.md", "b");
    tu_write(dir, "content/a/index.md", "a");
    tu_write(dir, "content/data/foorumit.yaml", "[]");
    tu_write(dir, "content/.swp.md", "hidden");
    tu_write(dir, "content/kuva.txt", "ignored");
    tu_write(dir, "layouts/page.mustache", "{{x}}");
    tu_write(dir, "layouts/static/css/tyyli.css", "body{}");
    diag_list *d = diag_list_new();
    src_tree *t = src_load(dir, d);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(diag_count(d), 0);
    ck_assert_str_eq(src_config(t)->data, "title: x\n");
    ck_assert_uint_eq(src_count(t, SRC_PAGE), 2);
    ck_assert_str_eq(src_at(t, SRC_PAGE, 0)->path, "content/a/index.md");
    ck_assert_str_eq(src_at(t, SRC_PAGE, 1)->path, "content/b.md");
    ck_assert_str_eq(src_at(t, SRC_PAGE, 1)->data, "b");
    ck_assert_uint_eq(src_count(t, SRC_DATA), 1);
    ck_assert_uint_eq(src_count(t, SRC_LAYOUT), 1);
    ck_assert_uint_eq(src_count(t, SRC_STATIC), 1);
    ck_assert_str_eq(src_at(t, SRC_STATIC, 0)->path, "layouts/static/css/tyyli.css");
    ck_assert_ptr_null(src_at(t, SRC_STATIC, 0)->data);
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
    ck_assert_uint_eq(src_count(t, SRC_PAGE), 1);
    ck_assert_diag(d, 0,
                   "content/passwd.md: warning: symbolic link skipped (links are not followed; "
                   "copy the file instead)");
    src_free(t);
    diag_list_free(d);
    free(link);
    tu_rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("source");
    TCase *tc = tcase_create("source");
    tcase_add_test(tc, test_source_lists_files_by_kind_in_name_order);
    tcase_add_test(tc, test_source_does_not_follow_symlinks);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
