/* schemas: the JSON Schemas of a site's YAML files (see schemas.h). */
#include "schemas.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "0-base/xmem.h"
#include "2-model/model.h"
#include "2-model/schema.h"
#include "2-model/site.h"
#include "4-render/diagrams.h"
#include "5-write/output.h"

/* The schemas in the order they are listed: site.yaml, the data files in
 * the model's order, then diagrams and front matter. */
static val *schema_at(size_t i, const char **name)
{
    size_t n_model = 0;
    const char *model_name;
    for (val *s; (s = model_schema(n_model, &model_name)) != NULL; n_model++)
        val_free(s);
    if (i == 0) {
        *name = "site";
        return site_schema(false);
    }
    if (i <= n_model)
        return model_schema(i - 1, name);
    if (i == n_model + 1) {
        *name = "kaavio";
        return diagrams_schema();
    }
    if (i == n_model + 2) {
        *name = "sivu";
        return site_schema(true);
    }
    return NULL;
}

size_t schemas_count(void)
{
    size_t n = 0;
    const char *name;
    for (val *s; (s = schema_at(n, &name)) != NULL; n++)
        val_free(s);
    return n;
}

const char *schemas_name(size_t i)
{
    const char *name = NULL;
    val *s = schema_at(i, &name);
    val_free(s);
    return s ? name : NULL;
}

bool schemas_json(size_t i, buf_t *out)
{
    const char *name;
    val *s = schema_at(i, &name);
    if (!s)
        return false;
    schema_json(s, out);
    val_free(s);
    return true;
}

/* Makes dir and its parents; false with one error naming dir when it cannot
 * be made or written into (rather than one error per file). */
static bool writable_folder(const char *dir, diag_list *d)
{
    char *path = xstrdup(dir);
    int err = 0;
    for (char *p = path + 1; !err; p++) {
        bool end = *p == '\0';
        if (*p != '/' && !end)
            continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            err = errno;
        if (end)
            break;
        *p = '/';
    }
    struct stat st;
    if (!err && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        err = ENOTDIR;
    if (!err && access(dir, W_OK | X_OK) != 0)
        err = errno;
    free(path);
    if (err)
        diag_error(d, dir, 0, 0, "cannot write into this folder: %s (give a folder you can write into)",
                   strerror(err));
    return !err;
}

size_t schemas_write(const char *dir, diag_list *d)
{
    size_t written = 0;
    if (!writable_folder(dir, d))
        return 0;
    for (size_t i = 0; i < schemas_count(); i++) {
        buf_t json = BUF_INIT;
        schemas_json(i, &json);
        char *rel = xasprintf("%s%s", schemas_name(i), SCHEMAS_SUFFIX);
        written += out_create(dir, rel, json.ptr, json.len, d);
        free(rel);
        buf_free(&json);
    }
    return written;
}
