/* serve: the live preview — an HTTP server over the output folder, an inotify
 * watcher over the sources, a debounced rebuild loop, live reload through
 * Server-Sent Events and the failed build's diagnostics over every page. */
#include "serve.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../0-base/buf.h"
#include "../0-base/clock.h"
#include "../0-base/diag.h"
#include "../0-base/xmem.h"
#include "../2-model/i18n.h"
#include "../build.h"
#include "../0-base/escape.h"
#include "../5-write/output.h"

#define LIVE_JS_URL "/__kasikirja/live.js"
#define EVENTS_URL "/__kasikirja/events"
#define DEBOUNCE_MS 50
#define KEEPALIVE_S 15
#define TREE_DEPTH_MAX 64

/* {====== The last build, shared with the HTTP threads ====== */

/* Written by the main thread after each build, read by every request. */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t changed;   /* broadcast after each finished build and on stop */
    unsigned long generation; /* finished builds so far */
    bool stopping;
    char *overlay;            /* the overlay element while the last build failed; NULL after a good one */
} live_state;

typedef struct {
    const char *out_dir;  /* borrowed from the options */
    unsigned long run_id; /* tells this run's event ids from those of an earlier run */
    live_state live;
} server;

static void live_init(live_state *l)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&l->changed, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&l->mu, NULL);
    l->generation = 0;
    l->stopping = false;
    l->overlay = NULL;
}

static void live_destroy(live_state *l)
{
    pthread_cond_destroy(&l->changed);
    pthread_mutex_destroy(&l->mu);
    free(l->overlay);
    l->overlay = NULL;
}

/* The overlay element for a failed build: every diagnostic, one a line, escaped. */
static char *overlay_html(const diag_list *d, const char *src_dir)
{
    /* The texts in the site's language; the catalog's own warnings were the build's to give. */
    diag_list *quiet = diag_list_new();
    i18n *tx = i18n_load_dir(src_dir, quiet);
    diag_list_free(quiet);
    buf_t b = BUF_INIT;
    buf_puts(&b, "<div id=\"kasikirja-virheet\" role=\"alert\" style=\"position:fixed;top:0;left:0;right:0;"
                 "width:100%;box-sizing:border-box;z-index:2147483647;margin:0;padding:1em 1.5em;"
                 "max-height:60vh;overflow:auto;background:#7a0000;color:#fff;"
                 "font:14px/1.5 monospace;text-align:left\">"
                 "<h2 style=\"margin:0 0 .5em;padding:0;font:bold 1.3em/1.3 monospace;color:#fff\">");
    esc_html_str(&b, i18n_text(tx, "esikatselu.epaonnistui"));
    buf_puts(&b, "</h2><p style=\"margin:0 0 .5em;color:#fff\">");
    esc_html_str(&b, i18n_text(tx, "esikatselu.ohje"));
    i18n_free(tx);
    buf_puts(&b, "</p>"
                 "<pre style=\"margin:0;padding:0;white-space:pre-wrap;background:transparent;"
                 "color:#fff;font:inherit\">\n"); /* HTML drops this first newline; the source reads better */
    /* Errors first: they are what stopped the build; warnings follow. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < diag_count(d); i++) {
            const diag_t *g = diag_at(d, i);
            if ((g->severity == DIAG_ERROR) != (pass == 0))
                continue;
            char *line = diag_format(g);
            esc_html_str(&b, line);
            buf_putc(&b, '\n');
            free(line);
        }
    buf_puts(&b, "</pre></div>");
    return buf_detach(&b);
}

/* Records a finished build and wakes every live-reload client. */
static void live_publish(live_state *l, bool ok, const diag_list *d, const char *src_dir)
{
    char *overlay = ok ? NULL : overlay_html(d, src_dir);
    pthread_mutex_lock(&l->mu);
    free(l->overlay);
    l->overlay = overlay;
    l->generation++;
    pthread_cond_broadcast(&l->changed);
    pthread_mutex_unlock(&l->mu);
}

static void live_stop(live_state *l)
{
    pthread_mutex_lock(&l->mu);
    l->stopping = true;
    pthread_cond_broadcast(&l->changed);
    pthread_mutex_unlock(&l->mu);
}

/* What a response shows of the build state, taken before its file is read:
 * the overlay (NULL after a good build) and the generation, which the page's
 * script hands back when it connects, so a build finished in between reloads it. */
typedef struct {
    char *overlay;
    unsigned long generation;
} live_snap;

static live_snap live_snapshot(live_state *l)
{
    pthread_mutex_lock(&l->mu);
    live_snap snap = {.overlay = l->overlay ? xstrdup(l->overlay) : NULL, .generation = l->generation};
    pthread_mutex_unlock(&l->mu);
    return snap;
}

/* } */

/* {====== HTML injection ====== */

/* The first (or, with last, the final) case-insensitive occurrence of needle in s[0..n). */
static const char *find_ci(const char *s, size_t n, const char *needle, bool last)
{
    size_t k = strlen(needle);
    const char *found = NULL;
    for (size_t i = 0; i + k <= n; i++) {
        if (strncasecmp(s + i, needle, k) == 0) {
            found = s + i;
            if (!last)
                break;
        }
    }
    return found;
}

/* Where the content of <body…> starts (just after its '>'), or NULL. */
static const char *body_start(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    while ((p = find_ci(p, (size_t)(end - p), "<body", false)) != NULL) {
        const char *q = p + 5;
        if (q < end && (*q == '>' || *q == '/' || *q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')) {
            const char *gt = memchr(q, '>', (size_t)(end - q));
            return gt ? gt + 1 : NULL;
        }
        p = q;
    }
    return NULL;
}

/* The page with the live-reload script before </body> (or at the end) and,
 * when given, the overlay just after <body…> (or before the script). */
static void inject(buf_t *out, const char *s, size_t n, const live_snap *snap)
{
    const char *overlay = snap->overlay;
    const char *open = body_start(s, n);
    const char *close = find_ci(s, n, "</body", true);
    const char *end = s + n;
    if (close && open && close < open)
        close = NULL;
    const char *script_at = close ? close : end;
    if (overlay && open) {
        buf_put(out, s, (size_t)(open - s));
        buf_puts(out, overlay);
        buf_put(out, open, (size_t)(script_at - open));
    } else {
        buf_put(out, s, (size_t)(script_at - s));
        if (overlay)
            buf_puts(out, overlay);
    }
    buf_printf(out, "<script src=\"%s\" data-g=\"%lu\"></script>", LIVE_JS_URL, snap->generation);
    buf_put(out, script_at, (size_t)(end - script_at));
}

/* } */

/* {====== HTTP ====== */

static const char live_js[] =
    "// kasikirja serve: reloads the page after each rebuild.\n"
    "(function () {\n"
    "  if (!window.EventSource) return;\n"
    "  var me = document.currentScript, g = me && me.getAttribute('data-g');\n"
    "  var es = new EventSource('" EVENTS_URL "' + (g ? '?g=' + encodeURIComponent(g) : ''));\n"
    "  es.addEventListener('reload', function () { es.close(); location.reload(); });\n"
    "})();\n";

static const struct {
    const char *ext;
    const char *type;
} mime_types[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json; charset=utf-8"},
    {"svg", "image/svg+xml; charset=utf-8"},
    {"xml", "application/xml; charset=utf-8"},
    {"txt", "text/plain; charset=utf-8"},
    {"ics", "text/calendar; charset=utf-8"},
    {"csv", "text/csv; charset=utf-8"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"pdf", "application/pdf"},
};

static const char *mime_type(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof mime_types / sizeof mime_types[0]; i++)
            if (!strcasecmp(dot + 1, mime_types[i].ext))
                return mime_types[i].type;
    return "application/octet-stream";
}

static bool is_html_type(const char *type) { return !strncmp(type, "text/html", 9); }

/* Queues r with the headers every answer has, and lets go of it. */
static enum MHD_Result send_response(struct MHD_Connection *c, unsigned status, struct MHD_Response *r,
                                     const char *type)
{
    if (!r)
        return MHD_NO;
    if (type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Sends the bytes of b (emptied); HTML gets the live-reload script and the overlay. */
static enum MHD_Result send_buffer(const live_snap *snap, struct MHD_Connection *c, unsigned status,
                                   const char *type, buf_t *b)
{
    if (is_html_type(type)) {
        buf_t page = BUF_INIT;
        inject(&page, b->ptr ? b->ptr : "", b->len, snap);
        buf_free(b);
        *b = page;
    }
    size_t len = b->len;
    char *data = buf_detach(b);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!r)
        free(data);
    return send_response(c, status, r, type);
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *text)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    return send_response(c, status, r, "text/plain; charset=utf-8");
}

/* The canonical path of out_dir (resolved per request: each build swaps a new
 * folder into place), or NULL when there is none yet. Caller frees. */
static char *out_root(const server *s) { return realpath(s->out_dir, NULL); }

/* Whether path is prefix or lies below it. */
static bool under(const char *rel, const char *prefix)
{
    size_t n = strlen(prefix);
    return !strncmp(rel, prefix, n) && (rel[n] == '\0' || rel[n] == '/');
}

/* realpath(path) when it lies inside root (or is root itself), else NULL. Caller frees. */
static char *resolve_inside(const char *root, const char *path)
{
    char *real = realpath(path, NULL);
    if (!real)
        return NULL;
    if (under(real, root))
        return real;
    free(real);
    return NULL;
}

/* Reads a regular file whole into b; false when it is not one or cannot be read. */
static bool read_file(const char *path, buf_t *b)
{
    FILE *f = fopen(path, "rbe");
    if (!f)
        return false;
    struct stat st;
    bool ok = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && buf_read_stream(b, f);
    fclose(f);
    return ok;
}

static bool url_path_safe(const char *url);

/* The 404 page for url: the one of its first folder when it has one (sv/404.html, a
 * language's; url is checked safe first), else the site's 404.html. */
static enum MHD_Result send_not_found_at(server *s, const live_snap *snap, struct MHD_Connection *c,
                                         const char *url)
{
    char *root = out_root(s);
    char *page = NULL;
    const char *seg_end = url && url_path_safe(url) ? strchr(url + 1, '/') : NULL;
    if (root && seg_end && seg_end > url + 1) {
        char *p = xasprintf("%s%.*s/404.html", root, (int)(seg_end - url), url);
        page = resolve_inside(root, p);
        free(p);
        struct stat st;
        if (page && (stat(page, &st) != 0 || !S_ISREG(st.st_mode))) {
            free(page);
            page = NULL;
        }
    }
    if (root && !page) {
        char *p = xasprintf("%s/404.html", root);
        page = resolve_inside(root, p);
        free(p);
    }
    buf_t b = BUF_INIT;
    if (!page || !read_file(page, &b)) {
        buf_clear(&b);
        /* Still HTML, so a site whose first build failed shows the errors and reloads. */
        buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"fi\"><head><meta charset=\"utf-8\"><title>404</title>"
                     "</head><body><h1>404</h1><p>Sivua ei löydy.</p></body></html>\n");
    }
    free(page);
    free(root);
    return send_buffer(snap, c, MHD_HTTP_NOT_FOUND, "text/html; charset=utf-8", &b);
}

static enum MHD_Result send_not_found(server *s, const live_snap *snap, struct MHD_Connection *c)
{
    return send_not_found_at(s, snap, c, NULL);
}

/* True when no segment of the (already percent-decoded) path could step out
 * of the output folder or is otherwise odd. */
static bool url_path_safe(const char *url)
{
    if (url[0] != '/')
        return false;
    for (const char *p = url; *p; p++)
        if (*p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7f)
            return false;
    const char *seg = url + 1;
    for (;;) {
        const char *e = strchr(seg, '/');
        size_t n = e ? (size_t)(e - seg) : strlen(seg);
        if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
            return false;
        if (!e)
            return true;
        seg = e + 1;
    }
}

/* The folder URL with its slash, percent-encoded for the Location header. */
static char *slash_location(const char *url)
{
    buf_t b = BUF_INIT;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p))
            buf_putc(&b, (char)*p);
        else
            buf_printf(&b, "%%%02X", *p);
    }
    buf_putc(&b, '/');
    return buf_detach(&b);
}

static enum MHD_Result send_path(server *s, const live_snap *snap, struct MHD_Connection *c, const char *url)
{
    if (!url_path_safe(url))
        return send_not_found(s, snap, c); /* not a path to look in */
    char *root = out_root(s);
    if (!root)
        return send_not_found_at(s, snap, c, url);
    char *path = xasprintf("%s%s", root, url);
    char *real = resolve_inside(root, path);
    struct stat st;
    enum MHD_Result ret;
    if (!real || stat(real, &st) != 0) {
        ret = send_not_found_at(s, snap, c, url);
    } else if (S_ISDIR(st.st_mode) && url[strlen(url) - 1] != '/') {
        char *loc = slash_location(url);
        struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        if (r)
            MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc);
        ret = send_response(c, MHD_HTTP_MOVED_PERMANENTLY, r, NULL);
        free(loc);
    } else {
        const char *name = path; /* the type follows the requested name, not a symlink's target */
        char *index = NULL;
        if (S_ISDIR(st.st_mode)) {
            char *p = xasprintf("%s/index.html", real);
            index = resolve_inside(root, p);
            free(p);
            free(real);
            real = index;
            name = "index.html";
        }
        const char *type = mime_type(name);
        int fd = real ? open(real, O_RDONLY | O_CLOEXEC) : -1;
        if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            if (fd >= 0)
                close(fd);
            ret = send_not_found_at(s, snap, c, url);
        } else if (is_html_type(type)) {
            FILE *f = fdopen(fd, "rb");
            buf_t b = BUF_INIT;
            bool ok = f && buf_read_stream(&b, f);
            if (f)
                fclose(f);
            else
                close(fd);
            ret = ok ? send_buffer(snap, c, MHD_HTTP_OK, type, &b) : send_not_found_at(s, snap, c, url);
            buf_free(&b);
        } else {
            /* The response owns fd and closes it. */
            struct MHD_Response *r = MHD_create_response_from_fd((size_t)st.st_size, fd);
            if (!r)
                close(fd);
            ret = send_response(c, MHD_HTTP_OK, r, type);
        }
    }
    free(real);
    free(path);
    free(root);
    return ret;
}

/* } */

/* {====== Server-Sent Events ====== */

typedef struct {
    server *s;
    unsigned long seen; /* the generation this client has */
    bool greeted;
    char msg[160];      /* the message being sent, from off */
    size_t len, off;
} sse_client;

/* Waits for the next message: a reload, a keep-alive comment, or the end
 * (false) when the server stops. */
static bool sse_next(sse_client *c)
{
    live_state *l = &c->s->live;
    int n;
    if (!c->greeted) {
        /* Something at once, so the headers go out; and a quick reconnect after a restart. */
        c->greeted = true;
        n = snprintf(c->msg, sizeof c->msg, "retry: 1000\n\n");
    } else {
        pthread_mutex_lock(&l->mu);
        struct timespec now, deadline;
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += KEEPALIVE_S;
        /* The 1 s steps are a safety net; broadcasts wake us at once. */
        while (!l->stopping && l->generation <= c->seen) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            if (now.tv_sec > deadline.tv_sec || (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec))
                break;
            struct timespec step = now;
            step.tv_sec += 1;
            if (step.tv_sec > deadline.tv_sec || (step.tv_sec == deadline.tv_sec && step.tv_nsec > deadline.tv_nsec))
                step = deadline;
            pthread_cond_timedwait(&l->changed, &l->mu, &step);
        }
        bool stopping = l->stopping;
        unsigned long gen = l->generation;
        pthread_mutex_unlock(&l->mu);
        if (stopping)
            return false;
        if (gen > c->seen) {
            c->seen = gen;
            n = snprintf(c->msg, sizeof c->msg, "id: %lu.%lu\nevent: reload\ndata: %lu\n\n", c->s->run_id, gen,
                         gen);
        } else {
            n = snprintf(c->msg, sizeof c->msg, ": keepalive\n\n");
        }
    }
    c->len = (size_t)n;
    c->off = 0;
    return true;
}

static ssize_t sse_read(void *cls, uint64_t pos, char *out, size_t max)
{
    (void)pos;
    sse_client *c = cls;
    if (c->off == c->len && !sse_next(c))
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = c->len - c->off < max ? c->len - c->off : max;
    memcpy(out, c->msg + c->off, n);
    c->off += n;
    return (ssize_t)n;
}

static void sse_free(void *cls) { free(cls); }

static enum MHD_Result send_events(server *s, struct MHD_Connection *c)
{
    sse_client *cl = xcalloc(1, sizeof *cl);
    cl->s = s;
    pthread_mutex_lock(&s->live.mu);
    cl->seen = s->live.generation;
    pthread_mutex_unlock(&s->live.mu);
    /* The page says which build it shows: a build finished since then reloads it at once. */
    const char *g = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "g");
    char *end = NULL;
    unsigned long shown = g ? strtoul(g, &end, 10) : 0;
    if (g && end && !*end && shown < cl->seen)
        cl->seen = shown;
    /* A reconnecting EventSource names the last event it saw: a build it
     * missed meanwhile (or a new server run) reloads it at once. */
    const char *last = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Last-Event-ID");
    unsigned long run, gen;
    if (last && sscanf(last, "%lu.%lu", &run, &gen) == 2) {
        if (run != s->run_id)
            cl->seen = 0;
        else if (gen < cl->seen)
            cl->seen = gen;
    }
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, sse_read, cl, sse_free);
    if (!r) {
        free(cl);
        return MHD_NO;
    }
    return send_response(c, MHD_HTTP_OK, r, "text/event-stream; charset=utf-8");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    (void)upload_data;
    (void)upload_data_size;
    (void)con_cls;
    server *s = cls;
    if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
        struct MHD_Response *r = MHD_create_response_from_buffer(
            strlen("method not allowed\n"), (void *)"method not allowed\n", MHD_RESPMEM_PERSISTENT);
        if (r)
            MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
        return send_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, r, "text/plain; charset=utf-8");
    }
    if (!strcmp(url, LIVE_JS_URL)) {
        struct MHD_Response *r =
            MHD_create_response_from_buffer(sizeof live_js - 1, (void *)live_js, MHD_RESPMEM_PERSISTENT);
        return send_response(c, MHD_HTTP_OK, r, "text/javascript; charset=utf-8");
    }
    if (!strcmp(url, EVENTS_URL))
        return send_events(s, c);
    if (!strncmp(url, "/__kasikirja/", 13))
        return send_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
    live_snap snap = live_snapshot(&s->live);
    enum MHD_Result ret = send_path(s, &snap, c, url);
    free(snap.overlay);
    return ret;
}

/* } */

/* {====== Watching the sources ====== */

#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_DELETE_SELF)

static const char *const watched_trees[] = {"content", "layouts", "diagrams"};

typedef struct {
    int wd;
    char *rel; /* the folder relative to src_dir; "" for src_dir itself */
} watch_t;

typedef struct {
    int fd;
    const char *src_dir; /* borrowed */
    char *out_rel;       /* the output folder relative to src_dir when inside it; else NULL */
    watch_t *w;
    size_t n, cap;
} watcher;

/* The paths changed since the last build, each once. */
typedef struct {
    char **paths;
    size_t n, cap;
    double last_event; /* clock_now_ms() of the latest relevant event */
} change_set;

static void changes_add(change_set *cs, const char *rel)
{
    cs->last_event = clock_now_ms();
    for (size_t i = 0; i < cs->n; i++)
        if (!strcmp(cs->paths[i], rel))
            return;
    if (cs->n == cs->cap) {
        cs->cap = cs->cap ? 2 * cs->cap : 8;
        cs->paths = xrealloc(cs->paths, cs->cap * sizeof *cs->paths);
    }
    cs->paths[cs->n++] = xstrdup(rel);
}

static void changes_clear(change_set *cs)
{
    for (size_t i = 0; i < cs->n; i++)
        free(cs->paths[i]);
    cs->n = 0;
}

static void changes_free(change_set *cs)
{
    changes_clear(cs);
    free(cs->paths);
    cs->paths = NULL;
    cs->cap = 0;
}

/* Names that are never a trigger: hidden files (editor locks, staging
 * folders), backups, swap files and vim's write probe. */
static bool ignored_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || name[0] == '.' || name[n - 1] == '~' || !strcmp(name, "4913"))
        return true;
    if (n >= 2 && name[0] == '#' && name[n - 1] == '#')
        return true;
    return n > 4 && (!strcmp(name + n - 4, ".swp") || !strcmp(name + n - 4, ".swx"));
}

static watch_t *watch_find(watcher *w, int wd)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->w[i].wd == wd)
            return &w->w[i];
    return NULL;
}

static void watch_remove_at(watcher *w, size_t i)
{
    free(w->w[i].rel);
    w->w[i] = w->w[--w->n];
}

/* Watches one folder; false when it could not be watched or already was
 * (a second path to the same folder, e.g. a symlink loop). */
static bool watch_add(watcher *w, const char *rel, uint32_t mask)
{
    char *path = rel[0] ? xasprintf("%s/%s", w->src_dir, rel) : xstrdup(w->src_dir);
    int wd = inotify_add_watch(w->fd, path, mask | IN_ONLYDIR | IN_EXCL_UNLINK);
    if (wd < 0 && errno != ENOENT && errno != ENOTDIR)
        fprintf(stderr, "kasikirja: cannot watch %s: %s\n", path, strerror(errno));
    free(path);
    if (wd < 0 || watch_find(w, wd))
        return false;
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 32;
        w->w = xrealloc(w->w, w->cap * sizeof *w->w);
    }
    w->w[w->n++] = (watch_t){wd, xstrdup(rel)};
    return true;
}

/* Watches rel and every folder below it (new ones are added as they appear). */
static void watch_tree(watcher *w, const char *rel, int depth)
{
    if (depth > TREE_DEPTH_MAX || (w->out_rel && under(rel, w->out_rel)))
        return;
    char *path = xasprintf("%s/%s", w->src_dir, rel);
    char *marker = xasprintf("%s/" OUT_MARKER, path);
    bool is_output = access(marker, F_OK) == 0; /* some build's output: not a source */
    free(marker);
    DIR *dir = is_output || !watch_add(w, rel, WATCH_MASK) ? NULL : opendir(path);
    struct dirent *e;
    while (dir && (e = readdir(dir)) != NULL) {
        if (ignored_name(e->d_name))
            continue;
        char *child = xasprintf("%s/%s", path, e->d_name);
        struct stat st;
        if (stat(child, &st) == 0 && S_ISDIR(st.st_mode)) {
            char *crel = xasprintf("%s/%s", rel, e->d_name);
            watch_tree(w, crel, depth + 1);
            free(crel);
        }
        free(child);
    }
    if (dir)
        closedir(dir);
    free(path);
}

/* Forgets the watches of rel and below (a folder moved away). */
static void watch_drop_tree(watcher *w, const char *rel)
{
    for (size_t i = w->n; i-- > 0;)
        if (w->w[i].rel[0] && under(w->w[i].rel, rel)) {
            inotify_rm_watch(w->fd, w->w[i].wd);
            watch_remove_at(w, i);
        }
}

/* The output folder relative to src_dir when it lies inside it (it need not exist yet). */
static char *relative_out(const char *src_dir, const char *out_dir)
{
    char *src = realpath(src_dir, NULL);
    char *copy = xstrdup(out_dir);
    char *slash = strrchr(copy, '/');
    while (slash && slash > copy && slash[1] == '\0') { /* "public/" */
        *slash = '\0';
        slash = strrchr(copy, '/');
    }
    const char *base = slash ? slash + 1 : copy;
    char *parent = slash ? (slash == copy ? xstrdup("/") : xstrndup(copy, (size_t)(slash - copy))) : xstrdup(".");
    char *rparent = realpath(parent, NULL);
    char *rel = NULL;
    if (src && rparent) {
        char *out = xasprintf("%s/%s", strcmp(rparent, "/") ? rparent : "", base);
        size_t n = strlen(src);
        if (!strncmp(out, src, n) && out[n] == '/' && out[n + 1])
            rel = xstrdup(out + n + 1);
        free(out);
    }
    free(rparent);
    free(parent);
    free(copy);
    free(src);
    return rel;
}

static bool watcher_init(watcher *w, const char *src_dir, const char *out_dir)
{
    *w = (watcher){.src_dir = src_dir};
    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd < 0)
        return false;
    w->out_rel = relative_out(src_dir, out_dir);
    /* The site's own folder only for site.yaml (and trees that appear later). */
    if (!watch_add(w, "", IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE))
        return false;
    for (size_t i = 0; i < sizeof watched_trees / sizeof watched_trees[0]; i++)
        watch_tree(w, watched_trees[i], 0);
    return true;
}

static void watcher_free(watcher *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->w[i].rel);
    free(w->w);
    free(w->out_rel);
    if (w->fd >= 0)
        close(w->fd);
    *w = (watcher){.fd = -1};
}

static bool is_tree_name(const char *name)
{
    for (size_t i = 0; i < sizeof watched_trees / sizeof watched_trees[0]; i++)
        if (!strcmp(name, watched_trees[i]))
            return true;
    return false;
}

static void watcher_event(watcher *w, const struct inotify_event *ev, change_set *cs)
{
    if (ev->mask & IN_Q_OVERFLOW) {
        /* Events were lost: watch whatever is there now and rebuild. */
        for (size_t i = 0; i < sizeof watched_trees / sizeof watched_trees[0]; i++)
            watch_tree(w, watched_trees[i], 0);
        changes_add(cs, "(many files)");
        return;
    }
    watch_t *wt = watch_find(w, ev->wd);
    if (!wt)
        return;
    if (ev->mask & IN_IGNORED) {
        watch_remove_at(w, (size_t)(wt - w->w));
        return;
    }
    if (ev->mask & IN_DELETE_SELF) {
        changes_add(cs, wt->rel);
        return;
    }
    const char *name = ev->len ? ev->name : "";
    if (!wt->rel[0]) {
        if (!strcmp(name, "site.yaml")) {
            changes_add(cs, name);
        } else if ((ev->mask & IN_ISDIR) && is_tree_name(name)) {
            if (ev->mask & (IN_CREATE | IN_MOVED_TO))
                watch_tree(w, name, 0);
            else if (ev->mask & IN_MOVED_FROM)
                watch_drop_tree(w, name);
            changes_add(cs, name);
        }
        return;
    }
    if (ignored_name(name))
        return;
    char *rel = xasprintf("%s/%s", wt->rel, name); /* wt is invalid after watch_tree */
    if (!w->out_rel || !under(rel, w->out_rel)) {
        if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)))
            watch_tree(w, rel, 0);
        else if ((ev->mask & IN_ISDIR) && (ev->mask & IN_MOVED_FROM))
            watch_drop_tree(w, rel);
        changes_add(cs, rel);
    }
    free(rel);
}

/* Reads every pending event into cs. */
static void watcher_read(watcher *w, change_set *cs)
{
    char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(w->fd, buf, sizeof buf);
        if (n <= 0)
            return;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            watcher_event(w, ev, cs);
            p += sizeof *ev + ev->len;
        }
    }
}

/* } */

/* {====== Building ====== */

typedef struct {
    const serve_options *o;
    build_options bo;
    server *s;
} builder;

/* One build; publishes its result to the HTTP side and prints a report. cs
 * is NULL for the first build. */
static void rebuild(builder *b, const change_set *cs)
{
    diag_list *d = diag_list_new();
    build_stats st = {0};
    /* The watcher knows what was saved: a change to one page's text is a patch. */
    b->bo.changed = cs ? (const char *const *)cs->paths : NULL;
    b->bo.n_changed = cs ? cs->n : 0;
    bool ok = build_run(&b->bo, d, &st);
    b->bo.changed = NULL;
    ok = ok && diag_errors(d) == 0;
    live_publish(&b->s->live, ok, d, b->bo.src_dir);
    double done = clock_now_ms();
    diag_print_some(d, b->o->quiet, stderr);
    size_t errors = diag_errors(d);
    if (!ok) {
        if (cs)
            fprintf(stderr, "kasikirja: rebuild failed: %zu error%s; still serving the previous site\n", errors,
                    errors == 1 ? "" : "s");
        else
            fprintf(stderr, "kasikirja: build failed: %zu error%s; serving what %s holds, with the errors on "
                            "every page\n", errors, errors == 1 ? "" : "s", b->o->out_dir);
    } else if (!b->o->quiet) {
        if (cs)
            printf("kasikirja: %zu change%s (%s%s) -> rebuilt %zu of %zu pages, wrote %zu files in %.0f ms "
                   "(ready %.0f ms after the save)\n",
                   cs->n, cs->n == 1 ? "" : "s", cs->n ? cs->paths[0] : "", cs->n > 1 ? ", …" : "", st.rendered,
                   st.pages, st.written, st.ms, done - cs->last_event);
        else
            printf("kasikirja: built %zu pages, %zu diagrams, %zu files in %.0f ms -> %s\n", st.pages,
                   st.diagrams, st.files, st.ms, b->o->out_dir);
    }
    fflush(stdout);
    diag_list_free(d);
}

/* } */

/* {====== Starting and running ====== */

typedef union {
    struct sockaddr sa;
    struct sockaddr_in in4;
    struct sockaddr_in6 in6;
} sock_addr;

static bool parse_addr(const char *bind, unsigned port, sock_addr *a, socklen_t *len)
{
    memset(a, 0, sizeof *a);
    if (inet_pton(AF_INET, bind, &a->in4.sin_addr) == 1) {
        a->in4.sin_family = AF_INET;
        a->in4.sin_port = htons((uint16_t)port);
        *len = sizeof a->in4;
        return true;
    }
    if (inet_pton(AF_INET6, bind, &a->in6.sin6_addr) == 1) {
        a->in6.sin6_family = AF_INET6;
        a->in6.sin6_port = htons((uint16_t)port);
        *len = sizeof a->in6;
        return true;
    }
    return false;
}

/* Binds a throwaway socket to learn why the server could not (0 = it could). */
static int probe_bind(const sock_addr *a, socklen_t len)
{
    int fd = socket(a->sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one); /* as the server does */
    if (a->sa.sa_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    int err = bind(fd, &a->sa, len) == 0 && listen(fd, 1) == 0 ? 0 : errno;
    close(fd);
    return err;
}

static void report_start_error(const char *host, unsigned port, int err)
{
    if (err == EADDRINUSE)
        fprintf(stderr,
                "kasikirja: cannot serve on %s:%u: the port is already in use (another 'kasikirja serve'?); "
                "try --port %u\n",
                host, port, port < 65535 ? port + 1 : 0);
    else
        fprintf(stderr, "kasikirja: cannot serve on %s:%u: %s\n", host, port,
                err ? strerror(err) : "the server did not start");
}

/* Signals: blocked before any thread starts, so every thread (MHD's, the
 * build's) inherits the mask and only the returned signalfd (-1 on failure)
 * sees them. SIGPIPE stays blocked so a closed connection is an EPIPE, not a
 * death. The mask before goes to *old_mask for release_signals. */
static int block_signals(sigset_t *old_mask)
{
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigset_t blocked = sigs;
    sigaddset(&blocked, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &blocked, old_mask);
    return signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* Closes sig_fd (when open) and restores the mask block_signals saved. */
static void release_signals(int sig_fd, const sigset_t *old_mask)
{
    if (sig_fd >= 0) {
        /* A second Ctrl-C during the shutdown must not kill us once unblocked. */
        struct signalfd_siginfo si;
        while (read(sig_fd, &si, sizeof si) > 0) {
        }
        close(sig_fd);
    }
    pthread_sigmask(SIG_SETMASK, old_mask, NULL);
}

/* The HTTP daemon on addr (port 0: any free one), or NULL with the reason
 * on stderr. */
static struct MHD_Daemon *start_daemon(const serve_options *o, sock_addr *addr, socklen_t addr_len,
                                       bool v6, const char *host, server *s)
{
    int err = o->port ? probe_bind(addr, addr_len) : 0;
    if (err) {
        report_start_error(host, o->port, err);
        return NULL;
    }
    errno = 0;
    struct MHD_Daemon *daemon =
        MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | (v6 ? MHD_USE_IPv6 : 0),
                         (uint16_t)o->port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, &addr->sa,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_SIGPIPE_HANDLED_BY_APP, 1,
                         MHD_OPTION_END);
    if (!daemon)
        report_start_error(host, o->port, errno);
    return daemon;
}

/* Until SIGINT/SIGTERM (or a poll error): file changes, gathered until
 * DEBOUNCE_MS pass without another, rebuild. */
static void watch_loop(int sig_fd, watcher *w, builder *b)
{
    change_set cs = {0};
    for (;;) {
        int timeout = -1;
        if (cs.n) {
            double left = cs.last_event + DEBOUNCE_MS - clock_now_ms();
            timeout = left > 0 ? (int)left + 1 : 0;
        }
        struct pollfd pf[2] = {{.fd = sig_fd, .events = POLLIN}, {.fd = w->fd, .events = POLLIN}};
        int n = poll(pf, 2, timeout);
        if (n < 0 && errno != EINTR) {
            fprintf(stderr, "kasikirja: poll: %s\n", strerror(errno));
            break;
        }
        if (n > 0 && (pf[0].revents & POLLIN)) {
            struct signalfd_siginfo si;
            if (read(sig_fd, &si, sizeof si) == (ssize_t)sizeof si)
                break;
        }
        if (n > 0 && (pf[1].revents & POLLIN))
            watcher_read(w, &cs);
        if (cs.n && clock_now_ms() - cs.last_event >= DEBOUNCE_MS) {
            rebuild(b, &cs);
            changes_clear(&cs);
        }
    }
    changes_free(&cs);
}

int serve_run(const serve_options *o)
{
    bool v6 = strchr(o->bind, ':') != NULL;
    char *host = v6 ? xasprintf("[%s]", o->bind) : xstrdup(o->bind);
    sock_addr addr;
    socklen_t addr_len;
    if (!parse_addr(o->bind, o->port, &addr, &addr_len)) {
        fprintf(stderr, "kasikirja: cannot serve on %s:%u: '%s' is not an IPv4 or IPv6 address\n", o->bind, o->port,
                o->bind);
        free(host);
        return 1;
    }

    /* Signals first, before any thread starts (see block_signals). */
    sigset_t old_mask;
    int sig_fd = block_signals(&old_mask);

    server s = {.out_dir = o->out_dir};
    struct timespec t0;
    clock_gettime(CLOCK_REALTIME, &t0);
    s.run_id = (unsigned long)t0.tv_sec * 1000UL + (unsigned long)(t0.tv_nsec / 1000000);
    live_init(&s.live);
    watcher w = {.fd = -1};
    build_cache *cache = NULL;
    struct MHD_Daemon *daemon = NULL;
    char *base_url = NULL;
    int rc = 1;

    if (sig_fd < 0) {
        fprintf(stderr, "kasikirja: cannot serve: signalfd: %s\n", strerror(errno));
        goto out;
    }
    daemon = start_daemon(o, &addr, addr_len, v6, host, &s);
    if (!daemon)
        goto out;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info && info->port ? info->port : o->port;
    base_url = xasprintf("http://%s:%u/", host, port);

    /* Watch before the first build, so a save during it is not lost. */
    if (!watcher_init(&w, o->src_dir, o->out_dir)) {
        fprintf(stderr, "kasikirja: cannot watch %s: %s\n", o->src_dir, strerror(errno));
        goto out;
    }

    cache = build_cache_new();
    builder b = {
        .o = o,
        .bo = {.src_dir = o->src_dir, .out_dir = o->out_dir, .base_url = base_url, .drafts = o->drafts,
               .diagram_cache = o->diagram_cache, .write = true, .cache = cache},
        .s = &s,
    };
    rebuild(&b, NULL);
    if (!o->quiet)
        printf("kasikirja: serving %s at %s (Ctrl-C stops)\n", o->out_dir, base_url);
    fflush(stdout);

    watch_loop(sig_fd, &w, &b);
    rc = 0;

out:
    live_stop(&s.live); /* SSE readers end their streams, so their threads can finish */
    if (daemon)
        MHD_stop_daemon(daemon);
    watcher_free(&w);
    build_cache_free(cache);
    live_destroy(&s.live);
    free(base_url);
    free(host);
    release_signals(sig_fd, &old_mask);
    if (rc == 0 && !o->quiet) {
        printf("kasikirja: stopped\n");
        fflush(stdout);
    }
    return rc;
}

/* } */
