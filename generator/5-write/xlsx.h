/* xlsx: an Excel workbook of text tables (libxlsxwriter), made in memory.
 * A book is plain data (sheets of rows of text) until xlsx_render turns it
 * into the bytes of an .xlsx file; the writer (output) then writes them like
 * any other file. Every cell is written as text, never as a formula, so
 * "=1+1" or "@SUM(A1)" stay the text they are. */
#ifndef KK_XLSX_H
#define KK_XLSX_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../0-base/buf.h"

/* Excel's limits that a book is checked against. */
#define XLSX_NAME_MAX 31         /* characters in a sheet name */
#define XLSX_CELL_MAX 32767      /* characters in a cell */
#define XLSX_ROWS_MAX 1048576    /* rows in a sheet, the header included */
#define XLSX_COLS_MAX 16384      /* columns in a sheet */
#define XLSX_WIDTH_MIN 8         /* fitted column widths, in characters */
#define XLSX_WIDTH_MAX 60

typedef struct xlsx_book xlsx_book;

/* An empty book; free with xlsx_book_free (NULL is a no-op). */
xlsx_book *xlsx_book_new(void);
void xlsx_book_free(xlsx_book *b);
size_t xlsx_sheet_count(const xlsx_book *b);

/* The name Excel accepts for name in a book whose sheets are named taken[0..n):
 * each of []:*?/\ and control characters becomes '-', a leading or trailing
 * apostrophe is dropped, the name is cut to XLSX_NAME_MAX characters
 * (never inside a UTF-8 sequence; invalid bytes become '-'), an empty name
 * becomes "Sheet", and a name already taken (ASCII letters compared without
 * case, as Excel does) gets " (2)", " (3)", … within the limit. Caller frees. */
char *xlsx_sheet_name(const char *name, const char *const *taken, size_t n);

/* Adds a sheet named xlsx_sheet_name(name, …) and returns that name
 * (borrowed; valid while b lives); *corrected tells whether it differs
 * from name. Rows added next go to this sheet; its first row is the header. */
const char *xlsx_add_sheet(xlsx_book *b, const char *name, bool *corrected);

/* Appends a row of n cells (cells[i] of lens[i] bytes) to the last sheet.
 * False with a message in *err (malloc'd; caller frees) when a cell is not
 * valid UTF-8 or holds a NUL byte or is longer than XLSX_CELL_MAX
 * characters, or the sheet would pass Excel's rows or columns. */
bool xlsx_add_row(xlsx_book *b, const char *const *cells, const size_t *lens, size_t n, char **err);

/* Sets column col's width (characters) of the last sheet; columns without
 * one fit their longest cell, between XLSX_WIDTH_MIN and XLSX_WIDTH_MAX. */
void xlsx_set_width(xlsx_book *b, size_t col, double width);

/* The fitted width of a column whose longest cell has chars characters. */
double xlsx_fit_width(size_t chars);

/* The .xlsx bytes of b in out (appended): one worksheet per sheet, the
 * header row bold and frozen, an autofilter over the header and the data,
 * the column widths; created is the document's date (its bytes depend on
 * nothing else). The workbook is made in an anonymous memory file
 * (memfd_create), never in the file system. False with a message in *err
 * (malloc'd) when libxlsxwriter fails. */
bool xlsx_render(const xlsx_book *b, time_t created, buf_t *out, char **err);

#endif
