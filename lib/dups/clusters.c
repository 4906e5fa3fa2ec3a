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

/* A band's entries are sorted by key alone, and each group of one key is
 * then put in paragraph order (band_pairs): the copies of a template make
 * groups of dozens, which the radix sort handed to qsort. */
static int cmp_band_key(const void *a, const void *b) {
  const band_entry *x = a, *y = b;
  return (x->key > y->key) - (x->key < y->key);
}

static int para_before(const band_entry *x, const band_entry *y) {
  return x->para < y->para;
}

GW_DUPS_GROUP_SORT(sort_band_group, band_entry, para_before)

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

/* A worker's scratch for the bands: the entries of one band, the pairs its
 * bands proposed, and the groups it has already paired.  Two paragraphs
 * alike enough to share one band key mostly share many: the same group of
 * paragraphs comes back band after band (every band, for copies of one
 * paragraph), and pairing it once gives the same candidates. */
typedef struct band_scratch {
  band_entry *bands;            /* n_el + 1 */
  GW_DUPS_ARRAY(band_entry, group_tmp); /* room for sorting a group */
  uint64_t *seen, *twice;       /* bit sets over a band's keys */
  size_t bits;
  gw_dups_pair_set pairs;       /* each proposed pair once */
  GW_DUPS_ARRAY(uint64_t, group); /* the pairs of one group of keys */
  size_t chained;               /* groups given a chain and a star */
  uint64_t *slot_hash;          /* the groups paired: open addressing on */
  uint64_t *slot_group;         /* their hash; (arena offset << 32 | size),
                                   0 when empty */
  size_t slots, used;
  GW_DUPS_ARRAY(uint32_t, arena); /* the groups' paragraphs, one after the
                                     other (offset 0 unused) */
} band_scratch;

static uint64_t group_hash(const band_entry *g, size_t m) {
  uint64_t h = m;
  for (size_t x = 0; x < m; x++) h = gw_dups_mix(h ^ g[x].para) + 0x9e3779b97f4a7c15ull;
  return h;
}

static int group_equal(const band_scratch *sc, uint64_t group, const band_entry *g, size_t m) {
  if ((size_t)(uint32_t)group != m) return 0;
  const uint32_t *seen = sc->arena + (group >> 32);
  for (size_t x = 0; x < m; x++)
    if (seen[x] != g[x].para) return 0;
  return 1;
}

static int grow_slots(band_scratch *sc) {
  size_t n = sc->slots ? 2 * sc->slots : 1024;
  uint64_t *hash = calloc(n, sizeof *hash), *group = calloc(n, sizeof *group);
  if (!hash || !group) {
    free(hash);
    free(group);
    return GW_ENOMEM;
  }
  for (size_t i = 0; i < sc->slots; i++) {
    if (!sc->slot_group[i]) continue;
    size_t at = sc->slot_hash[i] & (n - 1);
    while (group[at]) at = (at + 1) & (n - 1);
    hash[at] = sc->slot_hash[i];
    group[at] = sc->slot_group[i];
  }
  free(sc->slot_hash);
  free(sc->slot_group);
  sc->slot_hash = hash;
  sc->slot_group = group;
  sc->slots = n;
  return GW_OK;
}

/* Whether the group g[0..m) (paragraphs ascending) was paired before by
 * this worker; if not, it is recorded.  -1: out of memory. */
static int seen_before(band_scratch *sc, const band_entry *g, size_t m) {
  if (2 * (sc->used + 1) > sc->slots && grow_slots(sc)) return -1;
  uint64_t h = group_hash(g, m);
  size_t at = h & (sc->slots - 1);
  for (; sc->slot_group[at]; at = (at + 1) & (sc->slots - 1))
    if (sc->slot_hash[at] == h && group_equal(sc, sc->slot_group[at], g, m)) return 1;
  size_t offset = sc->arena_count ? sc->arena_count : 1;
  if (offset + m > UINT32_MAX) return 0; /* not recorded: paired again */
  if (GW_DUPS_RESERVE(sc->arena, offset + m)) return -1;
  for (size_t x = 0; x < m; x++) sc->arena[offset + x] = g[x].para;
  sc->arena_count = offset + m;
  sc->slot_hash[at] = h;
  sc->slot_group[at] = (uint64_t)offset << 32 | m;
  sc->used++;
  return 0;
}

/* Two entries of a group (in paragraph order) as a pair. */
static uint64_t pair_of(const band_entry *x, const band_entry *y) {
  return (uint64_t)x->para << 32 | y->para;
}

/* Candidate pairs from one band's entries sorted by key (each group of
 * one key put in paragraph order here).  Groups of equal
 * keys larger than GW_DUPS_BAND_ALL_PAIRS give a chain and a star instead
 * of every pair (a boilerplate paragraph shared by thousands of documents
 * would otherwise cost millions of verifications).  Each pair is kept
 * once: copies of one text that differ by a few characters share most
 * band keys, and the groups of the bands differ only by those copies. */
static int band_pairs(band_entry *bands, size_t n, band_scratch *sc) {
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && bands[j].key == bands[i].key) j++;
    if (j - i > GW_DUPS_GROUP_BLOCK && GW_DUPS_RESERVE(sc->group_tmp, j - i)) return GW_ENOMEM;
    if (j - i > 1) sort_band_group(bands + i, j - i, sc->group_tmp);
    if (j - i > GW_DUPS_BAND_ALL_PAIRS) sc->chained++;
    /* A group of two is not recorded: its one pair is found in the pair
     * set as cheaply, and most groups are pairs (the record of each was
     * most of a band worker's memory at 1M paragraphs). */
    int seen = j - i >= 3 ? seen_before(sc, bands + i, j - i) : j - i < 2;
    if (seen < 0) return GW_ENOMEM;
    sc->group_count = 0;
    if (!seen && j - i <= GW_DUPS_BAND_ALL_PAIRS) {
      if (GW_DUPS_RESERVE(sc->group, (j - i) * (j - i - 1) / 2)) return GW_ENOMEM;
      for (size_t x = i; x < j; x++)
        for (size_t y = x + 1; y < j; y++)
          sc->group[sc->group_count++] = pair_of(&bands[x], &bands[y]);
    } else if (!seen) {
      if (GW_DUPS_RESERVE(sc->group, 2 * (j - i))) return GW_ENOMEM;
      for (size_t x = i + 1; x < j; x++) {
        sc->group[sc->group_count++] = pair_of(&bands[x - 1], &bands[x]);
        sc->group[sc->group_count++] = pair_of(&bands[i], &bands[x]);
      }
    }
    if (gw_dups_add_distinct_pairs(&sc->pairs, sc->group, sc->group_count)) return GW_ENOMEM;
    i = j;
  }
  return GW_OK;
}

typedef struct band_work {
  const gw_dups *d;
  band_scratch *scratch; /* per worker */
} band_work;

/* A worker's scratch for a band of n_el keys: the entries, and two bit
 * sets of at least eight bits a key (so that few unique keys share a bit
 * with another key). */
static int band_scratch_make(band_scratch *sc, size_t n_el) {
  if (sc->bands) return GW_OK;
  size_t bits = 64;
  while (bits < 8 * n_el) bits *= 2;
  sc->bands = gw_alloc_large((n_el + 1) * sizeof *sc->bands);
  sc->seen = malloc(bits / 8);
  sc->twice = malloc(bits / 8);
  sc->bits = bits;
  return sc->bands && sc->seen && sc->twice ? GW_OK : GW_ENOMEM;
}

/* The candidate pairs of band b.  Only keys shared by two paragraphs or
 * more give pairs, and most keys are not: the entries whose key's bit was
 * set twice (the keys seen again, and the few that share a bit with one)
 * are the ones sorted.  Every group of equal keys is among them, whole and
 * in paragraph order, so the pairs are those of sorting every entry. */
static int pair_band(void *arg, size_t b, size_t worker) {
  band_work *w = arg;
  band_scratch *sc = &w->scratch[worker];
  size_t n_el = w->d->elig_count, B = w->d->opts.bands;
  if (band_scratch_make(sc, n_el)) return GW_ENOMEM;
  /* No eligible paragraph: no keys array to offset into. */
  const uint64_t *keys = n_el ? w->d->keys + b : NULL;
  uint64_t *seen = sc->seen, *twice = sc->twice, mask = sc->bits - 1;
  memset(seen, 0, sc->bits / 8);
  memset(twice, 0, sc->bits / 8);
  for (size_t e = 0; e < n_el; e++) {
    uint64_t at = keys[e * B] & mask, bit = (uint64_t)1 << (at & 63);
    if (seen[at >> 6] & bit) twice[at >> 6] |= bit;
    seen[at >> 6] |= bit;
  }
  band_entry *bands = sc->bands;
  size_t n = 0;
  for (size_t e = 0; e < n_el; e++) {
    uint64_t key = keys[e * B], at = key & mask;
    if (!(twice[at >> 6] >> (at & 63) & 1)) continue;
    bands[n].key = key;
    bands[n++].para = (uint32_t)e;
  }
  if (gw_dups_sort(bands, n, sizeof *bands, cmp_band_key)) return GW_ENOMEM;
  return band_pairs(bands, n, sc);
}

int gw_dups_find_candidates(gw_dups *d, gw_dups_candidates *out) {
  unsigned threads = d->opts.threads;
  size_t workers = gw_dups_workers(threads, d->opts.bands);
  band_work w = {d, calloc(workers, sizeof *w.scratch)};
  int rc = w.scratch ? gw_dups_parallel(threads, d->opts.bands, pair_band, &w) : GW_ENOMEM;
  size_t total = 0;
  for (size_t i = 0; !rc && i < workers; i++) {
    total += w.scratch[i].pairs.list.count;
    out->chained_groups += w.scratch[i].chained;
  }
  if (!rc && gw_grow((void **)&out->pairs.pair, &out->pairs.cap, out->pairs.count + total,
                          sizeof *out->pairs.pair))
    rc = GW_ENOMEM;
  for (size_t i = 0; w.scratch && i < workers; i++) {
    band_scratch *sc = &w.scratch[i];
    const gw_dups_pairs *list = &sc->pairs.list;
    if (!rc && list->count)
      memcpy(out->pairs.pair + out->pairs.count, list->pair, list->count * sizeof *list->pair);
    if (!rc) out->pairs.count += list->count;
    free(sc->bands); free(sc->group_tmp); free(sc->seen); free(sc->twice); free(list->pair);
    gw_dups_pair_set_free_slots(&sc->pairs);
    free(sc->group);
    free(sc->slot_hash); free(sc->slot_group);
    free(sc->arena);
  }
  free(w.scratch);
  return rc;
}

/* Sort the candidate pairs (x << 32 | y, so not well mixed) on up to
 * `threads` threads: distributed in place by their top eight significant
 * bits (gw_dups_distribute), then each bucket on its own. */
typedef struct pair_buckets {
  uint64_t *pair;
  size_t start[257];
} pair_buckets;

static int sort_pair_bucket(void *arg, size_t b, size_t worker) {
  pair_buckets *pb = arg;
  (void)worker;
  sort_u64(pb->pair + pb->start[b], pb->start[b + 1] - pb->start[b]);
  return GW_OK;
}

static int sort_pairs(uint64_t *a, size_t n, unsigned threads) {
  if (threads <= 1 || n < 2) {
    sort_u64(a, n);
    return GW_OK;
  }
  uint64_t top = 0;
  for (size_t i = 0; i < n; i++) top |= a[i];
  int shift = 0;
  while (shift < 56 && top >> shift >= 256) shift++;
  pair_buckets pb;
  pb.pair = a;
  if (gw_dups_distribute(a, n, sizeof *a, shift, pb.start, threads)) return GW_ENOMEM;
  return gw_dups_parallel(threads, 256, sort_pair_bucket, &pb);
}

/* The sorted, unique shingle sets of the paragraphs in candidate pairs:
 * eligible paragraph e's set is sh[first[e] .. end[e]) (empty if it is in
 * no pair; paragraphs of the same characters share one, so two sets
 * starting at one place are equal). */
typedef struct shingle_sets {
  uint64_t *sh;
  size_t *first, *end;
} shingle_sets;

static void shingle_sets_free(shingle_sets *s) {
  free(s->sh); free(s->first); free(s->end);
}

/* Shingle sets made by tasks, each for a range of eligible paragraphs. */
typedef struct sets_work {
  const gw_dups *d;
  shingle_sets *s;
  const uint32_t *own;    /* per eligible paragraph: the one whose set it
                             uses (itself), or UINT32_MAX: in no pair */
  size_t *task_first;     /* per task its first eligible paragraph */
} sets_work;

static int make_sets(void *arg, size_t task, size_t worker) {
  sets_work *w = arg;
  const gw_dups *d = w->d;
  size_t k = d->opts.shingle_k, longest = 0;
  uint64_t *sh = w->s->sh;
  (void)worker;
  /* The paragraphs' code points, widened from the index's 16 or 32 bits. */
  for (size_t e = w->task_first[task]; e < w->task_first[task + 1]; e++)
    if (w->own[e] == e && d->paras[d->elig[e]].unit_count > longest)
      longest = d->paras[d->elig[e]].unit_count;
  uint32_t *chars = malloc((longest + 1) * sizeof *chars);
  if (!chars) return GW_ENOMEM;
  for (size_t e = w->task_first[task]; e < w->task_first[task + 1]; e++) {
    if (w->own[e] != e) continue; /* no set, or an earlier copy's */
    size_t start = w->s->first[e], n = start;
    const gw_dups_para *p = &d->paras[d->elig[e]];
    const gw_dups_doc *dd = &d->docs[p->document];
    gw_dups_chars(dd, p->unit_first - dd->unit_first, p->unit_count, chars);
    gw_dups_shingles(chars, p->unit_count, k, d->opts.seed, sh + start);
    size_t m = p->unit_count - k + 1;
    sort_u64(sh + start, m);
    for (size_t i = start; i < start + m; i++)
      if (i == start || sh[i] != sh[n - 1]) sh[n++] = sh[i];
    w->s->end[e] = n;
  }
  free(chars);
  return GW_OK;
}

/* A hash of paragraph p's code points (the same whichever width its
 * document is kept in). */
static uint64_t chars_hash(const gw_dups *d, const gw_dups_para *p) {
  const gw_dups_doc *dd = &d->docs[p->document];
  size_t first = p->unit_first - dd->unit_first, n = p->unit_count;
  uint64_t h = n;
  for (size_t i = 0; i < n; i++) {
    h = (h ^ gw_dups_char_at(dd, first + i)) * 0x9e3779b97f4a7c15ull;
    h ^= h >> 29;
  }
  return h;
}

/* Whether paragraphs p and q (as long) have the same characters. */
static int same_chars(const gw_dups *d, const gw_dups_para *p, const gw_dups_para *q) {
  const gw_dups_doc *dp = &d->docs[p->document], *dq = &d->docs[q->document];
  size_t fp = p->unit_first - dp->unit_first, fq = q->unit_first - dq->unit_first;
  size_t n = p->unit_count;
  if (dp->cp16 && dq->cp16) return memcmp(dp->cp16 + fp, dq->cp16 + fq, n * 2) == 0;
  if (dp->cp && dq->cp) return memcmp(dp->cp + fp, dq->cp + fq, n * 4) == 0;
  for (size_t i = 0; i < n; i++)
    if (gw_dups_char_at(dp, fp + i) != gw_dups_char_at(dq, fq + i)) return 0;
  return 1;
}

/* own[e] for the paragraphs in pairs: the first of those with the same
 * characters (copies of one template are many, and all have one set, so
 * it is made once), found through a table of their hashes. */
static int find_owners(const gw_dups *d, uint32_t *own, size_t n_in) {
  size_t slots = 64;
  while (slots < 2 * n_in) slots *= 2;
  uint32_t *slot = malloc(slots * sizeof *slot);
  uint64_t *slot_hash = malloc(slots * sizeof *slot_hash);
  if (!slot || !slot_hash) {
    free(slot);
    free(slot_hash);
    return GW_ENOMEM;
  }
  for (size_t i = 0; i < slots; i++) slot[i] = UINT32_MAX;
  for (size_t e = 0; e < d->elig_count; e++) {
    if (own[e] == UINT32_MAX) continue;
    const gw_dups_para *p = &d->paras[d->elig[e]];
    uint64_t h = chars_hash(d, p);
    size_t at = h & (slots - 1);
    for (; slot[at] != UINT32_MAX; at = (at + 1) & (slots - 1)) {
      const gw_dups_para *q = &d->paras[d->elig[slot[at]]];
      if (slot_hash[at] == h && q->unit_count == p->unit_count && same_chars(d, p, q)) break;
    }
    if (slot[at] == UINT32_MAX) {
      slot[at] = (uint32_t)e;
      slot_hash[at] = h;
    }
    own[e] = slot[at];
  }
  free(slot);
  free(slot_hash);
  return GW_OK;
}

static int shingle_sets_make(const gw_dups *d, const uint64_t *pairs, size_t n_pairs,
                             shingle_sets *s) {
  size_t k = d->opts.shingle_k, n_el = d->elig_count;
  unsigned threads = d->opts.threads;
  const uint32_t *elig = d->elig;
  memset(s, 0, sizeof *s);
  size_t tasks = gw_dups_task_count(threads, n_el);
  uint32_t *own = malloc((n_el + 1) * sizeof *own);
  size_t *task_first = malloc((tasks + 1) * sizeof *task_first);
  s->first = malloc((n_el + 1) * sizeof *s->first);
  s->end = malloc((n_el + 1) * sizeof *s->end);
  int rc = GW_ENOMEM;
  if (!own || !task_first || !s->first || !s->end) goto done;
  for (size_t e = 0; e < n_el; e++) own[e] = UINT32_MAX;
  for (size_t i = 0; i < n_pairs; i++) {
    own[pairs[i] >> 32] = 0;
    own[(uint32_t)pairs[i]] = 0;
  }
  size_t n_in = 0;
  for (size_t e = 0; e < n_el; e++) n_in += own[e] != UINT32_MAX;
  if (find_owners(d, own, n_in)) goto done;
  /* Each set's room for all its shingles; the tasks hold about as many
   * shingles each. */
  size_t total = 0;
  for (size_t e = 0; e < n_el; e++) {
    s->first[e] = s->end[e] = total;
    if (own[e] == e) total += d->paras[elig[e]].unit_count - k + 1;
  }
  size_t t = 0;
  task_first[0] = 0;
  for (size_t e = 0; e < n_el && t + 1 < tasks; e++)
    if (s->first[e] >= total / tasks * (t + 1)) task_first[++t] = e;
  while (t < tasks) task_first[++t] = n_el;
  s->sh = gw_alloc_large((total + 1) * sizeof *s->sh);
  if (!s->sh) goto done;
  sets_work w = {d, s, own, task_first};
  rc = gw_dups_parallel(threads, tasks, make_sets, &w);
  /* A copy's set is its first copy's (an earlier paragraph: made above). */
  for (size_t e = 0; !rc && e < n_el; e++)
    if (own[e] != UINT32_MAX && own[e] != e) {
      s->first[e] = s->first[own[e]];
      s->end[e] = s->end[own[e]];
    }
done:
  free(own);
  free(task_first);
  return rc;
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

/* The least intersection of two sets of nx and ny shingles that passes
 * either threshold, less a margin for rounding. */
static size_t least_intersection(const gw_dups_options *o, size_t nx, size_t ny) {
  double lo_j = o->min_jaccard * (double)(nx + ny) / (1.0 + o->min_jaccard);
  double lo_c = o->min_containment * (double)(nx < ny ? nx : ny);
  double least = lo_j < lo_c ? lo_j : lo_c;
  return least > 1.0 ? (size_t)least - 1 : 0;
}

/* The intersections of the candidates, by tasks over ranges of them. */
typedef struct verify_work {
  const gw_dups *d;
  const uint64_t *pairs;
  size_t n_pairs, tasks;
  const shingle_sets *s;
  size_t *in; /* per pair */
} verify_work;

static int intersect_pairs(void *arg, size_t task, size_t worker) {
  verify_work *w = arg;
  const shingle_sets *s = w->s;
  size_t from = w->n_pairs / w->tasks * task;
  size_t to = task + 1 == w->tasks ? w->n_pairs : w->n_pairs / w->tasks * (task + 1);
  (void)worker;
  for (size_t i = from; i < to; i++) {
    uint32_t x = (uint32_t)(w->pairs[i] >> 32), y = (uint32_t)w->pairs[i];
    size_t nx = s->end[x] - s->first[x], ny = s->end[y] - s->first[y];
    /* Two copies of one text share one set. */
    if (s->first[x] == s->first[y]) { w->in[i] = nx; continue; }
    w->in[i] = intersect(s->sh + s->first[x], nx, s->sh + s->first[y], ny,
                         least_intersection(&w->d->opts, nx, ny));
  }
  return GW_OK;
}

/* Verify each candidate (pairs sorted, distinct) exactly: the
 * intersections side by side, then the pairs that pass either threshold
 * joined in order. */
static int verify(const gw_dups *d, const uint64_t *pairs, size_t n_pairs,
                  const shingle_sets *s, joined *jn) {
  const gw_dups_options *o = &d->opts;
  size_t n_el = d->elig_count;
  jn->parent = malloc((n_el + 1) * sizeof *jn->parent);
  jn->best_j = calloc(n_el + 1, sizeof *jn->best_j);
  jn->best_c = calloc(n_el + 1, sizeof *jn->best_c);
  jn->min_j = malloc((n_el + 1) * sizeof *jn->min_j);
  jn->max_j = calloc(n_el + 1, sizeof *jn->max_j);
  size_t *in = malloc((n_pairs + 1) * sizeof *in);
  if (!jn->parent || !jn->best_j || !jn->best_c || !jn->min_j || !jn->max_j || !in) {
    free(in);
    return GW_ENOMEM;
  }
  size_t tasks = gw_dups_task_count(o->threads, n_pairs);
  verify_work w = {d, pairs, n_pairs, tasks, s, in};
  gw_dups_parallel(o->threads, tasks, intersect_pairs, &w); /* cannot fail */
  for (size_t e = 0; e < n_el; e++) { jn->parent[e] = (uint32_t)e; jn->min_j[e] = 2.0; }
  for (size_t i = 0; i < n_pairs; i++) {
    uint32_t x = (uint32_t)(pairs[i] >> 32), y = (uint32_t)pairs[i];
    size_t nx = s->end[x] - s->first[x], ny = s->end[y] - s->first[y];
    double jac = (double)in[i] / (double)(nx + ny - in[i]);
    double con = (double)in[i] / (double)(nx < ny ? nx : ny);
    if (jac < o->min_jaccard && con < o->min_containment) continue;
    join(jn, x, y, jac, con);
  }
  free(in);
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
  memset(&sets, 0, sizeof sets);
  uint64_t *pairs = candidates->pair;
  size_t n = 0;
  int rc = sort_pairs(pairs, candidates->count, d->opts.threads);
  for (size_t i = 0; !rc && i < candidates->count; i++)
    if (i == 0 || pairs[i] != pairs[n - 1]) pairs[n++] = pairs[i];
  candidates->count = n;
  if (!rc) rc = shingle_sets_make(d, pairs, n, &sets);
  if (!rc) rc = verify(d, pairs, n, &sets, &jn);
  shingle_sets_free(&sets);
  if (!rc) rc = group(d, &jn, &cs, &n_cl);
  if (!rc) rc = write_clusters(d, &jn, cs, n_cl);
  free(cs);
  joined_free(&jn);
  return rc;
}
