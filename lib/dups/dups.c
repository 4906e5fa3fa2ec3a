/*
 * dups.c — the duplicate index: options, adding documents (their characters
 * with original offsets, official flags and paragraphs), running the
 * analyses of shingle.c and align.c, and the result accessors.
 */
/* madvise(MADV_HUGEPAGE) is a Linux extension beyond POSIX. */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "dups_private.h"

void gw_dups_advise_huge(void *p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  const uintptr_t huge = (uintptr_t)2 << 20;
  if (bytes < 2 * huge) return;
  uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
  uintptr_t b = ((uintptr_t)p + bytes) & ~(huge - 1);
  if (b > a) (void)madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

/* Arrays at least this large get huge pages before they are first written:
 * a large array written into fresh pages costs mostly page faults. */
#define BIG_ARRAY ((size_t)4 << 20)

void *gw_dups_alloc(size_t bytes, int zero) {
  void *p = zero ? calloc(1, bytes ? bytes : 1) : malloc(bytes ? bytes : 1);
  if (p) gw_dups_advise_huge(p, bytes);
  return p;
}

int gw_dups_grow(void **array, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return GW_OK;
  size_t n = *cap ? *cap : 16;
  /* Large arrays grow fourfold: each growth writes the old contents into
   * fresh pages, and the new array's unwritten pages cost nothing. */
  while (n < need) n *= n * elem >= BIG_ARRAY ? 4 : 2;
  if (n * elem < BIG_ARRAY) {
    void *p = realloc(*array, n * elem);
    if (!p) return GW_ENOMEM;
    *array = p;
  } else {
    /* Not realloc: its copy would write the fresh pages before they are
     * advised. */
    void *p = gw_dups_alloc(n * elem, 0);
    if (!p) return GW_ENOMEM;
    if (*cap) memcpy(p, *array, *cap * elem);
    free(*array);
    *array = p;
  }
  *cap = n;
  return GW_OK;
}

/* The sort key: an element's first 8 bytes. */
static uint64_t key_at(const char *element) {
  uint64_t key;
  memcpy(&key, element, sizeof key);
  return key;
}

/* One element: the sizes the index sorts copied inline, not by a call. */
static void copy_element(char *to, const char *from, size_t size) {
  switch (size) {
  case 8: memcpy(to, from, 8); break;
  case 16: memcpy(to, from, 16); break;
  default: memcpy(to, from, size); break;
  }
}

/* cmp orders by the key first: only equal keys need the call. */
static int before(const char *x, const char *y,
                  int (*cmp)(const void *, const void *)) {
  uint64_t kx = key_at(x), ky = key_at(y);
  if (kx != ky) return kx < ky;
  return cmp(x, y) < 0;
}

/* Sort n elements in place by cmp when there are few of them: insertion,
 * moving through `hold` (one element). */
static void insertion_sort(char *base, size_t n, size_t size,
                           int (*cmp)(const void *, const void *), char *hold) {
  for (size_t i = 1; i < n; i++) {
    if (!before(base + i * size, base + (i - 1) * size, cmp)) continue;
    copy_element(hold, base + i * size, size);
    size_t j = i;
    while (j > 0 && before(hold, base + (j - 1) * size, cmp)) {
      copy_element(base + j * size, base + (j - 1) * size, size);
      j--;
    }
    copy_element(base + j * size, hold, size);
  }
}

/* Buckets at most this large are finished by insertion sort. */
#define SMALL_BUCKET 24

static unsigned digit_at(const char *element, int shift) {
  return (unsigned)(key_at(element) >> shift) & 255u;
}

/* Most-significant-digit radix sort, a byte of the key at a time: the n
 * elements at `from` are distributed into `to` by the byte at `shift`, and
 * each bucket sorted likewise with the arrays' roles swapped; the sorted
 * result ends in `to` if into_to, else back in `from`.  Equal keys (every
 * byte used) are left to cmp.  A 256-way distribution keeps the buckets
 * being written few enough for the caches, and after the first pass each
 * bucket is sorted in cache. */
static void radix_sort(char *from, char *to, size_t n, size_t size, int shift,
                       int into_to, int (*cmp)(const void *, const void *),
                       char *hold) {
  if (n <= SMALL_BUCKET || shift < 0) {
    char *at = from;
    if (into_to) {
      memcpy(to, from, n * size);
      at = to;
    }
    if (n <= SMALL_BUCKET) insertion_sort(at, n, size, cmp, hold);
    else qsort(at, n, size, cmp);
    return;
  }
  size_t start[257] = {0}, fill[256];
  for (size_t i = 0; i < n; i++) start[digit_at(from + i * size, shift) + 1]++;
  for (size_t b = 1; b <= 256; b++) start[b] += start[b - 1];
  memcpy(fill, start, sizeof fill);
  for (size_t i = 0; i < n; i++)
    copy_element(to + fill[digit_at(from + i * size, shift)]++ * size, from + i * size, size);
  for (size_t b = 0; b < 256; b++) {
    size_t m = start[b + 1] - start[b];
    if (m == 0) continue;
    /* The bucket is in `to` now; it must end where this call's result
     * goes: in `to` if into_to (its `from` below), else in `from`. */
    radix_sort(to + start[b] * size, from + start[b] * size, m, size, shift - 8,
               !into_to, cmp, hold);
  }
}

/* The elements of base distributed in place by their key's top byte
 * (American flag sort: each element is swapped straight into its bucket),
 * the bucket bounds into start[0..256].  Not stable: the buckets are
 * sorted by cmp afterwards. */
static void distribute_in_place(char *base, size_t n, size_t size, size_t *start,
                                char *hold, char *swap) {
  size_t next[256];
  memset(start, 0, 257 * sizeof *start);
  for (size_t i = 0; i < n; i++) start[digit_at(base + i * size, 56) + 1]++;
  for (size_t b = 1; b <= 256; b++) start[b] += start[b - 1];
  memcpy(next, start, sizeof next);
  for (unsigned b = 0; b < 256; b++) {
    while (next[b] < start[b + 1]) {
      copy_element(hold, base + next[b] * size, size);
      unsigned digit = digit_at(hold, 56);
      while (digit != b) {
        char *at = base + next[digit]++ * size;
        copy_element(swap, at, size);
        copy_element(at, hold, size);
        copy_element(hold, swap, size);
        digit = digit_at(hold, 56);
      }
      copy_element(base + next[b]++ * size, hold, size);
    }
  }
}

int gw_dups_sort(void *array, size_t n, size_t size,
                 int (*cmp)(const void *, const void *)) {
  char *base = array;
  char small[128];
  if (n <= SMALL_BUCKET && 2 * size <= sizeof small) {
    insertion_sort(base, n, size, cmp, small);
    return GW_OK;
  }
  /* The top byte in place, so that the scratch is one bucket's size, not
   * the array's (fresh pages cost more than the swaps); then each bucket
   * by the radix sort, in cache. */
  char *hold = malloc(2 * size);
  size_t start[257];
  if (!hold) return GW_ENOMEM;
  distribute_in_place(base, n, size, start, hold, hold + size);
  size_t largest = 0;
  for (size_t b = 0; b < 256; b++)
    if (start[b + 1] - start[b] > largest) largest = start[b + 1] - start[b];
  char *tmp = malloc(largest * size + 1);
  if (!tmp) {
    free(hold);
    return GW_ENOMEM; /* the array is permuted, still complete */
  }
  for (size_t b = 0; b < 256; b++)
    radix_sort(base + start[b] * size, tmp, start[b + 1] - start[b], size, 48, 0, cmp, hold);
  free(tmp);
  free(hold);
  return GW_OK;
}

/* ---- the store of the documents' characters ----
 *
 * Large chunks handed out under a lock (gw_dups_prepare runs on several
 * threads) and freed with the handle: a fresh page costs a fault, and in
 * large chunks the pages can be huge ones, so the documents' arrays, the
 * bulk of the index, take a few hundred faults instead of one per 4 KiB. */
#define STORE_CHUNK ((size_t)32 << 20)
#define STORE_ALIGN ((size_t)2 << 20)

struct gw_dups_store {
  pthread_mutex_t lock;
  char *chunk;
  size_t used, size;
  GW_DUPS_ARRAY(char *, chunks);
};

static gw_dups_store *store_new(void) {
  gw_dups_store *s = calloc(1, sizeof *s);
  if (s && pthread_mutex_init(&s->lock, NULL)) {
    free(s);
    return NULL;
  }
  return s;
}

static void store_free(gw_dups_store *s) {
  if (!s) return;
  for (size_t i = 0; i < s->chunks_count; i++) free(s->chunks[i]);
  free(s->chunks);
  pthread_mutex_destroy(&s->lock);
  free(s);
}

/* bytes (8-aligned) that live as long as the store, or NULL. */
static void *store_alloc(gw_dups_store *s, size_t bytes) {
  bytes = (bytes + 7) & ~(size_t)7;
  void *p = NULL;
  pthread_mutex_lock(&s->lock);
  if (!s->chunk || s->size - s->used < bytes) {
    size_t size = bytes > STORE_CHUNK ? (bytes + STORE_ALIGN - 1) & ~(STORE_ALIGN - 1)
                                      : STORE_CHUNK;
    char *c = GW_DUPS_RESERVE(s->chunks, s->chunks_count + 1) ? NULL
                                                              : aligned_alloc(STORE_ALIGN, size);
    if (c) {
      gw_dups_advise_huge(c, size);
      s->chunks[s->chunks_count++] = c;
      s->chunk = c;
      s->used = 0;
      s->size = size;
    }
  }
  if (s->chunk && s->size - s->used >= bytes) {
    p = s->chunk + s->used;
    s->used += bytes;
  }
  pthread_mutex_unlock(&s->lock);
  return p;
}

int gw_dups_indexer_reserve(gw_dups_indexer *ix, size_t n) {
  return gw_dups_grow((void **)&ix->hashes, &ix->hashes_cap, n, sizeof *ix->hashes);
}

int gw_dups_add_pair(gw_dups_pairs *pairs, uint32_t x, uint32_t y) {
  if (x == y) return GW_OK;
  if (x > y) { uint32_t t = x; x = y; y = t; }
  if (gw_dups_grow((void **)&pairs->pair, &pairs->cap, pairs->count + 1, sizeof *pairs->pair))
    return GW_ENOMEM;
  pairs->pair[pairs->count++] = ((uint64_t)x << 32) | y;
  return GW_OK;
}

static int check_options(const gw_dups_options *o, gw_error *err) {
  if (o->version != GW_DUPS_OPTIONS_VERSION)
    return gw_fail(err, GW_EINVAL, "gw_dups: options version %u, expected %u",
                   o->version, (unsigned)GW_DUPS_OPTIONS_VERSION);
  if (o->shingle_k < 1 || o->shingle_k > 64)
    return gw_fail(err, GW_EINVAL, "gw_dups: shingle_k must be 1 to 64");
  if (o->minhash_count < 1 || o->bands < 1 || o->minhash_count % o->bands)
    return gw_fail(err, GW_EINVAL, "gw_dups: bands must divide minhash_count");
  if (!(o->min_jaccard > 0.0 && o->min_jaccard <= 1.0))
    return gw_fail(err, GW_EINVAL, "gw_dups: min_jaccard must be in (0, 1]");
  if (!(o->min_containment > 0.0))
    return gw_fail(err, GW_EINVAL, "gw_dups: min_containment must be positive");
  if (o->passage_t < 2 || o->passage_t > 13 || o->passage_k < 1 ||
      o->passage_k > o->passage_t)
    return gw_fail(err, GW_EINVAL,
                   "gw_dups: need 1 <= passage_k <= passage_t <= 13");
  if (!(o->generic_fraction > 0.0))
    return gw_fail(err, GW_EINVAL, "gw_dups: generic_fraction must be positive");
  return GW_OK;
}

int gw_dups_new(gw_dups **out, const gw_dups_options *opts, gw_error *err) {
  static const gw_dups_options defaults = GW_DUPS_OPTIONS_INIT;
  *out = NULL;
  if (!opts) opts = &defaults;
  int rc = check_options(opts, err);
  if (rc) return rc;
  gw_dups *d = calloc(1, sizeof *d);
  if (d) d->store = store_new();
  if (!d || !d->store) {
    free(d);
    return gw_fail(err, GW_ENOMEM, "gw_dups: out of memory");
  }
  d->opts = *opts;
  *out = d;
  return GW_OK;
}

static void clear_results(gw_dups *d) {
  free(d->info); free(d->sources); free(d->pairs); free(d->passages);
  free(d->clusters); free(d->members);
  d->info = NULL; d->sources = NULL; d->pairs = NULL; d->passages = NULL;
  d->clusters = NULL; d->members = NULL;
  d->info_count = d->info_cap = d->sources_count = d->sources_cap = 0;
  d->pairs_count = d->pairs_cap = d->passages_count = d->passages_cap = 0;
  d->clusters_count = d->clusters_cap = d->members_count = d->members_cap = 0;
}

void gw_dups_free(gw_dups *d) {
  if (!d) return;
  clear_results(d);
  for (size_t i = 0; i < d->docs_count; i++) free(d->docs[i].fars);
  store_free(d->store); /* the documents' character arrays */
  free(d->docs);
  free(d->paras);
  free(d->fps); free(d->elig); free(d->keys);
  free(d);
}

const gw_dups_options *gw_dups_get_options(const gw_dups *d) { return &d->opts; }

const char *gw_dups_kind_name(gw_dups_kind kind) {
  switch (kind) {
  case GW_DUPS_OFFICIAL: return "official";
  case GW_DUPS_GENERIC: return "generic";
  default: return "copy";
  }
}

/* ---- adding a document ---- */

/* While a document is prepared: the end of a character whose length is not
 * below LONG (its length is then LONG). */
#define LONG 255u
typedef struct long_char {
  uint64_t unit;
  uint32_t end;
} long_char;

/* One document's characters, paragraphs, fingerprints and band keys,
 * numbered from 0, ready to be moved into the index (gw_dups_prepare). */
struct gw_dups_input {
  const gw_dups_store *store; /* where its arrays are kept */
  char *scratch;          /* the arrays while they are made */
  size_t units;
  uint32_t *cp;           /* code points (see gw_dups_doc) */
  uint32_t *ostart;       /* while prepared: original start, and length */
  uint8_t *olen, *flags;
  GW_DUPS_ARRAY(long_char, longs);
  uint32_t *marks;        /* kept: see gw_dups_doc */
  uint8_t *where;
  GW_DUPS_ARRAY(gw_dups_far, fars);
  gw_dups_para *paras;    /* document 0, units from 0 */
  size_t para_count;
  size_t official;
  gw_dups_indexer ix;     /* its fingerprints (document 0) */
  uint32_t *elig;         /* its paragraphs long enough to cluster */
  uint64_t *keys;         /* and their band keys */
  size_t elig_count;
};

void gw_dups_input_free(gw_dups_input *in) {
  if (!in) return;
  free(in->scratch);
  free(in->longs);
  free(in->fars);
  free(in->paras);
  free(in->ix.fps); free(in->ix.hashes); free(in->ix.sig); free(in->ix.full);
  free(in->elig);
  free(in->keys);
  free(in);
}

/* The original bytes [start, end) of unit u. */
static int set_original(gw_dups_input *in, size_t u, size_t start, size_t end) {
  in->ostart[u] = (uint32_t)start;
  if (end >= start && end - start < LONG) {
    in->olen[u] = (uint8_t)(end - start);
    return GW_OK;
  }
  in->olen[u] = LONG;
  if (GW_DUPS_RESERVE(in->longs, in->longs_count + 1)) return GW_ENOMEM;
  in->longs[in->longs_count].unit = u;
  in->longs[in->longs_count].end = (uint32_t)end;
  in->longs_count++;
  return GW_OK;
}

/* Letters and digits are characters; whitespace, punctuation, symbols,
 * controls and U+FFFD are not. */
static int is_counted(int32_t cp) {
  if (cp < 0x80) return gw_is_ascii_alpha(cp) || gw_is_ascii_digit(cp);
  if (gw_is_han(cp)) return 1;
  utf8proc_category_t c = utf8proc_category(cp);
  return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
         (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

/* First unit (of n) whose normalized position is >= pos. */
static size_t lower_unit(const uint32_t *npos, size_t n, size_t pos) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (npos[mid] < pos) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/* The characters (units) of the normalized view with their original
 * bytes, and each one's normalized position into npos. */
static int extract_units(gw_dups_input *in, const gw_document *doc, uint32_t *npos) {
  size_t len;
  const unsigned char *s = (const unsigned char *)gw_document_normalized(doc, &len);
  size_t n = 0, masks = gw_document_mask_count(doc), m = 0;
  for (size_t i = 0; i < len;) {
    while (m < masks && gw_document_mask(doc, m)->norm_end <= i) m++;
    if (m < masks && gw_document_mask(doc, m)->norm_start == i &&
        gw_document_mask(doc, m)->norm_end > i) {
      const gw_range *r = gw_document_mask(doc, m);
      in->cp[n] = GW_DUPS_MASK_CHAR;
      if (set_original(in, n, r->start, r->end)) return GW_ENOMEM;
      npos[n++] = (uint32_t)i;
      i = r->norm_end;
      continue;
    }
    int32_t cp;
    size_t l = gw_utf8_next(s + i, len - i, &cp);
    if (cp >= 0 && is_counted(cp)) {
      if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
      in->cp[n] = (uint32_t)cp;
      if (set_original(in, n, gw_document_to_original(doc, i),
                       gw_document_to_original_end(doc, i + l)))
        return GW_ENOMEM;
      npos[n++] = (uint32_t)i;
    }
    i += l;
  }
  in->units = n;
  return GW_OK;
}

/* Character u's original bytes as coded by `where` (see GW_DUPS_FAR),
 * given the previous character's end, or a far record. */
static int code_where(gw_dups_input *in, size_t u, uint32_t start, uint32_t end,
                      uint32_t prev_end) {
  uint32_t len = end - start, gap = start - prev_end;
  if (end > start && len <= 4 && start >= prev_end && gap <= 62) {
    in->where[u] = (uint8_t)((len - 1) | gap << 2);
    return GW_OK;
  }
  in->where[u] = GW_DUPS_FAR;
  if (GW_DUPS_RESERVE(in->fars, in->fars_count + 1)) return GW_ENOMEM;
  in->fars[in->fars_count++] = (gw_dups_far){u, start, end};
  return GW_OK;
}

/* The arrays the index keeps (cp, marks, where, flags), made from the
 * scratch ones in one block of the store. */
static int keep(gw_dups_store *store, gw_dups_input *in) {
  size_t n = in->units, m = (n + GW_DUPS_MARK_EVERY - 1) / GW_DUPS_MARK_EVERY;
  char *block = store_alloc(store, n * 4 + m * 4 + 2 * n + 1);
  if (!block) return GW_ENOMEM;
  uint32_t *cp = (uint32_t *)(void *)block, *marks = cp + n;
  uint8_t *where = (uint8_t *)(marks + m), *flags = where + n;
  memcpy(cp, in->cp, n * 4);
  memcpy(flags, in->flags, n);
  in->where = where;
  size_t l = 0;
  uint32_t prev_end = 0;
  for (size_t u = 0; u < n; u++) {
    uint32_t start = in->ostart[u], end = start + in->olen[u];
    if (in->olen[u] == LONG) {
      while (in->longs[l].unit < u) l++;
      end = in->longs[l].end;
    }
    if (u % GW_DUPS_MARK_EVERY == 0) marks[u / GW_DUPS_MARK_EVERY] = prev_end = start;
    if (code_where(in, u, start, end, prev_end)) return GW_ENOMEM;
    prev_end = end;
  }
  in->cp = cp;
  in->marks = marks;
  in->flags = flags;
  free(in->scratch);
  in->scratch = NULL;
  in->ostart = NULL;
  in->olen = NULL;
  return GW_OK;
}

void gw_dups_char_bytes(const gw_dups_doc *dd, size_t i, uint32_t *start, uint32_t *end) {
  uint32_t s = 0, e = 0;
  for (size_t j = i - i % GW_DUPS_MARK_EVERY; j <= i; j++) {
    uint8_t w = dd->where[j];
    if (w == GW_DUPS_FAR) {
      size_t lo = 0, hi = dd->fars_count;
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dd->fars[mid].unit < j) lo = mid + 1; else hi = mid;
      }
      s = dd->fars[lo].start;
      e = dd->fars[lo].end;
      continue;
    }
    s = j % GW_DUPS_MARK_EVERY ? e + (w >> 2) : dd->marks[j / GW_DUPS_MARK_EVERY];
    e = s + (w & 3u) + 1;
  }
  *start = s;
  *end = e;
}

/* The document's winnowing fingerprints and its paragraphs' band keys:
 * what the index needs of it beyond its characters. */
static int index_input(const gw_dups_options *o, gw_dups_input *in) {
  size_t minc = o->min_paragraph_chars > o->shingle_k ? o->min_paragraph_chars : o->shingle_k;
  gw_dups_indexer *ix = &in->ix;
  ix->sig = malloc(o->minhash_count * sizeof *ix->sig);
  ix->full = malloc(o->minhash_count);
  in->elig = malloc((in->para_count + 1) * sizeof *in->elig);
  if (!ix->sig || !ix->full || !in->elig) return GW_ENOMEM;
  for (size_t p = 0; p < in->para_count; p++)
    if (in->paras[p].unit_count >= minc) in->elig[in->elig_count++] = (uint32_t)p;
  in->keys = malloc((in->elig_count * o->bands + 1) * sizeof *in->keys);
  if (!in->keys || gw_dups_winnow(o, in->cp, in->units, ix)) return GW_ENOMEM;
  for (size_t e = 0; e < in->elig_count; e++) {
    const gw_dups_para *p = &in->paras[in->elig[e]];
    if (gw_dups_sign(o, in->cp + p->unit_first, p->unit_count, ix, in->keys + e * o->bands))
      return GW_ENOMEM;
  }
  /* The scratch is not kept. */
  free(ix->hashes); free(ix->sig); free(ix->full);
  ix->hashes = NULL; ix->sig = NULL; ix->full = NULL;
  ix->hashes_cap = 0;
  return GW_OK;
}

int gw_dups_prepare(const gw_dups *d, const gw_document *doc, const gw_range *official,
                    size_t n_official, gw_dups_input **out, gw_error *err) {
  *out = NULL;
  if (!d || !doc || (n_official && !official))
    return gw_fail(err, GW_EINVAL, "gw_dups_prepare: invalid argument");
  size_t len;
  gw_document_normalized(doc, &len);
  size_t paras = gw_document_paragraph_count(doc);
  gw_dups_input *in = calloc(1, sizeof *in);
  /* One block for the per-character arrays, at most one unit per byte. */
  size_t cap = len + 1;
  char *block = in ? malloc(cap * (2 * sizeof(uint32_t) + 2) + cap * sizeof(uint32_t)) : NULL;
  if (in) {
    in->store = d->store;
    in->scratch = block;
    in->cp = (uint32_t *)(void *)block;
  }
  if (in) in->paras = malloc((paras + 1) * sizeof *in->paras);
  if (!in || !block || !in->paras) goto nomem;
  in->ostart = in->cp + cap;
  uint32_t *npos = in->ostart + cap;
  in->olen = (uint8_t *)(npos + cap);
  in->flags = in->olen + cap;
  if (extract_units(in, doc, npos)) goto nomem;
  size_t n = in->units;
  memset(in->flags, 0, n);
  for (size_t j = 0; j < n_official; j++) {
    size_t a = lower_unit(npos, n, official[j].norm_start);
    size_t b = lower_unit(npos, n, official[j].norm_end);
    for (size_t u = a; u < b; u++) in->flags[u] |= GW_DUPS_OFFICIAL_FLAG;
  }
  for (size_t u = 0; u < n; u++) in->official += in->flags[u] & GW_DUPS_OFFICIAL_FLAG;
  in->para_count = paras;
  for (size_t p = 0; p < paras; p++) {
    const gw_paragraph *gp = gw_document_paragraph(doc, p);
    size_t a = lower_unit(npos, n, gp->range.norm_start);
    size_t b = lower_unit(npos, n, gp->range.norm_end);
    gw_dups_para *pr = &in->paras[p];
    pr->document = 0;
    pr->paragraph = (uint32_t)p;
    pr->unit_first = a;
    pr->unit_count = (uint32_t)(b - a);
    pr->start = (uint32_t)gp->range.start;
    pr->end = (uint32_t)gp->range.end;
  }
  if (index_input(&d->opts, in) || keep(d->store, in)) goto nomem;
  *out = in;
  return GW_OK;
nomem:
  gw_dups_input_free(in);
  return gw_fail(err, GW_ENOMEM, "gw_dups_prepare: out of memory");
}

int gw_dups_add_prepared(gw_dups *d, gw_dups_input *in, gw_error *err) {
  if (!d || !in || !in->cp || in->store != d->store)
    return gw_fail(err, GW_EINVAL, "gw_dups_add_prepared: invalid argument");
  if (d->docs_count >= UINT32_MAX - 1)
    return gw_fail(err, GW_ETOOBIG, "gw_dups_add: too many documents");
  size_t B = d->opts.bands;
  if (GW_DUPS_RESERVE(d->docs, d->docs_count + 1) ||
      GW_DUPS_RESERVE(d->paras, d->paras_count + in->para_count) ||
      GW_DUPS_RESERVE(d->fps, d->fps_count + in->ix.fps_count) ||
      GW_DUPS_RESERVE(d->elig, d->elig_count + in->elig_count) ||
      GW_DUPS_RESERVE(d->keys, (d->elig_count + in->elig_count) * B))
    return gw_fail(err, GW_ENOMEM, "gw_dups_add: out of memory");
  for (size_t i = 0; i < in->ix.fps_count; i++) {
    gw_dups_fp *fp = &d->fps[d->fps_count++];
    *fp = in->ix.fps[i];
    fp->doc = (uint32_t)d->docs_count;
  }
  if (in->elig_count)
    memcpy(d->keys + d->elig_count * B, in->keys, in->elig_count * B * sizeof *d->keys);
  for (size_t e = 0; e < in->elig_count; e++)
    d->elig[d->elig_count++] = (uint32_t)(d->paras_count + in->elig[e]);
  size_t base = d->units;
  gw_dups_doc *dd = &d->docs[d->docs_count];
  dd->unit_first = base;
  dd->unit_count = (uint32_t)in->units;
  dd->official = (uint32_t)in->official;
  dd->para_first = d->paras_count;
  dd->para_count = (uint32_t)in->para_count;
  /* The character arrays move into the index. */
  dd->cp = in->cp;
  dd->marks = in->marks;
  dd->where = in->where;
  dd->flags = in->flags;
  dd->fars = in->fars;
  dd->fars_count = in->fars_count;
  in->cp = NULL;
  in->fars = NULL;
  for (size_t p = 0; p < in->para_count; p++) {
    gw_dups_para *pr = &d->paras[d->paras_count++];
    *pr = in->paras[p];
    pr->document = (uint32_t)d->docs_count;
    pr->unit_first += base;
  }
  d->units += in->units;
  d->docs_count++;
  return GW_OK;
}

int gw_dups_add(gw_dups *d, const gw_document *doc, const gw_range *official,
                size_t n_official, gw_error *err) {
  if (!d || !doc || (n_official && !official))
    return gw_fail(err, GW_EINVAL, "gw_dups_add: invalid argument");
  gw_dups_input *in;
  int rc = gw_dups_prepare(d, doc, official, n_official, &in, err);
  if (!rc) rc = gw_dups_add_prepared(d, in, err);
  gw_dups_input_free(in);
  return rc;
}

/* gw_dups_run's steps: two tasks at a time, the second on a new thread
 * (on the caller's if none can be started).  The tasks of a step write
 * disjoint parts of the handle (clusters and members; flags' generic bit,
 * info, sources, pairs and passages; each its own work arrays) and only
 * read the index, so the results do not depend on the threads. */
typedef struct run_work {
  gw_dups *d;
  gw_dups_runs runs;
  gw_dups_pairs candidates;
} run_work;

typedef int (*run_task)(run_work *w);

typedef struct task_thread {
  run_task task;
  run_work *work;
  int rc;
} task_thread;

static void *task_main(void *arg) {
  task_thread *t = arg;
  t->rc = t->task(t->work);
  return NULL;
}

static int run_step(run_work *w, run_task first, run_task second) {
  task_thread t = {second, w, 0};
  pthread_t thread;
  int threaded = pthread_create(&thread, NULL, task_main, &t) == 0;
  int rc = first(w);
  if (threaded) pthread_join(thread, NULL);
  else task_main(&t);
  return rc ? rc : t.rc;
}

static int find_runs(run_work *w) { return gw_dups_find_runs(w->d, &w->runs); }
static int find_candidates(run_work *w) {
  return gw_dups_find_candidates(w->d, &w->candidates);
}
static int generic_prepare(run_work *w) { return gw_dups_generic_prepare(w->d, &w->runs); }
static int generic_count_first(run_work *w) { return gw_dups_generic_count(w->d, &w->runs, 0); }
static int generic_count_second(run_work *w) { return gw_dups_generic_count(w->d, &w->runs, 1); }
static int clusters(run_work *w) {
  /* The paragraphs sharing a run are candidates too. */
  gw_dups_pairs *c = &w->candidates;
  const gw_dups_pairs *more = &w->runs.para_pairs;
  if (gw_dups_grow((void **)&c->pair, &c->cap, c->count + more->count, sizeof *c->pair))
    return GW_ENOMEM;
  if (more->count) memcpy(c->pair + c->count, more->pair, more->count * sizeof *c->pair);
  c->count += more->count;
  return gw_dups_clusters(w->d, c);
}

int gw_dups_run(gw_dups *d, gw_error *err) {
  if (!d) return gw_fail(err, GW_EINVAL, "gw_dups_run: invalid argument");
  clear_results(d);
  run_work w;
  memset(&w, 0, sizeof w);
  w.d = d;
  int rc = run_step(&w, find_runs, find_candidates);
  if (!rc) rc = run_step(&w, generic_prepare, clusters);
  if (!rc) rc = run_step(&w, generic_count_first, generic_count_second);
  if (!rc) rc = gw_dups_passages(d, &w.runs);
  gw_dups_runs_free(&w.runs);
  free(w.candidates.pair);
  if (rc) {
    clear_results(d);
    return gw_fail(err, rc, "gw_dups: out of memory");
  }
  return GW_OK;
}

/* ---- results ---- */

size_t gw_dups_document_count(const gw_dups *d) { return d->docs_count; }

const gw_dups_document *gw_dups_document_info(const gw_dups *d, size_t i) {
  return i < d->info_count ? &d->info[i] : NULL;
}
const gw_dups_source *gw_dups_source_at(const gw_dups *d, size_t i) {
  return i < d->sources_count ? &d->sources[i] : NULL;
}
size_t gw_dups_pair_count(const gw_dups *d) { return d->pairs_count; }
const gw_dups_pair *gw_dups_pair_at(const gw_dups *d, size_t i) {
  return i < d->pairs_count ? &d->pairs[i] : NULL;
}
const gw_dups_passage *gw_dups_passage_at(const gw_dups *d, size_t i) {
  return i < d->passages_count ? &d->passages[i] : NULL;
}
size_t gw_dups_cluster_count(const gw_dups *d) { return d->clusters_count; }
const gw_dups_cluster *gw_dups_cluster_at(const gw_dups *d, size_t i) {
  return i < d->clusters_count ? &d->clusters[i] : NULL;
}
const gw_dups_member *gw_dups_member_at(const gw_dups *d, size_t i) {
  return i < d->members_count ? &d->members[i] : NULL;
}

int gw_dups_text(const gw_dups *d, size_t document, size_t a, size_t b,
                 char **out, size_t *len, gw_error *err) {
  *out = NULL;
  if (len) *len = 0;
  if (document >= d->docs_count || a > b || b > d->docs[document].unit_count)
    return gw_fail(err, GW_EINVAL, "gw_dups_text: range out of bounds");
  const uint32_t *cp = d->docs[document].cp;
  char *s = malloc((b - a) * 4 + 1), *p = s;
  if (!s) return gw_fail(err, GW_ENOMEM, "gw_dups_text: out of memory");
  for (size_t i = a; i < b; i++) {
    if (cp[i] == GW_DUPS_MASK_CHAR) { *p++ = '*'; *p++ = '*'; }
    else p += gw_utf8_encode((int32_t)cp[i], p);
  }
  *p = '\0';
  *out = s;
  if (len) *len = (size_t)(p - s);
  return GW_OK;
}
