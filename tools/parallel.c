/* parallel.c — the ordered parallel map (see parallel.h). */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "parallel.h"

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "../lib/threads.h"

/* The consumer, finding a result not ready, sleeps until up to BATCH
 * results are (at most half the window): a thread woken for every result
 * costs more than consuming it. */
enum { RESULTS_PER_WORKER = 4, BATCH = 16 };

typedef struct slot {
  void *result;
  int ready;
} slot;

typedef struct map_state {
  size_t n, window;
  gw_par_prepare_fn prepare;
  void *ctx;
  pthread_mutex_t lock;
  pthread_cond_t ready; /* a result was stored */
  pthread_cond_t room;  /* a result was taken, or the map stops */
  size_t next;          /* the next index to hand out */
  size_t consumed;      /* results taken so far */
  size_t awaited;       /* the index the consumer sleeps for, or SIZE_MAX */
  unsigned waiting;     /* workers sleeping for room */
  int stop;
  slot *slots;          /* window of them: index % window */
} map_state;

typedef struct worker_arg {
  map_state *state;
  unsigned worker;
} worker_arg;

static void *worker_main(void *p) {
  worker_arg *arg = p;
  map_state *s = arg->state;
  pthread_mutex_lock(&s->lock);
  for (;;) {
    while (!s->stop && s->next < s->n && s->next >= s->consumed + s->window) {
      s->waiting++;
      pthread_cond_wait(&s->room, &s->lock);
      s->waiting--;
    }
    if (s->stop || s->next >= s->n) break;
    size_t index = s->next++;
    pthread_mutex_unlock(&s->lock);
    void *result = s->prepare(s->ctx, arg->worker, index);
    pthread_mutex_lock(&s->lock);
    s->slots[index % s->window] = (slot){result, 1};
    if (index == s->awaited) pthread_cond_signal(&s->ready);
  }
  pthread_mutex_unlock(&s->lock);
  return NULL;
}

static int map_inline(size_t n, gw_par_prepare_fn prepare, gw_par_consume_fn consume, void *ctx) {
  for (size_t i = 0; i < n; i++) {
    int rc = consume(ctx, i, prepare(ctx, 0, i));
    if (rc) return rc;
  }
  return 0;
}

int gw_par_map(size_t n, unsigned threads, gw_par_prepare_fn prepare,
               gw_par_consume_fn consume, gw_par_discard_fn discard, void *ctx) {
  return gw_par_map_ahead(n, threads, (size_t)threads * RESULTS_PER_WORKER, prepare, consume,
                          discard, ctx);
}

int gw_par_map_ahead(size_t n, unsigned threads, size_t ahead, gw_par_prepare_fn prepare,
                     gw_par_consume_fn consume, gw_par_discard_fn discard, void *ctx) {
  threads = (unsigned)gw_par_worker_count(threads, n);
  if (threads == 1) return map_inline(n, prepare, consume, ctx);
  if (ahead < (size_t)threads * 2) ahead = (size_t)threads * 2;
  map_state s = {.n = n, .window = ahead, .prepare = prepare, .ctx = ctx, .awaited = SIZE_MAX};
  size_t batch = s.window / 2 < BATCH ? s.window / 2 : BATCH;
  s.slots = calloc(s.window, sizeof *s.slots);
  worker_arg *args = calloc(threads, sizeof *args);
  if (!s.slots || !args) {
    free(s.slots);
    free(args);
    return map_inline(n, prepare, consume, ctx);
  }
  pthread_mutex_init(&s.lock, NULL);
  pthread_cond_init(&s.ready, NULL);
  pthread_cond_init(&s.room, NULL);
  for (unsigned t = 0; t < threads; t++) args[t] = (worker_arg){&s, t};
  /* The calling thread consumes; the workers that could be started
   * prepare (with none, it does both, one input at a time). */
  gw_threads workers;
  int rc = 0;
  if (gw_threads_start(&workers, threads, worker_main, args, sizeof *args) == 0) {
    rc = map_inline(n, prepare, consume, ctx);
    s.consumed = n;
  }
  for (size_t i = s.consumed; i < n && rc == 0; i++) {
    pthread_mutex_lock(&s.lock);
    slot *at = &s.slots[i % s.window];
    if (!at->ready) {
      size_t last = i + batch - 1 < n ? i + batch - 1 : n - 1;
      s.awaited = last;
      while (!s.slots[last % s.window].ready) pthread_cond_wait(&s.ready, &s.lock);
    }
    while (!at->ready) {
      s.awaited = i;
      pthread_cond_wait(&s.ready, &s.lock);
    }
    s.awaited = SIZE_MAX;
    void *result = at->result;
    *at = (slot){NULL, 0};
    s.consumed = i + 1;
    if (s.waiting) pthread_cond_broadcast(&s.room);
    pthread_mutex_unlock(&s.lock);
    rc = consume(ctx, i, result);
  }
  pthread_mutex_lock(&s.lock);
  s.stop = 1;
  pthread_cond_broadcast(&s.room);
  pthread_mutex_unlock(&s.lock);
  gw_threads_join(&workers);
  /* After a stop, what was prepared but not consumed. */
  for (size_t k = 0; k < s.window; k++)
    if (s.slots[k].ready && discard) discard(ctx, s.slots[k].result);
  pthread_cond_destroy(&s.room);
  pthread_cond_destroy(&s.ready);
  pthread_mutex_destroy(&s.lock);
  free(s.slots);
  free(args);
  return rc;
}

size_t gw_par_worker_count(size_t threads, size_t n) {
  if (threads > n) threads = n;
  return threads ? threads : 1;
}

unsigned gw_par_default_threads(void) {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    int count = CPU_COUNT(&set);
    if (count > 0) return (unsigned)count;
  }
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? (unsigned)online : 1;
}
