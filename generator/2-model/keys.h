/* keys: the keys of the model's output tree (the `val` maps that layouts and
 * renderers read), one macro each. The strings are also the names used in
 * the layouts (layouts/NAME.mustache), so they stay strings in the output;
 * C code names them through these macros so that a typo fails to compile
 * instead of silently finding nothing. Prefix OK_ ("output key"); K_ is taken by the party kinds.
 *
 * Keys of other YAML input (a diagram file's nakyma, suunta, varit…; front
 * matter) are not here: they are read through the schema where they are used. */
#ifndef KK_MODEL_KEYS_H
#define KK_MODEL_KEYS_H

/* {====== Entity fields ======
 * Every YAML key of an entity. A field is written to the entity's output node
 * under the same key (its text, or the node of the entity it names), so the
 * YAML key and the output key are one string. MODEL_FIELDS below lists them
 * for model_impl.h's field_id enum and model_field_keys[] (X(NIMI) -> F_NIMI,
 * OK_NIMI). The preprocessor cannot #define from inside an X-macro, so the
 * list names each field once more; an entry without its OK_ macro does not
 * compile, and model.c asserts the table against the enum. */
#define OK_ID               "id"
#define OK_NIMI             "nimi"
#define OK_LYHENNE          "lyhenne"
#define OK_LAJI             "laji"
#define OK_OSA              "osa"
#define OK_WWW              "www"
#define OK_KUVAUS           "kuvaus"
#define OK_LAKIPERUSTA      "lakiperusta"
#define OK_ALUE             "alue"
#define OK_JASENET          "jasenet"
#define OK_TOIMIJA          "toimija"
#define OK_NUMERO           "numero"
#define OK_FINLEX           "finlex"
#define OK_PYKALAT          "pykalat"
#define OK_PYKALA           "pykala"
#define OK_OTSIKKO          "otsikko"
#define OK_MOMENTIT         "momentit"
#define OK_VELVOITTEET      "velvoitteet"
#define OK_MOMENTTI         "momentti"
#define OK_MOMENTTEJA       "momentteja"  /* how many subsections a section has */
#define OK_VELVOLLINEN      "velvollinen"
#define OK_TAYTTYY          "tayttyy"
#define OK_KUTSUJA          "kutsuja"
#define OK_OSALLISTUJAT     "osallistujat"
#define OK_VAHINTAAN        "vahintaan"
#define OK_ASIAKIRJAT       "asiakirjat"
#define OK_TILA             "tila"
#define OK_NYKYINEN         "nykyinen"
#define OK_EDELTAJA         "edeltaja"
#define OK_TASO             "taso"
#define OK_TIHEYS           "tiheys"
#define OK_AJOITUS          "ajoitus"
#define OK_TARKOITUS        "tarkoitus"
#define OK_AIHEET           "aiheet"
#define OK_TUOTOKSET        "tuotokset"
#define OK_OMISTAJA         "omistaja"
#define OK_SYKLI            "sykli"
#define OK_LAADITTU         "laadittu"
#define OK_HYVAKSYTTY       "hyvaksytty"
#define OK_VOIMASSA_ALKAEN  "voimassa_alkaen"
#define OK_VOIMASSA_ASTI    "voimassa_asti"
#define OK_KUUKAUDET        "kuukaudet"
#define OK_ALKU             "alku"
#define OK_LOPPU            "loppu"
#define OK_FOORUMI          "foorumi"
#define OK_ASIAKIRJA        "asiakirja"
#define OK_VASTUU           "vastuu"
#define OK_OSAPUOLET        "osapuolet"
#define OK_TEHTAVAT         "tehtavat"
#define OK_TEHTAVA          "tehtava"
#define OK_TEEMA            "teema"
#define OK_ROOLIT           "roolit"
#define OK_TERMI            "termi"
#define OK_SELITYS          "selitys"
#define OK_TIEDOSSA         "tiedossa"

#define MODEL_FIELDS(X) \
    X(ID) X(NIMI) X(LYHENNE) X(LAJI) X(OSA) X(WWW) X(KUVAUS) X(LAKIPERUSTA) \
    X(ALUE) X(JASENET) X(TOIMIJA) X(NUMERO) X(FINLEX) X(PYKALAT) X(PYKALA) X(OTSIKKO) \
    X(MOMENTIT) X(MOMENTTEJA) X(VELVOITTEET) X(MOMENTTI) X(VELVOLLINEN) X(TAYTTYY) X(KUTSUJA) X(OSALLISTUJAT) X(VAHINTAAN) \
    X(ASIAKIRJAT) X(TILA) X(NYKYINEN) X(EDELTAJA) X(TASO) X(TIHEYS) X(AJOITUS) X(TARKOITUS) \
    X(AIHEET) X(TUOTOKSET) X(OMISTAJA) X(SYKLI) X(LAADITTU) X(HYVAKSYTTY) X(VOIMASSA_ALKAEN) X(VOIMASSA_ASTI) \
    X(KUUKAUDET) X(ALKU) X(LOPPU) X(FOORUMI) X(ASIAKIRJA) X(VASTUU) X(OSAPUOLET) X(TEHTAVAT) \
    X(TEHTAVA) X(TEEMA) X(ROOLIT) X(TERMI) X(SELITYS) X(TIEDOSSA)
/* } */

/* {====== Labels of fields ======
 * Beside some fields the model writes the reader's text of the value, under
 * the field's key plus a suffix: an enum's label (tila -> tila_nimi), a
 * frequency, months, dates or kinds in words (tiheys -> tiheys_teksti). */
#define OK_SUFFIX_NIMI    "_nimi"
#define OK_SUFFIX_TEKSTI  "_teksti"
#define OK_TASO_NIMI      OK_TASO OK_SUFFIX_NIMI      /* a forum's level in words */
#define OK_TILA_NIMI      OK_TILA OK_SUFFIX_NIMI      /* a model's or forum's state in words */
#define OK_TIHEYS_TEKSTI  OK_TIHEYS OK_SUFFIX_TEKSTI  /* "kerran vuodessa" */
#define OK_ALKU_TEKSTI    OK_ALKU OK_SUFFIX_TEKSTI    /* a start date in words */
#define OK_LOPPU_TEKSTI   OK_LOPPU OK_SUFFIX_TEKSTI   /* an end date in words */
/* } */

/* {====== Derived keys of entities ======
 * Written by the model beside the fields. Some share a field's string
 * (OK_NIMI of a law section, OK_PYKALA of an obligation): those use the
 * field's macro. */
#define OK_TYYPPI         "tyyppi"        /* the entity type's noun: "party", "forum", … */
#define OK_LYHYT_ID       "lyhyt_id"      /* a forum's id without its model part */
#define OK_URL            "url"           /* the entity's page, when it has one */
#define OK_LAJIT          "lajit"         /* a party's kinds, derived (list of names) */
#define OK_JASENIA        "jasenia"       /* a group's number of members */
#define OK_ELIMET         "elimet"        /* an organisation's bodies (backlinks) */
#define OK_RYHMAT         "ryhmat"        /* an actor's groups (backlinks); also data's list of groups */
#define OK_TOIMIJAT       "toimijat"      /* a law section's actors (backlinks); also data's list of parties */
#define OK_MALLI          "malli"         /* a forum's model; a coverage entry's model; data's map of models */
#define OK_KUTSUU         "kutsuu"        /* the forums an actor convenes (backlinks) */
#define OK_OSALLISTUU     "osallistuu"    /* the forums an actor takes part in (backlinks) */
#define OK_KUTSUU_KAUTTA  "kutsuu_kautta" /* of those in kutsuu, the ones reached through another actor: {foorumi, kautta} */
#define OK_OSALLISTUU_KAUTTA "osallistuu_kautta" /* the same for osallistuu: {foorumi, kautta} */
#define OK_KAUTTA         "kautta"        /* the named actor an indirect participation goes through */
#define OK_TUOTTAJAT      "tuottajat"     /* a document's forums that produce it (backlinks) */
#define OK_FOORUMIT       "foorumit"      /* a model's or a level's forums; a law section's (backlinks); data's list */
#define OK_TASOT          "tasot"         /* a model's levels, each {taso, nimi, foorumit} */
#define OK_LIITTEET       "liitteet"      /* a document's attachments (backlinks) */
#define OK_LAKI           "laki"          /* a law section's law; data's map of laws */
#define OK_LAIT           "lait"          /* data's list of laws */
#define OK_VIITE          "viite"         /* a section's or an obligation's reference: "611/2021 14 §" */
#define OK_VUOSITTAIN     "vuosittain"    /* an event recurs yearly (bool) */
#define OK_TAPAHTUMAT     "tapahtumat"    /* events of a forum, document or month; data's list */
#define OK_KALENTERI      "kalenteri"     /* a forum has events and so a .ics (bool) */
#define OK_VASTUULLA      "vastuulla"     /* the events an actor is responsible for (backlinks) */
#define OK_SOLUT          "solut"         /* a task's cells, each {osapuoli, rooli} */
#define OK_OSAPUOLI       "osapuoli"      /* a cell's party */
#define OK_ROOLI          "rooli"         /* a cell's role: "vastaa", "tukee", … */
#define OK_ROOLI_NIMI     "rooli_nimi"    /* in a view of another language: the role's name in it */
#define OK_ANKKURI        "ankkuri"       /* a term's anchor in the glossary */
#define OK_NRO            "nro"           /* a month's or a list item's number */
#define OK_TEKSTI         "teksti"        /* a list item's text */
#define OK_TAULUKOT       "taulukot"      /* data's list of responsibility tables */
#define OK_VIRSTANPYLVAAT "virstanpylvaat" /* data's list of milestones, by date */
#define OK_MALLIT         "mallit"        /* an obligation's coverage per model; data's list of models */
#define OK_TERMIT         "termit"        /* data's glossary, alphabetical */
#define OK_NYKYINEN_MALLI "nykyinen_malli" /* data's current model */
/* } */

/* {====== Coverage (coverage.c) ====== */
#define OK_TAYTETTY       "taytetty"      /* the obligation is met (bool) */
#define OK_TAYTTAJAT      "tayttajat"     /* what meets it: forums, documents, actors */
#define OK_PUUTTEET       "puutteet"      /* what is missing, in words */
#define OK_TIEDOSSA_SYY   "tiedossa_syy"  /* an unmet obligation's known gap: the reason (null when none) */
/* } */

/* {====== Known gaps (a model's tiedossa: entries) ======
 * Keys of each entry of a model's 'tiedossa' list, in the YAML and in the
 * model's output node alike. */
#define OK_VELVOITE       "velvoite"      /* the obligation not met (a ref in the output) */
#define OK_SYY            "syy"           /* why it is not met, in words */
/* } */

/* {====== Comparisons (compare.c) ====== */
#define OK_VERTAILU       "vertailu"      /* a model's comparison with its predecessor */
#define OK_SEURAAJAN_VERTAILU "seuraajan_vertailu" /* the comparison with its successor */
#define OK_VERTAILUT      "vertailut"     /* data's list of comparisons */
#define OK_VANHA          "vanha"         /* the older model; a change's old value */
#define OK_UUSI           "uusi"          /* the newer model; a change's new value */
#define OK_LISATYT        "lisatyt"       /* forums added */
#define OK_POISTETUT      "poistetut"     /* forums removed */
#define OK_MUUTTUNEET     "muuttuneet"    /* forums changed, each {foorumi, edellinen, muutokset} */
#define OK_ENNALLAAN      "ennallaan"     /* forums unchanged */
#define OK_EDELLINEN      "edellinen"     /* a changed forum's earlier version */
#define OK_MUUTOKSET      "muutokset"     /* a changed forum's changes, each {kentta, vanha, uusi} */
#define OK_KENTTA         "kentta"        /* the changed field, in words */
#define OK_MUUTTUNUT      "muuttunut"     /* a forum changed since the predecessor (bool) */
/* } */

#endif
