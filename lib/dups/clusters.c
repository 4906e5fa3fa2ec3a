/*
 * clusters.c — near-duplicate paragraphs: candidate pairs from the LSH
 * bands of the index (and the paragraph pairs sharing a passage run),
 * verified by exact Jaccard and containment of their shingle sets, joined
 * by union-find into clusters.
 */
#include <stdlib.h>
#include <string.h>

#include "dups_stages.h"

typedef struct band_entry {
  uint64_t key;
  uint32_t para; /* eligible paragraph index */
} band_entry;

static int cmp_band(const void *a, const void *b) {
  const band_entry *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return (x->para > y->para) - (x->para < y->para);
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

/* The sorted, unique shingle sets of the paragraphs in candidate pairs:
 * eligible paragraph e's set is sh[first[e] .. end[e]) (empty if it is in
 * no pair). */
typedef struct shingle_sets {
  uint64_t *sh;
  size_t *first, *end;
} shingle_sets;

static void shingle_sets_free(shingle_sets *s) {
  free(s->sh); free(s->first); free(s->end);
}

static int shingle_sets_make(const gw_dups *d, const uint64_t *pairs, size_t n_pairs,
                             shingle_sets *s) {
  size_t k = d->opts.shingle_k, n_el = d->elig_count, n_sh = 0;
  const uint32_t *elig = d->elig;
  memset(s, 0, sizeof *s);
  s->first = malloc((n_el + 1) * sizeof *s->first);
  if (!s->first) return GW_ENOMEM;
  size_t *in_pair = s->first; /* flags first, offsets after */
  for (size_t e = 0; e <= n_el; e++) in_pair[e] = 0;
  for (size_t i = 0; i < n_pairs; i++) {
    in_pair[pairs[i] >> 32] = 1;
    in_pair[(uint32_t)pairs[i]] = 1;
  }
  size_t total = 0;
  for (size_t e = 0; e < n_el; e++)
    if (in_pair[e]) total += d->paras[elig[e]].unit_count - k + 1;
  s->sh = gw_dups_alloc((total + 1) * sizeof *s->sh, 0);
  s->end = malloc((n_el + 1) * sizeof *s->end);
  if (!s->sh || !s->end) return GW_ENOMEM;
  uint64_t *sh = s->sh;
  for (size_t e = 0; e < n_el; e++) {
    size_t start = n_sh;
    if (in_pair[e]) {
      const gw_dups_para *p = &d->paras[elig[e]];
      gw_dups_shingles(gw_dups_para_chars(d, p), p->unit_count, k, d->opts.seed, sh + start);
      n_sh += p->unit_count - k + 1;
      sort_u64(sh + start, n_sh - start);
      size_t w = start;
      for (size_t i = start; i < n_sh; i++)
        if (i == start || sh[i] != sh[w - 1]) sh[w++] = sh[i];
      n_sh = w;
    }
    s->first[e] = start;
    s->end[e] = n_sh;
  }
  return GW_OK;
}

/* The verified pairs joined by union-find: per eligible paragraph its root
 * (parent) and its best Jaccard and containment with a paragraph it was
 * verified against; per root the least and greatest Jaccard of the pairs
 * that joined its tree. */
typedef struct joined {
  uint32_t *parent;
  double *best_j, *best_c, *min_j, *max_j;
} joined;

static void joined_free(joined *j) {
  free(j->parent); free(j->best_j); free(j->best_c); free(j->min_j); free(j->max_j);
}

static void join(joined *jn, uint32_t x, uint32_t y, double jac, double con) {
  if (jac > jn->best_j[x]) jn->best_j[x] = jac;
  if (jac > jn->best_j[y]) jn->best_j[y] = jac;
  if (con > jn->best_c[x]) jn->best_c[x] = con;
  if (con > jn->best_c[y]) jn->best_c[y] = con;
  uint32_t rx = gw_dups_find_root(jn->parent, x), ry = gw_dups_find_root(jn->parent, y);
  double lo = jac, hi = jac;
  if (jn->min_j[rx] < lo) lo = jn->min_j[rx];
  if (jn->min_j[ry] < lo) lo = jn->min_j[ry];
  if (jn->max_j[rx] > hi) hi = jn->max_j[rx];
  if (jn->max_j[ry] > hi) hi = jn->max_j[ry];
  uint32_t r = rx < ry ? rx : ry;
  jn->parent[rx] = r;
  jn->parent[ry] = r;
  jn->min_j[r] = lo;
  jn->max_j[r] = hi;
}

/* Verify each distinct candidate (pairs sorted) exactly; join those that
 * pass either threshold. */
static int verify(const gw_dups *d, const uint64_t *pairs, size_t n_pairs,
                  const shingle_sets *s, joined *jn) {
  const gw_dups_options *o = &d->opts;
  size_t n_el = d->elig_count;
  jn->parent = malloc((n_el + 1) * sizeof *jn->parent);
  jn->best_j = calloc(n_el + 1, sizeof *jn->best_j);
  jn->best_c = calloc(n_el + 1, sizeof *jn->best_c);
  jn->min_j = malloc((n_el + 1) * sizeof *jn->min_j);
  jn->max_j = calloc(n_el + 1, sizeof *jn->max_j);
  if (!jn->parent || !jn->best_j || !jn->best_c || !jn->min_j || !jn->max_j) return GW_ENOMEM;
  for (size_t e = 0; e < n_el; e++) { jn->parent[e] = (uint32_t)e; jn->min_j[e] = 2.0; }
  for (size_t i = 0; i < n_pairs; i++) {
    if (i && pairs[i] == pairs[i - 1]) continue;
    uint32_t x = (uint32_t)(pairs[i] >> 32), y = (uint32_t)pairs[i];
    size_t nx = s->end[x] - s->first[x], ny = s->end[y] - s->first[y];
    /* The least intersection that passes either threshold. */
    double lo_j = o->min_jaccard * (double)(nx + ny) / (1.0 + o->min_jaccard);
    double lo_c = o->min_containment * (double)(nx < ny ? nx : ny);
    double least = lo_j < lo_c ? lo_j : lo_c;
    size_t need = least > 1.0 ? (size_t)least - 1 : 0; /* a margin for rounding */
    size_t in = intersect(s->sh + s->first[x], nx, s->sh + s->first[y], ny, need);
    double jac = (double)in / (double)(nx + ny - in);
    double con = (double)in / (double)(nx < ny ? nx : ny);
    if (jac < o->min_jaccard && con < o->min_containment) continue;
    join(jn, x, y, jac, con);
  }
  return GW_OK;
}

/* The clusters (trees of two or more members), in the order they are
 * reported, into *out (*n_out of them). */
static int group(const gw_dups *d, joined *jn, cluster_sort **out, size_t *n_out) {
  size_t n_el = d->elig_count;
  cluster_sort *cs = calloc(n_el + 1, sizeof *cs);
  uint32_t *last_doc = malloc((n_el + 1) * sizeof *last_doc);
  if (!cs || !last_doc) {
    free(cs);
    free(last_doc);
    return GW_ENOMEM;
  }
  for (size_t e = 0; e < n_el; e++) {
    uint32_t r = gw_dups_find_root(jn->parent, (uint32_t)e);
    uint32_t doc = d->paras[d->elig[e]].document;
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
  *out = cs;
  *n_out = n_cl;
  return GW_OK;
}

/* The clusters and their members (in eligible = document, paragraph
 * order) into the handle's results. */
static int write_clusters(gw_dups *d, joined *jn, const cluster_sort *cs, size_t n_cl) {
  size_t n_el = d->elig_count, n_mem = 0;
  for (size_t c = 0; c < n_cl; c++) n_mem += cs[c].members;
  if (GW_DUPS_RESERVE(d->clusters, n_cl + 1) || GW_DUPS_RESERVE(d->members, n_mem + 1))
    return GW_ENOMEM;
  uint32_t *slot = malloc((n_el + 1) * sizeof *slot); /* by root: its cluster */
  if (!slot) return GW_ENOMEM;
  for (size_t e = 0; e < n_el; e++) slot[e] = UINT32_MAX;
  size_t at = 0;
  for (size_t c = 0; c < n_cl; c++) {
    gw_dups_cluster *cl = &d->clusters[c];
    cl->member_first = at;
    cl->member_count = 0;
    cl->documents = cs[c].documents;
    cl->min_jaccard = jn->min_j[cs[c].root];
    cl->max_jaccard = jn->max_j[cs[c].root];
    slot[cs[c].root] = (uint32_t)c;
    at += cs[c].members;
  }
  for (size_t e = 0; e < n_el; e++) {
    uint32_t r = gw_dups_find_root(jn->parent, (uint32_t)e);
    if (slot[r] == UINT32_MAX) continue;
    gw_dups_cluster *cl = &d->clusters[slot[r]];
    const gw_dups_para *p = &d->paras[d->elig[e]];
    gw_dups_member *m = &d->members[cl->member_first + cl->member_count++];
    m->document = p->document;
    m->paragraph = p->paragraph;
    m->start = p->start;
    m->end = p->end;
    m->jaccard = jn->best_j[e];
    m->containment = jn->best_c[e];
  }
  free(slot);
  d->clusters_count = n_cl;
  d->members_count = n_mem;
  return GW_OK;
}

int gw_dups_clusters(gw_dups *d, gw_dups_pairs *candidates) {
  shingle_sets sets;
  joined jn;
  cluster_sort *cs = NULL;
  size_t n_cl = 0;
  memset(&jn, 0, sizeof jn);
  sort_u64(candidates->pair, candidates->count);
  int rc = shingle_sets_make(d, candidates->pair, candidates->count, &sets);
  if (!rc) rc = verify(d, candidates->pair, candidates->count, &sets, &jn);
  shingle_sets_free(&sets);
  if (!rc) rc = group(d, &jn, &cs, &n_cl);
  if (!rc) rc = write_clusters(d, &jn, cs, n_cl);
  free(cs);
  joined_free(&jn);
  return rc;
}
