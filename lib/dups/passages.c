/*
 * passages.c — copied passages: seeds from winnowing fingerprints shared by
 * documents (every two of few documents, each with a hub among many), seeds
 * extended into maximal exact runs, runs on one alignment merged across
 * small edit gaps into spans; official and base text set apart; per pair
 * and per document the copied characters, ratios and sources, the copy
 * passages handed to families.c.
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
  size_t pair; /* index of the pair as made */
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


/* Characters of [a, b) of doc neither official nor base; *official and
 * *base count the others. */
static size_t count_plain(const gw_dups *d, uint32_t doc, size_t a, size_t b,
                          size_t *official, size_t *base) {
  const uint8_t *fl = d->docs[doc].flags;
  size_t n = 0;
  *official = *base = 0;
  for (size_t i = a; i < b; i++) {
    if (fl[i] & GW_DUPS_OFFICIAL_FLAG) (*official)++;
    else if (fl[i] & GW_DUPS_BASE_FLAG) (*base)++;
    else n++;
  }
  return n;
}

/* Mark the characters of [a, b) of doc with none of the flags `skip` with
 * stamp (indexed by character in the document); count new ones. */
static size_t mark(const gw_dups *d, uint32_t *stamp, uint32_t value,
                   uint32_t doc, size_t a, size_t b, unsigned skip) {
  const uint8_t *fl = d->docs[doc].flags;
  size_t n = 0;
  for (size_t i = a; i < b; i++) {
    if (fl[i] & skip) continue;
    if (stamp[i] != value) { stamp[i] = value; n++; }
  }
  return n;
}

/* Per document, its plain characters inside any of the sides (sorted by
 * document, then start) into count[doc] (documents without a side keep
 * theirs). */
static void count_union(const gw_dups *d, const gw_dups_side *r, size_t n, size_t *count) {
  for (size_t i = 0; i < n;) {
    uint32_t doc = r[i].doc;
    size_t plain = 0, covered = 0; /* characters before `covered` counted */
    for (; i < n && r[i].doc == doc; i++) {
      size_t a = r[i].a > covered ? r[i].a : covered;
      if (a >= r[i].b) continue;
      size_t official, base;
      plain += count_plain(d, doc, a, r[i].b, &official, &base);
      covered = r[i].b;
    }
    count[doc] = plain;
  }
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

typedef struct seed_list {
  seed *seeds;
  size_t count, cap;
} seed_list;

static int add_seed(seed_list *sl, const gw_dups_fp *x, const gw_dups_fp *y) {
  if (gw_dups_grow((void **)&sl->seeds, &sl->cap, sl->count + 1, sizeof *sl->seeds))
    return GW_ENOMEM;
  if (x->doc > y->doc) { const gw_dups_fp *t = x; x = y; y = t; }
  sl->seeds[sl->count++] = (seed){x->doc, y->doc, x->pos, y->pos};
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
  size_t hub = 0;
  for (size_t u = 0; u < docs; u++)
    if (d->docs[fps[first[u]].doc].is_base) { hub = u; break; }
  for (size_t v = 0; v < docs; v++)
    if (v != hub && seed_occurrences(sl, fps + first[hub], first[hub + 1] - first[hub],
                                     fps + first[v], first[v + 1] - first[v]))
      return GW_ENOMEM;
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
  size_t n_seeds = 0, n_runs = 0, cap_runs = 0;
  memset(out, 0, sizeof *out);
  if (gw_dups_sort(fps, n_fp, sizeof *fps, cmp_fp)) goto done;
  seed_list sl = {NULL, 0, 0};
  size_t *doc_first = NULL, doc_first_cap = 0; /* a group's documents */
  for (size_t i = 0; i < n_fp;) {
    size_t j = i + 1, docs = 1;
    while (j < n_fp && fps[j].hash == fps[i].hash) {
      if (fps[j].doc != fps[j - 1].doc) docs++;
      j++;
    }
    if (docs >= 2) {
      if (gw_dups_grow((void **)&doc_first, &doc_first_cap, docs + 1, sizeof *doc_first)) {
        free(sl.seeds);
        goto done;
      }
      size_t n = 0;
      for (size_t x = i; x < j; x++)
        if (x == i || fps[x].doc != fps[x - 1].doc) doc_first[n++] = x;
      doc_first[n] = j;
      if (seed_group(d, fps, doc_first, docs, &sl)) {
        free(sl.seeds);
        free(doc_first);
        goto done;
      }
    }
    i = j;
  }
  free(doc_first);
  seeds = sl.seeds;
  n_seeds = sl.count;
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
    if (n_spans > pair_first) /* spans is still NULL while none was kept */
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
  free(r->para_pairs.pair);
  memset(r, 0, sizeof *r);
}

/* The work of gw_dups_passages: per document its base characters, the
 * sides of its copy passages; per pair kept, whether one of its documents
 * lists the other among its sources. */
typedef struct passage_work {
  size_t *base;                    /* per document */
  size_t *copied, *templ;          /* per document */
  GW_DUPS_ARRAY(gw_dups_side, sides);  /* whole copy passages */
  GW_DUPS_ARRAY(gw_dups_side, pieces); /* the same cut at paragraphs */
  GW_DUPS_ARRAY(uint32_t, cuts);
  GW_DUPS_ARRAY(source_rec, srcs);     /* copy sources */
  GW_DUPS_ARRAY(source_rec, base_srcs);
  uint32_t *stamp_of_a, *stamp_of_b;
  uint32_t stamp;
  uint8_t *keep;                   /* per pair, in the order made */
} passage_work;

static void passage_work_free(passage_work *w) {
  free(w->base); free(w->copied); free(w->templ);
  free(w->sides); free(w->pieces); free(w->cuts); free(w->srcs); free(w->base_srcs);
  free(w->stamp_of_a); free(w->stamp_of_b); free(w->keep);
}

/* Flag as base every character, not official, of another document that a
 * span shares with a base document (spans between two base documents
 * flag nothing), and count them per document. */
static void mark_base(gw_dups *d, const gw_dups_runs *r, size_t *base) {
  int any = 0;
  for (size_t i = 0; i < d->docs_count && !any; i++) any = d->docs[i].is_base;
  for (size_t i = 0; i < d->docs_count; i++) {
    uint8_t *fl = d->docs[i].flags;
    base[i] = 0;
    for (size_t u = 0; u < d->docs[i].unit_count; u++) fl[u] &= (uint8_t)~GW_DUPS_BASE_FLAG;
  }
  if (!any) return;
  for (size_t s = 0; s < r->n_spans; s++) {
    const gw_dups_span *sp = &r->spans[s];
    int base_a = d->docs[sp->a].is_base, base_b = d->docs[sp->b].is_base;
    if (base_a == base_b) continue;
    uint32_t doc = base_a ? sp->b : sp->a;
    size_t a0 = base_a ? sp->b0 : sp->a0, a1 = base_a ? sp->b1 : sp->a1;
    uint8_t *fl = d->docs[doc].flags;
    for (size_t u = a0; u < a1; u++)
      if (!(fl[u] & (GW_DUPS_OFFICIAL_FLAG | GW_DUPS_BASE_FLAG))) {
        fl[u] |= GW_DUPS_BASE_FLAG;
        base[doc]++;
      }
  }
}

static size_t countable(const gw_dups *d, const passage_work *w, uint32_t doc) {
  return d->docs[doc].unit_count - d->docs[doc].official - w->base[doc];
}

/* The kind of a span of a pair of documents neither of which is base. */
static gw_dups_kind span_kind(const gw_dups *d, const gw_dups_span *sp) {
  size_t off_a, base_a, off_b, base_b;
  size_t plain_a = count_plain(d, sp->a, sp->a0, sp->a1, &off_a, &base_a);
  size_t plain_b = count_plain(d, sp->b, sp->b0, sp->b1, &off_b, &base_b);
  /* A span made (half or more, on either side) of official formulations or
   * base text is not copy evidence; in a copy span those characters are
   * not counted as copied. */
  if (2 * plain_a < sp->a1 - sp->a0 || 2 * plain_b < sp->b1 - sp->b0)
    return off_a + off_b >= base_a + base_b ? GW_DUPS_OFFICIAL : GW_DUPS_BASE;
  return GW_DUPS_COPY;
}

/* The offsets from `start` of the paragraph starts of doc inside
 * (start, end), appended to w->cuts. */
static int paragraph_cuts(const gw_dups *d, uint32_t doc, size_t start, size_t end,
                          passage_work *w) {
  const gw_dups_doc *dd = &d->docs[doc];
  size_t last = dd->para_first + dd->para_count;
  for (size_t p = gw_dups_paragraph_at(d, doc, start); p < last; p++) {
    size_t at = d->paras[p].unit_first - dd->unit_first;
    if (at >= end) break;
    if (at <= start) continue;
    if (GW_DUPS_RESERVE(w->cuts, w->cuts_count + 1)) return GW_ENOMEM;
    w->cuts[w->cuts_count++] = (uint32_t)(at - start);
  }
  return GW_OK;
}

static int cmp_u32(const void *x, const void *y) {
  uint32_t p = *(const uint32_t *)x, q = *(const uint32_t *)y;
  return (p > q) - (p < q);
}

/* A copy span cut where a paragraph starts in either document, as pairs of
 * sides for the families (pieces of fewer than passage_t characters
 * dropped): a passage running over two paragraphs that two documents both
 * copied would otherwise join the family of each paragraph into one. */
static int cut_at_paragraphs(const gw_dups *d, const gw_dups_span *sp, passage_work *w) {
  w->cuts_count = 0;
  if (paragraph_cuts(d, sp->a, sp->a0, sp->a1, w) || paragraph_cuts(d, sp->b, sp->b0, sp->b1, w))
    return GW_ENOMEM;
  if (w->cuts_count > 1) qsort(w->cuts, w->cuts_count, sizeof *w->cuts, cmp_u32);
  size_t la = sp->a1 - sp->a0, lb = sp->b1 - sp->b0, from = 0;
  uint32_t whole = (uint32_t)(w->sides_count / 2);
  for (size_t i = 0; i <= w->cuts_count; i++) {
    size_t to = i < w->cuts_count ? w->cuts[i] : (la > lb ? la : lb);
    if (to <= from) continue;
    size_t a0 = sp->a0 + (from < la ? from : la), a1 = sp->a0 + (to < la ? to : la);
    size_t b0 = sp->b0 + (from < lb ? from : lb), b1 = sp->b0 + (to < lb ? to : lb);
    from = to;
    if (a1 - a0 < d->opts.passage_t || b1 - b0 < d->opts.passage_t) continue;
    if (GW_DUPS_RESERVE(w->pieces, w->pieces_count + 2)) return GW_ENOMEM;
    uint32_t piece = (uint32_t)(w->pieces_count / 2);
    w->pieces[w->pieces_count++] =
        (gw_dups_side){sp->a, (uint32_t)a0, (uint32_t)a1, piece, whole, 0};
    w->pieces[w->pieces_count++] =
        (gw_dups_side){sp->b, (uint32_t)b0, (uint32_t)b1, piece, whole, 0};
  }
  return GW_OK;
}

/* The passages of the spans [first, end) of one pair (a, b) and the pair
 * itself, its sources and copy sides into w. */
static int pair_passages(gw_dups *d, const gw_dups_span *spans, size_t first, size_t end,
                         passage_work *w) {
  uint32_t A = spans[first].a, B = spans[first].b;
  int base_a = d->docs[A].is_base, base_b = d->docs[B].is_base;
  size_t passage_first = d->passages_count;
  size_t copied_a = 0, copied_b = 0, based = 0;
  uint32_t stamp_a = ++w->stamp, stamp_b = ++w->stamp;
  if (GW_DUPS_RESERVE(d->passages, d->passages_count + (end - first))) return GW_ENOMEM;
  for (size_t x = first; x < end; x++) {
    const gw_dups_span *sp = &spans[x];
    gw_dups_kind kind = base_a || base_b ? GW_DUPS_BASE : span_kind(d, sp);
    gw_dups_passage *p = &d->passages[d->passages_count++];
    p->kind = kind;
    p->a = gw_dups_range_of(d, A, sp->a0, sp->a1);
    p->b = gw_dups_range_of(d, B, sp->b0, sp->b1);
    p->matched = sp->matched;
    if (base_a != base_b) {
      /* What the other document took from the base one. */
      based += base_a ? mark(d, w->stamp_of_b, stamp_b, B, sp->b0, sp->b1, GW_DUPS_OFFICIAL_FLAG)
                      : mark(d, w->stamp_of_a, stamp_a, A, sp->a0, sp->a1, GW_DUPS_OFFICIAL_FLAG);
    } else if (kind == GW_DUPS_COPY) {
      unsigned skip = GW_DUPS_OFFICIAL_FLAG | GW_DUPS_BASE_FLAG;
      copied_a += mark(d, w->stamp_of_a, stamp_a, A, sp->a0, sp->a1, skip);
      copied_b += mark(d, w->stamp_of_b, stamp_b, B, sp->b0, sp->b1, skip);
      if (GW_DUPS_RESERVE(w->sides, w->sides_count + 2) || cut_at_paragraphs(d, sp, w))
        return GW_ENOMEM;
      w->sides[w->sides_count++] = (gw_dups_side){A, sp->a0, sp->a1, 0, 0, 0};
      w->sides[w->sides_count++] = (gw_dups_side){B, sp->b0, sp->b1, 0, 0, 0};
    }
  }
  if (GW_DUPS_RESERVE(d->pairs, d->pairs_count + 1) ||
      GW_DUPS_RESERVE(w->srcs, w->srcs_count + 2) ||
      GW_DUPS_RESERVE(w->base_srcs, w->base_srcs_count + 1))
    return GW_ENOMEM;
  size_t index = d->pairs_count;
  gw_dups_pair *pr = &d->pairs[d->pairs_count++];
  pr->a = A;
  pr->b = B;
  pr->copied_a = copied_a;
  pr->copied_b = copied_b;
  size_t ca = countable(d, w, A), cb = countable(d, w, B);
  pr->similarity = ca + cb ? (double)(copied_a + copied_b) / (double)(ca + cb) : 0.0;
  pr->passage_first = passage_first;
  pr->passage_count = d->passages_count - passage_first;
  if (copied_a) w->srcs[w->srcs_count++] = (source_rec){A, B, copied_a, index};
  if (copied_b) w->srcs[w->srcs_count++] = (source_rec){B, A, copied_b, index};
  if (based)
    w->base_srcs[w->base_srcs_count++] =
        base_a ? (source_rec){B, A, based, index} : (source_rec){A, B, based, index};
  return GW_OK;
}

/* The sources recs (sorted) into the handle's sources, at most `most` per
 * document (0: all) for copy sources; their pairs marked kept.  first and
 * count per document into the info records (copy: source_*; base:
 * base_source_*), total the number before the cut. */
static int list_sources(gw_dups *d, const source_rec *srcs, size_t n, size_t most,
                        int base, passage_work *w) {
  size_t s = 0;
  for (size_t i = 0; i < d->docs_count; i++) {
    gw_dups_document *di = &d->info[i];
    size_t first = d->sources_count, total = 0;
    /* A base source's share is of the text that is not official: the
     * countable characters leave out the base text it is made of. */
    double count = (double)countable(d, w, (uint32_t)i) + (base ? (double)w->base[i] : 0.0);
    for (; s < n && srcs[s].doc == i; s++, total++) {
      if (most && total >= most) continue;
      if (GW_DUPS_RESERVE(d->sources, d->sources_count + 1)) return GW_ENOMEM;
      gw_dups_source *src = &d->sources[d->sources_count++];
      src->document = srcs[s].other;
      src->characters = srcs[s].chars;
      src->share = count > 0 ? (double)srcs[s].chars / count : 0.0;
      if (!base) w->keep[srcs[s].pair] = 1;
    }
    if (base) {
      di->base_source_first = first;
      di->base_source_count = d->sources_count - first;
    } else {
      di->source_first = first;
      di->source_count = d->sources_count - first;
      di->source_total = total;
    }
  }
  return GW_OK;
}

/* Only the pairs kept, by copied characters descending. */
static void keep_pairs(gw_dups *d, const passage_work *w) {
  size_t kept = 0;
  for (size_t i = 0; i < d->pairs_count; i++)
    if (d->opts.all_pairs || w->keep[i]) d->pairs[kept++] = d->pairs[i];
  d->pairs_count = kept;
  if (kept) qsort(d->pairs, kept, sizeof *d->pairs, cmp_pair);
}

static void fill_info(gw_dups *d, const passage_work *w) {
  for (size_t i = 0; i < d->docs_count; i++) {
    gw_dups_document *di = &d->info[i];
    const gw_dups_doc *dd = &d->docs[i];
    size_t count = countable(d, w, (uint32_t)i);
    di->characters = dd->unit_count;
    di->official = dd->official;
    di->base = w->base[i];
    di->copied = w->copied[i];
    di->template_copied = w->templ[i];
    di->copy_ratio = count ? (double)di->copied / (double)count : 0.0;
    di->template_ratio = count ? (double)di->template_copied / (double)count : 0.0;
    di->few_ratio = count ? (double)(di->copied - di->template_copied) / (double)count : 0.0;
    di->year = dd->year;
    di->is_base = dd->is_base;
  }
  d->info_count = d->docs_count;
}

int gw_dups_passages(gw_dups *d, const gw_dups_runs *r) {
  size_t N = d->docs_count, maxu = 1;
  const gw_dups_span *spans = r->spans;
  size_t n_spans = r->n_spans;
  passage_work w;
  memset(&w, 0, sizeof w);
  int rc = GW_ENOMEM;
  for (size_t i = 0; i < N; i++)
    if (d->docs[i].unit_count > maxu) maxu = d->docs[i].unit_count;
  w.base = calloc(N + 1, sizeof *w.base);
  w.copied = calloc(N + 1, sizeof *w.copied);
  w.templ = calloc(N + 1, sizeof *w.templ);
  /* The characters of a pair's a and b counted so far, by stamps unique to
   * the pair, indexed by character in the document. */
  w.stamp_of_a = calloc(maxu + 1, sizeof *w.stamp_of_a);
  w.stamp_of_b = calloc(maxu + 1, sizeof *w.stamp_of_b);
  if (!w.base || !w.copied || !w.templ || !w.stamp_of_a || !w.stamp_of_b) goto done;
  mark_base(d, r, w.base);
  for (size_t i = 0; i < n_spans;) {
    size_t j = i;
    while (j < n_spans && spans[j].a == spans[i].a && spans[j].b == spans[i].b) j++;
    if (pair_passages(d, spans, i, j, &w)) goto done;
    i = j;
  }
  /* Families, and the copied and template characters of each document. */
  if (gw_dups_families(d, w.pieces, w.pieces_count)) goto done;
  if (w.sides_count) qsort(w.sides, w.sides_count, sizeof *w.sides, gw_dups_cmp_side);
  count_union(d, w.sides, w.sides_count, w.copied);
  size_t n_templ = 0;
  for (size_t i = 0; i < w.pieces_count; i++)
    if (w.pieces[i].documents >= d->opts.template_min) w.pieces[n_templ++] = w.pieces[i];
  count_union(d, w.pieces, n_templ, w.templ);
  /* Sources, then the pairs they keep. */
  w.keep = calloc(d->pairs_count + 1, 1);
  if (!w.keep || GW_DUPS_RESERVE(d->info, N + 1)) goto done;
  if (w.srcs_count) qsort(w.srcs, w.srcs_count, sizeof *w.srcs, cmp_source);
  if (w.base_srcs_count) qsort(w.base_srcs, w.base_srcs_count, sizeof *w.base_srcs, cmp_source);
  if (list_sources(d, w.srcs, w.srcs_count, d->opts.max_sources, 0, &w) ||
      list_sources(d, w.base_srcs, w.base_srcs_count, 0, 1, &w))
    goto done;
  keep_pairs(d, &w);
  fill_info(d, &w);
  rc = GW_OK;
done:
  passage_work_free(&w);
  return rc;
}
