/* fuzz_mustache: the Mustache parser, checker and renderer on fuzzed templates.
 *
 * The input is split at form feeds ('\f') into up to three templates: "main"
 * (rendered), "a" and "b" (for {{>a}}, {{<b}}…). Two fixed templates are
 * always there to include or extend: "kehys" (with blocks) and "rivi". The
 * context is fixed: YAML of the kinds a layout sees (HTML-special text,
 * numbers, booleans, nested maps, lists, null) plus two lambdas. "main" is
 * also rendered with a position map ('mustache: true' pages): the output must
 * be the same, and every position in it must map into main's text. */
#include "fuzz.h"

#include <stdbool.h>

#include "../../generator/0-base/buf.h"
#include "../../generator/0-base/posmap.h"
#include "../../generator/0-base/value.h"
#include "../../generator/0-base/xmem.h"
#include "../../generator/1-load/yaml_load.h"
#include "../../generator/4-render/mustache.h"

#define SEPARATOR '\f'

static const char context_yaml[] =
    "title: \"<Käsikirja> & 'muut' \\\"lainaukset\\\"\"\n"
    "html: <b>lihava</b>\n"
    "empty: \"\"\n"
    "zero: 0\n"
    "num: 1.210\n"
    "yes: true\n"
    "no: false\n"
    "nothing: null\n"
    "name: rivi\n"
    "site: {title: Testi, base_url: \"https://example.fi/\", lang: fi}\n"
    "page:\n"
    "  title: Sivu\n"
    "  url: /lait/\n"
    "  entity: {id: hva, nimi: Hyvinvointialue, jasenet: [{nimi: A}, {nimi: B}]}\n"
    "items:\n"
    "  - {nimi: Yksi, url: /1/, tags: [a, b]}\n"
    "  - {nimi: \"Kaksi & <kolme>\", url: /2/, tags: []}\n"
    "  - {nimi: Kolme, url: null, tags: [c]}\n"
    "list: [1, two, true, null, [x, y], {k: v}]\n"
    "nolist: []\n"
    "data: {toimijat: [{id: a, nimi: Aakkola}], malli: {id: uusi}}\n"
    "a: {b: {c: {d: syvä}}}\n";

/* {{lambda}}: renders its section text twice (or a fixed template for an
 * interpolation); the text is parsed again as a template. */
static char *lambda_twice(void *ud, const char *raw, char **err)
{
    (void)ud, (void)err;
    if (!raw)
        return xstrdup("{{title}}|{{#items}}{{nimi}}{{/items}}");
    return xasprintf("%s%s", raw, raw);
}

/* {{fails}}: a lambda that reports an error. */
static char *lambda_fails(void *ud, const char *raw, char **err)
{
    (void)ud;
    *err = xasprintf("lambda failed on %zu bytes", raw ? strlen(raw) : 0);
    return NULL;
}

/* {{falsy}}: a lambda that returns "false" (nothing rendered). */
static char *lambda_falsy(void *ud, const char *raw, char **err)
{
    (void)ud, (void)raw;
    *err = NULL;
    return NULL;
}

static val *context;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    diag_list *d = diag_list_new();
    context = yaml_load(context_yaml, sizeof context_yaml - 1, "ctx.yaml", 0, d);
    if (!context || diag_count(d)) {
        diag_print(d, stderr);
        abort();
    }
    diag_list_free(d);
    val_set(context, "lambda", val_func(lambda_twice, NULL, NULL, (src_pos){0}));
    val_set(context, "fails", val_func(lambda_fails, NULL, NULL, (src_pos){0}));
    val_set(context, "falsy", val_func(lambda_falsy, NULL, NULL, (src_pos){0}));
    return 0;
}

static const struct {
    const char *name, *src;
} fixed[] = {
    {"kehys", "<main>\n  {{$sisalto}}oletus {{title}}{{/sisalto}}\n</main>{{$loppu}}{{/loppu}}\n"},
    {"rivi", "<li>{{nimi}} {{{html}}}</li>\n"},
};

/* Adds one template; the library changes exactly when it parses. */
static void add(mustache_lib *lib, const char *name, const char *src, size_t len)
{
    diag_list *d = diag_list_new();
    char *path = xasprintf("layouts/%s.mustache", name);
    bool ok = mustache_lib_add(lib, name, src, len, path, d);
    FUZZ_CHECK(ok ? diag_errors(d) == 0 : diag_errors(d) > 0);
    FUZZ_CHECK(mustache_lib_has(lib, name) == ok);
    for (size_t i = 0; i < diag_count(d); i++)
        FUZZ_CHECK(!strcmp(diag_at(d, i)->path, path));
    fuzz_check_diags(d);
    free(path);
    diag_list_free(d);
}

static char *render(const mustache_lib *lib, bool *ok)
{
    diag_list *d = diag_list_new();
    buf_t out = BUF_INIT;
    *ok = mustache_render(lib, "main", context, &out, d);
    FUZZ_CHECK(*ok ? diag_errors(d) == 0 : diag_errors(d) > 0);
    fuzz_check_diags(d);
    diag_list_free(d);
    buf_cstr(&out);
    return buf_detach(&out);
}

/* Renders main with a position map: the same output as without, and every
 * line:col of it (each line's start, middle and end) maps into src. */
static void check_map(const mustache_lib *lib, const char *src, size_t len, const char *want)
{
    diag_list *d = diag_list_new();
    buf_t out = BUF_INIT;
    pos_map *map = pos_map_new();
    mustache_render_map(lib, "main", context, &out, map, d);
    buf_cstr(&out);
    FUZZ_CHECK(!strcmp(out.ptr, want));
    pos_map_finish(map, src, len, out.ptr, out.len, 0);
    size_t src_lines = 1;
    for (size_t i = 0; i < len; i++)
        src_lines += src[i] == '\n';
    int line = 1;
    for (size_t start = 0; start <= out.len; line++) {
        const char *nl = memchr(out.ptr + start, '\n', out.len - start);
        size_t end = nl ? (size_t)(nl - out.ptr) : out.len;
        int cols[] = {1, (int)((end - start) / 2) + 1, (int)(end - start) + 1};
        for (size_t k = 0; k < 3; k++) {
            int l = line, c = cols[k];
            if (pos_map_find(map, &l, &c))
                FUZZ_CHECK(l >= 1 && (size_t)l <= src_lines && c >= 1 && (size_t)c <= len + 1);
        }
        if (!nl)
            break;
        start = end + 1;
    }
    pos_map_free(map);
    buf_free(&out);
    diag_list_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"main", "a", "b"};
    mustache_lib *lib = mustache_lib_new();
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        add(lib, fixed[i].name, fixed[i].src, strlen(fixed[i].src));
    FUZZ_CHECK(mustache_lib_has(lib, "kehys") && mustache_lib_has(lib, "rivi"));

    size_t at = 0;
    char *main_src = NULL;
    size_t main_len = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && at <= size; i++) {
        const uint8_t *sep = at < size ? memchr(data + at, SEPARATOR, size - at) : NULL;
        size_t stop = sep ? (size_t)(sep - data) : size;
        /* An exact-size copy: the parser must keep to len. */
        char *src = fuzz_exact_copy(data + at, stop - at);
        add(lib, names[i], src, stop - at);
        if (i == 0) {
            main_src = src;
            main_len = stop - at;
        } else {
            free(src);
        }
        at = stop + 1;
    }

    diag_list *d = diag_list_new();
    bool resolved = mustache_lib_check(lib, d);
    FUZZ_CHECK(resolved ? diag_errors(d) == 0 : diag_errors(d) > 0);
    fuzz_check_diags(d);
    diag_list_free(d);

    bool uses1 = false, uses2 = false;
    uint64_t h1 = mustache_lib_deps(lib, "main", "data", &uses1);
    uint64_t h2 = mustache_lib_deps(lib, "main", "data", &uses2);
    FUZZ_CHECK(h1 == h2 && uses1 == uses2);

    if (mustache_lib_has(lib, "main")) {
        /* Rendering reads the library and context only: twice gives the same. */
        bool ok1, ok2;
        char *out1 = render(lib, &ok1);
        char *out2 = render(lib, &ok2);
        FUZZ_CHECK(ok1 == ok2 && !strcmp(out1, out2));
        check_map(lib, main_src, main_len, out1);
        free(out1);
        free(out2);
    }
    mustache_lib_free(lib);
    free(main_src);
    return 0;
}
