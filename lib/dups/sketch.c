/*
 * sketch.c — what the index keeps of a document besides its characters:
 * the winnowing fingerprints of the whole document (for copied passages)
 * and, per paragraph, seeded one-permutation MinHash signatures cut into
 * LSH band keys (for near-duplicate paragraphs).
 *
 * Winnowing guarantee: with k-gram hashes and a window of w = t - k + 1
 * hashes, each window's minimum (the rightmost on ties) is selected.  A run
 * of t equal characters in two documents holds a whole window of equal
 * hashes in both, and both select that window's minimum, so every shared run
 * of at least t characters yields a shared fingerprint and is found.
 */
#include <stdlib.h>
#include <string.h>

#include "dups_index.h"

int gw_dups_indexer_reserve(gw_dups_indexer *ix, size_t n) {
  return gw_grow((void **)&ix->hashes, &ix->hashes_cap, n, sizeof *ix->hashes);
}

int gw_dups_winnow(const gw_dups_options *o, const uint32_t *cp, size_t n,
                   gw_dups_indexer *ix) {
  size_t k = o->passage_k, w = o->passage_t - k + 1;
  if (n < k) return GW_OK;
  size_t nh = n - k + 1;
  if (gw_dups_indexer_reserve(ix, nh) || GW_DUPS_RESERVE(ix->fps, ix->fps_count + nh))
    return GW_ENOMEM;
  uint64_t *hashes = ix->hashes;
  gw_dups_kgrams(cp, n, k, o->seed ^ 0x5bd1e995ull, hashes);
  if (w > nh) w = nh;
  size_t last = SIZE_MAX, best = 0;
  for (size_t s = 0; s + w <= nh; s++) {
    /* The window's rightmost least hash: the entering hash if it is not
     * above the current one, else the current one unless it has left. */
    size_t in = s + w - 1;
    if (s == 0 || best < s) {
      best = s;
      for (size_t i = s + 1; i <= in; i++)
        if (hashes[i] <= hashes[best]) best = i;
    } else if (hashes[in] <= hashes[best]) {
      best = in;
    }
    if (best == last) continue;
    last = best;
    gw_dups_fp *fp = &ix->fps[ix->fps_count++];
    fp->hash = hashes[best];
    fp->doc = 0;
    fp->pos = (uint32_t)best;
  }
  return GW_OK;
}

/* One-permutation MinHash of the n hashes (well mixed): each falls into
 * one of M bins by its top bits and each bin keeps its least value.  An
 * empty bin borrows the value of a full bin chosen by a probe sequence that
 * is the same for every paragraph (optimal densification, Shrivastava
 * 2017): two paragraphs then agree on a bin with probability their Jaccard
 * index and the bins stay nearly independent, also for paragraphs with
 * fewer shingles than bins.  (Borrowing from the next full bin instead
 * makes the bands of a short paragraph copies of a few values, and two
 * short paragraphs sharing one shingle collide in many bands.)  `full` is
 * scratch for M flags.  n >= 1. */
static void signature(const uint64_t *hashes, size_t n, size_t M, uint64_t seed,
                      uint64_t *sig, uint8_t *full) {
  memset(full, 0, M);
  /* Each bin's least value; a bin starts at the largest, which its first
   * value replaces or equals (no test of `full` on the way: the bins are
   * random, and a branch on them is mispredicted half the time). */
  for (size_t i = 0; i < M; i++) sig[i] = UINT64_MAX;
  for (size_t s = 0; s < n; s++) {
    uint64_t h = hashes[s];
    size_t bin = (size_t)(((h >> 32) * (uint64_t)M) >> 32);
    uint64_t v = h << 16 | (h >> 48); /* the bits the bin did not use */
    sig[bin] = v < sig[bin] ? v : sig[bin];
    full[bin] = 1;
  }
  for (size_t i = 0; i < M; i++) {
    if (full[i]) continue;
    for (uint64_t attempt = 1;; attempt++) {
      uint64_t x = gw_dups_mix(seed ^ ((uint64_t)i << 32) ^ attempt);
      size_t j = (size_t)(((x >> 32) * (uint64_t)M) >> 32);
      if (full[j]) { sig[i] = sig[j]; break; }
    }
  }
}

void gw_dups_shingles(const uint32_t *cp, size_t n, size_t k, uint64_t seed,
                      uint64_t *out) {
  if (k > 3) {
    gw_dups_kgrams(cp, n, k, seed, out);
    return;
  }
  for (size_t i = 0; i + k <= n; i++) {
    uint64_t v = 0;
    for (size_t j = 0; j < k; j++) v = v << 21 | cp[i + j];
    out[i] = v;
  }
}

int gw_dups_sign(const gw_dups_options *o, const uint32_t *cp, size_t n,
                 gw_dups_indexer *ix, uint64_t *keys) {
  size_t k = o->shingle_k, M = o->minhash_count, B = o->bands, rows = M / B;
  if (gw_dups_indexer_reserve(ix, n)) return GW_ENOMEM;
  /* Well-mixed shingle hashes: for k <= 3 the packed shingle
   * (gw_dups_shingles's value) mixed once, in one pass. */
  if (k > 3) {
    gw_dups_shingles(cp, n, k, o->seed, ix->hashes);
  } else {
    for (size_t i = 0; i + k <= n; i++) {
      uint64_t v = 0;
      for (size_t j = 0; j < k; j++) v = v << 21 | cp[i + j];
      ix->hashes[i] = gw_dups_mix(v ^ o->seed);
    }
  }
  signature(ix->hashes, n - k + 1, M, o->seed, ix->sig, ix->full);
  /* A band's key: its rows chained by multiply-xor, mixed once (the
   * values are well mixed already; two bands' keys agree when their rows
   * do, otherwise with probability 2^-64). */
  for (size_t b = 0; b < B; b++) {
    uint64_t key = o->seed ^ (b + 1);
    for (size_t r = 0; r < rows; r++) key = (key ^ ix->sig[b * rows + r]) * 0x9e3779b97f4a7c15ull;
    keys[b] = gw_dups_mix(key);
  }
  return GW_OK;
}

