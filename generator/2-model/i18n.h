/* i18n: the interface texts of one language — every word the theme and the
 * generator write for a reader (navigation, generated headings, frequencies,
 * months, coverage explanations, chart legends, the booklet, 404) — from the
 * theme's message catalogs layouts/kielet/<lang>.yaml.
 *
 * A catalog is a two-level YAML map, group → key → text ("sivu: {sisalto:
 * Sivun sisältö}"), looked up as "group.key". A text may hold placeholders
 * {name} that the caller fills in; a text with forms per number is a map
 * {yksi: "1 sivu", monta: "{n} sivua"}. The built-in Finnish catalog is the
 * reference: its keys are all the keys there are, and the code asks only for
 * those (an unknown key is a programming error and asserts). A site's own
 * layouts/kielet/<lang>.yaml is merged over the built-in catalog of that
 * language key by key, so it may hold only the texts it changes. */
#ifndef KK_I18N_H
#define KK_I18N_H

#include <stdbool.h>
#include <stddef.h>

#include "../0-base/buf.h"
#include "../0-base/diag.h"
#include "../0-base/value.h"
#include "../1-load/source.h"

typedef struct i18n i18n;

/* The default language and the folder of the catalogs. */
#define I18N_DEFAULT "fi"
#define I18N_DIR "layouts/kielet/"

/* One catalog file: its text and the name diagnostics give it (data NULL: none). */
typedef struct {
    const char *data;
    size_t len;
    const char *name;
} i18n_file;

/* The catalog of language lang: the reference (the built-in Finnish
 * catalog), the built-in catalog of lang (none for a language the theme does
 * not know; the reference again for fi) and the site's own file of lang (or
 * none). Warns (to d) about keys the reference does not have (with the
 * closest one), texts using placeholders their key does not fill, wrong
 * shapes, and — once per key — keys lang lacks, whose Finnish text is used.
 * Never NULL; caller frees with i18n_free. */
i18n *i18n_new(const char *lang, i18n_file ref, i18n_file builtin, i18n_file site, diag_list *d);
/* The catalog of the site's language (site.yaml `language`, default fi),
 * from the theme in the binary and the site's layouts/kielet/. */
i18n *i18n_load(const src_tree *src, diag_list *d);
/* The same for language lang (one of site.yaml's `languages`). */
i18n *i18n_load_lang(const src_tree *src, const char *lang, diag_list *d);
/* The same for the site in folder root, read afresh (serve's error overlay,
 * when the build that failed may have no model): site.yaml's language and
 * the site's own layouts/kielet/<lang>.yaml. Never NULL. */
i18n *i18n_load_dir(const char *root, diag_list *d);
/* The built-in catalog of lang alone (no site files), e.g. for tests. */
i18n *i18n_builtin(const char *lang, diag_list *d);
void i18n_free(i18n *c);
/* A language's English name for messages ("sv" -> "Swedish"), or code. */
const char *i18n_lang_name(const char *code);

/* The language code ("fi"). Borrowed. */
const char *i18n_lang(const i18n *c);
/* The text of key "group.key", placeholders unfilled. Borrowed; valid until
 * i18n_free. The key must exist in the reference catalog (asserted); for a
 * text with number forms this is the "monta" form. */
const char *i18n_text(const i18n *c, const char *key);
/* True when the reference catalog has key. */
bool i18n_has(const i18n *c, const char *key);
/* The reference key closest to key, if close enough to be a plausible typo
 * ("vienti.tehtva" -> "vienti.tehtava"), else NULL. Borrowed. */
const char *i18n_suggest(const i18n *c, const char *key);
/* Appends key's text to out with its placeholders filled: the variadic
 * arguments are NULL-terminated pairs of name and value ("nimi", "Joensuu",
 * NULL). A placeholder with no value is written as it stands. */
void i18n_put(const i18n *c, buf_t *out, const char *key, ...) __attribute__((sentinel));
/* The same for a text with number forms: "yksi" when n is 1, else "monta";
 * {n} is n, the other placeholders as for i18n_put. */
void i18n_put_n(const i18n *c, buf_t *out, const char *key, long n, ...) __attribute__((sentinel));
/* The catalog as a value tree, group → key → text (number forms as a map of
 * their forms), for the layouts' `t`. Borrowed. */
const val *i18n_tree(const i18n *c);

#endif
