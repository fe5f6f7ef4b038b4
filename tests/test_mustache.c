/* Tests of the Mustache engine as the site uses it (the spec runner covers the rest). */
#include <pthread.h>

#include "../generator/0-base/buf.h"
#include "../generator/0-base/value.h"
#include "../generator/1-load/yaml_load.h"
#include "../generator/4-render/mustache.h"
#include "testutil.h"

/* A context from YAML text (the literal path outlives the tree). */
static val *ctx_yaml(const char *yaml)
{
    diag_list *d = diag_list_new();
    val *v = yaml_load(yaml, strlen(yaml), "ctx.yaml", 0, d);
    ck_assert_uint_eq(diag_count(d), 0);
    ck_assert_ptr_nonnull(v);
    diag_list_free(d);
    return v;
}

/* Adds a template that must parse. */
static void add(mustache_lib *lib, const char *name, const char *src)
{
    diag_list *d = diag_list_new();
    char *path = xasprintf("layouts/%s.mustache", name);
    bool ok = mustache_lib_add(lib, name, src, strlen(src), path, d);
    char *msg = tu_diag(d, 0);
    ck_assert_msg(ok, "template %s did not parse: %s", name, msg);
    free(msg);
    free(path);
    diag_list_free(d);
}

/* Renders template name against ctx (borrowed), which must succeed without
 * diagnostics; returns the output (caller frees). */
static char *render_val(const mustache_lib *lib, const char *name, const val *ctx)
{
    diag_list *d = diag_list_new();
    buf_t out = BUF_INIT;
    bool ok = mustache_render(lib, name, ctx, &out, d);
    char *msg = tu_diag(d, 0);
    ck_assert_msg(ok, "render of %s failed: %s", name, msg);
    ck_assert_uint_eq(diag_count(d), 0);
    free(msg);
    diag_list_free(d);
    buf_cstr(&out);
    return buf_detach(&out);
}

/* Renders template name against the YAML context; returns the output (caller frees). */
static char *render(const mustache_lib *lib, const char *name, const char *yaml)
{
    val *ctx = ctx_yaml(yaml);
    char *out = render_val(lib, name, ctx);
    val_free(ctx);
    return out;
}

/* Parses src as layouts/page.mustache, which must fail with exactly one error. */
static char *parse_error(const char *src)
{
    mustache_lib *lib = mustache_lib_new();
    diag_list *d = diag_list_new();
    ck_assert(!mustache_lib_add(lib, "page", src, strlen(src), "layouts/page.mustache", d));
    ck_assert_uint_eq(diag_count(d), 1);
    ck_assert(!mustache_lib_has(lib, "page"));
    char *msg = tu_diag(d, 0);
    diag_list_free(d);
    mustache_lib_free(lib);
    return msg;
}

#define ck_assert_parse_error(src, expected)                                                       \
    do {                                                                                           \
        char *msg_ = parse_error(src);                                                             \
        ck_assert_str_eq(msg_, expected);                                                          \
        free(msg_);                                                                                \
    } while (0)

/* {====== Rendering ====== */

START_TEST(test_mustache_escapes_html_in_double_braces_only)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "t", "{{x}}|{{{x}}}|{{&x}}");
    char *out = render(lib, "t", "x: \"<a href=\\\"/\\\">Tom & Jerry's</a>\"");
    ck_assert_str_eq(out, "&lt;a href=&quot;/&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
                          "|<a href=\"/\">Tom & Jerry's</a>|<a href=\"/\">Tom & Jerry's</a>");
    free(out);
    mustache_lib_free(lib);
}
END_TEST

START_TEST(test_mustache_formats_numbers_and_booleans_like_the_spec)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "t", "{{a}} {{b}} {{c}} [{{d}}] [{{missing}}]");
    char *out = render(lib, "t", "{a: 1.210, b: 85, c: true, d: null}");
    ck_assert_str_eq(out, "1.21 85 true [] []");
    free(out);
    mustache_lib_free(lib);
}
END_TEST

START_TEST(test_mustache_sections_iterate_lists_and_enter_maps)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "t",
        "<ul>\n"
        "{{#menu}}\n"
        "  <li{{#active}} class=\"on\"{{/active}}>{{title}} ({{site.name}})</li>\n"
        "{{/menu}}\n"
        "{{^menu}}\n"
        "  <li>empty</li>\n"
        "{{/menu}}\n"
        "</ul>\n"
        "{{#site}}{{name}}{{/site}}\n");
    char *out = render(lib, "t",
                       "site: {name: K}\n"
                       "menu: [{title: A, active: true}, {title: B, active: false}]\n");
    ck_assert_str_eq(out, "<ul>\n"
                          "  <li class=\"on\">A (K)</li>\n"
                          "  <li>B (K)</li>\n"
                          "</ul>\n"
                          "K\n");
    free(out);
    out = render(lib, "t", "site: {name: K}\nmenu: []\n");
    ck_assert_str_eq(out, "<ul>\n  <li>empty</li>\n</ul>\nK\n");
    free(out);
    mustache_lib_free(lib);
}
END_TEST

static const char *const BASE = "<html>\n"
                                "<head><title>{{$title}}{{site.title}}{{/title}}</title></head>\n"
                                "<body>\n"
                                "  <main>\n"
                                "    {{$main}}\n"
                                "    <p>No content.</p>\n"
                                "    {{/main}}\n"
                                "  </main>\n"
                                "</body>\n"
                                "</html>\n";

static const char *const PAGE = "{{<base}}\n"
                                "{{$title}}{{page.title}} – {{site.title}}{{/title}}\n"
                                "{{$main}}\n"
                                "<h1>{{page.title}}</h1>\n"
                                "{{{page.content}}}\n"
                                "{{/main}}\n"
                                "{{/base}}\n";

static const char *const PAGE_CTX = "site: {title: Käsikirja}\n"
                                    "page: {title: Etusivu, content: '<p>Hei</p>'}\n";

START_TEST(test_mustache_page_layout_fills_the_blocks_of_the_base_layout)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "base", BASE);
    add(lib, "page", PAGE);
    char *out = render(lib, "page", PAGE_CTX);
    /* The block's lines take the indentation of the block in the base. */
    ck_assert_str_eq(out, "<html>\n"
                          "<head><title>Etusivu – Käsikirja</title></head>\n"
                          "<body>\n"
                          "  <main>\n"
                          "    <h1>Etusivu</h1>\n"
                          "    <p>Hei</p>\n"
                          "  </main>\n"
                          "</body>\n"
                          "</html>\n");
    free(out);
    out = render(lib, "base", PAGE_CTX);
    ck_assert_str_eq(out, "<html>\n"
                          "<head><title>Käsikirja</title></head>\n"
                          "<body>\n"
                          "  <main>\n"
                          "    <p>No content.</p>\n"
                          "  </main>\n"
                          "</body>\n"
                          "</html>\n");
    free(out);
    mustache_lib_free(lib);
}
END_TEST

START_TEST(test_mustache_outermost_layout_wins_over_middle_layout)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "base", "[{{$title}}base{{/title}}|{{$main}}{{/main}}]");
    add(lib, "article",
        "{{<base}}{{$title}}article{{/title}}"
        "{{$main}}<article>{{$body}}{{/body}}</article>{{/main}}{{/base}}");
    add(lib, "post", "{{<article}}{{$title}}post{{/title}}{{$body}}{{text}}{{/body}}{{/article}}");
    char *out = render(lib, "post", "text: hello");
    ck_assert_str_eq(out, "[post|<article>hello</article>]");
    free(out);
    out = render(lib, "article", "text: hello");
    ck_assert_str_eq(out, "[article|<article></article>]");
    free(out);
    mustache_lib_free(lib);
}
END_TEST

START_TEST(test_mustache_standalone_partial_is_indented_and_values_are_not)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "nav", "<nav>\n  {{{links}}}\n</nav>\n");
    add(lib, "t", "<body>\n  {{> nav}}\n</body>\n");
    char *out = render(lib, "t", "links: \"<a>1</a>\\n<a>2</a>\"");
    ck_assert_str_eq(out, "<body>\n  <nav>\n    <a>1</a>\n<a>2</a>\n  </nav>\n</body>\n");
    free(out);
    mustache_lib_free(lib);
}
END_TEST

START_TEST(test_mustache_dynamic_partial_renders_the_named_template)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "text", "<p>{{content}}</p>");
    add(lib, "image", "<img src=\"{{url}}\">");
    add(lib, "t", "{{#items}}{{>*kind}}{{/items}}");
    char *out = render(lib, "t",
                       "items: [{kind: text, content: a}, {kind: image, url: b.png},"
                       " {kind: nothing}, {content: c}]");
    ck_assert_str_eq(out, "<p>a</p><img src=\"b.png\">");
    free(out);
    mustache_lib_free(lib);
}
END_TEST

START_TEST(test_mustache_render_appends_to_the_buffer)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "p", "a\nb\n");
    add(lib, "t", "  {{>p}}\n");
    buf_t out = BUF_INIT;
    buf_puts(&out, "x\n");
    diag_list *d = diag_list_new();
    ck_assert(mustache_render(lib, "t", NULL, &out, d));
    ck_assert(mustache_render(lib, "t", NULL, &out, d));
    ck_assert_str_eq(buf_cstr(&out), "x\n  a\n  b\n  a\n  b\n");
    buf_free(&out);
    diag_list_free(d);
    mustache_lib_free(lib);
}
END_TEST

START_TEST(test_mustache_adding_a_name_again_replaces_the_template)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "t", "old {{x}}");
    add(lib, "t", "new {{x}}");
    char *out = render(lib, "t", "x: 1");
    ck_assert_str_eq(out, "new 1");
    free(out);
    diag_list *d = diag_list_new();
    ck_assert(!mustache_lib_add(lib, "t", "broken {{x", 10, "layouts/t.mustache", d));
    out = render(lib, "t", "x: 2");
    ck_assert_str_eq(out, "new 2"); /* a failed add leaves the old template */
    free(out);
    diag_list_free(d);
    mustache_lib_free(lib);
}
END_TEST

/* A template that does not parse is reported once, where it is broken; the templates that name
 * it are not reported again, nor counted as unresolved, and an unknown name still is. */
START_TEST(test_mustache_a_broken_template_is_its_users_only_error)
{
    mustache_lib *lib = mustache_lib_new();
    diag_list *d = diag_list_new();
    ck_assert(!mustache_lib_add(lib, "page", "{{#x}}", 6, "layouts/page.mustache", d));
    ck_assert_uint_eq(diag_errors(d), 1);
    add(lib, "lait", "{{<page}}{{$main}}lait{{/main}}{{/page}}");
    ck_assert(mustache_lib_check(lib, d));
    ck_assert_uint_eq(diag_errors(d), 1);
    add(lib, "muu", "{{>sivu}}");
    ck_assert(!mustache_lib_check(lib, d));
    ck_assert_uint_eq(diag_errors(d), 2);
    diag_list_free(d);
    mustache_lib_free(lib);
}
END_TEST

START_TEST(test_mustache_renders_a_large_list)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "t", "<ul>\n{{#items}}\n  <li id=\"{{id}}\">{{name}}</li>\n{{/items}}\n</ul>\n");
    val *ctx = val_map((src_pos){0});
    val *items = val_list((src_pos){0});
    for (int i = 0; i < 10000; i++) {
        val *it = val_map((src_pos){0});
        val_set(it, "id", val_num(i, (src_pos){0}));
        val_set_str(it, "name", i % 2 ? "a & b" : "c");
        val_push(items, it);
    }
    val_set(ctx, "items", items);
    buf_t out = BUF_INIT;
    diag_list *d = diag_list_new();
    ck_assert(mustache_render(lib, "t", ctx, &out, d));
    size_t lines = 0;
    for (size_t i = 0; i < out.len; i++)
        lines += out.ptr[i] == '\n';
    ck_assert_uint_eq(lines, 10002);
    ck_assert_ptr_nonnull(
        strstr(out.ptr, "<ul>\n  <li id=\"0\">c</li>\n  <li id=\"1\">a &amp; b</li>\n"));
    const char *tail = "  <li id=\"9999\">a &amp; b</li>\n</ul>\n";
    ck_assert_str_eq(out.ptr + out.len - strlen(tail), tail);
    buf_free(&out);
    diag_list_free(d);
    val_free(ctx);
    mustache_lib_free(lib);
}
END_TEST

START_TEST(test_mustache_renders_a_layout_ten_thousand_times_the_same)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "base", BASE);
    add(lib, "page", PAGE);
    val *ctx = ctx_yaml(PAGE_CTX);
    buf_t first = BUF_INIT, out = BUF_INIT;
    diag_list *d = diag_list_new();
    ck_assert(mustache_render(lib, "page", ctx, &first, d));
    for (int i = 0; i < 10000; i++) {
        buf_clear(&out);
        ck_assert(mustache_render(lib, "page", ctx, &out, d));
        ck_assert_uint_eq(out.len, first.len);
    }
    ck_assert_str_eq(buf_cstr(&out), buf_cstr(&first));
    buf_free(&first);
    buf_free(&out);
    diag_list_free(d);
    val_free(ctx);
    mustache_lib_free(lib);
}
END_TEST

typedef struct {
    const mustache_lib *lib;
    const val *ctx;
    const char *expected;
    int mismatches;
} thread_job;

static void *render_many(void *arg)
{
    thread_job *job = arg;
    buf_t out = BUF_INIT;
    diag_list *d = diag_list_new();
    for (int i = 0; i < 300; i++) {
        buf_clear(&out);
        if (!mustache_render(job->lib, "page", job->ctx, &out, d) ||
            strcmp(buf_cstr(&out), job->expected) != 0)
            job->mismatches++;
    }
    buf_free(&out);
    diag_list_free(d);
    return NULL;
}

START_TEST(test_mustache_threads_render_from_one_shared_lib)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "base", BASE);
    add(lib, "page", PAGE);
    val *ctx = ctx_yaml(PAGE_CTX);
    char *expected = render(lib, "page", PAGE_CTX);
    pthread_t th[4];
    thread_job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (thread_job){lib, ctx, expected, 0};
        ck_assert_int_eq(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(jobs[i].mismatches, 0);
    }
    free(expected);
    val_free(ctx);
    mustache_lib_free(lib);
}
END_TEST

/* }====== */

/* {====== Errors ====== */

START_TEST(test_mustache_reports_unclosed_section_at_its_tag)
{
    ck_assert_parse_error(
        "<ul>\n  {{#items}}<li>{{.}}</li>\n</ul>\n",
        "layouts/page.mustache:2:3: error: unclosed section 'items' (add {{/items}})");
    ck_assert_parse_error(
        "{{<base}}\n{{$main}}\n",
        "layouts/page.mustache:2:1: error: unclosed block 'main' (add {{/main}})");
}
END_TEST

START_TEST(test_mustache_reports_section_left_open_inside_another)
{
    ck_assert_parse_error("{{<base}}{{$main}}\n<h1>x</h1>\n{{#page.toc}}\n{{/main}}{{/base}}\n",
                          "layouts/page.mustache:3:1: error: unclosed section 'page.toc' "
                          "(add {{/page.toc}} before {{/main}} on line 4)");
}
END_TEST

START_TEST(test_mustache_reports_unexpected_closing_tag)
{
    ck_assert_parse_error("{{#y}}\n  {{/x}}\n",
                          "layouts/page.mustache:2:3: error: unexpected closing tag {{/x}} "
                          "(the open section is 'y')");
    ck_assert_parse_error("a {{/x}}",
                          "layouts/page.mustache:1:3: error: unexpected closing tag {{/x}} "
                          "(no section is open)");
}
END_TEST

START_TEST(test_mustache_reports_unclosed_tag)
{
    ck_assert_parse_error("<p>\n<b>{{title</b>\n",
                          "layouts/page.mustache:2:4: error: unclosed tag (expected '}}')");
    ck_assert_parse_error("{{{body}}",
                          "layouts/page.mustache:1:1: error: unclosed tag (expected '}}}')");
    /* A tag that runs into the next one is unclosed, not a strange name. */
    ck_assert_parse_error("{{title\n<p>{{body}}</p>",
                          "layouts/page.mustache:1:1: error: unclosed tag (expected '}}')");
}
END_TEST

START_TEST(test_mustache_reports_bad_set_delimiter_tag)
{
    ck_assert_parse_error("x\n{{=<%=}}",
                          "layouts/page.mustache:2:1: error: bad set-delimiter tag '{{=<%=}}' "
                          "(expected two delimiters separated by a space, as in {{=<% %>=}})");
}
END_TEST

START_TEST(test_mustache_errors_show_the_delimiters_in_effect)
{
    ck_assert_parse_error("{{=<% %>=}}\n<%#a%>\n",
                          "layouts/page.mustache:2:1: error: unclosed section 'a' (add <%/a%>)");
}
END_TEST

START_TEST(test_mustache_reports_bad_names)
{
    ck_assert_parse_error("<p>{{ page title }}</p>",
                          "layouts/page.mustache:1:4: error: bad tag '{{ page title }}' "
                          "(a name cannot contain spaces)");
    ck_assert_parse_error("{{#}}{{/}}",
                          "layouts/page.mustache:1:1: error: tag '{{#}}' has no name");
    ck_assert_parse_error("{{page..title}}",
                          "layouts/page.mustache:1:1: error: bad name 'page..title' in tag "
                          "'{{page..title}}' (an empty part between dots)");
}
END_TEST

START_TEST(test_mustache_columns_count_characters_not_bytes)
{
    ck_assert_parse_error("<p>äö {{#a}}</p>",
                          "layouts/page.mustache:1:7: error: unclosed section 'a' (add {{/a}})");
}
END_TEST

START_TEST(test_mustache_check_reports_unknown_partial_with_suggestion)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "header", "<header></header>");
    add(lib, "base", "{{$main}}{{/main}}");
    add(lib, "page", "<body>\n  {{> heder}}\n  {{>*dynamic}}\n  {{>zzz}}\n{{<bse}}{{/bse}}\n");
    diag_list *d = diag_list_new();
    ck_assert(!mustache_lib_check(lib, d));
    ck_assert_uint_eq(diag_count(d), 3);
    ck_assert_diag(
        d, 0, "layouts/page.mustache:2:3: error: unknown partial 'heder' (did you mean 'header'?)");
    ck_assert_diag(d, 1, "layouts/page.mustache:4:3: error: unknown partial 'zzz'");
    ck_assert_diag(
        d, 2,
        "layouts/page.mustache:5:1: error: unknown parent template 'bse' (did you mean 'base'?)");
    diag_list_free(d);
    mustache_lib_free(lib);
}
END_TEST

START_TEST(test_mustache_check_accepts_resolved_partials)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "base", BASE);
    add(lib, "page", PAGE);
    add(lib, "nav", "{{#items}}{{>nav}}{{/items}}");
    diag_list *d = diag_list_new();
    ck_assert(mustache_lib_check(lib, d));
    ck_assert_uint_eq(diag_count(d), 0);
    diag_list_free(d);
    mustache_lib_free(lib);
}
END_TEST

START_TEST(test_mustache_missing_partial_renders_empty)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "t", "[{{>nothing}}]");
    char *out = render(lib, "t", "{}");
    ck_assert_str_eq(out, "[]");
    free(out);
    mustache_lib_free(lib);
}
END_TEST

START_TEST(test_mustache_self_including_layout_hits_the_depth_limit)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "loop", "<div>\n  {{> loop}}\n</div>\n");
    add(lib, "self", "x {{<self}}{{/self}}");
    const char *names[] = {"loop", "self"};
    const char *msgs[] = {
        "layouts/loop.mustache:2:3: error: partials nest deeper than 100 levels (does a layout include itself?)",
        "layouts/self.mustache:1:3: error: partials nest deeper than 100 levels (does a layout include itself?)",
    };
    for (int i = 0; i < 2; i++) {
        diag_list *d = diag_list_new();
        buf_t out = BUF_INIT;
        ck_assert(!mustache_render(lib, names[i], NULL, &out, d));
        ck_assert_uint_eq(diag_count(d), 1);
        ck_assert_diag(d, 0, msgs[i]);
        buf_free(&out);
        diag_list_free(d);
    }
    mustache_lib_free(lib);
}
END_TEST

/* The one error of rendering template name of lib, as printed (caller frees). */
static char *render_fails(const mustache_lib *lib, const char *name)
{
    diag_list *d = diag_list_new();
    buf_t out = BUF_INIT;
    ck_assert(!mustache_render(lib, name, NULL, &out, d));
    ck_assert_uint_eq(diag_count(d), 1);
    char *msg = tu_diag(d, 0);
    buf_free(&out);
    diag_list_free(d);
    return msg;
}

START_TEST(test_mustache_include_cycle_is_reported_at_the_tag_that_closes_it)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "base", "<main>\n{{$main}}{{/main}}\n</main>\n");
    /* The page layout includes itself inside the block it gives its parent: the {{> page}}
     * closes the cycle, not the {{<base}} on line 1. */
    add(lib, "page", "{{<base}}{{$main}}\n<h1>{{title}}</h1>\n  {{> page}}\n{{/main}}{{/base}}\n");
    /* Plain self-inclusion, without a parent. */
    add(lib, "plain", "x {{> plain}}");
    /* A cycle through another template, entered from outside it. */
    add(lib, "a", "<a>{{> b}}</a>");
    add(lib, "b", "<b>\n  {{> a}}\n</b>");
    add(lib, "outside", "{{<base}}{{$main}}\n{{> a}}\n{{/main}}{{/base}}");
    const char *names[] = {"page", "plain", "a", "outside"};
    const char *msgs[] = {
        "layouts/page.mustache:3:3: error: partials nest deeper than 100 levels (does a layout include itself?)",
        "layouts/plain.mustache:1:3: error: partials nest deeper than 100 levels (does a layout include itself?)",
        "layouts/b.mustache:2:3: error: partials nest deeper than 100 levels (does a layout include itself?)",
        "layouts/b.mustache:2:3: error: partials nest deeper than 100 levels (does a layout include itself?)",
    };
    for (int i = 0; i < 4; i++) {
        char *msg = render_fails(lib, names[i]);
        ck_assert_str_eq(msg, msgs[i]);
        free(msg);
    }
    mustache_lib_free(lib);
}
END_TEST

START_TEST(test_mustache_allows_exactly_one_hundred_nested_partials)
{
    for (int levels = 100; levels <= 101; levels++) {
        mustache_lib *lib = mustache_lib_new();
        for (int i = 0; i < levels; i++) {
            char *name = xasprintf("p%d", i), *src = xasprintf("{{>p%d}}", i + 1);
            add(lib, name, src);
            free(name);
            free(src);
        }
        char *last = xasprintf("p%d", levels);
        add(lib, last, "end");
        free(last);
        diag_list *d = diag_list_new();
        buf_t out = BUF_INIT;
        bool ok = mustache_render(lib, "p0", NULL, &out, d);
        if (levels == 100) {
            ck_assert(ok);
            ck_assert_str_eq(buf_cstr(&out), "end");
        } else {
            ck_assert(!ok);
            ck_assert_diag(
                d, 0,
                "layouts/p100.mustache:1:1: error: partials nest deeper than 100 levels (does a layout include itself?)");
        }
        buf_free(&out);
        diag_list_free(d);
        mustache_lib_free(lib);
    }
}
END_TEST

START_TEST(test_mustache_render_reports_unknown_template)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "page", "x");
    diag_list *d = diag_list_new();
    buf_t out = BUF_INIT;
    ck_assert(!mustache_render(lib, "pgae", NULL, &out, d));
    ck_assert_diag(d, 0, "kasikirja: error: unknown template 'pgae' (did you mean 'page'?)");
    ck_assert_uint_eq(out.len, 0);
    buf_free(&out);
    diag_list_free(d);
    mustache_lib_free(lib);
}
END_TEST

START_TEST(test_mustache_lib_free_accepts_null)
{
    mustache_lib_free(NULL);
    mustache_lib *lib = mustache_lib_new();
    ck_assert(!mustache_lib_has(lib, "x"));
    mustache_lib_free(lib);
}
END_TEST

/* }====== */

/* {====== Lambdas ====== */

/* A C lambda for the tests (ud is a probe): counts its calls, keeps the raw
 * text it was given, and returns its pattern with each '@' replaced by that
 * raw text — or, without a pattern, the number of calls so far. */
typedef struct {
    const char *pattern; /* NULL: return the call count */
    int calls;
    int null_raw; /* calls with raw == NULL (interpolations) */
    char *raw;    /* the last raw text given, or NULL */
} probe;

static char *probe_fn(void *ud, const char *raw, char **err)
{
    (void)err;
    probe *pr = ud;
    pr->calls++;
    if (!raw)
        pr->null_raw++;
    free(pr->raw);
    pr->raw = raw ? xstrdup(raw) : NULL;
    buf_t b = BUF_INIT;
    if (!pr->pattern)
        buf_printf(&b, "%d", pr->calls);
    for (const char *c = pr->pattern; c && *c; c++) {
        if (*c == '@')
            buf_puts(&b, raw ? raw : "");
        else
            buf_putc(&b, *c);
    }
    buf_cstr(&b);
    return buf_detach(&b);
}

/* A lambda that fails with the message in ud. */
static char *failing_fn(void *ud, const char *raw, char **err)
{
    (void)raw;
    *err = xstrdup(ud);
    return NULL;
}

/* A lambda that returns "false": NULL without an error. */
static char *false_fn(void *ud, const char *raw, char **err)
{
    (void)ud;
    (void)raw;
    (void)err;
    return NULL;
}

/* The YAML context with `lambda` set to a probe_fn lambda on pr. */
static val *ctx_lambda(const char *yaml, probe *pr)
{
    val *ctx = ctx_yaml(yaml);
    val_set(ctx, "lambda", val_func(probe_fn, pr, NULL, (src_pos){0}));
    return ctx;
}

/* Renders src (as template t) with `lambda` = a probe on pattern; returns the
 * output (caller frees) and leaves the probe in *pr (caller frees pr->raw). */
static char *render_lambda(const char *src, const char *yaml, const char *pattern, probe *pr)
{
    *pr = (probe){.pattern = pattern};
    mustache_lib *lib = mustache_lib_new();
    add(lib, "t", src);
    val *ctx = ctx_lambda(yaml, pr);
    char *out = render_val(lib, "t", ctx);
    val_free(ctx);
    mustache_lib_free(lib);
    return out;
}

/* Renders src (as layouts/t.mustache) against ctx, which must fail with
 * exactly one error; returns it as printed (caller frees). */
static char *render_error(const char *src, const val *ctx)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "t", src);
    diag_list *d = diag_list_new();
    buf_t out = BUF_INIT;
    ck_assert(!mustache_render(lib, "t", ctx, &out, d));
    ck_assert_uint_eq(diag_count(d), 1);
    char *msg = tu_diag(d, 0);
    buf_free(&out);
    diag_list_free(d);
    mustache_lib_free(lib);
    return msg;
}

START_TEST(test_mustache_lambda_interpolation_renders_what_it_returns)
{
    probe pr;
    char *out = render_lambda("Hello, {{lambda}}!", "{}", "world", &pr);
    ck_assert_str_eq(out, "Hello, world!");
    ck_assert_int_eq(pr.calls, 1);
    ck_assert_int_eq(pr.null_raw, 1); /* an interpolation gets no raw text */
    free(out);

    /* Found through a dotted name too. */
    pr = (probe){.pattern = "world"};
    mustache_lib *lib = mustache_lib_new();
    add(lib, "t", "Hello, {{a.b}}{{#a}} and {{b}}{{/a}}!");
    val *ctx = ctx_yaml("a: {}");
    val_set(val_get(ctx, "a"), "b", val_func(probe_fn, &pr, NULL, (src_pos){0}));
    out = render_val(lib, "t", ctx);
    ck_assert_str_eq(out, "Hello, world and world!");
    ck_assert_int_eq(pr.calls, 2);
    free(out);
    val_free(ctx);
    mustache_lib_free(lib);
}
END_TEST

START_TEST(test_mustache_lambda_interpolation_text_renders_against_the_context_stack)
{
    probe pr;
    char *out = render_lambda("Hello, {{lambda}}!", "planet: world", "{{planet}}", &pr);
    ck_assert_str_eq(out, "Hello, world!");
    free(out);
    out = render_lambda("{{#items}}[{{lambda}}]{{/items}}",
                        "{planet: P, items: [{planet: a}, {n: 1}]}", "{{planet}}", &pr);
    ck_assert_str_eq(out, "[a][P]");
    ck_assert_int_eq(pr.calls, 2);
    free(out);
}
END_TEST

START_TEST(test_mustache_lambda_interpolation_text_uses_the_default_delimiters)
{
    probe pr;
    char *out = render_lambda("{{= | | =}}\nHello, (|&lambda|)!", "planet: world",
                              "|planet| => {{planet}}", &pr);
    ck_assert_str_eq(out, "Hello, (|planet| => world)!");
    free(out);
}
END_TEST

START_TEST(test_mustache_lambda_interpolation_is_called_each_time)
{
    probe pr;
    char *out = render_lambda("{{lambda}} == {{{lambda}}} == {{lambda}}", "{}", NULL, &pr);
    ck_assert_str_eq(out, "1 == 2 == 3");
    ck_assert_int_eq(pr.calls, 3);
    free(out);
}
END_TEST

START_TEST(test_mustache_lambda_interpolation_is_escaped_after_rendering)
{
    probe pr;
    char *out = render_lambda("<{{lambda}}{{{lambda}}}{{&lambda}}", "{}", ">", &pr);
    ck_assert_str_eq(out, "<&gt;>>");
    free(out);
    /* The rendered text is escaped: a {{{raw}}} inside it does not escape it. */
    out = render_lambda("{{lambda}}|{{&lambda}}", "html: <b>", "{{{html}}}", &pr);
    ck_assert_str_eq(out, "&lt;b&gt;|<b>");
    free(out);
}
END_TEST

START_TEST(test_mustache_lambda_section_receives_the_raw_body)
{
    probe pr;
    char *out = render_lambda("<{{#lambda}}{{x}}{{/lambda}}>", "x: Error!", "yes", &pr);
    ck_assert_str_eq(out, "<yes>");
    ck_assert_int_eq(pr.calls, 1);
    ck_assert_int_eq(pr.null_raw, 0);
    ck_assert_str_eq(pr.raw, "{{x}}");
    free(pr.raw);
    free(out);
    /* Exactly the source between the tags, standalone lines and all. */
    out = render_lambda("{{#lambda}}\n  {{#a}}{{b}}{{/a}}\n{{! c }}\n{{/lambda}}\n", "{}", "", &pr);
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(pr.raw, "\n  {{#a}}{{b}}{{/a}}\n{{! c }}\n");
    free(pr.raw);
    free(out);
}
END_TEST

START_TEST(test_mustache_lambda_section_text_is_rendered_against_the_context_stack)
{
    probe pr;
    char *out = render_lambda("<{{#lambda}}-{{/lambda}}>", "planet: Earth", "@{{planet}}@", &pr);
    ck_assert_str_eq(out, "<-Earth->");
    free(pr.raw);
    free(out);
    /* Not escaped; names resolve from the section's place in the stack. */
    out = render_lambda("{{#p}}{{#lambda}}<{{/lambda}}{{/p}}", "{planet: Earth, p: {planet: Mars}}",
                        "@{{planet}}&", &pr);
    ck_assert_str_eq(out, "<Mars&");
    free(pr.raw);
    free(out);
}
END_TEST

START_TEST(test_mustache_lambda_section_text_uses_the_delimiters_in_effect)
{
    probe pr;
    char *out = render_lambda("{{= | | =}}<|#lambda|-|/lambda|>", "planet: Earth",
                              "@{{planet}} => |planet|@", &pr);
    ck_assert_str_eq(out, "<-{{planet}} => Earth->");
    ck_assert_str_eq(pr.raw, "-");
    free(pr.raw);
    free(out);
}
END_TEST

START_TEST(test_mustache_lambda_section_is_called_each_time)
{
    probe pr;
    char *out = render_lambda("{{#lambda}}FILE{{/lambda}} != {{#lambda}}LINE{{/lambda}}", "{}",
                              "__@__", &pr);
    ck_assert_str_eq(out, "__FILE__ != __LINE__");
    ck_assert_int_eq(pr.calls, 2);
    free(pr.raw);
    free(out);
}
END_TEST

START_TEST(test_mustache_lambda_is_truthy_for_an_inverted_section)
{
    probe pr;
    char *out = render_lambda("<{{^lambda}}{{static}}{{/lambda}}>", "static: static", "x", &pr);
    ck_assert_str_eq(out, "<>");
    ck_assert_int_eq(pr.calls, 0);
    free(out);
}
END_TEST

START_TEST(test_mustache_lambda_returning_false_renders_nothing)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "t", "[{{lambda}}|{{#lambda}}x{{/lambda}}]");
    val *ctx = val_map((src_pos){0});
    val_set(ctx, "lambda", val_func(false_fn, NULL, NULL, (src_pos){0}));
    char *out = render_val(lib, "t", ctx);
    ck_assert_str_eq(out, "[|]");
    free(out);
    val_free(ctx);
    mustache_lib_free(lib);
}
END_TEST

START_TEST(test_mustache_lambda_error_is_reported_at_its_tag)
{
    val *ctx = val_map((src_pos){0});
    val_set(ctx, "date", val_func(failing_fn, "bad date 'huomenna'", NULL, (src_pos){0}));
    char *msg = render_error("<p>\n  {{#date}}x{{/date}}</p>\n", ctx);
    ck_assert_str_eq(msg, "layouts/t.mustache:2:3: error: bad date 'huomenna'");
    free(msg);
    msg = render_error("<p>ä {{{date}}}</p>\n", ctx);
    ck_assert_str_eq(msg, "layouts/t.mustache:1:6: error: bad date 'huomenna'");
    free(msg);
    /* An error inside a lambda's text is reported at the outer lambda's tag. */
    probe pr = {.pattern = "<{{date}}>"};
    val_set(ctx, "wrap", val_func(probe_fn, &pr, NULL, (src_pos){0}));
    msg = render_error("a\n b {{#wrap}}{{/wrap}}", ctx);
    ck_assert_str_eq(msg, "layouts/t.mustache:2:4: error: bad date 'huomenna'");
    free(msg);
    free(pr.raw);
    val_free(ctx);
}
END_TEST

START_TEST(test_mustache_lambda_text_that_does_not_parse_is_reported_at_its_tag)
{
    probe pr = {.pattern = "ok\n{{#a}}"};
    val *ctx = ctx_lambda("{}", &pr);
    char *msg = render_error("x {{lambda}}", ctx);
    ck_assert_str_eq(msg, "layouts/t.mustache:1:3: error: in the text lambda 'lambda' returned, "
                          "at 2:1: unclosed section 'a' (add {{/a}})");
    free(msg);
    /* With the section's delimiters. */
    pr.pattern = "<%x";
    msg = render_error("{{=<% %>=}}\n<%#lambda%><%/lambda%>", ctx);
    ck_assert_str_eq(msg, "layouts/t.mustache:2:1: error: in the text lambda 'lambda' returned, "
                          "at 1:1: unclosed tag (expected '%>')");
    free(msg);
    free(pr.raw);
    val_free(ctx);
}
END_TEST

START_TEST(test_mustache_lambda_returning_its_own_tag_hits_the_depth_limit)
{
    probe pr = {.pattern = "x{{lambda}}"};
    val *ctx = ctx_lambda("{}", &pr);
    char *msg = render_error("\n  {{lambda}}", ctx);
    ck_assert_str_eq(msg, "layouts/t.mustache:2:3: error: lambdas nest deeper than 100 levels "
                          "(does lambda 'lambda' return its own tag?)");
    free(msg);
    ck_assert_int_eq(pr.calls, 100);
    pr.pattern = "{{#lambda}}{{/lambda}}";
    msg = render_error("{{#lambda}}{{/lambda}}", ctx);
    ck_assert_str_eq(msg, "layouts/t.mustache:1:1: error: lambdas nest deeper than 100 levels "
                          "(does lambda 'lambda' return its own tag?)");
    free(msg);
    free(pr.raw);
    val_free(ctx);
}
END_TEST

START_TEST(test_mustache_lambda_text_includes_partials_and_leaves_the_lib_alone)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "item", "<li>{{name}}</li>\n");
    add(lib, "t", "<ul>\n  {{#lambda}}\n{{/lambda}}\n</ul>\n");
    probe pr = {.pattern = "{{#items}}\n{{>item}}\n{{/items}}\n"};
    val *ctx = ctx_lambda("items: [{name: a}, {name: b}]", &pr);
    char *out = render_val(lib, "t", ctx);
    ck_assert_str_eq(out, "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
    free(out);
    ck_assert(!mustache_lib_has(lib, "lambda"));
    diag_list *d = diag_list_new();
    ck_assert(mustache_lib_check(lib, d));
    diag_list_free(d);
    free(pr.raw);
    val_free(ctx);
    mustache_lib_free(lib);
}
END_TEST

/* }====== */

START_TEST(test_mustache_deps_follow_partials_and_parents)
{
    diag_list *d = diag_list_new();
    mustache_lib *lib = mustache_lib_new();
    ck_assert(mustache_lib_add(lib, "page", "{{<base}}{{$main}}{{>viite}}{{/main}}{{/base}}", 46, NULL, d));
    ck_assert(mustache_lib_add(lib, "base", "<main>{{$main}}{{/main}}</main>{{page.title}}", 45, NULL, d));
    ck_assert(mustache_lib_add(lib, "viite", "{{#x}}{{/x}}", 12, NULL, d));
    ck_assert(mustache_lib_add(lib, "muu", "{{#data.lait}}{{/data.lait}}", 28, NULL, d));
    ck_assert(mustache_lib_add(lib, "dyn", "{{>*nimi}}", 10, NULL, d));
    bool uses = true;
    uint64_t page = mustache_lib_deps(lib, "page", "data", &uses);
    ck_assert(!uses);
    ck_assert(mustache_lib_deps(lib, "muu", "data", &uses) != page);
    ck_assert(uses);
    /* A partial's text is part of the page's dependencies; an unrelated template's is not. */
    ck_assert(mustache_lib_add(lib, "viite", "{{#y}}{{/y}}", 12, NULL, d));
    uint64_t after = mustache_lib_deps(lib, "page", "data", NULL);
    ck_assert(after != page);
    ck_assert(mustache_lib_add(lib, "muu", "{{data}}", 8, NULL, d));
    ck_assert(mustache_lib_deps(lib, "page", "data", NULL) == after);
    /* A dynamic name may reach any template, so all of them count. */
    ck_assert(mustache_lib_deps(lib, "dyn", "data", &uses) != mustache_lib_deps(lib, "viite", "data", NULL));
    ck_assert(uses);
    mustache_lib_free(lib);
    diag_list_free(d);
}
END_TEST

/* {====== Position maps ====== */

/* Renders src (as template t) against the YAML context with a position map,
 * finished with the first skip bytes of the output dropped; the output in *out. */
static pos_map *render_map(const char *src, const char *yaml, size_t skip, char **out)
{
    mustache_lib *lib = mustache_lib_new();
    add(lib, "t", src);
    add(lib, "osa", "x\ny {{nimi}}\n");
    add(lib, "kehys", "[{{$b}}oletus{{/b}}]");
    val *ctx = ctx_yaml(yaml);
    diag_list *d = diag_list_new();
    buf_t b = BUF_INIT;
    buf_puts(&b, "ennen"); /* offsets count from where rendering begins */
    pos_map *m = pos_map_new();
    ck_assert(mustache_render_map(lib, "t", ctx, &b, m, d));
    ck_assert_uint_eq(diag_count(d), 0);
    pos_map_finish(m, src, strlen(src), b.ptr + 5 + skip, b.len - 5 - skip, skip);
    *out = xstrdup(b.ptr + 5 + skip);
    buf_free(&b);
    diag_list_free(d);
    val_free(ctx);
    mustache_lib_free(lib);
    return m;
}

/* Asserts that output line:col maps to the source's want_line:want_col. */
static void assert_maps(const pos_map *m, int line, int col, int want_line, int want_col)
{
    int l = line, c = col;
    ck_assert_msg(pos_map_find(m, &l, &c), "%d:%d is not mapped", line, col);
    ck_assert_msg(l == want_line && c == want_col, "%d:%d maps to %d:%d, not %d:%d", line, col, l,
                  c, want_line, want_col);
}

START_TEST(test_mustache_map_places_lines_a_section_repeats_at_their_template_lines)
{
    char *out;
    pos_map *m = render_map("{{#tasot}}\n## {{nimi}}\n\n{{/tasot}}\nLinkki [x](y.md).\n",
                            "tasot: [{nimi: Yksi}, {nimi: Kaksi}]", 0, &out);
    ck_assert_str_eq(out, "## Yksi\n\n## Kaksi\n\nLinkki [x](y.md).\n");
    assert_maps(m, 1, 1, 2, 1);
    assert_maps(m, 3, 1, 2, 1); /* the second time round */
    assert_maps(m, 4, 1, 3, 1);
    assert_maps(m, 5, 8, 5, 8); /* after the section */
    assert_maps(m, 3, 5, 2, 4); /* inside a value: its tag */
    assert_maps(m, 3, 9, 2, 12); /* the line end after the value */
    pos_map_free(m);
    free(out);
}
END_TEST

START_TEST(test_mustache_map_places_text_after_a_value_by_the_template)
{
    char *out;
    pos_map *m = render_map("Hei {{nimi}} & {{{raaka}}}, katso [x](y.md).\n",
                            "{nimi: Åke <Ström>, raaka: <b>}", 0, &out);
    ck_assert_str_eq(out, "Hei Åke &lt;Ström&gt; & <b>, katso [x](y.md).\n");
    /* Columns are bytes, as cmark counts them: '[' is byte 38 of the output. */
    assert_maps(m, 1, 38, 1, 35);
    assert_maps(m, 1, 8, 1, 5);   /* inside the escaped value */
    assert_maps(m, 1, 26, 1, 15); /* copied text between the values */
    assert_maps(m, 1, 27, 1, 16); /* inside the raw value */
    assert_maps(m, 1, 1, 1, 1);
    pos_map_free(m);
    free(out);
}
END_TEST

START_TEST(test_mustache_map_places_partial_output_at_its_tag_and_skips_stand_in_lines)
{
    char *out;
    pos_map *m = render_map("\n\nalku\n{{>osa}}\nloppu\n", "nimi: N", 2, &out);
    ck_assert_str_eq(out, "alku\nx\ny N\nloppu\n");
    assert_maps(m, 1, 1, 3, 1);
    assert_maps(m, 2, 1, 4, 1); /* the partial's own text: its tag */
    assert_maps(m, 3, 3, 4, 1);
    assert_maps(m, 4, 2, 5, 2);
    int l = 9, c = 1;
    ck_assert(!pos_map_find(m, &l, &c)); /* past the output: unchanged */
    ck_assert_int_eq(l, 9);
    ck_assert(!pos_map_find(NULL, &l, &c));
    pos_map_free(m);
    pos_map_free(NULL);
    free(out);
    /* A block argument the page gives its parent is the page's own text. */
    m = render_map("{{<kehys}}{{$b}}ARG{{/b}}{{/kehys}}\n", "{}", 0, &out);
    ck_assert_str_eq(out, "[ARG]\n");
    assert_maps(m, 1, 1, 1, 1);  /* the parent's text: the parent tag */
    assert_maps(m, 1, 3, 1, 18);
    assert_maps(m, 1, 5, 1, 1);
    pos_map_free(m);
    free(out);
}
END_TEST

/* }====== */

static Suite *mustache_suite(void)
{
    Suite *s = suite_create("mustache");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_mustache_escapes_html_in_double_braces_only);
    tcase_add_test(tc, test_mustache_deps_follow_partials_and_parents);
    tcase_add_test(tc, test_mustache_formats_numbers_and_booleans_like_the_spec);
    tcase_add_test(tc, test_mustache_sections_iterate_lists_and_enter_maps);
    tcase_add_test(tc, test_mustache_page_layout_fills_the_blocks_of_the_base_layout);
    tcase_add_test(tc, test_mustache_outermost_layout_wins_over_middle_layout);
    tcase_add_test(tc, test_mustache_standalone_partial_is_indented_and_values_are_not);
    tcase_add_test(tc, test_mustache_dynamic_partial_renders_the_named_template);
    tcase_add_test(tc, test_mustache_render_appends_to_the_buffer);
    tcase_add_test(tc, test_mustache_adding_a_name_again_replaces_the_template);
    tcase_add_test(tc, test_mustache_renders_a_large_list);
    tcase_add_test(tc, test_mustache_a_broken_template_is_its_users_only_error);
    tcase_add_test(tc, test_mustache_renders_a_layout_ten_thousand_times_the_same);
    tcase_add_test(tc, test_mustache_threads_render_from_one_shared_lib);
    tcase_add_test(tc, test_mustache_reports_unclosed_section_at_its_tag);
    tcase_add_test(tc, test_mustache_reports_section_left_open_inside_another);
    tcase_add_test(tc, test_mustache_reports_unexpected_closing_tag);
    tcase_add_test(tc, test_mustache_reports_unclosed_tag);
    tcase_add_test(tc, test_mustache_reports_bad_set_delimiter_tag);
    tcase_add_test(tc, test_mustache_errors_show_the_delimiters_in_effect);
    tcase_add_test(tc, test_mustache_reports_bad_names);
    tcase_add_test(tc, test_mustache_columns_count_characters_not_bytes);
    tcase_add_test(tc, test_mustache_check_reports_unknown_partial_with_suggestion);
    tcase_add_test(tc, test_mustache_check_accepts_resolved_partials);
    tcase_add_test(tc, test_mustache_missing_partial_renders_empty);
    tcase_add_test(tc, test_mustache_self_including_layout_hits_the_depth_limit);
    tcase_add_test(tc, test_mustache_include_cycle_is_reported_at_the_tag_that_closes_it);
    tcase_add_test(tc, test_mustache_allows_exactly_one_hundred_nested_partials);
    tcase_add_test(tc, test_mustache_render_reports_unknown_template);
    tcase_add_test(tc, test_mustache_lib_free_accepts_null);
    tcase_add_test(tc, test_mustache_lambda_interpolation_renders_what_it_returns);
    tcase_add_test(tc, test_mustache_lambda_interpolation_text_renders_against_the_context_stack);
    tcase_add_test(tc, test_mustache_lambda_interpolation_text_uses_the_default_delimiters);
    tcase_add_test(tc, test_mustache_lambda_interpolation_is_called_each_time);
    tcase_add_test(tc, test_mustache_lambda_interpolation_is_escaped_after_rendering);
    tcase_add_test(tc, test_mustache_lambda_section_receives_the_raw_body);
    tcase_add_test(tc, test_mustache_lambda_section_text_is_rendered_against_the_context_stack);
    tcase_add_test(tc, test_mustache_lambda_section_text_uses_the_delimiters_in_effect);
    tcase_add_test(tc, test_mustache_lambda_section_is_called_each_time);
    tcase_add_test(tc, test_mustache_lambda_is_truthy_for_an_inverted_section);
    tcase_add_test(tc, test_mustache_lambda_returning_false_renders_nothing);
    tcase_add_test(tc, test_mustache_lambda_error_is_reported_at_its_tag);
    tcase_add_test(tc, test_mustache_lambda_text_that_does_not_parse_is_reported_at_its_tag);
    tcase_add_test(tc, test_mustache_lambda_returning_its_own_tag_hits_the_depth_limit);
    tcase_add_test(tc, test_mustache_lambda_text_includes_partials_and_leaves_the_lib_alone);
    tcase_add_test(tc, test_mustache_map_places_lines_a_section_repeats_at_their_template_lines);
    tcase_add_test(tc, test_mustache_map_places_text_after_a_value_by_the_template);
    tcase_add_test(tc, test_mustache_map_places_partial_output_at_its_tag_and_skips_stand_in_lines);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(mustache_suite()); }
