/*
 * dups_index.h — the duplicate index every stage of copy detection reads: the
 * documents' characters with their original offsets and flags, the
 * paragraphs, the winnowing fingerprints and the paragraphs' band keys,
 * and the handle that holds them with the results.  index.c fills it
 * (gw_dups_add), sketch.c computes what it keeps of each document.  Private.
 *
 * Everything here is flat arrays of fixed-width integers indexed by position,
 * so the index (documents, characters, paragraphs) can be written to a file
 * as is and extended with more documents later.
 */
#ifndef GW_DUPS_INDEX_H
#define GW_DUPS_INDEX_H

#include <assert.h>
#include <string.h>

#include "dups_store.h"

/* The character every template mask becomes (beyond Unicode). */
#define GW_DUPS_MASK_CHAR 0x110000u /* below 2^21: sketch.c packs three */
/* The same in a document kept in 16 bits (see gw_dups_doc): a surrogate,
 * which is never a character of the index (not a letter or digit). */
#define GW_DUPS_MASK_CHAR16 0xD800u

/* Unit flags. */
#define GW_DUPS_OFFICIAL_FLAG 1u
#define GW_DUPS_BASE_FLAG 2u  /* found in a base document; set by the last
                                gw_dups_run */

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
 * numbering over the corpus, which paragraphs use too.
 *
 * Its code points are kept in 16 bits (cp16, cp NULL) when it was
 * prepared by gw_dups_prepare and every one is in the Basic Multilingual
 * Plane (the template mask as GW_DUPS_MASK_CHAR16), as nearly every
 * report's are: half the memory of the largest array of the index (263 MB
 * of 1.1 M paragraphs).  Else in 32 bits (cp, cp16 NULL): a document with
 * a character beyond the BMP, and those added by gw_dups_add and from an
 * archive (gw_dups_prepared_add), whose paragraphs the archive reads in
 * place (gw_dups_para_chars).  The stages read either through
 * gw_dups_char_at and gw_dups_chars; two 16-bit documents' characters are
 * equal where their 16-bit values are. */
typedef struct gw_dups_doc {
  uint64_t unit_first;   /* its first character in the corpus numbering */
  uint32_t unit_count;
  uint32_t official;     /* characters in official spans */
  int32_t year;          /* the report's year, 0: unknown */
  int32_t text_year;     /* the year read from its text (year may be the
                            caller's: gw_dups_set_origin) */
  uint32_t unit;         /* its unit: 1 + index in unit_names, 0: unknown */
  uint8_t is_base;       /* a base document */
  uint64_t para_first;   /* index of its first paragraph record */
  uint32_t para_count;
  uint32_t *cp;          /* per character: code point or GW_DUPS_MASK_CHAR */
  uint16_t *cp16;        /* or this (see above) */
  uint32_t *marks;       /* original start of characters 0, 32, 64 ... */
  uint8_t *where;        /* per character: see GW_DUPS_FAR */
  uint8_t *flags;        /* GW_DUPS_OFFICIAL_FLAG, GW_DUPS_BASE_FLAG */
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

/* A winnowing fingerprint: a passage_k-gram hash selected at pos. */
typedef struct gw_dups_fp {
  uint64_t hash;
  uint32_t doc, pos;
} gw_dups_fp;

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
  uint8_t fps_sorted;                 /* by gw_dups_run: a document's
                                       * fingerprints are no longer together */
  uint8_t sketches_dropped;           /* gw_dups_run frees the band keys and
                                       * the fingerprints once its stages
                                       * have used them (more than half the
                                       * index: a tool runs once); whatever
                                       * needs them again calls
                                       * gw_dups_restore_sketches first */
  /* results of gw_dups_run */
  GW_DUPS_ARRAY(gw_dups_document, info);
  GW_DUPS_ARRAY(gw_dups_source, sources);
  GW_DUPS_ARRAY(gw_dups_pair, pairs);
  GW_DUPS_ARRAY(gw_dups_passage, passages);
  GW_DUPS_ARRAY(gw_dups_cluster, clusters);
  GW_DUPS_ARRAY(gw_dups_member, members);
  GW_DUPS_ARRAY(gw_dups_family, families);
  GW_DUPS_ARRAY(gw_dups_family_member, family_members);
  gw_dups_limits limits;              /* how often each applied */
  /* units named by gw_dups_set_origin, each once */
  GW_DUPS_ARRAY(char *, unit_names);
  uint32_t *unit_slots;               /* open addressing: 1 + index, 0 free */
  size_t unit_slots_cap;              /* a power of two, or 0 */
};

/* The original bytes [*start, *end) of character i of document dd. */
void gw_dups_char_bytes(const gw_dups_doc *dd, size_t i, uint32_t *start, uint32_t *end);
/* Characters [a, b) of document doc (a < b) with their original bytes. */
gw_dups_range gw_dups_range_of(const gw_dups *d, uint32_t doc, size_t a, size_t b);
/* The first paragraph (index into d->paras) of doc ending after character
 * pos, or the end of the document's paragraphs. */
size_t gw_dups_paragraph_at(const gw_dups *d, uint32_t doc, size_t pos);

/* Character i of a document kept in 16 bits, as a code point. */
static inline uint32_t gw_dups_widen(uint16_t c) {
  return c == GW_DUPS_MASK_CHAR16 ? GW_DUPS_MASK_CHAR : c;
}

/* Character i of document dd: a code point or GW_DUPS_MASK_CHAR. */
static inline uint32_t gw_dups_char_at(const gw_dups_doc *dd, size_t i) {
  return dd->cp16 ? gw_dups_widen(dd->cp16[i]) : dd->cp[i];
}

/* Characters [from, from + n) of document dd into out. */
static inline void gw_dups_chars(const gw_dups_doc *dd, size_t from, size_t n, uint32_t *out) {
  if (!dd->cp16) {
    if (n) memcpy(out, dd->cp + from, n * sizeof *out);
    return;
  }
  for (size_t i = 0; i < n; i++) out[i] = gw_dups_widen(dd->cp16[from + i]);
}

/* The characters of paragraph p, of a document kept in 32 bits (added by
 * gw_dups_add or from an archive: see gw_dups_doc). */
static inline const uint32_t *gw_dups_para_chars(const gw_dups *d, const gw_dups_para *p) {
  const gw_dups_doc *dd = &d->docs[p->document];
  assert(dd->cp); /* a 32-bit document's (see gw_dups_doc) */
  return dd->cp + (p->unit_first - dd->unit_first);
}

/* Room for docs more documents with paras paragraphs, fps fingerprints
 * and elig paragraphs long enough to cluster in all, made at once: adding
 * thousands of stored documents (an archive check) would otherwise grow
 * each array several times, copying it into fresh pages the kernel zeroes
 * each time.  An upper bound is fine: room never used is never touched.
 * 0 or GW_ENOMEM (d unchanged but for room). */
int gw_dups_reserve(gw_dups *d, size_t docs, size_t paras, size_t fps, size_t elig);

/* The fingerprints and band keys made again from the documents'
 * characters after gw_dups_run dropped them: the same values, the
 * fingerprints in the order added (gw_dups_prepare computes them from the
 * same characters; an archived document's stored ones are those).  Nothing
 * when they are there.  0 or GW_ENOMEM (then still dropped). */
int gw_dups_restore_sketches(gw_dups *d);
/* Free the band keys / the fingerprints (gw_dups_run, once used). */
void gw_dups_drop_keys(gw_dups *d);
void gw_dups_drop_fingerprints(gw_dups *d);

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
/* sketch.c: append the winnowing fingerprints of a document's n characters
 * to ix->fps.  0 or GW_ENOMEM. */
int gw_dups_winnow(const gw_dups_options *o, const uint32_t *cp, size_t n,
                   gw_dups_indexer *ix);
/* sketch.c: the band keys (o->bands values) of a paragraph's n >=
 * shingle_k characters.  0 or GW_ENOMEM. */
int gw_dups_sign(const gw_dups_options *o, const uint32_t *cp, size_t n,
                 gw_dups_indexer *ix, uint64_t *keys);
/* sketch.c: the shingles of cp[0..n) for exact comparison (n - k + 1
 * values, n >= k): for k <= 3 the code points themselves, packed (21 bits
 * each), so equal values are equal shingles; beyond, the 64-bit k-gram
 * hashes. */
void gw_dups_shingles(const uint32_t *cp, size_t n, size_t k, uint64_t seed,
                      uint64_t *out);

#endif /* GW_DUPS_INDEX_H */
