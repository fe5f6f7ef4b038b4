/* Tests of the structure model: validation messages, backlinks, coverage, comparison. */
#include "../generator/2-model/model.h"
#include "testutil.h"

typedef struct {
    src_tree *src;
    model *m;
    diag_list *d;
} fixture;

static fixture load(const char *dir)
{
    fixture f = {NULL, NULL, diag_list_new()};
    f.src = src_load(dir, f.d);
    ck_assert_ptr_nonnull(f.src);
    f.m = model_new(f.src, f.d);
    return f;
}

static void done(fixture *f)
{
    model_free(f->m);
    src_free(f->src);
    diag_list_free(f->d);
}

/* True when some diagnostic prints exactly as expected (order is not the point here). */
static bool has_diag(const diag_list *d, const char *expected)
{
    for (size_t i = 0; i < diag_count(d); i++) {
        char *s = tu_diag(d, i);
        bool same = !strcmp(s, expected);
        free(s);
        if (same)
            return true;
    }
    return false;
}

#define ck_assert_has_diag(d, msg)                                                                \
    do {                                                                                          \
        if (!has_diag(d, msg)) {                                                                  \
            for (size_t i_ = 0; i_ < diag_count(d); i_++) {                                       \
                char *s_ = tu_diag(d, i_);                                                        \
                fprintf(stderr, "  have: %s\n", s_);                                              \
                free(s_);                                                                         \
            }                                                                                     \
            ck_abort_msg("missing diagnostic: %s", msg);                                          \
        }                                                                                         \
    } while (0)

static const val *by_id(const val *list, const char *id)
{
    for (size_t i = 0; i < val_len(list); i++)
        if (!strcmp(val_get_str(val_at(list, i), "id"), id))
            return val_at(list, i);
    return NULL;
}

static const val *model_entry(const val *obl, const char *model_id)
{
    const val *per = val_get(obl, "mallit");
    for (size_t i = 0; i < val_len(per); i++) {
        const val *mo = val_get(val_at(per, i), "malli");
        if (val_kind_of(mo) == VAL_NULL)
            mo = NULL; /* documents and bodies: no model */
        if (!model_id ? !mo : mo && !strcmp(val_get_str(mo, "id"), model_id))
            return val_at(per, i);
    }
    return NULL;
}

START_TEST(test_model_fixture_loads_with_only_true_findings)
{
    fixture f = load("tests/fixtures/model");
    ck_assert_uint_eq(diag_errors(f.d), 0);
    ck_assert_uint_eq(diag_warnings(f.d), 3);
    ck_assert_has_diag(f.d, "content/data/lait.yaml:24:13: warning: obligation 'o-year' (612/2021 7 § 4 mom) "
                            "is not met by the current model 'vanha' (the coverage page lists what is missing)");
    ck_assert_has_diag(f.d, "content/data/lait.yaml:31:13: warning: obligation 'o-report' (612/2021 7 §) "
                            "is not met (the coverage page lists what is missing)");
    done(&f);
}
END_TEST

/* A text may be one per language: the default's is the text, the others
 * beside it; each text lacking a language is warned about and counted. */
START_TEST(test_model_texts_per_language)
{
    fixture f = load("tests/fixtures/kaksikielinen");
    ck_assert_uint_eq(diag_errors(f.d), 0);
    const val *data = model_data(f.m);
    const val *hva = by_id(val_get(data, "toimijat"), "hva");
    ck_assert_ptr_nonnull(hva);
    ck_assert_str_eq(val_get_str(hva, "nimi"), "Pohjois-Karjalan hyvinvointialue");
    ck_assert_str_eq(val_get_str(val_get(hva, "nimi_kielet"), "sv"), "Välfärdsområdet i Norra Karelen");
    ck_assert_ptr_null(val_get(hva, "lyhenne_kielet"));
    ck_assert_has_diag(f.d, "content/data/toimijat.yaml:4:14: warning: no Swedish (sv) text for this value");
    ck_assert_has_diag(f.d, "content/data/mallit/nykyinen.yaml:16:9: warning: no Swedish (sv) text for this value");
    ck_assert_has_diag(f.d, "content/data/vuosikello.yaml:9:11: warning: no Swedish (sv) text for this value");
    ck_assert_uint_eq(diag_warnings(f.d), 4); /* the built-in statutes are not the site's to translate */
    ck_assert_uint_eq(model_untranslated(f.m, "sv"), 4);
    ck_assert_uint_eq(model_untranslated(f.m, "fi"), 0);
    const char *expl;
    bool abbr;
    const char *anchor;
    ck_assert_str_eq(model_term(f.m, 0, &expl, &abbr, &anchor), "HVA");
    ck_assert_str_eq(expl, "Hyvinvointialue");
    done(&f);
}
END_TEST

/* The model seen in the site's other language: its texts where given, else
 * the default's with <key>_lang naming it, its catalog's labels, its pages
 * under "sv/"; the site's own model stays as it was, and the views report nothing. */
START_TEST(test_model_seen_in_each_language)
{
    fixture f = load("tests/fixtures/kaksikielinen");
    ck_assert_uint_eq(diag_errors(f.d), 0);
    ck_assert_uint_eq(diag_warnings(f.d), 4); /* (test_model_texts_per_language's four) */
    ck_assert_ptr_eq(model_lang(f.m, 0), f.m);
    ck_assert_ptr_null(model_lang(f.m, 2));
    const model *sv = model_lang(f.m, 1);
    ck_assert_ptr_nonnull(sv);
    const val *hva = val_get(val_get(model_data(sv), "toimija"), "hva");
    ck_assert_str_eq(val_get_str(hva, "nimi"), "Välfärdsområdet i Norra Karelen");
    ck_assert_int_eq(val_kind_of(val_get(hva, "nimi_lang")), VAL_BOOL);
    ck_assert(!val_as_bool(val_get(hva, "nimi_lang")));
    ck_assert_str_eq(val_get_str(hva, "lyhenne"), "Siun sote");
    ck_assert_str_eq(val_get_str(hva, "lyhenne_lang"), "fi");
    ck_assert_str_eq(val_get_str(hva, "laji_nimi"), "välfärdsområde");
    ck_assert_str_eq(val_get_str(hva, "url"), "sv/toimijat/hva/");
    const val *joensuu = val_get(val_get(model_data(sv), "toimija"), "joensuu");
    ck_assert_str_eq(val_get_str(joensuu, "nimi"), "Joensuu");
    ck_assert_str_eq(val_get_str(joensuu, "nimi_lang"), "fi");
    const val *aiheet = val_get(val_at(val_get(hva, "kutsuu"), 0), "aiheet");
    ck_assert_str_eq(val_get_str(val_at(aiheet, 0), "teksti"), "Välfärdsberättelse");
    ck_assert(!val_as_bool(val_get(val_at(aiheet, 0), "teksti_lang")));
    ck_assert_str_eq(val_get_str(val_at(aiheet, 1), "teksti"), "Talous");
    ck_assert_str_eq(val_get_str(val_at(aiheet, 1), "teksti_lang"), "fi");
    const val *s14 = val_get(val_get(model_data(sv), "pykala"), "611-2021-14");
    ck_assert_str_eq(val_get_str(s14, "nimi"), "611/2021 14 § Samarbete mellan välfärdsområdet och kommunerna");
    const char *expl, *anchor;
    bool abbr;
    ck_assert_str_eq(model_term(sv, 0, &expl, &abbr, &anchor), "VFO");
    ck_assert_str_eq(expl, "Välfärdsområde");
    ck_assert_str_eq(anchor, "hva"); /* ids are shared */
    /* the same pages, in the same order, under sv/ */
    ck_assert_uint_eq(model_page_count(sv), model_page_count(f.m));
    for (size_t i = 0; i < model_page_count(f.m); i++) {
        char *want = xasprintf("sv/%s", model_page_at(f.m, i)->url);
        ck_assert_str_eq(model_page_at(sv, i)->url, want);
        ck_assert_str_eq(model_page_at(sv, i)->layout, model_page_at(f.m, i)->layout);
        free(want);
    }
    /* the site's own model: its texts, nothing marked */
    const val *own = val_get(val_get(model_data(f.m), "toimija"), "joensuu");
    ck_assert_ptr_null(val_get(own, "nimi_lang"));
    ck_assert_str_eq(val_get_str(own, "url"), "toimijat/joensuu/");
    done(&f);
    fixture one = load("tests/fixtures/model");
    ck_assert_ptr_eq(model_lang(one.m, 0), one.m);
    ck_assert_ptr_null(model_lang(one.m, 1));
    done(&one);
}
END_TEST

START_TEST(test_model_derives_backlinks_both_ways)
{
    fixture f = load("tests/fixtures/model");
    const val *data = model_data(f.m);
    const val *hva = val_get(val_get(data, "toimija"), "hva");
    ck_assert_str_eq(val_get_str(hva, "url"), "toimijat/hva/");
    /* convenes two forums of the old model and three of the new one */
    ck_assert_uint_eq(val_len(val_get(hva, "kutsuu")), 5);
    ck_assert_str_eq(val_get_str(val_at(val_get(hva, "roolit"), 0), "id"), "hytepaallikko");
    ck_assert_str_eq(val_get_str(val_at(val_get(hva, "elimet"), 0), "id"), "hva-lautakunta");
    ck_assert_uint_eq(val_len(val_get(hva, "asiakirjat")), 2);
    /* a member of a convening group is listed as convening too */
    const val *a = val_get(val_get(data, "toimija"), "kunta-a");
    ck_assert_str_eq(val_get_str(val_at(val_get(a, "kutsuu"), 0), "id"), "vanha/hyte");
    ck_assert_str_eq(val_get_str(val_at(val_get(a, "ryhmat"), 0), "id"), "kunnat");
    /* a law section lists the forums and documents that rest on it */
    const val *s14 = val_get(val_get(data, "pykala"), "611-2021-14");
    ck_assert_uint_eq(val_len(val_get(s14, "foorumit")), 2);
    const val *s7 = val_get(val_get(data, "pykala"), "612-2021-7");
    ck_assert_str_eq(val_get_str(val_at(val_get(s7, "asiakirjat"), 0), "id"), "raportti-hva");
    ck_assert_str_eq(val_get_str(val_at(val_get(s7, "toimijat"), 0), "id"), "hva-lautakunta");
    /* a document knows the forums that produce it and its events */
    const val *sop = val_get(val_get(data, "asiakirja"), "sopimus");
    ck_assert_uint_eq(val_len(val_get(sop, "tuottajat")), 2);
    ck_assert_str_eq(val_get_str(val_at(val_get(sop, "tapahtumat"), 0), "id"), "lausunnot");
    done(&f);
}
END_TEST

START_TEST(test_model_describes_values_for_readers)
{
    fixture f = load("tests/fixtures/model");
    const val *data = model_data(f.m);
    const val *uusi = val_get(val_get(data, "malli"), "uusi");
    const val *hyte = by_id(val_get(uusi, "foorumit"), "uusi/hyte");
    ck_assert_str_eq(val_get_str(hyte, "tiheys_teksti"), "kerran vuodessa");
    ck_assert_str_eq(val_get_str(hyte, "ajoitus_teksti"), "syyskuu, lokakuu");
    ck_assert_str_eq(val_get_str(hyte, "taso_nimi"), "Operatiivinen taso");
    ck_assert_str_eq(val_get_str(hyte, "url"), "yhteistyorakenne/uusi/hyte/");
    ck_assert_str_eq(val_get_str(val_get(hyte, "malli"), "id"), "uusi");
    const val *tasot = val_get(uusi, "tasot");
    ck_assert_uint_eq(val_len(tasot), 3);
    ck_assert_str_eq(val_get_str(val_at(tasot, 0), "nimi"), "Strateginen taso");
    const val *sop = val_get(val_get(data, "asiakirja"), "sopimus");
    ck_assert_str_eq(val_get_str(sop, "laadittu_teksti"), "marraskuu 2024");
    ck_assert_str_eq(val_get_str(sop, "tila_nimi"), "lausunnolla");
    const val *months = val_get(data, "kuukaudet");
    ck_assert_uint_eq(val_len(months), 12);
    ck_assert_uint_eq(val_len(val_get(val_at(months, 8), "tapahtumat")), 1);  /* syyskuu */
    ck_assert_uint_eq(val_len(val_get(val_at(months, 10), "tapahtumat")), 1); /* marraskuu: one-off */
    const val *ms = val_get(data, "virstanpylvaat");
    ck_assert_str_eq(val_get_str(val_at(ms, 0), "id"), "kausi"); /* sorted by start */
    const val *task = val_at(val_get(val_at(val_get(data, "taulukot"), 0), "tehtavat"), 1);
    const val *cells = val_get(task, "solut");
    ck_assert_uint_eq(val_len(cells), 2);
    ck_assert_str_eq(val_get_str(val_at(cells, 0), "rooli"), "vastaa");
    ck_assert_ptr_null(val_get(val_at(cells, 1), "rooli"));
    const val *terms = val_get(data, "termit");
    ck_assert_str_eq(val_get_str(val_at(terms, 0), "termi"), "HVA");
    ck_assert_str_eq(val_get_str(val_at(terms, 1), "ankkuri"), "yhdyspinta");
    done(&f);
}
END_TEST

START_TEST(test_model_coverage_names_fulfillers_and_gaps)
{
    fixture f = load("tests/fixtures/model");
    const val *obls = val_get(model_data(f.m), "velvoitteet");
    ck_assert_uint_eq(val_len(obls), 5);
    const val *term = by_id(obls, "o-term");
    ck_assert(val_as_bool(val_get(term, "taytetty"))); /* Muualta is of another region */
    ck_assert_str_eq(val_get_str(val_at(val_get(term, "tayttajat"), 0), "id"), "vanha/neuvottelu");
    const val *year = by_id(obls, "o-year");
    ck_assert(!val_as_bool(val_get(year, "taytetty")));
    const val *old = model_entry(year, "vanha");
    ck_assert_str_eq(val_as_str(val_at(val_get(old, "puutteet"), 0)),
                     "Hyte-neuvottelu: kutsujana on kunta, vaaditaan hyvinvointialue");
    const val *now = model_entry(year, "uusi");
    ck_assert(val_as_bool(val_get(now, "taytetty")));
    ck_assert_str_eq(val_get_str(val_at(val_get(now, "tayttajat"), 0), "id"), "uusi/hyte");
    const val *report = by_id(obls, "o-report");
    ck_assert_str_eq(val_as_str(val_at(val_get(model_entry(report, NULL), "puutteet"), 0)),
                     "kunta: ei asiakirjaa, joka perustuisi tähän pykälään");
    ck_assert_str_eq(val_get_str(val_at(val_get(report, "tayttajat"), 0), "id"), "raportti-hva");
    ck_assert(val_as_bool(val_get(by_id(obls, "o-body"), "taytetty")));
    /* a yearly report is not the welfare plan the duty asks for */
    const val *plan = by_id(obls, "o-plan");
    ck_assert(!val_as_bool(val_get(plan, "taytetty")));
    ck_assert_str_eq(val_as_str(val_at(val_get(model_entry(plan, NULL), "puutteet"), 0)),
                     "hyvinvointialue: ei asiakirjaa, joka perustuisi tähän pykälään");
    done(&f);
}
END_TEST

START_TEST(test_model_compare_lists_added_removed_and_changed_fields)
{
    fixture f = load("tests/fixtures/model");
    const val *cmp = val_at(val_get(model_data(f.m), "vertailut"), 0);
    ck_assert_str_eq(val_get_str(cmp, "url"), "yhteistyorakenne/vertailu-vanha-uusi/");
    ck_assert_str_eq(val_get_str(val_at(val_get(cmp, "lisatyt"), 0), "id"), "uusi/verkosto");
    ck_assert_str_eq(val_get_str(val_at(val_get(cmp, "poistetut"), 0), "id"), "vanha/vanha-ryhma");
    const val *changed = val_get(cmp, "muuttuneet");
    ck_assert_uint_eq(val_len(changed), 2);
    const val *c0 = val_at(val_get(val_at(changed, 0), "muutokset"), 0);
    ck_assert_str_eq(val_get_str(c0, "kentta"), "Kokoontumistiheys");
    ck_assert_str_eq(val_get_str(c0, "vanha"), "kerran valtuustokaudessa");
    ck_assert_str_eq(val_get_str(c0, "uusi"), "kerran vuodessa");
    const val *c1 = val_get(val_at(changed, 1), "muutokset");
    ck_assert_str_eq(val_get_str(val_at(c1, 0), "kentta"), "Koollekutsuja");
    ck_assert_str_eq(val_get_str(val_at(c1, 0), "vanha"), "Alueen kunnat");
    ck_assert_str_eq(val_get_str(val_at(c1, 0), "uusi"), "Testin hyvinvointialue");
    ck_assert_uint_eq(val_len(val_get(cmp, "ennallaan")), 0);
    done(&f);
}
END_TEST

START_TEST(test_model_pages_and_entity_links)
{
    fixture f = load("tests/fixtures/model");
    ck_assert_uint_eq(model_page_count(f.m), 22);
    const char *url, *hint;
    ck_assert(model_link(f.m, "foorumi", "uusi/hyte", &url, &hint));
    ck_assert_str_eq(url, "yhteistyorakenne/uusi/hyte/");
    ck_assert(model_link(f.m, "pykala", "611-2021-14", &url, &hint));
    ck_assert_str_eq(url, "lainsaadanto/611-2021-14/");
    ck_assert(model_link(f.m, "toimija", "kunta-c", &url, &hint));
    ck_assert_ptr_null(url);
    ck_assert_str_eq(hint, "kunta-a");
    ck_assert(!model_link(f.m, "https", "//x", &url, &hint));
    done(&f);
}
END_TEST

/* A data set with one mistake of each kind. */
static char *bad_site(void)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "site.yaml", "title: x\n");
    tu_write(dir, "content/data/toimijat.yaml",
             "toimijat:\n"
             "  - id: hva\n    nimi: HVA\n    laji: hyvinvointialue\n"
             "  - id: kuntaliitto\n    nimi: Kuntaliitto\n    laji: kuntaa\n"
             "  - id: hva\n    nimi: Toinen\n    laji: kunta\n"
             "  - id: elin\n    nimi: Elin\n    laji: toimielin\n"
             "  - id: a\n    nimi: A\n    laji: toimielin\n    osa: b\n"
             "  - id: b\n    nimi: B\n    laji: toimielin\n    osa: a\n"
             "  - id: Iso Kirjain\n    nimi: X\n    laji: kunta\n"
             "roolit:\n"
             "  - id: paallikko\n    nimi: Päällikkö\n    toimija: hva\n");
    tu_write(dir, "content/data/lait.yaml",
             "lait:\n  - numero: 611/2021\n    nimi: Laki\n    pykalat:\n      - pykala: 14\n"
             "        momentit: [a]\n");
    tu_write(dir, "content/data/mallit/m.yaml",
             "malli:\n  id: m\n  nimi: M\n  tila: voimassa\n  nykyinen: true\n"
             "foorumit:\n"
             "  - id: f1\n    nimi: F1\n    taso: strateginen\n    kutsuja: kuntaliito\n    tiheys: 1/vuosu\n"
             "    ajoitus: [9, 13]\n    lakiperusta: [\"611/2021 15 §\", \"611/2021 14 § 2 mom\", laki]\n"
             "    kutsja: x\n"
             "  - id: f2\n    nimi: F2\n    taso: strateginen\n    kutsuja: paallikko\n    tiheys: 1/vuosi\n"
             "  - id: f3\n    nimi: F3\n    tiheys: 1/vuosi\n    kutsuja: hva\n");
    tu_write(dir, "content/data/mallit/n.yaml",
             "malli:\n  id: n\n  nimi: N\n  tila: luonnos\n  nykyinen: true\n");
    tu_write(dir, "content/data/asiakirjat.yaml",
             "asiakirjat:\n  - id: d\n    nimi: D\n    laji: muu\n    omistaja: hva\n    tila: voimassa\n"
             "    laadittu: 2025-02-30\n");
    tu_write(dir, "content/data/vuosikello.yaml",
             "tapahtumat:\n  - id: e\n    nimi: E\n    foorumi: m/f9\n");
    tu_write(dir, "content/data/foorumit.yaml", "foorumit: []\n");
    return dir;
}

START_TEST(test_model_reports_each_mistake_with_its_position)
{
    char *dir = bad_site();
    fixture f = load(dir);
    ck_assert_has_diag(f.d, "content/data/toimijat.yaml:7:11: error: 'laji' cannot be 'kuntaa' (use one of: "
                            "hyvinvointialue, kunta, maakuntaliitto, jarjesto, seurakunta, oppilaitos, yritys, "
                            "viranomainen, toimielin, asukkaat, muu; did you mean 'kunta'?)");
    ck_assert_has_diag(f.d, "content/data/toimijat.yaml:8:9: error: duplicate id 'hva': the party is already "
                            "defined at content/data/toimijat.yaml:2:5");
    ck_assert_has_diag(f.d, "content/data/toimijat.yaml:13:11: error: a body of kind 'toimielin' must name "
                            "the organisation it belongs to with 'osa: …'");
    ck_assert_has_diag(f.d, "content/data/toimijat.yaml:17:10: error: 'osa' goes round in a circle: a → b → a");
    ck_assert_has_diag(f.d, "content/data/toimijat.yaml:22:9: error: malformed id 'Iso Kirjain' (use "
                            "lower-case letters a-z, digits and '-', e.g. 'hyte-neuvottelu')");
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:10:14: error: unknown party or group 'kuntaliito' "
                            "(did you mean 'kuntaliitto'?)");
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:11:13: error: malformed frequency '1/vuosu': the "
                            "period must be 'vuosi', 'valtuustokausi' or 'kuukausi', e.g. '1/vuosi'");
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:12:18: error: month 13 is out of range (months are 1–12)");
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:13:19: error: 611/2021 has no section 15 § in "
                            "lait.yaml (it has 14 §)");
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:13:36: error: 611/2021 14 § has no subsection 2 mom "
                            "(it has 1)");
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:13:59: error: malformed legal basis 'laki' (write "
                            "e.g. '611/2021 14 §' or '612/2021 7 § 4 mom', in quotes)");
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:14:5: error: unknown key 'kutsja' in a forum (did "
                            "you mean 'kutsuja'?)");
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:18:14: error: 'kutsuja' must name a party or group, "
                            "but 'paallikko' is a role");
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:20:5: error: a forum has no 'taso': add a line 'taso: …'");
    ck_assert_has_diag(f.d, "content/data/mallit/n.yaml:5:13: error: two models are marked 'nykyinen: true': "
                            "m and n (only one can be current)");
    ck_assert_has_diag(f.d, "content/data/asiakirjat.yaml:7:15: error: malformed date '2025-02-30' (write "
                            "YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2025-03-17)");
    ck_assert_has_diag(f.d, "content/data/vuosikello.yaml:2:5: error: an event needs 'kuukaudet: [..]' "
                            "(yearly) or 'alku: YYYY-MM-DD' (one-off)");
    ck_assert_has_diag(f.d, "content/data/vuosikello.yaml:4:14: error: unknown forum 'm/f9' (did you mean "
                            "'m/f1'?)");
    ck_assert_has_diag(f.d, "content/data/foorumit.yaml: error: unknown data file: content/data/ holds "
                            "toimijat.yaml, lait.yaml, asiakirjat.yaml, vuosikello.yaml, vastuunjako.yaml, "
                            "sanasto.yaml and mallit/*.yaml");
    ck_assert_uint_eq(diag_errors(f.d), 20); /* the circle is reported at both of its ends */
    done(&f);
    tu_rmdir(dir);
}
END_TEST

/* The site's own layouts/lait/kansalliset.yaml with no laws: the built-in
 * national statutes are left out, so that only the test's own law counts. */
static void no_national_laws(const char *dir)
{
    tu_write(dir, "layouts/lait/kansalliset.yaml", "lait: []\n");
}

/* A small site with a model file naming parties of toimijat.yaml, and a law
 * with an obligation that model does not meet; toimijat is the given text. */
static char *cascade_site(const char *toimijat)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "site.yaml", "title: x\n");
    no_national_laws(dir);
    tu_write(dir, "content/data/toimijat.yaml", toimijat);
    tu_write(dir, "content/data/lait.yaml",
             "lait:\n"
             "  - numero: \"611/2021\"\n    nimi: Laki\n    pykalat:\n"
             "      - pykala: \"14\"\n        otsikko: P\n        momentit: [a]\n"
             "        velvoitteet:\n          - id: o-x\n            kuvaus: K\n            velvollinen: [kunta]\n"
             "            tayttyy: foorumi\n            osallistujat: [jarjesto]\n            vahintaan: 1/vuosi\n");
    tu_write(dir, "content/data/mallit/m.yaml",
             "malli:\n  id: m\n  nimi: M\n  tila: voimassa\n  nykyinen: true\n"
             "foorumit:\n"
             "  - id: f1\n    nimi: F\n    taso: strateginen\n    kutsuja: hva\n"
             "    osallistujat: [hva, kunta-a]\n    tiheys: 1/vuosi\n    lakiperusta: [\"611/2021 14 §\"]\n");
    return dir;
}

/* With toimijat.yaml as text, the model of dir is incomplete and its only
 * diagnostic is want. */
static void only_error(const char *dir, const char *text, const char *want)
{
    tu_write(dir, "content/data/toimijat.yaml", text);
    fixture f = load(dir);
    ck_assert(model_incomplete(f.m));
    ck_assert_uint_eq(diag_count(f.d), 1);
    ck_assert_has_diag(f.d, want);
    done(&f);
}

/* A data file that cannot be read leaves out whatever it defines: the ids it
 * would have given are not reported as unknown, nor are obligations as unmet
 * (the editor fixes the first error first; the rest are reported then). */
START_TEST(test_model_holds_back_unknown_ids_while_a_file_is_broken)
{
    const char *good = "toimijat:\n  - id: hva\n    nimi: HVA\n    laji: hyvinvointialue\n"
                       "  - id: kunta-a\n    nimi: A\n    laji: kunta\n";
    char *dir = cascade_site(good);
    fixture f = load(dir);
    ck_assert(!model_incomplete(f.m));
    ck_assert_uint_eq(diag_errors(f.d), 0);
    ck_assert_uint_eq(diag_warnings(f.d), 1); /* o-x: no jarjesto takes part in f1 */
    done(&f);

    /* A quote left open, 'toimijat' not a list, a party without an id (any id
     * may have been meant): one error each, nothing else. */
    only_error(dir, "toimijat:\n  - id: hva\n    nimi: \"HVA\n    laji: hyvinvointialue\n",
               "content/data/toimijat.yaml:5:1: error: YAML syntax error: found unexpected end of stream "
               "while scanning a quoted scalar (close the quote that starts at line 3)");
    only_error(dir, "toimijat:\n  hva: HVA\n",
               "content/data/toimijat.yaml:2:3: error: 'toimijat' must be a list of entries ('- id: …')");
    only_error(dir, "toimijat:\n  - nimi: HVA\n    laji: hyvinvointialue\n",
               "content/data/toimijat.yaml:2:5: error: a party has no 'id': add a line 'id: …'");

    /* A too large data file is left out by the loader: the same again. */
    char *big = xmalloc(SRC_MAX_FILE + 2);
    memset(big, '#', SRC_MAX_FILE + 1);
    big[SRC_MAX_FILE + 1] = '\0';
    tu_write(dir, "content/data/toimijat.yaml", big);
    free(big);
    f = load(dir);
    ck_assert_uint_eq(src_dropped(f.src, SRC_DATA), 1);
    ck_assert(model_incomplete(f.m));
    ck_assert_uint_eq(diag_count(f.d), 1);
    ck_assert_has_diag(f.d, "content/data/toimijat.yaml: error: the file is larger than 16 MiB (the most "
                            "kasikirja reads from one source file)");
    done(&f);
    tu_rmdir(dir);
}
END_TEST

/* An id given in a refused form is reported once: naming it elsewhere is no
 * new mistake, but other unknown ids and unmet obligations still are. */
START_TEST(test_model_refused_id_is_not_reported_again_where_it_is_named)
{
    char *dir = cascade_site("toimijat:\n  - id: hva\n    nimi: HVA\n    laji: hyvinvointialue\n"
                             "  - id: Kunta A\n    nimi: A\n    laji: kunta\n");
    tu_write(dir, "content/data/vuosikello.yaml",
             "tapahtumat:\n  - id: e\n    nimi: E\n    kuukaudet: [3]\n    vastuu: Kunta A\n"
             "  - id: e2\n    nimi: E2\n    kuukaudet: [4]\n    vastuu: hvaa\n");
    tu_write(dir, "content/data/mallit/m.yaml",
             "malli:\n  id: m\n  nimi: M\n  tila: voimassa\n  nykyinen: true\n"
             "foorumit:\n"
             "  - id: f1\n    nimi: F\n    taso: strateginen\n    kutsuja: hva\n"
             "    osallistujat: [hva, Kunta A]\n    tiheys: 1/vuosi\n    lakiperusta: [\"611/2021 14 §\"]\n");
    fixture f = load(dir);
    ck_assert(!model_incomplete(f.m));
    ck_assert_has_diag(f.d, "content/data/toimijat.yaml:5:9: error: malformed id 'Kunta A' (use lower-case "
                            "letters a-z, digits and '-', e.g. 'hyte-neuvottelu')");
    ck_assert_has_diag(f.d, "content/data/vuosikello.yaml:9:13: error: unknown party, group or role 'hvaa' "
                            "(did you mean 'hva'?)");
    ck_assert_uint_eq(diag_errors(f.d), 2);
    ck_assert_uint_eq(diag_warnings(f.d), 1);
    done(&f);
    tu_rmdir(dir);
}
END_TEST

/* 'malli:' written as a list: that one error; the file's forums are left out
 * without a word, and what names them is not reported. */
/* A model with one forum, convened by conv, whose tiedossa list is gaps
 * (YAML lines from column 3, or ""): m.yaml's line 7 is the first of gaps. */
static void gap_model(const char *dir, const char *conv, const char *gaps)
{
    char text[1024];
    snprintf(text, sizeof text, "malli:\n  id: m\n  nimi: M\n  tila: voimassa\n  nykyinen: true\n"
                           "  tiedossa:\n%s"
                           "foorumit:\n"
                           "  - id: f1\n    nimi: F\n    taso: strateginen\n    kutsuja: %s\n"
                           "    osallistujat: [hva, kunta-a, jarjesto-a]\n    tiheys: 1/vuosi\n"
                           "    lakiperusta: [\"611/2021 14 §\"]\n",
                           gaps, conv);
    tu_write(dir, "content/data/mallit/m.yaml", text);
}

static const char *gap_parties = "toimijat:\n  - id: hva\n    nimi: HVA\n    laji: hyvinvointialue\n"
                                 "  - id: kunta-a\n    nimi: A\n    laji: kunta\n"
                                 "  - id: jarjesto-a\n    nimi: J\n    laji: jarjesto\n";

/* A gap recorded as known, with its reason, is no warning: --strict passes,
 * and the coverage shows the reason beside what is missing. */
START_TEST(test_model_known_gap_silences_its_warning_and_shows_its_reason)
{
    char *dir = cascade_site(gap_parties);
    gap_model(dir, "hva", "");
    fixture f = load(dir);
    ck_assert_uint_eq(diag_errors(f.d), 0);
    ck_assert_has_diag(f.d, "content/data/lait.yaml:9:13: warning: obligation 'o-x' (611/2021 14 §) is not met "
                            "by the current model 'm' (the coverage page lists what is missing)");
    done(&f);

    gap_model(dir, "hva", "    - velvoite: o-x\n      syy: \"Kunta ei vielä kutsu koolle.\"\n");
    f = load(dir);
    ck_assert_uint_eq(diag_count(f.d), 0);
    const val *data = model_data(f.m);
    const val *ox = by_id(val_get(data, "velvoitteet"), "o-x");
    ck_assert(!val_as_bool(val_get(ox, "taytetty")));
    ck_assert_str_eq(val_get_str(ox, "tiedossa_syy"), "Kunta ei vielä kutsu koolle.");
    const val *entry = model_entry(ox, "m");
    ck_assert_str_eq(val_get_str(entry, "tiedossa_syy"), "Kunta ei vielä kutsu koolle.");
    ck_assert_str_eq(val_as_str(val_at(val_get(entry, "puutteet"), 0)),
                     "F: kutsujana on hyvinvointialue, vaaditaan kunta");
    const val *mark = val_at(val_get(val_get(val_get(data, "malli"), "m"), "tiedossa"), 0);
    ck_assert_str_eq(val_get_str(val_get(mark, "velvoite"), "id"), "o-x");
    ck_assert_str_eq(val_get_str(mark, "syy"), "Kunta ei vielä kutsu koolle.");
    done(&f);
    tu_rmdir(dir);
}
END_TEST

/* A mark names an obligation that exists, gives a reason, and is removed
 * the day the obligation is met: it cannot go stale. */
START_TEST(test_model_known_gap_needs_a_known_unmet_obligation_and_a_reason)
{
    char *dir = cascade_site(gap_parties);
    gap_model(dir, "hva", "    - velvoite: o-y\n      syy: S\n");
    fixture f = load(dir);
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:7:17: error: unknown obligation 'o-y' (did you mean 'o-x'?)");
    done(&f);

    gap_model(dir, "hva", "    - velvoite: o-x\n");
    f = load(dir);
    ck_assert_uint_eq(diag_errors(f.d), 1);
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:7:7: error: a known gap has no 'syy': add a line 'syy: …'");
    done(&f);

    gap_model(dir, "hva", "    - velvoite: o-x\n      syy: \" \"\n");
    f = load(dir);
    ck_assert_uint_eq(diag_errors(f.d), 1);
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:8:12: error: 'syy' is empty: write why the obligation "
                            "is not met");
    done(&f);

    gap_model(dir, "hva", "    - velvoite: o-x\n      syy: S\n      syyt: T\n");
    f = load(dir);
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:9:7: error: unknown key 'syyt' in a known gap (did you "
                            "mean 'syy'?)");
    done(&f);

    /* convened by the municipality, with an association taking part, o-x is met */
    gap_model(dir, "kunta-a", "    - velvoite: o-x\n      syy: S\n");
    f = load(dir);
    ck_assert_uint_eq(diag_count(f.d), 1);
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:7:17: error: obligation 'o-x' is met now: remove it "
                            "from 'tiedossa'");
    done(&f);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_model_broken_model_header_hides_its_forums_quietly)
{
    char *dir = cascade_site("toimijat:\n  - id: hva\n    nimi: HVA\n    laji: hyvinvointialue\n"
                             "  - id: kunta-a\n    nimi: A\n    laji: kunta\n");
    tu_write(dir, "content/data/vuosikello.yaml",
             "tapahtumat:\n  - id: e\n    nimi: E\n    kuukaudet: [3]\n    foorumi: m/f1\n");
    tu_write(dir, "content/data/mallit/m.yaml",
             "malli:\n  - id: m\n    nimi: M\n"
             "foorumit:\n"
             "  - id: f1\n    nimi: F\n    taso: strateginen\n    kutsuja: hva\n");
    fixture f = load(dir);
    ck_assert(model_incomplete(f.m));
    ck_assert_uint_eq(diag_count(f.d), 1);
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:2:3: error: a model must be written as 'key: value' lines");
    done(&f);
    tu_rmdir(dir);
}
END_TEST

/* Residents and other parties are kinds of their own: they join forums,
 * meet an obligation that asks for them, and read as "asukkaat" and "muu
 * toimija". A document's state may be unknown. A kind the model does not
 * know is refused with every kind listed. */
START_TEST(test_model_residents_and_others_join_forums)
{
    char *dir = cascade_site(
             "toimijat:\n  - id: hva\n    nimi: HVA\n    laji: hyvinvointialue\n"
             "  - id: kunta-a\n    nimi: A\n    laji: kunta\n"
             "  - id: asukasraati\n    nimi: Asukasraati\n    laji: asukkaat\n"
             "  - id: kylat\n    nimi: Kylät\n    laji: muu\n");
    tu_write(dir, "content/data/lait.yaml",
             "lait:\n"
             "  - numero: \"611/2021\"\n    nimi: Laki\n    pykalat:\n"
             "      - pykala: \"14\"\n        otsikko: P\n        momentit: [a]\n"
             "        velvoitteet:\n          - id: o-x\n            kuvaus: K\n            velvollinen: [kunta]\n"
             "            tayttyy: foorumi\n            osallistujat: [asukkaat|muu]\n"
             "            vahintaan: 1/vuosi\n");
    tu_write(dir, "content/data/mallit/m.yaml",
             "malli:\n  id: m\n  nimi: M\n  tila: voimassa\n  nykyinen: true\n"
             "foorumit:\n"
             "  - id: f1\n    nimi: F\n    taso: strateginen\n    kutsuja: kunta-a\n"
             "    osallistujat: [hva, asukasraati, kylat]\n    tiheys: 1/vuosi\n"
             "    lakiperusta: [\"611/2021 14 §\"]\n");
    tu_write(dir, "content/data/asiakirjat.yaml",
             "asiakirjat:\n  - id: d\n    nimi: D\n    laji: muu\n    omistaja: asukasraati\n"
             "    tila: ei tiedossa\n");
    fixture f = load(dir);
    ck_assert_uint_eq(diag_count(f.d), 0); /* o-x is met: residents take part in f1 */
    const val *data = model_data(f.m);
    const val *raati = val_get(val_get(data, "toimija"), "asukasraati");
    ck_assert_str_eq(val_get_str(raati, "laji_nimi"), "asukkaat");
    ck_assert_str_eq(val_get_str(val_get(val_get(data, "toimija"), "kylat"), "laji_nimi"), "muu toimija");
    const val *f1 = by_id(val_get(val_get(val_get(data, "malli"), "m"), "foorumit"), "m/f1");
    ck_assert_ptr_nonnull(by_id(val_get(f1, "osallistujat"), "asukasraati"));
    ck_assert_str_eq(val_get_str(val_get(val_get(data, "asiakirja"), "d"), "tila_nimi"), "ei tiedossa");
    done(&f);

    tu_write(dir, "content/data/lait.yaml",
             "lait:\n"
             "  - numero: \"611/2021\"\n    nimi: Laki\n    pykalat:\n"
             "      - pykala: \"14\"\n        otsikko: P\n        momentit: [a]\n"
             "        velvoitteet:\n          - id: o-x\n            kuvaus: K\n            velvollinen: [kunta]\n"
             "            tayttyy: foorumi\n            osallistujat: [asukaat]\n"
             "            vahintaan: 1/vuosi\n");
    f = load(dir);
    ck_assert_has_diag(f.d, "content/data/lait.yaml:13:28: error: unknown kind 'asukaat' (kinds: "
                            "hyvinvointialue, kunta, maakuntaliitto, jarjesto, seurakunta, oppilaitos, yritys, "
                            "viranomainen, toimielin, asukkaat, muu; did you mean 'asukkaat'?)");
    ck_assert_uint_eq(diag_errors(f.d), 1);
    done(&f);
    tu_rmdir(dir);
}
END_TEST

/* A municipality that takes part only through a body of its group, or only
 * through a role, is listed as taking part (with the actor it goes through)
 * and counted by coverage; one named directly and reached again is listed once. */
START_TEST(test_model_lists_indirect_participants_once_and_counts_them)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "site.yaml", "title: x\n");
    no_national_laws(dir);
    tu_write(dir, "content/data/toimijat.yaml",
             "toimijat:\n"
             "  - id: hva\n    nimi: HVA\n    laji: hyvinvointialue\n"
             "  - id: lemi\n    nimi: Lemi\n    laji: kunta\n"
             "  - id: imatra\n    nimi: Imatra\n    laji: kunta\n"
             "  - id: taipalsaari\n    nimi: Taipalsaari\n    laji: kunta\n"
             "  - id: ek-johto\n    nimi: Kuntien johto\n    laji: toimielin\n    osa: ek-kunnat\n"
             "ryhmat:\n"
             "  - id: ek-kunnat\n    nimi: Kunnat\n    jasenet: [lemi, taipalsaari]\n"
             "roolit:\n"
             "  - id: imatran-koordinaattori\n    nimi: Koordinaattori\n    toimija: imatra\n");
    tu_write(dir, "content/data/lait.yaml",
             "lait:\n"
             "  - numero: \"611/2021\"\n    nimi: Laki\n    pykalat:\n"
             "      - pykala: \"14\"\n        otsikko: P\n        momentit: [a]\n"
             "        velvoitteet:\n          - id: o-x\n            kuvaus: K\n"
             "            velvollinen: [hyvinvointialue]\n            tayttyy: foorumi\n"
             "            osallistujat: [\"kaikki:kunta\"]\n            vahintaan: 1/vuosi\n");
    tu_write(dir, "content/data/mallit/m.yaml",
             "malli:\n  id: m\n  nimi: M\n  tila: voimassa\n  nykyinen: true\n"
             "foorumit:\n"
             "  - id: hyte\n    nimi: HYTE\n    taso: strateginen\n    kutsuja: hva\n"
             "    osallistujat: [ek-johto, imatran-koordinaattori, taipalsaari]\n    tiheys: 1/vuosi\n"
             "    lakiperusta: [\"611/2021 14 §\"]\n");
    fixture f = load(dir);
    ck_assert_uint_eq(diag_count(f.d), 0); /* o-x is met: every municipality takes part */
    const val *data = model_data(f.m);
    const val *toimija = val_get(data, "toimija");
    const val *lemi = val_get(toimija, "lemi");
    ck_assert_uint_eq(val_len(val_get(lemi, "osallistuu")), 1);
    ck_assert_str_eq(val_get_str(val_at(val_get(lemi, "osallistuu"), 0), "id"), "m/hyte");
    const val *via = val_at(val_get(lemi, "osallistuu_kautta"), 0);
    ck_assert_str_eq(val_get_str(val_get(via, "foorumi"), "id"), "m/hyte");
    ck_assert_str_eq(val_get_str(val_get(via, "kautta"), "id"), "ek-johto");
    /* the group the body belongs to takes part too */
    ck_assert_uint_eq(val_len(val_get(val_get(toimija, "ek-kunnat"), "osallistuu")), 1);
    const val *imatra = val_get(toimija, "imatra");
    ck_assert_uint_eq(val_len(val_get(imatra, "osallistuu")), 1);
    ck_assert_str_eq(val_get_str(val_at(val_get(imatra, "osallistuu"), 0), "id"), "m/hyte");
    ck_assert_str_eq(val_get_str(val_get(val_at(val_get(imatra, "osallistuu_kautta"), 0), "kautta"), "id"),
                     "imatran-koordinaattori");
    /* named and reached through the body's group: listed once, as named */
    const val *taipale = val_get(toimija, "taipalsaari");
    ck_assert_uint_eq(val_len(val_get(taipale, "osallistuu")), 1);
    ck_assert_ptr_null(val_get(taipale, "osallistuu_kautta"));
    /* coverage counts the same municipalities */
    const val *obl = by_id(val_get(data, "velvoitteet"), "o-x");
    ck_assert(val_as_bool(val_get(obl, "taytetty")));
    ck_assert_str_eq(val_get_str(val_at(val_get(obl, "tayttajat"), 0), "id"), "m/hyte");
    done(&f);

    /* without the body, Lemi neither takes part nor is counted */
    tu_write(dir, "content/data/mallit/m.yaml",
             "malli:\n  id: m\n  nimi: M\n  tila: voimassa\n  nykyinen: true\n"
             "foorumit:\n"
             "  - id: hyte\n    nimi: HYTE\n    taso: strateginen\n    kutsuja: hva\n"
             "    osallistujat: [imatran-koordinaattori, taipalsaari]\n    tiheys: 1/vuosi\n"
             "    lakiperusta: [\"611/2021 14 §\"]\n");
    f = load(dir);
    lemi = val_get(val_get(model_data(f.m), "toimija"), "lemi");
    ck_assert_ptr_null(val_get(lemi, "osallistuu"));
    obl = by_id(val_get(model_data(f.m), "velvoitteet"), "o-x");
    ck_assert(!val_as_bool(val_get(obl, "taytetty")));
    ck_assert_str_eq(val_as_str(val_at(val_get(model_entry(obl, "m"), "puutteet"), 0)),
                     "HYTE: osallistujista puuttuu kunta (Lemi)");
    done(&f);
    tu_rmdir(dir);
}
END_TEST

/* A region with parties and a model but no lait.yaml: the built-in national
 * statutes give it 611/2021 and 612/2021, their subsections and obligations. */
static char *region_site(void)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "site.yaml", "title: x\n");
    tu_write(dir, "content/data/toimijat.yaml",
             "toimijat:\n  - id: hva\n    nimi: HVA\n    laji: hyvinvointialue\n"
             "  - id: kunta-a\n    nimi: A\n    laji: kunta\n");
    tu_write(dir, "content/data/mallit/m.yaml",
             "malli:\n  id: m\n  nimi: M\n  tila: voimassa\n  nykyinen: true\n"
             "foorumit:\n"
             "  - id: f1\n    nimi: F\n    taso: strateginen\n    kutsuja: hva\n"
             "    osallistujat: [hva, kunta-a]\n    tiheys: 1/vuosi\n"
             "    lakiperusta: [\"611/2021 14 §\", \"612/2021 7 § 4 mom\", \"612/2021 6 § 2 mom\"]\n");
    return dir;
}

START_TEST(test_model_national_laws_are_built_in)
{
    char *dir = region_site();
    fixture f = load(dir);
    ck_assert_uint_eq(diag_errors(f.d), 0);
    const val *data = model_data(f.m);
    const val *laws = val_get(data, "laki");
    ck_assert_str_eq(val_get_str(val_get(laws, "611-2021"), "nimi"), "Laki hyvinvointialueesta");
    ck_assert_str_eq(val_get_str(val_get(laws, "612-2021"), "nimi"),
                     "Laki sosiaali- ja terveydenhuollon järjestämisestä");
    const val *sec = val_get(val_get(data, "pykala"), "612-2021-7");
    ck_assert_uint_eq(val_len(val_get(sec, "momentit")), 4);
    ck_assert_int_eq((int)val_as_num(val_get(sec, "momentteja")), 4);
    const val *obls = val_get(data, "velvoitteet");
    ck_assert_ptr_nonnull(by_id(obls, "neuvottelu-valtuustokausittain"));
    ck_assert_ptr_nonnull(by_id(obls, "hyte-neuvottelu-vuosittain"));
    ck_assert_ptr_nonnull(by_id(obls, "kunta-hyvinvointikertomus"));
    /* an unmet national obligation is named at its place in the built-in file */
    bool named = false;
    for (size_t i = 0; i < diag_count(f.d); i++) {
        char *s = tu_diag(f.d, i);
        named = named || !strncmp(s, "(built-in) layouts/lait/kansalliset.yaml:", 41);
        free(s);
    }
    ck_assert(named);
    /* a subsection beyond those the section has is refused as before */
    tu_write(dir, "content/data/mallit/m.yaml",
             "malli:\n  id: m\n  nimi: M\n  tila: voimassa\n  nykyinen: true\n"
             "foorumit:\n"
             "  - id: f1\n    nimi: F\n    taso: strateginen\n    kutsuja: hva\n"
             "    osallistujat: [hva, kunta-a]\n    tiheys: 1/vuosi\n"
             "    lakiperusta: [\"612/2021 7 § 5 mom\"]\n");
    done(&f);
    f = load(dir);
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:13:19: error: 612/2021 7 § has no subsection 5 mom "
                            "(it has 4)");
    ck_assert_uint_eq(diag_errors(f.d), 1);
    done(&f);
    /* a plain Markdown site (no content/data/) has no laws */
    char *plain = tu_tmpdir();
    tu_write(plain, "site.yaml", "title: x\n");
    tu_write(plain, "content/index.md", "# x\n");
    f = load(plain);
    ck_assert_uint_eq(val_len(val_get(model_data(f.m), "lait")), 0);
    ck_assert_uint_eq(diag_count(f.d), 0);
    done(&f);
    tu_rmdir(plain);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_model_site_law_of_the_same_number_replaces_the_built_in_one)
{
    char *dir = region_site();
    tu_write(dir, "content/data/lait.yaml",
             "lait:\n"
             "  - numero: 611/2021\n    nimi: Oma laki\n    pykalat:\n"
             "      - pykala: 14\n        momentit: [a, b]\n"
             "        velvoitteet:\n          - id: oma\n            kuvaus: K\n"
             "            velvollinen: [hyvinvointialue]\n            tayttyy: foorumi\n"
             "            vahintaan: 1/vuosi\n");
    fixture f = load(dir);
    ck_assert_uint_eq(diag_errors(f.d), 0);
    const val *data = model_data(f.m);
    ck_assert_str_eq(val_get_str(val_get(val_get(data, "laki"), "611-2021"), "nimi"), "Oma laki");
    ck_assert_uint_eq(val_len(val_get(data, "lait")), 2); /* 612/2021 stays built in */
    const val *obls = val_get(data, "velvoitteet");
    ck_assert_ptr_nonnull(by_id(obls, "oma"));
    ck_assert_ptr_null(by_id(obls, "neuvottelu-valtuustokausittain")); /* replaced whole */
    ck_assert_ptr_nonnull(by_id(obls, "hyte-neuvottelu-vuosittain"));
    done(&f);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_model_a_section_may_give_only_the_subsections_it_needs)
{
    char *dir = region_site();
    tu_write(dir, "content/data/lait.yaml",
             "lait:\n"
             "  - numero: 1326/2010\n    nimi: Terveydenhuoltolaki\n    pykalat:\n"
             "      - pykala: 12\n        momentit:\n          - momentti: 4\n            teksti: T4\n"
             "      - pykala: 13\n        momentteja: 5\n        momentit:\n"
             "          - {momentti: 2, teksti: T2}\n          - T3\n");
    tu_write(dir, "content/data/mallit/m.yaml",
             "malli:\n  id: m\n  nimi: M\n  tila: voimassa\n  nykyinen: true\n"
             "foorumit:\n"
             "  - id: f1\n    nimi: F\n    taso: strateginen\n    kutsuja: hva\n"
             "    osallistujat: [hva, kunta-a]\n    tiheys: 1/vuosi\n"
             "    lakiperusta: [\"1326/2010 12 § 4 mom\", \"1326/2010 12 § 2 mom\", \"1326/2010 13 § 5 mom\",\n"
             "                  \"1326/2010 12 § 5 mom\", \"1326/2010 13 § 6 mom\"]\n");
    fixture f = load(dir);
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:14:19: error: 1326/2010 12 § has no subsection 5 mom "
                            "(it has 4)");
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:14:43: error: 1326/2010 13 § has no subsection 6 mom "
                            "(it has 5)");
    ck_assert_uint_eq(diag_errors(f.d), 2);
    const val *pyk = val_get(model_data(f.m), "pykala");
    const val *moms = val_get(val_get(pyk, "1326-2010-12"), "momentit");
    ck_assert_uint_eq(val_len(moms), 1);
    ck_assert_int_eq((int)val_as_num(val_get(val_at(moms, 0), "nro")), 4);
    ck_assert_str_eq(val_get_str(val_at(moms, 0), "teksti"), "T4");
    moms = val_get(val_get(pyk, "1326-2010-13"), "momentit");
    ck_assert_int_eq((int)val_as_num(val_get(val_at(moms, 1), "nro")), 3); /* a text after 2 is 3 */
    done(&f);
    /* malformed entries are reported where they are */
    tu_write(dir, "content/data/lait.yaml",
             "lait:\n"
             "  - numero: 1326/2010\n    nimi: Terveydenhuoltolaki\n    pykalat:\n"
             "      - pykala: 12\n        momentteja: 2\n        momentit:\n"
             "          - {momentti: neljä, teksti: T}\n"
             "          - {teksti: T}\n"
             "          - {momentti: 3, teksi: T}\n"
             "          - {momentti: 3, teksti: T}\n"
             "          - [T]\n");
    tu_write(dir, "content/data/mallit/m.yaml",
             "malli:\n  id: m\n  nimi: M\n  tila: voimassa\n  nykyinen: true\n");
    f = load(dir);
    ck_assert_has_diag(f.d, "content/data/lait.yaml:8:24: error: 'momentti' must be the subsection's number, "
                            "1 or more (got 'neljä')");
    ck_assert_has_diag(f.d, "content/data/lait.yaml:9:13: error: a subsection given as a mapping needs its "
                            "number: add a line 'momentti: N'");
    ck_assert_has_diag(f.d, "content/data/lait.yaml:10:27: error: unknown key 'teksi' in a subsection (did "
                            "you mean 'teksti'?)");
    ck_assert_has_diag(f.d, "content/data/lait.yaml:10:13: error: a subsection has no 'teksti': add a line "
                            "'teksti: …'");
    ck_assert_has_diag(f.d, "content/data/lait.yaml:11:24: error: subsection 3 comes after subsection 3 (give "
                            "the subsections in order, each once)");
    ck_assert_has_diag(f.d, "content/data/lait.yaml:12:13: error: the items of 'momentit' must be text, or "
                            "'{momentti: N, teksti: \"…\"}'");
    ck_assert_has_diag(f.d, "content/data/lait.yaml:6:21: error: 'momentteja' is 2, but subsection 3 is given "
                            "in 'momentit'");
    done(&f);
    tu_rmdir(dir);
}
END_TEST

START_TEST(test_model_broken_site_statutes_name_their_own_file)
{
    char *dir = region_site();
    tu_write(dir, "layouts/lait/kansalliset.yaml",
             "lait:\n  - numero: 611/2021\n    nimi: Laki\n    pykalat:\n      - pykala: 14\n"
             "        velvoitteet:\n          - id: o\n            kuvaus: K\n"
             "            velvollinen: [kunnat]\n            tayttyy: toimija\n");
    fixture f = load(dir);
    ck_assert_has_diag(f.d, "layouts/lait/kansalliset.yaml:9:27: error: unknown kind 'kunnat' (kinds: "
                            "hyvinvointialue, kunta, maakuntaliitto, jarjesto, seurakunta, oppilaitos, yritys, "
                            "viranomainen, toimielin, asukkaat, muu; did you mean 'kunta'?)");
    /* the site's file replaces the built-in one: 612/2021 is not there */
    ck_assert_has_diag(f.d, "content/data/mallit/m.yaml:13:36: error: unknown law '612/2021' (did you mean "
                            "'611/2021'?) (the national laws are built in; add others to content/data/lait.yaml)");
    done(&f);
    tu_write(dir, "layouts/lait/kansalliset.yaml", "lait:\n  - numero: 611/2021\n    nimi: [x\n");
    f = load(dir);
    ck_assert(model_incomplete(f.m));
    ck_assert_uint_ge(diag_errors(f.d), 1);
    char *first = tu_diag(f.d, 0);
    ck_assert_msg(!strncmp(first, "layouts/lait/kansalliset.yaml:", 30), "got %s", first);
    free(first);
    done(&f);
    tu_rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("model");
    tcase_add_test(tc, test_model_fixture_loads_with_only_true_findings);
    tcase_add_test(tc, test_model_derives_backlinks_both_ways);
    tcase_add_test(tc, test_model_texts_per_language);
    tcase_add_test(tc, test_model_seen_in_each_language);
    tcase_add_test(tc, test_model_describes_values_for_readers);
    tcase_add_test(tc, test_model_coverage_names_fulfillers_and_gaps);
    tcase_add_test(tc, test_model_compare_lists_added_removed_and_changed_fields);
    tcase_add_test(tc, test_model_pages_and_entity_links);
    tcase_add_test(tc, test_model_reports_each_mistake_with_its_position);
    tcase_add_test(tc, test_model_holds_back_unknown_ids_while_a_file_is_broken);
    tcase_add_test(tc, test_model_refused_id_is_not_reported_again_where_it_is_named);
    tcase_add_test(tc, test_model_broken_model_header_hides_its_forums_quietly);
    tcase_add_test(tc, test_model_lists_indirect_participants_once_and_counts_them);
    tcase_add_test(tc, test_model_residents_and_others_join_forums);
    tcase_add_test(tc, test_model_known_gap_silences_its_warning_and_shows_its_reason);
    tcase_add_test(tc, test_model_known_gap_needs_a_known_unmet_obligation_and_a_reason);
    tcase_add_test(tc, test_model_national_laws_are_built_in);
    tcase_add_test(tc, test_model_site_law_of_the_same_number_replaces_the_built_in_one);
    tcase_add_test(tc, test_model_a_section_may_give_only_the_subsections_it_needs);
    tcase_add_test(tc, test_model_broken_site_statutes_name_their_own_file);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
