/* Tests of the diagnostics module. */
#include "../generator/0-base/diag.h"
#include "testutil.h"

START_TEST(test_diag_formats_gcc_style_with_position)
{
    diag_list *d = diag_list_new();
    diag_error(d, "content/foorumit.yaml", 41, 17, "unknown party '%s'", "kuntaliito");
    diag_warning(d, "site.yaml", 3, 0, "odd");
    diag_error(d, NULL, 0, 0, "no source");
    ck_assert_diag(d, 0, "content/foorumit.yaml:41:17: error: unknown party 'kuntaliito'");
    ck_assert_diag(d, 1, "site.yaml:3: warning: odd");
    ck_assert_diag(d, 2, "kasikirja: error: no source");
    ck_assert_uint_eq(diag_errors(d), 2);
    ck_assert_uint_eq(diag_warnings(d), 1);
    diag_list_free(d);
}
END_TEST

START_TEST(test_diag_prints_at_most_fifty_errors)
{
    diag_list *d = diag_list_new();
    for (int i = 1; i <= 60; i++)
        diag_error(d, "a.md", i, 1, "e%d", i);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    diag_print(d, f);
    fclose(f);
    int lines = 0;
    for (char *p = text; *p; p++)
        lines += *p == '\n';
    ck_assert_int_eq(lines, 51);
    ck_assert_ptr_nonnull(strstr(text, "a.md:50:1: error: e50\n"));
    ck_assert_ptr_null(strstr(text, "e51\n"));
    ck_assert_ptr_nonnull(strstr(text, "10 more errors not shown"));
    free(text);
    diag_list_free(d);
}
END_TEST

START_TEST(test_diag_suggests_close_words_only)
{
    const char *const words[] = {"kuntaliitto", "hyvinvointialue", "valtuustokausi"};
    ck_assert_str_eq(diag_suggest("kuntaliito", words, 3), "kuntaliitto");
    ck_assert_str_eq(diag_suggest("valtustokausi", words, 3), "valtuustokausi");
    ck_assert_ptr_null(diag_suggest("seurakunta", words, 3));
    ck_assert_ptr_null(diag_suggest("kuntaliitto", words, 3)); /* exact is no typo */
}
END_TEST

START_TEST(test_diag_merge_moves_everything)
{
    diag_list *a = diag_list_new(), *b = diag_list_new();
    diag_error(a, "x", 1, 1, "first");
    diag_warning(b, "y", 2, 2, "second");
    diag_list_merge(a, b);
    ck_assert_uint_eq(diag_count(a), 2);
    ck_assert_uint_eq(diag_count(b), 0);
    ck_assert_diag(a, 1, "y:2:2: warning: second");
    diag_list_free(a);
    diag_list_free(b);
}
END_TEST

/* A layout's error is met by every page that uses it: it is kept once. */
START_TEST(test_diag_keeps_each_diagnostic_once)
{
    diag_list *d = diag_list_new(), *page = diag_list_new();
    diag_error(d, "layouts/osio.mustache", 2, 7, "partials nest deeper than %d levels", 100);
    diag_error(page, "layouts/osio.mustache", 2, 7, "partials nest deeper than %d levels", 100);
    diag_error(page, "layouts/osio.mustache", 3, 7, "partials nest deeper than %d levels", 100);
    diag_warning(page, "layouts/osio.mustache", 2, 7, "partials nest deeper than %d levels", 100);
    diag_list_merge(d, page);
    diag_error(d, "layouts/osio.mustache", 2, 7, "partials nest deeper than %d levels", 100);
    ck_assert_uint_eq(diag_count(d), 3); /* another line, and a warning, are other diagnostics */
    ck_assert_uint_eq(diag_errors(d), 2);
    /* The merged-from list starts afresh. */
    diag_error(page, "layouts/osio.mustache", 2, 7, "partials nest deeper than %d levels", 100);
    ck_assert_uint_eq(diag_count(page), 1);
    diag_list_free(page);
    diag_list_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("diag");
    TCase *tc = tcase_create("diag");
    tcase_add_test(tc, test_diag_formats_gcc_style_with_position);
    tcase_add_test(tc, test_diag_prints_at_most_fifty_errors);
    tcase_add_test(tc, test_diag_suggests_close_words_only);
    tcase_add_test(tc, test_diag_merge_moves_everything);
    tcase_add_test(tc, test_diag_keeps_each_diagnostic_once);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
