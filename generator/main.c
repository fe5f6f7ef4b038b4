/* main: the kasikirja command line — a table of subcommands over build_run. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/xmem.h"
#include "build.h"

#define EXIT_CONTENT 1 /* the site has errors */
#define EXIT_USAGE 2   /* the command line is wrong */

static const char usage_text[] =
    "usage: kasikirja <command> [options]\n"
    "\n"
    "commands:\n"
    "  build   build the site into the output folder (replaced only when the build succeeds)\n"
    "  check   load and validate everything, write nothing\n"
    "\n"
    "options:\n"
    "  --src DIR       the site's folder (site.yaml, content/, layouts/); default .\n"
    "  --out DIR       the output folder (build); default DIR/public\n"
    "  --base-url URL  the address the site is published at (overrides site.yaml)\n"
    "  --drafts        include pages with 'draft: true'\n"
    "  --strict        treat warnings as errors\n"
    "  -q, --quiet     print errors only\n"
    "  -h, --help      this text\n"
    "  --version       the version\n"
    "\n"
    "exit status: 0 success, 1 errors in the site, 2 wrong command line\n";

typedef struct {
    build_options build;
    bool strict;
    bool quiet;
} cli_options;

typedef int (*command_fn)(cli_options *o);

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
    o->build.write = false;
    diag_list *d = diag_list_new();
    build_stats st;
    bool ok = build_run(&o->build, d, &st);
    int rc = finish(o, d, ok, &st, "check");
    diag_list_free(d);
    return rc;
}

static const struct {
    const char *name;
    command_fn fn;
} commands[] = {
    {"build", cmd_build},
    {"check", cmd_check},
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
    {NULL, 0, NULL, 0},
};

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
        case 'S': o->strict = true; break;
        case 'q': o->quiet = true; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("kasikirja %s\n", KK_VERSION); return 0;
        default: return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    return -1;
}

int main(int argc, char **argv)
{
    cli_options o = {.build = {.src_dir = ".", .write = true}};
    opterr = 0;
    int rc = parse_options(argc, argv, "+qh", &o);
    if (rc >= 0)
        return rc;
    if (optind >= argc)
        return usage_error("%s", "no command given: use 'kasikirja build' or 'kasikirja check'");
    const char *name = argv[optind++];
    rc = parse_options(argc, argv, "qh", &o); /* options may also follow the command */
    if (rc >= 0)
        return rc;
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    char *out_default = NULL;
    if (!o.build.out_dir)
        o.build.out_dir = out_default = xasprintf("%s/public", o.build.src_dir);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(name, commands[i].name))
            rc = commands[i].fn(&o);
    if (rc < 0)
        rc = usage_error("unknown command '%s': use 'build' or 'check'", name);
    free(out_default);
    return rc;
}
