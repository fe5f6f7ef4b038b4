/* output: staging folder, path confinement, atomic swap. */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/buf.h"
#include "../base/strmap.h"
#include "../base/xmem.h"

struct out_tree {
    char *out_dir;
    char *stage;
    strmap *written;
    strmap *dirs; /* folders already made in the stage */
};

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
    o->out_dir = xstrdup(out_dir);
    o->stage = tmpl;
    o->written = strmap_new();
    o->dirs = strmap_new();
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

/* Creates the folders of relpath below the stage. */
static bool make_parents(out_tree *o, const char *relpath, diag_list *d)
{
    char *full = xasprintf("%s/%s", o->stage, relpath);
    size_t base = strlen(o->stage) + 1;
    for (char *p = full + base; (p = strchr(p, '/')) != NULL; p++) {
        *p = '\0';
        if (!strmap_add(o->dirs, full + base, o)) { /* made before */
            *p = '/';
            continue;
        }
        if (mkdir(full, 0755) != 0 && errno != EEXIST) {
            diag_error(d, NULL, 0, 0, "cannot create the folder for %s: %s", relpath, strerror(errno));
            free(full);
            return false;
        }
        *p = '/';
    }
    free(full);
    return true;
}

static bool claim(out_tree *o, const char *relpath, diag_list *d)
{
    if (!out_path_ok(relpath)) {
        diag_error(d, NULL, 0, 0, "refusing to write '%s': not a plain path inside the output folder",
                   relpath);
        return false;
    }
    if (!strmap_add(o->written, relpath, o)) {
        diag_error(d, NULL, 0, 0, "two outputs would both be written to %s", relpath);
        return false;
    }
    return make_parents(o, relpath, d);
}

bool out_write(out_tree *o, const char *relpath, const char *data, size_t len, diag_list *d)
{
    if (!claim(o, relpath, d))
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

size_t out_count(const out_tree *o)
{
    return strmap_len(o->written);
}

static void out_free(out_tree *o)
{
    strmap_free(o->written);
    strmap_free(o->dirs);
    free(o->out_dir);
    free(o->stage);
    free(o);
}

bool out_commit(out_tree *o, diag_list *d)
{
    bool ok = true;
    static const char marker[] = "kasikirja wrote this folder; every build replaces it whole.\n";
    if (!out_write(o, OUT_MARKER, marker, sizeof marker - 1, d)) {
        out_abort(o);
        return false;
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
