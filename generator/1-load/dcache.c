/* dcache: reading the diagram cache. */
#include "dcache.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/hash.h"
#include "../0-base/xmem.h"

char *dcache_dir(const char *src_dir, const char *override)
{
    if (override && *override)
        return xstrdup(override);
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char *base = xdg && *xdg ? xstrdup(xdg) : home && *home ? xasprintf("%s/.cache", home) : NULL;
    if (!base)
        return NULL;
    char *abs = realpath(src_dir, NULL);
    uint64_t h = hash_str(HASH_SEED, abs ? abs : src_dir);
    free(abs);
    char *dir = xasprintf("%s/kasikirja/%016" PRIx64 "/kaaviot", base, h);
    free(base);
    return dir;
}

void dcache_name(uint64_t key, char name[24])
{
    snprintf(name, 24, "%016" PRIx64 ".svg", key);
}

bool dcache_read(const char *dir, uint64_t key, buf_t *out)
{
    char name[24];
    dcache_name(key, name);
    char *path = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f)
        return false;
    buf_t b = BUF_INIT;
    bool ok = buf_read_stream(&b, f) && b.len > 4 && memcmp(b.ptr, "<svg", 4) == 0;
    fclose(f);
    if (ok)
        buf_put(out, b.ptr, b.len);
    buf_free(&b);
    return ok;
}
