/* Tests of the context escapers. */
#include "../generator/0-base/escape.h"
#include "testutil.h"

START_TEST(test_escape_html_makes_markup_inert)
{
    buf_t b = BUF_INIT;
    esc_html_str(&b, "<script>\"x\" & 'y'</script>");
    ck_assert_str_eq(b.ptr, "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;");
    buf_clear(&b);
    esc_html_str(&b, "Pohjois-Karjala ääkköset");
    ck_assert_str_eq(b.ptr, "Pohjois-Karjala ääkköset");
    buf_free(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("escape");
    TCase *tc = tcase_create("escape");
    tcase_add_test(tc, test_escape_html_makes_markup_inert);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
