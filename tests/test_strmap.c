/* Tests of the string hash table. */
#include "../generator/0-base/strmap.h"
#include "testutil.h"

START_TEST(test_strmap_adds_finds_and_refuses_duplicates)
{
    strmap *m = strmap_new();
    int a = 1, b = 2;
    ck_assert(strmap_add(m, "hyte", &a));
    ck_assert(!strmap_add(m, "hyte", &b));
    ck_assert_ptr_eq(strmap_get(m, "hyte"), &a);
    ck_assert_ptr_null(strmap_get(m, "hyt"));
    ck_assert(!strmap_has(m, ""));
    ck_assert_uint_eq(strmap_len(m), 1);
    strmap_free(m);
    strmap_free(NULL);
}
END_TEST

START_TEST(test_strmap_survives_growth)
{
    strmap *m = strmap_new();
    char key[32];
    for (long i = 0; i < 20000; i++) {
        snprintf(key, sizeof key, "sivu-%ld", i);
        ck_assert(strmap_add(m, key, (void *)(i + 1)));
    }
    for (long i = 0; i < 20000; i++) {
        snprintf(key, sizeof key, "sivu-%ld", i);
        ck_assert_ptr_eq(strmap_get(m, key), (void *)(i + 1));
    }
    ck_assert_uint_eq(strmap_len(m), 20000);
    strmap_free(m);
}
END_TEST

/* A borrowing map keeps the caller's key (no copy, nothing freed with the
 * map); a copying one is unaffected by what happens to the caller's string. */
START_TEST(test_strmap_borrowing_keeps_the_callers_keys)
{
    char keys[64][16];
    strmap *b = strmap_new_borrowing(), *c = strmap_new();
    for (int i = 0; i < 64; i++) { /* through several growths */
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        ck_assert(strmap_add(b, keys[i], keys[i]));
        ck_assert(strmap_add(c, keys[i], keys[i]));
    }
    ck_assert(!strmap_add(b, "k7", NULL));
    ck_assert_ptr_eq(strmap_get(b, "k63"), keys[63]);
    keys[5][1] = 'x'; /* "k5" is "kx" now: the borrowing map holds that, the copying one "k5" */
    ck_assert(!strmap_has(b, "k5"));
    ck_assert(strmap_has(c, "k5"));
    strmap_free(b); /* keys are the caller's: ASan would report a free of the stack */
    strmap_free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("strmap");
    TCase *tc = tcase_create("strmap");
    tcase_add_test(tc, test_strmap_adds_finds_and_refuses_duplicates);
    tcase_add_test(tc, test_strmap_survives_growth);
    tcase_add_test(tc, test_strmap_borrowing_keeps_the_callers_keys);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
