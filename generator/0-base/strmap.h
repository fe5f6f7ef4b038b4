/* strmap: a string-keyed hash table (open addressing) for id and path lookups. */
#ifndef KK_STRMAP_H
#define KK_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct strmap strmap;

/* A new empty map; free with strmap_free (values are not freed: borrowed). */
strmap *strmap_new(void);
/* A map that keeps its keys' pointers instead of copies: every key added must
 * stay as it is for the map's life (a page's URL in the site's index of them:
 * a hundred thousand pages save megabytes). */
strmap *strmap_new_borrowing(void);
void strmap_free(strmap *m);
/* Sets key (copied, unless the map borrows) to value. Returns false and leaves the map as it was when
 * the key is already present. */
bool strmap_add(strmap *m, const char *key, void *value);
/* The value under key, or NULL. */
void *strmap_get(const strmap *m, const char *key);
bool strmap_has(const strmap *m, const char *key);
size_t strmap_len(const strmap *m);

#endif
