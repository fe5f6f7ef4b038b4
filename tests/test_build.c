/* Tests of the whole pipeline run (build_run) and page rendering. */
#include "../generator/build.h"
#include "gitutil.h"
#include "testutil.h"

static char *site_dir(void)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "site.yaml",
             "title: T & K\nbase_url: https://e.fi/\nohjeet: false\nmenu:\n  - title: Lait\n    page: lait/index.md\n");
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
    build_options o = {.src_dir = dir, .out_dir = out, .write = true};
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_eq(st.pages, 3); /* its 2 pages and the built-in theme's 404 page */
    /* 3 pages, the booklet, sitemap, robots.txt, the search manifest, 1 chunk and 2 fragments,
     * t.css, marker; and the theme's static files: tyyli.css, haku.js, favicon.svg and the 6 files
     * of fontit/ */
    ck_assert_uint_eq(st.files, 21);
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
    build_options o = {.src_dir = dir, .out_dir = out, .write = true};
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
    build_options o = {.src_dir = dir, .out_dir = out};
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_eq(st.pages, 3);
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
    build_options o = {.src_dir = dir, .out_dir = out, .write = true};
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

/* A plain build parses each page once, as it renders; links to headings of
 * other pages are checked once every page is parsed, and every page's
 * mistakes are still reported when the build stops early. */
START_TEST(test_build_checks_links_to_headings_of_pages_parsed_late)
{
    char *dir = site_dir();
    char *out = xasprintf("%s/public", dir);
    diag_list *d = diag_list_new();
    build_stats st;
    build_options o = {.src_dir = dir, .out_dir = out, .write = true};
    tu_write(dir, "content/index.md", "---\ntitle: Koti\n---\n[l](lait/index.md#kaksi) ja [x](lait/index.md#kolme)\n");
    ck_assert(!build_run(&o, d, &st));
    ck_assert_uint_eq(diag_count(d), 1);
    ck_assert_diag(d, 0, "content/index.md:4:29: error: content/lait/index.md has no heading with the id "
                         "'kolme' (an id is the heading in lower case with '-' for spaces, e.g. "
                         "'#yhteistyön-foorumit')");
    ck_assert_int_ne(access(out, F_OK), 0); /* nothing written */
    /* An error elsewhere stops the build before rendering: the page's own mistakes still come. */
    tu_write(dir, "content/lait/index.md", "---\ntitle: Lait\nweight: paljon\n---\n## Yksi\n\n## Kaksi\n\n[k](../puuttuu.md)\n");
    diag_list_free(d);
    d = diag_list_new();
    ck_assert(!build_run(&o, d, &st));
    ck_assert_diag(d, 0, "content/lait/index.md:3:9: error: 'weight' must be a whole number, e.g. 'weight: 10'");
    ck_assert_diag(d, 1, "content/lait/index.md:9:1: error: the link '../puuttuu.md' points at content/puuttuu.md, "
                         "which does not exist");
    ck_assert_diag(d, 2, "content/index.md:4:29: error: content/lait/index.md has no heading with the id "
                         "'kolme' (an id is the heading in lower case with '-' for spaces, e.g. "
                         "'#yhteistyön-foorumit')");
    diag_list_free(d);
    free(out);
    tu_rmdir(dir);
}
END_TEST

/* A plain build lets go of each page's outline and links once it has rendered
 * (site_page_release): links to headings are still checked — a page's link to
 * a page rendered in an earlier batch once its batch has rendered, a link
 * forward at the end — with the kept heading ids for "did you mean", and the
 * booklet, rendered after the pages, still resolves every released page's links. */
START_TEST(test_build_checks_links_of_released_pages_and_booklets_resolve_them)
{
    char *dir = site_dir();
    char *out = xasprintf("%s/public", dir);
    for (int i = 0; i < 300; i++) { /* more than one render batch */
        char rel[32], text[160];
        snprintf(rel, sizeof rel, "content/s/p%03d.md", i);
        snprintf(text, sizeof text, "---\ntitle: P%d\nweight: %d\n---\n## Otsikko\n\n%s\n", i, i + 1,
                 i == 0     ? "[eteen](p299.md#ei-ole)"
                 : i == 299 ? "[taakse](p000.md#otsikk)"
                            : "[seuraava](p002.md#otsikko)");
        tu_write(dir, rel, text);
    }
    diag_list *d = diag_list_new();
    build_stats st;
    build_options o = {.src_dir = dir, .out_dir = out, .write = true};
    ck_assert(!build_run(&o, d, &st));
    ck_assert_uint_eq(diag_count(d), 2);
    ck_assert_diag(d, 0, "content/s/p299.md:7:1: error: content/s/p000.md has no heading with the id 'otsikk' "
                         "(did you mean '#otsikko'?)");
    ck_assert_diag(d, 1, "content/s/p000.md:7:1: error: content/s/p299.md has no heading with the id 'ei-ole' "
                         "(an id is the heading in lower case with '-' for spaces, e.g. '#yhteistyön-foorumit')");
    tu_write(dir, "content/s/p000.md", "---\ntitle: P0\nweight: 1\n---\n## Otsikko\n\n[eteen](p299.md#otsikko)\n");
    tu_write(dir, "content/s/p299.md", "---\ntitle: P299\nweight: 300\n---\n## Otsikko\n\n[taakse](p000.md#otsikko)\n");
    diag_list_free(d);
    d = diag_list_new();
    ck_assert(build_run(&o, d, &st));
    char *part = tu_read(out, "tulosta/s/index.html");
    ck_assert_ptr_null(strstr(part, ".md#"));
    ck_assert_ptr_nonnull(strstr(part, "<a href=\"../../s/p002/#otsikko\">seuraava</a>"));
    free(part);
    diag_list_free(d);
    free(out);
    tu_rmdir(dir);
}
END_TEST

/* {====== kasikirja.xlsx through the build's API ====== */

/* Builds site_dir() with the hook layouts/hooks/x.lua (lua) into its public/; the diagnostics,
 * and in *out the output folder (caller frees; the site folder is left for it to read). */
static diag_list *build_with_hook(const char *lua, bool ok, char **dir_out)
{
    char *dir = site_dir();
    tu_write(dir, "layouts/hooks/x.lua", lua);
    char *out = xasprintf("%s/public", dir);
    diag_list *d = diag_list_new();
    build_stats st;
    build_options o = {.src_dir = dir, .out_dir = out, .write = true};
    ck_assert(build_run(&o, d, &st) == ok);
    free(out);
    *dir_out = dir;
    return d;
}

/* kasikirja.pages is made when a script first reads it (a view of every page
 * costs memory most sites' scripts never use): reading it, and pairs(kasikirja)
 * before any read, both see the pages. */
START_TEST(test_hook_pages_are_made_when_first_read)
{
    char *dir;
    diag_list *d = build_with_hook("local keys = {}\n"
                                   "for k in pairs(kasikirja) do keys[#keys + 1] = k end\n"
                                   "table.sort(keys)\n"
                                   "local has = false\n"
                                   "for _, k in ipairs(keys) do has = has or k == 'pages' end\n"
                                   "local titles = {}\n"
                                   "for _, p in ipairs(kasikirja.pages) do titles[#titles + 1] = p.url .. '=' .. p.title end\n"
                                   "table.sort(titles)\n"
                                   "kasikirja.file{path = 'sivut.txt', content = tostring(has) .. ' ' .. #kasikirja.pages .. ' '"
                                   " .. table.concat(titles, ',')}\n",
                                   true, &dir);
    ck_assert_uint_eq(diag_count(d), 0);
    char *txt = tu_read(dir, "public/sivut.txt");
    ck_assert_str_eq(txt, "true 2 =Koti <b>,lait/=Lait");
    free(txt);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_xlsx_hook_writes_a_workbook_beside_the_pages)
{
    char *dir;
    diag_list *d = build_with_hook("kasikirja.xlsx{path = 'vienti/v.xlsx', sheets = {\n"
                                   "  {name = 'A', columns = {'x'}, rows = {{'=1+1'}, {3}}}}}\n",
                                   true, &dir);
    ck_assert_uint_eq(diag_count(d), 0);
    char *x = tu_read(dir, "public/vienti/v.xlsx");
    ck_assert_int_eq(memcmp(x, "PK\3\4", 4), 0);
    free(x);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_xlsx_hook_path_outside_the_output_is_refused)
{
    char *dir;
    diag_list *d = build_with_hook("\nkasikirja.xlsx{path = '../v.xlsx', sheets = {{name = 'A', columns = {'x'}}}}\n",
                                   false, &dir);
    ck_assert_diag(d, 0, "layouts/hooks/x.lua:2: error: kasikirja.xlsx: '../v.xlsx' is not a plain path inside "
                         "the output folder (no '..', no leading '/')");
    diag_list_free(d);
    tu_rmdir(dir);
    d = build_with_hook("kasikirja.file{path = 'v.xlsx', content = ''}\n"
                        "kasikirja.xlsx{path = 'v.xlsx', sheets = {{name = 'A', columns = {'x'}}}}\n",
                        false, &dir);
    ck_assert_diag(d, 0, "layouts/hooks/x.lua:2: error: kasikirja.xlsx: 'v.xlsx' was written already");
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_xlsx_hook_sheet_names_are_corrected_with_a_warning)
{
    char *dir;
    diag_list *d = build_with_hook("kasikirja.xlsx{path = 'v.xlsx', sheets = {\n"
                                   "  {name = 'Hyvinvointialueen ja kuntien vastuunjako', columns = {'x'}},\n"
                                   "  {name = 'A/B', columns = {'x'}}, {name = 'a-b', columns = {'x'}}}}\n",
                                   true, &dir);
    ck_assert_uint_eq(diag_count(d), 3);
    const char *rule = "cannot be an Excel sheet name (at most 31 characters, none of []:*?/\\, no apostrophe "
                       "at either end, not used twice in a workbook); the sheet is named";
    char *w0 = xasprintf("layouts/hooks/x.lua:1: warning: kasikirja.xlsx: 'Hyvinvointialueen ja kuntien "
                         "vastuunjako' %s 'Hyvinvointialueen ja kuntien va'", rule);
    char *w1 = xasprintf("layouts/hooks/x.lua:1: warning: kasikirja.xlsx: 'A/B' %s 'A-B'", rule);
    char *w2 = xasprintf("layouts/hooks/x.lua:1: warning: kasikirja.xlsx: 'a-b' %s 'a-b (2)'", rule);
    ck_assert_diag(d, 0, w0);
    ck_assert_diag(d, 1, w1);
    ck_assert_diag(d, 2, w2);
    free(w0);
    free(w1);
    free(w2);
    diag_list_free(d);
    tu_rmdir(dir);
}
END_TEST

static void xlsx_hook_fails(const char *lua, const char *want)
{
    char *dir;
    diag_list *d = build_with_hook(lua, false, &dir);
    ck_assert_diag(d, 0, want);
    diag_list_free(d);
    tu_rmdir(dir);
}

START_TEST(test_xlsx_hook_wrong_types_are_errors_at_the_calling_line)
{
    xlsx_hook_fails("kasikirja.xlsx{path = 'v.xlsx', sheets = {}}\n",
                    "layouts/hooks/x.lua:1: error: kasikirja.xlsx: 'sheets' must be a list of at least one sheet "
                    "(got an empty list)");
    xlsx_hook_fails("kasikirja.xlsx{path = 'v.xlsx'}\n",
                    "layouts/hooks/x.lua:1: error: kasikirja.xlsx: 'sheets' must be a list of at least one sheet "
                    "(got nil)");
    xlsx_hook_fails("kasikirja.xlsx{path = 1, sheets = {}}\n",
                    "layouts/hooks/x.lua:1: error: kasikirja.xlsx: 'path' must be a string (got a number)");
    xlsx_hook_fails("kasikirja.xlsx{path = 'v.xlsx', sheets = {{name = 'A', columns = {}}}}\n",
                    "layouts/hooks/x.lua:1: error: kasikirja.xlsx: sheet 1 ('A') needs 'columns', a list of at "
                    "least one header (got an empty list)");
    xlsx_hook_fails("kasikirja.xlsx{path = 'v.xlsx', sheets = {{name = 'A', columns = {'x'}, rows = {{true}}}}}\n",
                    "layouts/hooks/x.lua:1: error: kasikirja.xlsx: sheet 1, row 1, cell 1 must be a string or a "
                    "number (got a boolean)");
    xlsx_hook_fails("kasikirja.xlsx{path = 'v.xlsx', sheets = {{nimi = 'A'}}}\n",
                    "layouts/hooks/x.lua:1: error: kasikirja.xlsx: sheet 1 has an unknown field 'nimi' (fields: "
                    "name, columns, rows, widths)");
    xlsx_hook_fails("kasikirja.xlsx{path = 'v.xlsx', sheets = {{name = 'A', columns = {'x'}, rows = {{'\\255'}}}}}\n",
                    "layouts/hooks/x.lua:1: error: kasikirja.xlsx: sheet 'A' row 2 column 1 is not valid UTF-8 "
                    "text");
}
END_TEST

/* } */

/* {====== 'mustache: true' pages ====== */

/* Builds site_dir() with content/rel added as text (checking only); the diagnostics. */
static diag_list *build_with_page(const char *rel, const char *text, bool ok)
{
    char *dir = site_dir();
    tu_write(dir, rel, text);
    diag_list *d = diag_list_new();
    build_stats st;
    build_options o = {.src_dir = dir};
    ck_assert(build_run(&o, d, &st) == ok);
    tu_rmdir(dir);
    return d;
}

/* The Markdown's positions are those of the file, not of the expanded text:
 * lines a section repeats count once, at the lines they are written on. */
START_TEST(test_mustache_page_link_after_a_repeating_section_is_reported_at_its_line)
{
    diag_list *d = build_with_page("content/tasot.md",
                                   "---\ntitle: Tasot\nmustache: true\n"
                                   "tasot: [{nimi: Yksi}, {nimi: Kaksi}, {nimi: Kolme}]\n---\n"
                                   "{{#page.params.tasot}}\n## {{nimi}}\n\n{{/page.params.tasot}}\n"
                                   "Linkki [rikki](ei-ole.md).\n",
                                   false);
    ck_assert_uint_eq(diag_count(d), 1);
    ck_assert_diag(d, 0, "content/tasot.md:10:8: error: the link 'ei-ole.md' points at "
                         "content/ei-ole.md, which does not exist");
    diag_list_free(d);
}
END_TEST

/* A column after a substituted value is the template's (in bytes, as for any page). */
START_TEST(test_mustache_page_link_after_a_value_is_reported_at_its_column)
{
    diag_list *d = build_with_page("content/arvo.md",
                                   "---\ntitle: Arvo\nnimi: Pitkä nimi tässä\nmustache: true\n---\n"
                                   "Hei {{page.params.nimi}}, katso [rikki](puuttuu.md#x) ja "
                                   "[toinen](muu.md).\n",
                                   false);
    ck_assert_uint_eq(diag_count(d), 2);
    ck_assert_diag(d, 0, "content/arvo.md:6:33: error: the link 'puuttuu.md#x' points at "
                         "content/puuttuu.md, which does not exist");
    ck_assert_diag(d, 1, "content/arvo.md:6:58: error: the link 'muu.md' points at "
                         "content/muu.md, which does not exist");
    diag_list_free(d);
}
END_TEST

/* Warnings of the parse (raw HTML) and of rendering (unsafe links) inside a
 * section point at the template line; each comes once. */
START_TEST(test_mustache_page_raw_html_in_a_section_is_reported_at_the_template_line)
{
    diag_list *d = build_with_page("content/raaka.md",
                                   "---\ntitle: Raaka\nmustache: true\nrivit: [a, bb]\n---\n"
                                   "Alku.\n\n{{#page.params.rivit}}\n"
                                   "Rivi {{.}} <b>lihava</b> [x](javascript:alert(1))\n\n"
                                   "<div>{{.}}</div>\n\n{{/page.params.rivit}}\n",
                                   true);
    ck_assert_uint_eq(diag_count(d), 4);
    ck_assert_diag(d, 0, "content/raaka.md:9:12: warning: raw HTML is left out of the page (write it "
                         "in Markdown, or set 'unsafe_html: true' in site.yaml to allow HTML)");
    ck_assert_diag(d, 1, "content/raaka.md:9:21: warning: raw HTML is left out of the page (write it "
                         "in Markdown, or set 'unsafe_html: true' in site.yaml to allow HTML)");
    ck_assert_diag(d, 2, "content/raaka.md:11:1: warning: raw HTML is left out of the page (write it "
                         "in Markdown, or set 'unsafe_html: true' in site.yaml to allow HTML)");
    ck_assert_diag(d, 3, "content/raaka.md:9:26: warning: link 'javascript:alert(1)' is removed: "
                         "javascript:, vbscript:, data: and file: addresses are not allowed (link "
                         "to a page or an https:// address)");
    diag_list_free(d);
}
END_TEST

/* }====== */

/* {====== Incremental builds (serve) ====== */

/* A copy of the repo's handbook in a fresh folder. */
static char *handbook_copy(void)
{
    /* The copy's files are dated by their mtimes (now): clamped to a fixed
     * day, a save just after midnight cannot redate pages and change what
     * an incremental build renders. */
    setenv("SOURCE_DATE_EPOCH", "1767225600", 1); /* 2026-01-01 */
    char *dir = tu_tmpdir();
    char *cmd = xasprintf("cp -r site.yaml content layouts diagrams '%s'/", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    return dir;
}

static void replace_in(const char *dir, const char *rel, const char *from, const char *to)
{
    char *text = tu_read(dir, rel);
    ck_assert_ptr_nonnull(text);
    char *hit = strstr(text, from);
    ck_assert_ptr_nonnull(hit);
    *hit = '\0';
    char *changed = xasprintf("%s%s%s", text, to, hit + strlen(from));
    tu_write(dir, rel, changed);
    free(changed);
    free(text);
}

static ino_t inode_of(const char *dir, const char *rel)
{
    char *path = xasprintf("%s/%s", dir, rel);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    free(path);
    return st.st_ino;
}

START_TEST(test_incremental_build_renders_and_writes_only_what_changed)
{
    char *dir = handbook_copy();
    char *out = xasprintf("%s/public", dir);
    build_cache *c = build_cache_new();
    build_options o = {.src_dir = dir, .out_dir = out, .write = true, .cache = c};
    build_stats st;
    diag_list *d = diag_list_new();
    /* First build: everything. */
    ck_assert(build_run(&o, d, &st));
    size_t pages = st.pages;
    ck_assert_uint_gt(pages, 150);
    ck_assert_uint_eq(st.rendered, pages);
    ck_assert_uint_eq(st.written, st.files);
    ino_t guide = inode_of(out, "perehdytys/tiivistelma/index.html");
    ino_t forum_before = inode_of(out, "yhteistyorakenne/pk-2021/operatiivinen-yhteistyo/index.html");
    /* Nothing changed: nothing rendered, nothing written. */
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_eq(st.pages, pages);
    ck_assert_uint_eq(st.rendered, 0);
    ck_assert_uint_eq(st.written, 0);
    ck_assert_uint_eq(st.layouts, 0);

    /* One forum renamed: its pages and charts, not the rest. */
    replace_in(dir, "content/data/mallit/pk-2021.yaml", "nimi: Operatiivinen yhteistyö",
               "nimi: Operatiivinen yhteistyö ja seuranta");
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_gt(st.rendered, 0);
    ck_assert_uint_lt(st.rendered, pages * 2 / 3); /* pages naming the forum within two references, and data indexes */
    ck_assert_uint_gt(st.layouts, 0);                   /* the charts that show the forum */
    ck_assert_uint_lt(st.layouts, st.diagrams / 2);     /* and only those */
    ck_assert_uint_lt(st.written, st.files / 4);
    char *forum = tu_read(out, "yhteistyorakenne/pk-2021/operatiivinen-yhteistyo/index.html");
    ck_assert_ptr_nonnull(strstr(forum, "Operatiivinen yhteistyö ja seuranta"));
    free(forum);
    char *model_page = tu_read(out, "yhteistyorakenne/pk-2021/index.html");
    ck_assert_ptr_nonnull(strstr(model_page, "Operatiivinen yhteistyö ja seuranta"));
    free(model_page);
    ck_assert(inode_of(out, "perehdytys/tiivistelma/index.html") == guide); /* not rewritten */
    ck_assert(inode_of(out, "yhteistyorakenne/pk-2021/operatiivinen-yhteistyo/index.html") != forum_before);

    /* One page's text: that page (and the booklets that hold it). */
    replace_in(dir, "content/perehdytys/tiivistelma.md", "\n\n", "\n\nLisätty kappale.\n\n");
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_ge(st.rendered, 1);
    ck_assert_uint_le(st.rendered, 3);
    char *guide_html = tu_read(out, "perehdytys/tiivistelma/index.html");
    ck_assert_ptr_nonnull(strstr(guide_html, "Lisätty kappale."));
    free(guide_html);

    /* A broken build leaves the output and the cache as they were. */
    char *good = tu_read(out, "yhteistyorakenne/pk-2021/index.html");
    replace_in(dir, "content/data/mallit/pk-2021.yaml", "nimi: Operatiivinen yhteistyö ja seuranta",
               "nimi: [rikki");
    ck_assert(!build_run(&o, d, &st));
    char *after = tu_read(out, "yhteistyorakenne/pk-2021/index.html");
    ck_assert_str_eq(after, good);
    free(after);
    free(good);
    replace_in(dir, "content/data/mallit/pk-2021.yaml", "nimi: [rikki", "nimi: Operatiivinen yhteistyö");
    diag_list_free(d);
    d = diag_list_new();
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_lt(st.rendered, pages * 2 / 3);
    forum = tu_read(out, "yhteistyorakenne/pk-2021/operatiivinen-yhteistyo/index.html");
    ck_assert_ptr_null(strstr(forum, "ja seuranta"));
    free(forum);

    /* A page removed: its file goes too. */
    char *gone = xasprintf("%s/content/perehdytys/tiivistelma.md", dir);
    ck_assert_int_eq(unlink(gone), 0);
    free(gone);
    replace_in(dir, "content/index.md", "(perehdytys/tiivistelma.md)", "(perehdytys/index.md)");
    replace_in(dir, "content/perehdytys/index.md", "(tiivistelma.md)", "(index.md)");
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_eq(st.pages, pages - 1);
    char *missing = tu_read(out, "perehdytys/tiivistelma/index.html");
    ck_assert_ptr_null(missing);

    /* The output folder removed behind serve's back: a full build again. */
    char *cmd = xasprintf("rm -rf '%s'", out);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_eq(st.rendered, pages - 1);
    char *home = tu_read(out, "index.html");
    ck_assert_ptr_nonnull(home);
    free(home);

    build_cache_free(c);
    diag_list_free(d);
    free(out);
    tu_rmdir(dir);
}
END_TEST

/* Serve's short way: a saved page whose text alone changed is patched into
 * the kept site; everything else falls back to the (incremental) full build. */
START_TEST(test_patch_build_renders_and_writes_one_saved_page)
{
    char *dir = handbook_copy();
    char *out = xasprintf("%s/public", dir);
    build_cache *c = build_cache_new();
    build_options o = {.src_dir = dir, .out_dir = out, .write = true, .cache = c};
    build_stats st;
    diag_list *d = diag_list_new();
    ck_assert(build_run(&o, d, &st));
    size_t pages = st.pages, files = st.files;
    ino_t other = inode_of(out, "vuosikello/index.html");
    const char *changed[] = {"content/perehdytys/tiivistelma.md", "content/.kaaviot.md.swp"};
    o.changed = changed;
    o.n_changed = 2;

    /* Saved as it was: nothing at all. */
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_eq(st.rendered, 0);
    ck_assert_uint_eq(st.written, 0);
    ck_assert_uint_eq(st.pages, pages);

    /* A new paragraph: that page, its search fragment and chunks, and the booklets that hold it. */
    replace_in(dir, "content/perehdytys/tiivistelma.md", "\n\n", "\n\nPöllökaaviot piirtyvät itsestään.\n\n");
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_eq(diag_errors(d), 0);
    ck_assert_uint_ge(st.rendered, 1);
    ck_assert_uint_le(st.rendered, 3);
    ck_assert_uint_ge(st.written, 2);
    ck_assert_uint_le(st.written, 10);
    ck_assert_uint_eq(st.files, files);
    ck_assert_uint_eq(st.layouts, 0);
    char *html = tu_read(out, "perehdytys/tiivistelma/index.html");
    ck_assert_ptr_nonnull(strstr(html, "Pöllökaaviot piirtyvät itsestään."));
    free(html);
    ck_assert(inode_of(out, "vuosikello/index.html") == other);
    char *cmd = xasprintf("grep -l 'Pöllökaaviot' '%s'/hakuhakemisto/sivut/*.json | wc -l | grep -qx 1", out);
    ck_assert_int_eq(system(cmd), 0); /* the new words are in exactly one search fragment */
    free(cmd);

    /* A heading another page links to, removed: the exact error, the old page stays. */
    const char *rooli[] = {"content/yhteistyorakenne/index.md"};
    o.changed = rooli;
    o.n_changed = 1;
    char *before = tu_read(out, "yhteistyorakenne/index.html");
    replace_in(dir, "content/yhteistyorakenne/index.md", "## Maakuntaliiton rooli", "## Maakuntaliiton osuus");
    diag_list_free(d);
    d = diag_list_new();
    ck_assert(!build_run(&o, d, &st));
    ck_assert_diag(d, 0,
                   "content/vastuunjako/index.md:46:183: error: content/yhteistyorakenne/index.md has no "
                   "heading with the id 'maakuntaliiton-rooli' (did you mean '#maakuntaliiton-osuus'?)");
    char *after = tu_read(out, "yhteistyorakenne/index.html");
    ck_assert_str_eq(after, before);
    free(after);
    free(before);
    /* The fix: a full build (the kept site held the broken page). */
    replace_in(dir, "content/yhteistyorakenne/index.md", "## Maakuntaliiton osuus", "## Maakuntaliiton rooli");
    diag_list_free(d);
    d = diag_list_new();
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_eq(diag_errors(d), 0);
    ck_assert_uint_eq(st.pages, pages);

    /* A new title is the site's business (menus, sidebars): the full way. */
    o.changed = changed;
    o.n_changed = 1;
    replace_in(dir, "content/perehdytys/tiivistelma.md", "title: Mitä päättäjän on hyvä tietää",
               "title: Päättäjän tiivistelmä");
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_gt(st.rendered, 3);
    char *sibling = tu_read(out, "perehdytys/index.html");
    ck_assert_ptr_nonnull(strstr(sibling, "Päättäjän tiivistelmä"));
    free(sibling);

    /* A new page: the full way too. */
    tu_write(dir, "content/ohjeet/uusi.md", "---\ntitle: Uusi ohje\n---\nTeksti.\n");
    const char *added[] = {"content/ohjeet/uusi.md"};
    o.changed = added;
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_eq(st.pages, pages + 1);
    html = tu_read(out, "ohjeet/uusi/index.html");
    ck_assert_ptr_nonnull(html);
    free(html);
    ck_assert_uint_eq(diag_errors(d), 0);

    /* A new folder whose page was written before the watcher saw the folder:
     * the folder alone is reported, and that is a full build. */
    tu_write(dir, "content/syva/alempi/sivu.md", "---\ntitle: Syvä sivu\n---\nSyvällä.\n");
    const char *folder[] = {"content/syva"};
    o.changed = folder;
    ck_assert(build_run(&o, d, &st));
    html = tu_read(out, "syva/alempi/sivu/index.html");
    ck_assert_ptr_nonnull(html);
    free(html);
    /* The folder moved away: its pages go too. */
    char *from = xasprintf("%s/content/syva", dir), *to = xasprintf("%s/syva-pois", dir);
    ck_assert_int_eq(rename(from, to), 0);
    ck_assert(build_run(&o, d, &st));
    ck_assert_ptr_null(tu_read(out, "syva/alempi/sivu/index.html"));
    free(from);
    free(to);
    ck_assert_uint_eq(diag_errors(d), 0);

    build_cache_free(c);
    diag_list_free(d);
    free(out);
    tu_rmdir(dir);
}
END_TEST

/* The first error of d, printed (caller frees; "" when there is none). */
static char *first_error(const diag_list *d)
{
    for (size_t i = 0; i < diag_count(d); i++)
        if (diag_at(d, i)->severity == DIAG_ERROR)
            return tu_diag(d, i);
    return xstrdup("");
}

#define ck_assert_first_error(d, want)                                                            \
    do {                                                                                          \
        char *e_ = first_error(d);                                                                \
        ck_assert_str_eq(e_, want);                                                               \
        free(e_);                                                                                 \
    } while (0)

/* A link to an anchor of a generated page ('pykala:…#momentti-4') is checked
 * against the ids of that page as rendered: in a plain build, in serve's
 * patch of one page, and in serve's full rebuild that skips the unchanged
 * law page (its ids come from the last build). */
START_TEST(test_entity_link_anchors_are_checked_in_every_kind_of_build)
{
    char *dir = handbook_copy();
    char *out = xasprintf("%s/public", dir);
    const char *page = "content/neuvottelut/index.md";
    const char *want = "content/neuvottelut/index.md:10:36: error: the link 'pykala:612-2021-7#momentti-9' points "
                       "at lainsaadanto/612-2021-7/, which has no anchor 'momentti-9' (did you mean 'momentti-1'?)";
    build_stats st;
    diag_list *d = diag_list_new();
    build_options o = {.src_dir = dir, .out_dir = out, .write = true};
    replace_in(dir, page, "pykala:612-2021-7#momentti-4", "pykala:612-2021-7#momentti-9");
    ck_assert(!build_run(&o, d, &st));
    ck_assert_uint_eq(diag_errors(d), 1);
    ck_assert_first_error(d, want);
    replace_in(dir, page, "pykala:612-2021-7#momentti-9", "pykala:612-2021-7#momentti-4");

    build_cache *c = build_cache_new();
    o.cache = c;
    diag_list_free(d);
    d = diag_list_new();
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_eq(diag_errors(d), 0);
    /* Serve's patch: only the saved page is read again. */
    const char *changed[] = {page};
    o.changed = changed;
    o.n_changed = 1;
    replace_in(dir, page, "pykala:612-2021-7#momentti-4", "pykala:612-2021-7#momentti-9");
    ck_assert(!build_run(&o, d, &st));
    ck_assert_uint_eq(diag_errors(d), 1);
    ck_assert_first_error(d, want);
    /* The fix (a full build, the kept site held the broken page), then the
     * same mistake in a full incremental build: the law page is not rendered. */
    replace_in(dir, page, "pykala:612-2021-7#momentti-9", "pykala:612-2021-7#momentti-4");
    diag_list_free(d);
    d = diag_list_new();
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_eq(diag_errors(d), 0);
    o.changed = NULL;
    o.n_changed = 0;
    replace_in(dir, page, "pykala:612-2021-7#momentti-4", "pykala:612-2021-7#momentti-9");
    ck_assert(!build_run(&o, d, &st));
    ck_assert_uint_eq(diag_errors(d), 1);
    ck_assert_first_error(d, want);
    ck_assert_uint_lt(st.rendered, st.pages / 2);

    build_cache_free(c);
    diag_list_free(d);
    free(out);
    tu_rmdir(dir);
}
END_TEST

/* } */

/* {====== Dates from the git history ====== */

#define T_2024_01_10 INT64_C(1704888000) /* 2024-01-10 12:00 UTC */
#define T_2025_03_05 INT64_C(1741176000) /* 2025-03-05 12:00 UTC */
#define T_2025_06_01 INT64_C(1748779200) /* 2025-06-01 12:00 UTC */
#define T_2025_09_01 INT64_C(1756728000) /* 2025-09-01 12:00 UTC */

/* A site in a fresh git repository: page A, a page listing the data and the
 * party's data on 2024-01-10; page B and a change to the data on
 * 2025-03-05; a change to the layouts (not content) on 2025-06-01. */
static char *dated_site(void)
{
    char *dir = tu_tmpdir();
    gu_init(dir);
    const char *layout = "{{page.title}}|{{#page.paivitetty}}Sisältö päivitetty <time datetime=\"{{page.paivitetty_iso}}\">"
                         "{{page.paivitetty}}</time>{{/page.paivitetty}}\n";
    tu_write(dir, "site.yaml", "ohjeet: false\ntitle: T\nbase_url: https://e.fi/\n");
    tu_write(dir, "layouts/page.mustache", layout);
    tu_write(dir, "layouts/toimija.mustache", layout);
    tu_write(dir, "layouts/kirja.mustache", "kirja {{kirja.paivitetty}} {{kirja.paivitetty_iso}}\n");
    tu_write(dir, "content/index.md", "---\ntitle: Koti\n---\n[A](a.md)\n");
    tu_write(dir, "content/a.md", "---\ntitle: A\n---\nA.\n");
    tu_write(dir, "content/lista.md", "---\ntitle: Lista\nmustache: true\n---\n{{#data.toimijat}}{{nimi}}{{/data.toimijat}}\n");
    tu_write(dir, "content/data/toimijat.yaml", "toimijat:\n  - id: kunta-a\n    nimi: Kunta A\n    laji: kunta\n");
    tu_write(dir, "layouts/lait/kansalliset.yaml", "lait: []\n"); /* no national obligations to meet */
    gu_commit(dir, (const char *const[]){"site.yaml", "layouts/page.mustache", "layouts/toimija.mustache",
                                         "layouts/kirja.mustache", "content/index.md", "content/a.md",
                                         "content/lista.md", "content/data/toimijat.yaml",
                                         "layouts/lait/kansalliset.yaml", NULL},
              T_2024_01_10, "eka");
    tu_write(dir, "content/b.md", "---\ntitle: B\n---\nB.\n");
    tu_write(dir, "content/data/toimijat.yaml", "toimijat:\n  - id: kunta-a\n    nimi: Kunta Aa\n    laji: kunta\n");
    gu_commit(dir, (const char *const[]){"content/b.md", "content/data/toimijat.yaml", NULL}, T_2025_03_05, "toka");
    char *changed_layout = xasprintf("<!-- muutettu -->%s", layout);
    tu_write(dir, "layouts/page.mustache", changed_layout);
    free(changed_layout);
    tu_write(dir, "site.yaml", "ohjeet: false\ntitle: T\nbase_url: https://e.fi/\ndescription: muuttui\n");
    gu_commit(dir, (const char *const[]){"site.yaml", "layouts/page.mustache", NULL}, T_2025_06_01, "kolmas");
    return dir;
}

/* Asserts that the page at rel (under out) shows the Finnish date fi (ISO iso). */
static void assert_footer(const char *out, const char *rel, const char *fi, const char *iso)
{
    char *html = tu_read(out, rel);
    ck_assert_ptr_nonnull(html);
    char *want = xasprintf("Sisältö päivitetty <time datetime=\"%s\">%s</time>", iso, fi);
    if (!strstr(html, want))
        ck_abort_msg("%s: want '%s', got '%s'", rel, want, html);
    free(want);
    free(html);
}

START_TEST(test_build_dates_each_page_by_the_last_change_of_its_content)
{
    unsetenv("SOURCE_DATE_EPOCH");
    char *dir = dated_site();
    char *out = xasprintf("%s/public", dir);
    diag_list *d = diag_list_new();
    build_stats st;
    build_options o = {.src_dir = dir, .out_dir = out, .write = true};
    ck_assert(build_run(&o, d, &st));
    ck_assert_uint_eq(diag_count(d), 1); /* parties but no model: said once */
    ck_assert_diag(d, 0, "content/data/mallit: warning: the data has no cooperation model yet, so there are no "
                         "forums to show (add one as a file such as content/data/mallit/nykyinen.yaml with "
                         "'malli:' and 'foorumit:')");
    assert_footer(out, "a/index.html", "10.1.2024", "2024-01-10");
    assert_footer(out, "b/index.html", "5.3.2025", "2025-03-05");
    assert_footer(out, "toimijat/kunta-a/index.html", "5.3.2025", "2025-03-05"); /* its data file's */
    assert_footer(out, "lista/index.html", "5.3.2025", "2025-03-05");          /* lists the data */
    char *sitemap = tu_read(out, "sitemap.xml");
    ck_assert_ptr_nonnull(strstr(sitemap, "<loc>https://e.fi/a/</loc><lastmod>2024-01-10</lastmod>"));
    ck_assert_ptr_nonnull(strstr(sitemap, "<loc>https://e.fi/b/</loc><lastmod>2025-03-05</lastmod>"));
    ck_assert_ptr_nonnull(strstr(sitemap, "<loc>https://e.fi/toimijat/kunta-a/</loc><lastmod>2025-03-05</lastmod>"));
    free(sitemap);
    /* The whole-handbook booklet: the newest of its pages. */
    char *kirja = tu_read(out, "tulosta/index.html");
    ck_assert_str_eq(kirja, "kirja 5.3.2025 2025-03-05\n");
    free(kirja);

    /* SOURCE_DATE_EPOCH: no date past it. */
    setenv("SOURCE_DATE_EPOCH", "1735689600", 1); /* 2025-01-01 */
    ck_assert(build_run(&o, d, &st));
    assert_footer(out, "a/index.html", "10.1.2024", "2024-01-10");
    assert_footer(out, "b/index.html", "1.1.2025", "2025-01-01");
    unsetenv("SOURCE_DATE_EPOCH");
    diag_list_free(d);
    free(out);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_serve_dates_a_saved_page_as_a_full_build_does)
{
    unsetenv("SOURCE_DATE_EPOCH");
    char *dir = dated_site();
    char *out = xasprintf("%s/public", dir);
    char *full = xasprintf("%s/full", dir);
    build_cache *c = build_cache_new();
    build_options o = {.src_dir = dir, .out_dir = out, .write = true, .cache = c};
    build_stats st;
    diag_list *d = diag_list_new();
    ck_assert(build_run(&o, d, &st));
    /* Saved, not committed: the file's own time (a patch of one page). */
    tu_write(dir, "content/a.md", "---\ntitle: A\n---\nA, muokattu.\n");
    gu_touch(dir, "content/a.md", T_2025_09_01);
    const char *changed[] = {"content/a.md"};
    o.changed = changed;
    o.n_changed = 1;
    ck_assert(build_run(&o, d, &st));
    assert_footer(out, "a/index.html", "1.9.2025", "2025-09-01");
    build_options f = {.src_dir = dir, .out_dir = full, .write = true};
    ck_assert(build_run(&f, d, &st));
    const char *same[] = {"a/index.html", "b/index.html", "sitemap.xml", "toimijat/kunta-a/index.html"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        char *x = tu_read(out, same[i]), *y = tu_read(full, same[i]);
        ck_assert_str_eq(x, y);
        free(x);
        free(y);
    }
    /* A data file saved: a full incremental build, the party's page redated. */
    tu_write(dir, "content/data/toimijat.yaml", "toimijat:\n  - id: kunta-a\n    nimi: Kunta Ab\n    laji: kunta\n");
    gu_touch(dir, "content/data/toimijat.yaml", T_2025_09_01 + 86400);
    changed[0] = "content/data/toimijat.yaml";
    ck_assert(build_run(&o, d, &st));
    assert_footer(out, "toimijat/kunta-a/index.html", "2.9.2025", "2025-09-02");
    assert_footer(out, "b/index.html", "5.3.2025", "2025-03-05");
    ck_assert_uint_eq(diag_errors(d), 0);
    build_cache_free(c);
    diag_list_free(d);
    free(full);
    free(out);
    tu_rmdir(dir);
}
END_TEST

/* } */

int main(void)
{
    Suite *s = suite_create("build");
    TCase *tc = tcase_create("build");
    tcase_add_test(tc, test_build_writes_pages_through_their_layouts);
    tcase_add_test(tc, test_build_failure_keeps_previous_output_byte_for_byte);
    tcase_add_test(tc, test_build_check_mode_writes_nothing);
    tcase_add_test(tc, test_build_reports_template_errors_at_the_layout);
    tcase_add_test(tc, test_build_checks_links_to_headings_of_pages_parsed_late);
    tcase_add_test(tc, test_mustache_page_link_after_a_repeating_section_is_reported_at_its_line);
    tcase_add_test(tc, test_mustache_page_link_after_a_value_is_reported_at_its_column);
    tcase_add_test(tc, test_mustache_page_raw_html_in_a_section_is_reported_at_the_template_line);
    tcase_add_test(tc, test_build_dates_each_page_by_the_last_change_of_its_content);
    tcase_add_test(tc, test_hook_pages_are_made_when_first_read);
    tcase_add_test(tc, test_xlsx_hook_writes_a_workbook_beside_the_pages);
    tcase_add_test(tc, test_xlsx_hook_path_outside_the_output_is_refused);
    tcase_add_test(tc, test_xlsx_hook_sheet_names_are_corrected_with_a_warning);
    tcase_add_test(tc, test_xlsx_hook_wrong_types_are_errors_at_the_calling_line);
    suite_add_tcase(s, tc);
    TCase *inc = tcase_create("incremental");
    tcase_set_timeout(inc, 120);
    tcase_add_test(inc, test_incremental_build_renders_and_writes_only_what_changed);
    tcase_add_test(inc, test_patch_build_renders_and_writes_one_saved_page);
    tcase_add_test(inc, test_entity_link_anchors_are_checked_in_every_kind_of_build);
    tcase_add_test(inc, test_serve_dates_a_saved_page_as_a_full_build_does);
    suite_add_tcase(s, inc);
    TCase *big = tcase_create("released"); /* 300 pages, built twice */
    tcase_set_timeout(big, 120);
    tcase_add_test(big, test_build_checks_links_of_released_pages_and_booklets_resolve_them);
    suite_add_tcase(s, big);
    return tu_run(s);
}
