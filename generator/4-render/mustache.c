/* mustache: parses templates once into node trees and renders them by walking
 * the trees into a buf_t (spec: core, ~inheritance, ~dynamic-names, ~lambdas). */
#include "mustache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../0-base/hash.h"
#include "../0-base/strmap.h"
#include "../0-base/utf8.h"
#include "../0-base/xmem.h"
#include "../0-base/escape.h"

#define MAX_DEPTH 100

/* {====== Templates ====== */

typedef enum {
    N_ROOT,     /* a template's top level */
    N_TEXT,     /* literal text: off/len into the template's source */
    N_VAR,      /* {{x}}, {{{x}}}, {{&x}} */
    N_SECTION,  /* {{#x}}…{{/x}} */
    N_INVERTED, /* {{^x}}…{{/x}} */
    N_PARTIAL,  /* {{>x}} or {{>*x}} */
    N_PARENT,   /* {{<x}}…{{/x}}: kids are its block arguments only */
    N_BLOCK,    /* {{$x}}…{{/x}}: kids are the default (or, in a parent, the argument) */
    N_MARK,     /* a tag that renders nothing but begins a line (indentation goes here) */
} node_kind;

/* A dotted name split once at parse time: "a.b" -> {"a", "b"}; "." -> no parts. */
typedef struct {
    char **part;
    size_t n;
} name_t;

typedef struct node node;
struct node {
    node_kind kind;
    bool line_start; /* first thing on its source line: indentation is due here */
    bool raw;        /* N_VAR: not HTML-escaped */
    bool dynamic;    /* N_PARTIAL, N_PARENT: the name is looked up in the context */
    bool standalone; /* N_PARTIAL, N_PARENT: alone on its line; indent applies */
    int line, col;   /* of the tag, 1-based */
    size_t at;       /* tags: the tag's offset in the source (for position maps) */
    /* N_TEXT: the text; sections: the unrendered body (kept for lambdas). */
    size_t off, len;
    char *name;  /* tag content as written (partial, parent, block names; messages) */
    name_t path; /* N_VAR, sections, dynamic names */
    /* N_PARTIAL, N_PARENT: whitespace before a standalone tag. N_BLOCK: the
     * block's indentation (that of its content when the tag ends its line,
     * else that of the line), removed where the block is defined and added
     * where it is expanded. */
    char *indent;
    /* Sections: the delimiters in effect, NULL for the default ones (a
     * section lambda's text is parsed with them). */
    char *otag, *ctag;
    node **kids;
    size_t nkids, capkids;
};

typedef struct {
    char *name;
    char *path;
    char *src; /* text nodes point into it */
    size_t len;
    node *root;
} tmpl;

struct mustache_lib {
    strmap *index;  /* name -> tmpl* */
    strmap *broken; /* names of templates that were given but did not parse */
    tmpl **all;    /* in order of first addition, for deterministic checks */
    size_t n, cap;
};

static void name_free(name_t *nm)
{
    for (size_t i = 0; i < nm->n; i++)
        free(nm->part[i]);
    free(nm->part);
}

static void node_free(node *nd)
{
    if (!nd)
        return;
    for (size_t i = 0; i < nd->nkids; i++)
        node_free(nd->kids[i]);
    free(nd->kids);
    free(nd->name);
    name_free(&nd->path);
    free(nd->indent);
    free(nd->otag);
    free(nd->ctag);
    free(nd);
}

static node *node_new(node_kind k, int line, int col)
{
    node *nd = xcalloc(1, sizeof(node));
    nd->kind = k;
    nd->line = line;
    nd->col = col;
    return nd;
}

static void node_add(node *parent, node *kid)
{
    if (parent->nkids == parent->capkids) {
        parent->capkids = parent->capkids ? parent->capkids * 2 : 4;
        parent->kids = xrealloc(parent->kids, parent->capkids * sizeof(node *));
    }
    parent->kids[parent->nkids++] = kid;
}

static void tmpl_free(tmpl *t)
{
    if (!t)
        return;
    free(t->name);
    free(t->path);
    free(t->src);
    node_free(t->root);
    free(t);
}

/* }====== */

/* {====== Scanner: source -> tokens ====== */

typedef struct {
    bool text;
    char sigil;      /* tags: 0 for {{x}}, else one of # ^ / > < $ ! = & { */
    bool removed;    /* text of a standalone line */
    bool line_start; /* first token of a line that is kept */
    bool standalone; /* tag on a standalone line */
    int line, col;
    size_t off, len;           /* text, or the whole tag with its delimiters */
    size_t name_off, name_len; /* tags: the trimmed content after the sigil */
    size_t ws_off, ws_len;     /* see node.indent */
    const char *otag, *ctag;   /* delimiters in effect (point into src or a literal) */
    size_t olen, clen;
} tok;

typedef struct {
    const char *src;
    size_t len;
    const char *path;
    diag_list *d;
    const char *otag0, *ctag0; /* the delimiters at the start; NULL for {{ }} */
    tok *toks;
    size_t ntok, cap;
    /* A cursor for turning offsets into line:col (offsets only grow). */
    size_t cur;
    int line, col;
} parser;

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static bool is_blank(char c) { return c == ' ' || c == '\t'; }

static void position(parser *p, size_t off, int *line, int *col)
{
    if (p->cur < off) {
        utf8_line_col(p->src + p->cur, off - p->cur, &p->line, &p->col);
        p->cur = off;
    }
    *line = p->line;
    *col = p->col;
}

static tok *tok_push(parser *p)
{
    if (p->ntok == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->toks = xrealloc(p->toks, p->cap * sizeof(tok));
    }
    tok *t = &p->toks[p->ntok++];
    memset(t, 0, sizeof(tok));
    return t;
}

/* Text is split after each newline, so that every line ends a token. */
static void add_text(parser *p, size_t a, size_t b)
{
    while (a < b) {
        const char *nl = memchr(p->src + a, '\n', b - a);
        size_t e = nl ? (size_t)(nl - p->src) + 1 : b;
        tok *t = tok_push(p);
        t->text = true;
        t->off = a;
        t->len = e - a;
        a = e;
    }
}

/* The first occurrence of ctag at or after from whose preceding character is
 * pre (0: any), or SIZE_MAX. */
static size_t find_close(const parser *p, size_t from, const char *ctag, size_t clen, char pre)
{
    size_t at = from;
    while (at < p->len) {
        const char *c = memmem(p->src + at, p->len - at, ctag, clen);
        if (!c)
            return SIZE_MAX;
        size_t i = (size_t)(c - p->src);
        if (!pre)
            return i;
        if (i > from && p->src[i - 1] == pre)
            return i - 1;
        at = i + 1;
    }
    return SIZE_MAX;
}

static bool set_delimiters(parser *p, tok *t, const char **otag, size_t *olen, const char **ctag,
                           size_t *clen)
{
    const char *s = p->src + t->name_off;
    size_t n = t->name_len, i = 0;
    size_t a0 = i;
    while (i < n && !is_ws(s[i]))
        i++;
    size_t a1 = i;
    while (i < n && is_ws(s[i]))
        i++;
    size_t b0 = i;
    while (i < n && !is_ws(s[i]))
        i++;
    size_t b1 = i;
    bool ok = a1 > a0 && b1 > b0 && b0 > a1 && i == n && !memchr(s + a0, '=', a1 - a0) &&
              !memchr(s + b0, '=', b1 - b0);
    if (!ok) {
        diag_error(p->d, p->path, t->line, t->col,
                   "bad set-delimiter tag '%.*s' (expected two delimiters separated by a "
                   "space, as in {{=<%% %%>=}})",
                   (int)t->len, p->src + t->off);
        return false;
    }
    *otag = s + a0;
    *olen = a1 - a0;
    *ctag = s + b0;
    *clen = b1 - b0;
    return true;
}

static bool tokenize(parser *p)
{
    const char *otag = p->otag0 ? p->otag0 : "{{", *ctag = p->ctag0 ? p->ctag0 : "}}";
    size_t olen = strlen(otag), clen = strlen(ctag), pos = 0;
    while (pos < p->len) {
        const char *o = memmem(p->src + pos, p->len - pos, otag, olen);
        size_t start = o ? (size_t)(o - p->src) : p->len;
        add_text(p, pos, start);
        if (!o)
            break;
        tok *t = tok_push(p);
        t->off = start;
        t->otag = otag;
        t->olen = olen;
        t->ctag = ctag;
        t->clen = clen;
        position(p, start, &t->line, &t->col);
        size_t q = start + olen;
        if (q < p->len && p->src[q] && strchr("#^/><$!=&{", p->src[q]))
            t->sigil = p->src[q++];
        char pre = t->sigil == '{' ? '}' : t->sigil == '=' ? '=' : 0;
        size_t e = find_close(p, q, ctag, clen, pre);
        /* A tag that runs into the next one was left unclosed (comments and
         * set-delimiter tags may contain anything). */
        bool runs_on = t->sigil != '!' && t->sigil != '=' && e != SIZE_MAX &&
                       memmem(p->src + q, e - q, otag, olen);
        if (e == SIZE_MAX || runs_on) {
            const char *pre_s = pre == '}' ? "}" : pre == '=' ? "=" : "";
            diag_error(p->d, p->path, t->line, t->col, "unclosed tag (expected '%s%.*s')", pre_s,
                       (int)clen, ctag);
            return false;
        }
        size_t a = q, b = e;
        while (a < b && is_ws(p->src[a]))
            a++;
        while (b > a && is_ws(p->src[b - 1]))
            b--;
        t->name_off = a;
        t->name_len = b - a;
        pos = e + (pre ? 1 : 0) + clen;
        t->len = pos - start;
        if (t->sigil == '=' && !set_delimiters(p, t, &otag, &olen, &ctag, &clen))
            return false;
    }
    return true;
}

/* }====== */

/* {====== Standalone lines ====== */

typedef struct {
    size_t first, last;    /* token range, inclusive */
    size_t ws_off, ws_len; /* leading blanks of the line */
} line_info;

static bool eligible(char sigil) { return sigil && strchr("#^/>!=<$", sigil); }

/* Whether a text token is only blanks and the line end. */
static bool text_blank(const parser *p, const tok *t)
{
    for (size_t i = 0; i < t->len; i++) {
        char c = p->src[t->off + i];
        if (is_blank(c))
            continue;
        if (c == '\n' && i + 1 == t->len)
            continue;
        if (c == '\r' && i + 2 == t->len && p->src[t->off + i + 1] == '\n')
            continue;
        return false;
    }
    return true;
}

static bool ends_line(const parser *p, const tok *t)
{
    return t->text && p->src[t->off + t->len - 1] == '\n';
}

/* Decides which lines are standalone (the spec: a line holding only blanks
 * and one section, inverted, close, comment, partial, set-delimiter, parent
 * or block tag is removed, the tag kept). As ~inheritance wants, a line may
 * also hold several parent/block tags ({{<parent}}{{$block}}), except a block
 * that opens and goes on on the same line ({{$b}}{{/b}} is inline). Also sets
 * each kept line's line_start and every block's indentation. */
static void mark_lines(parser *p)
{
    size_t nlines = 0, cap = 16;
    line_info *lines = xmalloc(cap * sizeof(line_info));
    for (size_t i = 0; i < p->ntok;) {
        size_t j = i;
        while (j + 1 < p->ntok && !ends_line(p, &p->toks[j]))
            j++;
        if (nlines == cap) {
            cap *= 2;
            lines = xrealloc(lines, cap * sizeof(line_info));
        }
        line_info *l = &lines[nlines++];
        l->first = i;
        l->last = j;
        l->ws_off = p->toks[i].off;
        l->ws_len = 0;
        if (p->toks[i].text)
            while (l->ws_len < p->toks[i].len && is_blank(p->src[l->ws_off + l->ws_len]))
                l->ws_len++;
        i = j + 1;
    }

    /* The sigils of the open tags, to know what a close tag closes. */
    size_t depth = 0, scap = 16;
    char *open = xmalloc(scap);
    for (size_t li = 0; li < nlines; li++) {
        line_info *l = &lines[li];
        size_t ntags = 0;
        const tok *tag = NULL;
        bool blank = true, inherit = true, open_block_last = true;
        for (size_t k = l->first; k <= l->last; k++) {
            tok *t = &p->toks[k];
            if (t->text) {
                blank = blank && text_blank(p, t);
                continue;
            }
            ntags++;
            tag = t;
            char closes = 0;
            if (t->sigil == '#' || t->sigil == '^' || t->sigil == '<' || t->sigil == '$') {
                if (depth == scap)
                    open = xrealloc(open, scap *= 2);
                open[depth++] = t->sigil;
            } else if (t->sigil == '/' && depth > 0) {
                closes = open[--depth];
            }
            if (!(t->sigil == '<' || t->sigil == '$' || closes == '<' || closes == '$'))
                inherit = false;
            if (t->sigil == '$')
                for (size_t m = k + 1; m <= l->last; m++)
                    if (!p->toks[m].text)
                        open_block_last = false;
        }
        bool standalone =
            blank && ntags > 0 && (ntags == 1 ? eligible(tag->sigil) : inherit && open_block_last);
        bool only_blank_before = true; /* for inline block indentation */
        for (size_t k = l->first; k <= l->last; k++) {
            tok *t = &p->toks[k];
            if (standalone) {
                if (t->text)
                    t->removed = true;
                else
                    t->standalone = true;
                if (!t->text && (t->sigil == '>' || t->sigil == '<')) {
                    t->ws_off = l->ws_off;
                    t->ws_len = only_blank_before ? l->ws_len : 0;
                }
            }
            /* A block's indentation: when its tag ends a standalone line,
             * that of the next line (its first content line); else that of
             * its own line when only blanks and tags come before it. */
            if (!t->text && t->sigil == '$') {
                if (standalone && li + 1 < nlines) {
                    t->ws_off = lines[li + 1].ws_off;
                    t->ws_len = lines[li + 1].ws_len;
                } else if (!standalone && only_blank_before) {
                    t->ws_off = l->ws_off;
                    t->ws_len = l->ws_len;
                }
            }
            bool inherit_tag = t->sigil == '<' || t->sigil == '$' || t->sigil == '/';
            if (t->text ? !text_blank(p, t) : !inherit_tag)
                only_blank_before = false;
            /* Only the first standalone tag of a line takes the indentation. */
            if (!t->text && standalone)
                only_blank_before = false;
        }
        if (!standalone)
            p->toks[l->first].line_start = true;
    }
    free(open);
    free(lines);
}

/* }====== */

/* {====== Parser: tokens -> tree ====== */

static char *tok_name(const parser *p, const tok *t)
{
    return xstrndup(p->src + t->name_off, t->name_len);
}

/* Splits a dotted name; "." is the implicit iterator. */
static bool parse_path(parser *p, const tok *t, const char *s, size_t n, name_t *out)
{
    out->part = NULL;
    out->n = 0;
    if (n == 1 && s[0] == '.')
        return true;
    size_t parts = 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '.')
            parts++;
    out->part = xcalloc(parts, sizeof(char *));
    size_t a = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.')
            continue;
        if (i == a) {
            diag_error(p->d, p->path, t->line, t->col,
                       "bad name '%.*s' in tag '%.*s' (an empty part between dots)", (int)n, s,
                       (int)t->len, p->src + t->off);
            name_free(out);
            out->part = NULL;
            out->n = 0;
            return false;
        }
        out->part[out->n++] = xstrndup(s + a, i - a);
        a = i + 1;
    }
    return true;
}

static bool check_name(parser *p, const tok *t)
{
    if (t->name_len == 0) {
        diag_error(p->d, p->path, t->line, t->col, "tag '%.*s' has no name", (int)t->len,
                   p->src + t->off);
        return false;
    }
    const char *s = p->src + t->name_off;
    size_t start = (t->sigil == '>' || t->sigil == '<') && s[0] == '*' ? 1 : 0;
    while (start < t->name_len && is_ws(s[start]))
        start++; /* {{> * name }} is allowed */
    for (size_t i = start; i < t->name_len; i++) {
        if (is_ws(s[i])) {
            diag_error(p->d, p->path, t->line, t->col,
                       "bad tag '%.*s' (a name cannot contain spaces)", (int)t->len,
                       p->src + t->off);
            return false;
        }
    }
    return true;
}

static const char *kind_word(node_kind k)
{
    switch (k) {
    case N_PARENT: return "parent";
    case N_BLOCK: return "block";
    default: return "section";
    }
}

/* Leaves only the block arguments among a parent tag's content. */
static void keep_blocks(node *parent)
{
    size_t n = 0;
    for (size_t i = 0; i < parent->nkids; i++) {
        if (parent->kids[i]->kind == N_BLOCK)
            parent->kids[n++] = parent->kids[i];
        else
            node_free(parent->kids[i]);
    }
    parent->nkids = n;
}

/* Name, indentation and dynamic name of a partial or parent tag. */
static bool set_include(parser *p, const tok *t, node *nd)
{
    nd->name = tok_name(p, t);
    nd->standalone = t->standalone;
    nd->indent = xstrndup(p->src + t->ws_off, t->standalone ? t->ws_len : 0);
    if (nd->name[0] != '*')
        return true;
    const char *s = nd->name + 1;
    while (is_ws(*s))
        s++;
    nd->dynamic = true;
    return parse_path(p, t, s, strlen(s), &nd->path);
}

static bool is_default_delims(const tok *t)
{
    return t->olen == 2 && memcmp(t->otag, "{{", 2) == 0 && t->clen == 2 &&
           memcmp(t->ctag, "}}", 2) == 0;
}

typedef struct {
    node *nd;
    const tok *open;
} open_t;

static bool same_name(const parser *p, const tok *t, const node *nd)
{
    return strlen(nd->name) == t->name_len &&
           memcmp(nd->name, p->src + t->name_off, t->name_len) == 0;
}

/* Closes the innermost open section, parent or block with t (a {{/x}}). */
static bool close_tag(parser *p, const tok *t, open_t *stack, size_t *depth)
{
    node *cur = stack[*depth - 1].nd;
    if (t->line_start) { /* the line's indentation belongs to the body */
        node *m = node_new(N_MARK, t->line, t->col);
        m->line_start = true;
        node_add(cur, m);
    }
    if (*depth == 1) {
        diag_error(p->d, p->path, t->line, t->col,
                   "unexpected closing tag %.*s (no section is open)", (int)t->len,
                   p->src + t->off);
        return false;
    }
    if (!same_name(p, t, cur)) {
        /* If an outer section has this name, the inner one was left open. */
        for (size_t k = *depth - 1; k-- > 1;) {
            if (same_name(p, t, stack[k].nd)) {
                const tok *o = stack[*depth - 1].open;
                diag_error(p->d, p->path, o->line, o->col,
                           "unclosed %s '%s' (add %.*s/%s%.*s before %.*s on line %d)",
                           kind_word(cur->kind), cur->name, (int)o->olen, o->otag, cur->name,
                           (int)o->clen, o->ctag, (int)t->len, p->src + t->off, t->line);
                return false;
            }
        }
        diag_error(p->d, p->path, t->line, t->col,
                   "unexpected closing tag %.*s (the open %s is '%s')", (int)t->len,
                   p->src + t->off, kind_word(cur->kind), cur->name);
        return false;
    }
    const tok *o = stack[*depth - 1].open;
    if (cur->kind == N_SECTION || cur->kind == N_INVERTED) {
        cur->off = o->off + o->len;
        cur->len = t->off - cur->off;
    }
    if (cur->kind == N_PARENT)
        keep_blocks(cur);
    (*depth)--;
    return true;
}

/* Turns the tokens into the tree under root. */
static bool build(parser *p, node *root)
{
    size_t depth = 1, cap = 16;
    open_t *stack = xmalloc(cap * sizeof(open_t));
    stack[0] = (open_t){root, NULL};
    bool ok = true;
    for (size_t i = 0; i < p->ntok && ok; i++) {
        const tok *t = &p->toks[i];
        node *cur = stack[depth - 1].nd;
        if (t->text) {
            if (t->removed)
                continue;
            node *last = cur->nkids ? cur->kids[cur->nkids - 1] : NULL;
            if (last && last->kind == N_TEXT && last->off + last->len == t->off) {
                last->len += t->len; /* a newline inside a text node begins a line too */
                continue;
            }
            node *nd = node_new(N_TEXT, 0, 0);
            nd->off = t->off;
            nd->len = t->len;
            nd->line_start = t->line_start;
            node_add(cur, nd);
            continue;
        }
        if (t->sigil == '/') {
            ok = check_name(p, t) && close_tag(p, t, stack, &depth);
            continue;
        }
        if (t->sigil != '!' && t->sigil != '=' && !check_name(p, t)) {
            ok = false;
            break;
        }
        node *nd = NULL;
        switch (t->sigil) {
        case '!':
        case '=':
            if (!t->line_start)
                continue; /* renders nothing */
            nd = node_new(N_MARK, t->line, t->col);
            break;
        case '#':
        case '^':
            nd = node_new(t->sigil == '#' ? N_SECTION : N_INVERTED, t->line, t->col);
            nd->name = tok_name(p, t);
            ok = parse_path(p, t, p->src + t->name_off, t->name_len, &nd->path);
            if (!is_default_delims(t)) {
                nd->otag = xstrndup(t->otag, t->olen);
                nd->ctag = xstrndup(t->ctag, t->clen);
            }
            break;
        case '<':
            nd = node_new(N_PARENT, t->line, t->col);
            ok = set_include(p, t, nd);
            break;
        case '$':
            nd = node_new(N_BLOCK, t->line, t->col);
            nd->name = tok_name(p, t);
            nd->indent = xstrndup(p->src + t->ws_off, t->ws_len);
            break;
        case '>':
            nd = node_new(N_PARTIAL, t->line, t->col);
            ok = set_include(p, t, nd);
            break;
        default:
            nd = node_new(N_VAR, t->line, t->col);
            nd->raw = t->sigil == '&' || t->sigil == '{';
            nd->name = tok_name(p, t);
            ok = parse_path(p, t, p->src + t->name_off, t->name_len, &nd->path);
            break;
        }
        nd->line_start = t->line_start;
        nd->at = t->off;
        node_add(cur, nd);
        if (t->sigil == '#' || t->sigil == '^' || t->sigil == '<' || t->sigil == '$') {
            if (depth == cap) {
                cap *= 2;
                stack = xrealloc(stack, cap * sizeof(open_t));
            }
            stack[depth++] = (open_t){nd, t};
        }
    }
    if (ok && depth > 1) {
        const node *nd = stack[depth - 1].nd;
        const tok *o = stack[depth - 1].open;
        diag_error(p->d, p->path, o->line, o->col, "unclosed %s '%s' (add %.*s/%s%.*s)",
                   kind_word(nd->kind), nd->name, (int)o->olen, o->otag, nd->name, (int)o->clen,
                   o->ctag);
        ok = false;
    }
    free(stack);
    return ok;
}

/* }====== */

/* {====== Library ====== */

mustache_lib *mustache_lib_new(void)
{
    mustache_lib *lib = xcalloc(1, sizeof(mustache_lib));
    lib->index = strmap_new();
    lib->broken = strmap_new();
    return lib;
}

void mustache_lib_free(mustache_lib *lib)
{
    if (!lib)
        return;
    for (size_t i = 0; i < lib->n; i++)
        tmpl_free(lib->all[i]);
    free(lib->all);
    strmap_free(lib->index);
    strmap_free(lib->broken);
    free(lib);
}

/* Parses src[0..len) (copied) into a new template that begins with the
 * delimiters otag/ctag (borrowed for the call; NULL for {{ }}). Returns NULL
 * after adding an error to d. Used for the library's templates and for the
 * text a lambda returns. */
static tmpl *tmpl_parse(const char *name, const char *path, const char *src, size_t len,
                        const char *otag, const char *ctag, diag_list *d)
{
    tmpl *t = xcalloc(1, sizeof(tmpl));
    t->name = xstrdup(name);
    t->path = xstrdup(path);
    t->src = xstrndup(src, len);
    t->len = len;
    t->root = node_new(N_ROOT, 1, 1);
    parser p = {.src = t->src, .len = len, .path = t->path, .d = d, .otag0 = otag, .ctag0 = ctag,
                .line = 1, .col = 1};
    bool ok = tokenize(&p);
    if (ok) {
        mark_lines(&p);
        ok = build(&p, t->root);
    }
    free(p.toks);
    if (!ok) {
        tmpl_free(t);
        return NULL;
    }
    return t;
}

bool mustache_lib_add(mustache_lib *lib, const char *name, const char *src, size_t len,
                      const char *path, diag_list *d)
{
    tmpl *t = tmpl_parse(name, path ? path : name, src, len, NULL, NULL, d);
    if (!t) {
        strmap_add(lib->broken, name, lib); /* its error is reported; its users are not */
        return false;
    }
    tmpl *old = strmap_get(lib->index, name);
    if (old) {
        /* Keep the slot (the index points at it); swap the contents. */
        tmpl tmp = *old;
        *old = *t;
        *t = tmp;
        tmpl_free(t);
        return true;
    }
    if (lib->n == lib->cap) {
        lib->cap = lib->cap ? lib->cap * 2 : 16;
        lib->all = xrealloc(lib->all, lib->cap * sizeof(tmpl *));
    }
    lib->all[lib->n++] = t;
    strmap_add(lib->index, name, t);
    return true;
}

bool mustache_lib_has(const mustache_lib *lib, const char *name)
{
    return strmap_has(lib->index, name);
}

/* Names of all templates for diag_suggest; caller frees the array. */
static const char **lib_names(const mustache_lib *lib)
{
    const char **names = xmalloc((lib->n + 1) * sizeof(char *));
    for (size_t i = 0; i < lib->n; i++)
        names[i] = lib->all[i]->name;
    return names;
}

static void unknown_name(const mustache_lib *lib, diag_list *d, const char *path, int line, int col,
                         const char *what, const char *name)
{
    const char **names = lib_names(lib);
    const char *near = diag_suggest(name, names, lib->n);
    if (near)
        diag_error(d, path, line, col, "unknown %s '%s' (did you mean '%s'?)", what, name, near);
    else
        diag_error(d, path, line, col, "unknown %s '%s'", what, name);
    free(names);
}

static bool check_node(const mustache_lib *lib, const tmpl *t, const node *nd, diag_list *d)
{
    bool ok = true;
    if ((nd->kind == N_PARTIAL || nd->kind == N_PARENT) && !nd->dynamic &&
        !strmap_has(lib->index, nd->name)) {
        /* One mistake, one message: a template that did not parse has said so when it was
         * added; its users are not reported again (nor counted here as unresolved). */
        if (strmap_has(lib->broken, nd->name))
            return true;
        unknown_name(lib, d, t->path, nd->line, nd->col,
                     nd->kind == N_PARTIAL ? "partial" : "parent template", nd->name);
        ok = false;
    }
    for (size_t i = 0; i < nd->nkids; i++)
        ok = check_node(lib, t, nd->kids[i], d) && ok;
    return ok;
}

/* {====== What a template depends on ====== */

typedef struct {
    const mustache_lib *lib;
    const char *root_name;
    const tmpl **seen;
    size_t n_seen;
    bool all;  /* a dynamic name: any template may be used */
    bool uses; /* a name begins with root_name */
} deps_walk;

static void deps_tmpl(deps_walk *w, const tmpl *t);

static void deps_node(deps_walk *w, const node *nd)
{
    if (w->root_name && nd->path.n && !strcmp(nd->path.part[0], w->root_name))
        w->uses = true;
    if (nd->kind == N_PARTIAL || nd->kind == N_PARENT) {
        if (nd->dynamic)
            w->all = true;
        else
            deps_tmpl(w, strmap_get(w->lib->index, nd->name));
    }
    for (size_t i = 0; i < nd->nkids; i++)
        deps_node(w, nd->kids[i]);
}

static void deps_tmpl(deps_walk *w, const tmpl *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < w->n_seen; i++)
        if (w->seen[i] == t)
            return;
    w->seen = xrealloc(w->seen, (w->n_seen + 1) * sizeof(tmpl *));
    w->seen[w->n_seen++] = t;
    deps_node(w, t->root);
}

uint64_t mustache_lib_deps(const mustache_lib *lib, const char *name, const char *root_name,
                           bool *uses_root)
{
    deps_walk w = {.lib = lib, .root_name = root_name};
    deps_tmpl(&w, strmap_get(lib->index, name));
    if (w.all) /* a dynamic name may reach any template */
        for (size_t i = 0; i < lib->n; i++)
            deps_tmpl(&w, lib->all[i]);
    /* In the order reached, which is fixed by the templates themselves. */
    uint64_t h = HASH_SEED;
    for (size_t i = 0; i < w.n_seen; i++) {
        h = hash_str(h, w.seen[i]->name);
        h = hash_bytes(h, w.seen[i]->src, w.seen[i]->len);
    }
    free(w.seen);
    if (uses_root)
        *uses_root = w.uses;
    return h;
}

/* } */

bool mustache_lib_check(const mustache_lib *lib, diag_list *d)
{
    bool ok = true;
    for (size_t i = 0; i < lib->n; i++)
        ok = check_node(lib, lib->all[i], lib->all[i]->root, d) && ok;
    return ok;
}

/* }====== */

/* {====== Rendering ====== */

/* The block arguments of one parent tag being expanded; frames chain outward.
 * The outermost argument for a name wins (the spec's multi-level inheritance). */
typedef struct frame {
    const node *parent;
    const tmpl *t; /* the template the arguments are written in */
    const struct frame *outer;
} frame;

/* One partial or parent tag being expanded; links run outward, so the chain is the path
 * of includes from the template rendering began with to the one rendering now. */
typedef struct include {
    const tmpl *t;      /* the template the tag is written in */
    const node *tag;
    const tmpl *target; /* the template it renders */
    const struct include *outer;
} include;

typedef struct {
    const mustache_lib *lib;
    buf_t *out;
    diag_list *d;
    const tmpl *root;     /* the template rendering began with */
    const include *chain; /* the includes being expanded, innermost first */
    const val **ctx; /* the context stack, top at nctx - 1 */
    size_t nctx, capctx;
    /* Indentation of standalone partials, parents and blocks: a stack kept in
     * one buffer; the current indentation is ind.ptr[0..ind_len). */
    buf_t ind;
    size_t ind_len;
    size_t strip; /* blanks to drop at each source line start (block reindentation) */
    bool pending; /* at a line start; indentation goes before the next byte */
    size_t start; /* out->len when rendering began */
    int depth;    /* nested partials and parents */
    int ldepth;   /* nested lambda results */
    bool failed;
    /* mustache_render_map: where the output comes from in root's source.
     * Output from other templates (partials, parents, lambdas) maps to
     * anchor, the tag in root that led to it. A lambda's interpolation
     * renders with map NULL, so its anchor is never read. */
    pos_map *map;
    size_t anchor;
} rstate;

static void render_kids(rstate *st, const tmpl *t, const node *nd, const frame *scope);

/* Writes the pending indentation before text that starts with s. */
static void settle_indent(rstate *st, const char *s, size_t n)
{
    if (!st->pending)
        return;
    st->pending = false;
    /* An empty line gets no indentation (no trailing blanks). */
    if (s[0] != '\n' && !(s[0] == '\r' && n > 1 && s[1] == '\n'))
        buf_put(st->out, st->ind.ptr, st->ind_len);
}

/* Notes in the position map that what comes next in the output is copied
 * from offset off of t's source, or (!copied) stands for the tag at off. */
static void map_note(rstate *st, const tmpl *t, size_t off, bool copied)
{
    if (t != st->root) {
        off = st->anchor;
        copied = false;
    }
    pos_map_note(st->map, st->out->len - st->start, off, copied);
}

/* Appends s[0..n): copied from offset off of t's source, or (!copied) a
 * value for the tag at off of t (for the position map). */
static void emit(rstate *st, const tmpl *t, size_t off, bool copied, const char *s, size_t n)
{
    if (n == 0)
        return;
    settle_indent(st, s, n);
    if (st->map)
        map_note(st, t, off, copied);
    buf_put(st->out, s, n);
}

/* Appends s[0..n) HTML-escaped: the value of the tag at off of t. */
static void emit_escaped(rstate *st, const tmpl *t, size_t off, const char *s, size_t n)
{
    if (n == 0)
        return;
    settle_indent(st, s, n);
    if (st->map)
        map_note(st, t, off, false);
    esc_html(st->out, s, n);
}

/* A source line begins: indentation is due if the output is at a line start
 * too (an inline block's first line follows text already on the line). */
static void mark_line(rstate *st)
{
    if (st->ind_len > 0 && (st->out->len == st->start || st->out->ptr[st->out->len - 1] == '\n'))
        st->pending = true;
}

static void begin_line(rstate *st, const char **s, size_t *n)
{
    size_t k = 0;
    while (k < st->strip && k < *n && is_blank((*s)[k]))
        k++;
    *s += k;
    *n -= k;
    mark_line(st);
}

static void render_text(rstate *st, const tmpl *t, const node *nd)
{
    const char *s = t->src + nd->off;
    size_t n = nd->len;
    if (st->ind_len == 0 && st->strip == 0) {
        emit(st, t, nd->off, true, s, n);
        return;
    }
    if (nd->line_start)
        begin_line(st, &s, &n);
    while (n > 0) {
        const char *nl = memchr(s, '\n', n);
        size_t k = nl ? (size_t)(nl - s) + 1 : n;
        emit(st, t, (size_t)(s - t->src), true, s, k);
        s += k;
        n -= k;
        if (n > 0)
            begin_line(st, &s, &n);
    }
}

/* Adds the whitespace ws (source indentation, less what the current block
 * reindentation strips) to the indentation; returns the length to restore. */
static size_t indent_push(rstate *st, const char *ws)
{
    size_t saved = st->ind_len, n = strlen(ws);
    size_t skip = st->strip < n ? st->strip : n;
    st->ind.len = st->ind_len;
    buf_put(&st->ind, ws + skip, n - skip);
    st->ind_len = st->ind.len;
    return saved;
}

static void ctx_push(rstate *st, const val *v)
{
    if (st->nctx == st->capctx) {
        st->capctx = st->capctx ? st->capctx * 2 : 16;
        st->ctx = xrealloc(st->ctx, st->capctx * sizeof(val *));
    }
    st->ctx[st->nctx++] = v;
}

/* The spec's name resolution: the first part is looked up from the top of the
 * context stack down, the rest only inside what it found. A key holding null
 * counts as found. */
static const val *lookup(const rstate *st, const name_t *nm)
{
    if (nm->n == 0)
        return st->nctx ? st->ctx[st->nctx - 1] : NULL;
    const val *v = NULL;
    for (size_t i = st->nctx; i-- > 0 && !v;)
        v = val_get(st->ctx[i], nm->part[0]);
    for (size_t k = 1; v && k < nm->n; k++)
        v = val_get(v, nm->part[k]);
    return v;
}

/* {=== Lambdas === */

/* A lambda's text is parsed at render time into a template of its own, owned
 * by the render call: the library stays untouched, so threads may still share
 * it. Lambdas are called each time their tag renders (the spec: no caching). */

/* Moves every node of a lambda's template to the lambda's tag, so that what
 * goes wrong inside the text (a partial nesting too deep, a nested lambda's
 * error) is reported where the editor can see it. */
static void node_move(node *nd, int line, int col)
{
    nd->line = line;
    nd->col = col;
    for (size_t i = 0; i < nd->nkids; i++)
        node_move(nd->kids[i], line, col);
}

/* Parses the text a lambda returned with the delimiters otag/ctag (NULL:
 * default); NULL after an error at the lambda's tag nd in t. */
static tmpl *lambda_parse(rstate *st, const tmpl *t, const node *nd, const char *text,
                          const char *otag, const char *ctag)
{
    diag_list *pd = diag_list_new();
    tmpl *lt = tmpl_parse(nd->name, t->path, text, strlen(text), otag, ctag, pd);
    for (size_t i = 0; i < diag_count(pd); i++) {
        const diag_t *g = diag_at(pd, i);
        diag_add(st->d, g->severity, t->path, nd->line, nd->col,
                 "in the text lambda '%s' returned, at %d:%d: %s", nd->name, g->line, g->col,
                 g->message);
    }
    diag_list_free(pd);
    if (!lt) {
        st->failed = true;
        return NULL;
    }
    node_move(lt->root, nd->line, nd->col);
    return lt;
}

/* Calls the lambda fn of the tag nd in t: with the section's raw body for a
 * section, with NULL for an interpolation; renders what it returns against
 * the current context stack. */
static void render_lambda(rstate *st, const tmpl *t, const node *nd, const val *fn,
                          const frame *scope)
{
    if (st->ldepth >= MAX_DEPTH) {
        diag_error(st->d, t->path, nd->line, nd->col,
                   "lambdas nest deeper than %d levels (does lambda '%s' return its own tag?)",
                   MAX_DEPTH, nd->name);
        st->failed = true;
        return;
    }
    bool section = nd->kind == N_SECTION;
    char *raw = section ? xstrndup(t->src + nd->off, nd->len) : NULL;
    char *err = NULL;
    char *text = val_call(fn, raw, &err);
    free(raw);
    if (!text) {
        if (err) {
            diag_error(st->d, t->path, nd->line, nd->col, "%s", err);
            st->failed = true;
        }
        free(err);
        return;
    }
    free(err);
    /* The spec: an interpolation's text uses the default delimiters, a
     * section's the ones in effect at the section. */
    tmpl *lt = section ? lambda_parse(st, t, nd, text, nd->otag, nd->ctag)
                       : lambda_parse(st, t, nd, text, NULL, NULL);
    free(text);
    if (!lt)
        return;
    if (section) {
        /* In place of the section, indented like its body would be. The
         * text's lines are not the block's source lines, so no stripping. */
        size_t saved_strip = st->strip, saved_anchor = st->anchor;
        st->strip = 0;
        if (t == st->root)
            st->anchor = nd->at;
        st->ldepth++;
        render_kids(st, lt, lt->root, scope);
        st->ldepth--;
        st->strip = saved_strip;
        st->anchor = saved_anchor;
    } else {
        /* An interpolation renders like a value: into a buffer of its own,
         * with fresh indentation state, then escaped unless {{{x}}}/{{&x}}. */
        buf_t text_out = BUF_INIT;
        rstate sub = {.lib = st->lib, .out = &text_out, .d = st->d, .root = st->root,
                      .chain = st->chain, .depth = st->depth, .ldepth = st->ldepth + 1};
        for (size_t i = 0; i < st->nctx; i++)
            ctx_push(&sub, st->ctx[i]);
        render_kids(&sub, lt, lt->root, scope);
        free(sub.ctx);
        buf_free(&sub.ind);
        if (sub.failed)
            st->failed = true;
        else if (nd->raw)
            emit(st, t, nd->at, false, text_out.ptr, text_out.len);
        else
            emit_escaped(st, t, nd->at, text_out.ptr, text_out.len);
        buf_free(&text_out);
    }
    tmpl_free(lt);
}

/* }=== */

static void render_var(rstate *st, const tmpl *t, const node *nd, const frame *scope)
{
    const val *v = lookup(st, &nd->path);
    switch (val_kind_of(v)) {
    case VAL_FUNC: render_lambda(st, t, nd, v, scope); return;
    case VAL_NULL:
    case VAL_LIST:
    case VAL_MAP: return;
    case VAL_STR:
        if (nd->raw)
            emit(st, t, nd->at, false, val_as_str(v), val_str_len(v));
        else
            emit_escaped(st, t, nd->at, val_as_str(v), val_str_len(v));
        return;
    default: {
        char *s = val_to_text(v);
        if (nd->raw)
            emit(st, t, nd->at, false, s, strlen(s));
        else
            emit_escaped(st, t, nd->at, s, strlen(s));
        free(s);
        return;
    }
    }
}

static void render_section(rstate *st, const tmpl *t, const node *nd, const frame *scope)
{
    const val *v = lookup(st, &nd->path);
    bool truthy = val_truthy(v); /* a lambda is truthy: {{^lambda}} renders nothing */
    if (nd->kind == N_INVERTED) {
        if (!truthy)
            render_kids(st, t, nd, scope);
        return;
    }
    if (!truthy)
        return;
    if (val_kind_of(v) == VAL_FUNC) {
        render_lambda(st, t, nd, v, scope);
        return;
    }
    if (val_kind_of(v) == VAL_LIST) {
        size_t n = val_len(v);
        for (size_t i = 0; i < n && !st->failed; i++) {
            ctx_push(st, val_at(v, i));
            render_kids(st, t, nd, scope);
            st->nctx--;
        }
        return;
    }
    ctx_push(st, v);
    render_kids(st, t, nd, scope);
    st->nctx--;
}

/* The template a partial or parent tag names, or NULL (renders empty). */
static const tmpl *resolve(const rstate *st, const node *nd)
{
    if (!nd->dynamic)
        return strmap_get(st->lib->index, nd->name);
    const val *v = lookup(st, &nd->path);
    if (val_kind_of(v) == VAL_STR)
        return strmap_get(st->lib->index, val_as_str(v));
    if (val_kind_of(v) != VAL_NUM && val_kind_of(v) != VAL_BOOL)
        return NULL;
    char *name = val_to_text(v);
    const tmpl *target = strmap_get(st->lib->index, name);
    free(name);
    return target;
}

/* The include to blame when includes nest too deep (last is the one that went too deep):
 * the first, from the outside in, whose tag names a template already being rendered, i.e.
 * the tag that closes the cycle. The depth alone would blame whichever tag of the cycle
 * happens to come at level 100: for a page layout that includes itself inside its
 * {{<base}}, that was the {{<base}}. Without a cycle (more than 100 different templates
 * deep), the tag that went too deep. */
static const include *cycle_tag(const rstate *st, const include *last)
{
    const include *path[MAX_DEPTH + 1]; /* path[n - 1] is the outermost */
    size_t n = 0;
    for (const include *c = last; c && n < MAX_DEPTH + 1; c = c->outer)
        path[n++] = c;
    for (size_t i = n; i-- > 0;) {
        if (path[i]->target == st->root)
            return path[i];
        for (size_t j = n - 1; j > i; j--)
            if (path[j]->target == path[i]->target)
                return path[i];
    }
    return last;
}

/* {{>x}} and {{<x}}…{{/x}}: a partial is a parent without arguments. */
static void render_include(rstate *st, const tmpl *t, const node *nd, const frame *scope)
{
    const tmpl *target = resolve(st, nd);
    if (!target)
        return;
    include inc = {.t = t, .tag = nd, .target = target, .outer = st->chain};
    if (st->depth >= MAX_DEPTH) {
        const include *at = cycle_tag(st, &inc);
        diag_error(st->d, at->t->path, at->tag->line, at->tag->col,
                   "partials nest deeper than %d levels (does a layout include itself?)",
                   MAX_DEPTH);
        st->failed = true;
        return;
    }
    size_t saved_ind = st->ind_len, saved_strip = st->strip, saved_anchor = st->anchor;
    if (nd->standalone)
        indent_push(st, nd->indent);
    st->strip = 0;
    if (t == st->root)
        st->anchor = nd->at;
    frame f = {.parent = nd, .t = t, .outer = scope};
    st->depth++;
    st->chain = &inc;
    render_kids(st, target, target->root, nd->kind == N_PARENT ? &f : scope);
    st->chain = inc.outer;
    st->depth--;
    st->ind_len = saved_ind;
    st->strip = saved_strip;
    st->anchor = saved_anchor;
}

static const node *block_arg(const node *parent, const char *name)
{
    for (size_t i = 0; i < parent->nkids; i++)
        if (strcmp(parent->kids[i]->name, name) == 0)
            return parent->kids[i];
    return NULL;
}

static void render_block(rstate *st, const tmpl *t, const node *nd, const frame *scope)
{
    const node *arg = NULL;
    const frame *from = NULL;
    for (const frame *f = scope; f; f = f->outer) {
        const node *a = block_arg(f->parent, nd->name);
        if (a) {
            arg = a;
            from = f;
        }
    }
    if (!arg) {
        render_kids(st, t, nd, scope);
        return;
    }
    /* The argument's own indentation is removed, this block's is added. Blocks
     * inside the argument see only frames outside the one that gave it, so a
     * block cannot expand into itself. */
    size_t saved_ind = indent_push(st, nd->indent), saved_strip = st->strip;
    st->strip = strlen(arg->indent);
    render_kids(st, from->t, arg, from->outer);
    st->ind_len = saved_ind;
    st->strip = saved_strip;
}

static void render_kids(rstate *st, const tmpl *t, const node *nd, const frame *scope)
{
    for (size_t i = 0; i < nd->nkids && !st->failed; i++) {
        const node *k = nd->kids[i];
        if (k->line_start && k->kind != N_TEXT)
            mark_line(st);
        switch (k->kind) {
        case N_TEXT: render_text(st, t, k); break;
        case N_VAR: render_var(st, t, k, scope); break;
        case N_SECTION:
        case N_INVERTED: render_section(st, t, k, scope); break;
        case N_PARTIAL:
        case N_PARENT: render_include(st, t, k, scope); break;
        case N_BLOCK: render_block(st, t, k, scope); break;
        case N_ROOT:
        case N_MARK: break;
        }
    }
}

bool mustache_render(const mustache_lib *lib, const char *name, const val *ctx, buf_t *out,
                     diag_list *d)
{
    return mustache_render_map(lib, name, ctx, out, NULL, d);
}

bool mustache_render_map(const mustache_lib *lib, const char *name, const val *ctx, buf_t *out,
                         pos_map *map, diag_list *d)
{
    const tmpl *t = strmap_get(lib->index, name);
    if (!t) {
        unknown_name(lib, d, NULL, 0, 0, "template", name);
        return false;
    }
    rstate st = {.lib = lib, .out = out, .d = d, .root = t, .start = out->len, .map = map};
    ctx_push(&st, ctx);
    buf_grow(out, t->len);     /* output is usually at least as long as the template */
    out->ptr[out->len] = '\0'; /* buf_grow alone leaves a fresh buffer unterminated */
    render_kids(&st, t, t->root, NULL);
    free(st.ctx);
    buf_free(&st.ind);
    return !st.failed;
}

/* }====== */
