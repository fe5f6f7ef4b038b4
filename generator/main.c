/* main: the kasikirja command line — a table of subcommands over build_run. */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "0-base/buf.h"
#include "0-base/diag.h"
#include "0-base/xmem.h"
#include "1-load/theme.h"
#include "5-write/output.h"
#include "build.h"
#include "init.h"
#include "schemas.h"
#include "6-serve/serve.h"

#define EXIT_CONTENT 1 /* the site has errors */
#define EXIT_USAGE 2   /* the command line is wrong */

/* The output format of diagnostics (--format). */
typedef enum { FORMAT_HUMAN, FORMAT_JSON } cli_format;

static const char *const format_names[] = {[FORMAT_HUMAN] = "human", [FORMAT_JSON] = "json"};

typedef struct {
    build_options build;
    bool strict;
    bool quiet;
    cli_format format;
    unsigned port;    /* serve */
    const char *bind; /* serve */
    init_names init;   /* init */
    bool force;        /* init */
    char **args;       /* the command's operands (help COMMAND, theme export DIR, init DIR) */
    int nargs;
} cli_options;

/* Which commands an option is for (a bit per command; see commands[]). */
enum { FOR_BUILD = 1, FOR_CHECK = 2, FOR_SERVE = 4, FOR_ALL = 7, FOR_INIT = 8 };

/* The options as the usage texts show them: the synopsis and option list of each command are
 * made from this table, and so is the general usage. */
static const struct {
    const char *flags;
    const char *text;
    unsigned used_by;
} option_docs[] = {
    {"--src DIR", "the site's folder (site.yaml, content/, layouts/); default .", FOR_ALL},
    {"--out DIR", "the output folder; default DIR/public", FOR_BUILD | FOR_SERVE},
    {"--base-url URL", "the address the site is published at (overrides site.yaml)", FOR_BUILD},
    {"--drafts", "include pages with 'draft: true'", FOR_ALL},
    {"--strict", "treat warnings as errors", FOR_BUILD | FOR_CHECK},
    {"--cache DIR", "the diagram cache; default $XDG_CACHE_HOME/kasikirja/<site>/kaaviot\n"
                    "(check only reads it)", FOR_ALL},
    {"--format FMT", "diagnostics as 'human' text on stderr (default) or as one 'json'\n"
                     "array on stdout", FOR_BUILD | FOR_CHECK},
    {"--port N", "the port to serve on; default 1313, 0 picks a free one", FOR_SERVE},
    {"--bind ADDR", "the address to serve on; default 127.0.0.1", FOR_SERVE},
    {"--alue NAME", "the region's name (also --region); default \"Oma alue\"", FOR_INIT},
    {"--hva NAME", "the welfare area's name (also --welfare-area); default\n"
                   "\"Oman alueen hyvinvointialue\"", FOR_INIT},
    {"--lyhenne NAME", "the welfare area's short name (also --short-name); default \"HVA\"", FOR_INIT},
    {"--force", "write into a folder that is not empty: only the missing files,\n"
                "never replacing one", FOR_INIT},
    {"-q, --quiet", "print errors only", FOR_ALL},
    {"-h, --help", "this text", FOR_ALL | FOR_INIT},
};

static const char exit_text[] = "exit status: 0 success, 1 errors in the site, 2 wrong command line\n";

typedef int (*command_fn)(cli_options *o);

/* Prints the diagnostics d in o's format: under --strict a warning is an error and is shown as
 * one (as GCC's -Werror does), marked " [--strict]"; -q shows errors only. Returns the number of
 * errors shown. JSON goes to stdout alone, so the summary lines go to stderr then. */
static size_t show_diagnostics(const cli_options *o, const diag_list *d)
{
    diag_list *shown = diag_list_new();
    buf_t json = BUF_INIT;
    size_t errors = 0, listed = 0;
    for (size_t i = 0; i < diag_count(d); i++) {
        const diag_t *g = diag_at(d, i);
        bool promote = o->strict && g->severity == DIAG_WARNING;
        diag_severity sev = promote ? DIAG_ERROR : g->severity;
        if (o->quiet && sev != DIAG_ERROR)
            continue;
        errors += sev == DIAG_ERROR;
        if (o->format == FORMAT_JSON) {
            buf_puts(&json, listed++ ? ",\n" : "[\n");
            diag_json_put(&json, g, sev, promote ? " [--strict]" : NULL);
        } else {
            diag_add(shown, sev, g->path, g->line, g->col, "%s%s", g->message, promote ? " [--strict]" : "");
        }
    }
    if (o->format == FORMAT_JSON) {
        fputs(listed ? buf_cstr(&json) : "[", stdout);
        fputs(listed ? "\n]\n" : "]\n", stdout);
        fflush(stdout);
    } else {
        diag_print(shown, stderr);
    }
    buf_free(&json);
    diag_list_free(shown);
    return errors;
}

static int finish(cli_options *o, diag_list *d, bool ok, const build_stats *st, const char *what)
{
    size_t n = show_diagnostics(o, d);
    if (!ok || n > 0) {
        fprintf(stderr, "kasikirja: %s failed: %zu error%s%s\n", what, n, n == 1 ? "" : "s",
                o->build.write ? "; the previous output was left as it was" : "");
        return EXIT_CONTENT;
    }
    FILE *summary = o->format == FORMAT_JSON ? stderr : stdout;
    if (!o->quiet) {
        if (o->build.write)
            fprintf(summary,
                    "kasikirja: built %zu pages, %zu diagrams (%zu laid out, %zu from cache), %zu files "
                    "in %.0f ms -> %s\n",
                    st->pages, st->diagrams, st->layouts, st->cache_hits, st->files, st->ms,
                    o->build.out_dir);
        else
            fprintf(summary, "kasikirja: checked %zu pages, %zu diagrams in %.0f ms: no errors, %zu warning(s)\n",
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

static int cmd_serve(cli_options *o)
{
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

static int cmd_help(cli_options *o);
static int cmd_theme(cli_options *o);
static int cmd_init(cli_options *o);
static int cmd_schema(cli_options *o);

/* The commands: name, what runs it, which options are for it, its synopsis's operand and what
 * it does (the usage texts are made from this and option_docs). */
typedef struct {
    const char *name;
    command_fn fn;
    unsigned option_bit; /* FOR_*; 0: takes no options but -h */
    const char *operand; /* "[COMMAND]" for help; NULL: takes none */
    int max_operands;
    const char *summary; /* one line for the general usage */
    const char *text;    /* the command's own usage, after its synopsis */
} command;

static const command commands[] = {
    {.name = "build", .fn = cmd_build, .option_bit = FOR_BUILD,
     .summary = "build the site into the output folder (replaced only when the build succeeds)",
     .text = "Loads, validates and renders the site and writes it into the output folder. The folder\n"
             "is replaced as a whole, and only when the build has no errors; a non-empty folder\n"
             "kasikirja did not write is never replaced.\n"},
    {.name = "check", .fn = cmd_check, .option_bit = FOR_CHECK,
     .summary = "load and validate everything, write nothing",
     .text = "Does everything build does but write: the diagnostics and the exit status are the same.\n"},
    {.name = "serve", .fn = cmd_serve, .option_bit = FOR_SERVE,
     .summary = "build, then serve the site at http://127.0.0.1:1313/ and rebuild on every save",
     .text = "Builds the site, serves the output folder and rebuilds on every save; open pages reload\n"
             "themselves, and a failed build's diagnostics are shown over the page. Ctrl-C stops.\n"},
    {.name = "init", .fn = cmd_init, .option_bit = FOR_INIT, .operand = "DIR", .max_operands = 1,
     .summary = "start a new region's handbook in DIR: site.yaml, the pages and the data files",
     .text = "Writes a site that builds at once into DIR (made when missing): site.yaml, a front page,\n"
             "the standard sections, the search page and the accessibility statement, and data files\n"
             "for the welfare area, the regional council and a municipalities group, with commented\n"
             "examples in Finnish. 'kasikirja check --src DIR' then lists what is still to fill in.\n"
             "A folder that is not empty is refused unless --force, which writes only the missing\n"
             "files; no file is ever replaced.\n"},
    {.name = "schema", .fn = cmd_schema, .operand = "DIR", .max_operands = 1,
     .summary = "write the JSON Schemas of the YAML files into DIR, for editors' completion and checks",
     .text = "Writes one JSON Schema (draft-07) per kind of YAML file into DIR (made when missing):\n"
             "site.schema.json, toimijat, lait (also layouts/lait/*.yaml), malli (content/data/mallit/),\n"
             "asiakirjat, vuosikello, vastuunjako, sanasto, kaavio (diagrams/) and sivu (a page's front\n"
             "matter). They come from the tables that check the files, so an editor with a YAML\n"
             "language server (VS Code's YAML extension: a '# yaml-language-server: $schema=PATH' line\n"
             "or the yaml.schemas setting) completes keys and values and underlines what check\n"
             "refuses; ids are the one thing only check can. An existing file is never replaced.\n"},
    {.name = "theme", .fn = cmd_theme, .operand = "export DIR", .max_operands = 2,
     .summary = "write the built-in theme into DIR/layouts/ (theme export DIR), to change it there",
     .text = "The default theme (layouts, CSS, JavaScript, fonts, hooks, the national statutes) is built\n"
             "into kasikirja; a site's own layouts/<name> replaces the built-in file of that name, file\n"
             "by file. 'theme export DIR' writes every built-in file into DIR/layouts/ as a starting\n"
             "point, and never overwrites a file that is there.\n"},
    {.name = "help", .fn = cmd_help, .operand = "[COMMAND]", .max_operands = 1,
     .summary = "print the usage of a command (kasikirja help build), or this text",
     .text = "Prints the usage of COMMAND (the same as 'kasikirja COMMAND --help'), or without one the\n"
             "general usage.\n"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(name, commands[i].name))
            return &commands[i];
    return NULL;
}

/* Prints the options for the commands in mask, two columns. */
static void print_options(unsigned mask, FILE *out)
{
    for (size_t i = 0; i < sizeof option_docs / sizeof option_docs[0]; i++) {
        if (!(option_docs[i].used_by & mask))
            continue;
        fprintf(out, "  %-16s", option_docs[i].flags);
        for (const char *t = option_docs[i].text; *t;) {
            size_t n = strcspn(t, "\n");
            fprintf(out, "%.*s\n", (int)n, t);
            t += n;
            if (*t == '\n' && *++t)
                fprintf(out, "  %-16s", "");
        }
    }
}

static void print_usage(FILE *out)
{
    fputs("usage: kasikirja <command> [options]\n       kasikirja help <command>\n\ncommands:\n", out);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-7s %s\n", commands[i].name, commands[i].summary);
    fputs("\noptions:\n", out);
    print_options(FOR_ALL | FOR_INIT, out);
    fputs("  --version       the version\n\n", out);
    fputs(exit_text, out);
}

/* The command's synopsis (its options from option_docs), what it does, and its options. */
static void print_command_usage(const command *c, FILE *out)
{
    int col = fprintf(out, "usage: kasikirja %s", c->name);
    int indent = col;
    for (size_t i = 0; i < sizeof option_docs / sizeof option_docs[0]; i++) {
        if (!(option_docs[i].used_by & c->option_bit))
            continue;
        const char *f = option_docs[i].flags;
        const char *comma = strchr(f, ','); /* "-q, --quiet": the short form in the synopsis */
        int n = comma ? (int)(comma - f) : (int)strlen(f);
        if (col + n + 3 > 80)
            col = fprintf(out, "\n%*s", indent, "") - 1;
        col += fprintf(out, " [%.*s]", n, f);
    }
    if (c->operand)
        fprintf(out, " %s", c->operand);
    fprintf(out, "\n\n%s", c->text);
    if (c->option_bit) {
        fputs("\noptions:\n", out);
        print_options(c->option_bit, out);
    }
    fputs("\n", out);
    fputs(exit_text, out);
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "kasikirja: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see 'kasikirja --help')\n");
    return EXIT_USAGE;
}

/* An unknown command: the error names the closest command, or lists them all. */
static int unknown_command(const char *name)
{
    const char *names[N_COMMANDS];
    for (size_t i = 0; i < N_COMMANDS; i++)
        names[i] = commands[i].name;
    const char *near = diag_suggest(name, names, N_COMMANDS);
    fprintf(stderr, "kasikirja: unknown command '%s' ", name);
    if (near) {
        fprintf(stderr, "(did you mean '%s'?)\n", near);
    } else {
        fputs("(the commands are", stderr);
        for (size_t i = 0; i < N_COMMANDS; i++)
            fprintf(stderr, "%s %s", i ? "," : "", commands[i].name);
        fputs(")\n", stderr);
    }
    fputs("(see 'kasikirja --help')\n", stderr);
    return EXIT_USAGE;
}

static int cmd_help(cli_options *o)
{
    if (!o->nargs) {
        print_usage(stdout);
        return 0;
    }
    const command *c = find_command(o->args[0]);
    if (!c)
        return unknown_command(o->args[0]);
    print_command_usage(c, stdout);
    return 0;
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

/* `schema DIR`: the JSON Schemas of the site's YAML files (schemas.h). */
static int cmd_schema(cli_options *o)
{
    if (o->nargs != 1)
        return usage_error("%s", "use 'kasikirja schema DIR'");
    diag_list *d = diag_list_new();
    size_t written = schemas_write(o->args[0], d);
    int rc = report_files(d, written, "schema", o->args[0]);
    diag_list_free(d);
    return rc;
}

static const struct option longopts[] = {
    {"src", required_argument, NULL, 's'},      {"out", required_argument, NULL, 'o'},
    {"base-url", required_argument, NULL, 'b'}, {"drafts", no_argument, NULL, 'd'},
    {"strict", no_argument, NULL, 'S'},         {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},           {"version", no_argument, NULL, 'V'},
    {"port", required_argument, NULL, 'p'},     {"bind", required_argument, NULL, 'B'},
    {"cache", required_argument, NULL, 'C'},    {"format", required_argument, NULL, 'F'},
    {"alue", required_argument, NULL, 'A'},     {"region", required_argument, NULL, 'A'},
    {"hva", required_argument, NULL, 'H'},      {"welfare-area", required_argument, NULL, 'H'},
    {"lyhenne", required_argument, NULL, 'L'},  {"short-name", required_argument, NULL, 'L'},
    {"force", no_argument, NULL, 'X'},
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

static bool parse_format(const char *s, cli_format *f)
{
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (!strcmp(s, format_names[i])) {
            *f = (cli_format)i;
            return true;
        }
    return false;
}

/* Reads options until the first non-option ("+" in optstring) or the end; cmd is the command
 * read so far (NULL before it), whose usage --help prints.
 * Returns -1 to go on, or the exit status when the program should stop. */
static int parse_options(int argc, char **argv, const char *optstring, const command *cmd, cli_options *o)
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
        case 'X': o->force = true; break;
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
        case 'F':
            if (!parse_format(optarg, &o->format))
                return usage_error("unknown --format '%s' (use human or json)", optarg);
            break;
        case 'h':
            if (cmd && cmd->option_bit)
                print_command_usage(cmd, stdout);
            else
                print_usage(stdout);
            return 0;
        case 'V': printf("kasikirja %s\n", KK_VERSION); return 0;
        default: return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    return -1;
}

/* jemalloc's settings (read at its start; the release binary's allocator): memory a build
 * frees is kept for its next allocations instead of being handed back to the kernel and
 * faulted in again (a 10,000-page build ~5-8 % faster, its peak the same within 2 %). */
const char *malloc_conf = "dirty_decay_ms:-1,muzzy_decay_ms:-1";

int main(int argc, char **argv)
{
    cli_options o = {.build = {.src_dir = ".", .write = true}, .port = 1313, .bind = "127.0.0.1"};
    opterr = 0;
    int rc = parse_options(argc, argv, "+qh", NULL, &o);
    if (rc >= 0)
        return rc;
    if (optind >= argc)
        return usage_error("%s", "no command given: use 'kasikirja build', 'kasikirja check' or 'kasikirja serve' "
                                 "('kasikirja help' lists them)");
    const char *name = argv[optind];
    const command *cmd = find_command(name);
    if (!cmd)
        return unknown_command(name);
    /* Options may also follow the command, before or after its operands
     * (init DIR --alue …): the rest is parsed afresh (optind 0 resets
     * getopt), the command's name standing in for the program's. */
    int base = optind;
    optind = 0;
    rc = parse_options(argc - base, argv + base, "qh", cmd, &o);
    if (rc >= 0)
        return rc;
    int rest = argc - base - optind;
    o.args = argv + base + optind;
    o.nargs = rest < cmd->max_operands ? rest : cmd->max_operands;
    if (o.nargs < rest)
        return usage_error("unexpected argument '%s'", o.args[o.nargs]);
    if (o.format == FORMAT_JSON && cmd->fn == cmd_serve)
        return usage_error("%s", "--format json is for build and check (serve shows diagnostics over the page)");
    char *out_default = NULL;
    if (!o.build.out_dir)
        o.build.out_dir = out_default = xasprintf("%s/public", o.build.src_dir);
    rc = cmd->fn(&o);
    free(out_default);
    return rc;
}
