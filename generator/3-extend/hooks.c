/* hooks: runs the Lua hook scripts of layouts/hooks/ in one sandboxed Lua 5.4 state.
 *
 * Decisions worth knowing when writing a script:
 * - All scripts share one global table, so an early script (10-apu.lua) can define helpers for
 *   later ones; there is no require.
 * - print(...) is a note at the calling line ("a.lua:3: note: …") and Lua's warn() is gone:
 *   nothing writes to the terminal behind the build's back. kasikirja.warn is the warning.
 * - math.random is seeded with a constant: the same sources build the same site. pairs() over a
 *   plain Lua table still walks in an order that changes from run to run (Lua seeds its string
 *   hashes at start-up), so scripts sort what they emit; every conversion here (page specs,
 *   filter results, kasikirja.json) sorts names itself. Views walk in the order of the source.
 * - Limits: HOOKS_MAX_INSTRUCTIONS Lua instructions for the whole build and HOOKS_MAX_MEMORY
 *   bytes held at once. Time spent inside one C library call is not counted: a pathological
 *   pattern (string.find(("a"):rep(1e6), ".-.-.-.-b")) can still run for long. Scripts are part of
 *   the site's sources; the limits stop accidents, not a determined author. */
#include "hooks.h"

#include <assert.h>
#include <ctype.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

#include "../0-base/buf.h"
#include "../0-base/strmap.h"
#include "../0-base/utf8.h"
#include "../0-base/xmem.h"
#include "../0-base/escape.h"
#include "../0-base/json.h"

/* Wall time one call into Lua may take. Tests set each limit to their own size, so that the
 * limit a case is about fires first on any machine: KASIKIRJA_HOOK_SECONDS (the watchdog),
 * KASIKIRJA_HOOK_MEMORY_MB (the state's memory) and KASIKIRJA_HOOK_INSTRUCTIONS override the
 * defaults. */
#define HOOKS_MAX_SECONDS 30

/* The count hook runs every HOOK_STEP instructions. */
#define HOOK_STEP 10000
/* Limits of one walk over a value (conversion to the data tree, JSON). */
#define WALK_MAX_DEPTH 100
#define WALK_MAX_NODES 1000000
/* The chunk name of hooks_compile_lambda's expressions. */
#define LAMBDA_CHUNK "(lambda)"

/* Registry keys: the addresses of these constants (lua_rawgetp). */
static const char KEY_VIEWS[] = "views";     /* val target -> view, for the trees given to hooks_new */
static const char KEY_FILTERS[] = "filters"; /* the on_page functions, 1..n */
static const char KEY_BOX[] = "box";         /* the metatable of boxes */
static const char KEY_USERERR[] = "usererr"; /* the last message raised as the script's own error */

struct hooks {
    lua_State *L;
    const src_tree *src;
    hooks_api api;
    strmap *files; /* relative path -> src_file with data, for kasikirja.read and positions */
    const val *site_data, *pages, *model_data;
    val *own_pages; /* kasikirja.pages made by api.pages on first read */
    val *empty_map, *empty_list; /* what missing views show */
    val *lambdas;                /* name -> VAL_FUNC */
    size_t filters;              /* how many on_page functions */
    size_t mem;                  /* bytes the Lua state holds */
    long instructions;           /* executed so far, in steps of HOOK_STEP */
    bool broken;                 /* the state could not be set up: nothing runs */
    diag_list *d;                /* where warn and print go; NULL inside a lambda */
    /* The last error, as the message handler found it. */
    char *traceback;
    src_pos err_pos;
    /* The script line the count hook saw last during the current call into Lua: a memory
     * error reaches no message handler and leaves no stack to ask, so this is its position. */
    src_pos run_pos;
    /* Serialises every use of the state: lambdas may be called from render threads. Recursive,
     * because an api function may render (and call a lambda) while a script runs. */
    mtx_t lock;
    /* The watchdog: time spent inside one C function of Lua's library (a string pattern that
     * backtracks without end: ("a"):rep(30):find(("a*"):rep(30) .. "c")) escapes the
     * instruction budget, so a call into Lua that runs longer than max_seconds of wall time
     * stops the process, before anything is written. */
    pthread_t watchdog;
    bool watching;
    pthread_mutex_t wd_mu;
    pthread_cond_t wd_cv;
    bool wd_stop;
    int wd_depth;             /* nested calls into Lua in progress */
    struct timespec wd_since; /* when the outermost one began (CLOCK_MONOTONIC) */
    const char *wd_what;      /* the script that runs, for the message */
    long max_seconds;
    size_t max_memory;     /* bytes the state may hold (HOOKS_MAX_MEMORY) */
    long max_instructions; /* for the whole build (HOOKS_MAX_INSTRUCTIONS) */
};

/* Every C function gets the hooks object from the allocator's ud: no globals, no upvalues. */
static hooks *H(lua_State *L)
{
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

/* {====== Memory and time ====== */

/* Counts the bytes the state holds and refuses to grow past max_memory; Lua then
 * collects garbage, tries again and raises LUA_ERRMEM, which docall's callers report. */
static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    hooks *h = ud;
    size_t old = ptr ? osize : 0; /* for a new block osize is the type, not a size */
    if (nsize == 0) {
        free(ptr);
        h->mem -= old;
        return NULL;
    }
    if (nsize > old && h->mem - old + nsize > h->max_memory)
        return NULL;
    void *p = realloc(ptr, nsize);
    if (p)
        h->mem = h->mem - old + nsize;
    return p;
}

static int l_panic(lua_State *L)
{
    /* Every call into Lua is protected; this would be a bug of ours. */
    fprintf(stderr, "kasikirja: unprotected error in the Lua hooks: %s\n", lua_tostring(L, -1));
    abort();
}

/* "path:line: " of stack level `level` (Lua's own luaL_where, but with the script's whole
 * path: short_src is cut at 60 bytes). Pushes "" when the level is not a Lua function. */
static void push_where(lua_State *L, int level)
{
    lua_Debug ar;
    if (lua_getstack(L, level, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
        const char *src = ar.source[0] == '@' ? ar.source + 1 : ar.short_src;
        lua_pushfstring(L, "%s:%d: ", src, ar.currentline);
        return;
    }
    lua_pushliteral(L, "");
}

static src_pos script_frame(lua_State *L, int level);

/* Counts instructions for the whole build. Past the budget it fires on every instruction, so
 * that a script cannot swallow the error with pcall and carry on: whatever runs next fails. */
static void count_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    hooks *h = H(L);
    h->instructions += HOOK_STEP;
    /* Within HOOK_STEP instructions of a memory error, so in the loop that runs away. */
    h->run_pos = script_frame(L, 0);
    if (h->instructions <= h->max_instructions)
        return;
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    push_where(L, 0); /* in a hook, level 0 is the interrupted function */
    lua_pushfstring(L, "the hooks ran more than %I instructions (an endless loop?)",
                    (lua_Integer)h->max_instructions);
    lua_concat(L, 2);
    lua_error(L);
}

/* }====== */

/* {====== Errors ====== */

static const src_file *script_file(const hooks *h, const char *path)
{
    return strmap_get(h->files, path);
}

/* The innermost frame from `level` outwards that runs a hook script: its path (borrowed from
 * the source tree) and line. Chunks made by load() are skipped, so a position always names a
 * file. {NULL, 0, 0} when no script is on the stack. */
static src_pos script_frame(lua_State *L, int level)
{
    hooks *h = H(L);
    lua_Debug ar;
    for (int lv = level; lua_getstack(L, lv, &ar); lv++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.source[0] == '@' && ar.currentline > 0) {
            const src_file *f = script_file(h, ar.source + 1);
            if (f)
                return (src_pos){f->name, ar.currentline, 0};
        }
    }
    return (src_pos){NULL, 0, 0};
}

/* When msg starts with "<script>:<line>: " (the whole path, or Lua's shortened "...tail"),
 * sets *file (borrowed) and *line and returns the rest of the message; NULL otherwise. */
static const char *split_position(const hooks *h, const char *msg, const char **file, int *line)
{
    size_t n = src_count(h->src, SRC_HOOK);
    for (size_t i = 0; i <= n; i++) {
        const src_file *f = i < n ? src_at(h->src, SRC_HOOK, i) : NULL;
        const char *path = f ? f->path : LAMBDA_CHUNK;
        size_t plen = strlen(path);
        const char *rest = NULL;
        if (!strncmp(msg, path, plen)) {
            rest = msg + plen;
        } else if (!strncmp(msg, "...", 3)) {
            const char *colon = strchr(msg + 3, ':');
            size_t tlen = colon ? (size_t)(colon - msg - 3) : 0;
            if (colon && tlen <= plen && !memcmp(path + plen - tlen, msg + 3, tlen))
                rest = colon;
        }
        if (!rest || rest[0] != ':' || !isdigit((unsigned char)rest[1]))
            continue;
        char *end;
        long l = strtol(rest + 1, &end, 10);
        if (end[0] != ':' || end[1] != ' ' || l <= 0 || l > 1000000000L)
            continue;
        *file = f ? f->name : path;
        *line = (int)l;
        return end + 2;
    }
    return NULL;
}

/* The message handler of every call: makes the error a string, remembers where in the scripts
 * it happened and, unless it is the script's own message (kasikirja.error, a refusal of the
 * build), the traceback, as lua.c does. */
static int msgh(lua_State *L)
{
    hooks *h = H(L);
    if (!lua_isstring(L, 1)) {
        if (!(luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING))
            lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
        lua_replace(L, 1);
    }
    lua_tostring(L, 1); /* a number becomes its text */
    lua_settop(L, 1);
    h->err_pos = script_frame(L, 1);
    free(h->traceback);
    h->traceback = NULL;
    lua_rawgetp(L, LUA_REGISTRYINDEX, KEY_USERERR);
    bool own = lua_rawequal(L, 1, 2);
    lua_settop(L, 1);
    if (!own) {
        luaL_traceback(L, L, NULL, 1);
        h->traceback = xstrdup(lua_tostring(L, -1));
        lua_settop(L, 1);
    }
    return 1;
}

static void clear_error(hooks *h)
{
    free(h->traceback);
    h->traceback = NULL;
    h->err_pos = (src_pos){NULL, 0, 0};
}

static void *watchdog_main(void *arg)
{
    hooks *h = arg;
    pthread_mutex_lock(&h->wd_mu);
    while (!h->wd_stop) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += 200 * 1000 * 1000;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&h->wd_cv, &h->wd_mu, &until);
        if (h->wd_stop || h->wd_depth == 0)
            continue;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long ms = (long)(now.tv_sec - h->wd_since.tv_sec) * 1000 + (now.tv_nsec - h->wd_since.tv_nsec) / 1000000;
        if (ms >= h->max_seconds * 1000) {
            fprintf(stderr,
                    "%s: error: the Lua hook has run for more than %ld s without returning (a string "
                    "pattern that backtracks without end, such as many 'a*' in a row?); the build "
                    "was stopped and the previous output left as it was\n",
                    h->wd_what ? h->wd_what : "layouts/hooks", h->max_seconds);
            fflush(stderr);
            _exit(1);
        }
    }
    pthread_mutex_unlock(&h->wd_mu);
    return NULL;
}

/* The watchdog's clock runs while the outermost call into Lua does. */
static void watch_begin(hooks *h)
{
    pthread_mutex_lock(&h->wd_mu);
    if (h->wd_depth++ == 0)
        clock_gettime(CLOCK_MONOTONIC, &h->wd_since);
    pthread_mutex_unlock(&h->wd_mu);
}

static void watch_end(hooks *h)
{
    pthread_mutex_lock(&h->wd_mu);
    h->wd_depth--;
    pthread_mutex_unlock(&h->wd_mu);
}

/* Calls the function below narg arguments with msgh, as lua.c's docall does. */
static int docall(hooks *h, int narg, int nres)
{
    lua_State *L = h->L;
    int base = lua_gettop(L) - narg;
    lua_pushcfunction(L, msgh);
    lua_insert(L, base);
    clear_error(h);
    /* A call made while another runs (a lambda while a script renders a page) samples
     * positions of its own; the outer call's sample is back when it returns. */
    src_pos outer = h->run_pos;
    h->run_pos = (src_pos){NULL, 0, 0};
    watch_begin(h);
    int status = lua_pcall(L, narg, nres, base);
    watch_end(h);
    /* Lua calls no message handler for a memory error: where the count hook saw the scripts
     * last is the best position there is (none when the call ran less than HOOK_STEP
     * instructions, such as one huge string.rep). */
    if (status == LUA_ERRMEM)
        h->err_pos = h->run_pos;
    h->run_pos = outer;
    lua_remove(L, base);
    return status;
}

/* A failed call, taken apart: where (file borrowed), the message (malloc'd), the traceback
 * (malloc'd or NULL). */
typedef struct {
    const char *file;
    int line;
    char *msg;
    char *traceback;
} failure;

/* Describes the error a call or a load left on top of the stack (and pops it). owner is the
 * script in charge, for errors without a position. */
static failure describe(hooks *h, int status, const char *owner)
{
    lua_State *L = h->L;
    failure f = {.file = owner};
    if (status == LUA_ERRMEM) {
        if (h->err_pos.file) { /* see docall */
            f.file = h->err_pos.file;
            f.line = h->err_pos.line;
        }
        f.msg = xasprintf("the hooks used more than %zu MiB of memory (a runaway table?)",
                          h->max_memory / (1024u * 1024u));
    } else {
        const char *m = lua_tostring(L, -1);
        if (!m)
            m = "(error object is not a string)";
        const char *rest = split_position(h, m, &f.file, &f.line);
        if (rest) {
            f.msg = xstrdup(rest);
        } else {
            if (h->err_pos.file) {
                f.file = h->err_pos.file;
                f.line = h->err_pos.line;
            }
            f.msg = xstrdup(m);
        }
        if (status == LUA_ERRRUN) {
            f.traceback = h->traceback;
            h->traceback = NULL;
        }
    }
    lua_pop(L, 1);
    clear_error(h);
    return f;
}

static void report(hooks *h, diag_list *d, int status, const char *owner)
{
    failure f = describe(h, status, owner);
    if (f.traceback)
        diag_error(d, f.file, f.line, 0, "%s\n%s", f.msg, f.traceback);
    else
        diag_error(d, f.file, f.line, 0, "%s", f.msg);
    free(f.msg);
    free(f.traceback);
}

/* The error as one line with its position, for lambdas (caller frees). */
static char *error_text(hooks *h, int status, const char *owner)
{
    failure f = describe(h, status, owner);
    char *s = f.line > 0 ? xasprintf("%s:%d: %s", f.file, f.line, f.msg)
              : f.file   ? xasprintf("%s: %s", f.file, f.msg)
                         : xstrdup(f.msg);
    free(f.msg);
    free(f.traceback);
    return s;
}

/* Raises "path:line: msg" at the innermost script line; the message on top of the stack is
 * replaced. own = the script's own message: reported without a traceback. */
static int raise_top(lua_State *L, bool own)
{
    hooks *h = H(L);
    const char *msg = lua_tostring(L, -1);
    const char *file;
    int line;
    src_pos p = script_frame(L, 1);
    if (p.file && !split_position(h, msg, &file, &line)) {
        lua_pushfstring(L, "%s:%d: %s", p.file, p.line, msg);
        lua_remove(L, -2);
    }
    if (own) {
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, KEY_USERERR);
    }
    return lua_error(L);
}

/* luaL_error, but positioned at the script's line even when a C function (pcall) called us. */
static int raise_here(lua_State *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    return raise_top(L, false);
}

/* }====== */

/* {====== Boxes: C memory that a Lua error cannot leak ====== */

/* A userdata owning one malloc'd thing until the C code takes it back; if an error unwinds
 * first, the garbage collector frees it. */
typedef struct {
    void *p;
    void (*free)(void *);
} box;

static int box_gc(lua_State *L)
{
    box *b = lua_touserdata(L, 1);
    if (b->p)
        b->free(b->p);
    b->p = NULL;
    return 0;
}

static box *push_box(lua_State *L, void (*fr)(void *))
{
    box *b = lua_newuserdatauv(L, sizeof(box), 0);
    b->p = NULL;
    b->free = fr;
    lua_rawgetp(L, LUA_REGISTRYINDEX, KEY_BOX);
    lua_setmetatable(L, -2);
    return b;
}

static void *box_take(box *b)
{
    void *p = b->p;
    b->p = NULL;
    return p;
}

static void free_val(void *p) { val_free(p); }

static void free_buf(void *p)
{
    buf_free(p);
    free(p);
}

/* A boxed empty buffer on top of the stack. */
static buf_t *push_buf(lua_State *L)
{
    box *b = push_box(L, free_buf);
    b->p = xcalloc(1, sizeof(buf_t));
    return b->p;
}

/* }====== */

/* {====== Read-only views of the data tree ====== */

/* A view is an empty table whose own metatable holds [1] = the node (lightuserdata; NULL once
 * the view has expired), [2] = the children resolved so far, [3] = the memo table of the views
 * it belongs to, and the metamethods. Lightuserdata cannot be made from Lua, so a script cannot
 * forge a view. Views are memoised by val_target, so nodes shared by references (and cycles)
 * become the same table, and each node is converted at most once. */

static int view_index(lua_State *L);
static int view_newindex(lua_State *L);
static int view_len(lua_State *L);
static int view_pairs(lua_State *L);

static void push_number(lua_State *L, double n)
{
    if (n == floor(n) && fabs(n) < 9007199254740992.0)
        lua_pushinteger(L, (lua_Integer)n);
    else
        lua_pushnumber(L, n);
}

/* Pushes v as a Lua value: scalars as themselves, null (and lambdas) as nil, lists and maps as
 * views memoised in the table at index memo. */
static void push_val(lua_State *L, const val *v, int memo)
{
    switch (val_kind_of(v)) {
    case VAL_NULL:
    case VAL_FUNC: lua_pushnil(L); return;
    case VAL_BOOL: lua_pushboolean(L, val_as_bool(v)); return;
    case VAL_NUM: push_number(L, val_as_num(v)); return;
    case VAL_STR: lua_pushlstring(L, val_as_str(v), val_str_len(v)); return;
    case VAL_LIST:
    case VAL_MAP: break;
    }
    const val *t = val_target(v);
    memo = lua_absindex(L, memo);
    if (lua_rawgetp(L, memo, t) != LUA_TNIL)
        return;
    lua_pop(L, 1);
    lua_createtable(L, 0, 0); /* the view */
    lua_createtable(L, 3, 6); /* its metatable */
    lua_pushlightuserdata(L, (void *)t);
    lua_rawseti(L, -2, 1);
    lua_createtable(L, 0, 0);
    lua_rawseti(L, -2, 2);
    lua_pushvalue(L, memo);
    lua_rawseti(L, -2, 3);
    lua_pushcfunction(L, view_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, view_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, view_len);
    lua_setfield(L, -2, "__len");
    lua_pushcfunction(L, view_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushliteral(L, "kasikirja: read-only site data");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, memo, t);
}

/* 0 when the value at idx is not a view; else sets *v and returns 1 for a view of the trees
 * given to hooks_new (they outlive the hooks) and 2 for one of a single call (a page given to
 * the filters). An expired view is an error. */
static int view_of(lua_State *L, int idx, const val **v)
{
    if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
        return 0;
    int mt = lua_gettop(L);
    int kind = 0;
    if (lua_rawgeti(L, mt, 1) == LUA_TLIGHTUSERDATA) {
        *v = lua_touserdata(L, -1);
        if (!*v)
            raise_here(L, "this view of a page was only valid during its on_page filter");
        lua_rawgeti(L, mt, 3);
        lua_rawgetp(L, LUA_REGISTRYINDEX, KEY_VIEWS);
        kind = lua_rawequal(L, -1, -2) ? 1 : 2;
    }
    lua_settop(L, mt - 1);
    return kind;
}

/* The node of the view at index 1 and its metatable (pushed). */
static const val *view_self(lua_State *L)
{
    if (!lua_getmetatable(L, 1) || lua_rawgeti(L, -1, 1) != LUA_TLIGHTUSERDATA)
        raise_here(L, "not a view of the site data");
    const val *v = lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (!v)
        raise_here(L, "this view of a page was only valid during its on_page filter");
    return v;
}

/* Pushes view[key] (key at index k) of node v whose metatable is at mt: from the resolved
 * children, or resolved now and remembered. */
static void view_get(lua_State *L, const val *v, int mt, int k)
{
    lua_rawgeti(L, mt, 2);
    int seen = lua_gettop(L);
    lua_pushvalue(L, k);
    if (lua_rawget(L, seen) != LUA_TNIL) {
        lua_remove(L, seen);
        return;
    }
    lua_pop(L, 1);
    const val *child = NULL;
    if (val_kind_of(v) == VAL_MAP && lua_type(L, k) == LUA_TSTRING) {
        child = val_get(v, lua_tostring(L, k));
    } else if (val_kind_of(v) == VAL_LIST && lua_type(L, k) == LUA_TNUMBER) {
        int isint;
        lua_Integer i = lua_tointegerx(L, k, &isint);
        if (isint && i >= 1 && (lua_Unsigned)i <= val_len(v))
            child = val_at(v, (size_t)i - 1);
    }
    if (!child) {
        lua_settop(L, seen - 1);
        lua_pushnil(L);
        return;
    }
    lua_rawgeti(L, mt, 3);
    push_val(L, child, -1);
    if (!lua_isnil(L, -1)) {
        lua_pushvalue(L, k);
        lua_pushvalue(L, -2);
        lua_rawset(L, seen);
    }
    lua_replace(L, seen);
    lua_settop(L, seen);
}

static int view_index(lua_State *L)
{
    const val *v = view_self(L);
    view_get(L, v, 3, 2);
    return 1;
}

static int view_newindex(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TSTRING)
        return raise_here(L, "the site data is read-only (tried to set '%s')", lua_tostring(L, 2));
    return raise_here(L, "the site data is read-only (tried to set [%s])", luaL_tolstring(L, 2, NULL));
}

static int view_len(lua_State *L)
{
    const val *v = view_self(L);
    lua_pushinteger(L, val_kind_of(v) == VAL_LIST ? (lua_Integer)val_len(v) : 0);
    return 1;
}

/* The iterator of pairs(view): upvalue 1 is the next position; null entries are skipped, as a
 * Lua table has no nil values. */
static int view_next(lua_State *L)
{
    const val *v = view_self(L);
    int mt = lua_gettop(L);
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(1));
    for (; (lua_Unsigned)i < val_len(v); i++) {
        val_kind kind = val_kind_of(val_at(v, (size_t)i));
        if (kind == VAL_NULL || kind == VAL_FUNC)
            continue; /* they read as nil */
        if (val_kind_of(v) == VAL_MAP)
            lua_pushstring(L, val_key_at(v, (size_t)i));
        else
            lua_pushinteger(L, i + 1);
        int k = lua_gettop(L);
        view_get(L, v, mt, k);
        lua_pushinteger(L, i + 1);
        lua_replace(L, lua_upvalueindex(1));
        return 2;
    }
    lua_pushnil(L);
    return 1;
}

static int view_pairs(lua_State *L)
{
    view_self(L);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, view_next, 1);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* Expires every view in the memo table at idx (those of one hooks_filter_page call): their
 * nodes are not the hooks' to keep. */
static int expire_views(lua_State *L)
{
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        if (lua_getmetatable(L, -1)) {
            lua_pushlightuserdata(L, NULL);
            lua_rawseti(L, -2, 1);
            lua_pushnil(L);
            lua_rawseti(L, -2, 2);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    return 0;
}

/* }====== */

/* {====== Walks over Lua values: to the data tree, to JSON ====== */

typedef struct {
    const char *what; /* "kasikirja.page", for messages */
    int depth;
    struct {
        const char *key; /* a name, or NULL for the list position idx */
        lua_Integer idx;
        const val *node; /* the data node at this level (JSON of views) */
    } seg[WALK_MAX_DEPTH + 1];
    int visiting; /* stack index of the set of tables on the current path */
    size_t nodes, bytes;
    src_pos pos; /* for the values made */
    buf_t *out;  /* JSON */
} walk;

/* Raises "what: message (at 'a.b[2]')" at the script line. */
static int walk_fail(lua_State *L, walk *w, const char *fmt, ...)
{
    luaL_Buffer b;
    va_list ap;
    va_start(ap, fmt);
    const char *m = lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    int mi = lua_gettop(L);
    luaL_buffinit(L, &b);
    luaL_addstring(&b, w->what);
    luaL_addstring(&b, ": ");
    lua_pushvalue(L, mi);
    luaL_addvalue(&b);
    (void)m;
    if (w->depth > 0) {
        luaL_addstring(&b, " (at '");
        for (int i = 0; i < w->depth; i++) {
            if (w->seg[i].key) {
                if (i > 0)
                    luaL_addchar(&b, '.');
                luaL_addstring(&b, w->seg[i].key);
            } else {
                lua_pushfstring(L, "[%I]", (lua_Integer)w->seg[i].idx);
                luaL_addvalue(&b);
            }
        }
        luaL_addstring(&b, "')");
    }
    luaL_pushresult(&b);
    return raise_top(L, false);
}

static void walk_enter(lua_State *L, walk *w, const char *key, lua_Integer idx, const val *node)
{
    if (w->depth >= WALK_MAX_DEPTH)
        walk_fail(L, w, "the value is nested more than %d levels deep", WALK_MAX_DEPTH);
    w->seg[w->depth].key = key;
    w->seg[w->depth].idx = idx;
    w->seg[w->depth].node = node;
    w->depth++;
}

static void walk_count(lua_State *L, walk *w, size_t bytes)
{
    w->bytes += bytes;
    if (++w->nodes > WALK_MAX_NODES)
        walk_fail(L, w, "the value is too large (more than %d values)", WALK_MAX_NODES);
    if (w->bytes > HOOKS_MAX_MEMORY || (w->out && w->out->len > HOOKS_MAX_MEMORY))
        walk_fail(L, w, "the value is too large (more than %d MiB)",
                  (int)(HOOKS_MAX_MEMORY / (1024u * 1024u)));
}

typedef struct {
    const char *s;
    size_t len;
    lua_Integer pos;
} key_ref;

static int cmp_key(const void *a, const void *b)
{
    const key_ref *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Tells a list (keys 1..n; an empty table too) from a record (string keys). For a record,
 * pushes its keys as a sorted Lua array (Lua's own order varies from run to run). Returns 'l'
 * or 'm' and sets *n; anything else is an error. */
static int table_shape(lua_State *L, int idx, walk *w, lua_Integer *n)
{
    lua_Integer count = 0, max = 0, names = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        count++;
        if (lua_type(L, -1) == LUA_TSTRING) {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            if (strlen(s) != len)
                walk_fail(L, w, "a field name contains a NUL byte");
            names++;
        } else if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1) {
            if (lua_tointeger(L, -1) > max)
                max = lua_tointeger(L, -1);
        } else {
            walk_fail(L, w, "a table key must be a name or a list position 1..n (got %s)",
                      luaL_tolstring(L, -1, NULL));
        }
    }
    *n = count;
    if (names == 0) {
        if (max != count)
            walk_fail(L, w, "a list has gaps (its keys must be 1..n)");
        return 'l';
    }
    if (names != count)
        walk_fail(L, w, "a table has both list items and named fields");
    lua_createtable(L, (int)count, 0);
    int keys = lua_gettop(L);
    key_ref *refs = lua_newuserdatauv(L, (size_t)count * sizeof(key_ref), 0);
    lua_Integer i = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        refs[i].s = lua_tolstring(L, -1, &refs[i].len); /* kept alive by the table */
        refs[i].pos = i + 1;
        lua_pushvalue(L, -1);
        lua_rawseti(L, keys, ++i);
    }
    qsort(refs, (size_t)count, sizeof(key_ref), cmp_key);
    lua_createtable(L, (int)count, 0);
    for (i = 0; i < count; i++) {
        lua_rawgeti(L, keys, refs[i].pos);
        lua_rawseti(L, -2, i + 1);
    }
    lua_replace(L, keys);
    lua_settop(L, keys);
    return 'm';
}

/* Marks the table at idx as on the current path; a table met twice is a cycle. */
static void walk_visit(lua_State *L, walk *w, int idx, bool on)
{
    if (on) {
        lua_pushvalue(L, idx);
        if (lua_rawget(L, w->visiting) != LUA_TNIL)
            walk_fail(L, w, "the value contains itself");
        lua_pop(L, 1);
    }
    lua_pushvalue(L, idx);
    if (on)
        lua_pushboolean(L, 1);
    else
        lua_pushnil(L);
    lua_rawset(L, w->visiting);
}

static void put(val *parent, const char *key, val *v)
{
    if (key)
        val_set(parent, key, v);
    else
        val_push(parent, v);
}

static void conv_fill(lua_State *L, int idx, walk *w, val *t, int shape, lua_Integer n);

/* Converts the Lua value at idx and adds it to parent (under key, or appended when key is
 * NULL) before anything else can fail, so an error leaks nothing: the root is boxed. Tables
 * become maps or lists, views references to the site's nodes (copies for a page's own). */
static void conv_value(lua_State *L, int idx, walk *w, val *parent, const char *key)
{
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 10, "the value is nested too deeply");
    switch (lua_type(L, idx)) {
    case LUA_TNIL: walk_count(L, w, 0); put(parent, key, val_null(w->pos)); return;
    case LUA_TBOOLEAN:
        walk_count(L, w, 0);
        put(parent, key, val_bool(lua_toboolean(L, idx), w->pos));
        return;
    case LUA_TNUMBER: walk_count(L, w, 0); put(parent, key, val_num(lua_tonumber(L, idx), w->pos)); return;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        walk_count(L, w, n);
        put(parent, key, val_strn(s, n, w->pos));
        return;
    }
    case LUA_TTABLE: break;
    default:
        walk_fail(L, w, "a %s cannot be site data (only strings, numbers, booleans and tables)",
                  luaL_typename(L, idx));
    }
    walk_count(L, w, 0);
    const val *v;
    switch (view_of(L, idx, &v)) {
    case 1: put(parent, key, val_ref(v)); return;
    case 2: put(parent, key, val_copy(v)); return;
    }
    lua_Integer n;
    int top = lua_gettop(L);
    int shape = table_shape(L, idx, w, &n);
    val *t = shape == 'm' ? val_map(w->pos) : val_list(w->pos);
    put(parent, key, t);
    walk_visit(L, w, idx, true);
    conv_fill(L, idx, w, t, shape, n);
    walk_visit(L, w, idx, false);
    lua_settop(L, top);
}

/* Fills t from the table at idx; for a record, its sorted keys are on top of the stack. */
static void conv_fill(lua_State *L, int idx, walk *w, val *t, int shape, lua_Integer n)
{
    int keys = lua_gettop(L);
    for (lua_Integer i = 1; i <= n; i++) {
        const char *k = NULL;
        if (shape == 'm') {
            lua_rawgeti(L, keys, i);
            k = lua_tostring(L, -1);
            lua_pushvalue(L, -1);
            lua_rawget(L, idx);
        } else {
            lua_rawgeti(L, idx, i);
        }
        walk_enter(L, w, k, i, NULL);
        conv_value(L, -1, w, t, k);
        w->depth--;
        lua_settop(L, keys);
    }
}

/* Converts the table at idx (a record) into a map, boxed on top of the stack. */
static val *conv_root(lua_State *L, int idx, const char *what, src_pos pos)
{
    idx = lua_absindex(L, idx);
    walk *w = lua_newuserdatauv(L, sizeof(walk), 0);
    memset(w, 0, sizeof *w);
    w->what = what;
    w->pos = pos;
    lua_newtable(L);
    w->visiting = lua_gettop(L);
    box *b = push_box(L, free_val);
    val *root = val_map(pos);
    b->p = root;
    int top = lua_gettop(L);
    lua_Integer n;
    int shape = table_shape(L, idx, w, &n);
    if (shape == 'l' && n > 0)
        walk_fail(L, w, "expected a table with named fields, not a list");
    walk_visit(L, w, idx, true);
    conv_fill(L, idx, w, root, shape, n);
    lua_settop(L, top);
    lua_replace(L, top - 2); /* leave only the box */
    lua_settop(L, top - 2);
    return root;
}

/* JSON. */

/* The shortest of %.15g, %.16g and %.17g that reads back as the same number. */
static void json_double(lua_State *L, walk *w, double n)
{
    if (!isfinite(n))
        walk_fail(L, w, "cannot encode %s (JSON has no such numbers)", isnan(n) ? "nan" : "infinity");
    char s[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(s, sizeof s, "%.*g", prec, n);
        if (strtod(s, NULL) == n)
            break;
    }
    buf_puts(w->out, s);
}

static void json_node(lua_State *L, const val *v, walk *w)
{
    buf_t *b = w->out;
    luaL_checkstack(L, 4, "the value is nested too deeply");
    switch (val_kind_of(v)) {
    case VAL_NULL: walk_count(L, w, 0); buf_puts(b, "null"); return;
    case VAL_BOOL: walk_count(L, w, 0); buf_puts(b, val_as_bool(v) ? "true" : "false"); return;
    case VAL_NUM: walk_count(L, w, 0); json_double(L, w, val_as_num(v)); return;
    case VAL_STR:
        walk_count(L, w, val_str_len(v));
        json_put_string(b, val_as_str(v), val_str_len(v));
        return;
    case VAL_FUNC: walk_fail(L, w, "cannot encode a lambda");
    case VAL_LIST:
    case VAL_MAP: break;
    }
    walk_count(L, w, 0);
    const val *t = val_target(v);
    for (int i = 0; i < w->depth; i++)
        if (w->seg[i].node == t)
            walk_fail(L, w, "the value contains itself");
    bool map = val_kind_of(t) == VAL_MAP;
    buf_putc(b, map ? '{' : '[');
    for (size_t i = 0; i < val_len(t); i++) {
        if (i)
            buf_putc(b, ',');
        const char *k = map ? val_key_at(t, i) : NULL;
        if (map) {
            json_put_string(b, k, strlen(k));
            buf_putc(b, ':');
        }
        walk_enter(L, w, k, (lua_Integer)i + 1, t);
        json_node(L, val_at(t, i), w);
        w->depth--;
    }
    buf_putc(b, map ? '}' : ']');
}

static void json_value(lua_State *L, int idx, walk *w)
{
    buf_t *b = w->out;
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 10, "the value is nested too deeply");
    switch (lua_type(L, idx)) {
    case LUA_TNIL: walk_count(L, w, 0); buf_puts(b, "null"); return;
    case LUA_TBOOLEAN: walk_count(L, w, 0); buf_puts(b, lua_toboolean(L, idx) ? "true" : "false"); return;
    case LUA_TNUMBER:
        walk_count(L, w, 0);
        if (lua_isinteger(L, idx))
            buf_printf(b, "%lld", (long long)lua_tointeger(L, idx));
        else
            json_double(L, w, lua_tonumber(L, idx));
        return;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        walk_count(L, w, n);
        json_put_string(b, s, n);
        return;
    }
    case LUA_TTABLE: break;
    default: walk_fail(L, w, "cannot encode a %s", luaL_typename(L, idx));
    }
    const val *v;
    if (view_of(L, idx, &v)) {
        /* The node itself, its map keys in the order of the source. A view's node is its own
         * target, so the first level is on the path too. */
        json_node(L, v, w);
        return;
    }
    walk_count(L, w, 0);
    lua_Integer n;
    int top = lua_gettop(L);
    int shape = table_shape(L, idx, w, &n);
    int keys = lua_gettop(L);
    walk_visit(L, w, idx, true);
    buf_putc(b, shape == 'm' ? '{' : '[');
    for (lua_Integer i = 1; i <= n; i++) {
        if (i > 1)
            buf_putc(b, ',');
        const char *k = NULL;
        if (shape == 'm') {
            size_t klen;
            lua_rawgeti(L, keys, i);
            k = lua_tolstring(L, -1, &klen);
            json_put_string(b, k, klen);
            buf_putc(b, ':');
            lua_rawget(L, idx);
        } else {
            lua_rawgeti(L, idx, i);
        }
        walk_enter(L, w, k, i, NULL);
        json_value(L, -1, w);
        w->depth--;
        lua_settop(L, keys);
    }
    buf_putc(b, shape == 'm' ? '}' : ']');
    walk_visit(L, w, idx, false);
    lua_settop(L, top);
}

/* }====== */

/* {====== The kasikirja table ====== */

/* Hands an api function's answer to Lua: text (malloc'd; boxed in b while it is copied, so a
 * memory error cannot leak it) becomes the result; NULL raises err (malloc'd) as the build's
 * own message at the script line, without a traceback. */
static int api_result(lua_State *L, box *b, char *text, char *err)
{
    if (text) {
        b->p = text;
        lua_pushstring(L, text);
        free(box_take(b));
        return 1;
    }
    b->p = err;
    lua_pushstring(L, err ? err : "failed");
    free(box_take(b));
    return raise_top(L, true);
}

static int not_available(lua_State *L, const char *fn)
{
    return raise_here(L, "kasikirja.%s: not available", fn);
}

typedef bool (*spec_fn)(void *ud, const val *spec, src_pos where, char **err);

/* kasikirja.page{…} and kasikirja.xlsx{…} (what): the table argument converted to a value and
 * handed to the api's fn (NULL: not available), its refusal raised at the calling line. */
static int spec_call(lua_State *L, const char *what, spec_fn fn)
{
    hooks *h = H(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    if (!fn)
        return not_available(L, what + strlen("kasikirja."));
    src_pos where = script_frame(L, 1);
    val *spec = conv_root(L, 1, what, where);
    box *sb = lua_touserdata(L, -1);
    box *eb = push_box(L, free);
    char *err = NULL;
    bool ok = fn(h->api.ud, spec, where, &err);
    val_free(box_take(sb));
    if (ok) {
        free(err);
        return 0;
    }
    return api_result(L, eb, NULL, err);
}

static int kk_page(lua_State *L) { return spec_call(L, "kasikirja.page", H(L)->api.add_page); }

static int kk_file(lua_State *L)
{
    hooks *h = H(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "path");
    lua_getfield(L, 1, "content");
    if (lua_type(L, 2) != LUA_TSTRING)
        return raise_here(L, "kasikirja.file: 'path' must be a string (got %s)", luaL_typename(L, 2));
    if (lua_type(L, 3) != LUA_TSTRING && lua_type(L, 3) != LUA_TNUMBER)
        return raise_here(L, "kasikirja.file: 'content' must be a string (got %s)", luaL_typename(L, 3));
    if (!h->api.add_file)
        return not_available(L, "file");
    size_t len;
    const char *content = lua_tolstring(L, 3, &len);
    box *eb = push_box(L, free);
    char *err = NULL;
    if (h->api.add_file(h->api.ud, lua_tostring(L, 2), content, len, script_frame(L, 1), &err)) {
        free(err);
        return 0;
    }
    return api_result(L, eb, NULL, err);
}

static int kk_xlsx(lua_State *L) { return spec_call(L, "kasikirja.xlsx", H(L)->api.add_xlsx); }

/* kasikirja.markdown(text) and kasikirja.url(path): a string in, a string out. */
static int string_api(lua_State *L, const char *name, char *(*fn)(void *, const char *, char **))
{
    hooks *h = H(L);
    const char *arg = luaL_checkstring(L, 1);
    if (!fn)
        return not_available(L, name);
    box *b = push_box(L, free);
    char *err = NULL;
    char *out = fn(h->api.ud, arg, &err);
    if (out)
        free(err);
    return api_result(L, b, out, out ? NULL : err);
}

static int kk_markdown(lua_State *L)
{
    return string_api(L, "markdown", H(L)->api.markdown);
}

static int kk_url(lua_State *L)
{
    return string_api(L, "url", H(L)->api.url);
}

static void push_root_view(lua_State *L, const val *v, const val *fallback);

/* kasikirja.data_lang(code): the model as the pages of that language see it (nil
 * for a language the site does not have). */
static int kk_data_lang(lua_State *L)
{
    hooks *h = H(L);
    const char *code = luaL_checkstring(L, 1);
    if (!h->api.data_lang)
        return not_available(L, "data_lang");
    const val *v = h->api.data_lang(h->api.ud, code);
    if (!v)
        lua_pushnil(L);
    else
        push_root_view(L, v, h->empty_map);
    return 1;
}

/* kasikirja.text(key [, lang]): the interface text of key ("vienti.tehtava") in the site's
 * language lang (default: the site's default), placeholders unfilled; for a text with number
 * forms, its "monta" form. An unknown key or language is an error at the calling line. */
static int kk_text(lua_State *L)
{
    hooks *h = H(L);
    const char *key = luaL_checkstring(L, 1);
    const char *lang = luaL_optstring(L, 2, NULL);
    if (!h->api.languages || !h->api.catalog)
        return not_available(L, "text");
    const val *langs = h->api.languages(h->api.ud);
    size_t i = 0;
    while (lang && i < val_len(langs) && strcmp(val_as_str(val_at(langs, i)), lang))
        i++;
    assert(val_len(langs) > 0 && "a site has its default language");
    if (i == val_len(langs)) {
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        for (size_t j = 0; j < val_len(langs); j++) {
            if (j)
                luaL_addstring(&b, ", ");
            luaL_addstring(&b, val_as_str(val_at(langs, j)));
        }
        luaL_pushresult(&b);
        return raise_here(L, "kasikirja.text: the site has no language '%s' (its languages: %s)", lang,
                          lua_tostring(L, -1));
    }
    const i18n *c = h->api.catalog(h->api.ud, i);
    if (!i18n_has(c, key)) {
        const char *near = i18n_suggest(c, key);
        if (near)
            return raise_here(L, "kasikirja.text: unknown interface text '%s' (did you mean '%s'?)", key, near);
        return raise_here(L,
                          "kasikirja.text: unknown interface text '%s' (the keys are 'group.key' of the "
                          "theme's layouts/kielet/fi.yaml)",
                          key);
    }
    lua_pushstring(L, i18n_text(c, key));
    return 1;
}

static int kk_diagram(lua_State *L)
{
    hooks *h = H(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    if (!h->api.diagram)
        return not_available(L, "diagram");
    src_pos where = script_frame(L, 1);
    val *spec = conv_root(L, 1, "kasikirja.diagram", where);
    box *sb = lua_touserdata(L, -1);
    box *b = push_box(L, free);
    char *err = NULL;
    char *html = h->api.diagram(h->api.ud, spec, where, &err);
    val_free(box_take(sb));
    if (html)
        free(err);
    return api_result(L, b, html, html ? NULL : err);
}

static int kk_escape(lua_State *L)
{
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    buf_t *b = push_buf(L);
    esc_html(b, s, n);
    lua_pushlstring(L, b->ptr ? b->ptr : "", b->len);
    buf_free(b);
    return 1;
}

/* kasikirja.json(value): tables 1..n (and {}) are arrays, tables with names objects with the
 * names sorted; views keep their source order. Cycles, functions, nan and infinity are errors. */
static int kk_json(lua_State *L)
{
    luaL_checkany(L, 1);
    lua_settop(L, 1);
    walk *w = lua_newuserdatauv(L, sizeof(walk), 0);
    memset(w, 0, sizeof *w);
    w->what = "kasikirja.json";
    lua_newtable(L);
    w->visiting = lua_gettop(L);
    w->out = push_buf(L);
    json_value(L, 1, w);
    lua_pushlstring(L, w->out->ptr, w->out->len);
    buf_free(w->out);
    return 1;
}

static int kk_read(lua_State *L)
{
    hooks *h = H(L);
    const char *path = luaL_checkstring(L, 1);
    const src_file *f = NULL;
    bool under = !strncmp(path, "content/", 8) || !strncmp(path, "layouts/", 8) ||
                 !strncmp(path, "diagrams/", 9);
    /* Only the files the build loaded are known, by their exact relative paths, so "..",
     * absolute paths and links lead nowhere anyway; the prefix check says so. */
    if (under)
        f = strmap_get(h->files, path);
    if (!f)
        return raise_here(L,
                          "kasikirja.read: no source file '%s' (hooks can read files under content/, "
                          "layouts/ and diagrams/)",
                          path);
    size_t len;
    char *owned;
    const char *text = src_text(f, &len, &owned, NULL);
    if (!text)
        return raise_here(L, "kasikirja.read: cannot read '%s'", path);
    lua_pushlstring(L, text, len);
    free(owned);
    return 1;
}

/* The message of warn/print/error: the arguments as print shows them, tab-separated. */
static const char *joined_args(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1)
            luaL_addchar(&b, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    return lua_tostring(L, -1);
}

static int note(lua_State *L, diag_severity sev, const char *fn)
{
    hooks *h = H(L);
    if (!h->d)
        return raise_here(L, "%s: not available inside a lambda (a lambda's only output is its text)", fn);
    const char *msg = joined_args(L);
    src_pos p = script_frame(L, 1);
    diag_add(h->d, sev, p.file, p.line, 0, "%s", msg);
    return 0;
}

static int kk_warn(lua_State *L)
{
    luaL_checkstring(L, 1);
    return note(L, DIAG_WARNING, "kasikirja.warn");
}

/* print: a note at the calling line, so a script can show values while it is written without
 * writing to the terminal behind the build's back. */
static int sandbox_print(lua_State *L) { return note(L, DIAG_NOTE, "print"); }

static int kk_error(lua_State *L)
{
    luaL_checkstring(L, 1);
    lua_settop(L, 1);
    return raise_top(L, true);
}

static int kk_on_page(lua_State *L)
{
    hooks *h = H(L);
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_rawgetp(L, LUA_REGISTRYINDEX, KEY_FILTERS);
    lua_pushvalue(L, 1);
    lua_rawseti(L, -2, (lua_Integer)h->filters + 1);
    h->filters++;
    return 0;
}

typedef struct {
    hooks *h;
    int ref;    /* the function, in the registry */
    char *name; /* for messages */
    src_pos pos;
} lambda;

static void free_lambda(void *p)
{
    lambda *lb = p;
    if (lb) {
        free(lb->name);
        free(lb);
    }
}

static char *lambda_call(void *ud, const char *raw, char **err);

/* Wraps the function on top of the stack (popped) as a lambda value (never fails once the
 * registry reference is made). */
static val *make_lambda(lua_State *L, const char *name, src_pos pos)
{
    int ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lambda *lb = xmalloc(sizeof *lb);
    *lb = (lambda){H(L), ref, xstrdup(name), pos};
    return val_func(lambda_call, lb, free_lambda, pos);
}

static int kk_lambda(lua_State *L)
{
    hooks *h = H(L);
    const char *name = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    if (!*name)
        return raise_here(L, "kasikirja.lambda: the name is empty");
    lua_settop(L, 2);
    val_set(h->lambdas, name, make_lambda(L, name, script_frame(L, 1)));
    return 0;
}

static const luaL_Reg kasikirja_funcs[] = {
    {"page", kk_page},         {"file", kk_file},     {"xlsx", kk_xlsx},     {"markdown", kk_markdown},
    {"url", kk_url},           {"diagram", kk_diagram}, {"escape", kk_escape},
    {"json", kk_json},         {"read", kk_read},     {"warn", kk_warn},
    {"error", kk_error},       {"on_page", kk_on_page}, {"lambda", kk_lambda},
    {"data_lang", kk_data_lang}, {"text", kk_text},
    {NULL, NULL},
};

/* The English names of the model's lists. */
static const struct {
    const char *alias, *key;
} aliases[] = {
    {"parties", "toimijat"},     {"groups", "ryhmat"},        {"roles", "roolit"},
    {"forums", "foorumit"},      {"laws", "lait"},            {"obligations", "velvoitteet"},
    {"documents", "asiakirjat"}, {"events", "tapahtumat"},    {"milestones", "virstanpylvaat"},
    {"glossary", "termit"},      {"models", "mallit"},        {"tables", "taulukot"},
};

static int kk_newindex(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TSTRING)
        return raise_here(L, "kasikirja is read-only (tried to set '%s')", lua_tostring(L, 2));
    return raise_here(L, "kasikirja is read-only");
}

static int kk_next(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (lua_next(L, 1))
        return 2;
    lua_pushnil(L);
    return 1;
}

static void push_root_view(lua_State *L, const val *v, const val *fallback);

/* Sets kasikirja.pages in the real table t (at index t), made now when it
 * was left to the first read. */
static void put_pages(lua_State *L, int t)
{
    hooks *h = H(L);
    if (!h->pages && !h->own_pages && h->api.pages)
        h->own_pages = h->api.pages(h->api.ud);
    push_root_view(L, h->pages ? h->pages : h->own_pages, h->empty_list);
    lua_setfield(L, t, "pages");
}

/* The real table's __index: kasikirja.pages, made on its first read. */
static int kk_lazy(lua_State *L)
{
    if (lua_type(L, 2) != LUA_TSTRING || strcmp(lua_tostring(L, 2), "pages") != 0)
        return 0;
    lua_pushnil(L);
    lua_setmetatable(L, 1); /* nothing more to make */
    put_pages(L, 1);
    lua_getfield(L, 1, "pages");
    return 1;
}

/* pairs(kasikirja) lists the real table's fields. */
static int kk_pairs(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    if (lua_getmetatable(L, -1)) { /* pages not made yet */
        lua_pop(L, 1);
        lua_pushnil(L);
        lua_setmetatable(L, -2);
        put_pages(L, lua_gettop(L));
    }
    lua_pop(L, 1);
    lua_pushcfunction(L, kk_next);
    lua_getfield(L, -2, "__index");
    lua_pushnil(L);
    return 3;
}

/* }====== */

/* {====== The sandbox ====== */

/* load: text only (binary chunks could break the interpreter), always named "=(load)" so no
 * chunk can pose as a script, in the hooks' globals unless an env is given. Returns nil and
 * the message on failure, as load does. */
static int sandbox_load(lua_State *L)
{
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    if (!s)
        return raise_here(L, "load: hooks can load only chunks given as strings");
    const char *mode = luaL_optstring(L, 3, "bt");
    int env = !lua_isnone(L, 4) ? 4 : 0;
    if (!strchr(mode, 't')) {
        luaL_pushfail(L);
        lua_pushstring(L, "attempt to load a binary chunk (hooks load only text)");
        return 2;
    }
    if (luaL_loadbufferx(L, s, len, "=(load)", "t") != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    if (env) {
        lua_pushvalue(L, env);
        if (!lua_setupvalue(L, -2, 1))
            lua_pop(L, 1);
    }
    return 1;
}

static int sandbox_collectgarbage(lua_State *L)
{
    const char *opt = luaL_optstring(L, 1, "collect");
    if (strcmp(opt, "count") != 0)
        return raise_here(L, "collectgarbage: only collectgarbage(\"count\") is available in hooks");
    int k = lua_gc(L, LUA_GCCOUNT);
    int b = lua_gc(L, LUA_GCCOUNTB);
    lua_pushnumber(L, (lua_Number)k + ((lua_Number)b / 1024));
    return 1;
}

/* Lua's linit.c list, edited as it invites: no package (require, C modules), coroutine, io, os
 * or debug. */
static const luaL_Reg safe_libs[] = {
    {LUA_GNAME, luaopen_base},       {LUA_TABLIBNAME, luaopen_table},
    {LUA_STRLIBNAME, luaopen_string}, {LUA_MATHLIBNAME, luaopen_math},
    {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL},
};

/* Global functions of the base library that reach outside the sandbox (files, bytecode, the
 * collector, stderr) are removed or replaced. Lua's own warn() would write to stderr: scripts
 * use kasikirja.warn. */
static const char *const removed_globals[] = {"dofile", "loadfile", "warn", "require"};

static const luaL_Reg replaced_globals[] = {
    {"load", sandbox_load},
    {"collectgarbage", sandbox_collectgarbage},
    {"print", sandbox_print},
    {NULL, NULL},
};

/* Pushes a view of v (or of fallback when v is NULL) for the long-lived trees. */
static void push_root_view(lua_State *L, const val *v, const val *fallback)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, KEY_VIEWS);
    push_val(L, v && (val_kind_of(v) == VAL_MAP || val_kind_of(v) == VAL_LIST) ? v : fallback, -1);
    lua_remove(L, -2);
}

/* Builds the sandbox, protected (an error is a memory error). */
static int setup(lua_State *L)
{
    hooks *h = H(L);
    for (const luaL_Reg *lib = safe_libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    for (size_t i = 0; i < sizeof removed_globals / sizeof removed_globals[0]; i++) {
        lua_pushnil(L);
        lua_setglobal(L, removed_globals[i]);
    }
    lua_pushglobaltable(L);
    luaL_setfuncs(L, replaced_globals, 0);
    lua_pop(L, 1);
    /* string.dump makes bytecode; the string metatable's __index is this same table. */
    lua_getglobal(L, LUA_STRLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    /* A fixed seed: the same sources build the same site. */
    lua_getglobal(L, LUA_MATHLIBNAME);
    lua_getfield(L, -1, "randomseed");
    lua_pushinteger(L, 20240601);
    lua_call(L, 1, 0);
    lua_pop(L, 1);

    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, KEY_VIEWS);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, KEY_FILTERS);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
    lua_rawsetp(L, LUA_REGISTRYINDEX, KEY_BOX);

    /* The real table: functions and views. */
    luaL_newlib(L, kasikirja_funcs);
    int k = lua_gettop(L);
    push_root_view(L, h->site_data, h->empty_map);
    lua_setfield(L, k, "config");
    if (h->pages || !h->api.pages) {
        put_pages(L, k);
    } else {
        lua_createtable(L, 0, 1);
        lua_pushcfunction(L, kk_lazy);
        lua_setfield(L, -2, "__index");
        lua_setmetatable(L, k);
    }
    push_root_view(L, h->model_data, h->empty_map);
    lua_setfield(L, k, "data");
    push_root_view(L, h->api.languages ? h->api.languages(h->api.ud) : NULL, h->empty_list);
    lua_setfield(L, k, "languages");
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        push_root_view(L, val_get(h->model_data, aliases[i].key), h->empty_list);
        lua_setfield(L, k, aliases[i].alias);
    }
    /* Known as a loaded module, so tracebacks name "kasikirja.page". */
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_pushvalue(L, k);
    lua_setfield(L, -2, "kasikirja");
    lua_pop(L, 1);
    /* What scripts see: an empty table that reads through to it. */
    lua_newtable(L);
    lua_createtable(L, 0, 4);
    lua_pushvalue(L, k);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, kk_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, kk_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushliteral(L, "kasikirja: read-only");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_setglobal(L, "kasikirja");
    return 0;
}

/* }====== */

/* {====== Public functions ====== */

/* A positive whole number from the environment variable name, else def. */
static long env_limit(const char *name, long def)
{
    const char *v = getenv(name);
    char *end;
    long n = v ? strtol(v, &end, 10) : 0;
    return v && *v && !*end && n > 0 ? n : def;
}

hooks *hooks_new(const src_tree *src, const val *site_data, const val *pages, const val *model_data,
                 const hooks_api *api, diag_list *d)
{
    hooks *h = xcalloc(1, sizeof(hooks));
    h->src = src;
    h->max_seconds = env_limit("KASIKIRJA_HOOK_SECONDS", HOOKS_MAX_SECONDS);
    h->max_memory = (size_t)env_limit("KASIKIRJA_HOOK_MEMORY_MB", HOOKS_MAX_MEMORY / (1024 * 1024)) * 1024 * 1024;
    h->max_instructions = env_limit("KASIKIRJA_HOOK_INSTRUCTIONS", HOOKS_MAX_INSTRUCTIONS);
    pthread_mutex_init(&h->wd_mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&h->wd_cv, &ca);
    pthread_condattr_destroy(&ca);
    h->watching = pthread_create(&h->watchdog, NULL, watchdog_main, h) == 0;
    if (api)
        h->api = *api;
    h->site_data = site_data;
    h->pages = pages;
    h->model_data = model_data;
    h->empty_map = val_map((src_pos){NULL, 0, 0});
    h->empty_list = val_list((src_pos){NULL, 0, 0});
    h->lambdas = val_map((src_pos){NULL, 0, 0});
    h->files = strmap_new_borrowing(); /* keys: the source files' paths (src outlives the hooks) */
    for (int k = 0; k < SRC_KIND_COUNT; k++)
        for (size_t i = 0; i < src_count(src, (src_kind)k); i++) {
            const src_file *f = src_at(src, (src_kind)k, i);
            if (f->data || f->lazy) /* a lazy page is read when asked for */
                strmap_add(h->files, f->path, (void *)f);
        }
    if (mtx_init(&h->lock, mtx_plain | mtx_recursive) != thrd_success) {
        fprintf(stderr, "kasikirja: cannot make a mutex\n");
        abort();
    }
    h->L = lua_newstate(l_alloc, h);
    if (!h->L) {
        diag_error(d, NULL, 0, 0, "the Lua hooks cannot start: out of memory");
        h->broken = true;
        return h;
    }
    lua_atpanic(h->L, l_panic);
    lua_sethook(h->L, count_hook, LUA_MASKCOUNT, HOOK_STEP);
    lua_pushcfunction(h->L, setup);
    int st = docall(h, 0, 0);
    if (st != LUA_OK) {
        report(h, d, st, NULL);
        h->broken = true;
    }
    return h;
}

void hooks_free(hooks *h)
{
    if (!h)
        return;
    if (h->watching) {
        pthread_mutex_lock(&h->wd_mu);
        h->wd_stop = true;
        pthread_cond_signal(&h->wd_cv);
        pthread_mutex_unlock(&h->wd_mu);
        pthread_join(h->watchdog, NULL);
    }
    pthread_mutex_destroy(&h->wd_mu);
    pthread_cond_destroy(&h->wd_cv);
    val_free(h->lambdas); /* the lambdas' functions go with the state */
    if (h->L)
        lua_close(h->L);
    val_free(h->own_pages);
    val_free(h->empty_map);
    val_free(h->empty_list);
    strmap_free(h->files);
    free(h->traceback);
    mtx_destroy(&h->lock);
    free(h);
}

size_t hooks_count(const hooks *h) { return src_count(h->src, SRC_HOOK); }

bool hooks_run(hooks *h, diag_list *d)
{
    if (h->broken)
        return false;
    mtx_lock(&h->lock);
    lua_State *L = h->L;
    diag_list *saved = h->d;
    h->d = d;
    bool ok = true;
    for (size_t i = 0; ok && i < src_count(h->src, SRC_HOOK); i++) {
        const src_file *f = src_at(h->src, SRC_HOOK, i);
        int top = lua_gettop(L);
        char *name = xasprintf("@%s", f->path);
        clear_error(h);
        int st = luaL_loadbufferx(L, f->data, f->len, name, "t");
        free(name);
        pthread_mutex_lock(&h->wd_mu);
        h->wd_what = f->name;
        pthread_mutex_unlock(&h->wd_mu);
        if (st == LUA_OK)
            st = docall(h, 0, 0);
        if (st != LUA_OK) {
            report(h, d, st, f->name);
            ok = false;
        }
        lua_settop(L, top);
    }
    h->d = saved;
    mtx_unlock(&h->lock);
    return ok;
}

/* Filters, step 1: the page's table (index 2) and a copy of its fields to compare with (3),
 * the views in the memo table at 1. */
static int filter_prepare(lua_State *L)
{
    const val *page = lua_touserdata(L, 1);
    lua_settop(L, 0);
    lua_newtable(L);
    lua_createtable(L, 0, (int)val_len(page));
    lua_createtable(L, 0, (int)val_len(page));
    for (size_t i = 0; i < val_len(page); i++) {
        push_val(L, val_at(page, i), 1);
        lua_pushvalue(L, -1);
        lua_setfield(L, 2, val_key_at(page, i));
        lua_setfield(L, 3, val_key_at(page, i));
    }
    return 3;
}

/* Filters, step 3: the fields of the table (1) that differ from the original (2), as a boxed
 * map, or nil; a field set to nil comes back as null. The values made get the position
 * (lightuserdata 3) of the last filter's definition. */
static int filter_collect(lua_State *L)
{
    const src_pos *pos = lua_touserdata(L, 3);
    lua_settop(L, 2);
    walk *w = lua_newuserdatauv(L, sizeof(walk), 0); /* 3 */
    memset(w, 0, sizeof *w);
    w->what = "kasikirja.on_page";
    w->pos = *pos;
    lua_newtable(L); /* 4 */
    w->visiting = 4;
    lua_newtable(L); /* 5: every key of both */
    for (int t = 1; t <= 2; t++) {
        lua_pushnil(L);
        while (lua_next(L, t)) {
            lua_pop(L, 1);
            if (lua_type(L, -1) != LUA_TSTRING)
                walk_fail(L, w, "a page's fields must have names (a filter set [%s])",
                          luaL_tolstring(L, -1, NULL));
            lua_pushvalue(L, -1);
            lua_pushboolean(L, 1);
            lua_rawset(L, 5);
        }
    }
    lua_Integer n;
    table_shape(L, 5, w, &n); /* 6: the keys, sorted */
    box *b = push_box(L, free_val); /* 7 */
    val *changed = val_map(*pos);
    b->p = changed;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, 6, i);
        int k = lua_gettop(L);
        lua_pushvalue(L, k);
        lua_rawget(L, 1);
        lua_pushvalue(L, k);
        lua_rawget(L, 2);
        if (!lua_rawequal(L, -1, -2)) {
            const char *key = lua_tostring(L, k);
            walk_enter(L, w, key, 0, NULL);
            conv_value(L, k + 1, w, changed, key);
            w->depth--;
        }
        lua_settop(L, 7);
    }
    if (val_len(changed) == 0)
        lua_pushnil(L);
    return 1;
}

/* The path of the script that defined the function on top of the stack (borrowed), or NULL. */
static const char *function_script(hooks *h, int *line)
{
    lua_Debug ar;
    lua_pushvalue(h->L, -1);
    lua_getinfo(h->L, ">S", &ar);
    const src_file *f = ar.source[0] == '@' ? script_file(h, ar.source + 1) : NULL;
    *line = ar.linedefined;
    return f ? f->name : NULL;
}

val *hooks_filter_page(hooks *h, const val *page, diag_list *d)
{
    if (h->broken || h->filters == 0)
        return NULL;
    mtx_lock(&h->lock);
    lua_State *L = h->L;
    diag_list *saved = h->d;
    h->d = d;
    int top = lua_gettop(L);
    val *result = NULL;
    lua_pushcfunction(L, filter_prepare);
    lua_pushlightuserdata(L, (void *)page);
    int st = docall(h, 1, 3);
    if (st != LUA_OK) {
        report(h, d, st, NULL);
        goto done;
    }
    int memo = top + 1, table = top + 2, orig = top + 3;
    src_pos pos = {NULL, 0, 0};
    lua_rawgetp(L, LUA_REGISTRYINDEX, KEY_FILTERS);
    int filters = lua_gettop(L);
    for (size_t i = 1; i <= h->filters; i++) {
        lua_rawgeti(L, filters, (lua_Integer)i);
        pos.file = function_script(h, &pos.line);
        lua_pushvalue(L, table);
        st = docall(h, 1, 0);
        if (st != LUA_OK) {
            report(h, d, st, pos.file);
            goto expire;
        }
    }
    lua_pushcfunction(L, filter_collect);
    lua_pushvalue(L, table);
    lua_pushvalue(L, orig);
    lua_pushlightuserdata(L, &pos);
    st = docall(h, 3, 1);
    if (st != LUA_OK) {
        report(h, d, st, pos.file);
        goto expire;
    }
    if (!lua_isnil(L, -1))
        result = box_take(lua_touserdata(L, -1));
expire:
    lua_pushcfunction(L, expire_views);
    lua_pushvalue(L, memo);
    if (docall(h, 1, 0) != LUA_OK)
        lua_pop(L, 1);
done:
    lua_settop(L, top);
    h->d = saved;
    mtx_unlock(&h->lock);
    return result;
}

const val *hooks_lambdas(const hooks *h) { return h->lambdas; }

/* A lambda's call, protected: the function, the raw text (or none) and the result as text. */
static int lambda_main(lua_State *L)
{
    lambda *lb = lua_touserdata(L, 1);
    const char *raw = lua_touserdata(L, 2);
    lua_settop(L, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, lb->ref);
    if (raw)
        lua_pushstring(L, raw);
    lua_call(L, raw ? 1 : 0, 1);
    int t = lua_type(L, 1);
    if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, 1)))
        return 1;
    if (t != LUA_TSTRING && t != LUA_TNUMBER && t != LUA_TBOOLEAN &&
        luaL_getmetafield(L, 1, "__tostring") == LUA_TNIL) {
        lua_pushfstring(L, "%s:%d: the lambda '%s' returned a %s (return a string, or false for nothing)",
                        lb->pos.file ? lb->pos.file : "?", lb->pos.line, lb->name, luaL_typename(L, 1));
        return lua_error(L);
    }
    lua_settop(L, 1);
    luaL_tolstring(L, 1, NULL);
    return 1;
}

static char *lambda_call(void *ud, const char *raw, char **err)
{
    lambda *lb = ud;
    hooks *h = lb->h;
    *err = NULL;
    if (h->broken) {
        *err = xstrdup("the Lua hooks are not available");
        return NULL;
    }
    mtx_lock(&h->lock);
    lua_State *L = h->L;
    diag_list *saved = h->d;
    h->d = NULL;
    int top = lua_gettop(L);
    char *out = NULL;
    lua_pushcfunction(L, lambda_main);
    lua_pushlightuserdata(L, lb);
    lua_pushlightuserdata(L, (void *)raw);
    int st = docall(h, 2, 1);
    if (st != LUA_OK) {
        *err = error_text(h, st, lb->pos.file);
    } else if (!lua_isnil(L, -1) && !(lua_isboolean(L, -1) && !lua_toboolean(L, -1))) {
        size_t n;
        const char *s = lua_tolstring(L, -1, &n);
        out = xstrndup(s, n);
    }
    lua_settop(L, top);
    h->d = saved;
    mtx_unlock(&h->lock);
    return out;
}

/* hooks_compile_lambda, protected: loads "return <expression>", runs it, and requires a
 * function. The lambda value comes back boxed. */
static int compile_main(lua_State *L)
{
    const char *code = lua_touserdata(L, 1);
    lua_settop(L, 0);
    box *b = push_box(L, free_val);
    if (luaL_loadbufferx(L, code, strlen(code), "=" LAMBDA_CHUNK, "t") != LUA_OK) {
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, KEY_USERERR); /* a syntax error needs no traceback */
        return lua_error(L);
    }
    lua_call(L, 0, 1);
    if (lua_type(L, -1) != LUA_TFUNCTION)
        return luaL_error(L, LAMBDA_CHUNK ":1: the expression gives a %s, not a function",
                          luaL_typename(L, -1));
    b->p = make_lambda(L, LAMBDA_CHUNK, (src_pos){LAMBDA_CHUNK, 1, 0});
    return 1;
}

val *hooks_compile_lambda(hooks *h, const char *lua_source, diag_list *d)
{
    if (h->broken)
        return NULL;
    mtx_lock(&h->lock);
    lua_State *L = h->L;
    diag_list *saved = h->d;
    h->d = d;
    int top = lua_gettop(L);
    char *code = xasprintf("return %s", lua_source);
    val *v = NULL;
    lua_pushcfunction(L, compile_main);
    lua_pushlightuserdata(L, code);
    int st = docall(h, 1, 1);
    if (st != LUA_OK)
        report(h, d, st, LAMBDA_CHUNK);
    else
        v = box_take(lua_touserdata(L, -1));
    free(code);
    lua_settop(L, top);
    h->d = saved;
    mtx_unlock(&h->lock);
    return v;
}

/* }====== */
