/* ical: the annual cycle as an iCalendar (RFC 5545) stream of all-day events. */
#include "ical.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/utf8.h"
#include "../0-base/xmem.h"
#include "../2-model/keys.h"
#include "../2-model/loc.h"

/* RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, excluding the CRLF;
 * a continuation line starts with one space, leaving 74 octets of content. */
#define ICAL_LINE_MAX 75

/* {====== Text ====== */

void ical_escape(const char *text, buf_t *out)
{
    if (!text)
        return;
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        unsigned char c = *s;
        if (c == '\\' || c == ';' || c == ',') {
            buf_putc(out, '\\');
            buf_putc(out, (char)c);
            s++;
        } else if (c == '\n') {
            buf_put(out, "\\n", 2);
            s++;
        } else if (c < 0x20 && c != '\t') {
            /* CR (of a CRLF) and the other controls are not allowed in TEXT. */
            s++;
        } else if (c == 0x7F) {
            s++;
        } else if (c < 0x80) {
            buf_putc(out, (char)c);
            s++;
        } else {
            /* The stream is UTF-8: a broken sequence becomes U+FFFD, which
             * also keeps ical_line's folding from ever meeting one. */
            size_t n = utf8_decode((const char *)s, strnlen((const char *)s, 4), NULL);
            if (n) {
                buf_put(out, (const char *)s, n);
                s += n;
            } else {
                buf_puts(out, "\xEF\xBF\xBD");
                s++;
            }
        }
    }
}

void ical_line(const char *line, buf_t *out)
{
    /* A content line never holds a line break of its own: drop any, so no
     * caller can start a new property by accident. */
    buf_t clean = BUF_INIT;
    for (const char *p = line ? line : ""; *p; p++)
        if (*p != '\r' && *p != '\n')
            buf_putc(&clean, *p);
    const unsigned char *s = (const unsigned char *)buf_cstr(&clean);
    size_t len = clean.len, pos = 0, room = ICAL_LINE_MAX;
    while (len - pos > room) {
        size_t cut = pos + room;
        /* Back off to the start of the character; a UTF-8 character has at
         * most three continuation bytes. (Four or more in a row is not UTF-8:
         * cut there anyway rather than loop.) */
        for (int k = 0; k < 3 && cut > pos + 1 && (s[cut] & 0xC0) == 0x80; k++)
            cut--;
        buf_put(out, (const char *)s + pos, cut - pos);
        buf_put(out, "\r\n ", 3);
        pos = cut;
        room = ICAL_LINE_MAX - 1;
    }
    buf_put(out, (const char *)s + pos, len - pos);
    buf_put(out, "\r\n", 2);
    buf_free(&clean);
}

/* Appends "NAME:" (or "NAME;LANGUAGE=lang:") plus text escaped as TEXT, as
 * one folded content line. */
static void text_prop_lang(buf_t *out, const char *name, const char *lang, const char *text)
{
    buf_t l = BUF_INIT;
    buf_puts(&l, name);
    if (lang) {
        /* A language tag is letters, digits and '-' (RFC 5646): nothing else reaches the line. */
        buf_puts(&l, ";LANGUAGE=");
        for (const char *c = lang; *c; c++)
            if (isalnum((unsigned char)*c) || *c == '-')
                buf_putc(&l, *c);
    }
    buf_putc(&l, ':');
    ical_escape(text, &l);
    ical_line(buf_cstr(&l), out);
    buf_free(&l);
}

static void text_prop(buf_t *out, const char *name, const char *text)
{
    text_prop_lang(out, name, NULL, text);
}

/* ======} */

/* {====== Dates ====== */

typedef struct {
    int y, m, d;
} ymd;

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int num_at(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" strictly: the first and the
 * (exclusive) last day of the span it names. Years end at 9998 so that the
 * day after still has four digits. */
static bool parse_span(const char *s, ymd *first, ymd *after)
{
    if (!s)
        return false;
    size_t len = strlen(s);
    if (len < 4 || !digits(s, 4))
        return false;
    int y = num_at(s, 4), m = 0, d = 0;
    if (len >= 7) {
        if (s[4] != '-' || !digits(s + 5, 2))
            return false;
        m = num_at(s + 5, 2);
    }
    if (len == 10) {
        if (s[7] != '-' || !digits(s + 8, 2))
            return false;
        d = num_at(s + 8, 2);
    } else if (len != 4 && len != 7)
        return false;
    if (y < 1 || y > 9998 || (len >= 7 && (m < 1 || m > 12)) ||
        (len == 10 && (d < 1 || d > days_in(y, m))))
        return false;
    if (len == 4) {
        *first = (ymd){y, 1, 1};
        *after = (ymd){y + 1, 1, 1};
    } else if (len == 7) {
        *first = (ymd){y, m, 1};
        *after = m == 12 ? (ymd){y + 1, 1, 1} : (ymd){y, m + 1, 1};
    } else {
        *first = (ymd){y, m, d};
        if (d < days_in(y, m))
            *after = (ymd){y, m, d + 1};
        else
            *after = m == 12 ? (ymd){y + 1, 1, 1} : (ymd){y, m + 1, 1};
    }
    return true;
}

static int ymd_cmp(ymd a, ymd b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    return a.d == b.d ? 0 : a.d < b.d ? -1 : 1;
}

static void date_prop(buf_t *out, const char *name, ymd t)
{
    char line[64];
    snprintf(line, sizeof line, "%s;VALUE=DATE:%04d%02d%02d", name, t.y, t.m, t.d);
    ical_line(line, out);
}

/* ======} */

/* {====== Events ====== */

/* What every VEVENT of one event map shares. */
typedef struct {
    const char *stamp;
    const char *domain;
    char *summary;     /* malloc'd */
    char *description; /* malloc'd, NULL when there is nothing to say */
    const char *summary_lang, *description_lang; /* LANGUAGE=, or NULL */
    char *url;         /* malloc'd, NULL when there is no page */
} ev_common;

/* A DTSTAMP must be a UTC date-time; anything else from the caller would
 * leave an invalid calendar, so it falls back to a fixed (deterministic) one. */
static const char *valid_stamp(const char *s)
{
    if (s && strlen(s) == 16 && digits(s, 8) && s[8] == 'T' && digits(s + 9, 6) && s[15] == 'Z')
        return s;
    return "19700101T000000Z";
}

/* Whether s starts with a URI scheme and its colon (RFC 3986 3.1). */
static bool has_scheme(const char *s)
{
    if (!isalpha((unsigned char)s[0]))
        return false;
    size_t i = 1;
    while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
        i++;
    return s[i] == ':';
}

/* base_url + url as a URI: bytes that may not appear in one (controls, space,
 * non-ASCII) are percent-encoded. NULL unless the result is absolute — a
 * calendar read outside the site has no page to be relative to. */
static char *page_url(const char *base_url, const char *url)
{
    if (!base_url || !url || !*url)
        return NULL;
    if (!has_scheme(base_url))
        return NULL;
    size_t bl = strlen(base_url);
    bool base_slash = bl && base_url[bl - 1] == '/';
    if (base_slash && url[0] == '/')
        url++;
    char *joined = xasprintf("%s%s%s", base_url, base_slash || url[0] == '/' ? "" : "/", url);
    buf_t b = BUF_INIT;
    for (const unsigned char *p = (const unsigned char *)joined; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7F || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            buf_printf(&b, "%%%02X", *p);
        else
            buf_putc(&b, (char)*p);
    }
    free(joined);
    return buf_detach(&b);
}

/* The event's description in language l (NULL: the default texts, Finnish
 * labels); *lang_of gets its LANGUAGE (see ical_calendar_lang). */
static char *describe(const val *ev, const ical_lang *l, const char **lang_of)
{
    buf_t b = BUF_INIT;
    const char *lang = l ? l->lang : NULL;
    bool fb_about = false, fb_forum = false, fb_who = false;
    const char *about = loc_field(ev, OK_KUVAUS, lang, &fb_about);
    const char *forum = loc_field(val_get(ev, OK_FOORUMI), OK_NIMI, lang, &fb_forum);
    const char *who = loc_field(val_get(ev, OK_VASTUU), OK_NIMI, lang, &fb_who);
    const char *forum_label = l && l->forum ? l->forum : "Foorumi";
    const char *who_label = l && l->owner ? l->owner : "Vastuu";
    bool fb = about && *about ? fb_about : (forum && *forum && fb_forum) || (who && *who && fb_who);
    *lang_of = l ? (fb ? l->fallback : l->lang) : NULL;
    if (about && *about) {
        /* YAML block scalars end in a newline: no empty line at the end. */
        size_t n = strlen(about);
        while (n && (about[n - 1] == '\n' || about[n - 1] == '\r'))
            n--;
        buf_put(&b, about, n);
    }
    if (forum && *forum)
        buf_printf(&b, "%s%s: %s", b.len ? "\n\n" : "", forum_label, forum);
    if (who && *who)
        buf_printf(&b, "%s%s: %s", b.len ? (forum && *forum ? "\n" : "\n\n") : "", who_label, who);
    if (!b.len) {
        buf_free(&b);
        return NULL;
    }
    return buf_detach(&b);
}

/* One VEVENT. month is 0 for a one-off event. */
static void vevent(buf_t *out, const ev_common *c, const char *id, int month, ymd start, ymd after)
{
    ical_line("BEGIN:VEVENT", out);
    buf_t uid = BUF_INIT;
    if (month)
        buf_printf(&uid, "%s-%d@%s", id, month, c->domain);
    else
        buf_printf(&uid, "%s@%s", id, c->domain);
    text_prop(out, "UID", buf_cstr(&uid));
    buf_free(&uid);
    char line[64];
    snprintf(line, sizeof line, "DTSTAMP:%s", c->stamp);
    ical_line(line, out);
    date_prop(out, "DTSTART", start);
    date_prop(out, "DTEND", after);
    if (month)
        ical_line("RRULE:FREQ=YEARLY", out);
    text_prop_lang(out, "SUMMARY", c->summary_lang, c->summary);
    if (c->description)
        text_prop_lang(out, "DESCRIPTION", c->description_lang, c->description);
    if (c->url) {
        buf_t l = BUF_INIT;
        buf_printf(&l, "URL:%s", c->url);
        ical_line(buf_cstr(&l), out);
        buf_free(&l);
    }
    ical_line("END:VEVENT", out);
}

/* The months 1–12 of a yearly event as a bit set (bit m); duplicates and
 * anything that is not a whole month number drop out. */
static unsigned month_set(const val *months)
{
    unsigned set = 0;
    for (size_t i = 0; i < val_len(months); i++) {
        const val *mo = val_at(months, i);
        const val *nro = val_kind_of(mo) == VAL_MAP ? val_get(mo, OK_NRO) : mo;
        if (val_kind_of(nro) != VAL_NUM)
            continue;
        double n = val_as_num(nro);
        if (n >= 1 && n <= 12 && n == (int)n)
            set |= 1u << (int)n;
    }
    return set;
}

/* The URL of the page at url (from the site root) for a calendar in language l. */
static char *page_url_in(const char *base_url, const char *url, const ical_lang *l)
{
    if (!l || !url || !*url)
        return page_url(base_url, url);
    char *own = xasprintf("%s/%s", l->lang, url[0] == '/' ? url + 1 : url);
    char *r = l->has_page && l->has_page(l->ud, own) ? page_url(base_url, own) : page_url(base_url, url);
    free(own);
    return r;
}

static void event(buf_t *out, const val *ev, size_t index, const char *base_url, const char *domain,
                  int first_year, const char *stamp, const ical_lang *l)
{
    const char *id = val_get_str(ev, OK_ID);
    char *fallback_id = NULL;
    if (!id || !*id)
        id = fallback_id = xasprintf("tapahtuma-%zu", index + 1);
    bool fb = false;
    const char *name = loc_field(ev, OK_NIMI, l ? l->lang : NULL, &fb);
    ev_common c = {
        .stamp = stamp,
        .domain = domain,
        .summary = xstrdup(name && *name ? name : id),
        .summary_lang = l ? (fb ? l->fallback : l->lang) : NULL,
        .url = page_url_in(base_url, val_get_str(val_get(ev, OK_FOORUMI), OK_URL), l),
    };
    c.description = describe(ev, l, &c.description_lang);
    const val *months = val_get(ev, OK_KUUKAUDET);
    if (months) {
        /* Years past 9998 would need five digits in DTEND. */
        unsigned set = first_year >= 1 && first_year <= 9998 ? month_set(months) : 0;
        for (int m = 1; m <= 12; m++) {
            if (!(set & (1u << m)))
                continue;
            ymd start = {.y = first_year, .m = m, .d = 1};
            ymd after = m == 12 ? (ymd){first_year + 1, 1, 1} : (ymd){first_year, m + 1, 1};
            vevent(out, &c, id, m, start, after);
        }
    } else {
        ymd start, after, end_first, end_after;
        if (parse_span(val_get_str(ev, OK_ALKU), &start, &after)) {
            /* A loppu before alku (the model reports it) is ignored, not
             * turned into an event that ends before it starts. */
            if (parse_span(val_get_str(ev, OK_LOPPU), &end_first, &end_after) &&
                ymd_cmp(end_after, after) > 0)
                after = end_after;
            vevent(out, &c, id, 0, start, after);
        }
    }
    free(c.summary);
    free(c.description);
    free(c.url);
    free(fallback_id);
}

/* ======} */

void ical_calendar(const val *events, const char *calname, const char *base_url, const char *domain,
                   int first_year, const char *stamp, buf_t *out)
{
    ical_calendar_lang(events, calname, base_url, domain, first_year, stamp, NULL, out);
}

void ical_calendar_lang(const val *events, const char *calname, const char *base_url, const char *domain,
                        int first_year, const char *stamp, const ical_lang *l, buf_t *out)
{
    ical_line("BEGIN:VCALENDAR", out);
    ical_line("VERSION:2.0", out);
    ical_line("PRODID:-//kasikirja//kasikirja//FI", out);
    ical_line("CALSCALE:GREGORIAN", out);
    ical_line("METHOD:PUBLISH", out);
    text_prop(out, "X-WR-CALNAME", calname && *calname ? calname : "kasikirja");
    stamp = valid_stamp(stamp);
    if (!domain || !*domain)
        domain = "kasikirja";
    for (size_t i = 0; i < val_len(events); i++)
        event(out, val_at(events, i), i, base_url, domain, first_year, stamp, l);
    ical_line("END:VCALENDAR", out);
}
