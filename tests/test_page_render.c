/* Tests of the site-wide outputs of page_render: redirects, sitemap, 404. */
#include "../generator/4-render/page_render.h"
#include "testutil.h"

typedef struct {
    char *dir;
    src_tree *src;
    site *site;
    diag_list *d;
} fixture;

static fixture make(const char *title)
{
    fixture f = {tu_tmpdir(), NULL, NULL, diag_list_new()};
    tu_write(f.dir, "site.yaml", "ohjeet: false\ntitle: T\nbase_url: https://e.fi/kk/\n");
    tu_write(f.dir, "layouts/page.mustache", "{{page.title}}");
    char *page = xasprintf("---\ntitle: '%s'\naliases: [vanha/osoite/]\n---\n", title);
    tu_write(f.dir, "content/lait/index.md", page);
    free(page);
    f.src = src_load(f.dir, f.d);
    f.site = site_new(f.src, (site_options){NULL, false, NULL, NULL, NULL, false}, f.d);
    site_resolve(f.site, f.d);
    ck_assert_uint_eq(diag_errors(f.d), 0);
    return f;
}

static void done(fixture *f)
{
    site_free(f->site);
    src_free(f->src);
    diag_list_free(f->d);
    tu_rmdir(f->dir);
}

START_TEST(test_page_render_alias_redirects_relatively_and_escapes)
{
    fixture f = make("Lait \"& <säädökset>\"");
    buf_t b = BUF_INIT;
    const page *p = site_page_at(f.site, 0);
    render_alias(f.site, p, page_alias_at(p, 0), &b);
    ck_assert_ptr_nonnull(strstr(b.ptr, "<meta http-equiv=\"refresh\" content=\"0; url=../../lait/\">"));
    ck_assert_ptr_nonnull(strstr(b.ptr, "<link rel=\"canonical\" href=\"https://e.fi/kk/lait/\">"));
    ck_assert_ptr_nonnull(strstr(b.ptr, "<title>Lait &quot;&amp; &lt;säädökset&gt;&quot;</title>"));
    ck_assert_ptr_null(strstr(b.ptr, "<säädökset>"));
    buf_free(&b);
    done(&f);
}
END_TEST

START_TEST(test_page_render_sitemap_lists_absolute_urls)
{
    fixture f = make("Lait");
    buf_t b = BUF_INIT;
    render_sitemap(f.site, NULL, &b);
    ck_assert_str_eq(b.ptr, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
                            "  <url><loc>https://e.fi/kk/lait/</loc></url>\n"
                            "  <url><loc>https://e.fi/kk/</loc></url>\n" /* no index.md: the generated front page */
                            "</urlset>\n");
    buf_free(&b);
    done(&f);
}
END_TEST

START_TEST(test_page_render_404_links_from_the_base_path)
{
    fixture f = make("Lait");
    mustache_lib *lib = mustache_lib_new();
    const char *tpl = "{{page.title}}|{{root}}";
    ck_assert(mustache_lib_add(lib, "404", tpl, strlen(tpl), "layouts/404.mustache", f.d));
    buf_t b = BUF_INIT;
    render_env env = {.date = "2026-01-01", .generator = "kasikirja test"};
    ck_assert(render_404(f.site, 0, lib, &env, &b, f.d));
    ck_assert_str_eq(b.ptr, "Sivua ei löytynyt|/kk/");
    buf_free(&b);
    mustache_lib_free(lib);
    done(&f);
}
END_TEST

/* The sidebar for pages at every depth: the current page marked, its section open. */
START_TEST(test_page_render_sidebar_opens_the_current_section)
{
    char *dir = tu_tmpdir();
    diag_list *d = diag_list_new();
    tu_write(dir, "site.yaml", "ohjeet: false\ntitle: T\nbase_url: https://e.fi/\n");
    const char *tpl = "{{#nav}}{{#sidebar}}<a href=\"{{url}}\"{{#current}} c{{/current}}>{{title}}</a>"
                      "{{#open}}[{{#children}}<a href=\"{{url}}\"{{#current}} c{{/current}}>{{title}}</a>"
                      "{{/children}}]{{/open}}{{/sidebar}}{{/nav}}";
    tu_write(dir, "layouts/page.mustache", tpl);
    tu_write(dir, "content/index.md", "---\ntitle: Koti\n---\n");
    tu_write(dir, "content/a/index.md", "---\ntitle: A\n---\n");
    tu_write(dir, "content/a/x.md", "---\ntitle: AX\n---\n");
    tu_write(dir, "content/a/y/index.md", "---\ntitle: AY\n---\n");
    tu_write(dir, "content/a/y/z.md", "---\ntitle: AYZ\n---\n");
    tu_write(dir, "content/b.md", "---\ntitle: B\n---\n");
    src_tree *src = src_load(dir, d);
    site *s = site_new(src, (site_options){NULL, false, NULL, NULL, NULL, false}, d);
    site_resolve(s, d);
    mustache_lib *lib = mustache_lib_new();
    ck_assert(mustache_lib_add(lib, "page", tpl, strlen(tpl), NULL, d));
    render_env shared = {.date = "2026-01-01", .generator = "t"};
    ck_assert_uint_eq(site_page_count(s), 6);
    buf_t b = BUF_INIT;
    ck_assert(render_page(s, site_page_by_src(s, "content/a/y/z.md"), lib, &shared, &b, NULL, d));
    ck_assert_str_eq(buf_cstr(&b), "<a href=\"../../../a/\">A</a>[<a href=\"../../../a/x/\">AX</a>"
                                   "<a href=\"../../../a/y/\">AY</a>]<a href=\"../../../b/\">B</a>");
    buf_clear(&b);
    ck_assert(render_page(s, site_page_by_src(s, "content/a/x.md"), lib, &shared, &b, NULL, d));
    ck_assert_str_eq(buf_cstr(&b), "<a href=\"../../a/\">A</a>[<a href=\"../../a/x/\" c>AX</a>"
                                   "<a href=\"../../a/y/\">AY</a>]<a href=\"../../b/\">B</a>");
    buf_free(&b);
    ck_assert_uint_eq(diag_errors(d), 0);
    mustache_lib_free(lib);
    site_free(s);
    src_free(src);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

/* A folder of 130 pages without an index page: its generated section page
 * lists them a hundred at a time (a/, a/sivu/2/), and a page's sidebar
 * shows the 20 around it with the count of all. */
START_TEST(test_page_render_long_sections_show_a_window_and_a_paged_list)
{
    char *dir = tu_tmpdir();
    diag_list *d = diag_list_new();
    tu_write(dir, "site.yaml", "ohjeet: false\ntitle: T\nbase_url: https://e.fi/\n");
    const char *tpl = "{{#nav}}{{#sidebar}}{{title}}{{#open}}[{{#children}}{{title}}{{#current}}*{{/current}},"
                      "{{/children}}{{#kaikki}}+{{count}}{{/kaikki}}]{{/open}};{{/sidebar}}{{/nav}}|"
                      "{{#page.luettelo}}{{alku}}-{{loppu}}/{{yhteensa}}:{{sivuja}}{{#edellinen}}<{{url}}{{/edellinen}}"
                      "{{#seuraava}}>{{url}}{{/seuraava}}{{/page.luettelo}}";
    tu_write(dir, "layouts/page.mustache", tpl);
    tu_write(dir, "layouts/osio.mustache", tpl);
    tu_write(dir, "content/index.md", "---\ntitle: Koti\n---\n");
    for (int i = 0; i < 130; i++) {
        char path[64], text[64];
        snprintf(path, sizeof path, "content/a/p%03d.md", i);
        snprintf(text, sizeof text, "---\ntitle: p%03d\nweight: %d\n---\n", i, i);
        tu_write(dir, path, text);
    }
    src_tree *src = src_load(dir, d);
    site *s = site_new(src, (site_options){NULL, false, NULL, NULL, NULL, false}, d);
    site_resolve(s, d);
    ck_assert_uint_eq(diag_errors(d), 0);
    mustache_lib *lib = mustache_lib_new();
    ck_assert(mustache_lib_add(lib, "page", tpl, strlen(tpl), NULL, d));
    ck_assert(mustache_lib_add(lib, "osio", tpl, strlen(tpl), NULL, d));
    render_env env = {.date = "2026-01-01", .generator = "t"};
    buf_t b = BUF_INIT;
    ck_assert(render_page(s, site_page_by_src(s, "content/a/p064.md"), lib, &env, &b, NULL, d));
    buf_t want = BUF_INIT;
    buf_puts(&want, "A[");
    for (int i = 54; i < 74; i++)
        buf_printf(&want, "p%03d%s,", i, i == 64 ? "*" : "");
    buf_puts(&want, "+130];|");
    ck_assert_str_eq(buf_cstr(&b), buf_cstr(&want));
    const page *sec = NULL, *second = NULL;
    for (size_t i = 0; i < site_page_count(s); i++) {
        if (!strcmp(page_url(site_page_at(s, i)), "a/"))
            sec = site_page_at(s, i);
        if (!strcmp(page_url(site_page_at(s, i)), "a/sivu/2/"))
            second = site_page_at(s, i);
    }
    ck_assert_ptr_nonnull(sec);
    ck_assert_ptr_nonnull(second);
    ck_assert(page_is_section(sec));
    ck_assert_str_eq(page_title(sec), "A");
    buf_clear(&b);
    ck_assert(render_page(s, sec, lib, &env, &b, NULL, d));
    ck_assert_ptr_nonnull(strstr(buf_cstr(&b), "|1-100/130:2>../a/sivu/2/"));
    buf_clear(&b);
    ck_assert(render_page(s, second, lib, &env, &b, NULL, d));
    ck_assert_ptr_nonnull(strstr(buf_cstr(&b), "|101-130/130:2<../../../a/"));
    buf_free(&b);
    buf_free(&want);
    ck_assert_uint_eq(diag_errors(d), 0);
    mustache_lib_free(lib);
    site_free(s);
    src_free(src);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

int main(void)
{
    md_global_init();
    
Suite *s = suite_create("page_render");
    TCase *tc = tcase_create("page_render");
    tcase_add_test(tc, test_page_render_alias_redirects_relatively_and_escapes);
    tcase_add_test(tc, test_page_render_sitemap_lists_absolute_urls);
    tcase_add_test(tc, test_page_render_404_links_from_the_base_path);
    tcase_add_test(tc, test_page_render_sidebar_opens_the_current_section);
    tcase_add_test(tc, test_page_render_long_sections_show_a_window_and_a_paged_list);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
