/* wheel: the annual cycle as our own SVG wheel, the milestone timeline, and their text equivalents. */
#include "wheel.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/xmem.h"
#include "../2-model/keys.h"
#include "../2-model/loc.h"
#include "../2-model/syntax.h"
#include "../0-base/escape.h"
#include "textm.h"

/* {====== Shared helpers ====== */

#define PI 3.14159265358979323846
#define TEXT_COLOUR "#1f1f1f" /* 16.5:1 on white, > 12.9:1 on every ring tint */
#define FONT TEXTM_FAMILY ", sans-serif" /* the shipped font, which textm measures */

/* Month m's name (1–12) from the catalog. */
static const char *month_name(const i18n *tx, int m)
{
    char key[24];
    snprintf(key, sizeof key, "kuukaudet.k%d", m);
    return i18n_text(tx, key);
}

static void esc(buf_t *b, const char *s)
{
    if (s)
        esc_html_str(b, s);
}

/* Numbers as "%.1f" would print them in the C locale, but by hand: printf's
 * decimal point follows LC_NUMERIC, and a Finnish locale would give "12,5". */
static void num(buf_t *b, double x)
{
    long t = lround(x * 10.0);
    if (t < 0) {
        buf_putc(b, '-');
        t = -t;
    }
    buf_printf(b, "%ld.%ld", t / 10, t % 10);
}

/* A date of the data ("2025", "2025-03", "2025-03-17"); m and d are 0 when absent. */
typedef struct {
    int y, m, d;
} ymd;

static bool parse_ymd(const val *v, ymd *out)
{
    *out = (ymd){0, 0, 0};
    if (val_kind_of(v) == VAL_NUM) {
        out->y = (int)val_as_num(v);
        return out->y > 0;
    }
    const char *s = val_as_str(v);
    if (!s)
        return false;
    int n = sscanf(s, "%d-%d-%d", &out->y, &out->m, &out->d);
    if (n < 1 || out->y <= 0)
        return false;
    if (n < 2 || out->m < 1 || out->m > 12)
        out->m = 0;
    if (n < 3 || out->m == 0 || out->d < 1 || out->d > 31)
        out->d = 0;
    return true;
}


/* The accessible head every embeddable SVG here shares. A picture with
 * links is a group (role="img" would hide the links from assistive
 * technology and nest interactive controls in an image, WCAG 4.1.2);
 * one without links is an image. */
static void svg_open(buf_t *b, const char *id, double w, double h, const char *title, bool links)
{
    buf_puts(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    num(b, w);
    buf_putc(b, ' ');
    num(b, h);
    buf_printf(b, "\" role=\"%s\" aria-labelledby=\"", links ? "group" : "img");
    esc(b, id);
    buf_puts(b, "-title ");
    esc(b, id);
    buf_printf(b, "-desc\" font-family=\"%s\">\n<title id=\"", FONT);
    esc(b, id);
    buf_puts(b, "-title\">");
    esc(b, title);
    buf_puts(b, "</title>\n<desc id=\"");
    esc(b, id);
    buf_puts(b, "-desc\">");
}

/* }====== */

/* {====== Categories ====== */

/* One ring per category, outermost first. fill is the event arcs and has white
 * label text on it; tint is the ring's track, edged in fill with the ring's own
 * dash so that rings differ by more than colour. WCAG contrast ratios:
 *
 *   category               fill     fill:white  tint     fill:tint  text:tint
 *   Poliittinen taso       #8e2043  8.61        #efe0e5  6.75       12.92
 *   Strateginen taso       #1f5f99  6.66        #e0e9f1  5.42       13.42
 *   Johdon taso            #6a3d9a  7.64        #eae4f1  6.14       13.24
 *   Operatiivinen taso     #2e6b30  6.44        #e2eae2  5.24       13.42
 *   Asiantuntijaverkostot  #a0471b  6.16        #f2e5df  5.00       13.38
 *   Kumppanuus             #00707a  5.84        #dbebec  4.75       13.43
 *   Muut                   #5c5c5c  6.69        #e8e8e8  5.46       13.45
 *
 * fill:white ≥ 4.5 covers both the graphics (3:1) and the white labels (4.5:1);
 * text:tint is TEXT_COLOUR on the track, where the ring names are written.
 * tests/test_wheel.c recomputes these from the rendered SVG. */
typedef struct {
    const char *name; /* taso_nimi */
    const char *key;  /* taso */
    const char *fill;
    const char *tint;
    const char *dash; /* stroke-dasharray of the ring's edges; NULL: solid */
} category;

static const category categories[] = {
    {"Poliittinen taso", "poliittinen", "#8e2043", "#efe0e5", NULL},
    {"Strateginen taso", "strateginen", "#1f5f99", "#e0e9f1", "9 4"},
    {"Johdon taso", "johto", "#6a3d9a", "#eae4f1", "2 3"},
    {"Operatiivinen taso", "operatiivinen", "#2e6b30", "#e2eae2", "10 3 2 3"},
    {"Asiantuntijaverkostot", "asiantuntijaverkosto", "#a0471b", "#f2e5df", "5 5"},
    {"Kumppanuus", "kumppanuus", "#00707a", "#dbebec", "14 3 2 3 2 3"},
    {"Muut", NULL, "#5c5c5c", "#e8e8e8", "1 4"},
};

enum { CAT_COUNT = sizeof categories / sizeof categories[0], CAT_OTHER = CAT_COUNT - 1 };

/* The ring of an event: its forum's level (by taso_nimi, else taso); events
 * without a forum, and levels this module does not know, are "Muut". */
static int category_of(const val *ev)
{
    const val *f = val_get(ev, OK_FOORUMI);
    if (!f)
        return CAT_OTHER;
    const char *key = val_get_str(f, OK_TASO);
    for (int c = 0; c < CAT_OTHER; c++)
        if (key && strcmp(key, categories[c].key) == 0)
            return c;
    return CAT_OTHER;
}

/* }====== */

/* {====== Events ====== */

typedef struct {
    const val *v;
    const char *name;
    const char *url; /* from the site root, or NULL */
    int cat;
    unsigned months; /* bit m set for month m (1–12); 0: no month */
    bool yearly;
    int lane;        /* within its ring */
    const i18n *tx;  /* the interface texts */
    const char *mark; /* the default language's code when name fell back to its text, else NULL */
} event;

typedef struct {
    event *items;
    size_t len;
    size_t n_nomonth;
    const i18n *tx;
} event_list;

/* Category c's name: the catalog's taso.<key> ("Strateginen taso"), taso.muut for the rest. */
static const char *cat_name(const i18n *tx, int c)
{
    char key[64];
    snprintf(key, sizeof key, "taso.%s", categories[c].key ? categories[c].key : "muut");
    return i18n_text(tx, key);
}

/* dflt: the default language's code when tx is another language's (names
 * that fall back to the default's are marked), else NULL. */
static void events_collect(const val *data, const i18n *tx, const char *dflt, event_list *out)
{
    const val *evs = val_get(data, OK_TAPAHTUMAT);
    size_t n = val_len(evs);
    out->items = xcalloc(n ? n : 1, sizeof(event));
    out->len = n;
    out->n_nomonth = 0;
    out->tx = tx;
    for (size_t i = 0; i < n; i++) {
        event *e = &out->items[i];
        e->tx = tx;
        e->v = val_at(evs, i);
        /* In tx's language: another language's text is in nimi_kielet (loc.h), never the default's. */
        bool fb = false;
        e->name = loc_field(e->v, OK_NIMI, i18n_lang(tx), &fb);
        e->mark = dflt && fb ? dflt : NULL;
        if (!e->name)
            e->name = val_get_str(e->v, OK_ID) ? val_get_str(e->v, OK_ID) : "";
        e->cat = category_of(e->v);
        const val *link = val_get(e->v, OK_FOORUMI);
        e->url = val_get_str(link, OK_URL);
        if (!e->url || !*e->url)
            e->url = val_get_str(val_get(e->v, OK_ASIAKIRJA), OK_URL);
        if (e->url && !*e->url)
            e->url = NULL;
        const val *ms = val_get(e->v, OK_KUUKAUDET);
        e->yearly = val_len(ms) > 0;
        for (size_t k = 0; k < val_len(ms); k++) {
            const val *mo = val_at(ms, k);
            double nro = val_kind_of(mo) == VAL_MAP ? val_as_num(val_get(mo, OK_NRO)) : val_as_num(mo);
            if (nro >= 1 && nro <= 12)
                e->months |= 1u << (int)nro;
        }
        ymd start;
        if (!e->yearly && parse_ymd(val_get(e->v, OK_ALKU), &start) && start.m)
            e->months = 1u << start.m;
        if (!e->months)
            out->n_nomonth++;
    }
}

#define ALL_MONTHS 0x1FFEu

static bool has_month(unsigned months, int m)
{
    return months & (1u << (((m - 1 + 12) % 12) + 1));
}

/* The runs of consecutive months, wrapping from joulukuu to tammikuu:
 * starts[i] and lens[i]; returns their number (at most 6). */
static int month_runs(unsigned months, int *starts, int *lens)
{
    if ((months & ALL_MONTHS) == ALL_MONTHS) {
        starts[0] = 1, lens[0] = 12;
        return 1;
    }
    int n = 0;
    for (int m = 1; m <= 12; m++) {
        if (!has_month(months, m) || has_month(months, m - 1))
            continue;
        int len = 1;
        while (has_month(months, m + len))
            len++;
        starts[n] = m, lens[n] = len;
        n++;
    }
    return n;
}

/* The date under key of v in tx's language ("mars 2025"): the model wrote
 * text_key's words in the default language's, so its ISO date is described
 * again; a date it could not read stays as the model has it. Caller frees. */
static char *date_in(const i18n *tx, const val *v, const char *key, const char *text_key)
{
    syn_date dt;
    const char *iso = val_get_str(v, key), *text = val_get_str(v, text_key);
    if (!iso || !syn_date_parse(iso, &dt))
        return text ? xstrdup(text) : iso ? xstrdup(iso) : NULL;
    buf_t b = BUF_INIT;
    syn_date_describe(tx, &dt, &b);
    return buf_detach(&b);
}

/* "Nimi (Strateginen taso; syyskuu, lokakuu)" or "… (Muut; 17.3.2025–31.3.2025)". */
static void event_when(const event *e, buf_t *b)
{
    if (e->yearly) {
        const val *ms = val_get(e->v, OK_KUUKAUDET);
        for (size_t k = 0; k < val_len(ms); k++) {
            const val *mo = val_at(ms, k);
            int nro = (int)(val_kind_of(mo) == VAL_MAP ? val_as_num(val_get(mo, OK_NRO)) : val_as_num(mo));
            /* The month in tx's language (the model named it in the default's). */
            const char *n = nro >= 1 && nro <= 12 ? month_name(e->tx, nro) : val_get_str(mo, OK_NIMI);
            buf_printf(b, "%s", k ? ", " : "");
            esc(b, n);
        }
        return;
    }
    char *a = date_in(e->tx, e->v, OK_ALKU, OK_ALKU_TEKSTI), *l = date_in(e->tx, e->v, OK_LOPPU, OK_LOPPU_TEKSTI);
    esc(b, a);
    if (l && (!a || strcmp(a, l) != 0)) {
        buf_puts(b, "–");
        esc(b, l);
    }
    free(a);
    free(l);
}

static void put_href(buf_t *b, const char *root, const char *url)
{
    buf_puts(b, "href=\"");
    esc(b, root);
    esc(b, url);
    buf_putc(b, '"');
}

/* }====== */

/* {====== The wheel ====== */

/* Geometry of the 840-wide view: the wheel, then the legend below it. */
#define W_VIEW 840.0
#define CX 420.0
#define CY 370.0
#define R_OUT 326.0    /* outer edge of the outermost ring */
#define R_HOLE 56.0    /* the innermost ring ends no nearer the centre than this */
#define R_MONTH 342.0  /* month names */
#define STRIP 16.0     /* the band at each ring's outer edge carrying its name */
#define RING_GAP 4.0
#define LANE_MAX 42.0
#define LEGEND_TOP 748.0
#define LEGEND_ROW 32.0

static void pt(buf_t *b, double r, double deg)
{
    double a = deg * PI / 180.0;
    num(b, CX + r * sin(a));
    buf_putc(b, ',');
    num(b, CY - r * cos(a));
}

/* An SVG arc command along the circle of radius r to angle a (large and sweep as SVG's flags). */
static void arc_to(buf_t *b, double r, int large, int sweep, double a)
{
    buf_puts(b, "A");
    num(b, r);
    buf_putc(b, ' ');
    num(b, r);
    buf_printf(b, " 0 %d %d ", large, sweep);
    pt(b, r, a);
}

/* An annular sector between radii r0 < r1 from angle a0 to a1 (degrees
 * clockwise from twelve o'clock). */
static void sector(buf_t *b, double r0, double r1, double a0, double a1)
{
    int large = a1 - a0 > 180.0;
    buf_puts(b, "M");
    pt(b, r1, a0);
    arc_to(b, r1, large, 1, a1);
    buf_puts(b, "L");
    pt(b, r0, a1);
    arc_to(b, r0, large, 0, a0);
    buf_puts(b, "Z");
}

/* A circular arc at radius r, clockwise from a0 to a1 or, when reversed,
 * counter-clockwise from a1 to a0 (so that text on it reads upright below the centre). */
static void arc_path(buf_t *b, double r, double a0, double a1, bool reversed)
{
    int large = a1 - a0 > 180.0;
    buf_puts(b, "M");
    pt(b, r, reversed ? a1 : a0);
    buf_puts(b, "A");
    num(b, r);
    buf_putc(b, ' ');
    num(b, r);
    buf_printf(b, " 0 %d %d ", large, reversed ? 0 : 1);
    pt(b, r, reversed ? a0 : a1);
}

/* Text placed at radius r, angle deg, outside a circle: anchored away from
 * it, with the baseline moved so that the text never sits on the circle. */
static void text_at(buf_t *b, double r, double deg, double size, const char *attrs)
{
    double a = deg * PI / 180.0, s = sin(a), c = cos(a);
    const char *anchor = s > 0.25 ? "start" : s < -0.25 ? "end" : "middle";
    buf_puts(b, "<text x=\"");
    num(b, CX + r * s);
    buf_puts(b, "\" y=\"");
    num(b, CY - r * c + size * (0.375 - 0.375 * c));
    buf_printf(b, "\" text-anchor=\"%s\" font-size=\"", anchor);
    num(b, size);
    buf_printf(b, "\"%s>", attrs);
}

typedef struct {
    bool present;
    int lanes;
    double r_out, r_in; /* the ring's edges */
} ring;

static void put_id(buf_t *b, const char *id, const char *suffix, int n)
{
    esc(b, id);
    buf_printf(b, "-%s-%d", suffix, n);
}

/* {====== Labels on arcs ====== */

/* No text on the wheel is smaller than this at its natural size (840 wide). */
#define LABEL_FS 12.0
#define LABEL_LH (LABEL_FS * 1.15)
#define LABEL_PAD 8.0 /* kept clear at each end of an arc */

/* The width of the first n bytes of s. */
static double prefix_width(const textm *tm, const char *s, size_t n)
{
    char *t = xstrndup(s, n);
    double w = textm_width(tm, t, LABEL_FS, false);
    free(t);
    return w;
}

/* Whether name fits whole in room px: on one line (*cut = its length), or,
 * when two, broken after a space (dropped) or a hyphen (kept) into two lines
 * that each fit, the break that leaves the longer line shortest (*cut = the
 * first line's length, *second = where the second starts). */
static bool label_fits(const textm *tm, const char *name, double room1, double room2, bool two, size_t *cut,
                       const char **second)
{
    *cut = strlen(name);
    *second = NULL;
    if (textm_width(tm, name, LABEL_FS, false) <= room1)
        return true;
    if (!two)
        return false;
    double best = 0;
    for (size_t i = 1; name[i]; i++) {
        bool space = name[i] == ' ', hyphen = name[i] == '-' && name[i - 1] != ' ' && name[i + 1] != ' ';
        if (!space && !hyphen)
            continue;
        size_t first = space ? i : i + 1;
        const char *rest = name + i + 1;
        if (!*rest)
            continue;
        double w1 = prefix_width(tm, name, first), w2 = textm_width(tm, rest, LABEL_FS, false);
        double longer = w1 > w2 ? w1 : w2;
        if (w1 <= room2 && w2 <= room2 && (!*second || longer < best)) {
            best = longer;
            *cut = first;
            *second = rest;
        }
    }
    return *second != NULL;
}

/* One line of text along the arc at radius centre, centred on it. */
static void arc_text(buf_t *b, const char *id, const char *suffix, int idx, double centre, double a0, double a1,
                     bool below, const char *text, size_t len, bool key)
{
    double sign = below ? -1.0 : 1.0;
    buf_puts(b, "<defs><path id=\"");
    put_id(b, id, suffix, idx);
    buf_puts(b, "\" d=\"");
    /* Glyphs stand on the side of the path away from the centre above it
     * and towards it below, hence the baseline shift. */
    arc_path(b, centre - sign * LABEL_FS * 0.35, a0, a1, below);
    buf_printf(b, "\"/></defs><text class=\"%s\" font-size=\"", key ? "vk-avain" : "vk-nimi");
    num(b, LABEL_FS);
    buf_printf(b, "\"%s fill=\"#ffffff\" text-anchor=\"middle\"><textPath href=\"#", key ? " font-weight=\"700\"" : "");
    put_id(b, id, suffix, idx);
    buf_puts(b, "\" startOffset=\"50%\">");
    esc_html(b, text, len);
    buf_puts(b, "</textPath></text>\n");
}

/* An event's name on its arc between radii r0 < r1 and angles a0 < a1,
 * measured in the shipped font: written whole on one line or, in a lane
 * wide enough, two; a name that fits neither way is never cut: the arc gets
 * the key number instead and the name is listed in full under that number.
 * Returns whether the key was used. */
static bool draw_label(buf_t *b, const textm *tm, const char *name, int key, int idx, const char *id,
                       double r0, double r1, double a0, double a1)
{
    double w = r1 - r0, rm = (r0 + r1) / 2.0, mid = (a0 + a1) / 2.0, rad = (a1 - a0) * PI / 180.0;
    bool two = w >= 2.0 * LABEL_LH + 2.0, below = mid > 90.0 && mid < 270.0;
    /* Measured on the inner line, the shorter one. */
    double room1 = rm * rad - 2.0 * LABEL_PAD, room2 = (rm - LABEL_LH / 2.0) * rad - 2.0 * LABEL_PAD;
    size_t cut;
    const char *second;
    if (w >= LABEL_FS + 2.0 && label_fits(tm, name, room1, room2, two, &cut, &second)) {
        if (!second) {
            arc_text(b, id, "ev", idx, rm, a0, a1, below, name, cut, false);
        } else {
            double sign = below ? -1.0 : 1.0;
            /* The first line outermost above the centre, innermost below it. */
            arc_text(b, id, "ev", idx, rm + sign * LABEL_LH / 2.0, a0, a1, below, name, cut, false);
            arc_text(b, id, "ev2", idx, rm - sign * LABEL_LH / 2.0, a0, a1, below, second, strlen(second), false);
        }
        return false;
    }
    char nr[16];
    int n = snprintf(nr, sizeof nr, "%d", key);
    arc_text(b, id, "ev", idx, rm, a0, a1, below, nr, (size_t)n, true);
    return true;
}

/* }====== */

/* The wheel's numbered list: the events whose names did not fit on their arcs. */
typedef struct {
    const textm *tm;
    int next; /* the next key number */
    buf_t *list;
} key_list;

static void key_item(key_list *k, const event *e, const char *root)
{
    if (k->next == 1)
        buf_puts(k->list, "<ol class=\"vk-avaimet\">\n");
    buf_printf(k->list, "<li value=\"%d\">", k->next);
    if (e->url) {
        buf_puts(k->list, "<a ");
        put_href(k->list, root, e->url);
        buf_putc(k->list, '>');
    }
    esc(k->list, e->name);
    buf_puts(k->list, e->url ? "</a> (" : " (");
    esc(k->list, cat_name(e->tx, e->cat));
    buf_puts(k->list, "; ");
    event_when(e, k->list);
    buf_puts(k->list, ")</li>\n");
    k->next++;
}

static void draw_event(buf_t *b, const event *e, int idx, const ring *rg, double lane_w,
                       const char *id, const char *root, key_list *keys)
{
    const category *c = &categories[e->cat];
    /* Lane 0 right under the ring's name band. */
    double r1 = rg->r_out - STRIP - e->lane * lane_w - 1.5, r0 = r1 - lane_w + 3.0;
    if (e->url) {
        buf_puts(b, "<a ");
        put_href(b, root, e->url);
        buf_puts(b, " class=\"vk-tapahtuma\">");
    } else {
        buf_puts(b, "<g class=\"vk-tapahtuma\">");
    }
    buf_puts(b, "<title>");
    esc(b, e->name);
    buf_puts(b, " (");
    esc(b, cat_name(e->tx, e->cat));
    buf_puts(b, "; ");
    event_when(e, b);
    buf_puts(b, ")</title>\n");

    int starts[6], lens[6];
    int n = month_runs(e->months, starts, lens), best = 0;
    for (int k = 0; k < n; k++) {
        double a0 = (starts[k] - 1) * 30.0 + 0.8, a1 = (starts[k] - 1 + lens[k]) * 30.0 - 0.8;
        buf_puts(b, "<path class=\"vk-kaari\" d=\"");
        sector(b, r0, r1, a0, a1);
        buf_printf(b, "\" fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1\"/>\n", c->fill);
        if (lens[k] > lens[best])
            best = k;
    }

    if (n > 0) {
        double a0 = (starts[best] - 1) * 30.0 + 0.8, a1 = (starts[best] - 1 + lens[best]) * 30.0 - 0.8;
        if (draw_label(b, keys->tm, e->name, keys->next, idx, id, r0, r1, a0, a1))
            key_item(keys, e, root);
    }
    buf_puts(b, e->url ? "</a>\n" : "</g>\n");
}

/* The wheel's geometry: rings outward in category order, lanes of equal width. */
typedef struct {
    ring rings[CAT_COUNT];
    int n_rings, n_lanes;
    double lane_w, hole;
    size_t on_wheel; /* events with months */
} wheel_layout;

/* Lanes: in each ring, every event takes the first lane where its months are free. */
static void assign_lanes(event_list *elp, wheel_layout *w)
{
    event_list el = *elp;
    ring *rings = w->rings;
    unsigned *used = xcalloc(el.len ? el.len : 1, sizeof(unsigned) * CAT_COUNT);
    for (size_t i = 0; i < el.len; i++) {
        event *e = &el.items[i];
        if (!e->months)
            continue;
        w->on_wheel++;
        unsigned *lanes = used + (size_t)e->cat * (el.len ? el.len : 1);
        int l = 0;
        while (lanes[l] & e->months)
            l++;
        lanes[l] |= e->months;
        e->lane = l;
        rings[e->cat].present = true;
        if (l + 1 > rings[e->cat].lanes)
            rings[e->cat].lanes = l + 1;
    }
    free(used);
}

/* Ring radii: the first category innermost, "Muut" (usually the fullest) at
 * the rim, where a month's arc is longest. */
static void size_rings(wheel_layout *w)
{
    ring *rings = w->rings;
    int n_rings = 0, n_lanes = 0;
    for (int c = 0; c < CAT_COUNT; c++)
        if (rings[c].present)
            n_rings++, n_lanes += rings[c].lanes;
    double lane_w = 0;
    if (n_lanes) {
        lane_w = (R_OUT - R_HOLE - n_rings * (STRIP + RING_GAP)) / n_lanes;
        if (lane_w > LANE_MAX)
            lane_w = LANE_MAX;
    }
    double hole = n_rings ? R_OUT - n_rings * (STRIP + RING_GAP) + RING_GAP - n_lanes * lane_w : R_HOLE;
    double r = hole;
    for (int c = 0; c < CAT_COUNT; c++) {
        if (!rings[c].present)
            continue;
        rings[c].r_in = r;
        rings[c].r_out = r + STRIP + rings[c].lanes * lane_w;
        r = rings[c].r_out + RING_GAP;
    }
    w->n_rings = n_rings;
    w->n_lanes = n_lanes;
    w->lane_w = lane_w;
    w->hole = hole;
}

/* One sentence: what is on the wheel, and what is only in the table; then the background. */
static void wheel_desc(buf_t *svg, const wheel_layout *w, const event_list *elp, double height)
{
    const ring *rings = w->rings;
    int n_rings = w->n_rings;
    size_t on_wheel = w->on_wheel;
    event_list el = *elp;
    char rings_n[16];
    snprintf(rings_n, sizeof rings_n, "%d", n_rings);
    i18n_put_n(el.tx, svg, "vuosikello.kuvaus", (long)on_wheel, "kehat", rings_n, NULL);
    if (n_rings) {
        buf_puts(svg, " (");
        int k = 0;
        for (int c = 0; c < CAT_COUNT; c++) {
            if (!rings[c].present)
                continue;
            if (k == n_rings - 1 && k)
                buf_printf(svg, " %s ", i18n_text(el.tx, "yleiset.ja"));
            else
                buf_puts(svg, k == 0 ? "" : ", ");
            esc(svg, cat_name(el.tx, c));
            k++;
        }
        buf_puts(svg, ")");
    }
    buf_printf(svg, ", %s", i18n_text(el.tx, "vuosikello.suunta"));
    if (el.n_nomonth) {
        buf_puts(svg, "; ");
        i18n_put_n(el.tx, svg, "vuosikello.vain_taulukossa", (long)el.n_nomonth, NULL);
    }
    buf_puts(svg, ".</desc>\n<rect width=\"");
    num(svg, W_VIEW);
    buf_puts(svg, "\" height=\"");
    num(svg, height);
    buf_puts(svg, "\" fill=\"#ffffff\"/>\n");
}

/* Ring tracks, edged with the ring's dash. */
static void draw_tracks(buf_t *svg, const wheel_layout *w)
{
    const ring *rings = w->rings;
    double hole = w->hole;
    if (!w->n_rings) {
        buf_puts(svg, "<circle cx=\"420.0\" cy=\"370.0\" r=\"");
        num(svg, (R_OUT + R_HOLE) / 2.0);
        buf_puts(svg, "\" fill=\"none\" stroke=\"#f0f0f0\" stroke-width=\"");
        num(svg, R_OUT - R_HOLE);
        buf_puts(svg, "\"/>\n");
    }
    for (int c = 0; c < CAT_COUNT; c++) {
        const ring *rg = &rings[c];
        if (!rg->present)
            continue;
        buf_printf(svg, "<g class=\"vk-keha\"><circle cx=\"420.0\" cy=\"370.0\" r=\"");
        num(svg, (rg->r_out + rg->r_in) / 2.0);
        buf_printf(svg, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"", categories[c].tint);
        num(svg, rg->r_out - rg->r_in);
        buf_puts(svg, "\"/>");
        /* The outer edge only (and the hole's): two dashed circles five
         * units apart read as clutter, not as a border. */
        for (int edge = 0; edge < (rg->r_in <= hole ? 2 : 1); edge++) {
            buf_puts(svg, "<circle cx=\"420.0\" cy=\"370.0\" r=\"");
            num(svg, edge ? rg->r_in : rg->r_out);
            buf_printf(svg, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"", categories[c].fill);
            if (categories[c].dash)
                buf_printf(svg, " stroke-dasharray=\"%s\"", categories[c].dash);
            buf_puts(svg, "/>");
        }
        buf_puts(svg, "</g>\n");
    }
}

/* Month sectors: separators and names outside. */
static void draw_months(buf_t *svg, const i18n *tx, double hole, int today_month)
{
    for (int m = 0; m < 12; m++) {
        buf_puts(svg, "<line x1=\"");
        double a = m * 30.0 * PI / 180.0;
        num(svg, CX + hole * sin(a));
        buf_puts(svg, "\" y1=\"");
        num(svg, CY - hole * cos(a));
        buf_puts(svg, "\" x2=\"");
        num(svg, CX + (R_OUT + 10.0) * sin(a));
        buf_puts(svg, "\" y2=\"");
        num(svg, CY - (R_OUT + 10.0) * cos(a));
        buf_puts(svg, "\" stroke=\"#8a8a8a\" stroke-width=\"1\"/>\n");
    }
    for (int m = 0; m < 12; m++) {
        text_at(svg, R_MONTH, m * 30.0 + 15.0, 15.0,
                m + 1 == today_month ? " class=\"vk-kuukausi\" font-weight=\"700\" fill=\"" TEXT_COLOUR "\""
                                     : " class=\"vk-kuukausi\" fill=\"" TEXT_COLOUR "\"");
        buf_printf(svg, "%s</text>\n", month_name(tx, m + 1));
    }
}

/* Today under the events, so that it never hides a label: it shows in
 * the gaps, at the rim and in the hole. */
static void draw_today(buf_t *svg, const i18n *tx, double hole, int today_month)
{
    if (today_month >= 1 && today_month <= 12) {
        double deg = (today_month - 1) * 30.0 + 15.0, a = deg * PI / 180.0;
        buf_puts(svg, "<g class=\"vk-tanaan\">");
        for (int pass = 0; pass < 2; pass++) {
            buf_puts(svg, "<line x1=\"");
            num(svg, CX + (hole - 4.0) * sin(a));
            buf_puts(svg, "\" y1=\"");
            num(svg, CY - (hole - 4.0) * cos(a));
            buf_puts(svg, "\" x2=\"");
            num(svg, CX + (R_OUT + 6.0) * sin(a));
            buf_puts(svg, "\" y2=\"");
            num(svg, CY - (R_OUT + 6.0) * cos(a));
            buf_puts(svg, pass ? "\" stroke=\"#111111\" stroke-width=\"2.5\"/>"
                               : "\" stroke=\"#ffffff\" stroke-width=\"6\"/>");
        }
        buf_puts(svg, "<circle cx=\"");
        num(svg, CX + (R_OUT + 6.0) * sin(a));
        buf_puts(svg, "\" cy=\"");
        num(svg, CY - (R_OUT + 6.0) * cos(a));
        buf_puts(svg, "\" r=\"4.5\" fill=\"#111111\"/>");
        /* In the hole, where nothing else is written. */
        double rt = hole - 12.0, s = sin(a), co = cos(a);
        buf_puts(svg, "<text x=\"");
        num(svg, CX + rt * s);
        buf_puts(svg, "\" y=\"");
        num(svg, CY - rt * co + 4.5);
        buf_printf(svg, "\" text-anchor=\"%s\" font-size=\"13\" font-weight=\"700\" fill=\"#111111\" "
                        "stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">%s</text></g>\n",
                   s > 0.25 ? "end" : s < -0.25 ? "start" : "middle", i18n_text(tx, "vuosikello.tanaan"));
    }
}

/* Each ring's name where it starts, at twelve o'clock in its band. */
static void draw_ring_names(buf_t *svg, const i18n *tx, const wheel_layout *w, const char *id)
{
    const ring *rings = w->rings;
    for (int c = 0; c < CAT_COUNT; c++) {
        const ring *rg = &rings[c];
        if (!rg->present)
            continue;
        buf_puts(svg, "<defs><path id=\"");
        put_id(svg, id, "ring", c);
        buf_puts(svg, "\" d=\"");
        arc_path(svg, rg->r_out - STRIP + 4.0, 0.0, 180.0, false);
        /* Haloed in the track's tint: the today line may pass behind it. */
        buf_printf(svg, "\"/></defs><text class=\"vk-kehan-nimi\" font-size=\"12\" font-weight=\"700\" fill=\""
                        TEXT_COLOUR "\" stroke=\"%s\" stroke-width=\"3\" paint-order=\"stroke\"><textPath href=\"#",
                   categories[c].tint);
        put_id(svg, id, "ring", c);
        buf_puts(svg, "\" startOffset=\"5\">");
        esc(svg, cat_name(tx, c));
        buf_puts(svg, "</textPath></text>\n");
    }
}

/* Legend: the ring's look (track, dashed edge, an event mark) and its name. */
static void draw_legend(buf_t *svg, const wheel_layout *w, const event_list *elp, int legend_rows)
{
    const ring *rings = w->rings;
    event_list el = *elp;
    buf_puts(svg, "<g class=\"vk-selite\">\n");
    int k = 0;
    for (int c = 0; c < CAT_COUNT; c++) {
        if (!rings[c].present)
            continue;
        double x = 40.0 + (k % 3) * 262.0, y = LEGEND_TOP + (k / 3) * LEGEND_ROW;
        buf_puts(svg, "<rect x=\"");
        num(svg, x);
        buf_puts(svg, "\" y=\"");
        num(svg, y);
        buf_printf(svg, "\" width=\"40.0\" height=\"22.0\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"",
                   categories[c].tint, categories[c].fill);
        if (categories[c].dash)
            buf_printf(svg, " stroke-dasharray=\"%s\"", categories[c].dash);
        buf_puts(svg, "/><rect class=\"vk-nayte\" x=\"");
        num(svg, x + 8.0);
        buf_puts(svg, "\" y=\"");
        num(svg, y + 6.0);
        buf_printf(svg, "\" width=\"24.0\" height=\"10.0\" fill=\"%s\"/><text x=\"", categories[c].fill);
        num(svg, x + 50.0);
        buf_puts(svg, "\" y=\"");
        num(svg, y + 16.0);
        buf_puts(svg, "\" font-size=\"14\" fill=\"" TEXT_COLOUR "\">");
        esc(svg, cat_name(el.tx, c));
        buf_puts(svg, "</text>\n");
        k++;
    }
    if (el.n_nomonth) {
        buf_puts(svg, "<text x=\"40.0\" y=\"");
        num(svg, LEGEND_TOP + legend_rows * LEGEND_ROW + 18.0);
        buf_puts(svg, "\" font-size=\"14\" fill=\"" TEXT_COLOUR "\">");
        buf_t more = BUF_INIT;
        i18n_put_n(el.tx, &more, "vuosikello.lisaksi", (long)el.n_nomonth, NULL);
        esc(svg, buf_cstr(&more));
        buf_free(&more);
        buf_puts(svg, "</text>\n");
    }
}

void wheel_svg(const val *data, const i18n *tx, const char *id, const char *title, const char *root,
               int today_month, const textm *tm, buf_t *svg, buf_t *keys)
{
    event_list el;
    events_collect(data, tx, NULL, &el);

    wheel_layout w = {.on_wheel = 0};
    assign_lanes(&el, &w);
    size_rings(&w);
    int legend_rows = (w.n_rings + 2) / 3;
    double height = LEGEND_TOP + legend_rows * LEGEND_ROW + (el.n_nomonth ? 30.0 : 0.0) + 8.0;
    svg_open(svg, id, W_VIEW, height, title, true);
    wheel_desc(svg, &w, &el, height);
    draw_tracks(svg, &w);
    draw_months(svg, tx, w.hole, today_month);
    draw_today(svg, tx, w.hole, today_month);
    draw_ring_names(svg, tx, &w, id);

    /* Events, ring by ring; keys numbered in that order. */
    key_list kl = {.tm = tm, .next = 1, .list = keys};
    for (int c = 0; c < CAT_COUNT; c++)
        for (size_t i = 0; i < el.len; i++)
            if (el.items[i].months && el.items[i].cat == c)
                draw_event(svg, &el.items[i], (int)i, &w.rings[c], w.lane_w, id, root, &kl);
    if (kl.next > 1)
        buf_puts(keys, "</ol>\n");

    draw_legend(svg, &w, &el, legend_rows);
    buf_puts(svg, "</g>\n</svg>\n");
    free(el.items);
}

/* }====== */

/* {====== The wheel as a table ====== */

static void table_event(buf_t *b, const event *e, const char *root)
{
    buf_puts(b, "<li>");
    if (e->url) {
        buf_puts(b, "<a ");
        put_href(b, root, e->url);
        if (e->mark)
            buf_printf(b, " lang=\"%s\"", e->mark);
        buf_putc(b, '>');
    } else if (e->mark) {
        buf_printf(b, "<span lang=\"%s\">", e->mark);
    }
    esc(b, e->name);
    buf_puts(b, e->url ? "</a> (" : e->mark ? "</span> (" : " (");
    esc(b, cat_name(e->tx, e->cat));
    buf_putc(b, ')');
    if (!e->yearly) {
        buf_puts(b, ", ");
        event_when(e, b);
    }
    buf_puts(b, "</li>");
}

static void table_row(buf_t *b, const char *head, const event_list *el, unsigned bit, const char *root)
{
    buf_puts(b, "<tr><th scope=\"row\">");
    esc(b, head);
    buf_puts(b, "</th><td>");
    size_t n = 0;
    for (size_t i = 0; i < el->len; i++) {
        const event *e = &el->items[i];
        if (bit ? !(e->months & bit) : e->months != 0)
            continue;
        buf_puts(b, n++ ? "" : "<ul>");
        table_event(b, e, root);
    }
    if (n)
        buf_puts(b, "</ul></td></tr>\n");
    else
        buf_printf(b, "%s</td></tr>\n", i18n_text(el->tx, "vuosikello.ei_tapahtumia"));
}

void wheel_table(const val *data, const i18n *tx, const char *dflt, const char *root, buf_t *html)
{
    event_list el;
    events_collect(data, tx, dflt, &el);
    buf_printf(html, "<table class=\"vuosikello-taulukko\"><caption>%s</caption>"
                     "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>"
                     "<tbody>\n",
               i18n_text(tx, "vuosikello.kuukausittain"), i18n_text(tx, "vuosikello.kuukausi"),
               i18n_text(tx, "vuosikello.tapahtumat"));
    for (int m = 1; m <= 12; m++)
        table_row(html, month_name(tx, m), &el, 1u << m, root);
    if (el.n_nomonth)
        table_row(html, i18n_text(tx, "vuosikello.ei_kuukautta"), &el, 0, root);
    buf_puts(html, "</tbody></table>\n");
    free(el.items);
}

/* }====== */

/* {====== The timeline ====== */

typedef struct {
    const val *v;
    const char *name;
    ymd start, end;
    bool span;
    long key; /* yyyymmdd, for sorting */
    size_t order;
} milestone;

static int cmp_milestone(const void *a, const void *b)
{
    const milestone *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* The milestones with a readable start, sorted by it (stable). */
static milestone *milestones_collect(const val *data, const char *lang, size_t *n)
{
    const val *list = val_get(data, OK_VIRSTANPYLVAAT);
    milestone *ms = xcalloc(val_len(list) + 1, sizeof(milestone));
    *n = 0;
    for (size_t i = 0; i < val_len(list); i++) {
        milestone *m = &ms[*n];
        m->v = val_at(list, i);
        if (!parse_ymd(val_get(m->v, OK_ALKU), &m->start))
            continue;
        m->name = loc_field(m->v, OK_NIMI, lang, NULL) ? loc_field(m->v, OK_NIMI, lang, NULL) : "";
        m->span = parse_ymd(val_get(m->v, OK_LOPPU), &m->end);
        m->key = m->start.y * 10000L + m->start.m * 100L + m->start.d;
        m->order = i;
        (*n)++;
    }
    qsort(ms, *n, sizeof(milestone), cmp_milestone);
    return ms;
}

/* A date as a fractional year: the start of its period, or its end. */
static double year_pos(ymd d, bool end)
{
    if (!d.m)
        return d.y + (end ? 1.0 : 0.0);
    if (!d.d)
        return d.y + (d.m - (end ? 0.0 : 1.0)) / 12.0;
    return d.y + (d.m - 1) / 12.0 + (d.d - (end ? 0.0 : 1.0)) / (12.0 * 31.0);
}

static void milestone_when(const milestone *m, buf_t *b)
{
    const char *a = val_get_str(m->v, OK_ALKU_TEKSTI), *l = val_get_str(m->v, OK_LOPPU_TEKSTI);
    esc(b, a ? a : val_get_str(m->v, OK_ALKU));
    if (!l)
        l = val_get_str(m->v, OK_LOPPU);
    if (l && (!a || strcmp(a, l) != 0)) {
        buf_puts(b, "–");
        esc(b, l);
    }
}

#define TL_W 840.0
#define TL_MARGIN 30.0
#define TL_LANE 46.0
#define TL_FONT 13.0
#define TL_LINE 16.0 /* a wrapped name's further lines */
#define BAR_COLOUR "#1f5f99"     /* 6.66:1 on white */
#define DIAMOND_COLOUR "#8e2043" /* 8.61:1 on white */

/* Breaks name into lines no wider than room (at spaces; a word wider than
 * room stands alone on its line, whole): the byte lengths of the lines go to
 * lens (the spaces between lines dropped), and their widest width to *width.
 * Returns the number of lines (at least 1). Caller frees *lens. */
static size_t wrap_name(const textm *tm, const char *name, double room, size_t **lens, double *width)
{
    size_t n = 0, start = 0, len = strlen(name);
    *lens = xcalloc(len + 1, sizeof **lens);
    *width = 0;
    while (start < len || n == 0) {
        size_t end = len;
        char *line = xstrndup(name + start, end - start);
        /* Drop words from the end until the line fits or one word is left. */
        while (textm_width(tm, line, TL_FONT, false) > room) {
            char *sp = strrchr(line, ' ');
            if (!sp || sp == line)
                break;
            *sp = '\0';
        }
        double w = textm_width(tm, line, TL_FONT, false);
        if (w > *width)
            *width = w;
        (*lens)[n++] = strlen(line);
        start += strlen(line);
        while (name[start] == ' ')
            start++;
        free(line);
    }
    return n;
}

/* The timeline's geometry: years across, milestones in lanes under their labels. */
typedef struct {
    milestone *ms;
    size_t n;
    int y0, y1;             /* the first and last year shown */
    size_t spans;           /* milestones that are spans, not dates */
    double scale;           /* units per year */
    double *x0, *x1, *lx;   /* each item's extent and its label's left edge */
    int *lane, n_lanes;     /* each item's lane */
    size_t **lines, *n_lines; /* each name's wrapped line lengths */
    size_t *lane_lines;     /* the most lines a name in the lane has */
    double *lane_top;       /* n_lanes + 1 lane tops */
    double axis;            /* the year axis' y */
} tl_layout;

/* The years the milestones cover and how wide a year is. */
static void tl_years(tl_layout *t)
{
    const milestone *ms = t->ms;
    size_t n = t->n;
    int y0 = ms[0].start.y, y1 = y0;
    size_t spans = 0;
    for (size_t i = 0; i < n; i++) {
        if (ms[i].start.y < y0)
            y0 = ms[i].start.y;
        if (ms[i].start.y > y1)
            y1 = ms[i].start.y;
        if (ms[i].span && ms[i].end.y > y1)
            y1 = ms[i].end.y;
        spans += ms[i].span;
    }
    double years = y1 - y0 + 1, scale = (TL_W - 2 * TL_MARGIN) / years;
    t->y0 = y0;
    t->y1 = y1;
    t->spans = spans;
    t->scale = scale;
}

/* Lanes: an item and its label (above it) take [lo, hi]; each goes into
 * the first lane whose last item ended before lo. */
static void tl_lanes(tl_layout *t, const textm *tm)
{
    const milestone *ms = t->ms;
    size_t n = t->n;
    int y0 = t->y0;
    double scale = t->scale;
    double *x0 = xcalloc(n, sizeof(double)), *x1 = xcalloc(n, sizeof(double)),
           *lx = xcalloc(n, sizeof(double)), *lane_end = xcalloc(n, sizeof(double));
    int *lane = xcalloc(n, sizeof(int)), n_lanes = 0;
    /* Names measured in the shipped font, wrapped when wider than the line. */
    size_t **lines = xcalloc(n, sizeof *lines), *n_lines = xcalloc(n, sizeof *n_lines),
           *lane_lines = xcalloc(n, sizeof *lane_lines);
    for (size_t i = 0; i < n; i++) {
        const milestone *m = &ms[i];
        if (m->span) {
            x0[i] = TL_MARGIN + (year_pos(m->start, false) - y0) * scale;
            x1[i] = TL_MARGIN + (year_pos(m->end, true) - y0) * scale;
            if (x1[i] < x0[i] + 4.0)
                x1[i] = x0[i] + 4.0;
        } else {
            double mid = m->start.m ? (year_pos(m->start, false) + year_pos(m->start, true)) / 2.0
                                    : m->start.y + 0.5;
            x0[i] = x1[i] = TL_MARGIN + (mid - y0) * scale;
        }
        double lw;
        n_lines[i] = wrap_name(tm, m->name, TL_W - 2 * TL_MARGIN, &lines[i], &lw);
        double start = m->span ? x0[i] : x0[i] - 8.0;
        lx[i] = start + lw > TL_W - TL_MARGIN ? TL_W - TL_MARGIN - lw : start;
        if (lx[i] < TL_MARGIN / 2)
            lx[i] = TL_MARGIN / 2;
        double lo = lx[i] < start ? lx[i] : start, hi = lx[i] + lw;
        if (x1[i] + 8.0 > hi)
            hi = x1[i] + 8.0;
        int l = 0;
        while (l < n_lanes && lane_end[l] + 12.0 > lo)
            l++;
        if (l == n_lanes)
            n_lanes++;
        lane_end[l] = hi;
        lane[i] = l;
        if (n_lines[i] > lane_lines[l])
            lane_lines[l] = n_lines[i];
    }
    /* Each lane as tall as its most wrapped name needs. */
    double *lane_top = xcalloc((size_t)n_lanes + 1, sizeof(double));
    for (int l = 0; l < n_lanes; l++)
        lane_top[l + 1] = lane_top[l] + TL_LANE + (double)(lane_lines[l] - 1) * TL_LINE;
    free(lane_end);
    t->x0 = x0;
    t->x1 = x1;
    t->lx = lx;
    t->lane = lane;
    t->n_lanes = n_lanes;
    t->lines = lines;
    t->n_lines = n_lines;
    t->lane_lines = lane_lines;
    t->lane_top = lane_top;
}

/* Years: grid lines at their boundaries, names in their middles. */
static void tl_axis(buf_t *svg, const tl_layout *t)
{
    int y0 = t->y0;
    int y1 = t->y1;
    double scale = t->scale;
    double axis = t->axis;
    for (int y = 0; y <= y1 - y0 + 1; y++) {
        double x = TL_MARGIN + y * scale;
        buf_puts(svg, "<line x1=\"");
        num(svg, x);
        buf_puts(svg, "\" y1=\"6.0\" x2=\"");
        num(svg, x);
        buf_puts(svg, "\" y2=\"");
        num(svg, axis + 6.0);
        buf_puts(svg, "\" stroke=\"#c4c4c4\" stroke-width=\"1\"/>\n");
    }
    buf_puts(svg, "<line x1=\"");
    num(svg, TL_MARGIN);
    buf_puts(svg, "\" y1=\"");
    num(svg, axis);
    buf_puts(svg, "\" x2=\"");
    num(svg, TL_W - TL_MARGIN);
    buf_puts(svg, "\" y2=\"");
    num(svg, axis);
    buf_puts(svg, "\" stroke=\"#555555\" stroke-width=\"1.5\"/>\n");
    for (int y = y0; y <= y1; y++) {
        buf_puts(svg, "<text class=\"aj-vuosi\" x=\"");
        num(svg, TL_MARGIN + (y - y0 + 0.5) * scale);
        buf_puts(svg, "\" y=\"");
        num(svg, axis + 22.0);
        buf_printf(svg, "\" text-anchor=\"middle\" font-size=\"14\" fill=\"" TEXT_COLOUR "\">%d</text>\n", y);
    }
}

/* One milestone: a bar or a diamond, and its name above. */
static void tl_item(buf_t *svg, const tl_layout *t, size_t i)
{
    const milestone *ms = t->ms;
    const double *x0 = t->x0;
    const double *x1 = t->x1;
    const double *lx = t->lx;
    const int *lane = t->lane;
    const size_t *n_lines = t->n_lines;
    size_t *const *lines = t->lines;
    const size_t *lane_lines = t->lane_lines;
    const double *lane_top = t->lane_top;
    const milestone *m = &ms[i];
    /* The name's extra lines above, the mark where a one-line lane has it. */
    double extra = (double)(lane_lines[lane[i]] - 1) * TL_LINE;
    double top = 10.0 + lane_top[lane[i]] + extra;
    buf_printf(svg, "<g class=\"%s\"><title>", m->span ? "aj-jakso" : "aj-ajankohta");
    esc(svg, m->name);
    buf_puts(svg, " (");
    milestone_when(m, svg);
    buf_puts(svg, ")</title>");
    if (m->span) {
        buf_puts(svg, "<rect x=\"");
        num(svg, x0[i]);
        buf_puts(svg, "\" y=\"");
        num(svg, top + 20.0);
        buf_puts(svg, "\" width=\"");
        num(svg, x1[i] - x0[i]);
        buf_puts(svg, "\" height=\"14.0\" rx=\"3.0\" fill=\"" BAR_COLOUR "\"/>");
    } else {
        buf_puts(svg, "<path d=\"M");
        num(svg, x0[i]);
        buf_putc(svg, ',');
        num(svg, top + 18.0);
        buf_puts(svg, "l8.0,9.0 -8.0,9.0 -8.0,-9.0Z\" fill=\"" DIAMOND_COLOUR "\"/>");
    }
    buf_puts(svg, "<text x=\"");
    num(svg, lx[i]);
    buf_puts(svg, "\" y=\"");
    num(svg, top + 14.0 - (double)(n_lines[i] - 1) * TL_LINE);
    buf_puts(svg, "\" font-size=\"13\" fill=\"" TEXT_COLOUR "\">");
    if (n_lines[i] == 1) {
        esc(svg, m->name);
    } else {
        const char *p = m->name;
        for (size_t k = 0; k < n_lines[i]; k++) {
            buf_puts(svg, "<tspan x=\"");
            num(svg, lx[i]);
            buf_puts(svg, "\" dy=\"");
            num(svg, k ? TL_LINE : 0.0);
            buf_puts(svg, "\">");
            esc_html(svg, p, lines[i][k]);
            buf_puts(svg, "</tspan>");
            p += lines[i][k];
            while (*p == ' ')
                p++;
        }
    }
    buf_puts(svg, "</text></g>\n");
}

/* The key: shape, not only colour, tells a span from a date. */
static void tl_key(buf_t *svg, double axis)
{
    double ky = axis + 44.0;
    buf_puts(svg, "<g class=\"aj-selite\"><rect x=\"");
    num(svg, TL_MARGIN);
    buf_puts(svg, "\" y=\"");
    num(svg, ky - 11.0);
    buf_puts(svg, "\" width=\"30.0\" height=\"12.0\" rx=\"3.0\" fill=\"" BAR_COLOUR "\"/><text x=\"");
    num(svg, TL_MARGIN + 38.0);
    buf_puts(svg, "\" y=\"");
    num(svg, ky);
    buf_puts(svg, "\" font-size=\"13\" fill=\"" TEXT_COLOUR "\">jakso</text><path d=\"M");
    num(svg, TL_MARGIN + 120.0);
    buf_putc(svg, ',');
    num(svg, ky - 14.0);
    buf_puts(svg, "l7.0,8.0 -7.0,8.0 -7.0,-8.0Z\" fill=\"" DIAMOND_COLOUR "\"/><text x=\"");
    num(svg, TL_MARGIN + 134.0);
    buf_puts(svg, "\" y=\"");
    num(svg, ky);
    buf_puts(svg, "\" font-size=\"13\" fill=\"" TEXT_COLOUR "\">ajankohta</text></g>\n</svg>\n");
}

static void tl_free(tl_layout *t)
{
    free(t->x0);
    free(t->x1);
    free(t->lx);
    free(t->lane);
    for (size_t i = 0; i < t->n; i++)
        free(t->lines[i]);
    free(t->lines);
    free(t->n_lines);
    free(t->lane_lines);
    free(t->lane_top);
    free(t->ms);
}

void timeline_svg(const val *data, const i18n *tx, const char *id, const char *title, const textm *tm, buf_t *svg)
{
    size_t n;
    milestone *ms = milestones_collect(data, i18n_lang(tx), &n);
    if (!n) {
        svg_open(svg, id, TL_W, 40.0, title, false);
        buf_printf(svg, "%s</desc>\n</svg>\n", i18n_text(tx, "aikajana.tyhja"));
        free(ms);
        return;
    }
    tl_layout t = {.ms = ms, .n = n};
    tl_years(&t);
    tl_lanes(&t, tm);

    t.axis = 14.0 + t.lane_top[t.n_lanes];
    double height = t.axis + 66.0;
    svg_open(svg, id, TL_W, height, title, false);
    buf_t all = BUF_INIT, spans = BUF_INIT, dates = BUF_INIT;
    i18n_put_n(tx, &all, "aikajana.virstanpylvasta", (long)n, NULL);
    i18n_put_n(tx, &spans, "aikajana.jaksoja", (long)t.spans, NULL);
    i18n_put_n(tx, &dates, "aikajana.ajankohtia", (long)(n - t.spans), NULL);
    char y0[16], y1[16];
    snprintf(y0, sizeof y0, "%d", t.y0);
    snprintf(y1, sizeof y1, "%d", t.y1);
    i18n_put(tx, svg, "aikajana.kuvaus", "alku", y0, "loppu", y1, "virstanpylvaat", buf_cstr(&all), "jaksot",
             buf_cstr(&spans), "ajankohdat", buf_cstr(&dates), NULL);
    buf_puts(svg, "</desc>\n");
    buf_free(&all);
    buf_free(&spans);
    buf_free(&dates);
    buf_puts(svg, "<rect width=\"");
    num(svg, TL_W);
    buf_puts(svg, "\" height=\"");
    num(svg, height);
    buf_puts(svg, "\" fill=\"#ffffff\"/>\n");

    tl_axis(svg, &t);
    for (size_t i = 0; i < n; i++)
        tl_item(svg, &t, i);
    tl_key(svg, t.axis);
    tl_free(&t);
}

void timeline_list_in(const val *data, const char *lang, buf_t *html)
{
    size_t n;
    milestone *ms = milestones_collect(data, lang, &n);
    buf_puts(html, "<ol class=\"aikajana\">\n");
    for (size_t i = 0; i < n; i++) {
        buf_puts(html, "<li><strong>");
        milestone_when(&ms[i], html);
        buf_puts(html, "</strong> ");
        esc(html, ms[i].name);
        const char *k = loc_field(ms[i].v, OK_KUVAUS, lang, NULL);
        if (k && *k) {
            size_t nl = strlen(ms[i].name);
            buf_puts(html, nl && strchr(".!?", ms[i].name[nl - 1]) ? " " : ". ");
            esc(html, k);
        }
        buf_puts(html, "</li>\n");
    }
    buf_puts(html, "</ol>\n");
    free(ms);
}

/* }====== */

void timeline_list(const val *data, buf_t *html)
{
    timeline_list_in(data, NULL, html);
}
