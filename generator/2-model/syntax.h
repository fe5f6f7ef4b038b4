/* syntax: the small value languages of the model's YAML — frequencies
 * ("6-8/vuosi"), dates ("2025-03"), legal bases ("612/2021 7 § 4 mom") and
 * months — parsed, checked and described in Finnish. */
#ifndef KK_SYNTAX_H
#define KK_SYNTAX_H

#include <stdbool.h>

#include "../0-base/buf.h"
#include "i18n.h"

/* How often something happens. */
typedef struct {
    bool as_needed;   /* "tarvittaessa": no fixed rhythm */
    int lo, hi;       /* counts per period (lo == hi for "1/vuosi") */
    int period;       /* SYN_YEAR, SYN_TERM, SYN_MONTH */
} syn_freq;

enum { SYN_YEAR, SYN_TERM, SYN_MONTH };

/* A council term (valtuustokausi) lasts four years. */
#define SYN_TERM_YEARS 4

/* Parses "N/vuosi", "N-M/vuosi", "N/valtuustokausi", "N/kuukausi" or
 * "tarvittaessa" (spaces around '/' and '-' allowed). On failure returns
 * false and sets *why to a static explanation of what is right. */
bool syn_freq_parse(const char *s, syn_freq *out, const char **why);
/* The least number of times a year (a council term counts as four years). */
double syn_freq_min_per_year(const syn_freq *f);
/* True when f happens at least as often as min. */
bool syn_freq_at_least(const syn_freq *f, const syn_freq *min);
/* Appends prose in the catalog's language: "kerran vuodessa", "6–8 kertaa
 * vuodessa", "kerran valtuustokaudessa", "tarvittaessa" (group tiheys). */
void syn_freq_describe(const i18n *cat, const syn_freq *f, buf_t *out);

/* A date of the precision written: YYYY, YYYY-MM or YYYY-MM-DD. */
typedef struct {
    int year, month, day; /* month and day 0 when not given */
} syn_date;

/* Parses and checks ranges (month 1–12, day within the month). */
bool syn_date_parse(const char *s, syn_date *out);
/* "2025", "maaliskuu 2025", "17.3.2025" (group paivays). */
void syn_date_describe(const i18n *cat, const syn_date *d, buf_t *out);
/* Orders dates; a missing month or day sorts first. */
int syn_date_cmp(const syn_date *a, const syn_date *b);

/* A legal basis: law "611/2021", section "14" (may be "7 a"), subsection 0 = whole section. */
typedef struct {
    char law[16];
    char section[16];
    int subsection;
} syn_lawref;

/* Parses "611/2021 14 §", "612/2021 7 § 4 mom", "612/2021 7 §:n 4 momentti"
 * is not accepted: one form only, as documented. */
bool syn_lawref_parse(const char *s, syn_lawref *out);
/* "611/2021 14 §" or "612/2021 7 § 4 mom". */
void syn_lawref_format(const syn_lawref *r, buf_t *out);

/* {====== The same languages as JSON Schema patterns (ECMA 262, anchored) ======
 * For `kasikirja schema`: each pattern accepts what its parser above
 * accepts, as far as a pattern can say (a backwards range "8-6/vuosi" and
 * 29 February of a common year pass the pattern; the parsers refuse them). */
#define SYN_FREQ_PATTERN                                                                      \
    "^(tarvittaessa|(?! *0+ *(- *0+ *)?/) *[0-9]{1,4} *(- *[0-9]{1,4} *)?/ *"                 \
    "(vuosi|valtuustokausi|kuukausi) *)$"
#define SYN_DATE_PATTERN                                                                      \
    "^(19[0-9]{2}|2[01][0-9]{2}|2200)(-(0[1-9]|1[0-2])(-(0[1-9]|1[0-9]|2[0-8]))?|"           \
    "-(0[13-9]|1[0-2])-(29|30)|-(0[13578]|1[02])-31|-02-29)?$"
#define SYN_YEAR_MIN 1900 /* a date given as a plain number (2025) is a year in this range */
#define SYN_YEAR_MAX 2200
#define SYN_LAWNO_PATTERN "^ *[0-9]{1,5}/[0-9]{4}$"
#define SYN_LAWREF_PATTERN                                                                    \
    "^ *[0-9]{1,5}/[0-9]{4} +[0-9]{1,4}( [a-z] +| *)§ *((0{0,2}[1-9]|0?[1-9][0-9]) *mom\\.?)?$"
/* } */

/* Month names, 1-based ("tammikuu" … "joulukuu"; group kuukaudet). Borrowed from cat. */
const char *syn_month_name(const i18n *cat, int month);

#endif
