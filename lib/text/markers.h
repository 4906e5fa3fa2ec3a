/*
 * markers.h — heading markers, Chinese numerals, spaces and masks as the
 * stages read them (markers.c).  Private.  gw_mask_length is declared in
 * internal.h, since the segmenter uses it too.
 */
#ifndef GW_MARKERS_H
#define GW_MARKERS_H

#include "internal.h"

/* Heading level of a line (0 if it is not a heading) and the length of its
 * marker (一、 （一） 1. 1、 （1）), leading spaces included. */
int gw_heading_marker(const char *line, size_t len, size_t *marker_len);

/* The same, for a marker starting exactly at s (its spaces skipped): the
 * level (0 for none) and the marker's length. */
int gw_marker_at(const char *s, size_t n, size_t *len);

/* （一） (level 2) or （1） (level 4) at s, with full-width or ASCII
 * parentheses in any mix: its length (0 if none); stores the level and the
 * number. */
size_t gw_paren_marker(const char *s, size_t n, int *level, int *value);

/* A Chinese numeral from 1 to 999 in its regular written forms: 三, 十,
 * 十二, 二十, 二十三, 一百, 一百零五, 一百二十, 一百二十三.  Returns the bytes
 * consumed (0 if there is no numeral at s) and stores the value. */
size_t gw_parse_cn_number(const char *s, size_t n, int *value);

/* Bytes of the spaces (ASCII, tab, CR, no-break, ideographic) s starts
 * with. */
size_t gw_skip_spaces(const char *s, size_t n);

/* Can a mask start with this byte?  The first bytes of * x X (ASCII),
 * × (C3 97) and ＊ Ｘ ｘ (EF …): never a UTF-8 continuation byte, so a byte
 * scan for them stays on character starts.  gw_mask_length is 0 elsewhere. */
static inline int gw_mask_lead_byte(unsigned char c) {
  return c == '*' || c == 'x' || c == 'X' || c == 0xC3 || c == 0xEF;
}

/* Can a mask start with the character cp?  * ＊ × x X ｘ Ｘ: what
 * gw_mask_length looks for first (it is 0 for any other). */
static inline int gw_mask_first_cp(int32_t cp) {
  switch (cp) {
  case '*': case 0xFF0A: case 0x00D7: case 'x': case 'X': case 0xFF58: case 0xFF38:
    return 1;
  default:
    return 0;
  }
}

/* Can a Chinese numeral start with the character cp?  一…九 and 十, what
 * gw_parse_cn_number takes first (it is 0 for any other). */
static inline int gw_cn_number_first_cp(int32_t cp) {
  switch (cp) {
  case 0x4E00: case 0x4E8C: case 0x4E09: case 0x56DB: case 0x4E94: /* 一二三四五 */
  case 0x516D: case 0x4E03: case 0x516B: case 0x4E5D: case 0x5341: /* 六七八九十 */
    return 1;
  default:
    return 0;
  }
}

#endif /* GW_MARKERS_H */
