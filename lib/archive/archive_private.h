/*
 * archive_private.h — what the archive's files share: little-endian access,
 * the checksum every file carries, the layout of a segment (FORMAT.md), the
 * manifest in memory, and the one place that reads the duplicate index's
 * internals (dups_access.c).  Private.
 */
#ifndef GW_ARCHIVE_PRIVATE_H
#define GW_ARCHIVE_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dups_prepared.h" /* little-endian bytes, prepared documents */
#include "internal.h"

/* gw-sum64 (FORMAT.md): each 8-byte little-endian word xored in, then a
 * bijection of the state, so any change of one word changes the sum. */
uint64_t gw_archive_sum(const void *data, size_t len);

/* ---- segment layout (FORMAT.md, version 3) ---- */

#define GW_SEG_MAGIC "GWARSEG1"
#define GW_SEG_VERSION 3
/* The data sections (what a segment being built holds), then the lookup
 * sections made from the two sorted entry sections as they are written. */
enum {
  SEC_DOCS, SEC_STRINGS, SEC_TEXT, SEC_PARAS, SEC_BANDS, SEC_FPS, SEC_PREPARED,
  GW_SEG_DATA_SECTIONS,
  SEC_BAND_FENCES = GW_SEG_DATA_SECTIONS, SEC_BAND_TAGS, SEC_FP_FENCES, SEC_FP_TAGS,
  GW_SEG_SECTIONS
};
#define GW_SEG_HEADER_BYTES (32 + GW_SEG_SECTIONS * 24 + 8)
#define GW_SEG_ALIGN 64 /* every section starts at a multiple: a block of tags is one cache line */
#define GW_SEG_DOC_BYTES 112
#define GW_SEG_PARA_BYTES 16
#define GW_SEG_ENTRY_BYTES 16 /* a band key or fingerprint: u64, u32 doc, u32 */
/* The lookup of an entry section: entries in blocks of GW_SEG_BLOCK, the
 * value of each block's first entry (u64, its fence), and each entry's
 * tag (u16, the value's low bits), so that a value is looked for in one
 * block's tags and the entries are read only where a tag matches. */
#define GW_SEG_BLOCK 32
#define GW_SEG_TAG_BYTES 2
static inline uint16_t gw_seg_tag(uint64_t value) { return (uint16_t)value; }
static inline uint64_t gw_seg_blocks(uint64_t entries) {
  return (entries + GW_SEG_BLOCK - 1) / GW_SEG_BLOCK;
}
/* The fence and tag sections of entry section `section`. */
static inline int gw_seg_fences_of(int section) {
  return section == SEC_BANDS ? SEC_BAND_FENCES : SEC_FP_FENCES;
}
static inline int gw_seg_tags_of(int section) {
  return section == SEC_BANDS ? SEC_BAND_TAGS : SEC_FP_TAGS;
}

/* A document record, decoded. */
typedef struct gw_seg_doc {
  uint64_t text_off, text_len, text_sum;
  uint32_t path_off, path_len, unit_off, unit_len, title_off, title_len;
  uint32_t extras_off, extras_len;
  int32_t year, text_year;
  uint32_t para_first, para_count, characters;
  int32_t encoding;        /* the gw_encoding option it was loaded with */
  uint32_t replace_invalid;
  uint64_t prepared_off, prepared_len, prepared_sum; /* into PREPARED */
} gw_seg_doc;

void gw_seg_doc_read(const unsigned char *p, gw_seg_doc *d);
void gw_seg_doc_write(unsigned char *p, const gw_seg_doc *d);

/* An open segment: a file mapped read-only. */
typedef struct gw_seg {
  char *name;               /* "seg-00000001.gws" */
  uint64_t seq;             /* its number */
  uint64_t bytes, sum;      /* size and gw-sum64 from the manifest */
  uint32_t doc_count;
  uint8_t *deleted;         /* per document: a tombstone */
  size_t deleted_count;
  size_t first;             /* archive-wide index of its document 0 */
  const unsigned char *map; /* NULL until opened */
  size_t map_len;
  /* The file mapped, kept open while it is (when map is not NULL), so
   * that scattered small reads go through pread rather than a page fault
   * each (and the file a merge has since unlinked stays readable); -1:
   * read through the map (too many segments open for a descriptor each). */
  int fd;
  const unsigned char *sec[GW_SEG_SECTIONS];
  uint64_t sec_len[GW_SEG_SECTIONS];
} gw_seg;

/* Map and check a segment (magic, version, header checksum, sections in
 * the file, the small sections' checksums, every record's bounds), its
 * file kept open (fd).  Errors GW_EDAMAGED name path. */
int gw_seg_open(gw_seg *s, const char *path, gw_error *err);
void gw_seg_close(gw_seg *s);
/* The whole pages of s's map within [from, to) released from this
 * process's resident set (the page cache keeps them): a pass over a large
 * archive would otherwise hold every page it touched. */
void gw_seg_release(const gw_seg *s, const unsigned char *from, const unsigned char *to);
/* len bytes of s's map from `at`, read with pread into `into` when s's
 * file is open: a small read anywhere in a large section then costs no
 * page fault and leaves no page resident.  Returns into, or at itself
 * (read through the map) without the file or when the read fails. */
const unsigned char *gw_seg_read(const gw_seg *s, const unsigned char *at, size_t len,
                                 void *into);
/* The whole file against the manifest's size and sum, and the large
 * sections against their checksums. */
int gw_seg_verify(const gw_seg *s, const char *path, gw_error *err);

/* A segment file being written, section by section in any order (each
 * section's bytes in order): the sizes are declared first, each section is
 * summed as it goes out, and the lookup sections are made from the entries
 * (gw_seg_out_entry).  Memory: a buffer per section, whatever the size. */
typedef struct gw_seg_out gw_seg_out;
/* path created exclusively; len gives each data section's size in bytes
 * (the entry sections' determine the lookups'). */
int gw_seg_out_open(gw_seg_out **out, const char *path, uint32_t doc_count,
                    const uint64_t len[GW_SEG_DATA_SECTIONS], gw_error *err);
/* Bytes appended to a data section other than BANDS and FPS. */
void gw_seg_out_put(gw_seg_out *o, int section, const void *data, size_t len);
/* An entry appended to BANDS or FPS (sorted by value, document, then
 * other), with its fence and tag. */
void gw_seg_out_entry(gw_seg_out *o, int section, uint64_t value, uint32_t doc,
                      uint32_t other);
/* The header written, the file fsynced and closed; *bytes and *sum
 * describe it.  Fails (the file removed) when a write failed or a section
 * did not get its declared size.  Frees o. */
int gw_seg_out_finish(gw_seg_out *o, uint64_t *bytes, uint64_t *sum, gw_error *err);
/* The file removed, o freed (NULL-safe). */
void gw_seg_out_abort(gw_seg_out *o);

/* A segment being built in memory (an add): its data sections. */
typedef struct gw_seg_builder {
  unsigned char *sec[GW_SEG_DATA_SECTIONS];
  size_t len[GW_SEG_DATA_SECTIONS], cap[GW_SEG_DATA_SECTIONS];
  uint32_t doc_count;
} gw_seg_builder;

int gw_seg_append(gw_seg_builder *b, int section, const void *data, size_t len);
/* Sort the BANDS and FPS sections (entries by value, doc, then the last
 * field), equal entries once, so that lookups can bisect them. */
int gw_seg_sort_entries(gw_seg_builder *b);
/* Write the (sorted) builder to path (created exclusively, fsynced), the
 * lookups made as it goes.  On failure the file is removed.  *bytes and
 * *sum describe the file written. */
int gw_seg_write(const gw_seg_builder *b, const char *path, uint64_t *bytes,
                 uint64_t *sum, gw_error *err);
void gw_seg_builder_free(gw_seg_builder *b);

/* ---- what the duplicate index computed (dups_access.c) ---- */

/* Document doc's characters. */
size_t gw_archive_dups_characters(const gw_dups *d, size_t doc);
/* Characters of document doc's paragraph p. */
size_t gw_archive_dups_paragraph_characters(const gw_dups *d, size_t doc, size_t p);
/* Each winnowing fingerprint: fn(payload, hash, doc, pos).  Read in
 * place from d's index, made again first where a gw_dups_run has freed
 * them (gw_dups_restore_sketches): 0, or GW_ENOMEM with fn not called. */
int gw_archive_dups_each_fingerprint(gw_dups *d,
                                     void (*fn)(void *, uint64_t, uint32_t, uint32_t),
                                     void *payload);
/* The same, leaving out the fingerprints made of official characters
 * alone (a formulation every report holds would make every archive
 * document a candidate, and can never make a copy passage). */
int gw_archive_dups_each_copy_fingerprint(gw_dups *d,
                                          void (*fn)(void *, uint64_t, uint32_t, uint32_t),
                                          void *payload);
/* Each band key of each paragraph long enough to cluster:
 * fn(payload, key, doc, paragraph); restored as the fingerprints are. */
int gw_archive_dups_each_band_key(gw_dups *d,
                                  void (*fn)(void *, uint64_t, uint32_t, uint32_t),
                                  void *payload);

/* Room made in d, at once, for docs stored prepared documents of paras
 * paragraphs and `bytes` bytes in all (their fingerprints and band keys
 * bounded by those bytes) and for the documents of `also`.  0 or
 * GW_ENOMEM. */
int gw_archive_dups_reserve(gw_dups *d, size_t docs, size_t paras, size_t bytes,
                            const gw_dups *also);

/* Paragraphs of all documents of d, and the index of document doc's
 * paragraph p among them. */
size_t gw_archive_dups_paragraph_count(const gw_dups *d);
size_t gw_archive_dups_paragraph_index(const gw_dups *d, size_t doc, size_t p);
/* The characters of paragraph `index` (of all documents' paragraphs). */
const uint32_t *gw_archive_dups_paragraph_at(const gw_dups *d, size_t index, size_t *n);
/* The sorted, distinct shingles of n characters (as gw_dups compares
 * paragraphs) into out (room for n), their count returned; 0 when n is
 * below shingle_k. */
size_t gw_archive_dups_shingle_set(const gw_dups_options *o, const uint32_t *cp, size_t n,
                                   uint64_t *out);
/* Whether two paragraphs' shingle sets pass gw_dups's exact test (Jaccard
 * at least min_jaccard or containment at least min_containment). */
int gw_archive_dups_alike(const gw_dups_options *o, const uint64_t *a, size_t na,
                          const uint64_t *b, size_t nb);

#endif /* GW_ARCHIVE_PRIVATE_H */
