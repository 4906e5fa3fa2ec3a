/* The text's small readers (markers.c): heading markers and their levels,
 * template masks, Chinese numerals. */
#include "harness.h"
#include "markers.h"

/* ---- gw_heading_marker and the public gw_text_heading_marker ---- */

static int level_of(const char *line, size_t *marker) {
  return gw_heading_marker(line, strlen(line), marker);
}

/* The heading level of `line` and that its marker is exactly `marker`. */
static void check_marker(const char *line, int level, const char *marker) {
  size_t len = 99;
  int got = level_of(line, &len);
  if (got != level)
    fprintf(stderr, "  level of \"%s\": got %d, want %d\n", line, got, level);
  CHECK(got == level);
  CHECK_STRN(line, len, marker);
  /* the public accessor reads every line the same way */
  size_t public_len = 99;
  CHECK(gw_text_heading_marker(&public_len, line, strlen(line)) == level);
  CHECK_EQ_SIZE(public_len, len);
}

static void test_markers(void) {
  check_marker("一、工作开展情况", 1, "一、");
  check_marker("十、其他", 1, "十、");
  check_marker("十二、其他", 1, "十二、");
  check_marker("二十、其他", 1, "二十、");
  check_marker("二十三、其他", 1, "二十三、");
  check_marker("一百零五、其他", 1, "一百零五、");
  check_marker("一百二十一、其他", 1, "一百二十一、");
  check_marker("（一）加强组织领导", 2, "（一）");
  check_marker("（十一）加强组织领导", 2, "（十一）");
  check_marker("(二)加强", 2, "(二)");
  check_marker("（三)加强", 2, "（三)");
  check_marker("1.加强", 3, "1.");
  check_marker("1、加强", 3, "1、");
  check_marker("2．加强", 3, "2．");
  check_marker("12.加强", 3, "12.");
  check_marker("１．加强", 3, "１．"); /* full-width digit */
  check_marker("（1）加强", 4, "（1）");
  check_marker("(12)加强", 4, "(12)");
  /* indentation belongs to the marker */
  check_marker("  一、工作", 1, "  一、");
  check_marker("\xe3\x80\x80\xe3\x80\x80（二）学习", 2, /* ideographic spaces */
               "\xe3\x80\x80\xe3\x80\x80（二）");
  check_marker("一、", 1, "一、");
}

static void test_non_markers(void) {
  check_marker("2023.5亿元", 0, "");
  check_marker("1.5亿元投入", 0, "");
  check_marker("2023年工作总结", 0, "");
  check_marker("2023、2024年", 0, ""); /* four digits: a year, not a list */
  check_marker("1、2月份完成", 0, "");
  check_marker("0.加强", 0, "");
  check_marker("三、四月份，我局", 0, "");
  check_marker("一、二季度", 0, "");
  check_marker("一是加强学习", 0, "");
  check_marker("十九大以来", 0, "");
  check_marker("一百一、其他", 0, ""); /* colloquial 110 is not taken */
  check_marker("（2023）12号", 0, "");
  check_marker("（一", 0, "");
  check_marker("（一）", 2, "（一）");
  check_marker("（）", 0, "");
  check_marker("（一是）", 0, "");
  check_marker("一", 0, "");
  check_marker("1", 0, "");
  check_marker("1.", 3, "1.");
  check_marker("第一部分 工作", 0, "");
  check_marker("   ", 0, "");
  check_marker("", 0, "");
  /* NULL marker_len and NULL line are allowed */
  CHECK(gw_heading_marker("一、x", strlen("一、x"), NULL) == 1);
  CHECK(gw_text_heading_marker(NULL, "（二）x", strlen("（二）x")) == 2);
  size_t len = 7;
  CHECK(gw_heading_marker(NULL, 0, &len) == 0);
  CHECK_EQ_SIZE(len, 0);
  /* the length bounds the line: "一、" cut before 、 is no marker */
  CHECK(gw_heading_marker("一、工作", 3, &len) == 0);
  len = 7;
  CHECK(gw_text_heading_marker(&len, "一、工作", 3) == 0 && len == 0);
  /* a truncated UTF-8 sequence is not read past len */
  CHECK(gw_heading_marker("（", 2, &len) == 0);
}

/* ---- gw_mask_length ---- */

/* The mask length at byte `pos` of s. */
static size_t mask_at(const char *s, size_t pos) {
  return gw_mask_length(s, strlen(s), pos);
}

static void test_masks(void) {
  CHECK_EQ_SIZE(mask_at("**局", 0), 2);
  CHECK_EQ_SIZE(mask_at("***", 0), 3);
  CHECK_EQ_SIZE(mask_at("*次", 0), 1);
  CHECK_EQ_SIZE(mask_at("共*篇", 3), 1);
  CHECK_EQ_SIZE(mask_at("xxx局", 0), 3);
  CHECK_EQ_SIZE(mask_at("xx月", 0), 2);
  CHECK_EQ_SIZE(mask_at("x篇", 0), 1);
  CHECK_EQ_SIZE(mask_at("XX县", 0), 2);
  CHECK_EQ_SIZE(mask_at("Xx县", 0), 2);
  CHECK_EQ_SIZE(mask_at("xxxx年度", 0), 4);
  CHECK_EQ_SIZE(mask_at("在xxx会议", 3), 3);
  CHECK_EQ_SIZE(mask_at("××单位", 0), 4); /* × is two bytes */
  CHECK_EQ_SIZE(mask_at("＊＊局", 0), 6);
  CHECK_EQ_SIZE(mask_at("ＸＸ县", 0), 6);
  CHECK_EQ_SIZE(mask_at("x", 0), 1);
  CHECK_EQ_SIZE(mask_at("x2", 0), 1);
  /* * and × runs do not merge with x runs */
  CHECK_EQ_SIZE(mask_at("**xx", 0), 2);
  CHECK_EQ_SIZE(mask_at("××xx", 0), 4);
}

static void test_non_masks(void) {
  CHECK_EQ_SIZE(mask_at("box", 2), 0);
  CHECK_EQ_SIZE(mask_at("Xi", 0), 0);
  CHECK_EQ_SIZE(mask_at("XML", 0), 0);
  CHECK_EQ_SIZE(mask_at("xxl", 0), 0);
  CHECK_EQ_SIZE(mask_at("ｂｏｘ", 6), 0); /* full-width letters */
  CHECK_EQ_SIZE(mask_at("某局", 0), 0);
  CHECK_EQ_SIZE(mask_at("局", 0), 0);
  CHECK_EQ_SIZE(mask_at("a", 0), 0);
  CHECK_EQ_SIZE(mask_at("**", 2), 0); /* pos at the end */
  CHECK_EQ_SIZE(mask_at("**", 5), 0);
  CHECK_EQ_SIZE(gw_mask_length(NULL, 0, 0), 0);
  /* the length bounds the text: "x" followed by a letter past n counts */
  CHECK_EQ_SIZE(gw_mask_length("xxl", 2, 0), 2);
}

/* ---- gw_parse_cn_number, gw_paren_marker ---- */

static void check_number(const char *s, int value, size_t len) {
  int v = -1;
  CHECK_EQ_SIZE(gw_parse_cn_number(s, strlen(s), &v), len);
  if (len) CHECK(v == value);
}

static void test_numbers(void) {
  check_number("三", 3, 3);
  check_number("十二条", 12, 6);
  check_number("二十三", 23, 9);
  check_number("一百零五", 105, 12);
  check_number("一百二十三", 123, 15);
  check_number("一百一", 100, 6); /* colloquial 110: not taken */
  check_number("零", 0, 0);
  check_number("是", 0, 0);
  int level = 0, value = 0;
  CHECK_EQ_SIZE(gw_paren_marker("（十一）", strlen("（十一）"), &level, &value),
                strlen("（十一）"));
  CHECK(level == 2 && value == 11);
  CHECK_EQ_SIZE(gw_paren_marker("(3)x", 4, &level, &value), 3);
  CHECK(level == 4 && value == 3);
  CHECK_EQ_SIZE(gw_paren_marker("(03)", 4, &level, &value), 0);
  CHECK_EQ_SIZE(gw_skip_spaces(" \t\u3000a", strlen(" \t\u3000a")), 5);
}

int main(void) {
  test_markers();
  test_non_markers();
  test_masks();
  test_non_masks();
  test_numbers();
  return gw_test_report();
}
