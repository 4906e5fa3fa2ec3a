/*
 * layout.c — lines with positions (PDF, OFD) into paragraphs.
 *
 * Page layouts of 公文 are regular: a text column, paragraphs whose first
 * line is indented by two characters, lines justified to the right margin,
 * page numbers (— 1 —) and running headers at the top or bottom of the
 * page.  So a paragraph ends where a line stops short of the right margin,
 * where the next line is indented, or where the vertical gap is larger than
 * the line spacing; it goes on across a page break when the page's last
 * line reaches the margin and the next page's first line is not indented.
 * Headers and footers are the first or last lines of a page that repeat on
 * another page (digits aside) or are a bare page number.
 */
#include <stdlib.h>
#include <string.h>

#include "formats.h"

int gw_layout_add(gw_layout *layout, const gw_layout_line *line,
                  const char *text, size_t len) {
  if (layout->failed) return GW_ENOMEM;
  void *lines = layout->lines, *buf = layout->text;
  int rc = gw_reserve(&lines, &layout->capacity, layout->count + 1,
                      sizeof *layout->lines);
  layout->lines = lines;
  if (rc == GW_OK)
    rc = gw_reserve(&buf, &layout->text_capacity, layout->text_len + len + 1,
                    1);
  layout->text = buf;
  if (rc < 0) {
    layout->failed = 1;
    return GW_ENOMEM;
  }
  gw_layout_line *l = &layout->lines[layout->count++];
  *l = *line;
  l->start = layout->text_len;
  l->len = len;
  memcpy(layout->text + layout->text_len, text, len);
  layout->text_len += len;
  if (line->page + 1 > layout->pages) layout->pages = line->page + 1;
  return GW_OK;
}

void gw_layout_free(gw_layout *layout) {
  free(layout->text);
  free(layout->lines);
  memset(layout, 0, sizeof *layout);
}

/* What becomes of a line. */
enum { KEEP = 0, RUNNING = 1, FOOTNOTE = 2 };

/* ------------------------------------------------------------------ */
/* Running headers, footers and page numbers                           */
/* ------------------------------------------------------------------ */

/* A digit, ASCII or full-width, at t[0..n): its length, else 0. */
static size_t digit_at(const char *t, size_t n) {
  if (t[0] >= '0' && t[0] <= '9') return 1;
  /* ０ … ９ are EF BC 90 … EF BC 99 */
  if (n >= 3 && (unsigned char)t[0] == 0xEF && (unsigned char)t[1] == 0xBC &&
      (unsigned char)t[2] >= 0x90 && (unsigned char)t[2] <= 0x99)
    return 3;
  return 0;
}

/* The line's text without spaces, digits as '#', into key (truncated). */
static void line_key(const gw_layout *layout, const gw_layout_line *l,
                     char *key, size_t size) {
  size_t o = 0;
  const char *t = layout->text + l->start;
  for (size_t i = 0; i < l->len && o + 1 < size;) {
    size_t d = digit_at(t + i, l->len - i);
    if (d) {
      key[o++] = '#';
      i += d;
    } else {
      if (t[i] != ' ') key[o++] = t[i];
      i++;
    }
  }
  key[o] = '\0';
}

/* — 1 —, - 2 -, 第3页, 第 3 页 共 10 页, 3/10, Page 3 of 10. */
static int is_page_number(const gw_layout *layout, const gw_layout_line *l) {
  static const char *const marks[] = {"—", "–", "－", "第", "页", "共",
                                      "Page", "page", "of", "-", "/", " ",
                                      "(", ")", "（", "）", ".", "·", "　",
                                      "／"};
  const char *t = layout->text + l->start;
  size_t i = 0;
  int digits = 0;
  while (i < l->len) {
    size_t m = digit_at(t + i, l->len - i);
    if (m) {
      digits++;
      i += m;
      continue;
    }
    for (size_t k = 0; k < sizeof marks / sizeof marks[0] && !m; k++) {
      size_t n = strlen(marks[k]);
      if (i + n <= l->len && memcmp(t + i, marks[k], n) == 0) m = n;
    }
    if (!m) return 0;
    i += m;
  }
  return digits > 0 && digits <= 8;
}

/* Whether line `i`, an edge line of its page, repeats at an edge of
 * another page. */
static int repeats(const gw_layout *layout, const size_t *first,
                   const size_t *last, size_t i) {
  char key[256], other[256];
  line_key(layout, &layout->lines[i], key, sizeof key);
  if (!key[0]) return 0;
  size_t page = layout->lines[i].page;
  for (size_t p = 0; p < layout->pages; p++) {
    if (p == page || first[p] == last[p]) continue;
    for (size_t j = first[p]; j < last[p] && j < first[p] + 2; j++) {
      line_key(layout, &layout->lines[j], other, sizeof other);
      if (strcmp(key, other) == 0) return 1;
    }
    for (size_t j = last[p]; j > first[p] && j + 2 > last[p]; j--) {
      line_key(layout, &layout->lines[j - 1], other, sizeof other);
      if (strcmp(key, other) == 0) return 1;
    }
  }
  return 0;
}

/* A running header or footer is short: a line across most of the text
 * column is text, even if the same text stands at the edge of another page
 * (reports copied into one file). */
static int is_running(const gw_layout *layout, const size_t *first,
                      const size_t *last, size_t i, double width) {
  const gw_layout_line *l = &layout->lines[i];
  return is_page_number(layout, l) ||
         (l->x2 - l->x1 < 0.7 * width && repeats(layout, first, last, i));
}

/* The width of the widest line: the text column, near enough. */
static double column_width(const gw_layout *layout) {
  double w = 0;
  for (size_t i = 0; i < layout->count; i++)
    if (layout->lines[i].x2 - layout->lines[i].x1 > w)
      w = layout->lines[i].x2 - layout->lines[i].x1;
  return w;
}

/* Mark the running lines: up to two from each edge of each page, from the
 * edge inwards, stopping at the first line of text. */
static void mark_running(const gw_layout *layout, const size_t *first,
                         const size_t *last, unsigned char *drop) {
  double width = column_width(layout);
  for (size_t p = 0; p < layout->pages; p++) {
    for (size_t i = first[p]; i < last[p] && i < first[p] + 2; i++) {
      if (!is_running(layout, first, last, i, width)) break;
      drop[i] = RUNNING;
    }
    for (size_t i = last[p]; i > first[p] && i + 2 > last[p]; i--) {
      if (!is_running(layout, first, last, i - 1, width)) break;
      drop[i - 1] = RUNNING;
    }
  }
}

/* ------------------------------------------------------------------ */
/* Paragraphs                                                          */
/* ------------------------------------------------------------------ */

typedef struct page_box {
  double left, right, spacing;
} page_box;

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The text column of each page and its usual line spacing. */
static int measure_pages(const gw_layout *layout, const unsigned char *drop,
                         page_box *boxes) {
  double *gaps = malloc((layout->count + 1) * sizeof *gaps);
  if (!gaps) return GW_ENOMEM;
  for (size_t p = 0; p < layout->pages; p++) {
    boxes[p].left = 1e30;
    boxes[p].right = -1e30;
    boxes[p].spacing = 0;
  }
  size_t n_gaps = 0, prev = (size_t)-1;
  for (size_t i = 0; i < layout->count; i++) {
    if (drop[i] == RUNNING) continue;
    const gw_layout_line *l = &layout->lines[i];
    page_box *b = &boxes[l->page];
    if (l->x1 < b->left) b->left = l->x1;
    if (l->x2 > b->right) b->right = l->x2;
    if (prev != (size_t)-1 && layout->lines[prev].page == l->page &&
        l->y1 > layout->lines[prev].y1)
      gaps[n_gaps++] = l->y1 - layout->lines[prev].y1;
    prev = i;
  }
  double spacing = 0;
  if (n_gaps) {
    qsort(gaps, n_gaps, sizeof *gaps, compare_double);
    spacing = gaps[n_gaps / 2];
  }
  for (size_t p = 0; p < layout->pages; p++) boxes[p].spacing = spacing;
  free(gaps);
  return GW_OK;
}

static int has_prefix(const char *t, size_t n, const char *p) {
  size_t m = strlen(p);
  return n >= m && memcmp(t, p, m) == 0;
}

/* Whether the line ends a sentence (。！？；：). */
static int ends_sentence(const gw_layout *layout, const gw_layout_line *l) {
  static const char *const marks[] = {"。", "！", "？", "；", "："};
  static const char *const closers[] = {"”", "’", "）", "》", "」"};
  const char *t = layout->text + l->start;
  size_t n = l->len;
  for (int stripped = 1; stripped;) { /* 。” ends a sentence too */
    stripped = 0;
    while (n > 0 && t[n - 1] == ' ') n--;
    for (size_t i = 0; i < sizeof closers / sizeof closers[0]; i++)
      if (n >= 3 && memcmp(t + n - 3, closers[i], 3) == 0) {
        n -= 3;
        stripped = 1;
        break;
      }
  }
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
    size_t m = strlen(marks[i]);
    if (n >= m && memcmp(t + n - m, marks[i], m) == 0) return 1;
  }
  return 0;
}

/* Whether the line starts with an outline or enumeration marker: 一、
 * （一） 一是 1. 1、 （1）. */
static int starts_marker(const gw_layout *layout, const gw_layout_line *l) {
  static const char *const numerals[] = {"一", "二", "三", "四", "五", "六",
                                         "七", "八", "九", "十"};
  const char *t = layout->text + l->start;
  size_t n = l->len, i = 0;
  int paren = has_prefix(t, n, "（");
  if (paren) i += 3;
  size_t digits = 0;
  for (;;) {
    size_t m = 0;
    if (i < n && t[i] >= '0' && t[i] <= '9') m = 1;
    for (size_t k = 0; !m && k < 10; k++)
      if (has_prefix(t + i, n - i, numerals[k])) m = 3;
    if (!m) break;
    i += m;
    digits++;
  }
  if (!digits || digits > 3) return 0;
  if (paren) return has_prefix(t + i, n - i, "）");
  return has_prefix(t + i, n - i, "、") || has_prefix(t + i, n - i, "是") ||
         has_prefix(t + i, n - i, ".") || has_prefix(t + i, n - i, "．");
}

static int starts_paragraph(const gw_layout *layout,
                            const gw_layout_line *prev,
                            const gw_layout_line *l, const page_box *boxes) {
  if (!prev) return 1;
  /* a full last line: the marker of the next paragraph tells */
  if (ends_sentence(layout, prev) && starts_marker(layout, l)) return 1;
  const page_box *pb = &boxes[prev->page], *b = &boxes[l->page];
  double pc = prev->char_size > 0 ? prev->char_size : 10;
  double c = l->char_size > 0 ? l->char_size : 10;
  /* Stopped short: the paragraph's last line, unless it missed the margin
   * by a few characters without ending a sentence (line breaking keeps
   * 《2022 or “ with what follows). */
  if (prev->x2 < pb->right - 1.5 * pc &&
      (ends_sentence(layout, prev) || prev->x2 < pb->right - 5 * pc))
    return 1;
  if (l->x1 > b->left + 0.8 * c) return 1;       /* indented */
  if (l->page == prev->page && b->spacing > 0 &&
      l->y1 - prev->y1 > 1.7 * b->spacing)
    return 1; /* a gap */
  return 0;
}

static int ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

/* The lines of one kind, in order, joined into paragraphs. */
static void emit(const gw_layout *layout, const unsigned char *drop,
                 unsigned char kind, const page_box *boxes,
                 gw_extract_part part, gw_text_builder *out) {
  const gw_layout_line *prev = NULL, *head = NULL;
  for (size_t i = 0; i < layout->count; i++) {
    if (drop[i] != kind) continue;
    const gw_layout_line *l = &layout->lines[i];
    const char *t = layout->text + l->start;
    if (starts_paragraph(layout, prev, l, boxes)) {
      if (head)
        gw_tb_end_paragraph(out, part, -1, head->page + 1, head->index);
      head = l;
    } else if (out->len > 0 && ascii_alnum(out->text[out->len - 1]) &&
               l->len > 0 && ascii_alnum(t[0])) {
      gw_tb_append(out, " ", 1);
    }
    gw_tb_append(out, t, l->len);
    prev = l;
  }
  if (head) gw_tb_end_paragraph(out, part, -1, head->page + 1, head->index);
}

/* Footnotes: the lines at the foot of a page set smaller than the text
 * (below 85% of the document's median glyph size).  They go after the
 * body, so a paragraph running on to the next page is not cut by them. */
static int mark_footnotes(const gw_layout *layout, const size_t *first,
                          const size_t *last, unsigned char *drop) {
  double *sizes = malloc((layout->count + 1) * sizeof *sizes);
  if (!sizes) return GW_ENOMEM;
  size_t n = 0;
  for (size_t i = 0; i < layout->count; i++)
    if (drop[i] == KEEP && layout->lines[i].char_size > 0)
      sizes[n++] = layout->lines[i].char_size;
  double median = 0;
  if (n) {
    qsort(sizes, n, sizeof *sizes, compare_double);
    median = sizes[n / 2];
  }
  free(sizes);
  for (size_t p = 0; median > 0 && p < layout->pages; p++) {
    size_t i = last[p];
    while (i > first[p] && drop[i - 1] != KEEP) i--; /* footer lines */
    size_t end = i;
    while (i > first[p] && drop[i - 1] == KEEP &&
           layout->lines[i - 1].char_size < 0.85 * median)
      i--;
    if (i == first[p]) continue; /* a page all small: not footnotes */
    for (size_t k = i; k < end; k++)
      if (drop[k] == KEEP) drop[k] = FOOTNOTE;
  }
  return GW_OK;
}

int gw_layout_paragraphs(gw_layout *layout, gw_text_builder *out) {
  if (layout->failed) return GW_ENOMEM;
  if (layout->count == 0) return GW_OK;
  size_t *first = calloc(layout->pages * 2, sizeof *first);
  unsigned char *drop = calloc(layout->count, 1);
  page_box *boxes = calloc(layout->pages, sizeof *boxes);
  int rc = first && drop && boxes ? GW_OK : GW_ENOMEM;
  size_t *last = first ? first + layout->pages : NULL;
  if (rc == GW_OK) {
    /* Lines come page by page: [first[p], last[p]) are page p's. */
    for (size_t p = 0; p < layout->pages; p++) first[p] = last[p] = 0;
    for (size_t i = layout->count; i-- > 0;) first[layout->lines[i].page] = i;
    for (size_t i = 0; i < layout->count; i++)
      last[layout->lines[i].page] = i + 1;
    mark_running(layout, first, last, drop);
    rc = measure_pages(layout, drop, boxes);
  }
  if (rc == GW_OK) rc = mark_footnotes(layout, first, last, drop);
  if (rc == GW_OK) emit(layout, drop, KEEP, boxes, GW_PART_BODY, out);
  if (rc == GW_OK) emit(layout, drop, FOOTNOTE, boxes, GW_PART_FOOTNOTE, out);
  free(first);
  free(drop);
  free(boxes);
  return rc;
}
