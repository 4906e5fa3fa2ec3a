/*
 * discover.c — candidate terms that the dictionary lacks, across a corpus:
 *   - numbered formulations: a numeral + 个 + 2–4 Han characters (the
 *     quoted text when it is quoted, “四个意识”, else two characters), and
 *     the N X N Y pattern (三会一课, 一岗双责, 两学一做);
 *   - parallel lists: three or more items of the same length (2–6 Han
 *     characters) separated by 、 or ， that share a first or last part
 *     (同部署、同落实、同检查; 传播力、引导力、影响力);
 *   - frequent Han n-grams (3–6 characters; two-character ones are ordinary
 *     words) with high cohesion (the weakest split's PMI) and high boundary
 *     entropy on both sides, not beginning or ending with a function
 *     character (的, 和, 是 …) or a numeral.
 * Forms of the known dictionary are never candidates.  Everything runs on
 * the normalized view, paragraph by paragraph, so noise never counts.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_N 6
#define BOUNDARY (-1)

typedef struct str_entry {
  char *text;
  gw_candidate_kind kind;
  size_t count, documents, last_doc; /* last_doc: document index + 1 */
} str_entry;

typedef struct ngram {
  int32_t cps[MAX_N];
  uint8_t len;
  size_t count, documents, last_doc;
} ngram;

typedef struct neighbor {
  uint32_t gram;
  int32_t cp;
  uint8_t side; /* 0 left, 1 right */
  size_t count;
} neighbor;

struct gw_discovery {
  const gw_terms *known;
  size_t documents;
  str_entry *strs;
  size_t str_count, str_cap;
  uint32_t *str_hash;
  size_t str_hash_cap;
  ngram *grams;
  size_t gram_count, gram_cap;
  uint32_t *gram_hash;
  size_t gram_hash_cap;
  neighbor *nbs;
  size_t nb_count, nb_cap;
  uint32_t *nb_hash;
  size_t nb_hash_cap;
  size_t total_chars;
  gw_candidate *cands;
  size_t cand_count;
  char **cand_texts;
};

const char *gw_candidate_kind_name(gw_candidate_kind kind) {
  switch (kind) {
  case GW_CANDIDATE_NUMBERED: return "numbered";
  case GW_CANDIDATE_PARALLEL: return "parallel";
  case GW_CANDIDATE_NGRAM: return "ngram";
  }
  return "unknown";
}

static uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return mix(h);
}

static uint64_t hash_gram(const int32_t *cps, size_t n) {
  uint64_t h = 1469598103934665603ull ^ n;
  for (size_t i = 0; i < n; i++) h = (h ^ (uint32_t)cps[i]) * 1099511628211ull;
  return mix(h);
}

/* Grow an open-addressing table of indexes (+1) when half full. */
static int rehash(uint32_t **table, size_t *cap, size_t count, uint64_t (*hash_of)(const void *, size_t),
                  const void *ctx) {
  if ((count + 1) * 2 < *cap) return 0;
  size_t ncap = *cap ? *cap * 2 : 1024;
  uint32_t *t = calloc(ncap, sizeof *t);
  if (!t) return -1;
  for (size_t i = 0; i < count; i++) {
    size_t h = (size_t)hash_of(ctx, i) & (ncap - 1);
    while (t[h]) h = (h + 1) & (ncap - 1);
    t[h] = (uint32_t)(i + 1);
  }
  free(*table);
  *table = t;
  *cap = ncap;
  return 0;
}

static uint64_t str_hash_of(const void *ctx, size_t i) {
  const gw_discovery *d = ctx;
  return hash_bytes(d->strs[i].text, strlen(d->strs[i].text));
}
static uint64_t gram_hash_of(const void *ctx, size_t i) {
  const gw_discovery *d = ctx;
  return hash_gram(d->grams[i].cps, d->grams[i].len);
}
static uint64_t nb_key(uint32_t gram, int32_t cp, int side) {
  return mix(((uint64_t)gram << 33) ^ ((uint64_t)(uint32_t)cp << 1) ^ (uint64_t)side);
}
static uint64_t nb_hash_of(const void *ctx, size_t i) {
  const gw_discovery *d = ctx;
  return nb_key(d->nbs[i].gram, d->nbs[i].cp, d->nbs[i].side);
}

static int grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 0;
  size_t c = *cap ? *cap * 2 : 256;
  while (c < need) c *= 2;
  void *q = realloc(*p, c * size);
  if (!q) return -1;
  *p = q;
  *cap = c;
  return 0;
}

static int add_str(gw_discovery *d, const char *s, size_t n, gw_candidate_kind kind) {
  if (d->known && gw_terms_find(d->known, s, n) != GW_NO_OFFSET) return 0;
  if (rehash(&d->str_hash, &d->str_hash_cap, d->str_count, str_hash_of, d)) return -1;
  size_t mask = d->str_hash_cap - 1, h = (size_t)hash_bytes(s, n) & mask;
  while (d->str_hash[h]) {
    str_entry *e = &d->strs[d->str_hash[h] - 1];
    if (strlen(e->text) == n && memcmp(e->text, s, n) == 0) {
      e->count++;
      if (e->last_doc != d->documents + 1) { e->documents++; e->last_doc = d->documents + 1; }
      return 0;
    }
    h = (h + 1) & mask;
  }
  if (grow((void **)&d->strs, &d->str_cap, d->str_count + 1, sizeof *d->strs)) return -1;
  str_entry *e = &d->strs[d->str_count];
  e->text = malloc(n + 1);
  if (!e->text) return -1;
  memcpy(e->text, s, n);
  e->text[n] = '\0';
  e->kind = kind;
  e->count = 1;
  e->documents = 1;
  e->last_doc = d->documents + 1;
  d->str_hash[h] = (uint32_t)++d->str_count;
  return 0;
}

static long add_gram(gw_discovery *d, const int32_t *cps, size_t n) {
  if (rehash(&d->gram_hash, &d->gram_hash_cap, d->gram_count, gram_hash_of, d)) return -1;
  size_t mask = d->gram_hash_cap - 1, h = (size_t)hash_gram(cps, n) & mask;
  while (d->gram_hash[h]) {
    ngram *g = &d->grams[d->gram_hash[h] - 1];
    if (g->len == n && memcmp(g->cps, cps, n * sizeof *cps) == 0) {
      g->count++;
      if (g->last_doc != d->documents + 1) { g->documents++; g->last_doc = d->documents + 1; }
      return (long)(d->gram_hash[h] - 1);
    }
    h = (h + 1) & mask;
  }
  if (grow((void **)&d->grams, &d->gram_cap, d->gram_count + 1, sizeof *d->grams)) return -1;
  ngram *g = &d->grams[d->gram_count];
  memset(g, 0, sizeof *g);
  memcpy(g->cps, cps, n * sizeof *cps);
  g->len = (uint8_t)n;
  g->count = 1;
  g->documents = 1;
  g->last_doc = d->documents + 1;
  d->gram_hash[h] = (uint32_t)++d->gram_count;
  return (long)(d->gram_count - 1);
}

static size_t find_gram(const gw_discovery *d, const int32_t *cps, size_t n) {
  size_t mask = d->gram_hash_cap - 1, h = (size_t)hash_gram(cps, n) & mask;
  while (d->gram_hash[h]) {
    const ngram *g = &d->grams[d->gram_hash[h] - 1];
    if (g->len == n && memcmp(g->cps, cps, n * sizeof *cps) == 0) return g->count;
    h = (h + 1) & mask;
  }
  return 0;
}

static int add_neighbor(gw_discovery *d, uint32_t gram, int32_t cp, int side) {
  if (rehash(&d->nb_hash, &d->nb_hash_cap, d->nb_count, nb_hash_of, d)) return -1;
  size_t mask = d->nb_hash_cap - 1, h = (size_t)nb_key(gram, cp, side) & mask;
  while (d->nb_hash[h]) {
    neighbor *nb = &d->nbs[d->nb_hash[h] - 1];
    if (nb->gram == gram && nb->cp == cp && nb->side == side) { nb->count++; return 0; }
    h = (h + 1) & mask;
  }
  if (grow((void **)&d->nbs, &d->nb_cap, d->nb_count + 1, sizeof *d->nbs)) return -1;
  neighbor *nb = &d->nbs[d->nb_count];
  nb->gram = gram;
  nb->cp = cp;
  nb->side = (uint8_t)side;
  nb->count = 1;
  d->nb_hash[h] = (uint32_t)++d->nb_count;
  return 0;
}

int gw_discovery_new(gw_discovery **out, const gw_terms *known, gw_error *err) {
  if (!out) return gw_fail(err, GW_EINVAL, "gw_discovery_new: out is NULL");
  *out = calloc(1, sizeof **out);
  if (!*out) return gw_fail(err, GW_ENOMEM, "out of memory");
  (*out)->known = known;
  return GW_OK;
}

static void free_candidates(gw_discovery *d) {
  for (size_t i = 0; i < d->cand_count; i++) free(d->cand_texts[i]);
  free(d->cand_texts);
  free(d->cands);
  d->cand_texts = NULL;
  d->cands = NULL;
  d->cand_count = 0;
}

void gw_discovery_free(gw_discovery *d) {
  if (!d) return;
  for (size_t i = 0; i < d->str_count; i++) free(d->strs[i].text);
  free(d->strs);
  free(d->str_hash);
  free(d->grams);
  free(d->gram_hash);
  free(d->nbs);
  free(d->nb_hash);
  free_candidates(d);
  free(d);
}

/* ---- adding a document ---- */

static int is_numeral(int32_t cp) {
  return cp == 0x4E00 || cp == 0x4E8C || cp == 0x4E24 || cp == 0x4E09 || cp == 0x56DB ||
         cp == 0x4E94 || cp == 0x516D || cp == 0x4E03 || cp == 0x516B || cp == 0x4E5D ||
         cp == 0x5341 || cp == 0x53CC; /* 一二两三四五六七八九十双 */
}

/* Counters and function characters that make N X N Y no formulation. */
static int is_counter(int32_t cp) {
  static const int32_t list[] = {0x4E2A, 0x662F, 0x4E9B, 0x6B21, 0x5E74, 0x6708, 0x65E5, 0x540D,
                                 0x9879, 0x6761, 0x4F4D, 0x6279, 0x671F, 0x4EF6, 0x7BC7, 0x672C,
                                 0x5957, 0x4E07, 0x5343, 0x767E, 0x5341, 0x5929, 0x70B9, 0x5B63,
                                 0x5C42, 0x8F6E, 0x6B65, 0x79CD, 0x7C7B, 0x53F7, 0x5B57};
  for (size_t i = 0; i < sizeof list / sizeof *list; i++)
    if (cp == list[i]) return 1;
  return is_numeral(cp);
}

static int is_list_sep(int32_t cp) { return cp == 0x3001 || cp == 0xFF0C; }
static int is_segment_end(int32_t cp) {
  return cp == 0x3001 || cp == 0xFF0C || cp == ',' || cp == 0xFF1B || cp == ';' || cp == 0x3002 ||
         cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1A || cp == 0x201C || cp == 0x201D ||
         cp == 0x300A || cp == 0x300B || cp == 0xFF08 || cp == 0xFF09;
}

typedef struct para {
  int32_t *cps;
  size_t *offs; /* byte offset of each code point, plus the end */
  size_t n;
  const char *s;
} para;

static int add_span(gw_discovery *d, const para *p, size_t a, size_t b, gw_candidate_kind kind) {
  return add_str(d, p->s + p->offs[a], p->offs[b] - p->offs[a], kind);
}

static int numbered(gw_discovery *d, const para *p) {
  for (size_t i = 0; i + 3 < p->n; i++) {
    if (!is_numeral(p->cps[i])) continue;
    if (i > 0 && is_numeral(p->cps[i - 1])) continue;
    if (p->cps[i + 1] == 0x4E2A && p->cps[i] != 0x4E00) { /* 个, not 一个 ("a") */
      size_t end = 0;
      if (i > 0 && p->cps[i - 1] == 0x201C) {
        size_t k = i + 2;
        while (k < p->n && k < i + 7 && gw_is_han(p->cps[k])) k++;
        if (k < p->n && p->cps[k] == 0x201D && k - (i + 2) >= 2) end = k;
      }
      if (!end && gw_is_han(p->cps[i + 2]) && gw_is_han(p->cps[i + 3]) && !is_counter(p->cps[i + 2]))
        end = i + 4;
      if (end && add_span(d, p, i, end, GW_CANDIDATE_NUMBERED)) return -1;
      continue;
    }
    if (gw_is_han(p->cps[i + 1]) && !is_counter(p->cps[i + 1]) && is_numeral(p->cps[i + 2]) &&
        gw_is_han(p->cps[i + 3]) && !is_counter(p->cps[i + 3])) {
      if (add_span(d, p, i, i + 4, GW_CANDIDATE_NUMBERED)) return -1;
    }
  }
  return 0;
}

static int all_han(const para *p, size_t a, size_t b) {
  for (size_t i = a; i < b; i++)
    if (!gw_is_han(p->cps[i])) return 0;
  return 1;
}

/* Items [start[k], start[k] + len) share a first or last character. */
static int share_affix(const para *p, const size_t *start, size_t n, size_t len) {
  int pre = 1, suf = 1;
  for (size_t k = 1; k < n; k++) {
    if (p->cps[start[k]] != p->cps[start[0]]) pre = 0;
    if (p->cps[start[k] + len - 1] != p->cps[start[0] + len - 1]) suf = 0;
  }
  return pre || suf;
}

static int parallel(gw_discovery *d, const para *p) {
  /* Segments between separators. */
  size_t seg_a[512], seg_b[512], nseg = 0;
  int32_t sep_after[512];
  size_t a = 0;
  for (size_t i = 0; i <= p->n && nseg < 512; i++) {
    if (i < p->n && !is_segment_end(p->cps[i])) continue;
    seg_a[nseg] = a;
    seg_b[nseg] = i;
    sep_after[nseg] = i < p->n ? p->cps[i] : 0;
    nseg++;
    a = i + 1;
  }
  for (size_t j = 0; j + 1 < nseg;) {
    /* A run of middle segments of one length, joined by 、 or ， */
    size_t len = seg_b[j] - seg_a[j];
    if (len < 2 || len > 6 || !all_han(p, seg_a[j], seg_b[j]) || j == 0 ||
        !is_list_sep(sep_after[j - 1])) {
      j++;
      continue;
    }
    size_t k = j;
    while (k + 1 < nseg && is_list_sep(sep_after[k]) && seg_b[k + 1] - seg_a[k + 1] == len &&
           all_han(p, seg_a[k + 1], seg_b[k + 1]))
      k++;
    size_t starts[520], n = 0;
    /* The item before: the suffix of the previous segment. */
    int before = seg_b[j - 1] - seg_a[j - 1] >= len && all_han(p, seg_b[j - 1] - len, seg_b[j - 1]);
    int after = k + 1 < nseg && is_list_sep(sep_after[k]) && seg_b[k + 1] - seg_a[k + 1] > len &&
                all_han(p, seg_a[k + 1], seg_a[k + 1] + len);
    for (int variant = 0; variant < 4; variant++) {
      int use_before = before && !(variant & 1), use_after = after && !(variant & 2);
      n = 0;
      if (use_before) starts[n++] = seg_b[j - 1] - len;
      for (size_t m = j; m <= k; m++) starts[n++] = seg_a[m];
      if (use_after) starts[n++] = seg_a[k + 1];
      if (n >= 3 && share_affix(p, starts, n, len)) break;
      n = 0;
    }
    if (n >= 3) {
      char buf[1024];
      size_t bl = 0;
      for (size_t m = 0; m < n && bl + 64 < sizeof buf; m++) {
        if (m) { memcpy(buf + bl, "\xE3\x80\x81", 3); bl += 3; }
        size_t x = p->offs[starts[m]], y = p->offs[starts[m] + len];
        memcpy(buf + bl, p->s + x, y - x);
        bl += y - x;
      }
      if (add_str(d, buf, bl, GW_CANDIDATE_PARALLEL)) return -1;
    }
    j = k + 1;
  }
  return 0;
}

static int ngrams(gw_discovery *d, const para *p) {
  for (size_t i = 0; i < p->n;) {
    if (!gw_is_han(p->cps[i])) { i++; continue; }
    size_t e = i;
    while (e < p->n && gw_is_han(p->cps[e])) e++;
    d->total_chars += e - i;
    for (size_t s = i; s < e; s++)
      for (size_t n = 1; n <= MAX_N && s + n <= e; n++) {
        long g = add_gram(d, p->cps + s, n);
        if (g < 0) return -1;
        if (n < 2) continue;
        if (add_neighbor(d, (uint32_t)g, s > i ? p->cps[s - 1] : BOUNDARY, 0) ||
            add_neighbor(d, (uint32_t)g, s + n < e ? p->cps[s + n] : BOUNDARY, 1))
          return -1;
      }
    i = e;
  }
  return 0;
}

int gw_discovery_add(gw_discovery *d, const gw_document *doc, gw_error *err) {
  if (!d || !doc) return gw_fail(err, GW_EINVAL, "gw_discovery_add: invalid argument");
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  size_t np = gw_document_paragraph_count(doc);
  int rc = 0;
  for (size_t pi = 0; pi < np && !rc; pi++) {
    const gw_paragraph *g = gw_document_paragraph_at(doc, pi);
    size_t plen = g->range.norm_end - g->range.norm_start;
    para p;
    p.s = norm + g->range.norm_start;
    p.cps = malloc((plen + 1) * sizeof *p.cps);
    p.offs = malloc((plen + 1) * sizeof *p.offs);
    if (!p.cps || !p.offs) { free(p.cps); free(p.offs); rc = -1; break; }
    p.n = 0;
    for (size_t i = 0; i < plen;) {
      p.offs[p.n] = i;
      i += gw_utf8_next((const unsigned char *)p.s + i, plen - i, &p.cps[p.n]);
      p.n++;
    }
    p.offs[p.n] = plen;
    rc = numbered(d, &p) || parallel(d, &p) || ngrams(d, &p);
    free(p.cps);
    free(p.offs);
  }
  d->documents++;
  return rc ? gw_fail(err, GW_ENOMEM, "%s: out of memory", gw_document_name(doc)) : GW_OK;
}

/* ---- computing ---- */

/* Function characters that do not begin or end a term. */
static int is_edge_stop(int32_t cp) {
  static const char stops[] = "的了和与在是对把将为等及并中上下也又就都而以于从向其之被由要者着过一二三四五";
  const unsigned char *s = (const unsigned char *)stops;
  size_t n = sizeof stops - 1;
  for (size_t i = 0; i < n;) {
    int32_t c;
    i += gw_utf8_next(s + i, n - i, &c);
    if (c == cp) return 1;
  }
  return 0;
}

static int cand_cmp(const void *a, const void *b) {
  const gw_candidate *x = a, *y = b;
  if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
  if (x->count != y->count) return x->count > y->count ? -1 : 1;
  return strcmp(x->text, y->text);
}

static int push(gw_discovery *d, size_t *cap, const char *text, size_t n, gw_candidate_kind kind,
                size_t count, size_t docs, double pmi, double le, double re) {
  size_t cap2 = *cap;
  if (grow((void **)&d->cands, cap, d->cand_count + 1, sizeof *d->cands) ||
      grow((void **)&d->cand_texts, &cap2, d->cand_count + 1, sizeof *d->cand_texts))
    return -1;
  char *t = malloc(n + 1);
  if (!t) return -1;
  memcpy(t, text, n);
  t[n] = '\0';
  d->cand_texts[d->cand_count] = t;
  gw_candidate *c = &d->cands[d->cand_count++];
  c->text = t;
  c->kind = kind;
  c->count = count;
  c->documents = docs;
  c->pmi = pmi;
  c->left_entropy = le;
  c->right_entropy = re;
  return 0;
}

int gw_discovery_compute(gw_discovery *d, const gw_discovery_options *opts, gw_error *err) {
  if (!d) return gw_fail(err, GW_EINVAL, "gw_discovery_compute: invalid argument");
  gw_discovery_options def = GW_DISCOVERY_OPTIONS_INIT;
  if (!opts) opts = &def;
  if (opts->version < 1 || opts->version > GW_DISCOVERY_OPTIONS_VERSION)
    return gw_fail(err, GW_EINVAL, "gw_discovery_compute: unknown options version %u", opts->version);
  free_candidates(d);
  size_t cap = 0;
  for (size_t i = 0; i < d->str_count; i++) {
    const str_entry *e = &d->strs[i];
    if (push(d, &cap, e->text, strlen(e->text), e->kind, e->count, e->documents, 0, 0, 0))
      goto oom;
  }
  /* Entropies: per n-gram sums over its neighbours. */
  double *h[2];
  h[0] = calloc(d->gram_count + 1, sizeof *h[0]);
  h[1] = calloc(d->gram_count + 1, sizeof *h[1]);
  if (!h[0] || !h[1]) { free(h[0]); free(h[1]); goto oom; }
  for (size_t i = 0; i < d->nb_count; i++) {
    const neighbor *nb = &d->nbs[i];
    double total = (double)d->grams[nb->gram].count;
    if (nb->cp == BOUNDARY) {
      /* Each boundary counts as a neighbour of its own. */
      h[nb->side][nb->gram] += (double)nb->count / total * log2(total);
    } else {
      double q = (double)nb->count / total;
      h[nb->side][nb->gram] -= q * log2(q);
    }
  }
  double total = d->total_chars ? (double)d->total_chars : 1;
  for (size_t i = 0; i < d->gram_count; i++) {
    const ngram *g = &d->grams[i];
    if (g->len < 3 || g->count < opts->min_count || g->documents < opts->min_documents) continue;
    if (is_edge_stop(g->cps[0]) || is_edge_stop(g->cps[g->len - 1])) continue;
    if (h[0][i] < opts->min_entropy || h[1][i] < opts->min_entropy) continue;
    double pmi = 1e30;
    for (size_t k = 1; k < g->len; k++) {
      double ca = (double)find_gram(d, g->cps, k), cb = (double)find_gram(d, g->cps + k, g->len - k);
      double v = log2(((double)g->count / total) / ((ca / total) * (cb / total)));
      if (v < pmi) pmi = v;
    }
    if (pmi < opts->min_pmi) continue;
    char buf[MAX_N * 4 + 1];
    size_t bl = 0;
    for (size_t k = 0; k < g->len; k++) bl += gw_utf8_encode(g->cps[k], buf + bl);
    if (d->known && gw_terms_find(d->known, buf, bl) != GW_NO_OFFSET) continue;
    if (push(d, &cap, buf, bl, GW_CANDIDATE_NGRAM, g->count, g->documents,
             floor(pmi * 100 + 0.5) / 100, floor(h[0][i] * 100 + 0.5) / 100,
             floor(h[1][i] * 100 + 0.5) / 100)) {
      free(h[0]);
      free(h[1]);
      goto oom;
    }
  }
  free(h[0]);
  free(h[1]);
  if (d->cand_count > 1) qsort(d->cands, d->cand_count, sizeof *d->cands, cand_cmp);
  return GW_OK;
oom:
  free_candidates(d);
  return gw_fail(err, GW_ENOMEM, "out of memory");
}

size_t gw_discovery_candidate_count(const gw_discovery *d) { return d ? d->cand_count : 0; }

const gw_candidate *gw_discovery_candidate_at(const gw_discovery *d, size_t i) {
  return d && i < d->cand_count ? &d->cands[i] : NULL;
}
