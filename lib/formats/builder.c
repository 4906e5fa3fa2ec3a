/*
 * builder.c — the extracted text as it grows: paragraphs of clean UTF-8
 * separated by one LF, and a record per paragraph.
 *
 * Every reader goes through gw_tb_append, so whatever a file holds (control
 * characters, stray NULs, broken UTF-8 in a damaged part) the text handed to
 * the decoder is valid UTF-8 with LF only between paragraphs.
 */
#include <stdlib.h>
#include <string.h>

#include "formats.h"

int gw_reserve(void **items, size_t *capacity, size_t need, size_t size) {
  if (need <= *capacity) return GW_OK;
  size_t cap = *capacity ? *capacity : 64;
  while (cap < need) {
    if (cap > SIZE_MAX / 2 / size) return GW_ENOMEM;
    cap *= 2;
  }
  void *grown = realloc(*items, cap * size);
  if (!grown) return GW_ENOMEM;
  *items = grown;
  *capacity = cap;
  return GW_OK;
}

static int reserve(gw_text_builder *b, size_t more) {
  if (b->failed) return -1;
  /* gw_grow: a large text lies on huge pages, where writing megabytes of
   * it into fresh memory would otherwise fault on every 4 KB page. */
  void *text = b->text;
  if (gw_grow(&text, &b->capacity, b->len + more + 1, 1) < 0) {
    b->failed = 1;
    return -1;
  }
  b->text = text;
  return 0;
}

void gw_tb_reserve(gw_text_builder *b, size_t bytes) {
  /* Only a hint: when the room cannot be had, the text grows as usual. */
  void *text = b->text;
  if (!b->failed && gw_grow(&text, &b->capacity, bytes, 1) == GW_OK)
    b->text = text;
}

static void put(gw_text_builder *b, const char *s, size_t n) {
  if (reserve(b, n) < 0) return;
  memcpy(b->text + b->len, s, n);
  b->len += n;
  b->text[b->len] = '\0';
}

/* Ideographic spaces too: documents indent paragraphs with them. */
static int is_space(int32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x0B ||
         cp == 0x0C || cp == 0x2028 || cp == 0x2029 || cp == 0x85 ||
         cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A);
}

static int is_dropped(int32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
         cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) /* annotations */;
}

void gw_tb_append_cp(gw_text_builder *b, int32_t cp) {
  if (is_space(cp)) {
    if (b->len > b->paragraph_start) b->pending_space = 1;
    return;
  }
  if (is_dropped(cp)) return;
  if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (b->pending_space) {
    put(b, " ", 1);
    b->pending_space = 0;
  }
  char buf[4];
  put(b, buf, gw_utf8_encode(cp, buf));
}

/* Characters copied as they stand (the bulk of any text): printable ASCII
 * but the space, and valid UTF-8 above U+00A0 that is neither a space nor
 * dropped. */
static int plain(int32_t cp) {
  return (cp > 0x20 && cp < 0x7F) ||
         (cp >= 0xA0 && !is_space(cp) && !is_dropped(cp) &&
          !(cp >= 0xD800 && cp <= 0xDFFF));
}

void gw_tb_append(gw_text_builder *b, const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    /* a run of plain characters, put at once */
    size_t j = i;
    for (;;) {
      if (j < n && u[j] > 0x20 && u[j] < 0x7F) {
        j++;
        continue;
      }
      /* U+4000-U+9FFF, most Han characters: always plain, and any
       * continuation bytes make a valid sequence with this lead byte. */
      if (n - j >= 3 && u[j] >= 0xE4 && u[j] <= 0xE9 &&
          (u[j + 1] & 0xC0) == 0x80 && (u[j + 2] & 0xC0) == 0x80) {
        j += 3;
        continue;
      }
      int32_t cp;
      size_t k = j < n && u[j] >= 0x80 ? gw_utf8_next(u + j, n - j, &cp) : 0;
      if (!k || cp < 0 || !plain(cp)) break;
      j += k;
    }
    if (j > i) {
      if (b->pending_space) {
        put(b, " ", 1);
        b->pending_space = 0;
      }
      put(b, s + i, j - i);
      i = j;
      if (i == n) break;
    }
    int32_t cp;
    i += gw_utf8_next(u + i, n - i, &cp);
    gw_tb_append_cp(b, cp < 0 ? 0xFFFD : cp);
  }
}

int gw_tb_paragraph_open(const gw_text_builder *b) {
  return b->len > b->paragraph_start;
}

void gw_tb_end_paragraph(gw_text_builder *b, gw_extract_part part,
                         int heading_level, size_t page, size_t source) {
  b->pending_space = 0;
  if (b->failed || b->len == b->paragraph_start) return;
  void *paragraphs = b->paragraphs;
  if (gw_reserve(&paragraphs, &b->paragraph_capacity, b->count + 1,
                 sizeof *b->paragraphs) < 0) {
    b->failed = 1;
    return;
  }
  b->paragraphs = paragraphs;
  gw_extract_paragraph *p = &b->paragraphs[b->count];
  p->start = b->paragraph_start;
  p->end = b->len;
  p->page = page;
  p->source = source;
  p->heading_level = heading_level;
  p->part = part;
  put(b, "\n", 1);
  if (b->failed) return;
  b->count++;
  b->paragraph_start = b->len;
}

void gw_tb_free(gw_text_builder *b) {
  free(b->text);
  free(b->paragraphs);
  memset(b, 0, sizeof *b);
}
