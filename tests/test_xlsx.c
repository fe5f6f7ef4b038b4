/* Tests of write/xlsx: Excel workbooks of text tables, made in memory. */
#include <stdint.h>
#include <zlib.h>

#include "../generator/5-write/xlsx.h"
#include "testutil.h"

static char *fixed(const char *name, const char *const *taken, size_t n)
{
    return xlsx_sheet_name(name, taken, n);
}

#define ck_name(name, taken, n, expected)                                                           \
    do {                                                                                            \
        char *got_ = fixed(name, taken, n);                                                         \
        ck_assert_str_eq(got_, expected);                                                           \
        free(got_);                                                                                 \
    } while (0)

START_TEST(test_xlsx_sheet_name_keeps_a_good_name)
{
    ck_name("Vastuunjako: hyvinvointi", NULL, 0, "Vastuunjako- hyvinvointi");
    ck_name("Foorumit", NULL, 0, "Foorumit");
    ck_name("Äänestys ja ööliö", NULL, 0, "Äänestys ja ööliö");
}
END_TEST

START_TEST(test_xlsx_sheet_name_replaces_refused_characters)
{
    ck_name("a[b]c:d*e?f/g\\h", NULL, 0, "a-b-c-d-e-f-g-h");
    ck_name("'lainattu'", NULL, 0, "lainattu");
    ck_name("rivi\nvaihto", NULL, 0, "rivi-vaihto");
    ck_name("", NULL, 0, "Sheet");
    ck_name("''", NULL, 0, "Sheet");
    ck_name("bad\xff", NULL, 0, "bad-");
}
END_TEST

START_TEST(test_xlsx_sheet_name_is_cut_to_31_characters_between_utf8_sequences)
{
    /* 30 ASCII letters then ä (2 bytes) then more: 31 characters kept, ä whole. */
    ck_name("abcdefghijklmnopqrstuvwxyzABCDäöå", NULL, 0, "abcdefghijklmnopqrstuvwxyzABCDä");
    char *s = fixed("ääääääääääääääääääääääääääääääääääää", NULL, 0);
    ck_assert_uint_eq(strlen(s), 62); /* 31 characters of 2 bytes */
    free(s);
}
END_TEST

START_TEST(test_xlsx_sheet_name_numbers_a_name_used_twice)
{
    const char *taken[] = {"Foorumit", "foorumit (2)", "abcdefghijklmnopqrstuvwxyzABCDE"};
    ck_name("FOORUMIT", taken, 3, "FOORUMIT (3)");
    ck_name("abcdefghijklmnopqrstuvwxyzABCDE", taken, 3, "abcdefghijklmnopqrstuvwxyzA (2)");
    ck_name("history", NULL, 0, "history (2)");
}
END_TEST

START_TEST(test_xlsx_add_sheet_tells_when_the_name_changed)
{
    xlsx_book *b = xlsx_book_new();
    bool corrected;
    ck_assert_str_eq(xlsx_add_sheet(b, "Foorumit", &corrected), "Foorumit");
    ck_assert(!corrected);
    ck_assert_str_eq(xlsx_add_sheet(b, "Foorumit", &corrected), "Foorumit (2)");
    ck_assert(corrected);
    ck_assert_uint_eq(xlsx_sheet_count(b), 2);
    xlsx_book_free(b);
    xlsx_book_free(NULL);
}
END_TEST

START_TEST(test_xlsx_add_row_refuses_bad_text)
{
    xlsx_book *b = xlsx_book_new();
    bool corrected;
    xlsx_add_sheet(b, "A", &corrected);
    const char *cells[] = {"ok", "bad\xc3"};
    size_t lens[] = {2, 4};
    char *err = NULL;
    ck_assert(!xlsx_add_row(b, cells, lens, 2, &err));
    ck_assert_str_eq(err, "sheet 'A' row 1 column 2 is not valid UTF-8 text");
    free(err);
    const char *nul[] = {"a\0b"};
    size_t nlen[] = {3};
    ck_assert(!xlsx_add_row(b, nul, nlen, 1, &err));
    ck_assert_str_eq(err, "sheet 'A' row 1 column 1 is not valid UTF-8 text");
    free(err);
    char *big = xmalloc(XLSX_CELL_MAX + 2);
    memset(big, 'x', XLSX_CELL_MAX + 1);
    big[XLSX_CELL_MAX + 1] = '\0';
    const char *bc[] = {big};
    size_t bl[] = {XLSX_CELL_MAX + 1};
    ck_assert(!xlsx_add_row(b, bc, bl, 1, &err));
    ck_assert_str_eq(err, "sheet 'A' row 1 column 1 has more than 32767 characters (Excel's limit)");
    free(err);
    free(big);
    xlsx_book_free(b);
}
END_TEST

START_TEST(test_xlsx_fit_width_stays_between_8_and_60)
{
    ck_assert(xlsx_fit_width(0) == 8);
    ck_assert(xlsx_fit_width(10) == 12);
    ck_assert(xlsx_fit_width(500) == 60);
}
END_TEST

/* {====== Reading the zip back ====== */

static uint32_t le32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* The inflated member name of the zip in z (caller frees), NULL when absent. */
static char *zip_member(const buf_t *z, const char *name)
{
    const unsigned char *d = (const unsigned char *)z->ptr;
    size_t eocd = z->len - 22;
    while (eocd > 0 && le32(d + eocd) != 0x06054b50)
        eocd--;
    ck_assert_uint_eq(le32(d + eocd), 0x06054b50);
    size_t n = le16(d + eocd + 10), p = le32(d + eocd + 16);
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_eq(le32(d + p), 0x02014b50);
        uint16_t method = le16(d + p + 10), nl = le16(d + p + 28);
        uint32_t csize = le32(d + p + 20), usize = le32(d + p + 24), local = le32(d + p + 42);
        if (strlen(name) == nl && !memcmp(d + p + 46, name, nl)) {
            const unsigned char *data = d + local + 30 + le16(d + local + 26) + le16(d + local + 28);
            char *out = xmalloc(usize + 1);
            out[usize] = '\0';
            if (method == 0) {
                memcpy(out, data, usize);
                return out;
            }
            z_stream s = {.next_in = (unsigned char *)data, .avail_in = csize,
                          .next_out = (unsigned char *)out, .avail_out = usize};
            ck_assert_int_eq(inflateInit2(&s, -MAX_WBITS), Z_OK);
            ck_assert_int_eq(inflate(&s, Z_FINISH), Z_STREAM_END);
            inflateEnd(&s);
            return out;
        }
        p += 46 + nl + le16(d + p + 30) + le16(d + p + 32);
    }
    return NULL;
}

/* }====== */

static xlsx_book *formula_book(void)
{
    xlsx_book *b = xlsx_book_new();
    bool corrected;
    xlsx_add_sheet(b, "Kaavat", &corrected);
    const char *head[] = {"Solu", "Arvo"};
    const char *row[] = {"=1+1", "@SUM(A1:A2)"};
    const char *row2[] = {"+cmd|' /C calc'!A0", "-2"};
    size_t hl[] = {4, 4}, rl[] = {4, 11}, r2l[] = {strlen(row2[0]), 2};
    char *err = NULL;
    ck_assert(xlsx_add_row(b, head, hl, 2, &err));
    ck_assert(xlsx_add_row(b, row, rl, 2, &err));
    ck_assert(xlsx_add_row(b, row2, r2l, 2, &err));
    return b;
}

START_TEST(test_xlsx_render_writes_every_cell_as_text_never_a_formula)
{
    xlsx_book *b = formula_book();
    buf_t z = BUF_INIT;
    char *err = NULL;
    ck_assert(xlsx_render(b, 1767225600, &z, &err));
    ck_assert_int_eq(memcmp(z.ptr, "PK", 2), 0);
    char *sheet = zip_member(&z, "xl/worksheets/sheet1.xml");
    ck_assert_ptr_nonnull(sheet);
    ck_assert_ptr_null(strstr(sheet, "<f>"));
    ck_assert_ptr_nonnull(strstr(sheet, "<c r=\"A2\" t=\"s\">"));
    ck_assert_ptr_nonnull(strstr(sheet, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"));
    ck_assert_ptr_nonnull(strstr(sheet, "<autoFilter ref=\"A1:B3\"/>"));
    ck_assert_ptr_nonnull(strstr(sheet, "<col min=\"1\" max=\"1\" width=\"20.7109375\" customWidth=\"1\"/>"));
    char *sst = zip_member(&z, "xl/sharedStrings.xml");
    ck_assert_ptr_nonnull(strstr(sst, "<t>=1+1</t>"));
    ck_assert_ptr_nonnull(strstr(sst, "<t>@SUM(A1:A2)</t>"));
    char *styles = zip_member(&z, "xl/styles.xml");
    ck_assert_ptr_nonnull(strstr(styles, "<b/>"));
    free(sheet);
    free(sst);
    free(styles);
    buf_free(&z);
    xlsx_book_free(b);
}
END_TEST

START_TEST(test_xlsx_render_gives_the_same_bytes_for_the_same_book)
{
    xlsx_book *b = formula_book();
    buf_t z1 = BUF_INIT, z2 = BUF_INIT;
    char *err = NULL;
    ck_assert(xlsx_render(b, 1767225600, &z1, &err));
    ck_assert(xlsx_render(b, 1767225600, &z2, &err));
    ck_assert_uint_eq(z1.len, z2.len);
    ck_assert_int_eq(memcmp(z1.ptr, z2.ptr, z1.len), 0);
    char *core = zip_member(&z1, "docProps/core.xml");
    ck_assert_ptr_nonnull(strstr(core, "2026-01-01T00:00:00Z"));
    free(core);
    buf_free(&z1);
    buf_free(&z2);
    xlsx_book_free(b);
}
END_TEST

START_TEST(test_xlsx_render_refuses_a_book_without_sheets)
{
    xlsx_book *b = xlsx_book_new();
    buf_t z = BUF_INIT;
    char *err = NULL;
    ck_assert(!xlsx_render(b, 1, &z, &err));
    ck_assert_str_eq(err, "a workbook needs at least one sheet");
    free(err);
    xlsx_book_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("xlsx");
    TCase *tc = tcase_create("xlsx");
    tcase_add_test(tc, test_xlsx_sheet_name_keeps_a_good_name);
    tcase_add_test(tc, test_xlsx_sheet_name_replaces_refused_characters);
    tcase_add_test(tc, test_xlsx_sheet_name_is_cut_to_31_characters_between_utf8_sequences);
    tcase_add_test(tc, test_xlsx_sheet_name_numbers_a_name_used_twice);
    tcase_add_test(tc, test_xlsx_add_sheet_tells_when_the_name_changed);
    tcase_add_test(tc, test_xlsx_add_row_refuses_bad_text);
    tcase_add_test(tc, test_xlsx_fit_width_stays_between_8_and_60);
    tcase_add_test(tc, test_xlsx_render_writes_every_cell_as_text_never_a_formula);
    tcase_add_test(tc, test_xlsx_render_gives_the_same_bytes_for_the_same_book);
    tcase_add_test(tc, test_xlsx_render_refuses_a_book_without_sheets);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
