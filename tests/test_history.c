/* Tests of the history module: dates from a git repository made here with libgit2, and the fallbacks. */
#include "../generator/1-load/history.h"
#include "gitutil.h"

#define T_2024_01_10 INT64_C(1704888000) /* 2024-01-10 12:00 UTC */
#define T_2025_03_05 INT64_C(1741176000) /* 2025-03-05 12:00 UTC */
#define T_2023_06_15 INT64_C(1686830400) /* 2023-06-15 12:00 UTC: set as an mtime */

static const char *const paths[] = {"content/a.md", "content/b.md", "content/data/x.yaml", "content/uusi.md"};
#define N_PATHS (sizeof paths / sizeof paths[0])

/* A repository with a.md and x.yaml committed on 2024-01-10, b.md on
 * 2025-03-05 (and a.md left alone by that commit), every file's mtime set
 * to 2023-06-15 so that a date from a file is told from one from git. */
static char *two_commits(void)
{
    char *dir = tu_tmpdir();
    gu_init(dir);
    tu_write(dir, "content/a.md", "a");
    tu_write(dir, "content/data/x.yaml", "x: 1\n");
    gu_commit(dir, (const char *const[]){"content/a.md", "content/data/x.yaml", NULL}, T_2024_01_10, "eka");
    tu_write(dir, "content/b.md", "b");
    gu_commit(dir, (const char *const[]){"content/b.md", NULL}, T_2025_03_05, "toka");
    gu_touch(dir, "content/a.md", T_2023_06_15);
    gu_touch(dir, "content/b.md", T_2023_06_15);
    gu_touch(dir, "content/data/x.yaml", T_2023_06_15);
    return dir;
}

START_TEST(test_history_dates_committed_files_by_their_newest_commit)
{
    char *dir = two_commits();
    diag_list *d = diag_list_new();
    hist *h = hist_load(dir, paths, N_PATHS - 1, 0, d);
    ck_assert_uint_eq(diag_count(d), 0);
    ck_assert_int_eq(hist_time(h, "content/a.md"), T_2024_01_10);
    ck_assert_int_eq(hist_time(h, "content/data/x.yaml"), T_2024_01_10);
    ck_assert_int_eq(hist_time(h, "content/b.md"), T_2025_03_05);
    ck_assert_uint_eq(hist_from_git(h), 3);
    ck_assert_int_eq(hist_time(h, "content/ei-kysytty.md"), 0);
    hist_free(h);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_history_finds_the_repository_above_the_site)
{
    char *dir = tu_tmpdir();
    gu_init(dir);
    tu_write(dir, "sivusto/content/a.md", "a");
    tu_write(dir, "muu.txt", "m");
    gu_commit(dir, (const char *const[]){"sivusto/content/a.md", "muu.txt", NULL}, T_2024_01_10, "eka");
    tu_write(dir, "muu.txt", "muutettu");
    char *site = xasprintf("%s/sivusto", dir);
    diag_list *d = diag_list_new();
    hist *h = hist_load(site, paths, 1, 0, d);
    ck_assert_uint_eq(diag_count(d), 0);
    ck_assert_int_eq(hist_time(h, "content/a.md"), T_2024_01_10);
    hist_free(h);
    diag_list_free(d);
    free(site);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_history_takes_the_mtime_of_changed_and_untracked_files)
{
    char *dir = two_commits();
    tu_write(dir, "content/a.md", "a, muutettu mutta ei tallennettu gitiin");
    gu_touch(dir, "content/a.md", T_2023_06_15);
    tu_write(dir, "content/uusi.md", "uusi");
    gu_touch(dir, "content/uusi.md", T_2023_06_15 + 60);
    diag_list *d = diag_list_new();
    hist *h = hist_load(dir, paths, N_PATHS, 0, d);
    ck_assert_uint_eq(diag_count(d), 0);
    ck_assert_int_eq(hist_time(h, "content/a.md"), T_2023_06_15);
    ck_assert_int_eq(hist_time(h, "content/uusi.md"), T_2023_06_15 + 60);
    ck_assert_int_eq(hist_time(h, "content/b.md"), T_2025_03_05);
    ck_assert_uint_eq(hist_from_git(h), 2);
    hist_free(h);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_history_clamps_every_date_to_source_date_epoch)
{
    char *dir = two_commits();
    diag_list *d = diag_list_new();
    hist *h = hist_load(dir, paths, N_PATHS - 1, T_2024_01_10 + 1, d);
    ck_assert_int_eq(hist_time(h, "content/a.md"), T_2024_01_10);
    ck_assert_int_eq(hist_time(h, "content/b.md"), T_2024_01_10 + 1);
    hist_free(h);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_history_outside_a_repository_uses_mtimes_silently)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "content/a.md", "a");
    gu_touch(dir, "content/a.md", T_2023_06_15);
    diag_list *d = diag_list_new();
    hist *h = hist_load(dir, paths, 2, 0, d);
    ck_assert_uint_eq(diag_count(d), 0);
    ck_assert_int_eq(hist_time(h, "content/a.md"), T_2023_06_15);
    ck_assert_int_eq(hist_time(h, "content/b.md"), 0); /* no such file */
    ck_assert_uint_eq(hist_from_git(h), 0);
    hist_free(h);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_history_warns_about_a_repository_without_commits)
{
    char *dir = tu_tmpdir();
    gu_init(dir);
    tu_write(dir, "content/a.md", "a");
    gu_touch(dir, "content/a.md", T_2023_06_15);
    diag_list *d = diag_list_new();
    hist *h = hist_load(dir, paths, 1, 0, d);
    ck_assert_uint_eq(diag_count(d), 1);
    ck_assert_diag(d, 0,
                   ".git: warning: the git repository has no commits yet: page dates come from the files' "
                   "modification times");
    ck_assert_int_eq(hist_time(h, "content/a.md"), T_2023_06_15);
    hist_free(h);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_history_warns_about_a_corrupt_repository_and_uses_mtimes)
{
    char *dir = two_commits();
    tu_write(dir, ".git/HEAD", "roskaa\n");
    diag_list *d = diag_list_new();
    hist *h = hist_load(dir, paths, N_PATHS - 1, 0, d);
    ck_assert_uint_eq(diag_count(d), 1);
    ck_assert_diag(d, 0,
                   ".git: warning: cannot read the git history (corrupted loose reference file: HEAD): page "
                   "dates come from the files' modification times");
    ck_assert_int_eq(hist_time(h, "content/a.md"), T_2023_06_15);
    ck_assert_int_eq(hist_time(h, "content/b.md"), T_2023_06_15);
    ck_assert_uint_eq(hist_from_git(h), 0);
    hist_free(h);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_history_warns_about_a_missing_object_and_uses_mtimes)
{
    char *dir = two_commits();
    tu_write(dir, ".git/refs/heads/master", "0123456789012345678901234567890123456789\n");
    tu_write(dir, ".git/refs/heads/main", "0123456789012345678901234567890123456789\n");
    diag_list *d = diag_list_new();
    hist *h = hist_load(dir, paths, N_PATHS - 1, 0, d);
    ck_assert_uint_eq(diag_count(d), 1);
    ck_assert_diag(d, 0,
                   ".git: warning: cannot read the git history (an object it refers to is missing): page dates "
                   "come from the files' modification times");
    ck_assert_int_eq(hist_time(h, "content/b.md"), T_2023_06_15);
    hist_free(h);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_history_in_a_shallow_clone_dates_nothing_past_its_cut_off)
{
    char *dir = two_commits();
    /* Cut the history at the newest commit, as `git clone --depth 1` does:
     * .git/shallow names it and its parent commit is not there. Whether it
     * changed b.md cannot be told without the parent. */
    git_libgit2_init();
    git_repository *repo = NULL;
    git_commit *head = NULL;
    git_oid head_id;
    ck_assert_int_eq(git_repository_open(&repo, dir), 0);
    ck_assert_int_eq(git_reference_name_to_id(&head_id, repo, "HEAD"), 0);
    ck_assert_int_eq(git_commit_lookup(&head, repo, &head_id), 0);
    char hex[GIT_OID_HEXSZ + 1] = "", parent[GIT_OID_HEXSZ + 1] = "";
    git_oid_tostr(hex, sizeof hex, &head_id);
    git_oid_tostr(parent, sizeof parent, git_commit_parent_id(head, 0));
    git_commit_free(head);
    git_repository_free(repo);
    git_libgit2_shutdown();
    char *line = xasprintf("%s\n", hex);
    tu_write(dir, ".git/shallow", line);
    free(line);
    char *object = xasprintf("%s/.git/objects/%.2s/%s", dir, parent, parent + 2);
    ck_assert_int_eq(unlink(object), 0);
    free(object);
    diag_list *d = diag_list_new();
    hist *h = hist_load(dir, paths, N_PATHS - 1, 0, d);
    ck_assert_uint_eq(diag_count(d), 0);
    ck_assert_int_eq(hist_time(h, "content/a.md"), T_2023_06_15);
    ck_assert_int_eq(hist_time(h, "content/b.md"), T_2023_06_15);
    ck_assert_uint_eq(hist_from_git(h), 0);
    hist_free(h);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("history");
    TCase *tc = tcase_create("history");
    tcase_add_test(tc, test_history_dates_committed_files_by_their_newest_commit);
    tcase_add_test(tc, test_history_finds_the_repository_above_the_site);
    tcase_add_test(tc, test_history_takes_the_mtime_of_changed_and_untracked_files);
    tcase_add_test(tc, test_history_clamps_every_date_to_source_date_epoch);
    tcase_add_test(tc, test_history_outside_a_repository_uses_mtimes_silently);
    tcase_add_test(tc, test_history_in_a_shallow_clone_dates_nothing_past_its_cut_off);
    tcase_add_test(tc, test_history_warns_about_a_repository_without_commits);
    tcase_add_test(tc, test_history_warns_about_a_corrupt_repository_and_uses_mtimes);
    tcase_add_test(tc, test_history_warns_about_a_missing_object_and_uses_mtimes);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
