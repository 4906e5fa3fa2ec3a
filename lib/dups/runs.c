/*
 * runs.c — the first step of copied passages: seeds from winnowing
 * fingerprints shared by documents (every two of few documents, each with a
 * hub among many), seeds extended into maximal exact runs, runs on one
 * alignment merged across small edit gaps into spans (passages.c takes them
 * from there), and the eligible paragraphs that runs cross together (a
 * short paragraph inside a long one) as candidates for the clusters.
 *
 * On several threads: the sorted fingerprints are cut into chunks at hash
 * boundaries, each seeded on its own; the seeds are moved into partitions
 * by their first document (ranges of documents holding about as many
 * seeds), and each partition's runs and spans are made on its own.  Every
 * pair of documents lies in one partition and the partitions follow each
 * other in document order, so the spans joined in partition order are
 * those one pass over all the seeds makes, whatever the threads.
 */
#include <stdlib.h>
#include <string.h>

#include "dups_stages.h"

/* Where a fingerprint is in two documents a < b: pair is a << 32 | b, so
 * that the radix sort orders seeds by pair (gw_dups_sort's key). */
typedef struct seed {
  uint64_t pair;
  uint32_t pa, pb;
} seed;

static uint32_t seed_a(const seed *s) { return (uint32_t)(s->pair >> 32); }
static uint32_t seed_b(const seed *s) { return (uint32_t)s->pair; }

typedef struct run {
  uint32_t a, b, a0, b0, len;
} run;

/* The radix sort orders fingerprints by hash and seeds by pair only (its
 * key; equal keys are then left in whatever order the distribution gave
 * them), and each group of equal keys is finished here by the rest of the
 * order: a template's fingerprint shared by hundreds of documents, and the
 * hundreds of seeds of two copies of it, were qsort's (its calls cost 5
 * times the comparisons on f50000). */
static int cmp_hash(const void *x, const void *y) {
  const gw_dups_fp *p = x, *q = y;
  return (p->hash > q->hash) - (p->hash < q->hash);
}

static int cmp_pair(const void *x, const void *y) {
  const seed *p = x, *q = y;
  return (p->pair > q->pair) - (p->pair < q->pair);
}

/* The order in a group of one hash: by document, then position. */
static int fp_before(const gw_dups_fp *p, const gw_dups_fp *q) {
  if (p->doc != q->doc) return p->doc < q->doc;
  return p->pos < q->pos;
}

/* The order in a group of one pair: by diagonal, then position in a. */
static int seed_before(const seed *p, const seed *q) {
  int64_t dp = (int64_t)p->pa - p->pb, dq = (int64_t)q->pa - q->pb;
  if (dp != dq) return dp < dq;
  return p->pa < q->pa;
}

GW_DUPS_GROUP_SORT(sort_fp_group, gw_dups_fp, fp_before)
GW_DUPS_GROUP_SORT(sort_seed_group, seed, seed_before)

static int run_before(const run *p, const run *q) {
  if (p->a != q->a) return p->a < q->a;
  if (p->b != q->b) return p->b < q->b;
  if (p->a0 != q->a0) return p->a0 < q->a0;
  if (p->b0 != q->b0) return p->b0 < q->b0;
  return p->len > q->len;
}

GW_DUPS_GROUP_SORT(sort_runs, run, run_before)

static int cmp_span_len(const void *x, const void *y) {
  const gw_dups_span *p = x, *q = y;
  uint32_t lp = p->a1 - p->a0, lq = q->a1 - q->a0;
  if (lp != lq) return lp > lq ? -1 : 1;
  if (p->a0 != q->a0) return p->a0 < q->a0 ? -1 : 1;
  return (p->b0 > q->b0) - (p->b0 < q->b0);
}

static int cmp_span_pos(const void *x, const void *y) {
  const gw_dups_span *p = x, *q = y;
  if (p->a0 != q->a0) return p->a0 < q->a0 ? -1 : 1;
  return (p->b0 > q->b0) - (p->b0 < q->b0);
}

/* Drop the spans of one pair lying inside another in both documents (a
 * phrase repeated within a copied stretch matches off its alignment too);
 * the rest by position in a.  Returns how many are left. */
static size_t drop_contained(gw_dups_span *s, size_t n) {
  if (n < 2) return n;
  qsort(s, n, sizeof *s, cmp_span_len);
  size_t kept = 0;
  for (size_t i = 0; i < n; i++) {
    int inside = 0;
    for (size_t j = 0; j < kept && !inside; j++)
      inside = s[i].a0 >= s[j].a0 && s[i].a1 <= s[j].a1 && s[i].b0 >= s[j].b0 &&
               s[i].b1 <= s[j].b1;
    if (!inside) s[kept++] = s[i];
  }
  qsort(s, kept, sizeof *s, cmp_span_pos);
  return kept;
}

/* The eligible index of paragraph p, or UINT32_MAX. */
static uint32_t eligible_index(const gw_dups *d, size_t p) {
  size_t lo = 0, hi = d->elig_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->elig[mid] < p) lo = mid + 1; else hi = mid;
  }
  return lo < d->elig_count && d->elig[lo] == p ? (uint32_t)lo : UINT32_MAX;
}

/* The eligible paragraphs of a and b that a run of len characters at a0 in
 * a and b0 in b crosses together, as candidate pairs. */
static int run_paragraphs(const gw_dups *d, const run *r, gw_dups_pairs *out) {
  const gw_dups_doc *da = &d->docs[r->a], *db = &d->docs[r->b];
  size_t a_end = da->para_first + da->para_count, b_end = db->para_first + db->para_count;
  for (size_t off = 0; off < r->len;) {
    size_t pa = gw_dups_paragraph_at(d, r->a, r->a0 + off), pb = gw_dups_paragraph_at(d, r->b, r->b0 + off);
    if (pa == a_end || pb == b_end) break;
    /* The run's characters [lo, hi) inside both paragraphs. */
    size_t sa = d->paras[pa].unit_first - da->unit_first;
    size_t sb = d->paras[pb].unit_first - db->unit_first;
    size_t ea = sa + d->paras[pa].unit_count, eb = sb + d->paras[pb].unit_count;
    size_t lo = off, hi = r->len;
    if (sa > r->a0 + lo) lo = sa - r->a0;
    if (sb > r->b0 + lo) lo = sb - r->b0;
    if (ea - r->a0 < hi) hi = ea - r->a0;
    if (eb - r->b0 < hi) hi = eb - r->b0;
    if (lo < hi) {
      uint32_t x = eligible_index(d, pa), y = eligible_index(d, pb);
      if (x != UINT32_MAX && y != UINT32_MAX && gw_dups_add_pair(out, x, y)) return GW_ENOMEM;
    }
    off = hi > off ? hi : off + 1;
  }
  return GW_OK;
}

/* One chunk's seeds, and how often the limits applied in it. */
typedef struct seed_list {
  GW_DUPS_ARRAY(seed, seeds);
  size_t star_groups, repeat_pairs;
} seed_list;

static int add_seed(seed_list *sl, const gw_dups_fp *x, const gw_dups_fp *y) {
  if (GW_DUPS_RESERVE(sl->seeds, sl->seeds_count + 1)) return GW_ENOMEM;
  if (x->doc > y->doc) { const gw_dups_fp *t = x; x = y; y = t; }
  sl->seeds[sl->seeds_count++] = (seed){(uint64_t)x->doc << 32 | y->doc, x->pos, y->pos};
  return GW_OK;
}

/* Seeds between the occurrences x[0..nx) and y[0..ny) of one fingerprint
 * in two documents: every pairing when there are few, else rank by rank
 * (a phrase repeated throughout both, as in repetitive text, would give
 * the product of its counts, each extended along the repetition). */
static int seed_occurrences(seed_list *sl, const gw_dups_fp *x, size_t nx,
                            const gw_dups_fp *y, size_t ny) {
  if (nx * ny <= GW_DUPS_REPEAT_PAIRS) {
    for (size_t i = 0; i < nx; i++)
      for (size_t j = 0; j < ny; j++)
        if (add_seed(sl, &x[i], &y[j])) return GW_ENOMEM;
    return GW_OK;
  }
  sl->repeat_pairs++;
  for (size_t r = 0; r < nx || r < ny; r++)
    if (add_seed(sl, &x[r < nx ? r : nx - 1], &y[r < ny ? r : ny - 1])) return GW_ENOMEM;
  return GW_OK;
}

/* Seeds of one fingerprint found in `docs` documents, the occurrences of
 * the i-th at fps[first[i] .. first[i + 1]): every two documents when they
 * are few, else each with one hub (the first base document holding it,
 * else the first document), so that a passage in n documents costs n seeds,
 * not n^2 (its family is still one: all its members meet at the hub). */
static int seed_group(const gw_dups *d, const gw_dups_fp *fps, const size_t *first,
                      size_t docs, seed_list *sl) {
  if (docs <= GW_DUPS_STAR_ABOVE) {
    for (size_t u = 0; u < docs; u++)
      for (size_t v = u + 1; v < docs; v++)
        if (seed_occurrences(sl, fps + first[u], first[u + 1] - first[u], fps + first[v],
                             first[v + 1] - first[v]))
          return GW_ENOMEM;
    return GW_OK;
  }
  sl->star_groups++;
  size_t hub = 0;
  for (size_t u = 0; u < docs; u++)
    if (d->docs[fps[first[u]].doc].is_base) { hub = u; break; }
  for (size_t v = 0; v < docs; v++)
    if (v != hub && seed_occurrences(sl, fps + first[hub], first[hub + 1] - first[hub],
                                     fps + first[v], first[v + 1] - first[v]))
      return GW_ENOMEM;
  return GW_OK;
}

/* What a partition makes: its spans (by pair, then position in a) and the
 * eligible paragraphs its runs cross. */
typedef struct partition {
  GW_DUPS_ARRAY(gw_dups_span, spans);
  gw_dups_pairs para_pairs;
} partition;

/* A worker's scratch, reused from task to task. */
typedef struct runs_scratch {
  GW_DUPS_ARRAY(size_t, doc_first); /* a fingerprint's documents */
  GW_DUPS_ARRAY(run, runs);
  GW_DUPS_ARRAY(char, used);        /* a pair's runs joined into a span */
  GW_DUPS_ARRAY(gw_dups_fp, fp_tmp); /* the group sorts' room */
  GW_DUPS_ARRAY(seed, seed_tmp);
  GW_DUPS_ARRAY(run, run_tmp);
} runs_scratch;

typedef struct runs_work {
  const gw_dups *d;
  gw_dups_fp *fps;          /* sorted by hash; each group finished by seed_chunk */
  size_t *chunk_first;      /* per chunk its first fingerprint; n_chunks + 1 */
  size_t n_chunks;
  seed_list *chunks;        /* per chunk */
  size_t n_parts;
  uint32_t *part_of_doc;    /* per document (as a, the lesser) */
  size_t *place;            /* chunk c's next seed of partition p at
                               place[c * n_parts + p] */
  seed *seeds;              /* all of them, by partition */
  size_t *part_first;       /* per partition its first seed; n_parts + 1 */
  partition *parts;
  runs_scratch *scratch;    /* per worker */
} runs_work;

/* The fingerprint groups in chunk c put in order (by document and
 * position: then every fingerprint is in cmp_fp's order), and their seeds. */
static int seed_chunk(void *arg, size_t c, size_t worker) {
  runs_work *w = arg;
  runs_scratch *sc = &w->scratch[worker];
  gw_dups_fp *fps = w->fps;
  size_t end = w->chunk_first[c + 1];
  for (size_t i = w->chunk_first[c]; i < end;) {
    size_t j = i + 1, docs = 1;
    while (j < end && fps[j].hash == fps[i].hash) j++;
    if (j - i > 1) {
      if (j - i > GW_DUPS_GROUP_BLOCK && GW_DUPS_RESERVE(sc->fp_tmp, j - i)) return GW_ENOMEM;
      sort_fp_group(fps + i, j - i, sc->fp_tmp);
    }
    for (size_t x = i + 1; x < j; x++)
      if (fps[x].doc != fps[x - 1].doc) docs++;
    if (docs >= 2) {
      if (GW_DUPS_RESERVE(sc->doc_first, docs + 1)) return GW_ENOMEM;
      size_t n = 0;
      for (size_t x = i; x < j; x++)
        if (x == i || fps[x].doc != fps[x - 1].doc) sc->doc_first[n++] = x;
      sc->doc_first[n] = j;
      if (seed_group(w->d, fps, sc->doc_first, docs, &w->chunks[c])) return GW_ENOMEM;
    }
    i = j;
  }
  return GW_OK;
}

/* How many seeds of chunk c go to each partition. */
static int count_chunk(void *arg, size_t c, size_t worker) {
  runs_work *w = arg;
  (void)worker;
  size_t *place = w->place + c * w->n_parts;
  const seed_list *sl = &w->chunks[c];
  for (size_t i = 0; i < sl->seeds_count; i++) place[w->part_of_doc[seed_a(&sl->seeds[i])]]++;
  return GW_OK;
}

/* Chunk c's seeds into their partitions (then the chunk's list is freed). */
static int scatter_chunk(void *arg, size_t c, size_t worker) {
  runs_work *w = arg;
  (void)worker;
  size_t *place = w->place + c * w->n_parts;
  seed_list *sl = &w->chunks[c];
  for (size_t i = 0; i < sl->seeds_count; i++)
    w->seeds[place[w->part_of_doc[seed_a(&sl->seeds[i])]]++] = sl->seeds[i];
  free(sl->seeds);
  sl->seeds = NULL;
  return GW_OK;
}

/* The exact run through a seed of k characters at pa in document a and pb
 * in b, extended both ways as far as the characters are equal: [*a0, *a1)
 * in a, starting at *b0 in b; 0 when the k characters differ (a hash
 * collision).  Two documents kept in 16 bits are compared in 16 bits (equal
 * there where equal as code points: see gw_dups_doc). */
static int extend_seed(const gw_dups_doc *da, const gw_dups_doc *db, size_t pa, size_t pb,
                       size_t k, size_t *a0, size_t *a1, size_t *b0) {
  size_t na = da->unit_count, nb = db->unit_count;
  size_t x0 = pa, y0 = pb, x1 = pa + k, y1 = pb + k;
  if (da->cp16 && db->cp16) {
    const uint16_t *ca = da->cp16, *cb = db->cp16;
    if (memcmp(ca + pa, cb + pb, k * sizeof *ca) != 0) return 0;
    while (x0 > 0 && y0 > 0 && ca[x0 - 1] == cb[y0 - 1]) { x0--; y0--; }
    while (x1 < na && y1 < nb && ca[x1] == cb[y1]) { x1++; y1++; }
  } else if (da->cp && db->cp) {
    const uint32_t *ca = da->cp, *cb = db->cp;
    if (memcmp(ca + pa, cb + pb, k * sizeof *ca) != 0) return 0;
    while (x0 > 0 && y0 > 0 && ca[x0 - 1] == cb[y0 - 1]) { x0--; y0--; }
    while (x1 < na && y1 < nb && ca[x1] == cb[y1]) { x1++; y1++; }
  } else {
    for (size_t i = 0; i < k; i++)
      if (gw_dups_char_at(da, pa + i) != gw_dups_char_at(db, pb + i)) return 0;
    while (x0 > 0 && y0 > 0 && gw_dups_char_at(da, x0 - 1) == gw_dups_char_at(db, y0 - 1)) {
      x0--;
      y0--;
    }
    while (x1 < na && y1 < nb && gw_dups_char_at(da, x1) == gw_dups_char_at(db, y1)) {
      x1++;
      y1++;
    }
  }
  *a0 = x0;
  *a1 = x1;
  *b0 = y0;
  return 1;
}

/* Sorted seeds → maximal exact runs (one per stretch of a diagonal) in
 * sc->runs, sorted. */
static int extend_seeds(const gw_dups *d, const seed *seeds, size_t n_seeds,
                        runs_scratch *sc) {
  size_t k = d->opts.passage_k;
  sc->runs_count = 0;
  for (size_t i = 0; i < n_seeds; i++) {
    const seed *s = &seeds[i];
    uint32_t a = seed_a(s), b = seed_b(s);
    const run *last = sc->runs_count ? &sc->runs[sc->runs_count - 1] : NULL;
    if (last && last->a == a && last->b == b &&
        (int64_t)last->a0 - last->b0 == (int64_t)s->pa - s->pb && s->pa < last->a0 + last->len)
      continue;
    size_t a0, a1, b0;
    if (!extend_seed(&d->docs[a], &d->docs[b], s->pa, s->pb, k, &a0, &a1, &b0)) continue;
    if (GW_DUPS_RESERVE(sc->runs, sc->runs_count + 1)) return GW_ENOMEM;
    run *r = &sc->runs[sc->runs_count++];
    r->a = a; r->b = b;
    r->a0 = (uint32_t)a0; r->b0 = (uint32_t)b0; r->len = (uint32_t)(a1 - a0);
  }
  if (sc->runs_count > GW_DUPS_GROUP_BLOCK && GW_DUPS_RESERVE(sc->run_tmp, sc->runs_count))
    return GW_ENOMEM;
  sort_runs(sc->runs, sc->runs_count, sc->run_tmp);
  return GW_OK;
}

/* The spans of one pair's runs [i, j) (sorted) into out. */
static int pair_spans(const gw_dups *d, const run *runs, size_t i, size_t j,
                      runs_scratch *sc, partition *out) {
  const gw_dups_options *o = &d->opts;
  size_t pair_first = out->spans_count;
  if (GW_DUPS_RESERVE(sc->used, j - i)) return GW_ENOMEM;
  char *used = sc->used;
  memset(used, 0, j - i);
  for (size_t x = i; x < j; x++) {
    if (used[x - i]) continue;
    used[x - i] = 1;
    size_t sa0 = runs[x].a0, sb0 = runs[x].b0;
    size_t sa1 = sa0 + runs[x].len, sb1 = sb0 + runs[x].len;
    size_t matched = runs[x].len;
    /* Join the following runs that continue this alignment. */
    for (size_t y = x + 1; y < j; y++) {
      if (used[y - i]) continue;
      if (runs[y].a0 > sa1 + o->max_gap) break;
      if (runs[y].a0 < sa1 || runs[y].b0 < sb1 || runs[y].b0 > sb1 + o->max_gap) continue;
      used[y - i] = 1;
      sa1 = runs[y].a0 + runs[y].len;
      sb1 = runs[y].b0 + runs[y].len;
      matched += runs[y].len;
    }
    if (matched < o->passage_t) continue;
    if (GW_DUPS_RESERVE(out->spans, out->spans_count + 1)) return GW_ENOMEM;
    out->spans[out->spans_count++] =
        (gw_dups_span){runs[x].a, runs[x].b, (uint32_t)sa0, (uint32_t)sa1,
                       (uint32_t)sb0, (uint32_t)sb1, (uint32_t)matched};
  }
  if (out->spans_count > pair_first)
    out->spans_count = pair_first + drop_contained(out->spans + pair_first,
                                                   out->spans_count - pair_first);
  return GW_OK;
}

/* Partition p's seeds → runs → spans and paragraph pairs. */
static int runs_of_partition(void *arg, size_t p, size_t worker) {
  runs_work *w = arg;
  runs_scratch *sc = &w->scratch[worker];
  partition *out = &w->parts[p];
  size_t n_seeds = w->part_first[p + 1] - w->part_first[p];
  /* No seeds at all: no array to offset into. */
  seed *seeds = n_seeds ? w->seeds + w->part_first[p] : NULL;
  if (gw_dups_sort(seeds, n_seeds, sizeof *seeds, cmp_pair)) return GW_ENOMEM;
  for (size_t i = 0; i < n_seeds;) {
    size_t j = i + 1;
    while (j < n_seeds && seeds[j].pair == seeds[i].pair) j++;
    if (j - i > 1) {
      if (j - i > GW_DUPS_GROUP_BLOCK && GW_DUPS_RESERVE(sc->seed_tmp, j - i)) return GW_ENOMEM;
      sort_seed_group(seeds + i, j - i, sc->seed_tmp);
    }
    i = j;
  }
  if (extend_seeds(w->d, seeds, n_seeds, sc)) return GW_ENOMEM;
  const run *runs = sc->runs;
  size_t n_runs = sc->runs_count;
  for (size_t i = 0; i < n_runs; i++)
    if (run_paragraphs(w->d, &runs[i], &out->para_pairs)) return GW_ENOMEM;
  for (size_t i = 0; i < n_runs;) {
    size_t j = i;
    while (j < n_runs && runs[j].a == runs[i].a && runs[j].b == runs[i].b) j++;
    if (pair_spans(w->d, runs, i, j, sc, out)) return GW_ENOMEM;
    i = j;
  }
  return GW_OK;
}

static int same_hash(const void *arg, size_t i) {
  const gw_dups_fp *fps = arg;
  return fps[i].hash == fps[i - 1].hash;
}

/* The chunks of the sorted fingerprints, cut where the hash changes. */
static int cut_chunks(runs_work *w, size_t n_fp, unsigned threads) {
  size_t n = gw_dups_task_count(threads, n_fp);
  w->chunk_first = malloc((n + 1) * sizeof *w->chunk_first);
  w->chunks = calloc(n, sizeof *w->chunks);
  if (!w->chunk_first || !w->chunks) return GW_ENOMEM;
  gw_dups_cut(w->chunk_first, n, n_fp, same_hash, w->fps);
  w->n_chunks = n;
  return GW_OK;
}

/* Partitions of documents holding about as many seeds each (by their
 * first document), and every chunk's seeds moved into them. */
static int partition_seeds(runs_work *w, unsigned threads) {
  size_t N = w->d->docs_count, C = w->n_chunks, total = 0;
  for (size_t c = 0; c < C; c++) total += w->chunks[c].seeds_count;
  if (C == 1 && threads <= 1) { /* one partition: the seeds as they are */
    w->n_parts = 1;
    w->seeds = w->chunks[0].seeds;
    w->chunks[0].seeds = NULL;
    w->part_first = malloc(2 * sizeof *w->part_first);
    if (!w->part_first) return GW_ENOMEM;
    w->part_first[0] = 0;
    w->part_first[1] = total;
    return GW_OK;
  }
  size_t P = gw_dups_task_count(threads, N);
  size_t *per_doc = calloc(N + 1, sizeof *per_doc);
  w->part_of_doc = malloc((N + 1) * sizeof *w->part_of_doc);
  w->place = calloc(C * P, sizeof *w->place);
  w->part_first = malloc((P + 1) * sizeof *w->part_first);
  w->seeds = gw_alloc_large((total + 1) * sizeof *w->seeds);
  int rc = per_doc && w->part_of_doc && w->place && w->part_first && w->seeds ? GW_OK : GW_ENOMEM;
  if (!rc) {
    for (size_t c = 0; c < C; c++)
      for (size_t i = 0; i < w->chunks[c].seeds_count; i++) per_doc[seed_a(&w->chunks[c].seeds[i])]++;
    size_t part = 0, seen = 0;
    for (size_t doc = 0; doc < N; doc++) {
      /* A new partition once this one holds its share (never an empty one). */
      if (part + 1 < P && seen >= total / P * (part + 1) && seen > 0 &&
          w->part_of_doc[doc - 1] == part)
        part++;
      w->part_of_doc[doc] = (uint32_t)part;
      seen += per_doc[doc];
    }
    w->n_parts = P;
    rc = gw_dups_parallel(threads, C, count_chunk, w);
  }
  free(per_doc);
  if (rc) return rc;
  /* Each chunk's seeds of partition p after those of the chunks before. */
  size_t at = 0;
  for (size_t p = 0; p < P; p++) {
    w->part_first[p] = at;
    for (size_t c = 0; c < C; c++) {
      size_t n = w->place[c * P + p];
      w->place[c * P + p] = at;
      at += n;
    }
  }
  w->part_first[P] = at;
  return gw_dups_parallel(threads, C, scatter_chunk, w);
}

/* The partitions' spans and paragraph pairs, in partition order, into out. */
static int join_partitions(runs_work *w, gw_dups_runs *out) {
  size_t n_spans = 0, n_pairs = 0;
  for (size_t p = 0; p < w->n_parts; p++) {
    n_spans += w->parts[p].spans_count;
    n_pairs += w->parts[p].para_pairs.count;
  }
  out->spans = malloc((n_spans + 1) * sizeof *out->spans);
  out->para_pairs.pair = malloc((n_pairs + 1) * sizeof *out->para_pairs.pair);
  if (!out->spans || !out->para_pairs.pair) return GW_ENOMEM;
  out->para_pairs.cap = n_pairs + 1;
  for (size_t p = 0; p < w->n_parts; p++) {
    const partition *pt = &w->parts[p];
    if (pt->spans_count)
      memcpy(out->spans + out->n_spans, pt->spans, pt->spans_count * sizeof *pt->spans);
    out->n_spans += pt->spans_count;
    if (pt->para_pairs.count)
      memcpy(out->para_pairs.pair + out->para_pairs.count, pt->para_pairs.pair,
             pt->para_pairs.count * sizeof *pt->para_pairs.pair);
    out->para_pairs.count += pt->para_pairs.count;
  }
  return GW_OK;
}

static void runs_work_free(runs_work *w) {
  for (size_t c = 0; w->chunks && c < w->n_chunks; c++) free(w->chunks[c].seeds);
  for (size_t p = 0; w->parts && p < w->n_parts; p++) {
    free(w->parts[p].spans);
    free(w->parts[p].para_pairs.pair);
  }
  for (size_t s = 0; w->scratch && s < gw_dups_workers(w->d->opts.threads, SIZE_MAX); s++) {
    free(w->scratch[s].doc_first);
    free(w->scratch[s].runs);
    free(w->scratch[s].used);
    free(w->scratch[s].fp_tmp);
    free(w->scratch[s].seed_tmp);
    free(w->scratch[s].run_tmp);
  }
  free(w->chunk_first); free(w->chunks); free(w->part_of_doc); free(w->place);
  free(w->seeds); free(w->part_first); free(w->parts); free(w->scratch);
}

int gw_dups_find_runs(gw_dups *d, gw_dups_runs *out) {
  unsigned threads = d->opts.threads;
  runs_work w;
  memset(&w, 0, sizeof w);
  memset(out, 0, sizeof *out);
  w.d = d;
  w.fps = d->fps;
  w.scratch = calloc(gw_dups_workers(threads, SIZE_MAX), sizeof *w.scratch);
  int rc = w.scratch ? GW_OK : GW_ENOMEM;
  d->fps_sorted = 1; /* from here on (a failed sort leaves them permuted) */
  if (!rc) rc = gw_dups_sort_threads(d->fps, d->fps_count, sizeof *d->fps, cmp_hash, threads);
  if (!rc) rc = cut_chunks(&w, d->fps_count, threads);
  if (!rc) rc = gw_dups_parallel(threads, w.n_chunks, seed_chunk, &w);
  if (!rc) {
    for (size_t c = 0; c < w.n_chunks; c++) {
      out->star_groups += w.chunks[c].star_groups;
      out->repeat_pairs += w.chunks[c].repeat_pairs;
    }
    rc = partition_seeds(&w, threads);
  }
  if (!rc) {
    w.parts = calloc(w.n_parts, sizeof *w.parts);
    rc = w.parts ? gw_dups_parallel(threads, w.n_parts, runs_of_partition, &w) : GW_ENOMEM;
  }
  if (!rc) rc = join_partitions(&w, out);
  runs_work_free(&w);
  if (rc) gw_dups_runs_free(out);
  return rc;
}

void gw_dups_runs_free(gw_dups_runs *r) {
  free(r->spans);
  free(r->para_pairs.pair);
  memset(r, 0, sizeof *r);
}
