/*
 * dups_store.h — the machinery copy detection is built on, below its stages:
 * a radix sort for arrays keyed by a well-mixed 64-bit value, a task
 * runner, a chunk store for the documents' character arrays, a list of
 * index pairs, and seeded hashing.  It knows
 * nothing of documents, passages or clusters.  Private.
 */
#ifndef GW_DUPS_STORE_H
#define GW_DUPS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define GW_DUPS_ARRAY(type, name) \
  type *name;                     \
  size_t name##_count, name##_cap

/* Growth and large allocations are lib/util.c's (gw_grow, gw_alloc_large):
 * an array declared with GW_DUPS_ARRAY grows by its name. */
#define GW_DUPS_RESERVE(arr, need) GW_GROW(arr, arr##_cap, need)

/* For the index's largest arrays (fingerprints, band keys), which grow
 * document by document to hundreds of megabytes: room for `need` elements
 * of `elem` bytes in *array (*cap of them now), in gw_grow's steps; from
 * 32 MiB on, the array is a mapping of its own, advised for huge pages
 * whole, and grows by mremap: its pages move where gw_grow would copy them
 * into fresh ones the kernel zeroes first (the fingerprints of 200,000
 * paragraphs, 120 MB, cost 120 MB zeroed and copied, and as much again of
 * peak memory, when they outgrow 119 MB).  Free with gw_dups_free_mapped,
 * never with free or gw_grow.  0 or GW_ENOMEM (*array unchanged). */
int gw_dups_grow_mapped(void **array, size_t *cap, size_t need, size_t elem);
void gw_dups_free_mapped(void *array, size_t cap, size_t elem);

/* Sort the n elements of `size` bytes at array, whose first 8 bytes are a
 * well-mixed uint64_t key, by cmp, which must order by that key first and
 * be a total order (so the result does not depend on the method): a radix
 * sort on the key's bytes, cmp only for equal keys.  0 or GW_ENOMEM (the
 * elements then still all there, in some order). */
int gw_dups_sort(void *array, size_t n, size_t size,
                 int (*cmp)(const void *, const void *));

/* The same on up to `threads` threads (gw_dups_parallel): the top byte
 * distributes the elements in place (gw_dups_distribute), then the 256
 * buckets are sorted side by side.  The result is the same for any number
 * of threads (cmp is a total order). */
int gw_dups_sort_threads(void *array, size_t n, size_t size,
                         int (*cmp)(const void *, const void *), unsigned threads);

/* The n elements of `size` bytes at array distributed in place by the byte
 * at `shift` of their key (the first 8 bytes), bucket b ending at
 * [start[b], start[b + 1]) (start: 257 entries); the order inside a bucket
 * is not defined (the buckets are sorted after; it depends on the
 * threads).  The digits are counted and the elements moved on up to
 * `threads` threads (the moves in rounds, each thread within its own part
 * of every bucket; the last few on the caller's).  0 or GW_ENOMEM (the
 * array then untouched). */
int gw_dups_distribute(void *array, size_t n, size_t size, int shift, size_t *start,
                       unsigned threads);

/* Work split into tasks run on several threads.  task(arg, i, worker) is
 * called once for every i in [0, tasks), i taken in increasing order from a
 * shared counter by up to `threads` threads: the caller's and threads it
 * starts (only the caller's when none can be started).  worker, below
 * gw_dups_workers(threads, tasks), names the thread running the task, for
 * scratch kept per thread.  A task writes only what is its own (per task
 * results, its worker's scratch), so that the results do not depend on the
 * threads or on which thread ran what.  After a task fails no other task is
 * started; returns 0 or the first failure's code. */
typedef int (*gw_dups_task)(void *arg, size_t task, size_t worker);
size_t gw_dups_workers(unsigned threads, size_t tasks);
int gw_dups_parallel(unsigned threads, size_t tasks, gw_dups_task task, void *arg);
/* How many tasks to make of `items` things for `threads` threads: one on
 * one thread, else a few per thread (so that their sizes even out), never
 * more than the items; at least 1. */
size_t gw_dups_task_count(unsigned threads, size_t items);
/* Cut [0, n) into `tasks` ranges, range t being [first[t], first[t + 1]),
 * of about equal length, each cut moved forward past the elements that
 * belong with the one before (together(arg, i): i goes with i - 1). */
void gw_dups_cut(size_t *first, size_t tasks, size_t n,
                 int (*together)(const void *arg, size_t i), const void *arg);

/* Memory that lives as long as the store: large chunks handed out under a
 * lock (documents are prepared on several threads), so that the bulk of
 * the index takes few page faults. */
typedef struct gw_dups_store gw_dups_store;
gw_dups_store *gw_dups_store_new(void);
void gw_dups_store_free(gw_dups_store *s);
/* bytes (8-aligned) that live as long as the store, or NULL. */
void *gw_dups_store_alloc(gw_dups_store *s, size_t bytes);

/* Pairs of indexes (x, y), x < y, x in the high half. */
typedef struct gw_dups_pairs {
  uint64_t *pair;
  size_t count, cap;
} gw_dups_pairs;
/* Append (x, y) in either order; nothing when x == y.  0 or GW_ENOMEM. */
int gw_dups_add_pair(gw_dups_pairs *pairs, uint32_t x, uint32_t y);

/* Pairs listed once each: the list, and an open-addressing set of its
 * pairs (0 marks a free slot: a pair x < y is never 0).  Where the same
 * pairs come back many times (every band of a group of copies), checking
 * the set costs less than listing them all and sorting the copies away. */
typedef struct gw_dups_pair_set {
  gw_dups_pairs list;
  uint64_t *slot;
  size_t slots; /* a power of two, or 0 */
} gw_dups_pair_set;
/* Append the pairs pair[0..n) (x << 32 | y, x < y) that are not listed
 * yet, in order, each once.  0 or GW_ENOMEM (those before the failure
 * added). */
int gw_dups_add_distinct_pairs(gw_dups_pair_set *s, const uint64_t *pair, size_t n);
/* The set freed (the list is the caller's, to take or free). */
void gw_dups_pair_set_free_slots(gw_dups_pair_set *s);

/* Union-find: the root of x, halving the path on the way. */
static inline uint32_t gw_dups_find_root(uint32_t *parent, uint32_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

/* A seeded 64-bit mix (splitmix64 finalizer). */
static inline uint64_t gw_dups_mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

/* Hashes of every k characters of cp[0..n) into out[0..n-k+1) (nothing when
 * n < k; k <= 64): a rolling polynomial over mixed characters, mixed again,
 * so each value depends on the k characters only (not on where they stand). */
static inline void gw_dups_kgrams(const uint32_t *cp, size_t n, size_t k,
                                  uint64_t seed, uint64_t *out) {
  const uint64_t B = 0x100000001b3ull; /* odd */
  if (n < k) return;
  /* The mixed characters of the window, in a ring (k <= 64), so each
   * character is mixed once. */
  uint64_t ring[64];
  uint64_t top = 1, h = 0;
  for (size_t j = 1; j < k; j++) top *= B;
  for (size_t j = 0; j < k; j++) {
    ring[j] = gw_dups_mix(cp[j] ^ seed);
    h = h * B + ring[j];
  }
  out[0] = gw_dups_mix(h ^ seed);
  size_t r = 0; /* ring slot of cp[i - 1] */
  for (size_t i = 1; i + k <= n; i++) {
    uint64_t m = gw_dups_mix(cp[i + k - 1] ^ seed);
    h = (h - ring[r] * top) * B + m;
    ring[r] = m;
    if (++r == k) r = 0;
    out[i] = gw_dups_mix(h ^ seed);
  }
}

#endif /* GW_DUPS_STORE_H */
