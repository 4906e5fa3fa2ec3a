/*
 * t2s.h — traditional → simplified: the gw_normalizer's char → char table
 * (read in normalize.c's inner loop, hence inline here) and OpenCC's phrase
 * conversion of a traditional paragraph (t2s.c).  Private.
 */
#ifndef GW_T2S_H
#define GW_T2S_H

#include "internal.h"
#include "t2s_opencc.h"

/* Han code points the table covers: the BMP blocks (Extension A and the
 * URO).  Converting Extensions B–D too would triple the start-up cost
 * (OpenCC converts about 8 MB/s) for characters that official reports do
 * not use; in a traditional paragraph OpenCC's own conversion still covers
 * them (gw_t2s_convert_paragraph()). */
#define T2S_BMP_FIRST 0x3400
#define T2S_BMP_END 0xA000

#define T2S_COUNT (T2S_BMP_END - T2S_BMP_FIRST)

/* OpenCC's configuration: the table's source at build time, the phrase
 * converter's at run time. */
#define T2S_CONFIG "t2s.json"

struct gw_normalizer {
  /* Which characters change: 3.4 KB that stay in L1 cache while the text
   * streams through; the 108 KB table is only read for those. */
  uint64_t changes[T2S_COUNT / 64];
  uint32_t bmp[T2S_COUNT]; /* simplified, or 0 */
  /* OpenCC's phrase converter for traditional paragraphs, loaded once: its
   * conversion only reads the loaded dictionaries, so threads share it. */
  gw_opencc *cc;
};

/* Does the table change cp (T2S_BMP_FIRST <= cp < T2S_BMP_END)? */
static inline int t2s_changes(const gw_normalizer *nz, int32_t cp) {
  uint32_t i = (uint32_t)(cp - T2S_BMP_FIRST);
  return (int)((nz->changes[i / 64] >> (i % 64)) & 1u);
}

/* The simplified form of a Han character, or 0 when it stays. */
static inline int32_t t2s_lookup(const gw_normalizer *nz, int32_t cp) {
  if (!nz) return 0;
  if (cp >= T2S_BMP_FIRST && cp < T2S_BMP_END)
    return (int32_t)nz->bmp[cp - T2S_BMP_FIRST];
  return 0;
}

/* A character the table converted: where it is in the normalized view, and
 * what the text had there. */
typedef struct gw_t2s_original {
  size_t off;
  int32_t orig;
} gw_t2s_original;

/* Phrase conversion of a paragraph that is clearly traditional:
 * para[0..n) is the paragraph as normalized (starting at normalized offset
 * para_start), originals[] its table-converted characters.  OpenCC converts
 * the paragraph as the text had it, and its changes that keep each
 * character's length are written into para, so offsets do not move.
 * *scratch / *scratch_cap: a buffer reused between calls (free() it).
 * GW_ENOMEM (with *in_opencc set when OpenCC ran out); another OpenCC error
 * leaves the table's conversion as it is. */
int gw_t2s_convert_paragraph(const gw_normalizer *nz, char *para, size_t n,
                             size_t para_start,
                             const gw_t2s_original *originals, size_t count,
                             char **scratch, size_t *scratch_cap,
                             int *in_opencc);

#endif /* GW_T2S_H */
