/* search: the site's search index, one per language of the site, built at
 * build time with that language's Snowball stemmer (libstemmer: Finnish,
 * Swedish, English, …), for the small script of ours on the search
 * page (haku.js): a query word matches every index stem it is a prefix of,
 * so "neuvottelu" finds "neuvotteluissa" and "kumppanuus" finds
 * "kumppanuusryhmä". A query reads the manifest, the few chunks of the word
 * index its words fall in, and the fragments of the results it shows. */
#ifndef KK_SEARCH_H
#define KK_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "../0-base/buf.h"

/* {====== A page's text ======
 * search_page_text writes the page's plain text from its content HTML: tags
 * stripped, entities decoded, whitespace collapsed. A heading with an id
 * starts a section: SEARCH_SEC, the id, SEARCH_HEAD, the heading's text,
 * SEARCH_BODY, then the section's text (control characters never come from
 * the page: they become spaces). Pure; any thread. */
#define SEARCH_SEC '\x1e'
#define SEARCH_HEAD '\x1f'
#define SEARCH_BODY '\x1d'
void search_page_text(const char *html, size_t len, buf_t *out);
/* }====== */

/* Bounds. Words longer than SEARCH_WORD_MAX letters are not words a person
 * searches for (hashes, URLs without separators) and are left out; a page
 * gives at most SEARCH_PAGE_STEMS distinct stems to the index (a page of
 * 50,000 distinct words adds its first 5,000); a page's fragment holds at
 * most SEARCH_FRAGMENT_MAX bytes of text; a chunk of the word index is
 * split (by a longer stem prefix) until it is at most SEARCH_CHUNK_MAX
 * bytes, or holds one stem. */
#define SEARCH_WORD_MAX 40
#define SEARCH_PAGE_STEMS 5000
#define SEARCH_FRAGMENT_MAX 20000
#define SEARCH_CHUNK_MAX 8192

/* {====== The index ======
 * Written for haku.js in three kinds of files, so that a query reads a few
 * of them (<prefix>hakuhakemisto.json is the manifest; the prefix is the
 * language's folder, search_index_new_lang):
 *  - the manifest {"n":pages,"pituus":average words per page,"versio":v,
 *    "osat":[[first key, "<prefix>hakuhakemisto/<content hash>.json"], ...]}: the
 *    chunks of the word index in stem order; a chunk holds the stems from
 *    its key up to the next chunk's key;
 *  - the chunks {"stem":"postings", ...}: per page that has the stem, the
 *    page number's difference from the one before and a code
 *    tf << 6 | length class << 2 | in title (1) | in a heading (2), where
 *    the length class is the bit length of the page's word count (at most
 *    15) and tf at most 31; each number as base-32 digits, most significant
 *    first, every digit but the last from the upper half of SEARCH_DIGITS;
 *  - the fragments <prefix>hakuhakemisto/sivut/<page number>.json?v=<versio>:
 *    {"u":url,"t":title,"o":section,"s":[[anchor,heading,text], ...]}, the
 *    first section the text before any heading (anchor and heading ""),
 *    fetched only for the results shown. */
#define SEARCH_DIGITS "0123456789abcdefghijklmnopqrstuvWXYZABCDEFGHIJKLMNOPQRSTUVwxyz-_"

typedef struct search_index search_index;
/* A page's words, stemmed (search_analyze), ready to be added. */
typedef struct search_doc search_doc;

/* A new empty index of language lang (a code libstemmer knows: "fi" is
 * Finnish, "sv" Swedish, "en" English; a language it does not know keeps
 * its words whole), its files written under prefix ("" for the default
 * language, "sv/" for Swedish: sv/hakuhakemisto.json, sv/hakuhakemisto/…;
 * the chunks' paths in the manifest include it). Free with
 * search_index_free. */
search_index *search_index_new_lang(const char *lang, const char *prefix);
/* search_index_new_lang("fi", ""). */
search_index *search_index_new(void);
void search_index_free(search_index *ix);

/* The stem of one lower-case word (the index's language's Snowball), appended to out.
 * Exposed for tests and for consistency checks with the query side. */
void search_stem(search_index *ix, const char *word, buf_t *out);

/* A page's title and text (from search_page_text) stemmed: any thread (the
 * index keeps a stemmer per thread at work). Free with search_doc_free, or
 * hand it to search_index_add_doc. */
search_doc *search_analyze(search_index *ix, const char *title, const char *text, size_t len);
void search_doc_free(search_doc *doc);
/* Makes the page's fragment now (any thread), for search_index_add_doc to
 * take instead of making it on its one thread; the arguments are the ones
 * that call will get. */
void search_doc_fragment(search_doc *doc, const char *url, const char *title, const char *section,
                         const char *text, size_t len);

/* Adds the next page (one thread, in page order; pages are numbered from 0
 * in the order added): its postings join the index (doc is consumed; NULL
 * analyses here) and its fragment is written into frag (cleared first),
 * for the writer to write at search_fragment_path at once; the index keeps
 * none of the page's text. */
void search_index_add_doc(search_index *ix, const char *url, const char *title, const char *section,
                          const char *text, size_t len, search_doc *doc, buf_t *frag);
/* search_index_add_doc from the page's content HTML, fragment discarded (tests). */
void search_index_add(search_index *ix, const char *url, const char *title, const char *section,
                      const char *html);
/* The pages added so far. */
size_t search_index_page_count(const search_index *ix);
/* The path of page n's fragment in the default language's index (caller frees). */
char *search_fragment_path(size_t n);
/* The path of page n's fragment in ix, under its prefix (caller frees). */
char *search_index_fragment_path(const search_index *ix, size_t n);
/* The index's folder from the site root ("" or "sv/"). Borrowed. */
const char *search_index_prefix(const search_index *ix);

/* Splits the postings into chunks; then search_index_chunk_count chunks
 * are there, search_index_chunk_at gives chunk i's path and JSON
 * (borrowed), and search_index_manifest writes hakuhakemisto.json. The same
 * pages give the same bytes, whatever the number of threads. */
void search_index_finish(search_index *ix);
size_t search_index_chunk_count(const search_index *ix);
const char *search_index_chunk_at(const search_index *ix, size_t i, const buf_t **json);
void search_index_manifest(const search_index *ix, buf_t *out);

/* }====== */

#endif
