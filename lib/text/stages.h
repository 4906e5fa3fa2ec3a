/*
 * stages.h — the interfaces between the document stages (decode → normalize
 * → structure), assembled by document.c.  Private to the library.
 */
#ifndef GW_STAGES_H
#define GW_STAGES_H

#include "internal.h"

/* ---- decode.c: bytes → UTF-8 text ---- */

typedef struct gw_decoded {
  const char *text;      /* UTF-8; either `owned` or the input bytes */
  char *owned;           /* non-NULL when text was converted */
  size_t len;
  gw_encoding encoding;
  size_t replacements;   /* invalid sequences replaced by U+FFFD */
  gw_offset_map to_original; /* text offset → input offset (BOM included) */
} gw_decoded;

/* Detect the encoding (unless `forced` is not GW_ENCODING_AUTO) and decode
 * bytes[0..len) to UTF-8.  Refuses binary data (GW_EBINARY) and invalid
 * UTF-8 (GW_EENCODING with the byte offset of the first bad sequence) unless
 * replace_invalid.  `name` is used in error messages.  Input that is already
 * valid UTF-8 without BOM is not copied: out->text points into bytes, which
 * must outlive out. */
int gw_decode(const unsigned char *bytes, size_t len, const char *name,
              gw_encoding forced, int replace_invalid, gw_decoded *out,
              gw_error *err);
void gw_decoded_free(gw_decoded *decoded);

/* Refuse input that is certainly not text from its first bytes alone
 * (GW_EBINARY with the same message gw_decode would give): the NUL rule, in
 * code units for UTF-16.  Lets a reader stop at the first megabyte of
 * /dev/zero instead of reading 4 GiB. */
int gw_decode_check_prefix(const unsigned char *bytes, size_t len,
                           const char *name, gw_encoding forced,
                           gw_error *err);

/* How much of an input gw_decode_check_prefix looks at. */
#define GW_DECODE_PREFIX_BYTES ((size_t)1 << 20)

/* ---- noise.c: compiled noise patterns ---- */

typedef struct gw_noise_hit {
  size_t start, end; /* text offsets of the span to remove */
  int pattern;       /* index of the pattern */
} gw_noise_hit;

/* All spans of text[0..len) matched by the patterns, in order, not
 * overlapping.  *hits is malloc'd (caller frees). */
int gw_noise_find(const gw_noise *noise, const char *text, size_t len,
                  gw_noise_hit **hits, size_t *count);

/* ---- normalize.c: text → normalized view ---- */

typedef struct gw_text_removal {
  size_t start, end;   /* text offsets of what was removed */
  size_t norm_pos;     /* where in the normalized view */
  gw_removal_kind kind;
  int pattern;         /* noise pattern index, or -1 */
} gw_text_removal;

typedef struct gw_normalized {
  char *text;                 /* NUL-terminated */
  size_t len;
  gw_offset_map to_text;      /* normalized offset → text offset */
  gw_text_removal *removals;  /* in text order */
  size_t removal_count;
  size_t char_count;          /* code points, newlines excluded */
} gw_normalized;

int gw_normalize(const gw_normalizer *normalizer, const gw_noise *noise,
                 const char *text, size_t len, gw_normalized *out,
                 gw_error *err);
void gw_normalized_free(gw_normalized *normalized);

/* ---- structure.c: normalized view → paragraphs, headings, masks ---- */

/* The arrays are made with gw_huge_array_grow for the document to keep:
 * paragraphs, enumerations and masks in the document's own types with only
 * the normalized offsets (range.norm_start, norm_end; marker.norm_start,
 * norm_end; norm_start, norm_end) filled in, the other views' offsets 0. */
typedef struct gw_structure {
  gw_paragraph *paragraphs;
  size_t paragraph_count;
  gw_enumeration *enumerations;
  size_t enumeration_count;
  gw_range *masks;
  size_t mask_count;
} gw_structure;

int gw_structure_build(const char *norm, size_t len, gw_structure *out,
                       gw_error *err);
void gw_structure_free(gw_structure *structure);

#endif /* GW_STAGES_H */
