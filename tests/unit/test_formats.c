/* Documents in other formats: detection by content, the text each reader
 * extracts from the fixtures of tests/data/formats (made by
 * make_fixtures.py from corpus/000) compared with its plain-text twin, the
 * same documents through gw_document, and damaged, encrypted and
 * unreadable files refused with the file named and the reason. */
#include <stdlib.h>

#include "harness.h"
#include "stages.h"

#define FIXTURES GW_FORMATS_DIR
#define SOURCE_TEXT GW_CORPUS_DIR "/000_c510bc378b158120.txt"
#define TEXT_BOX "守土有责、守土负责、守土尽责"

/* ---- helpers ---- */

static unsigned char *read_all(const char *path, size_t *len) {
  unsigned char *bytes = NULL;
  gw_error err;
  if (gw_read_file(path, &bytes, len, &err) != GW_OK) {
    fprintf(stderr, "%s\n", err.message);
    exit(1);
  }
  return bytes;
}

static const char *fixture(const char *name) {
  static char path[1024];
  snprintf(path, sizeof path, "%s/%s", FIXTURES, name);
  return path;
}

/* The non-empty lines of a text, as an array of strings. */
typedef struct lines {
  char **items;
  size_t count;
} lines;

static lines split_lines(const char *text, size_t len) {
  lines l = {calloc(len + 1, sizeof(char *)), 0};
  size_t start = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i < len && text[i] != '\n') continue;
    if (i > start) l.items[l.count++] = strndup(text + start, i - start);
    start = i + 1;
  }
  return l;
}

static lines file_lines(const char *path) {
  size_t len;
  unsigned char *b = read_all(path, &len);
  lines l = split_lines((const char *)b, len);
  free(b);
  return l;
}

static void lines_free(lines *l) {
  for (size_t i = 0; i < l->count; i++) free(l->items[i]);
  free(l->items);
}

/* The paragraphs of an extraction as lines. */
static lines extract_lines(const gw_extract *x) {
  size_t len;
  const char *text = gw_extract_text(x, &len);
  lines l = {calloc(gw_extract_paragraph_count(x) + 1, sizeof(char *)), 0};
  for (size_t i = 0; i < gw_extract_paragraph_count(x); i++) {
    const gw_extract_paragraph *p = gw_extract_paragraph_at(x, i);
    CHECK(p->end <= len && text[p->end] == '\n');
    l.items[l.count++] = strndup(text + p->start, p->end - p->start);
  }
  return l;
}

static int check_lines_equal(const lines *got, const lines *want,
                             const char *what) {
  int ok = got->count == want->count;
  for (size_t i = 0; ok && i < got->count; i++)
    ok = strcmp(got->items[i], want->items[i]) == 0;
  if (!ok) {
    fprintf(stderr, "%s: %zu paragraphs, %zu expected\n", what, got->count,
            want->count);
    for (size_t i = 0; i < got->count || i < want->count; i++)
      fprintf(stderr, "  got  %.60s\n  want %.60s\n",
              i < got->count ? got->items[i] : "-",
              i < want->count ? want->items[i] : "-");
  }
  CHECK(ok);
  return ok;
}

/* Drop spaces (PDF layout puts them after numbers and in 2023 年). */
static char *without_spaces(const char *s) {
  char *out = strdup(s), *o = out;
  for (; *s; s++)
    if (*s != ' ') *o++ = *s;
  *o = '\0';
  return out;
}

static gw_extract *extract_fixture(const char *name) {
  gw_extract *x = NULL;
  gw_error err;
  int rc = gw_extract_load_file(&x, fixture(name), NULL, &err);
  if (rc != GW_OK) fprintf(stderr, "%s\n", err.message);
  CHECK(rc == GW_OK);
  return x;
}

/* ---- detection ---- */

static void test_sniff(void) {
  const char *what = NULL;
  CHECK(gw_format_sniff("%PDF-1.7\n", 9, NULL) == GW_FORMAT_PDF);
  CHECK(gw_format_sniff("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0", 10, NULL) ==
        GW_FORMAT_DOC);
  CHECK(gw_format_sniff("PK\x03\x04\x14\0", 6, NULL) == GW_FORMAT_DOCX);
  CHECK(gw_format_sniff("\xef\xbb\xbf  <!DOCTYPE html><html>", 27, NULL) ==
        GW_FORMAT_HTML);
  CHECK(gw_format_sniff("<div>x</div><body>", 18, NULL) == GW_FORMAT_HTML);
  CHECK(gw_format_sniff("一、工作开展情况\n", 25, NULL) == GW_FORMAT_TEXT);
  CHECK(gw_format_sniff("", 0, NULL) == GW_FORMAT_TEXT);
  CHECK(gw_format_sniff("\xff\xfe\x00\x4e\x00\x00", 6, NULL) ==
        GW_FORMAT_TEXT); /* UTF-16 with BOM */
  CHECK(gw_format_sniff("\x89PNG\r\n\x1a\n\0\0", 10, &what) ==
        GW_FORMAT_UNKNOWN);
  CHECK(what && strstr(what, "PNG"));
  CHECK(gw_format_sniff("ab\0cd", 5, &what) == GW_FORMAT_UNKNOWN);
  CHECK(what && strcmp(what, "binary data") == 0);
  /* A text that mentions <html> later is still text. */
  CHECK(gw_format_sniff("报告 <html>", 13, NULL) == GW_FORMAT_TEXT);

  gw_format f;
  CHECK(gw_format_sniff_file(&f, fixture("report.docx"), NULL, NULL) == 0 &&
        f == GW_FORMAT_DOCX);
  CHECK(gw_format_sniff_file(&f, fixture("report.doc"), NULL, NULL) == 0 &&
        f == GW_FORMAT_DOC);
  CHECK(gw_format_sniff_file(&f, fixture("no-such-file"), NULL, NULL) ==
        GW_EIO);
  CHECK(strcmp(gw_format_name(GW_FORMAT_OFD), "ofd") == 0);
  CHECK(strcmp(gw_extract_part_name(GW_PART_TEXT_BOX), "text_box") == 0);
}

/* ---- each format against its twin ---- */

static void test_docx(void) {
  gw_extract *x = extract_fixture("report.docx");
  if (!x) return;
  CHECK(gw_extract_format(x) == GW_FORMAT_DOCX);
  lines got = extract_lines(x);
  lines want = file_lines(fixture("report.txt"));
  check_lines_equal(&got, &want, "report.docx");
  size_t len;
  const char *text = gw_extract_text(x, &len);
  /* deleted text, field instructions, header and footer are not read */
  CHECK(!strstr(text, "次要"));
  CHECK(!strstr(text, "HYPERLINK") && !strstr(text, "example.gov.cn"));
  CHECK(!strstr(text, "**局文件"));
  CHECK(!strstr(text, "—"));
  /* the text box once, right after its anchor */
  const char *box = strstr(text, TEXT_BOX);
  CHECK(box && !strstr(box + 1, TEXT_BOX));
  size_t tables = 0, boxes = 0, notes = 0, level1 = 0, level2 = 0;
  for (size_t i = 0; i < gw_extract_paragraph_count(x); i++) {
    const gw_extract_paragraph *p = gw_extract_paragraph_at(x, i);
    tables += p->part == GW_PART_TABLE;
    boxes += p->part == GW_PART_TEXT_BOX;
    notes += p->part == GW_PART_FOOTNOTE;
    const char *t = text + p->start;
    if (p->heading_level == 1) {
      level1++;
      /* 一、 二、 三、 rebuilt from numbering.xml */
      CHECK(strncmp(t, "一、", 6) == 0 || strncmp(t, "二、", 6) == 0 ||
            strncmp(t, "三、", 6) == 0);
    }
    if (p->heading_level == 2) {
      level2++;
      CHECK(strncmp(t, "（", 3) == 0);
    }
    if (p->part == GW_PART_TEXT_BOX)
      CHECK(i > 0 && strncmp(text + gw_extract_paragraph_at(x, i - 1)->start,
                             "在今后的工作中", 21) == 0);
  }
  CHECK_EQ_SIZE(tables, 4);
  CHECK_EQ_SIZE(boxes, 1);
  CHECK_EQ_SIZE(notes, 1);
  CHECK_EQ_SIZE(level1, 3);
  CHECK_EQ_SIZE(level2, 6);
  const gw_extract_paragraph *last =
      gw_extract_paragraph_at(x, gw_extract_paragraph_count(x) - 1);
  CHECK(last->part == GW_PART_FOOTNOTE);
  lines_free(&got);
  lines_free(&want);
  gw_extract_free(x);
}

/* report.txt as LibreOffice's conversions show it: no text box (its
 * export leaves the DrawingML shape out), the table cell of two paragraphs
 * as two; for .doc also without the automatic numbers (not rebuilt). */
static lines converted_twin(int without_numbers) {
  lines want = file_lines(fixture("report.txt"));
  lines out = {calloc(want.count + 2, sizeof(char *)), 0};
  for (size_t i = 0; i < want.count; i++) {
    const char *s = want.items[i];
    if (strcmp(s, TEXT_BOX) == 0) continue;
    if (strcmp(s, "整改 时限") == 0) {
      out.items[out.count++] = strdup("整改");
      out.items[out.count++] = strdup("时限");
      continue;
    }
    size_t skip = 0;
    if (without_numbers && (strncmp(s, "一、", 6) == 0 ||
                            strncmp(s, "二、", 6) == 0 ||
                            strncmp(s, "三、", 6) == 0))
      skip = 6;
    if (without_numbers && strncmp(s, "（", 3) == 0 &&
        strncmp(s + 6, "）", 3) == 0)
      skip = 9;
    out.items[out.count++] = strdup(s + skip);
  }
  lines_free(&want);
  return out;
}

static void test_doc(void) {
  gw_extract *x = extract_fixture("report.doc");
  if (!x) return;
  CHECK(gw_extract_format(x) == GW_FORMAT_DOC);
  lines got = extract_lines(x);
  lines want = converted_twin(1);
  check_lines_equal(&got, &want, "report.doc");
  size_t len;
  CHECK(!strstr(gw_extract_text(x, &len), "HYPERLINK"));
  CHECK(gw_extract_paragraph_at(x, got.count - 1)->part == GW_PART_FOOTNOTE);
  lines_free(&got);
  gw_extract_free(x);

  /* Kingsoft WPS writes the same binary format: read by content, the name
   * says nothing. */
  size_t n;
  unsigned char *b = read_all(fixture("report.doc"), &n);
  CHECK(gw_extract_load_buffer(&x, "报告.wps", b, n, NULL, NULL) == GW_OK);
  got = extract_lines(x);
  check_lines_equal(&got, &want, "report.wps");
  lines_free(&got);
  lines_free(&want);
  gw_extract_free(x);
  free(b);
}

static void test_pdf(void) {
  gw_extract *x = extract_fixture("report.pdf");
  if (!x) return;
  CHECK(gw_extract_format(x) == GW_FORMAT_PDF);
  CHECK(gw_extract_page_count(x) >= 2);
  lines got = extract_lines(x);
  lines want = converted_twin(0);
  for (size_t i = 0; i < got.count; i++) {
    char *s = without_spaces(got.items[i]);
    free(got.items[i]);
    got.items[i] = s;
  }
  for (size_t i = 0; i < want.count; i++) {
    char *s = without_spaces(want.items[i]);
    free(want.items[i]);
    want.items[i] = s;
  }
  /* paragraphs rebuilt across page breaks, the page number and the running
   * header dropped, the footnote moved after the body */
  check_lines_equal(&got, &want, "report.pdf");
  const gw_extract_paragraph *last =
      gw_extract_paragraph_at(x, gw_extract_paragraph_count(x) - 1);
  CHECK(last && last->part == GW_PART_FOOTNOTE && last->page == 1);
  CHECK(gw_extract_paragraph_at(x, 0)->page == 1);
  lines_free(&got);
  lines_free(&want);
  gw_extract_free(x);
}

/* The normalized view of a document file. */
static char *normalized_of(const char *path, const char *name, size_t *pars) {
  size_t n;
  unsigned char *b = read_all(path, &n);
  gw_document *doc = NULL;
  gw_error err;
  int rc = gw_document_load_buffer(&doc, name, b, n, NULL, &err);
  free(b);
  if (rc != GW_OK) {
    fprintf(stderr, "%s\n", err.message);
    CHECK(rc == GW_OK);
    return strdup("");
  }
  size_t len;
  const char *t = gw_document_normalized(doc, &len);
  char *copy = strndup(t, len);
  if (pars) *pars = gw_document_paragraph_count(doc);
  gw_document_free(doc);
  return copy;
}

/* GBK-EUC-H PDF, OFD and HTML are written from corpus/000 itself: the same
 * normalized view and paragraphs as the text file. */
static void test_same_as_source(const char *name, gw_format format) {
  gw_extract *x = extract_fixture(name);
  if (!x) return;
  CHECK(gw_extract_format(x) == format);
  size_t want_pars, got_pars;
  char *want = normalized_of(SOURCE_TEXT, "000.txt", &want_pars);
  char *got = normalized_of(fixture(name), name, &got_pars);
  if (strcmp(want, got) != 0)
    fprintf(stderr, "%s: normalized view differs:\n%.300s\n", name, got);
  CHECK(strcmp(want, got) == 0);
  CHECK_EQ_SIZE(got_pars, want_pars);
  CHECK_EQ_SIZE(gw_extract_paragraph_count(x), 15);
  free(want);
  free(got);
  gw_extract_free(x);
}

static void test_html_details(void) {
  gw_extract *x = extract_fixture("report.html");
  if (!x) return;
  size_t len;
  const char *text = gw_extract_text(x, &len);
  CHECK(!strstr(text, "首页") && !strstr(text, "版权所有") &&
        !strstr(text, "广告") && !strstr(text, "热门文章") &&
        !strstr(text, "范文网"));
  size_t headings = 0;
  for (size_t i = 0; i < gw_extract_paragraph_count(x); i++)
    headings += gw_extract_paragraph_at(x, i)->heading_level == 2;
  CHECK_EQ_SIZE(headings, 3);
  gw_extract_free(x);
}

static void test_ofd_pages(void) {
  gw_extract *x = extract_fixture("report.ofd");
  if (!x) return;
  CHECK(gw_extract_page_count(x) >= 2);
  size_t last_page = 0;
  for (size_t i = 0; i < gw_extract_paragraph_count(x); i++) {
    size_t page = gw_extract_paragraph_at(x, i)->page;
    CHECK(page >= 1 && page >= last_page);
    last_page = page;
  }
  CHECK(last_page >= 2);
  size_t len;
  CHECK(!strstr(gw_extract_text(x, &len), "- 1 -"));
  gw_extract_free(x);
}

/* ---- through gw_document: any name, offsets into the extracted text ---- */

static void test_document_reads_docx(void) {
  size_t n;
  unsigned char *b = read_all(fixture("report.docx"), &n);
  gw_document *doc = NULL;
  gw_error err;
  /* renamed .txt: still read as the Word document it is */
  int rc = gw_document_load_buffer(&doc, "renamed.txt", b, n, NULL, &err);
  CHECK(rc == GW_OK);
  free(b);
  if (rc != GW_OK) return;
  size_t olen, tlen;
  const char *original = gw_document_original(doc, &olen);
  b = read_all(fixture("report.txt"), &tlen);
  char *twin = strndup((const char *)b, tlen);
  CHECK_STRN(original, olen, twin);
  free(twin);
  free(b);
  size_t want_pars;
  char *want = normalized_of(fixture("report.txt"), "report.txt", &want_pars);
  size_t len;
  const char *norm = gw_document_normalized(doc, &len);
  CHECK_STRN(norm, len, want);
  CHECK_EQ_SIZE(gw_document_paragraph_count(doc), want_pars);
  /* offsets index the extracted text */
  const gw_paragraph *p = gw_document_paragraph(doc, 1);
  CHECK(p && p->heading_level == 1);
  if (p) CHECK_STRN(original + p->range.start, p->range.end - p->range.start,
                    "一、工作开展情况");
  free(want);
  gw_document_free(doc);

  /* a forced encoding does not apply to extracted text */
  gw_document_options opts = GW_DOCUMENT_OPTIONS_INIT;
  opts.encoding = GW_ENCODING_GB18030;
  CHECK(gw_document_load_file(&doc, fixture("report.docx"), &opts, NULL) ==
        GW_OK);
  CHECK(doc && gw_document_paragraph_count(doc) == want_pars);
  gw_document_free(doc);
}

/* ---- refusals ---- */

static void expect_failure(const char *name, const void *data, size_t len,
                           const gw_extract_options *opts, int code,
                           const char *reason) {
  gw_extract *x = NULL;
  gw_error err;
  memset(&err, 0, sizeof err);
  int rc = gw_extract_load_buffer(&x, name, data, len, opts, &err);
  if (rc != code || !strstr(err.message, name) || !strstr(err.message, reason))
    fprintf(stderr, "%s: got %d \"%s\", expected %d with \"%s\"\n", name, rc,
            err.message, code, reason);
  CHECK(rc == code);
  CHECK(x == NULL);
  CHECK(strstr(err.message, name) != NULL);
  CHECK(strstr(err.message, reason) != NULL);
  /* the same through gw_document */
  gw_document *doc = NULL;
  memset(&err, 0, sizeof err);
  if (!opts) {
    CHECK(gw_document_load_buffer(&doc, name, data, len, NULL, &err) == code);
    CHECK(doc == NULL && strstr(err.message, reason) != NULL);
  }
}

static void expect_file_failure(const char *file, int code,
                                const char *reason) {
  size_t n;
  unsigned char *b = read_all(fixture(file), &n);
  expect_failure(file, b, n, NULL, code, reason);
  free(b);
}

static void test_refusals(void) {
  size_t n;
  unsigned char *docx = read_all(fixture("report.docx"), &n);
  expect_failure("truncated.docx", docx, n / 2, NULL, GW_EDAMAGED,
                 "damaged ZIP");
  gw_extract_options few = GW_EXTRACT_OPTIONS_INIT;
  few.max_entries = 5;
  expect_failure("report.docx", docx, n, &few, GW_EDAMAGED, "ZIP bomb");
  free(docx);

  expect_file_failure("bad-nomain.docx", GW_EDAMAGED,
                      "main part word/document.xml is missing");
  expect_file_failure("bad-xml.docx", GW_EDAMAGED,
                      "word/document.xml: malformed XML");
  expect_file_failure("bad-notdoc.zip", GW_EUNSUPPORTED,
                      "ZIP archive holding no Word or OFD document");
  expect_file_failure("report-locked.pdf", GW_EENCRYPTED,
                      "password-protected PDF");
  expect_file_failure("scan.pdf", GW_ENOTEXT, "needs OCR");
  expect_file_failure("sheet.xls", GW_EUNSUPPORTED, "Excel workbook");

  /* the bomb reads under the default cap, not under a 1 MiB one */
  unsigned char *bomb = read_all(fixture("bomb.docx"), &n);
  gw_extract *x = NULL;
  CHECK(gw_extract_load_buffer(&x, "bomb.docx", bomb, n, NULL, NULL) ==
        GW_OK);
  gw_extract_free(x);
  gw_extract_options small = GW_EXTRACT_OPTIONS_INIT;
  small.max_inflated = 1 << 20;
  expect_failure("bomb.docx", bomb, n, &small, GW_EDAMAGED, "ZIP bomb");
  free(bomb);

  unsigned char *pdf = read_all(fixture("report.pdf"), &n);
  expect_failure("cut.pdf", pdf, 4000, NULL, GW_EDAMAGED, "damaged PDF");
  free(pdf);
  expect_failure("empty.pdf", "", 0, NULL, GW_EDAMAGED, "empty file");
  expect_failure("photo.jpg.txt", "\xff\xd8\xff\xe0\0\x10JFIF", 10, NULL,
                 GW_EUNSUPPORTED, "JPEG image");

  /* the Word document's encryption bit (the FIB starts a sector) */
  unsigned char *doc = read_all(fixture("report.doc"), &n);
  size_t fib = 0;
  for (size_t off = 512; off + 12 < n && !fib; off += 512)
    if (doc[off] == 0xEC && doc[off + 1] == 0xA5) fib = off;
  CHECK(fib != 0);
  expect_failure("cut.doc", doc, 2048, NULL, GW_EDAMAGED, "");
  doc[fib + 0x0B] |= 0x01;
  expect_failure("locked.doc", doc, n, NULL, GW_EENCRYPTED,
                 "password-protected Word document");
  free(doc);

  gw_extract_options bad = GW_EXTRACT_OPTIONS_INIT;
  bad.version = 99;
  expect_failure("x.docx", "PK", 2, &bad, GW_EINVAL, "version");
}

/* Damaged variants of every fixture never crash and either read or fail
 * with a message naming the file (the ZIP, XML, OLE2 and PDF paths). */
static void test_mutations(void) {
  static const char *const names[] = {"report.docx", "report.doc",
                                      "report.ofd", "report.html",
                                      "report-gbk.pdf"};
  uint64_t state = 0x9E3779B97F4A7C15u;
  for (size_t f = 0; f < sizeof names / sizeof names[0]; f++) {
    size_t n;
    unsigned char *orig = read_all(fixture(names[f]), &n);
    unsigned char *b = malloc(n);
    for (int round = 0; round < 60; round++) {
      memcpy(b, orig, n);
      size_t len = n;
      for (int k = 0; k < 1 + round % 8; k++) {
        state = state * 6364136223846793005u + 1442695040888963407u;
        size_t at = (size_t)(state >> 33) % n;
        b[at] = (unsigned char)(state >> 24);
      }
      if (round % 5 == 4) len = (size_t)(state >> 40) % n;
      gw_extract *x = NULL;
      gw_error err;
      memset(&err, 0, sizeof err);
      int rc = gw_extract_load_buffer(&x, names[f], b, len, NULL, &err);
      CHECK(rc == GW_OK ? x != NULL
                        : x == NULL && strstr(err.message, names[f]) != NULL);
      if (x) {
        size_t tl;
        const char *t = gw_extract_text(x, &tl);
        CHECK(tl == 0 || t[tl - 1] == '\n');
      }
      gw_extract_free(x);
    }
    free(b);
    free(orig);
  }
}

int main(void) {
  test_sniff();
  test_docx();
  test_doc();
  test_pdf();
  test_same_as_source("report-gbk.pdf", GW_FORMAT_PDF);
  test_same_as_source("report.ofd", GW_FORMAT_OFD);
  test_same_as_source("report.html", GW_FORMAT_HTML);
  test_html_details();
  test_ofd_pages();
  test_document_reads_docx();
  test_refusals();
  test_mutations();
  return gw_test_report();
}
