/* Tests of the one JSON string writer. */
#include "../generator/0-base/json.h"
#include "testutil.h"

/* s[0..n) as JSON (caller frees). */
static char *js(const char *s, size_t n)
{
    buf_t b = BUF_INIT;
    json_put_string(&b, s, n);
    return buf_detach(&b);
}

#define JS_EQ(lit, want)                                                                                     \
    do {                                                                                                     \
        char *got_ = js(lit, sizeof(lit) - 1);                                                               \
        ck_assert_str_eq(got_, want);                                                                        \
        free(got_);                                                                                          \
    } while (0)

START_TEST(test_json_quotes_plain_text_and_passes_utf8)
{
    JS_EQ("", "\"\"");
    JS_EQ("Käsikirja €", "\"Käsikirja €\"");
    JS_EQ("\xF0\x9F\x98\x80", "\"\xF0\x9F\x98\x80\"");
}
END_TEST

START_TEST(test_json_escapes_quotes_and_backslash)
{
    JS_EQ("sano \"hei\" \\ loppu", "\"sano \\\"hei\\\" \\\\ loppu\"");
}
END_TEST

START_TEST(test_json_escapes_control_characters)
{
    JS_EQ("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"");
    JS_EQ("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
    char *got = js("a\0b", 3);
    ck_assert_str_eq(got, "\"a\\u0000b\"");
    free(got);
}
END_TEST

START_TEST(test_json_is_safe_inside_a_script_element)
{
    JS_EQ("</script><!-- & >", "\"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u003e\"");
}
END_TEST

START_TEST(test_json_escapes_line_and_paragraph_separators)
{
    JS_EQ("a\xE2\x80\xA8" "b\xE2\x80\xA9" "c", "\"a\\u2028b\\u2029c\"");
}
END_TEST

START_TEST(test_json_turns_each_bad_byte_into_a_replacement_character)
{
    JS_EQ("x\xffy", "\"x\\ufffdy\"");
    JS_EQ("k\xE4yt", "\"k\\ufffdyt\"");             /* Latin-1 ä */
    JS_EQ("\xC0\xAF", "\"\\ufffd\\ufffd\"");        /* overlong '/' */
    JS_EQ("\xED\xA0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* a surrogate */
    JS_EQ("\xC3", "\"\\ufffd\"");                   /* cut short at the end */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("json");
    tcase_add_test(tc, test_json_quotes_plain_text_and_passes_utf8);
    tcase_add_test(tc, test_json_escapes_quotes_and_backslash);
    tcase_add_test(tc, test_json_escapes_control_characters);
    tcase_add_test(tc, test_json_is_safe_inside_a_script_element);
    tcase_add_test(tc, test_json_escapes_line_and_paragraph_separators);
    tcase_add_test(tc, test_json_turns_each_bad_byte_into_a_replacement_character);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
