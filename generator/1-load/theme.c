/* theme: lookups in the built-in files (the table is generated). */
#include "theme.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* Defined in the generated build/gen/teema.c. */
extern const theme_file theme_files[];
extern const size_t theme_nfiles;

size_t theme_count(void) { return theme_nfiles; }

const theme_file *theme_at(size_t i)
{
    assert(i < theme_nfiles);
    return &theme_files[i];
}

static int cmp_key(const void *key, const void *item)
{
    return strcmp(key, ((const theme_file *)item)->path);
}

const theme_file *theme_find(const char *path)
{
    return bsearch(path, theme_files, theme_nfiles, sizeof theme_files[0], cmp_key);
}
