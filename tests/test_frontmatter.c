/* Tests of the front-matter splitter. */
#include "../generator/1-load/frontmatter.h"
#include "testutil.h"

static bool split(const char *src, fm_page *fm, diag_list *d)
{
    return fm_split(src, strlen(src), "content/a.md", fm, d);
}

START_TEST(test_frontmatter_splits_meta_and_body_with_line_offset)
{
    diag_list *d = diag_list_new();
    fm_page fm;
    ck_assert(split("---\ntitle: Lait\nweight: 3\n---\n# Otsikko\n", &fm, d));
    ck_assert_str_eq(val_get_str(fm.meta, "title"), "Lait");
    ck_assert_int_eq(val_pos(val_get(fm.meta, "weight")).line, 3);
    ck_assert_str_eq(fm.body, "# Otsikko\n");
    ck_assert_int_eq(fm.body_line_offset, 4);
    val_free(fm.meta);
    diag_list_free(d);
}
END_TEST

START_TEST(test_frontmatter_accepts_bom_crlf_and_empty_meta)
{
    diag_list *d = diag_list_new();
    fm_page fm;
    ck_assert(split("\xEF\xBB\xBF---\r\ntitle: Lait\r\n---\r\nteksti\r\n", &fm, d));
    ck_assert_str_eq(val_get_str(fm.meta, "title"), "Lait");
    ck_assert_str_eq(fm.body, "teksti\r\n");
    val_free(fm.meta);
    ck_assert(split("---\n---\n", &fm, d));
    ck_assert_int_eq(val_kind_of(fm.meta), VAL_MAP);
    ck_assert_uint_eq(fm.body_len, 0);
    val_free(fm.meta);
    ck_assert_uint_eq(diag_count(d), 0);
    diag_list_free(d);
}
END_TEST

START_TEST(test_frontmatter_missing_is_an_error_that_says_what_to_write)
{
    diag_list *d = diag_list_new();
    fm_page fm;
    ck_assert(!split("# Vain tekstiä\n", &fm, d));
    ck_assert_diag(d, 0,
                   "content/a.md:1:1: error: the page has no front matter: start the file with a "
                   "line '---', then 'title: Sivun otsikko', then another '---'");
    diag_list_free(d);
}
END_TEST

START_TEST(test_frontmatter_unclosed_is_an_error)
{
    diag_list *d = diag_list_new();
    fm_page fm;
    ck_assert(!split("---\ntitle: Lait\n\nteksti\n", &fm, d));
    ck_assert_diag(d, 0,
                   "content/a.md:1:1: error: the front matter is not closed: add a line '---' after "
                   "its last 'key: value' line");
    diag_list_free(d);
}
END_TEST

START_TEST(test_frontmatter_must_be_a_mapping)
{
    diag_list *d = diag_list_new();
    fm_page fm;
    ck_assert(!split("---\n- title\n---\n", &fm, d));
    ck_assert_diag(d, 0,
                   "content/a.md:2:1: error: the front matter must be 'key: value' lines (a "
                   "mapping), not a list or text");
    diag_list_free(d);
}
END_TEST

START_TEST(test_frontmatter_yaml_errors_point_into_the_page)
{
    diag_list *d = diag_list_new();
    fm_page fm;
    ck_assert(!split("---\ntitle: Lait\ntitle: Toinen\n---\n", &fm, d));
    ck_assert_diag(d, 0,
                   "content/a.md:3:1: error: duplicate key 'title' (first given at line 2; a key "
                   "may appear only once in a mapping)");
    diag_list_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("frontmatter");
    TCase *tc = tcase_create("frontmatter");
    tcase_add_test(tc, test_frontmatter_splits_meta_and_body_with_line_offset);
    tcase_add_test(tc, test_frontmatter_accepts_bom_crlf_and_empty_meta);
    tcase_add_test(tc, test_frontmatter_missing_is_an_error_that_says_what_to_write);
    tcase_add_test(tc, test_frontmatter_unclosed_is_an_error);
    tcase_add_test(tc, test_frontmatter_must_be_a_mapping);
    tcase_add_test(tc, test_frontmatter_yaml_errors_point_into_the_page);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
