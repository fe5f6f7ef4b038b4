/* Tests of the field checks. */
#include "../generator/1-load/yaml_load.h"
#include "../generator/2-model/schema.h"
#include "testutil.h"

static val *load(const char *s, diag_list *d)
{
    return yaml_load(s, strlen(s), "content/f.yaml", 0, d);
}

START_TEST(test_schema_reports_unknown_keys_with_suggestion_or_list)
{
    diag_list *d = diag_list_new();
    val *m = load("nimi: x\nkutsja: y\nzzz: 1\n", d);
    static const char *const known[] = {"nimi", "kutsuja", NULL};
    ck_assert(!schema_known_keys(m, known, "a forum", d));
    ck_assert_diag(d, 0, "content/f.yaml:2:1: error: unknown key 'kutsja' in a forum (did you mean 'kutsuja'?)");
    ck_assert_diag(d, 1, "content/f.yaml:3:1: error: unknown key 'zzz' in a forum (known keys: nimi, kutsuja)");
    val_free(m);
    diag_list_free(d);
}
END_TEST

START_TEST(test_schema_text_accepts_scalars_and_refuses_collections)
{
    diag_list *d = diag_list_new();
    val *m = load("a: 2023\nb: [1]\nc: teksti\n", d);
    ck_assert_str_eq(schema_text(m, "a", true, "x", d), "2023");
    ck_assert_str_eq(schema_text(m, "c", true, "x", d), "teksti");
    ck_assert_ptr_null(schema_text(m, "b", true, "x", d));
    ck_assert_ptr_null(schema_text(m, "puuttuu", true, "the forum", d));
    ck_assert_ptr_null(schema_text(m, "valinnainen", false, "the forum", d));
    ck_assert_uint_eq(diag_errors(d), 2);
    ck_assert_diag(d, 0, "content/f.yaml:2:4: error: 'b' must be text, not a list");
    ck_assert_diag(d, 1, "content/f.yaml:1:1: error: the forum has no 'puuttuu': add a line 'puuttuu: …'");
    val_free(m);
    diag_list_free(d);
}
END_TEST

START_TEST(test_schema_bool_and_int_check_their_types)
{
    diag_list *d = diag_list_new();
    val *m = load("a: true\nb: 'kyllä'\nc: 7\nd: 7.5\n", d);
    ck_assert(schema_bool(m, "a", false, d));
    ck_assert(!schema_bool(m, "b", false, d));
    ck_assert(schema_int(m, "c", 0, d) == 7);
    ck_assert(schema_int(m, "d", -1, d) == -1);
    ck_assert(schema_int(m, "e", 3, d) == 3);
    ck_assert_diag(d, 0, "content/f.yaml:2:4: error: 'b' must be true or false");
    ck_assert_diag(d, 1, "content/f.yaml:4:4: error: 'd' must be a whole number, e.g. 'd: 10'");
    val_free(m);
    diag_list_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("schema");
    TCase *tc = tcase_create("schema");
    tcase_add_test(tc, test_schema_reports_unknown_keys_with_suggestion_or_list);
    tcase_add_test(tc, test_schema_text_accepts_scalars_and_refuses_collections);
    tcase_add_test(tc, test_schema_bool_and_int_check_their_types);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
