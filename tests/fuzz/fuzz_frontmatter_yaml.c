/* fuzz_frontmatter_yaml: the front-matter splitter and the YAML loader on arbitrary bytes. */
#include "fuzz.h"

#include "../../generator/0-base/value.h"
#include "../../generator/1-load/frontmatter.h"
#include "../../generator/1-load/yaml_load.h"

#define LINE_OFFSET 3

/* Checks every position in the tree (1-based, from min_line on) and
 * exercises the accessors a layout uses. */
static void walk(const val *v, int min_line, int depth)
{
    src_pos at = val_pos(v);
    FUZZ_CHECK(at.line == 0 || (at.line >= min_line && at.col >= 1));
    switch (val_kind_of(v)) {
    case VAL_STR:
        FUZZ_CHECK(val_as_str(v) != NULL);
        FUZZ_CHECK(strlen(val_as_str(v)) <= val_str_len(v));
        break;
    case VAL_LIST:
        for (size_t i = 0; i < val_len(v); i++)
            walk(val_at(v, i), min_line, depth + 1);
        break;
    case VAL_MAP:
        for (size_t i = 0; i < val_len(v); i++) {
            const char *key = val_key_at(v, i);
            FUZZ_CHECK(key != NULL);
            src_pos kp = val_key_pos(v, i);
            FUZZ_CHECK(kp.line == 0 || (kp.line >= min_line && kp.col >= 1));
            walk(val_at(v, i), min_line, depth + 1);
        }
        break;
    default:
        break;
    }
    if (depth == 0 || val_kind_of(v) != VAL_MAP) {
        char *text = val_to_text(v);
        FUZZ_CHECK(text != NULL);
        free(text);
    }
}

/* A copy must fingerprint the same as its original. */
static void check_copy(const val *v)
{
    val *c = val_copy(v);
    FUZZ_CHECK(val_hash(c, 1, 4) == val_hash(v, 1, 4));
    FUZZ_CHECK(val_truthy(c) == val_truthy(v));
    val_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *src = fuzz_exact_copy(data, size);

    /* As a Markdown page. */
    diag_list *d = diag_list_new();
    fm_page pg;
    bool ok = fm_split(src, size, "content/fuzz.md", &pg, d);
    if (ok) {
        FUZZ_CHECK(val_kind_of(pg.meta) == VAL_MAP);
        FUZZ_CHECK(diag_errors(d) == 0);
        FUZZ_CHECK(pg.body >= src && pg.body <= src + size);
        FUZZ_CHECK(pg.body_len == (size_t)(src + size - pg.body));
        FUZZ_CHECK(pg.body_line_offset >= 2);
        /* The body starts right after the closing fence line: every line
         * before it is counted (the fence may end the file unterminated). */
        int lines = 0;
        for (const char *p = src; p < pg.body; p++)
            lines += *p == '\n';
        FUZZ_CHECK(lines == pg.body_line_offset ||
                   (pg.body_len == 0 && lines == pg.body_line_offset - 1));
        /* An empty front matter becomes a map placed at the opening fence. */
        walk(pg.meta, 1, 0);
        check_copy(pg.meta);
    } else {
        FUZZ_CHECK(pg.meta == NULL);
        FUZZ_CHECK(diag_errors(d) > 0);
    }
    fuzz_check_diags(d);
    val_free(pg.meta);
    diag_list_free(d);

    /* As a data file, placed below a few lines of something else. */
    d = diag_list_new();
    val *v = yaml_load(src, size, "content/data/fuzz.yaml", LINE_OFFSET, d);
    if (v) {
        walk(v, LINE_OFFSET + 1, 0);
        check_copy(v);
    } else {
        FUZZ_CHECK(diag_errors(d) > 0);
    }
    fuzz_check_diags(d);
    val_free(v);
    diag_list_free(d);

    free(src);
    return 0;
}
