/* Tests of the whole pipeline run (build_run) and page rendering. */
#include "../generator/build.h"
#include "testutil.h"

static char *site_dir(void)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "site.yaml",
             "title: T & K\nbase_url: https://e.fi/\nmenu:\n  - title: Lait\n    page: lait/index.md\n");
    tu_write(dir, "layouts/page.mustache",
             "<title>{{page.title}}</title><link href=\"{{root}}t.css\">"
             "{{#menu}}<a href=\"{{url}}\"{{#active}} aria-current=\"page\"{{/active}}>{{title}}</a>{{/menu}}"
             "{{#page.toc}}[{{id}}]{{/page.toc}}{{page.params.oma}}|{{page.permalink}}|{{{page.content}}}");
    tu_write(dir, "layouts/static/t.css", "b{}");
    tu_write(dir, "content/index.md", "---\ntitle: Koti <b>\n---\n[l](lait/index.md)\n");
    tu_write(dir, "content/lait/index.md",
             "---\ntitle: Lait\noma: vapaa kenttä\n---\n## Yksi\n\n## Kaksi\n\n[k](../index.md)\n");
    return dir;
}

START_TEST(test_build_writes_pages_through_their_layouts)
{
    char *dir = site_dir();
    char *out = xasprintf("%s/public", dir);
    diag_list *d = diag_list_new();
    build_stats st;
    build_options o = {dir, out, NULL, false, true};
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_eq(st.pages, 2);
    ck_assert_uint_eq(st.files, 7); /* 2 pages, sitemap, robots.txt, search index, t.css, marker */
    char *home = tu_read(out, "index.html");
    ck_assert_str_eq(home, "<title>Koti &lt;b&gt;</title><link href=\"t.css\"><a href=\"lait/\">Lait</a>"
                           "|https://e.fi/|<p><a href=\"lait/\">l</a></p>\n");
    char *lait = tu_read(out, "lait/index.html");
    ck_assert_str_eq(lait, "<title>Lait</title><link href=\"../t.css\"><a href=\"../lait/\" "
                           "aria-current=\"page\">Lait</a>[yksi][kaksi]vapaa kenttä|https://e.fi/lait/|"
                           "<h2 id=\"yksi\">\nYksi\n</h2>\n<h2 id=\"kaksi\">\nKaksi\n</h2>\n"
                           "<p><a href=\"../\">k</a></p>\n");
    free(home);
    free(lait);
    diag_list_free(d);
    free(out);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_build_failure_keeps_previous_output_byte_for_byte)
{
    char *dir = site_dir();
    char *out = xasprintf("%s/public", dir);
    diag_list *d = diag_list_new();
    build_stats st;
    build_options o = {dir, out, NULL, false, true};
    ck_assert(build_run(&o, d, &st));
    char *before = tu_read(out, "lait/index.html");
    tu_write(dir, "content/lait/index.md", "---\ntitle: Lait\n---\n[rikki](puuttuu.md)\n");
    ck_assert(!build_run(&o, d, &st));
    ck_assert_diag(d, 0,
                   "content/lait/index.md:4:1: error: the link 'puuttuu.md' points at "
                   "content/lait/puuttuu.md, which does not exist");
    char *after = tu_read(out, "lait/index.html");
    ck_assert_str_eq(after, before);
    free(before);
    free(after);
    diag_list_free(d);
    free(out);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_build_check_mode_writes_nothing)
{
    char *dir = site_dir();
    char *out = xasprintf("%s/public", dir);
    diag_list *d = diag_list_new();
    build_stats st;
    build_options o = {dir, out, NULL, false, false};
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_eq(st.pages, 2);
    ck_assert_int_ne(access(out, F_OK), 0);
    diag_list_free(d);
    free(out);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_build_reports_template_errors_at_the_layout)
{
    char *dir = site_dir();
    tu_write(dir, "layouts/page.mustache", "alku\n{{#page.toc}}\n{{{page.content}}}\n");
    char *out = xasprintf("%s/public", dir);
    diag_list *d = diag_list_new();
    build_stats st;
    build_options o = {dir, out, NULL, false, true};
    ck_assert(!build_run(&o, d, &st));
    ck_assert_uint_eq(diag_errors(d), 1);
    char *msg = tu_diag(d, 0);
    ck_assert_ptr_nonnull(strstr(msg, "layouts/page.mustache:2:1: error: "));
    ck_assert_ptr_nonnull(strstr(msg, "page.toc"));
    free(msg);
    ck_assert_int_ne(access(out, F_OK), 0);
    diag_list_free(d);
    free(out);
    tu_rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("build");
    TCase *tc = tcase_create("build");
    tcase_add_test(tc, test_build_writes_pages_through_their_layouts);
    tcase_add_test(tc, test_build_failure_keeps_previous_output_byte_for_byte);
    tcase_add_test(tc, test_build_check_mode_writes_nothing);
    tcase_add_test(tc, test_build_reports_template_errors_at_the_layout);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
