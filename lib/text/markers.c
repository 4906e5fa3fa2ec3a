/*
 * markers.c — small readers of the text shared by the stages: heading
 * markers (一、 （一） 1. 1、 （1）), Chinese numerals, and template masks
 * (**局, xxx, xx月, ××).  Structure finds headings and masks with them,
 * normalize.c's hard-wrap joining (wrap.c) avoids joining a line onto a
 * heading, and the segmenter keeps a mask whole.
 */
#include <string.h>

#include "markers.h"

/* ------------------------------------------------------------------ */
/* Characters                                                          */
/* ------------------------------------------------------------------ */

#define GW_CP_IDEOGRAPHIC_SPACE 0x3000
#define GW_CP_DUNHAO 0x3001          /* 、 */
#define GW_CP_FULLWIDTH_STOP 0xFF0E  /* ． */
#define GW_CP_OPEN_PAREN 0xFF08      /* （ */
#define GW_CP_CLOSE_PAREN 0xFF09     /* ） */

static size_t next_cp(const char *s, size_t n, size_t i, int32_t *cp) {
  return gw_utf8_next((const unsigned char *)s + i, n - i, cp);
}

static int is_space_cp(int32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\r' || cp == 0x00A0 ||
         cp == GW_CP_IDEOGRAPHIC_SPACE;
}

static int is_open_paren(int32_t cp) {
  return cp == '(' || cp == GW_CP_OPEN_PAREN;
}
static int is_close_paren(int32_t cp) {
  return cp == ')' || cp == GW_CP_CLOSE_PAREN;
}

/* Full-width digits are folded by normalization; accepting them keeps the
 * marker test right on text that has not been normalized yet. */
static int digit_value(int32_t cp) {
  if (cp >= '0' && cp <= '9') return cp - '0';
  if (cp >= 0xFF10 && cp <= 0xFF19) return cp - 0xFF10;
  return -1;
}

static int is_latin_letter(int32_t cp) {
  return gw_is_ascii_alpha(cp) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
         (cp >= 0xFF41 && cp <= 0xFF5A);
}

/* ------------------------------------------------------------------ */
/* Numbers                                                             */
/* ------------------------------------------------------------------ */

/* The numeral character at u (n bytes there), read from its three bytes
 * (every numeral is one): 0–9 for 〇 零 一…九, 10 for 十, 100 for 百, -1 for
 * any other character. */
static int cn_code(const unsigned char *u, size_t n) {
  if (n < 3) return -1;
  switch ((uint32_t)u[0] << 16 | (uint32_t)u[1] << 8 | u[2]) {
  case 0xE38087: case 0xE99BB6: return 0; /* 〇 零 */
  case 0xE4B880: return 1;                /* 一 */
  case 0xE4BA8C: return 2;                /* 二 */
  case 0xE4B889: return 3;                /* 三 */
  case 0xE59B9B: return 4;                /* 四 */
  case 0xE4BA94: return 5;                /* 五 */
  case 0xE585AD: return 6;                /* 六 */
  case 0xE4B883: return 7;                /* 七 */
  case 0xE585AB: return 8;                /* 八 */
  case 0xE4B99D: return 9;                /* 九 */
  case 0xE58D81: return 10;               /* 十 */
  case 0xE799BE: return 100;              /* 百 */
  default: return -1;
  }
}

static int cn_unit(int code) { return code >= 1 && code <= 9; }

size_t gw_parse_cn_number(const char *s, size_t n, int *value) {
  enum { MAX_CPS = 5 }; /* d百d十d */
  const unsigned char *u = (const unsigned char *)s;
  int code[MAX_CPS];
  size_t k = 0, j = 0;
  int v = 0, tens = 0;
  /* 一…九 and 十 are U+4E00–U+5FFF, lead byte E4 or E5: most text stops
   * here. */
  if (n < 3 || (u[0] != 0xE4 && u[0] != 0xE5)) return 0;
  /* Every numeral starts with 一…九 or 十; the characters after the first
   * that is not a numeral's are not read. */
  while (k < MAX_CPS) {
    int c = cn_code(u + 3 * k, n - 3 * k);
    if (k == 0 && !(cn_unit(c) || c == 10)) return 0;
    if (c < 0) break;
    code[k++] = c;
  }
  if (j + 1 < k && cn_unit(code[j]) && code[j + 1] == 100) {
    v = code[j] * 100;
    j += 2;
  }
  if (v > 0 && j + 1 < k && code[j] == 0 && cn_unit(code[j + 1])) {
    v += code[j + 1]; /* 一百零五 */
    j += 2;
  } else {
    if (j < k && code[j] == 10 && v == 0) {
      v = 10;
      j += 1;
      tens = 1;
    } else if (j + 1 < k && cn_unit(code[j]) && code[j + 1] == 10) {
      v += code[j] * 10;
      j += 2;
      tens = 1;
    }
    /* units alone or after tens: 一百一 (colloquial 110) is not taken */
    if (j < k && cn_unit(code[j]) && (tens || v == 0)) {
      v += code[j];
      j += 1;
    }
  }
  if (j == 0) return 0;
  *value = v;
  return 3 * j;
}

/* 1 to 3 Arabic digits without a leading zero (list numbers, not years). */
static size_t parse_list_number(const char *s, size_t n, int *value) {
  size_t i = 0;
  int v = 0, digits = 0;
  while (i < n) {
    int32_t cp;
    size_t l = next_cp(s, n, i, &cp);
    int d = digit_value(cp);
    if (d < 0) break;
    if (digits == 0 && d == 0) return 0;
    if (++digits > 3) return 0;
    v = v * 10 + d;
    i += l;
  }
  if (digits == 0) return 0;
  *value = v;
  return i;
}

/* ------------------------------------------------------------------ */
/* Heading markers                                                     */
/* ------------------------------------------------------------------ */

size_t gw_skip_spaces(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    int32_t cp;
    size_t l = next_cp(s, n, i, &cp);
    if (!is_space_cp(cp)) break;
    i += l;
  }
  return i;
}

/* True when s starts with a Chinese numeral followed by 月 or 季度: the
 * "四月" of "三、四月份…" and "二季度" of "一、二季度…", which make 三、/一、
 * a list of months, not a heading. */
static int starts_month_or_quarter(const char *s, size_t n) {
  int v;
  size_t i = gw_parse_cn_number(s, n, &v);
  if (i == 0) return 0;
  return (n - i >= 3 && memcmp(s + i, "月", 3) == 0) ||
         (n - i >= 6 && memcmp(s + i, "季度", 6) == 0);
}

/* 一、 … 九十九、 (level 1).  Returns the marker length or 0. */
static size_t match_cn_marker(const char *s, size_t n, int *value) {
  int32_t cp;
  size_t i = gw_parse_cn_number(s, n, value);
  if (i == 0 || i >= n) return 0;
  i += next_cp(s, n, i, &cp);
  if (cp != GW_CP_DUNHAO) return 0;
  if (starts_month_or_quarter(s + i, n - i)) return 0;
  return i;
}

/* 1. 1、 1． (level 3), not a decimal (2023.5, 1.5亿) nor "1、2月". */
static size_t match_arabic_marker(const char *s, size_t n, int *value) {
  int32_t cp;
  size_t i = parse_list_number(s, n, value);
  if (i == 0 || i >= n) return 0;
  i += next_cp(s, n, i, &cp);
  if (cp != '.' && cp != GW_CP_DUNHAO && cp != GW_CP_FULLWIDTH_STOP) return 0;
  if (i < n) {
    int32_t after;
    next_cp(s, n, i, &after);
    if (digit_value(after) >= 0) return 0;
  }
  return i;
}

size_t gw_paren_marker(const char *s, size_t n, int *level, int *value) {
  int32_t cp;
  size_t i, l;
  if (n == 0) return 0;
  i = next_cp(s, n, 0, &cp);
  if (!is_open_paren(cp)) return 0;
  l = gw_parse_cn_number(s + i, n - i, value);
  *level = 2;
  if (l == 0) {
    l = parse_list_number(s + i, n - i, value);
    *level = 4;
  }
  if (l == 0 || i + l >= n) return 0;
  i += l;
  i += next_cp(s, n, i, &cp);
  return is_close_paren(cp) ? i : 0;
}

int gw_marker_at(const char *s, size_t n, size_t *len) {
  int level = 0, value = 0;
  size_t l = 0;
  /* Every marker starts with ( or （ (lead EF), a numeral 一…九 十 (U+4E00–
   * U+5FFF: leads E4, E5) or a digit 1–9 (ASCII, or full-width: lead EF),
   * so its first byte says which kinds to try (most lines: none). */
  unsigned char c = n ? (unsigned char)s[0] : 0;
  if (c == '(' || c == 0xEF) l = gw_paren_marker(s, n, &level, &value);
  if (l == 0 && (c == 0xE4 || c == 0xE5)) {
    level = 1;
    l = match_cn_marker(s, n, &value);
  }
  if (l == 0 && ((c >= '1' && c <= '9') || c == 0xEF)) {
    level = 3;
    l = match_arabic_marker(s, n, &value);
  }
  *len = l;
  return l ? level : 0;
}

int gw_heading_marker(const char *line, size_t len, size_t *marker_len) {
  size_t lead, l = 0;
  int level = 0;
  if (line && len > 0) {
    /* Indentation (ASCII or ideographic spaces) is part of the marker, so
     * line + *marker_len is always where the heading's words begin. */
    lead = gw_skip_spaces(line, len);
    level = gw_marker_at(line + lead, len - lead, &l);
    if (level) l += lead;
  }
  if (marker_len) *marker_len = level ? l : 0;
  return level;
}

int gw_text_heading_marker(size_t *marker_len, const char *line, size_t len) {
  return gw_heading_marker(line, len, marker_len);
}

/* ------------------------------------------------------------------ */
/* Masks                                                               */
/* ------------------------------------------------------------------ */

/* The kinds of mask character: * ＊ (stars), × (times), x X ｘ Ｘ. */
typedef enum { MASK_STAR, MASK_TIMES, MASK_X } mask_kind;

/* The length of the mask character of `kind` at u[i] (i < n), 0 if there
 * is none there: read from its bytes, which are what decoding them would
 * take (*, x, X; × C3 97; ＊ EF BC 8A, Ｘ EF BC B8, ｘ EF BD 98). */
static size_t mask_char(const unsigned char *u, size_t n, size_t i, mask_kind kind) {
  unsigned c = u[i];
  switch (kind) {
  case MASK_STAR:
    if (c == '*') return 1;
    return n - i >= 3 && c == 0xEF && u[i + 1] == 0xBC && u[i + 2] == 0x8A ? 3 : 0;
  case MASK_TIMES:
    return n - i >= 2 && c == 0xC3 && u[i + 1] == 0x97 ? 2 : 0;
  case MASK_X:
    if (c == 'x' || c == 'X') return 1;
    return n - i >= 3 && c == 0xEF &&
                   ((u[i + 1] == 0xBC && u[i + 2] == 0xB8) ||
                    (u[i + 1] == 0xBD && u[i + 2] == 0x98))
               ? 3
               : 0;
  }
  return 0;
}

/* Whether the character ending just before s[pos] is a Latin letter (ASCII
 * or full-width, the only letters an x-run can be glued to). */
static int letter_before(const char *s, size_t pos) {
  const unsigned char *u = (const unsigned char *)s;
  int32_t cp;
  if (pos == 0) return 0;
  if (u[pos - 1] < 0x80) return gw_is_ascii_alpha(u[pos - 1]);
  if (pos >= 3 && gw_utf8_next(u + pos - 3, 3, &cp) == 3)
    return is_latin_letter(cp);
  return 0;
}

/* Bytes of the run of mask characters of `kind` starting at u[pos]. */
static size_t run_length(const unsigned char *u, size_t n, size_t pos, mask_kind kind) {
  size_t i = pos, l;
  while (i < n && (l = mask_char(u, n, i, kind)) != 0) i += l;
  return i - pos;
}

size_t gw_mask_length(const char *s, size_t n, size_t pos) {
  const unsigned char *u = (const unsigned char *)s;
  size_t run;
  if (!s || pos >= n) return 0;
  if (mask_char(u, n, pos, MASK_STAR)) return run_length(u, n, pos, MASK_STAR);
  if (mask_char(u, n, pos, MASK_TIMES)) return run_length(u, n, pos, MASK_TIMES);
  if (!mask_char(u, n, pos, MASK_X) || letter_before(s, pos)) return 0;
  run = run_length(u, n, pos, MASK_X);
  if (pos + run < n) {
    int32_t after;
    next_cp(s, n, pos + run, &after);
    if (is_latin_letter(after)) return 0; /* "Xi", "xxl" */
  }
  return run;
}
