/*
 * pdf_poppler.c — the PDF module (libgongwen-pdf.so): PDF text through
 * poppler-glib (Debian's libpoppler-glib-dev), loaded by pdf.c only when a
 * PDF is read (pdf_module.h says why).
 *
 * Poppler's text output follows its reading-order analysis (columns,
 * blocks), and with poppler-data installed it maps CID fonts without a
 * ToUnicode table (GBK-EUC-H, common from 公文 typesetting) to Unicode.
 * Each page's text comes with one box per character, from which the lines'
 * boxes are measured here and layout.c rebuilds paragraphs.  poppler-glib
 * rather than a pdftotext subprocess: no process per file, the boxes come
 * with the text, and errors are told apart (encrypted, damaged).
 */
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_module.h"

/* The one exported symbol; everything else is hidden. */
__attribute__((visibility("default"))) int
gw_pdf_module_read(int abi, const unsigned char *data, size_t len,
                   gw_pdf_line_sink sink, void *ctx, size_t *pages, char *why,
                   size_t size);

typedef struct page_reader {
  const char *text;           /* the page's text, lines ending in '\n' */
  const PopplerRectangle *boxes; /* one per character of text */
  guint n_boxes;
  gw_pdf_line_sink sink;
  void *ctx;
} page_reader;

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int is_superscript(const PopplerRectangle *b, double size,
                          double baseline) {
  return b->y2 - b->y1 < 0.75 * size && b->y2 < baseline - 0.2 * size;
}

/* Hand over the line text[from, to) whose characters have boxes [c0, c1).
 * Footnote references (digits set small above the baseline) are left out,
 * as the footnotes themselves go after the body. */
static int add_line(const page_reader *r, size_t from, size_t to, guint c0,
                    guint c1, size_t page, size_t index, double *sizes,
                    char *kept) {
  gw_pdf_line line;
  memset(&line, 0, sizeof line);
  line.page = page;
  line.index = index;
  line.x1 = line.y1 = 1e30;
  line.x2 = line.y2 = -1e30;
  size_t n = 0;
  double *bottoms = sizes + r->n_boxes + 1; /* n <= n_boxes */
  for (guint c = c0; c < c1 && c < r->n_boxes; c++) {
    const PopplerRectangle *b = &r->boxes[c];
    if (b->x2 <= b->x1) continue; /* spaces poppler inserted */
    bottoms[n] = b->y2;
    sizes[n++] = b->y2 - b->y1;
  }
  if (n == 0) return GW_PDF_READ_OK; /* no visible glyph */
  qsort(sizes, n, sizeof *sizes, compare_double);
  qsort(bottoms, n, sizeof *bottoms, compare_double);
  line.char_size = sizes[n / 2];
  double baseline = bottoms[n / 2];
  size_t len = 0;
  guint c = c0;
  for (size_t i = from; i < to; c++) {
    size_t k = i + 1;
    while (k < to && ((unsigned char)r->text[k] & 0xC0) == 0x80) k++;
    const PopplerRectangle *b = c < r->n_boxes ? &r->boxes[c] : NULL;
    int digit = k == i + 1 && r->text[i] >= '0' && r->text[i] <= '9';
    if (!(b && digit && is_superscript(b, line.char_size, baseline))) {
      memcpy(kept + len, r->text + i, k - i);
      len += k - i;
      if (b && b->x2 > b->x1) {
        if (b->x1 < line.x1) line.x1 = b->x1;
        if (b->x2 > line.x2) line.x2 = b->x2;
        if (b->y1 < line.y1) line.y1 = b->y1;
        if (b->y2 > line.y2) line.y2 = b->y2;
      }
    }
    i = k;
  }
  if (line.x2 < line.x1) return GW_PDF_READ_OK;
  line.text = kept;
  line.len = len;
  return r->sink(r->ctx, &line);
}

static int read_page(PopplerPage *page, size_t number, gw_pdf_line_sink sink,
                     void *ctx) {
  page_reader r;
  char *text = poppler_page_get_text(page);
  PopplerRectangle *boxes = NULL;
  guint n_boxes = 0;
  if (!text) return GW_PDF_READ_OK;
  if (!poppler_page_get_text_layout(page, &boxes, &n_boxes)) n_boxes = 0;
  r.text = text;
  r.boxes = boxes;
  r.n_boxes = n_boxes;
  r.sink = sink;
  r.ctx = ctx;
  size_t text_len = strlen(text);
  double *sizes = malloc((2 * (size_t)n_boxes + 2) * sizeof *sizes);
  char *kept = malloc(text_len + 1);
  int rc = sizes && kept ? GW_PDF_READ_OK : GW_PDF_READ_NOMEM;
  size_t from = 0, index = 0;
  guint ci = 0, c0 = 0; /* character indices: boxes go by characters */
  for (size_t i = 0; rc == GW_PDF_READ_OK; i++) {
    unsigned char ch = (unsigned char)text[i];
    if (ch == '\n' || ch == '\0') {
      rc = add_line(&r, from, i, c0, ci < c0 ? c0 : ci, number, index++,
                    sizes, kept);
      if (ch == '\0') break;
      from = i + 1;
      c0 = ci + 1; /* the newline has a box too */
    }
    if ((ch & 0xC0) != 0x80) ci++;
  }
  free(sizes);
  free(kept);
  g_free(boxes);
  g_free(text);
  return rc;
}

static int open_failed(GError *gerr, char *why, size_t size) {
  int encrypted = gerr && gerr->domain == POPPLER_ERROR &&
                  gerr->code == POPPLER_ERROR_ENCRYPTED;
  snprintf(why, size, "%s",
           gerr && gerr->message ? gerr->message : "cannot be opened");
  if (gerr) g_error_free(gerr);
  return encrypted ? GW_PDF_READ_ENCRYPTED : GW_PDF_READ_DAMAGED;
}

int gw_pdf_module_read(int abi, const unsigned char *data, size_t len,
                       gw_pdf_line_sink sink, void *ctx, size_t *pages,
                       char *why, size_t size) {
  *pages = 0;
  if (size) why[0] = '\0';
  if (abi != GW_PDF_MODULE_ABI) return GW_PDF_READ_ABI;
  GError *gerr = NULL;
  GBytes *bytes = g_bytes_new_static(data, len);
  PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
  g_bytes_unref(bytes);
  if (!doc) return open_failed(gerr, why, size);
  int n = poppler_document_get_n_pages(doc);
  if (n <= 0) {
    g_object_unref(doc);
    snprintf(why, size, "no pages");
    return GW_PDF_READ_DAMAGED;
  }
  int rc = GW_PDF_READ_OK;
  for (int i = 0; i < n && rc == GW_PDF_READ_OK; i++) {
    PopplerPage *page = poppler_document_get_page(doc, i);
    if (!page) continue;
    rc = read_page(page, (size_t)i, sink, ctx);
    g_object_unref(page);
  }
  g_object_unref(doc);
  *pages = (size_t)n;
  return rc;
}
