/* Tests of text metrics in the shipped font (layouts/static/fontit/, made by `make fonts`). */
#include "../generator/4-render/textm.h"
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

/* A site of site.yaml and the given static files (path, content; NULL-ended), loaded. */
static src_tree *site_with(char *dir, const char *const *files, diag_list *d)
{
    tu_write(dir, "site.yaml", "title: T\n");
    tu_write(dir, "content/index.md", "# T\n"); /* something to publish: no warning that it is missing */
    for (size_t i = 0; files[i]; i += 2)
        tu_write(dir, files[i], files[i + 1]);
    return src_load(dir, d);
}

/* The font is part of the built-in theme: a site without a font folder of its own measures in
 * it, without a word, exactly as in the shipped files. */
START_TEST(test_textm_a_site_without_a_font_folder_measures_in_the_built_in_font)
{
    char *dir = tu_tmpdir();
    diag_list *d = diag_list_new();
    static const char *const files[] = {"layouts/static/tyyli.css", "body{}", NULL};
    src_tree *src = site_with(dir, files, d);
    textm *tm = textm_open_site(src, d), *shipped = textm_new(REGULAR, BOLD);
    ck_assert_ptr_nonnull(tm);
    ck_assert_uint_eq(diag_count(d), 0);
    ck_assert_uint_eq(textm_fingerprint(tm), textm_fingerprint(shipped));
    ck_assert_double_eq_tol(textm_width(tm, "Kunta", 12.0, true), textm_width(shipped, "Kunta", 12.0, true), 1e-9);
    textm_free(tm);
    textm_free(shipped);
    src_free(src);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_textm_a_font_file_that_is_no_font_is_a_warning_and_one_face_may_be_replaced)
{
    char *dir = tu_tmpdir();
    diag_list *d = diag_list_new();
    static const char *const broken[] = {"layouts/static/fontit/kasikirja-sans.ttf", "not a font", NULL};
    src_tree *src = site_with(dir, broken, d);
    ck_assert_ptr_null(textm_open_site(src, d));
    ck_assert_diag(d, 0, "layouts/static/fontit/kasikirja-sans.ttf: warning: the shipped font file is missing or "
                         "unreadable (run `make fonts`); diagrams measure their text with built-in metrics");
    src_free(src);
    diag_list_free(d);
    tu_rmdir(dir);

    /* The site's own regular face (here the same bytes) replaces the built-in one; the built-in
     * bold face stays: measured in both, no warning. */
    dir = tu_tmpdir();
    d = diag_list_new();
    tu_write(dir, "site.yaml", "title: T\n");
    tu_write(dir, "content/index.md", "# T\n");
    /* tu_write writes text; the font's bytes are copied whole. */
    tu_write(dir, "layouts/static/fontit/LUEMINUT.txt", "x");
    char *dst = xasprintf("%s/layouts/static/fontit/kasikirja-sans.ttf", dir);
    FILE *in = fopen(REGULAR, "rb"), *out = fopen(dst, "wb");
    ck_assert(in && out);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
        ck_assert_uint_eq(fwrite(chunk, 1, n, out), n);
    fclose(in);
    fclose(out);
    free(dst);
    src = src_load(dir, d);
    textm *tm = textm_open_site(src, d);
    ck_assert_ptr_nonnull(tm);
    ck_assert_uint_eq(diag_count(d), 0);
    ck_assert_double_gt(textm_width(tm, "Kunta", 12.0, true), textm_width(tm, "Kunta", 12.0, false));
    textm_free(tm);
    src_free(src);
    diag_list_free(d);
    tu_rmdir(dir);
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
    tcase_add_test(tc, test_textm_a_site_without_a_font_folder_measures_in_the_built_in_font);
    tcase_add_test(tc, test_textm_a_font_file_that_is_no_font_is_a_warning_and_one_face_may_be_replaced);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
