/* Tests of render/markdown: GFM output, heading ids in the HTML, link decisions,
 * raw HTML, glossary terms, scroll regions. Parsing: test_mdparse.c. */
#include <pthread.h>

#include "../generator/4-render/markdown.h"
#include "testutil.h"

static char *render(const char *src, bool unsafe, md_resolve_fn fn, void *ud, diag_list *d)
{
    md_doc *doc = md_parse(src, strlen(src), "content/a.md", 3, (md_options){unsafe}, d);
    buf_t b = BUF_INIT;
    md_render(doc, fn, ud, &b, d);
    md_free(doc);
    return buf_detach(&b);
}

START_TEST(test_markdown_headings_get_unique_ids)
{
    diag_list *d = diag_list_new();
    const char *src = "# Lait\n\n## Foorumit\n\n## Foorumit\n";
    md_doc *doc = md_parse(src, strlen(src), "content/a.md", 0, (md_options){false}, d);
    ck_assert_uint_eq(md_heading_count(doc), 3);
    ck_assert_str_eq(md_heading_at(doc, 2)->id, "foorumit-1");
    ck_assert_int_eq(md_heading_at(doc, 2)->line, 5);
    ck_assert(md_has_anchor(doc, "foorumit"));
    ck_assert(!md_has_anchor(doc, "foorumi"));
    buf_t b = BUF_INIT;
    md_render(doc, NULL, NULL, &b, d);
    ck_assert_ptr_nonnull(strstr(b.ptr, "<h2 id=\"foorumit-1\">"));
    buf_free(&b);
    md_free(doc);
    diag_list_free(d);
}
END_TEST

START_TEST(test_markdown_renders_gfm_extensions)
{
    diag_list *d = diag_list_new();
    char *html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~pois~~ https://example.fi\n\n"
                        "Viite[^1]\n\n[^1]: Huomautus.\n\n- [x] tehty\n",
                        false, NULL, NULL, d);
    ck_assert_ptr_nonnull(strstr(html, "<td>1</td>"));
    ck_assert_ptr_nonnull(strstr(html, "<del>pois</del>"));
    ck_assert_ptr_nonnull(strstr(html, "<a href=\"https://example.fi\">"));
    ck_assert_ptr_nonnull(strstr(html, "class=\"footnotes\""));
    ck_assert_ptr_nonnull(strstr(html, "type=\"checkbox\""));
    ck_assert_uint_eq(diag_count(d), 0);
    free(html);
    diag_list_free(d);
}
END_TEST

START_TEST(test_markdown_wraps_tables_and_code_blocks_in_labelled_scroll_regions)
{
    diag_list *d = diag_list_new();
    char *html = render("| a |\n|---|\n| 1 |\n\n## Foorumit & \"ryhmät\"\n\nTeksti.\n\n| b |\n|---|\n| 2 |\n\n"
                        "```yaml extra\nx: 1\n```\n\n    sisennetty\n\n> | c |\n> |---|\n> | 3 |\n",
                        false, NULL, NULL, d);
    static const char *const want[] = {
        "<div class=\"vieritys\" role=\"region\" tabindex=\"0\" aria-label=\"Taulukko\">\n<table>",
        "<div class=\"vieritys\" role=\"region\" tabindex=\"0\" "
        "aria-label=\"Taulukko: Foorumit &amp; &quot;ryhmät&quot;\">\n<table>",
        "<div class=\"vieritys\" role=\"region\" tabindex=\"0\" aria-label=\"Koodiesimerkki (yaml)\">\n<pre>",
        "<div class=\"vieritys\" role=\"region\" tabindex=\"0\" aria-label=\"Koodiesimerkki\">\n<pre>",
        /* inside a quote: the heading before the quote */
        "<blockquote>\n<div class=\"vieritys\" role=\"region\" tabindex=\"0\" "
        "aria-label=\"Taulukko: Foorumit &amp; &quot;ryhmät&quot;\">\n<table>",
    };
    const char *at = html;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *hit = strstr(at, want[i]);
        ck_assert_msg(hit != NULL, "missing, in order: %s\nin: %s", want[i], html);
        at = hit + 1;
    }
    ck_assert_ptr_nonnull(strstr(html, "</table>\n</div>"));
    ck_assert_ptr_nonnull(strstr(html, "</pre>\n</div>"));
    ck_assert_uint_eq(diag_count(d), 0);
    free(html);
    diag_list_free(d);
}
END_TEST

START_TEST(test_markdown_drops_raw_html_with_a_warning)
{
    diag_list *d = diag_list_new();
    char *html = render("Teksti <b onclick=x>lihava</b>.\n\n<script>alert(1)</script>\n", false,
                        NULL, NULL, d);
    ck_assert_ptr_null(strstr(html, "<b"));
    ck_assert_ptr_null(strstr(html, "<script"));
    ck_assert_ptr_nonnull(strstr(html, "lihava"));
    ck_assert_uint_eq(diag_warnings(d), 3);
    ck_assert_diag(d, 2,
                   "content/a.md:6:1: warning: raw HTML is left out of the page (write it in "
                   "Markdown, or set 'unsafe_html: true' in site.yaml to allow HTML)");
    free(html);
    diag_list_free(d);
}
END_TEST

START_TEST(test_markdown_keeps_raw_html_when_allowed_but_filters_tags)
{
    diag_list *d = diag_list_new();
    char *html = render("<div class=\"laatikko\">x</div>\n\n<script>y</script>\n", true, NULL, NULL, d);
    ck_assert_ptr_nonnull(strstr(html, "<div class=\"laatikko\">"));
    ck_assert_ptr_null(strstr(html, "<script>")); /* GFM tagfilter */
    ck_assert_uint_eq(diag_count(d), 0);
    free(html);
    diag_list_free(d);
}
END_TEST

START_TEST(test_markdown_drops_script_urls_even_with_html_allowed)
{
    diag_list *d = diag_list_new();
    char *html = render("[a](javascript:alert(1)) [b]( JaVaScRiPt:x) ![c](data:text/html,x) "
                        "[d](https://ok.fi)\n",
                        true, NULL, NULL, d);
    ck_assert_ptr_null(strstr(html, "javascript"));
    ck_assert_ptr_null(strstr(html, "JaVaScRiPt"));
    ck_assert_ptr_null(strstr(html, "data:"));
    ck_assert_ptr_nonnull(strstr(html, "<a href=\"https://ok.fi\">d</a>"));
    ck_assert_ptr_nonnull(strstr(html, ">a "));
    ck_assert_uint_eq(diag_warnings(d), 3);
    ck_assert_diag(d, 0,
                   "content/a.md:4:1: warning: link 'javascript:alert(1)' is removed: javascript:, "
                   "vbscript:, data: and file: addresses are not allowed (link to a page or an "
                   "https:// address)");
    free(html);
    diag_list_free(d);
}
END_TEST

static md_link_action rewrite(void *ud, const md_link *l, char **out, const char **lang)
{
    int *calls = ud;
    (*calls)++;
    if (!strcmp(l->url, "lait.md")) {
        *out = xstrdup("../lait/");
        return MD_LINK_REPLACE;
    }
    if (!strcmp(l->url, "fi.md")) {
        *out = xstrdup("../../sivu/?q=a b&c#ö");
        *lang = "fi";
        return MD_LINK_REPLACE;
    }
    if (!strcmp(l->url, "pois.md"))
        return MD_LINK_DROP;
    return MD_LINK_KEEP;
}

START_TEST(test_markdown_hands_links_to_the_resolver_with_positions)
{
    diag_list *d = diag_list_new();
    const char *src = "Alku.\n\nKatso [lait](lait.md) ja [poistettu](pois.md) ja [ulos](https://x.fi).\n"
                      "[Suomeksi *vain*](fi.md \"Otsikko\")\n\n| a |\n|---|\n| [solussa](fi.md) ~~[yliviivattu](fi.md)~~ |\n";
    md_doc *doc = md_parse(src, strlen(src), "content/a.md", 3, (md_options){false}, d);
    ck_assert_uint_eq(md_link_count(doc), 6);
    ck_assert_str_eq(md_link_at(doc, 0)->url, "lait.md");
    ck_assert_int_eq(md_link_at(doc, 0)->line, 6);
    ck_assert_int_eq(md_link_at(doc, 0)->col, 7);
    int calls = 0;
    buf_t b = BUF_INIT;
    md_render(doc, rewrite, &calls, &b, d);
    ck_assert_int_eq(calls, 6);
    ck_assert_ptr_nonnull(strstr(b.ptr, "<a href=\"../lait/\">lait</a>"));
    ck_assert_ptr_nonnull(strstr(b.ptr, "<a href=\"../../sivu/?q=a%20b&amp;c#%C3%B6\" title=\"Otsikko\" "
                                        "hreflang=\"fi\" lang=\"fi\">Suomeksi <em>vain</em></a>"));
    /* a table cell refuses the marked link: a plain one there, its text kept */
    ck_assert_ptr_nonnull(strstr(b.ptr, ">solussa</a>"));
    ck_assert_ptr_nonnull(strstr(b.ptr, "yliviivattu</a>"));
    ck_assert_ptr_nonnull(strstr(b.ptr, " ja poistettu ja "));
    ck_assert_ptr_nonnull(strstr(b.ptr, "<a href=\"https://x.fi\">ulos</a>"));
    buf_free(&b);
    md_free(doc);
    diag_list_free(d);
}
END_TEST

START_TEST(test_markdown_marks_the_first_use_of_each_term)
{
    diag_list *d = diag_list_new();
    const char *src = "## HVA otsikossa\n\n[HVA linkissä](x.md) ja `HVA` koodissa. HVA:n tehtävät ja "
                      "HVAT eivät. Toinen HVA. Yhdyspinta on tärkeä, yhdyspinta.\n";
    md_doc *doc = md_parse(src, strlen(src), "content/a.md", 0, (md_options){false}, d);
    const md_term terms[] = {
        {"HVA", "Hyvinvointialue \"HVA\"", NULL},
        {"yhdyspinta", "Yhteinen toiminta-alue", "sanasto/#yhdyspinta"},
    };
    md_mark_terms(doc, terms, 2, "../");
    buf_t b = BUF_INIT;
    md_render(doc, NULL, NULL, &b, d);
    ck_assert_ptr_nonnull(strstr(b.ptr, "<abbr title=\"Hyvinvointialue &quot;HVA&quot;\">HVA</abbr>:n tehtävät"));
    ck_assert_ptr_nonnull(strstr(b.ptr, "<h2 id=\"hva-otsikossa\">\nHVA otsikossa"));
    ck_assert_ptr_nonnull(strstr(b.ptr, "<a href=\"x.md\">HVA linkissä</a>"));
    ck_assert_ptr_nonnull(strstr(b.ptr, "<code>HVA</code>"));
    ck_assert_ptr_nonnull(strstr(b.ptr, "Toinen HVA."));
    ck_assert_ptr_nonnull(strstr(b.ptr, "Yhdyspinta on tärkeä, <a class=\"termi\" "
                                        "href=\"../sanasto/#yhdyspinta\" title=\"Yhteinen toiminta-alue\">"
                                        "yhdyspinta</a>."));
    char *first = strstr(b.ptr, "<abbr");
    ck_assert_ptr_null(strstr(first + 1, "<abbr"));
    buf_free(&b);
    md_free(doc);

    /* A table cell does not take a marked term: its text must stay whole. */
    const char *table = "| a |\n|---|\n| HVA ~~ja~~ yhdyspinta |\n";
    doc = md_parse(table, strlen(table), "content/a.md", 0, (md_options){false}, d);
    md_mark_terms(doc, terms, 2, "");
    md_render(doc, NULL, NULL, &b, d);
    ck_assert_ptr_nonnull(strstr(b.ptr, "<td>HVA <del>ja</del> yhdyspinta</td>"));
    buf_free(&b);
    md_free(doc);
    diag_list_free(d);
}
END_TEST

/* Parsing on several threads at once (pages render in parallel) must give
 * every page its strikethrough and autolinks: libcmark-gfm keeps their
 * trigger characters in one process-wide table that each parse switches
 * on and off. */
static void *parse_many(void *arg)
{
    int *bad = arg;
    const char *text = "Teksti ~~poistettu~~ ja www.example.fi sekä ~~toinen~~.\n\n"
                       "| a | b |\n|---|---|\n| ~~x~~ | https://kunta.fi |\n";
    for (int i = 0; i < 400; i++) {
        md_doc *doc = md_parse(text, strlen(text), "x.md", 0, (md_options){false}, NULL);
        buf_t out = BUF_INIT;
        md_render(doc, NULL, NULL, &out, NULL);
        const char *h = buf_cstr(&out);
        if (strstr(h, "~~") || !strstr(h, "<del>poistettu</del>") || !strstr(h, "<del>x</del>") ||
            !strstr(h, "href=\"http://www.example.fi\"") || !strstr(h, "href=\"https://kunta.fi\""))
            (*bad)++;
        buf_free(&out);
        md_free(doc);
    }
    return NULL;
}

START_TEST(test_markdown_parses_in_parallel_with_every_extension)
{
    pthread_t th[4];
    int bad[4] = {0};
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, parse_many, &bad[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(bad[i], 0);
}
END_TEST

int main(void)
{
    md_global_init();
    Suite *s = suite_create("markdown");
    TCase *tc = tcase_create("markdown");
    tcase_add_test(tc, test_markdown_headings_get_unique_ids);
    tcase_add_test(tc, test_markdown_renders_gfm_extensions);
    tcase_add_test(tc, test_markdown_wraps_tables_and_code_blocks_in_labelled_scroll_regions);
    tcase_add_test(tc, test_markdown_parses_in_parallel_with_every_extension);
    tcase_add_test(tc, test_markdown_drops_raw_html_with_a_warning);
    tcase_add_test(tc, test_markdown_keeps_raw_html_when_allowed_but_filters_tags);
    tcase_add_test(tc, test_markdown_drops_script_urls_even_with_html_allowed);
    tcase_add_test(tc, test_markdown_hands_links_to_the_resolver_with_positions);
    tcase_add_test(tc, test_markdown_marks_the_first_use_of_each_term);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
