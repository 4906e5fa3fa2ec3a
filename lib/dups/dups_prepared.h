/*
 * dups_prepared.h — a document of the duplicate index as stored bytes and
 * back (prepared_io.c), and the one step both ways of adding a prepared
 * document share (index.c: gw_dups_append).  Private to the library: the
 * archive stores these bytes (lib/archive/FORMAT.md, "PREPARED").
 */
#ifndef GW_DUPS_PREPARED_H
#define GW_DUPS_PREPARED_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* The version of what a stored prepared document holds and of how
 * gw_dups_prepare computes it (characters kept, fingerprints, signatures):
 * raised with any change to either, so that an archive never mixes them. */
#define GW_DUPS_PREPARED_VERSION 1

/* ---- bytes on disk: little-endian, whatever the machine ---- */

static inline uint32_t gw_le32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t gw_le64(const unsigned char *p) {
  return (uint64_t)gw_le32(p) | (uint64_t)gw_le32(p + 4) << 32;
}
static inline void gw_put32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8);
  p[2] = (unsigned char)(v >> 16); p[3] = (unsigned char)(v >> 24);
}
static inline void gw_put64(unsigned char *p, uint64_t v) {
  gw_put32(p, (uint32_t)v);
  gw_put32(p + 4, (uint32_t)(v >> 32));
}

typedef struct gw_dups gw_dups;

/* Bytes of document doc of d as stored (a multiple of 8).  d must not have
 * been run (its fingerprints are in the order added). */
size_t gw_dups_prepared_size(const gw_dups *d, size_t doc);
/* Write it into out (gw_dups_prepared_size bytes). */
void gw_dups_prepared_write(const gw_dups *d, size_t doc, unsigned char *out);

/* A stored document, checked and opened in place. */
typedef struct gw_dups_prepared {
  const unsigned char *data;
  uint32_t units, official, para_count, fars_count, fps_count, elig_count;
  int32_t year;
  const unsigned char *hashes, *keys, *fars, *paras, *pos, *elig, *cp, *marks, *where, *flags;
} gw_dups_prepared;

/* Open size bytes at data made with options o's index parameters: every
 * count, offset and position is checked against the others.  GW_OK or
 * GW_EDAMAGED. */
int gw_dups_prepared_open(gw_dups_prepared *s, const gw_dups_options *o,
                          const unsigned char *data, size_t size);
/* Paragraph q's characters (gw_dups_prepared_paragraph_chars of them) into
 * out; *n their count. */
size_t gw_dups_prepared_paragraph_chars(const gw_dups_prepared *s, size_t q);
void gw_dups_prepared_paragraph(const gw_dups_prepared *s, size_t q, uint32_t *out,
                                size_t *n);
/* Add it to d as gw_dups_add would have added the document (same index
 * parameters); errors name `name`. */
int gw_dups_prepared_add(gw_dups *d, const gw_dups_prepared *s, const char *name,
                         gw_error *err);

/* ---- moving a prepared document into the index (index.c) ---- */

typedef struct gw_dups_doc gw_dups_doc;
typedef struct gw_dups_para gw_dups_para;
typedef struct gw_dups_fp gw_dups_fp;

/* Where gw_dups_append placed a document: the caller fills its paragraph
 * records, fingerprints, eligible paragraphs and their band keys there,
 * numbered in the index (document `doc`, characters from unit_first,
 * paragraphs from para_first). */
typedef struct gw_dups_slot {
  uint32_t doc;
  uint64_t unit_first;
  size_t para_first;
  gw_dups_para *paras; /* the document's para_count records */
  gw_dups_fp *fps;     /* fps_count */
  uint32_t *elig;      /* elig_count */
  uint64_t *keys;      /* elig_count * bands */
} gw_dups_slot;

/* Room made in d for one more document whose record is *dd (its character
 * arrays and far records move into the index; its place in the corpus
 * numbering is set here), with fps_count fingerprints and elig_count
 * paragraphs long enough to cluster; d's counts are advanced and *slot says
 * where the caller writes the rest (nothing there can fail).  On an error
 * (too many documents, out of memory; messages name `name`) d is unchanged
 * and dd's arrays stay the caller's. */
int gw_dups_append(gw_dups *d, const gw_dups_doc *dd, size_t fps_count, size_t elig_count,
                   const char *name, gw_dups_slot *slot, gw_error *err);

#endif /* GW_DUPS_PREPARED_H */
