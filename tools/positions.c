/* positions.c — byte offsets to lines and columns (see positions.h). */
#include "positions.h"
#include "grow.h"

#include <stdlib.h>
#include <string.h>

#include "json_writer.h"
#include "grow.h"

static int is_line_end(const char *text, size_t len, size_t i) {
  return text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'));
}

static int add_line(gw_positions *p, size_t *capacity, size_t start) {
  if (GW_CLI_GROW(p->line_starts, *capacity, p->line_count + 1)) return -1;
  p->line_starts[p->line_count++] = start;
  return 0;
}

/* What positions are made from: a document's decoded text, its original's
 * length, and where each text offset stands in the original. */
typedef struct positions_source {
  const char *text;
  size_t text_len, original_len;
  gw_encoding encoding;
  size_t replacements;
  size_t (*to_original)(const void *from, size_t text_offset);
  const void *from;
} positions_source;

enum { WORD_BYTES = 8 };
static const uint64_t ONES = 0x0101010101010101u, HIGHS = 0x8080808080808080u;

/* 0x80 in each byte of x that is not zero. */
static uint64_t nonzero_bytes(uint64_t x) {
  return (((x & ~HIGHS) + ~HIGHS) | x) & HIGHS;
}

/* Bit k set where byte k of the little-endian word w starts a character
 * (is not 10xxxxxx). */
static unsigned starts_in_word(uint64_t w) {
  uint64_t starts = nonzero_bytes((w & 0xC0C0C0C0C0C0C0C0u) ^ HIGHS);
  return (unsigned)(((starts >> 7) * 0x0102040810204080u) >> 56);
}

/* Whether the word holds a LF or a CR. */
static int has_line_end(uint64_t w) {
  return ((~nonzero_bytes(w ^ (ONES * '\n')) | ~nonzero_bytes(w ^ (ONES * '\r'))) & HIGHS) != 0;
}

/* The text is the original's own bytes from `shift` on (UTF-8 without
 * replacements, after a BOM): character starts and line ends read eight
 * bytes at a time, and placed at text offsets first, then moved by the
 * shift. */
static int build_same(gw_positions *p, const char *text, size_t text_len, size_t shift,
                      size_t *capacity) {
  size_t t = 0;
  for (; t + WORD_BYTES <= text_len; t += WORD_BYTES) {
    uint64_t w;
    memcpy(&w, text + t, sizeof w);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    p->char_starts[t / 64] |= (uint64_t)starts_in_word(w) << (t % 64);
    if (!has_line_end(w)) continue;
    for (size_t i = t; i < t + WORD_BYTES; i++)
      if (is_line_end(text, text_len, i) && add_line(p, capacity, i + 1 + shift)) return -1;
  }
  for (; t < text_len; t++) {
    if (((unsigned char)text[t] & 0xC0) != 0x80) p->char_starts[t / 64] |= (uint64_t)1 << (t % 64);
    if (is_line_end(text, text_len, t) && add_line(p, capacity, t + 1 + shift)) return -1;
  }
  if (shift) { /* a BOM (or whatever comes before the text) */
    size_t words = p->length / 64 + 1, by_words = shift / 64, by_bits = shift % 64;
    uint64_t *bits = p->char_starts;
    for (size_t i = words; i-- > 0;) {
      uint64_t moved = 0;
      if (i >= by_words) {
        size_t j = i - by_words;
        moved = bits[j] << by_bits;
        if (by_bits && j > 0) moved |= bits[j - 1] >> (64 - by_bits);
      }
      bits[i] = moved;
    }
  }
  return 0;
}

static int build(gw_positions *p, const positions_source *src) {
  memset(p, 0, sizeof *p);
  size_t text_len = src->text_len, words;
  const char *text = src->text;
  p->length = src->original_len;
  words = p->length / 64 + 1;
  p->char_starts = gw_cli_alloc_large(words * sizeof *p->char_starts);
  if (p->char_starts) memset(p->char_starts, 0, words * sizeof *p->char_starts);
  p->rank = gw_cli_alloc_large(words * sizeof *p->rank);
  size_t capacity = 0;
  if (!p->char_starts || !p->rank || add_line(p, &capacity, 0)) goto nomem;
  /* The text is the original decoded: the same bytes for UTF-8 without
   * replacements (after the BOM when there is one). */
  int same = (src->encoding == GW_ENCODING_UTF8 || src->encoding == GW_ENCODING_UTF8_BOM) &&
             src->replacements == 0 && p->length >= text_len;
  if (same) {
    if (build_same(p, text, text_len, p->length - text_len, &capacity)) goto nomem;
  } else {
    for (size_t t = 0; t < text_len; t++) {
      if (((unsigned char)text[t] & 0xC0) == 0x80) continue;
      size_t o = src->to_original(src->from, t);
      if (o < p->length) p->char_starts[o / 64] |= (uint64_t)1 << (o % 64);
      if (is_line_end(text, text_len, t) &&
          add_line(p, &capacity, src->to_original(src->from, t + 1)))
        goto nomem;
    }
  }
  uint32_t count = 0;
  for (size_t i = 0; i < words; i++) {
    p->rank[i] = count;
    count += (uint32_t)__builtin_popcountll(p->char_starts[i]);
  }
  return GW_OK;
nomem:
  gw_positions_free(p);
  return GW_ENOMEM;
}

static size_t document_to_original(const void *doc, size_t text_offset) {
  return gw_document_text_to_original(doc, text_offset);
}

int gw_positions_build(gw_positions *p, const gw_document *doc) {
  positions_source src = {NULL, 0, 0, gw_document_encoding(doc), gw_document_replacements(doc),
                          document_to_original, doc};
  src.text = gw_document_text(doc, &src.text_len);
  gw_document_original(doc, &src.original_len);
  return build(p, &src);
}

static size_t archived_to_original(const void *t, size_t text_offset) {
  return gw_archive_text_to_original(t, text_offset);
}

int gw_positions_build_archived(gw_positions *p, const gw_archive_text *t) {
  positions_source src = {NULL, 0, gw_archive_text_original_length(t),
                          gw_archive_text_encoding(t), gw_archive_text_replacements(t),
                          archived_to_original, t};
  src.text = gw_archive_text_decoded(t, &src.text_len);
  return build(p, &src);
}

void gw_positions_free(gw_positions *p) {
  free(p->line_starts);
  free(p->char_starts);
  free(p->rank);
  memset(p, 0, sizeof *p);
}

/* Characters starting before original offset o. */
static size_t chars_before(const gw_positions *p, size_t o) {
  size_t word = o / 64, bit = o % 64;
  uint64_t below = bit ? p->char_starts[word] & (((uint64_t)1 << bit) - 1) : 0;
  return p->rank[word] + (size_t)__builtin_popcountll(below);
}

void gw_positions_at(const gw_positions *p, size_t offset, size_t *line, size_t *column) {
  *line = *column = 0;
  if (!p->line_count) return;
  if (offset > p->length) offset = p->length;
  size_t lo = 0, hi = p->line_count; /* the last line start <= offset */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (p->line_starts[mid] <= offset) lo = mid;
    else hi = mid;
  }
  *line = lo + 1;
  *column = chars_before(p, offset) - chars_before(p, p->line_starts[lo]) + 1;
}

void gw_positions_write(gw_json *w, const gw_positions *p, size_t offset) {
  size_t line, column;
  gw_positions_at(p, offset, &line, &column);
  gw_json_member_uint(w, "line", line);
  gw_json_member_uint(w, "column", column);
}

/* ---- walking ---- */

static size_t find_byte(const char *text, size_t from, size_t len, char c) {
  const char *at = from < len ? memchr(text + from, c, len - from) : NULL;
  return at ? (size_t)(at - text) : len;
}

static void walk_restart(gw_positions_walk *w) {
  w->at = 0;
  w->line = 1;
  w->line_start = 0;
  w->column_chars = 0;
  w->next_lf = find_byte(w->text, 0, w->text_len, '\n');
  w->next_cr = find_byte(w->text, 0, w->text_len, '\r');
}

void gw_positions_walk_init(gw_positions_walk *w, const gw_document *doc) {
  memset(w, 0, sizeof *w);
  w->doc = doc;
  w->text = gw_document_text(doc, &w->text_len);
  gw_document_original(doc, &w->length);
  gw_encoding e = gw_document_encoding(doc);
  /* As build(): the text is the original decoded, the same bytes for UTF-8
   * without replacements (after the BOM when there is one). */
  w->same = (e == GW_ENCODING_UTF8 || e == GW_ENCODING_UTF8_BOM) &&
            gw_document_replacements(doc) == 0 && w->length >= w->text_len;
  w->shift = w->same ? w->length - w->text_len : 0;
  if (w->same) walk_restart(w);
}

/* The characters of UTF-8 s[0, n): its bytes but the continuation ones
 * (10xxxxxx), eight at a time (bit 7 set and bit 6 clear in each byte;
 * the multiplication sums the eight bytes' marks into the top byte). */
static size_t chars_in(const char *s, size_t n) {
  size_t continuations = 0, i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    memcpy(&x, s + i, 8);
    uint64_t marks = (x & ~(x << 1) & HIGHS) >> 7; /* 1 in each such byte */
    continuations += (size_t)((marks * ONES) >> 56);
  }
  for (; i < n; i++) continuations += ((unsigned char)s[i] & 0xC0) == 0x80;
  return n - continuations;
}

/* Walk the text to offset t (at least w->at), counting the line ends
 * before it and the characters of its line. */
static void walk_to(gw_positions_walk *w, size_t t) {
  const char *text = w->text;
  size_t len = w->text_len;
  for (;;) {
    size_t end = w->next_lf < w->next_cr ? w->next_lf : w->next_cr;
    if (end >= t) break;
    if (is_line_end(text, len, end)) {
      w->line++;
      w->line_start = end + 1;
      w->column_chars = 0;
      w->at = end + 1;
    }
    if (end == w->next_lf) w->next_lf = find_byte(text, end + 1, len, '\n');
    else w->next_cr = find_byte(text, end + 1, len, '\r');
  }
  w->column_chars += chars_in(text + w->at, t - w->at);
  w->at = t;
}

int gw_positions_walk_at(gw_positions_walk *w, size_t offset, size_t *line, size_t *column) {
  if (!w->same) {
    if (!w->table_built) {
      if (gw_positions_build(&w->table, w->doc)) return *line = *column = 0, GW_ENOMEM;
      w->table_built = 1;
    }
    gw_positions_at(&w->table, offset, line, column);
    return GW_OK;
  }
  if (offset > w->length) offset = w->length;
  /* In the bytes before the text (a BOM): the first line, no character
   * before. */
  if (offset <= w->shift) return *line = *column = 1, GW_OK;
  size_t t = offset - w->shift;
  if (t < w->at) walk_restart(w);
  walk_to(w, t);
  *line = w->line;
  *column = w->column_chars + 1;
  return GW_OK;
}

void gw_positions_walk_write(gw_json *w, gw_positions_walk *walk, size_t offset) {
  size_t line, column;
  if (gw_positions_walk_at(walk, offset, &line, &column)) gw_json_fail(w, GW_ENOMEM);
  gw_json_member_uint(w, "line", line);
  gw_json_member_uint(w, "column", column);
}

void gw_positions_walk_free(gw_positions_walk *w) {
  if (w->table_built) gw_positions_free(&w->table);
  memset(w, 0, sizeof *w);
}
