/* The normalized view: each rule of normalize.c with its offsets checked
 * through the map, the corpus (unchanged except its noise and a few
 * documented folds), and hard-wrapped text joined back into paragraphs. */
#include <pthread.h>
#include <stdlib.h>

#include "harness.h"
#include "stages.h"

static gw_normalizer *nz;
static gw_noise *noise;      /* a few patterns of the tests' own */
static gw_noise *dict_noise; /* dict/noise.txt */

static const char *const seeds[] = {
  "000_c510bc378b158120.txt", "001_84632f9a43899128.txt",
  "002_1aded01d7d411218.txt", "003_1973e543c9b997a8.txt",
  "004_c0ae98798d36dd3b.txt",
};

/* ---- helpers ---- */

static size_t map_start(const gw_normalized *o, size_t pos) {
  return gw_offset_map_start(&o->to_text, pos);
}
static size_t map_end(const gw_normalized *o, size_t pos) {
  return gw_offset_map_end(&o->to_text, pos);
}

/* Invariants of every normalized view: each character maps to a
 * non-empty range of the text, in order, and the view's end maps to the
 * text's end. */
static void check_invariants(const char *text, size_t len,
                             const gw_normalized *o) {
  int ok = 1;
  size_t prev_end = 0, chars = 0;
  for (size_t i = 0; i < o->len;) {
    int32_t cp;
    size_t n = gw_utf8_next((const unsigned char *)o->text + i, o->len - i, &cp);
    size_t s = map_start(o, i), e = map_end(o, i + n);
    if (!(s < e && e <= len && s >= prev_end)) {
      fprintf(stderr, "bad map at %zu: [%zu, %zu) after %zu\n", i, s, e, prev_end);
      ok = 0;
      break;
    }
    if (cp != '\n') chars++;
    prev_end = e;
    i += n;
  }
  CHECK(ok);
  CHECK(o->text[o->len] == '\0');
  CHECK_EQ_SIZE(map_start(o, o->len), len);
  CHECK_EQ_SIZE(chars, o->char_count);
  CHECK(o->len == 0 || (o->text[0] != '\n' && o->text[o->len - 1] != '\n'));
  CHECK(strstr(o->text, "\n\n") == NULL);
  for (size_t i = 0; i < o->removal_count; i++) {
    const gw_text_removal *r = &o->removals[i];
    CHECK(r->start < r->end && r->end <= len && r->norm_pos <= o->len);
    if (i > 0) CHECK(r->start >= o->removals[i - 1].end);
  }
  (void)text;
}

static void run(const char *text, size_t len, const gw_normalizer *n,
                const gw_noise *ns, gw_normalized *o) {
  gw_error err;
  int rc = gw_normalize(n, ns, text, len, o, &err);
  CHECK(rc == GW_OK);
  if (rc != GW_OK) {
    fprintf(stderr, "normalize: %s\n", err.message);
    memset(o, 0, sizeof *o);
    return;
  }
  check_invariants(text, len, o);
}

/* Normalize `text` (with the t2s table and the test's noise patterns)
 * and compare with `expected`. */
#define EXPECT_NORM(in_, want_)                                           \
  do {                                                                    \
    gw_normalized o_;                                                     \
    run((in_), strlen(in_), nz, noise, &o_);                              \
    CHECK_STRN(o_.text ? o_.text : "", o_.len, (want_));                  \
    gw_normalized_free(&o_);                                              \
  } while (0)

static size_t find(const char *hay, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= len; i++)
    if (memcmp(hay + i, needle, n) == 0) return i;
  return (size_t)-1;
}

/* The first `norm_sub` of the view maps exactly to the first `text_sub` of
 * the text: start of its first character, end of its last. */
static void expect_map(const char *text, const gw_normalized *o,
                       const char *norm_sub, const char *text_sub, int line) {
  size_t ns = find(o->text, o->len, norm_sub);
  size_t ts = find(text, strlen(text), text_sub);
  if (ns == (size_t)-1 || ts == (size_t)-1) {
    fprintf(stderr, "line %d: substring not found\n", line);
    CHECK(0);
    return;
  }
  size_t s = map_start(o, ns), e = map_end(o, ns + strlen(norm_sub));
  if (s != ts || e != ts + strlen(text_sub))
    fprintf(stderr, "line %d: \"%s\" maps to [%zu, %zu), want [%zu, %zu)\n",
            line, norm_sub, s, e, ts, ts + strlen(text_sub));
  CHECK_EQ_SIZE(s, ts);
  CHECK_EQ_SIZE(e, ts + strlen(text_sub));
}
#define EXPECT_MAP(text, o, ns, ts) expect_map(text, o, ns, ts, __LINE__)

/* Removal i removed exactly the first `removed` of the text (searched from
 * `from`), with that kind, at normalized position norm_pos. */
static void expect_removal(const char *text, const gw_normalized *o, size_t i,
                           gw_removal_kind kind, const char *removed,
                           size_t norm_pos, int line) {
  if (i >= o->removal_count) {
    fprintf(stderr, "line %d: no removal %zu\n", line, i);
    CHECK(0);
    return;
  }
  const gw_text_removal *r = &o->removals[i];
  if ((size_t)(r->end - r->start) != strlen(removed) ||
      memcmp(text + r->start, removed, strlen(removed)) != 0)
    fprintf(stderr, "line %d: removal %zu is \"%.*s\"\n", line, i,
            (int)(r->end - r->start), text + r->start);
  CHECK_STRN(text + r->start, r->end - r->start, removed);
  CHECK(r->kind == kind);
  CHECK_EQ_SIZE(r->norm_pos, norm_pos);
}
#define EXPECT_REMOVAL(text, o, i, kind, removed, pos) \
  expect_removal(text, o, i, kind, removed, pos, __LINE__)

static char *read_seed(const char *name, size_t *len) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", GW_CORPUS_DIR, name);
  unsigned char *b = NULL;
  gw_error err;
  if (gw_read_file(path, &b, len, &err) != GW_OK) {
    fprintf(stderr, "%s\n", err.message);
    return NULL;
  }
  char *s = strndup((const char *)b, *len); /* NUL-terminated */
  free(b);
  return s;
}

/* s with every `from` replaced by `to` (malloc'd). */
static char *replace_all(const char *s, const char *from, const char *to) {
  size_t fl = strlen(from), tl = strlen(to), n = 0;
  for (const char *p = s; (p = strstr(p, from)) != NULL; p += fl) n++;
  char *out = malloc(strlen(s) + n * (tl > fl ? tl - fl : 0) + 1), *w = out;
  const char *p = s, *q;
  while ((q = strstr(p, from)) != NULL) {
    memcpy(w, p, (size_t)(q - p));
    w += q - p;
    memcpy(w, to, tl);
    w += tl;
    p = q + fl;
  }
  strcpy(w, p);
  return out;
}

static void replace_in(char **s, const char *from, const char *to) {
  char *r = replace_all(*s, from, to);
  free(*s);
  *s = r;
}

/* ---- line ends, blank lines, noise ---- */

static void test_line_ends(void) {
  const char *t = "\r\n\r\n甲乙\r\n丙丁\r戊\n\n\n己\n\n";
  gw_normalized o;
  run(t, strlen(t), nz, noise, &o);
  CHECK_STRN(o.text, o.len, "甲乙\n丙丁\n戊\n己");
  CHECK_EQ_SIZE(o.char_count, 6);
  EXPECT_MAP(t, &o, "甲乙", "甲乙");
  EXPECT_MAP(t, &o, "乙\n", "乙\r\n");      /* the LF stands for CRLF */
  EXPECT_MAP(t, &o, "\n丙", "\r\n丙");
  EXPECT_MAP(t, &o, "丁\n", "丁\r");        /* and for a lone CR */
  EXPECT_MAP(t, &o, "戊\n", "戊\n");        /* not for the blank lines */
  EXPECT_MAP(t, &o, "己", "己");
  CHECK_EQ_SIZE(o.removal_count, 0);
  gw_normalized_free(&o);
  EXPECT_NORM("", "");
  EXPECT_NORM("\n\r\n \t\u3000\n", "");
}

static void test_noise(void) {
  const char *t = "甲乙\n##paidbegin##丙丁\n【哒哒素材库】广告\n戊##paidbegin##己\n\n##paidend##";
  gw_normalized o;
  run(t, strlen(t), nz, noise, &o);
  CHECK_STRN(o.text, o.len, "甲乙\n丙丁\n戊己");
  CHECK_EQ_SIZE(o.removal_count, 4);
  EXPECT_REMOVAL(t, &o, 0, GW_REMOVED_NOISE, "##paidbegin##", strlen("甲乙\n"));
  EXPECT_REMOVAL(t, &o, 1, GW_REMOVED_NOISE, "【哒哒素材库】广告\n",
                 strlen("甲乙\n丙丁"));
  EXPECT_REMOVAL(t, &o, 2, GW_REMOVED_NOISE, "##paidbegin##",
                 strlen("甲乙\n丙丁\n戊"));
  EXPECT_REMOVAL(t, &o, 3, GW_REMOVED_NOISE, "##paidend##", o.len);
  if (o.removal_count == 4) {
    CHECK(o.removals[0].pattern == 0);
    CHECK(o.removals[1].pattern == 2);
    CHECK(o.removals[3].pattern == 1);
  }
  EXPECT_MAP(t, &o, "丙丁", "丙丁");
  EXPECT_MAP(t, &o, "丁\n", "丁\n");      /* the ad line is not in the LF */
  EXPECT_MAP(t, &o, "\n戊", "\n【哒哒素材库】广告\n戊");
  EXPECT_MAP(t, &o, "戊己", "戊##paidbegin##己");
  EXPECT_MAP(t, &o, "戊", "戊");
  EXPECT_MAP(t, &o, "己", "己");
  gw_normalized_free(&o);
  /* A line that only held noise leaves no empty paragraph. */
  EXPECT_NORM("甲\n##paidbegin##\n乙", "甲\n乙");
  EXPECT_NORM("甲\n  ##paidend##  \r\n\r\n乙", "甲\n乙");
  /* Without noise patterns the markers stay. */
  gw_normalized p;
  run(t, strlen(t), nz, NULL, &p);
  CHECK(find(p.text, p.len, "##paidbegin##") != (size_t)-1);
  CHECK_EQ_SIZE(p.removal_count, 0);
  gw_normalized_free(&p);
}

/* ---- folding ---- */

static void test_fold(void) {
  const char *t = "ＡＢｃ１２３．５％";
  gw_normalized o;
  run(t, strlen(t), nz, noise, &o);
  CHECK_STRN(o.text, o.len, "ABc123.5%");
  EXPECT_MAP(t, &o, "c", "ｃ");
  EXPECT_MAP(t, &o, "3.5", "３．５");
  EXPECT_MAP(t, &o, "ABc123.5%", t);
  gw_normalized_free(&o);
  /* Ideographic indentation and spaces go. */
  const char *u = "\u3000\u3000意识形态工作。";
  run(u, strlen(u), nz, noise, &o);
  CHECK_STRN(o.text, o.len, "意识形态工作。");
  EXPECT_MAP(u, &o, "意", "意");
  gw_normalized_free(&o);
  /* Chinese full-width punctuation stays as it is. */
  EXPECT_NORM("甲，乙。丙、丁；戊：己？庚！（辛）“壬”《癸》【子】",
              "甲，乙。丙、丁；戊：己？庚！（辛）“壬”《癸》【子】");
  /* Other full-width ASCII folds: ＋ － ＊ ／. */
  EXPECT_NORM("线上＋线下，＊＊局，１／２", "线上+线下，**局，1/2");
  /* Kangxi radicals (from PDFs), compatibility ideographs, half-width
   * CJK punctuation fold; circled numbers stay (they are markers). */
  EXPECT_NORM("\u2F2F作\uFF61", "工作。");
  EXPECT_NORM("①加强②落实", "①加强②落实");
  /* Zero-width and format characters vanish; NBSP is a space. */
  const char *z = "意\u200B识\uFEFF形\u00AD态 a\u00A0b";
  run(z, strlen(z), nz, noise, &o);
  CHECK_STRN(o.text, o.len, "意识形态a b");
  EXPECT_MAP(z, &o, "识", "识");
  EXPECT_MAP(z, &o, "意识", "意\u200B识");
  gw_normalized_free(&o);
}

static void test_compat_without_normalizer(void) {
  /* U+F900 (a compatibility ideograph) is folded to 豈 (U+8C48) by NFKC
   * alone; the traditional → simplified step needs a normalizer. */
  const char *t = "\uF900責任";
  gw_normalized o;
  run(t, strlen(t), NULL, NULL, &o);
  CHECK_STRN(o.text, o.len, "\u8C48責任");
  gw_normalized_free(&o);
  run(t, strlen(t), nz, NULL, &o);
  CHECK_STRN(o.text, o.len, "岂责任");
  gw_normalized_free(&o);
}

static void test_ascii_punct(void) {
  const char *t = "我们,你们;他们:好?是!";
  gw_normalized o;
  run(t, strlen(t), nz, noise, &o);
  CHECK_STRN(o.text, o.len, "我们，你们；他们：好？是！");
  EXPECT_MAP(t, &o, "，", ",");
  EXPECT_MAP(t, &o, "们，你", "们,你");
  EXPECT_MAP(t, &o, "！", "!");
  gw_normalized_free(&o);
  EXPECT_NORM("共3.5亿元,1,000人", "共3.5亿元，1,000人");
  EXPECT_NORM("10:30开会", "10:30开会");
  EXPECT_NORM("(一)加强组织领导", "（一）加强组织领导");
  EXPECT_NORM("(1)加强组织领导", "（1）加强组织领导");
  EXPECT_NORM("格式(PDF)文件", "格式（PDF）文件");
  EXPECT_NORM("（1)混合", "（1）混合");
  EXPECT_NORM("Hello, world (PDF)! a:b", "Hello, world (PDF)! a:b");
  /* After a Chinese word and before a space: folded, space dropped. */
  EXPECT_NORM("工作 , 学习", "工作，学习");
}

static void test_spaces(void) {
  EXPECT_NORM("意识 形态  工作", "意识形态工作");
  EXPECT_NORM("以 “党史学习教育”为载体", "以“党史学习教育”为载体");
  EXPECT_NORM("使用 PDF 格式 和 2023 年", "使用PDF格式和2023年");
  EXPECT_NORM("  前后空格  \t", "前后空格");
  const char *t = "Hello   world\t\tagain";
  gw_normalized o;
  run(t, strlen(t), nz, noise, &o);
  CHECK_STRN(o.text, o.len, "Hello world again");
  EXPECT_MAP(t, &o, "Hello world", "Hello   world");
  /* The space stands for the first space of the run. */
  CHECK_EQ_SIZE(map_start(&o, 5), 5);
  CHECK_EQ_SIZE(map_start(&o, 6), 8);
  CHECK_EQ_SIZE(map_end(&o, 6), 6);
  gw_normalized_free(&o);
}

/* ---- page numbers and pinyin ---- */

static void test_page_numbers(void) {
  static const char *const lines[] = {
    "—1—", "— 12 —", "- 2 -", "-3-", "第3页", "第 3 页 共 10 页", "—\u200B4—",
    "共10页，第3页", "  －４－  ", "第3页/共10页",
  };
  for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
    char t[128];
    snprintf(t, sizeof t, "甲乙\n%s\n丙丁", lines[i]);
    gw_normalized o;
    run(t, strlen(t), nz, noise, &o);
    CHECK_STRN(o.text, o.len, "甲乙\n丙丁");
    CHECK_EQ_SIZE(o.removal_count, 1);
    const char *trimmed = lines[i];
    while (*trimmed == ' ') trimmed++;
    char want[64];
    snprintf(want, sizeof want, "%s", trimmed);
    size_t wl = strlen(want);
    while (wl > 0 && want[wl - 1] == ' ') want[--wl] = '\0';
    EXPECT_REMOVAL(t, &o, 0, GW_REMOVED_PAGE_NUMBER, want, strlen("甲乙"));
    EXPECT_MAP(t, &o, "乙\n", "乙\n");    /* the LF is the first line's */
    gw_normalized_free(&o);
  }
  /* Inside a sentence, between Han characters. */
  const char *t = "意识—2—形态，工作 - 3 - 落实，学习第3页共10页笔记。";
  gw_normalized o;
  run(t, strlen(t), nz, noise, &o);
  CHECK_STRN(o.text, o.len, "意识形态，工作落实，学习笔记。");
  CHECK_EQ_SIZE(o.removal_count, 3);
  EXPECT_REMOVAL(t, &o, 0, GW_REMOVED_PAGE_NUMBER, "—2—", strlen("意识"));
  EXPECT_REMOVAL(t, &o, 1, GW_REMOVED_PAGE_NUMBER, "- 3 -",
                 strlen("意识形态，工作"));
  EXPECT_REMOVAL(t, &o, 2, GW_REMOVED_PAGE_NUMBER, "第3页共10页",
                 strlen("意识形态，工作落实，学习"));
  EXPECT_MAP(t, &o, "识形", "识—2—形");
  gw_normalized_free(&o);
  /* Real content stays. */
  static const char *const keep[] = {
    "2022-2023年度", "每年1-2次", "详见第3页内容", "第1-2-3条", "12",
    "见—12", "第3页的内容", "区间为3-5个", "阶段—2—3个", "第一阶段—2—",
    "阶段—2—A级",
  };
  for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
    run(keep[i], strlen(keep[i]), nz, noise, &o);
    CHECK_EQ_SIZE(o.removal_count, 0);
    CHECK_STRN(o.text, o.len, keep[i]);
    gw_normalized_free(&o);
  }
}

static void test_pinyin(void) {
  const char *t = "責(zé)任重大，责（zé）任，责任(zé rèn)，干(gan4)部";
  gw_normalized o;
  run(t, strlen(t), nz, noise, &o);
  CHECK_STRN(o.text, o.len, "责任重大，责任，责任，干部");
  CHECK_EQ_SIZE(o.removal_count, 4);
  EXPECT_REMOVAL(t, &o, 0, GW_REMOVED_PINYIN, "(zé)", strlen("责"));
  EXPECT_REMOVAL(t, &o, 1, GW_REMOVED_PINYIN, "（zé）", strlen("责任重大，责"));
  EXPECT_REMOVAL(t, &o, 2, GW_REMOVED_PINYIN, "(zé rèn)",
                 strlen("责任重大，责任，责任"));
  EXPECT_REMOVAL(t, &o, 3, GW_REMOVED_PINYIN, "(gan4)",
                 strlen("责任重大，责任，责任，干"));
  EXPECT_MAP(t, &o, "责任", "責(zé)任");
  EXPECT_MAP(t, &o, "责", "責");
  gw_normalized_free(&o);
  /* Not pinyin: numbers, masks, English, toneless words, a space. */
  static const char *const keep[][2] = {
    {"条件(1)", "条件（1）"}, {"单位(XX)", "单位（XX）"},
    {"格式(PDF)", "格式（PDF）"}, {"确认(ok)", "确认（ok）"},
    {"分类(a)", "分类（a）"}, {"Result (zé)", "Result (zé)"},
  };
  for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
    run(keep[i][0], strlen(keep[i][0]), nz, noise, &o);
    CHECK_EQ_SIZE(o.removal_count, 0);
    CHECK_STRN(o.text, o.len, keep[i][1]);
    gw_normalized_free(&o);
  }
}

/* ---- traditional → simplified ---- */

static void test_t2s(void) {
  const char *t = "責任";
  gw_normalized o;
  run(t, strlen(t), nz, noise, &o);
  CHECK_STRN(o.text, o.len, "责任");
  EXPECT_MAP(t, &o, "责", "責");
  EXPECT_MAP(t, &o, "任", "任");
  gw_normalized_free(&o);
  run(t, strlen(t), NULL, noise, &o);
  CHECK_STRN(o.text, o.len, "責任"); /* no normalizer: no folding */
  gw_normalized_free(&o);
  /* A traditional paragraph: phrases decide the ambiguous characters. */
  EXPECT_NORM("關於乾淨的環境和扭轉乾坤", "关于干净的环境和扭转乾坤");
  EXPECT_NORM("這個計畫的著作權", "这个计划的著作权");
  /* Simplified text is never changed, even where a character-by-character
   * t2s would (乾坤, 著作, 宫商角徵羽, 哪吒). */
  static const char *const simplified[] = {
    "乾坤", "购买《习近平著作选读》第一二卷", "宫商角徵羽", "哪吒闹海",
    "蒜薹和苧麻", "於姓同志",
  };
  for (size_t i = 0; i < sizeof simplified / sizeof simplified[0]; i++) {
    run(simplified[i], strlen(simplified[i]), nz, noise, &o);
    CHECK_STRN(o.text, o.len, simplified[i]);
    gw_normalized_free(&o);
  }
  /* One stray traditional character in a simplified paragraph is folded
   * by the table alone. */
  EXPECT_NORM("我们认真学习贯彻习近平新时代中国特色社会主义思想，加强組织领导乾坤",
              "我们认真学习贯彻习近平新时代中国特色社会主义思想，加强组织领导乾坤");
}

/* The punctuation a run of plain Han text takes in its stride (、。《》“”
 * ！，：；？) is copied as it is, counted as a character but not as a Han
 * one: a paragraph with one traditional character in 20 Han ones is still
 * converted by phrases (乾淨 → 干净), one in 21 is not (乾 stays). */
static void test_plain_punct(void) {
  const char *t = "甲、乙。丙《丁》戊“己”庚！辛，壬：癸；子？丑";
  gw_normalized o;
  run(t, strlen(t), nz, noise, &o);
  CHECK_STRN(o.text, o.len, t);
  CHECK_EQ_SIZE(o.char_count, 23);
  CHECK_EQ_SIZE(o.to_text.count, 0); /* the view is the text, byte for byte */
  gw_normalized_free(&o);
  EXPECT_NORM("乾淨、我们。你们，他们“好”《书》！？：；一二三四五六七八九十",
              "干净、我们。你们，他们“好”《书》！？：；一二三四五六七八九十");
  EXPECT_NORM("乾淨、我们。你们，他们“好”《书》！？：；一二三四五六七八九十百",
              "乾净、我们。你们，他们“好”《书》！？：；一二三四五六七八九十百");
  /* 第 after a mark is not after a Han character: no inline page number. */
  EXPECT_NORM("学习，第3页共10页笔记。", "学习，第3页共10页笔记。");
  EXPECT_NORM("学习第3页共10页笔记。", "学习笔记。");
}

/* Long runs are checked eight characters at a time where the processor
 * has AVX2: a folded character, and the marks, at every place of a block
 * (and of the tail), with the count that decides the phrase conversion. */
static void test_run_blocks(void) {
  static const char *const han[] = {"一", "二", "三", "四", "五", "六", "七",
                                    "八", "九", "十", "百", "千", "万", "亿",
                                    "甲", "乙", "丙", "丁", "戊", "己"};
  char in[512], want[512];
  for (size_t k = 0; k < 40; k++) {
    in[0] = want[0] = '\0';
    for (size_t i = 0; i < k; i++) {
      strcat(in, "我");
      strcat(want, "我");
    }
    strcat(in, "國");
    strcat(want, "国");
    for (size_t i = 0; i < 40; i++) {
      strcat(in, "们");
      strcat(want, "们");
    }
    EXPECT_NORM(in, want);
  }
  /* 乾淨 and 18 or 19 Han characters more, with the eleven marks between
   * them anywhere: 2 of 20 converted is a traditional paragraph, 2 of 21
   * not; then the line ends, or Latin letters stop the run inside a block. */
  static const char latin[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (size_t variant = 0; variant < 4; variant++) {
    size_t extra = 18 + variant % 2;
    for (size_t k = 0; k <= extra; k++) {
      strcpy(in, "乾淨");
      strcpy(want, extra == 18 ? "干净" : "乾净");
      for (size_t i = 0; i <= extra; i++) {
        if (i == k) {
          strcat(in, "、。《》“”！，：；？");
          strcat(want, "、。《》“”！，：；？");
        }
        if (i < extra) {
          strcat(in, han[i]);
          strcat(want, han[i]);
        }
      }
      if (variant >= 2) {
        strcat(in, latin);
        strcat(want, latin);
      }
      EXPECT_NORM(in, want);
    }
  }
}

/* One normalizer, and its phrase conversion, shared by threads that
 * convert traditional paragraphs at the same time. */
enum { T2S_THREADS = 4, T2S_ROUNDS = 300 };

static void *convert_traditional(void *arg) {
  size_t *same = arg;
  static const char text[] = "關於乾淨的環境和扭轉乾坤\n這個計畫的著作權";
  static const char want[] = "关于干净的环境和扭转乾坤\n这个计划的著作权";
  for (int i = 0; i < T2S_ROUNDS; i++) {
    gw_normalized o;
    if (gw_normalize(nz, NULL, text, strlen(text), &o, NULL) != GW_OK) continue;
    *same += o.len == strlen(want) && memcmp(o.text, want, o.len) == 0;
    gw_normalized_free(&o);
  }
  return NULL;
}

static void test_t2s_threads(void) {
  pthread_t threads[T2S_THREADS];
  size_t same[T2S_THREADS] = {0};
  for (int i = 0; i < T2S_THREADS; i++)
    CHECK(pthread_create(&threads[i], NULL, convert_traditional, &same[i]) == 0);
  for (int i = 0; i < T2S_THREADS; i++) {
    pthread_join(threads[i], NULL);
    CHECK_EQ_SIZE(same[i], T2S_ROUNDS);
  }
}

/* ---- the corpus ---- */

/* Each seed comes out as it was, except its noise and these folds. */
static char *expected_seed(size_t index, const char *text) {
  char *e = strdup(text);
  size_t n = strlen(e);
  while (n > 0 && e[n - 1] == '\n') e[--n] = '\0';
  switch (index) {
  case 1: {
    char *marker = strstr(e, "##paidbegin##");
    if (marker) memmove(marker, marker + 13, strlen(marker + 13) + 1);
    char *end = strstr(e, "特此报告。");
    if (end) end[strlen("特此报告。")] = '\0';
    replace_in(&e, "100％", "100%");
    break;
  }
  case 3:
    replace_in(&e, "以 “", "以“");
    replace_in(&e, "98% 。", "98%。");
    break;
  case 4:
    replace_in(&e, "\n\n", "\n");
    replace_in(&e, "＋", "+");
    break;
  default:
    break;
  }
  return e;
}

static void test_seeds(void) {
  for (size_t s = 0; s < sizeof seeds / sizeof seeds[0]; s++) {
    size_t len;
    char *text = read_seed(seeds[s], &len);
    CHECK(text != NULL);
    if (!text) continue;
    gw_normalized o, plain_o;
    run(text, len, nz, dict_noise, &o);
    char *want = expected_seed(s, text);
    if (o.len != strlen(want) || memcmp(o.text, want, o.len) != 0) {
      size_t i = 0;
      while (i < o.len && o.text[i] == want[i]) i++;
      fprintf(stderr, "%s differs at %zu: \"%.40s\" vs \"%.40s\"\n", seeds[s],
              i, o.text + i, want + i);
    }
    CHECK_STRN(o.text, o.len, want);
    /* The t2s step changes nothing in the corpus. */
    run(text, len, NULL, dict_noise, &plain_o);
    CHECK(o.len == plain_o.len && memcmp(o.text, plain_o.text, o.len) == 0);
    /* Every normalized line maps back to the same bytes, but for the
     * folded characters. */
    size_t ls = 0;
    int same = 1;
    while (ls < o.len) {
      const char *nl = memchr(o.text + ls, '\n', o.len - ls);
      size_t le = nl ? (size_t)(nl - o.text) : o.len;
      size_t ts = map_start(&o, ls), te = map_end(&o, le);
      char *line = strndup(o.text + ls, le - ls);
      char *src = strndup(text + ts, te - ts);
      replace_in(&src, "100％", "100%");
      replace_in(&src, "＋", "+");
      replace_in(&src, "以 “", "以“");
      replace_in(&src, "98% 。", "98%。");
      replace_in(&src, "##paidbegin##", "");
      if (strcmp(line, src) != 0) {
        fprintf(stderr, "%s: line at %zu maps to \"%.30s\"\n", seeds[s], ls, src);
        same = 0;
      }
      free(line);
      free(src);
      ls = le + 1;
    }
    CHECK(same);
    /* Removals: only seed 001 has noise. */
    CHECK_EQ_SIZE(o.removal_count, s == 1 ? 6 : 0);
    gw_normalized_free(&o);
    gw_normalized_free(&plain_o);
    free(want);
    free(text);
  }
}

/* ---- hard-wrapped text ---- */

/* text with every line cut into lines of `width` code points, each
 * paragraph's first line indented by `indent`. */
static char *hard_wrap(const char *text, size_t width, const char *eol,
                       const char *indent) {
  size_t len = strlen(text), cap = len * 2 + 16, w = 0, col = 0;
  char *out = malloc(cap);
  int first = 1;
  for (size_t i = 0; i < len;) {
    if (text[i] == '\n') {
      w += (size_t)sprintf(out + w, "%s", eol);
      col = 0;
      first = 1;
      i++;
      continue;
    }
    if (first) {
      w += (size_t)sprintf(out + w, "%s", indent);
      first = 0;
    }
    if (col == width) {
      w += (size_t)sprintf(out + w, "%s", eol);
      col = 0;
    }
    int32_t cp;
    size_t n = gw_utf8_next((const unsigned char *)text + i, len - i, &cp);
    memcpy(out + w, text + i, n);
    w += n;
    i += n;
    col++;
  }
  out[w] = '\0';
  return out;
}

static int same(const gw_normalized *a, const gw_normalized *b) {
  return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

static void report_difference(const gw_normalized *a, const gw_normalized *b,
                              size_t width) {
  size_t i = 0;
  while (i < a->len && i < b->len && a->text[i] == b->text[i]) i++;
  fprintf(stderr, "wrap %zu differs at %zu: \"%.40s\" vs \"%.40s\"\n", width,
          i, a->text + i, b->text + i);
}

/* Joined lines map back over the wrapped text's line ends. */
static void check_join_map(const gw_normalized *b, const char *wrapped,
                           const char *eol, size_t width) {
  const char *first = "为进一步推进意识形态工作责任制落实到实处，牢牢掌握意识形态";
  size_t ns = find(b->text, b->len, first);
  if (ns == (size_t)-1) return;
  size_t ts = find(wrapped, strlen(wrapped), "为进一步推进");
  CHECK_EQ_SIZE(map_start(b, ns), ts);
  /* 29 characters: wrapped at 26, one line end inside. */
  CHECK_EQ_SIZE(map_end(b, ns + strlen(first)) - ts,
                strlen(first) + (width < 29 ? strlen(eol) : 0));
}

/* Paragraphs whose first line is indented (as 公文 are set): the wrapped
 * text normalizes exactly to the original. */
static void check_wrapped_indented(const char *reference, size_t width,
                                   const char *eol) {
  char *wrapped = hard_wrap(reference, width, eol, "\u3000\u3000");
  gw_normalized a, b;
  run(reference, strlen(reference), nz, noise, &a);
  run(wrapped, strlen(wrapped), nz, noise, &b);
  if (!same(&a, &b)) report_difference(&a, &b, width);
  CHECK(same(&a, &b));
  check_join_map(&b, wrapped, eol, width);
  gw_normalized_free(&a);
  gw_normalized_free(&b);
  free(wrapped);
}

/* Without indents, a sentence that ends exactly at the wrap cannot be
 * told from a paragraph's end: the view may split a paragraph there, and
 * only there.  Everything else is as the original. */
static void check_wrapped_plain(const char *reference, size_t width) {
  char *wrapped = hard_wrap(reference, width, "\n", "");
  gw_normalized a, b;
  run(reference, strlen(reference), nz, noise, &a);
  run(wrapped, strlen(wrapped), nz, noise, &b);
  size_t i = 0, j = 0, extra = 0;
  int ok = 1;
  while (i < a.len && j < b.len) {
    if (a.text[i] == b.text[j]) {
      i++;
      j++;
    } else if (b.text[j] == '\n' && j > 0 &&
               (find(b.text + j - 3, 3, "。") == 0 ||
                find(b.text + j - 3, 3, "：") == 0 ||
                find(b.text + j - 3, 3, "；") == 0)) {
      j++; /* a split after a sentence end */
      extra++;
    } else {
      ok = 0;
      break;
    }
  }
  if (!ok || i != a.len || j != b.len) report_difference(&a, &b, width);
  CHECK(ok && i == a.len && j == b.len);
  CHECK(extra <= 3); /* rare: most wraps fall inside sentences */
  check_join_map(&b, wrapped, "\n", width);
  gw_normalized_free(&a);
  gw_normalized_free(&b);
  free(wrapped);
}

static void test_hard_wrap(void) {
  size_t len;
  char *text = read_seed(seeds[1], &len);
  CHECK(text != NULL);
  if (!text) return;
  /* The report without its ads: the wrap test is about paragraphs. */
  char *end = strstr(text, "特此报告。");
  if (end) end[strlen("特此报告。")] = '\0';
  check_wrapped_indented(text, 26, "\n");
  check_wrapped_indented(text, 26, "\r\n");
  check_wrapped_indented(text, 33, "\n");
  check_wrapped_plain(text, 26);
  check_wrapped_plain(text, 33);
  free(text);
  /* Another seed, with masks and enumerations. */
  text = read_seed(seeds[0], &len);
  if (text) {
    check_wrapped_indented(text, 26, "\n");
    check_wrapped_plain(text, 26);
    free(text);
  }
  /* A seed paragraph: wrapped at 26, it is the original paragraph again. */
  const char *para =
      "为进一步推进意识形态工作责任制落实到实处，牢牢掌握意识形态工作领导权，"
      "按照区委宣传部《关于开展2023年意识形态（网络意识形态）工作专项督查的通知》"
      "要求，我办高度重视，认真对照检查内容，结合工作实际，认真开展意识形态工作自查"
      "自纠，现将有关情况汇报如下：\n一、工作开展情况";
  char *wrapped = hard_wrap(para, 26, "\n", "");
  EXPECT_NORM(wrapped, para);
  free(wrapped);
  /* A short line without end punctuation (a heading without a marker, a
   * signature) ends its paragraph. */
  const char *outline =
      "为进一步推进意识形态工作责任制落实到实处，牢牢掌握意识形态工作领导权，"
      "按照区委宣传部的通知要求，我办高度重视，认真对照检查内容，结合工作实际\n"
      "主要做法\n"
      "开展意识形态工作自查自纠，现将有关情况汇报如下：严格落实意识形态工作"
      "责任制有关要求，牢牢把握意识形态工作主动权，坚持将意识形态工作与业务工作同部署\n"
      "**局党组";
  wrapped = hard_wrap(outline, 26, "\n", "");
  EXPECT_NORM(wrapped, outline);
  free(wrapped);
  /* A paragraph that fills its last line: the next one starts with a
   * heading marker, or (in an indented document) with an indent. */
  const char *full = /* 78 = 3 × 26 characters, then a marker */
      "为进一步推进意识形态工作责任制落实到实处，牢牢掌握意识形态工作领导权，"
      "按照区委宣传部的通知要求，我办高度重视，认真对照检查内容，结合工作实际，"
      "认真开展了自查\n"
      "（一）加强组织领导，压实工作责任，按照区委宣传部的通知要求，我办高度重视，"
      "认真对照检查内容，结合工作实际开展意识形态工作自查自纠，严格落实\n"
      "开展意识形态工作自查自纠，现将有关情况汇报如下：严格落实意识形态工作"
      "责任制有关要求，牢牢把握意识形态工作主动权，坚持将意识形态工作与业务工作同部署";
  wrapped = hard_wrap(full, 26, "\n", "");
  EXPECT_NORM(wrapped, full);
  free(wrapped);
  const char *full_indented = /* 78 and 78 characters */
      "为进一步推进意识形态工作责任制落实到实处，牢牢掌握意识形态工作领导权。"
      "按照区委宣传部的通知要求，我办党组高度重视，认真对照检查各项内容，"
      "结合本单位工作实际。\n"
      "开展意识形态工作自查自纠，现将有关情况汇报如下：严格落实意识形态工作"
      "责任制有关要求，牢牢把握意识形态工作主动权，坚持将意识形态工作与业务工作"
      "同部署、同落实。\n"
      "坚持将意识形态工作与业务工作同部署、同落实、同检查、同考核，全面排查风险点和"
      "薄弱环节，及时分析研判意识形态领域新情况新形势。";
  wrapped = hard_wrap(full_indented, 26, "\n", "\u3000\u3000");
  EXPECT_NORM(wrapped, full_indented);
  free(wrapped);
  /* A heading phrase as long as the wrap stays a paragraph of its own. */
  const char *heading =
      "为进一步推进意识形态工作责任制落实到实处，牢牢掌握意识形态工作领导权，"
      "按照区委宣传部的通知要求，我办高度重视，认真对照检查内容，结合工作实际\n"
      "一、二〇二一年度落实意识形态工作责任制情况报告的总结\n"
      "开展意识形态工作自查自纠，现将有关情况汇报如下：严格落实意识形态工作"
      "责任制有关要求，牢牢把握意识形态工作主动权，坚持将意识形态工作与业务工作同部署";
  wrapped = hard_wrap(heading, 26, "\n", "");
  EXPECT_NORM(wrapped, heading);
  free(wrapped);
  /* Latin words joined across a line end keep one space; a page number
   * between two pages of a paragraph does not split it. */
  const char *latin =
      "In the reports the template sites sell, lines are\n"
      "broken at a fixed width by the PDF extraction and\n"
      "the words on both sides of a break belong to one\n"
      "sentence that the normalized view has to restore\n"
      "— 2 —\n"
      "before any analysis can see the whole paragraph.\n"
      "Short last line.\n"
      "Next paragraph starts here and runs over several\n"
      "lines of the same width until it finally reaches\n"
      "its end.";
  EXPECT_NORM(latin,
              "In the reports the template sites sell, lines are broken at a "
              "fixed width by the PDF extraction and the words on both sides "
              "of a break belong to one sentence that the normalized view has "
              "to restore before any analysis can see the whole paragraph.\n"
              "Short last line.\n"
              "Next paragraph starts here and runs over several lines of the "
              "same width until it finally reaches its end.");
}

/* A document of real paragraphs with many lines of the same length is not
 * taken for hard-wrapped: its lines end sentences. */
static void test_not_hard_wrapped(void) {
  const char *t =
      "一、加强组织领导，压实工作责任制落实到位。\n"
      "二、注重思想引领，筑起坚实防线落实到位。\n"
      "三、强化宣传引导，巩固主流阵地落实到位。\n"
      "四、完善制度建设，巩固阵地管控落实到位。\n"
      "五、落实规章制度，压实整改工作落实到位。\n"
      "六、深化成果转化，加强精神文明建设到位。\n"
      "七、抓好舆论引导，凝聚传播正能量的工作\n"
      "八、强化监督检查，通过整改推动落实到位。";
  gw_normalized o;
  run(t, strlen(t), nz, noise, &o);
  size_t lines = 1;
  for (size_t i = 0; i < o.len; i++) lines += o.text[i] == '\n';
  CHECK_EQ_SIZE(lines, 8);
  gw_normalized_free(&o);
}

/* Random mixtures of the pieces every rule looks at: the invariants hold
 * (in order, every character from its own text bytes, no empty
 * paragraph, removals in order), and the view is a fixed point of the
 * character rules. */
static void test_random(void) {
  static const char *const pieces[] = {
    "意", "识", "形", "態", "責", "乾", "於", " ", "  ", "\u3000", "\n", "\r\n",
    "\r", "\n\n", "—", "-", "1", "23", "第", "页", "共", "(", ")", "（", "）",
    "zé", "rèn", "2", "a", "B", ",", ";", ":", "?", "!", ".", "，", "。", "“",
    "”", "Ａ", "％", "\u200B", "\t", "##paidbegin##", "【哒哒素材库】", "①",
    "\u2F2F", "*", "x", "\xff",
  };
  enum { PIECES = sizeof pieces / sizeof pieces[0] };
  unsigned seed = 2024;
  int ok = 1;
  for (int round = 0; round < 3000 && ok; round++) {
    char text[1024];
    size_t len = 0, line_ends = 0;
    int n = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 60;
    for (int k = 0; k < n; k++) {
      const char *p = pieces[((seed = seed * 1103515245u + 12345u) >> 16) % PIECES];
      /* At most 5 lines: hard-wrap joining is tested on its own. */
      if (strpbrk(p, "\r\n") && ++line_ends > 4) continue;
      memcpy(text + len, p, strlen(p));
      len += strlen(p);
    }
    text[len] = '\0';
    gw_normalized o;
    int failed_before = gw_test_failed;
    run(text, len, nz, noise, &o);
    /* The view is a fixed point: normalizing it again changes nothing. */
    gw_normalized again;
    run(o.text, o.len, nz, noise, &again);
    CHECK(again.len == o.len && memcmp(again.text, o.text, o.len) == 0);
    if (gw_test_failed != failed_before) {
      fprintf(stderr, "random input: \"%s\" -> \"%s\" -> \"%s\"\n", text,
              o.text, again.text);
      ok = 0;
    }
    gw_normalized_free(&again);
    gw_normalized_free(&o);
  }
  CHECK(ok);
}

static void test_errors(void) {
  gw_error err;
  CHECK(gw_normalizer_new(NULL, &err) == GW_EINVAL);
  gw_normalizer_free(NULL);
  gw_normalized o;
  CHECK(gw_normalize(nz, NULL, NULL, 5, &o, &err) == GW_EINVAL);
  gw_normalized_free(NULL);
  /* Invalid bytes (decode's replace_invalid off never lets them through,
   * but the stage itself copies them as they are). */
  const char bad[] = "甲\xff乙";
  run(bad, sizeof bad - 1, nz, noise, &o);
  CHECK_STRN(o.text, o.len, bad);
  gw_normalized_free(&o);
}

int main(void) {
  gw_error err;
  if (gw_normalizer_new(&nz, &err) != GW_OK) {
    fprintf(stderr, "gw_normalizer_new: %s\n", err.message);
    return 1;
  }
  const char *patterns = "span\t##paidbegin##\nspan\t##paidend##\nline\t【哒哒素材库】\n";
  if (gw_noise_load_buffer(&noise, "test", patterns, strlen(patterns), &err) != GW_OK) {
    fprintf(stderr, "gw_noise_load_buffer: %s\n", err.message);
    return 1;
  }
  if (gw_noise_load_file(&dict_noise, GW_DICT_SOURCE_DIR "/noise.txt", &err) != GW_OK) {
    fprintf(stderr, "gw_noise_load_file: %s\n", err.message);
    return 1;
  }
  test_line_ends();
  test_noise();
  test_fold();
  test_compat_without_normalizer();
  test_ascii_punct();
  test_spaces();
  test_page_numbers();
  test_pinyin();
  test_t2s();
  test_t2s_threads();
  test_seeds();
  test_hard_wrap();
  test_not_hard_wrapped();
  test_random();
  test_plain_punct();
  test_run_blocks();
  test_errors();
  gw_noise_free(noise);
  gw_noise_free(dict_noise);
  gw_normalizer_free(nz);
  return gw_test_report();
}
