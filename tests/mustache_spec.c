/* mustache_spec: runs the official Mustache spec files case by case against
 * the engine and prints `N passed, M failed` per file and in total. */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../generator/0-base/buf.h"
#include "../generator/0-base/diag.h"
#include "../generator/0-base/value.h"
#include "../generator/0-base/xmem.h"
#include "../generator/1-load/yaml_load.h"
#include "../generator/3-extend/hooks.h"
#include "../generator/4-render/mustache.h"

typedef struct {
    int passed, failed, skipped;
} counts;

/* The spec writes its lambdas in other languages; these are their Lua
 * translations, run through the hooks' sandbox like a site's lambdas. */
static const struct {
    const char *name;
    const char *lua;
} lua_lambdas[] = {
    {"Interpolation", "function() return 'world' end"},
    {"Interpolation - Expansion", "function() return '{{planet}}' end"},
    {"Interpolation - Alternate Delimiters", "function() return '|planet| => {{planet}}' end"},
    {"Interpolation - Multiple Calls",
     "(function() local calls = 0 return function() calls = calls + 1 return calls end end)()"},
    {"Escaping", "function() return '>' end"},
    {"Section", "function(txt) if txt == '{{x}}' then return 'yes' else return 'no' end end"},
    {"Section - Expansion", "function(txt) return txt .. '{{planet}}' .. txt end"},
    {"Section - Alternate Delimiters", "function(txt) return txt .. '{{planet}} => |planet|' .. txt end"},
    {"Section - Multiple Calls", "function(txt) return '__' .. txt .. '__' end"},
    {"Inverted Section", "function(txt) return false end"},
};

/* Files whose cases need their lambda from the table above. */
static bool lambda_file(const char *name) { return strcmp(name, "~lambdas.yml") == 0; }


static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    buf_t b = BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    fclose(f);
    *len = b.len;
    buf_cstr(&b);
    return buf_detach(&b);
}

/* s as a C string literal, so whitespace differences show. */
static void print_escaped(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        switch (*s) {
        case '\n': fputs("\\n", stdout); break;
        case '\r': fputs("\\r", stdout); break;
        case '\t': fputs("\\t", stdout); break;
        case '"': fputs("\\\"", stdout); break;
        case '\\': fputs("\\\\", stdout); break;
        default: putchar(*s);
        }
    }
    putchar('"');
}

static void print_diags(const diag_list *d)
{
    for (size_t i = 0; i < diag_count(d); i++) {
        char *s = diag_format(diag_at(d, i));
        printf("    %s\n", s);
        free(s);
    }
}

/* Runs one case; returns whether the output matched. */
static bool run_case(const char *file, const val *tc, hooks *h)
{
    const char *name = val_get_str(tc, "name");
    const char *template = val_get_str(tc, "template");
    const char *expected = val_get_str(tc, "expected");
    if (!name)
        name = "(unnamed)";
    if (!template || !expected) {
        printf("FAIL %s: %s: case has no template or expected string\n", file, name);
        return false;
    }
    diag_list *d = diag_list_new();
    mustache_lib *lib = mustache_lib_new();
    bool ok = true;
    const val *partials = val_get(tc, "partials");
    for (size_t i = 0; i < val_len(partials); i++) {
        const char *pname = val_key_at(partials, i);
        const char *psrc = val_as_str(val_at(partials, i));
        if (psrc)
            ok = mustache_lib_add(lib, pname, psrc, strlen(psrc), pname, d) && ok;
    }
    ok = mustache_lib_add(lib, "<template>", template, strlen(template), "<template>", d) && ok;
    buf_t out = BUF_INIT;
    val *data = val_copy(val_get(tc, "data"));
    if (lambda_file(file)) {
        const char *lua = NULL;
        for (size_t i = 0; i < sizeof lua_lambdas / sizeof lua_lambdas[0]; i++)
            if (!strcmp(lua_lambdas[i].name, name))
                lua = lua_lambdas[i].lua;
        val *fn = lua ? hooks_compile_lambda(h, lua, d) : NULL;
        if (fn)
            val_set(data, "lambda", fn);
        else
            ok = false;
    }
    if (ok)
        ok = mustache_render(lib, "<template>", data, &out, d);
    const char *got = buf_cstr(&out);
    bool pass = ok && strcmp(got, expected) == 0;
    if (!pass) {
        printf("FAIL %s: %s\n    expected ", file, name);
        print_escaped(expected);
        printf("\n    got      ");
        print_escaped(got);
        putchar('\n');
        print_diags(d);
    }
    buf_free(&out);
    val_free(data);
    mustache_lib_free(lib);
    diag_list_free(d);
    return pass;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mustache_spec DIR\n");
        return 2;
    }
    DIR *dir = opendir(argv[1]);
    if (!dir) {
        perror(argv[1]);
        return 2;
    }
    char **files = NULL;
    size_t nfiles = 0;
    struct dirent *e;
    while ((e = readdir(dir))) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".yml") == 0) {
            files = xrealloc(files, (nfiles + 1) * sizeof(char *));
            files[nfiles++] = xstrdup(e->d_name);
        }
    }
    closedir(dir);
    qsort(files, nfiles, sizeof(char *), by_name);

    diag_list *hd = diag_list_new();
    hooks *h = hooks_new(NULL, NULL, NULL, NULL, NULL, hd);
    counts total = {0, 0, 0};
    bool required_failed = false;
    for (size_t f = 0; f < nfiles; f++) {
        char *path = xasprintf("%s/%s", argv[1], files[f]);
        size_t len = 0;
        char *src = read_file(path, &len);
        counts c = {0, 0, 0};
        diag_list *d = diag_list_new();
        val *doc = src ? yaml_load(src, len, path, 0, d) : NULL;
        if (!doc) {
            printf("FAIL %s: cannot load\n", path);
            print_diags(d);
            c.failed++;
        }
        const val *tests = val_get(doc, "tests");
        for (size_t i = 0; i < val_len(tests); i++) {
            if (run_case(files[f], val_at(tests, i), h))
                c.passed++;
            else
                c.failed++;
        }
        printf("mustache spec: %s: %d passed, %d failed", files[f], c.passed, c.failed);
        if (c.skipped)
            printf(", %d skipped", c.skipped);
        putchar('\n');
        if (c.failed)
            required_failed = true;
        total.passed += c.passed;
        total.failed += c.failed;
        total.skipped += c.skipped;
        val_free(doc);
        diag_list_free(d);
        free(src);
        free(path);
        free(files[f]);
    }
    free(files);
    hooks_free(h);
    diag_list_free(hd);
    if (total.skipped)
        printf("mustache spec: %d skipped\n", total.skipped);
    printf("spec: %d passed, %d failed\n", total.passed, total.failed);
    return required_failed ? 1 : 0;
}
