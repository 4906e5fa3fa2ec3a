/*
 * dups_stages.h — the stages of gw_dups_run over the index (dups_index.h):
 * copied passages (runs.c, passages.c, families.c) and near-duplicate
 * paragraph clusters (clusters.c).  dups.c runs them; they share nothing
 * else.  Private.
 */
#ifndef GW_DUPS_STAGES_H
#define GW_DUPS_STAGES_H

#include <string.h>

#include "dups_index.h"

/* A copy span: characters [a0, a1) of document a and [b0, b1) of b, a < b,
 * matched exactly on `matched` of them. */
typedef struct gw_dups_span {
  uint32_t a, b, a0, a1, b0, b1, matched;
} gw_dups_span;

/* What the first passage step leaves for the second and for the clusters. */
typedef struct gw_dups_runs {
  gw_dups_span *spans;       /* by pair (a, b), then by position in a */
  size_t n_spans;
  gw_dups_pairs para_pairs;  /* eligible paragraphs sharing a run */
  size_t star_groups;        /* fingerprints paired through a hub */
  size_t repeat_pairs;       /* occurrences in two documents paired rank by rank */
} gw_dups_runs;

/* What the band step leaves for the clusters. */
typedef struct gw_dups_candidates {
  gw_dups_pairs pairs;       /* eligible paragraph pairs, not yet sorted */
  size_t chained_groups;     /* band key groups given a chain and a star */
} gw_dups_candidates;

/* A typed, stable merge sort, without qsort's calls (they were most of the
 * time of the stages' sorts): name(a, n, tmp) sorts a[0..n) by before(x,
 * y) (x strictly before y), insertion sort in blocks of
 * GW_DUPS_GROUP_BLOCK, then merges through tmp (room for n elements when n
 * is larger).  Stable; the orders sorted with it are total (elements
 * equal in them are equal in every field), so the result is qsort's.  Also what finishes the groups of equal keys
 * that gw_dups_sort leaves when given a cmp on the key alone: a template's
 * copies make groups of hundreds, which the radix sort handed to qsort. */
#define GW_DUPS_GROUP_BLOCK 16
#define GW_DUPS_GROUP_SORT(name, type, before)                                 \
  static void name(type *a, size_t n, type *tmp) {                             \
    for (size_t lo = 0; lo < n; lo += GW_DUPS_GROUP_BLOCK) {                   \
      size_t hi = lo + GW_DUPS_GROUP_BLOCK < n ? lo + GW_DUPS_GROUP_BLOCK : n; \
      for (size_t i = lo + 1; i < hi; i++) {                                   \
        type x = a[i];                                                         \
        size_t j = i;                                                          \
        for (; j > lo && before(&x, &a[j - 1]); j--) a[j] = a[j - 1];          \
        a[j] = x;                                                              \
      }                                                                        \
    }                                                                          \
    type *from = a, *to = tmp;                                                 \
    for (size_t w = GW_DUPS_GROUP_BLOCK; w < n; w *= 2) {                      \
      for (size_t lo = 0; lo < n; lo += 2 * w) {                               \
        size_t mid = lo + w < n ? lo + w : n;                                  \
        size_t hi = lo + 2 * w < n ? lo + 2 * w : n;                           \
        size_t i = lo, j = mid, k = lo;                                        \
        while (i < mid && j < hi)                                              \
          to[k++] = before(&from[j], &from[i]) ? from[j++] : from[i++];        \
        while (i < mid) to[k++] = from[i++];                                   \
        while (j < hi) to[k++] = from[j++];                                    \
      }                                                                        \
      type *t = from; from = to; to = t;                                       \
    }                                                                          \
    if (from != a) memcpy(a, from, n * sizeof *a);                             \
  }

/* gw_dups_run's stages, one after the other, each on up to options.threads
 * threads (gw_dups_parallel).  Each returns 0 or GW_ENOMEM.
 * 1. runs.c: sort the fingerprints, extend shared ones into runs and
 *    spans.
 * 2. clusters.c: candidate paragraph pairs from the LSH bands.
 * 3. clusters.c: verify the candidates and the paragraphs sharing a run (a
 *    short paragraph inside a long one, which bands on Jaccard miss), build
 *    the clusters.
 * 4. passages.c: base text, passages, pairs, families, document ratios and
 *    sources. */
int gw_dups_find_runs(gw_dups *d, gw_dups_runs *runs);
int gw_dups_find_candidates(gw_dups *d, gw_dups_candidates *candidates);
int gw_dups_clusters(gw_dups *d, gw_dups_pairs *candidates);
int gw_dups_passages(gw_dups *d, const gw_dups_runs *runs);
void gw_dups_runs_free(gw_dups_runs *runs);

/* One side of a copy passage (or of a piece of one): a document's
 * characters [a, b); the two sides of passage `span` are given together. */
typedef struct gw_dups_side {
  uint32_t doc, a, b, span;
  uint32_t whole;     /* pieces cut from one passage share it */
  uint32_t documents; /* set by gw_dups_families: its family's documents */
} gw_dups_side;

/* families.c: the copy passages' sides joined into families: in a
 * document, sides overlapping on half of the shorter or more are one
 * member; a passage joins its two members when, in each of its documents,
 * the passages between the two documents cover half of the member or more
 * (a short stretch inside a longer text joins nothing); consecutive pieces
 * of one passage whose families hold as many documents and members are one
 * family (the passage was copied whole).  Reported into the handle
 * (families of GW_DUPS_FAMILY_MIN_DOCUMENTS or more); each side's
 * `documents` set (those of its member's family).  The sides are left
 * sorted by document, then a, then b descending.  0 or GW_ENOMEM. */
int gw_dups_families(gw_dups *d, gw_dups_side *sides, size_t n);
/* Whether side p comes before q: by document, a, b, span. */
static inline int gw_dups_side_before(const gw_dups_side *p, const gw_dups_side *q) {
  if (p->doc != q->doc) return p->doc < q->doc;
  if (p->a != q->a) return p->a < q->a;
  if (p->b != q->b) return p->b < q->b;
  return p->span < q->span;
}
/* n sides sorted by gw_dups_side_before (a typed merge sort: qsort's calls
 * were most of the time of these sorts).  0 or GW_ENOMEM (then unsorted). */
int gw_dups_sort_sides(gw_dups_side *sides, size_t n);

#endif /* GW_DUPS_STAGES_H */
