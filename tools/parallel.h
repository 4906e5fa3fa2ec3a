/* parallel.h — the tools' ordered parallel map: per-input work prepared on
 * worker threads, consumed on the calling thread in input order, so that
 * the output is byte-identical for any number of threads. */
#ifndef GW_PARALLEL_H
#define GW_PARALLEL_H

#include <stddef.h>

/* Runs on a worker (0 <= worker < threads): the work on input `index` that
 * needs nothing shared but what is immutable (or the worker's own state). */
typedef void *(*gw_par_prepare_fn)(void *ctx, unsigned worker, size_t index);
/* Runs on the calling thread, for index 0, 1, 2, ... in order, with what
 * prepare returned; it owns the result.  Nonzero stops the map (and is
 * returned by gw_par_map). */
typedef int (*gw_par_consume_fn)(void *ctx, size_t index, void *result);
/* Frees a result that will not be consumed (after a stop). */
typedef void (*gw_par_discard_fn)(void *ctx, void *result);

/* prepare then consume each of n inputs on `threads` workers (1: all on
 * the calling thread, no thread started; also when threads cannot be
 * started).  At most a few results per worker wait to be consumed, so
 * memory stays bounded.  Returns 0 or consume's nonzero value. */
int gw_par_map(size_t n, unsigned threads, gw_par_prepare_fn prepare,
               gw_par_consume_fn consume, gw_par_discard_fn discard, void *ctx);

/* gw_par_map with room for `ahead` results waiting to be consumed (at
 * least 2 per thread): for small results where a thread that is not
 * scheduled at once must not leave the workers idle. */
int gw_par_map_ahead(size_t n, unsigned threads, size_t ahead, gw_par_prepare_fn prepare,
                     gw_par_consume_fn consume, gw_par_discard_fn discard, void *ctx);

/* The workers gw_par_map starts for n inputs on `threads`: at most n,
 * at least 1 (worker 0 on the calling thread); what needs state per
 * worker sizes it by this. */
size_t gw_par_worker_count(size_t threads, size_t n);

/* How many processors this process may run on (sched_getaffinity), at
 * least 1: the default for --threads. */
unsigned gw_par_default_threads(void);

#endif
