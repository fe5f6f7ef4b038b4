/* search: the site's search index, built at build time with the Snowball
 * Finnish stemmer (libstemmer), for the small script of ours on the search
 * page: a query word matches every index stem it is a prefix of, so
 * "neuvottelu" finds "neuvotteluissa" and "kumppanuus" finds
 * "kumppanuusryhmä". */
#ifndef KK_SEARCH_H
#define KK_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "../0-base/buf.h"
#include "../2-model/site.h"

typedef struct search_index search_index;

/* A new empty index; free with search_index_free. */
search_index *search_index_new(void);
void search_index_free(search_index *ix);

/* Adds a page: its URL from the site root, title, section title (may be
 * NULL) and its content HTML (tags are stripped; words are lower-cased,
 * split at non-letters, stemmed with the Finnish stemmer). The first ~200
 * characters of text are kept as the snippet, and the text itself (capped)
 * for showing where a match is. */
void search_index_add(search_index *ix, const char *url, const char *title, const char *section,
                      const char *html);

/* The two halves of search_index_add, so that the first may run on the
 * rendering threads: the page's text from its content HTML (pure; any
 * thread), and adding that text to the index (one thread, in page order). */
void search_page_text(const char *html, size_t len, buf_t *out);
void search_index_add_text(search_index *ix, const char *url, const char *title, const char *section,
                           const char *text, size_t len);

/* The stem of one lower-case word (Finnish Snowball), appended to out.
 * Exposed for tests and for consistency checks with the query side. */
void search_stem(search_index *ix, const char *word, buf_t *out);

/* Writes the index as JSON into out:
 * {"sivut":[{"u":url,"t":title,"o":section,"x":text}...],
 *  "sanat":{"stem":[page numbers...], ...}} with stems sorted. */
void search_index_json(const search_index *ix, buf_t *out);

/* The index comes in shards, one per top-level section (the home page, and
 * each page just below it with everything under it), so that a change to
 * one page rewrites one shard: hakuhakemisto.json lists the shards'
 * paths ({"osat":["hakuhakemisto/<id>.json", ...]}) in page order, and the
 * script merges them, numbering each shard's pages after the ones before.
 * A shard's path depends only on its section's URL. Caller frees. */
char *search_shard_path(const char *section_url);
void search_manifest_json(const char *const *paths, size_t n, buf_t *out);

/* The shards of one build: pages are filed in page order under their
 * top-level section, then every shard is indexed (in parallel) into its
 * JSON for the writer. Free with search_shards_free. */
typedef struct search_shards search_shards;
search_shards *search_shards_new(void);
void search_shards_free(search_shards *ss);

/* Files page p's text under its section's shard. The text is owned (freed
 * once indexed) when own is set, else borrowed until search_shards_index. */
void search_shards_add(search_shards *ss, const site *s, const page *p, char *text, size_t len, bool own);

/* Indexes every shard into its JSON (any number of threads; each shard has
 * its own index and stemmer). Then search_shards_count shards are there:
 * search_shards_at gives shard i's path and JSON (borrowed, valid until
 * the shards are freed), and search_shards_manifest hakuhakemisto.json. */
void search_shards_index(search_shards *ss);
size_t search_shards_count(const search_shards *ss);
const char *search_shards_at(const search_shards *ss, size_t i, const buf_t **json);
void search_shards_manifest(const search_shards *ss, buf_t *out);

#endif
