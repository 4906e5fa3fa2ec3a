/*
 * passages.c — copied passages from the spans of runs.c: official and base
 * text set apart; per pair and per document the copied characters, ratios
 * and sources; the copy passages handed to families.c.
 */
#include <stdlib.h>
#include <string.h>

#include "dups_stages.h"

typedef struct source_rec {
  uint32_t doc, other;
  size_t chars;
  size_t pair; /* index of the pair as made */
} source_rec;

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

/* What one task makes of its pairs (indexes inside the chunk: a pair's
 * passage_first, a source's pair, a piece's span and whole). */
typedef struct pair_chunk {
  GW_DUPS_ARRAY(gw_dups_passage, passages);
  GW_DUPS_ARRAY(gw_dups_pair, pairs);
  GW_DUPS_ARRAY(gw_dups_side, sides);  /* whole copy passages */
  GW_DUPS_ARRAY(gw_dups_side, pieces); /* the same cut at paragraphs */
  GW_DUPS_ARRAY(source_rec, srcs);     /* copy sources */
  GW_DUPS_ARRAY(source_rec, base_srcs);
} pair_chunk;

/* A worker's scratch: the characters of a pair's a and b counted so far,
 * by stamps unique to the pair, indexed by character in the document; a
 * span's paragraph cuts. */
typedef struct listed_passage {
  size_t chars;  /* on both sides */
  size_t index;  /* in the chunk's passages */
  int dropped;
} listed_passage;

typedef struct pair_scratch {
  uint32_t *stamp_of_a, *stamp_of_b;
  uint32_t stamp;
  GW_DUPS_ARRAY(uint32_t, cuts);
  GW_DUPS_ARRAY(listed_passage, apart); /* a pair's passages set apart */
} pair_scratch;

/* The work of gw_dups_passages: per document its base characters, copied
 * and template characters; the chunks' results joined: the sides of the
 * copy passages, the sources; per pair kept, whether one of its documents
 * lists the other among its sources. */
typedef struct passage_work {
  gw_dups *d;
  const gw_dups_span *spans;
  size_t *base;                    /* per document */
  size_t *copied, *templ, *self;   /* per document */
  size_t *chunk_first;             /* per chunk its first span; n_chunks + 1 */
  size_t n_chunks;
  pair_chunk *chunks;
  pair_scratch *scratch;           /* per worker */
  size_t workers, longest;         /* characters of the longest document */
  GW_DUPS_ARRAY(gw_dups_side, sides);
  GW_DUPS_ARRAY(gw_dups_side, pieces);
  GW_DUPS_ARRAY(source_rec, srcs);
  GW_DUPS_ARRAY(source_rec, base_srcs);
  uint8_t *keep;                   /* per pair, in the order made */
} passage_work;

static void passage_work_free(passage_work *w) {
  free(w->base); free(w->copied); free(w->templ); free(w->self);
  for (size_t c = 0; w->chunks && c < w->n_chunks; c++) {
    pair_chunk *ch = &w->chunks[c];
    free(ch->passages); free(ch->pairs); free(ch->sides); free(ch->pieces);
    free(ch->srcs); free(ch->base_srcs);
  }
  for (size_t i = 0; w->scratch && i < w->workers; i++) {
    free(w->scratch[i].stamp_of_a); free(w->scratch[i].stamp_of_b); free(w->scratch[i].cuts);
    free(w->scratch[i].apart);
  }
  free(w->chunk_first); free(w->chunks); free(w->scratch);
  free(w->sides); free(w->pieces); free(w->srcs); free(w->base_srcs); free(w->keep);
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
                          pair_scratch *w) {
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
static int cut_at_paragraphs(const gw_dups *d, const gw_dups_span *sp, pair_chunk *out,
                             pair_scratch *w) {
  w->cuts_count = 0;
  if (paragraph_cuts(d, sp->a, sp->a0, sp->a1, w) || paragraph_cuts(d, sp->b, sp->b0, sp->b1, w))
    return GW_ENOMEM;
  if (w->cuts_count > 1) qsort(w->cuts, w->cuts_count, sizeof *w->cuts, cmp_u32);
  size_t la = sp->a1 - sp->a0, lb = sp->b1 - sp->b0, from = 0;
  uint32_t whole = (uint32_t)(out->sides_count / 2);
  for (size_t i = 0; i <= w->cuts_count; i++) {
    size_t to = i < w->cuts_count ? w->cuts[i] : (la > lb ? la : lb);
    if (to <= from) continue;
    size_t a0 = sp->a0 + (from < la ? from : la), a1 = sp->a0 + (to < la ? to : la);
    size_t b0 = sp->b0 + (from < lb ? from : lb), b1 = sp->b0 + (to < lb ? to : lb);
    from = to;
    if (a1 - a0 < d->opts.passage_t || b1 - b0 < d->opts.passage_t) continue;
    if (GW_DUPS_RESERVE(out->pieces, out->pieces_count + 2)) return GW_ENOMEM;
    uint32_t piece = (uint32_t)(out->pieces_count / 2);
    out->pieces[out->pieces_count++] =
        (gw_dups_side){sp->a, (uint32_t)a0, (uint32_t)a1, piece, whole, 0};
    out->pieces[out->pieces_count++] =
        (gw_dups_side){sp->b, (uint32_t)b0, (uint32_t)b1, piece, whole, 0};
  }
  return GW_OK;
}

static int cmp_listed(const void *x, const void *y) {
  const listed_passage *p = x, *q = y;
  if (p->chars != q->chars) return p->chars > q->chars ? -1 : 1;
  return (p->index > q->index) - (p->index < q->index);
}

static int cmp_listed_index(const void *x, const void *y) {
  const listed_passage *p = x, *q = y;
  return (p->index > q->index) - (p->index < q->index);
}

/* Whether any character of [a, b) bears stamp. */
static int stamped(const uint32_t *stamp, uint32_t value, size_t a, size_t b) {
  for (size_t i = a; i < b; i++)
    if (stamp[i] == value) return 1;
  return 0;
}

/* Of the official and base passages [first, out->passages_count) of a
 * pair, one per occurrence: a phrase found three times in both documents
 * makes nine spans, each occurrence matched with every other; they are
 * listed as three, each place of either document in one passage, the
 * longest first (the longest shared stretch says best which occurrences go
 * together).  Copy passages stay as they are (their characters count), and
 * so does the order of the rest.  They count nothing, so nothing else
 * changes. */
static int one_per_occurrence(pair_chunk *out, size_t first, pair_scratch *sc) {
  sc->apart_count = 0;
  for (size_t i = first; i < out->passages_count; i++) {
    const gw_dups_passage *p = &out->passages[i];
    if (p->kind == GW_DUPS_COPY) continue;
    if (GW_DUPS_RESERVE(sc->apart, sc->apart_count + 1)) return GW_ENOMEM;
    sc->apart[sc->apart_count++] = (listed_passage){
        p->a.char_end - p->a.char_start + p->b.char_end - p->b.char_start, i, 0};
  }
  if (sc->apart_count < 2) return GW_OK;
  qsort(sc->apart, sc->apart_count, sizeof *sc->apart, cmp_listed);
  uint32_t stamp_a = ++sc->stamp, stamp_b = ++sc->stamp;
  for (size_t k = 0; k < sc->apart_count; k++) {
    const gw_dups_passage *p = &out->passages[sc->apart[k].index];
    if (stamped(sc->stamp_of_a, stamp_a, p->a.char_start, p->a.char_end) ||
        stamped(sc->stamp_of_b, stamp_b, p->b.char_start, p->b.char_end)) {
      sc->apart[k].dropped = 1;
      continue;
    }
    for (size_t c = p->a.char_start; c < p->a.char_end; c++) sc->stamp_of_a[c] = stamp_a;
    for (size_t c = p->b.char_start; c < p->b.char_end; c++) sc->stamp_of_b[c] = stamp_b;
  }
  qsort(sc->apart, sc->apart_count, sizeof *sc->apart, cmp_listed_index);
  size_t kept = first, k = 0;
  for (size_t i = first; i < out->passages_count; i++) {
    if (k < sc->apart_count && sc->apart[k].index == i && sc->apart[k++].dropped) continue;
    out->passages[kept++] = out->passages[i];
  }
  out->passages_count = kept;
  return GW_OK;
}

/* The passages of the spans [first, end) of one pair (a, b) and the pair
 * itself, its sources and copy sides into out. */
static int pair_passages(const gw_dups *d, const passage_work *w, size_t first, size_t end,
                         pair_chunk *out, pair_scratch *sc) {
  const gw_dups_span *spans = w->spans;
  uint32_t A = spans[first].a, B = spans[first].b;
  int base_a = d->docs[A].is_base, base_b = d->docs[B].is_base;
  size_t passage_first = out->passages_count;
  size_t copied_a = 0, copied_b = 0, based = 0;
  uint32_t stamp_a = ++sc->stamp, stamp_b = ++sc->stamp;
  if (GW_DUPS_RESERVE(out->passages, out->passages_count + (end - first))) return GW_ENOMEM;
  for (size_t x = first; x < end; x++) {
    const gw_dups_span *sp = &spans[x];
    gw_dups_kind kind = base_a || base_b ? GW_DUPS_BASE : span_kind(d, sp);
    gw_dups_passage *p = &out->passages[out->passages_count++];
    p->kind = kind;
    p->a = gw_dups_range_of(d, A, sp->a0, sp->a1);
    p->b = gw_dups_range_of(d, B, sp->b0, sp->b1);
    p->matched = sp->matched;
    if (base_a != base_b) {
      /* What the other document took from the base one. */
      based += base_a ? mark(d, sc->stamp_of_b, stamp_b, B, sp->b0, sp->b1, GW_DUPS_OFFICIAL_FLAG)
                      : mark(d, sc->stamp_of_a, stamp_a, A, sp->a0, sp->a1, GW_DUPS_OFFICIAL_FLAG);
    } else if (kind == GW_DUPS_COPY) {
      unsigned skip = GW_DUPS_OFFICIAL_FLAG | GW_DUPS_BASE_FLAG;
      copied_a += mark(d, sc->stamp_of_a, stamp_a, A, sp->a0, sp->a1, skip);
      copied_b += mark(d, sc->stamp_of_b, stamp_b, B, sp->b0, sp->b1, skip);
      if (GW_DUPS_RESERVE(out->sides, out->sides_count + 2) || cut_at_paragraphs(d, sp, out, sc))
        return GW_ENOMEM;
      out->sides[out->sides_count++] = (gw_dups_side){A, sp->a0, sp->a1, 0, 0, 0};
      out->sides[out->sides_count++] = (gw_dups_side){B, sp->b0, sp->b1, 0, 0, 0};
    }
  }
  if (one_per_occurrence(out, passage_first, sc) ||
      GW_DUPS_RESERVE(out->pairs, out->pairs_count + 1) ||
      GW_DUPS_RESERVE(out->srcs, out->srcs_count + 2) ||
      GW_DUPS_RESERVE(out->base_srcs, out->base_srcs_count + 1))
    return GW_ENOMEM;
  size_t index = out->pairs_count;
  gw_dups_pair *pr = &out->pairs[out->pairs_count++];
  pr->a = A;
  pr->b = B;
  pr->copied_a = copied_a;
  pr->copied_b = copied_b;
  size_t ca = countable(d, w, A), cb = countable(d, w, B);
  pr->similarity = ca + cb ? (double)(copied_a + copied_b) / (double)(ca + cb) : 0.0;
  pr->passage_first = passage_first;
  pr->passage_count = out->passages_count - passage_first;
  if (copied_a) out->srcs[out->srcs_count++] = (source_rec){A, B, copied_a, index};
  if (copied_b) out->srcs[out->srcs_count++] = (source_rec){B, A, copied_b, index};
  if (based)
    out->base_srcs[out->base_srcs_count++] =
        base_a ? (source_rec){B, A, based, index} : (source_rec){A, B, based, index};
  return GW_OK;
}

/* The pairs of chunk c, one after the other. */
static int chunk_passages(void *arg, size_t c, size_t worker) {
  passage_work *w = arg;
  pair_scratch *sc = &w->scratch[worker];
  if (!sc->stamp_of_a) {
    sc->stamp_of_a = calloc(w->longest + 1, sizeof *sc->stamp_of_a);
    sc->stamp_of_b = calloc(w->longest + 1, sizeof *sc->stamp_of_b);
    if (!sc->stamp_of_a || !sc->stamp_of_b) return GW_ENOMEM;
  }
  const gw_dups_span *spans = w->spans;
  size_t end = w->chunk_first[c + 1];
  for (size_t i = w->chunk_first[c]; i < end;) {
    size_t j = i;
    while (j < end && spans[j].a == spans[i].a && spans[j].b == spans[i].b) j++;
    if (pair_passages(w->d, w, i, j, &w->chunks[c], sc)) return GW_ENOMEM;
    i = j;
  }
  return GW_OK;
}

static int same_pair(const void *arg, size_t i) {
  const gw_dups_span *sp = arg;
  return sp[i].a == sp[i - 1].a && sp[i].b == sp[i - 1].b;
}

/* Chunks of the spans, cut between pairs. */
static int cut_chunks(passage_work *w, size_t n_spans, unsigned threads) {
  size_t n = gw_dups_task_count(threads, n_spans);
  w->chunk_first = malloc((n + 1) * sizeof *w->chunk_first);
  w->chunks = calloc(n, sizeof *w->chunks);
  w->workers = gw_dups_workers(threads, n);
  w->scratch = calloc(w->workers, sizeof *w->scratch);
  if (!w->chunk_first || !w->chunks || !w->scratch) return GW_ENOMEM;
  gw_dups_cut(w->chunk_first, n, n_spans, same_pair, w->spans);
  w->n_chunks = n;
  return GW_OK;
}

/* Append n elements of `size` bytes to an array.  0 or GW_ENOMEM. */
static int append(void **array, size_t *count, size_t *cap, const void *from, size_t n,
                  size_t size) {
  if (!n) return GW_OK;
  if (gw_grow(array, cap, *count + n, size)) return GW_ENOMEM;
  memcpy((char *)*array + *count * size, from, n * size);
  *count += n;
  return GW_OK;
}
#define APPEND(to, from, n) \
  append((void **)&(to), &(to##_count), &(to##_cap), (from), (n), sizeof *(to))

/* The chunks' results one after the other, their indexes made global: as
 * one pass over all the pairs makes them. */
static int join_chunks(gw_dups *d, passage_work *w) {
  for (size_t c = 0; c < w->n_chunks; c++) {
    pair_chunk *ch = &w->chunks[c];
    size_t passages = d->passages_count, pairs = d->pairs_count;
    size_t wholes = w->sides_count / 2, pieces = w->pieces_count / 2;
    for (size_t i = 0; i < ch->pairs_count; i++) ch->pairs[i].passage_first += passages;
    for (size_t i = 0; i < ch->srcs_count; i++) ch->srcs[i].pair += pairs;
    for (size_t i = 0; i < ch->base_srcs_count; i++) ch->base_srcs[i].pair += pairs;
    for (size_t i = 0; i < ch->pieces_count; i++) {
      ch->pieces[i].span += (uint32_t)pieces;
      ch->pieces[i].whole += (uint32_t)wholes;
    }
    if (APPEND(d->passages, ch->passages, ch->passages_count) ||
        APPEND(d->pairs, ch->pairs, ch->pairs_count) ||
        APPEND(w->sides, ch->sides, ch->sides_count) ||
        APPEND(w->pieces, ch->pieces, ch->pieces_count) ||
        APPEND(w->srcs, ch->srcs, ch->srcs_count) ||
        APPEND(w->base_srcs, ch->base_srcs, ch->base_srcs_count))
      return GW_ENOMEM;
    free(ch->passages); free(ch->pairs); free(ch->sides); free(ch->pieces);
    free(ch->srcs); free(ch->base_srcs);
    memset(ch, 0, sizeof *ch);
  }
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

/* Whether document y is an earlier report of x's own unit. */
static int earlier_of_unit(const gw_dups *d, uint32_t x, uint32_t y) {
  const gw_dups_doc *dx = &d->docs[x], *dy = &d->docs[y];
  return dx->unit && dx->unit == dy->unit && dy->year > 0 && dx->year > dy->year;
}

/* The characters of each document copied with an earlier report of its
 * own unit (the sides of the copy passages, two by two as made) into
 * w->self. */
static int count_self(const gw_dups *d, passage_work *w) {
  size_t n = 0;
  gw_dups_side *own = malloc((w->sides_count / 2 + 1) * sizeof *own);
  if (!own) return GW_ENOMEM;
  for (size_t i = 0; i + 1 < w->sides_count; i += 2) {
    const gw_dups_side *a = &w->sides[i], *b = &w->sides[i + 1];
    if (earlier_of_unit(d, a->doc, b->doc)) own[n++] = *a;
    else if (earlier_of_unit(d, b->doc, a->doc)) own[n++] = *b;
  }
  int rc = gw_dups_sort_sides(own, n);
  if (!rc) count_union(d, own, n, w->self);
  free(own);
  return rc;
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
    di->self_copied = w->self[i];
    di->self_ratio = count ? (double)di->self_copied / (double)count : 0.0;
    di->year = dd->year;
    di->is_base = dd->is_base;
  }
  d->info_count = d->docs_count;
}

int gw_dups_passages(gw_dups *d, const gw_dups_runs *r) {
  size_t N = d->docs_count;
  unsigned threads = d->opts.threads;
  passage_work w;
  memset(&w, 0, sizeof w);
  w.d = d;
  w.spans = r->spans;
  int rc = GW_ENOMEM;
  for (size_t i = 0; i < N; i++)
    if (d->docs[i].unit_count > w.longest) w.longest = d->docs[i].unit_count;
  w.base = calloc(N + 1, sizeof *w.base);
  w.copied = calloc(N + 1, sizeof *w.copied);
  w.templ = calloc(N + 1, sizeof *w.templ);
  w.self = calloc(N + 1, sizeof *w.self);
  if (!w.base || !w.copied || !w.templ || !w.self) goto done;
  mark_base(d, r, w.base);
  if (cut_chunks(&w, r->n_spans, threads) ||
      gw_dups_parallel(threads, w.n_chunks, chunk_passages, &w) || join_chunks(d, &w))
    goto done;
  /* Families, and the copied and template characters of each document. */
  if (gw_dups_families(d, w.pieces, w.pieces_count)) goto done;
  if (count_self(d, &w)) goto done;
  if (gw_dups_sort_sides(w.sides, w.sides_count)) goto done;
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
