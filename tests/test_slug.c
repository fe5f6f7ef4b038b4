/* Tests of base/slug: anchor ids for headings and glossary terms. */
#include "../generator/0-base/slug.h"
#include "testutil.h"

static char *slug(const char *s)
{
    buf_t b = BUF_INIT;
    if (!slug_append(s, &b))
        buf_puts(&b, "(ei mitään)");
    return buf_detach(&b);
}

START_TEST(test_slug_keeps_finnish_letters_and_folds_their_case)
{
    const char *cases[][2] = {
        {"Yhteistyön foorumit", "yhteistyön-foorumit"},
        {"ÄÄNI & ÖLJY: Åland!", "ääni-öljy-åland"},
        {"611/2021 14 §", "6112021-14-§"},
        {"  HYTE-neuvottelu  ", "hyte-neuvottelu"},
        {"Neljäs\xc2\xa0sektori", "neljäs-sektori"},
        {"hy-te-tu", "hy-te-tu"},
        {"Ääni_ja__Öljy", "ääni-ja-öljy"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = slug(cases[i][0]);
        ck_assert_str_eq(s, cases[i][1]);
        free(s);
    }
}
END_TEST

START_TEST(test_slug_appends_nothing_when_nothing_is_kept)
{
    buf_t b = BUF_INIT;
    buf_puts(&b, "x#");
    ck_assert(!slug_append("!!! -- ", &b));
    ck_assert_str_eq(buf_cstr(&b), "x#");
    ck_assert(slug_append("Ö", &b));
    ck_assert_str_eq(buf_cstr(&b), "x#ö");
    buf_free(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("slug");
    TCase *tc = tcase_create("slug");
    tcase_add_test(tc, test_slug_keeps_finnish_letters_and_folds_their_case);
    tcase_add_test(tc, test_slug_appends_nothing_when_nothing_is_kept);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
