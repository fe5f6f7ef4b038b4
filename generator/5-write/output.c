/* output: staging folder, path confinement, atomic swap. */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../0-base/buf.h"
#include "../0-base/hash.h"
#include "../0-base/strmap.h"
#include "../0-base/xmem.h"
#include "../1-load/dcache.h"

/* {====== Manifests ====== */

typedef struct {
    char *path;
    uint64_t hash;
} out_entry;

struct out_manifest {
    char *out_dir;  /* the folder described; NULL until a build committed */
    strmap *index;  /* path -> out_entry* */
    out_entry **all;
    size_t n, cap;
};

out_manifest *out_manifest_new(void)
{
    out_manifest *m = xcalloc(1, sizeof *m);
    m->index = strmap_new();
    return m;
}

static void manifest_clear(out_manifest *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->all[i]->path);
        free(m->all[i]);
    }
    free(m->all);
    strmap_free(m->index);
    free(m->out_dir);
}

void out_manifest_free(out_manifest *m)
{
    if (!m)
        return;
    manifest_clear(m);
    free(m);
}

static void manifest_add(out_manifest *m, const char *path, uint64_t hash)
{
    out_entry *e = xmalloc(sizeof *e);
    e->path = xstrdup(path);
    e->hash = hash;
    if (!strmap_add(m->index, e->path, e)) { /* claim() has refused doubles before */
        free(e->path);
        free(e);
        return;
    }
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->all = xrealloc(m->all, m->cap * sizeof(out_entry *));
    }
    m->all[m->n++] = e;
}

size_t out_manifest_count(const out_manifest *m) { return m ? m->n : 0; }

/* } */

struct out_tree {
    pthread_mutex_t mu; /* guards the maps and lists below: threads write at once */
    char *out_dir;
    char *stage;
    strmap *written;
    strmap *dirs;      /* folders already made in the stage */
    out_manifest *m;   /* the caller's manifest, or NULL */
    out_manifest *next; /* what this build leaves (with m) */
    bool incremental;  /* in place: only changed files are staged, then moved one by one */
    bool patch;        /* incremental, and files not written stay (nothing is removed) */
    char **owned;      /* out_owns_folder: a patch removes what it did not write there */
    size_t n_owned;
};

/* Whether path is under a folder the build said it writes whole. */
static bool owned(const out_tree *o, const char *path)
{
    for (size_t i = 0; i < o->n_owned; i++)
        if (!strncmp(path, o->owned[i], strlen(o->owned[i])))
            return true;
    return false;
}

void out_owns_folder(out_tree *o, const char *dir)
{
    o->owned = xrealloc(o->owned, (o->n_owned + 1) * sizeof *o->owned);
    o->owned[o->n_owned++] = xstrdup(dir);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Removes a whole tree without following symlinks. */
static void rm_tree(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Staging and old-output folders are ".NAME.tmp-XXXXXX" beside NAME. */
static void remove_stale(const char *parent, const char *name)
{
    DIR *dir = opendir(parent);
    if (!dir)
        return;
    char *prefix = xasprintf(".%s.tmp-", name);
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (!strncmp(e->d_name, prefix, strlen(prefix))) {
            char *p = xasprintf("%s/%s", parent, e->d_name);
            rm_tree(p);
            free(p);
        }
    }
    free(prefix);
    closedir(dir);
}

out_tree *out_begin(const char *out_dir, diag_list *d)
{
    return out_begin_incremental(out_dir, NULL, d);
}

/* True when m describes out_dir as a committed build left it (and the marker is there). */
static bool manifest_describes(const out_manifest *m, const char *out_dir)
{
    if (!m->out_dir || strcmp(m->out_dir, out_dir))
        return false;
    char *marker = xasprintf("%s/%s", out_dir, OUT_MARKER);
    bool there = access(marker, F_OK) == 0;
    free(marker);
    return there;
}

out_tree *out_begin_incremental(const char *out_dir, out_manifest *m, diag_list *d)
{
    struct stat st;
    if (lstat(out_dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            diag_error(d, NULL, 0, 0, "the output '%s' exists and is not a folder", out_dir);
            return NULL;
        }
        char *marker = xasprintf("%s/%s", out_dir, OUT_MARKER);
        bool ours = access(marker, F_OK) == 0;
        free(marker);
        DIR *dir = opendir(out_dir);
        bool empty = true;
        struct dirent *e;
        while (dir && (e = readdir(dir)) != NULL)
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                empty = false;
        if (dir)
            closedir(dir);
        if (!ours && !empty) {
            diag_error(d, NULL, 0, 0,
                       "the output folder '%s' has files that kasikirja did not write (no %s "
                       "in it); choose another --out or empty it first",
                       out_dir, OUT_MARKER);
            return NULL;
        }
    }
    char *a = xstrdup(out_dir), *b = xstrdup(out_dir);
    char *parent = xstrdup(dirname(a));
    char *name = xstrdup(basename(b));
    free(a);
    free(b);
    remove_stale(parent, name);
    char *tmpl = xasprintf("%s/.%s.tmp-XXXXXX", parent, name);
    free(parent);
    free(name);
    if (!mkdtemp(tmpl)) {
        diag_error(d, NULL, 0, 0, "cannot create a staging folder beside '%s': %s", out_dir,
                   strerror(errno));
        free(tmpl);
        return NULL;
    }
    chmod(tmpl, 0755); /* mkdtemp makes it 0700; a published site must be readable */
    out_tree *o = xcalloc(1, sizeof(out_tree));
    pthread_mutex_init(&o->mu, NULL);
    o->out_dir = xstrdup(out_dir);
    o->stage = tmpl;
    o->written = strmap_new();
    o->dirs = strmap_new();
    if (m) {
        o->m = m;
        o->next = out_manifest_new();
        /* In place only over the very folder the manifest describes, as it was left. */
        o->incremental = manifest_describes(m, out_dir);
    }
    return o;
}

out_tree *out_begin_patch(const char *out_dir, out_manifest *m, diag_list *d)
{
    if (!manifest_describes(m, out_dir))
        return NULL;
    out_tree *o = out_begin_incremental(out_dir, m, d);
    if (o)
        o->patch = true;
    return o;
}

bool out_path_ok(const char *relpath)
{
    if (!relpath || !*relpath || relpath[0] == '/')
        return false;
    const char *p = relpath;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)p[i] < 0x20 || p[i] == '\\' || p[i] == 0x7F)
                return false;
        if (!slash)
            return true;
        p = slash + 1;
    }
}

/* Creates the folders of relpath below the stage, parents first. Under the
 * lock, and a folder joins o->dirs only once it exists: a thread that finds
 * it there can write into it at once. mkdir's EEXIST is fine (a file of that
 * name makes the write itself fail). */
static bool make_parents(out_tree *o, const char *relpath, diag_list *d)
{
    char *full = xasprintf("%s/%s", o->stage, relpath);
    size_t base = strlen(o->stage) + 1;
    int err = 0;
    pthread_mutex_lock(&o->mu);
    for (char *p = full + base; !err && (p = strchr(p, '/')) != NULL; p++) {
        *p = '\0';
        if (!strmap_has(o->dirs, full + base)) {
            if (mkdir(full, 0755) == 0 || errno == EEXIST)
                strmap_add(o->dirs, full + base, o);
            else
                err = errno;
        }
        *p = '/';
    }
    pthread_mutex_unlock(&o->mu);
    if (err)
        diag_error(d, NULL, 0, 0, "cannot create the folder for %s: %s", relpath, strerror(err));
    free(full);
    return !err;
}

/* Reserves relpath for this build (under the lock); false after an error. */
static bool claim(out_tree *o, const char *relpath, diag_list *d)
{
    if (!out_path_ok(relpath)) {
        diag_error(d, NULL, 0, 0, "refusing to write '%s': not a plain path inside the output folder",
                   relpath);
        return false;
    }
    pthread_mutex_lock(&o->mu);
    bool fresh = strmap_add(o->written, relpath, o);
    pthread_mutex_unlock(&o->mu);
    if (!fresh) {
        diag_error(d, NULL, 0, 0, "two outputs would both be written to %s", relpath);
        return false;
    }
    return true;
}

/* True when a file with this hash goes to the stage: always in a full
 * build; in place, when the previous build left other bytes or no such file.
 * o->m does not change during a build, so no lock is needed. */
static bool staged(const out_tree *o, const char *relpath, uint64_t hash)
{
    if (!o->incremental)
        return true;
    const out_entry *old = strmap_get(o->m->index, relpath);
    return !old || old->hash != hash;
}

bool out_write(out_tree *o, const char *relpath, const char *data, size_t len, diag_list *d)
{
    if (!claim(o, relpath, d))
        return false;
    if (o->next) {
        uint64_t h = hash_bytes(HASH_SEED, data, len);
        pthread_mutex_lock(&o->mu);
        manifest_add(o->next, relpath, h);
        pthread_mutex_unlock(&o->mu);
        if (!staged(o, relpath, h))
            return true; /* the same bytes are in place already */
    }
    if (!make_parents(o, relpath, d))
        return false;
    char *full = xasprintf("%s/%s", o->stage, relpath);
    /* O_EXCL|O_NOFOLLOW: never through a link, never over another file. */
    int fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    bool ok = fd >= 0;
    for (size_t done = 0; ok && done < len;) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        done += ok ? (size_t)n : 0;
    }
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    if (!ok)
        diag_error(d, NULL, 0, 0, "cannot write %s: %s", relpath, strerror(errno));
    free(full);
    return ok;
}

bool out_copy(out_tree *o, const char *relpath, const char *src_path, diag_list *d)
{
    FILE *in = fopen(src_path, "rb");
    if (!in) {
        diag_error(d, NULL, 0, 0, "cannot read %s: %s", src_path, strerror(errno));
        return false;
    }
    buf_t b = BUF_INIT;
    bool ok = buf_read_stream(&b, in);
    fclose(in);
    if (!ok)
        diag_error(d, NULL, 0, 0, "cannot read %s", src_path);
    else
        ok = out_write(o, relpath, b.ptr ? b.ptr : "", b.len, d);
    buf_free(&b);
    return ok;
}

bool out_keep(out_tree *o, const char *relpath)
{
    if (!o->incremental)
        return false;
    pthread_mutex_lock(&o->mu);
    const out_entry *old = strmap_get(o->m->index, relpath);
    bool ok = old && strmap_add(o->written, relpath, o);
    if (ok)
        manifest_add(o->next, relpath, old->hash);
    pthread_mutex_unlock(&o->mu);
    return ok;
}

size_t out_count(out_tree *o)
{
    pthread_mutex_lock(&o->mu);
    size_t n = strmap_len(o->written);
    pthread_mutex_unlock(&o->mu);
    return n;
}

bool out_incremental(const out_tree *o) { return o && o->incremental; }

size_t out_written(const out_tree *o)
{
    if (!o->incremental)
        return strmap_len(o->written);
    /* Kept files and unchanged bytes carry their old hash into o->next. */
    size_t n = 0;
    for (size_t i = 0; i < o->next->n; i++)
        n += staged(o, o->next->all[i]->path, o->next->all[i]->hash);
    return n;
}

static void out_free(out_tree *o)
{
    out_manifest_free(o->next);
    for (size_t i = 0; i < o->n_owned; i++)
        free(o->owned[i]);
    free(o->owned);
    pthread_mutex_destroy(&o->mu);
    strmap_free(o->written);
    strmap_free(o->dirs);
    free(o->out_dir);
    free(o->stage);
    free(o);
}

/* Creates the folders of relpath below root (which exists). */
static void make_dirs(const char *root, const char *relpath)
{
    char *full = xasprintf("%s/%s", root, relpath);
    for (char *p = full + strlen(root) + 1; (p = strchr(p, '/')) != NULL; p++) {
        *p = '\0';
        mkdir(full, 0755);
        *p = '/';
    }
    free(full);
}

/* Removes relpath's folders below root as long as they are empty. */
static void prune_dirs(const char *root, const char *relpath)
{
    char *full = xasprintf("%s/%s", root, relpath);
    size_t base = strlen(root);
    for (char *p = strrchr(full, '/'); p && (size_t)(p - full) > base; p = strrchr(full, '/')) {
        *p = '\0';
        if (rmdir(full) != 0)
            break;
    }
    free(full);
}

/* Incremental: each staged file replaces its old self with one rename (a
 * reader sees the old file or the new, never a part); files the build no
 * longer makes are removed. */
static bool commit_in_place(out_tree *o, diag_list *d)
{
    bool ok = true;
    for (size_t i = 0; i < o->next->n && ok; i++) {
        const out_entry *e = o->next->all[i];
        if (!staged(o, e->path, e->hash))
            continue;
        char *from = xasprintf("%s/%s", o->stage, e->path);
        char *to = xasprintf("%s/%s", o->out_dir, e->path);
        int rc = rename(from, to);
        if (rc != 0 && errno == ENOENT) {
            make_dirs(o->out_dir, e->path);
            rc = rename(from, to);
        }
        if (rc != 0) {
            diag_error(d, NULL, 0, 0, "cannot move %s into '%s': %s", e->path, o->out_dir,
                       strerror(errno));
            ok = false;
        }
        free(from);
        free(to);
    }
    for (size_t i = 0; i < o->m->n && ok; i++) {
        const char *path = o->m->all[i]->path;
        if (strmap_has(o->next->index, path) || (o->patch && !owned(o, path)))
            continue;
        char *full = xasprintf("%s/%s", o->out_dir, path);
        unlink(full);
        free(full);
        prune_dirs(o->out_dir, path);
    }
    rm_tree(o->stage);
    return ok;
}

/* The build's files become the manifest of the folder. */
static void adopt_manifest(out_tree *o)
{
    manifest_clear(o->m);
    *o->m = *o->next;
    o->m->out_dir = xstrdup(o->out_dir);
    free(o->next);
    o->next = NULL;
}

/* A patch's files update their entries (or join) the manifest; the rest stay,
 * but for those of owned folders the patch did not write (removed). */
static void update_manifest(out_tree *o)
{
    out_manifest *m = out_manifest_new();
    for (size_t i = 0; i < o->m->n; i++) {
        const out_entry *e = o->m->all[i];
        const out_entry *now = strmap_get(o->next->index, e->path);
        if (now)
            manifest_add(m, e->path, now->hash);
        else if (!owned(o, e->path))
            manifest_add(m, e->path, e->hash);
    }
    for (size_t i = 0; i < o->next->n; i++)
        if (!strmap_has(m->index, o->next->all[i]->path))
            manifest_add(m, o->next->all[i]->path, o->next->all[i]->hash);
    m->out_dir = o->m->out_dir;
    o->m->out_dir = NULL;
    manifest_clear(o->m);
    *o->m = *m;
    free(m);
}

/* After a failed commit the folder is in no known state: the next build is a full one. */
static void forget_manifest(out_manifest *m)
{
    free(m->out_dir);
    m->out_dir = NULL;
}

bool out_commit(out_tree *o, diag_list *d)
{
    bool ok = true;
    static const char marker[] = "kasikirja wrote this folder; every build replaces it whole.\n";
    if (!out_write(o, OUT_MARKER, marker, sizeof marker - 1, d)) {
        out_abort(o);
        return false;
    }
    if (o->incremental) {
        ok = commit_in_place(o, d);
        if (ok && o->patch)
            update_manifest(o);
        else if (ok)
            adopt_manifest(o);
        else
            forget_manifest(o->m);
        out_free(o);
        return ok;
    }
    struct stat st;
    if (lstat(o->out_dir, &st) == 0) {
        /* Both exist: exchange them in one step, then the old one (now at the
         * staging name) is removed. A kill at any point leaves a whole site. */
        if (renameat2(AT_FDCWD, o->stage, AT_FDCWD, o->out_dir, RENAME_EXCHANGE) != 0) {
            diag_error(d, NULL, 0, 0, "cannot swap the new site into '%s': %s", o->out_dir,
                       strerror(errno));
            rm_tree(o->stage);
            ok = false;
        } else {
            rm_tree(o->stage);
        }
    } else if (rename(o->stage, o->out_dir) != 0) {
        diag_error(d, NULL, 0, 0, "cannot move the new site to '%s': %s", o->out_dir, strerror(errno));
        rm_tree(o->stage);
        ok = false;
    }
    if (o->m) {
        if (ok)
            adopt_manifest(o);
        else
            forget_manifest(o->m);
    }
    out_free(o);
    return ok;
}

void out_abort(out_tree *o)
{
    if (!o)
        return;
    rm_tree(o->stage);
    out_free(o);
}

/* {====== The diagram cache ====== */

/* mkdir -p; false when path is not a folder afterwards. */
static bool make_folder(const char *path)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0755);
            *s = '/';
        }
    }
    struct stat st;
    bool ok = (mkdir(p, 0755) == 0 || errno == EEXIST) && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
    free(p);
    return ok;
}

bool out_cache_store(const char *dir, uint64_t key, const char *data, size_t len)
{
    if (!make_folder(dir))
        return false;
    char name[24];
    dcache_name(key, name);
    char *path = xasprintf("%s/%s", dir, name);
    char *tmp = xasprintf("%s/.tmp-svg-XXXXXX", dir);
    int fd = mkstemp(tmp);
    bool ok = fd >= 0;
    if (ok) {
        FILE *f = fdopen(fd, "wb");
        ok = f && fwrite(data, 1, len, f) == len;
        if (f)
            ok = fclose(f) == 0 && ok;
        else
            close(fd);
        ok = ok && rename(tmp, path) == 0;
        if (!ok)
            unlink(tmp);
    }
    free(tmp);
    free(path);
    return ok;
}

/* } */

/* {====== New files in a folder of the user's ====== */

/* mkdir -p of the folders of full, a file's path (the root given by the
 * user, which may not exist yet, is made too); 0 or the errno. */
static int make_folders(char *full)
{
    for (char *p = full + 1; (p = strchr(p, '/')) != NULL; p++) {
        *p = '\0';
        int rc = mkdir(full, 0755);
        int err = errno;
        *p = '/';
        if (rc != 0 && err != EEXIST)
            return err;
    }
    return 0;
}

bool out_create(const char *root, const char *relpath, const char *data, size_t len, diag_list *d)
{
    char *full = xasprintf("%s/%s", root, relpath);
    if (!out_path_ok(relpath)) {
        diag_error(d, full, 0, 0, "refusing to write here: not a plain path inside %s", root);
        free(full);
        return false;
    }
    int err = make_folders(full);
    int fd = err ? -1 : open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        err = err ? err : errno;
        if (err == EEXIST)
            diag_error(d, full, 0, 0, "the file exists already, and kasikirja never overwrites a file "
                                      "(move it away first, or choose an empty folder)");
        else
            diag_error(d, full, 0, 0, "cannot create the file: %s", strerror(err));
        free(full);
        return false;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err = n < 0 ? errno : EIO;
            break;
        }
        done += (size_t)n;
    }
    if (close(fd) != 0 && !err)
        err = errno;
    if (err) {
        diag_error(d, full, 0, 0, "cannot write the file: %s", strerror(err));
        unlink(full);
    }
    free(full);
    return !err;
}

bool out_folder_empty(const char *root)
{
    DIR *dir = opendir(root);
    if (!dir)
        return errno == ENOENT;
    bool empty = true;
    struct dirent *e;
    while (empty && (e = readdir(dir)) != NULL)
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(dir);
    return empty;
}
/* }====== */
