/* Tests of diagram definitions, the views over the model, and embedding. */
#include "../generator/2-model/model.h"
#include "../generator/4-render/diagrams.h"
#include "testutil.h"

typedef struct {
    char *dir;
    src_tree *src;
    model *m;
    site *s;
    diagrams *dg;
    graph_ctx *gx;
    diag_list *d;
} fixture;

/* The model fixture plus the given extra files ("path", "content", …, NULL), drawn. */
static fixture make(const char *first, ...)
{
    fixture f = {tu_tmpdir(), NULL, NULL, NULL, NULL, NULL, diag_list_new()};
    char *cmd = xasprintf("cp -r tests/fixtures/model/. %s/", f.dir);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    /* The built-in guide's pages are templates this fixture does not expand. */
    tu_write(f.dir, "site.yaml", "title: Mallitesti\nbase_url: https://example.fi/\nohjeet: false\n");
    tu_write(f.dir, "layouts/page.mustache", "{{{page.content}}}");
    static const char *const entity_layouts[] = {"toimija", "malli", "foorumi", "pykala", "asiakirja", "vertailu"};
    for (size_t i = 0; i < sizeof entity_layouts / sizeof entity_layouts[0]; i++) {
        char *path = xasprintf("layouts/%s.mustache", entity_layouts[i]);
        tu_write(f.dir, path, "{{page.title}}");
        free(path);
    }
    va_list ap;
    va_start(ap, first);
    for (const char *path = first; path; path = va_arg(ap, const char *))
        tu_write(f.dir, path, va_arg(ap, const char *));
    va_end(ap);
    f.src = src_load(f.dir, f.d);
    f.m = model_new(f.src, f.d);
    f.s = site_new(f.src, (site_options){NULL, false, f.m, NULL, NULL, false}, f.d);
    site_resolve(f.s, f.d);
    f.dg = diagrams_new(f.src, f.m, f.d);
    f.gx = graph_ctx_new(NULL, NULL);
    diagrams_render(f.dg, f.gx, f.s, f.d);
    return f;
}

static void done(fixture *f)
{
    graph_ctx_free(f->gx);
    diagrams_free(f->dg);
    site_free(f->s);
    model_free(f->m);
    src_free(f->src);
    diag_list_free(f->d);
    tu_rmdir(f->dir);
}

static bool has_diag(const diag_list *d, const char *expected)
{
    for (size_t i = 0; i < diag_count(d); i++) {
        char *s = tu_diag(d, i);
        bool same = !strcmp(s, expected);
        if (!same && getenv("TEST_VERBOSE"))
            fprintf(stderr, "have: %s\n", s);
        free(s);
        if (same)
            return true;
    }
    return false;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

START_TEST(test_diagrams_structure_chart_shows_forums_conveners_and_text)
{
    fixture f = make("diagrams/r.yaml", "id: r\notsikko: Rakenne\nnakyma: rakenne\nmalli: uusi\n", NULL);
    const char *h = diagrams_by_id(f.dg, "r");
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(strstr(h, "<figure class=\"kaavio\" id=\"kuva-r\">"));
    ck_assert_ptr_nonnull(strstr(h, "role=\"img\""));
    ck_assert_ptr_nonnull(strstr(h, ">Hyte&#45;neuvottelu") ? strstr(h, ">Hyte&#45;neuvottelu")
                                                             : strstr(h, ">Hyte-neuvottelu"));
    ck_assert_ptr_nonnull(strstr(h, "xlink:href=\"/yhteistyorakenne/uusi/hyte/\""));
    ck_assert_ptr_nonnull(strstr(h, "Strateginen taso"));
    /* the text equivalent says the same from the same data */
    ck_assert_ptr_nonnull(strstr(h, "<details class=\"kaavio-teksti\">"));
    ck_assert_ptr_nonnull(strstr(h, "<a href=\"/yhteistyorakenne/uusi/hyte/\">Hyte-neuvottelu</a>: kutsuu koolle "
                                    "<a href=\"/toimijat/hva/\">Testin hyvinvointialue</a>"));
    ck_assert_uint_eq(diag_errors(f.d), 0);
    done(&f);
}
END_TEST

START_TEST(test_diagrams_pages_get_party_model_and_comparison_charts)
{
    fixture f = make(NULL);
    const char *party = diagrams_for_page(f.dg, "toimijat/hva/");
    ck_assert_ptr_nonnull(party);
    ck_assert_ptr_nonnull(strstr(party, "Kutsuu koolle:"));
    ck_assert_ptr_nonnull(diagrams_for_page(f.dg, "yhteistyorakenne/uusi/"));
    const char *cmp = diagrams_for_page(f.dg, "yhteistyorakenne/vertailu-vanha-uusi/");
    ck_assert_ptr_nonnull(cmp);
    /* labels wrap at 24 characters: the word of the group on its own line */
    ck_assert_ptr_nonnull(strstr(cmp, ">UUSI:</text>"));
    ck_assert_ptr_nonnull(strstr(cmp, ">Asiantuntijaverkosto</text>"));
    ck_assert_ptr_nonnull(strstr(cmp, ">POISTUU: Lakkautettava</text>"));
    ck_assert_ptr_nonnull(strstr(cmp, "Kokoontumistiheys kerran valtuustokaudessa → kerran vuodessa"));
    ck_assert_ptr_null(diagrams_for_page(f.dg, "asiakirjat/sopimus/"));
    done(&f);
}
END_TEST

START_TEST(test_diagrams_legal_basis_chart_highlights_unmet_duties)
{
    fixture f = make("diagrams/l.yaml", "id: l\notsikko: Laki\nnakyma: lakiperusta\nmalli: vanha\n", NULL);
    const char *h = diagrams_by_id(f.dg, "l");
    ck_assert_ptr_nonnull(h);
    /* In the picture in words (the shipped font has no ✓ or ✗), in the text with the marks. */
    ck_assert_ptr_nonnull(strstr(h, ">EI TÄYTY: 612/2021 7 § 4 mom<"));
    ck_assert_ptr_nonnull(strstr(h, ">Täyttyy: 611/2021 14 §<"));
    const char *pic_end = strstr(h, "</svg>");
    ck_assert_ptr_nonnull(pic_end);
    ck_assert_ptr_null(memmem(h, (size_t)(pic_end - h), "✓", strlen("✓")));
    ck_assert_ptr_nonnull(strstr(h, "✗ ei täyty: Vuosittainen neuvottelu. – puuttuu: Hyte-neuvottelu: kutsujana on "
                                    "kunta, vaaditaan hyvinvointialue"));
    ck_assert_ptr_nonnull(strstr(h, "✓ Neuvottelu valtuustokausittain. – täyttää: "));
    done(&f);
}
END_TEST

START_TEST(test_diagrams_ids_are_unique_across_diagrams_of_a_page)
{
    fixture f = make("diagrams/a.yaml", "id: a\notsikko: A\nnakyma: rakenne\nmalli: uusi\n", "diagrams/b.yaml",
                     "id: b\notsikko: B\nnakyma: rakenne\nmalli: uusi\n", NULL);
    buf_t both = BUF_INIT;
    buf_puts(&both, diagrams_by_id(f.dg, "a"));
    buf_puts(&both, diagrams_by_id(f.dg, "b"));
    /* every id="…" appears once */
    for (const char *p = strstr(both.ptr, " id=\""); p; p = strstr(p + 1, " id=\"")) {
        const char *end = strchr(p + 5, '"');
        char *needle = xstrndup(p, (size_t)(end - p) + 1);
        ck_assert_msg(count(both.ptr, needle) == 1, "id repeated: %s", needle);
        free(needle);
    }
    buf_free(&both);
    done(&f);
}
END_TEST

START_TEST(test_diagrams_each_chart_scrolls_in_a_named_region_and_is_also_a_file_of_its_own)
{
    /* The definition takes the id the model page's own chart has too. */
    fixture f = make("diagrams/r.yaml", "id: rakenne-uusi\notsikko: Rakenne & muut\nnakyma: rakenne\nmalli: uusi\n", NULL);
    const char *h = diagrams_by_id(f.dg, "rakenne-uusi");
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(strstr(h, "<div class=\"kaavio-kuva\" role=\"region\" tabindex=\"0\" "
                                    "aria-label=\"Rakenne &amp; muut\"><svg "));
    ck_assert_ptr_nonnull(strstr(h, "<a href=\"/kaaviot/rakenne-uusi.svg\">Avaa kaavio omalle sivulleen</a>"));
    const char *page = diagrams_for_page(f.dg, "yhteistyorakenne/uusi/");
    ck_assert_ptr_nonnull(page);
    ck_assert_ptr_nonnull(strstr(page, "<a href=\"/kaaviot/rakenne-uusi-2.svg\">"));
    size_t n = diagrams_file_count(f.dg);
    ck_assert_uint_ge(n, 2);
    bool first = false, second = false;
    for (size_t i = 0; i < n; i++) {
        const char *data;
        size_t len;
        const char *path = diagrams_file_at(f.dg, i, &data, &len);
        ck_assert_int_eq(strncmp(path, "kaaviot/", 8), 0);
        ck_assert_uint_eq(strlen(data), len);
        static const char prolog[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                     "<?xml-stylesheet type=\"text/css\" href=\"/tyyli.css\"?>\n<svg ";
        ck_assert_int_eq(strncmp(data, prolog, sizeof prolog - 1), 0);
        ck_assert_ptr_nonnull(strstr(data, "xmlns=\"http://www.w3.org/2000/svg\""));
        first |= !strcmp(path, "kaaviot/rakenne-uusi.svg") && strstr(data, "Rakenne &amp; muut") != NULL;
        second |= !strcmp(path, "kaaviot/rakenne-uusi-2.svg");
        for (size_t j = 0; j < i; j++) {
            const char *other_data;
            size_t other_len;
            ck_assert_str_ne(path, diagrams_file_at(f.dg, j, &other_data, &other_len));
        }
    }
    ck_assert(first && second);
    done(&f);
}
END_TEST

START_TEST(test_diagrams_definition_mistakes_are_reported_at_their_place)
{
    fixture f = make("diagrams/x.yaml", "id: x\notsikko: X\nnakyma: rakene\nmalli: uusi\n", "diagrams/y.yaml",
                     "id: y\notsikko: Y\nnakyma: rakenne\nmalli: usi\n", "diagrams/z.yaml",
                     "id: z\notsikko: Z\nnakyma: toimija\ntoimija: kunta-c\nvari: punainen\n", "content/k.md",
                     "---\ntitle: K\n---\nTeksti.\n\n```kaavio rakene\n```\n", NULL);
    ck_assert(has_diag(f.d, "diagrams/x.yaml:3:9: error: unknown view 'rakene' (views: rakenne, toimija, "
                            "lakiperusta, organisaatio, vertailu, vuosikello, aikajana; did you mean 'rakenne'?)"));
    ck_assert(has_diag(f.d, "diagrams/y.yaml:4:8: error: unknown model 'usi' (did you mean 'uusi'?)"));
    ck_assert(has_diag(f.d, "diagrams/z.yaml:4:10: error: unknown party, group or role 'kunta-c' (did you mean "
                            "'kunta-a'?)"));
    ck_assert(has_diag(f.d, "diagrams/z.yaml:5:1: error: unknown key 'vari' in a diagram definition (did you mean "
                            "'varit'?)"));
    ck_assert(has_diag(f.d, "content/k.md:6:1: error: unknown diagram 'rakene' (diagrams are defined in "
                            "diagrams/*.yaml)"));
    done(&f);
}
END_TEST

/* A party whose id was refused is reported once, where its id is written:
 * a diagram that names it by that id adds nothing, another unknown id does. */
START_TEST(test_diagrams_refused_id_is_not_reported_again)
{
    fixture f = make("content/data/toimijat.yaml",
                     "toimijat:\n  - id: hva\n    nimi: H\n    laji: hyvinvointialue\n"
                     "  - id: Kunta C\n    nimi: C\n    laji: kunta\n",
                     "diagrams/z.yaml", "id: z\notsikko: Z\nnakyma: toimija\ntoimija: Kunta C\n", "diagrams/w.yaml",
                     "id: w\notsikko: W\nnakyma: toimija\ntoimija: kunta-d\n", NULL);
    ck_assert(has_diag(f.d, "content/data/toimijat.yaml:5:9: error: malformed id 'Kunta C' (use lower-case "
                            "letters a-z, digits and '-', e.g. 'hyte-neuvottelu')"));
    ck_assert(has_diag(f.d, "diagrams/w.yaml:4:10: error: unknown party, group or role 'kunta-d'"));
    for (size_t i = 0; i < diag_count(f.d); i++) { /* nothing about diagrams/z.yaml */
        const char *path = diag_at(f.d, i)->path;
        ck_assert_msg(!path || strcmp(path, "diagrams/z.yaml"), "%s", diag_at(f.d, i)->message);
    }
    done(&f);
}
END_TEST

START_TEST(test_diagrams_dot_blocks_are_drawn_and_their_errors_point_into_the_page)
{
    fixture f = make("content/d.md",
                     "---\ntitle: D\n---\nAlku.\n\n```dot\ndigraph { a -> b }\n```\n\n```dot\ndigraph { a -> }\n```\n",
                     NULL);
    const char *h = diagrams_block(f.dg, "content/d.md", 0);
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(strstr(h, "<svg"));
    ck_assert_ptr_nonnull(strstr(h, "digraph { a -&gt; b }"));
    ck_assert_ptr_null(diagrams_block(f.dg, "content/d.md", 1));
    ck_assert_uint_eq(diag_errors(f.d), 1);
    char *msg = tu_diag(f.d, diag_count(f.d) - 1);
    ck_assert_ptr_nonnull(strstr(msg, "content/d.md:11:"));
    ck_assert_ptr_nonnull(strstr(msg, "error: DOT syntax error"));
    free(msg);
    done(&f);
}
END_TEST

START_TEST(test_diagrams_lines_and_own_colours_have_enough_contrast)
{
    ck_assert(diagrams_contrast("#ffffff") < 1.01);
    ck_assert(diagrams_contrast("#000000") > 20.9);
    ck_assert(diagrams_contrast("#767676") >= 4.5);
    ck_assert(diagrams_contrast("blue") == 0);
    fixture f = make("diagrams/r.yaml",
                     "id: r\notsikko: R\nnakyma: rakenne\nmalli: uusi\nvarit: {strateginen: \"#7a0000\"}\n",
                     "diagrams/v.yaml",
                     "id: v\notsikko: V\nnakyma: rakenne\nmalli: uusi\nvarit: {kumppanuus: \"#ffdd00\", tasot: \"#000000\"}\n",
                     NULL);
    ck_assert(has_diag(f.d, "diagrams/v.yaml:5:21: error: colour #ffdd00 has contrast 1.35:1 against white; lines "
                            "and shapes need at least 3:1 (WCAG 2.1, 1.4.11): use a darker colour"));
    ck_assert(has_diag(f.d, "diagrams/v.yaml:5:32: error: unknown key 'tasot' in 'varit' (known keys: poliittinen, "
                            "strateginen, johto, operatiivinen, asiantuntijaverkosto, kumppanuus, hyvinvointialue, "
                            "kunta, maakuntaliitto, jarjesto, seurakunta, oppilaitos, yritys, viranomainen, toimielin, "
                            "asukkaat, muu)"));
    const char *h = diagrams_by_id(f.dg, "r");
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(strstr(h, "stroke=\"#7a0000\""));
    /* every line colour drawn stands out from the white page */
    for (const char *p = strstr(h, "stroke=\"#"); p; p = strstr(p + 1, "stroke=\"#")) {
        char hex[8];
        memcpy(hex, p + 8, 7);
        hex[7] = '\0';
        ck_assert_msg(diagrams_contrast(hex) >= 3.0, "line colour %s below 3:1", hex);
    }
    done(&f);
}
END_TEST

START_TEST(test_diagrams_wrap_breaks_between_words_and_counts_characters)
{
    static const struct {
        const char *in;
        size_t width;
        const char *out;
    } cases[] = {
        {"Kuntien ja hyvinvointialueen neuvottelu", 20, "Kuntien ja\nhyvinvointialueen\nneuvottelu"},
        {"Hyvä yö äiti öljy", 9, "Hyvä yö\näiti öljy"}, /* 9 characters, 11 bytes: one line each */
        {"  monta   välilyöntiä\n ja rivi  ", 30, "monta välilyöntiä ja rivi"},
        {"Hyvinvointikoordinaattoriverkosto", 12, "Hyvinvointi-\nkoordinaatt-\noriverkosto"},
        {"Hyte-asiantuntijaverkosto", 24, "Hyte-\nasiantuntijaverkosto"},
        {"ääääääää", 4, "äää-\näää-\nää"},
        {"", 10, ""},
        {NULL, 10, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *w = diagrams_wrap(cases[i].in, cases[i].width);
        ck_assert_msg(!strcmp(w, cases[i].out), "case %zu: got '%s'", i, w);
        free(w);
    }
    /* an emoji sequence (family: ZWJs, skin tones) is never cut inside */
    const char *family = "👩🏽‍👩🏽‍👧🏽‍👦🏽👩🏽‍👩🏽‍👧🏽‍👦🏽";
    char *w = diagrams_wrap(family, 3);
    ck_assert_ptr_nonnull(strstr(w, "👩🏽‍👩🏽‍👧🏽‍👦🏽"));
    free(w);
}
END_TEST

/* The x of the first SVG <text> showing label. */
static double text_x(const char *h, const char *label)
{
    char *needle = xasprintf(">%s</text>", label);
    const char *at = strstr(h, needle);
    free(needle);
    ck_assert_msg(at != NULL, "no text '%s'", label);
    const char *t = at;
    while (t > h && strncmp(t, "<text", 5))
        t--;
    const char *x = strstr(t, " x=\"");
    return x && x < at ? atof(x + 4) : -1;
}

/* The natural width of the first SVG of h, in pt. */
static double svg_width(const char *h)
{
    const char *w = strstr(h, "<svg");
    w = w ? strstr(w, " width=\"") : NULL;
    ck_assert_ptr_nonnull(w);
    return atof(w + 8);
}

START_TEST(test_diagrams_structure_chart_puts_conveners_in_boxes_columns_in_order_and_legend_in_html)
{
    fixture f = make("content/data/mallit/kolmas.yaml",
                     "malli:\n  id: kolmas\n  nimi: Kolmas\n  alue: Testi\n  tila: luonnos\n"
                     "foorumit:\n  - id: yksi\n    nimi: Yksi\n    taso: strateginen\n    kutsuja: hva-lautakunta\n"
                     "    osallistujat: [jarjesto-x, kunta-a]\n    tiheys: 1/vuosi\n"
                     "  - id: kaksi\n    nimi: Kaksi\n    taso: strateginen\n    kutsuja: hva-lautakunta\n"
                     "    osallistujat: [kunta-b, kunta-x]\n    tiheys: 1/vuosi\n",
                     "diagrams/k.yaml", "id: k\notsikko: K\nnakyma: rakenne\nmalli: kolmas\n", NULL);
    ck_assert_uint_eq(diag_errors(f.d), 0);
    const char *h = diagrams_by_id(f.dg, "k");
    ck_assert_ptr_nonnull(h);
    /* the convener is named inside the forum's box, not on its lines */
    ck_assert_ptr_nonnull(strstr(h, ">Koolle: Hyte-lautakunta</text>"));
    const char *svg_end = strstr(h, "</svg>");
    const char *said = strstr(h, ">kutsuu koolle<");
    ck_assert(!said || said > svg_end);
    /* parties on exactly the same forums are one node */
    ck_assert_ptr_nonnull(strstr(h, ">Beetala, Muualta</text>"));
    ck_assert_ptr_nonnull(strstr(h, "xlink:title=\"Beetala, Muualta\""));
    /* welfare area, municipalities, everyone else: left to right */
    ck_assert(text_x(h, "Hyte-lautakunta") < text_x(h, "Aakkola"));
    ck_assert(text_x(h, "Aakkola") < text_x(h, "Järjestö X"));
    /* tooltips are names people read, never node names */
    ck_assert_ptr_nonnull(strstr(h, "xlink:title=\"Aakkola osallistuu: Yksi\""));
    ck_assert_ptr_nonnull(strstr(h, "xlink:title=\"Hyte-lautakunta kutsuu koolle: Kaksi\""));
    ck_assert_ptr_null(strstr(h, "xlink:title=\"f:"));
    ck_assert_ptr_null(strstr(h, "xlink:title=\"t:"));
    ck_assert_ptr_null(strstr(h, "xlink:title=\"m"));
    /* the legend is HTML under the picture, before the caption; osallistuu hollow */
    ck_assert_ptr_null(strstr(h, ">Selite<"));
    const char *legend = strstr(h, "<ul class=\"kaavio-selite\">");
    ck_assert_ptr_nonnull(legend);
    ck_assert(legend > svg_end && legend < strstr(h, "<figcaption>"));
    ck_assert_ptr_nonnull(strstr(legend, "stroke-dasharray=\"5,2\"/><polygon points=\"29,4 39,8 29,12\" "
                                         "fill=\"none\" stroke=\"#4d4d4d\"/></svg> osallistuu</li>"));
    /* no text under 12 pt */
    for (const char *p = strstr(h, "font-size=\""); p && p < svg_end; p = strstr(p + 1, "font-size=\""))
        ck_assert_msg(atof(p + 11) >= 12.0, "font-size %.2f", atof(p + 11));
    done(&f);
}
END_TEST

START_TEST(test_diagrams_hostile_models_still_give_charts_at_most_4000_pt_wide)
{
    buf_t y = BUF_INIT;
    buf_puts(&y, "malli:\n  id: iso\n  nimi: Iso\n  alue: Testi\n  tila: luonnos\nfoorumit:\n");
    for (int i = 0; i < 40; i++) /* 40 forums on one level, kunta-a on 30 of them */
        buf_printf(&y, "  - id: f%d\n    nimi: Foorumi numero %d\n    taso: strateginen\n    kutsuja: hva\n"
                       "    osallistujat: [%s]\n    tiheys: 1/vuosi\n",
                   i, i, i < 30 ? "kunta-a, jarjesto-x" : "kunta-b");
    buf_puts(&y, "  - id: pitka\n    nimi: \"");
    for (int i = 0; i < 20; i++)
        buf_puts(&y, i % 3 ? "Yhteistyö " : "Hyvinvointialueyhteistyöneuvottelukunta ");
    buf_puts(&y, "\"\n    taso: operatiivinen\n    kutsuja: hva\n    osallistujat: [kunta-x]\n    tiheys: 1/vuosi\n"
                 "  - id: emoji\n    nimi: \"👩🏽‍👩🏽‍👧🏽‍👦🏽🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉\"\n"
                 "    taso: kumppanuus\n    kutsuja: jarjesto-x\n    osallistujat: [kunta-a]\n    tiheys: 1/vuosi\n");
    buf_cstr(&y);
    fixture f = make("content/data/mallit/iso.yaml", y.ptr, "diagrams/i.yaml",
                     "id: i\notsikko: I\nnakyma: rakenne\nmalli: iso\n", "diagrams/t.yaml",
                     "id: t\notsikko: T\nnakyma: toimija\ntoimija: kunta-a\n", NULL);
    buf_free(&y);
    ck_assert_uint_eq(diag_errors(f.d), 0);
    static const char *const ids[] = {"i", "t"};
    for (size_t i = 0; i < 2; i++) {
        const char *h = diagrams_by_id(f.dg, ids[i]);
        ck_assert_ptr_nonnull(h);
        double w = svg_width(h);
        ck_assert_msg(w > 0 && w <= 4000, "%s is %.0f pt wide", ids[i], w);
    }
    const char *page = diagrams_for_page(f.dg, "yhteistyorakenne/iso/");
    ck_assert_ptr_nonnull(page);
    ck_assert(svg_width(page) <= 4000);
    done(&f);
}
END_TEST

int main(void)
{
    md_global_init();
    Suite *s = suite_create("diagrams");
    TCase *tc = tcase_create("diagrams");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_diagrams_structure_chart_shows_forums_conveners_and_text);
    tcase_add_test(tc, test_diagrams_pages_get_party_model_and_comparison_charts);
    tcase_add_test(tc, test_diagrams_legal_basis_chart_highlights_unmet_duties);
    tcase_add_test(tc, test_diagrams_ids_are_unique_across_diagrams_of_a_page);
    tcase_add_test(tc, test_diagrams_each_chart_scrolls_in_a_named_region_and_is_also_a_file_of_its_own);
    tcase_add_test(tc, test_diagrams_definition_mistakes_are_reported_at_their_place);
    tcase_add_test(tc, test_diagrams_refused_id_is_not_reported_again);
    tcase_add_test(tc, test_diagrams_dot_blocks_are_drawn_and_their_errors_point_into_the_page);
    tcase_add_test(tc, test_diagrams_lines_and_own_colours_have_enough_contrast);
    tcase_add_test(tc, test_diagrams_wrap_breaks_between_words_and_counts_characters);
    tcase_add_test(tc, test_diagrams_structure_chart_puts_conveners_in_boxes_columns_in_order_and_legend_in_html);
    tcase_add_test(tc, test_diagrams_hostile_models_still_give_charts_at_most_4000_pt_wide);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
