/* json: the one JSON string writer. */
#include "json.h"

#include <stdint.h>

#include "utf8.h"

void json_put_string(buf_t *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    buf_putc(b, '"');
    while (p < end) {
        unsigned char c = *p;
        if (c >= 0x80) {
            uint32_t cp = 0;
            size_t len = utf8_decode((const char *)p, (size_t)(end - p), &cp);
            if (!len)
                buf_puts(b, "\\ufffd");
            else if (cp == 0x2028 || cp == 0x2029)
                buf_puts(b, cp == 0x2028 ? "\\u2028" : "\\u2029");
            else
                buf_put(b, (const char *)p, len);
            p += len ? len : 1;
            continue;
        }
        switch (c) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        case '\b': buf_puts(b, "\\b"); break;
        case '\f': buf_puts(b, "\\f"); break;
        default:
            if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&') {
                char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
                buf_puts(b, u);
            } else {
                buf_putc(b, (char)c);
            }
        }
        p++;
    }
    buf_putc(b, '"');
}
