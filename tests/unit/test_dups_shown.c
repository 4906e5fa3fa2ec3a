/* gw_dups_widen_shown: a copied range widened over the punctuation that
 * belongs to it, and nothing else. */
#include <stdlib.h>
#include <string.h>

#include "gongwen.h"
#include "harness.h"

/* The range of `inner` (its first occurrence in text) as shown. */
static void shown(const char *text, const char *inner, size_t *start, size_t *end) {
  const char *at = strstr(text, inner);
  *start = at ? (size_t)(at - text) : 0;
  *end = *start + (at ? strlen(inner) : 0);
  CHECK(at && gw_dups_widen_shown(start, end, text, strlen(text)) == GW_OK);
}

/* Each case: the text, the range (its first occurrence in the text), and
 * the range as shown. */
typedef struct shown_case {
  const char *text, *range, *expected;
} shown_case;

static const shown_case cases[] = {
    /* opening punctuation before the range */
    /* the case met: a heading copied from its first character */
    {"主动战。\n（二）强化理论学习，持续提升", "二）强化理论学习", "（二）强化理论学习"},
    {"提出“两个维护”的要求", "两个维护", "“两个维护”"},
    {"见《关于加强（改进）工作的意见》。", "关于加强", "《关于加强"},
    {"甲（“乙丙”）丁", "乙丙", "（“乙丙”）"},
    {"see (the text) here", "the text", "(the text)"},
    {"【要闻】今日", "要闻", "【要闻】"},
    /* a closing bracket before the range belongs to the text before it */
    {"（一）加强管理，落实", "加强管理", "加强管理"},
    /* nothing across whitespace */
    {"（ 二）强化", "二", "二）"},
    {"“\n二", "二", "二"},
    /* closing punctuation and one mark ending the sentence after it */
    {"要加强管理。下一句", "加强管理", "加强管理。"},
    {"他说：“加强管理。”下一句", "加强管理", "“加强管理。”"},
    {"他说“加强管理”。下一句", "加强管理", "“加强管理”。"},
    {"是否加强管理？！", "加强管理", "加强管理？"},
    {"一是加强管理；二是", "加强管理", "加强管理；"},
    {"主要做法：一是", "主要做法", "主要做法："},
    {"等等……。后", "等等", "等等……"},
    {"完成。。", "完成", "完成。"},
    {"Done! Next", "Done", "Done!"},
    /* commas and enumeration commas: the sentence goes on */
    {"加强管理，落实责任", "加强管理", "加强管理"},
    {"甲、乙", "甲", "甲"},
    /* ASCII '.' and ':' stand inside numbers */
    {"增长3.5个百分点", "增长3", "增长3"},
    {"at 10:30", "10", "10"},
    /* nothing across whitespace */
    {"加强管理 。", "加强管理", "加强管理"},
    /* the edges of the text */
    {"（二）", "二", "（二）"},
    {"二", "二", "二"},
    /* broken UTF-8 next to the range stops the widening */
    {"\x80\xBC\x88二\xEF\xBC", "二", "二"},
    {"\xEF\xBC\x88\xBC\x88二", "二", "二"},
};

static void test_cases(void) {
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    size_t s, e;
    shown(cases[i].text, cases[i].range, &s, &e);
    CHECK_STRN(cases[i].text + s, e - s, cases[i].expected);
  }
}

static void test_limits(void) {
  /* at most GW_DUPS_SHOWN_MARGIN bytes each side: five three-byte marks */
  const char *text = "（（（（（（（二）））））））";
  size_t s, e;
  shown(text, "二", &s, &e);
  const char *two = strstr(text, "二");
  CHECK_EQ_SIZE((size_t)(two - text) - s, 15);
  CHECK_EQ_SIZE(e - (size_t)(two - text) - 3, 15);
  /* an empty range widens like any other */
  s = e = 3;
  CHECK(gw_dups_widen_shown(&s, &e, "（）", 6) == GW_OK && s == 0 && e == 6);
  /* bad ranges are refused and left as they are */
  s = 4;
  e = 3;
  CHECK(gw_dups_widen_shown(&s, &e, "abcdef", 6) == GW_EINVAL && s == 4 && e == 3);
  s = 1;
  e = 7;
  CHECK(gw_dups_widen_shown(&s, &e, "abcdef", 6) == GW_EINVAL && s == 1 && e == 7);
  CHECK(gw_dups_widen_shown(NULL, &e, "abcdef", 6) == GW_EINVAL);
  s = e = 0;
  CHECK(gw_dups_widen_shown(&s, &e, NULL, 0) == GW_OK && s == 0 && e == 0);
}

/* A window holding GW_DUPS_SHOWN_MARGIN bytes either side gives the same
 * range as the whole text, on text dense with punctuation. */
static void test_window(void) {
  static const char *const pieces[] = {"（", "）", "“", "”", "。", "，", "甲", "乙", "…",
                                       "《", "》", "；", " ", "a", "(", ")", "\n", "？"};
  const size_t n_pieces = sizeof pieces / sizeof *pieces;
  char text[4096];
  size_t len = 0, starts[1024], n_starts = 0;
  unsigned long rng = 7;
  for (int i = 0; i < 1000 && len + 4 < sizeof text; i++) {
    rng = rng * 6364136223846793005ul + 1442695040888963407ul;
    starts[n_starts++] = len;
    const char *p = pieces[(rng >> 33) % n_pieces];
    memcpy(text + len, p, strlen(p));
    len += strlen(p);
  }
  int same = 1, widened = 0;
  for (size_t i = 0; i + 3 < n_starts; i += 3) {
    size_t a = starts[i], b = starts[i + 3];
    size_t s = a, e = b;
    CHECK(gw_dups_widen_shown(&s, &e, text, len) == GW_OK);
    size_t lo = a >= GW_DUPS_SHOWN_MARGIN ? a - GW_DUPS_SHOWN_MARGIN : 0;
    size_t hi = b + GW_DUPS_SHOWN_MARGIN < len ? b + GW_DUPS_SHOWN_MARGIN : len;
    size_t ws = a - lo, we = b - lo;
    CHECK(gw_dups_widen_shown(&ws, &we, text + lo, hi - lo) == GW_OK);
    same &= ws + lo == s && we + lo == e;
    widened += s < a || e > b;
    CHECK(s <= a && e >= b);
  }
  CHECK(same);
  CHECK(widened > 10);
}

int main(void) {
  test_cases();
  test_limits();
  test_window();
  return gw_test_report();
}
