/* fuzz_ical: the iCalendar writer on fuzzed events and text.
 *
 * Three ways in, each checked against RFC 5545's line rules (every line ends
 * in CRLF, no CR or LF inside a line, at most 75 octets without the CRLF, a
 * folded line goes on with one space, and no fold splits a UTF-8 character):
 *  1. the input as YAML: a list of event maps (or a map with tapahtumat:, or
 *     one event map) as the model would pass them;
 *  2. the input as raw bytes cut at newlines into the fields ical.c reads
 *     (id, nimi, kuvaus, alku, loppu, foorumi.nimi, foorumi.url, vastuu.nimi,
 *     a month number, then calname, base_url, domain, first year, stamp), so
 *     text YAML could not carry (bare CR, controls, broken UTF-8) gets in;
 *  3. ical_escape and ical_line on the whole input. */
#include "fuzz.h"

#include <stdbool.h>

#include "../../generator/0-base/buf.h"
#include "../../generator/0-base/utf8.h"
#include "../../generator/0-base/value.h"
#include "../../generator/1-load/yaml_load.h"
#include "../../generator/4-render/ical.h"

/* Whether s[0..n) is well-formed UTF-8 (base/utf8.c). */
static bool utf8_ok(const unsigned char *s, size_t n) { return utf8_check((const char *)s, n) == n; }

/* The line rules on out; with utf8, every physical line must be whole UTF-8
 * characters (folds only between characters). Returns the number of lines. */
static size_t check_lines(const char *out, size_t len, bool utf8)
{
    size_t lines = 0;
    const char *p = out, *end = out + len;
    FUZZ_CHECK(len == 0 || (len >= 2 && end[-2] == '\r' && end[-1] == '\n'));
    while (p < end) {
        const char *crlf = NULL;
        for (const char *q = p; q + 1 < end; q++) {
            if (q[0] == '\r' && q[1] == '\n') {
                crlf = q;
                break;
            }
        }
        FUZZ_CHECK(crlf != NULL);
        size_t n = (size_t)(crlf - p);
        FUZZ_CHECK(n <= 75);
        FUZZ_CHECK(!memchr(p, '\r', n) && !memchr(p, '\n', n));
        if (utf8)
            FUZZ_CHECK(utf8_ok((const unsigned char *)p, n));
        lines++;
        p = crlf + 2;
    }
    return lines;
}

/* The calendar's frame and every VEVENT's required properties. */
static void check_calendar(const buf_t *out)
{
    FUZZ_CHECK(out->len > 0);
    check_lines(out->ptr, out->len, true);
    FUZZ_CHECK(!strncmp(out->ptr, "BEGIN:VCALENDAR\r\n", 17));
    FUZZ_CHECK(out->len >= 15 && !memcmp(out->ptr + out->len - 15, "END:VCALENDAR\r\n", 15));
    size_t begins = 0, ends = 0, uids = 0, starts = 0, summaries = 0;
    for (const char *p = out->ptr; (p = strstr(p, "\r\n")) != NULL; p += 2) {
        const char *l = p + 2;
        begins += !strncmp(l, "BEGIN:VEVENT\r\n", 14);
        ends += !strncmp(l, "END:VEVENT\r\n", 12);
        uids += !strncmp(l, "UID:", 4);
        starts += !strncmp(l, "DTSTART;VALUE=DATE:", 19);
        summaries += !strncmp(l, "SUMMARY:", 8);
    }
    FUZZ_CHECK(begins == ends && uids == begins && starts == begins && summaries == begins);
}

static void calendar(const val *events, const char *calname, const char *base_url,
                     const char *domain, int year, const char *stamp)
{
    buf_t out = BUF_INIT;
    ical_calendar(events, calname, base_url, domain, year, stamp, &out);
    check_calendar(&out);
    buf_free(&out);
}

/* Cuts the next line of [*p, end) as a fresh string, or NULL at the end. */
static char *next_field(const char **p, const char *end)
{
    if (*p >= end)
        return NULL;
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    const char *stop = nl ? nl : end;
    char *s = fuzz_cstr((const uint8_t *)*p, (size_t)(stop - *p));
    *p = nl ? nl + 1 : end;
    return s;
}

static void from_raw(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    enum { ID, NIMI, KUVAUS, ALKU, LOPPU, FOORUMI, URL, VASTUU, KK, CALNAME, BASE, DOMAIN, YEAR,
           STAMP, N_FIELDS };
    char *f[N_FIELDS];
    for (int i = 0; i < N_FIELDS; i++)
        f[i] = next_field(&p, end);
    src_pos at = {"raw", 1, 1};
    val *ev = val_map(at);
    static const char *const keys[] = {"id", "nimi", "kuvaus", "alku", "loppu"};
    for (int i = ID; i <= LOPPU; i++)
        if (f[i])
            val_set(ev, keys[i], val_str(f[i], at));
    if (f[FOORUMI] || f[URL]) {
        val *forum = val_map(at);
        if (f[FOORUMI])
            val_set(forum, "nimi", val_str(f[FOORUMI], at));
        if (f[URL])
            val_set(forum, "url", val_str(f[URL], at));
        val_set(ev, "foorumi", forum);
    }
    if (f[VASTUU]) {
        val *who = val_map(at);
        val_set(who, "nimi", val_str(f[VASTUU], at));
        val_set(ev, "vastuu", who);
    }
    val *events = val_list(at);
    /* The same event as a one-off (no kuukaudet) and, with a month, yearly. */
    val *yearly = val_copy(ev);
    val_push(events, ev);
    if (f[KK]) {
        val *months = val_list(at);
        val *m = val_map(at);
        val_set(m, "nro", val_num(strtod(f[KK], NULL), at));
        val_push(months, m);
        val_push(months, val_num((double)(unsigned char)f[KK][0] / 16.0, at));
        val_set(yearly, "kuukaudet", months);
        val_push(events, yearly);
    } else {
        val_free(yearly);
    }
    long y = f[YEAR] ? strtol(f[YEAR], NULL, 10) : 2025;
    int year = y < -100000 ? -100000 : y > 100000 ? 100000 : (int)y;
    calendar(events, f[CALNAME], f[BASE], f[DOMAIN], year, f[STAMP]);
    val_free(events);
    for (int i = 0; i < N_FIELDS; i++)
        free(f[i]);
}

static void from_yaml(const uint8_t *data, size_t size)
{
    diag_list *d = diag_list_new();
    char *src = fuzz_exact_copy(data, size);
    val *v = yaml_load(src, size, "content/data/vuosikello.yaml", 0, d);
    if (v) {
        const val *events = v;
        val *wrapped = NULL;
        if (val_kind_of(v) == VAL_MAP && val_get(v, "tapahtumat")) {
            events = val_get(v, "tapahtumat");
        } else if (val_kind_of(v) != VAL_LIST) {
            wrapped = val_list(val_pos(v));
            val_push(wrapped, val_ref(v));
            events = wrapped;
        }
        const char *calname = val_kind_of(v) == VAL_MAP ? val_get_str(v, "nimi") : NULL;
        calendar(events, calname, "https://example.fi/kasikirja/", "example.fi", 2025,
                 "20250101T000000Z");
        val_free(wrapped);
    }
    val_free(v);
    free(src);
    diag_list_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    from_yaml(data, size);
    from_raw(data, size);

    /* The text primitives on the whole input (cut at its first NUL). */
    char *text = fuzz_cstr(data, size);
    buf_t esc = BUF_INIT;
    ical_escape(text, &esc);
    buf_cstr(&esc);
    FUZZ_CHECK(!memchr(esc.ptr, '\r', esc.len) && !memchr(esc.ptr, '\n', esc.len));
    FUZZ_CHECK(utf8_ok((const unsigned char *)esc.ptr, esc.len));
    /* Every ; , and \ escaped: an unescaped one would split a value. */
    for (size_t i = 0; i < esc.len; i++) {
        if (esc.ptr[i] == '\\') {
            FUZZ_CHECK(i + 1 < esc.len && strchr("\\;,n", esc.ptr[i + 1]));
            i++;
        } else {
            FUZZ_CHECK(esc.ptr[i] != ';' && esc.ptr[i] != ',');
        }
    }
    buf_t line = BUF_INIT;
    ical_line(esc.ptr, &line);
    check_lines(line.ptr, line.len, true);
    buf_clear(&line);
    ical_line(text, &line);
    check_lines(line.ptr, line.len, utf8_ok((const unsigned char *)text, strlen(text)));
    buf_free(&line);
    buf_free(&esc);
    free(text);
    return 0;
}
