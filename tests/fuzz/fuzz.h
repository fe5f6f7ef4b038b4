/* fuzz: small helpers shared by the libFuzzer targets in tests/fuzz/ (fuzzing only). */
#ifndef KK_FUZZ_H
#define KK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../generator/0-base/diag.h"

/* The libFuzzer entry points (declared here for -Wmissing-prototypes). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* An invariant of the code under test: aborts (a crash libFuzzer records)
 * with the condition and where it was checked. Not assert(): NDEBUG must not
 * switch these off. */
#define FUZZ_CHECK(cond)                                                                          \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);          \
            abort();                                                                              \
        }                                                                                         \
    } while (0)

/* A copy of data in a block of exactly size bytes (no NUL after it), so that
 * AddressSanitizer catches a parser reading past the length it was given.
 * Caller frees; malloc(0) may return NULL, so an empty input gets one byte
 * that is never passed on. */
static inline char *fuzz_exact_copy(const uint8_t *data, size_t size)
{
    char *p = malloc(size ? size : 1);
    if (!p)
        abort();
    if (size)
        memcpy(p, data, size);
    return p;
}

/* A NUL-terminated copy of data (for APIs that take C strings); caller frees. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *p = malloc(size + 1);
    if (!p)
        abort();
    if (size)
        memcpy(p, data, size);
    p[size] = '\0';
    return p;
}

/* Formats every diagnostic of d (what a build prints) and checks positions
 * are 1-based or unknown. */
static inline void fuzz_check_diags(const diag_list *d)
{
    for (size_t i = 0; i < diag_count(d); i++) {
        const diag_t *g = diag_at(d, i);
        FUZZ_CHECK(g && g->message);
        FUZZ_CHECK(g->line >= 0 && g->col >= 0);
        free(diag_format(g));
    }
}

#endif
