/* dups_text.h — copy detection as a terminal shows it, shared by gw-dups,
 * gw-stats and gw-archive check (--format text): the reports ranked by
 * copy ratio with their main source, the most copied pairs and the largest
 * families, each with a short quote of its text and, where the positions
 * are known, the line it starts on; for a batch checked against earlier
 * reports (gw-archive check), the same seen from the batch, with each
 * unit's copies of its own earlier reports. */
#ifndef GW_DUPS_TEXT_H
#define GW_DUPS_TEXT_H

#include <stddef.h>
#include <stdio.h>

#include "dups_records.h"
#include "gongwen.h"
#include "positions.h"

/* A batch checked against others (gw-archive check: base documents and
 * archived reports, then the batch): only the pairs and families holding a
 * batch report are shown, documents are named with their unit, year and
 * where they come from, and quotes are the text as compared (an archived
 * report's file may be gone or changed since it was added). */
typedef struct gw_dups_batch {
  size_t first; /* the batch's first document; the batch runs to the end */
  /* A document's name ("PATH (UNIT YEAR, archive)").  Names that long
   * stand alone: a pair's on its first line (its figures on the next, the
   * places of its passage by line only), a family's members one per
   * line. */
  void (*put_name)(FILE *out, size_t document, void *payload);
  /* What document `other` is to `document` (dups_records.h): a pair's
   * figures end with what a is to b. */
  gw_relation (*relation)(size_t document, size_t other, void *payload);
  void *payload;
} gw_dups_batch;

typedef struct gw_dups_view {
  FILE *out;
  const gw_dups *d;
  char **paths;                  /* each document's name */
  const gw_positions *positions; /* each document's, or NULL: no line numbers */
  size_t excerpt_chars;          /* the longest quote, in characters */
} gw_dups_view;

/* The passages of a pair that are copying (not official or base text). */
size_t gw_dups_copy_passages(const gw_dups *d, const gw_dups_pair *p);
/* Its longest copy passage (the first of the longest), or NULL: the one a
 * summary quotes. */
const gw_dups_passage *gw_dups_longest_copy(const gw_dups *d, const gw_dups_pair *p);

/* Each of these returns GW_OK, or GW_ENOMEM (what it printed is then
 * not the whole of its section). */

/* "Most copied reports ...": documents from `first` on (base documents
 * before it are not ranked), at most `limit`. */
int gw_dups_text_reports(const gw_dups_view *t, size_t first, size_t limit);
/* "Most copied pairs:", at most `limit`, each with its longest passage. */
int gw_dups_text_pairs(const gw_dups_view *t, size_t limit);
/* "Largest families:", at most `limit` (in the library's order: most
 * documents first), each with its text and where its first members
 * stand. */
int gw_dups_text_families(const gw_dups_view *t, size_t limit);

/* The same two seen from batch b: "Most copied pairs with a batch
 * report:", "Largest families holding a batch report". */
int gw_dups_text_batch_pairs(const gw_dups_view *t, const gw_dups_batch *b, size_t limit);
int gw_dups_text_batch_families(const gw_dups_view *t, const gw_dups_batch *b, size_t limit);
/* "Self-copy year over year": each batch report's sources that are its own
 * unit's report of an earlier year, at most `limit`. */
void gw_dups_text_self_copies(const gw_dups_view *t, const gw_dups_batch *b, size_t limit);

/* "Copy ratio: mean M, max X; H of N reports at 30% or more" and a line
 * end, over the documents from `first` on. */
void gw_dups_text_copy_ratio(FILE *out, const gw_dups *d, size_t first);

/* “the passage” of document (range r), cut to `width` characters, on its
 * own line: as it stands in the file at `path` when path is not NULL and
 * the file is UTF-8 and can be read again, else as compared (characters,
 * masks as **).  GW_OK or GW_ENOMEM. */
int gw_dups_text_quote(FILE *out, const gw_dups *d, size_t document, const gw_dups_range *r,
                       const char *path, size_t width);

/* The width of the terminal on stdout ($COLUMNS, else 80 when stdout is
 * not a terminal), at least 40. */
size_t gw_text_terminal_width(void);

#endif
