/* syntax: frequencies, dates, legal bases and months. */
#include "syntax.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const month_keys[] = {
    "kuukaudet.k1", "kuukaudet.k2", "kuukaudet.k3",  "kuukaudet.k4",  "kuukaudet.k5",  "kuukaudet.k6",
    "kuukaudet.k7", "kuukaudet.k8", "kuukaudet.k9", "kuukaudet.k10", "kuukaudet.k11", "kuukaudet.k12",
};

const char *syn_month_name(const i18n *cat, int month)
{
    return month >= 1 && month <= 12 ? i18n_text(cat, month_keys[month - 1]) : "";
}

static void skip_spaces(const char **p)
{
    while (**p == ' ')
        (*p)++;
}

/* A positive whole number of at most 4 digits; -1 when there is none. */
static int number(const char **p)
{
    int n = 0, digits = 0;
    while (isdigit((unsigned char)**p) && digits < 5) {
        n = n * 10 + (**p - '0');
        (*p)++;
        digits++;
    }
    return digits == 0 || digits > 4 ? -1 : n;
}

static const struct {
    const char *word;
    int period;
} periods[] = {
    {"vuosi", SYN_YEAR},
    {"valtuustokausi", SYN_TERM},
    {"kuukausi", SYN_MONTH},
};

static const char freq_help[] =
    "write a count and a period, e.g. '1/vuosi', '6-8/vuosi', '1/valtuustokausi', "
    "'2/kuukausi', or 'tarvittaessa'";

bool syn_freq_parse(const char *s, syn_freq *out, const char **why)
{
    memset(out, 0, sizeof *out);
    *why = freq_help;
    if (!strcmp(s, "tarvittaessa")) {
        out->as_needed = true;
        return true;
    }
    const char *p = s;
    skip_spaces(&p);
    out->lo = out->hi = number(&p);
    if (out->lo < 0)
        return false;
    skip_spaces(&p);
    if (*p == '-') {
        p++;
        skip_spaces(&p);
        out->hi = number(&p);
        if (out->hi < 0)
            return false;
        if (out->hi < out->lo) {
            *why = "the range is backwards: write the smaller count first, e.g. '6-8/vuosi'";
            return false;
        }
        skip_spaces(&p);
    }
    if (*p != '/')
        return false;
    p++;
    skip_spaces(&p);
    if (out->lo == 0 && out->hi == 0) {
        *why = "a count of 0 means never: write 'tarvittaessa' for no fixed rhythm";
        return false;
    }
    for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
        size_t n = strlen(periods[i].word);
        if (!strncmp(p, periods[i].word, n)) {
            const char *q = p + n;
            skip_spaces(&q);
            if (*q == '\0') {
                out->period = periods[i].period;
                return true;
            }
        }
    }
    *why = "the period must be 'vuosi', 'valtuustokausi' or 'kuukausi', e.g. '1/vuosi'";
    return false;
}

double syn_freq_min_per_year(const syn_freq *f)
{
    if (f->as_needed)
        return 0;
    switch (f->period) {
    case SYN_TERM: return (double)f->lo / SYN_TERM_YEARS;
    case SYN_MONTH: return (double)f->lo * 12;
    default: return f->lo;
    }
}

bool syn_freq_at_least(const syn_freq *f, const syn_freq *min)
{
    return syn_freq_min_per_year(f) >= syn_freq_min_per_year(min);
}

void syn_freq_describe(const i18n *cat, const syn_freq *f, buf_t *out)
{
    static const char *const per[] = {"tiheys.vuodessa", "tiheys.valtuustokaudessa", "tiheys.kuukaudessa"};
    static const char *const range[] = {"tiheys.vuodessa_vali", "tiheys.valtuustokaudessa_vali",
                                        "tiheys.kuukaudessa_vali"};
    if (f->as_needed) {
        buf_puts(out, i18n_text(cat, "tiheys.tarvittaessa"));
        return;
    }
    if (f->lo == f->hi) {
        i18n_put_n(cat, out, per[f->period], f->lo, NULL);
        return;
    }
    char lo[16], hi[16];
    snprintf(lo, sizeof lo, "%d", f->lo);
    snprintf(hi, sizeof hi, "%d", f->hi);
    i18n_put(cat, out, range[f->period], "alin", lo, "ylin", hi, NULL);
}

static int days_in(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

bool syn_date_parse(const char *s, syn_date *out)
{
    memset(out, 0, sizeof *out);
    int n = 0;
    char tail;
    int y = 0, m = 0, d = 0;
    size_t len = strlen(s);
    if (len == 4 && sscanf(s, "%4d%n", &y, &n) == 1 && n == 4) {
        /* year only */
    } else if (len == 7 && sscanf(s, "%4d-%2d%n%c", &y, &m, &n, &tail) == 2 && n == 7) {
        if (m < 1 || m > 12)
            return false;
    } else if (len == 10 && sscanf(s, "%4d-%2d-%2d%n%c", &y, &m, &d, &n, &tail) == 3 && n == 10) {
        if (m < 1 || m > 12 || d < 1 || d > days_in(y, m))
            return false;
    } else {
        return false;
    }
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)s[i]) && s[i] != '-')
            return false;
    if (y < 1900 || y > 2200)
        return false;
    out->year = y;
    out->month = m;
    out->day = d;
    return true;
}

void syn_date_describe(const i18n *cat, const syn_date *d, buf_t *out)
{
    char day[8], month[8], year[8];
    snprintf(day, sizeof day, "%d", d->day % 100);
    snprintf(month, sizeof month, "%d", d->month % 100);
    snprintf(year, sizeof year, "%d", d->year % 10000);
    if (d->day)
        i18n_put(cat, out, "paivays.paiva", "p", day, "k", month, "v", year, NULL);
    else if (d->month)
        i18n_put(cat, out, "paivays.kuukausi", "kuukausi", syn_month_name(cat, d->month), "v", year, NULL);
    else
        i18n_put(cat, out, "paivays.vuosi", "v", year, NULL);
}

int syn_date_cmp(const syn_date *a, const syn_date *b)
{
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    if (a->month != b->month)
        return a->month < b->month ? -1 : 1;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return 0;
}

bool syn_lawref_parse(const char *s, syn_lawref *out)
{
    memset(out, 0, sizeof *out);
    const char *p = s;
    skip_spaces(&p);
    /* law: digits '/' 4 digits */
    size_t n = 0;
    while (isdigit((unsigned char)p[n]))
        n++;
    if (n == 0 || n > 5 || p[n] != '/')
        return false;
    size_t m = n + 1;
    while (isdigit((unsigned char)p[m]))
        m++;
    if (m - n - 1 != 4)
        return false;
    memcpy(out->law, p, m);
    out->law[m] = '\0';
    p += m;
    if (*p != ' ')
        return false;
    skip_spaces(&p);
    /* section: digits, optionally a space and one lower-case letter ("7 a"), then " §" */
    n = 0;
    while (isdigit((unsigned char)p[n]))
        n++;
    if (n == 0 || n > 4)
        return false;
    size_t sec_len = n;
    if (p[n] == ' ' && islower((unsigned char)p[n + 1]) && p[n + 2] == ' ')
        sec_len = n + 2;
    memcpy(out->section, p, sec_len);
    out->section[sec_len] = '\0';
    p += sec_len;
    skip_spaces(&p);
    if (strncmp(p, "§", strlen("§")) != 0)
        return false;
    p += strlen("§");
    skip_spaces(&p);
    if (*p == '\0')
        return true;
    int mom = number(&p);
    if (mom < 1 || mom > 99)
        return false;
    skip_spaces(&p);
    if (strcmp(p, "mom") != 0 && strcmp(p, "mom.") != 0)
        return false;
    out->subsection = mom;
    return true;
}

void syn_lawref_format(const syn_lawref *r, buf_t *out)
{
    buf_printf(out, "%s %s §", r->law, r->section);
    if (r->subsection)
        buf_printf(out, " %d mom", r->subsection);
}
