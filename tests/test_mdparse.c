/* Tests of load/mdparse: heading ids and lines, link positions, diagram
 * blocks, URL safety; no HTML (that is test_markdown.c). */
#include "../generator/1-load/mdparse.h"
#include "testutil.h"

START_TEST(test_mdparse_headings_get_unique_ids_and_file_lines)
{
    diag_list *d = diag_list_new();
    const char *src = "# Lait\n\n## Foorumit\n\n## Foorumit\n\n### !!!\n";
    md_doc *doc = md_parse(src, strlen(src), "content/a.md", 2, (md_options){false}, d);
    ck_assert_uint_eq(md_heading_count(doc), 4);
    ck_assert_str_eq(md_heading_at(doc, 1)->id, "foorumit");
    ck_assert_str_eq(md_heading_at(doc, 2)->id, "foorumit-1");
    ck_assert_str_eq(md_heading_at(doc, 2)->text, "Foorumit");
    ck_assert_int_eq(md_heading_at(doc, 2)->line, 7);
    ck_assert_str_eq(md_heading_at(doc, 3)->id, "otsikko");
    ck_assert_int_eq(md_heading_at(doc, 3)->level, 3);
    md_drop_tree(doc);
    ck_assert(md_has_anchor(doc, "foorumit"));
    ck_assert(!md_has_anchor(doc, "foorumi"));
    ck_assert_ptr_null(md_heading_at(doc, 4));
    md_free(doc);
    ck_assert_uint_eq(diag_count(d), 0);
    diag_list_free(d);
}
END_TEST

START_TEST(test_mdparse_places_links_and_images_in_the_file)
{
    const char *src = "Alku.\n\nKatso [lait](lait.md) ja ![kuva](k.png).\n";
    md_doc *doc = md_parse(src, strlen(src), "content/a.md", 3, (md_options){false}, NULL);
    ck_assert_uint_eq(md_link_count(doc), 2);
    ck_assert_str_eq(md_link_at(doc, 0)->url, "lait.md");
    ck_assert(!md_link_at(doc, 0)->image);
    ck_assert_int_eq(md_link_at(doc, 0)->line, 6);
    ck_assert_int_eq(md_link_at(doc, 0)->col, 7);
    ck_assert(md_link_at(doc, 1)->image);
    md_free(doc);
}
END_TEST

START_TEST(test_mdparse_finds_diagram_blocks)
{
    const char *src = "Teksti.\n\n```kaavio  pyora  \nx\n```\n\n~~~dot\ndigraph{}\n~~~\n\n```c\nx\n```\n";
    ck_assert(md_may_embed(src, strlen(src)));
    ck_assert(!md_may_embed("```c\nx\n```\n", strlen("```c\nx\n```\n")));
    md_doc *doc = md_parse(src, strlen(src), "content/a.md", 1, (md_options){false}, NULL);
    ck_assert_uint_eq(md_embed_count(doc), 2);
    ck_assert_str_eq(md_embed_at(doc, 0)->kind, "kaavio");
    ck_assert_str_eq(md_embed_at(doc, 0)->arg, "pyora");
    ck_assert_int_eq(md_embed_at(doc, 0)->line, 4);
    ck_assert_str_eq(md_embed_at(doc, 1)->kind, "dot");
    ck_assert_str_eq(md_embed_at(doc, 1)->text, "digraph{}\n");
    md_free(doc);
}
END_TEST

START_TEST(test_mdparse_url_safety_sees_through_obfuscation)
{
    ck_assert(!md_url_is_safe("javascript:x"));
    ck_assert(!md_url_is_safe("java\tscript:x"));
    ck_assert(!md_url_is_safe("  VBScript:x"));
    ck_assert(!md_url_is_safe("file:///etc/passwd"));
    ck_assert(md_url_is_safe("https://x.fi/javascript:"));
    ck_assert(md_url_is_safe("lait/index.md#javascript:"));
    ck_assert(md_url_is_safe("mailto:kirjaamo@example.fi"));
}
END_TEST

START_TEST(test_mdparse_free_of_null_is_a_no_op)
{
    md_free(NULL);
}
END_TEST

int main(void)
{
    md_global_init();
    Suite *s = suite_create("mdparse");
    TCase *tc = tcase_create("mdparse");
    tcase_add_test(tc, test_mdparse_headings_get_unique_ids_and_file_lines);
    tcase_add_test(tc, test_mdparse_places_links_and_images_in_the_file);
    tcase_add_test(tc, test_mdparse_finds_diagram_blocks);
    tcase_add_test(tc, test_mdparse_url_safety_sees_through_obfuscation);
    tcase_add_test(tc, test_mdparse_free_of_null_is_a_no_op);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
