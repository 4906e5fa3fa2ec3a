/* Documents in other formats: detection by content, the text each reader
 * extracts from the fixtures of tests/data/formats (made by
 * make_fixtures.py from corpus/000) compared with its plain-text twin, the
 * same documents through gw_document, and damaged, encrypted and
 * unreadable files refused with the file named and the reason. */
#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include <zip.h>

#include "docs_module.h"
#include "formats.h"
#include "harness.h"
#include "module.h"
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

/* report.txt as LibreOffice's conversions show it.  The .doc gives it
 * whole: its text box, in the text box story, is read after the paragraph
 * holding its anchor, as in the .docx.  The PDF has no text box (its export
 * leaves the DrawingML shape out), and the table cell of two paragraphs is
 * two (the .doc reader joins a cell's paragraphs). */
static lines converted_twin(int pdf) {
  lines want = file_lines(fixture("report.txt"));
  lines out = {calloc(want.count + 2, sizeof(char *)), 0};
  for (size_t i = 0; i < want.count; i++) {
    const char *s = want.items[i];
    if (pdf && strcmp(s, TEXT_BOX) == 0) continue;
    if (pdf && strcmp(s, "整改 时限") == 0) {
      out.items[out.count++] = strdup("整改");
      out.items[out.count++] = strdup("时限");
      continue;
    }
    out.items[out.count++] = strdup(s);
  }
  lines_free(&want);
  return out;
}

/* Heading levels and parts of an extraction, counted. */
typedef struct kinds {
  size_t level[10], tables, notes;
} kinds;

static kinds count_kinds(const gw_extract *x) {
  kinds k;
  memset(&k, 0, sizeof k);
  for (size_t i = 0; i < gw_extract_paragraph_count(x); i++) {
    const gw_extract_paragraph *p = gw_extract_paragraph_at(x, i);
    if (p->heading_level >= 0 && p->heading_level <= 9)
      k.level[p->heading_level]++;
    k.tables += p->part == GW_PART_TABLE;
    k.notes += p->part == GW_PART_FOOTNOTE;
  }
  return k;
}

static void test_doc(void) {
  gw_extract *x = extract_fixture("report.doc");
  if (!x) return;
  CHECK(gw_extract_format(x) == GW_FORMAT_DOC);
  lines got = extract_lines(x);
  /* the headings' numbers (一、 （一）), which only the list tables hold,
   * are rebuilt as in the .docx */
  lines want = converted_twin(0);
  check_lines_equal(&got, &want, "report.doc");
  size_t len;
  const char *text = gw_extract_text(x, &len);
  CHECK(!strstr(text, "HYPERLINK"));
  /* the tracked deletion (a revision mark on its characters) left out, the
   * insertion kept */
  CHECK(!strstr(text, "次要") && strstr(text, "一项重要工作"));
  CHECK(gw_extract_paragraph_at(x, got.count - 1)->part == GW_PART_FOOTNOTE);
  /* the text box once, right after the paragraph holding its anchor */
  size_t boxes = 0;
  for (size_t i = 0; i < gw_extract_paragraph_count(x); i++) {
    const gw_extract_paragraph *p = gw_extract_paragraph_at(x, i);
    if (p->part != GW_PART_TEXT_BOX) continue;
    boxes++;
    CHECK(i > 0 && strncmp(text + gw_extract_paragraph_at(x, i - 1)->start,
                           "在今后的工作中", 21) == 0 &&
          strncmp(text + p->start, TEXT_BOX, strlen(TEXT_BOX)) == 0);
  }
  CHECK_EQ_SIZE(boxes, 1);
  /* heading levels from the built-in heading styles, the cells of the
   * table one paragraph each */
  kinds k = count_kinds(x);
  CHECK_EQ_SIZE(k.level[1], 3);
  CHECK_EQ_SIZE(k.level[2], 6);
  CHECK_EQ_SIZE(k.tables, 4);
  CHECK_EQ_SIZE(k.notes, 1);
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

/* lists.docx and its .doc conversion against lists.txt, the numbers the
 * generator counted itself: nine levels and their formats, counts past
 * ten, restarts, an override's start, bullets and numbering switched off. */
static void test_lists(void) {
  lines want = file_lines(fixture("lists.txt"));
  gw_extract *docx = extract_fixture("lists.docx");
  gw_extract *doc = extract_fixture("lists.doc");
  if (!docx || !doc) return;
  lines got = extract_lines(docx);
  check_lines_equal(&got, &want, "lists.docx");
  lines_free(&got);
  got = extract_lines(doc);
  check_lines_equal(&got, &want, "lists.doc");
  lines_free(&got);
  /* the same heading levels from both: outline levels and heading styles */
  CHECK_EQ_SIZE(gw_extract_paragraph_count(doc),
                gw_extract_paragraph_count(docx));
  for (size_t i = 0; i < gw_extract_paragraph_count(doc) &&
                     i < gw_extract_paragraph_count(docx); i++)
    CHECK(gw_extract_paragraph_at(doc, i)->heading_level ==
          gw_extract_paragraph_at(docx, i)->heading_level);
  kinds k = count_kinds(doc);
  CHECK_EQ_SIZE(k.level[1], 13);
  CHECK_EQ_SIZE(k.level[2], 1);
  gw_extract_free(docx);
  gw_extract_free(doc);
  lines_free(&want);
}

static void test_pdf(void) {
  gw_extract *x = extract_fixture("report.pdf");
  if (!x) return;
  CHECK(gw_extract_format(x) == GW_FORMAT_PDF);
  CHECK(gw_extract_page_count(x) >= 2);
  lines got = extract_lines(x);
  lines want = converted_twin(1);
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
  const gw_paragraph *p = gw_document_paragraph_at(doc, 1);
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

/* ---- the Word binary format's tables, damaged ---- */

/* The streams of a .doc, as gw_read_word hands them to the text reader. */
typedef struct word_streams {
  unsigned char *doc, *table, *data; /* data: the Data stream, or NULL */
  size_t doc_len, table_len, data_len;
} word_streams;

static uint32_t get16(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}
static uint32_t get32(const unsigned char *p) {
  return get16(p) | get16(p + 2) << 16;
}
static void put16(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
}
static void put32(unsigned char *p, uint32_t v) {
  put16(p, v);
  put16(p + 2, v >> 16);
}

static word_streams word_streams_of(const char *name) {
  word_streams w;
  memset(&w, 0, sizeof w);
  size_t n;
  unsigned char *bytes = read_all(fixture(name), &n);
  gw_ole *ole;
  CHECK(gw_ole_open(&ole, bytes, n, name, NULL) == GW_OK);
  CHECK(gw_ole_read(ole, "WordDocument", 1 << 24, &w.doc, &w.doc_len,
                    NULL) == GW_OK);
  const char *table = get16(w.doc + 0x0A) & 0x0200 ? "1Table" : "0Table";
  CHECK(gw_ole_read(ole, table, 1 << 24, &w.table, &w.table_len, NULL) ==
        GW_OK);
  if (gw_ole_has(ole, "Data"))
    CHECK(gw_ole_read(ole, "Data", 1 << 24, &w.data, &w.data_len, NULL) ==
          GW_OK);
  gw_ole_close(ole);
  free(bytes);
  return w;
}

static word_streams word_streams_copy(const word_streams *w) {
  word_streams c = {malloc(w->doc_len), malloc(w->table_len),
                    w->data ? malloc(w->data_len + 1) : NULL,
                    w->doc_len, w->table_len, w->data_len};
  memcpy(c.doc, w->doc, w->doc_len);
  memcpy(c.table, w->table, w->table_len);
  if (w->data) memcpy(c.data, w->data, w->data_len);
  return c;
}

static void word_streams_free(word_streams *w) {
  free(w->doc);
  free(w->table);
  free(w->data);
}

/* The FIB's FibRgFcLcb pair `index` (fcStshf 1, fcPlcfBtePapx 13,
 * fcPlfLst 73, fcPlfLfo 74): where its offset is in the WordDocument. */
static unsigned char *fib_pair(const word_streams *w, size_t index) {
  size_t off = 32;
  off += 2 + 2 * get16(w->doc + off);
  off += 2 + 4 * get16(w->doc + off);
  return w->doc + off + 2 + 8 * index;
}

/* Read the streams; rc through *rc, the paragraphs as lines. */
static lines read_word_streams(const word_streams *w, int *rc) {
  gw_text_builder b;
  memset(&b, 0, sizeof b);
  gw_error err;
  gw_word_streams streams = {w->doc, w->table, w->data,
                             w->doc_len, w->table_len, w->data_len};
  *rc = gw_read_word_streams(&streams, "damaged.doc", &b, &err);
  lines l = {calloc(b.count + 1, sizeof(char *)), 0};
  for (size_t i = 0; i < b.count; i++) {
    CHECK(b.paragraphs[i].end < b.len && b.text[b.paragraphs[i].end] == '\n');
    l.items[l.count++] = strndup(b.text + b.paragraphs[i].start,
                                 b.paragraphs[i].end - b.paragraphs[i].start);
  }
  CHECK(!b.failed);
  gw_tb_free(&b);
  return l;
}

/* The text of lists.txt, some numbers missing: the same paragraphs, each
 * the end of its twin.  Returns how many lost their number. */
static size_t check_numbers_lost(const lines *got, const lines *want,
                                 const char *what) {
  size_t lost = 0;
  int ok = got->count == want->count;
  for (size_t i = 0; ok && i < got->count; i++) {
    size_t g = strlen(got->items[i]), n = strlen(want->items[i]);
    ok = g <= n && strcmp(want->items[i] + n - g, got->items[i]) == 0;
    lost += g < n;
  }
  if (!ok) check_lines_equal(got, want, what);
  CHECK(ok);
  return lost;
}

/* Every number of lists.doc gone, every word still there. */
static void expect_unnumbered(const word_streams *w, const lines *want,
                              const char *what) {
  int rc;
  lines got = read_word_streams(w, &rc);
  CHECK(rc == GW_OK);
  size_t lost = check_numbers_lost(&got, want, what);
  if (lost != 30) fprintf(stderr, "%s: %zu numbers lost\n", what, lost);
  CHECK_EQ_SIZE(lost, 30); /* all but the bullets and the plain lines */
  lines_free(&got);
}

/* Whatever a damaged table makes of the numbers, the paragraphs are read. */
static void expect_readable(const word_streams *w, const lines *want,
                            const char *what) {
  int rc;
  lines got = read_word_streams(w, &rc);
  CHECK(rc == GW_OK);
  if (got.count != want->count) fprintf(stderr, "%s\n", what);
  CHECK_EQ_SIZE(got.count, want->count);
  lines_free(&got);
}

static void expect_same_text(const word_streams *w, const lines *want,
                             const char *what) {
  int rc;
  lines got = read_word_streams(w, &rc);
  CHECK(rc == GW_OK);
  check_lines_equal(&got, want, what);
  lines_free(&got);
}

/* Apply fn to every 4-byte sprm PAPX of the FKP pages: a sprm with a
 * given opcode gets a new operand byte. */
static size_t patch_papx_sprm(word_streams *w, uint32_t opcode,
                              unsigned char operand) {
  const unsigned char *pair = fib_pair(w, 13);
  const unsigned char *plc = w->table + get32(pair);
  size_t bins = (get32(pair + 4) - 4) / 8, patched = 0;
  for (size_t i = 0; i < bins; i++) {
    unsigned char *page = w->doc + 512 * (size_t)(get32(plc + 4 * (bins + 1) +
                                                        4 * i) & 0x3FFFFF);
    for (size_t k = 0; k + 2 < 511; k++)
      if (get16(page + k) == opcode) {
        page[k + 2] = operand;
        patched++;
      }
  }
  return patched;
}

/* The FKP pages a PlcBte (FIB pair 12: characters, 13: paragraphs) names:
 * each moved past the end of the document, or given 255 runs. */
static void damage_pages(word_streams *w, size_t pair_index, int runs) {
  const unsigned char *pair = fib_pair(w, pair_index);
  size_t plc = get32(pair), bins = (get32(pair + 4) - 4) / 8;
  CHECK(bins > 0);
  for (size_t i = 0; i < bins; i++) {
    unsigned char *pn = w->table + plc + 4 * (bins + 1) + 4 * i;
    if (runs) w->doc[512 * (size_t)get32(pn) + 511] = 255;
    else put32(pn, 0x3FFFFF);
  }
}

/* LFO overrides as Word writes them, which LibreOffice's export never
 * does: a new PlfLfo at the end of the table stream gives list 1's level 3
 * the format ① with the text "%3、", and starts list 2 at 7. */
static void test_word_list_overrides(const word_streams *orig,
                                     const lines *want) {
  word_streams w = word_streams_copy(orig);
  unsigned char *pair = fib_pair(&w, 74);
  const unsigned char *old = w.table + get32(pair);
  size_t count = get32(old);
  static const unsigned char level[] = {
      1, 0, 0, 0, 18, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0, 0x01, 0x30}; /* LVL: ①, "\2、" */
  size_t size = 4 + 16 * count + 4 * count + 8 + sizeof level + 8;
  unsigned char *table = malloc(w.table_len + size);
  memcpy(table, w.table, w.table_len);
  unsigned char *plf = table + w.table_len;
  memcpy(plf, old, 4 + 16 * count);
  plf[4 + 12] = 1;      /* LFO 1: one LFOLVL */
  plf[4 + 16 + 12] = 1; /* LFO 2: one LFOLVL */
  unsigned char *data = plf + 4 + 16 * count;
  memset(data, 0, size - 4 - 16 * count);
  put32(data + 4 + 4, 2 | 1u << 5); /* level 3, fFormatting */
  memcpy(data + 4 + 8, level, sizeof level);
  unsigned char *second = data + 4 + 8 + sizeof level;
  put32(second + 4, 7);             /* iStartAt */
  put32(second + 4 + 4, 0 | 1u << 4); /* level 1, fStartAt */
  put32(pair, (uint32_t)w.table_len);
  put32(pair + 4, (uint32_t)size);
  free(w.table);
  w.table = table;
  w.table_len += size;
  lines changed = {calloc(want->count + 1, sizeof(char *)), 0};
  static const char *const swaps[][2] = {
      {"1.第一项", "①、第一项"}, {"1.1两级编号", "①.1两级编号"},
      {"2.第二项", "②、第二项"}, {"1.下级重新计数", "①、下级重新计数"},
      {"1.另一个列表第1项", "7.另一个列表第1项"},
      {"2.另一个列表第2项", "8.另一个列表第2项"},
      {"3.另一个列表第3项", "9.另一个列表第3项"}};
  size_t swapped = 0;
  for (size_t i = 0; i < want->count; i++) {
    const char *s = want->items[i];
    for (size_t k = 0; k < sizeof swaps / sizeof swaps[0]; k++)
      if (strcmp(s, swaps[k][0]) == 0) {
        s = swaps[k][1];
        swapped++;
        break;
      }
    changed.items[changed.count++] = strdup(s);
  }
  CHECK_EQ_SIZE(swapped, 7);
  expect_same_text(&w, &changed, "lists.doc with LFO overrides");
  lines_free(&changed);
  word_streams_free(&w);
}

/* Every PAPX of the property pages with room for it made huge, as Word
 * and LibreOffice write one too large for its page: its grpprl moved to a
 * new Data stream (PrcData: cbGrpprl, grpprl) and replaced by
 * sprmPHugePapx with the offset.  Returns how many were moved. */
static size_t make_papx_huge(word_streams *w) {
  const unsigned char *pair = fib_pair(w, 13);
  const unsigned char *plc = w->table + get32(pair);
  size_t bins = (get32(pair + 4) - 4) / 8, moved = 0;
  free(w->data);
  w->data = calloc(1, 512 * bins * 64);
  w->data_len = 16; /* nothing at offset 0 */
  for (size_t i = 0; i < bins; i++) {
    unsigned char *page = w->doc + 512 * (size_t)(get32(plc + 4 * (bins + 1) +
                                                        4 * i) & 0x3FFFFF);
    size_t runs = page[511];
    for (size_t r = 0; r < runs; r++) {
      size_t bx = 2 * (size_t)page[4 * (runs + 1) + 13 * r];
      if (bx == 0) continue;
      size_t at = page[bx] ? bx + 1 : bx + 2;
      size_t len = page[bx] ? 2 * (size_t)page[bx] - 1 : 2 * (size_t)page[bx + 1];
      if (len < 2 + 6) continue; /* istd, then no room for the sprm */
      put16(w->data + w->data_len, (uint32_t)(len - 2));
      memcpy(w->data + w->data_len + 2, page + at + 2, len - 2);
      put16(page + at + 2, 0x6646);
      put32(page + at + 4, (uint32_t)w->data_len);
      if (page[bx]) page[bx] = 5; /* 9 bytes: istd, the sprm, one spare */
      else page[bx + 1] = 4;      /* 8 bytes */
      w->data_len += 2 + len - 2;
      moved++;
    }
  }
  return moved;
}

/* How many paragraphs of got lost their number: the same count of
 * paragraphs, and each of those the end of its twin. */
static size_t numbers_dropped(const lines *got, const lines *want) {
  size_t dropped = 0;
  CHECK_EQ_SIZE(got->count, want->count);
  for (size_t i = 0; i < got->count && i < want->count; i++) {
    size_t g = strlen(got->items[i]), n = strlen(want->items[i]);
    dropped += g < n && strcmp(want->items[i] + n - g, got->items[i]) == 0;
  }
  return dropped;
}

/* Huge paragraph properties are read from the Data stream: lists.doc with
 * every PAPX moved there keeps its numbers; without the Data stream, or
 * with the PrcData damaged, the paragraphs read without them. */
static void test_word_huge_papx(void) {
  lines want = file_lines(fixture("lists.txt"));
  word_streams orig = word_streams_of("lists.doc");
  word_streams w = word_streams_copy(&orig);
  size_t moved = make_papx_huge(&w);
  CHECK(moved >= 20);
  expect_same_text(&w, &want, "lists.doc, huge PAPX");
  word_streams c = word_streams_copy(&w);
  free(c.data);
  c.data = NULL;
  int rc;
  lines got = read_word_streams(&c, &rc);
  CHECK(rc == GW_OK && numbers_dropped(&got, &want) > 10);
  lines_free(&got);
  c.data = malloc(1);
  c.data_len = 1;
  got = read_word_streams(&c, &rc);
  CHECK(rc == GW_OK && numbers_dropped(&got, &want) > 10);
  lines_free(&got);
  word_streams_free(&c);
  c = word_streams_copy(&w);
  for (size_t at = 16; at + 2 <= c.data_len;) { /* cbGrpprl past the end */
    size_t cb = get16(c.data + at);
    put16(c.data + at, 0xFFFF);
    at += 2 + cb;
  }
  got = read_word_streams(&c, &rc);
  CHECK(rc == GW_OK && numbers_dropped(&got, &want) > 10);
  lines_free(&got);
  word_streams_free(&c);
  word_streams_free(&w);
  word_streams_free(&orig);
  lines_free(&want);

  /* A real one: LibreOffice writes the properties of a row of 60 cells
   * (their widths) to the Data stream; the table reads cell by cell. */
  word_streams wide = word_streams_of("wide.doc");
  CHECK(wide.data != NULL);
  size_t huge = 0;
  {
    const unsigned char *pair = fib_pair(&wide, 13);
    const unsigned char *plc = wide.table + get32(pair);
    size_t bins = (get32(pair + 4) - 4) / 8;
    for (size_t i = 0; i < bins; i++) {
      const unsigned char *page =
          wide.doc + 512 * (size_t)(get32(plc + 4 * (bins + 1) + 4 * i) &
                                    0x3FFFFF);
      for (size_t k = 0; k + 6 <= 511; k++)
        if (get16(page + k) == 0x6646 && get32(page + k + 2) + 2 <= wide.data_len)
          huge++;
    }
  }
  CHECK(huge >= 2); /* one a row */
  gw_extract *x = extract_fixture("wide.doc");
  if (x) {
    CHECK_EQ_SIZE(gw_extract_paragraph_count(x), 122);
    for (size_t i = 0; i < gw_extract_paragraph_count(x); i++) {
      const gw_extract_paragraph *p = gw_extract_paragraph_at(x, i);
      char want_text[16];
      if (i == 0 || i == 121)
        snprintf(want_text, sizeof want_text, "%s", i ? "表后" : "表前");
      else
        snprintf(want_text, sizeof want_text, "格%zu", (i - 1) % 60);
      size_t len;
      const char *text = gw_extract_text(x, &len);
      CHECK(p->end - p->start == strlen(want_text) &&
            memcmp(text + p->start, want_text, strlen(want_text)) == 0);
      CHECK(p->part == (i == 0 || i == 121 ? GW_PART_BODY : GW_PART_TABLE));
    }
  }
  gw_extract_free(x);
  word_streams_free(&wide);
}

/* Lines of `from` in the order given (indexes, -1 ends the list). */
static lines pick_lines(const lines *from, const int *order) {
  lines l = {calloc(from->count + 1, sizeof(char *)), 0};
  for (size_t i = 0; order[i] >= 0; i++)
    if ((size_t)order[i] < from->count)
      l.items[l.count++] = strdup(from->items[order[i]]);
  return l;
}

static void expect_picked(const word_streams *w, const lines *want,
                          const int *order, const char *what) {
  lines picked = pick_lines(want, order);
  expect_same_text(w, &picked, what);
  lines_free(&picked);
}

/* Text boxes: LibreOffice writes a frame's text as the text box story.
 * Each box once, after the paragraph holding its anchor (PlcftxbxTxt's lid
 * is the spid of a shape in PlcSpaMom, whose character position is the
 * anchor); then the footnote.  textbox.txt: 0 title, 1 paragraph with box
 * 1 (lines 2 and 3), 4 paragraph with box 2 (line 5), 6 last paragraph,
 * 7 footnote. */
static void test_doc_text_boxes(void) {
  gw_extract *x = extract_fixture("textbox.doc");
  if (!x) return;
  lines got = extract_lines(x);
  lines want = file_lines(fixture("textbox.txt"));
  check_lines_equal(&got, &want, "textbox.doc");
  size_t len;
  const char *text = gw_extract_text(x, &len);
  const char *box = strstr(text, TEXT_BOX);
  CHECK(box && !strstr(box + 1, TEXT_BOX));
  static const gw_extract_part parts[] = {
      GW_PART_BODY,     GW_PART_BODY,     GW_PART_TEXT_BOX,
      GW_PART_TEXT_BOX, GW_PART_BODY,     GW_PART_TEXT_BOX,
      GW_PART_BODY,     GW_PART_FOOTNOTE};
  CHECK_EQ_SIZE(gw_extract_paragraph_count(x), 8);
  for (size_t i = 0; i < 8 && i < gw_extract_paragraph_count(x); i++) {
    const gw_extract_paragraph *p = gw_extract_paragraph_at(x, i);
    CHECK(p->part == parts[i]);
    /* paragraph marks numbered in reading order, as w:p in a .docx */
    CHECK(i == 0 || p->source > gw_extract_paragraph_at(x, i - 1)->source);
  }
  lines_free(&got);
  gw_extract_free(x);

  static const int anchored[] = {0, 1, 2, 3, 4, 5, 6, 7, -1};
  static const int after_body[] = {0, 1, 4, 6, 2, 3, 5, 7, -1};
  static const int box2_deleted[] = {0, 1, 2, 3, 4, 6, 7, -1};
  static const int box2_after_body[] = {0, 1, 2, 3, 4, 6, 5, 7, -1};
  static const int swapped[] = {0, 1, 5, 4, 2, 3, 6, 7, -1};
  static const int both_first[] = {0, 1, 2, 3, 5, 4, 6, 7, -1};
  static const int both_later[] = {0, 1, 4, 5, 2, 3, 6, 7, -1};
  word_streams orig = word_streams_of("textbox.doc");
  expect_picked(&orig, &want, anchored, "textbox.doc streams");
  unsigned char *pair = fib_pair(&orig, 56);
  size_t plc = get32(pair), n = (get32(pair + 4) - 4) / 26;
  CHECK_EQ_SIZE(n, 3);
  unsigned char *spa_pair = fib_pair(&orig, 40);
  size_t spa = get32(spa_pair), shapes = (get32(spa_pair + 4) - 4) / 30;
  CHECK_EQ_SIZE(shapes, 2);
  unsigned char *lids = orig.table + spa + 4 * (shapes + 1); /* 26 each */
  size_t ftxbxs = plc + 4 * (n + 1), shape_lids = spa + 4 * (shapes + 1);
  CHECK(get32(lids) == get32(orig.table + ftxbxs + 14) &&
        get32(lids + 26) == get32(orig.table + ftxbxs + 22 + 14));

  /* Each case changes one or two numbers: 32 bits (16 where width is 2) in
   * the table stream at `at`, or, where pair is not 0, in the FIB's pair
   * `pair` at `at` (0 its offset, 4 its length). */
  const struct {
    const char *what;
    struct { size_t pair, at, width; uint32_t value; } change[2];
    const int *order;
  } cases[] = {
      /* a box Word keeps for reuse (deleted) is left out; without a usable
       * PlcftxbxTxt the story is read whole after the body */
      {"box 2 deleted", {{0, ftxbxs + 22 + 8, 2, 1}}, box2_deleted},
      {"no PlcftxbxTxt", {{56, 4, 4, 7}}, after_body}, /* no whole entry */
      {"PlcftxbxTxt past the stream",
       {{56, 0, 4, (uint32_t)orig.table_len}}, after_body},
      {"box 2 past the story", {{0, plc + 4 * 2, 4, 0xFFFFFF00u}},
       box2_deleted},
      /* without a usable PlcSpaMom every box is read after the body */
      {"no PlcSpaMom", {{40, 4, 4, 0}}, after_body},
      {"PlcSpaMom of 33 bytes", {{40, 4, 4, 33}}, after_body},
      {"PlcSpaMom past the stream",
       {{40, 0, 4, (uint32_t)orig.table_len - 40}}, after_body},
      /* the lid decides where a box goes, not the order of the shapes */
      {"shapes' lids swapped",
       {{0, shape_lids, 4, get32(lids + 26)}, {0, shape_lids + 26, 4,
                                               get32(lids)}},
       swapped},
      /* a box whose shape is not in PlcSpaMom, or whose anchor lies past
       * the main text, after the body */
      {"box 2 unshaped", {{0, shape_lids + 26, 4, 9999}}, box2_after_body},
      {"box 2 anchored past the main text", {{0, spa + 4, 4, 0xFFFFFFF0u}},
       box2_after_body},
      /* two anchors in one paragraph: both boxes after it, in anchor
       * order */
      {"both in paragraph 2", {{0, spa + 4, 4, get32(orig.table + spa) + 1}},
       both_first},
      {"both in paragraph 3", {{0, spa, 4, get32(orig.table + spa + 4) + 1}},
       both_later},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    word_streams w = word_streams_copy(&orig);
    for (size_t k = 0; k < 2 && cases[c].change[k].width; k++) {
      size_t fib_index = cases[c].change[k].pair;
      unsigned char *where = fib_index ? fib_pair(&w, fib_index) : w.table;
      where += cases[c].change[k].at;
      uint32_t value = cases[c].change[k].value;
      if (cases[c].change[k].width == 2) put16(where, value);
      else put32(where, value);
    }
    char what[96];
    snprintf(what, sizeof what, "textbox.doc, %s", cases[c].what);
    expect_picked(&w, &want, cases[c].order, what);
    word_streams_free(&w);
  }
  lines_free(&want);
  word_streams_free(&orig);
}

/* A heading style that is not Word's built-in one (a user style, sti
 * 4094) is a heading by its name, as in the .docx reader: report.doc's
 * "Heading 2" made a user style keeps its six level-2 paragraphs, and
 * renamed it has none. */
static void test_word_heading_by_name(void) {
  word_streams orig = word_streams_of("report.doc");
  size_t stsh = get32(fib_pair(&orig, 1));
  size_t at = stsh + 2 + get16(orig.table + stsh), base = get16(orig.table +
                                                               stsh + 4);
  for (int istd = 0; istd < 2; istd++) at += 2 + get16(orig.table + at);
  unsigned char *std = orig.table + at + 2; /* istd 2 */
  CHECK((get16(std) & 0x0FFF) == 2 && get16(std + base) == 9 &&
        memcmp(std + base + 2, "H\0e\0", 4) == 0);
  put16(std, (get16(std) & 0xF000) | 4094);
  for (int renamed = 0; renamed < 2; renamed++) {
    if (renamed) std[base + 2] = 'X'; /* "Xeading 2" */
    int rc;
    gw_text_builder b;
    memset(&b, 0, sizeof b);
    gw_word_streams streams = {orig.doc, orig.table, NULL, orig.doc_len,
                               orig.table_len, 0};
    rc = gw_read_word_streams(&streams, "user-style.doc", &b, NULL);
    CHECK(rc == GW_OK);
    size_t level2 = 0;
    for (size_t i = 0; i < b.count; i++)
      level2 += b.paragraphs[i].heading_level == 2;
    CHECK_EQ_SIZE(level2, renamed ? 0 : 6);
    gw_tb_free(&b);
  }
  word_streams_free(&orig);
}

/* Damaged style sheets, property pages and list tables read as text without
 * numbers (or without the damaged part), never from outside the streams
 * (the ASan and valgrind runs of this test check the reads). */
static void test_word_damaged_tables(void) {
  lines want = file_lines(fixture("lists.txt"));
  word_streams orig = word_streams_of("lists.doc");
  expect_same_text(&orig, &want, "lists.doc streams");
  test_word_list_overrides(&orig, &want);
  word_streams w;
  uint32_t lists_at = get32(fib_pair(&orig, 73));

#define DAMAGED(what, change, expect)                                       \
  do {                                                                      \
    w = word_streams_copy(&orig);                                           \
    change;                                                                 \
    expect(&w, &want, what);                                                \
    word_streams_free(&w);                                                  \
  } while (0)

  DAMAGED("PlfLst past the stream",
          put32(fib_pair(&w, 73), (uint32_t)w.table_len + 16),
          expect_unnumbered);
  DAMAGED("PlfLst longer than the stream", put32(fib_pair(&w, 73) + 4, ~0u),
          expect_unnumbered);
  DAMAGED("32767 lists", put16(w.table + lists_at, 0x7FFF),
          expect_unnumbered);
  DAMAGED("no lists", put16(w.table + lists_at, 0), expect_unnumbered);
  {
    /* the first LVL (after the LSTFs): a text of 65535 characters */
    size_t lvl = lists_at + 2 + 28 * get16(orig.table + lists_at);
    size_t cch = lvl + 28 + orig.table[lvl + 24] + orig.table[lvl + 25];
    DAMAGED("a level text past the stream", put16(w.table + cch, 0xFFFF),
            expect_unnumbered);
    DAMAGED("grpprls of 255 bytes",
            (w.table[lvl + 24] = 255, w.table[lvl + 25] = 255),
            expect_readable);
  }
  DAMAGED("2^31 list overrides",
          put32(w.table + get32(fib_pair(&w, 74)), 0x7FFFFFFF),
          expect_unnumbered);
  DAMAGED("255 override levels",
          w.table[get32(fib_pair(&w, 74)) + 4 + 12] = 255, expect_unnumbered);
  DAMAGED("PlfLfo past the stream",
          put32(fib_pair(&w, 74), (uint32_t)w.table_len - 2),
          expect_unnumbered);
  DAMAGED("no property pages", put32(fib_pair(&w, 13) + 4, 0),
          expect_unnumbered);
  DAMAGED("property pages past the stream",
          put32(fib_pair(&w, 13), (uint32_t)w.table_len),
          expect_unnumbered);
  DAMAGED("property pages past the document", damage_pages(&w, 13, 0),
          expect_unnumbered);
  DAMAGED("255 runs a page", damage_pages(&w, 13, 1), expect_unnumbered);
  /* character pages (tracked deletions): none of lists.doc is deleted */
  DAMAGED("character pages past the document", damage_pages(&w, 12, 0),
          expect_same_text);
  DAMAGED("255 character runs a page", damage_pages(&w, 12, 1),
          expect_same_text);
  DAMAGED("character pages past the stream",
          put32(fib_pair(&w, 12) + 4, ~0u), expect_same_text);
  DAMAGED("ilfo 0x03E7 (past the overrides)",
          CHECK(patch_papx_sprm(&w, 0x460B, 0xE7) > 0), expect_unnumbered);
  DAMAGED("ilvl 200", CHECK(patch_papx_sprm(&w, 0x260A, 200) > 0),
          expect_unnumbered);
  {
    /* the style sheet: a forged count, a style based on itself */
    size_t stsh = get32(fib_pair(&orig, 1));
    size_t first = stsh + 2 + get16(orig.table + stsh);
    DAMAGED("65535 styles", put16(w.table + stsh + 2, 0xFFFF),
            expect_same_text);
    DAMAGED("Normal based on itself",
            put16(w.table + first + 2 + 2,
                  (get16(w.table + first + 2 + 2) & 0x0F) | 0 << 4),
            expect_same_text);
    DAMAGED("a style longer than the sheet", put16(w.table + first, 0xFFFF),
            expect_same_text); /* the paragraphs name their lists */
  }
#undef DAMAGED

  /* the table stream cut anywhere */
  for (size_t cut = 0; cut < orig.table_len; cut += 61) {
    w = word_streams_copy(&orig);
    w.table_len = cut;
    int rc;
    lines got = read_word_streams(&w, &rc);
    CHECK(rc == GW_OK || rc == GW_EDAMAGED);
    if (rc == GW_OK) check_numbers_lost(&got, &want, "cut table stream");
    lines_free(&got);
    word_streams_free(&w);
  }
  word_streams_free(&orig);
  lines_free(&want);
}


/* ---- .docx parts written here, one case each ---- */

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

/* A .docx in memory holding this document.xml, styles.xml and
 * numbering.xml (NULL: the part and its relationship left out). */
static unsigned char *make_docx(const char *document, const char *styles,
                                const char *numbering, size_t *len) {
  char rels[1024];
  snprintf(rels, sizeof rels,
           XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
           "package/2006/relationships\">%s%s</Relationships>",
           styles ? "<Relationship Id=\"r1\" Type=\"" REL_NS "styles\" "
                    "Target=\"styles.xml\"/>" : "",
           numbering ? "<Relationship Id=\"r2\" Type=\"" REL_NS "numbering\" "
                       "Target=\"numbering.xml\"/>" : "");
  const char *names[] = {"[Content_Types].xml", "_rels/.rels",
                         "word/_rels/document.xml.rels", "word/document.xml",
                         "word/styles.xml", "word/numbering.xml"};
  const char *parts[] = {
      XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
               "content-types\"/>",
      XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
               "package/2006/relationships\"><Relationship Id=\"d\" Type=\""
               REL_NS "officeDocument\" Target=\"word/document.xml\"/>"
               "</Relationships>",
      rels, document, styles, numbering};
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *out = zip_source_buffer_create(NULL, 0, 0, &ze);
  zip_source_keep(out);
  zip_t *z = zip_open_from_source(out, ZIP_TRUNCATE, &ze);
  for (size_t i = 0; z && i < sizeof names / sizeof *names; i++) {
    if (!parts[i]) continue;
    zip_source_t *s = zip_source_buffer(z, parts[i], strlen(parts[i]), 0);
    CHECK(s && zip_file_add(z, names[i], s, ZIP_FL_OVERWRITE) >= 0);
  }
  CHECK(z && zip_close(z) == 0);
  unsigned char *bytes = NULL;
  *len = 0;
  zip_stat_t st;
  if (zip_source_stat(out, &st) == 0 && zip_source_open(out) == 0) {
    bytes = malloc(st.size);
    if (bytes && zip_source_read(out, bytes, st.size) == (zip_int64_t)st.size)
      *len = st.size;
    zip_source_close(out);
  }
  zip_source_free(out);
  zip_error_fini(&ze);
  CHECK(*len > 0);
  return bytes;
}

/* Extract a buffer with stderr sent to a file, and say whether anything
 * was written there. */
static int extract_quietly(gw_extract **x, const char *name,
                           const unsigned char *data, size_t len,
                           gw_error *err, int *printed) {
  fflush(stderr);
  FILE *capture = tmpfile();
  int saved = dup(2);
  CHECK(capture && saved >= 0);
  if (capture) dup2(fileno(capture), 2);
  int rc = gw_extract_load_buffer(x, name, data, len, NULL, err);
  fflush(stderr);
  if (saved >= 0) {
    dup2(saved, 2);
    close(saved);
  }
  *printed = capture && ftell(capture) > 0;
  if (capture) {
    fseek(capture, 0, SEEK_END);
    *printed = ftell(capture) > 0;
    fclose(capture);
  }
  return rc;
}

#define DOC_OPEN XML_DECL "<w:document xmlns:w=\"" W_NS "\"><w:body>"
#define DOC_CLOSE "</w:body></w:document>"

static void test_docx_parts(void) {
  size_t len;
  gw_extract *x = NULL;
  gw_error err;
  int printed;

  /* A malformed styles part: our message, naming the file, the part and
   * the line, and nothing printed by libxml2. */
  unsigned char *b = make_docx(
      DOC_OPEN "<w:p><w:r><w:t>正文</w:t></w:r></w:p>" DOC_CLOSE,
      XML_DECL "<w:styles xmlns:w=\"" W_NS "\">\n<w:style>\n</w:styles>",
      NULL, &len);
  memset(&err, 0, sizeof err);
  CHECK(extract_quietly(&x, "badstyles.docx", b, len, &err, &printed) ==
        GW_EDAMAGED);
  CHECK(x == NULL);
  if (strstr(err.message, "badstyles.docx: word/styles.xml: malformed XML "
                          "(line 4: ") != err.message)
    fprintf(stderr, "badstyles.docx: got \"%s\"\n", err.message);
  CHECK(strstr(err.message,
               "badstyles.docx: word/styles.xml: malformed XML (line 4: ") ==
        err.message);
  CHECK(!printed);
  free(b);

  /* '&' in an attribute: libxml2 hands it on as "&#38;" when entities are
   * not substituted; the number shows it as written.  An empty style
   * element is not a style (the later full one with that id counts). */
  b = make_docx(
      DOC_OPEN "<w:p><w:pPr><w:pStyle w:val=\"H\"/><w:numPr><w:ilvl "
               "w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r>"
               "<w:t xml:space=\"preserve\">标题 &amp; &lt;一&gt;</w:t></w:r>"
               "</w:p>" DOC_CLOSE,
      XML_DECL "<w:styles xmlns:w=\"" W_NS "\"><w:style w:type=\"paragraph\" "
               "w:styleId=\"H\"/><w:style w:type=\"paragraph\" "
               "w:styleId=\"H\"><w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr>"
               "</w:style></w:styles>",
      XML_DECL "<w:numbering xmlns:w=\"" W_NS "\"><w:abstractNum "
               "w:abstractNumId=\"7\"><w:lvl w:ilvl=\"0\"><w:start "
               "w:val=\"3\"/><w:numFmt w:val=\"decimal\"/><w:lvlText "
               "w:val=\"%1&amp;&lt;\"/></w:lvl></w:abstractNum><w:num "
               "w:numId=\"1\"><w:abstractNumId w:val=\"7\"/></w:num>"
               "</w:numbering>",
      &len);
  memset(&err, 0, sizeof err);
  CHECK(extract_quietly(&x, "amp.docx", b, len, &err, &printed) == GW_OK);
  if (x) {
    size_t n;
    const char *text = gw_extract_text(x, &n);
    CHECK_STRN(text, n, "3&<标题 & <一>\n");
    CHECK(gw_extract_paragraph_count(x) == 1 &&
          gw_extract_paragraph_at(x, 0)->heading_level == 2);
    gw_extract_free(x);
    x = NULL;
  }
  free(b);

  /* Entities a DTD declares are never expanded: the reference is refused
   * as malformed, quickly however deep the declarations nest. */
  b = make_docx(
      XML_DECL "<!DOCTYPE w:document [<!ENTITY a \"注入\"><!ENTITY b "
               "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c "
               "\"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><w:document xmlns:w=\""
               W_NS "\"><w:body><w:p><w:r><w:t>甲&c;乙</w:t></w:r></w:p>"
               DOC_CLOSE,
      NULL, NULL, &len);
  memset(&err, 0, sizeof err);
  CHECK(extract_quietly(&x, "entity.docx", b, len, &err, &printed) ==
        GW_EDAMAGED);
  CHECK(strstr(err.message, "entity.docx: word/document.xml: malformed XML"));
  CHECK(!printed);
  free(b);
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
  /* document.xml declaring 1000 bytes (central directory and local
   * header) inflates past them while the reader streams it */
  int patched = 0;
  for (size_t i = 0; i + 46 + 17 <= n; i++)
    if (memcmp(docx + i, "PK\x01\x02", 4) == 0 && get16(docx + i + 28) == 17 &&
        memcmp(docx + i + 46, "word/document.xml", 17) == 0) {
      put32(docx + i + 24, 1000);
      put32(docx + get32(docx + i + 42) + 22, 1000);
      patched++;
    }
  CHECK(patched == 1);
  expect_failure("liar.docx", docx, n, NULL, GW_EDAMAGED,
                 "word/document.xml inflates past");
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
  /* an encrypted .docx is an OLE2 file, not a ZIP */
  expect_file_failure("locked.docx", GW_EENCRYPTED,
                      "locked.docx: password-protected Office document");
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

/* A module's reader: the document read through the module at that path. */
typedef int (*module_reader)(const char *module, const unsigned char *data,
                             size_t len, gw_text_builder *out, gw_error *err);

/* Modules that are missing or not the module: each refused with
 * GW_ENOTFOUND, the message starting with `start` and saying what
 * bad[i][1] says, nothing read. */
static void expect_modules_refused(module_reader read, const char *fixture_name,
                                   const char *start, const char *const bad[][2],
                                   size_t count) {
  size_t n;
  unsigned char *data = read_all(fixture(fixture_name), &n);
  for (size_t i = 0; i < count; i++) {
    gw_text_builder out;
    memset(&out, 0, sizeof out);
    gw_error err;
    memset(&err, 0, sizeof err);
    CHECK(read(bad[i][0], data, n, &out, &err) == GW_ENOTFOUND);
    CHECK(strstr(err.message, start) == err.message);
    CHECK(strstr(err.message, bad[i][1]) != NULL);
    CHECK(out.count == 0);
    gw_tb_free(&out);
  }
  free(data);
}

static int read_pdf_module(const char *module, const unsigned char *data,
                           size_t len, gw_text_builder *out, gw_error *err) {
  size_t pages = 0;
  return gw_read_pdf_with_module(module, data, len, "m.pdf", out, &pages, err);
}

/* The PDF module: found from this (statically linked) program as built,
 * and refused by name when missing or not the module. */
static void test_pdf_module(void) {
  static const char *const bad[][2] = {
      {"/nonexistent/libgongwen-pdf.so",
       "the PDF module cannot be loaded (/nonexistent/libgongwen-pdf.so: "},
      {"libc.so.6", "libc.so.6 is not gongwen's PDF module"},
  };
  expect_modules_refused(read_pdf_module, "report.pdf",
                         "m.pdf: cannot read PDFs", bad, 2);
  size_t n;
  unsigned char *pdf = read_all(fixture("report.pdf"), &n);
  gw_text_builder out;
  memset(&out, 0, sizeof out);
  size_t pages = 0;
  CHECK(gw_read_pdf(pdf, n, "report.pdf", &out, &pages, NULL) == GW_OK);
  CHECK(pages > 0 && out.count > 10);
  gw_tb_free(&out);
  free(pdf);
}

/* The document module (docs_module.h): found from this (statically
 * linked) program as built, reads what the readers read, and is refused by
 * name when missing, not the module, or of another build. */
static int read_docs_with(const char *module, gw_docs_kind kind,
                          const unsigned char *data, size_t len,
                          const char *name, gw_text_builder *out,
                          gw_format *format, size_t *pages, gw_error *err) {
  gw_extract_limits limits = {(size_t)256 << 20, 65536};
  gw_docs_request r = {.kind = kind, .data = data, .len = len, .name = name,
                       .limits = &limits, .out = out, .format = format,
                       .pages = pages, .err = err};
  return module ? gw_read_docs_with_module(module, &r) : gw_read_docs(&r);
}

/* A ZIP through the module at that path, which must not name a format. */
static int read_zip_module(const char *module, const unsigned char *data,
                           size_t len, gw_text_builder *out, gw_error *err) {
  gw_format format = GW_FORMAT_UNKNOWN;
  size_t pages = 0;
  int rc = read_docs_with(module, GW_DOCS_ZIP, data, len, "m.docx", out,
                          &format, &pages, err);
  CHECK(format == GW_FORMAT_UNKNOWN || rc == GW_OK);
  return rc;
}

static void test_docs_module(void) {
  static const char *const bad[][2] = {
      {"/nonexistent/libgongwen-docs.so",
       "the document module cannot be loaded (/nonexistent/libgongwen-docs.so: "},
      {"libc.so.6", "libc.so.6 is not gongwen's document module"},
  };
  expect_modules_refused(read_zip_module, "report.docx",
                         "m.docx: cannot read Word and OFD documents", bad, 2);
  size_t n;
  unsigned char *docx = read_all(fixture("report.docx"), &n);
  /* the module as built, beside this program's build tree */
  char path[PATH_MAX];
  CHECK(gw_module_find((uintptr_t)&gw_read_docs, GW_DOCS_MODULE_FILE, path) >=
        0);
  CHECK(strstr(path, "/lib/gongwen/libgongwen-docs.so") != NULL);
  /* a module of another build: refused before it reads anything */
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  CHECK(handle != NULL);
  if (handle) {
    gw_docs_read_fn read_docs =
        (gw_docs_read_fn)dlsym(handle, GW_DOCS_MODULE_ENTRY);
    CHECK(read_docs != NULL);
    gw_text_builder out;
    memset(&out, 0, sizeof out);
    gw_format format = GW_FORMAT_UNKNOWN;
    size_t pages = 0;
    gw_extract_limits limits = {(size_t)256 << 20, 65536};
    gw_docs_request r = {.kind = GW_DOCS_ZIP, .data = docx, .len = n,
                         .name = "m.docx", .limits = &limits, .out = &out,
                         .format = &format, .pages = &pages, .err = NULL};
    if (read_docs) {
      CHECK(read_docs(GW_DOCS_MODULE_ABI + 1, GW_VERSION_STRING, &r) ==
            GW_DOCS_READ_ABI);
      CHECK(read_docs(GW_DOCS_MODULE_ABI, "0.0.0-other", &r) ==
            GW_DOCS_READ_ABI);
      CHECK(out.count == 0 && format == GW_FORMAT_UNKNOWN);
    }
    dlclose(handle);
  }
  /* what the module reads: each format as the readers linked here read it */
  static const struct {
    const char *file;
    gw_docs_kind kind;
    gw_format format;
  } good[] = {{"report.docx", GW_DOCS_ZIP, GW_FORMAT_DOCX},
              {"lists.docx", GW_DOCS_ZIP, GW_FORMAT_DOCX},
              {"report.ofd", GW_DOCS_ZIP, GW_FORMAT_OFD},
              {"report.html", GW_DOCS_HTML, GW_FORMAT_UNKNOWN}};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    size_t len;
    unsigned char *data = read_all(fixture(good[i].file), &len);
    gw_text_builder out;
    memset(&out, 0, sizeof out);
    gw_format format = GW_FORMAT_UNKNOWN;
    size_t pages = 0;
    gw_error err;
    memset(&err, 0, sizeof err);
    CHECK(read_docs_with(NULL, good[i].kind, data, len, good[i].file, &out,
                         &format, &pages, &err) == GW_OK);
    CHECK(format == good[i].format);
    CHECK((pages > 0) == (good[i].format == GW_FORMAT_OFD));
    /* the same text and paragraphs as the readers in this program give */
    gw_text_builder linked;
    memset(&linked, 0, sizeof linked);
    size_t linked_pages = 0;
    int rc;
    if (good[i].kind == GW_DOCS_HTML) {
      rc = gw_read_html(data, len, good[i].file, &linked, &err);
    } else {
      gw_extract_limits limits = {(size_t)256 << 20, 65536};
      gw_zip *zip = NULL;
      rc = gw_zip_open(&zip, data, len, good[i].file, &limits, &err);
      if (rc == GW_OK)
        rc = good[i].format == GW_FORMAT_OFD
                 ? gw_read_ofd(zip, good[i].file, &linked, &linked_pages, &err)
                 : gw_read_docx(zip, good[i].file, &linked, &err);
      gw_zip_close(zip);
    }
    CHECK(rc == GW_OK);
    CHECK(out.count > 0 && out.count == linked.count && pages == linked_pages);
    CHECK(out.len == linked.len && out.len > 0 &&
          memcmp(out.text, linked.text, out.len) == 0);
    CHECK(out.count == linked.count &&
          memcmp(out.paragraphs, linked.paragraphs,
                 out.count * sizeof *out.paragraphs) == 0);
    gw_tb_free(&linked);
    gw_tb_free(&out);
    free(data);
  }
  /* its refusals, as before */
  unsigned char *zip = read_all(fixture("bad-notdoc.zip"), &n);
  gw_text_builder out;
  memset(&out, 0, sizeof out);
  gw_format format = GW_FORMAT_UNKNOWN;
  size_t pages = 0;
  gw_error err;
  memset(&err, 0, sizeof err);
  CHECK(read_docs_with(NULL, GW_DOCS_ZIP, zip, n, "n.zip", &out, &format,
                       &pages, &err) == GW_EUNSUPPORTED);
  CHECK(strcmp(err.message,
               "n.zip: a ZIP archive holding no Word or OFD document") == 0);
  gw_tb_free(&out);
  free(zip);
  free(docx);
}

/* Damaged variants of every fixture never crash and either read or fail
 * with a message naming the file (the ZIP, XML, OLE2 and PDF paths). */
/* ---- deflated parts inflated by ISA-L, against libzip ---- */

typedef struct zip_reading {
  int rc;
  char message[sizeof ((gw_error *)0)->message];
  gw_text_builder built;
  size_t fast; /* bytes ISA-L inflated */
} zip_reading;

enum { BY_SIZE, LIBZIP, ISAL };

/* A .docx or OFD read with ISA-L inflating its large deflated parts
 * (BY_SIZE, as the library does), all of them (ISAL), or with libzip alone
 * (LIBZIP, as before ISA-L). */
static zip_reading read_zip_with(const unsigned char *b, size_t len,
                                 int inflate_by) {
  zip_reading r;
  memset(&r, 0, sizeof r);
  gw_extract_limits limits = {(size_t)256 << 20, 65536};
  gw_error err;
  memset(&err, 0, sizeof err);
  gw_xml_quiet quiet;
  gw_xml_quiet_begin(&quiet);
  gw_zip *zip = NULL;
  r.rc = gw_zip_open(&zip, b, len, "x.docx", &limits, &err);
  if (r.rc == GW_OK) {
    if (inflate_by == LIBZIP) gw_zip_inflate_with_libzip(zip);
    if (inflate_by == ISAL) gw_zip_inflate_with_isal(zip);
    size_t pages = 0;
    r.rc = gw_zip_has(zip, "OFD.xml")
               ? gw_read_ofd(zip, "x.docx", &r.built, &pages, &err)
               : gw_read_docx(zip, "x.docx", &r.built, &err);
    r.fast = gw_zip_fast_inflated(zip);
    gw_zip_close(zip);
  }
  gw_xml_quiet_end(&quiet);
  if (r.rc < 0) snprintf(r.message, sizeof r.message, "%s", err.message);
  return r;
}

static size_t inflate_compared, inflate_failed;

static int same_paragraphs(const gw_text_builder *a, const gw_text_builder *b) {
  for (size_t i = 0; i < a->count && i < b->count; i++) {
    const gw_extract_paragraph *p = &a->paragraphs[i], *q = &b->paragraphs[i];
    if (p->start != q->start || p->end != q->end || p->page != q->page ||
        p->source != q->source || p->heading_level != q->heading_level ||
        p->part != q->part)
      return 0;
  }
  return 1;
}

/* The same answer, message, text and paragraphs both ways. */
static void check_inflated_alike(const unsigned char *b, size_t len,
                                 const char *what) {
  zip_reading fast = read_zip_with(b, len, ISAL),
              slow = read_zip_with(b, len, LIBZIP);
  int same = fast.rc == slow.rc && strcmp(fast.message, slow.message) == 0 &&
             fast.built.len == slow.built.len &&
             fast.built.count == slow.built.count &&
             (fast.built.len == 0 ||
              memcmp(fast.built.text, slow.built.text, fast.built.len) == 0) &&
             same_paragraphs(&fast.built, &slow.built);
  if (!same)
    fprintf(stderr, "%s: ISA-L %d \"%s\" (%zu bytes), libzip %d \"%s\" (%zu bytes)\n",
            what, fast.rc, fast.message, fast.built.len, slow.rc,
            slow.message, slow.built.len);
  CHECK(same);
  CHECK(slow.fast == 0);
  inflate_compared++;
  inflate_failed += fast.rc < 0;
  gw_tb_free(&fast.built);
  gw_tb_free(&slow.built);
}

/* Where an entry's records are: its central directory record, its local
 * header, its deflated bytes. */
typedef struct zip_entry_at {
  size_t central, local, data, deflated;
} zip_entry_at;

static zip_entry_at entry_at(const unsigned char *b, size_t n,
                             const char *name) {
  zip_entry_at at = {0, 0, 0, 0};
  size_t name_len = strlen(name);
  for (size_t i = 0; i + 46 + name_len <= n; i++)
    if (memcmp(b + i, "PK\x01\x02", 4) == 0 && get16(b + i + 28) == name_len &&
        memcmp(b + i + 46, name, name_len) == 0) {
      at.central = i;
      at.local = get32(b + i + 42);
      at.data = at.local + 30 + get16(b + at.local + 26) +
                get16(b + at.local + 28);
      at.deflated = get32(b + i + 20);
    }
  CHECK(at.data > 0 && at.data + at.deflated <= n);
  return at;
}

/* A 32-bit field of an entry, in both its central and its local record. */
static void put_entry32(unsigned char *b, const zip_entry_at *at,
                        size_t central_field, uint32_t v) {
  put32(b + at->central + central_field, v);
  put32(b + at->local + central_field - 2, v);
}

/* The fixture rewritten by libzip with every entry stored, not deflated. */
static unsigned char *stored_copy(const unsigned char *b, size_t n,
                                  size_t *out_len) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *in = zip_source_buffer_create(b, n, 0, &ze);
  zip_t *orig = in ? zip_open_from_source(in, ZIP_RDONLY, &ze) : NULL;
  zip_source_t *out = zip_source_buffer_create(NULL, 0, 0, &ze);
  zip_source_keep(out);
  zip_t *copy = zip_open_from_source(out, ZIP_TRUNCATE, &ze);
  CHECK(orig && copy);
  zip_int64_t entries = zip_get_num_entries(orig, 0);
  for (zip_int64_t i = 0; i < entries; i++) {
    zip_source_t *entry = zip_source_zip(copy, orig, (zip_uint64_t)i, 0, 0, -1);
    zip_int64_t at = zip_file_add(copy, zip_get_name(orig, (zip_uint64_t)i, 0),
                                  entry, 0);
    CHECK(at >= 0);
    CHECK(zip_set_file_compression(copy, (zip_uint64_t)at, ZIP_CM_STORE, 0) == 0);
  }
  CHECK(zip_close(copy) == 0);
  zip_discard(orig);
  zip_stat_t st;
  zip_stat_init(&st);
  CHECK(zip_source_stat(out, &st) == 0 && zip_source_open(out) == 0);
  unsigned char *bytes = malloc(st.size);
  CHECK(zip_source_read(out, bytes, st.size) == (zip_int64_t)st.size);
  zip_source_close(out);
  zip_source_free(out);
  zip_error_fini(&ze);
  *out_len = st.size;
  return bytes;
}

static void test_fast_inflate(void) {
  size_t n;
  unsigned char *orig = read_all(fixture("report.docx"), &n);
  /* the fixture itself: ISA-L inflates every part when asked to, none by
   * itself (its parts are small) */
  zip_reading whole = read_zip_with(orig, n, ISAL);
  CHECK(whole.rc == GW_OK && whole.fast > 10000);
  check_inflated_alike(orig, n, "report.docx");
  zip_reading small = read_zip_with(orig, n, BY_SIZE);
  CHECK(small.rc == GW_OK && small.fast == 0);
  gw_tb_free(&small.built);
  /* a large document.xml (random Han characters, 40 KB deflated): ISA-L
   * by itself */
  size_t chars = 24000;
  char *large = malloc(chars * 3 + 256);
  size_t at_large = (size_t)sprintf(large, XML_DECL "<w:document xmlns:w=\"" W_NS
                                    "\"><w:body><w:p><w:r><w:t>");
  uint64_t seed = 12345;
  for (size_t i = 0; i < chars; i++) {
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    unsigned cp = 0x4E00 + (unsigned)(seed >> 33) % 0x5000;
    large[at_large++] = (char)(0xE0 | cp >> 12);
    large[at_large++] = (char)(0x80 | (cp >> 6 & 0x3F));
    large[at_large++] = (char)(0x80 | (cp & 0x3F));
  }
  strcpy(large + at_large, "</w:t></w:r></w:p></w:body></w:document>");
  size_t large_len;
  unsigned char *large_docx = make_docx(large, NULL, NULL, &large_len);
  zip_reading by_size = read_zip_with(large_docx, large_len, BY_SIZE),
              by_libzip = read_zip_with(large_docx, large_len, LIBZIP);
  CHECK(by_size.rc == GW_OK && by_size.fast > chars * 3);
  CHECK(by_libzip.rc == GW_OK && by_size.built.len == by_libzip.built.len &&
        by_size.built.len == chars * 3 + 1 &&
        memcmp(by_size.built.text, by_libzip.built.text, by_size.built.len) == 0);
  gw_tb_free(&by_size.built);
  gw_tb_free(&by_libzip.built);
  free(large_docx);
  free(large);
  unsigned char *b = malloc(n);
  zip_entry_at at = entry_at(orig, n, "word/document.xml");
  /* damaged deflated bytes: an invalid block, a bad distance, text that
   * inflates wrong (caught by the CRC or the declared size) */
  char what[64];
  for (size_t i = 0; i < at.deflated; i += 17)
    for (unsigned x = 1; x < 256; x += 0x7E) {
      memcpy(b, orig, n);
      b[at.data + i] ^= (unsigned char)x;
      snprintf(what, sizeof what, "deflated byte %zu ^ 0x%02x", i, x);
      check_inflated_alike(b, n, what);
    }
  /* a wrong CRC; deflated bytes cut short or running on into the next
   * record; an inflated size declared one byte short or long */
  static const struct {
    size_t field;
    int64_t delta;
  } fields[] = {{16, 1}, {20, -100}, {20, -1}, {20, 30}, {24, -1}, {24, 1}};
  for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
    memcpy(b, orig, n);
    put_entry32(b, &at, fields[f].field,
                (uint32_t)(get32(orig + at.central + fields[f].field) +
                           fields[f].delta));
    snprintf(what, sizeof what, "field %zu %+lld", fields[f].field,
             (long long)fields[f].delta);
    check_inflated_alike(b, n, what);
  }
  /* the damaged entries fail as libzip says (and most of them do fail) */
  CHECK(inflate_failed * 2 > inflate_compared);
  zip_reading crc;
  memcpy(b, orig, n);
  put_entry32(b, &at, 16, get32(orig + at.central + 16) ^ 1);
  crc = read_zip_with(b, n, ISAL);
  CHECK(crc.rc == GW_EDAMAGED &&
        strstr(crc.message, "word/document.xml is damaged (CRC error)"));
  gw_tb_free(&crc.built);
  /* stored entries, read by libzip: the same text as deflated ones */
  size_t stored_len;
  unsigned char *stored = stored_copy(orig, n, &stored_len);
  zip_reading plain = read_zip_with(stored, stored_len, ISAL);
  CHECK(plain.rc == GW_OK && plain.fast == 0);
  CHECK(plain.built.len == whole.built.len &&
        memcmp(plain.built.text, whole.built.text, whole.built.len) == 0);
  check_inflated_alike(stored, stored_len, "stored");
  gw_tb_free(&plain.built);
  gw_tb_free(&whole.built);
  free(stored);
  free(b);
  free(orig);
  /* an OFD's pages, and the 8 MB bomb under the default cap */
  static const char *const others[] = {"report.ofd", "lists.docx", "bomb.docx"};
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
    unsigned char *other = read_all(fixture(others[i]), &n);
    check_inflated_alike(other, n, others[i]);
    free(other);
  }
  printf("%zu readings compared with libzip's, %zu of them failing\n",
         inflate_compared, inflate_failed);
}

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
  test_lists();
  test_word_damaged_tables();
  test_word_heading_by_name();
  test_word_huge_papx();
  test_doc_text_boxes();
  test_pdf();
  test_same_as_source("report-gbk.pdf", GW_FORMAT_PDF);
  test_same_as_source("report.ofd", GW_FORMAT_OFD);
  test_same_as_source("report.html", GW_FORMAT_HTML);
  test_html_details();
  test_ofd_pages();
  test_document_reads_docx();
  test_refusals();
  test_docx_parts();
  test_pdf_module();
  test_docs_module();
  test_mutations();
  test_fast_inflate();
  return gw_test_report();
}
