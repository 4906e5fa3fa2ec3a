/*
 * numbering.c — automatic list numbers as Word shows them, shared by the
 * .docx reader (numbering.xml) and the .doc/.wps reader (LST/LFO tables):
 * one counter per level, and the number formats (一 十二 二十, 1, a, iv,
 * ①, 壹 …) by their OOXML names, which the binary format's format codes map
 * onto; and the heading level a style's name gives ("heading 2", "标题 2"),
 * for styles that are headings by name only.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "formats.h"

void gw_list_advance(gw_list_counters *c, int level, int start) {
  if (level < 0 || level >= GW_LIST_LEVELS) return;
  if (!c->started[level]) {
    c->value[level] = start;
    c->started[level] = 1;
  } else if (c->value[level] < 1000000) {
    c->value[level]++;
  }
  for (int l = level + 1; l < GW_LIST_LEVELS; l++) c->started[l] = 0;
}

int gw_list_current(gw_list_counters *c, int level, int start) {
  if (level < 0 || level >= GW_LIST_LEVELS) return start;
  if (!c->started[level]) { /* a level never used yet counts from its start */
    c->value[level] = start;
    c->started[level] = 1;
  }
  return c->value[level];
}

static const char *const chinese_digits[] = {"〇", "一", "二", "三", "四",
                                             "五", "六", "七", "八", "九"};

/* 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百〇五. */
static void chinese_counting(int n, char *out, size_t size) {
  out[0] = '\0';
  if (n <= 0 || n > 9999) {
    snprintf(out, size, "%d", n);
    return;
  }
  static const char *const units[] = {"千", "百", "十", ""};
  int digits[4] = {n / 1000, n / 100 % 10, n / 10 % 10, n % 10};
  int started = 0, zero = 0;
  for (int i = 0; i < 4; i++) {
    if (digits[i] == 0) {
      zero = started;
      continue;
    }
    if (zero) strncat(out, "〇", size - strlen(out) - 1);
    zero = 0;
    if (!(i == 2 && digits[i] == 1 && !started))
      strncat(out, chinese_digits[digits[i]], size - strlen(out) - 1);
    strncat(out, units[i], size - strlen(out) - 1);
    started = 1;
  }
}

static void letters(int n, int upper, char *out, size_t size) {
  /* Word repeats the letter: a … z, aa … zz. */
  int reps = (n - 1) / 26 + 1;
  char c = (char)((upper ? 'A' : 'a') + (n - 1) % 26);
  size_t i = 0;
  for (; i < (size_t)reps && i + 1 < size; i++) out[i] = c;
  out[i] = '\0';
}

static void roman(int n, int upper, char *out, size_t size) {
  static const struct { int v; const char *s; } r[] = {
      {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
      {90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"},
      {4, "iv"}, {1, "i"}};
  size_t o = 0;
  if (n > 9999) n = 9999; /* a forged start value must not spell for ever */
  for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
    for (; n >= r[i].v; n -= r[i].v)
      for (const char *p = r[i].s; *p && o + 1 < size; p++)
        out[o++] = upper ? (char)(*p - 'a' + 'A') : *p;
  out[o] = '\0';
}

static void enclosed(int n, int32_t first, int32_t last, char *out,
                     size_t size) {
  if (n >= 1 && n <= (int)(last - first + 1))
    out[gw_utf8_encode(first + n - 1, out)] = '\0';
  else
    snprintf(out, size, "%d", n);
}

void gw_number_format(const char *format, int n, char *out, size_t size) {
  static const char *const stems[] = {"甲", "乙", "丙", "丁", "戊",
                                      "己", "庚", "辛", "壬", "癸"};
  static const char *const legal[] = {"零", "壹", "贰", "叁", "肆",
                                      "伍", "陆", "柒", "捌", "玖"};
  if (!format) format = "decimal";
  if (strcmp(format, "none") == 0 || strcmp(format, "bullet") == 0) {
    out[0] = '\0';
  } else if (strncmp(format, "chineseCounting", 15) == 0 ||
             strcmp(format, "japaneseCounting") == 0 ||
             strcmp(format, "taiwaneseCounting") == 0 ||
             strcmp(format, "taiwaneseCountingThousand") == 0 ||
             strcmp(format, "ideographDigital") == 0) {
    chinese_counting(n, out, size);
  } else if (strcmp(format, "chineseLegalSimplified") == 0 && n >= 1 &&
             n <= 9) {
    snprintf(out, size, "%s", legal[n]);
  } else if (strcmp(format, "ideographTraditional") == 0 && n >= 1 &&
             n <= 10) {
    snprintf(out, size, "%s", stems[n - 1]);
  } else if (strcmp(format, "lowerLetter") == 0 ||
             strcmp(format, "upperLetter") == 0) {
    letters(n > 0 ? n : 1, format[0] == 'u', out, size);
  } else if (strcmp(format, "lowerRoman") == 0 ||
             strcmp(format, "upperRoman") == 0) {
    roman(n, format[0] == 'u', out, size);
  } else if (strncmp(format, "decimalEnclosedCircle", 21) == 0) {
    enclosed(n, 0x2460, 0x2473, out, size); /* ① … ⑳ */
  } else if (strcmp(format, "decimalEnclosedParen") == 0) {
    enclosed(n, 0x2474, 0x2487, out, size); /* ⑴ … ⒇ */
  } else if (strcmp(format, "decimalEnclosedFullstop") == 0) {
    enclosed(n, 0x2488, 0x249B, out, size); /* ⒈ … ⒛ */
  } else if (strcmp(format, "decimalZero") == 0) {
    snprintf(out, size, "%02d", n);
  } else {
    snprintf(out, size, "%d", n); /* decimal, decimalFullWidth, ordinal … */
  }
}

const char *gw_number_format_of_nfc(unsigned nfc) {
  /* [MS-OSHARED] MSONFC, in the order of ST_NumberFormat. */
  static const char *const names[] = {
      "decimal", "upperRoman", "lowerRoman", "upperLetter", "lowerLetter",
      "ordinal", "cardinalText", "ordinalText", "hex", "chicago",
      "ideographDigital", "japaneseCounting", "aiueo", "iroha",
      "decimalFullWidth", "decimalHalfWidth", "japaneseLegal",
      "japaneseDigitalTenThousand", "decimalEnclosedCircle",
      "decimalFullWidth2", "aiueoFullWidth", "irohaFullWidth", "decimalZero",
      "bullet", "ganada", "chosung", "decimalEnclosedFullstop",
      "decimalEnclosedParen", "decimalEnclosedCircleChinese",
      "ideographEnclosedCircle", "ideographTraditional", "ideographZodiac",
      "ideographZodiacTraditional", "taiwaneseCounting",
      "ideographLegalTraditional", "taiwaneseCountingThousand",
      "taiwaneseDigital", "chineseCounting", "chineseLegalSimplified",
      "chineseCountingThousand"};
  if (nfc == 0xFF) return "none";
  return nfc < sizeof names / sizeof names[0] ? names[nfc] : "decimal";
}

int gw_heading_level_of_style_name(const char *name) {
  static const char *const prefixes[] = {"heading ", "标题 ", "标题"};
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
    size_t n = strlen(prefixes[i]);
    if (strncasecmp(name, prefixes[i], n) == 0 && name[n] >= '1' &&
        name[n] <= '9' && name[n + 1] == '\0')
      return name[n] - '0';
  }
  return 0;
}
