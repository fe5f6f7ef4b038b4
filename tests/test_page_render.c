/* Tests of the site-wide outputs of page_render: redirects, sitemap, 404. */
#include "../generator/render/page_render.h"
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
    tu_write(f.dir, "site.yaml", "title: T\nbase_url: https://e.fi/kk/\n");
    tu_write(f.dir, "layouts/page.mustache", "{{page.title}}");
    char *page = xasprintf("---\ntitle: '%s'\naliases: [vanha/osoite/]\n---\n", title);
    tu_write(f.dir, "content/lait/index.md", page);
    free(page);
    f.src = src_load(f.dir, f.d);
    f.site = site_new(f.src, (site_options){NULL, false, NULL, NULL, NULL}, f.d);
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
    render_sitemap(f.site, &b);
    ck_assert_str_eq(b.ptr, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
                            "  <url><loc>https://e.fi/kk/lait/</loc></url>\n"
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
    render_env env = {"2026-01-01", "kasikirja test", NULL, NULL};
    ck_assert(render_404(f.site, lib, &env, &b, f.d));
    ck_assert_str_eq(b.ptr, "Sivua ei löytynyt|/kk/");
    buf_free(&b);
    mustache_lib_free(lib);
    done(&f);
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
    suite_add_tcase(s, tc);
    return tu_run(s);
}
