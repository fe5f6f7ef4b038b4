/* Tests of the value tree. */
#include "../generator/0-base/value.h"
#include "testutil.h"

static const src_pos P = {"t.yaml", 1, 1};

START_TEST(test_value_formats_numbers_as_mustache_expects)
{
    val *a = val_num(1.210, P), *b = val_num(85, P), *c = val_num(-0.5, P);
    char *ta = val_to_text(a), *tb = val_to_text(b), *tc = val_to_text(c);
    ck_assert_str_eq(ta, "1.21");
    ck_assert_str_eq(tb, "85");
    ck_assert_str_eq(tc, "-0.5");
    free(ta), free(tb), free(tc);
    val_free(a), val_free(b), val_free(c);
}
END_TEST

START_TEST(test_value_truthiness_follows_mustache)
{
    val *l = val_list(P);
    ck_assert(!val_truthy(l));
    val_push(l, val_null(P));
    ck_assert(val_truthy(l));
    ck_assert(!val_truthy(val_at(l, 0)));
    val *f = val_bool(false, P), *z = val_num(0, P);
    ck_assert(!val_truthy(f));
    ck_assert(val_truthy(z));
    ck_assert(!val_truthy(NULL));
    val_free(l), val_free(f), val_free(z);
}
END_TEST

START_TEST(test_value_map_set_replaces_and_keeps_order)
{
    val *m = val_map(P);
    val_set_str(m, "a", "1");
    val_set_str(m, "b", "2");
    val_set_str(m, "a", "3");
    ck_assert_uint_eq(val_len(m), 2);
    ck_assert_str_eq(val_key_at(m, 0), "a");
    ck_assert_str_eq(val_get_str(m, "a"), "3");
    ck_assert_ptr_null(val_get(m, "c"));
    val_free(m);
}
END_TEST

START_TEST(test_value_ref_reads_through_and_does_not_own)
{
    val *target = val_map(P);
    val_set_str(target, "title", "Lait");
    val *holder = val_map(P);
    val_set(holder, "site", val_ref(target));
    ck_assert_str_eq(val_get_str(val_get(holder, "site"), "title"), "Lait");
    ck_assert_int_eq(val_kind_of(val_get(holder, "site")), VAL_MAP);
    val *copy = val_copy(holder);
    val_free(holder);
    ck_assert_str_eq(val_get_str(val_get(copy, "site"), "title"), "Lait"); /* target still alive */
    val_free(copy);
    val_free(target);
}
END_TEST

START_TEST(test_value_hash_follows_content_and_references_to_a_depth)
{
    src_pos at = {0};
    val *party = val_map(at);
    val_set_str(party, "id", "hva");
    val_set_str(party, "nimi", "Hyvinvointialue");
    val *forum = val_map(at);
    val_set_str(forum, "id", "neuvottelu");
    val_set(forum, "kutsuja", val_ref(party));
    val *copy = val_map(at);
    val_set_str(copy, "id", "neuvottelu");
    val_set(copy, "kutsuja", val_ref(party));
    uint64_t h1 = val_hash(forum, 1, 1), h0 = val_hash(forum, 1, 0);
    ck_assert(h1 == val_hash(copy, 1, 1)); /* same content, same hash */
    ck_assert(h1 != val_hash(forum, 2, 1)); /* chained from another start */
    /* A name one reference away counts when references are followed... */
    val_set_str(party, "nimi", "Pohjois-Karjalan hyvinvointialue");
    ck_assert(val_hash(forum, 1, 1) != h1);
    /* ...and past the depth only the id does. */
    ck_assert(val_hash(forum, 1, 0) == h0);
    val_set_str(party, "id", "siun-sote");
    ck_assert(val_hash(forum, 1, 0) != h0);
    /* Keys and kinds count, positions do not. */
    val *a = val_map(at), *b = val_map((src_pos){"x.yaml", 3, 4});
    val_set(a, "n", val_num(1, at));
    val_set(b, "n", val_str("1", at));
    ck_assert(val_hash(a, 1, 0) != val_hash(b, 1, 0));
    val_set(b, "n", val_num(1, (src_pos){"x.yaml", 9, 9}));
    ck_assert(val_hash(a, 1, 0) == val_hash(b, 1, 0));
    /* A cycle through references ends. */
    val_set(party, "kutsuu", val_ref(forum));
    (void)val_hash(forum, 1, 5);
    val_free(a);
    val_free(b);
    val_free(forum);
    val_free(copy);
    val_free(party);
}
END_TEST

typedef struct {
    const char *files[8];
    size_t n;
} file_set;

static void note_file(void *ud, const char *file)
{
    file_set *fs = ud;
    for (size_t i = 0; i < fs->n; i++)
        if (!strcmp(fs->files[i], file))
            return;
    ck_assert_uint_lt(fs->n, 8);
    fs->files[fs->n++] = file;
}

static bool has_file(const file_set *fs, const char *file)
{
    for (size_t i = 0; i < fs->n; i++)
        if (!strcmp(fs->files[i], file))
            return true;
    return false;
}

/* A page's date comes from val_files, its fingerprint from val_hash: at
 * every depth, a change in any file that moves the hash must be a file
 * val_files names (a chain forum -> party -> group -> law, a file each). */
START_TEST(test_value_files_name_every_file_whose_change_moves_the_hash)
{
    const char *names[] = {"mallit.yaml", "toimijat.yaml", "ryhmat.yaml", "lait.yaml"};
    val *ent[4];
    for (int i = 0; i < 4; i++) {
        src_pos at = {names[i], i + 1, 1};
        ent[i] = val_map(at);
        val_set_at(ent[i], "id", at, val_str(names[i], at));
        val_set_at(ent[i], "nimi", at, val_str("nimi", at));
        if (i > 0)
            val_set_at(ent[i - 1], "viittaa", at, val_ref(ent[i]));
    }
    for (int depth = 0; depth <= 3; depth++) {
        file_set fs = {.n = 0};
        val_files(ent[0], depth, note_file, &fs);
        for (int i = 0; i < 4; i++) {
            uint64_t before = val_hash(ent[0], 1, depth);
            src_pos at = {names[i], i + 1, 1};
            val_replace(ent[i], "nimi", val_str("muutettu", at));
            bool moved = val_hash(ent[0], 1, depth) != before;
            val_replace(ent[i], "nimi", val_str("nimi", at));
            if (moved)
                ck_assert_msg(has_file(&fs, names[i]), "depth %d: %s moves the hash but is not named", depth,
                              names[i]);
        }
        /* And what is named is what the hash reads (the id past the depth). */
        ck_assert_uint_eq(fs.n, (size_t)(depth + 2 > 4 ? 4 : depth + 2));
    }
    for (int i = 3; i >= 0; i--)
        val_free(ent[i]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("value");
    TCase *tc = tcase_create("value");
    tcase_add_test(tc, test_value_formats_numbers_as_mustache_expects);
    tcase_add_test(tc, test_value_truthiness_follows_mustache);
    tcase_add_test(tc, test_value_map_set_replaces_and_keeps_order);
    tcase_add_test(tc, test_value_ref_reads_through_and_does_not_own);
    tcase_add_test(tc, test_value_hash_follows_content_and_references_to_a_depth);
    tcase_add_test(tc, test_value_files_name_every_file_whose_change_moves_the_hash);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
