/* Lines and columns (tools/positions): for UTF-8 files, with and without a
 * BOM, whose line ends are LF, CR LF and lone CRs and whose characters are
 * one to four bytes long, every offset's line and column against a count
 * made byte by byte here.  Lengths run across the 8-byte words and 64-bit
 * words the builder reads and sets at once, and a BOM shifts the text by
 * three bytes across them.  The walk (gw_positions_walk) gives the same
 * as the table at every offset, in order and not. */
#include <stdint.h>
#include <stdlib.h>

#include "gongwen.h"
#include "harness.h"
#include "positions.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void) { return gw_test_xorshift(&rng_state); }

/* One piece of text: a character of 1 to 4 bytes or a line end. */
static size_t random_piece(char *out) {
  static const char *const pieces[] = {"a", "7", " ", "é", "—", "中", "。", "𠀀", "😀",
                                       "\n", "\r\n", "\r"};
  const char *p = pieces[rng() % (sizeof pieces / sizeof *pieces)];
  size_t n = strlen(p);
  memcpy(out, p, n);
  return n;
}

/* The line and column of offset counted here: a line ends after a LF or a
 * CR not followed by a LF; a column counts the characters that start on the
 * line before offset (the BOM's bytes are none). */
static void expected_at(const char *bytes, size_t len, size_t text_start, size_t offset,
                        size_t *line, size_t *column) {
  size_t line_start = 0;
  *line = 1;
  for (size_t i = 0; i < offset; i++) {
    int ends = bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= len || bytes[i + 1] != '\n'));
    if (i >= text_start && ends) {
      ++*line;
      line_start = i + 1;
    }
  }
  *column = 1;
  for (size_t i = line_start; i < offset; i++)
    if (i >= text_start && ((unsigned char)bytes[i] & 0xC0) != 0x80) ++*column;
}

static void check_text(const char *bytes, size_t len, size_t text_start) {
  gw_document *doc = NULL;
  gw_error err;
  int rc = gw_document_load_buffer(&doc, "positions", bytes, len, NULL, &err);
  CHECK(rc == GW_OK);
  if (rc) return;
  gw_positions p;
  CHECK(gw_positions_build(&p, doc) == GW_OK);
  size_t wrong = 0;
  for (size_t offset = text_start; offset <= len; offset++) {
    size_t line, column, want_line, want_column;
    gw_positions_at(&p, offset, &line, &column);
    expected_at(bytes, len, text_start, offset, &want_line, &want_column);
    if (line != want_line || column != want_column) {
      if (!wrong++)
        fprintf(stderr, "offset %zu of %zu (text from %zu): %zu:%zu, expected %zu:%zu\n", offset,
                len, text_start, line, column, want_line, want_column);
    }
  }
  CHECK_EQ_SIZE(wrong, 0);
  /* The walk gives the same: every offset ascending, then a few going
   * back (each walks again from the start). */
  gw_positions_walk walk;
  gw_positions_walk_init(&walk, doc);
  size_t walked_wrong = 0;
  for (size_t pass = 0; pass < 2; pass++) {
    for (size_t k = 0; k <= len + 1; k++) {
      size_t offset = pass == 0 ? k : (size_t)(rng() % (len + 2));
      size_t line, column, want_line, want_column;
      CHECK(gw_positions_walk_at(&walk, offset, &line, &column) == GW_OK);
      gw_positions_at(&p, offset, &want_line, &want_column);
      if (line != want_line || column != want_column) {
        if (!walked_wrong++)
          fprintf(stderr, "walk: offset %zu of %zu (text from %zu): %zu:%zu, expected %zu:%zu\n",
                  offset, len, text_start, line, column, want_line, want_column);
      }
    }
  }
  CHECK_EQ_SIZE(walked_wrong, 0);
  gw_positions_walk_free(&walk);
  gw_positions_free(&p);
  gw_document_free(doc);
}

int main(void) {
  enum { MAX_BYTES = 400 };
  char text[MAX_BYTES + 8];
  for (int round = 0; round < 3000; round++) {
    int bom = round % 3 == 0;
    size_t len = 0;
    if (bom) {
      memcpy(text, "\xEF\xBB\xBF", 3);
      len = 3;
    }
    size_t target = (size_t)(rng() % MAX_BYTES);
    /* mostly Han and ASCII, as reports are, with the rest mixed in */
    while (len < target) {
      uint64_t kind = rng() % 4;
      if (kind == 0) text[len++] = 'x';
      else if (kind == 1) len += (memcpy(text + len, "国", 3), 3);
      else len += random_piece(text + len);
    }
    check_text(text, len, bom ? 3 : 0);
  }
  /* a long line and many short ones, past several 64-byte words */
  size_t len = 0;
  for (int i = 0; i < 100; i++) len += (memcpy(text + len, "国", 3), 3);
  check_text(text, len, 0);
  len = 0;
  for (int i = 0; i < 130; i++) text[len++] = i % 3 ? 'a' : '\n';
  check_text(text, len, 0);
  return gw_test_report();
}
