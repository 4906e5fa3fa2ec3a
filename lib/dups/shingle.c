/*
 * shingle.c — near-duplicate paragraphs: character k-gram shingles, seeded
 * MinHash signatures, LSH banding for candidates, exact Jaccard and
 * containment to verify, union-find into clusters.
 */
#include <stdlib.h>
#include <string.h>

#include "dups_private.h"

typedef struct band_entry {
  uint64_t key;
  uint32_t para; /* eligible paragraph index */
} band_entry;

static int cmp_band(const void *a, const void *b) {
  const band_entry *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return (x->para > y->para) - (x->para < y->para);
}

static uint32_t find_root(uint32_t *parent, uint32_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

typedef struct cluster_sort {
  uint32_t root, first; /* first member (eligible index) */
  uint32_t members, documents;
} cluster_sort;

static int cmp_cluster(const void *a, const void *b) {
  const cluster_sort *x = a, *y = b;
  if (x->documents != y->documents) return x->documents > y->documents ? -1 : 1;
  if (x->members != y->members) return x->members > y->members ? -1 : 1;
  return (x->first > y->first) - (x->first < y->first);
}

/* Sort an array of uint64_t (a paragraph's shingles, the candidate pairs):
 * insertion sort below 24, else quicksort on the median of three, without
 * qsort's calls. */
static void sort_u64(uint64_t *a, size_t n) {
  while (n > 24) {
    uint64_t x = a[0], y = a[n / 2], z = a[n - 1];
    uint64_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    size_t i = 0, j = n - 1;
    for (;;) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i >= j) break;
      uint64_t t = a[i]; a[i] = a[j]; a[j] = t;
      i++;
      j--;
    }
    if (j + 1 >= n) break; /* no split: finish by insertion */
    /* Recurse on the smaller side, loop on the larger. */
    if (j + 1 < n - j - 1) {
      sort_u64(a, j + 1);
      a += j + 1;
      n -= j + 1;
    } else {
      sort_u64(a + j + 1, n - j - 1);
      n = j + 1;
    }
  }
  for (size_t i = 1; i < n; i++) {
    uint64_t v = a[i];
    size_t j = i;
    while (j > 0 && a[j - 1] > v) { a[j] = a[j - 1]; j--; }
    a[j] = v;
  }
}

/* Exact |A ∩ B| of two sorted, unique arrays, or any value below `need`
 * once `need` can no longer be reached (the pair fails either way). */
static size_t intersect(const uint64_t *a, size_t na, const uint64_t *b,
                        size_t nb, size_t need) {
  size_t i = 0, j = 0, n = 0;
  while (i < na && j < nb) {
    /* Without branches on the values (they are random): the same steps. */
    uint64_t x = a[i], y = b[j];
    n += x == y;
    i += x <= y;
    j += y <= x;
    if (((i | j) & 15) == 0 && n + (na - i < nb - j ? na - i : nb - j) < need) return n;
  }
  return n;
}

/* Groups of equal band keys larger than this give a chain and a star
 * instead of every pair (a boilerplate paragraph shared by thousands of
 * documents would otherwise cost millions of verifications). */
#define GROUP_ALL_PAIRS 48

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
  for (size_t s = 0; s < n; s++) {
    uint64_t h = hashes[s];
    size_t bin = (size_t)(((h >> 32) * (uint64_t)M) >> 32);
    uint64_t v = h << 16 | (h >> 48); /* the bits the bin did not use */
    if (!full[bin] || v < sig[bin]) sig[bin] = v;
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

/* The shingles of cp[0..n) for exact comparison: for k <= 3 the code
 * points themselves, packed (21 bits each), so equal values are equal
 * shingles; beyond, the 64-bit k-gram hashes. */
static void shingles(const uint32_t *cp, size_t n, size_t k, uint64_t seed,
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

/* Candidate pairs from one band's entries sorted by key. */
static int band_pairs(const band_entry *bands, size_t n, gw_dups_pairs *out) {
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && bands[j].key == bands[i].key) j++;
    if (j - i <= GROUP_ALL_PAIRS) {
      for (size_t x = i; x < j; x++)
        for (size_t y = x + 1; y < j; y++)
          if (gw_dups_add_pair(out, bands[x].para, bands[y].para)) return GW_ENOMEM;
    } else {
      for (size_t x = i + 1; x < j; x++)
        if (gw_dups_add_pair(out, bands[x - 1].para, bands[x].para) ||
            gw_dups_add_pair(out, bands[i].para, bands[x].para))
          return GW_ENOMEM;
    }
    i = j;
  }
  return GW_OK;
}

int gw_dups_sign(const gw_dups_options *o, const uint32_t *cp, size_t n,
                 gw_dups_indexer *ix, uint64_t *keys) {
  size_t k = o->shingle_k, M = o->minhash_count, B = o->bands, rows = M / B;
  if (gw_dups_indexer_reserve(ix, n)) return GW_ENOMEM;
  /* Well-mixed shingle hashes: for k <= 3 the packed shingle mixed once. */
  shingles(cp, n, k, o->seed, ix->hashes);
  if (k <= 3)
    for (size_t i = 0; i + k <= n; i++) ix->hashes[i] = gw_dups_mix(ix->hashes[i] ^ o->seed);
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

int gw_dups_find_candidates(gw_dups *d, gw_dups_pairs *out) {
  size_t n_el = d->elig_count, B = d->opts.bands;
  band_entry *bands = gw_dups_alloc((n_el + 1) * sizeof *bands, 0);
  if (!bands) return GW_ENOMEM;
  for (size_t b = 0; b < B; b++) {
    for (size_t e = 0; e < n_el; e++) {
      bands[e].key = d->keys[e * B + b];
      bands[e].para = (uint32_t)e;
    }
    if (gw_dups_sort(bands, n_el, sizeof *bands, cmp_band) ||
        band_pairs(bands, n_el, out)) {
      free(bands);
      return GW_ENOMEM;
    }
  }
  free(bands);
  return GW_OK;
}

int gw_dups_clusters(gw_dups *d, gw_dups_pairs *candidates) {
  const gw_dups_options *o = &d->opts;
  size_t k = o->shingle_k;
  int rc = GW_ENOMEM;
  const uint32_t *elig = d->elig;
  uint32_t *parent = NULL;
  size_t *sh_first = NULL, *sh_end = NULL;
  uint64_t *sh = NULL;
  double *best_j = NULL, *best_c = NULL, *min_j = NULL, *max_j = NULL;
  cluster_sort *cs = NULL;
  size_t n_el = d->elig_count, n_sh = 0;
  uint64_t *pairs = candidates->pair;
  size_t n_pairs = candidates->count;

  sh_first = malloc((n_el + 1) * sizeof *sh_first);
  if (!sh_first) goto done;
  sort_u64(pairs, n_pairs);
  /* Sorted, unique shingle sets of the candidates' paragraphs. */
  for (size_t e = 0; e <= n_el; e++) sh_first[e] = 0;
  for (size_t i = 0; i < n_pairs; i++) {
    sh_first[pairs[i] >> 32] = 1;
    sh_first[(uint32_t)pairs[i]] = 1;
  }
  size_t total = 0;
  for (size_t e = 0; e < n_el; e++)
    if (sh_first[e]) total += d->paras[elig[e]].unit_count - k + 1;
  sh = gw_dups_alloc((total + 1) * sizeof *sh, 0);
  sh_end = malloc((n_el + 1) * sizeof *sh_end);
  if (!sh || !sh_end) goto done;
  for (size_t e = 0; e < n_el; e++) {
    size_t start = n_sh;
    if (sh_first[e]) {
      const gw_dups_para *p = &d->paras[elig[e]];
      shingles(gw_dups_para_chars(d, p), p->unit_count, k, o->seed, sh + start);
      n_sh += p->unit_count - k + 1;
      sort_u64(sh + start, n_sh - start);
      size_t w = start;
      for (size_t i = start; i < n_sh; i++)
        if (i == start || sh[i] != sh[w - 1]) sh[w++] = sh[i];
      n_sh = w;
    }
    sh_first[e] = start;
    sh_end[e] = n_sh;
  }
  parent = malloc((n_el + 1) * sizeof *parent);
  best_j = calloc(n_el + 1, sizeof *best_j);
  best_c = calloc(n_el + 1, sizeof *best_c);
  min_j = malloc((n_el + 1) * sizeof *min_j);
  max_j = calloc(n_el + 1, sizeof *max_j);
  if (!parent || !best_j || !best_c || !min_j || !max_j) goto done;
  for (size_t e = 0; e < n_el; e++) { parent[e] = (uint32_t)e; min_j[e] = 2.0; }
  /* Verify each distinct candidate exactly. */
  for (size_t i = 0; i < n_pairs; i++) {
    if (i && pairs[i] == pairs[i - 1]) continue;
    uint32_t x = (uint32_t)(pairs[i] >> 32), y = (uint32_t)pairs[i];
    size_t nx = sh_end[x] - sh_first[x], ny = sh_end[y] - sh_first[y];
    /* The least intersection that passes either threshold. */
    double lo_j = o->min_jaccard * (double)(nx + ny) / (1.0 + o->min_jaccard);
    double lo_c = o->min_containment * (double)(nx < ny ? nx : ny);
    double least = lo_j < lo_c ? lo_j : lo_c;
    size_t need = least > 1.0 ? (size_t)least - 1 : 0; /* a margin for rounding */
    size_t in = intersect(sh + sh_first[x], nx, sh + sh_first[y], ny, need);
    double jac = (double)in / (double)(nx + ny - in);
    double con = (double)in / (double)(nx < ny ? nx : ny);
    if (jac < o->min_jaccard && con < o->min_containment) continue;
    if (jac > best_j[x]) best_j[x] = jac;
    if (jac > best_j[y]) best_j[y] = jac;
    if (con > best_c[x]) best_c[x] = con;
    if (con > best_c[y]) best_c[y] = con;
    uint32_t rx = find_root(parent, x), ry = find_root(parent, y);
    double lo = jac, hi = jac;
    if (min_j[rx] < lo) lo = min_j[rx];
    if (min_j[ry] < lo) lo = min_j[ry];
    if (max_j[rx] > hi) hi = max_j[rx];
    if (max_j[ry] > hi) hi = max_j[ry];
    uint32_t r = rx < ry ? rx : ry;
    parent[rx] = r;
    parent[ry] = r;
    min_j[r] = lo;
    max_j[r] = hi;
  }
  /* Clusters: members in eligible (= document, paragraph) order. */
  cs = calloc(n_el + 1, sizeof *cs);
  if (!cs) goto done;
  uint32_t *last_doc = malloc((n_el + 1) * sizeof *last_doc);
  if (!last_doc) goto done;
  for (size_t e = 0; e < n_el; e++) {
    uint32_t r = find_root(parent, (uint32_t)e);
    uint32_t doc = d->paras[elig[e]].document;
    if (cs[r].members == 0) { cs[r].root = r; cs[r].first = (uint32_t)e; }
    if (cs[r].members == 0 || last_doc[r] != doc) cs[r].documents++;
    last_doc[r] = doc;
    cs[r].members++;
  }
  free(last_doc);
  size_t n_cl = 0;
  for (size_t e = 0; e < n_el; e++)
    if (cs[e].members >= 2) cs[n_cl++] = cs[e];
  qsort(cs, n_cl, sizeof *cs, cmp_cluster);
  /* Member slots per root: parent[] reused as the root's cluster index. */
  size_t n_mem = 0;
  for (size_t c = 0; c < n_cl; c++) n_mem += cs[c].members;
  if (GW_DUPS_RESERVE(d->clusters, n_cl + 1) || GW_DUPS_RESERVE(d->members, n_mem + 1))
    goto done;
  uint32_t *slot = malloc((n_el + 1) * sizeof *slot);
  if (!slot) goto done;
  for (size_t e = 0; e < n_el; e++) slot[e] = UINT32_MAX;
  size_t at = 0;
  for (size_t c = 0; c < n_cl; c++) {
    gw_dups_cluster *cl = &d->clusters[c];
    cl->member_first = at;
    cl->member_count = 0;
    cl->documents = cs[c].documents;
    cl->min_jaccard = min_j[cs[c].root];
    cl->max_jaccard = max_j[cs[c].root];
    slot[cs[c].root] = (uint32_t)c;
    at += cs[c].members;
  }
  for (size_t e = 0; e < n_el; e++) {
    uint32_t r = find_root(parent, (uint32_t)e);
    if (slot[r] == UINT32_MAX) continue;
    gw_dups_cluster *cl = &d->clusters[slot[r]];
    const gw_dups_para *p = &d->paras[elig[e]];
    gw_dups_member *m = &d->members[cl->member_first + cl->member_count++];
    m->document = p->document;
    m->paragraph = p->paragraph;
    m->start = p->start;
    m->end = p->end;
    m->jaccard = best_j[e];
    m->containment = best_c[e];
  }
  free(slot);
  d->clusters_count = n_cl;
  d->members_count = n_mem;
  rc = GW_OK;
done:
  free(sh_first); free(sh_end); free(sh);
  free(parent); free(best_j); free(best_c); free(min_j);
  free(max_j); free(cs);
  return rc;
}
