/* init: the starter site of a new region's handbook (see init.h). */
#include "init.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "0-base/slug.h"
#include "0-base/xmem.h"
#include "1-load/theme.h"
#include "5-write/output.h"
#include "schemas.h"

void init_yaml_escape(const char *s, buf_t *out)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\\' || *p == '"') {
            buf_putc(out, '\\');
            buf_putc(out, (char)*p);
        } else if (*p == '\n') {
            buf_puts(out, "\\n");
        } else if (*p == '\t') {
            buf_puts(out, "\\t");
        } else if (*p < 0x20 || *p == 0x7f) {
            buf_printf(out, "\\x%02X", *p);
        } else {
            buf_putc(out, (char)*p);
        }
    }
}

void init_md_escape(const char *s, buf_t *out)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            buf_putc(out, ' ');
        else {
            if (strchr("\\`*_{}[]<>#+!|~&$=^@\"", *p))
                buf_putc(out, '\\');
            buf_putc(out, (char)*p);
        }
    }
}

/* The a–z letter of a Latin-1 letter U+00DF..U+00FF (UTF-8 0xC3 0x9F..0xBF), or 0. */
static char latin1_fold(unsigned char second)
{
    static const char fold[] = "saaaaaaaceeeeiiiidnooooo\0ouuuuyty";
    if (second < 0x9F || second > 0xBF)
        return 0;
    return fold[second - 0x9F];
}

char *init_id(const char *lyhenne)
{
    buf_t s = BUF_INIT, id = BUF_INIT;
    slug_append(lyhenne ? lyhenne : "", &s);
    const unsigned char *p = (const unsigned char *)buf_cstr(&s);
    while (*p) {
        char c = 0;
        size_t n = 1;
        if (*p < 0x80)
            c = (char)*p;
        else {
            n = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;
            if (*p == 0xC3 && p[1])
                c = latin1_fold(p[1]);
            for (size_t i = 1; i < n; i++)
                if (!p[i])
                    n = i;
        }
        p += n;
        if (!c || (c == '-' && (id.len == 0 || id.ptr[id.len - 1] == '-')))
            continue; /* dropped; no dash at the start or twice */
        buf_putc(&id, c);
    }
    while (id.len && id.ptr[id.len - 1] == '-')
        id.ptr[--id.len] = '\0';
    buf_free(&s);
    if (id.len == 0)
        buf_puts(&id, "hva");
    const char *taken = buf_cstr(&id);
    if (!strcmp(taken, "kunnat") || !strcmp(taken, "maakuntaliitto"))
        buf_puts(&id, "-hva");
    return buf_detach(&id);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !memcmp(s + a - b, suffix, b);
}

/* Where a .md file's front matter ends (the offset of its closing "---"
 * line), or 0 when it has none. */
static size_t front_matter_end(const char *text, size_t len)
{
    if (len < 4 || memcmp(text, "---\n", 4) != 0)
        return 0;
    for (size_t i = 3; i + 4 <= len; i++)
        if (text[i] == '\n' && !memcmp(text + i + 1, "---", 3) &&
            (i + 4 == len || text[i + 4] == '\n'))
            return i + 1;
    return 0;
}

char *init_fill(const char *path, const char *text, size_t len, const init_names *n, size_t *out_len)
{
    char *id = init_id(n->lyhenne ? n->lyhenne : INIT_LYHENNE);
    const struct {
        const char *mark, *value;
    } marks[] = {
        {"@ALUE@", n->alue ? n->alue : INIT_ALUE},
        {"@HVA@", n->hva ? n->hva : INIT_HVA},
        {"@LYHENNE@", n->lyhenne ? n->lyhenne : INIT_LYHENNE},
        {"@ID@", id},
    };
    bool yaml_file = ends_with(path, ".yaml") || ends_with(path, ".yaml.txt");
    size_t yaml_until = yaml_file ? len : ends_with(path, ".md") ? front_matter_end(text, len) : 0;
    buf_t out = BUF_INIT;
    for (size_t i = 0; i < len;) {
        size_t m = 0, count = sizeof marks / sizeof marks[0];
        while (m < count && (text[i] != '@' || strncmp(text + i, marks[m].mark, strlen(marks[m].mark))))
            m++;
        if (m == count) {
            buf_putc(&out, text[i++]);
            continue;
        }
        if (i < yaml_until)
            init_yaml_escape(marks[m].value, &out);
        else
            init_md_escape(marks[m].value, &out);
        i += strlen(marks[m].mark);
    }
    free(id);
    *out_len = out.len;
    return buf_detach(&out);
}

/* True (and rel listed in r->skipped) when dir/rel is there already. */
static bool skip_existing(const char *dir, const char *rel, init_result *r)
{
    struct stat st;
    char *abs = xasprintf("%s/%s", dir, rel);
    bool there = lstat(abs, &st) == 0;
    free(abs);
    if (there) {
        r->skipped = xrealloc(r->skipped, (r->n_skipped + 1) * sizeof(char *));
        r->skipped[r->n_skipped++] = xstrdup(rel);
    }
    return there;
}

bool init_run(const char *dir, const init_names *n, bool force, init_result *r, diag_list *d)
{
    *r = (init_result){0};
    struct stat st;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        diag_error(d, dir, 0, 0, "this is a file, not a folder: give the folder to write the new site into");
        return false;
    }
    if (!force && !out_folder_empty(dir)) {
        diag_error(d, dir, 0, 0,
                   "the folder is not empty, so no site was written into it (give another folder, or "
                   "--force to write only the files that are missing: no file is ever replaced)");
        return false;
    }
    size_t pre = strlen(THEME_STARTER);
    for (size_t i = 0; i < theme_count(); i++) {
        const theme_file *f = theme_at(i);
        if (strncmp(f->path, THEME_STARTER, pre) != 0)
            continue;
        const char *rel = f->path + pre;
        if (skip_existing(dir, rel, r))
            continue;
        size_t len;
        char *text = init_fill(rel, (const char *)f->data, f->len, n, &len);
        r->written += out_create(dir, rel, text, len, d);
        free(text);
    }
    /* The JSON Schemas, which the starter's YAML files name on their first line. */
    for (size_t i = 0; i < schemas_count(); i++) {
        char *rel = xasprintf(SCHEMAS_DIR "/%s" SCHEMAS_SUFFIX, schemas_name(i));
        if (!skip_existing(dir, rel, r)) {
            buf_t json = BUF_INIT;
            schemas_json(i, &json);
            r->written += out_create(dir, rel, json.ptr, json.len, d);
            buf_free(&json);
        }
        free(rel);
    }
    return diag_errors(d) == 0;
}

void init_result_free(init_result *r)
{
    for (size_t i = 0; i < r->n_skipped; i++)
        free(r->skipped[i]);
    free(r->skipped);
    *r = (init_result){0};
}
