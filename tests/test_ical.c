/* Tests of the iCalendar renderer: RFC 5545 structure, line folding, escaping and dates. */
#include "../generator/4-render/ical.h"
#include "testutil.h"

#define NOPOS ((src_pos){NULL, 0, 0})
#define BASE_URL "https://kasikirja.example.fi/"
#define DOMAIN "kasikirja.example.fi"
#define STAMP "20250101T000000Z"

/* {====== A validator for whole calendars ====== */

/* The length of the well-formed UTF-8 character at s, 0 when there is none. */
static size_t utf8_char(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xF0 && s[0] <= 0xF4   ? 4
               : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
               : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
                                              : 0;
    if (n == 0)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

/* Removes every fold (CRLF followed by one space). */
static char *unfold(const char *s)
{
    buf_t b = BUF_INIT;
    for (; *s; s++) {
        if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ')
            s += 2;
        else
            buf_putc(&b, *s);
    }
    return buf_detach(&b);
}

/* The logical lines of a calendar (unfolded, split at CRLF); *n gets their number. */
static char **logical_lines(const char *cal, size_t *n)
{
    char *text = unfold(cal);
    char **lines = NULL;
    size_t count = 0;
    for (char *p = text; *p;) {
        char *end = strstr(p, "\r\n");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        lines = xrealloc(lines, (count + 1) * sizeof *lines);
        lines[count++] = xstrndup(p, len);
        p += len + (end ? 2 : 0);
    }
    free(text);
    *n = count;
    return lines;
}

static void free_lines(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

/* The property name of a logical line ("DTSTART" of "DTSTART;VALUE=DATE:…"), or
 * NULL when the line has none; *value gets what follows the first ':'. */
static char *prop_name(const char *line, const char **value)
{
    size_t n = 0;
    while ((line[n] >= 'A' && line[n] <= 'Z') || (line[n] >= '0' && line[n] <= '9') || line[n] == '-')
        n++;
    const char *colon = strchr(line, ':');
    if (n == 0 || (line[n] != ':' && line[n] != ';') || !colon)
        return NULL;
    *value = colon + 1;
    return xstrndup(line, n);
}

/* Whether v is a valid TEXT value: only \\ \; \, \n \N escapes, no bare ; or ,
 * and no control characters. */
static bool text_ok(const char *v)
{
    for (; *v; v++) {
        if (*v == '\\') {
            v++;
            if (!*v || !strchr("\\;,nN", *v))
                return false;
        } else if (*v == ';' || *v == ',' || ((unsigned char)*v < 0x20 && *v != '\t') || *v == 0x7F)
            return false;
    }
    return true;
}

static bool is_date_value(const char *v)
{
    if (strlen(v) != 8)
        return false;
    for (int i = 0; i < 8; i++)
        if (v[i] < '0' || v[i] > '9')
            return false;
    return true;
}

/* The property counts of one component. */
enum {
    /* in a VEVENT */
    P_UID, P_DTSTAMP, P_DTSTART, P_DTEND, P_SUMMARY, P_DESCRIPTION, P_URL, P_RRULE,
    /* in the VCALENDAR */
    P_VERSION, P_PRODID,
    P_N
};
static const char *const prop_names[P_N] = {
    "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "URL", "RRULE", "VERSION", "PRODID",
};

/* Checks a whole calendar against the rules ical promises: CRLF line ends,
 * physical lines of at most 75 octets folded with one space and never inside a
 * UTF-8 character, BEGIN/END nesting (one VCALENDAR of VEVENTs), the required
 * properties of each, date values, TEXT escaping and unique UIDs. Returns NULL
 * when all hold, otherwise what is wrong (caller frees). */
static char *ical_problem(const char *cal)
{
    size_t len = strlen(cal);
    if (len < 2 || cal[len - 2] != '\r' || cal[len - 1] != '\n')
        return xstrdup("the last line does not end in CRLF");
    for (size_t i = 0; i < len; i++) {
        if (cal[i] == '\n' && (i == 0 || cal[i - 1] != '\r'))
            return xasprintf("bare LF at octet %zu", i);
        if (cal[i] == '\r' && cal[i + 1] != '\n')
            return xasprintf("bare CR at octet %zu", i);
    }
    for (size_t i = 0, n; i < len; i += n)
        if ((n = utf8_char((const unsigned char *)cal + i)) == 0)
            return xasprintf("not UTF-8 at octet %zu (a fold inside a character?)", i);

    size_t phys = 0;
    for (const char *p = cal; *p; phys++) {
        const char *end = strstr(p, "\r\n");
        size_t n = (size_t)(end - p);
        if (n > 75)
            return xasprintf("physical line %zu has %zu octets", phys + 1, n);
        if (*p == ' ' || *p == '\t') {
            if (phys == 0)
                return xstrdup("the first line is a continuation");
            if (*p == '\t')
                return xasprintf("physical line %zu is folded with a tab", phys + 1);
            if (((unsigned char)p[1] & 0xC0) == 0x80)
                return xasprintf("the fold before physical line %zu splits a UTF-8 character",
                                 phys + 1);
        }
        p = end + 2;
    }

    size_t n_lines;
    char **lines = logical_lines(cal, &n_lines);
    char *problem = NULL;
    int depth = 0, counts[P_N] = {0};
    bool done = false;
    char start[9] = "", stop[9] = "";
    char **uids = NULL;
    size_t n_uids = 0;
    for (size_t i = 0; i < n_lines && !problem; i++) {
        const char *line = lines[i], *value = NULL;
        char *name = prop_name(line, &value);
        if (!name) {
            problem = xasprintf("logical line %zu '%s' is not NAME:value", i + 1, line);
            break;
        }
        if (done)
            problem = xasprintf("'%s' after END:VCALENDAR", line);
        else if (strcmp(name, "BEGIN") == 0) {
            if (depth == 0 && strcmp(line, "BEGIN:VCALENDAR") == 0)
                depth = 1;
            else if (depth == 1 && strcmp(line, "BEGIN:VEVENT") == 0) {
                depth = 2;
                memset(counts, 0, P_VERSION * sizeof counts[0]);
                start[0] = stop[0] = '\0';
            } else
                problem = xasprintf("'%s' at depth %d", line, depth);
        } else if (strcmp(name, "END") == 0) {
            if (depth == 2 && strcmp(line, "END:VEVENT") == 0) {
                for (int k = P_UID; k <= P_SUMMARY && !problem; k++)
                    if (counts[k] != 1)
                        problem = xasprintf("a VEVENT has %d %s", counts[k], prop_names[k]);
                for (int k = P_DESCRIPTION; k <= P_RRULE && !problem; k++)
                    if (counts[k] > 1)
                        problem = xasprintf("a VEVENT has %d %s", counts[k], prop_names[k]);
                if (!problem && strcmp(stop, start) <= 0)
                    problem = xasprintf("DTEND %s is not after DTSTART %s", stop, start);
                depth = 1;
            } else if (depth == 1 && strcmp(line, "END:VCALENDAR") == 0) {
                if (counts[P_VERSION] != 1 || counts[P_PRODID] != 1)
                    problem = xstrdup("the VCALENDAR needs one VERSION and one PRODID");
                depth = 0;
                done = true;
            } else
                problem = xasprintf("'%s' at depth %d", line, depth);
        } else if (depth == 0) {
            problem = xasprintf("'%s' outside VCALENDAR", line);
        } else {
            int k = 0;
            while (k < P_N && strcmp(prop_names[k], name) != 0)
                k++;
            if (k < P_N) {
                bool in_event = k < P_VERSION;
                if (in_event != (depth == 2))
                    problem = xasprintf("%s in the wrong component", name);
                else
                    counts[k]++;
            }
            if (problem) {
            } else if (k == P_VERSION && strcmp(line, "VERSION:2.0") != 0) {
                problem = xasprintf("'%s'", line);
            } else if (k == P_DTSTART || k == P_DTEND) {
                const char *prefix = k == P_DTSTART ? "DTSTART;VALUE=DATE:" : "DTEND;VALUE=DATE:";
                if (strncmp(line, prefix, strlen(prefix)) != 0 || !is_date_value(value))
                    problem = xasprintf("'%s' is not an all-day date", line);
                else
                    memcpy(k == P_DTSTART ? start : stop, value, 9);
            } else if (k == P_DTSTAMP) {
                if (strlen(value) != 16 || value[8] != 'T' || value[15] != 'Z')
                    problem = xasprintf("'%s' is not a UTC date-time", line);
            } else if (k == P_RRULE && strcmp(line, "RRULE:FREQ=YEARLY") != 0) {
                problem = xasprintf("'%s'", line);
            } else if (k == P_URL && strpbrk(value, " \t\"<>\\") != NULL) {
                problem = xasprintf("'%s' is not a URI", line);
            } else if (k == P_UID || k == P_SUMMARY || k == P_DESCRIPTION ||
                       strcmp(name, "X-WR-CALNAME") == 0) {
                if (!text_ok(value))
                    problem = xasprintf("'%s' is not escaped TEXT", line);
                else if (k == P_UID) {
                    for (size_t u = 0; u < n_uids && !problem; u++)
                        if (strcmp(uids[u], value) == 0)
                            problem = xasprintf("UID %s twice", value);
                    uids = xrealloc(uids, (n_uids + 1) * sizeof *uids);
                    uids[n_uids++] = xstrdup(value);
                }
            }
        }
        free(name);
    }
    if (!problem && !done)
        problem = xstrdup("no complete VCALENDAR");
    free_lines(uids, n_uids);
    free_lines(lines, n_lines);
    return problem;
}

#define ck_assert_ical_valid(cal)                                                                 \
    do {                                                                                          \
        char *problem_ = ical_problem(cal);                                                       \
        ck_assert_msg(problem_ == NULL, "invalid calendar: %s", problem_ ? problem_ : "");        \
    } while (0)

/* ======} */

/* {====== Building events and reading calendars ====== */

static val *once(const char *id, const char *nimi, const char *alku, const char *loppu)
{
    val *ev = val_map(NOPOS);
    val_set_str(ev, "id", id);
    val_set_str(ev, "nimi", nimi);
    val_set_str(ev, "alku", alku);
    if (loppu)
        val_set_str(ev, "loppu", loppu);
    return ev;
}

static val *yearly(const char *id, const char *nimi, const double *months, size_t n)
{
    val *ev = val_map(NOPOS);
    val_set_str(ev, "id", id);
    val_set_str(ev, "nimi", nimi);
    val *list = val_list(NOPOS);
    for (size_t i = 0; i < n; i++) {
        val *mo = val_map(NOPOS);
        val_set(mo, "nro", val_num(months[i], NOPOS));
        val_push(list, mo);
    }
    val_set(ev, "kuukaudet", list);
    return ev;
}

static void set_forum(val *ev, const char *nimi, const char *url)
{
    val *f = val_map(NOPOS);
    val_set_str(f, "nimi", nimi);
    if (url)
        val_set_str(f, "url", url);
    val_set(ev, "foorumi", f);
}

/* A list of the given events (NULL-terminated; takes ownership). */
static val *list_of(val *first, ...)
{
    val *list = val_list(NOPOS);
    va_list ap;
    va_start(ap, first);
    for (val *ev = first; ev; ev = va_arg(ap, val *))
        val_push(list, ev);
    va_end(ap);
    return list;
}

/* Renders a calendar (checked by the validator) with a base URL; frees events. */
static char *cal_at(val *events, const char *base_url)
{
    buf_t b = BUF_INIT;
    ical_calendar(events, "Vuosikello", base_url, DOMAIN, 2025, STAMP, &b);
    val_free(events);
    char *s = buf_detach(&b);
    ck_assert_ical_valid(s);
    return s;
}

static char *cal(val *events)
{
    return cal_at(events, BASE_URL);
}

static size_t count_line(const char *c, const char *line)
{
    size_t n, hits = 0;
    char **lines = logical_lines(c, &n);
    for (size_t i = 0; i < n; i++)
        hits += strcmp(lines[i], line) == 0;
    free_lines(lines, n);
    return hits;
}

/* The logical line of property name in the k-th VEVENT (caller frees), NULL when absent. */
static char *event_prop(const char *c, size_t k, const char *name)
{
    size_t n, event = 0;
    bool inside = false;
    char *found = NULL;
    char **lines = logical_lines(c, &n);
    for (size_t i = 0; i < n && !found; i++) {
        if (strcmp(lines[i], "BEGIN:VEVENT") == 0)
            inside = true;
        else if (strcmp(lines[i], "END:VEVENT") == 0)
            inside = false, event++;
        else if (inside && event == k && strncmp(lines[i], name, strlen(name)) == 0 &&
                 (lines[i][strlen(name)] == ':' || lines[i][strlen(name)] == ';'))
            found = xstrdup(lines[i]);
    }
    free_lines(lines, n);
    return found;
}

#define ck_assert_prop(c, k, name, expected)                                                      \
    do {                                                                                          \
        char *got_ = event_prop(c, k, name);                                                      \
        ck_assert_pstr_eq(got_, expected);                                                        \
        free(got_);                                                                               \
    } while (0)

/* One event's span: DTSTART and DTEND of a calendar of just it. */
static void check_span(val *ev, const char *dtstart, const char *dtend)
{
    char *c = cal(list_of(ev, NULL));
    ck_assert_uint_eq(count_line(c, "BEGIN:VEVENT"), 1);
    char *want_start = xasprintf("DTSTART;VALUE=DATE:%s", dtstart);
    char *want_end = xasprintf("DTEND;VALUE=DATE:%s", dtend);
    ck_assert_prop(c, 0, "DTSTART", want_start);
    ck_assert_prop(c, 0, "DTEND", want_end);
    ck_assert_prop(c, 0, "RRULE", NULL);
    free(want_start);
    free(want_end);
    free(c);
}

/* ======} */

START_TEST(test_ical_validator_accepts_a_good_calendar_and_rejects_broken_ones)
{
    const char *good = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//FI\r\n"
                       "BEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20250101T000000Z\r\n"
                       "DTSTART;VALUE=DATE:20250101\r\nDTEND;VALUE=DATE:20250102\r\n"
                       "SUMMARY:P\xC3\xA4iv\xC3\xA4\\, ilta\r\n  jatkuu\r\n"
                       "END:VEVENT\r\nEND:VCALENDAR\r\n";
    ck_assert_ical_valid(good);
    const char *long_line = "SUMMARY:"
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    const char *cases[][2] = {
        {"END:VCALENDAR\r\n", "END:VCALENDAR\n"},
        {"SUMMARY:P", "SUMMARY:\nP"},
        {"UID:a@b\r\n", "UID:a@b\r"},
        {"SUMMARY:P", long_line},
        {"\xC3\xA4iv", "\xC3\r\n \xA4iv"},
        {"  jatkuu", "\tjatkuu"},
        {"\\, ilta", ", ilta"},
        {"\\, ilta", "\\x ilta"},
        {"UID:a@b\r\n", ""},
        {"DTSTAMP:20250101T000000Z\r\n", ""},
        {"DTSTART;VALUE=DATE:20250101\r\n", ""},
        {"DTEND;VALUE=DATE:20250102\r\n", ""},
        {"DTEND;VALUE=DATE:20250102", "DTEND;VALUE=DATE:20250101"},
        {"DTSTART;VALUE=DATE:20250101", "DTSTART:20250101"},
        {"DTSTAMP:20250101T000000Z", "DTSTAMP:20250101"},
        {"VERSION:2.0\r\n", ""},
        {"END:VEVENT\r\n", ""},
        {"END:VEVENT\r\n", "END:VEVENT\r\nEND:VEVENT\r\n"},
        {"SUMMARY:P", "BEGIN:VEVENT\r\nSUMMARY:P"},
        {"END:VCALENDAR\r\n", "END:VCALENDAR\r\nX-A:b\r\n"},
        {"BEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20250101T000000Z\r\n"
         "DTSTART;VALUE=DATE:20250101\r\nDTEND;VALUE=DATE:20250102\r\n",
         "BEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20250101T000000Z\r\n"
         "DTSTART;VALUE=DATE:20250101\r\nDTEND;VALUE=DATE:20250102\r\nSUMMARY:s\r\nEND:VEVENT\r\n"
         "BEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20250101T000000Z\r\n"
         "DTSTART;VALUE=DATE:20250101\r\nDTEND;VALUE=DATE:20250102\r\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *at = strstr(good, cases[i][0]);
        ck_assert_ptr_nonnull(at);
        char *bad = xasprintf("%.*s%s%s", (int)(at - good), good, cases[i][1],
                              at + strlen(cases[i][0]));
        char *problem = ical_problem(bad);
        ck_assert_msg(problem != NULL, "case %zu was accepted", i);
        free(problem);
        free(bad);
    }
}
END_TEST

START_TEST(test_ical_empty_calendar_has_the_required_properties)
{
    buf_t b = BUF_INIT;
    ical_calendar(NULL, "Vuosikello, koko maakunta", BASE_URL, DOMAIN, 2025, STAMP, &b);
    ck_assert_str_eq(buf_cstr(&b), "BEGIN:VCALENDAR\r\n"
                                   "VERSION:2.0\r\n"
                                   "PRODID:-//kasikirja//kasikirja//FI\r\n"
                                   "CALSCALE:GREGORIAN\r\n"
                                   "METHOD:PUBLISH\r\n"
                                   "X-WR-CALNAME:Vuosikello\\, koko maakunta\r\n"
                                   "END:VCALENDAR\r\n");
    ck_assert_ical_valid(b.ptr);
    buf_free(&b);
}
END_TEST

START_TEST(test_ical_lines_end_in_crlf_and_never_in_a_bare_lf)
{
    val *ev = once("kokous", "Kokous", "2025-03-17", NULL);
    val_set_str(ev, "kuvaus", "Rivi yksi.\nRivi kaksi.\r\nRivi kolme.\n");
    char *c = cal(list_of(ev, NULL));
    size_t len = strlen(c), lf = 0;
    ck_assert(len > 2 && strcmp(c + len - 2, "\r\n") == 0);
    for (size_t i = 0; i < len; i++) {
        if (c[i] == '\n') {
            ck_assert_msg(i > 0 && c[i - 1] == '\r', "bare LF at %zu", i);
            lf++;
        }
        if (c[i] == '\r')
            ck_assert_msg(c[i + 1] == '\n', "bare CR at %zu", i);
    }
    ck_assert_uint_ge(lf, 14);
    ck_assert_prop(c, 0, "DESCRIPTION", "DESCRIPTION:Rivi yksi.\\nRivi kaksi.\\nRivi kolme.");
    free(c);
}
END_TEST

START_TEST(test_ical_long_lines_fold_at_75_octets_and_unfold_back)
{
    buf_t line = BUF_INIT, out = BUF_INIT;
    buf_puts(&line, "SUMMARY:");
    for (int i = 0; i < 200; i++)
        buf_putc(&line, (char)('a' + i % 26));
    ical_line(line.ptr, &out);
    /* 208 octets: 75 on the first line, then 74 + 59 after a space each. */
    ck_assert_uint_eq(out.len, 208 + 2 * 3 + 2);
    ck_assert(strncmp(out.ptr + 75, "\r\n ", 3) == 0);
    ck_assert(strncmp(out.ptr + 75 + 3 + 74, "\r\n ", 3) == 0);
    ck_assert_str_eq(out.ptr + out.len - 2, "\r\n");
    char *back = unfold(out.ptr);
    ck_assert_uint_eq(strlen(back), line.len + 2);
    ck_assert(strncmp(back, line.ptr, line.len) == 0);
    free(back);

    /* Exactly 75 octets stays on one line. */
    buf_clear(&out);
    ical_line(line.ptr + 133, &out);
    ck_assert_uint_eq(out.len, 77);
    ck_assert_ptr_null(strstr(out.ptr, "\r\n "));
    buf_free(&out);
    buf_free(&line);
}
END_TEST

START_TEST(test_ical_folding_never_splits_a_utf8_character)
{
    /* Two-, three- and four-octet characters; each padding shifts every fold
     * point, so each of them lands mid-character at some padding. */
    const char *text = "Yhteisty\xC3\xB6ryhm\xC3\xA4 k\xC3\xA4sittelee hyvinvointikertomuksen "
                       "\xC3\xA4\xC3\xA4\xC3\xB6\xC3\xB6 \xE2\x82\xAC\xE2\x82\xAC "
                       "\xF0\x9D\x84\x9E\xF0\x9D\x84\x9E ja p\xC3\xA4\xC3\xA4tt\xC3\xA4\xC3\xA4. ";
    size_t short_folds = 0;
    for (int pad = 0; pad < 4; pad++) {
        buf_t line = BUF_INIT, out = BUF_INIT;
        buf_puts(&line, "DESCRIPTION:");
        for (int i = 0; i < pad; i++)
            buf_putc(&line, 'x');
        for (int i = 0; i < 6; i++)
            buf_puts(&line, text);
        ical_line(line.ptr, &out);
        size_t folds = 0;
        for (const char *p = out.ptr; *p;) {
            const char *end = strstr(p, "\r\n");
            size_t n = (size_t)(end - p);
            ck_assert_uint_le(n, 75);
            if (end[2]) {
                /* Not the last line: the fold backs off at most 3 octets. */
                ck_assert_uint_ge(n, 72);
                short_folds += n < 75;
                ck_assert_int_eq(end[2], ' ');
                ck_assert_msg(((unsigned char)end[3] & 0xC0) != 0x80,
                              "pad %d: fold %zu splits a character", pad, folds + 1);
                folds++;
            }
            p = end + 2;
        }
        ck_assert_uint_ge(folds, 7);
        char *back = unfold(out.ptr);
        ck_assert_uint_eq(strlen(back), line.len + 2);
        ck_assert(strncmp(back, line.ptr, line.len) == 0);
        free(back);
        buf_free(&out);
        buf_free(&line);
    }
    /* Some fold really had to back off to a character boundary. */
    ck_assert_uint_gt(short_folds, 0);

    /* The same through a whole calendar. */
    val *ev = once("kertomus", "Hyvinvointikertomus", "2025-05", NULL);
    buf_t about = BUF_INIT;
    for (int i = 0; i < 5; i++)
        buf_puts(&about, text);
    val_set_str(ev, "kuvaus", about.ptr);
    char *c = cal(list_of(ev, NULL));
    char *want = xasprintf("DESCRIPTION:%s", about.ptr);
    ck_assert_prop(c, 0, "DESCRIPTION", want);
    free(want);
    free(c);
    buf_free(&about);
}
END_TEST

START_TEST(test_ical_line_drops_line_breaks_from_a_content_line)
{
    buf_t out = BUF_INIT;
    ical_line("SUMMARY:a\r\nEND:VEVENT\nb", &out);
    ck_assert_str_eq(out.ptr, "SUMMARY:aEND:VEVENTb\r\n");
    buf_free(&out);
}
END_TEST

START_TEST(test_ical_escape_quotes_backslash_semicolon_comma_and_newlines)
{
    const char *cases[][2] = {
        {"a\\b;c,d\ne", "a\\\\b\\;c\\,d\\ne"},
        {"rivi\r\nrivi\r", "rivi\\nrivi"},
        {"kello: \"9\"\tt\xC3\xA4n\xC3\xA4\xC3\xA4n", "kello: \"9\"\tt\xC3\xA4n\xC3\xA4\xC3\xA4n"},
        {"ohjaus\x01\x1b\x7fmerkit", "ohjausmerkit"},
        /* a cut-off sequence, a byte never in UTF-8, a surrogate */
        {"rikki \xC3 \xFF \xED\xA0\x80!",
         "rikki \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD!"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_t b = BUF_INIT;
        ical_escape(cases[i][0], &b);
        ck_assert_str_eq(buf_cstr(&b), cases[i][1]);
        buf_free(&b);
    }
}
END_TEST

START_TEST(test_ical_summary_and_description_are_escaped)
{
    val *ev = once("kokous", "Kokous; osa 1, alku \\ loppu", "2025-03-17", NULL);
    val_set_str(ev, "kuvaus", "Asialista:\n1. a, b; c\n");
    val *who = val_map(NOPOS);
    val_set_str(who, "nimi", "Siun sote");
    val_set(ev, "vastuu", who);
    set_forum(ev, "Hyte-neuvottelu, PK", "yhteistyorakenne/pk-2025/hyte/");
    char *c = cal(list_of(ev, NULL));
    ck_assert_prop(c, 0, "SUMMARY", "SUMMARY:Kokous\\; osa 1\\, alku \\\\ loppu");
    ck_assert_prop(c, 0, "DESCRIPTION",
                   "DESCRIPTION:Asialista:\\n1. a\\, b\\; c\\n\\nFoorumi: Hyte-neuvottelu\\, PK\\n"
                   "Vastuu: Siun sote");
    free(c);
}
END_TEST

START_TEST(test_ical_a_title_cannot_inject_a_new_component)
{
    val *ev = once("a\nBEGIN:VEVENT", "x\nEND:VEVENT\nBEGIN:VEVENT", "2025-03-17", NULL);
    val_set_str(ev, "kuvaus", "y\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:z");
    set_forum(ev, "f\nBEGIN:VEVENT", "x/\r\nBEGIN:VEVENT\r\n");
    val *events = list_of(ev, NULL);
    buf_t b = BUF_INIT;
    ical_calendar(events, "k\nBEGIN:VEVENT", BASE_URL, DOMAIN, 2025, STAMP, &b);
    val_free(events);
    ck_assert_ical_valid(b.ptr);
    ck_assert_uint_eq(count_line(b.ptr, "BEGIN:VEVENT"), 1);
    ck_assert_uint_eq(count_line(b.ptr, "END:VEVENT"), 1);
    /* Nor does any physical line start a component. */
    size_t begins = 0;
    for (const char *p = b.ptr; p; p = strstr(p, "\r\n"), p = p ? p + 2 : NULL)
        begins += strncmp(p, "BEGIN:", 6) == 0;
    ck_assert_uint_eq(begins, 2);
    ck_assert_prop(b.ptr, 0, "SUMMARY", "SUMMARY:x\\nEND:VEVENT\\nBEGIN:VEVENT");
    ck_assert_prop(b.ptr, 0, "URL", "URL:" BASE_URL "x/%0D%0ABEGIN:VEVENT%0D%0A");
    buf_free(&b);
}
END_TEST

START_TEST(test_ical_yearly_event_repeats_each_month_every_year)
{
    const double months[] = {12, 3, 10, 3, 13, 0, 2.5};
    char *c = cal(list_of(yearly("hyte", "Hyte-neuvottelu", months, 7),
                          once("kerta", "Kerran", "2025-06-01", NULL), NULL));
    ck_assert_uint_eq(count_line(c, "BEGIN:VEVENT"), 4);
    ck_assert_uint_eq(count_line(c, "RRULE:FREQ=YEARLY"), 3);
    const char *want[][3] = {
        {"UID:hyte-3@" DOMAIN, "DTSTART;VALUE=DATE:20250301", "DTEND;VALUE=DATE:20250401"},
        {"UID:hyte-10@" DOMAIN, "DTSTART;VALUE=DATE:20251001", "DTEND;VALUE=DATE:20251101"},
        {"UID:hyte-12@" DOMAIN, "DTSTART;VALUE=DATE:20251201", "DTEND;VALUE=DATE:20260101"},
    };
    for (size_t k = 0; k < 3; k++) {
        ck_assert_prop(c, k, "UID", want[k][0]);
        ck_assert_prop(c, k, "DTSTART", want[k][1]);
        ck_assert_prop(c, k, "DTEND", want[k][2]);
        ck_assert_prop(c, k, "RRULE", "RRULE:FREQ=YEARLY");
        ck_assert_prop(c, k, "SUMMARY", "SUMMARY:Hyte-neuvottelu");
    }
    ck_assert_prop(c, 3, "UID", "UID:kerta@" DOMAIN);
    ck_assert_prop(c, 3, "RRULE", NULL);
    free(c);
}
END_TEST

START_TEST(test_ical_one_off_range_ends_the_day_after_its_last_day)
{
    check_span(once("a", "A", "2025-03-17", "2025-03-31"), "20250317", "20250401");
    check_span(once("a", "A", "2025-03-17", NULL), "20250317", "20250318");
    check_span(once("a", "A", "2025-04-30", NULL), "20250430", "20250501");
    check_span(once("a", "A", "2025-12-31", NULL), "20251231", "20260101");
    check_span(once("a", "A", "2025-11-20", "2026-01"), "20251120", "20260201");
    /* A loppu before alku is ignored rather than making a negative span. */
    check_span(once("a", "A", "2025-03-17", "2025-03-01"), "20250317", "20250318");
}
END_TEST

START_TEST(test_ical_month_span_ends_on_the_first_of_the_next_month)
{
    check_span(once("a", "A", "2024-02", NULL), "20240201", "20240301");
    check_span(once("a", "A", "2025-12", NULL), "20251201", "20260101");
    check_span(once("a", "A", "2025-09", "2025-11"), "20250901", "20251201");
}
END_TEST

START_TEST(test_ical_leap_days_follow_the_gregorian_calendar)
{
    check_span(once("a", "A", "2024-02-29", NULL), "20240229", "20240301");
    check_span(once("a", "A", "2024-02-28", NULL), "20240228", "20240229");
    check_span(once("a", "A", "2023-02-28", NULL), "20230228", "20230301");
    check_span(once("a", "A", "2000-02-28", NULL), "20000228", "20000229");
    check_span(once("a", "A", "2100-02-28", NULL), "21000228", "21000301");
}
END_TEST

START_TEST(test_ical_year_span_ends_on_the_first_of_january)
{
    check_span(once("a", "A", "2025", NULL), "20250101", "20260101");
    check_span(once("a", "A", "2025", "2028"), "20250101", "20290101");
}
END_TEST

START_TEST(test_ical_skips_events_without_a_real_date)
{
    const double bad_months[] = {0, 13};
    char *c = cal(list_of(once("a", "A", "2023-02-29", NULL), once("b", "B", "2025-13", NULL),
                          once("c", "C", "huomenna", NULL), once("d", "D", "2025-3-1", NULL),
                          once("e", "E", "2025-03-17x", NULL), yearly("f", "F", bad_months, 2),
                          once("g", "G", "2025-03-17", NULL), NULL));
    ck_assert_uint_eq(count_line(c, "BEGIN:VEVENT"), 1);
    ck_assert_prop(c, 0, "UID", "UID:g@" DOMAIN);
    free(c);
}
END_TEST

START_TEST(test_ical_events_keep_the_given_order)
{
    char *c = cal(list_of(once("b", "Toinen", "2025-09-01", NULL),
                          once("a", "Ensimm\xC3\xA4inen", "2025-01-01", NULL), NULL));
    ck_assert_prop(c, 0, "SUMMARY", "SUMMARY:Toinen");
    ck_assert_prop(c, 1, "SUMMARY", "SUMMARY:Ensimm\xC3\xA4inen");
    free(c);
}
END_TEST

static val *sample_events(bool reversed)
{
    const double months[] = {1, 6};
    val *a = yearly("tilinpaatos", "Tilinp\xC3\xA4\xC3\xA4t\xC3\xB6s", months, 2);
    val *b = once("vaalit", "Vaalit", "2025-04-13", NULL);
    val *c = once("valtuustokausi", "Valtuustokausi", "2025-06", "2029-05");
    return reversed ? list_of(c, b, a, NULL) : list_of(a, b, c, NULL);
}

START_TEST(test_ical_uids_are_stable_and_distinct)
{
    char *first = cal(sample_events(false)), *second = cal(sample_events(false));
    ck_assert_str_eq(first, second);

    /* Distinct events (and months) get distinct UIDs. */
    const char *uids[] = {"UID:tilinpaatos-1@" DOMAIN, "UID:tilinpaatos-6@" DOMAIN,
                          "UID:vaalit@" DOMAIN, "UID:valtuustokausi@" DOMAIN};
    for (size_t k = 0; k < 4; k++)
        ck_assert_prop(first, k, "UID", uids[k]);

    /* A UID follows its event, not its place in the list. */
    char *reversed = cal(sample_events(true));
    ck_assert_prop(reversed, 0, "UID", uids[3]);
    ck_assert_prop(reversed, 1, "UID", uids[2]);
    ck_assert_prop(reversed, 2, "UID", uids[0]);
    free(reversed);
    free(first);
    free(second);
}
END_TEST

START_TEST(test_ical_url_is_the_base_url_plus_the_forum_page)
{
    val *with = once("a", "A", "2025-03-17", NULL);
    set_forum(with, "Hyte-neuvottelu", "yhteistyorakenne/pk-2025/hyte-neuvottelu/");
    val *without_url = once("b", "B", "2025-03-17", NULL);
    set_forum(without_url, "Ty\xC3\xB6ryhm\xC3\xA4", NULL);
    val *no_forum = once("c", "C", "2025-03-17", NULL);
    char *c = cal(list_of(with, without_url, no_forum, NULL));
    ck_assert_prop(c, 0, "URL", "URL:" BASE_URL "yhteistyorakenne/pk-2025/hyte-neuvottelu/");
    ck_assert_prop(c, 0, "DESCRIPTION", "DESCRIPTION:Foorumi: Hyte-neuvottelu");
    ck_assert_prop(c, 1, "URL", NULL);
    ck_assert_prop(c, 1, "DESCRIPTION", "DESCRIPTION:Foorumi: Ty\xC3\xB6ryhm\xC3\xA4");
    ck_assert_prop(c, 2, "URL", NULL);
    ck_assert_prop(c, 2, "DESCRIPTION", NULL);
    free(c);

    /* A base without the trailing slash still gives one slash. */
    with = once("a", "A", "2025-03-17", NULL);
    set_forum(with, "F", "yhteistyorakenne/f/");
    c = cal_at(list_of(with, NULL), "https://example.fi/kasikirja");
    ck_assert_prop(c, 0, "URL", "URL:https://example.fi/kasikirja/yhteistyorakenne/f/");
    free(c);

    /* A root-path base gives no absolute address, so no URL at all. */
    with = once("a", "A", "2025-03-17", NULL);
    set_forum(with, "F", "yhteistyorakenne/f/");
    c = cal_at(list_of(with, NULL), "/");
    ck_assert_prop(c, 0, "URL", NULL);
    free(c);
}
END_TEST

/* A Swedish calendar: the Swedish texts marked sv, a text without a Swedish
 * version in Finnish marked fi, the labels the caller gives; UIDs as in the
 * default calendar. */
START_TEST(test_ical_a_calendar_in_another_language_marks_each_text_with_its_language)
{
    val *sv = once("a", "Budjetti", "2025-03-17", NULL);
    val *names = val_map(NOPOS);
    val_set_str(names, "sv", "Budget");
    val_set(sv, "nimi_kielet", names);
    val_set_str(sv, "kuvaus", "Talousarvio.");
    set_forum(sv, "Neuvottelu", NULL);
    val *fi_only = once("b", "Raportti", "2025-04-01", NULL);
    ical_lang l = {.lang = "sv", .fallback = "fi", .forum = "Forum", .owner = "Ansvar"};
    buf_t b = BUF_INIT;
    val *events = list_of(sv, fi_only, NULL);
    ical_calendar_lang(events, "Handbok", BASE_URL, DOMAIN, 2025, STAMP, &l, &b);
    val_free(events);
    char *c = buf_detach(&b);
    ck_assert_ical_valid(c);
    ck_assert_int_eq(count_line(c, "SUMMARY;LANGUAGE=sv:Budget"), 1);
    ck_assert_int_eq(count_line(c, "SUMMARY;LANGUAGE=fi:Raportti"), 1);
    /* The description has no Swedish kuvaus: it is the Finnish one, marked fi, with Swedish labels. */
    ck_assert_int_eq(count_line(c, "DESCRIPTION;LANGUAGE=fi:Talousarvio.\\n\\nForum: Neuvottelu"), 1);
    ck_assert_int_eq(count_line(c, "UID:a@" DOMAIN), 1);
    ck_assert_ptr_null(strstr(c, "Foorumi"));
    free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ical");
    TCase *tc = tcase_create("ical");
    tcase_add_test(tc, test_ical_validator_accepts_a_good_calendar_and_rejects_broken_ones);
    tcase_add_test(tc, test_ical_empty_calendar_has_the_required_properties);
    tcase_add_test(tc, test_ical_lines_end_in_crlf_and_never_in_a_bare_lf);
    tcase_add_test(tc, test_ical_long_lines_fold_at_75_octets_and_unfold_back);
    tcase_add_test(tc, test_ical_folding_never_splits_a_utf8_character);
    tcase_add_test(tc, test_ical_line_drops_line_breaks_from_a_content_line);
    tcase_add_test(tc, test_ical_escape_quotes_backslash_semicolon_comma_and_newlines);
    tcase_add_test(tc, test_ical_summary_and_description_are_escaped);
    tcase_add_test(tc, test_ical_a_title_cannot_inject_a_new_component);
    tcase_add_test(tc, test_ical_yearly_event_repeats_each_month_every_year);
    tcase_add_test(tc, test_ical_one_off_range_ends_the_day_after_its_last_day);
    tcase_add_test(tc, test_ical_month_span_ends_on_the_first_of_the_next_month);
    tcase_add_test(tc, test_ical_leap_days_follow_the_gregorian_calendar);
    tcase_add_test(tc, test_ical_year_span_ends_on_the_first_of_january);
    tcase_add_test(tc, test_ical_skips_events_without_a_real_date);
    tcase_add_test(tc, test_ical_events_keep_the_given_order);
    tcase_add_test(tc, test_ical_uids_are_stable_and_distinct);
    tcase_add_test(tc, test_ical_url_is_the_base_url_plus_the_forum_page);
    tcase_add_test(tc, test_ical_a_calendar_in_another_language_marks_each_text_with_its_language);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
