/* Tests of the position map: output line:col back to the source's. */
#include "../generator/0-base/posmap.h"
#include "testutil.h"

/* Asserts that out line:col maps to source want_line:want_col. */
static void expect(const pos_map *m, int line, int col, int want_line, int want_col)
{
    int l = line, c = col;
    ck_assert_msg(pos_map_find(m, &l, &c), "%d:%d not found", line, col);
    ck_assert_msg(l == want_line && c == want_col, "%d:%d -> %d:%d, want %d:%d", line, col, l, c, want_line,
                  want_col);
}

/* "ab{{v}}cd\nEF\n" rendered with v = VALUE and the last line repeated, as a
 * section would: "abVALUEcd\nEF\nEF\n". */
START_TEST(test_posmap_copied_text_maps_exactly_and_a_value_to_its_tag)
{
    const char *src = "ab{{v}}cd\nEF\n";
    const char *out = "abVALUEcd\nEF\nEF\n";
    pos_map *m = pos_map_new();
    pos_map_note(m, 0, 0, true);   /* "ab" */
    pos_map_note(m, 2, 2, false);  /* VALUE stands for {{v}} */
    pos_map_note(m, 7, 7, true);   /* "cd\nEF\n" */
    pos_map_note(m, 13, 10, true); /* "EF\n" again */
    pos_map_finish(m, src, strlen(src), out, strlen(out), 0);
    expect(m, 1, 1, 1, 1);
    expect(m, 1, 4, 1, 3); /* inside the value: the tag */
    expect(m, 1, 7, 1, 3);
    expect(m, 1, 8, 1, 8); /* 'c' after the value */
    expect(m, 2, 2, 2, 2);
    expect(m, 3, 1, 2, 1); /* the repeated line: where it is written */
    expect(m, 3, 2, 2, 2);
    int l = 5, c = 1;
    ck_assert(!pos_map_find(m, &l, &c)); /* beyond the output */
    ck_assert(l == 5 && c == 1);
    l = 0;
    ck_assert(!pos_map_find(m, &l, &c));
    pos_map_free(m);
}
END_TEST

/* Positions are asked of the output without its first skip bytes (the
 * stand-in lines a page's front matter leaves); a NULL map finds nothing. */
START_TEST(test_posmap_skips_the_first_bytes_and_null_finds_nothing)
{
    const char *text = "\n\nyksi\nkaksi\n";
    pos_map *m = pos_map_new();
    pos_map_note(m, 0, 0, true);
    pos_map_finish(m, text, strlen(text), text + 2, strlen(text) - 2, 2);
    expect(m, 1, 1, 3, 1);
    expect(m, 2, 3, 4, 3);
    pos_map_free(m);

    int l = 1, c = 1;
    ck_assert(!pos_map_find(NULL, &l, &c));
    pos_map_free(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("posmap");
    TCase *tc = tcase_create("posmap");
    tcase_add_test(tc, test_posmap_copied_text_maps_exactly_and_a_value_to_its_tag);
    tcase_add_test(tc, test_posmap_skips_the_first_bytes_and_null_finds_nothing);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
