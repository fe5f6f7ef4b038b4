/* Tests of text metrics in the shipped font (layouts/static/fontit/, made by `make fonts`). */
#include "../generator/render/textm.h"
#include "testutil.h"

#include <math.h>

#define REGULAR "layouts/static/fontit/kasikirja-sans.ttf"
#define BOLD "layouts/static/fontit/kasikirja-sans-bold.ttf"

static textm *shipped(void)
{
    textm *tm = textm_new(REGULAR, BOLD);
    ck_assert_msg(tm != NULL, "cannot read " REGULAR " (run `make fonts`)");
    return tm;
}

START_TEST(test_textm_measures_a_finnish_letter_as_one_glyph)
{
    textm *tm = shipped();
    /* "ä" precomposed is one glyph of the font, as wide as "a" (Liberation Sans: 1139 units of 2048). */
    double a = textm_width(tm, "a", 2048.0, false), ae = textm_width(tm, "ä", 2048.0, false);
    ck_assert_double_eq_tol(a, 1139.0, 0.5);
    ck_assert_double_eq_tol(ae, a, 0.5);
    ck_assert_uint_eq(textm_missing(tm, "äöåÄÖÅšž€–…", false), 0);
    textm_free(tm);
}
END_TEST

START_TEST(test_textm_a_longer_text_is_wider_and_width_scales_with_size)
{
    textm *tm = shipped();
    double short_w = textm_width(tm, "Kunta", 12.0, false), long_w = textm_width(tm, "Kuntayhtymä", 12.0, false);
    ck_assert(long_w > short_w);
    ck_assert_double_eq_tol(textm_width(tm, "Kuntayhtymä", 24.0, false), 2.0 * long_w, 0.01);
    ck_assert(textm_width(tm, "", 12.0, false) == 0.0);
    textm_free(tm);
}
END_TEST

START_TEST(test_textm_bold_is_wider_than_regular)
{
    textm *tm = shipped();
    const char *s = "Hyvinvointialueen yhteistyöryhmä";
    ck_assert(textm_width(tm, s, 14.0, true) > textm_width(tm, s, 14.0, false) + 1.0);
    ck_assert(textm_fingerprint(tm) != 0);
    textm_free(tm);
}
END_TEST

START_TEST(test_textm_reports_a_missing_glyph)
{
    textm *tm = shipped();
    /* Liberation Sans has no check marks and no CJK: the private configuration
     * has no other font to fall back on. */
    ck_assert_uint_eq(textm_missing(tm, "ok ✓", false), 1);
    ck_assert_uint_eq(textm_missing(tm, "漢字", true), 2);
    textm_free(tm);
}
END_TEST

START_TEST(test_textm_without_the_font_estimates_and_says_so)
{
    ck_assert_ptr_null(textm_new("/nonexistent/kasikirja-sans.woff2", NULL));
    ck_assert_ptr_null(textm_new(NULL, NULL));
    ck_assert_double_eq_tol(textm_width(NULL, "äiti", 10.0, false), 4 * 5.6, 1e-9);
    ck_assert_double_eq_tol(textm_width(NULL, "äiti", 10.0, true), 4 * 6.0, 1e-9);
    ck_assert_uint_eq(textm_missing(NULL, "✓", false), 0);
    ck_assert(textm_fingerprint(NULL) == 0);
    textm_free(NULL);
}
END_TEST

START_TEST(test_textm_the_same_font_gives_the_same_fingerprint)
{
    textm *a = shipped(), *b = shipped(), *r = textm_new(REGULAR, NULL);
    ck_assert(textm_fingerprint(a) == textm_fingerprint(b));
    ck_assert(textm_fingerprint(a) != textm_fingerprint(r)); /* no bold face: bold measures otherwise */
    textm_free(a);
    textm_free(b);
    textm_free(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("textm");
    TCase *tc = tcase_create("textm");
    tcase_add_test(tc, test_textm_measures_a_finnish_letter_as_one_glyph);
    tcase_add_test(tc, test_textm_a_longer_text_is_wider_and_width_scales_with_size);
    tcase_add_test(tc, test_textm_bold_is_wider_than_regular);
    tcase_add_test(tc, test_textm_reports_a_missing_glyph);
    tcase_add_test(tc, test_textm_without_the_font_estimates_and_says_so);
    tcase_add_test(tc, test_textm_the_same_font_gives_the_same_fingerprint);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
