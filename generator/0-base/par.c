/* par: each thread takes the next index from a shared counter until none is left. */
#include "par.h"

#include "xmem.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#define PAR_MAX 16

typedef struct {
    void (*fn)(void *ud, size_t i);
    void *ud;
    size_t end;
    atomic_size_t next;
} par_job;

static void *par_worker(void *arg)
{
    par_job *job = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&job->next, 1);
        if (i >= job->end)
            return NULL;
        job->fn(job->ud, i);
    }
}

size_t par_threads(void)
{
    const char *env = getenv("KASIKIRJA_THREADS");
    long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > PAR_MAX ? PAR_MAX : (size_t)n;
}

void par_for(size_t begin, size_t end, size_t threads, void (*fn)(void *ud, size_t i), void *ud)
{
    if (begin >= end)
        return;
    par_job job = {.fn = fn, .ud = ud, .end = end, .next = begin};
    size_t want = threads > end - begin ? end - begin : threads;
    if (want > PAR_MAX)
        want = PAR_MAX;
    pthread_t th[PAR_MAX];
    size_t started = 0;
    for (size_t i = 1; i < want; i++)
        if (pthread_create(&th[started], NULL, par_worker, &job) == 0)
            started++;
    par_worker(&job);
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
}

typedef struct {
    void (*fn)(void *ud, size_t i, diag_list *d);
    void *ud;
    size_t begin;
    diag_list **lists;
} diag_job;

static void diag_worker(void *arg, size_t i)
{
    diag_job *job = arg;
    diag_list *own = job->lists[i - job->begin] = diag_list_new();
    job->fn(job->ud, i, own);
}

void par_for_diag(size_t begin, size_t end, void (*fn)(void *ud, size_t i, diag_list *d), void *ud,
                  diag_list *d)
{
    if (begin >= end)
        return;
    diag_job job = {.fn = fn, .ud = ud, .begin = begin, .lists = xcalloc(end - begin, sizeof(diag_list *))};
    par_for(begin, end, par_threads(), diag_worker, &job);
    for (size_t i = 0; i < end - begin; i++) {
        diag_list_merge(d, job.lists[i]);
        diag_list_free(job.lists[i]);
    }
    free(job.lists);
}
