/* frontmatter: '---' YAML '---' then Markdown. */
#include "frontmatter.h"

#include <string.h>

#include "yaml_load.h"

/* Length of the line at p (without its \n or \r\n), and where the next starts. */
static size_t line_len(const char *p, const char *end, const char **next)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *stop = nl ? nl : end;
    *next = nl ? nl + 1 : end;
    if (stop > p && stop[-1] == '\r')
        stop--;
    return (size_t)(stop - p);
}

static bool is_fence(const char *p, size_t n)
{
    /* A fence is "---", trailing spaces allowed. */
    if (n < 3 || memcmp(p, "---", 3) != 0)
        return false;
    for (size_t i = 3; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t')
            return false;
    return true;
}

bool fm_split(const char *src, size_t len, const char *path, fm_page *out, diag_list *d)
{
    memset(out, 0, sizeof *out);
    const char *p = src, *end = src + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    const char *next;
    size_t n = line_len(p, end, &next);
    if (!is_fence(p, n)) {
        diag_error(d, path, 1, 1,
                   "the page has no front matter: start the file with a line '---', then "
                   "'title: Sivun otsikko', then another '---'");
        return false;
    }
    const char *yaml_start = next;
    int line = 2;
    for (p = next; p < end; p = next, line++) {
        n = line_len(p, end, &next);
        if (is_fence(p, n)) {
            val *meta = yaml_load(yaml_start, (size_t)(p - yaml_start), path, 1, d);
            if (!meta)
                return false;
            if (val_kind_of(meta) == VAL_NULL) {
                val_free(meta);
                meta = val_map((src_pos){path, 1, 1});
            }
            if (val_kind_of(meta) != VAL_MAP) {
                src_pos at = val_pos(meta);
                diag_error(d, path, at.line, at.col,
                           "the front matter must be 'key: value' lines (a mapping), not a list or text");
                val_free(meta);
                return false;
            }
            out->meta = meta;
            out->body = next;
            out->body_len = (size_t)(end - next);
            out->body_line_offset = line;
            return true;
        }
    }
    diag_error(d, path, 1, 1, "the front matter is not closed: add a line '---' after its last 'key: value' line");
    return false;
}
