/* positions.h — where an original byte offset stands in its file, as a
 * line and a column an editor shows: lines counted from 1 (a line ends at
 * LF, CR LF or a lone CR), columns counted from 1 in characters of the
 * decoded text (a Han character is one column, whatever its bytes in
 * GB18030 or UTF-16).  Built once per document from its views; the
 * document is not needed afterwards, so a tool can keep the positions of
 * many documents (about 3/16 of a byte per byte of file, plus a word per
 * line).
 *
 * In JSON, a record that points into a file has "line" and "column" after
 * its "start" and "end" byte offsets: where "start" stands. */
#ifndef GW_POSITIONS_H
#define GW_POSITIONS_H

#include <stddef.h>
#include <stdint.h>

#include "gongwen.h"

typedef struct gw_positions {
  size_t *line_starts;   /* original offsets, line_starts[0] = 0 */
  size_t line_count;
  uint64_t *char_starts; /* bit o set: a character starts at original offset o */
  uint32_t *rank;        /* characters starting before each 64-byte word */
  size_t length;         /* of the original */
} gw_positions;

/* GW_OK or GW_ENOMEM (p is then empty, and gw_positions_at gives 0, 0). */
int gw_positions_build(gw_positions *p, const gw_document *doc);
/* The same from an archived document's decoded text (identical to those
 * of the document gw_archive_document_load gives). */
int gw_positions_build_archived(gw_positions *p, const gw_archive_text *t);
void gw_positions_free(gw_positions *p);

/* The line and column of `offset` (at most the file's length). */
void gw_positions_at(const gw_positions *p, size_t offset, size_t *line, size_t *column);

/* "line": L, "column": C of offset, for a JSON record. */
struct gw_json;
void gw_positions_write(struct gw_json *w, const gw_positions *p, size_t offset);

/* The same lines and columns for a few offsets of one document, found by
 * walking its text from one offset to the next (line ends found by memchr,
 * characters counted only on the line of the offset) instead of building
 * the table for every byte: what gw-seg --stats needs for the removed
 * spans of a large file.  Fastest for ascending offsets (a smaller one
 * walks again from the start); documents whose text is not their
 * original's own bytes build the table on first use. */
typedef struct gw_positions_walk {
  const gw_document *doc;
  const char *text;
  size_t text_len, shift, length; /* shift: the original's bytes before the text */
  int same;                       /* the text is the original's bytes from shift on */
  size_t at;                      /* text offset walked to */
  size_t line;                    /* line of `at`, from 1 */
  size_t line_start;              /* text offset where that line starts */
  size_t column_chars;            /* characters in [line_start, at) */
  size_t next_lf, next_cr;        /* the first LF, CR at or after `at` (text_len: none) */
  gw_positions table;             /* other documents: built on first use */
  int table_built;
} gw_positions_walk;

void gw_positions_walk_init(gw_positions_walk *w, const gw_document *doc);
/* GW_OK, or GW_ENOMEM (building the table): then 0, 0. */
int gw_positions_walk_at(gw_positions_walk *w, size_t offset, size_t *line, size_t *column);
/* "line": L, "column": C of offset (the JSON writer fails with GW_ENOMEM
 * where the table could not be built). */
void gw_positions_walk_write(struct gw_json *w, gw_positions_walk *walk, size_t offset);
void gw_positions_walk_free(gw_positions_walk *w);

#endif
