/* test_incremental: serve's builds (incremental with the cache, and the
 * one-page patch) give byte for byte what a clean full build gives.
 *
 * render_page_sig must hash everything render_page reads; an input read
 * but not hashed is a stale page in `kasikirja serve`. This suite explores
 * instead of checking hand-picked cases: a copy of the repo's handbook gets
 * random edits of every kind of source (data fields, page text and front
 * matter, layouts and partials, diagrams, hooks, site.yaml, pages added and
 * removed), each one kept valid, and after each edit serve's build of the
 * kept cache is compared with a fresh full build, file by file. Serve is
 * told the saved file three times in four (so page text goes the one-page
 * patch's way), and now and then not (a build with the cache that reads
 * everything). Both builds share the site's diagram cache (outside the
 * sources, keyed by the site's path and by the DOT text): a fresh one each
 * time would lay out every chart again, minutes under ASan.
 *
 * KK_EQUIV_EDITS sets the number of edits (default 40, `make equiv-long`
 * runs 400), KK_EQUIV_SEED the seed (default fixed); a failure names both
 * and the edit. KK_EQUIV_KEEP_GOING=1 reports every difference (the cache
 * is started afresh after each) instead of stopping at the first. */
#include <check.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../generator/0-base/buf.h"
#include "../generator/build.h"
#include "testutil.h"

/* Edits in `make unit` (under ASan: a few minutes); `make equiv-long` runs 400. */
#define EDITS_DEFAULT 40

/* {====== A seeded generator (splitmix64: the same sequence everywhere) ====== */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A number in [0, n); n > 0. */
static size_t rng_below(size_t n)
{
    return (size_t)(rng_next() % n);
}

/* } */

/* {====== Editing the sources as text ====== */

typedef struct {
    char *root;         /* the temp folder: src/, a/ (serve's output), b/ (the full build's) */
    char *src;
    char *added[64];    /* pages this run added (relative to src), removable again */
    size_t n_added;
    char desc[512];     /* what the last edit did, for failure messages */
    char changed[256];  /* the one file it touched (relative to src) */
    char *detached[16]; /* data parts (layouts/X-tiedot.mustache) no layout includes now */
    size_t n_detached;
    bool removed;
} edit_ctx;

static char *read_src(edit_ctx *e, const char *rel)
{
    char *text = tu_read(e->src, rel);
    ck_assert_msg(text != NULL, "cannot read %s", rel);
    return text;
}

/* Writes text to rel and notes it as the edit's file. */
static void write_src(edit_ctx *e, const char *rel, const char *text)
{
    tu_write(e->src, rel, text);
    snprintf(e->changed, sizeof e->changed, "%s", rel);
}

/* The files of folder rel (relative to src) whose names end in suffix, sorted
 * (the order must not depend on the file system). Caller frees each and the array. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **list_files(edit_ctx *e, const char *rel, const char *suffix, size_t *n)
{
    char *path = xasprintf("%s/%s", e->src, rel);
    DIR *d = opendir(path);
    char **out = NULL;
    *n = 0;
    if (!d) { /* content/ohjeet/ holds only the pages this run added to the built-in guide */
        free(path);
        return NULL;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name), sl = strlen(suffix);
        if (de->d_name[0] == '.' || len <= sl || strcmp(de->d_name + len - sl, suffix))
            continue;
        out = xrealloc(out, (*n + 1) * sizeof *out);
        out[(*n)++] = xasprintf("%s/%s", rel, de->d_name);
    }
    closedir(d);
    free(path);
    qsort(out, *n, sizeof *out, cmp_str);
    return out;
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

static char *pick_file(edit_ctx *e, const char *dir, const char *suffix)
{
    size_t n;
    char **l = list_files(e, dir, suffix, &n);
    ck_assert_uint_gt(n, 0);
    char *r = xstrdup(l[rng_below(n)]);
    free_list(l, n);
    return r;
}

/* The end of the front matter of a page's text (the offset just after its
 * closing "---" line), 0 when there is none. */
static size_t front_matter_end(const char *text)
{
    if (strncmp(text, "---\n", 4))
        return 0;
    const char *end = strstr(text + 4, "\n---");
    return end ? (size_t)(end - text) + 1 : 0;
}

/* Offsets in [from, to) of the values of YAML lines "<indent>key: value"
 * whose value is a plain or double-quoted scalar on that line. */
static size_t find_values(const char *text, size_t from, size_t to, const char *key, size_t *at, size_t max)
{
    size_t n = 0, kl = strlen(key);
    for (size_t i = from; i < to && n < max; i++) {
        if (i > 0 && text[i - 1] != '\n')
            continue;
        size_t j = i;
        while (text[j] == ' ' || text[j] == '-')
            j++;
        if (strncmp(text + j, key, kl) || strncmp(text + j + kl, ": ", 2))
            continue;
        size_t v = j + kl + 2;
        char c = text[v];
        if (c == '\n' || c == '\0' || c == '|' || c == '>' || c == '\'' || c == '[' || c == '{' || c == '&' ||
            c == '*')
            continue;
        at[n++] = v;
    }
    return n;
}

/* Appends " word" to the value that starts at v (inside the quotes when quoted). */
static char *append_to_value(const char *text, size_t v, const char *word)
{
    size_t eol = v + strcspn(text + v, "\n");
    size_t at = eol;
    if (text[v] == '"') {
        at = v + 1;
        while (at < eol && text[at] != '"')
            at += text[at] == '\\' ? 2 : 1;
    } else {
        const char *hash = strstr(text + v, " #");
        if (hash && (size_t)(hash - text) < eol)
            at = (size_t)(hash - text);
    }
    return xasprintf("%.*s %s%s", (int)at, text, word, text + at);
}

/* Appends word to a random "key:" value of rel (in its front matter when a page); false when it has none. */
static bool edit_value(edit_ctx *e, const char *rel, const char *key, const char *word)
{
    char *text = read_src(e, rel);
    size_t len = strlen(text), from = 0, to = len;
    if (strstr(rel, ".md")) {
        to = front_matter_end(text);
        from = 4;
    }
    size_t at[512];
    size_t n = find_values(text, from, to, key, at, 512);
    if (n == 0) {
        free(text);
        return false;
    }
    size_t k = rng_below(n);
    char *changed = append_to_value(text, at[k], word);
    write_src(e, rel, changed);
    snprintf(e->desc, sizeof e->desc, "%s: %s number %zu of %zu gets '%s'", rel, key, k + 1, n, word);
    free(changed);
    free(text);
    return true;
}

/* Sets a random "key:" value of rel to one of values (a different one). */
static bool set_value(edit_ctx *e, const char *rel, const char *key, const char *const *values, size_t nv)
{
    char *text = read_src(e, rel);
    size_t at[512];
    size_t n = find_values(text, 0, strlen(text), key, at, 512);
    if (n == 0) {
        free(text);
        return false;
    }
    size_t k = rng_below(n), v = at[k], eol = v + strcspn(text + v, "\n");
    const char *to = values[rng_below(nv)];
    if (strlen(to) == eol - v && !strncmp(text + v, to, eol - v))
        to = values[(size_t)(to == values[0])]; /* another one */
    char *changed = xasprintf("%.*s%s%s", (int)v, text, to, text + eol);
    write_src(e, rel, changed);
    snprintf(e->desc, sizeof e->desc, "%s: %s number %zu of %zu set to '%s'", rel, key, k + 1, n, to);
    free(changed);
    free(text);
    return true;
}

/* Inserts word after a random occurrence of needle in rel. */
static bool insert_after(edit_ctx *e, const char *rel, const char *needle, const char *word)
{
    char *text = read_src(e, rel);
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
        n++;
    if (n == 0) {
        free(text);
        return false;
    }
    size_t k = rng_below(n);
    const char *p = text;
    for (size_t i = 0;; i++, p++) {
        p = strstr(p, needle);
        if (i == k)
            break;
    }
    size_t at = (size_t)(p - text) + strlen(needle);
    char *changed = xasprintf("%.*s%s%s", (int)at, text, word, text + at);
    write_src(e, rel, changed);
    snprintf(e->desc, sizeof e->desc, "%s: '%s' after occurrence %zu of %zu of '%s'", rel, word, k + 1, n, needle);
    free(changed);
    free(text);
    return true;
}

/* A content page: one of the handbook's Markdown pages or one this run added. */
static char *pick_page(edit_ctx *e)
{
    size_t n_sect;
    /* content/ and its sections */
    size_t n;
    char **top = list_files(e, "content", ".md", &n);
    char *dirs[] = {"content/asiakirjat", "content/johtaminen", "content/lainsaadanto", "content/neuvottelut",
                    "content/painopisteet", "content/perehdytys", "content/saavutettavuus",
                    "content/sanasto", "content/toimijat", "content/vastuunjako", "content/vuosikello",
                    "content/yhteistyorakenne"};
    n_sect = sizeof dirs / sizeof *dirs;
    for (size_t i = 0; i < n_sect; i++) {
        size_t m;
        char **l = list_files(e, dirs[i], ".md", &m);
        top = xrealloc(top, (n + m) * sizeof *top);
        if (m)
            memcpy(top + n, l, m * sizeof *l);
        n += m;
        free(l);
    }
    char *r = xstrdup(top[rng_below(n)]);
    free_list(top, n);
    return r;
}

/* The last two are folders without an index page: generated section pages
 * that come and go with their pages (E_SECTION_FILE names one). */
static const char *const sections[] = {"content/ohjeet", "content/perehdytys", "content/neuvottelut",
                                       "content/lainsaadanto", "content/johtaminen", "content/vastuunjako",
                                       "content/perehdytys/kansio", "content/uusi-osa"};

static const char *const frequencies[] = {"1/vuosi", "1-2/vuosi", "tarvittaessa", "12/vuosi", "6-8/vuosi",
                                          "1/valtuustokausi"};

/* Text a page body may gain: plain words, a heading (anchors, contents), a
 * glossary term (linked from the text), entity links. */
static const char *const paragraphs[] = {
    "Lisätty kappale %s.",
    "## Uusi otsikko %s",
    "Aluevaltuusto käsittelee asian %s.",
    "Katso [Siun sote](toimija:siun-sote) ja %s.",
    "Foorumi [operatiivinen yhteistyö](foorumi:pk-2021/operatiivinen-yhteistyo) %s.",
    "- kohta %s\n- toinen kohta",
};

typedef enum {
    E_FORUM_NAME,
    E_FORUM_FREQ,
    E_PARTY_NAME,
    E_TERM,
    E_TERM_TEXT,
    E_BODY,
    E_TITLE,
    E_WEIGHT,
    E_LAYOUT,
    E_PARTIAL,
    E_DIAGRAM,
    E_HOOK,
    E_SITE,
    E_ADD_PAGE,
    E_REMOVE_PAGE,
    E_DATA_NAME,
    E_DESCRIPTION,
    E_BOOKLET_FLAG,
    E_STATIC,
    E_DETACH_PARTIAL,
    E_SECTION_FILE,
    E_KINDS
} edit_kind;

/* Each kind's share of the edits: page text most often, as in real use
 * (and the kind serve patches). */
static const unsigned kind_weight[E_KINDS] = {
    [E_FORUM_NAME] = 3, [E_FORUM_FREQ] = 2, [E_PARTY_NAME] = 3, [E_TERM] = 1,   [E_TERM_TEXT] = 2,
    [E_BODY] = 8,       [E_TITLE] = 3,      [E_WEIGHT] = 2,     [E_LAYOUT] = 2, [E_PARTIAL] = 2,
    [E_DIAGRAM] = 2,    [E_HOOK] = 2,       [E_SITE] = 1,       [E_ADD_PAGE] = 2, [E_REMOVE_PAGE] = 1,
    [E_DATA_NAME] = 2,  [E_DESCRIPTION] = 1, [E_BOOKLET_FLAG] = 2, [E_STATIC] = 1,
    [E_DETACH_PARTIAL] = 1, [E_SECTION_FILE] = 1,
};

static edit_kind pick_kind(void)
{
    unsigned total = 0;
    for (int k = 0; k < E_KINDS; k++)
        total += kind_weight[k];
    unsigned r = (unsigned)rng_below(total);
    for (int k = 0; k < E_KINDS; k++) {
        if (r < kind_weight[k])
            return (edit_kind)k;
        r -= kind_weight[k];
    }
    return E_BODY;
}

/* Applies one random edit numbered n; word is unique to it. */
static void apply_edit(edit_ctx *e, size_t n)
{
    char word[32];
    snprintf(word, sizeof word, "Muutos%zu", n);
    e->removed = false;
    e->changed[0] = '\0';
    bool done = false;
    while (!done) {
        edit_kind k = pick_kind();
        char *f = NULL;
        switch (k) {
        case E_FORUM_NAME:
            f = pick_file(e, "content/data/mallit", ".yaml");
            done = edit_value(e, f, "nimi", word);
            break;
        case E_FORUM_FREQ:
            f = pick_file(e, "content/data/mallit", ".yaml");
            done = set_value(e, f, "tiheys", frequencies, sizeof frequencies / sizeof *frequencies);
            break;
        case E_PARTY_NAME:
            done = edit_value(e, "content/data/toimijat.yaml", "nimi", word);
            break;
        case E_TERM:
            done = edit_value(e, "content/data/sanasto.yaml", "termi", word);
            break;
        case E_TERM_TEXT:
            done = edit_value(e, "content/data/sanasto.yaml", "selitys", word);
            break;
        case E_BODY: {
            f = pick_page(e);
            char *text = read_src(e, f);
            const char *para = paragraphs[rng_below(sizeof paragraphs / sizeof *paragraphs)];
            char *line = xasprintf(para, word);
            size_t len = strlen(text);
            char *changed = xasprintf("%s%s\n%s\n", text, len && text[len - 1] == '\n' ? "" : "\n", line);
            write_src(e, f, changed);
            snprintf(e->desc, sizeof e->desc, "%s: appended '%s'", f, line);
            free(changed);
            free(line);
            free(text);
            done = true;
            break;
        }
        case E_TITLE:
            f = pick_page(e);
            done = edit_value(e, f, "title", word);
            break;
        case E_WEIGHT: {
            f = pick_page(e);
            char *text = read_src(e, f);
            size_t at[4];
            size_t end = front_matter_end(text);
            size_t nw = end ? find_values(text, 4, end, "weight", at, 4) : 0;
            int w = (int)rng_below(300);
            char *changed = NULL;
            if (nw) {
                size_t eol = at[0] + strcspn(text + at[0], "\n");
                changed = xasprintf("%.*s%d%s", (int)at[0], text, w, text + eol);
            } else if (end) {
                changed = xasprintf("---\nweight: %d\n%s", w, text + 4);
            }
            if (changed) {
                write_src(e, f, changed);
                snprintf(e->desc, sizeof e->desc, "%s: weight %d", f, w);
                done = true;
            }
            free(changed);
            free(text);
            break;
        }
        case E_LAYOUT:
        case E_PARTIAL: {
            /* Partials: those layouts include, and the data parts (X-tiedot)
             * that booklets include too. */
            static const char *const partials[] = {"layouts/viite.mustache", "layouts/kattavuus.mustache"};
            size_t r = rng_below(4);
            f = k == E_LAYOUT                 ? pick_file(e, "layouts", ".mustache")
                : r == 0 && e->n_detached ? xstrdup(e->detached[rng_below(e->n_detached)])
                : r < 2                   ? xstrdup(partials[rng_below(sizeof partials / sizeof *partials)])
                                          : pick_file(e, "layouts", "-tiedot.mustache");
            char *text = read_src(e, f);
            size_t len = strlen(text);
            while (len && text[len - 1] == '\n')
                len--;
            char *changed = xasprintf("%.*s %s%s", (int)len, text, word, text + len);
            write_src(e, f, changed);
            snprintf(e->desc, sizeof e->desc, "%s: '%s' at the end", f, word);
            free(changed);
            free(text);
            done = true;
            break;
        }
        case E_DIAGRAM:
            f = pick_file(e, "diagrams", ".yaml");
            done = edit_value(e, f, "otsikko", word);
            break;
        case E_HOOK: {
            char *w = xasprintf("%s ", word);
            if (rng_below(2))
                done = insert_after(e, "layouts/hooks/10-kunnat.lua", "add(\"#", w) ||
                       insert_after(e, "layouts/hooks/10-kunnat.lua", "add(\"", w);
            else
                done = insert_after(e, "layouts/hooks/20-vienti.lua", "{ \"", w);
            free(w);
            break;
        }
        case E_SITE:
            done = edit_value(e, "site.yaml", "title", word);
            break;
        case E_ADD_PAGE: {
            if (e->n_added == sizeof e->added / sizeof *e->added)
                break;
            const char *sect = sections[rng_below(sizeof sections / sizeof *sections)];
            char *rel = xasprintf("%s/uusi-%zu.md", sect, n);
            char *text = xasprintf("---\ntitle: Uusi sivu %s\nweight: %zu\n---\nUuden sivun teksti, "
                                   "jossa Aluevaltuusto mainitaan.\n\n## Väliotsikko\n\nLoppu.\n",
                                   word, rng_below(300));
            write_src(e, rel, text);
            snprintf(e->desc, sizeof e->desc, "%s: added", rel);
            e->added[e->n_added++] = rel;
            free(text);
            done = true;
            break;
        }
        case E_SECTION_FILE: { /* a folder's title: read when the folder has pages and no index page */
            const char *folder = sections[sizeof sections / sizeof *sections - 1 - rng_below(2)];
            char *rel = xasprintf("%s/_sektio.yaml", folder);
            char *text = xasprintf("otsikko: Kansio %s\nkuvaus: Sivuja aiheesta %s.\npaino: %zu\n", word, word,
                                   rng_below(20));
            write_src(e, rel, text);
            snprintf(e->desc, sizeof e->desc, "%s: title %s", rel, word);
            free(text);
            free(rel);
            done = true;
            break;
        }
        case E_REMOVE_PAGE: {
            if (!e->n_added)
                break;
            size_t i = rng_below(e->n_added);
            char *rel = e->added[i];
            e->added[i] = e->added[--e->n_added];
            char *path = xasprintf("%s/%s", e->src, rel);
            ck_assert_int_eq(unlink(path), 0);
            free(path);
            snprintf(e->changed, sizeof e->changed, "%s", rel);
            snprintf(e->desc, sizeof e->desc, "%s: removed", rel);
            e->removed = true;
            free(rel);
            done = true;
            break;
        }
        case E_DATA_NAME: {
            static const char *const files[] = {"content/data/vuosikello.yaml", "content/data/asiakirjat.yaml",
                                                "content/data/lait.yaml", "content/data/vastuunjako.yaml"};
            done = edit_value(e, files[rng_below(sizeof files / sizeof *files)], "nimi", word);
            break;
        }
        case E_DESCRIPTION:
            f = pick_page(e);
            done = edit_value(e, f, "description", word);
            break;
        case E_BOOKLET_FLAG: {
            /* A page's booklet of its own, or the page left out of the whole
             * handbook's: on when off, off when on. */
            static const char *const flags[] = {"kirjanen: true\n", "kirjaan: false\n"};
            const char *flag = flags[rng_below(2)];
            f = pick_page(e);
            char *text = read_src(e, f);
            size_t end = front_matter_end(text);
            char *hit = strstr(text, flag);
            char *changed = NULL;
            if (hit && (size_t)(hit - text) < end && hit[-1] == '\n')
                changed = xasprintf("%.*s%s", (int)(hit - text), text, hit + strlen(flag));
            else if (end && !hit)
                changed = xasprintf("---\n%s%s", flag, text + 4);
            if (changed) {
                write_src(e, f, changed);
                snprintf(e->desc, sizeof e->desc, "%s: %s %.*s", f, hit ? "without" : "with",
                         (int)strlen(flag) - 1, flag);
                done = true;
            }
            free(changed);
            free(text);
            break;
        }
        case E_STATIC: {
            char *text = read_src(e, "layouts/static/tyyli.css");
            char *changed = xasprintf("%s/* %s */\n", text, word);
            write_src(e, "layouts/static/tyyli.css", changed);
            snprintf(e->desc, sizeof e->desc, "layouts/static/tyyli.css: a comment %s", word);
            free(changed);
            free(text);
            done = true;
            break;
        }
        case E_DETACH_PARTIAL: {
            /* A layout stops including its data part (X-tiedot): its pages no
             * longer show it, the booklets still do. */
            f = pick_file(e, "layouts", "-tiedot.mustache");
            char *layout = xasprintf("%.*s.mustache", (int)(strlen(f) - strlen("-tiedot.mustache")), f);
            char *tag = xasprintf("{{>%.*s}}", (int)(strlen(f) - strlen("layouts/.mustache")),
                                  f + strlen("layouts/"));
            char *text = read_src(e, layout);
            char *hit = strstr(text, tag);
            if (hit) {
                char *changed = xasprintf("%.*s%s", (int)(hit - text), text, hit + strlen(tag));
                write_src(e, layout, changed);
                snprintf(e->desc, sizeof e->desc, "%s: without %s", layout, tag);
                if (e->n_detached < sizeof e->detached / sizeof *e->detached)
                    e->detached[e->n_detached++] = xstrdup(f);
                free(changed);
                done = true;
            }
            free(text);
            free(tag);
            free(layout);
            break;
        }
        default:
            break;
        }
        free(f);
    }
}

/* } */

/* {====== Comparing two output folders ====== */

static void list_tree(const char *root, const char *rel, char ***out, size_t *n)
{
    char *path = rel[0] ? xasprintf("%s/%s", root, rel) : xstrdup(root);
    DIR *d = opendir(path);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char *crel = rel[0] ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
        char *cpath = xasprintf("%s/%s", root, crel);
        struct stat st;
        if (lstat(cpath, &st) == 0 && S_ISDIR(st.st_mode)) {
            list_tree(root, crel, out, n);
            free(crel);
        } else {
            *out = xrealloc(*out, (*n + 1) * sizeof **out);
            (*out)[(*n)++] = crel;
        }
        free(cpath);
    }
    if (d)
        closedir(d);
    free(path);
}

static char *read_all(const char *root, const char *rel, size_t *len)
{
    char *path = xasprintf("%s/%s", root, rel);
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f)
        return NULL;
    buf_t b = BUF_INIT;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, got);
    fclose(f);
    *len = b.len;
    return b.ptr ? buf_detach(&b) : xstrdup("");
}

/* NULL when folders a and b hold the same files with the same bytes; else
 * a description of the first difference (caller frees). */
static char *compare_trees(const char *a, const char *b)
{
    char **fa = NULL, **fb = NULL;
    size_t na = 0, nb = 0;
    list_tree(a, "", &fa, &na);
    list_tree(b, "", &fb, &nb);
    qsort(fa, na, sizeof *fa, cmp_str);
    qsort(fb, nb, sizeof *fb, cmp_str);
    char *why = NULL;
    size_t i = 0, j = 0;
    while (!why && (i < na || j < nb)) {
        int c = i == na ? 1 : j == nb ? -1 : strcmp(fa[i], fb[j]);
        if (c < 0) {
            why = xasprintf("%s is in serve's output only", fa[i]);
        } else if (c > 0) {
            why = xasprintf("%s is in the full build's output only", fb[j]);
        } else {
            size_t la, lb;
            char *ta = read_all(a, fa[i], &la), *tb = read_all(b, fb[j], &lb);
            size_t k = 0;
            while (k < la && k < lb && ta[k] == tb[k])
                k++;
            if (k < la || k < lb) {
                size_t from = k > 60 ? k - 60 : 0;
                size_t ea = la - from < 160 ? la - from : 160, eb = lb - from < 160 ? lb - from : 160;
                why = xasprintf("%s differs at byte %zu:\n  serve: …%.*s…\n  full:  …%.*s…", fa[i], k, (int)ea,
                                ta + from, (int)eb, tb + from);
            }
            free(ta);
            free(tb);
            i++;
            j++;
        }
    }
    free_list(fa, na);
    free_list(fb, nb);
    return why;
}

/* } */

static size_t env_size(const char *name, size_t dflt)
{
    const char *v = getenv(name);
    return v && *v ? (size_t)strtoull(v, NULL, 10) : dflt;
}

static char *diag_text(const diag_list *d)
{
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < diag_count(d) && i < 5; i++) {
        char *s = tu_diag(d, i);
        buf_printf(&b, "\n  %s", s);
        free(s);
    }
    return b.ptr ? buf_detach(&b) : xstrdup("");
}

/* A clean full build of e's sources into b/ (no cache, a fresh folder). */
static void full_build(edit_ctx *e, const char *out, uint64_t seed, size_t n)
{
    char *cmd = xasprintf("rm -rf '%s'", out);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    build_options o = {.src_dir = e->src, .out_dir = out, .write = true};
    build_stats st;
    diag_list *d = diag_list_new();
    bool ok = build_run(&o, d, &st);
    char *msg = diag_text(d);
    ck_assert_msg(ok, "seed %" PRIu64 ", edit %zu (%s): the full build failed:%s", seed, n, e->desc, msg);
    free(msg);
    diag_list_free(d);
}

START_TEST(test_serve_builds_equal_full_builds_after_random_edits)
{
    uint64_t seed = env_size("KK_EQUIV_SEED", 17);
    size_t edits = env_size("KK_EQUIV_EDITS", EDITS_DEFAULT);
    bool keep_going = env_size("KK_EQUIV_KEEP_GOING", 0) != 0;
    rng_state = seed;
    printf("incremental: seed %" PRIu64 ", %zu edits\n", seed, edits);
    fflush(stdout);

    /* The handbook's files are dated by their mtimes (now), clamped to a
     * fixed day: a build just after midnight cannot redate pages. */
    setenv("SOURCE_DATE_EPOCH", "1767225600", 1); /* 2026-01-01 */
    edit_ctx e = {.root = tu_tmpdir()};
    e.src = xasprintf("%s/src", e.root);
    char *a = xasprintf("%s/a", e.root), *b = xasprintf("%s/b", e.root);
    char *cmd = xasprintf("mkdir '%s' && cp -r site.yaml content layouts diagrams '%s'/", e.src, e.src);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    snprintf(e.desc, sizeof e.desc, "none: the first build");
    /* The handbook's hooks make pages of text only: one more makes a page
     * whose data refers into the site's data, read through by its layout. */
    write_src(&e, "layouts/hooks/30-koe.lua",
              "kasikirja.page{ path = \"koe/\", title = \"Koe\", layout = \"koe\", markdown = \"Koe.\",\n"
              "  data = { t = kasikirja.data.toimija[\"pk-kunnat\"] } }\n");
    write_src(&e, "layouts/koe.mustache",
              "<p>{{#page.data.t}}{{nimi}}: {{#kutsuu}}{{nimi}} {{tiheys_teksti}}; {{/kutsuu}}"
              "{{#osallistuu}}{{nimi}}; {{/osallistuu}}{{/page.data.t}}</p>\n");

    build_cache *c = build_cache_new();
    build_options o = {.src_dir = e.src, .out_dir = a, .write = true, .cache = c};
    build_stats st;
    diag_list *d = diag_list_new();
    ck_assert(build_run(&o, d, &st));
    size_t failures = 0, patched = 0;
    for (size_t n = 1; n <= edits; n++) {
        apply_edit(&e, n);
        /* Serve passes the saved file (and may patch just that page); now and
         * then it does not know what changed (its first build, lost events). */
        const char *changed[] = {e.changed};
        bool told = rng_below(4) != 0;
        o.changed = told ? changed : NULL;
        o.n_changed = told ? 1 : 0;
        diag_list_free(d);
        d = diag_list_new();
        bool ok = build_run(&o, d, &st);
        char *msg = diag_text(d);
        ck_assert_msg(ok, "seed %" PRIu64 ", edit %zu (%s): serve's build failed:%s", seed, n, e.desc, msg);
        free(msg);
        if (told && st.rendered < 4 && st.layouts == 0)
            patched++; /* roughly: the one-page patch, or nothing to do */
        full_build(&e, b, seed, n);
        char *why = compare_trees(a, b);
        if (n % 50 == 0) {
            printf("incremental: %zu edits compared\n", n);
            fflush(stdout);
        }
        if (why) {
            failures++;
            fprintf(stderr, "incremental: seed %" PRIu64 ", edit %zu (%s, %s): %s\n", seed, n, e.desc,
                    told ? "told the file" : "not told", why);
            ck_assert_msg(keep_going, "seed %" PRIu64 ", edit %zu (%s): serve's output is not the full build's: %s",
                          seed, n, e.desc, why);
            free(why);
            /* Start serve afresh, so the next difference is the next edit's. */
            build_cache_free(c);
            c = build_cache_new();
            o.cache = c;
            o.changed = NULL;
            o.n_changed = 0;
            ck_assert(build_run(&o, d, &st));
        }
    }
    printf("incremental: %zu edits, %zu built small (patched or unchanged), %zu differences\n", edits, patched,
           failures);
    ck_assert_uint_eq(failures, 0);
    build_cache_free(c);
    diag_list_free(d);
    for (size_t i = 0; i < e.n_added; i++)
        free(e.added[i]);
    for (size_t i = 0; i < e.n_detached; i++)
        free(e.detached[i]);
    free(a);
    free(b);
    free(e.src);
    tu_rmdir(e.root);
}
END_TEST

/* Booklets render each chapter's data part (layouts/X-tiedot for a page of
 * layout X) whether or not X includes it: an edit of the partial must reach
 * the booklets even when no page shows it. (The
 * booklet's fingerprint hashed only its pages', and so missed the partial;
 * the walk found it once it could detach a data part from its layout.) */
START_TEST(test_serve_redraws_booklets_when_a_data_part_only_they_show_changes)
{
    setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
    edit_ctx e = {.root = tu_tmpdir()};
    e.src = xasprintf("%s/src", e.root);
    char *a = xasprintf("%s/a", e.root), *b = xasprintf("%s/b", e.root);
    char *cmd = xasprintf("mkdir '%s' && cp -r site.yaml content layouts diagrams '%s'/", e.src, e.src);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    char *layout = read_src(&e, "layouts/sanasto.mustache");
    char *hit = strstr(layout, "{{>sanasto-tiedot}}");
    ck_assert_ptr_nonnull(hit);
    char *without = xasprintf("%.*s%s", (int)(hit - layout), layout, hit + strlen("{{>sanasto-tiedot}}"));
    write_src(&e, "layouts/sanasto.mustache", without);
    build_cache *c = build_cache_new();
    build_options o = {.src_dir = e.src, .out_dir = a, .write = true, .cache = c};
    build_stats st;
    diag_list *d = diag_list_new();
    ck_assert(build_run(&o, d, &st));
    char *part = read_src(&e, "layouts/sanasto-tiedot.mustache");
    char *changed = xasprintf("%sVain kirjassa.\n", part);
    write_src(&e, "layouts/sanasto-tiedot.mustache", changed);
    const char *saved[] = {"layouts/sanasto-tiedot.mustache"};
    o.changed = saved;
    o.n_changed = 1;
    ck_assert(build_run(&o, d, &st));
    char *booklet = tu_read(a, "tulosta/index.html");
    ck_assert_ptr_nonnull(strstr(booklet, "Vain kirjassa."));
    full_build(&e, b, 0, 1);
    char *why = compare_trees(a, b);
    ck_assert_msg(why == NULL, "%s", why);
    free(booklet);
    free(changed);
    free(part);
    free(without);
    free(layout);
    build_cache_free(c);
    diag_list_free(d);
    free(a);
    free(b);
    free(e.src);
    tu_rmdir(e.root);
}
END_TEST

/* A hook's page may carry references to the site's data (page.data); its
 * layout reads through them as an entity page's does through its entity, and
 * the fingerprint must follow them as far (the names of the forums a party
 * convenes, here). */
START_TEST(test_serve_redraws_a_hook_page_whose_data_names_what_changed)
{
    setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
    edit_ctx e = {.root = tu_tmpdir()};
    e.src = xasprintf("%s/src", e.root);
    char *a = xasprintf("%s/a", e.root), *b = xasprintf("%s/b", e.root);
    char *cmd = xasprintf("mkdir '%s' && cp -r site.yaml content layouts diagrams '%s'/", e.src, e.src);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    write_src(&e, "layouts/hooks/30-syva.lua",
              "kasikirja.page{ path = \"syva/\", title = \"Syvä\", layout = \"syva\", markdown = \"Teksti.\",\n"
              "  data = { t = kasikirja.data.toimija[\"pk-kunnat\"] } }\n");
    write_src(&e, "layouts/syva.mustache",
              "<p>{{#page.data.t}}{{nimi}} kutsuu: {{#kutsuu}}{{nimi}}; {{/kutsuu}}{{/page.data.t}}</p>\n");
    build_cache *c = build_cache_new();
    build_options o = {.src_dir = e.src, .out_dir = a, .write = true, .cache = c};
    build_stats st;
    diag_list *d = diag_list_new();
    bool ok = build_run(&o, d, &st);
    char *msg = diag_text(d);
    ck_assert_msg(ok, "%s", msg);
    free(msg);
    char *html = tu_read(a, "syva/index.html");
    ck_assert_ptr_nonnull(strstr(html, "Operatiivinen yhteistyö; "));
    free(html);
    char *text = read_src(&e, "content/data/mallit/pk-2021.yaml");
    char *hit = strstr(text, "nimi: Operatiivinen yhteistyö\n");
    ck_assert_ptr_nonnull(hit);
    char *changed = xasprintf("%.*snimi: Operatiivinen yhteistyö ja seuranta%s", (int)(hit - text), text,
                              hit + strlen("nimi: Operatiivinen yhteistyö"));
    write_src(&e, "content/data/mallit/pk-2021.yaml", changed);
    const char *saved[] = {"content/data/mallit/pk-2021.yaml"};
    o.changed = saved;
    o.n_changed = 1;
    ck_assert(build_run(&o, d, &st));
    html = tu_read(a, "syva/index.html");
    ck_assert_ptr_nonnull(strstr(html, "Operatiivinen yhteistyö ja seuranta; "));
    full_build(&e, b, 0, 1);
    char *why = compare_trees(a, b);
    ck_assert_msg(why == NULL, "%s", why);
    free(html);
    free(changed);
    free(text);
    build_cache_free(c);
    diag_list_free(d);
    free(a);
    free(b);
    free(e.src);
    tu_rmdir(e.root);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("incremental");
    TCase *tc = tcase_create("equivalence");
    /* A watchdog for a hung build only (stretched 20 times by `make unit`),
     * far past what any number of edits takes. */
    tcase_set_timeout(tc, 120.0 + 15.0 * (double)env_size("KK_EQUIV_EDITS", EDITS_DEFAULT));
    tcase_add_test(tc, test_serve_builds_equal_full_builds_after_random_edits);
    tcase_add_test(tc, test_serve_redraws_booklets_when_a_data_part_only_they_show_changes);
    tcase_add_test(tc, test_serve_redraws_a_hook_page_whose_data_names_what_changed);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
