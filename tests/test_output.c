/* Tests of the writer: confinement, staging, atomic swap. */
#include "../generator/5-write/output.h"
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

static ino_t inode(const char *dir, const char *rel)
{
    char *path = xasprintf("%s/%s", dir, rel);
    struct stat st;
    ino_t ino = stat(path, &st) == 0 ? st.st_ino : 0;
    free(path);
    return ino;
}

START_TEST(test_output_incremental_writes_only_changed_files_in_place)
{
    char *dir = tu_tmpdir();
    char *out = xasprintf("%s/public", dir);
    diag_list *d = diag_list_new();
    out_manifest *m = out_manifest_new();
    /* The first build with a manifest is a full one, and fills it. */
    out_tree *o = out_begin_incremental(out, m, d);
    ck_assert(!out_incremental(o));
    ck_assert(out_write(o, "index.html", "eka", 3, d));
    ck_assert(out_write(o, "a/index.html", "a", 1, d));
    ck_assert(out_write(o, "b/index.html", "b", 1, d));
    ck_assert(out_commit(o, d));
    ck_assert_uint_eq(out_manifest_count(m), 4); /* + the marker */
    ino_t same = inode(out, "index.html"), kept = inode(out, "a/index.html");

    /* The second: in place. Same bytes are not written; kept files stay; the rest go. */
    o = out_begin_incremental(out, m, d);
    ck_assert(out_incremental(o));
    ck_assert(out_write(o, "index.html", "eka", 3, d));
    ck_assert(out_keep(o, "a/index.html"));
    ck_assert(!out_keep(o, "ei/ole.html"));
    ck_assert(out_write(o, "c/d/index.html", "uusi", 4, d));
    ck_assert_uint_eq(out_written(o), 1);
    ck_assert(out_commit(o, d));
    ck_assert(inode(out, "index.html") == same);
    ck_assert(inode(out, "a/index.html") == kept);
    char *s = tu_read(out, "c/d/index.html");
    ck_assert_str_eq(s, "uusi");
    free(s);
    ck_assert_ptr_null(tu_read(out, "b/index.html"));
    ck_assert(inode(out, "b") == 0); /* its folder, now empty, went too */
    s = tu_read(out, OUT_MARKER);
    ck_assert_ptr_nonnull(s);
    free(s);

    /* Changed bytes replace the file; an aborted build changes nothing. */
    o = out_begin_incremental(out, m, d);
    ck_assert(out_write(o, "index.html", "toka", 4, d));
    out_abort(o);
    s = tu_read(out, "index.html");
    ck_assert_str_eq(s, "eka");
    free(s);
    o = out_begin_incremental(out, m, d);
    ck_assert(out_write(o, "index.html", "toka", 4, d));
    ck_assert(out_keep(o, "a/index.html"));
    ck_assert(out_keep(o, "c/d/index.html"));
    ck_assert(out_commit(o, d));
    s = tu_read(out, "index.html");
    ck_assert_str_eq(s, "toka");
    free(s);
    ck_assert(inode(out, "index.html") != same);

    /* A folder that is not the one described: a full build. */
    char *other = xasprintf("%s/muu", dir);
    o = out_begin_incremental(other, m, d);
    ck_assert(!out_incremental(o));
    ck_assert(!out_keep(o, "a/index.html"));
    out_abort(o);
    free(other);
    ck_assert_uint_eq(diag_count(d), 0);
    out_manifest_free(m);
    diag_list_free(d);
    free(out);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_output_patch_touches_only_what_it_writes)
{
    char *dir = tu_tmpdir();
    char *out = xasprintf("%s/public", dir);
    diag_list *d = diag_list_new();
    out_manifest *m = out_manifest_new();
    /* No manifest of this folder yet: no patch (the caller builds in full). */
    ck_assert_ptr_null(out_begin_patch(out, m, d));
    out_tree *o = out_begin_incremental(out, m, d);
    ck_assert(out_write(o, "a/index.html", "a", 1, d));
    ck_assert(out_write(o, "b/index.html", "b", 1, d));
    ck_assert(out_commit(o, d));
    ino_t b = inode(out, "b/index.html");
    o = out_begin_patch(out, m, d);
    ck_assert_ptr_nonnull(o);
    ck_assert(out_write(o, "a/index.html", "A", 1, d));
    ck_assert(out_write(o, "c/index.html", "c", 1, d));
    ck_assert(out_commit(o, d));
    char *s = tu_read(out, "a/index.html");
    ck_assert_str_eq(s, "A");
    free(s);
    ck_assert(inode(out, "b/index.html") == b); /* not written, not removed */
    ck_assert_uint_eq(out_manifest_count(m), 4); /* a, b, c, the marker */
    /* The manifest knows a's new bytes: writing them again writes nothing. */
    o = out_begin_patch(out, m, d);
    ck_assert(out_write(o, "a/index.html", "A", 1, d));
    ck_assert_uint_eq(out_written(o), 0);
    ck_assert(out_commit(o, d));
    ck_assert_uint_eq(diag_count(d), 0);
    out_manifest_free(m);
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
    tcase_add_test(tc, test_output_incremental_writes_only_changed_files_in_place);
    tcase_add_test(tc, test_output_patch_touches_only_what_it_writes);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
