/* main: the kasikirja command line — a table of subcommands over build_run. */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "0-base/diag.h"
#include "0-base/xmem.h"
#include "1-load/theme.h"
#include "5-write/output.h"
#include "build.h"
#include "init.h"
#include "6-serve/serve.h"

#define EXIT_CONTENT 1 /* the site has errors */
#define EXIT_USAGE 2   /* the command line is wrong */

static const char usage_text[] =
    "usage: kasikirja <command> [options]\n"
    "\n"
    "commands:\n"
    "  build   build the site into the output folder (replaced only when the build succeeds)\n"
    "  check   load and validate everything, write nothing\n"
    "  serve   build, then serve the site at http://127.0.0.1:1313/ and rebuild on every save\n"
    "  init DIR [--alue NAME] [--hva NAME] [--lyhenne NAME] [--force]\n"
    "          start a new region's handbook in DIR (made when missing): site.yaml, the pages\n"
    "          and the data files, with the region's name (--alue, --region), the welfare\n"
    "          area's name (--hva, --welfare-area) and short name (--lyhenne, --short-name)\n"
    "          filled in; a folder that is not empty is refused unless --force, which writes\n"
    "          only the missing files (never replaces one)\n"
    "  theme export DIR\n"
    "          write the built-in theme (layouts/) into DIR/layouts/, to change it there;\n"
    "          never overwrites a file\n"
    "\n"
    "options:\n"
    "  --src DIR       the site's folder (site.yaml, content/, layouts/); default .\n"
    "  --out DIR       the output folder (build, serve); default DIR/public\n"
    "  --base-url URL  the address the site is published at (overrides site.yaml)\n"
    "  --drafts        include pages with 'draft: true'\n"
    "  --cache DIR     the diagram cache (build, check, serve); default\n"
    "                  $XDG_CACHE_HOME/kasikirja/<site>/kaaviot; check only reads it\n"
    "  --strict        treat warnings as errors\n"
    "  --port N        the port to serve on (serve); default 1313, 0 picks a free one\n"
    "  --bind ADDR     the address to serve on (serve); default 127.0.0.1\n"
    "  -q, --quiet     print errors only\n"
    "  -h, --help      this text\n"
    "  --version       the version\n"
    "\n"
    "exit status: 0 success, 1 errors in the site, 2 wrong command line\n";

typedef struct {
    build_options build;
    bool strict;
    bool quiet;
    unsigned port;    /* serve */
    const char *bind; /* serve */
    init_names init;  /* init */
    bool force;       /* init */
    char **args;      /* the command's own arguments (theme export DIR) */
    int nargs;
} cli_options;

typedef int (*command_fn)(cli_options *o);

static int usage_error(const char *fmt, const char *arg);

/* A command that takes no arguments of its own. */
static int no_args(const cli_options *o)
{
    return o->nargs ? usage_error("unexpected argument '%s'", o->args[0]) : -1;
}


static int finish(cli_options *o, diag_list *d, bool ok, const build_stats *st, const char *what)
{
    /* Under --strict a warning is an error and is printed as one (as GCC's -Werror does). */
    diag_list *shown = diag_list_new();
    for (size_t i = 0; i < diag_count(d); i++) {
        const diag_t *g = diag_at(d, i);
        bool promote = o->strict && g->severity == DIAG_WARNING;
        diag_severity sev = promote ? DIAG_ERROR : g->severity;
        if (o->quiet && sev != DIAG_ERROR)
            continue;
        diag_add(shown, sev, g->path, g->line, g->col, "%s%s", g->message, promote ? " [--strict]" : "");
    }
    diag_print(shown, stderr);
    size_t n = diag_errors(shown);
    diag_list_free(shown);
    if (!ok || n > 0) {
        fprintf(stderr, "kasikirja: %s failed: %zu error%s%s\n", what, n, n == 1 ? "" : "s",
                o->build.write ? "; the previous output was left as it was" : "");
        return EXIT_CONTENT;
    }
    if (!o->quiet) {
        if (o->build.write)
            printf("kasikirja: built %zu pages, %zu diagrams (%zu laid out, %zu from cache), %zu files "
                   "in %.0f ms -> %s\n",
                   st->pages, st->diagrams, st->layouts, st->cache_hits, st->files, st->ms,
                   o->build.out_dir);
        else
            printf("kasikirja: checked %zu pages, %zu diagrams in %.0f ms: no errors, %zu warning(s)\n",
                   st->pages, st->diagrams, st->ms, diag_warnings(d));
    }
    return 0;
}

static int cmd_build(cli_options *o)
{
    if (no_args(o) >= 0)
        return EXIT_USAGE;
    diag_list *d = diag_list_new();
    build_stats st;
    bool ok;
    if (o->strict) {
        /* Strict: check first, so warnings stop the build before anything is written. */
        o->build.write = false;
        ok = build_run(&o->build, d, &st) && diag_warnings(d) == 0;
        o->build.write = true;
        if (ok)
            ok = build_run(&o->build, d, &st);
    } else {
        ok = build_run(&o->build, d, &st);
    }
    int rc = finish(o, d, ok, &st, "build");
    diag_list_free(d);
    return rc;
}

static int cmd_check(cli_options *o)
{
    if (no_args(o) >= 0)
        return EXIT_USAGE;
    o->build.write = false;
    diag_list *d = diag_list_new();
    build_stats st;
    bool ok = build_run(&o->build, d, &st);
    int rc = finish(o, d, ok, &st, "check");
    diag_list_free(d);
    return rc;
}

static int cmd_serve(cli_options *o)
{
    if (no_args(o) >= 0)
        return EXIT_USAGE;
    /* The served pages link to the local server, whatever site.yaml or --base-url say. */
    serve_options so = {
        .src_dir = o->build.src_dir,
        .out_dir = o->build.out_dir,
        .bind = o->bind,
        .port = o->port,
        .drafts = o->build.drafts,
        .diagram_cache = o->build.diagram_cache,
        .quiet = o->quiet,
    };
    return serve_run(&so);
}

/* Prints d, then the summary line of a command that wrote files into dir. */
static int report_files(diag_list *d, size_t written, const char *what, const char *dir)
{
    diag_print(d, stderr);
    bool ok = diag_errors(d) == 0;
    if (ok)
        fprintf(stderr, "kasikirja: %s: wrote %zu files into %s\n", what, written, dir);
    else
        fprintf(stderr, "kasikirja: %s: %zu errors; %zu files written, none replaced\n", what,
                diag_errors(d), written);
    return ok ? 0 : EXIT_CONTENT;
}

/* `theme export DIR`: every file of the built-in theme into DIR/layouts/,
 * for a site that wants to change them (its own files replace the built-in
 * ones, file by file). The starter site of `init` is not part of it. */
static int cmd_theme(cli_options *o)
{
    if (o->nargs != 2 || strcmp(o->args[0], "export") != 0)
        return usage_error("%s", "use 'kasikirja theme export DIR'");
    diag_list *d = diag_list_new();
    size_t written = 0;
    for (size_t i = 0; i < theme_count(); i++) {
        const theme_file *f = theme_at(i);
        if (!strncmp(f->path, THEME_STARTER, strlen(THEME_STARTER)))
            continue;
        written += out_create(o->args[1], f->path, (const char *)f->data, f->len, d);
    }
    int rc = report_files(d, written, "theme export", o->args[1]);
    diag_list_free(d);
    return rc;
}

/* `init DIR`: a new region's handbook from the starter site (init.h). */
static int cmd_init(cli_options *o)
{
    if (o->nargs != 1)
        return usage_error("%s", "use 'kasikirja init DIR [--alue NAME] [--hva NAME] [--lyhenne NAME] [--force]'");
    const char *dir = o->args[0];
    diag_list *d = diag_list_new();
    init_result r;
    init_run(dir, &o->init, o->force, &r, d);
    for (size_t i = 0; i < r.n_skipped; i++)
        fprintf(stderr, "kasikirja: init: skipped %s/%s (the file is there already)\n", dir, r.skipped[i]);
    int rc = report_files(d, r.written, "init", dir);
    if (rc == 0)
        fprintf(stderr, "kasikirja: next: 'kasikirja check --src %s' lists what to fill in; "
                        "'kasikirja serve --src %s' shows the site\n", dir, dir);
    init_result_free(&r);
    diag_list_free(d);
    return rc;
}

static const struct {
    const char *name;
    command_fn fn;
} commands[] = {
    {"build", cmd_build},
    {"check", cmd_check},
    {"serve", cmd_serve},
    {"theme", cmd_theme},
    {"init", cmd_init},
};

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "kasikirja: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see 'kasikirja --help')\n");
    return EXIT_USAGE;
}

static const struct option longopts[] = {
    {"src", required_argument, NULL, 's'},      {"out", required_argument, NULL, 'o'},
    {"base-url", required_argument, NULL, 'b'}, {"drafts", no_argument, NULL, 'd'},
    {"strict", no_argument, NULL, 'S'},         {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},           {"version", no_argument, NULL, 'V'},
    {"port", required_argument, NULL, 'p'},     {"bind", required_argument, NULL, 'B'},
    {"cache", required_argument, NULL, 'C'},
    {"alue", required_argument, NULL, 'A'},     {"region", required_argument, NULL, 'A'},
    {"hva", required_argument, NULL, 'H'},      {"welfare-area", required_argument, NULL, 'H'},
    {"lyhenne", required_argument, NULL, 'L'},  {"short-name", required_argument, NULL, 'L'},
    {"force", no_argument, NULL, 'F'},
    {NULL, 0, NULL, 0},
};

/* A port number 0..65535 (0: any free port); false when s is not one. */
static bool parse_port(const char *s, unsigned *port)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (s[0] < '0' || s[0] > '9' || *end != '\0' || v > 65535)
        return false;
    *port = (unsigned)v;
    return true;
}

static bool address_ok(const char *s)
{
    unsigned char a[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
}

/* Reads options until the first non-option ("+" in optstring) or the end.
 * Returns -1 to go on, or the exit status when the program should stop. */
static int parse_options(int argc, char **argv, const char *optstring, cli_options *o)
{
    int c;
    while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
        switch (c) {
        case 's': o->build.src_dir = optarg; break;
        case 'o': o->build.out_dir = optarg; break;
        case 'b': o->build.base_url = optarg; break;
        case 'd': o->build.drafts = true; break;
        case 'C': o->build.diagram_cache = optarg; break;
        case 'S': o->strict = true; break;
        case 'q': o->quiet = true; break;
        case 'A': o->init.alue = optarg; break;
        case 'H': o->init.hva = optarg; break;
        case 'L': o->init.lyhenne = optarg; break;
        case 'F': o->force = true; break;
        case 'p':
            if (!parse_port(optarg, &o->port))
                return usage_error("bad --port '%s': give a number from 1 to 65535 (0 picks a free port)", optarg);
            break;
        case 'B':
            if (!address_ok(optarg))
                return usage_error("bad --bind '%s': give an IPv4 or IPv6 address, such as 127.0.0.1 or ::1",
                                   optarg);
            o->bind = optarg;
            break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("kasikirja %s\n", KK_VERSION); return 0;
        default: return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    return -1;
}

int main(int argc, char **argv)
{
    cli_options o = {.build = {.src_dir = ".", .write = true}, .port = 1313, .bind = "127.0.0.1"};
    opterr = 0;
    int rc = parse_options(argc, argv, "+qh", &o);
    if (rc >= 0)
        return rc;
    if (optind >= argc)
        return usage_error("%s", "no command given: use 'kasikirja build', 'kasikirja check' or 'kasikirja serve'");
    const char *name = argv[optind];
    /* Options may also follow the command, before or after its arguments
     * (init DIR --alue …): the rest is parsed afresh (optind 0), the
     * command's name standing in for the program's. */
    int base = optind;
    optind = 0;
    rc = parse_options(argc - base, argv + base, "qh", &o);
    if (rc >= 0)
        return rc;
    o.args = argv + base + optind;
    o.nargs = argc - base - optind;
    char *out_default = NULL;
    if (!o.build.out_dir)
        o.build.out_dir = out_default = xasprintf("%s/public", o.build.src_dir);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(name, commands[i].name))
            rc = commands[i].fn(&o);
    if (rc < 0)
        rc = usage_error("unknown command '%s': use 'build', 'check' or 'serve'", name);
    free(out_default);
    return rc;
}
