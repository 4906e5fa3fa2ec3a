/* names.c — generated names (names.h): numbered meetings, plans and
 * sessions, recognised by pattern.
 *
 * Grammar, NUM a Chinese numeral (一 … 四十) or ASCII digits, Y one of
 * 一 … 九 (or a digit), P an optional 党的 / 中共 / 中国共产党, S an
 * optional 精神:
 *   congress        P NUM 大 S          (without P: NUM from 十一 on, in
 *                                        numerals: 三大 and 十大 are words)
 *                   中国共产党第 NUM 次全国代表大会 S, 党的第 NUM 次全国代表大会 S
 *   plenum          P NUM 届 [中央] Y 中全会 S
 *                   P NUM 届中央委员会第 Y 次全体会议 S (matcher only)
 *   all plenums     P NUM 届历次全会 S
 *   five-year plan  第 NUM 个五年规划, NUM 五规划 (十四五规划)
 *   two sessions    全国两会 S
 *   local congress  [省|市|县] 第 NUM 次党代会 S, [省|市|县] 第 NUM 次党代表大会 S
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "names.h"

static const int32_t cn_digits[] = {0x96F6, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                    0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
#define CN_TEN 0x5341

static int cn_digit_value(int32_t cp) {
  for (int k = 0; k < 10; k++)
    if (cp == cn_digits[k]) return k;
  return -1;
}

int gw_cn_small_number(const int32_t *cps, size_t n) {
  int value = 0, current = -1;
  for (size_t i = 0; i < n; i++) {
    int d = cn_digit_value(cps[i]);
    if (d >= 0) {
      if (current >= 0) return -1; /* two digits in a row: not 十-style */
      current = d;
    } else if (cps[i] == CN_TEN) {
      value += (current < 0 ? 1 : current) * 10;
      current = -1;
      if (value > 90) return -1;
    } else {
      return -1;
    }
  }
  return value + (current > 0 ? current : 0);
}

/* Does the literal (UTF-8) stand at cps[i..n)?  Returns its length in code
 * points, or 0. */
static inline __attribute__((always_inline)) size_t lit(const int32_t *cps, size_t n,
                                                       size_t i, const char *utf8) {
  size_t k = 0, len = strlen(utf8);
  for (size_t b = 0; b < len;) {
    int32_t cp;
    b += gw_utf8_next((const unsigned char *)utf8 + b, len - b, &cp);
    if (i + k >= n || cps[i + k] != cp) return 0;
    k++;
  }
  return k;
}

/* Numerals at cps[i..): every reading, longest first (十四五 reads as 十四
 * before 五规划).  Returns how many readings were stored in len/value. */
static size_t numbers_at(const int32_t *cps, size_t n, size_t i, int digits_ok,
                         size_t len[3], int value[3]) {
  size_t count = 0;
  if (i < n && gw_is_ascii_digit(cps[i])) {
    if (!digits_ok) return 0;
    size_t j = i;
    int v = 0;
    while (j < n && j - i < 2 && gw_is_ascii_digit(cps[j])) v = v * 10 + (cps[j++] - '0');
    if (j < n && gw_is_ascii_digit(cps[j])) return 0;
    if (v >= 1 && v <= GW_NAME_MAX_NUMBER) { len[0] = j - i; value[0] = v; count = 1; }
    return count;
  }
  size_t j = i;
  while (j < n && j - i < 3 && (cn_digit_value(cps[j]) > 0 || cps[j] == CN_TEN)) j++;
  for (size_t l = j - i; l > 0; l--) {
    int v = gw_cn_small_number(cps + i, l);
    if (v >= 1 && v <= GW_NAME_MAX_NUMBER) {
      len[count] = l;
      value[count++] = v;
    }
  }
  return count;
}

static int plenum_number(int32_t cp) {
  int d = cn_digit_value(cp);
  if (d >= 1) return d;
  return cp >= '1' && cp <= '9' ? cp - '0' : 0;
}

static void keep(gw_name *best, gw_name_kind kind, size_t length, int number, int sub,
                 int prefixed) {
  if (length <= best->length) return;
  best->kind = kind;
  best->length = length;
  best->number = number;
  best->sub = sub;
  best->prefixed = prefixed;
}

/* The meetings that follow an optional P: congress, plenum, all plenums. */
static void numbered_meetings(const int32_t *cps, size_t n, size_t i, int prefixed,
                              int frame, gw_name *best) {
  size_t len[3];
  int value[3];
  size_t count = numbers_at(cps, n, i, 1, len, value);
  for (size_t r = 0; r < count; r++) {
    size_t j = i + len[r], k;
    int v = value[r];
    int numeral = !gw_is_ascii_digit(cps[i]);
    if ((k = lit(cps, n, j, "大")) &&
        (prefixed || (numeral && len[r] >= 2 && v >= 11)))
      keep(best, GW_NAME_CONGRESS, j + k, v, 0, prefixed);
    if ((k = lit(cps, n, j, "届"))) {
      size_t at = j + k;
      size_t c = lit(cps, n, at, "中央");
      int y;
      if (at + c < n && (y = plenum_number(cps[at + c])) &&
          (k = lit(cps, n, at + c + 1, "中全会")))
        keep(best, GW_NAME_PLENUM, at + c + 1 + k, v, y, prefixed);
      /* The formal name is a phrase to the segmentation standards. */
      if (frame && (c = lit(cps, n, at, "中央委员会第")) && at + c < n &&
          (y = plenum_number(cps[at + c])) &&
          (k = lit(cps, n, at + c + 1, "次全体会议")))
        keep(best, GW_NAME_PLENUM, at + c + 1 + k, v, y, prefixed);
      if ((k = lit(cps, n, at, "历次全会")))
        keep(best, GW_NAME_ALL_PLENUMS, at + k, v, 0, prefixed);
    }
  }
}

/* 第 NUM 次全国代表大会 after 中国共产党 / 党的. */
static void formal_congress(const int32_t *cps, size_t n, size_t i, gw_name *best) {
  size_t k = lit(cps, n, i, "第");
  if (!k) return;
  size_t len[3];
  int value[3];
  size_t count = numbers_at(cps, n, i + k, 1, len, value);
  for (size_t r = 0; r < count; r++) {
    size_t j = i + k + len[r], m = lit(cps, n, j, "次全国代表大会");
    if (m) keep(best, GW_NAME_CONGRESS, j + m, value[r], 0, 1);
  }
}

static void plans_and_local(const int32_t *cps, size_t n, size_t i, gw_name *best) {
  size_t len[3], k;
  int value[3];
  /* NUM 五规划 */
  size_t count = numbers_at(cps, n, i, 0, len, value);
  for (size_t r = 0; r < count; r++)
    if ((k = lit(cps, n, i + len[r], "五规划")) && len[r] >= 2 && value[r] >= 10)
      keep(best, GW_NAME_FIVE_YEAR_PLAN, i + len[r] + k, value[r], 0, 0);
  /* [省|市|县] 第 NUM … */
  size_t at = i;
  int level = GW_LEVEL_NONE;
  if (lit(cps, n, i, "省")) level = GW_LEVEL_PROVINCE;
  else if (lit(cps, n, i, "市")) level = GW_LEVEL_CITY;
  else if (lit(cps, n, i, "县")) level = GW_LEVEL_COUNTY;
  if (level) at++;
  if (!(k = lit(cps, n, at, "第"))) return;
  at += k;
  count = numbers_at(cps, n, at, 1, len, value);
  for (size_t r = 0; r < count; r++) {
    size_t j = at + len[r];
    if (!level && (k = lit(cps, n, j, "个五年规划")))
      keep(best, GW_NAME_FIVE_YEAR_PLAN, j + k, value[r], 0, 0);
    if ((k = lit(cps, n, j, "次党代会")) || (k = lit(cps, n, j, "次党代表大会")))
      keep(best, GW_NAME_LOCAL_CONGRESS, j + k, value[r], level, level != GW_LEVEL_NONE);
  }
}

/* A cheap look at the next few characters before the grammar proper: most
 * places where a name could start (一 in 一是, 中 in 中心) are not one. */
static int plausible(const int32_t *cps, size_t n) {
  switch (cps[0]) {
  case 0x515A: return cps[1] == 0x7684;                      /* 党的 */
  case 0x4E2D: return cps[1] == 0x5171 || cps[1] == 0x56FD;  /* 中共, 中国 */
  case 0x5168: return cps[1] == 0x56FD && cps[2] == 0x4E24;  /* 全国两 */
  case 0x7701: case 0x5E02: case 0x53BF: return cps[1] == 0x7B2C; /* 省第 */
  case 0x7B2C: return cn_digit_value(cps[1]) > 0 || cps[1] == CN_TEN ||
                      gw_is_ascii_digit(cps[1]);
  default:
    /* a number, then 大, 届 or 规 (十四五规划) within four characters */
    for (size_t i = 1; i < n && i < 5; i++)
      if (cps[i] == 0x5927 || cps[i] == 0x5C4A || cps[i] == 0x89C4) return 1;
    return 0;
  }
}

size_t gw_name_at(const int32_t *cps, size_t n, int frame, gw_name *out) {
  memset(out, 0, sizeof *out);
  if (n < 3 || !gw_name_can_start(cps[0]) || !plausible(cps, n)) return 0;
  size_t k;
  if (frame && ((k = lit(cps, n, 0, "党的")) || (k = lit(cps, n, 0, "中共")))) {
    numbered_meetings(cps, n, k, 1, frame, out);
    if (lit(cps, n, 0, "党的")) formal_congress(cps, n, k, out);
  }
  if (frame && (k = lit(cps, n, 0, "中国共产党"))) {
    numbered_meetings(cps, n, k, 1, frame, out);
    formal_congress(cps, n, k, out);
  }
  numbered_meetings(cps, n, 0, 0, frame, out);
  plans_and_local(cps, n, 0, out);
  if ((k = lit(cps, n, 0, "全国两会"))) keep(out, GW_NAME_TWO_SESSIONS, k, 0, 0, 0);
  if (out->kind == GW_NAME_NONE) return 0;
  if (frame && out->kind != GW_NAME_FIVE_YEAR_PLAN && (k = lit(cps, n, out->length, "精神"))) {
    out->length += k;
    out->spirit = 1;
  }
  return out->length;
}

/* A number in Chinese numerals (1–99). */
static size_t write_numeral(int v, char *out) {
  static const char *const d[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  size_t n = 0;
  if (v >= 10) {
    if (v >= 20) n += (size_t)sprintf(out + n, "%s", d[v / 10]);
    n += (size_t)sprintf(out + n, "十");
  }
  n += (size_t)sprintf(out + n, "%s", d[v % 10]);
  return n;
}

size_t gw_name_canonical(gw_name_kind kind, int number, int sub, char *out) {
  size_t n = 0;
  out[0] = '\0';
  if (number < 0 || number > 99 || sub < 0 || sub > 9) return 0;
  switch (kind) {
  case GW_NAME_CONGRESS:
    n += (size_t)sprintf(out, "党的");
    n += write_numeral(number, out + n);
    n += (size_t)sprintf(out + n, "大");
    break;
  case GW_NAME_PLENUM:
    n += (size_t)sprintf(out, "党的");
    n += write_numeral(number, out + n);
    n += (size_t)sprintf(out + n, "届");
    n += write_numeral(sub, out + n);
    n += (size_t)sprintf(out + n, "中全会");
    break;
  case GW_NAME_ALL_PLENUMS:
    n += (size_t)sprintf(out, "党的");
    n += write_numeral(number, out + n);
    n += (size_t)sprintf(out + n, "届历次全会");
    break;
  case GW_NAME_FIVE_YEAR_PLAN:
    n += (size_t)sprintf(out, "第");
    n += write_numeral(number, out + n);
    n += (size_t)sprintf(out + n, "个五年规划");
    break;
  case GW_NAME_TWO_SESSIONS:
    n += (size_t)sprintf(out, "全国两会");
    break;
  case GW_NAME_LOCAL_CONGRESS:
    n += (size_t)sprintf(out, "%s第", sub == GW_LEVEL_PROVINCE ? "省"
                                     : sub == GW_LEVEL_CITY   ? "市"
                                     : sub == GW_LEVEL_COUNTY ? "县" : "");
    n += write_numeral(number, out + n);
    n += (size_t)sprintf(out + n, "次党代会");
    break;
  default:
    break;
  }
  return n;
}
