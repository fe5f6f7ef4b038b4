/* testutil: small helpers shared by the Check suites (tests only). */
#ifndef KK_TESTUTIL_H
#define KK_TESTUTIL_H

#include <check.h>
#include <stdarg.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../generator/0-base/diag.h"
#include "../generator/0-base/xmem.h"
#include "../generator/2-model/i18n.h"

/* The i-th diagnostic as printed (caller frees), or "" when there is none. */
static inline char *tu_diag(const diag_list *d, size_t i)
{
    const diag_t *g = diag_at(d, i);
    return g ? diag_format(g) : xstrdup("");
}

/* Asserts that diagnostic i prints exactly as expected. */
#define ck_assert_diag(d, i, expected)                                                            \
    do {                                                                                          \
        char *got_ = tu_diag(d, i);                                                               \
        ck_assert_str_eq(got_, expected);                                                         \
        free(got_);                                                                               \
    } while (0)

/* Writes a file below dir, creating folders. */
static inline void tu_write(const char *dir, const char *rel, const char *content)
{
    char *path = xasprintf("%s/%s", dir, rel);
    for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
        *p = '\0';
        mkdir(path, 0755);
        *p = '/';
    }
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(content, f);
    fclose(f);
    free(path);
}

/* Reads a whole file (caller frees), NULL when missing. */
static inline char *tu_read(const char *dir, const char *rel)
{
    char *path = xasprintf("%s/%s", dir, rel);
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f)
        return NULL;
    char *s = NULL;
    size_t len = 0, cap = 0;
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (len + 1 >= cap)
            s = xrealloc(s, cap = cap ? cap * 2 : 256);
        s[len++] = (char)c;
    }
    fclose(f);
    if (!s)
        s = xmalloc(1);
    s[len] = '\0';
    return s;
}

static inline int tu_rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

/* A fresh empty folder under /tmp (caller removes it with tu_rmdir and frees). */
static inline char *tu_tmpdir(void)
{
    char *t = xstrdup("/tmp/kasikirja-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(t));
    return t;
}

static inline void tu_rmdir(char *dir)
{
    nftw(dir, tu_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

/* Runs one suite; the exit status is the number of failures (0 = all passed). */
/* The built-in Finnish interface texts, made once and kept for the whole run. */
static inline const i18n *tu_fi(void)
{
    static i18n *cat;
    if (!cat) {
        diag_list *d = diag_list_new();
        cat = i18n_builtin("fi", d);
        diag_list_free(d);
    }
    return cat;
}

static inline int tu_run(Suite *s)
{
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? 1 : 0;
}

#endif
