/* fuzz_model: the model loader and validator (src_load + model_new) on fuzzed data files.
 *
 * The model reads only from a src_tree, which only src_load makes, so the
 * input goes through a real site folder made once per process (on /dev/shm
 * when there is one). The input is split at form feeds ('\f', which YAML
 * does not allow anyway) into up to eight parts, one per data file below, in
 * order; a file with no part keeps the content of tests/fixtures/model, and an
 * empty part removes the file. So a one-part input is a toimijat.yaml checked
 * against the fixture's laws, models and forums that refer to it. */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../generator/0-base/buf.h"
#include "../../generator/0-base/value.h"
#include "../../generator/0-base/xmem.h"
#include "../../generator/1-load/source.h"
#include "../../generator/2-model/model.h"
#include "../../generator/4-render/ical.h"

#define SEPARATOR '\f'
#define FIXTURE "tests/fixtures/model"

static const char *const files[] = {
    "content/data/toimijat.yaml",    "content/data/lait.yaml",
    "content/data/asiakirjat.yaml",  "content/data/vuosikello.yaml",
    "content/data/vastuunjako.yaml", "content/data/sanasto.yaml",
    "content/data/mallit/vanha.yaml", "content/data/mallit/uusi.yaml",
};
#define N_FILES (sizeof files / sizeof files[0])

/* What each file holds now (NULL: absent), so that only changes are written. */
typedef struct {
    char *data;
    size_t len;
} content;

/* Temporary sites are <base>/kk-fuzz-model-<pid>-XXXXXX. */
#define SITE_PREFIX "kk-fuzz-model-"
static const char *const bases[] = {"/dev/shm", "/tmp"};
static char *site;
static content fixture[N_FILES];
static content current[N_FILES];

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz_model: cannot read %s (run from the repository root)\n", path);
        exit(1);
    }
    buf_t b = BUF_INIT;
    if (!buf_read_stream(&b, f))
        abort();
    fclose(f);
    buf_cstr(&b);
    *len = b.len;
    return buf_detach(&b);
}

static void put_file(const char *rel, const char *data, size_t len)
{
    char *path = xasprintf("%s/%s", site, rel);
    FILE *f = fopen(path, "wb");
    if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
        perror(path);
        abort();
    }
    free(path);
}

static void drop_file(const char *rel)
{
    char *path = xasprintf("%s/%s", site, rel);
    unlink(path);
    free(path);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_tree(const char *path)
{
    nftw(path, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* A crash ends the process without atexit handlers: removes the sites of
 * earlier runs whose process is gone. */
static void remove_stale(const char *base)
{
    DIR *dir = opendir(base);
    if (!dir)
        return;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (strncmp(e->d_name, SITE_PREFIX, strlen(SITE_PREFIX)) != 0)
            continue;
        char *end;
        long pid = strtol(e->d_name + strlen(SITE_PREFIX), &end, 10);
        if (pid <= 0 || *end != '-' || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char *path = xasprintf("%s/%s", base, e->d_name);
        remove_tree(path);
        free(path);
    }
    closedir(dir);
}

static void remove_site(void)
{
    remove_tree(site);
    free(site);
    for (size_t i = 0; i < N_FILES; i++) {
        free(fixture[i].data);
        free(current[i].data);
    }
}

/* Sets file i to data (NULL: removes it) when that changes it. */
static void set_file(size_t i, const char *data, size_t len)
{
    content *c = &current[i];
    if (!data && !c->data)
        return;
    if (data && c->data && c->len == len && !memcmp(c->data, data, len))
        return;
    free(c->data);
    c->data = NULL;
    if (data) {
        put_file(files[i], data, len);
        c->data = xstrndup(data, len);
        c->len = len;
    } else {
        drop_file(files[i]);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    /* One reading thread: the same work every run, no thread start-up. */
    setenv("KASIKIRJA_THREADS", "1", 1);
    for (size_t i = 0; i < sizeof bases / sizeof bases[0] && !site; i++) {
        remove_stale(bases[i]);
        char *tmpl = xasprintf("%s/" SITE_PREFIX "%ld-XXXXXX", bases[i], (long)getpid());
        if (mkdtemp(tmpl))
            site = tmpl;
        else
            free(tmpl);
    }
    if (!site) {
        perror("fuzz_model: mkdtemp");
        exit(1);
    }
    char *dir = xasprintf("%s/content", site);
    mkdir(dir, 0755);
    free(dir);
    dir = xasprintf("%s/content/data", site);
    mkdir(dir, 0755);
    free(dir);
    dir = xasprintf("%s/content/data/mallit", site);
    mkdir(dir, 0755);
    free(dir);
    size_t len;
    char *cfg = slurp(FIXTURE "/site.yaml", &len);
    put_file("site.yaml", cfg, len);
    free(cfg);
    for (size_t i = 0; i < N_FILES; i++) {
        char *path = xasprintf("%s/%s", FIXTURE, files[i]);
        fixture[i].data = slurp(path, &fixture[i].len);
        free(path);
    }
    atexit(remove_site);
    return 0;
}

/* Pages: a URL from the root with a trailing slash, a layout, a title. */
static void check_pages(const model *m)
{
    for (size_t i = 0; i < model_page_count(m); i++) {
        const model_page *p = model_page_at(m, i);
        FUZZ_CHECK(p && p->url && p->layout && p->title);
        size_t n = strlen(p->url);
        FUZZ_CHECK(n > 0 && p->url[n - 1] == '/');
    }
}

/* Every id of every list in data, asked for under each link scheme. */
static void check_links(const model *m, const val *data)
{
    static const char *const schemes[] = {"toimija", "malli", "foorumi", "asiakirja", "pykala",
                                          "tuntematon"};
    for (size_t k = 0; k < val_len(data); k++) {
        const val *list = val_at(data, k);
        if (val_kind_of(list) != VAL_LIST)
            continue;
        for (size_t i = 0; i < val_len(list) && i < 16; i++) {
            const char *id = val_get_str(val_at(list, i), "id");
            if (!id)
                continue;
            for (size_t s = 0; s < sizeof schemes / sizeof schemes[0]; s++) {
                const char *url = NULL, *hint = NULL;
                bool known = model_link(m, schemes[s], id, &url, &hint);
                FUZZ_CHECK(known || (!url && s == sizeof schemes / sizeof schemes[0] - 1));
                FUZZ_CHECK(!url || url[0]);
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    size_t at = 0;
    bool more = true; /* a part starts at `at` */
    for (size_t i = 0; i < N_FILES; i++) {
        if (!more) {
            set_file(i, fixture[i].data, fixture[i].len);
            continue;
        }
        const char *sep = at < size ? memchr(in + at, SEPARATOR, size - at) : NULL;
        size_t stop = sep ? (size_t)(sep - in) : size;
        if (stop == at)
            set_file(i, NULL, 0);
        else
            set_file(i, in + at, stop - at);
        more = sep != NULL;
        at = sep ? stop + 1 : size;
    }

    diag_list *d = diag_list_new();
    src_tree *src = src_load(site, d);
    FUZZ_CHECK(src != NULL);
    model *m = model_new(src, d);
    FUZZ_CHECK(m != NULL);
    const val *tree = model_data(m);
    check_pages(m);
    check_links(m, tree);
    for (size_t i = 0; i < model_term_count(m); i++) {
        const char *expl = NULL, *anchor = NULL;
        bool abbr = false;
        FUZZ_CHECK(model_term(m, i, &expl, &abbr, &anchor) != NULL);
    }
    /* The whole tree, references two levels deep (they may form cycles). */
    (void)val_hash(tree, 0, 2);
    /* The annual cycle as the site writes it. */
    buf_t ics = BUF_INIT;
    ical_calendar(val_get(tree, "tapahtumat"), "Vuosikello", "https://example.fi/", "example.fi",
                  2025, "20250101T000000Z", &ics);
    buf_free(&ics);
    fuzz_check_diags(d);
    model_free(m);
    src_free(src);
    diag_list_free(d);
    return 0;
}
