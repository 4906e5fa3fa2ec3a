/* Unit tests of the term dictionary, the matcher and the formulation checks
 * (lib/terms/terms.c), on small buffers and on the five reports of corpus/. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongwen.h"
#include "harness.h"

/* Congresses a @names congress line makes: 党的一大 to 党的四十大. */
#define GW_TEST_CONGRESSES 40

static gw_noise *noise;
static gw_normalizer *normalizer;

static gw_terms *terms_from(const char *text) {
  gw_terms *t = NULL;
  gw_error err;
  CHECK(gw_terms_new(&t, &err) == GW_OK);
  int rc = gw_terms_add_buffer(t, "test.tsv", text, strlen(text), &err);
  if (rc) fprintf(stderr, "%s\n", err.message);
  CHECK(rc == GW_OK);
  return t;
}

static gw_document *doc_from(const char *text) {
  gw_document *d = NULL;
  gw_document_options o = GW_DOCUMENT_OPTIONS_INIT;
  o.noise = noise;
  o.normalizer = normalizer;
  CHECK(gw_document_load_buffer(&d, "doc", text, strlen(text), &o, NULL) == GW_OK);
  return d;
}

static gw_document *doc_file(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", GW_CORPUS_DIR, name);
  gw_document *d = NULL;
  gw_document_options o = GW_DOCUMENT_OPTIONS_INIT;
  o.noise = noise;
  o.normalizer = normalizer;
  CHECK(gw_document_load_file(&d, path, &o, NULL) == GW_OK);
  return d;
}

static gw_term_result *match(const gw_terms *t, const gw_document *d, int year) {
  gw_term_result *r = NULL;
  gw_terms_options o = GW_TERMS_OPTIONS_INIT;
  o.year = year;
  CHECK(gw_terms_match(&r, t, d, &o, NULL) == GW_OK);
  return r;
}

static size_t count_kind(const gw_terms *t, const gw_term_result *r, const char *term,
                         gw_term_match_kind kind) {
  size_t n = 0, idx = gw_terms_find(t, term, strlen(term));
  for (size_t i = 0; i < gw_term_result_match_count(r); i++) {
    const gw_term_match *m = gw_term_result_match_at(r, i);
    if (m->term == idx && m->kind == kind) n++;
  }
  return n;
}

/* ---- the file format ---- */

static void expect_format_error(const char *text, const char *where) {
  gw_terms *t = NULL;
  gw_error err;
  CHECK(gw_terms_new(&t, NULL) == GW_OK);
  int rc = gw_terms_add_buffer(t, "bad.tsv", text, strlen(text), &err);
  CHECK(rc == GW_EFORMAT);
  if (rc == GW_EFORMAT && strncmp(err.message, where, strlen(where)) != 0)
    fprintf(stderr, "message: %s (expected %s…)\n", err.message, where);
  CHECK(rc == GW_EFORMAT && strncmp(err.message, where, strlen(where)) == 0);
  CHECK(gw_terms_term_count(t) == 0);
  gw_terms_free(t);
}

static void test_format(void) {
  expect_format_error("# c\n意识形态工作\n", "bad.tsv:2:");
  expect_format_error("一岗双责\t数字概括\n\t理论\n", "bad.tsv:2: empty term");
  expect_format_error("a\tb\tc\t22\n", "bad.tsv:1: introduced must be a year");
  expect_format_error("a\tb\t\t\t\t\tseven\n", "bad.tsv:1: too many columns");
  expect_format_error("党的十九大精神\t会议精神\t\t2017\t党的二十大精神\n", "bad.tsv:1: superseded_by");
  expect_format_error("一岗双责\t数字概括\n\n一岗双责\t提法口号\n", "bad.tsv:3: '一岗双责' is already a form");
  expect_format_error("a\tb\tx||y\n", "bad.tsv:1: empty variant");
  expect_format_error("三会一课\t数字概括\n四个意识 \t数字概括\n", "bad.tsv:2: a column begins");
  gw_error err;
  gw_terms *t = NULL;
  CHECK(gw_terms_new(&t, NULL) == GW_OK);
  int rc = gw_terms_add_buffer(t, "x.tsv", "a\tb\nc\n", 6, &err);
  CHECK(rc == GW_EFORMAT && err.line == 2);
  /* A NUL byte (a column that would read as empty) is refused with its line
   * (tests/fuzz/crashes/terms_parse-nul-category.tsv). */
  static const char nul_column[] = "三会一课\t数字概括\n一岗双责\t\0制度\n";
  CHECK(gw_terms_add_buffer(t, "nul.tsv", nul_column, sizeof nul_column - 1, &err) ==
        GW_EFORMAT);
  CHECK(err.line == 2 && strstr(err.message, "nul.tsv:2: a NUL byte") == err.message);
  /* A failed file leaves the dictionary as it was. */
  CHECK(gw_terms_add_buffer(t, "ok.tsv", "一岗双责\t数字概括\n", strlen("一岗双责\t数字概括\n"), NULL) == GW_OK);
  CHECK(gw_terms_add_buffer(t, "dup.tsv", "三会一课\t数字概括\n一岗双责\tx\n", strlen("三会一课\t数字概括\n一岗双责\tx\n"), &err) == GW_EFORMAT);
  CHECK(strstr(err.message, "dup.tsv:2:") == err.message);
  CHECK(strstr(err.message, "ok.tsv:1") != NULL);
  CHECK_EQ_SIZE(gw_terms_term_count(t), 1);
  CHECK(gw_terms_find(t, "三会一课", strlen("三会一课")) == GW_NO_OFFSET);
  gw_terms_free(t);
  /* Missing file. */
  CHECK(gw_terms_load_file(&t, "/nonexistent/terms.tsv", &err) == GW_ENOTFOUND && t == NULL);
  /* Fields. */
  t = terms_from("# comment\r\n\r\n党的二十大精神\t会议精神\t二十大精神\t2022\t\t\r\n"
                 "党的十九大精神\t会议精神\t十九大精神\t2017\t二十大精神\t旧提法\n"
                 "同部署、同落实、同检查、同考核\t提法口号\n");
  CHECK_EQ_SIZE(gw_terms_term_count(t), 3);
  const gw_term *old = gw_terms_term_at(t, 1);
  CHECK(old && strcmp(old->text, "党的十九大精神") == 0 && old->introduced == 2017);
  CHECK(old && old->superseded_by && strcmp(old->superseded_by, "党的二十大精神") == 0);
  CHECK(old && strcmp(old->note, "旧提法") == 0 && old->variant_count == 1);
  CHECK(strcmp(gw_terms_variant_at(t, 1, 0), "十九大精神") == 0);
  CHECK(gw_terms_term_at(t, 0)->superseded_by == NULL);
  CHECK_EQ_SIZE(gw_terms_term_at(t, 2)->part_count, 4);
  CHECK(strcmp(gw_terms_part_at(t, 2, 2), "同检查") == 0);
  CHECK_EQ_SIZE(gw_terms_find(t, "同部署同落实同检查同考核", strlen("同部署同落实同检查同考核")), 2);
  CHECK_EQ_SIZE(gw_terms_find(t, "“十九大精神”", strlen("“十九大精神”")), 1);
  gw_terms_free(t);
}

/* ---- matching ---- */

static void check_slice(const gw_document *d, const gw_term_match *m, const char *expected) {
  size_t len;
  const char *orig = gw_document_original(d, &len);
  CHECK(m->range.end <= len);
  CHECK_STRN(orig + m->range.start, m->range.end - m->range.start, expected);
}

static void test_separators(void) {
  gw_terms *t = terms_from("同部署、同落实、同检查、同考核\t提法口号\n意识形态工作\t意识形态\n"
                           "三会一课\t数字概括\n");
  const char *texts[] = {"把意识形态建设与业务同部署、同落实、同检查、同考核。",
                         "把意识形态建设与业务同部署同落实同检查同考核。",
                         "把意识形态建设与业务同部署，同落实，同检查，同考核。",
                         "把意识形态建设与业务“同部署、同落实、同检查、同考核”。"};
  const char *found[] = {"同部署、同落实、同检查、同考核", "同部署同落实同检查同考核",
                         "同部署，同落实，同检查，同考核", "同部署、同落实、同检查、同考核"};
  for (size_t i = 0; i < 4; i++) {
    gw_document *d = doc_from(texts[i]);
    gw_term_result *r = match(t, d, 0);
    CHECK_EQ_SIZE(gw_term_result_match_count(r), 1);
    const gw_term_match *m = gw_term_result_match_at(r, 0);
    CHECK(m && m->term == 0 && m->kind == GW_TERM_COUNTED && m->form == 0);
    if (m) check_slice(d, m, found[i]);
    CHECK_EQ_SIZE(gw_term_result_broken_count(r), 0);
    gw_term_result_free(r);
    gw_document_free(d);
  }
  /* A part separator where the term has no boundary breaks the match;
   * quotes inside a term do not. */
  gw_document *d = doc_from("加强意识形态，工作落实；依托“三会”一课。同部署、同落、实同检查");
  gw_term_result *r = match(t, d, 0);
  CHECK_EQ_SIZE(count_kind(t, r, "意识形态工作", GW_TERM_COUNTED), 0);
  CHECK_EQ_SIZE(count_kind(t, r, "三会一课", GW_TERM_COUNTED), 1);
  CHECK_EQ_SIZE(count_kind(t, r, "同部署同落实同检查同考核", GW_TERM_COUNTED), 0);
  gw_term_result_free(r);
  gw_document_free(d);
  gw_terms_free(t);
}

static void test_nested(void) {
  gw_terms *t = terms_from("意识形态工作\t意识形态\n网络意识形态工作责任制\t制度机制\n"
                           "意识形态工作责任制\t制度机制\n网络意识形态\t意识形态\n"
                           "工作责任制落实\t制度机制\n学习强国\t学习平台活动\t学习强国学习平台\n");
  gw_document *d = doc_from("压实网络意识形态工作责任制。\n用好学习强国学习平台。\n落实意识形态工作责任制落实情况");
  gw_term_result *r = match(t, d, 0);
  /* 网络意识形态工作责任制 counted, the three inside it nested. */
  CHECK_EQ_SIZE(count_kind(t, r, "网络意识形态工作责任制", GW_TERM_COUNTED), 1);
  CHECK_EQ_SIZE(count_kind(t, r, "网络意识形态", GW_TERM_NESTED), 1);
  CHECK_EQ_SIZE(count_kind(t, r, "意识形态工作责任制", GW_TERM_NESTED), 1);
  CHECK_EQ_SIZE(count_kind(t, r, "意识形态工作", GW_TERM_NESTED), 2);
  /* 学习强国学习平台 is a variant: one mention, not a nested 学习强国. */
  CHECK_EQ_SIZE(count_kind(t, r, "学习强国", GW_TERM_COUNTED), 1);
  CHECK_EQ_SIZE(count_kind(t, r, "学习强国", GW_TERM_NESTED), 0);
  /* Leftmost-longest: 意识形态工作责任制 counted; 工作责任制落实 crosses
   * its end: overlapping, not counted. */
  CHECK_EQ_SIZE(count_kind(t, r, "意识形态工作责任制", GW_TERM_COUNTED), 1);
  CHECK_EQ_SIZE(count_kind(t, r, "工作责任制落实", GW_TERM_OVERLAPPING), 1);
  CHECK_EQ_SIZE(count_kind(t, r, "工作责任制落实", GW_TERM_COUNTED), 0);
  for (size_t i = 0; i < gw_term_result_match_count(r); i++) {
    const gw_term_match *m = gw_term_result_match_at(r, i);
    if (m->kind == GW_TERM_COUNTED) {
      CHECK(m->outer == GW_NO_OFFSET);
    } else {
      const gw_term_match *o = gw_term_result_match_at(r, m->outer);
      CHECK(o && o->kind == GW_TERM_COUNTED && o->range.start <= m->range.start);
      if (m->kind == GW_TERM_NESTED) CHECK(o && m->range.end <= o->range.end);
    }
  }
  const gw_term_match *m = gw_term_result_match_at(r, 0);
  CHECK(m && m->paragraph == 0);
  if (m) check_slice(d, m, "网络意识形态工作责任制");
  gw_term_result_free(r);
  gw_document_free(d);
  gw_terms_free(t);
}

/* A document without a single term: nothing found, and no arithmetic on
 * the empty hit list (clang's UBSan: pointer + 0 on NULL). */
static void test_no_term(void) {
  gw_terms *t = terms_from("同部署、同落实、同检查、同考核\t制度机制\n意识形态\t理论\n");
  const char *texts[] = {"a", "", "甲乙丙\n丁戊己\n", "意识\n形态"};
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    gw_document *d = doc_from(texts[i]);
    gw_term_result *r = match(t, d, 2024);
    CHECK(gw_term_result_match_count(r) == 0);
    CHECK(gw_term_result_broken_count(r) == 0 && gw_term_result_outdated_count(r) == 0);
    gw_term_result_free(r);
    gw_document_free(d);
  }
  gw_terms_free(t);
}

static void test_offsets(void) {
  gw_terms *t = terms_from("一岗双责\t数字概括\n同部署、同落实、同检查、同考核\t提法口号\n");
  /* BOM, CRLF, full-width space and a noise marker before the terms. */
  const char *text = "\xEF\xBB\xBF标题\r\n##paidbegin##领导班子落实“一岗双责”，\r\n做到同部署、同落实、同检查、同考核。\r\n";
  gw_document *d = doc_from(text);
  gw_term_result *r = match(t, d, 0);
  CHECK_EQ_SIZE(gw_term_result_match_count(r), 2);
  if (gw_term_result_match_count(r) == 2) {
    check_slice(d, gw_term_result_match_at(r, 0), "一岗双责");
    check_slice(d, gw_term_result_match_at(r, 1), "同部署、同落实、同检查、同考核");
    CHECK(gw_term_result_match_at(r, 0)->paragraph < gw_term_result_match_at(r, 1)->paragraph);
  }
  gw_term_result_free(r);
  gw_document_free(d);
  gw_terms_free(t);
}

/* ---- the corpus ---- */

static const char *const corpus_files[] = {
    "000_c510bc378b158120.txt", "001_84632f9a43899128.txt", "002_1aded01d7d411218.txt",
    "003_1973e543c9b997a8.txt", "004_c0ae98798d36dd3b.txt"};

static gw_terms *load_dict(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/terms.tsv", GW_DICT_SOURCE_DIR);
  gw_terms *t = NULL;
  gw_error err;
  int rc = gw_terms_load_file(&t, path, &err);
  if (rc) fprintf(stderr, "%s\n", err.message);
  CHECK(rc == GW_OK);
  return t;
}

static void test_golden_counts(gw_terms *t) {
  char path[1024];
  snprintf(path, sizeof path, "%s/terms/counts.tsv", GW_GOLDEN_DIR);
  FILE *f = fopen(path, "r");
  CHECK(f != NULL);
  if (!f) return;
  char line[1024];
  size_t checked = 0;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n') continue;
    char *file = strtok(line, "\t"), *term = strtok(NULL, "\t"), *count = strtok(NULL, "\t\n");
    if (!file || !term || !count) { CHECK(0); continue; }
    size_t idx = gw_terms_find(t, term, strlen(term));
    if (idx == GW_NO_OFFSET) fprintf(stderr, "not in terms.tsv: %s\n", term);
    CHECK(idx != GW_NO_OFFSET);
    gw_document *d = doc_file(file);
    gw_term_result *r = match(t, d, 0);
    size_t got = count_kind(t, r, term, GW_TERM_COUNTED);
    if (got != (size_t)atoi(count)) fprintf(stderr, "%s %s: %zu, expected %s\n", file, term, got, count);
    CHECK_EQ_SIZE(got, atoi(count));
    gw_term_result_free(r);
    gw_document_free(d);
    checked++;
  }
  fclose(f);
  CHECK(checked >= 60);
}

/* Every form of the dictionary that stands in a report's normalized view is
 * found there (counted, nested or overlapping); every counted match slices
 * the original bytes to a form of its term. */
static void test_all_found(gw_terms *t) {
  CHECK(gw_terms_term_count(t) >= 150);
  for (size_t f = 0; f < 5; f++) {
    gw_document *d = doc_file(corpus_files[f]);
    gw_term_result *r = match(t, d, 0);
    size_t nlen, olen;
    const char *norm = gw_document_normalized(d, &nlen);
    const char *orig = gw_document_original(d, &olen);
    for (size_t i = 0; i < gw_terms_term_count(t); i++) {
      const gw_term *term = gw_terms_term_at(t, i);
      for (size_t v = 0; v <= term->variant_count; v++) {
        const char *form = v ? gw_terms_variant_at(t, i, v - 1) : term->text;
        if (!strstr(norm, form)) continue;
        size_t n = 0;
        for (size_t k = 0; k < gw_term_result_match_count(r); k++)
          n += gw_term_result_match_at(r, k)->term == i;
        if (!n) fprintf(stderr, "%s: %s not found\n", corpus_files[f], form);
        CHECK(n > 0);
      }
    }
    for (size_t k = 0; k < gw_term_result_match_count(r); k++) {
      const gw_term_match *m = gw_term_result_match_at(r, k);
      CHECK(m->range.start < m->range.end && m->range.end <= olen);
      size_t idx = gw_terms_find(t, orig + m->range.start, m->range.end - m->range.start);
      CHECK(idx == m->term);
      CHECK(gw_document_paragraph_at(d, m->paragraph)->section == m->section);
    }
    gw_term_result_free(r);
    gw_document_free(d);
  }
}

static void test_noise_never_counts(gw_terms *t) {
  gw_document *d = doc_file(corpus_files[1]);
  gw_term_result *r = match(t, d, 0);
  size_t len;
  const char *orig = gw_document_original(d, &len);
  const char *ad = strstr(orig, "共产党员网");
  CHECK(ad != NULL); /* in the advertising */
  CHECK_EQ_SIZE(count_kind(t, r, "共产党员网", GW_TERM_COUNTED), 0);
  for (size_t k = 0; k < gw_term_result_match_count(r); k++)
    CHECK(gw_term_result_match_at(r, k)->range.end <= (size_t)(strstr(orig, "特此报告") - orig));
  gw_term_result_free(r);
  gw_document_free(d);
}

static void test_broken(gw_terms *t) {
  gw_document *d = doc_file(corpus_files[4]);
  gw_term_result *r = match(t, d, 0);
  size_t len;
  const char *orig = gw_document_original(d, &len);
  size_t same = gw_terms_find(t, "同部署", strlen("同部署同落实同检查同考核") * 0 + strlen("同部署"));
  (void)same;
  size_t tong = gw_terms_find(t, "同部署同落实同检查同考核", strlen("同部署同落实同检查同考核"));
  size_t qinzi = gw_terms_find(t, "重要工作亲自部署、重要问题亲自过问、重大事件亲自处置",
                               strlen("重要工作亲自部署、重要问题亲自过问、重大事件亲自处置"));
  int found_tong = 0, found_qinzi = 0;
  for (size_t i = 0; i < gw_term_result_broken_count(r); i++) {
    const gw_broken_formulation *b = gw_term_result_broken_at(r, i);
    if (b->term == tong) {
      found_tong++;
      CHECK(b->problems == GW_FORMULATION_MISSING);
      CHECK(b->missing == (1u << 2)); /* 同检查 */
      CHECK_STRN(orig + b->range.start, b->range.end - b->range.start, "同部署、同落实、同考核");
      CHECK(b->section == GW_SECTION_OTHER || b->section == GW_SECTION_WORK_DONE);
    }
    if (b->term == qinzi) {
      found_qinzi++;
      CHECK(b->problems == GW_FORMULATION_ALTERED);
      CHECK(b->altered == (1u << 2) && b->missing == 0);
      CHECK_STRN(orig + b->altered_range[0].start,
                 b->altered_range[0].end - b->altered_range[0].start, "重大事情亲自处置");
      CHECK_STRN(orig + b->range.start, b->range.end - b->range.start,
                 "重要工作亲自部署、重要问题亲自过问、重大事情亲自处置");
    }
  }
  CHECK(found_tong == 1);
  CHECK(found_qinzi == 1);
  gw_term_result_free(r);
  gw_document_free(d);
  /* The complete formulations of the other reports are not broken. */
  for (size_t f = 0; f < 4; f++) {
    d = doc_file(corpus_files[f]);
    r = match(t, d, 0);
    CHECK_EQ_SIZE(gw_term_result_broken_count(r), 0);
    gw_term_result_free(r);
    gw_document_free(d);
  }
  /* Reordered. */
  d = doc_from("坚持同部署、同检查、同落实、同考核。");
  r = match(t, d, 0);
  CHECK_EQ_SIZE(gw_term_result_broken_count(r), 1);
  if (gw_term_result_broken_count(r))
    CHECK(gw_term_result_broken_at(r, 0)->problems == GW_FORMULATION_REORDERED);
  gw_term_result_free(r);
  gw_document_free(d);
}

static void test_outdated_and_year(gw_terms *t) {
  static const int years[] = {2022, 2023, 2021, 2022, 2023};
  for (size_t f = 0; f < 5; f++) {
    gw_document *d = doc_file(corpus_files[f]);
    CHECK(gw_document_year(d) == years[f]);
    CHECK(gw_document_year(d) == years[f]);
    gw_document_free(d);
  }
  CHECK(gw_document_year(NULL) == 0);
  size_t old = gw_terms_find(t, "党的十九大精神", strlen("党的十九大精神"));
  size_t new_ = gw_terms_find(t, "党的二十大精神", strlen("党的二十大精神"));
  size_t slogan = gw_terms_find(t, "习近平治国理政新理念新思想新战略",
                                strlen("习近平治国理政新理念新思想新战略"));
  gw_document *d = doc_file(corpus_files[3]);
  int seen_old, seen_slogan;
  for (int pass = 0; pass < 2; pass++) {
    gw_term_result *r = match(t, d, pass ? 2023 : 0);
    CHECK(gw_term_result_year(r) == (pass ? 2023 : 2022));
    seen_old = seen_slogan = 0;
    for (size_t i = 0; i < gw_term_result_outdated_count(r); i++) {
      const gw_outdated_formulation *o = gw_term_result_outdated_at(r, i);
      if (o->term == old) {
        seen_old++;
        CHECK(o->successor == new_ && o->since == 2022);
        const gw_term_match *m = gw_term_result_match_at(r, o->match);
        CHECK(m && m->term == old);
      }
      seen_slogan += o->term == slogan;
    }
    /* 党的十九大精神 is current in 2022 (二十大: October 2022), outdated in 2023. */
    CHECK(seen_old == (pass ? 1 : 0));
    /* 习近平治国理政新理念新思想新战略 was superseded in 2017. */
    CHECK(seen_slogan == 1);
    gw_term_result_free(r);
  }
  gw_document_free(d);
  /* No year, nothing outdated. */
  d = doc_from("学习党的十九大精神。");
  gw_term_result *r = match(t, d, 0);
  CHECK(gw_term_result_year(r) == 0 && gw_term_result_outdated_count(r) == 0);
  gw_term_result_free(r);
  r = match(t, d, 2024);
  CHECK_EQ_SIZE(gw_term_result_outdated_count(r), 1);
  gw_term_result_free(r);
  gw_document_free(d);
}

/* One compiled gw_terms shared by four threads gives each the same matches. */
typedef struct thread_job {
  const gw_terms *terms;
  const gw_document *doc;
  size_t matches, broken;
  size_t checksum;
} thread_job;

static void *thread_main(void *arg) {
  thread_job *job = arg;
  for (int round = 0; round < 20; round++) {
    gw_term_result *r = NULL;
    if (gw_terms_match(&r, job->terms, job->doc, NULL, NULL)) return NULL;
    job->matches = gw_term_result_match_count(r);
    job->broken = gw_term_result_broken_count(r);
    job->checksum = 0;
    for (size_t i = 0; i < job->matches; i++)
      job->checksum = job->checksum * 31 + gw_term_result_match_at(r, i)->term * 7 +
                      gw_term_result_match_at(r, i)->range.start;
    gw_term_result_free(r);
  }
  return NULL;
}

static void test_threads(gw_terms *t) {
  gw_document *d = doc_file(corpus_files[4]);
  gw_term_result *r = match(t, d, 0);
  thread_job jobs[4];
  pthread_t th[4];
  for (int i = 0; i < 4; i++) {
    jobs[i] = (thread_job){t, d, 0, 0, 0};
    CHECK(pthread_create(&th[i], NULL, thread_main, &jobs[i]) == 0);
  }
  for (int i = 0; i < 4; i++) CHECK(pthread_join(th[i], NULL) == 0);
  for (int i = 0; i < 4; i++) {
    CHECK_EQ_SIZE(jobs[i].matches, gw_term_result_match_count(r));
    CHECK_EQ_SIZE(jobs[i].broken, gw_term_result_broken_count(r));
    CHECK_EQ_SIZE(jobs[i].checksum, jobs[0].checksum);
  }
  gw_term_result_free(r);
  gw_document_free(d);
}

/* gw_terms_rematch reuses a result: the same findings as a fresh match. */
static void test_rematch(gw_terms *t) {
  gw_term_result *reused = NULL;
  for (size_t f = 0; f < 5; f++) {
    gw_document *d = doc_file(corpus_files[4 - f]);
    gw_term_result *fresh = match(t, d, 0);
    if (!reused) CHECK(gw_terms_match(&reused, t, d, NULL, NULL) == GW_OK);
    else CHECK(gw_terms_rematch(reused, t, d, NULL, NULL) == GW_OK);
    CHECK_EQ_SIZE(gw_term_result_match_count(reused), gw_term_result_match_count(fresh));
    CHECK_EQ_SIZE(gw_term_result_broken_count(reused), gw_term_result_broken_count(fresh));
    CHECK_EQ_SIZE(gw_term_result_outdated_count(reused), gw_term_result_outdated_count(fresh));
    CHECK(gw_term_result_year(reused) == gw_term_result_year(fresh));
    int same = 1;
    for (size_t i = 0; i < gw_term_result_match_count(fresh); i++)
      same &= memcmp(gw_term_result_match_at(fresh, i), gw_term_result_match_at(reused, i),
                     sizeof(gw_term_match)) == 0;
    CHECK(same);
    gw_term_result_free(fresh);
    gw_document_free(d);
  }
  gw_term_result_free(reused);
}

/* matches_only: the same matches, nothing else judged. */
/* Options are read by version: a version-1 caller (year only) still works;
 * an unknown version is refused. */
static void test_options_versions(gw_terms *t) {
  struct { unsigned version; int year; } v1 = {1, 2023};
  gw_document *d = doc_file(corpus_files[3]);
  gw_term_result *r = NULL;
  CHECK(gw_terms_match(&r, t, d, (const gw_terms_options *)(const void *)&v1, NULL) == GW_OK);
  CHECK(gw_term_result_year(r) == 2023 && gw_term_result_match_count(r) > 0);
  gw_term_result_free(r);
  gw_terms_options o = GW_TERMS_OPTIONS_INIT;
  o.version = GW_TERMS_OPTIONS_VERSION + 1;
  r = NULL;
  CHECK(gw_terms_match(&r, t, d, &o, NULL) == GW_EINVAL && r == NULL);
  o.version = 0;
  CHECK(gw_terms_match(&r, t, d, &o, NULL) == GW_EINVAL);
  gw_document_free(d);
}

static void test_matches_only(gw_terms *t) {
  gw_terms_options o = GW_TERMS_OPTIONS_INIT;
  o.matches_only = 1;
  for (size_t f = 0; f < 5; f++) {
    gw_document *d = doc_file(corpus_files[f]);
    gw_term_result *full = match(t, d, 0), *only = NULL;
    CHECK(gw_terms_match(&only, t, d, &o, NULL) == GW_OK);
    CHECK_EQ_SIZE(gw_term_result_match_count(only), gw_term_result_match_count(full));
    int same = 1;
    for (size_t i = 0; i < gw_term_result_match_count(full); i++)
      same &= memcmp(gw_term_result_match_at(full, i), gw_term_result_match_at(only, i),
                     sizeof(gw_term_match)) == 0;
    CHECK(same);
    CHECK_EQ_SIZE(gw_term_result_broken_count(only), 0);
    CHECK_EQ_SIZE(gw_term_result_outdated_count(only), 0);
    CHECK(gw_term_result_year(only) == 0);
    if (f == 4) CHECK(gw_term_result_broken_count(full) > 0); /* so the above can fail */
    gw_term_result_free(full);
    gw_term_result_free(only);
    gw_document_free(d);
  }
}

/* ---- generated names, stale campaigns, renamed institutions (issue 14) ---- */

/* The one counted match of text, or NULL. */
static const gw_term *only_term(gw_terms *t, const char *text, int year, gw_term_result **out) {
  gw_document *d = doc_from(text);
  gw_term_result *r = match(t, d, year);
  const gw_term *found = NULL;
  size_t counted = 0;
  for (size_t i = 0; i < gw_term_result_match_count(r); i++) {
    const gw_term_match *m = gw_term_result_match_at(r, i);
    if (m->kind != GW_TERM_COUNTED) continue;
    counted++;
    found = gw_terms_term_at(t, m->term);
  }
  gw_document_free(d);
  if (counted != 1) fprintf(stderr, "%s: %zu counted matches\n", text, counted);
  CHECK(counted == 1);
  if (out) *out = r;
  else gw_term_result_free(r);
  return counted == 1 ? found : NULL;
}

static void test_generated_names(gw_terms *t) {
  static const char *const numbers[] = {"十五", "十六", "十七", "十八", "十九", "二十",
                                        "二十一", "二十二", "三十"};
  static const char *const plenums[] = {"一", "二", "三", "四", "五", "六", "七"};
  char text[256];
  for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
    int number = 15 + (int)i;
    if (i >= 6) number = i == 6 ? 21 : i == 7 ? 22 : 30;
    /* every form of a congress is one term, its year known once it met */
    static const char *const forms[] = {"党的%s大", "%s大精神", "党的%s大精神", "中共%s大"};
    size_t term = GW_NO_OFFSET;
    for (size_t k = 0; k < 4; k++) {
      char form[64];
      snprintf(form, sizeof form, forms[k], numbers[i]);
      snprintf(text, sizeof text, "深入学习贯彻%s，", form);
      const gw_term *g = only_term(t, text, 0, NULL);
      size_t idx = gw_terms_find(t, form, strlen(form));
      CHECK(idx != GW_NO_OFFSET && g == gw_terms_term_at(t, idx));
      if (k == 0) term = idx;
      CHECK(idx == term);
      if (g) CHECK((g->introduced != 0) == (number <= 20));
      if (g) CHECK(g->generated == (number > 20));
    }
    for (size_t y = 0; y < 7; y++) {
      snprintf(text, sizeof text, "学习%s届%s中全会精神", numbers[i], plenums[y]);
      const gw_term *g = only_term(t, text, 0, NULL);
      /* held plenums are dated (the 20th term's fifth is not held yet) */
      int held = number < 20 || (number == 20 && y < 4);
      if (g) CHECK((g->introduced != 0) == held);
    }
  }
  const gw_term *g = gw_terms_term_at(t, gw_terms_find(t, "党的二十大", strlen("党的二十大")));
  CHECK(g && g->introduced == 2022 && g->introduced_month == 10);
  g = gw_terms_term_at(t, gw_terms_find(t, "二十届三中全会", strlen("二十届三中全会")));
  CHECK(g && g->introduced == 2024 && g->introduced_month == 7);
  /* digits, the formal name, and the future */
  CHECK(gw_terms_find(t, "20届3中全会", strlen("20届3中全会")) ==
        gw_terms_find(t, "二十届三中全会", strlen("二十届三中全会")));
  CHECK(gw_terms_find(t, "中国共产党第二十次全国代表大会", strlen("中国共产党第二十次全国代表大会")) ==
        gw_terms_find(t, "党的二十大", strlen("党的二十大")));
  CHECK(gw_terms_find(t, "二十届中央委员会第四次全体会议", strlen("二十届中央委员会第四次全体会议")) ==
        gw_terms_find(t, "二十届四中全会", strlen("二十届四中全会")));
  g = gw_terms_term_at(t, gw_terms_find(t, "二十一届三中全会", strlen("二十一届三中全会")));
  CHECK(g && g->generated && g->introduced == 0 && strcmp(g->text, "党的二十一届三中全会") == 0);
  /* plans, the two sessions, local congresses */
  g = only_term(t, "编制“十四五”规划", 0, NULL);
  CHECK(g && strcmp(g->text, "第十四个五年规划") == 0 && g->introduced == 2021 && g->ended == 2025);
  CHECK(gw_terms_find(t, "第十五个五年规划", strlen("第十五个五年规划")) != GW_NO_OFFSET);
  g = only_term(t, "传达学习全国两会精神", 0, NULL);
  CHECK(g && strcmp(g->text, "全国两会") == 0);
  g = only_term(t, "贯彻省第十二次党代会精神", 0, NULL);
  CHECK(g && strcmp(g->text, "省第十二次党代会") == 0);
  /* not names */
  gw_document *d = doc_from("十大举措、三大任务、二十届十中全会");
  gw_term_result *r = match(t, d, 0);
  CHECK(gw_term_result_match_count(r) == 0);
  gw_term_result_free(r);
  gw_document_free(d);
  /* a file that does not ask for names gets none */
  gw_terms *plain = terms_from("党的二十大精神\t会议精神\n");
  CHECK_EQ_SIZE(gw_terms_term_count(plain), 1);
  CHECK(gw_terms_find(plain, "二十届三中全会", strlen("二十届三中全会")) == GW_NO_OFFSET);
  gw_terms_free(plain);
}

static size_t outdated_of(gw_terms *t, const char *text, int year, gw_outdated_kind *kind) {
  gw_document *d = doc_from(text);
  gw_term_result *r = match(t, d, year);
  size_t n = gw_term_result_outdated_count(r);
  if (n && kind) *kind = gw_term_result_outdated_at(r, 0)->kind;
  gw_term_result_free(r);
  gw_document_free(d);
  return n;
}

static size_t stale_of(gw_terms *t, const char *text, int year) {
  gw_document *d = doc_from(text);
  gw_term_result *r = match(t, d, year);
  size_t n = gw_term_result_stale_count(r);
  if (n) {
    const gw_stale_formulation *st = gw_term_result_stale_at(r, 0);
    const gw_term_match *m = gw_term_result_match_at(r, st->match);
    CHECK(m && m->term == st->term && st->ended > 0 && year > st->ended);
  }
  CHECK(gw_term_result_stale_at(r, n) == NULL);
  gw_term_result_free(r);
  gw_document_free(d);
  return n;
}

/* A meeting is outdated once the next congress met, where it is cited as
 * the guide, not where history is recalled. */
static void test_meeting_frames(gw_terms *t) {
  gw_outdated_kind kind = GW_OUTDATED_SUPERSEDED;
  CHECK_EQ_SIZE(outdated_of(t, "深入学习贯彻党的十九大精神。", 2025, &kind), 1);
  CHECK(kind == GW_OUTDATED_MEETING);
  CHECK_EQ_SIZE(outdated_of(t, "深入学习贯彻党的十九大精神。", 2022, NULL), 0);
  CHECK_EQ_SIZE(outdated_of(t, "以十九届五中全会精神为指导。", 2023, NULL), 1);
  CHECK_EQ_SIZE(outdated_of(t, "回顾党的十九大以来的五年。", 2025, NULL), 0);
  CHECK_EQ_SIZE(outdated_of(t, "党的十九大召开以来，我们坚持……", 2025, NULL), 0);
  CHECK_EQ_SIZE(outdated_of(t, "党的十八大以来，全面从严治党取得成效。", 2025, NULL), 0);
  CHECK_EQ_SIZE(outdated_of(t, "深入学习贯彻党的二十大和二十届三中全会精神。", 2025, NULL), 0);
  /* a congress not yet held succeeds nothing */
  CHECK_EQ_SIZE(outdated_of(t, "深入学习贯彻党的二十大精神。", 2040, NULL), 0);
}

static void test_stale_campaigns(gw_terms *t) {
  const char *ongoing = "深入推进“不忘初心、牢记使命”主题教育。";
  CHECK_EQ_SIZE(stale_of(t, ongoing, 2024), 1);
  CHECK_EQ_SIZE(stale_of(t, ongoing, 2019), 0);
  CHECK_EQ_SIZE(stale_of(t, ongoing, 2020), 0);
  CHECK_EQ_SIZE(stale_of(t, "扎实开展党纪学习教育。", 2025), 1);
  CHECK_EQ_SIZE(stale_of(t, "扎实开展党纪学习教育。", 2024), 0);
  CHECK_EQ_SIZE(stale_of(t, "正在开展党史学习教育。", 2023), 1);
  /* cited as done */
  CHECK_EQ_SIZE(stale_of(t, "2019年开展了“不忘初心、牢记使命”主题教育。", 2024), 0);
  CHECK_EQ_SIZE(stale_of(t, "巩固深化党史学习教育成果。", 2023), 0);
  CHECK_EQ_SIZE(stale_of(t, "党纪学习教育开展以来，", 2025), 0);
  /* no verb of either kind: not judged */
  CHECK_EQ_SIZE(stale_of(t, "党纪学习教育。", 2025), 0);
  CHECK_EQ_SIZE(stale_of(t, "持续推进政法队伍教育整顿。", 2023), 1);
  CHECK_EQ_SIZE(stale_of(t, "深入推进深入贯彻中央八项规定精神学习教育。", 2026), 1);
  CHECK_EQ_SIZE(stale_of(t, "深入推进深入贯彻中央八项规定精神学习教育。", 2025), 0);
}

static void test_renamed_institutions(gw_terms *t) {
  gw_outdated_kind kind = GW_OUTDATED_SUPERSEDED;
  CHECK_EQ_SIZE(outdated_of(t, "区卫生计生局牵头。", 2020, &kind), 1);
  CHECK(kind == GW_OUTDATED_RENAMED);
  CHECK_EQ_SIZE(outdated_of(t, "区卫生计生局牵头。", 2018, NULL), 0);
  CHECK_EQ_SIZE(outdated_of(t, "由原卫生计生局牵头。", 2020, NULL), 0);
  CHECK_EQ_SIZE(outdated_of(t, "县国土资源局、环保局配合。", 2019, NULL), 2);
  CHECK_EQ_SIZE(outdated_of(t, "县自然资源局、生态环境局配合。", 2019, NULL), 0);
  CHECK_EQ_SIZE(outdated_of(t, "县扶贫办牵头。", 2021, NULL), 0);
  CHECK_EQ_SIZE(outdated_of(t, "县扶贫办牵头。", 2022, NULL), 1);
  CHECK_EQ_SIZE(outdated_of(t, "县乡村振兴局牵头。", 2022, NULL), 0);
  CHECK_EQ_SIZE(outdated_of(t, "县乡村振兴局牵头。", 2024, &kind), 1);
  CHECK(kind == GW_OUTDATED_RENAMED);
  /* the term names its successor and the year */
  gw_document *d = doc_from("市工商局开展检查。");
  gw_term_result *r = match(t, d, 2020);
  const gw_outdated_formulation *o = gw_term_result_outdated_at(r, 0);
  CHECK(o && o->since == 2018 &&
        strcmp(gw_terms_term_at(t, o->successor)->text, "市场监督管理局") == 0);
  gw_term_result_free(r);
  gw_document_free(d);
  CHECK(strcmp(gw_outdated_kind_name(GW_OUTDATED_RENAMED), "renamed") == 0);
}

/* The example sentence of a match: its own sentence, body or heading (a
 * heading's first sentence; the ones after it in its paragraph are body). */
static void test_example_sentence(gw_terms *t) {
  const char *text = "关于落实意识形态工作责任制的报告\n一、意识形态工作责任制落实情况\n"
                     "我局高度重视。全面落实意识形态工作责任制，压实责任！其他工作。\n"
                     "（一）意识形态工作责任制。加强组织领导。\n"
                     "（二）加强组织领导。层层落实意识形态工作责任制。\n";
  gw_document *d = doc_from(text);
  gw_term_result *r = match(t, d, 0);
  size_t idx = gw_terms_find(t, "意识形态工作责任制", strlen("意识形态工作责任制"));
  size_t len, body = 0, heads = 0;
  const char *norm = gw_document_normalized(d, &len);
  for (size_t i = 0; i < gw_term_result_match_count(r); i++) {
    const gw_term_match *m = gw_term_result_match_at(r, i);
    if (m->term != idx) continue;
    gw_range sentence;
    int rc = gw_term_match_sentence(&sentence, d, m);
    CHECK(rc == 0 || rc == 1);
    const char *want = body ? "层层落实意识形态工作责任制。"
                            : "全面落实意识形态工作责任制，压实责任！";
    if (rc == 1) {
      body++;
      CHECK_STRN(norm + sentence.norm_start, sentence.norm_end - sentence.norm_start, want);
      CHECK_STRN(text + sentence.start, sentence.end - sentence.start, want);
    } else {
      heads++;
    }
  }
  CHECK_EQ_SIZE(body, 2);
  CHECK_EQ_SIZE(heads, 3);
  gw_range unused;
  CHECK(gw_term_match_sentence(&unused, d, NULL) == GW_EINVAL);
  gw_term_result_free(r);
  gw_document_free(d);
}

/* Format 2: its columns and directives, and their errors (file:line). */
static void test_format_2(void) {
  expect_format_error("a\tb\t\t\t\t\t2020\n", "bad.tsv:1: too many columns");
  expect_format_error("@format\t2\na\tb\t\t\t\t\tseven\n", "bad.tsv:2: ended must be a year");
  expect_format_error("@format\t2\na\tb\t\t2020\t\t\t2019\n", "bad.tsv:2: ended comes before");
  expect_format_error("@format\t3\n", "bad.tsv:1: @format must be 1 or 2");
  expect_format_error("a\tb\n@format\t2\n", "bad.tsv:2: @format must come before");
  expect_format_error("@names\tcongress\t会议精神\n", "bad.tsv:1: @names needs @format 2");
  expect_format_error("@format\t2\n@names\tsynod\tx\n", "bad.tsv:2: @names: unknown kind");
  expect_format_error("@format\t2\n\n@names\tcongress\n", "bad.tsv:3: expected @names");
  expect_format_error("@frmat\t2\n", "bad.tsv:1: unknown directive");
  expect_format_error("@format\t2\na\tb\t\t2022-13\n", "bad.tsv:2: introduced year out of range");
  expect_format_error("a\tb\t\t2022-10\n", "bad.tsv:1: introduced must be a year");
  gw_terms *t = terms_from("@format\t2\n@names\tcongress\t会议精神\n"
                           "党的二十大精神\t会议精神\t\t2022-10\n党的十九大\t会议精神\t\t2017-10\n"
                           "某专项行动\t活动\t\t2019\t\t\t2020\n");
  /* two listed congresses, the others generated */
  CHECK_EQ_SIZE(gw_terms_term_count(t), 3 + GW_TEST_CONGRESSES - 2);
  const gw_term *old = gw_terms_term_at(t, 1);
  CHECK(old && old->superseded_by && strcmp(old->superseded_by, "党的二十大精神") == 0);
  CHECK(gw_terms_term_at(t, 2)->ended == 2020 && gw_terms_term_at(t, 0)->introduced_month == 10);
  /* a failed file takes its @names back */
  gw_error err;
  const char *bad = "@format\t2\n@names\tplenum\t会议精神\nx\n";
  CHECK(gw_terms_add_buffer(t, "b.tsv", bad, strlen(bad), &err) == GW_EFORMAT);
  CHECK(gw_terms_find(t, "二十届三中全会", strlen("二十届三中全会")) == GW_NO_OFFSET);
  CHECK_EQ_SIZE(gw_terms_term_count(t), 3 + GW_TEST_CONGRESSES - 2);
  gw_terms_free(t);
}

/* Official spans: the range of every match, the memory reused from one
 * document to the next, and none without a dictionary. */
static void test_official_spans(gw_terms *t) {
  gw_document *rich = doc_from("全面落实意识形态工作责任制，坚持以人民为中心的发展思想。\n"
                               "落实意识形态工作责任制。\n");
  gw_document *plain = doc_from("今天天气很好。\n");
  gw_range *spans = NULL;
  gw_term_result *scratch = NULL;
  size_t n = 99;
  CHECK(gw_terms_official_spans(&spans, &n, &scratch, t, rich, NULL) == GW_OK);
  gw_term_result *r = match(t, rich, 0);
  CHECK(n >= 3 && n == gw_term_result_match_count(r));
  for (size_t i = 0; i < n && i < gw_term_result_match_count(r); i++) {
    const gw_range *want = &gw_term_result_match_at(r, i)->range;
    CHECK(spans[i].start == want->start && spans[i].end == want->end &&
          spans[i].norm_start == want->norm_start && spans[i].norm_end == want->norm_end);
  }
  gw_term_result_free(r);
  CHECK(gw_terms_official_spans(&spans, &n, &scratch, t, plain, NULL) == GW_OK);
  CHECK_EQ_SIZE(n, 0);
  CHECK(gw_terms_official_spans(&spans, &n, &scratch, t, rich, NULL) == GW_OK);
  CHECK(n >= 3);
  n = 99;
  CHECK(gw_terms_official_spans(&spans, &n, &scratch, NULL, rich, NULL) == GW_OK);
  CHECK_EQ_SIZE(n, 0);
  gw_free(spans);
  gw_term_result_free(scratch);
  gw_document_free(rich);
  gw_document_free(plain);
}

/* A dictionary too large for the automaton's transition table (cells of
 * state by character class, DFA_MAX_CELLS) steps through the transition
 * hash instead: dict/terms.tsv with 1,500 filler terms of characters no
 * report has (CJK Extension A) finds on every report of corpus/ exactly
 * what dict/terms.tsv alone finds through its table. */
static void test_large_dictionary(gw_terms *t) {
  char path[1024];
  snprintf(path, sizeof path, "%s/terms.tsv", GW_DICT_SOURCE_DIR);
  gw_terms *big = NULL;
  gw_error err;
  CHECK(gw_terms_load_file(&big, path, &err) == GW_OK);
  size_t cap = 1500 * 16 + 1, n = 0;
  char *filler = malloc(cap);
  CHECK(filler != NULL);
  if (!big || !filler) {
    free(filler);
    gw_terms_free(big);
    return;
  }
  for (int k = 0; k < 1500; k++) {
    char a[4], b[4];
    int32_t cp = 0x3400 + 2 * k;
    a[0] = (char)(0xE0 | (cp >> 12)); a[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    a[2] = (char)(0x80 | (cp & 0x3F)); a[3] = 0;
    cp++;
    b[0] = (char)(0xE0 | (cp >> 12)); b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[2] = (char)(0x80 | (cp & 0x3F)); b[3] = 0;
    n += (size_t)snprintf(filler + n, cap - n, "%s%s\tx\n", a, b);
  }
  CHECK(gw_terms_add_buffer(big, "filler.tsv", filler, n, &err) == GW_OK);
  free(filler);
  for (size_t f = 0; f < sizeof corpus_files / sizeof *corpus_files; f++) {
    gw_document *d = doc_file(corpus_files[f]);
    gw_term_result *small_r = match(t, d, 0), *big_r = match(big, d, 0);
    size_t nm = gw_term_result_match_count(small_r);
    CHECK(nm > 0);
    CHECK_EQ_SIZE(gw_term_result_match_count(big_r), nm);
    CHECK_EQ_SIZE(gw_term_result_broken_count(big_r), gw_term_result_broken_count(small_r));
    for (size_t i = 0; i < nm && i < gw_term_result_match_count(big_r); i++) {
      const gw_term_match *x = gw_term_result_match_at(small_r, i);
      const gw_term_match *y = gw_term_result_match_at(big_r, i);
      CHECK(strcmp(gw_terms_term_at(t, x->term)->text, gw_terms_term_at(big, y->term)->text) == 0);
      CHECK(x->kind == y->kind && x->form == y->form && x->outer == y->outer);
      CHECK(x->range.start == y->range.start && x->range.end == y->range.end);
    }
    gw_term_result_free(small_r);
    gw_term_result_free(big_r);
    gw_document_free(d);
  }
  gw_terms_free(big);
}

int main(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/noise.txt", GW_DICT_SOURCE_DIR);
  CHECK(gw_noise_load_file(&noise, path, NULL) == GW_OK);
  CHECK(gw_normalizer_new(&normalizer, NULL) == GW_OK);
  test_format();
  test_separators();
  test_nested();
  test_no_term();
  test_offsets();
  test_format_2();
  gw_terms *t = load_dict();
  if (t) {
    test_golden_counts(t);
    test_all_found(t);
    test_noise_never_counts(t);
    test_broken(t);
    test_outdated_and_year(t);
    test_threads(t);
    test_rematch(t);
    test_matches_only(t);
    test_options_versions(t);
    test_generated_names(t);
    test_meeting_frames(t);
    test_stale_campaigns(t);
    test_renamed_institutions(t);
    test_example_sentence(t);
    test_official_spans(t);
    test_large_dictionary(t);
  }
  gw_terms_free(t);
  gw_noise_free(noise);
  gw_normalizer_free(normalizer);
  return gw_test_report();
}
