/* init: `kasikirja init DIR`, a new region's handbook. Writes the starter
 * site (the built-in files under THEME_STARTER) into a folder, with the
 * region's names filled in, never replacing a file. */
#ifndef KK_INIT_H
#define KK_INIT_H

#include <stdbool.h>
#include <stddef.h>

#include "0-base/buf.h"
#include "0-base/diag.h"

/* The names a starter site is written for; NULL takes the default. */
typedef struct {
    const char *alue;    /* the region: "Etelä-Karjala" */
    const char *hva;     /* the welfare area: "Etelä-Karjalan hyvinvointialue" */
    const char *lyhenne; /* its short name: "Eksote" */
} init_names;

#define INIT_ALUE "Oma alue"
#define INIT_HVA "Oman alueen hyvinvointialue"
#define INIT_LYHENNE "HVA"

/* Appends s as the inside of a YAML double-quoted scalar ("…" without the
 * quotes): '\\' and '"' escaped, control characters as \n, \t or \xNN. */
void init_yaml_escape(const char *s, buf_t *out);
/* Appends s as Markdown text that renders as s: ASCII punctuation that
 * Markdown reads (`*_[]<>#!|~&{}\ and the like) backslash-escaped, line
 * breaks and other control characters as spaces. */
void init_md_escape(const char *s, buf_t *out);
/* The welfare area's id from its short name: the slug (slug.h) with
 * Finnish and other Latin-1 letters as a–z ("Päijät-Häme" -> "paijat-hame"),
 * "hva" when nothing is left; never "kunnat" or "maakuntaliitto", the
 * starter's other ids. Caller frees. */
char *init_id(const char *lyhenne);
/* A starter file's text with @ALUE@, @HVA@, @LYHENNE@ and @ID@ replaced by
 * the names: YAML-escaped in a .yaml file and in a .md file's front matter
 * (the starter writes them inside double quotes there), Markdown-escaped in
 * a page's text, as they are elsewhere. Caller frees; *len without the NUL. */
char *init_fill(const char *path, const char *text, size_t len, const init_names *n, size_t *out_len);

/* What init_run did. */
typedef struct {
    size_t written;
    char **skipped; /* relative paths of the files that were there already */
    size_t n_skipped;
} init_result;

/* Writes the starter site into dir (made when missing). A folder that is
 * not empty is refused unless force; with force, only the files that are
 * missing are written and the others listed in r->skipped. False with
 * errors in d. */
bool init_run(const char *dir, const init_names *n, bool force, init_result *r, diag_list *d);
void init_result_free(init_result *r);

#endif
