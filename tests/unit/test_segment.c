/* Segmentation: the maximum-probability path, token kinds, offsets, search
 * mode, the HMM, user words, and sharing a dictionary between threads. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <utf8proc.h>

#include "gongwen.h"
#include "harness.h"

static char tmpdir[] = "/tmp/gw_test_segment_XXXXXX";

static gw_dict *small_dict(void) {
  char src[600], out[600];
  snprintf(src, sizeof src, "%s/words.txt", tmpdir);
  snprintf(out, sizeof out, "%s/small.gwd", tmpdir);
  FILE *f = fopen(src, "wb");
  fputs("研究 1000\n研究生 600\n生命 900\n命 50\n起源 800\n的 5000\n"
        "意识形态 700\n工作 2000\n责任制 300\n意识形态工作责任制 400\n"
        "意识 300\n形态 300\n工作责任制 10\n", f);
  fclose(f);
  const char *sources[] = {src};
  gw_error err;
  gw_dict *d = NULL;
  if (gw_dict_compile(sources, 1, NULL, out, &err) || gw_dict_load_file(&d, out, &err))
    fprintf(stderr, "small dictionary: %s\n", err.message);
  return d;
}

static gw_dict *real_dict(void) {
  gw_dict *d = NULL;
  gw_error err;
  if (gw_dict_load_file(&d, GW_DATA_BUILD_DIR "/gongwen.gwd", &err))
    fprintf(stderr, "built dictionary: %s\n", err.message);
  return d;
}

/* The tokens of text joined by '/', spaces left out. */
static const char *cut(gw_segmenter *seg, const char *text) {
  static char out[4096];
  const gw_token *t;
  size_t n;
  out[0] = '\0';
  if (gw_segment(seg, text, strlen(text), &t, &n, NULL) != GW_OK) return "<error>";
  size_t len = 0;
  for (size_t i = 0; i < n; i++) {
    if (t[i].kind == GW_TOKEN_SPACE) continue;
    if (len) out[len++] = '/';
    memcpy(out + len, text + t[i].start, t[i].end - t[i].start);
    len += t[i].end - t[i].start;
  }
  out[len] = '\0';
  return out;
}

/* Kinds of the tokens of text, by name, joined by ' '. */
static const char *kinds(gw_segmenter *seg, const char *text) {
  static char out[4096];
  const gw_token *t;
  size_t n, len = 0;
  out[0] = '\0';
  if (gw_segment(seg, text, strlen(text), &t, &n, NULL) != GW_OK) return "<error>";
  for (size_t i = 0; i < n; i++)
    len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", i ? " " : "",
                            gw_token_kind_name(t[i].kind));
  return out;
}

static void test_max_probability(gw_dict *d) {
  gw_segmenter *seg;
  CHECK(gw_segmenter_new(&seg, d, NULL, NULL) == GW_OK);
  /* 研究/生命/起源 beats 研究生/命/起源 */
  CHECK(strcmp(cut(seg, "研究生命起源"), "研究/生命/起源") == 0);
  CHECK(strcmp(cut(seg, "意识形态工作责任制"), "意识形态工作责任制") == 0);
  CHECK(strcmp(cut(seg, "的的"), "的/的") == 0);
  CHECK(strcmp(cut(seg, ""), "") == 0);
  gw_segmenter_free(seg);
}

static void test_kinds(gw_dict *d) {
  gw_segmenter *seg;
  CHECK(gw_segmenter_new(&seg, d, NULL, NULL) == GW_OK);
  const char *text = "2023年10月，完成率100%，3.5万元，1,000人。";
  CHECK(strcmp(cut(seg, text), "2023年/10月/，/完/成/率/100%/，/3.5/万/元/，/1,000/人/。") == 0);
  CHECK(strcmp(kinds(seg, "2023年10月，100%"), "date date punct percent") == 0);
  CHECK(strcmp(kinds(seg, "3.5 abc G20"), "number space latin space latin") == 0);
  /* full-width digits and letters as in SIGHAN's files */
  CHECK(strcmp(cut(seg, "１９９７年１７％ＡＢＣ"), "１９９７年/１７％/ＡＢＣ") == 0);
  CHECK(strcmp(kinds(seg, "１９９７年１７％"), "date percent") == 0);
  /* masks from template sites */
  CHECK(strcmp(cut(seg, "**局xxx同志x篇××"), "**/局/xxx/同/志/x/篇/××") == 0);
  CHECK(strcmp(kinds(seg, "**局xxx"), "mask word mask") == 0);
  CHECK(strcmp(kinds(seg, "box"), "latin") == 0);
  /* dates in Chinese numerals; 一年 (one year) and 一日 (one day) are not */
  CHECK(strcmp(cut(seg, "二○○一年十二月三十一日"), "二○○一年/十二月/三十一日") == 0);
  CHECK(strcmp(kinds(seg, "二〇二三年十月"), "date date") == 0);
  CHECK(strcmp(kinds(seg, "一年"), "word word") == 0);
  /* no thirteenth month, no thirty-second day as one date */
  CHECK(strcmp(cut(seg, "十三月"), "十三月") != 0 && strstr(cut(seg, "十三月"), "/") != NULL);
  CHECK(strstr(cut(seg, "三十二日"), "三十二日") == NULL);
  /* the Chinese dash and ellipsis are one mark each; ASCII runs are not */
  CHECK(strcmp(cut(seg, "——……---"), "——/……/-/-/-") == 0);
  /* invalid bytes come out one by one, nothing is lost */
  CHECK(strcmp(kinds(seg, "a\xff\xfe"), "latin other other") == 0);
  /* emoji and U+FFFD are OTHER, as the header says; marks reports use as
   * bullets (★ ● ※) and symbols like © → stay PUNCT */
  CHECK(strcmp(kinds(seg, "好😀\xef\xbf\xbd✅⭐🇨🇳👍🏻"),
               "word other other other other other other other other") == 0);
  CHECK(strcmp(kinds(seg, "★●※©→。"), "punct punct punct punct punct punct") == 0);
  gw_segmenter_free(seg);
}

/* The marks the segmenter takes for punctuation without asking utf8proc
 * (ASCII's marks and symbols, the common Chinese marks): each is of a
 * punctuation or symbol category, comes out as one punct token, and two
 * of them are two tokens. */
static void test_common_punctuation(gw_dict *d) {
  static const int32_t chinese[] = {0x3001, 0x3002, 0x300A, 0x300B, 0x300C, 0x300D,
                                    0x3010, 0x3011, 0x201C, 0x201D, 0x2018, 0x2019,
                                    0xFF01, 0xFF08, 0xFF09, 0xFF0C, 0xFF1A, 0xFF1B,
                                    0xFF1F, 0x00B7};
  int32_t marks[128];
  size_t n = 0;
  /* '*' is left out: it starts a mask, which is looked for first. */
  for (int32_t cp = 0x21; cp < 0x7F; cp++)
    if (cp != '*' && !((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')))
      marks[n++] = cp;
  for (size_t i = 0; i < sizeof chinese / sizeof *chinese; i++) marks[n++] = chinese[i];
  gw_segmenter *seg = NULL;
  CHECK(gw_segmenter_new(&seg, d, NULL, NULL) == GW_OK);
  for (size_t i = 0; i < n; i++) {
    utf8proc_category_t c = utf8proc_category(marks[i]);
    CHECK((c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO) ||
          (c >= UTF8PROC_CATEGORY_SM && c <= UTF8PROC_CATEGORY_SO));
    char text[16];
    utf8proc_ssize_t k = utf8proc_encode_char(marks[i], (utf8proc_uint8_t *)text);
    text[k] = '\0';
    CHECK(strcmp(kinds(seg, text), "punct") == 0);
    memcpy(text + k, text, (size_t)k);
    text[2 * k] = '\0';
    CHECK(strcmp(kinds(seg, text), "punct punct") == 0);
  }
  gw_segmenter_free(seg);
}

/* The common Chinese marks and Han characters, which the segmenter decodes
 * by table from their bytes, next to each other, after a character beyond
 * the BMP and at the text's end; ○ stays Han only after a numeral. */
static void test_fast_decode(gw_dict *d) {
  gw_segmenter *seg;
  CHECK(gw_segmenter_new(&seg, d, NULL, NULL) == GW_OK);
  CHECK(strcmp(cut(seg, "研。究“工作”，"), "研/。/究/“/工作/”/，") == 0);
  CHECK(strcmp(kinds(seg, "研。究“工作”，"), "word punct word punct word punct punct") == 0);
  CHECK(strcmp(cut(seg, "\xF0\xA0\x80\x80二○○一年，二○，一九九八年"),
               "\xF0\xA0\x80\x80/二○○一年/，/二/○/，/一九九八年") == 0);
  CHECK(strcmp(kinds(seg, "\xF0\xA0\x80\x80二○○一年，二○，一九九八年"),
               "word date punct word word punct date") == 0);
  /* 〇 and the other BMP blocks of Han (U+3400, U+F900) are Han too. */
  CHECK(strcmp(kinds(seg, "〇㐀豈研究"), "word word word word") == 0);
  gw_segmenter_free(seg);
}

/* Generated names are one token whatever their number, with both the
 * small dictionary (no name in it) and the real one; their frame (党的,
 * 精神) is cut as the segmentation standards cut it. */
static void test_generated_names(gw_dict *d, int real) {
  gw_segmenter *seg;
  gw_segment_options o = GW_SEGMENT_OPTIONS_INIT;
  o.hmm = 0;
  CHECK(gw_segmenter_new(&seg, d, &o, NULL) == GW_OK);
  static const char *const numbers[] = {"十五", "十六", "十七", "十八", "十九", "二十",
                                        "二十一", "二十五", "三十"};
  static const char *const plenums[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};
  char text[128], want[128];
  for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
    snprintf(text, sizeof text, "%s大", numbers[i]);
    CHECK_STRN(cut(seg, text), strlen(cut(seg, text)), text);
    snprintf(text, sizeof text, "党的%s大", numbers[i]);
    snprintf(want, sizeof want, real ? "党的%s大" : "党/的/%s大", numbers[i]);
    /* the real dictionary lists 党的十九大 and 党的二十大 whole, the others
     * come out as the standards cut them */
    if (real && strcmp(numbers[i], "十九") != 0 && strcmp(numbers[i], "二十") != 0 &&
        strcmp(numbers[i], "十八") != 0)
      snprintf(want, sizeof want, "党/的/%s大", numbers[i]);
    CHECK_STRN(cut(seg, text), strlen(cut(seg, text)), want);
    for (size_t y = 0; y < 9; y++) {
      snprintf(text, sizeof text, "%s届%s中全会", numbers[i], plenums[y]);
      CHECK_STRN(cut(seg, text), strlen(cut(seg, text)), text);
    }
    snprintf(text, sizeof text, "%s届历次全会", numbers[i]);
    CHECK_STRN(cut(seg, text), strlen(cut(seg, text)), text);
  }
  CHECK(strcmp(cut(seg, "十四五规划"), "十四五规划") == 0);
  CHECK(strcmp(cut(seg, "第十五个五年规划"), "第十五个五年规划") == 0);
  CHECK(strcmp(cut(seg, "全国两会"), "全国两会") == 0);
  CHECK(strcmp(cut(seg, "省第十二次党代会"), "省第十二次党代会") == 0);
  CHECK(strcmp(cut(seg, "第十二次党代表大会"), "第十二次党代表大会") == 0);
  /* not names: 十大 (ten great) and 三大 without 党的, a plenum past 九 */
  if (!real) {
    CHECK(strcmp(cut(seg, "十大"), "十/大") == 0);
    CHECK(strcmp(cut(seg, "三大"), "三/大") == 0);
  }
  CHECK(strstr(cut(seg, "二十届十中全会"), "二十届十中全会") == NULL);
  gw_segmenter_free(seg);
}

/* Tokens of precise mode tile the text exactly. */
static void test_coverage(gw_dict *d) {
  gw_segmenter *seg;
  CHECK(gw_segmenter_new(&seg, d, NULL, NULL) == GW_OK);
  const char *text = "  研究生命起源，2023年 abc\t**局\xe2\x80\x94\xff 的意识形态工作\n";
  const gw_token *t;
  size_t n, at = 0, gaps = 0;
  CHECK(gw_segment(seg, text, strlen(text), &t, &n, NULL) == GW_OK);
  for (size_t i = 0; i < n; i++) {
    gaps += t[i].start != at || t[i].end <= t[i].start || t[i].sub;
    at = t[i].end;
  }
  CHECK_EQ_SIZE(gaps, 0);
  CHECK_EQ_SIZE(at, strlen(text));
  gw_segmenter_free(seg);
}

/* Runs longer than the segmenter's first arrays (256 characters), with a
 * four-byte character before, inside and after them: a run's offsets are
 * three bytes a character until such a character, then its own. */
static void test_long_runs(gw_dict *d) {
  gw_segmenter *seg;
  CHECK(gw_segmenter_new(&seg, d, NULL, NULL) == GW_OK);
  static const char *const astral[] = {"", "\xF0\xA0\x80\x80" /* U+20000 */};
  static const size_t repeats[] = {1, 42, 43, 85, 86, 100};
  for (size_t before = 0; before < 2; before++)
    for (size_t r = 0; r < sizeof repeats / sizeof *repeats; r++)
      for (size_t middle = 0; middle < 2; middle++) {
        char text[2048], want[4096];
        size_t tl = 0, wl = 0;
        text[0] = want[0] = '\0';
        tl += (size_t)snprintf(text + tl, sizeof text - tl, "%s", astral[before]);
        wl += (size_t)snprintf(want + wl, sizeof want - wl, "%s%s", astral[before],
                               before ? "/" : "");
        for (size_t k = 0; k < repeats[r]; k++) {
          tl += (size_t)snprintf(text + tl, sizeof text - tl, "研究生命起源");
          wl += (size_t)snprintf(want + wl, sizeof want - wl, "%s研究/生命/起源",
                                 k ? "/" : "");
          if (middle && k == repeats[r] / 2) {
            tl += (size_t)snprintf(text + tl, sizeof text - tl, "%s", astral[1]);
            wl += (size_t)snprintf(want + wl, sizeof want - wl, "/%s", astral[1]);
          }
        }
        tl += (size_t)snprintf(text + tl, sizeof text - tl, "的%s。", astral[1]);
        wl += (size_t)snprintf(want + wl, sizeof want - wl, "/的/%s/。", astral[1]);
        CHECK(tl < sizeof text - 1 && wl < sizeof want - 1);
        CHECK(strcmp(cut(seg, text), want) == 0);
      }
  gw_segmenter_free(seg);
}

static void test_search_mode(gw_dict *d) {
  gw_segment_options opts = GW_SEGMENT_OPTIONS_INIT;
  opts.mode = GW_SEGMENT_SEARCH;
  gw_segmenter *seg;
  CHECK(gw_segmenter_new(&seg, d, &opts, NULL) == GW_OK);
  const char *text = "意识形态工作责任制";
  const gw_token *t;
  size_t n;
  CHECK(gw_segment(seg, text, strlen(text), &t, &n, NULL) == GW_OK);
  /* the whole term, then 意识形态 意识 形态 工作 工作责任制 责任制 inside it */
  CHECK_EQ_SIZE(n, 7);
  CHECK(n > 0 && t[0].sub == 0 && t[0].end == strlen(text));
  size_t subs = 0;
  for (size_t i = 1; i < n; i++) subs += t[i].sub == 1;
  CHECK_EQ_SIZE(subs, 6);
  CHECK(n > 2 && t[1].start == 0 && t[1].end == strlen("意识"));
  gw_segmenter_free(seg);
  opts.version = 99;
  CHECK(gw_segmenter_new(&seg, d, &opts, NULL) == GW_EINVAL);
  CHECK(seg == NULL);
}

static void test_user_words(gw_dict *d) {
  gw_segmenter *seg;
  gw_error err;
  CHECK(gw_segmenter_new(&seg, d, NULL, NULL) == GW_OK);
  CHECK(strcmp(cut(seg, "研究生命"), "研究/生命") == 0);
  /* a user frequency is honoured: high enough, 研究生 wins */
  CHECK(gw_dict_add_user_word(d, "研究生", strlen("研究生"), 1e7, &err) == GW_OK);
  CHECK(strcmp(cut(seg, "研究生命"), "研究生/命") == 0);
  /* and a low one demotes it again */
  CHECK(gw_dict_add_user_word(d, "研究生", strlen("研究生"), 1, &err) == GW_OK);
  CHECK(strcmp(cut(seg, "研究生命"), "研究/生命") == 0);
  /* a word without frequency is kept whole */
  CHECK(gw_dict_add_user_word(d, "一岗双责", strlen("一岗双责"), -1, &err) == GW_OK);
  CHECK(strcmp(cut(seg, "落实一岗双责"), "落/实/一岗双责") == 0);
  gw_segmenter_free(seg);
}

/* User words with characters the base dictionary lacks (codes above its
 * alphabet, and an astral character): the base trie must see them as
 * having no code, the user trie must find them, and a stretch of them left
 * to the HMM must not read past the emission table.  The expected cuts are
 * the reference build's (gw-seg --dict). */
static void test_user_words_new_characters(void) {
  gw_dict *d = real_dict();
  CHECK(d != NULL);
  if (!d) return;
  gw_error err;
  CHECK(gw_dict_add_user_word(d, "𠀀𠀁", strlen("𠀀𠀁"), 10, &err) == GW_OK);
  CHECK(gw_dict_add_user_word(d, "乙丙丁", strlen("乙丙丁"), 20, &err) == GW_OK);
  CHECK(gw_dict_add_user_word(d, "研究𠀀", strlen("研究𠀀"), 5, &err) == GW_OK);
  gw_segment_options off = GW_SEGMENT_OPTIONS_INIT;
  off.hmm = 0;
  gw_segmenter *with_hmm, *without;
  CHECK(gw_segmenter_new(&with_hmm, d, NULL, NULL) == GW_OK);
  CHECK(gw_segmenter_new(&without, d, &off, NULL) == GW_OK);
  gw_segmenter *both[2] = {with_hmm, without};
  for (int k = 0; k < 2; k++) {
    CHECK(strcmp(cut(both[k], "他研究𠀀𠀁和乙丙丁以及研究𠀀。"),
                 "他/研究/𠀀𠀁/和/乙丙丁/以及/研究𠀀/。") == 0);
    CHECK(strcmp(cut(both[k], "游𠀀景玉说𠀁𠀀"), "游/𠀀/景/玉/说/𠀁/𠀀") == 0);
    CHECK(strcmp(cut(both[k], "张乙丙说"), "张/乙丙/说") == 0);
  }
  /* Characters of the BMP the base dictionary lacks, found by table
   * without a code: the user trie must still get theirs. */
  CHECK(gw_dict_add_user_word(d, "鿾鿿", strlen("鿾鿿"), 10, &err) == GW_OK);
  CHECK(strcmp(cut(without, "他鿾鿿说。"), "他/鿾鿿/说/。") == 0);
  /* The HMM still joins a name of characters the base dictionary has. */
  const gw_token *t;
  size_t n;
  CHECK(gw_segment(with_hmm, "游景玉说", strlen("游景玉说"), &t, &n, NULL) == GW_OK);
  CHECK(n == 2 && t[0].kind == GW_TOKEN_NEW_WORD && t[0].end == strlen("游景玉"));
  gw_segmenter_free(with_hmm);
  gw_segmenter_free(without);
  gw_dict_free(d);
}

static void test_hmm(gw_dict *d) {
  gw_segment_options on = GW_SEGMENT_OPTIONS_INIT, off = GW_SEGMENT_OPTIONS_INIT;
  off.hmm = 0;
  gw_segmenter *a, *b;
  CHECK(gw_segmenter_new(&a, d, &on, NULL) == GW_OK);
  CHECK(gw_segmenter_new(&b, d, &off, NULL) == GW_OK);
  /* a name no dictionary has: the HMM joins it, without it stays in pieces */
  const char *text = "游景玉说";
  const gw_token *t;
  size_t n;
  CHECK(gw_segment(a, text, strlen(text), &t, &n, NULL) == GW_OK);
  CHECK(n == 2 && t[0].kind == GW_TOKEN_NEW_WORD && t[0].end == strlen("游景玉"));
  CHECK(gw_segment(b, text, strlen(text), &t, &n, NULL) == GW_OK);
  CHECK(n > 2);
  /* a character common on its own is not glued to a neighbour by the HMM */
  CHECK(strcmp(cut(a, "这一乙"), "这/一/乙") == 0);
  gw_segmenter_free(a);
  gw_segmenter_free(b);
}

typedef struct thread_job {
  const gw_dict *dict;
  const char *text;
  char result[2048];
  int mismatches;
} thread_job;

/* Token boundaries of text as "start-end," pairs, into out. */
static void boundaries(gw_segmenter *seg, const char *text, char *out,
                       size_t size) {
  const gw_token *t;
  size_t n, len = 0;
  out[0] = '\0';
  if (gw_segment(seg, text, strlen(text), &t, &n, NULL) != GW_OK) return;
  for (size_t i = 0; i < n && len < size; i++)
    len += (size_t)snprintf(out + len, size - len, "%zu-%zu,", t[i].start, t[i].end);
}

static void *segment_many(void *arg) {
  thread_job *job = arg;
  gw_segmenter *seg;
  if (gw_segmenter_new(&seg, job->dict, NULL, NULL)) return NULL;
  char mine[2048];
  for (int i = 0; i < 300; i++) {
    boundaries(seg, job->text, mine, sizeof mine);
    job->mismatches += strcmp(mine, job->result) != 0;
  }
  gw_segmenter_free(seg);
  return NULL;
}

/* One dictionary, four threads with a segmenter each: every run gives the
 * single-thread result (ThreadSanitizer-free check of shared state). */
static void test_threads(gw_dict *d) {
  const char *text = "全面落实意识形态工作责任制，研究生命起源，游景玉说2023年**局";
  gw_segmenter *seg;
  CHECK(gw_segmenter_new(&seg, d, NULL, NULL) == GW_OK);
  char expected[2048];
  boundaries(seg, text, expected, sizeof expected);
  gw_segmenter_free(seg);
  CHECK(strlen(expected) > 20);
  thread_job jobs[4];
  pthread_t threads[4];
  for (int i = 0; i < 4; i++) {
    jobs[i].dict = d;
    jobs[i].text = text;
    snprintf(jobs[i].result, sizeof jobs[i].result, "%s", expected);
    jobs[i].mismatches = 0;
    CHECK(pthread_create(&threads[i], NULL, segment_many, &jobs[i]) == 0);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(threads[i], NULL);
    CHECK(jobs[i].mismatches == 0);
  }
}

/* ---- gw_segment_paragraph ---- */

static gw_document *load_doc(const char *bytes, size_t len,
                             const gw_document_options *opts) {
  gw_document *doc = NULL;
  gw_error err;
  if (gw_document_load_buffer(&doc, "doc", bytes, len, opts, &err) != GW_OK)
    fprintf(stderr, "load: %s\n", err.message);
  return doc;
}

/* Offsets placed by hand: a BOM, full-width letters folded to ASCII, CRLF,
 * noise removed inside a word's paragraph. */
static void test_paragraph_offsets(gw_dict *d) {
  static const char noise_text[] = "span\t##ad##\n";
  gw_noise *noise = NULL;
  CHECK(gw_noise_load_buffer(&noise, "noise", noise_text, strlen(noise_text),
                             NULL) == GW_OK);
  gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;
  opts.noise = noise;
  /* BOM(3) ＡＢ(6) 研究(6) CRLF(2) 研究(6) ##ad##(6) 生命起源(12) */
  const char text[] = "\xEF\xBB\xBF\xEF\xBC\xA1\xEF\xBC\xA2研究\r\n"
                      "研究##ad##生命起源";
  gw_document *doc = load_doc(text, sizeof text - 1, &opts);
  CHECK(doc != NULL);
  gw_segmenter *seg = NULL;
  CHECK(gw_segmenter_new(&seg, d, NULL, NULL) == GW_OK);
  if (!doc || !seg) goto done;
  CHECK_EQ_SIZE(gw_document_paragraph_count(doc), 2);
  static const struct {
    size_t paragraph, norm_start, norm_end, start, end;
    gw_token_kind kind;
  } want[] = {
      {0, 0, 2, 3, 9, GW_TOKEN_LATIN},  /* AB ← ＡＢ */
      {0, 2, 8, 9, 15, GW_TOKEN_WORD},  /* 研究 */
      {1, 9, 15, 17, 23, GW_TOKEN_WORD},   /* 研究 after CRLF */
      {1, 15, 21, 29, 35, GW_TOKEN_WORD},  /* 生命, after the noise */
      {1, 21, 27, 35, 41, GW_TOKEN_WORD},  /* 起源 */
  };
  size_t k = 0;
  for (size_t p = 0; p < 2; p++) {
    CHECK(gw_segment_paragraph(seg, doc, p, NULL) == GW_OK);
    size_t n = gw_segmenter_paragraph_token_count(seg);
    CHECK_EQ_SIZE(n, p == 0 ? 2 : 3);
    for (size_t i = 0; i < n && k < sizeof want / sizeof *want; i++, k++) {
      const gw_paragraph_token *t = gw_segmenter_paragraph_token_at(seg, i);
      CHECK(want[k].paragraph == p);
      CHECK_EQ_SIZE(t->range.norm_start, want[k].norm_start);
      CHECK_EQ_SIZE(t->range.norm_end, want[k].norm_end);
      CHECK_EQ_SIZE(t->range.start, want[k].start);
      CHECK_EQ_SIZE(t->range.end, want[k].end);
      /* The decoded text is the original less its BOM. */
      CHECK_EQ_SIZE(t->text_start, want[k].start - 3);
      CHECK_EQ_SIZE(t->text_end, want[k].end - 3);
      CHECK(t->kind == want[k].kind);
      CHECK(t->sub == 0);
    }
    CHECK(gw_segmenter_paragraph_token_at(seg, n) == NULL);
  }
  CHECK_EQ_SIZE(k, sizeof want / sizeof *want);
  /* A paragraph the document does not have: an error, and no tokens. */
  gw_error err;
  CHECK(gw_segment_paragraph(seg, doc, 2, &err) == GW_EINVAL);
  CHECK(strstr(err.message, "no paragraph 2") != NULL);
  CHECK_EQ_SIZE(gw_segmenter_paragraph_token_count(seg), 0);
  CHECK(gw_segment_paragraph(NULL, doc, 0, NULL) == GW_EINVAL);
  CHECK(gw_segment_paragraph(seg, NULL, 0, NULL) == GW_EINVAL);
  CHECK_EQ_SIZE(gw_segmenter_paragraph_token_count(NULL), 0);
done:
  gw_segmenter_free(seg);
  gw_document_free(doc);
  gw_noise_free(noise);
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  rewind(f);
  char *buf = malloc(size > 0 ? (size_t)size : 1);
  *len = buf ? fread(buf, 1, (size_t)size, f) : 0;
  fclose(f);
  return buf;
}

/* Every token of every paragraph against gw_segment on the paragraph's text
 * and the document's own offset functions: the corpus as it is, in
 * GB18030-like two-byte characters (runs in the text map) through UTF-16,
 * and in search mode (sub tokens overlap the token before them). */
static size_t check_document_tokens(gw_segmenter *seg, gw_segmenter *plain,
                                    const gw_document *doc) {
  size_t norm_len, bad = 0, tokens = 0;
  const char *norm = gw_document_normalized(doc, &norm_len);
  for (size_t p = 0; p < gw_document_paragraph_count(doc); p++) {
    const gw_paragraph *para = gw_document_paragraph_at(doc, p);
    const gw_token *t;
    size_t n;
    if (gw_segment_paragraph(seg, doc, p, NULL) != GW_OK ||
        gw_segment(plain, norm + para->range.norm_start,
                   para->range.norm_end - para->range.norm_start, &t, &n,
                   NULL) != GW_OK ||
        gw_segmenter_paragraph_token_count(seg) != n)
      return SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
      const gw_paragraph_token *pt = gw_segmenter_paragraph_token_at(seg, i);
      size_t ns = para->range.norm_start + t[i].start;
      size_t ne = para->range.norm_start + t[i].end;
      bad += pt->range.norm_start != ns || pt->range.norm_end != ne ||
             pt->range.start != gw_document_to_original(doc, ns) ||
             pt->range.end != gw_document_to_original_end(doc, ne) ||
             pt->text_start != gw_document_to_text(doc, ns) ||
             pt->text_end != gw_document_to_text_end(doc, ne) ||
             pt->kind != t[i].kind || pt->sub != t[i].sub;
      tokens++;
    }
  }
  return tokens > 0 ? bad : SIZE_MAX;
}

static void test_paragraph_tokens_corpus(gw_dict *d) {
  static const char *const seeds[] = {"000_c510bc378b158120.txt",
                                      "002_1aded01d7d411218.txt",
                                      "004_c0ae98798d36dd3b.txt"};
  gw_normalizer *nz = NULL;
  CHECK(gw_normalizer_new(&nz, NULL) == GW_OK);
  gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;
  opts.normalizer = nz;
  gw_segment_options search = GW_SEGMENT_OPTIONS_INIT;
  search.mode = GW_SEGMENT_SEARCH;
  for (int mode = 0; mode < 2; mode++) {
    gw_segmenter *seg = NULL, *plain = NULL;
    CHECK(gw_segmenter_new(&seg, d, mode ? &search : NULL, NULL) == GW_OK);
    CHECK(gw_segmenter_new(&plain, d, mode ? &search : NULL, NULL) == GW_OK);
    for (size_t s = 0; s < sizeof seeds / sizeof *seeds; s++) {
      char path[1024];
      snprintf(path, sizeof path, "%s/%s", GW_CORPUS_DIR, seeds[s]);
      size_t len = 0;
      char *bytes = read_file(path, &len);
      CHECK(bytes != NULL && len > 1000);
      if (!bytes) continue;
      /* The same text with CRLF line ends, hard-wrapped, a page number and
       * spaces PDF-style, as UTF-16LE with BOM: every map has anchors. */
      size_t cap = 4 * len + 64, n16 = 0;
      unsigned char *u16 = malloc(cap);
      u16[n16++] = 0xFF;
      u16[n16++] = 0xFE;
      for (size_t i = 0; i < len;) {
        int32_t cp = (unsigned char)bytes[i];
        size_t l = 1;
        if (cp >= 0xE0) { cp = (cp & 0x0F) << 12 | (bytes[i + 1] & 0x3F) << 6 | (bytes[i + 2] & 0x3F); l = 3; }
        else if (cp >= 0xC0) { cp = (cp & 0x1F) << 6 | (bytes[i + 1] & 0x3F); l = 2; }
        if (cp == '\n') { u16[n16++] = '\r'; u16[n16++] = 0; }
        u16[n16++] = (unsigned char)(cp & 0xFF);
        u16[n16++] = (unsigned char)(cp >> 8);
        if (i % 97 == 0 && cp > 0x4000) { u16[n16++] = ' '; u16[n16++] = 0; }
        i += l;
      }
      gw_document *docs[2] = {load_doc(bytes, len, &opts),
                              load_doc((const char *)u16, n16, &opts)};
      for (int k = 0; k < 2; k++) {
        CHECK(docs[k] != NULL);
        if (docs[k]) CHECK_EQ_SIZE(check_document_tokens(seg, plain, docs[k]), 0);
        gw_document_free(docs[k]);
      }
      free(u16);
      free(bytes);
    }
    gw_segmenter_free(seg);
    gw_segmenter_free(plain);
  }
  gw_normalizer_free(nz);
}

int main(void) {
  if (!mkdtemp(tmpdir)) return 2;
  gw_dict *small = small_dict();
  CHECK(small != NULL);
  if (small) {
    test_max_probability(small);
    test_kinds(small);
    test_common_punctuation(small);
    test_fast_decode(small);
    test_coverage(small);
    test_long_runs(small);
    test_search_mode(small);
    test_user_words(small);
    test_generated_names(small, 0);
    test_paragraph_offsets(small);
  }
  gw_dict_free(small);
  gw_dict *real = real_dict();
  CHECK(real != NULL);
  if (real) {
    test_hmm(real);
    test_generated_names(real, 1);
    test_threads(real);
    test_paragraph_tokens_corpus(real);
  }
  gw_dict_free(real);
  test_user_words_new_characters();
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  if (system(cmd) != 0) return 2;
  return gw_test_report();
}
