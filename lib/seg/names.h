/* names.h — names that are generated, not listed: numbered congresses and
 * plenums, five-year plans, the two sessions, local Party congresses.
 * Recognised by pattern (Chinese numerals, and ASCII digits where the text
 * has them), so that no future plenum needs a dictionary edit.  Used by the
 * segmenter (one token) and the term matcher (one term).  Private. */
#ifndef GW_NAMES_H
#define GW_NAMES_H

#include <stddef.h>
#include <stdint.h>

typedef enum gw_name_kind {
  GW_NAME_NONE = 0,
  GW_NAME_CONGRESS,       /* 党的二十大, 二十大精神, 中国共产党第二十次全国代表大会 */
  GW_NAME_PLENUM,         /* 二十届三中全会(精神), 党的二十届三中全会 */
  GW_NAME_ALL_PLENUMS,    /* 十九届历次全会(精神) */
  GW_NAME_FIVE_YEAR_PLAN, /* 第十四个五年规划, 十四五规划 */
  GW_NAME_TWO_SESSIONS,   /* 全国两会(精神) */
  GW_NAME_LOCAL_CONGRESS  /* 省第十二次党代会, 第十二次党代表大会 */
} gw_name_kind;

/* The highest number a name may carry: 四十大, 四十届 (congresses meet
 * every five years: 2072), 第四十个五年规划. */
#define GW_NAME_MAX_NUMBER 40

/* Levels of a local Party congress (gw_name.sub). */
enum { GW_LEVEL_NONE = 0, GW_LEVEL_PROVINCE, GW_LEVEL_CITY, GW_LEVEL_COUNTY };

typedef struct gw_name {
  gw_name_kind kind;
  size_t length;  /* code points */
  int number;     /* the congress, the 届 of a plenum, the plan, the local
                     congress; 0 for the two sessions */
  int sub;        /* plenum: 1–9 (三中全会: 3); local congress: GW_LEVEL_* */
  int prefixed;   /* begins with 党的 / 中共 / 中国共产党 (or a level) */
  int spirit;     /* ends with 精神 */
} gw_name;

/* The longest generated name that starts at cps[0] (of n code points);
 * returns its length (0: none) and fills *out.  With `frame` zero, the
 * name's frame (党的 / 中共 before it, 精神 after it) is left out, as the
 * segmentation standards cut it (党/的/十五大/精神). */
size_t gw_name_at(const int32_t *cps, size_t n, int frame, gw_name *out);

/* Whether cp can begin a name: a cheap test before gw_name_at, inline
 * since the term matcher asks it of every character of many paragraphs:
 * 党 中 第 全 省 市 县, the numerals 一 … 九 and 十, and ASCII digits. */
static inline int gw_name_can_start(int32_t cp) {
  if ((uint32_t)cp - '0' < 10u) return 1;
  if (cp < 0x4E00 || cp > 0x7B2C) return 0;
  switch (cp) {
  case 0x515A: case 0x4E2D: case 0x7B2C: case 0x5168: /* 党 中 第 全 */
  case 0x7701: case 0x5E02: case 0x53BF: case 0x5341: /* 省 市 县 十 */
  case 0x4E00: case 0x4E8C: case 0x4E09: case 0x56DB: /* 一 二 三 四 */
  case 0x4E94: case 0x516D: case 0x4E03: case 0x516B: /* 五 六 七 八 */
  case 0x4E5D:                                        /* 九 */
    return 1;
  default:
    return 0;
  }
}

/* Whether cp can begin a name gw_name_at finds with `frame` zero: 党 and
 * 中 begin only the frames (党的, 中共, 中国共产党), which it then leaves
 * out, so the segmenter need not ask at them. */
static inline int gw_name_can_start_unframed(int32_t cp) {
  return cp != 0x515A /* 党 */ && cp != 0x4E2D /* 中 */ && gw_name_can_start(cp);
}

/* The value of a Chinese numeral of at most two places (一 … 九十九, 零),
 * or -1. */
int gw_cn_small_number(const int32_t *cps, size_t n);

/* The canonical text of a name (党的二十大, 党的二十届三中全会,
 * 党的十九届历次全会, 第十四个五年规划, 全国两会, 省第十二次党代会) into
 * out (at least 64 bytes); returns its length in bytes. */
size_t gw_name_canonical(gw_name_kind kind, int number, int sub, char *out);

#endif
