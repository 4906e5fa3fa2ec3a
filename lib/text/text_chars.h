/*
 * text_chars.h — the character classes of the normalized view, shared by
 * the character rules (normalize.c) and the hard-wrap analysis (wrap.c).
 * Private.
 */
#ifndef GW_TEXT_CHARS_H
#define GW_TEXT_CHARS_H

#include "internal.h"

#define NONE_CP (-2) /* no character there (none before, or past the end) */

static inline int is_space(int32_t cp) {
  switch (cp) {
  case ' ': case '\t': case '\f': case '\v': case 0x00A0: case 0x1680:
  case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
    return 1;
  default:
    return cp >= 0x2000 && cp <= 0x200A;
  }
}

/* Invisible characters that only break matching: controls, soft hyphen,
 * zero-width and bidi format characters, variation selectors, tags. */
static inline int is_ignorable(int32_t cp) {
  if (cp < 0x20) return cp != '\t' && cp != '\f' && cp != '\v';
  if (cp < 0x7F) return 0;
  if (cp <= 0x9F || cp == 0x00AD || cp == 0x180E) return 1;
  if (cp < 0x200B) return 0;
  return (cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
         (cp >= 0xE0000 && cp <= 0xE007F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

/* Chinese punctuation: CJK symbols, the full-width punctuation the view
 * keeps, curly quotes, dash, ellipsis, middle dot, vertical forms. */
static inline int is_cjk_punct(int32_t cp) {
  if (cp >= 0x3001 && cp <= 0x303F) return 1;
  switch (cp) {
  case 0xFF01: case 0xFF08: case 0xFF09: case 0xFF0C: case 0xFF1A:
  case 0xFF1B: case 0xFF1F: case 0x2014: case 0x2026: case 0x00B7:
    return 1;
  default:
    return (cp >= 0x2018 && cp <= 0x201F) || (cp >= 0xFE10 && cp <= 0xFE1F) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF5F && cp <= 0xFF65);
  }
}

static inline int is_cjk(int32_t cp) { return gw_is_han(cp) || is_cjk_punct(cp); }

static inline int is_dash(int32_t cp) {
  return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 ||
         cp == 0x2500 || cp == 0xFF0D;
}

static inline int is_digit_any(int32_t cp) {
  return gw_is_ascii_digit(cp) || (cp >= 0xFF10 && cp <= 0xFF19);
}

static inline int is_ascii_alnum(int32_t cp) {
  return gw_is_ascii_digit(cp) || gw_is_ascii_alpha(cp);
}

/* Sentence-final punctuation: a hard-wrapped line ending with it is not
 * joined to the next.  A closing quote counts when it closes a sentence
 * (。” but not 落实“第一责任人”); a full stop after a Latin word. */
static inline int is_sentence_end_mark(int32_t cp) {
  switch (cp) {
  case 0x3002: case 0xFF01: case 0xFF1F: case 0xFF1B: case 0xFF1A:
  case 0x2026: case '!': case '?': case ';': case ':':
    return 1;
  default:
    return 0;
  }
}
static inline int ends_sentence(int32_t last, int32_t before) {
  if (is_sentence_end_mark(last)) return 1;
  if (last == '.') return gw_is_ascii_alpha(before); /* not 3. of 3.5 */
  if (last == 0x201D || last == 0x2019 || last == 0x300D || last == 0x300F)
    return is_sentence_end_mark(before);
  return 0;
}

#endif /* GW_TEXT_CHARS_H */
