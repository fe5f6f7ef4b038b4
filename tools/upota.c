/* upota: writes a C file that holds files as byte arrays, sorted by path,
 * for the built-in theme (generator/1-load/theme.h).
 *   upota OUT.c FILE...
 * Each FILE is stored under its path as given ("layouts/page.mustache"),
 * with a NUL after its bytes that the length leaves out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void put_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: upota OUT.c FILE...\n");
        return 2;
    }
    char **paths = argv + 2;
    int n = argc - 2;
    qsort(paths, (size_t)n, sizeof *paths, cmp_path);
    char *tmp = malloc(strlen(argv[1]) + 5);
    if (!tmp)
        return 1;
    sprintf(tmp, "%s.tmp", argv[1]);
    FILE *out = fopen(tmp, "w");
    if (!out) {
        perror(tmp);
        return 1;
    }
    fputs("/* Made by tools/upota.c from the files of the default theme; do not edit. */\n"
          "#include \"../../generator/1-load/theme.h\"\n\n", out);
    for (int i = 0; i < n; i++) {
        FILE *in = fopen(paths[i], "rb");
        if (!in) {
            perror(paths[i]);
            return 1;
        }
        fprintf(out, "static const unsigned char f%d[] = {", i);
        int c;
        size_t k = 0;
        while ((c = fgetc(in)) != EOF)
            fprintf(out, "%s%d,", k++ % 24 ? "" : "\n", c);
        fputs("0};\n", out);
        fclose(in);
    }
    fputs("\nconst theme_file theme_files[] = {\n", out);
    for (int i = 0; i < n; i++) {
        fputs("    {.path = ", out);
        put_string(out, paths[i]);
        fprintf(out, ", .data = f%d, .len = sizeof f%d - 1},\n", i, i);
    }
    fprintf(out, "};\nconst size_t theme_nfiles = %d;\n", n);
    if (fclose(out) != 0 || rename(tmp, argv[1]) != 0) {
        perror(argv[1]);
        return 1;
    }
    free(tmp);
    return 0;
}
