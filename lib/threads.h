/* threads.h — a group of threads started and joined, the one way the
 * library's task runner (gw_dups_parallel, lib/dups/store.c) and the
 * tools' ordered map (tools/parallel.c) start theirs.  Header-only (static
 * inline), so that the tools can share it and nothing new is exported.
 *
 * A thread may fail to start (the process is out of threads or memory):
 * the group then holds those that did, and the caller does their share
 * with them, or alone. */
#ifndef GW_THREADS_H
#define GW_THREADS_H

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

typedef struct gw_threads {
  pthread_t *ids;
  size_t started;
} gw_threads;

/* Thread i runs run(args + i * size), for i in [0, n) until one cannot be
 * started: returns how many were (0 also when there is no memory for their
 * ids). */
static inline size_t gw_threads_start(gw_threads *t, size_t n, void *(*run)(void *), void *args,
                                      size_t size) {
  t->started = 0;
  t->ids = n ? malloc(n * sizeof *t->ids) : NULL;
  while (t->ids && t->started < n &&
         pthread_create(&t->ids[t->started], NULL, run, (char *)args + t->started * size) == 0)
    t->started++;
  return t->started;
}

/* Waits for every thread of the group to end. */
static inline void gw_threads_join(gw_threads *t) {
  for (size_t i = 0; i < t->started; i++) pthread_join(t->ids[i], NULL);
  free(t->ids);
  t->ids = NULL;
  t->started = 0;
}

#endif
