/*
 * align.c — copied passages: winnowing fingerprints over each document's
 * characters, seeds from fingerprints shared by two documents (not by most
 * of the corpus), seeds extended into maximal exact runs, runs on one
 * alignment merged across small edit gaps into spans, official spans set
 * apart, and per pair and per document the copied characters, ratios and
 * sources.
 *
 * Winnowing guarantee: with k-gram hashes and a window of w = t - k + 1
 * hashes, each window's minimum (the rightmost on ties) is selected.  A run
 * of t equal characters in two documents holds a whole window of equal
 * hashes in both, and both select that window's minimum, so every shared run
 * of at least t characters yields a shared fingerprint and is found.
 */
#include <stdlib.h>
#include <string.h>

#include "dups_private.h"

typedef struct fingerprint {
  uint64_t hash;
  uint32_t doc, pos;
} fingerprint;

typedef struct seed {
  uint32_t a, b, pa, pb;
} seed;

typedef struct run {
  uint32_t a, b, a0, b0, len;
} run;

typedef struct span_rec {
  uint32_t a, b, a0, a1, b0, b1, matched;
} span_rec;

typedef struct source_rec {
  uint32_t doc, other;
  size_t chars;
} source_rec;

static int cmp_fp(const void *x, const void *y) {
  const fingerprint *p = x, *q = y;
  if (p->hash != q->hash) return p->hash < q->hash ? -1 : 1;
  if (p->doc != q->doc) return p->doc < q->doc ? -1 : 1;
  return (p->pos > q->pos) - (p->pos < q->pos);
}

static int cmp_seed(const void *x, const void *y) {
  const seed *p = x, *q = y;
  if (p->a != q->a) return p->a < q->a ? -1 : 1;
  if (p->b != q->b) return p->b < q->b ? -1 : 1;
  int64_t dp = (int64_t)p->pa - p->pb, dq = (int64_t)q->pa - q->pb;
  if (dp != dq) return dp < dq ? -1 : 1;
  return (p->pa > q->pa) - (p->pa < q->pa);
}

static int cmp_run(const void *x, const void *y) {
  const run *p = x, *q = y;
  if (p->a != q->a) return p->a < q->a ? -1 : 1;
  if (p->b != q->b) return p->b < q->b ? -1 : 1;
  if (p->a0 != q->a0) return p->a0 < q->a0 ? -1 : 1;
  if (p->b0 != q->b0) return p->b0 < q->b0 ? -1 : 1;
  return (p->len < q->len) - (p->len > q->len);
}

static int cmp_pair(const void *x, const void *y) {
  const gw_dups_pair *p = x, *q = y;
  size_t cp = p->copied_a + p->copied_b, cq = q->copied_a + q->copied_b;
  if (cp != cq) return cp > cq ? -1 : 1;
  if (p->a != q->a) return p->a < q->a ? -1 : 1;
  return (p->b > q->b) - (p->b < q->b);
}

static int cmp_source(const void *x, const void *y) {
  const source_rec *p = x, *q = y;
  if (p->doc != q->doc) return p->doc < q->doc ? -1 : 1;
  if (p->chars != q->chars) return p->chars > q->chars ? -1 : 1;
  return (p->other > q->other) - (p->other < q->other);
}

static int cmp_span_len(const void *x, const void *y) {
  const span_rec *p = x, *q = y;
  uint32_t lp = p->a1 - p->a0, lq = q->a1 - q->a0;
  if (lp != lq) return lp > lq ? -1 : 1;
  if (p->a0 != q->a0) return p->a0 < q->a0 ? -1 : 1;
  return (p->b0 > q->b0) - (p->b0 < q->b0);
}

static int cmp_span_pos(const void *x, const void *y) {
  const span_rec *p = x, *q = y;
  if (p->a0 != q->a0) return p->a0 < q->a0 ? -1 : 1;
  return (p->b0 > q->b0) - (p->b0 < q->b0);
}

/* Drop the spans of one pair lying inside another in both documents (a
 * phrase repeated within a copied stretch matches off its alignment too);
 * the rest by position in a.  Returns how many are left. */
static size_t drop_contained(span_rec *s, size_t n) {
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

/* Groups of one fingerprint larger than this are treated as generic. */
#define MAX_GROUP 256

/* Winnow one document's characters into fps (appended). */
static int winnow(const gw_dups *d, uint32_t doc, fingerprint **fps, size_t *n,
                  size_t *cap, uint64_t *hashes) {
  const gw_dups_doc *dd = &d->docs[doc];
  size_t k = d->opts.passage_k, w = d->opts.passage_t - k + 1;
  if (dd->unit_count < k) return GW_OK;
  size_t nh = dd->unit_count - k + 1;
  const uint32_t *cp = d->cp + dd->unit_first;
  gw_dups_kgrams(cp, dd->unit_count, k, d->opts.seed ^ 0x5bd1e995ull, hashes);
  if (w > nh) w = nh;
  size_t last = SIZE_MAX;
  for (size_t s = 0; s + w <= nh; s++) {
    size_t best = s;
    for (size_t i = s + 1; i < s + w; i++)
      if (hashes[i] <= hashes[best]) best = i;
    if (best == last) continue;
    last = best;
    if (gw_dups_grow((void **)fps, cap, *n + 1, sizeof **fps)) return GW_ENOMEM;
    (*fps)[*n].hash = hashes[best];
    (*fps)[*n].doc = doc;
    (*fps)[*n].pos = (uint32_t)best;
    (*n)++;
  }
  return GW_OK;
}

/* Characters of [a, b) of doc neither official nor generic; *official and
 * *generic count the others. */
static size_t count_plain(const gw_dups *d, uint32_t doc, size_t a, size_t b,
                          size_t *official, size_t *generic) {
  const uint8_t *fl = d->flags + d->docs[doc].unit_first;
  size_t n = 0;
  *official = *generic = 0;
  for (size_t i = a; i < b; i++) {
    if (fl[i] & GW_DUPS_OFFICIAL_FLAG) (*official)++;
    else if (fl[i] & GW_DUPS_GENERIC_FLAG) (*generic)++;
    else n++;
  }
  return n;
}

/* A table of k-gram hashes: in how many documents each occurs. */
typedef struct df_slot {
  uint64_t hash;
  uint32_t docs, last; /* last: document counted last, plus one */
} df_slot;

static df_slot *df_find(df_slot *table, size_t mask, uint64_t h) {
  size_t i = (size_t)gw_dups_mix(h) & mask;
  while (table[i].docs && table[i].hash != h) i = (i + 1) & mask;
  return &table[i];
}

/* Mark as generic every character, inside a span, of a passage_k-gram that
 * occurs in at least `generic` documents: the k-grams of the spans are
 * counted over the whole corpus. */
static int mark_generic(gw_dups *d, const span_rec *spans, size_t n_spans,
                        size_t generic) {
  size_t k = d->opts.passage_k;
  uint64_t kseed = d->opts.seed ^ 0x5bd1e995ull;
  for (size_t u = 0; u < d->units; u++) d->flags[u] &= (uint8_t)~GW_DUPS_GENERIC_FLAG;
  if (generic > d->docs_count || !n_spans) return GW_OK;
  size_t grams = 0;
  for (size_t s = 0; s < n_spans; s++)
    grams += (spans[s].a1 - spans[s].a0) + (spans[s].b1 - spans[s].b0);
  size_t cap = 64;
  while (cap < 2 * grams) cap *= 2;
  df_slot *table = calloc(cap, sizeof *table);
  if (!table) return GW_ENOMEM;
  size_t mask = cap - 1, maxu = 1;
  for (size_t i = 0; i < d->docs_count; i++)
    if (d->docs[i].unit_count > maxu) maxu = d->docs[i].unit_count;
  uint64_t *hb = malloc(maxu * sizeof *hb);
  /* Sixteen bits per span k-gram: most k-grams of the
   * corpus are in no span, and the bit set answers that from the cache. */
  size_t bits = cap * 8;
  uint64_t *filter = calloc(bits / 64 + 1, sizeof *filter);
  if (!hb || !filter) { free(hb); free(filter); free(table); return GW_ENOMEM; }
  for (size_t s = 0; s < n_spans; s++)
    for (int side = 0; side < 2; side++) {
      uint32_t doc = side ? spans[s].b : spans[s].a;
      size_t a = side ? spans[s].b0 : spans[s].a0, b = side ? spans[s].b1 : spans[s].a1;
      gw_dups_kgrams(d->cp + d->docs[doc].unit_first + a, b - a, k, kseed, hb);
      for (size_t i = a; i + k <= b; i++) {
        uint64_t h = hb[i - a];
        size_t bit = (size_t)(h >> 20) & (bits - 1);
        filter[bit / 64] |= 1ull << (bit % 64);
        df_slot *sl = df_find(table, mask, h);
        if (!sl->docs) {
          sl->hash = h;
          sl->docs = UINT32_MAX; /* present, not counted yet */
        }
      }
    }
  for (uint32_t doc = 0; doc < d->docs_count; doc++) {
    const gw_dups_doc *dd = &d->docs[doc];
    gw_dups_kgrams(d->cp + dd->unit_first, dd->unit_count, k, kseed, hb);
    for (size_t i = 0; i + k <= dd->unit_count; i++) {
      size_t bit = (size_t)(hb[i] >> 20) & (bits - 1);
      if (!(filter[bit / 64] >> (bit % 64) & 1)) continue;
      df_slot *sl = df_find(table, mask, hb[i]);
      if (!sl->docs || sl->last == doc + 1) continue;
      sl->docs = sl->docs == UINT32_MAX ? 1 : sl->docs + 1;
      sl->last = doc + 1;
    }
  }
  for (size_t s = 0; s < n_spans; s++)
    for (int side = 0; side < 2; side++) {
      uint32_t doc = side ? spans[s].b : spans[s].a;
      size_t a = side ? spans[s].b0 : spans[s].a0, b = side ? spans[s].b1 : spans[s].a1;
      size_t base = d->docs[doc].unit_first;
      gw_dups_kgrams(d->cp + base + a, b - a, k, kseed, hb);
      for (size_t i = a; i + k <= b; i++) {
        df_slot *sl = df_find(table, mask, hb[i - a]);
        if (sl->docs == UINT32_MAX || sl->docs < generic) continue;
        for (size_t u = i; u < i + k; u++) d->flags[base + u] |= GW_DUPS_GENERIC_FLAG;
      }
    }
  free(hb);
  free(filter);
  free(table);
  return GW_OK;
}

static gw_dups_range make_range(const gw_dups *d, uint32_t doc, size_t a,
                                size_t b) {
  size_t base = d->docs[doc].unit_first;
  gw_dups_range r;
  r.start = d->ostart[base + a];
  r.end = gw_dups_unit_end(d, base + b - 1);
  r.char_start = a;
  r.char_end = b;
  return r;
}

/* Mark the plain (neither official nor generic) characters of [a, b) of doc
 * with stamp (indexed by character in the document); count new ones. */
static size_t mark(const gw_dups *d, uint32_t *stamp, uint32_t value,
                   uint32_t doc, size_t a, size_t b) {
  size_t base = d->docs[doc].unit_first, n = 0;
  for (size_t i = a; i < b; i++) {
    if (d->flags[base + i] & (GW_DUPS_OFFICIAL_FLAG | GW_DUPS_GENERIC_FLAG)) continue;
    if (stamp[i] != value) { stamp[i] = value; n++; }
  }
  return n;
}

/* Mark the plain characters of [a, b) of doc as copied (indexed by global
 * character). */
static void mark_copied(const gw_dups *d, uint8_t *copied, uint32_t doc,
                        size_t a, size_t b) {
  size_t base = d->docs[doc].unit_first;
  for (size_t i = a; i < b; i++)
    if (!(d->flags[base + i] & (GW_DUPS_OFFICIAL_FLAG | GW_DUPS_GENERIC_FLAG)))
      copied[base + i] = 1;
}

int gw_dups_passages(gw_dups *d, gw_error *err) {
  const gw_dups_options *o = &d->opts;
  size_t N = d->docs_count, k = o->passage_k, t = o->passage_t;
  int rc = GW_ENOMEM;
  fingerprint *fps = NULL;
  seed *seeds = NULL;
  run *runs = NULL;
  uint64_t *hashes = NULL;
  uint32_t *stamp_of_a = NULL, *stamp_of_b = NULL;
  uint8_t *doc_copied = NULL;
  source_rec *srcs = NULL;
  span_rec *spans = NULL;
  size_t n_spans = 0, cap_spans = 0;
  size_t n_fp = 0, cap_fp = 0, n_seeds = 0, cap_seeds = 0, n_runs = 0,
         cap_runs = 0, n_srcs = 0, cap_srcs = 0;
  size_t maxu = 1;
  for (size_t i = 0; i < N; i++)
    if (d->docs[i].unit_count > maxu) maxu = d->docs[i].unit_count;
  hashes = malloc(maxu * sizeof *hashes);
  if (!hashes) goto done;
  for (size_t i = 0; i < N; i++)
    if (winnow(d, (uint32_t)i, &fps, &n_fp, &cap_fp, hashes)) goto done;
  free(hashes);
  hashes = NULL;
  if (gw_dups_sort((void **)&fps, n_fp, sizeof *fps, cmp_fp)) goto done;
  /* Documents that make a fingerprint generic. */
  size_t generic = (size_t)(o->generic_fraction * (double)N);
  if ((double)generic < o->generic_fraction * (double)N) generic++;
  if (generic < o->generic_min_documents) generic = o->generic_min_documents;
  for (size_t i = 0; i < n_fp;) {
    size_t j = i + 1, docs = 1;
    while (j < n_fp && fps[j].hash == fps[i].hash) {
      if (fps[j].doc != fps[j - 1].doc) docs++;
      j++;
    }
    if (docs >= 2 && docs < generic && j - i <= MAX_GROUP) {
      for (size_t x = i; x < j; x++)
        for (size_t y = x + 1; y < j; y++) {
          if (fps[x].doc == fps[y].doc) continue;
          if (gw_dups_grow((void **)&seeds, &cap_seeds, n_seeds + 1, sizeof *seeds))
            goto done;
          seed *s = &seeds[n_seeds++];
          s->a = fps[x].doc; s->pa = fps[x].pos;
          s->b = fps[y].doc; s->pb = fps[y].pos;
        }
    }
    i = j;
  }
  free(fps);
  fps = NULL;
  if (n_seeds) qsort(seeds, n_seeds, sizeof *seeds, cmp_seed);
  /* Seeds → maximal exact runs, one per stretch of a diagonal. */
  for (size_t i = 0; i < n_seeds; i++) {
    const seed *s = &seeds[i];
    if (n_runs && runs[n_runs - 1].a == s->a && runs[n_runs - 1].b == s->b &&
        (int64_t)runs[n_runs - 1].a0 - runs[n_runs - 1].b0 == (int64_t)s->pa - s->pb &&
        s->pa < runs[n_runs - 1].a0 + runs[n_runs - 1].len)
      continue;
    const uint32_t *ca = d->cp + d->docs[s->a].unit_first;
    const uint32_t *cb = d->cp + d->docs[s->b].unit_first;
    size_t na = d->docs[s->a].unit_count, nb = d->docs[s->b].unit_count;
    if (memcmp(ca + s->pa, cb + s->pb, k * sizeof *ca) != 0) continue; /* collision */
    size_t a0 = s->pa, b0 = s->pb, a1 = s->pa + k, b1 = s->pb + k;
    while (a0 > 0 && b0 > 0 && ca[a0 - 1] == cb[b0 - 1]) { a0--; b0--; }
    while (a1 < na && b1 < nb && ca[a1] == cb[b1]) { a1++; b1++; }
    if (gw_dups_grow((void **)&runs, &cap_runs, n_runs + 1, sizeof *runs)) goto done;
    run *r = &runs[n_runs++];
    r->a = s->a; r->b = s->b;
    r->a0 = (uint32_t)a0; r->b0 = (uint32_t)b0; r->len = (uint32_t)(a1 - a0);
  }
  free(seeds);
  seeds = NULL;
  if (n_runs) qsort(runs, n_runs, sizeof *runs, cmp_run);
  /* Per pair: spans by merging runs in order of a0. */
  for (size_t i = 0; i < n_runs;) {
    size_t j = i;
    while (j < n_runs && runs[j].a == runs[i].a && runs[j].b == runs[i].b) j++;
    size_t pair_first = n_spans;
    char *used = calloc(j - i, 1);
    if (!used) goto done;
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
        if (runs[y].a0 < sa1 || runs[y].b0 < sb1 || runs[y].b0 > sb1 + o->max_gap)
          continue;
        used[y - i] = 1;
        sa1 = runs[y].a0 + runs[y].len;
        sb1 = runs[y].b0 + runs[y].len;
        matched += runs[y].len;
      }
      if (matched < t) continue;
      if (gw_dups_grow((void **)&spans, &cap_spans, n_spans + 1, sizeof *spans)) {
        free(used);
        goto done;
      }
      spans[n_spans++] = (span_rec){runs[x].a, runs[x].b, (uint32_t)sa0, (uint32_t)sa1,
                                    (uint32_t)sb0, (uint32_t)sb1, (uint32_t)matched};
    }
    free(used);
    i = j;
    n_spans = pair_first + drop_contained(spans + pair_first, n_spans - pair_first);
  }
  free(runs);
  runs = NULL;
  if (mark_generic(d, spans, n_spans, generic)) goto done;
  /* The characters of a pair's a and b counted so far, by stamps unique to
   * the pair, indexed by character in the document. */
  stamp_of_a = calloc(maxu + 1, sizeof *stamp_of_a);
  stamp_of_b = calloc(maxu + 1, sizeof *stamp_of_b);
  doc_copied = calloc(d->units + 1, sizeof *doc_copied);
  if (!stamp_of_a || !stamp_of_b || !doc_copied) goto done;
  uint32_t stamp = 0;
  for (size_t i = 0; i < n_spans;) {
    size_t j = i;
    while (j < n_spans && spans[j].a == spans[i].a && spans[j].b == spans[i].b) j++;
    uint32_t A = spans[i].a, B = spans[i].b;
    size_t first = d->passages_count;
    size_t copied_a = 0, copied_b = 0;
    uint32_t stamp_a = ++stamp, stamp_b = ++stamp;
    if (GW_DUPS_RESERVE(d->passages, d->passages_count + (j - i))) goto done;
    for (size_t x = i; x < j; x++) {
      const span_rec *sp = &spans[x];
      size_t off_a, gen_a, off_b, gen_b;
      size_t plain_a = count_plain(d, A, sp->a0, sp->a1, &off_a, &gen_a);
      size_t plain_b = count_plain(d, B, sp->b0, sp->b1, &off_b, &gen_b);
      /* A span made (half or more, on either side) of official
       * formulations or generic phrases is not copy evidence; in a copy
       * span those characters are not counted as copied. */
      gw_dups_kind kind = GW_DUPS_COPY;
      if (2 * plain_a < sp->a1 - sp->a0 || 2 * plain_b < sp->b1 - sp->b0)
        kind = off_a + off_b >= gen_a + gen_b ? GW_DUPS_OFFICIAL : GW_DUPS_GENERIC;
      gw_dups_passage *p = &d->passages[d->passages_count++];
      p->kind = kind;
      p->a = make_range(d, A, sp->a0, sp->a1);
      p->b = make_range(d, B, sp->b0, sp->b1);
      p->matched = sp->matched;
      if (kind == GW_DUPS_COPY) {
        copied_a += mark(d, stamp_of_a, stamp_a, A, sp->a0, sp->a1);
        copied_b += mark(d, stamp_of_b, stamp_b, B, sp->b0, sp->b1);
        mark_copied(d, doc_copied, A, sp->a0, sp->a1);
        mark_copied(d, doc_copied, B, sp->b0, sp->b1);
      }
    }
    i = j;
    if (GW_DUPS_RESERVE(d->pairs, d->pairs_count + 1) ||
        gw_dups_grow((void **)&srcs, &cap_srcs, n_srcs + 2, sizeof *srcs))
      goto done;
    gw_dups_pair *pr = &d->pairs[d->pairs_count++];
    pr->a = A;
    pr->b = B;
    pr->copied_a = copied_a;
    pr->copied_b = copied_b;
    size_t ca = d->docs[A].unit_count - d->docs[A].official;
    size_t cb = d->docs[B].unit_count - d->docs[B].official;
    pr->similarity = ca + cb ? (double)(copied_a + copied_b) / (double)(ca + cb) : 0.0;
    pr->passage_first = first;
    pr->passage_count = d->passages_count - first;
    if (copied_a) srcs[n_srcs++] = (source_rec){A, B, copied_a};
    if (copied_b) srcs[n_srcs++] = (source_rec){B, A, copied_b};
  }
  if (d->pairs_count) qsort(d->pairs, d->pairs_count, sizeof *d->pairs, cmp_pair);
  if (n_srcs) qsort(srcs, n_srcs, sizeof *srcs, cmp_source);
  /* Documents. */
  if (GW_DUPS_RESERVE(d->info, N + 1) || GW_DUPS_RESERVE(d->sources, n_srcs + 1))
    goto done;
  size_t s = 0;
  for (size_t i = 0; i < N; i++) {
    gw_dups_document *di = &d->info[i];
    const gw_dups_doc *dd = &d->docs[i];
    di->characters = dd->unit_count;
    di->official = dd->official;
    di->copied = 0;
    for (size_t u = 0; u < dd->unit_count; u++) di->copied += doc_copied[dd->unit_first + u] != 0;
    size_t countable = dd->unit_count - dd->official;
    di->copy_ratio = countable ? (double)di->copied / (double)countable : 0.0;
    di->source_first = d->sources_count;
    for (; s < n_srcs && srcs[s].doc == i; s++) {
      gw_dups_source *src = &d->sources[d->sources_count++];
      src->document = srcs[s].other;
      src->characters = srcs[s].chars;
      src->share = countable ? (double)srcs[s].chars / (double)countable : 0.0;
    }
    di->source_count = d->sources_count - di->source_first;
  }
  d->info_count = N;
  rc = GW_OK;
done:
  free(fps); free(seeds); free(runs); free(hashes); free(stamp_of_a);
  free(stamp_of_b);
  free(doc_copied); free(srcs); free(spans);
  if (rc) return gw_fail(err, rc, "gw_dups: out of memory");
  return GW_OK;
}
