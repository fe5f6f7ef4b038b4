/* Tests of the field checks, the key tables and the JSON Schemas made from them. */
#include "../generator/1-load/yaml_load.h"
#include "../generator/2-model/model.h"
#include "../generator/2-model/schema.h"
#include "../generator/schemas.h"
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

/* The schema named name as JSON (caller frees). */
static char *schema_text_of(const char *name)
{
    for (size_t i = 0; i < schemas_count(); i++) {
        if (strcmp(schemas_name(i), name) != 0)
            continue;
        buf_t b = BUF_INIT;
        ck_assert(schemas_json(i, &b));
        return buf_detach(&b);
    }
    ck_abort_msg("no schema '%s'", name);
    return NULL;
}

START_TEST(test_schema_json_of_the_model_table_has_its_enums_and_closed_objects)
{
    ck_assert_uint_eq(schemas_count(), 10);
    char *json = schema_text_of("malli");
    ck_assert_ptr_nonnull(strstr(json, "\"$schema\": \"http://json-schema.org/draft-07/schema#\""));
    /* A forum's levels, from the same list the validator reads. */
    ck_assert_ptr_nonnull(strstr(json, "\"enum\": [\"poliittinen\", \"strateginen\", \"johto\", \"operatiivinen\", "
                                       "\"asiantuntijaverkosto\", \"kumppanuus\"]"));
    /* Unknown keys refused, as schema_known_keys refuses them. */
    ck_assert_ptr_nonnull(strstr(json, "\"additionalProperties\": false"));
    ck_assert_ptr_null(strstr(json, "\"additionalProperties\": true"));
    ck_assert_ptr_nonnull(strstr(json, "\"description\": \"Foorumin taso.\""));
    ck_assert_ptr_nonnull(strstr(json, "valtuustokausi"));
    free(json);
    json = schema_text_of("asiakirjat");
    ck_assert_ptr_nonnull(strstr(json, "\"vanhentunut\", \"ei tiedossa\"]"));
    free(json);
    /* Front matter has free fields: its object is open. */
    json = schema_text_of("sivu");
    ck_assert_ptr_nonnull(strstr(json, "\"additionalProperties\": true"));
    ck_assert_ptr_nonnull(strstr(json, "\"required\": [\"title\"]"));
    free(json);
}
END_TEST

START_TEST(test_schema_check_keys_reads_the_table)
{
    static const char *const colours[] = {"punainen", "sininen", NULL};
    static const schema_key keys[] = {
        {.key = "nimi", .kind = SK_TEXT, .required = true, .desc = "Nimi."},
        {.key = "vari", .kind = SK_ENUM, .values = colours, .desc = "Väri."},
        {0},
    };
    static const schema_table closed = {"a thing", "Asia.", keys, false};
    static const schema_table open = {"a page", "Sivu.", keys, true};
    diag_list *d = diag_list_new();
    val *m = load("nimi: x\nvarri: punainen\n", d);
    ck_assert(!schema_check_keys(m, &closed, d));
    ck_assert(schema_check_keys(m, &open, d));
    ck_assert_uint_eq(diag_errors(d), 1);
    ck_assert_diag(d, 0, "content/f.yaml:2:1: error: unknown key 'varri' in a thing (did you mean 'vari'?)");
    buf_t b = BUF_INIT;
    val *s = schema_of_table(&closed);
    schema_json(s, &b);
    ck_assert_str_eq(b.ptr, "{\n"
                            "  \"description\": \"Asia.\",\n"
                            "  \"type\": \"object\",\n"
                            "  \"properties\": {\n"
                            "    \"nimi\": {\n"
                            "      \"description\": \"Nimi.\",\n"
                            "      \"type\": [\"string\", \"number\", \"boolean\"]\n"
                            "    },\n"
                            "    \"vari\": {\n"
                            "      \"description\": \"V\u00e4ri.\",\n"
                            "      \"enum\": [\"punainen\", \"sininen\", null]\n"
                            "    }\n"
                            "  },\n"
                            "  \"required\": [\"nimi\"],\n"
                            "  \"additionalProperties\": false\n"
                            "}\n");
    buf_free(&b);
    val_free(s);
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
    tcase_add_test(tc, test_schema_json_of_the_model_table_has_its_enums_and_closed_objects);
    tcase_add_test(tc, test_schema_check_keys_reads_the_table);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
