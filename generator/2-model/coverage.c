/* coverage: which forums, documents and bodies of each model meet each legal
 * obligation, and what is missing where none does. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/buf.h"
#include "../0-base/xmem.h"
#include "model_impl.h"

enum { BY_FORUM, BY_DOCUMENT, BY_ACTOR };

/* Appends the catalog's text key, with the party kinds as {lajit}, after "; " when why has text. */
static void why_kinds(const model *m, buf_t *why, const char *key, unsigned kinds)
{
    buf_t k = BUF_INIT;
    model_kinds_text(m, kinds, &k);
    if (why->len)
        buf_puts(why, "; ");
    i18n_put(m->cat, why, key, "lajit", buf_cstr(&k), NULL);
    buf_free(&k);
}

static unsigned kinds_of(const fval *f)
{
    unsigned k = 0;
    for (size_t i = 0; i < f->n_kinds; i++)
        k |= f->kinds[i].kinds;
    return k;
}

/* Does entity e cite the obligation's section (and subsection, when both name one)? */
static bool cites(const entity *e, const entity *obl)
{
    assert(e && obl && obl->type == E_OBLIGATION && obl->owner);
    const fval *laws = ent_get(e, F_LAKIPERUSTA);
    int mom = ent_get(obl, F_MOMENTTI)->set ? ent_get(obl, F_MOMENTTI)->num : 0;
    for (size_t i = 0; i < laws->n_laws; i++)
        if (laws->laws[i].section == obl->owner &&
            (!laws->laws[i].subsection || !mom || laws->laws[i].subsection == mom))
            return true;
    return false;
}

/* Whether party p belongs to region (a party or model without an `alue` belongs everywhere). */
static bool in_region(const entity *p, const char *region)
{
    const char *own = ent_get(p, F_ALUE)->text;
    return !region || !own || !strcmp(own, region);
}

/* Checks the kind requirements against the parties `in` stands for; appends
 * what is missing to why. "kaikki:kunta" asks for every municipality of the
 * model's region. */
static bool meets_kinds(const model *m, const fval *reqs, const bool *in, const char *region, buf_t *why)
{
    bool ok = true;
    const elist *parties = &m->all[E_PARTY];
    for (size_t r = 0; r < reqs->n_kinds; r++) {
        const kindreq *k = &reqs->kinds[r];
        if (k->all) {
            buf_t missing = BUF_INIT;
            size_t n = 0;
            for (size_t i = 0; i < parties->len; i++) {
                const entity *p = parties->items[i];
                const fval *laji = ent_get(p, F_LAJI);
                if (laji->set && (k->kinds & (1u << laji->num)) && !in[i] && in_region(p, region))
                    buf_printf(&missing, "%s%s", n++ ? ", " : "", p->name);
            }
            if (n) {
                why_kinds(m, why, "kattavuus_syy.puuttuu", k->kinds);
                buf_printf(why, " (%s)", missing.ptr);
                ok = false;
            }
            buf_free(&missing);
        } else {
            bool any = false;
            for (size_t i = 0; i < parties->len && !any; i++)
                any = in[i] && (parties->items[i]->kind & k->kinds);
            if (!any) {
                why_kinds(m, why, "kattavuus_syy.puuttuu", k->kinds);
                ok = false;
            }
        }
    }
    return ok;
}

/* verb: the catalog key of "kokoontuu" or "laaditaan". */
static bool check_freq(const model *m, const fval *have, const fval *min, const char *verb, buf_t *why)
{
    if (!min->set)
        return true;
    const char *v = i18n_text(m->cat, verb);
    if (!have->set) {
        if (why->len)
            buf_puts(why, "; ");
        i18n_put(m->cat, why, "kattavuus_syy.ei_merkitty", "verbi", v, NULL);
        return false;
    }
    if (syn_freq_at_least(&have->freq, &min->freq))
        return true;
    buf_t is = BUF_INIT, needed = BUF_INIT;
    syn_freq_describe(m->cat, &have->freq, &is);
    syn_freq_describe(m->cat, &min->freq, &needed);
    if (why->len)
        buf_puts(why, "; ");
    i18n_put(m->cat, why, "kattavuus_syy.liian_harvoin", "verbi", v, "on", buf_cstr(&is), "vaadittu",
             buf_cstr(&needed), NULL);
    buf_free(&is);
    buf_free(&needed);
    return false;
}

/* Marks in `in` (one flag per party) every party the n named actors stand
 * for: the same expansion that gives the actors' backlinks (ent_expand). */
static void mark_parties(const entity *const *named, size_t n, bool *in)
{
    size_t len;
    ent_reach *r = ent_expand(named, n, &len);
    for (size_t i = 0; i < len; i++)
        if (r[i].actor->type == E_PARTY)
            in[r[i].actor->idx] = true;
    free(r);
}

typedef struct {
    val *fulfillers; /* refs */
    val *gaps;       /* strings */
    bool met;
} result;

static void gap(result *r, const char *s)
{
    val_push(r->gaps, val_str(s, (src_pos){0}));
}

static void by_forum(const model *m, const entity *obl, const entity *mo, result *r)
{
    unsigned conv_req = kinds_of(ent_get(obl, F_KUTSUJA));
    if (!conv_req)
        conv_req = kinds_of(ent_get(obl, F_VELVOLLINEN));
    const fval *min = ent_get(obl, F_VAHINTAAN);
    const fval *parts_req = ent_get(obl, F_OSALLISTUJAT);
    size_t candidates = 0;
    bool *in = xcalloc(m->all[E_PARTY].len + 1, sizeof(bool));
    for (size_t i = 0; i < m->all[E_FORUM].len; i++) {
        const entity *f = m->all[E_FORUM].items[i];
        if (f->owner != mo || !cites(f, obl))
            continue;
        candidates++;
        buf_t why = BUF_INIT;
        const entity *conv = ent_get(f, F_KUTSUJA)->ref;
        if (conv && !(conv->kind & conv_req)) {
            buf_t is = BUF_INIT, needed = BUF_INIT;
            model_kinds_text(m, conv->kind, &is);
            model_kinds_text(m, conv_req, &needed);
            i18n_put(m->cat, &why, "kattavuus_syy.kutsuja", "on", buf_cstr(&is), "vaadittu", buf_cstr(&needed), NULL);
            buf_free(&is);
            buf_free(&needed);
        }
        check_freq(m, ent_get(f, F_TIHEYS), min, "kattavuus_syy.kokoontuu", &why);
        memset(in, 0, (m->all[E_PARTY].len + 1) * sizeof(bool));
        mark_parties(&conv, conv ? 1 : 0, in);
        const fval *parts = ent_get(f, F_OSALLISTUJAT);
        mark_parties((const entity *const *)parts->refs, parts->n_refs, in);
        meets_kinds(m, parts_req, in, ent_get(mo, F_ALUE)->text, &why);
        if (why.len == 0) {
            val_push(r->fulfillers, val_ref(f->out));
            r->met = true;
        } else {
            char *s = xasprintf("%s: %s", f->name, why.ptr);
            gap(r, s);
            free(s);
        }
        buf_free(&why);
    }
    free(in);
    if (!candidates)
        gap(r, i18n_text(m->cat, "kattavuus_syy.ei_foorumia"));
}

/* Documents and bodies: every obliged kind needs one of its own. */
static void by_kind(const model *m, const entity *obl, etype first, etype last, field_id owner_key,
                    result *r)
{
    const fval *obliged = ent_get(obl, F_VELVOLLINEN);
    const fval *min = ent_get(obl, F_VAHINTAAN);
    const fval *doc_kinds = ent_get(obl, F_ASIAKIRJAT);
    bool *in = xcalloc(m->all[E_PARTY].len + 1, sizeof(bool));
    r->met = obliged->n_kinds > 0;
    for (size_t q = 0; q < obliged->n_kinds; q++) {
        const kindreq *k = &obliged->kinds[q];
        bool met = false;
        buf_t why = BUF_INIT;
        for (etype t = first; t <= last; t++) {
            for (size_t i = 0; i < m->all[t].len; i++) {
                const entity *e = m->all[t].items[i];
                if (!cites(e, obl))
                    continue;
                const entity *owner = owner_key != F_COUNT ? ent_get(e, owner_key)->ref : e;
                if (!owner || !(owner->kind & k->kinds))
                    continue;
                if (t == E_DOC && doc_kinds->set && !(doc_kinds->num & (1 << ent_get(e, F_LAJI)->num)))
                    continue; /* not the kind of document the duty asks for */
                buf_t w = BUF_INIT;
                check_freq(m, ent_get(e, F_SYKLI), min, "kattavuus_syy.laaditaan", &w);
                if (k->all) {
                    memset(in, 0, (m->all[E_PARTY].len + 1) * sizeof(bool));
                    mark_parties(&owner, 1, in);
                    fval one = {.set = true, .kinds = (kindreq *)k, .n_kinds = 1};
                    meets_kinds(m, &one, in, NULL, &w);
                }
                if (w.len == 0) {
                    met = true;
                    val_push(r->fulfillers, val_ref(e->out));
                } else {
                    buf_printf(&why, "%s%s: %s", why.len ? "; " : "", e->name, w.ptr);
                }
                buf_free(&w);
            }
        }
        if (!met) {
            buf_t g = BUF_INIT;
            model_kinds_text(m, k->kinds, &g);
            buf_printf(&g, ": %s", why.len ? why.ptr
                                   : i18n_text(m->cat, first == E_DOC ? "kattavuus_syy.ei_asiakirjaa"
                                                                      : "kattavuus_syy.ei_toimielinta"));
            gap(r, g.ptr);
            buf_free(&g);
            r->met = false;
        }
        buf_free(&why);
    }
    free(in);
}

/* Model mo's known-gap entry for obl (from its 'tiedossa'), or NULL. */
static const val *known_gap(const entity *mo, const entity *obl)
{
    const fval *gaps = ent_get(mo, F_TIEDOSSA);
    for (size_t i = 0; i < gaps->n_refs; i++)
        if (gaps->refs[i] == obl)
            return gaps->items[i];
    return NULL;
}

/* The reason of the known gap that covers this coverage entry, or NULL: the
 * mark of the entry's model mo, or, for an entry that belongs to no model
 * (documents, bodies), the current model's. A mark on an obligation that is
 * met is an error, so that no mark outlives its gap. */
static const char *check_marks(const model *m, const entity *obl, const entity *mo, bool met,
                               diag_list *d)
{
    const char *why = NULL;
    for (size_t k = 0; k < m->all[E_MODEL].len; k++) {
        const entity *x = m->all[E_MODEL].items[k];
        if (mo && x != mo)
            continue;
        const val *mark = known_gap(x, obl);
        if (!mark)
            continue;
        if (met) {
            src_pos at = val_pos(val_get(mark, OK_VELVOITE));
            diag_error(d, at.file, at.line, at.col,
                       "obligation '%s' is met now: remove it from '%s'", obl->id, OK_TIEDOSSA);
        } else if (mo ? x == mo : x == m->current) {
            why = val_get_str(mark, OK_SYY);
        }
    }
    return why;
}

void model_coverage(model *m, diag_list *d)
{
    assert(m && d && m->data);
    val *all = val_list((src_pos){0});
    for (size_t i = 0; i < m->all[E_OBLIGATION].len; i++) {
        entity *obl = m->all[E_OBLIGATION].items[i];
        val_push(all, val_ref(obl->out));
        const fval *how = ent_get(obl, F_TAYTTYY);
        if (!how->set)
            continue;
        val *per_model = val_list((src_pos){0});
        /* Documents and bodies do not belong to a model: one evaluation serves all. */
        size_t n_models = how->num == BY_FORUM ? m->all[E_MODEL].len : 1;
        for (size_t k = 0; k < n_models; k++) {
            entity *mo = how->num == BY_FORUM ? m->all[E_MODEL].items[k] : NULL;
            result r = {.fulfillers = val_list((src_pos){0}), .gaps = val_list((src_pos){0}), .met = false};
            if (how->num == BY_FORUM)
                by_forum(m, obl, mo, &r);
            else if (how->num == BY_DOCUMENT)
                by_kind(m, obl, E_DOC, E_DOC, F_OMISTAJA, &r);
            else
                by_kind(m, obl, E_PARTY, E_ROLE, F_COUNT, &r);
            val *entry = val_map((src_pos){0});
            /* null rather than absent: a missing name would be looked up in
             * the enclosing Mustache contexts (data.malli). */
            val_set(entry, OK_MALLI, mo ? val_ref(mo->out) : val_null((src_pos){0}));
            val_set(entry, OK_TAYTETTY, val_bool(r.met, (src_pos){0}));
            val_set(entry, OK_TAYTTAJAT, r.fulfillers);
            val_set(entry, OK_PUUTTEET, r.gaps);
            const char *known = check_marks(m, obl, mo, r.met, d);
            /* null rather than absent, as malli above: an entry of another
             * model must not show the obligation's (the current model's) reason. */
            val_set(entry, OK_TIEDOSSA_SYY, known ? val_str(known, (src_pos){0}) : val_null((src_pos){0}));
            bool current = !mo || mo == m->current;
            if (current) {
                val_set(obl->out, OK_TAYTETTY, val_bool(r.met, (src_pos){0}));
                val_set(obl->out, OK_TAYTTAJAT, val_ref(r.fulfillers));
                val_set(obl->out, OK_PUUTTEET, val_ref(r.gaps));
                if (known)
                    val_set_str(obl->out, OK_TIEDOSSA_SYY, known);
                if (!r.met && !known && (m->current || !mo) && !m->incomplete) {
                    src_pos at = val_pos(obl->src);
                    const char *sec = val_get_str(obl->out, OK_VIITE);
                    if (mo)
                        diag_warning(d, at.file, at.line, at.col,
                                     "obligation '%s' (%s) is not met by the current model '%s' "
                                     "(the coverage page lists what is missing)",
                                     obl->id, sec, mo->id);
                    else
                        diag_warning(d, at.file, at.line, at.col,
                                     "obligation '%s' (%s) is not met (the coverage page lists what "
                                     "is missing)",
                                     obl->id, sec);
                }
            }
            val_push(per_model, entry);
        }
        val_set(obl->out, OK_MALLIT, per_model);
    }
    val_set(m->data, OK_VELVOITTEET, all);
}
