/*
 * store.c — allocation, growth, the radix sort, the chunk store and the
 * pair list that copy detection's stages are built on (see dups_store.h).
 */
/* madvise(MADV_HUGEPAGE) is a Linux extension beyond POSIX. */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>

#include "dups_store.h"
void gw_dups_advise_huge(void *p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  const uintptr_t huge = (uintptr_t)2 << 20;
  if (bytes < 2 * huge) return;
  uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
  uintptr_t b = ((uintptr_t)p + bytes) & ~(huge - 1);
  if (b > a) (void)madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

/* Arrays at least this large get huge pages before they are first written:
 * a large array written into fresh pages costs mostly page faults. */
#define BIG_ARRAY ((size_t)4 << 20)

void *gw_dups_alloc(size_t bytes, int zero) {
  void *p = zero ? calloc(1, bytes ? bytes : 1) : malloc(bytes ? bytes : 1);
  if (p) gw_dups_advise_huge(p, bytes);
  return p;
}

int gw_dups_grow(void **array, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return GW_OK;
  size_t n = *cap ? *cap : 16;
  /* Large arrays grow fourfold: each growth writes the old contents into
   * fresh pages, and the new array's unwritten pages cost nothing. */
  while (n < need) n *= n * elem >= BIG_ARRAY ? 4 : 2;
  if (n * elem < BIG_ARRAY) {
    void *p = realloc(*array, n * elem);
    if (!p) return GW_ENOMEM;
    *array = p;
  } else {
    /* Not realloc: its copy would write the fresh pages before they are
     * advised. */
    void *p = gw_dups_alloc(n * elem, 0);
    if (!p) return GW_ENOMEM;
    if (*cap) memcpy(p, *array, *cap * elem);
    free(*array);
    *array = p;
  }
  *cap = n;
  return GW_OK;
}

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
    else qsort(at, n, size, cmp);
    return;
  }
  size_t start[257] = {0}, fill[256];
  for (size_t i = 0; i < n; i++) start[digit_at(from + i * size, shift) + 1]++;
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

/* The elements of base distributed in place by their key's top byte
 * (American flag sort: each element is swapped straight into its bucket),
 * the bucket bounds into start[0..256].  Not stable: the buckets are
 * sorted by cmp afterwards. */
static void distribute_in_place(char *base, size_t n, size_t size, size_t *start,
                                char *hold, char *swap) {
  size_t next[256];
  memset(start, 0, 257 * sizeof *start);
  for (size_t i = 0; i < n; i++) start[digit_at(base + i * size, 56) + 1]++;
  for (size_t b = 1; b <= 256; b++) start[b] += start[b - 1];
  memcpy(next, start, sizeof next);
  for (unsigned b = 0; b < 256; b++) {
    while (next[b] < start[b + 1]) {
      copy_element(hold, base + next[b] * size, size);
      unsigned digit = digit_at(hold, 56);
      while (digit != b) {
        char *at = base + next[digit]++ * size;
        copy_element(swap, at, size);
        copy_element(at, hold, size);
        copy_element(hold, swap, size);
        digit = digit_at(hold, 56);
      }
      copy_element(base + next[b]++ * size, hold, size);
    }
  }
}

int gw_dups_sort(void *array, size_t n, size_t size,
                 int (*cmp)(const void *, const void *)) {
  char *base = array;
  char small[128];
  if (n <= SMALL_BUCKET && 2 * size <= sizeof small) {
    insertion_sort(base, n, size, cmp, small);
    return GW_OK;
  }
  /* The top byte in place, so that the scratch is one bucket's size, not
   * the array's (fresh pages cost more than the swaps); then each bucket
   * by the radix sort, in cache. */
  char *hold = malloc(2 * size);
  size_t start[257];
  if (!hold) return GW_ENOMEM;
  distribute_in_place(base, n, size, start, hold, hold + size);
  size_t largest = 0;
  for (size_t b = 0; b < 256; b++)
    if (start[b + 1] - start[b] > largest) largest = start[b + 1] - start[b];
  char *tmp = malloc(largest * size + 1);
  if (!tmp) {
    free(hold);
    return GW_ENOMEM; /* the array is permuted, still complete */
  }
  for (size_t b = 0; b < 256; b++)
    radix_sort(base + start[b] * size, tmp, start[b + 1] - start[b], size, 48, 0, cmp, hold);
  free(tmp);
  free(hold);
  return GW_OK;
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
      gw_dups_advise_huge(c, size);
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
  if (gw_dups_grow((void **)&pairs->pair, &pairs->cap, pairs->count + 1, sizeof *pairs->pair))
    return GW_ENOMEM;
  pairs->pair[pairs->count++] = ((uint64_t)x << 32) | y;
  return GW_OK;
}
