/* Tests of the model's small syntaxes: frequencies, dates, legal bases. */
#include "../generator/2-model/syntax.h"
#include "testutil.h"

/* fi(): the built-in Finnish interface texts (testutil.h). */
#define fi tu_fi

static char *describe(const char *s)
{
    syn_freq f;
    const char *why;
    ck_assert_msg(syn_freq_parse(s, &f, &why), "'%s' should parse", s);
    buf_t b = BUF_INIT;
    syn_freq_describe(fi(), &f, &b);
    return buf_detach(&b);
}

START_TEST(test_syntax_frequencies_parse_and_read_as_finnish)
{
    const char *cases[][2] = {
        {"1/vuosi", "kerran vuodessa"},
        {"12/vuosi", "12 kertaa vuodessa"},
        {"6-8/vuosi", "6–8 kertaa vuodessa"},
        {"6 - 8 / vuosi", "6–8 kertaa vuodessa"},
        {"1/valtuustokausi", "kerran valtuustokaudessa"},
        {"2/kuukausi", "2 kertaa kuukaudessa"},
        {"tarvittaessa", "tarvittaessa"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = describe(cases[i][0]);
        ck_assert_str_eq(s, cases[i][1]);
        free(s);
    }
}
END_TEST

START_TEST(test_syntax_malformed_frequencies_say_why)
{
    syn_freq f;
    const char *why;
    ck_assert(!syn_freq_parse("1/vuosu", &f, &why));
    ck_assert_str_eq(why, "the period must be 'vuosi', 'valtuustokausi' or 'kuukausi', e.g. '1/vuosi'");
    ck_assert(!syn_freq_parse("8-6/vuosi", &f, &why));
    ck_assert_str_eq(why, "the range is backwards: write the smaller count first, e.g. '6-8/vuosi'");
    ck_assert(!syn_freq_parse("0/vuosi", &f, &why));
    ck_assert_str_eq(why, "a count of 0 means never: write 'tarvittaessa' for no fixed rhythm");
    ck_assert(!syn_freq_parse("kerran vuodessa", &f, &why));
    ck_assert_str_eq(why, "write a count and a period, e.g. '1/vuosi', '6-8/vuosi', "
                          "'1/valtuustokausi', '2/kuukausi', or 'tarvittaessa'");
    ck_assert(!syn_freq_parse("1/vuosi extra", &f, &why));
    ck_assert(!syn_freq_parse("", &f, &why));
}
END_TEST

START_TEST(test_syntax_frequencies_compare_per_year)
{
    syn_freq year, term, month, range, need;
    const char *why;
    syn_freq_parse("1/vuosi", &year, &why);
    syn_freq_parse("1/valtuustokausi", &term, &why);
    syn_freq_parse("1/kuukausi", &month, &why);
    syn_freq_parse("6-8/vuosi", &range, &why);
    syn_freq_parse("tarvittaessa", &need, &why);
    ck_assert(syn_freq_at_least(&year, &term));
    ck_assert(!syn_freq_at_least(&term, &year));
    ck_assert(syn_freq_at_least(&month, &range));
    ck_assert(syn_freq_at_least(&range, &year));
    ck_assert(!syn_freq_at_least(&need, &term));
    ck_assert(syn_freq_min_per_year(&term) == 0.25);
}
END_TEST

START_TEST(test_syntax_dates_check_their_ranges)
{
    syn_date d;
    ck_assert(syn_date_parse("2025", &d) && d.year == 2025 && d.month == 0);
    ck_assert(syn_date_parse("2025-03", &d) && d.month == 3);
    ck_assert(syn_date_parse("2024-02-29", &d) && d.day == 29);
    ck_assert(!syn_date_parse("2025-02-29", &d));
    ck_assert(!syn_date_parse("2025-13", &d));
    ck_assert(!syn_date_parse("2025-00-10", &d));
    ck_assert(!syn_date_parse("17.3.2025", &d));
    ck_assert(!syn_date_parse("2025-3-1", &d));
    buf_t b = BUF_INIT;
    syn_date_parse("2025-03-17", &d);
    syn_date_describe(fi(), &d, &b);
    ck_assert_str_eq(b.ptr, "17.3.2025");
    buf_clear(&b);
    syn_date_parse("2024-11", &d);
    syn_date_describe(fi(), &d, &b);
    ck_assert_str_eq(b.ptr, "marraskuu 2024");
    buf_free(&b);
}
END_TEST

START_TEST(test_syntax_legal_bases_parse_one_documented_form)
{
    syn_lawref r;
    ck_assert(syn_lawref_parse("611/2021 14 §", &r));
    ck_assert_str_eq(r.law, "611/2021");
    ck_assert_str_eq(r.section, "14");
    ck_assert_int_eq(r.subsection, 0);
    ck_assert(syn_lawref_parse("612/2021 7 § 4 mom", &r));
    ck_assert_int_eq(r.subsection, 4);
    ck_assert(syn_lawref_parse("410/2015 7 a §", &r));
    ck_assert_str_eq(r.section, "7 a");
    ck_assert(!syn_lawref_parse("611/2021 14", &r));
    ck_assert(!syn_lawref_parse("611/21 14 §", &r));
    ck_assert(!syn_lawref_parse("laki 611/2021 14 §", &r));
    ck_assert(!syn_lawref_parse("612/2021 7 § 4", &r));
    buf_t b = BUF_INIT;
    syn_lawref_parse("612/2021 7 § 4 mom", &r);
    syn_lawref_format(&r, &b);
    ck_assert_str_eq(b.ptr, "612/2021 7 § 4 mom");
    buf_free(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("syntax");
    TCase *tc = tcase_create("syntax");
    tcase_add_test(tc, test_syntax_frequencies_parse_and_read_as_finnish);
    tcase_add_test(tc, test_syntax_malformed_frequencies_say_why);
    tcase_add_test(tc, test_syntax_frequencies_compare_per_year);
    tcase_add_test(tc, test_syntax_dates_check_their_ranges);
    tcase_add_test(tc, test_syntax_legal_bases_parse_one_documented_form);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
