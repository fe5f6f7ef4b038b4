/* Tests of the site model: config, URLs, links, layouts, menus. */
#include "../generator/2-model/model.h"
#include "../generator/2-model/site.h"
#include "testutil.h"

typedef struct {
    char *dir;
    src_tree *src;
    site *site;
    diag_list *d;
} fixture;

/* A site with layouts base/page and the given files ("path", "content", ..., NULL). */
static fixture make(const char *first, ...)
{
    fixture f = {tu_tmpdir(), NULL, NULL, diag_list_new()};
    tu_write(f.dir, "layouts/page.mustache", "{{{page.content}}}");
    tu_write(f.dir, "layouts/home.mustache", "{{{page.content}}}");
    tu_write(f.dir, "layouts/static/tyyli.css", "body{}");
    va_list ap;
    va_start(ap, first);
    for (const char *path = first; path; path = va_arg(ap, const char *))
        tu_write(f.dir, path, va_arg(ap, const char *));
    va_end(ap);
    f.src = src_load(f.dir, f.d);
    ck_assert_ptr_nonnull(f.src);
    f.site = site_new(f.src, (site_options){NULL, false, NULL, NULL, NULL, false}, f.d);
    site_resolve(f.site, f.d);
    return f;
}

static void done(fixture *f)
{
    site_free(f->site);
    src_free(f->src);
    diag_list_free(f->d);
    tu_rmdir(f->dir);
}

#define SITE_YAML "site.yaml", "ohjeet: false\ntitle: Testi\nbase_url: https://example.fi/kk\n"

/* The page whose URL is url, or NULL. */
static const page *page_at_url(const site *s, const char *url)
{
    for (size_t i = 0; i < site_page_count(s); i++)
        if (!strcmp(page_url(site_page_at(s, i)), url))
            return site_page_at(s, i);
    return NULL;
}

/* On a site of two languages each model page is built in both, the Swedish
 * one under sv/ with the Swedish view's entity, and the two are each other's
 * versions; the Swedish page's data and terms are Swedish. */
START_TEST(test_site_builds_the_model_pages_in_each_language)
{
    diag_list *d = diag_list_new();
    src_tree *src = src_load("tests/fixtures/kaksikielinen", d);
    model *m = model_new(src, d);
    site *s = site_new(src, (site_options){.model = m}, d);
    site_resolve(s, d);
    ck_assert_uint_eq(diag_errors(d), 0);
    size_t fi_pages = 0, sv_pages = 0;
    for (size_t i = 0; i < site_page_count(s); i++) {
        const page *p = site_page_at(s, i);
        if (!page_entity(p))
            continue;
        if (page_lang(p))
            sv_pages++;
        else
            fi_pages++;
        const page *fi = page_alt(p, 0), *sv = page_alt(p, 1);
        ck_assert_ptr_nonnull(fi);
        ck_assert_ptr_nonnull(sv);
        ck_assert_ptr_eq(page_alt(fi, 1), sv);
        ck_assert_ptr_eq(page_alt(sv, 0), fi);
        char *want = xasprintf("sv/%s", page_url(fi));
        ck_assert_str_eq(page_url(sv), want);
        free(want);
    }
    ck_assert_uint_eq(fi_pages, model_page_count(m));
    ck_assert_uint_eq(sv_pages, model_page_count(m));
    const page *hva = page_at_url(s, "sv/toimijat/hva/"), *joensuu = page_at_url(s, "sv/toimijat/joensuu/");
    ck_assert_str_eq(page_title(hva), "Välfärdsområdet i Norra Karelen");
    ck_assert_ptr_null(page_title_lang(hva));
    ck_assert_str_eq(page_title_lang(joensuu), "fi");
    ck_assert_ptr_null(page_title_lang(page_alt(joensuu, 0)));
    ck_assert_str_eq(val_get_str(page_entity(hva), "kuvaus"), "Ordnar social- och hälsovårdstjänster.");
    ck_assert_ptr_eq(site_model_data_lang(s, 1), model_data(model_lang(m, 1)));
    ck_assert_ptr_eq(site_model_data_lang(s, 0), site_model_data(s));
    size_t n;
    ck_assert_str_eq(site_terms_lang(s, 1, &n)[0].term, "VFO");
    ck_assert_str_eq(site_terms_lang(s, 1, &n)[0].title, "Välfärdsområde");
    ck_assert_str_eq(site_terms(s, &n)[0].term, "HVA");
    site_free(s);
    model_free(m);
    src_free(src);
    diag_list_free(d);
}
END_TEST

START_TEST(test_site_maps_content_paths_to_pretty_urls)
{
    fixture f = make(SITE_YAML, "content/index.md", "---\ntitle: Etusivu\n---\n",
                     "content/lait/index.md", "---\ntitle: Lait\n---\n",
                     "content/lait/611-2021.md", "---\ntitle: Laki\n---\n",
                     "content/foorumit/_index.md", "---\ntitle: Foorumit\n---\n", NULL);
    ck_assert_uint_eq(diag_count(f.d), 0);
    ck_assert_str_eq(page_url(site_page_by_src(f.site, "content/index.md")), "");
    ck_assert_str_eq(page_out(site_page_by_src(f.site, "content/index.md")), "index.html");
    ck_assert_str_eq(page_url(site_page_by_src(f.site, "content/lait/611-2021.md")), "lait/611-2021/");
    ck_assert_str_eq(page_out(site_page_by_src(f.site, "content/lait/index.md")), "lait/index.html");
    ck_assert_str_eq(page_url(site_page_by_src(f.site, "content/foorumit/_index.md")), "foorumit/");
    ck_assert_str_eq(site_base_url(f.site), "https://example.fi/kk/");
    ck_assert_str_eq(site_base_path(f.site), "/kk/");
    done(&f);
}
END_TEST

START_TEST(test_site_rewrites_links_between_markdown_files)
{
    fixture f = make(SITE_YAML, "content/index.md",
                     "---\ntitle: Etusivu\n---\n[l](lait/index.md) [a](lait/611-2021.md#neuvottelu) "
                     "[c](/tyyli.css) [r](/lait/) [s](#alku)\n\n# Alku\n",
                     "content/lait/index.md", "---\ntitle: Lait\n---\n[e](../index.md) [t](611-2021.md)\n",
                     "content/lait/611-2021.md", "---\ntitle: Laki\n---\n## Neuvottelu\n", NULL);
    ck_assert_uint_eq(diag_count(f.d), 0);
    page *home = site_page_by_src(f.site, "content/index.md");
    ck_assert_str_eq(page_link_href(home, 0), "lait/");
    ck_assert_str_eq(page_link_href(home, 1), "lait/611-2021/#neuvottelu");
    ck_assert_str_eq(page_link_href(home, 2), "tyyli.css");
    ck_assert_str_eq(page_link_href(home, 3), "lait/");
    ck_assert_ptr_null(page_link_href(home, 4)); /* same-page anchor kept */
    page *lait = site_page_by_src(f.site, "content/lait/index.md");
    ck_assert_str_eq(page_link_href(lait, 0), "../");
    ck_assert_str_eq(page_link_href(lait, 1), "../lait/611-2021/");
    done(&f);
}
END_TEST

START_TEST(test_site_reports_dead_links_and_anchors_with_positions)
{
    fixture f = make(SITE_YAML, "content/index.md",
                     "---\ntitle: Etusivu\n---\nTeksti.\n\n[x](lait/puuttuu.md) [y](lait/index.md#neuvotelu)\n"
                     "[z](#ei-ole) [w](../../etc/passwd.md) [v](/ei/ole/)\n",
                     "content/lait/index.md", "---\ntitle: Lait\n---\n## Neuvottelu\n", NULL);
    ck_assert_uint_eq(diag_errors(f.d), 5);
    ck_assert_diag(f.d, 0,
                   "content/index.md:6:1: error: the link 'lait/puuttuu.md' points at "
                   "content/lait/puuttuu.md, which does not exist");
    ck_assert_diag(f.d, 1,
                   "content/index.md:6:22: error: content/lait/index.md has no heading with the id "
                   "'neuvotelu' (did you mean '#neuvottelu'?)");
    ck_assert_diag(f.d, 2,
                   "content/index.md:7:1: error: this page has no heading with the id 'ei-ole' (an "
                   "id is the heading in lower case with '-' for spaces, e.g. '#yhteistyön-foorumit')");
    ck_assert_diag(f.d, 3,
                   "content/index.md:7:14: error: the link '../../etc/passwd.md' leads outside "
                   "content/ (link to pages inside content/)");
    ck_assert_diag(f.d, 4,
                   "content/index.md:7:39: error: the link '/ei/ole/' points at nothing in the site "
                   "(no page, no file in layouts/static/ and no file a hook writes has that address)");
    done(&f);
}
END_TEST

START_TEST(test_site_names_draft_targets_and_skips_drafts)
{
    fixture f = make(SITE_YAML, "content/index.md", "---\ntitle: E\n---\n[d](luonnos.md)\n",
                     "content/luonnos.md", "---\ntitle: L\ndraft: true\n---\n", NULL);
    ck_assert_uint_eq(site_page_count(f.site), 1);
    ck_assert_diag(f.d, 0,
                   "content/index.md:4:1: error: the link 'luonnos.md' points at content/luonnos.md, "
                   "which is a draft and is not built (remove 'draft: true' from it, or build with "
                   "--drafts)");
    done(&f);
}
END_TEST

START_TEST(test_site_checks_front_matter_fields)
{
    fixture f = make(SITE_YAML, "content/index.md",
                     "---\ndescription: x\nweight: kolme\ndraft: ehkä\nlayout: paeg\n---\n", NULL);
    ck_assert_uint_eq(diag_errors(f.d), 4);
    ck_assert_diag(f.d, 0, "content/index.md:2:1: error: the front matter has no 'title': add a line 'title: …'");
    ck_assert_diag(f.d, 1, "content/index.md:3:9: error: 'weight' must be a whole number, e.g. 'weight: 10'");
    ck_assert_diag(f.d, 2, "content/index.md:4:8: error: 'draft' must be true or false");
    ck_assert_diag(f.d, 3,
                   "content/index.md:5:9: error: unknown layout 'paeg' (there is no "
                   "layouts/paeg.mustache; did you mean 'page'?)");
    done(&f);
}
END_TEST

START_TEST(test_site_leaves_kirjaan_false_pages_and_their_subpages_out_of_the_booklet)
{
    fixture f = make(SITE_YAML, "content/index.md", "---\ntitle: E\n---\n",
                     "content/haku.md", "---\ntitle: H\nkirjaan: false\n---\n",
                     "content/ohjeet/index.md", "---\ntitle: O\nkirjaan: false\n---\n",
                     "content/ohjeet/tiedot.md", "---\ntitle: T\n---\n",
                     "content/lait.md", "---\ntitle: L\nkirjaan: true\n---\n", NULL);
    ck_assert_uint_eq(diag_count(f.d), 0);
    ck_assert(page_in_booklet(site_page_by_src(f.site, "content/index.md")));
    ck_assert(page_in_booklet(site_page_by_src(f.site, "content/lait.md")));
    ck_assert(!page_in_booklet(site_page_by_src(f.site, "content/haku.md")));
    ck_assert(!page_in_booklet(site_page_by_src(f.site, "content/ohjeet/index.md")));
    ck_assert(!page_in_booklet(site_page_by_src(f.site, "content/ohjeet/tiedot.md")));
    done(&f);
}
END_TEST

START_TEST(test_site_rejects_kirjaan_that_is_not_true_or_false)
{
    fixture f = make(SITE_YAML, "content/index.md", "---\ntitle: E\nkirjaan: ei\n---\n", NULL);
    ck_assert_uint_eq(diag_errors(f.d), 1);
    ck_assert_diag(f.d, 0, "content/index.md:3:10: error: 'kirjaan' must be true or false");
    done(&f);
}
END_TEST

START_TEST(test_site_rejects_unusable_file_names)
{
    fixture f = make(SITE_YAML, "content/Yhteistyö Foorumit.md", "---\ntitle: x\n---\n", NULL);
    ck_assert_diag(f.d, 0,
                   "content/Yhteistyö Foorumit.md: error: the name 'Yhteistyö Foorumit' cannot be "
                   "part of an address: use lower-case letters a-z, digits and '-' (for example "
                   "'yhteistyo-foorumit')");
    done(&f);
}
END_TEST

START_TEST(test_site_reports_pages_that_claim_one_output)
{
    fixture f = make(SITE_YAML, "content/lait.md", "---\ntitle: a\n---\n", "content/lait/index.md",
                     "---\ntitle: b\naliases: [lait]\n---\n", NULL);
    ck_assert_uint_eq(diag_errors(f.d), 2);
    ck_assert_diag(f.d, 0, /* pages in path order: content/lait.md before content/lait/index.md */
                   "content/lait/index.md: error: this page and content/lait.md would both be "
                   "written to lait/index.html: rename or remove one");
    ck_assert_diag(f.d, 1,
                   "content/lait/index.md:3:11: error: alias 'lait/' collides with content/lait.md, "
                   "which is written to lait/index.html");
    done(&f);
}
END_TEST

START_TEST(test_site_confines_aliases)
{
    fixture f = make(SITE_YAML, "content/index.md",
                     "---\ntitle: a\naliases: ['../../etc', vanha/sivu/]\n---\n", NULL);
    ck_assert_uint_eq(diag_errors(f.d), 1);
    ck_assert_diag(f.d, 0,
                   "content/index.md:3:11: error: alias '../../etc' is not a usable address inside "
                   "the site: use segments of a-z, 0-9 and '-' separated by '/', e.g. 'vanha/osoite/'");
    page *p = site_page_at(f.site, 0);
    ck_assert_uint_eq(page_alias_count(p), 1);
    ck_assert_str_eq(page_alias_at(p, 0), "vanha/sivu/");
    done(&f);
}
END_TEST

START_TEST(test_site_yaml_unknown_keys_and_menu_targets)
{
    fixture f = make("site.yaml",
                     "title: T\nlanguge: fi\nmenu:\n  - title: Lait\n    page: lait.md\n"
                     "  - title: Ulos\n    url: javascript:alert(1)\n  - title: Ok\n    page: index.md\nohjeet: false\n",
                     "content/index.md", "---\ntitle: E\n---\n", NULL);
    ck_assert_uint_eq(diag_errors(f.d), 3);
    ck_assert_diag(f.d, 0, "site.yaml:2:1: error: unknown key 'languge' in site.yaml (did you mean 'language'?)");
    ck_assert_diag(f.d, 1,
                   "site.yaml:7:10: error: the menu entry's url 'javascript:alert(1)' is not allowed "
                   "(use an https:// address)");
    ck_assert_diag(f.d, 2, /* targets are resolved after the hooks, so after the shape of entries */
                   "site.yaml:5:11: error: the menu entry points at 'lait.md', but there is no page "
                   "content/lait.md");
    ck_assert_uint_eq(site_menu_count(f.site), 1);
    ck_assert_str_eq(site_menu_url(f.site, 0), "");
    done(&f);
}
END_TEST

#define EK_YAML "site.yaml", "title: T\nbase_url: https://example.fi/ek/\nmenu:\n  - title: Toinen\n    url: /toinen/\nohjeet: false\n"

START_TEST(test_site_rewrites_root_links_and_menu_urls_relative_to_the_page)
{
    fixture f = make(EK_YAML, "content/index.md", "---\ntitle: E\n---\n", "content/toinen/index.md",
                     "---\ntitle: T\n---\n", "content/a/b.md",
                     "---\ntitle: B\n---\n[x](/toinen/) [c](/tyyli.css) [r](/) [s](../../tyyli.css)\n", NULL);
    ck_assert_uint_eq(diag_count(f.d), 0);
    page *b = site_page_by_src(f.site, "content/a/b.md");
    ck_assert_str_eq(page_url(b), "a/b/");
    ck_assert_str_eq(page_link_href(b, 0), "../../toinen/");
    ck_assert_str_eq(page_link_href(b, 1), "../../tyyli.css");
    ck_assert_str_eq(page_link_href(b, 2), "../../");
    ck_assert_ptr_null(page_link_href(b, 3)); /* relative to the page already: checked, kept */
    ck_assert_uint_eq(site_menu_count(f.site), 1);
    ck_assert_str_eq(site_menu_url(f.site, 0), "toinen/"); /* layouts add the page's root prefix */
    ck_assert(!site_menu_external(f.site, 0));
    done(&f);
}
END_TEST

START_TEST(test_site_reports_dead_root_links_file_links_and_menu_urls)
{
    fixture f = make("site.yaml", "title: T\nbase_url: https://example.fi/ek/\nmenu:\n  - title: X\n    url: /olematon/\n"
                     "  - title: Y\n    page: kunnat/\nohjeet: false\n",
                     "content/index.md", "---\ntitle: E\n---\n", "content/toinen/index.md",
                     "---\ntitle: T\n---\n[y](/olematon/) [c](../olematon.csv) [t](../tyyli.cs)\n"
                     "[u](../../../x.csv) [v](/toinen)\n", NULL);
    ck_assert_uint_eq(diag_errors(f.d), 6);
    ck_assert_diag(f.d, 0,
                   "site.yaml:5:10: error: the menu entry's url '/olematon/' points at nothing in the site (no "
                   "page, no file in layouts/static/ and no file a hook writes has that address)");
    ck_assert_diag(f.d, 1,
                   "site.yaml:7:11: error: the menu entry points at 'kunnat/', but no page has that address "
                   "(name a content file such as 'lait/index.md', or the address of a page a hook makes, "
                   "such as 'kunnat/')");
    ck_assert_diag(f.d, 2,
                   "content/toinen/index.md:4:1: error: the link '/olematon/' points at nothing in the site (no "
                   "page, no file in layouts/static/ and no file a hook writes has that address)");
    ck_assert_diag(f.d, 3,
                   "content/toinen/index.md:4:17: error: the link '../olematon.csv' points at nothing in the "
                   "site (no page, no file in layouts/static/ and no file a hook writes has that address)");
    ck_assert_diag(f.d, 4,
                   "content/toinen/index.md:4:38: error: the link '../tyyli.cs' points at nothing in the site "
                   "(did you mean '/tyyli.css'?)");
    ck_assert_diag(f.d, 5,
                   "content/toinen/index.md:5:1: error: the link '../../../x.csv' leads outside the site (link "
                   "to pages and files inside it)");
    ck_assert_uint_eq(site_menu_count(f.site), 0);
    done(&f);
}
END_TEST

/* A site whose hooks are simulated: files and pages are added before site_resolve. */
static fixture make_unresolved(const char *first, ...)
{
    fixture f = {tu_tmpdir(), NULL, NULL, diag_list_new()};
    tu_write(f.dir, "layouts/page.mustache", "{{{page.content}}}");
    tu_write(f.dir, "layouts/static/tyyli.css", "body{}");
    va_list ap;
    va_start(ap, first);
    for (const char *path = first; path; path = va_arg(ap, const char *))
        tu_write(f.dir, path, va_arg(ap, const char *));
    va_end(ap);
    f.src = src_load(f.dir, f.d);
    ck_assert_ptr_nonnull(f.src);
    f.site = site_new(f.src, (site_options){.base_url = NULL}, f.d);
    return f;
}

#define HOOKED_SITE                                                                                   \
    "site.yaml", "title: T\nmenu:\n  - title: Kunnat\n    page: kunnat/\n  - title: CSV\n    url: /vastuunjako.csv\nohjeet: false\n", \
        "content/index.md", "---\ntitle: E\n---\n[k](/kunnat/) [v](/vastuunjako.csv) [w](vastuunjako.csv)\n"

START_TEST(test_site_links_and_menus_reach_hook_pages_and_files)
{
    fixture f = make_unresolved(HOOKED_SITE, NULL);
    char *err = NULL;
    ck_assert_ptr_nonnull(site_add_page(f.site, "kunnat/", "Kunnat", "page", "# Kunnat\n", NULL, NULL,
                                        (src_pos){0}, f.d, &err));
    site_add_output(f.site, "vastuunjako.csv");
    site_resolve(f.site, f.d);
    ck_assert_uint_eq(diag_count(f.d), 0);
    page *home = site_page_by_src(f.site, "content/index.md");
    ck_assert_str_eq(page_link_href(home, 0), "kunnat/");
    ck_assert_str_eq(page_link_href(home, 1), "vastuunjako.csv");
    ck_assert_uint_eq(site_menu_count(f.site), 2);
    ck_assert_str_eq(site_menu_url(f.site, 0), "kunnat/");
    ck_assert_str_eq(site_menu_url(f.site, 1), "vastuunjako.csv");
    done(&f);
}
END_TEST

START_TEST(test_site_says_nothing_of_links_to_what_hooks_that_failed_would_make)
{
    fixture f = make_unresolved(HOOKED_SITE, "content/toinen.md", "---\ntitle: T\n---\n[x](puuttuu.md)\n", NULL);
    site_hooks_unknown(f.site);
    site_resolve(f.site, f.d);
    ck_assert_uint_eq(diag_errors(f.d), 1); /* a content file no hook can make is still reported */
    ck_assert_diag(f.d, 0,
                   "content/toinen.md:4:1: error: the link 'puuttuu.md' points at content/puuttuu.md, which "
                   "does not exist");
    done(&f);
}
END_TEST

START_TEST(test_site_without_site_yaml_says_what_is_missing)
{
    char *dir = tu_tmpdir();
    diag_list *d = diag_list_new();
    ck_assert_ptr_null(src_load(dir, d));
    ck_assert_diag(d, 0,
                   "site.yaml: error: site.yaml is missing: every site needs one at its root "
                   "(title, language, base_url)");
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_site_root_prefix_climbs_one_level_per_segment)
{
    char *a = site_root_prefix(""), *b = site_root_prefix("lait/"), *c = site_root_prefix("a/b/");
    ck_assert_str_eq(a, "");
    ck_assert_str_eq(b, "../");
    ck_assert_str_eq(c, "../../");
    free(a), free(b), free(c);
}
END_TEST

START_TEST(test_site_patch_page_takes_new_text_or_says_why_not)
{
    fixture f = make(SITE_YAML, "content/index.md", "---\ntitle: Etusivu\n---\n[a](lait.md#neuvottelu)\n",
                     "content/lait.md", "---\ntitle: Lait\n---\n## Neuvottelu\n\n[k](index.md)\n", NULL);
    ck_assert_uint_eq(diag_count(f.d), 0);
    page *lait = site_page_by_src(f.site, "content/lait.md");
    /* Text only: taken, outline and links anew. */
    const char *t1 = "---\ntitle: Lait\n---\n## Neuvottelu\n\nUusi kappale ja [linkki](index.md).\n\n## Lisää\n";
    ck_assert_int_eq(site_patch_page(f.site, lait, t1, strlen(t1), f.d), SITE_PATCH_OK);
    size_t len;
    ck_assert_ptr_nonnull(strstr(page_body(lait, &len), "Uusi kappale"));
    ck_assert_uint_eq(md_heading_count(page_outline(lait)), 2);
    ck_assert_str_eq(page_link_href(lait, 0), "../");
    /* The front matter changed: the site's business. Nothing taken. */
    const char *t2 = "---\ntitle: Lait ja asetukset\n---\n## Neuvottelu\n";
    ck_assert_int_eq(site_patch_page(f.site, lait, t2, strlen(t2), f.d), SITE_PATCH_STRUCTURE);
    ck_assert_ptr_nonnull(strstr(page_body(lait, &len), "Uusi kappale"));
    /* A diagram block is drawn before pages render: the full way too. */
    const char *t3 = "---\ntitle: Lait\n---\n## Neuvottelu\n\n```dot\ndigraph { a -> b }\n```\n";
    ck_assert_int_eq(site_patch_page(f.site, lait, t3, strlen(t3), f.d), SITE_PATCH_STRUCTURE);
    ck_assert_uint_eq(diag_count(f.d), 0);
    /* The heading another page links to, gone: an error at that link. */
    const char *t4 = "---\ntitle: Lait\n---\n## Neuvottelut\n";
    ck_assert_int_eq(site_patch_page(f.site, lait, t4, strlen(t4), f.d), SITE_PATCH_ERRORS);
    ck_assert_diag(f.d, 0, "content/index.md:4:1: error: content/lait.md has no heading with the id "
                           "'neuvottelu' (did you mean '#neuvottelut'?)");
    /* A broken link of its own: an error at it. */
    diag_list_free(f.d);
    f.d = diag_list_new();
    const char *t5 = "---\ntitle: Lait\n---\n## Neuvottelu\n\n[x](puuttuu.md)\n";
    ck_assert_int_eq(site_patch_page(f.site, lait, t5, strlen(t5), f.d), SITE_PATCH_ERRORS);
    ck_assert_diag(f.d, 0, "content/lait.md:6:1: error: the link 'puuttuu.md' points at content/puuttuu.md, "
                           "which does not exist");
    done(&f);
}
END_TEST

START_TEST(test_site_keeps_the_query_of_rewritten_links)
{
    fixture f = make(SITE_YAML, "content/index.md", "---\ntitle: E\n---\n", "content/haku/index.md",
                     "---\ntitle: Haku\n---\n## Tulokset\n", "content/a/b.md",
                     "---\ntitle: B\n---\n[h](/haku/?q=hyte&s=2#tulokset) [m](../haku/index.md?q=x) "
                     "[r](../../haku/?q=y)\n", NULL);
    ck_assert_uint_eq(diag_count(f.d), 0);
    page *b = site_page_by_src(f.site, "content/a/b.md");
    ck_assert_str_eq(page_link_href(b, 0), "../../haku/?q=hyte&s=2#tulokset"); /* cmark writes '&amp;' */
    ck_assert_str_eq(page_link_href(b, 1), "../../haku/?q=x");
    ck_assert_ptr_null(page_link_href(b, 2)); /* relative to the page already: kept as written */
    done(&f);
}
END_TEST

START_TEST(test_site_checks_anchors_of_links_to_page_addresses)
{
    fixture f = make(SITE_YAML, "content/index.md",
                     "---\ntitle: E\n---\n# Alku\n\n[a](/lait/#neuvottelu) [b](lait/#neuvotelu) "
                     "[c](/lait/?x=1#neuvotelu)\n[d](#alku) [e](#alkku) [f](/#alku) [g](./#alku)\n",
                     "content/lait/index.md", "---\ntitle: Lait\n---\n## Neuvottelu\n\n[h](../#alku) [i](/#loppu)\n",
                     NULL);
    ck_assert_uint_eq(diag_errors(f.d), 4);
    ck_assert_diag(f.d, 0,
                   "content/index.md:6:24: error: content/lait/index.md has no heading with the id "
                   "'neuvotelu' (did you mean '#neuvottelu'?)");
    ck_assert_diag(f.d, 1,
                   "content/index.md:6:45: error: content/lait/index.md has no heading with the id "
                   "'neuvotelu' (did you mean '#neuvottelu'?)");
    ck_assert_diag(f.d, 2,
                   "content/index.md:7:12: error: this page has no heading with the id 'alkku' (did you "
                   "mean '#alku'?)");
    ck_assert_diag(f.d, 3,
                   "content/lait/index.md:6:15: error: content/index.md has no heading with the id 'loppu' "
                   "(an id is the heading in lower case with '-' for spaces, e.g. '#yhteistyön-foorumit')");
    page *home = site_page_by_src(f.site, "content/index.md");
    ck_assert_str_eq(page_link_href(home, 0), "lait/#neuvottelu");
    ck_assert_str_eq(page_link_href(home, 5), "#alku"); /* the home page from itself */
    done(&f);
}
END_TEST

START_TEST(test_site_checks_anchors_of_links_to_pages_parsed_late_or_rendered)
{
    /* Deferred: the target's headings are known once it is parsed. */
    fixture f = {tu_tmpdir(), NULL, NULL, diag_list_new()};
    tu_write(f.dir, "site.yaml", "ohjeet: false\ntitle: T\n");
    tu_write(f.dir, "layouts/page.mustache", "{{{page.content}}}");
    tu_write(f.dir, "content/index.md", "---\ntitle: E\n---\n[a](/lait/#neuvotelu) [b](/lait/#neuvottelu)\n");
    tu_write(f.dir, "content/lait/index.md", "---\ntitle: Lait\n---\n## Neuvottelu\n");
    f.src = src_load(f.dir, f.d);
    f.site = site_new(f.src, (site_options){.defer = true}, f.d);
    site_resolve(f.site, f.d);
    ck_assert_uint_eq(diag_count(f.d), 0);
    site_parse_all(f.site, f.d);
    ck_assert_uint_eq(diag_errors(f.d), 1);
    ck_assert_diag(f.d, 0,
                   "content/index.md:4:1: error: content/lait/index.md has no heading with the id "
                   "'neuvotelu' (did you mean '#neuvottelu'?)");
    done(&f);

    /* A page without Markdown of its own (a hook's HTML): its ids once it has rendered, nothing before. */
    f = make_unresolved("site.yaml", "ohjeet: false\ntitle: T\n", "content/index.md",
                        "---\ntitle: E\n---\n[k](/kunnat/#joensu) [l](kunnat/#joensuu)\n", NULL);
    char *err = NULL;
    page *kunnat = site_add_page(f.site, "kunnat/", "Kunnat", "page", NULL, "<h2 id=\"joensuu\">Joensuu</h2>",
                                 NULL, (src_pos){0}, f.d, &err);
    ck_assert_ptr_nonnull(kunnat);
    site_resolve(f.site, f.d);
    site_check_deferred(f.site, f.d);
    ck_assert_uint_eq(diag_count(f.d), 0); /* not rendered: its anchors are unknown */
    const char *html = "<main id=\"sisalto\"><h2 id=\"joensuu\">Joensuu</h2></main>";
    site_keep_anchors(f.site, kunnat, html, strlen(html));
    site_check_deferred(f.site, f.d);
    ck_assert_uint_eq(diag_errors(f.d), 1);
    ck_assert_diag(f.d, 0,
                   "content/index.md:4:1: error: the link '/kunnat/#joensu' points at kunnat/, which has no "
                   "anchor 'joensu' (did you mean 'joensuu'?)");
    done(&f);
}
END_TEST

int main(void)
{
    md_global_init();
    Suite *s = suite_create("site");
    TCase *tc = tcase_create("site");
    tcase_add_test(tc, test_site_patch_page_takes_new_text_or_says_why_not);
    tcase_add_test(tc, test_site_maps_content_paths_to_pretty_urls);
    tcase_add_test(tc, test_site_builds_the_model_pages_in_each_language);
    tcase_add_test(tc, test_site_rewrites_links_between_markdown_files);
    tcase_add_test(tc, test_site_reports_dead_links_and_anchors_with_positions);
    tcase_add_test(tc, test_site_names_draft_targets_and_skips_drafts);
    tcase_add_test(tc, test_site_leaves_kirjaan_false_pages_and_their_subpages_out_of_the_booklet);
    tcase_add_test(tc, test_site_rejects_kirjaan_that_is_not_true_or_false);
    tcase_add_test(tc, test_site_checks_front_matter_fields);
    tcase_add_test(tc, test_site_rejects_unusable_file_names);
    tcase_add_test(tc, test_site_reports_pages_that_claim_one_output);
    tcase_add_test(tc, test_site_confines_aliases);
    tcase_add_test(tc, test_site_yaml_unknown_keys_and_menu_targets);
    tcase_add_test(tc, test_site_rewrites_root_links_and_menu_urls_relative_to_the_page);
    tcase_add_test(tc, test_site_reports_dead_root_links_file_links_and_menu_urls);
    tcase_add_test(tc, test_site_links_and_menus_reach_hook_pages_and_files);
    tcase_add_test(tc, test_site_says_nothing_of_links_to_what_hooks_that_failed_would_make);
    tcase_add_test(tc, test_site_without_site_yaml_says_what_is_missing);
    tcase_add_test(tc, test_site_root_prefix_climbs_one_level_per_segment);
    tcase_add_test(tc, test_site_keeps_the_query_of_rewritten_links);
    tcase_add_test(tc, test_site_checks_anchors_of_links_to_page_addresses);
    tcase_add_test(tc, test_site_checks_anchors_of_links_to_pages_parsed_late_or_rendered);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
