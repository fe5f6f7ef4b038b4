/* posmap: where each byte of a generated text came from in the text it was
 * generated from (a 'mustache: true' page's Markdown and the page's file), so
 * that positions found in the output can be reported in the source. */
#ifndef KK_POSMAP_H
#define KK_POSMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pos_map pos_map;

/* A new empty map; free with pos_map_free. */
pos_map *pos_map_new(void);
/* NULL is a no-op. */
void pos_map_free(pos_map *m);

/* From output offset out_off on (up to the next note), the output is copied
 * byte for byte from source offset src_off (copied), or stands for the
 * source at src_off as a whole (!copied: a value substituted for a tag; each
 * of its bytes maps to src_off). out_off must not decrease from note to note. */
void pos_map_note(pos_map *m, size_t out_off, size_t src_off, bool copied);

/* Ends recording: src[0..src_len) is the source the notes point into,
 * out[0..out_len) the output as positions will be asked of it, which is the
 * recorded output without its first skip bytes. Both are read during the call
 * only. Call once, before pos_map_find. */
void pos_map_finish(pos_map *m, const char *src, size_t src_len, const char *out, size_t out_len,
                    size_t skip);

/* Turns *line:*col (1-based; columns in bytes, as cmark counts them) of the
 * output into the source's line:col (the same units). Inside copied text the
 * position maps exactly, inside a substituted value to its tag. Returns
 * false, leaving both unchanged, when m is NULL or line is not in the output. */
bool pos_map_find(const pos_map *m, int *line, int *col);

#endif
