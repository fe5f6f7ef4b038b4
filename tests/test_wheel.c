/* Tests of the annual-cycle wheel, the milestone timeline and their text equivalents. */
#include <math.h>

#include "../generator/4-render/wheel.h"
#include "testutil.h"

/* fi(): the built-in Finnish interface texts (testutil.h). */
#define fi tu_fi

static const src_pos P = {NULL, 0, 0};

static const char *const months[12] = {
    "tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu",
    "heinäkuu", "elokuu",   "syyskuu",   "lokakuu",  "marraskuu", "joulukuu",
};

#define HOSTILE "<script>alert(1)</script> & \"x\""
#define HOSTILE_ESC "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"

/* {====== Building data ====== */

static val *named_link(const char *nimi, const char *url)
{
    val *m = val_map(P);
    val_set_str(m, "nimi", nimi);
    val_set_str(m, "url", url);
    return m;
}

static val *forum(const char *url, const char *taso, const char *taso_nimi)
{
    val *f = named_link("Foorumi", url);
    val_set_str(f, "taso", taso);
    val_set_str(f, "taso_nimi", taso_nimi);
    return f;
}

static val *event(const char *id, const char *nimi, val *foorumi)
{
    val *e = val_map(P);
    val_set_str(e, "id", id);
    val_set_str(e, "nimi", nimi);
    if (foorumi)
        val_set(e, "foorumi", foorumi);
    return e;
}

/* A yearly event in months ms[0..n). */
static val *yearly(const char *id, const char *nimi, const int *ms, size_t n, val *foorumi)
{
    val *e = event(id, nimi, foorumi);
    val *list = val_list(P);
    for (size_t i = 0; i < n; i++) {
        val *mo = val_map(P);
        val_set(mo, "nro", val_num(ms[i], P));
        val_set_str(mo, "nimi", months[ms[i] - 1]);
        val_push(list, mo);
    }
    val_set(e, "kuukaudet", list);
    val_set(e, "vuosittain", val_bool(true, P));
    return e;
}

static val *oneoff(const char *id, const char *nimi, const char *alku, const char *alku_teksti,
                   const char *loppu, const char *loppu_teksti, val *foorumi)
{
    val *e = event(id, nimi, foorumi);
    val_set_str(e, "alku", alku);
    val_set_str(e, "alku_teksti", alku_teksti);
    if (loppu) {
        val_set_str(e, "loppu", loppu);
        val_set_str(e, "loppu_teksti", loppu_teksti);
    }
    val_set(e, "vuosittain", val_bool(false, P));
    return e;
}

static val *milestone(const char *id, const char *nimi, const char *alku, const char *loppu,
                      const char *kuvaus)
{
    val *m = val_map(P);
    val_set_str(m, "id", id);
    val_set_str(m, "nimi", nimi);
    val_set_str(m, "alku", alku);
    val_set_str(m, "alku_teksti", alku);
    if (loppu) {
        val_set_str(m, "loppu", loppu);
        val_set_str(m, "loppu_teksti", loppu);
    }
    if (kuvaus)
        val_set_str(m, "kuvaus", kuvaus);
    return m;
}

/* Five events on the wheel in four rings (Poliittinen, Strateginen,
 * Kumppanuus, Muut) and one with a year only; three milestones, given out
 * of order. with_yearless: include the year-only event. */
static val *fixture(bool with_yearless)
{
    val *data = val_map(P);
    val *evs = val_list(P);
    static const int autumn[] = {9, 10, 11}, october[] = {10}, winter[] = {12, 1};
    val_push(evs, yearly("neuvottelu", "Kuntien neuvottelu", autumn, 3,
                         forum("yhteistyorakenne/pk-2025/hyte-neuvottelu/", "strateginen", "Strateginen taso")));
    val_push(evs, yearly("perehdytys", "Perehdytys", october, 1, NULL));
    val_push(evs, yearly("talvikokous", "Talvikokous", winter, 2,
                         forum("yhteistyorakenne/pk-2025/valtuusto/", "poliittinen", "Poliittinen taso")));
    val *doc = oneoff("johtajat", "Luonnos johtajille", "2025-03-17", "17.3.2025", NULL, NULL, NULL);
    val_set(doc, "asiakirja", named_link("Sopimus", "asiakirjat/sopimus/"));
    val_push(evs, doc);
    val_push(evs, oneoff("vihamielinen", HOSTILE, "2025-05", "toukokuu 2025", NULL, NULL,
                         forum("yhteistyorakenne/pk-2025/kumppanuus/", "kumppanuus", "Kumppanuus")));
    if (with_yearless)
        val_push(evs, oneoff("kierros", "Kuntakierros", "2023", "2023", "2023-10", "lokakuu 2023", NULL));
    val_set(data, "tapahtumat", evs);

    val *ms = val_list(P);
    val_push(ms, milestone("kausi", "Valtuustokausi", "2025", "2029", "Neljä vuotta."));
    val_push(ms, milestone("suunnittelu", "Suunnittelu", "2023", "2024", "Tiedonkeruu ja työpajat."));
    val_push(ms, milestone("vaalit", "Vaalit", "2025", NULL, NULL));
    val_set(data, "virstanpylvaat", ms);
    return data;
}

/* The shipped font (made by `make fonts`), which the build measures with. */
static textm *shipped(void)
{
    textm *tm = textm_new("layouts/static/fontit/kasikirja-sans.ttf", "layouts/static/fontit/kasikirja-sans-bold.ttf");
    ck_assert_msg(tm != NULL, "the shipped font is missing (run `make fonts`)");
    return tm;
}

/* The wheel in the shipped font; its numbered list of names into *keys when not NULL. */
static char *wheel_keys(const val *data, int today, char **keys)
{
    buf_t b = BUF_INIT, k = BUF_INIT;
    textm *tm = shipped();
    wheel_svg(data, fi(), "vk", "Vuosikello", "../../", today, tm, &b, &k);
    textm_free(tm);
    if (keys)
        *keys = xstrdup(k.len ? k.ptr : "");
    buf_free(&k);
    return buf_detach(&b);
}

static char *wheel(const val *data, int today) { return wheel_keys(data, today, NULL); }

/* }====== */

/* {====== Reading SVG ====== */

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* The value of attribute name in the tag that contains at (searching back
 * to its '<'), into out; false when the tag has none. */
static bool attr_of(const char *s, const char *at, const char *name, char *out, size_t size)
{
    const char *lt = at;
    while (lt > s && *lt != '<')
        lt--;
    const char *gt = strchr(lt, '>');
    char *key = xasprintf(" %s=\"", name);
    const char *v = strstr(lt, key);
    size_t klen = strlen(key);
    free(key);
    if (!v || v > gt)
        return false;
    v += klen;
    const char *end = strchr(v, '"');
    size_t n = (size_t)(end - v) < size - 1 ? (size_t)(end - v) : size - 1;
    memcpy(out, v, n);
    out[n] = '\0';
    return true;
}

/* The text content after the tag that contains at, up to the next '<'. */
static void text_after(const char *at, char *out, size_t size)
{
    const char *gt = strchr(at, '>') + 1;
    size_t n = strcspn(gt, "<");
    n = n < size - 1 ? n : size - 1;
    memcpy(out, gt, n);
    out[n] = '\0';
}

/* WCAG 2 relative luminance of "#rrggbb" and the contrast ratio of two colours. */
static double luminance(const char *hex)
{
    unsigned rgb[3];
    ck_assert_int_eq(sscanf(hex, "#%2x%2x%2x", &rgb[0], &rgb[1], &rgb[2]), 3);
    double lin[3];
    for (int i = 0; i < 3; i++) {
        double c = rgb[i] / 255.0;
        lin[i] = c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

static double contrast(const char *a, const char *b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* Every id="…" is unique and starts with prefix; every href="#…" names one of them. */
static void assert_ids(const char *svg, const char *prefix)
{
    char ids[256][96];
    size_t n = 0;
    for (const char *p = svg; (p = strstr(p, " id=\"")) != NULL; p += 5) {
        ck_assert_uint_lt(n, 256);
        const char *v = p + 5;
        size_t len = strcspn(v, "\"");
        ck_assert_uint_lt(len, sizeof ids[0]);
        memcpy(ids[n], v, len);
        ids[n][len] = '\0';
        ck_assert_msg(strncmp(ids[n], prefix, strlen(prefix)) == 0, "id '%s' lacks prefix '%s'", ids[n], prefix);
        for (size_t k = 0; k < n; k++)
            ck_assert_msg(strcmp(ids[k], ids[n]) != 0, "id '%s' twice", ids[n]);
        n++;
    }
    ck_assert_uint_gt(n, 1);
    for (const char *p = svg; (p = strstr(p, "href=\"#")) != NULL; p += 7) {
        const char *v = p + 7;
        size_t len = strcspn(v, "\""), k;
        for (k = 0; k < n; k++)
            if (strlen(ids[k]) == len && strncmp(ids[k], v, len) == 0)
                break;
        ck_assert_msg(k < n, "href to a missing id: %.40s", v);
    }
}

static void assert_accessible(const char *svg, const char *id, const char *title, const char *role)
{
    char *head = xasprintf("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    ck_assert_msg(strncmp(svg, head, strlen(head)) == 0, "starts: %.80s", svg);
    free(head);
    const char *close = strchr(svg, '>');
    char *aria = xasprintf(" role=\"%s\" aria-labelledby=\"%s-title %s-desc\"", role, id, id);
    const char *at = strstr(svg, aria);
    ck_assert_ptr_nonnull(at);
    ck_assert(at < close);
    free(aria);
    /* Scales with CSS: no fixed size on the root. */
    ck_assert_ptr_null(memmem(svg, (size_t)(close - svg), " width=", 7));
    ck_assert_ptr_null(memmem(svg, (size_t)(close - svg), " height=", 8));
    char *first = xasprintf(">\n<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">", id, title, id);
    ck_assert_msg(strncmp(close, first, strlen(first)) == 0, "children: %.120s", close);
    free(first);
    ck_assert_ptr_null(strstr(svg, "<?xml"));
    ck_assert_uint_eq(count(svg, "<svg"), 1);
    ck_assert_uint_eq(count(svg, "</svg>"), 1);
}

/* }====== */

START_TEST(test_wheel_names_twelve_months_clockwise_from_tammikuu)
{
    val *data = fixture(true);
    char *svg = wheel(data, 0);
    ck_assert_uint_eq(count(svg, "class=\"vk-kuukausi\""), 12);
    const char *p = svg;
    double last = -1.0;
    for (int m = 0; m < 12; m++) {
        p = strstr(p, "class=\"vk-kuukausi\"");
        char name[32], x[16], y[16];
        text_after(p, name, sizeof name);
        ck_assert_str_eq(name, months[m]);
        ck_assert(attr_of(svg, p, "x", x, sizeof x));
        ck_assert(attr_of(svg, p, "y", y, sizeof y));
        /* Angle clockwise from twelve o'clock around the centre (420, 370). */
        double deg = atan2(atof(x) - 420.0, 370.0 - atof(y)) * 180.0 / 3.14159265358979;
        if (deg < 0)
            deg += 360.0;
        ck_assert_msg(deg > last, "%s at %.1f° is not after %.1f°", name, deg, last);
        ck_assert_msg(deg > m * 30.0 - 3.0 && deg < (m + 1) * 30.0 + 3.0, "%s at %.1f°", name, deg);
        last = deg;
        p++;
    }
    free(svg);
    val_free(data);
}
END_TEST

START_TEST(test_wheel_labels_each_ring_present_in_the_data_once)
{
    val *data = fixture(true);
    char *svg = wheel(data, 0);
    const char *present[] = {"Poliittinen taso", "Strateginen taso", "Kumppanuus", "Muut"};
    ck_assert_uint_eq(count(svg, "class=\"vk-kehan-nimi\""), 4);
    const char *legend = strstr(svg, "class=\"vk-selite\"");
    ck_assert_ptr_nonnull(legend);
    for (size_t i = 0; i < 4; i++) {
        char *ring = xasprintf("startOffset=\"5\">%s</textPath>", present[i]);
        ck_assert_uint_eq(count(svg, ring), 1);
        free(ring);
        char *entry = xasprintf(">%s</text>", present[i]);
        ck_assert_ptr_nonnull(strstr(legend, entry));
        free(entry);
    }
    /* Innermost first: the rings' own names come in the stable order. */
    const char *pol = strstr(svg, ">Poliittinen taso</textPath>"), *str = strstr(svg, ">Strateginen taso</textPath>"),
               *kum = strstr(svg, ">Kumppanuus</textPath>"), *muut = strstr(svg, ">Muut</textPath>");
    ck_assert(pol < str && str < kum && kum < muut);
    ck_assert_ptr_null(strstr(svg, "Johdon taso"));
    ck_assert_ptr_null(strstr(svg, "Operatiivinen taso"));
    free(svg);
    val_free(data);
}
END_TEST

START_TEST(test_wheel_draws_each_event_as_one_arc_per_run_of_months)
{
    val *data = fixture(true);
    char *svg = wheel(data, 0);
    /* One arc each: syys–marraskuu, lokakuu, joulu–tammikuu across the top, maaliskuu, toukokuu. */
    ck_assert_uint_eq(count(svg, "class=\"vk-kaari\""), 5);
    ck_assert_uint_eq(count(svg, "class=\"vk-tapahtuma\""), 5);
    const char *titles[] = {
        "<title>Kuntien neuvottelu (Strateginen taso; syyskuu, lokakuu, marraskuu)</title>",
        "<title>Perehdytys (Muut; lokakuu)</title>",
        "<title>Talvikokous (Poliittinen taso; joulukuu, tammikuu)</title>",
        "<title>Luonnos johtajille (Muut; 17.3.2025)</title>",
        "<title>" HOSTILE_ESC " (Kumppanuus; toukokuu 2025)</title>",
    };
    for (size_t i = 0; i < 5; i++) {
        const char *t = strstr(svg, titles[i]);
        ck_assert_msg(t != NULL, "missing %s", titles[i]);
        /* Its own arc and label before the next event starts. */
        const char *next = strstr(t, "class=\"vk-tapahtuma\"");
        const char *arc = strstr(t, "class=\"vk-kaari\""), *label = strstr(t, "<textPath");
        ck_assert(arc && (!next || arc < next));
        ck_assert(label && (!next || label < next));
    }
    ck_assert_ptr_nonnull(strstr(svg, "startOffset=\"50%\">Kuntien neuvottelu</textPath>"));
    /* The year-only event is not on the wheel, but the summary says where it is. */
    ck_assert_ptr_null(strstr(svg, "Kuntakierros"));
    ck_assert_ptr_nonnull(strstr(svg, "1 tapahtuma ilman kuukautta on vain taulukossa"));
    free(svg);
    val_free(data);
}
END_TEST

START_TEST(test_wheel_gives_a_long_name_a_key_and_lists_it_in_full)
{
    val *data = val_map(P);
    val *evs = val_list(P);
    static const int june[] = {6}, autumn[] = {9, 10, 11};
    const char *longname = "Hyvinvointialueen ja kuntien yhteinen erittäin pitkä nimi jolla ei ole loppua lainkaan";
    val_push(evs, yearly("pitka", longname, june, 1, forum("yhteistyorakenne/pk/pitka/", "johto", "Johdon taso")));
    val_push(evs, yearly("toinen", "Toinen aivan liian pitkä nimi yhden kuukauden kaarelle", june, 1, NULL));
    val_push(evs, yearly("lyhyt", "Kokous", autumn, 3, NULL));
    val_set(data, "tapahtumat", evs);
    char *keys, *svg = wheel_keys(data, 0, &keys);
    /* The full name in the event's title (its accessible name) and, under its key, in the list. */
    char *title = xasprintf("<title>%s (Johdon taso; kesäkuu)</title>", longname);
    ck_assert_ptr_nonnull(strstr(svg, title));
    free(title);
    ck_assert_ptr_nonnull(strstr(svg, "class=\"vk-avain\" font-size=\"12.0\" font-weight=\"700\""));
    ck_assert_ptr_nonnull(strstr(svg, "startOffset=\"50%\">1</textPath>"));
    ck_assert_ptr_nonnull(strstr(svg, "startOffset=\"50%\">2</textPath>"));
    ck_assert_str_eq(keys, "<ol class=\"vk-avaimet\">\n"
                           "<li value=\"1\"><a href=\"../../yhteistyorakenne/pk/pitka/\">Hyvinvointialueen ja kuntien "
                           "yhteinen erittäin pitkä nimi jolla ei ole loppua lainkaan</a> (Johdon taso; kesäkuu)</li>\n"
                           "<li value=\"2\">Toinen aivan liian pitkä nimi yhden kuukauden kaarelle (Muut; kesäkuu)</li>\n"
                           "</ol>\n");
    /* The short one is written whole and is not in the list. */
    ck_assert_ptr_nonnull(strstr(svg, "startOffset=\"50%\">Kokous</textPath>"));
    ck_assert_ptr_null(strstr(keys, "Kokous"));
    /* Nothing is cut. */
    ck_assert_ptr_null(strstr(svg, "…"));
    ck_assert_ptr_null(strstr(svg, "lainkaan</textPath>"));
    free(keys);
    free(svg);
    val_free(data);
}
END_TEST

START_TEST(test_wheel_writes_a_name_whole_on_two_lines_when_one_is_too_short)
{
    val *data = val_map(P);
    val *evs = val_list(P);
    static const int october[] = {10};
    /* One ring, one lane: the widest lane, with room for two lines. */
    val_push(evs, yearly("hyte", "Maakunnallinen hyte-neuvottelu", october, 1, NULL));
    val_set(data, "tapahtumat", evs);
    char *keys, *svg = wheel_keys(data, 0, &keys);
    ck_assert_str_eq(keys, "");
    textm *tm = shipped();
    /* Too long for one line of the arc, so the two halves, whole, each on its own path. */
    ck_assert(textm_width(tm, "Maakunnallinen hyte-neuvottelu", 12.0, false) > 130.0);
    textm_free(tm);
    ck_assert_ptr_nonnull(strstr(svg, "href=\"#vk-ev-0\" startOffset=\"50%\">Maakunnallinen</textPath>"));
    ck_assert_ptr_nonnull(strstr(svg, "href=\"#vk-ev2-0\" startOffset=\"50%\">hyte-neuvottelu</textPath>"));
    free(keys);
    free(svg);
    val_free(data);
}
END_TEST

START_TEST(test_wheel_has_no_text_smaller_than_12_px_and_nothing_cut)
{
    val *data = fixture(true);
    char *keys, *svg = wheel_keys(data, 5, &keys);
    size_t n = 0;
    for (const char *p = svg; (p = strstr(p, "font-size=\"")) != NULL; p++, n++)
        ck_assert_msg(atof(p + strlen("font-size=\"")) >= 12.0, "%.20s", p);
    ck_assert_uint_gt(n, 10);
    ck_assert_ptr_null(strstr(svg, "…"));
    ck_assert_ptr_null(strstr(keys, "…"));
    free(keys);
    free(svg);
    val_free(data);
}
END_TEST

START_TEST(test_wheel_links_events_to_their_forum_or_document_under_root)
{
    val *data = fixture(true);
    char *svg = wheel(data, 0);
    ck_assert_ptr_nonnull(strstr(svg, "<a href=\"../../yhteistyorakenne/pk-2025/hyte-neuvottelu/\" "
                                      "class=\"vk-tapahtuma\"><title>Kuntien neuvottelu"));
    ck_assert_ptr_nonnull(strstr(svg, "<a href=\"../../yhteistyorakenne/pk-2025/valtuusto/\" "
                                      "class=\"vk-tapahtuma\"><title>Talvikokous"));
    ck_assert_ptr_nonnull(strstr(svg, "<a href=\"../../asiakirjat/sopimus/\" "
                                      "class=\"vk-tapahtuma\"><title>Luonnos johtajille"));
    /* No forum and no document: no link. */
    ck_assert_ptr_nonnull(strstr(svg, "<g class=\"vk-tapahtuma\"><title>Perehdytys"));
    ck_assert_uint_eq(count(svg, "<a "), 4);
    free(svg);
    val_free(data);
}
END_TEST

START_TEST(test_wheel_escapes_text_from_the_data)
{
    val *data = fixture(true);
    buf_t b = BUF_INIT;
    buf_t k = BUF_INIT;
    wheel_svg(data, fi(), "vk", "Vuosikello <b>& \"kaikki\"</b>", "../../", 5, NULL, &b, &k);
    ck_assert_ptr_null(strstr(k.len ? k.ptr : "", "<script"));
    buf_free(&k);
    ck_assert_ptr_null(strstr(b.ptr, "<script"));
    ck_assert_ptr_null(strstr(b.ptr, "<b>"));
    ck_assert_ptr_nonnull(strstr(b.ptr, "<title id=\"vk-title\">Vuosikello &lt;b&gt;&amp; &quot;kaikki&quot;&lt;/b&gt;</title>"));
    ck_assert_ptr_nonnull(strstr(b.ptr, HOSTILE_ESC));
    buf_clear(&b);
    wheel_table(data, fi(), NULL, "../../", &b);
    ck_assert_ptr_null(strstr(b.ptr, "<script"));
    ck_assert_ptr_nonnull(strstr(b.ptr, HOSTILE_ESC));
    buf_free(&b);
    val_free(data);
}
END_TEST

START_TEST(test_wheel_ids_are_unique_and_prefixed)
{
    val *data = fixture(true);
    char *svg = wheel(data, 4);
    assert_ids(svg, "vk-");
    free(svg);
    val_free(data);
}
END_TEST

START_TEST(test_wheel_is_an_accessible_image)
{
    val *data = fixture(true);
    char *svg = wheel(data, 0);
    assert_accessible(svg, "vk", "Vuosikello", "group");
    ck_assert_ptr_nonnull(strstr(svg, "<desc id=\"vk-desc\">Vuosikello, jossa on 5 tapahtumaa 4 kehällä "
                                      "(Poliittinen taso, Strateginen taso, Kumppanuus ja Muut), "));
    free(svg);
    val_free(data);

    /* An empty cycle is still a labelled wheel of twelve months. */
    data = val_map(P);
    svg = wheel(data, 0);
    assert_accessible(svg, "vk", "Vuosikello", "group");
    ck_assert_ptr_nonnull(strstr(svg, "jossa on 0 tapahtumaa 0 kehällä,"));
    ck_assert_uint_eq(count(svg, "class=\"vk-kuukausi\""), 12);
    free(svg);
    val_free(data);
}
END_TEST

START_TEST(test_wheel_marks_today_only_when_asked)
{
    val *data = fixture(true);
    for (int today = -1; today <= 13; today++) {
        char *svg = wheel(data, today);
        bool asked = today >= 1 && today <= 12;
        ck_assert_uint_eq(count(svg, "Tänään"), asked ? 1 : 0);
        ck_assert_uint_eq(count(svg, "class=\"vk-tanaan\""), asked ? 1 : 0);
        ck_assert_uint_eq(count(svg, "font-weight=\"700\" fill=\"#1f1f1f\">"), asked ? 1 : 0);
        if (asked) {
            /* The month named in bold is today's. */
            char *bold = xasprintf("font-weight=\"700\" fill=\"#1f1f1f\">%s</text>", months[today - 1]);
            ck_assert_ptr_nonnull(strstr(svg, bold));
            free(bold);
        }
        free(svg);
    }
    val_free(data);
}
END_TEST

START_TEST(test_wheel_renders_the_same_bytes_every_time)
{
    val *data = fixture(true);
    char *a = wheel(data, 3), *b = wheel(data, 3);
    ck_assert_str_eq(a, b);
    /* Numbers with one decimal and no locale: "12.5", never "12,5" or "12.500000". */
    ck_assert_ptr_nonnull(strstr(a, "viewBox=\"0 0 840.0 "));
    ck_assert_ptr_null(strstr(a, "000\""));
    free(a);
    free(b);
    val *other = fixture(false);
    a = wheel(other, 3);
    b = wheel(data, 3);
    ck_assert_str_ne(a, b);
    free(a);
    free(b);
    val_free(other);
    val_free(data);
}
END_TEST

/* The row of month head in a wheel table (pointer to its <td>), or NULL. */
static const char *row(const char *html, const char *head)
{
    char *th = xasprintf("<tr><th scope=\"row\">%s</th><td>", head);
    const char *r = strstr(html, th);
    if (r)
        r += strlen(th);
    free(th);
    return r;
}

static bool row_has(const char *html, const char *head, const char *text)
{
    const char *r = row(html, head);
    if (!r)
        return false;
    const char *end = strstr(r, "</tr>"), *t = strstr(r, text);
    return t && t < end;
}

START_TEST(test_wheel_table_has_a_row_per_month_and_one_for_yearless_events)
{
    val *data = fixture(true);
    buf_t b = BUF_INIT;
    wheel_table(data, fi(), NULL, "../../", &b);
    const char *html = b.ptr;
    const char *head = "<table class=\"vuosikello-taulukko\"><caption>Vuosikello kuukausittain</caption>"
                       "<thead><tr><th scope=\"col\">Kuukausi</th><th scope=\"col\">Tapahtumat</th></tr>"
                       "</thead><tbody>";
    ck_assert(strncmp(html, head, strlen(head)) == 0);
    ck_assert_uint_eq(count(html, "<th scope=\"row\">"), 13);
    const char *last = html;
    for (int m = 0; m < 12; m++) {
        const char *r = row(html, months[m]);
        ck_assert_msg(r && r > last, "row %s out of order", months[m]);
        last = r;
    }
    ck_assert(row(html, "Ei kuukautta") > last);
    /* The same events as on the wheel, in the same months and categories. */
    const char *neuvottelu = "<a href=\"../../yhteistyorakenne/pk-2025/hyte-neuvottelu/\">Kuntien neuvottelu</a> "
                             "(Strateginen taso)</li>";
    for (int m = 0; m < 12; m++)
        ck_assert_int_eq(row_has(html, months[m], neuvottelu), m >= 8 && m <= 10);
    ck_assert(row_has(html, "lokakuu", "<li>Perehdytys (Muut)</li>"));
    ck_assert(row_has(html, "joulukuu", "Talvikokous</a> (Poliittinen taso)"));
    ck_assert(row_has(html, "tammikuu", "Talvikokous</a> (Poliittinen taso)"));
    ck_assert(row_has(html, "maaliskuu", "<a href=\"../../asiakirjat/sopimus/\">Luonnos johtajille</a> (Muut), 17.3.2025</li>"));
    ck_assert(row_has(html, "toukokuu", HOSTILE_ESC "</a> (Kumppanuus), toukokuu 2025</li>"));
    ck_assert(row_has(html, "Ei kuukautta", "<li>Kuntakierros (Muut), 2023–lokakuu 2023</li>"));
    ck_assert(row_has(html, "helmikuu", "ei tapahtumia"));
    ck_assert_uint_eq(count(html, "<li>"), 3 + 1 + 2 + 1 + 1 + 1);
    ck_assert_ptr_nonnull(strstr(html, "</tbody></table>\n"));
    buf_free(&b);
    val_free(data);

    data = fixture(false);
    wheel_table(data, fi(), NULL, "", &b);
    ck_assert_uint_eq(count(b.ptr, "<th scope=\"row\">"), 12);
    ck_assert_ptr_null(strstr(b.ptr, "Ei kuukautta"));
    ck_assert(row_has(b.ptr, "syyskuu", "<a href=\"yhteistyorakenne/pk-2025/hyte-neuvottelu/\">"));
    buf_free(&b);
    val_free(data);
}
END_TEST

START_TEST(test_wheel_palette_has_enough_contrast_and_distinct_dashes)
{
    /* One event in every category, so that every colour is drawn. */
    static const char *const levels[][2] = {
        {"poliittinen", "Poliittinen taso"},     {"strateginen", "Strateginen taso"},
        {"johto", "Johdon taso"},                {"operatiivinen", "Operatiivinen taso"},
        {"asiantuntijaverkosto", "Asiantuntijaverkostot"}, {"kumppanuus", "Kumppanuus"},
    };
    val *data = val_map(P);
    val *evs = val_list(P);
    for (int i = 0; i < 7; i++) {
        int m[] = {i + 1};
        val_push(evs, yearly("e", "Tapahtuma", m, 1, i < 6 ? forum("f/", levels[i][0], levels[i][1]) : NULL));
    }
    val_set(data, "tapahtumat", evs);
    char *svg = wheel(data, 0);

    /* Event arcs: graphics ≥ 3:1 on white, and their white labels ≥ 4.5:1. */
    char fills[7][16];
    size_t n = 0;
    for (const char *p = svg; (p = strstr(p, "class=\"vk-kaari\"")) != NULL; p++) {
        ck_assert_uint_lt(n, 7);
        ck_assert(attr_of(svg, p, "fill", fills[n], sizeof fills[n]));
        for (size_t k = 0; k < n; k++)
            ck_assert_str_ne(fills[k], fills[n]);
        ck_assert_msg(contrast(fills[n], "#ffffff") >= 3.0, "%s on white", fills[n]);
        n++;
    }
    ck_assert_uint_eq(n, 7);
    for (const char *p = svg; (p = strstr(p, "class=\"vk-nimi\"")) != NULL; p++) {
        char fg[16], bg[16];
        ck_assert(attr_of(svg, p, "fill", fg, sizeof fg));
        /* The arc this label sits on is the last one before it. */
        const char *arc = p;
        while (strncmp(arc, "class=\"vk-kaari\"", 16) != 0)
            arc--;
        ck_assert(attr_of(svg, arc, "fill", bg, sizeof bg));
        ck_assert_msg(contrast(fg, bg) >= 4.5, "label %s on %s: %.2f", fg, bg, contrast(fg, bg));
    }

    /* Ring tracks: the edge ≥ 3:1 on the tint, the ring's name ≥ 4.5:1 on it,
     * and each ring's edge has a dash of its own. */
    char dashes[7][32];
    n = 0;
    for (const char *p = svg; (p = strstr(p, "<g class=\"vk-keha\"><circle")) != NULL; p++) {
        char tint[16], edge[16];
        const char *c1 = strstr(p, "<circle"), *c2 = strstr(c1 + 1, "<circle");
        ck_assert(attr_of(svg, c1 + 1, "stroke", tint, sizeof tint));
        ck_assert(attr_of(svg, c2 + 1, "stroke", edge, sizeof edge));
        ck_assert_msg(contrast(edge, tint) >= 3.0, "edge %s on %s", edge, tint);
        ck_assert_msg(contrast("#1f1f1f", tint) >= 4.5, "name on %s", tint);
        if (!attr_of(svg, c2 + 1, "stroke-dasharray", dashes[n], sizeof dashes[n]))
            strcpy(dashes[n], "solid");
        for (size_t k = 0; k < n; k++)
            ck_assert_str_ne(dashes[k], dashes[n]);
        n++;
    }
    ck_assert_uint_eq(n, 7);
    ck_assert_uint_eq(count(svg, "class=\"vk-kehan-nimi\" font-size=\"12\" font-weight=\"700\" fill=\"#1f1f1f\" stroke=\"#"), 7);
    free(svg);
    val_free(data);
}
END_TEST

START_TEST(test_timeline_spans_the_years_of_all_milestones)
{
    val *data = fixture(true);
    buf_t b = BUF_INIT;
    timeline_svg(data, fi(), "aj", "Aikajana", NULL, &b);
    assert_accessible(b.ptr, "aj", "Aikajana", "img");
    assert_ids(b.ptr, "aj-");
    ck_assert_ptr_nonnull(strstr(b.ptr, "<desc id=\"aj-desc\">Aikajana vuosilta 2023–2029: 3 virstanpylvästä, "
                                        "joista 2 on jaksoja ja 1 yksittäinen ajankohta.</desc>"));
    ck_assert_uint_eq(count(b.ptr, "class=\"aj-vuosi\""), 7);
    const char *p = b.ptr;
    for (int y = 2023; y <= 2029; y++) {
        char *label = xasprintf(">%d</text>", y);
        p = strstr(p, label);
        ck_assert_msg(p != NULL, "year %d missing or out of order", y);
        free(label);
    }
    buf_free(&b);
    val_free(data);
}
END_TEST

START_TEST(test_timeline_draws_spans_as_bars_and_dates_as_diamonds_on_separate_lanes)
{
    val *data = fixture(true);
    buf_t b = BUF_INIT;
    timeline_svg(data, fi(), "aj", "Aikajana", NULL, &b);
    ck_assert_uint_eq(count(b.ptr, "<g class=\"aj-jakso\">"), 2);
    ck_assert_uint_eq(count(b.ptr, "<g class=\"aj-ajankohta\">"), 1);
    ck_assert_ptr_nonnull(strstr(b.ptr, "<g class=\"aj-jakso\"><title>Suunnittelu (2023–2024)</title><rect "));
    ck_assert_ptr_nonnull(strstr(b.ptr, "<g class=\"aj-ajankohta\"><title>Vaalit (2025)</title><path "));
    /* 2023–2024 takes two of seven years of the 780 units between the margins. */
    const char *bar = strstr(b.ptr, "<title>Suunnittelu");
    char x[16], w[16];
    ck_assert(attr_of(b.ptr, strstr(bar, "<rect") + 1, "x", x, sizeof x));
    ck_assert(attr_of(b.ptr, strstr(bar, "<rect") + 1, "width", w, sizeof w));
    ck_assert_str_eq(x, "30.0");
    ck_assert_str_eq(w, "222.9");

    /* Labels of items on the same lane (same y) do not overlap. */
    struct { double y, lo, hi; } lab[3];
    size_t n = 0;
    for (const char *p = b.ptr; (p = strstr(p, "</title><")) != NULL; p++) {
        const char *t = strstr(p, "<text");
        char tx[16], ty[16], name[64];
        ck_assert(attr_of(b.ptr, t + 1, "x", tx, sizeof tx));
        ck_assert(attr_of(b.ptr, t + 1, "y", ty, sizeof ty));
        text_after(t, name, sizeof name);
        lab[n].y = atof(ty);
        lab[n].lo = atof(tx);
        lab[n].hi = lab[n].lo + strlen(name) * 13 * 0.6;
        for (size_t k = 0; k < n; k++)
            ck_assert(lab[k].y != lab[n].y || lab[k].hi < lab[n].lo || lab[n].hi < lab[k].lo);
        n++;
    }
    ck_assert_uint_eq(n, 3);
    buf_free(&b);
    val_free(data);

    data = val_map(P);
    timeline_svg(data, fi(), "aj", "Aikajana", NULL, &b);
    assert_accessible(b.ptr, "aj", "Aikajana", "img");
    buf_free(&b);
    val_free(data);
}
END_TEST

START_TEST(test_timeline_wraps_a_long_name_and_never_cuts_it)
{
    val *data = val_map(P);
    val *ms = val_list(P);
    const char *longname = "Hyvinvointikertomus ja uuden suunnitelman valmistelu päättyvän valtuuston aikana, "
                           "lausuntokierros kunnissa ja järjestöissä sekä päätöksenteko aluevaltuustossa";
    val_push(ms, milestone("pitka", longname, "2024", "2025", NULL));
    val_set(data, "virstanpylvaat", ms);
    buf_t b = BUF_INIT;
    textm *tm = shipped();
    ck_assert(textm_width(tm, longname, 13.0, false) > 780.0);
    timeline_svg(data, fi(), "aj", "Aikajana", tm, &b);
    textm_free(tm);
    ck_assert_ptr_null(strstr(b.ptr, "…"));
    /* Two lines, every word kept, no line wider than the timeline. */
    ck_assert_uint_eq(count(b.ptr, "<tspan "), 2);
    ck_assert_ptr_nonnull(strstr(b.ptr, "dy=\"0.0\">Hyvinvointikertomus ja "));
    ck_assert_ptr_nonnull(strstr(b.ptr, "päätöksenteko aluevaltuustossa</tspan></text>"));
    buf_free(&b);
    val_free(data);
}
END_TEST

START_TEST(test_timeline_list_orders_milestones_by_start)
{
    val *data = fixture(true);
    val_push(val_get(data, "virstanpylvaat"), milestone("uusi", "Uusi <valtuusto>", "2025", NULL, "Hyväksyy."));
    buf_t b = BUF_INIT;
    timeline_list(data, &b);
    const char *expected = "<ol class=\"aikajana\">\n"
                           "<li><strong>2023–2024</strong> Suunnittelu. Tiedonkeruu ja työpajat.</li>\n"
                           "<li><strong>2025–2029</strong> Valtuustokausi. Neljä vuotta.</li>\n"
                           "<li><strong>2025</strong> Vaalit</li>\n"
                           "<li><strong>2025</strong> Uusi &lt;valtuusto&gt;. Hyväksyy.</li>\n"
                           "</ol>\n";
    ck_assert_str_eq(b.ptr, expected);
    buf_free(&b);
    val_free(data);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("wheel");
    TCase *tc = tcase_create("wheel");
    tcase_add_test(tc, test_wheel_names_twelve_months_clockwise_from_tammikuu);
    tcase_add_test(tc, test_wheel_labels_each_ring_present_in_the_data_once);
    tcase_add_test(tc, test_wheel_draws_each_event_as_one_arc_per_run_of_months);
    tcase_add_test(tc, test_wheel_gives_a_long_name_a_key_and_lists_it_in_full);
    tcase_add_test(tc, test_wheel_writes_a_name_whole_on_two_lines_when_one_is_too_short);
    tcase_add_test(tc, test_wheel_has_no_text_smaller_than_12_px_and_nothing_cut);
    tcase_add_test(tc, test_timeline_wraps_a_long_name_and_never_cuts_it);
    tcase_add_test(tc, test_wheel_links_events_to_their_forum_or_document_under_root);
    tcase_add_test(tc, test_wheel_escapes_text_from_the_data);
    tcase_add_test(tc, test_wheel_ids_are_unique_and_prefixed);
    tcase_add_test(tc, test_wheel_is_an_accessible_image);
    tcase_add_test(tc, test_wheel_marks_today_only_when_asked);
    tcase_add_test(tc, test_wheel_renders_the_same_bytes_every_time);
    tcase_add_test(tc, test_wheel_table_has_a_row_per_month_and_one_for_yearless_events);
    tcase_add_test(tc, test_wheel_palette_has_enough_contrast_and_distinct_dashes);
    tcase_add_test(tc, test_timeline_spans_the_years_of_all_milestones);
    tcase_add_test(tc, test_timeline_draws_spans_as_bars_and_dates_as_diamonds_on_separate_lanes);
    tcase_add_test(tc, test_timeline_list_orders_milestones_by_start);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
