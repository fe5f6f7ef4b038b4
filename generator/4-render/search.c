/* search: the search index of one language — page HTML stripped to text, words stemmed with that
 * language's Snowball stemmer, written as JSON for haku.js. */
#include "search.h"

#include <assert.h>
#include <libstemmer.h>
#include <pthread.h>
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

/* What utf8_next decodes from a malformed byte. */
#define CP_BAD UTF8_BAD

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

/* The value of the id attribute in the tag's attributes s[0, n), when it
 * is there, not empty and free of control characters and quotes. */
static bool tag_id(const char *s, size_t n, size_t *at, size_t *len)
{
    for (size_t i = 0; i + 4 <= n; i++) {
        if (!is_space((unsigned char)s[i]) || ascii_lower((unsigned char)s[i + 1]) != 'i' ||
            ascii_lower((unsigned char)s[i + 2]) != 'd' || s[i + 3] != '=')
            continue;
        size_t v = i + 4;
        char q = v < n && (s[v] == '"' || s[v] == '\'') ? s[v++] : 0;
        size_t e = v;
        while (e < n && (q ? s[e] != q : !is_space((unsigned char)s[e]) && s[e] != '>' && s[e] != '/'))
            e++;
        if (e == v)
            return false;
        for (size_t k = v; k < e; k++)
            if ((unsigned char)s[k] < 0x20 || s[k] == 0x7F || s[k] == '"' || s[k] == '\'' || s[k] == '&')
                return false;
        *at = v;
        *len = e - v;
        return true;
    }
    return false;
}

/* Plain text of html appended to out: tags removed, entities decoded,
 * whitespace collapsed to single spaces, no space at either end; a heading
 * with an id marked as search.h says. */
static void html_to_text(const char *s, size_t n, buf_t *out)
{
    text_writer t = {.out = out, .start = out->len};
    char heading = 0; /* the level of the heading being read, '1'..'6' */
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
                size_t attrs = name_at + len, attrs_end = j;
                i = j < n ? j + 1 : n;
                bool is_h = len == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6';
                size_t id_at, id_len;
                if (is_h && !closing && !heading && tag_id(s + attrs, attrs_end - attrs, &id_at, &id_len)) {
                    buf_putc(out, SEARCH_SEC);
                    buf_put(out, s + attrs + id_at, id_len);
                    buf_putc(out, SEARCH_HEAD);
                    t.space = false;
                    heading = name[1];
                    continue;
                }
                if (is_h && closing && heading == name[1]) {
                    buf_putc(out, SEARCH_BODY);
                    t.space = false;
                    heading = 0;
                    continue;
                }
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

/* {====== Stemming, on any thread ====== */

/* A stemmer and the stems it has made (libstemmer objects are not
 * thread-safe: a thread takes one from the index's pool while it works). */
typedef struct stemmer_slot {
    struct sb_stemmer *st;
    strmap *memo; /* lower-cased word -> its stem (in stems) */
    char **stems;
    size_t n, cap;
    struct stemmer_slot *next;     /* in the pool */
    struct stemmer_slot *all_next; /* every slot made */
} stemmer_slot;

/* Words remembered per stemmer: beyond this they are stemmed each time. */
#define STEM_MEMO_MAX 200000

/* A stem's postings: pages ascending, each with its code (search.h), encoded
 * as they come (the page's distance from the one before, then the code): a
 * large site's index is held in its final, compact form. */
typedef struct {
    char *stem;
    buf_t post;
    uint32_t last; /* the page of the last posting */
    char *enc; /* the postings encoded, from search_index_finish until its chunk has them */
    size_t enc_len;
} stem_entry;

static void put_number(buf_t *out, uint32_t v);

typedef struct {
    char *path;
    buf_t json;
} search_chunk;

typedef struct {
    char *stem;
    unsigned tf, flags;
} doc_term;

struct search_doc {
    doc_term *terms;
    size_t n, cap;
    unsigned words; /* every word of the page, for its length class */
    buf_t frag;     /* its fragment, made on the page's thread (search_doc_fragment), or empty */
};

struct search_index {
    char *lang;   /* the stemmer's language ("fi") */
    bool stemmed; /* libstemmer has a stemmer for it: else words are kept whole */
    char *prefix; /* the files' folder from the site root ("" or "sv/") */
    pthread_mutex_t lock; /* the pool */
    stemmer_slot *pool, *all;
    stem_entry **stems; /* in order of first appearance; sorted by search_index_finish */
    size_t n_stems, cap_stems;
    strmap *by_stem; /* stem -> stem_entry */
    size_t n_pages;
    uint64_t words;    /* of every page, for the average */
    uint64_t fragments; /* a hash of every fragment, in page order: the fragments' version */
    search_chunk *chunks;
    size_t n_chunks, cap_chunks;
    char **keys; /* chunk i's first key */
};

search_index *search_index_new(void) { return search_index_new_lang("fi", ""); }

search_index *search_index_new_lang(const char *lang, const char *prefix)
{
    search_index *ix = xcalloc(1, sizeof *ix);
    ix->lang = xstrdup(lang);
    ix->prefix = xstrdup(prefix);
    struct sb_stemmer *probe = sb_stemmer_new(lang, "UTF_8");
    ix->stemmed = probe != NULL;
    sb_stemmer_delete(probe);
    if (!ix->stemmed && !strcmp(lang, "fi")) {
        fputs("kasikirja: libstemmer has no Finnish stemmer (or is out of memory)\n", stderr);
        abort();
    }
    pthread_mutex_init(&ix->lock, NULL);
    ix->by_stem = strmap_new();
    ix->fragments = HASH_SEED;
    return ix;
}

void search_index_free(search_index *ix)
{
    if (!ix)
        return;
    for (stemmer_slot *sl = ix->all, *next; sl; sl = next) {
        next = sl->all_next;
        if (sl->st)
            sb_stemmer_delete(sl->st);
        strmap_free(sl->memo);
        for (size_t i = 0; i < sl->n; i++)
            free(sl->stems[i]);
        free(sl->stems);
        free(sl);
    }
    for (size_t i = 0; i < ix->n_stems; i++) {
        free(ix->stems[i]->stem);
        buf_free(&ix->stems[i]->post);
        free(ix->stems[i]->enc);
        free(ix->stems[i]);
    }
    free(ix->stems);
    strmap_free(ix->by_stem);
    for (size_t i = 0; i < ix->n_chunks; i++) {
        free(ix->chunks[i].path);
        buf_free(&ix->chunks[i].json);
        free(ix->keys[i]);
    }
    free(ix->chunks);
    free(ix->keys);
    pthread_mutex_destroy(&ix->lock);
    free(ix->lang);
    free(ix->prefix);
    free(ix);
}

static stemmer_slot *slot_take(search_index *ix)
{
    pthread_mutex_lock(&ix->lock);
    stemmer_slot *sl = ix->pool;
    if (sl)
        ix->pool = sl->next;
    pthread_mutex_unlock(&ix->lock);
    if (sl)
        return sl;
    sl = xcalloc(1, sizeof *sl);
    sl->st = ix->stemmed ? sb_stemmer_new(ix->lang, "UTF_8") : NULL;
    if (ix->stemmed && !sl->st) {
        fputs("kasikirja: out of memory\n", stderr);
        abort();
    }
    sl->memo = strmap_new();
    pthread_mutex_lock(&ix->lock);
    sl->all_next = ix->all;
    ix->all = sl;
    pthread_mutex_unlock(&ix->lock);
    return sl;
}

static void slot_give(search_index *ix, stemmer_slot *sl)
{
    pthread_mutex_lock(&ix->lock);
    sl->next = ix->pool;
    ix->pool = sl;
    pthread_mutex_unlock(&ix->lock);
}

static void stem_with(struct sb_stemmer *st, const char *word, size_t len, buf_t *out)
{
    if (!st) { /* a language libstemmer does not know: the word as it is */
        buf_put(out, word, len);
        return;
    }
    const sb_symbol *r = sb_stemmer_stem(st, (const sb_symbol *)word, (int)len);
    if (!r) {
        fputs("kasikirja: out of memory\n", stderr);
        abort();
    }
    int n = sb_stemmer_length(st);
    if (n > 0)
        buf_put(out, (const char *)r, (size_t)n);
    else
        buf_put(out, word, len); /* never seen, but a word must not vanish */
}

void search_stem(search_index *ix, const char *word, buf_t *out)
{
    stemmer_slot *sl = slot_take(ix);
    stem_with(sl->st, word, strlen(word), out);
    slot_give(ix, sl);
}

/* The stem of the word in w, memoised in sl. */
static const char *slot_stem(stemmer_slot *sl, buf_t *w, buf_t *scratch)
{
    const char *word = buf_cstr(w);
    const char *st = strmap_get(sl->memo, word);
    if (st)
        return st;
    buf_clear(scratch);
    stem_with(sl->st, word, w->len, scratch);
    if (sl->n >= STEM_MEMO_MAX)
        return buf_cstr(scratch);
    if (sl->n == sl->cap) {
        sl->cap = sl->cap ? sl->cap * 2 : 256;
        sl->stems = xrealloc(sl->stems, sl->cap * sizeof *sl->stems);
    }
    char *keep = xstrdup(buf_cstr(scratch));
    sl->stems[sl->n++] = keep;
    strmap_add(sl->memo, word, keep);
    return keep;
}

typedef struct {
    stemmer_slot *sl;
    search_doc *doc;
    strmap *seen; /* stem -> index in doc->terms, + 1 */
    buf_t word, scratch;
} analysis;

static void doc_word(analysis *a, unsigned flags)
{
    a->doc->words++;
    const char *stem = slot_stem(a->sl, &a->word, &a->scratch);
    uintptr_t at = (uintptr_t)strmap_get(a->seen, stem);
    if (!at) {
        if (a->doc->n >= SEARCH_PAGE_STEMS)
            return;
        if (a->doc->n == a->doc->cap) {
            a->doc->cap = a->doc->cap ? a->doc->cap * 2 : 64;
            a->doc->terms = xrealloc(a->doc->terms, a->doc->cap * sizeof(doc_term));
        }
        a->doc->terms[a->doc->n] = (doc_term){.stem = xstrdup(stem)};
        strmap_add(a->seen, stem, (void *)(uintptr_t)(a->doc->n + 1));
        at = ++a->doc->n;
    }
    doc_term *t = &a->doc->terms[at - 1];
    t->tf++;
    t->flags |= flags;
}

/* The words of text[0, n) (maximal runs of letters, lower-cased) into the
 * doc: flags for the title (1); in the page's text, heading words get 2 and
 * section ids are skipped. */
static void analyse_text(analysis *a, const char *text, size_t n, bool title)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t letters = 0;
    unsigned field = title ? 1 : 0;
    bool in_id = false;
    buf_clear(&a->word);
    for (size_t i = 0; i <= n;) {
        uint32_t cp = ' ';
        size_t k = i < n ? utf8_next(s + i, n - i, &cp) : 1;
        bool letter = i < n && is_letter(cp);
        if (letter) {
            if (++letters <= SEARCH_WORD_MAX)
                utf8_put(&a->word, to_lower(cp));
        } else if (letters) {
            if (letters <= SEARCH_WORD_MAX && !in_id)
                doc_word(a, field);
            letters = 0;
            buf_clear(&a->word);
        }
        if (!title && i < n) {
            if (cp == (unsigned char)SEARCH_SEC)
                in_id = true, field = 2;
            else if (cp == (unsigned char)SEARCH_HEAD)
                in_id = false;
            else if (cp == (unsigned char)SEARCH_BODY)
                field = 0;
        }
        i += k;
    }
}

search_doc *search_analyze(search_index *ix, const char *title, const char *text, size_t len)
{
    analysis a = {.sl = slot_take(ix), .doc = xcalloc(1, sizeof(search_doc)), .seen = strmap_new(),
                  .word = BUF_INIT, .scratch = BUF_INIT};
    if (title)
        analyse_text(&a, title, strlen(title), true);
    if (text)
        analyse_text(&a, text, len, false);
    slot_give(ix, a.sl);
    strmap_free(a.seen);
    buf_free(&a.word);
    buf_free(&a.scratch);
    return a.doc;
}

void search_doc_free(search_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->n; i++)
        free(doc->terms[i].stem);
    free(doc->terms);
    buf_free(&doc->frag);
    free(doc);
}

/* }====== */

/* {====== Adding pages ====== */

/* str as a JSON string (base/json). */
static void json_str(buf_t *out, const char *str) { json_put_string(out, str, strlen(str)); }

/* s[0, n) cut to at most *budget bytes at a character boundary, spaces at
 * either end dropped; the budget goes down by what is kept. */
static void json_cut(buf_t *out, const char *s, size_t n, size_t *budget)
{
    while (n && s[0] == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    if (n > *budget) {
        n = *budget;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    *budget -= n;
    json_put_string(out, s, n);
}

/* The page's fragment (search.h) into frag. */
static void fragment_json(const char *url, const char *title, const char *section, const char *text, size_t n,
                          buf_t *frag)
{
    buf_clear(frag);
    buf_puts(frag, "{\"u\":");
    json_str(frag, url ? url : "");
    buf_puts(frag, ",\"t\":");
    json_str(frag, title ? title : "");
    buf_puts(frag, ",\"o\":");
    json_str(frag, section ? section : "");
    buf_puts(frag, ",\"s\":[\n[\"\",\"\",");
    size_t budget = SEARCH_FRAGMENT_MAX;
    size_t i = 0;
    while (i < n && text[i] != SEARCH_SEC)
        i++;
    json_cut(frag, text, i, &budget);
    buf_puts(frag, "]");
    while (i < n) { /* text[i] == SEARCH_SEC */
        size_t id = ++i;
        while (i < n && text[i] != SEARCH_HEAD && text[i] != SEARCH_SEC)
            i++;
        size_t id_end = i;
        size_t head = i < n && text[i] == SEARCH_HEAD ? ++i : i;
        while (i < n && text[i] != SEARCH_BODY && text[i] != SEARCH_SEC)
            i++;
        size_t head_end = i;
        size_t body = i < n && text[i] == SEARCH_BODY ? ++i : i;
        while (i < n && text[i] != SEARCH_SEC)
            i++;
        if (!budget)
            continue;
        buf_puts(frag, ",\n[");
        json_put_string(frag, text + id, id_end - id);
        buf_putc(frag, ',');
        json_cut(frag, text + head, head_end - head, &budget);
        buf_putc(frag, ',');
        json_cut(frag, text + body, i - body, &budget);
        buf_putc(frag, ']');
    }
    buf_puts(frag, "\n]}\n");
}

size_t search_index_page_count(const search_index *ix) { return ix->n_pages; }

char *search_fragment_path(size_t n)
{
    return xasprintf("hakuhakemisto/sivut/%zu.json", n);
}

char *search_index_fragment_path(const search_index *ix, size_t n)
{
    return xasprintf("%shakuhakemisto/sivut/%zu.json", ix->prefix, n);
}

const char *search_index_prefix(const search_index *ix) { return ix->prefix; }

/* The bit length of v, at most 15. */
static unsigned length_class(unsigned v)
{
    unsigned c = 0;
    while (v && c < 15)
        v >>= 1, c++;
    return c;
}

void search_index_add_doc(search_index *ix, const char *url, const char *title, const char *section,
                          const char *text, size_t len, search_doc *doc, buf_t *frag)
{
    if (!text)
        text = "", len = 0;
    if (!doc)
        doc = search_analyze(ix, title, text, len);
    uint32_t page = (uint32_t)ix->n_pages++;
    ix->words += doc->words;
    unsigned lc = length_class(doc->words);
    for (size_t i = 0; i < doc->n; i++) {
        doc_term *t = &doc->terms[i];
        stem_entry *e = strmap_get(ix->by_stem, t->stem);
        if (!e) {
            e = xcalloc(1, sizeof *e);
            e->stem = t->stem;
            t->stem = NULL;
            strmap_add(ix->by_stem, e->stem, e);
            if (ix->n_stems == ix->cap_stems) {
                ix->cap_stems = ix->cap_stems ? ix->cap_stems * 2 : 256;
                ix->stems = xrealloc(ix->stems, ix->cap_stems * sizeof *ix->stems);
            }
            ix->stems[ix->n_stems++] = e;
        }
        unsigned tf = t->tf < 31 ? t->tf : 31;
        put_number(&e->post, page - e->last);
        put_number(&e->post, (uint16_t)(tf << 6 | lc << 2 | (t->flags & 3)));
        e->last = page;
    }
    buf_t own = BUF_INIT;
    buf_t *f = frag ? frag : &own;
    if (doc->frag.len) { /* made on the page's thread */
        buf_t made = doc->frag;
        doc->frag = *f;
        *f = made;
    } else {
        fragment_json(url, title, section, text, len, f);
    }
    search_doc_free(doc);
    ix->fragments = hash_bytes(ix->fragments, f->ptr, f->len);
    buf_free(&own);
}

void search_doc_fragment(search_doc *doc, const char *url, const char *title, const char *section,
                         const char *text, size_t len)
{
    fragment_json(url, title, section, text ? text : "", text ? len : 0, &doc->frag);
}

void search_index_add(search_index *ix, const char *url, const char *title, const char *section,
                      const char *html)
{
    buf_t text = BUF_INIT;
    if (html)
        html_to_text(html, strlen(html), &text);
    search_index_add_doc(ix, url, title, section, text.ptr, text.len, NULL, NULL);
    buf_free(&text);
}

void search_page_text(const char *html, size_t len, buf_t *out) { html_to_text(html, len, out); }

/* }====== */

/* {====== Chunks ====== */

static void put_number(buf_t *out, uint32_t v)
{
    static const char digits[] = SEARCH_DIGITS;
    char b[8];
    size_t i = sizeof b;
    b[--i] = digits[v & 31];
    for (v >>= 5; v; v >>= 5)
        b[--i] = digits[32 + (v & 31)];
    buf_put(out, b + i, sizeof b - i);
}

static int cmp_stem(const void *a, const void *b)
{
    /* strcmp compares as unsigned char: byte order, which for UTF-8 is code point order. */
    return strcmp((*(stem_entry *const *)a)->stem, (*(stem_entry *const *)b)->stem);
}

/* par_for: stem i's postings, encoded as they came, as its entry's text. */
static void encode_one(void *ud, size_t i)
{
    stem_entry *e = ((search_index *)ud)->stems[i];
    e->enc_len = e->post.len;
    e->enc = e->post.ptr ? buf_detach(&e->post) : xstrdup("");
}

/* A stem's share of its chunk's bytes: "\n\"stem\":\"postings\","; a chunk adds
 * CHUNK_FRAME bytes of its own. */
static size_t entry_size(const stem_entry *e, buf_t *scratch)
{
    buf_clear(scratch);
    json_str(scratch, e->stem);
    return scratch->len + e->enc_len + 5;
}
#define CHUNK_FRAME 4
#define CHUNK_LIMIT (SEARCH_CHUNK_MAX - CHUNK_FRAME)

typedef struct {
    search_index *ix;
    size_t *sum; /* sum[i]: the sizes of stems before i */
    bool open;   /* a pending group */
    size_t lo, hi, key_len;
    const char *key;
} splitter;

static void add_chunk(search_index *ix, size_t lo, size_t hi, const char *key, size_t key_len)
{
    if (ix->n_chunks == ix->cap_chunks) {
        ix->cap_chunks = ix->cap_chunks ? ix->cap_chunks * 2 : 16;
        ix->chunks = xrealloc(ix->chunks, ix->cap_chunks * sizeof *ix->chunks);
        ix->keys = xrealloc(ix->keys, ix->cap_chunks * sizeof *ix->keys);
    }
    search_chunk *c = &ix->chunks[ix->n_chunks];
    ix->keys[ix->n_chunks] = ix->n_chunks ? xstrndup(key, key_len) : xstrdup("");
    ix->n_chunks++;
    c->json = (buf_t)BUF_INIT;
    buf_putc(&c->json, '{');
    for (size_t i = lo; i < hi; i++) {
        buf_puts(&c->json, i > lo ? ",\n" : "\n");
        json_str(&c->json, ix->stems[i]->stem);
        buf_puts(&c->json, ":\"");
        buf_put(&c->json, ix->stems[i]->enc, ix->stems[i]->enc_len);
        buf_putc(&c->json, '"');
        free(ix->stems[i]->enc); /* in its chunk now: not held twice */
        ix->stems[i]->enc = NULL;
    }
    buf_puts(&c->json, "\n}\n");
    uint64_t h = hash_bytes(HASH_SEED, c->json.ptr, c->json.len);
    c->path = xasprintf("%shakuhakemisto/%016llx.json", ix->prefix, (unsigned long long)h);
}

static void flush(splitter *sp)
{
    if (sp->open)
        add_chunk(sp->ix, sp->lo, sp->hi, sp->key, sp->key_len);
    sp->open = false;
}

static void split(splitter *sp, size_t lo, size_t hi, size_t plen);

/* One child bucket of a split, stems [lo, hi) under key[0, key_len): joined
 * to the pending group when both fit in a chunk, else a chunk of its own,
 * or split again. */
static void child(splitter *sp, size_t lo, size_t hi, const char *key, size_t key_len)
{
    size_t size = sp->sum[hi] - sp->sum[lo];
    if (size <= CHUNK_LIMIT || hi - lo == 1) {
        if (sp->open && sp->sum[hi] - sp->sum[sp->lo] <= CHUNK_LIMIT) {
            sp->hi = hi;
            return;
        }
        flush(sp);
        *sp = (splitter){.ix = sp->ix, .sum = sp->sum, .open = true, .lo = lo, .hi = hi, .key = key,
                         .key_len = key_len};
        return;
    }
    flush(sp);
    split(sp, lo, hi, key_len);
}

/* Splits stems [lo, hi), which share their first plen bytes, by the
 * character after them. */
static void split(splitter *sp, size_t lo, size_t hi, size_t plen)
{
    stem_entry **st = sp->ix->stems;
    size_t i = lo;
    if (strlen(st[lo]->stem) == plen) { /* the prefix itself is a stem: sorted first */
        child(sp, lo, lo + 1, st[lo]->stem, plen);
        i++;
    }
    while (i < hi) {
        const char *s = st[i]->stem;
        uint32_t cp;
        size_t clen = utf8_next((const unsigned char *)s + plen, strlen(s + plen), &cp);
        size_t j = i + 1;
        while (j < hi && !strncmp(st[j]->stem, s, plen + clen))
            j++;
        child(sp, i, j, s, plen + clen);
        i = j;
    }
    flush(sp);
}

void search_index_finish(search_index *ix)
{
    if (ix->n_stems)
        qsort(ix->stems, ix->n_stems, sizeof *ix->stems, cmp_stem);
    par_for(0, ix->n_stems, par_threads(), encode_one, ix);
    size_t *sum = xmalloc((ix->n_stems + 1) * sizeof *sum);
    sum[0] = 0;
    buf_t scratch = BUF_INIT;
    for (size_t i = 0; i < ix->n_stems; i++)
        sum[i + 1] = sum[i] + entry_size(ix->stems[i], &scratch);
    buf_free(&scratch);
    splitter sp = {.ix = ix, .sum = sum};
    if (ix->n_stems && sum[ix->n_stems] > CHUNK_LIMIT)
        split(&sp, 0, ix->n_stems, 0);
    else
        add_chunk(ix, 0, ix->n_stems, "", 0);
    free(sum);
}

size_t search_index_chunk_count(const search_index *ix) { return ix->n_chunks; }

const char *search_index_chunk_at(const search_index *ix, size_t i, const buf_t **json)
{
    assert(i < ix->n_chunks);
    *json = &ix->chunks[i].json;
    return ix->chunks[i].path;
}

void search_index_manifest(const search_index *ix, buf_t *out)
{
    buf_printf(out, "{\"n\":%zu,\"pituus\":%.1f,\"versio\":\"%016llx\",\"osat\":[", ix->n_pages,
               ix->n_pages ? (double)ix->words / (double)ix->n_pages : 0.0, (unsigned long long)ix->fragments);
    for (size_t i = 0; i < ix->n_chunks; i++) {
        buf_puts(out, i ? ",\n[" : "\n[");
        json_str(out, ix->keys[i]);
        buf_putc(out, ',');
        json_str(out, ix->chunks[i].path);
        buf_putc(out, ']');
    }
    buf_puts(out, "\n]}\n");
}

/* }====== */
