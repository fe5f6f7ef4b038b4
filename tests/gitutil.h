/* gitutil: temporary git repositories for tests, made with libgit2 (tests only). */
#ifndef KK_GITUTIL_H
#define KK_GITUTIL_H

#include <git2.h>
#include <stdint.h>
#include <sys/time.h>

#include "testutil.h"

/* Makes dir a fresh git repository (no commits). */
static inline void gu_init(const char *dir)
{
    git_libgit2_init();
    git_repository *repo = NULL;
    ck_assert_int_eq(git_repository_init(&repo, dir, 0), 0);
    git_repository_free(repo);
    git_libgit2_shutdown();
}

/* Stages the given paths (relative to dir, the work tree's top; NULL-ended)
 * and commits them on HEAD as author and committer "Testi" at unix time t. */
static inline void gu_commit(const char *dir, const char *const *paths, int64_t t, const char *msg)
{
    git_libgit2_init();
    git_repository *repo = NULL;
    git_index *ix = NULL;
    git_oid tree_id, commit_id, parent_id;
    git_tree *tree = NULL;
    git_commit *parent = NULL;
    git_signature *sig = NULL;
    ck_assert_int_eq(git_repository_open(&repo, dir), 0);
    ck_assert_int_eq(git_repository_index(&ix, repo), 0);
    for (size_t i = 0; paths[i]; i++)
        ck_assert_int_eq(git_index_add_bypath(ix, paths[i]), 0);
    ck_assert_int_eq(git_index_write(ix), 0);
    ck_assert_int_eq(git_index_write_tree(&tree_id, ix), 0);
    ck_assert_int_eq(git_tree_lookup(&tree, repo, &tree_id), 0);
    ck_assert_int_eq(git_signature_new(&sig, "Testi", "testi@example.fi", (git_time_t)t, 0), 0);
    bool has_parent = git_reference_name_to_id(&parent_id, repo, "HEAD") == 0;
    if (has_parent)
        ck_assert_int_eq(git_commit_lookup(&parent, repo, &parent_id), 0);
    const git_commit *parents[1] = {parent};
    ck_assert_int_eq(git_commit_create(&commit_id, repo, "HEAD", sig, sig, NULL, msg, tree, has_parent ? 1 : 0,
                                       parents),
                     0);
    git_commit_free(parent);
    git_signature_free(sig);
    git_tree_free(tree);
    git_index_free(ix);
    git_repository_free(repo);
    git_libgit2_shutdown();
}

/* Sets a file's modification (and access) time to unix time t. */
static inline void gu_touch(const char *dir, const char *rel, int64_t t)
{
    char *path = xasprintf("%s/%s", dir, rel);
    struct timeval tv[2] = {{.tv_sec = (time_t)t}, {.tv_sec = (time_t)t}};
    ck_assert_int_eq(utimes(path, tv), 0);
    free(path);
}

#endif
