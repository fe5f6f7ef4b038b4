/* Tests of the writer: confinement, staging, atomic swap. */
#include "../generator/write/output.h"
#include "testutil.h"

START_TEST(test_output_accepts_only_plain_relative_paths)
{
    ck_assert(out_path_ok("index.html"));
    ck_assert(out_path_ok("lait/611-2021/index.html"));
    ck_assert(out_path_ok(".kasikirja-output"));
    ck_assert(!out_path_ok(""));
    ck_assert(!out_path_ok("/etc/passwd"));
    ck_assert(!out_path_ok("../../etc/passwd"));
    ck_assert(!out_path_ok("a/../../b"));
    ck_assert(!out_path_ok("a/./b"));
    ck_assert(!out_path_ok("a//b"));
    ck_assert(!out_path_ok("a/"));
    ck_assert(!out_path_ok("a\\..\\b"));
    ck_assert(!out_path_ok("a\nb"));
}
END_TEST

START_TEST(test_output_commit_replaces_the_whole_folder)
{
    char *dir = tu_tmpdir();
    char *out = xasprintf("%s/public", dir);
    diag_list *d = diag_list_new();
    out_tree *o = out_begin(out, d);
    ck_assert_ptr_nonnull(o);
    ck_assert(out_write(o, "index.html", "eka", 3, d));
    ck_assert(out_write(o, "vanha/index.html", "x", 1, d));
    ck_assert(out_commit(o, d));
    char *s = tu_read(out, "index.html");
    ck_assert_str_eq(s, "eka");
    free(s);

    o = out_begin(out, d);
    ck_assert(out_write(o, "index.html", "toka", 4, d));
    ck_assert(out_commit(o, d));
    s = tu_read(out, "index.html");
    ck_assert_str_eq(s, "toka");
    free(s);
    ck_assert_ptr_null(tu_read(out, "vanha/index.html")); /* not merged: replaced */
    ck_assert_uint_eq(diag_count(d), 0);
    diag_list_free(d);
    free(out);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_output_abort_leaves_the_previous_site_and_no_staging)
{
    char *dir = tu_tmpdir();
    char *out = xasprintf("%s/public", dir);
    diag_list *d = diag_list_new();
    out_tree *o = out_begin(out, d);
    out_write(o, "index.html", "vanha", 5, d);
    out_commit(o, d);
    o = out_begin(out, d);
    out_write(o, "index.html", "uusi", 4, d);
    out_abort(o);
    char *s = tu_read(out, "index.html");
    ck_assert_str_eq(s, "vanha");
    free(s);
    int entries = 0;
    DIR *dd = opendir(dir);
    struct dirent *e;
    while ((e = readdir(dd)) != NULL)
        entries += e->d_name[0] != '.' || strlen(e->d_name) > 2;
    closedir(dd);
    ck_assert_int_eq(entries, 1); /* only public/ */
    diag_list_free(d);
    free(out);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_output_refuses_escaping_and_duplicate_paths)
{
    char *dir = tu_tmpdir();
    char *out = xasprintf("%s/public", dir);
    diag_list *d = diag_list_new();
    out_tree *o = out_begin(out, d);
    ck_assert(!out_write(o, "../evil.html", "x", 1, d));
    ck_assert(out_write(o, "a.html", "x", 1, d));
    ck_assert(!out_write(o, "a.html", "y", 1, d));
    ck_assert_diag(d, 0,
                   "kasikirja: error: refusing to write '../evil.html': not a plain path inside "
                   "the output folder");
    ck_assert_diag(d, 1, "kasikirja: error: two outputs would both be written to a.html");
    ck_assert_ptr_null(tu_read(dir, "evil.html"));
    out_abort(o);
    diag_list_free(d);
    free(out);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_output_refuses_a_folder_it_did_not_write)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "content/index.md", "tärkeä");
    char *out = xasprintf("%s/content", dir);
    diag_list *d = diag_list_new();
    ck_assert_ptr_null(out_begin(out, d));
    char *expect = xasprintf("kasikirja: error: the output folder '%s' has files that kasikirja did "
                             "not write (no .kasikirja-output in it); choose another --out or empty "
                             "it first",
                             out);
    ck_assert_diag(d, 0, expect);
    char *s = tu_read(dir, "content/index.md");
    ck_assert_str_eq(s, "tärkeä");
    free(s);
    free(expect);
    diag_list_free(d);
    free(out);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_output_removes_staging_left_by_a_killed_build)
{
    char *dir = tu_tmpdir();
    tu_write(dir, ".public.tmp-ABCDEF/index.html", "kesken");
    char *out = xasprintf("%s/public", dir);
    diag_list *d = diag_list_new();
    out_tree *o = out_begin(out, d);
    ck_assert_ptr_null(tu_read(dir, ".public.tmp-ABCDEF/index.html"));
    out_commit(o, d);
    diag_list_free(d);
    free(out);
    tu_rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("output");
    TCase *tc = tcase_create("output");
    tcase_add_test(tc, test_output_accepts_only_plain_relative_paths);
    tcase_add_test(tc, test_output_commit_replaces_the_whole_folder);
    tcase_add_test(tc, test_output_abort_leaves_the_previous_site_and_no_staging);
    tcase_add_test(tc, test_output_refuses_escaping_and_duplicate_paths);
    tcase_add_test(tc, test_output_refuses_a_folder_it_did_not_write);
    tcase_add_test(tc, test_output_removes_staging_left_by_a_killed_build);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
