/* Documents: loading the corpus end to end, removals and structure mapped
 * back to the original bytes, the same normalized view from GB18030,
 * UTF-16, CRLF and traditional-character copies, options and errors. */
#include <iconv.h>
#include <stdlib.h>

#include "harness.h"
#include "stages.h"

static const char *const seeds[] = {
  "000_c510bc378b158120.txt", "001_84632f9a43899128.txt",
  "002_1aded01d7d411218.txt", "003_1973e543c9b997a8.txt",
  "004_c0ae98798d36dd3b.txt",
};
#define SEED_COUNT (sizeof seeds / sizeof seeds[0])

static gw_normalizer *nz;
static gw_noise *noise;
static gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;

/* ---- helpers ---- */

static void seed_path(char *out, size_t size, size_t i) {
  snprintf(out, size, "%s/%s", GW_CORPUS_DIR, seeds[i]);
}

static char *read_seed(size_t i, size_t *len) {
  char path[512];
  seed_path(path, sizeof path, i);
  unsigned char *b = NULL;
  gw_error err;
  if (gw_read_file(path, &b, len, &err) != GW_OK) {
    fprintf(stderr, "%s\n", err.message);
    exit(1);
  }
  char *s = strndup((const char *)b, *len);
  free(b);
  return s;
}

static char *convert(const char *to, const char *from, const char *in,
                     size_t in_len, size_t *out_len) {
  iconv_t cd = iconv_open(to, from);
  size_t cap = in_len * 4 + 16;
  char *out = malloc(cap), *ip = (char *)in, *op = out;
  size_t il = in_len, ol = cap;
  if (cd == (iconv_t)-1 || !out || iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
    fprintf(stderr, "iconv %s -> %s failed\n", from, to);
    exit(1);
  }
  iconv_close(cd);
  *out_len = cap - ol;
  return out;
}

static gw_document *load(const char *name, const void *data, size_t len,
                         const gw_document_options *o) {
  gw_document *doc = NULL;
  gw_error err;
  int rc = gw_document_load_buffer(&doc, name, data, len, o, &err);
  CHECK(rc == GW_OK);
  if (rc != GW_OK) fprintf(stderr, "load %s: %s\n", name, err.message);
  return doc;
}

static int same_normalized(const gw_document *a, const gw_document *b) {
  size_t la, lb;
  const char *ta = gw_document_normalized(a, &la);
  const char *tb = gw_document_normalized(b, &lb);
  return la == lb && memcmp(ta, tb, la) == 0;
}

/* The original bytes of a normalized range, as UTF-8 (converted from the
 * document's encoding). */
static char *original_utf8(const gw_document *doc, size_t start, size_t end,
                           const char *encoding) {
  size_t olen;
  const char *orig = gw_document_original(doc, &olen);
  if (!encoding) return strndup(orig + start, end - start);
  size_t n;
  char *u = convert("UTF-8", encoding, orig + start, end - start, &n);
  char *s = strndup(u, n);
  free(u);
  return s;
}

/* Folds the normalized view makes in the corpus, applied to original
 * slices before comparing. */
static void fold_known(char **s) {
  static const char *const folds[][2] = {
    {"100％", "100%"}, {"＋", "+"}, {"以 “", "以“"}, {"98% 。", "98%。"},
  };
  for (size_t k = 0; k < sizeof folds / sizeof folds[0]; k++) {
    char *p;
    while ((p = strstr(*s, folds[k][0])) != NULL) {
      size_t fl = strlen(folds[k][0]), tl = strlen(folds[k][1]);
      memcpy(p, folds[k][1], tl);
      memmove(p + tl, p + fl, strlen(p + fl) + 1);
    }
  }
}

/* Every paragraph's original range holds the paragraph's normalized text
 * (up to the known folds); `encoding` is the iconv name of the document's
 * encoding, or NULL for UTF-8. */
static int paragraphs_map_back(const gw_document *doc, const char *encoding) {
  size_t nlen;
  const char *norm = gw_document_normalized(doc, &nlen);
  int ok = gw_document_paragraph_count(doc) > 0;
  for (size_t i = 0; i < gw_document_paragraph_count(doc); i++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, i);
    char *orig = original_utf8(doc, p->range.start, p->range.end, encoding);
    fold_known(&orig);
    char *n = strndup(norm + p->range.norm_start,
                      p->range.norm_end - p->range.norm_start);
    if (strcmp(orig, n) != 0) {
      fprintf(stderr, "%s: paragraph %zu maps to \"%.60s\"\n",
              gw_document_name(doc), i, orig);
      ok = 0;
    }
    free(orig);
    free(n);
  }
  return ok;
}

/* Every normalized character maps to the original bytes of one character,
 * the same one unless it was folded. */
static int characters_map_back(const gw_document *doc) {
  size_t nlen, olen;
  const char *norm = gw_document_normalized(doc, &nlen);
  const char *orig = gw_document_original(doc, &olen);
  size_t folded = 0;
  for (size_t i = 0; i < nlen;) {
    int32_t cp, ocp;
    size_t n = gw_utf8_next((const unsigned char *)norm + i, nlen - i, &cp);
    size_t s = gw_document_to_original(doc, i);
    size_t e = gw_document_to_original_end(doc, i + n);
    if (cp != '\n') {
      if (e <= s || e > olen) return 0;
      size_t on = gw_utf8_next((const unsigned char *)orig + s, e - s, &ocp);
      if (on != e - s) return 0; /* exactly one character */
      if (ocp != cp) {
        if (!((cp == '%' && ocp == 0xFF05) || (cp == '+' && ocp == 0xFF0B)))
          return 0;
        folded++;
      }
    } else if (!(e > s && (orig[s] == '\n' || orig[s] == '\r'))) {
      return 0;
    }
    i += n;
  }
  return folded <= 2;
}

/* ---- tests ---- */

static void test_corpus(void) {
  for (size_t i = 0; i < SEED_COUNT; i++) {
    char path[512];
    seed_path(path, sizeof path, i);
    gw_document *doc = NULL;
    gw_error err;
    CHECK(gw_document_load_file(&doc, path, &opts, &err) == GW_OK);
    if (!doc) {
      fprintf(stderr, "%s\n", err.message);
      continue;
    }
    CHECK(strcmp(gw_document_name(doc), path) == 0);
    CHECK(gw_document_encoding(doc) == GW_ENCODING_UTF8);
    CHECK_EQ_SIZE(gw_document_replacements(doc), 0);
    size_t olen, tlen, nlen;
    const char *orig = gw_document_original(doc, &olen);
    const char *text = gw_document_text(doc, &tlen);
    const char *norm = gw_document_normalized(doc, &nlen);
    /* UTF-8 without BOM is used in place: no copy of the text. */
    CHECK(text == orig && tlen == olen);
    CHECK(nlen > 0 && norm[nlen] == '\0');
    CHECK(gw_document_char_count(doc) > nlen / 4);
    CHECK(paragraphs_map_back(doc, NULL));
    CHECK(characters_map_back(doc));
    CHECK_EQ_SIZE(gw_document_to_text(doc, nlen), tlen);
    CHECK_EQ_SIZE(gw_document_text_to_original(doc, 5), 5);
    /* The first paragraph is the title or the opening; the outline is
     * there. */
    CHECK(gw_document_paragraph_count(doc) >= 10);
    CHECK(gw_document_paragraph_at(doc, gw_document_paragraph_count(doc)) == NULL);
    /* Masks and enumerations map to the same characters. */
    for (size_t k = 0; k < gw_document_mask_count(doc); k++) {
      const gw_range *m = gw_document_mask_at(doc, k);
      CHECK(m->end - m->start == m->norm_end - m->norm_start);
      CHECK(memcmp(orig + m->start, norm + m->norm_start, m->end - m->start) == 0);
    }
    for (size_t k = 0; k < gw_document_enumeration_count(doc); k++) {
      const gw_enumeration *e = gw_document_enumeration_at(doc, k);
      CHECK(e->marker.end - e->marker.start == e->marker.norm_end - e->marker.norm_start);
      CHECK(memcmp(orig + e->marker.start, norm + e->marker.norm_start,
                   e->marker.end - e->marker.start) == 0);
      CHECK(e->paragraph < gw_document_paragraph_count(doc));
    }
    CHECK(gw_document_mask_at(doc, gw_document_mask_count(doc)) == NULL);
    CHECK(gw_document_enumeration_at(doc, gw_document_enumeration_count(doc)) == NULL);
    if (i == 0) CHECK(gw_document_mask_count(doc) >= 5);   /* **局 */
    if (i == 2) CHECK(gw_document_mask_count(doc) >= 20);  /* xxx */
    if (i != 1) CHECK_EQ_SIZE(gw_document_removal_count(doc), 0);
    gw_document_free(doc);
  }
}

/* Seed 001: the paywall markers and the four advertising lines are
 * removals, at the right original offsets; the report around them stays. */
static void test_seed_001_noise(void) {
  size_t len;
  char *text = read_seed(1, &len);
  gw_document *doc = load("001", text, len, &opts);
  if (!doc) {
    free(text);
    return;
  }
  size_t nlen;
  const char *norm = gw_document_normalized(doc, &nlen);
  CHECK_EQ_SIZE(gw_document_removal_count(doc), 6);
  const char *begin = strstr(text, "##paidbegin##");
  const char *ads = strstr(text, "【哒哒素材库】");
  const char *end = strstr(text, "##paidend##");
  CHECK(begin && ads && end);
  if (gw_document_removal_count(doc) == 6 && begin && ads && end) {
    const gw_removal *r = gw_document_removal_at(doc, 0);
    CHECK(r->kind == GW_REMOVED_NOISE && r->pattern == 0);
    CHECK_EQ_SIZE(r->range.start, (size_t)(begin - text));
    CHECK_EQ_SIZE(r->range.end, (size_t)(begin - text) + strlen("##paidbegin##"));
    CHECK_EQ_SIZE(r->range.norm_start, r->range.norm_end);
    CHECK_STRN(norm + r->range.norm_start, strlen("（三）强化宣传引导"), "（三）强化宣传引导");
    size_t at = (size_t)(ads - text);
    for (size_t k = 1; k <= 4; k++) {
      r = gw_document_removal_at(doc, k);
      CHECK(r->kind == GW_REMOVED_NOISE && r->pattern >= 2);
      CHECK_EQ_SIZE(r->range.start, at);
      const char *nl = memchr(text + at, '\n', len - at);
      CHECK(nl != NULL);
      if (!nl) break;
      CHECK_EQ_SIZE(r->range.end, (size_t)(nl - text) + 1); /* with its LF */
      char *line = strndup(text + at, r->range.end - at);
      CHECK(strstr(line, "哒哒") != NULL);
      free(line);
      at = r->range.end;
      CHECK_EQ_SIZE(r->range.norm_start, nlen); /* after 特此报告。 */
    }
    r = gw_document_removal_at(doc, 5);
    CHECK(r->kind == GW_REMOVED_NOISE && r->pattern == 1);
    CHECK_EQ_SIZE(r->range.start, (size_t)(end - text));
    CHECK_EQ_SIZE(r->range.end, (size_t)(end - text) + strlen("##paidend##"));
    CHECK(strcmp(gw_removal_kind_name(r->kind), "noise") == 0);
  }
  /* The view ends with the report's last line; the marker's paragraph
   * starts right after it in the original. */
  CHECK(nlen >= strlen("特此报告。") &&
        strcmp(norm + nlen - strlen("特此报告。"), "特此报告。") == 0);
  CHECK(strstr(norm, "哒哒") == NULL && strstr(norm, "##") == NULL);
  for (size_t i = 0; i < gw_document_paragraph_count(doc); i++) {
    const gw_paragraph *p = gw_document_paragraph_at(doc, i);
    const char *head = "（三）强化宣传引导";
    if (p->range.norm_end - p->range.norm_start >= strlen(head) &&
        memcmp(norm + p->range.norm_start, head, strlen(head)) == 0)
      CHECK_EQ_SIZE(p->range.start, (size_t)(begin - text) + strlen("##paidbegin##"));
  }
  gw_document_free(doc);
  /* Without noise patterns, nothing is removed. */
  gw_document_options bare = GW_DOCUMENT_OPTIONS_INIT;
  doc = load("001", text, len, &bare);
  if (doc) {
    CHECK_EQ_SIZE(gw_document_removal_count(doc), 0);
    CHECK(strstr(gw_document_normalized(doc, NULL), "##paidbegin##") != NULL);
    gw_document_free(doc);
  }
  doc = load("001", text, len, NULL); /* NULL options: the defaults */
  if (doc) {
    CHECK_EQ_SIZE(gw_document_removal_count(doc), 0);
    gw_document_free(doc);
  }
  free(text);
}

/* GB18030 and UTF-16 copies give the same normalized view, with original
 * offsets into their own bytes. */
static void test_encodings(void) {
  static const struct {
    const char *iconv_name;
    gw_encoding encoding;
    const char *bom;
    size_t bom_len;
  } encodings[] = {
    {"GB18030", GW_ENCODING_GB18030, "", 0},
    {"UTF-16LE", GW_ENCODING_UTF16LE, "\xff\xfe", 2},
    {"UTF-16BE", GW_ENCODING_UTF16BE, "\xfe\xff", 2},
  };
  for (size_t s = 0; s < SEED_COUNT; s += 2) { /* 000, 002, 004 */
    size_t len;
    char *text = read_seed(s, &len);
    gw_document *ref = load("utf-8", text, len, &opts);
    for (size_t k = 0; k < sizeof encodings / sizeof encodings[0]; k++) {
      size_t n;
      char *conv = convert(encodings[k].iconv_name, "UTF-8", text, len, &n);
      char *bytes = malloc(n + encodings[k].bom_len);
      memcpy(bytes, encodings[k].bom, encodings[k].bom_len);
      memcpy(bytes + encodings[k].bom_len, conv, n);
      gw_document *doc = load(encodings[k].iconv_name, bytes,
                              n + encodings[k].bom_len, &opts);
      if (doc && ref) {
        CHECK(gw_document_encoding(doc) == encodings[k].encoding);
        CHECK(same_normalized(ref, doc));
        CHECK(paragraphs_map_back(doc, encodings[k].iconv_name));
        CHECK_EQ_SIZE(gw_document_paragraph_count(doc),
                      gw_document_paragraph_count(ref));
        /* The first paragraph starts right after the BOM. */
        CHECK_EQ_SIZE(gw_document_paragraph_at(doc, 0)->range.start,
                      encodings[k].bom_len);
      }
      gw_document_free(doc);
      free(bytes);
      free(conv);
    }
    gw_document_free(ref);
    free(text);
  }
}

/* A CRLF copy: same view, paragraphs still map to their lines. */
static void test_crlf(void) {
  for (size_t s = 0; s < SEED_COUNT; s++) {
    size_t len;
    char *text = read_seed(s, &len);
    char *crlf = malloc(2 * len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
      if (text[i] == '\n') crlf[n++] = '\r';
      crlf[n++] = text[i];
    }
    gw_document *a = load("lf", text, len, &opts);
    gw_document *b = load("crlf", crlf, n, &opts);
    if (a && b) {
      CHECK(same_normalized(a, b));
      CHECK(paragraphs_map_back(b, NULL));
      CHECK(characters_map_back(b));
      for (size_t i = 1; i < gw_document_paragraph_count(b); i++) {
        const gw_paragraph *p = gw_document_paragraph_at(b, i);
        const gw_paragraph *q = gw_document_paragraph_at(b, i - 1);
        /* The previous paragraph ends before its CR, this one starts after
         * an LF (or after the marker in front of it). */
        CHECK(crlf[q->range.end] == '\r');
        CHECK(crlf[p->range.start - 1] == '\n' ||
              memcmp(crlf + p->range.start - 13, "##paidbegin##", 13) == 0);
      }
      /* The LF of the view stands for the CRLF. */
      size_t nlen;
      const char *norm = gw_document_normalized(b, &nlen);
      const char *lf = memchr(norm, '\n', nlen);
      if (lf) {
        size_t at = (size_t)(lf - norm);
        size_t os = gw_document_to_original(b, at);
        CHECK_EQ_SIZE(gw_document_to_original_end(b, at + 1) - os, 2);
        CHECK(crlf[os] == '\r' && crlf[os + 1] == '\n');
      }
      CHECK_EQ_SIZE(gw_document_removal_count(a), gw_document_removal_count(b));
    }
    gw_document_free(a);
    gw_document_free(b);
    free(crlf);
    free(text);
  }
}

/* A traditional-character copy of a paragraph of seed 000 (OpenCC s2twp)
 * normalizes to the simplified paragraph. */
static void test_traditional(void) {
  const char *simplified =
      "（一）加强组织领导。**局领导班子高度重视意识形态工作，将意识形态工作作为一项重点工作，"
      "纳入民主生活会、组织生活会、班子成员述职报告、干部年度考核、机关党建工作述职评议的内容。"
      "制定印发了《**局意识形态工作责任制实施细则》和《**党组意识形态工作责任制实施细则》，"
      "调整**局意识形态工作领导小组，主要领导任组长，带头抓意识形态工作，落实“第一责任人”责任，"
      "重要工作亲自部署、重要问题亲自过问、重大事件亲自处置；分管领导严格落实“直接责任人”责任，"
      "其他班子成员认真履行“一岗双责”，确保意识形态工作责任制落细落实、落地生根。"
      "研究制定了《**局抓宣传引导和抓业务工作一岗双责实施细则》，将主体责任落实、阵地建设管控、"
      "考核问责评判等进一步完善。";
  const char *traditional =
      "（一）加強組織領導。**局領導班子高度重視意識形態工作，將意識形態工作作為一項重點工作，"
      "納入民主生活會、組織生活會、班子成員述職報告、幹部年度考核、機關黨建工作述職評議的內容。"
      "制定印發了《**局意識形態工作責任制實施細則》和《**黨組意識形態工作責任制實施細則》，"
      "調整**局意識形態工作領導小組，主要領導任組長，帶頭抓意識形態工作，落實“第一責任人”責任，"
      "重要工作親自部署、重要問題親自過問、重大事件親自處置；分管領導嚴格落實“直接責任人”責任，"
      "其他班子成員認真履行“一崗雙責”，確保意識形態工作責任制落細落實、落地生根。"
      "研究制定了《**局抓宣傳引導和抓業務工作一崗雙責實施細則》，將主體責任落實、陣地建設管控、"
      "考核問責評判等進一步完善。";
  gw_document *s = load("s", simplified, strlen(simplified), &opts);
  gw_document *t = load("t", traditional, strlen(traditional), &opts);
  if (s && t) {
    CHECK(same_normalized(s, t));
    /* Same-length folds: every character maps to its own 3 bytes. */
    size_t nlen;
    gw_document_normalized(t, &nlen);
    CHECK_EQ_SIZE(nlen, strlen(traditional));
    CHECK_EQ_SIZE(gw_document_to_original(t, 9), 9);
    CHECK_EQ_SIZE(gw_document_to_original_end(t, 12), 12);
    CHECK_EQ_SIZE(gw_document_mask_count(t), gw_document_mask_count(s));
  }
  gw_document_free(s);
  gw_document_free(t);
  /* Without a normalizer the characters stay traditional. */
  gw_document_options no_t2s = opts;
  no_t2s.normalizer = NULL;
  t = load("t", traditional, strlen(traditional), &no_t2s);
  if (t) {
    CHECK(strstr(gw_document_normalized(t, NULL), "加強組織領導") != NULL);
    gw_document_free(t);
  }
}

static void test_options_and_errors(void) {
  gw_document *doc = (gw_document *)1;
  gw_error err;
  gw_document_options bad = GW_DOCUMENT_OPTIONS_INIT;
  bad.version = 2;
  CHECK(gw_document_load_buffer(&doc, "v2", "abc", 3, &bad, &err) == GW_EINVAL);
  CHECK(doc == NULL);
  CHECK(err.code == GW_EINVAL);
  CHECK(strncmp(err.message, "v2: ", 4) == 0 && strstr(err.message, "version 2"));
  bad.version = GW_DOCUMENT_OPTIONS_VERSION;
  bad.encoding = (gw_encoding)42;
  CHECK(gw_document_load_buffer(&doc, "e", "abc", 3, &bad, &err) == GW_EINVAL);
  char path[512];
  seed_path(path, sizeof path, 0);
  bad.version = 0;
  CHECK(gw_document_load_file(&doc, path, &bad, &err) == GW_EINVAL);
  CHECK(gw_document_load_buffer(NULL, "x", "abc", 3, NULL, &err) == GW_EINVAL);
  CHECK(gw_document_load_buffer(&doc, "x", NULL, 3, NULL, &err) == GW_EINVAL);
  CHECK(gw_document_load_file(&doc, GW_CORPUS_DIR "/no-such-file.txt", NULL,
                              &err) == GW_EIO);
  CHECK(doc == NULL);
  CHECK(strstr(err.message, "no-such-file.txt") != NULL);
  CHECK(gw_document_load_file(&doc, GW_CORPUS_DIR, NULL, &err) == GW_EISDIR);
  /* Decoding errors come through with the document's name and offset. */
  CHECK(gw_document_load_buffer(&doc, "bad.txt", "ab\xff\xfe\xfd\xfc\x80", 7,
                                NULL, &err) < 0);
  CHECK(doc == NULL);
  CHECK(strncmp(err.message, "bad.txt", 7) == 0);
  /* An empty document is a document. */
  CHECK(gw_document_load_buffer(&doc, NULL, "", 0, NULL, &err) == GW_OK);
  if (doc) {
    size_t n = 1;
    CHECK(strcmp(gw_document_normalized(doc, &n), "") == 0 && n == 0);
    CHECK(strcmp(gw_document_name(doc), "<buffer>") == 0);
    CHECK_EQ_SIZE(gw_document_paragraph_count(doc), 0);
    CHECK_EQ_SIZE(gw_document_char_count(doc), 0);
    CHECK(gw_document_paragraph_at(doc, 0) == NULL);
    CHECK(gw_document_removal_at(doc, 0) == NULL);
    gw_document_free(doc);
  }
  /* The caller's buffer is copied. */
  char buf[] = "一、工作开展情况\n加强组织领导。";
  CHECK(gw_document_load_buffer(&doc, "copy", buf, strlen(buf), NULL, &err) == GW_OK);
  if (doc) {
    memset(buf, 'x', strlen(buf));
    CHECK(strcmp(gw_document_normalized(doc, NULL), "一、工作开展情况\n加强组织领导。") == 0);
    CHECK_EQ_SIZE(gw_document_paragraph_count(doc), 2);
    CHECK(gw_document_paragraph_at(doc, 0)->heading_level == 1);
    gw_document_free(doc);
  }
  gw_document_free(NULL);
  CHECK(gw_document_paragraph_count(NULL) == 0);
}

static void test_names(void) {
  CHECK(strcmp(gw_removal_kind_name(GW_REMOVED_NOISE), "noise") == 0);
  CHECK(strcmp(gw_removal_kind_name(GW_REMOVED_PAGE_NUMBER), "page_number") == 0);
  CHECK(strcmp(gw_removal_kind_name(GW_REMOVED_PINYIN), "pinyin") == 0);
  CHECK(strcmp(gw_section_type_name(GW_SECTION_NONE), "none") == 0);
  CHECK(strcmp(gw_section_type_name(GW_SECTION_WORK_DONE), "work_done") == 0);
  CHECK(strcmp(gw_section_type_name(GW_SECTION_PROBLEMS), "problems") == 0);
  CHECK(strcmp(gw_section_type_name(GW_SECTION_NEXT_STEPS), "next_steps") == 0);
  CHECK(strcmp(gw_section_type_name(GW_SECTION_OTHER), "other") == 0);
}

/* Removals of other kinds map back too: a page number and a pinyin
 * annotation in a UTF-16 document. */
static void test_removal_offsets(void) {
  const char *utf8 = "意识形态工作\n— 2 —\n落实責(zé)任制。";
  size_t n;
  char *u16 = convert("UTF-16LE", "UTF-8", utf8, strlen(utf8), &n);
  char *bytes = malloc(n + 2);
  memcpy(bytes, "\xff\xfe", 2);
  memcpy(bytes + 2, u16, n);
  gw_document *doc = load("u16", bytes, n + 2, &opts);
  if (doc) {
    CHECK(strcmp(gw_document_normalized(doc, NULL), "意识形态工作\n落实责任制。") == 0);
    CHECK_EQ_SIZE(gw_document_removal_count(doc), 2);
    if (gw_document_removal_count(doc) == 2) {
      const gw_removal *r = gw_document_removal_at(doc, 0);
      CHECK(r->kind == GW_REMOVED_PAGE_NUMBER && r->pattern == -1);
      CHECK_EQ_SIZE(r->range.start, 2 + 2 * 7);      /* after 意识形态工作\n */
      CHECK_EQ_SIZE(r->range.end, 2 + 2 * 12);       /* — 2 — */
      r = gw_document_removal_at(doc, 1);
      CHECK(r->kind == GW_REMOVED_PINYIN);
      CHECK_EQ_SIZE(r->range.start, 2 + 2 * 16);
      CHECK_EQ_SIZE(r->range.end, 2 + 2 * 20);       /* (zé) */
      CHECK_EQ_SIZE(r->range.norm_start, strlen("意识形态工作\n落实责"));
    }
    gw_document_free(doc);
  }
  free(bytes);
  free(u16);
}

int main(void) {
  gw_error err;
  if (gw_normalizer_new(&nz, &err) != GW_OK ||
      gw_noise_load_file(&noise, GW_DICT_SOURCE_DIR "/noise.txt", &err) != GW_OK) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  opts.noise = noise;
  opts.normalizer = nz;
  test_corpus();
  test_seed_001_noise();
  test_encodings();
  test_crlf();
  test_traditional();
  test_options_and_errors();
  test_names();
  test_removal_offsets();
  gw_noise_free(noise);
  gw_normalizer_free(nz);
  return gw_test_report();
}
