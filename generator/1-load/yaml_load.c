/* yaml_load: libyaml event stream -> value tree with positions. */
#include "yaml_load.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../0-base/buf.h"
#include "../0-base/xmem.h"

/* Aliases copy their anchor's tree; this caps the total so that an alias
 * bomb ("billion laughs") fails instead of eating the machine. */
#define MAX_NODES 5000000
#define MAX_DEPTH 1000

typedef struct {
    char *name;
    val *v; /* borrowed from the tree being built */
} anchor;

typedef struct {
    yaml_parser_t parser;
    const char *path;
    const char *src;
    size_t len;
    int line_offset;
    diag_list *d;
    anchor *anchors;
    size_t n_anchors, cap_anchors;
    size_t nodes;
    bool failed;
} loader;

static src_pos pos_of(loader *l, yaml_mark_t m)
{
    /* libyaml marks are 0-based. */
    return (src_pos){l->path, (int)m.line + 1 + l->line_offset, (int)m.column + 1};
}

/* What an editor should do about libyaml's most common complaints. */
static const struct {
    const char *problem;
    const char *hint;
} hints[] = {
    {"tab character", "use spaces, not tabs, for indentation"},
    {"mapping values are not allowed", "a value that contains ': ' must be put in quotes"},
    {"did not find expected key", "keys of one mapping must start in the same column"},
    {"did not find expected '-' indicator", "the items of a list must all start with '- ' in the same column"},
    {"did not find expected ',' or ']'", "close the list with ']'"},
    {"did not find expected ',' or '}'", "close the mapping with '}'"},
    {"while scanning a quoted scalar", "close the quote that starts at line %d"},
    {"while scanning a simple key", "a key must be followed by ':' on the same line"},
    {"block sequence entries are not allowed", "put the list on its own lines below the key"},
};

/* The byte offset of 0-based line and character column in the text (libyaml's
 * marks count characters, not bytes: "Testikäsikirja" is one shorter in them). */
static size_t byte_at(const loader *l, size_t line, size_t column)
{
    size_t i = 0;
    for (size_t n = 0; n < line && i < l->len; i++)
        if (l->src[i] == '\n')
            n++;
    for (size_t c = 0; c < column && i < l->len; c++) {
        i++;
        while (i < l->len && ((unsigned char)l->src[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

static void parser_error(loader *l)
{
    yaml_parser_t *p = &l->parser;
    yaml_mark_t m = p->problem_mark;
    const char *problem = p->problem ? p->problem : "malformed YAML";
    if (p->error == YAML_READER_ERROR) {
        /* Reader errors carry a byte offset, not a line: find the line. */
        size_t off = p->problem_offset < l->len ? p->problem_offset : l->len;
        int line = 1, col = 1;
        for (size_t i = 0; i < off; i++) {
            if (l->src[i] == '\n')
                line++, col = 1;
            else
                col++;
        }
        diag_error(l->d, l->path, line + l->line_offset, col,
                   "%s (the file must be saved as UTF-8 text)", problem);
        l->failed = true;
        return;
    }
    buf_t msg = BUF_INIT;
    buf_printf(&msg, "YAML syntax error: %s%s%s", problem, p->context ? " " : "",
               p->context ? p->context : "");
    size_t at = byte_at(l, m.line, m.column);
    bool tab = at < l->len && l->src[at] == '\t';
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
        if (strstr(msg.ptr, hints[i].problem) || (tab && i == 0)) {
            buf_puts(&msg, " (");
            buf_printf(&msg, hints[i].hint, (int)p->context_mark.line + 1 + l->line_offset);
            buf_puts(&msg, ")");
            break;
        }
    }
    diag_error(l->d, l->path, (int)m.line + 1 + l->line_offset, (int)m.column + 1, "%s", msg.ptr);
    buf_free(&msg);
    l->failed = true;
}

static bool next(loader *l, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&l->parser, ev)) {
        parser_error(l);
        return false;
    }
    return true;
}

static void remember(loader *l, const yaml_char_t *name, val *v)
{
    if (!name)
        return;
    if (l->n_anchors == l->cap_anchors) {
        l->cap_anchors = l->cap_anchors ? l->cap_anchors * 2 : 8;
        l->anchors = xrealloc(l->anchors, l->cap_anchors * sizeof(anchor));
    }
    l->anchors[l->n_anchors].name = xstrdup((const char *)name);
    l->anchors[l->n_anchors].v = v;
    l->n_anchors++;
}

static bool in_tree(const val *root, const val *x)
{
    if (root == x)
        return true;
    for (size_t i = 0; i < val_len(root); i++)
        if (in_tree(val_at(root, i), x))
            return true;
    return false;
}

/* A value about to be dropped (a duplicate key's): aliases may no longer name anything in it. */
static void forget_anchors(loader *l, const val *dropped)
{
    for (size_t i = 0; i < l->n_anchors; i++)
        if (l->anchors[i].v && in_tree(dropped, l->anchors[i].v))
            l->anchors[i].v = NULL;
}

static size_t count_nodes(const val *v)
{
    size_t n = 1;
    for (size_t i = 0; i < val_len(v); i++)
        n += count_nodes(val_at(v, i));
    return n;
}

static bool is_plain_null(const char *s)
{
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

/* Resolves a plain scalar per the YAML 1.2 core schema. */
static val *plain_scalar(const char *s, size_t len, src_pos pos)
{
    if (is_plain_null(s))
        return val_null(pos);
    if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
        return val_bool(true, pos);
    if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
        return val_bool(false, pos);
    /* Numbers: [-+]?digits[.digits][e[-+]digits], or .5 forms. */
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    bool digits = false, ok = true;
    while (*p >= '0' && *p <= '9')
        p++, digits = true;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++, digits = true;
    }
    if (digits && (*p == 'e' || *p == 'E')) {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            ok = false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (digits && ok && *p == '\0') {
        errno = 0;
        double n = strtod(s, NULL);
        if (errno == 0 && isfinite(n))
            return val_num(n, pos);
    }
    return val_strn(s, len, pos);
}

static val *parse_node(loader *l, yaml_event_t *ev, int depth);

static val *parse_sequence(loader *l, yaml_event_t *start, int depth)
{
    val *list = val_list(pos_of(l, start->start_mark));
    remember(l, start->data.sequence_start.anchor, list);
    for (;;) {
        yaml_event_t ev;
        if (!next(l, &ev))
            break;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return list;
        }
        val *item = parse_node(l, &ev, depth + 1);
        yaml_event_delete(&ev);
        if (!item)
            break;
        val_push(list, item);
    }
    return list; /* caller sees l->failed */
}

static val *parse_mapping(loader *l, yaml_event_t *start, int depth)
{
    val *map = val_map(pos_of(l, start->start_mark));
    remember(l, start->data.mapping_start.anchor, map);
    for (;;) {
        yaml_event_t kev;
        if (!next(l, &kev))
            break;
        if (kev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&kev);
            return map;
        }
        src_pos kpos = pos_of(l, kev.start_mark);
        char *key = NULL;
        if (kev.type == YAML_SCALAR_EVENT) {
            key = xstrndup((const char *)kev.data.scalar.value, kev.data.scalar.length);
        } else {
            diag_error(l->d, l->path, kpos.line, kpos.col,
                       "a mapping key must be a plain text key, not a list or a mapping");
            l->failed = true;
        }
        yaml_event_delete(&kev);
        if (!key)
            break;
        yaml_event_t vev;
        if (!next(l, &vev)) {
            free(key);
            break;
        }
        val *v = parse_node(l, &vev, depth + 1);
        yaml_event_delete(&vev);
        if (!v) {
            free(key);
            break;
        }
        if (val_get(map, key)) {
            size_t i = 0;
            while (strcmp(val_key_at(map, i), key) != 0)
                i++;
            src_pos first = val_key_pos(map, i);
            diag_error(l->d, l->path, kpos.line, kpos.col,
                       "duplicate key '%s' (first given at line %d; a key may appear only once in a mapping)",
                       key, first.line);
            l->failed = true;
            forget_anchors(l, v);
            val_free(v);
        } else {
            val_set_at(map, key, kpos, v);
        }
        free(key);
    }
    return map;
}

static val *parse_node(loader *l, yaml_event_t *ev, int depth)
{
    src_pos pos = pos_of(l, ev->start_mark);
    if (depth > MAX_DEPTH) {
        diag_error(l->d, l->path, pos.line, pos.col,
                   "YAML nesting is deeper than %d levels", MAX_DEPTH);
        l->failed = true;
        return NULL;
    }
    if (++l->nodes > MAX_NODES) {
        diag_error(l->d, l->path, pos.line, pos.col, "YAML document has more than %d values",
                   MAX_NODES);
        l->failed = true;
        return NULL;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        const char *s = (const char *)ev->data.scalar.value;
        size_t n = ev->data.scalar.length;
        val *v;
        if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev->data.scalar.tag)
            v = plain_scalar(s, n, pos);
        else
            v = val_strn(s, n, pos);
        remember(l, ev->data.scalar.anchor, v);
        return v;
    }
    case YAML_SEQUENCE_START_EVENT: {
        val *v = parse_sequence(l, ev, depth);
        if (l->failed) {
            val_free(v);
            return NULL;
        }
        return v;
    }
    case YAML_MAPPING_START_EVENT: {
        val *v = parse_mapping(l, ev, depth);
        if (l->failed) {
            val_free(v);
            return NULL;
        }
        return v;
    }
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)ev->data.alias.anchor;
        for (size_t i = l->n_anchors; i-- > 0;) {
            if (l->anchors[i].v && !strcmp(l->anchors[i].name, name)) {
                l->nodes += count_nodes(l->anchors[i].v);
                if (l->nodes > MAX_NODES) {
                    diag_error(l->d, l->path, pos.line, pos.col,
                               "YAML aliases expand to more than %d values", MAX_NODES);
                    l->failed = true;
                    return NULL;
                }
                return val_copy(l->anchors[i].v);
            }
        }
        diag_error(l->d, l->path, pos.line, pos.col, "unknown YAML alias '*%s' (define '&%s' first)",
                   name, name);
        l->failed = true;
        return NULL;
    }
    default:
        diag_error(l->d, l->path, pos.line, pos.col, "unexpected YAML event");
        l->failed = true;
        return NULL;
    }
}

val *yaml_load(const char *src, size_t len, const char *path, int line_offset, diag_list *d)
{
    loader l;
    memset(&l, 0, sizeof l);
    l.path = path;
    l.src = src;
    l.len = len;
    l.line_offset = line_offset;
    l.d = d;
    yaml_parser_initialize(&l.parser);
    yaml_parser_set_input_string(&l.parser, (const unsigned char *)src, len);

    val *root = NULL;
    bool done = false;
    while (!done && !l.failed) {
        yaml_event_t ev;
        if (!next(&l, &ev))
            break;
        switch (ev.type) {
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_START_EVENT:
            break;
        case YAML_DOCUMENT_END_EVENT:
        case YAML_STREAM_END_EVENT:
            done = true; /* only the first document counts */
            break;
        default:
            root = parse_node(&l, &ev, 0);
            if (!root)
                l.failed = true;
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&l.parser);
    for (size_t i = 0; i < l.n_anchors; i++)
        free(l.anchors[i].name);
    free(l.anchors);
    if (l.failed) {
        val_free(root);
        return NULL;
    }
    if (!root)
        root = val_null((src_pos){path, 1 + line_offset, 1});
    return root;
}
