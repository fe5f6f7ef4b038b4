/* compare: what changed between a model and its predecessor (edeltaja):
 * forums added, removed, and changed field by field. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/buf.h"
#include "../0-base/xmem.h"
#include "model_impl.h"

/* The fields compared, with the labels readers see. */
static const struct {
    field_id key;
    const char *label; /* catalog key */
} compared[] = {
    {F_NIMI, "vertailu_kentta.nimi"},
    {F_TASO, "vertailu_kentta.taso"},
    {F_KUTSUJA, "vertailu_kentta.kutsuja"},
    {F_OSALLISTUJAT, "vertailu_kentta.osallistujat"},
    {F_TIHEYS, "vertailu_kentta.tiheys"},
    {F_AJOITUS, "vertailu_kentta.ajoitus"},
    {F_LAKIPERUSTA, "vertailu_kentta.lakiperusta"},
    {F_TARKOITUS, "vertailu_kentta.tarkoitus"},
    {F_AIHEET, "vertailu_kentta.aiheet"},
    {F_TUOTOKSET, "vertailu_kentta.tuotokset"},
    {F_TILA, "vertailu_kentta.tila"},
};

static entity *forum_in(const model *m, const entity *mo, const char *short_id)
{
    char *id = xasprintf("%s/%s", mo->id, short_id);
    entity *f = strmap_get(m->ns_forum, id);
    free(id);
    return f;
}

/* The forum's id within its model, as create() stored it. */
static const char *short_id(const entity *f) { return val_get_str(f->out, OK_LYHYT_ID); }

void model_compare(model *m)
{
    assert(m && m->owned && m->data);
    val *all = val_list((src_pos){0});
    for (size_t i = 0; i < m->all[E_MODEL].len; i++) {
        entity *mo = m->all[E_MODEL].items[i];
        entity *old = ent_get(mo, F_EDELTAJA)->ref;
        if (!old || old == mo)
            continue;
        val *cmp = val_map(val_pos(mo->src));
        val_push(m->owned, cmp);
        char *id = xasprintf("%s-%s", old->id, mo->id);
        char *url = xasprintf("%syhteistyorakenne/vertailu-%s/", m->url_prefix, id);
        buf_t tb = BUF_INIT;
        i18n_put(m->cat, &tb, "vertailu.otsikko", "vanha", old->name, "uusi", mo->name, NULL);
        char *title = buf_detach(&tb);
        val_set_str(cmp, OK_ID, id);
        val_set_str(cmp, OK_URL, url);
        val_set_str(cmp, OK_NIMI, title);
        if (m->view) /* (its models' names are the view's, or the default's) */
            val_set(cmp, OK_NIMI "_lang", val_bool(false, (src_pos){0}));
        free(id);
        free(url);
        free(title);
        val_set(cmp, OK_VANHA, val_ref(old->out));
        val_set(cmp, OK_UUSI, val_ref(mo->out));
        val *added = val_list((src_pos){0}), *removed = val_list((src_pos){0});
        val *changed = val_list((src_pos){0}), *same = val_list((src_pos){0});
        for (size_t k = 0; k < m->all[E_FORUM].len; k++) {
            entity *f = m->all[E_FORUM].items[k];
            if (f->owner == mo && !forum_in(m, old, short_id(f)))
                val_push(added, val_ref(f->out));
            if (f->owner == old && !forum_in(m, mo, short_id(f)))
                val_push(removed, val_ref(f->out));
            if (f->owner != mo)
                continue;
            entity *before = forum_in(m, old, short_id(f));
            if (!before)
                continue;
            val *changes = val_list((src_pos){0});
            for (size_t c = 0; c < sizeof compared / sizeof compared[0]; c++) {
                char *a = ent_field_text(m, before, compared[c].key);
                char *b = ent_field_text(m, f, compared[c].key);
                if (strcmp(a, b) != 0) {
                    val *ch = val_map((src_pos){0});
                    val_set_str(ch, OK_KENTTA, i18n_text(m->cat, compared[c].label));
                    val_set_str(ch, OK_VANHA, *a ? a : "—");
                    val_set_str(ch, OK_UUSI, *b ? b : "—");
                    val_push(changes, ch);
                }
                free(a);
                free(b);
            }
            if (val_len(changes)) {
                val *entry = val_map((src_pos){0});
                val_set(entry, OK_FOORUMI, val_ref(f->out));
                val_set(entry, OK_EDELLINEN, val_ref(before->out));
                val_set(entry, OK_MUUTOKSET, changes);
                val_push(changed, entry);
                val_set(f->out, OK_MUUTTUNUT, val_bool(true, (src_pos){0}));
            } else {
                val_free(changes);
                val_push(same, val_ref(f->out));
            }
        }
        val_set(cmp, OK_LISATYT, added);
        val_set(cmp, OK_POISTETUT, removed);
        val_set(cmp, OK_MUUTTUNEET, changed);
        val_set(cmp, OK_ENNALLAAN, same);
        val_set(mo->out, OK_VERTAILU, val_ref(cmp));
        val_set(old->out, OK_SEURAAJAN_VERTAILU, val_ref(cmp));
        val_push(all, val_ref(cmp));
        model_add_page(m, val_get_str(cmp, OK_URL), "vertailu", val_get_str(cmp, OK_NIMI), cmp,
                       val_pos(mo->src));
    }
    val_set(m->data, OK_VERTAILUT, all);
}
