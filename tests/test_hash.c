/* Tests of the fingerprint hash. */
#include "../generator/0-base/hash.h"
#include "testutil.h"

START_TEST(test_hash_tells_bytes_and_boundaries_apart)
{
    ck_assert(hash_str(HASH_SEED, "abc") == hash_bytes(HASH_SEED, "abc", 3));
    ck_assert(hash_str(HASH_SEED, "abc") != hash_str(HASH_SEED, "abd"));
    ck_assert(hash_str(HASH_SEED, "") != hash_str(HASH_SEED, NULL));
    /* Where one string ends and the next begins counts. */
    ck_assert(hash_str(hash_str(HASH_SEED, "ab"), "c") != hash_str(hash_str(HASH_SEED, "a"), "bc"));
    /* Every length up to a few words, and a change in any byte of it, gives a new value. */
    char text[40] = "Hyvinvointialue ja kunnat neuvottelevat";
    for (size_t n = 0; n < sizeof text - 1; n++) {
        uint64_t h = hash_bytes(HASH_SEED, text, n);
        ck_assert(h != hash_bytes(HASH_SEED, text, n + 1));
        for (size_t i = 0; i < n; i++) {
            text[i] ^= 1;
            ck_assert(hash_bytes(HASH_SEED, text, n) != h);
            text[i] ^= 1;
        }
    }
    ck_assert(hash_u64(HASH_SEED, 1) != hash_u64(HASH_SEED, 2));
    ck_assert(hash_u64(1, 7) != hash_u64(2, 7));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hash");
    TCase *tc = tcase_create("hash");
    tcase_add_test(tc, test_hash_tells_bytes_and_boundaries_apart);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
