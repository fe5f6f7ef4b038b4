/* loc: a model text in one of the site's languages. */
#include "loc.h"

#include <stdio.h>


const char *loc_field(const val *node, const char *key, const char *lang, bool *fallback)
{
    const char *own = NULL;
    if (lang) {
        char name[64];
        int n = snprintf(name, sizeof name, "%s_kielet", key);
        if (n > 0 && (size_t)n < sizeof name)
            own = val_get_str(val_get(node, name), lang);
    }
    const char *plain = val_get_str(node, key);
    if (fallback)
        *fallback = lang && !own && plain;
    return own ? own : plain;
}
