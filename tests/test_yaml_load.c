/* Tests of the YAML loader: values, positions and error messages. */
#include "../generator/1-load/yaml_load.h"
#include "testutil.h"

static val *load(const char *src, diag_list *d)
{
    return yaml_load(src, strlen(src), "content/x.yaml", 0, d);
}

START_TEST(test_yaml_resolves_plain_scalars_by_core_schema)
{
    diag_list *d = diag_list_new();
    val *v = load("a: 12\nb: 1.5\nc: true\nd: ~\ne: '12'\nf: 1/vuosi\ng: 2025-03-01\nh:\n", d);
    ck_assert_ptr_nonnull(v);
    ck_assert_int_eq(val_kind_of(val_get(v, "a")), VAL_NUM);
    ck_assert(val_as_num(val_get(v, "b")) == 1.5);
    ck_assert_int_eq(val_kind_of(val_get(v, "c")), VAL_BOOL);
    ck_assert_int_eq(val_kind_of(val_get(v, "d")), VAL_NULL);
    ck_assert_str_eq(val_get_str(v, "e"), "12");
    ck_assert_str_eq(val_get_str(v, "f"), "1/vuosi");
    ck_assert_str_eq(val_get_str(v, "g"), "2025-03-01");
    ck_assert_int_eq(val_kind_of(val_get(v, "h")), VAL_NULL);
    ck_assert_uint_eq(diag_count(d), 0);
    val_free(v);
    diag_list_free(d);
}
END_TEST

START_TEST(test_yaml_gives_every_value_its_position)
{
    diag_list *d = diag_list_new();
    val *v = yaml_load("foorumit:\n  - id: hyte\n    kutsuja: kuntaliito\n", 46, "content/f.yaml", 0, d);
    val *item = val_at(val_get(v, "foorumit"), 0);
    src_pos at = val_pos(val_get(item, "kutsuja"));
    ck_assert_str_eq(at.file, "content/f.yaml");
    ck_assert_int_eq(at.line, 3);
    ck_assert_int_eq(at.col, 14);
    src_pos key = val_key_pos(item, 1);
    ck_assert_int_eq(key.line, 3);
    ck_assert_int_eq(key.col, 5);
    val_free(v);
    diag_list_free(d);
}
END_TEST

START_TEST(test_yaml_adds_the_line_offset_of_front_matter)
{
    diag_list *d = diag_list_new();
    val *v = yaml_load("title: x\n", 9, "content/a.md", 1, d);
    ck_assert_int_eq(val_pos(val_get(v, "title")).line, 2);
    val_free(v);
    ck_assert_ptr_null(yaml_load("a: 1\na: 2\n", 10, "content/a.md", 1, d));
    ck_assert_diag(d, 0,
                   "content/a.md:3:1: error: duplicate key 'a' (first given at line 2; a key may "
                   "appear only once in a mapping)");
    diag_list_free(d);
}
END_TEST

START_TEST(test_yaml_reports_tabs_with_a_hint)
{
    diag_list *d = diag_list_new();
    ck_assert_ptr_null(load("a: 1\n\tb: 2\n", d));
    ck_assert_diag(d, 0,
                   "content/x.yaml:2:1: error: YAML syntax error: found a tab character that "
                   "violates indentation while scanning a plain scalar (use spaces, not tabs, for "
                   "indentation)");
    diag_list_free(d);
}
END_TEST

/* libyaml's marks count characters: the hint must still find the tab after Finnish letters. */
START_TEST(test_yaml_reports_tabs_after_non_ascii_letters)
{
    diag_list *d = diag_list_new();
    ck_assert_ptr_null(load("title: Testikäsikirja ääkkösin\nmenu:\n\t- title: Lait\n", d));
    const diag_t *g = diag_at(d, 0);
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(g->line, 3);
    ck_assert_ptr_nonnull(strstr(g->message, "(use spaces, not tabs, for indentation)"));
    diag_list_free(d);
}
END_TEST

START_TEST(test_yaml_reports_unquoted_colon_values)
{
    diag_list *d = diag_list_new();
    ck_assert_ptr_null(load("title: Laki: 611/2021\n", d));
    ck_assert_diag(d, 0,
                   "content/x.yaml:1:12: error: YAML syntax error: mapping values are not allowed "
                   "in this context (a value that contains ': ' must be put in quotes)");
    diag_list_free(d);
}
END_TEST

START_TEST(test_yaml_reports_unclosed_quote_with_its_start)
{
    diag_list *d = diag_list_new();
    ck_assert_ptr_null(load("a: 1\nb: \"auki\nc: 2\n", d));
    ck_assert_diag(d, 0,
                   "content/x.yaml:4:1: error: YAML syntax error: found unexpected end of stream "
                   "while scanning a quoted scalar (close the quote that starts at line 2)");
    diag_list_free(d);
}
END_TEST

START_TEST(test_yaml_rejects_invalid_utf8_with_its_line)
{
    diag_list *d = diag_list_new();
    ck_assert_ptr_null(load("a: ok\nb: \xff\n", d));
    ck_assert_diag(d, 0,
                   "content/x.yaml:2:4: error: invalid leading UTF-8 octet (the file must be saved "
                   "as UTF-8 text)");
    diag_list_free(d);
}
END_TEST

START_TEST(test_yaml_accepts_bom_and_crlf)
{
    diag_list *d = diag_list_new();
    val *v = load("\xEF\xBB\xBFtitle: Lait\r\nweight: 2\r\n", d);
    ck_assert_ptr_nonnull(v);
    ck_assert_str_eq(val_get_str(v, "title"), "Lait");
    ck_assert_int_eq(val_pos(val_get(v, "weight")).line, 2);
    val_free(v);
    diag_list_free(d);
}
END_TEST

START_TEST(test_yaml_expands_aliases_and_reports_unknown_ones)
{
    diag_list *d = diag_list_new();
    val *v = load("kunnat: &k [joensuu, kitee]\nsama: *k\n", d);
    ck_assert_uint_eq(val_len(val_get(v, "sama")), 2);
    ck_assert_str_eq(val_as_str(val_at(val_get(v, "sama"), 1)), "kitee");
    val_free(v);
    ck_assert_ptr_null(load("a: *puuttuu\n", d));
    ck_assert_diag(d, 0, "content/x.yaml:1:4: error: unknown YAML alias '*puuttuu' (define '&puuttuu' first)");
    diag_list_free(d);
}
END_TEST

START_TEST(test_yaml_empty_document_is_null)
{
    diag_list *d = diag_list_new();
    val *v = load("# vain kommentti\n", d);
    ck_assert_ptr_nonnull(v);
    ck_assert_int_eq(val_kind_of(v), VAL_NULL);
    val_free(v);
    diag_list_free(d);
}
END_TEST

START_TEST(test_yaml_refuses_too_deep_nesting)
{
    diag_list *d = diag_list_new();
    size_t n = 5000;
    char *s = xmalloc(2 * n + 1);
    memset(s, '[', n);
    memset(s + n, ']', n);
    s[2 * n] = '\0';
    ck_assert_ptr_null(load(s, d));
    ck_assert_diag(d, 0, "content/x.yaml:1:1002: error: YAML nesting is deeper than 1000 levels");
    free(s);
    diag_list_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("yaml_load");
    TCase *tc = tcase_create("yaml_load");
    tcase_add_test(tc, test_yaml_resolves_plain_scalars_by_core_schema);
    tcase_add_test(tc, test_yaml_gives_every_value_its_position);
    tcase_add_test(tc, test_yaml_adds_the_line_offset_of_front_matter);
    tcase_add_test(tc, test_yaml_reports_tabs_with_a_hint);
    tcase_add_test(tc, test_yaml_reports_tabs_after_non_ascii_letters);
    tcase_add_test(tc, test_yaml_reports_unquoted_colon_values);
    tcase_add_test(tc, test_yaml_reports_unclosed_quote_with_its_start);
    tcase_add_test(tc, test_yaml_rejects_invalid_utf8_with_its_line);
    tcase_add_test(tc, test_yaml_accepts_bom_and_crlf);
    tcase_add_test(tc, test_yaml_expands_aliases_and_reports_unknown_ones);
    tcase_add_test(tc, test_yaml_empty_document_is_null);
    tcase_add_test(tc, test_yaml_refuses_too_deep_nesting);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
