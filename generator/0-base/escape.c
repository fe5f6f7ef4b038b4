/* escape: context escapers. */
#include "escape.h"

#include <string.h>

void esc_html(buf_t *out, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_put(out, s + start, i - start);
        buf_puts(out, rep);
        start = i + 1;
    }
    buf_put(out, s + start, n - start);
}

void esc_html_str(buf_t *out, const char *s)
{
    esc_html(out, s, strlen(s));
}
