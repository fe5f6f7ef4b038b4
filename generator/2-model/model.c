/* model: loads content/data/, validates every field against its type's table,
 * resolves references, derives backlinks and builds the tree for layouts. */
#include "model.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/buf.h"
#include "../0-base/slug.h"
#include "../0-base/xmem.h"
#include "../1-load/yaml_load.h"
#include "loc.h"
#include "model_impl.h"
#include "schema.h"

/* {====== Vocabularies ====== */

const char *const model_kind_names[] = {
    "hyvinvointialue", "kunta",     "maakuntaliitto", "jarjesto",  "seurakunta",
    "oppilaitos",      "yritys",    "viranomainen",   "toimielin", "asukkaat",
    "muu",             NULL,
};

static const char *const levels[] = {
    "poliittinen", "strateginen", "johto", "operatiivinen", "asiantuntijaverkosto", "kumppanuus", NULL,
};
static const char *const model_states[] = {"aiempi", "voimassa", "luonnos", "esimerkki", NULL};
static const char *const forum_states[] = {"toiminnassa", "suunnitteilla", "paattynyt", NULL};
static const char *const doc_kinds[] = {
    "yhteistyosopimus", "hyte-ohjelma", "hyvinvointikertomus", "hyvinvointisuunnitelma",
    "vuosiraportti",    "muistio",      "vastuunjakotaulukko", "liite", "muu", NULL,
};
static const char *const doc_states[] = {
    "luonnos", "lausunnolla", "hyvaksytty", "voimassa", "vanhentunut", "ei tiedossa", NULL,
};
static const char *const fulfils[] = {"foorumi", "asiakirja", "toimija", NULL};
static const char *const cell_roles[] = {"vastaa", "osallistuu", "tukee", "tiedonkulku", NULL};

_Static_assert(sizeof model_kind_names / sizeof *model_kind_names == K_COUNT + 1, "a name per party kind");

/* } */

/* {====== Field tables ====== */

const char *const model_field_keys[F_COUNT] = {
#define X(id) [F_##id] = OK_##id,
    MODEL_FIELDS(X)
#undef X
};

typedef enum {
    FT_ID, FT_TEXT, FT_ENUM, FT_REF, FT_REFS, FT_FREQ, FT_MONTHS, FT_DATE, FT_LAWREFS, FT_BOOL, FT_URL,
    FT_TEXTS, FT_KINDS, FT_CHILDREN, FT_ROLEMAP, FT_SECTIONNO, FT_LAWNO, FT_INT, FT_ENUMS, FT_GAPS,
    FT_SUBSECTIONS, FT_COUNT
} ftype;

typedef struct {
    field_id id;                /* its YAML key is model_field_keys[id] */
    ftype type;
    bool required;
    unsigned targets;           /* FT_REF, FT_REFS */
    const char *const *values;  /* FT_ENUM */
    const char *labels;         /* FT_ENUM(S): the catalog group of the values' labels, shown to
                                 * readers as <key>_nimi ("toimijan_laji.jarjesto": "järjestö") */
    etype child;                /* FT_CHILDREN */
    const char *desc;           /* Finnish, for editors: the JSON Schema's description */
} field;

#define END {.id = F_COUNT}

static const field party_fields[] = {
    {.id = F_ID, .type = FT_ID, .required = true,
     .desc = "Toimijan tunniste: pienet kirjaimet a–z, numerot ja väliviiva, esim. siun-sote. Muut tiedostot viittaavat toimijaan tällä."},
    {.id = F_NIMI, .type = FT_TEXT, .required = true,
     .desc = "Toimijan koko nimi, esim. Pohjois-Karjalan hyvinvointialue."},
    {.id = F_LYHENNE, .type = FT_TEXT,
     .desc = "Lyhyt nimi, esim. Siun sote."},
    {.id = F_LAJI, .type = FT_ENUM, .required = true, .values = model_kind_names, .labels = "toimijan_laji",
     .desc = "Toimijan laji. Toimielin (laji: toimielin) kuuluu organisaatioon, joka kerrotaan kohdassa osa."},
    {.id = F_OSA, .type = FT_REF, .targets = T(E_PARTY) | T(E_GROUP),
     .desc = "Toimija tai ryhmä, johon tämä toimielin kuuluu (pakollinen toimielimelle)."},
    {.id = F_WWW, .type = FT_URL,
     .desc = "Verkko-osoite, joka alkaa https:// tai http://."},
    {.id = F_KUVAUS, .type = FT_TEXT,
     .desc = "Vapaa kuvaus."},
    {.id = F_LAKIPERUSTA, .type = FT_LAWREFS,
     .desc = "Pykälät, joihin toimija perustuu, esim. \"612/2021 7 §\" (lainausmerkeissä)."},
    {.id = F_ALUE, .type = FT_TEXT,
     .desc = "Alue, esim. Pohjois-Karjala."},
    END,
};
static const field group_fields[] = {
    {.id = F_ID, .type = FT_ID, .required = true,
     .desc = "Ryhmän tunniste, esim. pk-kunnat."},
    {.id = F_NIMI, .type = FT_TEXT, .required = true,
     .desc = "Ryhmän nimi."},
    {.id = F_JASENET, .type = FT_REFS, .required = true, .targets = T(E_PARTY) | T(E_GROUP),
     .desc = "Ryhmän jäsenet: toimijoiden tai ryhmien tunnisteet, esim. [joensuu, lieksa]."},
    {.id = F_KUVAUS, .type = FT_TEXT,
     .desc = "Vapaa kuvaus."},
    END,
};
static const field role_fields[] = {
    {.id = F_ID, .type = FT_ID, .required = true,
     .desc = "Roolin tunniste, esim. hytepaallikko."},
    {.id = F_NIMI, .type = FT_TEXT, .required = true,
     .desc = "Roolin nimi, esim. Hytepäällikkö."},
    {.id = F_TOIMIJA, .type = FT_REF, .required = true, .targets = T(E_PARTY) | T(E_GROUP),
     .desc = "Toimija tai ryhmä, jossa rooli on."},
    {.id = F_KUVAUS, .type = FT_TEXT,
     .desc = "Vapaa kuvaus."},
    {.id = F_LAKIPERUSTA, .type = FT_LAWREFS,
     .desc = "Pykälät, joihin rooli perustuu, esim. \"612/2021 6 §\"."},
    END,
};
static const field law_fields[] = {
    {.id = F_NUMERO, .type = FT_LAWNO, .required = true,
     .desc = "Lain numero ja vuosi, esim. 611/2021."},
    {.id = F_NIMI, .type = FT_TEXT, .required = true,
     .desc = "Lain nimi, esim. Laki hyvinvointialueesta."},
    {.id = F_LYHENNE, .type = FT_TEXT,
     .desc = "Lyhyt nimi, esim. hyvinvointialuelaki."},
    {.id = F_FINLEX, .type = FT_URL,
     .desc = "Lain osoite Finlexissä (https://…)."},
    {.id = F_PYKALAT, .type = FT_CHILDREN, .child = E_SECTION,
     .desc = "Lain pykälät, joihin käsikirja viittaa."},
    END,
};
static const field section_fields[] = {
    {.id = F_PYKALA, .type = FT_SECTIONNO, .required = true,
     .desc = "Pykälän numero, esim. 14 tai \"7 a\"."},
    {.id = F_OTSIKKO, .type = FT_TEXT,
     .desc = "Pykälän otsikko."},
    {.id = F_MOMENTIT, .type = FT_SUBSECTIONS,
     .desc = "Momenttien tekstit järjestyksessä (1 mom, 2 mom, …); kohta voi olla myös {momentti: N, teksti: \"…\"}."},
    {.id = F_MOMENTTEJA, .type = FT_INT,
     .desc = "Montako momenttia pykälässä on (viittaus suurempaan momenttiin on virhe)."},
    {.id = F_VELVOITTEET, .type = FT_CHILDREN, .child = E_OBLIGATION,
     .desc = "Pykälästä seuraavat velvoitteet."},
    END,
};
static const field obligation_fields[] = {
    {.id = F_ID, .type = FT_ID, .required = true,
     .desc = "Velvoitteen tunniste, esim. neuvottelu-valtuustokausittain."},
    {.id = F_KUVAUS, .type = FT_TEXT, .required = true,
     .desc = "Mitä velvoite vaatii."},
    {.id = F_MOMENTTI, .type = FT_INT,
     .desc = "Momentin numero, josta velvoite seuraa."},
    {.id = F_VELVOLLINEN, .type = FT_KINDS, .required = true,
     .desc = "Toimijoiden lajit, joita velvoite koskee, esim. [hyvinvointialue, kunta]."},
    {.id = F_TAYTTYY, .type = FT_ENUM, .required = true, .values = fulfils,
     .desc = "Mikä velvoitteen täyttää: foorumi, asiakirja tai toimija."},
    {.id = F_KUTSUJA, .type = FT_KINDS,
     .desc = "Foorumi: lajit, jotka voivat kutsua koolle (oletus: velvollinen)."},
    {.id = F_OSALLISTUJAT, .type = FT_KINDS,
     .desc = "Foorumi: lajit, joiden on osallistuttava; \"a|b\" = jompikumpi, \"kaikki:kunta\" = jokainen kunta."},
    {.id = F_VAHINTAAN, .type = FT_FREQ,
     .desc = "Kuinka usein vähintään, esim. 1/valtuustokausi."},
    {.id = F_ASIAKIRJAT, .type = FT_ENUMS, .values = doc_kinds, .labels = "asiakirjan_laji",
     .desc = "Asiakirja: asiakirjalajit, jotka kelpaavat (oletus: mikä tahansa)."},
    END,
};
static const field model_fields[] = {
    {.id = F_ID, .type = FT_ID, .required = true,
     .desc = "Mallin tunniste, esim. pk-2025."},
    {.id = F_NIMI, .type = FT_TEXT, .required = true,
     .desc = "Mallin nimi."},
    {.id = F_ALUE, .type = FT_TEXT,
     .desc = "Alue, jota malli koskee."},
    {.id = F_TILA, .type = FT_ENUM, .required = true, .values = model_states, .labels = "mallin_tila",
     .desc = "Mallin tila."},
    {.id = F_NYKYINEN, .type = FT_BOOL,
     .desc = "true: tämä on nykyinen malli (täsmälleen yksi malli on nykyinen)."},
    {.id = F_EDELTAJA, .type = FT_REF, .targets = T(E_MODEL),
     .desc = "Malli, johon tätä verrataan (sen tunniste)."},
    {.id = F_KUVAUS, .type = FT_TEXT,
     .desc = "Vapaa kuvaus."},
    {.id = F_TIEDOSSA, .type = FT_GAPS, .targets = T(E_OBLIGATION),
     .desc = "Tiedossa olevat puutteet: velvoitteet, joita malli ei täytä, kukin syineen."},
    END,
};
static const field forum_fields[] = {
    {.id = F_ID, .type = FT_ID, .required = true,
     .desc = "Foorumin tunniste mallin sisällä, esim. hyte-neuvottelu (muualta viitataan malli/foorumi)."},
    {.id = F_NIMI, .type = FT_TEXT, .required = true,
     .desc = "Foorumin nimi."},
    {.id = F_TASO, .type = FT_ENUM, .required = true, .values = levels, .labels = "taso",
     .desc = "Foorumin taso."},
    {.id = F_KUTSUJA, .type = FT_REF, .required = true, .targets = T(E_PARTY) | T(E_GROUP),
     .desc = "Koollekutsuja: toimija tai ryhmä."},
    {.id = F_OSALLISTUJAT, .type = FT_REFS, .targets = T_ACTOR,
     .desc = "Osallistujat: toimijat, ryhmät ja roolit."},
    {.id = F_TIHEYS, .type = FT_FREQ, .required = true,
     .desc = "Kuinka usein foorumi kokoontuu: N/vuosi, N-M/vuosi, N/valtuustokausi, N/kuukausi tai tarvittaessa."},
    {.id = F_AJOITUS, .type = FT_MONTHS,
     .desc = "Kuukaudet 1–12, joina foorumi kokoontuu, esim. [9, 10]."},
    {.id = F_LAKIPERUSTA, .type = FT_LAWREFS,
     .desc = "Pykälät, joihin foorumi perustuu, esim. \"611/2021 14 §\"."},
    {.id = F_TARKOITUS, .type = FT_TEXT,
     .desc = "Mitä varten foorumi on."},
    {.id = F_AIHEET, .type = FT_TEXTS,
     .desc = "Foorumin aiheet."},
    {.id = F_TUOTOKSET, .type = FT_REFS, .targets = T(E_DOC),
     .desc = "Asiakirjat, jotka foorumi tuottaa (tunnisteet)."},
    {.id = F_TILA, .type = FT_ENUM, .values = forum_states, .labels = "foorumin_tila",
     .desc = "Foorumin tila (oletus toiminnassa)."},
    END,
};
static const field doc_fields[] = {
    {.id = F_ID, .type = FT_ID, .required = true,
     .desc = "Asiakirjan tunniste, esim. yhteistyosopimus."},
    {.id = F_NIMI, .type = FT_TEXT, .required = true,
     .desc = "Asiakirjan nimi."},
    {.id = F_LAJI, .type = FT_ENUM, .required = true, .values = doc_kinds, .labels = "asiakirjan_laji",
     .desc = "Asiakirjan laji."},
    {.id = F_OMISTAJA, .type = FT_REF, .required = true, .targets = T(E_PARTY) | T(E_GROUP),
     .desc = "Asiakirjan omistaja: toimija tai ryhmä."},
    {.id = F_SYKLI, .type = FT_FREQ,
     .desc = "Kuinka usein asiakirja laaditaan, esim. 1/valtuustokausi."},
    {.id = F_TILA, .type = FT_ENUM, .required = true, .values = doc_states, .labels = "asiakirjan_tila",
     .desc = "Asiakirjan tila; \"ei tiedossa\", kun tilaa ei tiedetä."},
    {.id = F_LAADITTU, .type = FT_DATE,
     .desc = "Laadittu: VVVV, VVVV-KK tai VVVV-KK-PP."},
    {.id = F_HYVAKSYTTY, .type = FT_DATE,
     .desc = "Hyväksytty: VVVV, VVVV-KK tai VVVV-KK-PP."},
    {.id = F_VOIMASSA_ALKAEN, .type = FT_DATE,
     .desc = "Voimassa alkaen: VVVV, VVVV-KK tai VVVV-KK-PP."},
    {.id = F_VOIMASSA_ASTI, .type = FT_DATE,
     .desc = "Voimassa asti: VVVV, VVVV-KK tai VVVV-KK-PP."},
    {.id = F_OSA, .type = FT_REF, .targets = T(E_DOC),
     .desc = "Asiakirja, jonka liite tämä on."},
    {.id = F_LAKIPERUSTA, .type = FT_LAWREFS,
     .desc = "Pykälät, joihin asiakirja perustuu."},
    {.id = F_KUVAUS, .type = FT_TEXT,
     .desc = "Vapaa kuvaus."},
    END,
};
static const field event_fields[] = {
    {.id = F_ID, .type = FT_ID, .required = true,
     .desc = "Tapahtuman tunniste."},
    {.id = F_NIMI, .type = FT_TEXT, .required = true,
     .desc = "Tapahtuman nimi."},
    {.id = F_KUUKAUDET, .type = FT_MONTHS,
     .desc = "Vuosittainen tapahtuma: sen kuukaudet 1–12 (ei yhdessä alku-päivän kanssa)."},
    {.id = F_ALKU, .type = FT_DATE,
     .desc = "Kertaluonteinen tapahtuma: alkupäivä (VVVV, VVVV-KK tai VVVV-KK-PP)."},
    {.id = F_LOPPU, .type = FT_DATE,
     .desc = "Kertaluonteisen tapahtuman loppupäivä."},
    {.id = F_FOORUMI, .type = FT_REF, .targets = T(E_FORUM),
     .desc = "Foorumi, jonka tapahtuma on (malli/foorumi)."},
    {.id = F_ASIAKIRJA, .type = FT_REF, .targets = T(E_DOC),
     .desc = "Asiakirja, johon tapahtuma liittyy."},
    {.id = F_VASTUU, .type = FT_REF, .targets = T_ACTOR,
     .desc = "Vastuussa oleva toimija, ryhmä tai rooli."},
    {.id = F_KUVAUS, .type = FT_TEXT,
     .desc = "Vapaa kuvaus."},
    END,
};
static const field milestone_fields[] = {
    {.id = F_ID, .type = FT_ID, .required = true,
     .desc = "Virstanpylvään tunniste, esim. vaalit-2025."},
    {.id = F_NIMI, .type = FT_TEXT, .required = true,
     .desc = "Virstanpylvään nimi."},
    {.id = F_ALKU, .type = FT_DATE, .required = true,
     .desc = "Päivä tai vuosi (VVVV, VVVV-KK tai VVVV-KK-PP)."},
    {.id = F_LOPPU, .type = FT_DATE,
     .desc = "Jakson loppu (esim. valtuustokausi)."},
    {.id = F_KUVAUS, .type = FT_TEXT,
     .desc = "Vapaa kuvaus."},
    END,
};
static const field table_fields[] = {
    {.id = F_ID, .type = FT_ID, .required = true,
     .desc = "Taulukon tunniste."},
    {.id = F_NIMI, .type = FT_TEXT, .required = true,
     .desc = "Taulukon nimi."},
    {.id = F_OSAPUOLET, .type = FT_REFS, .required = true, .targets = T_ACTOR,
     .desc = "Taulukon sarakkeet: toimijat, ryhmät tai roolit."},
    {.id = F_TEHTAVAT, .type = FT_CHILDREN, .required = true, .child = E_TASK,
     .desc = "Taulukon rivit: tehtävät."},
    END,
};
static const field task_fields[] = {
    {.id = F_TEHTAVA, .type = FT_TEXT, .required = true,
     .desc = "Tehtävä."},
    {.id = F_TEEMA, .type = FT_TEXT,
     .desc = "Teema, jonka alle tehtävä ryhmitellään."},
    {.id = F_ROOLIT, .type = FT_ROLEMAP, .required = true,
     .desc = "Kunkin osapuolen rooli: {osapuoli: vastaa | osallistuu | tukee | tiedonkulku}."},
    END,
};
static const field term_fields[] = {
    {.id = F_TERMI, .type = FT_TEXT, .required = true,
     .desc = "Termi, esim. HVA."},
    {.id = F_SELITYS, .type = FT_TEXT, .required = true,
     .desc = "Termin selitys."},
    {.id = F_LYHENNE, .type = FT_BOOL,
     .desc = "true: termi on lyhenne (merkitään <abbr>-elementillä)."},
    END,
};

/* One row per entity type: its table, how it is named in messages, its
 * page (URL prefix and layout) and where it is listed in data. */
static const struct {
    const field *fields;
    const char *noun;   /* "party" */
    const char *where;  /* "a party" (for unknown keys) */
    const char *layout; /* NULL: no page of its own */
    const char *list;   /* data.<list> */
    const char *map;    /* data.<map>.<id>, or NULL */
    const char *desc;   /* Finnish, for editors (the JSON Schema) */
} types[E_COUNT] = {
    [E_PARTY] = {party_fields, "party", "a party", "toimija", OK_TOIMIJAT, OK_TOIMIJA,
                "Toimija: hyvinvointialue, kunta, järjestö, toimielin tai muu."},
    [E_GROUP] = {group_fields, "group", "a group", "toimija", OK_RYHMAT, OK_TOIMIJA,
                "Ryhmä toimijoita, esim. alueen kunnat."},
    [E_ROLE] = {role_fields, "role", "a role", "toimija", OK_ROOLIT, OK_TOIMIJA,
               "Rooli, jota hoidetaan jossakin toimijassa, esim. hytepäällikkö."},
    [E_LAW] = {law_fields, "law", "a law", NULL, OK_LAIT, OK_LAKI,
              "Laki ja sen pykälät."},
    [E_SECTION] = {section_fields, "law section", "a section", "pykala", OK_PYKALAT, OK_PYKALA,
                  "Lain pykälä: momentit ja velvoitteet."},
    [E_OBLIGATION] = {obligation_fields, "obligation", "an obligation", NULL, NULL, NULL,
                     "Pykälästä seuraava velvoite."},
    [E_MODEL] = {model_fields, "model", "a model", "malli", OK_MALLIT, OK_MALLI,
                "Yhteistyörakenteen malli."},
    [E_FORUM] = {forum_fields, "forum", "a forum", "foorumi", OK_FOORUMIT, NULL,
                "Foorumi: neuvottelu, ryhmä tai verkosto, joka kokoontuu."},
    [E_DOC] = {doc_fields, "document", "a document", "asiakirja", OK_ASIAKIRJAT, OK_ASIAKIRJA,
              "Asiakirja."},
    [E_EVENT] = {event_fields, "event", "an event", NULL, OK_TAPAHTUMAT, NULL,
                "Vuosikellon tapahtuma: vuosittain toistuva (kuukaudet) tai kertaluonteinen (alku, loppu)."},
    [E_MILESTONE] = {milestone_fields, "milestone", "a milestone", NULL, OK_VIRSTANPYLVAAT, NULL,
                    "Monivuotisen aikajanan virstanpylväs."},
    [E_TABLE] = {table_fields, "table", "a responsibility table", NULL, OK_TAULUKOT, NULL,
                "Vastuunjakotaulukko."},
    [E_TASK] = {task_fields, "task", "a task", NULL, NULL, NULL,
               "Vastuunjakotaulukon rivi: tehtävä ja osapuolten roolit."},
    [E_TERM] = {term_fields, "term", "a glossary term", NULL, NULL, NULL,
               "Sanaston termi."},
};
_Static_assert(sizeof types / sizeof *types == E_COUNT, "a row per entity type");
_Static_assert(sizeof model_field_keys / sizeof *model_field_keys == F_COUNT, "a key per field");

static size_t n_fields(etype t)
{
    size_t n = 0;
    assert(t < E_COUNT);
    while (types[t].fields[n].id != F_COUNT)
        n++;
    return n;
}

/* The YAML key of a field. */
static const char *fkey(const field *f)
{
    assert(f->id < F_COUNT);
    return model_field_keys[f->id];
}

const fval *ent_get(const entity *e, field_id id)
{
    static const fval none;
    assert(e && e->type < E_COUNT && id < F_COUNT);
    const field *f = types[e->type].fields;
    for (size_t i = 0; f[i].id != F_COUNT; i++)
        if (f[i].id == id)
            return &e->f[i];
    return &none;
}

void elist_push(elist *l, entity *e)
{
    l->items = xrealloc(l->items, (l->len + 1) * sizeof(entity *));
    l->items[l->len++] = e;
}

void ent_backlink(val *node, const char *key, const entity *target)
{
    assert(node && key && target && target->out);
    val *list = val_get(node, key);
    if (!list) {
        list = val_list((src_pos){0});
        val_set(node, key, list);
    }
    val_push(list, val_ref(target->out));
}

/* } */

/* {====== Loading and registering ====== */

static strmap *ns_of(model *m, etype t)
{
    switch (t) {
    case E_PARTY:
    case E_GROUP:
    case E_ROLE: return m->ns_actor;
    case E_LAW: return m->ns_law;
    case E_SECTION: return m->ns_section;
    case E_OBLIGATION: return m->ns_obl;
    case E_MODEL: return m->ns_model;
    case E_FORUM: return m->ns_forum;
    case E_DOC: return m->ns_doc;
    case E_EVENT:
    case E_MILESTONE: return m->ns_event;
    case E_TABLE: return m->ns_table;
    case E_TERM: return m->ns_term;
    default: return NULL;
    }
}

static bool id_ok(const char *s)
{
    if (!*s || !(islower((unsigned char)*s) || isdigit((unsigned char)*s)))
        return false;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
            return false;
    return true;
}

/* The glossary's anchor for a term: the slug its heading would have. */
static char *term_slug(const char *term)
{
    buf_t b = BUF_INIT;
    if (!slug_append(term, &b))
        buf_puts(&b, "termi");
    return buf_detach(&b);
}

static entity *create(model *m, etype t, val *map, entity *owner, diag_list *d);
static char *law_id_of(const char *no);

/* Creates the children of a FT_CHILDREN field. */
static void create_children(model *m, entity *parent, const field *f, val *list, diag_list *d)
{
    if (val_kind_of(list) != VAL_LIST) {
        src_pos at = val_pos(list);
        diag_error(d, at.file, at.line, at.col, "'%s' must be a list of entries ('- …')", fkey(f));
        return;
    }
    for (size_t i = 0; i < val_len(list); i++)
        create(m, f->child, val_at(list, i), parent, d);
}

/* The entity's id from its id field (types differ in which one). */
static char *make_id(model *m, etype t, val *map, entity *owner, diag_list *d)
{
    const char *where = types[t].where;
    switch (t) {
    case E_LAW: {
        const char *no = schema_text(map, model_field_keys[F_NUMERO], true, where, d);
        if (!no)
            return NULL;
        char *id = law_id_of(no);
        if (!id) {
            src_pos at = val_pos(val_get(map, model_field_keys[F_NUMERO]));
            diag_error(d, at.file, at.line, at.col,
                       "malformed law number '%s' (write number/year, e.g. '611/2021')", no);
        }
        return id;
    }
    case E_SECTION: {
        const char *no = schema_text(map, model_field_keys[F_PYKALA], true, where, d);
        if (!no)
            return NULL;
        /* Digits, then optionally a space and one letter ("7 a"). */
        bool ok = isdigit((unsigned char)no[0]);
        for (const char *p = no; *p && ok; p++) {
            if (*p == ' ' && islower((unsigned char)p[1]) && !p[2])
                break;
            ok = isdigit((unsigned char)*p);
        }
        if (!ok) {
            src_pos at = val_pos(val_get(map, model_field_keys[F_PYKALA]));
            diag_error(d, at.file, at.line, at.col,
                       "malformed section number '%s' (write the number alone, e.g. '14' or '7 a')", no);
            return NULL;
        }
        buf_t b = BUF_INIT;
        buf_printf(&b, "%s-", owner->id);
        for (const char *p = no; *p; p++)
            if (*p != ' ')
                buf_putc(&b, *p);
        return buf_detach(&b);
    }
    case E_TASK:
        return NULL; /* tasks are rows, not things with ids */
    case E_TERM: {
        const val *tv = val_get(map, model_field_keys[F_TERMI]);
        if (val_kind_of(tv) == VAL_MAP) { /* {fi: …, sv: …}: checked with the term's other texts */
            const char *term = val_get_str(tv, m->langs[0]);
            return term && *term ? term_slug(term) : NULL;
        }
        const char *term = schema_text(map, model_field_keys[F_TERMI], true, where, d);
        return term ? term_slug(term) : NULL;
    }
    default: {
        const char *id = schema_text(map, model_field_keys[F_ID], true, where, d);
        if (!id)
            return NULL;
        if (!id_ok(id)) {
            src_pos at = val_pos(val_get(map, model_field_keys[F_ID]));
            diag_error(d, at.file, at.line, at.col,
                       "malformed id '%s' (use lower-case letters a-z, digits and '-', e.g. "
                       "'hyte-neuvottelu')",
                       id);
            return NULL;
        }
        return t == E_FORUM ? xasprintf("%s/%s", owner->id, id) : xstrdup(id);
    }
    }
}

static entity *create(model *m, etype t, val *map, entity *owner, diag_list *d)
{
    assert(m && t < E_COUNT && map && d);
    src_pos at = val_pos(map);
    if (val_kind_of(map) != VAL_MAP) {
        diag_error(d, at.file, at.line, at.col, "%s must be written as 'key: value' lines",
                   types[t].where);
        m->incomplete = true;
        return NULL;
    }
    const field *fs = types[t].fields;
    const char *known[32];
    size_t n = 0;
    for (; fs[n].id != F_COUNT; n++)
        known[n] = fkey(&fs[n]);
    assert(n < sizeof known / sizeof *known);
    known[n] = NULL;
    schema_known_keys(map, known, types[t].where, d);

    char *id = make_id(m, t, map, owner, d);
    strmap *ns = ns_of(m, t);
    if (!id && ns) {
        /* Others may name it by the id it was given (that is reported) or,
         * when it has none, by any id at all. */
        const char *given = val_get_str(map, fkey(&fs[0]));
        if (given && owner && t == E_FORUM) {
            char *full = xasprintf("%s/%s", owner->id, given);
            strmap_add(m->broken, full, m);
            free(full);
        }
        if (given)
            strmap_add(m->broken, given, m);
        else
            m->incomplete = true;
    }
    if (id && ns) {
        entity *prev = strmap_get(ns, id);
        if (prev) {
            src_pos p = val_pos(prev->src);
            const val *idv = val_get(map, fkey(&fs[0]));
            src_pos here = idv ? val_pos(idv) : at;
            diag_error(d, here.file, here.line, here.col,
                       "duplicate id '%s': %s %s is already defined at %s:%d:%d", id,
                       prev->type == t ? "the" : "a", types[prev->type].noun, p.file, p.line, p.col);
            free(id);
            return NULL;
        }
    }
    entity *e = xcalloc(1, sizeof(entity));
    e->type = t;
    e->id = id ? id : xasprintf("%s-%zu", types[t].noun, m->all[t].len + 1);
    e->src = map;
    e->owner = owner;
    e->f = xcalloc(n + 1, sizeof(fval));
    e->out = val_map(at);
    val_push(m->owned, e->out);
    if (id && ns)
        strmap_add(ns, e->id, e);
    e->idx = m->all[t].len;
    elist_push(&m->all[t], e);

    const val *nv = val_get(map, model_field_keys[t == E_TERM ? F_TERMI : F_NIMI]);
    const char *name = val_kind_of(nv) == VAL_MAP ? val_get_str(nv, m->langs[m->view]) : val_as_str(nv);
    if (!name && val_kind_of(nv) == VAL_MAP) /* a view: the default's where the view's language has none */
        name = val_get_str(nv, m->langs[0]);
    e->name = name ? name : e->id;
    e->theme = m->loading_theme;
    val_set_str(e->out, OK_ID, e->id);
    val_set_str(e->out, OK_TYYPPI, types[t].noun);
    if (t == E_FORUM) { /* "malli/foorumi"; an id that failed (reported) has no model part */
        const char *slash = strchr(e->id, '/');
        val_set_str(e->out, OK_LYHYT_ID, slash ? slash + 1 : e->id);
    }

    for (size_t i = 0; fs[i].id != F_COUNT; i++) {
        val *child = val_get(map, fkey(&fs[i]));
        if (fs[i].type == FT_CHILDREN && child)
            create_children(m, e, &fs[i], child, d);
        else if (fs[i].type == FT_CHILDREN && fs[i].required)
            diag_error(d, at.file, at.line, at.col, "%s has no '%s': add a list '%s:'",
                       types[t].where, fkey(&fs[i]), fkey(&fs[i]));
    }
    return e;
}

/* What each data file holds: its top-level keys and the entity type of each. */
static const struct {
    const char *file;
    const char *key[3];
    etype type[3];
    bool single[3]; /* a single mapping rather than a list */
    const char *schema; /* its JSON Schema's name (model_schema) */
    const char *desc;   /* Finnish, for editors */
} data_files[] = {
    {"content/data/toimijat.yaml", {"toimijat", "ryhmat", "roolit"}, {E_PARTY, E_GROUP, E_ROLE}, {0},
     "toimijat", "Toimijat, ryhmät ja roolit (content/data/toimijat.yaml)."},
    {"content/data/lait.yaml", {"lait"}, {E_LAW}, {0},
     "lait", "Lait, pykälät ja velvoitteet (content/data/lait.yaml; myös layouts/lait/*.yaml)."},
    {"content/data/asiakirjat.yaml", {"asiakirjat"}, {E_DOC}, {0},
     "asiakirjat", "Asiakirjat (content/data/asiakirjat.yaml)."},
    {"content/data/vuosikello.yaml", {"tapahtumat", "virstanpylvaat"}, {E_EVENT, E_MILESTONE}, {0},
     "vuosikello", "Vuosikellon tapahtumat ja aikajanan virstanpylväät (content/data/vuosikello.yaml)."},
    {"content/data/vastuunjako.yaml", {"taulukot"}, {E_TABLE}, {0},
     "vastuunjako", "Vastuunjakotaulukot (content/data/vastuunjako.yaml)."},
    {"content/data/sanasto.yaml", {"termit"}, {E_TERM}, {0},
     "sanasto", "Sanasto (content/data/sanasto.yaml)."},
    {"content/data/mallit/", {"malli", "foorumit"}, {E_MODEL, E_FORUM}, {1, 0},
     "malli", "Yhteistyörakenteen malli ja sen foorumit (content/data/mallit/*.yaml)."},
};
#define N_DATA_FILES (sizeof data_files / sizeof data_files[0])

#define LAW_FILE 1 /* data_files[LAW_FILE] is lait.yaml */

/* A data file's tree (kept in m->files), or NULL when it cannot be read (reported).
 * Positions name the file as diagnostics must: "(built-in) layouts/…" for a built-in one. */
static val *parse_file(model *m, const src_file *f, diag_list *d)
{
    val *root = yaml_load(f->data, f->len, f->name ? f->name : f->path, 0, d);
    if (!root) {
        m->incomplete = true;
        return NULL;
    }
    val_push(m->files, root);
    return root;
}

/* The law id ("612-2021") of a law number ("612/2021"), or NULL when it is malformed. */
static char *law_id_of(const char *no)
{
    syn_lawref r;
    char *probe = xasprintf("%s 1 §", no);
    bool ok = syn_lawref_parse(probe, &r);
    free(probe);
    if (!ok)
        return NULL;
    char *id = xstrdup(no);
    *strchr(id, '/') = '-';
    return id;
}

/* The laws a tree of lait.yaml's format defines, by law id, into ids. */
static void law_ids(const val *root, strmap *ids)
{
    const val *list = root && val_kind_of(root) == VAL_MAP ? val_get(root, data_files[LAW_FILE].key[0]) : NULL;
    for (size_t i = 0; list && val_kind_of(list) == VAL_LIST && i < val_len(list); i++) {
        const val *law = val_at(list, i);
        const char *no = val_kind_of(law) == VAL_MAP ? val_get_str(law, model_field_keys[F_NUMERO]) : NULL;
        char *id = no ? law_id_of(no) : NULL;
        if (id)
            strmap_add(ids, id, (void *)law);
        free(id);
    }
}

/* Creates the entities of a data file's tree; laws whose id is in skip are
 * left out (a site's own law of that number replaces the built-in one). */
static void load_file(model *m, val *root, size_t kind, const strmap *skip, diag_list *d)
{
    if (val_kind_of(root) == VAL_NULL)
        return;
    if (val_kind_of(root) != VAL_MAP) {
        src_pos at = val_pos(root);
        diag_error(d, at.file, at.line, at.col, "a data file must be 'key: value' lines at the top");
        m->incomplete = true;
        return;
    }
    const char *known[4] = {NULL, NULL, NULL, NULL};
    for (size_t k = 0; k < 3 && data_files[kind].key[k]; k++)
        known[k] = data_files[kind].key[k];
    schema_known_keys(root, known, val_pos(root).file, d);
    entity *owner = NULL;
    for (size_t k = 0; k < 3 && data_files[kind].key[k]; k++) {
        val *v = val_get(root, data_files[kind].key[k]);
        etype t = data_files[kind].type[k];
        if (!v)
            continue;
        if (data_files[kind].single[k]) {
            owner = create(m, t, v, NULL, d);
            continue;
        }
        if (val_kind_of(v) != VAL_LIST) {
            src_pos at = val_pos(v);
            diag_error(d, at.file, at.line, at.col, "'%s' must be a list of entries ('- %s: …')",
                       data_files[kind].key[k], t == E_TERM ? "termi" : "id"); /* terms have no id */
            m->incomplete = true;
            continue;
        }
        if (t == E_FORUM && !owner && val_get(root, "malli")) {
            continue; /* the model's own error is reported; its forums cannot be named */
        }
        if (t == E_FORUM && !owner) {
            src_pos at = val_pos(v);
            diag_error(d, at.file, at.line, at.col,
                       "forums belong to a model: add 'malli:' with the model's id, name and state "
                       "at the top of the file");
            continue;
        }
        for (size_t i = 0; i < val_len(v); i++) {
            const val *item = val_at(v, i);
            const char *no = skip && t == E_LAW && val_kind_of(item) == VAL_MAP
                                 ? val_get_str(item, model_field_keys[F_NUMERO])
                                 : NULL;
            char *id = no ? law_id_of(no) : NULL;
            bool replaced = id && strmap_has(skip, id);
            free(id);
            if (!replaced)
                create(m, t, val_at(v, i), owner, d);
        }
    }
}

/* Which of data_files a data file is, or N_DATA_FILES. */
static size_t data_kind(const src_file *f)
{
    size_t kind = N_DATA_FILES;
    for (size_t k = 0; k < N_DATA_FILES; k++) {
        const char *name = data_files[k].file;
        size_t n = strlen(name);
        if (name[n - 1] == '/' ? !strncmp(f->path, name, n) && !strchr(f->path + n, '/')
                               : !strcmp(f->path, name))
            kind = k;
    }
    return kind;
}

/* The national statutes (layouts/lait/ *.yaml: built in, or the site's own
 * file of the same name) come first, then the site's data. A site's
 * lait.yaml adds laws, and a law of the same number (numero) replaces the
 * built-in law whole: its sections, subsections and obligations. The
 * statutes join only a site with data (content/data/): a plain Markdown
 * site has no laws. */
/* A folder's _sektio.yaml or a translation of it (content/osa-3/_sektio.sv.yaml; see site.h). */
static bool is_section_file(const char *path)
{
    const char *base = strrchr(path, '/');
    size_t n = base ? strlen(base + 1) : 0;
    return base && !strncmp(base + 1, "_sektio.", 8) && n >= 12 && !strcmp(base + 1 + n - 5, ".yaml");
}

static void load_all(model *m, diag_list *d)
{
    val *site_laws = NULL;
    bool any_data = false;
    for (size_t i = 0; i < src_count(m->src, SRC_DATA); i++) {
        const src_file *f = src_at(m->src, SRC_DATA, i);
        any_data = any_data || !strncmp(f->path, "content/data/", 13);
        if (data_kind(f) == LAW_FILE)
            site_laws = parse_file(m, f, d);
    }
    any_data = any_data || src_dropped(m->src, SRC_DATA) > 0;
    strmap *replaced = strmap_new();
    law_ids(site_laws, replaced);
    for (size_t i = 0; any_data && i < src_count(m->src, SRC_STATUTES); i++) {
        val *root = parse_file(m, src_at(m->src, SRC_STATUTES, i), d);
        m->loading_theme = true; /* built in, or the site's copy of them */
        if (root)
            load_file(m, root, LAW_FILE, replaced, d);
        m->loading_theme = false;
    }
    strmap_free(replaced);
    for (size_t i = 0; i < src_count(m->src, SRC_DATA); i++) {
        const src_file *f = src_at(m->src, SRC_DATA, i);
        size_t kind = data_kind(f);
        if (kind == LAW_FILE) {
            if (site_laws)
                load_file(m, site_laws, kind, NULL, d);
        } else if (kind < N_DATA_FILES) {
            val *root = parse_file(m, f, d);
            if (root)
                load_file(m, root, kind, NULL, d);
        } else if (!strncmp(f->path, "content/data/", 13)) {
            diag_error(d, f->path, 0, 0,
                       "unknown data file: content/data/ holds toimijat.yaml, lait.yaml, "
                       "asiakirjat.yaml, vuosikello.yaml, vastuunjako.yaml, sanasto.yaml and "
                       "mallit/*.yaml");
        } else if (!is_section_file(f->path)) { /* a section's title: read by site.c */
            diag_warning(d, f->path, 0, 0,
                         "this YAML file is not read: model data goes under content/data/");
        }
    }
}

/* } */

/* {====== Resolving fields ====== */

static void targets_noun(unsigned targets, buf_t *out)
{
    const char *names[E_COUNT];
    size_t n = 0;
    for (int t = 0; t < E_COUNT; t++)
        if (targets & T(t))
            names[n++] = types[t].noun;
    for (size_t i = 0; i < n; i++)
        buf_printf(out, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);
}

/* Candidate ids of the given types, for suggestions (caller frees the array). */
static const char **candidates(const model *m, unsigned targets, size_t *n)
{
    size_t total = 0;
    for (int t = 0; t < E_COUNT; t++)
        if (targets & T(t))
            total += m->all[t].len;
    const char **c = xmalloc((total ? total : 1) * sizeof(char *));
    *n = 0;
    for (int t = 0; t < E_COUNT; t++)
        if (targets & T(t))
            for (size_t i = 0; i < m->all[t].len; i++)
                c[(*n)++] = m->all[t].items[i]->id;
    return c;
}

/* A string value made of a buffer's contents (the buffer is emptied). */
static val *buf_to_val(buf_t *b, src_pos at)
{
    size_t n = b->len;
    return val_str_own(buf_detach(b), n, at);
}

/* Finds id among the target types; reports unknown ids and wrong types
 * (parties, groups and roles share one namespace, so a role given where a
 * party is wanted is named as such). */
static entity *lookup(model *m, const entity *from, const val *v, unsigned targets, const char *key,
                      diag_list *d)
{
    src_pos at = val_pos(v);
    const char *id = val_as_str(v);
    char *owned = NULL;
    if (!id) {
        owned = val_to_text(v);
        id = owned;
    }
    entity *e = NULL;
    for (int t = 0; t < E_COUNT && !e; t++) {
        strmap *ns = (targets & T(t)) ? ns_of(m, t) : NULL;
        if (!ns)
            continue;
        e = strmap_get(ns, id);
        /* Inside a model file a forum may be named without its model. */
        if (!e && t == E_FORUM && from->owner && from->owner->type == E_MODEL) {
            char *full = xasprintf("%s/%s", from->owner->id, id);
            e = strmap_get(ns, full);
            free(full);
        }
    }
    buf_t noun = BUF_INIT;
    targets_noun(targets, &noun);
    if (!e && model_may_define(m, id)) {
        /* it may be defined in what could not be read, or its id was refused */
    } else if (!e) {
        size_t n;
        const char **c = candidates(m, targets, &n);
        const char *hint = diag_suggest(id, c, n);
        if (hint)
            diag_error(d, at.file, at.line, at.col, "unknown %s '%s' (did you mean '%s'?)", noun.ptr,
                       id, hint);
        else if (targets & T(E_FORUM))
            diag_error(d, at.file, at.line, at.col,
                       "unknown %s '%s' (name a forum as model/forum, e.g. 'pk-2025/hyte-neuvottelu')",
                       noun.ptr, id);
        else
            diag_error(d, at.file, at.line, at.col, "unknown %s '%s'", noun.ptr, id);
        free(c);
    } else if (!(targets & T(e->type))) {
        diag_error(d, at.file, at.line, at.col, "'%s' must name a %s, but '%s' is a %s", key,
                   noun.ptr, id, types[e->type].noun);
        e = NULL;
    }
    buf_free(&noun);
    free(owned);
    return e;
}

/* A list value, or a single scalar taken as a one-item list. */
static bool as_list(const val *v, const char *key, diag_list *d)
{
    if (val_kind_of(v) == VAL_LIST)
        return true;
    src_pos at = val_pos(v);
    diag_error(d, at.file, at.line, at.col, "'%s' must be a list, e.g. '%s: [a, b]'", key, key);
    return false;
}

static const char *scalar_text(const val *v, char **owned)
{
    *owned = NULL;
    if (val_kind_of(v) == VAL_STR)
        return val_as_str(v);
    if (val_kind_of(v) == VAL_NUM || val_kind_of(v) == VAL_BOOL)
        return *owned = val_to_text(v);
    return NULL;
}

/* {====== Texts in several languages ====== */

/* site.yaml's `languages: [fi, sv]` (or `language:`) and `kaannokset:`,
 * read quietly: the site reports their mistakes. */
static void read_languages(model *m)
{
    const src_file *cfg = src_config(m->src);
    diag_list *quiet = diag_list_new();
    val *root = cfg && cfg->data ? yaml_load(cfg->data, cfg->len, "site.yaml", 0, quiet) : NULL;
    bool map = val_kind_of(root) == VAL_MAP;
    const val *l = map ? val_get(root, "languages") : NULL;
    for (size_t i = 0; val_kind_of(l) == VAL_LIST && i < val_len(l) && m->n_langs < MODEL_MAX_LANGS; i++) {
        const char *code = val_as_str(val_at(l, i));
        bool ok = code && strlen(code) >= 2 && strlen(code) <= 3;
        for (const char *c = code; ok && *c; c++)
            ok = *c >= 'a' && *c <= 'z';
        for (size_t k = 0; ok && k < m->n_langs; k++)
            ok = strcmp(m->langs[k], code) != 0;
        if (ok)
            m->langs[m->n_langs++] = xstrdup(code);
    }
    if (!m->n_langs) {
        const char *lang = map ? val_get_str(root, "language") : NULL;
        m->langs[m->n_langs++] = xstrdup(lang && *lang ? lang : I18N_DEFAULT);
    }
    const char *tr = map ? val_get_str(root, "kaannokset") : NULL;
    m->tr_optional = tr && !strcmp(tr, "valinnainen");
    val_free(root);
    diag_list_free(quiet);
}

static int lang_index(const model *m, const char *code)
{
    for (size_t i = 0; i < m->n_langs; i++)
        if (!strcmp(m->langs[i], code))
            return (int)i;
    return -1;
}

size_t model_untranslated(const model *m, const char *code)
{
    int k = lang_index(m, code);
    return k > 0 ? m->untranslated[k] : 0;
}

/* A reader's text v of e (key `key`): plain text (the default language's)
 * or a map of a text per language. Checks the map (languages the site
 * has, texts not empty, the default's given), fills per[] (NULL: none) and
 * returns the default's text (NULL after an error). On a site of several
 * languages, each language without a text is counted and warned about
 * (kaannokset: valinnainen: counted only), but not in the national statutes, which may also
 * hold languages the site lacks. */
static const char *loc_text(model *m, const entity *e, const val *v, const char *key, const char **per,
                            diag_list *d)
{
    for (size_t k = m->n_langs; k < MODEL_MAX_LANGS; k++)
        per[k] = NULL;
    const loc_langs l = {.langs = (const char *const *)m->langs, .n_langs = m->n_langs, .theme = e->theme,
                         .optional = m->tr_optional, .untranslated = m->untranslated};
    return loc_check(&l, v, key, per, d);
}

const char *model_text(model *m, const val *v, const char *key, const char **per, diag_list *d)
{
    const entity e = {.theme = false};
    return loc_text(m, &e, v, key, per, d);
}

/* The other languages' texts of per (when any) as node[key_kielet] = {sv: …}. */
static void loc_store(const model *m, val *node, const char *key, const char *const *per)
{
    val *tr = NULL;
    for (size_t k = 1; k < m->n_langs; k++) {
        if (!per[k])
            continue;
        if (!tr)
            tr = val_map((src_pos){0});
        val_set_str(tr, m->langs[k], per[k]);
    }
    if (tr) {
        char *name = xasprintf("%s_kielet", key);
        val_set(node, name, tr);
        free(name);
    }
}

/* The text of per (the default's, dflt, when per has none in the model's
 * language) set as node[key], and in a view of another language
 * node[key_lang]: false for its own text, the default language's code for
 * the default's (so layouts mark it with lang). Returns the text set. */
static const char *loc_put(const model *m, val *node, const char *key, const char *const *per, const char *dflt)
{
    const char *t = m->view && per[m->view] ? per[m->view] : dflt;
    val_set_str(node, key, t);
    if (m->view) {
        char *name = xasprintf("%s_lang", key);
        val_set(node, name, per[m->view] ? val_bool(false, (src_pos){0}) : val_str(m->langs[0], (src_pos){0}));
        free(name);
    }
    return val_get_str(node, key);
}

/* } */

static int enum_index(const char *s, const char *const *values)
{
    for (int i = 0; values[i]; i++)
        if (!strcmp(s, values[i]))
            return i;
    return -1;
}

static void enum_error(const val *v, const char *key, const char *s, const char *const *values,
                       diag_list *d)
{
    src_pos at = val_pos(v);
    size_t n = 0;
    buf_t list = BUF_INIT;
    for (; values[n]; n++)
        buf_printf(&list, "%s%s", n ? ", " : "", values[n]);
    const char *hint = diag_suggest(s, values, n);
    val_kind k = val_kind_of(v);
    if (k == VAL_LIST || k == VAL_MAP)
        diag_error(d, at.file, at.line, at.col, "'%s' must be text, not a %s (use one of: %s)", key,
                   k == VAL_LIST ? "list" : "mapping", list.ptr);
    else if (hint)
        diag_error(d, at.file, at.line, at.col, "'%s' cannot be '%s' (use one of: %s; did you mean '%s'?)",
                   key, s, list.ptr, hint);
    else
        diag_error(d, at.file, at.line, at.col, "'%s' cannot be '%s' (use one of: %s)", key, s,
                   list.ptr);
    buf_free(&list);
}

static void freq_error(const val *v, const char *s, const char *why, diag_list *d)
{
    src_pos at = val_pos(v);
    diag_error(d, at.file, at.line, at.col, "malformed frequency '%s': %s", s, why);
}

/* Parses one kind requirement: "kunta", "jarjesto|yritys", "kaikki:kunta". */
static bool parse_kindreq(const val *v, kindreq *out, diag_list *d)
{
    char *owned;
    const char *s = scalar_text(v, &owned);
    src_pos at = val_pos(v);
    memset(out, 0, sizeof *out);
    if (!s) {
        diag_error(d, at.file, at.line, at.col, "a kind must be text, e.g. 'kunta' or 'jarjesto|yritys'");
        return false;
    }
    if (!strncmp(s, "kaikki:", 7)) {
        out->all = true;
        s += 7;
    }
    bool ok = true;
    const char *p = s;
    while (ok) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        char *word = xstrndup(p, n);
        int k = enum_index(word, model_kind_names);
        if (k < 0) {
            const char *hint = diag_suggest(word, model_kind_names, K_COUNT);
            buf_t kinds = BUF_INIT; /* from the table, so a new kind is listed */
            for (int i = 0; i < K_COUNT; i++)
                buf_printf(&kinds, "%s%s", i ? ", " : "", model_kind_names[i]);
            diag_error(d, at.file, at.line, at.col, "unknown kind '%s' (kinds: %s%s%s%s)", word, kinds.ptr,
                       hint ? "; did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
            buf_free(&kinds);
            ok = false;
        } else {
            out->kinds |= 1u << k;
        }
        free(word);
        if (!bar)
            break;
        p = bar + 1;
    }
    free(owned);
    return ok;
}

const char *model_label(const model *m, const char *group, const char *value)
{
    char *key = xasprintf("%s.%s", group, value);
    const char *text = i18n_text(m->cat, key);
    free(key);
    return text;
}

void model_kinds_text(const model *m, unsigned kinds, buf_t *out)
{
    buf_t acc = BUF_INIT;
    for (int i = 0; i < K_COUNT; i++) {
        if (!(kinds & (1u << i)))
            continue;
        const char *label = model_label(m, "toimijan_laji", model_kind_names[i]);
        if (!acc.len) {
            buf_puts(&acc, label);
            continue;
        }
        buf_t both = BUF_INIT;
        i18n_put(m->cat, &both, "lajit.tai", "a", buf_cstr(&acc), "b", label, NULL);
        buf_free(&acc);
        acc = both;
    }
    buf_puts(out, buf_cstr(&acc));
    buf_free(&acc);
}

static void kindreq_text(const model *m, const kindreq *k, buf_t *out)
{
    if (!k->all) {
        model_kinds_text(m, k->kinds, out);
        return;
    }
    buf_t kinds = BUF_INIT;
    model_kinds_text(m, k->kinds, &kinds);
    i18n_put(m->cat, out, "lajit.kaikki", "lajit", buf_cstr(&kinds), NULL);
    buf_free(&kinds);
}

static entity *find_section(model *m, const syn_lawref *r)
{
    char *law_id = xstrdup(r->law);
    *strchr(law_id, '/') = '-';
    buf_t key = BUF_INIT;
    buf_printf(&key, "%s-", law_id);
    for (const char *p = r->section; *p; p++)
        if (*p != ' ')
            buf_putc(&key, *p);
    entity *s = strmap_get(m->ns_section, key.ptr);
    buf_free(&key);
    free(law_id);
    return s;
}

/* How many subsections a section has: its 'momentteja', or else the highest
 * subsection its 'momentit' give (subsection n means that 1…n-1 exist too);
 * 0 when it says nothing of them (any subsection may be cited). */
static int subsection_count(const entity *sec)
{
    const fval *count = ent_get(sec, F_MOMENTTEJA), *given = ent_get(sec, F_MOMENTIT);
    if (count->set)
        return count->num > given->num ? count->num : given->num;
    return given->set ? given->num : 0;
}

/* Resolves "611/2021 14 §" against lait.yaml, with what is wrong when it does not. */
static bool resolve_lawref(model *m, const val *v, lawlink *out, diag_list *d)
{
    src_pos at = val_pos(v);
    const char *s = val_as_str(v);
    syn_lawref r;
    if (!s || !syn_lawref_parse(s, &r)) {
        char *t = val_to_text(v);
        diag_error(d, at.file, at.line, at.col,
                   "malformed legal basis '%s' (write e.g. '611/2021 14 §' or '612/2021 7 § 4 mom', "
                   "in quotes)",
                   t);
        free(t);
        return false;
    }
    char *law_id = xstrdup(r.law);
    *strchr(law_id, '/') = '-';
    entity *law = strmap_get(m->ns_law, law_id);
    free(law_id);
    if (!law && model_may_define(m, r.law))
        return false; /* it may be in what could not be read */
    if (!law) {
        size_t n = m->all[E_LAW].len;
        const char **c = xmalloc((n ? n : 1) * sizeof(char *));
        for (size_t i = 0; i < n; i++)
            c[i] = ent_get(m->all[E_LAW].items[i], F_NUMERO)->text;
        const char *hint = diag_suggest(r.law, c, n);
        diag_error(d, at.file, at.line, at.col,
                   "unknown law '%s'%s%s%s (the national laws are built in; add others to "
                   "content/data/lait.yaml)",
                   r.law, hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
        free(c);
        return false;
    }
    entity *sec = find_section(m, &r);
    if (!sec && m->incomplete)
        return false;
    if (!sec) {
        buf_t have = BUF_INIT;
        for (size_t i = 0; i < m->all[E_SECTION].len; i++) {
            entity *x = m->all[E_SECTION].items[i];
            if (x->owner == law)
                buf_printf(&have, "%s%s §", have.len ? ", " : "", ent_get(x, F_PYKALA)->text);
        }
        diag_error(d, at.file, at.line, at.col, "%s has no section %s § in lait.yaml (it has %s)",
                   r.law, r.section, have.len ? have.ptr : "none");
        buf_free(&have);
        return false;
    }
    int have = subsection_count(sec);
    if (r.subsection && have && r.subsection > have) {
        diag_error(d, at.file, at.line, at.col, "%s %s § has no subsection %d mom (it has %d)", r.law,
                   r.section, r.subsection, have);
        return false;
    }
    out->section = sec;
    out->subsection = r.subsection;
    return true;
}

/* One present field of one entity, for its type's resolver. */
typedef struct {
    model *m;
    entity *e;
    const field *f;
    fval *fv;
    val *v;            /* the source value: present and not null */
    const char *key;   /* its YAML key */
    const char *where; /* "a party" */
    src_pos at;        /* where v is */
    diag_list *d;
} rctx;

static void resolve_text(const rctx *c)
{
    if (c->f->type == FT_TEXT) {
        const char *per[MODEL_MAX_LANGS];
        bool map = val_kind_of(c->v) == VAL_MAP;
        const char *s = map ? loc_text(c->m, c->e, c->v, c->key, per, c->d) : NULL;
        if (map && !s)
            return;
        if (!map) {
            s = schema_text((val *)c->e->src, c->key, false, c->where, c->d);
            if (!s)
                return;
            /* (schema_text may have replaced a number's node with its text) */
            loc_text(c->m, c->e, val_get(c->e->src, c->key), c->key, per, c->d);
        }
        /* (the view's text, so that names and titles made of it are in its language) */
        c->fv->text = loc_put(c->m, c->e->out, c->key, per, s);
        c->fv->set = true;
        loc_store(c->m, c->e->out, c->key, per);
        return;
    }
    const char *s = schema_text((val *)c->e->src, c->key, false, c->where, c->d);
    if (!s)
        return;
    if (c->f->type == FT_URL && strncmp(s, "https://", 8) && strncmp(s, "http://", 7)) {
        diag_error(c->d, c->at.file, c->at.line, c->at.col,
                   "'%s' must be a web address starting with https:// (got '%s')", c->key, s);
        return;
    }
    c->fv->text = s;
    c->fv->set = true;
    if (c->f->type != FT_ID)
        val_set_str(c->e->out, c->key, s);
}

static void resolve_enum(const rctx *c)
{
    const char *s = val_as_str(c->v);
    int k = s ? enum_index(s, c->f->values) : -1;
    if (k < 0) {
        char *t = val_to_text(c->v);
        enum_error(c->v, c->key, t, c->f->values, c->d);
        free(t);
        return;
    }
    c->fv->set = true;
    c->fv->num = k;
    c->fv->text = s;
    val_set_str(c->e->out, c->key, s);
    if (c->f->labels) {
        char *label_key = xasprintf("%s" OK_SUFFIX_NIMI, c->key);
        val_set_str(c->e->out, label_key, model_label(c->m, c->f->labels, s));
        free(label_key);
    }
}

static void resolve_bool(const rctx *c)
{
    c->fv->flag = schema_bool(c->e->src, c->key, false, c->d);
    c->fv->set = val_kind_of(c->v) == VAL_BOOL;
    val_set(c->e->out, c->key, val_bool(c->fv->flag, c->at));
}

static void resolve_int(const rctx *c)
{
    double n = schema_int(c->e->src, c->key, 0, c->d);
    if (val_kind_of(c->v) == VAL_NUM && n == (int)n) {
        if (n < 1) {
            diag_error(c->d, c->at.file, c->at.line, c->at.col, "'%s' must be 1 or more", c->key);
            return;
        }
        c->fv->set = true;
        c->fv->num = (int)n;
        val_set(c->e->out, c->key, val_num(n, c->at));
    }
}

static void resolve_ref(const rctx *c)
{
    assert(c->f->targets); /* a reference names the types it may point to */
    model *m = c->m;
    entity *e = c->e;
    const field *f = c->f;
    fval *fv = c->fv;
    val *v = c->v;
    val *out = c->e->out;
    const char *key = c->key;
    diag_list *d = c->d;
    entity *t = lookup(m, e, v, f->targets, key, d);
    if (!t)
        return;
    fv->set = true;
    fv->ref = t;
    val_set(out, key, val_ref(t->out));
}

static void resolve_refs(const rctx *c)
{
    if (!as_list(c->v, c->key, c->d))
        return;
    val *list = val_list(c->at);
    c->fv->refs = xcalloc(val_len(c->v) + 1, sizeof(entity *));
    for (size_t k = 0; k < val_len(c->v); k++) {
        entity *t = lookup(c->m, c->e, val_at(c->v, k), c->f->targets, c->key, c->d);
        if (!t)
            continue;
        bool dup = false;
        for (size_t j = 0; j < c->fv->n_refs; j++)
            dup = dup || c->fv->refs[j] == t;
        if (dup) {
            src_pos p = val_pos(val_at(c->v, k));
            diag_error(c->d, p.file, p.line, p.col, "'%s' lists '%s' twice", c->key, t->id);
            continue;
        }
        c->fv->refs[c->fv->n_refs++] = t;
        val_push(list, val_ref(t->out));
    }
    c->fv->set = true;
    val_set(c->e->out, c->key, list);
}

static void resolve_freq(const rctx *c)
{
    char *owned;
    const char *s = scalar_text(c->v, &owned);
    const char *why;
    if (!s || !syn_freq_parse(s, &c->fv->freq, &why)) {
        char *t = val_to_text(c->v);
        freq_error(c->v, t, s ? why : "write it as text, e.g. '1/vuosi'", c->d);
        free(t);
        free(owned);
        return;
    }
    c->fv->set = true;
    val_set_str(c->e->out, c->key, s);
    buf_t b = BUF_INIT;
    syn_freq_describe(c->m->cat, &c->fv->freq, &b);
    char *label_key = xasprintf("%s" OK_SUFFIX_TEKSTI, c->key);
    val_set(c->e->out, label_key, buf_to_val(&b, c->at));
    free(label_key);
    free(owned);
}

static void resolve_months(const rctx *c)
{
    if (!as_list(c->v, c->key, c->d))
        return;
    val *list = val_list(c->at);
    buf_t text = BUF_INIT;
    for (size_t k = 0; k < val_len(c->v); k++) {
        const val *mv = val_at(c->v, k);
        double n = val_as_num(mv);
        src_pos p = val_pos(mv);
        val_kind mk = val_kind_of(mv);
        if (mk == VAL_LIST || mk == VAL_MAP) {
            diag_error(c->d, p.file, p.line, p.col, "a month must be a number 1–12, not a %s (1 = tammikuu)",
                       mk == VAL_LIST ? "list" : "mapping");
            continue;
        }
        if (mk != VAL_NUM || n != (int)n) {
            char *t = val_to_text(mv);
            diag_error(c->d, p.file, p.line, p.col, "month '%s' must be a number 1–12 (1 = tammikuu)", t);
            free(t);
            continue;
        }
        if (n < 1 || n > 12) {
            diag_error(c->d, p.file, p.line, p.col, "month %d is out of range (months are 1–12)", (int)n);
            continue;
        }
        c->fv->num |= 1 << (int)n;
        val *mo = val_map(p);
        val_set(mo, OK_NRO, val_num(n, p));
        val_set_str(mo, OK_NIMI, syn_month_name(c->m->cat, (int)n));
        val_push(list, mo);
        buf_printf(&text, "%s%s", text.len ? ", " : "", syn_month_name(c->m->cat, (int)n));
    }
    c->fv->set = true;
    val_set(c->e->out, c->key, list);
    char *label_key = xasprintf("%s" OK_SUFFIX_TEKSTI, c->key);
    val_set_str(c->e->out, label_key, buf_cstr(&text));
    free(label_key);
    buf_free(&text);
}

static void resolve_date(const rctx *c)
{
    char *owned;
    const char *s = scalar_text(c->v, &owned);
    syn_date dt;
    if (!s || !syn_date_parse(s, &dt)) {
        char *t = val_to_text(c->v);
        diag_error(c->d, c->at.file, c->at.line, c->at.col,
                   "malformed date '%s' (write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2025-03-17)", t);
        free(t);
        free(owned);
        return;
    }
    c->fv->set = true;
    c->fv->num = dt.year * 10000 + dt.month * 100 + dt.day;
    val_set_str(c->e->out, c->key, s);
    buf_t b = BUF_INIT;
    syn_date_describe(c->m->cat, &dt, &b);
    char *label_key = xasprintf("%s" OK_SUFFIX_TEKSTI, c->key);
    val_set_str(c->e->out, label_key, buf_cstr(&b));
    free(label_key);
    buf_free(&b);
    free(owned);
}

static void resolve_lawrefs(const rctx *c)
{
    if (!as_list(c->v, c->key, c->d))
        return;
    val *list = val_list(c->at);
    c->fv->laws = xcalloc(val_len(c->v) + 1, sizeof(lawlink));
    for (size_t k = 0; k < val_len(c->v); k++) {
        lawlink l;
        if (!resolve_lawref(c->m, val_at(c->v, k), &l, c->d))
            continue;
        assert(l.section); /* resolve_lawref succeeded */
        c->fv->laws[c->fv->n_laws++] = l;
        val *item = val_map(val_pos(val_at(c->v, k)));
        val_set_str(item, OK_TEKSTI, val_as_str(val_at(c->v, k)));
        val_set(item, OK_PYKALA, val_ref(l.section->out));
        val_push(list, item);
    }
    c->fv->set = true;
    val_set(c->e->out, c->key, list);
}

static void resolve_texts(const rctx *c)
{
    if (!as_list(c->v, c->key, c->d))
        return;
    val *list = val_list(c->at);
    for (size_t k = 0; k < val_len(c->v); k++) {
        char *owned = NULL;
        const val *iv = val_at(c->v, k);
        const char *per[MODEL_MAX_LANGS];
        const char *s = val_kind_of(iv) == VAL_MAP ? loc_text(c->m, c->e, iv, c->key, per, c->d)
                                                   : scalar_text(iv, &owned);
        if (!s) {
            src_pos p = val_pos(iv);
            if (val_kind_of(iv) != VAL_MAP)
                diag_error(c->d, p.file, p.line, p.col, "the items of '%s' must be text", c->key);
            continue;
        }
        if (val_kind_of(iv) != VAL_MAP)
            loc_text(c->m, c->e, iv, c->key, per, c->d);
        val *item = val_map(val_pos(iv));
        val_set(item, OK_NRO, val_num((double)k + 1, (src_pos){0}));
        loc_put(c->m, item, OK_TEKSTI, per, s);
        loc_store(c->m, item, OK_TEKSTI, per);
        val_push(list, item);
        free(owned);
    }
    c->fv->set = true;
    val_set(c->e->out, c->key, list);
}

/* A section's subsections: a list whose items are the texts in order (1 mom,
 * 2 mom, …), and any item may instead be {momentti: N, teksti: "…"}, so that
 * a section gives only the subsections it needs; a plain text after it is
 * N+1. The numbers must rise. fv->num is the highest one given. */
static const char *const subsection_keys[] = {OK_MOMENTTI, OK_TEKSTI, NULL};
static const char *const gap_keys[] = {OK_VELVOITE, OK_SYY, NULL};

static void resolve_subsections(const rctx *c)
{
    static const char *const *const known = subsection_keys;
    static const char *const where = "a subsection";
    if (!as_list(c->v, c->key, c->d))
        return;
    val *list = val_list(c->at);
    int last = 0;
    for (size_t k = 0; k < val_len(c->v); k++) {
        val *item = val_at(c->v, k);
        src_pos p = val_pos(item);
        char *owned = NULL;
        const char *text;
        int no = last + 1;
        if (val_kind_of(item) == VAL_MAP) {
            schema_known_keys(item, known, where, c->d);
            const val *nv = val_get(item, OK_MOMENTTI);
            text = schema_text(item, OK_TEKSTI, true, where, c->d);
            double n = nv ? val_as_num(nv) : 0;
            if (!nv || val_kind_of(nv) == VAL_NULL) {
                diag_error(c->d, p.file, p.line, p.col,
                           "a subsection given as a mapping needs its number: add a line '%s: N'",
                           OK_MOMENTTI);
                continue;
            }
            if (val_kind_of(nv) != VAL_NUM || n != (int)n || n < 1) {
                src_pos np = val_pos(nv);
                char *t = val_to_text(nv);
                diag_error(c->d, np.file, np.line, np.col,
                           "'%s' must be the subsection's number, 1 or more (got '%s')", OK_MOMENTTI, t);
                free(t);
                continue;
            }
            no = (int)n;
            if (no <= last) {
                src_pos np = val_pos(nv);
                diag_error(c->d, np.file, np.line, np.col,
                           "subsection %d comes after subsection %d (give the subsections in order, "
                           "each once)",
                           no, last);
                continue;
            }
            if (!text) {
                last = no; /* the number is taken all the same */
                continue;
            }
        } else {
            text = scalar_text(item, &owned);
            if (!text) {
                diag_error(c->d, p.file, p.line, p.col,
                           "the items of '%s' must be text, or '{%s: N, %s: \"…\"}'", c->key,
                           OK_MOMENTTI, OK_TEKSTI);
                continue;
            }
        }
        last = no;
        val *out = val_map(p);
        val_set(out, OK_NRO, val_num(no, (src_pos){0}));
        const char *none[MODEL_MAX_LANGS] = {0}; /* a statute's text is in the default language only */
        loc_put(c->m, out, OK_TEKSTI, none, text);
        val_push(list, out);
        free(owned);
    }
    c->fv->num = last;
    c->fv->set = true;
    val_set(c->e->out, c->key, list);
}

static void resolve_kinds(const rctx *c)
{
    if (!as_list(c->v, c->key, c->d))
        return;
    val *list = val_list(c->at);
    c->fv->kinds = xcalloc(val_len(c->v) + 1, sizeof(kindreq));
    buf_t all = BUF_INIT;
    for (size_t k = 0; k < val_len(c->v); k++) {
        kindreq r;
        if (!parse_kindreq(val_at(c->v, k), &r, c->d))
            continue;
        c->fv->kinds[c->fv->n_kinds++] = r;
        buf_t b = BUF_INIT;
        kindreq_text(c->m, &r, &b);
        buf_printf(&all, "%s%s", all.len ? ", " : "", b.ptr);
        val_push(list, buf_to_val(&b, c->at));
    }
    c->fv->set = true;
    val_set(c->e->out, c->key, list);
    char *label_key = xasprintf("%s" OK_SUFFIX_TEKSTI, c->key);
    val_set(c->e->out, label_key, buf_to_val(&all, c->at));
    free(label_key);
}

static void resolve_enums(const rctx *c)
{
    if (!as_list(c->v, c->key, c->d))
        return;
    val *list = val_list(c->at);
    for (size_t k = 0; k < val_len(c->v); k++) {
        const val *item = val_at(c->v, k);
        const char *s = val_as_str(item);
        int idx = s ? enum_index(s, c->f->values) : -1;
        if (idx < 0) {
            char *t = val_to_text(item);
            enum_error(item, c->key, t, c->f->values, c->d);
            free(t);
            continue;
        }
        c->fv->num |= 1 << idx;
        val_push(list, val_str(c->f->labels ? model_label(c->m, c->f->labels, s) : s, val_pos(item)));
    }
    c->fv->set = true;
    val_set(c->e->out, c->key, list);
}

/* A model's known gaps: entries {velvoite: <obligation>, syy: "<reason>"}.
 * Whether each obligation is in fact unmet is checked with the coverage. */
static void resolve_gaps(const rctx *c)
{
    static const char *const *const known = gap_keys;
    if (!as_list(c->v, c->key, c->d))
        return;
    val *list = val_list(c->at);
    size_t n = val_len(c->v);
    c->fv->refs = xcalloc(n + 1, sizeof(entity *));
    c->fv->items = xcalloc(n + 1, sizeof(val *));
    for (size_t k = 0; k < n; k++) {
        val *item = val_at(c->v, k);
        src_pos p = val_pos(item);
        if (val_kind_of(item) != VAL_MAP) {
            diag_error(c->d, p.file, p.line, p.col,
                       "an item of '%s' must be 'velvoite: <obligation id>' and 'syy: \"…\"' lines",
                       c->key);
            continue;
        }
        schema_known_keys(item, known, "a known gap", c->d);
        const char *why = schema_text(item, OK_SYY, true, "a known gap", c->d);
        if (why && strspn(why, " \t\r\n") == strlen(why)) {
            src_pos w = val_pos(val_get(item, OK_SYY));
            diag_error(c->d, w.file, w.line, w.col,
                       "'%s' is empty: write why the obligation is not met", OK_SYY);
            why = NULL;
        }
        const val *ov = val_get(item, OK_VELVOITE);
        if (!ov || val_kind_of(ov) == VAL_NULL) {
            diag_error(c->d, p.file, p.line, p.col,
                       "a known gap has no '%s': add a line '%s: <obligation id>'", OK_VELVOITE,
                       OK_VELVOITE);
            continue;
        }
        entity *t = lookup(c->m, c->e, ov, c->f->targets, OK_VELVOITE, c->d);
        if (!t || !why)
            continue;
        bool dup = false;
        for (size_t j = 0; j < c->fv->n_refs; j++)
            dup = dup || c->fv->refs[j] == t;
        if (dup) {
            src_pos o = val_pos(ov);
            diag_error(c->d, o.file, o.line, o.col, "'%s' lists '%s' twice", c->key, t->id);
            continue;
        }
        c->fv->items[c->fv->n_refs] = item;
        c->fv->refs[c->fv->n_refs++] = t;
        val *gap = val_map(p);
        val_set(gap, OK_VELVOITE, val_ref(t->out));
        val_set_str(gap, OK_SYY, why);
        val_push(list, gap);
    }
    c->fv->set = true;
    val_set(c->e->out, c->key, list);
}

static void resolve_owned(const rctx *c)
{
    c->fv->v = c->v;
    c->fv->set = true; /* children and role maps are handled with their owner */
}

/* How each kind of field is checked, stored in fval and shown in out. */
static void (*const resolvers[])(const rctx *) = {
    [FT_ID] = resolve_text,
    [FT_LAWNO] = resolve_text,
    [FT_SECTIONNO] = resolve_text,
    [FT_TEXT] = resolve_text,
    [FT_URL] = resolve_text,
    [FT_ENUM] = resolve_enum,
    [FT_BOOL] = resolve_bool,
    [FT_INT] = resolve_int,
    [FT_REF] = resolve_ref,
    [FT_REFS] = resolve_refs,
    [FT_FREQ] = resolve_freq,
    [FT_MONTHS] = resolve_months,
    [FT_DATE] = resolve_date,
    [FT_LAWREFS] = resolve_lawrefs,
    [FT_TEXTS] = resolve_texts,
    [FT_SUBSECTIONS] = resolve_subsections,
    [FT_KINDS] = resolve_kinds,
    [FT_ENUMS] = resolve_enums,
    [FT_GAPS] = resolve_gaps,
    [FT_ROLEMAP] = resolve_owned,
    [FT_CHILDREN] = resolve_owned,
};
_Static_assert(sizeof resolvers / sizeof *resolvers == FT_COUNT, "a resolver for every field type");

static void resolve_field(model *m, entity *e, size_t i, diag_list *d)
{
    assert(e && e->type < E_COUNT && i < n_fields(e->type));
    const field *f = &types[e->type].fields[i];
    const char *key = fkey(f);
    fval *fv = &e->f[i];
    val *v = val_get(e->src, key);
    const char *where = types[e->type].where;
    if (!v || val_kind_of(v) == VAL_NULL) {
        if (f->required && f->type != FT_CHILDREN && f->type != FT_ID && f->type != FT_LAWNO &&
            f->type != FT_SECTIONNO && !(e->type == E_TERM && f->id == F_TERMI)) {
            src_pos at = val_pos(e->src);
            diag_error(d, at.file, at.line, at.col, "%s has no '%s': add a line '%s: …'", where,
                       key, key);
        }
        return;
    }
    fv->v = v;
    assert(f->type < FT_COUNT && resolvers[f->type]);
    resolvers[f->type](&(rctx){.m = m, .e = e, .f = f, .fv = fv, .v = v, .key = key, .where = where,
                               .at = val_pos(v), .d = d});
}

/* } */

/* {====== Derived facts ====== */

/* Reports a chain that leads back to where it started ("a → b → a"). */
static bool cycle_from(entity *start, entity *e, field_id key, int depth, buf_t *path)
{
    if (depth > 0 && e == start)
        return true;
    if (depth > 64)
        return false;
    const fval *f = ent_get(e, key);
    size_t mark = path->len;
    if (f->ref) {
        buf_printf(path, " → %s", f->ref->id);
        if (cycle_from(start, f->ref, key, depth + 1, path))
            return true;
        path->len = mark;
        path->ptr[mark] = '\0';
    }
    for (size_t i = 0; i < f->n_refs; i++) {
        if (f->refs[i]->type != e->type)
            continue;
        buf_printf(path, " → %s", f->refs[i]->id);
        if (cycle_from(start, f->refs[i], key, depth + 1, path))
            return true;
        path->len = mark;
        path->ptr[mark] = '\0';
    }
    return false;
}

static void check_cycles(model *m, etype t, field_id key, diag_list *d)
{
    for (size_t i = 0; i < m->all[t].len; i++) {
        entity *e = m->all[t].items[i];
        const fval *f = ent_get(e, key);
        if (!f->set)
            continue;
        buf_t path = BUF_INIT;
        buf_puts(&path, e->id);
        if (cycle_from(e, e, key, 0, &path)) {
            src_pos at = val_pos(f->v);
            diag_error(d, at.file, at.line, at.col, "'%s' goes round in a circle: %s", model_field_keys[key], path.ptr);
        }
        buf_free(&path);
    }
}

/* What an actor counts as, in party-kind bits. */
static unsigned kind_of(entity *e, int depth)
{
    if (!e || depth > 64)
        return 0;
    if (e->kind)
        return e->kind;
    unsigned k = 0;
    if (e->type == E_PARTY) {
        const fval *laji = ent_get(e, F_LAJI);
        if (laji->set && laji->num != K_TOIMIELIN)
            k = 1u << laji->num;
        else
            k = kind_of(ent_get(e, F_OSA)->ref, depth + 1);
    } else if (e->type == E_GROUP) {
        const fval *mem = ent_get(e, F_JASENET);
        for (size_t i = 0; i < mem->n_refs; i++)
            k |= kind_of(mem->refs[i], depth + 1);
    } else if (e->type == E_ROLE) {
        k = kind_of(ent_get(e, F_TOIMIJA)->ref, depth + 1);
    }
    e->kind = k;
    return k;
}

/* Links forum f back from every actor the named ones stand for (ent_expand):
 * the forum is in each one's list `key` once. One reached only through
 * another named actor also gets an entry {foorumi, kautta} in its list
 * via_key, so that a page can say through whom ("ryhmän X kautta"). */
static void backlink_reach(const entity *const *named, size_t n, const char *key, const char *via_key,
                           const entity *f)
{
    size_t len;
    ent_reach *r = ent_expand(named, n, &len);
    for (size_t i = 0; i < len; i++) {
        ent_backlink(r[i].actor->out, key, f);
        if (!r[i].via)
            continue;
        val *entry = val_map((src_pos){0});
        val_set(entry, OK_FOORUMI, val_ref(f->out));
        val_set(entry, OK_KAUTTA, val_ref(r[i].via->out));
        val *list = val_get(r[i].actor->out, via_key);
        if (!list) {
            list = val_list((src_pos){0});
            val_set(r[i].actor->out, via_key, list);
        }
        val_push(list, entry);
    }
    free(r);
}

static void lawlinks_back(entity *e, const char *key)
{
    assert(e && key);
    const fval *f = ent_get(e, F_LAKIPERUSTA);
    for (size_t i = 0; i < f->n_laws; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen = seen || f->laws[j].section == f->laws[i].section;
        if (!seen)
            ent_backlink(f->laws[i].section->out, key, e);
    }
}

/* A party: a body needs its organisation; bodies and legal bases linked back. */
static void derive_party(model *m, entity *e, diag_list *d)
{
    (void)m;
    const fval *laji = ent_get(e, F_LAJI), *osa = ent_get(e, F_OSA);
    if (laji->set && laji->num == K_TOIMIELIN && !osa->v) {
        src_pos at = val_pos(laji->v);
        diag_error(d, at.file, at.line, at.col,
                   "a body of kind 'toimielin' must name the organisation it belongs to with "
                   "'osa: …'");
    }
    if (osa->ref)
        ent_backlink(osa->ref->out, OK_ELIMET, e);
    lawlinks_back(e, OK_TOIMIJAT);
}

/* An actor's kinds as readers see them (lajit). */
static void derive_kinds(model *m, entity *e, diag_list *d)
{
    (void)d;
    unsigned k = kind_of(e, 0);
    val *kinds = val_list((src_pos){0});
    for (int b = 0; b < K_COUNT; b++)
        if (k & (1u << b))
            val_push(kinds, val_str(model_label(m, "toimijan_laji", model_kind_names[b]), (src_pos){0}));
    val_set(e->out, OK_LAJIT, kinds);
}

/* A group: linked from its members, with its member count. An empty list
 * (a new site's municipalities) is fine, but still to be filled in. */
static void derive_group(model *m, entity *g, diag_list *d)
{
    (void)m;
    const fval *mem = ent_get(g, F_JASENET);
    if (mem->v && val_kind_of(mem->v) == VAL_LIST && val_len(mem->v) == 0) {
        src_pos at = val_pos(mem->v);
        diag_warning(d, at.file, at.line, at.col,
                     "the group '%s' has no members yet: add each member to toimijat.yaml (a "
                     "municipality with 'laji: kunta') and list their ids here, e.g. 'jasenet: "
                     "[esimerkkila, mallikoski]'",
                     g->id);
    }
    for (size_t k = 0; k < mem->n_refs; k++)
        ent_backlink(mem->refs[k]->out, OK_RYHMAT, g);
    val_set(g->out, OK_JASENIA, val_num((double)mem->n_refs, (src_pos){0}));
}

/* A role: linked from its holder and from its legal bases. */
static void derive_role(model *m, entity *r, diag_list *d)
{
    (void)m;
    (void)d;
    entity *where = ent_get(r, F_TOIMIJA)->ref;
    if (where)
        ent_backlink(where->out, OK_ROOLIT, r);
    lawlinks_back(r, OK_TOIMIJAT);
}

/* A model: the one marked current; none is its own predecessor. */
static void derive_model(model *m, entity *mo, diag_list *d)
{
    const fval *cur = ent_get(mo, F_NYKYINEN);
    if (cur->flag && m->current) {
        src_pos at = val_pos(cur->v);
        diag_error(d, at.file, at.line, at.col,
                   "two models are marked 'nykyinen: true': %s and %s (only one can be current)",
                   m->current->id, mo->id);
    } else if (cur->flag) {
        m->current = mo;
    }
    const fval *pre = ent_get(mo, F_EDELTAJA);
    if (pre->ref == mo) {
        src_pos at = val_pos(pre->v);
        diag_error(d, at.file, at.line, at.col, "a model cannot be its own 'edeltaja'");
    }
}

/* One model must be current: its coverage is what gets checked. */
static void check_current(model *m, diag_list *d)
{
    if (m->all[E_MODEL].len && !m->current) {
        entity *first = m->all[E_MODEL].items[0];
        src_pos at = val_pos(first->src);
        diag_error(d, at.file, at.line, at.col,
                   "no model is marked 'nykyinen: true': mark the model in force, so that its legal "
                   "coverage can be checked");
    }
}

/* A forum: linked from its model, convener, participants, outputs and legal bases. */
static void derive_forum(model *m, entity *f, diag_list *d)
{
    assert(f->owner && f->owner->type == E_MODEL); /* forums are created under their model */
    (void)m;
    (void)d;
    val_set(f->out, OK_MALLI, val_ref(f->owner->out));
    ent_backlink(f->owner->out, OK_FOORUMIT, f);
    const entity *conv = ent_get(f, F_KUTSUJA)->ref;
    backlink_reach(&conv, conv ? 1 : 0, OK_KUTSUU, OK_KUTSUU_KAUTTA, f);
    const fval *parts = ent_get(f, F_OSALLISTUJAT);
    backlink_reach((const entity *const *)parts->refs, parts->n_refs, OK_OSALLISTUU, OK_OSALLISTUU_KAUTTA, f);
    const fval *outs = ent_get(f, F_TUOTOKSET);
    for (size_t k = 0; k < outs->n_refs; k++)
        ent_backlink(outs->refs[k]->out, OK_TUOTTAJAT, f);
    lawlinks_back(f, OK_FOORUMIT);
}

/* A model's forums by level (tasot), and whether it is the current one. */
static void derive_levels(model *m, entity *mo, diag_list *d)
{
    (void)d;
    val *tasot = val_list((src_pos){0});
    for (int lv = 0; levels[lv]; lv++) {
        val *fl = val_list((src_pos){0});
        for (size_t k = 0; k < m->all[E_FORUM].len; k++) {
            entity *f = m->all[E_FORUM].items[k];
            if (f->owner == mo && ent_get(f, F_TASO)->set && ent_get(f, F_TASO)->num == lv)
                val_push(fl, val_ref(f->out));
        }
        if (!val_len(fl)) {
            val_free(fl);
            continue;
        }
        val *t = val_map((src_pos){0});
        val_set_str(t, OK_TASO, levels[lv]);
        val_set_str(t, OK_NIMI, model_label(m, "taso", levels[lv]));
        val_set(t, OK_FOORUMIT, fl);
        val_push(tasot, t);
    }
    val_set(mo->out, OK_TASOT, tasot);
    val_set(mo->out, OK_NYKYINEN, val_bool(mo == m->current, (src_pos){0}));
}

/* A document: linked from its owner, its parent and its legal bases. */
static void derive_doc(model *m, entity *doc, diag_list *d)
{
    (void)m;
    (void)d;
    entity *owner = ent_get(doc, F_OMISTAJA)->ref;
    if (owner)
        ent_backlink(owner->out, OK_ASIAKIRJAT, doc);
    entity *parent = ent_get(doc, F_OSA)->ref;
    if (parent)
        ent_backlink(parent->out, OK_LIITTEET, doc);
    lawlinks_back(doc, OK_ASIAKIRJAT);
}

/* A law section: its law, its reference ("611/2021 14 §"), full name and
 * number of subsections. */
static void derive_section(model *m, entity *s, diag_list *d)
{
    assert(s->owner && s->owner->type == E_LAW);
    ent_backlink(s->owner->out, OK_PYKALAT, s);
    val_set(s->out, OK_LAKI, val_ref(s->owner->out));
    buf_t title = BUF_INIT;
    buf_printf(&title, "%s %s §", ent_get(s->owner, F_NUMERO)->text, ent_get(s, F_PYKALA)->text);
    val_set_str(s->out, OK_VIITE, title.ptr);
    const fval *count = ent_get(s, F_MOMENTTEJA), *given = ent_get(s, F_MOMENTIT);
    if (count->set && given->num > count->num) {
        src_pos at = val_pos(count->v);
        diag_error(d, at.file, at.line, at.col, "'%s' is %d, but subsection %d is given in '%s'",
                   OK_MOMENTTEJA, count->num, given->num, OK_MOMENTIT);
    }
    if (subsection_count(s) && !count->set)
        val_set(s->out, OK_MOMENTTEJA, val_num(subsection_count(s), (src_pos){0}));
    const char *heading = ent_get(s, F_OTSIKKO)->text;
    if (heading)
        buf_printf(&title, " %s", heading);
    val_set_str(s->out, OK_NIMI, title.ptr);
    buf_free(&title);
    s->name = val_get_str(s->out, OK_NIMI);
    const val *heading_lang = val_get(s->out, OK_OTSIKKO "_lang");
    if (m->view) /* the title is in its heading's language */
        val_set(s->out, OK_NIMI "_lang", heading_lang ? val_ref(heading_lang) : val_bool(false, (src_pos){0}));
}

/* An obligation: its section and reference; its subsection must exist. */
static void derive_obligation(model *m, entity *o, diag_list *d)
{
    assert(o->owner && o->owner->type == E_SECTION);
    (void)m;
    ent_backlink(o->owner->out, OK_VELVOITTEET, o);
    val_set(o->out, OK_PYKALA, val_ref(o->owner->out));
    const fval *mom = ent_get(o, F_MOMENTTI);
    char *ref = mom->set ? xasprintf("%s %d mom", val_get_str(o->owner->out, OK_VIITE), mom->num)
                         : xstrdup(val_get_str(o->owner->out, OK_VIITE));
    val_set(o->out, OK_VIITE, val_str_own(ref, strlen(ref), (src_pos){0}));
    int have = subsection_count(o->owner);
    if (mom->set && have && mom->num > have) {
        src_pos at = val_pos(mom->v);
        diag_error(d, at.file, at.line, at.col, "%s has no subsection %d (it has %d)",
                   val_get_str(o->owner->out, OK_VIITE), mom->num, have);
    }
    const fval *fu = ent_get(o, F_TAYTTYY);
    if (fu->set && fu->num == 0 && !ent_get(o, F_VAHINTAAN)->set) {
        src_pos at = val_pos(o->src);
        diag_error(d, at.file, at.line, at.col,
                   "an obligation met by a forum needs 'vahintaan' (how often at least, e.g. '1/vuosi')");
    }
}

/* An event of the annual cycle: yearly or one-off, linked from its forum, document and owner. */
static void derive_event(model *m, entity *ev, diag_list *d)
{
    (void)m;
    const fval *months = ent_get(ev, F_KUUKAUDET), *start = ent_get(ev, F_ALKU);
    const fval *end = ent_get(ev, F_LOPPU);
    src_pos at = val_pos(ev->src);
    if (months->v && start->v)
        diag_error(d, at.file, at.line, at.col,
                   "an event is either yearly ('kuukaudet') or one-off ('alku', 'loppu'), not both");
    else if (!months->v && !start->v)
        diag_error(d, at.file, at.line, at.col,
                   "an event needs 'kuukaudet: [..]' (yearly) or 'alku: YYYY-MM-DD' (one-off)");
    if (end->set && start->set && end->num < start->num) {
        src_pos e2 = val_pos(end->v);
        diag_error(d, e2.file, e2.line, e2.col, "'loppu' is before 'alku'");
    }
    val_set(ev->out, OK_VUOSITTAIN, val_bool(months->v != NULL, (src_pos){0}));
    entity *f = ent_get(ev, F_FOORUMI)->ref, *doc = ent_get(ev, F_ASIAKIRJA)->ref;
    entity *who = ent_get(ev, F_VASTUU)->ref;
    if (f) {
        ent_backlink(f->out, OK_TAPAHTUMAT, ev);
        val_set(f->out, OK_KALENTERI, val_bool(true, (src_pos){0})); /* it gets a .ics */
    }
    if (doc)
        ent_backlink(doc->out, OK_TAPAHTUMAT, ev);
    if (who)
        ent_backlink(who->out, OK_VASTUULLA, ev);
}

/* A milestone: it cannot end before it starts. */
static void derive_milestone(model *m, entity *ms, diag_list *d)
{
    (void)m;
    const fval *start = ent_get(ms, F_ALKU), *end = ent_get(ms, F_LOPPU);
    if (end->set && start->set && end->num < start->num) {
        src_pos at = val_pos(end->v);
        diag_error(d, at.file, at.line, at.col, "'loppu' is before 'alku'");
    }
}

/* A task of a responsibility table: one cell per column. */
static void derive_task(model *m, entity *task, diag_list *d)
{
    assert(task->owner && task->owner->type == E_TABLE);
    entity *table = task->owner;
    ent_backlink(table->out, OK_TEHTAVAT, task);
    const fval *cols = ent_get(table, F_OSAPUOLET);
    const fval *roles = ent_get(task, F_ROOLIT);
    if (roles->v && val_kind_of(roles->v) != VAL_MAP) {
        src_pos at = val_pos(roles->v);
        diag_error(d, at.file, at.line, at.col,
                   "'roolit' must map parties to roles, e.g. '{siun-sote: vastaa, pk-kunnat: osallistuu}'");
        return;
    }
    for (size_t k = 0; roles->v && k < val_len(roles->v); k++) {
        const char *who = val_key_at(roles->v, k);
        bool found = false;
        for (size_t c = 0; c < cols->n_refs && !found; c++)
            found = !strcmp(cols->refs[c]->id, who);
        src_pos kp = val_key_pos(roles->v, k);
        if (!found && !model_may_define(m, who)) {
            const char **ids = xmalloc((cols->n_refs + 1) * sizeof(char *));
            for (size_t c = 0; c < cols->n_refs; c++)
                ids[c] = cols->refs[c]->id;
            const char *hint = diag_suggest(who, ids, cols->n_refs);
            diag_error(d, kp.file, kp.line, kp.col,
                       "'%s' is not a column of this table (add it to 'osapuolet'%s%s%s)", who,
                       hint ? ", or did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
            free(ids);
        }
        const val *rv = val_at(roles->v, k);
        const char *r = val_as_str(rv);
        if (!r || enum_index(r, cell_roles) < 0) {
            char *t = val_to_text(rv);
            enum_error(rv, who, t, cell_roles, d);
            free(t);
        }
    }
    val *cells = val_list((src_pos){0});
    for (size_t c = 0; c < cols->n_refs; c++) {
        val *cell = val_map((src_pos){0});
        val_set(cell, OK_OSAPUOLI, val_ref(cols->refs[c]->out));
        const char *r = roles->v ? val_get_str(roles->v, cols->refs[c]->id) : NULL;
        if (r && enum_index(r, cell_roles) >= 0) {
            val_set_str(cell, OK_ROOLI, r);
            if (m->view) { /* in another language: the role's name in it (the default's are the codes) */
                char *key = xasprintf("vienti.rooli_%s", r);
                val_set_str(cell, OK_ROOLI_NIMI, i18n_text(m->cat, key));
                free(key);
            }
        }
        val_push(cells, cell);
    }
    val_set(task->out, OK_SOLUT, cells);
}

/* The derivations in order (backlink lists are in this order): each runs
 * for every entity of its type, then `then` once. */
static const struct {
    etype t;
    void (*each)(model *m, entity *e, diag_list *d);
    void (*then)(model *m, diag_list *d); /* or NULL */
} derivations[] = {
    {E_PARTY, derive_party, NULL},
    {E_PARTY, derive_kinds, NULL},
    {E_GROUP, derive_kinds, NULL},
    {E_ROLE, derive_kinds, NULL},
    {E_GROUP, derive_group, NULL},
    {E_ROLE, derive_role, NULL},
    {E_MODEL, derive_model, check_current},
    {E_FORUM, derive_forum, NULL},
    {E_MODEL, derive_levels, NULL},
    {E_DOC, derive_doc, NULL},
    {E_SECTION, derive_section, NULL},
    {E_OBLIGATION, derive_obligation, NULL},
    {E_EVENT, derive_event, NULL},
    {E_MILESTONE, derive_milestone, NULL},
    {E_TASK, derive_task, NULL},
};

static void derive(model *m, diag_list *d)
{
    check_cycles(m, E_PARTY, F_OSA, d);
    check_cycles(m, E_GROUP, F_JASENET, d);
    check_cycles(m, E_DOC, F_OSA, d);
    for (size_t r = 0; r < sizeof derivations / sizeof *derivations; r++) {
        etype t = derivations[r].t;
        assert(t < E_COUNT && derivations[r].each);
        for (size_t i = 0; i < m->all[t].len; i++) {
            entity *e = m->all[t].items[i];
            assert(e->type == t && e->idx == i);
            derivations[r].each(m, e, d);
        }
        if (derivations[r].then)
            derivations[r].then(m, d);
    }
}

/* } */

/* {====== Pages and the data tree ====== */

void model_add_page(model *m, const char *url, const char *layout, const char *title,
                    const val *entity, src_pos pos)
{
    m->pages = xrealloc(m->pages, (m->n_pages + 1) * sizeof(model_page));
    m->pages[m->n_pages++] = (model_page){url, layout, title, entity, pos};
}

static void add_page(model *m, entity *e, const char *url)
{
    assert(types[e->type].layout && !e->url); /* one page per entity, of a type that has pages */
    e->url = xstrdup(url);
    val_set_str(e->out, OK_URL, url);
    model_add_page(m, e->url, types[e->type].layout, e->name, e->out, val_pos(e->src));
}

char *ent_field_text(const model *m, const entity *e, field_id id)
{
    assert(e && e->type < E_COUNT && id < F_COUNT);
    const field *fs = types[e->type].fields;
    const char *key = model_field_keys[id];
    size_t i = 0;
    while (fs[i].id != F_COUNT && fs[i].id != id)
        i++;
    if (fs[i].id == F_COUNT || !e->f[i].set)
        return xstrdup("");
    const fval *f = &e->f[i];
    buf_t b = BUF_INIT;
    switch (fs[i].type) {
    case FT_ENUM: buf_puts(&b, fs[i].labels ? model_label(m, fs[i].labels, f->text) : f->text); break;
    case FT_REF: buf_puts(&b, f->ref->name); break;
    case FT_REFS:
        for (size_t k = 0; k < f->n_refs; k++)
            buf_printf(&b, "%s%s", k ? ", " : "", f->refs[k]->name);
        break;
    case FT_FREQ: syn_freq_describe(m->cat, &f->freq, &b); break;
    case FT_MONTHS:
    case FT_DATE: {
        char *k = xasprintf("%s" OK_SUFFIX_TEKSTI, key);
        buf_puts(&b, val_get_str(e->out, k) ? val_get_str(e->out, k) : "");
        free(k);
        break;
    }
    case FT_LAWREFS:
    case FT_SUBSECTIONS:
    case FT_TEXTS: {
        const val *list = val_get(e->out, key);
        for (size_t k = 0; k < val_len(list); k++)
            buf_printf(&b, "%s%s", k ? "; " : "", val_get_str(val_at(list, k), OK_TEKSTI));
        break;
    }
    default: buf_puts(&b, f->text ? f->text : ""); break;
    }
    return buf_detach(&b);
}

typedef struct {
    ent_reach *items;
    size_t len, cap;
} reach_list;

/* Adds actor (unless listed already); false when it was. */
static bool reach_add(reach_list *l, const entity *actor, const entity *via)
{
    for (size_t i = 0; i < l->len; i++)
        if (l->items[i].actor == actor)
            return false;
    if (l->len == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->len++] = (ent_reach){.actor = actor, .via = via};
    return true;
}

/* Adds what actor stands for, through via. The list itself stops cycles
 * (a group among its own members, two bodies each other's osa). */
static void reach_from(reach_list *l, const entity *actor, const entity *via)
{
    assert(actor && actor->type < E_COUNT);
    entity *next[1] = {NULL};
    entity *const *more = next;
    size_t n = 0;
    if (actor->type == E_GROUP) {
        const fval *mem = ent_get(actor, F_JASENET);
        more = mem->refs;
        n = mem->n_refs;
    } else if (actor->type == E_PARTY || actor->type == E_ROLE) {
        next[0] = ent_get(actor, actor->type == E_PARTY ? F_OSA : F_TOIMIJA)->ref;
        n = next[0] ? 1 : 0;
    }
    for (size_t i = 0; i < n; i++)
        if (more[i] && reach_add(l, more[i], via))
            reach_from(l, more[i], via);
}

ent_reach *ent_expand(const entity *const *named, size_t n, size_t *n_out)
{
    assert(n_out && (named || !n));
    reach_list l = {0};
    for (size_t i = 0; i < n; i++)
        if (named[i])
            reach_add(&l, named[i], NULL);
    for (size_t i = 0; i < n; i++)
        if (named[i])
            reach_from(&l, named[i], named[i]);
    *n_out = l.len;
    return l.items;
}

static void make_pages(model *m)
{
    static const struct {
        etype t;
        const char *prefix;
    } where[] = {
        {E_PARTY, "toimijat/"}, {E_GROUP, "toimijat/"}, {E_ROLE, "toimijat/"},
        {E_SECTION, "lainsaadanto/"}, {E_MODEL, "yhteistyorakenne/"},
        {E_FORUM, "yhteistyorakenne/"}, {E_DOC, "asiakirjat/"},
    };
    for (size_t w = 0; w < sizeof where / sizeof where[0]; w++) {
        for (size_t i = 0; i < m->all[where[w].t].len; i++) {
            entity *e = m->all[where[w].t].items[i];
            char *url = xasprintf("%s%s%s/", m->url_prefix, where[w].prefix, e->id);
            add_page(m, e, url);
            free(url);
        }
    }
}

static int cmp_term(const void *a, const void *b)
{
    const entity *x = *(entity *const *)a, *y = *(entity *const *)b;
    return strcasecmp(x->name, y->name);
}

static int cmp_milestone(const void *a, const void *b)
{
    const entity *x = *(entity *const *)a, *y = *(entity *const *)b;
    return ent_get(x, F_ALKU)->num - ent_get(y, F_ALKU)->num;
}

static void build_data(model *m)
{
    val *data = m->data;
    for (int t = 0; t < E_COUNT; t++) {
        if (!types[t].list && !types[t].map)
            continue;
        val *list = types[t].list ? val_get(data, types[t].list) : NULL;
        if (types[t].list && !list) {
            list = val_list((src_pos){0});
            val_set(data, types[t].list, list);
        }
        val *map = types[t].map ? val_get(data, types[t].map) : NULL;
        if (types[t].map && !map) {
            map = val_map((src_pos){0});
            val_set(data, types[t].map, map);
        }
        if (t == E_MILESTONE && m->all[t].len > 1)
            qsort(m->all[t].items, m->all[t].len, sizeof(entity *), cmp_milestone);
        for (size_t i = 0; i < m->all[t].len; i++) {
            entity *e = m->all[t].items[i];
            if (list)
                val_push(list, val_ref(e->out));
            if (map)
                val_set(map, e->id, val_ref(e->out));
        }
    }
    /* The glossary in alphabetical order, each term with its anchor. */
    elist *terms = &m->all[E_TERM];
    if (terms->len > 1)
        qsort(terms->items, terms->len, sizeof(entity *), cmp_term);
    val *tl = val_list((src_pos){0});
    for (size_t i = 0; i < terms->len; i++) {
        val_set_str(terms->items[i]->out, OK_ANKKURI, terms->items[i]->id);
        val_push(tl, val_ref(terms->items[i]->out));
    }
    val_set(data, OK_TERMIT, tl);
    /* The year month by month: yearly events in their months, one-off ones in their first. */
    val *months = val_list((src_pos){0});
    for (int mo = 1; mo <= 12; mo++) {
        val *entry = val_map((src_pos){0});
        val_set(entry, OK_NRO, val_num(mo, (src_pos){0}));
        val_set_str(entry, OK_NIMI, syn_month_name(m->cat, mo));
        val *evs = val_list((src_pos){0});
        for (size_t i = 0; i < m->all[E_EVENT].len; i++) {
            entity *ev = m->all[E_EVENT].items[i];
            const fval *ms = ent_get(ev, F_KUUKAUDET), *start = ent_get(ev, F_ALKU);
            bool in = (ms->set && (ms->num & (1 << mo))) ||
                      (start->set && (start->num / 100) % 100 == mo);
            if (in)
                val_push(evs, val_ref(ev->out));
        }
        val_set(entry, OK_TAPAHTUMAT, evs);
        val_push(months, entry);
    }
    val_set(data, OK_KUUKAUDET, months);
    if (m->current)
        val_set(data, OK_NYKYINEN_MALLI, val_ref(m->current->out));
}

/* } */

/* {====== Examples for the editors' guide ======
 * The guide (layouts/sivut/ohjeet/) shows ids and names of this site's own
 * data: one entity of each sort, copied into small maps (a bounded size:
 * never more than one of each). A sort the data lacks gets a stand-in with
 * a generic id and no 'oikea', so the text still reads right and links to
 * data are left out. */

static void example_of(val *ex, const char *key, const entity *e, const char *id, const char *name,
                       const char *file)
{
    val *v = val_map((src_pos){0});
    if (e) {
        val_set_str(v, OK_ID, e->id);
        val_set_str(v, OK_NIMI, e->name);
        const val *lyh = val_get(e->out, OK_LYHENNE);
        val_set_str(v, OK_LYHENNE, lyh && val_as_str(lyh) ? val_as_str(lyh) : e->name);
        const char *slash = strrchr(e->id, '/');
        val_set_str(v, OK_LYHYT_ID, slash ? slash + 1 : e->id);
        if (e->url)
            val_set_str(v, OK_URL, e->url);
        const char *at = val_pos(e->src).file;
        val_set_str(v, "tiedosto", at ? at : file);
        val_set(v, "oikea", val_bool(true, (src_pos){0}));
    } else {
        val_set_str(v, OK_ID, id);
        val_set_str(v, OK_NIMI, name);
        val_set_str(v, OK_LYHENNE, name);
        const char *slash = strrchr(id, '/');
        val_set_str(v, OK_LYHYT_ID, slash ? slash + 1 : id);
        val_set_str(v, "tiedosto", file);
    }
    val_set(ex, key, v);
}

/* The first party of kind k, or NULL. */
static const entity *first_of_kind(const model *m, int k)
{
    for (size_t i = 0; i < m->all[E_PARTY].len; i++) {
        const fval *laji = ent_get(m->all[E_PARTY].items[i], F_LAJI);
        if (laji->set && laji->num == k)
            return m->all[E_PARTY].items[i];
    }
    return NULL;
}

static const entity *first(const model *m, etype t) { return m->all[t].len ? m->all[t].items[0] : NULL; }

static void build_examples(model *m)
{
    val *ex = m->examples = val_map((src_pos){0});
    example_of(ex, "hyvinvointialue", first_of_kind(m, K_HVA), "oma-hyvinvointialue", "Oma hyvinvointialue", "content/data/toimijat.yaml");
    example_of(ex, "kunta", first_of_kind(m, K_KUNTA), "oma-kunta", "Oma kunta", "content/data/toimijat.yaml");
    example_of(ex, "maakuntaliitto", first_of_kind(m, K_MAAKUNTALIITTO), "oma-maakuntaliitto",
               "Oma maakuntaliitto", "content/data/toimijat.yaml");
    example_of(ex, "jarjesto", first_of_kind(m, K_JARJESTO), "alueen-jarjestot", "Alueen järjestöt", "content/data/toimijat.yaml");
    /* A group of municipalities when there is one: the guide's example of a group. */
    const entity *group = NULL;
    for (size_t i = 0; i < m->all[E_GROUP].len && !group; i++)
        if (m->all[E_GROUP].items[i]->kind & (1u << K_KUNTA))
            group = m->all[E_GROUP].items[i];
    example_of(ex, "ryhma", group ? group : first(m, E_GROUP), "kunnat", "Kunnat", "content/data/toimijat.yaml");
    example_of(ex, "rooli", first(m, E_ROLE), "oma-rooli", "Oma rooli", "content/data/toimijat.yaml");
    const entity *mo = m->current ? m->current : first(m, E_MODEL);
    example_of(ex, "malli", mo, "oma-malli", "Oma malli", "content/data/mallit/oma-malli.yaml");
    const fval *pred = mo ? ent_get(mo, F_EDELTAJA) : NULL;
    example_of(ex, "edeltaja", pred && pred->set ? pred->ref : NULL, "vanha-malli", "Vanha malli", "content/data/mallit/vanha-malli.yaml");
    const entity *forum = NULL;
    for (size_t i = 0; i < m->all[E_FORUM].len && !forum; i++)
        if (m->all[E_FORUM].items[i]->owner == mo)
            forum = m->all[E_FORUM].items[i];
    example_of(ex, "foorumi", forum, "oma-malli/oma-foorumi", "Oma foorumi", "content/data/mallit/oma-malli.yaml");
    example_of(ex, "asiakirja", first(m, E_DOC), "oma-asiakirja", "Oma asiakirja", "content/data/asiakirjat.yaml");
    example_of(ex, "pykala", first(m, E_SECTION), "611-2021-14", "611/2021 14 §", "content/data/lait.yaml");
    example_of(ex, "velvoite", first(m, E_OBLIGATION), "oma-velvoite", "Oma velvoite", "content/data/lait.yaml");
    example_of(ex, "taulukko", first(m, E_TABLE), "oma-taulukko", "Oma taulukko", "content/data/vastuunjako.yaml");
}

/* } */

/* The model of src seen in the site's language view (0: the default). */
static model *model_build(const src_tree *src, size_t view, diag_list *d)
{
    assert(src && d);
    model *m = xcalloc(1, sizeof(model));
    m->src = src;
    read_languages(m);
    assert(view < m->n_langs);
    m->view = view;
    m->url_prefix = view ? xasprintf("%s/", m->langs[view]) : xstrdup("");
    m->cat = view ? i18n_load_lang(src, m->langs[view], d) : i18n_load(src, d);
    m->files = val_list((src_pos){0});
    m->owned = val_list((src_pos){0});
    m->data = val_map((src_pos){0});
    strmap **maps[] = {&m->ns_actor, &m->ns_law,   &m->ns_section, &m->ns_obl,   &m->ns_model,
                       &m->ns_forum, &m->ns_doc,   &m->ns_event,   &m->ns_table, &m->ns_term};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
        *maps[i] = strmap_new();
    m->incomplete = src_dropped(src, SRC_DATA) > 0 || src_dropped(src, SRC_STATUTES) > 0;
    m->broken = strmap_new();
    load_all(m, d);
    /* Laws first: legal bases elsewhere need their sections and subsections. */
    static const etype order[] = {E_LAW, E_SECTION, E_OBLIGATION, E_PARTY, E_GROUP, E_ROLE, E_MODEL,
                                  E_DOC, E_FORUM, E_EVENT, E_MILESTONE, E_TABLE, E_TASK, E_TERM};
    for (size_t o = 0; o < sizeof order / sizeof order[0]; o++) {
        etype t = order[o];
        size_t nf = n_fields(t);
        for (size_t i = 0; i < m->all[t].len; i++)
            for (size_t k = 0; k < nf; k++)
                resolve_field(m, m->all[t].items[i], k, d);
    }
    derive(m, d);
    make_pages(m);
    model_compare(m);
    model_coverage(m, d);
    build_data(m);
    build_examples(m);
    return m;
}

model *model_new(const src_tree *src, diag_list *d)
{
    model *m = model_build(src, 0, d);
    /* The other languages' views read the same data again; what is wrong
     * in it is reported once, by the default's. */
    diag_list *quiet = diag_list_new();
    for (size_t k = 1; k < m->n_langs; k++)
        m->views[k] = model_build(src, k, quiet);
    diag_list_free(quiet);
    return m;
}

const model *model_lang(const model *m, size_t i)
{
    if (!m || i >= m->n_langs)
        return NULL;
    return i ? m->views[i] : m;
}

void model_free(model *m)
{
    if (!m)
        return;
    for (int t = 0; t < E_COUNT; t++) {
        for (size_t i = 0; i < m->all[t].len; i++) {
            entity *e = m->all[t].items[i];
            size_t nf = n_fields(t);
            for (size_t k = 0; k < nf; k++) {
                free(e->f[k].refs);
                free(e->f[k].laws);
                free(e->f[k].kinds);
                free(e->f[k].items);
            }
            free(e->f);
            free(e->id);
            free(e->url);
            free(e);
        }
        free(m->all[t].items);
    }
    free(m->pages); /* their strings belong to entities and nodes */
    strmap_free(m->broken);
    strmap *maps[] = {m->ns_actor, m->ns_law, m->ns_section, m->ns_obl,   m->ns_model,
                      m->ns_forum, m->ns_doc, m->ns_event,   m->ns_table, m->ns_term};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
        strmap_free(maps[i]);
    val_free(m->data);
    val_free(m->examples);
    val_free(m->owned);
    val_free(m->files);
    i18n_free(m->cat);
    for (size_t i = 0; i < m->n_langs; i++)
        free(m->langs[i]);
    for (size_t i = 1; i < MODEL_MAX_LANGS; i++)
        model_free(m->views[i]);
    free(m->url_prefix);
    free(m);
}

const i18n *model_i18n(const model *m) { return m->cat; }

const val *model_data(const model *m) { return m->data; }
const val *model_examples(const model *m) { return m->examples; }
size_t model_page_count(const model *m) { return m->n_pages; }
const model_page *model_page_at(const model *m, size_t i) { return i < m->n_pages ? &m->pages[i] : NULL; }

bool model_incomplete(const model *m) { return m->incomplete; }

bool model_may_define(const model *m, const char *id)
{
    return m->incomplete || (id && strmap_has(m->broken, id));
}

bool model_link(const model *m, const char *scheme, const char *id, const char **url, const char **hint)
{
    assert(m && scheme && id && url && hint);
    static const struct {
        const char *scheme;
        etype t;
    } schemes[] = {
        {"toimija", E_PARTY}, {"malli", E_MODEL}, {"foorumi", E_FORUM}, {"asiakirja", E_DOC}, {"pykala", E_SECTION},
    };
    *url = NULL;
    *hint = NULL;
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        if (strcmp(scheme, schemes[i].scheme) != 0)
            continue;
        etype t = schemes[i].t;
        strmap *ns = ns_of((model *)m, t);
        entity *e = strmap_get(ns, id);
        if (e && e->url) {
            *url = e->url;
            return true;
        }
        size_t n;
        const char **c = candidates(m, t == E_PARTY ? T_ACTOR : T(t), &n);
        *hint = diag_suggest(id, c, n);
        free(c);
        return true;
    }
    return false;
}

size_t model_term_count(const model *m) { return m->all[E_TERM].len; }

const char *model_term(const model *m, size_t i, const char **explanation, bool *abbreviation,
                       const char **anchor)
{
    assert(m && i < m->all[E_TERM].len && explanation && abbreviation && anchor);
    entity *e = m->all[E_TERM].items[i];
    *explanation = ent_get(e, F_SELITYS)->text;
    *abbreviation = ent_get(e, F_LYHENNE)->flag;
    *anchor = e->id;
    return e->name;
}

/* {====== JSON Schemas of the data files ======
 * From the field tables above, key by key, so that what the schema allows
 * is what the validator allows (ids are the one thing it cannot check). */

#define ID_PATTERN "^[a-z0-9][a-z0-9-]*$" /* id_ok */

static val *text_schema(void) { return schema_type("string number boolean"); }

/* A reader's text: plain, or one per language {fi: …, sv: …} (each not empty). */
static val *loc_text_schema(void) { return schema_loc_text(); }

/* One required key (with its schema and description) of a closed mapping. */
static void closed_key(val *props, val *req, const char *key, val *s, const char *desc)
{
    val_set(props, key, schema_describe(s, desc));
    if (req)
        val_push(req, val_str(key, (src_pos){0}));
}

static val *closed_object(val *props, val *req, const char *desc)
{
    val *s = schema_describe(schema_type("object"), desc);
    val_set(s, "properties", props);
    val_set(s, "required", req);
    val_set(s, "additionalProperties", val_bool(false, (src_pos){0}));
    return s;
}

/* "kunta", "jarjesto|yritys", "kaikki:kunta" (parse_kindreq). */
static val *kinds_schema(void)
{
    buf_t alt = BUF_INIT, p = BUF_INIT;
    for (int i = 0; i < K_COUNT; i++)
        buf_printf(&alt, "%s%s", i ? "|" : "", model_kind_names[i]);
    buf_printf(&p, "^(kaikki:)?(%s)([|](%s))*$", alt.ptr, alt.ptr);
    val *s = schema_array(schema_pattern(p.ptr));
    buf_free(&alt);
    buf_free(&p);
    return s;
}

static val *entity_schema(etype t);

/* The schema of one field, by its type (as its resolver reads it). */
static val *field_schema(const field *f)
{
    src_pos none = {0};
    val *s;
    switch (f->type) {
    case FT_ID: {
        val *n = schema_type("integer");
        val_set(n, "minimum", val_num(0, none));
        s = schema_any(schema_pattern(ID_PATTERN), n);
        break;
    }
    case FT_TEXT: s = loc_text_schema(); break;
    case FT_ENUM: s = schema_enum(f->values, false); break;
    case FT_REF: s = schema_type("string number"); break;
    case FT_REFS: s = schema_array(schema_type("string number")); break;
    case FT_FREQ: s = schema_pattern(SYN_FREQ_PATTERN); break;
    case FT_MONTHS: {
        val *m = schema_type("integer");
        val_set(m, "minimum", val_num(1, none));
        val_set(m, "maximum", val_num(12, none));
        s = schema_array(m);
        break;
    }
    case FT_DATE: {
        val *y = schema_type("integer");
        val_set(y, "minimum", val_num(SYN_YEAR_MIN, none));
        val_set(y, "maximum", val_num(SYN_YEAR_MAX, none));
        s = schema_any(schema_pattern(SYN_DATE_PATTERN), y);
        break;
    }
    case FT_LAWREFS: s = schema_array(schema_pattern(SYN_LAWREF_PATTERN)); break;
    case FT_BOOL: s = schema_type("boolean"); break;
    case FT_URL: s = schema_pattern("^https?://"); break;
    case FT_TEXTS: s = schema_array(loc_text_schema()); break;
    case FT_KINDS: s = kinds_schema(); break;
    case FT_CHILDREN: s = schema_array(entity_schema(f->child)); break;
    case FT_ROLEMAP:
        s = schema_type("object");
        val_set(s, "additionalProperties", schema_enum(cell_roles, false));
        break;
    case FT_SECTIONNO: {
        val *n = schema_type("integer");
        val_set(n, "minimum", val_num(0, none));
        s = schema_any(n, schema_pattern("^[0-9]+( [a-z])?$"));
        break;
    }
    case FT_LAWNO: s = schema_pattern(SYN_LAWNO_PATTERN); break;
    case FT_INT:
        s = schema_type("integer");
        val_set(s, "minimum", val_num(1, none));
        break;
    case FT_ENUMS: s = schema_array(schema_enum(f->values, false)); break;
    case FT_GAPS: {
        val *props = val_map(none), *req = val_list(none);
        closed_key(props, req, gap_keys[0], schema_type("string number"), "Velvoitteen tunniste.");
        val *why = text_schema();
        val_set_str(why, "pattern", "\\S"); /* not empty */
        closed_key(props, req, gap_keys[1], why, "Miksi malli ei täytä velvoitetta.");
        s = schema_array(closed_object(props, req, "Tiedossa oleva puute."));
        break;
    }
    case FT_SUBSECTIONS: {
        val *props = val_map(none), *req = val_list(none);
        val *no = schema_type("integer");
        val_set(no, "minimum", val_num(1, none));
        closed_key(props, req, subsection_keys[0], no, "Momentin numero.");
        closed_key(props, req, subsection_keys[1], text_schema(), "Momentin teksti.");
        s = schema_array(schema_any(text_schema(), closed_object(props, req, "Numeroitu momentti.")));
        break;
    }
    default: s = text_schema(); break;
    }
    if (!f->required)
        schema_nullable(s); /* an optional field left empty ('key:') is absent */
    return schema_describe(s, f->desc);
}

/* What the derivations check across fields, where a schema can say it. */
static void entity_rules(etype t, val *s)
{
    src_pos none = {0};
    if (t == E_EVENT) { /* derive_event: yearly or one-off */
        val *one = val_list(none);
        static const field_id either[] = {F_KUUKAUDET, F_ALKU};
        for (size_t i = 0; i < 2; i++) {
            val *alt = val_map(none), *req = val_list(none);
            val_push(req, val_str(model_field_keys[either[i]], none));
            val_set(alt, "required", req);
            val_push(one, alt);
        }
        val_set(s, "oneOf", one);
    } else if (t == E_PARTY) { /* derive_party: a body names its organisation */
        val *cond = val_map(none), *props = val_map(none), *is = val_map(none), *req = val_list(none);
        val_set_str(is, "const", model_kind_names[K_TOIMIELIN]);
        val_set(props, OK_LAJI, is);
        val_set(cond, "properties", props);
        val_push(req, val_str(OK_LAJI, none));
        val_set(cond, "required", req);
        val_set(s, "if", cond);
        val *then = val_map(none), *need = val_list(none);
        val_push(need, val_str(OK_OSA, none));
        val_set(then, "required", need);
        val_set(s, "then", then);
    }
}

static val *entity_schema(etype t)
{
    src_pos none = {0};
    val *s = schema_describe(schema_type("object"), types[t].desc);
    val *props = val_map(none), *req = val_list(none);
    for (const field *f = types[t].fields; f->id != F_COUNT; f++) {
        val_set(props, fkey(f), field_schema(f));
        if (f->required)
            val_push(req, val_str(fkey(f), none));
    }
    val_set(s, "properties", props);
    val_set(s, "required", req);
    val_set(s, "additionalProperties", val_bool(false, none));
    entity_rules(t, s);
    return s;
}

val *model_schema(size_t i, const char **name)
{
    if (i >= N_DATA_FILES)
        return NULL;
    src_pos none = {0};
    *name = data_files[i].schema;
    val *root = schema_type("object null"); /* an empty file is fine */
    val *props = val_map(none);
    for (size_t k = 0; k < 3 && data_files[i].key[k]; k++) {
        etype t = data_files[i].type[k];
        val *s = data_files[i].single[k] ? entity_schema(t) : schema_array(entity_schema(t));
        val_set(props, data_files[i].key[k], schema_describe(s, types[t].desc));
    }
    val_set(root, "properties", props);
    val_set(root, "additionalProperties", val_bool(false, none));
    return schema_document(data_files[i].schema, data_files[i].desc, root);
}

/* } */
