/* Tests of the message catalogs: lookup, placeholders, number forms, a
 * site's partial catalog, and the warnings about broken catalogs. */
#include "../generator/1-load/theme.h"
#include "../generator/2-model/i18n.h"
#include "testutil.h"

static const char ref_yaml[] = "yleiset:\n"
                               "  hae: Hae\n"
                               "  kutsuu_koolle: Kutsuu koolle\n"
                               "sivu:\n"
                               "  sivua: {yksi: \"1 sivu\", monta: \"{n} sivua\"}\n"
                               "  paivitetty: \"Päivitetty {paiva}\"\n";

static i18n_file file(const char *text, const char *name)
{
    return (i18n_file){.data = text, .len = strlen(text), .name = name};
}

static char *put(const i18n *c, const char *key, const char *name, const char *value)
{
    buf_t b = BUF_INIT;
    i18n_put(c, &b, key, name, value, NULL);
    return buf_detach(&b);
}

static char *put_n(const i18n *c, const char *key, long n)
{
    buf_t b = BUF_INIT;
    i18n_put_n(c, &b, key, n, NULL);
    return buf_detach(&b);
}

START_TEST(test_i18n_looks_up_texts_by_group_and_key)
{
    diag_list *d = diag_list_new();
    i18n *c = i18n_new("fi", file(ref_yaml, "fi.yaml"), (i18n_file){0}, (i18n_file){0}, d);
    ck_assert_uint_eq(diag_count(d), 0);
    ck_assert_str_eq(i18n_lang(c), "fi");
    ck_assert_str_eq(i18n_text(c, "yleiset.hae"), "Hae");
    ck_assert(i18n_has(c, "yleiset.kutsuu_koolle"));
    ck_assert(!i18n_has(c, "yleiset.kutsu_koolle"));
    /* The layouts' tree: t.yleiset.hae, t.sivu.sivua.yksi. */
    ck_assert_str_eq(val_get_str(val_get(i18n_tree(c), "yleiset"), "hae"), "Hae");
    ck_assert_str_eq(val_get_str(val_get(val_get(i18n_tree(c), "sivu"), "sivua"), "yksi"), "1 sivu");
    i18n_free(c);
    i18n_free(NULL);
    diag_list_free(d);
}
END_TEST

START_TEST(test_i18n_fills_placeholders_and_chooses_number_forms)
{
    diag_list *d = diag_list_new();
    i18n *c = i18n_new("fi", file(ref_yaml, "fi.yaml"), (i18n_file){0}, (i18n_file){0}, d);
    char *s = put(c, "sivu.paivitetty", "paiva", "17.3.2025");
    ck_assert_str_eq(s, "Päivitetty 17.3.2025");
    free(s);
    s = put(c, "sivu.paivitetty", "muu", "x"); /* a placeholder without a value stays as it is */
    ck_assert_str_eq(s, "Päivitetty {paiva}");
    free(s);
    s = put_n(c, "sivu.sivua", 1);
    ck_assert_str_eq(s, "1 sivu");
    free(s);
    s = put_n(c, "sivu.sivua", 0);
    ck_assert_str_eq(s, "0 sivua");
    free(s);
    s = put_n(c, "sivu.sivua", 12);
    ck_assert_str_eq(s, "12 sivua");
    free(s);
    i18n_free(c);
    diag_list_free(d);
}
END_TEST

START_TEST(test_i18n_site_catalog_overrides_single_keys)
{
    diag_list *d = diag_list_new();
    const char *sv = "yleiset:\n  hae: Sök\n  kutsuu_koolle: Sammankallare\n"
                     "sivu:\n  sivua: {yksi: \"1 sida\", monta: \"{n} sidor\"}\n  paivitetty: \"Uppdaterad {paiva}\"\n";
    const char *own = "yleiset:\n  hae: Sök här\n";
    i18n *c = i18n_new("sv", file(ref_yaml, "fi.yaml"), file(sv, "sv.yaml"), file(own, "layouts/kielet/sv.yaml"), d);
    ck_assert_uint_eq(diag_count(d), 0);
    ck_assert_str_eq(i18n_text(c, "yleiset.hae"), "Sök här");
    ck_assert_str_eq(i18n_text(c, "yleiset.kutsuu_koolle"), "Sammankallare");
    char *s = put_n(c, "sivu.sivua", 3);
    ck_assert_str_eq(s, "3 sidor");
    free(s);
    i18n_free(c);
    /* Finnish too: the site's fi.yaml holds only what it changes. */
    c = i18n_new("fi", file(ref_yaml, "fi.yaml"), file(ref_yaml, "fi.yaml"), file(own, "layouts/kielet/fi.yaml"), d);
    ck_assert_uint_eq(diag_count(d), 0);
    ck_assert_str_eq(i18n_text(c, "yleiset.hae"), "Sök här");
    ck_assert_str_eq(i18n_text(c, "yleiset.kutsuu_koolle"), "Kutsuu koolle");
    i18n_free(c);
    diag_list_free(d);
}
END_TEST

START_TEST(test_i18n_missing_keys_fall_back_to_finnish_with_a_warning_each)
{
    diag_list *d = diag_list_new();
    const char *sv = "yleiset:\n  hae: Sök\n";
    i18n *c = i18n_new("sv", file(ref_yaml, "fi.yaml"), file(sv, "sv.yaml"), (i18n_file){0}, d);
    ck_assert_uint_eq(diag_count(d), 3);
    ck_assert_diag(d, 0, "sv.yaml:1:1: warning: interface text 'yleiset.kutsuu_koolle' is missing: the Finnish text is used");
    ck_assert_diag(d, 1, "sv.yaml:1:1: warning: interface text 'sivu.sivua' is missing: the Finnish text is used");
    ck_assert_str_eq(i18n_text(c, "yleiset.hae"), "Sök");
    ck_assert_str_eq(i18n_text(c, "yleiset.kutsuu_koolle"), "Kutsuu koolle");
    i18n_free(c);
    diag_list_free(d);
    /* A language the theme has no catalog for: one warning. */
    d = diag_list_new();
    c = i18n_new("de", file(ref_yaml, "fi.yaml"), (i18n_file){0}, (i18n_file){0}, d);
    ck_assert_uint_eq(diag_count(d), 1);
    ck_assert_diag(d, 0, "kasikirja: warning: no interface texts for language 'de' (layouts/kielet/de.yaml): the Finnish ones are used");
    ck_assert_str_eq(i18n_text(c, "yleiset.hae"), "Hae");
    i18n_free(c);
    diag_list_free(d);
}
END_TEST

START_TEST(test_i18n_warns_of_unknown_keys_stray_placeholders_and_shapes)
{
    diag_list *d = diag_list_new();
    const char *own = "yleiset:\n"
                      "  kutsu_koolle: Kallar\n"
                      "  hae: \"Sök {sana}\"\n"
                      "sivu:\n"
                      "  sivua: \"sidor\"\n"
                      "  paivitetty: {yksi: a, monta: b}\n"
                      "lista: [a]\n";
    i18n *c = i18n_new("fi", file(ref_yaml, "fi.yaml"), (i18n_file){0}, file(own, "layouts/kielet/fi.yaml"), d);
    ck_assert_uint_eq(diag_count(d), 5);
    ck_assert_diag(d, 0, "layouts/kielet/fi.yaml:2:17: warning: unknown interface text 'yleiset.kutsu_koolle' "
                         "(did you mean 'yleiset.kutsuu_koolle'?)");
    ck_assert_diag(d, 1, "layouts/kielet/fi.yaml:3:8: warning: interface text 'yleiset.hae' uses the placeholder "
                         "{sana}, which is not filled in (its placeholders: none)");
    ck_assert_diag(d, 2, "layouts/kielet/fi.yaml:5:10: warning: interface text 'sivu.sivua' must be a map of its "
                         "forms 'yksi' and 'monta'");
    ck_assert_diag(d, 3, "layouts/kielet/fi.yaml:6:15: warning: interface text 'sivu.paivitetty' must be a text");
    ck_assert_diag(d, 4, "layouts/kielet/fi.yaml:7:8: warning: 'lista' must be a map of interface texts");
    /* What was refused keeps the reference's text. */
    ck_assert_str_eq(i18n_text(c, "yleiset.hae"), "Hae");
    ck_assert_str_eq(i18n_text(c, "sivu.paivitetty"), "Päivitetty {paiva}");
    i18n_free(c);
    diag_list_free(d);
}
END_TEST

/* Every catalog the theme ships has every key of the Finnish one, with no
 * placeholder the Finnish text lacks: building each gives no warning. */
START_TEST(test_i18n_builtin_catalogs_are_complete)
{
    static const char *const langs[] = {"fi", "sv", "en"};
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        diag_list *d = diag_list_new();
        i18n *c = i18n_builtin(langs[i], d);
        if (diag_count(d)) {
            char *m = tu_diag(d, 0);
            ck_abort_msg("%s: %s", langs[i], m);
        }
        ck_assert(i18n_has(c, "tiheys.vuodessa"));
        i18n_free(c);
        diag_list_free(d);
    }
    diag_list *d = diag_list_new();
    i18n *sv = i18n_builtin("sv", d);
    char *s = put_n(sv, "tiheys.vuodessa", 1);
    ck_assert_str_eq(s, "en gång per år");
    free(s);
    ck_assert_str_eq(i18n_text(sv, "kuukaudet.k1"), "januari");
    i18n_free(sv);
    diag_list_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("i18n");
    TCase *tc = tcase_create("i18n");
    tcase_add_test(tc, test_i18n_looks_up_texts_by_group_and_key);
    tcase_add_test(tc, test_i18n_fills_placeholders_and_chooses_number_forms);
    tcase_add_test(tc, test_i18n_site_catalog_overrides_single_keys);
    tcase_add_test(tc, test_i18n_missing_keys_fall_back_to_finnish_with_a_warning_each);
    tcase_add_test(tc, test_i18n_warns_of_unknown_keys_stray_placeholders_and_shapes);
    tcase_add_test(tc, test_i18n_builtin_catalogs_are_complete);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
