/* Tests of reading UTF-8: decoding, the check, line and column. */
#include "../generator/0-base/utf8.h"
#include "testutil.h"

static size_t check(const char *s) { return utf8_check(s, strlen(s)); }

START_TEST(test_utf8_accepts_well_formed_text)
{
    ck_assert_uint_eq(check(""), 0);
    ck_assert_uint_eq(check("Hyvinvointialue ja kunnat"), 25);
    ck_assert_uint_eq(check("Käsikirja §14 – ääkköset €"), strlen("Käsikirja §14 – ääkköset €"));
    ck_assert_uint_eq(check("\xF0\x9F\x98\x80"), 4); /* U+1F600 */
    ck_assert_uint_eq(check("\xF4\x8F\xBF\xBF"), 4); /* U+10FFFF */
}
END_TEST

START_TEST(test_utf8_finds_the_first_bad_byte)
{
    ck_assert_uint_eq(check("ab\xFF" "cd"), 2);          /* never in UTF-8 */
    ck_assert_uint_eq(check("k\xE4ytt\xE4\xE4"), 1);      /* Latin-1 ä */
    ck_assert_uint_eq(check("a\x80"), 1);                 /* a stray continuation byte */
    ck_assert_uint_eq(check("\xC0\xAF"), 0);              /* overlong '/' */
    ck_assert_uint_eq(check("\xE0\x80\xAF"), 0);          /* overlong, three bytes */
    ck_assert_uint_eq(check("x\xED\xA0\x80"), 1);         /* a surrogate */
    ck_assert_uint_eq(check("\xF4\x90\x80\x80"), 0);      /* past U+10FFFF */
    ck_assert_uint_eq(check("\xC3\xA4\xC3"), 2);          /* cut short at the end */
    ck_assert_uint_eq(check("\xE2\x82x"), 0);             /* cut short by ASCII */
}
END_TEST

START_TEST(test_utf8_decodes_code_points)
{
    uint32_t cp = 0;
    ck_assert_uint_eq(utf8_decode("a", 1, &cp), 1);
    ck_assert_uint_eq(cp, 'a');
    ck_assert_uint_eq(utf8_decode("\xC3\xA4", 2, &cp), 2); /* ä */
    ck_assert_uint_eq(cp, 0xE4);
    ck_assert_uint_eq(utf8_decode("\xE2\x82\xAC", 3, &cp), 3); /* € */
    ck_assert_uint_eq(cp, 0x20AC);
    ck_assert_uint_eq(utf8_decode("\xF0\x9F\x98\x80", 4, NULL), 4);
    ck_assert_uint_eq(utf8_decode("\xE2\x82\xAC", 2, &cp), 0); /* cut short by n */
    ck_assert_uint_eq(utf8_decode("\xED\xA0\x80", 3, &cp), 0); /* a surrogate */
    ck_assert_uint_eq(utf8_decode("\x80", 1, &cp), 0);
}
END_TEST

/* The walker never stops: a bad byte is one UTF8_BAD; encoding is decoding's inverse. */
START_TEST(test_utf8_next_walks_bad_bytes_and_encode_round_trips)
{
    const unsigned char s[] = "a\xC3\xA4\x80\xF0\x9F\x98\x80";
    uint32_t cp;
    size_t n = sizeof s - 1, i = 0;
    const uint32_t want[] = {'a', 0xE4, UTF8_BAD, 0x1F600};
    const size_t lens[] = {1, 2, 1, 4};
    for (size_t k = 0; k < 4; k++) {
        size_t len = utf8_next(s + i, n - i, &cp);
        ck_assert_uint_eq(len, lens[k]);
        ck_assert_uint_eq(cp, want[k]);
        i += len;
    }
    ck_assert_uint_eq(i, n);
    const uint32_t cps[] = {0x24, 0xE4, 0x20AC, 0x1F600, 0x10FFFF};
    for (size_t k = 0; k < 5; k++) {
        char b[4];
        size_t len = utf8_encode(cps[k], b);
        ck_assert_uint_eq(len, k < 4 ? k + 1 : 4);
        ck_assert_uint_eq(utf8_decode(b, len, &cp), len);
        ck_assert_uint_eq(cp, cps[k]);
    }
}
END_TEST

START_TEST(test_utf8_line_col_counts_characters)
{
    int line = 3, col = 1;
    utf8_line_col("äö\nab€c", strlen("äö\nab€c"), &line, &col);
    ck_assert_int_eq(line, 4);
    ck_assert_int_eq(col, 5); /* a, b, €, c: the next is the 5th */
    utf8_line_col("", 0, &line, &col);
    ck_assert_int_eq(line, 4);
    ck_assert_int_eq(col, 5);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("utf8");
    tcase_add_test(tc, test_utf8_accepts_well_formed_text);
    tcase_add_test(tc, test_utf8_finds_the_first_bad_byte);
    tcase_add_test(tc, test_utf8_decodes_code_points);
    tcase_add_test(tc, test_utf8_line_col_counts_characters);
    tcase_add_test(tc, test_utf8_next_walks_bad_bytes_and_encode_round_trips);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
