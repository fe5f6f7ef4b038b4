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

/* The hint split, on the shapes of the generator's own messages and on what is not a hint. */
START_TEST(test_diag_splits_the_closing_parenthesised_hint)
{
    static const struct {
        const char *msg, *head, *hint; /* hint NULL: no split */
    } cases[] = {
        {"unknown key 'languge' in site.yaml (did you mean 'language'?)", "unknown key 'languge' in site.yaml",
         "did you mean 'language'?"},
        {"'x' cannot be 'y' (use one of: a, b; did you mean 'a'?)", "'x' cannot be 'y'",
         "use one of: a, b; did you mean 'a'?"},
        {"bad month (months are 1–12) in (kaikki)", "bad month (months are 1–12) in", "kaikki"},
        {"nested (a (b) c)", "nested", "a (b) c"},
        {"unknown party 'kuntaliito'", NULL, NULL},
        {"calls f(x)", NULL, NULL},           /* no space before the parenthesis */
        {"empty ()", NULL, NULL},             /* nothing inside */
        {"(only a hint)", NULL, NULL},        /* no message before it */
        {"unbalanced (did you mean 'x)'?)", NULL, NULL}, /* a parenthesis inside quotes */
        {"ends in a paren)", NULL, NULL},
        {"", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t head_len = 0, hint_len = 0;
        const char *hint = NULL;
        bool split = diag_split_hint(cases[i].msg, &head_len, &hint, &hint_len);
        ck_assert_msg(split == (cases[i].hint != NULL), "case %zu: '%s'", i, cases[i].msg);
        if (!split)
            continue;
        ck_assert_uint_eq(head_len, strlen(cases[i].head));
        ck_assert_int_eq(strncmp(cases[i].msg, cases[i].head, head_len), 0);
        ck_assert_uint_eq(hint_len, strlen(cases[i].hint));
        ck_assert_int_eq(strncmp(hint, cases[i].hint, hint_len), 0);
    }
}
END_TEST

START_TEST(test_diag_json_has_fields_nulls_and_hint)
{
    diag_list *d = diag_list_new();
    diag_error(d, "site.yaml", 2, 1, "unknown key 'languge' in site.yaml (did you mean 'language'?)");
    diag_warning(d, "content/a.md", 3, 0, "odd");
    diag_error(d, NULL, 0, 0, "no source");
    char *j = diag_json(d, false);
    ck_assert_str_eq(j, "[\n"
                        "{\"file\":\"site.yaml\",\"line\":2,\"column\":1,\"severity\":\"error\","
                        "\"message\":\"unknown key 'languge' in site.yaml\",\"hint\":\"did you mean 'language'?\"},\n"
                        "{\"file\":\"content/a.md\",\"line\":3,\"column\":null,\"severity\":\"warning\","
                        "\"message\":\"odd\"},\n"
                        "{\"file\":null,\"line\":null,\"column\":null,\"severity\":\"error\","
                        "\"message\":\"no source\"}\n"
                        "]\n");
    free(j);
    j = diag_json(d, true); /* errors only (-q) */
    ck_assert_ptr_null(strstr(j, "warning"));
    ck_assert_ptr_nonnull(strstr(j, "no source"));
    free(j);
    diag_list_free(d);
    d = diag_list_new();
    j = diag_json(d, false);
    ck_assert_str_eq(j, "[]\n");
    free(j);
    diag_list_free(d);
}
END_TEST

START_TEST(test_diag_json_escapes_quotes_newlines_and_control_characters)
{
    diag_list *d = diag_list_new();
    diag_error(d, "a \"b\".md", 1, 1, "say \"hi\"\nback\\slash\ttab\x01\x1f end (use \"x\"\n)");
    char *j = diag_json(d, false);
    ck_assert_str_eq(j, "[\n{\"file\":\"a \\\"b\\\".md\",\"line\":1,\"column\":1,\"severity\":\"error\","
                        "\"message\":\"say \\\"hi\\\"\\nback\\\\slash\\ttab\\u0001\\u001f end\","
                        "\"hint\":\"use \\\"x\\\"\\n\"}\n]\n");
    free(j);
    diag_list_free(d);
}
END_TEST

/* Under --strict main shows a warning as an error with a marker after the message, not the hint. */
START_TEST(test_diag_json_put_shows_another_severity_with_a_suffix)
{
    diag_list *d = diag_list_new();
    diag_warning(d, "x.md", 4, 2, "raw HTML is left out (write Markdown)");
    buf_t b = BUF_INIT;
    diag_json_put(&b, diag_at(d, 0), DIAG_ERROR, " [--strict]");
    ck_assert_str_eq(buf_cstr(&b), "{\"file\":\"x.md\",\"line\":4,\"column\":2,\"severity\":\"error\","
                                   "\"message\":\"raw HTML is left out [--strict]\",\"hint\":\"write Markdown\"}");
    buf_free(&b);
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
    tcase_add_test(tc, test_diag_splits_the_closing_parenthesised_hint);
    tcase_add_test(tc, test_diag_json_has_fields_nulls_and_hint);
    tcase_add_test(tc, test_diag_json_escapes_quotes_newlines_and_control_characters);
    tcase_add_test(tc, test_diag_json_put_shows_another_severity_with_a_suffix);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
