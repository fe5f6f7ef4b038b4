/* history: last-change times of source files from one git history walk (libgit2), or mtimes. */
#include "history.h"

#include <git2.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../0-base/strmap.h"
#include "../0-base/xmem.h"

typedef struct {
    char *path;   /* relative to the site root */
    int64_t time; /* 0 until known */
    bool git;     /* time is a commit's */
} hist_entry;

struct hist {
    hist_entry *all;
    size_t n;
    strmap *by_path; /* site path -> hist_entry* */
    size_t from_git;
};

/* What the walk works with: the repository, the site's place in it, and the
 * entries still without a date, by their path in the repository. */
typedef struct {
    git_repository *repo;
    char *prefix;     /* the site root inside the work tree: "" or "a/b/" */
    strmap *wanted;   /* repository path -> hist_entry* */
    strmap *dirty;    /* repository paths changed or untracked in the work tree */
    size_t remaining; /* wanted entries not dated yet */
    char *err;        /* the first failure's message (libgit2 clears its own on later calls) */
    char **tops;      /* the folders (or files) at the site root that hold the wanted paths, */
    size_t n_tops;    /*   with the prefix: diffs look only there */
} walk_ctx;

static const char *git_msg(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown error";
}

/* libgit2's message, or for the one failure it leaves without one (a
 * reference to a missing object), ours. */
static char *fail_msg(int rc)
{
    const git_error *e = git_error_last();
    if (e && e->message)
        return xstrdup(e->message);
    return rc == GIT_ENOTFOUND ? xstrdup("an object it refers to is missing") : xasprintf("libgit2 error %d", rc);
}

/* Keeps the message of a failure (rc < 0) the first time; returns rc. */
static int failed(walk_ctx *w, int rc)
{
    if (rc < 0 && !w->err)
        w->err = fail_msg(rc);
    return rc;
}

/* The repository's folder for a warning: relative to the site root when it
 * is inside it (".git"), else as libgit2 names it, without the final '/'. */
static char *repo_name(git_repository *repo, const char *root)
{
    const char *gd = git_repository_path(repo);
    char *real_root = realpath(root, NULL);
    size_t n = real_root ? strlen(real_root) : 0;
    const char *name = real_root && !strncmp(gd, real_root, n) && gd[n] == '/' ? gd + n + 1 : gd;
    size_t len = strlen(name);
    char *out = xstrndup(name, len && name[len - 1] == '/' ? len - 1 : len);
    free(real_root);
    return out;
}

/* Marks every path that git status reports (modified, staged, untracked,
 * deleted…) so that its time comes from the file instead. */
static int collect_dirty(walk_ctx *w)
{
    git_status_options so;
    git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
    so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
    so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
    /* The site's folder only (a pathspec per top folder makes libgit2 slower). */
    char *spec = w->prefix[0] ? xstrndup(w->prefix, strlen(w->prefix) - 1) : NULL;
    if (spec) {
        so.pathspec.strings = &spec;
        so.pathspec.count = 1;
    }
    git_status_list *list = NULL;
    int rc = failed(w, git_status_list_new(&list, w->repo, &so));
    for (size_t i = 0; rc == 0 && i < git_status_list_entrycount(list); i++) {
        const git_status_entry *e = git_status_byindex(list, i);
        const git_diff_delta *dd = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
        if (e->status != GIT_STATUS_CURRENT && dd && dd->new_file.path)
            strmap_add(w->dirty, dd->new_file.path, NULL);
    }
    git_status_list_free(list);
    free(spec);
    return rc;
}

/* Dates the wanted paths that commit c changed against its first parent
 * (a root commit: against nothing; a shallow clone's cut-off commit, whose
 * parent was not fetched: not at all). */
static int date_commit(walk_ctx *w, git_commit *c, bool shallow)
{
    git_tree *tree = NULL, *ptree = NULL;
    git_commit *parent = NULL;
    git_diff *diff = NULL;
    if (git_commit_parentcount(c) == 0 && shallow)
        return 0;
    int rc = git_commit_tree(&tree, c);
    if (rc == 0 && git_commit_parentcount(c) > 0) {
        rc = git_commit_parent(&parent, c, 0);
        if (rc == GIT_ENOTFOUND && shallow) {
            git_tree_free(tree); /* the clone's cut-off: its parent was never fetched */
            return 0;
        }
        if (rc == 0)
            rc = git_commit_tree(&ptree, parent);
    }
    git_diff_options o;
    git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
    o.flags = GIT_DIFF_SKIP_BINARY_CHECK;
    o.pathspec.strings = w->tops;
    o.pathspec.count = w->n_tops;
    if (rc == 0)
        rc = git_diff_tree_to_tree(&diff, w->repo, ptree, tree, &o);
    failed(w, rc);
    int64_t t = (int64_t)git_commit_time(c);
    for (size_t i = 0; rc == 0 && i < git_diff_num_deltas(diff); i++) {
        const git_diff_delta *dd = git_diff_get_delta(diff, i);
        hist_entry *e = strmap_get(w->wanted, dd->new_file.path);
        if (e && !e->git) {
            e->time = t;
            e->git = true;
            w->remaining--;
        }
    }
    git_diff_free(diff);
    git_tree_free(ptree);
    git_tree_free(tree);
    git_commit_free(parent);
    return rc;
}

/* Adds the first segment of site path to the walk's pathspec, once. */
static void add_top(walk_ctx *w, const char *path)
{
    char *top = xasprintf("%s%.*s", w->prefix, (int)strcspn(path, "/"), path);
    for (size_t i = 0; i < w->n_tops; i++) {
        if (!strcmp(w->tops[i], top)) {
            free(top);
            return;
        }
    }
    w->tops = xrealloc(w->tops, (w->n_tops + 1) * sizeof(char *));
    w->tops[w->n_tops++] = top;
}

/* The one walk: every commit from HEAD, newest first, until each wanted
 * path has its newest change. */
static int walk(walk_ctx *w)
{
    git_revwalk *rw = NULL;
    int rc = git_revwalk_new(&rw, w->repo);
    if (rc == 0)
        rc = git_revwalk_sorting(rw, GIT_SORT_TIME);
    if (rc == 0)
        rc = git_revwalk_push_head(rw);
    bool shallow = git_repository_is_shallow(w->repo) == 1;
    git_oid oid;
    while (rc == 0 && w->remaining > 0) {
        rc = git_revwalk_next(&oid, rw);
        /* A shallow clone's history ends at a commit whose parent was never
         * fetched (libgit2 1.5 walks into it and finds nothing). */
        if (rc == GIT_ITEROVER || (rc == GIT_ENOTFOUND && shallow)) {
            rc = 0;
            break;
        }
        git_commit *c = NULL;
        if (rc == 0)
            rc = git_commit_lookup(&c, w->repo, &oid);
        if (failed(w, rc) == 0)
            rc = date_commit(w, c, shallow);
        git_commit_free(c);
    }
    failed(w, rc);
    git_revwalk_free(rw);
    return rc;
}

/* The site root's place in the repository's work tree: "" for the top,
 * "a/b/" below it; NULL when it is not inside (a bare repository). */
static char *site_prefix(git_repository *repo, const char *root)
{
    const char *wd = git_repository_workdir(repo);
    char *real_root = realpath(root, NULL);
    char *real_wd = wd ? realpath(wd, NULL) : NULL;
    char *prefix = NULL;
    if (real_root && real_wd) {
        size_t n = strlen(real_wd);
        if (!strcmp(real_root, real_wd))
            prefix = xstrdup("");
        else if (!strncmp(real_root, real_wd, n) && (real_root[n] == '/' || n == 1))
            prefix = xasprintf("%s/", real_root + (n == 1 ? 1 : n + 1));
    }
    free(real_root);
    free(real_wd);
    return prefix;
}

/* Fills in commit times for what git knows; false (with a warning) when the
 * repository cannot be read, and then no entry has a commit time. */
static bool from_git(hist *h, const char *root, diag_list *d)
{
    git_repository *repo = NULL;
    int rc = git_repository_open_ext(&repo, root, 0, NULL);
    if (rc == GIT_ENOTFOUND)
        return true; /* not in a repository: modification times it is */
    if (rc < 0) {
        diag_warning(d, root, 0, 0,
                     "cannot read the git repository here (%s): page dates come from the files' modification "
                     "times",
                     git_msg());
        return false;
    }
    walk_ctx w = {.repo = repo, .prefix = site_prefix(repo, root), .wanted = strmap_new(),
                  .dirty = strmap_new()};
    bool ok = true;
    if (w.prefix) {
        for (size_t i = 0; i < h->n; i++)
            add_top(&w, h->all[i].path);
        rc = collect_dirty(&w);
        git_index *ix = NULL;
        if (rc == 0)
            rc = failed(&w, git_repository_index(&ix, repo));
        /* Only committed files are looked for: one git does not know (an
         * ignored folder) would keep the walk going to the first commit. */
        for (size_t i = 0; rc == 0 && i < h->n; i++) {
            char *rp = xasprintf("%s%s", w.prefix, h->all[i].path);
            if (!strmap_has(w.dirty, rp) && git_index_get_bypath(ix, rp, 0) &&
                strmap_add(w.wanted, rp, &h->all[i]))
                w.remaining++;
            free(rp);
        }
        git_index_free(ix);
        char *name = repo_name(repo, root);
        if (rc == 0 && git_repository_head_unborn(repo) == 1) {
            diag_warning(d, name, 0, 0,
                         "the git repository has no commits yet: page dates come from the files' modification "
                         "times");
            ok = false;
        } else if (rc == 0) {
            rc = walk(&w);
        }
        if (rc < 0) {
            diag_warning(d, name, 0, 0,
                         "cannot read the git history (%s): page dates come from the files' modification times",
                         w.err ? w.err : git_msg());
            ok = false;
        }
        free(name);
    }
    for (size_t i = 0; i < w.n_tops; i++)
        free(w.tops[i]);
    free(w.tops);
    free(w.err);
    free(w.prefix);
    strmap_free(w.wanted);
    strmap_free(w.dirty);
    git_repository_free(repo);
    return ok;
}

hist *hist_load(const char *root, const char *const *paths, size_t n, int64_t clamp, diag_list *d)
{
    hist *h = xcalloc(1, sizeof *h);
    h->all = xcalloc(n + 1, sizeof(hist_entry));
    h->by_path = strmap_new();
    for (size_t i = 0; i < n; i++) {
        if (!strmap_add(h->by_path, paths[i], &h->all[h->n]))
            continue;
        h->all[h->n++].path = xstrdup(paths[i]);
    }
    git_libgit2_init();
    bool ok = from_git(h, root, d);
    git_libgit2_shutdown();
    for (size_t i = 0; i < h->n; i++) {
        hist_entry *e = &h->all[i];
        if (e->git && ok) {
            h->from_git++;
        } else {
            e->git = false;
            char *abs = xasprintf("%s/%s", root, e->path);
            struct stat st;
            e->time = stat(abs, &st) == 0 ? (int64_t)st.st_mtime : 0;
            free(abs);
        }
        if (clamp > 0 && e->time > clamp)
            e->time = clamp;
    }
    return h;
}

void hist_free(hist *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        free(h->all[i].path);
    free(h->all);
    strmap_free(h->by_path);
    free(h);
}

int64_t hist_time(const hist *h, const char *path)
{
    const hist_entry *e = h && path ? strmap_get(h->by_path, path) : NULL;
    return e ? e->time : 0;
}

size_t hist_from_git(const hist *h)
{
    return h ? h->from_git : 0;
}
