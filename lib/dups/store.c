/*
 * store.c — the radix sort, the task runner, the chunk store and the pair
 * list that copy detection's stages are built on (see dups_store.h).
 */
#define _GNU_SOURCE /* mremap */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dups_store.h"
#include "../threads.h"

/* The sort key: an element's first 8 bytes. */
static uint64_t key_at(const char *element) {
  uint64_t key;
  memcpy(&key, element, sizeof key);
  return key;
}

/* One element: the sizes the index sorts copied inline, not by a call. */
static void copy_element(char *to, const char *from, size_t size) {
  switch (size) {
  case 8: memcpy(to, from, 8); break;
  case 16: memcpy(to, from, 16); break;
  default: memcpy(to, from, size); break;
  }
}

/* cmp orders by the key first: only equal keys need the call. */
static int before(const char *x, const char *y,
                  int (*cmp)(const void *, const void *)) {
  uint64_t kx = key_at(x), ky = key_at(y);
  if (kx != ky) return kx < ky;
  return cmp(x, y) < 0;
}

/* Sort n elements in place by cmp when there are few of them: insertion,
 * moving through `hold` (one element). */
static void insertion_sort(char *base, size_t n, size_t size,
                           int (*cmp)(const void *, const void *), char *hold) {
  for (size_t i = 1; i < n; i++) {
    if (!before(base + i * size, base + (i - 1) * size, cmp)) continue;
    copy_element(hold, base + i * size, size);
    size_t j = i;
    while (j > 0 && before(hold, base + (j - 1) * size, cmp)) {
      copy_element(base + j * size, base + (j - 1) * size, size);
      j--;
    }
    copy_element(base + j * size, hold, size);
  }
}

/* Buckets at most this large are finished by insertion sort. */
#define SMALL_BUCKET 24

static unsigned digit_at(const char *element, int shift) {
  return (unsigned)(key_at(element) >> shift) & 255u;
}

/* Most-significant-digit radix sort, a byte of the key at a time: the n
 * elements at `from` are distributed into `to` by the byte at `shift`, and
 * each bucket sorted likewise with the arrays' roles swapped; the sorted
 * result ends in `to` if into_to, else back in `from`.  Equal keys (every
 * byte used) are left to cmp.  A 256-way distribution keeps the buckets
 * being written few enough for the caches, and after the first pass each
 * bucket is sorted in cache. */
/* Whether base[0..n) is in cmp's order already: the distribution keeps
 * the order elements came in, and equal keys often come in order (a band's
 * entries by paragraph, the copies of one template sharing its keys). */
static int in_order(const char *base, size_t n, size_t size,
                    int (*cmp)(const void *, const void *)) {
  for (size_t i = 1; i < n; i++)
    if (cmp(base + i * size, base + (i - 1) * size) < 0) return 0;
  return 1;
}

static void radix_sort(char *from, char *to, size_t n, size_t size, int shift,
                       int into_to, int (*cmp)(const void *, const void *),
                       char *hold) {
  if (n <= SMALL_BUCKET || shift < 0) {
    char *at = from;
    if (into_to) {
      memcpy(to, from, n * size);
      at = to;
    }
    if (n <= SMALL_BUCKET) insertion_sort(at, n, size, cmp, hold);
    else if (!in_order(at, n, size, cmp)) qsort(at, n, size, cmp);
    return;
  }
  size_t start[257] = {0}, fill[256];
  for (size_t i = 0; i < n; i++) start[digit_at(from + i * size, shift) + 1]++;
  /* A byte all the keys share (keys that are not well mixed, such as
   * pairs of small indexes) sorts nothing: on to the next one. */
  for (size_t b = 1; b <= 256; b++)
    if (start[b] == n) {
      radix_sort(from, to, n, size, shift - 8, into_to, cmp, hold);
      return;
    }
  for (size_t b = 1; b <= 256; b++) start[b] += start[b - 1];
  memcpy(fill, start, sizeof fill);
  for (size_t i = 0; i < n; i++)
    copy_element(to + fill[digit_at(from + i * size, shift)]++ * size, from + i * size, size);
  for (size_t b = 0; b < 256; b++) {
    size_t m = start[b + 1] - start[b];
    if (m == 0) continue;
    /* The bucket is in `to` now; it must end where this call's result
     * goes: in `to` if into_to (its `from` below), else in `from`. */
    radix_sort(to + start[b] * size, from + start[b] * size, m, size, shift - 8,
               !into_to, cmp, hold);
  }
}

/* The digits of a range of elements counted by each task (the counts
 * summed afterwards: the same whatever the threads). */
typedef struct digit_count {
  const char *base;
  size_t n, size, tasks;
  int shift;
  size_t (*counts)[256]; /* per task */
} digit_count;

static int count_digits(void *arg, size_t t, size_t worker) {
  digit_count *dc = arg;
  (void)worker;
  size_t from = dc->n / dc->tasks * t;
  size_t to = t + 1 == dc->tasks ? dc->n : dc->n / dc->tasks * (t + 1);
  size_t *count = dc->counts[t];
  memset(count, 0, 256 * sizeof *count);
  for (size_t i = from; i < to; i++) count[digit_at(dc->base + i * dc->size, dc->shift)]++;
  return GW_OK;
}

/* Elements this many or more are counted and moved on several threads. */
#define COUNT_IN_TASKS ((size_t)1 << 16)
/* Rounds of moves on several threads before the rest is moved on one. */
#define MOVE_ROUNDS 6

/* The element moves of a distribution on several threads (after PARADIS,
 * Cho et al., VLDB 2015).  Each round cuts what is not yet in place in
 * every bucket into one part per stripe; a stripe swaps elements into its
 * own parts only (no two threads touch one element), so an element whose
 * bucket's part is full is left at the end of the part it came from.
 * Then, bucket by bucket, the elements left out are swapped behind those
 * in place, and the next round moves them. */
typedef struct move_work {
  char *base;
  size_t size, stripes;
  int shift;
  const size_t *start;      /* 257: bucket b is [start[b], start[b + 1]) */
  size_t head[256];         /* each bucket's first element not in place */
  size_t (*first)[256];     /* per stripe: its part of each bucket's rest, */
  size_t (*next)[256];      /* the next element to place there, */
  size_t (*end)[256];       /* and the part's end (less the elements left) */
  char *hold;               /* per stripe: two elements */
} move_work;

/* Stripe p's elements swapped into its parts of their buckets. */
static int move_stripe(void *arg, size_t p, size_t worker) {
  move_work *w = arg;
  (void)worker;
  size_t size = w->size, *next = w->next[p], *end = w->end[p];
  char *base = w->base, *hold = w->hold + p * 2 * size, *swap = hold + size;
  for (unsigned b = 0; b < 256; b++) {
    while (next[b] < end[b]) {
      copy_element(hold, base + next[b] * size, size);
      unsigned digit = digit_at(hold, w->shift);
      while (digit != b && next[digit] < end[digit]) {
        char *at = base + next[digit]++ * size;
        copy_element(swap, at, size);
        copy_element(at, hold, size);
        copy_element(hold, swap, size);
        digit = digit_at(hold, w->shift);
      }
      if (digit == b) {
        copy_element(base + next[b]++ * size, hold, size);
        continue;
      }
      /* Its bucket's part is full: it waits at the end of this part, and
       * the element there takes the free place. */
      char *last = base + --end[b] * size;
      copy_element(base + next[b] * size, last, size);
      copy_element(last, hold, size);
    }
  }
  return GW_OK;
}

/* Bucket b's elements in place after one round moved to its front, those
 * left behind them; its head moved past the first. */
static int gather_bucket(void *arg, size_t b, size_t worker) {
  move_work *w = arg;
  (void)worker;
  size_t placed = 0, size = w->size;
  for (size_t p = 0; p < w->stripes; p++) placed += w->next[p][b] - w->first[p][b];
  size_t i = w->head[b], mid = i + placed, j = mid, end = w->start[b + 1];
  char *base = w->base;
  for (;;) {
    while (i < mid && digit_at(base + i * size, w->shift) == b) i++;
    while (j < end && digit_at(base + j * size, w->shift) != b) j++;
    if (i >= mid || j >= end) break;
    /* Swap through the bytes themselves: no scratch shared by tasks. */
    char *x = base + i * size, *y = base + j * size;
    for (size_t k = 0; k < size; k++) {
      char t = x[k];
      x[k] = y[k];
      y[k] = t;
    }
    i++;
    j++;
  }
  w->head[b] = mid;
  return GW_OK;
}

/* Rounds of moves on `stripes` threads, while many elements are not in
 * place; w->head then says where each bucket's rest begins.  0 or
 * GW_ENOMEM (the elements all still there). */
static int move_in_rounds(move_work *w, unsigned threads) {
  size_t stripes = w->stripes;
  w->first = malloc(stripes * sizeof *w->first);
  w->next = malloc(stripes * sizeof *w->next);
  w->end = malloc(stripes * sizeof *w->end);
  w->hold = malloc(stripes * 2 * w->size);
  int rc = w->first && w->next && w->end && w->hold ? GW_OK : GW_ENOMEM;
  for (int round = 0; !rc && round < MOVE_ROUNDS; round++) {
    size_t rest = 0;
    for (size_t b = 0; b < 256; b++) rest += w->start[b + 1] - w->head[b];
    if (rest < COUNT_IN_TASKS) break;
    for (size_t p = 0; p < stripes; p++)
      for (size_t b = 0; b < 256; b++) {
        size_t len = w->start[b + 1] - w->head[b];
        w->first[p][b] = w->next[p][b] = w->head[b] + len * p / stripes;
        w->end[p][b] = w->head[b] + len * (p + 1) / stripes;
      }
    rc = gw_dups_parallel(threads, stripes, move_stripe, w);
    if (!rc) rc = gw_dups_parallel(threads, 256, gather_bucket, w);
  }
  free(w->first); free(w->next); free(w->end); free(w->hold);
  return rc;
}

int gw_dups_distribute(void *array, size_t n, size_t size, int shift, size_t *start,
                       unsigned threads) {
  char *base = array;
  char hold_small[128];
  char *hold = 2 * size <= sizeof hold_small ? hold_small : malloc(2 * size);
  size_t tasks = n >= COUNT_IN_TASKS ? gw_dups_task_count(threads, n) : 1;
  digit_count dc = {base, n, size, tasks, shift, malloc(tasks * sizeof *dc.counts)};
  if (!hold || !dc.counts) {
    if (hold != hold_small) free(hold);
    free(dc.counts);
    return GW_ENOMEM;
  }
  char *swap = hold + size;
  gw_dups_parallel(threads, tasks, count_digits, &dc); /* cannot fail */
  memset(start, 0, 257 * sizeof *start);
  for (size_t t = 0; t < tasks; t++)
    for (size_t b = 0; b < 256; b++) start[b + 1] += dc.counts[t][b];
  free(dc.counts);
  for (size_t b = 1; b <= 256; b++) start[b] += start[b - 1];
  move_work w = {base, size, gw_dups_workers(threads, n), shift, start, {0}, NULL, NULL, NULL,
                 NULL};
  memcpy(w.head, start, sizeof w.head);
  if (w.stripes > 1 && n >= COUNT_IN_TASKS && move_in_rounds(&w, threads)) {
    if (hold != hold_small) free(hold);
    return GW_ENOMEM;
  }
  /* American flag over what is left: each element swapped straight into
   * its bucket. */
  size_t next[256];
  memcpy(next, w.head, sizeof next);
  for (unsigned b = 0; b < 256; b++) {
    while (next[b] < start[b + 1]) {
      copy_element(hold, base + next[b] * size, size);
      unsigned digit = digit_at(hold, shift);
      while (digit != b) {
        char *at = base + next[digit]++ * size;
        copy_element(swap, at, size);
        copy_element(at, hold, size);
        copy_element(hold, swap, size);
        digit = digit_at(hold, shift);
      }
      copy_element(base + next[b]++ * size, hold, size);
    }
  }
  if (hold != hold_small) free(hold);
  return GW_OK;
}

/* The buckets of a sort after its top byte, each sorted by a task. */
typedef struct bucket_sort {
  char *base;
  size_t size, start[257];
  int (*cmp)(const void *, const void *);
  char **scratch; /* per worker: a bucket's room and two elements */
} bucket_sort;

static int sort_bucket(void *arg, size_t b, size_t worker) {
  bucket_sort *bs = arg;
  size_t n = bs->start[b + 1] - bs->start[b];
  if (n == 0) return GW_OK;
  char *tmp = bs->scratch[worker], *hold = tmp;
  tmp += 2 * bs->size;
  radix_sort(bs->base + bs->start[b] * bs->size, tmp, n, bs->size, 48, 0, bs->cmp, hold);
  return GW_OK;
}

int gw_dups_sort_threads(void *array, size_t n, size_t size,
                         int (*cmp)(const void *, const void *), unsigned threads) {
  char small[128];
  if (n <= SMALL_BUCKET && 2 * size <= sizeof small) {
    insertion_sort(array, n, size, cmp, small);
    return GW_OK;
  }
  /* The top byte in place, so that the scratch is one bucket's size per
   * thread, not the array's (fresh pages cost more than the swaps); then
   * each bucket by the radix sort, in cache. */
  bucket_sort bs = {array, size, {0}, cmp, NULL};
  if (gw_dups_distribute(bs.base, n, size, 56, bs.start, threads)) return GW_ENOMEM;
  size_t largest = 0;
  for (size_t b = 0; b < 256; b++)
    if (bs.start[b + 1] - bs.start[b] > largest) largest = bs.start[b + 1] - bs.start[b];
  size_t workers = gw_dups_workers(threads, 256);
  bs.scratch = calloc(workers, sizeof *bs.scratch);
  int rc = bs.scratch ? GW_OK : GW_ENOMEM;
  for (size_t w = 0; !rc && w < workers; w++)
    if (!(bs.scratch[w] = malloc((largest + 2) * size))) rc = GW_ENOMEM;
  if (!rc) rc = gw_dups_parallel(threads, 256, sort_bucket, &bs);
  for (size_t w = 0; bs.scratch && w < workers; w++) free(bs.scratch[w]);
  free(bs.scratch);
  return rc; /* on failure the array is permuted, still complete */
}

int gw_dups_sort(void *array, size_t n, size_t size,
                 int (*cmp)(const void *, const void *)) {
  return gw_dups_sort_threads(array, n, size, cmp, 1);
}

/* ---- work on several threads ---- */

typedef struct parallel_run {
  gw_dups_task task;
  void *arg;
  size_t tasks;
  atomic_size_t next;
  atomic_int rc;
} parallel_run;

typedef struct parallel_worker {
  parallel_run *run;
  size_t worker;
} parallel_worker;

static void *work(void *arg) {
  parallel_worker *w = arg;
  parallel_run *r = w->run;
  for (;;) {
    if (atomic_load(&r->rc)) break;
    size_t i = atomic_fetch_add(&r->next, 1);
    if (i >= r->tasks) break;
    int rc = r->task(r->arg, i, w->worker);
    int none = GW_OK;
    if (rc) atomic_compare_exchange_strong(&r->rc, &none, rc);
  }
  return NULL;
}

size_t gw_dups_workers(unsigned threads, size_t tasks) {
  size_t n = threads ? threads : 1;
  return n < tasks ? n : (tasks ? tasks : 1);
}

/* Tasks per thread: more tasks than threads even out their sizes. */
#define TASKS_PER_THREAD 4

size_t gw_dups_task_count(unsigned threads, size_t items) {
  size_t n = threads > 1 ? (size_t)threads * TASKS_PER_THREAD : 1;
  if (n > items) n = items;
  return n ? n : 1;
}

void gw_dups_cut(size_t *first, size_t tasks, size_t n,
                 int (*together)(const void *arg, size_t i), const void *arg) {
  first[0] = 0;
  for (size_t t = 1; t < tasks; t++) {
    size_t at = n / tasks * t;
    if (at < first[t - 1]) at = first[t - 1];
    while (at > 0 && at < n && together(arg, at)) at++;
    first[t] = at;
  }
  first[tasks] = n;
}

/* Tasks on the caller's thread alone. */
static int run_here(size_t tasks, gw_dups_task task, void *arg) {
  for (size_t i = 0; i < tasks; i++) {
    int rc = task(arg, i, 0);
    if (rc) return rc;
  }
  return GW_OK;
}

/* Workers are started for each call: a run of the stages makes a few
 * dozen calls, each worth far more than starting a thread. */
int gw_dups_parallel(unsigned threads, size_t tasks, gw_dups_task task, void *arg) {
  size_t n = gw_dups_workers(threads, tasks);
  if (n == 1) return run_here(tasks, task, arg);
  parallel_worker *workers = malloc(n * sizeof *workers);
  if (!workers) return run_here(tasks, task, arg);
  parallel_run r = {task, arg, tasks, 0, 0};
  for (size_t w = 0; w < n; w++) workers[w] = (parallel_worker){&r, w};
  /* Worker 0 is the caller; a thread that cannot be started leaves its
   * share to the others (tasks come from one counter). */
  gw_threads others;
  gw_threads_start(&others, n - 1, work, &workers[1], sizeof *workers);
  work(&workers[0]);
  gw_threads_join(&others);
  free(workers);
  return atomic_load(&r.rc);
}

/* ---- the store of the documents' characters ----
 *
 * Large chunks handed out under a lock (gw_dups_prepare runs on several
 * threads) and freed with the handle: a fresh page costs a fault, and in
 * large chunks the pages can be huge ones, so the documents' arrays, the
 * bulk of the index, take a few hundred faults instead of one per 4 KiB. */
#define STORE_CHUNK ((size_t)32 << 20)
#define STORE_ALIGN ((size_t)2 << 20)

struct gw_dups_store {
  pthread_mutex_t lock;
  char *chunk;
  size_t used, size;
  GW_DUPS_ARRAY(char *, chunks);
};

gw_dups_store *gw_dups_store_new(void) {
  gw_dups_store *s = calloc(1, sizeof *s);
  if (s && pthread_mutex_init(&s->lock, NULL)) {
    free(s);
    return NULL;
  }
  return s;
}

void gw_dups_store_free(gw_dups_store *s) {
  if (!s) return;
  for (size_t i = 0; i < s->chunks_count; i++) free(s->chunks[i]);
  free(s->chunks);
  pthread_mutex_destroy(&s->lock);
  free(s);
}

/* bytes (8-aligned) that live as long as the store, or NULL. */
void *gw_dups_store_alloc(gw_dups_store *s, size_t bytes) {
  bytes = (bytes + 7) & ~(size_t)7;
  void *p = NULL;
  pthread_mutex_lock(&s->lock);
  if (!s->chunk || s->size - s->used < bytes) {
    size_t size = bytes > STORE_CHUNK ? (bytes + STORE_ALIGN - 1) & ~(STORE_ALIGN - 1)
                                      : STORE_CHUNK;
    char *c = GW_DUPS_RESERVE(s->chunks, s->chunks_count + 1) ? NULL
                                                              : aligned_alloc(STORE_ALIGN, size);
    if (c) {
      gw_advise_huge(c, size);
      s->chunks[s->chunks_count++] = c;
      s->chunk = c;
      s->used = 0;
      s->size = size;
    }
  }
  if (s->chunk && s->size - s->used >= bytes) {
    p = s->chunk + s->used;
    s->used += bytes;
  }
  pthread_mutex_unlock(&s->lock);
  return p;
}

int gw_dups_add_pair(gw_dups_pairs *pairs, uint32_t x, uint32_t y) {
  if (x == y) return GW_OK;
  if (x > y) { uint32_t t = x; x = y; y = t; }
  if (gw_grow((void **)&pairs->pair, &pairs->cap, pairs->count + 1, sizeof *pairs->pair))
    return GW_ENOMEM;
  pairs->pair[pairs->count++] = ((uint64_t)x << 32) | y;
  return GW_OK;
}

/* The set rebuilt from the list with twice the slots.  The slots are
 * zeroed by a write, not by calloc: calloc's fresh mapping is read first
 * (the lookups), which maps the shared zero page, and each first write
 * then takes a second fault and a TLB flush on every core; the sets of
 * 1M paragraphs (32 MiB a worker) took 65,000 of the run's 112,000 page
 * faults that way.  Written at once, on huge pages, they take a few. */
static int grow_pair_slots(gw_dups_pair_set *s) {
  size_t n = s->slots ? 2 * s->slots : 4096;
  uint64_t *slot = gw_alloc_large(n * sizeof *slot);
  if (!slot) return GW_ENOMEM;
  memset(slot, 0, n * sizeof *slot);
  for (size_t i = 0; i < s->list.count; i++) {
    size_t at = gw_dups_mix(s->list.pair[i]) & (n - 1);
    while (slot[at]) at = (at + 1) & (n - 1);
    slot[at] = s->list.pair[i];
  }
  free(s->slot);
  s->slot = slot;
  s->slots = n;
  return GW_OK;
}

/* How far ahead of the pair it checks gw_dups_add_distinct_pairs asks for
 * a pair's slot: the set is larger than the caches and its slots are
 * random, so each check would otherwise wait for memory. */
#define PAIR_LOOKAHEAD 16

int gw_dups_add_distinct_pairs(gw_dups_pair_set *s, const uint64_t *pair, size_t n) {
  if (n == 0) return GW_OK;
  /* At most three quarters full: at 1M paragraphs each band worker's set
   * holds about 1.1 M pairs, 2 M slots (16 MiB) where at most half full
   * took 4 M, at the peak of the run's memory. */
  while (4 * (s->list.count + n) > 3 * s->slots)
    if (grow_pair_slots(s)) return GW_ENOMEM;
  if (gw_grow((void **)&s->list.pair, &s->list.cap, s->list.count + n, sizeof *s->list.pair))
    return GW_ENOMEM;
  size_t mask = s->slots - 1;
  for (size_t i = 0; i < n && i < PAIR_LOOKAHEAD; i++)
    __builtin_prefetch(&s->slot[gw_dups_mix(pair[i]) & mask]);
  for (size_t i = 0; i < n; i++) {
    if (i + PAIR_LOOKAHEAD < n)
      __builtin_prefetch(&s->slot[gw_dups_mix(pair[i + PAIR_LOOKAHEAD]) & mask]);
    size_t at = gw_dups_mix(pair[i]) & mask;
    while (s->slot[at] && s->slot[at] != pair[i]) at = (at + 1) & mask;
    if (s->slot[at]) continue; /* listed */
    s->slot[at] = pair[i];
    s->list.pair[s->list.count++] = pair[i];
  }
  return GW_OK;
}

void gw_dups_pair_set_free_slots(gw_dups_pair_set *s) {
  free(s->slot);
  s->slot = NULL;
  s->slots = 0;
}

/* ---- arrays grown by moving their pages ---- */

#if defined(MREMAP_MAYMOVE)
#define MAPPED_FROM ((size_t)32 << 20)
#else
#define MAPPED_FROM SIZE_MAX /* no mremap: every array is malloc's */
#endif

static size_t whole_pages(size_t bytes) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  return (bytes + page - 1) / page * page;
}

#if defined(MREMAP_MAYMOVE)
/* An address range of `bytes` (whole pages) starting on a huge page, kept
 * by a PROT_NONE mapping that the caller replaces (MAP_FIXED or
 * MREMAP_FIXED): the kernel places a mapping, and mremap moves one, at any
 * page, and a huge page's contents mapped off a 2 MiB boundary are mapped
 * by small pages (f200000's fingerprints, moved once in growing, were all
 * small pages and took 4 times as long to sort).  NULL if none. */
static void *aligned_range(size_t bytes) {
  if (bytes > SIZE_MAX - GW_HUGE_PAGE) return NULL;
  char *p = mmap(NULL, bytes + GW_HUGE_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) return NULL;
  uintptr_t at = ((uintptr_t)p + GW_HUGE_PAGE - 1) & ~(uintptr_t)(GW_HUGE_PAGE - 1);
  char *a = (char *)at;
  if (a > p) munmap(p, (size_t)(a - p));
  size_t after = (size_t)(p + bytes + GW_HUGE_PAGE - (a + bytes));
  if (after) munmap(a + bytes, after);
  return a;
}
#endif

int gw_dups_grow_mapped(void **array, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return GW_OK;
  if (elem == 0 || need > SIZE_MAX / 4 / elem) return GW_ENOMEM;
  size_t old = *cap * elem;
  size_t n = *cap * (old >= GW_LARGE_ALLOC ? 4 : 2); /* gw_grow's steps */
  if (n < 16) n = 16;
  if (n < need) n = need;
  void *p;
  if (n * elem < MAPPED_FROM) {
    p = gw_alloc_large(n * elem);
    if (!p) return GW_ENOMEM;
    if (old) memcpy(p, *array, old);
    free(*array);
  } else {
#if defined(MREMAP_MAYMOVE)
    size_t bytes = whole_pages(n * elem);
    void *to = aligned_range(bytes);
    if (!to) return GW_ENOMEM;
    if (old >= MAPPED_FROM) {
      p = mremap(*array, whole_pages(old), bytes, MREMAP_MAYMOVE | MREMAP_FIXED, to);
      if (p == MAP_FAILED) {
        munmap(to, bytes);
        return GW_ENOMEM;
      }
    } else {
      p = mmap(to, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
      if (p == MAP_FAILED) {
        munmap(to, bytes);
        return GW_ENOMEM;
      }
      gw_advise_huge_mapping(p, bytes);
      if (old) memcpy(p, *array, old);
      free(*array);
    }
    gw_advise_huge_mapping(p, bytes);
#else
    return GW_ENOMEM; /* not reached: MAPPED_FROM is SIZE_MAX */
#endif
  }
  *array = p;
  *cap = n;
  return GW_OK;
}

void gw_dups_free_mapped(void *array, size_t cap, size_t elem) {
#if defined(MREMAP_MAYMOVE)
  if (array && cap * elem >= MAPPED_FROM) {
    munmap(array, whole_pages(cap * elem));
    return;
  }
#endif
  free(array);
}
