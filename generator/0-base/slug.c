/* slug: anchor ids from text (headings, glossary terms). */
#include "slug.h"

#include <ctype.h>

bool slug_append(const char *text, buf_t *out)
{
    size_t start = out->len;
    const unsigned char *p = (const unsigned char *)text;
    bool dash = false;
    while (*p) {
        unsigned char c = *p;
        if (c < 0x80) {
            if (isalnum(c)) {
                if (dash && out->len > start)
                    buf_putc(out, '-');
                dash = false;
                buf_putc(out, (char)tolower(c));
            } else if (c == ' ' || c == '-' || c == '_' || c == '\t' || c == '\n') {
                dash = true;
            }
            p++;
            continue;
        }
        if (c == 0xC2 && p[1] == 0xA0) { /* no-break space */
            dash = true;
            p += 2;
            continue;
        }
        size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        for (size_t i = 1; i < n; i++)
            if (!p[i]) {
                n = i;
                break;
            }
        if (dash && out->len > start)
            buf_putc(out, '-');
        dash = false;
        if (n == 2 && c == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
            buf_putc(out, (char)0xC3); /* Ä -> ä, Ö -> ö, Å -> å, ... */
            buf_putc(out, (char)(p[1] + 0x20));
        } else {
            buf_put(out, (const char *)p, n);
        }
        p += n;
    }
    return out->len > start;
}
