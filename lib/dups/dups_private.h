/*
 * dups_private.h — the duplicate index shared by dups.c (handle, documents,
 * results), shingle.c (paragraph clusters) and align.c (passages).  Private.
 *
 * Everything here is flat arrays of fixed-width integers indexed by position,
 * so the index (documents, characters, paragraphs) can be written to a file
 * as is and extended with more documents later.
 */
#ifndef GW_DUPS_PRIVATE_H
#define GW_DUPS_PRIVATE_H

#include "internal.h"

/* The character every template mask becomes (beyond Unicode). */
#define GW_DUPS_MASK_CHAR 0x110000u /* below 2^21: shingle.c packs three */

/* Unit flags. */
#define GW_DUPS_OFFICIAL_FLAG 1u
#define GW_DUPS_GENERIC_FLAG 2u  /* set by the last gw_dups_run */

/* Where a character was in the original file, in one byte: bits 0-1 its
 * length in bytes less one, bits 2-7 the bytes between the previous
 * character's end and its start (up to 62); or GW_DUPS_FAR, its bytes then
 * in the document's `fars` (a mask, a character after removed text).  The
 * start of every GW_DUPS_MARK_EVERY-th character is kept whole in `marks`,
 * so a character's bytes are found from at most that many codes. */
#define GW_DUPS_FAR 255u
#define GW_DUPS_MARK_EVERY 32
typedef struct gw_dups_far {
  uint64_t unit;         /* character in the document */
  uint32_t start, end;
} gw_dups_far;

/* A document: its characters in arrays of its own (one block in the
 * handle's store), numbered from 0; unit_first places them in one
 * numbering over the corpus, which paragraphs use too. */
typedef struct gw_dups_doc {
  uint64_t unit_first;   /* its first character in the corpus numbering */
  uint32_t unit_count;
  uint32_t official;     /* characters in official spans */
  uint64_t para_first;   /* index of its first paragraph record */
  uint32_t para_count;
  uint32_t *cp;          /* per character: code point or GW_DUPS_MASK_CHAR */
  uint32_t *marks;       /* original start of characters 0, 32, 64 ... */
  uint8_t *where;        /* per character: see GW_DUPS_FAR */
  uint8_t *flags;        /* GW_DUPS_OFFICIAL_FLAG, GW_DUPS_GENERIC_FLAG */
  gw_dups_far *fars;     /* by character */
  size_t fars_count;
} gw_dups_doc;

typedef struct gw_dups_para {
  uint32_t document;
  uint32_t paragraph;    /* index in the document */
  uint64_t unit_first;   /* corpus numbering */
  uint32_t unit_count;
  uint32_t start, end;   /* original bytes */
} gw_dups_para;

#define GW_DUPS_ARRAY(type, name) \
  type *name;                     \
  size_t name##_count, name##_cap

/* A winnowing fingerprint: a passage_k-gram hash selected at pos. */
typedef struct gw_dups_fp {
  uint64_t hash;
  uint32_t doc, pos;
} gw_dups_fp;

typedef struct gw_dups_store gw_dups_store;

struct gw_dups {
  gw_dups_options opts;
  gw_dups_store *store;               /* the documents' character arrays */
  /* the index */
  GW_DUPS_ARRAY(gw_dups_doc, docs);
  size_t units;                       /* characters of all documents */
  GW_DUPS_ARRAY(gw_dups_para, paras);
  GW_DUPS_ARRAY(gw_dups_fp, fps);     /* winnowing fingerprints; sorted by
                                       * (hash, doc, pos) by gw_dups_run */
  GW_DUPS_ARRAY(uint32_t, elig);      /* paragraphs long enough to cluster */
  uint64_t *keys;                     /* per eligible paragraph, its LSH
                                       * band keys: keys[e * bands + b] */
  size_t keys_cap;
  /* results of gw_dups_run */
  GW_DUPS_ARRAY(gw_dups_document, info);
  GW_DUPS_ARRAY(gw_dups_source, sources);
  GW_DUPS_ARRAY(gw_dups_pair, pairs);
  GW_DUPS_ARRAY(gw_dups_passage, passages);
  GW_DUPS_ARRAY(gw_dups_cluster, clusters);
  GW_DUPS_ARRAY(gw_dups_member, members);
};

/* Ask for transparent huge pages over [p, p + bytes) when it is large (the
 * cost of a large fresh array is mostly page faults).  A hint only. */
void gw_dups_advise_huge(void *p, size_t bytes);
/* malloc (zero: calloc) with gw_dups_advise_huge; NULL if out of memory. */
void *gw_dups_alloc(size_t bytes, int zero);
/* Grow an array to hold `need` elements.  0 or GW_ENOMEM. */
int gw_dups_grow(void **array, size_t *cap, size_t need, size_t elem);
#define GW_DUPS_RESERVE(arr, need) \
  gw_dups_grow((void **)&(arr), &(arr##_cap), (need), sizeof *(arr))

/* A seeded 64-bit mix (splitmix64 finalizer). */
static inline uint64_t gw_dups_mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

/* Hashes of every k characters of cp[0..n) into out[0..n-k+1) (nothing when
 * n < k; k <= 64): a rolling polynomial over mixed characters, mixed again,
 * so each value depends on the k characters only (not on where they stand). */
static inline void gw_dups_kgrams(const uint32_t *cp, size_t n, size_t k,
                                  uint64_t seed, uint64_t *out) {
  const uint64_t B = 0x100000001b3ull; /* odd */
  if (n < k) return;
  /* The mixed characters of the window, in a ring (k <= 64), so each
   * character is mixed once. */
  uint64_t ring[64];
  uint64_t top = 1, h = 0;
  for (size_t j = 1; j < k; j++) top *= B;
  for (size_t j = 0; j < k; j++) {
    ring[j] = gw_dups_mix(cp[j] ^ seed);
    h = h * B + ring[j];
  }
  out[0] = gw_dups_mix(h ^ seed);
  size_t r = 0; /* ring slot of cp[i - 1] */
  for (size_t i = 1; i + k <= n; i++) {
    uint64_t m = gw_dups_mix(cp[i + k - 1] ^ seed);
    h = (h - ring[r] * top) * B + m;
    ring[r] = m;
    if (++r == k) r = 0;
    out[i] = gw_dups_mix(h ^ seed);
  }
}

/* Sort the n elements of `size` bytes at array, whose first 8 bytes are a
 * well-mixed uint64_t key, by cmp, which must order by that key first and
 * be a total order (so the result does not depend on the method): a radix
 * sort on the key's bytes, cmp only for equal keys.  0 or GW_ENOMEM (the
 * elements then still all there, in some order). */
int gw_dups_sort(void *array, size_t n, size_t size,
                 int (*cmp)(const void *, const void *));

/* The original bytes [*start, *end) of character i of document dd. */
void gw_dups_char_bytes(const gw_dups_doc *dd, size_t i, uint32_t *start, uint32_t *end);

/* The characters of paragraph p. */
static inline const uint32_t *gw_dups_para_chars(const gw_dups *d, const gw_dups_para *p) {
  const gw_dups_doc *dd = &d->docs[p->document];
  return dd->cp + (p->unit_first - dd->unit_first);
}

/* Pairs of eligible paragraph indexes, the lower index in the high half. */
typedef struct gw_dups_pairs {
  uint64_t *pair;
  size_t count, cap;
} gw_dups_pairs;
int gw_dups_add_pair(gw_dups_pairs *pairs, uint32_t x, uint32_t y);

/* What the first passage step leaves for the second and for the clusters. */
typedef struct gw_dups_span gw_dups_span;
typedef struct gw_dups_grams gw_dups_grams;
typedef struct gw_dups_runs {
  gw_dups_span *spans;       /* by pair (a, b), then by position in a */
  size_t n_spans;
  gw_dups_pairs para_pairs;  /* eligible paragraphs sharing a run */
  gw_dups_grams *grams;      /* the spans' k-grams and their document
                              * counts, for the generic rule; NULL if none
                              * can be generic */
} gw_dups_runs;

/* What indexing one document makes (its fingerprints, doc 0), with its
 * scratch. */
typedef struct gw_dups_indexer {
  GW_DUPS_ARRAY(gw_dups_fp, fps);
  uint64_t *hashes;
  size_t hashes_cap;
  uint64_t *sig;   /* minhash_count values */
  uint8_t *full;   /* minhash_count flags */
} gw_dups_indexer;

/* At least n hashes of scratch in ix->hashes.  0 or GW_ENOMEM. */
int gw_dups_indexer_reserve(gw_dups_indexer *ix, size_t n);
/* align.c: append the winnowing fingerprints of a document's n characters
 * to ix->fps.  0 or GW_ENOMEM. */
int gw_dups_winnow(const gw_dups_options *o, const uint32_t *cp, size_t n,
                   gw_dups_indexer *ix);
/* shingle.c: the band keys (o->bands values) of a paragraph's n >=
 * shingle_k characters.  0 or GW_ENOMEM. */
int gw_dups_sign(const gw_dups_options *o, const uint32_t *cp, size_t n,
                 gw_dups_indexer *ix, uint64_t *keys);

/* gw_dups_run, in steps of two tasks run side by side.  Each returns 0 or GW_ENOMEM.
 * 1. align.c: sort the fingerprints, extend shared ones into runs and
 *    spans; shingle.c: candidate paragraph pairs from the LSH bands.
 * 2. align.c: the spans' k-grams for the generic rule; shingle.c: verify
 *    the candidates and the paragraphs sharing a run (a short paragraph
 *    inside a long one, which bands on Jaccard miss), build the clusters.
 * 3. align.c: the documents containing each span k-gram, two tasks each
 *    counting half the corpus (part 0 and 1).
 * 4. align.c: passages, pairs, document ratios and sources. */
int gw_dups_find_runs(gw_dups *d, gw_dups_runs *runs);
int gw_dups_find_candidates(gw_dups *d, gw_dups_pairs *candidates);
int gw_dups_generic_prepare(gw_dups *d, gw_dups_runs *runs);
int gw_dups_clusters(gw_dups *d, gw_dups_pairs *candidates);
int gw_dups_generic_count(const gw_dups *d, gw_dups_runs *runs, int part);
int gw_dups_passages(gw_dups *d, gw_dups_runs *runs);
void gw_dups_runs_free(gw_dups_runs *runs);

#endif /* GW_DUPS_PRIVATE_H */
