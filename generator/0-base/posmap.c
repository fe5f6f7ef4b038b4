/* posmap: output offsets -> source offsets, and line:col on both sides. */
#include "posmap.h"

#include <stdlib.h>

#include "xmem.h"

typedef struct {
    size_t out, src;
    bool copied;
} note;

struct pos_map {
    note *notes; /* out strictly increasing */
    size_t n, cap;
    size_t skip;
    size_t *out_lines, n_out_lines; /* offsets of the output's line starts */
    size_t *src_lines, n_src_lines;
    size_t out_len, src_len;
};

pos_map *pos_map_new(void) { return xcalloc(1, sizeof(pos_map)); }

void pos_map_free(pos_map *m)
{
    if (!m)
        return;
    free(m->notes);
    free(m->out_lines);
    free(m->src_lines);
    free(m);
}

void pos_map_note(pos_map *m, size_t out_off, size_t src_off, bool copied)
{
    if (m->n > 0) {
        note *last = &m->notes[m->n - 1];
        if (last->out == out_off) { /* the last note covered nothing */
            *last = (note){out_off, src_off, copied};
            return;
        }
        if (copied && last->copied && last->src + (out_off - last->out) == src_off)
            return; /* the copy goes on */
        if (!copied && !last->copied && last->src == src_off)
            return;
    }
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->notes = xrealloc(m->notes, m->cap * sizeof(note));
    }
    m->notes[m->n++] = (note){out_off, src_off, copied};
}

/* The offsets where the lines of s[0..n) begin; their count in *count. */
static size_t *line_starts(const char *s, size_t n, size_t *count)
{
    size_t k = 1;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '\n';
    size_t *at = xmalloc(k * sizeof(size_t));
    at[0] = 0;
    k = 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n')
            at[k++] = i + 1;
    *count = k;
    return at;
}

void pos_map_finish(pos_map *m, const char *src, size_t src_len, const char *out, size_t out_len,
                    size_t skip)
{
    m->skip = skip;
    m->src_len = src_len;
    m->out_len = out_len;
    m->src_lines = line_starts(src, src_len, &m->n_src_lines);
    m->out_lines = line_starts(out, out_len, &m->n_out_lines);
}

/* The last i with at[i] <= key (at[0] <= key is assumed). */
static size_t last_at_most(const size_t *at, size_t n, size_t key)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (at[mid] <= key)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

bool pos_map_find(const pos_map *m, int *line, int *col)
{
    if (!m || !m->out_lines || *line < 1 || (size_t)*line > m->n_out_lines || m->n == 0)
        return false;
    size_t off = m->out_lines[*line - 1] + (size_t)(*col > 1 ? *col - 1 : 0);
    if (off > m->out_len)
        off = m->out_len;
    off += m->skip;
    if (off < m->notes[0].out)
        return false;
    size_t lo = 0, hi = m->n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->notes[mid].out <= off)
            lo = mid;
        else
            hi = mid;
    }
    const note *nt = &m->notes[lo];
    size_t src = nt->copied ? nt->src + (off - nt->out) : nt->src;
    if (src > m->src_len)
        src = m->src_len;
    size_t l = last_at_most(m->src_lines, m->n_src_lines, src);
    *line = (int)l + 1;
    *col = (int)(src - m->src_lines[l]) + 1;
    return true;
}
