/* strmap: FNV-1a hashed open-addressing table, grown at 50% load. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmem.h"

typedef struct {
    char *key;
    void *value;
} slot;

struct strmap {
    slot *slots;
    size_t cap, len;
    bool borrowing; /* keys are the callers' (strmap_new_borrowing) */
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

strmap *strmap_new(void)
{
    strmap *m = xcalloc(1, sizeof(strmap));
    m->cap = 16;
    m->slots = xcalloc(m->cap, sizeof(slot));
    return m;
}

strmap *strmap_new_borrowing(void)
{
    strmap *m = strmap_new();
    m->borrowing = true;
    return m;
}

void strmap_free(strmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap && !m->borrowing; i++)
        free(m->slots[i].key);
    free(m->slots);
    free(m);
}

static slot *find(const strmap *m, const char *key)
{
    size_t i = hash(key) & (m->cap - 1);
    while (m->slots[i].key && strcmp(m->slots[i].key, key) != 0)
        i = (i + 1) & (m->cap - 1);
    return &m->slots[i];
}

static void grow(strmap *m)
{
    slot *old = m->slots;
    size_t old_cap = m->cap;
    m->cap *= 2;
    m->slots = xcalloc(m->cap, sizeof(slot));
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key)
            *find(m, old[i].key) = old[i];
    free(old);
}

bool strmap_add(strmap *m, const char *key, void *value)
{
    if ((m->len + 1) * 2 > m->cap)
        grow(m);
    slot *s = find(m, key);
    if (s->key)
        return false;
    s->key = m->borrowing ? (char *)key : xstrdup(key);
    s->value = value;
    m->len++;
    return true;
}

void *strmap_get(const strmap *m, const char *key)
{
    slot *s = find(m, key);
    return s->key ? s->value : NULL;
}

bool strmap_has(const strmap *m, const char *key)
{
    return find(m, key)->key != NULL;
}

size_t strmap_len(const strmap *m)
{
    return m->len;
}
