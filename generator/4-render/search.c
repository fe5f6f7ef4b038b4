/* search: the search index — page HTML stripped to text, words stemmed with the Finnish Snowball
 * stemmer, written as JSON for haku.js. */
#include "search.h"

#include <assert.h>
#include <libstemmer.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/hash.h"
#include "../0-base/par.h"
#include "../0-base/json.h"
#include "../0-base/strmap.h"
#include "../0-base/utf8.h"
#include "../0-base/xmem.h"

/* Characters of plain text kept per page for the script's snippets. */
#define SEARCH_TEXT_MAX 5000
/* Longer runs of letters are not words a person searches for (hashes, long
 * URLs without separators); they are left out of the index. */
#define SEARCH_WORD_MAX 40
/* What utf8_next decodes from a malformed byte. */
#define CP_BAD UTF8_BAD

typedef struct {
    char *stem;
    unsigned *pages; /* ascending, no duplicates */
    size_t n, cap;
} stem_entry;

typedef struct {
    char *url, *title, *section, *text;
} search_page;

struct search_index {
    struct sb_stemmer *stemmer; /* libstemmer objects are not thread-safe: one per index */
    search_page *pages;
    size_t n_pages, cap_pages;
    stem_entry **stems; /* in order of first appearance; sorted only when written */
    size_t n_stems, cap_stems;
    strmap *by_stem; /* stem -> stem_entry */
    strmap *by_word; /* lower-cased word -> stem_entry, so each distinct word is stemmed once */
    buf_t word;      /* scratch for the word being read */
};

/* {====== UTF-8 ====== */

static void utf8_put(buf_t *out, uint32_t cp)
{
    char b[4];
    buf_put(out, b, utf8_encode(cp, b));
}

/* Whether cp belongs to a word. ASCII letters and digits do, and so does
 * everything beyond ASCII except the punctuation, symbol and space blocks:
 * treating every non-ASCII character as a letter would glue "a – b" or
 * ”hyte” into one word. haku.js has the same function (isLetter). */
static bool is_letter(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    if (cp <= 0xBF) /* C1 controls, no-break space, § « » ° ² soft hyphen ... */
        return false;
    if (cp == 0xD7 || cp == 0xF7) /* × ÷ */
        return false;
    if (cp >= 0x2000 && cp <= 0x2BFF) /* punctuation, currency, arrows, math, shapes */
        return false;
    if (cp >= 0x2E00 && cp <= 0x2E7F) /* supplemental punctuation */
        return false;
    if (cp >= 0x3000 && cp <= 0x303F) /* CJK punctuation */
        return false;
    /* variation selectors, BOM, specials (U+FFFD) */
    if ((cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || (cp >= 0xFFF0 && cp <= 0xFFFF))
        return false;
    if (cp >= 0x1F000 && cp <= 0x1FAFF) /* emoji */
        return false;
    return cp <= 0x10FFFF;
}

/* The lower case of cp for the scripts a Finnish handbook meets: ASCII,
 * Latin-1 (Ä Ö Å É), Latin Extended-A (Š Ž), Greek and Cyrillic capitals.
 * Matches String.prototype.toLowerCase, which haku.js uses, on these. */
static uint32_t to_lower(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp < 0xC0)
        return cp;
    if (cp <= 0xDE)
        return cp == 0xD7 ? cp : cp + 32;
    if (cp >= 0x100 && cp <= 0x137)
        return cp | 1;
    if (cp >= 0x139 && cp <= 0x148 && (cp & 1))
        return cp + 1;
    if (cp >= 0x14A && cp <= 0x177)
        return cp | 1;
    if (cp == 0x178)
        return 0xFF;
    if (cp >= 0x179 && cp <= 0x17E && (cp & 1))
        return cp + 1;
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2)
        return cp + 32;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 32;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 80;
    return cp;
}

/* }====== */

/* {====== HTML to text ====== */

typedef struct {
    buf_t *out;
    size_t start;
    bool space; /* whitespace seen since the last character written */
} text_writer;

static void text_put(text_writer *t, const char *s, size_t n)
{
    if (t->space && t->out->len > t->start)
        buf_putc(t->out, ' ');
    t->space = false;
    buf_put(t->out, s, n);
}

static void text_put_cp(text_writer *t, uint32_t cp)
{
    if (cp <= 0x20 || cp == 0x7F || cp == 0xA0) {
        t->space = true;
        return;
    }
    char b[4];
    text_put(t, b, utf8_encode(cp, b));
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static unsigned char ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Case-insensitive search for the ASCII needle in s[from, n). */
static size_t find_ci(const char *s, size_t n, size_t from, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = from; i + k <= n; i++) {
        size_t j = 0;
        while (j < k && ascii_lower((unsigned char)s[i + j]) == (unsigned char)needle[j])
            j++;
        if (j == k)
            return i;
    }
    return n;
}

/* The decoded entity at s[i] == '&' written to t; returns the index after it,
 * or i + 1 after writing a plain '&' when it is not one we know. */
static size_t decode_entity(text_writer *t, const char *s, size_t n, size_t i)
{
    static const struct {
        const char *name;
        uint32_t cp;
    } named[] = {{"amp", '&'},  {"lt", '<'},    {"gt", '>'},
                 {"quot", '"'}, {"apos", '\''}, {"nbsp", 0xA0}};
    size_t end = i + 1;
    while (end < n && end - i <= 32 && s[end] != ';' && s[end] != '&' &&
           !is_space((unsigned char)s[end]))
        end++;
    if (end >= n || s[end] != ';') {
        text_put(t, "&", 1);
        return i + 1;
    }
    const char *name = s + i + 1;
    size_t len = end - i - 1;
    if (len >= 2 && name[0] == '#') {
        bool hex = name[1] == 'x' || name[1] == 'X';
        size_t d = hex ? 2 : 1;
        uint32_t v = 0;
        bool ok = d < len;
        for (; ok && d < len; d++) {
            unsigned char c = (unsigned char)name[d];
            unsigned digit;
            if (c >= '0' && c <= '9')
                digit = c - '0';
            else if (hex && ascii_lower(c) >= 'a' && ascii_lower(c) <= 'f')
                digit = ascii_lower(c) - 'a' + 10;
            else {
                ok = false;
                break;
            }
            v = v * (hex ? 16 : 10) + digit;
            if (v > 0x10FFFF)
                v = 0x110000; /* stays out of range without overflowing */
        }
        if (!ok) {
            text_put(t, "&", 1);
            return i + 1;
        }
        /* As HTML does: NUL, surrogates and the out-of-range become U+FFFD. */
        if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            v = 0xFFFD;
        text_put_cp(t, v);
        return end + 1;
    }
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++)
        if (strlen(named[k].name) == len && !memcmp(named[k].name, name, len)) {
            text_put_cp(t, named[k].cp);
            return end + 1;
        }
    text_put(t, "&", 1);
    return i + 1;
}

/* Tags inside a line of text: they do not separate words ("<em>hyvin</em>vointi"
 * is one word), every other tag does ("<td>1</td><td>2</td>" is two). */
static bool is_inline_tag(const char *name, size_t len)
{
    static const char *const inl[] = {"a",    "abbr", "b",    "bdi",  "bdo",   "cite", "code",
                                      "data", "del",  "dfn",  "em",   "i",     "ins",  "kbd",
                                      "mark", "q",    "s",    "samp", "small", "span", "strong",
                                      "sub",  "sup",  "time", "u",    "var",   "wbr",  "tspan"};
    if (len == 0 || len > 6)
        return false;
    for (size_t k = 0; k < sizeof inl / sizeof inl[0]; k++)
        if (inl[k][0] == name[0] && strlen(inl[k]) == len && !memcmp(inl[k], name, len))
            return true;
    return false;
}

/* Tags whose content is not text to search: scripts and styles; <svg>,
 * because every diagram comes with its content as text next to it ("Kaavion
 * sisältö tekstinä") and the SVG would only repeat it, cut into labels and
 * mixed with Graphviz node ids ("t:ek-kunnat"); and <title>, which is not
 * part of the page text either. */
static bool is_skipped_tag(const char *name, size_t len)
{
    static const char *const skipped[] = {"script", "style", "svg", "title"};
    for (size_t k = 0; k < sizeof skipped / sizeof skipped[0]; k++)
        if (strlen(skipped[k]) == len && !memcmp(skipped[k], name, len))
            return true;
    return false;
}

/* Plain text of html appended to out: tags removed, entities decoded,
 * whitespace collapsed to single spaces, no space at either end. */
static void html_to_text(const char *s, size_t n, buf_t *out)
{
    text_writer t = {.out = out, .start = out->len};
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == '<') {
            if (i + 3 < n && !memcmp(s + i, "<!--", 4)) {
                size_t e = i + 4;
                while (e + 3 <= n && memcmp(s + e, "-->", 3))
                    e++;
                i = e + 3 <= n ? e + 3 : n;
                continue;
            }
            bool closing = i + 1 < n && s[i + 1] == '/';
            size_t name_at = i + 1 + closing;
            if (name_at < n &&
                (is_alpha((unsigned char)s[name_at]) || s[name_at] == '!' || s[name_at] == '?')) {
                char name[16];
                size_t len = 0;
                size_t j = name_at;
                while (j < n && (is_alpha((unsigned char)s[j]) || (s[j] >= '0' && s[j] <= '9'))) {
                    if (len < sizeof name)
                        name[len] = (char)ascii_lower((unsigned char)s[j]);
                    len++;
                    j++;
                }
                if (len > sizeof name)
                    len = 0; /* no tag we know has so long a name */
                /* The end of the tag: a '>' outside quoted attribute values. */
                char quote = 0;
                bool self_closing = false;
                for (; j < n; j++) {
                    if (quote) {
                        if (s[j] == quote)
                            quote = 0;
                    } else if (s[j] == '"' || s[j] == '\'') {
                        quote = s[j];
                    } else if (s[j] == '>') {
                        self_closing = j > 0 && s[j - 1] == '/';
                        break;
                    }
                }
                i = j < n ? j + 1 : n;
                if (!closing && !self_closing && is_skipped_tag(name, len)) {
                    char close[10] = "</";
                    memcpy(close + 2, name, len);
                    close[2 + len] = '\0';
                    size_t e = find_ci(s, n, i, close);
                    while (e < n && s[e] != '>')
                        e++;
                    i = e < n ? e + 1 : n;
                }
                if (!is_inline_tag(name, len))
                    t.space = true;
                continue;
            }
        } else if (c == '&') {
            i = decode_entity(&t, s, n, i);
            continue;
        } else if (is_space(c)) {
            t.space = true;
            i++;
            continue;
        } else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
            t.space = true; /* a literal no-break space */
            i += 2;
            continue;
        } else if (c < 0x20 || c == 0x7F) {
            t.space = true;
            i++;
            continue;
        }
        /* Plain text: copy up to the next byte that needs a look. */
        size_t e = i + 1;
        while (e < n) {
            unsigned char d = (unsigned char)s[e];
            if (d == '<' || d == '&' || d <= 0x20 || d == 0x7F || d == 0xC2)
                break;
            e++;
        }
        text_put(&t, s + i, e - i);
        i = e;
    }
}

/* }====== */

/* {====== Index ====== */

search_index *search_index_new(void)
{
    search_index *ix = xcalloc(1, sizeof *ix);
    ix->stemmer = sb_stemmer_new("finnish", "UTF_8");
    if (!ix->stemmer) {
        fputs("kasikirja: libstemmer has no Finnish stemmer (or is out of memory)\n", stderr);
        abort();
    }
    ix->by_stem = strmap_new();
    ix->by_word = strmap_new();
    return ix;
}

void search_index_free(search_index *ix)
{
    if (!ix)
        return;
    for (size_t i = 0; i < ix->n_pages; i++) {
        search_page *p = &ix->pages[i];
        free(p->url);
        free(p->title);
        free(p->section);
        free(p->text);
    }
    free(ix->pages);
    for (size_t i = 0; i < ix->n_stems; i++) {
        free(ix->stems[i]->stem);
        free(ix->stems[i]->pages);
        free(ix->stems[i]);
    }
    free(ix->stems);
    strmap_free(ix->by_stem);
    strmap_free(ix->by_word);
    buf_free(&ix->word);
    sb_stemmer_delete(ix->stemmer);
    free(ix);
}

void search_stem(search_index *ix, const char *word, buf_t *out)
{
    const sb_symbol *r = sb_stemmer_stem(ix->stemmer, (const sb_symbol *)word, (int)strlen(word));
    if (!r) {
        fputs("kasikirja: out of memory\n", stderr);
        abort();
    }
    int len = sb_stemmer_length(ix->stemmer);
    if (len > 0)
        buf_put(out, (const char *)r, (size_t)len);
    else
        buf_puts(out, word); /* never seen, but a word must not vanish */
}

/* Records that the lower-cased word in ix->word occurs on page. */
static void add_word(search_index *ix, unsigned page)
{
    const char *word = buf_cstr(&ix->word);
    stem_entry *e = strmap_get(ix->by_word, word);
    if (!e) {
        buf_t stem = BUF_INIT;
        search_stem(ix, word, &stem);
        e = strmap_get(ix->by_stem, buf_cstr(&stem));
        if (!e) {
            e = xcalloc(1, sizeof *e);
            e->stem = buf_detach(&stem);
            strmap_add(ix->by_stem, e->stem, e);
            if (ix->n_stems == ix->cap_stems) {
                ix->cap_stems = ix->cap_stems ? ix->cap_stems * 2 : 256;
                ix->stems = xrealloc(ix->stems, ix->cap_stems * sizeof *ix->stems);
            }
            ix->stems[ix->n_stems++] = e;
        }
        buf_free(&stem);
        strmap_add(ix->by_word, word, e);
    }
    /* Pages are indexed one at a time in increasing order, so a page already
     * listed is the last one: the list stays sorted and free of repeats. */
    if (e->n && e->pages[e->n - 1] == page)
        return;
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 4;
        e->pages = xrealloc(e->pages, e->cap * sizeof *e->pages);
    }
    e->pages[e->n++] = page;
}

/* Splits text into words (maximal runs of letters, lower-cased) and indexes
 * each one under page. */
static void index_words(search_index *ix, const char *text, size_t n, unsigned page)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t letters = 0;
    buf_clear(&ix->word);
    for (size_t i = 0; i <= n;) {
        uint32_t cp = ' ';
        size_t k = i < n ? utf8_next(s + i, n - i, &cp) : 1;
        if (i < n && is_letter(cp)) {
            if (++letters <= SEARCH_WORD_MAX)
                utf8_put(&ix->word, to_lower(cp));
        } else if (letters) {
            if (letters <= SEARCH_WORD_MAX)
                add_word(ix, page);
            letters = 0;
            buf_clear(&ix->word);
        }
        i += k;
    }
}

void search_page_text(const char *html, size_t len, buf_t *out) { html_to_text(html, len, out); }

void search_index_add_text(search_index *ix, const char *url, const char *title, const char *section,
                           const char *text, size_t len)
{
    if (ix->n_pages == ix->cap_pages) {
        ix->cap_pages = ix->cap_pages ? ix->cap_pages * 2 : 64;
        ix->pages = xrealloc(ix->pages, ix->cap_pages * sizeof *ix->pages);
    }
    unsigned page = (unsigned)ix->n_pages++;
    search_page *p = &ix->pages[page];
    p->url = xstrdup(url ? url : "");
    p->title = xstrdup(title ? title : "");
    p->section = section ? xstrdup(section) : NULL;
    if (!text)
        text = "", len = 0;
    /* The title is searchable too: page content does not repeat its <h1>. */
    index_words(ix, p->title, strlen(p->title), page);
    index_words(ix, text, len, page);

    /* Keep the first SEARCH_TEXT_MAX characters, never cutting one in two. */
    size_t cut = 0;
    for (size_t chars = 0; cut < len && chars < SEARCH_TEXT_MAX; chars++) {
        uint32_t cp;
        cut += utf8_next((const unsigned char *)text + cut, len - cut, &cp);
    }
    p->text = xstrndup(text, cut);
}

void search_index_add(search_index *ix, const char *url, const char *title, const char *section,
                      const char *html)
{
    buf_t text = BUF_INIT;
    if (html)
        html_to_text(html, strlen(html), &text);
    search_index_add_text(ix, url, title, section, text.ptr, text.len);
    buf_free(&text);
}

/* }====== */

/* {====== JSON ====== */

/* str as a JSON string (base/json). */
static void json_str(buf_t *out, const char *str) { json_put_string(out, str, strlen(str)); }

static void json_uint(buf_t *out, unsigned v)
{
    char b[16];
    size_t i = sizeof b;
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    buf_put(out, b + i, sizeof b - i);
}

static int cmp_stem(const void *a, const void *b)
{
    /* strcmp compares as unsigned char: byte order, which for UTF-8 is code point order. */
    return strcmp((*(stem_entry *const *)a)->stem, (*(stem_entry *const *)b)->stem);
}

void search_index_json(const search_index *ix, buf_t *out)
{
    buf_puts(out, "{\"sivut\":[");
    for (size_t i = 0; i < ix->n_pages; i++) {
        const search_page *p = &ix->pages[i];
        buf_puts(out, i ? ",\n{\"u\":" : "\n{\"u\":");
        json_str(out, p->url);
        buf_puts(out, ",\"t\":");
        json_str(out, p->title);
        buf_puts(out, ",\"o\":");
        json_str(out, p->section ? p->section : "");
        buf_puts(out, ",\"x\":");
        json_str(out, p->text);
        buf_putc(out, '}');
    }
    buf_puts(out, "\n],\n\"sanat\":{");

    stem_entry **sorted = xmalloc((ix->n_stems ? ix->n_stems : 1) * sizeof *sorted);
    if (ix->n_stems)
        memcpy(sorted, ix->stems, ix->n_stems * sizeof *sorted);
    qsort(sorted, ix->n_stems, sizeof *sorted, cmp_stem);
    for (size_t i = 0; i < ix->n_stems; i++) {
        const stem_entry *e = sorted[i];
        buf_puts(out, i ? ",\n" : "\n");
        json_str(out, e->stem);
        buf_puts(out, ":[");
        for (size_t k = 0; k < e->n; k++) {
            if (k)
                buf_putc(out, ',');
            json_uint(out, e->pages[k]);
        }
        buf_putc(out, ']');
    }
    free(sorted);
    buf_puts(out, "\n}}\n");
}

/* }====== */

/* {====== Shards ====== */

char *search_shard_path(const char *section_url)
{
    uint64_t h = hash_str(HASH_SEED, section_url ? section_url : "");
    return xasprintf("hakuhakemisto/%016llx.json", (unsigned long long)h);
}

void search_manifest_json(const char *const *paths, size_t n, buf_t *out)
{
    buf_puts(out, "{\"osat\":[");
    for (size_t i = 0; i < n; i++) {
        buf_puts(out, i ? ",\n" : "\n");
        json_str(out, paths[i]);
    }
    buf_puts(out, "\n]}\n");
}

/* } */

/* {====== Shards, one per top-level section ====== */

/* A page's entry in its shard; text is owned when own is set. */
typedef struct {
    const page *p;
    const page *top;
    char *text;
    size_t len;
    bool own;
} shard_page;

typedef struct {
    char *path;
    shard_page *pages;
    size_t n, cap;
    buf_t json;
} search_shard;

struct search_shards {
    strmap *by_top; /* top page URL -> index in all, + 1 (0 is "none yet") */
    search_shard *all;
    size_t n, cap;
};

search_shards *search_shards_new(void)
{
    search_shards *ss = xcalloc(1, sizeof *ss);
    ss->by_top = strmap_new();
    return ss;
}

void search_shards_free(search_shards *ss)
{
    if (!ss)
        return;
    for (size_t i = 0; i < ss->n; i++) {
        for (size_t k = 0; k < ss->all[i].n; k++)
            if (ss->all[i].pages[k].own)
                free(ss->all[i].pages[k].text);
        free(ss->all[i].pages);
        free(ss->all[i].path);
        buf_free(&ss->all[i].json);
    }
    free(ss->all);
    strmap_free(ss->by_top);
    free(ss);
}

void search_shards_add(search_shards *ss, const site *s, const page *p, char *text, size_t len, bool own)
{
    size_t no, pages;
    if (page_list(p, &no, &pages) && no > 1) { /* a list's page 2, 3, …: its section is indexed */
        if (own)
            free(text);
        return;
    }
    const page *top = site_top_of(s, p);
    uintptr_t at = (uintptr_t)strmap_get(ss->by_top, page_url(top));
    if (!at) {
        if (ss->n == ss->cap) {
            ss->cap = ss->cap ? ss->cap * 2 : 16;
            ss->all = xrealloc(ss->all, ss->cap * sizeof(search_shard));
        }
        ss->all[ss->n] = (search_shard){.path = search_shard_path(page_url(top)), .json = BUF_INIT};
        strmap_add(ss->by_top, page_url(top), (void *)(uintptr_t)(ss->n + 1));
        at = ++ss->n;
    }
    search_shard *sh = &ss->all[at - 1];
    if (sh->n == sh->cap) {
        sh->cap = sh->cap ? sh->cap * 2 : 16;
        sh->pages = xrealloc(sh->pages, sh->cap * sizeof(shard_page));
    }
    sh->pages[sh->n++] = (shard_page){.p = p, .top = top, .text = text, .len = len, .own = own};
}

/* par_for: indexes shard i's pages in page order into its JSON. */
static void shard_index(void *ud, size_t i)
{
    search_shards *ss = ud;
    search_shard *sh = &ss->all[i];
    search_index *ix = search_index_new();
    for (size_t k = 0; k < sh->n; k++) {
        shard_page *e = &sh->pages[k];
        search_index_add_text(ix, page_url(e->p), page_title(e->p), e->top != e->p ? page_title(e->top) : NULL,
                              e->text ? e->text : "", e->len);
        if (e->own)
            free(e->text);
        e->text = NULL;
    }
    buf_clear(&sh->json);
    search_index_json(ix, &sh->json);
    search_index_free(ix);
}

void search_shards_index(search_shards *ss)
{
    par_for(0, ss->n, par_threads(), shard_index, ss);
}

size_t search_shards_count(const search_shards *ss)
{
    return ss->n;
}

const char *search_shards_at(const search_shards *ss, size_t i, const buf_t **json)
{
    assert(i < ss->n);
    *json = &ss->all[i].json;
    return ss->all[i].path;
}

void search_shards_manifest(const search_shards *ss, buf_t *out)
{
    const char **paths = xcalloc(ss->n + 1, sizeof(char *));
    for (size_t i = 0; i < ss->n; i++)
        paths[i] = ss->all[i].path;
    search_manifest_json(paths, ss->n, out);
    free(paths);
}

/* } */
