/*
 * word.h — between word.c (the FIB, the piece table, the text) and
 * word_props.c (what a paragraph is: its style, heading level, table cell,
 * and the number Word puts before it).
 */
#ifndef GW_WORD_H
#define GW_WORD_H

#include <stddef.h>
#include <stdint.h>

#include "formats.h"

/* Where the FIB says the property tables lie in the table stream (offset
 * and length each; a length of 0 when the FIB does not list the table). */
typedef struct gw_word_tables {
  uint32_t fc_styles, lcb_styles;     /* STSH (fcStshf) */
  uint32_t fc_papx_bins, lcb_papx_bins; /* PlcBtePapx */
  uint32_t fc_chpx_bins, lcb_chpx_bins; /* PlcBteChpx */
  uint32_t fc_lists, lcb_lists;       /* PlfLst, its LVLs after it */
  uint32_t fc_overrides, lcb_overrides; /* PlfLfo */
} gw_word_tables;

typedef struct gw_word_props gw_word_props;

/* Read the style sheet, the paragraph property pages and the list tables
 * (huge paragraph properties from the Data stream, when there is one).
 * A table that is absent, or damaged in any way (an offset, count or length
 * that leaves its stream), is left out: paragraphs then read without
 * numbers or heading levels, never from outside the streams.  Fails only
 * when out of memory (GW_ENOMEM). */
int gw_word_props_new(gw_word_props **out, const gw_word_streams *streams,
                      const gw_word_tables *tables);
void gw_word_props_free(gw_word_props *props);

typedef struct gw_word_paragraph {
  int heading_level; /* 1-9 from the outline level or a "heading N" style */
  int in_table;      /* a paragraph inside a table cell */
  char number[GW_NUMBER_MAX]; /* "一、", "（二）", "1.2" or "" */
} gw_word_paragraph;

/* The paragraph whose mark is the character at byte `fc` of the
 * WordDocument stream.  Numbers count on: call it once per paragraph, in
 * document order. */
void gw_word_paragraph_at(gw_word_props *props, uint32_t fc,
                          gw_word_paragraph *out);
/* Whether the character at byte `fc` is a tracked deletion.  (It keeps the
 * run it found: calls in stream order are cheap.) */
int gw_word_deleted(gw_word_props *props, uint32_t fc);
/* Whether the character at byte `fc` (`width` bytes) ends a paragraph in
 * the property pages: a section break (0x0C) does, a page break does not. */
int gw_word_paragraph_ends(const gw_word_props *props, uint32_t fc,
                           uint32_t width);

#endif /* GW_WORD_H */
