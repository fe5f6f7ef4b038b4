/* xlsx: an Excel workbook of text tables, made in memory with libxlsxwriter. */
#include "xlsx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "../0-base/utf8.h"
#include "../0-base/xmem.h"

typedef struct {
    char **cells;
    size_t n;
} xrow;

typedef struct {
    char *name;
    xrow *rows;
    size_t n_rows;
    size_t n_cols;
    size_t *chars;  /* per column: the longest cell's characters */
    double *widths; /* per column: a width set by xlsx_set_width, or 0 */
} xsheet;

struct xlsx_book {
    xsheet *sheets;
    size_t n;
};

xlsx_book *xlsx_book_new(void)
{
    return xcalloc(1, sizeof(xlsx_book));
}

void xlsx_book_free(xlsx_book *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        xsheet *s = &b->sheets[i];
        for (size_t r = 0; r < s->n_rows; r++) {
            for (size_t c = 0; c < s->rows[r].n; c++)
                free(s->rows[r].cells[c]);
            free(s->rows[r].cells);
        }
        free(s->rows);
        free(s->chars);
        free(s->widths);
        free(s->name);
    }
    free(b->sheets);
    free(b);
}

size_t xlsx_sheet_count(const xlsx_book *b)
{
    return b->n;
}

/* {====== Sheet names ====== */

/* Characters of s[0..n) (a malformed byte counts as one). */
static size_t count_chars(const char *s, size_t n)
{
    size_t chars = 0;
    uint32_t cp;
    for (size_t i = 0; i < n; i += utf8_next((const unsigned char *)s + i, n - i, &cp))
        chars++;
    return chars;
}

/* The byte length of s's first max characters (s well-formed). */
static size_t prefix_bytes(const char *s, size_t max)
{
    size_t i = 0, n = strlen(s);
    uint32_t cp;
    for (size_t k = 0; k < max && i < n; k++)
        i += utf8_next((const unsigned char *)s + i, n - i, &cp);
    return i;
}

/* name with the characters Excel refuses replaced, apostrophes trimmed, cut. */
static char *clean_name(const char *name)
{
    buf_t b = BUF_INIT;
    size_t n = strlen(name);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_next((const unsigned char *)name + i, n - i, &cp);
        if (cp == UTF8_BAD || cp < 0x20 || cp == 0x7f || strchr("[]:*?/\\", (int)cp) != NULL)
            buf_putc(&b, '-');
        else
            buf_put(&b, name + i, k);
        i += k;
    }
    char *s = b.ptr ? buf_detach(&b) : xstrdup("");
    size_t start = 0, len = strlen(s);
    while (start < len && s[start] == '\'')
        start++;
    while (len > start && s[len - 1] == '\'')
        len--;
    memmove(s, s + start, len - start);
    s[len - start] = '\0';
    s[prefix_bytes(s, XLSX_NAME_MAX)] = '\0';
    if (!*s) {
        free(s);
        s = xstrdup("Sheet");
    }
    return s;
}

static bool name_taken(const char *name, const char *const *taken, size_t n)
{
    if (!strcasecmp(name, "History")) /* Excel keeps this name for itself */
        return true;
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(name, taken[i]))
            return true;
    return false;
}

char *xlsx_sheet_name(const char *name, const char *const *taken, size_t n)
{
    char *base = clean_name(name);
    if (!name_taken(base, taken, n))
        return base;
    for (size_t k = 2;; k++) {
        char suffix[32];
        int sl = snprintf(suffix, sizeof suffix, " (%zu)", k);
        char *s = xasprintf("%.*s%s", (int)prefix_bytes(base, XLSX_NAME_MAX - (size_t)sl), base, suffix);
        if (!name_taken(s, taken, n)) {
            free(base);
            return s;
        }
        free(s);
    }
}

/* }====== */

const char *xlsx_add_sheet(xlsx_book *b, const char *name, bool *corrected)
{
    const char **taken = xmalloc((b->n + 1) * sizeof *taken);
    for (size_t i = 0; i < b->n; i++)
        taken[i] = b->sheets[i].name;
    char *fixed = xlsx_sheet_name(name, taken, b->n);
    free(taken);
    *corrected = strcmp(fixed, name) != 0;
    b->sheets = xrealloc(b->sheets, (b->n + 1) * sizeof(xsheet));
    b->sheets[b->n] = (xsheet){.name = fixed};
    return b->sheets[b->n++].name;
}

/* Makes room for columns up to n in s. */
static void grow_cols(xsheet *s, size_t n)
{
    if (n <= s->n_cols)
        return;
    s->chars = xrealloc(s->chars, n * sizeof *s->chars);
    s->widths = xrealloc(s->widths, n * sizeof *s->widths);
    for (size_t c = s->n_cols; c < n; c++) {
        s->chars[c] = 0;
        s->widths[c] = 0;
    }
    s->n_cols = n;
}

bool xlsx_add_row(xlsx_book *b, const char *const *cells, const size_t *lens, size_t n, char **err)
{
    xsheet *s = b->n ? &b->sheets[b->n - 1] : NULL;
    if (!s) {
        *err = xstrdup("a row needs a sheet");
        return false;
    }
    if (s->n_rows >= XLSX_ROWS_MAX) {
        *err = xasprintf("sheet '%s' has more than %d rows (Excel's limit)", s->name, XLSX_ROWS_MAX);
        return false;
    }
    if (n > XLSX_COLS_MAX) {
        *err = xasprintf("sheet '%s' row %zu has %zu cells, more than Excel's %d columns", s->name,
                         s->n_rows + 1, n, XLSX_COLS_MAX);
        return false;
    }
    for (size_t c = 0; c < n; c++) {
        if (utf8_check(cells[c], lens[c]) != lens[c] || memchr(cells[c], '\0', lens[c])) {
            *err = xasprintf("sheet '%s' row %zu column %zu is not valid UTF-8 text", s->name, s->n_rows + 1,
                             c + 1);
            return false;
        }
        if (count_chars(cells[c], lens[c]) > XLSX_CELL_MAX) {
            *err = xasprintf("sheet '%s' row %zu column %zu has more than %d characters (Excel's limit)",
                             s->name, s->n_rows + 1, c + 1, XLSX_CELL_MAX);
            return false;
        }
    }
    grow_cols(s, n);
    xrow r = {.cells = xmalloc((n ? n : 1) * sizeof(char *)), .n = n};
    for (size_t c = 0; c < n; c++) {
        r.cells[c] = xstrndup(cells[c], lens[c]);
        size_t chars = count_chars(cells[c], lens[c]);
        if (chars > s->chars[c])
            s->chars[c] = chars;
    }
    s->rows = xrealloc(s->rows, (s->n_rows + 1) * sizeof(xrow));
    s->rows[s->n_rows++] = r;
    return true;
}

void xlsx_set_width(xlsx_book *b, size_t col, double width)
{
    if (!b->n || col >= XLSX_COLS_MAX)
        return;
    xsheet *s = &b->sheets[b->n - 1];
    grow_cols(s, col + 1);
    s->widths[col] = width < 1 ? 1 : width > 255 ? 255 : width;
}

double xlsx_fit_width(size_t chars)
{
    size_t w = chars + 2;
    return (double)(w < XLSX_WIDTH_MIN ? XLSX_WIDTH_MIN : w > XLSX_WIDTH_MAX ? XLSX_WIDTH_MAX : w);
}

/* {====== Rendering ====== */

/* Writes sheet s into ws; the first failing call's error, or LXW_NO_ERROR. */
static lxw_error write_sheet(const xsheet *s, lxw_worksheet *ws, lxw_format *bold)
{
    lxw_error e = LXW_NO_ERROR;
    for (size_t r = 0; r < s->n_rows && !e; r++)
        for (size_t c = 0; c < s->rows[r].n && !e; c++)
            e = worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, s->rows[r].cells[c], r == 0 ? bold : NULL);
    for (size_t c = 0; c < s->n_cols && !e; c++) {
        double w = s->widths[c] > 0 ? s->widths[c] : xlsx_fit_width(s->chars[c]);
        e = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
    }
    if (!e && s->n_rows > 0 && s->n_cols > 0) {
        worksheet_freeze_panes(ws, 1, 0);
        e = worksheet_autofilter(ws, 0, 0, (lxw_row_t)(s->n_rows - 1), (lxw_col_t)(s->n_cols - 1));
    }
    return e;
}

/* Reads the whole of fd into out. */
static bool read_back(int fd, buf_t *out)
{
    off_t size = lseek(fd, 0, SEEK_END);
    if (size < 0)
        return false;
    buf_grow(out, (size_t)size + 1);
    size_t got = 0;
    while (got < (size_t)size) {
        ssize_t k = pread(fd, out->ptr + out->len + got, (size_t)size - got, (off_t)got);
        if (k <= 0)
            return false;
        got += (size_t)k;
    }
    out->len += got;
    out->ptr[out->len] = '\0';
    return true;
}

bool xlsx_render(const xlsx_book *b, time_t created, buf_t *out, char **err)
{
    /* libxlsxwriter 1.1.4 (Debian 12) writes a workbook only to a named file (output_buffer came
     * in 1.1.5): the name is that of an anonymous memory file, so nothing reaches the disk. */
    if (b->n == 0) {
        *err = xstrdup("a workbook needs at least one sheet");
        return false;
    }
    int fd = memfd_create("kasikirja-xlsx", MFD_CLOEXEC);
    if (fd < 0) {
        *err = xstrdup("could not make a memory file for the workbook");
        return false;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        close(fd);
        *err = xasprintf("libxlsxwriter could not start a workbook in %s", path);
        return false;
    }
    lxw_doc_properties props = {.created = created > 0 ? created : 1};
    workbook_set_properties(wb, &props);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_error e = LXW_NO_ERROR;
    for (size_t i = 0; i < b->n && !e; i++) {
        lxw_worksheet *ws = workbook_add_worksheet(wb, b->sheets[i].name);
        e = ws ? write_sheet(&b->sheets[i], ws, bold) : LXW_ERROR_SHEETNAME_ALREADY_USED;
    }
    lxw_error ce = workbook_close(wb); /* frees wb, also after an error */
    if (!e)
        e = ce;
    bool ok = !e && read_back(fd, out);
    close(fd);
    if (!ok)
        *err = xasprintf("libxlsxwriter failed: %s", e ? lxw_strerror(e) : "the workbook could not be read back");
    return ok;
}

/* }====== */
