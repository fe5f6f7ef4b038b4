/* Tests of init: the placeholders of the starter site, escaped for YAML and
 * Markdown, and the welfare area's id. */
#include "../generator/init.h"
#include "testutil.h"

static char *yaml(const char *s)
{
    buf_t b = BUF_INIT;
    init_yaml_escape(s, &b);
    return buf_detach(&b);
}

static char *md(const char *s)
{
    buf_t b = BUF_INIT;
    init_md_escape(s, &b);
    return buf_detach(&b);
}

START_TEST(test_yaml_escape_keeps_a_double_quoted_scalar_whole)
{
    const char *cases[][2] = {
        {"Etelä-Karjala", "Etelä-Karjala"},
        {"Alue \"Uusi\": #1", "Alue \\\"Uusi\\\": #1"},
        {"a\\b", "a\\\\b"},
        {"rivi\nja\ttab\x01", "rivi\\nja\\ttab\\x01"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = yaml(cases[i][0]);
        ck_assert_str_eq(s, cases[i][1]);
        free(s);
    }
}
END_TEST

START_TEST(test_md_escape_leaves_nothing_for_markdown_to_read)
{
    const char *cases[][2] = {
        {"Etelä-Karjalan hyvinvointialue", "Etelä-Karjalan hyvinvointialue"},
        {"*[x]* <b> #1 `k` _a_ \\", "\\*\\[x\\]\\* \\<b\\> \\#1 \\`k\\` \\_a\\_ \\\\"},
        {"a\nb", "a b"},
        {"{{x}} & !|~", "\\{\\{x\\}\\} \\& \\!\\|\\~"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = md(cases[i][0]);
        ck_assert_str_eq(s, cases[i][1]);
        free(s);
    }
}
END_TEST

START_TEST(test_id_from_the_short_name)
{
    const char *cases[][2] = {
        {"Eksote", "eksote"},
        {"Siun sote", "siun-sote"},
        {"Päijät-Häme", "paijat-hame"},
        {"Ääni: #1", "aani-1"},
        {"Åland ßé", "aland-se"},
        {"!!!", "hva"},
        {"", "hva"},
        {"Kunnat", "kunnat-hva"},
        {"MAAKUNTALIITTO", "maakuntaliitto-hva"},
        {"Ω-alue", "alue"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = init_id(cases[i][0]);
        ck_assert_msg(!strcmp(s, cases[i][1]), "%s -> %s, expected %s", cases[i][0], s, cases[i][1]);
        free(s);
    }
}
END_TEST

START_TEST(test_fill_escapes_by_where_the_placeholder_is)
{
    init_names n = {.alue = "A: \"#\"", .hva = "*H*", .lyhenne = "Lyh"};
    size_t len;
    const char *page = "---\ntitle: \"@ALUE@\"\n---\n@ALUE@ ja @HVA@ (@LYHENNE@, @ID@) @MUU@\n";
    char *s = init_fill("content/index.md", page, strlen(page), &n, &len);
    ck_assert_str_eq(s, "---\ntitle: \"A: \\\"#\\\"\"\n---\nA: \\\"\\#\\\" ja \\*H\\* (Lyh, lyh) @MUU@\n");
    ck_assert_uint_eq(len, strlen(s));
    free(s);
    const char *data = "nimi: \"@HVA@\" # @ALUE@\n";
    s = init_fill("content/data/toimijat.yaml", data, strlen(data), &n, &len);
    ck_assert_str_eq(s, "nimi: \"*H*\" # A: \\\"#\\\"\n");
    free(s);
    init_names none = {0};
    s = init_fill("content/data/mallit/esimerkki.yaml.txt", data, strlen(data), &none, &len);
    ck_assert_str_eq(s, "nimi: \"" INIT_HVA "\" # " INIT_ALUE "\n");
    free(s);
    s = init_fill("x.md", "", 0, &none, &len);
    ck_assert_str_eq(s, "");
    ck_assert_uint_eq(len, 0);
    free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("init");
    TCase *tc = tcase_create("init");
    tcase_add_test(tc, test_yaml_escape_keeps_a_double_quoted_scalar_whole);
    tcase_add_test(tc, test_md_escape_leaves_nothing_for_markdown_to_read);
    tcase_add_test(tc, test_id_from_the_short_name);
    tcase_add_test(tc, test_fill_escapes_by_where_the_placeholder_is);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
