/*
 * passages.c — copied passages: seeds from winnowing fingerprints shared by
 * two documents (not by most of the corpus), seeds extended into maximal
 * exact runs, runs on one alignment merged across small edit gaps into
 * spans, official spans set apart, and per pair and per document the
 * copied characters, ratios and sources.
 */
#include <stdlib.h>
#include <string.h>

#include "dups_stages.h"

typedef struct seed {
  uint32_t a, b, pa, pb;
} seed;

typedef struct run {
  uint32_t a, b, a0, b0, len;
} run;

struct gw_dups_span {
  uint32_t a, b, a0, a1, b0, b1, matched;
};

typedef struct source_rec {
  uint32_t doc, other;
  size_t chars;
} source_rec;

static int cmp_fp(const void *x, const void *y) {
  const gw_dups_fp *p = x, *q = y;
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


/* Groups of one fingerprint larger than this are treated as generic. */
#define MAX_GROUP 256

/* Characters of [a, b) of doc neither official nor generic; *official and
 * *generic count the others. */
static size_t count_plain(const gw_dups *d, uint32_t doc, size_t a, size_t b,
                          size_t *official, size_t *generic) {
  const uint8_t *fl = d->docs[doc].flags;
  size_t n = 0;
  *official = *generic = 0;
  for (size_t i = a; i < b; i++) {
    if (fl[i] & GW_DUPS_OFFICIAL_FLAG) (*official)++;
    else if (fl[i] & GW_DUPS_GENERIC_FLAG) (*generic)++;
    else n++;
  }
  return n;
}

/* The documents that make a fingerprint or a k-gram generic. */
static size_t generic_documents(const gw_dups *d) {
  const gw_dups_options *o = &d->opts;
  double share = o->generic_fraction * (double)d->docs_count;
  size_t generic = (size_t)share;
  if ((double)generic < share) generic++;
  if (generic < o->generic_min_documents) generic = o->generic_min_documents;
  return generic;
}

static int cmp_u64(const void *x, const void *y) {
  uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;
  return (p > q) - (p < q);
}

/* The distinct k-grams of the spans and in how many documents each occurs:
 * an open-addressing table of indexes into the sorted hashes (which are
 * well mixed: their low bits place them, their high bits feed a bit filter
 * that answers most of the corpus's k-grams from the cache). */
struct gw_dups_grams {
  uint64_t *hash;     /* sorted, distinct */
  uint32_t *docs[2];  /* documents containing it, counted by two tasks
                       * over the documents before and after `split` */
  uint32_t *last[2];  /* the document counted last, plus one */
  uint32_t *slot;     /* index + 1, or 0 for empty */
  uint64_t *filter;
  size_t count, mask, filter_bits, split;
};

static void grams_free(gw_dups_grams *g) {
  if (!g) return;
  free(g->hash); free(g->slot); free(g->filter);
  for (int part = 0; part < 2; part++) { free(g->docs[part]); free(g->last[part]); }
  free(g);
}

/* Index of h in g, or SIZE_MAX. */
static size_t span_grams_find(const gw_dups_grams *g, uint64_t h) {
  size_t bit = (size_t)(h >> 40) & (g->filter_bits - 1);
  if (!(g->filter[bit / 64] >> (bit % 64) & 1)) return SIZE_MAX;
  for (size_t i = (size_t)h & g->mask; g->slot[i]; i = (i + 1) & g->mask)
    if (g->hash[g->slot[i] - 1] == h) return g->slot[i] - 1;
  return SIZE_MAX;
}

/* The k-gram hashes of [a, b) of doc into out; how many. */
static size_t span_kgrams(const gw_dups *d, uint32_t doc, size_t a, size_t b,
                          uint64_t *out) {
  size_t k = d->opts.passage_k;
  if (b - a < k) return 0;
  gw_dups_kgrams(d->docs[doc].cp + a, b - a, k,
                 d->opts.seed ^ 0x5bd1e995ull, out);
  return b - a - k + 1;
}

static int span_grams_build(const gw_dups *d, const gw_dups_span *spans,
                            size_t n_spans, gw_dups_grams *g) {
  size_t total = 0;
  for (size_t s = 0; s < n_spans; s++)
    total += (spans[s].a1 - spans[s].a0) + (spans[s].b1 - spans[s].b0);
  g->hash = gw_dups_alloc((total + 1) * sizeof *g->hash, 0);
  if (!g->hash) return GW_ENOMEM;
  size_t n = 0;
  for (size_t s = 0; s < n_spans; s++) {
    n += span_kgrams(d, spans[s].a, spans[s].a0, spans[s].a1, g->hash + n);
    n += span_kgrams(d, spans[s].b, spans[s].b0, spans[s].b1, g->hash + n);
  }
  if (gw_dups_sort(g->hash, n, sizeof *g->hash, cmp_u64)) return GW_ENOMEM;
  size_t distinct = 0;
  for (size_t i = 0; i < n; i++)
    if (i == 0 || g->hash[i] != g->hash[distinct - 1]) g->hash[distinct++] = g->hash[i];
  g->count = distinct;
  if (distinct >= UINT32_MAX) return GW_ENOMEM; /* indexes are 32-bit */
  size_t cap = 64;
  while (cap < 2 * distinct) cap *= 2;
  g->mask = cap - 1;
  g->filter_bits = cap * 8; /* sixteen bits per k-gram */
  for (int part = 0; part < 2; part++) {
    g->docs[part] = gw_dups_alloc((distinct + 1) * sizeof *g->docs[part], 1);
    g->last[part] = gw_dups_alloc((distinct + 1) * sizeof *g->last[part], 1);
    if (!g->docs[part] || !g->last[part]) return GW_ENOMEM;
  }
  g->slot = gw_dups_alloc(cap * sizeof *g->slot, 1);
  g->filter = gw_dups_alloc(g->filter_bits / 64 * sizeof *g->filter, 1);
  if (!g->slot || !g->filter) return GW_ENOMEM;
  for (size_t i = 0; i < distinct; i++) {
    uint64_t h = g->hash[i];
    size_t bit = (size_t)(h >> 40) & (g->filter_bits - 1);
    g->filter[bit / 64] |= 1ull << (bit % 64);
    size_t j = (size_t)h & g->mask;
    while (g->slot[j]) j = (j + 1) & g->mask;
    g->slot[j] = (uint32_t)(i + 1);
  }
  return GW_OK;
}

int gw_dups_generic_prepare(gw_dups *d, gw_dups_runs *r) {
  for (size_t i = 0; i < d->docs_count; i++) {
    uint8_t *fl = d->docs[i].flags;
    for (size_t u = 0; u < d->docs[i].unit_count; u++) fl[u] &= (uint8_t)~GW_DUPS_GENERIC_FLAG;
  }
  if (generic_documents(d) > d->docs_count || !r->n_spans) return GW_OK;
  r->grams = calloc(1, sizeof *r->grams);
  if (!r->grams || span_grams_build(d, r->spans, r->n_spans, r->grams)) return GW_ENOMEM;
  /* The two counting tasks take half the characters each. */
  size_t units = 0, half = 0, split = 0;
  for (size_t i = 0; i < d->docs_count; i++) units += d->docs[i].unit_count;
  while (split < d->docs_count && 2 * half < units) half += d->docs[split++].unit_count;
  r->grams->split = split;
  return GW_OK;
}

int gw_dups_generic_count(const gw_dups *d, gw_dups_runs *r, int part) {
  gw_dups_grams *g = r->grams;
  if (!g) return GW_OK;
  size_t first = part ? g->split : 0, end = part ? d->docs_count : g->split, maxu = 1;
  for (size_t i = first; i < end; i++)
    if (d->docs[i].unit_count > maxu) maxu = d->docs[i].unit_count;
  uint64_t *hb = malloc(maxu * sizeof *hb);
  if (!hb) return GW_ENOMEM;
  uint32_t *docs = g->docs[part], *last = g->last[part];
  for (size_t doc = first; doc < end; doc++) {
    size_t n = span_kgrams(d, (uint32_t)doc, 0, d->docs[doc].unit_count, hb);
    for (size_t i = 0; i < n; i++) {
      size_t x = span_grams_find(g, hb[i]);
      if (x == SIZE_MAX || last[x] == doc + 1) continue;
      docs[x]++;
      last[x] = (uint32_t)(doc + 1);
    }
  }
  free(hb);
  return GW_OK;
}

/* Mark as generic every character, inside a span, of a passage_k-gram that
 * occurs in at least `generic` documents of the corpus (as counted by
 * gw_dups_generic_count). */
static int mark_generic(gw_dups *d, const gw_dups_runs *r, size_t generic) {
  const gw_dups_grams *g = r->grams;
  if (!g) return GW_OK;
  size_t maxu = 1;
  for (size_t s = 0; s < r->n_spans; s++) {
    if (r->spans[s].a1 - r->spans[s].a0 > maxu) maxu = r->spans[s].a1 - r->spans[s].a0;
    if (r->spans[s].b1 - r->spans[s].b0 > maxu) maxu = r->spans[s].b1 - r->spans[s].b0;
  }
  uint64_t *hb = malloc(maxu * sizeof *hb);
  if (!hb) return GW_ENOMEM;
  for (size_t s = 0; s < r->n_spans; s++)
    for (int side = 0; side < 2; side++) {
      const gw_dups_span *sp = &r->spans[s];
      uint32_t doc = side ? sp->b : sp->a;
      size_t a = side ? sp->b0 : sp->a0, b = side ? sp->b1 : sp->a1;
      uint8_t *fl = d->docs[doc].flags;
      size_t n = span_kgrams(d, doc, a, b, hb);
      for (size_t i = 0; i < n; i++) {
        size_t x = span_grams_find(g, hb[i]);
        if (x == SIZE_MAX || (size_t)g->docs[0][x] + g->docs[1][x] < generic) continue;
        for (size_t u = a + i; u < a + i + d->opts.passage_k; u++)
          fl[u] |= GW_DUPS_GENERIC_FLAG;
      }
    }
  free(hb);
  return GW_OK;
}

static gw_dups_range make_range(const gw_dups *d, uint32_t doc, size_t a,
                                size_t b) {
  const gw_dups_doc *dd = &d->docs[doc];
  gw_dups_range r;
  uint32_t start, end;
  gw_dups_char_bytes(dd, a, &start, &end);
  r.start = start;
  gw_dups_char_bytes(dd, b - 1, &start, &end);
  r.end = end;
  r.char_start = a;
  r.char_end = b;
  return r;
}

/* Mark the plain (neither official nor generic) characters of [a, b) of doc
 * with stamp (indexed by character in the document); count new ones. */
static size_t mark(const gw_dups *d, uint32_t *stamp, uint32_t value,
                   uint32_t doc, size_t a, size_t b) {
  const uint8_t *fl = d->docs[doc].flags;
  size_t n = 0;
  for (size_t i = a; i < b; i++) {
    if (fl[i] & (GW_DUPS_OFFICIAL_FLAG | GW_DUPS_GENERIC_FLAG)) continue;
    if (stamp[i] != value) { stamp[i] = value; n++; }
  }
  return n;
}

/* A document's characters [a, b) in a copy passage. */
typedef struct copied_range {
  uint32_t doc, a, b;
} copied_range;

static int cmp_copied(const void *x, const void *y) {
  const copied_range *p = x, *q = y;
  if (p->doc != q->doc) return p->doc < q->doc ? -1 : 1;
  if (p->a != q->a) return p->a < q->a ? -1 : 1;
  return (p->b > q->b) - (p->b < q->b);
}

/* Each document's plain characters inside any of the ranges (sorted), into
 * info[doc].copied. */
static void count_copied(gw_dups *d, const copied_range *r, size_t n) {
  for (size_t i = 0; i < n;) {
    uint32_t doc = r[i].doc;
    size_t copied = 0, covered = 0; /* characters before `covered` counted */
    for (; i < n && r[i].doc == doc; i++) {
      size_t a = r[i].a > covered ? r[i].a : covered;
      if (a >= r[i].b) continue;
      size_t official, generic;
      copied += count_plain(d, doc, a, r[i].b, &official, &generic);
      covered = r[i].b;
    }
    d->info[doc].copied = copied;
  }
}

/* The first paragraph of doc ending after character pos (document
 * characters), or the document's paragraph end. */
static size_t paragraph_at(const gw_dups *d, uint32_t doc, size_t pos) {
  const gw_dups_doc *dd = &d->docs[doc];
  uint64_t u = dd->unit_first + pos;
  size_t lo = dd->para_first, hi = dd->para_first + dd->para_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->paras[mid].unit_first + d->paras[mid].unit_count <= u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
    size_t pa = paragraph_at(d, r->a, r->a0 + off), pb = paragraph_at(d, r->b, r->b0 + off);
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

int gw_dups_find_runs(gw_dups *d, gw_dups_runs *out) {
  const gw_dups_options *o = &d->opts;
  size_t k = o->passage_k, t = o->passage_t;
  int rc = GW_ENOMEM;
  gw_dups_fp *fps = d->fps;
  size_t n_fp = d->fps_count;
  seed *seeds = NULL;
  run *runs = NULL;
  gw_dups_span *spans = NULL;
  size_t n_spans = 0, cap_spans = 0;
  size_t n_seeds = 0, cap_seeds = 0, n_runs = 0, cap_runs = 0;
  memset(out, 0, sizeof *out);
  if (gw_dups_sort(fps, n_fp, sizeof *fps, cmp_fp)) goto done;
  size_t generic = generic_documents(d);
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
  if (n_seeds) qsort(seeds, n_seeds, sizeof *seeds, cmp_seed);
  /* Seeds → maximal exact runs, one per stretch of a diagonal. */
  for (size_t i = 0; i < n_seeds; i++) {
    const seed *s = &seeds[i];
    if (n_runs && runs[n_runs - 1].a == s->a && runs[n_runs - 1].b == s->b &&
        (int64_t)runs[n_runs - 1].a0 - runs[n_runs - 1].b0 == (int64_t)s->pa - s->pb &&
        s->pa < runs[n_runs - 1].a0 + runs[n_runs - 1].len)
      continue;
    const uint32_t *ca = d->docs[s->a].cp;
    const uint32_t *cb = d->docs[s->b].cp;
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
  for (size_t i = 0; i < n_runs; i++)
    if (run_paragraphs(d, &runs[i], &out->para_pairs)) goto done;
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
      spans[n_spans++] = (gw_dups_span){runs[x].a, runs[x].b, (uint32_t)sa0, (uint32_t)sa1,
                                    (uint32_t)sb0, (uint32_t)sb1, (uint32_t)matched};
    }
    free(used);
    i = j;
    n_spans = pair_first + drop_contained(spans + pair_first, n_spans - pair_first);
  }
  free(runs);
  runs = NULL;
  out->spans = spans;
  out->n_spans = n_spans;
  spans = NULL;
  rc = GW_OK;
done:
  free(seeds); free(runs); free(spans);
  return rc;
}

void gw_dups_runs_free(gw_dups_runs *r) {
  free(r->spans);
  grams_free(r->grams);
  free(r->para_pairs.pair);
  memset(r, 0, sizeof *r);
}

int gw_dups_passages(gw_dups *d, gw_dups_runs *r) {
  size_t N = d->docs_count;
  int rc = GW_ENOMEM;
  const gw_dups_span *spans = r->spans;
  size_t n_spans = r->n_spans;
  uint32_t *stamp_of_a = NULL, *stamp_of_b = NULL;
  copied_range *copied = NULL;
  size_t n_copied = 0, cap_copied = 0;
  source_rec *srcs = NULL;
  size_t n_srcs = 0, cap_srcs = 0;
  size_t maxu = 1;
  for (size_t i = 0; i < N; i++)
    if (d->docs[i].unit_count > maxu) maxu = d->docs[i].unit_count;
  if (mark_generic(d, r, generic_documents(d))) goto done;
  /* The characters of a pair's a and b counted so far, by stamps unique to
   * the pair, indexed by character in the document. */
  stamp_of_a = calloc(maxu + 1, sizeof *stamp_of_a);
  stamp_of_b = calloc(maxu + 1, sizeof *stamp_of_b);
  if (!stamp_of_a || !stamp_of_b) goto done;
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
      const gw_dups_span *sp = &spans[x];
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
        if (gw_dups_grow((void **)&copied, &cap_copied, n_copied + 2, sizeof *copied))
          goto done;
        copied[n_copied++] = (copied_range){A, sp->a0, sp->a1};
        copied[n_copied++] = (copied_range){B, sp->b0, sp->b1};
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
  for (size_t i = 0; i < N; i++) d->info[i].copied = 0;
  if (n_copied) qsort(copied, n_copied, sizeof *copied, cmp_copied);
  count_copied(d, copied, n_copied);
  size_t s = 0;
  for (size_t i = 0; i < N; i++) {
    gw_dups_document *di = &d->info[i];
    const gw_dups_doc *dd = &d->docs[i];
    di->characters = dd->unit_count;
    di->official = dd->official;
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
  free(stamp_of_a); free(stamp_of_b); free(copied); free(srcs);
  return rc;
}
