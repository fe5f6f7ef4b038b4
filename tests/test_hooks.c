/* Tests of the Lua hooks: the kasikirja API, the read-only views, the sandbox and its limits. */
#include <pthread.h>
#include <time.h>

#include "../generator/0-base/buf.h"
#include "../generator/0-base/value.h"
#include "../generator/2-model/model.h"
#include "../generator/3-extend/hooks.h"
#include "testutil.h"

#define P ((src_pos){NULL, 0, 0})

/* {====== A fake build that records what the scripts ask of it ====== */

/* A compact text form of a value: {k:v,…} [a,…] "s" 1.5 true null; "…" below 4 levels (the
 * data has cycles). */
static void dump(buf_t *b, const val *v, int depth)
{
    if (depth > 4) {
        buf_puts(b, "…");
        return;
    }
    switch (val_kind_of(v)) {
    case VAL_NULL: buf_puts(b, "null"); break;
    case VAL_BOOL: buf_puts(b, val_as_bool(v) ? "true" : "false"); break;
    case VAL_NUM: buf_printf(b, "%g", val_as_num(v)); break;
    case VAL_STR: buf_printf(b, "\"%s\"", val_as_str(v)); break;
    case VAL_FUNC: buf_puts(b, "<func>"); break;
    case VAL_LIST:
        buf_putc(b, '[');
        for (size_t i = 0; i < val_len(v); i++) {
            if (i)
                buf_putc(b, ',');
            dump(b, val_at(v, i), depth + 1);
        }
        buf_putc(b, ']');
        break;
    case VAL_MAP:
        buf_putc(b, '{');
        for (size_t i = 0; i < val_len(v); i++) {
            if (i)
                buf_putc(b, ',');
            buf_printf(b, "%s:", val_key_at(v, i));
            dump(b, val_at(v, i), depth + 1);
        }
        buf_putc(b, '}');
        break;
    }
}

static char *dumps(const val *v)
{
    buf_t b = BUF_INIT;
    dump(&b, v, 0);
    return buf_detach(&b);
}

typedef struct {
    int pages, files;
    char *page;      /* the last page spec, dumped */
    src_pos page_at; /* and where it was asked for */
    const val *entity; /* the target of its field 'entity' */
    char *file_path, *file_content;
    size_t file_len;
    src_pos file_at;
    char *diagram;
    src_pos diagram_at;
    char *xlsx; /* the last kasikirja.xlsx spec, dumped */
    src_pos xlsx_at;
    val *sv; /* kasikirja.data_lang("sv") */
    val *langs; /* kasikirja.languages: fi, sv */
    i18n *cats[2]; /* their built-in catalogs */
} fake;

static bool fake_add_page(void *ud, const val *spec, src_pos where, char **err)
{
    fake *f = ud;
    const char *path = val_get_str(spec, "path");
    if (path && strstr(path, "..")) {
        *err = xasprintf("the page path '%s' leads outside the site", path);
        return false;
    }
    f->pages++;
    free(f->page);
    f->page = dumps(spec);
    f->page_at = where;
    f->entity = val_target(val_get(spec, "entity"));
    return true;
}

static bool fake_add_xlsx(void *ud, const val *spec, src_pos where, char **err)
{
    fake *f = ud;
    const char *path = val_get_str(spec, "path");
    if (path && strstr(path, "..")) {
        *err = xasprintf("kasikirja.xlsx: '%s' is not a plain path inside the output folder", path);
        return false;
    }
    free(f->xlsx);
    f->xlsx = dumps(spec);
    f->xlsx_at = where;
    return true;
}

static bool fake_add_file(void *ud, const char *path, const char *content, size_t len, src_pos where,
                          char **err)
{
    fake *f = ud;
    if (path[0] == '/' || strstr(path, "..")) {
        *err = xasprintf("the file path '%s' leads outside the output folder", path);
        return false;
    }
    f->files++;
    free(f->file_path);
    free(f->file_content);
    f->file_path = xstrdup(path);
    f->file_content = xstrndup(content, len);
    f->file_len = len;
    f->file_at = where;
    return true;
}

static char *fake_markdown(void *ud, const char *text, char **err)
{
    (void)ud;
    if (!strcmp(text, "fail")) {
        *err = xstrdup("the Markdown could not be rendered");
        return NULL;
    }
    return xasprintf("<p>%s</p>", text);
}

static char *fake_url(void *ud, const char *path, char **err)
{
    (void)ud;
    if (strncmp(path, "content/", 8)) {
        *err = xasprintf("no page '%s'", path);
        return NULL;
    }
    return xasprintf("/kk/%s", path + 8);
}

static char *fake_diagram(void *ud, const val *spec, src_pos where, char **err)
{
    fake *f = ud;
    (void)err;
    free(f->diagram);
    f->diagram = dumps(spec);
    f->diagram_at = where;
    return xstrdup("<figure>kaavio</figure>");
}

static const val *fake_data_lang(void *ud, const char *code)
{
    fake *f = ud;
    if (strcmp(code, "sv"))
        return NULL;
    if (!f->sv) {
        f->sv = val_map(P);
        val *parties = val_list(P);
        val *party = val_map(P);
        val_set_str(party, "nimi", "Kommun");
        val_set(party, "nimi_lang", val_bool(false, P));
        val_push(parties, party);
        val_set(f->sv, "toimijat", parties);
    }
    return f->sv;
}

static const val *fake_languages(void *ud)
{
    fake *f = ud;
    if (!f->langs) {
        f->langs = val_list(P);
        val_push(f->langs, val_str("fi", P));
        val_push(f->langs, val_str("sv", P));
    }
    return f->langs;
}

static const i18n *fake_catalog(void *ud, size_t i)
{
    fake *f = ud;
    ck_assert_uint_lt(i, 2);
    if (!f->cats[i])
        f->cats[i] = i18n_builtin(i ? "sv" : "fi", NULL);
    return f->cats[i];
}

static void fake_free(fake *f)
{
    val_free(f->sv);
    val_free(f->langs);
    i18n_free(f->cats[0]);
    i18n_free(f->cats[1]);
    free(f->page);
    free(f->file_path);
    free(f->file_content);
    free(f->diagram);
    free(f->xlsx);
}

/* }====== */

/* {====== Fixtures ====== */

typedef struct {
    char *dir;
    src_tree *src;
    diag_list *d;
    fake *rec; /* on the heap: the api keeps its address */
    hooks_api api;
    val *config, *pages, *data;
    hooks *h;
} fixture;

/* The site data the views show: a config, one page, and model data whose party and forum refer
 * to each other (toimijat[1].kutsuu[1] is foorumit[1], whose kutsuja is toimijat[1]). */
static void make_data(fixture *f)
{
    f->config = val_map(P);
    val_set_str(f->config, "title", "Testi");
    val *params = val_map(P);
    val_set(params, "x", val_num(1.5, P));
    val_set(f->config, "params", params);

    f->pages = val_list(P);
    val *page = val_map(P);
    val_set_str(page, "title", "Etusivu");
    val_set_str(page, "url", "");
    val_set_str(page, "path", "content/index.md");
    val_set(page, "params", val_map(P));
    val_push(f->pages, page);

    f->data = val_map(P);
    val *parties = val_list(P);
    val *party = val_map(P);
    val_set_str(party, "id", "kunta");
    val_set_str(party, "nimi", "Kunta");
    val_set(party, "jasenia", val_num(12, P));
    val_set(party, "aktiivinen", val_bool(true, P));
    val_set(party, "lakkautettu", val_null(P));
    val_push(parties, party);
    val_set(f->data, "toimijat", parties);
    val *forums = val_list(P);
    val *forum = val_map(P);
    val_set_str(forum, "nimi", "Foorumi");
    val_set(forum, "kutsuja", val_ref(party));
    val_push(forums, forum);
    val_set(f->data, "foorumit", forums);
    val *calls = val_list(P);
    val_push(calls, val_ref(forum));
    val_set(party, "kutsuu", calls);
}

/* A source tree with the given files ("path", "content", …, NULL) and hooks over the test data;
 * the api is the fake unless no_api. */
/* The built-in theme's hooks (the municipality pages, the exports) replaced by empty scripts of
 * the same names: these tests run their own scripts alone. */
static void theme_hooks_off(const char *dir)
{
    tu_write(dir, "layouts/hooks/10-kunnat.lua", "");
    tu_write(dir, "layouts/hooks/20-vienti.lua", "");
}

static fixture make_with(bool no_api, const char *first, va_list ap)
{
    fixture f = {tu_tmpdir(), NULL, diag_list_new(), xcalloc(1, sizeof(fake)), {0}, NULL, NULL, NULL, NULL};
    tu_write(f.dir, "site.yaml", "title: Testi\n");
    tu_write(f.dir, "content/index.md", "---\ntitle: Etusivu\n---\nHei.\n");
    tu_write(f.dir, "layouts/page.mustache", "{{{page.content}}}");
    tu_write(f.dir, "layouts/static/tyyli.css", "body{}");
    theme_hooks_off(f.dir);
    for (const char *path = first; path; path = va_arg(ap, const char *))
        tu_write(f.dir, path, va_arg(ap, const char *));
    f.src = src_load(f.dir, f.d);
    ck_assert_ptr_nonnull(f.src);
    ck_assert_uint_eq(diag_count(f.d), 0);
    make_data(&f);
    f.api = (hooks_api){.ud = f.rec, .add_page = fake_add_page, .add_file = fake_add_file,
                        .add_xlsx = fake_add_xlsx, .markdown = fake_markdown, .url = fake_url,
                        .diagram = fake_diagram, .data_lang = fake_data_lang,
                        .languages = fake_languages, .catalog = fake_catalog};
    f.h = hooks_new(f.src, f.config, f.pages, f.data, no_api ? NULL : &f.api, f.d);
    ck_assert_uint_eq(diag_count(f.d), 0);
    return f;
}

static fixture make(const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    fixture f = make_with(false, first, ap);
    va_end(ap);
    return f;
}

static fixture make_no_api(const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    fixture f = make_with(true, first, ap);
    va_end(ap);
    return f;
}

/* One script, layouts/hooks/a.lua. */
static fixture script(const char *lua) { return make("layouts/hooks/a.lua", lua, NULL); }

static void done(fixture *f)
{
    hooks_free(f->h);
    val_free(f->config);
    val_free(f->pages);
    val_free(f->data);
    fake_free(f->rec);
    free(f->rec);
    src_free(f->src);
    diag_list_free(f->d);
    tu_rmdir(f->dir);
}

/* Runs the scripts, which must succeed. */
static void run_ok(fixture *f)
{
    bool ok = hooks_run(f->h, f->d);
    char *first = tu_diag(f->d, 0);
    ck_assert_msg(ok, "the hooks failed: %s", first);
    free(first);
    ck_assert_uint_eq(diag_errors(f->d), 0);
}

/* The first line of diagnostic i as printed (caller frees). */
static char *first_line(const diag_list *d, size_t i)
{
    char *s = tu_diag(d, i);
    char *nl = strchr(s, '\n');
    if (nl)
        *nl = '\0';
    return s;
}

#define ck_assert_diag_line(d, i, expected)                                                       \
    do {                                                                                          \
        char *got_ = first_line(d, i);                                                            \
        ck_assert_str_eq(got_, expected);                                                         \
        free(got_);                                                                               \
    } while (0)

/* Runs a script that must fail with exactly one error whose first line is expected. */
static void fails_with(const char *lua, const char *expected)
{
    fixture f = script(lua);
    ck_assert(!hooks_run(f.h, f.d));
    ck_assert_uint_eq(diag_errors(f.d), 1);
    ck_assert_diag_line(f.d, 0, expected);
    done(&f);
}

/* Runs a script that must pass and leave exactly the warnings expected ("a\nb"). */
static void warns(const char *lua, const char *expected)
{
    fixture f = script(lua);
    run_ok(&f);
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < diag_count(f.d); i++) {
        const diag_t *g = diag_at(f.d, i);
        if (g->severity != DIAG_WARNING)
            continue;
        if (b.len)
            buf_putc(&b, '\n');
        buf_puts(&b, g->message);
    }
    ck_assert_str_eq(buf_cstr(&b), expected);
    buf_free(&b);
    done(&f);
}

/* }====== */

/* {====== The kasikirja functions ====== */

START_TEST(test_hooks_page_gives_the_build_the_table_as_a_map_and_the_calling_line)
{
    fixture f = script("-- sivut\n\nkasikirja.page{path = 'raportti/index.html', title = 'Raportti',\n"
                       "  weight = 3, draft = false, data = {rivit = {1, 2.5, 'x'}, tyhja = {}}}\n");
    run_ok(&f);
    ck_assert_int_eq(f.rec->pages, 1);
    ck_assert_str_eq(f.rec->page, "{data:{rivit:[1,2.5,\"x\"],tyhja:[]},draft:false,"
                                 "path:\"raportti/index.html\",title:\"Raportti\",weight:3}");
    ck_assert_str_eq(f.rec->page_at.file, "layouts/hooks/a.lua");
    ck_assert_int_eq(f.rec->page_at.line, 3);
    done(&f);
}
END_TEST

START_TEST(test_hooks_page_takes_views_of_the_site_data_by_reference)
{
    fixture f = script("kasikirja.page{path = 'k/', entity = kasikirja.parties[1].kutsuu[1]}\n");
    run_ok(&f);
    ck_assert_int_eq(f.rec->pages, 1);
    /* The forum's kutsuja refers back to the party, which calls the forum: a reference, not a copy. */
    ck_assert_ptr_eq(f.rec->entity, val_at(val_get(f.data, "foorumit"), 0));
    ck_assert_str_eq(f.rec->page, "{entity:{nimi:\"Foorumi\",kutsuja:{id:\"kunta\",nimi:\"Kunta\","
                                  "jasenia:12,aktiivinen:true,lakkautettu:null,kutsuu:[{nimi:…,"
                                  "kutsuja:…}]}},path:\"k/\"}");
    done(&f);
}
END_TEST

START_TEST(test_hooks_page_refusal_reaches_the_diagnostics_at_the_calling_line)
{
    fails_with("local p = '../../etc'\nkasikirja.page{path = p, title = 'x'}\n",
               "layouts/hooks/a.lua:2: error: the page path '../../etc' leads outside the site");
}
END_TEST

START_TEST(test_hooks_page_refuses_functions_and_cycles_with_their_place)
{
    fails_with("kasikirja.page{path = 'a/', data = {rivit = {1, print}}}\n",
               "layouts/hooks/a.lua:1: error: kasikirja.page: a function cannot be site data "
               "(only strings, numbers, booleans and tables) (at 'data.rivit[2]')");
    fails_with("local t = {}\nt.self = t\nkasikirja.page{path = 'a/', data = t}\n",
               "layouts/hooks/a.lua:3: error: kasikirja.page: the value contains itself "
               "(at 'data.self')");
    fails_with("kasikirja.page{1, 2}\n",
               "layouts/hooks/a.lua:1: error: kasikirja.page: expected a table with named fields, "
               "not a list");
    fails_with("kasikirja.page{path = 'a/', data = {1, x = 2}}\n",
               "layouts/hooks/a.lua:1: error: kasikirja.page: a table has both list items and "
               "named fields (at 'data')");
    fails_with("kasikirja.page('a/')\n",
               "layouts/hooks/a.lua:1: error: bad argument #1 to 'page' (table expected, got string)");
}
END_TEST

START_TEST(test_hooks_file_gives_the_build_path_and_content)
{
    fixture f = script("\nkasikirja.file{path = 'data/site.json', content = 'a\\0b'}\n");
    run_ok(&f);
    ck_assert_int_eq(f.rec->files, 1);
    ck_assert_str_eq(f.rec->file_path, "data/site.json");
    ck_assert_uint_eq(f.rec->file_len, 3);
    ck_assert_int_eq(memcmp(f.rec->file_content, "a\0b", 3), 0);
    ck_assert_str_eq(f.rec->file_at.file, "layouts/hooks/a.lua");
    ck_assert_int_eq(f.rec->file_at.line, 2);
    done(&f);
}
END_TEST

START_TEST(test_hooks_file_refusal_reaches_the_diagnostics_at_the_calling_line)
{
    fails_with("\n\nkasikirja.file{path = '../x', content = 'y'}\n",
               "layouts/hooks/a.lua:3: error: the file path '../x' leads outside the output folder");
    fails_with("kasikirja.file{path = 'x'}\n",
               "layouts/hooks/a.lua:1: error: kasikirja.file: 'content' must be a string (got nil)");
}
END_TEST

START_TEST(test_hooks_xlsx_gives_the_build_the_table_as_a_map_and_the_calling_line)
{
    fixture f = script("\n\nkasikirja.xlsx{path = 'v.xlsx', sheets = {{name = 'A', columns = {'x', 'y'},\n"
                       "  rows = {{'=1+1', 2}}, widths = {10}}}}\n");
    run_ok(&f);
    ck_assert_str_eq(f.rec->xlsx, "{path:\"v.xlsx\",sheets:[{columns:[\"x\",\"y\"],name:\"A\","
                                  "rows:[[…,…]],widths:[10]}]}"); /* dumps shows 4 levels */
    ck_assert_str_eq(f.rec->xlsx_at.file, "layouts/hooks/a.lua");
    ck_assert_int_eq(f.rec->xlsx_at.line, 3);
    done(&f);
}
END_TEST

START_TEST(test_hooks_xlsx_refusal_reaches_the_diagnostics_at_the_calling_line)
{
    fails_with("\nkasikirja.xlsx{path = '../v.xlsx', sheets = {}}\n",
               "layouts/hooks/a.lua:2: error: kasikirja.xlsx: '../v.xlsx' is not a plain path inside the "
               "output folder");
    fails_with("kasikirja.xlsx('v.xlsx')\n",
               "layouts/hooks/a.lua:1: error: bad argument #1 to 'xlsx' (table expected, got string)");
}
END_TEST

START_TEST(test_hooks_markdown_url_and_diagram_go_through_the_api)
{
    warns("kasikirja.warn(kasikirja.markdown('*hei*'))\n"
          "kasikirja.warn(kasikirja.url('content/lait/index.md'))\n"
          "kasikirja.warn(kasikirja.diagram{nakyma = 'rakenne', malli = 'uusi'})\n",
          "<p>*hei*</p>\n/kk/lait/index.md\n<figure>kaavio</figure>");
    fixture f = script("\nlocal html = kasikirja.diagram{nakyma = 'rakenne'}\n");
    run_ok(&f);
    ck_assert_str_eq(f.rec->diagram, "{nakyma:\"rakenne\"}");
    ck_assert_int_eq(f.rec->diagram_at.line, 2);
    done(&f);
    fails_with("local u = kasikirja.url('tyyli.css')\n", "layouts/hooks/a.lua:1: error: no page 'tyyli.css'");
    fails_with("\nkasikirja.markdown('fail')\n",
               "layouts/hooks/a.lua:2: error: the Markdown could not be rendered");
}
END_TEST

/* kasikirja.data_lang(code): the data in one of the site's languages, nil for another. */
START_TEST(test_hooks_read_the_data_per_language)
{
    warns("local sv = kasikirja.data_lang('sv')\n"
          "kasikirja.warn(sv.toimijat[1].nimi .. ' ' .. tostring(sv.toimijat[1].nimi_lang))\n"
          "kasikirja.warn(tostring(kasikirja.data_lang('de')) .. ' ' .. kasikirja.data.toimijat[1].nimi)\n"
          "kasikirja.warn(tostring(rawequal(kasikirja.data_lang('sv'), sv)))\n",
          "Kommun false\nnil Kunta\ntrue");
    fails_with("\nkasikirja.data_lang()\n", "layouts/hooks/a.lua:2: error: bad argument #1 to 'data_lang' (string expected, got no value)");
}
END_TEST

/* kasikirja.text(key, lang): the site's interface texts; kasikirja.languages: its languages. */
START_TEST(test_hooks_text_gives_the_interface_texts_of_the_site_languages)
{
    warns("kasikirja.warn(kasikirja.text('vienti.tehtava'), kasikirja.text('vienti.tehtava', 'sv'),\n"
          "  kasikirja.text('vienti.tehtava', 'fi'))\n"
          "kasikirja.warn(#kasikirja.languages, table.concat({kasikirja.languages[1], kasikirja.languages[2]}, ','))\n"
          "kasikirja.warn(kasikirja.text('tiheys.vuodessa', 'sv'))\n",
          "Tehtävä\tUppgift\tTehtävä\n2\tfi,sv\n{n} gånger per år");
    fails_with("\nkasikirja.text('vienti.tehtva', 'sv')\n",
               "layouts/hooks/a.lua:2: error: kasikirja.text: unknown interface text 'vienti.tehtva' "
               "(did you mean 'vienti.tehtava'?)");
    fails_with("\nlocal ok = pcall(kasikirja.text, 'xyzzy')\nkasikirja.text('xyzzy')\n",
               "layouts/hooks/a.lua:3: error: kasikirja.text: unknown interface text 'xyzzy' (the keys are "
               "'group.key' of the theme's layouts/kielet/fi.yaml)");
    fails_with("\nkasikirja.text('vienti.tehtava', 'de')\n",
               "layouts/hooks/a.lua:2: error: kasikirja.text: the site has no language 'de' (its languages: fi, sv)");
    fails_with("\nkasikirja.text()\n",
               "layouts/hooks/a.lua:2: error: bad argument #1 to 'text' (string expected, got no value)");
}
END_TEST

START_TEST(test_hooks_functions_without_an_api_are_not_available)
{
    static const char *const fns[] = {"page{}", "file{path='a', content='b'}", "markdown('x')",
                                      "url('x')", "diagram{}", "data_lang('sv')", "text('vienti.tehtava')"};
    static const char *const names[] = {"page", "file", "markdown", "url", "diagram", "data_lang", "text"};
    for (size_t i = 0; i < 7; i++) {
        char *lua = xasprintf("\nkasikirja.%s\n", fns[i]);
        fixture f = make_no_api("layouts/hooks/a.lua", lua, NULL);
        ck_assert(!hooks_run(f.h, f.d));
        char *expected = xasprintf("layouts/hooks/a.lua:2: error: kasikirja.%s: not available", names[i]);
        ck_assert_diag_line(f.d, 0, expected);
        free(expected);
        free(lua);
        done(&f);
    }
    fixture f = make_no_api("layouts/hooks/a.lua", "kasikirja.warn(#kasikirja.languages)\n", NULL);
    run_ok(&f);
    ck_assert_str_eq(diag_at(f.d, 0)->message, "0");
    done(&f);
}
END_TEST

START_TEST(test_hooks_escape_makes_html_text)
{
    warns("kasikirja.warn(kasikirja.escape([[<a href=\"x\">T&K's</a>]]))\n",
          "&lt;a href=&quot;x&quot;&gt;T&amp;K&#39;s&lt;/a&gt;");
}
END_TEST

START_TEST(test_hooks_json_encodes_nesting_escapes_and_sorted_keys)
{
    warns("kasikirja.warn(kasikirja.json({zeta = 1, alfa = {true, false, 2.5, -3, 0.1},\n"
          "  beta = {c = 'rivi\\n\"lainaus\"\\\\\\t\\1</script>&', b = {}}, ['ä'] = 'öö'}))\n",
          "{\"alfa\":[true,false,2.5,-3,0.1],\"beta\":{\"b\":[],\"c\":\"rivi\\n\\\"lainaus\\\"\\\\\\t"
          "\\u0001\\u003c/script\\u003e\\u0026\"},\"zeta\":1,\"ä\":\"öö\"}");
    warns("kasikirja.warn(kasikirja.json('x\\255y'), kasikirja.json(nil), kasikirja.json(1e300))\n",
          "\"x\\ufffdy\"\tnull\t1e+300");
}
END_TEST

START_TEST(test_hooks_json_refuses_a_value_that_contains_itself)
{
    fails_with("local t = {a = {}}\nt.a.b = {t}\nlocal s = kasikirja.json(t)\n",
               "layouts/hooks/a.lua:3: error: kasikirja.json: the value contains itself (at 'a.b[1]')");
    fails_with("local s = kasikirja.json(kasikirja.parties)\n",
               "layouts/hooks/a.lua:1: error: kasikirja.json: the value contains itself "
               "(at '[1].kutsuu[1].kutsuja')");
    fails_with("local s = kasikirja.json({f = print})\n",
               "layouts/hooks/a.lua:1: error: kasikirja.json: cannot encode a function (at 'f')");
    fails_with("local s = kasikirja.json(0/0)\n",
               "layouts/hooks/a.lua:1: error: kasikirja.json: cannot encode nan (JSON has no such numbers)");
    /* Shared but not cyclic: encoded twice. */
    warns("local x = {1}\nkasikirja.warn(kasikirja.json({x, x}))\n", "[[1],[1]]");
}
END_TEST

START_TEST(test_hooks_json_encodes_views_in_source_order)
{
    warns("kasikirja.warn(kasikirja.json(kasikirja.config), kasikirja.json(kasikirja.pages))\n",
          "{\"title\":\"Testi\",\"params\":{\"x\":1.5}}\t"
          "[{\"title\":\"Etusivu\",\"url\":\"\",\"path\":\"content/index.md\",\"params\":{}}]");
    warns("kasikirja.warn(kasikirja.json({p = kasikirja.forums[1].nimi, n = kasikirja.parties[1].jasenia}))\n",
          "{\"n\":12,\"p\":\"Foorumi\"}");
}
END_TEST

START_TEST(test_hooks_read_returns_a_loaded_source_file)
{
    warns("kasikirja.warn(kasikirja.read('content/index.md'))\n"
          "kasikirja.warn(#kasikirja.read('layouts/hooks/a.lua'))\n",
          "---\ntitle: Etusivu\n---\nHei.\n\n106");
}
END_TEST

START_TEST(test_hooks_read_refuses_paths_outside_the_loaded_sources)
{
    static const char *const paths[] = {"../x", "/etc/passwd", "content/../site.yaml", "content/puuttuu.md",
                                        "site.yaml", "layouts/static/tyyli.css", "content//index.md"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char *lua = xasprintf("\nlocal s = kasikirja.read('%s')\n", paths[i]);
        char *expected = xasprintf("layouts/hooks/a.lua:2: error: kasikirja.read: no source file '%s' "
                                   "(hooks can read files under content/, layouts/ and diagrams/)",
                                   paths[i]);
        fails_with(lua, expected);
        free(lua);
        free(expected);
    }
}
END_TEST

START_TEST(test_hooks_warn_is_a_warning_at_the_calling_line)
{
    fixture f = script("\n\nkasikirja.warn('msg')\n");
    run_ok(&f);
    ck_assert_uint_eq(diag_count(f.d), 1);
    ck_assert_diag(f.d, 0, "layouts/hooks/a.lua:3: warning: msg");
    done(&f);
}
END_TEST

START_TEST(test_hooks_print_is_a_note_at_the_calling_line)
{
    fixture f = script("print('arvo', 1, nil, true)\n");
    run_ok(&f);
    ck_assert_uint_eq(diag_count(f.d), 1);
    ck_assert_diag(f.d, 0, "layouts/hooks/a.lua:1: note: arvo\t1\tnil\ttrue");
    done(&f);
}
END_TEST

START_TEST(test_hooks_error_stops_the_build_at_the_calling_line)
{
    fixture f = make("layouts/hooks/a.lua", "\n\n\n\nkasikirja.error('msg')\nkasikirja.warn('not reached')\n",
                     "layouts/hooks/b.lua", "kasikirja.warn('not run')\n", NULL);
    ck_assert(!hooks_run(f.h, f.d));
    ck_assert_uint_eq(diag_count(f.d), 1);
    ck_assert_diag(f.d, 0, "layouts/hooks/a.lua:5: error: msg"); /* no traceback, one position */
    done(&f);
    /* A message that already has a position (caught and raised again) keeps it. */
    fails_with("local ok, e = pcall(kasikirja.error, 'eka')\n\nkasikirja.error(e)\n",
               "layouts/hooks/a.lua:1: error: eka");
}
END_TEST

/* }====== */

/* {====== Filters and lambdas ====== */

static val *page_map(void)
{
    val *p = val_map(P);
    val_set_str(p, "title", "Lait");
    val_set_str(p, "url", "lait/");
    val_set_str(p, "path", "content/lait/index.md");
    val *params = val_map(P);
    val_set_str(params, "kuvaus", "Lakeja");
    val_set(p, "params", params);
    return p;
}

START_TEST(test_hooks_on_page_filters_return_the_fields_they_set)
{
    fixture f = make("layouts/hooks/a.lua",
                     "kasikirja.on_page(function(page)\n"
                     "  page.title = page.title .. ' | ' .. page.params.kuvaus\n"
                     "  page.extra = {page.url, n = nil}\n"
                     "end)\n",
                     "layouts/hooks/b.lua",
                     "kasikirja.on_page(function(page) page.luku = #page.title; page.url = 'lait/' end)\n",
                     NULL);
    run_ok(&f);
    val *page = page_map();
    val *changed = hooks_filter_page(f.h, page, f.d);
    ck_assert_uint_eq(diag_count(f.d), 0);
    ck_assert_ptr_nonnull(changed);
    char *s = dumps(changed);
    ck_assert_str_eq(s, "{extra:[\"lait/\"],luku:13,title:\"Lait | Lakeja\"}");
    ck_assert_str_eq(val_pos(val_get(changed, "luku")).file, "layouts/hooks/b.lua");
    free(s);
    val_free(changed);
    val_free(page);
    done(&f);
}
END_TEST

START_TEST(test_hooks_on_page_without_changes_returns_null)
{
    fixture f = script("kasikirja.on_page(function(page) local t = page.title end)\n");
    val *page = page_map();
    ck_assert_ptr_null(hooks_filter_page(f.h, page, f.d)); /* not run yet: no filters */
    run_ok(&f);
    ck_assert_ptr_null(hooks_filter_page(f.h, page, f.d));
    ck_assert_uint_eq(diag_count(f.d), 0);
    val_free(page);
    done(&f);
}
END_TEST

START_TEST(test_hooks_on_page_errors_are_reported_and_give_null)
{
    fixture f = script("kasikirja.on_page(function(page)\n  page.params.x = 1\nend)\n");
    run_ok(&f);
    val *page = page_map();
    ck_assert_ptr_null(hooks_filter_page(f.h, page, f.d));
    ck_assert_uint_eq(diag_errors(f.d), 1);
    ck_assert_diag_line(f.d, 0, "layouts/hooks/a.lua:2: error: the site data is read-only (tried to set 'x')");
    val_free(page);
    done(&f);
}
END_TEST

START_TEST(test_hooks_on_page_views_expire_after_the_filter)
{
    fixture f = script("local kept\n"
                       "kasikirja.on_page(function(page) kept = page.params end)\n"
                       "kasikirja.lambda('kept', function() return kept.kuvaus end)\n");
    run_ok(&f);
    val *page = page_map();
    ck_assert_ptr_null(hooks_filter_page(f.h, page, f.d));
    val_free(page); /* the view's node is gone now */
    char *err = NULL;
    char *out = val_call(val_get(hooks_lambdas(f.h), "kept"), NULL, &err);
    ck_assert_ptr_null(out);
    ck_assert_str_eq(err, "layouts/hooks/a.lua:3: this view of a page was only valid during its on_page filter");
    free(err);
    done(&f);
}
END_TEST

START_TEST(test_hooks_lambda_gets_the_raw_text_and_interpolation_gets_none)
{
    fixture f = script("kasikirja.lambda('iso', function(text)\n"
                       "  if text == nil then return 'ei tekstiä' end\n"
                       "  return text:upper() .. '{{x}}'\n"
                       "end)\n"
                       "kasikirja.lambda('ei', function() return false end)\n"
                       "kasikirja.lambda('luku', function() return 42 end)\n");
    run_ok(&f);
    const val *lambdas = hooks_lambdas(f.h);
    ck_assert_uint_eq(val_len(lambdas), 3);
    char *err = NULL;
    char *out = val_call(val_get(lambdas, "iso"), "hei {{x}} ", &err);
    ck_assert_ptr_null(err);
    ck_assert_str_eq(out, "HEI {{X}} {{x}}");
    free(out);
    out = val_call(val_get(lambdas, "iso"), NULL, &err);
    ck_assert_str_eq(out, "ei tekstiä");
    free(out);
    out = val_call(val_get(lambdas, "ei"), "x", &err);
    ck_assert_ptr_null(out);
    ck_assert_ptr_null(err);
    out = val_call(val_get(lambdas, "luku"), NULL, &err);
    ck_assert_str_eq(out, "42");
    free(out);
    done(&f);
}
END_TEST

START_TEST(test_hooks_lambda_errors_come_back_with_their_position)
{
    fixture f = script("kasikirja.lambda('rikki', function(text)\n"
                       "  return text.foo.bar\n"
                       "end)\n"
                       "kasikirja.lambda('taulu', function() return {} end)\n"
                       "kasikirja.lambda('varoitus', function() kasikirja.warn('x') end)\n");
    run_ok(&f);
    const val *lambdas = hooks_lambdas(f.h);
    char *err = NULL;
    ck_assert_ptr_null(val_call(val_get(lambdas, "rikki"), "abc", &err));
    ck_assert_str_eq(err, "layouts/hooks/a.lua:2: attempt to index a nil value (field 'foo')");
    free(err);
    ck_assert_ptr_null(val_call(val_get(lambdas, "taulu"), "abc", &err));
    ck_assert_str_eq(err, "layouts/hooks/a.lua:4: the lambda 'taulu' returned a table "
                          "(return a string, or false for nothing)");
    free(err);
    ck_assert_ptr_null(val_call(val_get(lambdas, "varoitus"), "abc", &err));
    ck_assert_str_eq(err, "layouts/hooks/a.lua:5: kasikirja.warn: not available inside a lambda "
                          "(a lambda's only output is its text)");
    free(err);
    done(&f);
}
END_TEST

START_TEST(test_hooks_compile_lambda_wraps_an_expression)
{
    fixture f = script("calls = 0\n");
    run_ok(&f);
    val *l = hooks_compile_lambda(f.h, "function(text) calls = calls + 1; return text .. calls end", f.d);
    ck_assert_ptr_nonnull(l);
    char *err = NULL;
    char *out = val_call(l, "x", &err);
    ck_assert_str_eq(out, "x1");
    free(out);
    out = val_call(l, "y", &err);
    ck_assert_str_eq(out, "y2");
    free(out);
    ck_assert_ptr_null(hooks_compile_lambda(f.h, "42", f.d));
    ck_assert_diag_line(f.d, 0, "(lambda):1: error: the expression gives a number, not a function");
    ck_assert_ptr_null(hooks_compile_lambda(f.h, "function(", f.d));
    ck_assert_diag(f.d, 1, "(lambda):1: error: <name> or '...' expected near <eof>");
    val_free(l);
    done(&f);
}
END_TEST

typedef struct {
    const val *lambda;
    int ok;
} thread_arg;

static void *call_many(void *p)
{
    thread_arg *a = p;
    for (int i = 0; i < 200; i++) {
        char raw[32], expected[40], *err = NULL;
        snprintf(raw, sizeof raw, "t%d", i);
        snprintf(expected, sizeof expected, "<T%d>", i);
        char *out = val_call(a->lambda, raw, &err);
        if (out && !strcmp(out, expected))
            a->ok++;
        free(out);
        free(err);
    }
    return NULL;
}

START_TEST(test_hooks_lambdas_can_be_called_from_several_threads)
{
    fixture f = script("kasikirja.lambda('k', function(t) local s = {} for i = 1, 50 do s[i] = i end\n"
                       "  return '<' .. t:upper() .. '>' end)\n");
    run_ok(&f);
    pthread_t th[4];
    thread_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (thread_arg){val_get(hooks_lambdas(f.h), "k"), 0};
        ck_assert_int_eq(pthread_create(&th[i], NULL, call_many, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(args[i].ok, 200);
    }
    done(&f);
}
END_TEST

/* }====== */

/* {====== Views ====== */

START_TEST(test_hooks_views_read_config_pages_and_data)
{
    warns("local c, p, t = kasikirja.config, kasikirja.pages, kasikirja.parties[1]\n"
          "kasikirja.warn(c.title, c.params.x, #p, p[1].title, p[1].url == '', p[2])\n"
          "kasikirja.warn(t.nimi, t.jasenia, math.type(t.jasenia), t.aktiivinen, t.lakkautettu, t.puuttuu)\n"
          "local keys = {}\n"
          "for k, v in pairs(t) do keys[#keys + 1] = k .. '=' .. type(v) end\n"
          "kasikirja.warn(table.concat(keys, ','))\n"
          "for i, v in ipairs(kasikirja.pages) do kasikirja.warn(i, v.path) end\n"
          "kasikirja.warn(#kasikirja.laws, #kasikirja.glossary, type(kasikirja.data.toimija))\n",
          "Testi\t1.5\t1\tEtusivu\ttrue\tnil\n"
          "Kunta\t12\tinteger\ttrue\tnil\tnil\n"
          "id=string,nimi=string,jasenia=number,aktiivinen=boolean,kutsuu=table\n"
          "1\tcontent/index.md\n"
          "0\t0\tnil");
}
END_TEST

START_TEST(test_hooks_views_share_nodes_and_follow_cycles)
{
    warns("local p = kasikirja.parties[1]\n"
          "assert(p == kasikirja.data.toimijat[1])\n"
          "local f = p.kutsuu[1]\n"
          "assert(f == kasikirja.forums[1], 'a shared node is one table')\n"
          "assert(f.kutsuja == p, 'a cycle leads back to the same table')\n"
          "kasikirja.warn(f.kutsuja.kutsuu[1].kutsuja.kutsuu[1].nimi)\n",
          "Foorumi");
}
END_TEST

START_TEST(test_hooks_views_are_read_only)
{
    fails_with("\nkasikirja.config.title = 'x'\n",
               "layouts/hooks/a.lua:2: error: the site data is read-only (tried to set 'title')");
    fails_with("kasikirja.parties[2] = {}\n",
               "layouts/hooks/a.lua:1: error: the site data is read-only (tried to set [2])");
    fails_with("local f = kasikirja.forums[1]\nf.kutsuja.nimi = 'x'\n",
               "layouts/hooks/a.lua:2: error: the site data is read-only (tried to set 'nimi')");
    fails_with("setmetatable(kasikirja.config, {})\n",
               "layouts/hooks/a.lua:1: error: cannot change a protected metatable");
    /* rawset changes only the Lua table, never the site's data. */
    warns("rawset(kasikirja.config, 'title', 'x')\n"
          "kasikirja.warn(kasikirja.json(kasikirja.config))\n",
          "{\"title\":\"Testi\",\"params\":{\"x\":1.5}}");
}
END_TEST

START_TEST(test_hooks_kasikirja_table_is_read_only)
{
    fails_with("\n\nkasikirja.page = print\n",
               "layouts/hooks/a.lua:3: error: kasikirja is read-only (tried to set 'page')");
    fails_with("setmetatable(kasikirja, nil)\n",
               "layouts/hooks/a.lua:1: error: cannot change a protected metatable");
    warns("local n = 0\nfor k in pairs(kasikirja) do n = n + 1 end\nkasikirja.warn(n)\n", "31");
}
END_TEST

/* }====== */

/* {====== Scripts and the sandbox ====== */

START_TEST(test_hooks_scripts_run_in_file_name_order)
{
    fixture f = make("layouts/hooks/20-b.lua", "order = order .. 'b'\n",
                     "layouts/hooks/10-a.lua", "order = 'a'\n",
                     "layouts/hooks/30-c.lua", "kasikirja.warn(order .. 'c')\n",
                     "layouts/hooks/lib/apu.lua", "kasikirja.error('not a hook: in a subfolder')\n",
                     "layouts/hooks/LUE.txt", "not Lua",
                     NULL);
    ck_assert_uint_eq(hooks_count(f.h), 5); /* and the two empty stand-ins of theme_hooks_off */
    run_ok(&f);
    ck_assert_diag(f.d, 0, "layouts/hooks/30-c.lua:1: warning: abc");
    done(&f);
}
END_TEST

START_TEST(test_hooks_syntax_error_is_reported_exactly)
{
    fixture f = make("layouts/hooks/a.lua", "kasikirja.warn('a')\n", "layouts/hooks/x.lua",
                     "local a = 1\nlocal b = = 2\n", "layouts/hooks/y.lua", "kasikirja.warn('y')\n",
                     NULL);
    ck_assert(!hooks_run(f.h, f.d));
    ck_assert_uint_eq(diag_count(f.d), 2);
    ck_assert_diag(f.d, 0, "layouts/hooks/a.lua:1: warning: a");
    ck_assert_diag(f.d, 1, "layouts/hooks/x.lua:2: error: unexpected symbol near '='");
    done(&f);
}
END_TEST

START_TEST(test_hooks_runtime_error_has_a_traceback)
{
    fixture f = script("local function f(t)\n  return t.foo.bar\nend\nf({})\n");
    ck_assert(!hooks_run(f.h, f.d));
    char *s = tu_diag(f.d, 0);
    ck_assert_str_eq(s, "layouts/hooks/a.lua:2: error: attempt to index a nil value (field 'foo')\n"
                        "stack traceback:\n"
                        "\tlayouts/hooks/a.lua:2: in local 'f'\n"
                        "\tlayouts/hooks/a.lua:4: in main chunk");
    free(s);
    done(&f);
}
END_TEST

/* Each way out of the sandbox, and the error it meets at its line. */
static const struct {
    const char *lua, *expected;
} escapes[] = {
    {"\nlocal f = io.open('/etc/passwd')\n", "layouts/hooks/a.lua:2: error: attempt to index a nil value (global 'io')"},
    {"\nos.execute('touch /tmp/kk-pwned')\n", "layouts/hooks/a.lua:2: error: attempt to index a nil value (global 'os')"},
    {"\nlocal m = require('os')\n", "layouts/hooks/a.lua:2: error: attempt to call a nil value (global 'require')"},
    {"\ndofile('/etc/passwd')\n", "layouts/hooks/a.lua:2: error: attempt to call a nil value (global 'dofile')"},
    {"\nlocal f = loadfile('/etc/passwd')\n", "layouts/hooks/a.lua:2: error: attempt to call a nil value (global 'loadfile')"},
    {"\npackage.loadlib('libc.so.6', 'system')\n", "layouts/hooks/a.lua:2: error: attempt to index a nil value (global 'package')"},
    {"\ndebug.sethook()\n", "layouts/hooks/a.lua:2: error: attempt to index a nil value (global 'debug')"},
    {"\nlocal c = coroutine.create(print)\n", "layouts/hooks/a.lua:2: error: attempt to index a nil value (global 'coroutine')"},
    {"\nlocal b = string.dump(function() end)\n", "layouts/hooks/a.lua:2: error: attempt to call a nil value (field 'dump')"},
    {"\nlocal b = ('').dump(function() end)\n", "layouts/hooks/a.lua:2: error: attempt to call a nil value (field 'dump')"},
    {"\nassert(load('\\27Lua\\x54\\0\\25\\147\\r\\n'))\n", "layouts/hooks/a.lua:2: error: attempt to load a binary chunk (mode is 't')"},
    {"\nassert(load('return 1', 'x', 'b'))\n", "layouts/hooks/a.lua:2: error: attempt to load a binary chunk (hooks load only text)"},
    {"\nlocal f = load(function() return nil end)\n", "layouts/hooks/a.lua:2: error: load: hooks can load only chunks given as strings"},
    {"\nassert(load('io.write(1)'))()\n", "layouts/hooks/a.lua:2: error: (load):1: attempt to index a nil value (global 'io')"},
    {"\ncollectgarbage('stop')\n", "layouts/hooks/a.lua:2: error: collectgarbage: only collectgarbage(\"count\") is available in hooks"},
    {"\nwarn('@on')\n", "layouts/hooks/a.lua:2: error: attempt to call a nil value (global 'warn')"},
};

START_TEST(test_hooks_sandbox_escape_fails_at_its_line)
{
    fails_with(escapes[_i].lua, escapes[_i].expected);
}
END_TEST

START_TEST(test_hooks_sandbox_keeps_the_safe_libraries)
{
    warns("kasikirja.warn(string.format('%05.1f', math.pi), table.concat({utf8.char(228), 'x'}, '-'),\n"
          "  type(collectgarbage('count')), select('#', pcall(error)), math.random(1, 1000) > 0)\n"
          "local f = load('return 1 + x', 'c', 't', {x = 2})\n"
          "kasikirja.warn(f())\n",
          "003.1\tä-x\tnumber\t2\ttrue\n3");
}
END_TEST

START_TEST(test_hooks_math_random_is_the_same_in_every_build)
{
    char *first = NULL;
    for (int i = 0; i < 2; i++) {
        fixture f = script("kasikirja.warn(math.random(1, 1000000000), math.random())\n");
        run_ok(&f);
        char *s = tu_diag(f.d, 0);
        if (!first)
            first = s;
        else {
            ck_assert_str_eq(s, first);
            free(s);
        }
        done(&f);
    }
    free(first);
}
END_TEST

START_TEST(test_hooks_long_script_paths_keep_their_whole_name)
{
    static const char path[] = "layouts/hooks/"
                               "30-a-script-whose-name-is-long-enough-for-lua-to-shorten-it.lua";
    fixture f = make(path, "\nlocal x = nil + 1\n", NULL);
    ck_assert(!hooks_run(f.h, f.d));
    ck_assert_diag_line(f.d, 0, "layouts/hooks/30-a-script-whose-name-is-long-enough-for-lua-to-shorten-it.lua:2: "
                                "error: attempt to perform arithmetic on a nil value");
    done(&f);
}
END_TEST

/* Time inside one C function (a pattern that backtracks without end) is not
 * counted in instructions: the watchdog stops the process. The test runs in
 * its own process (Check forks) and expects exit status 1. */
START_TEST(test_hooks_watchdog_stops_a_pattern_that_backtracks_without_end)
{
    setenv("KASIKIRJA_HOOK_SECONDS", "1", 1);
    fixture f = script("local s = string.rep('a', 30) .. 'b'\nreturn s:find(string.rep('a*', 30) .. 'c')\n");
    hooks_run(f.h, f.d);
    done(&f); /* not reached: the watchdog ends the process with status 1 */
}
END_TEST

START_TEST(test_hooks_watchdog_lets_a_quick_script_finish)
{
    setenv("KASIKIRJA_HOOK_SECONDS", "30", 1); /* a microsecond's work: far inside any watchdog */
    fixture f = script("local s = string.rep('a', 30) .. 'b'\nassert(s:find('a*b'))\n");
    run_ok(&f);
    done(&f);
}
END_TEST

/* The budget tests set small budgets and a watchdog far away, so that the budget a test is
 * about fires first however busy the machine is (Check forks each test: the settings stay in
 * it). */
static void small_budgets(void)
{
    setenv("KASIKIRJA_HOOK_INSTRUCTIONS", "2000000", 1);
    setenv("KASIKIRJA_HOOK_MEMORY_MB", "16", 1);
    setenv("KASIKIRJA_HOOK_SECONDS", "3600", 1);
}

START_TEST(test_hooks_endless_loop_hits_the_instruction_budget)
{
    small_budgets();
    fails_with("local n = 0\n\nwhile true do\n  n = n + 1\nend\n",
               "layouts/hooks/a.lua:4: error: the hooks ran more than 2000000 instructions (an endless loop?)");
}
END_TEST

/* Without the settings, and with settings that are not positive numbers, the memory budget is
 * the documented one (one allocation past it is enough to see it, so nothing runs for long). */
START_TEST(test_hooks_default_memory_budget_is_256_mib_whatever_the_settings_say)
{
    setenv("KASIKIRJA_HOOK_SECONDS", "3600", 1);
    fails_with("local s = string.rep('x', 1 << 29)\n",
               "layouts/hooks/a.lua: error: the hooks used more than 256 MiB of memory (a runaway table?)");
    setenv("KASIKIRJA_HOOK_INSTRUCTIONS", "not a number", 1);
    setenv("KASIKIRJA_HOOK_MEMORY_MB", "-3", 1);
    fails_with("local s = string.rep('x', 1 << 29)\n",
               "layouts/hooks/a.lua: error: the hooks used more than 256 MiB of memory (a runaway table?)");
}
END_TEST

START_TEST(test_hooks_budget_cannot_be_swallowed_by_pcall)
{
    small_budgets();
    fixture f = script("while true do\n  pcall(function() while true do end end)\nend\n");
    ck_assert(!hooks_run(f.h, f.d));
    ck_assert_diag_line(f.d, 0, "layouts/hooks/a.lua:2: error: the hooks ran more than 2000000 "
                                "instructions (an endless loop?)");
    done(&f);
}
END_TEST

START_TEST(test_hooks_budget_holds_for_the_whole_build)
{
    small_budgets();
    fixture f = script("local n = 0\nfor i = 1, 600000 do n = n + i end\n"
                       "kasikirja.lambda('x', function() for i = 1, 1e9 do end end)\n");
    run_ok(&f);
    char *err = NULL;
    ck_assert_ptr_null(val_call(val_get(hooks_lambdas(f.h), "x"), NULL, &err));
    ck_assert_str_eq(err, "layouts/hooks/a.lua:3: the hooks ran more than 2000000 instructions (an endless loop?)");
    free(err);
    done(&f);
}
END_TEST

START_TEST(test_hooks_memory_bomb_hits_the_memory_cap)
{
    small_budgets();
    fails_with("local t, s = {}, string.rep('x', 1024 * 1024)\n"
               "for i = 1, 1e9 do t[i] = s .. i end\n",
               "layouts/hooks/a.lua: error: the hooks used more than 16 MiB of memory (a runaway table?)");
    fails_with("local s = string.rep('x', 1 << 29)\n",
               "layouts/hooks/a.lua: error: the hooks used more than 16 MiB of memory (a runaway table?)");
}
END_TEST

/* Lua calls no message handler for a memory error: the line is the one the count hook saw
 * last in that call (the memory bomb above runs fewer instructions than one count step). */
START_TEST(test_hooks_memory_error_names_the_line_that_was_running)
{
    small_budgets();
    fails_with("-- A hook that eats memory.\n"
               "local t, s = {}, string.rep('x', 1024)\n"
               "for i = 1, 1e9 do t[i] = s .. i end\n",
               "layouts/hooks/a.lua:3: error: the hooks used more than 16 MiB of memory (a runaway table?)");
    /* In a lambda too; and a call that ends before the count hook sees it takes no line from
     * an earlier call (the script's loop on line 2). */
    fixture f = script("local n = 0\n"
                       "for i = 1, 100000 do n = n + i end\n"
                       "kasikirja.lambda('kasvaa', function()\n"
                       "  local t, s = {}, ('x'):rep(1024)\n"
                       "  for i = 1, 1e9 do t[i] = s .. i end\n"
                       "end)\n"
                       "kasikirja.lambda('kerralla', function() return ('x'):rep(1 << 29) end)\n");
    run_ok(&f);
    char *err = NULL;
    ck_assert_ptr_null(val_call(val_get(hooks_lambdas(f.h), "kasvaa"), NULL, &err));
    ck_assert_str_eq(err, "layouts/hooks/a.lua:5: the hooks used more than 16 MiB of memory (a runaway table?)");
    free(err);
    ck_assert_ptr_null(val_call(val_get(hooks_lambdas(f.h), "kerralla"), NULL, &err));
    ck_assert_str_eq(err, "layouts/hooks/a.lua: the hooks used more than 16 MiB of memory (a runaway table?)");
    free(err);
    done(&f);
}
END_TEST

/* }====== */

/* {====== The handbook's own data ====== */

/* Hooks over the handbook's model data (the source root the tests run in, or $KK_SRC) running
 * the script lua; returns the milliseconds from hooks_new to hooks_free and the script's one
 * warning (caller frees). */
static double time_script(const val *data, const char *lua, char **warning)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "site.yaml", "title: x\n");
    theme_hooks_off(dir);
    tu_write(dir, "layouts/hooks/a.lua", lua);
    tu_write(dir, "content/.keep", ""); /* a content/ folder: no warning that it is missing */
    diag_list *d = diag_list_new();
    src_tree *src = src_load(dir, d);
    val *empty = val_map(P);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    hooks *h = hooks_new(src, empty, empty, data, NULL, d);
    bool ran = hooks_run(h, d);
    hooks_free(h);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    char *msg = tu_diag(d, 0);
    ck_assert_msg(ran, "%s", msg);
    *warning = msg;
    val_free(empty);
    src_free(src);
    diag_list_free(d);
    tu_rmdir(dir);
    return (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
}

static const char WALK_LUA[] = "local seen, n = {}, 0\n"
                               "local function walk(v)\n"
                               "  n = n + 1\n"
                               "  if type(v) ~= 'table' or seen[v] then return end\n"
                               "  seen[v] = true\n"
                               "  for _, x in pairs(v) do walk(x) end\n"
                               "end\n"
                               "walk(kasikirja.data)\n"
                               "kasikirja.warn(n)\n";

START_TEST(test_hooks_walk_the_whole_handbook_data)
{
    const char *root = getenv("KK_SRC") ? getenv("KK_SRC") : ".";
    diag_list *d = diag_list_new();
    src_tree *src = src_load(root, d);
    ck_assert_ptr_nonnull(src);
    model *m = model_new(src, d);
    ck_assert_uint_eq(diag_errors(d), 0);
    char *w;
    double ms_empty = time_script(model_data(m), "", &w);
    ck_assert_str_eq(w, "");
    free(w);
    double ms_walk = time_script(model_data(m), WALK_LUA, &w);
    long n = atol(strstr(w, "warning: ") + 9);
    ck_assert_int_gt(n, 1000);
    free(w);
    fprintf(stderr, "hooks: an empty script %.2f ms; the handbook data (%ld values) walked %.2f ms\n",
            ms_empty, n, ms_walk);
    model_free(m);
    src_free(src);
    diag_list_free(d);
}
END_TEST

/* }====== */

int main(void)
{
    Suite *s = suite_create("hooks");
    TCase *tc = tcase_create("hooks");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_hooks_page_gives_the_build_the_table_as_a_map_and_the_calling_line);
    tcase_add_test(tc, test_hooks_page_takes_views_of_the_site_data_by_reference);
    tcase_add_test(tc, test_hooks_page_refusal_reaches_the_diagnostics_at_the_calling_line);
    tcase_add_test(tc, test_hooks_page_refuses_functions_and_cycles_with_their_place);
    tcase_add_test(tc, test_hooks_file_gives_the_build_path_and_content);
    tcase_add_test(tc, test_hooks_file_refusal_reaches_the_diagnostics_at_the_calling_line);
    tcase_add_test(tc, test_hooks_xlsx_gives_the_build_the_table_as_a_map_and_the_calling_line);
    tcase_add_test(tc, test_hooks_xlsx_refusal_reaches_the_diagnostics_at_the_calling_line);
    tcase_add_test(tc, test_hooks_markdown_url_and_diagram_go_through_the_api);
    tcase_add_test(tc, test_hooks_functions_without_an_api_are_not_available);
    tcase_add_test(tc, test_hooks_read_the_data_per_language);
    tcase_add_test(tc, test_hooks_text_gives_the_interface_texts_of_the_site_languages);
    tcase_add_test(tc, test_hooks_escape_makes_html_text);
    tcase_add_test(tc, test_hooks_json_encodes_nesting_escapes_and_sorted_keys);
    tcase_add_test(tc, test_hooks_json_refuses_a_value_that_contains_itself);
    tcase_add_test(tc, test_hooks_json_encodes_views_in_source_order);
    tcase_add_test(tc, test_hooks_read_returns_a_loaded_source_file);
    tcase_add_test(tc, test_hooks_read_refuses_paths_outside_the_loaded_sources);
    tcase_add_test(tc, test_hooks_warn_is_a_warning_at_the_calling_line);
    tcase_add_test(tc, test_hooks_print_is_a_note_at_the_calling_line);
    tcase_add_test(tc, test_hooks_error_stops_the_build_at_the_calling_line);
    tcase_add_test(tc, test_hooks_on_page_filters_return_the_fields_they_set);
    tcase_add_test(tc, test_hooks_on_page_without_changes_returns_null);
    tcase_add_test(tc, test_hooks_on_page_errors_are_reported_and_give_null);
    tcase_add_test(tc, test_hooks_on_page_views_expire_after_the_filter);
    tcase_add_test(tc, test_hooks_lambda_gets_the_raw_text_and_interpolation_gets_none);
    tcase_add_test(tc, test_hooks_lambda_errors_come_back_with_their_position);
    tcase_add_test(tc, test_hooks_compile_lambda_wraps_an_expression);
    tcase_add_test(tc, test_hooks_lambdas_can_be_called_from_several_threads);
    tcase_add_test(tc, test_hooks_views_read_config_pages_and_data);
    tcase_add_test(tc, test_hooks_views_share_nodes_and_follow_cycles);
    tcase_add_test(tc, test_hooks_views_are_read_only);
    tcase_add_test(tc, test_hooks_kasikirja_table_is_read_only);
    tcase_add_test(tc, test_hooks_scripts_run_in_file_name_order);
    tcase_add_test(tc, test_hooks_syntax_error_is_reported_exactly);
    tcase_add_test(tc, test_hooks_runtime_error_has_a_traceback);
    tcase_add_loop_test(tc, test_hooks_sandbox_escape_fails_at_its_line, 0,
                        sizeof escapes / sizeof escapes[0]);
    tcase_add_test(tc, test_hooks_sandbox_keeps_the_safe_libraries);
    tcase_add_test(tc, test_hooks_math_random_is_the_same_in_every_build);
    tcase_add_test(tc, test_hooks_long_script_paths_keep_their_whole_name);
    tcase_add_test(tc, test_hooks_endless_loop_hits_the_instruction_budget);
    tcase_add_exit_test(tc, test_hooks_watchdog_stops_a_pattern_that_backtracks_without_end, 1);
    tcase_add_test(tc, test_hooks_watchdog_lets_a_quick_script_finish);
    tcase_add_test(tc, test_hooks_budget_cannot_be_swallowed_by_pcall);
    tcase_add_test(tc, test_hooks_budget_holds_for_the_whole_build);
    tcase_add_test(tc, test_hooks_memory_bomb_hits_the_memory_cap);
    tcase_add_test(tc, test_hooks_default_memory_budget_is_256_mib_whatever_the_settings_say);
    tcase_add_test(tc, test_hooks_memory_error_names_the_line_that_was_running);
    tcase_add_test(tc, test_hooks_walk_the_whole_handbook_data);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
