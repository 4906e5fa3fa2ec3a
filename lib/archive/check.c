/*
 * check.c — a batch against the archive.  The batch's fingerprints and band
 * keys (computed by gw_dups as for any document, once) are looked up in
 * every segment's sorted arrays.  A fingerprint's first holders are
 * candidates; a band key's holders are verified exactly against the batch
 * paragraph from their stored prepared documents first.  The candidates'
 * prepared documents run through gw_dups with the batch's, so a batch
 * document's results are those of gw_dups over archive and batch together,
 * without reading, normalizing or sketching any archive document again.
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "archive_handle.h"
#include "dups_store.h" /* gw_dups_sort */
#include "reads.h"

typedef struct item {
  const gw_document *doc;
  gw_range *official;
  size_t n_official;
  gw_archive_entry entry;
  int is_base;
} item;

struct gw_archive_check {
  const gw_archive *a;
  gw_dups_options dups;
  gw_document_options document;
  const gw_terms *terms;
  gw_dups *probe;        /* the batch alone: its fingerprints and keys */
  gw_dups *d;            /* base, candidates, batch: the results */
  item *items;
  size_t count, cap;
  size_t *candidates;    /* archive indexes, ascending */
  size_t n_candidates, n_base;
  gw_archive_entry *entries; /* per result document */
  gw_archive_document *archived; /* per candidate */
  char **owned;          /* per candidate: its entry's strings */
};

static void free_candidates(gw_archive_check *c) {
  for (size_t k = 0; c->owned && k < c->n_candidates; k++) free(c->owned[k]);
  free(c->owned);
  free(c->candidates);
  free(c->entries);
  free(c->archived);
  c->owned = NULL;
  c->candidates = NULL;
  c->entries = NULL;
  c->archived = NULL;
  c->n_candidates = c->n_base = 0;
}

void gw_archive_check_free(gw_archive_check *c) {
  if (!c) return;
  for (size_t i = 0; i < c->count; i++) free(c->items[i].official);
  free(c->items);
  free_candidates(c);
  gw_dups_free(c->probe);
  gw_dups_free(c->d);
  free(c);
}

int gw_archive_check_new(gw_archive_check **out, const gw_archive *a,
                         const gw_archive_check_options *opts, gw_error *err) {
  *out = NULL;
  if (!a || !opts || opts->version < 1 || opts->version > GW_ARCHIVE_CHECK_OPTIONS_VERSION)
    return gw_fail(err, GW_EINVAL, "gw_archive_check_new: invalid argument");
  gw_archive_params asked;
  gw_archive_params_init(&asked, &opts->dups, a->m.params.terms_checksum,
                         a->m.params.noise_checksum);
  int rc = gw_archive_params_compare(a->dir, &a->m.params, &asked, err);
  if (rc) return rc;
  gw_archive_check *c = calloc(1, sizeof *c);
  if (!c) return gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
  c->a = a;
  c->dups = opts->dups;
  c->document = opts->document;
  c->terms = opts->terms;
  gw_dups_options probe = opts->dups;
  probe.threads = 1;
  rc = gw_dups_new(&c->probe, &probe, err);
  if (rc) {
    gw_archive_check_free(c);
    return rc;
  }
  *out = c;
  return GW_OK;
}

int gw_archive_check_add(gw_archive_check *c, const gw_document *doc, const gw_range *official,
                         size_t n_official, const gw_archive_entry *entry, int is_base,
                         gw_error *err) {
  if (!c || !doc || !entry || (n_official && !official))
    return gw_fail(err, GW_EINVAL, "gw_archive_check_add: invalid argument");
  if (GW_GROW(c->items, c->cap, c->count + 1) != GW_OK)
    return gw_fail(err, GW_ENOMEM, "gw_archive_check_add: out of memory");
  item *it = &c->items[c->count];
  memset(it, 0, sizeof *it);
  it->official = malloc((n_official + 1) * sizeof *it->official);
  if (!it->official) return gw_fail(err, GW_ENOMEM, "gw_archive_check_add: out of memory");
  if (n_official) memcpy(it->official, official, n_official * sizeof *official);
  it->n_official = n_official;
  it->doc = doc;
  it->entry = *entry;
  it->is_base = is_base != 0;
  /* Base text never pulls archive documents in: what an archive document
   * shares with a base document alone is not about the batch. */
  if (!is_base) {
    int rc = gw_dups_add(c->probe, doc, official, n_official, err);
    if (rc) {
      free(it->official);
      return rc;
    }
  }
  c->count++;
  return GW_OK;
}

/* ---- candidates ---- */

/* How many archive holders of one batch fingerprint become candidates,
 * and how many archive paragraphs holding one band key of a batch
 * paragraph are verified against it: the first ones in archive order.
 * gw_dups pairs a fingerprint held by more than GW_DUPS_STAR_ABOVE
 * documents with its first holder only, so with that many the batch
 * document's pairs are those of the whole archive; and a family reaching
 * template_min documents is a template whatever more hold it.  A passage
 * or paragraph held by thousands of archive reports (a template) so loads
 * a few of them, not thousands; its family and cluster list those. */
static size_t fingerprint_cap(const gw_dups_options *o) {
  size_t cap = GW_DUPS_STAR_ABOVE + 1;
  return o->template_min > cap ? o->template_min : cap;
}

/* A value of the batch (a fingerprint or a band key) with the batch
 * paragraph it came from (band keys only), and how many archive holders
 * it has met so far. */
typedef struct probe_value {
  uint64_t value;
  uint32_t para, holders;
} probe_value;

typedef struct value_list {
  probe_value *v;
  size_t n, cap;
  int failed;
} value_list;

static void push_value(value_list *l, uint64_t value, uint32_t para) {
  if (l->failed) return;
  if (GW_GROW(l->v, l->cap, l->n + 1) != GW_OK) {
    l->failed = 1;
    return;
  }
  l->v[l->n++] = (probe_value){value, para, 0};
}

static void collect_fingerprint(void *payload, uint64_t value, uint32_t doc, uint32_t pos) {
  (void)doc;
  (void)pos;
  push_value(payload, value, 0);
}

typedef struct key_sink {
  value_list *l;
  const gw_dups *probe;
} key_sink;

static void collect_key(void *payload, uint64_t key, uint32_t doc, uint32_t para) {
  key_sink *k = payload;
  push_value(k->l, key, (uint32_t)gw_archive_dups_paragraph_index(k->probe, doc, para));
}

static int cmp_value(const void *x, const void *y) {
  const probe_value *a = x, *b = y;
  if (a->value != b->value) return a->value < b->value ? -1 : 1;
  return (a->para > b->para) - (a->para < b->para);
}

/* The values in order (a radix sort on the hash: a batch has hundreds of
 * thousands), each (value, paragraph) once.  GW_ENOMEM (the list then
 * unusable) or GW_OK. */
static int sort_unique(value_list *l) {
  if (!l->n) return GW_OK; /* no array to sort */
  if (gw_dups_sort(l->v, l->n, sizeof *l->v, cmp_value)) return GW_ENOMEM;
  size_t m = 0;
  for (size_t i = 0; i < l->n; i++)
    if (!m || cmp_value(&l->v[m - 1], &l->v[i]) != 0) l->v[m++] = l->v[i];
  l->n = m;
  return GW_OK;
}

/* The pages of a segment's PREPARED section that candidates were read
 * from, released from the resident set every RELEASE_EVERY documents (one
 * call for many: each costs a flush of the TLB). */
#define RELEASE_EVERY 256
typedef struct releaser {
  const gw_seg *s;
  const unsigned char *from, *to;
  size_t n;
} releaser;

static void release_flush(releaser *r) {
  if (r->s) gw_seg_release(r->s, r->from, r->to);
  r->s = NULL;
}

static void release_later(releaser *r, const gw_seg *s, const unsigned char *from,
                          const unsigned char *to) {
  if (r->s != s || r->n == RELEASE_EVERY) {
    release_flush(r);
    *r = (releaser){s, from, to, 0};
  }
  if (from < r->from) r->from = from;
  if (to > r->to) r->to = to;
  r->n++;
}

/* A band key hit: archive document (archive-wide) and paragraph, and the
 * batch paragraph (in the probe) sharing a key with it. */
typedef struct band_hit {
  uint32_t doc, para, probe_para;
} band_hit;

typedef struct hit_list {
  band_hit *h;
  size_t n, cap;
} hit_list;

/* What the lookups of one segment's section do with each live holder of a
 * value: fn(arg, value index, document in the segment, entry's last field). */
typedef void (*holder_fn)(void *arg, size_t value, uint32_t doc, uint32_t other);

/* A segment's entry section with its lookup (FORMAT.md, "Lookups").  The
 * entries of the values found are read with pread into a small buffer, not
 * through the map: they lie anywhere in a large section, and each page
 * touched through the map costs a page fault (and its release a TLB
 * flush), several times a read's cost. */
#define ENTRY_CHUNK 32
typedef struct entry_index {
  const gw_seg *s;
  const unsigned char *entries, *fences, *tags;
  size_t n, blocks;
  size_t chunk_first, chunk_count;
  const unsigned char *chunk;  /* entries chunk_first... (in buf or the map) */
  unsigned char buf[ENTRY_CHUNK * GW_SEG_ENTRY_BYTES];
} entry_index;

static void entry_index_init(entry_index *x, const gw_seg *s, int section) {
  x->s = s;
  x->entries = s->sec[section];
  x->fences = s->sec[gw_seg_fences_of(section)];
  x->tags = s->sec[gw_seg_tags_of(section)];
  x->n = s->sec_len[section] / GW_SEG_ENTRY_BYTES;
  x->blocks = (size_t)gw_seg_blocks(x->n);
  x->chunk_first = x->chunk_count = 0;
  x->chunk = NULL;
}

/* Entry i's 16 bytes. */
static const unsigned char *entry_at(entry_index *x, size_t i) {
  if (i - x->chunk_first >= x->chunk_count) { /* unsigned: i below first wraps */
    size_t count = x->n - i < ENTRY_CHUNK ? x->n - i : ENTRY_CHUNK;
    x->chunk = gw_seg_read(x->s, x->entries + i * GW_SEG_ENTRY_BYTES,
                           count * GW_SEG_ENTRY_BYTES, x->buf);
    x->chunk_first = i;
    x->chunk_count = count;
  }
  return x->chunk + (i - x->chunk_first) * GW_SEG_ENTRY_BYTES;
}

static uint64_t entry_value(entry_index *x, size_t i) { return gw_le64(entry_at(x, i)); }
static uint64_t fence(const entry_index *x, size_t b) { return gw_le64(x->fences + 8 * b); }

/* Whether a prepared document was read through s's map (its pages then to
 * be released). */
static int in_map(const gw_seg *s, const gw_dups_prepared *p) {
  return p->data >= s->map && p->data < s->map + s->map_len;
}

/* The last block from `block` on whose fence is below v (block itself when
 * none is): galloping over the fences, then bisecting. */
static size_t block_before(const entry_index *x, size_t block, uint64_t v) {
  size_t lo = block, step = 1, hi = block + 1;
  while (hi < x->blocks && fence(x, hi) < v) {
    lo = hi;
    hi += step;
    step *= 2;
  }
  if (hi > x->blocks) hi = x->blocks;
  while (hi - lo > 1) { /* fence(lo) < v (or lo == block), fence(hi) >= v */
    size_t mid = lo + (hi - lo) / 2;
    if (fence(x, mid) < v) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* Tags are compared four at a time, as the 16-bit lanes of a 64-bit word:
 * a lane equal to the tag is a zero lane of the word xored with it.  Most
 * values looked up are not in the segment, and their block's 32 tags are
 * then passed in eight words with no branch taken. */
#define LANES 0x0001000100010001ull
#define LANE_HIGH 0x8000800080008000ull
static uint64_t zero_lanes(uint64_t w) { return (w - LANES) & ~w & LANE_HIGH; }

/* The first entry from i on, below `to`, whose tag is `tag`, or `to`. */
static size_t next_tag(const entry_index *x, size_t i, size_t to, uint16_t tag) {
  const unsigned char *t = x->tags + GW_SEG_TAG_BYTES * i;
  for (; i < to; i++, t += GW_SEG_TAG_BYTES)
    if ((uint16_t)(t[0] | t[1] << 8) == tag) break;
  return i;
}

/* The first entry of `block` whose tag is v's, or the block's end *to
 * (most values looked up are not in the segment, and a full block's 32
 * tags then pass in eight words with no branch taken). */
static size_t first_tag(const entry_index *x, size_t block, uint64_t v, size_t *to) {
  uint16_t tag = gw_seg_tag(v);
  size_t from = block * GW_SEG_BLOCK;
  *to = from + GW_SEG_BLOCK;
  if (*to > x->n) *to = x->n;
  if (*to - from == GW_SEG_BLOCK) {
    const unsigned char *t = x->tags + GW_SEG_TAG_BYTES * from;
    uint64_t want = tag * LANES, any = 0;
    for (int w = 0; w < GW_SEG_BLOCK / 4; w++) any |= zero_lanes(gw_le64(t + 8 * w) ^ want);
    if (!any) return *to;
  }
  return next_tag(x, from, *to, tag);
}

/* The first entry of value v, or SIZE_MAX: v's first entry is in `block`
 * (whose fence is below v, or the first block) or starts the next one.
 * Only the block's tags are read unless one matches. */
static size_t first_entry(entry_index *x, size_t block, uint64_t v) {
  size_t to, i = first_tag(x, block, v, &to);
  for (; i < to; i = next_tag(x, i + 1, to, gw_seg_tag(v)))
    if (entry_value(x, i) == v) return i;
  if (block + 1 < x->blocks && fence(x, block + 1) == v) return to;
  return SIZE_MAX;
}

/* Where the entries first_entry will read for v start (its first tag
 * match, or the next block), or SIZE_MAX when it reads none. */
static size_t read_start(const entry_index *x, size_t block, uint64_t v) {
  size_t to, i = first_tag(x, block, v, &to);
  if (i < to) return i;
  if (block + 1 < x->blocks && fence(x, block + 1) == v) return to;
  return SIZE_MAX;
}

/* Pages of [base, base + to) from *released on, released; *released = to. */
static void release_part(const gw_seg *s, const unsigned char *base, size_t *released,
                         size_t to) {
  gw_seg_release(s, base + *released, base + to);
  *released = to;
}

/* A value to look up in a segment, and its block there. */
typedef struct probe {
  size_t value, block;
} probe;

/* How far ahead of the lookup its block's tags are prefetched: the
 * blocks of a batch's values are spread over the whole section, so each
 * lookup's line would otherwise be a miss waited for. */
#define PREFETCH_AHEAD 8

/* The values of l to look up in x, each with its block: not those with
 * cap holders in earlier segments (a template's text: most of a batch's
 * values after the first segments), each value once.  The number made. */
static size_t plan_probes(const entry_index *x, const value_list *l, size_t cap, probe *out) {
  size_t n = 0, block = 0;
  for (size_t i = 0; i < l->n && x->blocks; i++) {
    uint64_t v = l->v[i].value;
    if (i && l->v[i - 1].value == v) continue; /* one value, several batch paragraphs */
    if (l->v[i].holders >= cap) continue;
    block = block_before(x, block, v);
    out[n++] = (probe){i, block};
  }
  return n;
}

/* The entries the lookups of the next values will read first (up to
 * READ_BATCH reads), read together (reads.h) before the values are taken
 * in order: a read each would cost a system call each. */
#define READ_BATCH 128
typedef struct entry_batch {
  gw_reads *reads;
  gw_read r[READ_BATCH];
  size_t probe[READ_BATCH]; /* per read: the probe it serves */
  size_t first[READ_BATCH]; /* and its first entry */
  unsigned char *bufs;      /* READ_BATCH chunks */
} entry_batch;

static int entry_batch_init(entry_batch *b) {
  memset(b, 0, sizeof *b);
  /* Zeroed, so that bytes a read did not fill are never undefined. */
  b->bufs = calloc(READ_BATCH, ENTRY_CHUNK * GW_SEG_ENTRY_BYTES);
  b->reads = gw_reads_new(READ_BATCH);
  return b->bufs ? GW_OK : GW_ENOMEM;
}

static void entry_batch_free(entry_batch *b) {
  gw_reads_free(b->reads);
  free(b->bufs);
}

/* The first entries of probes from j0 on read into b, until READ_BATCH
 * reads or the n probes end; the end of the probes covered returned, *m
 * the reads made. */
static size_t read_ahead(entry_index *x, const value_list *l, const probe *probes, size_t j0,
                         size_t n, entry_batch *b, size_t *m) {
  size_t j = j0;
  *m = 0;
  for (; j < n && *m < READ_BATCH; j++) {
    if (j + PREFETCH_AHEAD < n)
      __builtin_prefetch(x->tags + GW_SEG_TAG_BYTES * GW_SEG_BLOCK * probes[j + PREFETCH_AHEAD].block);
    size_t start = read_start(x, probes[j].block, l->v[probes[j].value].value);
    if (start == SIZE_MAX) continue;
    size_t count = x->n - start < ENTRY_CHUNK ? x->n - start : ENTRY_CHUNK;
    const unsigned char *at = x->entries + start * GW_SEG_ENTRY_BYTES;
    b->r[*m] = (gw_read){x->s->fd, (uint64_t)(at - x->s->map), count * GW_SEG_ENTRY_BYTES,
                         b->bufs + *m * ENTRY_CHUNK * GW_SEG_ENTRY_BYTES, 0};
    b->probe[*m] = j;
    b->first[*m] = start;
    (*m)++;
  }
  gw_reads_run(b->reads, b->r, *m);
  return j;
}

/* Each live holder in s's section of the (sorted) values, in order.  The
 * pages passed are released every RELEASE_BYTES of tags (each release
 * flushes the TLB: not too often) and at the end.  probes: room for l->n. */
#define RELEASE_BYTES (64u << 20)
static void each_holder(const gw_seg *s, int section, const value_list *l, size_t cap,
                        probe *probes, entry_batch *b, holder_fn fn, void *arg) {
  entry_index x;
  entry_index_init(&x, s, section);
  size_t done[3] = {0, 0, 0}; /* bytes released of entries, fences, tags */
  size_t n = plan_probes(&x, l, cap, probes);
  for (size_t j0 = 0, j1; j0 < n; j0 = j1) {
    size_t m = 0, k = 0; /* reads made, the next one */
    j1 = s->fd >= 0 ? read_ahead(&x, l, probes, j0, n, b, &m) : n;
    for (size_t j = j0; j < j1; j++) {
      if (k < m && b->probe[k] == j) {
        if (b->r[k].got == (ssize_t)b->r[k].len) {
          x.chunk = b->r[k].buf;
          x.chunk_first = b->first[k];
          x.chunk_count = b->r[k].len / GW_SEG_ENTRY_BYTES;
        }
        k++;
      }
      if (s->fd < 0 && j + PREFETCH_AHEAD < n)
        __builtin_prefetch(x.tags + GW_SEG_TAG_BYTES * GW_SEG_BLOCK * probes[j + PREFETCH_AHEAD].block);
      size_t i = probes[j].value, block = probes[j].block;
      uint64_t v = l->v[i].value;
      for (size_t e = first_entry(&x, block, v);
           e < x.n && entry_value(&x, e) == v && l->v[i].holders < cap; e++) {
        const unsigned char *p = entry_at(&x, e);
        uint32_t doc = gw_le32(p + 8);
        if (doc < s->doc_count && !s->deleted[doc]) fn(arg, i, doc, gw_le32(p + 12));
      }
      size_t first = block * GW_SEG_BLOCK;
      if (first * GW_SEG_TAG_BYTES - done[2] >= RELEASE_BYTES) {
        release_part(s, x.entries, &done[0], first * GW_SEG_ENTRY_BYTES);
        release_part(s, x.fences, &done[1], block * 8);
        release_part(s, x.tags, &done[2], first * GW_SEG_TAG_BYTES);
      }
    }
  }
  release_part(s, x.entries, &done[0], x.n * GW_SEG_ENTRY_BYTES);
  release_part(s, x.fences, &done[1], x.blocks * 8);
  release_part(s, x.tags, &done[2], x.n * GW_SEG_TAG_BYTES);
}

typedef struct lookup {
  const gw_seg *s;
  value_list *l;
  uint8_t *marked;     /* per archive document: a candidate */
  size_t cap;
  uint32_t last_value, last_doc; /* the holder seen last (a document holds a
                                    fingerprint at several places) */
  hit_list *hits;
  int failed;
} lookup;

static void fingerprint_holder(void *arg, size_t value, uint32_t doc, uint32_t pos) {
  lookup *k = arg;
  (void)pos;
  probe_value *v = &k->l->v[value];
  if (k->last_value == value && k->last_doc == doc) return;
  k->last_value = (uint32_t)value;
  k->last_doc = doc;
  if (v->holders >= k->cap) return;
  v->holders++;
  k->marked[k->s->first + doc] = 1;
}

static void key_holder(void *arg, size_t value, uint32_t doc, uint32_t para) {
  lookup *k = arg;
  probe_value *v = &k->l->v[value];
  if (v->holders >= k->cap) return;
  v->holders++;
  size_t global = k->s->first + doc;
  if (k->marked[global] || k->failed) return;
  /* Every batch paragraph holding this key (the same value follows). */
  for (size_t i = value; i < k->l->n && k->l->v[i].value == v->value; i++) {
    hit_list *h = k->hits;
    if (GW_GROW(h->h, h->cap, h->n + 1) != GW_OK) {
      k->failed = 1;
      return;
    }
    h->h[h->n++] = (band_hit){(uint32_t)global, para, k->l->v[i].para};
  }
}

static int cmp_hit(const void *x, const void *y) {
  const band_hit *a = x, *b = y;
  if (a->doc != b->doc) return a->doc < b->doc ? -1 : 1;
  if (a->para != b->para) return a->para < b->para ? -1 : 1;
  return (a->probe_para > b->probe_para) - (a->probe_para < b->probe_para);
}

/* The batch paragraphs' shingle sets, made when first needed. */
typedef struct probe_sets {
  const gw_dups *probe;
  const gw_dups_options *o;
  size_t *first, *count; /* per probe paragraph; first SIZE_MAX: not made */
  uint64_t *pool;
  size_t used, cap;
} probe_sets;

static int probe_set(probe_sets *ps, uint32_t para, const uint64_t **set, size_t *n) {
  if (ps->first[para] == SIZE_MAX) {
    size_t chars;
    const uint32_t *cp = gw_archive_dups_paragraph_at(ps->probe, para, &chars);
    if (GW_GROW(ps->pool, ps->cap, ps->used + chars + 1) != GW_OK) return GW_ENOMEM;
    ps->first[para] = ps->used;
    ps->count[para] = gw_archive_dups_shingle_set(ps->o, cp, chars, ps->pool + ps->used);
    ps->used += ps->count[para];
  }
  *set = ps->pool + ps->first[para];
  *n = ps->count[para];
  return GW_OK;
}

/* Each archive document with band key hits and no shared fingerprint is a
 * candidate when one of its paragraphs passes gw_dups's exact test with a
 * batch paragraph it shares a key with: a key shared by chance (low
 * Jaccard) loads nothing. */
static int verify_hits(gw_archive_check *c, hit_list *hits, uint8_t *marked, gw_error *err) {
  const gw_archive *a = c->a;
  size_t n_para = gw_archive_dups_paragraph_count(c->probe);
  probe_sets ps = {c->probe, &c->dups, malloc((n_para + 1) * sizeof(size_t)),
                   malloc((n_para + 1) * sizeof(size_t)), NULL, 0, 0};
  uint32_t *chars = NULL;
  uint64_t *set = NULL;
  size_t room = 0;
  releaser rel = {0};
  gw_archive_buffer buf = {0};
  int rc = ps.first && ps.count ? GW_OK : GW_ENOMEM;
  for (size_t i = 0; i < n_para && !rc; i++) ps.first[i] = SIZE_MAX;
  if (!rc && hits->n) qsort(hits->h, hits->n, sizeof *hits->h, cmp_hit);
  for (size_t i = 0; !rc && i < hits->n;) {
    uint32_t doc = hits->h[i].doc;
    size_t end = i;
    while (end < hits->n && hits->h[end].doc == doc) end++;
    uint32_t local;
    const gw_seg *s = gw_archive_locate(a, doc, &local, NULL);
    gw_dups_prepared p;
    rc = gw_archive_prepared_read(a, s, local, &buf, &p, err);
    for (size_t j = i; !rc && j < end && !marked[doc];) {
      uint32_t para = hits->h[j].para;
      size_t para_end = j;
      while (para_end < end && hits->h[para_end].para == para) para_end++;
      if (para >= p.para_count) {
        rc = gw_fail(err, GW_EDAMAGED, "%s/%s: damaged: a band key names no paragraph",
                     a->dir, s->name);
        break;
      }
      size_t n = gw_dups_prepared_paragraph_chars(&p, para);
      if (n + 1 > room) {
        free(chars);
        free(set);
        room = 2 * n + 1;
        chars = malloc(room * sizeof *chars);
        set = malloc(room * sizeof *set);
        if (!chars || !set) { rc = GW_ENOMEM; break; }
      }
      gw_dups_prepared_paragraph(&p, para, chars, &n);
      size_t ns = gw_archive_dups_shingle_set(&c->dups, chars, n, set);
      for (size_t k = j; !rc && k < para_end && !marked[doc]; k++) {
        const uint64_t *bs;
        size_t nb;
        rc = probe_set(&ps, hits->h[k].probe_para, &bs, &nb);
        if (!rc && gw_archive_dups_alike(&c->dups, set, ns, bs, nb)) marked[doc] = 1;
      }
      j = para_end;
    }
    if (!rc && in_map(s, &p)) release_later(&rel, s, p.data, p.flags + p.units);
    i = end;
  }
  release_flush(&rel);
  free(buf.words);
  free(chars);
  free(set);
  free(ps.first);
  free(ps.count);
  free(ps.pool);
  if (rc == GW_ENOMEM) rc = gw_fail(err, rc, "%s: out of memory", a->dir);
  return rc;
}

static int find_candidates(gw_archive_check *c, gw_error *err) {
  const gw_archive *a = c->a;
  value_list fps = {0}, keys = {0};
  hit_list hits = {0};
  key_sink ks = {&keys, c->probe};
  int read = gw_archive_dups_each_copy_fingerprint(c->probe, collect_fingerprint, &fps);
  if (!read) read = gw_archive_dups_each_band_key(c->probe, collect_key, &ks);
  uint8_t *marked = calloc(a->doc_total + 1, 1);
  probe *probes = malloc((fps.n > keys.n ? fps.n : keys.n) * sizeof *probes + 1);
  entry_batch batch;
  int rc = entry_batch_init(&batch);
  if (rc || read || fps.failed || keys.failed || !marked || !probes || sort_unique(&fps) ||
      sort_unique(&keys)) {
    rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
    goto done;
  }
  /* In each segment fingerprints first, so that a document they make a
   * candidate needs no band key verification (a segment's lookups mark
   * only its own documents, and the caps count over earlier segments). */
  for (size_t i = 0; i < a->m.seg_count; i++) {
    lookup k = {&a->m.segs[i], &fps, marked, fingerprint_cap(&c->dups), UINT32_MAX, 0, NULL, 0};
    each_holder(k.s, SEC_FPS, &fps, k.cap, probes, &batch, fingerprint_holder, &k);
    lookup kk = {&a->m.segs[i], &keys, marked, fingerprint_cap(&c->dups), UINT32_MAX, 0, &hits, 0};
    each_holder(k.s, SEC_BANDS, &keys, kk.cap, probes, &batch, key_holder, &kk);
    if (kk.failed) {
      rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
      goto done;
    }
  }
  rc = verify_hits(c, &hits, marked, err);
  if (rc) goto done;
  size_t n = 0;
  for (size_t i = 0; i < a->doc_total; i++) n += marked[i];
  c->candidates = malloc((n + 1) * sizeof *c->candidates);
  if (!c->candidates) {
    rc = gw_fail(err, GW_ENOMEM, "%s: out of memory", a->dir);
    goto done;
  }
  for (size_t i = 0; i < a->doc_total; i++)
    if (marked[i]) c->candidates[c->n_candidates++] = i;
done:
  entry_batch_free(&batch);
  free(probes);
  free(marked);
  free(fps.v);
  free(keys.v);
  free(hits.h);
  return rc;
}

/* The entry's strings copied, so that the results outlive a merge of the
 * archive they came from. */
static int own_strings(gw_archive_entry *e, char **block) {
  const char *s[4] = {e->path, e->unit, e->title, e->extras};
  size_t len[4], total = 0;
  for (int k = 0; k < 4; k++) total += (len[k] = strlen(s[k])) + 1;
  char *p = *block = malloc(total);
  if (!p) return GW_ENOMEM;
  const char **to[4] = {&e->path, &e->unit, &e->title, &e->extras};
  for (int k = 0; k < 4; k++) {
    memcpy(p, s[k], len[k] + 1);
    *to[k] = p;
    p += len[k] + 1;
  }
  return GW_OK;
}

/* The candidates, in archive order, added as they were prepared when they
 * were archived: nothing is read, normalized or sketched again. */
static int add_candidates(gw_archive_check *c, gw_error *err) {
  int rc = GW_OK;
  releaser rel = {0};
  gw_archive_buffer buf = {0};
  for (size_t k = 0; !rc && k < c->n_candidates; k++) {
    uint32_t local;
    const gw_seg *s = gw_archive_locate(c->a, c->candidates[k], &local, NULL);
    gw_dups_prepared p;
    rc = gw_archive_document_at(&c->archived[k], c->a, c->candidates[k]);
    if (!rc)
      rc = gw_archive_prepared_read(c->a, s, local, &buf, &p, err);
    if (!rc) rc = gw_dups_prepared_add(c->d, &p, c->archived[k].entry.path, err);
    if (!rc && in_map(s, &p)) release_later(&rel, s, p.data, p.flags + p.units);
    if (!rc && own_strings(&c->archived[k].entry, &c->owned[k]))
      rc = gw_fail(err, GW_ENOMEM, "out of memory");
  }
  release_flush(&rel);
  free(buf.words);
  return rc;
}

/* Room in the results' index for the candidates and the batch, made
 * once from the candidates' records before any is read. */
static int reserve_results(gw_archive_check *c, gw_error *err) {
  size_t paras = 0, bytes = 0;
  for (size_t k = 0; k < c->n_candidates; k++) {
    uint32_t local;
    const gw_seg *s = gw_archive_locate(c->a, c->candidates[k], &local, NULL);
    gw_seg_doc d;
    gw_seg_doc_read(s->sec[SEC_DOCS] + (size_t)local * GW_SEG_DOC_BYTES, &d);
    paras += d.para_count;
    bytes += (size_t)d.prepared_len;
  }
  if (gw_archive_dups_reserve(c->d, c->n_candidates, paras, bytes, c->probe))
    return gw_fail(err, GW_ENOMEM, "%s: out of memory", c->a->dir);
  return GW_OK;
}

/* The batch's documents, as the probe prepared them. */
static int add_batch(gw_archive_check *c, gw_error *err) {
  unsigned char *buf = NULL;
  size_t room = 0, i = 0;
  int rc = GW_OK;
  for (size_t k = 0; !rc && k < c->count; k++) {
    if (c->items[k].is_base) continue;
    size_t size = gw_dups_prepared_size(c->probe, i);
    if (size > room) {
      free(buf);
      room = 2 * size;
      buf = malloc(room);
      if (!buf) return gw_fail(err, GW_ENOMEM, "out of memory");
    }
    gw_dups_prepared_write(c->probe, i, buf);
    gw_dups_prepared p;
    if (gw_dups_prepared_open(&p, &c->dups, buf, size))
      rc = gw_fail(err, GW_EDAMAGED, "%s: could not be prepared", c->items[k].entry.path);
    if (!rc) rc = gw_dups_prepared_add(c->d, &p, c->items[k].entry.path, err);
    i++;
  }
  free(buf);
  return rc;
}

int gw_archive_check_run(gw_archive_check *c, gw_error *err) {
  if (!c) return gw_fail(err, GW_EINVAL, "gw_archive_check_run: invalid argument");
  gw_dups_free(c->d);
  c->d = NULL;
  free_candidates(c);
  int rc = find_candidates(c, err);
  if (rc) return rc;
  c->archived = calloc(c->n_candidates + 1, sizeof *c->archived);
  c->owned = calloc(c->n_candidates + 1, sizeof *c->owned);
  c->entries = calloc(c->n_candidates + c->count + 1, sizeof *c->entries);
  if (!c->archived || !c->entries || !c->owned) return gw_fail(err, GW_ENOMEM, "%s: out of memory", c->a->dir);
  rc = gw_dups_new(&c->d, &c->dups, err);
  size_t n = 0;
  for (size_t i = 0; !rc && i < c->count; i++) {
    const item *it = &c->items[i];
    if (!it->is_base) continue;
    rc = gw_dups_add(c->d, it->doc, it->official, it->n_official, err);
    if (!rc) rc = gw_dups_set_base(c->d, n, 1, err);
    c->entries[n++] = it->entry;
  }
  c->n_base = n;
  if (!rc) rc = reserve_results(c, err);
  if (!rc) rc = add_candidates(c, err);
  for (size_t k = 0; !rc && k < c->n_candidates; k++) c->entries[n++] = c->archived[k].entry;
  if (!rc) rc = add_batch(c, err);
  for (size_t i = 0; !rc && i < c->count; i++)
    if (!c->items[i].is_base) c->entries[n++] = c->items[i].entry;
  if (!rc) rc = gw_dups_run(c->d, err);
  if (rc) {
    gw_dups_free(c->d);
    c->d = NULL;
  }
  return rc;
}

const gw_dups *gw_archive_check_dups(const gw_archive_check *c) { return c->d; }
size_t gw_archive_check_base_count(const gw_archive_check *c) { return c->n_base; }
size_t gw_archive_check_archived_count(const gw_archive_check *c) { return c->n_candidates; }

static size_t gw_archive_check_total(const gw_archive_check *c) {
  return c->d ? gw_dups_document_count(c->d) : 0;
}

const gw_archive_entry *gw_archive_check_entry_at(const gw_archive_check *c, size_t i) {
  return i < gw_archive_check_total(c) ? &c->entries[i] : NULL;
}

size_t gw_archive_check_archive_index_at(const gw_archive_check *c, size_t i) {
  if (i >= gw_archive_check_total(c) || i < c->n_base || i - c->n_base >= c->n_candidates)
    return GW_NO_OFFSET;
  return c->candidates[i - c->n_base];
}
