/* fuzz_markdown_links: Markdown parsing and HTML rendering with every link rewritten.
 *
 * The page body goes through md_parse (raw HTML not allowed), glossary
 * marking, diagram-block replacement and md_render with a resolver that
 * rewrites each link the way the site does (keeping its scheme, adding a
 * fragment with characters that need escaping), keeps some and drops some.
 * The output must never link to a script (javascript:, vbscript:, data:,
 * file: in an href or src, as a browser would read the attribute) and never
 * contain a <script element. */
#include "fuzz.h"

#include <ctype.h>
#include <stdbool.h>
#include <strings.h>

#include "../../generator/0-base/buf.h"
#include "../../generator/0-base/xmem.h"
#include "../../generator/4-render/markdown.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    md_global_init();
    return 0;
}

typedef struct {
    size_t asked;
    size_t n_links;
} resolver;

static md_link_action resolve(void *ud, const md_link *link, char **replacement, const char **lang)
{
    resolver *r = ud;
    FUZZ_CHECK(link && link->url);
    FUZZ_CHECK(md_url_is_safe(link->url));
    FUZZ_CHECK(link->line >= 1 && link->col >= 0);
    r->asked++;
    size_t n = strlen(link->url);
    switch (n % 5) {
    case 0: return MD_LINK_KEEP;
    case 1: return MD_LINK_DROP;
    case 2: *replacement = xasprintf("../%s/index.html#\"><script>x</script>", link->url); break;
    case 3: *replacement = xasprintf("%s#a'b\"c<d>&e", link->url); break;
    default:
        *replacement = xasprintf("%s#a'b\"c<d>&e", link->url);
        *lang = "fi\"><script>";
        break;
    }
    return MD_LINK_REPLACE;
}

static char *embed_html(void *ud, size_t i, const md_embed *e)
{
    (void)ud;
    FUZZ_CHECK(e && e->kind && e->arg && e->text && e->line >= 1);
    return i % 2 ? NULL : xasprintf("<figure class=\"kaavio\" data-n=\"%zu\"></figure>", i);
}

/* The value of an attribute as a browser reads it: character references
 * decoded (the ones that could spell a scheme), then what
 * md_url_is_safe ignores (whitespace and controls) left for it to skip. */
static char *attr_value(const char *s, size_t n)
{
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '&') {
            buf_putc(&b, s[i]);
            continue;
        }
        const char *semi = memchr(s + i, ';', n - i);
        if (!semi) {
            buf_putc(&b, s[i]);
            continue;
        }
        size_t len = (size_t)(semi - (s + i)) + 1;
        unsigned long cp = 0;
        bool ok = true;
        if (len > 3 && s[i + 1] == '#') {
            const char *p = s + i + 2;
            bool hex = *p == 'x' || *p == 'X';
            cp = strtoul(hex ? p + 1 : p, NULL, hex ? 16 : 10);
        } else if (len == 5 && !strncmp(s + i, "&amp;", 5)) {
            cp = '&';
        } else if (len == 7 && !strncmp(s + i, "&colon;", 7)) {
            cp = ':';
        } else if (len == 5 && !strncmp(s + i, "&Tab;", 5)) {
            cp = '\t';
        } else if (len == 9 && !strncmp(s + i, "&NewLine;", 9)) {
            cp = '\n';
        } else {
            ok = false;
        }
        if (ok && cp > 0 && cp < 0x80) {
            buf_putc(&b, (char)cp);
            i += len - 1;
        } else {
            buf_putc(&b, s[i]);
        }
    }
    buf_cstr(&b);
    return buf_detach(&b);
}

/* Every href="…" and src="…" of html is safe; html has no <script. */
static void check_html(const char *html)
{
    for (const char *p = html; (p = strcasestr(p, "<script")) != NULL; p++)
        FUZZ_CHECK(!"the output has a <script element");
    static const char *const attrs[] = {" href=\"", " src=\""};
    for (size_t a = 0; a < 2; a++) {
        for (const char *p = html; (p = strstr(p, attrs[a])) != NULL;) {
            p += strlen(attrs[a]);
            const char *end = strchr(p, '"');
            FUZZ_CHECK(end != NULL);
            char *v = attr_value(p, (size_t)(end - p));
            if (!md_url_is_safe(v)) {
                fprintf(stderr, "unsafe URL in the output: %s\n", v);
                FUZZ_CHECK(!"an unsafe URL reached the output");
            }
            free(v);
            p = end;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *src = fuzz_exact_copy(data, size);
    diag_list *d = diag_list_new();
    md_doc *doc = md_parse(src, size, "content/sivu.md", 4, (md_options){.unsafe_html = false}, d);
    FUZZ_CHECK(doc != NULL);

    for (size_t i = 0; i < md_heading_count(doc); i++) {
        const md_heading *h = md_heading_at(doc, i);
        FUZZ_CHECK(h->level >= 1 && h->level <= 6 && h->id && h->text && h->line > 4);
        FUZZ_CHECK(md_has_anchor(doc, h->id));
        for (size_t j = 0; j < i && i < 256; j++)
            FUZZ_CHECK(strcmp(md_heading_at(doc, j)->id, h->id) != 0);
    }
    resolver r = {0, md_link_count(doc)};
    size_t unsafe = 0;
    for (size_t i = 0; i < md_link_count(doc); i++) {
        const md_link *l = md_link_at(doc, i);
        /* col 0: not known (cmark-gfm's autolinks give 0 at a line start). */
        FUZZ_CHECK(l->url && l->line > 4 && l->col >= 0);
        unsafe += !md_url_is_safe(l->url);
    }

    static const md_term terms[] = {
        {"HVA", "hyvinvointialue", NULL},
        {"yhdyspinta", "kohta, jossa \"kaksi\" <toimijaa> kohtaa", "sanasto/#yhdyspinta"},
        {"javascript", "ei linkki", "javascript:alert(1)"},
    };
    md_mark_terms(doc, terms, sizeof terms / sizeof terms[0], "../");
    md_replace_embeds(doc, embed_html, NULL);

    buf_t html = BUF_INIT;
    md_render(doc, resolve, &r, &html, d);
    FUZZ_CHECK(r.asked + unsafe <= r.n_links);
    check_html(buf_cstr(&html));
    fuzz_check_diags(d);

    buf_free(&html);
    md_free(doc);
    diag_list_free(d);
    free(src);
    return 0;
}
