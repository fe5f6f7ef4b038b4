/* Tests of the diagram cache: where it lives (outside the sources), reading
 * it (load/dcache) and writing it (write/output's out_cache_store). */
#include "../generator/0-base/xmem.h"
#include "../generator/1-load/dcache.h"
#include "../generator/5-write/output.h"
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

START_TEST(test_dcache_dir_is_the_override_when_given)
{
    char *dir = dcache_dir("sivusto", "/tmp/oma-valimuisti");
    ck_assert_str_eq(dir, "/tmp/oma-valimuisti");
    free(dir);
}
END_TEST

START_TEST(test_dcache_dir_lives_under_xdg_cache_home_by_the_sites_absolute_path)
{
    char *tmp = tu_tmpdir();
    char *site = xasprintf("%s/sivusto", tmp);
    mkdir(site, 0755);
    char *xdg = xasprintf("%s/xdg", tmp); /* only a name: dcache_dir makes no folder */
    setenv("XDG_CACHE_HOME", xdg, 1);
    char *want = xasprintf("%s/kasikirja/", xdg);
    char *a = dcache_dir(site, NULL);
    char *dot = xasprintf("%s/./sivusto", tmp);
    char *b = dcache_dir(dot, NULL); /* the same folder by another name */
    ck_assert_str_eq(a, b);
    ck_assert_int_eq(strncmp(a, want, strlen(want)), 0);
    ck_assert_uint_eq(strlen(a), strlen(want) + 16 + strlen("/kaaviot"));
    ck_assert_str_eq(a + strlen(a) - 8, "/kaaviot");
    ck_assert_ptr_null(strstr(a, site)); /* never inside the sources */
    char *other = dcache_dir(tmp, NULL);
    ck_assert_str_ne(a, other);
    free(a);
    free(b);
    free(dot);
    free(other);
    free(site);
    free(want);
    free(xdg);
    tu_rmdir(tmp);
}
END_TEST

START_TEST(test_dcache_dir_falls_back_to_home)
{
    unsetenv("XDG_CACHE_HOME");
    char *home = tu_tmpdir();
    setenv("HOME", home, 1);
    char *want = xasprintf("%s/.cache/kasikirja/", home);
    char *a = dcache_dir(".", NULL);
    ck_assert_int_eq(strncmp(a, want, strlen(want)), 0);
    free(a);
    free(want);
    tu_rmdir(home);
    unsetenv("HOME");
    ck_assert_ptr_null(dcache_dir(".", NULL));
}
END_TEST

START_TEST(test_dcache_reads_what_the_writer_stored)
{
    char *tmp = tu_tmpdir();
    char *dir = xasprintf("%s/a/b/kaaviot", tmp); /* made when missing */
    buf_t b = BUF_INIT;
    ck_assert(!dcache_read(dir, 42, &b));
    const char *svg = "<svg><g/></svg>";
    ck_assert(out_cache_store(dir, 42, svg, strlen(svg)));
    ck_assert(dcache_read(dir, 42, &b));
    ck_assert_str_eq(buf_cstr(&b), svg);
    ck_assert(!dcache_read(dir, 43, &b));
    char name[24];
    dcache_name(42, name);
    ck_assert_str_eq(name, "000000000000002a.svg");
    free(dir);
    buf_free(&b);
    tu_rmdir(tmp);
}
END_TEST

START_TEST(test_dcache_ignores_an_entry_that_is_not_svg)
{
    char *tmp = tu_tmpdir();
    ck_assert(out_cache_store(tmp, 7, "rikki", 5));
    buf_t b = BUF_INIT;
    ck_assert(!dcache_read(tmp, 7, &b));
    ck_assert_uint_eq(b.len, 0);
    tu_rmdir(tmp);
}
END_TEST

START_TEST(test_dcache_store_fails_cleanly_where_no_folder_can_be_made)
{
    char *tmp = tu_tmpdir();
    tu_write(tmp, "tiedosto", "ei kansio");
    char *dir = xasprintf("%s/tiedosto/kaaviot", tmp);
    ck_assert(!out_cache_store(dir, 1, "<svg/>", 6));
    free(dir);
    tu_rmdir(tmp);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dcache");
    TCase *tc = tcase_create("dcache");
    tcase_add_test(tc, test_dcache_dir_is_the_override_when_given);
    tcase_add_test(tc, test_dcache_dir_lives_under_xdg_cache_home_by_the_sites_absolute_path);
    tcase_add_test(tc, test_dcache_dir_falls_back_to_home);
    tcase_add_test(tc, test_dcache_reads_what_the_writer_stored);
    tcase_add_test(tc, test_dcache_ignores_an_entry_that_is_not_svg);
    tcase_add_test(tc, test_dcache_store_fails_cleanly_where_no_folder_can_be_made);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
