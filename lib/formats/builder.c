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

#define HUGE_FROM ((size_t)256 << 10) /* bytes */

/* Room for `need` elements of `size` bytes, doubled as gw_reserve does (or
 * exactly `need`, a size known once).  From HUGE_FROM bytes on the array
 * moves onto whole huge pages (gw_alloc_huge): the text and the paragraphs
 * are written once into fresh memory, and on a virtual machine each 4 KB
 * page of it faults for microseconds (the 8.7 MB text of a 20,000-paragraph
 * .docx faulted 600 times on the two unaligned ends of a buffer advised
 * huge only inside, its paragraphs 190 times more). */
static int grow(void **items, size_t *capacity, size_t need, size_t size,
                int exact) {
  if (need <= *capacity) return GW_OK;
  size_t cap = exact ? need : *capacity ? *capacity : 64;
  while (cap < need) {
    if (cap > SIZE_MAX / 4 / size) return GW_ENOMEM;
    cap *= 2;
  }
  if (cap > SIZE_MAX / 4 / size) return GW_ENOMEM;
  if (cap * size < HUGE_FROM) return gw_reserve(items, capacity, cap, size);
  size_t bytes;
  void *grown = gw_alloc_huge(cap * size, &bytes);
  if (!grown) return GW_ENOMEM;
  if (*capacity) memcpy(grown, *items, *capacity * size);
  free(*items);
  *items = grown;
  *capacity = bytes / size;
  return GW_OK;
}

static int reserve(gw_text_builder *b, size_t more) {
  if (b->failed) return -1;
  void *text = b->text;
  if (grow(&text, &b->capacity, b->len + more + 1, 1, 0) < 0) {
    b->failed = 1;
    return -1;
  }
  b->text = text;
  return 0;
}

void gw_tb_reserve(gw_text_builder *b, size_t bytes) {
  /* Only a hint: when the room cannot be had, the text grows as usual. */
  void *text = b->text;
  if (!b->failed && grow(&text, &b->capacity, bytes, 1, 1) == GW_OK)
    b->text = text;
}

static void put(gw_text_builder *b, const char *s, size_t n) {
  if (reserve(b, n) < 0) return;
  memcpy(b->text + b->len, s, n);
  b->len += n;
  b->text[b->len] = '\0';
}

void gw_tb_append_cp(gw_text_builder *b, int32_t cp) {
  if (gw_tb_space(cp)) {
    if (b->len > b->paragraph_start) b->pending_space = 1;
    return;
  }
  if (gw_tb_dropped(cp)) return;
  if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (b->pending_space) {
    put(b, " ", 1);
    b->pending_space = 0;
  }
  char buf[4];
  put(b, buf, gw_utf8_encode(cp, buf));
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
      if (!k || cp < 0 || !gw_tb_plain(cp)) break;
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

void gw_tb_append_plain(gw_text_builder *b, const char *s, size_t n) {
  if (n == 0) return;
  if (b->pending_space) {
    put(b, " ", 1);
    b->pending_space = 0;
  }
  put(b, s, n);
}

int gw_tb_paragraph_open(const gw_text_builder *b) {
  return b->len > b->paragraph_start;
}

void gw_tb_end_paragraph(gw_text_builder *b, gw_extract_part part,
                         int heading_level, size_t page, size_t source) {
  b->pending_space = 0;
  if (b->failed || b->len == b->paragraph_start) return;
  void *paragraphs = b->paragraphs;
  if (grow(&paragraphs, &b->paragraph_capacity, b->count + 1,
           sizeof *b->paragraphs, 0) < 0) {
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
