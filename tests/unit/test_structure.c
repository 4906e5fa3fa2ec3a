/* Paragraphs, titles, sections, enumerations and masks of a normalized
 * view; golden outlines of the corpus seeds
 * (tests/golden/structure/<seed>.txt).  The markers themselves:
 * test_markers.c. */
#include <stdarg.h>
#include <stdlib.h>

#include "harness.h"
#include "markers.h"
#include "stages.h"

#define GOLDEN_DIR GW_GOLDEN_DIR "/structure"

/* ---- gw_structure_build ---- */

static gw_structure build(const char *text) {
  gw_structure st;
  int rc = gw_structure_build(text, strlen(text), &st, NULL);
  CHECK(rc == GW_OK);
  return st;
}

/* The paragraph whose range holds mask i whole (masks are found paragraph
 * by paragraph), or GW_NO_OFFSET when none does. */
static size_t mask_paragraph(const gw_structure *st, size_t i) {
  const gw_range *m = &st->masks[i];
  size_t lo = 0, hi = st->paragraph_count;
  while (lo < hi) { /* the first paragraph starting after the mask */
    size_t mid = lo + (hi - lo) / 2;
    if (st->paragraphs[mid].range.norm_start <= m->norm_start) lo = mid + 1;
    else hi = mid;
  }
  if (lo == 0) return GW_NO_OFFSET;
  const gw_range *p = &st->paragraphs[lo - 1].range;
  return m->norm_end <= p->norm_end ? lo - 1 : GW_NO_OFFSET;
}

/* The text of paragraph i. */
#define CHECK_PARA(st, text, i, expected)                                 \
  CHECK_STRN((text) + (st).paragraphs[i].range.norm_start,                \
             (st).paragraphs[i].range.norm_end -                          \
                 (st).paragraphs[i].range.norm_start,                     \
             expected)

static void test_paragraphs(void) {
  const char *t = "甲\n\n乙丙\n \xe3\x80\x80\n（一）丁";
  gw_structure st = build(t);
  CHECK_EQ_SIZE(st.paragraph_count, 3); /* blank and space-only lines skipped */
  CHECK_PARA(st, t, 0, "甲");
  CHECK_PARA(st, t, 1, "乙丙");
  CHECK_PARA(st, t, 2, "（一）丁");
  CHECK_EQ_SIZE(st.paragraphs[1].range.norm_start, 5);
  CHECK(st.paragraphs[2].heading_level == 2);
  CHECK(st.paragraphs[0].heading_level == 0);
  gw_structure_free(&st);

  st = build("");
  CHECK_EQ_SIZE(st.paragraph_count, 0);
  CHECK(st.paragraphs == NULL);
  gw_structure_free(&st);
  CHECK(gw_structure_build(NULL, 0, &st, NULL) == GW_OK);
  CHECK_EQ_SIZE(st.paragraph_count, 0);
  gw_structure_free(&st);
  gw_structure_free(NULL);

  st = build("\n\n甲\n");
  CHECK_EQ_SIZE(st.paragraph_count, 1);
  CHECK_EQ_SIZE(st.paragraphs[0].range.norm_start, 2);
  CHECK_EQ_SIZE(st.paragraphs[0].range.norm_end, 5);
  gw_structure_free(&st);

  /* many paragraphs: the arrays grow past their first allocation */
  {
    char buf[4000];
    size_t n = 0, i;
    for (i = 0; i < 500; i++) { memcpy(buf + n, "x\n", 2); n += 2; }
    buf[n] = '\0';
    st = build(buf);
    CHECK_EQ_SIZE(st.paragraph_count, 500);
    CHECK_EQ_SIZE(st.mask_count, 500);
    CHECK_EQ_SIZE(mask_paragraph(&st, 499), 499);
    CHECK_EQ_SIZE(st.masks[499].norm_start, 998);
    gw_structure_free(&st);
  }
  /* Past GW_LARGE_ALLOC: the paragraphs go onto a mapping at once, the
   * masks and enumerations move there from malloc's blocks as they grow;
   * everything found before the moves is still there after them. */
  {
    const size_t lines = 60000;
    char *buf = malloc(lines * 12 + 1);
    size_t n = 0, i;
    CHECK(buf != NULL);
    if (!buf) return;
    for (i = 0; i < lines; i++) { memcpy(buf + n, "x\xef\xbc\x8c一是\n", 11); n += 11; }
    buf[n] = '\0';
    st = build(buf);
    CHECK_EQ_SIZE(st.paragraph_count, lines);
    CHECK_EQ_SIZE(st.mask_count, lines);
    CHECK_EQ_SIZE(st.enumeration_count, lines);
    int all = 1;
    for (i = 0; i < lines && all; i++) {
      all = st.paragraphs[i].range.norm_start == 11 * i &&
            st.paragraphs[i].range.norm_end == 11 * i + 10 &&
            st.paragraphs[i].range.start == 0 && st.paragraphs[i].range.end == 0 &&
            st.masks[i].norm_start == 11 * i && st.masks[i].norm_end == 11 * i + 1 &&
            st.masks[i].start == 0 && st.masks[i].end == 0 &&
            mask_paragraph(&st, i) == i &&
            st.enumerations[i].marker.norm_start == 11 * i + 4 &&
            st.enumerations[i].marker.norm_end == 11 * i + 10 &&
            st.enumerations[i].paragraph == i && st.enumerations[i].ordinal == 1;
      if (!all) fprintf(stderr, "large arrays: element %zu differs\n", i);
    }
    CHECK(all);
    gw_structure_free(&st);
    free(buf);
  }
  /* A text of 16 MB or more starts its mask and enumeration arrays large. */
  {
    const size_t len = (size_t)16 << 20;
    char *buf = malloc(len + 1);
    CHECK(buf != NULL);
    if (!buf) return;
    memset(buf, 'a', len);
    memcpy(buf, "x\xef\xbc\x8c一是\n", 11);
    memcpy(buf + len - 3, "\nxx", 3);
    buf[len] = '\0';
    st = build(buf);
    CHECK_EQ_SIZE(st.paragraph_count, 3);
    CHECK_EQ_SIZE(st.mask_count, 2);
    CHECK_EQ_SIZE(st.enumeration_count, 1);
    if (st.mask_count == 2 && st.enumeration_count == 1) {
      CHECK_EQ_SIZE(st.masks[0].norm_end, 1);
      CHECK_EQ_SIZE(st.masks[1].norm_start, len - 2);
      CHECK_EQ_SIZE(st.masks[1].norm_end, len);
      CHECK_EQ_SIZE(mask_paragraph(&st, 1), 2);
      CHECK_EQ_SIZE(st.enumerations[0].marker.norm_start, 4);
    }
    gw_structure_free(&st);
    free(buf);
  }
}

static void test_title(void) {
  gw_structure st = build("关于2023年第三季度意识形态工作责任制落实情况汇报\n\n"
                          "今年以来，我局高度重视。\n一、强化组织领导\n内容。");
  CHECK(st.paragraphs[0].is_title == 1);
  CHECK(st.paragraphs[1].is_title == 0);
  CHECK(st.paragraphs[0].section == GW_SECTION_NONE);
  CHECK_EQ_SIZE(st.paragraphs[0].section_heading, GW_NO_OFFSET);
  gw_structure_free(&st);

  st = build("2022年以来，**局把意识形态工作作为一项重要工作来抓。\n一、工作");
  CHECK(st.paragraphs[0].is_title == 0); /* a sentence */
  gw_structure_free(&st);
  st = build("一、工作开展情况\n内容");
  CHECK(st.paragraphs[0].is_title == 0); /* a heading */
  gw_structure_free(&st);
  st = build("现将有关情况汇报如下：\n内容");
  CHECK(st.paragraphs[0].is_title == 0); /* ends with a colon */
  gw_structure_free(&st);
  /* 65 characters without punctuation: too long for a title */
  st = build("意识形态工作意识形态工作意识形态工作意识形态工作意识形态工作"
             "意识形态工作意识形态工作意识形态工作意识形态工作意识形态工作"
             "意识形态工\n内容");
  CHECK(st.paragraphs[0].is_title == 0);
  gw_structure_free(&st);
  st = build("意识形态工作意识形态工作意识形态工作意识形态工作意识形态工作"
             "意识形态工作意识形态工作意识形态工作意识形态工作意识形态工作"
             "意识形态\n内容");
  CHECK(st.paragraphs[0].is_title == 1); /* 64 is still a title */
  gw_structure_free(&st);
  /* only the first paragraph can be the title */
  st = build("开头一句话。\n工作总结报告");
  CHECK(st.paragraphs[1].is_title == 0);
  gw_structure_free(&st);
}

/* Section type and heading index of every paragraph of st. */
static void check_sections(const gw_structure *st, size_t count,
                           const gw_section_type *types,
                           const size_t *headings) {
  size_t i;
  CHECK_EQ_SIZE(st->paragraph_count, count);
  for (i = 0; i < count && i < st->paragraph_count; i++) {
    if (st->paragraphs[i].section != types[i] ||
        st->paragraphs[i].section_heading != headings[i])
      fprintf(stderr, "  paragraph %zu: section %d heading %zu\n", i,
              (int)st->paragraphs[i].section,
              st->paragraphs[i].section_heading);
    CHECK(st->paragraphs[i].section == types[i]);
    CHECK_EQ_SIZE(st->paragraphs[i].section_heading, headings[i]);
  }
}

#define NO GW_NO_OFFSET
#define NONE GW_SECTION_NONE
#define WORK GW_SECTION_WORK_DONE
#define PROB GW_SECTION_PROBLEMS
#define NEXT GW_SECTION_NEXT_STEPS
#define OTHER GW_SECTION_OTHER

static void test_sections_level1(void) {
  gw_structure st = build("报告如下：\n一、工作开展情况\n"
                          "（一）加强领导。存在的问题不多。\n"
                          "二、存在的问题\n一是不够。\n"
                          "三、下一步工作打算\n继续。\n"
                          "四、其他事项\n无。");
  const gw_section_type t[] = {NONE, WORK, WORK, PROB, PROB,
                               NEXT, NEXT, OTHER, OTHER};
  const size_t h[] = {NO, 1, 1, 3, 3, 5, 5, 7, 7};
  check_sections(&st, 9, t, h);
  gw_structure_free(&st);

  /* themed headings before a problems section are work done (seed 004);
   * a combined heading takes its earliest keyword; 整改 alone is no keyword */
  st = build("一、强化组织领导，牢牢把握正确的政治方向\n内容。\n"
             "二、强化监督检查，通过整改推动落实\n"
             "三、存在问题及下一步工作打算\n内容。");
  {
    const gw_section_type t2[] = {WORK, WORK, WORK, PROB, PROB};
    const size_t h2[] = {0, 0, 2, 3, 3};
    check_sections(&st, 5, t2, h2);
  }
  gw_structure_free(&st);

  /* without a problems/next-steps section, untyped headings are OTHER */
  st = build("一、指导思想\n内容。\n二、工作目标\n内容。");
  {
    const gw_section_type t3[] = {OTHER, OTHER, OTHER, OTHER};
    const size_t h3[] = {0, 0, 2, 2};
    check_sections(&st, 4, t3, h3);
  }
  gw_structure_free(&st);

  /* the 情况 suffix (seed 002), earliest keyword, 下步, phrase cut at 。 */
  st = build("一、2021年度落实意识形态工作责任制情况\n"
             "二、下一步主要工作\n"
             "三、问题和差距\n"
             "四、下步打算\n"
             "五、加强学习。今后存在的问题\n");
  {
    const gw_section_type t4[] = {WORK, NEXT, PROB, NEXT, OTHER};
    const size_t h4[] = {0, 1, 2, 3, 4};
    check_sections(&st, 5, t4, h4);
  }
  gw_structure_free(&st);

  /* with no problems section after it, only the 情况 suffix makes a
   * keywordless heading work done */
  st = build("一、2021年度落实意识形态工作责任制情况\n内容。\n二、指导思想");
  {
    const gw_section_type t5[] = {WORK, WORK, OTHER};
    const size_t h5[] = {0, 0, 2};
    check_sections(&st, 3, t5, h5);
  }
  gw_structure_free(&st);
}

/* The type of a lone level-1 heading: with no later section to infer from,
 * only a keyword types it (a keywordless heading is OTHER). */
static void test_heading_keywords(void) {
  static const struct {
    const char *heading;
    gw_section_type type;
  } cases[] = {
    {"一、工作开展情况", WORK},      {"一、主要做法", WORK},
    {"一、落实情况", WORK},          {"一、工作成效", WORK},
    {"一、开展情况", WORK},          {"一、主要工作", WORK},
    {"一、主要做法和成效", WORK},    {"一、取得的成效", WORK},
    {"二、存在的问题", PROB},        {"二、存在问题", PROB},
    {"二、问题和不足", PROB},        {"二、不足之处", PROB},
    {"二、与先进单位的差距", PROB},  {"二、存在的不足", PROB},
    {"二、短板弱项", PROB},          {"二、薄弱环节", PROB},
    {"三、下一步工作打算", NEXT},    {"三、下一步打算", NEXT},
    {"三、下一步工作计划", NEXT},    {"三、整改措施", NEXT},
    {"三、努力方向", NEXT},          {"三、今后工作思路", NEXT},
    {"三、存在问题及下一步工作打算", PROB}, /* earliest keyword */
    {"三、下一步主要工作", NEXT},
    {"一、强化监督检查，通过整改推动落实", OTHER},
    {"一、指导思想", OTHER},
    {"一、问题整改", OTHER},
    /* only the first 40 characters count: the keyword ends at the 41st
     * character (36 + 5) in the first case, at the 40th in the second */
    {"一、加强学习加强学习加强学习加强学习加强学习加强学习加强学习加强学习"
     "加强学习存在的问题", OTHER},
    {"一、加强学习加强学习加强学习加强学习加强学习加强学习加强学习加强学习"
     "加强学存在的问题", PROB},
  };
  size_t i;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    gw_structure st = build(cases[i].heading);
    CHECK_EQ_SIZE(st.paragraph_count, 1);
    if (st.paragraph_count == 1 && st.paragraphs[0].section != cases[i].type)
      fprintf(stderr, "  \"%s\": section %d, want %d\n", cases[i].heading,
              (int)st.paragraphs[0].section, (int)cases[i].type);
    CHECK(st.paragraph_count == 1 && st.paragraphs[0].section == cases[i].type);
    gw_structure_free(&st);
  }
}

static void test_sections_fallbacks(void) {
  /* no 一、: （一） headings are the sections */
  gw_structure st = build("开头。\n（一）主要做法\n内容。\n（二）存在不足\n"
                          "1.不够。\n（三）努力方向\n内容。");
  const gw_section_type t[] = {NONE, WORK, WORK, PROB, PROB, NEXT, NEXT};
  const size_t h[] = {NO, 1, 1, 3, 3, 5, 5};
  check_sections(&st, 7, t, h);
  CHECK(st.paragraphs[4].heading_level == 3);
  gw_structure_free(&st);

  /* bare phrase lines are the sections, above the （一） headings */
  st = build("年度工作总结\n开头。\n主要工作\n（一）学习\n内容。\n"
             "存在的问题：\n（一）不够深入\n下一步工作打算\n内容。");
  {
    const gw_section_type t2[] = {NONE, NONE, WORK, WORK, WORK, PROB, PROB,
                                  NEXT, NEXT};
    const size_t h2[] = {NO, NO, 2, 2, 2, 5, 5, 7, 7};
    check_sections(&st, 9, t2, h2);
    CHECK(st.paragraphs[0].is_title == 1);
    CHECK(st.paragraphs[2].heading_level == 0); /* a phrase has no level */
  }
  gw_structure_free(&st);

  /* a sentence mentioning a keyword is not a phrase heading */
  st = build("开头。\n针对存在的问题，我们将整改。\n内容。");
  {
    const gw_section_type t3[] = {NONE, NONE, NONE};
    const size_t h3[] = {NO, NO, NO};
    check_sections(&st, 3, t3, h3);
  }
  gw_structure_free(&st);

  /* a phrase heading is short: 21 characters is too long */
  st = build("开头。\n关于本单位过去一年里意识形态工作中存在的问题\n内容。");
  CHECK(st.paragraphs[1].section == GW_SECTION_NONE);
  gw_structure_free(&st);
}

/* ---- enumerations ---- */

static void check_enum(const char *text, const gw_structure *st, size_t i,
                       const char *marker, size_t paragraph, int ordinal) {
  CHECK(i < st->enumeration_count);
  if (i >= st->enumeration_count) return;
  CHECK_STRN(text + st->enumerations[i].marker.norm_start,
             st->enumerations[i].marker.norm_end - st->enumerations[i].marker.norm_start, marker);
  CHECK_EQ_SIZE(st->enumerations[i].paragraph, paragraph);
  CHECK(st->enumerations[i].ordinal == ordinal);
}

static void test_enumerations(void) {
  const char *t = "一是加强学习。二是统一是非标准；三是：四是\n"
                  "主要表现在：一是不够，十一是多；二是否定\n"
                  "工作：（1）学习；（2）宣传。(3)考核\n"
                  "（1）开头是标题\n"
                  "唯一是好。第一是也不算。（一）不算";
  gw_structure st = build(t);
  CHECK_EQ_SIZE(st.enumeration_count, 9);
  check_enum(t, &st, 0, "一是", 0, 1);
  check_enum(t, &st, 1, "二是", 0, 2);
  check_enum(t, &st, 2, "三是", 0, 3);
  check_enum(t, &st, 3, "四是", 0, 4);
  check_enum(t, &st, 4, "一是", 1, 1);
  check_enum(t, &st, 5, "十一是", 1, 11);
  check_enum(t, &st, 6, "（1）", 2, 1);
  check_enum(t, &st, 7, "（2）", 2, 2);
  check_enum(t, &st, 8, "(3)", 2, 3);
  CHECK_EQ_SIZE(st.enumerations[0].marker.norm_start, 0);
  CHECK(st.paragraphs[3].heading_level == 4);
  gw_structure_free(&st);

  /* ordinals are the numeral's value */
  t = "。二十三是；一百零五是；一百二十是；九十九是";
  st = build(t);
  CHECK_EQ_SIZE(st.enumeration_count, 4);
  check_enum(t, &st, 0, "二十三是", 0, 23);
  check_enum(t, &st, 1, "一百零五是", 0, 105);
  check_enum(t, &st, 2, "一百二十是", 0, 120);
  check_enum(t, &st, 3, "九十九是", 0, 99);
  gw_structure_free(&st);

  /* indentation before 一是 still counts as the paragraph's start */
  st = build("  一是学习");
  CHECK_EQ_SIZE(st.enumeration_count, 1);
  CHECK_EQ_SIZE(st.enumerations[0].marker.norm_start, 2);
  gw_structure_free(&st);
}

/* ---- the scan against a model of it ---- */

/* What the enumeration and mask scan finds, character by character, as it
 * is specified (gw_structure_build's scan skips most characters unread):
 * at each character of a paragraph, after its leading spaces, 一是 where
 * it starts the paragraph or follows sentence punctuation, else an inline
 * （1）, else a mask; a marker or mask found is passed whole. */
typedef struct model_found {
  size_t start, end, paragraph;
  int ordinal; /* 0 for a mask */
} model_found;

static int model_sentence_punct(int32_t cp) {
  return cp == 0x3002 || cp == 0xFF1B || cp == 0xFF1A || cp == 0xFF0C ||
         cp == 0xFF01 || cp == 0xFF1F || cp == ';' || cp == ':' || cp == ',' ||
         cp == '!' || cp == '?';
}

static size_t model_scan(const char *s, size_t len, model_found *found, size_t cap) {
  const unsigned char *u = (const unsigned char *)s;
  size_t count = 0, start = 0, paragraph = 0;
  while (start < len) {
    const char *lf = memchr(s + start, '\n', len - start);
    size_t end = lf ? (size_t)(lf - s) : len;
    size_t first = start + gw_skip_spaces(s + start, end - start), i = first;
    int after = 0;
    if (first == end) {
      start = end + 1;
      continue;
    }
    while (i < end) {
      int32_t cp, next;
      size_t l = gw_utf8_next(u + i, end - i, &cp), m = 0;
      int ordinal = 0, level = 0;
      if (i == first || after) {
        size_t k = gw_parse_cn_number(s + i, end - i, &ordinal);
        if (k > 0 && i + k < end && gw_utf8_next(u + i + k, end - i - k, &next) == 3 &&
            next == 0x662F /* 是 */) {
          m = k + 3;
          if (i + m < end && gw_utf8_next(u + i + m, end - i - m, &next) == 3 &&
              next == 0x5426 /* 否 */)
            m = 0;
        }
      }
      if (m == 0 && i != first && (cp == '(' || cp == 0xFF08)) {
        m = gw_paren_marker(s + i, end - i, &level, &ordinal);
        if (level != 4) m = 0;
      }
      after = 0;
      if (m == 0 && (m = gw_mask_length(s, end, i)) > 0) ordinal = 0;
      if (m > 0) {
        if (count < cap) found[count] = (model_found){i, i + m, paragraph, ordinal};
        count++;
        i += m;
        continue;
      }
      after = model_sentence_punct(cp);
      i += l;
    }
    paragraph++;
    start = end + 1;
  }
  return count;
}

/* Random paragraphs of the characters the scan decides on, its stop bytes'
 * other characters, invalid bytes and long runs of Han text (which the scan
 * passes sixteen bytes at a time), each checked against the model. */
static void test_scan_model(void) {
  static const char *const pieces[] = {
      "一", "二", "三", "十", "百", "零", "是", "否", "、", "。", "，", "；", "：",
      "！", "？", ",", ";", ":", "!", "?", "(", ")", "（", "）", "1", "12", "0",
      "*", "＊", "×", "x", "X", "ｘ", "Ｘ", "a", "Ｚ", "月", " ", "　", "\n", "\n\n",
      "《", "》", "“", "é", "\xf0\xa0\x80\x80", "\xe3\x80", "\xef\xbc", "\xc3",
      "\x80", "\xe4\xb8", "一是", "（1）", "(2)", "（一）", "十二是", "是否", "Xi",
      "工作", "我们", "坚持推进加强落实全面深化改革发展建设组织领导干部群众"};
  enum { CASES = 4000, CAP = 512 };
  static model_found expected[CAP];
  char text[2048];
  uint32_t seed = 12345;
  int all = 1;
  for (int c = 0; c < CASES && all; c++) {
    size_t n = 0;
    seed = seed * 1103515245u + 12345u;
    size_t pieces_wanted = 1 + (seed >> 16) % 60;
    for (size_t k = 0; k < pieces_wanted; k++) {
      seed = seed * 1103515245u + 12345u;
      const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)];
      size_t l = strlen(p);
      if (n + l >= sizeof text) break;
      memcpy(text + n, p, l);
      n += l;
    }
    size_t want = model_scan(text, n, expected, CAP);
    gw_structure st;
    CHECK(gw_structure_build(text, n, &st, NULL) == GW_OK);
    size_t e = 0, m = 0;
    all = want == st.enumeration_count + st.mask_count && want <= CAP;
    for (size_t k = 0; k < want && all; k++) {
      const model_found *f = &expected[k];
      if (f->ordinal) {
        all = e < st.enumeration_count && st.enumerations[e].marker.norm_start == f->start &&
              st.enumerations[e].marker.norm_end == f->end &&
              st.enumerations[e].paragraph == f->paragraph &&
              st.enumerations[e].ordinal == f->ordinal;
        e++;
      } else {
        all = m < st.mask_count && st.masks[m].norm_start == f->start &&
              st.masks[m].norm_end == f->end;
        m++;
      }
    }
    for (size_t k = 0; k < st.paragraph_count && all; k++) {
      const gw_range *r = &st.paragraphs[k].range;
      size_t marker;
      all = st.paragraphs[k].heading_level ==
            gw_heading_marker(text + r->norm_start, r->norm_end - r->norm_start, &marker);
    }
    if (!all) fprintf(stderr, "scan model: case %d differs: %.*s\n", c, (int)n, text);
    gw_structure_free(&st);
  }
  CHECK(all);
}

/* ---- masks in a document ---- */

static void check_mask(const char *text, const gw_structure *st, size_t i,
                       const char *mask, size_t paragraph) {
  CHECK(i < st->mask_count);
  if (i >= st->mask_count) return;
  CHECK_STRN(text + st->masks[i].norm_start,
             st->masks[i].norm_end - st->masks[i].norm_start, mask);
  CHECK_EQ_SIZE(mask_paragraph(st, i), paragraph);
}

static void test_document_masks(void) {
  const char *t = "**局召开xx次会议，box和Xi不算。\n"
                  "xxx同志x月份撰写x篇，××单位*次\nXML与xxxx年度";
  gw_structure st = build(t);
  CHECK_EQ_SIZE(st.mask_count, 8);
  check_mask(t, &st, 0, "**", 0);
  check_mask(t, &st, 1, "xx", 0);
  check_mask(t, &st, 2, "xxx", 1);
  check_mask(t, &st, 3, "x", 1);
  check_mask(t, &st, 4, "x", 1);
  check_mask(t, &st, 5, "××", 1);
  check_mask(t, &st, 6, "*", 1);
  check_mask(t, &st, 7, "xxxx", 2);
  CHECK_EQ_SIZE(st.masks[0].norm_start, 0);
  gw_structure_free(&st);
  /* Full-width masks among full-width punctuation, and a mask right after
   * a broken Han sequence (the scan skips whole Han characters only). */
  const char *wide = "（＊＊局，ＸＸ县）\xE4\xB8*次\xE4xx月";
  st = build(wide);
  CHECK_EQ_SIZE(st.mask_count, 4);
  check_mask(wide, &st, 0, "＊＊", 0);
  check_mask(wide, &st, 1, "ＸＸ", 0);
  check_mask(wide, &st, 2, "*", 0);
  check_mask(wide, &st, 3, "xx", 0);
  gw_structure_free(&st);
}

/* ---- golden outlines of the corpus seeds ---- */

static const char *const seeds[] = {
  "000_c510bc378b158120", "001_84632f9a43899128", "002_1aded01d7d411218",
  "003_1973e543c9b997a8", "004_c0ae98798d36dd3b",
};

/* A growing output string (test code: abort on exhaustion is acceptable). */
typedef struct strbuf {
  char *s;
  size_t len, cap;
} strbuf;

static void sb_add(strbuf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->s = realloc(b->s, b->cap);
    if (!b->s) abort();
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void sb_printf(strbuf *b, const char *fmt, ...) GW_PRINTF(2, 3);
static void sb_printf(strbuf *b, const char *fmt, ...) {
  char tmp[256];
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0)
    sb_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Up to `chars` code points of text[start..end). */
static void sb_chars(strbuf *b, const char *text, size_t start, size_t end,
                     size_t chars) {
  size_t i = start;
  while (i < end && chars-- > 0) {
    int32_t cp;
    i += gw_utf8_next((const unsigned char *)text + i, end - i, &cp);
  }
  sb_add(b, text + start, i - start);
}

static const char *section_name(gw_section_type t) {
  static const char *const names[] = {"none", "work_done", "problems",
                                      "next_steps", "other"};
  return (unsigned)t < 5 ? names[t] : "?";
}

/* The outline in the golden format (see tests/golden/structure/README). */
static void render(strbuf *b, const char *text, const gw_structure *st) {
  size_t i;
  for (i = 0; i < st->paragraph_count; i++) {
    const gw_paragraph *p = &st->paragraphs[i];
    sb_printf(b, "p %zu level=%d title=%d %s heading=", i, p->heading_level,
              p->is_title, section_name(p->section));
    if (p->section_heading == GW_NO_OFFSET) sb_add(b, "-", 1);
    else sb_printf(b, "%zu", p->section_heading);
    sb_add(b, " ", 1);
    sb_chars(b, text, p->range.norm_start, p->range.norm_end, 12);
    sb_add(b, "\n", 1);
  }
  for (i = 0; i < st->enumeration_count; i++) {
    const gw_enumeration *e = &st->enumerations[i];
    size_t pend = st->paragraphs[e->paragraph].range.norm_end;
    sb_printf(b, "e %zu %d [", e->paragraph, e->ordinal);
    sb_add(b, text + e->marker.norm_start, e->marker.norm_end - e->marker.norm_start);
    sb_add(b, "] ", 2);
    sb_chars(b, text, e->marker.norm_end, pend, 6);
    sb_add(b, "\n", 1);
  }
  for (i = 0; i < st->mask_count; i++) {
    const gw_range *m = &st->masks[i];
    size_t paragraph = mask_paragraph(st, i);
    if (paragraph == GW_NO_OFFSET) { /* prints no outline the golden file has */
      sb_printf(b, "m outside every paragraph\n");
      continue;
    }
    size_t pend = st->paragraphs[paragraph].range.norm_end;
    sb_printf(b, "m %zu [", paragraph);
    sb_add(b, text + m->norm_start, m->norm_end - m->norm_start);
    sb_add(b, "] ", 2);
    sb_chars(b, text, m->norm_end, pend, 4);
    sb_add(b, "\n", 1);
  }
}

/* A whole file, NUL-terminated, with CRs dropped; NULL if unreadable. */
static char *read_text(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  strbuf b = {0};
  char chunk[4096];
  size_t n, i, j;
  if (!f) return NULL;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) sb_add(&b, chunk, n);
  fclose(f);
  sb_add(&b, "", 0);
  for (i = j = 0; i < b.len; i++)
    if (b.s[i] != '\r') b.s[j++] = b.s[i];
  b.s[j] = '\0';
  *len = j;
  return b.s;
}

/* Report the first line where actual and expected differ. */
static void report_difference(const char *seed, const char *actual,
                              const char *expected) {
  size_t line = 1;
  while (*actual && *actual == *expected) {
    if (*actual == '\n') line++;
    actual++;
    expected++;
  }
  fprintf(stderr, "  %s: first difference at golden line %zu\n", seed, line);
}

static void test_golden_seed(const char *seed) {
  char path[1024];
  size_t len, golden_len;
  char *text, *golden;
  gw_structure st;
  strbuf out = {0};
  snprintf(path, sizeof path, "%s/%s.txt", GW_CORPUS_DIR, seed);
  text = read_text(path, &len);
  CHECK(text != NULL);
  if (!text) return;
  snprintf(path, sizeof path, "%s/%s.txt", GOLDEN_DIR, seed);
  golden = read_text(path, &golden_len);
  CHECK(golden != NULL);
  CHECK(gw_structure_build(text, len, &st, NULL) == GW_OK);
  render(&out, text, &st);
  sb_add(&out, "", 0);
  if (golden && strcmp(out.s, golden) == 0) {
    CHECK(1);
  } else {
    /* Leave the actual outline beside the test binary's working directory
     * for review; never copy it over the golden file unread. */
    FILE *f;
    snprintf(path, sizeof path, "structure-%s.actual", seed);
    f = fopen(path, "wb");
    if (f) { fwrite(out.s, 1, out.len, f); fclose(f); }
    if (golden) report_difference(seed, out.s, golden);
    fprintf(stderr, "  %s: actual outline written to %s\n", seed, path);
    CHECK(!"golden outline differs");
  }
  gw_structure_free(&st);
  free(out.s);
  free(golden);
  free(text);
}

static void test_golden(void) {
  size_t i;
  for (i = 0; i < sizeof seeds / sizeof *seeds; i++) test_golden_seed(seeds[i]);
}

int main(void) {
  test_paragraphs();
  test_title();
  test_sections_level1();
  test_heading_keywords();
  test_sections_fallbacks();
  test_enumerations();
  test_scan_model();
  test_document_masks();
  test_golden();
  return gw_test_report();
}
