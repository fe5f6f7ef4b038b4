/* Tests of the search index: stems against the script's query rule, text extraction, JSON. */
#include "../generator/4-render/search.h"
#include "testutil.h"

#include <math.h>

/* The number of characters (code points) in the UTF-8 string s[0, n). */
static size_t chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* The byte length of the first k characters of s. */
static size_t bytes_of_chars(const char *s, size_t k)
{
    size_t i = 0;
    for (size_t c = 0; s[i] && c < k; c++)
        for (i++; ((unsigned char)s[i] & 0xC0) == 0x80; i++)
            ;
    return i;
}

/* haku.js's prefix rule for a query word (caller frees): the word itself when
 * it is shorter than 4 letters, else its first max(4, letters - 3) letters. */
static char *query_prefix(const char *word)
{
    size_t n = chars(word, strlen(word));
    size_t k = n < 4 ? n : (n - 3 > 4 ? n - 3 : 4);
    return xstrndup(word, bytes_of_chars(word, k));
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* haku.js's second rule: an index stem that is itself the start of the query
 * word, at least 3 letters long and leaving at most 5 letters of ending. */
static bool stem_begins_word(const char *stem, const char *word)
{
    size_t s = chars(stem, strlen(stem)), w = chars(word, strlen(word));
    return starts_with(word, stem) && s >= 3 && w - s <= 5;
}

/* Whether haku.js would find stem with the query word. */
static bool query_matches(const char *word, const char *stem)
{
    char *p = query_prefix(word);
    bool m = starts_with(stem, p) || stem_begins_word(stem, word);
    free(p);
    return m;
}

static char *stem(search_index *ix, const char *word)
{
    buf_t b = BUF_INIT;
    search_stem(ix, word, &b);
    return buf_detach(&b);
}

/* The pages added to a test index, so that the whole output can be made
 * again after each addition (an index is finished once). */
typedef struct {
    const char *url, *title, *section;
    char *html;
} input;

static input inputs[64];
static size_t n_inputs;

static void add(search_index *ix, const char *url, const char *title, const char *section, const char *html)
{
    (void)ix;
    ck_assert_uint_lt(n_inputs, 64);
    inputs[n_inputs++] = (input){url, title, section, xstrdup(html)};
}

static void forget(void)
{
    for (size_t i = 0; i < n_inputs; i++)
        free(inputs[i].html);
    n_inputs = 0;
}

/* Every file of an index of the given pages: the fragments, then the chunks,
 * then the manifest (caller frees). */
static char *output_of(const input *in, size_t n)
{
    search_index *ix = search_index_new();
    buf_t all = BUF_INIT, frag = BUF_INIT, text = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        buf_clear(&text);
        search_page_text(in[i].html, strlen(in[i].html), &text);
        search_index_add_doc(ix, in[i].url, in[i].title, in[i].section, text.ptr, text.len, NULL, &frag);
        buf_put(&all, frag.ptr, frag.len);
    }
    search_index_finish(ix);
    for (size_t i = 0; i < search_index_chunk_count(ix); i++) {
        const buf_t *j;
        search_index_chunk_at(ix, i, &j);
        buf_put(&all, j->ptr, j->len);
    }
    search_index_manifest(ix, &all);
    buf_free(&frag);
    buf_free(&text);
    search_index_free(ix);
    return buf_detach(&all);
}

static char *json(const search_index *ix)
{
    (void)ix;
    return output_of(inputs, n_inputs);
}

/* The raw (still escaped) value of the string field key of page i (caller frees). */
static char *page_field(const char *js, size_t i, const char *key)
{
    const char *p = js;
    for (size_t k = 0; k <= i; k++) {
        p = strstr(p, "{\"u\":");
        ck_assert_ptr_nonnull(p);
        p++;
    }
    char *pat = xasprintf("\"%s\":\"", key);
    p = strstr(p, pat);
    ck_assert_ptr_nonnull(p);
    p += strlen(pat);
    free(pat);
    const char *e = p;
    while (*e && *e != '"')
        e += *e == '\\' ? 2 : 1;
    return xstrndup(p, (size_t)(e - p));
}

/* The end of the JSON string that starts at p (at its quote). */
static const char *skip_string(const char *p)
{
    for (p++; *p != '"'; p += *p == '\\' ? 2 : 1)
        ;
    return p + 1;
}

/* The text of page i's section k (0: before any heading), still escaped. */
static char *page_text(const char *js, size_t i, size_t k)
{
    const char *p = js;
    for (size_t n = 0; n <= i; n++) {
        p = strstr(p, "{\"u\":");
        ck_assert_ptr_nonnull(p);
        p++;
    }
    p = strstr(p, "\"s\":[\n[");
    ck_assert_ptr_nonnull(p);
    p += 7;
    for (size_t n = 0; n < k; n++) {
        p = strstr(p, "\n[");
        ck_assert_ptr_nonnull(p);
        p += 2;
    }
    p = skip_string(p) + 1; /* the anchor, then the heading */
    p = skip_string(p) + 1;
    const char *e = skip_string(p);
    return xstrndup(p + 1, (size_t)(e - p - 2));
}

/* A stem's postings decoded (search.h): pages and codes, n of them. */
static size_t postings(const char *js, const char *st, unsigned *pages, unsigned *codes, size_t max)
{
    char *pat = xasprintf("\n\"%s\":\"", st);
    const char *p = strstr(js, pat);
    free(pat);
    if (!p)
        return (size_t)-1;
    p = strchr(p + 2, ':') + 2;
    const char *digits = SEARCH_DIGITS;
    unsigned acc = 0, page = 0;
    size_t n = 0;
    bool code = false;
    for (; *p != '"'; p++) {
        unsigned d = (unsigned)(strchr(digits, *p) - digits);
        acc = acc * 32 + (d & 31);
        if (d >= 32)
            continue;
        if (code) {
            if (n < max)
                codes[n] = acc;
            n++;
        } else {
            page += acc;
            if (n < max)
                pages[n] = page;
        }
        code = !code;
        acc = 0;
    }
    return n;
}

/* The page list of word's stem as written, e.g. "[0,2]", or NULL. */
static char *pages_of(search_index *ix, const char *js, const char *word)
{
    char *st = stem(ix, word);
    unsigned pages[64], codes[64];
    size_t n = postings(js, st, pages, codes, 64);
    free(st);
    if (n == (size_t)-1)
        return NULL;
    buf_t b = BUF_INIT;
    buf_putc(&b, '[');
    for (size_t i = 0; i < n && i < 64; i++)
        buf_printf(&b, "%s%u", i ? "," : "", pages[i]);
    buf_putc(&b, ']');
    return buf_detach(&b);
}

START_TEST(test_search_inflected_forms_stem_to_what_the_query_prefix_finds)
{
    search_index *ix = search_index_new();
    /* Query word -> forms in the text its prefix must find. */
    const char *cases[][4] = {
        {"neuvottelu", "neuvottelu", "neuvotteluissa", "neuvottelujen"},
        {"neuvottelujen", "neuvottelu", "neuvotteluissa", "neuvottelujen"},
        {"hyvinvointialue", "hyvinvointialue", "hyvinvointialueen", "hyvinvointialueella"},
        {"hyvinvointialueen", "hyvinvointialue", "hyvinvointialueen", "hyvinvointialueella"},
        {"kumppanuus", "kumppanuusryhmä", "kumppanuusryhmän", "kumppanuusryhmässä"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *prefix = query_prefix(cases[i][0]);
        for (size_t k = 1; k < 4; k++) {
            char *st = stem(ix, cases[i][k]);
            ck_assert_msg(starts_with(st, prefix), "stem '%s' of '%s' does not start with '%s'", st,
                          cases[i][k], prefix);
            free(st);
        }
        free(prefix);
    }
    /* The prefixes and stems themselves, as observed with Debian's libstemmer. */
    const char *prefixes[][2] = {{"neuvottelu", "neuvott"}, {"hyvinvointialueen", "hyvinvointialu"},
                                 {"kumppanuus", "kumppan"}, {"hyte", "hyte"},
                                 {"laki", "laki"},          {"äänestää", "äänes"},
                                 {"sote", "sote"},          {"työ", "työ"}};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        char *p = query_prefix(prefixes[i][0]);
        ck_assert_str_eq(p, prefixes[i][1]);
        free(p);
    }
    const char *stems[][2] = {{"neuvotteluissa", "neuvottelu"},
                              {"neuvottelujen", "neuvottelu"},
                              {"hyvinvointialueen", "hyvinvointialue"},
                              {"kumppanuusryhmä", "kumppanuusryhm"}};
    for (size_t i = 0; i < sizeof stems / sizeof stems[0]; i++) {
        char *st = stem(ix, stems[i][0]);
        ck_assert_str_eq(st, stems[i][1]);
        free(st);
    }
    search_index_free(ix);
    forget();
}
END_TEST

START_TEST(test_search_short_stems_and_long_endings_need_the_second_query_rule)
{
    search_index *ix = search_index_new();
    /* "kunta" stems to "kun", shorter than the query prefix "kunt"; the
     * ending of "neuvotteluissa" is longer than 3 letters. The prefix rule
     * alone misses both, the stem-begins-the-word rule finds them. */
    const char *cases[][2] = {{"kunta", "kunnat"},
                              {"kunnan", "kunnille"},
                              {"neuvotteluissa", "neuvottelu"},
                              {"hyvinvointialueella", "hyvinvointialue"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *st = stem(ix, cases[i][1]);
        char *prefix = query_prefix(cases[i][0]);
        ck_assert_msg(!starts_with(st, prefix), "'%s' now starts with '%s'", st, prefix);
        ck_assert_msg(query_matches(cases[i][0], st), "query '%s' misses stem '%s'", cases[i][0],
                      st);
        free(prefix);
        free(st);
    }
    /* ... but a short stem does not swallow longer words or compounds. */
    char *on = stem(ix, "on");
    ck_assert(!query_matches("onni", on));
    char *kun = stem(ix, "kunta");
    ck_assert(!query_matches("kuntaneuvottelu", kun));
    free(on);
    free(kun);
    search_index_free(ix);
    forget();
}
END_TEST

START_TEST(test_search_finds_inflected_words_through_the_written_index)
{
    search_index *ix = search_index_new();
    add(ix, "neuvottelut/", "HYTE-neuvottelut", "Yhteistyö",
                     "<p>Neuvotteluissa sovitaan hyvinvointialueen ja kuntien "
                     "KUMPPANUUSRYHMÄN tehtävistä.</p>");
    char *js = json(ix);
    const char *words[] = {"neuvottelu", "hyvinvointialue", "kumppanuusryhmä", "hyte"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        char *p = pages_of(ix, js, words[i]);
        ck_assert_msg(p != NULL, "no stem of '%s' in the index", words[i]);
        ck_assert_str_eq(p, "[0]");
        free(p);
    }
    ck_assert_ptr_nonnull(strstr(js, "\n\"neuvottelu\":\""));
    ck_assert_ptr_nonnull(strstr(js, "\n\"kumppanuusryhm\":\""));
    ck_assert_ptr_null(strstr(js, "\"KUMPP"));
    free(js);
    search_index_free(ix);
    forget();
}
END_TEST

START_TEST(test_search_strips_tags_entities_and_script_content)
{
    search_index *ix = search_index_new();
    add(
        ix, "a/", "A", NULL,
        "<h2 id=\"x\" title=\"a > b\">Otsikko</h2>\n<p>Kunta &amp; alue &lt;b&gt; "
        "&quot;sitaatti&quot; &#39;yksi&#39; &#228;&#xC4;&#Xe4; &nbsp;&copy;</p>"
        "<script type=\"module\">var salainen = \"</p>\";</script>"
        "<STYLE>.piilo{color:red}</STYLE><!-- kommentti <p>ei</p> -->"
        "<p>yksi</p><p>kaksi</p><em>hyvin</em>vointi<br>loppu"
        "<svg><title>t:ek-kunnat</title><text>Kuvateksti</text></svg><title>Otsake</title>"
        "<p>Kaavio</p>");
    char *js = json(ix);
    /* The heading with an id starts a section: its id, its text, then the text below it. */
    ck_assert_ptr_nonnull(strstr(js, "\"s\":[\n[\"\",\"\",\"\"],\n[\"x\",\"Otsikko\","));
    char *x = page_text(js, 0, 1);
    ck_assert_str_eq(x, "Kunta \\u0026 alue \\u003cb\\u003e \\\"sitaatti\\\" 'yksi' äÄä "
                        "\\u0026copy; yksi kaksi hyvinvointi loppu Kaavio");
    free(x);
    ck_assert_ptr_null(strstr(js, "salainen"));
    ck_assert_ptr_null(strstr(js, "piilo"));
    ck_assert_ptr_null(strstr(js, "kommentti"));
    ck_assert_ptr_null(strstr(js, "ek-kunnat"));
    ck_assert_ptr_null(strstr(js, "Kuvateksti"));
    ck_assert_ptr_null(strstr(js, "Otsake"));
    ck_assert_ptr_null(strstr(js, "\"h2\""));
    char *p = pages_of(ix, js, "hyvinvointi");
    ck_assert_ptr_nonnull(p);
    free(p);
    ck_assert_ptr_null(pages_of(ix, js, "vointi"));
    free(js);

    /* What is not a tag or an entity stays text. */
    add(ix, "b/", "B", NULL, "<p>1 < 2 &tuntematon; &#xZZ; &#; & loppu</p>");
    js = json(ix);
    x = page_text(js, 1, 0);
    ck_assert_str_eq(x, "1 \\u003c 2 \\u0026tuntematon; \\u0026#xZZ; \\u0026#; \\u0026 loppu");
    free(x);
    free(js);
    search_index_free(ix);
    forget();
}
END_TEST

START_TEST(test_search_splits_words_at_punctuation_and_lower_cases_them)
{
    search_index *ix = search_index_new();
    add(ix, "a/", "ÄÄNI", NULL,
                     "<p>”hyte” – HYTE-työ, 611/2021 § Åland naïve\xC2\xA0sote…ÖLJY</p>");
    char *js = json(ix);
    const char *words[] = {"ääni", "hyte", "työ", "611", "2021", "åland", "naïve", "sote", "öljy"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        char *p = pages_of(ix, js, words[i]);
        ck_assert_msg(p != NULL, "no stem of '%s' in the index", words[i]);
        free(p);
    }
    const char *not_words[] = {"”", "–", "§", "…", "ÄÄ", "Å", "ÖL", "HYTE"};
    for (size_t i = 0; i < sizeof not_words / sizeof not_words[0]; i++) {
        char *pat = xasprintf("\n\"%s", not_words[i]);
        ck_assert_msg(strstr(js, pat) == NULL, "'%s' in a stem", not_words[i]);
        free(pat);
    }
    free(js);
    search_index_free(ix);
    forget();
}
END_TEST

START_TEST(test_search_json_escapes_quotes_script_end_and_control_chars)
{
    search_index *ix = search_index_new();
    add(ix, "a/?b=\"c\"", "Sano \"hei\" \\ </script><!-- \x01\x1f\t\n", "O&O",
                     "<p>Rivi &#10; &#1; \xE2\x80\xA8 \xff rikki</p>");
    char *js = json(ix);
    char *u = page_field(js, 0, "u");
    ck_assert_str_eq(u, "a/?b=\\\"c\\\"");
    char *t = page_field(js, 0, "t");
    ck_assert_str_eq(
        t, "Sano \\\"hei\\\" \\\\ \\u003c/script\\u003e\\u003c!-- \\u0001\\u001f\\t\\n");
    char *o = page_field(js, 0, "o");
    ck_assert_str_eq(o, "O\\u0026O");
    char *x = page_text(js, 0, 0);
    ck_assert_str_eq(x, "Rivi \\u2028 \\ufffd rikki");
    free(u);
    free(t);
    free(o);
    free(x);
    ck_assert_ptr_null(strstr(js, "</"));
    ck_assert_ptr_null(strstr(js, "<!--"));
    /* No raw control character anywhere but the newlines between entries. */
    for (const char *p = js; *p; p++)
        ck_assert_msg((unsigned char)*p >= 0x20 || *p == '\n', "raw control char 0x%02x",
                      (unsigned char)*p);
    free(js);
    search_index_free(ix);
    forget();
}
END_TEST

START_TEST(test_search_lists_each_page_once_in_ascending_order)
{
    search_index *ix = search_index_new();
    add(ix, "a/", "Kunta", "Osio", "<p>kunta kunta kunnan Kunta</p>");
    add(ix, "b/", "Muu", NULL, "<p>alue</p>");
    add(ix, "c/", "Kolmas", NULL, "<p>kunnat ja kunnille</p>");
    add(ix, "d/", "Neljäs", NULL, "<p>alue alueen</p>");
    char *js = json(ix);
    char *p = pages_of(ix, js, "kunta");
    ck_assert_str_eq(p, "[0,2]");
    free(p);
    p = pages_of(ix, js, "alueen");
    ck_assert_str_eq(p, "[1,3]");
    free(p);
    char *o = page_field(js, 0, "o");
    ck_assert_str_eq(o, "Osio");
    free(o);
    o = page_field(js, 1, "o");
    ck_assert_str_eq(o, "");
    free(o);
    /* Title words are searchable: "Neljäs" is only in the title. */
    p = pages_of(ix, js, "neljäs");
    ck_assert_str_eq(p, "[3]");
    free(p);
    free(js);
    search_index_free(ix);
    forget();
}
END_TEST

static char *build_sorted_index(void)
{
    search_index *ix = search_index_new();
    add(ix, "a/", "Öljy", NULL, "<p>zeta ääni aamu Öljy 2025 Bee</p>");
    add(ix, "b/", "Aamu", NULL, "<p>yö alku</p>");
    char *js = json(ix);
    search_index_free(ix);
    forget();
    return js;
}

START_TEST(test_search_output_is_deterministic_with_stems_in_byte_order)
{
    char *a = build_sorted_index();
    char *b = build_sorted_index();
    ck_assert_str_eq(a, b);
    /* One chunk, stems in byte order. */
    const char *order[] = {"\n\"2025\":", "\n\"aamu\":", "\n\"alku\":", "\n\"bee\":", "\n\"yö\":",
                           "\n\"zeta\":", "\n\"ääni\":", "\n\"öljy\":"};
    const char *at = a;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *p = strstr(at, order[i]);
        ck_assert_msg(p != NULL, "'%s' missing or out of order", order[i] + 1);
        at = p;
    }
    ck_assert_ptr_nonnull(strstr(a, "{\"n\":2,\"pituus\":5.0,\"versio\":\""));
    ck_assert_ptr_nonnull(strstr(a, "\"osat\":[\n[\"\",\"hakuhakemisto/"));
    free(a);
    free(b);

    char *empty = output_of(NULL, 0);
    ck_assert_ptr_nonnull(strstr(empty, "{\n}\n{\"n\":0,\"pituus\":0.0,"));
    free(empty);
}
END_TEST

START_TEST(test_search_caps_the_fragment_text_but_indexes_all_of_it)
{
    buf_t html = BUF_INIT;
    buf_puts(&html, "<p>");
    for (int i = 0; i < 2000; i++)
        buf_puts(&html, "äääääääää\n\t "); /* 10 characters, 19 bytes once collapsed */
    buf_puts(&html, "loppusana</p>");
    search_index *ix = search_index_new();
    add(ix, "a/", "A", NULL, html.ptr);
    char *js = json(ix);
    char *x = page_text(js, 0, 0);
    ck_assert_uint_le(strlen(x), SEARCH_FRAGMENT_MAX);
    ck_assert_uint_ge(strlen(x), SEARCH_FRAGMENT_MAX - 2);
    ck_assert_ptr_null(strstr(x, "  "));
    ck_assert_ptr_null(strstr(x, "\\u000a"));
    ck_assert_ptr_null(strstr(x, "loppu"));
    free(x);
    char *p = pages_of(ix, js, "loppusana");
    ck_assert_str_eq(p, "[0]");
    free(p);
    free(js);
    buf_free(&html);
    search_index_free(ix);
    forget();
}
END_TEST

/* haku.js's ranking for one query word, mirrored: BM25 (k1 1.2, b 0.75) with
 * the length class for the page's length, weighted 1 + 4 in the title + 1.5
 * in a heading. */
static double score(unsigned code, size_t df, size_t n, double avg)
{
    double tf = code >> 6, dl = pow(2, (double)((code >> 2) & 15) - 0.5);
    double idf = log(1 + ((double)n - (double)df + 0.5) / ((double)df + 0.5));
    double w = idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / avg));
    return w * (1 + (code & 1 ? 4 : 0) + (code & 2 ? 1.5 : 0));
}

START_TEST(test_search_ranks_a_title_match_first)
{
    search_index *ix = search_index_new();
    add(ix, "a/", "Muistio", NULL, "<p>Vuosikello vuosikello vuosikellon vuosikelloa ja muuta.</p>");
    add(ix, "b/", "Vuosikello", NULL, "<p>Tapahtumat kuukausittain ja paljon muuta tekstiä tässä.</p>");
    add(ix, "c/", "Kolmas", NULL, "<h2 id=\"v\">Vuosikellon käyttö</h2><p>Ohje ja muuta tekstiä.</p>");
    add(ix, "d/", "Neljäs", NULL, "<p>Ei mitään.</p>");
    char *js = json(ix);
    char *st = stem(ix, "vuosikello");
    unsigned pages[8], codes[8];
    size_t n = postings(js, st, pages, codes, 8);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(codes[0] & 3, 0); /* the text only, four times */
    ck_assert_uint_eq(codes[0] >> 6, 4);
    ck_assert_uint_eq(codes[1] & 3, 1); /* the title */
    ck_assert_uint_eq(codes[2] & 3, 2); /* a heading */
    double a = score(codes[0], n, 4, 8), b = score(codes[1], n, 4, 8), c = score(codes[2], n, 4, 8);
    ck_assert_msg(b > a && b > c && c > a, "title %f, heading %f, text %f", b, c, a);
    free(st);
    free(js);
    search_index_free(ix);
    forget();
}
END_TEST

/* Every chunk is at most SEARCH_CHUNK_MAX bytes or holds one stem; the keys
 * go up, and each chunk's stems lie between its key and the next. */
START_TEST(test_search_chunks_stay_small_and_a_page_of_50000_words_is_capped)
{
    search_index *ix = search_index_new();
    buf_t html = BUF_INIT, text = BUF_INIT, frag = BUF_INIT;
    unsigned seed = 1;
    for (int page = 0; page < 40; page++) {
        buf_clear(&html);
        buf_puts(&html, "<p>yhteinen ");
        int words = page == 7 ? 50000 : 300;
        for (int w = 0; w < words; w++) {
            for (int k = 0; k < 8; k++) {
                seed = seed * 1103515245u + 12345u;
                buf_putc(&html, (char)('a' + (seed >> 16) % 26));
            }
            buf_putc(&html, ' ');
        }
        buf_puts(&html, "</p>");
        buf_clear(&text);
        search_page_text(html.ptr, html.len, &text);
        search_index_add_doc(ix, "a/", "T", NULL, text.ptr, text.len, NULL, &frag);
        ck_assert_uint_le(frag.len, SEARCH_FRAGMENT_MAX + 200);
    }
    search_index_finish(ix);
    size_t n = search_index_chunk_count(ix);
    ck_assert_uint_gt(n, 10);
    buf_t m = BUF_INIT;
    search_index_manifest(ix, &m);
    size_t stems = 0, yhteinen = 0;
    const char *key = strstr(m.ptr, "\"osat\":[\n[\"");
    ck_assert_ptr_nonnull(key);
    char *prev_key = NULL;
    for (size_t i = 0; i < n; i++) {
        const buf_t *j;
        search_index_chunk_at(ix, i, &j);
        size_t here = 0;
        for (const char *p = j->ptr; (p = strstr(p, "\n\"")); p++)
            here++;
        stems += here;
        ck_assert_msg(j->len <= SEARCH_CHUNK_MAX || here == 1, "chunk %zu: %zu bytes, %zu stems", i, j->len, here);
        char *yh = stem(ix, "yhteinen");
        char *pat = xasprintf("\n\"%s\":\"", yh);
        if (strstr(j->ptr, pat))
            yhteinen++;
        free(pat);
        free(yh);
        /* The key: the chunk's stems start at or after it. */
        key = strstr(key, "\n[\"") + 3;
        char *k = xstrndup(key, (size_t)(strchr(key, '"') - key));
        const char *first = strstr(j->ptr, "\n\"") + 2;
        ck_assert(strncmp(first, k, strlen(k)) >= 0);
        if (prev_key)
            ck_assert_int_lt(strcmp(prev_key, k), 0);
        free(prev_key);
        prev_key = k;
    }
    free(prev_key);
    ck_assert_uint_eq(yhteinen, 1);
    /* 39 pages of 300 words and the long one's first SEARCH_PAGE_STEMS stems, and "yhteinen". */
    ck_assert_uint_le(stems, 39 * 300 + SEARCH_PAGE_STEMS + 1);
    ck_assert_uint_ge(stems, SEARCH_PAGE_STEMS);
    buf_free(&m);
    buf_free(&html);
    buf_free(&text);
    buf_free(&frag);
    search_index_free(ix);
}
END_TEST

START_TEST(test_search_leaves_out_words_longer_than_40_letters)
{
    char w40[41], w41[42];
    memset(w40, 'b', 40);
    w40[40] = '\0';
    memset(w41, 'c', 41);
    w41[41] = '\0';
    char *html = xasprintf("<p>%s %s</p>", w40, w41);
    search_index *ix = search_index_new();
    add(ix, "a/", "A", NULL, html);
    char *js = json(ix);
    char *p = pages_of(ix, js, w40);
    ck_assert_ptr_nonnull(p);
    free(p);
    ck_assert_ptr_null(strstr(js, "\n\"cccc"));
    ck_assert_ptr_nonnull(strstr(js, w41)); /* still in the text */
    free(js);
    free(html);
    search_index_free(ix);
    forget();
}
END_TEST

/* A Swedish index stems with the Swedish Snowball stemmer: the query
 * "förhandlingar" finds the page with "förhandling" (the Finnish stemmer
 * would not), and every file it writes is under its prefix sv/. */
START_TEST(test_search_a_swedish_index_finds_inflected_swedish_words_under_sv)
{
    search_index *sv = search_index_new_lang("sv", "sv/");
    search_index *fi = search_index_new();
    char *s1 = stem(sv, "förhandlingar"), *s2 = stem(sv, "förhandlingen"), *s3 = stem(sv, "förhandling");
    ck_assert_str_eq(s1, "förhandling");
    ck_assert_str_eq(s2, s3);
    ck_assert(query_matches("förhandlingar", s3));
    ck_assert(query_matches("förhandlingen", s3));
    char *f1 = stem(fi, "förhandlingar"), *f2 = stem(fi, "förhandling");
    ck_assert_str_ne(f1, f2); /* Finnish Snowball does not know the Swedish plural */
    buf_t text = BUF_INIT, frag = BUF_INIT, m = BUF_INIT;
    const char *html = "<p>En förhandling hålls varje år.</p>";
    search_page_text(html, strlen(html), &text);
    search_index_add_doc(sv, "sv/forhandling/", "Förhandling", NULL, text.ptr, text.len, NULL, &frag);
    ck_assert_ptr_nonnull(strstr(frag.ptr, "\"u\":\"sv/forhandling/\""));
    char *fp = search_index_fragment_path(sv, 0);
    ck_assert_str_eq(fp, "sv/hakuhakemisto/sivut/0.json");
    ck_assert_str_eq(search_index_prefix(sv), "sv/");
    search_index_finish(sv);
    ck_assert_uint_eq(search_index_chunk_count(sv), 1);
    const buf_t *chunk;
    const char *path = search_index_chunk_at(sv, 0, &chunk);
    ck_assert(starts_with(path, "sv/hakuhakemisto/"));
    ck_assert_ptr_nonnull(strstr(chunk->ptr, "\n\"förhandling\":\"0"));
    search_index_manifest(sv, &m);
    ck_assert_ptr_nonnull(strstr(m.ptr, "[\"\",\"sv/hakuhakemisto/"));
    ck_assert_ptr_nonnull(strstr(m.ptr, "{\"n\":1,"));
    free(s1), free(s2), free(s3), free(f1), free(f2), free(fp);
    buf_free(&text), buf_free(&frag), buf_free(&m);
    search_index_free(sv);
    search_index_free(fi);
}
END_TEST

/* A language libstemmer does not know keeps its words whole, and the default
 * index is Finnish at the root, as before there were languages. */
START_TEST(test_search_an_unknown_language_keeps_words_whole_and_the_default_is_finnish_at_the_root)
{
    search_index *xx = search_index_new_lang("xx", "xx/");
    char *w = stem(xx, "neuvotteluissa");
    ck_assert_str_eq(w, "neuvotteluissa");
    search_index *fi = search_index_new();
    char *f = stem(fi, "neuvotteluissa");
    ck_assert_str_eq(f, "neuvottelu");
    ck_assert_str_eq(search_index_prefix(fi), "");
    char *fp = search_index_fragment_path(fi, 3), *old = search_fragment_path(3);
    ck_assert_str_eq(fp, old);
    free(w), free(f), free(fp), free(old);
    search_index_free(xx);
    search_index_free(fi);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("search");
    TCase *tc = tcase_create("search");
    tcase_add_test(tc, test_search_inflected_forms_stem_to_what_the_query_prefix_finds);
    tcase_add_test(tc, test_search_short_stems_and_long_endings_need_the_second_query_rule);
    tcase_add_test(tc, test_search_finds_inflected_words_through_the_written_index);
    tcase_add_test(tc, test_search_strips_tags_entities_and_script_content);
    tcase_add_test(tc, test_search_splits_words_at_punctuation_and_lower_cases_them);
    tcase_add_test(tc, test_search_json_escapes_quotes_script_end_and_control_chars);
    tcase_add_test(tc, test_search_lists_each_page_once_in_ascending_order);
    tcase_add_test(tc, test_search_output_is_deterministic_with_stems_in_byte_order);
    tcase_add_test(tc, test_search_caps_the_fragment_text_but_indexes_all_of_it);
    tcase_add_test(tc, test_search_ranks_a_title_match_first);
    tcase_add_test(tc, test_search_chunks_stay_small_and_a_page_of_50000_words_is_capped);
    tcase_add_test(tc, test_search_leaves_out_words_longer_than_40_letters);
    tcase_add_test(tc, test_search_a_swedish_index_finds_inflected_swedish_words_under_sv);
    tcase_add_test(tc, test_search_an_unknown_language_keeps_words_whole_and_the_default_is_finnish_at_the_root);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
