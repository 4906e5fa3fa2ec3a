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

/* ---- segment layout (FORMAT.md, version 2) ---- */

#define GW_SEG_MAGIC "GWARSEG1"
#define GW_SEG_VERSION 2
#define GW_SEG_SECTIONS 7
enum { SEC_DOCS, SEC_STRINGS, SEC_TEXT, SEC_PARAS, SEC_BANDS, SEC_FPS, SEC_PREPARED };
#define GW_SEG_HEADER_BYTES (32 + GW_SEG_SECTIONS * 24 + 8)
#define GW_SEG_DOC_BYTES 112
#define GW_SEG_PARA_BYTES 16
#define GW_SEG_ENTRY_BYTES 16 /* a band key or fingerprint: u64, u32 doc, u32 */

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
  const unsigned char *sec[GW_SEG_SECTIONS];
  uint64_t sec_len[GW_SEG_SECTIONS];
} gw_seg;

/* Map and check a segment (magic, version, header checksum, sections in
 * the file, the small sections' checksums, every record's bounds).  Errors
 * GW_EDAMAGED name path. */
int gw_seg_open(gw_seg *s, const char *path, gw_error *err);
void gw_seg_close(gw_seg *s);
/* The whole file against the manifest's size and sum, and the large
 * sections against their checksums. */
int gw_seg_verify(const gw_seg *s, const char *path, gw_error *err);

/* A segment being written: its sections in memory. */
typedef struct gw_seg_builder {
  unsigned char *sec[GW_SEG_SECTIONS];
  size_t len[GW_SEG_SECTIONS], cap[GW_SEG_SECTIONS];
  uint32_t doc_count;
} gw_seg_builder;

int gw_seg_append(gw_seg_builder *b, int section, const void *data, size_t len);
/* Sort the BANDS and FPS sections (entries by value, doc, then the last
 * field) so that lookups can bisect them. */
int gw_seg_sort_entries(gw_seg_builder *b);
/* Write the builder to path (created exclusively, fsynced).  On failure
 * the file is removed.  *bytes and *sum describe the file written. */
int gw_seg_write(const gw_seg_builder *b, const char *path, uint64_t *bytes,
                 uint64_t *sum, gw_error *err);
void gw_seg_builder_free(gw_seg_builder *b);

/* ---- what the duplicate index computed (dups_access.c) ---- */

/* Document doc's characters. */
size_t gw_archive_dups_characters(const gw_dups *d, size_t doc);
/* Characters of document doc's paragraph p. */
size_t gw_archive_dups_paragraph_characters(const gw_dups *d, size_t doc, size_t p);
/* Each winnowing fingerprint: fn(payload, hash, doc, pos). */
void gw_archive_dups_each_fingerprint(const gw_dups *d,
                                      void (*fn)(void *, uint64_t, uint32_t, uint32_t),
                                      void *payload);
/* The same, leaving out the fingerprints made of official characters
 * alone (a formulation every report holds would make every archive
 * document a candidate, and can never make a copy passage). */
void gw_archive_dups_each_copy_fingerprint(const gw_dups *d,
                                           void (*fn)(void *, uint64_t, uint32_t, uint32_t),
                                           void *payload);
/* Each band key of each paragraph long enough to cluster:
 * fn(payload, key, doc, paragraph). */
void gw_archive_dups_each_band_key(const gw_dups *d,
                                   void (*fn)(void *, uint64_t, uint32_t, uint32_t),
                                   void *payload);

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
