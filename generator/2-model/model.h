/* model: the cooperation-structure data (content/data/ *.yaml) — parties,
 * groups, roles, laws and obligations, structure models and forums,
 * documents, the annual cycle, responsibility tables and the glossary —
 * loaded, validated, cross-referenced and shaped for layouts, with the
 * legal coverage of each model and the comparison of each model with its
 * predecessor. */
#ifndef KK_MODEL_H
#define KK_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "../0-base/diag.h"
#include "../0-base/value.h"
#include "../1-load/source.h"
#include "i18n.h"

typedef struct model model;

/* At most this many languages (site.h's SITE_MAX_LANGS). */
#define MODEL_MAX_LANGS 8

/* Loads every data file of src (borrowed: must outlive the model) and
 * resolves it. Every problem goes to d; uncovered legal obligations of the
 * current model are warnings. Never NULL; free with model_free. */
model *model_new(const src_tree *src, diag_list *d);
void model_free(model *m);

/* Everything for layouts as one tree (borrowed): data.toimijat, data.ryhmat,
 * data.roolit, data.lait, data.mallit, data.asiakirjat, data.tapahtumat,
 * data.kuukaudet, data.virstanpylvaat, data.taulukot, data.termit,
 * data.velvoitteet, data.vertailut, and maps by id (data.toimija.<id>,
 * data.malli.<id>, data.asiakirja.<id>). */
const val *model_data(const model *m);
/* The interface texts of the site's language (borrowed; valid until model_free). */
const i18n *model_i18n(const model *m);

/* The model seen in the site's language i (0: m itself; NULL when the site
 * has no language i). In the view of language k > 0 every text field is
 * k's text, or the default language's where k has none; beside each text
 * field <key>_lang is false for k's own text and the default language's
 * code ("fi") for the default's, so layouts can mark it
 * (<h1{{#nimi_lang}} lang="{{.}}"{{/nimi_lang}}>). Labels, months and
 * frequencies are k's catalog's, and the pages' URLs (model_page_at, url
 * in the tree) begin with "<code>/" ("sv/toimijat/hva/"). Its pages are in
 * the same order as m's. Borrowed; valid until model_free(m). */
const model *model_lang(const model *m, size_t i);

/* The editors' guide's examples (esimerkit in 'mustache: true' pages), one
 * entity of each sort from this site's data: hyvinvointialue, kunta,
 * maakuntaliitto, jarjesto, ryhma (of municipalities when there is one),
 * rooli, malli (the current one), edeltaja (its predecessor), foorumi (the
 * first of that model), asiakirja, pykala, velvoite, taulukko. Each is a map
 * of id, nimi, lyhenne (nimi when none), lyhyt_id (a forum's id without its
 * model), url (when it has a page), tiedosto (the data file it is in) and
 * oikea: true; a sort the data lacks has a generic stand-in (id 'oma-kunta',
 * …) without oikea or url. Borrowed. */
const val *model_examples(const model *m);

/* A page the model asks for: one per party, group, role, model, forum, law
 * section, document and comparison. */
typedef struct {
    const char *url;    /* from the site root, with a trailing slash */
    const char *layout; /* layouts/<layout>.mustache */
    const char *title;
    const val *entity;  /* the entity's node in model_data (page.entity in layouts) */
    src_pos pos;        /* where the entity is defined */
} model_page;

size_t model_page_count(const model *m);
const model_page *model_page_at(const model *m, size_t i);

/* The URL of an entity named in a Markdown link "scheme:id" — schemes
 * toimija, malli, foorumi (model/forum), asiakirja, pykala (e.g.
 * "611-2021-14") — or NULL. When NULL and the scheme is known, *hint may
 * name the closest id (borrowed). Returns false when scheme is not a model
 * scheme at all. */
bool model_link(const model *m, const char *scheme, const char *id, const char **url,
                const char **hint);

/* Whether a data file, or an entity that others may name, could not be read
 * (already reported): an id not found may be defined in what was left out,
 * so unknown ids are not reported (by the model, nor by links and diagrams
 * that ask it), and neither are obligations left unmet. They are once the
 * first error is fixed. */
bool model_incomplete(const model *m);
/* Whether an id not found may still be defined: the model is incomplete,
 * or id (NULL: none) was given to an entity in a refused form ('Kunta A'),
 * which is reported there. What reports an unknown id asks this first. */
bool model_may_define(const model *m, const char *id);

/* How many of the data's texts have no text in language code, one of
 * site.yaml's languages other than the first (each was warned about unless
 * translations are optional). A text may be one per language: {fi: …, sv: …}. */
size_t model_untranslated(const model *m, const char *code);

/* A reader's text outside the data (a diagram's caption) checked like the
 * data's texts (loc.h's loc_check against the site's languages) and
 * counted in model_untranslated. per[] gets MODEL_MAX_LANGS entries, in
 * the order of site.yaml's languages, borrowed from v. Returns the default
 * language's text of a map, NULL for plain text or after an error. */
const char *model_text(model *m, const val *v, const char *key, const char **per, diag_list *d);

/* Glossary terms for marking first uses: count, and term i / its explanation. */
size_t model_term_count(const model *m);
const char *model_term(const model *m, size_t i, const char **explanation, bool *abbreviation,
                       const char **anchor);

/* The JSON Schema (draft-07) of data file i, made from the same field
 * tables that validate it: *name is its schema's name ("toimijat", "lait",
 * "malli" for a model file in content/data/mallit/, …). NULL past the last. Caller
 * frees the tree (val_free). */
val *model_schema(size_t i, const char **name);

#endif
