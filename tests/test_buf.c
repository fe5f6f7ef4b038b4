/* Tests of the growable buffer. */
#include "../generator/0-base/buf.h"
#include "testutil.h"

START_TEST(test_buf_appends_formats_and_detaches)
{
    buf_t b = BUF_INIT;
    ck_assert_str_eq(buf_cstr(&b), "");
    buf_puts(&b, "Laki ");
    buf_printf(&b, "%d/%d", 611, 2021);
    buf_putc(&b, '!');
    ck_assert_str_eq(b.ptr, "Laki 611/2021!");
    ck_assert_uint_eq(b.len, 14);
    buf_clear(&b);
    ck_assert_uint_eq(b.len, 0);
    for (int i = 0; i < 10000; i++)
        buf_put(&b, "ab", 2);
    ck_assert_uint_eq(b.len, 20000);
    char *s = buf_detach(&b);
    ck_assert_ptr_null(b.ptr);
    ck_assert_int_eq(s[19999], 'b');
    ck_assert_int_eq(s[20000], '\0');
    free(s);
    buf_free(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("buf");
    TCase *tc = tcase_create("buf");
    tcase_add_test(tc, test_buf_appends_formats_and_detaches);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
