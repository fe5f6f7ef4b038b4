/* serve: the live preview for editors. Builds the site, serves the output
 * folder over HTTP (libmicrohttpd, loopback by default), watches the
 * sources with inotify, rebuilds incrementally after a save, reloads open
 * pages through Server-Sent Events and shows a failed build's diagnostics
 * over every page until the next good build. */
#ifndef KK_SERVE_H
#define KK_SERVE_H

#include <stdbool.h>

typedef struct {
    const char *src_dir; /* the site's folder */
    const char *out_dir; /* the output folder served */
    const char *bind;    /* address to listen on, "127.0.0.1" unless told otherwise */
    unsigned port;       /* 1313 by default; 0 = any free port (printed) */
    bool drafts;         /* include pages with 'draft: true' */
    const char *diagram_cache; /* --cache: the diagram cache's folder; NULL: the default */
    bool quiet;          /* print errors only */
} serve_options;

/* Runs until SIGINT or SIGTERM; returns the process exit status (0 after a
 * clean stop, 1 when the port is busy or the server cannot start). */
int serve_run(const serve_options *o);

#endif
