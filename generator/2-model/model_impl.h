/* model_impl: the model's internal types, shared by model.c (loading and
 * resolution), coverage.c and compare.c. Not for other modules. */
#ifndef KK_MODEL_IMPL_H
#define KK_MODEL_IMPL_H

#include "../0-base/strmap.h"
#include "keys.h"
#include "model.h"
#include "syntax.h"

typedef enum {
    E_PARTY, E_GROUP, E_ROLE, E_LAW, E_SECTION, E_OBLIGATION, E_MODEL, E_FORUM,
    E_DOC, E_EVENT, E_MILESTONE, E_TABLE, E_TASK, E_TERM, E_COUNT
} etype;

#define T(e) (1u << (e))
#define T_ACTOR (T(E_PARTY) | T(E_GROUP) | T(E_ROLE))

/* Party kinds (laji), as bits so that requirements can list alternatives. */
enum {
    K_HVA, K_KUNTA, K_MAAKUNTALIITTO, K_JARJESTO, K_SEURAKUNTA, K_OPPILAITOS, K_YRITYS,
    K_VIRANOMAINEN, K_TOIMIELIN, K_ASUKKAAT, K_MUU, K_COUNT
};
extern const char *const model_kind_names[];  /* "hyvinvointialue", … (NULL-terminated) */
/* The reader's label of a vocabulary value: the catalog's text group.value
 * ("toimijan_laji", "jarjesto" -> "järjestö"). Borrowed from the catalog. */
const char *model_label(const model *m, const char *group, const char *value);
/* Party kinds as text: "kunta tai järjestö" (group lajit). */
void model_kinds_text(const model *m, unsigned kinds, buf_t *out);

/* Every YAML key of an entity, as a typed field id: ent_get(e, F_LAJI).
 * The key strings live in keys.h (OK_LAJI, listed by MODEL_FIELDS) and
 * nowhere else; model_field_keys maps the ids to them. Which fields each
 * entity type has is its table in model.c. */
typedef enum {
#define X(id) F_##id,
    MODEL_FIELDS(X)
#undef X
    F_COUNT
} field_id;
extern const char *const model_field_keys[F_COUNT]; /* F_LAJI -> "laji" */

typedef struct entity entity;

typedef struct {
    entity *section;
    int subsection; /* 0: the whole section */
} lawlink;

/* A requirement on kinds: any of `kinds`; with `all`, every party of that kind. */
typedef struct {
    unsigned kinds;
    bool all;
} kindreq;

/* One resolved field of an entity. */
typedef struct {
    bool set;
    const val *v;   /* the source value */
    const char *text;
    entity *ref;
    entity **refs;
    size_t n_refs;
    syn_freq freq;
    lawlink *laws;
    size_t n_laws;
    kindreq *kinds;
    size_t n_kinds;
    const val **items; /* FT_GAPS: the source entry of each of refs (velvoite, syy) */
    int num;        /* enum index, momentti, … */
    bool flag;
} fval;

struct entity {
    etype type;
    char *id;       /* full id: forums "model/forum", sections "611-2021-14" */
    const char *name;
    const val *src; /* the source map (in the loaded file's tree) */
    val *out;       /* the node layouts see (owned by the model) */
    entity *owner;  /* forum -> model, section -> law, obligation -> section, task -> table */
    fval *f;        /* one per field of the type's table */
    unsigned kind;  /* derived party-kind bits: what this actor counts as */
    char *url;      /* its page, when it has one */
    size_t idx;     /* position in its type's list */
    bool theme;     /* from the national statutes (layouts/lait/): not the site's to translate */
};

typedef struct {
    entity **items;
    size_t len;
} elist;

struct model {
    const src_tree *src;
    val *files;         /* owns the loaded YAML trees */
    val *owned;         /* owns every entity's out node */
    val *data;          /* the tree for layouts (refs into owned) */
    elist all[E_COUNT];
    strmap *ns_actor, *ns_law, *ns_section, *ns_obl, *ns_model, *ns_forum, *ns_doc, *ns_event,
        *ns_table, *ns_term;
    entity *current;    /* the model marked nykyinen */
    bool incomplete;    /* a data file, or an entity others may name, was not read (see model_incomplete) */
    strmap *broken;     /* ids given in a form that was refused: naming one is no new mistake */
    model_page *pages;
    size_t n_pages;
    val *examples;      /* model_examples: one entity of each sort, for the guide */
    i18n *cat;          /* the interface texts of the site's language */
    /* site.yaml's languages (the first the default; one when it names none),
     * whether translations are optional (kaannokset: valinnainen), and per
     * language how many data texts lack it. */
    char *langs[MODEL_MAX_LANGS];
    size_t n_langs;
    bool tr_optional;
    size_t untranslated[MODEL_MAX_LANGS];
    bool loading_theme; /* load_all: reading the national statutes */
    /* The language this model is seen in: 0 for the site's model; k > 0 for
     * its view in language k (model_lang), whose texts are language k's (the
     * default's where k has none, with <key>_lang naming it), whose labels
     * come from k's catalog and whose page URLs start with "<code>/". */
    size_t view;
    char *url_prefix;                     /* "" or "sv/" */
    struct model *views[MODEL_MAX_LANGS]; /* the site's model: its views (views[0] NULL) */
};

/* The resolved field f of e (always non-NULL; .set false when absent, and
 * an empty value when e's type has no such field, e.g. a group's lakiperusta). */
const fval *ent_get(const entity *e, field_id f);
/* Adds a ref to target to the list `key` of node (creating the list). */
void ent_backlink(val *node, const char *key, const entity *target);
void elist_push(elist *l, entity *e);

/* Adds a page; url, layout and title must live as long as the model. */
void model_add_page(model *m, const char *url, const char *layout, const char *title,
                    const val *entity, src_pos pos);
/* The reader's text of a field ("Siun sote, Joensuu", "kerran vuodessa"); caller frees. */
char *ent_field_text(const model *m, const entity *e, field_id f);
/* One actor a forum reaches: named in it (via NULL), or through the named
 * actor via. */
typedef struct {
    const entity *actor;
    const entity *via;
} ent_reach;

/* The actors that the n named actors stand for, each once: first the named
 * ones themselves (via NULL), then, in order, what each stands for
 * (recursively): a group's members, a body's organisation or group (osa), a
 * role's holder (toimija), with via the named actor it was reached through.
 * A forum's participants and convener are expanded only here: its
 * backlinks (kutsuu, osallistuu) and its coverage read the same list.
 * Sets *n_out; caller frees the array with free(). */
ent_reach *ent_expand(const entity *const *named, size_t n, size_t *n_out);

/* coverage.c: computes data.velvoitteet and the coverage of each model;
 * warns about obligations the current model does not meet. */
void model_coverage(model *m, diag_list *d);
/* compare.c: one comparison per model with an edeltaja: data.vertailut. */
void model_compare(model *m);

#endif
