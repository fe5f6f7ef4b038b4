/* par: a parallel loop over indices on a few threads (pthreads, so that
 * ThreadSanitizer follows them). The calling thread works too. */
#ifndef KK_PAR_H
#define KK_PAR_H

#include <stddef.h>

#include "diag.h"

/* Threads to use: KASIKIRJA_THREADS when set, else the cores; 1..16. */
size_t par_threads(void);

/* Calls fn(ud, i) for every i in [begin, end), each index once, on up to
 * threads threads (the caller included), and returns when all are done.
 * fn must only write what belongs to index i. */
void par_for(size_t begin, size_t end, size_t threads, void (*fn)(void *ud, size_t i), void *ud);

/* par_for where each index reports to a diagnostics list of its own:
 * fn(ud, i, di); afterwards every list is merged into d in index order, so
 * the diagnostics come out the same whatever the number of threads. */
void par_for_diag(size_t begin, size_t end, void (*fn)(void *ud, size_t i, diag_list *d), void *ud,
                  diag_list *d);

#endif
