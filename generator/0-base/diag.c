/* diag: collects diagnostics with their positions and prints them GCC-style. */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "strmap.h"
#include "xmem.h"

typedef struct {
    diag_t d;
    char *path;
    char *message;
} entry;

struct diag_list {
    entry *items;
    size_t len, cap;
    strmap *seen; /* every diagnostic once: the same message at the same place (a layout's
                   * error met by every page that uses it) is kept the first time only */
};

diag_list *diag_list_new(void)
{
    return xcalloc(1, sizeof(diag_list));
}

void diag_list_free(diag_list *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->len; i++) {
        free(d->items[i].path);
        free(d->items[i].message);
    }
    free(d->items);
    strmap_free(d->seen);
    free(d);
}

static void push(diag_list *d, entry e)
{
    buf_t key = BUF_INIT;
    buf_printf(&key, "%d|%s|%d|%d|%s", (int)e.d.severity, e.path ? e.path : "", e.d.line, e.d.col,
               e.message);
    if (!d->seen)
        d->seen = strmap_new();
    bool fresh = strmap_add(d->seen, buf_cstr(&key), d);
    buf_free(&key);
    if (!fresh) {
        free(e.path);
        free(e.message);
        return;
    }
    if (d->len == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = xrealloc(d->items, d->cap * sizeof(entry));
    }
    d->items[d->len++] = e;
}

void diag_addv(diag_list *d, diag_severity sev, const char *path, int line, int col,
               const char *fmt, va_list ap)
{
    buf_t b = BUF_INIT;
    buf_vprintf(&b, fmt, ap);
    entry e;
    e.path = path ? xstrdup(path) : NULL;
    e.message = buf_detach(&b);
    e.d.severity = sev;
    e.d.path = e.path;
    e.d.line = line;
    e.d.col = col;
    e.d.message = e.message;
    push(d, e);
}

void diag_add(diag_list *d, diag_severity sev, const char *path, int line, int col,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_addv(d, sev, path, line, col, fmt, ap);
    va_end(ap);
}

void diag_list_merge(diag_list *dst, diag_list *src)
{
    for (size_t i = 0; i < src->len; i++)
        push(dst, src->items[i]);
    src->len = 0;
    strmap_free(src->seen);
    src->seen = NULL;
}

size_t diag_count(const diag_list *d)
{
    return d->len;
}

static size_t count_sev(const diag_list *d, diag_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < d->len; i++)
        n += d->items[i].d.severity == sev;
    return n;
}

size_t diag_errors(const diag_list *d)
{
    return count_sev(d, DIAG_ERROR);
}

size_t diag_warnings(const diag_list *d)
{
    return count_sev(d, DIAG_WARNING);
}

const diag_t *diag_at(const diag_list *d, size_t i)
{
    return i < d->len ? &d->items[i].d : NULL;
}

static const char *sev_name(diag_severity s)
{
    switch (s) {
    case DIAG_ERROR: return "error";
    case DIAG_WARNING: return "warning";
    default: return "note";
    }
}

char *diag_format(const diag_t *dg)
{
    buf_t b = BUF_INIT;
    if (dg->path) {
        buf_puts(&b, dg->path);
        if (dg->line > 0) {
            buf_printf(&b, ":%d", dg->line);
            if (dg->col > 0)
                buf_printf(&b, ":%d", dg->col);
        }
        buf_puts(&b, ": ");
    } else {
        buf_puts(&b, "kasikirja: ");
    }
    buf_printf(&b, "%s: %s", sev_name(dg->severity), dg->message);
    return buf_detach(&b);
}

void diag_print(const diag_list *d, FILE *out) { diag_print_some(d, false, out); }

void diag_print_some(const diag_list *d, bool errors_only, FILE *out)
{
    size_t errors = 0, hidden = 0;
    for (size_t i = 0; i < d->len; i++) {
        const diag_t *dg = &d->items[i].d;
        if (errors_only && dg->severity != DIAG_ERROR)
            continue;
        if (dg->severity == DIAG_ERROR && ++errors > DIAG_MAX_PRINTED) {
            hidden++;
            continue;
        }
        char *s = diag_format(dg);
        fprintf(out, "%s\n", s);
        free(s);
    }
    if (hidden)
        fprintf(out, "kasikirja: note: %zu more errors not shown (fix the ones above first)\n", hidden);
}

bool diag_split_hint(const char *msg, size_t *head_len, const char **hint, size_t *hint_len)
{
    size_t n = strlen(msg);
    if (n < 4 || msg[n - 1] != ')')
        return false;
    int depth = 0;
    for (size_t i = n; i-- > 0;) {
        if (msg[i] == ')')
            depth++;
        else if (msg[i] == '(' && --depth == 0) {
            /* "f(x)" is no hint, "()" is empty, and a hint alone is the message */
            if (i < 2 || msg[i - 1] != ' ' || i + 2 >= n || strspn(msg, " ") >= i)
                return false;
            *head_len = i - 1;
            *hint = msg + i + 1;
            *hint_len = n - i - 2;
            return true;
        }
    }
    return false;
}

/* A JSON number, or null for 0 (unknown). */
static void put_position(buf_t *b, const char *key, int v)
{
    if (v > 0)
        buf_printf(b, ",\"%s\":%d", key, v);
    else
        buf_printf(b, ",\"%s\":null", key);
}

void diag_json_put(buf_t *b, const diag_t *dg, diag_severity sev, const char *suffix)
{
    size_t head_len = strlen(dg->message), hint_len = 0;
    const char *hint = NULL;
    if (!diag_split_hint(dg->message, &head_len, &hint, &hint_len))
        hint = NULL;
    buf_puts(b, "{\"file\":");
    if (dg->path)
        json_put_string(b, dg->path, strlen(dg->path));
    else
        buf_puts(b, "null");
    put_position(b, "line", dg->line);
    put_position(b, "column", dg->col);
    buf_printf(b, ",\"severity\":\"%s\",\"message\":", sev_name(sev));
    buf_t m = BUF_INIT;
    buf_put(&m, dg->message, head_len);
    if (suffix)
        buf_puts(&m, suffix);
    json_put_string(b, m.ptr ? m.ptr : "", m.len);
    buf_free(&m);
    if (hint) {
        buf_puts(b, ",\"hint\":");
        json_put_string(b, hint, hint_len);
    }
    buf_putc(b, '}');
}

char *diag_json(const diag_list *d, bool errors_only)
{
    buf_t b = BUF_INIT;
    buf_putc(&b, '[');
    size_t shown = 0;
    for (size_t i = 0; i < d->len; i++) {
        const diag_t *dg = &d->items[i].d;
        if (errors_only && dg->severity != DIAG_ERROR)
            continue;
        buf_puts(&b, shown++ ? ",\n" : "\n");
        diag_json_put(&b, dg, dg->severity, NULL);
    }
    buf_puts(&b, shown ? "\n]\n" : "]\n");
    return buf_detach(&b);
}

/* Edit distance with adjacent transpositions (optimal string alignment), so
 * that "paeg" is one step from "page". Three rows of memory. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *pp = xmalloc((lb + 1) * sizeof(size_t));
    size_t *prev = xmalloc((lb + 1) * sizeof(size_t));
    size_t *row = xmalloc((lb + 1) * sizeof(size_t));
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < best)
                best = pp[j - 2] + 1;
            row[j] = best;
        }
        size_t *t = pp;
        pp = prev;
        prev = row;
        row = t;
    }
    size_t r = prev[lb];
    free(pp);
    free(prev);
    free(row);
    return r;
}

const char *diag_suggest(const char *word, const char *const *candidates, size_t n)
{
    size_t limit = strlen(word) / 3;
    if (limit < 1)
        limit = 1;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        if (!candidates[i])
            continue; /* an entity without the field (reported where it is defined) */
        size_t dist = edit_distance(word, candidates[i]);
        if (dist < best_d && dist > 0) {
            best_d = dist;
            best = candidates[i];
        }
    }
    return best;
}
